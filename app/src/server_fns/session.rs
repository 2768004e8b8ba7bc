//! The settings the map page starts from.

use leptos::prelude::*;

use crate::error::AppError;
use crate::settings::MapSettings;

/// Tiles and starting view for the map, as configured on the server. Anyone signed in.
#[server(endpoint = "map_settings")]
pub async fn get_map_settings() -> Result<MapSettings, AppError> {
    crate::ssr::accounts::auth::require_user().await?;
    let state = expect_context::<crate::ssr::infra::state::AppState>();
    crate::ssr::settings::map(&state).await
}

/// The account page's view of the user's second factor.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SecondFactor {
    pub enabled: bool,
    /// Required for this user's role (`TRYGGKARTA_REQUIRE_MFA`): cannot be turned off.
    pub required: bool,
    /// Being set up in this session: the secret, in groups of four for typing, the
    /// `otpauth://` address and its QR code.
    pub pending: Option<PendingSecondFactor>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PendingSecondFactor {
    pub secret: String,
    pub url: String,
    pub qr_svg: String,
}

#[server(endpoint = "second_factor")]
pub async fn get_second_factor() -> Result<SecondFactor, AppError> {
    use crate::ssr::{accounts::auth, infra::totp};
    let session = leptos_axum::extract::<auth::AuthSession>()
        .await
        .map_err(|_| AppError::Internal)?;
    let user = session.user.as_ref().ok_or(AppError::Unauthorized)?;
    let state = expect_context::<crate::ssr::infra::state::AppState>();
    let pending: Option<totp::Pending> = session.session.get(totp::PENDING_SECRET).await.map_err(|err| {
        tracing::error!(error = %err, "session store failed");
        AppError::Internal
    })?;
    let pending = match pending.and_then(|pending| pending.secret_of(user.user.id)) {
        Some(secret) => {
            let url = totp::otpauth_url(&secret, &user.user.email, &totp::issuer(&state.config.public_url));
            Some(PendingSecondFactor {
                qr_svg: totp::qr_svg(&url).ok_or(AppError::Internal)?,
                secret: secret
                    .as_bytes()
                    .chunks(4)
                    .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
                    .collect::<Vec<_>>()
                    .join(" "),
                url,
            })
        }
        None => None,
    };
    Ok(SecondFactor {
        enabled: user.second_factor,
        required: state.config.require_mfa && crate::domain::access::second_factor_required(user.user.role),
        pending,
    })
}
