//! Every Leaflet binding lives here: the base map with its tile layer and the
//! "locate me" control. Leaflet itself is loaded by the shell from `/vendor/leaflet/`.
//!
//! Leaflet objects exist only in the browser. leptos-leaflet keeps its map in a
//! `SendWrapper`, which panics when dropped on another thread than the one that made it;
//! on the server the reactive owner of a page is dropped wherever the tokio task happens
//! to run, and a drop during unwinding aborts the process. So the server renders a
//! placeholder of the map's size ([`BrowserOnly`]) and the browser swaps the real map in
//! after hydration.

pub mod areas;
pub mod capture;
pub mod locate;

use leptos::prelude::*;
use leptos_leaflet::prelude::*;

use crate::settings::MapSettings;
use crate::ui::use_lang;
use locate::LocateState;

/// The zoom the map jumps to when it finds the user: a few streets in view.
const LOCATED_ZOOM: f64 = 16.0;

#[component]
pub fn BaseMap(settings: MapSettings) -> impl IntoView {
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
                <BaseMapView settings=settings.clone() state/>
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
fn BaseMapView(settings: MapSettings, state: RwSignal<LocateState>) -> impl IntoView {
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

/// Renders `children` only in the browser, once the page is hydrated. The server and the
/// hydration pass render an empty box with `placeholder_class` instead, so the layout
/// does not jump and nothing browser-only is ever created inside the server's render.
#[component]
pub fn BrowserOnly(placeholder_class: &'static str, children: ChildrenFn) -> impl IntoView {
    let mounted = RwSignal::new(false);
    // Effects never run on the server; in the browser this runs right after hydration.
    Effect::new(move |_| mounted.set(true));
    view! {
        <Show
            when=move || mounted.get()
            fallback=move || view! { <div class=format!("{placeholder_class} map-placeholder")></div> }
        >
            {children()}
        </Show>
    }
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
