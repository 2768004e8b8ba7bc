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
