//! Positions and the municipality's bounding box.

use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatLng {
    pub lat: f64,
    pub lng: f64,
}

const EARTH_RADIUS_M: f64 = 6_371_008.8;

impl LatLng {
    /// Great-circle distance in metres (haversine).
    pub fn distance_m(self, other: LatLng) -> f64 {
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let d_lat = lat2 - lat1;
        let d_lng = (other.lng - self.lng).to_radians();
        let a = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lng / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }
}

/// Where observations may lie: the municipality with a margin.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bounds {
    pub min_lat: f64,
    pub min_lng: f64,
    pub max_lat: f64,
    pub max_lng: f64,
}

impl Default for Bounds {
    /// Upplands-Bro (about 59.42–59.62 N, 17.40–17.93 E) plus a few kilometres.
    fn default() -> Self {
        Bounds {
            min_lat: 59.38,
            min_lng: 17.30,
            max_lat: 59.68,
            max_lng: 18.00,
        }
    }
}

impl Bounds {
    pub fn contains(&self, point: LatLng) -> bool {
        (self.min_lat..=self.max_lat).contains(&point.lat)
            && (self.min_lng..=self.max_lng).contains(&point.lng)
    }

    /// Reads `min_lng,min_lat,max_lng,max_lat` (the GeoJSON bbox order).
    pub fn parse(value: &str) -> Option<Bounds> {
        let numbers: Vec<f64> = value
            .split(',')
            .map(|part| part.trim().parse().ok())
            .collect::<Option<_>>()?;
        let [min_lng, min_lat, max_lng, max_lat] = numbers.try_into().ok()?;
        (min_lat < max_lat && min_lng < max_lng).then_some(Bounds {
            min_lat,
            min_lng,
            max_lat,
            max_lng,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kungsangen_to_bro_is_about_eight_kilometres() {
        let kungsangen = LatLng {
            lat: 59.4786,
            lng: 17.7500,
        };
        let bro = LatLng {
            lat: 59.5113,
            lng: 17.6358,
        };
        let d = kungsangen.distance_m(bro);
        assert!((7_000.0..8_000.0).contains(&d), "{d}");
    }

    #[test]
    fn bounds_read_in_geojson_order_and_reject_nonsense() {
        let b = Bounds::parse("17.3, 59.38, 18.0, 59.68").unwrap();
        assert!(b.contains(LatLng { lat: 59.5, lng: 17.7 }));
        assert!(!b.contains(LatLng {
            lat: 59.33,
            lng: 18.07
        }));
        assert_eq!(Bounds::parse("1,2,3"), None);
        assert_eq!(Bounds::parse("18,59,17,60"), None);
    }
}
