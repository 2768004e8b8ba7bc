//! Sessions in our own database, so every app instance sees every session.
//!
//! tower-sessions-sqlx-store wants a concrete `SqlitePool` or `PgPool`; Tryggkarta runs
//! one `AnyPool` over either, so this small store speaks to that pool instead.
//!
//! Every signed-in request needs its session and then its account (axum-login asks the
//! backend for the user the session names). The session row keeps the account's id, so
//! loading a session reads the account in the same statement and hands it to
//! [`super::auth::Backend::get_user`] through a value that lives only as long as the
//! request ([`account_handoff`]): one database round trip instead of two, and the
//! account is exactly as fresh as if it had been read on its own.

use std::cell::Cell;

use async_trait::async_trait;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum_login::tower_sessions::session::{Id, Record};
use axum_login::tower_sessions::session_store::{self, SessionStore};
use sqlx::{FromRow, Row};

use super::accounts::{self, AccountRow};
use super::db::{is_unique_violation, now_ms, Db};

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

static LOAD: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "select s.data, s.expires_at, {} from session s
         left join account a on a.id = s.account_id and a.disabled_at is null
         where s.id = $1 and s.expires_at > $2",
        accounts::columns("a.")
    )
});

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }

    /// Removes expired sessions; run periodically.
    pub async fn delete_expired(&self) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("delete from session where expires_at < $1")
            .bind(now_ms())
            .execute(&self.db.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

fn backend(err: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
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
            .bind(record.id.to_string())
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
        .bind(record.id.to_string())
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
        let row = sqlx::query(&LOAD)
            .bind(id.to_string())
            .bind(now_ms())
            .fetch_optional(&self.db.pool)
            .await
            .map_err(backend)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let data: String = row.try_get("data").map_err(backend)?;
        let expires_at: i64 = row.try_get("expires_at").map_err(backend)?;
        if row.try_get::<Option<String>, _>("id").map_err(backend)?.is_some() {
            let account = AccountRow::from_row(&row).map_err(backend)?;
            // Outside a request (no handoff) the account is simply not passed on.
            let _ = LOADED_ACCOUNT.try_with(|loaded| loaded.set(Some(account)));
        }
        let data = serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(expires_at) * 1_000_000)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("delete from session where id = $1")
            .bind(id.to_string())
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
