//! Lägesbild (plan 4.3): the hotspot map police and the municipality look at together,
//! its filters and tables, and the meetings that keep a snapshot of it with notes and
//! decisions, printable on A4.
//!
//! The page is rendered on the server and works as plain HTML (the filters are a GET
//! form, the meeting forms post); the map and its layers are drawn in the browser
//! (`components::map::hotspots`).
//!
//! A meeting's page is in `meeting`, its A4 print in `print`.

pub mod meeting;
pub mod print;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::access::pages::Page;
use crate::domain::category::Category;
use crate::domain::observation::{strategy_area_label, STRATEGY_AREAS};
use crate::domain::situation::{
    AreaChange, HexCell, Params, ScaleChoice, Situation, SituationQuery, Slice, MIN_SLICES,
};
use crate::i18n::Lang;
use crate::server_fns::situation::{get_situation_page, CreateMeeting, SituationPage};
use crate::ui::components::actions::NewActionForm;
use crate::ui::components::filters::{choice, KindAndCategory};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::legend::{class_colour, class_label, trend_label};
use crate::ui::components::loaded::Loaded;
use crate::ui::components::map::hotspots::{
    class_words, provide_hotspots, DrillButton, DrillDown, HotspotMap,
};
use crate::ui::format;
use crate::ui::use_lang;

/// Whether the viewer keeps actions (police and coordinators), and so gets the forms that
/// make them from a hotspot or a decision.
pub(super) fn may_keep_actions() -> bool {
    crate::ui::user_may(crate::domain::access::Capability::FollowUp)
}

/// The request in the address bar; empty fields count as not given.
fn query_of_url() -> SituationQuery {
    let query = use_query_map().get_untracked();
    let text = |key: &str| query.get(key).filter(|v| !v.trim().is_empty());
    let number = |key: &str| text(key).and_then(|v| v.trim().parse().ok());
    SituationQuery {
        kind: text("kind"),
        category: text("category"),
        strategy_area: text("strategy_area"),
        from: text("from"),
        to: text("to"),
        weekdays: text("weekdays"),
        hour_from: number("hour_from"),
        hour_to: number("hour_to"),
        resolution: number("resolution"),
        k: text("k").and_then(|v| v.trim().parse().ok()),
        // The page's default: the data chooses scale and cells, so that ordinary activity
        // across a built-up area does not all turn red (docs/hotspots.md).
        analysis: text("analysis").or_else(|| Some("optimized".to_owned())),
        slice: text("slice"),
        as_of: None,
    }
}

/// A query string for links (exports, markers) that repeats the request exactly.
pub(super) fn query_string(params: &Params, with_as_of: bool) -> String {
    let mut query = params.to_query();
    if !with_as_of {
        query.as_of = None;
    }
    format::query_string([
        ("kind", query.kind),
        ("category", query.category),
        ("strategy_area", query.strategy_area),
        ("from", query.from),
        ("to", query.to),
        ("weekdays", query.weekdays),
        ("hour_from", query.hour_from.map(|h| h.to_string())),
        ("hour_to", query.hour_to.map(|h| h.to_string())),
        ("resolution", query.resolution.map(|r| r.to_string())),
        ("k", query.k.map(|k| k.to_string())),
        ("analysis", query.analysis),
        ("slice", query.slice),
        ("as_of", query.as_of.map(|t| t.to_string())),
    ])
}

/// `/lagesbild`.
#[component]
pub fn SituationPageView() -> impl IntoView {
    let query = query_of_url();
    let page = Resource::new(move || query.clone(), get_situation_page);
    view! {
        <RequirePage page=Page::Situation>
            <section class="situation">
                <Loaded resource=page render=move |page: SituationPage| view! { <SituationView page/> }/>
            </section>
        </RequirePage>
    }
}

#[component]
fn SituationView(page: SituationPage) -> impl IntoView {
    let lang = use_lang();
    let SituationPage {
        situation,
        categories,
        meetings,
        map,
        exact,
    } = page;
    let params = situation.params.clone();
    let links = query_string(&params, true);
    provide_hotspots(exact.then(|| params.to_query()));
    let saved_query = serde_json::to_string(&params.to_query()).unwrap_or_default();
    let create = ServerAction::<CreateMeeting>::new();
    let today = format::stockholm_date(chrono::Utc::now());
    view! {
        <h1>{Page::Situation.label(lang)}</h1>
        <FilterForm params=params.clone() categories/>
        <p class="hint" role="status">
            {period_line(&situation, lang)}
        </p>
        {situation.scale.clone().map(|choice| view! { <ScaleNote choice/> })}
        <HotspotMap situation=situation.clone() map/>
        <Legend aggregated=situation.aggregated/>
        <SituationTables situation=situation.clone() drill=exact/>
        <section class="exports no-print">
            <h2>{lang.pick("Exportera", "Export")}</h2>
            <p class="row">
                <a href=format!("/api/v1/export/observations.csv?{links}") download>{lang.pick("Rapporter (CSV för Excel)", "Reports (CSV for Excel)")}</a>
                <a href=format!("/api/v1/export/observations.geojson?{links}") download>{lang.pick("Rapporter (GeoJSON för QGIS)", "Reports (GeoJSON for QGIS)")}</a>
                <a href=format!("/api/v1/hotspots/cells.geojson?{links}") download>{lang.pick("Hetpunktsceller (GeoJSON)", "Hotspot cells (GeoJSON)")}</a>
            </p>
        </section>
        {exact.then(|| view! {
            <section class="meetings no-print">
                <h2>{lang.pick("Lägesbildsmöte", "Situation meeting")}</h2>
                <ActionForm action=create attr:class="stack" attr:id="meeting-form">
                    <input type="hidden" name="query" value=saved_query/>
                    <label>{lang.pick("Mötesdatum", "Meeting date")}<input name="held_on" type="date" required value=today/></label>
                    <label>{lang.pick("Deltagande organisationer", "Organisations present")}
                        <input name="organisations" required maxlength="500" value="Polisen, Upplands-Bro kommun"/>
                    </label>
                    <p class="hint">{lang.pick(
                        "Bilden sparas precis som den visas nu, även om nya rapporter kommer in senare.",
                        "The picture is saved exactly as shown now, even if new reports arrive later.")}</p>
                    <button type="submit" class="primary">{lang.pick("Spara mötesunderlag", "Save meeting snapshot")}</button>
                </ActionForm>
                {move || create.value().get().and_then(|result| result.err()).map(|err| view! {
                    <p class="error" role="alert">{err.message(lang)}</p>
                })}
                <h3>{lang.pick("Tidigare möten", "Earlier meetings")}</h3>
                <ul class="meeting-list">
                    {meetings.into_iter().map(|m| view! {
                        <li><a href=format!("/lagesbild/mote/{}", m.id)>{m.held_on} " · " {m.organisations}</a></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

pub(super) fn period_line(situation: &Situation, lang: Lang) -> String {
    let params = &situation.params;
    let mut line = format!(
        "{} {} – {}: {}",
        lang.pick("Perioden", "Period"),
        params.from,
        params.to,
        reports(situation.total, lang),
    );
    if situation.aggregated {
        line.push_str(lang.pick(
            ". Du ser sammanställda celler med minst tre rapporter.",
            ". You see aggregated cells with at least three reports.",
        ));
    }
    line
}

/// "1 rapport", "14 rapporter".
pub(super) fn reports(n: u32, lang: Lang) -> String {
    format::count(
        u64::from(n),
        ["rapport", "rapporter"],
        ["report", "reports"],
        lang,
    )
}

/// "2 ringar", "1 ring": a neighbourhood in hexagon rings.
pub(super) fn rings(k: u32, lang: Lang) -> String {
    format::count(u64::from(k), ["ring", "ringar"], ["ring", "rings"], lang)
}

/// The area of a cell at an H3 resolution, as the filter offers them: "0,1 km²".
pub(super) fn cell_size(resolution: u8, lang: Lang) -> String {
    match resolution {
        8 => format!("{} km²", format::decimal(0.7, 1, lang)),
        9 => format!("{} km²", format::decimal(0.1, 1, lang)),
        10 => format!("{} m²", format::integer(15_000, lang)),
        11 => format!("{} m²", format::integer(2_000, lang)),
        other => format!("{} {other}", lang.pick("nivå", "level")),
    }
}

/// What the optimized analysis chose, in words, with its numbers in the details.
#[component]
fn ScaleNote(choice: ScaleChoice) -> impl IntoView {
    let lang = use_lang();
    let distance = format::distance_in(choice.distance_m, lang);
    let words = match (choice.found, lang) {
        (true, Lang::Sv) => format!(
            "Optimerad analys: varje cell jämförs med omgivningen inom cirka {distance}, det avstånd där rapporterna samlas tydligast."
        ),
        (true, Lang::En) => format!(
            "Optimized analysis: each cell is compared with its surroundings within about {distance}, the distance at which the reports gather most clearly."
        ),
        (false, Lang::Sv) => format!(
            "Optimerad analys: rapporterna samlas inte tydligare på något visst avstånd, så varje cell jämförs med omgivningen inom cirka {distance}."
        ),
        (false, Lang::En) => format!(
            "Optimized analysis: the reports do not gather more clearly at any particular distance, so each cell is compared with its surroundings within about {distance}."
        ),
    };
    let universe = match lang {
        Lang::Sv => format!(
            "Analysen gäller {} av {}: de som ligger inom {} från någon rapport de senaste {} dagarna. Då får tomma fält och sjöar inte vanliga bostadsområden att se extrema ut.",
            format::integer(i64::from(choice.cells), lang),
            format::count(u64::from(choice.area_cells), ["cell", "celler"], ["cell", "cells"], lang),
            format::distance_in(choice.near_m, lang),
            format::integer(choice.look_back_days, lang),
        ),
        Lang::En => format!(
            "The analysis covers {} of {}: those within {} of a report in the last {} days. Empty fields and lakes then do not make ordinary housing areas look extreme.",
            format::integer(i64::from(choice.cells), lang),
            format::count(u64::from(choice.area_cells), ["cell", "cells"], ["cell", "cells"], lang),
            format::distance_in(choice.near_m, lang),
            format::integer(choice.look_back_days, lang),
        ),
    };
    let scale = match lang {
        Lang::Sv => format!(
            "Omgivningen är {} med celler runt varje cell (cirka {distance}). För varje avstånd mäts hur mycket rapporterna klustrar (ett mått på klustring, Morans I). Ett z-värde över 1,96 betyder att klustringen sannolikt inte är slumpen. {}",
            rings(choice.k, lang),
            if choice.found {
                "Avståndet med tydligast klustring används."
            } else {
                "Inget avstånd nådde dit, så standardomgivningen används."
            },
        ),
        Lang::En => format!(
            "The surroundings are {} of cells around each cell (about {distance}). At each distance, how much the reports cluster is measured (a measure of clustering, Moran's I). A z-score above 1.96 means the clustering is probably not chance. {}",
            rings(choice.k, lang),
            if choice.found {
                "The distance with the clearest clustering is used."
            } else {
                "No distance got there, so the default surroundings are used."
            },
        ),
    };
    let chosen = choice.k;
    view! {
        <div class="hint scale-choice">
            <p>{words}</p>
            <HowCalculated>
                <p>{universe}</p>
                <p>{scale}</p>
                <ul>
                    {choice.steps.into_iter().map(|(k, z)| view! {
                        <li>
                            {format!("{}: {} {}", rings(k, lang), lang.pick("z-värde", "z-score"), format::decimal(z, 1, lang))}
                            {(k == chosen).then(|| lang.pick(" (används)", " (used)"))}
                        </li>
                    }).collect_view()}
                </ul>
            </HowCalculated>
        </div>
    }
}

#[component]
fn FilterForm(params: Params, categories: Vec<Category>) -> impl IntoView {
    let lang = use_lang();
    let area = params.strategy_area.clone().unwrap_or_default();
    let weekdays = params
        .weekdays
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let hour = |h: Option<u8>| h.map(|h| h.to_string()).unwrap_or_default();
    let weekday_choices = [
        ("", lang.pick("Alla dagar", "All days")),
        ("1,2,3,4,5", lang.pick("Vardagar", "Weekdays")),
        ("5,6,7", lang.pick("Fredag–söndag", "Friday–Sunday")),
        ("6,7", lang.pick("Helg", "Weekend")),
    ];
    view! {
        <form method="get" action="/lagesbild" class="filters no-print" id="situation-filters">
            <KindAndCategory kind=params.kind category=params.category.clone() categories/>
            <label>{lang.pick("Strategiområde", "Strategy area")}
                <select name="strategy_area">
                    {choice(String::new(), lang.pick("Alla områden", "All areas").into(), &area)}
                    {STRATEGY_AREAS.into_iter().map(|a| choice(a.into(), format!("{a} {}", strategy_area_label(a, lang)), &area)).collect_view()}
                </select>
            </label>
            <label>{lang.pick("Från", "From")}<input type="date" name="from" value=params.from.clone()/></label>
            <label>{lang.pick("Till och med", "To")}<input type="date" name="to" value=params.to.clone()/></label>
            <label>{lang.pick("Veckodagar", "Weekdays")}
                <select name="weekdays">
                    {weekday_choices.into_iter().map(|(v, l)| choice(v.into(), l.into(), &weekdays)).collect_view()}
                </select>
            </label>
            <label>{lang.pick("Från klockan", "From hour")}<input type="number" name="hour_from" min="0" max="23" inputmode="numeric" value=hour(params.hour_from)/></label>
            <label>{lang.pick("Till klockan", "To hour")}<input type="number" name="hour_to" min="0" max="23" inputmode="numeric" value=hour(params.hour_to)/></label>
            <label>{lang.pick("Cellstorlek", "Cell size")}
                <select name="resolution">
                    {[8u8, 9, 10, 11].into_iter()
                        .map(|r| choice(r.to_string(), cell_size(r, lang), &params.resolution.to_string())).collect_view()}
                </select>
            </label>
            <label>{lang.pick("Analys", "Analysis")}
                <select name="analysis">
                    {choice("optimized".into(), lang.pick("Optimerad: skala och celler ur data", "Optimized: scale and cells from the data").into(), if params.optimized { "optimized" } else { "standard" })}
                    {choice("standard".into(), lang.pick("Standard: hela området, valt grannskap", "Standard: whole area, chosen neighbourhood").into(), if params.optimized { "optimized" } else { "standard" })}
                </select>
            </label>
            <label>{lang.pick("Grannskap (ringar, standardanalys)", "Neighbourhood (rings, standard analysis)")}
                <select name="k">
                    {(1..=3).map(|k: u32| choice(k.to_string(), k.to_string(), &params.k.to_string())).collect_view()}
                </select>
            </label>
            <label>{lang.pick("Tidsindelning", "Time slices")}
                <select name="slice">
                    {choice("week".into(), lang.pick("Veckor", "Weeks").into(), if params.slice == Slice::Week { "week" } else { "month" })}
                    {choice("month".into(), lang.pick("Månader", "Months").into(), if params.slice == Slice::Week { "week" } else { "month" })}
                </select>
            </label>
            <button type="submit" class="primary">{lang.pick("Visa", "Show")}</button>
        </form>
    }
}

#[component]
pub(super) fn Legend(aggregated: bool) -> impl IntoView {
    let lang = use_lang();
    if aggregated {
        return view! {
            <p class="legend hint">{lang.pick(
                "Mörkare cell: fler rapporter. Celler med färre än tre rapporter visas inte.",
                "Darker cell: more reports. Cells with fewer than three reports are not shown.")}</p>
        }
        .into_any();
    }
    view! {
        <ul class="legend" aria-label=lang.pick("Teckenförklaring", "Legend")>
            {[3i8, 2, 1, 0, -1, -2, -3].into_iter().map(|bin| view! {
                <li><span class="swatch" style=format!("background:{}", class_colour(bin))></span>{class_label(bin, lang)}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The comparison per strategy area, the hottest cells and the emerging hotspots.
#[component]
pub(super) fn SituationTables(situation: Situation, drill: bool) -> impl IntoView {
    let lang = use_lang();
    if situation.aggregated {
        return ().into_any();
    }
    let top: Vec<HexCell> = situation
        .top
        .iter()
        .filter_map(|h3| situation.cells.iter().find(|c| &c.h3 == h3))
        .cloned()
        .collect();
    let top_numbers = top.clone();
    let trends = ["new", "intensifying", "persistent", "diminishing", "sporadic"];
    // An action made from a hot cell belongs to the area the map is filtered on, or to
    // "ett tryggt Upplands-Bro" (3) until someone picks another.
    let strategy_area = situation
        .params
        .strategy_area
        .clone()
        .unwrap_or_else(|| "3".to_owned());
    let trend_counts: Vec<(&str, usize)> = trends
        .iter()
        .map(|t| {
            (
                *t,
                situation
                    .cells
                    .iter()
                    .filter(|c| c.trend.as_deref() == Some(t))
                    .count(),
            )
        })
        .collect();
    let slices = match situation.params.slice {
        Slice::Week => format::count(
            u64::from(situation.slices),
            ["vecka", "veckor"],
            ["week", "weeks"],
            lang,
        ),
        Slice::Month => format::count(
            u64::from(situation.slices),
            ["månad", "månader"],
            ["month", "months"],
            lang,
        ),
    };
    let areas = situation.areas.clone();
    view! {
        <section class="comparison">
            <h2>{lang.pick("Jämfört med föregående period", "Compared with the previous period")}</h2>
            <table class="data">
                <thead><tr>
                    <th scope="col">{lang.pick("Strategiområde", "Strategy area")}</th>
                    <th scope="col">{lang.pick("Nu", "Now")}</th>
                    <th scope="col">{lang.pick("Före", "Before")}</th>
                    <th scope="col">{lang.pick("Förändring", "Change")}</th>
                </tr></thead>
                <tbody>
                    {situation.areas.iter().map(|a| view! {
                        <tr class:total=a.strategy_area.is_empty()>
                            <th scope="row">{area_name(&a.strategy_area, lang)}</th>
                            <td>{format::integer(i64::from(a.now), lang)}</td>
                            <td>{format::integer(i64::from(a.previous), lang)}</td>
                            <td>{if a.change > 0 { "+" } else { "" }}{format::integer(a.change, lang)}
                                {a.significant_rise.then(|| view! { " " <strong class="rise">{lang.pick(
                                    "tydlig ökning, sannolikt inte slumpen",
                                    "clear rise, probably not chance")}</strong> })}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <ComparisonMethod areas/>
        </section>
        <section class="top-hotspots">
            <h2>{lang.pick("Starkaste hetpunkterna", "Strongest hot spots")}</h2>
            {top.is_empty().then(|| view! { <p class="hint">{lang.pick(
                "Inga områden har tydligt fler rapporter än runt omkring.",
                "No area has clearly more reports than around it.")}</p> })}
            <ol class="top-list">
                {top.into_iter().map(|cell| view! {
                    <li>
                        <span class="swatch" style=format!("background:{}", class_colour(cell.class))></span>
                        {cell.place.clone().map(|place| view! { <strong class="place">{place}</strong> " · " })}
                        {format!("{} · ", reports(cell.count, lang))}
                        {class_words(cell.class, lang)}
                        {cell.trend.as_deref().map(|t| format!(" · {}", trend_label(t, lang)))}
                        {drill.then(|| view! { " " <DrillButton h3=cell.h3.clone()/> })}
                        {(drill && may_keep_actions()).then(|| view! {
                            <NewActionForm source_kind="cell" source_ref=cell.h3.clone() strategy_area=strategy_area.clone() done=Callback::new(|_| ())/>
                        })}
                    </li>
                }).collect_view()}
            </ol>
            {(!top_numbers.is_empty()).then(|| view! { <HotspotMethod cells=top_numbers/> })}
            {drill.then(|| view! { <DrillDown/> })}
        </section>
        <section class="emerging">
            <h2>{lang.pick("Framväxande hetpunkter", "Emerging hot spots")}</h2>
            {if situation.slices < MIN_SLICES {
                view! { <p class="hint">{lang.pick(
                    "Framväxande hetpunkter behöver minst sex hela tidsperioder: välj en längre period eller veckor.",
                    "Emerging hot spots need at least six whole time slices: choose a longer period or weeks.")}</p> }.into_any()
            } else {
                view! {
                    <p class="hint">{match lang {
                        Lang::Sv => format!("Hur hetpunkterna har utvecklats under {slices}."),
                        Lang::En => format!("How the hot spots have developed over {slices}."),
                    }}</p>
                    <ul class="trend-list">
                        {trend_counts.into_iter().map(|(t, n)| view! {
                            <li><span class=format!("swatch trend-{t}")></span>{trend_label(t, lang)} ": "
                                {format::count(n as u64, ["cell", "celler"], ["cell", "cells"], lang)}</li>
                        }).collect_view()}
                    </ul>
                    <TrendMethod/>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// "10 Droghandel och öppna drogscener", or "Alla" for the row of all areas together.
fn area_name(code: &str, lang: Lang) -> String {
    if code.is_empty() {
        strategy_area_label(code, lang).to_owned()
    } else {
        format!("{code} {}", strategy_area_label(code, lang))
    }
}

/// "Så räknas det" under a list or a table: the method and its numbers, folded away.
#[component]
fn HowCalculated(children: Children) -> impl IntoView {
    let lang = use_lang();
    view! {
        <details class="method">
            <summary>{lang.pick("Så räknas det", "How it is calculated")}</summary>
            {children()}
        </details>
    }
}

/// How a rise against the previous period is judged, with each rising area's chance.
#[component]
fn ComparisonMethod(areas: Vec<AreaChange>) -> impl IntoView {
    let lang = use_lang();
    let rising: Vec<_> = areas.into_iter().filter(|a| a.change > 0).collect();
    view! {
        <HowCalculated>
            <p>{lang.pick(
                "Perioden jämförs med lika lång tid direkt före. En ökning räknas som tydlig när sannolikheten att den bara är slumpen är under 5 % (ett exakt test för två antal).",
                "The period is compared with an equally long time just before it. A rise counts as clear when the probability that it is only chance is under 5% (an exact test for two counts).",
            )}</p>
            {(!rising.is_empty()).then(|| view! {
                <ul>
                    {rising.into_iter().map(|a| view! {
                        <li>{match lang {
                            Lang::Sv => format!(
                                "{}: sannolikheten att ökningen är slumpen är {}.",
                                area_name(&a.strategy_area, lang),
                                format::percent(a.p_rise, lang)
                            ),
                            Lang::En => format!(
                                "{}: the probability that the rise is chance is {}.",
                                area_name(&a.strategy_area, lang),
                                format::percent(a.p_rise, lang)
                            ),
                        }}</li>
                    }).collect_view()}
                </ul>
            })}
        </HowCalculated>
    }
}

/// How the hot spots are found, with the numbers behind each of the strongest.
#[component]
fn HotspotMethod(cells: Vec<HexCell>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <HowCalculated>
            <p>{lang.pick(
                "Varje cell jämförs med cellerna runt omkring: har cellen och dess grannar fler rapporter än området i stort (Getis–Ord Gi*)? Svaret är ett z-värde – ju högre, desto tydligare. Eftersom många celler prövas samtidigt justeras sannolikheterna (Benjamini–Hochberg), så att enstaka slumpträffar inte ser ut som hetpunkter. En sannolikhet under 10 %, 5 % respektive 1 % att mönstret är slumpen kallas i teckenförklaringen svag, tydlig respektive mycket tydlig.",
                "Each cell is compared with the cells around it: do the cell and its neighbours have more reports than the area as a whole (Getis–Ord Gi*)? The answer is a z-score – the higher, the clearer. Because many cells are tested at once, the probabilities are adjusted (Benjamini–Hochberg) so that single chance hits do not look like hot spots. A probability under 10%, 5% and 1% corresponds to 90, 95 and 99% confidence in the legend.",
            )}</p>
            <ol>
                {cells.into_iter().map(|cell| {
                    let place = cell.place.clone().map(|place| format!("{place}: ")).unwrap_or_default();
                    let z = format::decimal(cell.z.unwrap_or(0.0), 1, lang);
                    let chance = cell.p_fdr.map(|p| match lang {
                        Lang::Sv => format!("; sannolikheten att det är slumpen är {}", format::percent(p, lang)),
                        Lang::En => format!("; the probability that it is chance is {}", format::percent(p, lang)),
                    });
                    view! {
                        <li>{format!("{place}{} {z}{}.", lang.pick("z-värde", "z-score"), chance.unwrap_or_default())}</li>
                    }
                }).collect_view()}
            </ol>
        </HowCalculated>
    }
}

/// What the trend classes mean.
#[component]
fn TrendMethod() -> impl IntoView {
    let lang = use_lang();
    view! {
        <HowCalculated>
            <p>{lang.pick(
                "Varje cell prövas som hetpunkt i varje tidsperiod för sig. Ny: het bara i den senaste perioden. Ihållande: het i nästan alla perioder (minst 90 %). Intensifierande och avtagande: het i nästan alla perioder och dessutom tydligare respektive svagare över tiden (Mann–Kendall-test, under 5 % sannolikhet att trenden är slumpen). Sporadisk: het då och då, även i den senaste perioden.",
                "Each cell is tested as a hot spot in each time slice on its own. New: hot only in the latest slice. Persistent: hot in almost every slice (at least 90%). Intensifying and diminishing: hot in almost every slice and also getting clearer or weaker over time (Mann–Kendall test, under 5% probability that the trend is chance). Sporadic: hot now and then, the latest slice included.",
            )}</p>
        </HowCalculated>
    }
}
