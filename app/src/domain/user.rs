//! Who is signed in, as the pages and server functions see it (never the password hash).

use serde::{Deserialize, Serialize};

use super::role::Role;

pub use super::ids::UserId;

/// The signed-in user as shown in the UI.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}
