//! Lägesbild meetings: stored with the hotspot picture as it was shown. Police and
//! coordinators hold the meetings; the snapshot has their full analysis, so no one else
//! may read them.

use crate::domain::access::{require, Capability};
use crate::domain::geo::Bounds;
use crate::domain::ids::MeetingId;
use crate::domain::meeting::{
    check_text, Meeting, MeetingNote, MeetingSummary, NewMeeting, MAX_DECISIONS, MAX_NOTE,
};
use crate::domain::situation::Situation;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::db::{now_ms, Db};
use crate::ssr::infra::decode::Row;
use crate::ssr::situation;

/// Saves a meeting with the snapshot of its request, computed as of the request's
/// `as_of` time so it matches what the page showed.
pub async fn create(
    db: &Db,
    user: &CurrentUser,
    new: &NewMeeting,
    bounds: &Bounds,
) -> Result<Meeting, AppError> {
    require(user, Capability::FollowUp)?;
    new.validate()?;
    let snapshot = situation::situation(db, user, &new.query, bounds).await?;
    let id = MeetingId::new();
    let now = now_ms();
    let params = serde_json::to_string(&snapshot.params).map_err(|_| AppError::Internal)?;
    let stored = serde_json::to_string(&snapshot).map_err(|_| AppError::Internal)?;
    sqlx::query(
        "insert into meeting (id, held_on, organisations, decisions, params, snapshot, created_by, created_at, updated_at)
         values ($1, $2, $3, '', $4, $5, $6, $7, $7)",
    )
    .bind(id)
    .bind(new.held_on.trim().to_owned())
    .bind(new.organisations.trim().to_owned())
    .bind(params)
    .bind(stored)
    .bind(user.id)
    .bind(now)
    .execute(&db.pool)
    .await?;
    get(db, user, id).await
}

pub async fn list(db: &Db, user: &CurrentUser) -> Result<Vec<MeetingSummary>, AppError> {
    require(user, Capability::FollowUp)?;
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "select id, held_on, organisations from meeting order by held_on desc, created_at desc",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|(id, held_on, organisations)| {
            Ok(MeetingSummary {
                id: Row::of("meeting", &id).id()?,
                held_on,
                organisations,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct MeetingRow {
    held_on: String,
    organisations: String,
    decisions: String,
    snapshot: String,
    created_by: String,
}

pub async fn get(db: &Db, user: &CurrentUser, id: MeetingId) -> Result<Meeting, AppError> {
    require(user, Capability::FollowUp)?;
    let row: MeetingRow = sqlx::query_as(
        "select m.held_on, m.organisations, m.decisions, m.snapshot, a.display_name as created_by
         from meeting m join account a on a.id = m.created_by where m.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let snapshot: Situation = serde_json::from_str(&row.snapshot).map_err(|err| {
        tracing::error!(meeting = %id, %err, "stored snapshot cannot be read");
        AppError::Internal
    })?;
    let notes: Vec<(String, String, String, i64)> = sqlx::query_as(
        "select n.id, a.display_name, n.body, n.created_at
         from meeting_note n join account a on a.id = n.author_id
         where n.meeting_id = $1 order by n.created_at, n.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let notes = notes
        .into_iter()
        .map(|(note_id, author, body, created_at)| {
            Ok(MeetingNote {
                id: Row::of("meeting_note", &note_id).id()?,
                author,
                body,
                created_at,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Meeting {
        id,
        held_on: row.held_on,
        organisations: row.organisations,
        decisions: row.decisions,
        created_by: row.created_by,
        snapshot,
        notes,
    })
}

/// Adds a running note; the snapshot is never touched.
pub async fn add_note(
    db: &Db,
    user: &CurrentUser,
    id: MeetingId,
    body: &str,
) -> Result<MeetingNote, AppError> {
    require(user, Capability::FollowUp)?;
    let body = check_text("body", body, MAX_NOTE)?;
    exists(db, id).await?;
    let note_id = crate::domain::ids::MeetingNoteId::new();
    let now = now_ms();
    sqlx::query(
        "insert into meeting_note (id, meeting_id, author_id, body, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $5)",
    )
    .bind(note_id)
    .bind(id)
    .bind(user.id)
    .bind(&body)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(MeetingNote {
        id: note_id,
        author: user.display_name.clone(),
        body,
        created_at: now,
    })
}

pub async fn set_decisions(
    db: &Db,
    user: &CurrentUser,
    id: MeetingId,
    decisions: &str,
) -> Result<(), AppError> {
    require(user, Capability::FollowUp)?;
    let decisions = check_text("decisions", decisions, MAX_DECISIONS)?;
    let changed = sqlx::query("update meeting set decisions = $1, updated_at = $2 where id = $3")
        .bind(decisions)
        .bind(now_ms())
        .bind(id)
        .execute(&db.pool)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

async fn exists(db: &Db, id: MeetingId) -> Result<(), AppError> {
    let found: Option<(String,)> = sqlx::query_as("select id from meeting where id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    found.map(|_| ()).ok_or(AppError::NotFound)
}
