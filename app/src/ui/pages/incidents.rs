//! Händelser: a partner organisation's reporter logs an incident (EST categories) on the
//! phone, offline first, sees whether it may be something already reported nearby, and
//! follows what became of their organisation's reports.

use leptos::prelude::*;

use crate::domain::access::pages::Page;
use crate::domain::clock::parse_local_minute;
use crate::domain::ids::IncidentId;
use crate::domain::incident::{Incident, NewIncident, Notice, Status};
use crate::domain::observation::PositionSource;
use crate::domain::partner::FocusPlace;
use crate::server_fns::incidents::{get_incidents_page, nearby_reports, notices_seen, IncidentsPage};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::map::capture::{CaptureMap, Chosen, PlacePicker};
use crate::ui::format::stockholm_time;
use crate::ui::outbox::OutboxStatus;
use crate::ui::use_lang;

#[component]
pub fn IncidentsPageView() -> impl IntoView {
    let page = Resource::new(|| (), |_| get_incidents_page());
    view! {
        <RequirePage page=Page::Incidents>
            <Loaded resource=page render=|data| view! { <Incidents data/> }/>
        </RequirePage>
    }
}

#[component]
fn Incidents(data: IncidentsPage) -> impl IntoView {
    let lang = use_lang();
    let chosen = RwSignal::new(None::<Chosen>);
    let category = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let bounds = data.bounds;
    // Open reports of the same kind within 50 m, once both are chosen (and the network
    // answers; offline there is simply no suggestion).
    let maybe_same = Resource::new(
        move || (category.get(), chosen.get()),
        |(category, chosen)| async move {
            match (category.is_empty(), chosen) {
                (false, Some(at)) => nearby_reports(category, at.lat, at.lng).await.unwrap_or_default(),
                _ => Vec::new(),
            }
        },
    );

    let send = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(at), false) = (chosen.get_untracked(), category.get_untracked().is_empty()) else {
            message.set(Some((
                false,
                lang.pick("Välj plats och kategori.", "Choose the place and the category.")
                    .into(),
            )));
            return;
        };
        let now = chrono::Utc::now();
        let observed_at = parse_local_minute(&from.get_untracked()).unwrap_or(now);
        let new = NewIncident {
            id: IncidentId::new(),
            category: category.get_untracked(),
            lat: at.lat,
            lng: at.lng,
            accuracy_m: at.accuracy_m,
            position_source: if at.accuracy_m.is_some() {
                PositionSource::Gps
            } else {
                PositionSource::Manual
            },
            observed_at,
            observed_until: parse_local_minute(&until.get_untracked()),
            note: note.get_untracked(),
        };
        // The same rules as the server's: a mistake is said here, not after the send.
        if let Err(err) = new.validate(&bounds, now) {
            message.set(Some((false, err.message(lang))));
            return;
        }
        chosen.set(None);
        note.set(String::new());
        from.set(String::new());
        until.set(String::new());
        message.set(Some((
            true,
            lang.pick(
                "Rapporten är sparad och skickas så snart det går. Den räknas när samordnaren har granskat den.",
                "The report is saved and sent as soon as possible. It counts once the coordinator has reviewed it.",
            )
            .into(),
        )));
        #[cfg(feature = "hydrate")]
        {
            let json = serde_json::to_string(&new).unwrap_or_default();
            leptos::task::spawn_local(async move {
                if let Err(err) = crate::ui::outbox::save_incident(json).await {
                    leptos::logging::error!("outbox: {err}");
                }
            });
        }
    };
    let categories = data.categories.clone();
    view! {
        <section class="capture incidents">
            <header class="capture-head">
                <h1>{lang.pick("Rapportera en händelse", "Report an incident")}</h1>
                <p class="hint">{lang.pick(
                    "Rapporten granskas av kommunens trygghetssamordnare innan den räknas i lägesbilden. Din organisation ser era egna rapporter; andra ser bara sammanvägda antal.",
                    "The municipality's coordinator reviews the report before it counts in the picture. Your organisation sees its own reports; others see only aggregated counts.",
                )}</p>
                <OutboxStatus/>
            </header>
            <Notices notices=data.notices.clone()/>
            <FocusPlaces focus=data.focus.clone()/>
            <CaptureMap settings=data.map.clone() pins=Signal::derive(Vec::new) chosen/>
            <form class="stack capture-form" on:submit=send>
                <PlacePicker chosen/>
                <label>
                    {lang.pick("Kategori", "Category")}
                    <select on:change=move |ev| category.set(event_target_value(&ev)) prop:value=move || category.get()>
                        <option value="">{lang.pick("Välj…", "Choose…")}</option>
                        {categories.iter().map(|c| view! {
                            <option value=c.id.clone()>{lang.pick(&c.label_sv, &c.label_en).to_owned()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <Suspense fallback=|| ()>
                    {move || maybe_same.get().filter(|found| !found.is_empty()).map(|found| view! {
                        <div class="notice maybe-same" role="status">
                            <p><strong>{lang.pick("Är det här samma sak?", "Is this the same thing?")}</strong>" "
                                {lang.pick(
                                    "Det finns redan rapporter av samma slag inom 50 meter. Skicka ändå om det är något nytt; samordnaren slår ihop dubbletter.",
                                    "There are already reports of the same kind within 50 metres. Send anyway if it is something new; the coordinator merges duplicates.",
                                )}</p>
                            <ul>
                                {found.into_iter().map(|nearby| view! {
                                    <li>{format!("{} – {} m, {}", nearby.category_label, nearby.distance_m.round(), stockholm_time(nearby.observed_at))}
                                        " (" {nearby.status.label(lang)} ")"</li>
                                }).collect_view()}
                            </ul>
                        </div>
                    })}
                </Suspense>
                <label>
                    {lang.pick("När? (tomt = nu)", "When? (empty = now)")}
                    <input type="datetime-local" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                </label>
                <label>
                    {lang.pick("Pågick till (om det var en tidsperiod)", "Lasted until (if it was a period)")}
                    <input type="datetime-local" prop:value=move || until.get() on:input=move |ev| until.set(event_target_value(&ev))/>
                </label>
                <label>
                    {lang.pick("Vad hände?", "What happened?")}
                    <textarea rows="3" maxlength="2000" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    <span class="warning">{lang.pick(
                        "Skriv inga namn eller personnummer – beskriv vad som hände, inte vem.",
                        "Do not write names or personal identity numbers – describe what happened, not who.",
                    )}</span>
                </label>
                <button type="submit" class="primary">{lang.pick("Skicka rapport", "Send report")}</button>
                {move || message.get().map(|(ok, text)| view! { <p class=if ok { "hint" } else { "error" } role="status">{text}</p> })}
            </form>
            <OrganisationReports reports=data.reports.clone()/>
        </section>
    }
}

/// "Vecka 51" for the week starting on `monday`.
pub fn week_label(monday: chrono::NaiveDate, lang: crate::i18n::Lang) -> String {
    use chrono::Datelike;
    format!("{} {}", lang.pick("Vecka", "Week"), monday.iso_week().week())
}

/// Where the weekly lägesbild asked the organisation to look more closely.
#[component]
fn FocusPlaces(focus: Vec<FocusPlace>) -> impl IntoView {
    let lang = use_lang();
    (!focus.is_empty()).then(|| {
        view! {
            <div class="notice focus-places">
                <h2>{lang.pick("Era fokusplatser", "Your focus places")}</h2>
                <ul>
                    {focus.into_iter().map(|place| view! {
                        <li><strong>{week_label(place.week_of, lang)}": " {place.place}</strong>
                            {(!place.note.is_empty()).then(|| format!(" – {}", place.note))}</li>
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// What changed about the reporter's reports since they last looked.
#[component]
fn Notices(notices: Vec<Notice>) -> impl IntoView {
    let lang = use_lang();
    let shown = RwSignal::new(notices);
    let seen = Action::new(|_: &()| notices_seen());
    move || {
        let notices = shown.get();
        (!notices.is_empty()).then(|| view! {
            <div class="notice notices" role="status">
                <h2>{lang.pick("Nytt om dina rapporter", "News about your reports")}</h2>
                <ul>
                    {notices.into_iter().map(|notice| view! {
                        <li><strong>{notice.category_label}</strong>", " {stockholm_time(notice.at)} ": " {notice.status.label(lang)}
                            {(!notice.decision_note.is_empty()).then(|| format!(" – {}", notice.decision_note))}</li>
                    }).collect_view()}
                </ul>
                <button type="button" class="secondary" on:click=move |_| {
                    seen.dispatch(());
                    shown.set(Vec::new());
                }>{lang.pick("Jag har läst", "Mark as read")}</button>
            </div>
        })
    }
}

/// The organisation's reports, newest first, with their status.
#[component]
fn OrganisationReports(reports: Vec<Incident>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2>{lang.pick("Organisationens rapporter", "The organisation's reports")}</h2>
        {if reports.is_empty() {
            view! { <p class="hint">{lang.pick("Inga rapporter ännu.", "No reports yet.")}</p> }.into_any()
        } else {
            view! {
                <ul class="incident-list">
                    {reports.into_iter().map(|report| {
                        let status_class = match report.status {
                            Status::Pending => "status pending",
                            Status::Accepted => "status accepted",
                            Status::Rejected | Status::Merged => "status closed",
                        };
                        view! {
                            <li>
                                <strong>{report.category_label}</strong>
                                {report.place.map(|place| format!(", {place}"))}
                                ", " {stockholm_time(report.observed_at)}
                                " " <span class=status_class>{report.status.label(lang)}</span>
                                {(!report.decision_note.is_empty()).then(|| view! { <br/><span class="hint">{report.decision_note}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
