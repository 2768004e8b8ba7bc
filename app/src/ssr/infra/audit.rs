//! The change log: who changed what and when (`audit_event`).
//!
//! An entry is written in the same transaction as the change it records, so a change is
//! never kept without its entry or logged without having happened. The action is always
//! one the server names ([`AuditAction`]); text from a request only lands in `subject` and
//! `detail`, which the log shows as plain text.

use crate::domain::access::{may, require, Capability};
use crate::domain::admin::{AuditAction, AuditEvent};
use crate::domain::user::{CurrentUser, UserId};
use crate::error::AppError;
use crate::ssr::infra::db::{now_ms, Db};

/// How many entries one page of the log shows.
pub const PAGE: i64 = 200;

/// The longest subject or detail kept.
const MAX_TEXT: usize = 300;

pub async fn record<'e, E>(
    executor: E,
    actor: &CurrentUser,
    action: AuditAction,
    subject: &str,
    detail: &str,
) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    record_by(executor, Some(&actor.id), action, subject, detail).await
}

/// [`record`] for an event that may have no signed-in actor (a failed sign-in). Text
/// from a request is cut to a length the log can show.
pub async fn record_by<'e, E>(
    executor: E,
    actor: Option<&UserId>,
    action: AuditAction,
    subject: &str,
    detail: &str,
) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let cut = |text: &str| text.chars().take(MAX_TEXT).collect::<String>();
    sqlx::query(
        "insert into audit_event (id, at, actor_id, action, subject, detail) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(crate::ssr::infra::sql::RowId::new())
    .bind(now_ms())
    .bind(actor)
    .bind(action)
    .bind(cut(subject))
    .bind(cut(detail))
    .execute(executor)
    .await?;
    Ok(())
}

/// How many entries an export holds at most.
pub const EXPORT: i64 = 50_000;

/// The newest [`PAGE`] entries first, for those who read the log.
pub async fn list(db: &Db, viewer: &CurrentUser) -> Result<Vec<AuditEvent>, AppError> {
    newest(db, viewer, PAGE).await
}

/// The newest `limit` entries first, for those who read the log: without the entries
/// the viewer may not see (`AuditAction::read_with`), which are left out altogether.
pub async fn newest(db: &Db, viewer: &CurrentUser, limit: i64) -> Result<Vec<AuditEvent>, AppError> {
    require(viewer, Capability::ReadAuditLog)?;
    let hidden: Vec<&str> = AuditAction::ALL
        .into_iter()
        .filter(|action| action.read_with().is_some_and(|needed| !may(viewer, needed)))
        .map(AuditAction::as_str)
        .collect();
    entries(db, &hidden, limit).await
}

/// Every entry, the newest `limit` first, for the command line (`tryggkarta audit`):
/// whoever runs the server reads the whole log, restricted reads included, for the
/// police's review of who read what.
pub async fn everything(db: &Db, limit: i64) -> Result<Vec<AuditEvent>, AppError> {
    entries(db, &[], limit).await
}

async fn entries(db: &Db, hidden: &[&str], limit: i64) -> Result<Vec<AuditEvent>, AppError> {
    // One placeholder per hidden action (`$2`, `$3`…), each bound below.
    let placeholders: Vec<String> = (2..hidden.len() + 2).map(|n| format!("${n}")).collect();
    let condition = if hidden.is_empty() {
        String::new()
    } else {
        format!("where e.action not in ({})", placeholders.join(", "))
    };
    let sql = format!(
        "select e.at, coalesce(nullif(a.display_name, ''), a.email), e.action, e.subject, e.detail
         from audit_event e left join account a on a.id = e.actor_id
         {condition}
         order by e.at desc, e.id desc limit $1"
    );
    let mut query = sqlx::query_as::<_, (i64, Option<String>, String, String, String)>(&sql).bind(limit);
    for action in hidden {
        query = query.bind(*action);
    }
    let rows = query.fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .map(|(at, actor, action, subject, detail)| AuditEvent {
            at,
            actor,
            action,
            subject,
            detail,
        })
        .collect())
}
