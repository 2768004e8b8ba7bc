//! `/api/v1/shifts` and the briefing the drivers read before they start.

use app::domain::shift::{NewShift, ShiftSummary, TrackPoint};
use app::error::AppError;
use app::ssr::catalogue::{self, Briefing};
use app::ssr::shifts;
use app::ssr::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{body, path, ErrorBody, SignedIn};

#[utoipa::path(post, path = "/api/v1/shifts", tag = "shifts", request_body = NewShift,
    responses((status = 201, body = ShiftSummary), (status = 403, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<NewShift>, JsonRejection>,
) -> Result<(StatusCode, Json<ShiftSummary>), AppError> {
    let new = body(new)?;
    Ok((
        StatusCode::CREATED,
        Json(shifts::start(&state.db, &user, &new).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/shifts/{id}", tag = "shifts", params(("id" = Uuid, Path)),
    responses((status = 200, body = ShiftSummary), (status = 404, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<Uuid>, PathRejection>,
) -> Result<Json<ShiftSummary>, AppError> {
    Ok(Json(shifts::summary(&state.db, &user, path(id)?).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Added {
    added: u64,
}

#[utoipa::path(post, path = "/api/v1/shifts/{id}/track", tag = "shifts", params(("id" = Uuid, Path)),
    request_body = Vec<TrackPoint>, responses((status = 200, body = Added), (status = 404, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn add_track(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<Uuid>, PathRejection>,
    points: Result<Json<Vec<TrackPoint>>, JsonRejection>,
) -> Result<Json<Added>, AppError> {
    let id = path(id)?;
    let points = body(points)?;
    let added = shifts::add_points(&state.db, &user, id, &points).await?;
    Ok(Json(Added { added }))
}

#[utoipa::path(post, path = "/api/v1/shifts/{id}/end", tag = "shifts", params(("id" = Uuid, Path)),
    responses((status = 200, body = ShiftSummary), (status = 404, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn end(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<Uuid>, PathRejection>,
) -> Result<Json<ShiftSummary>, AppError> {
    Ok(Json(shifts::end(&state.db, &user, path(id)?).await?))
}

#[utoipa::path(get, path = "/api/v1/briefing", tag = "shifts", responses((status = 200, body = Option<Briefing>), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn briefing(
    State(state): State<AppState>,
    SignedIn(_signed_in): SignedIn,
) -> Result<Json<Option<Briefing>>, AppError> {
    Ok(Json(catalogue::latest_briefing(&state.db).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewBriefing {
    body: String,
}

#[utoipa::path(post, path = "/api/v1/briefing", tag = "shifts", request_body = NewBriefing,
    responses((status = 201, body = Briefing), (status = 403, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn write_briefing(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<NewBriefing>, JsonRejection>,
) -> Result<(StatusCode, Json<Briefing>), AppError> {
    let new = body(new)?;
    Ok((
        StatusCode::CREATED,
        Json(catalogue::write_briefing(&state.db, &user, &new.body).await?),
    ))
}
