//! Who may do what: the one place where roles are named.
//!
//! A role is a set of [`Capability`]s, given once in [`grants`]. Everything else asks
//! what a user *may do*, never which role they have: the page table ([`pages`]), the REST
//! table ([`rest`]) and the server-function table ([`server_fns`]), whose rows are
//! [`gate::Allowed`] rules the server applies before any page, route or function runs,
//! and the record-level checks in the code that reads records ([`require`], [`may`],
//! [`may_given`]). A source check in
//! `make lint` (`tools/house`) fails when code outside this file compares roles.

pub mod gate;
pub mod pages;
pub mod rest;
pub mod server_fns;

use super::role::Role;
use super::user::CurrentUser;
use crate::error::AppError;
use crate::i18n::Lang;

/// Something a user may do. Each is given to roles in [`grants`], once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Capability {
    /// Pin findings on a trygghetsvandring (on the walks they joined, see [`Capability::ReadEveryWalk`]).
    ReportWalkFindings,
    /// See every walk (Vandringar) and pin findings on any of them; without it, only the
    /// walks one joined by code.
    ReadEveryWalk,
    /// Plan, close and re-walk trygghetsvandringar, hand out their codes.
    PlanWalks,
    /// Drive grannstöd shifts (Pass): log patrol observations, read the police briefing
    /// and the focus places.
    Drive,
    /// Report open drug scenes (Rapport).
    ReportDrugScenes,
    /// Read other people's reports that are not restricted.
    ReadInternalReports,
    /// Read restricted reports (drug scenes) and every report's exact position: the
    /// lägesbild's points, camera candidates, exports in full.
    ReadRestrictedReports,
    /// Read the police's focus places exactly (position, title, note); drivers only once
    /// they have signed the confidentiality agreement.
    ReadExactFocusPlaces,
    /// Read the lägesbild and the monthly shift report: hotspots and counts, aggregated
    /// unless [`Capability::ReadRestrictedReports`] is given too.
    ReadSummaries,
    /// Follow up what the picture shows: actions, strategy areas, interventions,
    /// grannsamverkan alerts, lägesbild meetings, the briefing and focus places for the
    /// drivers, and the drivers' shifts.
    FollowUp,
    /// File a report under another strategy area or move its status on.
    ReclassifyReports,
    /// Read and keep the contact persons of grannsamverkan areas (personal data).
    KeepContactPersons,
    /// Draw and rename the named areas and the municipality boundary.
    EditPlaces,
    /// Add, rename, order and retire categories.
    CurateCategories,
    /// Manage the volunteers' accounts and keep the driver register.
    ManageVolunteers,
    /// Manage the accounts of admins, coordinators and police.
    ManageStaff,
    /// Change the map and retention settings.
    ConfigureSystem,
    /// Read the audit log.
    ReadAuditLog,
    /// Have an account of one's own (Mitt konto): a password, a second factor, one's
    /// own shifts after a change of role.
    OwnAccount,
    /// Send incident reports (händelserapporter) for one's partner organisation.
    ReportIncidents,
    /// Read incident reports in full, with their status and the review's decision; a
    /// reporter only those of their own organisation ([`Scope::OwnOrganisation`]).
    ReadIncidentReports,
    /// Review incident reports before they count: accept, correct, reject, merge.
    ReviewReports,
    /// Register partner organisations, deactivate them, and set their focus places.
    ManageOrganisations,
}

/// The part of the records a capability may be limited to ([`Grant::Within`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The records of the user's own partner organisation (`CurrentUser::organisation`).
    OwnOrganisation,
}

/// How far a user may do a capability: [`reach`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    Everywhere,
    Organisation(crate::domain::ids::OrganisationId),
    Nowhere,
}

/// A fact about the user, beyond their role, that a capability can depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    /// The driver has signed the confidentiality agreement (tystnadslöfte; the driver
    /// register, `domain::admin::Driver`).
    ConfidentialityAgreement,
}

/// What a role is given: always, or only when a [`Condition`] holds for the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    Always,
    If(Condition),
    /// Only on the records within a scope: the gate admits the role, the code that reads
    /// the records limits them ([`reach`]).
    Within(Scope),
}

impl Capability {
    pub const ALL: [Capability; 23] = [
        Capability::ReportWalkFindings,
        Capability::ReadEveryWalk,
        Capability::PlanWalks,
        Capability::Drive,
        Capability::ReportDrugScenes,
        Capability::ReadInternalReports,
        Capability::ReadRestrictedReports,
        Capability::ReadExactFocusPlaces,
        Capability::ReadSummaries,
        Capability::FollowUp,
        Capability::ReclassifyReports,
        Capability::KeepContactPersons,
        Capability::EditPlaces,
        Capability::CurateCategories,
        Capability::ManageVolunteers,
        Capability::ManageStaff,
        Capability::ConfigureSystem,
        Capability::ReadAuditLog,
        Capability::OwnAccount,
        Capability::ReportIncidents,
        Capability::ReadIncidentReports,
        Capability::ReviewReports,
        Capability::ManageOrganisations,
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        use Capability::*;
        match self {
            ReportWalkFindings => lang.pick(
                "Pinna fynd på en trygghetsvandring",
                "Pin findings on a safety walk",
            ),
            ReadEveryWalk => lang.pick(
                "Se alla vandringar och pinna fynd på dem",
                "See every walk and pin findings on it",
            ),
            PlanWalks => lang.pick("Planera och avsluta vandringar", "Plan and close walks"),
            Drive => lang.pick(
                "Köra grannstödspass, läsa lägesinformationen",
                "Drive patrol shifts, read the briefing",
            ),
            ReportDrugScenes => lang.pick("Rapportera öppna drogscener", "Report open drug scenes"),
            ReadInternalReports => lang.pick(
                "Läsa andras rapporter som inte är skyddade",
                "Read others' reports that are not restricted",
            ),
            ReadRestrictedReports => lang.pick(
                "Läsa skyddade rapporter och exakta positioner",
                "Read restricted reports and exact positions",
            ),
            ReadExactFocusPlaces => lang.pick(
                "Se polisens fokusplatser exakt",
                "See the police's focus places exactly",
            ),
            ReadSummaries => lang.pick(
                "Läsa lägesbilden och passrapporten",
                "Read the situation picture and the shift report",
            ),
            FollowUp => lang.pick(
                "Följa upp: åtgärder, strategiområden, insatser, larm, möten",
                "Follow up: actions, strategy areas, interventions, alerts, meetings",
            ),
            ReclassifyReports => lang.pick("Klassa om rapporter", "Reclassify reports"),
            KeepContactPersons => lang.pick(
                "Hålla grannsamverkans kontaktpersoner",
                "Keep the neighbourhood-watch contact persons",
            ),
            EditPlaces => lang.pick("Rita och ändra områden", "Draw and change areas"),
            CurateCategories => lang.pick("Hålla kategorierna", "Keep the categories"),
            ManageVolunteers => lang.pick(
                "Hantera förarnas och rapportörernas konton och förarregistret",
                "Manage the drivers' and reporters' accounts and the driver register",
            ),
            ManageStaff => lang.pick(
                "Hantera konton för administratörer, samordnare och polis",
                "Manage admin, coordinator and police accounts",
            ),
            ConfigureSystem => lang.pick(
                "Ändra kart- och gallringsinställningar",
                "Change map and retention settings",
            ),
            ReadAuditLog => lang.pick("Läsa loggen", "Read the audit log"),
            OwnAccount => lang.pick(
                "Eget konto med lösenord",
                "An account with a password of one's own",
            ),
            ReportIncidents => lang.pick(
                "Skicka händelserapporter för sin organisation",
                "Send incident reports for one's organisation",
            ),
            ReadIncidentReports => lang.pick(
                "Läsa händelserapporter i sin helhet",
                "Read incident reports in full",
            ),
            ReviewReports => lang.pick(
                "Granska händelserapporter och tips",
                "Review incident reports and tips",
            ),
            ManageOrganisations => lang.pick(
                "Hantera samverkansorganisationer och deras fokusplatser",
                "Manage partner organisations and their focus places",
            ),
        }
    }
}

/// What each role is given. This is the table; every rule in the app is read from it.
pub fn grants(role: Role) -> &'static [(Capability, Grant)] {
    use Capability::*;
    use Grant::Always;
    match role {
        Role::Admin => &[
            (ReportWalkFindings, Always),
            (ReadEveryWalk, Always),
            (PlanWalks, Always),
            (ReadInternalReports, Always),
            (ReadSummaries, Always),
            (EditPlaces, Always),
            (CurateCategories, Always),
            (ManageVolunteers, Always),
            (ManageStaff, Always),
            (ConfigureSystem, Always),
            (ReadAuditLog, Always),
            (OwnAccount, Always),
            (ManageOrganisations, Always),
        ],
        Role::Coordinator => &[
            (ReportWalkFindings, Always),
            (ReadEveryWalk, Always),
            (PlanWalks, Always),
            (Drive, Always),
            (ReportDrugScenes, Always),
            (ReadInternalReports, Always),
            (ReadRestrictedReports, Always),
            (ReadExactFocusPlaces, Always),
            (ReadSummaries, Always),
            (FollowUp, Always),
            (ReclassifyReports, Always),
            (KeepContactPersons, Always),
            (EditPlaces, Always),
            (CurateCategories, Always),
            (ManageVolunteers, Always),
            (OwnAccount, Always),
            (ReadIncidentReports, Always),
            (ReviewReports, Always),
            (ManageOrganisations, Always),
        ],
        Role::Police => &[
            (ReportWalkFindings, Always),
            (ReadEveryWalk, Always),
            (Drive, Always),
            (ReportDrugScenes, Always),
            (ReadInternalReports, Always),
            (ReadRestrictedReports, Always),
            (ReadExactFocusPlaces, Always),
            (ReadSummaries, Always),
            (FollowUp, Always),
            (OwnAccount, Always),
            (ReadIncidentReports, Always),
        ],
        Role::Volunteer => &[
            (ReportWalkFindings, Always),
            (ReadEveryWalk, Always),
            (Drive, Always),
            (ReportDrugScenes, Always),
            (ReadInternalReports, Always),
            (
                ReadExactFocusPlaces,
                Grant::If(Condition::ConfidentialityAgreement),
            ),
            (OwnAccount, Always),
        ],
        Role::Participant => &[(ReportWalkFindings, Always)],
        // Their own organisation's reports in full, everything else only as the
        // aggregated lägesbild; nothing restricted.
        Role::Reporter => &[
            (ReportIncidents, Always),
            (ReadIncidentReports, Grant::Within(Scope::OwnOrganisation)),
            (ReadSummaries, Always),
            (OwnAccount, Always),
        ],
    }
}

/// How `role` is given `capability`, if at all.
pub fn grant(role: Role, capability: Capability) -> Option<Grant> {
    grants(role)
        .iter()
        .find(|(given, _)| *given == capability)
        .map(|(_, grant)| *grant)
}

/// Whether `role` is given `capability` whatever else holds. For the tables, which know
/// only the role; code that has the user asks [`may`].
pub fn role_may(role: Role, capability: Capability) -> bool {
    grant(role, capability) == Some(Grant::Always)
}

/// Whether `user` may do `capability`, on their role alone.
pub fn may(user: &CurrentUser, capability: Capability) -> bool {
    role_may(user.role, capability)
}

/// How far `user` may do `capability`: everywhere, on their own organisation's records
/// only, or not at all (a grant on a [`Condition`] is asked through [`may_given`]).
pub fn reach(user: &CurrentUser, capability: Capability) -> Reach {
    match grant(user.role, capability) {
        Some(Grant::Always) => Reach::Everywhere,
        Some(Grant::Within(Scope::OwnOrganisation)) => {
            user.organisation.map_or(Reach::Nowhere, Reach::Organisation)
        }
        Some(Grant::If(_)) | None => Reach::Nowhere,
    }
}

/// [`may`], as the refusal a server function or route answers with (403).
pub fn require(user: &CurrentUser, capability: Capability) -> Result<(), AppError> {
    if may(user, capability) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether `user` may do `capability`, given what holds for them (`holds` is asked only
/// when the role's grant depends on it).
pub fn may_given(user: &CurrentUser, capability: Capability, holds: impl FnOnce(Condition) -> bool) -> bool {
    match grant(user.role, capability) {
        Some(Grant::Always) => true,
        Some(Grant::If(condition)) => holds(condition),
        Some(Grant::Within(_)) | None => false,
    }
}

/// Whether `role` is given `capability` only on a [`Condition`]: the facts behind it are
/// kept for such accounts (the driver register for drivers).
pub fn depends_on(role: Role, capability: Capability, condition: Condition) -> bool {
    grant(role, capability) == Some(Grant::If(condition))
}

/// Whether accounts of `role` are in the driver register: those whose view of the focus
/// places depends on the confidentiality agreement the register records.
pub fn in_driver_register(role: Role) -> bool {
    depends_on(
        role,
        Capability::ReadExactFocusPlaces,
        Condition::ConfidentialityAgreement,
    )
}

/// The capability that manages accounts of `target`'s role, or `None` for accounts nobody
/// manages (participants' accounts belong to their walk).
pub fn managed_by(target: Role) -> Option<Capability> {
    match target {
        Role::Volunteer | Role::Reporter => Some(Capability::ManageVolunteers),
        Role::Admin | Role::Coordinator | Role::Police => Some(Capability::ManageStaff),
        Role::Participant => None,
    }
}

/// Whether `actor` may manage an account whose role is `target`.
pub fn manages(actor: Role, target: Role) -> bool {
    managed_by(target).is_some_and(|capability| role_may(actor, capability))
}

/// Whether `role` may manage any accounts at all (the administration's account list).
pub fn manages_accounts(role: Role) -> bool {
    Role::ALL.into_iter().any(|target| manages(role, target))
}

/// Whether accounts of `role` belong to a partner organisation: those who report for one.
pub fn has_organisation(role: Role) -> bool {
    role_may(role, Capability::ReportIncidents)
}

/// The role of an account made when someone joins a walk by its code, without one.
pub const JOINS_BY_CODE: Role = Role::Participant;

/// The role of the first account on an empty database: the one that gives everyone else
/// theirs.
pub const FIRST_ACCOUNT: Role = Role::Admin;

/// Whether `TRYGGKARTA_REQUIRE_MFA` applies to `role`: those who see exact positions of
/// restricted reports in the field or administer every account.
pub fn second_factor_required(role: Role) -> bool {
    matches!(role, Role::Police | Role::Admin)
}

/// The role a new account gets unless the maker chooses another: most accounts made are
/// drivers'.
pub fn usual_new_role(maker: Role) -> Option<Role> {
    let roles: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|&role| manages(maker, role))
        .collect();
    roles
        .iter()
        .copied()
        .find(|&role| managed_by(role) == Some(Capability::ManageVolunteers))
        .or_else(|| roles.first().copied())
}

/// The capability table as a Markdown table, as the README shows it (a test keeps the two
/// the same).
pub fn capability_table() -> String {
    let mut table = String::from("| may | ");
    table += &Role::ALL.map(|role| format!("`{}`", role.as_str())).join(" | ");
    table += " |\n|---|";
    table += &"---|".repeat(Role::ALL.len());
    table.push('\n');
    for capability in Capability::ALL {
        table += &format!("| {} (`{capability:?}`) |", capability.label(Lang::En));
        for role in Role::ALL {
            table += match grant(role, capability) {
                Some(Grant::Always) => " ✓ |",
                Some(Grant::If(Condition::ConfidentialityAgreement)) => {
                    " after the confidentiality agreement |"
                }
                Some(Grant::Within(Scope::OwnOrganisation)) => " own organisation's |",
                None => " |",
            };
        }
        table.push('\n');
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_capability_is_given_once_per_role() {
        for role in Role::ALL {
            let mut seen = std::collections::HashSet::new();
            for (capability, _) in grants(role) {
                assert!(seen.insert(capability), "{role}: {capability:?} twice");
            }
        }
        for capability in Capability::ALL {
            assert!(
                Role::ALL
                    .into_iter()
                    .any(|role| grant(role, capability).is_some()),
                "{capability:?} is given to nobody"
            );
        }
    }

    /// The README shows the table as the code has it; paste this function's output there
    /// when the table changes.
    #[test]
    fn the_readme_capability_table_is_the_code_s() {
        let readme = include_str!("../../../README.md");
        let table = capability_table();
        assert!(
            readme.contains(&table),
            "README.md must contain the capability table as the code has it:\n{table}"
        );
    }

    #[test]
    fn admins_manage_every_account_coordinators_the_volunteers_and_nobody_participants() {
        for target in [
            Role::Admin,
            Role::Coordinator,
            Role::Police,
            Role::Volunteer,
            Role::Reporter,
        ] {
            assert!(manages(Role::Admin, target), "{target}");
            assert_eq!(
                manages(Role::Coordinator, target),
                matches!(target, Role::Volunteer | Role::Reporter),
                "{target}"
            );
            for actor in [Role::Police, Role::Volunteer, Role::Participant, Role::Reporter] {
                assert!(!manages(actor, target), "{actor} → {target}");
            }
        }
        assert!(Role::ALL.iter().all(|&actor| !manages(actor, Role::Participant)));
        assert_eq!(usual_new_role(Role::Admin), Some(Role::Volunteer));
        assert_eq!(usual_new_role(Role::Coordinator), Some(Role::Volunteer));
        assert_eq!(usual_new_role(Role::Police), None);
    }

    #[test]
    fn drivers_see_focus_places_exactly_only_after_the_confidentiality_agreement() {
        let user = |role| CurrentUser {
            id: super::super::user::UserId(uuid::Uuid::nil()),
            email: String::new(),
            display_name: String::new(),
            role,
            must_change_password: false,
            walk: None,
            organisation: None,
        };
        let focus = Capability::ReadExactFocusPlaces;
        assert!(may_given(&user(Role::Volunteer), focus, |_| true));
        assert!(!may_given(&user(Role::Volunteer), focus, |_| false));
        assert!(!may(&user(Role::Volunteer), focus));
        assert!(may_given(&user(Role::Police), focus, |_| false));
        assert!(!may_given(&user(Role::Participant), focus, |_| true));
        assert!(!may_given(&user(Role::Admin), focus, |_| true));
        assert!(depends_on(
            Role::Volunteer,
            focus,
            Condition::ConfidentialityAgreement
        ));
        assert!(!depends_on(
            Role::Police,
            focus,
            Condition::ConfidentialityAgreement
        ));
    }
}
