//! Reporting an open drug scene (plan 10): where, what kind, when in the day, a note.
//! Restricted from the start: only police and coordinators see the exact place.

use leptos::prelude::*;

use crate::api::reports::{get_report_page, ReportPage};
use crate::domain::access::Area;
use crate::domain::observation::{Kind, NewObservation, PositionSource, TimeOfDay};
use crate::ui::components::guard::RequireArea;
use crate::ui::components::map::capture::{CaptureMap, Chosen};
use crate::ui::components::map::locate::{self, LocateState};
use crate::ui::outbox::OutboxStatus;
use crate::ui::pages::walk::new_id;
use crate::ui::use_lang;

#[component]
pub fn ReportPageView() -> impl IntoView {
    let lang = use_lang();
    let page = Resource::new(|| (), |_| get_report_page());
    view! {
        <RequireArea area=Area::Report>
            <Suspense fallback=move || view! { <p class="loading">{lang.pick("Laddar…", "Loading…")}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(data) => view! { <Report data/> }.into_any(),
                        Err(err) => view! { <p class="error notice" role="alert">{err.message(lang)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireArea>
    }
}

#[component]
fn Report(data: ReportPage) -> impl IntoView {
    let lang = use_lang();
    let chosen = RwSignal::new(None::<Chosen>);
    let category = RwSignal::new(String::new());
    let time_of_day = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let locating = RwSignal::new(LocateState::Idle);
    let message = RwSignal::new(None::<String>);

    let use_gps = move |_| {
        locating.set(LocateState::Searching);
        locate::current_position(
            move |found| {
                locating.set(LocateState::Found(found));
                chosen.set(Some(Chosen {
                    lat: found.lat,
                    lng: found.lng,
                    accuracy_m: Some(found.accuracy),
                }));
            },
            move |failure| locating.set(LocateState::Failed(failure)),
        );
    };
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
            id: new_id(),
            kind: Kind::DrugScene,
            category: category.get_untracked(),
            note: note.get_untracked(),
            lat: at.lat,
            lng: at.lng,
            accuracy_m: at.accuracy_m,
            position_source: if at.accuracy_m.is_some() {
                PositionSource::Gps
            } else {
                PositionSource::Manual
            },
            observed_at: time::OffsetDateTime::now_utc(),
            walk_id: None,
            shift_id: None,
            rating: None,
            time_of_day: match time_of_day.get_untracked().as_str() {
                "morning" => Some(TimeOfDay::Morning),
                "day" => Some(TimeOfDay::Day),
                "evening" => Some(TimeOfDay::Evening),
                "night" => Some(TimeOfDay::Night),
                _ => None,
            },
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
                <div class="row">
                    <button type="button" class="secondary" on:click=use_gps>{lang.pick("Använd min position", "Use my position")}</button>
                    <span class="hint" aria-live="polite">{move || match (chosen.get(), locating.get()) {
                        (Some(_), _) => lang.pick("Plats vald – dra nålen för att justera.", "Place chosen – drag the pin to adjust.").to_owned(),
                        (None, state @ (LocateState::Failed(_) | LocateState::Searching)) => state.describe(lang),
                        _ => lang.pick("Tryck på kartan där det gäller.", "Tap the map where it is.").to_owned(),
                    }}</span>
                </div>
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
