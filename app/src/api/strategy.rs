//! What the strategy-area pages need (`ssr::strategy`).

use leptos::prelude::*;

pub use crate::domain::strategy::{PlaceTrend, StrategyPage, StrategySummary, PERIOD_DAYS};
use crate::error::AppError;

/// Every strategy area at a glance. Police and coordinators only: the numbers come from
/// restricted reports.
#[server(endpoint = "strategy_overview")]
pub async fn get_strategy_overview() -> Result<Vec<StrategySummary>, AppError> {
    use crate::ssr::{auth, state::AppState, strategy};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    strategy::overview(&state.db, &user, &state.config.bounds).await
}

#[server(endpoint = "strategy_page")]
pub async fn get_strategy_page(code: String) -> Result<StrategyPage, AppError> {
    use crate::ssr::{auth, state::AppState, strategy};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    strategy::page(&state.db, &user, &code, &state.config.bounds).await
}

/// Medborgarlöften with their progress (`ssr::commitments`).
#[server(endpoint = "commitments")]
pub async fn get_commitments() -> Result<Vec<crate::domain::commitment::Commitment>, AppError> {
    use crate::ssr::{auth, commitments, state::AppState};
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
    use crate::ssr::{auth, commitments, state::AppState};
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
        measure: Measure::parse(&measure)
            .ok_or_else(|| AppError::invalid("measure", "Okänt mått.", "Unknown measure."))?,
        target: u32::try_from(number("target", &target)?).unwrap_or(0),
        year: i32::try_from(number("year", &year)?).unwrap_or(0),
        strategy_area,
    };
    let state = expect_context::<AppState>();
    commitments::create(&state.db, &user, &new).await.map(|_| ())
}
