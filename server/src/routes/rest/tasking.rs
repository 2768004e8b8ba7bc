//! `/api/v1/focus-places` and `/api/v1/tasking`: the police's focus places for the
//! grannstöd drivers, and what the shift page shows about where to drive.

use app::domain::ids::FocusPlaceId;
use app::domain::tasking::{FocusPlace, NewFocusPlace, Tasking};
use app::error::AppError;
use app::ssr::infra::state::AppState;
use app::ssr::shifts::tasking;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use super::extract::{body, created_status, path, SignedIn};
use crate::routes::errors::ErrorBody;

/// The focus places in force (drivers: volunteers, police, coordinators).
#[utoipa::path(get, path = "/api/v1/focus-places", tag = "tasking",
    responses((status = 200, body = Vec<FocusPlace>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Vec<FocusPlace>>, AppError> {
    Ok(Json(tasking::list(&state.db, &user).await?))
}

/// Marks a focus place (police and coordinators).
#[utoipa::path(post, path = "/api/v1/focus-places", tag = "tasking", request_body = NewFocusPlace,
    responses((status = 201, body = FocusPlace), (status = 200, description = "Redan sparad (already stored)", body = FocusPlace),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<NewFocusPlace>, JsonRejection>,
) -> Result<(StatusCode, Json<FocusPlace>), AppError> {
    let (stored, created) = tasking::create(&state.db, &user, &body(new)?, &state.config.bounds).await?;
    Ok((created_status(created), Json(stored)))
}

#[utoipa::path(delete, path = "/api/v1/focus-places/{id}", tag = "tasking", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<FocusPlaceId>, PathRejection>,
) -> Result<StatusCode, AppError> {
    tasking::remove(&state.db, &user, path(id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Focus places, burglary hotspots of the last 30 days (from the reports the role may see) and
/// the named areas least covered by patrol tracks.
#[utoipa::path(get, path = "/api/v1/tasking", tag = "tasking",
    responses((status = 200, body = Tasking), (status = 403, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, SignedIn(user): SignedIn) -> Result<Json<Tasking>, AppError> {
    Ok(Json(tasking::tasking(&state.db, &user).await?))
}
