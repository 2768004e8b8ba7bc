//! What the grannsamverkan page needs: the alerts, passing one on, and (for coordinators)
//! the watch areas with their contact persons. Flat text arguments, so the forms also
//! work as plain HTML posts.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::ids::{AlertId, AreaId};
use crate::domain::watch::{Alert, ContactPerson, WatchArea};
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WatchPage {
    pub alerts: Vec<Alert>,
    /// Whether the viewer keeps the watch areas and their contacts (coordinators).
    pub keeps_contacts: bool,
    pub watch_areas: Vec<WatchArea>,
    /// Named areas that may become watch areas: (id, name).
    pub named_areas: Vec<(AreaId, String)>,
    /// Categories to choose from: (id, Swedish label, English label).
    pub categories: Vec<(String, String, String)>,
    /// Whether the server can e-mail alerts.
    pub mail: bool,
}

#[server(endpoint = "watch_page")]
pub async fn get_watch_page() -> Result<WatchPage, AppError> {
    use crate::domain::area::AreaKind;
    use crate::ssr::{accounts::auth, areas, infra::state::AppState, reports::categories, watch};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let alerts = watch::alerts::list_alerts(&state.db, &user, false).await?;
    let keeps_contacts =
        crate::domain::access::may(&user, crate::domain::access::Capability::KeepContactPersons);
    let (watch_areas, named_areas, categories) = if keeps_contacts {
        let named = areas::list(&state.db)
            .await?
            .into_iter()
            .filter(|area| area.kind == AreaKind::Named)
            .map(|area| (area.id, area.name))
            .collect();
        let categories = categories::categories(&state.db)
            .await?
            .into_iter()
            .filter(|category| category.sensitivity == crate::domain::watch::COUNTED)
            .map(|category| (category.id, category.label_sv, category.label_en))
            .collect();
        (
            watch::areas::list_areas(&state.db, &user).await?,
            named,
            categories,
        )
    } else {
        Default::default()
    };
    Ok(WatchPage {
        alerts,
        keeps_contacts,
        watch_areas,
        named_areas,
        categories,
        mail: state.config.mailer.is_some(),
    })
}

/// Looks for rises now; returns how many new alerts were raised.
#[server(endpoint = "scan_alerts")]
pub async fn scan_alerts() -> Result<usize, AppError> {
    use crate::ssr::{accounts::auth, infra::state::AppState, watch};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    Ok(watch::scan::scan_as(&state.db, &user).await?.len())
}

/// `how`: `email`, `manual` or `dismiss` (with `reason`).
#[server(endpoint = "pass_alert_on")]
pub async fn pass_alert_on(id: AlertId, how: String, reason: String) -> Result<Alert, AppError> {
    use crate::domain::watch::SendAlert;
    use crate::ssr::{accounts::auth, infra::state::AppState, watch};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    match how.as_str() {
        "dismiss" => watch::send::dismiss(&state.db, &user, id, &reason).await,
        "manual" | "email" => {
            let request = SendAlert {
                manual: how == "manual",
            };
            watch::send::send(&state.db, state.config.mailer.as_ref(), &user, id, &request).await
        }
        _ => Err(AppError::invalid("how", "Okänt val.", "Unknown choice.")),
    }
}

/// Saves a watch area. `categories` are ids separated by commas; `contacts` has one
/// person per line: name; phone; e-mail; consent date (YYYY-MM-DD).
#[server(endpoint = "save_watch_area")]
pub async fn save_watch_area(
    area_id: AreaId,
    categories: String,
    window_days: u32,
    contacts: String,
) -> Result<WatchArea, AppError> {
    use crate::domain::watch::WatchSettings;
    use crate::ssr::{accounts::auth, infra::state::AppState, watch};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let settings = WatchSettings {
        categories: categories
            .split(',')
            .filter(|id| !id.trim().is_empty())
            .map(str::to_owned)
            .collect(),
        window_days: Some(window_days),
        contacts: contact_lines(&contacts)?,
    };
    watch::areas::set_area(&state.db, &user, area_id, &settings)
        .await
        .map_err(|err| match err {
            // Say which line, not which array index.
            AppError::Invalid { field, sv, en } if field.starts_with("contacts[") => {
                let line = field[9..]
                    .split(']')
                    .next()
                    .and_then(|i| i.parse::<usize>().ok())
                    .map_or(0, |i| i + 1);
                AppError::Invalid {
                    field: "contacts".into(),
                    sv: format!("Rad {line}: {sv}"),
                    en: format!("Line {line}: {en}"),
                }
            }
            other => other,
        })
}

/// The contact lines as people; blank lines are skipped.
pub fn contact_lines(text: &str) -> Result<Vec<ContactPerson>, AppError> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let parts: Vec<&str> = line.split(';').map(str::trim).collect();
            let [name, phone, email, consent_on] = parts[..] else {
                return Err(AppError::invalid(
                    "contacts",
                    &format!("Rad {}: skriv namn; telefon; e-post; samtyckesdatum (tomt fält går bra, men behåll semikolonen).", i + 1),
                    &format!("Line {}: write name; phone; e-mail; consent date (a field may be empty, keep the semicolons).", i + 1),
                ));
            };
            Ok(ContactPerson {
                name: name.to_owned(),
                phone: phone.to_owned(),
                email: email.to_owned(),
                consent_on: consent_on.to_owned(),
            })
        })
        .collect()
}

/// The contact persons as the form shows them.
pub fn contact_text(contacts: &[ContactPerson]) -> String {
    contacts
        .iter()
        .map(|c| format!("{}; {}; {}; {}", c.name, c.phone, c.email, c.consent_on))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_lines_round_trip_and_name_the_bad_line() {
        let people =
            contact_lines("Anna; 070-1234567; anna@x.se; 2026-01-02\n\nBo;;bo@x.se;2026-02-03\n").unwrap();
        assert_eq!(people.len(), 2);
        assert_eq!(people[1].phone, "");
        assert_eq!(contact_lines(&contact_text(&people)).unwrap(), people);
        let err = contact_lines("Anna; 070; anna@x.se; 2026-01-02\nBo bo@x.se").unwrap_err();
        assert!(err.message(crate::i18n::Lang::Sv).starts_with("Rad 2"), "{err:?}");
    }
}
