//! Many eyes (plan 4.3, the EST method): partner organisations' reporters' incident
//! reports (händelserapporter) and residents' tips, the coordinator's review that lets
//! them count, and what the reporter hears back. The organisations themselves, their
//! focus places and the weekly picture are `domain::partner`. Pure: the phone checks the
//! same rules before it queues a report.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::geo::{Bounds, LatLng};
use super::ids::IncidentId;
use super::observation::{check_accuracy, check_place, check_time, PositionSource, STRATEGY_AREAS};
use crate::error::AppError;
use crate::i18n::Lang;

/// Where a report is in its review.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for a coordinator: counts nowhere yet.
    Pending,
    /// Accepted (perhaps corrected): it counts in the lägesbild as an observation.
    Accepted,
    /// Rejected, with the reason given to the reporter.
    Rejected,
    /// The same thing as another report, which counts instead.
    Merged,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::Accepted,
        Status::Rejected,
        Status::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Merged => "merged",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Status::Pending => lang.pick("Väntar på granskning", "Waiting for review"),
            Status::Accepted => lang.pick(
                "Godkänd – räknas i lägesbilden",
                "Accepted – counts in the picture",
            ),
            Status::Rejected => lang.pick("Avvisad", "Rejected"),
            Status::Merged => lang.pick("Samma sak som en annan rapport", "The same as another report"),
        }
    }
}

/// Who sent a report.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A reporter of a partner organisation, signed in.
    Reporter,
    /// A resident, through the public form (`/tipsa`), without an account.
    Resident,
}

impl Source {
    pub const ALL: [Source; 2] = [Source::Reporter, Source::Resident];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Reporter => "reporter",
            Source::Resident => "resident",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Source::Reporter => lang.pick("Rapportör", "Reporter"),
            Source::Resident => lang.pick("Invånare", "Resident"),
        }
    }
}

super::code::codes!(Status, Source);

/// A report is a possible duplicate of an open one of the same category this close.
pub const DUPLICATE_RADIUS_M: f64 = 50.0;
/// A time span ("between 22 and 02") may be at most this long.
pub const MAX_SPAN: TimeDelta = TimeDelta::days(7);
pub const MAX_NOTE_CHARS: usize = 2000;

/// What a reporter's phone sends. The id is made on the phone, so a resend is the same
/// report.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewIncident {
    pub id: IncidentId,
    /// An incident category (`category` of kind `incident_report`), e.g. `incident.vandalism`.
    pub category: String,
    pub lat: f64,
    pub lng: f64,
    #[serde(default)]
    pub accuracy_m: Option<f64>,
    pub position_source: PositionSource,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub observed_at: DateTime<Utc>,
    /// The end of a time span, if the incident lasted or its time is not known exactly.
    #[serde(default, with = "crate::domain::clock::rfc3339_option")]
    pub observed_until: Option<DateTime<Utc>>,
    #[serde(default)]
    pub note: String,
}

impl NewIncident {
    /// Checks what can be checked without the database; names the field at fault.
    pub fn validate(&self, bounds: &Bounds, now: DateTime<Utc>) -> Result<(), AppError> {
        if self.id.0.is_nil() {
            return Err(AppError::invalid("id", "Id saknas.", "The id is missing."));
        }
        check_report(&self.category, self.lat, self.lng, &self.note, bounds)?;
        check_accuracy(self.accuracy_m)?;
        check_time(self.observed_at, "observed_at", now)?;
        if let Some(until) = self.observed_until {
            check_time(until, "observed_until", now)?;
            if until < self.observed_at || until - self.observed_at > MAX_SPAN {
                return Err(AppError::invalid(
                    "observed_until",
                    "Slutet ska ligga efter början och högst en vecka senare.",
                    "The end must come after the start and at most a week later.",
                ));
            }
        }
        Ok(())
    }
}

/// What a resident sends from the public form. Name and e-mail are optional and never
/// shown; the e-mail only tells them what became of the tip.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewTip {
    pub category: String,
    pub lat: f64,
    pub lng: f64,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
}

pub const MAX_CONTACT_CHARS: usize = 120;

impl NewTip {
    pub fn validate(&self, bounds: &Bounds) -> Result<(), AppError> {
        check_report(&self.category, self.lat, self.lng, &self.note, bounds)?;
        if self.note.trim().is_empty() {
            return Err(AppError::invalid(
                "note",
                "Beskriv kort vad som gör platsen otrygg.",
                "Describe briefly what makes the place unsafe.",
            ));
        }
        if self.name.chars().count() > MAX_CONTACT_CHARS || self.name.chars().any(char::is_control) {
            return Err(AppError::invalid(
                "name",
                "Namnet är för långt (högst 120 tecken).",
                "The name is too long (at most 120 characters).",
            ));
        }
        let email = self.email.trim();
        if !email.is_empty() && !super::user::looks_like_email(email) {
            return Err(AppError::invalid(
                "email",
                "Ange en giltig e-postadress, eller lämna fältet tomt.",
                "Enter a valid email address, or leave the field empty.",
            ));
        }
        Ok(())
    }
}

/// The rules a reporter's report and a resident's tip share.
fn check_report(category: &str, lat: f64, lng: f64, note: &str, bounds: &Bounds) -> Result<(), AppError> {
    if category.trim().is_empty() {
        return Err(AppError::invalid(
            "category",
            "Välj en kategori.",
            "Choose a category.",
        ));
    }
    check_place(lat, lng, bounds)?;
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::invalid(
            "note",
            "Anteckningen är för lång (högst 2 000 tecken).",
            "The note is too long (at most 2,000 characters).",
        ));
    }
    if has_personal_number(note) {
        return Err(AppError::invalid(
            "note",
            "Skriv inga personnummer (eller namn) i rapporten. Beskriv vad som hände, inte vem.",
            "Write no personal identity numbers (or names) in the report. Describe what happened, not who.",
        ));
    }
    Ok(())
}

/// Whether `text` holds what looks like a Swedish personal identity number (or a
/// co-ordination number): `YYMMDD-NNNN`, `YYYYMMDDNNNN` and the like, with a plausible
/// month and day and a right check digit.
pub fn has_personal_number(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_digit() || c == '-' || c == '+'))
        .any(|token| {
            let digits: String = token.chars().filter(char::is_ascii_digit).collect();
            let separators = token.chars().filter(|c| !c.is_ascii_digit()).count();
            let separated_before_last_four = separators == 0
                || (separators == 1
                    && token
                        .trim_matches(|c: char| !c.is_ascii_digit())
                        .chars()
                        .rev()
                        .nth(4)
                        .is_some_and(|c| c == '-' || c == '+'));
            let date = match digits.len() {
                10 => &digits[2..6],
                12 => &digits[4..8],
                _ => return false,
            };
            let month: u32 = date[..2].parse().unwrap_or(0);
            let day: u32 = date[2..].parse().unwrap_or(0);
            separated_before_last_four
                && (1..=12).contains(&month)
                && ((1..=31).contains(&day) || (61..=91).contains(&day))
                && luhn(&digits[digits.len() - 10..])
        })
}

/// The Luhn check the last digit of a personal identity number makes.
fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
            if d > 9 {
                d - 9
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// An incident report as those who may read it see it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// The reporter's own id for their reports; the stored id for everyone else.
    pub id: IncidentId,
    pub source: Source,
    /// The organisation's name; `None` for a resident's tip.
    pub organisation: Option<String>,
    pub category: String,
    pub category_label: String,
    pub lat: f64,
    pub lng: f64,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub observed_at: DateTime<Utc>,
    #[serde(default, with = "crate::domain::clock::rfc3339_option")]
    pub observed_until: Option<DateTime<Utc>>,
    pub note: String,
    pub status: Status,
    pub strategy_area: String,
    /// The report it was merged into, and the reports merged into it.
    pub duplicate_of: Option<IncidentId>,
    #[serde(default)]
    pub duplicates: Vec<IncidentId>,
    /// The reviewer's word to the reporter.
    pub decision_note: String,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub received_at: DateTime<Utc>,
    /// The named area it lies in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// A coordinator's decision on a report.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// It counts, with any corrections.
    Accept {
        #[serde(default)]
        category: Option<String>,
        #[serde(default)]
        lat: Option<f64>,
        #[serde(default)]
        lng: Option<f64>,
        #[serde(default)]
        strategy_area: Option<String>,
        #[serde(default)]
        note: String,
    },
    /// It does not count; `note` tells the reporter why.
    Reject {
        #[serde(default)]
        note: String,
    },
    /// It is the same thing as `into`, a report of the same kind; only that one counts.
    Merge {
        into: IncidentId,
        #[serde(default)]
        note: String,
    },
}

impl Decision {
    pub fn note(&self) -> &str {
        match self {
            Decision::Accept { note, .. } | Decision::Reject { note } | Decision::Merge { note, .. } => note,
        }
    }

    pub fn validate(&self, bounds: &Bounds) -> Result<(), AppError> {
        if self.note().chars().count() > MAX_NOTE_CHARS || has_personal_number(self.note()) {
            return Err(AppError::invalid(
                "note",
                "Meddelandet är för långt eller innehåller ett personnummer.",
                "The message is too long or holds a personal identity number.",
            ));
        }
        if let Decision::Accept {
            lat,
            lng,
            strategy_area,
            ..
        } = self
        {
            match (lat, lng) {
                (None, None) => {}
                (Some(lat), Some(lng))
                    if lat.is_finite()
                        && lng.is_finite()
                        && bounds.contains(LatLng { lat: *lat, lng: *lng }) => {}
                _ => {
                    return Err(AppError::invalid(
                        "lat",
                        "Den rättade platsen ligger utanför kommunen.",
                        "The corrected place is outside the municipality.",
                    ))
                }
            }
            if strategy_area
                .as_deref()
                .is_some_and(|area| !STRATEGY_AREAS.contains(&area))
            {
                return Err(AppError::invalid(
                    "strategy_area",
                    "Okänt strategiområde i handlingsplanen.",
                    "Unknown strategy area of the action plan.",
                ));
            }
        }
        Ok(())
    }
}

/// A report that may be the same thing as the one being made.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Nearby {
    pub id: IncidentId,
    pub category_label: String,
    pub distance_m: f64,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub observed_at: DateTime<Utc>,
    pub status: Status,
}

/// A report waiting for review, with the open reports nearby that may be the same thing.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Waiting {
    pub report: Incident,
    pub maybe_same: Vec<Nearby>,
}

/// A change of a report's status its reporter has not yet read.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub report: IncidentId,
    pub category_label: String,
    pub status: Status,
    pub decision_note: String,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> NewIncident {
        NewIncident {
            id: IncidentId::new(),
            category: "incident.vandalism".into(),
            lat: 59.52,
            lng: 17.64,
            accuracy_m: Some(10.0),
            position_source: PositionSource::Gps,
            observed_at: Utc::now() - TimeDelta::hours(2),
            observed_until: None,
            note: "Klotter på gaveln vid cykelstället".into(),
        }
    }

    fn field_of(result: Result<(), AppError>) -> String {
        match result {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_report_in_the_municipality_is_accepted_and_bad_fields_are_named() {
        let (bounds, now) = (Bounds::default(), Utc::now());
        assert_eq!(report().validate(&bounds, now), Ok(()));
        let outside = NewIncident {
            lat: 59.33,
            lng: 18.07,
            ..report()
        };
        assert_eq!(field_of(outside.validate(&bounds, now)), "lat");
        let future = NewIncident {
            observed_at: now + TimeDelta::hours(1),
            ..report()
        };
        assert_eq!(field_of(future.validate(&bounds, now)), "observed_at");
        let backwards = NewIncident {
            observed_until: Some(now - TimeDelta::hours(3)),
            ..report()
        };
        assert_eq!(field_of(backwards.validate(&bounds, now)), "observed_until");
        let long = NewIncident {
            observed_until: Some(now),
            observed_at: now - TimeDelta::days(8),
            ..report()
        };
        assert_eq!(field_of(long.validate(&bounds, now)), "observed_until");
        let no_category = NewIncident {
            category: " ".into(),
            ..report()
        };
        assert_eq!(field_of(no_category.validate(&bounds, now)), "category");
    }

    #[test]
    fn personal_identity_numbers_are_refused_but_times_and_phone_numbers_are_not() {
        for text in [
            "Han har 811218-9876",
            "pnr 198112189876",
            "19811218-9876 bor där",
            "701063-2391",
        ] {
            assert!(has_personal_number(text), "{text}");
        }
        for text in [
            "Ring 08-123 456 78",
            "kl 22-02",
            "Port 12, 2026-12-07",
            "0701234567",
            "1234567890",
        ] {
            assert!(!has_personal_number(text), "{text}");
        }
        let named = NewIncident {
            note: "Såg 811218-9876 vid porten".into(),
            ..report()
        };
        assert_eq!(field_of(named.validate(&Bounds::default(), Utc::now())), "note");
    }

    #[test]
    fn a_tip_needs_a_note_and_a_real_address_if_any() {
        let tip = NewTip {
            category: "incident.unsafe_place".into(),
            lat: 59.52,
            lng: 17.64,
            note: "Mörkt under bron".into(),
            ..NewTip::default()
        };
        assert_eq!(tip.validate(&Bounds::default()), Ok(()));
        let silent = NewTip {
            note: String::new(),
            ..tip.clone()
        };
        assert_eq!(field_of(silent.validate(&Bounds::default())), "note");
        let bad = NewTip {
            email: "inte en adress".into(),
            ..tip
        };
        assert_eq!(field_of(bad.validate(&Bounds::default())), "email");
    }
}
