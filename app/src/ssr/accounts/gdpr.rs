//! The data subject's rights (GDPR art. 15 and 17) for the app's users, run by the
//! municipality's administrator from the command line (`tryggkarta gdpr …`) after the
//! request has been checked.
//!
//! **Export** gives everything stored about a user: the account, the driver register
//! entry, their reports (with notes), their shifts and routes, the walks they joined or
//! planned, and the audit entries about them.
//!
//! **Erase** removes what identifies them and keeps what the municipality must keep about
//! places: the account becomes "Raderad användare" with no e-mail, password or sessions;
//! their reports stay on the map without the note they wrote (free text may name people)
//! and without photos; their routes, driver register entry, walk memberships and failed
//! sign-ins are deleted; the audit log keeps its entries, naming the account's id instead
//! of the e-mail.

use serde::Serialize;
use serde_json::{json, Value};

use crate::domain::access::{role_may, Capability};
use crate::domain::admin::AuditAction;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::ssr::accounts::normalise_email;
use crate::ssr::infra::audit;
use crate::ssr::infra::db::{now_ms, Db};
use crate::ssr::infra::decode::Row;

#[derive(sqlx::FromRow)]
struct Account {
    id: String,
    email: String,
    display_name: String,
    role: String,
    created_at: i64,
    disabled_at: Option<i64>,
}

async fn account(db: &Db, email: &str) -> Result<Account, AppError> {
    sqlx::query_as(
        "select id, email, display_name, role, created_at, disabled_at from account where email = $1",
    )
    .bind(normalise_email(email))
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| {
        AppError::invalid(
            "user",
            "Det finns inget konto med den e-postadressen.",
            "No account has that email address.",
        )
    })
}

/// Everything stored about the user with `email`, as one JSON document.
pub async fn export(db: &Db, email: &str) -> Result<Value, AppError> {
    let account = account(db, email).await?;
    let id = account.id.as_str();
    let driver: Option<(Option<String>, String, Option<String>, String)> = sqlx::query_as(
        "select trained_on, vehicles, confidentiality_signed_on, note from driver where account_id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    type ReportRow = (
        String,
        String,
        String,
        String,
        f64,
        f64,
        i64,
        Option<String>,
        Option<String>,
        String,
        i64,
    );
    let reports: Vec<ReportRow> = sqlx::query_as(
        "select id, kind, category_id, note, lat, lng, observed_at, walk_id, shift_id, status, created_at
         from observation where reporter_id = $1 order by observed_at, id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let photos: Vec<(String, String)> = sqlx::query_as(
        "select p.id, p.observation_id from photo p join observation o on o.id = p.observation_id
         where o.reporter_id = $1 order by p.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    type ShiftRow = (String, String, String, i64, Option<i64>, Option<f64>);
    let shifts: Vec<ShiftRow> = sqlx::query_as(
        "select id, vehicle, co_driver, started_at, ended_at, distance_m from shift where volunteer_id = $1
         order by started_at, id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let track: Vec<(String, i64, f64, f64, f64)> = sqlx::query_as(
        "select t.shift_id, t.recorded_at, t.lat, t.lng, t.accuracy_m from track_point t
         join shift s on s.id = t.shift_id where s.volunteer_id = $1 order by t.shift_id, t.recorded_at",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let walks: Vec<(String, String, i64, String)> = sqlx::query_as(
        "select w.id, w.title, w.starts_at, case when w.created_by = $1 then 'planned' else 'joined' end
         from walk w where w.created_by = $1
            or w.id in (select p.walk_id from walk_participant p where p.account_id = $1)
         order by w.starts_at, w.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let audit_entries: Vec<(i64, Option<String>, String, String, String)> = sqlx::query_as(
        "select at, actor_id, action, subject, detail from audit_event
         where actor_id = $1 or subject = $2 or subject = $1 order by at, id",
    )
    .bind(id)
    .bind(&account.email)
    .fetch_all(&db.pool)
    .await?;
    audit::record_by(&db.pool, None, AuditAction::Gdpr, id, "export").await?;
    Ok(json!({
        "exported_at_ms": now_ms(),
        "account": {
            "id": account.id, "email": account.email, "display_name": account.display_name,
            "role": account.role, "created_at_ms": account.created_at, "disabled_at_ms": account.disabled_at,
        },
        "driver_register": driver.map(|(trained_on, vehicles, signed, note)| Ok::<_, AppError>(json!({
            "trained_on": trained_on, "vehicles": Row::of("driver", id).json::<Value>("vehicles", &vehicles)?,
            "confidentiality_signed_on": signed, "note": note,
        }))).transpose()?,
        "reports": reports.into_iter().map(|(id, kind, category, note, lat, lng, observed_at, walk, shift, status, created_at)| json!({
            "id": id, "kind": kind, "category": category, "note": note, "lat": lat, "lng": lng,
            "observed_at_ms": observed_at, "walk_id": walk, "shift_id": shift, "status": status, "received_at_ms": created_at,
        })).collect::<Vec<_>>(),
        "photos": photos.into_iter().map(|(id, report)| json!({ "id": id, "report_id": report })).collect::<Vec<_>>(),
        "shifts": shifts.into_iter().map(|(id, vehicle, co_driver, started, ended, distance)| json!({
            "id": id, "vehicle": vehicle, "co_driver": co_driver, "started_at_ms": started,
            "ended_at_ms": ended, "distance_m": distance,
        })).collect::<Vec<_>>(),
        "track_points": track.into_iter().map(|(shift, at, lat, lng, accuracy)| json!({
            "shift_id": shift, "recorded_at_ms": at, "lat": lat, "lng": lng, "accuracy_m": accuracy,
        })).collect::<Vec<_>>(),
        "walks": walks.into_iter().map(|(id, title, starts, how)| json!({
            "id": id, "title": title, "starts_at_ms": starts, "as": how,
        })).collect::<Vec<_>>(),
        "audit_log": audit_entries.into_iter().map(|(at, actor, action, subject, detail)| json!({
            "at_ms": at, "by_this_user": actor.as_deref() == Some(id), "action": action,
            "subject": subject, "detail": detail,
        })).collect::<Vec<_>>(),
    }))
}

/// What an erasure changed.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Erased {
    pub reports_anonymised: u64,
    pub photos: u64,
    pub shifts: u64,
    pub track_points: u64,
}

/// Erases the personal data of the user with `email` (see the module's comment), in one
/// transaction. The last active account that manages the others' cannot be erased:
/// nobody could give anyone access after.
pub async fn erase(db: &Db, email: &str) -> Result<Erased, AppError> {
    let account = account(db, email).await?;
    let id = account.id.as_str();
    let row = Row::of("account", id);
    let keeps_the_keys = |role: Role| role_may(role, Capability::ManageStaff);
    if keeps_the_keys(row.code("role", &account.role)?) && account.disabled_at.is_none() {
        let active: Vec<(String, i64)> =
            sqlx::query_as("select role, count(*) from account where disabled_at is null group by role")
                .fetch_all(&db.pool)
                .await?;
        let mut keepers = 0;
        for (role, count) in active {
            if keeps_the_keys(Row::of("account", "(grouped by role)").code("role", &role)?) {
                keepers += count;
            }
        }
        if keepers <= 1 {
            return Err(AppError::invalid(
                "user",
                "Det är den enda administratören. Skapa en till först.",
                "This is the only administrator. Create another one first.",
            ));
        }
    }
    let mut tx = db.pool.begin().await?;
    let photos = sqlx::query(
        "delete from photo where observation_id in (select id from observation where reporter_id = $1)",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let reports_anonymised =
        sqlx::query("update observation set note = '', updated_at = $2 where reporter_id = $1")
            .bind(id)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?
            .rows_affected();
    // A reporter's incident reports stay counted for their organisation, without words.
    sqlx::query("update incident_report set note = '', updated_at = $2 where reporter_id = $1")
        .bind(id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    let track_points = sqlx::query(
        "delete from track_point where shift_id in (select id from shift where volunteer_id = $1)",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    // The shift stays counted (for the plan's follow-up) but says nothing of who drove
    // with whom.
    let shifts = sqlx::query("update shift set co_driver = '', updated_at = $2 where volunteer_id = $1")
        .bind(id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    for statement in [
        "delete from driver where account_id = $1",
        "delete from walk_participant where account_id = $1",
    ] {
        sqlx::query(statement).bind(id).execute(&mut *tx).await?;
    }
    sqlx::query("delete from login_failure where subject = $1")
        .bind(format!("account:{}", account.email))
        .execute(&mut *tx)
        .await?;
    sqlx::query("update audit_event set subject = $1 where subject = $2")
        .bind(id)
        .bind(&account.email)
        .execute(&mut *tx)
        .await?;
    // No e-mail, no usable password, a raised session version: every session ends at its
    // next request and nobody can sign in as this account again.
    sqlx::query(
        "update account set email = $2, display_name = 'Raderad användare', password_hash = '!',
             disabled_at = coalesce(disabled_at, $3), session_version = session_version + 1, updated_at = $3
         where id = $1",
    )
    .bind(id)
    .bind(format!("{}@raderad.invalid", id.replace('-', "")))
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    audit::record_by(&mut *tx, None, AuditAction::Gdpr, id, "radering").await?;
    tx.commit().await?;
    Ok(Erased {
        reports_anonymised,
        photos,
        shifts,
        track_points,
    })
}
