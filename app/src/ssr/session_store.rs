//! Sessions in our own database, so every app instance sees every session.
//!
//! tower-sessions-sqlx-store wants a concrete `SqlitePool` or `PgPool`; Tryggkarta runs
//! one `AnyPool` over either, so this small store speaks to that pool instead.

use async_trait::async_trait;
use axum_login::tower_sessions::session::{Id, Record};
use axum_login::tower_sessions::session_store::{self, SessionStore};

use super::db::{is_unique_violation, now_ms, Db};

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
                "insert into session (id, data, expires_at, created_at, updated_at) values ($1, $2, $3, $4, $4)",
            )
            .bind(record.id.to_string())
            .bind(&data)
            .bind(expires_at(record))
            .bind(now)
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
            "insert into session (id, data, expires_at, created_at, updated_at) values ($1, $2, $3, $4, $4)
             on conflict (id) do update set data = excluded.data, expires_at = excluded.expires_at,
             updated_at = excluded.updated_at",
        )
        .bind(record.id.to_string())
        .bind(encode(record)?)
        .bind(expires_at(record))
        .bind(now)
        .execute(&self.db.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(String, i64)> =
            sqlx::query_as("select data, expires_at from session where id = $1 and expires_at > $2")
                .bind(id.to_string())
                .bind(now_ms())
                .fetch_optional(&self.db.pool)
                .await
                .map_err(backend)?;
        let Some((data, expires_at)) = row else {
            return Ok(None);
        };
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
