//! The Content-Security-Policy of every page, and HSTS over HTTPS (ASVS 5.0 V3.4.3): scripts run only from this
//! site or with the nonce drawn for this one response, so markup that slipped into a page
//! (a place name, a note) cannot run as script.
//!
//! The nonce is drawn here, handed to the render through a request extension
//! ([`PageNonce`]), and put on the hydration scripts by Leptos (`use_nonce`). No
//! `unsafe-inline` and no `unsafe-eval` for scripts: `wasm-unsafe-eval` only lets the
//! browser compile the app's WebAssembly, not evaluate strings. Styles keep
//! `unsafe-inline`: Leaflet and the legend swatches set `style` attributes, and CSS
//! cannot run code. Map tiles come from the tile server an admin set, read with the
//! response so a change shows on the next page, on every instance.

use app::ssr::infra::state::AppState;
use app::ssr::settings;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;

/// The nonce drawn for one page response.
#[derive(Clone, Debug)]
pub struct PageNonce(pub Nonce);

/// Draws a nonce for the request and, on an HTML answer, sends the policy that names it.
pub async fn content_security_policy(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(PageNonce(nonce.clone()));
    let mut response = next.run(request).await;
    if is_page(&response) {
        let tiles = match settings::map(&state).await {
            Ok(map) => tile_source(&map.tile_url),
            // The page itself was served; without the settings, tiles from the
            // environment's server are still allowed.
            Err(_) => tile_source(&state.config.map.tile_url),
        };
        if let Ok(value) = HeaderValue::from_str(&policy(&nonce, &tiles)) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

/// Pages and API answers are made for the user who asked, and no browser cache or proxy
/// keeps them (ASVS 5.0 V14.3.2): a phone passed on, or a proxy at the municipality, must
/// not hand on a report, a position or a second factor's secret. An answer that sets its
/// own caching keeps it (static files, photos). The service worker keeps its own copies
/// of the capture pages only, so that they open without signal (`public/sw.js`).
pub async fn no_store(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    if (api || is_page(&response)) && !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

/// Whether `response` is a page (HTML), not data or a file.
fn is_page(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}

/// Served over HTTPS, browsers are told to come back only over HTTPS for a year
/// (ASVS 5.0 V12.1.1), so a first request on a café's network cannot be downgraded.
pub async fn strict_transport_security(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    if state.config.secure_cookies() {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// Provides the request's nonce to the Leptos render, replacing the one Leptos drew itself,
/// so the scripts carry the nonce the header names.
pub fn provide_page_nonce() {
    if let Some(PageNonce(nonce)) = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageNonce>().cloned())
    {
        leptos::prelude::provide_context(nonce);
    }
}

pub fn policy(nonce: &str, tiles: &str) -> String {
    format!(
        "default-src 'self'; \
         script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob: {tiles}; \
         connect-src 'self'; \
         font-src 'self'; \
         object-src 'none'; \
         base-uri 'none'; \
         form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The CSP source that allows the tile server's images: its scheme and host, a `{s}`
/// subdomain placeholder becoming `*`. A template whose host cannot be written as a source
/// (a placeholder inside a label) allows its scheme, never more.
pub fn tile_source(tile_url: &str) -> String {
    let Some((scheme, rest)) = tile_url.split_once("://") else {
        return String::new();
    };
    if !matches!(scheme, "http" | "https") {
        return String::new();
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.split_once('{') {
        None => authority.to_owned(),
        Some((before, after)) => match after.split_once('}') {
            Some((_, tail)) if before.is_empty() && tail.starts_with('.') && !tail.contains('{') => {
                format!("*{tail}")
            }
            _ => return format!("{scheme}:"),
        },
    };
    let valid = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '*' | '[' | ']'));
    if valid {
        format!("{scheme}://{host}")
    } else {
        format!("{scheme}:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tile_server_is_allowed_by_its_origin() {
        assert_eq!(
            tile_source("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"),
            "https://*.tile.openstreetmap.org"
        );
        assert_eq!(
            tile_source("http://127.0.0.1:8081/{z}/{x}/{y}.png"),
            "http://127.0.0.1:8081"
        );
        assert_eq!(
            tile_source("https://kartor.kommun.se/wmts/{z}/{x}/{y}.png"),
            "https://kartor.kommun.se"
        );
    }

    #[test]
    fn a_template_that_is_not_a_source_allows_no_more_than_its_scheme() {
        assert_eq!(tile_source("https://tiles-{s}.example.se/{z}/{x}/{y}"), "https:");
        assert_eq!(tile_source("https://a;b.example.se/{z}/{x}/{y}"), "https:");
        assert_eq!(tile_source("javascript:alert(1)"), "");
        assert_eq!(tile_source("ftp://example.se/{z}"), "");
    }

    #[test]
    fn scripts_need_the_nonce_and_nothing_inline_or_evaluated() {
        let policy = policy("abc", "https://*.tile.openstreetmap.org");
        let script = policy
            .split(';')
            .map(str::trim)
            .find(|directive| directive.starts_with("script-src"))
            .unwrap_or_default();
        assert_eq!(script, "script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'");
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("img-src 'self' data: blob: https://*.tile.openstreetmap.org;"));
    }
}
