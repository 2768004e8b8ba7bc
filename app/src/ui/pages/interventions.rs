//! Insatser: the joint efforts, a form to start one over an area drawn on the map, and
//! each one's effect report (area against a comparison ring, before against during).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::domain::access::pages::Page;
use crate::domain::geo::LatLng;
use crate::domain::ids::InterventionId;
use crate::domain::intervention::{circle_outline, Intervention, Zone, DEFAULT_RING_M};
use crate::domain::observation::{strategy_area_label, STRATEGY_AREAS};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::server_fns::interventions::{
    get_effect_report, get_interventions_page, CreateIntervention, EffectPage, InterventionsPage,
};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::map::areas::{AreasMap, Outline};
use crate::ui::format;
use crate::ui::use_lang;

/// The zone on the map; for a circle also the comparison ring `ring_m` around it, as a
/// draft outline.
fn outlines_of(intervention: &Intervention, ring_m: Option<f64>, lang: Lang) -> Vec<Outline> {
    match &intervention.zone {
        Zone::Polygon { geometry } => vec![Outline {
            name: intervention.title.clone(),
            geometry: geometry.clone(),
            draft: false,
        }],
        Zone::Circle { lat, lng, radius_m } => {
            let centre = LatLng { lat: *lat, lng: *lng };
            let mut outlines = vec![Outline {
                name: intervention.title.clone(),
                geometry: circle_outline(centre, *radius_m),
                draft: false,
            }];
            if let Some(ring_m) = ring_m {
                outlines.push(Outline {
                    name: lang.pick("Jämförelsering", "Comparison ring").to_owned(),
                    geometry: circle_outline(centre, radius_m + ring_m),
                    draft: true,
                });
            }
            outlines
        }
    }
}

#[component]
pub fn InterventionsPageView() -> impl IntoView {
    let lang = use_lang();
    let page = Resource::new(|| (), |_| get_interventions_page());
    view! {
        <RequirePage page=Page::Interventions>
            <section class="notice interventions">
                <h1>{Page::Interventions.label(lang)}</h1>
                <Loaded resource=page render=move |data: InterventionsPage| view! { <Interventions data/> }/>
            </section>
        </RequirePage>
    }
}

#[component]
fn Interventions(data: InterventionsPage) -> impl IntoView {
    let lang = use_lang();
    let corners = RwSignal::new(Vec::<LatLng>::new());
    let kept = RwSignal::new(data.interventions.clone());
    let create = ServerAction::<CreateIntervention>::new();
    let id = RwSignal::new(InterventionId::new());
    let error = RwSignal::new(None::<AppError>);
    Effect::new(move |_| match create.value().get() {
        Some(Ok(created)) => {
            error.set(None);
            corners.set(Vec::new());
            id.set(InterventionId::new());
            kept.update(|kept| kept.insert(0, created));
        }
        Some(Err(err)) => error.set(Some(err)),
        None => {}
    });
    // A drawn polygon, or a circle around the last place tapped.
    let circle = RwSignal::new(false);
    let radius_m = RwSignal::new(300.0_f64);
    // A circle has one centre: a new tap moves it.
    Effect::new(move |_| {
        if circle.get() && corners.with(|c| c.len() > 1) {
            corners.update(|c| {
                c.drain(..c.len() - 1);
            });
        }
    });
    let outlines = Signal::derive(move || {
        let mut outlines: Vec<Outline> = kept
            .get()
            .iter()
            .flat_map(|i| outlines_of(i, None, lang))
            .collect();
        if let (true, Some(&centre)) = (circle.get(), corners.get().last()) {
            outlines.push(Outline {
                name: lang.pick("Ny insats", "New intervention").to_owned(),
                geometry: circle_outline(centre, radius_m.get()),
                draft: true,
            });
        }
        outlines
    });
    let geometry = move || {
        if circle.get() {
            return corners
                .get()
                .last()
                .map(|c| serde_json::json!({ "type": "Point", "coordinates": [c.lng, c.lat] }).to_string())
                .unwrap_or_default();
        }
        let mut ring: Vec<[f64; 2]> = corners.get().iter().map(|c| [c.lng, c.lat]).collect();
        if let Some(&first) = ring.first() {
            ring.push(first);
        }
        if ring.len() < 4 {
            return String::new();
        }
        serde_json::json!({ "type": "Polygon", "coordinates": [ring] }).to_string()
    };
    view! {
        <details class="plan" open=data.interventions.is_empty()>
            <summary>{lang.pick("Ny insats", "New intervention")}</summary>
            <AreasMap settings=data.map.clone() outlines corners/>
            <fieldset class="row">
                <legend>{lang.pick("Områdets form", "The area's shape")}</legend>
                <label class="check"><input type="radio" name="zone-shape" prop:checked=move || !circle.get()
                    on:change=move |_| { circle.set(false); corners.set(Vec::new()); }/>
                    {lang.pick("Rita hörn för hörn", "Draw corner by corner")}</label>
                <label class="check"><input type="radio" name="zone-shape" prop:checked=move || circle.get()
                    on:change=move |_| { circle.set(true); corners.set(Vec::new()); }/>
                    {lang.pick("Cirkel runt en plats", "Circle around a place")}</label>
            </fieldset>
            <p class="hint" aria-live="polite">{move || match (circle.get(), corners.get().len()) {
                (false, 0) => lang.pick("Tryck på kartan för att rita insatsens område, hörn för hörn.", "Tap the map to draw the intervention's area, corner by corner.").to_owned(),
                (false, n) => format!(
                    "{} {}.",
                    format::count(n as u64, ["hörn", "hörn"], ["corner", "corners"], lang),
                    if n == 1 { lang.pick("utsatt", "placed") } else { lang.pick("utsatta", "placed") }
                ),
                (true, 0) => lang.pick("Tryck på kartan där insatsen görs.", "Tap the map where the intervention takes place.").to_owned(),
                (true, _) => lang.pick("Mittpunkt vald; tryck igen för att flytta den.", "Centre chosen; tap again to move it.").to_owned(),
            }}</p>
            <button type="button" class="secondary" on:click=move |_| corners.set(Vec::new())>{lang.pick("Börja om", "Start over")}</button>
            <ActionForm action=create attr:class="stack">
                <input type="hidden" name="id" prop:value=move || id.get().to_string()/>
                <input type="hidden" name="geometry" prop:value=geometry/>
                {move || circle.get().then(|| view! {
                    <label>{lang.pick("Radie (meter)", "Radius (metres)")}
                        <input type="number" name="radius_m" min="25" max="5000" step="25" required
                            prop:value=move || radius_m.get().to_string()
                            on:input=move |ev| if let Ok(r) = event_target_value(&ev).parse() { radius_m.set(r) }/>
                    </label>
                })}
                <label>{lang.pick("Rubrik", "Title")}<input type="text" name="title" required maxlength="200"/></label>
                <label>{lang.pick("Strategiområde", "Strategy area")}
                    <select name="strategy_area">
                        {STRATEGY_AREAS.map(|code| view! {
                            <option value=code selected=code == "10">{format!("{code} {}", strategy_area_label(code, lang))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{lang.pick("Fokusproblem", "Focus problem")}<input type="text" name="focus" maxlength="4000"/></label>
                <label>{lang.pick("Första dag", "First day")}<input type="date" name="starts_on" required/></label>
                <label>{lang.pick("Sista dag (tom om den pågår)", "Last day (empty while it goes on)")}<input type="date" name="ends_on"/></label>
                {move || error.get().map(|err| view! { <p class="error" role="alert">{err.message(lang)}</p> })}
                <button type="submit" disabled=move || create.pending().get()>{lang.pick("Spara insatsen", "Save the intervention")}</button>
            </ActionForm>
        </details>
        <ul class="intervention-list">
            {move || kept.get().into_iter().map(|intervention| view! {
                <li>
                    <a href=format!("/insatser/{}", intervention.id)>{intervention.title.clone()}</a>
                    " · " {period(&intervention, lang)}
                    " · " {format!("{} {}", intervention.strategy_area, strategy_area_label(&intervention.strategy_area, lang))}
                </li>
            }).collect_view()}
        </ul>
    }
}

fn period(intervention: &Intervention, lang: Lang) -> String {
    match &intervention.ends_on {
        Some(end) => format!("{} – {end}", intervention.starts_on),
        None => format!("{} {}", lang.pick("från", "from"), intervention.starts_on),
    }
}

#[component]
pub fn EffectReportPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|id| id.parse().ok())
        .unwrap_or(InterventionId::NONE);
    let ring_m = use_query_map()
        .get_untracked()
        .get("ring_m")
        .and_then(|ring| ring.parse::<f64>().ok());
    let page = Resource::new(move || (id, ring_m), |(id, ring_m)| get_effect_report(id, ring_m));
    view! {
        <RequirePage page=Page::Interventions>
            <section class="notice effect">
                <p><a href="/insatser">{lang.pick("← Alla insatser", "← All interventions")}</a></p>
                <Loaded resource=page render=move |data: EffectPage| view! { <EffectView data/> }/>
            </section>
        </RequirePage>
    }
}

#[component]
fn EffectView(data: EffectPage) -> impl IntoView {
    let lang = use_lang();
    let report = data.report;
    let outlines = outlines_of(&report.intervention, Some(report.ring_m), lang);
    let ring = report.ring_m;
    let verdict = lang.pick(&report.verdict_sv, &report.verdict_en).to_owned();
    view! {
        <h1>{report.intervention.title.clone()}</h1>
        <p class="hint">{period(&report.intervention, lang)} " · "
            {format!("{} {}", report.intervention.strategy_area, strategy_area_label(&report.intervention.strategy_area, lang))}
            {(!report.intervention.focus.is_empty()).then(|| format!(" · {}", report.intervention.focus))}</p>
        <AreasMap settings=data.map.clone() outlines=Signal::derive(move || outlines.clone()) corners=RwSignal::new(Vec::new())/>
        <h2>{lang.pick("Effekt", "Effect")}</h2>
        <p class="verdict" role="status">{verdict}</p>
        <table class="effect-table">
            <thead><tr>
                <th></th>
                <th>{format!("{} ({} – {})", lang.pick("Före", "Before"), report.before.from, report.before.to)}</th>
                <th>{format!("{} ({} – {})", lang.pick("Under", "During"), report.during.from, report.during.to)}</th>
            </tr></thead>
            <tbody>
                <tr><th scope="row">{lang.pick("I området", "In the area")}</th>
                    <td>{format::integer(i64::from(report.area_before), lang)}</td>
                    <td>{format::integer(i64::from(report.area_during), lang)}</td></tr>
                <tr><th scope="row">{format!("{} ({})", lang.pick("Jämförelsering", "Comparison ring"), format::distance_in(ring, lang))}</th>
                    <td>{format::integer(i64::from(report.ring_before), lang)}</td>
                    <td>{format::integer(i64::from(report.ring_during), lang)}</td></tr>
            </tbody>
        </table>
        <details class="method">
            <summary>{lang.pick("Så räknas det", "How it is calculated")}</summary>
            <p>{match lang {
                Lang::Sv => format!(
                    "Rapporterna räknas i området och i en {} bred ring runt det, lika lång tid före insatsen som den har pågått. Om området förändras annorlunda än ringen runt omkring kan skillnaden bero på insatsen (skillnad-i-skillnader).",
                    format::distance_in(ring, lang)
                ),
                Lang::En => format!(
                    "Reports are counted in the area and in a ring {} wide around it, for as long before the intervention as it has run. If the area changes differently from the ring around it, the difference may be due to the intervention (difference in differences).",
                    format::distance_in(ring, lang)
                ),
            }}</p>
            <p>{match lang {
                Lang::Sv => format!(
                    "Kvoten mellan förändringarna är {} (1 betyder samma utveckling som omgivningen, under 1 att området minskade mer). Sannolikheten att en så stor skillnad bara är slumpen är {} (Fishers exakta test).",
                    format::decimal(report.ratio, 2, lang),
                    format::percent(report.p, lang)
                ),
                Lang::En => format!(
                    "The ratio of the changes is {} (1 means the same development as the surroundings, under 1 that the area fell more). The probability that so large a difference is only chance is {} (Fisher's exact test).",
                    format::decimal(report.ratio, 2, lang),
                    format::percent(report.p, lang)
                ),
            }}</p>
        </details>
        <form method="get" class="filters no-print">
            <label>{lang.pick("Jämförelseringens bredd (meter)", "Comparison ring width (metres)")}
                <input type="number" name="ring_m" min="100" max="3000" step="50" value=ring.to_string()/></label>
            <button type="submit">{lang.pick("Räkna om", "Recalculate")}</button>
        </form>
        {(ring != DEFAULT_RING_M).then(|| view! { <p><a href="?">{lang.pick("Standardbredd", "Default width")}</a></p> })}
    }
}
