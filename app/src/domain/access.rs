//! Which pages each role may open: one table, used by the server to answer full page
//! loads with the right status (redirect to login, 403) and by the UI to show the
//! navigation and the "no access" view after client-side navigation. Data itself is
//! always checked again in the server function or API route that returns it.

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

#[cfg(test)]
mod tests {
    use super::*;

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
