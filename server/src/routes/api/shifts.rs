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

use super::{body, path, SignedIn};

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

pub async fn get(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<Uuid>, PathRejection>,
) -> Result<Json<ShiftSummary>, AppError> {
    Ok(Json(shifts::summary(&state.db, &user, path(id)?).await?))
}

#[derive(Serialize)]
pub struct Added {
    added: u64,
}

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

pub async fn end(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<Uuid>, PathRejection>,
) -> Result<Json<ShiftSummary>, AppError> {
    Ok(Json(shifts::end(&state.db, &user, path(id)?).await?))
}

pub async fn briefing(
    State(state): State<AppState>,
    SignedIn(_): SignedIn,
) -> Result<Json<Option<Briefing>>, AppError> {
    Ok(Json(catalogue::latest_briefing(&state.db).await?))
}

#[derive(Deserialize)]
pub struct NewBriefing {
    body: String,
}

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
