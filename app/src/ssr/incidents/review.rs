//! The coordinator's review: a waiting report is accepted (perhaps corrected) and becomes
//! an observation that counts, rejected with a word to the reporter, or merged into
//! another report of the same thing. Each decision is logged and told to the reporter,
//! in the same transaction as the decision itself.

use crate::domain::access::{require, Capability};
use crate::domain::admin::AuditAction;
use crate::domain::geo::Bounds;
use crate::domain::ids::{IncidentId, ObservationId, UserId};
use crate::domain::incident::{Decision, Incident, Status, Waiting};
use crate::domain::observation::{Kind, Sensitivity};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::audit;
use crate::ssr::infra::db::{now_ms, Db};
use crate::ssr::infra::decode::table_row;
use crate::ssr::infra::mail::Mailer;

use super::{find, incident_category, list, nearby_each, notify, Filter};

/// The queue: every report waiting for review, oldest first, each with its possible
/// duplicates.
pub async fn queue(db: &Db, viewer: &CurrentUser) -> Result<Vec<Waiting>, AppError> {
    require(viewer, Capability::ReviewReports)?;
    let mut reports = list(
        db,
        viewer,
        &Filter {
            status: Some(Status::Pending),
            ..Filter::default()
        },
    )
    .await?;
    reports.reverse();
    let suggestions = nearby_each(db, viewer, &reports).await?;
    Ok(reports
        .into_iter()
        .zip(suggestions)
        .map(|(report, maybe_same)| Waiting { report, maybe_same })
        .collect())
}

/// How many reports wait for review (for "Att göra"; the caller may review them all).
pub async fn count_waiting(db: &Db) -> Result<usize, AppError> {
    let waiting: i64 = sqlx::query_scalar("select count(*) from incident_report where status = 'pending'")
        .fetch_one(&db.pool)
        .await?;
    Ok(usize::try_from(waiting).unwrap_or_default())
}

table_row! {
    struct Stored from "incident_report" by "id" {
        id: IncidentId,
        reporter_id: Option<UserId>,
        category_id: String,
        lat: f64,
        lng: f64,
        accuracy_m: Option<f64>,
        position_source: crate::domain::observation::PositionSource,
        observed_at: i64,
        note: String,
        status: Status,
        strategy_area: String,
        content_hash: String,
        contact_email: String,
    }
}

async fn stored(db: &Db, id: IncidentId) -> Result<Option<Stored>, AppError> {
    Ok(sqlx::query_as(
        "select id, reporter_id, category_id, lat, lng, accuracy_m, position_source, observed_at, note, status,
                strategy_area, content_hash, contact_email
         from incident_report where id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?)
}

fn already_decided() -> AppError {
    AppError::conflict(
        "Rapporten är redan granskad.",
        "The report has already been reviewed.",
    )
}

/// Decides on a waiting report. A report already decided answers 409, whoever decided it:
/// two coordinators at the same report cannot both decide.
pub async fn decide(
    db: &Db,
    bounds: &Bounds,
    mailer: Option<&Mailer>,
    viewer: &CurrentUser,
    id: IncidentId,
    decision: &Decision,
) -> Result<Incident, AppError> {
    require(viewer, Capability::ReviewReports)?;
    decision.validate(bounds)?;
    let report = stored(db, id).await?.ok_or(AppError::NotFound)?;
    if report.status != Status::Pending {
        return Err(already_decided());
    }
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let (status, observation, duplicate_of) = match decision {
        Decision::Accept {
            category,
            lat,
            lng,
            strategy_area,
            ..
        } => {
            let category = category.clone().unwrap_or_else(|| report.category_id.clone());
            let category_area = incident_category(db, &category).await?;
            let strategy_area = match (strategy_area, category == report.category_id) {
                (Some(area), _) => area.clone(),
                (None, true) => report.strategy_area.clone(),
                (None, false) => category_area,
            };
            let sensitivity: String = sqlx::query_scalar("select sensitivity from category where id = $1")
                .bind(&category)
                .fetch_one(&mut *tx)
                .await?;
            let sensitivity = crate::ssr::infra::decode::Row::of("category", &category)
                .code::<Sensitivity>("sensitivity", &sensitivity)?;
            let observation = ObservationId::new();
            // A resident has no account: the reviewer who let the tip count stands for it.
            let reporter = report.reporter_id.unwrap_or(viewer.id);
            sqlx::query(
                "insert into observation (id, client_id, kind, category_id, note, lat, lng, accuracy_m, position_source,
                     observed_at, reporter_id, strategy_area, sensitivity, status, content_hash, created_at, updated_at)
                 values ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'new', $13, $14, $14)",
            )
            .bind(observation)
            .bind(Kind::IncidentReport)
            .bind(&category)
            .bind(&report.note)
            .bind(lat.unwrap_or(report.lat))
            .bind(lng.unwrap_or(report.lng))
            .bind(report.accuracy_m)
            .bind(report.position_source)
            .bind(report.observed_at)
            .bind(reporter)
            .bind(&strategy_area)
            .bind(sensitivity)
            .bind(&report.content_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "update incident_report set category_id = $2, lat = $3, lng = $4, strategy_area = $5
                 where id = $1",
            )
            .bind(id)
            .bind(&category)
            .bind(lat.unwrap_or(report.lat))
            .bind(lng.unwrap_or(report.lng))
            .bind(&strategy_area)
            .execute(&mut *tx)
            .await?;
            (Status::Accepted, Some(observation), None)
        }
        Decision::Reject { .. } => (Status::Rejected, None, None),
        Decision::Merge { into, .. } => {
            let target = stored(db, *into).await?.ok_or_else(|| {
                AppError::invalid(
                    "into",
                    "Det går bara att slå samman händelserapporter och tips med varandra.",
                    "Only incident reports and tips can be merged with each other.",
                )
            })?;
            if target.id == id || matches!(target.status, Status::Rejected | Status::Merged) {
                return Err(AppError::invalid(
                    "into",
                    "Slå samman med en annan rapport som fortfarande gäller.",
                    "Merge into another report that still stands.",
                ));
            }
            (Status::Merged, None, Some(target.id))
        }
    };
    let done = sqlx::query(
        "update incident_report set status = $2, observation_id = $3, duplicate_of = $4, decided_by = $5,
             decided_at = $6, decision_note = $7, updated_at = $6
         where id = $1 and status = 'pending'",
    )
    .bind(id)
    .bind(status)
    .bind(observation)
    .bind(duplicate_of)
    .bind(viewer.id)
    .bind(now)
    .bind(decision.note().trim())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        // Another coordinator decided first; nothing of this decision is kept.
        return Err(already_decided());
    }
    notify(&mut *tx, id, report.reporter_id, status).await?;
    audit::record(
        &mut *tx,
        viewer,
        AuditAction::ReportReview,
        &id.to_string(),
        status.as_str(),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(report = %id, by = %viewer.id, status = status.as_str(), "incident report reviewed");
    tell_resident(mailer, &report.contact_email, status, decision.note());
    find(db, viewer, id).await
}

/// A resident who left an e-mail address hears what became of their tip, if the server
/// can send e-mail. A failure is logged; the decision stands.
fn tell_resident(mailer: Option<&Mailer>, email: &str, status: Status, note: &str) {
    let (Some(mailer), false) = (mailer.cloned(), email.trim().is_empty()) else {
        return;
    };
    let email = email.trim().to_owned();
    let what = match status {
        Status::Accepted => "Ditt tips är granskat och finns nu med i kommunens och polisens lägesbild.",
        Status::Rejected => "Ditt tips är granskat men tas inte med i lägesbilden.",
        Status::Merged => {
            "Ditt tips gäller något som redan är rapporterat; det räknas tillsammans med den rapporten."
        }
        Status::Pending => return,
    };
    let body = if note.trim().is_empty() {
        format!("{what}\n\nTack för att du hörde av dig.\n")
    } else {
        format!("{what}\n\n{}\n\nTack för att du hörde av dig.\n", note.trim())
    };
    tokio::spawn(async move {
        if let Err(err) = mailer.send(&email, "Ditt tips om en otrygg plats", &body).await {
            tracing::warn!(%err, "a resident's status e-mail was not sent");
        }
    });
}
