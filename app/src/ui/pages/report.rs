//! Reporting an open drug scene (plan 10): where, what kind, when in the day, a note.
//! Restricted from the start: only police and coordinators see the exact place.

use leptos::prelude::*;

use crate::domain::access::pages::Page;
use crate::domain::observation::{Kind, NewObservation, TimeOfDay};
use crate::server_fns::reports::{get_report_page, ReportPage};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::map::capture::{CaptureMap, Chosen, PlacePicker};
use crate::ui::outbox::OutboxStatus;
use crate::ui::use_lang;

#[component]
pub fn ReportPageView() -> impl IntoView {
    let page = Resource::new(|| (), |_| get_report_page());
    view! {
        <RequirePage page=Page::Report>
            <Loaded resource=page render=|data| view! { <Report data/> }/>
        </RequirePage>
    }
}

#[component]
fn Report(data: ReportPage) -> impl IntoView {
    let lang = use_lang();
    let chosen = RwSignal::new(None::<Chosen>);
    let category = RwSignal::new(String::new());
    let time_of_day = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);

    let send = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(at), false) = (chosen.get_untracked(), category.get_untracked().is_empty()) else {
            message.set(Some(
                lang.pick("Välj plats och typ.", "Choose the place and the type.")
                    .into(),
            ));
            return;
        };
        let new = NewObservation {
            time_of_day: match time_of_day.get_untracked().as_str() {
                "morning" => Some(TimeOfDay::Morning),
                "day" => Some(TimeOfDay::Day),
                "evening" => Some(TimeOfDay::Evening),
                "night" => Some(TimeOfDay::Night),
                _ => None,
            },
            ..at.observation(Kind::DrugScene, category.get_untracked(), note.get_untracked())
        };
        chosen.set(None);
        note.set(String::new());
        message.set(Some(
            lang.pick(
                "Rapporten är sparad och skickas så snart det går.",
                "The report is saved and sent as soon as possible.",
            )
            .into(),
        ));
        #[cfg(feature = "hydrate")]
        {
            let json = serde_json::to_string(&new).unwrap_or_default();
            leptos::task::spawn_local(async move {
                if let Err(err) = crate::ui::outbox::save_observation(json, None).await {
                    leptos::logging::error!("outbox: {err}");
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = new;
    };
    view! {
        <section class="capture report">
            <header class="capture-head">
                <h1>{lang.pick("Rapportera öppen drogscen", "Report an open drug scene")}</h1>
                <p class="hint">{lang.pick(
                    "Rapporten och den exakta platsen syns bara för polis och kommunens samordnare.",
                    "The report and the exact place are seen only by the police and the municipality's coordinators.",
                )}</p>
                <OutboxStatus/>
            </header>
            <CaptureMap settings=data.map.clone() pins=Signal::derive(Vec::new) chosen/>
            <form class="stack capture-form" on:submit=send>
                <PlacePicker chosen/>
                <label>
                    {lang.pick("Typ", "Type")}
                    <select on:change=move |ev| category.set(event_target_value(&ev))>
                        <option value="">{lang.pick("Välj…", "Choose…")}</option>
                        {data.categories.iter().map(|c| view! {
                            <option value=c.id.clone()>{lang.pick(&c.label_sv, &c.label_en).to_owned()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {lang.pick("När på dygnet?", "When in the day?")}
                    <select on:change=move |ev| time_of_day.set(event_target_value(&ev))>
                        <option value="">{lang.pick("Vet ej", "Not known")}</option>
                        <option value="morning">{lang.pick("Morgon", "Morning")}</option>
                        <option value="day">{lang.pick("Dag", "Day")}</option>
                        <option value="evening">{lang.pick("Kväll", "Evening")}</option>
                        <option value="night">{lang.pick("Natt", "Night")}</option>
                    </select>
                </label>
                <label>
                    {lang.pick("Anteckning", "Note")}
                    <textarea rows="3" maxlength="4000" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    <span class="warning">{lang.pick("Skriv inga namn eller personnummer.", "Do not write names or personal identity numbers.")}</span>
                </label>
                <button type="submit" class="primary">{lang.pick("Skicka rapport", "Send report")}</button>
                {move || message.get().map(|text| view! { <p class="hint" role="status">{text}</p> })}
            </form>
        </section>
    }
}
