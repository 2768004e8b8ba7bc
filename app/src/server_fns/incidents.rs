//! What the pages of partner reports need: the reporter's page (Händelser), the review
//! (Granskning), the organisations (Organisationer) and the residents' public form
//! (`/tipsa`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::category::Category;
use crate::domain::ids::IncidentId;
use crate::domain::incident::{Incident, Nearby, Notice, Waiting};
use crate::domain::partner::{FocusPlace, Organisation, Weekly};
use crate::error::AppError;
use crate::settings::MapSettings;

/// The reporter's page: their organisation's reports, what changed, and the categories.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentsPage {
    pub categories: Vec<Category>,
    pub map: MapSettings,
    pub reports: Vec<Incident>,
    pub notices: Vec<Notice>,
    /// The organisation's focus places of this week and the next.
    pub focus: Vec<FocusPlace>,
    /// Where reports may lie, for the phone's own check before it queues one.
    pub bounds: crate::domain::geo::Bounds,
}

#[cfg(feature = "ssr")]
async fn incident_categories(db: &crate::ssr::infra::db::Db) -> Result<Vec<Category>, AppError> {
    use crate::domain::observation::Kind;
    Ok(crate::ssr::reports::categories::categories(db)
        .await?
        .into_iter()
        .filter(|c| c.kind == Kind::IncidentReport)
        .collect())
}

#[server(endpoint = "incidents_page")]
pub async fn get_incidents_page() -> Result<IncidentsPage, AppError> {
    use crate::domain::access::pages::Page;
    use crate::ssr::{accounts::auth, incidents, infra::state::AppState};
    let user = auth::require_user().await?;
    Page::Incidents.require(&user)?;
    let state = expect_context::<AppState>();
    Ok(IncidentsPage {
        categories: incident_categories(&state.db).await?,
        map: crate::ssr::settings::map(&state).await?,
        reports: incidents::list(&state.db, &user, &incidents::Filter::default()).await?,
        notices: incidents::notices(&state.db, &user).await?,
        focus: incidents::organisations::focus_places(&state.db, &user).await?,
        bounds: state.config.bounds,
    })
}

/// Open reports of the category within 50 m that the user reaches.
#[server(endpoint = "nearby_reports")]
pub async fn nearby_reports(category: String, lat: f64, lng: f64) -> Result<Vec<Nearby>, AppError> {
    use crate::domain::geo::LatLng;
    use crate::ssr::{accounts::auth, incidents, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    incidents::nearby(&state.db, &user, &category, LatLng { lat, lng }, None).await
}

/// The user has read what changed about their reports.
#[server(endpoint = "notices_seen")]
pub async fn notices_seen() -> Result<(), AppError> {
    use crate::ssr::{accounts::auth, incidents, infra::state::AppState};
    let user = auth::require_user().await?;
    incidents::mark_notices_seen(&expect_context::<AppState>().db, &user).await
}

/// The review queue and what a correction may choose from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub waiting: Vec<Waiting>,
    /// The weekly picture of the accepted reports.
    pub weekly: Weekly,
    pub categories: Vec<Category>,
    pub map: MapSettings,
}

#[server(endpoint = "review_page")]
pub async fn get_review_page() -> Result<ReviewPage, AppError> {
    use crate::ssr::{accounts::auth, incidents::review, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    Ok(ReviewPage {
        waiting: review::queue(&state.db, &user).await?,
        weekly: crate::ssr::incidents::weekly::weekly(&state.db, &user).await?,
        categories: incident_categories(&state.db).await?,
        map: crate::ssr::settings::map(&state).await?,
    })
}

/// `decision`: `accept` (with an optional corrected `category` and `strategy_area`),
/// `reject`, or `merge` (with the report it is the same as, `into`).
#[server(endpoint = "decide_report")]
pub async fn decide_report(
    id: IncidentId,
    decision: String,
    #[server(default)] category: String,
    #[server(default)] strategy_area: String,
    #[server(default)] into: String,
    #[server(default)] note: String,
) -> Result<Incident, AppError> {
    use crate::domain::incident::Decision;
    use crate::ssr::{accounts::auth, incidents::review, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let given = |text: String| Some(text.trim().to_owned()).filter(|text| !text.is_empty());
    let decision = match decision.as_str() {
        "accept" => Decision::Accept {
            category: given(category),
            lat: None,
            lng: None,
            strategy_area: given(strategy_area),
            note,
        },
        "reject" => Decision::Reject { note },
        "merge" => Decision::Merge {
            into: into.trim().parse().map_err(|_| {
                AppError::invalid(
                    "into",
                    "Välj rapporten den är samma sak som.",
                    "Choose the report it is the same as.",
                )
            })?,
            note,
        },
        _ => {
            return Err(AppError::invalid(
                "decision",
                "Välj godkänn, avvisa eller slå samman.",
                "Choose accept, reject or merge.",
            ))
        }
    };
    review::decide(
        &state.db,
        &state.config.bounds,
        state.config.mailer.as_ref(),
        &user,
        id,
        &decision,
    )
    .await
}

/// The organisations, their focus places, and the named areas a focus place may name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationsPage {
    pub organisations: Vec<Organisation>,
    pub focus: Vec<FocusPlace>,
    pub places: Vec<String>,
}

#[server(endpoint = "organisations_page")]
pub async fn get_organisations() -> Result<OrganisationsPage, AppError> {
    use crate::ssr::{accounts::auth, incidents::organisations, infra::state::AppState};
    let user = auth::require_user().await?;
    let db = &expect_context::<AppState>().db;
    let mut places: Vec<String> = crate::ssr::areas::named(db)
        .await?
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    places.sort();
    Ok(OrganisationsPage {
        organisations: organisations::list(db, &user).await?,
        focus: organisations::focus_places(db, &user).await?,
        places,
    })
}

/// Sets a focus place for an organisation: `week` is `this` or `next` (the default).
#[server(endpoint = "add_partner_focus")]
pub async fn add_partner_focus(
    organisation: crate::domain::ids::OrganisationId,
    place: String,
    #[server(default)] note: String,
    #[server(default)] week: String,
) -> Result<FocusPlace, AppError> {
    use crate::domain::partner::{monday_of, NewFocusPlace};
    use crate::ssr::{accounts::auth, incidents::organisations, infra::state::AppState};
    let user = auth::require_user().await?;
    let this_week = monday_of(crate::domain::clock::today());
    let new = NewFocusPlace {
        place,
        note,
        week_of: Some(if week == "this" {
            this_week
        } else {
            this_week + chrono::Days::new(7)
        }),
    };
    organisations::add_focus_place(&expect_context::<AppState>().db, &user, organisation, &new).await
}

/// Registers an organisation (no `id`), or changes one. `active` is `"1"` or `"0"`.
#[server(endpoint = "save_organisation")]
pub async fn save_organisation(
    #[server(default)] id: String,
    name: String,
    kind: String,
    #[server(default)] active: String,
) -> Result<Organisation, AppError> {
    use crate::domain::code::Code;
    use crate::domain::partner::{OrganisationForm, OrganisationKind};
    use crate::ssr::{accounts::auth, incidents::organisations, infra::state::AppState};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let form = OrganisationForm {
        name,
        kind: OrganisationKind::from_code(&kind).ok_or_else(|| {
            AppError::invalid(
                "kind",
                "Välj en sorts organisation.",
                "Choose a kind of organisation.",
            )
        })?,
        active: active != "0",
    };
    match id.trim() {
        "" => organisations::create(&state.db, &user, &form).await,
        id => {
            let id = id.parse().map_err(|_| AppError::NotFound)?;
            organisations::update(&state.db, &user, id, &form).await
        }
    }
}

/// What the public form needs: the categories and the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TipPage {
    pub categories: Vec<Category>,
    pub map: MapSettings,
}

#[server(endpoint = "tip_page")]
pub async fn get_tip_page() -> Result<TipPage, AppError> {
    use crate::ssr::infra::state::AppState;
    let state = expect_context::<AppState>();
    Ok(TipPage {
        categories: incident_categories(&state.db).await?,
        map: crate::ssr::settings::map(&state).await?,
    })
}

/// A resident's tip, without an account (`ssr::incidents::tips`). `website` is the field
/// only robots fill in.
#[server(endpoint = "send_tip")]
pub async fn send_tip(
    category: String,
    lat: f64,
    lng: f64,
    #[server(default)] note: String,
    #[server(default)] name: String,
    #[server(default)] email: String,
    #[server(default)] website: String,
) -> Result<(), AppError> {
    use crate::domain::incident::NewTip;
    use crate::ssr::{incidents::tips, infra::state::AppState};
    let state = expect_context::<AppState>();
    let client = crate::ssr::infra::client::address(&state.config).await;
    let tip = NewTip {
        category,
        lat,
        lng,
        note,
        name,
        email,
    };
    tips::submit(&state.db, &state.config.bounds, &client, &tip, &website).await
}
