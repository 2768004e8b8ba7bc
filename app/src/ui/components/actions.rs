//! An action as a line (title, party, owner, status, due date, overdue), the form that
//! turns a finding, report or cell into an action, and the follow-up form. Used by the
//! walk protocol, the actions page and the strategy-area pages.

use leptos::prelude::*;

use crate::domain::action::{Action, Status};
use crate::domain::code::Code;
use crate::domain::ids::ActionId;
use crate::domain::observation::{strategy_area_label, STRATEGY_AREAS};
use crate::error::AppError;
use crate::server_fns::actions::{CreateAction, FollowUpAction};
use crate::ui::use_lang;

/// The parties most actions go to; others can be typed.
const USUAL_PARTIES: [&str; 5] = [
    "Upplands-Bro kommun",
    "Polisen",
    "Upplands-Brohus",
    "Trafikverket",
    "Fastighetsägaren",
];

#[component]
pub fn ActionLine(action: Action) -> impl IntoView {
    let lang = use_lang();
    let status_class = format!("status status-{}", action.status.as_str());
    view! {
        <div class="action-line" class:overdue=action.overdue data-action=action.id.to_string()>
            <strong>{action.title.clone()}</strong>
            " · " {action.party.clone()} " (" {action.owner.clone()} ")"
            " · " <span class=status_class>{action.status.label(lang)}</span>
            " · " {lang.pick("senast ", "due ")} {action.due_on.clone()}
            {action.overdue.then(|| view! { " " <span class="badge overdue-badge">{lang.pick("Försenad", "Overdue")}</span> })}
            {action.place.clone().map(|place| view! { " · " <span class="place">{place}</span> })}
            {(action.status == Status::Rejected).then(|| view! {
                <p class="hint">{lang.pick("Motivering: ", "Reason: ")}{action.reason.clone()}</p>
            })}
        </div>
    }
}

/// Makes an action answering `source_kind`/`source_ref`; `done` runs after it is saved.
#[component]
pub fn NewActionForm(
    source_kind: &'static str,
    source_ref: String,
    /// Empty to take the source's strategy area (a report's); otherwise preselected.
    #[prop(optional, into)]
    strategy_area: String,
    /// Runs with the saved action.
    done: Callback<Action>,
) -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateAction>::new();
    // A fresh id per action: a form sent twice (a double tap, a retry) stores one action.
    let id = RwSignal::new(ActionId::new());
    let form = NodeRef::<leptos::html::Form>::new();
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(None::<String>);
    Effect::new(move |_| match create.value().get() {
        Some(Ok(action)) => {
            error.set(None);
            saved.set(Some(action.title.clone()));
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
            id.set(ActionId::new());
            done.run(action);
        }
        Some(Err(err)) => {
            saved.set(None);
            error.set(Some(err));
        }
        None => {}
    });
    let list_id = format!("parties-{source_ref}");
    let field_error = move |field: &'static str| {
        move || match error.get() {
            Some(AppError::Invalid { field: named, .. }) if named == field => error
                .get()
                .map(|err| view! { <p class="error" role="alert">{err.message(lang)}</p> }),
            _ => None,
        }
    };
    view! {
        <details class="new-action no-print">
            <summary>{lang.pick("Ny åtgärd", "New action")}</summary>
            <ActionForm action=create node_ref=form attr:class="stack">
                <input type="hidden" name="id" prop:value=move || id.get().to_string()/>
                <input type="hidden" name="source_kind" value=source_kind/>
                <input type="hidden" name="source_ref" value=source_ref.clone()/>
                <label>{lang.pick("Vad ska göras?", "What is to be done?")}
                    <input type="text" name="title" required maxlength="200"/></label>
                {field_error("title")}
                <label>{lang.pick("Ansvarig part", "Responsible party")}
                    <input type="text" name="party" required maxlength="100" list=list_id.clone()/></label>
                <datalist id=list_id>{USUAL_PARTIES.map(|party| view! { <option value=party></option> }).collect_view()}</datalist>
                {field_error("party")}
                <label>{lang.pick("Ägare hos parten", "Owner at the party")}
                    <input type="text" name="owner" required maxlength="100"/></label>
                {field_error("owner")}
                <label>{lang.pick("Sista dag", "Due date")}
                    <input type="date" name="due_on" required/></label>
                {field_error("due_on")}
                <label>{lang.pick("Strategiområde", "Strategy area")}
                    <select name="strategy_area">
                        {(source_kind == "observation").then(|| view! {
                            <option value="" selected=strategy_area.is_empty()>{lang.pick("Som rapporten", "As the report")}</option>
                        })}
                        {STRATEGY_AREAS.map(|code| view! {
                            <option value=code selected=code == strategy_area>{format!("{code} {}", strategy_area_label(code, lang))}</option>
                        }).collect_view()}
                    </select>
                </label>
                {field_error("strategy_area")}
                {move || match error.get() {
                    Some(AppError::Invalid { ref field, .. }) if ["title", "party", "owner", "due_on", "strategy_area"].contains(&field.as_str()) => None,
                    Some(err) => Some(view! { <p class="error" role="alert">{err.message(lang)}</p> }),
                    None => None,
                }}
                <button type="submit" disabled=move || create.pending().get()>{lang.pick("Spara åtgärden", "Save the action")}</button>
                <p class="hint" role="status" aria-live="polite">
                    {move || saved.get().map(|title| format!("{} {title}", lang.pick("Sparad åtgärd:", "Action saved:")))}
                </p>
            </ActionForm>
        </details>
    }
}

/// An action with its follow-up form: a saved follow-up updates the line in place, and the
/// form starts again from the action's new status.
#[component]
pub fn FollowedAction(action: Action) -> impl IntoView {
    let current = RwSignal::new(action);
    view! {
        {move || view! { <ActionLine action=current.get()/> }}
        <FollowUpForm action=current/>
    }
}

/// A follow-up: a note and perhaps a new status (rejecting asks for a public reason). The
/// status field starts at the action's status and returns to it after every save, so a
/// note never changes the status unless the user chose another one.
#[component]
fn FollowUpForm(action: RwSignal<Action>) -> impl IntoView {
    let lang = use_lang();
    let id = action.with_untracked(|a| a.id);
    let status = move || action.with(|a| a.status);
    let follow_up = ServerAction::<FollowUpAction>::new();
    let chosen = RwSignal::new(action.with_untracked(|a| a.status));
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| match follow_up.value().get() {
        Some(Ok(updated)) => {
            error.set(None);
            saved.set(true);
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
            chosen.set(updated.status);
            action.set(updated);
        }
        Some(Err(err)) => {
            saved.set(false);
            error.set(Some(err.message(lang)));
        }
        None => {}
    });
    let choose = move |event| {
        saved.set(false);
        chosen.set(Status::from_code(&event_target_value(&event)).unwrap_or_else(status));
    };
    view! {
        <details class="follow-up no-print">
            <summary>{lang.pick("Följ upp", "Follow up")}</summary>
            <ActionForm action=follow_up node_ref=form attr:class="stack">
                <input type="hidden" name="id" value=id.to_string()/>
                // Labelled by `for`, not by wrapping: a wrapping label would make the chosen
                // option part of the field's name ("Status Planerad (nu)").
                <div class="field">
                    <label for=format!("status-{id}")>{lang.pick("Status", "Status")}</label>
                    <select id=format!("status-{id}") name="status" prop:value=move || chosen.get().as_str() on:change=choose>
                        {Status::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || s == status()>
                                {move || if s == status() {
                                    format!("{} ({})", s.label(lang), lang.pick("nu", "now"))
                                } else {
                                    s.label(lang).to_owned()
                                }}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <label>{lang.pick("Uppföljning", "Follow-up")}
                    <textarea name="note" rows="2" maxlength="4000" on:input=move |_| saved.set(false)></textarea></label>
                <label class:hidden=move || chosen.get() != Status::Rejected || status() == Status::Rejected>
                    {lang.pick("Motivering (kan läsas av allmänheten)", "Reason (the public may read it)")}
                    <textarea name="reason" rows="2" maxlength="4000"></textarea></label>
                {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                <button type="submit" disabled=move || follow_up.pending().get()>{lang.pick("Spara", "Save")}</button>
                <p class="hint" role="status" aria-live="polite">
                    {move || saved.get().then(|| lang.pick("Uppföljningen är sparad.", "The follow-up is saved."))}
                </p>
            </ActionForm>
        </details>
    }
}
