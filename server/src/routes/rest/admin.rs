//! `/api/v1/users`, `/api/v1/audit` and `/api/v1/category-order`: administration without a
//! shell. Admins manage every account, coordinators the volunteers and their driver
//! register (`app::domain::admin`); every change is logged.

use app::domain::admin::{Account, AccountChange, AuditEvent, Driver, NewUser, WithPassword};
use app::domain::category::Category;
use app::domain::ids::UserId;
use app::domain::retention::Retention;
use app::error::AppError;
use app::settings::MapSettings;
use app::ssr::infra::state::AppState;
use app::ssr::{accounts::admin, infra::audit, reports::categories, settings, settings::retention};
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::extract::{body, path, SignedIn};
use crate::routes::errors::ErrorBody;

#[utoipa::path(get, path = "/api/v1/users", tag = "admin",
    responses((status = 200, body = Vec<Account>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Vec<Account>>, AppError> {
    Ok(Json(admin::list(&state.db, &user).await?))
}

/// Creates an account; the answer carries its first password, shown this once.
#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = NewUser,
    responses((status = 201, body = WithPassword), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<NewUser>, JsonRejection>,
) -> Result<(StatusCode, Json<WithPassword>), AppError> {
    let new = body(new)?;
    Ok((
        StatusCode::CREATED,
        Json(admin::create(&state.db, &user, &new).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "admin", params(("id" = Uuid, Path)),
    responses((status = 200, body = Account), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<UserId>, PathRejection>,
) -> Result<Json<Account>, AppError> {
    Ok(Json(admin::find(&state.db, &user, path(id)?).await?))
}

/// Renames, changes the role of, disables or enables an account; a new role or disabling
/// ends its sessions.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "admin", params(("id" = Uuid, Path)),
    request_body = AccountChange,
    responses((status = 200, body = Account), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn change(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<UserId>, PathRejection>,
    change: Result<Json<AccountChange>, JsonRejection>,
) -> Result<Json<Account>, AppError> {
    let id = path(id)?;
    let change = body(change)?;
    Ok(Json(admin::change(&state.db, &user, id, &change).await?))
}

/// A new random password, shown this once; the account's sessions end.
#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "admin", params(("id" = Uuid, Path)),
    responses((status = 200, body = WithPassword), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<UserId>, PathRejection>,
) -> Result<Json<WithPassword>, AppError> {
    Ok(Json(admin::reset_password(&state.db, &user, path(id)?).await?))
}

/// Ends every open session of the account.
#[utoipa::path(delete, path = "/api/v1/users/{id}/sessions", tag = "admin", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn end_sessions(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<UserId>, PathRejection>,
) -> Result<StatusCode, AppError> {
    admin::end_sessions(&state.db, &user, path(id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The volunteer's row in the driver register: training, vehicles, confidentiality.
#[utoipa::path(put, path = "/api/v1/users/{id}/driver", tag = "admin", params(("id" = Uuid, Path)),
    request_body = Driver,
    responses((status = 200, body = Account), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn set_driver(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<UserId>, PathRejection>,
    entry: Result<Json<Driver>, JsonRejection>,
) -> Result<Json<Account>, AppError> {
    let id = path(id)?;
    let entry = body(entry)?;
    Ok(Json(admin::set_driver(&state.db, &user, id, &entry).await?))
}

/// The newest 200 changes; admins only.
#[utoipa::path(get, path = "/api/v1/audit", tag = "admin",
    responses((status = 200, body = Vec<AuditEvent>), (status = 403, body = ErrorBody)))]
pub async fn audit_log(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Vec<AuditEvent>>, AppError> {
    Ok(Json(audit::list(&state.db, &user).await?))
}

/// The log as CSV (the newest 50 000 entries), for an admin to keep or hand to the
/// data protection officer; admins only. Itself an export, so itself logged.
#[utoipa::path(get, path = "/api/v1/audit.csv", tag = "admin",
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody)))]
pub async fn audit_csv(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Response, AppError> {
    let events = audit::newest(&state.db, &user, audit::EXPORT).await?;
    let categories = categories::all_categories(&state.db).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"logg.csv\""),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        app::domain::admin::audit_csv(&events, &categories, app::i18n::Lang::Sv),
    )
        .into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CategoryOrder {
    /// Every category's id, once each, in the order the forms should offer them.
    ids: Vec<String>,
}

/// Puts the categories in a new order; answers with all of them, retired ones too.
#[utoipa::path(put, path = "/api/v1/category-order", tag = "admin", request_body = CategoryOrder,
    responses((status = 200, body = Vec<Category>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn order_categories(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    order: Result<Json<CategoryOrder>, JsonRejection>,
) -> Result<Json<Vec<Category>>, AppError> {
    let order = body(order)?;
    Ok(Json(
        categories::order_categories(&state.db, &user, &order.ids).await?,
    ))
}

/// The map's tiles, attribution and starting view in force: the environment's values with
/// an admin's changes on top.
#[utoipa::path(get, path = "/api/v1/settings/map", tag = "admin",
    responses((status = 200, body = MapSettings), (status = 401, body = ErrorBody)))]
pub async fn map_settings(
    State(state): State<AppState>,
    SignedIn(_user): SignedIn,
) -> Result<Json<MapSettings>, AppError> {
    Ok(Json(settings::map(&state).await?))
}

/// Changes the map settings while the app runs (admins only); logged.
#[utoipa::path(put, path = "/api/v1/settings/map", tag = "admin", request_body = MapSettings,
    responses((status = 200, body = MapSettings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_map_settings(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<MapSettings>, JsonRejection>,
) -> Result<Json<MapSettings>, AppError> {
    let new = body(new)?;
    Ok(Json(settings::set_map(&state, &user, &new).await?))
}

/// How long each kind of raw record is kept (months); admins only, since the periods
/// are the municipality's decision under its records management plan.
#[utoipa::path(get, path = "/api/v1/settings/retention", tag = "admin",
    responses((status = 200, body = Retention), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn retention_settings(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Retention>, AppError> {
    Ok(Json(retention::settings(&state.db, &user).await?))
}

/// Changes the retention periods (admins only, 1–120 months each); logged.
#[utoipa::path(put, path = "/api/v1/settings/retention", tag = "admin", request_body = Retention,
    responses((status = 200, body = Retention), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_retention_settings(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<Retention>, JsonRejection>,
) -> Result<Json<Retention>, AppError> {
    let new = body(new)?;
    Ok(Json(retention::set_settings(&state.db, &user, &new).await?))
}
