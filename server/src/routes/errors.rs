//! Requests refused before any handler ran (too large, malformed) and panics get the
//! same JSON error body as every other API error, in Swedish and English.

use app::error::AppError;
use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Replaces the plain-text bodies of axum's and tower-http's rejections.
pub async fn explain_rejections(response: Response) -> Response {
    let is_plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|value| value.as_bytes().starts_with(b"text/plain"));
    if !is_plain {
        return response;
    }
    match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge.into_response(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::invalid(
                "content-type",
                "Fel innehållstyp i förfrågan.",
                "Wrong content type in the request.",
            ),
        )
            .into_response(),
        _ => response,
    }
}

/// Unknown addresses under `/api/v1/` answer in JSON, not with the HTML 404 page.
pub async fn api_not_found() -> AppError {
    AppError::NotFound
}

pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    tracing::error!("a request handler panicked");
    AppError::Internal.into_response()
}

/// A JSON body that could not be read: too large, or not the JSON we expect.
pub fn json_rejection(rejection: JsonRejection) -> AppError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return AppError::PayloadTooLarge;
    }
    let detail = rejection.body_text();
    // serde_path_to_error names the field first: "…target type: kind: unknown variant…".
    let field = detail
        .split_once("target type: ")
        .and_then(|(_, rest)| rest.split_once(": "))
        .map(|(path, _)| path)
        .filter(|path| !path.contains(' '))
        .unwrap_or("body");
    AppError::invalid(
        field,
        &format!("Förfrågan kunde inte läsas som JSON: {detail}"),
        &format!("The request could not be read as JSON: {detail}"),
    )
}

/// Server functions answer every error with 500 (server_fn's default); a refused form or
/// a missing record is not a server error. Gives such answers the status the error has,
/// so logs, monitoring and clients see a 422 or 404 for what it is. The body is left as
/// it is (the browser decodes any 4xx/5xx body as the error).
pub async fn server_fn_status(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let is_server_fn = {
        let path = request.uri().path();
        path.starts_with("/api/") && !path.starts_with("/api/v1/")
    };
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // An error body is small; anything larger is not one of ours.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return AppError::Internal.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}

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
