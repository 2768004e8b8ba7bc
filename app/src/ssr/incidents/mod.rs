//! Incident reports (händelserapporter) of partner organisations' reporters and residents'
//! tips: storing them, reading them as far as the viewer reaches
//! ([`access::reach`](crate::domain::access::reach) of `ReadIncidentReports`: a reporter
//! their own organisation's, coordinators and police all), duplicates nearby, and what a
//! reporter hears back.
//!
//! A report counts nowhere until a coordinator has accepted it (`review`), which makes it
//! an observation of kind `incident_report`: every lägesbild, layer and export reads
//! observations, so none of them can count an unreviewed report.
//!
//! Beside them: the organisations (`organisations`), the review (`review`), the public
//! form (`tips`) and the weekly picture (`weekly`).

pub mod organisations;
pub mod review;
pub mod tips;
pub mod weekly;

use chrono::Utc;
use sha2::{Digest, Sha256};

use crate::domain::access::{reach, require, Capability, Reach};
use crate::domain::geo::{Bounds, LatLng};
use crate::domain::ids::{IncidentId, OrganisationId, UserId};
use crate::domain::incident::{Incident, Nearby, NewIncident, Notice, Source, Status, DUPLICATE_RADIUS_M};
use crate::domain::observation::PositionSource;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::db::{is_unique_violation, now_ms, Db};
use crate::ssr::infra::decode::table_row;
use crate::ssr::infra::sql::Millis;
use crate::ssr::reports::observations::Stored;

table_row! {
    struct IncidentRow from "incident_report" by "id" {
        id: IncidentId,
        source: Source,
        organisation: Option<String>,
        category_id: String,
        category_label: String,
        lat: f64,
        lng: f64,
        observed_at: Millis,
        observed_until: Option<Millis>,
        note: String,
        status: Status,
        strategy_area: String,
        duplicate_of: Option<IncidentId>,
        decision_note: String,
        created_at: Millis,
    }
}

impl IncidentRow {
    fn read(self) -> Incident {
        Incident {
            id: self.id,
            source: self.source,
            organisation: self.organisation,
            category: self.category_id,
            category_label: self.category_label,
            lat: self.lat,
            lng: self.lng,
            observed_at: self.observed_at.0,
            observed_until: self.observed_until.map(|at| at.0),
            note: self.note,
            status: self.status,
            strategy_area: self.strategy_area,
            duplicate_of: self.duplicate_of,
            duplicates: Vec::new(),
            decision_note: self.decision_note,
            received_at: self.created_at.0,
            place: None,
        }
    }
}

/// The reports a viewer reaches: `$1` is '' for every report, or the organisation whose
/// reports alone they may read.
const SELECT: &str = "select r.id, r.source, org.name as organisation, r.category_id,
        c.label_sv as category_label, r.lat, r.lng, r.observed_at, r.observed_until, r.note, r.status,
        r.strategy_area, r.duplicate_of, r.decision_note, r.created_at
     from incident_report r
     join category c on c.id = r.category_id
     left join organisation org on org.id = r.organisation_id
     where ($1 = '' or r.organisation_id = $1)";

/// How far a viewer reads incident reports, as the value of `$1` in [`SELECT`].
fn scope(viewer: &CurrentUser) -> Result<String, AppError> {
    match reach(viewer, Capability::ReadIncidentReports) {
        Reach::Everywhere => Ok(String::new()),
        Reach::Organisation(organisation) => Ok(organisation.to_string()),
        Reach::Nowhere => Err(AppError::Forbidden),
    }
}

/// What to list; `None` does not filter.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub status: Option<Status>,
    pub organisation: Option<OrganisationId>,
}

/// The most reports one list holds, newest first.
pub const MAX_LISTED: i64 = 500;

/// The reports the viewer reaches, newest first.
pub async fn list(db: &Db, viewer: &CurrentUser, filter: &Filter) -> Result<Vec<Incident>, AppError> {
    let scope = scope(viewer)?;
    let rows: Vec<IncidentRow> = sqlx::query_as(&format!(
        "{SELECT} and ($2 = '' or r.status = $2) and ($3 = '' or r.organisation_id = $3)
         order by r.created_at desc, r.id limit {MAX_LISTED}"
    ))
    .bind(&scope)
    .bind(filter.status.map(Status::as_str).unwrap_or(""))
    .bind(filter.organisation.map(|id| id.to_string()).unwrap_or_default())
    .fetch_all(&db.pool)
    .await?;
    completed(db, &scope, rows).await
}

/// One report, if the viewer reaches it; 404 otherwise, whether or not it exists.
pub async fn find(db: &Db, viewer: &CurrentUser, id: IncidentId) -> Result<Incident, AppError> {
    let scope = scope(viewer)?;
    let rows: Vec<IncidentRow> = sqlx::query_as(&format!("{SELECT} and r.id = $2"))
        .bind(&scope)
        .bind(id)
        .fetch_all(&db.pool)
        .await?;
    completed(db, &scope, rows).await?.pop().ok_or(AppError::NotFound)
}

/// The rows as reports, with the duplicates merged into each (those the viewer reaches)
/// and the named area each lies in.
async fn completed(db: &Db, scope: &str, rows: Vec<IncidentRow>) -> Result<Vec<Incident>, AppError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let merged: Vec<(IncidentId, IncidentId)> = sqlx::query_as(
        "select id, duplicate_of from incident_report
         where duplicate_of is not null and ($1 = '' or organisation_id = $1) order by created_at, id",
    )
    .bind(scope)
    .fetch_all(&db.pool)
    .await?;
    let places = crate::ssr::areas::gazetteer(db).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut incident = row.read();
            incident.duplicates = merged
                .iter()
                .filter(|(_, into)| *into == incident.id)
                .map(|(id, _)| *id)
                .collect();
            incident.place = places
                .name_of(LatLng {
                    lat: incident.lat,
                    lng: incident.lng,
                })
                .map(str::to_owned);
            incident
        })
        .collect())
}

/// What the phone sent, as a hash: a resend is told from another report under the same id.
fn content_hash(new: &NewIncident) -> String {
    let canonical = serde_json::to_string(new).unwrap_or_default();
    format!("{:x}", Sha256::digest(canonical.as_bytes()))
}

/// The category's strategy area, if it is an incident category in use.
pub(crate) async fn incident_category(db: &Db, category: &str) -> Result<String, AppError> {
    let row: Option<(String, Option<i64>, String)> =
        sqlx::query_as("select kind, retired_at, strategy_area from category where id = $1")
            .bind(category)
            .fetch_optional(&db.pool)
            .await?;
    match row {
        Some((kind, None, strategy_area)) if kind == "incident_report" => Ok(strategy_area),
        _ => Err(AppError::invalid(
            "category",
            "Okänd kategori för händelserapporter.",
            "Unknown category for incident reports.",
        )),
    }
}

/// Stores a reporter's report as waiting for review, or recognises a resend of one.
pub async fn submit(
    db: &Db,
    bounds: &Bounds,
    reporter: &CurrentUser,
    new: &NewIncident,
) -> Result<(Incident, Stored), AppError> {
    require(reporter, Capability::ReportIncidents)?;
    new.validate(bounds, Utc::now())?;
    let hash = content_hash(new);
    if let Some(stored) = replay(db, reporter, new.id, &hash).await? {
        return Ok((stored, Stored::AlreadyThere));
    }
    let organisation = reporter.organisation.ok_or_else(|| {
        AppError::invalid(
            "organisation",
            "Ditt konto hör inte till någon organisation. Kontakta trygghetssamordnaren.",
            "Your account belongs to no organisation. Contact the coordinator.",
        )
    })?;
    organisations::require_active(db, organisation).await?;
    let strategy_area = incident_category(db, &new.category).await?;
    let id = IncidentId::new();
    let now = now_ms();
    let inserted = sqlx::query(
        "insert into incident_report (id, client_id, source, reporter_id, organisation_id, category_id, lat, lng,
             accuracy_m, position_source, observed_at, observed_until, note, status, strategy_area,
             content_hash, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)",
    )
    .bind(id)
    .bind(new.id)
    .bind(Source::Reporter)
    .bind(reporter.id)
    .bind(organisation)
    .bind(&new.category)
    .bind(new.lat)
    .bind(new.lng)
    .bind(new.accuracy_m)
    .bind(new.position_source)
    .bind(Millis(new.observed_at))
    .bind(new.observed_until.map(Millis))
    .bind(new.note.trim())
    .bind(Status::Pending)
    .bind(&strategy_area)
    .bind(&hash)
    .bind(now)
    .execute(&db.pool)
    .await;
    match inserted {
        // The same report sent twice at once: the other request stored it.
        Err(err) if is_unique_violation(&err) => {
            return match replay(db, reporter, new.id, &hash).await? {
                Some(stored) => Ok((stored, Stored::AlreadyThere)),
                None => Err(conflict()),
            }
        }
        other => other?,
    };
    tracing::info!(report = %id, organisation = %organisation, "incident report received");
    Ok((find(db, reporter, id).await?, Stored::Created))
}

fn conflict() -> AppError {
    AppError::conflict(
        "Du har redan skickat en annan rapport med samma id. Den här sparas inte.",
        "You already sent another report with the same id. This one is not saved.",
    )
}

/// The report the reporter already stored under the phone's id: `Some` for the same
/// content, a conflict for another.
async fn replay(
    db: &Db,
    reporter: &CurrentUser,
    id: IncidentId,
    hash: &str,
) -> Result<Option<Incident>, AppError> {
    let existing: Option<(IncidentId, String)> = sqlx::query_as(
        "select id, content_hash from incident_report where reporter_id = $1 and client_id = $2",
    )
    .bind(reporter.id)
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    match existing {
        None => Ok(None),
        Some((stored, stored_hash)) if stored_hash == hash => Ok(Some(find_own(db, reporter, stored).await?)),
        Some(_) => Err(conflict()),
    }
}

/// A report of the reporter's own, read even after they lost the right to read others'
/// (a resend after their organisation was deactivated).
async fn find_own(db: &Db, reporter: &CurrentUser, id: IncidentId) -> Result<Incident, AppError> {
    let rows: Vec<IncidentRow> = sqlx::query_as(&format!("{SELECT} and r.id = $2 and r.reporter_id = $3"))
        .bind("")
        .bind(id)
        .bind(reporter.id)
        .fetch_all(&db.pool)
        .await?;
    completed(
        db,
        &reporter.organisation.map(|o| o.to_string()).unwrap_or_default(),
        rows,
    )
    .await?
    .pop()
    .ok_or(AppError::NotFound)
}

/// Open reports (waiting or accepted) of `category` within [`DUPLICATE_RADIUS_M`] of a
/// place, nearest first, that the viewer reaches: "Är det här samma sak?".
pub async fn nearby(
    db: &Db,
    viewer: &CurrentUser,
    category: &str,
    at: LatLng,
    except: Option<IncidentId>,
) -> Result<Vec<Nearby>, AppError> {
    let scope = scope(viewer)?;
    if !at.lat.is_finite() || !at.lng.is_finite() {
        return Err(AppError::invalid(
            "lat",
            "Platsen saknas.",
            "The place is missing.",
        ));
    }
    // A box a little larger than the circle, then the distance itself.
    let dlat = DUPLICATE_RADIUS_M / 111_000.0 * 1.5;
    let dlng = dlat / at.lat.to_radians().cos().max(0.1);
    let rows: Vec<IncidentRow> = sqlx::query_as(&format!(
        "{SELECT} and r.category_id = $2 and r.status in ('pending', 'accepted')
           and r.lat between $3 and $4 and r.lng between $5 and $6 and ($7 = '' or r.id <> $7)
         order by r.created_at desc, r.id limit 50"
    ))
    .bind(&scope)
    .bind(category)
    .bind(at.lat - dlat)
    .bind(at.lat + dlat)
    .bind(at.lng - dlng)
    .bind(at.lng + dlng)
    .bind(except.map(|id| id.to_string()).unwrap_or_default())
    .fetch_all(&db.pool)
    .await?;
    Ok(nearest(at, rows.iter()))
}

/// The most open reports [`nearby_each`] compares the waiting ones with, newest first.
const MAX_COMPARED: i64 = 20_000;

/// For each of `reports`, the open reports of its category near it that the viewer
/// reaches (as [`nearby`] gives them): one query for the whole review queue.
pub async fn nearby_each(
    db: &Db,
    viewer: &CurrentUser,
    reports: &[Incident],
) -> Result<Vec<Vec<Nearby>>, AppError> {
    let scope = scope(viewer)?;
    if reports.is_empty() {
        return Ok(Vec::new());
    }
    let open: Vec<IncidentRow> = sqlx::query_as(&format!(
        "{SELECT} and r.status in ('pending', 'accepted')
         order by r.created_at desc, r.id limit {MAX_COMPARED}"
    ))
    .bind(&scope)
    .fetch_all(&db.pool)
    .await?;
    Ok(reports
        .iter()
        .map(|report| {
            let at = LatLng {
                lat: report.lat,
                lng: report.lng,
            };
            let candidates = open
                .iter()
                .filter(|row| row.category_id == report.category && row.id != report.id);
            nearest(at, candidates)
        })
        .collect())
}

/// Of `candidates`, those within [`DUPLICATE_RADIUS_M`] of `at`, nearest first.
fn nearest<'a>(at: LatLng, candidates: impl Iterator<Item = &'a IncidentRow>) -> Vec<Nearby> {
    let mut found: Vec<Nearby> = candidates
        .map(|row| Nearby {
            id: row.id,
            distance_m: at.distance_m(LatLng {
                lat: row.lat,
                lng: row.lng,
            }),
            category_label: row.category_label.clone(),
            observed_at: row.observed_at.0,
            status: row.status,
        })
        .filter(|nearby| nearby.distance_m <= DUPLICATE_RADIUS_M)
        .collect();
    found.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
    found
}

/// The changes to the viewer's reports they have not read yet, newest first.
pub async fn notices(db: &Db, viewer: &CurrentUser) -> Result<Vec<Notice>, AppError> {
    let rows: Vec<(IncidentId, String, String, String, Millis)> = sqlx::query_as(
        "select r.id, c.label_sv, n.status, r.decision_note, n.created_at
         from incident_notice n
         join incident_report r on r.id = n.report_id
         join category c on c.id = r.category_id
         where n.recipient_id = $1 and n.seen_at is null
         order by n.created_at desc, n.id limit 100",
    )
    .bind(viewer.id)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|(report, category_label, status, decision_note, at)| {
            let row = crate::ssr::infra::decode::Row::of("incident_notice", "");
            Ok(Notice {
                report,
                category_label,
                status: row.code("status", &status)?,
                decision_note,
                at: at.0,
            })
        })
        .collect()
}

/// The viewer has read their notices.
pub async fn mark_notices_seen(db: &Db, viewer: &CurrentUser) -> Result<(), AppError> {
    sqlx::query("update incident_notice set seen_at = $2, updated_at = $2 where recipient_id = $1 and seen_at is null")
        .bind(viewer.id)
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Writes that a report's status changed, for its reporter to read (nothing for a
/// resident's tip: they hear by e-mail, `review`).
pub(crate) async fn notify<'e, E>(
    executor: E,
    report: IncidentId,
    recipient: Option<UserId>,
    status: Status,
) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let Some(recipient) = recipient else {
        return Ok(());
    };
    let now = now_ms();
    sqlx::query(
        "insert into incident_notice (id, report_id, recipient_id, status, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $5)",
    )
    .bind(crate::ssr::infra::sql::RowId::new())
    .bind(report)
    .bind(recipient)
    .bind(status)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(())
}

/// How a place was set for a tip from the public form: always on the map.
pub(crate) const TIP_POSITION: PositionSource = PositionSource::Manual;
