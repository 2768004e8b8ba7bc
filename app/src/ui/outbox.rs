//! The phone's outbox (`js/outbox.js`, IndexedDB) seen from Rust: save first, send when
//! possible, and the "N osända" indicator. On the server these do nothing.

use leptos::prelude::*;

use crate::ui::use_lang;

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
        #[wasm_bindgen(js_name = enqueueNote, catch)]
        pub async fn enqueue_note(observation_id: String, note: String) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = pendingCount, catch)]
        pub async fn pending_count() -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = pendingObservations, catch)]
        pub async fn pending_observations() -> Result<JsValue, JsValue>;
        #[wasm_bindgen(js_name = startTracking)]
        pub fn start_tracking(shift_id: String);
        #[wasm_bindgen(js_name = lastFix)]
        pub fn last_fix() -> String;
        #[wasm_bindgen(js_name = stopTracking, catch)]
        pub async fn stop_tracking(shift_id: String) -> Result<JsValue, JsValue>;
    }
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

/// Starts recording the shift's GPS track (browser only).
pub fn start_tracking(shift_id: uuid::Uuid) {
    #[cfg(feature = "hydrate")]
    js::start_tracking(shift_id.to_string());
    #[cfg(not(feature = "hydrate"))]
    let _ = shift_id;
}

/// The latest GPS fix of the running track: (lat, lng, accuracy in metres).
pub fn last_fix() -> Option<(f64, f64, f64)> {
    #[cfg(feature = "hydrate")]
    {
        let fix: serde_json::Value = serde_json::from_str(&js::last_fix()).ok()?;
        Some((
            fix["lat"].as_f64()?,
            fix["lng"].as_f64()?,
            fix["accuracy_m"].as_f64()?,
        ))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// Stops the track and sends everything waiting; `Ok(0)` when all reached the server.
pub async fn stop_tracking(shift_id: uuid::Uuid) -> Result<u32, String> {
    #[cfg(feature = "hydrate")]
    {
        let left = js::stop_tracking(shift_id.to_string())
            .await
            .map_err(|err| format!("{err:?}"))?;
        Ok(left.as_f64().unwrap_or(0.0) as u32)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = shift_id;
        Ok(0)
    }
}

/// Adds a note to an observation already saved (through the outbox, after it).
#[cfg(feature = "hydrate")]
pub async fn save_note(observation_id: uuid::Uuid, note: String) -> Result<(), String> {
    js::enqueue_note(observation_id.to_string(), note)
        .await
        .map(|_| ())
        .map_err(|err| format!("{err:?}"))
}

/// Observations still on the phone, as the JSON the server will get.
pub async fn pending_observations() -> Vec<serde_json::Value> {
    #[cfg(feature = "hydrate")]
    {
        js::pending_observations()
            .await
            .ok()
            .and_then(|value| value.as_string())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Vec::new()
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
