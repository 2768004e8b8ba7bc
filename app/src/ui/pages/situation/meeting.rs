//! A lägesbild meeting: the picture as it was shown, with its notes and decisions.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::domain::access::pages::Page;
use crate::domain::category::Category;
use crate::domain::ids::MeetingId;
use crate::domain::meeting::Meeting;
use crate::domain::observation::strategy_area_label;
use crate::server_fns::situation::{get_meeting_page, AddMeetingNote, MeetingPage, SaveDecisions};
use crate::ui::components::actions::NewActionForm;
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::map::capture::category_label;
use crate::ui::components::map::hotspots::HotspotMap;
use crate::ui::format;
use crate::ui::use_lang;

use super::{cell_size, may_keep_actions, period_line, query_string, rings, Legend, SituationTables};

pub(super) fn meeting_of_route() -> Resource<Result<MeetingPage, crate::error::AppError>> {
    let params = use_params_map();
    let id = params
        .get_untracked()
        .get("id")
        .and_then(|id| id.parse().ok())
        .unwrap_or(MeetingId::NONE);
    Resource::new(move || id, get_meeting_page)
}

/// `/lagesbild/mote/:id`: the snapshot, running notes and decisions.
#[component]
pub fn MeetingPageView() -> impl IntoView {
    view! {
        <RequirePage page=Page::Situation>
            <section class="situation meeting">
                <Loaded resource=meeting_of_route() render=move |page: MeetingPage| view! { <MeetingView page/> }/>
            </section>
        </RequirePage>
    }
}

#[component]
fn MeetingView(page: MeetingPage) -> impl IntoView {
    let lang = use_lang();
    let MeetingPage {
        meeting,
        map,
        categories,
        ..
    } = page;
    let note = ServerAction::<AddMeetingNote>::new();
    let decide = ServerAction::<SaveDecisions>::new();
    let id = meeting.id;
    // After a note or the decisions are saved, the page loads again with them.
    Effect::new(move |_| {
        let saved =
            note.value().get().is_some_and(|r| r.is_ok()) || decide.value().get().is_some_and(|r| r.is_ok());
        if saved {
            #[cfg(feature = "hydrate")]
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        }
    });
    let error = move || {
        note.value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| decide.value().get().and_then(|r| r.err()))
            .map(|err| view! { <p class="error" role="alert">{err.message(lang)}</p> })
    };
    view! {
        <MeetingHeading meeting=meeting.clone() categories/>
        <p class="row no-print">
            <a href=format!("/lagesbild/mote/{id}/utskrift") class="button">{lang.pick("Utskrift (A4)", "Print (A4)")}</a>
            <a href=format!("/lagesbild?{}", query_string(&meeting.snapshot.params, false))>
                {lang.pick("Samma urval med dagens data", "Same selection with today's data")}
            </a>
        </p>
        <HotspotMap situation=meeting.snapshot.clone() map/>
        <Legend aggregated=meeting.snapshot.aggregated/>
        <SituationTables situation=meeting.snapshot.clone() drill=false/>
        <section class="notes">
            <h2>{lang.pick("Anteckningar", "Notes")}</h2>
            <Notes meeting=meeting.clone()/>
            <ActionForm action=note attr:class="stack no-print" attr:id="note-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <label>{lang.pick("Ny anteckning", "New note")}
                    <textarea name="body" rows="3" required maxlength="4000"></textarea>
                </label>
                <p class="hint">{lang.pick(
                    "Skriv inga namn eller personnummer: Tryggkarta registrerar inte personer.",
                    "Do not write names or personal identity numbers: Tryggkarta does not register people.")}</p>
                <button type="submit" class="primary">{lang.pick("Lägg till", "Add")}</button>
            </ActionForm>
        </section>
        <section class="decisions">
            <h2>{lang.pick("Beslut", "Decisions")}</h2>
            <ActionForm action=decide attr:class="stack no-print" attr:id="decisions-form">
                <input type="hidden" name="id" value=id.to_string()/>
                <label>
                    {lang.pick("Beslut från mötet", "Decisions of the meeting")}
                    <textarea name="decisions" rows="4" required maxlength="8000">{meeting.decisions.clone()}</textarea>
                </label>
                <button type="submit" class="secondary">{lang.pick("Spara besluten", "Save the decisions")}</button>
            </ActionForm>
            {may_keep_actions().then(|| view! {
                <NewActionForm source_kind="meeting" source_ref=id.to_string() strategy_area="4.3" done=Callback::new(|_| ())/>
            })}
        </section>
        {error}
    }
}

#[component]
pub(super) fn MeetingHeading(meeting: Meeting, categories: Vec<Category>) -> impl IntoView {
    let lang = use_lang();
    let params = &meeting.snapshot.params;
    let mut filters = Vec::new();
    if let Some(kind) = params.kind {
        filters.push(kind.label(lang).to_owned());
    }
    if let Some(area) = &params.strategy_area {
        filters.push(format!("{area} {}", strategy_area_label(area, lang)));
    }
    if let Some(category) = &params.category {
        filters.push(category_label(&categories, category, lang));
    }
    view! {
        <h1>{lang.pick("Lägesbildsmöte ", "Situation meeting ")}{meeting.held_on.clone()}</h1>
        <p>{lang.pick("Deltagare: ", "Present: ")}{meeting.organisations.clone()}</p>
        <p class="hint">
            {period_line(&meeting.snapshot, lang)} ". "
            {lang.pick("Cellstorlek ", "Cell size ")}{cell_size(params.resolution, lang)}
            {lang.pick(", omgivning ", ", surroundings ")}{rings(params.k, lang)}". "
            {(!filters.is_empty()).then(|| format!("{}{}. ", lang.pick("Urval: ", "Selection: "), filters.join(", ")))}
            {lang.pick("Data till och med ", "Data up to ")}
            {format::stockholm_time_ms(params.as_of)}
            {lang.pick(", sparat av ", ", saved by ")}{meeting.created_by.clone()}"."
        </p>
    }
}

#[component]
pub(super) fn Notes(meeting: Meeting) -> impl IntoView {
    let lang = use_lang();
    view! {
        {meeting.notes.is_empty().then(|| view! { <p class="hint">{lang.pick("Inga anteckningar ännu.", "No notes yet.")}</p> })}
        <ol class="note-list">
            {meeting.notes.into_iter().map(|n| view! {
                <li>
                    <p class="hint">{format::stockholm_time_ms(n.created_at)} " · " {n.author}</p>
                    <p class="note-body">{n.body}</p>
                </li>
            }).collect_view()}
        </ol>
    }
}
