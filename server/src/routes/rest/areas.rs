//! `/api/v1/areas`: the named areas and the municipality boundary. Everyone signed in
//! may read them (they are names of places); coordinators and admins keep them.

use app::domain::area::{Area, NewArea};
use app::domain::ids::AreaId;
use app::error::AppError;
use app::ssr::areas;
use app::ssr::infra::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use super::extract::{body, path, SignedIn};
use crate::routes::errors::ErrorBody;

#[utoipa::path(get, path = "/api/v1/areas", tag = "areas",
    responses((status = 200, body = Vec<Area>), (status = 401, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, _signed_in: SignedIn) -> Result<Json<Vec<Area>>, AppError> {
    Ok(Json(areas::list(&state.db).await?))
}

/// A new named area, or a new municipality boundary (which replaces the one before).
#[utoipa::path(post, path = "/api/v1/areas", tag = "areas", request_body = NewArea,
    responses((status = 201, body = Area), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, description = "Ogiltigt namn eller område, fältet namngivet", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<NewArea>, JsonRejection>,
) -> Result<(StatusCode, Json<Area>), AppError> {
    let area = areas::create(&state.db, &state.places, &user, &body(new)?, &state.config.bounds).await?;
    Ok((StatusCode::CREATED, Json(area)))
}

#[utoipa::path(get, path = "/api/v1/areas/{id}", tag = "areas", params(("id" = Uuid, Path)),
    responses((status = 200, body = Area), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    _signed_in: SignedIn,
    id: Result<Path<AreaId>, PathRejection>,
) -> Result<Json<Area>, AppError> {
    Ok(Json(areas::get(&state.db, path(id)?).await?))
}

/// Renames or redraws an area.
#[utoipa::path(put, path = "/api/v1/areas/{id}", tag = "areas", params(("id" = Uuid, Path)), request_body = NewArea,
    responses((status = 200, body = Area), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<AreaId>, PathRejection>,
    new: Result<Json<NewArea>, JsonRejection>,
) -> Result<Json<Area>, AppError> {
    let id = path(id)?;
    let new = body(new)?;
    Ok(Json(
        areas::update(&state.db, &state.places, &user, id, &new, &state.config.bounds).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/areas/{id}", tag = "areas", params(("id" = Uuid, Path)),
    responses((status = 204, description = "Borttaget (removed)"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<AreaId>, PathRejection>,
) -> Result<StatusCode, AppError> {
    areas::remove(&state.db, &state.places, &user, path(id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
