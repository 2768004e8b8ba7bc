//! The lägesbild's numbers: reads the reports a request asks for and runs the hotspot
//! engine over the municipality's cells.
//!
//! Police and coordinators get the full analysis. Every other role gets the aggregated
//! layer (docs/domain.md): counts of cells with at least `PUBLIC_MIN_COUNT` reports, at
//! resolution 9 or coarser, and nothing that points at one report.
//!
//! Beside the analysis: its pure part (`analysis`), the reports behind the markers and
//! the drill-down (`points`), the exports' records (`exports`), camera candidates
//! (`cameras`) and the meetings held around the picture (`meetings`).

pub mod analysis;
pub mod cameras;
pub mod exports;
pub mod meetings;
pub mod points;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::Utc;
use geo::{Coord, MultiPolygon, Rect};
use h3o::CellIndex;
use hotspot::grid::{self, Grid};

use crate::domain::access::{may, Capability};
use crate::domain::area::Gazetteer;
use crate::domain::geo::{Bounds, LatLng};
use crate::domain::observation::Kind;
use crate::domain::situation::{Params, Situation, SituationQuery};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::areas;
use crate::ssr::infra::db::Db;

/// How many study-area grids the server keeps at once.
const MAX_GRIDS: usize = 6;

/// Where the analysis runs: the municipality boundary once a coordinator has set it
/// (`ssr::areas`), until then the box from the settings.
pub struct StudyArea {
    /// Names this version of the area, for the grid cache.
    key: String,
    polygon: MultiPolygon<f64>,
}

impl StudyArea {
    pub async fn current(db: &Db, bounds: &Bounds) -> Result<StudyArea, AppError> {
        Ok(match areas::municipality(db).await? {
            Some((key, shape)) => StudyArea {
                key,
                polygon: areas::to_geo(&shape),
            },
            None => StudyArea {
                key: format!(
                    "box:{},{},{},{}",
                    bounds.min_lat, bounds.min_lng, bounds.max_lat, bounds.max_lng
                ),
                polygon: MultiPolygon::new(vec![Rect::new(
                    Coord {
                        x: bounds.min_lng,
                        y: bounds.min_lat,
                    },
                    Coord {
                        x: bounds.max_lng,
                        y: bounds.max_lat,
                    },
                )
                .to_polygon()]),
            },
        })
    }
}

type GridKey = (String, u8, u32);

/// Grids are built once per study area, resolution and k, then shared by all requests.
fn grid_for(study: &StudyArea, resolution: u8, k: u32) -> Result<Arc<Grid>, AppError> {
    static GRIDS: OnceLock<Mutex<HashMap<GridKey, Arc<Grid>>>> = OnceLock::new();
    let key = (study.key.clone(), resolution, k);
    let grids = GRIDS.get_or_init(Default::default);
    if let Some(grid) = grids.lock().map_err(|_| AppError::Internal)?.get(&key) {
        return Ok(grid.clone());
    }
    let level = grid::resolution(resolution).map_err(|err| {
        tracing::error!(%err, "resolution passed validation but not the engine");
        AppError::Internal
    })?;
    let built = Arc::new(Grid::new(&study.polygon, level, k).map_err(|err| {
        tracing::error!(%err, study_area = %study.key, "the study area gives no cells");
        AppError::Internal
    })?);
    let mut grids = grids.lock().map_err(|_| AppError::Internal)?;
    // A few grids cover every everyday request; an odd resolution or k does not get to
    // keep hundreds of megabytes for ever.
    if grids.len() >= MAX_GRIDS {
        grids.clear();
    }
    grids.insert(key, built.clone());
    Ok(built)
}

/// The grid of the current study area for a request, and the named areas that label its
/// cells and reports.
pub(crate) async fn grid_and_places(
    db: &Db,
    bounds: &Bounds,
    params: &Params,
) -> Result<(Arc<Grid>, Gazetteer), AppError> {
    let grid = grid_for(
        &StudyArea::current(db, bounds).await?,
        params.resolution,
        params.k,
    )?;
    Ok((grid, areas::gazetteer(db).await?))
}

/// The named area a cell's centre lies in.
pub(crate) fn place_of_cell(places: &Gazetteer, cell: CellIndex) -> Option<String> {
    let centre = h3o::LatLng::from(cell);
    places
        .name_of(LatLng {
            lat: centre.lat(),
            lng: centre.lng(),
        })
        .map(str::to_owned)
}

/// Reports observed in `[$1, $2)`, received by `$3`, of kind `$4`, category `$5` and
/// strategy area `$6` ("" for all).
pub(crate) const FILTERED: &str = "where observed_at >= $1 and observed_at < $2 and created_at <= $3
    and ($4 = '' or kind = $4) and ($5 = '' or category_id = $5) and ($6 = '' or strategy_area = $6)";

/// The kind, category and strategy-area filters as bound values ("" for all).
pub(crate) fn filter_values(params: &Params) -> (&'static str, String, String) {
    (
        params.kind.map(Kind::as_str).unwrap_or(""),
        params.category.clone().unwrap_or_default(),
        params.strategy_area.clone().unwrap_or_default(),
    )
}

/// The analysis of a request, full or aggregated by the viewer's role.
pub async fn situation(
    db: &Db,
    viewer: &CurrentUser,
    query: &SituationQuery,
    bounds: &Bounds,
) -> Result<Situation, AppError> {
    let now = Utc::now();
    let aggregated = !may(viewer, Capability::ReadRestrictedReports);
    let params = match query.validate(now)? {
        params if aggregated => params.for_aggregates(now),
        params => params,
    };
    let started = std::time::Instant::now();
    let (previous_start, _) = params.previous_period_ms();
    let (_, end) = params.period_ms();
    // Both periods in one read (with the optimized analysis, the look-back year too); all
    // reports count towards the cells, restricted ones too: that is what the aggregated
    // layer is for.
    let look_back_from = end - analysis::LOOK_BACK_DAYS.max(params.days()) * 86_400_000;
    let first = if params.optimized {
        previous_start.min(look_back_from)
    } else {
        previous_start
    };
    let (kind, category, strategy_area) = filter_values(&params);
    let mut rows: Vec<analysis::Point> = sqlx::query_as(&format!(
        "select lat, lng, observed_at, strategy_area from observation {FILTERED}"
    ))
    .bind(first)
    .bind(end)
    .bind(params.as_of)
    .bind(kind)
    .bind(category)
    .bind(strategy_area)
    .fetch_all(&db.pool)
    .await?;
    let look_back = params.optimized.then(|| {
        rows.iter()
            .filter(|p| p.observed_at >= look_back_from)
            .map(|p| (p.lat, p.lng))
            .collect::<Vec<_>>()
    });
    rows.retain(|p| p.observed_at >= previous_start);
    let read = started.elapsed();
    let (grid, places) = grid_and_places(db, bounds, &params).await?;
    let reports = rows.len();
    let situation = tokio::task::spawn_blocking(move || {
        let (grid, choice) = match look_back {
            Some(look_back) if !aggregated => {
                let (grid, choice) = analysis::optimize(&grid, &look_back, &rows, &params);
                (Arc::new(grid), Some(choice))
            }
            _ => (grid, None),
        };
        let mut situation = analysis::analyse(&rows, params, &grid, aggregated);
        situation.scale = choice;
        for cell in &mut situation.cells {
            cell.place = cell.h3.parse().ok().and_then(|cell| place_of_cell(&places, cell));
        }
        situation
    })
    .await
    .map_err(|err| {
        tracing::error!(%err, "hotspot analysis failed");
        AppError::Internal
    })?;
    tracing::debug!(
        reports,
        read_ms = read.as_secs_f64() * 1000.0,
        total_ms = started.elapsed().as_secs_f64() * 1000.0,
        "hotspot analysis"
    );
    Ok(situation)
}
