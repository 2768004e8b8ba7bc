//! Åtgärder: every action per responsible party, with the overdue ones flagged, filters
//! by party, strategy area and status, the follow-up form, and the CSV for the
//! förebyggande rådet. The filters are a GET form, so the list works as plain HTML.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::access::pages::Page;
use crate::domain::action::{Action, Status};
use crate::domain::observation::{strategy_area_label, STRATEGY_AREAS};
use crate::server_fns::actions::{get_actions_page, ActionsPage};
use crate::ui::components::actions::FollowedAction;
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::use_lang;

#[derive(Clone, Debug, Default, PartialEq)]
struct Wanted {
    party: String,
    strategy_area: String,
    status: String,
    overdue: bool,
}

impl Wanted {
    fn of_url() -> Wanted {
        let query = use_query_map().get_untracked();
        let text = |key: &str| query.get(key).unwrap_or_default().trim().to_owned();
        Wanted {
            party: text("party"),
            strategy_area: text("strategy_area"),
            status: text("status"),
            overdue: matches!(text("overdue").as_str(), "true" | "on" | "1"),
        }
    }

    fn csv_link(&self) -> String {
        let query = crate::ui::format::query_string([
            ("party", Some(self.party.clone())),
            ("strategy_area", Some(self.strategy_area.clone())),
            ("status", Some(self.status.clone())),
            ("overdue", Some(self.overdue.to_string())),
        ]);
        format!("/api/v1/actions.csv?{query}")
    }
}

#[component]
pub fn ActionsPageView() -> impl IntoView {
    let lang = use_lang();
    let wanted = Wanted::of_url();
    let request = wanted.clone();
    let page = Resource::new(
        move || request.clone(),
        |w| get_actions_page(w.party, w.strategy_area, w.status, w.overdue),
    );
    let render = move |data: ActionsPage| {
        view! {
            <Filters wanted=wanted.clone() parties=data.parties.clone()/>
            <p><a href=wanted.csv_link() download="atgarder.csv">{lang.pick("Ladda ner som CSV (Excel)", "Download as CSV (Excel)")}</a></p>
            <ActionsByParty actions=data.actions/>
        }
    };
    view! {
        <RequirePage page=Page::Actions>
            <section class="notice actions">
                <h1>{Page::Actions.label(lang)}</h1>
                <Loaded resource=page render=render.clone()/>
            </section>
        </RequirePage>
    }
}

#[component]
fn Filters(wanted: Wanted, parties: Vec<String>) -> impl IntoView {
    let lang = use_lang();
    let option = |value: String, label: String, current: &str| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        <form method="get" action="/atgarder" class="filters no-print">
            <label>{lang.pick("Ansvarig part", "Responsible party")}
                <select name="party">
                    {option(String::new(), lang.pick("Alla", "All").into(), &wanted.party)}
                    {parties.into_iter().map(|p| option(p.clone(), p, &wanted.party)).collect_view()}
                </select>
            </label>
            <label>{lang.pick("Strategiområde", "Strategy area")}
                <select name="strategy_area">
                    {option(String::new(), lang.pick("Alla", "All").into(), &wanted.strategy_area)}
                    {STRATEGY_AREAS.map(|code| option(code.into(), format!("{code} {}", strategy_area_label(code, lang)), &wanted.strategy_area)).collect_view()}
                </select>
            </label>
            <label>{lang.pick("Status", "Status")}
                <select name="status">
                    {option(String::new(), lang.pick("Alla", "All").into(), &wanted.status)}
                    {Status::ALL.map(|s| option(s.as_str().into(), s.label(lang).into(), &wanted.status)).collect_view()}
                </select>
            </label>
            <label class="check"><input type="checkbox" name="overdue" value="true" checked=wanted.overdue/>
                {lang.pick("Bara försenade", "Overdue only")}</label>
            <button type="submit">{lang.pick("Visa", "Show")}</button>
        </form>
    }
}

#[component]
fn ActionsByParty(actions: Vec<Action>) -> impl IntoView {
    let lang = use_lang();
    if actions.is_empty() {
        return view! { <p class="hint">{lang.pick("Inga åtgärder i urvalet.", "No actions in the selection.")}</p> }.into_any();
    }
    let mut parties: Vec<String> = actions.iter().map(|a| a.party.clone()).collect();
    parties.sort();
    parties.dedup();
    parties
        .into_iter()
        .map(|party| {
            let of_party: Vec<Action> = actions.iter().filter(|a| a.party == party).cloned().collect();
            let overdue = of_party.iter().filter(|a| a.overdue).count();
            view! {
                <section class="party">
                    <h2>{party.clone()} " "
                        <span class="hint">{format!("({} {}", of_party.len(), lang.pick("åtgärder", "actions"))}
                        {(overdue > 0).then(|| format!(", {overdue} {}", lang.pick("försenade", "overdue")))} ")"</span>
                    </h2>
                    <ul class="action-list">
                        {of_party.into_iter().map(|action| view! { <li><FollowedAction action/></li> }).collect_view()}
                    </ul>
                </section>
            }
        })
        .collect_view()
        .into_any()
}
