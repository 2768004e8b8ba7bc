//! Patrol tasking (plan 6.2, "polisen ger grannstödsbilen fokusplatser"): the police mark
//! focus places for the grannstöd drivers, and the shift page shows them together with
//! the current burglary hotspots and the named areas patrol tracks have covered least in
//! the last 30 days.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::action::parse_date;
use super::geo::{Bounds, LatLng};
use super::ids::FocusPlaceId;
use crate::error::AppError;

pub const MAX_TITLE: usize = 200;
pub const MAX_NOTE: usize = 2_000;
pub const DEFAULT_RADIUS_M: f64 = 150.0;
pub const MIN_RADIUS_M: f64 = 25.0;
pub const MAX_RADIUS_M: f64 = 2_000.0;
/// How far back coverage and hotspots on the shift page look.
pub const TASKING_DAYS: i64 = 30;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewFocusPlace {
    /// Chosen by the client so a resend stores it once.
    #[serde(default)]
    pub id: Option<FocusPlaceId>,
    pub title: String,
    /// What to look for, e.g. "Inbrott i förråd, kolla dörrarna kvällstid".
    #[serde(default)]
    pub note: String,
    pub lat: f64,
    pub lng: f64,
    /// Metres around the point; 150 when not given.
    #[serde(default)]
    pub radius_m: Option<f64>,
    /// YYYY-MM-DD, the last day it applies; none until removed.
    #[serde(default)]
    pub until_on: Option<String>,
}

/// A focus place as one viewer may see it.
///
/// Police, coordinators and drivers who have signed the confidentiality agreement
/// (`domain::access::Capability::ReadExactFocusPlaces`) get it `exact`. Other drivers get it
/// generalised: title and note empty, and as position the centre and size of the
/// surrounding hexagon of about 5 km² (H3 resolution 7), so they know which part of the
/// municipality the police ask about and no more.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FocusPlace {
    pub id: FocusPlaceId,
    /// Whether position, title and note are the real ones (see the type's description).
    pub exact: bool,
    pub title: String,
    pub note: String,
    pub lat: f64,
    pub lng: f64,
    pub radius_m: f64,
    pub until_on: Option<String>,
    /// The named area it lies in; for a generalised place, the smallest named area at
    /// least as large as its hexagon that holds the hexagon's centre.
    pub place: Option<String>,
    pub marked_by: String,
}

/// A named area and how much patrol it has had.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub area: String,
    /// Track points recorded inside it in the last [`TASKING_DAYS`] days.
    pub track_points: u32,
    /// Track points per square kilometre: what makes a small and a large area comparable.
    pub per_km2: f64,
}

/// A hexagon hot for burglary-related reports, for the drivers.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BurglaryHotspot {
    pub h3: String,
    /// Corners as [lat, lng].
    pub boundary: Vec<[f64; 2]>,
    pub count: u32,
    pub place: Option<String>,
}

/// What the shift page shows the drivers about where to go.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tasking {
    pub focus_places: Vec<FocusPlace>,
    pub hotspots: Vec<BurglaryHotspot>,
    /// Named areas, least covered first.
    pub coverage: Vec<Coverage>,
}

/// A focus place checked: title trimmed, radius set, end date parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedFocusPlace {
    pub title: String,
    pub note: String,
    pub at: LatLng,
    pub radius_m: f64,
    pub until_on: Option<NaiveDate>,
}

impl NewFocusPlace {
    pub fn validate(&self, bounds: &Bounds, today: NaiveDate) -> Result<CheckedFocusPlace, AppError> {
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(AppError::invalid(
                "title",
                "Ge fokusplatsen en rubrik (högst 200 tecken).",
                "Give the focus place a title (at most 200 characters).",
            ));
        }
        let note = self.note.trim();
        if note.chars().count() > MAX_NOTE {
            return Err(AppError::invalid(
                "note",
                "Beskrivningen får vara högst 2 000 tecken.",
                "The description may be at most 2,000 characters.",
            ));
        }
        let at = LatLng {
            lat: self.lat,
            lng: self.lng,
        };
        if !self.lat.is_finite() || !self.lng.is_finite() || !bounds.contains(at) {
            return Err(AppError::invalid(
                "lat",
                "Platsen ligger utanför kommunen.",
                "The place lies outside the municipality.",
            ));
        }
        let radius_m = self.radius_m.unwrap_or(DEFAULT_RADIUS_M);
        if !(MIN_RADIUS_M..=MAX_RADIUS_M).contains(&radius_m) {
            return Err(AppError::invalid(
                "radius_m",
                &format!("Radien ska vara {MIN_RADIUS_M}–{MAX_RADIUS_M} meter."),
                &format!("The radius must be {MIN_RADIUS_M}–{MAX_RADIUS_M} metres."),
            ));
        }
        let until_on = match self.until_on.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(day) => {
                let day = parse_date("until_on", day)?;
                if day < today {
                    return Err(AppError::invalid(
                        "until_on",
                        "Sista dag kan inte ligga i det förflutna.",
                        "The last day cannot be in the past.",
                    ));
                }
                Some(day)
            }
        };
        Ok(CheckedFocusPlace {
            title: title.to_owned(),
            note: note.to_owned(),
            at,
            radius_m,
            until_on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> NewFocusPlace {
        NewFocusPlace {
            id: None,
            title: " Förråden vid Finnstagårdarna ".into(),
            note: "Kolla dörrarna kvällstid".into(),
            lat: 59.518,
            lng: 17.62,
            radius_m: None,
            until_on: Some("2026-12-31".into()),
        }
    }

    fn today() -> NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn a_good_place_gets_the_default_radius() {
        let checked = place().validate(&Bounds::default(), today()).unwrap();
        assert_eq!(checked.title, "Förråden vid Finnstagårdarna");
        assert_eq!(checked.radius_m, DEFAULT_RADIUS_M);
    }

    #[test]
    fn bad_places_are_refused_with_the_field_named() {
        let field = |place: NewFocusPlace| match place.validate(&Bounds::default(), today()) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(NewFocusPlace {
                title: " ".into(),
                ..place()
            }),
            "title"
        );
        assert_eq!(
            field(NewFocusPlace {
                lat: f64::NAN,
                ..place()
            }),
            "lat"
        );
        assert_eq!(
            field(NewFocusPlace {
                lat: 57.7,
                lng: 11.97,
                ..place()
            }),
            "lat"
        );
        assert_eq!(
            field(NewFocusPlace {
                radius_m: Some(5.0),
                ..place()
            }),
            "radius_m"
        );
        assert_eq!(
            field(NewFocusPlace {
                until_on: Some("2026-11-24".into()),
                ..place()
            }),
            "until_on"
        );
        assert_eq!(
            field(NewFocusPlace {
                until_on: Some("snart".into()),
                ..place()
            }),
            "until_on"
        );
    }
}
