//! Pages and components. `shell` is the HTML document; `App` the routes inside it.

pub mod assets;
pub mod components;
pub mod format;
pub mod outbox;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

use crate::domain::access::Area;
use crate::domain::user::CurrentUser;
use crate::i18n::Lang;
use components::nav::{BottomNav, TopBar};
use pages::{
    actions::ActionsPageView,
    areas::AreasPageView,
    interventions::{EffectReportPage, InterventionsPageView},
    login::LoginPage,
    map::MapPage,
    not_found::NotFound,
    placeholder::AreaPlaceholder,
    report::ReportPageView,
    shift::ShiftPageView,
    situation::{MeetingPageView, MeetingPrintPage, SituationPageView},
    strategy::{StrategyAreaPage, StrategyOverviewPage},
    walk::{WalkCapturePage, WalkJoinPage},
    walks::{WalkProtocolPage, WalksPageView},
};

/// The signed-in user of this page view, known before anything renders: the server
/// takes it from the request (`RequestUser`, set by the server's page middleware) and
/// writes it into the page head; the browser reads it back from there. No Resource, no
/// Suspense: the nav bar and the access guard render at once, on both sides the same.
#[derive(Clone, Debug, Default)]
pub struct PageUser(pub Option<CurrentUser>);

/// Request extension carrying the signed-in user into the Leptos render.
#[derive(Clone, Debug, Default)]
pub struct RequestUser(pub Option<CurrentUser>);

const USER_SCRIPT_ID: &str = "tryggkarta-user";

pub fn use_user() -> Option<CurrentUser> {
    use_context::<PageUser>().and_then(|page_user| page_user.0)
}

fn request_user() -> Option<CurrentUser> {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<RequestUser>().cloned())
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

/// A value as JSON that is safe inside a `<script>` element (no `</script>` can end it).
pub fn script_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
}

pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
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
    // A hidden tab paints no frames: it starts at once.
    let boot = format!(
        "import init,{{hydrate}} from {js};\
         const start=()=>init({{module_or_path:{wasm}}}).then(()=>hydrate());\
         if(document.visibilityState==='hidden'){{start();}}else{{requestAnimationFrame(()=>requestAnimationFrame(start));}}",
        js = script_json(&js),
        wasm = script_json(&wasm),
    );
    view! {
        <link rel="modulepreload" href=js/>
        <script type="module" inner_html=boot></script>
    }
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = request_lang();
    let user = script_json(&request_user());
    let stylesheet = assets::pkg_file(&options.output_name, "css");
    // Leaflet's global `L` must exist before the WASM binds to it: deferred scripts and
    // the hydration module run in document order, after parsing, without blocking it.
    let leaflet = assets::needs_leaflet(&request_path()).then(|| {
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

/// Every page but those a newcomer meets first (sign-in, joining a walk and the walk's
/// capture page right after) is a lazy route: built with `cargo leptos build --split`,
/// its code is a separate WASM chunk fetched when the page is opened, so the first visit
/// downloads only what it shows.
macro_rules! lazy_pages {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_pages!(
    MapRoute => MapPage,
    WalksRoute => WalksPageView,
    ProtocolRoute => WalkProtocolPage,
    ShiftRoute => ShiftPageView,
    ReportRoute => ReportPageView,
    SituationRoute => SituationPageView,
    MeetingRoute => MeetingPageView,
    MeetingPrintRoute => MeetingPrintPage,
    AreasRoute => AreasPageView,
    ActionsRoute => ActionsPageView,
    StrategyOverviewRoute => StrategyOverviewPage,
    StrategyAreaRoute => StrategyAreaPage,
    InterventionsRoute => InterventionsPageView,
    EffectRoute => EffectReportPage,
);

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
                    <Route path=path!("/vandring") ssr=SsrMode::Async view=WalkJoinPage/>
                    <Route path=path!("/karta") ssr=SsrMode::Async view={Lazy::<MapRoute>::new()}/>
                    <Route path=path!("/vandringar") ssr=SsrMode::Async view={Lazy::<WalksRoute>::new()}/>
                    <Route path=path!("/vandringar/:id/protokoll") ssr=SsrMode::Async view={Lazy::<ProtocolRoute>::new()}/>
                    <Route path=path!("/pass") ssr=SsrMode::Async view={Lazy::<ShiftRoute>::new()}/>
                    <Route path=path!("/rapport") ssr=SsrMode::Async view={Lazy::<ReportRoute>::new()}/>
                    <Route path=path!("/lagesbild") ssr=SsrMode::Async view={Lazy::<SituationRoute>::new()}/>
                    <Route path=path!("/lagesbild/mote/:id") ssr=SsrMode::Async view={Lazy::<MeetingRoute>::new()}/>
                    <Route path=path!("/lagesbild/mote/:id/utskrift") ssr=SsrMode::Async view={Lazy::<MeetingPrintRoute>::new()}/>
                    <Route path=path!("/strategiomraden") ssr=SsrMode::Async view={Lazy::<StrategyOverviewRoute>::new()}/>
                    <Route path=path!("/strategiomraden/:kod") ssr=SsrMode::Async view={Lazy::<StrategyAreaRoute>::new()}/>
                    <Route path=path!("/insatser") ssr=SsrMode::Async view={Lazy::<InterventionsRoute>::new()}/>
                    <Route path=path!("/insatser/:id") ssr=SsrMode::Async view={Lazy::<EffectRoute>::new()}/>
                    <Route path=path!("/atgarder") ssr=SsrMode::Async view={Lazy::<ActionsRoute>::new()}/>
                    <Route path=path!("/omraden") ssr=SsrMode::Async view={Lazy::<AreasRoute>::new()}/>
                    <Route path=path!("/vandring/:id") ssr=SsrMode::Async view=WalkCapturePage/>
                    <Route path=path!("/admin") ssr=SsrMode::Async view=|| view! { <AreaPlaceholder area=Area::Admin/> }/>
                </Routes>
            </main>
            <BottomNav/>
        </Router>
    }
}
