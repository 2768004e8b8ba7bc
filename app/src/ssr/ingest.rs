//! Storing new reports fast: one statement per report, and on SQLite a group commit.
//!
//! A commit is what a report costs: SQLite lets one writer in at a time (connections that
//! find the lock taken sleep in its busy handler), and PostgreSQL flushes its log to disk
//! at every commit. Reports arriving together (phones coming out of a dead zone, a walk's
//! participants pinning at once) therefore queue for writer tasks, which store whatever is
//! waiting, up to [`MAX_BATCH`], in one transaction: one commit for many reports, each
//! still answered on its own, and only after the commit (stored, or not stored and why).
//! Nothing waits for a timer: a report that arrives alone is written at once. SQLite gets
//! one writer, PostgreSQL [`POSTGRES_WRITERS`] in parallel.

use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::{Any, AnyPool};
use tokio::sync::{mpsc, oneshot};

use super::db::{Backend, Db};

/// The most reports one transaction stores.
const MAX_BATCH: usize = 256;
/// Writer tasks on PostgreSQL, each with its own connection and transaction.
const POSTGRES_WRITERS: usize = 4;

/// A report as the row to insert, with what its checks need.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub kind: &'static str,
    pub category: String,
    pub note: String,
    pub lat: f64,
    pub lng: f64,
    pub accuracy_m: Option<f64>,
    pub position_source: &'static str,
    pub observed_at: i64,
    pub reporter_id: String,
    pub walk_id: Option<String>,
    pub shift_id: Option<String>,
    pub rating: Option<i64>,
    pub time_of_day: Option<&'static str>,
    pub content_hash: String,
    pub received_at: i64,
    /// Whether the reporter is a walk participant, who may only report on their own walk.
    pub participant: bool,
}

/// The row is inserted from the category it names, only when the category fits the kind
/// and is in use, the walk or shift it belongs to is the reporter's, and the id is new;
/// the database returns what the record takes from its category. No row back: not stored.
const INSERT: &str =
    "insert into observation (id, kind, category_id, note, lat, lng, accuracy_m, position_source,
         observed_at, reporter_id, walk_id, shift_id, rating, time_of_day, strategy_area,
         sensitivity, status, content_hash, created_at, updated_at)
     select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, c.strategy_area,
         c.sensitivity, 'new', $15, $16, $16
     from category c
     where c.id = $3 and c.kind = $2 and c.retired_at is null
       and ($11 is null or exists (select 1 from walk w where w.id = $11
            and ($17 = 0 or exists (select 1 from walk_participant p
                                    where p.walk_id = w.id and p.account_id = $10))))
       and ($12 is null or exists (select 1 from shift s where s.id = $12 and s.volunteer_id = $10))
     on conflict (id) do nothing
     returning strategy_area, sensitivity";

/// The strategy area and sensitivity of a stored report; `None` when nothing was stored.
pub type Stored = Option<(String, String)>;

type Job = (Row, oneshot::Sender<Result<Stored, sqlx::Error>>);

/// The queue to the writer tasks.
#[derive(Clone, Debug)]
pub struct Writer(mpsc::Sender<Job>);

impl Writer {
    /// Starts the writer tasks for a pool.
    pub fn start(pool: &AnyPool, backend: Backend) -> Writer {
        let (sender, receiver) = mpsc::channel::<Job>(4 * MAX_BATCH);
        let receiver = std::sync::Arc::new(tokio::sync::Mutex::new(receiver));
        let writers = match backend {
            Backend::Sqlite => 1,
            Backend::Postgres => POSTGRES_WRITERS,
        };
        for _ in 0..writers {
            let (pool, receiver) = (pool.clone(), receiver.clone());
            tokio::spawn(async move {
                let mut batch = Vec::with_capacity(MAX_BATCH);
                loop {
                    // One writer takes what is waiting; the others wait their turn to.
                    let taken = receiver.lock().await.recv_many(&mut batch, MAX_BATCH).await;
                    if taken == 0 {
                        break;
                    }
                    write(&pool, &mut batch).await;
                }
            });
        }
        Writer(sender)
    }
}

fn query(row: &Row) -> QueryAs<'_, Any, (String, String), AnyArguments<'_>> {
    sqlx::query_as(INSERT)
        .bind(&row.id)
        .bind(row.kind)
        .bind(&row.category)
        .bind(&row.note)
        .bind(row.lat)
        .bind(row.lng)
        .bind(row.accuracy_m)
        .bind(row.position_source)
        .bind(row.observed_at)
        .bind(&row.reporter_id)
        .bind(&row.walk_id)
        .bind(&row.shift_id)
        .bind(row.rating)
        .bind(row.time_of_day)
        .bind(&row.content_hash)
        .bind(row.received_at)
        .bind(i64::from(row.participant))
}

/// Stores `row` if it is new and what it names checks out.
pub async fn insert(db: &Db, row: Row) -> Result<Stored, sqlx::Error> {
    let (reply, answer) = oneshot::channel();
    db.ingest
        .0
        .send((row, reply))
        .await
        .map_err(|_| sqlx::Error::PoolClosed)?;
    answer.await.map_err(|_| sqlx::Error::PoolClosed)?
}

/// Writes one batch in one transaction and answers each report once it is committed. If a
/// statement fails (PostgreSQL then refuses the rest of the transaction) or the commit
/// does, nothing of the batch is kept and each report is stored again on its own, so one
/// bad report cannot take the others with it.
async fn write(pool: &AnyPool, batch: &mut Vec<Job>) {
    let together = async {
        let mut tx = pool.begin().await?;
        let mut answers = Vec::with_capacity(batch.len());
        for (row, _) in batch.iter() {
            answers.push(query(row).fetch_optional(&mut *tx).await?);
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(answers)
    }
    .await;
    match together {
        Ok(answers) => {
            for ((_, reply), answer) in batch.drain(..).zip(answers) {
                let _ = reply.send(Ok(answer));
            }
        }
        Err(err) => {
            tracing::warn!(error = %err, reports = batch.len(), "a batch of reports is stored one by one");
            for (row, reply) in batch.drain(..) {
                let _ = reply.send(query(&row).fetch_optional(pool).await);
            }
        }
    }
}
