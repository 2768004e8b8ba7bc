//! What a lägesbild request gets back: the cells with their counts, hotspot classes and
//! trends, the change per strategy area, the scale the optimized analysis chose, and the
//! reports behind the markers. The same types travel to the page, into a meeting's
//! snapshot and out as JSON.

use serde::{Deserialize, Serialize};

use super::query::Params;
use crate::domain::observation::Kind;

/// One hexagon on the lägesbild map.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HexCell {
    /// H3 cell index.
    pub h3: String,
    /// Corners as [lat, lng].
    pub boundary: Vec<[f64; 2]>,
    pub count: u32,
    /// Count in the previous period (not in the aggregated layer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub z: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_fdr: Option<f64>,
    /// Gi_Bin: −3…3.
    #[serde(default)]
    pub class: i8,
    /// A significant rise against the previous period.
    #[serde(default)]
    pub rise: bool,
    /// Emerging-hotspot class: new, intensifying, persistent, diminishing, sporadic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trend: Option<String>,
    /// The named area the cell's centre lies in (`domain::area`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// One strategy area (or "all") in the period comparison.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaChange {
    /// Strategy area code, or "" for all together.
    pub strategy_area: String,
    pub now: u32,
    pub previous: u32,
    pub change: i64,
    pub p_rise: f64,
    pub significant_rise: bool,
}

/// Everything the lägesbild page shows for one request, and what a meeting keeps.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Situation {
    pub params: Params,
    /// True for roles that may not see exact positions: counts of cells with at least
    /// [`PUBLIC_MIN_COUNT`] reports, nothing else.
    pub aggregated: bool,
    pub total: u32,
    /// Cells with reports or a significant class (the aggregated layer: ≥ 3 reports).
    pub cells: Vec<HexCell>,
    /// Per strategy area, then "" for all, this period against the previous.
    #[serde(default)]
    pub areas: Vec<AreaChange>,
    /// The hottest cells (h3), highest z first.
    #[serde(default)]
    pub top: Vec<String>,
    /// Time slices in the period; with fewer than [`MIN_SLICES`] there is no
    /// emerging-hotspot view.
    #[serde(default)]
    pub slices: u32,
    /// Heat layer: [lat, lng, weight 0–1] from the quartic KDE.
    #[serde(default)]
    pub heat: Vec<[f64; 3]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth_m: Option<f64>,
    /// What the optimized analysis chose; none for the standard one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<ScaleChoice>,
}

/// The scale and cell universe the optimized analysis chose, to show with the map.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScaleChoice {
    /// Rings of neighbours used for Gi*.
    pub k: u32,
    /// About how far `k` rings reach, in metres.
    pub distance_m: f64,
    /// Whether the data showed significant clustering; if not, `k` is the default.
    pub found: bool,
    /// (rings, z-score of global Moran's I) for each scale tried.
    pub steps: Vec<(u32, f64)>,
    /// Cells analysed: those within `near_m` of a report in the look-back.
    pub cells: u32,
    /// Cells of the whole study area.
    pub area_cells: u32,
    pub near_m: f64,
    /// Days looked back for where reports occur.
    pub look_back_days: i64,
}

/// A report on the lägesbild map, for the clustered markers and the drill-down.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SituationPoint {
    pub id: crate::domain::ids::ObservationId,
    pub lat: f64,
    pub lng: f64,
    pub kind: Kind,
    pub category: String,
    /// The category's name as people read it: [Swedish, English].
    #[serde(default)]
    pub category_name: [String; 2],
    pub strategy_area: String,
    /// The plan's name of the strategy area: [Swedish, English].
    #[serde(default)]
    pub strategy_area_name: [String; 2],
    /// Unix ms.
    pub observed_at: i64,
    /// The H3 cell at the request's resolution, for the drill-down from a hotspot.
    pub h3: String,
    /// The named area the report lies in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}
