//! The records a lägesbild request covers, for the CSV and GeoJSON exports.

use chrono::Utc;

use crate::domain::observation::Observation;
use crate::domain::situation::{Params, SituationQuery};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::db::Db;
use crate::ssr::reports::observations::{self, unix_ms, Filter, Shown};

/// The full records of a request that the viewer may see, for the exports.
pub async fn records(
    db: &Db,
    viewer: &CurrentUser,
    query: &SituationQuery,
) -> Result<(Params, Vec<Observation>), AppError> {
    let params = query.validate(Utc::now())?;
    let (start, end) = params.period_ms();
    let filter = Filter {
        kind: params.kind,
        since_ms: Some(start),
        until_ms: Some(end),
        received_by_ms: Some(params.as_of),
        category: params.category.clone(),
        strategy_area: params.strategy_area.clone(),
        ..Default::default()
    };
    let records = observations::list(db, viewer, &filter)
        .await?
        .into_iter()
        .filter(|o| params.keeps_time(unix_ms(o.observed_at)))
        .collect::<Vec<_>>();
    observations::record_reads(db, viewer, None, records.iter().map(Shown::from)).await?;
    Ok((params, records))
}
