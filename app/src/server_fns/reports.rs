//! What the drug-scene report page needs.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::category::Category;
use crate::error::AppError;
use crate::settings::MapSettings;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportPage {
    pub categories: Vec<Category>,
    pub map: MapSettings,
}

#[server(endpoint = "report_page")]
pub async fn get_report_page() -> Result<ReportPage, AppError> {
    use crate::domain::access::pages::Page;
    use crate::domain::observation::Kind;
    use crate::ssr::{accounts::auth, infra::state::AppState, reports::categories};

    let user = auth::require_user().await?;
    Page::Report.require(&user)?;
    let state = expect_context::<AppState>();
    let categories = categories::categories(&state.db)
        .await?
        .into_iter()
        .filter(|c| c.kind == Kind::DrugScene)
        .collect();
    Ok(ReportPage {
        categories,
        map: crate::ssr::settings::map(&state).await?,
    })
}
