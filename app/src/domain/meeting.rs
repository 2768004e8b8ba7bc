//! A lägesbild meeting (plan 4.3): date, who took part, the hotspot picture as it was
//! shown, the police's running notes and the decisions.

use serde::{Deserialize, Serialize};

use super::ids::{MeetingId, MeetingNoteId};
use super::situation::{Situation, SituationQuery};
use crate::error::AppError;

pub const MAX_ORGANISATIONS: usize = 500;
pub const MAX_NOTE: usize = 4_000;
pub const MAX_DECISIONS: usize = 8_000;

/// Saving a meeting: the server runs the request again as of its `as_of` time, so the
/// snapshot is the picture the page showed.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewMeeting {
    /// YYYY-MM-DD.
    pub held_on: String,
    /// E.g. "Polisen, Upplands-Bro kommun, Upplands-Brohus".
    pub organisations: String,
    pub query: SituationQuery,
}

impl NewMeeting {
    pub fn validate(&self) -> Result<(), AppError> {
        if super::clock::parse_day(self.held_on.trim()).is_none() {
            return Err(AppError::invalid(
                "held_on",
                "Mötesdatum ska skrivas ÅÅÅÅ-MM-DD.",
                "The meeting date must be written YYYY-MM-DD.",
            ));
        }
        let organisations = self.organisations.trim();
        if organisations.is_empty() || organisations.chars().count() > MAX_ORGANISATIONS {
            return Err(AppError::invalid(
                "organisations",
                "Ange vilka organisationer som deltar (högst 500 tecken).",
                "Name the organisations present (at most 500 characters).",
            ));
        }
        Ok(())
    }
}

/// Checks a running note or the decisions: not empty, not too long.
pub fn check_text(field: &str, text: &str, max: usize) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > max {
        return Err(AppError::invalid(
            field,
            &format!("Texten får inte vara tom och högst {max} tecken."),
            &format!("The text must not be empty and at most {max} characters."),
        ));
    }
    Ok(text.to_owned())
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingNote {
    pub id: MeetingNoteId,
    pub author: String,
    pub body: String,
    /// Unix ms.
    pub created_at: i64,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: MeetingId,
    pub held_on: String,
    pub organisations: String,
    pub decisions: String,
    pub created_by: String,
    pub snapshot: Situation,
    pub notes: Vec<MeetingNote>,
}

/// A meeting in the list, without its snapshot.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingSummary {
    pub id: MeetingId,
    pub held_on: String,
    pub organisations: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_needs_a_date_and_who_took_part() {
        let meeting = |held_on: &str, organisations: &str| NewMeeting {
            held_on: held_on.into(),
            organisations: organisations.into(),
            query: SituationQuery::default(),
        };
        assert!(meeting("2026-11-25", "Polisen, kommunen").validate().is_ok());
        assert!(
            matches!(meeting("25 nov", "Polisen").validate(), Err(AppError::Invalid { field, .. }) if field == "held_on")
        );
        assert!(
            matches!(meeting("2026-11-25", "  ").validate(), Err(AppError::Invalid { field, .. }) if field == "organisations")
        );
        assert!(check_text("body", &"x".repeat(MAX_NOTE + 1), MAX_NOTE).is_err());
        assert_eq!(
            check_text("body", "  Beslut: mer belysning ", MAX_NOTE).unwrap(),
            "Beslut: mer belysning"
        );
    }
}
