//! Binning points into H3 hexagons and running Gi* over a study area: every cell of the
//! resolution whose centre lies in the area is part of the analysis, empty ones too.

use std::collections::HashMap;

use geo::{Coord, MultiPolygon, Rect};
use h3o::geom::{ContainmentMode, TilerBuilder};
use h3o::{CellIndex, LatLng, Resolution};

use super::gi::{analyse, GiResult};
use super::locate::Locator;

/// Resolutions a meeting may choose: 8 (about 0.7 km²) to 11 (about 2 000 m²).
pub const RESOLUTIONS: std::ops::RangeInclusive<u8> = 8..=11;
pub const DEFAULT_RESOLUTION: u8 = 9;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum GridError {
    #[error("upplösning {0} stöds inte (8–11)")]
    Resolution(u8),
    #[error("studieområdet är inte en giltig polygon: {0}")]
    Area(String),
    #[error("inga punkter att analysera")]
    NoPoints,
}

/// One hexagon of the study area with its count and statistic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellHotspot {
    pub cell: CellIndex,
    pub count: u32,
    pub gi: GiResult,
}

pub fn resolution(level: u8) -> Result<Resolution, GridError> {
    if !RESOLUTIONS.contains(&level) {
        return Err(GridError::Resolution(level));
    }
    Resolution::try_from(level).map_err(|_| GridError::Resolution(level))
}

/// The cells whose centre lies inside `area` (x = longitude, y = latitude, degrees) —
/// the same cells as h3-py's `polygon_to_cells`.
pub fn universe(area: &MultiPolygon<f64>, resolution: Resolution) -> Result<Vec<CellIndex>, GridError> {
    let mut tiler = TilerBuilder::new(resolution)
        .containment_mode(ContainmentMode::ContainsCentroid)
        .build();
    for polygon in area {
        tiler
            .add(polygon.clone())
            .map_err(|err| GridError::Area(err.to_string()))?;
    }
    let mut cells: Vec<CellIndex> = tiler.into_coverage().collect();
    cells.sort_unstable();
    cells.dedup();
    Ok(cells)
}

/// The bounding box of the points, widened by one cell edge so the cells of points on
/// its border are inside too. `None` without valid points.
pub fn bounding_area(points: &[(f64, f64)], resolution: Resolution) -> Option<MultiPolygon<f64>> {
    let valid = points.iter().filter(|(lat, lng)| LatLng::new(*lat, *lng).is_ok());
    let (mut south, mut west, mut north, mut east) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut any = false;
    for &(lat, lng) in valid {
        any = true;
        south = south.min(lat);
        north = north.max(lat);
        west = west.min(lng);
        east = east.max(lng);
    }
    if !any {
        return None;
    }
    let edge_deg = resolution.edge_length_km() / 111.32;
    let lng_edge = edge_deg / ((south + north) / 2.0).to_radians().cos().max(0.01);
    let rect = Rect::new(
        Coord {
            x: west - lng_edge,
            y: south - edge_deg,
        },
        Coord {
            x: east + lng_edge,
            y: north + edge_deg,
        },
    );
    Some(MultiPolygon::new(vec![rect.to_polygon()]))
}

/// The cells of a study area at one resolution with their Gi* neighbourhoods, built once
/// and reused for every count (each time slice, each filter).
#[derive(Debug)]
pub struct Grid {
    resolution: Resolution,
    cells: Vec<CellIndex>,
    index: HashMap<CellIndex, u32>,
    /// Neighbourhood of cell `i`: `hoods[offsets[i]..offsets[i + 1]]`, itself included.
    offsets: Vec<usize>,
    hoods: Vec<usize>,
    locator: Locator,
}

impl Grid {
    /// Every cell of `area` at `resolution`; neighbours are the cells within `k` rings
    /// that are part of the area (neighbours outside it are not part of the analysis).
    pub fn new(area: &MultiPolygon<f64>, resolution: Resolution, k: u32) -> Result<Grid, GridError> {
        Ok(Grid::from_cells(universe(area, resolution)?, resolution, k))
    }

    /// A grid of exactly `cells` (all at `resolution`, in the order given); neighbours
    /// are the cells within `k` rings that are among them. The optimized analysis uses it
    /// for a universe of cells near reports (`scale::near_reports`).
    pub fn from_cells(cells: Vec<CellIndex>, resolution: Resolution, k: u32) -> Grid {
        let index: HashMap<CellIndex, u32> = cells
            .iter()
            .enumerate()
            .map(|(i, &cell)| (cell, i as u32))
            .collect();
        let mut offsets = Vec::with_capacity(cells.len() + 1);
        let mut hoods = Vec::with_capacity(cells.len() * (1 + 3 * k as usize * (k as usize + 1)));
        let mut ring = Vec::new();
        offsets.push(0);
        for cell in &cells {
            ring.clear();
            ring.extend(cell.grid_disk::<Vec<_>>(k));
            hoods.extend(ring.iter().filter_map(|n| index.get(n).map(|&i| i as usize)));
            offsets.push(hoods.len());
        }
        Grid {
            resolution,
            locator: Locator::new(&cells, resolution),
            cells,
            index,
            offsets,
            hoods,
        }
    }

    pub fn resolution(&self) -> Resolution {
        self.resolution
    }

    pub fn cells(&self) -> &[CellIndex] {
        &self.cells
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The position of `cell` in `cells()`, if it is part of the study area.
    pub fn position(&self, cell: CellIndex) -> Option<usize> {
        self.index.get(&cell).map(|&i| i as usize)
    }

    /// The cell a point falls in, if the point is valid and inside the study area.
    pub fn locate(&self, lat: f64, lng: f64) -> Option<usize> {
        self.locator.locate(lat, lng, |cell| self.position(cell))
    }

    /// The neighbourhood of cell `i`, the cell itself included.
    pub fn neighbours(&self, i: usize) -> &[usize] {
        &self.hoods[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Counts per cell of the study area; points outside it or invalid are left out.
    pub fn count(&self, points: &[(f64, f64)]) -> Vec<u32> {
        let mut counts = vec![0u32; self.cells.len()];
        for &(lat, lng) in points {
            if let Some(i) = self.locate(lat, lng) {
                counts[i] += 1;
            }
        }
        counts
    }

    /// Gi*, p, FDR and class for every cell from its count.
    pub fn analyse(&self, counts: &[u32]) -> Vec<GiResult> {
        let values: Vec<f64> = counts.iter().map(|&c| f64::from(c)).collect();
        analyse(&values, |i| self.neighbours(i))
    }
}

/// Gi* for every cell of the study area (default: the points' bounding area), with
/// neighbourhoods of `k` rings (the cell itself included).
pub fn hotspots(
    points: &[(f64, f64)],
    area: Option<&MultiPolygon<f64>>,
    resolution: Resolution,
    k: u32,
) -> Result<Vec<CellHotspot>, GridError> {
    let fallback;
    let area = match area {
        Some(area) => area,
        None => {
            fallback = bounding_area(points, resolution).ok_or(GridError::NoPoints)?;
            &fallback
        }
    };
    let grid = Grid::new(area, resolution, k)?;
    let counts = grid.count(points);
    let results = grid.analyse(&counts);
    Ok(grid
        .cells()
        .iter()
        .zip(counts)
        .zip(results)
        .map(|((&cell, count), gi)| CellHotspot { cell, count, gi })
        .collect())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::GiClass;

    /// A small deterministic generator (xorshift64*), so the tests need no crate; the
    /// other modules' tests use it too.
    pub(crate) struct Noise(pub(crate) u64);

    impl Noise {
        pub(crate) fn next(&mut self) -> f64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
        }

        /// Uniform points over a box around Bro, about 5.5 × 5.5 km.
        fn points(&mut self, n: usize) -> Vec<(f64, f64)> {
            (0..n)
                .map(|_| (59.49 + self.next() * 0.05, 17.60 + self.next() * 0.10))
                .collect()
        }
    }

    fn study_area() -> MultiPolygon<f64> {
        MultiPolygon::new(vec![Rect::new(
            Coord { x: 17.60, y: 59.49 },
            Coord { x: 17.70, y: 59.54 },
        )
        .to_polygon()])
    }

    #[test]
    fn every_cell_of_the_area_counts_and_counts_add_up() {
        let res = resolution(9).unwrap();
        // All points in one corner: most of the area is empty, and must still be there.
        let points: Vec<(f64, f64)> = Noise(7)
            .points(2_000)
            .into_iter()
            .map(|(lat, lng)| (59.49 + (lat - 59.49) / 10.0, 17.60 + (lng - 17.60) / 10.0))
            .collect();
        let cells = hotspots(&points, Some(&study_area()), res, 1).unwrap();
        let area_cells = universe(&study_area(), res).unwrap();
        assert_eq!(
            cells.iter().map(|c| c.cell).collect::<Vec<_>>(),
            area_cells,
            "every cell of the area, in order"
        );
        let empty = cells.iter().filter(|c| c.count == 0).count();
        assert!(
            empty > cells.len() * 9 / 10,
            "{empty} of {} cells empty",
            cells.len()
        );
        let counted: u32 = cells.iter().map(|c| c.count).sum();
        // Points in cells whose centre lies just outside the box are not in the study area.
        assert!(counted <= 2_000 && counted > 1_500, "{counted}");
    }

    #[test]
    fn a_planted_cluster_is_found_hot_at_99_percent() {
        let mut noise = Noise(42);
        let mut points = noise.points(3_000);
        let centre = (59.515, 17.65);
        points.extend((0..150).map(|_| {
            (
                centre.0 + (noise.next() - 0.5) * 0.002,
                centre.1 + (noise.next() - 0.5) * 0.004,
            )
        }));
        let res = resolution(9).unwrap();
        let cells = hotspots(&points, Some(&study_area()), res, 1).unwrap();
        let hot = LatLng::new(centre.0, centre.1).unwrap().to_cell(res);
        let found = cells.iter().find(|c| c.cell == hot).unwrap();
        assert_eq!(found.gi.class, GiClass::Hot99, "{found:?}");
        let far = cells.iter().filter(|c| c.gi.class == GiClass::Hot99).count();
        assert!(far < 20, "the cluster stays local: {far} hot cells");
    }

    #[test]
    fn uniform_noise_gives_no_fdr_significant_cells_in_most_seeds() {
        let res = resolution(9).unwrap();
        let clean = (1..=10)
            .filter(|&seed| {
                let cells = hotspots(&Noise(seed * 7919).points(3_000), Some(&study_area()), res, 1).unwrap();
                // Significant at the usual 5 % false discovery rate.
                cells.iter().all(|c| c.gi.p_fdr >= 0.05)
            })
            .count();
        assert!(clean >= 8, "only {clean} of 10 noise maps came out clean");
    }

    #[test]
    fn without_an_area_the_points_bounding_box_is_used_and_bad_input_is_named() {
        let points = Noise(3).points(500);
        let cells = hotspots(&points, None, resolution(9).unwrap(), 1).unwrap();
        assert_eq!(
            cells.iter().map(|c| c.count).sum::<u32>(),
            500,
            "nothing lost at the edges"
        );
        assert_eq!(
            hotspots(&[], None, resolution(9).unwrap(), 1),
            Err(GridError::NoPoints)
        );
        assert_eq!(resolution(12), Err(GridError::Resolution(12)));
    }

    #[test]
    fn the_fast_locator_gives_h3os_answer_for_every_point() {
        let municipality = MultiPolygon::new(vec![Rect::new(
            Coord { x: 17.30, y: 59.38 },
            Coord { x: 18.00, y: 59.68 },
        )
        .to_polygon()]);
        let mut noise = Noise(99);
        for (area, level, n) in [
            (&municipality, 9, 100_000),
            (&study_area(), 8, 20_000),
            (&study_area(), 10, 20_000),
            (&study_area(), 11, 20_000),
        ] {
            let res = resolution(level).unwrap();
            let grid = Grid::new(area, res, 1).unwrap();
            // Over the area and a margin around it, so points outside are asked too.
            let points: Vec<(f64, f64)> = (0..n)
                .map(|_| (59.36 + noise.next() * 0.34, 17.25 + noise.next() * 0.80))
                .collect();
            for &(lat, lng) in &points {
                let exact = grid.position(LatLng::new(lat, lng).unwrap().to_cell(res));
                assert_eq!(
                    grid.locate(lat, lng),
                    exact,
                    "({lat}, {lng}) at resolution {level}"
                );
            }
            // Cell centres and corners are where a shortcut would go wrong first.
            for &cell in grid.cells().iter().take(2_000) {
                let centre = LatLng::from(cell);
                assert_eq!(grid.locate(centre.lat(), centre.lng()), grid.position(cell));
                for corner in cell.boundary().iter() {
                    // Through degrees, as the locator gets it: on a corner, the last bit
                    // decides the cell.
                    let exact = grid.position(LatLng::new(corner.lat(), corner.lng()).unwrap().to_cell(res));
                    assert_eq!(grid.locate(corner.lat(), corner.lng()), exact, "corner of {cell}");
                }
            }
        }
        assert_eq!(
            Grid::new(&study_area(), resolution(9).unwrap(), 1)
                .unwrap()
                .locate(f64::NAN, 17.6),
            None
        );
    }
}
