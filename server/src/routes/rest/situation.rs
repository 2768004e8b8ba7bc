//! `/api/v1/hotspots`, the exports and `/api/v1/meetings`: the lägesbild.

use app::domain::access::{may, Capability};
use app::domain::export;
use app::domain::ids::MeetingId;
use app::domain::map::{MapQuery, MapView};
use app::domain::meeting::{Meeting, MeetingNote, MeetingSummary, NewMeeting};
use app::domain::situation::{
    camera_csv, CameraCandidate, Situation, SituationPoint, SituationQuery, CAMERA_MIN_HOT, CAMERA_PERIODS,
};
use app::error::AppError;
use app::ssr::situation;
use app::ssr::{infra::state::AppState, situation::meetings};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::extract::{body, path, query, SignedIn};
use crate::routes::errors::ErrorBody;

/// `GET /api/v1/hotspots`: Gi* cells, KDE heat, emerging hotspots and the period
/// comparison for police and coordinators; for everyone else only cells with at least
/// three reports, at resolution 9 or coarser.
#[utoipa::path(get, path = "/api/v1/hotspots", tag = "lägesbild", params(SituationQuery),
    responses((status = 200, body = Situation), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn hotspots(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    params: Result<Query<SituationQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let started = std::time::Instant::now();
    let situation = situation::situation(&state.db, &user, &query(params)?, &state.config.bounds).await?;
    let timing = format!("hotspots;dur={:.1}", started.elapsed().as_secs_f64() * 1000.0);
    Ok((
        private(),
        [(header::HeaderName::from_static("server-timing"), timing)],
        Json(situation),
    )
        .into_response())
}

/// `GET /api/v1/hotspots/points`: the reports behind the map, each with its cell, for
/// the clustered markers and the drill-down. Police and coordinators only.
#[utoipa::path(get, path = "/api/v1/hotspots/points", tag = "lägesbild", params(SituationQuery),
    responses((status = 200, body = Vec<SituationPoint>), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn points(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    params: Result<Query<SituationQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let points = situation::points::list(&state.db, &user, &query(params)?, &state.config.bounds).await?;
    Ok((private(), Json(points)).into_response())
}

/// `GET /api/v1/map`: Karta, the start page: every report for police and coordinators;
/// for everyone else the aggregated cells and only their own reports and their walks'
/// findings (`domain::map`).
#[utoipa::path(get, path = "/api/v1/map", tag = "lägesbild", params(MapQuery),
    responses((status = 200, body = MapView), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn map(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    params: Result<Query<MapQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let view = app::ssr::reports::map::view(&state.db, &user, &query(params)?, &state.config.bounds).await?;
    Ok((private(), Json(view)).into_response())
}

/// Exact positions and meeting snapshots stay out of shared caches.
fn private() -> [(header::HeaderName, &'static str); 1] {
    [(header::CACHE_CONTROL, "private, no-store")]
}

/// A GeoJSON FeatureCollection (RFC 7946), as QGIS and other GIS tools read it.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[allow(dead_code)] // Only describes the JSON for the OpenAPI document.
pub struct FeatureCollection {
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    kind: String,
    features: Vec<Feature>,
}

/// One GeoJSON feature: a cell's polygon or a report's point, with its values.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct Feature {
    /// Always `Feature`.
    #[serde(rename = "type")]
    kind: String,
    /// A GeoJSON `Polygon` or `Point`, coordinates as [lng, lat].
    #[schema(value_type = Object)]
    geometry: serde_json::Value,
    #[schema(value_type = Object)]
    properties: serde_json::Value,
}

/// `GET /api/v1/hotspots/cells.geojson`: the cells of the analysis for QGIS.
#[utoipa::path(get, path = "/api/v1/hotspots/cells.geojson", tag = "export", params(SituationQuery),
    responses((status = 200, content_type = "application/geo+json", body = FeatureCollection), (status = 401, body = ErrorBody)))]
pub async fn cells_geojson(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    params: Result<Query<SituationQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let situation = situation::situation(&state.db, &user, &query(params)?, &state.config.bounds).await?;
    let name = format!(
        "hetpunkter-{}--{}.geojson",
        situation.params.from, situation.params.to
    );
    Ok(download(
        "application/geo+json",
        &name,
        export::cells_geojson(&situation).to_string(),
    ))
}

/// `GET /api/v1/export/observations.csv`: the filtered reports the user may see.
#[utoipa::path(get, path = "/api/v1/export/observations.csv", tag = "export", params(SituationQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody)))]
pub async fn observations_csv(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    params: Result<Query<SituationQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let (params, records) = situation::exports::records(&state.db, &user, &query(params)?).await?;
    let name = format!("observationer-{}--{}.csv", params.from, params.to);
    let csv = export::observations_csv(&records, may(&user, Capability::ReadRestrictedReports));
    Ok(download("text/csv; charset=utf-8", &name, csv))
}

/// `GET /api/v1/export/observations.geojson`.
#[utoipa::path(get, path = "/api/v1/export/observations.geojson", tag = "export", params(SituationQuery),
    responses((status = 200, content_type = "application/geo+json", body = FeatureCollection), (status = 401, body = ErrorBody)))]
pub async fn observations_geojson(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    params: Result<Query<SituationQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let (params, records) = situation::exports::records(&state.db, &user, &query(params)?).await?;
    let name = format!("observationer-{}--{}.geojson", params.from, params.to);
    let geojson = export::observations_geojson(&records, may(&user, Capability::ReadRestrictedReports));
    Ok(download("application/geo+json", &name, geojson.to_string()))
}

fn download(content_type: &str, filename: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// `POST /api/v1/meetings`: saves a meeting with the snapshot of its request.
#[utoipa::path(post, path = "/api/v1/meetings", tag = "lägesbild", request_body = NewMeeting,
    responses((status = 201, body = Meeting), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn create_meeting(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<NewMeeting>, JsonRejection>,
) -> Result<(StatusCode, Json<Meeting>), AppError> {
    let meeting = meetings::create(&state.db, &user, &body(new)?, &state.config.bounds).await?;
    Ok((StatusCode::CREATED, Json(meeting)))
}

/// `GET /api/v1/meetings`: newest first.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "lägesbild",
    responses((status = 200, body = Vec<MeetingSummary>), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_meetings(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Vec<MeetingSummary>>, AppError> {
    Ok(Json(meetings::list(&state.db, &user).await?))
}

/// `GET /api/v1/meetings/{id}`: the meeting with its snapshot and notes.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "lägesbild", params(("id" = Uuid, Path)),
    responses((status = 200, body = Meeting), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn get_meeting(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<MeetingId>, PathRejection>,
) -> Result<Response, AppError> {
    let meeting = meetings::get(&state.db, &user, path(id)?).await?;
    Ok((private(), Json(meeting)).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NoteBody {
    body: String,
}

/// `POST /api/v1/meetings/{id}/notes`: a running note.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/notes", tag = "lägesbild", params(("id" = Uuid, Path)), request_body = NoteBody,
    responses((status = 201, body = MeetingNote), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn add_note(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<MeetingId>, PathRejection>,
    note: Result<Json<NoteBody>, JsonRejection>,
) -> Result<(StatusCode, Json<MeetingNote>), AppError> {
    let note = meetings::add_note(&state.db, &user, path(id)?, &body(note)?.body).await?;
    Ok((StatusCode::CREATED, Json(note)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DecisionsBody {
    decisions: String,
}

/// `PATCH /api/v1/meetings/{id}`: the meeting's decisions.
#[utoipa::path(patch, path = "/api/v1/meetings/{id}", tag = "lägesbild", params(("id" = Uuid, Path)), request_body = DecisionsBody,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn set_decisions(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<MeetingId>, PathRejection>,
    decisions: Result<Json<DecisionsBody>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    meetings::set_decisions(&state.db, &user, path(id)?, &body(decisions)?.decisions).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How the camera review is asked for: the hotspot filters plus the periods.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct CameraQuery {
    /// walk_finding, patrol_observation or drug_scene.
    kind: Option<String>,
    category: Option<String>,
    strategy_area: Option<String>,
    /// How many 30-day periods back (2–24, default 6).
    periods: Option<u32>,
    /// In how many of them a cell must be hot (default 4).
    min_hot: Option<u32>,
}

async fn camera_review(
    state: &AppState,
    user: &app::domain::user::CurrentUser,
    wanted: CameraQuery,
) -> Result<Vec<CameraCandidate>, AppError> {
    let query = SituationQuery {
        kind: wanted.kind,
        category: wanted.category,
        strategy_area: wanted.strategy_area,
        ..Default::default()
    };
    situation::cameras::candidates(
        &state.db,
        user,
        &query,
        wanted.periods.unwrap_or(CAMERA_PERIODS),
        wanted.min_hot.unwrap_or(CAMERA_MIN_HOT),
        &state.config.bounds,
    )
    .await
}

/// Cells hot in at least `min_hot` of the last `periods` 30-day periods, with their
/// history: the basis of a camera-surveillance assessment (plan 4.4). Police and
/// coordinators only.
#[utoipa::path(get, path = "/api/v1/camera-candidates", tag = "lägesbild", params(CameraQuery),
    responses((status = 200, body = Vec<CameraCandidate>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn camera_candidates(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    wanted: Result<Query<CameraQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let candidates = camera_review(&state, &user, query(wanted)?).await?;
    Ok((private(), Json(candidates)).into_response())
}

/// The same as CSV, one row per cell and period.
#[utoipa::path(get, path = "/api/v1/camera-candidates.csv", tag = "lägesbild", params(CameraQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody)))]
pub async fn camera_candidates_csv(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    wanted: Result<Query<CameraQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let candidates = camera_review(&state, &user, query(wanted)?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"kamerakandidater.csv\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        camera_csv(&candidates),
    )
        .into_response())
}
