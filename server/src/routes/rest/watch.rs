//! `/api/v1/watch-areas` and `/api/v1/alerts`: grannsamverkan areas with their contact
//! persons (coordinators), and the alerts raised for them (coordinators and police).

use app::domain::ids::{AlertId, AreaId};
use app::domain::watch::{Alert, SendAlert, WatchArea, WatchSettings};
use app::error::AppError;
use app::ssr::infra::state::AppState;
use app::ssr::watch;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use super::extract::{body, path, query, SignedIn};
use crate::routes::errors::ErrorBody;

#[utoipa::path(get, path = "/api/v1/watch-areas", tag = "watch",
    responses((status = 200, body = Vec<WatchArea>), (status = 403, body = ErrorBody)))]
pub async fn list_areas(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Vec<WatchArea>>, AppError> {
    Ok(Json(watch::areas::list_areas(&state.db, &user).await?))
}

/// Makes a named area a grannsamverkan area, or replaces its settings and contacts.
#[utoipa::path(put, path = "/api/v1/watch-areas/{area_id}", tag = "watch", params(("area_id" = Uuid, Path)),
    request_body = WatchSettings,
    responses((status = 200, body = WatchArea), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn set_area(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    area_id: Result<Path<AreaId>, PathRejection>,
    settings: Result<Json<WatchSettings>, JsonRejection>,
) -> Result<Json<WatchArea>, AppError> {
    let area_id = path(area_id)?;
    Ok(Json(
        watch::areas::set_area(&state.db, &user, area_id, &body(settings)?).await?,
    ))
}

/// Ends the area's neighbourhood watch and deletes its contact persons.
#[utoipa::path(delete, path = "/api/v1/watch-areas/{area_id}", tag = "watch", params(("area_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_area(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    area_id: Result<Path<AreaId>, PathRejection>,
) -> Result<StatusCode, AppError> {
    watch::areas::remove_area(&state.db, &user, path(area_id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct AlertQuery {
    /// Only alerts not yet sent or dismissed.
    #[serde(default)]
    open: bool,
}

#[utoipa::path(get, path = "/api/v1/alerts", tag = "watch", params(AlertQuery),
    responses((status = 200, body = Vec<Alert>), (status = 403, body = ErrorBody)))]
pub async fn list_alerts(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    wanted: Result<Query<AlertQuery>, QueryRejection>,
) -> Result<Json<Vec<Alert>>, AppError> {
    let wanted = query(wanted)?;
    Ok(Json(
        watch::alerts::list_alerts(&state.db, &user, wanted.open).await?,
    ))
}

/// Looks for rises now (the server also does so every hour) and returns the new alerts.
#[utoipa::path(post, path = "/api/v1/alerts/scan", tag = "watch",
    responses((status = 200, body = Vec<Alert>), (status = 403, body = ErrorBody)))]
pub async fn scan(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Vec<Alert>>, AppError> {
    Ok(Json(watch::scan::scan_as(&state.db, &user).await?))
}

#[utoipa::path(get, path = "/api/v1/alerts/{id}", tag = "watch", params(("id" = Uuid, Path)),
    responses((status = 200, body = Alert), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_alert(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<AlertId>, PathRejection>,
) -> Result<Json<Alert>, AppError> {
    let found = watch::alerts::find_alert(&state.db, &user, path(id)?).await?;
    Ok(Json(found.ok_or(AppError::NotFound)?))
}

/// E-mails the alert to the area's contact persons, or records that it was passed on by
/// hand (`manual`). A mail server that fails leaves the alert pending: 502 says why.
#[utoipa::path(post, path = "/api/v1/alerts/{id}/send", tag = "watch", params(("id" = Uuid, Path)),
    request_body = SendAlert,
    responses((status = 200, body = Alert), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Redan skickat, skickas redan, eller e-post saknas (already sent, being sent, or no e-mail)", body = ErrorBody),
        (status = 502, description = "E-postservern svarade inte (the mail server failed)", body = ErrorBody)))]
pub async fn send(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<AlertId>, PathRejection>,
    request: Result<Json<SendAlert>, JsonRejection>,
) -> Result<Json<Alert>, AppError> {
    let id = path(id)?;
    let request = body(request)?;
    Ok(Json(
        watch::send::send(&state.db, state.config.mailer.as_ref(), &user, id, &request).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Dismissal {
    /// Why no notice is needed.
    reason: String,
}

#[utoipa::path(post, path = "/api/v1/alerts/{id}/dismiss", tag = "watch", params(("id" = Uuid, Path)),
    request_body = Dismissal,
    responses((status = 200, body = Alert), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn dismiss(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<AlertId>, PathRejection>,
    request: Result<Json<Dismissal>, JsonRejection>,
) -> Result<Json<Alert>, AppError> {
    let id = path(id)?;
    let request = body(request)?;
    Ok(Json(
        watch::send::dismiss(&state.db, &user, id, &request.reason).await?,
    ))
}
