//! What a lägesbild request asks of the hotspot engine: the query as it arrives and the
//! checked parameters it becomes (periods, filters, resolution, slices), with the rules
//! for what the aggregated layer may show.

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::clock::{from_unix_ms, in_stockholm, local_midnight_ms, parse_day, stockholm_date};
use crate::domain::code::Code;
use crate::domain::observation::{Kind, STRATEGY_AREAS};
use crate::error::AppError;

/// The fewest time slices that give an emerging-hotspot view: with fewer, not even a
/// steady rise in every slice reaches Mann–Kendall p < 0.05 with a margin. The same
/// number as `hotspot::trend::MIN_SLICES` (the browser does not get that crate).
pub const MIN_SLICES: u32 = 6;

/// The period a meeting looks at unless it chooses one: the last four weeks.
pub const DEFAULT_PERIOD_DAYS: i64 = 28;
pub const MAX_PERIOD_DAYS: i64 = 731;
/// Roles that may not see exact positions get cells with at least this many reports.
pub const PUBLIC_MIN_COUNT: u32 = 3;
/// …and no finer cells than this (about 0.1 km²), so a cell does not point at a door.
pub const PUBLIC_MAX_RESOLUTION: u8 = 9;

/// The filters and parameters of a hotspot request, as they come in a query string.
/// Every field is optional; [`SituationQuery::validate`] fills in the defaults.
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SituationQuery {
    /// walk_finding, patrol_observation or drug_scene.
    pub kind: Option<String>,
    /// A category id.
    pub category: Option<String>,
    /// A strategy area of the plan, e.g. "10".
    pub strategy_area: Option<String>,
    /// First day, YYYY-MM-DD (Stockholm); default four weeks before `to`.
    pub from: Option<String>,
    /// Last day, included; default today.
    pub to: Option<String>,
    /// ISO weekdays to keep, e.g. "5,6,7" (1 = Monday).
    pub weekdays: Option<String>,
    /// First hour of the day to keep, 0–23 (Stockholm).
    pub hour_from: Option<u8>,
    /// Last hour kept, 0–23; smaller than `hour_from` wraps past midnight.
    pub hour_to: Option<u8>,
    /// H3 resolution 8–11, default 9.
    pub resolution: Option<u8>,
    /// Neighbourhood rings for Gi*, 1–3, default 1. Not used by the optimized analysis.
    pub k: Option<u32>,
    /// `standard` (default: the whole study area, `k` rings) or `optimized`: the cells
    /// near any report of the last twelve months, and the scale where clustering peaks
    /// (`hotspot::scale`, docs/hotspots.md).
    pub analysis: Option<String>,
    /// Time slices for emerging hotspots: week (default) or month.
    pub slice: Option<String>,
    /// Only reports the server had received by this time (unix ms): a meeting's
    /// snapshot repeats exactly what the page showed.
    pub as_of: Option<i64>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slice {
    Week,
    Month,
}

/// A checked request: dates in order, values in range, defaults filled in.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub kind: Option<Kind>,
    pub category: Option<String>,
    pub strategy_area: Option<String>,
    /// YYYY-MM-DD.
    pub from: String,
    /// YYYY-MM-DD, included.
    pub to: String,
    /// ISO weekdays kept; empty keeps all.
    pub weekdays: Vec<u8>,
    pub hour_from: Option<u8>,
    pub hour_to: Option<u8>,
    pub resolution: u8,
    pub k: u32,
    /// The optimized analysis (see [`SituationQuery::analysis`]).
    #[serde(default)]
    pub optimized: bool,
    pub slice: Slice,
    pub as_of: i64,
}

fn parse_date(field: &str, value: &str) -> Result<NaiveDate, AppError> {
    parse_day(value.trim()).ok_or_else(|| {
        AppError::invalid(
            field,
            "Datumet ska skrivas ÅÅÅÅ-MM-DD.",
            "The date must be written YYYY-MM-DD.",
        )
    })
}

fn blank(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl SituationQuery {
    /// Checks the request against today's date (Stockholm) and the current time.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<Params, AppError> {
        let today = stockholm_date(now);
        let to = blank(&self.to)
            .map(|v| parse_date("to", v))
            .transpose()?
            .unwrap_or(today);
        let from = blank(&self.from)
            .map(|v| parse_date("from", v))
            .transpose()?
            .unwrap_or(to - TimeDelta::days(DEFAULT_PERIOD_DAYS - 1));
        // Dates the data can have: far-off years are refused before any arithmetic.
        for (field, day) in [("to", to), ("from", from)] {
            if day.year() < 2000 || day.year() > today.year() + 1 {
                return Err(AppError::invalid(
                    field,
                    "Datumet ligger utanför vad som kan ha rapporterats.",
                    "The date is outside anything that can have been reported.",
                ));
            }
        }
        if from > to {
            return Err(AppError::invalid(
                "from",
                "Perioden börjar efter att den slutar.",
                "The period starts after it ends.",
            ));
        }
        if (to - from).num_days() + 1 > MAX_PERIOD_DAYS {
            return Err(AppError::invalid(
                "from",
                "Perioden får vara högst två år.",
                "The period may be at most two years.",
            ));
        }
        let kind = blank(&self.kind)
            .map(|v| {
                Kind::from_code(v).ok_or_else(|| {
                    AppError::invalid("kind", "Okänd sorts observation.", "Unknown kind of observation.")
                })
            })
            .transpose()?;
        let strategy_area = blank(&self.strategy_area).map(str::to_owned);
        if let Some(area) = &strategy_area {
            if !STRATEGY_AREAS.contains(&area.as_str()) {
                return Err(AppError::invalid(
                    "strategy_area",
                    "Okänt strategiområde i handlingsplanen.",
                    "Unknown strategy area of the action plan.",
                ));
            }
        }
        let mut weekdays = Vec::new();
        for part in blank(&self.weekdays)
            .unwrap_or("")
            .split(',')
            .filter(|p| !p.trim().is_empty())
        {
            match part.trim().parse::<u8>() {
                Ok(day @ 1..=7) if !weekdays.contains(&day) => weekdays.push(day),
                Ok(1..=7) => {}
                _ => {
                    return Err(AppError::invalid(
                        "weekdays",
                        "Veckodagar anges som 1 (måndag) till 7 (söndag).",
                        "Weekdays are 1 (Monday) to 7 (Sunday).",
                    ))
                }
            }
        }
        weekdays.sort_unstable();
        if weekdays.len() == 7 {
            weekdays.clear();
        }
        for (field, hour) in [("hour_from", self.hour_from), ("hour_to", self.hour_to)] {
            if hour.is_some_and(|h| h > 23) {
                return Err(AppError::invalid(
                    field,
                    "Timmen ska vara 0–23.",
                    "The hour must be 0–23.",
                ));
            }
        }
        let resolution = self.resolution.unwrap_or(9);
        if !(8..=11).contains(&resolution) {
            return Err(AppError::invalid(
                "resolution",
                "Upplösningen ska vara 8–11.",
                "The resolution must be 8–11.",
            ));
        }
        let k = self.k.unwrap_or(1);
        if !(1..=3).contains(&k) {
            return Err(AppError::invalid(
                "k",
                "Grannskapet ska vara 1–3 ringar.",
                "The neighbourhood must be 1–3 rings.",
            ));
        }
        // Fine cells over the whole municipality are many (resolution 11: about 800 000),
        // and each time slice multiplies them: fine cells go with short periods.
        let days = (to - from).num_days() + 1;
        let limit = match resolution {
            10 => Some((92, 3, "högst tre månader", "at most three months")),
            11 => Some((
                31,
                1,
                "högst en månad och grannskap 1",
                "at most a month and neighbourhood 1",
            )),
            _ => None,
        };
        if let Some((max_days, max_k, sv, en)) = limit {
            if days > max_days || k > max_k {
                return Err(AppError::invalid(
                    "resolution",
                    &format!("Cellstorlek {resolution} kräver {sv}; välj större celler för längre perioder."),
                    &format!("Resolution {resolution} needs {en}; choose larger cells for longer periods."),
                ));
            }
        }
        let slice = match blank(&self.slice) {
            None | Some("week") => Slice::Week,
            Some("month") => Slice::Month,
            Some(_) => {
                return Err(AppError::invalid(
                    "slice",
                    "Tidsindelningen ska vara week eller month.",
                    "The time slices must be week or month.",
                ))
            }
        };
        let optimized = match blank(&self.analysis) {
            None | Some("standard") => false,
            Some("optimized") => true,
            Some(_) => {
                return Err(AppError::invalid(
                    "analysis",
                    "Analysen ska vara standard eller optimized.",
                    "The analysis must be standard or optimized.",
                ))
            }
        };
        let now_ms = now.timestamp_millis();
        Ok(Params {
            optimized,
            kind,
            category: blank(&self.category).map(str::to_owned),
            strategy_area,
            from: from.to_string(),
            to: to.to_string(),
            weekdays,
            hour_from: self.hour_from,
            hour_to: self.hour_to,
            resolution,
            k,
            slice,
            as_of: self.as_of.map_or(now_ms, |at| at.min(now_ms)),
        })
    }
}

impl Params {
    fn dates(&self) -> (NaiveDate, NaiveDate) {
        let parse = |v: &str| parse_date("date", v).unwrap_or(NaiveDate::MIN);
        (parse(&self.from), parse(&self.to))
    }

    pub fn days(&self) -> i64 {
        let (from, to) = self.dates();
        (to - from).num_days() + 1
    }

    /// `[start, end)` of the period in unix ms, midnight to midnight in Stockholm.
    pub fn period_ms(&self) -> (i64, i64) {
        let (from, to) = self.dates();
        (
            local_midnight_ms(from),
            local_midnight_ms(to + TimeDelta::days(1)),
        )
    }

    /// The previous period of the same number of days.
    pub fn previous_period_ms(&self) -> (i64, i64) {
        let (from, _) = self.dates();
        (
            local_midnight_ms(from - TimeDelta::days(self.days())),
            local_midnight_ms(from),
        )
    }

    /// Start of each time slice (unix ms), oldest first: whole weeks, or whole months,
    /// counted back from the end of the period, so every slice is as long as the others
    /// and the last one ends with the period. Days before the first whole slice are not
    /// part of the emerging-hotspot analysis (they still count everywhere else).
    pub fn slice_starts_ms(&self) -> Vec<i64> {
        let (from, to) = self.dates();
        let end = to + TimeDelta::days(1);
        let mut starts = Vec::new();
        for n in 1.. {
            let start = match self.slice {
                Slice::Week => end - TimeDelta::days(7 * n),
                Slice::Month => months_before(end, n),
            };
            if start < from {
                break;
            }
            starts.push(local_midnight_ms(start));
        }
        starts.reverse();
        starts
    }

    /// Whether a report made at `at_ms` passes the weekday and hour filters.
    pub fn keeps_time(&self, at_ms: i64) -> bool {
        if self.weekdays.is_empty() && self.hour_from.is_none() && self.hour_to.is_none() {
            return true;
        }
        let Some(at) = from_unix_ms(at_ms) else {
            return false;
        };
        let local = in_stockholm(at);
        if !self.weekdays.is_empty()
            && !self
                .weekdays
                .contains(&(local.weekday().number_from_monday() as u8))
        {
            return false;
        }
        let hour = local.hour() as u8;
        match (self.hour_from, self.hour_to) {
            (Some(from), Some(to)) if from <= to => (from..=to).contains(&hour),
            (Some(from), Some(to)) => hour >= from || hour <= to,
            (Some(from), None) => hour >= from,
            (None, Some(to)) => hour <= to,
            (None, None) => true,
        }
    }

    /// What a role that sees only aggregates gets, whatever it asked: one whole, completed
    /// calendar month (the month of `to` if it is over, else the last one that is), every
    /// kind and category together, resolution [`PUBLIC_MAX_RESOLUTION`], no weekday or
    /// hour filters, no earlier `as_of`. The months form a partition and nothing else
    /// can be chosen, so no two requests cover sets of reports that differ by fewer than
    /// [`PUBLIC_MIN_COUNT`]: sliding, nesting or stretching a window into the future
    /// gives either the same month or a disjoint one. docs/hotspots.md gives the reasoning.
    pub fn for_aggregates(self, now: DateTime<Utc>) -> Params {
        let today = stockholm_date(now);
        let this_month = today.with_day(1).unwrap_or(today);
        let (_, asked_to) = self.dates();
        let last_day = if asked_to < this_month {
            months_before(asked_to.with_day(1).unwrap_or(asked_to), -1)
                .pred_opt()
                .unwrap_or(asked_to)
        } else {
            this_month.pred_opt().unwrap_or(this_month)
        };
        let first_day = last_day.with_day(1).unwrap_or(last_day);
        Params {
            kind: None,
            category: None,
            strategy_area: None,
            from: first_day.to_string(),
            to: last_day.to_string(),
            weekdays: Vec::new(),
            hour_from: None,
            hour_to: None,
            resolution: PUBLIC_MAX_RESOLUTION,
            k: 1,
            optimized: false,
            slice: Slice::Month,
            as_of: now.timestamp_millis(),
        }
    }

    /// The query that asks for exactly these parameters again.
    pub fn to_query(&self) -> SituationQuery {
        SituationQuery {
            kind: self.kind.map(|k| k.as_str().to_owned()),
            category: self.category.clone(),
            strategy_area: self.strategy_area.clone(),
            from: Some(self.from.clone()),
            to: Some(self.to.clone()),
            weekdays: (!self.weekdays.is_empty()).then(|| {
                self.weekdays
                    .iter()
                    .map(u8::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            }),
            hour_from: self.hour_from,
            hour_to: self.hour_to,
            resolution: Some(self.resolution),
            k: Some(self.k),
            analysis: Some(if self.optimized { "optimized" } else { "standard" }.to_owned()),
            slice: Some(
                match self.slice {
                    Slice::Week => "week",
                    Slice::Month => "month",
                }
                .to_owned(),
            ),
            as_of: Some(self.as_of),
        }
    }
}

/// The same day of the month `n` months earlier, or the month's last day if it is
/// shorter (31 March − 1 month = 28 or 29 February).
fn months_before(day: NaiveDate, n: i64) -> NaiveDate {
    let shifted = match u32::try_from(n) {
        Ok(back) => day.checked_sub_months(Months::new(back)),
        Err(_) => u32::try_from(-n)
            .ok()
            .and_then(|ahead| day.checked_add_months(Months::new(ahead))),
    };
    shifted.unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn defaults_are_the_last_four_weeks_at_resolution_nine() {
        let params = SituationQuery::default()
            .validate(at("2026-11-25T10:00:00Z"))
            .unwrap();
        assert_eq!(
            (params.from.as_str(), params.to.as_str()),
            ("2026-10-29", "2026-11-25")
        );
        assert_eq!((params.resolution, params.k, params.slice), (9, 1, Slice::Week));
        assert_eq!(params.days(), 28);
        let (start, end) = params.period_ms();
        let (prev_start, prev_end) = params.previous_period_ms();
        assert_eq!(prev_end, start);
        // The same number of days; summer time ended on 25 October, inside the previous
        // period, which therefore has one hour more.
        assert_eq!(end - start, 28 * 86_400_000);
        assert_eq!(prev_end - prev_start, 28 * 86_400_000 + 3_600_000);
        assert_eq!(params.slice_starts_ms().len(), 4);
        assert_eq!(
            params.slice_starts_ms()[0],
            start,
            "four whole weeks fill the period"
        );
    }

    #[test]
    fn bad_values_name_their_field() {
        let now = at("2026-11-25T10:00:00Z");
        let field = |query: SituationQuery| match query.validate(now) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let q = SituationQuery::default;
        assert_eq!(
            field(SituationQuery {
                from: Some("25/11".into()),
                ..q()
            }),
            "from"
        );
        assert_eq!(
            field(SituationQuery {
                from: Some("2026-12-01".into()),
                to: Some("2026-11-01".into()),
                ..q()
            }),
            "from"
        );
        assert_eq!(
            field(SituationQuery {
                resolution: Some(12),
                ..q()
            }),
            "resolution"
        );
        assert_eq!(
            field(SituationQuery {
                weekdays: Some("0,8".into()),
                ..q()
            }),
            "weekdays"
        );
        assert_eq!(
            field(SituationQuery {
                hour_to: Some(24),
                ..q()
            }),
            "hour_to"
        );
        assert_eq!(
            field(SituationQuery {
                kind: Some("rumours".into()),
                ..q()
            }),
            "kind"
        );
        assert_eq!(
            field(SituationQuery {
                slice: Some("year".into()),
                ..q()
            }),
            "slice"
        );
    }

    #[test]
    fn weekday_and_hour_filters_use_stockholm_time_and_wrap_past_midnight() {
        let night = SituationQuery {
            weekdays: Some("5,6".into()),
            hour_from: Some(22),
            hour_to: Some(3),
            ..Default::default()
        }
        .validate(at("2026-11-25T10:00:00Z"))
        .unwrap();
        let ms = |text: &str| at(text).timestamp_millis();
        // Friday 23:30 in Stockholm (22:30 UTC in winter).
        assert!(night.keeps_time(ms("2026-11-20T22:30:00Z")));
        // Saturday 02:00 local.
        assert!(night.keeps_time(ms("2026-11-21T01:00:00Z")));
        // Friday 12:00 local.
        assert!(!night.keeps_time(ms("2026-11-20T11:00:00Z")));
        // Thursday 23:30 local.
        assert!(!night.keeps_time(ms("2026-11-19T22:30:00Z")));
    }

    #[test]
    fn slices_are_whole_and_end_with_the_period_and_a_query_survives_the_round_trip() {
        let params = SituationQuery {
            from: Some("2026-01-15".into()),
            to: Some("2026-06-30".into()),
            slice: Some("month".into()),
            ..Default::default()
        }
        .validate(at("2026-11-25T10:00:00Z"))
        .unwrap();
        let starts = params.slice_starts_ms();
        let day = |m, d| local_midnight_ms(NaiveDate::from_ymd_opt(2026, m, d).unwrap());
        // Months back from 1 July: the half month of January is left out.
        assert_eq!(starts.len(), 5);
        assert_eq!(starts[0], day(2, 1));
        assert_eq!(starts[4], day(6, 1));
        let weeks = SituationQuery {
            from: Some("2026-11-01".into()),
            to: Some("2026-11-30".into()),
            ..Default::default()
        }
        .validate(at("2026-11-25T10:00:00Z"))
        .unwrap();
        // 30 days: four whole weeks ending with 30 November, not four and a stub.
        assert_eq!(weeks.slice_starts_ms().first(), Some(&day(11, 3)));
        assert_eq!(weeks.slice_starts_ms().len(), 4);
        assert_eq!(
            months_before(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(), 1).day(),
            28
        );
        let again = params.to_query().validate(at("2026-11-26T10:00:00Z")).unwrap();
        assert_eq!(again, params);
    }

    #[test]
    fn aggregates_come_only_for_whole_completed_months_without_narrow_filters() {
        let now = at("2026-11-25T10:00:00Z");
        let aggregated = |query: SituationQuery| query.validate(now).unwrap().for_aggregates(now);
        let narrow = aggregated(SituationQuery {
            kind: Some("drug_scene".into()),
            category: Some("drug.use".into()),
            from: Some("2026-11-20".into()),
            to: Some("2026-11-21".into()),
            weekdays: Some("5".into()),
            hour_from: Some(22),
            hour_to: Some(23),
            resolution: Some(11),
            as_of: Some(1),
            ..Default::default()
        });
        assert_eq!(
            (narrow.from.as_str(), narrow.to.as_str()),
            ("2026-10-01", "2026-10-31"),
            "the running month is not over: the last whole month instead"
        );
        assert!(narrow.weekdays.is_empty() && narrow.hour_from.is_none() && narrow.hour_to.is_none());
        assert!(narrow.kind.is_none() && narrow.category.is_none() && narrow.strategy_area.is_none());
        assert_eq!(narrow.resolution, PUBLIC_MAX_RESOLUTION);
        assert_eq!(narrow.as_of, now.timestamp_millis());
        // Sliding, nesting and future windows all land on whole months.
        let window = |from: &str, to: &str| {
            let params = aggregated(SituationQuery {
                from: Some(from.into()),
                to: Some(to.into()),
                ..Default::default()
            });
            (params.from, params.to)
        };
        let october = ("2026-10-01".to_owned(), "2026-10-31".to_owned());
        assert_eq!(window("2026-10-02", "2026-10-29"), october);
        assert_eq!(window("2026-10-03", "2026-10-30"), october);
        assert_eq!(window("2026-10-10", "2026-10-11"), october);
        assert_eq!(window("2026-11-01", "2027-06-30"), october, "no future");
        assert_eq!(
            window("2026-01-01", "2026-02-14"),
            ("2026-02-01".to_owned(), "2026-02-28".to_owned())
        );
    }

    #[test]
    fn far_off_dates_and_fine_cells_over_long_periods_are_refused() {
        let now = at("2026-11-25T10:00:00Z");
        let field = |query: SituationQuery| match query.validate(now) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(SituationQuery {
                to: Some("9999-12-31".into()),
                ..Default::default()
            }),
            "to"
        );
        assert_eq!(
            field(SituationQuery {
                from: Some("0001-01-01".into()),
                ..Default::default()
            }),
            "from"
        );
        assert_eq!(
            field(SituationQuery {
                resolution: Some(11),
                from: Some("2026-09-01".into()),
                ..Default::default()
            }),
            "resolution"
        );
        assert_eq!(
            field(SituationQuery {
                resolution: Some(11),
                k: Some(2),
                ..Default::default()
            }),
            "resolution"
        );
        assert!(SituationQuery {
            resolution: Some(11),
            ..Default::default()
        }
        .validate(now)
        .is_ok());
    }
}
