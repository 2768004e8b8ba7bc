//! The map on the capture pages: shows what is already recorded, and lets the user set
//! a place by tapping the map or by GPS, then drag the pin to correct it.

use leptos::prelude::*;
use leptos_leaflet::prelude::*;

use super::layers;
use super::locate::{self, LocateState};
use super::BrowserOnly;
use crate::domain::category::Category;
use crate::domain::observation::{NewObservation, Observation};
use crate::i18n::Lang;
use crate::settings::MapSettings;

/// A recorded place shown on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct Pin {
    /// The id of the report (or focus place) it shows: pins are kept by it, so a finding
    /// arriving from another phone in the middle of the list moves no other pin.
    pub id: uuid::Uuid,
    pub lat: f64,
    pub lng: f64,
    /// Saved on the phone but not yet on the server.
    pub unsent: bool,
    /// What a tap on the pin shows: category, rating, time and note.
    pub label: String,
}

impl Pin {
    /// A stored observation's place, labelled with its category in words.
    pub fn of(observation: &Observation, categories: &[Category], lang: Lang) -> Pin {
        let text = label(
            &category_label(categories, &observation.category, lang),
            observation.rating,
            observation.observed_at,
            &observation.note,
        );
        Pin {
            id: observation.id.0,
            lat: observation.lat,
            lng: observation.lng,
            unsent: false,
            // Where in words first, when the place lies in a named area.
            label: match &observation.place {
                Some(place) => format!("{place} · {text}"),
                None => text,
            },
        }
    }

    /// A new observation still on the phone.
    pub fn unsent(new: &NewObservation, categories: &[Category], lang: Lang) -> Pin {
        Pin {
            unsent: true,
            label: format!(
                "{} · {}",
                Pin::sent(new, categories, lang).label,
                lang.pick("osänd", "unsent")
            ),
            ..Pin::sent(new, categories, lang)
        }
    }

    /// A new observation this phone has sent, before the page has read it back.
    pub fn sent(new: &NewObservation, categories: &[Category], lang: Lang) -> Pin {
        Pin {
            id: new.id.0,
            lat: new.lat,
            lng: new.lng,
            unsent: false,
            label: label(
                &category_label(categories, &new.category, lang),
                new.rating,
                new.observed_at,
                &new.note,
            ),
        }
    }
}

/// A category's name in the user's language; the id when the list does not have it.
pub fn category_label(categories: &[Category], id: &str, lang: Lang) -> String {
    categories
        .iter()
        .find(|c| c.id == id)
        .map(|c| lang.pick(&c.label_sv, &c.label_en).to_owned())
        .unwrap_or_else(|| id.to_owned())
}

fn label(category: &str, rating: Option<i64>, at: chrono::DateTime<chrono::Utc>, note: &str) -> String {
    let mut text = category.to_owned();
    if let Some(rating) = rating {
        text.push_str(&format!(" · {rating}/3"));
    }
    text.push_str(&format!(" · {}", crate::ui::format::stockholm_time(at)));
    if !note.is_empty() {
        text.push_str(&format!(" · {note}"));
    }
    text
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
    /// Pins carry their number (1, 2, …) as the protocol's table rows do, and a tap on one
    /// goes to its row (`#fynd-<n>`).
    #[prop(optional)]
    numbered: bool,
    /// A walk's planned route, drawn as a line under the pins.
    #[prop(optional)]
    route: Vec<crate::domain::geo::LatLng>,
) -> impl IntoView {
    view! {
        <BrowserOnly placeholder_class="map capture-map">
            <CaptureMapView settings=settings.clone() pins chosen fit_pins numbered route=route.clone()/>
        </BrowserOnly>
    }
}

/// The Leaflet map itself, made in the browser only (inside [`BrowserOnly`]).
#[component]
fn CaptureMapView(
    settings: MapSettings,
    pins: Signal<Vec<Pin>>,
    chosen: RwSignal<Option<Chosen>>,
    fit_pins: bool,
    numbered: bool,
    route: Vec<crate::domain::geo::LatLng>,
) -> impl IntoView {
    let route: Vec<Position> = route.iter().map(|p| Position::new(p.lat, p.lng)).collect();
    let numbered_pins = Signal::derive(move || {
        pins.get()
            .into_iter()
            .enumerate()
            .map(|(i, pin)| layers::Pin {
                lat: pin.lat,
                lng: pin.lng,
                title: format!("{}. {}", i + 1, pin.label),
                colour: "#0b4f6c",
                text: Some((i + 1).to_string()),
            })
            .collect::<Vec<_>>()
    });
    let to_row = Callback::new(move |index: usize| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_hash(&format!("fynd-{}", index + 1));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = index;
    });
    let pins = Signal::derive(move || if numbered { Vec::new() } else { pins.get() });
    let events = move || {
        MapEvents::new().mouse_click(move |event| {
            let at = event.lat_lng();
            chosen.set(Some(Chosen {
                lat: at.lat(),
                lng: at.lng(),
                accuracy_m: None,
            }));
        })
    };
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
            center=remembered_view().map_or(Position::new(settings.center_lat, settings.center_lng), |v| Position::new(v.0, v.1))
            zoom=remembered_view().map_or(settings.zoom, |v| v.2)
            events=events()
        >
            <RememberView/>
            <TileLayer url=settings.tile_url.clone() attribution=settings.tile_attribution.clone() max_zoom=19.0/>
            {(!route.is_empty()).then(|| view! {
                <Polyline positions=route.clone() color="#0b4f6c" weight=5.0 opacity=0.6 dash_array="10 8" class_name="walk-route"/>
            })}
            <FollowChosen chosen/>
            {fit_pins.then(|| view! { <FitPins pins/> })}
            {numbered.then(|| view! { <layers::PinLayer pins=numbered_pins fit=fit_pins on_select=to_row/> })}
            <For each=move || pins.get() key=|pin| (pin.id, pin.unsent) let:pin>
                <Circle
                    center=Position::new(pin.lat, pin.lng)
                    radius=6.0
                    color=if pin.unsent { "#a4161a" } else { "#0b4f6c" }
                    fill_color=if pin.unsent { "#f2a541" } else { "#0b4f6c" }
                    fill_opacity=0.8
                    class_name=if pin.unsent { "finding-pin unsent" } else { "finding-pin" }
                >
                    <Popup>
                        <p class="pin-label">{pin.label.clone()}</p>
                    </Popup>
                </Circle>
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
            id: crate::domain::ids::ObservationId::new(),
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
            observed_at: chrono::Utc::now(),
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

/// The storage key of this page's map view: each page keeps its own.
#[cfg(feature = "hydrate")]
fn view_key() -> Option<String> {
    let path = web_sys::window()?.location().pathname().ok()?;
    Some(format!("tryggkarta-map-view:{path}"))
}

/// Where the user last left this page's map (lat, lng, zoom), so a reload keeps it.
fn remembered_view() -> Option<(f64, f64, f64)> {
    #[cfg(feature = "hydrate")]
    {
        let stored = web_sys::window()?
            .session_storage()
            .ok()??
            .get_item(&view_key()?)
            .ok()??;
        let mut parts = stored.split(',').map(|part| part.parse::<f64>().ok());
        Some((parts.next()??, parts.next()??, parts.next()??))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// Stores the view each time the user has moved or zoomed the map.
#[component]
fn RememberView() -> impl IntoView {
    let context = use_leaflet_context();
    Effect::new(move |_| {
        let Some(map) = context.as_ref().and_then(|context| context.map()) else {
            return;
        };
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::prelude::Closure;
            let watched = map.clone();
            let store = Closure::<dyn Fn()>::new(move || {
                let centre = watched.get_center();
                let value = format!("{},{},{}", centre.lat(), centre.lng(), watched.get_zoom());
                if let (Some(key), Some(Ok(Some(storage)))) = (
                    view_key(),
                    web_sys::window().map(|window| window.session_storage()),
                ) {
                    let _ = storage.set_item(&key, &value);
                }
            });
            let _ = map.on("moveend", store.as_ref());
            // Lives as long as the page: the map is never torn down before it.
            store.forget();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = map;
    });
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
        // Close enough to read streets, never closer.
        map.fit_bounds_with_options(&bounds, &layers::fit_options(17.0));
    });
}
