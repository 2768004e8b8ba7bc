//! A lägesbild meeting on A4: the picture as a drawing, the tables, notes and decisions.

use leptos::prelude::*;

use crate::domain::access::pages::Page;
use crate::domain::situation::Situation;
use crate::server_fns::situation::{MeetingPage, Outline};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::legend::class_colour;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::map::hotspots::class_words;
use crate::ui::components::print::PrintButton;
use crate::ui::use_lang;

use super::meeting::{meeting_of_route, MeetingHeading, Notes};
use super::{reports, Legend, SituationTables};

/// `/lagesbild/mote/:id/utskrift`: the meeting report on A4, with the map drawn as SVG
/// so it prints without tiles or scripts.
#[component]
pub fn MeetingPrintPage() -> impl IntoView {
    view! {
        <RequirePage page=Page::Situation>
            <section class="situation meeting-print">
                <Loaded resource=meeting_of_route() render=move |page: MeetingPage| view! { <MeetingPrint page/> }/>
            </section>
        </RequirePage>
    }
}

#[component]
fn MeetingPrint(page: MeetingPage) -> impl IntoView {
    let lang = use_lang();
    let meeting = page.meeting;
    view! {
        <p class="no-print row">
            <PrintButton/>
            <a href=format!("/lagesbild/mote/{}", meeting.id)>{lang.pick("Tillbaka till mötet", "Back to the meeting")}</a>
        </p>
        <MeetingHeading meeting=meeting.clone() categories=page.categories.clone()/>
        <SvgMap situation=meeting.snapshot.clone() outlines=page.outlines.clone()/>
        <Legend aggregated=false/>
        <SituationTables situation=meeting.snapshot.clone() drill=false/>
        <section class="notes">
            <h2>{lang.pick("Anteckningar", "Notes")}</h2>
            <Notes meeting=meeting.clone()/>
        </section>
        <section class="decisions">
            <h2>{lang.pick("Beslut", "Decisions")}</h2>
            <p class="note-body">{if meeting.decisions.is_empty() { lang.pick("Inga beslut antecknade.", "No decisions recorded.").to_owned() } else { meeting.decisions.clone() }}</p>
        </section>
    }
}

/// The snapshot's cells as an SVG map (equirectangular around the cells' middle), with the
/// municipality boundary and the named areas drawn and labelled for orientation.
#[component]
fn SvgMap(situation: Situation, outlines: Vec<Outline>) -> impl IntoView {
    let lang = use_lang();
    let corners = situation.cells.iter().flat_map(|c| c.boundary.iter());
    let (mut south, mut west, mut north, mut east) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &[lat, lng] in corners {
        south = south.min(lat);
        north = north.max(lat);
        west = west.min(lng);
        east = east.max(lng);
    }
    if situation.cells.is_empty() {
        return view! { <p class="hint">{lang.pick("Inga celler att visa.", "No cells to show.")}</p> }
            .into_any();
    }
    // A margin, so the named areas around the cells show too.
    let (margin_lat, margin_lng) = ((north - south).max(0.004) * 0.15, (east - west).max(0.008) * 0.15);
    let (south, north, west, east) = (
        south - margin_lat,
        north + margin_lat,
        west - margin_lng,
        east + margin_lng,
    );
    let squeeze = ((south + north) / 2.0).to_radians().cos();
    let width = 1000.0;
    let span_x = ((east - west) * squeeze).max(1e-6);
    let span_y = (north - south).max(1e-6);
    let height = (width * span_y / span_x).clamp(200.0, 1400.0);
    let scale = (width / span_x).min(height / span_y);
    let point = move |lat: f64, lng: f64| {
        format!(
            "{:.1},{:.1}",
            (lng - west) * squeeze * scale,
            (north - lat) * scale
        )
    };
    view! {
        <svg class="print-map" viewBox=format!("0 0 {width} {height:.0}") role="img"
            aria-label=lang.pick("Karta över cellerna i mötesunderlaget", "Map of the meeting snapshot's cells")>
            <rect width="100%" height="100%" fill="#f7f7f7"/>
            {outlines.iter().map(|outline| {
                let class = if outline.municipality { "outline municipality" } else { "outline named" };
                outline.rings.iter().map(|ring| {
                    let points = ring.iter().map(|&[lat, lng]| point(lat, lng)).collect::<Vec<_>>().join(" ");
                    view! { <polygon class=class points=points fill="none" stroke="#333" stroke-width="1.2" stroke-dasharray="6 4"/> }
                }).collect_view()
            }).collect_view()}
            {situation.cells.into_iter().map(|cell| {
                let points = cell.boundary.iter().map(|&[lat, lng]| point(lat, lng)).collect::<Vec<_>>().join(" ");
                view! {
                    <polygon points=points fill=class_colour(cell.class) stroke="#555" stroke-width="0.6">
                        <title>{format!(
                            "{}{} · {}",
                            cell.place.as_ref().map(|place| format!("{place}: ")).unwrap_or_default(),
                            reports(cell.count, lang),
                            class_words(cell.class, lang)
                        )}</title>
                    </polygon>
                }
            }).collect_view()}
            {outlines.iter().filter(|outline| !outline.municipality).filter_map(|outline| {
                // The label at the middle of the area's first ring, when that is on the map.
                let ring = outline.rings.first()?;
                let n = ring.len().max(1) as f64;
                let (lat, lng) = ring.iter().fold((0.0, 0.0), |(a, b), &[lat, lng]| (a + lat / n, b + lng / n));
                ((south..=north).contains(&lat) && (west..=east).contains(&lng)).then(|| {
                    let (x, y) = ((lng - west) * squeeze * scale, (north - lat) * scale);
                    view! { <text x=format!("{x:.1}") y=format!("{y:.1}") class="outline-label" text-anchor="middle">{outline.name.clone()}</text> }
                })
            }).collect_view()}
        </svg>
    }
    .into_any()
}
