//! Settings an admin changes while the app runs (`setting` table), over the values the
//! environment gave at start (`config`). Read on every page that draws a map, so a change
//! shows on the next page anyone opens, on every instance.
//!
//! The retention periods are such settings too (`retention`, with the job that applies them).

pub mod retention;

use crate::domain::access::{require, Capability};
use crate::domain::admin::AuditAction;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::settings::MapSettings;
use crate::ssr::infra::audit;
use crate::ssr::infra::config::Config;
use crate::ssr::infra::db::{now_ms, Db};
use crate::ssr::infra::decode::Row;
use crate::ssr::infra::state::AppState;

const TILE_URL: &str = "map.tile_url";
const TILE_ATTRIBUTION: &str = "map.tile_attribution";
const CENTER_LAT: &str = "map.center_lat";
const CENTER_LNG: &str = "map.center_lng";
const ZOOM: &str = "map.zoom";

/// The map settings in force: the environment's, with what an admin changed on top.
pub async fn map(state: &AppState) -> Result<MapSettings, AppError> {
    map_in(&state.db, &state.config).await
}

/// Values were checked when they were written; one that no longer passes the same checks
/// (changed by hand, a bad restore) is a corrupt row like any other: logged with its key
/// and answered as an internal error, never quietly replaced by the environment's value.
async fn map_in(db: &Db, config: &Config) -> Result<MapSettings, AppError> {
    let rows = read_prefix(db, "map.").await?;
    let mut settings = config.map.clone();
    for (key, value) in &rows {
        let row = Row::of("setting", key);
        let number = || row.valid("value", value.parse::<f64>().ok().filter(|n| n.is_finite()));
        match key.as_str() {
            TILE_URL => settings.tile_url = value.clone(),
            TILE_ATTRIBUTION => settings.tile_attribution = value.clone(),
            CENTER_LAT => settings.center_lat = number()?,
            CENTER_LNG => settings.center_lng = number()?,
            ZOOM => settings.zoom = number()?,
            _ => return Err(row.corrupt("key")),
        }
    }
    // An admin's change is stored whole, so what it made must still pass as a whole.
    let checked = if rows.is_empty() {
        Ok(())
    } else {
        settings.validate(&config.bounds)
    };
    if let Err(AppError::Invalid { field, .. }) = checked {
        let key = match field.as_str() {
            "tile_url" => TILE_URL,
            "tile_attribution" => TILE_ATTRIBUTION,
            "center_lat" | "center_lng" => CENTER_LAT,
            _ => ZOOM,
        };
        return Err(Row::of("setting", key).corrupt("value"));
    }
    Ok(settings)
}

/// Stores new map settings (admins only), logged with who and what in one transaction.
pub async fn set_map(
    state: &AppState,
    admin: &CurrentUser,
    new: &MapSettings,
) -> Result<MapSettings, AppError> {
    require(admin, Capability::ConfigureSystem)?;
    new.validate(&state.config.bounds)?;
    let new = MapSettings {
        tile_url: new.tile_url.trim().to_owned(),
        tile_attribution: new.tile_attribution.trim().to_owned(),
        ..new.clone()
    };
    let values = [
        (TILE_URL, new.tile_url.clone()),
        (TILE_ATTRIBUTION, new.tile_attribution.clone()),
        (CENTER_LAT, new.center_lat.to_string()),
        (CENTER_LNG, new.center_lng.to_string()),
        (ZOOM, new.zoom.to_string()),
    ];
    store(&state.db, admin, &values, AuditAction::MapSettings, "map").await?;
    Ok(new)
}

/// The stored settings whose keys start with `prefix` (`"map."`, `"retention."`).
pub async fn read_prefix(db: &Db, prefix: &str) -> Result<Vec<(String, String)>, AppError> {
    Ok(sqlx::query_as("select key, value from setting where key like $1")
        .bind(format!("{prefix}%"))
        .fetch_all(&db.pool)
        .await?)
}

/// Stores settings (`key`, `value`) for `admin`, with one audit entry listing them, in one
/// transaction: a change is never kept unlogged.
pub async fn store(
    db: &Db,
    admin: &CurrentUser,
    values: &[(&str, String)],
    action: AuditAction,
    subject: &str,
) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await?;
    let now = now_ms();
    for (key, value) in values {
        sqlx::query(
            "insert into setting (key, value, changed_by, changed_at) values ($1, $2, $3, $4)
             on conflict (key) do update set value = excluded.value, changed_by = excluded.changed_by,
                 changed_at = excluded.changed_at",
        )
        .bind(*key)
        .bind(value)
        .bind(admin.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let detail = values
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("; ");
    audit::record(&mut *tx, admin, action, subject, &detail).await?;
    tx.commit().await?;
    Ok(())
}
