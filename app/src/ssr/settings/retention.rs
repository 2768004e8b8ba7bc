//! Retention (gallring), run daily by the server and on demand by `tryggkarta retention`:
//! raw records past their period (`domain::retention`) are deleted with their photos, and
//! what is kept of them is a count per cell, month, kind and category where at least
//! three reports make it up. Walk findings go with their walk, and so do the walk's
//! participants (accounts with no e-mail that exist only for that walk).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::domain::access::{require, Capability};
use crate::domain::admin::AuditAction;
use crate::domain::retention::{cutoff_ms, month_of, Retention, MAX_MONTHS, MIN_KEPT};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::audit;
use crate::ssr::infra::db::Db;
use crate::ssr::infra::decode::Row;

const PREFIX: &str = "retention.";

/// The periods in force, for those who may change them.
pub async fn settings(db: &Db, viewer: &CurrentUser) -> Result<Retention, AppError> {
    require(viewer, Capability::ConfigureSystem)?;
    in_force(db).await
}

/// The periods in force, as the daily job uses them: the defaults, with what an admin set
/// on top. A stored period that does not read (out of bounds, not a number, no such
/// period: written by hand) is a corrupt row like any other: the job stops with an error
/// and deletes nothing, rather than deleting by a period nobody chose.
pub async fn in_force(db: &Db) -> Result<Retention, AppError> {
    let mut retention = Retention::default();
    for (key, value) in crate::ssr::settings::read_prefix(db, PREFIX).await? {
        let row = Row::of("setting", &key);
        let months = value
            .parse::<u32>()
            .ok()
            .filter(|months| (1..=MAX_MONTHS).contains(months));
        let field = key.strip_prefix(PREFIX).unwrap_or_default();
        if !retention.set(field, row.valid("value", months)?) {
            return Err(row.corrupt("key"));
        }
    }
    Ok(retention)
}

/// Stores new periods (admins only), logged in the same transaction.
pub async fn set_settings(db: &Db, admin: &CurrentUser, new: &Retention) -> Result<Retention, AppError> {
    require(admin, Capability::ConfigureSystem)?;
    new.validate()?;
    let keys = new
        .fields()
        .map(|(field, months)| (format!("{PREFIX}{field}"), months.to_string()));
    let values: Vec<(&str, String)> = keys
        .iter()
        .map(|(key, months)| (key.as_str(), months.clone()))
        .collect();
    crate::ssr::settings::store(db, admin, &values, AuditAction::Retention, "settings").await?;
    Ok(*new)
}

/// What one run deleted and kept.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub observations: u64,
    pub photos: u64,
    pub track_points: u64,
    /// Rows of `walk_participant`: who took part in which expired walk.
    pub walks_emptied: u64,
    pub participants: u64,
    pub audit_entries: u64,
    /// Groups of at least three reports whose count was kept.
    pub counts_kept: u64,
    /// Incident reports and tips (`incident_report`), with their notices.
    pub incident_reports: u64,
}

#[derive(sqlx::FromRow)]
struct Expired {
    kind: String,
    category_id: String,
    strategy_area: String,
    lat: f64,
    lng: f64,
    observed_at: i64,
}

/// Deletes what is past its period at `now`. Each step is one transaction, so a run cut
/// short (a restart) leaves no report without its count or count without its reports; the
/// next run takes up what is left.
pub async fn run(db: &Db, now: DateTime<Utc>) -> Result<Report, AppError> {
    let retention = in_force(db).await?;
    let mut report = Report::default();
    // Reports by their own date; walk findings by their walk's date.
    let walk_cutoff = cutoff_ms(now, retention.walk_months);
    let steps = [
        (
            "drug_scene",
            "o.observed_at < $2",
            cutoff_ms(now, retention.drug_scene_months),
        ),
        (
            "patrol_observation",
            "o.observed_at < $2",
            cutoff_ms(now, retention.patrol_months),
        ),
        (
            "walk_finding",
            "o.walk_id in (select w.id from walk w where w.starts_at < $2)",
            walk_cutoff,
        ),
    ];
    let incident_cutoff = cutoff_ms(now, retention.incident_months);
    report.incident_reports = expire_incident_reports(db, incident_cutoff).await?;
    for (kind, condition, cutoff) in
        steps
            .into_iter()
            .chain([("incident_report", "o.observed_at < $2", incident_cutoff)])
    {
        expire_observations(db, &mut report, kind, condition, cutoff).await?;
    }
    expire_walk_participants(db, &mut report, walk_cutoff).await?;
    report.track_points = sqlx::query("delete from track_point where recorded_at < $1")
        .bind(cutoff_ms(now, retention.track_months))
        .execute(&db.pool)
        .await?
        .rows_affected();
    report.audit_entries = sqlx::query("delete from audit_event where at < $1")
        .bind(cutoff_ms(now, retention.audit_months))
        .execute(&db.pool)
        .await?
        .rows_affected();
    if report != Report::default() {
        let detail = format!(
            "rapporter={} foton={} spårpunkter={} deltaganden={} deltagare={} loggposter={} sparade_antal={} händelserapporter={}",
            report.observations,
            report.photos,
            report.track_points,
            report.walks_emptied,
            report.participants,
            report.audit_entries,
            report.counts_kept,
            report.incident_reports
        );
        audit::record_by(&db.pool, None, AuditAction::Retention, "run", &detail).await?;
        tracing::info!(%detail, "retention run");
    }
    Ok(report)
}

/// Deletes the incident reports and tips made before `cutoff`, with what their reporters
/// were told, before the observations the accepted ones became (which refer to nothing
/// of theirs). A newer report merged into one of them keeps standing, unmerged.
async fn expire_incident_reports(db: &Db, cutoff: i64) -> Result<u64, AppError> {
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "delete from incident_notice where report_id in (select id from incident_report where observed_at < $1)",
    )
    .bind(cutoff)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "update incident_report set duplicate_of = null
         where observed_at >= $1 and duplicate_of in (select id from incident_report where observed_at < $1)",
    )
    .bind(cutoff)
    .execute(&mut *tx)
    .await?;
    let deleted = sqlx::query("delete from incident_report where observed_at < $1")
        .bind(cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(deleted)
}

/// Deletes the reports of `kind` that meet `condition` (with `$2` the cutoff) and their
/// photos, and adds their counts of three or more to `retained_count`, in one
/// transaction: the counts are made from exactly the rows deleted.
async fn expire_observations(
    db: &Db,
    report: &mut Report,
    kind: &str,
    condition: &str,
    cutoff: i64,
) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await?;
    let photos = sqlx::query(&format!(
        "delete from photo where observation_id in
           (select o.id from observation o where o.kind = $1 and {condition})"
    ))
    .bind(kind)
    .bind(cutoff)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let expired: Vec<Expired> = sqlx::query_as(&format!(
        "delete from observation as o where o.kind = $1 and {condition}
         returning kind, category_id, strategy_area, lat, lng, observed_at"
    ))
    .bind(kind)
    .bind(cutoff)
    .fetch_all(&mut *tx)
    .await?;
    let mut groups: BTreeMap<(String, String, String, String), (String, i64)> = BTreeMap::new();
    for row in &expired {
        let cell = h3o::LatLng::new(row.lat, row.lng)
            .map(|at| at.to_cell(h3o::Resolution::Nine).to_string())
            .unwrap_or_default();
        let key = (
            cell,
            month_of(row.observed_at),
            row.kind.clone(),
            row.category_id.clone(),
        );
        groups
            .entry(key)
            .or_insert_with(|| (row.strategy_area.clone(), 0))
            .1 += 1;
    }
    for ((cell, month, kind, category), (area, count)) in
        groups.into_iter().filter(|(_, (_, n))| *n >= MIN_KEPT)
    {
        sqlx::query(
            "insert into retained_count (cell, month, kind, category_id, strategy_area, count)
             values ($1, $2, $3, $4, $5, $6)
             on conflict (cell, month, kind, category_id) do update set count = retained_count.count + excluded.count",
        )
        .bind(cell)
        .bind(month)
        .bind(kind)
        .bind(category)
        .bind(area)
        .bind(count)
        .execute(&mut *tx)
        .await?;
        report.counts_kept += 1;
    }
    tx.commit().await?;
    report.photos += photos;
    report.observations += expired.len() as u64;
    Ok(())
}

/// Walks whose retention is over lose their participants: the participation rows, and the
/// participant accounts (no e-mail, no password) that belonged to those walks and to no
/// other. Entries of the audit log they made (an export, say) stay, without the account.
async fn expire_walk_participants(db: &Db, report: &mut Report, cutoff: i64) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await?;
    // Only accounts of the expired walks: a participant who has just joined a new walk,
    // and whose membership row is a moment from being written, is never taken.
    let leaving: Vec<String> = sqlx::query_scalar(
        "select distinct p.account_id from walk_participant p
           join walk w on w.id = p.walk_id
           join account a on a.id = p.account_id
         where w.starts_at < $1 and a.role = $2
           and not exists (select 1 from walk_participant other join walk ow on ow.id = other.walk_id
                           where other.account_id = p.account_id and ow.starts_at >= $1)",
    )
    .bind(cutoff)
    .bind(crate::domain::access::JOINS_BY_CODE)
    .fetch_all(&mut *tx)
    .await?;
    let emptied = sqlx::query(
        "delete from walk_participant where walk_id in (select id from walk where starts_at < $1)",
    )
    .bind(cutoff)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let mut participants = 0;
    // Their sessions ended long before (a walk keeps a session four hours at most).
    for id in &leaving {
        let reports: i64 = sqlx::query_scalar("select count(*) from observation where reporter_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if reports > 0 {
            continue;
        }
        sqlx::query("update audit_event set actor_id = null where actor_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("delete from account where id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        participants += 1;
    }
    tx.commit().await?;
    report.walks_emptied += emptied;
    report.participants += participants;
    Ok(())
}
