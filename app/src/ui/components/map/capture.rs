//! The map on the capture pages: shows what is already recorded, and lets the user set
//! a place by tapping the map or by GPS, then drag the pin to correct it.

use leptos::prelude::*;
use leptos_leaflet::prelude::*;

use super::locate::{self, LocateState};
use crate::settings::MapSettings;

/// A recorded place shown on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct Pin {
    pub lat: f64,
    pub lng: f64,
    /// Saved on the phone but not yet on the server.
    pub unsent: bool,
}

impl Pin {
    /// A stored observation's place.
    pub fn of(observation: &crate::domain::observation::Observation) -> Pin {
        Pin {
            lat: observation.lat,
            lng: observation.lng,
            unsent: false,
        }
    }
}

/// The place being recorded now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chosen {
    pub lat: f64,
    pub lng: f64,
    /// `None` when set by hand.
    pub accuracy_m: Option<f64>,
}

#[component]
pub fn CaptureMap(
    settings: MapSettings,
    #[prop(into)] pins: Signal<Vec<Pin>>,
    chosen: RwSignal<Option<Chosen>>,
    /// Zoom to show every pin when the map opens (protocols, overviews).
    #[prop(optional)]
    fit_pins: bool,
) -> impl IntoView {
    let events = MapEvents::new().mouse_click(move |event| {
        let at = event.lat_lng();
        chosen.set(Some(Chosen {
            lat: at.lat(),
            lng: at.lng(),
            accuracy_m: None,
        }));
    });
    // Leaflet takes the callbacks when the marker is made, so each marker gets its own.
    let drag = move || {
        DragEvents::new().on_drag_end(move |event| {
            use wasm_bindgen::JsCast;
            let marker: leptos_leaflet::leaflet::Marker = event.target().unchecked_into();
            let at = marker.get_lat_lng();
            chosen.set(Some(Chosen {
                lat: at.lat(),
                lng: at.lng(),
                accuracy_m: None,
            }));
        })
    };
    view! {
        <MapContainer
            class="map capture-map"
            center=Position::new(settings.center_lat, settings.center_lng)
            zoom=settings.zoom
            events
        >
            <TileLayer url=settings.tile_url attribution=settings.tile_attribution max_zoom=19.0/>
            <FollowChosen chosen/>
            {fit_pins.then(|| view! { <FitPins pins/> })}
            <For each=move || pins.get().into_iter().enumerate() key=|(i, pin)| (*i, pin.unsent) let:((_, pin))>
                <Circle
                    center=Position::new(pin.lat, pin.lng)
                    radius=6.0
                    color=if pin.unsent { "#a4161a" } else { "#0b4f6c" }
                    fill_color=if pin.unsent { "#f2a541" } else { "#0b4f6c" }
                    fill_opacity=0.8
                    class_name=if pin.unsent { "finding-pin unsent" } else { "finding-pin" }
                />
            </For>
            {move || chosen.get().map(|at| view! {
                <Marker
                    position=Position::new(at.lat, at.lng)
                    draggable=true
                    drag_events=drag()
                    title="Dra för att flytta / Drag to move"
                />
            })}
        </MapContainer>
    }
}

impl Chosen {
    /// A new observation at this place, now, with a fresh phone-made id; the caller
    /// fills in walk, shift, rating and time of day where they apply.
    pub fn observation(
        self,
        kind: crate::domain::observation::Kind,
        category: String,
        note: String,
    ) -> crate::domain::observation::NewObservation {
        use crate::domain::observation::{NewObservation, PositionSource};
        NewObservation {
            id: crate::domain::observation::new_client_id(),
            kind,
            category,
            note,
            lat: self.lat,
            lng: self.lng,
            accuracy_m: self.accuracy_m,
            position_source: if self.accuracy_m.is_some() {
                PositionSource::Gps
            } else {
                PositionSource::Manual
            },
            observed_at: time::OffsetDateTime::now_utc(),
            walk_id: None,
            shift_id: None,
            rating: None,
            time_of_day: None,
        }
    }
}

/// "Use my position", and a line saying how the place is chosen or why GPS failed.
#[component]
pub fn PlacePicker(chosen: RwSignal<Option<Chosen>>) -> impl IntoView {
    let lang = crate::ui::use_lang();
    let locating = RwSignal::new(LocateState::Idle);
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
    view! {
        <div class="row">
            <button type="button" class="secondary" on:click=use_gps>{lang.pick("Använd min position", "Use my position")}</button>
            <span class="hint" aria-live="polite">{move || match (chosen.get(), locating.get()) {
                (Some(_), _) => lang.pick("Plats vald – dra nålen för att justera.", "Place chosen – drag the pin to adjust.").to_owned(),
                (None, state @ (LocateState::Failed(_) | LocateState::Searching)) => state.describe(lang),
                _ => lang.pick("Tryck på kartan där det gäller.", "Tap the map where it is.").to_owned(),
            }}</span>
        </div>
    }
}

/// Pans to the chosen place when it changes (GPS fix or tap).
#[component]
fn FollowChosen(chosen: RwSignal<Option<Chosen>>) -> impl IntoView {
    let context = use_leaflet_context();
    Effect::new(move |_| {
        if let Some(at) = chosen.get() {
            if let Some(map) = context.as_ref().and_then(|context| context.map_untracked()) {
                let zoom = map.get_zoom().max(16.0);
                map.set_view(&Position::new(at.lat, at.lng).as_lat_lng(), zoom);
            }
        }
    });
}

/// Zooms the map once so that every pin is in view.
#[component]
fn FitPins(pins: Signal<Vec<Pin>>) -> impl IntoView {
    let context = use_leaflet_context();
    Effect::new(move |_| {
        let pins = pins.get();
        let Some(map) = context.as_ref().and_then(|context| context.map()) else {
            return;
        };
        let Some(first) = pins.first() else { return };
        let (mut south, mut west, mut north, mut east) = (first.lat, first.lng, first.lat, first.lng);
        for pin in &pins {
            south = south.min(pin.lat);
            north = north.max(pin.lat);
            west = west.min(pin.lng);
            east = east.max(pin.lng);
        }
        let bounds = leptos_leaflet::leaflet::LatLngBounds::new(
            &leptos_leaflet::leaflet::LatLng::new(south, west),
            &leptos_leaflet::leaflet::LatLng::new(north, east),
        );
        map.fit_bounds_with_options(&bounds, &fit_options());
    });
}

/// `{ maxZoom: 17, padding: [24, 24] }`: close enough to read streets, never closer.
#[cfg(feature = "hydrate")]
fn fit_options() -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(r#"{ "maxZoom": 17, "padding": [24, 24] }"#)
        .unwrap_or(wasm_bindgen::JsValue::UNDEFINED)
}

#[cfg(not(feature = "hydrate"))]
fn fit_options() -> wasm_bindgen::JsValue {
    wasm_bindgen::JsValue::UNDEFINED
}
