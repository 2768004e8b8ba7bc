//! The map on the areas page: the kept areas as outlines with their names, and the area
//! being drawn — each tap adds a corner.

use leptos::prelude::*;
use leptos_leaflet::prelude::*;

use super::BrowserOnly;
use crate::domain::geo::LatLng;
use crate::settings::MapSettings;

/// An outline to show: its name and its GeoJSON geometry.
#[derive(Clone, Debug, PartialEq)]
pub struct Outline {
    pub name: String,
    pub geometry: serde_json::Value,
    /// The one being made now (drawn dashed, in another colour).
    pub draft: bool,
}

#[component]
pub fn AreasMap(
    settings: MapSettings,
    #[prop(into)] outlines: Signal<Vec<Outline>>,
    /// The corners of the area being drawn, in order.
    corners: RwSignal<Vec<LatLng>>,
    /// The corners make a line (a walk's route), not an area.
    #[prop(optional)]
    line: bool,
) -> impl IntoView {
    view! {
        <BrowserOnly placeholder_class="map areas-map">
            <AreasMapView settings=settings.clone() outlines corners line/>
        </BrowserOnly>
    }
}

#[component]
fn AreasMapView(
    settings: MapSettings,
    outlines: Signal<Vec<Outline>>,
    corners: RwSignal<Vec<LatLng>>,
    line: bool,
) -> impl IntoView {
    let events = MapEvents::new().mouse_click(move |event| {
        let at = event.lat_lng();
        corners.update(|corners| {
            corners.push(LatLng {
                lat: at.lat(),
                lng: at.lng(),
            })
        });
    });
    let positions = Signal::derive(move || {
        corners
            .get()
            .iter()
            .map(|corner| Position::new(corner.lat, corner.lng))
            .collect::<Vec<_>>()
    });
    let numbered = move || corners.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <MapContainer
            class="map areas-map"
            center=Position::new(settings.center_lat, settings.center_lng)
            zoom=settings.zoom
            events
        >
            <TileLayer url=settings.tile_url.clone() attribution=settings.tile_attribution.clone() max_zoom=19.0/>
            <Outlines outlines/>
            {(!line).then(|| view! {
                <Polygon positions color="#a4161a" fill_color="#f2a541" fill_opacity=0.2 dash_array="6 4" class_name="area-draft"/>
            })}
            {line.then(|| view! { <Polyline positions color="#a4161a" weight=5.0 class_name="route-draft"/> })}
            <For each=numbered key=|(i, corner)| (*i, corner.lat.to_bits(), corner.lng.to_bits()) let:corner>
                <Circle
                    center=Position::new(corner.1.lat, corner.1.lng)
                    radius=4.0
                    color="#a4161a"
                    fill_color="#ffffff"
                    fill_opacity=1.0
                    class_name="area-corner"
                />
            </For>
        </MapContainer>
    }
}

/// `L.geoJSON`, which the leaflet crate declares but does not export, and `bindTooltip`
/// with a text, which it binds under a name Leaflet does not have.
#[cfg(feature = "hydrate")]
mod bindings {
    use leptos_leaflet::leaflet::Layer;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// An `L.GeoJSON` layer.
        #[wasm_bindgen(extends = Layer)]
        pub type GeoJsonLayer;

        #[wasm_bindgen(js_namespace = L, js_name = geoJSON)]
        pub fn geo_json(geojson: &JsValue, options: &JsValue) -> GeoJsonLayer;

        #[wasm_bindgen(method, js_name = bindTooltip)]
        pub fn bind_tooltip_text(this: &GeoJsonLayer, content: &str);
    }
}

/// Draws the outlines as Leaflet GeoJSON layers, each with its name as a tooltip, and
/// draws them again whenever the list changes.
#[component]
fn Outlines(outlines: Signal<Vec<Outline>>) -> impl IntoView {
    let context = use_leaflet_context();
    let shown = StoredValue::new_local(Vec::<leptos_leaflet::leaflet::Layer>::new());
    Effect::new(move |_| {
        let outlines = outlines.get();
        let Some(map) = context.as_ref().and_then(|context| context.map()) else {
            return;
        };
        shown.update_value(|layers| {
            for layer in layers.drain(..) {
                layer.remove();
            }
        });
        #[cfg(feature = "hydrate")]
        for outline in outlines {
            let style = if outline.draft {
                r##"{ "style": { "color": "#a4161a", "fillColor": "#f2a541", "fillOpacity": 0.2, "dashArray": "6 4" } }"##
            } else {
                r##"{ "style": { "color": "#0b4f6c", "weight": 2, "fillOpacity": 0.08 } }"##
            };
            let (Ok(geometry), Ok(style)) = (
                js_sys::JSON::parse(&outline.geometry.to_string()),
                js_sys::JSON::parse(style),
            ) else {
                continue;
            };
            let drawn = bindings::geo_json(&geometry, &style);
            drawn.bind_tooltip_text(&outline.name);
            let layer: leptos_leaflet::leaflet::Layer = drawn.into();
            layer.add_to(&map);
            shown.update_value(|layers| layers.push(layer));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (outlines, map);
    });
}
