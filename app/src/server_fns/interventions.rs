//! What the intervention pages need: the list, making one from a drawn area, and the
//! effect report.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::ids::InterventionId;
use crate::domain::intervention::{EffectReport, Intervention};
use crate::error::AppError;
use crate::settings::MapSettings;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InterventionsPage {
    pub interventions: Vec<Intervention>,
    pub map: MapSettings,
}

#[server(endpoint = "interventions_page")]
pub async fn get_interventions_page() -> Result<InterventionsPage, AppError> {
    use crate::ssr::{accounts::auth, follow_up::interventions, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    Ok(InterventionsPage {
        interventions: interventions::list(&state.db, &user, None).await?,
        map: crate::ssr::settings::map(&state).await?,
    })
}

/// Saves an intervention over a drawn area; `geometry` is GeoJSON text.
#[server(endpoint = "create_intervention")]
#[allow(clippy::too_many_arguments)] // One argument per form field.
pub async fn create_intervention(
    id: InterventionId,
    title: String,
    strategy_area: String,
    focus: String,
    starts_on: String,
    ends_on: String,
    geometry: String,
    /// Set for a circle: `geometry` is then its centre as a GeoJSON Point.
    #[server(default)]
    radius_m: Option<f64>,
) -> Result<Intervention, AppError> {
    use crate::domain::intervention::{NewIntervention, Zone};
    use crate::ssr::{accounts::auth, follow_up::interventions, infra::state::AppState};
    let user = auth::require_user().await?;
    let draw_first = || {
        AppError::invalid(
            "zone",
            "Rita insatsens område på kartan.",
            "Draw the intervention's area on the map.",
        )
    };
    let geometry: serde_json::Value = serde_json::from_str(&geometry).map_err(|_| draw_first())?;
    let zone = match radius_m {
        Some(radius_m) => {
            let centre = geometry["coordinates"].as_array().ok_or_else(draw_first)?;
            let (Some(lng), Some(lat)) = (
                centre.first().and_then(|v| v.as_f64()),
                centre.get(1).and_then(|v| v.as_f64()),
            ) else {
                return Err(draw_first());
            };
            Zone::Circle { lat, lng, radius_m }
        }
        None => Zone::Polygon { geometry },
    };
    let new = NewIntervention {
        id: Some(id),
        title,
        description: String::new(),
        strategy_area,
        focus,
        category: String::new(),
        zone,
        starts_on,
        ends_on: Some(ends_on).filter(|end| !end.trim().is_empty()),
    };
    let state = expect_context::<AppState>();
    Ok(
        interventions::create(&state.db, &user, &new, &state.config.bounds)
            .await?
            .0,
    )
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EffectPage {
    pub report: EffectReport,
    pub map: MapSettings,
}

#[server(endpoint = "effect_report")]
pub async fn get_effect_report(id: InterventionId, ring_m: Option<f64>) -> Result<EffectPage, AppError> {
    use crate::ssr::{accounts::auth, follow_up::interventions, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    Ok(EffectPage {
        report: interventions::effect(&state.db, &user, id, ring_m, &state.config.bounds).await?,
        map: crate::ssr::settings::map(&state).await?,
    })
}
