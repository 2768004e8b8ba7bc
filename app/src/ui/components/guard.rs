//! Shows a page's content only to roles that may open it. The server has already
//! answered a full page load with a redirect or 403 (see `domain::access`); this covers
//! navigation inside the app after hydration. Data is checked again on the server.

use leptos::prelude::*;

use crate::domain::access::pages::Page;
use crate::ui::{use_lang, use_user};

#[component]
pub fn RequirePage(page: Page, children: ChildrenFn) -> impl IntoView {
    let lang = use_lang();
    let children = StoredValue::new(children);
    // Effects run only in the browser, once this page is hydrated (for a lazy page, once
    // its chunk has arrived): from then on its forms answer in place instead of posting.
    interactive_once_hydrated();
    match use_user() {
        Some(user) if page.allows(user.role) => children.read_value()().into_any(),
        Some(_) => view! {
            <section class="notice">
                <h1>{lang.pick("Ingen behörighet", "No access")}</h1>
                <p>{lang.pick(
                    "Din roll har inte tillgång till den här sidan.",
                    "Your role does not have access to this page.",
                )}</p>
                <p><a href="/karta">{lang.pick("Till kartan", "Go to the map")}</a></p>
            </section>
        }
        .into_any(),
        None => view! {
            <section class="notice">
                <h1>{lang.pick("Logga in", "Sign in")}</h1>
                <p><a href=format!("/logga-in?nasta={}", page.path())>
                    {lang.pick("Logga in för att fortsätta", "Sign in to continue")}
                </a></p>
            </section>
        }
        .into_any(),
    }
}

/// For a page outside [`RequirePage`] (signing in, joining and capturing a walk, the
/// accessibility statement): marks `<html>` interactive once the page has hydrated, as
/// `RequirePage` does. Without it the page's in-app links load whole pages for good.
pub fn interactive_once_hydrated() {
    Effect::new(move |_| mark_interactive());
}

/// Sets `data-interactive` on `<html>`: in-app links go to the router from then on, and
/// browser tests wait for it before they use a form that should answer in place.
fn mark_interactive() {
    #[cfg(feature = "hydrate")]
    if let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    {
        let _ = root.set_attribute("data-interactive", "");
    }
}
