//! The strategy areas of the action plan as the steering group and the chefssamråd follow
//! them up: per area the reports of the last quarter against the quarter before, overall
//! and per named area, its hotspots by place, and its open and overdue actions.

use serde::{Deserialize, Serialize};

use super::action::Action;
use super::focus::FocusProblem;
use super::intervention::Intervention;
use super::situation::{AreaChange, HexCell};

/// The days each page looks back over, and compares with the same number before.
pub const PERIOD_DAYS: i64 = 90;

/// One strategy area at a glance.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategySummary {
    pub code: String,
    /// Reports now and in the period before, with the test of the change.
    pub reports: AreaChange,
    pub open_actions: usize,
    pub overdue_actions: usize,
}

/// The reports of one named area (or of no named area: `place` empty) in the area's
/// period and the one before, with the exact test of a rise (`hotspot::compare`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceTrend {
    pub place: String,
    pub now: u32,
    pub previous: u32,
    pub significant_rise: bool,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategyPage {
    pub summary: StrategySummary,
    /// Per named area, most reports first; reports outside every named area last.
    pub places: Vec<PlaceTrend>,
    /// The area's significant hot cells, strongest first, named by place.
    pub hotspots: Vec<HexCell>,
    pub actions: Vec<Action>,
    /// Its focus problems, each with the activities that serve it.
    #[serde(default)]
    pub focus_problems: Vec<FocusProblem>,
    #[serde(default)]
    pub interventions: Vec<Intervention>,
    pub from: String,
    pub to: String,
}
