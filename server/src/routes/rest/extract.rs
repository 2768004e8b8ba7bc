//! What the REST handlers take from a request, each with the error it answers when it is
//! not there: the signed-in user (401), a JSON body (413/422), a path parameter (404),
//! a query (422). And the status a record sent under its own id is answered with.

use app::domain::user::CurrentUser;
use app::error::AppError;
use app::ssr::accounts::auth::AuthSession;
use app::ssr::infra::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use serde::de::DeserializeOwned;

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
        .map_err(crate::routes::errors::json_rejection)
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

/// The answer to a record sent under its own id: 201 when stored now, 200 for a resend
/// the server already had (the phone then clears it from its outbox all the same).
pub fn created_status(created: bool) -> StatusCode {
    if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}
