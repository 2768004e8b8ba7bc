//! Who may do what, in three tables: which pages each role may open ([`Area::allows`], used
//! by the server for full page loads and by the UI for the navigation and the "no access"
//! view), and which REST routes and server functions each role may call ([`API`],
//! [`SERVER_FNS`], enforced by the server before any of them runs; many rows are the page
//! rule itself). Records are checked again in the
//! code that reads them: whose report, which walk, which account.

use super::role::Role;
use crate::i18n::Lang;

/// A main area of the app, reached from the navigation bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    Map,
    Walks,
    Shifts,
    Situation,
    Admin,
    /// Reporting an open drug scene.
    Report,
    /// One walk's capture page, `/vandring/<id>`; the join form `/vandring` is open.
    WalkCapture,
    /// The named areas and the municipality boundary (`domain::area`).
    Places,
    /// Åtgärder and their follow-up (`domain::action`).
    Actions,
    /// The strategy areas of the action plan, one page each and an overview.
    Strategy,
    /// Insatser and their effect reports (`domain::intervention`).
    Interventions,
    /// Grannsamverkan: watch areas, their contact persons and alerts (`domain::watch`).
    Watch,
    /// "Mitt konto": one's own account and password.
    Account,
}

impl Area {
    pub const ALL: [Area; 13] = [
        Area::Map,
        Area::Walks,
        Area::Shifts,
        Area::Report,
        Area::Situation,
        Area::Admin,
        Area::WalkCapture,
        Area::Places,
        Area::Actions,
        Area::Strategy,
        Area::Interventions,
        Area::Watch,
        Area::Account,
    ];
    pub const NAV: [Area; 5] = [
        Area::Map,
        Area::Walks,
        Area::Shifts,
        Area::Report,
        Area::Situation,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Area::Map => "/karta",
            Area::Walks => "/vandringar",
            Area::Shifts => "/pass",
            Area::Situation => "/lagesbild",
            Area::Admin => "/admin",
            Area::WalkCapture => "/vandring",
            Area::Report => "/rapport",
            Area::Places => "/omraden",
            Area::Actions => "/atgarder",
            Area::Strategy => "/strategiomraden",
            Area::Interventions => "/insatser",
            Area::Watch => "/grannsamverkan",
            Area::Account => "/konto",
        }
    }

    /// The area a path belongs to, or `None` for pages anyone may open (login, health…).
    pub fn of_path(path: &str) -> Option<Area> {
        let mut segments = path.trim_start_matches('/').split('/');
        let first = segments.next().unwrap_or("");
        if first == "vandring" && segments.next().is_none_or(str::is_empty) {
            return None;
        }
        Area::ALL
            .into_iter()
            .find(|area| area.path().trim_start_matches('/') == first)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Area::Map => lang.pick("Karta", "Map"),
            Area::Walks => lang.pick("Vandringar", "Walks"),
            Area::Shifts => lang.pick("Pass", "Shifts"),
            Area::Situation => lang.pick("Lägesbild", "Situation"),
            Area::Admin => lang.pick("Administration", "Administration"),
            Area::WalkCapture => lang.pick("Vandring", "Walk"),
            Area::Report => lang.pick("Rapport", "Report"),
            Area::Places => lang.pick("Områden", "Areas"),
            Area::Actions => lang.pick("Åtgärder", "Actions"),
            Area::Strategy => lang.pick("Strategiområden", "Strategy areas"),
            Area::Interventions => lang.pick("Insatser", "Interventions"),
            Area::Watch => lang.pick("Grannsamverkan", "Neighbourhood watch"),
            Area::Account => lang.pick("Mitt konto", "My account"),
        }
    }

    pub fn allows(self, role: Role) -> bool {
        use Role::*;
        match self {
            Area::Map => true,
            // Participants reach their own walk by join code, not through the walk list.
            Area::Walks => matches!(role, Admin | Coordinator | Police | Volunteer),
            // The shift page is for those who drive (`ssr::shifts::may_drive`).
            Area::Shifts => matches!(role, Coordinator | Police | Volunteer),
            // Lägesbild shows hotspots built from restricted reports. (Volunteers still get
            // the aggregated layer from `/api/v1/hotspots`, see docs/hotspots.md.)
            Area::Situation => matches!(role, Admin | Coordinator | Police),
            // Coordinators keep the volunteers' accounts and the driver register, and the
            // categories (`domain::admin::may_manage`).
            Area::Admin => matches!(role, Admin | Coordinator),
            // Membership of the walk is checked with the data.
            Area::WalkCapture => true,
            Area::Report => matches!(role, Coordinator | Police | Volunteer),
            // Coordinators keep the named areas; admins set the municipality up. Everyone
            // signed in reads the names through the data they label.
            Area::Places => matches!(role, Admin | Coordinator),
            // An action's title and place can say as much as the restricted report it
            // answers: those who see exact positions keep them (`ssr::actions`).
            Area::Actions => matches!(role, Coordinator | Police),
            // Counts and hotspots of restricted reports, and the actions.
            Area::Strategy => matches!(role, Coordinator | Police),
            // Effect reports count restricted reports.
            Area::Interventions => matches!(role, Coordinator | Police),
            // Alerts count burglary-related reports; coordinators also keep the watch
            // areas' contact persons (`ssr::watch::may_keep_contacts`).
            Area::Watch => matches!(role, Coordinator | Police),
            // Participants have no password; their account belongs to their walk.
            Area::Account => !matches!(role, Participant),
        }
    }
}

/// What a request for a page gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Open,
    NeedsLogin,
    Forbidden,
    Allowed,
}

pub fn page_access(path: &str, role: Option<Role>) -> Access {
    match (Area::of_path(path), role) {
        (None, _) => Access::Open,
        (Some(_), None) => Access::NeedsLogin,
        (Some(area), Some(role)) if area.allows(role) => Access::Allowed,
        (Some(_), Some(_)) => Access::Forbidden,
    }
}

/// Who may call a REST route at all. Record-level rules (whose report, which walk, which
/// account a coordinator manages) are checked after, by the route's own code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allowed {
    /// No sign-in needed.
    Anyone,
    /// Every signed-in role.
    SignedIn,
    /// The roles that may open the page area: the same rule as the page.
    Area(Area),
    Roles(&'static [Role]),
}

impl Allowed {
    pub fn admits(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Allowed::Anyone, _) => true,
            (_, None) => false,
            (Allowed::SignedIn, Some(_)) => true,
            (Allowed::Area(area), Some(role)) => area.allows(role),
            (Allowed::Roles(roles), Some(role)) => roles.contains(&role),
        }
    }
}

/// One route of the REST API and who may call it.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    pub method: &'static str,
    /// As the router and the OpenAPI document write it: `/api/v1/walks/{id}`.
    pub path: &'static str,
    pub allowed: Allowed,
}

impl Route {
    const fn new(method: &'static str, path: &'static str, allowed: Allowed) -> Route {
        Route {
            method,
            path,
            allowed,
        }
    }
}

/// Who may call each REST route: the server refuses everyone else before the route runs
/// (401 signed out, 403 otherwise; `server/src/routes/guard.rs`). A route without a row
/// here is refused to everyone, and `tests/tests/integration/access_matrix.rs` fails when the OpenAPI
/// document and this table do not list the same routes. Each row says where the
/// record-level check that follows is made.
pub const API: &[Route] = &[
    // ssr::photos::attach: own visible observation (any role, incl. participant walk findings), or coordinator/police; 404/403 per record
    Route::new(
        "PUT",
        "/api/v1/observations/{id}/photos/{photo_id}",
        Allowed::SignedIn,
    ),
    // no check: health::health
    Route::new("GET", "/api/v1/health", Allowed::Anyone),
    // session::whoami answers 401 itself when signed out; every role gets 200
    Route::new("GET", "/api/v1/session", Allowed::SignedIn),
    // no check: session::sign_in_json (sign-in)
    Route::new("POST", "/api/v1/session", Allowed::Anyone),
    // no check: session::sign_out_json, 204 signed out too
    Route::new("DELETE", "/api/v1/session", Allowed::Anyone),
    // Mitt konto: everyone with a password of their own (accounts::change_own_password)
    Route::new("PUT", "/api/v1/session/password", Allowed::Area(Area::Account)),
    // Mitt konto: one's own second factor (accounts::{enable,disable}_second_factor)
    Route::new(
        "POST",
        "/api/v1/session/second-factor",
        Allowed::Area(Area::Account),
    ),
    Route::new(
        "PUT",
        "/api/v1/session/second-factor",
        Allowed::Area(Area::Account),
    ),
    Route::new(
        "DELETE",
        "/api/v1/session/second-factor",
        Allowed::Area(Area::Account),
    ),
    // ssr::observations::may_report per kind: walk findings any role (admin and participant too); patrol/drug-scene volunteer/coordinator/police
    Route::new("POST", "/api/v1/observations", Allowed::SignedIn),
    // ssr::observations::list filters rows by VISIBLE
    Route::new("GET", "/api/v1/observations", Allowed::SignedIn),
    // ssr::observations::find: 404 unless visible (own records always)
    Route::new("GET", "/api/v1/observations/{id}", Allowed::SignedIn),
    // ssr::observations::reclassify
    Route::new(
        "PATCH",
        "/api/v1/observations/{id}",
        Allowed::Roles(&[Role::Coordinator]),
    ),
    // ssr::observations::add_note: reporter only, else 404
    Route::new("POST", "/api/v1/observations/{id}/note", Allowed::SignedIn),
    // ssr::photos::load: 404 unless its observation is visible
    Route::new("GET", "/api/v1/photos/{id}", Allowed::SignedIn),
    // no role check: ssr::catalogue::categories
    Route::new("GET", "/api/v1/categories", Allowed::SignedIn),
    // ssr::catalogue::may_curate
    Route::new(
        "POST",
        "/api/v1/categories",
        Allowed::Roles(&[Role::Admin, Role::Coordinator]),
    ),
    // ssr::catalogue::may_curate
    Route::new(
        "PATCH",
        "/api/v1/categories/{id}",
        Allowed::Roles(&[Role::Admin, Role::Coordinator]),
    ),
    // ssr::walks::may_plan (in ssr::walks::create)
    Route::new(
        "POST",
        "/api/v1/walks",
        Allowed::Roles(&[Role::Admin, Role::Coordinator]),
    ),
    // ssr::walks::list: participants only their own walks
    Route::new("GET", "/api/v1/walks", Allowed::SignedIn),
    // no sign-in: walks::join_walk; signed out gets a participant account, signed in joins as themselves
    Route::new("POST", "/api/v1/walks/join", Allowed::Anyone),
    // ssr::walks::get: participants 404 unless member
    Route::new("GET", "/api/v1/walks/{id}", Allowed::SignedIn),
    // ssr::walks::may_plan (in ssr::walks::close)
    Route::new(
        "POST",
        "/api/v1/walks/{id}/close",
        Allowed::Roles(&[Role::Admin, Role::Coordinator]),
    ),
    // ssr::walks::may_plan (in api::walks::qr_code)
    Route::new(
        "GET",
        "/api/v1/walks/{id}/qr.svg",
        Allowed::Roles(&[Role::Admin, Role::Coordinator]),
    ),
    // ssr::walks::may_plan (in ssr::walks::rewalk)
    Route::new(
        "GET",
        "/api/v1/walks/{id}/rewalk",
        Allowed::Roles(&[Role::Admin, Role::Coordinator]),
    ),
    // ssr::shifts::may_drive (in ssr::shifts::start)
    Route::new(
        "POST",
        "/api/v1/shifts",
        Allowed::Roles(&[Role::Coordinator, Role::Police, Role::Volunteer]),
    ),
    // ssr::shifts::report
    Route::new(
        "GET",
        "/api/v1/shifts/report",
        Allowed::Roles(&[Role::Admin, Role::Coordinator, Role::Police]),
    ),
    // ssr::shifts::report
    Route::new(
        "GET",
        "/api/v1/shifts/report.csv",
        Allowed::Roles(&[Role::Admin, Role::Coordinator, Role::Police]),
    ),
    // ssr::shifts::owner_check: owner or coordinator/police, else 404; admin only for a shift they drove before a role change
    Route::new(
        "GET",
        "/api/v1/shifts/{id}",
        Allowed::Roles(&[Role::Admin, Role::Coordinator, Role::Police, Role::Volunteer]),
    ),
    // ssr::shifts::owner_check(write): owner only, else 404; admin only after a role change
    Route::new(
        "POST",
        "/api/v1/shifts/{id}/track",
        Allowed::Roles(&[Role::Admin, Role::Coordinator, Role::Police, Role::Volunteer]),
    ),
    // ssr::shifts::owner_check(write): owner only, else 404; admin only after a role change
    Route::new(
        "POST",
        "/api/v1/shifts/{id}/end",
        Allowed::Roles(&[Role::Admin, Role::Coordinator, Role::Police, Role::Volunteer]),
    ),
    // ssr::catalogue::latest_briefing -> ssr::shifts::may_drive
    Route::new(
        "GET",
        "/api/v1/briefing",
        Allowed::Roles(&[Role::Coordinator, Role::Police, Role::Volunteer]),
    ),
    // ssr::catalogue::write_briefing
    Route::new(
        "POST",
        "/api/v1/briefing",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // ssr::situation::situation: aggregated unless sees_exact_positions
    Route::new("GET", "/api/v1/hotspots", Allowed::SignedIn),
    // ssr::situation::points -> sees_exact_positions
    Route::new(
        "GET",
        "/api/v1/hotspots/points",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // ssr::map::view: filtered by role, no refusal
    Route::new("GET", "/api/v1/map", Allowed::SignedIn),
    // ssr::situation::situation: aggregated unless sees_exact_positions
    Route::new("GET", "/api/v1/hotspots/cells.geojson", Allowed::SignedIn),
    // ssr::situation::camera_candidates -> sees_exact_positions
    Route::new(
        "GET",
        "/api/v1/camera-candidates",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // ssr::situation::camera_candidates -> sees_exact_positions
    Route::new(
        "GET",
        "/api/v1/camera-candidates.csv",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // ssr::situation::observations_for: rows filtered by VISIBLE
    Route::new("GET", "/api/v1/export/observations.csv", Allowed::SignedIn),
    // ssr::situation::observations_for: rows filtered by VISIBLE
    Route::new("GET", "/api/v1/export/observations.geojson", Allowed::SignedIn),
    // ssr::meetings::require_member
    Route::new(
        "POST",
        "/api/v1/meetings",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // ssr::meetings::require_member
    Route::new(
        "GET",
        "/api/v1/meetings",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // ssr::meetings::require_member
    Route::new(
        "GET",
        "/api/v1/meetings/{id}",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // ssr::meetings::require_member (set_decisions)
    Route::new(
        "PATCH",
        "/api/v1/meetings/{id}",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // ssr::meetings::require_member (add_note)
    Route::new(
        "POST",
        "/api/v1/meetings/{id}/notes",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // no role check: ssr::areas::list
    Route::new("GET", "/api/v1/areas", Allowed::SignedIn),
    // ssr::areas::may_edit = Area::Places.allows
    Route::new("POST", "/api/v1/areas", Allowed::Area(Area::Places)),
    // ssr::actions::may_keep = Area::Actions.allows
    Route::new("GET", "/api/v1/actions", Allowed::Area(Area::Actions)),
    // ssr::actions::may_keep
    Route::new("POST", "/api/v1/actions", Allowed::Area(Area::Actions)),
    // ssr::actions::may_keep (in list)
    Route::new("GET", "/api/v1/actions.csv", Allowed::Area(Area::Actions)),
    // ssr::actions::may_keep (in find)
    Route::new("GET", "/api/v1/actions/{id}", Allowed::Area(Area::Actions)),
    // ssr::actions::may_keep (in follow_up)
    Route::new(
        "POST",
        "/api/v1/actions/{id}/follow-ups",
        Allowed::Area(Area::Actions),
    ),
    // ssr::interventions::may_keep = Area::Interventions.allows
    Route::new("GET", "/api/v1/interventions", Allowed::Area(Area::Interventions)),
    // ssr::interventions::may_keep
    Route::new(
        "POST",
        "/api/v1/interventions",
        Allowed::Area(Area::Interventions),
    ),
    // ssr::interventions::may_keep (in find)
    Route::new(
        "GET",
        "/api/v1/interventions/{id}",
        Allowed::Area(Area::Interventions),
    ),
    // ssr::interventions::effect -> find -> may_keep
    Route::new(
        "GET",
        "/api/v1/interventions/{id}/effect",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // ssr::strategy::check = Area::Strategy.allows
    Route::new("GET", "/api/v1/strategy-areas", Allowed::Area(Area::Strategy)),
    // ssr::strategy::check
    Route::new(
        "GET",
        "/api/v1/strategy-areas/{code}",
        Allowed::Area(Area::Strategy),
    ),
    // ssr::commitments::check = Area::Strategy.allows
    Route::new("GET", "/api/v1/commitments", Allowed::Area(Area::Strategy)),
    // ssr::commitments::check
    Route::new("POST", "/api/v1/commitments", Allowed::Area(Area::Strategy)),
    // no role check: ssr::areas::get
    Route::new("GET", "/api/v1/areas/{id}", Allowed::SignedIn),
    // ssr::areas::may_edit (in update)
    Route::new("PUT", "/api/v1/areas/{id}", Allowed::Area(Area::Places)),
    // ssr::areas::may_edit (in remove)
    Route::new("DELETE", "/api/v1/areas/{id}", Allowed::Area(Area::Places)),
    // ssr::watch::may_keep_contacts
    Route::new("GET", "/api/v1/watch-areas", Allowed::Roles(&[Role::Coordinator])),
    // ssr::watch::may_keep_contacts
    Route::new(
        "PUT",
        "/api/v1/watch-areas/{area_id}",
        Allowed::Roles(&[Role::Coordinator]),
    ),
    // ssr::watch::may_keep_contacts
    Route::new(
        "DELETE",
        "/api/v1/watch-areas/{area_id}",
        Allowed::Roles(&[Role::Coordinator]),
    ),
    // ssr::watch::may_follow = Area::Watch.allows
    Route::new("GET", "/api/v1/alerts", Allowed::Area(Area::Watch)),
    // ssr::watch::scan_as -> may_follow
    Route::new(
        "POST",
        "/api/v1/alerts/scan",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // ssr::watch::find_alert -> may_follow
    Route::new(
        "GET",
        "/api/v1/alerts/{id}",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // ssr::watch::send -> may_follow
    Route::new(
        "POST",
        "/api/v1/alerts/{id}/send",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // ssr::watch::dismiss -> may_follow
    Route::new(
        "POST",
        "/api/v1/alerts/{id}/dismiss",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // no role check: ssr::settings::map
    Route::new("GET", "/api/v1/settings/map", Allowed::SignedIn),
    // ssr::settings::set_map
    Route::new("PUT", "/api/v1/settings/map", Allowed::Roles(&[Role::Admin])),
    // api::admin::retention_settings (check in the handler)
    Route::new(
        "GET",
        "/api/v1/settings/retention",
        Allowed::Roles(&[Role::Admin]),
    ),
    // ssr::retention::set_settings
    Route::new(
        "PUT",
        "/api/v1/settings/retention",
        Allowed::Roles(&[Role::Admin]),
    ),
    // ssr::tasking::list -> ssr::shifts::may_drive
    Route::new(
        "GET",
        "/api/v1/focus-places",
        Allowed::Roles(&[Role::Coordinator, Role::Police, Role::Volunteer]),
    ),
    // domain::tasking::may_mark (in ssr::tasking::create)
    Route::new(
        "POST",
        "/api/v1/focus-places",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // domain::tasking::may_mark (in ssr::tasking::remove)
    Route::new(
        "DELETE",
        "/api/v1/focus-places/{id}",
        Allowed::Roles(&[Role::Coordinator, Role::Police]),
    ),
    // ssr::tasking::tasking -> ssr::shifts::may_drive
    Route::new(
        "GET",
        "/api/v1/tasking",
        Allowed::Roles(&[Role::Coordinator, Role::Police, Role::Volunteer]),
    ),
    // ssr::focus::list -> ssr::strategy::check
    Route::new("GET", "/api/v1/focus-problems", Allowed::Area(Area::Strategy)),
    // ssr::focus::create -> ssr::strategy::check
    Route::new("POST", "/api/v1/focus-problems", Allowed::Area(Area::Strategy)),
    // ssr::focus::find -> ssr::strategy::check
    Route::new(
        "GET",
        "/api/v1/focus-problems/{id}",
        Allowed::Area(Area::Strategy),
    ),
    // ssr::focus::update -> ssr::strategy::check
    Route::new(
        "PUT",
        "/api/v1/focus-problems/{id}",
        Allowed::Area(Area::Strategy),
    ),
    // ssr::focus::link -> ssr::strategy::check
    Route::new(
        "POST",
        "/api/v1/focus-problems/{id}/activities",
        Allowed::Area(Area::Strategy),
    ),
    // domain::admin::may_administer (ssr::admin::list); coordinators see volunteers only (may_manage)
    Route::new(
        "GET",
        "/api/v1/users",
        Allowed::Roles(&[Role::Admin, Role::Coordinator]),
    ),
    // domain::admin::may_administer + NewUser::validate/may_manage: coordinators create volunteers only
    Route::new(
        "POST",
        "/api/v1/users",
        Allowed::Roles(&[Role::Admin, Role::Coordinator]),
    ),
    // ssr::admin::find: may_administer, then 404 unless may_manage (coordinators: volunteers)
    Route::new(
        "GET",
        "/api/v1/users/{id}",
        Allowed::Roles(&[Role::Admin, Role::Coordinator]),
    ),
    // ssr::admin::find + AccountChange::validate/may_manage: coordinators manage volunteers only
    Route::new(
        "PATCH",
        "/api/v1/users/{id}",
        Allowed::Roles(&[Role::Admin, Role::Coordinator]),
    ),
    // ssr::admin::find (may_administer, may_manage): coordinators volunteers only
    Route::new(
        "POST",
        "/api/v1/users/{id}/password",
        Allowed::Roles(&[Role::Admin, Role::Coordinator]),
    ),
    // ssr::admin::find (may_administer, may_manage): coordinators volunteers only
    Route::new(
        "DELETE",
        "/api/v1/users/{id}/sessions",
        Allowed::Roles(&[Role::Admin, Role::Coordinator]),
    ),
    // ssr::admin::set_driver -> find (may_administer, may_manage); volunteer accounts only
    Route::new(
        "PUT",
        "/api/v1/users/{id}/driver",
        Allowed::Roles(&[Role::Admin, Role::Coordinator]),
    ),
    // ssr::audit::newest (via list)
    Route::new("GET", "/api/v1/audit", Allowed::Roles(&[Role::Admin])),
    // ssr::audit::newest
    Route::new("GET", "/api/v1/audit.csv", Allowed::Roles(&[Role::Admin])),
    // ssr::catalogue::may_curate (in order_categories)
    Route::new(
        "PUT",
        "/api/v1/category-order",
        Allowed::Roles(&[Role::Admin, Role::Coordinator]),
    ),
    // no check: startup.rs serves the document
    Route::new("GET", "/api/v1/openapi.json", Allowed::Anyone),
];

/// The row of a route, by method and path template.
pub fn api_route(method: &str, path: &str) -> Option<&'static Route> {
    API.iter()
        .find(|route| route.method.eq_ignore_ascii_case(method) && route.path == path)
}

/// One server function (a page's own call, `POST /api/<endpoint>`) and who may call it.
#[derive(Clone, Copy, Debug)]
pub struct ServerFn {
    pub endpoint: &'static str,
    pub allowed: Allowed,
}

impl ServerFn {
    const fn new(endpoint: &'static str, allowed: Allowed) -> ServerFn {
        ServerFn { endpoint, allowed }
    }
}

/// Who may call each server function: the server refuses everyone else before the
/// function runs, as for [`API`] (`server/src/routes/guard.rs`). A function without a row
/// is refused to everyone, and `tests/tests/integration/access_matrix.rs` fails when the functions the
/// app registers and this table differ. Each row says which check follows in the code.
pub const SERVER_FNS: &[ServerFn] = &{
    use Role::*;
    [
        // ssr::actions::list -> may_keep = Area::Actions.allows
        ServerFn::new("actions_page", Allowed::Area(Area::Actions)),
        // ssr::catalogue::add_category -> may_curate
        ServerFn::new("add_category", Allowed::Area(Area::Admin)),
        // ssr::commitments::create -> commitments::check = Area::Strategy.allows
        ServerFn::new("add_commitment", Allowed::Area(Area::Strategy)),
        // ssr::focus::create -> strategy::check = Area::Strategy.allows
        ServerFn::new("add_focus_problem", Allowed::Area(Area::Strategy)),
        // ssr::meetings::add_note -> require_member = sees_exact_positions; 404 unknown meeting
        ServerFn::new("add_meeting_note", Allowed::Roles(&[Coordinator, Police])),
        // ssr::admin::list -> may_administer, rows by may_manage; audit, map, retention for admins
        ServerFn::new("admin_page", Allowed::Area(Area::Admin)),
        // ssr::areas::may_edit = Area::Places.allows
        ServerFn::new("areas_page", Allowed::Area(Area::Places)),
        // ssr::catalogue::{rename, retire, restore, order_categories} -> may_curate
        ServerFn::new("change_category", Allowed::Area(Area::Admin)),
        // ssr::admin::change -> may_administer, 404 unless may_manage
        ServerFn::new("change_user", Allowed::Area(Area::Admin)),
        // ssr::walks::close -> may_plan
        ServerFn::new("close_walk", Allowed::Roles(&[Admin, Coordinator])),
        // ssr::commitments::list -> check = Area::Strategy.allows
        ServerFn::new("commitments", Allowed::Area(Area::Strategy)),
        // no check: the contact address of the accessibility statement (an open page)
        ServerFn::new("contact", Allowed::Anyone),
        // ssr::actions::create -> may_keep; the source must be visible to the caller
        ServerFn::new("create_action", Allowed::Area(Area::Actions)),
        // ssr::interventions::create -> may_keep = Area::Interventions.allows
        ServerFn::new("create_intervention", Allowed::Area(Area::Interventions)),
        // ssr::meetings::create -> require_member = sees_exact_positions
        ServerFn::new("create_meeting", Allowed::Roles(&[Coordinator, Police])),
        // ssr::admin::create -> may_administer; coordinators create volunteers only
        ServerFn::new("create_user", Allowed::Area(Area::Admin)),
        // ssr::walks::create -> may_plan
        ServerFn::new("create_walk", Allowed::Roles(&[Admin, Coordinator])),
        // ssr::interventions::effect -> may_keep; 404 unknown id
        ServerFn::new("effect_report", Allowed::Area(Area::Interventions)),
        // ssr::shifts::end -> owner_check: own shift only, else 404 (as the REST row)
        ServerFn::new(
            "end_shift",
            Allowed::Roles(&[Admin, Coordinator, Police, Volunteer]),
        ),
        // ssr::admin::end_sessions -> may_administer, 404 unless may_manage
        ServerFn::new("end_user_sessions", Allowed::Area(Area::Admin)),
        // ssr::actions::follow_up -> may_keep; 404 unknown
        ServerFn::new("follow_up_action", Allowed::Area(Area::Actions)),
        // ssr::interventions::list -> may_keep
        ServerFn::new("interventions_page", Allowed::Area(Area::Interventions)),
        // ssr::focus::link -> strategy::check; 404 unknown problem
        ServerFn::new("link_activity", Allowed::Area(Area::Strategy)),
        // ssr::map::view: exact for police and coordinators, own and aggregated for others
        ServerFn::new("map_page", Allowed::Area(Area::Map)),
        // ssr::settings::map: tile server and centre, for every signed-in page
        ServerFn::new("map_settings", Allowed::SignedIn),
        // one's own second factor: status, and the secret being set up (in the session)
        ServerFn::new("second_factor", Allowed::Area(Area::Account)),
        // ssr::tasking::create -> domain::tasking::may_mark
        ServerFn::new("mark_focus_place", Allowed::Roles(&[Coordinator, Police])),
        // ssr::meetings::get -> require_member = sees_exact_positions; 404 unknown
        ServerFn::new("meeting_page", Allowed::Roles(&[Coordinator, Police])),
        // ssr::watch::{dismiss, send} -> may_follow = Area::Watch.allows; 404 unknown alert
        ServerFn::new("pass_alert_on", Allowed::Area(Area::Watch)),
        // ssr::admin::set_driver -> may_administer, 404 unless may_manage; volunteers only
        ServerFn::new("register_driver", Allowed::Area(Area::Admin)),
        // ssr::areas::remove -> may_edit; 404 unknown
        ServerFn::new("remove_area", Allowed::Area(Area::Places)),
        // Area::Report.allows in the function
        ServerFn::new("report_page", Allowed::Area(Area::Report)),
        // ssr::admin::reset_password -> may_administer, 404 unless may_manage
        ServerFn::new("reset_user_password", Allowed::Area(Area::Admin)),
        // ssr::walks::rewalk -> may_plan; 404 without the earlier walk
        ServerFn::new("rewalk", Allowed::Roles(&[Admin, Coordinator])),
        // ssr::areas::{create, update} -> may_edit
        ServerFn::new("save_area", Allowed::Area(Area::Places)),
        // ssr::meetings::set_decisions -> require_member; 404 unknown
        ServerFn::new("save_decisions", Allowed::Roles(&[Coordinator, Police])),
        // ssr::settings::set_map: admins
        ServerFn::new("save_map_settings", Allowed::Roles(&[Admin])),
        // ssr::retention::set_settings: admins
        ServerFn::new("save_retention", Allowed::Roles(&[Admin])),
        // ssr::watch::set_area -> may_keep_contacts
        ServerFn::new("save_watch_area", Allowed::Roles(&[Coordinator])),
        // ssr::watch::scan_as -> may_follow
        ServerFn::new("scan_alerts", Allowed::Area(Area::Watch)),
        // ssr::shifts::may_drive in the function
        ServerFn::new("shift_page", Allowed::Area(Area::Shifts)),
        // Area::Situation.allows in the function; meetings only for sees_exact_positions
        ServerFn::new("situation_page", Allowed::Area(Area::Situation)),
        // ssr::situation::points -> sees_exact_positions
        ServerFn::new("situation_points", Allowed::Roles(&[Coordinator, Police])),
        // ssr::strategy::overview -> check
        ServerFn::new("strategy_overview", Allowed::Area(Area::Strategy)),
        // ssr::strategy::page -> check; 404 unknown code
        ServerFn::new("strategy_page", Allowed::Area(Area::Strategy)),
        // actions for those who keep them (actions::may_keep), an empty list for others
        ServerFn::new("walk_actions", Allowed::SignedIn),
        // ssr::walks::get: participants only their own walk (404)
        ServerFn::new("walk_page", Allowed::Area(Area::WalkCapture)),
        // Area::Walks.allows in the function
        ServerFn::new("walks_page", Allowed::Area(Area::Walks)),
        // ssr::watch::list_alerts -> may_follow; contacts only for may_keep_contacts
        ServerFn::new("watch_page", Allowed::Area(Area::Watch)),
        // ssr::catalogue::write_briefing: police and coordinators
        ServerFn::new("write_briefing", Allowed::Roles(&[Coordinator, Police])),
    ]
};

pub fn server_fn(endpoint: &str) -> Option<&'static ServerFn> {
    SERVER_FNS.iter().find(|function| function.endpoint == endpoint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_server_function_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for function in SERVER_FNS {
            assert!(seen.insert(function.endpoint), "{} twice", function.endpoint);
        }
    }

    #[test]
    fn every_api_route_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for route in API {
            assert!(
                seen.insert((route.method, route.path)),
                "{} {} twice",
                route.method,
                route.path
            );
            assert!(route.path.starts_with("/api/v1/"), "{}", route.path);
        }
        assert_eq!(
            api_route("get", "/api/v1/actions").map(|r| r.allowed),
            Some(Allowed::Area(Area::Actions))
        );
        assert!(api_route("GET", "/api/v1/inte-en-väg").is_none());
    }

    /// The README's role table says which pages each role may open; it must say what
    /// [`Area::allows`] does (the walk page and "Mitt konto" are described beside it).
    #[test]
    fn the_readme_role_table_matches_the_page_rules() {
        let readme = include_str!("../../../README.md");
        for role in Role::ALL {
            let row = readme
                .lines()
                .find(|line| line.starts_with(&format!("| `{}` |", role.as_str())))
                .unwrap_or_else(|| panic!("the README has a row for {role}"));
            let pages = row.rsplit('|').nth(1).unwrap_or_default();
            // "Grannsamverkan (alerts)": the words in brackets say more, not another page.
            let mut plain = String::new();
            let mut depth = 0;
            for c in pages.chars() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ if depth == 0 => plain.push(c),
                    _ => {}
                }
            }
            let named: Vec<Area> = plain
                .split([',', ' '])
                .filter_map(|word| {
                    Area::ALL
                        .into_iter()
                        .find(|area| area.label(Lang::Sv) == word.trim())
                })
                .collect();
            for area in Area::ALL {
                if matches!(area, Area::WalkCapture | Area::Account) {
                    continue;
                }
                assert_eq!(
                    named.contains(&area),
                    area.allows(role),
                    "README, {role}: {}",
                    area.label(Lang::Sv)
                );
            }
        }
    }

    #[test]
    fn the_rules_admit_whom_they_name() {
        assert!(Allowed::Anyone.admits(None));
        assert!(!Allowed::SignedIn.admits(None));
        assert!(Allowed::SignedIn.admits(Some(Role::Participant)));
        assert!(Allowed::Area(Area::Actions).admits(Some(Role::Police)));
        assert!(!Allowed::Area(Area::Actions).admits(Some(Role::Admin)));
        assert!(!Allowed::Roles(&[Role::Admin]).admits(Some(Role::Coordinator)));
    }

    #[test]
    fn lagesbild_is_for_police_and_coordinators_only() {
        assert_eq!(page_access("/lagesbild", Some(Role::Police)), Access::Allowed);
        assert_eq!(
            page_access("/lagesbild", Some(Role::Coordinator)),
            Access::Allowed
        );
        assert_eq!(
            page_access("/lagesbild", Some(Role::Volunteer)),
            Access::Forbidden
        );
        assert_eq!(
            page_access("/lagesbild/123", Some(Role::Participant)),
            Access::Forbidden
        );
    }

    #[test]
    fn drug_scene_reports_are_for_volunteers_police_and_coordinators() {
        assert_eq!(page_access("/rapport", Some(Role::Volunteer)), Access::Allowed);
        assert_eq!(
            page_access("/rapport", Some(Role::Participant)),
            Access::Forbidden
        );
        assert_eq!(page_access("/rapport", Some(Role::Admin)), Access::Forbidden);
    }

    #[test]
    fn the_shift_page_is_for_those_who_drive() {
        for role in [Role::Volunteer, Role::Police, Role::Coordinator] {
            assert_eq!(page_access("/pass", Some(role)), Access::Allowed, "{role}");
        }
        // Admins and participants do not drive: the menu must not offer what they cannot use.
        assert_eq!(page_access("/pass", Some(Role::Admin)), Access::Forbidden);
        assert_eq!(page_access("/pass", Some(Role::Participant)), Access::Forbidden);
        assert!(!Area::Shifts.allows(Role::Admin));
    }

    #[test]
    fn areas_are_kept_by_coordinators_and_admins() {
        for role in [Role::Coordinator, Role::Admin] {
            assert_eq!(page_access("/omraden", Some(role)), Access::Allowed, "{role}");
        }
        for role in [Role::Police, Role::Volunteer, Role::Participant] {
            assert_eq!(page_access("/omraden", Some(role)), Access::Forbidden, "{role}");
        }
    }

    #[test]
    fn signed_out_visitors_are_sent_to_login_but_may_open_open_pages() {
        assert_eq!(page_access("/karta", None), Access::NeedsLogin);
        assert_eq!(page_access("/logga-in", None), Access::Open);
        assert_eq!(page_access("/kartan-finns-inte", None), Access::Open);
        assert_eq!(page_access("/vandring", None), Access::Open);
        assert_eq!(page_access("/vandring/0193", None), Access::NeedsLogin);
        assert_eq!(
            page_access("/vandring/0193", Some(Role::Participant)),
            Access::Allowed
        );
    }
}
