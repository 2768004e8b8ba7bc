//! Checks every request passes before any route, REST call or server function sees it:
//! state-changing requests must come from this site (no cross-site request forgery, no
//! login CSRF), and no text may carry a NUL character.

use app::error::AppError;
use app::ssr::infra::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::limits::body_limit;

/// Refuses a state-changing request that a browser says came from another site.
///
/// Browsers send `Sec-Fetch-Site` and `Origin` with every cross-origin POST, PUT, PATCH and
/// DELETE, and a page on another site cannot remove them; a request without either is not
/// from a browser (the phones' outbox runs in the page, so it sends them), so it cannot
/// carry a victim's cookie for us and is let through to the usual sign-in checks.
pub async fn same_site_only(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    if is_cross_site(request.headers(), &state.config.public_url) {
        tracing::warn!(
            method = %request.method(),
            path = %request.uri().path(),
            origin = ?request.headers().get(header::ORIGIN),
            "refused a cross-site request"
        );
        return AppError::CrossSite.into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &HeaderMap, public_url: &str) -> bool {
    // A browser's own word (no page can set this header) decides; behind a proxy that
    // rewrites Host it is also the only reliable one.
    match headers
        .get("sec-fetch-site")
        .and_then(|value| value.to_str().ok())
    {
        Some("same-origin") => return false,
        // "none": the user typed the address or used a bookmark.
        Some("none") | None => {}
        Some(_) => return true,
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let Ok(origin) = origin.to_str() else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|value| value.to_str().ok());
    let authority = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    let same_as_public = origin.eq_ignore_ascii_case(public_url.trim_end_matches('/'));
    let same_as_host =
        matches!((authority, host), (Some(authority), Some(host)) if authority.eq_ignore_ascii_case(host));
    !(same_as_public || same_as_host)
}

/// Answers 422, naming the field, when any text in the query, a JSON body or a form body
/// contains U+0000. PostgreSQL cannot store it in text and SQLite would; deciding here,
/// where text enters, makes every route behave the same on both databases.
pub async fn text_without_nul(request: Request, next: Next) -> Response {
    if let Some(field) = request
        .uri()
        .query()
        .and_then(|query| nul_in_form(query.as_bytes()))
    {
        return nul_error(&field);
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let is_json = content_type.starts_with("application/json") || content_type.contains("+json");
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if !is_json && !is_form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, body_limit(parts.uri.path())).await else {
        return AppError::PayloadTooLarge.into_response();
    };
    let field = if is_json {
        // JSON can carry a NUL only as the escape `\u0000` (raw control characters are not
        // JSON): without one, no need to parse. A body that is not JSON at all is left to
        // the route's own, more precise message.
        let may_hold_nul = bytes.windows(6).any(|window| window == b"\\u0000");
        may_hold_nul
            .then(|| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .flatten()
            .and_then(|value| nul_in_json(&value, String::new()))
    } else {
        nul_in_form(&bytes)
    };
    if let Some(field) = field {
        return nul_error(&field);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn nul_error(field: &str) -> Response {
    AppError::invalid(
        field,
        "Texten innehåller ett otillåtet tecken (NUL, U+0000). Ta bort det och försök igen.",
        "The text contains a character that is not allowed (NUL, U+0000). Remove it and try again.",
    )
    .into_response()
}

fn nul_in_form(encoded: &[u8]) -> Option<String> {
    form_urlencoded::parse(encoded)
        .find(|(key, value)| key.contains('\0') || value.contains('\0'))
        .map(|(key, _)| key.replace('\0', ""))
}

/// The path of the first string (or key) with a NUL: `note`, `points[2].vehicle`.
fn nul_in_json(value: &serde_json::Value, path: String) -> Option<String> {
    match value {
        serde_json::Value::String(text) => text.contains('\0').then_some(path),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_in_json(item, format!("{path}[{i}]"))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let here = if path.is_empty() {
                key.replace('\0', "")
            } else {
                format!("{path}.{}", key.replace('\0', ""))
            };
            if key.contains('\0') {
                Some(here)
            } else {
                nul_in_json(item, here)
            }
        }),
        _ => None,
    }
    .map(|path| if path.is_empty() { "body".to_owned() } else { path })
}

/// Who is signed in, as the auth layer found them (it runs outside these guards).
fn session_user(request: &Request) -> Option<&app::ssr::accounts::auth::SessionUser> {
    request
        .extensions()
        .get::<app::ssr::accounts::auth::AuthSession>()
        .and_then(|auth| auth.user.as_ref())
}

/// The answer to a caller a table row does not admit: 401 signed out, 403 (and a line in
/// the log) for a role without access to `what`.
fn refused(role: Option<app::domain::role::Role>, what: &str) -> Response {
    match role {
        None => AppError::Unauthorized.into_response(),
        Some(role) => {
            tracing::warn!(%what, %role, "a role the access table does not admit");
            AppError::Forbidden.into_response()
        }
    }
}

/// Refuses a REST call from a role the route does not admit (`app::domain::access::rest::API`)
/// before the route runs: 401 signed out, 403 otherwise. It runs after routing (a route
/// layer), so it knows the route's path template; a route missing from the table is
/// refused to everyone, so a new route cannot be open by mistake.
pub async fn api_access(request: Request, next: Next) -> Response {
    let Some(path) = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|matched| matched.as_str().to_owned())
    else {
        return next.run(request).await;
    };
    let role = session_user(&request).map(|user| user.user.role);
    // A HEAD is answered by the GET route.
    let method = match *request.method() {
        Method::HEAD => "GET",
        ref method => method.as_str(),
    };
    match app::domain::access::rest::api_route(method, &path) {
        Some(route) if route.allowed.admits(role) => next.run(request).await,
        Some(_) => refused(role, &format!("{method} {path}")),
        // A method the route does not have (TRACE, OPTIONS…): what the router would say.
        None if app::domain::access::rest::API
            .iter()
            .any(|route| route.path == path) =>
        {
            StatusCode::METHOD_NOT_ALLOWED.into_response()
        }
        None => {
            tracing::error!(%method, %path, "a REST route without a row in domain::access::rest::API: refused");
            AppError::Forbidden.into_response()
        }
    }
}

/// The first steps an account must take before anything else, each sending its user to
/// "Mitt konto": a one-time password someone else chose is replaced by one's own
/// (ASVS V6.4), and with `TRYGGKARTA_REQUIRE_MFA` police and admins set up a second
/// factor. Until then they reach only their account page, signing out and the files
/// pages need: other pages send them there, everything else answers 403
/// (`password_change_required`, `second_factor_required`).
pub async fn first_steps_gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let pending = session_user(&request).and_then(|user| {
        if user.user.must_change_password {
            Some(AppError::PasswordChangeRequired)
        } else if app::ssr::accounts::auth::must_set_up_second_factor(user, state.config.require_mfa) {
            Some(AppError::SecondFactorRequired)
        } else {
            None
        }
    });
    let path = request.uri().path();
    let Some(step) = pending.filter(|_| !open_before_second_factor(path)) else {
        return next.run(request).await;
    };
    if *request.method() == Method::GET && !path.starts_with("/api/") {
        let to = match step {
            AppError::PasswordChangeRequired => "/konto?losenord=krav",
            _ => "/konto?tvasteg=krav",
        };
        return axum::response::Redirect::to(to).into_response();
    }
    step.into_response()
}

/// Exact paths only: a prefix or a "looks like a file" rule would let `/konto/../admin`
/// or `/strategiomraden/4.1` through to a page render. Files are served by their own
/// services under `/pkg` and `/vendor`, which never fall back to a page.
fn open_before_second_factor(path: &str) -> bool {
    matches!(
        path,
        "/konto"
            | "/konto/losenord"
            | "/konto/tvasteg/borja"
            | "/konto/tvasteg/bekrafta"
            | "/konto/tvasteg/av"
            | "/logga-ut"
            | "/logga-in"
            | "/favicon.svg"
            | "/sw.js"
            | "/api/v1/session"
            | "/api/v1/session/password"
            | "/api/v1/session/second-factor"
            | "/api/v1/health"
            | "/api/second_factor"
    ) || path.starts_with("/pkg/")
        || path.starts_with("/vendor/")
}

/// Refuses a server function (`/api/<endpoint>`, the pages' own calls) to a role its row
/// in `app::domain::access::server_fns::SERVER_FNS` does not admit, before the function runs, the way
/// [`api_access`] guards the REST routes. A function without a row is refused to everyone.
/// The answer is the JSON error the pages' client code reads.
pub async fn server_fn_access(request: Request, next: Next) -> Response {
    let Some(endpoint) = request
        .uri()
        .path()
        .strip_prefix("/api/")
        .filter(|rest| !rest.starts_with("v1/"))
        .map(str::to_owned)
    else {
        return next.run(request).await;
    };
    let role = session_user(&request).map(|user| user.user.role);
    match app::domain::access::server_fns::server_fn(&endpoint) {
        Some(function) if function.allowed.admits(role) => next.run(request).await,
        Some(_) => refused(role, &endpoint),
        None => {
            tracing::warn!(%endpoint, "no server function of that name in domain::access::server_fns::SERVER_FNS: refused");
            AppError::Forbidden.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn requests_from_another_site_are_cross_site() {
        let public = "https://tryggkarta.example";
        let evil = headers(&[("origin", "https://evil.example"), ("host", "tryggkarta.example")]);
        assert!(is_cross_site(&evil, public));
        let evil_fetch = headers(&[("sec-fetch-site", "cross-site"), ("host", "tryggkarta.example")]);
        assert!(is_cross_site(&evil_fetch, public));
        let sibling = headers(&[("sec-fetch-site", "same-site")]);
        assert!(is_cross_site(&sibling, public));
        let opaque = headers(&[("origin", "null"), ("host", "tryggkarta.example")]);
        assert!(is_cross_site(&opaque, public));
    }

    #[test]
    fn requests_from_this_site_or_outside_a_browser_pass() {
        let public = "https://tryggkarta.example";
        let page = headers(&[
            ("origin", "https://tryggkarta.example"),
            ("sec-fetch-site", "same-origin"),
            ("host", "internal:3000"),
        ]);
        assert!(!is_cross_site(&page, public));
        let by_host = headers(&[("origin", "http://127.0.0.1:4000"), ("host", "127.0.0.1:4000")]);
        assert!(!is_cross_site(&by_host, public));
        assert!(!is_cross_site(&headers(&[("host", "127.0.0.1:4000")]), public));
    }

    #[test]
    fn nul_characters_are_found_with_their_field() {
        let body: serde_json::Value =
            serde_json::from_str(r#"{"kind":"walk","points":[{"a":1},{"vehicle":"Volvo\u0000"}]}"#).unwrap();
        assert_eq!(
            nul_in_json(&body, String::new()).as_deref(),
            Some("points[1].vehicle")
        );
        assert_eq!(nul_in_form(b"email=a%00b&password=x").as_deref(), Some("email"));
        assert_eq!(nul_in_form(b"email=a@b.se&password=x"), None);
        let clean: serde_json::Value = serde_json::from_str(r#"{"note":"ok"}"#).unwrap();
        assert_eq!(nul_in_json(&clean, String::new()), None);
    }
}
