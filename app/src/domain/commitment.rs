//! Medborgarlöften: quantified promises a party makes for a year — "minst 8 gemensamma
//! insatser 2027", "minst 4 trygghetsvandringar per år" — whose progress is counted from
//! the records themselves, never typed in.

use serde::{Deserialize, Serialize};

use super::ids::CommitmentId;
use super::observation::STRATEGY_AREAS;
use crate::error::AppError;
use crate::i18n::Lang;

pub const MAX_TEXT: usize = 300;
pub const MAX_PARTY: usize = 100;

/// What a commitment counts.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Trygghetsvandringar held (their start in the year).
    Walks,
    /// Interventions started in the year.
    Interventions,
    /// Actions marked done in the year.
    ActionsDone,
    /// Grannstöd shifts driven in the year.
    PatrolShifts,
}

impl Measure {
    pub const ALL: [Measure; 4] = [
        Measure::Walks,
        Measure::Interventions,
        Measure::ActionsDone,
        Measure::PatrolShifts,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Walks => "walks",
            Measure::Interventions => "interventions",
            Measure::ActionsDone => "actions_done",
            Measure::PatrolShifts => "patrol_shifts",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Measure::Walks => lang.pick("trygghetsvandringar", "safety walks"),
            Measure::Interventions => lang.pick("insatser", "interventions"),
            Measure::ActionsDone => lang.pick("genomförda åtgärder", "actions done"),
            Measure::PatrolShifts => lang.pick("grannstödspass", "patrol shifts"),
        }
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewCommitment {
    /// Who promises: "Polisen", "Upplands-Bro kommun" …
    pub party: String,
    /// The promise in the words it was made in.
    pub text: String,
    pub measure: Measure,
    /// At least this many.
    pub target: u32,
    pub year: i32,
    /// Count only this strategy area's interventions and actions ('' for all).
    #[serde(default)]
    pub strategy_area: String,
}

/// A commitment with its progress, counted when read.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    pub id: CommitmentId,
    pub party: String,
    pub text: String,
    pub measure: Measure,
    pub target: u32,
    pub year: i32,
    pub strategy_area: String,
    /// Counted from the records.
    pub done: u32,
    /// At least the share of the target that the share of the year gone asks for.
    pub on_track: bool,
}

impl NewCommitment {
    pub fn validate(&self) -> Result<(), AppError> {
        for (field, value, max) in [("party", &self.party, MAX_PARTY), ("text", &self.text, MAX_TEXT)] {
            let value = value.trim();
            if value.is_empty() || value.chars().count() > max {
                return Err(AppError::invalid(
                    field,
                    &format!("Fältet får inte vara tomt och högst {max} tecken."),
                    &format!("The field must not be empty and at most {max} characters."),
                ));
            }
        }
        if !(1..=10_000).contains(&self.target) {
            return Err(AppError::invalid(
                "target",
                "Målet ska vara mellan 1 och 10 000.",
                "The target must be between 1 and 10,000.",
            ));
        }
        if !(2020..=2100).contains(&self.year) {
            return Err(AppError::invalid(
                "year",
                "Ange ett år (2020–2100).",
                "Give a year (2020–2100).",
            ));
        }
        if !self.strategy_area.is_empty() && !STRATEGY_AREAS.contains(&self.strategy_area.as_str()) {
            return Err(AppError::invalid(
                "strategy_area",
                "Okänt strategiområde.",
                "Unknown strategy area.",
            ));
        }
        Ok(())
    }
}

/// Whether `done` of `target` keeps pace with `elapsed` (0–1) of the year.
pub fn on_track(done: u32, target: u32, elapsed: f64) -> bool {
    f64::from(done) >= (f64::from(target) * elapsed.clamp(0.0, 1.0)).floor()
}

super::code::codes!(Measure);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_promise_needs_a_party_words_a_target_and_a_year() {
        let good = NewCommitment {
            party: "Polisen".into(),
            text: "Minst 8 gemensamma insatser 2027".into(),
            measure: Measure::Interventions,
            target: 8,
            year: 2027,
            strategy_area: "10".into(),
        };
        assert_eq!(good.validate(), Ok(()));
        let field = |c: NewCommitment| match c.validate() {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(NewCommitment {
                target: 0,
                ..good.clone()
            }),
            "target"
        );
        assert_eq!(
            field(NewCommitment {
                party: " ".into(),
                ..good.clone()
            }),
            "party"
        );
        assert_eq!(
            field(NewCommitment {
                year: 1999,
                ..good.clone()
            }),
            "year"
        );
        assert_eq!(
            field(NewCommitment {
                strategy_area: "7".into(),
                ..good
            }),
            "strategy_area"
        );
    }

    #[test]
    fn on_track_follows_the_share_of_the_year() {
        assert!(on_track(2, 8, 0.25));
        assert!(!on_track(1, 8, 0.25));
        assert!(on_track(0, 4, 0.2), "no walk is due yet in the first fifth");
        assert!(!on_track(3, 4, 1.0));
    }
}
