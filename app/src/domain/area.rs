//! Named places (plan 4.2, 6.1, 10): the areas a coordinator keeps — stadsdelar such as
//! Finnsta, Råby or Bro centrum, a grannsamverkan area — and the municipality boundary
//! (kommungränsen), which is the hotspot study area once it is set. Findings, hotspot
//! cells and actions are labelled with the named area they lie in, so tables and
//! protocols say *where* in words.
//!
//! Shapes arrive as GeoJSON (`Polygon`, `MultiPolygon`, or a `Feature` /
//! one-feature `FeatureCollection` holding one), drawn on the map or uploaded. This
//! module reads them and checks what needs no geometry library (rings closed, enough
//! points, finite numbers, inside the municipality's box, size); whether a ring crosses
//! itself is checked on the server with `geo` (`ssr::areas`).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::geo::{Bounds, LatLng};
use super::ids::AreaId;
use crate::error::AppError;

/// Longest name, in characters.
pub const MAX_NAME: usize = 100;
/// Most corner points in one area: a detailed municipality boundary has a few thousand.
/// The self-intersection check compares every pair of edges, so this bounds its cost.
pub const MAX_VERTICES: usize = 10_000;

/// What an area is for.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    /// A place with a name that labels findings, cells and actions.
    Named,
    /// The municipality boundary: at most one, the study area of the hotspot analysis.
    Municipality,
}

impl AreaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AreaKind::Named => "named",
            AreaKind::Municipality => "municipality",
        }
    }

    pub const ALL: [AreaKind; 2] = [AreaKind::Named, AreaKind::Municipality];
}

/// A new area, or the new version of one.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewArea {
    pub name: String,
    pub kind: AreaKind,
    /// GeoJSON: a Polygon or MultiPolygon, bare or in a Feature (longitude first).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub geometry: Value,
}

/// A stored area.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub id: AreaId,
    pub name: String,
    pub kind: AreaKind,
    /// Always a GeoJSON MultiPolygon.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub geometry: Value,
}

/// One polygon: the outer ring, then its holes. Each ring is closed (first point repeated
/// last), as GeoJSON has it.
pub type Rings = Vec<Vec<LatLng>>;

/// An area's outline, read and checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub polygons: Vec<Rings>,
}

fn bad_shape(sv: &str, en: &str) -> AppError {
    AppError::invalid("geometry", sv, en)
}

impl NewArea {
    /// The name trimmed and checked, and the shape read and checked against the box the
    /// municipality lies in.
    pub fn validate(&self, bounds: &Bounds) -> Result<(String, Shape), AppError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(AppError::invalid(
                "name",
                &format!("Ge området ett namn (högst {MAX_NAME} tecken)."),
                &format!("Give the area a name (at most {MAX_NAME} characters)."),
            ));
        }
        let shape = Shape::from_geojson(&self.geometry)?;
        if !shape.all_points(|point| bounds.contains(point)) {
            return Err(bad_shape(
                "Området ligger helt eller delvis utanför kommunen.",
                "The area lies wholly or partly outside the municipality.",
            ));
        }
        Ok((name.to_owned(), shape))
    }
}

impl Shape {
    /// Reads a GeoJSON geometry, or a Feature or one-feature FeatureCollection with one.
    pub fn from_geojson(value: &Value) -> Result<Shape, AppError> {
        let not_polygon = || {
            bad_shape(
                "Området ska vara en GeoJSON-polygon (Polygon eller MultiPolygon, longitud först).",
                "The area must be a GeoJSON polygon (Polygon or MultiPolygon, longitude first).",
            )
        };
        let geometry = match value.get("type").and_then(Value::as_str) {
            Some("Feature") => value.get("geometry").ok_or_else(not_polygon)?,
            Some("FeatureCollection") => match value.get("features").and_then(Value::as_array) {
                Some(features) if features.len() == 1 => {
                    features[0].get("geometry").ok_or_else(not_polygon)?
                }
                _ => {
                    return Err(bad_shape(
                        "Filen ska innehålla exakt ett område.",
                        "The file must hold exactly one area.",
                    ))
                }
            },
            _ => value,
        };
        let coordinates = geometry.get("coordinates").ok_or_else(not_polygon)?;
        let polygons = match geometry.get("type").and_then(Value::as_str) {
            Some("Polygon") => vec![read_polygon(coordinates)?],
            Some("MultiPolygon") => coordinates
                .as_array()
                .filter(|polygons| !polygons.is_empty())
                .ok_or_else(not_polygon)?
                .iter()
                .map(read_polygon)
                .collect::<Result<_, _>>()?,
            _ => return Err(not_polygon()),
        };
        let shape = Shape { polygons };
        if shape.vertices() > MAX_VERTICES {
            return Err(bad_shape(
                &format!("Området har för många punkter (högst {MAX_VERTICES}). Förenkla det."),
                &format!("The area has too many points (at most {MAX_VERTICES}). Simplify it."),
            ));
        }
        Ok(shape)
    }

    /// As a GeoJSON MultiPolygon, the form every stored area has.
    pub fn to_geojson(&self) -> Value {
        let polygons: Vec<Vec<Vec<[f64; 2]>>> = self
            .polygons
            .iter()
            .map(|rings| {
                rings
                    .iter()
                    .map(|ring| ring.iter().map(|p| [p.lng, p.lat]).collect())
                    .collect()
            })
            .collect();
        json!({ "type": "MultiPolygon", "coordinates": polygons })
    }

    pub fn vertices(&self) -> usize {
        self.polygons.iter().flatten().map(Vec::len).sum()
    }

    /// Whether every corner point passes `test`.
    pub fn all_points(&self, test: impl Fn(LatLng) -> bool) -> bool {
        self.polygons.iter().flatten().flatten().all(|point| test(*point))
    }

    /// The smallest box around the area.
    pub fn bounds(&self) -> Bounds {
        let mut bounds = Bounds {
            min_lat: f64::INFINITY,
            min_lng: f64::INFINITY,
            max_lat: f64::NEG_INFINITY,
            max_lng: f64::NEG_INFINITY,
        };
        for point in self.polygons.iter().flatten().flatten() {
            bounds.min_lat = bounds.min_lat.min(point.lat);
            bounds.max_lat = bounds.max_lat.max(point.lat);
            bounds.min_lng = bounds.min_lng.min(point.lng);
            bounds.max_lng = bounds.max_lng.max(point.lng);
        }
        bounds
    }

    /// Whether a point lies inside (in an outer ring and in none of its holes). A point
    /// exactly on an edge may fall either way.
    pub fn contains(&self, point: LatLng) -> bool {
        self.polygons.iter().any(|rings| {
            let mut rings = rings.iter();
            rings.next().is_some_and(|outer| ring_contains(outer, point))
                && !rings.any(|hole| ring_contains(hole, point))
        })
    }

    /// Distance from a point to the nearest edge, in metres (locally flat: good to a
    /// fraction of a percent over a municipality).
    pub fn distance_to_edge_m(&self, point: LatLng) -> f64 {
        let (ky, kx) = (111_195.0, 111_195.0 * point.lat.to_radians().cos());
        let local = |p: &LatLng| ((p.lng - point.lng) * kx, (p.lat - point.lat) * ky);
        self.polygons
            .iter()
            .flatten()
            .flat_map(|ring| ring.windows(2))
            .map(|edge| {
                let ((ax, ay), (bx, by)) = (local(&edge[0]), local(&edge[1]));
                let (dx, dy) = (bx - ax, by - ay);
                let length2 = dx * dx + dy * dy;
                let t = if length2 > 0.0 {
                    (-(ax * dx + ay * dy) / length2).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                (ax + t * dx).hypot(ay + t * dy)
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// Approximate size in square metres (equirectangular at the area's latitude, good
    /// enough to tell which of two nested areas is the smaller).
    pub fn size_m2(&self) -> f64 {
        let metres_per_degree = 111_195.0;
        let lat0 = self.bounds().min_lat.to_radians().cos();
        let ring_area = |ring: &Vec<LatLng>| {
            ring.windows(2)
                .map(|pair| pair[0].lng * pair[1].lat - pair[1].lng * pair[0].lat)
                .sum::<f64>()
                .abs()
                / 2.0
        };
        self.polygons
            .iter()
            .map(|rings| {
                let mut rings = rings.iter();
                let outer = rings.next().map_or(0.0, ring_area);
                outer - rings.map(ring_area).sum::<f64>()
            })
            .sum::<f64>()
            * metres_per_degree
            * metres_per_degree
            * lat0
    }
}

/// Even–odd rule: a ray to the east crosses the ring an odd number of times.
fn ring_contains(ring: &[LatLng], point: LatLng) -> bool {
    let mut inside = false;
    for pair in ring.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if (a.lat > point.lat) != (b.lat > point.lat) {
            let crossing = a.lng + (point.lat - a.lat) / (b.lat - a.lat) * (b.lng - a.lng);
            if point.lng < crossing {
                inside = !inside;
            }
        }
    }
    inside
}

fn read_polygon(value: &Value) -> Result<Rings, AppError> {
    let rings = value
        .as_array()
        .filter(|rings| !rings.is_empty())
        .ok_or_else(|| {
            bad_shape(
                "En polygon ska ha minst en ring av koordinater.",
                "A polygon needs at least one ring of coordinates.",
            )
        })?;
    rings.iter().map(read_ring).collect()
}

fn read_ring(value: &Value) -> Result<Vec<LatLng>, AppError> {
    let not_positions = || {
        bad_shape(
            "Varje punkt ska vara [longitud, latitud] i grader.",
            "Every point must be [longitude, latitude] in degrees.",
        )
    };
    let ring: Vec<LatLng> = value
        .as_array()
        .ok_or_else(not_positions)?
        .iter()
        .map(|position| {
            let numbers = position.as_array()?;
            let (lng, lat) = (numbers.first()?.as_f64()?, numbers.get(1)?.as_f64()?);
            (lng.is_finite() && lat.is_finite()).then_some(LatLng { lat, lng })
        })
        .collect::<Option<_>>()
        .ok_or_else(not_positions)?;
    if ring.len() < 4 {
        return Err(bad_shape(
            "En ring behöver minst tre hörn (och första punkten upprepad sist).",
            "A ring needs at least three corners (and the first point repeated last).",
        ));
    }
    if ring.first() != ring.last() {
        return Err(bad_shape(
            "Ringen är inte sluten: första och sista punkten ska vara samma.",
            "The ring is not closed: the first and last points must be the same.",
        ));
    }
    Ok(ring)
}

/// The named areas, ready to say which one a point lies in.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
}

#[derive(Clone, Debug)]
struct Place {
    name: String,
    shape: Shape,
    bounds: Bounds,
    size_m2: f64,
}

impl Gazetteer {
    pub fn new(areas: impl IntoIterator<Item = (String, Shape)>) -> Gazetteer {
        Gazetteer {
            places: areas
                .into_iter()
                .map(|(name, shape)| Place {
                    name,
                    bounds: shape.bounds(),
                    size_m2: shape.size_m2(),
                    shape,
                })
                .collect(),
        }
    }

    /// The name of the smallest named area a point lies in, if any: Bro centrum rather
    /// than Bro when both are kept.
    pub fn name_of(&self, point: LatLng) -> Option<&str> {
        self.name_at_least(point, 0.0)
    }

    /// [`Gazetteer::name_of`] among the areas of at least `size_m2`: for a place shown
    /// generalised, whose name must not say more than the generalisation does (a small
    /// area's name would pin it down again).
    pub fn name_at_least(&self, point: LatLng, size_m2: f64) -> Option<&str> {
        self.places
            .iter()
            .filter(|place| place.size_m2 >= size_m2)
            .filter(|place| place.bounds.contains(point) && place.shape.contains(point))
            .min_by(|a, b| a.size_m2.total_cmp(&b.size_m2))
            .map(|place| place.name.as_str())
    }
}

super::code::codes!(AreaKind);

#[cfg(test)]
mod tests {
    use super::*;

    fn square(west: f64, south: f64, size: f64) -> Value {
        json!({ "type": "Polygon", "coordinates": [[
            [west, south], [west + size, south], [west + size, south + size],
            [west, south + size], [west, south]
        ]] })
    }

    fn new(geometry: Value) -> NewArea {
        NewArea {
            name: "Bro centrum".into(),
            kind: AreaKind::Named,
            geometry,
        }
    }

    fn field_and_message(result: Result<(String, Shape), AppError>) -> (String, String) {
        match result {
            Err(AppError::Invalid { field, sv, .. }) => (field, sv),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_square_in_bro_is_read_and_contains_its_middle_only() {
        let (name, shape) = new(square(17.63, 59.51, 0.01))
            .validate(&Bounds::default())
            .unwrap();
        assert_eq!(name, "Bro centrum");
        assert!(shape.contains(LatLng {
            lat: 59.515,
            lng: 17.635
        }));
        assert!(!shape.contains(LatLng {
            lat: 59.525,
            lng: 17.635
        }));
        // About 1.1 km × 0.57 km.
        let size = shape.size_m2();
        assert!((600_000.0..700_000.0).contains(&size), "{size}");
    }

    #[test]
    fn features_and_multipolygons_are_read_and_holes_are_outside() {
        let holed = json!({ "type": "Feature", "properties": {}, "geometry": {
            "type": "MultiPolygon", "coordinates": [[
                [[17.6, 59.5], [17.7, 59.5], [17.7, 59.6], [17.6, 59.6], [17.6, 59.5]],
                [[17.64, 59.54], [17.66, 59.54], [17.66, 59.56], [17.64, 59.56], [17.64, 59.54]]
            ]]
        }});
        let shape = Shape::from_geojson(&holed).unwrap();
        assert!(shape.contains(LatLng {
            lat: 59.52,
            lng: 17.62
        }));
        assert!(
            !shape.contains(LatLng {
                lat: 59.55,
                lng: 17.65
            }),
            "in the hole"
        );
        let collection = json!({ "type": "FeatureCollection", "features": [
            { "type": "Feature", "properties": {}, "geometry": square(17.6, 59.5, 0.1) }
        ]});
        assert_eq!(
            Shape::from_geojson(&collection).unwrap(),
            Shape::from_geojson(&square(17.6, 59.5, 0.1)).unwrap()
        );
        // Stored as a MultiPolygon, read back the same.
        assert_eq!(Shape::from_geojson(&shape.to_geojson()).unwrap(), shape);
    }

    #[test]
    fn bad_shapes_are_refused_with_the_reason() {
        let bounds = Bounds::default();
        let open = json!({ "type": "Polygon", "coordinates": [[
            [17.6, 59.5], [17.7, 59.5], [17.7, 59.6], [17.6, 59.6]
        ]] });
        let (field, message) = field_and_message(new(open).validate(&bounds));
        assert_eq!(field, "geometry");
        assert!(message.contains("inte sluten"), "{message}");
        let (_, message) = field_and_message(new(square(18.05, 59.32, 0.01)).validate(&bounds));
        assert!(message.contains("utanför kommunen"), "{message}");
        let line = json!({ "type": "LineString", "coordinates": [[17.6, 59.5], [17.7, 59.5]] });
        let (_, message) = field_and_message(new(line).validate(&bounds));
        assert!(message.contains("GeoJSON-polygon"), "{message}");
        let words = json!({ "type": "Polygon", "coordinates": [["a", "b", "c", "a"]] });
        let (_, message) = field_and_message(new(words).validate(&bounds));
        assert!(message.contains("[longitud, latitud]"), "{message}");
        let two = json!({ "type": "FeatureCollection", "features": [
            { "type": "Feature", "geometry": square(17.6, 59.5, 0.1) },
            { "type": "Feature", "geometry": square(17.7, 59.5, 0.1) }
        ]});
        let (_, message) = field_and_message(new(two).validate(&bounds));
        assert!(message.contains("exakt ett område"), "{message}");
        let (field, _) = field_and_message(
            NewArea {
                name: "  ".into(),
                ..new(square(17.6, 59.5, 0.1))
            }
            .validate(&bounds),
        );
        assert_eq!(field, "name");
    }

    #[test]
    fn a_huge_outline_is_refused_before_it_is_checked() {
        let mut ring: Vec<[f64; 2]> = (0..MAX_VERTICES + 10)
            .map(|i| {
                let angle = i as f64 / (MAX_VERTICES + 10) as f64 * std::f64::consts::TAU;
                [17.65 + 0.05 * angle.cos(), 59.5 + 0.03 * angle.sin()]
            })
            .collect();
        ring.push(ring[0]);
        let huge = json!({ "type": "Polygon", "coordinates": [ring] });
        let (_, message) = field_and_message(new(huge).validate(&Bounds::default()));
        assert!(message.contains("för många punkter"), "{message}");
    }

    #[test]
    fn a_point_gets_the_smallest_area_it_lies_in() {
        let entry = |name: &str, geometry: Value| (name.to_owned(), Shape::from_geojson(&geometry).unwrap());
        let places = Gazetteer::new([
            entry("Bro", square(17.60, 59.50, 0.05)),
            entry("Bro centrum", square(17.63, 59.51, 0.01)),
        ]);
        let centre = LatLng {
            lat: 59.515,
            lng: 17.635,
        };
        assert_eq!(places.name_of(centre), Some("Bro centrum"));
        assert_eq!(
            places.name_of(LatLng {
                lat: 59.54,
                lng: 17.61
            }),
            Some("Bro")
        );
        assert_eq!(
            places.name_of(LatLng {
                lat: 59.45,
                lng: 17.8
            }),
            None
        );
    }
}
