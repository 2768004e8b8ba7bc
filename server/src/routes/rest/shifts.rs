//! `/api/v1/shifts` and the briefing the drivers read before they start.

use app::domain::ids::ShiftId;
use app::domain::shift::{EndShift, NewShift, ShiftReport, ShiftSummary, TrackPoint};
use app::error::AppError;
use app::ssr::accounts::auth::{self, AuthSession};
use app::ssr::infra::db::now_ms;
use app::ssr::infra::state::AppState;
use app::ssr::shifts;
use app::ssr::shifts::briefing::{self, Briefing};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::extract::{body, created_status, path, query, SignedIn};
use crate::routes::errors::ErrorBody;

/// How long a started shift keeps its driver's session on the longer idle time, at most.
const SHIFT_DUTY_MS: i64 = 12 * 3_600_000;

/// `POST /api/v1/shifts`: 201 for a new shift, 200 when the same id comes again.
#[utoipa::path(post, path = "/api/v1/shifts", tag = "shifts", request_body = NewShift,
    responses((status = 201, body = ShiftSummary), (status = 200, description = "Samma start igen", body = ShiftSummary),
        (status = 409, body = ErrorBody), (status = 403, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    auth: AuthSession,
    new: Result<Json<NewShift>, JsonRejection>,
) -> Result<(StatusCode, Json<ShiftSummary>), AppError> {
    let new = body(new)?;
    let (summary, created) = shifts::start(&state.db, &user, &new).await?;
    // A driver's phone may sit unused in a dead zone: the longer idle time applies until
    // the shift ends (or half a day has passed).
    auth::mark_on_duty(&auth.session, now_ms() + SHIFT_DUTY_MS).await?;
    Ok((created_status(created), Json(summary)))
}

#[utoipa::path(get, path = "/api/v1/shifts/{id}", tag = "shifts", params(("id" = Uuid, Path)),
    responses((status = 200, body = ShiftSummary), (status = 404, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<ShiftId>, PathRejection>,
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
    id: Result<Path<ShiftId>, PathRejection>,
    points: Result<Json<Vec<TrackPoint>>, JsonRejection>,
) -> Result<Json<Added>, AppError> {
    let id = path(id)?;
    let points = body(points)?;
    let added = shifts::add_points(&state.db, &user, id, &points).await?;
    Ok(Json(Added { added }))
}

/// `POST /api/v1/shifts/{id}/end`, optionally with `{ "ended_at" }` from the phone.
#[utoipa::path(post, path = "/api/v1/shifts/{id}/end", tag = "shifts", params(("id" = Uuid, Path)), request_body(content = Option<EndShift>),
    responses((status = 200, body = ShiftSummary), (status = 404, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn end(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    auth: AuthSession,
    id: Result<Path<ShiftId>, PathRejection>,
    end: axum::body::Bytes,
) -> Result<Json<ShiftSummary>, AppError> {
    let id = path(id)?;
    // No body is the same as `{}`: end now.
    let end: EndShift = if end.iter().all(u8::is_ascii_whitespace) {
        EndShift::default()
    } else {
        serde_json::from_slice(&end).map_err(|err| {
            AppError::invalid(
                "ended_at",
                &format!("Förfrågan kunde inte läsas: {err}"),
                &format!("The request could not be read: {err}"),
            )
        })?
    };
    let summary = shifts::end(&state.db, &user, id, &end).await?;
    auth::mark_off_duty(&auth.session).await?;
    Ok(Json(summary))
}

#[utoipa::path(get, path = "/api/v1/briefing", tag = "shifts", responses((status = 200, body = Option<Briefing>), (status = 403, description = "Bara förare, polis och samordnare", body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn briefing(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Option<Briefing>>, AppError> {
    Ok(Json(briefing::latest_briefing(&state.db, &user).await?))
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
        Json(briefing::write_briefing(&state.db, &user, &new.body).await?),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `YYYY-MM`; default the current month.
    month: Option<String>,
}

fn month_or_current(query: MonthQuery) -> String {
    // The month it is in Stockholm (UTC would be a month behind on the 1st at midnight).
    query
        .month
        .unwrap_or_else(|| app::domain::clock::today().format("%Y-%m").to_string())
}

/// `GET /api/v1/shifts/report?month=2026-11`: hours, km and observations for the
/// steering group.
#[utoipa::path(get, path = "/api/v1/shifts/report", tag = "shifts", params(MonthQuery),
    responses((status = 200, body = ShiftReport), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    month: Result<Query<MonthQuery>, QueryRejection>,
) -> Result<Json<ShiftReport>, AppError> {
    let month = month_or_current(query(month)?);
    Ok(Json(shifts::report(&state.db, &user, &month).await?))
}

/// `GET /api/v1/shifts/report.csv?month=2026-11`: the same, one row per shift.
#[utoipa::path(get, path = "/api/v1/shifts/report.csv", tag = "shifts", params(MonthQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn report_csv(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    month: Result<Query<MonthQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let month = month_or_current(query(month)?);
    let report = shifts::report(&state.db, &user, &month).await?;
    let disposition = format!("attachment; filename=\"grannstod-{}.csv\"", report.month);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        report.to_csv(),
    )
        .into_response())
}
