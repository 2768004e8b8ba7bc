//! Karta, the start page after sign-in: the reports the user may see on the municipality's
//! map (`domain::map` says which), with filters, a details panel for the marker or cell
//! tapped, and the same data as a list for those who cannot use a map.
//!
//! The filters are a GET form and the list view a link, so both work before the WASM has
//! loaded and with a screen reader; the layers are drawn in the browser (`map::layers`).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::access::pages::Page;
use crate::domain::category::Category;
use crate::domain::map::{
    cell_colour, kind_colour, status_label, MapFilter, MapPoint, MapQuery, MapView, PERIODS,
};
use crate::domain::observation::Kind;
use crate::domain::situation::HexCell;
use crate::i18n::Lang;
use crate::server_fns::map::{get_map_page, MapPage};
use crate::ui::components::filters::{choice, KindAndCategory};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::map::layers::{FitBounds, Patch, PatchLayer, Pin, PinLayer};
use crate::ui::components::map::BaseMap;
use crate::ui::format;
use crate::ui::use_lang;

/// The query value that shows the list instead of the map.
const LIST: &str = "lista";

/// What the details panel shows.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Selected {
    Point(usize),
    Cell(usize),
}

/// `/karta`. Filters and the list view are in the address, so they can be linked,
/// bookmarked and gone back to; a change there (a link, the back button) loads anew.
#[component]
pub fn MapPage() -> impl IntoView {
    let url = use_query_map();
    let wanted = Memo::new(move |_| {
        let url = url.get();
        let text = |key: &str| url.get(key).filter(|value| !value.trim().is_empty());
        let query = MapQuery {
            kind: text("kind"),
            category: text("category"),
            days: text("days").and_then(|days| days.trim().parse().ok()),
            area: text("area"),
        };
        (query, text("visa").as_deref() == Some(LIST))
    });
    let page = Resource::new(move || wanted.get(), |(query, _)| get_map_page(query));
    let render = move |page: MapPage| {
        let (query, as_list) = wanted.get_untracked();
        // The server checks the query and says what is wrong; the form shows what it read.
        let filter = query.validate().unwrap_or_default();
        view! { <MapContent page filter as_list/> }
    };
    view! {
        <RequirePage page=Page::Map>
            <section class="map-page">
                <Loaded resource=page render=render/>
            </section>
        </RequirePage>
    }
}

#[component]
fn MapContent(page: MapPage, filter: MapFilter, as_list: bool) -> impl IntoView {
    let lang = use_lang();
    let MapPage {
        view,
        map,
        categories,
    } = page;
    let links = link_query(&filter);
    let summary = summary(&view, &filter, lang);
    let toggle = if as_list {
        view! { <a href=format!("/karta?{links}") class="view-toggle">{lang.pick("Visa kartan", "Show the map")}</a> }
    } else {
        view! {
            <a href=format!("/karta?{links}&visa={LIST}") class="view-toggle">
                {lang.pick("Kan du inte använda kartan? Visa som lista", "Can't use the map? Show as a list")}
            </a>
        }
    };
    view! {
        <h1 class="visually-hidden">{Page::Map.label(lang)}</h1>
        <Filters filter=filter.clone() categories areas=view.areas.clone() as_list/>
        <p class="hint map-summary" role="status">{summary}</p>
        <p class="map-links">{toggle}</p>
        {if as_list {
            view! { <ReportList view/> }.into_any()
        } else {
            view! { <ReportMap view map/> }.into_any()
        }}
    }
}

fn link_query(filter: &MapFilter) -> String {
    let query = filter.to_query();
    format::query_string([
        ("kind", query.kind),
        ("category", query.category),
        ("days", query.days.map(|days| days.to_string())),
        ("area", query.area),
    ])
}

/// One line on what the map shows, and for roles that see aggregates, why.
fn summary(view: &MapView, filter: &MapFilter, lang: Lang) -> String {
    let period = match lang {
        Lang::Sv => format!("de senaste {} dagarna", filter.days),
        Lang::En => format!("the last {} days", filter.days),
    };
    let count = view.points.len();
    let mut line = if view.exact {
        match (lang, count) {
            (Lang::Sv, 1) => format!("1 rapport {period}."),
            (Lang::Sv, _) => format!("{count} rapporter {period}."),
            (Lang::En, 1) => format!("1 report in {period}."),
            (Lang::En, _) => format!("{count} reports in {period}."),
        }
    } else {
        match lang {
            Lang::Sv => format!("Dina egna rapporter och fynd från dina vandringar {period}: {count}."),
            Lang::En => format!("Your own reports and findings from your walks in {period}: {count}."),
        }
    };
    if view.truncated {
        line.push_str(lang.pick(
            " Bara de senaste visas; välj en kortare period.",
            " Only the latest are shown; choose a shorter period.",
        ));
    }
    if !view.exact {
        line.push(' ');
        line.push_str(&match (&view.cells_period, lang) {
            (Some((from, to)), Lang::Sv) => format!(
                "Rutorna visar sammanställt hur många rapporter av alla slag som kom in {from} – {to}, bara där de är minst tre. Exakta platser ser bara polis och samordnare."
            ),
            (Some((from, to)), Lang::En) => format!(
                "The cells show how many reports of every kind came in {from} – {to}, only where there are at least three. Only police and coordinators see exact places."
            ),
            (None, _) => lang
                .pick(
                    "Förra månaden fanns ingen ruta med minst tre rapporter att visa sammanställd. Exakta platser ser bara polis och samordnare.",
                    "Last month no cell had the three reports needed to show it aggregated. Only police and coordinators see exact places.",
                )
                .to_owned(),
        });
    }
    line
}

#[component]
fn Filters(filter: MapFilter, categories: Vec<Category>, areas: Vec<String>, as_list: bool) -> impl IntoView {
    let lang = use_lang();
    let area = filter.area.clone().unwrap_or_default();
    let days = filter.days.to_string();
    let chosen = [
        filter.kind.is_some(),
        filter.category.is_some(),
        filter.area.is_some(),
        filter.days != PERIODS[0],
    ]
    .into_iter()
    .filter(|chosen| *chosen)
    .count();
    view! {
        <details class="map-filters" open={chosen > 0}>
            <summary>
                {lang.pick("Filter", "Filters")}
                {(chosen > 0).then(|| format!(" ({chosen} {})", lang.pick("valda", "chosen")))}
            </summary>
            <form method="get" action="/karta" class="filters">
                {as_list.then(|| view! { <input type="hidden" name="visa" value=LIST/> })}
                <KindAndCategory kind=filter.kind category=filter.category.clone() categories/>
                <label>{lang.pick("Period", "Period")}
                    <select name="days">
                        {{
                            let mut periods = PERIODS;
                            periods.sort_unstable();
                            periods
                        }.into_iter().map(|d| choice(d.to_string(), match lang {
                            Lang::Sv => format!("Senaste {d} dagarna"),
                            Lang::En => format!("Last {d} days"),
                        }, &days)).collect_view()}
                    </select>
                </label>
                <label>{lang.pick("Område", "Area")}
                    <select name="area">
                        {choice(String::new(), lang.pick("Hela kommunen", "The whole municipality").into(), &area)}
                        {areas.iter().map(|a| choice(a.clone(), a.clone(), &area)).collect_view()}
                    </select>
                </label>
                <button type="submit" class="primary">{lang.pick("Visa", "Show")}</button>
            </form>
        </details>
    }
}

#[component]
fn ReportMap(view: MapView, map: crate::settings::MapSettings) -> impl IntoView {
    let lang = use_lang();
    let selected = RwSignal::new(None::<Selected>);
    let pins: Vec<Pin> = view
        .points
        .iter()
        .map(|point| Pin {
            lat: point.lat,
            lng: point.lng,
            title: point_title(point, lang),
            colour: kind_colour(point.kind),
            text: None,
        })
        .collect();
    let busiest = view.cells.iter().map(|cell| cell.count).max().unwrap_or(0);
    let patches: Vec<Patch> = view
        .cells
        .iter()
        .map(|cell| Patch {
            boundary: cell.boundary.clone(),
            fill: cell_colour(cell.count, busiest),
            label: cell_title(cell, lang),
        })
        .collect();
    // The map opens on everything the user may see: their reports and the cells.
    let corners: Vec<[f64; 2]> = pins
        .iter()
        .map(|pin| [pin.lat, pin.lng])
        .chain(patches.iter().flat_map(|patch| patch.boundary.iter().copied()))
        .collect();
    let corners = (!corners.is_empty()).then_some(corners);
    let layers: ChildrenFn = {
        let (pins, patches) = (pins.clone(), patches.clone());
        std::sync::Arc::new(move || {
            let (pins, patches, corners) = (pins.clone(), patches.clone(), corners.clone());
            view! {
                <PatchLayer patches=Signal::stored(patches) on_select=Callback::new(move |i| selected.set(Some(Selected::Cell(i))))/>
                <PinLayer pins=Signal::stored(pins) cluster=true on_select=Callback::new(move |i| selected.set(Some(Selected::Point(i))))/>
                <FitBounds corners=Signal::stored(corners)/>
            }
            .into_any()
        })
    };
    let points = view.points.clone();
    let cells = view.cells.clone();
    let details = move || {
        selected.get().map(|chosen| match chosen {
            Selected::Point(i) => points
                .get(i)
                .map(|point| view! { <PointDetails point=point.clone()/> }.into_any()),
            Selected::Cell(i) => cells
                .get(i)
                .map(|cell| view! { <CellDetails cell=cell.clone()/> }.into_any()),
        })
    };
    view! {
        <BaseMap settings=map children=layers/>
        <Legend exact=view.exact/>
        <section class="map-details" aria-live="polite" aria-label=lang.pick("Vald plats", "Chosen place")>
            {move || details().flatten().map(|details| view! {
                {details}
                <button type="button" class="link" on:click=move |_| selected.set(None)>{lang.pick("Stäng", "Close")}</button>
            })}
        </section>
    }
}

#[component]
fn Legend(exact: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="map-legend" aria-label=lang.pick("Teckenförklaring", "Legend")>
            {Kind::ALL.into_iter().map(|kind| view! {
                <li><span class="swatch" style=format!("background:{}", kind_colour(kind))></span>{kind.label(lang)}</li>
            }).collect_view()}
            {(!exact).then(|| view! {
                <li><span class="swatch cell-swatch"></span>{lang.pick("Sammanställd ruta (minst tre rapporter)", "Aggregated cell (at least three reports)")}</li>
            })}
        </ul>
    }
}

fn point_title(point: &MapPoint, lang: Lang) -> String {
    lang.pick(&point.category_name[0], &point.category_name[1])
        .to_owned()
}

fn cell_title(cell: &HexCell, lang: Lang) -> String {
    let place = cell.place.clone().unwrap_or_else(|| outside(lang));
    format!("{place}: {} {}", cell.count, lang.pick("rapporter", "reports"))
}

/// A report's details; `in_list` for a card under the list's heading.
#[component]
fn PointDetails(point: MapPoint, #[prop(optional)] in_list: bool) -> impl IntoView {
    let lang = use_lang();
    let protocol = point
        .walk_id
        .filter(|_| crate::ui::use_user().is_some_and(|user| Page::Walks.allows(user.role)))
        .map(|walk| format!("/vandringar/{walk}/protokoll"));
    let title = point_title(&point, lang);
    view! {
        {if in_list { view! { <h3>{title}</h3> }.into_any() } else { view! { <h2>{title}</h2> }.into_any() }}
        <dl class="facts">
            <dt>{lang.pick("Sort", "Kind")}</dt><dd>{point.kind.label(lang)}</dd>
            <dt>{lang.pick("Plats", "Place")}</dt><dd>{place_name(&point, lang)}</dd>
            <dt>{lang.pick("Tid", "Time")}</dt><dd>{format::stockholm_time(point.observed_at)}</dd>
            <dt>{lang.pick("Status", "Status")}</dt><dd>{status_label(&point.status, lang)}</dd>
            {(!point.note.is_empty()).then(|| view! { <dt>{lang.pick("Anteckning", "Note")}</dt><dd>{point.note.clone()}</dd> })}
            {point.own.then(|| view! { <dt>{lang.pick("Rapporterad av", "Reported by")}</dt><dd>{lang.pick("dig", "you")}</dd> })}
        </dl>
        {protocol.map(|href| view! {
            <p><a href=href>{lang.pick("Öppna vandringens protokoll", "Open the walk's protocol")}</a></p>
        })}
    }
}

fn place_name(point: &MapPoint, lang: Lang) -> String {
    point.place.clone().unwrap_or_else(|| outside(lang))
}

/// What a report or cell outside every named area is called.
fn outside(lang: Lang) -> String {
    lang.pick("Utanför namngivna områden", "Outside named areas")
        .to_owned()
}

#[component]
fn CellDetails(cell: HexCell) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2>{cell.place.clone().unwrap_or_else(|| outside(lang))}</h2>
        <p>{format!("{} {}", cell.count, lang.pick("rapporter av alla slag den månaden.", "reports of every kind that month."))}</p>
        <p class="hint">{lang.pick(
            "Rutan är sammanställd: vilka rapporterna är och var de gjordes visas bara för polis och samordnare.",
            "The cell is aggregated: which reports they are and where they were made is shown only to police and coordinators.")}</p>
    }
}

/// The map's data as a list: every report with its details, then the aggregated cells.
#[component]
fn ReportList(view: MapView) -> impl IntoView {
    let lang = use_lang();
    let MapView { points, cells, .. } = view;
    view! {
        <section class="report-list">
            <h2>{lang.pick("Rapporter", "Reports")}</h2>
            {if points.is_empty() {
                view! { <p>{lang.pick("Inga rapporter med det urvalet.", "No reports with that selection.")}</p> }.into_any()
            } else {
                view! {
                    <ol class="cards">
                        {points.into_iter().map(|point| view! {
                            <li class="card">
                                <PointDetails point in_list=true/>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {(!cells.is_empty()).then(|| view! {
                <h2>{lang.pick("Sammanställda rutor", "Aggregated cells")}</h2>
                <table class="cell-table">
                    <thead><tr><th scope="col">{lang.pick("Område", "Area")}</th><th scope="col">{lang.pick("Rapporter", "Reports")}</th></tr></thead>
                    <tbody>
                        {cells.into_iter().map(|cell| view! {
                            <tr><td>{cell.place.clone().unwrap_or_else(|| outside(lang))}</td><td>{cell.count}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
