//! The one-time password of a new account or a reset, and the slip to hand it over on.

use leptos::prelude::*;

use crate::domain::admin::WithPassword;
use crate::ui::use_lang;

/// The one-time password of a new account or a reset, shown until the admin dismisses
/// it, with a copy button and a printable slip to hand over. Whoever receives it chooses
/// their own password at the first sign-in.
#[component]
pub fn ShownOnce(shown: RwSignal<Option<WithPassword>>) -> impl IntoView {
    let lang = use_lang();
    let copied = RwSignal::new(false);
    move || {
        shown.get().map(|new| {
            let password = new.password.clone();
            let copy = move |_| {
                copied.set(copy_text(&password));
            };
            view! {
                <div class="shown-once" role="status" aria-live="polite">
                    <p class="slip-title">{lang.pick("Tryggkarta: ditt konto", "Tryggkarta: your account")}</p>
                    <p>{format!("{} {}:", lang.pick("Engångslösenord för", "One-time password for"), new.account.email)}</p>
                    <p><code class="password">{new.password.clone()}</code></p>
                    <p class="slip-hint">{format!("{} {}. {}",
                        lang.pick("Logga in på", "Sign in at"),
                        site_address(),
                        lang.pick(
                            "Vid första inloggningen väljer du ett eget lösenord.",
                            "At the first sign-in you choose your own password.",
                        ),
                    )}</p>
                    <p class="hint no-print">{lang.pick(
                        "Lösenordet visas bara här och försvinner när du döljer det. Lämna det till personen på ett säkert sätt, till exempel utskrivet på en lapp.",
                        "The password is shown only here and is gone once you hide it. Hand it to the person in a safe way, for example printed on a slip.",
                    )}</p>
                    <div class="row no-print">
                        <button type="button" class="secondary" on:click=copy>
                            {move || if copied.get() { lang.pick("Kopierat", "Copied") } else { lang.pick("Kopiera", "Copy") }}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| print_slip()>{lang.pick("Skriv ut lapp", "Print a slip")}</button>
                        <button type="button" class="primary" on:click=move |_| { copied.set(false); shown.set(None) }>{lang.pick("Klar, dölj lösenordet", "Done, hide the password")}</button>
                    </div>
                </div>
            }
        })
    }
}

/// The site's own address, for the slip.
fn site_address() -> String {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|window| window.location().origin().ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

/// Puts `text` on the clipboard where the browser allows it (a secure page); whether it did.
fn copy_text(text: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        let Some(window) = web_sys::window() else {
            return false;
        };
        let navigator = window.navigator();
        let has_clipboard =
            js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|value| !value.is_undefined());
        if has_clipboard {
            let _ = navigator.clipboard().write_text(text);
        }
        has_clipboard
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        false
    }
}

/// Prints the slip alone (`html[data-print="slip"]` in the style sheet).
fn print_slip() {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let root = window.document().and_then(|document| document.document_element());
        if let Some(root) = &root {
            let _ = root.set_attribute("data-print", "slip");
        }
        let _ = window.print();
        if let Some(root) = &root {
            let _ = root.remove_attribute("data-print");
        }
    }
}
