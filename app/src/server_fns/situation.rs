//! What the lägesbild pages need: the analysis with its filters, the meetings, and the
//! actions of a meeting (save the snapshot, running notes, decisions).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::category::Category;
use crate::domain::ids::MeetingId;
use crate::domain::meeting::{Meeting, MeetingSummary};
use crate::domain::situation::{Situation, SituationPoint, SituationQuery};
use crate::error::AppError;
use crate::settings::MapSettings;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SituationPage {
    pub situation: Situation,
    pub categories: Vec<Category>,
    pub meetings: Vec<MeetingSummary>,
    pub map: MapSettings,
    /// Police and coordinators: full analysis, markers, meetings.
    pub exact: bool,
}

#[server(endpoint = "situation_page")]
pub async fn get_situation_page(query: SituationQuery) -> Result<SituationPage, AppError> {
    use crate::domain::access::pages::Page;
    use crate::ssr::{
        accounts::auth, infra::state::AppState, reports::categories, situation, situation::meetings,
    };
    let user = auth::require_user().await?;
    Page::Situation.require(&user)?;
    let state = expect_context::<AppState>();
    let exact = crate::domain::access::may(&user, crate::domain::access::Capability::ReadRestrictedReports);
    Ok(SituationPage {
        situation: situation::situation(&state.db, &user, &query, &state.config.bounds).await?,
        categories: categories::categories(&state.db).await?,
        meetings: if exact {
            meetings::list(&state.db, &user).await?
        } else {
            Vec::new()
        },
        map: crate::ssr::settings::map(&state).await?,
        exact,
    })
}

/// The reports behind the lägesbild's markers and drill-down: police and coordinators.
#[server(endpoint = "situation_points")]
pub async fn get_situation_points(query: SituationQuery) -> Result<Vec<SituationPoint>, AppError> {
    use crate::ssr::{accounts::auth, infra::state::AppState, situation};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    situation::points::list(&state.db, &user, &query, &state.config.bounds).await
}

/// Saves the meeting and opens it. `query` is the JSON of the request the page showed,
/// `as_of` included.
#[server(endpoint = "create_meeting")]
pub async fn create_meeting(held_on: String, organisations: String, query: String) -> Result<(), AppError> {
    use crate::domain::meeting::NewMeeting;
    use crate::ssr::{accounts::auth, infra::state::AppState, situation::meetings};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let query: SituationQuery = serde_json::from_str(&query).map_err(|_| {
        AppError::invalid(
            "query",
            "Urvalet kunde inte läsas; ladda om sidan.",
            "The selection could not be read; reload the page.",
        )
    })?;
    let new = NewMeeting {
        held_on,
        organisations,
        query,
    };
    let meeting = meetings::create(&state.db, &user, &new, &state.config.bounds).await?;
    leptos_axum::redirect(&format!("/lagesbild/mote/{}", meeting.id));
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingPage {
    pub meeting: Meeting,
    pub map: MapSettings,
    /// The municipality boundary and the named areas, for orientation on the printed
    /// map (tiles may not print).
    #[serde(default)]
    pub outlines: Vec<Outline>,
    /// The categories, so the selection reads as names rather than codes.
    #[serde(default)]
    pub categories: Vec<Category>,
}

/// An area's outer rings as [lat, lng] points, with its name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outline {
    pub name: String,
    pub municipality: bool,
    pub rings: Vec<Vec<[f64; 2]>>,
}

#[server(endpoint = "meeting_page")]
pub async fn get_meeting_page(id: MeetingId) -> Result<MeetingPage, AppError> {
    use crate::ssr::{
        accounts::auth, areas, infra::state::AppState, reports::categories, situation::meetings,
    };
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    let meeting = meetings::get(&state.db, &user, id).await?;
    let outline = |name: String, municipality: bool, shape: crate::domain::area::Shape| Outline {
        name,
        municipality,
        rings: shape
            .polygons
            .into_iter()
            .filter_map(|rings| rings.into_iter().next())
            .map(|ring| ring.into_iter().map(|p| [p.lat, p.lng]).collect())
            .collect(),
    };
    let mut outlines: Vec<Outline> = areas::municipality(&state.db)
        .await?
        .into_iter()
        .map(|(name, shape)| outline(name, true, shape))
        .collect();
    outlines.extend(
        areas::named(&state.db)
            .await?
            .into_iter()
            .map(|(name, shape)| outline(name, false, shape)),
    );
    Ok(MeetingPage {
        meeting,
        map: crate::ssr::settings::map(&state).await?,
        outlines,
        categories: categories::categories(&state.db).await?,
    })
}

#[server(endpoint = "add_meeting_note")]
pub async fn add_meeting_note(id: MeetingId, body: String) -> Result<(), AppError> {
    use crate::ssr::{accounts::auth, infra::state::AppState, situation::meetings};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    meetings::add_note(&state.db, &user, id, &body).await?;
    Ok(())
}

#[server(endpoint = "save_decisions")]
pub async fn save_decisions(id: MeetingId, decisions: String) -> Result<(), AppError> {
    use crate::ssr::{accounts::auth, infra::state::AppState, situation::meetings};
    let user = auth::require_user().await?;
    let state = expect_context::<AppState>();
    meetings::set_decisions(&state.db, &user, id, &decisions).await
}
