//! `GET /api/v1/health`: for load balancers and monitoring.

use app::ssr::infra::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

#[utoipa::path(get, path = "/api/v1/health", tag = "health",
    responses((status = 200, description = "Allt fungerar"), (status = 503, description = "Databasen svarar inte")))]
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    if state.db.is_healthy().await {
        (StatusCode::OK, Json(json!({ "status": "ok", "database": "ok" })))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "database": "unavailable" })),
        )
    }
}
