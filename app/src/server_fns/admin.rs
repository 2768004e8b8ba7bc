//! What the administration page needs: the accounts the viewer manages with their
//! driver-register rows, the categories and (for admins) the change log, and one server
//! function per change. Flat text arguments, so the forms also work as plain HTML posts.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::admin::{Account, AuditEvent, WithPassword};
use crate::domain::category::Category;
#[cfg(feature = "ssr")]
use crate::domain::code::Code;
use crate::domain::ids::UserId;
use crate::domain::retention::Retention;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::settings::MapSettings;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminPage {
    pub viewer: UserId,
    pub accounts: Vec<Account>,
    /// The roles the viewer may give an account.
    pub roles: Vec<Role>,
    /// Every category, retired ones too, in display order.
    pub categories: Vec<Category>,
    /// The newest changes; empty for coordinators, who do not read the log.
    pub audit: Vec<AuditEvent>,
    /// The map settings in force, for admins, who may change them.
    #[serde(default)]
    pub map: Option<MapSettings>,
    /// The retention periods in force, for admins, who may change them.
    #[serde(default)]
    pub retention: Option<Retention>,
    /// The active partner organisations, for a new reporter's account.
    #[serde(default)]
    pub organisations: Vec<crate::domain::partner::Organisation>,
}

#[server(endpoint = "admin_page")]
pub async fn get_admin_page() -> Result<AdminPage, AppError> {
    use crate::ssr::{
        accounts::admin, accounts::auth, infra::audit, infra::state::AppState, reports::categories,
    };
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let accounts = admin::list(&state.db, &user).await?;
    let roles: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|&role| crate::domain::access::manages(user.role, role))
        .collect();
    let organisations = if roles
        .iter()
        .any(|&role| crate::domain::access::has_organisation(role))
    {
        crate::ssr::incidents::organisations::all(&state.db)
            .await?
            .into_iter()
            .filter(|organisation| organisation.active)
            .collect()
    } else {
        Vec::new()
    };
    let audit = if crate::domain::access::may(&user, crate::domain::access::Capability::ReadAuditLog) {
        audit::list(&state.db, &user).await?
    } else {
        Vec::new()
    };
    let (map, retention) =
        if crate::domain::access::may(&user, crate::domain::access::Capability::ConfigureSystem) {
            (
                Some(crate::ssr::settings::map(&state).await?),
                Some(crate::ssr::settings::retention::settings(&state.db, &user).await?),
            )
        } else {
            (None, None)
        };
    Ok(AdminPage {
        viewer: user.id,
        accounts,
        roles,
        categories: categories::all_categories(&state.db).await?,
        audit,
        map,
        retention,
        organisations,
    })
}

#[cfg(feature = "ssr")]
fn role_of(text: &str) -> Result<Role, AppError> {
    text.parse()
        .map_err(|_| AppError::invalid("role", "Välj en roll i listan.", "Choose a role from the list."))
}

#[server(endpoint = "create_user")]
pub async fn create_user(
    email: String,
    display_name: String,
    role: String,
    /// A reporter's organisation (its id), empty for other roles.
    #[server(default)]
    organisation: String,
) -> Result<WithPassword, AppError> {
    use crate::domain::admin::NewUser;
    use crate::ssr::{accounts::admin, accounts::auth, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let new = NewUser {
        email,
        display_name,
        role: role_of(&role)?,
        organisation: match organisation.trim() {
            "" => None,
            id => Some(id.parse().map_err(|_| {
                AppError::invalid(
                    "organisation",
                    "Välj en organisation i listan.",
                    "Choose an organisation from the list.",
                )
            })?),
        },
    };
    admin::create(&state.db, &user, &new).await
}

/// `what`: `role` (with `role`), `disable`, `enable` or `rename` (with `display_name`).
#[server(endpoint = "change_user")]
pub async fn change_user(
    id: UserId,
    what: String,
    role: String,
    display_name: String,
) -> Result<Account, AppError> {
    use crate::domain::admin::AccountChange;
    use crate::ssr::{accounts::admin, accounts::auth, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let change = match what.as_str() {
        "role" => AccountChange {
            role: Some(role_of(&role)?),
            ..Default::default()
        },
        "disable" | "enable" => AccountChange {
            disabled: Some(what == "disable"),
            ..Default::default()
        },
        "rename" => AccountChange {
            display_name: Some(display_name),
            ..Default::default()
        },
        _ => return Err(AppError::invalid("what", "Okänd ändring.", "Unknown change.")),
    };
    admin::change(&state.db, &user, id, &change).await
}

#[server(endpoint = "reset_user_password")]
pub async fn reset_user_password(id: UserId) -> Result<WithPassword, AppError> {
    use crate::ssr::{accounts::admin, accounts::auth, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    admin::reset_password(&state.db, &user, id).await
}

#[server(endpoint = "end_user_sessions")]
pub async fn end_user_sessions(id: UserId) -> Result<UserId, AppError> {
    use crate::ssr::{accounts::admin, accounts::auth, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    admin::end_sessions(&state.db, &user, id).await?;
    Ok(id)
}

/// `vehicles`: one per line or separated by commas.
#[server(endpoint = "register_driver")]
pub async fn register_driver(
    id: UserId,
    trained_on: String,
    vehicles: String,
    confidentiality_signed_on: String,
    note: String,
) -> Result<Account, AppError> {
    use crate::domain::admin::Driver;
    use crate::ssr::{accounts::admin, accounts::auth, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let day = |text: String| Some(text).filter(|t| !t.trim().is_empty());
    let entry = Driver {
        trained_on: day(trained_on),
        vehicles: vehicles
            .split([',', '\n'])
            .map(|vehicle| vehicle.trim().to_owned())
            .filter(|vehicle| !vehicle.is_empty())
            .collect(),
        confidentiality_signed_on: day(confidentiality_signed_on),
        note,
    };
    admin::set_driver(&state.db, &user, id, &entry).await
}

#[server(endpoint = "add_category")]
pub async fn add_category(
    id: String,
    kind: String,
    label_sv: String,
    label_en: String,
    strategy_area: String,
) -> Result<Vec<Category>, AppError> {
    use crate::domain::observation::Kind;
    use crate::ssr::reports::categories::{self, NewCategory};
    use crate::ssr::{accounts::auth, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let kind = Kind::from_code(&kind).ok_or_else(|| {
        AppError::invalid("kind", "Välj ett slag i listan.", "Choose a kind from the list.")
    })?;
    let new = NewCategory {
        id: id.trim().to_owned(),
        kind,
        label_sv,
        label_en,
        strategy_area,
    };
    categories::add_category(&state.db, &user, &new).await?;
    categories::all_categories(&state.db).await
}

/// `what`: `rename` (with the labels), `retire`, `restore`, `up` or `down`.
#[server(endpoint = "change_category")]
pub async fn change_category(
    id: String,
    what: String,
    label_sv: String,
    label_en: String,
) -> Result<Vec<Category>, AppError> {
    use crate::ssr::reports::categories::{self, CategoryChange};
    use crate::ssr::{accounts::auth, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let change = |label_sv, label_en, retired| CategoryChange {
        label_sv,
        label_en,
        strategy_area: None,
        retired,
    };
    match what.as_str() {
        "rename" => {
            categories::change_category(
                &state.db,
                &user,
                &id,
                &change(Some(label_sv), Some(label_en), None),
            )
            .await?;
        }
        "retire" | "restore" => {
            categories::change_category(&state.db, &user, &id, &change(None, None, Some(what == "retire")))
                .await?;
        }
        "up" | "down" => {
            let all = categories::all_categories(&state.db).await?;
            let mut ids: Vec<String> = all.iter().map(|category| category.id.clone()).collect();
            let Some(at) = ids.iter().position(|known| *known == id) else {
                return Err(AppError::NotFound);
            };
            // Only within its kind: the forms offer one kind at a time.
            let neighbour = if what == "up" {
                at.checked_sub(1)
            } else {
                Some(at + 1).filter(|&next| next < ids.len())
            };
            if let Some(other) = neighbour.filter(|&other| all[other].kind == all[at].kind) {
                ids.swap(at, other);
                return categories::order_categories(&state.db, &user, &ids).await;
            }
        }
        _ => return Err(AppError::invalid("what", "Okänd ändring.", "Unknown change.")),
    }
    categories::all_categories(&state.db).await
}

/// Changes the map's tiles, attribution and starting view (admins only). Numbers come as
/// the form's text.
#[server(endpoint = "save_map_settings")]
pub async fn save_map_settings(
    tile_url: String,
    tile_attribution: String,
    center_lat: String,
    center_lng: String,
    zoom: String,
) -> Result<MapSettings, AppError> {
    use crate::ssr::{accounts::auth, infra::state::AppState, settings};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let number = |field: &str, text: &str| {
        text.trim()
            .replace(',', ".")
            .parse::<f64>()
            .map_err(|_| AppError::invalid(field, "Ange ett tal, t.ex. 59,5.", "Give a number, e.g. 59.5."))
    };
    let new = MapSettings {
        tile_url,
        tile_attribution,
        center_lat: number("center_lat", &center_lat)?,
        center_lng: number("center_lng", &center_lng)?,
        zoom: number("zoom", &zoom)?,
    };
    settings::set_map(&state, &user, &new).await
}

/// Changes how long each kind of record is kept (admins only, 1–120 months each). Numbers
/// come as the form's text.
#[server(endpoint = "save_retention")]
pub async fn save_retention(
    drug_scene_months: String,
    patrol_months: String,
    walk_months: String,
    track_months: String,
    audit_months: String,
    incident_months: String,
) -> Result<Retention, AppError> {
    use crate::ssr::{accounts::auth, infra::state::AppState, settings::retention};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let months = |field: &str, text: &str| {
        text.trim().parse::<u32>().map_err(|_| {
            AppError::invalid(
                field,
                "Ange ett antal hela månader, 1–120.",
                "Give a number of whole months, 1–120.",
            )
        })
    };
    let new = Retention {
        drug_scene_months: months("drug_scene_months", &drug_scene_months)?,
        patrol_months: months("patrol_months", &patrol_months)?,
        walk_months: months("walk_months", &walk_months)?,
        track_months: months("track_months", &track_months)?,
        audit_months: months("audit_months", &audit_months)?,
        incident_months: months("incident_months", &incident_months)?,
    };
    retention::set_settings(&state.db, &user, &new).await
}
