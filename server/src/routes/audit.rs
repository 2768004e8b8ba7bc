//! Exports in the audit log: every file of records that leaves the app (CSV for Excel,
//! GeoJSON for QGIS) is recorded with who asked and for what, whichever route served it,
//! so a new export cannot forget to log itself.

use app::domain::admin::AuditAction;
use app::error::AppError;
use app::ssr::accounts::auth::AuthSession;
use app::ssr::infra::audit;
use app::ssr::infra::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether an answer is a file of records: sent as an attachment, or as CSV or GeoJSON.
pub fn is_export(response: &Response) -> bool {
    let headers = response.headers();
    let attachment = headers
        .get(header::CONTENT_DISPOSITION)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("attachment"));
    let data = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/csv") || value.starts_with("application/geo+json"));
    response.status().is_success() && (attachment || data)
}

/// Records a successful export after the route made it and before it is sent; if the log
/// cannot be written, the file is not sent either.
pub async fn record_exports(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let user = request
        .extensions()
        .get::<AuthSession>()
        .and_then(|auth| auth.user.as_ref())
        .map(|session_user| session_user.user.id);
    let Some(user) = user else {
        return next.run(request).await;
    };
    let what = request
        .uri()
        .path_and_query()
        .map(|target| target.as_str().to_owned())
        .unwrap_or_default();
    let response = next.run(request).await;
    if !is_export(&response) {
        return response;
    }
    match audit::record_by(&state.db.pool, Some(&user), AuditAction::Export, &what, "").await {
        Ok(()) => response,
        Err(err) => {
            tracing::error!(error = ?err, "an export could not be logged; not sent");
            AppError::Internal.into_response()
        }
    }
}
