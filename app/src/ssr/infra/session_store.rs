//! Sessions in our own database, so every app instance sees every session.
//!
//! tower-sessions-sqlx-store wants a concrete `SqlitePool` or `PgPool`; Tryggkarta runs
//! one `AnyPool` over either, so this small store speaks to that pool instead.
//!
//! Every signed-in request needs its session and then its account (axum-login asks the
//! backend for the user the session names). The session row keeps the account's id, so
//! loading a session reads the account in the same statement and hands it to
//! [`crate::ssr::accounts::auth::Backend::get_user`] through a value that lives only as long as the
//! request ([`account_handoff`]): one database round trip instead of two, and the
//! account is exactly as fresh as if it had been read on its own. Sessions asked for at
//! the same moment are read together ([`Loader`]).

use std::cell::Cell;

use async_trait::async_trait;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum_login::tower_sessions::session::{Id, Record};
use axum_login::tower_sessions::session_store::{self, SessionStore};
use sqlx::{AnyPool, FromRow, Row};
use tokio::sync::mpsc;

use crate::ssr::accounts::{self, AccountRow};
use crate::ssr::infra::db::{is_unique_violation, now_ms, Backend, Db};
use crate::ssr::infra::sql::SessionKey;

/// Where axum-login keeps the signed-in user in a session's data (its default, named
/// here because the store reads the user's id from it).
pub const AUTH_DATA_KEY: &str = "axum-login.data";

tokio::task_local! {
    /// The account read with the request's session, until the backend takes it.
    static LOADED_ACCOUNT: Cell<Option<AccountRow>>;
}

/// Middleware around the auth layer: gives the request a place for the account read
/// with its session. Without it (a session loaded outside a request) the backend reads
/// the account on its own.
pub async fn account_handoff(request: Request, next: Next) -> Response {
    LOADED_ACCOUNT.scope(Cell::new(None), next.run(request)).await
}

/// The account loaded with this request's session, if it is the one with `id`.
pub fn take_loaded_account(id: &str) -> Option<AccountRow> {
    LOADED_ACCOUNT
        .try_with(Cell::take)
        .ok()
        .flatten()
        .filter(|row| row.id == id)
}

/// The id of the account a session is signed in as, from axum-login's part of its data.
fn account_id(record: &Record) -> Option<&str> {
    record.data.get(AUTH_DATA_KEY)?.get("user_id")?.as_str()
}

/// The most sessions one statement reads.
const MAX_LOADS: usize = 64;
/// Tasks reading sessions, each with one statement in flight.
const LOADERS: usize = 2;

/// The statement reading up to `ids` sessions (the ids, then the time now) with the
/// account each is signed in as, if that account is still in use.
fn load_statement(backend: Backend, ids: usize) -> String {
    let list = (1..=ids)
        .map(|n| backend.parameter(n))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "select s.id as session_id, s.data, s.expires_at, {} from session s
         left join account a on a.id = s.account_id and a.disabled_at is null
         where s.id in ({list}) and s.expires_at > {}",
        accounts::columns("a."),
        backend.parameter(ids + 1)
    )
}

/// The read for each batch size.
static STATEMENTS: std::sync::LazyLock<crate::ssr::infra::batch::Statements> =
    std::sync::LazyLock::new(|| crate::ssr::infra::batch::Statements::new(MAX_LOADS, load_statement));

/// A session as stored, with its account.
#[derive(Clone, Debug)]
struct Stored {
    data: String,
    expires_at: i64,
    account: Option<AccountRow>,
}

type LoadJob = crate::ssr::infra::batch::Asked<Id, Option<Stored>>;

/// Sessions asked for at the same moment (every signed-in request asks for its own) are
/// read with one statement by a few tasks (`batch`): one round trip for many requests.
/// Each request's session is read after the request asked for it, so it is as fresh as
/// if read alone: signing out, or disabling an account, takes effect for the next
/// request on every instance.
#[derive(Clone, Debug)]
pub struct Loader(mpsc::Sender<LoadJob>);

impl Loader {
    pub fn start(pool: &AnyPool, backend: Backend) -> Loader {
        let pool = pool.clone();
        Loader(crate::ssr::infra::batch::start(LOADERS, MAX_LOADS, move |jobs| {
            let pool = pool.clone();
            async move { load_together(&pool, backend, jobs).await }
        }))
    }

    async fn load(&self, id: Id) -> Result<Option<Stored>, sqlx::Error> {
        crate::ssr::infra::batch::ask(&self.0, id).await
    }
}

/// Reads the unexpired sessions among `ids` (the list is filled up to a power of two
/// with its last id) with their accounts.
async fn read_sessions(
    pool: &AnyPool,
    backend: Backend,
    ids: &[String],
) -> Result<Vec<(String, Stored)>, sqlx::Error> {
    let statement = STATEMENTS.for_rows(backend, ids.len());
    let mut query = sqlx::query(statement);
    let padded = ids.len().next_power_of_two();
    for n in 0..padded {
        query = query.bind(&ids[n.min(ids.len() - 1)]);
    }
    let rows = query.bind(now_ms()).fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            let id: String = row.try_get("session_id")?;
            let account = match row.try_get::<Option<String>, _>("id")? {
                Some(_) => Some(AccountRow::from_row(row)?),
                None => None,
            };
            Ok((
                id,
                Stored {
                    data: row.try_get("data")?,
                    expires_at: row.try_get("expires_at")?,
                    account,
                },
            ))
        })
        .collect()
}

async fn load_together(pool: &AnyPool, backend: Backend, jobs: Vec<LoadJob>) {
    let mut ids: Vec<String> = jobs.iter().map(|(id, _)| id.to_string()).collect();
    ids.sort_unstable();
    ids.dedup();
    match read_sessions(pool, backend, &ids).await {
        Ok(found) => {
            for (id, reply) in jobs {
                let id = id.to_string();
                let stored = found
                    .iter()
                    .find(|(found, _)| *found == id)
                    .map(|(_, stored)| stored.clone());
                let _ = reply.send(Ok(stored));
            }
        }
        // Each on its own, so each request gets its own answer (or its own error).
        Err(err) => {
            tracing::warn!(error = %err, sessions = ids.len(), "sessions read together failed; reading them one by one");
            for (id, reply) in jobs {
                let stored = read_sessions(pool, backend, &[id.to_string()])
                    .await
                    .map(|found| found.into_iter().next().map(|(_, stored)| stored));
                let _ = reply.send(stored);
            }
        }
    }
}

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
    /// Sessions are read through its tasks, many in one statement.
    sessions: Loader,
}

impl DbSessionStore {
    /// The store, with its loader tasks started.
    pub fn start(db: Db) -> Self {
        DbSessionStore {
            sessions: Loader::start(&db.pool, db.backend),
            db,
        }
    }
}

/// Removes expired sessions; run periodically.
pub async fn delete_expired(db: &Db) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("delete from session where expires_at < $1")
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

fn backend(err: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

// tower-sessions speaks the `time` crate: its values are converted here, at the session
// layer's boundary, and nowhere else (the app's one time library is chrono).
use axum_login::tower_sessions::cookie::time as session_time;

/// A length of time as the session layer takes it (`Expiry::OnInactivity`).
pub type SessionDuration = session_time::Duration;

pub fn minutes(minutes: u32) -> SessionDuration {
    session_time::Duration::minutes(i64::from(minutes))
}

fn expires_at(record: &Record) -> i64 {
    (record.expiry_date.unix_timestamp_nanos() / 1_000_000) as i64
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = encode(record)?;
        loop {
            let now = now_ms();
            let inserted = sqlx::query(
                "insert into session (id, data, expires_at, created_at, updated_at, account_id)
                 values ($1, $2, $3, $4, $4, $5)",
            )
            .bind(SessionKey(record.id))
            .bind(&data)
            .bind(expires_at(record))
            .bind(now)
            .bind(account_id(record))
            .execute(&self.db.pool)
            .await;
            match inserted {
                Ok(_) => return Ok(()),
                // A 128-bit random id collided: draw another.
                Err(err) if is_unique_violation(&err) => record.id = Id::default(),
                Err(err) => return Err(backend(err)),
            }
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let now = now_ms();
        sqlx::query(
            "insert into session (id, data, expires_at, created_at, updated_at, account_id)
             values ($1, $2, $3, $4, $4, $5)
             on conflict (id) do update set data = excluded.data, expires_at = excluded.expires_at,
             updated_at = excluded.updated_at, account_id = excluded.account_id",
        )
        .bind(SessionKey(record.id))
        .bind(encode(record)?)
        .bind(expires_at(record))
        .bind(now)
        .bind(account_id(record))
        .execute(&self.db.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(stored) = self.sessions.load(*id).await.map_err(backend)? else {
            return Ok(None);
        };
        if let Some(account) = stored.account {
            // Outside a request (no handoff) the account is simply not passed on.
            let _ = LOADED_ACCOUNT.try_with(|loaded| loaded.set(Some(account)));
        }
        let data =
            serde_json::from_str(&stored.data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = session_time::OffsetDateTime::from_unix_timestamp_nanos(
            i128::from(stored.expires_at) * 1_000_000,
        )
        .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("delete from session where id = $1")
            .bind(SessionKey(*id))
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
