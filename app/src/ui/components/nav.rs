//! The top bar (name, language, account) and the bottom navigation with the main areas,
//! placed where a thumb reaches on a phone.
//!
//! Links navigate in the browser; a page opened directly is rendered complete on the
//! server. Only links to server routes (the language switch) load from the server.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::domain::access::pages::Page;
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
                    {if Page::Account.allows(user.role) {
                        view! { <a class="whoami" href="/konto" title=user.role.label(lang)>{user.display_name.clone()}</a> }.into_any()
                    } else {
                        view! { <span class="whoami" title=user.role.label(lang)>{user.display_name.clone()}</span> }.into_any()
                    }}
                    <form method="post" action="/logga-ut" class="logout" data-unsent=lang.pick(
                        "{n} av dina rapporter har inte kommit fram till servern. Om du loggar ut raderas de från telefonen. Logga ut ändå?",
                        "{n} of your records have not reached the server. If you sign out, they are deleted from this phone. Sign out anyway?",
                    )>
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
        let links = Page::NAV
            .into_iter()
            .filter(|page| page.allows(user.role))
            .map(|page| {
                view! {
                    <li><a
                        href=page.path()
                        aria-current=move || location.pathname.get().starts_with(page.path()).then_some("page")
                    >{page.label(lang)}</a></li>
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
    let links: Vec<Page> = [
        Page::Strategy,
        Page::Actions,
        Page::Interventions,
        Page::Watch,
        Page::Places,
    ]
    .into_iter()
    .filter(|page| role.is_some_and(|role| page.allows(role)))
    .collect();
    (!links.is_empty()).then(|| {
        view! {
            <p class="no-print follow-up-links">
                {links.into_iter().map(|page| view! {
                    <a href=page.path()>{page.label(lang)}</a> " "
                }).collect_view()}
            </p>
        }
    })
}
