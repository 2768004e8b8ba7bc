//! Observation categories, seeded from docs/domain.md and kept by coordinators.

use serde::{Deserialize, Serialize};

use super::observation::{Kind, Sensitivity};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub id: String,
    pub kind: Kind,
    pub label_sv: String,
    pub label_en: String,
    /// The action plan's strategy area this category feeds (e.g. "4.2", "10").
    pub strategy_area: String,
    pub sensitivity: Sensitivity,
    /// Retired categories stay on old records but are no longer offered.
    #[serde(default)]
    pub retired: bool,
}
