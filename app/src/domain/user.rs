//! Who is signed in, as the pages and server functions see it (never the password hash).

use serde::{Deserialize, Serialize};

use super::role::Role;

pub use super::ids::UserId;
use super::ids::{OrganisationId, WalkId};

/// The signed-in user as shown in the UI.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// Signed in with a password someone else chose (an admin's or the console's one-time
    /// password): until they choose their own, only "Mitt konto" opens (ASVS V6.4).
    #[serde(default)]
    pub must_change_password: bool,
    /// For a participant, the walk they joined last: their menu leads back to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub walk: Option<WalkId>,
    /// For a reporter, the partner organisation they report for: what they may read of
    /// the incident reports is scoped to it (`access::Scope`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<OrganisationId>,
}

/// Whether `email` looks like an address mail can be sent to: one `@`, something before
/// it, a dotted domain after it, no blanks or control characters, at most 254 bytes.
pub fn looks_like_email(email: &str) -> bool {
    email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}
