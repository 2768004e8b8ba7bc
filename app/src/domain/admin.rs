//! Administration without a shell: accounts (create, change role, disable, new password,
//! end sessions), the municipality's register of grannstöd drivers ("administrera
//! gemensamt register för förare", plan 6.2) and the log of who changed what.
//!
//! Admins manage every account. Coordinators, who recruit and train the drivers, manage
//! the volunteer accounts and keep the driver register. Nobody changes their own role or
//! disables themselves, so an administration can never lock itself out.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::access::{managed_by, manages, Capability, Condition};
use super::action::parse_date;
use super::category::Category;
use super::ids::UserId;
use super::role::Role;
use crate::domain::code::Code;
use crate::error::AppError;
use crate::i18n::Lang;

pub const MAX_NAME: usize = 120;
pub const MAX_VEHICLES: usize = 10;
pub const MAX_VEHICLE: usize = 80;
pub const MAX_NOTE: usize = 2_000;

/// An account as the administration lists it (never its password).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    /// Unix milliseconds.
    pub created_at: i64,
    /// The account's row in the driver register, if it has one.
    pub driver: Option<Driver>,
}

/// One driver in the register.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    /// YYYY-MM-DD: the day the driver finished the grannstöd training.
    pub trained_on: Option<String>,
    /// The vehicles the driver may take out.
    pub vehicles: Vec<String>,
    /// YYYY-MM-DD: the day the driver signed the confidentiality agreement
    /// (tystnadslöfte). Only then does the driver see exact focus places.
    pub confidentiality_signed_on: Option<String>,
    pub note: String,
}

/// A new account; the server chooses its first password and shows it once.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewUser {
    pub email: String,
    #[serde(default)]
    pub display_name: String,
    pub role: Role,
    /// The partner organisation a reporter reports for: given for them, for nobody else.
    #[serde(default)]
    pub organisation: Option<super::ids::OrganisationId>,
}

/// What changes about an account; absent fields stay as they are.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountChange {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub role: Option<Role>,
    /// `true` disables the account and ends its sessions; `false` enables it again.
    #[serde(default)]
    pub disabled: Option<bool>,
}

/// An account together with a password that is shown this once and never stored in
/// clear: after creating the account or resetting its password.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WithPassword {
    pub account: Account,
    pub password: String,
}

/// One entry of the change log.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Unix milliseconds.
    pub at: i64,
    /// Who did it: name or e-mail; none for the system itself.
    pub actor: Option<String>,
    /// What was done, e.g. `account.disable`.
    pub action: String,
    /// What it was done to, e.g. the account's e-mail or a category id.
    pub subject: String,
    pub detail: String,
}

/// The audit log as CSV for Swedish Excel: time in Stockholm, who, what (code and words),
/// subject and detail with names instead of codes ([`in_names`]); text escaped for the
/// separator, and never read as a formula.
pub fn audit_csv(events: &[AuditEvent], categories: &[Category], lang: Lang) -> String {
    use super::shift::csv_field;
    let mut csv = String::from("\u{feff}tid;vem;handling;handling_text;gallde;detaljer\r\n");
    for event in events {
        let at = super::clock::from_unix_ms(event.at)
            .map(super::export::iso)
            .unwrap_or_default();
        let words = AuditAction::from_code(&event.action)
            .map(|action| action.label(lang))
            .unwrap_or_default();
        let row = [
            at,
            csv_field(event.actor.as_deref().unwrap_or("")),
            csv_field(&event.action),
            csv_field(words),
            csv_field(&in_names(&event.subject, categories, lang)),
            csv_field(&in_names(&event.detail, categories, lang)),
        ];
        csv.push_str(&row.join(";"));
        csv.push_str("\r\n");
    }
    csv
}

/// Names instead of codes in a log line: whole words that are a role's code ("police")
/// or a category's id ("walk.lighting") become the role's or the category's name; the
/// rest is left as the server wrote it. E-mail addresses stay whole words, so
/// "admin@kommun.se" is not taken for a role.
pub fn in_names(text: &str, categories: &[Category], lang: Lang) -> String {
    let word = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+');
    let name = |code: &str| {
        Role::from_code(code)
            .map(|role| role.label(lang).to_owned())
            .or_else(|| {
                categories
                    .iter()
                    .find(|category| category.id == code)
                    .map(|category| lang.pick(&category.label_sv, &category.label_en).to_owned())
            })
    };
    let mut named = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(word) {
        named.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail.find(|c: char| !word(c)).unwrap_or(tail.len());
        let token = &tail[..end];
        // A full stop after the word ends the sentence; it is not part of the code.
        let code = token.trim_end_matches('.');
        named.push_str(&name(code).unwrap_or_else(|| code.to_owned()));
        named.push_str(&token[code.len()..]);
        rest = &tail[end..];
    }
    named.push_str(rest);
    named
}

/// What an administrator did, as the log names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    AccountCreate,
    AccountRename,
    AccountRole,
    AccountDisable,
    AccountEnable,
    PasswordReset,
    SessionsEnd,
    DriverRegister,
    CategoryAdd,
    CategoryChange,
    MapSettings,
    /// The user changed their own password.
    PasswordChange,
    /// The user set up, or turned off, a second factor (an authenticator app).
    SecondFactorOn,
    SecondFactorOff,
    SignIn,
    /// A wrong password or unknown e-mail; the subject is the e-mail as typed.
    SignInFailed,
    /// A file of records left the app (CSV, GeoJSON); the subject says which.
    Export,
    /// A restricted record (a drug-scene report) was read by someone other than its
    /// reporter; the subject is its id, or the count for a list.
    RestrictedRead,
    /// Raw records past their retention period were deleted (`ssr::settings::retention`).
    Retention,
    /// A user's data was exported or erased on request (GDPR art. 15, 17).
    Gdpr,
    /// A partner organisation was registered, renamed or (de)activated.
    OrganisationChange,
    /// An incident report or a tip was accepted, rejected or merged; the subject is its id.
    ReportReview,
}

impl AuditAction {
    /// What a reader of the log must also be given to see entries of this action: the
    /// entries of restricted reads say how many restricted reports an export or a list
    /// held, and which, which those who may not read them must not learn — not even that
    /// there were any (docs/security.md, "Audit log").
    pub fn read_with(self) -> Option<Capability> {
        match self {
            AuditAction::RestrictedRead => Some(Capability::ReadRestrictedReports),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::AccountCreate => "account.create",
            AuditAction::AccountRename => "account.rename",
            AuditAction::AccountRole => "account.role",
            AuditAction::AccountDisable => "account.disable",
            AuditAction::AccountEnable => "account.enable",
            AuditAction::PasswordReset => "account.password_reset",
            AuditAction::SessionsEnd => "account.sessions_end",
            AuditAction::DriverRegister => "driver.register",
            AuditAction::CategoryAdd => "category.add",
            AuditAction::CategoryChange => "category.change",
            AuditAction::MapSettings => "settings.map",
            AuditAction::PasswordChange => "account.password_change",
            AuditAction::SecondFactorOn => "account.second_factor_on",
            AuditAction::SecondFactorOff => "account.second_factor_off",
            AuditAction::SignIn => "session.sign_in",
            AuditAction::SignInFailed => "session.sign_in_failed",
            AuditAction::Export => "data.export",
            AuditAction::RestrictedRead => "data.restricted_read",
            AuditAction::Retention => "data.retention",
            AuditAction::Gdpr => "data.gdpr",
            AuditAction::OrganisationChange => "organisation.change",
            AuditAction::ReportReview => "incident.review",
        }
    }

    pub const ALL: [AuditAction; 22] = [
        AuditAction::AccountCreate,
        AuditAction::AccountRename,
        AuditAction::AccountRole,
        AuditAction::AccountDisable,
        AuditAction::AccountEnable,
        AuditAction::PasswordReset,
        AuditAction::SessionsEnd,
        AuditAction::DriverRegister,
        AuditAction::CategoryAdd,
        AuditAction::CategoryChange,
        AuditAction::MapSettings,
        AuditAction::PasswordChange,
        AuditAction::SecondFactorOn,
        AuditAction::SecondFactorOff,
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::Export,
        AuditAction::RestrictedRead,
        AuditAction::Retention,
        AuditAction::Gdpr,
        AuditAction::OrganisationChange,
        AuditAction::ReportReview,
    ];

    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            AuditAction::AccountCreate => lang.pick("Konto skapat", "Account created"),
            AuditAction::AccountRename => lang.pick("Namn ändrat", "Name changed"),
            AuditAction::AccountRole => lang.pick("Roll ändrad", "Role changed"),
            AuditAction::AccountDisable => lang.pick("Konto avstängt", "Account disabled"),
            AuditAction::AccountEnable => lang.pick("Konto aktiverat", "Account enabled"),
            AuditAction::PasswordReset => lang.pick("Nytt lösenord", "Password reset"),
            AuditAction::SessionsEnd => lang.pick("Inloggningar avslutade", "Sessions ended"),
            AuditAction::DriverRegister => lang.pick("Förarregistret ändrat", "Driver register changed"),
            AuditAction::CategoryAdd => lang.pick("Kategori tillagd", "Category added"),
            AuditAction::CategoryChange => lang.pick("Kategori ändrad", "Category changed"),
            AuditAction::MapSettings => lang.pick("Kartans inställningar ändrade", "Map settings changed"),
            AuditAction::PasswordChange => lang.pick("Eget lösenord bytt", "Own password changed"),
            AuditAction::SecondFactorOn => lang.pick("Tvåstegsverifiering på", "Two-step verification on"),
            AuditAction::SecondFactorOff => lang.pick("Tvåstegsverifiering av", "Two-step verification off"),
            AuditAction::SignIn => lang.pick("Inloggning", "Signed in"),
            AuditAction::SignInFailed => lang.pick("Misslyckad inloggning", "Failed sign-in"),
            AuditAction::Export => lang.pick("Export", "Export"),
            AuditAction::RestrictedRead => lang.pick("Skyddad rapport läst", "Restricted report read"),
            AuditAction::Retention => lang.pick("Gallring", "Retention"),
            AuditAction::Gdpr => lang.pick("Begäran enligt GDPR", "GDPR request"),
            AuditAction::OrganisationChange => lang.pick("Organisation ändrad", "Organisation changed"),
            AuditAction::ReportReview => lang.pick("Rapport granskad", "Report reviewed"),
        }
    }
}

impl NewUser {
    pub fn validate(&self, actor: Role) -> Result<(), AppError> {
        if managed_by(self.role).is_none() {
            return Err(AppError::invalid(
                "role",
                "Deltagare får sitt konto när de går med i en vandring med koden.",
                "Participants get their account by joining a walk with its code.",
            ));
        }
        if !manages(actor, self.role) {
            return Err(AppError::Forbidden);
        }
        if super::access::has_organisation(self.role) != self.organisation.is_some() {
            return Err(AppError::invalid(
                "organisation",
                "En rapportör rapporterar för en organisation: välj den (och ingen för andra roller).",
                "A reporter reports for an organisation: choose it (and none for other roles).",
            ));
        }
        check_name(&self.display_name)
    }
}

impl AccountChange {
    /// Checks the change an `actor` wants to make to `target` (currently `current`).
    pub fn validate(&self, actor: Role, actor_is_target: bool, current: Role) -> Result<(), AppError> {
        if !manages(actor, current) || self.role.is_some_and(|role| !manages(actor, role)) {
            return Err(AppError::Forbidden);
        }
        if actor_is_target && (self.role.is_some_and(|role| role != current) || self.disabled == Some(true)) {
            return Err(AppError::invalid(
                if self.disabled == Some(true) {
                    "disabled"
                } else {
                    "role"
                },
                "Du kan inte ändra din egen roll eller stänga av ditt eget konto.",
                "You cannot change your own role or disable your own account.",
            ));
        }
        if self.role.is_some_and(|role| managed_by(role).is_none()) {
            return Err(AppError::invalid(
                "role",
                "Ett konto kan inte göras till deltagare.",
                "An account cannot be made a participant.",
            ));
        }
        if let Some(name) = &self.display_name {
            if name.trim().is_empty() {
                return Err(AppError::invalid(
                    "display_name",
                    "Namnet kan inte vara tomt.",
                    "The name cannot be empty.",
                ));
            }
            check_name(name)?;
        }
        Ok(())
    }
}

fn check_name(name: &str) -> Result<(), AppError> {
    if name.trim().chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "display_name",
            "Namnet får vara högst 120 tecken, utan radbrytningar.",
            "The name may be at most 120 characters, without line breaks.",
        ));
    }
    Ok(())
}

/// A driver-register entry as checked: trimmed, dates parsed and not in the future.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedDriver {
    pub trained_on: Option<NaiveDate>,
    pub vehicles: Vec<String>,
    pub confidentiality_signed_on: Option<NaiveDate>,
    pub note: String,
}

impl Driver {
    /// Whether the driver has signed the confidentiality agreement.
    pub fn bound_to_confidentiality(&self) -> bool {
        self.confidentiality_signed_on.is_some()
    }

    /// Whether a condition of the capability table (`domain::access`) holds for `driver`
    /// (an account's register entry, if it has one).
    pub fn holds(driver: Option<&Driver>, condition: Condition) -> bool {
        match condition {
            Condition::ConfidentialityAgreement => driver.is_some_and(Driver::bound_to_confidentiality),
        }
    }

    pub fn validate(&self, today: NaiveDate) -> Result<CheckedDriver, AppError> {
        let past_day = |field: &str, value: &Option<String>| -> Result<Option<NaiveDate>, AppError> {
            let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
                return Ok(None);
            };
            let day = parse_date(field, value)?;
            if day > today {
                return Err(AppError::invalid(
                    field,
                    "Datumet kan inte ligga i framtiden.",
                    "The date cannot be in the future.",
                ));
            }
            Ok(Some(day))
        };
        let trained_on = past_day("trained_on", &self.trained_on)?;
        let confidentiality_signed_on =
            past_day("confidentiality_signed_on", &self.confidentiality_signed_on)?;
        let mut vehicles: Vec<String> = Vec::new();
        for vehicle in self.vehicles.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
            if vehicle.chars().count() > MAX_VEHICLE || vehicle.chars().any(char::is_control) {
                return Err(AppError::invalid(
                    "vehicles",
                    "Ett fordon får ha högst 80 tecken, utan radbrytningar.",
                    "A vehicle may have at most 80 characters, without line breaks.",
                ));
            }
            if !vehicles.iter().any(|known| known.eq_ignore_ascii_case(vehicle)) {
                vehicles.push(vehicle.to_owned());
            }
        }
        if vehicles.len() > MAX_VEHICLES {
            return Err(AppError::invalid(
                "vehicles",
                "Högst 10 fordon per förare.",
                "At most 10 vehicles per driver.",
            ));
        }
        let note = self.note.trim();
        if note.chars().count() > MAX_NOTE {
            return Err(AppError::invalid(
                "note",
                "Anteckningen får vara högst 2 000 tecken.",
                "The note may be at most 2,000 characters.",
            ));
        }
        Ok(CheckedDriver {
            trained_on,
            vehicles,
            confidentiality_signed_on,
            note: note.to_owned(),
        })
    }
}

super::code::codes!(AuditAction);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::observation::{Kind, Sensitivity};

    fn lighting() -> Category {
        Category {
            id: "walk.lighting".into(),
            kind: Kind::WalkFinding,
            label_sv: "Belysning".into(),
            label_en: "Lighting".into(),
            strategy_area: "4.2".into(),
            sensitivity: Sensitivity::Internal,
            retired: false,
        }
    }

    #[test]
    fn the_log_names_roles_and_categories_instead_of_their_codes() {
        let categories = [lighting()];
        assert_eq!(
            in_names("volunteer → police", &categories, Lang::Sv),
            "Grannstödsförare → Polis"
        );
        assert_eq!(in_names("coordinator", &categories, Lang::En), "Coordinator");
        assert_eq!(in_names("walk.lighting", &categories, Lang::Sv), "Belysning");
        assert_eq!(
            in_names("drug.dealing, walk.lighting.", &categories, Lang::En),
            "drug.dealing, Lighting."
        );
    }

    #[test]
    fn the_log_leaves_addresses_and_other_words_alone() {
        let categories = [lighting()];
        for text in [
            "admin@kommun.se",
            "utbildad 2026-03-14, fordon: Grannstödsbil Bro",
            "",
            "10.0.0.1 (avstängt)",
        ] {
            assert_eq!(in_names(text, &categories, Lang::Sv), text);
        }
    }

    #[test]
    fn every_logged_action_reads_back_from_its_code() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(action.as_str()), Some(action));
        }
        assert_eq!(AuditAction::from_code("account.drop"), None);
    }

    #[test]
    fn nobody_locks_themselves_out() {
        let demote = AccountChange {
            role: Some(Role::Police),
            ..Default::default()
        };
        assert!(demote.validate(Role::Admin, true, Role::Admin).is_err());
        assert!(demote.validate(Role::Admin, false, Role::Admin).is_ok());
        let disable = AccountChange {
            disabled: Some(true),
            ..Default::default()
        };
        assert!(disable.validate(Role::Admin, true, Role::Admin).is_err());
        // A coordinator cannot make a volunteer an admin.
        let promote = AccountChange {
            role: Some(Role::Admin),
            ..Default::default()
        };
        assert_eq!(
            promote.validate(Role::Coordinator, false, Role::Volunteer),
            Err(AppError::Forbidden)
        );
    }

    #[test]
    fn only_drivers_who_signed_hold_the_confidentiality_condition() {
        let signed = Driver {
            confidentiality_signed_on: Some("2026-03-01".into()),
            ..Default::default()
        };
        assert!(Driver::holds(Some(&signed), Condition::ConfidentialityAgreement));
        assert!(!Driver::holds(
            Some(&Driver::default()),
            Condition::ConfidentialityAgreement
        ));
        assert!(!Driver::holds(None, Condition::ConfidentialityAgreement));
    }

    #[test]
    fn register_dates_are_past_days_and_vehicles_are_listed_once() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let entry = Driver {
            trained_on: Some(" 2026-04-10 ".into()),
            vehicles: vec!["Grannstödsbil Bro".into(), " grannstödsbil bro".into(), "".into()],
            confidentiality_signed_on: None,
            note: "  ".into(),
        };
        let checked = entry.validate(today).unwrap();
        assert_eq!(
            checked.trained_on,
            Some(chrono::NaiveDate::from_ymd_opt(2026, 4, 10).unwrap())
        );
        assert_eq!(checked.vehicles, vec!["Grannstödsbil Bro".to_owned()]);
        assert_eq!(checked.note, "");
        let future = Driver {
            confidentiality_signed_on: Some("2026-11-26".into()),
            ..Default::default()
        };
        assert!(matches!(
            future.validate(today),
            Err(AppError::Invalid { field, .. }) if field == "confidentiality_signed_on"
        ));
    }
}
