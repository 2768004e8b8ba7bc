//! Settings the browser needs too (the map's tiles and starting view).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapSettings {
    /// A Leaflet tile URL template with `{z}`, `{x}` and `{y}`.
    pub tile_url: String,
    /// The attribution the tile provider requires, shown in the map corner.
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
