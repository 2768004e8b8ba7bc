//! Leaflet and its plugins, loaded when a map needs them. A page opened directly gets
//! Leaflet from the shell (`ui::shell`), before the WASM starts; a page reached by
//! client-side navigation, or a layer switched on later (heat, clusters), loads what is
//! missing here, once per page life.

use crate::ui::assets;

/// A script a map can need, with the stylesheets that go with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    Leaflet,
    /// leaflet.markercluster (`L.markerClusterGroup`).
    Clusters,
    /// leaflet.heat (`L.heatLayer`).
    Heat,
}

impl Script {
    fn src(self) -> String {
        match self {
            Script::Leaflet => format!("{}/leaflet.js", assets::LEAFLET),
            Script::Clusters => format!("{}/leaflet.markercluster.js", assets::MARKERCLUSTER),
            Script::Heat => format!("{}/leaflet-heat.js", assets::LEAFLET_HEAT),
        }
    }

    fn stylesheets(self) -> Vec<String> {
        match self {
            Script::Leaflet => vec![format!("{}/leaflet.css", assets::LEAFLET)],
            Script::Clusters => vec![
                format!("{}/MarkerCluster.css", assets::MARKERCLUSTER),
                format!("{}/MarkerCluster.Default.css", assets::MARKERCLUSTER),
            ],
            Script::Heat => Vec::new(),
        }
    }

    /// The global the script defines, as a path from `window`.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn global(self) -> &'static [&'static str] {
        match self {
            Script::Leaflet => &["L"],
            Script::Clusters => &["L", "markerClusterGroup"],
            Script::Heat => &["L", "heatLayer"],
        }
    }
}

/// Loads `script` (and Leaflet first, for a plugin) unless it is already there; `false`
/// when it cannot be had (offline and not cached).
#[cfg(feature = "hydrate")]
pub async fn load(script: Script) -> bool {
    if script != Script::Leaflet && !Box::pin(load(Script::Leaflet)).await {
        return false;
    }
    if present(script) {
        return true;
    }
    let promise = LOADING.with(|loading| {
        loading
            .borrow_mut()
            .entry(script.src())
            .or_insert_with(|| start(script))
            .clone()
    });
    let loaded = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
    if !loaded {
        // A later attempt (the network back) starts afresh.
        LOADING.with(|loading| loading.borrow_mut().remove(&script.src()));
    }
    loaded && present(script)
}

/// On the server there is nothing to load: maps are drawn in the browser only.
#[cfg(not(feature = "hydrate"))]
pub async fn load(script: Script) -> bool {
    let _ = (script.src(), script.stylesheets());
    false
}

#[cfg(feature = "hydrate")]
thread_local! {
    static LOADING: std::cell::RefCell<std::collections::HashMap<String, js_sys::Promise>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

#[cfg(feature = "hydrate")]
fn present(script: Script) -> bool {
    let mut value: wasm_bindgen::JsValue = match web_sys::window() {
        Some(window) => window.into(),
        None => return false,
    };
    for name in script.global() {
        value = match js_sys::Reflect::get(&value, &(*name).into()) {
            Ok(next) if !next.is_undefined() && !next.is_null() => next,
            _ => return false,
        };
    }
    true
}

/// Adds the script (and its stylesheets) to the page; resolves when it has run.
#[cfg(feature = "hydrate")]
fn start(script: Script) -> js_sys::Promise {
    use wasm_bindgen::JsCast;
    js_sys::Promise::new(&mut |resolve, reject| {
        let Some(document) = web_sys::window().and_then(|window| window.document()) else {
            let _ = reject.call0(&wasm_bindgen::JsValue::NULL);
            return;
        };
        let Some(head) = document.head() else {
            let _ = reject.call0(&wasm_bindgen::JsValue::NULL);
            return;
        };
        for href in script.stylesheets() {
            let selector = format!("link[href=\"{href}\"]");
            if document.query_selector(&selector).ok().flatten().is_none() {
                if let Ok(link) = document.create_element("link") {
                    let _ = link.set_attribute("rel", "stylesheet");
                    let _ = link.set_attribute("href", &href);
                    let _ = head.append_child(&link);
                }
            }
        }
        let Ok(element) = document.create_element("script") else {
            let _ = reject.call0(&wasm_bindgen::JsValue::NULL);
            return;
        };
        let _ = element.set_attribute("src", &script.src());
        let _ = element.add_event_listener_with_callback("load", resolve.unchecked_ref());
        let _ = element.add_event_listener_with_callback("error", reject.unchecked_ref());
        if head.append_child(&element).is_err() {
            let _ = reject.call0(&wasm_bindgen::JsValue::NULL);
        }
    })
}
