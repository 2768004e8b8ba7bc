//! The lägesbild's analysis itself, without I/O: the reports of a request and the study
//! area's grid in, the hotspots, trends, heat and per-strategy-area changes out (through
//! the `hotspot` engine). The aggregated layer for those who may not read restricted
//! reports is cut here too.

use std::collections::HashMap;

use h3o::CellIndex;
use hotspot::compare::Change;
use hotspot::grid::Grid;
use hotspot::{kde, scale, trend};

use crate::domain::observation::STRATEGY_AREAS;
use crate::domain::situation::{AreaChange, HexCell, Params, ScaleChoice, Situation, PUBLIC_MIN_COUNT};

/// How many of the hottest cells the page lists.
const TOP: usize = 10;

/// The optimized analysis looks at cells within this distance of a report of the last
/// [`LOOK_BACK_DAYS`] (or of the period, if longer): where reports can occur.
const NEAR_M: f64 = 500.0;
pub const LOOK_BACK_DAYS: i64 = 365;

#[derive(sqlx::FromRow)]
pub struct Point {
    pub lat: f64,
    pub lng: f64,
    pub observed_at: i64,
    pub strategy_area: String,
}

/// The optimized analysis's grid: the cells near a report of the look-back, with the
/// scale where the period's reports cluster most (`hotspot::scale`), and what it chose.
pub fn optimize(
    area: &Grid,
    look_back: &[(f64, f64)],
    rows: &[Point],
    params: &Params,
) -> (Grid, ScaleChoice) {
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

pub fn analyse(rows: &[Point], params: Params, grid: &Grid, aggregated: bool) -> Situation {
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

pub fn boundary(cell: CellIndex) -> Vec<[f64; 2]> {
    cell.boundary()
        .iter()
        .map(|corner| [round(corner.lat(), 6), round(corner.lng(), 6)])
        .collect()
}

fn round(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}
