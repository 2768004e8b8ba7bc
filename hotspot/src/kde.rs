//! Kernel density for the heat layer: the quartic (biweight) kernel of Silverman (1986,
//! eq. 4.5), the one ArcGIS's Kernel Density uses, on a regular raster in metres.
//!
//! Bandwidth, when none is given, follows ArcGIS's spatial variant of Silverman's rule of
//! thumb: `h = 0.9 × min(SD, √(1/ln 2) × Dm) × n^(−0.2)`, where SD is the standard
//! distance of the points and Dm the median distance from their mean centre. A floor of
//! [`MIN_BANDWIDTH_M`] keeps a pile of points on one spot from giving a zero radius.
//!
//! Positions are projected to a local equirectangular plane around the points' mean
//! latitude, which is accurate to well under a metre across a municipality.

use serde::{Deserialize, Serialize};

const EARTH_RADIUS_M: f64 = 6_371_008.8;
/// The smallest search radius the rule may give.
pub const MIN_BANDWIDTH_M: f64 = 25.0;
/// The raster never has more cells than this, however small the bandwidth.
pub const MAX_RASTER_CELLS: usize = 250_000;
/// Raster cells per bandwidth along each axis.
const CELLS_PER_BANDWIDTH: f64 = 3.0;

/// A density raster: `values[row * cols + col]` is the density (points per km²) at the
/// centre of that cell; row 0 is the southernmost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Surface {
    pub bandwidth_m: f64,
    pub cell_m: f64,
    pub cols: usize,
    pub rows: usize,
    pub values: Vec<f64>,
    projection: Projection,
    /// Projected centre of cell (0, 0).
    origin: (f64, f64),
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct Projection {
    cos_lat0: f64,
}

impl Projection {
    fn around(points: &[(f64, f64)]) -> Projection {
        let mean_lat = points.iter().map(|p| p.0).sum::<f64>() / points.len() as f64;
        Projection {
            cos_lat0: mean_lat.to_radians().cos(),
        }
    }

    fn forward(self, (lat, lng): (f64, f64)) -> (f64, f64) {
        (
            EARTH_RADIUS_M * lng.to_radians() * self.cos_lat0,
            EARTH_RADIUS_M * lat.to_radians(),
        )
    }

    fn inverse(self, (x, y): (f64, f64)) -> (f64, f64) {
        (
            (y / EARTH_RADIUS_M).to_degrees(),
            (x / (EARTH_RADIUS_M * self.cos_lat0)).to_degrees(),
        )
    }
}

/// The default search radius in metres for projected points (see the module docs).
pub fn default_bandwidth(projected: &[(f64, f64)]) -> f64 {
    let n = projected.len();
    if n < 2 {
        return MIN_BANDWIDTH_M;
    }
    let nf = n as f64;
    let (mx, my) = projected
        .iter()
        .fold((0.0, 0.0), |(sx, sy), &(x, y)| (sx + x / nf, sy + y / nf));
    let mut distances: Vec<f64> = projected
        .iter()
        .map(|&(x, y)| ((x - mx).powi(2) + (y - my).powi(2)).sqrt())
        .collect();
    let standard_distance = (distances.iter().map(|d| d * d).sum::<f64>() / nf).sqrt();
    let middle = n / 2;
    let (_, &mut upper, _) = distances.select_nth_unstable_by(middle, f64::total_cmp);
    let median = if n % 2 == 1 {
        upper
    } else {
        let lower = distances[..middle].iter().copied().fold(f64::MIN, f64::max);
        (lower + upper) / 2.0
    };
    let spread = standard_distance.min((1.0 / std::f64::consts::LN_2).sqrt() * median);
    (0.9 * spread * nf.powf(-0.2)).max(MIN_BANDWIDTH_M)
}

/// The density surface of `points` (lat, lng), or `None` without points. `bandwidth_m`
/// overrides the rule of thumb.
pub fn surface(points: &[(f64, f64)], bandwidth_m: Option<f64>) -> Option<Surface> {
    let points: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(lat, lng)| lat.is_finite() && lng.is_finite() && lat.abs() <= 90.0 && lng.abs() <= 180.0)
        .collect();
    if points.is_empty() {
        return None;
    }
    let projection = Projection::around(&points);
    let projected: Vec<(f64, f64)> = points.iter().map(|&p| projection.forward(p)).collect();
    let h = bandwidth_m
        .filter(|h| h.is_finite() && *h > 0.0)
        .unwrap_or_else(|| default_bandwidth(&projected));
    let (mut west, mut south, mut east, mut north) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in &projected {
        west = west.min(x);
        east = east.max(x);
        south = south.min(y);
        north = north.max(y);
    }
    let (width, height) = (east - west + 2.0 * h, north - south + 2.0 * h);
    let mut cell = h / CELLS_PER_BANDWIDTH;
    let area_cells = (width / cell).ceil() * (height / cell).ceil();
    if area_cells > MAX_RASTER_CELLS as f64 {
        cell *= (area_cells / MAX_RASTER_CELLS as f64).sqrt();
    }
    // A raster coarser than the kernel would miss points between cell centres: the
    // radius then grows to the cell size, so every point lands on a cell.
    let h = h.max(cell);
    let (width, height) = (east - west + 2.0 * h, north - south + 2.0 * h);
    let cols = ((width / cell).ceil() as usize).max(1);
    let rows = ((height / cell).ceil() as usize).max(1);
    let origin = (west - h + cell / 2.0, south - h + cell / 2.0);
    let mut values = vec![0.0; cols * rows];
    // K(d) = 3 / (π h²) · (1 − d²/h²)², with h in km so the density is per km².
    let scale = 3.0 / (std::f64::consts::PI * (h / 1000.0).powi(2));
    let reach = (h / cell).ceil() as isize;
    let h2 = h * h;
    for &(x, y) in &projected {
        let col = ((x - origin.0) / cell).round() as isize;
        let row = ((y - origin.1) / cell).round() as isize;
        for r in (row - reach).max(0)..=(row + reach).min(rows as isize - 1) {
            let cy = origin.1 + r as f64 * cell;
            let dy2 = (cy - y).powi(2);
            if dy2 >= h2 {
                continue;
            }
            let line = r as usize * cols;
            for c in (col - reach).max(0)..=(col + reach).min(cols as isize - 1) {
                let cx = origin.0 + c as f64 * cell;
                let d2 = (cx - x).powi(2) + dy2;
                if d2 < h2 {
                    let u = 1.0 - d2 / h2;
                    values[line + c as usize] += scale * u * u;
                }
            }
        }
    }
    Some(Surface {
        bandwidth_m: h,
        cell_m: cell,
        cols,
        rows,
        values,
        projection,
        origin,
    })
}

impl Surface {
    /// The (lat, lng) of the centre of raster cell `(row, col)`.
    pub fn centre(&self, row: usize, col: usize) -> (f64, f64) {
        self.projection.inverse((
            self.origin.0 + col as f64 * self.cell_m,
            self.origin.1 + row as f64 * self.cell_m,
        ))
    }

    pub fn max(&self) -> f64 {
        self.values.iter().copied().fold(0.0, f64::max)
    }

    /// Every cell with a density, as (lat, lng, density ÷ the highest density): what a
    /// heat layer draws.
    pub fn heat_points(&self) -> Vec<(f64, f64, f64)> {
        let max = self.max();
        if max <= 0.0 {
            return Vec::new();
        }
        let mut out = Vec::new();
        for row in 0..self.rows {
            for col in 0..self.cols {
                let value = self.values[row * self.cols + col];
                if value > 0.0 {
                    let (lat, lng) = self.centre(row, col);
                    out.push((lat, lng, value / max));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Points on a regular lattice around Kungsängen, `spacing` metres apart.
    fn lattice(side: usize, spacing: f64) -> Vec<(f64, f64)> {
        let (lat0, lng0) = (59.478_f64, 17.745_f64);
        let dlat = (spacing / EARTH_RADIUS_M).to_degrees();
        let dlng = dlat / lat0.to_radians().cos();
        (0..side * side)
            .map(|i| (lat0 + (i / side) as f64 * dlat, lng0 + (i % side) as f64 * dlng))
            .collect()
    }

    #[test]
    fn the_surface_integrates_to_the_number_of_points() {
        let points = lattice(10, 40.0);
        let surface = surface(&points, Some(150.0)).unwrap();
        let cell_km2 = (surface.cell_m / 1000.0).powi(2);
        let total: f64 = surface.values.iter().sum::<f64>() * cell_km2;
        assert!((total - 100.0).abs() < 2.0, "{total}");
    }

    #[test]
    fn a_single_point_peaks_at_its_own_place_with_the_kernels_height() {
        let point = (59.5, 17.7);
        let surface = surface(&[point], Some(300.0)).unwrap();
        let (best, value) =
            surface
                .values
                .iter()
                .enumerate()
                .fold((0, 0.0), |acc, (i, &v)| if v > acc.1 { (i, v) } else { acc });
        let (lat, lng) = surface.centre(best / surface.cols, best % surface.cols);
        assert!((lat - point.0).abs() < 1e-3 && (lng - point.1).abs() < 2e-3);
        let peak = 3.0 / (std::f64::consts::PI * 0.3_f64.powi(2));
        // The raster cell's centre is at most half a cell (h/3) off in each direction:
        // (1 − 2·(h/6)²/h²)² ≈ 0.89 of the peak.
        assert!(value <= peak && value > peak * 0.88, "{value} vs {peak}");
    }

    #[test]
    fn the_rule_of_thumb_follows_the_spread_and_the_count() {
        // Standard distance of a 10 × 10 lattice 100 m apart is about 406 m; its median
        // distance from the centre ≈ 390 m × √(1/ln 2) ≈ 469 m, so SD rules.
        let wide = lattice(10, 100.0);
        let projection = Projection::around(&wide);
        let projected: Vec<_> = wide.iter().map(|&p| projection.forward(p)).collect();
        let h = default_bandwidth(&projected);
        let sd = 100.0 * (2.0 * 99.0 / 12.0_f64).sqrt();
        let expected = 0.9 * sd * 100f64.powf(-0.2);
        assert!((h - expected).abs() / expected < 0.02, "{h} vs {expected}");
        // Twice as spread out: twice the radius.
        let wider = lattice(10, 200.0);
        let projected: Vec<_> = wider
            .iter()
            .map(|&p| Projection::around(&wider).forward(p))
            .collect();
        assert!((default_bandwidth(&projected) / h - 2.0).abs() < 0.05);
        // All on one spot: the floor, not zero.
        assert_eq!(default_bandwidth(&[(1.0, 1.0); 5]), MIN_BANDWIDTH_M);
    }

    #[test]
    fn heat_points_are_normalised_and_the_raster_stays_bounded() {
        let points = lattice(30, 500.0);
        let surface = surface(&points, Some(30.0)).unwrap();
        assert!(surface.cols * surface.rows <= MAX_RASTER_CELLS + surface.cols + surface.rows);
        let heat = surface.heat_points();
        assert!(!heat.is_empty());
        assert!(heat.iter().all(|&(_, _, w)| w > 0.0 && w <= 1.0));
        assert!(heat.iter().any(|&(_, _, w)| w == 1.0));
        assert_eq!(super::surface(&[], None), None);
        // With the raster capped, cells are wider than 30 m: the radius grows with them
        // and no point is lost.
        assert!(surface.bandwidth_m >= surface.cell_m);
        for &point in &points {
            let (x, y) = surface.projection.forward(point);
            let col = ((x - surface.origin.0) / surface.cell_m).round() as usize;
            let row = ((y - surface.origin.1) / surface.cell_m).round() as usize;
            assert!(
                surface.values[row * surface.cols + col] > 0.0,
                "{point:?} left no heat"
            );
        }
    }
}
