//! Settings the browser needs too (the map's tiles and starting view). They start from the
//! environment (`ssr::infra::config`); an admin may change them while the app runs
//! (`ssr::settings`).

use serde::{Deserialize, Serialize};

use crate::domain::geo::{Bounds, LatLng};
use crate::error::AppError;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapSettings {
    /// A Leaflet tile URL template with `{z}`, `{x}` and `{y}`.
    pub tile_url: String,
    /// The attribution the tile provider requires, shown in the map corner. Plain text
    /// (HTML entities such as `&copy;` allowed).
    pub tile_attribution: String,
    pub center_lat: f64,
    pub center_lng: f64,
    pub zoom: f64,
}

impl Default for MapSettings {
    /// Upplands-Bro: Kungsängen and Bro both in view.
    fn default() -> Self {
        MapSettings {
            tile_url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
            tile_attribution: "&copy; OpenStreetMap-bidragsgivare".into(),
            center_lat: 59.5,
            center_lng: 17.69,
            zoom: 12.0,
        }
    }
}

/// The longest tile URL and attribution accepted.
const MAX_TEXT: usize = 500;

impl MapSettings {
    /// Checks settings an admin sends: a tile URL the browser can fetch tiles from, an
    /// attribution Leaflet cannot read as markup (it inserts it as HTML), and a starting
    /// view inside the municipality's box.
    pub fn validate(&self, bounds: &Bounds) -> Result<(), AppError> {
        let url = self.tile_url.trim();
        let fetchable = (url.starts_with("https://") || url.starts_with("http://"))
            && ["{z}", "{x}", "{y}"].iter().all(|part| url.contains(part))
            && url.len() <= MAX_TEXT
            && !url
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(c));
        if !fetchable {
            return Err(AppError::invalid(
                "tile_url",
                "Ange en adress som börjar med https:// och innehåller {z}, {x} och {y}.",
                "Give an address starting with https:// that contains {z}, {x} and {y}.",
            ));
        }
        let attribution = self.tile_attribution.trim();
        if attribution.is_empty()
            || attribution.chars().count() > MAX_TEXT
            || attribution
                .chars()
                .any(|c| c.is_control() || "<>\"'`".contains(c))
        {
            return Err(AppError::invalid(
                "tile_attribution",
                "Ange kartleverantörens upphovsrättsrad som vanlig text, utan < och >.",
                "Give the map provider's attribution as plain text, without < and >.",
            ));
        }
        let centre = LatLng {
            lat: self.center_lat,
            lng: self.center_lng,
        };
        if !bounds.contains(centre) {
            return Err(AppError::invalid(
                "center_lat",
                "Kartans mittpunkt ska ligga i kommunen.",
                "The map's centre must lie in the municipality.",
            ));
        }
        if !(5.0..=18.0).contains(&self.zoom) {
            return Err(AppError::invalid(
                "zoom",
                "Zoomnivån ska vara 5–18.",
                "The zoom level must be 5–18.",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_hostile_values_are_not() {
        let bounds = Bounds::default();
        assert!(MapSettings::default().validate(&bounds).is_ok());
        let field = |settings: MapSettings| match settings.validate(&bounds) {
            Err(AppError::Invalid { field, .. }) => Some(field),
            _ => None,
        };
        for url in [
            "javascript:alert(1)//{z}{x}{y}",
            "https://tiles.example/{z}/{x}.png",
            "https://tiles.example/{z}/{x}/{y}.png\" onerror=\"x",
            "ftp://tiles.example/{z}/{x}/{y}.png",
            "",
        ] {
            let settings = MapSettings {
                tile_url: url.into(),
                ..MapSettings::default()
            };
            assert_eq!(field(settings).as_deref(), Some("tile_url"), "{url}");
        }
        for attribution in ["<img src=x onerror=alert(1)>", "  ", "a\u{0}b"] {
            let settings = MapSettings {
                tile_attribution: attribution.into(),
                ..MapSettings::default()
            };
            assert_eq!(
                field(settings).as_deref(),
                Some("tile_attribution"),
                "{attribution}"
            );
        }
        let far = MapSettings {
            center_lat: 10.0,
            ..MapSettings::default()
        };
        assert_eq!(field(far).as_deref(), Some("center_lat"));
        for zoom in [0.0, 19.0, f64::NAN] {
            let settings = MapSettings {
                zoom,
                ..MapSettings::default()
            };
            assert_eq!(field(settings).as_deref(), Some("zoom"), "{zoom}");
        }
    }
}
