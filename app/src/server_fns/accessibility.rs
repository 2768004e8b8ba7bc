//! What the accessibility statement (`ui::pages::accessibility`) needs from the server.

use leptos::prelude::*;

use crate::error::AppError;

/// The address to report a barrier to, when the municipality has configured one.
#[server(endpoint = "contact")]
pub async fn get_contact() -> Result<Option<String>, AppError> {
    use crate::ssr::infra::state::AppState;
    Ok(expect_context::<AppState>().config.contact_email.clone())
}
