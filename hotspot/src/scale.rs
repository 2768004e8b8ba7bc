//! Optimized hot spot analysis, after the ArcGIS tool of that name: let the data choose
//! the scale of analysis and the cells that take part, then run the same Gi* as always.
//!
//! - **Scale** ([`incremental`], [`choose`]): incremental spatial autocorrelation. For
//!   neighbourhoods of 1, 2, … [`MAX_RINGS`] hexagon rings, global Moran's I of the cell
//!   counts and its z-score under the randomization assumption (Cliff & Ord 1981; PySAL
//!   esda `Moran(..., transformation="B").z_rand`). Clustering is most pronounced where
//!   the z-score peaks; the first significant peak is the scale. A tight cluster of a few
//!   cells peaks at one or two rings, a cluster spread over a district later.
//! - **Universe** ([`near_reports`]): only cells where reports can occur, here those
//!   within a set number of rings of a cell that had any report in a longer look-back
//!   (the server uses twelve months). Empty fields and lakes then no longer make every
//!   populated cell look extreme against a sea of zeros.

use std::collections::HashMap;

use h3o::CellIndex;
use serde::{Deserialize, Serialize};

use crate::grid::Grid;

/// The largest neighbourhood tried, in rings (at resolution 9 about 1.8 km).
pub const MAX_RINGS: u32 = 6;

/// z-score a peak must reach to count as clustering (5 %, two-sided).
pub const SIGNIFICANT_Z: f64 = 1.96;

/// Global Moran's I at one neighbourhood size.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScaleStep {
    /// Rings of neighbours.
    pub k: u32,
    pub moran_i: f64,
    /// z-score under randomization; 0 where it is undefined (no variance, too few cells).
    pub z: f64,
}

/// Global Moran's I and its z-score under randomization, for binary symmetric weights
/// given as neighbour lists **without** the location itself. `None` with fewer than four
/// locations, no neighbours or no variance.
pub fn morans_i<'a, N>(values: &[f64], neighbours: N) -> Option<(f64, f64)>
where
    N: Fn(usize) -> &'a [usize],
{
    let n = values.len();
    if n < 4 {
        return None;
    }
    let nf = n as f64;
    let mean = values.iter().sum::<f64>() / nf;
    let z: Vec<f64> = values.iter().map(|x| x - mean).collect();
    let m2 = z.iter().map(|d| d * d).sum::<f64>();
    if m2 <= f64::EPSILON * nf {
        return None;
    }
    let m4 = z.iter().map(|d| d.powi(4)).sum::<f64>();
    let (mut s0, mut s2, mut cross) = (0.0, 0.0, 0.0);
    for (i, zi) in z.iter().enumerate() {
        let hood = neighbours(i);
        let degree = hood.len() as f64;
        s0 += degree;
        // Symmetric binary weights: (w_i. + w_.i)² = (2 d_i)².
        s2 += 4.0 * degree * degree;
        cross += zi * hood.iter().map(|&j| z[j]).sum::<f64>();
    }
    if s0 == 0.0 {
        return None;
    }
    // ½ Σ (w_ij + w_ji)² = 2 S0 for symmetric binary weights.
    let s1 = 2.0 * s0;
    let moran = nf / s0 * cross / m2;
    let expected = -1.0 / (nf - 1.0);
    let kurtosis = nf * m4 / (m2 * m2);
    let a = nf * ((nf * nf - 3.0 * nf + 3.0) * s1 - nf * s2 + 3.0 * s0 * s0);
    let b = kurtosis * ((nf * nf - nf) * s1 - 2.0 * nf * s2 + 6.0 * s0 * s0);
    let variance = (a - b) / ((nf - 1.0) * (nf - 2.0) * (nf - 3.0) * s0 * s0) - expected * expected;
    let z = if variance > 0.0 {
        (moran - expected) / variance.sqrt()
    } else {
        0.0
    };
    Some((moran, z))
}

/// Moran's I for every neighbourhood of 1..=`max_k` rings over `cells` (neighbours outside
/// `cells` do not take part, as in the Gi* grid).
pub fn incremental(cells: &[CellIndex], values: &[f64], max_k: u32) -> Vec<ScaleStep> {
    let index: HashMap<CellIndex, usize> = cells.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    let mut offsets = Vec::with_capacity(cells.len() + 1);
    let mut hoods = Vec::new();
    let mut steps = Vec::new();
    for k in 1..=max_k {
        offsets.clear();
        hoods.clear();
        offsets.push(0);
        for &cell in cells {
            hoods.extend(
                cell.grid_disk::<Vec<_>>(k)
                    .into_iter()
                    .filter(|&n| n != cell)
                    .filter_map(|n| index.get(&n).copied()),
            );
            offsets.push(hoods.len());
        }
        let (moran_i, z) = morans_i(values, |i| &hoods[offsets[i]..offsets[i + 1]]).unwrap_or((0.0, 0.0));
        steps.push(ScaleStep { k, moran_i, z });
    }
    steps
}

/// The scale of analysis: the first neighbourhood size whose z-score is significant and
/// higher than at the next size (a peak); when z only rises, the largest tried. `None`
/// when no size shows significant clustering: then there is no scale to pick and the
/// caller keeps its default.
pub fn choose(steps: &[ScaleStep]) -> Option<u32> {
    let significant = |step: &ScaleStep| step.z >= SIGNIFICANT_Z;
    steps
        .iter()
        .enumerate()
        .find(|(i, step)| significant(step) && steps.get(i + 1).is_none_or(|next| next.z < step.z))
        .map(|(_, step)| step.k)
}

/// The cells of `area_cells` within `rings` rings of a cell in `reported`: where reports
/// can occur. Keeps the order of `area_cells`.
pub fn near_reports(area_cells: &[CellIndex], reported: &[CellIndex], rings: u32) -> Vec<CellIndex> {
    let mut near = std::collections::HashSet::new();
    for &cell in reported {
        near.extend(cell.grid_disk::<Vec<_>>(rings));
    }
    area_cells
        .iter()
        .copied()
        .filter(|cell| near.contains(cell))
        .collect()
}

/// The grid and scale the data chose (see the module description).
#[derive(Debug)]
pub struct Optimized {
    /// The cells near reports, with neighbourhoods of the chosen `k` rings.
    pub grid: Grid,
    /// Moran's I and its z-score for each neighbourhood size tried.
    pub steps: Vec<ScaleStep>,
    pub k: u32,
    /// Whether the data showed significant clustering at some scale; if not, `k` is the
    /// caller's fallback.
    pub found: bool,
    /// How many cells of the full study area there are (the universe is a part of them).
    pub area_cells: usize,
}

/// Optimized hot spot analysis on the cells of `area`: the universe is the cells within
/// `near_rings` rings of a cell with one of `look_back` (the longer history), and the
/// scale is where the clustering of `current` (the period analysed) peaks.
pub fn optimize(
    area: &Grid,
    look_back: &[(f64, f64)],
    current: &[(f64, f64)],
    near_rings: u32,
    fallback_k: u32,
) -> Optimized {
    let mut reported: Vec<CellIndex> = look_back
        .iter()
        .filter_map(|&(lat, lng)| area.locate(lat, lng))
        .map(|i| area.cells()[i])
        .collect();
    reported.sort_unstable();
    reported.dedup();
    let universe = near_reports(area.cells(), &reported, near_rings);
    let position: HashMap<CellIndex, usize> = universe.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    let mut values = vec![0.0; universe.len()];
    for &(lat, lng) in current {
        if let Some(i) = area.locate(lat, lng).and_then(|i| position.get(&area.cells()[i])) {
            values[*i] += 1.0;
        }
    }
    let steps = incremental(&universe, &values, MAX_RINGS);
    let chosen = choose(&steps);
    let k = chosen.unwrap_or(fallback_k);
    Optimized {
        grid: Grid::from_cells(universe, area.resolution(), k),
        steps,
        k,
        found: chosen.is_some(),
        area_cells: area.len(),
    }
}

/// Distance between the centres of neighbouring cells at the resolution of `cell`, in
/// metres: what one ring means on the ground.
pub fn ring_spacing_m(cell: CellIndex) -> f64 {
    let centre = h3o::LatLng::from(cell);
    cell.grid_disk::<Vec<_>>(1)
        .into_iter()
        .filter(|&n| n != cell)
        .map(|n| centre.distance_m(h3o::LatLng::from(n)))
        .fold(f64::NAN, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;
    use h3o::{LatLng, Resolution};

    use crate::grid::tests::Noise;

    /// A count of 0–2, as ordinary scattered reports.
    fn background(noise: &mut Noise) -> f64 {
        (noise.next() * 3.0).floor()
    }

    /// The cells within 14 rings of central Bro at resolution 9 (about 3 km across).
    fn study_cells() -> (CellIndex, Vec<CellIndex>) {
        let centre = LatLng::new(59.5110, 17.6360).unwrap().to_cell(Resolution::Nine);
        (centre, centre.grid_disk::<Vec<_>>(14))
    }

    /// Background noise plus `peak` reports per cell within `radius` rings of the centre,
    /// falling off linearly to the edge.
    fn planted(radius: u32, peak: f64, seed: u64) -> (Vec<CellIndex>, Vec<f64>) {
        let (centre, cells) = study_cells();
        let mut noise = Noise(seed);
        let values = cells
            .iter()
            .map(|&cell| {
                let d = centre.grid_distance(cell).unwrap() as f64;
                let cluster = if d <= f64::from(radius) {
                    peak * (1.0 - d / (f64::from(radius) + 1.0))
                } else {
                    0.0
                };
                background(&mut noise) + cluster.round()
            })
            .collect();
        (cells, values)
    }

    #[test]
    fn morans_i_matches_a_hand_computed_case() {
        // Four locations on a line, neighbours left and right: 1–2, 2–3, 3–4.
        let hoods: [&[usize]; 4] = [&[1], &[0, 2], &[1, 3], &[2]];
        let (moran, z) = morans_i(&[1.0, 2.0, 3.0, 4.0], |i| hoods[i]).unwrap();
        // z = [-1.5, -0.5, 0.5, 1.5], Σz² = 5, Σ_ij w z_i z_j = 2 (0.75 − 0.25 + 0.75) = 2.5,
        // S0 = 6: I = 4/6 · 2.5/5 = 1/3.
        assert!((moran - 1.0 / 3.0).abs() < 1e-12, "{moran}");
        assert!(z.is_finite());
        // No variance, too few locations: undefined.
        assert_eq!(morans_i(&[2.0; 4], |i| hoods[i]), None);
        assert_eq!(morans_i(&[1.0, 2.0, 3.0], |i| &hoods[i][..0]), None);
    }

    #[test]
    fn a_tight_cluster_picks_a_small_scale_and_a_broad_one_a_larger() {
        for seed in [3, 11, 29] {
            let (cells, tight) = planted(1, 12.0, seed);
            let (_, broad) = planted(7, 12.0, seed);
            let tight_steps = incremental(&cells, &tight, MAX_RINGS);
            let broad_steps = incremental(&cells, &broad, MAX_RINGS);
            let tight_k = choose(&tight_steps).expect("a tight cluster is clustering");
            let broad_k = choose(&broad_steps).expect("a broad cluster is clustering");
            assert!(tight_k <= 2, "seed {seed}: tight {tight_k} {tight_steps:?}");
            assert!(broad_k >= 4, "seed {seed}: broad {broad_k} {broad_steps:?}");
        }
    }

    #[test]
    fn noise_alone_has_no_scale() {
        let (_, cells) = study_cells();
        let mut noise = Noise(5);
        let values: Vec<f64> = cells.iter().map(|_| background(&mut noise)).collect();
        let steps = incremental(&cells, &values, MAX_RINGS);
        assert_eq!(choose(&steps), None, "{steps:?}");
    }

    #[test]
    fn the_optimized_grid_keeps_cells_near_reports_and_the_chosen_scale() {
        let (centre, cells) = study_cells();
        let area = Grid::from_cells(cells.clone(), Resolution::Nine, 1);
        let at = |cell: CellIndex| {
            let point = h3o::LatLng::from(cell);
            (point.lat(), point.lng())
        };
        // A tight cluster at the centre this period; last year's reports there and at one
        // far cell.
        let far = cells
            .iter()
            .copied()
            .find(|&c| centre.grid_distance(c).unwrap() == 10)
            .unwrap();
        let mut current = Vec::new();
        for cell in centre.grid_disk::<Vec<_>>(1) {
            current.extend(std::iter::repeat_n(at(cell), 6));
        }
        let mut noise = Noise(17);
        for &cell in &cells {
            current.extend(std::iter::repeat_n(at(cell), background(&mut noise) as usize));
        }
        let look_back = vec![at(centre), at(far)];
        let optimized = optimize(&area, &look_back, &current, 3, 1);
        assert_eq!(optimized.area_cells, cells.len());
        assert_eq!(optimized.grid.len(), 37 + 37, "two disks of three rings");
        assert!(
            optimized.found && optimized.k <= 2,
            "a tight cluster: {:?}",
            optimized.steps
        );
        let centre_at = optimized.grid.position(centre).unwrap();
        assert_eq!(
            optimized.grid.neighbours(centre_at).len(),
            1 + 3 * optimized.k as usize * (optimized.k as usize + 1)
        );
        // Gi* on the optimized grid: the planted cells are hot, far fewer than before.
        let counts = optimized.grid.count(&current);
        let hot = optimized
            .grid
            .analyse(&counts)
            .iter()
            .filter(|r| r.class.bin() > 0)
            .count();
        let hot_everywhere = area
            .analyse(&area.count(&current))
            .iter()
            .filter(|r| r.class.bin() > 0)
            .count();
        assert!(hot >= 1 && hot <= hot_everywhere, "{hot} of {hot_everywhere}");
    }

    #[test]
    fn the_universe_keeps_cells_near_reports_in_area_order() {
        let (centre, cells) = study_cells();
        let far = cells
            .iter()
            .copied()
            .find(|&c| centre.grid_distance(c).unwrap() == 14)
            .unwrap();
        let near = near_reports(&cells, &[centre, far], 2);
        assert_eq!(
            near.len(),
            19 + near
                .iter()
                .filter(|&&c| far.grid_distance(c).unwrap() <= 2)
                .count()
        );
        assert!(near.contains(&far) && near.contains(&centre));
        let positions: Vec<usize> = near
            .iter()
            .map(|c| cells.iter().position(|x| x == c).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "in area order");
        let spacing = ring_spacing_m(centre);
        assert!((250.0..400.0).contains(&spacing), "{spacing}");
    }
}
