//! Report layers drawn from Rust over Leaflet: clustered pins and coloured cells. Each is
//! one Leaflet group inside a `MapContainer`, rebuilt when its data changes and removed
//! with the component. Colours and labels come from the domain, so the map, its legend
//! and the list view say the same thing.
//!
//! Clustering is leaflet.markercluster's and the heat layer leaflet.heat's, each loaded
//! the first time a layer needs it (`script`); without them (offline), pins are drawn one
//! by one and the heat layer stays off.

use leptos::prelude::*;
use leptos_leaflet::leaflet::{self, MouseEvents};
use leptos_leaflet::prelude::{use_leaflet_context, LeafletMapContext};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::script::{self, Script};

/// A report on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct Pin {
    pub lat: f64,
    pub lng: f64,
    /// What a screen reader and a hovering pointer get: the category in words.
    pub title: String,
    pub colour: &'static str,
    /// Shown on the pin (a finding's number in the protocol), as text.
    pub text: Option<String>,
}

/// A coloured area on the map (an H3 cell), [lat, lng] corners.
#[derive(Clone, Debug, PartialEq)]
pub struct Patch {
    pub boundary: Vec<[f64; 2]>,
    pub fill: String,
    /// The tooltip.
    pub label: String,
}

#[wasm_bindgen]
extern "C" {
    /// `L.markerClusterGroup()`; throws when the plugin is not loaded.
    #[wasm_bindgen(catch, js_namespace = L, js_name = markerClusterGroup)]
    fn marker_cluster_group() -> Result<leaflet::FeatureGroup, JsValue>;

    /// `L.heatLayer(points, options)` from leaflet.heat: points are `[lat, lng, weight]`.
    #[wasm_bindgen(catch, js_namespace = L, js_name = heatLayer)]
    fn heat_layer(points: &JsValue, options: &JsValue) -> Result<leaflet::Layer, JsValue>;

    /// Any Leaflet layer, for `bindTooltip(text)`: leaflet-rs binds the one-argument form
    /// to a name Leaflet does not have.
    type Tooltipped;
    #[wasm_bindgen(method, js_name = bindTooltip)]
    fn bind_tooltip(this: &Tooltipped, text: &str);
}

/// The furthest the map zooms in to show everything: a single report does not fill the
/// screen with one house.
const FIT_MAX_ZOOM: f64 = 16.0;

/// Pins, clustered with `cluster`; a tap on one calls `on_select` with its index in
/// `pins`. With `fit`, the map zooms to show them the first time there are any.
#[component]
pub fn PinLayer(
    #[prop(into)] pins: Signal<Vec<Pin>>,
    on_select: Callback<usize>,
    #[prop(optional)] fit: bool,
    #[prop(optional)] cluster: bool,
) -> impl IntoView {
    let layer = Layer::new(fit);
    let context = use_leaflet_context();
    // Clustering waits for its plugin; pins are drawn once it is there or cannot be had.
    let plugin = RwSignal::new(!cluster);
    if cluster {
        leptos::task::spawn_local(async move {
            script::load(Script::Clusters).await;
            plugin.set(true);
        });
    }
    Effect::new(move |_| {
        let pins = pins.get();
        let Some(map) = context.as_ref().and_then(LeafletMapContext::map) else {
            return;
        };
        if !plugin.get() {
            return;
        }
        let group = if cluster {
            marker_cluster_group().unwrap_or_else(|_| leaflet::FeatureGroup::new())
        } else {
            leaflet::FeatureGroup::new()
        };
        for (index, pin) in pins.iter().enumerate() {
            let icon = leaflet::DivIconOptions::new();
            icon.set_class_name(
                if pin.text.is_some() {
                    "report-pin numbered"
                } else {
                    "report-pin"
                }
                .to_owned(),
            );
            icon.set_html(format!(
                "<span style=\"background:{}\">{}</span>",
                pin.colour,
                escape_html(pin.text.as_deref().unwrap_or(""))
            ));
            icon.set_icon_size(leaflet::Point::new(24.0, 24.0));
            let options = leaflet::MarkerOptions::new();
            options.set_icon(leaflet::DivIcon::new(&icon).into());
            options.set_title(pin.title.clone());
            options.set_alt(pin.title.clone());
            let marker = leaflet::Marker::new_with_options(&leaflet::LatLng::new(pin.lat, pin.lng), &options);
            marker.on_click(Box::new(move |_| on_select.run(index)));
            group.add_layer(&marker.into());
        }
        layer.show(&map, group, !pins.is_empty());
    });
    on_cleanup(move || layer.clear());
}

/// A density surface over weighted points (`[lat, lng, weight]`); nothing while empty.
#[component]
pub fn HeatLayer(#[prop(into)] points: Signal<Vec<[f64; 3]>>) -> impl IntoView {
    let layer = Layer::new(false);
    let context = use_leaflet_context();
    let plugin = RwSignal::new(false);
    Effect::new(move |_| {
        let points = points.get();
        let Some(map) = context.as_ref().and_then(LeafletMapContext::map) else {
            return;
        };
        if points.is_empty() {
            layer.clear();
            return;
        }
        if !plugin.get() {
            leptos::task::spawn_local(async move {
                if script::load(Script::Heat).await {
                    plugin.set(true);
                }
            });
            return;
        }
        let data: js_sys::Array = points
            .iter()
            .map(|[lat, lng, weight]| {
                JsValue::from(js_sys::Array::of3(
                    &(*lat).into(),
                    &(*lng).into(),
                    &(*weight).into(),
                ))
            })
            .collect();
        let options = js_sys::Object::new();
        for (key, value) in [
            ("radius", 20.0),
            ("blur", 15.0),
            ("max", 1.0),
            ("minOpacity", 0.25),
        ] {
            let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
        }
        if let Ok(heat) = heat_layer(&data, &options) {
            let group = leaflet::FeatureGroup::new();
            group.add_layer(&heat);
            layer.show(&map, group, false);
        }
    });
    on_cleanup(move || layer.clear());
}

/// Filled cells with tooltips; a tap on one calls `on_select` with its index. With `fit`,
/// the map zooms to show them the first time there are any.
#[component]
pub fn PatchLayer(
    #[prop(into)] patches: Signal<Vec<Patch>>,
    on_select: Callback<usize>,
    #[prop(optional)] fit: bool,
    /// Set to the number of cells on the map after each drawing.
    #[prop(optional)]
    drawn: Option<RwSignal<usize>>,
) -> impl IntoView {
    let layer = Layer::new(fit);
    let context = use_leaflet_context();
    Effect::new(move |_| {
        let patches = patches.get();
        let Some(map) = context.as_ref().and_then(LeafletMapContext::map) else {
            return;
        };
        let group = leaflet::FeatureGroup::new();
        for (index, patch) in patches.iter().enumerate() {
            let corners: js_sys::Array = patch
                .boundary
                .iter()
                .map(|[lat, lng]| JsValue::from(leaflet::LatLng::new(*lat, *lng)))
                .collect();
            let options = leaflet::PolylineOptions::new();
            options.set_weight(0.8);
            options.set_color("#555555".to_owned());
            options.set_fill_color(patch.fill.clone());
            options.set_fill_opacity(0.6);
            options.set_class_name("map-cell".to_owned());
            let polygon = leaflet::Polygon::new_with_options(&corners, &options);
            polygon
                .unchecked_ref::<Tooltipped>()
                .bind_tooltip(&escape_html(&patch.label));
            polygon.on_click(Box::new(move |_| on_select.run(index)));
            group.add_layer(&polygon.into());
        }
        layer.show(&map, group, !patches.is_empty());
        if let Some(drawn) = drawn {
            drawn.set(patches.len());
        }
    });
    on_cleanup(move || layer.clear());
}

/// Brings the area with these corners ([lat, lng]) into view whenever it changes.
#[component]
pub fn FitBounds(#[prop(into)] corners: Signal<Option<Vec<[f64; 2]>>>) -> impl IntoView {
    let context = use_leaflet_context();
    Effect::new(move |_| {
        let Some(corners) = corners.get() else {
            return;
        };
        let Some(map) = context.as_ref().and_then(LeafletMapContext::map) else {
            return;
        };
        let list: js_sys::Array = corners
            .iter()
            .map(|[lat, lng]| JsValue::from(leaflet::LatLng::new(*lat, *lng)))
            .collect();
        map.fit_bounds_with_options(
            &leaflet::LatLngBounds::new_from_list(&list),
            &fit_options(FIT_MAX_ZOOM),
        );
    });
}

/// How a map zooms to show something: no closer than `max_zoom`, a margin round it, and
/// at once rather than animated (a page left in the middle of Leaflet's zoom animation
/// would have it run on a removed map).
pub(super) fn fit_options(max_zoom: f64) -> JsValue {
    let options = js_sys::Object::new();
    let padding = js_sys::Array::of2(&24.0.into(), &24.0.into());
    for (key, value) in [
        ("maxZoom", JsValue::from(max_zoom)),
        ("padding", padding.into()),
        ("animate", false.into()),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value);
    }
    options.into()
}

/// Leaflet reads a tooltip's text as HTML; a place name is a coordinator's free text.
fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// The Leaflet group a layer component has on the map, swapped whole when its data
/// changes; and whether the map should still zoom to it the first time it has content.
#[derive(Clone, Copy)]
struct Layer {
    group: StoredValue<Option<leaflet::FeatureGroup>, LocalStorage>,
    fit: StoredValue<bool>,
}

impl Layer {
    fn new(fit: bool) -> Layer {
        Layer {
            group: StoredValue::new_local(None),
            fit: StoredValue::new(fit),
        }
    }

    /// Puts `group` on the map in place of the previous one; zooms to it when it has
    /// content and the layer has not zoomed yet.
    fn show(self, map: &leaflet::Map, group: leaflet::FeatureGroup, has_content: bool) {
        self.clear();
        group.add_to(map);
        if has_content && self.fit.get_value() {
            self.fit.set_value(false);
            map.fit_bounds_with_options(&group.get_bounds(), &fit_options(FIT_MAX_ZOOM));
        }
        self.group.set_value(Some(group));
    }

    fn clear(self) {
        if let Some(group) = self.group.try_update_value(Option::take).flatten() {
            group.remove();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tooltips_show_a_place_name_as_text() {
        assert_eq!(
            super::escape_html("Bro <img src=x onerror=alert(1)> & \"Kungsängen\""),
            "Bro &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Kungsängen&quot;"
        );
    }
}
