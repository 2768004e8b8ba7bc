//! The ids of the app's records, each its own type: a walk's id cannot be passed where a
//! report's is meant. An id is a UUID (v7, time-ordered, made where the record is made:
//! often on the phone), written the one way everywhere — as its hyphenated text in JSON
//! (serde), in SQL (`ssr::infra::sql`) and in paths.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A new time-ordered UUID. (`Uuid::now_v7` reads the system clock, which the browser's
/// WASM has not got; `chrono` reads the JavaScript clock there.)
pub fn new_v7() -> Uuid {
    let now = chrono::Utc::now();
    let ts = uuid::Timestamp::from_unix(
        uuid::NoContext,
        now.timestamp().max(0) as u64,
        now.timestamp_subsec_nanos(),
    );
    Uuid::new_v7(ts)
}

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        $(
            $(#[$doc])*
            #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
            #[serde(transparent)]
            pub struct $name(pub Uuid);

            impl $name {
                /// The id of nothing (the nil UUID): what a page opened with an address
                /// that holds no id asks for, and hears "not found".
                pub const NONE: Self = $name(Uuid::nil());

                /// A new id, made now. (No `Default`: a default id would be a made-up
                /// one, nil or fresh, where a real one was meant.)
                #[allow(clippy::new_without_default)]
                pub fn new() -> Self {
                    $name(new_v7())
                }

                pub fn is_nil(&self) -> bool {
                    self.0.is_nil()
                }
            }

            impl From<Uuid> for $name {
                fn from(uuid: Uuid) -> Self {
                    $name(uuid)
                }
            }

            impl std::fmt::Display for $name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    self.0.fmt(f)
                }
            }

            impl std::str::FromStr for $name {
                type Err = uuid::Error;

                fn from_str(text: &str) -> Result<Self, Self::Err> {
                    Uuid::parse_str(text).map($name)
                }
            }
        )*
    };
}

ids! {
    /// An account (`account`).
    UserId,
    /// A report of any kind (`observation`).
    ObservationId,
    /// A photo of a report (`photo`).
    PhotoId,
    /// A trygghetsvandring (`walk`).
    WalkId,
    /// A grannstöd shift (`shift`).
    ShiftId,
    /// A named area or the municipality boundary (`area`).
    AreaId,
    /// An åtgärd (`action`).
    ActionId,
    /// An insats (`intervention`).
    InterventionId,
    /// A focus place the police mark for the drivers (`focus_place`).
    FocusPlaceId,
    /// A focus problem of a strategy area (`focus_problem`).
    FocusProblemId,
    /// A medborgarlöfte (`commitment`).
    CommitmentId,
    /// A lägesbild meeting (`meeting`).
    MeetingId,
    /// A note of a meeting (`meeting_note`).
    MeetingNoteId,
    /// A grannsamverkan alert (`alert`).
    AlertId,
    /// A partner organisation whose reporters send incident reports (`organisation`).
    OrganisationId,
    /// An incident report of a partner or a resident, before and after review
    /// (`incident_report`).
    IncidentId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_uuid_as_text_in_json_and_back() {
        let id = WalkId::new();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{}\"", id.0));
        assert_eq!(serde_json::from_str::<WalkId>(&json).unwrap(), id);
        assert_eq!(id.to_string().parse::<WalkId>().unwrap(), id);
        assert!("inte-ett-id".parse::<WalkId>().is_err());
        assert_eq!(id.0.get_version_num(), 7);
    }
}
