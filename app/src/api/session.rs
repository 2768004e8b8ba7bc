//! The settings the map page starts from.

use leptos::prelude::*;

use crate::error::AppError;
use crate::settings::MapSettings;

/// Tiles and starting view for the map, as configured on the server. Anyone signed in.
#[server(endpoint = "map_settings")]
pub async fn get_map_settings() -> Result<MapSettings, AppError> {
    crate::ssr::auth::require_user().await?;
    let state = expect_context::<crate::ssr::state::AppState>();
    crate::ssr::settings::map(&state).await
}
