//! `/api/v1/interventions`: insatser and their effect reports, for police and
//! coordinators.

use app::domain::ids::InterventionId;
use app::domain::intervention::{EffectReport, Intervention, NewIntervention};
use app::error::AppError;
use app::ssr::follow_up::interventions;
use app::ssr::infra::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use super::extract::{body, created_status, path, query, SignedIn};
use crate::routes::errors::ErrorBody;

#[utoipa::path(post, path = "/api/v1/interventions", tag = "interventions", request_body = NewIntervention,
    responses((status = 201, body = Intervention), (status = 200, description = "Redan sparad (already stored)", body = Intervention),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<NewIntervention>, JsonRejection>,
) -> Result<(StatusCode, Json<Intervention>), AppError> {
    let (stored, created) =
        interventions::create(&state.db, &user, &body(new)?, &state.config.bounds).await?;
    Ok((created_status(created), Json(stored)))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Only this strategy area's.
    strategy_area: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/interventions", tag = "interventions", params(ListQuery),
    responses((status = 200, body = Vec<Intervention>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    wanted: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Vec<Intervention>>, AppError> {
    let wanted = query(wanted)?;
    Ok(Json(
        interventions::list(&state.db, &user, wanted.strategy_area.as_deref()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/interventions/{id}", tag = "interventions", params(("id" = Uuid, Path)),
    responses((status = 200, body = Intervention), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<InterventionId>, PathRejection>,
) -> Result<Json<Intervention>, AppError> {
    let found = interventions::find(&state.db, &user, path(id)?).await?;
    Ok(Json(found.ok_or(AppError::NotFound)?))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct EffectQuery {
    /// The comparison ring's width in metres (100–3000, default 500).
    ring_m: Option<f64>,
}

/// Reports inside the area before and during the intervention against a comparison ring
/// around it, with Fisher's exact test (docs/hotspots.md).
#[utoipa::path(get, path = "/api/v1/interventions/{id}/effect", tag = "interventions", params(("id" = Uuid, Path), EffectQuery),
    responses((status = 200, body = EffectReport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn effect(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<InterventionId>, PathRejection>,
    wanted: Result<Query<EffectQuery>, QueryRejection>,
) -> Result<Json<EffectReport>, AppError> {
    let id = path(id)?;
    let wanted = query(wanted)?;
    Ok(Json(
        interventions::effect(&state.db, &user, id, wanted.ring_m, &state.config.bounds).await?,
    ))
}
