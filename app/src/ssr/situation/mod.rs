//! The lägesbild's numbers: reads the reports a request asks for and runs the hotspot
//! engine over the municipality's cells.
//!
//! Police and coordinators get the full analysis. Every other role gets the aggregated
//! layer (docs/domain.md): counts of cells with at least `PUBLIC_MIN_COUNT` reports, at
//! resolution 9 or coarser, and nothing that points at one report.
//!
//! The meetings held around the picture are in `meetings`.

pub mod meetings;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use geo::{Coord, MultiPolygon, Rect};
use h3o::CellIndex;
use hotspot::compare::Change;
use hotspot::grid::{self, Grid};
use hotspot::{kde, scale, trend};
use time::OffsetDateTime;

use crate::domain::access::{may, require, Capability};
use crate::domain::area::Gazetteer;
use crate::domain::geo::{Bounds, LatLng};
use crate::domain::observation::{strategy_area_label, Kind, Observation, STRATEGY_AREAS};
use crate::domain::situation::{
    AreaChange, CameraCandidate, CameraPeriod, HexCell, Params, ScaleChoice, Situation, SituationPoint,
    SituationQuery, CAMERA_MIN_REPORTS, CAMERA_PERIOD_DAYS, PUBLIC_MIN_COUNT,
};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ssr::areas;
use crate::ssr::infra::db::Db;
use crate::ssr::infra::decode::Row;
use crate::ssr::reports::observations::{self, unix_ms, visibility, Filter, Shown, PUBLIC_ID, VISIBLE};

/// How many study-area grids the server keeps at once.
const MAX_GRIDS: usize = 6;

/// How many of the hottest cells the page lists.
const TOP: usize = 10;

/// The optimized analysis looks at cells within this distance of a report of the last
/// [`LOOK_BACK_DAYS`] (or of the period, if longer): where reports can occur.
const NEAR_M: f64 = 500.0;
const LOOK_BACK_DAYS: i64 = 365;

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
async fn grid_and_places(
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
const FILTERED: &str = "where observed_at >= $1 and observed_at < $2 and created_at <= $3
    and ($4 = '' or kind = $4) and ($5 = '' or category_id = $5) and ($6 = '' or strategy_area = $6)";

/// The kind, category and strategy-area filters as bound values ("" for all).
fn filter_values(params: &Params) -> (&'static str, String, String) {
    (
        params.kind.map(Kind::as_str).unwrap_or(""),
        params.category.clone().unwrap_or_default(),
        params.strategy_area.clone().unwrap_or_default(),
    )
}

#[derive(sqlx::FromRow)]
struct Point {
    lat: f64,
    lng: f64,
    observed_at: i64,
    strategy_area: String,
}

/// The analysis of a request, full or aggregated by the viewer's role.
pub async fn situation(
    db: &Db,
    viewer: &CurrentUser,
    query: &SituationQuery,
    bounds: &Bounds,
) -> Result<Situation, AppError> {
    let now = OffsetDateTime::now_utc();
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
    let look_back_from = end - LOOK_BACK_DAYS.max(params.days()) * 86_400_000;
    let first = if params.optimized {
        previous_start.min(look_back_from)
    } else {
        previous_start
    };
    let (kind, category, strategy_area) = filter_values(&params);
    let mut rows: Vec<Point> = sqlx::query_as(&format!(
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
                let (grid, choice) = optimize(&grid, &look_back, &rows, &params);
                (Arc::new(grid), Some(choice))
            }
            _ => (grid, None),
        };
        let mut situation = analyse(&rows, params, &grid, aggregated);
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

/// The optimized analysis's grid: the cells near a report of the look-back, with the
/// scale where the period's reports cluster most (`hotspot::scale`), and what it chose.
fn optimize(area: &Grid, look_back: &[(f64, f64)], rows: &[Point], params: &Params) -> (Grid, ScaleChoice) {
    let (start, _) = params.period_ms();
    let current: Vec<(f64, f64)> = rows
        .iter()
        .filter(|p| p.observed_at >= start && params.keeps_time(p.observed_at))
        .map(|p| (p.lat, p.lng))
        .collect();
    let spacing = area
        .cells()
        .first()
        .map_or(f64::NAN, |&cell| scale::ring_spacing_m(cell));
    let near_rings = if spacing.is_finite() && spacing > 0.0 {
        ((NEAR_M / spacing).ceil() as u32).max(1)
    } else {
        1
    };
    let optimized = scale::optimize(area, look_back, &current, near_rings, params.k);
    let choice = ScaleChoice {
        k: optimized.k,
        distance_m: round(f64::from(optimized.k) * spacing, 0),
        found: optimized.found,
        steps: optimized
            .steps
            .iter()
            .map(|step| (step.k, round(step.z, 2)))
            .collect(),
        cells: optimized.grid.len() as u32,
        area_cells: optimized.area_cells as u32,
        near_m: round(f64::from(near_rings) * spacing, 0),
        look_back_days: LOOK_BACK_DAYS.max(params.days()),
    };
    (optimized.grid, choice)
}

fn analyse(rows: &[Point], params: Params, grid: &Grid, aggregated: bool) -> Situation {
    let (start, _) = params.period_ms();
    let kept: Vec<&Point> = rows.iter().filter(|p| params.keeps_time(p.observed_at)).collect();
    let (now, previous): (Vec<&Point>, Vec<&Point>) = kept.iter().partition(|p| p.observed_at >= start);
    let cell_of = |points: &[&Point]| -> Vec<Option<usize>> {
        points.iter().map(|p| grid.locate(p.lat, p.lng)).collect()
    };
    let now_cells = cell_of(&now);
    let mut counts = vec![0u32; grid.len()];
    for i in now_cells.iter().flatten() {
        counts[*i] += 1;
    }
    if aggregated {
        let cells: Vec<HexCell> = (0..grid.len())
            .filter(|&i| counts[i] >= PUBLIC_MIN_COUNT)
            .map(|i| HexCell {
                h3: grid.cells()[i].to_string(),
                boundary: boundary(grid.cells()[i]),
                count: counts[i],
                previous: None,
                z: None,
                p_fdr: None,
                class: 0,
                rise: false,
                trend: None,
                place: None,
            })
            .collect();
        // Only what the shown cells add up to: a total over everything would give away
        // the reports in the cells below the minimum.
        return Situation {
            params,
            aggregated,
            total: cells.iter().map(|c| c.count).sum(),
            cells,
            areas: Vec::new(),
            top: Vec::new(),
            slices: 0,
            heat: Vec::new(),
            bandwidth_m: None,
            scale: None,
        };
    }
    let mut previous_counts = vec![0u32; grid.len()];
    for i in cell_of(&previous).into_iter().flatten() {
        previous_counts[i] += 1;
    }
    let gi = grid.analyse(&counts);

    // Emerging hotspots over the period's time slices.
    let starts = params.slice_starts_ms();
    let mut slices = vec![vec![0u32; grid.len()]; starts.len()];
    for (point, cell) in now.iter().zip(&now_cells) {
        // Days before the first whole slice are not part of the trend.
        let slice = starts.partition_point(|&s| s <= point.observed_at);
        if let (Some(cell), Some(slice)) = (cell, slice.checked_sub(1)) {
            slices[slice][*cell] += 1;
        }
    }
    let trends = trend::emerging(grid, &slices).ok();

    let surface = kde::surface(&now.iter().map(|p| (p.lat, p.lng)).collect::<Vec<_>>(), None);
    let heat = surface
        .as_ref()
        .map(|s| {
            s.heat_points()
                .into_iter()
                .map(|(lat, lng, w)| [round(lat, 5), round(lng, 5), round(w, 3)])
                .collect()
        })
        .unwrap_or_default();

    let mut cells = Vec::new();
    for i in 0..grid.len() {
        let trend = trends
            .as_ref()
            .map(|t| t[i].class)
            .filter(|c| *c != trend::Emerging::None);
        if counts[i] == 0 && gi[i].class.bin() == 0 && trend.is_none() {
            continue;
        }
        cells.push(HexCell {
            h3: grid.cells()[i].to_string(),
            boundary: boundary(grid.cells()[i]),
            count: counts[i],
            previous: Some(previous_counts[i]),
            z: Some(round(gi[i].z, 4)),
            p_fdr: Some(gi[i].p_fdr),
            class: gi[i].class.bin(),
            rise: Change::new(counts[i], previous_counts[i]).significant_rise,
            trend: trend.map(|t| t.as_str().to_owned()),
            place: None,
        });
    }
    // Hot cells with reports of their own: a hot neighbour without any is part of the
    // same hotspot on the map, but there is nothing to drill down to.
    let mut top: Vec<&HexCell> = cells.iter().filter(|c| c.class > 0 && c.count > 0).collect();
    // Highest z first; a cell and its neighbours can share a z, then the one with more
    // reports comes first.
    top.sort_by(|a, b| {
        b.z.unwrap_or(0.0)
            .total_cmp(&a.z.unwrap_or(0.0))
            .then(b.count.cmp(&a.count))
    });
    let top = top.into_iter().take(TOP).map(|c| c.h3.clone()).collect();

    Situation {
        areas: area_changes(&now, &previous),
        params,
        aggregated,
        total: now.len() as u32,
        cells,
        top,
        slices: starts.len() as u32,
        heat,
        bandwidth_m: surface.map(|s| round(s.bandwidth_m, 1)),
        scale: None,
    }
}

fn tally<'a>(points: &[&'a Point]) -> HashMap<&'a str, u32> {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for p in points {
        *counts.entry(p.strategy_area.as_str()).or_default() += 1;
    }
    counts
}

/// Per strategy area with reports in either period, in the plan's order, then all.
fn area_changes(now: &[&Point], previous: &[&Point]) -> Vec<AreaChange> {
    let (now_by, previous_by) = (tally(now), tally(previous));
    let change = |area: &str, now: u32, previous: u32| {
        let c = Change::new(now, previous);
        AreaChange {
            strategy_area: area.to_owned(),
            now,
            previous,
            change: c.change,
            p_rise: c.p_rise,
            significant_rise: c.significant_rise,
        }
    };
    let mut areas: Vec<AreaChange> = STRATEGY_AREAS
        .iter()
        .map(|&area| {
            let get = |by: &HashMap<&str, u32>| by.get(area).copied().unwrap_or(0);
            (area, get(&now_by), get(&previous_by))
        })
        .filter(|(_, now, previous)| now + previous > 0)
        .map(|(area, now, previous)| change(area, now, previous))
        .collect();
    areas.push(change("", now.len() as u32, previous.len() as u32));
    areas
}

pub(crate) fn boundary(cell: CellIndex) -> Vec<[f64; 2]> {
    cell.boundary()
        .iter()
        .map(|corner| [round(corner.lat(), 6), round(corner.lng(), 6)])
        .collect()
}

fn round(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

#[derive(sqlx::FromRow)]
struct PointRow {
    id: String,
    sensitivity: String,
    reporter_id: String,
    lat: f64,
    lng: f64,
    kind: String,
    category_id: String,
    strategy_area: String,
    observed_at: i64,
}

/// The reports of a request the viewer may see, with their cell of the study area ("" for
/// one outside it), for markers and the drill-down from a hotspot. Only for roles that see exact positions.
pub async fn points(
    db: &Db,
    viewer: &CurrentUser,
    query: &SituationQuery,
    bounds: &Bounds,
) -> Result<Vec<SituationPoint>, AppError> {
    require(viewer, Capability::ReadRestrictedReports)?;
    let params = query.validate(OffsetDateTime::now_utc())?;
    let (start, end) = params.period_ms();
    let (everything, viewer_id, internal) = visibility(viewer);
    let (kind, category, strategy_area) = filter_values(&params);
    let sql = format!(
        "select {PUBLIC_ID} as id, o.sensitivity, o.reporter_id, o.lat, o.lng, o.kind, o.category_id,
                o.strategy_area, o.observed_at
         from observation o
         where {VISIBLE}
           and o.observed_at >= $4 and o.observed_at < $5 and o.created_at <= $6
           and ($7 = '' or o.kind = $7) and ($8 = '' or o.category_id = $8)
           and ($9 = '' or o.strategy_area = $9)
         order by o.observed_at, o.id"
    );
    let rows: Vec<PointRow> = sqlx::query_as(&sql)
        .bind(everything)
        .bind(viewer_id)
        .bind(internal)
        .bind(start)
        .bind(end)
        .bind(params.as_of)
        .bind(kind)
        .bind(category)
        .bind(strategy_area)
        .fetch_all(&db.pool)
        .await?;
    // The grid the analysis used (kept by then): its locator finds the cells.
    let (grid, places) = grid_and_places(db, bounds, &params).await?;
    let names: HashMap<String, [String; 2]> = crate::ssr::reports::categories::all_categories(db)
        .await?
        .into_iter()
        .map(|category| (category.id, [category.label_sv, category.label_en]))
        .collect();
    let rows: Vec<PointRow> = rows
        .into_iter()
        .filter(|row| params.keeps_time(row.observed_at))
        .collect();
    // Exact positions of restricted reports are reads of them: logged before they leave.
    let shown = rows
        .iter()
        .map(|row| {
            let stored = Row::of("observation", &row.id);
            Ok(Shown {
                id: stored.id()?,
                sensitivity: stored.code("sensitivity", &row.sensitivity)?,
                reporter_id: stored.uuid("reporter_id", &row.reporter_id)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    observations::record_reads(db, viewer, None, shown).await?;
    rows.into_iter()
        .map(|row| {
            let h3 = grid
                .locate(row.lat, row.lng)
                .map(|i| grid.cells()[i].to_string())
                .unwrap_or_default();
            let stored = Row::of("observation", &row.id);
            Ok(SituationPoint {
                id: stored.id()?,
                lat: row.lat,
                lng: row.lng,
                kind: stored.code("kind", &row.kind)?,
                category_name: names
                    .get(&row.category_id)
                    .cloned()
                    .unwrap_or_else(|| [row.category_id.clone(), row.category_id.clone()]),
                category: row.category_id,
                strategy_area_name: [
                    strategy_area_label(&row.strategy_area, Lang::Sv).to_owned(),
                    strategy_area_label(&row.strategy_area, Lang::En).to_owned(),
                ],
                strategy_area: row.strategy_area,
                observed_at: row.observed_at,
                h3,
                place: places
                    .name_of(LatLng {
                        lat: row.lat,
                        lng: row.lng,
                    })
                    .map(str::to_owned),
            })
        })
        .collect()
}

/// The full records of a request that the viewer may see, for the exports.
pub async fn observations_for(
    db: &Db,
    viewer: &CurrentUser,
    query: &SituationQuery,
) -> Result<(Params, Vec<Observation>), AppError> {
    let params = query.validate(OffsetDateTime::now_utc())?;
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

/// Camera candidates (plan 4.4): cells hot (Gi_Bin ≥ 2, 95 %, with at least
/// `CAMERA_MIN_REPORTS` reports of their own) in at least `min_hot` of the last `periods`
/// 30-day periods, the newest ending today, with their history. Only
/// the kind, category and strategy-area filters of `query` apply.
pub async fn camera_candidates(
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
    let now = OffsetDateTime::now_utc();
    let params = query.validate(now)?;
    let today = crate::domain::clock::stockholm_date(now);
    // Period i covers the days starts[i] ..= starts[i] + 29; the last ends today.
    let starts: Vec<time::Date> = (0..periods)
        .map(|i| today - time::Duration::days(CAMERA_PERIOD_DAYS * i64::from(periods - i) - 1))
        .collect();
    let bounds_ms: Vec<i64> = starts
        .iter()
        .map(|day| crate::domain::situation::local_midnight_ms(*day))
        .chain([crate::domain::situation::local_midnight_ms(
            today + time::Duration::days(1),
        )])
        .collect();
    let (kind, category, strategy_area) = filter_values(&params);
    let rows: Vec<Point> = sqlx::query_as(
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
    let (grid, places) = grid_and_places(db, bounds, &params).await?;
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
                    boundary: boundary(index),
                    place: place_of_cell(&places, index),
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
