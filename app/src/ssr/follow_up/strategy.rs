//! The strategy-area overview and pages, for the page's server functions and for
//! `/api/v1/strategy-areas`. Police and coordinators only: the numbers count restricted
//! reports.

use std::collections::BTreeMap;

use hotspot::compare::Change;

use crate::domain::access::{require, Capability};
use crate::domain::action::Action;
use crate::domain::geo::{Bounds, LatLng};
use crate::domain::observation::STRATEGY_AREAS;
use crate::domain::situation::{local_midnight_ms, AreaChange, Situation, SituationQuery};
use crate::domain::strategy::{PlaceTrend, StrategyPage, StrategySummary, PERIOD_DAYS};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::areas;
use crate::ssr::follow_up::actions;
use crate::ssr::infra::db::Db;
use crate::ssr::situation;

async fn situation_of(
    db: &Db,
    user: &CurrentUser,
    code: Option<&str>,
    bounds: &Bounds,
) -> Result<Situation, AppError> {
    let today = crate::domain::clock::today();
    let query = SituationQuery {
        strategy_area: code.map(str::to_owned),
        from: Some((today - chrono::TimeDelta::days(PERIOD_DAYS - 1)).to_string()),
        to: Some(today.to_string()),
        slice: Some("month".into()),
        ..Default::default()
    };
    situation::situation(db, user, &query, bounds).await
}

fn summaries(situation: &Situation, all_actions: &[Action]) -> Vec<StrategySummary> {
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

/// Every strategy area at a glance.
pub async fn overview(
    db: &Db,
    user: &CurrentUser,
    bounds: &Bounds,
) -> Result<Vec<StrategySummary>, AppError> {
    require(user, Capability::FollowUp)?;
    let situation = situation_of(db, user, None, bounds).await?;
    let all = actions::list(db, user, &actions::ActionFilter::default()).await?;
    Ok(summaries(&situation, &all))
}

/// One strategy area; 404 for a code the plan does not have.
pub async fn page(
    db: &Db,
    user: &CurrentUser,
    code: &str,
    bounds: &Bounds,
) -> Result<StrategyPage, AppError> {
    require(user, Capability::FollowUp)?;
    if !STRATEGY_AREAS.contains(&code) {
        return Err(AppError::NotFound);
    }
    let situation = situation_of(db, user, Some(code), bounds).await?;
    let filter = actions::ActionFilter {
        strategy_area: Some(code.to_owned()),
        ..Default::default()
    };
    let actions = actions::list(db, user, &filter).await?;
    let summary = summaries(&situation, &actions)
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
        places: place_trends(db, code).await?,
        summary,
        hotspots,
        actions,
        focus_problems: crate::ssr::follow_up::focus::list(db, user, Some(code)).await?,
        interventions: crate::ssr::follow_up::interventions::list(db, user, Some(code)).await?,
        from: situation.params.from.clone(),
        to: situation.params.to.clone(),
    })
}

/// The area's reports per named area, this period against the one before.
async fn place_trends(db: &Db, code: &str) -> Result<Vec<PlaceTrend>, AppError> {
    let today = crate::domain::clock::today();
    let start = local_midnight_ms(today - chrono::TimeDelta::days(PERIOD_DAYS - 1));
    let previous_start = local_midnight_ms(today - chrono::TimeDelta::days(2 * PERIOD_DAYS - 1));
    let end = local_midnight_ms(today + chrono::TimeDelta::days(1));
    let rows: Vec<(f64, f64, i64)> = sqlx::query_as(
        "select lat, lng, observed_at from observation
         where strategy_area = $1 and observed_at >= $2 and observed_at < $3",
    )
    .bind(code)
    .bind(previous_start)
    .bind(end)
    .fetch_all(&db.pool)
    .await?;
    let places = areas::gazetteer(db).await?;
    let mut tally: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for (lat, lng, observed_at) in rows {
        let place = places.name_of(LatLng { lat, lng }).unwrap_or_default().to_owned();
        let counts = tally.entry(place).or_default();
        if observed_at >= start {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
    }
    let mut trends: Vec<PlaceTrend> = tally
        .into_iter()
        .map(|(place, (now, previous))| PlaceTrend {
            significant_rise: Change::new(now, previous).significant_rise,
            place,
            now,
            previous,
        })
        .collect();
    trends.sort_by(|a, b| {
        a.place
            .is_empty()
            .cmp(&b.place.is_empty())
            .then(b.now.cmp(&a.now))
    });
    Ok(trends)
}
