//! Camera candidates (plan 4.4): cells hot in most of the last periods.

use chrono::Utc;

use crate::domain::access::{require, Capability};
use crate::domain::geo::Bounds;
use crate::domain::situation::{
    CameraCandidate, CameraPeriod, SituationQuery, CAMERA_MIN_REPORTS, CAMERA_PERIOD_DAYS,
};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::db::Db;

/// Camera candidates (plan 4.4): cells hot (Gi_Bin ≥ 2, 95 %, with at least
/// `CAMERA_MIN_REPORTS` reports of their own) in at least `min_hot` of the last `periods`
/// 30-day periods, the newest ending today, with their history. Only
/// the kind, category and strategy-area filters of `query` apply.
pub async fn candidates(
    db: &Db,
    viewer: &CurrentUser,
    query: &SituationQuery,
    periods: u32,
    min_hot: u32,
    bounds: &Bounds,
) -> Result<Vec<CameraCandidate>, AppError> {
    require(viewer, Capability::ReadRestrictedReports)?;
    if !(2..=24).contains(&periods) {
        return Err(AppError::invalid(
            "periods",
            "Ange 2–24 perioder.",
            "Give 2–24 periods.",
        ));
    }
    if !(1..=periods).contains(&min_hot) {
        return Err(AppError::invalid(
            "min_hot",
            "Antalet heta perioder ska vara mellan 1 och antalet perioder.",
            "The number of hot periods must be between 1 and the number of periods.",
        ));
    }
    let now = Utc::now();
    let params = query.validate(now)?;
    let today = crate::domain::clock::stockholm_date(now);
    // Period i covers the days starts[i] ..= starts[i] + 29; the last ends today.
    let starts: Vec<chrono::NaiveDate> = (0..periods)
        .map(|i| today - chrono::TimeDelta::days(CAMERA_PERIOD_DAYS * i64::from(periods - i) - 1))
        .collect();
    let bounds_ms: Vec<i64> = starts
        .iter()
        .map(|day| crate::domain::situation::local_midnight_ms(*day))
        .chain([crate::domain::situation::local_midnight_ms(
            today + chrono::TimeDelta::days(1),
        )])
        .collect();
    let (kind, category, strategy_area) = super::filter_values(&params);
    let rows: Vec<super::analysis::Point> = sqlx::query_as(
        "select lat, lng, observed_at, strategy_area from observation
         where observed_at >= $1 and observed_at < $2
           and ($3 = '' or kind = $3) and ($4 = '' or category_id = $4) and ($5 = '' or strategy_area = $5)",
    )
    .bind(bounds_ms[0])
    .bind(bounds_ms[bounds_ms.len() - 1])
    .bind(kind)
    .bind(category)
    .bind(strategy_area)
    .fetch_all(&db.pool)
    .await?;
    let (grid, places) = super::grid_and_places(db, bounds, &params).await?;
    tokio::task::spawn_blocking(move || {
        let mut counts = vec![vec![0u32; grid.len()]; starts.len()];
        for point in &rows {
            let period = bounds_ms.partition_point(|&b| b <= point.observed_at);
            if let (Some(cell), Some(period)) = (grid.locate(point.lat, point.lng), period.checked_sub(1)) {
                if period < counts.len() {
                    counts[period][cell] += 1;
                }
            }
        }
        let classes: Vec<Vec<i8>> = counts
            .iter()
            .map(|counts| grid.analyse(counts).iter().map(|gi| gi.class.bin()).collect())
            .collect();
        let mut candidates: Vec<CameraCandidate> = (0..grid.len())
            .filter_map(|cell| {
                let hot = (0..starts.len())
                    .filter(|&period| {
                        classes[period][cell] >= 2 && counts[period][cell] >= CAMERA_MIN_REPORTS
                    })
                    .count() as u32;
                let total: u32 = counts.iter().map(|c| c[cell]).sum();
                // A neighbour of a hot cell shares its z without reports of its own.
                if hot < min_hot || total == 0 {
                    return None;
                }
                let index = grid.cells()[cell];
                Some(CameraCandidate {
                    h3: index.to_string(),
                    boundary: super::analysis::boundary(index),
                    place: super::place_of_cell(&places, index),
                    hot_periods: hot,
                    total,
                    history: starts
                        .iter()
                        .enumerate()
                        .map(|(i, from)| CameraPeriod {
                            from: from.to_string(),
                            count: counts[i][cell],
                            class: classes[i][cell],
                        })
                        .collect(),
                })
            })
            .collect();
        candidates.sort_by(|a, b| b.hot_periods.cmp(&a.hot_periods).then(b.total.cmp(&a.total)));
        candidates
    })
    .await
    .map_err(|err| {
        tracing::error!(%err, "camera review failed");
        AppError::Internal
    })
}
