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

async fn map_in(db: &Db, config: &Config) -> Result<MapSettings, AppError> {
    let rows = read_prefix(db, "map.").await?;
    let mut settings = config.map.clone();
    for (key, value) in rows {
        // Values were checked when written; one that no longer reads keeps the default.
        let number = || value.parse::<f64>().ok().filter(|n| n.is_finite());
        match key.as_str() {
            TILE_URL => settings.tile_url = value,
            TILE_ATTRIBUTION => settings.tile_attribution = value,
            CENTER_LAT => settings.center_lat = number().unwrap_or(settings.center_lat),
            CENTER_LNG => settings.center_lng = number().unwrap_or(settings.center_lng),
            ZOOM => settings.zoom = number().unwrap_or(settings.zoom),
            _ => {}
        }
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
