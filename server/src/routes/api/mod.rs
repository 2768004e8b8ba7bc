//! The versioned REST API under `/api/v1/`: what the phones' outbox sends, and what
//! integrations read. Every route checks who is asking.

pub mod observations;
pub mod shifts;
pub mod situation;
pub mod walks;

use app::domain::user::CurrentUser;
use app::error::AppError;
use app::ssr::auth::AuthSession;
use app::ssr::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::Json;
use axum::Router;
use serde::de::DeserializeOwned;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The error body every API error has (see `app::error::AppError`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Only describes the JSON for the OpenAPI document.
pub struct ErrorBody {
    /// A stable code, e.g. `invalid_input`, `conflict`, `not_found`.
    error: String,
    /// In Swedish, for people.
    message: String,
    message_en: String,
    /// The field at fault, for `invalid_input`.
    field: Option<String>,
}

#[derive(utoipa::OpenApi)]
#[openapi(info(
    title = "Tryggkarta API",
    version = "1",
    description = "Fältappens REST-API: observationer, foton, trygghetsvandringar och grannstödspass. \
                   Inloggning med sessionscookie (POST /api/v1/session). Fel är JSON: error, message, message_en."
))]
struct ApiDoc;

/// Every `/api/v1` route, registered together with its OpenAPI description so the two
/// cannot drift apart. Returns the routes, the photo upload (which needs a larger body
/// limit than the rest) and the document.
pub fn routes() -> (Router<AppState>, Router<AppState>, utoipa::openapi::OpenApi) {
    use super::{health, session};
    let (photo_upload, photo_doc) = OpenApiRouter::new()
        .routes(routes!(observations::put_photo))
        .split_for_parts();
    let (api, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::health))
        .routes(routes!(
            session::whoami,
            session::sign_in_json,
            session::sign_out_json
        ))
        .routes(routes!(observations::submit, observations::list))
        .routes(routes!(observations::get, observations::reclassify))
        .routes(routes!(observations::add_note))
        .routes(routes!(observations::get_photo))
        .routes(routes!(observations::categories, observations::add_category))
        .routes(routes!(observations::change_category))
        .routes(routes!(walks::create, walks::list))
        .routes(routes!(walks::join))
        .routes(routes!(walks::get))
        .routes(routes!(walks::close))
        .routes(routes!(walks::qr_code))
        .routes(routes!(shifts::start))
        .routes(routes!(shifts::report))
        .routes(routes!(shifts::report_csv))
        .routes(routes!(shifts::get))
        .routes(routes!(shifts::add_track))
        .routes(routes!(shifts::end))
        .routes(routes!(shifts::briefing, shifts::write_briefing))
        .routes(routes!(situation::hotspots))
        .routes(routes!(situation::points))
        .routes(routes!(situation::cells_geojson))
        .routes(routes!(situation::observations_csv))
        .routes(routes!(situation::observations_geojson))
        .routes(routes!(situation::create_meeting, situation::list_meetings))
        .routes(routes!(situation::get_meeting, situation::set_decisions))
        .routes(routes!(situation::add_note))
        .split_for_parts();
    doc.merge(photo_doc);
    (api, photo_upload, doc)
}

/// The signed-in user; a request without one gets 401.
pub struct SignedIn(pub CurrentUser);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let auth = AuthSession::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::Internal)?;
        auth.user
            .map(|session_user| SignedIn(session_user.user))
            .ok_or(AppError::Unauthorized)
    }
}

/// A JSON body, or a 413/422 that says what is wrong with it.
pub fn body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, AppError> {
    body.map(|Json(value)| value)
        .map_err(super::errors::json_rejection)
}

/// A path parameter such as an id, or a 404 when it cannot be one.
pub fn path<T: DeserializeOwned + Send>(path: Result<Path<T>, PathRejection>) -> Result<T, AppError> {
    path.map(|Path(value)| value).map_err(|_| AppError::NotFound)
}

pub fn query<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, AppError> {
    query.map(|Query(value)| value).map_err(|rejection| {
        let detail = rejection.body_text();
        AppError::invalid(
            "query",
            &format!("Frågan kunde inte läsas: {detail}"),
            &format!("The query could not be read: {detail}"),
        )
    })
}
