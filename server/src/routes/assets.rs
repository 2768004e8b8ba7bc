//! The app's static files: brotli or gzip copies made at build time (`cargo leptos build
//! --precompress`) when the browser takes them, and a year of caching for names that can
//! never change content (hashed `/pkg` files, versioned `/vendor` folders).

use axum::http::{header, HeaderValue, Response};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::services::fs::ServeFileSystemResponseBody;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

const FOREVER: &str = "public, max-age=31536000, immutable";
/// Names without a hash are asked again each time (a 304 when nothing changed).
const REVALIDATE: &str = "no-cache";

/// `/pkg` and `/vendor` under `site_root`. `hashed`: whether this build's `/pkg` names
/// carry content hashes (see `app::ui::assets`).
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &str, hashed: bool) -> Router<S> {
    let files = |folder: &str, cache: &'static str| {
        // Only a file that was found may be kept: a 404 cached for a year would break a
        // page whose chunk was missing for a moment during a deploy.
        let when_found = move |response: &Response<ServeFileSystemResponseBody>| {
            response
                .status()
                .is_success()
                .then(|| HeaderValue::from_static(cache))
        };
        ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                when_found,
            ))
            .service(
                ServeDir::new(format!("{site_root}/{folder}"))
                    .precompressed_br()
                    .precompressed_gzip(),
            )
    };
    Router::new()
        .nest_service("/pkg", files("pkg", if hashed { FOREVER } else { REVALIDATE }))
        .nest_service("/vendor", files("vendor", FOREVER))
}
