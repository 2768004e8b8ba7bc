//! Storing new reports fast: a group commit, with one statement for many reports.
//!
//! A commit is what a report costs: SQLite lets one writer in at a time (connections that
//! find the lock taken sleep in its busy handler), and PostgreSQL flushes its log to disk
//! at every commit. Reports arriving together (phones coming out of a dead zone, a walk's
//! participants pinning at once) therefore queue for writer tasks (`batch`), which store
//! whatever is waiting, up to [`MAX_BATCH`], with one statement: one commit for many
//! reports, each still answered on its own, and only after the commit (stored, or not stored and why).
//! Nothing waits for a timer: a report that arrives alone is written at once. SQLite gets
//! one writer, PostgreSQL [`POSTGRES_WRITERS`] in parallel. Measured in
//! `docs/performance.md` ("Observation ingest").

use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::{Any, AnyPool};
use tokio::sync::mpsc;

use crate::domain::ids::{ObservationId, ShiftId, UserId, WalkId};
use crate::domain::observation::{Kind, PositionSource, TimeOfDay};
use crate::ssr::infra::db::{Backend, Db, Double};

/// The most reports one statement stores.
const MAX_BATCH: usize = 256;
/// Writer tasks on PostgreSQL, each with its own connection (`Db::connect`).
pub const POSTGRES_WRITERS: usize = 4;

/// A report as the row to insert, with what its checks need.
#[derive(Debug, Clone)]
pub struct Row {
    /// The id the phone made.
    pub id: ObservationId,
    pub kind: Kind,
    pub category: String,
    pub note: String,
    pub lat: f64,
    pub lng: f64,
    pub accuracy_m: Option<f64>,
    pub position_source: PositionSource,
    pub observed_at: i64,
    pub reporter_id: UserId,
    pub walk_id: Option<WalkId>,
    pub shift_id: Option<ShiftId>,
    pub rating: Option<i64>,
    pub time_of_day: Option<TimeOfDay>,
    pub content_hash: String,
    pub received_at: i64,
    /// Whether the reporter may report only on the walks they joined (they may not see
    /// every walk).
    pub only_own_walks: bool,
    /// The id the report is stored under if the phone's is already another report's
    /// (migration `client_ids`).
    pub fallback_id: ObservationId,
}

/// The columns of one report in a statement's `values` list, in [`bind`]'s order; the
/// statement reads them as `v.column1` … `v.column18`, the names SQLite and PostgreSQL
/// both give to the columns of `values`.
const PARAMETERS: usize = 18;

/// Reports are inserted from the category each names, only when the category fits the
/// kind and is in use, the walk or shift it belongs to is the reporter's, and the
/// reporter has not stored that id before; the database returns what each stored record
/// takes from its category, by reporter, id and content. A report not returned was not
/// stored. An id that is already another report's (another reporter's, or a second use
/// by this one) is kept as the report's `client_id`, and the report stored under the
/// server's fallback id.
///
/// One statement stores many reports: PostgreSQL starts an executor and reads the
/// table's check constraints once per statement, which cost more than the rows. The
/// statements come in sizes of powers of two, so each connection keeps a handful of them
/// prepared instead of one for every batch size.
fn insert_statement(backend: Backend, rows: usize) -> String {
    let values = (0..rows)
        .map(|row| {
            let first = row * PARAMETERS;
            let parameters = (1..=PARAMETERS)
                .map(|column| backend.parameter(first + column))
                .collect::<Vec<_>>()
                .join(", ");
            format!("({parameters})")
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "insert into observation (id, client_id, kind, category_id, note, lat, lng, accuracy_m, position_source,
             observed_at, reporter_id, walk_id, shift_id, rating, time_of_day, strategy_area,
             sensitivity, status, content_hash, created_at, updated_at)
         select case when exists (select 1 from observation x where x.id = v.column1
                                  and not (x.reporter_id = v.column10 and x.client_id = v.column1))
                     then v.column18 else v.column1 end,
             v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7,
             v.column8, v.column9, v.column10, v.column11, v.column12, v.column13, v.column14,
             c.strategy_area, c.sensitivity, 'new', v.column15, v.column16, v.column16
         from (values {values}) as v
         join category c on c.id = v.column3 and c.kind = v.column2 and c.retired_at is null
         where (v.column11 is null or exists (select 1 from walk w where w.id = v.column11
                and (v.column17 = 0 or exists (select 1 from walk_participant p
                                               where p.walk_id = w.id and p.account_id = v.column10))))
           and (v.column12 is null or exists (select 1 from shift s
                                              where s.id = v.column12 and s.volunteer_id = v.column10))
         on conflict do nothing
         returning client_id, reporter_id, content_hash, strategy_area, sensitivity"
    )
}

/// The insert for each batch size.
static STATEMENTS: std::sync::LazyLock<crate::ssr::infra::batch::Statements> =
    std::sync::LazyLock::new(|| crate::ssr::infra::batch::Statements::new(MAX_BATCH, insert_statement));

/// The strategy area and sensitivity of a stored report; `None` when nothing was stored.
pub type Stored = Option<(String, String)>;

type Job = crate::ssr::infra::batch::Asked<Row, Stored>;

/// The queue to the writer tasks.
#[derive(Clone, Debug)]
pub struct Writer(mpsc::Sender<Job>);

impl Writer {
    /// Starts the writer tasks for the database at `url` (`db`'s).
    ///
    /// PostgreSQL's writers get connections of their own that keep one plan for the
    /// insert: with the walk and shift as parameters that are mostly null, a plan made for
    /// the values at hand looks cheaper than the kept one, and making it anew for every
    /// batch costs more than the insert. SQLite's one writer uses the pool, and its
    /// write-ahead log is copied back beside it (`db::checkpoint_often`).
    pub async fn start(db: &Db, url: &str) -> Result<Writer, sqlx::Error> {
        let backend = db.backend;
        let (pool, writers) = match backend {
            Backend::Sqlite => (db.pool.clone(), 1),
            Backend::Postgres => {
                let pool = crate::ssr::infra::db::connect_pool(
                    url,
                    &["set plan_cache_mode = force_generic_plan"],
                    POSTGRES_WRITERS as u32,
                )
                .await?;
                (pool, POSTGRES_WRITERS)
            }
        };
        let writer = Writer(crate::ssr::infra::batch::start(
            writers,
            MAX_BATCH,
            move |batch| {
                let pool = pool.clone();
                async move { write(&pool, backend, batch).await }
            },
        ));
        if backend == Backend::Sqlite {
            crate::ssr::infra::db::checkpoint_often(db.pool.clone(), writer.in_use());
        }
        Ok(writer)
    }

    /// Whether the writer is still kept by someone (a `Db`), for tasks that should end
    /// with it without keeping it alive themselves.
    pub fn in_use(&self) -> impl Fn() -> bool + Send + 'static {
        let queue = self.0.downgrade();
        move || queue.strong_count() > 0
    }
}

type Returned = (ObservationId, UserId, String, String, String);

/// Stores `rows` with one statement, the smallest for that many (filled up with rows that
/// name no category, which are never inserted): for each row, in order, what was stored
/// of it. One statement is one transaction: all of it is kept, or none.
async fn store<'c, E>(executor: E, backend: Backend, rows: &[&Row]) -> Result<Vec<Stored>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let size = rows.len().next_power_of_two();
    let mut query = sqlx::query_as::<_, Returned>(STATEMENTS.for_rows(backend, size));
    for row in rows {
        query = bind(query, row);
    }
    for _ in rows.len()..size {
        query = bind_nothing(query);
    }
    let mut returned = query.fetch_all(executor).await?;
    // The same id twice in one statement (a phone resending while the first copy waits)
    // is stored once: the copy whose content was stored gets the answer, the other finds
    // the stored record afterwards like any resend.
    Ok(rows
        .iter()
        .map(|row| {
            let found = returned.iter().position(|(id, reporter, hash, _, _)| {
                *id == row.id && *reporter == row.reporter_id && *hash == row.content_hash
            })?;
            let (_, _, _, strategy_area, sensitivity) = returned.swap_remove(found);
            Some((strategy_area, sensitivity))
        })
        .collect())
}

fn bind<'q>(
    query: QueryAs<'q, Any, Returned, AnyArguments<'q>>,
    row: &'q Row,
) -> QueryAs<'q, Any, Returned, AnyArguments<'q>> {
    query
        .bind(row.id)
        .bind(row.kind)
        .bind(&row.category)
        .bind(&row.note)
        .bind(row.lat)
        .bind(row.lng)
        .bind(Double(row.accuracy_m))
        .bind(row.position_source)
        .bind(row.observed_at)
        .bind(row.reporter_id)
        .bind(row.walk_id)
        .bind(row.shift_id)
        .bind(row.rating)
        .bind(row.time_of_day)
        .bind(&row.content_hash)
        .bind(row.received_at)
        .bind(i64::from(row.only_own_walks))
        .bind(row.fallback_id)
}

/// A row of nothing, of the same types as [`bind`]'s: its category is null, so the join
/// with `category` drops it before anything is checked or inserted.
fn bind_nothing<'q>(
    query: QueryAs<'q, Any, Returned, AnyArguments<'q>>,
) -> QueryAs<'q, Any, Returned, AnyArguments<'q>> {
    let text = None::<String>;
    query
        .bind(text.clone())
        .bind(text.clone())
        .bind(text.clone())
        .bind(text.clone())
        .bind(Double(None))
        .bind(Double(None))
        .bind(Double(None))
        .bind(text.clone())
        .bind(None::<i64>)
        .bind(text.clone())
        .bind(text.clone())
        .bind(text.clone())
        .bind(None::<i64>)
        .bind(text.clone())
        .bind(text)
        .bind(None::<i64>)
        .bind(None::<i64>)
        .bind(None::<String>)
}

/// Stores `row` if it is new and what it names checks out.
pub async fn insert(writer: &Writer, row: Row) -> Result<Stored, sqlx::Error> {
    crate::ssr::infra::batch::ask(&writer.0, row).await
}

/// Writes one batch with one statement and answers each report once it is committed. If
/// the statement fails, nothing of the batch is kept and each report is stored again on
/// its own, so one bad report cannot take the others with it.
async fn write(pool: &AnyPool, backend: Backend, batch: Vec<Job>) {
    let rows: Vec<&Row> = batch.iter().map(|(row, _)| row).collect();
    match store(pool, backend, &rows).await {
        Ok(answers) => {
            for ((_, reply), answer) in batch.into_iter().zip(answers) {
                let _ = reply.send(Ok(answer));
            }
        }
        Err(err) => {
            tracing::warn!(error = %err, reports = batch.len(), "a batch of reports is stored one by one");
            for (row, reply) in batch {
                let stored = store(pool, backend, &[&row])
                    .await
                    .map(|mut one| one.pop().flatten());
                let _ = reply.send(stored);
            }
        }
    }
}
