//! Karta: the municipality's map, the start page after sign-in.

use leptos::prelude::*;

use crate::api::session::get_map_settings;
use crate::domain::access::Area;
use crate::ui::components::{guard::RequireArea, map::BaseMap};
use crate::ui::use_lang;

#[component]
pub fn MapPage() -> impl IntoView {
    let lang = use_lang();
    let settings = Resource::new(|| (), |_| get_map_settings());
    view! {
        <RequireArea area=Area::Map>
            <section class="map-page">
                <h1 class="visually-hidden">{lang.pick("Karta", "Map")}</h1>
                <Suspense fallback=move || view! { <p class="loading">{lang.pick("Laddar kartan…", "Loading the map…")}</p> }>
                    {move || Suspend::new(async move {
                        match settings.await {
                            Ok(settings) => view! { <BaseMap settings/> }.into_any(),
                            Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </RequireArea>
    }
}
