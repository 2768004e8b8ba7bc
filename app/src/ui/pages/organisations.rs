//! Organisationer: the partner organisations whose reporters send incident reports
//! (plan 4.3). A coordinator registers one, then makes its reporters' accounts under
//! Administration; deactivating it stops their reports without losing what they sent.

use leptos::prelude::*;

use crate::domain::access::pages::Page;
use crate::domain::partner::{FocusPlace, OrganisationKind};
use crate::error::AppError;
use crate::server_fns::incidents::{get_organisations, AddPartnerFocus, OrganisationsPage, SaveOrganisation};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::pages::incidents::week_label;
use crate::ui::use_lang;

#[component]
pub fn OrganisationsPageView() -> impl IntoView {
    let lang = use_lang();
    let page = Resource::new(|| (), |_| get_organisations());
    view! {
        <RequirePage page=Page::Organisations>
            <section class="notice organisations">
                <h1>{lang.pick("Samverkansorganisationer", "Partner organisations")}</h1>
                <p class="hint">{lang.pick(
                    "Skola, fritid, fastighetsbolag, näringsliv, socialtjänst, räddningstjänst och kommunens fältpersonal rapporterar händelser varje vecka (handlingsplanen 4.3). Registrera organisationen här och skapa sedan rapportörernas konton under ",
                    "Schools, leisure services, housing companies, business, social services, rescue services and the municipality's field staff report incidents every week (action plan 4.3). Register the organisation here, then create its reporters' accounts under ",
                )}<a href=Page::Admin.path()>{Page::Admin.label(lang)}</a>"."</p>
                <Loaded resource=page render=move |data: OrganisationsPage| view! { <Organisations data/> }/>
            </section>
        </RequirePage>
    }
}

fn kind_options(selected: Option<OrganisationKind>) -> impl IntoView {
    let lang = use_lang();
    OrganisationKind::ALL
        .map(|kind| view! { <option value=kind.as_str() selected=Some(kind) == selected>{kind.label(lang)}</option> })
        .collect_view()
}

#[component]
fn Organisations(data: OrganisationsPage) -> impl IntoView {
    let lang = use_lang();
    let organisations = RwSignal::new(data.organisations);
    let focus = RwSignal::new(data.focus);
    let places = data.places;
    let save = ServerAction::<SaveOrganisation>::new();
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            organisations.update(|list| match list.iter_mut().find(|o| o.id == saved.id) {
                Some(existing) => *existing = saved.clone(),
                None => list.insert(0, saved.clone()),
            });
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
        }
    });
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <h2>{lang.pick("Ny organisation", "New organisation")}</h2>
        <ActionForm action=save node_ref=form attr:class="stack">
            <label>{lang.pick("Namn", "Name")}
                <input type="text" name="name" required maxlength="120"/></label>
            <label>{lang.pick("Sort", "Kind")}
                <select name="kind">{kind_options(None)}</select></label>
            <button type="submit" class="primary" disabled=move || save.pending().get()>{lang.pick("Registrera", "Register")}</button>
        </ActionForm>
        {move || error.get().map(|err: AppError| view! { <p class="error" role="alert">{err.message(lang)}</p> })}
        <h2>{lang.pick("Registrerade", "Registered")}</h2>
        {move || organisations.with(Vec::is_empty).then(|| view! {
            <p class="hint">{lang.pick("Inga organisationer ännu.", "No organisations yet.")}</p>
        })}
        <ul class="organisation-list">
            <For each=move || organisations.get() key=|o| (o.id, o.active, o.name.clone()) let:organisation>
                <li class="card">
                    <strong>{organisation.name.clone()}</strong>", " {organisation.kind.label(lang)}", "
                    {format!("{} {}", organisation.reporters, lang.pick("rapportörer", "reporters"))}
                    {(!organisation.active).then(|| view! { " " <span class="status closed">{lang.pick("Inte aktiv", "Not active")}</span> })}
                    <ActionForm action=save attr:class="row">
                        <input type="hidden" name="id" value=organisation.id.to_string()/>
                        <input type="hidden" name="name" value=organisation.name.clone()/>
                        <input type="hidden" name="kind" value=organisation.kind.as_str()/>
                        <input type="hidden" name="active" value=if organisation.active { "0" } else { "1" }/>
                        <button type="submit" class="secondary">{if organisation.active {
                            lang.pick("Avsluta samverkan", "End the partnership")
                        } else {
                            lang.pick("Aktivera igen", "Activate again")
                        }}</button>
                    </ActionForm>
                    {organisation.active.then(|| view! {
                        <PartnerFocus organisation=organisation.id focus places=places.clone()/>
                    })}
                </li>
            </For>
        </ul>
    }
}

/// An organisation's focus places, and a form for next week's (as the weekly lägesbild
/// decides them).
#[component]
fn PartnerFocus(
    organisation: crate::domain::ids::OrganisationId,
    focus: RwSignal<Vec<FocusPlace>>,
    places: Vec<String>,
) -> impl IntoView {
    let lang = use_lang();
    let add = ServerAction::<AddPartnerFocus>::new();
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(added)) = add.value().get() {
            focus.update(|list| {
                if !list.iter().any(|f| f.id == added.id) {
                    list.push(added.clone());
                }
            });
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
        }
    });
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    let list_id = format!("platser-{organisation}");
    view! {
        <details class="partner-focus">
            <summary>{lang.pick("Fokusplatser", "Focus places")}</summary>
            <ul>
                {move || focus.get().into_iter().filter(|f| f.organisation == organisation).map(|f| view! {
                    <li>{week_label(f.week_of, lang)}": " <strong>{f.place}</strong>
                        {(!f.note.is_empty()).then(|| format!(" – {}", f.note))}</li>
                }).collect_view()}
            </ul>
            <ActionForm action=add node_ref=form attr:class="stack">
                <input type="hidden" name="organisation" value=organisation.to_string()/>
                <label>{lang.pick("Plats", "Place")}
                    <input type="text" name="place" required maxlength="120" list=list_id.clone()/></label>
                <datalist id=list_id>
                    {places.iter().map(|place| view! { <option value=place.clone()/> }).collect_view()}
                </datalist>
                <label>{lang.pick("Vad ska de titta efter?", "What should they look for?")}
                    <input type="text" name="note" maxlength="500"/></label>
                <label>{lang.pick("Vecka", "Week")}
                    <select name="week">
                        <option value="next" selected>{lang.pick("Nästa vecka", "Next week")}</option>
                        <option value="this">{lang.pick("Den här veckan", "This week")}</option>
                    </select>
                </label>
                <button type="submit" class="secondary" disabled=move || add.pending().get()>{lang.pick("Lägg till fokusplats", "Add focus place")}</button>
                {move || error.get().map(|err: AppError| view! { <p class="error" role="alert">{err.message(lang)}</p> })}
            </ActionForm>
        </details>
    }
}
