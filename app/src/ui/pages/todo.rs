//! "Att göra": the start page of coordinators and police, what is due now, each item a
//! link to where it is done (`domain::todo`).

use leptos::prelude::*;

use crate::domain::access::pages::Page;
use crate::domain::todo::{Todo, NEW_REPORTS_DAYS, WALKS_AHEAD_DAYS};
use crate::i18n::Lang;
use crate::server_fns::todo::get_todo;
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::{format, use_lang};

#[component]
pub fn TodoPage() -> impl IntoView {
    let lang = use_lang();
    let todo = Resource::new(|| (), |_| get_todo());
    view! {
        <RequirePage page=Page::Todo>
            <section class="notice todo">
                <h1>{Page::Todo.label(lang)}</h1>
                <Loaded resource=todo render=move |todo: Todo| view! { <Due todo lang/> }/>
            </section>
        </RequirePage>
    }
}

/// "1 åtgärd", "3 åtgärder": the count with the word in the right number.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[component]
fn Due(todo: Todo, lang: Lang) -> impl IntoView {
    let nothing = todo.is_empty().then(|| {
        view! { <p class="hint">{lang.pick("Inget är försenat eller väntar på dig just nu.", "Nothing is overdue or waiting for you right now.")}</p> }
    });
    let actions = (!todo.overdue_actions.is_empty()).then(|| {
        let n = todo.overdue_actions.len();
        view! {
            <section class="due">
                <h2><a href="/atgarder?overdue=true">{lang.pick(
                    &count(n, "försenad åtgärd", "försenade åtgärder"),
                    &count(n, "overdue action", "overdue actions"),
                ).to_owned()}</a></h2>
                <ul>{todo.overdue_actions.iter().take(10).map(|action| view! {
                    <li><a href=format!("/atgarder?{}", format::query_string([("party", Some(action.party.clone())), ("overdue", Some("true".into()))]))>{action.title.clone()}</a>
                        " · " {action.party.clone()} " · " {lang.pick("skulle vara klar ", "due ")} {action.due_on.clone()}</li>
                }).collect_view()}</ul>
            </section>
        }
    });
    let alerts = (!todo.open_alerts.is_empty()).then(|| {
        let n = todo.open_alerts.len();
        view! {
            <section class="due">
                <h2><a href=Page::Watch.path()>{lang.pick(
                    &count(n, "varning att skicka eller avfärda", "varningar att skicka eller avfärda"),
                    &count(n, "alert to send or dismiss", "alerts to send or dismiss"),
                ).to_owned()}</a></h2>
                <ul>{todo.open_alerts.iter().map(|alert| view! {
                    <li><a href=Page::Watch.path()>{alert.area_name.clone()}</a>
                        " · " {format!("{} {}–{}", lang.pick("rapporter", "reports"), alert.window_from, alert.window_to)}</li>
                }).collect_view()}</ul>
            </section>
        }
    });
    let to_close = (!todo.walks_to_close.is_empty()).then(|| {
        view! {
            <section class="due">
                <h2>{lang.pick("Vandringar att avsluta", "Walks to close")}</h2>
                <p class="hint">{lang.pick(
                    "Vandringen är gången: gå igenom protokollet, gör åtgärder av fynden och stäng den.",
                    "The walk has taken place: go through the protocol, turn findings into actions and close it.",
                )}</p>
                <ul>{todo.walks_to_close.iter().map(|walk| view! {
                    <li><a href=format!("/vandringar/{}/protokoll", walk.id)>{walk.title.clone()}</a>
                        " · " {format::stockholm_date(walk.starts_at)}</li>
                }).collect_view()}</ul>
            </section>
        }
    });
    let coming = (!todo.walks_coming.is_empty()).then(|| {
        view! {
            <section class="due">
                <h2>{format!("{} {WALKS_AHEAD_DAYS} {}", lang.pick("Vandringar de närmaste", "Walks in the next"), lang.pick("dagarna", "days"))}</h2>
                <ul>{todo.walks_coming.iter().map(|walk| view! {
                    <li><a href=format!("/vandringar/{}/inbjudan", walk.id)>{walk.title.clone()}</a>
                        " · " {format::stockholm_weekday_time(walk.starts_at, lang)}
                        " · " {lang.pick("skicka inbjudan", "send the invitation")}</li>
                }).collect_view()}</ul>
            </section>
        }
    });
    let none_planned = todo.walks_coming.is_empty().then(|| {
        view! {
            <p><a href=Page::Walks.path()>{lang.pick("Ingen vandring är planerad den närmaste månaden. Planera en", "No walk is planned for the coming month. Plan one")}</a></p>
        }
    });
    let meeting = match todo.next_meeting {
        Some(meeting) => view! {
            <section class="due">
                <h2>{lang.pick("Nästa lägesbildsmöte", "Next situation meeting")}</h2>
                <p><a href=format!("/lagesbild/mote/{}", meeting.id)>{meeting.held_on.clone()}</a>
                    " · " {meeting.organisations.clone()}</p>
            </section>
        }
        .into_any(),
        None => view! {
            <section class="due">
                <h2>{lang.pick("Nästa lägesbildsmöte", "Next situation meeting")}</h2>
                <p><a href=Page::Situation.path()>{lang.pick("Inget möte är inlagt. Lägg in nästa under Lägesbild", "No meeting is entered. Enter the next one under Situation")}</a></p>
            </section>
        }
        .into_any(),
    };
    let commitments = (!todo.commitments_behind.is_empty()).then(|| {
        view! {
            <section class="due">
                <h2>{lang.pick("Löften som ligger efter", "Commitments behind schedule")}</h2>
                <ul>{todo.commitments_behind.iter().map(|c| view! {
                    <li><a href=format!("/strategiomraden/{}", c.strategy_area)>{c.text.clone()}</a>
                        " · " {c.party.clone()} " · " {format!("{} {} {}", c.done, lang.pick("av", "of"), c.target)}</li>
                }).collect_view()}</ul>
            </section>
        }
    });
    let reports = (todo.new_reports > 0).then(|| {
        let n = todo.new_reports;
        view! {
            <section class="due">
                <h2><a href=Page::Situation.path()>{lang.pick(
                    &count(n, "ny rapport", "nya rapporter"),
                    &count(n, "new report", "new reports"),
                ).to_owned()}</a></h2>
                <p class="hint">{format!("{} {NEW_REPORTS_DAYS} {}", lang.pick("Inkomna de senaste", "Received in the last"), lang.pick("dagarna och inte hanterade än.", "days and not yet handled."))}</p>
            </section>
        }
    });
    let reviews = (todo.waiting_reviews > 0).then(|| {
        let n = todo.waiting_reviews;
        view! {
            <section class="due">
                <h2><a href=Page::Review.path()>{lang.pick(
                    &count(n, "rapport väntar på granskning", "rapporter väntar på granskning"),
                    &count(n, "report waiting for review", "reports waiting for review"),
                ).to_owned()}</a></h2>
                <p class="hint">{lang.pick(
                    "Från samarbetsparter och invånare. De räknas först när de är godkända.",
                    "From partners and residents. They count only once accepted.",
                )}</p>
            </section>
        }
    });
    view! { {nothing} {reviews} {actions} {alerts} {to_close} {coming} {none_planned} {meeting} {commitments} {reports} }
}
