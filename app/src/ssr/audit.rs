//! The change log: who changed what and when (`audit_event`).
//!
//! An entry is written in the same transaction as the change it records, so a change is
//! never kept without its entry or logged without having happened. The action is always
//! one the server names ([`AuditAction`]); text from a request only lands in `subject` and
//! `detail`, which the log shows as plain text.

use uuid::Uuid;

use super::db::{now_ms, Db};
use crate::domain::access::{require, Capability};
use crate::domain::admin::{AuditAction, AuditEvent};
use crate::domain::user::{CurrentUser, UserId};
use crate::error::AppError;

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
    .bind(Uuid::now_v7().to_string())
    .bind(now_ms())
    .bind(actor.map(|id| id.0.to_string()))
    .bind(action.as_str())
    .bind(cut(subject))
    .bind(cut(detail))
    .execute(executor)
    .await?;
    Ok(())
}

/// How many entries an export holds at most.
pub const EXPORT: i64 = 50_000;

/// The newest [`PAGE`] entries first; admins only.
pub async fn list(db: &Db, viewer: &CurrentUser) -> Result<Vec<AuditEvent>, AppError> {
    newest(db, viewer, PAGE).await
}

/// The newest `limit` entries first; admins only.
pub async fn newest(db: &Db, viewer: &CurrentUser, limit: i64) -> Result<Vec<AuditEvent>, AppError> {
    require(viewer, Capability::ReadAuditLog)?;
    let rows: Vec<(i64, Option<String>, String, String, String)> = sqlx::query_as(
        "select e.at, coalesce(nullif(a.display_name, ''), a.email), e.action, e.subject, e.detail
         from audit_event e left join account a on a.id = e.actor_id
         order by e.at desc, e.id desc limit $1",
    )
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
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
