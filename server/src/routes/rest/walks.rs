//! `/api/v1/walks`: planning, joining by code, closing, and the QR code to join.

use app::domain::access::{require, Capability};
use app::domain::ids::WalkId;
use app::domain::walk::{NewWalk, Walk};
use app::error::{AppError, Guessed};
use app::ssr::accounts::auth::{self, AuthSession, SessionUser};
use app::ssr::infra::db::now_ms;
use app::ssr::infra::state::AppState;
use app::ssr::walks;
use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;

use super::extract::{body, created_status, path, SignedIn};
use crate::routes::errors::ErrorBody;
use crate::routes::session::ClientAddr;

/// Wrong codes allowed per client address within the sign-in window.
const MAX_WRONG_CODES: i64 = 20;
/// How long joining a walk keeps the participant's session on the longer idle time.
const WALK_DUTY_MS: i64 = 4 * 3_600_000;

/// Plans a walk; 200 with the walk already planned when the same id comes again.
#[utoipa::path(post, path = "/api/v1/walks", tag = "walks", request_body = NewWalk,
    responses((status = 201, body = Walk), (status = 200, description = "Redan planerad (already planned)", body = Walk),
        (status = 409, description = "Id:t tillhör en annan vandring (the id is another walk's)", body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    new: Result<Json<NewWalk>, JsonRejection>,
) -> Result<(StatusCode, Json<Walk>), AppError> {
    let new = body(new)?;
    let (walk, created) = walks::create(&state.db, &user, &new).await?;
    Ok((created_status(created), Json(walk)))
}

#[utoipa::path(get, path = "/api/v1/walks", tag = "walks", responses((status = 200, body = Vec<Walk>), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<Vec<Walk>>, AppError> {
    Ok(Json(walks::list(&state.db, &user).await?))
}

#[utoipa::path(get, path = "/api/v1/walks/{id}", tag = "walks", params(("id" = Uuid, Path)),
    responses((status = 200, body = Walk), (status = 404, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<WalkId>, PathRejection>,
) -> Result<Json<Walk>, AppError> {
    Ok(Json(walks::get(&state.db, &user, path(id)?).await?))
}

#[utoipa::path(post, path = "/api/v1/walks/{id}/close", tag = "walks", params(("id" = Uuid, Path)),
    responses((status = 200, body = Walk), (status = 403, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<WalkId>, PathRejection>,
) -> Result<Json<Walk>, AppError> {
    Ok(Json(walks::close(&state.db, &user, path(id)?).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Join {
    code: String,
}

/// `POST /api/v1/walks/join` with `{ "code" }`: someone without an account becomes a
/// participant of this walk only, signed in on this phone.
#[utoipa::path(post, path = "/api/v1/walks/join", tag = "walks", request_body = Join,
    responses((status = 200, description = "Med i vandringen, inloggad som deltagare", body = Walk),
        (status = 422, description = "Fel kod", body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn join(
    State(state): State<AppState>,
    mut session: AuthSession,
    client: ClientAddr,
    request: Result<Json<Join>, JsonRejection>,
) -> Result<Json<Walk>, AppError> {
    let request = body(request)?;
    Ok(Json(
        join_walk(&state, &mut session, &client, &request.code).await?,
    ))
}

#[derive(Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    kod: String,
}

/// `POST /vandring` from the join page; works without JavaScript.
pub async fn join_form(
    State(state): State<AppState>,
    mut session: AuthSession,
    client: ClientAddr,
    form: Result<Form<JoinForm>, FormRejection>,
) -> Redirect {
    let code = form.map(|Form(form)| form.kod).unwrap_or_default();
    match join_walk(&state, &mut session, &client, &code).await {
        Ok(walk) => Redirect::to(&format!("/vandring/{}", walk.id)),
        Err(err) => {
            let reason = match err {
                AppError::Invalid { .. } => "code",
                AppError::TooManyAttempts(_) => "rate_limited",
                _ => "internal",
            };
            let code: String = code
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(12)
                .collect();
            Redirect::to(&format!("/vandring?fel={reason}&kod={code}"))
        }
    }
}

/// Joins by code, limiting wrong guesses per client address.
async fn join_walk(
    state: &AppState,
    session: &mut AuthSession,
    client: &ClientAddr,
    code: &str,
) -> Result<Walk, AppError> {
    let subject = format!("join:{}", client.0);
    let attempt = app::ssr::infra::attempts::Attempt::start(
        &state.db,
        Guessed::JoinCode,
        &[(&subject, MAX_WRONG_CODES)],
    )
    .await?;
    let signed_in = session
        .user
        .as_ref()
        .map(|session_user| session_user.user.clone());
    let (walk, new_account) = match walks::join(&state.db, signed_in.as_ref(), code).await {
        Ok(joined) => joined,
        Err(err @ AppError::Invalid { .. }) => {
            attempt.failed();
            return Err(err);
        }
        Err(err) => {
            attempt.passed(&state.db).await?;
            return Err(err);
        }
    };
    attempt.passed(&state.db).await?;
    if let Some(account) = new_account.map(SessionUser::from_row).transpose()? {
        crate::routes::session::start_session(session, &account).await?;
    }
    // Between two findings a participant may not touch the phone for long.
    auth::mark_on_duty(&session.session, now_ms() + WALK_DUTY_MS).await?;
    Ok(walk)
}

/// `GET /api/v1/walks/{id}/qr.svg`: the join link as a QR code, for the coordinator to
/// show or print.
#[utoipa::path(get, path = "/api/v1/walks/{id}/qr.svg", tag = "walks", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 403, body = ErrorBody), (status = 401, description = "Inte inloggad", body = ErrorBody)))]
pub async fn qr_code(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<WalkId>, PathRejection>,
) -> Result<Response, AppError> {
    require(&user, Capability::PlanWalks)?;
    let walk = walks::get(&state.db, &user, path(id)?).await?;
    let link = format!(
        "{}/vandring?kod={}",
        state.config.public_url.trim_end_matches('/'),
        walk.join_code
    );
    let svg = qrcode::QrCode::new(link.as_bytes())
        .map_err(|_| AppError::Internal)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct RewalkQuery {
    /// How near a finding must lie to an earlier one to be the same place (5–500 m, default 30).
    distance_m: Option<f64>,
}

/// A re-walk against the walk it follows up: place by place, what was found before, what
/// was done and what is found now. 404 for a walk that follows up none.
#[utoipa::path(get, path = "/api/v1/walks/{id}/rewalk", tag = "walks", params(("id" = Uuid, Path), RewalkQuery),
    responses((status = 200, body = app::domain::walk::RewalkReport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rewalk(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    id: Result<Path<WalkId>, PathRejection>,
    wanted: Result<axum::extract::Query<RewalkQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<app::domain::walk::RewalkReport>, AppError> {
    let id = path(id)?;
    let wanted = super::extract::query(wanted)?;
    Ok(Json(
        walks::rewalk(&state.db, &user, id, wanted.distance_m).await?,
    ))
}
