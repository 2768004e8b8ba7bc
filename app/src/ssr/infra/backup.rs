//! Backups of a SQLite installation: one file holding every table, photos included (they
//! are rows in `photo`), made while the server runs; and putting such a file back.
//!
//! `backup` uses SQLite's `VACUUM INTO`, which reads the database in one transaction: the
//! copy is consistent even while phones keep sending, and it is compacted. `restore`
//! checks the file (an intact SQLite database whose migrations this version knows), keeps
//! the database it replaces beside it, and swaps the files by renaming, so a failed
//! restore leaves the old database in place. Stop the server before restoring.
//!
//! PostgreSQL installations back up with the database's own tools (`pg_dump -Fc`, then
//! `pg_restore --clean`); docs/operations.md has the commands.

use std::path::{Path, PathBuf};

use sqlx::Connection;

use crate::error::AppError;
use crate::ssr::infra::db::{sqlite_file, Backend, Db};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("säkerhetskopiering med tryggkarta görs bara för SQLite; för PostgreSQL, använd pg_dump (se docs/operations.md)")]
    NotSqlite,
    #[error("filen {0} finns redan; välj ett nytt namn så att ingen säkerhetskopia skrivs över")]
    Exists(PathBuf),
    #[error("{0} är ingen säkerhetskopia av Tryggkarta: {1}")]
    NotABackup(PathBuf, String),
    #[error("databasen används: stoppa servern innan du återställer")]
    InUse,
    #[error("databasen: {0}")]
    Database(#[from] sqlx::Error),
    #[error("filen: {0}")]
    Io(#[from] std::io::Error),
}

impl From<BackupError> for AppError {
    fn from(err: BackupError) -> Self {
        tracing::error!(error = %err, "backup failed");
        AppError::Internal
    }
}

/// Writes a consistent copy of the running database to `to`, which must not exist.
/// Returns its size in bytes.
pub async fn backup(db: &Db, to: &Path) -> Result<u64, BackupError> {
    if db.backend != Backend::Sqlite {
        return Err(BackupError::NotSqlite);
    }
    if to.exists() {
        return Err(BackupError::Exists(to.to_owned()));
    }
    if let Some(dir) = to.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    // The file name is a bound value, never part of the SQL text.
    sqlx::query("vacuum into $1")
        .bind(to.to_string_lossy().into_owned())
        .execute(&db.pool)
        .await?;
    Ok(std::fs::metadata(to)?.len())
}

/// What a backup holds, read without changing it: to check a file before restoring it.
#[derive(Debug, PartialEq, Eq)]
pub struct Contents {
    pub accounts: i64,
    pub observations: i64,
    pub photos: i64,
    /// The newest migration the backup was made with.
    pub version: i64,
}

/// Checks that `file` is an intact SQLite database made by Tryggkarta, and says what it
/// holds.
pub async fn inspect(file: &Path) -> Result<Contents, BackupError> {
    let not_backup = |reason: &str| BackupError::NotABackup(file.to_owned(), reason.to_owned());
    if !file.is_file() {
        return Err(not_backup("filen finns inte"));
    }
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(file)
        .read_only(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .map_err(|_| not_backup("den går inte att öppna som SQLite"))?;
    let integrity: String = sqlx::query_scalar("pragma integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|_| not_backup("den går inte att läsa som SQLite"))?;
    if integrity != "ok" {
        return Err(not_backup(&format!("den är skadad ({integrity})")));
    }
    let version: Option<i64> = sqlx::query_scalar("select max(version) from _sqlx_migrations where success")
        .fetch_one(&mut conn)
        .await
        .map_err(|_| not_backup("den saknar Tryggkartas tabeller"))?;
    let version = version.ok_or_else(|| not_backup("den saknar Tryggkartas tabeller"))?;
    let count = |table: &'static str| format!("select count(*) from {table}");
    let mut counts = Vec::new();
    for table in ["account", "observation", "photo"] {
        counts.push(
            sqlx::query_scalar::<_, i64>(&count(table))
                .fetch_one(&mut conn)
                .await
                .map_err(|_| not_backup("den saknar Tryggkartas tabeller"))?,
        );
    }
    conn.close().await?;
    Ok(Contents {
        accounts: counts[0],
        observations: counts[1],
        photos: counts[2],
        version,
    })
}

/// Puts the backup `from` in place of the SQLite database at `database_url`, keeping the
/// replaced database as `<file>.fore-aterstallning-<unix seconds>`. The server must not
/// be running (if it is, [`BackupError::InUse`] and nothing is moved). Returns what the
/// backup holds and where the replaced database was kept, if there was one.
pub async fn restore(database_url: &str, from: &Path) -> Result<(Contents, Option<PathBuf>), BackupError> {
    let target = PathBuf::from(sqlite_file(database_url).ok_or(BackupError::NotSqlite)?);
    let contents = inspect(from).await?;
    if contents.version > Db::latest_migration() {
        return Err(BackupError::NotABackup(
            from.to_owned(),
            "den är gjord av en nyare version av Tryggkarta; uppdatera programmet först".into(),
        ));
    }
    if let Some(dir) = target.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    // Copy beside the target first, so the swap below is a rename on one file system.
    let incoming = with_suffix(&target, ".aterstalls");
    std::fs::copy(from, &incoming)?;
    std::fs::File::open(&incoming)?.sync_all()?;
    let kept = if target.exists() {
        // Fold the write-ahead log into the old file so the kept copy is whole. SQLite
        // answers "busy" when another connection holds the database (a server still
        // running): then nothing is moved, or its latest writes would be lost.
        let db = Db::connect(database_url).await?;
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("pragma wal_checkpoint(truncate)")
            .fetch_one(&db.pool)
            .await?;
        db.pool.close().await;
        if busy != 0 {
            std::fs::remove_file(&incoming)?;
            return Err(BackupError::InUse);
        }
        let stamp = chrono::Utc::now().timestamp();
        let kept = with_suffix(&target, &format!(".fore-aterstallning-{stamp}"));
        std::fs::rename(&target, &kept)?;
        Some(kept)
    } else {
        None
    };
    for side in ["-wal", "-shm"] {
        let side = with_suffix(&target, side);
        if side.exists() {
            std::fs::remove_file(side)?;
        }
    }
    std::fs::rename(&incoming, &target)?;
    Ok((contents, kept))
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
