//! The top bar (name, language, account) and the bottom navigation with the main areas,
//! placed where a thumb reaches on a phone.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::domain::access::Area;
use crate::ui::{use_lang, UserResource};

#[component]
pub fn TopBar() -> impl IntoView {
    let lang = use_lang();
    let UserResource(user) = expect_context();
    let location = use_location();
    // The language link returns to the page it was clicked on.
    let switch_href = move || {
        format!(
            "/sprak?till={}&tillbaka={}",
            lang.other().code(),
            location.pathname.get()
        )
    };
    view! {
        <header class="topbar">
            <a class="skip" href="#innehall">{lang.pick("Hoppa till innehållet", "Skip to content")}</a>
            <a class="brand" href="/karta">"Tryggkarta"</a>
            <div class="topbar-actions">
                <a class="lang-switch" href=switch_href rel="nofollow" hreflang=lang.other().code()>
                    {lang.pick("English", "Svenska")}
                </a>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        user.await.ok().flatten().map(|user| view! {
                            <span class="whoami" title=user.role.label(lang)>{user.display_name.clone()}</span>
                            <form method="post" action="/logga-ut" class="logout">
                                <button type="submit" class="link-button">{lang.pick("Logga ut", "Sign out")}</button>
                            </form>
                        })
                    })}
                </Transition>
            </div>
        </header>
    }
}

#[component]
pub fn BottomNav() -> impl IntoView {
    let lang = use_lang();
    let UserResource(user) = expect_context();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                user.await.ok().flatten().map(|user| {
                    let links = Area::NAV
                        .into_iter()
                        .filter(|area| area.allows(user.role))
                        .map(|area| view! {
                            <li><A href=area.path()>{area.label(lang)}</A></li>
                        })
                        .collect_view();
                    view! {
                        <nav class="bottomnav" aria-label=lang.pick("Huvudmeny", "Main menu")>
                            <ul>{links}</ul>
                        </nav>
                    }
                })
            })}
        </Transition>
    }
}
