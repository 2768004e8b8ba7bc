//! Guesses at what is secret (a password, a second-factor code, a walk's join code),
//! limited: failed tries are counted in the database (`login_failure`) per subject — an
//! account, a client address — so the limit holds across every app instance, and each
//! try is counted before it is checked, so a burst of guesses sent at once cannot pass it
//! either.

use crate::error::{AppError, Guessed};
use crate::ssr::infra::db::{now_ms, Db};
use crate::ssr::infra::sql::RowId;

/// How long failed attempts are remembered, and how many are allowed in that window.
pub const FAILURE_WINDOW_MS: i64 = crate::error::GUESS_WINDOW_S as i64 * 1000;
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_CLIENT: i64 = 20;

/// One try at something that can be guessed (a password, a second-factor code, a join
/// code), counted *before* it is checked: a burst of guesses sent at the same moment
/// cannot all pass the limit before the first failure is written. Each try holds a row in
/// `login_failure` per subject (`account:…`, `ip:…`, `join:…`) while it is checked; a
/// wrong answer leaves the rows as its failure, a right one takes them back.
#[must_use = "a try is a failure unless it is marked as passed"]
pub struct Attempt {
    ids: Vec<RowId>,
}

impl Attempt {
    /// Counts a try at guessing `what` against each `(subject, limit)`: `TooManyAttempts`
    /// when a subject has already had `limit` failures within the window (the refused try
    /// is not counted).
    pub async fn start(db: &Db, what: Guessed, limits: &[(&str, i64)]) -> Result<Attempt, AppError> {
        let now = now_ms();
        sqlx::query("delete from login_failure where created_at < $1")
            .bind(now - FAILURE_WINDOW_MS)
            .execute(&db.pool)
            .await?;
        let attempt = Attempt {
            ids: limits.iter().map(|_| RowId::new()).collect(),
        };
        for ((subject, _), id) in limits.iter().zip(&attempt.ids) {
            sqlx::query("insert into login_failure (id, subject, created_at) values ($1, $2, $3)")
                .bind(id)
                .bind(subject)
                .bind(now)
                .execute(&db.pool)
                .await?;
        }
        // Every try sees its own row and those of all tries written before it, so the
        // n-th try of a burst counts at least n: no more than `limit` get through.
        for (subject, limit) in limits {
            let tries: i64 = sqlx::query_scalar(
                "select count(*) from login_failure where subject = $1 and created_at > $2",
            )
            .bind(subject)
            .bind(now - FAILURE_WINDOW_MS)
            .fetch_one(&db.pool)
            .await?;
            if tries > *limit {
                attempt.passed(db).await?;
                return Err(AppError::TooManyAttempts(what));
            }
        }
        Ok(attempt)
    }

    /// The answer was right (or the try did not get as far as a check): it is not a
    /// failure.
    pub async fn passed(self, db: &Db) -> Result<(), AppError> {
        for id in &self.ids {
            sqlx::query("delete from login_failure where id = $1")
                .bind(id)
                .execute(&db.pool)
                .await?;
        }
        Ok(())
    }

    /// The answer was wrong: the try stays counted as a failure for the window.
    pub fn failed(self) {}
}
