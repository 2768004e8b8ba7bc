//! Who may call each REST route (`/api/v1/…`). The server refuses everyone else before
//! the route runs (401 signed out, 403 otherwise; `server/src/routes/guard.rs`). A route
//! without a row here is refused to everyone, and `tests/tests/integration/access_matrix.rs`
//! fails when the OpenAPI document and this table do not list the same routes. Each row
//! says where the record-level check that follows is made.

use super::gate::Allowed;
use super::pages::Page;
use super::Capability::*;

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

pub const API: &[Route] = &[
    // ssr::reports::photos::attach: own visible observation (any role, incl. participant walk findings), or any visible with FollowUp; 404/403 per record
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
    Route::new("PUT", "/api/v1/session/password", Allowed::Page(Page::Account)),
    // Mitt konto: one's own second factor (accounts::{enable,disable}_second_factor)
    Route::new(
        "POST",
        "/api/v1/session/second-factor",
        Allowed::Page(Page::Account),
    ),
    Route::new(
        "PUT",
        "/api/v1/session/second-factor",
        Allowed::Page(Page::Account),
    ),
    Route::new(
        "DELETE",
        "/api/v1/session/second-factor",
        Allowed::Page(Page::Account),
    ),
    // ssr::reports::observations::reported_with per kind: walk findings ReportWalkFindings, patrol Drive, drug scenes ReportDrugScenes
    Route::new("POST", "/api/v1/observations", Allowed::SignedIn),
    // ssr::reports::observations::list filters rows by VISIBLE
    Route::new("GET", "/api/v1/observations", Allowed::SignedIn),
    // ssr::reports::observations::find: 404 unless visible (own records always)
    Route::new("GET", "/api/v1/observations/{id}", Allowed::SignedIn),
    // ssr::reports::observations::reclassify
    Route::new(
        "PATCH",
        "/api/v1/observations/{id}",
        Allowed::Can(ReclassifyReports),
    ),
    // ssr::reports::observations::add_note: reporter only, else 404
    Route::new("POST", "/api/v1/observations/{id}/note", Allowed::SignedIn),
    // ssr::reports::photos::load: 404 unless its observation is visible
    Route::new("GET", "/api/v1/photos/{id}", Allowed::SignedIn),
    // no role check: ssr::reports::categories::categories
    Route::new("GET", "/api/v1/categories", Allowed::SignedIn),
    // require(CurateCategories)
    Route::new("POST", "/api/v1/categories", Allowed::Can(CurateCategories)),
    // require(CurateCategories)
    Route::new("PATCH", "/api/v1/categories/{id}", Allowed::Can(CurateCategories)),
    // require(PlanWalks) (in ssr::walks::create)
    Route::new("POST", "/api/v1/walks", Allowed::Can(PlanWalks)),
    // ssr::walks::list: participants only their own walks
    Route::new("GET", "/api/v1/walks", Allowed::SignedIn),
    // no sign-in: walks::join_walk; signed out gets a participant account, signed in joins as themselves
    Route::new("POST", "/api/v1/walks/join", Allowed::Anyone),
    // ssr::walks::get: participants 404 unless member
    Route::new("GET", "/api/v1/walks/{id}", Allowed::SignedIn),
    // require(PlanWalks) (in ssr::walks::close)
    Route::new("POST", "/api/v1/walks/{id}/close", Allowed::Can(PlanWalks)),
    // require(PlanWalks) (in routes::rest::walks::qr_code)
    Route::new("GET", "/api/v1/walks/{id}/qr.svg", Allowed::Can(PlanWalks)),
    // require(PlanWalks) (in ssr::walks::rewalk)
    Route::new("GET", "/api/v1/walks/{id}/rewalk", Allowed::Can(PlanWalks)),
    // require(Drive) (in ssr::shifts::start)
    Route::new("POST", "/api/v1/shifts", Allowed::Can(Drive)),
    // ssr::shifts::report
    Route::new("GET", "/api/v1/shifts/report", Allowed::Can(ReadSummaries)),
    // ssr::shifts::report
    Route::new("GET", "/api/v1/shifts/report.csv", Allowed::Can(ReadSummaries)),
    // ssr::shifts::owner_check: owner or FollowUp, else 404; admin only for a shift they drove before a role change
    Route::new("GET", "/api/v1/shifts/{id}", Allowed::Can(OwnAccount)),
    // ssr::shifts::owner_check(write): owner only, else 404; admin only after a role change
    Route::new("POST", "/api/v1/shifts/{id}/track", Allowed::Can(OwnAccount)),
    // ssr::shifts::owner_check(write): owner only, else 404; admin only after a role change
    Route::new("POST", "/api/v1/shifts/{id}/end", Allowed::Can(OwnAccount)),
    // ssr::shifts::briefing::latest_briefing -> require(Drive)
    Route::new("GET", "/api/v1/briefing", Allowed::Can(Drive)),
    // ssr::shifts::briefing::write_briefing
    Route::new("POST", "/api/v1/briefing", Allowed::Can(FollowUp)),
    // ssr::situation::situation: aggregated without ReadRestrictedReports
    Route::new("GET", "/api/v1/hotspots", Allowed::SignedIn),
    // ssr::situation::points::list -> require(ReadRestrictedReports)
    Route::new(
        "GET",
        "/api/v1/hotspots/points",
        Allowed::Can(ReadRestrictedReports),
    ),
    // ssr::reports::map::view: filtered by role, no refusal
    Route::new("GET", "/api/v1/map", Allowed::SignedIn),
    // ssr::situation::situation: aggregated without ReadRestrictedReports
    Route::new("GET", "/api/v1/hotspots/cells.geojson", Allowed::SignedIn),
    // ssr::situation::cameras::candidates -> require(ReadRestrictedReports)
    Route::new(
        "GET",
        "/api/v1/camera-candidates",
        Allowed::Can(ReadRestrictedReports),
    ),
    // ssr::situation::cameras::candidates -> require(ReadRestrictedReports)
    Route::new(
        "GET",
        "/api/v1/camera-candidates.csv",
        Allowed::Can(ReadRestrictedReports),
    ),
    // ssr::situation::exports::records: rows filtered by VISIBLE
    Route::new("GET", "/api/v1/export/observations.csv", Allowed::SignedIn),
    // ssr::situation::exports::records: rows filtered by VISIBLE
    Route::new("GET", "/api/v1/export/observations.geojson", Allowed::SignedIn),
    // ssr::situation::meetings::require(FollowUp)
    Route::new("POST", "/api/v1/meetings", Allowed::Can(FollowUp)),
    // ssr::situation::meetings::require(FollowUp)
    Route::new("GET", "/api/v1/meetings", Allowed::Can(FollowUp)),
    // ssr::situation::meetings::require(FollowUp)
    Route::new("GET", "/api/v1/meetings/{id}", Allowed::Can(FollowUp)),
    // ssr::situation::meetings::require(FollowUp) (set_decisions)
    Route::new("PATCH", "/api/v1/meetings/{id}", Allowed::Can(FollowUp)),
    // ssr::situation::meetings::require(FollowUp) (add_note)
    Route::new("POST", "/api/v1/meetings/{id}/notes", Allowed::Can(FollowUp)),
    // no role check: ssr::areas::list
    Route::new("GET", "/api/v1/areas", Allowed::SignedIn),
    // require(EditPlaces)
    Route::new("POST", "/api/v1/areas", Allowed::Page(Page::Places)),
    // ssr::follow_up::actions::require(FollowUp)
    Route::new("GET", "/api/v1/actions", Allowed::Page(Page::Actions)),
    // require(FollowUp)
    Route::new("POST", "/api/v1/actions", Allowed::Page(Page::Actions)),
    // require(FollowUp) (in list)
    Route::new("GET", "/api/v1/actions.csv", Allowed::Page(Page::Actions)),
    // require(FollowUp) (in find)
    Route::new("GET", "/api/v1/actions/{id}", Allowed::Page(Page::Actions)),
    // require(FollowUp) (in follow_up)
    Route::new(
        "POST",
        "/api/v1/actions/{id}/follow-ups",
        Allowed::Page(Page::Actions),
    ),
    // ssr::follow_up::interventions::require(FollowUp)
    Route::new("GET", "/api/v1/interventions", Allowed::Page(Page::Interventions)),
    // require(FollowUp)
    Route::new(
        "POST",
        "/api/v1/interventions",
        Allowed::Page(Page::Interventions),
    ),
    // require(FollowUp) (in find)
    Route::new(
        "GET",
        "/api/v1/interventions/{id}",
        Allowed::Page(Page::Interventions),
    ),
    // ssr::follow_up::interventions::effect -> find -> require(FollowUp)
    Route::new("GET", "/api/v1/interventions/{id}/effect", Allowed::Can(FollowUp)),
    // ssr::require(FollowUp)
    Route::new("GET", "/api/v1/strategy-areas", Allowed::Page(Page::Strategy)),
    // require(FollowUp)
    Route::new(
        "GET",
        "/api/v1/strategy-areas/{code}",
        Allowed::Page(Page::Strategy),
    ),
    // ssr::require(FollowUp)
    Route::new("GET", "/api/v1/commitments", Allowed::Page(Page::Strategy)),
    // ssr::require(FollowUp)
    Route::new("POST", "/api/v1/commitments", Allowed::Page(Page::Strategy)),
    // no role check: ssr::areas::get
    Route::new("GET", "/api/v1/areas/{id}", Allowed::SignedIn),
    // require(EditPlaces) (in update)
    Route::new("PUT", "/api/v1/areas/{id}", Allowed::Page(Page::Places)),
    // require(EditPlaces) (in remove)
    Route::new("DELETE", "/api/v1/areas/{id}", Allowed::Page(Page::Places)),
    // ssr::watch::require(KeepContactPersons)
    Route::new("GET", "/api/v1/watch-areas", Allowed::Can(KeepContactPersons)),
    // ssr::watch::require(KeepContactPersons)
    Route::new(
        "PUT",
        "/api/v1/watch-areas/{area_id}",
        Allowed::Can(KeepContactPersons),
    ),
    // ssr::watch::require(KeepContactPersons)
    Route::new(
        "DELETE",
        "/api/v1/watch-areas/{area_id}",
        Allowed::Can(KeepContactPersons),
    ),
    // ssr::watch::require(FollowUp)
    Route::new("GET", "/api/v1/alerts", Allowed::Page(Page::Watch)),
    // ssr::watch::scan::scan_as -> require(FollowUp)
    Route::new("POST", "/api/v1/alerts/scan", Allowed::Can(FollowUp)),
    // ssr::watch::alerts::find_alert -> require(FollowUp)
    Route::new("GET", "/api/v1/alerts/{id}", Allowed::Can(FollowUp)),
    // ssr::watch::send::send -> require(FollowUp)
    Route::new("POST", "/api/v1/alerts/{id}/send", Allowed::Can(FollowUp)),
    // ssr::watch::send::dismiss -> require(FollowUp)
    Route::new("POST", "/api/v1/alerts/{id}/dismiss", Allowed::Can(FollowUp)),
    // no role check: ssr::settings::map
    Route::new("GET", "/api/v1/settings/map", Allowed::SignedIn),
    // ssr::settings::set_map
    Route::new("PUT", "/api/v1/settings/map", Allowed::Can(ConfigureSystem)),
    // ssr::settings::retention::settings -> require(ConfigureSystem)
    Route::new("GET", "/api/v1/settings/retention", Allowed::Can(ConfigureSystem)),
    // ssr::settings::retention::set_settings
    Route::new("PUT", "/api/v1/settings/retention", Allowed::Can(ConfigureSystem)),
    // ssr::shifts::tasking::list -> require(Drive)
    Route::new("GET", "/api/v1/focus-places", Allowed::Can(Drive)),
    // require(FollowUp) (in ssr::shifts::tasking::create)
    Route::new("POST", "/api/v1/focus-places", Allowed::Can(FollowUp)),
    // require(FollowUp) (in ssr::shifts::tasking::remove)
    Route::new("DELETE", "/api/v1/focus-places/{id}", Allowed::Can(FollowUp)),
    // ssr::shifts::tasking::tasking -> require(Drive)
    Route::new("GET", "/api/v1/tasking", Allowed::Can(Drive)),
    // ssr::follow_up::focus::list -> require(FollowUp)
    Route::new("GET", "/api/v1/focus-problems", Allowed::Page(Page::Strategy)),
    // ssr::follow_up::focus::create -> require(FollowUp)
    Route::new("POST", "/api/v1/focus-problems", Allowed::Page(Page::Strategy)),
    // ssr::follow_up::focus::find -> require(FollowUp)
    Route::new(
        "GET",
        "/api/v1/focus-problems/{id}",
        Allowed::Page(Page::Strategy),
    ),
    // ssr::follow_up::focus::update -> require(FollowUp)
    Route::new(
        "PUT",
        "/api/v1/focus-problems/{id}",
        Allowed::Page(Page::Strategy),
    ),
    // ssr::follow_up::focus::link -> require(FollowUp)
    Route::new(
        "POST",
        "/api/v1/focus-problems/{id}/activities",
        Allowed::Page(Page::Strategy),
    ),
    // access::manages_accounts (ssr::accounts::admin::list); coordinators see volunteers only (access::manages)
    Route::new(
        "GET",
        "/api/v1/users",
        Allowed::AnyOf(&[ManageVolunteers, ManageStaff]),
    ),
    // access::manages_accounts + NewUser::validate/access::manages: coordinators create volunteers only
    Route::new(
        "POST",
        "/api/v1/users",
        Allowed::AnyOf(&[ManageVolunteers, ManageStaff]),
    ),
    // ssr::accounts::admin::find: manages_accounts, then 404 unless access::manages (coordinators: volunteers)
    Route::new(
        "GET",
        "/api/v1/users/{id}",
        Allowed::AnyOf(&[ManageVolunteers, ManageStaff]),
    ),
    // ssr::accounts::admin::find + AccountChange::validate/access::manages: coordinators manage volunteers only
    Route::new(
        "PATCH",
        "/api/v1/users/{id}",
        Allowed::AnyOf(&[ManageVolunteers, ManageStaff]),
    ),
    // ssr::accounts::admin::find (manages_accounts, access::manages): coordinators volunteers only
    Route::new(
        "POST",
        "/api/v1/users/{id}/password",
        Allowed::AnyOf(&[ManageVolunteers, ManageStaff]),
    ),
    // ssr::accounts::admin::find (manages_accounts, access::manages): coordinators volunteers only
    Route::new(
        "DELETE",
        "/api/v1/users/{id}/sessions",
        Allowed::AnyOf(&[ManageVolunteers, ManageStaff]),
    ),
    // ssr::accounts::admin::set_driver -> find (manages_accounts, access::manages); drivers only (access::in_driver_register)
    Route::new("PUT", "/api/v1/users/{id}/driver", Allowed::Can(ManageVolunteers)),
    // ssr::infra::audit::newest (via list)
    Route::new("GET", "/api/v1/audit", Allowed::Can(ReadAuditLog)),
    // ssr::infra::audit::newest
    Route::new("GET", "/api/v1/audit.csv", Allowed::Can(ReadAuditLog)),
    // require(CurateCategories) (in order_categories)
    Route::new("PUT", "/api/v1/category-order", Allowed::Can(CurateCategories)),
    // ssr::incidents::organisations::{list, create, update} -> require(ManageOrganisations)
    Route::new("GET", "/api/v1/organisations", Allowed::Can(ManageOrganisations)),
    Route::new("POST", "/api/v1/organisations", Allowed::Can(ManageOrganisations)),
    Route::new(
        "PUT",
        "/api/v1/organisations/{id}",
        Allowed::Can(ManageOrganisations),
    ),
    Route::new(
        "POST",
        "/api/v1/organisations/{id}/focus-places",
        Allowed::Can(ManageOrganisations),
    ),
    // ssr::incidents::organisations::focus_places: a reporter their organisation's (access::reach)
    Route::new(
        "GET",
        "/api/v1/organisations/focus-places",
        Allowed::AnyOf(&[ReadIncidentReports, ManageOrganisations]),
    ),
    // ssr::incidents::submit -> require(ReportIncidents), then the organisation active
    Route::new("POST", "/api/v1/incident-reports", Allowed::Can(ReportIncidents)),
    // ssr::incidents::{list, find, nearby}: rows within access::reach(ReadIncidentReports); 404 outside it
    Route::new(
        "GET",
        "/api/v1/incident-reports",
        Allowed::Can(ReadIncidentReports),
    ),
    Route::new(
        "GET",
        "/api/v1/incident-reports/{id}",
        Allowed::Can(ReadIncidentReports),
    ),
    Route::new(
        "GET",
        "/api/v1/incident-reports/nearby",
        Allowed::Can(ReadIncidentReports),
    ),
    // ssr::incidents::weekly::weekly: counts within access::reach(ReadIncidentReports)
    Route::new(
        "GET",
        "/api/v1/incident-reports/weekly",
        Allowed::Can(ReadIncidentReports),
    ),
    Route::new(
        "GET",
        "/api/v1/incident-reports/weekly.csv",
        Allowed::Can(ReadIncidentReports),
    ),
    // ssr::incidents::notices: the user's own notices only
    Route::new("GET", "/api/v1/incident-reports/notices", Allowed::SignedIn),
    Route::new("DELETE", "/api/v1/incident-reports/notices", Allowed::SignedIn),
    // ssr::incidents::review::{queue, decide} -> require(ReviewReports)
    Route::new("GET", "/api/v1/review", Allowed::Can(ReviewReports)),
    Route::new("POST", "/api/v1/review/{id}", Allowed::Can(ReviewReports)),
    // no sign-in: ssr::incidents::tips::submit limits per client address
    Route::new("POST", "/api/v1/tips", Allowed::Anyone),
    // no check: startup.rs serves the document
    Route::new("GET", "/api/v1/openapi.json", Allowed::Anyone),
];

/// The row of a route, by method and path template.
pub fn api_route(method: &str, path: &str) -> Option<&'static Route> {
    API.iter()
        .find(|route| route.method.eq_ignore_ascii_case(method) && route.path == path)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            Some(Allowed::Page(Page::Actions))
        );
        assert!(api_route("GET", "/api/v1/inte-en-väg").is_none());
    }
}
