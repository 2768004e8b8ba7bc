//! The client's address, for the limits counted per connection (failed sign-ins, wrong
//! join codes, residents' tips): the socket's, or behind a trusted proxy the last
//! `X-Forwarded-For` entry.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;

use super::config::Config;

/// The address of the request whose headers and connection these are.
pub fn of(headers: &HeaderMap, connection: Option<&ConnectInfo<SocketAddr>>, trust_proxy: bool) -> String {
    let forwarded = trust_proxy
        .then(|| headers.get("x-forwarded-for"))
        .flatten()
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.rsplit(',').next())
        .map(|addr| addr.trim().to_owned());
    let socket = connection.map(|ConnectInfo(addr)| addr.ip().to_string());
    forwarded.or(socket).unwrap_or_else(|| "unknown".into())
}

/// [`of`] for the request a server function is answering.
pub async fn address(config: &Config) -> String {
    let headers: HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    let connection: Option<ConnectInfo<SocketAddr>> = leptos_axum::extract().await.ok();
    of(&headers, connection.as_ref(), config.trust_proxy)
}
