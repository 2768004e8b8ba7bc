//! What the areas page needs: the kept areas, and saving or removing one.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::area::{Area, AreaKind};
use crate::domain::ids::AreaId;
use crate::error::AppError;
use crate::settings::MapSettings;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreasPage {
    pub areas: Vec<Area>,
    pub map: MapSettings,
}

#[server(endpoint = "areas_page")]
pub async fn get_areas_page() -> Result<AreasPage, AppError> {
    use crate::ssr::{accounts::auth, areas, infra::state::AppState};
    let user = auth::require_user().await?;
    crate::domain::access::require(&user, crate::domain::access::Capability::EditPlaces)?;
    let state = expect_context::<AppState>();
    Ok(AreasPage {
        areas: areas::list(&state.db).await?,
        map: crate::ssr::settings::map(&state).await?,
    })
}

/// Saves a drawn or uploaded area, a new one or (with `id`) a new version of one;
/// `geometry` is GeoJSON text.
#[server(endpoint = "save_area")]
pub async fn save_area(
    #[server(default)] id: Option<AreaId>,
    name: String,
    kind: AreaKind,
    geometry: String,
) -> Result<Area, AppError> {
    use crate::domain::area::NewArea;
    use crate::ssr::{accounts::auth, areas, infra::state::AppState};
    let user = auth::require_user().await?;
    let geometry = serde_json::from_str(&geometry).map_err(|_| {
        AppError::invalid(
            "geometry",
            "Filen är inte GeoJSON (kunde inte läsas som JSON).",
            "The file is not GeoJSON (it could not be read as JSON).",
        )
    })?;
    let state = expect_context::<AppState>();
    let new = NewArea { name, kind, geometry };
    match id {
        Some(id) => areas::update(&state.db, &state.places, &user, id, &new, &state.config.bounds).await,
        None => areas::create(&state.db, &state.places, &user, &new, &state.config.bounds).await,
    }
}

#[server(endpoint = "remove_area")]
pub async fn remove_area(id: AreaId) -> Result<(), AppError> {
    use crate::ssr::{accounts::auth, areas, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    areas::remove(&state.db, &state.places, &user, id).await
}
