//! `/api/v1/organisations`, `/api/v1/incident-reports`, `/api/v1/review` and
//! `/api/v1/tips`: partner organisations, their reporters' incident reports, the
//! coordinator's review and residents' tips.

use app::domain::code::Code;
use app::domain::geo::LatLng;
use app::domain::ids::{IncidentId, OrganisationId};
use app::domain::incident::{Decision, Incident, Nearby, NewIncident, NewTip, Notice, Status, Waiting};
use app::domain::partner::{FocusPlace, NewFocusPlace, Organisation, OrganisationForm, Weekly};
use app::error::AppError;
use app::ssr::incidents::{self, organisations, review, tips, Filter};
use app::ssr::infra::state::AppState;
use app::ssr::reports::observations::Stored;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::extract::{body, created_status, path, query, SignedIn};
use crate::routes::errors::ErrorBody;
use crate::routes::session::ClientAddr;

/// The partner organisations (coordinators and admins).
#[utoipa::path(get, path = "/api/v1/organisations", tag = "incidents",
    responses((status = 200, body = Vec<Organisation>), (status = 403, body = ErrorBody)))]
pub async fn list_organisations(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Vec<Organisation>>, AppError> {
    Ok(Json(organisations::list(&state.db, &user).await?))
}

/// Registers a partner organisation.
#[utoipa::path(post, path = "/api/v1/organisations", tag = "incidents", request_body = OrganisationForm,
    responses((status = 201, body = Organisation), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_organisation(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    form: Result<Json<OrganisationForm>, JsonRejection>,
) -> Result<(StatusCode, Json<Organisation>), AppError> {
    let created = organisations::create(&state.db, &user, &body(form)?).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Renames or (de)activates a partner organisation.
#[utoipa::path(put, path = "/api/v1/organisations/{id}", tag = "incidents", params(("id" = Uuid, Path)),
    request_body = OrganisationForm,
    responses((status = 200, body = Organisation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_organisation(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<OrganisationId>, PathRejection>,
    form: Result<Json<OrganisationForm>, JsonRejection>,
) -> Result<Json<Organisation>, AppError> {
    let id = path(id)?;
    Ok(Json(
        organisations::update(&state.db, &user, id, &body(form)?).await?,
    ))
}

/// The focus places of this week and after: a reporter their organisation's, those who
/// read every report or keep the organisations all.
#[utoipa::path(get, path = "/api/v1/organisations/focus-places", tag = "incidents",
    responses((status = 200, body = Vec<FocusPlace>), (status = 403, body = ErrorBody)))]
pub async fn focus_places(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Vec<FocusPlace>>, AppError> {
    Ok(Json(organisations::focus_places(&state.db, &user).await?))
}

/// Sets a focus place for an organisation's reporters: next week's unless `week_of` says.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/focus-places", tag = "incidents", params(("id" = Uuid, Path)),
    request_body = NewFocusPlace,
    responses((status = 201, body = FocusPlace), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_focus_place(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<OrganisationId>, PathRejection>,
    new: Result<Json<NewFocusPlace>, JsonRejection>,
) -> Result<(StatusCode, Json<FocusPlace>), AppError> {
    let id = path(id)?;
    let added = organisations::add_focus_place(&state.db, &user, id, &body(new)?).await?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// `POST /api/v1/incident-reports`: a reporter's report, waiting for review. 201 when
/// stored now, 200 for a resend of the same report, 409 for another under the same id.
#[utoipa::path(post, path = "/api/v1/incident-reports", tag = "incidents", request_body = NewIncident,
    responses((status = 201, body = Incident), (status = 200, description = "Redan sparad (omsändning)", body = Incident),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<NewIncident>, JsonRejection>,
) -> Result<(StatusCode, Json<Incident>), AppError> {
    let (stored, how) = incidents::submit(&state.db, &state.config.bounds, &user, &body(new)?).await?;
    Ok((created_status(how == Stored::Created), Json(stored)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `pending`, `accepted`, `rejected` or `merged`.
    status: Option<String>,
    organisation: Option<OrganisationId>,
}

/// The incident reports the user reaches: a reporter their organisation's, coordinators
/// and police all. Newest first, at most 500.
#[utoipa::path(get, path = "/api/v1/incident-reports", tag = "incidents", params(ListQuery),
    responses((status = 200, body = Vec<Incident>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    params: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Vec<Incident>>, AppError> {
    let params = query(params)?;
    let status = match params.status.as_deref() {
        None | Some("") => None,
        Some(code) => Some(Status::from_code(code).ok_or_else(|| {
            AppError::invalid(
                "status",
                "Okänd status (pending, accepted, rejected, merged).",
                "Unknown status (pending, accepted, rejected, merged).",
            )
        })?),
    };
    let filter = Filter {
        status,
        organisation: params.organisation,
    };
    Ok(Json(incidents::list(&state.db, &user, &filter).await?))
}

/// The weekly picture: accepted reports by category, organisation and named area, this
/// week against the four before (a reporter their organisation's).
#[utoipa::path(get, path = "/api/v1/incident-reports/weekly", tag = "incidents",
    responses((status = 200, body = Weekly), (status = 403, body = ErrorBody)))]
pub async fn weekly(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Weekly>, AppError> {
    Ok(Json(incidents::weekly::weekly(&state.db, &user).await?))
}

/// The weekly picture as CSV for Excel.
#[utoipa::path(get, path = "/api/v1/incident-reports/weekly.csv", tag = "incidents",
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody)))]
pub async fn weekly_csv(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Response, AppError> {
    let picture = incidents::weekly::weekly(&state.db, &user).await?;
    let week = picture
        .weeks
        .last()
        .map(|monday| monday.to_string())
        .unwrap_or_default();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"veckobild-{week}.csv\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        picture.to_csv(),
    )
        .into_response())
}

/// One incident report; 404 when it does not exist or the user does not reach it.
#[utoipa::path(get, path = "/api/v1/incident-reports/{id}", tag = "incidents", params(("id" = Uuid, Path)),
    responses((status = 200, body = Incident), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<IncidentId>, PathRejection>,
) -> Result<Json<Incident>, AppError> {
    Ok(Json(incidents::find(&state.db, &user, path(id)?).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NearbyQuery {
    category: String,
    lat: f64,
    lng: f64,
}

/// Open reports of the same category within 50 m that the user reaches: "Är det här samma
/// sak?" while a report is made.
#[utoipa::path(get, path = "/api/v1/incident-reports/nearby", tag = "incidents", params(NearbyQuery),
    responses((status = 200, body = Vec<Nearby>), (status = 403, body = ErrorBody)))]
pub async fn nearby(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    params: Result<Query<NearbyQuery>, QueryRejection>,
) -> Result<Json<Vec<Nearby>>, AppError> {
    let params = query(params)?;
    let at = LatLng {
        lat: params.lat,
        lng: params.lng,
    };
    Ok(Json(
        incidents::nearby(&state.db, &user, &params.category, at, None).await?,
    ))
}

/// The changes to the user's own reports they have not read; `DELETE` marks them read.
#[utoipa::path(get, path = "/api/v1/incident-reports/notices", tag = "incidents",
    responses((status = 200, body = Vec<Notice>)))]
pub async fn notices(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Vec<Notice>>, AppError> {
    Ok(Json(incidents::notices(&state.db, &user).await?))
}

#[utoipa::path(delete, path = "/api/v1/incident-reports/notices", tag = "incidents",
    responses((status = 204)))]
pub async fn notices_seen(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<StatusCode, AppError> {
    incidents::mark_notices_seen(&state.db, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The review queue: waiting reports and tips, oldest first, each with the open reports
/// nearby that may be the same thing.
#[utoipa::path(get, path = "/api/v1/review", tag = "incidents",
    responses((status = 200, body = Vec<Waiting>), (status = 403, body = ErrorBody)))]
pub async fn queue(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Vec<Waiting>>, AppError> {
    Ok(Json(review::queue(&state.db, &user).await?))
}

/// Accepts (with corrections), rejects or merges a waiting report. 409 when it has been
/// decided already.
#[utoipa::path(post, path = "/api/v1/review/{id}", tag = "incidents", params(("id" = Uuid, Path)),
    request_body = Decision,
    responses((status = 200, body = Incident), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<IncidentId>, PathRejection>,
    decision: Result<Json<Decision>, JsonRejection>,
) -> Result<Json<Incident>, AppError> {
    let id = path(id)?;
    let decision = body(decision)?;
    Ok(Json(
        review::decide(
            &state.db,
            &state.config.bounds,
            state.config.mailer.as_ref(),
            &user,
            id,
            &decision,
        )
        .await?,
    ))
}

/// A resident's tip, without an account: 202 once it waits for review. At most three
/// from one address a quarter of an hour (429).
#[utoipa::path(post, path = "/api/v1/tips", tag = "incidents", request_body = NewTip,
    responses((status = 202, description = "Mottaget, väntar på granskning (received, waiting for review)"),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn tip(
    State(state): State<AppState>,
    client: ClientAddr,
    tip: Result<Json<NewTip>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    tips::submit(&state.db, &state.config.bounds, &client.0, &body(tip)?, "").await?;
    Ok(StatusCode::ACCEPTED)
}
