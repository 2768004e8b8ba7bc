//! The database: one `sqlx::AnyPool` over SQLite (default, one instance) or PostgreSQL
//! (several instances behind a load balancer).
//!
//! All SQL is written once in the subset both understand: `$1` placeholders, `text`,
//! `bigint`, `double precision` columns, timestamps as unix milliseconds, ids as UUID text.
//! Where the two must differ, the difference lives here.
//!
//! Why fixed `$n` placeholders: `sqlx::Any` hands the SQL text to the database unchanged,
//! and `$n` is the one form both read (PostgreSQL knows only `$n`; SQLite reads `$n` as a
//! named parameter bound by position). Numbered, a value can be used twice in one
//! statement (a new session's creation time is also its update time) and a query's binds
//! can be read against its text. The exception is the two statements made for many rows
//! at once, which take `?` on SQLite (`Backend::parameter` says why). Every value is
//! bound, never written into the SQL: the only SQL put together with `format!` joins fixed fragments of this crate
//! (the visibility condition `observations::VISIBLE`, column lists, a retention step's
//! condition), never text from a request.

use std::path::Path;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database: its pool and which one it is. What works through it in the background
/// (the ingest writers, the session loader, the named areas' cache) is kept in the
/// application state (`ssr::infra::state`), each by the module that owns it.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

impl Backend {
    pub fn of(url: &str) -> Backend {
        if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }

    /// The `n`th parameter (from 1) of a statement made for many rows at once, whose
    /// parameters each appear once and in order (`ingest`, `session_store`): `$n` on
    /// PostgreSQL, `?` on SQLite. sqlx binds a `$n` on SQLite by asking SQLite for each
    /// parameter's name, which SQLite finds by walking the list of names, so binding
    /// thousands of `$n` costs time in the square of their number (most of SQLite's own
    /// time in a profile of the ingest); a `?` is bound by its position.
    pub fn parameter(self, n: usize) -> String {
        match self {
            Backend::Sqlite => "?".to_owned(),
            Backend::Postgres => format!("${n}"),
        }
    }
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// The migrations for one database. Every migration is portable SQL but for the few whose
/// file name ends in `_sqlite` or `_postgres`: what the two cannot say alike (loosening a
/// check constraint), said once for each and run only on its own.
fn migrator(backend: Backend) -> sqlx::migrate::Migrator {
    let other = match backend {
        Backend::Sqlite => " postgres",
        Backend::Postgres => " sqlite",
    };
    sqlx::migrate::Migrator {
        migrations: MIGRATOR
            .iter()
            .filter(|migration| !migration.description.ends_with(other))
            .cloned()
            .collect::<Vec<_>>()
            .into(),
        ignore_missing: MIGRATOR.ignore_missing,
        locking: MIGRATOR.locking,
        no_tx: MIGRATOR.no_tx,
    }
}

impl Db {
    /// Connects, creating the SQLite file (and its folder) when it does not exist yet.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of(url);
        if backend == Backend::Sqlite {
            if let Some(dir) = sqlite_file(url).and_then(|file| Path::new(file).parent()) {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
                }
            }
        }
        let max = match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        Ok(Db {
            pool: connect_pool(url, &[], max).await?,
            backend,
        })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        migrator(self.backend).run(&self.pool).await
    }

    /// The newest migration this program knows.
    pub fn latest_migration() -> i64 {
        MIGRATOR
            .iter()
            .map(|migration| migration.version)
            .max()
            .unwrap_or(0)
    }

    /// True when the database answers a trivial query (for the health endpoint).
    pub async fn is_healthy(&self) -> bool {
        sqlx::query("select 1").execute(&self.pool).await.is_ok()
    }
}

/// A pool of at most `max` connections to `url`, SQLite's settings and then `statements`
/// run on each (the ingest writers keep their own, `ingest::Writer::start`).
pub async fn connect_pool(
    url: &str,
    statements: &'static [&'static str],
    max: u32,
) -> Result<AnyPool, sqlx::Error> {
    pool_options(Backend::of(url), statements)
        .max_connections(max)
        .connect(url)
        .await
}

/// Copies SQLite's write-ahead log into the database every second, beside the writers.
/// SQLite would otherwise do it itself every thousand pages, inside the commit that
/// crosses the mark: the writer, and every report waiting for it, then waits for the
/// copy and its flush to disk. A passive checkpoint takes no lock a writer or reader
/// waits for. Ends when the pool is closed or the database is no longer `in_use`.
pub fn checkpoint_often(pool: AnyPool, in_use: impl Fn() -> bool + Send + 'static) {
    tokio::spawn(async move {
        let mut every_second = tokio::time::interval(Duration::from_secs(1));
        every_second.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while !pool.is_closed() && in_use() {
            every_second.tick().await;
            if let Err(err) = sqlx::query("pragma wal_checkpoint(passive)").execute(&pool).await {
                if !pool.is_closed() {
                    tracing::warn!(error = %err, "the write-ahead log could not be checkpointed");
                }
            }
        }
    });
}

/// A pool's options: SQLite's settings on each of its connections, then `statements`.
fn pool_options(backend: Backend, statements: &'static [&'static str]) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                // WAL lets readers go on while one writer writes; the busy timeout makes a
                // second writer wait instead of failing at once.
                let sqlite: &[&str] = match backend {
                    Backend::Sqlite => &[
                        "pragma journal_mode = wal",
                        "pragma foreign_keys = on",
                        "pragma busy_timeout = 5000",
                        "pragma synchronous = normal",
                        // Checkpoints run in their own task (`checkpoint_often`).
                        "pragma wal_autocheckpoint = 0",
                    ],
                    Backend::Postgres => &[],
                };
                for statement in sqlite.iter().chain(statements) {
                    sqlx::query(statement).execute(&mut *conn).await?;
                }
                Ok(())
            })
        })
}

pub fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let file = rest.split('?').next()?;
    (file != ":memory:" && !file.is_empty()).then_some(file)
}

/// A `double precision` value that may be missing, to bind instead of an `Option<f64>`.
///
/// sqlx 0.8's `Any` driver hands a missing `f64` to PostgreSQL as a missing `real`
/// (it swaps the two float kinds for nulls: sqlx issue #4284, fixed upstream in #4359,
/// after 0.8.6). PostgreSQL then prepares the statement with a `real` parameter, the
/// connection keeps it, and every later use of that statement on that connection that
/// sends a number there fails ("incorrect binary data format"): a report without an
/// accuracy would break the next reports with one. A missing value is therefore sent as
/// what arrives as a missing `double precision`; `field_capture.rs` proves it against
/// PostgreSQL, so an sqlx with the fix makes that test fail instead of the reports.
#[derive(Clone, Copy, Debug)]
pub struct Double(pub Option<f64>);

impl sqlx::Type<sqlx::Any> for Double {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <f64 as sqlx::Type<sqlx::Any>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Any> for Double {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self.0 {
            Some(value) => <f64 as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&value, buf),
            // Arrives as a missing `double precision` (see above).
            None => <Option<f32> as sqlx::Encode<'q, sqlx::Any>>::encode_by_ref(&None, buf),
        }
    }
}

/// Now, as stored in every `*_at` column: milliseconds since the Unix epoch, UTC.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Whether an error is a unique-key violation (a duplicate email, a replayed id…).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// How often a transaction that lost a race (see [`is_transient`]) is tried again.
pub const MAX_RETRIES: u32 = 5;

/// Whether a transaction failed only because of a concurrent one and may simply be run
/// again: a PostgreSQL deadlock (`40P01`) or serialization failure (`40001`), or SQLite
/// still busy after its timeout (`5`, `517`).
pub fn is_transient(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db)
        if matches!(db.code().as_deref(), Some("40P01" | "40001" | "5" | "517")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sqlite_file_is_read_from_the_url() {
        assert_eq!(sqlite_file("sqlite://data/t.db?mode=rwc"), Some("data/t.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
    }
}
