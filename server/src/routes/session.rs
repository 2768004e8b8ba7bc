//! Signing in and out: a form post for the pages (works without JavaScript) and JSON
//! under `/api/v1/session` for API clients. Both go through `sign_in`.

use std::net::SocketAddr;

use app::domain::admin::AuditAction;
use app::domain::user::CurrentUser;
use app::error::AppError;
use app::ssr::accounts::auth::{AuthSession, Credentials};
use app::ssr::infra::state::AppState;
use app::ssr::{accounts, infra::audit};
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use axum_login::AuthnBackend;
use serde::Deserialize;

use super::pages::local_path;

/// The client's address, for the limit on failed sign-ins.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(app::ssr::infra::client::of(
            &parts.headers,
            parts.extensions.get::<ConnectInfo<SocketAddr>>(),
            state.config.trust_proxy,
        )))
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SignIn {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    /// The six-digit code of the authenticator app, for an account with a second factor.
    #[serde(default, rename = "code", alias = "kod")]
    code: Option<String>,
    /// Where to go after signing in (form only).
    #[serde(default)]
    nasta: String,
}

async fn sign_in(
    auth: &mut AuthSession,
    state: &AppState,
    form: SignIn,
    client: ClientAddr,
) -> Result<CurrentUser, AppError> {
    if form.email.trim().is_empty() || form.password.is_empty() {
        return Err(AppError::invalid(
            "email",
            "Fyll i både e-postadress och lösenord.",
            "Fill in both email address and password.",
        ));
    }
    let email = app::ssr::accounts::normalise_email(&form.email);
    let credentials = Credentials {
        email: form.email,
        password: form.password,
        client: client.0.clone(),
        code: form.code,
    };
    // Sign-ins are in the audit log (ASVS 5.0 V16.3.1): who, from where, and failures with
    // the e-mail as typed. Attempts past the limit are refused before any work and only
    // traced (as a warning), so a flood cannot fill the log. The backend is asked
    // directly: through `AuthSession::authenticate` every refusal would be an ERROR in
    // the log, a guesser's included.
    let authenticated = match auth.backend.authenticate(credentials).await {
        Err(err @ AppError::AccountDisabled) => {
            audit::record_by(
                &state.db.pool,
                None,
                AuditAction::SignInFailed,
                &email,
                &format!("{} (avstängt)", client.0),
            )
            .await?;
            return Err(err);
        }
        Err(err @ AppError::TooManyAttempts(_)) => {
            tracing::warn!(client = %client.0, "sign-in refused: too many failed attempts");
            return Err(err);
        }
        // The password was right and the code missing or wrong: a leaked password shows here.
        Err(err @ AppError::Invalid { .. }) => {
            let detail = format!("{} (kod)", client.0);
            audit::record_by(&state.db.pool, None, AuditAction::SignInFailed, &email, &detail).await?;
            return Err(err);
        }
        other => other?,
    };
    let Some(user) = authenticated else {
        audit::record_by(&state.db.pool, None, AuditAction::SignInFailed, &email, &client.0).await?;
        return Err(AppError::InvalidCredentials);
    };
    // Logged before the session starts: a sign-in that cannot be logged does not happen.
    audit::record(&state.db.pool, &user.user, AuditAction::SignIn, &email, &client.0).await?;
    start_session(auth, &user).await?;
    Ok(user.user)
}

/// Signs `user` in with a new session id. axum-login only renews the id when nobody
/// was signed in, but a phone can already hold a participant session (joined by code):
/// without a new id, a participant cookie planted in someone's browser would become
/// their staff session.
pub async fn start_session(
    auth: &mut AuthSession,
    user: &app::ssr::accounts::auth::SessionUser,
) -> Result<(), AppError> {
    auth.session.cycle_id().await.map_err(|err| {
        tracing::error!(error = %err, "could not renew the session id");
        AppError::Internal
    })?;
    auth.login(user).await.map_err(auth_error)?;
    // A second factor half set up before this sign-in (and its secret) goes with it.
    auth.session
        .remove::<app::ssr::infra::totp::Pending>(app::ssr::infra::totp::PENDING_SECRET)
        .await
        .map_err(session_error)?;
    app::ssr::accounts::auth::mark_signed_in(&auth.session).await
}

/// Ends a session past its idle time or absolute lifetime before anything reads the user
/// (`app::ssr::accounts::auth::keep_within_limits`). Runs inside the auth layer, on the very
/// `AuthSession` later extractors clone, so the rest of the request sees it signed out.
pub async fn session_limits(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if let Some(auth) = request.extensions_mut().get_mut::<AuthSession>() {
        if let Err(err) = app::ssr::accounts::auth::keep_within_limits(auth, &state.config.sessions).await {
            return err.into_response();
        }
    }
    next.run(request).await
}

fn auth_error(err: axum_login::Error<app::ssr::accounts::auth::Backend>) -> AppError {
    match err {
        axum_login::Error::Backend(err) => err,
        axum_login::Error::Session(err) => {
            tracing::error!(error = %err, "session store failed");
            AppError::Internal
        }
    }
}

/// `POST /logga-in` from the sign-in page.
pub async fn sign_in_form(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut auth: AuthSession,
    client: ClientAddr,
    form: Result<Form<SignIn>, FormRejection>,
) -> Redirect {
    let Ok(Form(form)) = form else {
        return Redirect::to("/logga-in?fel=invalid");
    };
    let next = local_path(&form.nasta).to_owned();
    match sign_in(&mut auth, &state, form, client).await {
        Ok(_) => Redirect::to(&next),
        Err(err) => {
            let code = match err {
                AppError::InvalidCredentials => "credentials",
                AppError::AccountDisabled => "disabled",
                AppError::TooManyAttempts(_) => "rate_limited",
                AppError::Invalid { ref field, .. } if field == "code" => "code",
                AppError::Invalid { .. } => "invalid",
                _ => "internal",
            };
            Redirect::to(&format!("/logga-in?fel={code}&nasta={next}"))
        }
    }
}

/// `POST /logga-ut`.
pub async fn sign_out_form(mut auth: AuthSession) -> Redirect {
    if let Err(err) = auth.logout().await {
        tracing::error!(error = %err, "sign-out failed");
    }
    Redirect::to("/logga-in")
}

/// `POST /api/v1/session` with `{ "email", "password" }`.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SignIn,
    responses((status = 200, body = CurrentUser), (status = 401, body = crate::routes::errors::ErrorBody),
        (status = 403, description = "The right password for a disabled account", body = crate::routes::errors::ErrorBody),
        (status = 429, body = crate::routes::errors::ErrorBody)))]
pub async fn sign_in_json(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut auth: AuthSession,
    client: ClientAddr,
    body: Result<Json<SignIn>, JsonRejection>,
) -> Result<Json<CurrentUser>, AppError> {
    let Json(body) = body.map_err(super::errors::json_rejection)?;
    Ok(Json(sign_in(&mut auth, &state, body, client).await?))
}

/// `GET /api/v1/session`: the signed-in user, or 401.
#[utoipa::path(get, path = "/api/v1/session", tag = "session",
    responses((status = 200, body = CurrentUser), (status = 401, body = crate::routes::errors::ErrorBody)))]
pub async fn whoami(auth: AuthSession) -> Result<Json<CurrentUser>, AppError> {
    auth.user
        .map(|session_user| Json(session_user.user))
        .ok_or(AppError::Unauthorized)
}

/// `DELETE /api/v1/session`.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204)))]
pub async fn sign_out_json(mut auth: AuthSession) -> Response {
    match auth.logout().await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => auth_error(err).into_response(),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ChangePassword {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    /// The form asks twice; API clients may leave it out.
    #[serde(default)]
    repeat_password: Option<String>,
}

/// Changes the signed-in user's password and keeps this session signed in with it; every
/// other session of the account ends.
async fn change_password(
    auth: &mut AuthSession,
    state: &AppState,
    form: ChangePassword,
) -> Result<(), AppError> {
    let user = auth
        .user
        .as_ref()
        .map(|session_user| session_user.user.clone())
        .ok_or(AppError::Unauthorized)?;
    if form
        .repeat_password
        .as_ref()
        .is_some_and(|repeat| *repeat != form.new_password)
    {
        return Err(AppError::invalid(
            "repeat_password",
            "De två nya lösenorden är inte lika.",
            "The two new passwords differ.",
        ));
    }
    let row =
        app::ssr::accounts::change_own_password(&state.db, &user, &form.current_password, &form.new_password)
            .await?;
    let session_user = app::ssr::accounts::auth::SessionUser::from_row(row)?;
    auth.login(&session_user).await.map_err(auth_error)
}

/// `POST /konto/losenord` from the account page.
pub async fn change_password_form(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut auth: AuthSession,
    form: Result<Form<ChangePassword>, FormRejection>,
) -> Redirect {
    let Ok(Form(form)) = form else {
        return Redirect::to("/konto?fel=invalid");
    };
    match change_password(&mut auth, &state, form).await {
        Ok(()) => Redirect::to("/konto?klart=1"),
        Err(AppError::Unauthorized) => Redirect::to("/logga-in?nasta=/konto"),
        Err(err) => Redirect::to(&format!("/konto?fel={}", account_error(&err))),
    }
}

/// `PUT /api/v1/session/password` with `{ "current_password", "new_password" }`.
#[utoipa::path(put, path = "/api/v1/session/password", tag = "session", request_body = ChangePassword,
    responses((status = 204, description = "Bytt; andra inloggningar avslutade"), (status = 422, body = crate::routes::errors::ErrorBody),
        (status = 401, body = crate::routes::errors::ErrorBody), (status = 429, body = crate::routes::errors::ErrorBody)))]
pub async fn change_password_json(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut auth: AuthSession,
    body: Result<Json<ChangePassword>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let Json(body) = body.map_err(super::errors::json_rejection)?;
    change_password(&mut auth, &state, body).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn signed_in_user(auth: &AuthSession) -> Result<CurrentUser, AppError> {
    auth.user
        .as_ref()
        .map(|session_user| session_user.user.clone())
        .ok_or(AppError::Unauthorized)
}

fn session_error(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "session store failed");
    AppError::Internal
}

/// A new secret for the user's authenticator app, kept in the session until confirmed.
async fn start_second_factor(auth: &AuthSession, state: &AppState) -> Result<SecondFactorSecret, AppError> {
    let user = signed_in_user(auth)?;
    if auth
        .user
        .as_ref()
        .is_some_and(|session_user| session_user.second_factor)
    {
        // Replacing it would need neither the password nor the old app.
        return Err(AppError::conflict(
            "Tvåstegsverifiering är redan på. Stäng av den först för att byta app.",
            "Two-step verification is already on. Turn it off first to change apps.",
        ));
    }
    let secret = app::ssr::infra::totp::new_secret();
    auth.session
        .insert(
            app::ssr::infra::totp::PENDING_SECRET,
            app::ssr::infra::totp::Pending::new(user.id, &secret),
        )
        .await
        .map_err(session_error)?;
    Ok(SecondFactorSecret {
        otpauth_url: app::ssr::infra::totp::otpauth_url(
            &secret,
            &user.email,
            &app::ssr::infra::totp::issuer(&state.config.public_url),
        ),
        secret,
    })
}

async fn enable_second_factor(auth: &mut AuthSession, state: &AppState, code: &str) -> Result<(), AppError> {
    let user = signed_in_user(auth)?;
    let pending: Option<app::ssr::infra::totp::Pending> = auth
        .session
        .get(app::ssr::infra::totp::PENDING_SECRET)
        .await
        .map_err(session_error)?;
    let secret = pending
        .and_then(|pending| pending.secret_of(user.id))
        .ok_or_else(|| {
            AppError::conflict(
                "Börja om: välj Slå på igen.",
                "Start again: choose Turn on again.",
            )
        })?;
    let row = accounts::second_factor::enable_second_factor(&state.db, &user, &secret, code).await?;
    start_session(auth, &app::ssr::accounts::auth::SessionUser::from_row(row)?).await
}

async fn disable_second_factor(
    auth: &mut AuthSession,
    state: &AppState,
    body: &TurnOffSecondFactor,
) -> Result<(), AppError> {
    let user = signed_in_user(auth)?;
    if state.config.require_mfa && app::domain::access::second_factor_required(user.role) {
        return Err(AppError::conflict(
            "Tvåstegsverifiering krävs för din roll och kan inte stängas av.",
            "Two-step verification is required for your role and cannot be turned off.",
        ));
    }
    let row =
        accounts::second_factor::disable_second_factor(&state.db, &user, &body.password, &body.code).await?;
    start_session(auth, &app::ssr::accounts::auth::SessionUser::from_row(row)?).await
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SecondFactorSecret {
    /// Base32, for typing into the app by hand.
    secret: String,
    /// For the QR code, or to open the app on the same phone.
    otpauth_url: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SecondFactorCode {
    #[serde(default)]
    code: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TurnOffSecondFactor {
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
}

/// `POST /api/v1/session/second-factor`: a new secret for an authenticator app, until
/// confirmed with a code (`PUT`) only in this session.
#[utoipa::path(post, path = "/api/v1/session/second-factor", tag = "session",
    responses((status = 200, body = SecondFactorSecret), (status = 401, body = crate::routes::errors::ErrorBody),
        (status = 403, body = crate::routes::errors::ErrorBody)))]
pub async fn start_second_factor_json(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: AuthSession,
) -> Result<Json<SecondFactorSecret>, AppError> {
    Ok(Json(start_second_factor(&auth, &state).await?))
}

/// `PUT /api/v1/session/second-factor` with `{ "code" }` from the app: turns it on; other
/// sessions of the account end.
#[utoipa::path(put, path = "/api/v1/session/second-factor", tag = "session", request_body = SecondFactorCode,
    responses((status = 204, description = "Påslagen"), (status = 409, body = crate::routes::errors::ErrorBody),
        (status = 422, body = crate::routes::errors::ErrorBody), (status = 401, body = crate::routes::errors::ErrorBody),
        (status = 403, body = crate::routes::errors::ErrorBody)))]
pub async fn enable_second_factor_json(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut auth: AuthSession,
    body: Result<Json<SecondFactorCode>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let Json(body) = body.map_err(super::errors::json_rejection)?;
    enable_second_factor(&mut auth, &state, &body.code).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/session/second-factor` with `{ "password", "code" }`: turns it off,
/// unless it is required for the user's role (409).
#[utoipa::path(delete, path = "/api/v1/session/second-factor", tag = "session", request_body = TurnOffSecondFactor,
    responses((status = 204, description = "Avstängd"), (status = 409, body = crate::routes::errors::ErrorBody),
        (status = 422, body = crate::routes::errors::ErrorBody), (status = 401, body = crate::routes::errors::ErrorBody),
        (status = 403, body = crate::routes::errors::ErrorBody), (status = 429, body = crate::routes::errors::ErrorBody)))]
pub async fn disable_second_factor_json(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut auth: AuthSession,
    body: Result<Json<TurnOffSecondFactor>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let Json(body) = body.map_err(super::errors::json_rejection)?;
    disable_second_factor(&mut auth, &state, &body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The account page's forms: `POST /konto/tvasteg` (start), `/konto/tvasteg/bekrafta`
/// (`code`) and `/konto/tvasteg/av` (`password`, `code`); each redirects back to the page.
pub async fn second_factor_form(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(step): axum::extract::Path<String>,
    mut auth: AuthSession,
    form: Result<Form<TurnOffSecondFactor>, FormRejection>,
) -> Redirect {
    let Ok(Form(form)) = form else {
        return Redirect::to("/konto?fel=invalid#tvasteg");
    };
    let done = match step.as_str() {
        "borja" => start_second_factor(&auth, &state).await.map(|_| "ny"),
        "bekrafta" => enable_second_factor(&mut auth, &state, &form.code)
            .await
            .map(|()| "pa"),
        "av" => disable_second_factor(&mut auth, &state, &form)
            .await
            .map(|()| "av"),
        _ => Err(AppError::NotFound),
    };
    match done {
        Ok(state) => Redirect::to(&format!("/konto?tvasteg={state}#tvasteg")),
        Err(AppError::Unauthorized) => Redirect::to("/logga-in?nasta=/konto"),
        Err(err) => Redirect::to(&format!("/konto?fel={}#tvasteg", account_error(&err))),
    }
}

/// The `?fel=` code the account page shows a refused form by (`ui::pages::account`).
fn account_error(err: &AppError) -> &'static str {
    match err {
        AppError::TooManyAttempts(_) => "rate_limited",
        AppError::Invalid { field, .. } => match field.as_str() {
            "current_password" => "current_password",
            "repeat_password" => "repeat",
            "password" => "password",
            "code" => "code",
            _ => "internal",
        },
        AppError::Conflict { .. } => "second_factor_conflict",
        _ => "internal",
    }
}
