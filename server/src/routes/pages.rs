//! Page-level HTTP behaviour around the Leptos pages: the start page, the language
//! switch, and who may open which page (`app::domain::access`).

use app::domain::access::pages::{page_access as access_of, Access, Page};
use app::i18n::{Lang, LANG_COOKIE};
use app::ssr::accounts::auth::AuthSession;
use app::ui::RequestUser;
use axum::extract::{Query, Request};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// `GET /`: the user's start page (`Page::start`: "Att göra" for those who follow up,
/// their walk for a participant, the map for the others), or signing in.
pub async fn start(auth: AuthSession) -> Redirect {
    match &auth.user {
        Some(session_user) => {
            let user = &session_user.user;
            Redirect::to(&Page::start(user.role).href(user))
        }
        None => Redirect::to("/logga-in"),
    }
}

/// Only paths on this site are followed after sign-in or a language change, so a crafted
/// link cannot send a user elsewhere.
pub fn local_path(candidate: &str) -> &str {
    let is_local = candidate.starts_with('/') && !candidate.starts_with("//") && !candidate.contains('\\');
    if is_local {
        candidate
    } else {
        "/"
    }
}

#[derive(Deserialize)]
pub struct LanguageQuery {
    till: Option<String>,
    tillbaka: Option<String>,
}

/// `GET /sprak?till=en&tillbaka=/karta`: remembers the language for a year.
pub async fn set_language(Query(query): Query<LanguageQuery>) -> Response {
    let lang = Lang::from_code(query.till.as_deref().unwrap_or("sv"));
    let back = local_path(query.tillbaka.as_deref().unwrap_or("/karta")).to_owned();
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(&back)).into_response()
}

/// Full page loads of protected pages: signed-out visitors are sent to sign in, and a
/// role without access gets the page's "no access" view with status 403.
/// Also hands the signed-in user to the page render (`app::ui::RequestUser`).
pub async fn page_access(auth: AuthSession, mut request: Request, next: Next) -> Response {
    let user = auth.user.as_ref().map(|session_user| session_user.user.clone());
    let role = user.as_ref().map(|user| user.role);
    request.extensions_mut().insert(RequestUser(user));
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    match access_of(&path, role) {
        Access::Open | Access::Allowed => next.run(request).await,
        Access::NeedsLogin => Redirect::to(&format!("/logga-in?nasta={path}")).into_response(),
        Access::Forbidden => {
            let mut response = next.run(request).await;
            *response.status_mut() = StatusCode::FORBIDDEN;
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/lagesbild"), "/lagesbild");
        assert_eq!(local_path("//evil.example"), "/");
        assert_eq!(local_path("https://evil.example"), "/");
        assert_eq!(local_path("/\\evil.example"), "/");
    }
}
