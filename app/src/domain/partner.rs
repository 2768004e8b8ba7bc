//! Partner organisations (plan 4.3: "skola, fritidsverksamhet, fastighetsbolag, lokalt
//! näringsliv, socialtjänst, räddningstjänst och kommunens fältpersonal"), the focus
//! places the weekly lägesbild sets for them, and the weekly picture itself (EST). Pure.

use serde::{Deserialize, Serialize};

use super::ids::OrganisationId;
use super::incident::has_personal_number;
use crate::error::AppError;
use crate::i18n::Lang;

/// The kinds of partner the plan names (4.3): "skola, fritidsverksamhet, fastighetsbolag,
/// lokalt näringsliv, socialtjänst, räddningstjänst och kommunens fältpersonal".
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    Housing,
    Security,
    School,
    Leisure,
    SocialServices,
    RescueServices,
    FieldStaff,
    Business,
    Other,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 9] = [
        OrganisationKind::Housing,
        OrganisationKind::Security,
        OrganisationKind::School,
        OrganisationKind::Leisure,
        OrganisationKind::SocialServices,
        OrganisationKind::RescueServices,
        OrganisationKind::FieldStaff,
        OrganisationKind::Business,
        OrganisationKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationKind::Housing => "housing",
            OrganisationKind::Security => "security",
            OrganisationKind::School => "school",
            OrganisationKind::Leisure => "leisure",
            OrganisationKind::SocialServices => "social_services",
            OrganisationKind::RescueServices => "rescue_services",
            OrganisationKind::FieldStaff => "field_staff",
            OrganisationKind::Business => "business",
            OrganisationKind::Other => "other",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            OrganisationKind::Housing => lang.pick("Fastighetsbolag", "Housing company"),
            OrganisationKind::Security => lang.pick("Bevakningsföretag", "Security company"),
            OrganisationKind::School => lang.pick("Skola", "School"),
            OrganisationKind::Leisure => lang.pick("Fritidsverksamhet", "Leisure services"),
            OrganisationKind::SocialServices => lang.pick("Socialtjänst", "Social services"),
            OrganisationKind::RescueServices => lang.pick("Räddningstjänst", "Rescue services"),
            OrganisationKind::FieldStaff => {
                lang.pick("Kommunens fältpersonal och brobyggare", "Municipal field staff")
            }
            OrganisationKind::Business => lang.pick("Lokalt näringsliv", "Local business"),
            OrganisationKind::Other => lang.pick("Annan", "Other"),
        }
    }
}

/// A partner organisation as its list shows it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    pub kind: OrganisationKind,
    /// A deactivated organisation's reporters can no longer send reports; what they sent
    /// stays.
    pub active: bool,
    /// How many reporters it has.
    pub reporters: i64,
}

pub const MAX_NAME_CHARS: usize = 120;

/// A new partner organisation, or a change of one (`active` is ignored for a new one).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationForm {
    pub name: String,
    pub kind: OrganisationKind,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl OrganisationForm {
    pub fn validate(&self) -> Result<(), AppError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
            return Err(AppError::invalid(
                "name",
                "Ge organisationen ett namn (högst 120 tecken).",
                "Give the organisation a name (at most 120 characters).",
            ));
        }
        Ok(())
    }
}

super::code::codes!(OrganisationKind);

/// How many weeks the weekly picture shows: this one and the four before, as an EST
/// meeting compares them.
pub const WEEKS_SHOWN: usize = 5;

/// One line of the weekly picture: a category, an organisation or a named area, with its
/// accepted reports per week (oldest first, this week last).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeekLine {
    pub label: String,
    pub counts: Vec<u32>,
}

impl WeekLine {
    /// More this week than the average of the weeks before (and at least two more).
    pub fn growing(&self) -> bool {
        let Some((&now, before)) = self.counts.split_last() else {
            return false;
        };
        let earlier = before.iter().sum::<u32>() as f64 / before.len().max(1) as f64;
        f64::from(now) >= earlier + 2.0
    }
}

/// The weekly picture (EST's weekly inventory): accepted reports by category, by
/// organisation and by named area, this week against the four before.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Weekly {
    /// The Monday of each week shown, oldest first.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>))]
    pub weeks: Vec<chrono::NaiveDate>,
    pub by_category: Vec<WeekLine>,
    pub by_organisation: Vec<WeekLine>,
    pub by_area: Vec<WeekLine>,
}

impl Weekly {
    /// The picture as CSV for Swedish Excel: one row per line, a column per week.
    pub fn to_csv(&self) -> String {
        use chrono::Datelike;
        let mut csv = String::from("\u{feff}grupp;namn");
        for week in &self.weeks {
            csv += &format!(";v{}", week.iso_week().week());
        }
        csv += "\r\n";
        for (group, lines) in [
            ("kategori", &self.by_category),
            ("organisation", &self.by_organisation),
            ("område", &self.by_area),
        ] {
            for line in lines {
                csv += &format!("{group};{}", super::shift::csv_field(&line.label));
                for count in &line.counts {
                    csv += &format!(";{count}");
                }
                csv += "\r\n";
            }
        }
        csv
    }
}

/// One of a partner organisation's focus places for a week: where its reporters look
/// more closely, as the weekly lägesbild decided.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FocusPlace {
    pub id: uuid::Uuid,
    pub organisation: OrganisationId,
    /// A named area (or an address) in words.
    pub place: String,
    /// What to look for there.
    pub note: String,
    /// The Monday of the week it is for.
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Date))]
    pub week_of: chrono::NaiveDate,
}

/// A new focus place; without `week_of`, for next week.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewFocusPlace {
    pub place: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, format = Date))]
    pub week_of: Option<chrono::NaiveDate>,
}

/// The Monday of the week `day` lies in.
pub fn monday_of(day: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()))
}

impl NewFocusPlace {
    /// Checks the words and gives the Monday of the week it is for: `week_of` moved to its
    /// Monday, or next week's; never a week already past.
    pub fn validate(&self, today: chrono::NaiveDate) -> Result<chrono::NaiveDate, AppError> {
        let place = self.place.trim();
        if place.is_empty() || place.chars().count() > MAX_NAME_CHARS || place.chars().any(char::is_control) {
            return Err(AppError::invalid(
                "place",
                "Ange platsen (högst 120 tecken).",
                "Give the place (at most 120 characters).",
            ));
        }
        if self.note.chars().count() > 500 || has_personal_number(&self.note) {
            return Err(AppError::invalid(
                "note",
                "Beskrivningen är för lång eller innehåller ett personnummer.",
                "The description is too long or holds a personal identity number.",
            ));
        }
        let this_week = monday_of(today);
        let week = self
            .week_of
            .map(monday_of)
            .unwrap_or(this_week + chrono::Days::new(7));
        if week < this_week {
            return Err(AppError::invalid(
                "week_of",
                "Veckan har redan varit.",
                "That week is already past.",
            ));
        }
        Ok(week)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(result: Result<(), AppError>) -> String {
        match result {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_focus_place_is_for_next_week_unless_a_later_week_is_given() {
        let thursday = chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        let monday = |d| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let focus = NewFocusPlace {
            place: "Bro centrum".into(),
            ..NewFocusPlace::default()
        };
        assert_eq!(focus.validate(thursday), Ok(monday(14)));
        let this_week = NewFocusPlace {
            week_of: Some(thursday),
            ..focus.clone()
        };
        assert_eq!(this_week.validate(thursday), Ok(monday(7)));
        let past = NewFocusPlace {
            week_of: Some(monday(1) - chrono::Days::new(7)),
            ..focus
        };
        assert_eq!(field_of(past.validate(thursday).map(|_| ())), "week_of");
    }
}
