//! Actions (åtgärder): storage, the link to what they answer, and the follow-up log.
//!
//! Police and coordinators keep actions: they see the exact positions and restricted
//! reports actions are made from, and an action's title and place can say as much as the
//! report itself. Every change is one transaction: the action row and its log entry are
//! written together or not at all.

use chrono::NaiveDate;

use crate::domain::access::{require, Capability};
use crate::domain::action::{is_overdue, Action, ActionEntry, FollowUp, NewAction, Source, Status};
use crate::domain::clock::today;
use crate::domain::code::Code;
use crate::domain::geo::LatLng;
use crate::domain::ids::ActionId;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::areas;
use crate::ssr::infra::db::{is_unique_violation, now_ms, Db};
use crate::ssr::infra::decode::Row;
use crate::ssr::infra::sql::{day, Day};
use crate::ssr::reports::observations;

/// What to list; empty fields do not filter.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
pub struct ActionFilter {
    pub party: Option<String>,
    pub strategy_area: Option<String>,
    /// `proposed`, `planned`, `in_progress`, `done` or `rejected`.
    pub status: Option<String>,
    /// Only open actions past their due date.
    pub overdue: Option<bool>,
    /// With `source_ref`: the actions answering one report, cell or meeting.
    pub source_kind: Option<String>,
    pub source_ref: Option<String>,
}

/// Where an action's source lies and which strategy area it belongs to; 404 for a
/// source the viewer may not see.
async fn locate(
    db: &Db,
    viewer: &CurrentUser,
    source: &Source,
) -> Result<(Option<LatLng>, Option<String>), AppError> {
    Ok(match source {
        Source::Observation(id) => {
            let observation = observations::find(db, viewer, *id).await?.ok_or_else(|| {
                AppError::invalid(
                    "source",
                    "Rapporten finns inte, eller inte för dig.",
                    "The report does not exist, or not for you.",
                )
            })?;
            (
                Some(LatLng {
                    lat: observation.lat,
                    lng: observation.lng,
                }),
                Some(observation.strategy_area),
            )
        }
        Source::Cell(h3) => {
            let cell: h3o::CellIndex = h3
                .parse()
                .map_err(|_| AppError::invalid("source", "Okänd hexagon.", "Unknown hexagon."))?;
            let centre = h3o::LatLng::from(cell);
            (
                Some(LatLng {
                    lat: centre.lat(),
                    lng: centre.lng(),
                }),
                None,
            )
        }
        Source::Meeting(id) => {
            crate::ssr::situation::meetings::get(db, viewer, *id)
                .await
                .map_err(|err| match err {
                    AppError::NotFound | AppError::Forbidden => {
                        AppError::invalid("source", "Mötet finns inte.", "The meeting does not exist.")
                    }
                    other => other,
                })?;
            (None, Some("4.3".to_owned()))
        }
        Source::None => (None, None),
    })
}

/// Stores a new action with its first log entry. Sending the same id again returns the
/// stored action (`false`: nothing new was made).
pub async fn create(db: &Db, viewer: &CurrentUser, new: &NewAction) -> Result<(Action, bool), AppError> {
    require(viewer, Capability::FollowUp)?;
    let id = new.id.unwrap_or_else(crate::domain::ids::ActionId::new);
    if let Some(stored) = find(db, viewer, id).await? {
        return Ok((stored, false));
    }
    let checked = new.validate(today())?;
    let (at, source_area) = locate(db, viewer, &new.source).await?;
    let strategy_area = new.strategy_area_or(source_area.as_deref())?;
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let inserted = sqlx::query(
        "insert into action (id, title, description, party, owner, due_on, strategy_area, status, reason,
             source_kind, source_ref, lat, lng, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, '', $9, $10, $11, $12, $13, $14, $14)",
    )
    .bind(id)
    .bind(&checked.title)
    .bind(&checked.description)
    .bind(&checked.party)
    .bind(&checked.owner)
    .bind(Day(checked.due_on))
    .bind(&strategy_area)
    .bind(new.status)
    .bind(new.source.kind())
    .bind(new.source.reference())
    .bind(crate::ssr::infra::db::Double(at.map(|at| at.lat)))
    .bind(crate::ssr::infra::db::Double(at.map(|at| at.lng)))
    .bind(viewer.id)
    .bind(now)
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        // The same id sent twice at once: the other request stored it.
        Err(err) if is_unique_violation(&err) => {
            drop(tx);
            return match find(db, viewer, id).await? {
                Some(stored) => Ok((stored, false)),
                None => Err(AppError::conflict(
                    "Id:t används redan.",
                    "The id is already in use.",
                )),
            };
        }
        Err(err) => return Err(err.into()),
    }
    log_entry(&mut tx, id, viewer, "", Some(new.status), now).await?;
    tx.commit().await?;
    tracing::info!(action = %id, by = %viewer.id.0, "action created");
    let stored = find(db, viewer, id).await?.ok_or(AppError::Internal)?;
    Ok((stored, true))
}

async fn log_entry(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    action: ActionId,
    author: &CurrentUser,
    note: &str,
    status: Option<Status>,
    at: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "insert into action_update (id, action_id, author_id, note, status, created_at)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(crate::ssr::infra::sql::RowId::new())
    .bind(action)
    .bind(author.id)
    .bind(note)
    .bind(status)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a follow-up and the changes it makes. Two follow-ups at once both land: each
/// reads the status it changes inside its own update, and one that finds the status
/// changed under it is refused with 409 rather than overwriting it.
pub async fn follow_up(
    db: &Db,
    viewer: &CurrentUser,
    id: ActionId,
    follow_up: &FollowUp,
) -> Result<Action, AppError> {
    require(viewer, Capability::FollowUp)?;
    let current = find(db, viewer, id).await?.ok_or(AppError::NotFound)?;
    let checked = follow_up.validate(current.status, today())?;
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let changed = sqlx::query(
        "update action set
             status = coalesce($3, status),
             reason = case when $3 = 'rejected' then $4 when $3 is null then reason else '' end,
             owner = coalesce($5, owner),
             due_on = coalesce($6, due_on),
             updated_at = $7
         where id = $1 and status = $2",
    )
    .bind(id)
    .bind(current.status)
    .bind(checked.status)
    .bind(checked.reason.clone().unwrap_or_default())
    .bind(checked.owner.clone())
    .bind(day(checked.due_on))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 0 {
        return Err(AppError::conflict(
            "Någon annan ändrade åtgärden samtidigt. Läs in den igen och försök på nytt.",
            "Someone else changed the action at the same time. Reload it and try again.",
        ));
    }
    let mut note = checked.note.clone();
    for (label, value) in [
        ("Ansvarig", checked.owner.clone()),
        ("Sista dag", checked.due_on.map(|due| due.to_string())),
        ("Motivering", checked.reason.clone()),
    ] {
        if let Some(value) = value {
            if !note.is_empty() {
                note.push('\n');
            }
            note.push_str(&format!("{label}: {value}"));
        }
    }
    log_entry(&mut tx, id, viewer, &note, checked.status, now).await?;
    tx.commit().await?;
    tracing::info!(action = %id, by = %viewer.id.0, "action followed up");
    find(db, viewer, id).await?.ok_or(AppError::Internal)
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: String,
    title: String,
    description: String,
    party: String,
    owner: String,
    due_on: String,
    strategy_area: String,
    status: String,
    reason: String,
    source_kind: String,
    source_ref: String,
    lat: Option<f64>,
    lng: Option<f64>,
    created_at: i64,
}

impl ActionRow {
    fn read(self, today: NaiveDate) -> Result<Action, AppError> {
        let row = Row::of("action", &self.id);
        let status = row.code("status", &self.status)?;
        Ok(Action {
            id: row.id()?,
            overdue: is_overdue(status, &self.due_on, today),
            source: row.valid("source", Source::parse(&self.source_kind, &self.source_ref))?,
            created_at: row.time("created_at", self.created_at)?,
            title: self.title,
            description: self.description,
            party: self.party,
            owner: self.owner,
            due_on: self.due_on,
            strategy_area: self.strategy_area,
            status,
            reason: self.reason,
            lat: self.lat,
            lng: self.lng,
            place: None,
            log: Vec::new(),
        })
    }
}

const SELECT: &str = "select id, title, description, party, owner, due_on, strategy_area, status, reason,
        source_kind, source_ref, lat, lng, created_at from action";

/// The actions matching a filter, soonest due first.
pub async fn list(db: &Db, viewer: &CurrentUser, filter: &ActionFilter) -> Result<Vec<Action>, AppError> {
    require(viewer, Capability::FollowUp)?;
    if let Some(status) = filter.status.as_deref().filter(|s| !s.is_empty()) {
        if Status::from_code(status).is_none() {
            return Err(AppError::invalid("status", "Okänd status.", "Unknown status."));
        }
    }
    let today = today();
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let rows: Vec<ActionRow> = sqlx::query_as(&format!(
        "{SELECT}
         where ($1 = '' or party = $1) and ($2 = '' or strategy_area = $2) and ($3 = '' or status = $3)
           and ($4 = '' or source_kind = $4) and ($5 = '' or source_ref = $5)
           and ($6 = 0 or (due_on < $7 and status not in ('done', 'rejected')))
         order by due_on, created_at, id"
    ))
    .bind(text(&filter.party))
    .bind(text(&filter.strategy_area))
    .bind(text(&filter.status))
    .bind(text(&filter.source_kind))
    .bind(text(&filter.source_ref))
    .bind(i64::from(filter.overdue.unwrap_or(false)))
    .bind(Day(today))
    .fetch_all(&db.pool)
    .await?;
    let mut actions = rows
        .into_iter()
        .map(|row| row.read(today))
        .collect::<Result<Vec<_>, _>>()?;
    label(db, &mut actions).await?;
    Ok(actions)
}

/// Every responsible party named so far, for filters and suggestions.
pub async fn parties(db: &Db, viewer: &CurrentUser) -> Result<Vec<String>, AppError> {
    require(viewer, Capability::FollowUp)?;
    Ok(
        sqlx::query_scalar("select distinct party from action order by party")
            .fetch_all(&db.pool)
            .await?,
    )
}

/// One action with its log, or `None`.
pub async fn find(db: &Db, viewer: &CurrentUser, id: ActionId) -> Result<Option<Action>, AppError> {
    require(viewer, Capability::FollowUp)?;
    let row: Option<ActionRow> = sqlx::query_as(&format!("{SELECT} where id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut action = row.read(today())?;
    let entries: Vec<(String, i64, String, String, Option<String>)> = sqlx::query_as(
        "select u.id, u.created_at, a.display_name, u.note, u.status
         from action_update u join account a on a.id = u.author_id
         where u.action_id = $1 order by u.created_at, u.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    action.log = entries
        .into_iter()
        .map(|(entry, at, author, note, status)| {
            let row = Row::of("action_update", &entry);
            Ok(ActionEntry {
                at: row.time("created_at", at)?,
                author,
                note,
                status: row.opt_code("status", status.as_deref())?,
            })
        })
        .collect::<Result<_, AppError>>()?;
    label(db, std::slice::from_mut(&mut action)).await?;
    Ok(Some(action))
}

/// Names the area each action lies in.
async fn label(db: &Db, actions: &mut [Action]) -> Result<(), AppError> {
    if actions.iter().all(|action| action.lat.is_none()) {
        return Ok(());
    }
    let places = areas::gazetteer(db).await?;
    for action in actions {
        if let (Some(lat), Some(lng)) = (action.lat, action.lng) {
            action.place = places.name_of(LatLng { lat, lng }).map(str::to_owned);
        }
    }
    Ok(())
}
