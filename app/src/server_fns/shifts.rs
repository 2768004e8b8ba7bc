//! What the grannstöd shift page needs: the briefing, recent burglary-related
//! observations, the driver's running shift, and the quick-log categories.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::category::Category;
use crate::domain::observation::Observation;
use crate::domain::shift::ShiftSummary;
use crate::domain::tasking::{FocusPlace, Tasking};
use crate::error::AppError;
use crate::settings::MapSettings;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Briefing {
    pub body: String,
    pub author: String,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub written_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftPage {
    pub briefing: Option<Briefing>,
    /// Burglary-related observations (strategy areas 6.1/6.2) of the last 14 days.
    pub burglary: Vec<Observation>,
    pub active: Option<ShiftSummary>,
    pub quick_log: Vec<Category>,
    pub map: MapSettings,
    /// Focus places, burglary hotspots and the least patrolled areas (plan 6.2).
    pub tasking: Tasking,
}

/// How far back the drivers' map of burglary-related observations reaches.
pub const BURGLARY_DAYS: i64 = 14;

#[server(endpoint = "shift_page")]
pub async fn get_shift_page() -> Result<ShiftPage, AppError> {
    use crate::domain::observation::Kind;
    use crate::ssr::{
        accounts::auth, infra::state::AppState, reports::categories, reports::observations, shifts,
        shifts::tasking,
    };

    let user = auth::require_user().await?;
    crate::domain::access::require(&user, crate::domain::access::Capability::Drive)?;
    let state = expect_context::<AppState>();
    let since = chrono::Utc::now() - chrono::TimeDelta::days(BURGLARY_DAYS);
    let filter = observations::Filter {
        since_ms: Some(observations::unix_ms(since)),
        ..Default::default()
    };
    let burglary = observations::list(&state.db, &user, &filter)
        .await?
        .into_iter()
        .filter(|o| o.strategy_area.starts_with('6'))
        .collect();
    let briefing = crate::ssr::shifts::briefing::latest_briefing(&state.db, &user)
        .await?
        .map(|b| Briefing {
            body: b.body,
            author: b.author,
            written_at: b.written_at,
        });
    let quick_log = categories::categories(&state.db)
        .await?
        .into_iter()
        .filter(|c| c.kind == Kind::PatrolObservation)
        .collect();
    Ok(ShiftPage {
        briefing,
        burglary,
        active: shifts::active(&state.db, &user).await?,
        quick_log,
        map: crate::ssr::settings::map(&state).await?,
        tasking: tasking::tasking(&state.db, &user).await?,
    })
}

/// The summary of a shift the phone has ended (its end went through the outbox first;
/// ending again changes nothing).
#[server(endpoint = "end_shift")]
pub async fn end_shift(id: crate::domain::ids::ShiftId) -> Result<ShiftSummary, AppError> {
    use crate::domain::shift::EndShift;
    use crate::ssr::{accounts::auth, infra::state::AppState, shifts};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let summary = shifts::end(&state.db, &user, id, &EndShift::default()).await?;
    // The shift is over: the ordinary idle time applies again, whichever way it ended.
    if let Ok(session) = leptos_axum::extract::<auth::AuthSession>().await {
        auth::mark_off_duty(&session.session).await?;
    }
    Ok(summary)
}

/// Police and coordinators write the briefing the drivers read before their shift.
#[server(endpoint = "write_briefing")]
pub async fn write_briefing(body: String) -> Result<(), AppError> {
    use crate::ssr::{accounts::auth, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    crate::ssr::shifts::briefing::write_briefing(&state.db, &user, &body)
        .await
        .map(|_| ())
}

/// Marks a focus place for the drivers at a place chosen on the map (police and
/// coordinators).
#[server(endpoint = "mark_focus_place")]
pub async fn mark_focus_place(
    id: crate::domain::ids::FocusPlaceId,
    title: String,
    note: String,
    lat: f64,
    lng: f64,
    until_on: String,
) -> Result<FocusPlace, AppError> {
    use crate::domain::tasking::NewFocusPlace;
    use crate::ssr::{accounts::auth, infra::state::AppState, shifts::tasking};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let new = NewFocusPlace {
        id: Some(id),
        title,
        note,
        lat,
        lng,
        radius_m: None,
        until_on: Some(until_on),
    };
    Ok(tasking::create(&state.db, &user, &new, &state.config.bounds)
        .await?
        .0)
}
