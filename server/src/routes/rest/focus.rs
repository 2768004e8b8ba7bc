//! `/api/v1/focus-problems`: the focus problems of the strategy areas, with their cause
//! analysis, goal and the activities that serve them (police and coordinators).

use app::domain::focus::{FocusProblem, LinkActivity, NewFocusProblem};
use app::domain::ids::FocusProblemId;
use app::error::AppError;
use app::ssr::follow_up::focus;
use app::ssr::infra::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use super::extract::{body, created_status, path, query, SignedIn};
use crate::routes::errors::ErrorBody;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Only this strategy area's.
    strategy_area: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/focus-problems", tag = "strategy", params(ListQuery),
    responses((status = 200, body = Vec<FocusProblem>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    wanted: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Vec<FocusProblem>>, AppError> {
    let wanted = query(wanted)?;
    Ok(Json(
        focus::list(&state.db, &user, wanted.strategy_area.as_deref()).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/focus-problems", tag = "strategy", request_body = NewFocusProblem,
    responses((status = 201, body = FocusProblem), (status = 200, description = "Redan sparad (already stored)", body = FocusProblem),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<NewFocusProblem>, JsonRejection>,
) -> Result<(StatusCode, Json<FocusProblem>), AppError> {
    let (stored, created) = focus::create(&state.db, &user, &body(new)?).await?;
    Ok((created_status(created), Json(stored)))
}

#[utoipa::path(get, path = "/api/v1/focus-problems/{id}", tag = "strategy", params(("id" = Uuid, Path)),
    responses((status = 200, body = FocusProblem), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<FocusProblemId>, PathRejection>,
) -> Result<Json<FocusProblem>, AppError> {
    let found = focus::find(&state.db, &user, path(id)?).await?;
    Ok(Json(found.ok_or(AppError::NotFound)?))
}

#[utoipa::path(put, path = "/api/v1/focus-problems/{id}", tag = "strategy", params(("id" = Uuid, Path)),
    request_body = NewFocusProblem,
    responses((status = 200, body = FocusProblem), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<FocusProblemId>, PathRejection>,
    new: Result<Json<NewFocusProblem>, JsonRejection>,
) -> Result<Json<FocusProblem>, AppError> {
    let id = path(id)?;
    Ok(Json(focus::update(&state.db, &user, id, &body(new)?).await?))
}

/// Makes an action or an intervention serve the problem.
#[utoipa::path(post, path = "/api/v1/focus-problems/{id}/activities", tag = "strategy", params(("id" = Uuid, Path)),
    request_body = LinkActivity,
    responses((status = 200, body = FocusProblem), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn link(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<FocusProblemId>, PathRejection>,
    activity: Result<Json<LinkActivity>, JsonRejection>,
) -> Result<Json<FocusProblem>, AppError> {
    let id = path(id)?;
    Ok(Json(focus::link(&state.db, &user, id, &body(activity)?).await?))
}
