//! The top bar (name, language, account) and the bottom navigation with the main areas,
//! placed where a thumb reaches on a phone.
//!
//! Links navigate in the browser; a page opened directly is rendered complete on the
//! server. Only links to server routes (the language switch) load from the server.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::domain::access::Area;
use crate::ui::{use_lang, use_user};

#[component]
pub fn TopBar() -> impl IntoView {
    let lang = use_lang();
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
                <a class="lang-switch" href=switch_href rel="external nofollow" hreflang=lang.other().code()>
                    {lang.pick("English", "Svenska")}
                </a>
                {use_user().map(|user| view! {
                    {if Area::Account.allows(user.role) {
                        view! { <a class="whoami" href="/konto" title=user.role.label(lang)>{user.display_name.clone()}</a> }.into_any()
                    } else {
                        view! { <span class="whoami" title=user.role.label(lang)>{user.display_name.clone()}</span> }.into_any()
                    }}
                    <form method="post" action="/logga-ut" class="logout">
                        <button type="submit" class="link-button">{lang.pick("Logga ut", "Sign out")}</button>
                    </form>
                })}
            </div>
        </header>
    }
}

#[component]
pub fn BottomNav() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    use_user().map(|user| {
        let links = Area::NAV
            .into_iter()
            .filter(|area| area.allows(user.role))
            .map(|area| {
                view! {
                    <li><a
                        href=area.path()
                        aria-current=move || location.pathname.get().starts_with(area.path()).then_some("page")
                    >{area.label(lang)}</a></li>
                }
            })
            .collect_view();
        view! {
            <nav class="bottomnav" aria-label=lang.pick("Huvudmeny", "Main menu")>
                <ul>{links}</ul>
            </nav>
        }
    })
}

/// Links to the pages that follow up what the map shows (areas, actions), for those who
/// may open them, from the pages where they matter (walks, lägesbild).
#[component]
pub fn FollowUpLinks() -> impl IntoView {
    let lang = use_lang();
    let role = use_user().map(|user| user.role);
    let links: Vec<Area> = [
        Area::Strategy,
        Area::Actions,
        Area::Interventions,
        Area::Watch,
        Area::Places,
    ]
    .into_iter()
    .filter(|area| role.is_some_and(|role| area.allows(role)))
    .collect();
    (!links.is_empty()).then(|| {
        view! {
            <p class="no-print follow-up-links">
                {links.into_iter().map(|area| view! {
                    <a href=area.path()>{area.label(lang)}</a> " "
                }).collect_view()}
            </p>
        }
    })
}
