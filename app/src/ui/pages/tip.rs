//! Tipsa: a resident reports an unsafe place, without an account. The tip waits for the
//! coordinator's review; name and e-mail are optional and never shown to anyone.

use leptos::prelude::*;

use crate::error::AppError;
use crate::server_fns::incidents::{get_tip_page, SendTip, TipPage};
use crate::ui::components::guard::interactive_once_hydrated;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::map::capture::{CaptureMap, Chosen, PlacePicker};
use crate::ui::use_lang;

/// The category a tip starts with: most of what residents tell is a place that feels unsafe.
const USUAL_CATEGORY: &str = "incident.unsafe_place";

#[component]
pub fn TipPageView() -> impl IntoView {
    let lang = use_lang();
    interactive_once_hydrated();
    let page = Resource::new(|| (), |_| get_tip_page());
    view! {
        <section class="capture tip">
            <header class="capture-head">
                <h1>{lang.pick("Tipsa om en otrygg plats", "Tell us about an unsafe place")}</h1>
                <p class="hint">{lang.pick(
                    "Peka ut platsen på kartan och berätta vad som gör den otrygg. Kommunen granskar tipset och tar med det i arbetet med polisen. Det här är inte ett sätt att anmäla brott: ring 112 vid fara och 114 14 för att tala med polisen.",
                    "Point out the place on the map and tell us what makes it unsafe. The municipality reviews the tip and takes it into its work with the police. This is not a way to report a crime: call 112 in danger and 114 14 to talk to the police.",
                )}</p>
            </header>
            <Loaded resource=page render=move |data: TipPage| view! { <TipForm data/> }/>
        </section>
    }
}

#[component]
fn TipForm(data: TipPage) -> impl IntoView {
    let lang = use_lang();
    let chosen = RwSignal::new(None::<Chosen>);
    let send = ServerAction::<SendTip>::new();
    let form = NodeRef::<leptos::html::Form>::new();
    let sent = Signal::derive(move || matches!(send.value().get(), Some(Ok(()))));
    let error = Signal::derive(move || send.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if let Some(Ok(())) = send.value().get() {
            chosen.set(None);
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
        }
    });
    let coordinate = move |pick: fn(&Chosen) -> f64| {
        move || {
            chosen
                .get()
                .as_ref()
                .map(pick)
                .map(|v| v.to_string())
                .unwrap_or_default()
        }
    };
    view! {
        <CaptureMap settings=data.map.clone() pins=Signal::derive(Vec::new) chosen/>
        <ActionForm action=send node_ref=form attr:class="stack capture-form">
            <PlacePicker chosen/>
            <input type="hidden" name="lat" prop:value=coordinate(|at| at.lat)/>
            <input type="hidden" name="lng" prop:value=coordinate(|at| at.lng)/>
            <label>{lang.pick("Vad gäller det?", "What is it about?")}
                <select name="category">
                    {data.categories.iter().map(|c| view! {
                        <option value=c.id.clone() selected=c.id == USUAL_CATEGORY>{lang.pick(&c.label_sv, &c.label_en).to_owned()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{lang.pick("Vad gör platsen otrygg?", "What makes the place unsafe?")}
                <textarea name="note" rows="4" maxlength="2000" required></textarea>
                <span class="warning">{lang.pick(
                    "Skriv inga namn eller personnummer på andra.",
                    "Do not write other people's names or personal identity numbers.",
                )}</span>
            </label>
            <label>{lang.pick("Ditt namn (frivilligt, visas aldrig)", "Your name (optional, never shown)")}
                <input type="text" name="name" maxlength="120" autocomplete="name"/></label>
            <label>{lang.pick("Din e-post (frivilligt: då får du veta vad som händer med tipset)", "Your e-mail (optional: then you hear what becomes of the tip)")}
                <input type="email" name="email" maxlength="254" autocomplete="email"/></label>
            // People never see this field; robots fill it in, and their tips are dropped.
            <div class="trap" aria-hidden="true">
                <label>"Webbplats" <input type="text" name="website" tabindex="-1" autocomplete="off"/></label>
            </div>
            <button type="submit" class="primary" disabled=move || send.pending().get() || chosen.get().is_none()>
                {lang.pick("Skicka tipset", "Send the tip")}</button>
            {move || chosen.get().is_none().then(|| view! {
                <p class="hint">{lang.pick("Välj platsen på kartan först.", "Choose the place on the map first.")}</p>
            })}
            {move || sent.get().then(|| view! {
                <p class="hint" role="status">{lang.pick(
                    "Tack! Tipset är mottaget och granskas av kommunen innan det används.",
                    "Thank you! The tip is received and the municipality reviews it before it is used.",
                )}</p>
            })}
            {move || error.get().map(|err: AppError| view! { <p class="error" role="alert">{err.message(lang)}</p> })}
        </ActionForm>
    }
}
