//! Områden: the coordinator keeps the named areas (Finnsta, Råby, Bro centrum …) and the
//! municipality boundary, drawn on the map corner by corner or uploaded as GeoJSON.
//! Findings, hotspot cells and actions are labelled with them.

use leptos::prelude::*;

use crate::domain::access::pages::Page;
use crate::domain::area::{Area, AreaKind, Shape};
use crate::domain::code::Code;
use crate::domain::geo::LatLng;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::server_fns::areas::{get_areas_page, AreasPage, RemoveArea, SaveArea};
use crate::ui::components::guard::RequirePage;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::map::areas::{AreasMap, Outline};
use crate::ui::use_lang;

#[component]
pub fn AreasPageView() -> impl IntoView {
    let lang = use_lang();
    let page = Resource::new(|| (), |_| get_areas_page());
    view! {
        <RequirePage page=Page::Places>
            <section class="notice areas">
                <h1>{Page::Places.label(lang)}</h1>
                <p class="hint">{lang.pick(
                    "Namngivna områden märker fynd, rapporter och hetpunkter med var de ligger. Kommungränsen är hetpunktsanalysens studieområde.",
                    "Named areas label findings, reports and hotspots with where they are. The municipality boundary is the hotspot analysis's study area.",
                )}</p>
                <noscript><p class="error">{lang.pick(
                    "Att rita och ladda upp områden kräver JavaScript.",
                    "Drawing and uploading areas needs JavaScript.",
                )}</p></noscript>
                <Loaded resource=page render=move |data: AreasPage| view! { <AreasEditor data/> }/>
            </section>
        </RequirePage>
    }
}

/// Where the new area's outline comes from.
#[derive(Clone, Debug, PartialEq)]
enum Source {
    Drawn,
    /// An uploaded file, read and checked: its name and shape. (Files are read in the
    /// browser only.)
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    Uploaded(String, Shape),
}

#[component]
fn AreasEditor(data: AreasPage) -> impl IntoView {
    let lang = use_lang();
    let corners = RwSignal::new(Vec::<LatLng>::new());
    let source = RwSignal::new(Source::Drawn);
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(AreaKind::Named);
    let problem = RwSignal::new(None::<(String, String)>);
    let saved = RwSignal::new(None::<String>);
    let save = ServerAction::<SaveArea>::new();
    let remove = ServerAction::<RemoveArea>::new();
    // The area being removed, remembered past the end of the request.
    let removing = RwSignal::new(None::<RemoveArea>);
    // Kept here and changed in place, so the map stays where the user left it.
    let areas = RwSignal::new(data.areas.clone());
    // The area being changed (renamed or redrawn), if any.
    let editing = RwSignal::new(None::<Area>);
    let start_over = move || {
        corners.set(Vec::new());
        source.set(Source::Drawn);
        name.set(String::new());
        editing.set(None);
    };
    // Changing an area starts from its name and outline; "Börja om" redraws it.
    let edit = Callback::new(move |area: Area| {
        if let Ok(shape) = Shape::from_geojson(&area.geometry) {
            corners.set(Vec::new());
            source.set(Source::Uploaded(area.name.clone(), shape));
        }
        name.set(area.name.clone());
        kind.set(area.kind);
        problem.set(None);
        saved.set(None);
        editing.set(Some(area));
    });

    Effect::new(move |_| match save.value().get() {
        Some(Ok(area)) => {
            saved.set(Some(format!("{} {}", lang.pick("Sparat:", "Saved:"), area.name)));
            problem.set(None);
            start_over();
            areas.update(|areas| {
                // A changed area replaces its old version.
                areas.retain(|kept| kept.id != area.id);
                // A new boundary replaces the old one.
                if area.kind == AreaKind::Municipality {
                    areas.retain(|kept| kept.kind != AreaKind::Municipality);
                }
                areas.push(area);
            });
        }
        Some(Err(err)) => {
            saved.set(None);
            problem.set(Some((field_of(&err), err.message(lang))));
        }
        None => {}
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => {
            if let Some(RemoveArea { id }) = removing.get_untracked() {
                areas.update(|areas| areas.retain(|kept| kept.id != id));
            }
        }
        Some(Err(err)) => problem.set(Some((String::new(), err.message(lang)))),
        None => {}
    });

    let outlines = Signal::derive(move || {
        // An area being changed is shown as the draft instead of its old outline.
        let changing = editing.get().map(|area| area.id);
        let mut outlines: Vec<Outline> = areas
            .get()
            .into_iter()
            .filter(|area| Some(area.id) != changing)
            .map(|area| Outline {
                name: area.name,
                geometry: area.geometry,
                draft: false,
            })
            .collect();
        if let Source::Uploaded(file, shape) = source.get() {
            outlines.push(Outline {
                name: file,
                geometry: shape.to_geojson(),
                draft: true,
            });
        }
        outlines
    });
    let ready = move || {
        !name.get().trim().is_empty()
            && (corners.get().len() >= 3 || matches!(source.get(), Source::Uploaded(..)))
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let geometry = match source.get_untracked() {
            Source::Uploaded(_, shape) => shape.to_geojson(),
            Source::Drawn => drawn_polygon(&corners.get_untracked()),
        };
        save.dispatch(SaveArea {
            id: editing.get_untracked().map(|area| area.id),
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            geometry: geometry.to_string(),
        });
    };
    let error_for = move |field: &'static str| {
        move || {
            problem
                .get()
                .filter(|(named, _)| named == field)
                .map(|(_, message)| view! { <p class="error" role="alert" id=format!("area-{field}-error")>{message}</p> })
        }
    };

    view! {
        <AreasMap settings=data.map.clone() outlines corners/>
        <p class="hint" aria-live="polite">{move || match (source.get(), corners.get().len()) {
            (Source::Uploaded(file, shape), _) => format!(
                "{} {file} ({} {})",
                lang.pick("Uppladdat:", "Uploaded:"),
                shape.vertices(),
                lang.pick("punkter", "points"),
            ),
            (Source::Drawn, 0) => lang.pick(
                "Tryck på kartan för att sätta ut områdets hörn, ett i taget.",
                "Tap the map to place the area's corners, one at a time.",
            ).to_owned(),
            (Source::Drawn, n) => format!("{n} {}", lang.pick("hörn utsatta.", "corners placed.")),
        }}</p>
        <form class="area-form" on:submit=submit>
            <div class="row">
                <button type="button" class="secondary" on:click=move |_| corners.update(|c| { c.pop(); })
                    disabled=move || corners.get().is_empty()>{lang.pick("Ångra senaste hörnet", "Undo last corner")}</button>
                <button type="button" class="secondary" on:click=move |_| { corners.set(Vec::new()); source.set(Source::Drawn); }
                    >{lang.pick("Börja om", "Start over")}</button>
                {move || editing.get().map(|area| view! {
                    <button type="button" class="secondary" on:click=move |_| start_over()>
                        {format!("{} {}", lang.pick("Avbryt ändringen av", "Stop changing"), area.name)}
                    </button>
                })}
            </div>
            {move || editing.get().map(|area| view! {
                <p class="hint" role="status">{format!("{} {}. {}", lang.pick("Du ändrar", "You are changing"), area.name, lang.pick(
                    "Byt namn, eller tryck Börja om och rita området på nytt.",
                    "Rename it, or press Start over and draw the area again.",
                ))}</p>
            })}
            <label>
                {lang.pick("Eller ladda upp en GeoJSON-fil", "Or upload a GeoJSON file")}
                <input type="file" name="file" accept=".geojson,.json,application/geo+json,application/json"
                    on:change=move |event| read_upload(event, lang, source, problem, corners)/>
            </label>
            {error_for("geometry")}
            <label>
                {lang.pick("Namn", "Name")}
                <input type="text" name="name" maxlength="100" required
                    prop:value=move || name.get()
                    on:input=move |event| name.set(event_target_value(&event))/>
            </label>
            {error_for("name")}
            <label>
                {lang.pick("Sort", "Kind")}
                <select name="kind" on:change=move |event| kind.set(
                    AreaKind::from_code(&event_target_value(&event)).unwrap_or(AreaKind::Named))>
                    <option value="named" selected=true>{lang.pick("Namngivet område", "Named area")}</option>
                    <option value="municipality">{lang.pick("Kommungräns (ersätter den gamla)", "Municipality boundary (replaces the old one)")}</option>
                </select>
            </label>
            {move || problem.get().filter(|(field, _)| field != "geometry" && field != "name")
                .map(|(_, message)| view! { <p class="error" role="alert">{message}</p> })}
            <button type="submit" disabled=move || !ready() || save.pending().get()>
                {move || if save.pending().get() { lang.pick("Sparar…", "Saving…") } else { lang.pick("Spara området", "Save the area") }}
            </button>
            {move || saved.get().map(|text| view! { <p class="hint" role="status">{text}</p> })}
        </form>
        <h2>{lang.pick("Sparade områden", "Saved areas")}</h2>
        {move || view! { <AreaList areas=areas.get() remove removing edit/> }}
    }
}

#[component]
fn AreaList(
    areas: Vec<Area>,
    remove: ServerAction<RemoveArea>,
    removing: RwSignal<Option<RemoveArea>>,
    edit: Callback<Area>,
) -> impl IntoView {
    let lang = use_lang();
    if areas.is_empty() {
        return view! { <p class="hint">{lang.pick("Inga områden ännu.", "No areas yet.")}</p> }.into_any();
    }
    view! {
        <ul class="area-list">
            {areas.into_iter().map(|area| {
                let id = area.id;
                let question = format!("{} {}?", lang.pick("Ta bort", "Remove"), area.name);
                let changed = area.clone();
                view! {
                    <li>
                        <span class="area-name">{area.name.clone()}</span>
                        " "
                        <span class="hint">{kind_label(area.kind, lang)}</span>
                        " "
                        <button type="button" class="link-button" on:click=move |_| edit.run(changed.clone())>
                            {lang.pick("Ändra", "Change")}
                        </button>
                        " "
                        <button type="button" class="link-button" on:click=move |_| {
                            if confirmed(&question) {
                                removing.set(Some(RemoveArea { id }));
                                remove.dispatch(RemoveArea { id });
                            }
                        }>{lang.pick("Ta bort", "Remove")}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

fn kind_label(kind: AreaKind, lang: Lang) -> &'static str {
    match kind {
        AreaKind::Named => lang.pick("namngivet område", "named area"),
        AreaKind::Municipality => lang.pick("kommungräns", "municipality boundary"),
    }
}

fn field_of(err: &AppError) -> String {
    match err {
        AppError::Invalid { field, .. } => field.clone(),
        _ => String::new(),
    }
}

/// The drawn corners as a closed GeoJSON polygon.
fn drawn_polygon(corners: &[LatLng]) -> serde_json::Value {
    let mut ring: Vec<[f64; 2]> = corners.iter().map(|c| [c.lng, c.lat]).collect();
    if let Some(&first) = ring.first() {
        ring.push(first);
    }
    serde_json::json!({ "type": "Polygon", "coordinates": [ring] })
}

/// Asks before a destructive step; without a browser (never happens) it does not ask.
fn confirmed(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|window| window.confirm_with_message(question).ok())
            .unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        true
    }
}

/// Reads the chosen file and checks it here first, so a wrong file is explained at once.
fn read_upload(
    event: leptos::ev::Event,
    lang: Lang,
    source: RwSignal<Source>,
    problem: RwSignal<Option<(String, String)>>,
    corners: RwSignal<Vec<LatLng>>,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(file) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|text| text.as_string())
                .unwrap_or_default();
            let shape = serde_json::from_str(&text)
                .map_err(|_| {
                    AppError::invalid(
                        "geometry",
                        "Filen är inte GeoJSON (kunde inte läsas som JSON).",
                        "The file is not GeoJSON (it could not be read as JSON).",
                    )
                })
                .and_then(|value| Shape::from_geojson(&value));
            match shape {
                Ok(shape) => {
                    corners.set(Vec::new());
                    problem.set(None);
                    source.set(Source::Uploaded(file.name(), shape));
                }
                Err(err) => problem.set(Some((field_of(&err), err.message(lang)))),
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (event, lang, source, problem, corners);
}
