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
    #[error("för många försök (rate limited)")]
    TooManyAttempts,
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
    #[error("internt fel (internal error)")]
    Internal,
    /// Transport problems between browser and server (offline, bad response).
    #[error("kommunikationsfel: {0}")]
    Transport(String),
}

impl AppError {
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
            AppError::TooManyAttempts => "too_many_attempts",
            AppError::Invalid { .. } => "invalid_input",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::UnsupportedMedia => "unsupported_media_type",
            AppError::Conflict { .. } => "conflict",
            AppError::CrossSite => "cross_site",
            AppError::Upstream { .. } => "upstream_failed",
            AppError::SecondFactorRequired => "second_factor_required",
            AppError::Internal => "internal",
            AppError::Transport(_) => "transport",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let (sv, en) = match self {
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
            AppError::TooManyAttempts => (
                "För många misslyckade inloggningar. Vänta en kvart och försök igen.",
                "Too many failed sign-ins. Wait fifteen minutes and try again.",
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
mod ssr {
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};
    use axum::Json;

    use super::AppError;
    use crate::i18n::Lang;

    impl AppError {
        pub fn status(&self) -> StatusCode {
            match self {
                AppError::Unauthorized | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
                AppError::Forbidden | AppError::CrossSite | AppError::SecondFactorRequired => {
                    StatusCode::FORBIDDEN
                }
                AppError::NotFound => StatusCode::NOT_FOUND,
                AppError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
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
            (self.status(), Json(body)).into_response()
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(err: sqlx::Error) -> Self {
            tracing::error!(error = %err, "database error");
            AppError::Internal
        }
    }
}
