//! Grannstödsbil shifts: start, the GPS track in batches, end with a summary.
//!
//! Beside them: what a driver is tasked with (`tasking`: focus places, hotspots, coverage)
//! and the police's briefing (`briefing`).

pub mod briefing;
pub mod tasking;

use crate::domain::access::{may, require, Capability};
use crate::domain::ids::ShiftId;
use crate::domain::shift::{
    distance_m, EndShift, NewShift, ShiftReport, ShiftReportRow, ShiftSummary, TrackPoint, CLOCK_SKEW,
    MAX_SHIFT_AGE,
};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::db::{is_transient, is_unique_violation, now_ms, Db, MAX_RETRIES};
use crate::ssr::infra::decode::Row;
use crate::ssr::reports::observations::{unix_ms, visibility, VISIBLE};

/// How many points one upload may carry (about 40 minutes at one point every 5 s).
pub const MAX_POINTS_PER_BATCH: usize = 500;

pub async fn start(db: &Db, driver: &CurrentUser, new: &NewShift) -> Result<(ShiftSummary, bool), AppError> {
    require(driver, Capability::Drive)?;
    let vehicle = new.vehicle.trim();
    if vehicle.is_empty() || vehicle.chars().count() > 100 {
        return Err(AppError::invalid(
            "vehicle",
            "Ange vilken bil du kör.",
            "Enter which car you are driving.",
        ));
    }
    if new.co_driver.chars().count() > 100 {
        return Err(AppError::invalid(
            "co_driver",
            "Medförarens namn är för långt (högst 100 tecken).",
            "The co-driver's name is too long (at most 100 characters).",
        ));
    }
    let now = chrono::Utc::now();
    let started_at = new.started_at.unwrap_or(now);
    check_phone_time("started_at", started_at, now - MAX_SHIFT_AGE, now)?;
    let id = new.id.unwrap_or_else(crate::domain::ids::ShiftId::new);
    let inserted = sqlx::query(
        "insert into shift (id, volunteer_id, vehicle, co_driver, started_at, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(id)
    .bind(driver.id)
    .bind(vehicle)
    .bind(new.co_driver.trim())
    .bind(unix_ms(started_at))
    .bind(now_ms())
    .execute(&db.pool)
    .await;
    match inserted {
        Ok(_) => Ok((read_summary(db, id).await?, true)),
        // The same start again (its answer was lost): the shift it made. Someone else's id
        // is a conflict, and says nothing about that shift.
        Err(err) if is_unique_violation(&err) => {
            let owner: Option<String> = sqlx::query_scalar("select volunteer_id from shift where id = $1")
                .bind(id)
                .fetch_optional(&db.pool)
                .await?;
            if owner.as_deref() == Some(driver.id.0.to_string().as_str()) {
                Ok((read_summary(db, id).await?, false))
            } else {
                Err(AppError::conflict(
                    "Passet finns redan.",
                    "The shift already exists.",
                ))
            }
        }
        Err(err) => Err(err.into()),
    }
}

/// A time from the phone's clock must lie between `earliest` and a little after `now`.
fn check_phone_time(
    field: &str,
    at: chrono::DateTime<chrono::Utc>,
    earliest: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    if at > now + CLOCK_SKEW {
        return Err(AppError::invalid(
            field,
            "Tiden ligger i framtiden. Kontrollera telefonens klocka.",
            "The time is in the future. Check the phone's clock.",
        ));
    }
    if at < earliest {
        return Err(AppError::invalid(
            field,
            "Tiden ligger för långt bakåt för ett pass.",
            "The time is too long ago for a shift.",
        ));
    }
    Ok(())
}

/// Only the driver may add to or end their shift; those who follow the drivers up may
/// read it.
async fn owner_check(db: &Db, viewer: &CurrentUser, id: ShiftId, write: bool) -> Result<(), AppError> {
    let owner: Option<String> = sqlx::query_scalar("select volunteer_id from shift where id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    let owner = owner.ok_or(AppError::NotFound)?;
    let is_owner = owner == viewer.id.0.to_string();
    let may_read = is_owner || may(viewer, Capability::FollowUp);
    match (write, is_owner, may_read) {
        (true, true, _) | (false, _, true) => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

/// Stores track points; points already stored (same time) are skipped, so a batch can
/// be sent again after a lost answer. Returns how many were new.
pub async fn add_points(
    db: &Db,
    driver: &CurrentUser,
    id: ShiftId,
    points: &[TrackPoint],
) -> Result<u64, AppError> {
    owner_check(db, driver, id, true).await?;
    if points.len() > MAX_POINTS_PER_BATCH {
        return Err(AppError::invalid(
            "points",
            "För många punkter i en sändning (högst 500).",
            "Too many points in one upload (at most 500).",
        ));
    }
    if let Some(bad) = points.iter().position(|point| !point.is_plausible()) {
        return Err(AppError::Invalid {
            field: format!("points[{bad}]"),
            sv: "Punkten har ogiltig position eller noggrannhet.".into(),
            en: "The point has an invalid position or accuracy.".into(),
        });
    }
    // Every writer inserts in time order, so two batches with the same points take their
    // row locks in the same order and cannot deadlock each other on PostgreSQL.
    let mut points = points.to_vec();
    points.sort_by_key(|point| point.recorded_at);
    points.dedup_by_key(|point| point.recorded_at);
    let mut attempt = 0;
    loop {
        match insert_points(db, id, &points).await {
            Err(err) if is_transient(&err) && attempt < MAX_RETRIES => {
                attempt += 1;
                tracing::info!(attempt, error = %err, "track batch retried");
                tokio::time::sleep(std::time::Duration::from_millis(20 * (1 << attempt))).await;
            }
            result => return Ok(result?),
        }
    }
}

/// Inserts the points in one transaction; returns how many were new.
async fn insert_points(db: &Db, id: ShiftId, points: &[TrackPoint]) -> Result<u64, sqlx::Error> {
    let now = now_ms();
    let mut added = 0;
    let mut tx = db.pool.begin().await?;
    for point in points {
        added += sqlx::query(
            "insert into track_point (id, shift_id, recorded_at, lat, lng, accuracy_m, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $7) on conflict (shift_id, recorded_at) do nothing",
        )
        .bind(crate::ssr::infra::sql::RowId::new())
        .bind(id)
        .bind(unix_ms(point.recorded_at))
        .bind(point.lat)
        .bind(point.lng)
        .bind(point.accuracy_m)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    tx.commit().await?;
    Ok(added)
}

/// Ends the shift and fixes its distance. Ending twice returns the same summary.
pub async fn end(
    db: &Db,
    driver: &CurrentUser,
    id: ShiftId,
    end: &EndShift,
) -> Result<ShiftSummary, AppError> {
    owner_check(db, driver, id, true).await?;
    let started_ms: i64 = sqlx::query_scalar("select started_at from shift where id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    let now = chrono::Utc::now();
    let ended_at = end.ended_at.unwrap_or(now);
    let started_at = Row::of("shift", &id.to_string()).time("started_at", started_ms)?;
    check_phone_time("ended_at", ended_at, started_at, now)?;
    let points = track(db, id).await?;
    sqlx::query(
        "update shift set ended_at = $2, distance_m = $3, updated_at = $4 where id = $1 and ended_at is null",
    )
    .bind(id)
    .bind(unix_ms(ended_at))
    .bind(distance_m(&points))
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    read_summary(db, id).await
}

async fn track(db: &Db, id: ShiftId) -> Result<Vec<TrackPoint>, AppError> {
    let shift = id.to_string();
    let rows: Vec<(i64, f64, f64, f64)> = sqlx::query_as(
        "select recorded_at, lat, lng, accuracy_m from track_point where shift_id = $1 order by recorded_at",
    )
    .bind(&shift)
    .fetch_all(&db.pool)
    .await?;
    // A track point has no id of its own: it is named by its shift.
    let row = Row::of("track_point", &shift);
    rows.into_iter()
        .map(|(at, lat, lng, accuracy_m)| {
            Ok(TrackPoint {
                recorded_at: row.time("recorded_at", at)?,
                lat,
                lng,
                accuracy_m,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    vehicle: String,
    co_driver: String,
    started_at: i64,
    ended_at: Option<i64>,
    distance_m: Option<f64>,
    observations: i64,
    track_points: i64,
}

pub async fn summary(db: &Db, viewer: &CurrentUser, id: ShiftId) -> Result<ShiftSummary, AppError> {
    owner_check(db, viewer, id, false).await?;
    read_summary(db, id).await
}

/// The summary, for a caller that has checked access already.
async fn read_summary(db: &Db, id: ShiftId) -> Result<ShiftSummary, AppError> {
    let shift = id.to_string();
    let row: SummaryRow = sqlx::query_as(
        "select s.vehicle, s.co_driver, s.started_at, s.ended_at, s.distance_m,
                (select count(*) from observation o where o.shift_id = s.id) as observations,
                (select count(*) from track_point t where t.shift_id = s.id) as track_points
         from shift s where s.id = $1",
    )
    .bind(&shift)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let distance = match row.distance_m {
        Some(distance) => distance,
        // Still driving: the distance so far.
        None => distance_m(&track(db, id).await?),
    };
    let stored = Row::of("shift", &shift);
    let started_at = stored.time("started_at", row.started_at)?;
    let ended_at = stored.opt_time("ended_at", row.ended_at)?;
    let until = ended_at.unwrap_or_else(chrono::Utc::now);
    Ok(ShiftSummary {
        id,
        vehicle: row.vehicle,
        co_driver: row.co_driver,
        started_at,
        ended_at,
        duration_s: (until - started_at).num_seconds().max(0),
        distance_m: distance,
        observations: row.observations,
        track_points: row.track_points,
    })
}

/// The driver's shift that has not ended, if any.
pub async fn active(db: &Db, driver: &CurrentUser) -> Result<Option<ShiftSummary>, AppError> {
    let id: Option<String> = sqlx::query_scalar(
        "select id from shift where volunteer_id = $1 and ended_at is null order by started_at desc limit 1",
    )
    .bind(driver.id)
    .fetch_optional(&db.pool)
    .await?;
    match id.map(|id| Row::of("shift", &id).id()).transpose()? {
        // The driver's own shift, found by their id: no further check needed.
        Some(id) => Ok(Some(read_summary(db, id).await?)),
        None => Ok(None),
    }
}

#[derive(sqlx::FromRow)]
struct ReportRow {
    id: String,
    vehicle: String,
    started_at: i64,
    ended_at: Option<i64>,
    distance_m: Option<f64>,
    observations: i64,
}

/// The steering group follows the patrols up month by month.
pub async fn report(db: &Db, viewer: &CurrentUser, month: &str) -> Result<ShiftReport, AppError> {
    require(viewer, Capability::ReadSummaries)?;
    let bad_month = || AppError::invalid("month", "Ange månad som ÅÅÅÅ-MM.", "Give the month as YYYY-MM.");
    let (year, number) = month.split_once('-').ok_or_else(bad_month)?;
    let year: i32 = year.parse().map_err(|_| bad_month())?;
    let number: u32 = number.parse().map_err(|_| bad_month())?;
    let first = chrono::NaiveDate::from_ymd_opt(year, number, 1).ok_or_else(bad_month)?;
    let after = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(bad_month)?;
    // Month boundaries in Stockholm time.
    let local = crate::domain::clock::local_midnight_ms;
    let (from, to) = (local(first), local(after));
    // Only the observations the viewer may read are counted: an administrator must not
    // learn from a count of 1 that a restricted drug-scene report was filed on a shift.
    let (everything, viewer_id, internal) = visibility(viewer);
    let rows: Vec<ReportRow> = sqlx::query_as(&format!(
        "select s.id, s.vehicle, s.started_at, s.ended_at, s.distance_m,
                (select count(*) from observation o where o.shift_id = s.id and {VISIBLE}) as observations
         from shift s where s.started_at >= $4 and s.started_at < $5 order by s.started_at"
    ))
    .bind(everything)
    .bind(viewer_id)
    .bind(internal)
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?;
    let now = now_ms();
    let shifts: Vec<ShiftReportRow> = rows
        .into_iter()
        .map(|row| {
            let stored = Row::of("shift", &row.id);
            Ok(ShiftReportRow {
                id: stored.id()?,
                started_at: stored.time("started_at", row.started_at)?,
                ended_at: stored.opt_time("ended_at", row.ended_at)?,
                vehicle: row.vehicle,
                hours: (row.ended_at.unwrap_or(now) - row.started_at).max(0) as f64 / 3_600_000.0,
                km: row.distance_m.unwrap_or(0.0) / 1000.0,
                observations: row.observations,
            })
        })
        .collect::<Result<_, AppError>>()?;
    let observations_by_area: Vec<(String, i64)> = sqlx::query_as(&format!(
        "select o.strategy_area, count(*) from observation o join shift s on s.id = o.shift_id
         where s.started_at >= $4 and s.started_at < $5 and {VISIBLE}
         group by o.strategy_area order by o.strategy_area"
    ))
    .bind(everything)
    .bind(viewer_id)
    .bind(internal)
    .bind(from)
    .bind(to)
    .fetch_all(&db.pool)
    .await?;
    Ok(ShiftReport {
        month: format!("{year:04}-{number:02}"),
        total_hours: shifts.iter().map(|s| s.hours).sum(),
        total_km: shifts.iter().map(|s| s.km).sum(),
        total_observations: shifts.iter().map(|s| s.observations).sum(),
        shifts,
        observations_by_area,
    })
}
