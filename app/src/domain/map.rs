//! Karta, the start page: what a signed-in user may see on the municipality's map.
//!
//! Police and coordinators see every report exactly. Everyone else sees the aggregated
//! cells the lägesbild gives them (at least [`PUBLIC_MIN_COUNT`] reports, whole months,
//! see docs/hotspots.md) and, exactly, only what they reported themselves and the findings
//! of the walks they took part in: the rule of docs/domain.md that a position is restricted
//! data unless it is your own.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::clock::local_midnight_ms;
use super::clock::stockholm_date;
use super::ids::{ObservationId, WalkId};
use super::observation::Kind;
use super::situation::HexCell;
#[cfg(doc)]
use super::situation::PUBLIC_MIN_COUNT;
use crate::domain::code::Code;
use crate::error::AppError;
use crate::i18n::Lang;

/// The periods the filter offers, in days back from today; the first is the default.
pub const PERIODS: [u32; 4] = [30, 7, 90, 365];
/// The most reports the map draws at once, newest first: a year of a busy municipality
/// still fits, and a cheap phone still pans the map.
pub const MAX_POINTS: usize = 5_000;

/// Karta's filters, as they come in the query string. Every field is optional.
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapQuery {
    /// walk_finding, patrol_observation or drug_scene.
    pub kind: Option<String>,
    /// A category id.
    pub category: Option<String>,
    /// Days back from today: 7, 30 (default), 90 or 365.
    pub days: Option<u32>,
    /// The name of a named area.
    pub area: Option<String>,
}

/// [`MapQuery`] checked: what the server reads with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapFilter {
    pub kind: Option<Kind>,
    pub category: Option<String>,
    pub days: u32,
    pub area: Option<String>,
}

impl MapQuery {
    pub fn validate(&self) -> Result<MapFilter, AppError> {
        let given = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
        };
        let kind = match given(&self.kind) {
            None => None,
            Some(kind) => Some(Kind::from_code(&kind).ok_or_else(|| {
                AppError::invalid("kind", "Okänd sorts rapport.", "Unknown kind of report.")
            })?),
        };
        let days = self.days.unwrap_or(PERIODS[0]);
        if !PERIODS.contains(&days) {
            return Err(AppError::invalid(
                "days",
                "Välj 7, 30, 90 eller 365 dagar.",
                "Choose 7, 30, 90 or 365 days.",
            ));
        }
        Ok(MapFilter {
            kind,
            category: given(&self.category),
            days,
            area: given(&self.area),
        })
    }
}

impl Default for MapFilter {
    fn default() -> MapFilter {
        MapFilter {
            kind: None,
            category: None,
            days: PERIODS[0],
            area: None,
        }
    }
}

impl MapFilter {
    /// From midnight (Stockholm) `days - 1` days before today, so "7 days" is this week's
    /// seven calendar days including today, to the end of time (reports stamped a little
    /// ahead by a phone's clock still show).
    pub fn since_ms(&self, now: DateTime<Utc>) -> i64 {
        let first = stockholm_date(now) - TimeDelta::days(i64::from(self.days) - 1);
        local_midnight_ms(first)
    }

    /// The query that asks for this filter again (for links and the list view).
    pub fn to_query(&self) -> MapQuery {
        MapQuery {
            kind: self.kind.map(|kind| kind.as_str().to_owned()),
            category: self.category.clone(),
            days: Some(self.days),
            area: self.area.clone(),
        }
    }
}

/// One report on Karta, with what its details panel shows.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapPoint {
    pub id: ObservationId,
    pub lat: f64,
    pub lng: f64,
    pub kind: Kind,
    pub category: String,
    /// The category's name: [Swedish, English].
    pub category_name: [String; 2],
    pub strategy_area: String,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub observed_at: DateTime<Utc>,
    /// new, acknowledged, actioned or closed.
    pub status: String,
    /// The named area it lies in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The reporter's own note; only police, coordinators and the reporter get it.
    #[serde(default)]
    pub note: String,
    /// The walk it was found on, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub walk_id: Option<WalkId>,
    /// Reported by the viewer.
    pub own: bool,
}

/// What Karta shows one user.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapView {
    /// Police and coordinators: every report, exactly. Otherwise: aggregated cells and
    /// only one's own reports (and one's walks' findings) exactly.
    pub exact: bool,
    /// The reports drawn as markers, newest first, at most [`MAX_POINTS`].
    pub points: Vec<MapPoint>,
    /// More reports matched than were sent.
    pub truncated: bool,
    /// Aggregated cells (roles without exact positions): all kinds, one whole month.
    pub cells: Vec<HexCell>,
    /// The month the cells count, first and last day (YYYY-MM-DD), when there are cells.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cells_period: Option<(String, String)>,
    /// The named areas to filter by.
    pub areas: Vec<String>,
}

/// Where a report is in its follow-up, in words.
pub fn status_label(status: &str, lang: Lang) -> &'static str {
    match status {
        "new" => lang.pick("Ny", "New"),
        "acknowledged" => lang.pick("Mottagen", "Acknowledged"),
        "actioned" => lang.pick("Åtgärdad", "Actioned"),
        "closed" => lang.pick("Avslutad", "Closed"),
        _ => lang.pick("Okänd", "Unknown"),
    }
}

/// The colour of a report's marker by its kind; the legend uses the same.
pub fn kind_colour(kind: Kind) -> &'static str {
    match kind {
        Kind::WalkFinding => "#0b4f6c",
        Kind::PatrolObservation => "#6a3d9a",
        Kind::DrugScene => "#a4161a",
        Kind::IncidentReport => "#7a4a00",
    }
}

/// The fill of an aggregated cell: darker the more reports, relative to the busiest cell.
pub fn cell_colour(count: u32, max: u32) -> String {
    let share = if max > 3 {
        f64::from(count.saturating_sub(3)) / f64::from(max - 3)
    } else {
        1.0
    };
    format!("hsl(200, 70%, {:.0}%)", 85.0 - share.clamp(0.0, 1.0) * 55.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_filter_is_the_last_thirty_days_of_everything() {
        let filter = MapQuery::default().validate().unwrap();
        assert_eq!(filter, MapFilter::default());
        assert_eq!(filter.days, 30);
        assert_eq!(filter.to_query().validate().unwrap(), filter);
    }

    #[test]
    fn only_the_offered_periods_and_known_kinds_are_accepted() {
        for days in [0, 1, 29, 366, u32::MAX] {
            let query = MapQuery {
                days: Some(days),
                ..Default::default()
            };
            assert!(query.validate().is_err(), "{days}");
        }
        let query = MapQuery {
            kind: Some("burglary".into()),
            ..Default::default()
        };
        assert!(query.validate().is_err());
        let query = MapQuery {
            kind: Some(" drug_scene ".into()),
            area: Some("   ".into()),
            ..Default::default()
        };
        let filter = query.validate().unwrap();
        assert_eq!(filter.kind, Some(Kind::DrugScene));
        assert_eq!(filter.area, None, "a blank area is no filter");
    }

    #[test]
    fn a_week_starts_at_midnight_in_stockholm_six_days_ago() {
        let filter = MapQuery {
            days: Some(7),
            ..Default::default()
        }
        .validate()
        .unwrap();
        // 01:30 Stockholm summer time on 10 June is still 9 June in UTC.
        let now = chrono::NaiveDate::from_ymd_opt(2026, 6, 9)
            .unwrap()
            .and_hms_opt(23, 30, 0)
            .unwrap()
            .and_utc();
        let since = filter.since_ms(now);
        assert_eq!(
            since,
            chrono::NaiveDate::from_ymd_opt(2026, 6, 3)
                .unwrap()
                .and_hms_opt(22, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp_millis()
        );
    }

    #[test]
    fn busier_cells_are_darker() {
        assert_eq!(cell_colour(3, 3), "hsl(200, 70%, 30%)");
        assert_eq!(cell_colour(3, 13), "hsl(200, 70%, 85%)");
        assert_eq!(cell_colour(13, 13), "hsl(200, 70%, 30%)");
    }
}
