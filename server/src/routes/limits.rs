//! The limits every request passes: the size of its body, and the per-user limits
//! (`app::ssr::infra::rate`) on submissions (reports and photos) and exports. Sign-in and join
//! codes have their own limits on guesses (`app::ssr::infra::attempts::Attempt`).

use app::error::{AppError, Limit};
use app::ssr::accounts::auth::AuthSession;
use app::ssr::infra::rate::Limits;
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Request bodies larger than this are refused with 413 (photo uploads get their own
/// limit, `app::photo::MAX_PHOTO_BYTES`; outlines [`MAX_GEOMETRY_BODY_BYTES`]).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// An area or intervention outline: a municipality boundary of `MAX_VERTICES` points as
/// GeoJSON is about 1 MB.
pub const MAX_GEOMETRY_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The largest body a path takes: outlines (areas, interventions, through the API or the
/// pages' server functions) may be large, everything else is small.
pub fn body_limit(path: &str) -> usize {
    const OUTLINES: [&str; 4] = [
        "/api/v1/areas",
        "/api/v1/interventions",
        "/api/save_area",
        "/api/create_intervention",
    ];
    if OUTLINES.iter().any(|prefix| path.starts_with(prefix)) {
        MAX_GEOMETRY_BODY_BYTES
    } else {
        MAX_BODY_BYTES
    }
}

/// Refuses a body over the path's limit: at once when its length is declared, otherwise
/// when reading passes the limit (the extractors answer 413 then).
pub async fn limit_body(request: Request, next: Next) -> Response {
    let limit = body_limit(request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return AppError::PayloadTooLarge.into_response();
    }
    let (parts, body) = request.into_parts();
    let limited = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, limited)).await
}

/// Which limit a request counts against, if any: a report or photo sent, or a file of
/// records asked for (the same routes `routes::audit` logs as exports). `path` may be a
/// route's template (`/api/v1/observations/{id}/photos/{photo_id}`), as the OpenAPI
/// document writes it.
pub fn limit_of(method: &Method, path: &str) -> Option<Limit> {
    let submission = (*method == Method::POST && path == "/api/v1/observations")
        || (*method == Method::PUT && path.starts_with("/api/v1/observations/") && path.contains("/photos/"));
    // A HEAD runs the GET route and does all its work.
    let export = matches!(*method, Method::GET | Method::HEAD)
        && (path.ends_with(".csv") || path.ends_with(".geojson") || path.starts_with("/api/v1/export/"));
    if submission {
        Some(Limit::Submissions)
    } else if export {
        Some(Limit::Exports)
    } else {
        None
    }
}

pub async fn per_user(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    let Some(limit) = limit_of(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let user = request
        .extensions()
        .get::<AuthSession>()
        .and_then(|auth| auth.user.as_ref())
        .map(|session_user| session_user.user.id);
    let Some(user) = user else {
        return next.run(request).await;
    };
    match limits.take(user, limit).await {
        Ok(()) => next.run(request).await,
        Err(err) => {
            if matches!(err, AppError::OverLimit { .. }) {
                tracing::warn!(user = %user.0, ?limit, "over a per-user limit");
            }
            err.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submissions_and_exports_are_told_apart() {
        assert_eq!(
            limit_of(&Method::POST, "/api/v1/observations"),
            Some(Limit::Submissions)
        );
        assert_eq!(
            limit_of(&Method::PUT, "/api/v1/observations/x/photos/y"),
            Some(Limit::Submissions)
        );
        assert_eq!(
            limit_of(&Method::GET, "/api/v1/export/observations.csv"),
            Some(Limit::Exports)
        );
        assert_eq!(
            limit_of(&Method::GET, "/api/v1/actions.csv"),
            Some(Limit::Exports)
        );
        assert_eq!(
            limit_of(&Method::HEAD, "/api/v1/actions.csv"),
            Some(Limit::Exports)
        );
        assert_eq!(limit_of(&Method::GET, "/api/v1/observations"), None);
        assert_eq!(limit_of(&Method::POST, "/api/v1/shifts"), None);
    }
}
