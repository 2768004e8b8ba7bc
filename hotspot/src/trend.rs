//! Emerging hotspots: Gi* in every time slice (week or month), then a Mann–Kendall trend
//! test on each cell's series of z-scores, after ArcGIS's Emerging Hot Spot Analysis.
//!
//! A cell is *hot* in a slice when its Gi* class is hot at 90 % or more after the FDR
//! correction, *cold* likewise. With `s` slices, the share of hot slices and the trend
//! decide, in this order:
//!
//! | class          | rule |
//! |----------------|------|
//! | `new`          | hot in the last slice and in no slice before it |
//! | `intensifying` | hot in ≥ 90 % of the slices, the last included; z rises (Mann–Kendall p < 0.05) |
//! | `diminishing`  | hot in ≥ 90 % of the slices, the last included; z falls (p < 0.05) |
//! | `persistent`   | hot in ≥ 90 % of the slices, without such a trend |
//! | `sporadic`     | hot in the last slice and in some earlier ones, < 90 % of all, never cold |
//! | `none`         | anything else |
//!
//! Fewer than [`MIN_SLICES`] slices cannot show a significant trend; the analysis
//! refuses them.

use serde::{Deserialize, Serialize};

use crate::gi::two_sided_p;
use crate::grid::Grid;

/// The fewest time slices an emerging-hotspot analysis accepts. With 4 slices even a
/// rise in every one gives Mann–Kendall p = 0.09 and with 5 p = 0.03; 6 is the first
/// length where a clear trend is significant with a margin (ArcGIS asks for 10).
pub const MIN_SLICES: usize = 6;
/// Share of slices a cell must be hot in to count as persistently hot.
const MOSTLY: f64 = 0.9;
/// Significance of the Mann–Kendall trend.
const TREND_LEVEL: f64 = 0.05;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Emerging {
    New,
    Intensifying,
    Persistent,
    Diminishing,
    Sporadic,
    None,
}

impl Emerging {
    pub fn as_str(self) -> &'static str {
        match self {
            Emerging::New => "new",
            Emerging::Intensifying => "intensifying",
            Emerging::Persistent => "persistent",
            Emerging::Diminishing => "diminishing",
            Emerging::Sporadic => "sporadic",
            Emerging::None => "none",
        }
    }
}

/// The Mann–Kendall statistic of a series.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MannKendall {
    pub s: i64,
    pub z: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// Mann–Kendall with the tie correction of the variance and a continuity correction.
pub fn mann_kendall(series: &[f64]) -> MannKendall {
    let n = series.len();
    let mut s: i64 = 0;
    for i in 0..n {
        for j in i + 1..n {
            s += match series[j].partial_cmp(&series[i]) {
                Some(std::cmp::Ordering::Greater) => 1,
                Some(std::cmp::Ordering::Less) => -1,
                _ => 0,
            };
        }
    }
    let mut sorted = series.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut ties = 0.0;
    let mut run = 1.0;
    for pair in sorted.windows(2) {
        if pair[0] == pair[1] {
            run += 1.0;
        } else {
            ties += run * (run - 1.0) * (2.0 * run + 5.0);
            run = 1.0;
        }
    }
    ties += run * (run - 1.0) * (2.0 * run + 5.0);
    let nf = n as f64;
    let variance = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - ties) / 18.0;
    let z = if variance <= 0.0 || s == 0 {
        0.0
    } else {
        (s as f64 - s.signum() as f64) / variance.sqrt()
    };
    MannKendall {
        s,
        z,
        p: two_sided_p(z),
    }
}

/// One cell's emerging-hotspot result.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellTrend {
    pub class: Emerging,
    pub hot_slices: u32,
    pub trend: MannKendall,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("för få tidsperioder för en trend: {0} (minst {MIN_SLICES})")]
pub struct TooFewSlices(pub usize);

/// Emerging-hotspot classes for every cell of `grid`; `slices[t][i]` is the count of
/// cell `i` in slice `t`, oldest first.
pub fn emerging(grid: &Grid, slices: &[Vec<u32>]) -> Result<Vec<CellTrend>, TooFewSlices> {
    if slices.len() < MIN_SLICES {
        return Err(TooFewSlices(slices.len()));
    }
    // Only z and the class of each cell and slice are kept (9 bytes, not a whole result).
    let (mut z, mut bins) = (Vec::with_capacity(slices.len()), Vec::with_capacity(slices.len()));
    for counts in slices {
        let results = grid.analyse(counts);
        z.push(results.iter().map(|r| r.z).collect::<Vec<f64>>());
        bins.push(results.iter().map(|r| r.class.bin()).collect::<Vec<i8>>());
    }
    let (mut series_z, mut series_bins) = (vec![0.0; slices.len()], vec![0i8; slices.len()]);
    Ok((0..grid.len())
        .map(|i| {
            for t in 0..slices.len() {
                series_z[t] = z[t][i];
                series_bins[t] = bins[t][i];
            }
            classify_series(&series_z, &series_bins)
        })
        .collect())
}

/// The class of one cell from its z-scores and Gi_Bin classes per slice, oldest first.
pub fn classify_series(z: &[f64], bins: &[i8]) -> CellTrend {
    let trend = mann_kendall(z);
    let hot_slices = bins.iter().filter(|&&b| b > 0).count();
    let last_hot = bins.last().is_some_and(|&b| b > 0);
    let ever_cold = bins.iter().any(|&b| b < 0);
    let mostly_hot = hot_slices as f64 >= MOSTLY * bins.len() as f64;
    let rising = trend.p < TREND_LEVEL && trend.s > 0;
    let falling = trend.p < TREND_LEVEL && trend.s < 0;
    let class = if last_hot && hot_slices == 1 {
        Emerging::New
    } else if mostly_hot && last_hot && rising {
        Emerging::Intensifying
    } else if mostly_hot && last_hot && falling {
        Emerging::Diminishing
    } else if mostly_hot {
        Emerging::Persistent
    } else if last_hot && !ever_cold {
        Emerging::Sporadic
    } else {
        Emerging::None
    };
    CellTrend {
        class,
        hot_slices: hot_slices as u32,
        trend,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mann_kendall_matches_a_worked_example() {
        // pymannkendall.original_test([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]):
        // s = 45, var_s = 125, z = 3.9355, p = 8.3e-05.
        let rising: Vec<f64> = (1..=10).map(f64::from).collect();
        let mk = mann_kendall(&rising);
        assert_eq!(mk.s, 45);
        assert!((mk.z - 44.0 / 125f64.sqrt()).abs() < 1e-12);
        assert!(mk.p < 1e-4);
        // Ties shrink the variance: [1, 1, 2, 2, 3] has s = 8 and var = (5·4·15 − 2·18)/18.
        let tied = mann_kendall(&[1.0, 1.0, 2.0, 2.0, 3.0]);
        assert_eq!(tied.s, 8);
        assert!((tied.z - 7.0 / (264.0f64 / 18.0).sqrt()).abs() < 1e-12);
        assert_eq!(mann_kendall(&[2.0; 6]).z, 0.0);
    }

    #[test]
    fn the_fewest_slices_can_show_a_significant_trend_and_one_fewer_cannot() {
        let rise = |n: usize| mann_kendall(&(0..n).map(|i| i as f64).collect::<Vec<_>>()).p;
        assert!(rise(MIN_SLICES) < 0.05, "{}", rise(MIN_SLICES));
        assert!(rise(4) > 0.05, "four slices can never show a trend");
    }

    #[test]
    fn classes_follow_the_documented_rules() {
        let rising: Vec<f64> = (1..=10).map(f64::from).collect();
        let falling: Vec<f64> = rising.iter().rev().copied().collect();
        let flat = [3.0, 3.2, 2.9, 3.1, 3.0, 2.8, 3.3, 3.0, 3.1, 2.9];
        let hot = [3i8; 10];
        assert_eq!(classify_series(&rising, &hot).class, Emerging::Intensifying);
        assert_eq!(classify_series(&falling, &hot).class, Emerging::Diminishing);
        assert_eq!(classify_series(&flat, &hot).class, Emerging::Persistent);
        let mut only_last = [0i8; 10];
        only_last[9] = 2;
        assert_eq!(classify_series(&flat, &only_last).class, Emerging::New);
        let on_and_off = [0, 2, 0, 0, 1, 0, 3, 0, 0, 2];
        assert_eq!(classify_series(&flat, &on_and_off).class, Emerging::Sporadic);
        let once_cold = [0, -2, 0, 0, 1, 0, 3, 0, 0, 2];
        assert_eq!(classify_series(&flat, &once_cold).class, Emerging::None);
        let gone = [3, 3, 3, 3, 0, 0, 0, 0, 0, 0];
        assert_eq!(classify_series(&falling, &gone).class, Emerging::None);
    }

    #[test]
    fn a_cluster_that_appears_in_the_last_weeks_is_new_and_a_growing_one_intensifies() {
        use geo::{Coord, MultiPolygon, Rect};
        let area = MultiPolygon::new(vec![Rect::new(
            Coord { x: 17.60, y: 59.49 },
            Coord { x: 17.70, y: 59.54 },
        )
        .to_polygon()]);
        let grid = Grid::new(&area, crate::grid::resolution(9).unwrap(), 1).unwrap();
        let spot = grid.locate(59.515, 17.65).unwrap();
        let elsewhere = grid.locate(59.50, 17.62).unwrap();
        // A thin background of one report in every 7th cell, the same every week.
        let background: Vec<u32> = (0..grid.len()).map(|i| u32::from(i % 7 == 0)).collect();
        let mut slices: Vec<Vec<u32>> = Vec::new();
        for week in 0..10u32 {
            let mut counts = background.clone();
            counts[spot] += 6 + 3 * week;
            if week == 9 {
                counts[elsewhere] += 30;
            }
            slices.push(counts);
        }
        let trends = emerging(&grid, &slices).unwrap();
        assert_eq!(trends[spot].class, Emerging::Intensifying, "{:?}", trends[spot]);
        assert_eq!(trends[elsewhere].class, Emerging::New, "{:?}", trends[elsewhere]);
        let quiet = trends.iter().filter(|t| t.class == Emerging::None).count();
        assert!(quiet > grid.len() * 9 / 10);
        assert_eq!(emerging(&grid, &slices[..5]), Err(TooFewSlices(5)));
    }
}
