//! Named areas and the municipality boundary: storage, the checks that need `geo`, and
//! the gazetteer that labels findings and hotspot cells with the area they lie in.

use geo::Validation;

use crate::domain::access::{require, Capability};
use crate::domain::area::{Area, AreaKind, Gazetteer, NewArea, Shape};
use crate::domain::geo::{Bounds, LatLng};
use crate::domain::ids::AreaId;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::db::{is_unique_violation, now_ms, Db};
use crate::ssr::infra::decode::Row;

/// How far outside the municipality boundary a named area's corner may lie: official
/// district maps share their edges with the boundary, and a shared edge must not be
/// refused for a rounding difference.
const BOUNDARY_TOLERANCE_M: f64 = 50.0;

/// Checks what the domain cannot without a geometry library: no ring crosses itself or
/// another, holes lie inside their polygon; and a named area lies inside the boundary.
pub(crate) fn check_shape(
    shape: &Shape,
    kind: AreaKind,
    municipality: Option<&Shape>,
) -> Result<(), AppError> {
    if let Err(err) = to_geo(shape).check_validation() {
        use geo::algorithm::validation::InvalidPolygon;
        let crossing = matches!(
            &err,
            geo::algorithm::validation::InvalidMultiPolygon::InvalidPolygon(
                _,
                InvalidPolygon::SelfIntersection(_)
            )
        );
        return Err(if crossing {
            AppError::invalid(
                "geometry",
                "Området korsar sig självt. Rita om det så att kanten inte korsar sig.",
                "The area crosses itself. Draw it again so that its edge does not cross.",
            )
        } else {
            AppError::invalid(
                "geometry",
                &format!("Området är inte en giltig polygon ({err})."),
                &format!("The area is not a valid polygon ({err})."),
            )
        });
    }
    if let (AreaKind::Named, Some(municipality)) = (kind, municipality) {
        let inside = |point: LatLng| {
            municipality.contains(point) || municipality.distance_to_edge_m(point) <= BOUNDARY_TOLERANCE_M
        };
        if !shape.all_points(inside) {
            return Err(AppError::invalid(
                "geometry",
                "Området ligger helt eller delvis utanför kommungränsen.",
                "The area lies wholly or partly outside the municipality boundary.",
            ));
        }
    }
    Ok(())
}

/// [`check_shape`] on a blocking thread: a detailed outline's self-intersection check is
/// quadratic in its points (geo compares every pair of edges), far too long to hold a
/// request worker.
pub(crate) async fn check_shape_apart(
    shape: Shape,
    kind: AreaKind,
    municipality: Option<Shape>,
) -> Result<Shape, AppError> {
    tokio::task::spawn_blocking(move || check_shape(&shape, kind, municipality.as_ref()).map(|()| shape))
        .await
        .map_err(|err| {
            tracing::error!(%err, "checking an outline failed");
            AppError::Internal
        })?
}

/// The shape as `geo` has it (longitude as x).
pub fn to_geo(shape: &Shape) -> geo::MultiPolygon<f64> {
    let ring =
        |ring: &Vec<LatLng>| geo::LineString::from(ring.iter().map(|p| (p.lng, p.lat)).collect::<Vec<_>>());
    geo::MultiPolygon::new(
        shape
            .polygons
            .iter()
            .map(|rings| {
                let mut rings = rings.iter().map(ring);
                let outer = rings.next().unwrap_or_else(|| geo::LineString::new(Vec::new()));
                geo::Polygon::new(outer, rings.collect())
            })
            .collect(),
    )
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    id: String,
    name: String,
    kind: String,
    geometry: String,
}

impl AreaRow {
    fn read(self) -> Result<(Area, Shape), AppError> {
        let row = Row::of("area", &self.id);
        let geometry: serde_json::Value = row.json("geometry", &self.geometry)?;
        let shape = row.valid("geometry", Shape::from_geojson(&geometry).ok())?;
        let area = Area {
            id: row.id()?,
            name: self.name,
            kind: row.code("kind", &self.kind)?,
            geometry,
        };
        Ok((area, shape))
    }
}

const COLUMNS: &str = "select id, name, kind, geometry from area where removed_at is null";

/// Every kept area with its shape, the municipality first, then by name.
async fn all(db: &Db) -> Result<Vec<(Area, Shape)>, AppError> {
    let rows: Vec<AreaRow> = sqlx::query_as(&format!(
        "{COLUMNS} order by case when kind = 'municipality' then 0 else 1 end, name"
    ))
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(AreaRow::read).collect()
}

/// The kept areas. Anyone signed in may read them: they are names of places.
pub async fn list(db: &Db) -> Result<Vec<Area>, AppError> {
    Ok(all(db).await?.into_iter().map(|(area, _)| area).collect())
}

pub async fn get(db: &Db, id: AreaId) -> Result<Area, AppError> {
    let row: Option<AreaRow> = sqlx::query_as(&format!("{COLUMNS} and id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.ok_or(AppError::NotFound)?.read()?.0)
}

/// The named areas (not the boundary) with their shapes, by name.
pub async fn named(db: &Db) -> Result<Vec<(String, Shape)>, AppError> {
    Ok(all(db)
        .await?
        .into_iter()
        .filter_map(|(area, shape)| (area.kind == AreaKind::Named).then_some((area.name, shape)))
        .collect())
}

/// The named areas, ready to label points.
pub async fn gazetteer(db: &Db) -> Result<Gazetteer, AppError> {
    Ok(Gazetteer::new(named(db).await?))
}

/// How long a copy of the named areas labels new reports before it is read again.
const PLACES_FRESH: std::time::Duration = std::time::Duration::from_secs(30);

/// The named areas as last read, and when.
type Kept = Option<(std::time::Instant, std::sync::Arc<Gazetteer>)>;

/// The named areas as last read, and when; one per instance, in the application state
/// (`ssr::infra::state`), forgotten when an area is drawn, changed or removed here.
#[derive(Clone, Debug, Default)]
pub struct PlacesCache(std::sync::Arc<std::sync::RwLock<Kept>>);

impl PlacesCache {
    fn fresh(&self) -> Option<std::sync::Arc<Gazetteer>> {
        let kept = self.0.read().ok()?;
        kept.as_ref()
            .filter(|(read_at, _)| read_at.elapsed() < PLACES_FRESH)
            .map(|(_, places)| places.clone())
    }

    fn keep(&self, places: std::sync::Arc<Gazetteer>) {
        if let Ok(mut kept) = self.0.write() {
            *kept = Some((std::time::Instant::now(), places));
        }
    }

    /// Forgets the copy: an area was drawn, changed or removed on this instance.
    pub fn forget(&self) {
        if let Ok(mut kept) = self.0.write() {
            *kept = None;
        }
    }
}

/// The named areas for labelling a report as it arrives: read at most every 30 seconds
/// (at once after a change on this instance; on another instance up to 30 seconds later),
/// so a phone sending a shift's reports does not read and parse every outline each time.
/// Lists and pages read them fresh ([`gazetteer`]).
pub async fn gazetteer_cached(db: &Db, cache: &PlacesCache) -> Result<std::sync::Arc<Gazetteer>, AppError> {
    if let Some(places) = cache.fresh() {
        return Ok(places);
    }
    let places = std::sync::Arc::new(gazetteer(db).await?);
    cache.keep(places.clone());
    Ok(places)
}

/// The municipality boundary with its id and last change, when one is set.
pub async fn municipality(db: &Db) -> Result<Option<(String, Shape)>, AppError> {
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "select id, geometry, updated_at from area where kind = 'municipality' and removed_at is null",
    )
    .fetch_optional(&db.pool)
    .await?;
    let Some((id, geometry, updated_at)) = row else {
        return Ok(None);
    };
    let row = Row::of("area", &id);
    let geometry: serde_json::Value = row.json("geometry", &geometry)?;
    let shape = row.valid("geometry", Shape::from_geojson(&geometry).ok())?;
    Ok(Some((format!("{id}@{updated_at}"), shape)))
}

fn name_taken() -> AppError {
    AppError::invalid(
        "name",
        "Det finns redan ett område med det namnet.",
        "There is already an area with that name.",
    )
}

/// Stores a new area. A new municipality boundary replaces the one before it.
pub async fn create(
    db: &Db,
    places: &PlacesCache,
    editor: &CurrentUser,
    new: &NewArea,
    bounds: &Bounds,
) -> Result<Area, AppError> {
    require(editor, Capability::EditPlaces)?;
    let (name, shape) = new.validate(bounds)?;
    let boundary = municipality(db).await?.map(|(_, shape)| shape);
    let shape = check_shape_apart(shape, new.kind, boundary).await?;
    let id = AreaId::new();
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    if new.kind == AreaKind::Municipality {
        sqlx::query("update area set removed_at = $1, updated_at = $1 where kind = 'municipality' and removed_at is null")
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    let area = Area {
        id,
        name,
        kind: new.kind,
        geometry: shape.to_geojson(),
    };
    let inserted = sqlx::query(
        "insert into area (id, name, kind, geometry, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(id)
    .bind(&area.name)
    .bind(new.kind)
    .bind(area.geometry.to_string())
    .bind(editor.id)
    .bind(now)
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        // The same name, or two boundaries set at the same moment.
        Err(err) if is_unique_violation(&err) => return Err(name_or_race(new.kind)),
        Err(err) => return Err(err.into()),
    }
    tx.commit().await?;
    places.forget();
    tracing::info!(area = %id, kind = new.kind.as_str(), by = %editor.id.0, "area created");
    // As stored; reading it back could already find it replaced by a newer boundary.
    Ok(area)
}

fn name_or_race(kind: AreaKind) -> AppError {
    match kind {
        AreaKind::Named => name_taken(),
        AreaKind::Municipality => AppError::conflict(
            "Kommungränsen ändrades samtidigt av någon annan. Försök igen.",
            "Someone else changed the municipality boundary at the same time. Try again.",
        ),
    }
}

/// Renames or redraws an area; its kind stays.
pub async fn update(
    db: &Db,
    places: &PlacesCache,
    editor: &CurrentUser,
    id: AreaId,
    new: &NewArea,
    bounds: &Bounds,
) -> Result<Area, AppError> {
    require(editor, Capability::EditPlaces)?;
    let existing = get(db, id).await?;
    if existing.kind != new.kind {
        return Err(AppError::invalid(
            "kind",
            "Ett områdes typ kan inte ändras. Lägg till ett nytt område i stället.",
            "An area's kind cannot change. Add a new area instead.",
        ));
    }
    let (name, shape) = new.validate(bounds)?;
    let boundary = match new.kind {
        AreaKind::Named => municipality(db).await?.map(|(_, shape)| shape),
        AreaKind::Municipality => None,
    };
    let shape = check_shape_apart(shape, new.kind, boundary).await?;
    let updated = sqlx::query(
        "update area set name = $2, geometry = $3, updated_at = $4 where id = $1 and removed_at is null",
    )
    .bind(id)
    .bind(&name)
    .bind(shape.to_geojson().to_string())
    .bind(now_ms())
    .execute(&db.pool)
    .await;
    match updated {
        Ok(done) if done.rows_affected() == 0 => return Err(AppError::NotFound),
        Ok(_) => {}
        Err(err) if is_unique_violation(&err) => return Err(name_taken()),
        Err(err) => return Err(err.into()),
    }
    places.forget();
    tracing::info!(area = %id, by = %editor.id.0, "area changed");
    Ok(Area {
        id,
        name,
        kind: new.kind,
        geometry: shape.to_geojson(),
    })
}

/// Removes an area from use; it stays stored for what refers to it.
pub async fn remove(db: &Db, places: &PlacesCache, editor: &CurrentUser, id: AreaId) -> Result<(), AppError> {
    require(editor, Capability::EditPlaces)?;
    let now = now_ms();
    let done =
        sqlx::query("update area set removed_at = $2, updated_at = $2 where id = $1 and removed_at is null")
            .bind(id)
            .bind(now)
            .execute(&db.pool)
            .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tracing::info!(area = %id, by = %editor.id.0, "area removed");
    places.forget();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shape(coordinates: serde_json::Value) -> Shape {
        Shape::from_geojson(&json!({ "type": "Polygon", "coordinates": coordinates })).unwrap()
    }

    #[test]
    fn a_bow_tie_is_refused_as_crossing_itself() {
        let bow_tie = shape(json!([[
            [17.6, 59.5],
            [17.7, 59.6],
            [17.7, 59.5],
            [17.6, 59.6],
            [17.6, 59.5]
        ]]));
        match check_shape(&bow_tie, AreaKind::Named, None) {
            Err(AppError::Invalid { field, sv, .. }) => {
                assert_eq!(field, "geometry");
                assert!(sv.contains("korsar sig"), "{sv}");
            }
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_named_area_must_lie_inside_the_boundary_give_or_take_a_shared_edge() {
        let boundary = shape(json!([[
            [17.6, 59.5],
            [17.7, 59.5],
            [17.7, 59.6],
            [17.6, 59.6],
            [17.6, 59.5]
        ]]));
        let sharing_an_edge = shape(json!([[
            [17.6, 59.5],
            [17.65, 59.5],
            [17.65, 59.55],
            [17.6, 59.55],
            [17.6, 59.5]
        ]]));
        assert_eq!(
            check_shape(&sharing_an_edge, AreaKind::Named, Some(&boundary)),
            Ok(())
        );
        let reaching_out = shape(json!([[
            [17.65, 59.55],
            [17.75, 59.55],
            [17.75, 59.58],
            [17.65, 59.58],
            [17.65, 59.55]
        ]]));
        assert!(check_shape(&reaching_out, AreaKind::Named, Some(&boundary)).is_err());
        // A new boundary is not checked against the old one.
        assert_eq!(
            check_shape(&reaching_out, AreaKind::Municipality, Some(&boundary)),
            Ok(())
        );
    }
}
