//! Shows a page's content only to roles that may open it. The server has already
//! answered a full page load with a redirect or 403 (see `domain::access`); this covers
//! navigation inside the app after hydration. Data is checked again on the server.

use leptos::prelude::*;

use crate::domain::access::Area;
use crate::ui::{use_lang, UserResource};

#[component]
pub fn RequireArea(area: Area, children: ChildrenFn) -> impl IntoView {
    let lang = use_lang();
    let UserResource(user) = expect_context();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.pick("Laddar…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) if area.allows(user.role) => children.read_value()().into_any(),
                    Ok(Some(_)) => view! {
                        <section class="notice">
                            <h1>{lang.pick("Ingen behörighet", "No access")}</h1>
                            <p>{lang.pick(
                                "Din roll har inte tillgång till den här sidan.",
                                "Your role does not have access to this page.",
                            )}</p>
                            <p><a href="/karta" rel="external">{lang.pick("Till kartan", "Go to the map")}</a></p>
                        </section>
                    }.into_any(),
                    Ok(None) => view! {
                        <section class="notice">
                            <h1>{lang.pick("Logga in", "Sign in")}</h1>
                            <p><a href=format!("/logga-in?nasta={}", area.path()) rel="external">
                                {lang.pick("Logga in för att fortsätta", "Sign in to continue")}
                            </a></p>
                        </section>
                    }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.message(lang)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
