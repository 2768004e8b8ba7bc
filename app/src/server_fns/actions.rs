//! What the action pages need: the lists, making an action from what it answers, and
//! following one up. Flat text arguments, so the forms also work as plain HTML posts.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::action::Action;
#[cfg(feature = "ssr")]
use crate::domain::code::Code;
use crate::domain::ids::{ActionId, WalkId};
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionsPage {
    pub actions: Vec<Action>,
    /// Every responsible party named so far, for the filter and the suggestions.
    pub parties: Vec<String>,
}

/// The actions matching the filter; empty texts do not filter.
#[server(endpoint = "actions_page")]
pub async fn get_actions_page(
    party: String,
    strategy_area: String,
    status: String,
    overdue: bool,
) -> Result<ActionsPage, AppError> {
    use crate::ssr::{accounts::auth, follow_up::actions, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let filter = actions::ActionFilter {
        party: Some(party),
        strategy_area: Some(strategy_area),
        status: Some(status),
        overdue: Some(overdue),
        ..Default::default()
    };
    Ok(ActionsPage {
        actions: actions::list(&state.db, &user, &filter).await?,
        parties: actions::parties(&state.db, &user).await?,
    })
}

/// The actions answering a walk's findings, and whether the viewer keeps actions (an
/// admin reads the protocol but not the actions).
#[server(endpoint = "walk_actions")]
pub async fn get_walk_actions(walk_id: WalkId) -> Result<(bool, Vec<Action>), AppError> {
    use crate::ssr::{accounts::auth, follow_up::actions, infra::state::AppState, reports::observations};
    let user = auth::require_user().await?;
    if !crate::domain::access::may(&user, crate::domain::access::Capability::FollowUp) {
        return Ok((false, Vec::new()));
    }
    let state = expect_context::<AppState>();
    let filter = observations::Filter {
        walk_id: Some(walk_id),
        ..Default::default()
    };
    let findings: std::collections::HashSet<String> = observations::list(&state.db, &user, &filter)
        .await?
        .into_iter()
        .map(|o| o.id.to_string())
        .collect();
    let linked = actions::ActionFilter {
        source_kind: Some("observation".into()),
        ..Default::default()
    };
    let actions = actions::list(&state.db, &user, &linked)
        .await?
        .into_iter()
        .filter(|action| findings.contains(&action.source.reference()))
        .collect();
    Ok((true, actions))
}

/// Makes an action from a form: `source_kind` and `source_ref` name what it answers.
#[server(endpoint = "create_action")]
#[allow(clippy::too_many_arguments)] // One argument per form field.
pub async fn create_action(
    id: ActionId,
    title: String,
    party: String,
    owner: String,
    due_on: String,
    strategy_area: String,
    source_kind: String,
    source_ref: String,
) -> Result<Action, AppError> {
    use crate::domain::action::{NewAction, Source, Status};
    use crate::ssr::{accounts::auth, follow_up::actions, infra::state::AppState};
    let user = auth::require_user().await?;
    let source = Source::parse(&source_kind, &source_ref)
        .ok_or_else(|| AppError::invalid("source", "Okänd källa.", "Unknown source."))?;
    let new = NewAction {
        id: Some(id),
        title,
        description: String::new(),
        party,
        owner,
        due_on,
        strategy_area,
        status: Status::Proposed,
        source,
    };
    let state = expect_context::<AppState>();
    Ok(actions::create(&state.db, &user, &new).await?.0)
}

/// Records a follow-up from a form; an empty status leaves it as it is.
#[server(endpoint = "follow_up_action")]
pub async fn follow_up_action(
    id: ActionId,
    status: String,
    note: String,
    reason: String,
) -> Result<Action, AppError> {
    use crate::domain::action::{FollowUp, Status};
    use crate::ssr::{accounts::auth, follow_up::actions, infra::state::AppState};
    let user = auth::require_user().await?;
    let status = match status.as_str() {
        "" => None,
        other => Some(
            Status::from_code(other)
                .ok_or_else(|| AppError::invalid("status", "Okänd status.", "Unknown status."))?,
        ),
    };
    let follow_up = FollowUp {
        note,
        status,
        reason: (!reason.trim().is_empty()).then_some(reason),
        owner: None,
        due_on: None,
    };
    let state = expect_context::<AppState>();
    actions::follow_up(&state.db, &user, id, &follow_up).await
}
