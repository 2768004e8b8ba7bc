//! Per-user limits on what is costly or sensitive in bulk (ASVS 5.0 V2.4.1): reports and
//! photos sent, files of records fetched. A token bucket per user and limit: a phone
//! coming out of a dead zone may send a shift's worth of reports at once (the burst), but
//! not keep it up. Over the limit the answer is 429 with its own message and
//! `Retry-After` (`AppError::OverLimit`); the phones' outbox keeps the report and sends it
//! later.
//!
//! On PostgreSQL the buckets are rows (`rate_bucket`), taken from in one statement, so
//! that n instances behind a load balancer give a user the limit once, not n times. On
//! SQLite, which serves one instance, they are kept in memory: a write per report there
//! would queue behind the one writer that stores the reports themselves.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::domain::user::UserId;
use crate::error::{AppError, Limit};
use crate::ssr::infra::db::{now_ms, Backend, Db};

/// How many a user may do at once, and how many more per minute after that.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    pub burst: f64,
    pub per_minute: f64,
}

impl Rate {
    /// Tokens back per millisecond.
    fn per_ms(self) -> f64 {
        self.per_minute / 60_000.0
    }

    /// What `tokens` counted `elapsed_ms` ago are now, up to the burst.
    fn refilled(self, tokens: f64, elapsed_ms: f64) -> f64 {
        (tokens + elapsed_ms.max(0.0) * self.per_ms()).min(self.burst)
    }

    /// Seconds until a bucket holding `tokens` has one again (at least one).
    fn wait_s(self, tokens: f64) -> u64 {
        ((1.0 - tokens) / self.per_ms() / 1000.0).ceil().max(1.0) as u64
    }
}

/// Tokens left and when they were counted, per user and limit.
type Buckets = HashMap<(UserId, Limit), (f64, Instant)>;

#[derive(Clone, Debug)]
enum Store {
    Memory(Arc<Mutex<Buckets>>),
    Database(sqlx::AnyPool),
}

#[derive(Clone, Debug)]
pub struct Limits {
    submissions: Rate,
    exports: Rate,
    store: Store,
}

impl Limits {
    /// The limits, kept where `db`'s backend wants them (see the module's comment).
    pub fn new(db: &Db, submissions: Rate, exports: Rate) -> Limits {
        let store = match db.backend {
            Backend::Postgres => Store::Database(db.pool.clone()),
            Backend::Sqlite => Store::Memory(Arc::default()),
        };
        Limits {
            submissions,
            exports,
            store,
        }
    }

    fn rate(&self, limit: Limit) -> Rate {
        match limit {
            Limit::Submissions => self.submissions,
            Limit::Exports => self.exports,
        }
    }

    /// Takes one from the user's bucket for `limit`; `OverLimit` until one is back.
    pub async fn take(&self, user: UserId, limit: Limit) -> Result<(), AppError> {
        let rate = self.rate(limit);
        let left = match &self.store {
            Store::Memory(buckets) => take_in_memory(buckets, rate, user, limit),
            Store::Database(pool) => take_in_database(pool, rate, user, limit).await?,
        };
        match left {
            None => Ok(()),
            Some(tokens) => Err(AppError::OverLimit {
                limit,
                retry_after_s: rate.wait_s(tokens),
            }),
        }
    }
}

fn code(limit: Limit) -> &'static str {
    match limit {
        Limit::Submissions => "submissions",
        Limit::Exports => "exports",
    }
}

/// `None` when one was taken, else the tokens the bucket holds.
fn take_in_memory(buckets: &Mutex<Buckets>, rate: Rate, user: UserId, limit: Limit) -> Option<f64> {
    let now = Instant::now();
    // A poisoned lock (a panic while holding it) limits nobody rather than everybody.
    let mut buckets = buckets.lock().ok()?;
    // Buckets that are full again say nothing: forget them now and then.
    if buckets.len() > 10_000 {
        buckets
            .retain(|_, (tokens, at)| rate.refilled(*tokens, at.elapsed().as_millis() as f64) < rate.burst);
    }
    let (tokens, at) = buckets.entry((user, limit)).or_insert((rate.burst, now));
    *tokens = rate.refilled(*tokens, now.duration_since(*at).as_millis() as f64);
    *at = now;
    if *tokens >= 1.0 {
        *tokens -= 1.0;
        None
    } else {
        Some(*tokens)
    }
}

/// [`take_in_memory`] as one statement: the row is locked while it is taken from, so
/// requests at once on several instances are counted one after the other.
async fn take_in_database(
    pool: &sqlx::AnyPool,
    rate: Rate,
    user: UserId,
    limit: Limit,
) -> Result<Option<f64>, AppError> {
    let now = now_ms();
    let taken: Option<f64> = sqlx::query_scalar(
        "insert into rate_bucket (user_id, kind, tokens, at) values ($1, $2, $3 - 1, $4)
         on conflict (user_id, kind) do update
            set tokens = least($3, rate_bucket.tokens + ($4 - rate_bucket.at) * $5) - 1, at = $4
            where least($3, rate_bucket.tokens + ($4 - rate_bucket.at) * $5) >= 1
         returning tokens",
    )
    .bind(user)
    .bind(code(limit))
    .bind(rate.burst)
    .bind(now)
    .bind(rate.per_ms())
    .fetch_optional(pool)
    .await?;
    if taken.is_some() {
        return Ok(None);
    }
    let (tokens, at): (f64, i64) =
        sqlx::query_as("select tokens, at from rate_bucket where user_id = $1 and kind = $2")
            .bind(user)
            .bind(code(limit))
            .fetch_one(pool)
            .await?;
    Ok(Some(rate.refilled(tokens, (now - at) as f64)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_rate() {
        let buckets = Mutex::default();
        let quick = Rate {
            burst: 3.0,
            per_minute: 60.0,
        };
        let slow = Rate {
            burst: 1.0,
            per_minute: 1.0,
        };
        let anna = UserId(uuid::Uuid::now_v7());
        let bertil = UserId(uuid::Uuid::now_v7());
        for _ in 0..3 {
            assert_eq!(take_in_memory(&buckets, quick, anna, Limit::Submissions), None);
        }
        let left = take_in_memory(&buckets, quick, anna, Limit::Submissions).unwrap();
        assert_eq!(quick.wait_s(left), 1);
        // Another user, and another limit, have their own buckets.
        assert_eq!(take_in_memory(&buckets, quick, bertil, Limit::Submissions), None);
        assert_eq!(take_in_memory(&buckets, slow, anna, Limit::Exports), None);
        let left = take_in_memory(&buckets, slow, anna, Limit::Exports).unwrap();
        assert_eq!(slow.wait_s(left), 60);
    }
}
