//! `/api/v1/observations`, photos and categories.

use app::domain::category::Category;
use app::domain::code::Code;
use app::domain::ids::{ObservationId, PhotoId, ShiftId, WalkId};
use app::domain::observation::{Kind, NewObservation, Observation, Reclassify};
use app::error::AppError;
use app::ssr::infra::state::AppState;
use app::ssr::reports::categories::{self, CategoryChange, NewCategory};
use app::ssr::reports::observations::{self, Filter, Shown, Stored};
use app::ssr::reports::photos;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::extract::{body, created_status, path, query, SignedIn};
use crate::routes::errors::ErrorBody;

/// `POST /api/v1/observations`: 201 when stored now, 200 when this exact observation was
/// stored before (a resend from the outbox), 409 when the id holds something else.
#[utoipa::path(post, path = "/api/v1/observations", tag = "observations", request_body = NewObservation,
    responses((status = 201, description = "Sparad", body = Observation), (status = 200, description = "Redan sparad (omsändning)", body = Observation),
        (status = 409, description = "Annat innehåll med samma id", body = ErrorBody), (status = 422, description = "Ogiltigt fält", body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<NewObservation>, JsonRejection>,
) -> Result<(StatusCode, Json<Observation>), AppError> {
    let new = body(new)?;
    let (stored, how) = observations::submit(&state, &user, &new).await?;
    Ok((created_status(how == Stored::Created), Json(stored)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    walk_id: Option<WalkId>,
    shift_id: Option<ShiftId>,
    kind: Option<String>,
    /// Only observations made at or after this time (RFC 3339).
    #[serde(default, with = "app::domain::clock::rfc3339_option")]
    since: Option<chrono::DateTime<chrono::Utc>>,
}

/// `GET /api/v1/observations`: what the user may see, oldest first.
#[utoipa::path(get, path = "/api/v1/observations", tag = "observations", params(ListQuery),
    responses((status = 200, body = Vec<Observation>), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    params: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Vec<Observation>>, AppError> {
    let params = query(params)?;
    let kind = match params.kind.as_deref() {
        None | Some("") => None,
        Some(kind) => Some(Kind::from_code(kind).ok_or_else(|| {
            AppError::invalid("kind", "Okänd sorts observation.", "Unknown kind of observation.")
        })?),
    };
    let filter = Filter {
        walk_id: params.walk_id,
        shift_id: params.shift_id,
        kind,
        since_ms: params.since.map(observations::unix_ms),
        ..Default::default()
    };
    let records = observations::list(&state.db, &user, &filter).await?;
    observations::record_reads(&state.db, &user, None, records.iter().map(Shown::from)).await?;
    Ok(Json(records))
}

/// `GET /api/v1/observations/{id}`: 404 both when it does not exist and when the user
/// may not see it, so ids cannot be probed.
#[utoipa::path(get, path = "/api/v1/observations/{id}", tag = "observations", params(("id" = Uuid, Path)),
    responses((status = 200, body = Observation), (status = 404, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<ObservationId>, PathRejection>,
) -> Result<Json<Observation>, AppError> {
    let id = path(id)?;
    let record = observations::find(&state.db, &user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    observations::record_reads(&state.db, &user, Some(id), [Shown::from(&record)]).await?;
    Ok(Json(record))
}

/// `PUT /api/v1/observations/{id}/photos/{photo_id}` with the picture as the body.
#[utoipa::path(put, path = "/api/v1/observations/{id}/photos/{photo_id}", tag = "photos",
    params(("id" = Uuid, Path), ("photo_id" = Uuid, Path, description = "Fotots id, skapat på telefonen")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "JPEG, PNG eller WebP, högst 10 MB"),
    responses((status = 201, description = "Sparat utan metadata"), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn put_photo(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    ids: Result<Path<(ObservationId, PhotoId)>, PathRejection>,
    upload: Bytes,
) -> Result<StatusCode, AppError> {
    let (observation_id, photo_id) = path(ids)?;
    photos::attach(&state.db, &user, observation_id, photo_id, upload.to_vec()).await?;
    Ok(StatusCode::CREATED)
}

/// `GET /api/v1/photos/{id}`: the clean JPEG, kept out of shared caches.
#[utoipa::path(get, path = "/api/v1/photos/{id}", tag = "photos", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn get_photo(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<PhotoId>, PathRejection>,
) -> Result<Response, AppError> {
    let id = path(id)?;
    let jpeg = photos::load(&state.db, &user, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "private, max-age=86400"),
        ],
        jpeg,
    )
        .into_response())
}

/// `GET /api/v1/categories`.
#[utoipa::path(get, path = "/api/v1/categories", tag = "observations",
    responses((status = 200, body = Vec<Category>), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn categories(
    State(state): State<AppState>,
    SignedIn(_signed_in): SignedIn,
) -> Result<Json<Vec<Category>>, AppError> {
    Ok(Json(categories::categories(&state.db).await?))
}

/// `POST /api/v1/categories`: a coordinator adds a category.
#[utoipa::path(post, path = "/api/v1/categories", tag = "observations", request_body = NewCategory,
    responses((status = 201, body = Category), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn add_category(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<NewCategory>, JsonRejection>,
) -> Result<(StatusCode, Json<Category>), AppError> {
    let new = body(new)?;
    Ok((
        StatusCode::CREATED,
        Json(categories::add_category(&state.db, &user, &new).await?),
    ))
}

/// `PATCH /api/v1/categories/{id}`: rename, move to another strategy area, retire.
#[utoipa::path(patch, path = "/api/v1/categories/{id}", tag = "observations", params(("id" = String, Path)),
    request_body = CategoryChange,
    responses((status = 200, body = Category), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn change_category(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<String>, PathRejection>,
    change: Result<Json<CategoryChange>, JsonRejection>,
) -> Result<Json<Category>, AppError> {
    let id = path(id)?;
    let change = body(change)?;
    Ok(Json(
        categories::change_category(&state.db, &user, &id, &change).await?,
    ))
}

/// `PATCH /api/v1/observations/{id}`: a coordinator changes the strategy area or status.
#[utoipa::path(patch, path = "/api/v1/observations/{id}", tag = "observations", params(("id" = Uuid, Path)),
    request_body = Reclassify,
    responses((status = 200, body = Observation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn reclassify(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<ObservationId>, PathRejection>,
    change: Result<Json<Reclassify>, JsonRejection>,
) -> Result<Json<Observation>, AppError> {
    let id = path(id)?;
    let change = body(change)?;
    Ok(Json(
        observations::reclassify(&state.db, &user, id, &change).await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NoteBody {
    note: String,
}

/// `POST /api/v1/observations/{id}/note`: the reporter adds a note afterwards.
#[utoipa::path(post, path = "/api/v1/observations/{id}/note", tag = "observations", params(("id" = Uuid, Path)),
    request_body = NoteBody,
    responses((status = 200, body = Observation), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn add_note(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<ObservationId>, PathRejection>,
    note: Result<Json<NoteBody>, JsonRejection>,
) -> Result<Json<Observation>, AppError> {
    let id = path(id)?;
    let note = body(note)?;
    Ok(Json(
        observations::add_note(&state.db, &user, id, &note.note).await?,
    ))
}
