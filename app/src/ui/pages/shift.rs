//! Grannstödsbil shift (plan 6.2): read the briefing and the recent burglary-related
//! observations, start the shift, log what you see with one tap, end with a summary.
//! The GPS track is recorded while the page is open and sent in batches. Start and end
//! go through the phone's outbox like everything else, so a whole shift can be driven in
//! a dead zone; the screen is kept on while it runs.

use leptos::prelude::*;

use crate::domain::access::pages::Page;
use crate::domain::access::Capability;
use crate::domain::ids::{ObservationId, ShiftId};
use crate::domain::observation::{Kind, NewObservation};
use crate::domain::shift::{NewShift, ShiftSummary};
use crate::domain::tasking::{FocusPlace, Tasking, TASKING_DAYS};
use crate::server_fns::shifts::{end_shift, get_shift_page, MarkFocusPlace, ShiftPage, WriteBriefing};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::map::capture::{CaptureMap, Chosen, Pin};
use crate::ui::format;
use crate::ui::outbox::{self, OutboxStatus, RefusedRecords};
use crate::ui::use_lang;

#[component]
pub fn ShiftPageView() -> impl IntoView {
    let page = Resource::new(|| (), |_| get_shift_page());
    view! {
        <RequirePage page=Page::Shifts>
            <Loaded resource=page render=|data| view! { <Shift data/> }/>
        </RequirePage>
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
    let last_logged = RwSignal::new(None::<ObservationId>);
    let note = RwSignal::new(String::new());
    let vehicle = RwSignal::new(String::new());
    let co_driver = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let driver = crate::ui::use_user()
        .map(|user| user.id)
        .unwrap_or(crate::domain::ids::UserId::NONE);
    let gaps = RwSignal::new(Vec::<crate::ui::track::Gap>::new());
    let screen_on = RwSignal::new(None::<bool>);

    // A running shift (also after a reload, or a page from the offline cache that knows
    // nothing of a shift started since) records its track.
    Effect::new(move |_| {
        if running.get_untracked().is_none() {
            if let Some(started) = outbox::running_shift(driver) {
                running.set(Some(local_summary(&started)));
            }
        }
    });
    Effect::new(move |_| {
        if let Some(shift) = running.get() {
            crate::ui::track::start_tracking(shift.id);
            gaps.set(crate::ui::track::track_gaps(shift.id));
        }
    });
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let gap = window_event_listener_untyped("tryggkarta-gap", move |_| {
            if let Some(shift) = running.get_untracked() {
                gaps.set(crate::ui::track::track_gaps(shift.id));
            }
        });
        let lock = window_event_listener_untyped("tryggkarta-wakelock", move |event| {
            let held = event
                .dyn_ref::<web_sys::CustomEvent>()
                .and_then(|event| js_sys::Reflect::get(&event.detail(), &"held".into()).ok())
                .and_then(|value| value.as_bool());
            screen_on.set(held);
        });
        on_cleanup(move || {
            gap.remove();
            lock.remove();
        });
    }

    let start = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let new = NewShift {
            id: Some(ShiftId::new()),
            vehicle: vehicle.get_untracked().trim().to_owned(),
            co_driver: co_driver.get_untracked().trim().to_owned(),
            started_at: Some(chrono::Utc::now()),
        };
        if new.vehicle.is_empty() {
            message.set(Some(
                lang.pick("Ange vilken bil du kör.", "Enter which car you are driving.")
                    .into(),
            ));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match outbox::start_shift(&new, driver).await {
                Ok(()) => {
                    message.set(None);
                    running.set(Some(local_summary(&new)));
                }
                Err(err) => message.set(Some(format!(
                    "{} ({err})",
                    lang.pick(
                        "Passet kunde inte sparas på telefonen.",
                        "The shift could not be saved on the phone."
                    )
                ))),
            }
            busy.set(false);
        });
    };

    let end = move |_| {
        let Some(shift) = running.get_untracked() else {
            return;
        };
        confirming.set(false);
        busy.set(true);
        let ended_at = chrono::Utc::now();
        leptos::task::spawn_local(async move {
            let _ = crate::ui::track::stop_tracking(shift.id).await;
            let summary = match crate::ui::track::end_shift(shift.id, ended_at, driver).await {
                // The server has the whole shift: its summary, with the distance driven.
                Ok(0) => end_shift(shift.id).await.ok(),
                _ => None,
            };
            running.set(None);
            match summary {
                Some(summary) => {
                    message.set(None);
                    ended.set(Some(summary));
                }
                None => {
                    message.set(Some(
                        lang.pick(
                            "Passet är avslutat och sparat på telefonen. Det skickas när telefonen har nät igen.",
                            "The shift has ended and is saved on the phone. It is sent when the phone has network again.",
                        )
                        .into(),
                    ));
                    // The distance is worked out by the server from the whole track.
                    ended.set(Some(ShiftSummary {
                        ended_at: Some(ended_at),
                        duration_s: (ended_at - shift.started_at).num_seconds().max(0),
                        distance_m: f64::NAN,
                        observations: i64::from(logged.get_untracked()),
                        ..shift
                    }));
                }
            }
            busy.set(false);
        });
    };

    let quick_log = move |category: String, shift_id: ShiftId| {
        let Some((lat, lng, accuracy)) = crate::ui::track::last_fix() else {
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

    let briefing = data.briefing.clone();
    let quick = data.quick_log.clone();
    let tasking = data.tasking.clone();
    // A focus place marked here joins the list and the map at once.
    let focus_places = RwSignal::new(tasking.focus_places.clone());
    let added = Callback::new(move |place: FocusPlace| focus_places.update(|list| list.insert(0, place)));
    let burglary: Vec<Pin> = data
        .burglary
        .iter()
        .map(|o| Pin::of(o, &data.quick_log, lang))
        .collect();
    // The burglaries and the police's focus places on the same map, named as such. A
    // generalised focus place (no signed confidentiality agreement) is no pin: it has no point.
    let pins = Signal::derive(move || {
        let focus = focus_places.with(|places| {
            places
                .iter()
                .filter(|place| place.exact)
                .map(|place| Pin {
                    id: place.id.0,
                    lat: place.lat,
                    lng: place.lng,
                    unsent: false,
                    label: format!("{} {}", lang.pick("Fokusplats:", "Focus place:"), place.title),
                })
                .collect::<Vec<_>>()
        });
        burglary.iter().cloned().chain(focus).collect::<Vec<Pin>>()
    });
    // A place tapped on the map, for a new focus place.
    let picked = RwSignal::new(None::<Chosen>);
    let marks = crate::ui::user_may(Capability::FollowUp);
    view! {
        <section class="capture shift">
            <header class="capture-head">
                <h1>{lang.pick("Grannstödspass", "Patrol shift")}</h1>
                <OutboxStatus/>
            </header>
            <RefusedRecords/>
            {marks.then(|| view! { <BriefingDesk/> })}
            <article class="briefing">
                <h2>{lang.pick("Lägesinformation från polisen", "Briefing from the police")}</h2>
                {match briefing {
                    Some(b) => view! {
                        <p class="briefing-body">{b.body}</p>
                        <p class="hint">{b.author} " · " {crate::ui::format::stockholm_time(b.written_at)}</p>
                    }.into_any(),
                    None => view! { <p class="hint">{lang.pick("Ingen lägesinformation just nu.", "No briefing right now.")}</p> }.into_any(),
                }}
            </article>
            <h2>{lang.pick("Inbrottsrelaterat senaste 14 dagarna", "Burglary-related, last 14 days")}</h2>
            <CaptureMap settings=data.map.clone() pins chosen=picked/>
            <TaskingPanel tasking focus_places/>
            {marks.then(|| view! { <FocusPlaceDesk picked added/> })}
            {move || message.get().map(|text| view! { <p class="hint capture-form" role="status">{text}</p> })}
            {move || match (running.get(), ended.get()) {
                (Some(shift), _) => {
                    let quick = quick.clone();
                    view! {
                        <div class="capture-form stack">
                            <p class="hint">{move || match screen_on.get() {
                                Some(true) => lang.pick("Skärmen hålls tänd under passet.", "The screen is kept on during the shift."),
                                Some(false) => lang.pick(
                                    "Telefonen kan släcka skärmen: håll sidan öppen, annars blir det luckor i rutten.",
                                    "The phone may turn the screen off: keep this page open, or the route gets gaps.",
                                ),
                                None => "",
                            }}</p>
                            {move || (!gaps.get().is_empty()).then(|| view! {
                                <div class="gaps">
                                    <p>{lang.pick("Luckor i rutten (sidan var dold):", "Gaps in the route (page hidden):")}</p>
                                    <ul>{gaps.get().into_iter().map(|gap| view! {
                                        <li>{format::stockholm_time(gap.from)} " – " {format::stockholm_time(gap.to)}</li>
                                    }).collect_view()}</ul>
                                </div>
                            })}
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
                            // Always in view, above the menu: that the route is recorded, and
                            // the end of the shift.
                            <div class="shift-bar">
                                <p class="recording" role="status">
                                    <span class="recording-dot" aria-hidden="true"></span>
                                    <strong>{lang.pick("Rutten spelas in", "Recording the route")}</strong>
                                    " · " {shift.vehicle.clone()} " · " {lang.pick("sedan ", "since ")} {format::stockholm_time(shift.started_at)}
                                    " · " {move || match lang {
                                        crate::i18n::Lang::Sv => format!("{} loggade", logged.get()),
                                        crate::i18n::Lang::En => format!("{} logged", logged.get()),
                                    }}
                                </p>
                                <Show
                                    when=move || confirming.get()
                                    fallback=move || view! {
                                        <button type="button" class="primary" on:click=move |_| confirming.set(true) disabled=move || busy.get()>
                                            {lang.pick("Avsluta passet", "End the shift")}
                                        </button>
                                    }
                                >
                                    <div class="confirm" role="alertdialog" aria-labelledby="confirm-end">
                                        <p id="confirm-end"><strong>{lang.pick("Vill du avsluta passet?", "Do you want to end the shift?")}</strong></p>
                                        <div class="row">
                                            <button type="button" class="primary" on:click=end>{lang.pick("Ja, avsluta", "Yes, end it")}</button>
                                            <button type="button" class="secondary" on:click=move |_| confirming.set(false)>{lang.pick("Fortsätt köra", "Keep driving")}</button>
                                        </div>
                                    </div>
                                </Show>
                            </div>
                        </div>
                    }.into_any()
                }
                (None, Some(summary)) => view! {
                    <section class="capture-form summary" aria-label=lang.pick("Sammanfattning", "Summary")>
                        <h2>{lang.pick("Passet är avslutat", "The shift has ended")}</h2>
                        <dl>
                            <dt>{lang.pick("Tid", "Time")}</dt><dd class="duration">{format::duration(summary.duration_s)}</dd>
                            <dt>{lang.pick("Körsträcka", "Distance")}</dt><dd class="distance" data-metres=summary.distance_m>{if summary.distance_m.is_nan() {
                                lang.pick("räknas fram när passet har skickats", "worked out once the shift is sent").to_owned()
                            } else {
                                format::distance(summary.distance_m)
                            }}</dd>
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

/// What the page shows of a shift it started itself, before the server has a summary.
fn local_summary(new: &NewShift) -> ShiftSummary {
    ShiftSummary {
        id: new.id.unwrap_or(ShiftId::NONE),
        vehicle: new.vehicle.clone(),
        co_driver: new.co_driver.clone(),
        started_at: new.started_at.unwrap_or_else(chrono::Utc::now),
        ended_at: None,
        duration_s: 0,
        distance_m: 0.0,
        observations: 0,
        track_points: 0,
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

/// Where to drive: the police's focus places, the burglary hotspots and the named areas
/// least covered by patrols.
#[component]
fn TaskingPanel(tasking: Tasking, focus_places: RwSignal<Vec<FocusPlace>>) -> impl IntoView {
    let lang = use_lang();
    let least: Vec<_> = tasking.coverage.iter().take(3).cloned().collect();
    let unnamed = lang.pick("utanför namngivna områden", "outside named areas");
    view! {
        <article class="tasking capture-form">
            <h2>{lang.pick("Fokusplatser från polisen", "Focus places from the police")}</h2>
            {move || focus_places.with(Vec::is_empty).then(|| view! { <p class="hint">{lang.pick("Inga fokusplatser just nu.", "No focus places right now.")}</p> })}
            <ul>
                {move || focus_places.get().into_iter().map(|place| view! {
                    <li>
                        <strong>{if place.exact {
                            place.title.clone()
                        } else {
                            lang.pick("Fokusplats (ungefärligt läge)", "Focus place (approximate)").to_owned()
                        }}</strong>
                        {place.place.clone().map(|name| format!(" · {name}"))}
                        {format!(" · {} {}", lang.pick("inom", "within"), format::distance(place.radius_m))}
                        {place.until_on.clone().map(|day| format!(" · {} {day}", lang.pick("till och med", "until")))}
                        {(!place.note.is_empty()).then(|| view! { <br/><span class="hint">{place.note.clone()}</span> })}
                        {(!place.exact).then(|| view! { <br/><span class="hint">{lang.pick(
                            "Exakt plats och beskrivning ser du när du har skrivit under tystnadslöftet hos samordnaren.",
                            "You see the exact place and description once you have signed the confidentiality agreement with the coordinator.",
                        )}</span> })}
                    </li>
                }).collect_view()}
            </ul>
            <h2>{format!("{} {TASKING_DAYS} {}", lang.pick("Inbrottsplatser senaste", "Burglary hotspots, last"), lang.pick("dagarna", "days"))}</h2>
            <p class="hint">{lang.pick(
                "Hexagoner med minst tre inbrottsrelaterade iakttagelser.",
                "Hexagons with at least three burglary-related observations.",
            )}</p>
            {tasking.hotspots.is_empty().then(|| view! { <p class="hint">{lang.pick("Inga just nu.", "None right now.")}</p> })}
            <ol>
                {tasking.hotspots.into_iter().map(|spot| view! {
                    <li>{spot.place.clone().unwrap_or_else(|| unnamed.to_owned())} " · "
                        {format!("{} {}", spot.count, lang.pick("iakttagelser", "observations"))}</li>
                }).collect_view()}
            </ol>
            {(!least.is_empty()).then(|| view! {
                <h2>{lang.pick("Minst patrullerat senaste 30 dagarna", "Least patrolled, last 30 days")}</h2>
                <ol>
                    {least.into_iter().map(|area| view! {
                        <li>{area.area.clone()} " · "
                            {format!("{} {}", area.track_points, lang.pick("ruttpunkter", "track points"))}</li>
                    }).collect_view()}
                </ol>
            })}
        </article>
    }
}

/// For police and coordinators: mark a focus place where the map was tapped.
#[component]
fn FocusPlaceDesk(picked: RwSignal<Option<Chosen>>, added: Callback<FocusPlace>) -> impl IntoView {
    let lang = use_lang();
    let mark = ServerAction::<MarkFocusPlace>::new();
    let id = RwSignal::new(crate::domain::ids::FocusPlaceId::new());
    let form = NodeRef::<leptos::html::Form>::new();
    // A marked place is listed at once; the form empties for the next one.
    Effect::new(move |_| {
        if let Some(Ok(place)) = mark.value().get() {
            id.set(crate::domain::ids::FocusPlaceId::new());
            picked.set(None);
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
            added.run(place);
        }
    });
    view! {
        <details class="plan capture-form">
            <summary>{lang.pick("Markera en fokusplats för förarna", "Mark a focus place for the drivers")}</summary>
            <p class="hint" aria-live="polite">{move || match picked.get() {
                Some(place) => format!("{} {}", lang.pick("Vald plats:", "Chosen place:"), crate::ui::format::position(place.lat, place.lng, lang)),
                None => lang.pick("Tryck på kartan ovan där förarna ska titta.", "Tap the map above where the drivers should look.").to_owned(),
            }}</p>
            <ActionForm action=mark node_ref=form attr:class="stack">
                <input type="hidden" name="id" prop:value=move || id.get().to_string()/>
                <input type="hidden" name="lat" prop:value=move || picked.get().map(|p| p.lat.to_string()).unwrap_or_default()/>
                <input type="hidden" name="lng" prop:value=move || picked.get().map(|p| p.lng.to_string()).unwrap_or_default()/>
                <label>{lang.pick("Rubrik", "Title")}<input type="text" name="title" required maxlength="200"/></label>
                <label>{lang.pick("Vad ska förarna titta efter?", "What should the drivers look for?")}
                    <textarea name="note" rows="2" maxlength="2000"></textarea>
                    <span class="warning">{lang.pick("Skriv inga namn eller personnummer.", "Do not write names or personal identity numbers.")}</span>
                </label>
                <label>{lang.pick("Sista dag (tom tills vidare)", "Last day (empty until further notice)")}<input type="date" name="until_on"/></label>
                <button type="submit" class="primary" disabled=move || picked.get().is_none() || mark.pending().get()>
                    {lang.pick("Markera", "Mark")}
                </button>
                {move || mark.value().get().map(|result| match result {
                    Ok(place) => view! { <p role="status" class="hint">{format!("{} {}", lang.pick("Markerad:", "Marked:"), place.title)}</p> }.into_any(),
                    Err(err) => view! { <p role="alert" class="error">{err.message(lang)}</p> }.into_any(),
                })}
            </ActionForm>
        </details>
    }
}
