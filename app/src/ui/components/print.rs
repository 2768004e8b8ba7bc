//! The "Skriv ut" button of the printable pages. A handler in Rust, not an `onclick`
//! attribute: the Content-Security-Policy runs no inline script.

use leptos::prelude::*;

use crate::ui::use_lang;

#[component]
pub fn PrintButton(#[prop(optional)] class: &'static str) -> impl IntoView {
    let lang = use_lang();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <button type="button" class=format!("primary {class}") on:click=print>
            {lang.pick("Skriv ut", "Print")}
        </button>
    }
}
