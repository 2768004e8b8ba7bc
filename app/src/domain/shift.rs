//! Grannstödsbil shifts (plan 6.2): the track driven and what it adds up to.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::geo::LatLng;
use super::ids::ShiftId;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewShift {
    /// Made on the phone, so a shift can start without signal and a start sent twice (the
    /// answer lost) is still one shift. The server makes one when it is missing.
    #[serde(default)]
    pub id: Option<ShiftId>,
    pub vehicle: String,
    #[serde(default)]
    pub co_driver: String,
    /// When the driver pressed Start, by the phone's clock; default when the server got it.
    #[serde(default, with = "crate::domain::clock::rfc3339_option")]
    pub started_at: Option<DateTime<Utc>>,
}

/// The end of a shift as the phone saw it; sent later when there was no signal.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EndShift {
    /// When the driver pressed End, by the phone's clock; default when the server got it.
    #[serde(default, with = "crate::domain::clock::rfc3339_option")]
    pub ended_at: Option<DateTime<Utc>>,
}

/// How far the phone's clock may be ahead of the server's.
pub const CLOCK_SKEW: chrono::TimeDelta = chrono::TimeDelta::minutes(5);
/// A shift sent later than this after it started is refused (no patrol lasts a day).
pub const MAX_SHIFT_AGE: chrono::TimeDelta = chrono::TimeDelta::hours(24);

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackPoint {
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub recorded_at: DateTime<Utc>,
    pub lat: f64,
    pub lng: f64,
    pub accuracy_m: f64,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftSummary {
    pub id: ShiftId,
    pub vehicle: String,
    pub co_driver: String,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub started_at: DateTime<Utc>,
    #[serde(default)]
    #[serde(with = "crate::domain::clock::rfc3339_option")]
    pub ended_at: Option<DateTime<Utc>>,
    pub duration_s: i64,
    pub distance_m: f64,
    pub observations: i64,
    pub track_points: i64,
}

impl TrackPoint {
    /// A position on Earth with a non-negative accuracy.
    pub fn is_plausible(&self) -> bool {
        (-90.0..=90.0).contains(&self.lat)
            && (-180.0..=180.0).contains(&self.lng)
            && self.accuracy_m.is_finite()
            && self.accuracy_m >= 0.0
    }
}

/// Fixes less precise than this are left out of the distance.
pub const MAX_TRACK_ACCURACY_M: f64 = 50.0;
/// A car in a municipality does not go faster; faster "jumps" are GPS noise.
const MAX_SPEED_M_PER_S: f64 = 55.0;

/// Distance driven along the points (in time order), skipping imprecise fixes and jumps.
pub fn distance_m(points: &[TrackPoint]) -> f64 {
    let mut total = 0.0;
    let mut last: Option<&TrackPoint> = None;
    for point in points.iter().filter(|p| p.accuracy_m <= MAX_TRACK_ACCURACY_M) {
        if let Some(previous) = last {
            let step = LatLng {
                lat: previous.lat,
                lng: previous.lng,
            }
            .distance_m(LatLng {
                lat: point.lat,
                lng: point.lng,
            });
            let seconds = (point.recorded_at - previous.recorded_at)
                .as_seconds_f64()
                .max(1.0);
            if step / seconds > MAX_SPEED_M_PER_S {
                continue;
            }
            total += step;
        }
        last = Some(point);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64, lat: f64, accuracy_m: f64) -> TrackPoint {
        TrackPoint {
            recorded_at: DateTime::UNIX_EPOCH + chrono::TimeDelta::seconds(seconds),
            lat,
            lng: 17.64,
            accuracy_m,
        }
    }

    #[test]
    fn distance_adds_up_the_steps_and_ignores_noise() {
        // 0.001° of latitude is about 111 m.
        let points = [at(0, 59.520, 5.0), at(30, 59.521, 5.0), at(60, 59.522, 5.0)];
        let d = distance_m(&points);
        assert!((220.0..225.0).contains(&d), "{d}");
        let noisy = [
            at(0, 59.520, 5.0),
            at(30, 59.600, 5.0),
            at(31, 59.530, 500.0),
            at(60, 59.521, 5.0),
        ];
        assert!((110.0..113.0).contains(&distance_m(&noisy)));
    }
}

/// One shift in the monthly follow-up for the steering group.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftReportRow {
    pub id: ShiftId,
    pub vehicle: String,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub started_at: DateTime<Utc>,
    #[serde(default)]
    #[serde(with = "crate::domain::clock::rfc3339_option")]
    pub ended_at: Option<DateTime<Utc>>,
    pub hours: f64,
    pub km: f64,
    pub observations: i64,
}

/// The month's shifts with totals, and observations per strategy area of the plan.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftReport {
    /// `YYYY-MM`.
    pub month: String,
    pub shifts: Vec<ShiftReportRow>,
    pub total_hours: f64,
    pub total_km: f64,
    pub total_observations: i64,
    /// (strategy area, observations), e.g. ("6.2", 14).
    pub observations_by_area: Vec<(String, i64)>,
}

impl ShiftReport {
    /// Semicolon-separated with decimal commas and a byte-order mark, as Swedish Excel
    /// opens it directly; times in ISO 8601 (UTC).
    pub fn to_csv(&self) -> String {
        let mut csv = String::from("\u{feff}id;bil;start;slut;timmar;km;observationer\r\n");
        for row in &self.shifts {
            let iso = super::clock::rfc3339;
            csv.push_str(&format!(
                "{};{};{};{};{};{};{}\r\n",
                row.id,
                csv_field(&row.vehicle),
                iso(row.started_at),
                row.ended_at.map(iso).unwrap_or_default(),
                format!("{:.2}", row.hours).replace('.', ","),
                format!("{:.1}", row.km).replace('.', ","),
                row.observations
            ));
        }
        csv
    }
}

/// Quotes a text field when it holds the separator, quotes or line breaks, and defuses
/// text a spreadsheet would run as a formula.
pub(crate) fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod report_tests {
    use super::*;

    #[test]
    fn the_csv_opens_in_swedish_excel_and_cannot_smuggle_formulas() {
        let report = ShiftReport {
            month: "2026-11".into(),
            shifts: vec![ShiftReportRow {
                id: ShiftId::new(),
                vehicle: "=HYPERLINK(\"x\"); bil".into(),
                started_at: DateTime::UNIX_EPOCH,
                ended_at: None,
                hours: 2.5,
                km: 31.26,
                observations: 3,
            }],
            total_hours: 2.5,
            total_km: 31.26,
            total_observations: 3,
            observations_by_area: vec![],
        };
        let csv = report.to_csv();
        assert!(csv.starts_with("\u{feff}id;bil;"));
        let line = csv.lines().nth(1).unwrap();
        assert!(line.contains("\"'=HYPERLINK(\"\"x\"\"); bil\""), "{line}");
        assert!(line.ends_with(";2,50;31,3;3"), "{line}");
    }
}
