//! The police's briefing to the grannstöd drivers (lägesinformation), read before a shift.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::access::{require, Capability};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::db::{now_ms, Db};
use crate::ssr::infra::decode::Row;

#[derive(utoipa::ToSchema, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Briefing {
    pub body: String,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub written_at: DateTime<Utc>,
    pub author: String,
}

/// The latest briefing: for the drivers, the police and the coordinators only (it may name
/// places and vehicles the police want watched).
pub async fn latest_briefing(db: &Db, viewer: &CurrentUser) -> Result<Option<Briefing>, AppError> {
    require(viewer, Capability::Drive)?;
    let row: Option<(String, String, i64, String)> = sqlx::query_as(
        "select b.id, b.body, b.created_at, a.display_name from briefing b join account a on a.id = b.author_id
         order by b.created_at desc limit 1",
    )
    .fetch_optional(&db.pool)
    .await?;
    row.map(|(id, body, at, author)| {
        Ok(Briefing {
            body,
            written_at: Row::of("briefing", &id).time("created_at", at)?,
            author,
        })
    })
    .transpose()
}

pub async fn write_briefing(db: &Db, author: &CurrentUser, body: &str) -> Result<Briefing, AppError> {
    require(author, Capability::FollowUp)?;
    let body = body.trim();
    if body.is_empty() || body.chars().count() > 4000 {
        return Err(AppError::invalid(
            "body",
            "Skriv en lägesinformation (högst 4 000 tecken).",
            "Write a briefing (at most 4,000 characters).",
        ));
    }
    sqlx::query(
        "insert into briefing (id, body, author_id, created_at, updated_at) values ($1, $2, $3, $4, $4)",
    )
    .bind(crate::ssr::infra::sql::RowId::new())
    .bind(body)
    .bind(author.id)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    latest_briefing(db, author).await?.ok_or(AppError::Internal)
}
