//! Limits per signed-in user on what is costly or sensitive in bulk (ASVS 5.0 V2.4.1):
//! submissions (reports and photos) and exports. Sign-in and join codes have their own
//! limits in the database (`app::ssr::auth`), counted across instances; these are counted
//! per instance, in memory, which is enough to stop one account from flooding or
//! exporting the whole register in a loop.
//!
//! A token bucket per user and kind: a phone coming out of a dead zone may send a shift's
//! worth of reports at once (the burst), but not keep it up. Over the limit the answer is
//! 429 with `Retry-After`; the phones' outbox keeps the report and sends it later.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use app::domain::user::UserId;
use app::error::AppError;
use app::ssr::auth::AuthSession;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What is limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Submission,
    Export,
}

/// How many a user may do at once, and how many more per minute after that.
#[derive(Clone, Copy, Debug)]
pub struct Rate {
    pub burst: f64,
    pub per_minute: f64,
}

/// Tokens left and when they were counted, per user and kind.
type Buckets = HashMap<(UserId, Kind), (f64, Instant)>;

#[derive(Clone, Debug)]
pub struct Limits {
    submissions: Rate,
    exports: Rate,
    buckets: Arc<Mutex<Buckets>>,
}

impl Limits {
    pub fn new(submissions: Rate, exports: Rate) -> Limits {
        Limits {
            submissions,
            exports,
            buckets: Arc::default(),
        }
    }

    /// Takes one from the user's bucket; `Err(seconds)` until one is back.
    fn take(&self, user: UserId, kind: Kind) -> Result<(), u64> {
        let rate = match kind {
            Kind::Submission => self.submissions,
            Kind::Export => self.exports,
        };
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        // Buckets that are full again say nothing: forget them now and then.
        if buckets.len() > 10_000 {
            buckets.retain(|_, (tokens, at)| {
                *tokens + at.elapsed().as_secs_f64() * rate.per_minute / 60.0 < rate.burst
            });
        }
        let (tokens, at) = buckets.entry((user, kind)).or_insert((rate.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate.per_minute / 60.0).min(rate.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) * 60.0 / rate.per_minute).ceil().max(1.0) as u64)
        }
    }
}

/// What a request is, for the limits: a report or photo sent, or a file of records asked
/// for (the same routes `routes::audit` logs as exports).
fn kind_of(method: &Method, path: &str) -> Option<Kind> {
    let submission = (*method == Method::POST && path == "/api/v1/observations")
        || (*method == Method::PUT && path.starts_with("/api/v1/observations/") && path.contains("/photos/"));
    // A HEAD runs the GET route and does all its work.
    let export = matches!(*method, Method::GET | Method::HEAD)
        && (path.ends_with(".csv") || path.ends_with(".geojson") || path.starts_with("/api/v1/export/"));
    if submission {
        Some(Kind::Submission)
    } else if export {
        Some(Kind::Export)
    } else {
        None
    }
}

pub async fn per_user(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    let Some(kind) = kind_of(request.method(), request.uri().path()) else {
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
    match limits.take(user, kind) {
        Ok(()) => next.run(request).await,
        Err(seconds) => {
            tracing::warn!(user = %user.0, ?kind, "rate limited");
            let mut response = AppError::TooManyAttempts.into_response();
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_rate() {
        let limits = Limits::new(
            Rate {
                burst: 3.0,
                per_minute: 60.0,
            },
            Rate {
                burst: 1.0,
                per_minute: 1.0,
            },
        );
        let anna = UserId(uuid::Uuid::now_v7());
        let bertil = UserId(uuid::Uuid::now_v7());
        for _ in 0..3 {
            assert_eq!(limits.take(anna, Kind::Submission), Ok(()));
        }
        assert_eq!(limits.take(anna, Kind::Submission), Err(1));
        // Another user, and another kind, have their own buckets.
        assert_eq!(limits.take(bertil, Kind::Submission), Ok(()));
        assert_eq!(limits.take(anna, Kind::Export), Ok(()));
        assert_eq!(limits.take(anna, Kind::Export), Err(60));
    }

    #[test]
    fn submissions_and_exports_are_told_apart() {
        assert_eq!(
            kind_of(&Method::POST, "/api/v1/observations"),
            Some(Kind::Submission)
        );
        assert_eq!(
            kind_of(&Method::PUT, "/api/v1/observations/x/photos/y"),
            Some(Kind::Submission)
        );
        assert_eq!(
            kind_of(&Method::GET, "/api/v1/export/observations.csv"),
            Some(Kind::Export)
        );
        assert_eq!(kind_of(&Method::GET, "/api/v1/actions.csv"), Some(Kind::Export));
        assert_eq!(kind_of(&Method::HEAD, "/api/v1/actions.csv"), Some(Kind::Export));
        assert_eq!(kind_of(&Method::GET, "/api/v1/observations"), None);
        assert_eq!(kind_of(&Method::POST, "/api/v1/shifts"), None);
    }
}
