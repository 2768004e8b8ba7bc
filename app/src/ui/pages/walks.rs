//! Vandringar: the coordinator plans safety walks, hands out the code or QR, closes a
//! walk and prints its protocol (the list of findings for the responsible owners).

use leptos::prelude::*;

use crate::domain::access::pages::Page;
use crate::domain::action::{Action, Source};
use crate::domain::category::Category;
use crate::domain::geo::LatLng;
use crate::domain::ids::WalkId;
use crate::domain::observation::Observation;
use crate::domain::walk::{Light, RewalkReport, Walk};
use crate::error::AppError;
use crate::server_fns::actions::get_walk_actions;
use crate::server_fns::walks::{get_rewalk, get_walks_page, CloseWalk, CreateWalk, WalkPage};
use crate::settings::MapSettings;
use crate::ui::components::actions::{ActionLine, NewActionForm};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::map::areas::{AreasMap, Outline};
use crate::ui::components::map::capture::category_label;
use crate::ui::components::map::capture::{CaptureMap, Pin};
use crate::ui::components::print::PrintButton;
use crate::ui::format;
use crate::ui::pages::walk::walk_page_of_route;
use crate::ui::use_lang;

#[component]
pub fn WalksPageView() -> impl IntoView {
    let lang = use_lang();
    let page = Resource::new(|| (), |_| get_walks_page());
    let message = RwSignal::new(None::<String>);
    let create = ServerAction::<CreateWalk>::new();
    let close = ServerAction::<CloseWalk>::new();
    // Any change reloads the list.
    Effect::new(move |_| {
        if let Some(result) = create.value().get() {
            match result {
                Ok(_) => {
                    message.set(Some(
                        lang.pick("Vandringen är planerad.", "The walk is planned.")
                            .into(),
                    ));
                    page.refetch();
                }
                Err(err) => message.set(Some(err.message(lang))),
            }
        }
    });
    Effect::new(move |_| {
        if close.value().get().is_some() {
            page.refetch();
        }
    });
    view! {
        <RequirePage page=Page::Walks>
            <section class="notice walks">
                <h1>{lang.pick("Trygghetsvandringar", "Safety walks")}</h1>
                {move || message.get().map(|text| view! { <p role="status" class="hint">{text}</p> })}
                <Suspense fallback=move || view! { <p class="loading">{lang.pick("Laddar…", "Loading…")}</p> }>
                    {move || Suspend::new(async move {
                        match page.await {
                            Ok(data) => view! {
                                {data.may_plan.then(|| view! {
                                    <PlanForm create earlier=data.walks.clone() areas=data.areas.clone() outlines=data.outlines.clone() map=data.map.clone()/>
                                })}
                                <ul class="walk-list">
                                    {data.walks.into_iter().map(|walk| view! { <WalkItem walk may_plan=data.may_plan close/> }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </RequirePage>
    }
}

#[component]
fn PlanForm(
    create: ServerAction<CreateWalk>,
    earlier: Vec<Walk>,
    areas: Vec<String>,
    outlines: Vec<serde_json::Value>,
    map: Option<MapSettings>,
) -> impl IntoView {
    let lang = use_lang();
    let form = NodeRef::<leptos::html::Form>::new();
    // The route, drawn on the map point by point; sent with the form as JSON.
    let route = RwSignal::new(Vec::<LatLng>::new());
    let outlines: Vec<Outline> = areas
        .iter()
        .zip(outlines)
        .map(|(name, geometry)| Outline {
            name: name.clone(),
            geometry,
            draft: false,
        })
        .collect();
    // The walk's id is chosen when the form is shown: a double tap, or a resend on a bad
    // connection, sends the same id and the server plans the walk once.
    let walk_id = RwSignal::new(WalkId::new());
    // A planned walk empties the form and takes a new id for the next one.
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
            walk_id.set(WalkId::new());
            route.set(Vec::new());
        }
    });
    view! {
        <details class="plan">
            <summary>{lang.pick("Planera en vandring", "Plan a walk")}</summary>
            <ActionForm action=create attr:class="stack" node_ref=form>
                <input type="hidden" name="id" value=walk_id.get_untracked().to_string() prop:value=move || walk_id.get().to_string()/>
                <label>{lang.pick("Titel", "Title")}<input name="title" required maxlength="200"/></label>
                {if areas.is_empty() {
                    view! {
                        <label>{lang.pick("Område", "Area")}<input name="area" required maxlength="200"/></label>
                        <p class="hint"><a href=Page::Places.path()>{lang.pick(
                            "Rita områdena under Områden, så väljs vandringens område ur listan.",
                            "Draw the areas under Areas, and the walk's area is chosen from the list.",
                        )}</a></p>
                    }.into_any()
                } else {
                    view! {
                        <label>{lang.pick("Område", "Area")}
                            <select name="area" required>
                                <option value="">{lang.pick("Välj ett område…", "Choose an area…")}</option>
                                {areas.into_iter().map(|name| view! { <option value=name.clone()>{name.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                    }.into_any()
                }}
                <label>{lang.pick("Datum och tid", "Date and time")}<input name="starts_at" type="datetime-local" required/></label>
                <label>
                    {lang.pick("Ljus", "Light")}
                    <select name="light">
                        <option value="dark">{lang.pick("Mörker (kvällsvandring)", "Dark (evening walk)")}</option>
                        <option value="daylight">{lang.pick("Dagsljus", "Daylight")}</option>
                    </select>
                </label>
                {map.map(|settings| view! {
                    <fieldset class="route-draw">
                        <legend>{lang.pick("Rutten på kartan", "The route on the map")}</legend>
                        <AreasMap settings outlines=Signal::derive(move || outlines.clone()) corners=route line=true/>
                        <p class="hint" aria-live="polite">{move || match route.with(Vec::len) {
                            0 => lang.pick(
                                "Tryck på kartan längs vägen ni ska gå, punkt för punkt. Rutten kan också lämnas tom.",
                                "Tap the map along the way you will walk, point by point. The route may also be left empty.",
                            ).to_owned(),
                            n => format::count(n as u64, ["punkt utsatt", "punkter utsatta"], ["point placed", "points placed"], lang),
                        }}</p>
                        <div class="row">
                            <button type="button" class="secondary" on:click=move |_| route.update(|r| { r.pop(); })
                                disabled=move || route.with(Vec::is_empty)>{lang.pick("Ångra senaste punkten", "Undo the last point")}</button>
                            <button type="button" class="secondary" on:click=move |_| route.set(Vec::new())
                                disabled=move || route.with(Vec::is_empty)>{lang.pick("Börja om", "Start over")}</button>
                        </div>
                        <input type="hidden" name="route_path"
                            prop:value=move || route.with(|r| if r.is_empty() { String::new() } else { serde_json::to_string(r).unwrap_or_default() })/>
                    </fieldset>
                })}
                <label>{lang.pick("Rutt eller stopp i ord", "Route or stops in words")}<textarea name="route" rows="2"></textarea></label>
                <label>{lang.pick("Inbjudna grupper", "Invited groups")}<input name="invited" placeholder="boende, Upplands-Brohus, fritidsgården"/></label>
                <label>
                    {lang.pick("Följer upp (återvandring)", "Follows up (re-walk)")}
                    <select name="previous_walk_id">
                        <option value="">{lang.pick("Ingen tidigare vandring", "No earlier walk")}</option>
                        {earlier.into_iter().map(|walk| view! {
                            <option value=walk.id.to_string()>{format!("{} · {}", walk.title, format::stockholm_date(walk.starts_at))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="primary" disabled=move || create.pending().get()>{lang.pick("Planera", "Plan")}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn WalkItem(walk: Walk, may_plan: bool, close: ServerAction<CloseWalk>) -> impl IntoView {
    let lang = use_lang();
    let id = walk.id;
    let light = match walk.light {
        Light::Dark => lang.pick("mörker", "dark"),
        Light::Daylight => lang.pick("dagsljus", "daylight"),
    };
    view! {
        <li class="walk-item">
            <h2>{walk.title.clone()}</h2>
            <p class="hint">{walk.area.clone()} " · " {format::stockholm_time(walk.starts_at)} " · " {light}
                {walk.closed.then(|| view! { " · " <strong>{lang.pick("avslutad", "closed")}</strong> })}
            </p>
            {(!walk.join_code.is_empty()).then(|| view! {
                <p>{lang.pick("Kod", "Code")} " " <strong class="join-code">{walk.join_code.clone()}</strong></p>
            })}
            <div class="row">
                <a href=format!("/vandring/{id}")>{lang.pick("Öppna", "Open")}</a>
                {may_plan.then(|| view! {
                    <a href=format!("/vandringar/{id}/inbjudan")>{lang.pick("Inbjudan", "Invitation")}</a>
                    <a href=format!("/vandringar/{id}/protokoll")>{lang.pick("Protokoll", "Protocol")}</a>
                    <a href=format!("/api/v1/walks/{id}/qr.svg") target="_blank">{lang.pick("QR-kod", "QR code")}</a>
                })}
                {(may_plan && !walk.closed).then(|| view! {
                    <button type="button" class="secondary" on:click=move |_| { close.dispatch(CloseWalk { id }); }>
                        {lang.pick("Avsluta vandringen", "Close the walk")}
                    </button>
                })}
            </div>
        </li>
    }
}

/// `/vandringar/:id/protokoll`: the printable protocol (A4).
#[component]
pub fn WalkProtocolPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <RequirePage page=Page::Walks>
            <Loaded resource=walk_page_of_route() render=move |data: WalkPage| if data.may_manage {
                view! { <Protocol data/> }.into_any()
            } else {
                view! { <p class="error notice" role="alert">{AppError::Forbidden.message(lang)}</p> }.into_any()
            }/>
        </RequirePage>
    }
}

/// `/vandringar/<id>/inbjudan`: an A4 invitation to print and put up — the walk, when and
/// where, the QR code and the six-letter code to join with.
#[component]
pub fn WalkInvitationPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <RequirePage page=Page::Walks>
            <Loaded resource=walk_page_of_route() render=move |data: WalkPage| if data.may_manage {
                view! { <Invitation walk=data.walk/> }.into_any()
            } else {
                view! { <p class="error notice" role="alert">{AppError::Forbidden.message(lang)}</p> }.into_any()
            }/>
        </RequirePage>
    }
}

#[component]
fn Invitation(walk: Walk) -> impl IntoView {
    let lang = use_lang();
    let light = match walk.light {
        Light::Dark => lang.pick("Vi går när det är mörkt.", "We walk after dark."),
        Light::Daylight => lang.pick("Vi går i dagsljus.", "We walk in daylight."),
    };
    view! {
        <article class="invitation">
            <p class="hint">"Upplands-Bro kommun · " {lang.pick("Trygghetsvandring", "Safety walk")}</p>
            <h1>{walk.title.clone()}</h1>
            <p class="when">{format::stockholm_weekday_time(walk.starts_at, lang)}</p>
            <p class="where"><strong>{lang.pick("Plats: ", "Place: ")}</strong>{walk.area.clone()}</p>
            {(!walk.route.is_empty()).then(|| view! { <p><strong>{lang.pick("Rutt: ", "Route: ")}</strong>{walk.route.clone()}</p> })}
            <p>{lang.pick(
                "Välkommen att gå med och visa var du känner dig trygg eller otrygg. Dina synpunkter blir åtgärder som kommunen och polisen följer upp.",
                "You are welcome to join and show where you feel safe or unsafe. What you point out becomes actions that the municipality and the police follow up.",
            )} " " {light}</p>
            <div class="join">
                <img src=format!("/api/v1/walks/{}/qr.svg", walk.id) width="240" height="240"
                    alt=lang.pick("QR-kod för att gå med i vandringen", "QR code to join the walk")/>
                <div>
                    <p>{lang.pick("Skanna koden med mobilens kamera, eller öppna Tryggkarta, välj ”Ange kod för vandring” och skriv:",
                        "Scan the code with your phone's camera, or open Tryggkarta, choose \"Enter a walk code\" and type:")}</p>
                    <p class="join-code">{walk.join_code.clone()}</p>
                    <p class="hint">{lang.pick("Du behöver inget konto.", "You need no account.")}</p>
                </div>
            </div>
            <PrintButton class="no-print"/>
        </article>
    }
}

/// A re-walk's comparison with the walk it follows up: each earlier place, what was
/// done, and what is there now; then the new places.
#[component]
fn RewalkSection(walk_id: crate::domain::ids::WalkId, categories: Vec<Category>) -> impl IntoView {
    let lang = use_lang();
    let report = Resource::new(move || walk_id, get_rewalk);
    let render = move |report: RewalkReport| {
        let describe = {
            let categories = categories.clone();
            move |o: &Observation| {
                let mut text = category_label(&categories, &o.category, lang);
                if !o.note.is_empty() {
                    text.push_str(&format!(": {}", o.note));
                }
                text
            }
        };
        view! {
            <h2>{format!("{} {}", lang.pick("Jämfört med", "Compared with"), report.previous.title)}</h2>
            <p class="hint">{match lang {
                crate::i18n::Lang::Sv => format!("Samma plats: inom {:.0} meter.", report.distance_m),
                crate::i18n::Lang::En => format!("Same place: within {:.0} metres.", report.distance_m),
            }}</p>
            <table class="rewalk">
                <thead><tr>
                    <th>{lang.pick("Då", "Then")}</th>
                    <th>{lang.pick("Gjort", "Done")}</th>
                    <th>{lang.pick("Nu", "Now")}</th>
                </tr></thead>
                <tbody>
                    {report.places.into_iter().map(|place| view! {
                        <tr>
                            <td>{place.before.place.clone().map(|p| format!("{p} · "))}{describe(&place.before)}</td>
                            <td>{if place.actions.is_empty() {
                                lang.pick("Ingen åtgärd", "No action").into_any()
                            } else {
                                place.actions.into_iter().map(|action| view! { <ActionLine action/> }).collect_view().into_any()
                            }}</td>
                            <td>{if place.now.is_empty() {
                                lang.pick("Inget fynd här nu", "Nothing found here now").to_owned()
                            } else {
                                place.now.iter().map(&describe).collect::<Vec<_>>().join("; ")
                            }}</td>
                        </tr>
                    }).collect_view()}
                    {report.new_findings.iter().map(|o| view! {
                        <tr class="new-place">
                            <td>{lang.pick("Ny plats", "New place")}</td>
                            <td></td>
                            <td>{o.place.clone().map(|p| format!("{p} · "))}{describe(o)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
    };
    view! { <Loaded resource=report render/> }
}

/// The protocol's table: each finding with its place, photos and the actions that
/// answer it, and (for those who keep actions) a form to add one.
#[component]
fn FindingsTable(
    findings: Vec<Observation>,
    categories: Vec<Category>,
    may_keep: bool,
    actions: Vec<Action>,
) -> impl IntoView {
    let lang = use_lang();
    let rows = findings
        .iter()
        .enumerate()
        .map(|(i, o)| {
            // A new action joins the list in place: the form's confirmation stays in view.
            let answering = RwSignal::new(
                actions
                    .iter()
                    .filter(|a| a.source == Source::Observation(o.id))
                    .cloned()
                    .collect::<Vec<Action>>(),
            );
            let added = Callback::new(move |action: Action| answering.update(|list| list.push(action)));
            view! {
                <tr id=format!("fynd-{}", i + 1)>
                    <td>{i + 1}</td>
                    <td>{category_label(&categories, &o.category, lang)}</td>
                    <td class="rating-cell">{o.rating.map(|r| format!("{r}/3")).unwrap_or_default()}</td>
                    <td>{o.note.clone()}</td>
                    <td class="when">{format::stockholm_time(o.observed_at)}</td>
                    <td class="where">
                        {o.place.clone().map(|place| view! { <span class="place">{place}</span><br/> })}
                        {format::position(o.lat, o.lng, lang)}
                    </td>
                    <td class="photos">{o.photo_ids.iter().map(|p| view! {
                        <img src=format!("/api/v1/photos/{p}") alt=lang.pick("Foto av platsen", "Photo of the place") loading="eager"/>
                    }).collect_view()}</td>
                    {may_keep.then(|| view! {
                        <td class="finding-actions">
                            {move || answering.get().into_iter().map(|action| view! { <ActionLine action/> }).collect_view()}
                            <NewActionForm source_kind="observation" source_ref=o.id.to_string() done=added/>
                        </td>
                    })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="findings">
            <thead><tr>
                <th>"#"</th>
                <th>{lang.pick("Kategori", "Category")}</th>
                <th>{lang.pick("Trygghet", "Safety")}</th>
                <th>{lang.pick("Anteckning", "Note")}</th>
                <th>{lang.pick("Tid", "Time")}</th>
                <th>{lang.pick("Plats", "Place")}</th>
                <th>{lang.pick("Foto", "Photo")}</th>
                {may_keep.then(|| view! { <th>{lang.pick("Åtgärder", "Actions")}</th> })}
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn Protocol(data: WalkPage) -> impl IntoView {
    let lang = use_lang();
    let walk = data.walk.clone();
    let pins: Vec<Pin> = data
        .findings
        .iter()
        .map(|o| Pin::of(o, &data.categories, lang))
        .collect();
    let walk_id = walk.id;
    let linked = Resource::new(|| (), move |_| get_walk_actions(walk_id));
    let findings = data.findings.clone();
    let categories = data.categories.clone();
    view! {
        <article class="protocol">
            <header>
                <p class="hint">{lang.pick("Protokoll från trygghetsvandring", "Safety walk protocol")} " · Upplands-Bro kommun"</p>
                <h1>{walk.title.clone()}</h1>
                <p>{walk.area.clone()} " · " {format::stockholm_time(walk.starts_at)} " · "
                    {match walk.light { Light::Dark => lang.pick("mörker", "dark"), Light::Daylight => lang.pick("dagsljus", "daylight") }}</p>
                {(!walk.route.is_empty()).then(|| view! { <p><strong>{lang.pick("Rutt: ", "Route: ")}</strong>{walk.route.clone()}</p> })}
                {(!walk.invited.is_empty()).then(|| view! { <p><strong>{lang.pick("Inbjudna: ", "Invited: ")}</strong>{walk.invited.clone()}</p> })}
                <p class="row no-print">
                    <PrintButton/>
                    <a href=format!("/vandringar/{}/inbjudan", walk.id)>{lang.pick("Inbjudan att skriva ut", "Invitation to print")}</a>
                </p>
            </header>
            <CaptureMap settings=data.map.clone() pins=Signal::derive(move || pins.clone()) chosen=RwSignal::new(None) fit_pins=true numbered=true route=walk.route_path.clone()/>
            <h2>{match lang {
                crate::i18n::Lang::Sv => format!("Fynd ({})", data.findings.len()),
                crate::i18n::Lang::En => format!("Findings ({})", data.findings.len()),
            }}</h2>
            {walk.previous_walk_id.is_some().then(|| view! { <RewalkSection walk_id categories=data.categories.clone()/> })}
            <Loaded resource=linked render=move |(may_keep, actions): (bool, Vec<Action>)| view! {
                <FindingsTable findings=findings.clone() categories=categories.clone() may_keep actions/>
            }/>
            <p class="hint">{lang.pick(
                "Trygghet: 0 = mycket otrygg, 3 = trygg. Varje fynd kan bli en eller flera åtgärder med ansvarig part.",
                "Safety: 0 = very unsafe, 3 = safe. Each finding can become one or more actions with a responsible party.",
            )}</p>
        </article>
    }
}
