//! Trygghetsvandring (safety walk, BRÅ's method, plan 4.2): what a coordinator plans,
//! and what participants and the protocol see.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::AppError;

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    Daylight,
    Dark,
}

impl Light {
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
    pub title: String,
    pub area: String,
    #[serde(with = "time::serde::rfc3339")]
    pub starts_at: OffsetDateTime,
    pub light: Light,
    /// The planned route or stops, as the coordinator describes them.
    #[serde(default)]
    pub route: String,
    /// Invited groups (residents, Upplands-Brohus, youth workers…).
    #[serde(default)]
    pub invited: String,
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
        Ok(())
    }
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Walk {
    pub id: Uuid,
    pub title: String,
    pub area: String,
    #[serde(with = "time::serde::rfc3339")]
    pub starts_at: OffsetDateTime,
    pub light: Light,
    pub route: String,
    pub invited: String,
    pub join_code: String,
    pub closed: bool,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_are_forgiving() {
        assert_eq!(normalise_join_code(" abc-23 4 "), "ABC234");
    }
}
