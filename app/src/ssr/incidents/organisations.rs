//! Partner organisations: registered and (de)activated by a coordinator, each with its
//! reporters (accounts whose `organisation_id` names it) and the focus places the weekly
//! lägesbild sets for them.

use crate::domain::access::{may, reach, require, Capability, Reach};
use crate::domain::admin::AuditAction;
use crate::domain::ids::OrganisationId;
use crate::domain::partner::{
    monday_of, FocusPlace, NewFocusPlace, Organisation, OrganisationForm, OrganisationKind,
};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::audit;
use crate::ssr::infra::db::{is_unique_violation, now_ms, Db};
use crate::ssr::infra::decode::table_row;

table_row! {
    struct OrganisationRow from "organisation" by "id" {
        id: OrganisationId,
        name: String,
        kind: OrganisationKind,
        active: i64,
        reporters: i64,
    }
}

impl OrganisationRow {
    fn read(self) -> Organisation {
        Organisation {
            id: self.id,
            name: self.name,
            kind: self.kind,
            active: self.active != 0,
            reporters: self.reporters,
        }
    }
}

const SELECT: &str = "select o.id, o.name, o.kind, o.active,
        (select count(*) from account a where a.organisation_id = o.id and a.disabled_at is null) as reporters
     from organisation o";

/// Every organisation, active first, by name: for those who manage them, and for the
/// account form's list.
pub async fn list(db: &Db, viewer: &CurrentUser) -> Result<Vec<Organisation>, AppError> {
    require(viewer, Capability::ManageOrganisations)?;
    all(db).await
}

/// Every organisation, without a check: the caller has made it.
pub(crate) async fn all(db: &Db) -> Result<Vec<Organisation>, AppError> {
    let rows: Vec<OrganisationRow> =
        sqlx::query_as(&format!("{SELECT} order by o.active desc, o.name, o.id"))
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(OrganisationRow::read).collect())
}

pub async fn find(db: &Db, viewer: &CurrentUser, id: OrganisationId) -> Result<Organisation, AppError> {
    require(viewer, Capability::ManageOrganisations)?;
    let row: Option<OrganisationRow> = sqlx::query_as(&format!("{SELECT} where o.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(OrganisationRow::read).ok_or(AppError::NotFound)
}

fn name_taken() -> AppError {
    AppError::invalid(
        "name",
        "Det finns redan en organisation med det namnet.",
        "An organisation with that name already exists.",
    )
}

pub async fn create(
    db: &Db,
    viewer: &CurrentUser,
    form: &OrganisationForm,
) -> Result<Organisation, AppError> {
    require(viewer, Capability::ManageOrganisations)?;
    form.validate()?;
    let id = OrganisationId::new();
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let inserted = sqlx::query(
        "insert into organisation (id, name, kind, active, created_at, updated_at) values ($1, $2, $3, 1, $4, $4)",
    )
    .bind(id)
    .bind(form.name.trim())
    .bind(form.kind)
    .bind(now)
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(err) if is_unique_violation(&err) => return Err(name_taken()),
        other => other?,
    };
    audit::record(
        &mut *tx,
        viewer,
        AuditAction::OrganisationChange,
        form.name.trim(),
        "create",
    )
    .await?;
    tx.commit().await?;
    find(db, viewer, id).await
}

/// Renames, re-kinds or (de)activates an organisation. A deactivated one's reporters can
/// sign in and read what they sent, but send nothing more.
pub async fn update(
    db: &Db,
    viewer: &CurrentUser,
    id: OrganisationId,
    form: &OrganisationForm,
) -> Result<Organisation, AppError> {
    require(viewer, Capability::ManageOrganisations)?;
    form.validate()?;
    let mut tx = db.pool.begin().await?;
    let updated = sqlx::query(
        "update organisation set name = $2, kind = $3, active = $4, updated_at = $5 where id = $1",
    )
    .bind(id)
    .bind(form.name.trim())
    .bind(form.kind)
    .bind(i64::from(form.active))
    .bind(now_ms())
    .execute(&mut *tx)
    .await;
    match updated {
        Err(err) if is_unique_violation(&err) => return Err(name_taken()),
        Ok(done) if done.rows_affected() == 0 => return Err(AppError::NotFound),
        other => other?,
    };
    let detail = if form.active { "active" } else { "inactive" };
    audit::record(
        &mut *tx,
        viewer,
        AuditAction::OrganisationChange,
        form.name.trim(),
        detail,
    )
    .await?;
    tx.commit().await?;
    find(db, viewer, id).await
}

/// The active organisation called `name` (or whose id it is), for the console.
pub async fn named(db: &Db, name: &str) -> Result<OrganisationId, AppError> {
    let found: Option<OrganisationId> = sqlx::query_scalar(
        "select id from organisation where (lower(name) = lower($1) or id = $1) and active = 1",
    )
    .bind(name.trim())
    .fetch_optional(&db.pool)
    .await?;
    found.ok_or_else(|| {
        AppError::invalid(
            "organisation",
            "Det finns ingen aktiv organisation med det namnet; registrera den först på sidan Organisationer.",
            "There is no active organisation of that name; register it first on the Organisations page.",
        )
    })
}

/// The organisation exists and is active: a reporter may be made for it, or report for it.
pub async fn require_active(db: &Db, id: OrganisationId) -> Result<(), AppError> {
    let active: Option<i64> = sqlx::query_scalar("select active from organisation where id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    match active {
        Some(1) => Ok(()),
        Some(_) => Err(AppError::invalid(
            "organisation",
            "Organisationen är inte längre aktiv i samverkan. Kontakta trygghetssamordnaren.",
            "The organisation is no longer active in the partnership. Contact the coordinator.",
        )),
        None => Err(AppError::invalid(
            "organisation",
            "Organisationen finns inte.",
            "The organisation does not exist.",
        )),
    }
}

table_row! {
    struct FocusRow from "organisation_focus" by "id" {
        id: String,
        organisation_id: OrganisationId,
        place: String,
        note: String,
        week_of: crate::ssr::infra::sql::Day,
    }
}

/// The focus places of this week and the weeks after that the viewer reaches: a reporter
/// their own organisation's; those who read every report or keep the organisations, all.
pub async fn focus_places(db: &Db, viewer: &CurrentUser) -> Result<Vec<FocusPlace>, AppError> {
    let scope = match reach(viewer, Capability::ReadIncidentReports) {
        Reach::Organisation(organisation) => organisation.to_string(),
        Reach::Everywhere => String::new(),
        Reach::Nowhere if may(viewer, Capability::ManageOrganisations) => String::new(),
        Reach::Nowhere => return Err(AppError::Forbidden),
    };
    let this_week = monday_of(crate::domain::clock::today());
    let rows: Vec<FocusRow> = sqlx::query_as(
        "select id, organisation_id, place, note, week_of from organisation_focus
         where ($1 = '' or organisation_id = $1) and week_of >= $2 order by week_of, created_at, id",
    )
    .bind(scope)
    .bind(crate::ssr::infra::sql::Day(this_week))
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(FocusPlace {
                id: crate::ssr::infra::decode::Row::of("organisation_focus", &row.id).id()?,
                organisation: row.organisation_id,
                place: row.place,
                note: row.note,
                week_of: row.week_of.0,
            })
        })
        .collect()
}

/// Sets a focus place for an organisation's reporters (next week's unless told).
pub async fn add_focus_place(
    db: &Db,
    viewer: &CurrentUser,
    organisation: OrganisationId,
    new: &NewFocusPlace,
) -> Result<FocusPlace, AppError> {
    require(viewer, Capability::ManageOrganisations)?;
    let week = new.validate(crate::domain::clock::today())?;
    find(db, viewer, organisation).await?;
    let id = uuid::Uuid::now_v7();
    let now = now_ms();
    sqlx::query(
        "insert into organisation_focus (id, organisation_id, place, note, week_of, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(id.to_string())
    .bind(organisation)
    .bind(new.place.trim())
    .bind(new.note.trim())
    .bind(crate::ssr::infra::sql::Day(week))
    .bind(viewer.id)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(FocusPlace {
        id,
        organisation,
        place: new.place.trim().to_owned(),
        note: new.note.trim().to_owned(),
        week_of: week,
    })
}
