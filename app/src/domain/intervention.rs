//! Insatser (plan 10: "effekt av insatserna ska mätas genom aktiv kartläggning"): a joint
//! effort in an area over a period, and its effect report — reports inside the area
//! before and during the effort against a comparison ring around it
//! (difference-in-differences, `hotspot::effect`, method in docs/hotspots.md).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::action::parse_date;
use super::area::{NewArea, Shape};
use super::geo::{Bounds, LatLng};
use super::ids::InterventionId;
use super::observation::STRATEGY_AREAS;
use crate::error::AppError;
use crate::i18n::Lang;

pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 4_000;
pub const MIN_RADIUS_M: f64 = 25.0;
pub const MAX_RADIUS_M: f64 = 5_000.0;
/// The comparison ring's width when none is asked for.
pub const DEFAULT_RING_M: f64 = 500.0;
pub const MIN_RING_M: f64 = 100.0;
pub const MAX_RING_M: f64 = 3_000.0;

/// Where the effort is: a drawn polygon or a circle around a place.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum Zone {
    Polygon {
        /// GeoJSON Polygon or MultiPolygon.
        #[cfg_attr(feature = "ssr", schema(value_type = Object))]
        geometry: Value,
    },
    Circle {
        lat: f64,
        lng: f64,
        radius_m: f64,
    },
}

/// A zone read and checked, ready to say what lies inside it and in its ring.
#[derive(Clone, Debug, PartialEq)]
pub enum Place {
    Polygon(Shape),
    Circle { centre: LatLng, radius_m: f64 },
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewIntervention {
    #[serde(default)]
    pub id: Option<InterventionId>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub strategy_area: String,
    /// The focus problem it serves, in words.
    #[serde(default)]
    pub focus: String,
    /// Count only this category; all of the strategy area's when empty.
    #[serde(default)]
    pub category: String,
    pub zone: Zone,
    /// YYYY-MM-DD, the first day.
    pub starts_on: String,
    /// YYYY-MM-DD, the last day; none while it goes on.
    #[serde(default)]
    pub ends_on: Option<String>,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Intervention {
    pub id: InterventionId,
    pub title: String,
    pub description: String,
    pub strategy_area: String,
    pub focus: String,
    pub category: String,
    pub zone: Zone,
    pub starts_on: String,
    pub ends_on: Option<String>,
}

/// The checked parts of a new intervention.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub title: String,
    pub place: Place,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

fn invalid(field: &str, sv: &str, en: &str) -> AppError {
    AppError::invalid(field, sv, en)
}

impl NewIntervention {
    pub fn validate(&self, bounds: &Bounds) -> Result<Checked, AppError> {
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(invalid(
                "title",
                &format!("Ge insatsen en rubrik (högst {MAX_TITLE} tecken)."),
                &format!("Give the intervention a title (at most {MAX_TITLE} characters)."),
            ));
        }
        for (field, text) in [("description", &self.description), ("focus", &self.focus)] {
            if text.chars().count() > MAX_TEXT {
                return Err(invalid(
                    field,
                    &format!("Texten får vara högst {MAX_TEXT} tecken."),
                    &format!("The text may be at most {MAX_TEXT} characters."),
                ));
            }
        }
        if !STRATEGY_AREAS.contains(&self.strategy_area.as_str()) {
            return Err(invalid(
                "strategy_area",
                "Okänt strategiområde.",
                "Unknown strategy area.",
            ));
        }
        let starts_on = parse_date("starts_on", &self.starts_on)?;
        let ends_on = self
            .ends_on
            .as_deref()
            .filter(|value| !value.trim().is_empty())
            .map(|value| parse_date("ends_on", value))
            .transpose()?;
        if ends_on.is_some_and(|end| end < starts_on) {
            return Err(invalid(
                "ends_on",
                "Insatsen kan inte sluta innan den börjar.",
                "The intervention cannot end before it starts.",
            ));
        }
        let place = match &self.zone {
            Zone::Circle { lat, lng, radius_m } => {
                let centre = LatLng { lat: *lat, lng: *lng };
                if !bounds.contains(centre) {
                    return Err(invalid(
                        "zone",
                        "Platsen ligger utanför kommunen.",
                        "The place lies outside the municipality.",
                    ));
                }
                if !(MIN_RADIUS_M..=MAX_RADIUS_M).contains(radius_m) {
                    return Err(invalid(
                        "zone",
                        &format!("Radien ska vara {MIN_RADIUS_M}–{MAX_RADIUS_M} meter."),
                        &format!("The radius must be {MIN_RADIUS_M}–{MAX_RADIUS_M} metres."),
                    ));
                }
                Place::Circle {
                    centre,
                    radius_m: *radius_m,
                }
            }
            Zone::Polygon { geometry } => {
                let as_area = NewArea {
                    name: title.to_owned(),
                    kind: super::area::AreaKind::Named,
                    geometry: geometry.clone(),
                };
                let (_, shape) = as_area.validate(bounds).map_err(|err| match err {
                    AppError::Invalid { sv, en, .. } => AppError::Invalid {
                        field: "zone".into(),
                        sv,
                        en,
                    },
                    other => other,
                })?;
                Place::Polygon(shape)
            }
        };
        Ok(Checked {
            title: title.to_owned(),
            place,
            starts_on,
            ends_on,
        })
    }
}

/// Where a report lies relative to an intervention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Inside,
    /// In the comparison ring: outside, at most the ring's width from the edge.
    Ring,
    Outside,
}

impl Place {
    pub fn side(&self, point: LatLng, ring_m: f64) -> Side {
        match self {
            Place::Circle { centre, radius_m } => {
                let distance = centre.distance_m(point);
                if distance <= *radius_m {
                    Side::Inside
                } else if distance <= radius_m + ring_m {
                    Side::Ring
                } else {
                    Side::Outside
                }
            }
            Place::Polygon(shape) => {
                if shape.contains(point) {
                    Side::Inside
                } else if shape.distance_to_edge_m(point) <= ring_m {
                    Side::Ring
                } else {
                    Side::Outside
                }
            }
        }
    }
}

/// A circle as a GeoJSON Polygon of 64 corners, for drawing it on the map with the same
/// outline layer as drawn areas.
pub fn circle_outline(centre: LatLng, radius_m: f64) -> Value {
    const CORNERS: usize = 64;
    let metres_per_degree = 111_195.0;
    let lng_scale = centre.lat.to_radians().cos().max(1e-6);
    let mut ring: Vec<[f64; 2]> = (0..CORNERS)
        .map(|i| {
            let angle = i as f64 / CORNERS as f64 * std::f64::consts::TAU;
            [
                centre.lng + radius_m * angle.sin() / (metres_per_degree * lng_scale),
                centre.lat + radius_m * angle.cos() / metres_per_degree,
            ]
        })
        .collect();
    ring.push(ring[0]);
    serde_json::json!({ "type": "Polygon", "coordinates": [ring] })
}

/// Two periods of the report, first and last day included.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Period {
    pub from: String,
    pub to: String,
}

/// The effect report: counts, the ratio, the test, and what it means in words.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EffectReport {
    pub intervention: Intervention,
    pub ring_m: f64,
    pub before: Period,
    pub during: Period,
    pub area_before: u32,
    pub area_during: u32,
    pub ring_before: u32,
    pub ring_during: u32,
    /// (area during / before) / (ring during / before).
    pub ratio: f64,
    /// Two-sided p-value of Fisher's exact test on the 2×2 table.
    pub p: f64,
    pub significant: bool,
    pub verdict_sv: String,
    pub verdict_en: String,
}

/// The report's conclusion in plain words, naming the test.
pub fn verdict(area: (u32, u32), ring: (u32, u32), ratio: f64, significant: bool, lang: Lang) -> String {
    let percent = ((ratio - 1.0) * 100.0).round().abs();
    let small = area.0 + area.1 < 10;
    let mut text = match (significant, ratio < 1.0, lang) {
        (true, true, Lang::Sv) => format!(
            "Rapporterna i området minskade mer än i omgivningen: {percent} % färre än omgivningens utveckling skulle ge. Skillnaden är större än vad slumpen rimligen ger."
        ),
        (true, false, Lang::Sv) => format!(
            "Rapporterna i området ökade mer än i omgivningen: {percent} % fler än omgivningens utveckling skulle ge. Skillnaden är större än vad slumpen rimligen ger."
        ),
        (false, _, Lang::Sv) => {
            "Förändringen i området skiljer sig inte säkert från omgivningens; den kan vara slump.".to_owned()
        }
        (true, true, Lang::En) => format!(
            "Reports in the area fell more than around it: {percent} % fewer than the surroundings' trend would give. The difference is larger than chance would plausibly give."
        ),
        (true, false, Lang::En) => format!(
            "Reports in the area rose more than around it: {percent} % more than the surroundings' trend would give. The difference is larger than chance would plausibly give."
        ),
        (false, _, Lang::En) => {
            "The change in the area does not differ clearly from that around it; it may be chance.".to_owned()
        }
    };
    if small {
        text.push(' ');
        text.push_str(lang.pick(
            "Underlaget är litet (färre än tio rapporter i området), så slutsatsen är osäker.",
            "There are few reports (fewer than ten in the area), so the conclusion is uncertain.",
        ));
    }
    if ring.0 + ring.1 == 0 {
        text.push(' ');
        text.push_str(lang.pick(
            "Jämförelseringen har inga rapporter; jämförelsen säger lite.",
            "The comparison ring has no reports; the comparison says little.",
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn new(zone: Zone) -> NewIntervention {
        NewIntervention {
            id: None,
            title: "Ökad närvaro vid Bro centrum".into(),
            description: String::new(),
            strategy_area: "10".into(),
            focus: String::new(),
            category: String::new(),
            zone,
            starts_on: "2026-10-01".into(),
            ends_on: Some("2026-10-31".into()),
        }
    }

    fn bro() -> Zone {
        Zone::Circle {
            lat: 59.5113,
            lng: 17.6358,
            radius_m: 300.0,
        }
    }

    fn field_of<T: std::fmt::Debug>(result: Result<T, AppError>) -> String {
        match result {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn bad_interventions_are_refused_with_the_field_named() {
        let bounds = Bounds::default();
        assert!(new(bro()).validate(&bounds).is_ok());
        let backwards = NewIntervention {
            ends_on: Some("2026-09-30".into()),
            ..new(bro())
        };
        assert_eq!(field_of(backwards.validate(&bounds)), "ends_on");
        let tiny = new(Zone::Circle {
            lat: 59.5113,
            lng: 17.6358,
            radius_m: 0.0,
        });
        assert_eq!(field_of(tiny.validate(&bounds)), "zone");
        let stockholm = new(Zone::Circle {
            lat: 59.33,
            lng: 18.07,
            radius_m: 300.0,
        });
        assert_eq!(field_of(stockholm.validate(&bounds)), "zone");
        let open = new(Zone::Polygon {
            geometry: json!({ "type": "Polygon", "coordinates": [[[17.6, 59.5], [17.7, 59.5], [17.7, 59.6]]] }),
        });
        assert_eq!(field_of(open.validate(&bounds)), "zone");
        let unknown = NewIntervention {
            strategy_area: "5".into(),
            ..new(bro())
        };
        assert_eq!(field_of(unknown.validate(&bounds)), "strategy_area");
    }

    #[test]
    fn a_circle_has_an_inside_a_ring_and_an_outside() {
        let Checked { place, .. } = new(bro()).validate(&Bounds::default()).unwrap();
        let centre = LatLng {
            lat: 59.5113,
            lng: 17.6358,
        };
        let north = |metres: f64| LatLng {
            lat: centre.lat + metres / 111_195.0,
            lng: centre.lng,
        };
        assert_eq!(place.side(north(200.0), 500.0), Side::Inside);
        assert_eq!(place.side(north(600.0), 500.0), Side::Ring);
        assert_eq!(place.side(north(900.0), 500.0), Side::Outside);
    }

    #[test]
    fn the_verdict_says_it_in_words_and_warns_of_small_numbers() {
        // The numbers and the test are for "Så räknas det" (the effect page), not the words.
        let text = verdict((30, 6), (25, 24), 0.21, true, Lang::Sv);
        assert!(
            text.contains("minskade") && text.contains("79 % färre") && !text.contains("p ="),
            "{text}"
        );
        let text = verdict((3, 2), (4, 4), 0.67, false, Lang::Sv);
        assert!(
            text.contains("kan vara slump") && text.contains("Underlaget är litet"),
            "{text}"
        );
    }

    #[test]
    fn a_circle_outline_lies_on_its_circle() {
        let centre = LatLng {
            lat: 59.5113,
            lng: 17.6358,
        };
        let outline = circle_outline(centre, 300.0);
        let ring = outline["coordinates"][0].as_array().unwrap();
        assert_eq!(ring.len(), 65);
        assert_eq!(ring[0], ring[64], "closed");
        for corner in ring {
            let point = LatLng {
                lat: corner[1].as_f64().unwrap(),
                lng: corner[0].as_f64().unwrap(),
            };
            assert!((centre.distance_m(point) - 300.0).abs() < 1.5, "{point:?}");
        }
    }
}
