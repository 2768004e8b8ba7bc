//! What the walk pages need: the walk, its categories and its findings.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::category::Category;
#[cfg(feature = "ssr")]
use crate::domain::code::Code;
use crate::domain::ids::WalkId;
use crate::domain::observation::Observation;
use crate::domain::walk::Walk;
use crate::error::AppError;
use crate::settings::MapSettings;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WalkPage {
    pub walk: Walk,
    /// The walk-finding categories, in display order.
    pub categories: Vec<Category>,
    pub findings: Vec<Observation>,
    pub map: MapSettings,
    /// Coordinators may close the walk and open its protocol.
    pub may_manage: bool,
}

/// Everything the capture page shows for one walk; 404 for walks the user is not part of.
#[server(endpoint = "walk_page")]
pub async fn get_walk_page(id: WalkId) -> Result<WalkPage, AppError> {
    use crate::domain::observation::Kind;
    use crate::ssr::{
        accounts::auth, infra::state::AppState, reports::categories, reports::observations, walks,
    };

    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let walk = walks::get(&state.db, &user, id).await?;
    let categories = categories::categories(&state.db)
        .await?
        .into_iter()
        .filter(|category| category.kind == Kind::WalkFinding)
        .collect();
    let filter = observations::Filter {
        walk_id: Some(id),
        ..Default::default()
    };
    let findings = observations::list(&state.db, &user, &filter).await?;
    Ok(WalkPage {
        walk,
        categories,
        findings,
        map: crate::ssr::settings::map(&state).await?,
        may_manage: crate::domain::access::may(&user, crate::domain::access::Capability::PlanWalks),
    })
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WalksPage {
    pub walks: Vec<Walk>,
    /// Coordinators (and admins) plan, close and print walks.
    pub may_plan: bool,
    /// The drawn areas' names, a walk's place is chosen from (for those who plan).
    #[serde(default)]
    pub areas: Vec<String>,
    /// The drawn areas as GeoJSON, in the same order, to draw a walk's route among them;
    /// and the map settings — both only for those who plan.
    #[serde(default)]
    pub outlines: Vec<serde_json::Value>,
    #[serde(default)]
    pub map: Option<MapSettings>,
}

#[server(endpoint = "walks_page")]
pub async fn get_walks_page() -> Result<WalksPage, AppError> {
    use crate::domain::access::pages::Page;
    use crate::ssr::{accounts::auth, areas, infra::state::AppState, walks};
    let user = auth::require_user().await?;
    Page::Walks.require(&user)?;
    let state = expect_context::<AppState>();
    let may_plan = crate::domain::access::may(&user, crate::domain::access::Capability::PlanWalks);
    let (areas, outlines, map) = if may_plan {
        let (names, outlines) = areas::named(&state.db)
            .await?
            .into_iter()
            .map(|(name, shape)| (name, shape.to_geojson()))
            .unzip();
        (names, outlines, Some(crate::ssr::settings::map(&state).await?))
    } else {
        (Vec::new(), Vec::new(), None)
    };
    Ok(WalksPage {
        walks: walks::list(&state.db, &user).await?,
        may_plan,
        areas,
        outlines,
        map,
    })
}

/// Plans a walk; `starts_at` is the `datetime-local` value, read as Stockholm time.
#[server(endpoint = "create_walk")]
#[allow(clippy::too_many_arguments)] // One argument per form field.
pub async fn create_walk(
    id: WalkId,
    title: String,
    area: String,
    starts_at: String,
    light: String,
    route: String,
    invited: String,
    #[server(default)] previous_walk_id: String,
    #[server(default)] route_path: String,
) -> Result<Walk, AppError> {
    use crate::domain::walk::{Light, NewWalk};
    use crate::ssr::{accounts::auth, infra::state::AppState, walks};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let starts_at = crate::domain::clock::parse_local_minute(&starts_at)
        .ok_or_else(|| AppError::invalid("starts_at", "Ange datum och tid.", "Enter the date and time."))?;
    let light = Light::from_code(&light).ok_or_else(|| {
        AppError::invalid("light", "Välj dagsljus eller mörker.", "Choose daylight or dark.")
    })?;
    let new = NewWalk {
        id: Some(id),
        title,
        area,
        starts_at,
        light,
        route,
        route_path: crate::domain::walk::parse_route_path(&route_path)?,
        invited,
        previous_walk_id: match previous_walk_id.trim() {
            "" => None,
            id => Some(
                id.parse::<WalkId>()
                    .map_err(|_| AppError::invalid("previous_walk_id", "Okänd vandring.", "Unknown walk."))?,
            ),
        },
    };
    Ok(walks::create(&state.db, &user, &new).await?.0)
}

#[server(endpoint = "close_walk")]
pub async fn close_walk(id: WalkId) -> Result<Walk, AppError> {
    use crate::ssr::{accounts::auth, infra::state::AppState, walks};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    walks::close(&state.db, &user, id).await
}

/// A re-walk against the walk it follows up (`ssr::walks::rewalk`), at the usual distance.
#[server(endpoint = "rewalk")]
pub async fn get_rewalk(id: WalkId) -> Result<crate::domain::walk::RewalkReport, AppError> {
    use crate::ssr::{accounts::auth, infra::state::AppState, walks};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    walks::rewalk(&state.db, &user, id, None).await
}
