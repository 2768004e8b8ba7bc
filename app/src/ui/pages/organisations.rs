//! Organisationer: the partner organisations whose reporters send incident reports
//! (plan 4.3). A coordinator registers one, then makes its reporters' accounts under
//! Administration; deactivating it stops their reports without losing what they sent.

use leptos::prelude::*;

use crate::domain::access::pages::Page;
use crate::domain::incident::{Organisation, OrganisationKind};
use crate::error::AppError;
use crate::server_fns::incidents::{get_organisations, SaveOrganisation};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
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
                <Loaded resource=page render={move |list: Vec<Organisation>| view! { <Organisations list/> }}/>
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
fn Organisations(list: Vec<Organisation>) -> impl IntoView {
    let lang = use_lang();
    let organisations = RwSignal::new(list);
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
                </li>
            </For>
        </ul>
    }
}
