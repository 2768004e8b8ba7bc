//! `/api/v1/strategy-areas`: the action plan's areas as the steering group follows them
//! up. Police and coordinators only.

use app::domain::strategy::{StrategyPage, StrategySummary};
use app::error::AppError;
use app::ssr::state::AppState;
use app::ssr::strategy;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;

use super::{path, ErrorBody, SignedIn};

#[utoipa::path(get, path = "/api/v1/strategy-areas", tag = "strategy-areas",
    responses((status = 200, body = Vec<StrategySummary>), (status = 403, body = ErrorBody)))]
pub async fn overview(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Vec<StrategySummary>>, AppError> {
    Ok(Json(
        strategy::overview(&state.db, &user, &state.config.bounds).await?,
    ))
}

/// One area: reports now against the period before, overall and per named area, its
/// hotspots by place, and its actions.
#[utoipa::path(get, path = "/api/v1/strategy-areas/{code}", tag = "strategy-areas", params(("code" = String, Path, description = "E.g. 3, 4.2, 10")),
    responses((status = 200, body = StrategyPage), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn page(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    code: Result<Path<String>, PathRejection>,
) -> Result<Json<StrategyPage>, AppError> {
    let code = path(code)?;
    Ok(Json(
        strategy::page(&state.db, &user, &code, &state.config.bounds).await?,
    ))
}
