//! Getis–Ord Gi* with binary weights, its p-values and the false-discovery-rate
//! correction that keeps a map of hundreds of cells from lighting up by chance.

use serde::{Deserialize, Serialize};

/// One cell's statistic.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GiResult {
    pub z: f64,
    /// Two-sided p-value from the standard normal distribution.
    pub p: f64,
    /// Benjamini–Hochberg adjusted p-value over all cells.
    pub p_fdr: f64,
    pub class: GiClass,
}

/// Like ArcGIS's `Gi_Bin`: +3/−3 at 99 %, ±2 at 95 %, ±1 at 90 %, 0 not significant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GiClass {
    Cold99,
    Cold95,
    Cold90,
    NotSignificant,
    Hot90,
    Hot95,
    Hot99,
}

impl GiClass {
    pub fn bin(self) -> i8 {
        match self {
            GiClass::Cold99 => -3,
            GiClass::Cold95 => -2,
            GiClass::Cold90 => -1,
            GiClass::NotSignificant => 0,
            GiClass::Hot90 => 1,
            GiClass::Hot95 => 2,
            GiClass::Hot99 => 3,
        }
    }
}

/// Gi* z-scores. `values[i]` is the count (or value) at location `i`; `neighbours(i)`
/// lists the locations within its neighbourhood **including `i` itself** (binary
/// weights, star). Locations whose neighbourhood is the whole study area, or a study
/// area without variance, get z = 0.
///
/// z_i = (Σ_j w_ij x_j − x̄ W_i) / (s √((n S1_i − W_i²) / (n − 1))), with W_i = S1_i =
/// the neighbourhood size for binary weights, x̄ and s over all n locations.
pub fn gi_star<'a, N>(values: &[f64], neighbours: N) -> Vec<f64>
where
    N: Fn(usize) -> &'a [usize],
{
    let n = values.len();
    if n < 2 {
        return vec![0.0; n];
    }
    let nf = n as f64;
    let mean = values.iter().sum::<f64>() / nf;
    let variance = values.iter().map(|x| x * x).sum::<f64>() / nf - mean * mean;
    if variance <= f64::EPSILON * mean.abs().max(1.0) {
        return vec![0.0; n];
    }
    let s = variance.sqrt();
    (0..n)
        .map(|i| {
            let hood = neighbours(i);
            let w = hood.len() as f64;
            let local: f64 = hood.iter().map(|&j| values[j]).sum();
            let spread = (nf * w - w * w) / (nf - 1.0);
            if spread <= 0.0 {
                0.0
            } else {
                (local - mean * w) / (s * spread.sqrt())
            }
        })
        .collect()
}

/// Two-sided p-value of a standard normal z-score.
pub fn two_sided_p(z: f64) -> f64 {
    libm::erfc(z.abs() / std::f64::consts::SQRT_2).clamp(0.0, 1.0)
}

/// Benjamini–Hochberg adjusted p-values, in the input's order.
pub fn fdr(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut adjusted = vec![1.0; m];
    let mut running_min: f64 = 1.0;
    for (rank, &i) in order.iter().enumerate().rev() {
        let value = p[i] * m as f64 / (rank + 1) as f64;
        running_min = running_min.min(value);
        adjusted[i] = running_min.min(1.0);
    }
    adjusted
}

/// The class of a cell from its z-score and its FDR-adjusted p-value.
pub fn classify(z: f64, p_fdr: f64) -> GiClass {
    let level = if p_fdr < 0.01 {
        3
    } else if p_fdr < 0.05 {
        2
    } else if p_fdr < 0.10 {
        1
    } else {
        0
    };
    match (level, z > 0.0) {
        (0, _) => GiClass::NotSignificant,
        (3, true) => GiClass::Hot99,
        (2, true) => GiClass::Hot95,
        (_, true) => GiClass::Hot90,
        (3, false) => GiClass::Cold99,
        (2, false) => GiClass::Cold95,
        (_, false) => GiClass::Cold90,
    }
}

/// z, p, FDR-adjusted p and class for every location.
pub fn analyse<'a, N>(values: &[f64], neighbours: N) -> Vec<GiResult>
where
    N: Fn(usize) -> &'a [usize],
{
    let z = gi_star(values, neighbours);
    let p: Vec<f64> = z.iter().map(|&z| two_sided_p(z)).collect();
    let p_fdr = fdr(&p);
    z.iter()
        .zip(&p)
        .zip(&p_fdr)
        .map(|((&z, &p), &p_fdr)| GiResult {
            z,
            p,
            p_fdr,
            class: classify(z, p_fdr),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Neighbourhoods within `band` (inclusive), each including the point itself.
    fn distance_band(points: &[(f64, f64)], band: f64) -> Vec<Vec<usize>> {
        points
            .iter()
            .map(|&(x, y)| {
                (0..points.len())
                    .filter(|&j| ((points[j].0 - x).powi(2) + (points[j].1 - y).powi(2)).sqrt() <= band)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn reproduces_the_esda_g_local_star_test_vector() {
        // PySAL esda's published example: G_Local(y, w, star=True, transform="B").
        let points = [
            (10.0, 10.0),
            (20.0, 10.0),
            (40.0, 10.0),
            (15.0, 20.0),
            (30.0, 20.0),
            (30.0, 30.0),
        ];
        let y = [2.0, 3.0, 3.2, 5.0, 8.0, 7.0];
        let hoods = distance_band(&points, 15.0);
        let z = gi_star(&y, |i| &hoods[i]);
        let expected = [
            -1.39727626,
            -0.28917762,
            0.65064964,
            -0.28917762,
            1.23452088,
            2.02424331,
        ];
        for (got, want) in z.iter().zip(expected) {
            assert!((got - want).abs() < 1e-7, "{z:?}");
        }
    }

    #[test]
    fn p_values_follow_the_normal_distribution() {
        assert!((two_sided_p(1.959964) - 0.05).abs() < 1e-6);
        assert!((two_sided_p(-2.575829) - 0.01).abs() < 1e-6);
        assert_eq!(two_sided_p(0.0), 1.0);
    }

    #[test]
    fn benjamini_hochberg_matches_the_textbook_example() {
        // Adjusted values as R's p.adjust(method = "BH") gives them.
        let p = [0.01, 0.04, 0.03, 0.005, 0.5];
        let adjusted = fdr(&p);
        let expected = [0.025, 0.05, 0.05, 0.025, 0.5];
        for (got, want) in adjusted.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{adjusted:?}");
        }
    }

    #[test]
    fn classes_follow_sign_and_confidence() {
        assert_eq!(classify(3.0, 0.001), GiClass::Hot99);
        assert_eq!(classify(2.0, 0.03), GiClass::Hot95);
        assert_eq!(classify(-1.8, 0.07), GiClass::Cold90);
        assert_eq!(classify(2.5, 0.2), GiClass::NotSignificant);
        assert_eq!(GiClass::Cold99.bin(), -3);
    }

    #[test]
    fn a_flat_map_has_no_hotspots() {
        let hoods: Vec<Vec<usize>> = (0..4).map(|i| vec![i]).collect();
        assert_eq!(gi_star(&[2.0; 4], |i| &hoods[i]), vec![0.0; 4]);
    }
}
