//! The phone's outbox (`js/outbox.js`, IndexedDB) seen from Rust: save first, send when
//! possible, and the "N osända" indicator; and what every page starts in the browser
//! (`start`: the outbox, the sign-out guard of `js/signout.js`, the service worker of
//! `js/offline.js`). On the server these do nothing. The shift's track is `track`.

use leptos::prelude::*;

use crate::ui::use_lang;

// No import here may be a function without arguments and without an answer (or one of
// numbers only): wasm-bindgen imports such a function straight from the module, under the
// file's own name, which cargo-leptos's content hashing (`hash-files`) renames in the glue
// but not in the WASM, and then no page starts. `startOutbox` answers with the queue and
// `registerServiceWorker` takes the worker's path for that reason.
#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/ui/js/outbox.js")]
    extern "C" {
        #[wasm_bindgen(js_name = enqueueObservation, catch)]
        pub async fn enqueue_observation(json: String) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = enqueuePhoto, catch)]
        pub async fn enqueue_photo(
            observation_id: String,
            photo_id: String,
            file: web_sys::File,
        ) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = enqueueIncident, catch)]
        pub async fn enqueue_incident(json: String) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = enqueueNote, catch)]
        pub async fn enqueue_note(observation_id: String, note: String) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = pendingCount, catch)]
        pub async fn pending_count() -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = pendingObservations, catch)]
        pub async fn pending_observations() -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = enqueueShiftStart, catch)]
        pub async fn enqueue_shift_start(json: String, user_id: String) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = enqueueShiftEnd, catch)]
        pub async fn enqueue_shift_end(
            shift_id: String,
            json: String,
            user_id: String,
        ) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = runningShift)]
        pub fn running_shift(user_id: String) -> String;
        #[wasm_bindgen(js_name = refusedEntries, catch)]
        pub async fn refused_entries() -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = retryRefused, catch)]
        pub async fn retry_refused(seq: f64, corrected: Option<String>) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = discardRefused, catch)]
        pub async fn discard_refused(seq: f64) -> Result<JsValue, JsValue>;
        /// Starts sending (once) and answers with the queue, as `queue` does.
        #[wasm_bindgen(js_name = startOutbox)]
        pub fn start_outbox() -> JsValue;
        /// The queue's functions the track and the sign-out guard use.
        pub fn queue() -> JsValue;
    }

    #[wasm_bindgen(module = "/src/ui/js/signout.js")]
    extern "C" {
        #[wasm_bindgen(js_name = guardSignOut)]
        pub fn guard_sign_out(queue: &JsValue, tracker: &JsValue);
    }

    #[wasm_bindgen(module = "/src/ui/js/offline.js")]
    extern "C" {
        #[wasm_bindgen(js_name = registerServiceWorker)]
        pub fn register_service_worker(script: &str);
        #[wasm_bindgen(js_name = keepPage)]
        pub fn keep_page(path: &str);
    }
}

/// Tells the service worker the page now shown, reached by a link inside the app: a
/// capture page (Pass, Karta, Rapport, a walk) is kept so it reopens without network
/// however it was reached. On the server it does nothing.
pub fn keep_page(path: &str) {
    #[cfg(feature = "hydrate")]
    js::keep_page(path);
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// What every page does once in the browser: send what waits (now and whenever the
/// network comes back), ask before a sign-out would lose unsent records or a running
/// shift's `tracker` (`track::tracker`, handed in: the track uses the outbox, not the other
/// way round), and register the service worker that opens pages without signal.
#[cfg(feature = "hydrate")]
pub fn start(tracker: &wasm_bindgen::JsValue) {
    let queue = js::start_outbox();
    js::guard_sign_out(&queue, tracker);
    js::register_service_worker("/sw.js");
}

/// The queue, for the JavaScript of the track (`track`), which gets it from here.
#[cfg(feature = "hydrate")]
pub(crate) fn queue() -> wasm_bindgen::JsValue {
    js::queue()
}

/// The JSON text an outbox call answers with, parsed; empty when it failed.
#[cfg(feature = "hydrate")]
async fn parsed<T: serde::de::DeserializeOwned + Default>(
    answer: impl std::future::Future<Output = Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>>,
) -> T {
    answer
        .await
        .ok()
        .and_then(|value| value.as_string())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Saves the start of a shift in the outbox; it reaches the server when there is signal.
/// `driver` keys what the phone remembers, so a shared phone shows each driver their own.
pub async fn start_shift(
    new: &crate::domain::shift::NewShift,
    driver: crate::domain::ids::UserId,
) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    {
        let json = serde_json::to_string(new).map_err(|err| err.to_string())?;
        js::enqueue_shift_start(json, driver.to_string())
            .await
            .map(|_| ())
            .map_err(|err| format!("{err:?}"))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (new, driver);
        Ok(())
    }
}

/// Saves the end of a shift behind its observations and tries to send it all; `Ok(0)`
/// when the server has everything of this shift. The track is handed over first
/// (`track::end_shift`).
pub async fn queue_shift_end(
    shift_id: crate::domain::ids::ShiftId,
    ended_at: chrono::DateTime<chrono::Utc>,
    driver: crate::domain::ids::UserId,
) -> Result<u32, String> {
    #[cfg(feature = "hydrate")]
    {
        let json = serde_json::to_string(&crate::domain::shift::EndShift {
            ended_at: Some(ended_at),
        })
        .map_err(|err| err.to_string())?;
        let left = js::enqueue_shift_end(shift_id.to_string(), json, driver.to_string())
            .await
            .map_err(|err| format!("{err:?}"))?;
        Ok(left.as_f64().unwrap_or(0.0) as u32)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (shift_id, ended_at, driver);
        Ok(0)
    }
}

/// The shift this phone started and has not ended (also when the page came from the
/// offline cache, where the server's answer predates the start).
pub fn running_shift(driver: crate::domain::ids::UserId) -> Option<crate::domain::shift::NewShift> {
    #[cfg(feature = "hydrate")]
    {
        serde_json::from_str(&js::running_shift(driver.to_string())).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = driver;
        None
    }
}

/// Something the server refused for good, kept on the phone until the user decides.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct Refused {
    pub seq: f64,
    #[serde(rename = "type")]
    pub kind: String,
    pub status: u16,
    /// The server's JSON error, as text.
    pub reason: String,
    /// The JSON that was sent, when it was text (not a photo).
    pub body: Option<String>,
}

impl Refused {
    /// The server's own explanation in the user's language, or its status.
    pub fn explanation(&self, lang: crate::i18n::Lang) -> String {
        let parsed: Option<serde_json::Value> = serde_json::from_str(&self.reason).ok();
        let key = lang.pick("message", "message_en");
        parsed
            .as_ref()
            .and_then(|reason| reason[key].as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| {
                format!(
                    "{} {}",
                    lang.pick("Servern svarade", "The server answered"),
                    self.status
                )
            })
    }

    /// The observation's note, when this is an observation the user can correct.
    pub fn note(&self) -> Option<String> {
        let body: serde_json::Value = serde_json::from_str(self.body.as_deref()?).ok()?;
        body["note"].as_str().map(str::to_owned)
    }

    /// The body with the note replaced.
    pub fn with_note(&self, note: &str) -> Option<String> {
        let mut body: serde_json::Value = serde_json::from_str(self.body.as_deref()?).ok()?;
        body["note"] = serde_json::Value::String(note.to_owned());
        Some(body.to_string())
    }
}

pub async fn refused() -> Vec<Refused> {
    #[cfg(feature = "hydrate")]
    {
        parsed(js::refused_entries()).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Vec::new()
    }
}

/// Sends a refused record again, corrected when `corrected` holds a new body.
pub async fn retry_refused(seq: f64, corrected: Option<String>) {
    #[cfg(feature = "hydrate")]
    let _ = js::retry_refused(seq, corrected).await;
    #[cfg(not(feature = "hydrate"))]
    let _ = (seq, corrected);
}

pub async fn discard_refused(seq: f64) {
    #[cfg(feature = "hydrate")]
    let _ = js::discard_refused(seq).await;
    #[cfg(not(feature = "hydrate"))]
    let _ = seq;
}

/// Saves an observation (its JSON) in the outbox and starts sending it.
#[cfg(feature = "hydrate")]
pub async fn save_observation(
    json: String,
    photo: Option<(String, String, web_sys::File)>,
) -> Result<(), String> {
    js::enqueue_observation(json)
        .await
        .map_err(|err| format!("{err:?}"))?;
    if let Some((observation_id, photo_id, file)) = photo {
        js::enqueue_photo(observation_id, photo_id, file)
            .await
            .map_err(|err| format!("{err:?}"))?;
    }
    Ok(())
}

/// Saves a partner's incident report (its JSON) in the outbox and starts sending it.
#[cfg(feature = "hydrate")]
pub async fn save_incident(json: String) -> Result<(), String> {
    js::enqueue_incident(json)
        .await
        .map(|_| ())
        .map_err(|err| format!("{err:?}"))
}

/// Adds a note to an observation already saved (through the outbox, after it).
#[cfg(feature = "hydrate")]
pub async fn save_note(
    observation_id: crate::domain::ids::ObservationId,
    note: String,
) -> Result<(), String> {
    js::enqueue_note(observation_id.to_string(), note)
        .await
        .map(|_| ())
        .map_err(|err| format!("{err:?}"))
}

/// Observations still on the phone, as the JSON the server will get.
pub async fn pending_observations() -> Vec<serde_json::Value> {
    #[cfg(feature = "hydrate")]
    {
        parsed(js::pending_observations()).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Vec::new()
    }
}

/// What the server refused, each with its reason and a way to correct, resend or discard
/// it: nothing the user recorded disappears without their say.
#[component]
pub fn RefusedRecords() -> impl IntoView {
    let lang = use_lang();
    let entries = RwSignal::new(Vec::<Refused>::new());
    let reload = move || {
        leptos::task::spawn_local(async move { entries.set(refused().await) });
    };
    #[cfg(feature = "hydrate")]
    {
        reload();
        let handle = window_event_listener_untyped("tryggkarta-refused", move |_| reload());
        on_cleanup(move || handle.remove());
    }
    view! {
        <Show when=move || !entries.get().is_empty()>
            <section class="refused" aria-labelledby="refused-title">
                <h2 id="refused-title">{lang.pick("Sparat men inte mottaget av servern", "Saved but not accepted by the server")}</h2>
                <ul>
                    <For each=move || entries.get() key=|entry| entry.seq as u64 let:entry>
                        <RefusedEntry entry reload/>
                    </For>
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn RefusedEntry(entry: Refused, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let lang = use_lang();
    let seq = entry.seq;
    let note = RwSignal::new(entry.note().unwrap_or_default());
    let correctable = entry.note().is_some();
    let what = match entry.kind.as_str() {
        "observation" => lang.pick("Observation", "Observation"),
        "photo" => lang.pick("Foto", "Photo"),
        "note" => lang.pick("Anteckning", "Note"),
        "track" => lang.pick("Körd rutt", "Route driven"),
        "shift-start" | "shift-end" => lang.pick("Pass", "Shift"),
        _ => lang.pick("Uppgift", "Record"),
    };
    let explanation = entry.explanation(lang);
    let resend = move |_| {
        let corrected = if correctable {
            entry.with_note(&note.get_untracked())
        } else {
            None
        };
        leptos::task::spawn_local(async move {
            retry_refused(seq, corrected).await;
            reload();
        });
    };
    let discard = move |_| {
        leptos::task::spawn_local(async move {
            discard_refused(seq).await;
            reload();
        });
    };
    view! {
        <li class="refused-entry">
            <p><strong>{what}</strong> ": " {explanation}</p>
            {correctable.then(|| view! {
                <label>
                    {lang.pick("Rätta anteckningen", "Correct the note")}
                    <textarea rows="2" maxlength="4000" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </label>
            })}
            <div class="row">
                <button type="button" class="secondary" on:click=resend>{lang.pick("Skicka igen", "Send again")}</button>
                <button type="button" class="secondary" on:click=discard>{lang.pick("Ta bort", "Discard")}</button>
            </div>
        </li>
    }
}

/// "N osända": how many records wait on this phone; updated as the outbox changes.
#[component]
pub fn OutboxStatus(#[prop(optional)] on_change: Option<Callback<u32>>) -> impl IntoView {
    let lang = use_lang();
    let pending = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let update = move |count: u32| {
            pending.set(count);
            if let Some(on_change) = on_change {
                on_change.run(count);
            }
        };
        leptos::task::spawn_local(async move {
            if let Some(count) = js::pending_count().await.ok().and_then(|value| value.as_f64()) {
                update(count as u32);
            }
        });
        let handle = window_event_listener_untyped("tryggkarta-outbox", move |event| {
            let count = event
                .dyn_ref::<web_sys::CustomEvent>()
                .and_then(|event| js_sys::Reflect::get(&event.detail(), &"pending".into()).ok())
                .and_then(|value| value.as_f64());
            if let Some(count) = count {
                update(count as u32);
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = on_change;
    view! {
        <p class="outbox-status" role="status" aria-live="polite" data-pending=move || pending.get()>
            {move || match pending.get() {
                0 => lang.pick("Allt är skickat", "Everything is sent").to_owned(),
                n => match lang {
                    crate::i18n::Lang::Sv => format!("{n} osända"),
                    crate::i18n::Lang::En => format!("{n} unsent"),
                },
            }}
        </p>
    }
}
