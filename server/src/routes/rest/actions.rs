//! `/api/v1/actions`: åtgärder and their follow-ups, for police and coordinators.

use app::domain::action::{self, Action, FollowUp, NewAction};
use app::domain::ids::ActionId;
use app::error::AppError;
use app::i18n::Lang;
use app::ssr::follow_up::actions::{self as actions_store, ActionFilter};
use app::ssr::infra::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::extract::{body, created_status, path, query, SignedIn};
use crate::routes::errors::ErrorBody;

/// A new action linked to what it answers. Sending the same `id` again returns the stored
/// action with 200 instead of 201.
#[utoipa::path(post, path = "/api/v1/actions", tag = "actions", request_body = NewAction,
    responses((status = 201, body = Action), (status = 200, description = "Redan sparad (already stored)", body = Action),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<NewAction>, JsonRejection>,
) -> Result<(StatusCode, Json<Action>), AppError> {
    let (stored, created) = actions_store::create(&state.db, &user, &body(new)?).await?;
    Ok((created_status(created), Json(stored)))
}

#[utoipa::path(get, path = "/api/v1/actions", tag = "actions", params(ActionFilter),
    responses((status = 200, body = Vec<Action>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    filter: Result<Query<ActionFilter>, QueryRejection>,
) -> Result<Json<Vec<Action>>, AppError> {
    Ok(Json(
        actions_store::list(&state.db, &user, &query(filter)?).await?,
    ))
}

/// The same list as CSV for Swedish Excel, with names in words.
#[utoipa::path(get, path = "/api/v1/actions.csv", tag = "actions", params(ActionFilter),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody)))]
pub async fn list_csv(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    filter: Result<Query<ActionFilter>, QueryRejection>,
) -> Result<Response, AppError> {
    let actions = actions_store::list(&state.db, &user, &query(filter)?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"atgarder.csv\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        action::to_csv(&actions, Lang::Sv),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/actions/{id}", tag = "actions", params(("id" = Uuid, Path)),
    responses((status = 200, body = Action), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<ActionId>, PathRejection>,
) -> Result<Json<Action>, AppError> {
    let found = actions_store::find(&state.db, &user, path(id)?).await?;
    Ok(Json(found.ok_or(AppError::NotFound)?))
}

/// A follow-up: a note, and any change of status, owner or due date.
#[utoipa::path(post, path = "/api/v1/actions/{id}/follow-ups", tag = "actions", params(("id" = Uuid, Path)), request_body = FollowUp,
    responses((status = 200, body = Action), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn follow_up(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<ActionId>, PathRejection>,
    follow_up: Result<Json<FollowUp>, JsonRejection>,
) -> Result<Json<Action>, AppError> {
    let id = path(id)?;
    let follow_up = body(follow_up)?;
    Ok(Json(
        actions_store::follow_up(&state.db, &user, id, &follow_up).await?,
    ))
}
