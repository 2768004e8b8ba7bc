//! What the walk pages need: the walk, its categories and its findings.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::category::Category;
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
pub async fn get_walk_page(id: Uuid) -> Result<WalkPage, AppError> {
    use crate::domain::observation::Kind;
    use crate::ssr::{auth, catalogue, observations, state::AppState, walks};

    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let walk = walks::get(&state.db, &user, id).await?;
    let categories = catalogue::categories(&state.db)
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
        map: state.config.map.clone(),
        may_manage: walks::may_plan(user.role),
    })
}
