//! Camera candidates (plan 4.4): cells that stayed hot over several periods, the basis
//! of the assessment a camera permit needs.

use serde::{Deserialize, Serialize};

/// How many of the last periods a camera candidate must have been hot in, of how many.
pub const CAMERA_PERIODS: u32 = 6;
pub const CAMERA_MIN_HOT: u32 = 4;
/// A period counts as hot for a cell only with this many reports in the cell itself: in
/// a quiet month Gi* calls a lone report hot, and one report is no case for a camera.
pub const CAMERA_MIN_REPORTS: u32 = 3;
/// The length of one period of the camera review, in days.
pub const CAMERA_PERIOD_DAYS: i64 = 30;

/// A cell that stayed hot (Gi* at 95 % or more) in at least `min_hot` of the last
/// `periods` 30-day periods (plan 4.4): the basis of the documented assessment a camera
/// permit needs.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CameraCandidate {
    pub h3: String,
    /// Corners as [lat, lng].
    pub boundary: Vec<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// In how many periods the cell was hot.
    pub hot_periods: u32,
    /// Reports in all periods together.
    pub total: u32,
    /// Oldest period first: its first day, its count and its Gi_Bin.
    pub history: Vec<CameraPeriod>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CameraPeriod {
    pub from: String,
    pub count: u32,
    pub class: i8,
}

/// The candidates as CSV for the assessment (one row per cell and period).
pub fn camera_csv(candidates: &[CameraCandidate]) -> String {
    let mut csv = String::from("\u{feff}h3;omrade;heta_perioder;totalt;period_fran;antal;gi_bin\r\n");
    for candidate in candidates {
        for period in &candidate.history {
            csv.push_str(&format!(
                "{};{};{};{};{};{};{}\r\n",
                candidate.h3,
                crate::domain::shift::csv_field(candidate.place.as_deref().unwrap_or_default()),
                candidate.hot_periods,
                candidate.total,
                period.from,
                period.count,
                period.class
            ));
        }
    }
    csv
}
