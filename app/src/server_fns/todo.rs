//! What the start page "Att göra" needs.

use leptos::prelude::*;

use crate::domain::todo::Todo;
use crate::error::AppError;

#[server(endpoint = "todo")]
pub async fn get_todo() -> Result<Todo, AppError> {
    use crate::ssr::{accounts::auth, follow_up::todo, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    todo::list(&state.db, &user).await
}
