//! The HTML document (`shell`) and the routes inside it (`App`), with the signed-in user
//! and the language provided to every page.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

use super::components::nav::{MainMenu, TopBar};
use super::pages::{
    accessibility::AccessibilityPage,
    account::AccountPage,
    actions::ActionsPageView,
    admin::AdminPageView,
    areas::AreasPageView,
    incidents::IncidentsPageView,
    interventions::{EffectReportPage, InterventionsPageView},
    login::LoginPage,
    map::MapPage,
    not_found::NotFound,
    organisations::OrganisationsPageView,
    report::ReportPageView,
    review::ReviewPageView,
    shift::ShiftPageView,
    situation::meeting::MeetingPageView,
    situation::print::MeetingPrintPage,
    situation::SituationPageView,
    strategy::{StrategyAreaPage, StrategyOverviewPage},
    tip::TipPageView,
    todo::TodoPage,
    walk::{WalkCapturePage, WalkJoinPage},
    walks::{WalkInvitationPage, WalkProtocolPage, WalksPageView},
    watch::WatchPageView,
};
use crate::domain::user::CurrentUser;
use crate::i18n::Lang;

use super::{assets, script_json, PageUser};

/// The id of the `<script>` in the head that carries the signed-in user to the browser.
const USER_SCRIPT_ID: &str = "tryggkarta-user";

fn request_user() -> Option<CurrentUser> {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<super::RequestUser>().cloned())
            .and_then(|user| user.0)
    }
    #[cfg(not(feature = "ssr"))]
    {
        web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.get_element_by_id(USER_SCRIPT_ID))
            .and_then(|script| script.text_content())
            .and_then(|json| serde_json::from_str(&json).ok())
    }
}

/// The language of this page view: from the request's cookie on the server, from
/// `document.cookie` in the browser, so both render the same text.
fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(axum::http::header::COOKIE)
                    .and_then(|value| value.to_str().ok())
                    .map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        use wasm_bindgen::JsCast;
        web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|document| document.cookie().ok())
            .map(|cookie| Lang::from_cookie_header(&cookie))
            .unwrap_or_default()
    }
}

/// The path of the page being rendered (server only; the browser never renders the shell).
fn request_path() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .map(|parts| parts.uri.path().to_owned())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// Loads and starts the WASM once the server-rendered page has been painted: the page
/// reads and its forms work before any WASM arrives (slow networks, JavaScript off), so
/// the download must not compete with the first paint. Two animation frames after the
/// module runs, the first frame is on screen. (Leptos's own `HydrationScripts` also
/// preloads the WASM from the head, where it competes with the page itself.)
fn hydration_scripts(options: &LeptosOptions) -> impl IntoView {
    let js = assets::pkg_file(&options.output_name, "js");
    let wasm = assets::pkg_file(&options.output_name, "wasm");
    // A lazy page's own WASM is asked for together with the main module (as preloads,
    // which the chunk loader's `fetch` then takes over), not after it has started.
    let route_files = lazy_route_of(&request_path())
        .map(|route| assets::route_files(&options.site_root, route))
        .unwrap_or_default();
    // A hidden tab paints no frames: it starts at once. Until the page is interactive
    // (`data-interactive`, set once hydrated), an in-app link loads its page from the
    // server instead of going to the router: a client-side navigation begun while the
    // page's own WASM chunk is still loading never finished.
    let boot = format!(
        "addEventListener('click',e=>{{if(!document.documentElement.hasAttribute('data-interactive')&&e.target.closest&&e.target.closest('a[href^=\"/\"]'))e.stopImmediatePropagation();}},true);\
         import init,{{hydrate}} from {js};\
         const start=()=>{{for(const href of {route_files}){{const l=document.createElement('link');\
         l.rel='preload';l.as='fetch';l.crossOrigin='anonymous';l.href=href;document.head.append(l);}}\
         init({{module_or_path:{wasm}}}).then(()=>hydrate());}};\
         if(document.visibilityState==='hidden'){{start();}}else{{requestAnimationFrame(()=>requestAnimationFrame(start));}}",
        js = script_json(&js),
        wasm = script_json(&wasm),
        route_files = script_json(&route_files),
    );
    // The Content-Security-Policy runs inline script only with this response's nonce.
    let nonce = leptos::nonce::use_nonce();
    view! {
        <link rel="modulepreload" href=js/>
        <script type="module" nonce=nonce inner_html=boot></script>
    }
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = request_lang();
    let user = script_json(&request_user());
    let stylesheet = assets::pkg_file(&options.output_name, "css");
    // Leaflet's global `L` must exist before the WASM binds to it: deferred scripts and
    // the hydration module run in document order, after parsing, without blocking it.
    let path = request_path();
    let leaflet = assets::needs_leaflet(&path).then(|| {
        view! {
            <link rel="stylesheet" href=format!("{}/leaflet.css", assets::LEAFLET)/>
            <script src=format!("{}/leaflet.js", assets::LEAFLET) defer></script>
        }
    });
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#0b4f6c"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" id="leptos" href=stylesheet/>
                {leaflet}
                <script id=USER_SCRIPT_ID type="application/json" inner_html=user></script>
                {hydration_scripts(&options)}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The lazy route (as `cargo leptos build --split` names it) that renders `path`: its
/// files are asked for together with the main module.
fn lazy_route_of(path: &str) -> Option<&'static str> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    Some(match segments.as_slice() {
        ["vandring", _] | ["tillganglighet"] | ["tipsa"] => "capture_route",
        ["pass"] | ["rapport"] | ["karta"] | ["konto"] | ["handelser"] => "field_route",
        ["vandringar", ..]
        | ["att-gora"]
        | ["lagesbild", ..]
        | ["strategiomraden", ..]
        | ["insatser", ..]
        | ["atgarder"]
        | ["omraden"]
        | ["grannsamverkan"]
        | ["granskning"]
        | ["organisationer"]
        | ["admin"] => "office_route",
        _ => return None,
    })
}

/// Every page but those a newcomer meets first (sign-in, joining a walk) is in a lazy
/// route: built with `cargo leptos build --split`, its code is a separate WASM module
/// fetched when the page is opened, so the first visit downloads only what it shows.
///
/// The pages are split in three groups, not one route each: wasm-split puts code that
/// several split points share into a chunk per set of sharers, so sixteen lazy routes made
/// over a hundred chunks, each fetched and instantiated on its own, and a page took a
/// second of main-thread work to start. Three groups make at most four shared chunks:
/// - capture: a walk's capture page, where a participant lands right after joining;
/// - field: what drivers and volunteers use outdoors (shift, drug-scene report, map),
///   and one's own account (its second-factor set-up is too large for the main module);
/// - office: what coordinators and police use at their desks.
macro_rules! lazy_group {
    ($route:ident => $pages:ident) => {
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                let path = leptos_router::hooks::use_location()
                    .pathname
                    .get_untracked();
                let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
                $pages(&segments)
            }
        }
    };
}

lazy_group!(CaptureRoute => capture_pages);
lazy_group!(FieldRoute => field_pages);
lazy_group!(OfficeRoute => office_pages);

/// The capture page, and the accessibility statement: both read by residents, who should
/// not download the office pages for them.
fn capture_pages(segments: &[&str]) -> AnyView {
    match segments {
        ["tillganglighet"] => AccessibilityPage().into_any(),
        ["tipsa"] => TipPageView().into_any(),
        _ => WalkCapturePage().into_any(),
    }
}

fn field_pages(segments: &[&str]) -> AnyView {
    match segments {
        ["pass"] => ShiftPageView().into_any(),
        ["rapport"] => ReportPageView().into_any(),
        ["konto"] => AccountPage().into_any(),
        ["handelser"] => IncidentsPageView().into_any(),
        _ => MapPage().into_any(),
    }
}

fn office_pages(segments: &[&str]) -> AnyView {
    match segments {
        ["att-gora"] => TodoPage().into_any(),
        ["vandringar"] => WalksPageView().into_any(),
        ["vandringar", _, "protokoll"] => WalkProtocolPage().into_any(),
        ["vandringar", _, "inbjudan"] => WalkInvitationPage().into_any(),
        ["lagesbild"] => SituationPageView().into_any(),
        ["lagesbild", "mote", _] => MeetingPageView().into_any(),
        ["lagesbild", "mote", _, "utskrift"] => MeetingPrintPage().into_any(),
        ["strategiomraden"] => StrategyOverviewPage().into_any(),
        ["strategiomraden", _] => StrategyAreaPage().into_any(),
        ["insatser"] => InterventionsPageView().into_any(),
        ["insatser", _] => EffectReportPage().into_any(),
        ["atgarder"] => ActionsPageView().into_any(),
        ["omraden"] => AreasPageView().into_any(),
        ["grannsamverkan"] => WatchPageView().into_any(),
        ["admin"] => AdminPageView().into_any(),
        ["granskning"] => ReviewPageView().into_any(),
        ["organisationer"] => OrganisationsPageView().into_any(),
        _ => NotFound().into_any(),
    }
}

/// Each page reached by a link inside the app is handed to the service worker, which
/// keeps the capture pages for offline (the first page, loaded whole, it sees itself).
#[component]
fn KeepPagesOffline() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    Effect::new(move |first: Option<()>| {
        let path = location.pathname.get();
        if first.is_some() {
            super::outbox::keep_page(&path);
        }
    });
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = request_lang();
    provide_context(lang);
    provide_context(PageUser(request_user()));

    view! {
        <Title text="Tryggkarta"/>
        // Async rendering: every page arrives complete, so it reads and works before the
        // WASM has loaded (slow networks, JavaScript off).
        <Router>
            <TopBar/>
            <main id="innehall">
                <Routes fallback=NotFound>
                    <Route path=path!("/logga-in") ssr=SsrMode::Async view=LoginPage/>
                    <Route path=path!("/konto") ssr=SsrMode::Async view={Lazy::<FieldRoute>::new()}/>
                    <Route path=path!("/vandring") ssr=SsrMode::Async view=WalkJoinPage/>
                    <Route path=path!("/karta") ssr=SsrMode::Async view={Lazy::<FieldRoute>::new()}/>
                    <Route path=path!("/att-gora") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/vandringar") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/vandringar/:id/protokoll") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/vandringar/:id/inbjudan") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/pass") ssr=SsrMode::Async view={Lazy::<FieldRoute>::new()}/>
                    <Route path=path!("/rapport") ssr=SsrMode::Async view={Lazy::<FieldRoute>::new()}/>
                    <Route path=path!("/lagesbild") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/lagesbild/mote/:id") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/lagesbild/mote/:id/utskrift") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/strategiomraden") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/strategiomraden/:kod") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/insatser") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/insatser/:id") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/atgarder") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/omraden") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/grannsamverkan") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/vandring/:id") ssr=SsrMode::Async view={Lazy::<CaptureRoute>::new()}/>
                    <Route path=path!("/tillganglighet") ssr=SsrMode::Async view={Lazy::<CaptureRoute>::new()}/>
                    <Route path=path!("/admin") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/granskning") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/organisationer") ssr=SsrMode::Async view={Lazy::<OfficeRoute>::new()}/>
                    <Route path=path!("/handelser") ssr=SsrMode::Async view={Lazy::<FieldRoute>::new()}/>
                    <Route path=path!("/tipsa") ssr=SsrMode::Async view={Lazy::<CaptureRoute>::new()}/>
                </Routes>
            </main>
            <footer class="site-footer">
                <a href="/tipsa">{lang.pick("Tipsa om en otrygg plats", "Tell us about an unsafe place")}</a>
                " · "
                <a href="/tillganglighet">{lang.pick("Tillgänglighet för Tryggkarta", "Accessibility of Tryggkarta")}</a>
            </footer>
            <MainMenu/>
            <KeepPagesOffline/>
        </Router>
    }
}

#[cfg(test)]
mod tests {
    use super::lazy_route_of;

    #[test]
    fn every_lazy_page_is_found_from_its_path() {
        assert_eq!(
            lazy_route_of("/vandring/0193a0b4-0000-7000-8000-000000000000"),
            Some("capture_route")
        );
        assert_eq!(lazy_route_of("/pass"), Some("field_route"));
        assert_eq!(lazy_route_of("/lagesbild/mote/1/utskrift"), Some("office_route"));
        assert_eq!(lazy_route_of("/strategiomraden/4.2"), Some("office_route"));
        // The pages in the main module, and unknown paths, have none.
        assert_eq!(lazy_route_of("/vandring"), None);
        assert_eq!(lazy_route_of("/logga-in"), None);
        assert_eq!(lazy_route_of("/finns/inte"), None);
    }
}
