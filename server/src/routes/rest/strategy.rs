//! `/api/v1/strategy-areas`: the action plan's areas as the steering group follows them
//! up. Police and coordinators only.

use app::domain::strategy::{StrategyPage, StrategySummary};
use app::error::AppError;
use app::ssr::follow_up::strategy;
use app::ssr::infra::state::AppState;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;

use super::extract::{path, SignedIn};
use crate::routes::errors::ErrorBody;

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

/// Medborgarlöften with their progress, counted from the records.
#[utoipa::path(get, path = "/api/v1/commitments", tag = "strategy-areas",
    responses((status = 200, body = Vec<app::domain::commitment::Commitment>), (status = 403, body = ErrorBody)))]
pub async fn commitments(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Vec<app::domain::commitment::Commitment>>, AppError> {
    Ok(Json(
        app::ssr::follow_up::commitments::list(&state.db, &user).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/commitments", tag = "strategy-areas", request_body = app::domain::commitment::NewCommitment,
    responses((status = 201, body = app::domain::commitment::Commitment), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_commitment(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<app::domain::commitment::NewCommitment>, axum::extract::rejection::JsonRejection>,
) -> Result<(axum::http::StatusCode, Json<app::domain::commitment::Commitment>), AppError> {
    let new = super::extract::body(new)?;
    let stored = app::ssr::follow_up::commitments::create(&state.db, &user, &new).await?;
    Ok((axum::http::StatusCode::CREATED, Json(stored)))
}
