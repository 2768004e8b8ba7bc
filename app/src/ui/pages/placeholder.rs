//! The main areas that later work fills (walks, shifts, lägesbild, admin): for now a
//! heading and a sentence on what will be here, behind the same access rules.

use leptos::prelude::*;

use crate::domain::access::Area;
use crate::ui::components::guard::RequireArea;
use crate::ui::use_lang;

#[component]
pub fn AreaPlaceholder(area: Area) -> impl IntoView {
    let lang = use_lang();
    let about = match area {
        Area::Walks => lang.pick(
            "Här planeras trygghetsvandringar och deras fynd följs upp.",
            "Safety walks are planned here and their findings followed up.",
        ),
        Area::Shifts => lang.pick(
            "Här startar grannstödsförare sina pass och loggar observationer.",
            "Patrol volunteers start their shifts and log observations here.",
        ),
        Area::Situation => lang.pick(
            "Här visas hotspotkartor och anteckningar från lägesbildsmöten.",
            "Hotspot maps and notes from situation meetings are shown here.",
        ),
        Area::Admin => lang.pick(
            "Användare, roller och inställningar.",
            "Users, roles and settings.",
        ),
        Area::Map
        | Area::WalkCapture
        | Area::Report
        | Area::Places
        | Area::Actions
        | Area::Strategy
        | Area::Interventions => "",
    };
    view! {
        <RequireArea area>
            <section class="notice">
                <h1>{area.label(lang)}</h1>
                <p>{about}</p>
            </section>
        </RequireArea>
    }
}
