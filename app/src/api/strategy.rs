//! What the strategy-area pages need (plan 2–11, what the steering group and the
//! chefssamråd follow up): per area the reports of the last quarter against the quarter
//! before, its hotspots by place, and its open and overdue actions.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::action::Action;
use crate::domain::situation::{AreaChange, HexCell};
use crate::error::AppError;

/// The days each page looks back over, and compares with the same number before.
pub const PERIOD_DAYS: i64 = 90;

/// One strategy area at a glance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategySummary {
    pub code: String,
    /// Reports now and in the period before, with the test of the change.
    pub reports: AreaChange,
    pub open_actions: usize,
    pub overdue_actions: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategyPage {
    pub summary: StrategySummary,
    /// The area's significant hot cells, strongest first, named by place.
    pub hotspots: Vec<HexCell>,
    pub actions: Vec<Action>,
    pub from: String,
    pub to: String,
}

#[cfg(feature = "ssr")]
mod load {
    use super::*;
    use crate::domain::observation::STRATEGY_AREAS;
    use crate::domain::situation::{Situation, SituationQuery};
    use crate::domain::user::CurrentUser;
    use crate::ssr::{actions, situation, state::AppState};

    pub async fn situation_of(
        state: &AppState,
        user: &CurrentUser,
        code: Option<&str>,
    ) -> Result<Situation, AppError> {
        let today = actions::today();
        let query = SituationQuery {
            strategy_area: code.map(str::to_owned),
            from: Some((today - time::Duration::days(PERIOD_DAYS - 1)).to_string()),
            to: Some(today.to_string()),
            slice: Some("month".into()),
            ..Default::default()
        };
        situation::situation(&state.db, user, &query, &state.config.bounds).await
    }

    pub fn summaries(situation: &Situation, all_actions: &[Action]) -> Vec<StrategySummary> {
        STRATEGY_AREAS
            .iter()
            .map(|&code| {
                let reports = situation
                    .areas
                    .iter()
                    .find(|a| a.strategy_area == code)
                    .cloned()
                    .unwrap_or(AreaChange {
                        strategy_area: code.to_owned(),
                        now: 0,
                        previous: 0,
                        change: 0,
                        p_rise: 1.0,
                        significant_rise: false,
                    });
                let of_area = all_actions.iter().filter(|a| a.strategy_area == code);
                StrategySummary {
                    code: code.to_owned(),
                    reports,
                    open_actions: of_area.clone().filter(|a| a.status.is_open()).count(),
                    overdue_actions: of_area.filter(|a| a.overdue).count(),
                }
            })
            .collect()
    }
}

/// Every strategy area at a glance. Police and coordinators only: the numbers come from
/// restricted reports.
#[server(endpoint = "strategy_overview")]
pub async fn get_strategy_overview() -> Result<Vec<StrategySummary>, AppError> {
    use crate::domain::access::Area;
    use crate::ssr::{actions, auth, state::AppState};
    let user = auth::require_user().await?;
    if !Area::Strategy.allows(user.role) {
        return Err(AppError::Forbidden);
    }
    let state = expect_context::<AppState>();
    let situation = load::situation_of(&state, &user, None).await?;
    let all = actions::list(&state.db, &user, &actions::ActionFilter::default()).await?;
    Ok(load::summaries(&situation, &all))
}

#[server(endpoint = "strategy_page")]
pub async fn get_strategy_page(code: String) -> Result<StrategyPage, AppError> {
    use crate::domain::access::Area;
    use crate::domain::observation::STRATEGY_AREAS;
    use crate::ssr::{actions, auth, state::AppState};
    let user = auth::require_user().await?;
    if !Area::Strategy.allows(user.role) {
        return Err(AppError::Forbidden);
    }
    if !STRATEGY_AREAS.contains(&code.as_str()) {
        return Err(AppError::NotFound);
    }
    let state = expect_context::<AppState>();
    let situation = load::situation_of(&state, &user, Some(&code)).await?;
    let filter = actions::ActionFilter {
        strategy_area: Some(code.clone()),
        ..Default::default()
    };
    let actions = actions::list(&state.db, &user, &filter).await?;
    let summary = load::summaries(&situation, &actions)
        .into_iter()
        .find(|s| s.code == code)
        .ok_or(AppError::Internal)?;
    let hotspots = situation
        .top
        .iter()
        .filter_map(|h3| situation.cells.iter().find(|c| &c.h3 == h3))
        .cloned()
        .collect();
    Ok(StrategyPage {
        summary,
        hotspots,
        actions,
        from: situation.params.from.clone(),
        to: situation.params.to.clone(),
    })
}
