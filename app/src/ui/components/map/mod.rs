//! Every Leaflet binding lives here: the base map with its tile layer and the
//! "locate me" control, the report layers (`layers`, `hotspots`). Leaflet itself comes
//! from `/vendor/leaflet-…/`, with the page or, after a client-side navigation, when a map
//! first needs it (`script`).
//!
//! Leaflet objects exist only in the browser. leptos-leaflet keeps its map in a
//! `SendWrapper`, which panics when dropped on another thread than the one that made it;
//! on the server the reactive owner of a page is dropped wherever the tokio task happens
//! to run, and a drop during unwinding aborts the process. So the server renders a
//! placeholder of the map's size ([`BrowserOnly`]) and the browser swaps the real map in
//! after hydration.

pub mod areas;
pub mod capture;
pub mod hotspots;
pub mod layers;
pub mod locate;
pub mod script;

use leptos::prelude::*;
use leptos_leaflet::prelude::*;

use crate::settings::MapSettings;
use crate::ui::use_lang;
use locate::LocateState;

/// The zoom the map jumps to when it finds the user: a few streets in view.
const LOCATED_ZOOM: f64 = 16.0;

/// The map with its tiles and the locate control; `children` are layers drawn on it
/// (`layers`), made in the browser only.
#[component]
pub fn BaseMap(settings: MapSettings, #[prop(optional)] children: Option<ChildrenFn>) -> impl IntoView {
    let lang = use_lang();
    let state = RwSignal::new(LocateState::Idle);
    let locate = move |_| {
        state.set(LocateState::Searching);
        locate::current_position(
            move |found| state.set(LocateState::Found(found)),
            move |failure| state.set(LocateState::Failed(failure)),
        );
    };
    view! {
        <div class="map-wrap">
            <BrowserOnly placeholder_class="map">
                <BaseMapView settings=settings.clone() state layers=children.clone()/>
            </BrowserOnly>
            <div class="map-controls">
                <button
                    type="button"
                    class="locate-button"
                    on:click=locate
                    disabled=move || state.get() == LocateState::Searching
                >
                    <span aria-hidden="true">"◎ "</span>
                    {lang.pick("Visa var jag är", "Show where I am")}
                </button>
                <p class="locate-status" role="status" aria-live="polite">
                    {move || state.get().describe(lang)}
                </p>
            </div>
        </div>
    }
}

/// The Leaflet map itself, made in the browser only (inside [`BrowserOnly`]).
#[component]
fn BaseMapView(
    settings: MapSettings,
    state: RwSignal<LocateState>,
    layers: Option<ChildrenFn>,
) -> impl IntoView {
    let found = move || match state.get() {
        LocateState::Found(found) => Some(found),
        _ => None,
    };
    view! {
            <MapContainer
                class="map"
                center=Position::new(settings.center_lat, settings.center_lng)
                zoom=settings.zoom
            >
                <CentreOnPosition state/>
                <TileLayer url=settings.tile_url.clone() attribution=settings.tile_attribution.clone() max_zoom=19.0/>
                {layers.map(|layers| layers())}
                {move || found().map(|found| view! {
                    <Circle
                        center=Position::new(found.lat, found.lng)
                        radius=found.accuracy
                        color="#0b4f6c"
                        fill_color="#0b4f6c"
                        fill_opacity=0.15
                        class_name="accuracy-circle"
                    />
                    <Circle
                        center=Position::new(found.lat, found.lng)
                        radius=3.0
                        color="#ffffff"
                        fill_color="#0b4f6c"
                        fill_opacity=1.0
                        weight=3.0
                        class_name="position-dot"
                    />
                })}
            </MapContainer>
    }
}

/// Where a map waiting in [`BrowserOnly`] stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mount {
    Waiting,
    Ready,
    /// Leaflet could not be loaded (offline, and not in the cache).
    Unavailable,
}

/// Renders `children` only in the browser, once Leaflet is there and the page is in the
/// document. The server, the hydration pass and a page just built by client-side
/// navigation render an empty box with `placeholder_class` instead, so the layout does not
/// jump, nothing browser-only is ever created inside the server's render, and Leaflet
/// (which finds its element by id) never looks for one that is not attached yet.
#[component]
pub fn BrowserOnly(placeholder_class: &'static str, children: ChildrenFn) -> impl IntoView {
    let lang = use_lang();
    let mount = RwSignal::new(Mount::Waiting);
    let placeholder = NodeRef::<leptos::html::Div>::new();
    // Effects never run on the server; in the browser this runs right after hydration or
    // once a client-side navigation has built the page.
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            let loaded = script::load(script::Script::Leaflet).await;
            attached(placeholder).await;
            mount.set(if loaded { Mount::Ready } else { Mount::Unavailable });
        });
    });
    view! {
        <Show
            when=move || mount.get() == Mount::Ready
            fallback=move || view! {
                <div class=format!("{placeholder_class} map-placeholder") node_ref=placeholder>
                    {move || (mount.get() == Mount::Unavailable).then(|| view! {
                        <p class="map-unavailable" role="status">{lang.pick(
                            "Kartan kunde inte laddas utan nät. Allt annat på sidan fungerar.",
                            "The map could not be loaded without a connection. Everything else on the page works.",
                        )}</p>
                    })}
                </div>
            }
        >
            {children()}
        </Show>
    }
}

/// Waits until `node` is part of the document (at most a few seconds).
async fn attached(node: NodeRef<leptos::html::Div>) {
    #[cfg(feature = "hydrate")]
    for _ in 0..300 {
        if node.get_untracked().is_some_and(|element| element.is_connected()) {
            return;
        }
        let tick = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 16);
            }
        });
        let _ = wasm_bindgen_futures::JsFuture::from(tick).await;
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = node;
}

/// Moves the map to the user's position each time one is found.
#[component]
fn CentreOnPosition(state: RwSignal<LocateState>) -> impl IntoView {
    let context = use_leaflet_context();
    Effect::new(move |_| {
        if let LocateState::Found(found) = state.get() {
            if let Some(map) = context.as_ref().and_then(|context| context.map_untracked()) {
                map.set_view(&Position::new(found.lat, found.lng).as_lat_lng(), LOCATED_ZOOM);
            }
        }
    });
}
