//! Categories and the police briefing to the grannstöd drivers.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::db::{now_ms, Db};
use super::observations::from_unix_ms;
use crate::domain::category::Category;
use crate::domain::observation::{Kind, Sensitivity};
use crate::domain::role::Role;
use crate::domain::user::CurrentUser;
use crate::error::AppError;

/// Categories in use (not retired), in their display order.
pub async fn categories(db: &Db) -> Result<Vec<Category>, AppError> {
    let rows: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
        "select id, kind, label_sv, label_en, strategy_area, sensitivity from category
         where retired_at is null order by kind, sort_order, id",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, kind, label_sv, label_en, strategy_area, sensitivity)| {
            Some(Category {
                id,
                kind: Kind::parse(&kind)?,
                label_sv,
                label_en,
                strategy_area,
                sensitivity: Sensitivity::parse(&sensitivity)?,
            })
        })
        .collect())
}

#[derive(utoipa::ToSchema, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Briefing {
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    pub written_at: OffsetDateTime,
    pub author: String,
}

/// The latest briefing, for everyone who drives or plans.
pub async fn latest_briefing(db: &Db) -> Result<Option<Briefing>, AppError> {
    let row: Option<(String, i64, String)> = sqlx::query_as(
        "select b.body, b.created_at, a.display_name from briefing b join account a on a.id = b.author_id
         order by b.created_at desc limit 1",
    )
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.and_then(|(body, at, author)| {
        Some(Briefing {
            body,
            written_at: from_unix_ms(at)?,
            author,
        })
    }))
}

pub async fn write_briefing(db: &Db, author: &CurrentUser, body: &str) -> Result<Briefing, AppError> {
    if !matches!(author.role, Role::Police | Role::Coordinator) {
        return Err(AppError::Forbidden);
    }
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
    .bind(Uuid::now_v7().to_string())
    .bind(body)
    .bind(author.id.0.to_string())
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    latest_briefing(db).await?.ok_or(AppError::Internal)
}
