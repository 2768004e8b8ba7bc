//! What the strategy-area pages need (`ssr::follow_up::strategy`).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::code::Code;

pub use crate::domain::strategy::{PlaceTrend, StrategyPage, StrategySummary, PERIOD_DAYS};
use crate::error::AppError;

/// Every strategy area at a glance. Police and coordinators only: the numbers come from
/// restricted reports.
#[server(endpoint = "strategy_overview")]
pub async fn get_strategy_overview() -> Result<Vec<StrategySummary>, AppError> {
    use crate::ssr::{accounts::auth, follow_up::strategy, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    strategy::overview(&state.db, &user, &state.config.bounds).await
}

#[server(endpoint = "strategy_page")]
pub async fn get_strategy_page(code: String) -> Result<StrategyPage, AppError> {
    use crate::ssr::{accounts::auth, follow_up::strategy, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    strategy::page(&state.db, &user, &code, &state.config.bounds).await
}

/// Medborgarlöften with their progress (`ssr::follow_up::commitments`).
#[server(endpoint = "commitments")]
pub async fn get_commitments() -> Result<Vec<crate::domain::commitment::Commitment>, AppError> {
    use crate::ssr::{accounts::auth, follow_up::commitments, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    commitments::list(&state.db, &user).await
}

/// Records a commitment from the form.
#[server(endpoint = "add_commitment")]
pub async fn add_commitment(
    party: String,
    text: String,
    measure: String,
    target: String,
    year: String,
    strategy_area: String,
) -> Result<(), AppError> {
    use crate::domain::commitment::{Measure, NewCommitment};
    use crate::ssr::{accounts::auth, follow_up::commitments, infra::state::AppState};
    let user = auth::require_user().await?;
    let number = |field: &str, value: &str| {
        value
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::invalid(field, "Skriv ett heltal.", "Write a whole number."))
    };
    let new = NewCommitment {
        party,
        text,
        measure: Measure::from_code(&measure)
            .ok_or_else(|| AppError::invalid("measure", "Okänt mått.", "Unknown measure."))?,
        target: u32::try_from(number("target", &target)?).unwrap_or(0),
        year: i32::try_from(number("year", &year)?).unwrap_or(0),
        strategy_area,
    };
    let state = expect_context::<AppState>();
    commitments::create(&state.db, &user, &new).await.map(|_| ())
}

/// Saves a new focus problem of a strategy area, from the form's flat fields.
#[server(endpoint = "add_focus_problem")]
#[allow(clippy::too_many_arguments)] // One argument per form field.
pub async fn add_focus_problem(
    id: crate::domain::ids::FocusProblemId,
    strategy_area: String,
    title: String,
    problem: String,
    cause_place: String,
    cause_offender: String,
    cause_target: String,
    managers: String,
    handlers: String,
    guardians: String,
    goal: String,
    measure: String,
    goal_on: String,
) -> Result<crate::domain::focus::FocusProblem, AppError> {
    use crate::domain::focus::{CauseAnalysis, NewFocusProblem};
    use crate::ssr::{accounts::auth, follow_up::focus, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let new = NewFocusProblem {
        id: Some(id),
        strategy_area,
        title,
        problem,
        causes: CauseAnalysis {
            place: cause_place,
            offender: cause_offender,
            target: cause_target,
            managers,
            handlers,
            guardians,
        },
        goal,
        measure,
        goal_on,
    };
    Ok(focus::create(&state.db, &user, &new).await?.0)
}

/// Links an action or an intervention to a focus problem; `activity` is
/// `action:<id>` or `intervention:<id>`.
#[server(endpoint = "link_activity")]
pub async fn link_activity(
    focus_problem: crate::domain::ids::FocusProblemId,
    activity: String,
) -> Result<crate::domain::focus::FocusProblem, AppError> {
    use crate::domain::focus::LinkActivity;
    use crate::ssr::{accounts::auth, follow_up::focus, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let unknown = || {
        AppError::invalid(
            "activity",
            "Välj en åtgärd eller insats.",
            "Choose an action or an intervention.",
        )
    };
    let (kind, id) = activity.split_once(':').ok_or_else(unknown)?;
    let link = match kind {
        "action" => LinkActivity {
            action_id: Some(id.parse().map_err(|_| unknown())?),
            ..Default::default()
        },
        "intervention" => LinkActivity {
            intervention_id: Some(id.parse().map_err(|_| unknown())?),
            ..Default::default()
        },
        _ => return Err(unknown()),
    };
    focus::link(&state.db, &user, focus_problem, &link).await
}
