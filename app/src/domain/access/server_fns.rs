//! Who may call each server function (a page's own call, `POST /api/<endpoint>`). The
//! server refuses everyone else before the function runs, as for the REST routes
//! (`server/src/routes/guard.rs`). A function without a row is refused to everyone, and
//! `tests/tests/integration/access_matrix.rs` fails when the functions the app registers
//! and this table differ. Each row says which check follows in the code.

use super::gate::Allowed;
use super::pages::Page;
use super::Capability;

/// One server function and who may call it.
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

pub const SERVER_FNS: &[ServerFn] = &{
    use Capability::*;
    [
        // ssr::follow_up::actions::list -> require(FollowUp)
        ServerFn::new("actions_page", Allowed::Page(Page::Actions)),
        // ssr::reports::categories::add_category -> require(CurateCategories)
        ServerFn::new("add_category", Allowed::Page(Page::Admin)),
        // ssr::follow_up::commitments::create -> require(FollowUp)
        ServerFn::new("add_commitment", Allowed::Page(Page::Strategy)),
        // ssr::follow_up::focus::create -> require(FollowUp)
        ServerFn::new("add_focus_problem", Allowed::Page(Page::Strategy)),
        // ssr::situation::meetings::add_note -> require(FollowUp); 404 unknown meeting
        ServerFn::new("add_meeting_note", Allowed::Can(FollowUp)),
        // ssr::accounts::admin::list -> manages_accounts, rows by access::manages; audit, map, retention for admins
        ServerFn::new("admin_page", Allowed::Page(Page::Admin)),
        // require(EditPlaces)
        ServerFn::new("areas_page", Allowed::Page(Page::Places)),
        // ssr::reports::categories::{rename, retire, restore, order_categories} -> require(CurateCategories)
        ServerFn::new("change_category", Allowed::Page(Page::Admin)),
        // ssr::accounts::admin::change -> manages_accounts, 404 unless access::manages
        ServerFn::new("change_user", Allowed::Page(Page::Admin)),
        // ssr::walks::close -> require(PlanWalks)
        ServerFn::new("close_walk", Allowed::Can(PlanWalks)),
        // ssr::follow_up::commitments::list -> require(FollowUp)
        ServerFn::new("commitments", Allowed::Page(Page::Strategy)),
        // no check: the contact address of the accessibility statement (an open page)
        ServerFn::new("contact", Allowed::Anyone),
        // ssr::follow_up::actions::create -> require(FollowUp); the source must be visible to the caller
        ServerFn::new("create_action", Allowed::Page(Page::Actions)),
        // ssr::follow_up::interventions::create -> require(FollowUp)
        ServerFn::new("create_intervention", Allowed::Page(Page::Interventions)),
        // ssr::situation::meetings::create -> require(FollowUp)
        ServerFn::new("create_meeting", Allowed::Can(FollowUp)),
        // ssr::accounts::admin::create -> manages_accounts; coordinators create volunteers only
        ServerFn::new("create_user", Allowed::Page(Page::Admin)),
        // ssr::walks::create -> require(PlanWalks)
        ServerFn::new("create_walk", Allowed::Can(PlanWalks)),
        // ssr::follow_up::interventions::effect -> require(FollowUp); 404 unknown id
        ServerFn::new("effect_report", Allowed::Page(Page::Interventions)),
        // ssr::shifts::end -> owner_check: own shift only, else 404 (as the REST row)
        ServerFn::new("end_shift", Allowed::Can(OwnAccount)),
        // ssr::accounts::admin::end_sessions -> manages_accounts, 404 unless access::manages
        ServerFn::new("end_user_sessions", Allowed::Page(Page::Admin)),
        // ssr::follow_up::actions::follow_up -> require(FollowUp); 404 unknown
        ServerFn::new("follow_up_action", Allowed::Page(Page::Actions)),
        // ssr::follow_up::interventions::list -> require(FollowUp)
        ServerFn::new("interventions_page", Allowed::Page(Page::Interventions)),
        // ssr::follow_up::focus::link -> require(FollowUp); 404 unknown problem
        ServerFn::new("link_activity", Allowed::Page(Page::Strategy)),
        // ssr::reports::map::view: exact for police and coordinators, own and aggregated for others
        ServerFn::new("map_page", Allowed::Page(Page::Map)),
        // ssr::settings::map: tile server and centre, for every signed-in page
        ServerFn::new("map_settings", Allowed::SignedIn),
        // one's own second factor: status, and the secret being set up (in the session)
        ServerFn::new("second_factor", Allowed::Page(Page::Account)),
        // ssr::shifts::tasking::create -> require(FollowUp)
        ServerFn::new("mark_focus_place", Allowed::Can(FollowUp)),
        // ssr::situation::meetings::get -> require(FollowUp); 404 unknown
        ServerFn::new("meeting_page", Allowed::Can(FollowUp)),
        // ssr::watch::send::{dismiss, send} -> require(FollowUp); 404 unknown alert
        ServerFn::new("pass_alert_on", Allowed::Page(Page::Watch)),
        // ssr::accounts::admin::set_driver -> manages_accounts, 404 unless access::manages; drivers only (access::in_driver_register)
        ServerFn::new("register_driver", Allowed::Page(Page::Admin)),
        // ssr::areas::remove -> require(EditPlaces); 404 unknown
        ServerFn::new("remove_area", Allowed::Page(Page::Places)),
        // Page::Report.require in the function
        ServerFn::new("report_page", Allowed::Page(Page::Report)),
        // ssr::accounts::admin::reset_password -> manages_accounts, 404 unless access::manages
        ServerFn::new("reset_user_password", Allowed::Page(Page::Admin)),
        // ssr::walks::rewalk -> require(PlanWalks); 404 without the earlier walk
        ServerFn::new("rewalk", Allowed::Can(PlanWalks)),
        // ssr::areas::{create, update} -> require(EditPlaces)
        ServerFn::new("save_area", Allowed::Page(Page::Places)),
        // ssr::situation::meetings::set_decisions -> require(FollowUp); 404 unknown
        ServerFn::new("save_decisions", Allowed::Can(FollowUp)),
        // ssr::settings::set_map -> require(ConfigureSystem)
        ServerFn::new("save_map_settings", Allowed::Can(ConfigureSystem)),
        // ssr::settings::retention::set_settings -> require(ConfigureSystem)
        ServerFn::new("save_retention", Allowed::Can(ConfigureSystem)),
        // ssr::watch::areas::set_area -> require(KeepContactPersons)
        ServerFn::new("save_watch_area", Allowed::Can(KeepContactPersons)),
        // ssr::watch::scan::scan_as -> require(FollowUp)
        ServerFn::new("scan_alerts", Allowed::Page(Page::Watch)),
        // require(Drive) in the function
        ServerFn::new("shift_page", Allowed::Page(Page::Shifts)),
        // Page::Situation.require in the function; meetings only with ReadRestrictedReports
        ServerFn::new("situation_page", Allowed::Page(Page::Situation)),
        // ssr::situation::points::list -> require(ReadRestrictedReports)
        ServerFn::new("situation_points", Allowed::Can(ReadRestrictedReports)),
        // ssr::follow_up::strategy::overview -> check
        ServerFn::new("strategy_overview", Allowed::Page(Page::Strategy)),
        // ssr::follow_up::strategy::page -> check; 404 unknown code
        ServerFn::new("strategy_page", Allowed::Page(Page::Strategy)),
        // ssr::follow_up::todo::list -> require(FollowUp)
        ServerFn::new("todo", Allowed::Page(Page::Todo)),
        // actions for those who keep them (FollowUp), an empty list for others
        ServerFn::new("walk_actions", Allowed::SignedIn),
        // ssr::walks::get: participants only their own walk (404)
        ServerFn::new("walk_page", Allowed::Page(Page::WalkCapture)),
        // Page::Walks.require in the function
        ServerFn::new("walks_page", Allowed::Page(Page::Walks)),
        // ssr::watch::alerts::list_alerts -> require(FollowUp); contacts only for require(KeepContactPersons)
        ServerFn::new("watch_page", Allowed::Page(Page::Watch)),
        // ssr::shifts::briefing::write_briefing -> require(FollowUp)
        ServerFn::new("write_briefing", Allowed::Can(FollowUp)),
        // ssr::incidents::list/notices (Page::Incidents.require): rows within access::reach
        ServerFn::new("incidents_page", Allowed::Page(Page::Incidents)),
        // ssr::incidents::nearby: rows within access::reach(ReadIncidentReports)
        ServerFn::new("nearby_reports", Allowed::Can(ReadIncidentReports)),
        // ssr::incidents::mark_notices_seen: the user's own notices only
        ServerFn::new("notices_seen", Allowed::SignedIn),
        // ssr::incidents::review::queue -> require(ReviewReports)
        ServerFn::new("review_page", Allowed::Page(Page::Review)),
        // ssr::incidents::review::decide -> require(ReviewReports)
        ServerFn::new("decide_report", Allowed::Page(Page::Review)),
        // ssr::incidents::organisations::list -> require(ManageOrganisations)
        ServerFn::new("organisations_page", Allowed::Page(Page::Organisations)),
        // ssr::incidents::organisations::{create, update} -> require(ManageOrganisations)
        ServerFn::new("save_organisation", Allowed::Page(Page::Organisations)),
        // ssr::incidents::organisations::add_focus_place -> require(ManageOrganisations)
        ServerFn::new("add_partner_focus", Allowed::Page(Page::Organisations)),
        // no sign-in: the public form's categories and map
        ServerFn::new("tip_page", Allowed::Anyone),
        // no sign-in: ssr::incidents::tips::submit limits per client address
        ServerFn::new("send_tip", Allowed::Anyone),
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
}
