//! Signing in: the axum-login backend.
//!
//! Failed sign-ins are counted per account and per client address (`attempts`), each
//! before its password is checked. A wrong password and an unknown email take the same
//! time and give the same answer, so nobody can probe which emails exist.

use axum_login::tower_sessions::Session;
use axum_login::{AuthUser, AuthnBackend};

use crate::domain::user::{CurrentUser, UserId};
use crate::error::{AppError, Guessed};
use crate::ssr::accounts::{self, AccountRow};
use crate::ssr::infra::attempts::{Attempt, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_CLIENT};
use crate::ssr::infra::config::SessionLimits;
use crate::ssr::infra::db::{now_ms, Db};
use crate::ssr::infra::session_store;

/// The signed-in account as axum-login keeps it in the session.
#[derive(Clone)]
pub struct SessionUser {
    pub user: CurrentUser,
    /// Whether the account signs in with a second factor (an authenticator app).
    pub second_factor: bool,
    /// The password hash and the account's session version: a change of either ends the
    /// sessions opened before it.
    auth_hash: String,
}

impl std::fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionUser")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl SessionUser {
    pub fn from_row(row: AccountRow) -> Result<SessionUser, AppError> {
        Ok(SessionUser {
            user: row.to_user()?,
            second_factor: row.totp_secret.is_some(),
            auth_hash: format!("{}#{}", row.password_hash, row.session_version),
        })
    }
}

impl AuthUser for SessionUser {
    type Id = UserId;

    fn id(&self) -> UserId {
        self.user.id
    }

    /// A new password, or a raised session version (disabling the account, changing its
    /// role, "end sessions"), ends every session opened before.
    fn session_auth_hash(&self) -> &[u8] {
        self.auth_hash.as_bytes()
    }
}

#[derive(Clone, Debug)]
pub struct Credentials {
    pub email: String,
    pub password: String,
    /// The client's address, for the per-client limit.
    pub client: String,
    /// The authenticator app's code, for an account with a second factor.
    pub code: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Backend {
    db: Db,
}

impl Backend {
    pub fn new(db: Db) -> Self {
        Backend { db }
    }
}

impl AuthnBackend for Backend {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = AppError;

    /// Checks the password; `Ok(None)` for a wrong email or password,
    /// `Err(TooManyAttempts)` when the limit is reached.
    async fn authenticate(&self, creds: Credentials) -> Result<Option<SessionUser>, AppError> {
        let email = accounts::normalise_email(&creds.email);
        let account_key = format!("account:{email}");
        let client_key = format!("ip:{}", creds.client);
        let attempt = Attempt::start(
            &self.db,
            Guessed::SignIn,
            &[
                (&account_key, MAX_FAILURES_PER_ACCOUNT),
                (&client_key, MAX_FAILURES_PER_CLIENT),
            ],
        )
        .await?;
        // A disabled account is checked like any other, so the time taken tells nothing;
        // only the right password learns that it is disabled.
        let (row, disabled) = match accounts::find_by_email(&self.db, &email).await? {
            Some(row) => (Some(row), false),
            None => (accounts::find_disabled_by_email(&self.db, &email).await?, true),
        };
        let password = creds.password;
        let hash = row.as_ref().map(|r| r.password_hash.clone());
        // Argon2 is deliberately slow: keep it off the async workers.
        let verified = tokio::task::spawn_blocking(move || match hash {
            Some(hash) => accounts::verify_password(&password, &hash),
            None => {
                // Same work for an unknown email as for a known one.
                let _ = accounts::verify_password(&password, dummy_hash());
                false
            }
        })
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "password check task failed");
            AppError::Internal
        })?;
        if !verified {
            attempt.failed();
            tracing::info!(client = %creds.client, "failed sign-in");
            return Ok(None);
        }
        if disabled {
            attempt.passed(&self.db).await?;
            tracing::info!(client = %creds.client, "sign-in to a disabled account refused");
            return Err(AppError::AccountDisabled);
        }
        // The password is right; an account with a second factor needs its code too.
        if let Some(row) = row.as_ref().filter(|row| row.totp_secret.is_some()) {
            let typed = creds.code.as_deref().map(str::trim).unwrap_or_default();
            if typed.is_empty() {
                attempt.passed(&self.db).await?;
                return Err(accounts::second_factor::code_needed());
            }
            if !accounts::second_factor::use_code(&self.db, row, typed).await? {
                attempt.failed();
                tracing::info!(client = %creds.client, "wrong second-factor code");
                return Err(accounts::second_factor::wrong_code());
            }
        }
        attempt.passed(&self.db).await?;
        // A right password also forgets the account's earlier failures.
        sqlx::query("delete from login_failure where subject = $1")
            .bind(&account_key)
            .execute(&self.db.pool)
            .await?;
        row.map(SessionUser::from_row).transpose()
    }

    async fn get_user(&self, id: &UserId) -> Result<Option<SessionUser>, AppError> {
        let loaded = crate::ssr::infra::session_store::take_loaded_account(&id.0.to_string());
        let row = match loaded {
            Some(row) => row,
            None => match accounts::find_by_id(&self.db, id).await? {
                Some(row) => row,
                None => return Ok(None),
            },
        };
        // A corrupt account row is logged (once, by the decode) and its sessions end: an
        // error here would fail every request of that browser, signing out included.
        Ok(SessionUser::from_row(row).ok())
    }
}

/// Whether `user` must set up a second factor before anything else, when the
/// municipality requires it (`TRYGGKARTA_REQUIRE_MFA`) of their role
/// (`domain::access::second_factor_required`).
pub fn must_set_up_second_factor(user: &SessionUser, required: bool) -> bool {
    required && crate::domain::access::second_factor_required(user.user.role) && !user.second_factor
}

/// A valid argon2id hash of a random password, computed once, for unknown emails.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| accounts::hash_password(&accounts::generate_password()).unwrap_or_default())
}

pub type AuthSession = axum_login::AuthSession<Backend>;

/// The signed-in user of the request being served, read inside a server function or
/// page render.
pub async fn current_user() -> Option<CurrentUser> {
    leptos_axum::extract::<AuthSession>()
        .await
        .ok()
        .and_then(|session| session.user)
        .map(|session_user| session_user.user)
}

/// The signed-in user, or `Unauthorized`.
pub async fn require_user() -> Result<CurrentUser, AppError> {
    current_user().await.ok_or(AppError::Unauthorized)
}

/// What the session itself remembers about its age and use (ASVS 5.0 V7.3), beside the
/// signed-in user axum-login keeps.
mod keys {
    pub const SIGNED_IN_AT: &str = "tk.signed_in_at";
    pub const SEEN_AT: &str = "tk.seen_at";
    pub const ON_DUTY_UNTIL: &str = "tk.on_duty_until";
}

/// A session's last use is written again only when it is older than this: one write a
/// minute per session at most, instead of one per request (a phone sending a shift's
/// reports would otherwise rewrite its session row with every one).
const SEEN_RESOLUTION_MS: i64 = 60_000;

/// The longest a session may stay unused, whatever the user is doing: what the session
/// layer gives every stored session, so the store forgets it at the latest then.
pub fn longest_idle(limits: &SessionLimits) -> session_store::SessionDuration {
    session_store::minutes(limits.idle_minutes.max(limits.duty_idle_minutes))
}

/// Ends the request's session when it is past its limits: unused for longer than the
/// idle time (longer while on duty: a patrol shift or a walk), or older than the
/// absolute lifetime. The request then goes on signed out (a page sends the user to sign
/// in, an API call answers 401, and the phone's outbox keeps what it holds).
pub async fn keep_within_limits(auth: &mut AuthSession, limits: &SessionLimits) -> Result<(), AppError> {
    if auth.user.is_none() {
        return Ok(());
    }
    let now = now_ms();
    let session = auth.session.clone();
    let signed_in_at = session
        .get::<i64>(keys::SIGNED_IN_AT)
        .await
        .map_err(session_error)?;
    let seen_at = session.get::<i64>(keys::SEEN_AT).await.map_err(session_error)?;
    let on_duty = session
        .get::<i64>(keys::ON_DUTY_UNTIL)
        .await
        .map_err(session_error)?
        .is_some_and(|until| until > now);
    let idle_ms = 60_000
        * i64::from(if on_duty {
            limits.duty_idle_minutes
        } else {
            limits.idle_minutes
        });
    let max_ms = 3_600_000 * i64::from(limits.max_hours);
    let too_old = signed_in_at.is_some_and(|at| now - at > max_ms);
    let unused = seen_at.is_some_and(|at| now - at > idle_ms);
    if too_old || unused {
        tracing::info!(user = %auth.user.as_ref().map(|u| u.user.id.0.to_string()).unwrap_or_default(),
            too_old, unused, "session ended by its limits");
        auth.logout().await.map_err(|err| {
            tracing::error!(error = %err, "could not end a session");
            AppError::Internal
        })?;
        return Ok(());
    }
    // A session from before these limits counts from now.
    if signed_in_at.is_none() {
        session
            .insert(keys::SIGNED_IN_AT, now)
            .await
            .map_err(session_error)?;
    }
    if seen_at.is_none_or(|at| now - at >= SEEN_RESOLUTION_MS) {
        session.insert(keys::SEEN_AT, now).await.map_err(session_error)?;
    }
    Ok(())
}

/// A new session starts its clocks.
pub async fn mark_signed_in(session: &Session) -> Result<(), AppError> {
    let now = now_ms();
    session
        .insert(keys::SIGNED_IN_AT, now)
        .await
        .map_err(session_error)?;
    session.insert(keys::SEEN_AT, now).await.map_err(session_error)
}

/// The user is on duty (a shift started, a walk joined) until `until_ms` or
/// [`mark_off_duty`]: the longer idle time applies.
pub async fn mark_on_duty(session: &Session, until_ms: i64) -> Result<(), AppError> {
    session
        .insert(keys::ON_DUTY_UNTIL, until_ms)
        .await
        .map_err(session_error)
}

pub async fn mark_off_duty(session: &Session) -> Result<(), AppError> {
    session
        .remove::<i64>(keys::ON_DUTY_UNTIL)
        .await
        .map(|_| ())
        .map_err(session_error)
}

fn session_error(err: axum_login::tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %err, "session store failed");
    AppError::Internal
}
