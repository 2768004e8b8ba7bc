//! Observations: the common record behind walk findings (trygghetsvandring), patrol
//! observations (grannstödsbil) and open-drug-scene reports, and the rules a new one
//! must meet before it is stored. Pure: no I/O, so the phone can check the same rules.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::geo::{Bounds, LatLng};
use super::ids::{ObservationId, PhotoId, ShiftId, UserId, WalkId};
use crate::error::AppError;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    WalkFinding,
    PatrolObservation,
    DrugScene,
    /// A partner organisation's or a resident's incident report, once a coordinator has
    /// accepted it (`domain::incident`).
    IncidentReport,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::WalkFinding,
        Kind::PatrolObservation,
        Kind::DrugScene,
        Kind::IncidentReport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::WalkFinding => "walk_finding",
            Kind::PatrolObservation => "patrol_observation",
            Kind::DrugScene => "drug_scene",
            Kind::IncidentReport => "incident_report",
        }
    }

    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Kind::WalkFinding => lang.pick("Fynd från trygghetsvandring", "Safety-walk finding"),
            Kind::PatrolObservation => lang.pick("Grannstödsobservation", "Patrol observation"),
            Kind::DrugScene => lang.pick("Öppen drogscen", "Open drug scene"),
            Kind::IncidentReport => lang.pick("Händelserapport", "Incident report"),
        }
    }
}

/// Who may see a record: `Restricted` ones (drug scenes and the like) only police and
/// coordinators, and their own reporter.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    Internal,
    Restricted,
}

impl Sensitivity {
    pub const ALL: [Sensitivity; 2] = [Sensitivity::Internal, Sensitivity::Restricted];

    pub fn as_str(self) -> &'static str {
        match self {
            Sensitivity::Internal => "internal",
            Sensitivity::Restricted => "restricted",
        }
    }
}

/// How the position was set: by the phone's GPS, or by moving the pin by hand.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionSource {
    Gps,
    Manual,
}

impl PositionSource {
    pub const ALL: [PositionSource; 2] = [PositionSource::Gps, PositionSource::Manual];

    pub fn as_str(self) -> &'static str {
        match self {
            PositionSource::Gps => "gps",
            PositionSource::Manual => "manual",
        }
    }
}

/// When a drug scene is active.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeOfDay {
    Morning,
    Day,
    Evening,
    Night,
}

impl TimeOfDay {
    pub const ALL: [TimeOfDay; 4] = [
        TimeOfDay::Morning,
        TimeOfDay::Day,
        TimeOfDay::Evening,
        TimeOfDay::Night,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TimeOfDay::Morning => "morning",
            TimeOfDay::Day => "day",
            TimeOfDay::Evening => "evening",
            TimeOfDay::Night => "night",
        }
    }
}

/// What a phone sends for a new observation. The id is made on the phone (UUID v7) so
/// that sending the same observation again can never create a second one.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewObservation {
    pub id: ObservationId,
    pub kind: Kind,
    pub category: String,
    #[serde(default)]
    pub note: String,
    pub lat: f64,
    pub lng: f64,
    pub accuracy_m: Option<f64>,
    pub position_source: PositionSource,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub observed_at: DateTime<Utc>,
    pub walk_id: Option<WalkId>,
    pub shift_id: Option<ShiftId>,
    /// How safe the place feels, 0 (very unsafe) to 3 (safe); walk findings only.
    pub rating: Option<i64>,
    pub time_of_day: Option<TimeOfDay>,
}

/// The strategy areas of the action plan that the map feeds (see docs/domain.md). Areas 5 and
/// 7 work with named individuals and are deliberately absent.
pub const STRATEGY_AREAS: [&str; 12] = [
    "2", "3", "4.1", "4.2", "4.3", "4.4", "6.1", "6.2", "9.1", "9.2", "10", "11",
];

/// The name of a strategy area of the plan, for tables and filters.
pub fn strategy_area_label(code: &str, lang: crate::i18n::Lang) -> &'static str {
    match code {
        "2" => lang.pick("Gemensam kapacitet och målbild", "Shared capacity and goals"),
        "3" => lang.pick("Ett tryggt Upplands-Bro", "A safe Upplands-Bro"),
        "4.1" => lang.pick("Krogtillsyn", "Licensed premises"),
        "4.2" => lang.pick("Trygghetsvandring", "Safety walks"),
        "4.3" => lang.pick("Lägesbild", "Situational picture"),
        "4.4" => lang.pick("Kamerabevakning", "Camera surveillance"),
        "6.1" => lang.pick("Inbrott: grannsamverkan", "Burglary: neighbourhood watch"),
        "6.2" => lang.pick("Inbrott: grannstöd", "Burglary: volunteer patrol"),
        "9.1" | "9.2" => lang.pick("Vapen och dödligt våld", "Weapons and lethal violence"),
        "10" => lang.pick(
            "Droghandel och öppna drogscener",
            "Drug trade and open drug scenes",
        ),
        "11" => lang.pick("Gängkriminalitet", "Gang crime"),
        "" => lang.pick("Alla", "All"),
        _ => lang.pick("Övrigt", "Other"),
    }
}

/// Where an observation is in its follow-up.
pub const STATUSES: [&str; 4] = ["new", "acknowledged", "actioned", "closed"];

/// A coordinator's correction of how an observation is filed.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reclassify {
    pub strategy_area: Option<String>,
    pub status: Option<String>,
}

impl Reclassify {
    pub fn validate(&self) -> Result<(), AppError> {
        if let Some(area) = &self.strategy_area {
            if !STRATEGY_AREAS.contains(&area.as_str()) {
                return Err(AppError::invalid(
                    "strategy_area",
                    "Okänt strategiområde i handlingsplanen.",
                    "Unknown strategy area of the action plan.",
                ));
            }
        }
        if let Some(status) = &self.status {
            if !STATUSES.contains(&status.as_str()) {
                return Err(AppError::invalid(
                    "status",
                    "Okänd status (new, acknowledged, actioned, closed).",
                    "Unknown status (new, acknowledged, actioned, closed).",
                ));
            }
        }
        Ok(())
    }
}

/// Clocks on phones drift; an observation may be this far in the future.
pub const CLOCK_SKEW: chrono::TimeDelta = chrono::TimeDelta::minutes(10);
/// An outbox may hold observations for a long time, but not for ever.
pub const MAX_AGE: chrono::TimeDelta = chrono::TimeDelta::days(365);
pub const MAX_NOTE_CHARS: usize = 4000;
/// Beyond this a GPS fix says nothing useful about the place.
pub const MAX_ACCURACY_M: f64 = 10_000.0;

/// A reported place: a real position inside the municipality.
pub fn check_place(lat: f64, lng: f64, bounds: &Bounds) -> Result<(), AppError> {
    if !lat.is_finite() || !lng.is_finite() {
        return Err(AppError::invalid(
            "lat",
            "Platsen saknas.",
            "The place is missing.",
        ));
    }
    if !bounds.contains(LatLng { lat, lng }) {
        return Err(AppError::invalid(
            "lat",
            "Platsen ligger utanför kommunen. Flytta nålen till rätt plats.",
            "The place is outside the municipality. Move the pin to the right place.",
        ));
    }
    Ok(())
}

/// A GPS fix's accuracy, when the phone gave one.
pub fn check_accuracy(accuracy_m: Option<f64>) -> Result<(), AppError> {
    match accuracy_m {
        Some(accuracy) if !accuracy.is_finite() || !(0.0..=MAX_ACCURACY_M).contains(&accuracy) => {
            Err(AppError::invalid(
                "accuracy_m",
                "Noggrannheten måste vara mellan 0 och 10 000 meter.",
                "The accuracy must be between 0 and 10,000 metres.",
            ))
        }
        _ => Ok(()),
    }
}

/// When something was seen: not in the future beyond a phone's clock drift, and not
/// older than an outbox may keep it.
pub fn check_time(at: DateTime<Utc>, field: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    if at > now + CLOCK_SKEW {
        return Err(AppError::invalid(
            field,
            "Tiden ligger i framtiden. Kontrollera telefonens klocka.",
            "The time is in the future. Check the phone's clock.",
        ));
    }
    if at < now - MAX_AGE {
        return Err(AppError::invalid(
            field,
            "Tiden ligger mer än ett år bakåt.",
            "The time is more than a year ago.",
        ));
    }
    Ok(())
}

impl NewObservation {
    /// Checks what can be checked without the database; names the field at fault.
    pub fn validate(&self, bounds: &Bounds, now: DateTime<Utc>) -> Result<(), AppError> {
        if self.id.is_nil() {
            return Err(AppError::invalid("id", "Id saknas.", "The id is missing."));
        }
        if self.kind == Kind::IncidentReport {
            return Err(AppError::invalid(
                "kind",
                "Händelserapporter skickas som händelserapporter och granskas innan de räknas.",
                "Incident reports are sent as incident reports and reviewed before they count.",
            ));
        }
        if self.category.trim().is_empty() {
            return Err(AppError::invalid(
                "category",
                "Välj en kategori.",
                "Choose a category.",
            ));
        }
        check_place(self.lat, self.lng, bounds)?;
        check_accuracy(self.accuracy_m)?;
        check_time(self.observed_at, "observed_at", now)?;
        if self.note.chars().count() > MAX_NOTE_CHARS {
            return Err(AppError::invalid(
                "note",
                "Anteckningen är för lång (högst 4 000 tecken).",
                "The note is too long (at most 4,000 characters).",
            ));
        }
        match (self.kind, self.rating) {
            (_, Some(rating)) if !(0..=3).contains(&rating) => Err(AppError::invalid(
                "rating",
                "Betyget ska vara 0–3.",
                "The rating must be 0–3.",
            )),
            (Kind::WalkFinding, _) if self.walk_id.is_none() => Err(AppError::invalid(
                "walk_id",
                "Fyndet hör inte till någon vandring.",
                "The finding belongs to no walk.",
            )),
            (Kind::PatrolObservation, _) if self.shift_id.is_none() => Err(AppError::invalid(
                "shift_id",
                "Observationen hör inte till något pass.",
                "The observation belongs to no shift.",
            )),
            _ => Ok(()),
        }
    }
}

/// An observation as a reader may see it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub id: ObservationId,
    pub kind: Kind,
    pub category: String,
    pub note: String,
    pub lat: f64,
    pub lng: f64,
    pub accuracy_m: Option<f64>,
    pub position_source: PositionSource,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub observed_at: DateTime<Utc>,
    pub reporter_id: UserId,
    pub walk_id: Option<WalkId>,
    pub shift_id: Option<ShiftId>,
    pub rating: Option<i64>,
    pub time_of_day: Option<TimeOfDay>,
    pub strategy_area: String,
    pub sensitivity: Sensitivity,
    pub status: String,
    pub photo_ids: Vec<PhotoId>,
    /// The named area it lies in (`domain::area`), worked out when it is read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

super::code::codes!(Kind, Sensitivity, PositionSource, TimeOfDay);

#[cfg(test)]
mod tests {
    use super::*;

    fn finding() -> NewObservation {
        NewObservation {
            id: ObservationId::new(),
            kind: Kind::WalkFinding,
            category: "walk.lighting".into(),
            note: String::new(),
            lat: 59.52,
            lng: 17.64,
            accuracy_m: Some(8.0),
            position_source: PositionSource::Gps,
            observed_at: Utc::now(),
            walk_id: Some(WalkId::new()),
            shift_id: None,
            rating: Some(1),
            time_of_day: None,
        }
    }

    fn field_of(result: Result<(), AppError>) -> String {
        match result {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_finding_in_upplands_bro_is_accepted() {
        assert_eq!(finding().validate(&Bounds::default(), Utc::now()), Ok(()));
    }

    #[test]
    fn bad_fields_are_named() {
        let now = Utc::now();
        let bounds = Bounds::default();
        let stockholm = NewObservation {
            lat: 59.33,
            lng: 18.07,
            ..finding()
        };
        assert_eq!(field_of(stockholm.validate(&bounds, now)), "lat");
        let negative = NewObservation {
            accuracy_m: Some(-1.0),
            ..finding()
        };
        assert_eq!(field_of(negative.validate(&bounds, now)), "accuracy_m");
        let future = NewObservation {
            observed_at: now + chrono::TimeDelta::hours(1),
            ..finding()
        };
        assert_eq!(field_of(future.validate(&bounds, now)), "observed_at");
        let rating = NewObservation {
            rating: Some(4),
            ..finding()
        };
        assert_eq!(field_of(rating.validate(&bounds, now)), "rating");
        let orphan = NewObservation {
            walk_id: None,
            ..finding()
        };
        assert_eq!(field_of(orphan.validate(&bounds, now)), "walk_id");
    }

    #[test]
    fn a_slightly_fast_phone_clock_is_tolerated() {
        let now = Utc::now();
        let early = NewObservation {
            observed_at: now + chrono::TimeDelta::minutes(5),
            ..finding()
        };
        assert_eq!(early.validate(&Bounds::default(), now), Ok(()));
    }
}
