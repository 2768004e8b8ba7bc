//! Retention (gallring): how long raw records are kept, and what is left of them after.
//!
//! Each kind of record has its own period, set by an admin within bounds (defaults in
//! [`Retention::default`], reasons in docs/security.md). Periods are whole months and end
//! at the start of a Stockholm calendar month, so one run of the job takes whole months
//! and the counts it keeps for a month are complete. What is kept is a count per cell,
//! month, kind and category, and only where it is at least [`MIN_KEPT`].

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::clock::{from_unix_ms, in_stockholm, local_midnight_ms};
use crate::error::AppError;

/// The smallest count kept after raw reports are deleted (docs/hotspots.md).
pub const MIN_KEPT: i64 = 3;
/// The longest period an admin may set: ten years.
pub const MAX_MONTHS: u32 = 120;

/// Retention periods in months.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// Open drug-scene reports: restricted, pointing at crime; a year covers the
    /// lägesbild's longest view and a year-on-year comparison.
    pub drug_scene_months: u32,
    /// Grannstöd observations.
    pub patrol_months: u32,
    /// Walk findings, with the walk's participants: a walk's protocol is followed up by a
    /// re-walk, often a year or two later.
    pub walk_months: u32,
    /// The routes driven on patrol shifts (track points): where a volunteer was and when.
    pub track_months: u32,
    /// The audit log itself.
    pub audit_months: u32,
    /// Partner organisations' incident reports and residents' tips, reviewed or not, with
    /// what their reporters were told: two years, for the comparison with last year
    /// EST's analyses make.
    #[serde(default = "default_incident_months")]
    pub incident_months: u32,
}

fn default_incident_months() -> u32 {
    24
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            drug_scene_months: 12,
            patrol_months: 24,
            walk_months: 36,
            track_months: 6,
            audit_months: 36,
            incident_months: default_incident_months(),
        }
    }
}

impl Retention {
    pub fn fields(&self) -> [(&'static str, u32); 6] {
        [
            ("drug_scene_months", self.drug_scene_months),
            ("patrol_months", self.patrol_months),
            ("walk_months", self.walk_months),
            ("track_months", self.track_months),
            ("audit_months", self.audit_months),
            ("incident_months", self.incident_months),
        ]
    }

    /// Sets the period called `field`; `false` if there is no such period.
    pub fn set(&mut self, field: &str, months: u32) -> bool {
        let period = match field {
            "drug_scene_months" => &mut self.drug_scene_months,
            "patrol_months" => &mut self.patrol_months,
            "walk_months" => &mut self.walk_months,
            "track_months" => &mut self.track_months,
            "audit_months" => &mut self.audit_months,
            "incident_months" => &mut self.incident_months,
            _ => return false,
        };
        *period = months;
        true
    }

    /// Every period 1–120 months.
    pub fn validate(&self) -> Result<(), AppError> {
        for (field, months) in self.fields() {
            if !(1..=MAX_MONTHS).contains(&months) {
                return Err(AppError::invalid(
                    field,
                    "Ange en tid mellan 1 och 120 månader.",
                    "Give a period between 1 and 120 months.",
                ));
            }
        }
        Ok(())
    }
}

/// The first instant kept: records from before it (unix ms) are past a period of `months`
/// that ends at `now`. It is the start of the Stockholm month `months` months before the
/// month of `now`.
pub fn cutoff_ms(now: DateTime<Utc>, months: u32) -> i64 {
    let local = in_stockholm(now);
    let index = i64::from(local.year()) * 12 + i64::from(local.month()) - 1 - i64::from(months);
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    let first = NaiveDate::from_ymd_opt(year as i32, month as u32, 1).unwrap_or(NaiveDate::MIN);
    local_midnight_ms(first)
}

/// The Stockholm month (`YYYY-MM`) of an instant in unix ms.
pub fn month_of(ms: i64) -> String {
    let local = in_stockholm(from_unix_ms(ms).unwrap_or(DateTime::UNIX_EPOCH));
    format!("{:04}-{:02}", local.year(), local.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> DateTime<Utc> {
        from_unix_ms(ms).unwrap()
    }

    #[test]
    fn a_period_ends_at_the_start_of_a_stockholm_month() {
        // 26 November 2026, 12 months back: kept from 1 November 2025, 00:00 in Stockholm
        // (winter time, UTC+1).
        let cut = cutoff_ms(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 26)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap()
                .and_utc(),
            12,
        );
        assert_eq!(
            at(cut),
            chrono::NaiveDate::from_ymd_opt(2025, 10, 31)
                .unwrap()
                .and_hms_opt(23, 0, 0)
                .unwrap()
                .and_utc()
        );
        // Six months back from March: September, in summer time (UTC+2).
        let cut = cutoff_ms(
            chrono::NaiveDate::from_ymd_opt(2027, 2, 28)
                .unwrap()
                .and_hms_opt(23, 30, 0)
                .unwrap()
                .and_utc(),
            6,
        );
        assert_eq!(
            at(cut),
            chrono::NaiveDate::from_ymd_opt(2026, 8, 31)
                .unwrap()
                .and_hms_opt(22, 0, 0)
                .unwrap()
                .and_utc()
        );
        // Just after midnight on the 1st in Stockholm, still the 31st in UTC: the month is
        // Stockholm's.
        let cut = cutoff_ms(
            chrono::NaiveDate::from_ymd_opt(2026, 12, 31)
                .unwrap()
                .and_hms_opt(23, 30, 0)
                .unwrap()
                .and_utc(),
            1,
        );
        assert_eq!(
            at(cut),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
                .unwrap()
                .and_hms_opt(23, 0, 0)
                .unwrap()
                .and_utc()
        );
        assert_eq!(month_of(cut), "2026-12");
        assert_eq!(month_of(cut - 1), "2026-11");
    }

    #[test]
    fn periods_are_one_to_a_hundred_and_twenty_months() {
        assert!(Retention::default().validate().is_ok());
        let mut retention = Retention::default();
        assert!(retention.set("track_months", 0));
        assert!(
            matches!(retention.validate(), Err(AppError::Invalid { field, .. }) if field == "track_months")
        );
        assert!(retention.set("track_months", 121));
        assert!(retention.validate().is_err());
        assert!(retention.set("track_months", 120));
        assert!(retention.validate().is_ok());
    }
}
