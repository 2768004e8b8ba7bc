//! Karta, the start page: the map settings and what the user may see on them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::category::Category;
use crate::domain::map::{MapQuery, MapView};
use crate::error::AppError;
use crate::settings::MapSettings;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapPage {
    pub view: MapView,
    pub map: MapSettings,
    /// The categories to filter by (retired ones too: old reports carry them).
    pub categories: Vec<Category>,
}

#[server(endpoint = "map_page")]
pub async fn get_map_page(#[server(default)] query: MapQuery) -> Result<MapPage, AppError> {
    use crate::ssr::{accounts::auth, infra::state::AppState, reports::categories, reports::map};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    Ok(MapPage {
        view: map::view(&state.db, &user, &query, &state.config.bounds).await?,
        map: crate::ssr::settings::map(&state).await?,
        categories: categories::all_categories(&state.db).await?,
    })
}
