//! The lägesbild's map: hexagon cells coloured by Gi* class or by trend, a density heat
//! layer and the reports as clustered markers, with the layer switches above it and the
//! drill-down from a hot cell to its reports below the tables.
//!
//! The container carries its state as data attributes (`data-ready`, `data-cells`,
//! `data-hex`, `data-heat`, `data-markers`, `data-colouring`) for tests and for styles.

use leptos::prelude::*;
use leptos_leaflet::prelude::*;

use super::layers::{FitBounds, HeatLayer, Patch, PatchLayer, Pin, PinLayer};
use super::BrowserOnly;
use crate::domain::map::{cell_colour, kind_colour};
use crate::domain::situation::{HexCell, Situation, SituationPoint, SituationQuery};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::settings::MapSettings;
use crate::ui::components::legend::{class_colour, trend_colour, trend_label};
use crate::ui::format;
use crate::ui::use_lang;

/// The reports behind the map, fetched the first time markers or a drill-down need them.
#[derive(Clone, Debug, PartialEq)]
pub enum Reports {
    NotAsked,
    Loading,
    Loaded(Vec<SituationPoint>),
    Failed(AppError),
}

/// What the map, the tables' "Show reports" buttons and the drill-down share: provided by
/// [`provide_hotspots`] around both.
#[derive(Clone, Copy)]
pub struct Hotspots {
    /// The request the page shows; `None` where reports may not be fetched (aggregated
    /// view, a meeting's snapshot).
    query: StoredValue<Option<SituationQuery>>,
    reports: RwSignal<Reports>,
    /// The cell the user asked to see the reports of.
    drilled: RwSignal<Option<String>>,
}

pub fn provide_hotspots(query: Option<SituationQuery>) -> Hotspots {
    let hotspots = Hotspots {
        query: StoredValue::new(query),
        reports: RwSignal::new(Reports::NotAsked),
        drilled: RwSignal::new(None),
    };
    provide_context(hotspots);
    hotspots
}

fn use_hotspots() -> Option<Hotspots> {
    use_context::<Hotspots>()
}

impl Hotspots {
    /// Starts fetching the reports unless they are there or on their way.
    fn fetch(self) {
        let Some(query) = self.query.get_value() else {
            return;
        };
        if matches!(
            self.reports.get_untracked(),
            Reports::Loading | Reports::Loaded(_)
        ) {
            return;
        }
        self.reports.set(Reports::Loading);
        leptos::task::spawn_local(async move {
            let answer = crate::server_fns::situation::get_situation_points(query).await;
            self.reports.set(match answer {
                Ok(points) => Reports::Loaded(points),
                Err(err) => Reports::Failed(err),
            });
        });
    }

    /// Shows the reports of one cell (a table's "Show reports").
    pub fn drill(self, h3: String) {
        self.drilled.set(Some(h3));
        self.fetch();
    }
}

/// The map with its switches and legend.
#[component]
pub fn HotspotMap(situation: Situation, map: MapSettings) -> impl IntoView {
    let lang = use_lang();
    let hotspots = use_hotspots();
    let full = !situation.aggregated;
    let may_fetch = hotspots.is_some_and(|h| h.query.get_value().is_some());
    let hex = RwSignal::new(true);
    let by_trend = RwSignal::new(false);
    let heat = RwSignal::new(false);
    let markers = RwSignal::new(false);
    let ready = RwSignal::new(false);
    let drawn = RwSignal::new(0usize);
    Effect::new(move |_| {
        if markers.get() {
            if let Some(hotspots) = hotspots {
                hotspots.fetch();
            }
        }
    });
    let markers_state = move || match (markers.get(), hotspots.map(|h| h.reports.get())) {
        (false, _) => "off",
        (true, Some(Reports::Loaded(_))) => "on",
        (true, Some(Reports::Failed(_))) => "error",
        (true, _) => "loading",
    };
    let cells = situation.cells.len();
    view! {
        <div class="layers no-print" role="group" aria-label=lang.pick("Kartlager", "Map layers")>
            <label><input type="checkbox" id="layer-hex" prop:checked=hex on:change=move |ev| hex.set(event_target_checked(&ev))/>
                {lang.pick(" Hetpunkter (Gi*)", " Hot spots (Gi*)")}</label>
            {full.then(|| view! {
                <label><input type="checkbox" id="layer-heat" prop:checked=heat on:change=move |ev| heat.set(event_target_checked(&ev))/>
                    {lang.pick(" Täthet (värmekarta)", " Density (heat map)")}</label>
                <label><input type="checkbox" id="layer-trend" prop:checked=by_trend on:change=move |ev| by_trend.set(event_target_checked(&ev))/>
                    {lang.pick(" Färga efter trend", " Colour by trend")}</label>
            })}
            {may_fetch.then(|| view! {
                <label><input type="checkbox" id="layer-markers" prop:checked=markers on:change=move |ev| markers.set(event_target_checked(&ev))/>
                    {lang.pick(" Rapporter", " Reports")}</label>
            })}
        </div>
        <div
            id="situation-map"
            class="situation-map-wrap"
            data-ready=move || if ready.get() { "1" } else { "" }
            data-cells=cells.to_string()
            data-drawn=move || drawn.get().to_string()
            data-hex=move || if hex.get() { "on" } else { "off" }
            data-heat=move || if heat.get() { "on" } else { "off" }
            data-colouring=move || if by_trend.get() { "trend" } else { "class" }
            data-markers=markers_state
            role="region"
            aria-label=lang.pick("Karta med hetpunkter", "Map of hot spots")
        >
            <BrowserOnly placeholder_class="situation-map">
                <HotspotLayers situation=situation.clone() map=map.clone() hex by_trend heat markers ready drawn/>
            </BrowserOnly>
        </div>
        {move || (markers_state() == "error").then(|| view! {
            <p class="error" role="alert">{lang.pick("Rapporterna kunde inte hämtas. Försök igen.", "The reports could not be fetched. Try again.")}</p>
        })}
    }
}

#[component]
fn HotspotLayers(
    situation: Situation,
    map: MapSettings,
    hex: RwSignal<bool>,
    by_trend: RwSignal<bool>,
    heat: RwSignal<bool>,
    markers: RwSignal<bool>,
    ready: RwSignal<bool>,
    drawn: RwSignal<usize>,
) -> impl IntoView {
    let lang = use_lang();
    let hotspots = use_hotspots();
    let aggregated = situation.aggregated;
    let busiest = situation.cells.iter().map(|cell| cell.count).max().unwrap_or(0);
    let cells = StoredValue::new(situation.cells.clone());
    let patches = Signal::derive(move || {
        if !hex.get() {
            return Vec::new();
        }
        let trend = by_trend.get();
        cells.with_value(|cells| {
            cells
                .iter()
                .map(|cell| Patch {
                    boundary: cell.boundary.clone(),
                    fill: if aggregated {
                        cell_colour(cell.count, busiest)
                    } else if trend {
                        trend_colour(cell.trend.as_deref()).to_owned()
                    } else {
                        class_colour(cell.class).to_owned()
                    },
                    label: cell_label(cell, aggregated, lang),
                })
                .collect()
        })
    });
    let heat_points = StoredValue::new(situation.heat.clone());
    let heat_points = Signal::derive(move || {
        if heat.get() {
            heat_points.get_value()
        } else {
            Vec::new()
        }
    });
    let pins = Signal::derive(move || match (markers.get(), hotspots.map(|h| h.reports.get())) {
        (true, Some(Reports::Loaded(points))) => points
            .iter()
            .map(|point| Pin {
                lat: point.lat,
                lng: point.lng,
                title: lang
                    .pick(&point.category_name[0], &point.category_name[1])
                    .to_owned(),
                colour: kind_colour(point.kind),
                text: None,
            })
            .collect(),
        _ => Vec::new(),
    });
    // A drilled cell comes into view.
    let focus = Signal::derive(move || {
        let h3 = hotspots.and_then(|h| h.drilled.get())?;
        cells.with_value(|cells| {
            cells
                .iter()
                .find(|cell| cell.h3 == h3)
                .map(|cell| cell.boundary.clone())
        })
    });
    view! {
        <MapContainer
            class="situation-map"
            center=Position::new(map.center_lat, map.center_lng)
            zoom=map.zoom
            prefer_canvas=true
        >
            <TileLayer url=map.tile_url.clone() attribution=map.tile_attribution.clone() max_zoom=19.0/>
            <PatchLayer patches fit=true drawn on_select=Callback::new(|_| ())/>
            <HeatLayer points=heat_points/>
            <PinLayer pins cluster=true on_select=Callback::new(|_| ())/>
            <FitBounds corners=focus/>
            <MarkReady ready/>
        </MapContainer>
    }
}

/// What a Gi_Bin class means, in plain words for the map and the lists; the legend keeps
/// the confidence levels, the "Så räknas det" details the numbers.
pub fn class_words(bin: i8, lang: Lang) -> &'static str {
    match bin {
        3 => lang.pick(
            "Tydligt fler rapporter här än runt omkring – sannolikt inte slumpen.",
            "Clearly more reports here than around it – probably not chance.",
        ),
        2 => lang.pick(
            "Fler rapporter här än runt omkring – sannolikt inte slumpen.",
            "More reports here than around it – probably not chance.",
        ),
        1 => lang.pick(
            "Något fler rapporter än runt omkring, men det kan vara slumpen.",
            "Somewhat more reports than around it, but it may be chance.",
        ),
        -1 => lang.pick(
            "Något färre rapporter än runt omkring, men det kan vara slumpen.",
            "Somewhat fewer reports than around it, but it may be chance.",
        ),
        -2 => lang.pick(
            "Färre rapporter här än runt omkring – sannolikt inte slumpen.",
            "Fewer reports here than around it – probably not chance.",
        ),
        -3 => lang.pick(
            "Tydligt färre rapporter här än runt omkring – sannolikt inte slumpen.",
            "Clearly fewer reports here than around it – probably not chance.",
        ),
        _ => lang.pick("Ungefär som runt omkring.", "About the same as around it."),
    }
}

/// A cell's tooltip: the place, the counts now and before, and what the class and the
/// trend mean, in words.
fn cell_label(cell: &HexCell, aggregated: bool, lang: Lang) -> String {
    let reports = |n: u32| {
        format::count(
            u64::from(n),
            ["rapport", "rapporter"],
            ["report", "reports"],
            lang,
        )
    };
    let mut text = reports(cell.count);
    if let Some(place) = &cell.place {
        text = format!("{place}: {text}");
    }
    if !aggregated {
        text.push_str(&format!(
            " ({} {}) · {}",
            format::integer(i64::from(cell.previous.unwrap_or(0)), lang),
            lang.pick("förra perioden", "the period before"),
            class_words(cell.class, lang)
        ));
        if let Some(trend) = cell.trend.as_deref() {
            text.push_str(&format!(" · {}", trend_label(trend, lang)));
        }
    }
    text
}

/// Sets `ready` once the Leaflet map exists and its layers are drawn.
#[component]
fn MarkReady(ready: RwSignal<bool>) -> impl IntoView {
    let context = use_leaflet_context();
    Effect::new(move |_| {
        if context.as_ref().and_then(LeafletMapContext::map).is_some() {
            ready.set(true);
        }
    });
}

/// A hot cell's "Show reports" button, for the tables.
#[component]
pub fn DrillButton(h3: String) -> impl IntoView {
    let lang = use_lang();
    let hotspots = use_hotspots();
    view! {
        <button type="button" class="link drill no-print" data-h3=h3.clone()
            on:click=move |_| if let Some(hotspots) = hotspots { hotspots.drill(h3.clone()) }>
            {lang.pick("Visa rapporter", "Show reports")}
        </button>
    }
}

/// The reports of the drilled cell, in words.
#[component]
pub fn DrillDown() -> impl IntoView {
    let lang = use_lang();
    let hotspots = use_hotspots();
    let content = move || {
        let hotspots = hotspots?;
        let h3 = hotspots.drilled.get()?;
        Some(match hotspots.reports.get() {
            Reports::NotAsked | Reports::Loading => view! { <p>{lang.pick("Hämtar rapporter…", "Fetching reports…")}</p> }.into_any(),
            Reports::Failed(_) => view! {
                <p>{lang.pick("Rapporterna kunde inte hämtas. Försök igen.", "The reports could not be fetched. Try again.")}</p>
            }
            .into_any(),
            Reports::Loaded(points) => {
                let inside: Vec<SituationPoint> = points.into_iter().filter(|point| point.h3 == h3).collect();
                view! {
                    <p>{format!(
                        "{} {}",
                        format::count(inside.len() as u64, ["rapport", "rapporter"], ["report", "reports"], lang),
                        lang.pick("i cellen", "in the cell")
                    )}</p>
                    <ul class="drill-list">
                        {inside.into_iter().map(|point| view! { <li>{report_line(&point, lang)}</li> }).collect_view()}
                    </ul>
                }
                .into_any()
            }
        })
    };
    view! { <div id="drilldown" aria-live="polite">{content}</div> }
}

fn report_line(point: &SituationPoint, lang: Lang) -> String {
    let at = format::stockholm_time_ms(point.observed_at);
    let mut line = format!(
        "{at} · {} · {} {}",
        lang.pick(&point.category_name[0], &point.category_name[1]),
        point.strategy_area,
        lang.pick(&point.strategy_area_name[0], &point.strategy_area_name[1]),
    );
    if let Some(place) = &point.place {
        line.push_str(&format!(" · {place}"));
    }
    line
}
