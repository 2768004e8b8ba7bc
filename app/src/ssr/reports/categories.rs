//! The categories reports are filed under: the plan's strategy area each feeds, whether
//! its reports are restricted, and the order they are offered in.

use serde::Deserialize;

use crate::domain::access::{require, Capability};
use crate::domain::admin::AuditAction;
use crate::domain::category::Category;
use crate::domain::observation::{Kind, Sensitivity, STRATEGY_AREAS};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::audit;
use crate::ssr::infra::db::{now_ms, Db};
use crate::ssr::infra::decode::Row;

/// Categories in use (not retired), in their display order.
pub async fn categories(db: &Db) -> Result<Vec<Category>, AppError> {
    read_categories(db, "where retired_at is null").await
}

/// Every category, retired ones too, in display order: the administration's list.
pub async fn all_categories(db: &Db) -> Result<Vec<Category>, AppError> {
    read_categories(db, "").await
}

type CategoryRow = (String, String, String, String, String, String, Option<i64>);

async fn read_categories(db: &Db, filter: &str) -> Result<Vec<Category>, AppError> {
    let rows: Vec<CategoryRow> = sqlx::query_as(&format!(
        "select id, kind, label_sv, label_en, strategy_area, sensitivity, retired_at from category
         {filter} order by kind, sort_order, id"
    ))
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(category_of).collect()
}

fn category_of(row: CategoryRow) -> Result<Category, AppError> {
    let (id, kind, label_sv, label_en, strategy_area, sensitivity, retired_at) = row;
    let row = Row::of("category", &id);
    let (kind, sensitivity) = (row.code("kind", &kind)?, row.code("sensitivity", &sensitivity)?);
    Ok(Category {
        id,
        kind,
        label_sv,
        label_en,
        strategy_area,
        sensitivity,
        retired: retired_at.is_some(),
    })
}

/// A coordinator's change to the category list: a new category, a new name, or
/// retiring one (retired categories stay on old records but are not offered any more).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct CategoryChange {
    pub label_sv: Option<String>,
    pub label_en: Option<String>,
    /// The plan's strategy area it feeds, e.g. "4.2".
    pub strategy_area: Option<String>,
    pub retired: Option<bool>,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct NewCategory {
    /// A stable id such as `walk.benches`: lowercase letters, digits, `.` and `_`.
    pub id: String,
    pub kind: Kind,
    pub label_sv: String,
    pub label_en: String,
    pub strategy_area: String,
}

fn check_label(field: &str, label: &str) -> Result<(), AppError> {
    if label.trim().is_empty() || label.chars().count() > 100 {
        return Err(AppError::invalid(
            field,
            "Namnet ska ha 1–100 tecken.",
            "The name must have 1–100 characters.",
        ));
    }
    Ok(())
}

pub async fn add_category(db: &Db, user: &CurrentUser, new: &NewCategory) -> Result<Category, AppError> {
    require(user, Capability::CurateCategories)?;
    let id_ok = !new.id.is_empty()
        && new.id.len() <= 60
        && new
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_');
    if !id_ok {
        return Err(AppError::invalid(
            "id",
            "Id får bara ha små bokstäver a–z, siffror, punkt och understreck.",
            "The id may only contain lowercase a–z, digits, dot and underscore.",
        ));
    }
    check_label("label_sv", &new.label_sv)?;
    check_label("label_en", &new.label_en)?;
    check_strategy_area(&new.strategy_area)?;
    // Drug scenes stay restricted whatever their category; the rest is internal.
    let sensitivity = match new.kind {
        Kind::DrugScene => Sensitivity::Restricted,
        _ => Sensitivity::Internal,
    };
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let inserted = sqlx::query(
        "insert into category (id, kind, label_sv, label_en, strategy_area, sensitivity, sort_order, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, (select coalesce(max(sort_order), 0) + 10 from category), $7, $7)",
    )
    .bind(&new.id)
    .bind(new.kind)
    .bind(new.label_sv.trim())
    .bind(new.label_en.trim())
    .bind(new.strategy_area.trim())
    .bind(sensitivity)
    .bind(now)
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {
            let detail = format!("{} / {}", new.label_sv.trim(), new.label_en.trim());
            audit::record(&mut *tx, user, AuditAction::CategoryAdd, &new.id, &detail).await?;
            tx.commit().await?;
            find_category(db, &new.id).await
        }
        Err(err) if crate::ssr::infra::db::is_unique_violation(&err) => Err(AppError::invalid(
            "id",
            "Det finns redan en kategori med det id:t.",
            "A category with that id already exists.",
        )),
        Err(err) => Err(err.into()),
    }
}

pub async fn change_category(
    db: &Db,
    user: &CurrentUser,
    id: &str,
    change: &CategoryChange,
) -> Result<Category, AppError> {
    require(user, Capability::CurateCategories)?;
    if let Some(label) = &change.label_sv {
        check_label("label_sv", label)?;
    }
    if let Some(label) = &change.label_en {
        check_label("label_en", label)?;
    }
    if let Some(area) = &change.strategy_area {
        check_strategy_area(area)?;
    }
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let retired_at = change
        .retired
        .map(|retired| if retired { Some(now) } else { None });
    let done = sqlx::query(
        "update category set
             label_sv = coalesce($2, label_sv),
             label_en = coalesce($3, label_en),
             strategy_area = coalesce($4, strategy_area),
             retired_at = case when $5 = 1 then $6 else retired_at end,
             updated_at = $7
         where id = $1",
    )
    .bind(id)
    .bind(change.label_sv.as_deref().map(str::trim))
    .bind(change.label_en.as_deref().map(str::trim))
    .bind(change.strategy_area.as_deref().map(str::trim))
    .bind(i64::from(retired_at.is_some()))
    .bind(retired_at.flatten())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    let mut detail = Vec::new();
    for (name, value) in [
        ("namn", &change.label_sv),
        ("name", &change.label_en),
        ("strategiområde", &change.strategy_area),
    ] {
        if let Some(value) = value {
            detail.push(format!("{name}: {}", value.trim()));
        }
    }
    if let Some(retired) = change.retired {
        detail.push(if retired { "avvecklad" } else { "i bruk igen" }.to_owned());
    }
    audit::record(
        &mut *tx,
        user,
        AuditAction::CategoryChange,
        id,
        &detail.join("; "),
    )
    .await?;
    tx.commit().await?;
    find_category(db, id).await
}

/// Puts the categories in the order given: every category's id, once each.
pub async fn order_categories(
    db: &Db,
    user: &CurrentUser,
    ids: &[String],
) -> Result<Vec<Category>, AppError> {
    require(user, Capability::CurateCategories)?;
    let known = all_categories(db).await?;
    let mut wanted: Vec<&str> = ids.iter().map(String::as_str).collect();
    wanted.sort_unstable();
    let mut all: Vec<&str> = known.iter().map(|category| category.id.as_str()).collect();
    all.sort_unstable();
    if wanted != all {
        return Err(AppError::invalid(
            "ids",
            "Ordningen ska innehålla varje kategori precis en gång.",
            "The order must contain every category exactly once.",
        ));
    }
    let mut tx = db.pool.begin().await?;
    let now = now_ms();
    for (position, id) in ids.iter().enumerate() {
        sqlx::query("update category set sort_order = $2, updated_at = $3 where id = $1")
            .bind(id)
            .bind((position as i64 + 1) * 10)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    audit::record(
        &mut *tx,
        user,
        AuditAction::CategoryChange,
        "ordning",
        &ids.join(", "),
    )
    .await?;
    tx.commit().await?;
    all_categories(db).await
}

fn check_strategy_area(code: &str) -> Result<(), AppError> {
    if STRATEGY_AREAS.contains(&code.trim()) {
        return Ok(());
    }
    Err(AppError::invalid(
        "strategy_area",
        &format!(
            "Välj ett strategiområde ur planen: {}.",
            STRATEGY_AREAS.join(", ")
        ),
        &format!(
            "Choose a strategy area of the plan: {}.",
            STRATEGY_AREAS.join(", ")
        ),
    ))
}

async fn find_category(db: &Db, id: &str) -> Result<Category, AppError> {
    let row: Option<CategoryRow> = sqlx::query_as(
        "select id, kind, label_sv, label_en, strategy_area, sensitivity, retired_at from category where id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    category_of(row.ok_or(AppError::NotFound)?)
}
