//! The page for addresses that do not exist.

use leptos::prelude::*;

use crate::ui::use_lang;

#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="notice">
            <h1>{lang.pick("Sidan finns inte", "Page not found")}</h1>
            <p><a href="/karta">{lang.pick("Till kartan", "Go to the map")}</a></p>
        </section>
    }
}
