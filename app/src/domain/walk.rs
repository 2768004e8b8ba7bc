//! Trygghetsvandring (safety walk, BRÅ's method, plan 4.2): what a coordinator plans,
//! and what participants and the protocol see.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::geo::LatLng;
use super::ids::WalkId;
use crate::error::AppError;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    Daylight,
    Dark,
}

impl Light {
    pub const ALL: [Light; 2] = [Light::Daylight, Light::Dark];

    pub fn as_str(self) -> &'static str {
        match self {
            Light::Daylight => "daylight",
            Light::Dark => "dark",
        }
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewWalk {
    /// Chosen by the form when it is shown, so a double tap or a resend plans the walk
    /// once; a new one when not given.
    #[serde(default)]
    pub id: Option<WalkId>,
    pub title: String,
    pub area: String,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub starts_at: DateTime<Utc>,
    pub light: Light,
    /// The planned route or stops, as the coordinator describes them.
    #[serde(default)]
    pub route: String,
    /// The route drawn on the map, corner by corner; empty when none was drawn.
    #[serde(default)]
    pub route_path: Vec<LatLng>,
    /// Invited groups (residents, Upplands-Brohus, youth workers…).
    #[serde(default)]
    pub invited: String,
    /// The earlier walk this one follows up (a re-walk), if any.
    #[serde(default)]
    pub previous_walk_id: Option<WalkId>,
}

impl NewWalk {
    pub fn validate(&self) -> Result<(), AppError> {
        if self.title.trim().is_empty() || self.title.chars().count() > 200 {
            return Err(AppError::invalid(
                "title",
                "Ge vandringen en titel (högst 200 tecken).",
                "Give the walk a title (at most 200 characters).",
            ));
        }
        if self.area.trim().is_empty() {
            return Err(AppError::invalid("area", "Ange område.", "Enter the area."));
        }
        check_route_path(&self.route_path)
    }
}

/// The most corners a drawn route may have: a walk of a few kilometres needs a few dozen.
pub const ROUTE_CORNERS_MAX: usize = 300;

/// A drawn route is a list of real places, at most [`ROUTE_CORNERS_MAX`] of them.
pub fn check_route_path(path: &[LatLng]) -> Result<(), AppError> {
    if path.len() > ROUTE_CORNERS_MAX {
        return Err(AppError::invalid(
            "route_path",
            "Rutten har för många punkter (högst 300). Rita den med färre tryck.",
            "The route has too many points (at most 300). Draw it with fewer taps.",
        ));
    }
    let real = |p: &LatLng| {
        p.lat.is_finite()
            && p.lng.is_finite()
            && (-90.0..=90.0).contains(&p.lat)
            && (-180.0..=180.0).contains(&p.lng)
    };
    if !path.iter().all(real) {
        return Err(AppError::invalid(
            "route_path",
            "Rutten innehåller en punkt som inte är en plats. Rita den igen.",
            "The route has a point that is not a place. Draw it again.",
        ));
    }
    Ok(())
}

/// The drawn route as the plan form sends it (the JSON of the corners, or nothing).
pub fn parse_route_path(text: &str) -> Result<Vec<LatLng>, AppError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let path: Vec<LatLng> = serde_json::from_str(text).map_err(|_| {
        AppError::invalid(
            "route_path",
            "Rutten på kartan kunde inte läsas. Rita den igen.",
            "The route on the map could not be read. Draw it again.",
        )
    })?;
    check_route_path(&path)?;
    Ok(path)
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Walk {
    pub id: WalkId,
    pub title: String,
    pub area: String,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub starts_at: DateTime<Utc>,
    pub light: Light,
    pub route: String,
    /// The route drawn on the map; empty when none was drawn.
    #[serde(default)]
    pub route_path: Vec<LatLng>,
    pub invited: String,
    /// Empty for those who may not plan walks (`ssr::walks`): the code lets anyone join.
    pub join_code: String,
    pub closed: bool,
    /// The earlier walk this one follows up, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_walk_id: Option<WalkId>,
}

/// One place of the walk before, in the re-walk's protocol.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RewalkPlace {
    /// What was found there before.
    pub before: super::observation::Observation,
    /// What was done about it (for those who keep actions).
    pub actions: Vec<super::action::Action>,
    /// What is found there now: the re-walk's findings within the distance.
    pub now: Vec<super::observation::Observation>,
}

/// A re-walk against the walk it follows up, place by place.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RewalkReport {
    pub previous: Walk,
    pub distance_m: f64,
    pub places: Vec<RewalkPlace>,
    /// Findings of the re-walk near no earlier one.
    pub new_findings: Vec<super::observation::Observation>,
}

/// How near a finding of a re-walk must lie to an earlier one to count as the same
/// place, when nothing else is asked for.
pub const REWALK_DISTANCE_M: f64 = 30.0;

/// Pairs the places of a re-walk with those of the walk before: for each earlier
/// finding, the findings now within `within_m`; and the findings now near none of them.
pub fn match_places(
    before: &[super::geo::LatLng],
    now: &[super::geo::LatLng],
    within_m: f64,
) -> (Vec<Vec<usize>>, Vec<usize>) {
    let near: Vec<Vec<usize>> = before
        .iter()
        .map(|earlier| {
            (0..now.len())
                .filter(|&i| earlier.distance_m(now[i]) <= within_m)
                .collect()
        })
        .collect();
    let new = (0..now.len())
        .filter(|&i| {
            !before
                .iter()
                .any(|earlier| earlier.distance_m(now[i]) <= within_m)
        })
        .collect();
    (near, new)
}

/// Join codes avoid letters and digits that are easy to mix up when read aloud.
pub const JOIN_CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
pub const JOIN_CODE_LEN: usize = 6;

/// A code as typed by a person: spaces and dashes dropped, case ignored.
pub fn normalise_join_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

super::code::codes!(Light);

#[cfg(test)]
mod rewalk_tests {
    use super::*;
    use crate::domain::geo::LatLng;

    #[test]
    fn places_pair_within_the_distance_and_the_rest_are_new() {
        let at = |north_m: f64| LatLng {
            lat: 59.5 + north_m / 111_195.0,
            lng: 17.6,
        };
        let before = [at(0.0), at(500.0)];
        let now = [at(12.0), at(-20.0), at(200.0)];
        let (near, new) = match_places(&before, &now, REWALK_DISTANCE_M);
        assert_eq!(near, vec![vec![0, 1], vec![]]);
        assert_eq!(new, vec![2]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawn_route_is_read_from_the_form_and_checked() {
        assert_eq!(parse_route_path("").unwrap(), Vec::new());
        assert_eq!(
            parse_route_path(r#"[{"lat":59.51,"lng":17.63},{"lat":59.52,"lng":17.64}]"#).unwrap(),
            vec![
                LatLng {
                    lat: 59.51,
                    lng: 17.63
                },
                LatLng {
                    lat: 59.52,
                    lng: 17.64
                }
            ]
        );
        for bad in ["Kyrkvägen", r#"[{"lat":91,"lng":17.6}]"#, r#"[{"lat":59.5}]"#] {
            let err = parse_route_path(bad).unwrap_err();
            assert!(err.message(crate::i18n::Lang::Sv).contains("Rita"), "{bad}");
        }
        let long = vec![LatLng { lat: 59.5, lng: 17.6 }; ROUTE_CORNERS_MAX + 1];
        assert!(check_route_path(&long).is_err());
        assert!(check_route_path(&long[..ROUTE_CORNERS_MAX]).is_ok());
    }

    #[test]
    fn typed_codes_are_forgiving() {
        assert_eq!(normalise_join_code(" abc-23 4 "), "ABC234");
    }
}
