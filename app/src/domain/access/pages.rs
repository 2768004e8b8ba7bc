//! The pages of the app and who may open them: the server applies [`page_access`] to every
//! full page load, the UI [`Page::allows`] to the navigation and the "no access" view.

use super::{role_may, Capability};
use crate::domain::role::Role;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::i18n::Lang;

/// A page of the app (or a group of pages under one path), reached from the navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// "Att göra": the start page of those who follow up, what is due (`domain::todo`).
    Todo,
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
    /// A partner's reporter: incident reports, their status, next week's focus places
    /// (`domain::incident`).
    Incidents,
    /// The coordinator's review of incident reports and residents' tips.
    Review,
    /// The partner organisations and their reporters.
    Organisations,
}

impl Page {
    pub const ALL: [Page; 17] = [
        Page::Todo,
        Page::Map,
        Page::Walks,
        Page::Shifts,
        Page::Report,
        Page::Situation,
        Page::Admin,
        Page::WalkCapture,
        Page::Places,
        Page::Actions,
        Page::Strategy,
        Page::Interventions,
        Page::Watch,
        Page::Account,
        Page::Incidents,
        Page::Review,
        Page::Organisations,
    ];
    /// The menu's order for those who follow up: their desk work first.
    const DESK_ORDER: [Page; 17] = [
        Page::Todo,
        Page::Review,
        Page::Situation,
        Page::Map,
        Page::Actions,
        Page::Walks,
        Page::Strategy,
        Page::Interventions,
        Page::Watch,
        Page::Places,
        Page::Organisations,
        Page::Shifts,
        Page::Report,
        Page::Admin,
        Page::WalkCapture,
        Page::Incidents,
        Page::Account,
    ];
    /// The menu's order for everyone else: the field first.
    const FIELD_ORDER: [Page; 17] = [
        Page::Incidents,
        Page::WalkCapture,
        Page::Map,
        Page::Shifts,
        Page::Report,
        Page::Admin,
        Page::Walks,
        Page::Situation,
        Page::Places,
        Page::Todo,
        Page::Actions,
        Page::Strategy,
        Page::Interventions,
        Page::Watch,
        Page::Review,
        Page::Organisations,
        Page::Account,
    ];
    /// How many of a menu's pages a phone's bottom bar holds; the rest are under "Mer".
    pub const BAR: usize = 4;

    /// Every page `role` may open, in the order its menu shows them. A walk's page is in
    /// the menu only for those who reach their walk by code; the others open it from
    /// Vandringar.
    pub fn menu(role: Role) -> Vec<Page> {
        let order = if role_may(role, Capability::FollowUp) {
            Page::DESK_ORDER
        } else {
            Page::FIELD_ORDER
        };
        order
            .into_iter()
            .filter(|page| page.allows(role))
            .filter(|page| *page != Page::WalkCapture || !role_may(role, Capability::ReadEveryWalk))
            .collect()
    }

    /// Where a signed-in user starts: the first page of their menu.
    pub fn start(role: Role) -> Page {
        Page::menu(role).first().copied().unwrap_or(Page::Map)
    }

    pub fn path(self) -> &'static str {
        match self {
            Page::Todo => "/att-gora",
            Page::Map => "/karta",
            Page::Walks => "/vandringar",
            Page::Shifts => "/pass",
            Page::Situation => "/lagesbild",
            Page::Admin => "/admin",
            Page::WalkCapture => "/vandring",
            Page::Report => "/rapport",
            Page::Places => "/omraden",
            Page::Actions => "/atgarder",
            Page::Strategy => "/strategiomraden",
            Page::Interventions => "/insatser",
            Page::Watch => "/grannsamverkan",
            Page::Account => "/konto",
            Page::Incidents => "/handelser",
            Page::Review => "/granskning",
            Page::Organisations => "/organisationer",
        }
    }

    /// Where the page is for `user`: a participant's walk page is their walk.
    pub fn href(self, user: &CurrentUser) -> String {
        match (self, user.walk) {
            (Page::WalkCapture, Some(walk)) => format!("{}/{walk}", self.path()),
            _ => self.path().to_owned(),
        }
    }

    /// The page a path belongs to, or `None` for pages anyone may open (login, health…).
    pub fn of_path(path: &str) -> Option<Page> {
        let mut segments = path.trim_start_matches('/').split('/');
        let first = segments.next().unwrap_or("");
        if first == "vandring" && segments.next().is_none_or(str::is_empty) {
            return None;
        }
        Page::ALL
            .into_iter()
            .find(|page| page.path().trim_start_matches('/') == first)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Page::Todo => lang.pick("Att göra", "To do"),
            Page::Map => lang.pick("Karta", "Map"),
            Page::Walks => lang.pick("Vandringar", "Walks"),
            Page::Shifts => lang.pick("Pass", "Shifts"),
            Page::Situation => lang.pick("Lägesbild", "Situation"),
            Page::Admin => lang.pick("Administration", "Administration"),
            Page::WalkCapture => lang.pick("Min vandring", "My walk"),
            Page::Report => lang.pick("Rapport", "Report"),
            Page::Places => lang.pick("Områden", "Areas"),
            Page::Actions => lang.pick("Åtgärder", "Actions"),
            Page::Strategy => lang.pick("Strategiområden", "Strategy areas"),
            Page::Interventions => lang.pick("Insatser", "Interventions"),
            Page::Watch => lang.pick("Grannsamverkan", "Neighbourhood watch"),
            Page::Account => lang.pick("Mitt konto", "My account"),
            Page::Incidents => lang.pick("Händelser", "Incidents"),
            Page::Review => lang.pick("Granskning", "Review"),
            Page::Organisations => lang.pick("Organisationer", "Organisations"),
        }
    }

    /// What opens the page: any one of these capabilities; none listed, every signed-in
    /// user.
    pub fn opened_by(self) -> &'static [Capability] {
        use Capability::*;
        match self {
            Page::Map => &[],
            Page::Todo => &[FollowUp],
            // Participants reach their own walk by join code, not through the walk list.
            Page::Walks => &[ReadEveryWalk],
            Page::Shifts => &[Drive],
            // Lägesbild shows hotspots built from restricted reports, aggregated for those
            // who may not read them. (Drivers still get the aggregated layer from
            // `/api/v1/hotspots`, see docs/hotspots.md.)
            Page::Situation => &[ReadSummaries],
            // Accounts, the driver register, categories, settings and the log.
            Page::Admin => &[
                ManageVolunteers,
                ManageStaff,
                CurateCategories,
                ConfigureSystem,
                ReadAuditLog,
            ],
            // Membership of the walk is checked with the data.
            Page::WalkCapture => &[ReportWalkFindings],
            Page::Report => &[ReportDrugScenes],
            // Everyone signed in reads the names through the data they label.
            Page::Places => &[EditPlaces],
            // An action's title and place can say as much as the restricted report it
            // answers; strategy areas and effect reports count restricted reports; alerts
            // count burglary-related ones.
            Page::Actions | Page::Strategy | Page::Interventions | Page::Watch => &[FollowUp],
            // Participants have no password; their account belongs to their walk.
            Page::Account => &[OwnAccount],
            Page::Incidents => &[ReportIncidents],
            Page::Review => &[ReviewReports],
            Page::Organisations => &[ManageOrganisations],
        }
    }

    pub fn allows(self, role: Role) -> bool {
        let needed = self.opened_by();
        needed.is_empty() || needed.iter().any(|&capability| role_may(role, capability))
    }

    /// [`Page::allows`], as the refusal a page's own server function answers with (403).
    pub fn require(self, user: &CurrentUser) -> Result<(), AppError> {
        if self.allows(user.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
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
    match (Page::of_path(path), role) {
        (None, _) => Access::Open,
        (Some(_), None) => Access::NeedsLogin,
        (Some(page), Some(role)) if page.allows(role) => Access::Allowed,
        (Some(_), Some(_)) => Access::Forbidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's role table says which pages each role may open; it must say what
    /// [`Page::allows`] does (the walk page and "Mitt konto" are described beside it).
    #[test]
    fn the_readme_role_table_matches_the_page_rules() {
        let readme = include_str!("../../../../README.md");
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
            let named: Vec<Page> = plain
                .split(',')
                .filter_map(|word| {
                    Page::ALL
                        .into_iter()
                        .find(|page| page.label(Lang::Sv) == word.trim())
                })
                .collect();
            for page in Page::ALL {
                if matches!(page, Page::WalkCapture | Page::Account) {
                    continue;
                }
                assert_eq!(
                    named.contains(&page),
                    page.allows(role),
                    "README, {role}: {}",
                    page.label(Lang::Sv)
                );
            }
        }
    }

    /// Every page a role may open is in its menu (a walk's page through Vandringar for
    /// those who read every walk), and nothing else is.
    #[test]
    fn every_page_a_role_may_open_is_in_its_menu() {
        for role in Role::ALL {
            let menu = Page::menu(role);
            for page in Page::ALL {
                let through_walks = page == Page::WalkCapture && role_may(role, Capability::ReadEveryWalk);
                assert_eq!(
                    menu.contains(&page),
                    page.allows(role) && !through_walks,
                    "{role}: {}",
                    page.label(Lang::Sv)
                );
                if through_walks {
                    assert!(
                        menu.contains(&Page::Walks),
                        "{role} reaches walks through Vandringar"
                    );
                }
            }
        }
    }

    #[test]
    fn those_who_follow_up_start_at_todo_and_participants_at_their_walk() {
        assert_eq!(Page::start(Role::Coordinator), Page::Todo);
        assert_eq!(Page::start(Role::Police), Page::Todo);
        assert_eq!(Page::start(Role::Participant), Page::WalkCapture);
        assert_eq!(Page::start(Role::Volunteer), Page::Map);
        assert_eq!(
            &Page::menu(Role::Volunteer)[..3],
            [Page::Map, Page::Shifts, Page::Report]
        );
        assert!(Page::menu(Role::Admin)[..Page::BAR].contains(&Page::Admin));
    }

    #[test]
    fn lagesbild_is_for_police_coordinators_and_admins() {
        assert_eq!(page_access("/lagesbild", Some(Role::Police)), Access::Allowed);
        assert_eq!(
            page_access("/lagesbild", Some(Role::Coordinator)),
            Access::Allowed
        );
        assert_eq!(page_access("/lagesbild", Some(Role::Admin)), Access::Allowed);
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
