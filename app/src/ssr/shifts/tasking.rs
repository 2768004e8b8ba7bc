//! Patrol tasking: the police's focus places for the grannstöd drivers, and what the
//! shift page shows with them — the current burglary hotspots and the named areas the
//! patrol tracks covered least in the last 30 days.

use std::collections::HashMap;

use chrono::{TimeDelta, Utc};
use h3o::{CellIndex, Resolution};

use crate::domain::access::{in_driver_register, may_given, require, Capability};
use crate::domain::admin::Driver;
use crate::domain::area::Gazetteer;
use crate::domain::clock::today;
use crate::domain::geo::{Bounds, LatLng};
use crate::domain::ids::FocusPlaceId;
use crate::domain::situation::PUBLIC_MIN_COUNT;
use crate::domain::tasking::{BurglaryHotspot, Coverage, FocusPlace, NewFocusPlace, Tasking, TASKING_DAYS};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::accounts::admin;
use crate::ssr::areas;
use crate::ssr::infra::db::{is_unique_violation, now_ms, Db};
use crate::ssr::infra::decode::Row;
use crate::ssr::reports::observations::{unix_ms, visibility, VISIBLE};
use crate::ssr::situation;

/// The strategy area of the plan whose reports make the drivers' hotspots (6.2: "inbrott
/// och stölder i bostadsområden").
const BURGLARY_STRATEGY_AREA: &str = "6.2";
/// Hotspots listed on the shift page.
const MAX_HOTSPOTS: usize = 10;

#[derive(sqlx::FromRow)]
struct FocusPlaceRow {
    id: String,
    title: String,
    note: String,
    lat: f64,
    lng: f64,
    radius_m: f64,
    until_on: Option<String>,
    marked_by: String,
}

const SELECT: &str = "select f.id, f.title, f.note, f.lat, f.lng, f.radius_m, f.until_on,
        coalesce(nullif(a.display_name, ''), a.email) as marked_by
     from focus_place f join account a on a.id = f.created_by";

impl FocusPlaceRow {
    fn read(self, places: &Gazetteer) -> Result<FocusPlace, AppError> {
        let id = Row::of("focus_place", &self.id).id()?;
        Ok(FocusPlace {
            id,
            exact: true,
            place: places
                .name_of(LatLng {
                    lat: self.lat,
                    lng: self.lng,
                })
                .map(str::to_owned),
            title: self.title,
            note: self.note,
            lat: self.lat,
            lng: self.lng,
            radius_m: self.radius_m,
            until_on: self.until_on,
            marked_by: self.marked_by,
        })
    }
}

/// Stores a focus place; the same id sent again returns the stored one (`false`).
pub async fn create(
    db: &Db,
    viewer: &CurrentUser,
    new: &NewFocusPlace,
    bounds: &Bounds,
) -> Result<(FocusPlace, bool), AppError> {
    require(viewer, Capability::FollowUp)?;
    let id = new.id.unwrap_or_else(crate::domain::ids::FocusPlaceId::new);
    if let Some(stored) = find(db, id).await? {
        return Ok((stored, false));
    }
    let checked = new.validate(bounds, today())?;
    let inserted = sqlx::query(
        "insert into focus_place (id, title, note, lat, lng, radius_m, until_on, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(id)
    .bind(&checked.title)
    .bind(&checked.note)
    .bind(checked.at.lat)
    .bind(checked.at.lng)
    .bind(checked.radius_m)
    .bind(crate::ssr::infra::sql::day(checked.until_on))
    .bind(viewer.id)
    .bind(now_ms())
    .execute(&db.pool)
    .await;
    match inserted {
        Ok(_) => {
            tracing::info!(focus_place = %id, by = %viewer.id.0, "focus place marked");
            Ok((find(db, id).await?.ok_or(AppError::Internal)?, true))
        }
        // The same id again: the place as stored, or, if it was taken off the list since,
        // a conflict the police can read instead of a server error.
        Err(err) if is_unique_violation(&err) => match find(db, id).await? {
            Some(stored) => Ok((stored, false)),
            None => Err(AppError::conflict(
                "Den här fokusplatsen har redan tagits bort. Markera en ny.",
                "This focus place has already been removed. Mark a new one.",
            )),
        },
        Err(err) => Err(err.into()),
    }
}

async fn find(db: &Db, id: FocusPlaceId) -> Result<Option<FocusPlace>, AppError> {
    let row: Option<FocusPlaceRow> =
        sqlx::query_as(&format!("{SELECT} where f.id = $1 and f.removed_at is null"))
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    let places = areas::gazetteer(db).await?;
    row.map(|row| row.read(&places)).transpose()
}

/// The focus places in force today, newest first; generalised for a driver who has not
/// signed the confidentiality agreement.
pub async fn list(db: &Db, viewer: &CurrentUser) -> Result<Vec<FocusPlace>, AppError> {
    require(viewer, Capability::Drive)?;
    // The register is read only for those whose view depends on it.
    let driver = if in_driver_register(viewer.role) {
        admin::driver_of(db, &viewer.id).await?
    } else {
        None
    };
    let exact = may_given(viewer, Capability::ReadExactFocusPlaces, |condition| {
        Driver::holds(driver.as_ref(), condition)
    });
    let rows: Vec<FocusPlaceRow> = sqlx::query_as(&format!(
        "{SELECT} where f.removed_at is null and (f.until_on is null or f.until_on >= $1)
         order by f.created_at desc, f.id"
    ))
    .bind(crate::ssr::infra::sql::Day(today()))
    .fetch_all(&db.pool)
    .await?;
    let places = areas::gazetteer(db).await?;
    rows.into_iter()
        .map(|row| {
            let place = row.read(&places)?;
            Ok(if exact { place } else { generalised(place, &places) })
        })
        .collect()
}

/// Resolution of the hexagon a generalised focus place is shown as: about 5 km², edge
/// about 1.4 km.
const GENERAL_RESOLUTION: Resolution = Resolution::Seven;

/// The focus place without what the confidentiality agreement protects: no title or note,
/// and the surrounding hexagon's centre and circumradius instead of the point and radius.
/// It is named after the hexagon, not the point: the smallest named area at least as
/// large as the hexagon that holds its centre (a driver plans the evening by it), never a
/// smaller one, whose name would pin the place down again.
fn generalised(place: FocusPlace, places: &Gazetteer) -> FocusPlace {
    let (lat, lng, radius_m, size_m2) = match h3o::LatLng::new(place.lat, place.lng) {
        Ok(point) => {
            let cell = point.to_cell(GENERAL_RESOLUTION);
            let centre = h3o::LatLng::from(cell);
            let radius = cell
                .boundary()
                .iter()
                .map(|corner| centre.distance_m(*corner))
                .fold(0.0, f64::max);
            (centre.lat(), centre.lng(), radius.round(), cell.area_m2())
        }
        Err(_) => (0.0, 0.0, 0.0, f64::INFINITY),
    };
    FocusPlace {
        exact: false,
        title: String::new(),
        note: String::new(),
        // Who marked it would tell a driver more than the hexagon does.
        marked_by: String::new(),
        lat,
        lng,
        radius_m,
        place: places
            .name_at_least(LatLng { lat, lng }, size_m2)
            .map(str::to_owned),
        ..place
    }
}

/// Takes a focus place off the drivers' list.
pub async fn remove(db: &Db, viewer: &CurrentUser, id: FocusPlaceId) -> Result<(), AppError> {
    require(viewer, Capability::FollowUp)?;
    let removed = sqlx::query(
        "update focus_place set removed_at = $1, updated_at = $1 where id = $2 and removed_at is null",
    )
    .bind(now_ms())
    .bind(id)
    .execute(&db.pool)
    .await?;
    if removed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tracing::info!(focus_place = %id, by = %viewer.id.0, "focus place removed");
    Ok(())
}

/// Everything the shift page shows about where to drive.
pub async fn tasking(db: &Db, viewer: &CurrentUser) -> Result<Tasking, AppError> {
    require(viewer, Capability::Drive)?;
    Ok(Tasking {
        focus_places: list(db, viewer).await?,
        hotspots: burglary_hotspots(db, viewer).await?,
        coverage: coverage(db).await?,
    })
}

/// Hexagons (H3 resolution 9, as on the lägesbild) with at least
/// [`PUBLIC_MIN_COUNT`] burglary-related reports (strategy area 6.2) in the last 30 days,
/// counted from the reports the viewer may already see on the shift page — so the list
/// tells a driver nothing the map does not (`docs/hotspots.md`, "Who sees what").
async fn burglary_hotspots(db: &Db, viewer: &CurrentUser) -> Result<Vec<BurglaryHotspot>, AppError> {
    let since = Utc::now() - TimeDelta::days(TASKING_DAYS);
    let (everything, viewer_id, internal) = visibility(viewer);
    let reports: Vec<(f64, f64)> = sqlx::query_as(&format!(
        "select o.lat, o.lng from observation o
         where {VISIBLE} and o.strategy_area = $4 and o.observed_at >= $5"
    ))
    .bind(everything)
    .bind(viewer_id)
    .bind(internal)
    .bind(BURGLARY_STRATEGY_AREA)
    .bind(unix_ms(since))
    .fetch_all(&db.pool)
    .await?;
    let mut counts: HashMap<CellIndex, u32> = HashMap::new();
    for (lat, lng) in reports {
        if let Ok(point) = h3o::LatLng::new(lat, lng) {
            *counts.entry(point.to_cell(Resolution::Nine)).or_default() += 1;
        }
    }
    let places = areas::gazetteer(db).await?;
    let mut hot: Vec<BurglaryHotspot> = counts
        .into_iter()
        .filter(|&(_, count)| count >= PUBLIC_MIN_COUNT)
        .map(|(cell, count)| BurglaryHotspot {
            h3: cell.to_string(),
            boundary: situation::analysis::boundary(cell),
            count,
            place: situation::place_of_cell(&places, cell),
        })
        .collect();
    hot.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.h3.cmp(&b.h3)));
    hot.truncate(MAX_HOTSPOTS);
    Ok(hot)
}

/// Patrol track points per named area in the last 30 days, least covered first (per
/// square kilometre, so a small and a large area compare fairly). Counts only: no track
/// and no driver is shown.
async fn coverage(db: &Db) -> Result<Vec<Coverage>, AppError> {
    let since = Utc::now() - TimeDelta::days(TASKING_DAYS);
    let points: Vec<(f64, f64)> = sqlx::query_as("select lat, lng from track_point where recorded_at >= $1")
        .bind(unix_ms(since))
        .fetch_all(&db.pool)
        .await?;
    let named = areas::named(db).await?;
    let mut coverage: Vec<Coverage> = named
        .into_iter()
        .map(|(name, shape)| {
            let box_ = shape.bounds();
            let inside = points
                .iter()
                .map(|&(lat, lng)| LatLng { lat, lng })
                .filter(|&point| box_.contains(point) && shape.contains(point))
                .count();
            let km2 = (shape.size_m2() / 1e6).max(0.01);
            let track_points = u32::try_from(inside).unwrap_or(u32::MAX);
            Coverage {
                area: name,
                track_points,
                per_km2: f64::from(track_points) / km2,
            }
        })
        .collect();
    coverage.sort_by(|a, b| a.per_km2.total_cmp(&b.per_km2).then_with(|| a.area.cmp(&b.area)));
    Ok(coverage)
}
