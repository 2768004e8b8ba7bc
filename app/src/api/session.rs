//! Who is signed in, and the settings the map page starts from.

use leptos::prelude::*;

use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::settings::MapSettings;

/// The signed-in user, or `None`.
#[server(endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::ssr::auth::current_user().await)
}

/// Tiles and starting view for the map, as configured on the server. Anyone signed in.
#[server(endpoint = "map_settings")]
pub async fn get_map_settings() -> Result<MapSettings, AppError> {
    crate::ssr::auth::require_user().await?;
    let state = expect_context::<crate::ssr::state::AppState>();
    Ok(state.config.map.clone())
}
