//! The top bar (name, language, account) and the main menu: on a phone at the bottom,
//! where a thumb reaches, with the most used pages and "Mer" for the rest.
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
            <a class="brand" href=use_user().map(|user| Page::start(user.role).href(&user)).unwrap_or_else(|| "/logga-in".into())>"Tryggkarta"</a>
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

/// The main menu, from the page table (`Page::menu`): every page the user may open. On a
/// phone the first [`Page::BAR`] are in the bottom bar and the rest under "Mer"; a wider
/// screen shows them all in a bar under the top bar.
#[component]
pub fn MainMenu() -> impl IntoView {
    let lang = use_lang();
    let pathname = use_location().pathname;
    let more = NodeRef::<leptos::html::Details>::new();
    // A page chosen under "Mer" closes it.
    Effect::new(move |_| {
        pathname.track();
        if let Some(more) = more.get_untracked() {
            more.set_open(false);
        }
    });
    // Until a one-time password is replaced, only "Mitt konto" opens: no menu leads elsewhere.
    use_user().filter(|user| !user.must_change_password).map(|user| {
        let pages = Page::menu(user.role);
        let folds = pages.len() > Page::BAR + 1;
        let is_current = move |href: &str| {
            let path = pathname.get();
            path == href || path.starts_with(&format!("{href}/"))
        };
        let link = {
            let user = user.clone();
            move |page: Page| {
                let href = page.href(&user);
                let current = href.clone();
                view! {
                    <a href=href aria-current=move || is_current(&current).then_some("page")>{page.label(lang)}</a>
                }
            }
        };
        let items = pages
            .iter()
            .enumerate()
            .map(|(i, &page)| view! { <li class:overflow={folds && i >= Page::BAR}>{link(page)}</li> })
            .collect_view();
        let rest: Vec<Page> = if folds { pages[Page::BAR..].to_vec() } else { Vec::new() };
        let rest_paths: Vec<String> = rest.iter().map(|&page| page.href(&user)).collect();
        let in_rest = move || rest_paths.iter().any(|href| is_current(href));
        view! {
            <nav class="mainnav" aria-label=lang.pick("Huvudmeny", "Main menu")>
                <ul>
                    {items}
                    {folds.then(|| view! {
                        <li class="more">
                            <details node_ref=more>
                                <summary class:current=in_rest>{lang.pick("Mer", "More")}</summary>
                                <ul>{rest.into_iter().map(|page| view! { <li>{link(page)}</li> }).collect_view()}</ul>
                            </details>
                        </li>
                    })}
                </ul>
            </nav>
        }
    })
}
