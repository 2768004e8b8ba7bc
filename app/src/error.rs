//! The one error type that crosses the boundary between server and browser.
//!
//! Server functions return it, the REST API renders it as `{ "error", "message",
//! "message_en" }` with a fitting status, and the UI shows `message` in the user's
//! language. Internal failures carry no detail: that is logged on the server where the
//! error is converted, never sent to the user.

#[cfg(feature = "ui")]
use leptos::prelude::ServerFnErrorErr;
#[cfg(feature = "ui")]
use leptos::server_fn::{codec::JsonEncoding, error::FromServerFnError};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("inte inloggad (not signed in)")]
    Unauthorized,
    #[error("ingen behörighet (forbidden)")]
    Forbidden,
    #[error("hittades inte (not found)")]
    NotFound,
    #[error("fel e-postadress eller lösenord (invalid credentials)")]
    InvalidCredentials,
    /// Too many wrong guesses at something secret, in the window of `ssr::infra::attempts::Attempt`.
    #[error("för många försök (rate limited): {0:?}")]
    TooManyAttempts(Guessed),
    /// A user's share of something costly in bulk is used up for now (the per-user
    /// limits of `server::routes::limits`); one more is allowed in `retry_after_s`.
    #[error("gränsen är nådd (limit reached): {limit:?}")]
    OverLimit { limit: Limit, retry_after_s: u64 },
    #[error("ogiltigt värde i {field}: {sv} ({en})")]
    Invalid { field: String, sv: String, en: String },
    #[error("för stor förfrågan (payload too large)")]
    PayloadTooLarge,
    #[error("filtypen stöds inte (unsupported media type)")]
    UnsupportedMedia,
    #[error("konflikt: {sv} ({en})")]
    Conflict { sv: String, en: String },
    /// A state-changing request that a browser says came from another site.
    #[error("förfrågan från en annan webbplats (cross-site request)")]
    CrossSite,
    /// A service the server relies on (the mail server) failed; says which and why.
    #[error("tjänsten svarade inte: {sv} ({en})")]
    Upstream { sv: String, en: String },
    /// Police and admins must set up a second factor first (`TRYGGKARTA_REQUIRE_MFA`).
    #[error("tvåstegsverifiering krävs (two-step verification required)")]
    SecondFactorRequired,
    /// The right password for an account an admin has disabled: said only to someone
    /// who knows the password, so the answer reveals nothing to a guesser.
    #[error("kontot är avstängt (the account is disabled)")]
    AccountDisabled,
    /// Signed in with a one-time password: choose one's own first.
    #[error("byt lösenord först (change your password first)")]
    PasswordChangeRequired,
    #[error("internt fel (internal error)")]
    Internal,
    /// Transport problems between browser and server (offline, bad response).
    #[error("kommunikationsfel: {0}")]
    Transport(String),
}

/// What was guessed too often: each has its own limit, and its own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Guessed {
    SignIn,
    /// A second-factor code from the authenticator app.
    Code,
    /// One's own password, asked before a change to one's account.
    OwnPassword,
    /// A walk's join code, from one connection.
    JoinCode,
    /// A resident's tip (`/tipsa`), from one connection: not a guess, but limited alike.
    Tip,
    /// Tips waiting for review from everyone at once, beyond what the queue takes.
    TipsWaiting,
}

/// A per-user limit on something costly in bulk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Limit {
    /// Reports and photos sent.
    Submissions,
    /// Files of records fetched (CSV, GeoJSON).
    Exports,
}

/// Failed guesses are remembered this long (`ssr::infra::attempts::Attempt`), so a refused guesser
/// may try again after it.
pub const GUESS_WINDOW_S: u64 = 15 * 60;

/// A wait in words: "30 sekunder", "en minut", "5 minuter".
fn wait(seconds: u64, lang: Lang) -> String {
    let minutes = seconds.div_ceil(60);
    match (seconds, minutes, lang) {
        (0..=1, _, Lang::Sv) => "1 sekund".to_owned(),
        (0..=1, _, Lang::En) => "1 second".to_owned(),
        (0..=59, _, Lang::Sv) => format!("{seconds} sekunder"),
        (0..=59, _, Lang::En) => format!("{seconds} seconds"),
        (_, 1, _) => lang.pick("en minut", "a minute").to_owned(),
        (_, _, Lang::Sv) => format!("{minutes} minuter"),
        (_, _, Lang::En) => format!("{minutes} minutes"),
    }
}

/// The words for a per-user limit reached, with the wait.
fn over_limit(limit: Limit, retry_after_s: u64, lang: Lang) -> String {
    let wait = wait(retry_after_s, lang);
    match (limit, lang) {
        (Limit::Submissions, Lang::Sv) => format!(
            "Du har skickat ovanligt många rapporter och bilder på kort tid. De ligger kvar i telefonen och skickas om {wait}."
        ),
        (Limit::Submissions, Lang::En) => format!(
            "You have sent unusually many reports and photos in a short time. They stay on the phone and are sent in {wait}."
        ),
        (Limit::Exports, Lang::Sv) => format!("Du har hämtat många filer den senaste timmen. Försök igen om {wait}."),
        (Limit::Exports, Lang::En) => format!("You have downloaded many files in the last hour. Try again in {wait}."),
    }
}

impl AppError {
    /// How long until trying again makes sense, for a `Retry-After` header.
    pub fn retry_after_s(&self) -> Option<u64> {
        match self {
            AppError::TooManyAttempts(_) => Some(GUESS_WINDOW_S),
            AppError::OverLimit { retry_after_s, .. } => Some(*retry_after_s),
            _ => None,
        }
    }

    pub fn conflict(sv: &str, en: &str) -> Self {
        AppError::Conflict {
            sv: sv.to_owned(),
            en: en.to_owned(),
        }
    }

    pub fn invalid(field: &str, sv: &str, en: &str) -> Self {
        AppError::Invalid {
            field: field.to_owned(),
            sv: sv.to_owned(),
            en: en.to_owned(),
        }
    }

    /// A stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::TooManyAttempts(_) => "too_many_attempts",
            AppError::OverLimit {
                limit: Limit::Submissions,
                ..
            } => "too_many_submissions",
            AppError::OverLimit {
                limit: Limit::Exports,
                ..
            } => "too_many_exports",
            AppError::Invalid { .. } => "invalid_input",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::UnsupportedMedia => "unsupported_media_type",
            AppError::Conflict { .. } => "conflict",
            AppError::CrossSite => "cross_site",
            AppError::Upstream { .. } => "upstream_failed",
            AppError::SecondFactorRequired => "second_factor_required",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::AccountDisabled => "account_disabled",
            AppError::Internal => "internal",
            AppError::Transport(_) => "transport",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let (sv, en) = match self {
            AppError::OverLimit { limit, retry_after_s } => return over_limit(*limit, *retry_after_s, lang),
            AppError::Unauthorized => ("Du behöver logga in.", "Please sign in."),
            AppError::Forbidden => (
                "Du har inte behörighet till det här.",
                "You do not have access to this.",
            ),
            AppError::NotFound => ("Det du söker finns inte.", "Not found."),
            AppError::InvalidCredentials => (
                "Fel e-postadress eller lösenord.",
                "Wrong email address or password.",
            ),
            AppError::TooManyAttempts(Guessed::SignIn) => (
                "För många misslyckade inloggningar. Vänta en kvart och försök igen.",
                "Too many failed sign-ins. Wait fifteen minutes and try again.",
            ),
            AppError::TooManyAttempts(Guessed::Code) => (
                "För många felaktiga koder. Vänta en kvart och försök igen.",
                "Too many wrong codes. Wait fifteen minutes and try again.",
            ),
            AppError::TooManyAttempts(Guessed::OwnPassword) => (
                "För många felaktiga lösenord. Vänta en kvart och försök igen.",
                "Too many wrong passwords. Wait fifteen minutes and try again.",
            ),
            AppError::TooManyAttempts(Guessed::Tip) => (
                "Du har skickat flera tips på kort tid. Vänta en kvart och skicka sedan igen.",
                "You have sent several tips in a short time. Wait fifteen minutes and send again.",
            ),
            AppError::TooManyAttempts(Guessed::TipsWaiting) => (
                "Just nu väntar många tips på granskning. Försök igen senare, eller ring polisen på 114 14 om det är bråttom (112 vid fara).",
                "Many tips are waiting for review right now. Try again later, or call the police on 114 14 if it is urgent (112 in danger).",
            ),
            AppError::TooManyAttempts(Guessed::JoinCode) => (
                "För många felaktiga vandringskoder från den här uppkopplingen. Vänta en kvart och försök igen.",
                "Too many wrong walk codes from this connection. Wait fifteen minutes and try again.",
            ),
            AppError::Invalid { sv, en, .. } => (sv.as_str(), en.as_str()),
            AppError::PayloadTooLarge => ("Förfrågan är för stor.", "The request is too large."),
            AppError::UnsupportedMedia => (
                "Filen är inte en bild som stöds. Använd JPEG, PNG eller WebP.",
                "The file is not a supported image. Use JPEG, PNG or WebP.",
            ),
            AppError::Conflict { sv, en } | AppError::Upstream { sv, en } => (sv.as_str(), en.as_str()),
            AppError::CrossSite => (
                "Förfrågan kom från en annan webbplats och avvisades. Öppna Tryggkarta direkt och försök igen.",
                "The request came from another website and was refused. Open Tryggkarta directly and try again.",
            ),
            AppError::SecondFactorRequired => (
                "Slå först på tvåstegsverifiering under Mitt konto.",
                "First turn on two-step verification under My account.",
            ),
            AppError::AccountDisabled => (
                "Kontot är avstängt. Kontakta den som administrerar Tryggkarta i kommunen om du ska kunna logga in igen.",
                "The account is disabled. Contact whoever administers Tryggkarta in the municipality if you need to sign in again.",
            ),
            AppError::PasswordChangeRequired => (
                "Välj först ett eget lösenord under Mitt konto.",
                "First choose your own password under My account.",
            ),
            AppError::Internal => (
                "Något gick fel på servern. Försök igen om en stund.",
                "Something went wrong on the server. Please try again shortly.",
            ),
            AppError::Transport(_) => (
                "Kunde inte nå servern. Kontrollera uppkopplingen.",
                "Could not reach the server. Check your connection.",
            ),
        };
        lang.pick(sv, en).to_owned()
    }
}

#[cfg(feature = "ui")]
impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => AppError::Invalid {
                field: "form".to_owned(),
                sv: format!("Formuläret kunde inte läsas: {msg}"),
                en: format!("The form could not be read: {msg}"),
            },
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
pub use ssr::Corrupt;

#[cfg(feature = "ssr")]
mod ssr {
    use axum::http::{header, HeaderValue, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::Json;

    use super::AppError;
    use crate::i18n::Lang;

    impl AppError {
        pub fn status(&self) -> StatusCode {
            match self {
                AppError::Unauthorized | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
                AppError::Forbidden
                | AppError::CrossSite
                | AppError::SecondFactorRequired
                | AppError::PasswordChangeRequired
                | AppError::AccountDisabled => StatusCode::FORBIDDEN,
                AppError::NotFound => StatusCode::NOT_FOUND,
                AppError::TooManyAttempts(_) | AppError::OverLimit { .. } => StatusCode::TOO_MANY_REQUESTS,
                AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                AppError::UnsupportedMedia => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                AppError::Conflict { .. } => StatusCode::CONFLICT,
                AppError::Upstream { .. } => StatusCode::BAD_GATEWAY,
                AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
            }
        }
    }

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let mut body = serde_json::json!({
                "error": self.code(),
                "message": self.message(Lang::Sv),
                "message_en": self.message(Lang::En),
            });
            if let AppError::Invalid { field, .. } = &self {
                body["field"] = serde_json::Value::String(field.clone());
            }
            let mut response = (self.status(), Json(body)).into_response();
            if let Some(seconds) = self.retry_after_s() {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
    }

    /// A row with a value that does not read: logged with table, id and column where it
    /// was read (`ssr::infra::decode`), answered as an internal error.
    #[derive(Debug, thiserror::Error)]
    #[error("a stored value cannot be read (logged with its table, id and column)")]
    pub struct Corrupt;

    impl From<sqlx::Error> for AppError {
        fn from(err: sqlx::Error) -> Self {
            match &err {
                sqlx::Error::Decode(source) if source.is::<Corrupt>() => {}
                _ => tracing::error!(error = %err, "database error"),
            }
            AppError::Internal
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_is_said_in_words_as_the_header_counts_it() {
        assert_eq!(wait(0, Lang::Sv), "1 sekund");
        assert_eq!(wait(30, Lang::Sv), "30 sekunder");
        assert_eq!(wait(60, Lang::Sv), "en minut");
        assert_eq!(wait(61, Lang::Sv), "2 minuter");
        assert_eq!(wait(1800, Lang::En), "30 minutes");
    }

    #[test]
    fn each_limit_has_its_own_code_and_words() {
        let exports = AppError::OverLimit {
            limit: Limit::Exports,
            retry_after_s: 1800,
        };
        assert_eq!(exports.code(), "too_many_exports");
        assert_eq!(exports.retry_after_s(), Some(1800));
        assert!(exports.message(Lang::Sv).ends_with("Försök igen om 30 minuter."));
        let guesses = [
            Guessed::SignIn,
            Guessed::Code,
            Guessed::OwnPassword,
            Guessed::JoinCode,
            Guessed::Tip,
            Guessed::TipsWaiting,
        ];
        let words: std::collections::HashSet<String> = guesses
            .iter()
            .map(|&guessed| AppError::TooManyAttempts(guessed).message(Lang::Sv))
            .collect();
        assert_eq!(words.len(), guesses.len(), "{words:?}");
    }
}
