//! The five roles of Tryggkarta (see docs/domain.md, "The people").

use serde::{Deserialize, Serialize};

use super::code::Code;
use crate::i18n::Lang;

/// What a user is to the app. Stored as its `as_str()` form in the `account.role` column.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// System owner at the municipality: users, roles, settings.
    Admin,
    /// Trygghetssamordnare: plans walks, registers volunteers, follows up actions.
    Coordinator,
    /// Lokalpolis: drug-scene reports, hotspot maps, lägesbild meetings.
    Police,
    /// Grannstödsförare driving the grannstödsbil.
    Volunteer,
    /// A resident joining one trygghetsvandring.
    Participant,
    /// A trained reporter of a partner organisation (a housing company, a school, the
    /// social services…) who sends incident reports (EST, plan 4.3).
    Reporter,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Coordinator,
        Role::Police,
        Role::Volunteer,
        Role::Participant,
        Role::Reporter,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Police => "police",
            Role::Volunteer => "volunteer",
            Role::Participant => "participant",
            Role::Reporter => "reporter",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Admin => lang.pick("Administratör", "Administrator"),
            Role::Coordinator => lang.pick("Samordnare", "Coordinator"),
            Role::Police => lang.pick("Polis", "Police"),
            Role::Volunteer => lang.pick("Grannstödsförare", "Patrol volunteer"),
            Role::Participant => lang.pick("Deltagare", "Participant"),
            Role::Reporter => lang.pick("Rapportör", "Reporter"),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("okänd roll {0:?}; välj en av admin, coordinator, police, volunteer, participant, reporter (unknown role)")]
pub struct UnknownRole(pub String);

impl std::str::FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::from_code(s).ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

super::code::codes!(Role);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_back_from_its_stored_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("polis".parse::<Role>().is_err());
    }
}
