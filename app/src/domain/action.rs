//! Åtgärder (plan 4.2 "trygghetsvandringarna ska resultera i åtgärder som följs upp",
//! 4.4, 6.1, 6.2, 10): what a party has undertaken to do about a walk finding, a report,
//! a hotspot cell or a meeting decision, with an owner, a due date and a log of
//! follow-ups. Every change goes through the log, so the history of an action is kept.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{ActionId, MeetingId, ObservationId};
use super::observation::STRATEGY_AREAS;
use crate::error::AppError;
use crate::i18n::Lang;

pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 4_000;
pub const MAX_NAME: usize = 100;

/// Where an action is in its life.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Proposed,
    Planned,
    InProgress,
    Done,
    /// Not to be done, with a reason the public may read.
    Rejected,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Proposed,
        Status::Planned,
        Status::InProgress,
        Status::Done,
        Status::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Planned => "planned",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Rejected => "rejected",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Status::Proposed => lang.pick("Föreslagen", "Proposed"),
            Status::Planned => lang.pick("Planerad", "Planned"),
            Status::InProgress => lang.pick("Pågår", "In progress"),
            Status::Done => lang.pick("Klar", "Done"),
            Status::Rejected => lang.pick("Avslagen", "Rejected"),
        }
    }

    /// Still to be done: counts as overdue after its date.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Done | Status::Rejected)
    }
}

/// What an action answers.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "ref", rename_all = "snake_case")]
pub enum Source {
    /// A walk finding, patrol observation or drug-scene report.
    Observation(ObservationId),
    /// A hotspot cell (H3 index) on the lägesbild.
    Cell(String),
    /// A decision of a lägesbild meeting.
    Meeting(MeetingId),
    /// Nothing recorded in the app (a decision of the steering group, say).
    None,
}

impl Source {
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Observation(_) => "observation",
            Source::Cell(_) => "cell",
            Source::Meeting(_) => "meeting",
            Source::None => "none",
        }
    }

    pub fn reference(&self) -> String {
        match self {
            Source::Observation(id) => id.to_string(),
            Source::Meeting(id) => id.to_string(),
            Source::Cell(h3) => h3.clone(),
            Source::None => String::new(),
        }
    }

    /// Back from the stored kind and reference.
    pub fn parse(kind: &str, reference: &str) -> Option<Source> {
        match kind {
            "observation" => reference.parse().ok().map(Source::Observation),
            "cell" => Some(Source::Cell(reference.to_owned())),
            "meeting" => reference.parse().ok().map(Source::Meeting),
            "none" => Some(Source::None),
            _ => None,
        }
    }
}

/// A new action.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewAction {
    /// Made by the client, so that sending it twice stores it once.
    #[serde(default)]
    pub id: Option<ActionId>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The responsible party: "Upplands-Bro kommun", "Polisen", "Upplands-Brohus",
    /// "Trafikverket" or another organisation.
    pub party: String,
    /// Who at the party answers for it.
    pub owner: String,
    /// YYYY-MM-DD.
    pub due_on: String,
    /// A strategy area of the plan; left empty, it is taken from the source report.
    #[serde(default)]
    pub strategy_area: String,
    #[serde(default = "proposed")]
    pub status: Status,
    pub source: Source,
}

fn proposed() -> Status {
    Status::Proposed
}

/// A follow-up: a note, and any change of status, owner or due date it records.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub status: Option<Status>,
    /// Required when the status becomes `rejected`; the public may read it.
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub due_on: Option<String>,
}

/// One entry of an action's log.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionEntry {
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub at: DateTime<Utc>,
    pub author: String,
    pub note: String,
    /// The status this entry set, if it changed it.
    pub status: Option<Status>,
}

/// An action as its readers see it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub id: ActionId,
    pub title: String,
    pub description: String,
    pub party: String,
    pub owner: String,
    pub due_on: String,
    pub strategy_area: String,
    pub status: Status,
    /// Why it was rejected (public), empty otherwise.
    pub reason: String,
    pub source: Source,
    /// Where it is, from its source (a report's place, a cell's centre).
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    /// The named area it lies in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Still open after its due date (Stockholm).
    pub overdue: bool,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub created_at: DateTime<Utc>,
    /// The follow-up log, oldest first (only when one action is read).
    #[serde(default)]
    pub log: Vec<ActionEntry>,
}

fn text(field: &str, value: &str, max: usize, required: bool) -> Result<String, AppError> {
    let value = value.trim();
    if (required && value.is_empty()) || value.chars().count() > max {
        let (sv, en) = match field {
            "title" => ("Ge åtgärden en rubrik", "Give the action a title"),
            "party" => (
                "Ange vem som ansvarar (kommunen, polisen, en fastighetsägare …)",
                "Name the responsible party (the municipality, the police, a property owner …)",
            ),
            "owner" => (
                "Ange vem som äger åtgärden hos den ansvariga",
                "Name who owns the action at the responsible party",
            ),
            "reason" => (
                "Skriv varför åtgärden avslås; motiveringen kan läsas av allmänheten",
                "Say why the action is rejected; the public may read the reason",
            ),
            _ => ("Texten är för lång", "The text is too long"),
        };
        return Err(AppError::invalid(
            field,
            &format!("{sv} (högst {max} tecken)."),
            &format!("{en} (at most {max} characters)."),
        ));
    }
    Ok(value.to_owned())
}

/// Reads a YYYY-MM-DD date.
pub fn parse_date(field: &str, value: &str) -> Result<NaiveDate, AppError> {
    super::clock::parse_day(value.trim()).ok_or_else(|| {
        AppError::invalid(
            field,
            "Datum ska skrivas ÅÅÅÅ-MM-DD.",
            "Dates must be written YYYY-MM-DD.",
        )
    })
}

fn not_before_today(field: &str, due: NaiveDate, today: NaiveDate) -> Result<(), AppError> {
    if due < today {
        return Err(AppError::invalid(
            field,
            "Sista dag kan inte ligga i det förflutna.",
            "The due date cannot be in the past.",
        ));
    }
    Ok(())
}

fn check_strategy_area(code: &str) -> Result<(), AppError> {
    if !STRATEGY_AREAS.contains(&code) {
        return Err(AppError::invalid(
            "strategy_area",
            "Okänt strategiområde.",
            "Unknown strategy area.",
        ));
    }
    Ok(())
}

/// A new action, checked, with its texts trimmed.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedAction {
    pub title: String,
    pub description: String,
    pub party: String,
    pub owner: String,
    pub due_on: NaiveDate,
}

impl NewAction {
    /// Checks everything that needs no database; `today` is the date in Stockholm. The
    /// strategy area is checked once it is known (`check_area`), as it may come from the
    /// source.
    pub fn validate(&self, today: NaiveDate) -> Result<CheckedAction, AppError> {
        let checked = CheckedAction {
            title: text("title", &self.title, MAX_TITLE, true)?,
            description: text("description", &self.description, MAX_TEXT, false)?,
            party: text("party", &self.party, MAX_NAME, true)?,
            owner: text("owner", &self.owner, MAX_NAME, true)?,
            due_on: parse_date("due_on", &self.due_on)?,
        };
        not_before_today("due_on", checked.due_on, today)?;
        if self.status == Status::Rejected {
            return Err(AppError::invalid(
                "status",
                "En ny åtgärd kan inte vara avslagen.",
                "A new action cannot be rejected.",
            ));
        }
        if let Source::Cell(h3) = &self.source {
            let is_cell = h3.len() == 15 && h3.chars().all(|c| c.is_ascii_hexdigit());
            if !is_cell {
                return Err(AppError::invalid("source", "Okänd hexagon.", "Unknown hexagon."));
            }
        }
        if !self.strategy_area.is_empty() {
            check_strategy_area(&self.strategy_area)?;
        }
        Ok(checked)
    }

    /// The strategy area: the one given, else the source's.
    pub fn strategy_area_or(&self, from_source: Option<&str>) -> Result<String, AppError> {
        let code = if self.strategy_area.is_empty() {
            from_source.unwrap_or_default()
        } else {
            &self.strategy_area
        };
        check_strategy_area(code)?;
        Ok(code.to_owned())
    }
}

/// What a follow-up changes, checked against the action as it is.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedFollowUp {
    pub note: String,
    pub status: Option<Status>,
    pub reason: Option<String>,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
}

impl FollowUp {
    pub fn validate(&self, current: Status, today: NaiveDate) -> Result<CheckedFollowUp, AppError> {
        let note = text("note", &self.note, MAX_TEXT, false)?;
        let status = self.status.filter(|status| *status != current);
        let reason = match status {
            Some(Status::Rejected) => Some(text(
                "reason",
                self.reason.as_deref().unwrap_or_default(),
                MAX_TEXT,
                true,
            )?),
            _ => None,
        };
        let owner = self
            .owner
            .as_deref()
            .map(|owner| text("owner", owner, MAX_NAME, true))
            .transpose()?;
        let due_on = self
            .due_on
            .as_deref()
            .map(|due| parse_date("due_on", due))
            .transpose()?;
        if let Some(due) = due_on {
            not_before_today("due_on", due, today)?;
        }
        if note.is_empty() && status.is_none() && owner.is_none() && due_on.is_none() {
            return Err(AppError::invalid(
                "note",
                "Skriv en uppföljning eller ändra något.",
                "Write a follow-up or change something.",
            ));
        }
        Ok(CheckedFollowUp {
            note,
            status,
            reason,
            owner,
            due_on,
        })
    }
}

/// Whether an action is still open after its due date.
pub fn is_overdue(status: Status, due_on: &str, today: NaiveDate) -> bool {
    status.is_open() && parse_date("due_on", due_on).is_ok_and(|due| due < today)
}

/// The list for the förebyggande rådet, as CSV for Swedish Excel (BOM, semicolons),
/// with names in words.
pub fn to_csv(actions: &[Action], lang: Lang) -> String {
    use super::shift::csv_field;
    let mut csv = String::from(
        "\u{feff}id;rubrik;ansvarig_part;agare;sista_dag;status;forsenad;strategiomrade;omrade;kalla;motivering;beskrivning\r\n",
    );
    for action in actions {
        let fields = [
            action.id.to_string(),
            csv_field(&action.title),
            csv_field(&action.party),
            csv_field(&action.owner),
            action.due_on.clone(),
            action.status.label(lang).to_owned(),
            if action.overdue {
                lang.pick("ja", "yes")
            } else {
                ""
            }
            .to_owned(),
            csv_field(&format!(
                "{} {}",
                action.strategy_area,
                super::observation::strategy_area_label(&action.strategy_area, lang)
            )),
            csv_field(action.place.as_deref().unwrap_or_default()),
            action.source.kind().to_owned(),
            csv_field(&action.reason),
            csv_field(&action.description),
        ];
        csv.push_str(&fields.join(";"));
        csv.push_str("\r\n");
    }
    csv
}

super::code::codes!(Status);

#[cfg(test)]
mod tests {
    use super::*;

    fn new() -> NewAction {
        NewAction {
            id: None,
            title: "Byt trasig belysning vid gångtunneln".into(),
            description: String::new(),
            party: "Upplands-Bro kommun".into(),
            owner: "Gatu- och parkavdelningen".into(),
            due_on: "2026-12-15".into(),
            strategy_area: String::new(),
            status: Status::Proposed,
            source: Source::Observation(ObservationId::new()),
        }
    }

    fn field_of<T: std::fmt::Debug>(result: Result<T, AppError>) -> String {
        match result {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    const TODAY: NaiveDate = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();

    #[test]
    fn an_action_needs_a_title_a_party_an_owner_and_a_date_not_in_the_past() {
        assert!(new().validate(TODAY).is_ok());
        let no_owner = NewAction {
            owner: "  ".into(),
            ..new()
        };
        assert_eq!(field_of(no_owner.validate(TODAY)), "owner");
        let past = NewAction {
            due_on: "2026-11-24".into(),
            ..new()
        };
        assert_eq!(field_of(past.validate(TODAY)), "due_on");
        let today = NewAction {
            due_on: "2026-11-25".into(),
            ..new()
        };
        assert!(today.validate(TODAY).is_ok(), "due today is fine");
        let garbled = NewAction {
            due_on: "15/12".into(),
            ..new()
        };
        assert_eq!(field_of(garbled.validate(TODAY)), "due_on");
        let no_party = NewAction {
            party: String::new(),
            ..new()
        };
        assert_eq!(field_of(no_party.validate(TODAY)), "party");
        let bad_cell = NewAction {
            source: Source::Cell("not-a-cell".into()),
            ..new()
        };
        assert_eq!(field_of(bad_cell.validate(TODAY)), "source");
        let unknown_area = NewAction {
            strategy_area: "5".into(),
            ..new()
        };
        assert_eq!(field_of(unknown_area.validate(TODAY)), "strategy_area");
    }

    #[test]
    fn the_strategy_area_comes_from_the_source_unless_given() {
        assert_eq!(new().strategy_area_or(Some("4.2")).unwrap(), "4.2");
        let given = NewAction {
            strategy_area: "3".into(),
            ..new()
        };
        assert_eq!(given.strategy_area_or(Some("4.2")).unwrap(), "3");
        assert_eq!(field_of(new().strategy_area_or(None)), "strategy_area");
    }

    #[test]
    fn rejecting_needs_a_reason_and_a_follow_up_must_say_something() {
        let reject = FollowUp {
            status: Some(Status::Rejected),
            ..Default::default()
        };
        assert_eq!(field_of(reject.validate(Status::Planned, TODAY)), "reason");
        let with_reason = FollowUp {
            status: Some(Status::Rejected),
            reason: Some("Marken ägs av Trafikverket, som har fått frågan.".into()),
            ..Default::default()
        };
        assert!(with_reason.validate(Status::Planned, TODAY).is_ok());
        assert_eq!(
            field_of(FollowUp::default().validate(Status::Planned, TODAY)),
            "note"
        );
        // Setting the status it already has changes nothing.
        let same = FollowUp {
            status: Some(Status::Planned),
            ..Default::default()
        };
        assert_eq!(field_of(same.validate(Status::Planned, TODAY)), "note");
    }

    #[test]
    fn only_open_actions_past_their_date_are_overdue() {
        assert!(is_overdue(Status::Planned, "2026-11-24", TODAY));
        assert!(!is_overdue(Status::Planned, "2026-11-25", TODAY));
        assert!(!is_overdue(Status::Done, "2026-01-01", TODAY));
        assert!(!is_overdue(Status::Rejected, "2026-01-01", TODAY));
    }

    #[test]
    fn sources_are_stored_as_kind_and_reference() {
        for source in [
            Source::Observation(ObservationId::new()),
            Source::Cell("891f1d48177ffff".into()),
            Source::Meeting(MeetingId::new()),
            Source::None,
        ] {
            assert_eq!(Source::parse(source.kind(), &source.reference()), Some(source));
        }
    }
}
