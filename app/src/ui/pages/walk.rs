//! Trygghetsvandring for participants: join with the code, then pin what feels unsafe —
//! tap the map or use GPS, drag the pin, pick a category, rate the place 0–3, write a
//! note, add a photo. Each finding is saved on the phone first and sent when possible.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::domain::ids::{ObservationId, WalkId};
use crate::domain::observation::{Kind, NewObservation, Observation};
use crate::error::AppError;
use crate::server_fns::walks::{get_walk_page, WalkPage};
use crate::ui::components::loaded::Loaded;
use crate::ui::components::map::capture::{CaptureMap, Chosen, Pin, PlacePicker};
use crate::ui::outbox::{pending_observations, OutboxStatus, RefusedRecords};
use crate::ui::pages::login::login_error;
use crate::ui::use_lang;

/// How often the walk's pins are fetched again while the page is open.
const REFRESH_MS: u64 = 10_000;
/// How long a "saved" or "sent" message stays before it fades.
const MESSAGE_MS: u64 = 6_000;

/// `/vandring`: the join form. Posts to the server, so it works on any phone.
#[component]
pub fn WalkJoinPage() -> impl IntoView {
    crate::ui::components::guard::interactive_once_hydrated();
    let lang = use_lang();
    let query = use_query_map();
    let code = move || query.read().get("kod").unwrap_or_default();
    let error = move || {
        query.read().get("fel").map(|code| match code.as_str() {
            "code" => lang
                .pick(
                    "Koden stämmer inte, eller vandringen är avslutad. Kontrollera koden med samordnaren.",
                    "The code is not right, or the walk has ended. Check the code with the coordinator.",
                )
                .to_owned(),
            other => login_error(other).message(lang),
        })
    };
    view! {
        <section class="login">
            <h1>{lang.pick("Delta i trygghetsvandring", "Join a safety walk")}</h1>
            {move || error().map(|message| view! { <p class="error" role="alert">{message}</p> })}
            <form method="post" action="/vandring" class="stack">
                <label>
                    {lang.pick("Kod", "Code")}
                    <input
                        name="kod"
                        value=code
                        required
                        autocomplete="off"
                        autocapitalize="characters"
                        class="join-code"
                        maxlength="12"
                    />
                </label>
                <button type="submit" class="primary">{lang.pick("Gå med", "Join")}</button>
            </form>
            <p class="hint">{lang.pick(
                "Du behöver inget konto. Det du markerar syns för alla i vandringen och för kommunen.",
                "You need no account. What you mark is seen by everyone on the walk and by the municipality.",
            )}</p>
        </section>
    }
}

/// The walk named by the route's `:id`, with its findings.
pub fn walk_page_of_route() -> Resource<Result<WalkPage, AppError>> {
    let params = use_params_map();
    let walk_id = move || params.read().get("id").and_then(|id| id.parse::<WalkId>().ok());
    Resource::new(walk_id, |id| async move {
        match id {
            Some(id) => get_walk_page(id).await,
            None => Err(AppError::NotFound),
        }
    })
}

/// `/vandring/:id`: the capture page.
#[component]
pub fn WalkCapturePage() -> impl IntoView {
    crate::ui::components::guard::interactive_once_hydrated();
    view! { <Loaded resource=walk_page_of_route() render=|data| view! { <WalkCapture data/> }/> }
}

#[component]
fn WalkCapture(data: WalkPage) -> impl IntoView {
    let lang = use_lang();
    let walk = data.walk.clone();
    let server_findings = RwSignal::new(data.findings.clone());
    let unsent = RwSignal::new(Vec::<NewObservation>::new());
    // Findings this phone sent that the page has not read back from the server yet: a
    // page reopened offline (its copy older than the sending) still lists them.
    // Read after hydration: the server rendered the list without them, and a first render
    // in the browser that differs from the server's would leave the list dead.
    let sent_here = RwSignal::new(Vec::<NewObservation>::new());
    let remembered_walk = walk.id;
    Effect::new(move |_| sent_here.set(sent::remembered(remembered_walk)));
    let chosen = RwSignal::new(None::<Chosen>);
    let category = RwSignal::new(String::new());
    let rating = RwSignal::new(None::<i64>);
    let note = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    // Each message fades after a while, unless a newer one replaced it.
    let shown = RwSignal::new(0u32);
    let say = move |text: &str| {
        message.set(Some(text.to_owned()));
        let this = shown.get_untracked().wrapping_add(1);
        shown.set(this);
        #[cfg(feature = "hydrate")]
        set_timeout(
            move || {
                if shown.get_untracked() == this {
                    message.set(None);
                }
            },
            std::time::Duration::from_millis(MESSAGE_MS),
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (this, MESSAGE_MS);
    };
    let photo_input = NodeRef::<leptos::html::Input>::new();

    // Keep the walk's findings fresh: the server's and those still on this phone.
    let walk_id = walk.id;
    let reload_unsent = move || {
        leptos::task::spawn_local(async move {
            let waiting = pending_observations()
                .await
                .into_iter()
                .filter_map(|value| serde_json::from_value::<NewObservation>(value).ok())
                .filter(|new| new.walk_id == Some(walk_id))
                .collect::<Vec<NewObservation>>();
            // What left the outbox has reached the server.
            let gone: Vec<NewObservation> = unsent
                .get_untracked()
                .into_iter()
                .filter(|before| !waiting.iter().any(|now| now.id == before.id))
                .collect();
            if !gone.is_empty() {
                sent_here.update(|list| list.extend(gone));
                sent::remember(walk_id, &sent_here.get_untracked());
                say(lang.pick(
                    "Fyndet är skickat till servern.",
                    "The finding has reached the server.",
                ));
            }
            unsent.set(waiting);
        });
    };
    #[cfg(feature = "hydrate")]
    {
        reload_unsent();
        // Only the list is refreshed, so a finding being written is not disturbed.
        let refresh = move || {
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = get_walk_page(walk_id).await {
                    // Those the server has listed need no copy on the phone.
                    sent_here
                        .update(|list| list.retain(|new| !fresh.findings.iter().any(|o| o.id == new.id)));
                    sent::remember(walk_id, &sent_here.get_untracked());
                    server_findings.set(fresh.findings);
                }
            })
        };
        if let Ok(handle) = set_interval_with_handle(refresh, std::time::Duration::from_millis(REFRESH_MS)) {
            on_cleanup(move || handle.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = REFRESH_MS;
    let on_outbox_change = Callback::new(move |_count: u32| reload_unsent());

    let pin_categories = data.categories.clone();
    let pins = Signal::derive(move || {
        let stored = server_findings.get();
        let ids: Vec<ObservationId> = stored.iter().map(|o| o.id).collect();
        let sent = stored.iter().map(|o| Pin::of(o, &pin_categories, lang));
        let here = sent_here.get();
        let here = here
            .iter()
            .filter(|new| !ids.contains(&new.id))
            .map(|new| Pin::sent(new, &pin_categories, lang));
        let waiting = unsent.get();
        let waiting: Vec<Pin> = waiting
            .iter()
            .filter(|new| !ids.contains(&new.id))
            .map(|new| Pin::unsent(new, &pin_categories, lang))
            .collect();
        sent.chain(here).chain(waiting).collect::<Vec<Pin>>()
    });

    let categories = data.categories.clone();
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(at) = chosen.get_untracked() else {
            say(lang.pick(
                "Välj plats: tryck på kartan eller använd GPS.",
                "Choose the place: tap the map or use GPS.",
            ));
            return;
        };
        if category.get_untracked().is_empty() {
            say(lang.pick("Välj vad det gäller.", "Choose what it is about."));
            return;
        }
        let new = NewObservation {
            walk_id: Some(walk_id),
            rating: rating.get_untracked(),
            ..at.observation(Kind::WalkFinding, category.get_untracked(), note.get_untracked())
        };
        unsent.update(|list| list.push(new.clone()));
        // Every finding starts afresh: no place, category, rating or note carried over.
        chosen.set(None);
        category.set(String::new());
        note.set(String::new());
        rating.set(None);
        if is_online() {
            say(lang.pick("Sparat. Skickas nu…", "Saved. Sending now…"));
        } else {
            say(lang.pick(
                "Sparat på telefonen. Telefonen har inget nät: fyndet skickas när det finns täckning igen.",
                "Saved on the phone. There is no network: the finding is sent once there is coverage again.",
            ));
        }
        let _ = &photo_input;
        #[cfg(feature = "hydrate")]
        {
            let photo = photo_input
                .get_untracked()
                .and_then(|input| {
                    let file = input.files().and_then(|files| files.get(0));
                    input.set_value("");
                    file
                })
                .map(|file| {
                    (
                        new.id.to_string(),
                        crate::domain::ids::PhotoId::new().to_string(),
                        file,
                    )
                });
            let json = serde_json::to_string(&new).unwrap_or_default();
            leptos::task::spawn_local(async move {
                if let Err(err) = crate::ui::outbox::save_observation(json, photo).await {
                    leptos::logging::error!("outbox: {err}");
                    say(lang.pick(
                        "Kunde inte spara på telefonen. Försök igen.",
                        "Could not save on the phone. Try again.",
                    ));
                }
            });
        }
    };

    let category_label = {
        let categories = categories.clone();
        move |id: &str| {
            categories
                .iter()
                .find(|c| c.id == id)
                .map(|c| lang.pick(&c.label_sv, &c.label_en).to_owned())
                .unwrap_or_else(|| id.to_owned())
        }
    };
    let list_label = category_label.clone();
    view! {
        <section class="capture">
            <header class="capture-head">
                <h1>{walk.title.clone()}</h1>
                <p class="hint">{walk.area.clone()}
                    {(!walk.join_code.is_empty()).then(|| view! { " · " {lang.pick("Kod", "Code")} " " <strong>{walk.join_code.clone()}</strong> })}
                </p>
            </header>
            <CaptureMap settings=data.map.clone() pins chosen route=data.walk.route_path.clone()/>
            <form class="stack capture-form" on:submit=save>
                <PlacePicker chosen/>
                <label>
                    {lang.pick("Vad gäller det?", "What is it about?")}
                    <select name="category" on:change=move |ev| category.set(event_target_value(&ev)) prop:value=move || category.get()>
                        <option value="">{lang.pick("Välj…", "Choose…")}</option>
                        {categories.iter().map(|c| view! {
                            <option value=c.id.clone()>{lang.pick(&c.label_sv, &c.label_en).to_owned()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <fieldset class="rating">
                    <legend>{lang.pick("Hur trygg känns platsen? (0 = mycket otrygg, 3 = trygg)", "How safe does the place feel? (0 = very unsafe, 3 = safe)")}</legend>
                    {(0..=3).map(|value| view! {
                        <button
                            type="button"
                            class="rating-button"
                            aria-pressed=move || (rating.get() == Some(value)).to_string()
                            on:click=move |_| rating.set(Some(value))
                        >{value}</button>
                    }).collect_view()}
                </fieldset>
                <label>
                    {lang.pick("Anteckning", "Note")}
                    <textarea name="note" rows="3" maxlength="4000" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    <span class="warning">{lang.pick(
                        "Skriv inga namn eller personnummer.",
                        "Do not write names or personal identity numbers.",
                    )}</span>
                </label>
                <label>
                    {lang.pick("Foto (valfritt)", "Photo (optional)")}
                    <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" capture="environment" node_ref=photo_input/>
                </label>
                <div class="save-row">
                    <button type="submit" class="primary">{lang.pick("Spara fynd", "Save finding")}</button>
                    <OutboxStatus on_change=on_outbox_change/>
                </div>
            </form>
            // Above the bottom bar, where the thumb that pressed "Spara" can see it.
            <p class="toast" role="status" aria-live="polite" class:visible=move || message.get().is_some()>
                {move || message.get().unwrap_or_default()}
            </p>
            <RefusedRecords/>
            <h2>{lang.pick("Fynd i vandringen", "Findings on this walk")}</h2>
            <ul class="finding-list">
                {move || {
                    let label = list_label.clone();
                    let stored: Vec<Observation> = server_findings.get();
                    let ids: Vec<ObservationId> = stored.iter().map(|o| o.id).collect();
                    let waiting: Vec<NewObservation> = unsent.get().into_iter().filter(|n| !ids.contains(&n.id)).collect();
                    let here: Vec<NewObservation> = sent_here.get().into_iter().filter(|n| !ids.contains(&n.id)).collect();
                    stored.iter().map(|o| (label(&o.category), o.rating, o.note.clone(), false))
                        .chain(here.iter().map(|n| (label(&n.category), n.rating, n.note.clone(), false)))
                        .chain(waiting.iter().map(|n| (label(&n.category), n.rating, n.note.clone(), true)))
                        .map(|(category, rating, note, unsent)| view! {
                            <li class:unsent=unsent>
                                <strong>{category}</strong>
                                {rating.map(|r| format!(" · {r}/3"))}
                                {(!note.is_empty()).then(|| view! { <span class="note">{note}</span> })}
                                {unsent.then(|| view! { <span class="badge">{lang.pick("osänt", "unsent")}</span> })}
                            </li>
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

/// Whether the browser believes it has a network (the server alone knows for sure).
fn is_online() -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().is_none_or(|window| window.navigator().on_line())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        true
    }
}

/// The findings this phone sent on a walk, kept in the browser's storage until the page
/// reads them back from the server. Sign-out forgets them (`js/signout.js`).
mod sent {
    use crate::domain::ids::WalkId;
    use crate::domain::observation::NewObservation;

    /// The storage key: sign-out removes every key with this start.
    #[cfg(feature = "hydrate")]
    const PREFIX: &str = "tryggkarta-sent-";

    pub fn remembered(walk: WalkId) -> Vec<NewObservation> {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|window| window.local_storage().ok().flatten())
                .and_then(|storage| storage.get_item(&format!("{PREFIX}{walk}")).ok().flatten())
                .and_then(|json| serde_json::from_str(&json).ok())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = walk;
            Vec::new()
        }
    }

    pub fn remember(walk: WalkId, sent: &[NewObservation]) {
        #[cfg(feature = "hydrate")]
        if let Some(storage) = web_sys::window().and_then(|window| window.local_storage().ok().flatten()) {
            let key = format!("{PREFIX}{walk}");
            let _ = if sent.is_empty() {
                storage.remove_item(&key)
            } else {
                storage.set_item(&key, &serde_json::to_string(sent).unwrap_or_default())
            };
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (walk, sent);
    }
}
