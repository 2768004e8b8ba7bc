//! Focus problems (fokusproblem): the step of the Swedish working method for
//! medborgarlöften and BRÅ's step model between the shared picture and the activities.
//! A problem is described, its causes analysed with the crime triangle (problem analysis
//! triangle: place, offender, victim or target, each with the people who can act on it —
//! managers of places, handlers of offenders, guardians of targets), given a goal with a
//! measure and a date, and served by actions and interventions.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::action::{parse_date, Status};
use super::ids::{ActionId, FocusProblemId, InterventionId};
use super::observation::STRATEGY_AREAS;
use crate::error::AppError;

pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 4_000;

/// The crime triangle: why the problem happens where it does, and who can change that.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CauseAnalysis {
    /// Plats: what about the place makes it happen there.
    #[serde(default)]
    pub place: String,
    /// Gärningsperson: who does it, and why.
    #[serde(default)]
    pub offender: String,
    /// Offer eller mål: who or what is hit.
    #[serde(default)]
    pub target: String,
    /// Platsansvariga (managers): property owners, the municipality's departments…
    #[serde(default)]
    pub managers: String,
    /// Personer med inflytande över gärningspersonen (handlers): parents, social services…
    #[serde(default)]
    pub handlers: String,
    /// Väktare (guardians) of the targets: neighbours, staff, grannsamverkan…
    #[serde(default)]
    pub guardians: String,
}

/// A new focus problem, or the new version of one.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewFocusProblem {
    #[serde(default)]
    pub id: Option<FocusProblemId>,
    pub strategy_area: String,
    pub title: String,
    /// What the problem is, as the shared picture shows it.
    pub problem: String,
    #[serde(default)]
    pub causes: CauseAnalysis,
    /// What should be true by `goal_on`, e.g. "Färre rapporter om öppen droghandel vid
    /// Bro station".
    pub goal: String,
    /// How the goal is measured, e.g. "rapporter i kategori Försäljning inom 300 m,
    /// halveras mot samma kvartal 2026".
    pub measure: String,
    /// YYYY-MM-DD.
    pub goal_on: String,
}

/// An activity that serves a focus problem.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// `action` or `intervention`.
    pub kind: String,
    pub id: Uuid,
    pub title: String,
    /// An action's status; none for interventions.
    pub status: Option<Status>,
    /// An action's due date or an intervention's period.
    pub when: String,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FocusProblem {
    pub id: FocusProblemId,
    pub strategy_area: String,
    pub title: String,
    pub problem: String,
    pub causes: CauseAnalysis,
    pub goal: String,
    pub measure: String,
    pub goal_on: String,
    pub activities: Vec<Activity>,
}

/// Links an action or an intervention to a focus problem: exactly one of the two.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LinkActivity {
    #[serde(default)]
    pub action_id: Option<ActionId>,
    #[serde(default)]
    pub intervention_id: Option<InterventionId>,
}

fn text(
    field: &str,
    value: &str,
    max: usize,
    required: bool,
    sv: &str,
    en: &str,
) -> Result<String, AppError> {
    let value = value.trim();
    if (required && value.is_empty()) || value.chars().count() > max {
        return Err(AppError::invalid(
            field,
            &format!("{sv} (högst {max} tecken)."),
            &format!("{en} (at most {max} characters)."),
        ));
    }
    Ok(value.to_owned())
}

impl NewFocusProblem {
    /// Checks and trims; a goal date in the past is refused when `new` (an existing
    /// problem may keep a date that has passed).
    pub fn validate(&self, today: NaiveDate, new: bool) -> Result<NewFocusProblem, AppError> {
        if !STRATEGY_AREAS.contains(&self.strategy_area.as_str()) {
            return Err(AppError::invalid(
                "strategy_area",
                "Välj ett av handlingsplanens strategiområden.",
                "Choose one of the action plan's strategy areas.",
            ));
        }
        let title = text(
            "title",
            &self.title,
            MAX_TITLE,
            true,
            "Ge problemet en rubrik",
            "Give the problem a title",
        )?;
        let problem = text(
            "problem",
            &self.problem,
            MAX_TEXT,
            true,
            "Beskriv problemet",
            "Describe the problem",
        )?;
        let cause = |field: &str, value: &str| {
            text(
                &format!("causes.{field}"),
                value,
                MAX_TEXT,
                false,
                "Texten är för lång",
                "The text is too long",
            )
        };
        let causes = CauseAnalysis {
            place: cause("place", &self.causes.place)?,
            offender: cause("offender", &self.causes.offender)?,
            target: cause("target", &self.causes.target)?,
            managers: cause("managers", &self.causes.managers)?,
            handlers: cause("handlers", &self.causes.handlers)?,
            guardians: cause("guardians", &self.causes.guardians)?,
        };
        let goal = text(
            "goal",
            &self.goal,
            MAX_TEXT,
            true,
            "Skriv målet",
            "Write the goal",
        )?;
        let measure = text(
            "measure",
            &self.measure,
            MAX_TEXT,
            true,
            "Skriv hur målet mäts",
            "Write how the goal is measured",
        )?;
        let goal_on = parse_date("goal_on", &self.goal_on)?;
        if new && goal_on < today {
            return Err(AppError::invalid(
                "goal_on",
                "Måldatum kan inte ligga i det förflutna.",
                "The goal date cannot be in the past.",
            ));
        }
        Ok(NewFocusProblem {
            id: self.id,
            strategy_area: self.strategy_area.clone(),
            title,
            problem,
            causes,
            goal,
            measure,
            goal_on: goal_on.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem() -> NewFocusProblem {
        NewFocusProblem {
            id: None,
            strategy_area: "10".into(),
            title: " Öppen droghandel vid Bro station ".into(),
            problem: "Försäljning kvällstid vid cykelparkeringen.".into(),
            causes: CauseAnalysis {
                place: "Mörkt, skymd av buskar, många som passerar".into(),
                ..Default::default()
            },
            goal: "Ingen öppen försäljning".into(),
            measure: "Rapporter i kategori Försäljning inom 300 m halveras".into(),
            goal_on: "2027-06-30".into(),
        }
    }

    fn today() -> NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    #[test]
    fn a_good_problem_is_trimmed() {
        let checked = problem().validate(today(), true).unwrap();
        assert_eq!(checked.title, "Öppen droghandel vid Bro station");
    }

    #[test]
    fn bad_problems_are_refused_with_the_field_named() {
        let field = |p: NewFocusProblem| match p.validate(today(), true) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(NewFocusProblem {
                strategy_area: "99".into(),
                ..problem()
            }),
            "strategy_area"
        );
        assert_eq!(
            field(NewFocusProblem {
                problem: "  ".into(),
                ..problem()
            }),
            "problem"
        );
        assert_eq!(
            field(NewFocusProblem {
                measure: String::new(),
                ..problem()
            }),
            "measure"
        );
        assert_eq!(
            field(NewFocusProblem {
                goal_on: "2026-01-01".into(),
                ..problem()
            }),
            "goal_on"
        );
        let mut long = problem();
        long.causes.guardians = "x".repeat(MAX_TEXT + 1);
        assert_eq!(field(long), "causes.guardians");
        // A problem kept past its goal date can still be edited.
        assert!(NewFocusProblem {
            goal_on: "2026-01-01".into(),
            ..problem()
        }
        .validate(today(), false)
        .is_ok());
    }
}
