//! Grannsamverkan (plan 6.1–6.2): neighbourhood-watch areas with their contact persons,
//! and the alerts sent to them when burglary-related reports in the area rise above
//! the area's own baseline (`hotspot::alert`).
//!
//! A watch area is a named area (`domain::area`) with the categories that count as
//! burglary-related, the length of the window an alert looks at, and the residents who
//! pass a notice on. Contact persons are personal data: they are stored only with the
//! date they consented, read only by those who keep the areas, and leave with the area.
//! An alert's message names the area and counts, never a position or a person, and it
//! never counts restricted reports (drug scenes): an alert goes to residents.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::action::parse_date;
use super::category::Category;
use super::ids::{AlertId, AreaId};
use super::observation::Sensitivity;
use crate::error::AppError;
use crate::i18n::Lang;

/// The reports an alert may count: never restricted ones, whatever a watch area names.
pub const COUNTED: Sensitivity = Sensitivity::Internal;

/// The window an alert looks at when none is set: the last two weeks.
pub const DEFAULT_WINDOW_DAYS: u32 = 14;
pub const MIN_WINDOW_DAYS: u32 = 3;
pub const MAX_WINDOW_DAYS: u32 = 90;
/// The area's own baseline: the half-year before the window.
pub const BASELINE_DAYS: u32 = 182;
pub const MAX_CONTACTS: usize = 50;
pub const MAX_CATEGORIES: usize = 30;
const MAX_NAME: usize = 200;
const MAX_ADDRESS: usize = 254;

/// A resident who passes the area's notices on.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactPerson {
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// YYYY-MM-DD: the day the person agreed to be stored and contacted (GDPR art. 6.1 a).
    #[serde(default)]
    pub consent_on: String,
}

/// What a coordinator sets for a watch area.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WatchSettings {
    /// The category ids that count as burglary-related here.
    pub categories: Vec<String>,
    /// Days an alert looks back, 3–90; 14 when not given.
    #[serde(default)]
    pub window_days: Option<u32>,
    #[serde(default)]
    pub contacts: Vec<ContactPerson>,
}

/// A watch area as those who keep it see it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WatchArea {
    pub area_id: AreaId,
    pub name: String,
    pub categories: Vec<String>,
    pub window_days: u32,
    pub contacts: Vec<ContactPerson>,
}

impl WatchSettings {
    /// Checks the settings against the categories that exist; trims what is kept.
    /// Checks the settings against the categories there are (an alert may count only
    /// those of [`COUNTED`] sensitivity).
    pub fn validate(
        &self,
        categories_there_are: &[Category],
        today: NaiveDate,
    ) -> Result<WatchSettings, AppError> {
        let window_days = self.window_days.unwrap_or(DEFAULT_WINDOW_DAYS);
        if !(MIN_WINDOW_DAYS..=MAX_WINDOW_DAYS).contains(&window_days) {
            return Err(AppError::invalid(
                "window_days",
                &format!("Perioden ska vara {MIN_WINDOW_DAYS}–{MAX_WINDOW_DAYS} dagar."),
                &format!("The window must be {MIN_WINDOW_DAYS}–{MAX_WINDOW_DAYS} days."),
            ));
        }
        let mut categories: Vec<String> = self.categories.iter().map(|c| c.trim().to_owned()).collect();
        categories.sort();
        categories.dedup();
        if categories.is_empty() || categories.len() > MAX_CATEGORIES {
            return Err(AppError::invalid(
                "categories",
                "Välj minst en kategori som räknas som inbrottsrelaterad.",
                "Choose at least one category that counts as burglary-related.",
            ));
        }
        for chosen in &categories {
            match categories_there_are
                .iter()
                .find(|category| &category.id == chosen)
            {
                None => {
                    return Err(AppError::invalid(
                        "categories",
                        &format!("Kategorin \"{chosen}\" finns inte."),
                        &format!("The category \"{chosen}\" does not exist."),
                    ))
                }
                Some(category) if category.sensitivity != COUNTED => {
                    return Err(AppError::invalid(
                        "categories",
                        &format!(
                            "\"{}\" är skyddade rapporter och räknas aldrig i ett larm till de boende.",
                            category.label_sv
                        ),
                        &format!(
                            "\"{}\" are restricted reports and never count in an alert to residents.",
                            category.label_en
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
        if self.contacts.len() > MAX_CONTACTS {
            return Err(AppError::invalid(
                "contacts",
                &format!("Högst {MAX_CONTACTS} kontaktpersoner per område."),
                &format!("At most {MAX_CONTACTS} contact persons per area."),
            ));
        }
        let contacts = self
            .contacts
            .iter()
            .enumerate()
            .map(|(i, contact)| contact.validate(&format!("contacts[{i}]"), today))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(WatchSettings {
            categories,
            window_days: Some(window_days),
            contacts,
        })
    }
}

impl ContactPerson {
    fn validate(&self, field: &str, today: NaiveDate) -> Result<ContactPerson, AppError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(AppError::invalid(
                &format!("{field}.name"),
                "Kontaktpersonen behöver ett namn (högst 200 tecken).",
                "The contact person needs a name (at most 200 characters).",
            ));
        }
        let phone = self.phone.trim();
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        if !phone.is_empty()
            && (!(6..=15).contains(&digits)
                || !phone.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)))
        {
            return Err(AppError::invalid(
                &format!("{field}.phone"),
                "Telefonnumret ska vara 6–15 siffror, till exempel 070-123 45 67.",
                "The phone number must have 6–15 digits, for example 070-123 45 67.",
            ));
        }
        let email = self.email.trim();
        if !email.is_empty() && !plausible_email(email) {
            return Err(AppError::invalid(
                &format!("{field}.email"),
                "E-postadressen ser inte ut som en e-postadress.",
                "The e-mail address does not look like one.",
            ));
        }
        if phone.is_empty() && email.is_empty() {
            return Err(AppError::invalid(
                &format!("{field}.email"),
                "Ange telefonnummer eller e-postadress för kontaktpersonen.",
                "Give the contact person's phone number or e-mail address.",
            ));
        }
        if self.consent_on.trim().is_empty() {
            return Err(AppError::invalid(
                &format!("{field}.consent_on"),
                "Ange datumet då kontaktpersonen samtyckte till att stå med (GDPR).",
                "Give the date the contact person consented to being listed (GDPR).",
            ));
        }
        let consent = parse_date(&format!("{field}.consent_on"), &self.consent_on)?;
        if consent > today {
            return Err(AppError::invalid(
                &format!("{field}.consent_on"),
                "Samtycket kan inte vara lämnat i framtiden.",
                "Consent cannot have been given in the future.",
            ));
        }
        Ok(ContactPerson {
            name: name.to_owned(),
            phone: phone.to_owned(),
            email: email.to_owned(),
            consent_on: consent.to_string(),
        })
    }
}

/// One `@`, something before it, a dot in the domain, no spaces or angle brackets: enough
/// to catch a typo, and nothing that could smuggle a second header into a message.
fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.chars().count() <= MAX_ADDRESS
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;:\"()[]\\".contains(c))
}

/// Where an alert stands.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Not sent yet, or sending failed (the alert says why).
    Pending,
    /// Being sent right now.
    Sending,
    /// E-mailed to every contact person with an address.
    Sent,
    /// Sent by hand (phone, text message, a note in the letterbox).
    SentManually,
    /// Judged not worth a notice.
    Dismissed,
}

impl AlertStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Pending => "pending",
            AlertStatus::Sending => "sending",
            AlertStatus::Sent => "sent",
            AlertStatus::SentManually => "sent_manually",
            AlertStatus::Dismissed => "dismissed",
        }
    }

    pub const ALL: [AlertStatus; 5] = [
        AlertStatus::Pending,
        AlertStatus::Sending,
        AlertStatus::Sent,
        AlertStatus::SentManually,
        AlertStatus::Dismissed,
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AlertStatus::Pending => lang.pick("Ej skickat", "Not sent"),
            AlertStatus::Sending => lang.pick("Skickas", "Sending"),
            AlertStatus::Sent => lang.pick("Skickat med e-post", "Sent by e-mail"),
            AlertStatus::SentManually => lang.pick("Skickat manuellt", "Sent by hand"),
            AlertStatus::Dismissed => lang.pick("Avfärdat", "Dismissed"),
        }
    }

    /// Still waiting for someone to send or dismiss it.
    pub fn is_open(self) -> bool {
        matches!(self, AlertStatus::Pending | AlertStatus::Sending)
    }
}

/// One attempt to pass an alert on, kept for the record.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub at: DateTime<Utc>,
    /// The address it went to; hidden from those who may not read the contacts.
    pub recipient: String,
    /// `sent`, `failed`, `manual` or `dismissed`.
    pub outcome: String,
    pub detail: String,
    pub by: String,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub id: AlertId,
    pub area_id: AreaId,
    pub area_name: String,
    /// The window's first and last day, YYYY-MM-DD.
    pub window_from: String,
    pub window_to: String,
    pub recent: u32,
    /// Reports in the `baseline_days` before the window.
    pub baseline: u32,
    pub baseline_days: u32,
    /// What the baseline gives for a window this long.
    pub expected: f64,
    /// One-sided p-value of the rise (`hotspot::alert`).
    pub p: f64,
    /// The ready text, Swedish then English: area and counts, no positions, no persons.
    pub message: String,
    pub status: AlertStatus,
    /// Why it could not be sent, while it could not.
    pub last_error: Option<String>,
    #[serde(with = "crate::domain::clock::rfc3339_serde")]
    pub created_at: DateTime<Utc>,
    pub notices: Vec<Notice>,
}

/// How an alert is passed on.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SendAlert {
    /// `true`: it was passed on by hand (no e-mail is sent, the notice is logged).
    #[serde(default)]
    pub manual: bool,
}

/// The notice residents get: the area, the counts in words and what to do. Nothing in it
/// points at a home or a person.
pub fn message(area: &str, window_days: u32, recent: u32, expected: f64) -> String {
    let usual = (expected.round() as i64).max(0);
    format!(
        "Grannsamverkan {area}: fler inbrottsrelaterade iakttagelser än vanligt\n\n\
         Under de senaste {window_days} dagarna har {recent} inbrottsrelaterade iakttagelser \
         rapporterats i {area}. Under lika lång tid brukar det vara omkring {usual}.\n\n\
         Var extra uppmärksam i området: lås dörrar och fönster, håll belysningen tänd, töm \
         brevlådan åt grannar som är bortresta och skriv upp registreringsnummer på fordon \
         som verkar spana. Ring 112 om ett brott pågår, annars polisen på 114 14.\n\n\
         ---\n\n\
         Neighbourhood watch {area}: more burglary-related observations than usual\n\n\
         In the last {window_days} days, {recent} burglary-related observations were reported \
         in {area}. Over as long a period there are usually about {usual}.\n\n\
         Please be extra watchful: lock doors and windows, keep lights on, empty the letterbox \
         for neighbours who are away and note the registration numbers of vehicles that seem to \
         be scouting. Call 112 if a crime is in progress, otherwise the police on 114 14.\n"
    )
}

super::code::codes!(AlertStatus);

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn contact() -> ContactPerson {
        ContactPerson {
            name: " Anna Andersson ".into(),
            phone: "070-123 45 67".into(),
            email: "anna@example.se".into(),
            consent_on: "2026-10-01".into(),
        }
    }

    fn settings(contacts: Vec<ContactPerson>) -> WatchSettings {
        WatchSettings {
            categories: vec!["patrol.burglary_signs".into()],
            window_days: None,
            contacts,
        }
    }

    fn known() -> Vec<Category> {
        let category = |id: &str, kind, sensitivity| Category {
            id: id.to_owned(),
            kind,
            label_sv: id.to_owned(),
            label_en: id.to_owned(),
            strategy_area: "6.2".to_owned(),
            sensitivity,
            retired: false,
        };
        use crate::domain::observation::Kind;
        vec![
            category(
                "patrol.burglary_signs",
                Kind::PatrolObservation,
                Sensitivity::Internal,
            ),
            category("patrol.other", Kind::PatrolObservation, Sensitivity::Internal),
            category("drug.dealing", Kind::DrugScene, Sensitivity::Restricted),
        ]
    }

    #[test]
    fn good_settings_are_trimmed_and_get_the_default_window() {
        let checked = settings(vec![contact()]).validate(&known(), today()).unwrap();
        assert_eq!(checked.window_days, Some(DEFAULT_WINDOW_DAYS));
        assert_eq!(checked.contacts[0].name, "Anna Andersson");
    }

    #[test]
    fn a_contact_without_consent_date_is_refused_with_the_field_named() {
        let mut missing = contact();
        missing.consent_on = String::new();
        let err = settings(vec![contact(), missing])
            .validate(&known(), today())
            .unwrap_err();
        assert!(
            matches!(err, AppError::Invalid { ref field, .. } if field == "contacts[1].consent_on"),
            "{err:?}"
        );
        let mut future = contact();
        future.consent_on = "2027-01-01".into();
        let err = settings(vec![future]).validate(&known(), today()).unwrap_err();
        assert!(matches!(err, AppError::Invalid { ref field, .. } if field == "contacts[0].consent_on"));
    }

    #[test]
    fn bad_addresses_numbers_and_categories_are_refused() {
        for (email, phone) in [
            ("anna@example.se\r\nBcc: all@x.se", ""),
            ("anna", ""),
            ("a@b@example.se", ""),
            ("", "12"),
            ("", "070 abc"),
            ("", ""),
        ] {
            let mut bad = contact();
            bad.email = email.into();
            bad.phone = phone.into();
            assert!(
                settings(vec![bad]).validate(&known(), today()).is_err(),
                "{email:?} {phone:?}"
            );
        }
        let mut unknown = settings(Vec::new());
        unknown.categories = vec!["walk.nothing".into()];
        assert!(unknown.validate(&known(), today()).is_err());
        // Restricted reports never count in an alert to residents.
        let mut restricted = settings(Vec::new());
        restricted.categories = vec!["patrol.other".into(), "drug.dealing".into()];
        let err = restricted.validate(&known(), today()).unwrap_err();
        assert!(err.message(Lang::Sv).contains("skyddade"), "{err:?}");
        let mut none = settings(Vec::new());
        none.categories.clear();
        assert!(none.validate(&known(), today()).is_err());
        let mut long = settings(Vec::new());
        long.window_days = Some(365);
        assert!(long.validate(&known(), today()).is_err());
    }

    #[test]
    fn the_message_names_the_area_and_counts_and_nothing_else() {
        let text = message("Finnsta", 14, 9, 2.1);
        assert!(text.contains("Grannsamverkan Finnsta"));
        assert!(text.contains("har 9 inbrottsrelaterade"));
        assert!(text.contains("omkring 2."));
        assert!(text.contains("Neighbourhood watch Finnsta"));
        assert!(!text.contains("59."), "no coordinates");
    }
}
