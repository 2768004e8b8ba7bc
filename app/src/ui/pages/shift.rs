//! Grannstödsbil shift (plan 6.2): read the briefing and the recent burglary-related
//! observations, start the shift, log what you see with one tap, end with a summary.
//! The GPS track is recorded while the page is open and sent in batches.

use leptos::prelude::*;
use uuid::Uuid;

use crate::api::shifts::{end_shift, get_shift_page, start_shift, ShiftPage, WriteBriefing};
use crate::domain::access::Area;
use crate::domain::observation::{Kind, NewObservation};
use crate::domain::shift::ShiftSummary;
use crate::ui::components::guard::RequireArea;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::map::capture::{CaptureMap, Chosen, Pin};
use crate::ui::format;
use crate::ui::outbox::{self, OutboxStatus};
use crate::ui::use_lang;

#[component]
pub fn ShiftPageView() -> impl IntoView {
    let page = Resource::new(|| (), |_| get_shift_page());
    view! {
        <RequireArea area=Area::Shifts>
            <Loaded resource=page render=|data| view! { <Shift data/> }/>
        </RequireArea>
    }
}

#[component]
fn Shift(data: ShiftPage) -> impl IntoView {
    let lang = use_lang();
    let running = RwSignal::new(data.active.clone().filter(|s| s.ended_at.is_none()));
    let ended = RwSignal::new(None::<ShiftSummary>);
    let message = RwSignal::new(None::<String>);
    let logged = RwSignal::new(0u32);
    // The observation just logged, for an optional note afterwards.
    let last_logged = RwSignal::new(None::<Uuid>);
    let note = RwSignal::new(String::new());
    let vehicle = RwSignal::new(String::new());
    let co_driver = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    // A running shift (also after a reload) records its track.
    Effect::new(move |_| {
        if let Some(shift) = running.get() {
            outbox::start_tracking(shift.id);
        }
    });

    let start = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match start_shift(vehicle.get_untracked(), co_driver.get_untracked()).await {
                Ok(shift) => {
                    message.set(None);
                    running.set(Some(shift));
                }
                Err(err) => message.set(Some(err.message(lang))),
            }
            busy.set(false);
        });
    };

    let end = move |_| {
        let Some(shift) = running.get_untracked() else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match outbox::stop_tracking(shift.id).await {
                Ok(0) => match end_shift(shift.id).await {
                    Ok(summary) => {
                        running.set(None);
                        ended.set(Some(summary));
                        message.set(None);
                    }
                    Err(err) => message.set(Some(err.message(lang))),
                },
                _ => message.set(Some(
                    lang.pick(
                        "Allt är inte skickat än. Avsluta passet när telefonen har nät igen.",
                        "Not everything is sent yet. End the shift when the phone has network again.",
                    )
                    .into(),
                )),
            }
            busy.set(false);
        });
    };

    let quick_log = move |category: String, shift_id: Uuid| {
        let Some((lat, lng, accuracy)) = outbox::last_fix() else {
            message.set(Some(
                lang.pick(
                    "Ingen GPS-position än. Vänta ett ögonblick och försök igen.",
                    "No GPS position yet. Wait a moment and try again.",
                )
                .into(),
            ));
            return;
        };
        let here = Chosen {
            lat,
            lng,
            accuracy_m: Some(accuracy),
        };
        let new = NewObservation {
            shift_id: Some(shift_id),
            ..here.observation(Kind::PatrolObservation, category, String::new())
        };
        logged.update(|n| *n += 1);
        last_logged.set(Some(new.id));
        note.set(String::new());
        message.set(Some(lang.pick("Loggat.", "Logged.").into()));
        #[cfg(feature = "hydrate")]
        {
            let json = serde_json::to_string(&new).unwrap_or_default();
            leptos::task::spawn_local(async move {
                if let Err(err) = outbox::save_observation(json, None).await {
                    leptos::logging::error!("outbox: {err}");
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = new;
    };

    let pins: Vec<Pin> = data.burglary.iter().map(Pin::of).collect();
    let briefing = data.briefing.clone();
    let quick = data.quick_log.clone();
    view! {
        <section class="capture shift">
            <header class="capture-head">
                <h1>{lang.pick("Grannstödspass", "Patrol shift")}</h1>
                <OutboxStatus/>
            </header>
            {crate::ui::use_user()
                .filter(|user| matches!(user.role, crate::domain::role::Role::Police | crate::domain::role::Role::Coordinator))
                .map(|_| view! { <BriefingDesk/> })}
            <article class="briefing">
                <h2>{lang.pick("Lägesinformation från polisen", "Briefing from the police")}</h2>
                {match briefing {
                    Some(b) => view! {
                        <p class="briefing-body">{b.body}</p>
                        <p class="hint">{b.author} " · " {b.written_at}</p>
                    }.into_any(),
                    None => view! { <p class="hint">{lang.pick("Ingen lägesinformation just nu.", "No briefing right now.")}</p> }.into_any(),
                }}
            </article>
            <h2>{lang.pick("Inbrottsrelaterat senaste 14 dagarna", "Burglary-related, last 14 days")}</h2>
            <CaptureMap settings=data.map.clone() pins=Signal::derive(move || pins.clone()) chosen=RwSignal::new(None)/>
            {move || message.get().map(|text| view! { <p class="hint capture-form" role="status">{text}</p> })}
            {move || match (running.get(), ended.get()) {
                (Some(shift), _) => {
                    let quick = quick.clone();
                    view! {
                        <div class="capture-form stack">
                            <p><strong>{shift.vehicle.clone()}</strong> " · " {lang.pick("passet pågår, rutten spelas in", "shift running, route is recorded")}</p>
                            <div class="quick-log">
                                {quick.into_iter().map(|c| {
                                    let id = c.id.clone();
                                    let shift_id = shift.id;
                                    view! {
                                        <button type="button" class="quick" on:click=move |_| quick_log(id.clone(), shift_id)>
                                            {lang.pick(&c.label_sv, &c.label_en).to_owned()}
                                        </button>
                                    }
                                }).collect_view()}
                            </div>
                            {move || last_logged.get().map(|id| view! {
                                <form class="stack note-after" on:submit=move |event: leptos::ev::SubmitEvent| {
                                    event.prevent_default();
                                    let text = note.get_untracked();
                                    last_logged.set(None);
                                    message.set(Some(lang.pick("Anteckningen är sparad.", "The note is saved.").into()));
                                    #[cfg(feature = "hydrate")]
                                    leptos::task::spawn_local(async move {
                                        if let Err(err) = outbox::save_note(id, text).await {
                                            leptos::logging::error!("outbox: {err}");
                                        }
                                    });
                                    #[cfg(not(feature = "hydrate"))]
                                    let _ = (id, text);
                                }>
                                    <label>
                                        {lang.pick("Anteckning till det du loggade (valfritt)", "Note on what you logged (optional)")}
                                        <textarea rows="2" maxlength="4000" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                                        <span class="warning">{lang.pick("Skriv inga namn eller personnummer.", "Do not write names or personal identity numbers.")}</span>
                                    </label>
                                    <button type="submit" class="secondary">{lang.pick("Spara anteckning", "Save note")}</button>
                                </form>
                            })}
                            <p class="hint">{move || match lang {
                                crate::i18n::Lang::Sv => format!("{} loggade under passet", logged.get()),
                                crate::i18n::Lang::En => format!("{} logged this shift", logged.get()),
                            }}</p>
                            <button type="button" class="primary" on:click=end disabled=move || busy.get()>
                                {lang.pick("Avsluta passet", "End the shift")}
                            </button>
                        </div>
                    }.into_any()
                }
                (None, Some(summary)) => view! {
                    <section class="capture-form summary" aria-label=lang.pick("Sammanfattning", "Summary")>
                        <h2>{lang.pick("Passet är avslutat", "The shift has ended")}</h2>
                        <dl>
                            <dt>{lang.pick("Tid", "Time")}</dt><dd class="duration">{format::duration(summary.duration_s)}</dd>
                            <dt>{lang.pick("Körsträcka", "Distance")}</dt><dd class="distance" data-metres=summary.distance_m>{format::distance(summary.distance_m)}</dd>
                            <dt>{lang.pick("Observationer", "Observations")}</dt><dd class="observations">{summary.observations}</dd>
                        </dl>
                    </section>
                }.into_any(),
                (None, None) => view! {
                    <form class="capture-form stack" on:submit=start>
                        <label>
                            {lang.pick("Bil", "Car")}
                            <input name="vehicle" required maxlength="100" on:input=move |ev| vehicle.set(event_target_value(&ev))/>
                        </label>
                        <label>
                            {lang.pick("Medförare", "Co-driver")}
                            <input name="co_driver" maxlength="100" on:input=move |ev| co_driver.set(event_target_value(&ev))/>
                            <span class="warning">{lang.pick("Förnamn räcker.", "A first name is enough.")}</span>
                        </label>
                        <button type="submit" class="primary" disabled=move || busy.get()>{lang.pick("Starta passet", "Start the shift")}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

/// For police and coordinators: write the briefing, and fetch the month's follow-up.
#[component]
fn BriefingDesk() -> impl IntoView {
    let lang = use_lang();
    let write = ServerAction::<WriteBriefing>::new();
    view! {
        <details class="plan capture-form">
            <summary>{lang.pick("Skriv lägesinformation till förarna", "Write a briefing for the drivers")}</summary>
            <ActionForm action=write attr:class="stack">
                <label>
                    {lang.pick("Lägesinformation", "Briefing")}
                    <textarea name="body" rows="4" maxlength="4000" required></textarea>
                    <span class="warning">{lang.pick("Skriv inga namn eller personnummer.", "Do not write names or personal identity numbers.")}</span>
                </label>
                <button type="submit" class="primary">{lang.pick("Publicera", "Publish")}</button>
                {move || write.value().get().map(|result| match result {
                    Ok(()) => view! { <p role="status" class="hint">{lang.pick("Publicerad. Förarna ser den när de öppnar Pass.", "Published. Drivers see it when they open Shifts.")}</p> }.into_any(),
                    Err(err) => view! { <p role="alert" class="error">{err.message(lang)}</p> }.into_any(),
                })}
            </ActionForm>
            <p><a href="/api/v1/shifts/report.csv" rel="external" download>
                {lang.pick("Månadens pass som CSV (timmar, km, observationer)", "This month's shifts as CSV (hours, km, observations)")}
            </a></p>
        </details>
    }
}
