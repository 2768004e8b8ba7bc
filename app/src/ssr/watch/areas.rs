//! Watch areas: a named area with the categories that count and the contact persons who
//! pass notices on (personal data, for those who keep them).

use crate::domain::access::{require, Capability};
use crate::domain::area::{AreaKind, Shape};
use crate::domain::clock::today;
use crate::domain::ids::AreaId;
use crate::domain::user::CurrentUser;
use crate::domain::watch::{ContactPerson, WatchArea, WatchSettings};
use crate::error::AppError;
use crate::ssr::areas;
use crate::ssr::infra::db::{now_ms, Db};
use crate::ssr::infra::decode::Row;
use crate::ssr::reports::categories;

#[derive(sqlx::FromRow)]
struct WatchRow {
    area_id: String,
    name: String,
    geometry: String,
    categories: String,
    window_days: i64,
}

impl WatchRow {
    fn read(self) -> Result<(WatchArea, Shape), AppError> {
        let area = Row::of("area", &self.area_id);
        let geometry: serde_json::Value = area.json("geometry", &self.geometry)?;
        let shape = area.valid("geometry", Shape::from_geojson(&geometry).ok())?;
        let row = Row::of("watch_area", &self.area_id);
        let watch = WatchArea {
            area_id: row.uuid("area_id", &self.area_id)?,
            categories: row.json("categories", &self.categories)?,
            window_days: row.number("window_days", self.window_days)?,
            name: self.name,
            contacts: Vec::new(),
        };
        Ok((watch, shape))
    }
}

/// Every watch area of a kept area, with its outline; contacts are not read here.
pub(super) async fn watched(db: &Db, area_id: Option<AreaId>) -> Result<Vec<(WatchArea, Shape)>, AppError> {
    let rows: Vec<WatchRow> = sqlx::query_as(
        "select w.area_id, a.name, a.geometry, w.categories, w.window_days
         from watch_area w join area a on a.id = w.area_id
         where a.removed_at is null and ($1 is null or w.area_id = $1)
         order by a.name",
    )
    .bind(area_id)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(WatchRow::read).collect()
}

pub(super) async fn contacts(db: &Db, area_id: AreaId) -> Result<Vec<ContactPerson>, AppError> {
    Ok(contacts_of(db, Some(area_id))
        .await?
        .into_iter()
        .map(|(_, contact)| contact)
        .collect())
}

/// The contact persons of one watch area, or of every one (`None`), each with its area's
/// id, in each area's own order.
async fn contacts_of(db: &Db, area_id: Option<AreaId>) -> Result<Vec<(String, ContactPerson)>, AppError> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "select area_id, name, phone, email, consent_on from watch_contact
         where ($1 is null or area_id = $1) order by area_id, position",
    )
    .bind(area_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(area, name, phone, email, consent_on)| {
            let contact = ContactPerson {
                name,
                phone,
                email,
                consent_on,
            };
            (area, contact)
        })
        .collect())
}

/// The watch areas with their contact persons, for coordinators.
pub async fn list_areas(db: &Db, viewer: &CurrentUser) -> Result<Vec<WatchArea>, AppError> {
    require(viewer, Capability::KeepContactPersons)?;
    // Every area's contacts in one read, not one read per area.
    let contacts = contacts_of(db, None).await?;
    let mut areas = Vec::new();
    for (mut watch, _) in watched(db, None).await? {
        let id = watch.area_id.to_string();
        watch.contacts = contacts
            .iter()
            .filter(|(area, _)| *area == id)
            .map(|(_, contact)| contact.clone())
            .collect();
        areas.push(watch);
    }
    Ok(areas)
}

/// Makes a named area a watch area, or replaces its settings and contact list, in one
/// transaction.
pub async fn set_area(
    db: &Db,
    viewer: &CurrentUser,
    area_id: AreaId,
    settings: &WatchSettings,
) -> Result<WatchArea, AppError> {
    require(viewer, Capability::KeepContactPersons)?;
    let area = areas::get(db, area_id).await?;
    if area.kind != AreaKind::Named {
        return Err(AppError::invalid(
            "area_id",
            "Kommungränsen kan inte vara ett grannsamverkansområde; välj ett namngivet område.",
            "The municipality boundary cannot be a watch area; choose a named area.",
        ));
    }
    let checked = settings.validate(&categories::categories(db).await?, today())?;
    let window_days = checked.window_days.unwrap_or_default();
    let categories = serde_json::to_string(&checked.categories).map_err(|_| AppError::Internal)?;
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "insert into watch_area (area_id, categories, window_days, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $5)
         on conflict (area_id) do update set categories = $2, window_days = $3, updated_at = $5",
    )
    .bind(area_id)
    .bind(&categories)
    .bind(i64::from(window_days))
    .bind(viewer.id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("delete from watch_contact where area_id = $1")
        .bind(area_id)
        .execute(&mut *tx)
        .await?;
    for (position, contact) in checked.contacts.iter().enumerate() {
        sqlx::query(
            "insert into watch_contact (id, area_id, position, name, phone, email, consent_on)
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(crate::ssr::infra::sql::RowId::new())
        .bind(area_id)
        .bind(position as i64)
        .bind(&contact.name)
        .bind(&contact.phone)
        .bind(&contact.email)
        .bind(&contact.consent_on)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    tracing::info!(area = %area_id, by = %viewer.id.0, contacts = checked.contacts.len(), "watch area set");
    Ok(WatchArea {
        area_id,
        name: area.name,
        categories: checked.categories,
        window_days,
        contacts: checked.contacts,
    })
}

/// Ends an area's neighbourhood watch and deletes its contact persons. Its alerts stay,
/// as the record of what was sent.
pub async fn remove_area(db: &Db, viewer: &CurrentUser, area_id: AreaId) -> Result<(), AppError> {
    require(viewer, Capability::KeepContactPersons)?;
    let mut tx = db.pool.begin().await?;
    sqlx::query("delete from watch_contact where area_id = $1")
        .bind(area_id)
        .execute(&mut *tx)
        .await?;
    let removed = sqlx::query("delete from watch_area where area_id = $1")
        .bind(area_id)
        .execute(&mut *tx)
        .await?;
    if removed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    tracing::info!(area = %area_id, by = %viewer.id.0, "watch area removed");
    Ok(())
}
