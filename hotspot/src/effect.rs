//! Did an intervention (insats) change what is reported inside its area, beyond what
//! changed around it? A difference-in-differences on counts.
//!
//! Four counts: inside the area and in a comparison ring around it, in the period before
//! and the period during (or after) the intervention. If the intervention did nothing,
//! the area's share of "during" among its reports is the same as the ring's: the rate
//! ratio during/before is the same inside and outside, whatever the trend both share.
//! For Poisson counts, conditioning on the four margins of the 2×2 table turns this into
//! Fisher's exact test, which needs no large counts and no guess of the rates. The
//! effect is the ratio of the two rate ratios (inside / ring), with ½ added to each cell
//! when one is zero so that it stays finite.

use serde::{Deserialize, Serialize};

/// The level below which a change is called beyond chance.
pub const EFFECT_LEVEL: f64 = 0.05;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Effect {
    pub area_before: u32,
    pub area_after: u32,
    pub ring_before: u32,
    pub ring_after: u32,
    /// (area_after / area_before) / (ring_after / ring_before): 0.4 means the area fell to
    /// 40 % of what the ring's trend would have given.
    pub ratio: f64,
    /// Two-sided p-value of Fisher's exact test that the ratio is 1.
    pub p: f64,
    /// `p < EFFECT_LEVEL`.
    pub significant: bool,
}

impl Effect {
    pub fn new(area_before: u32, area_after: u32, ring_before: u32, ring_after: u32) -> Effect {
        let cells = [area_before, area_after, ring_before, ring_after];
        let correction = if cells.contains(&0) { 0.5 } else { 0.0 };
        let [a, b, c, d] = cells.map(|n| f64::from(n) + correction);
        let p = fisher_two_sided(area_before, area_after, ring_before, ring_after);
        Effect {
            area_before,
            area_after,
            ring_before,
            ring_after,
            ratio: (b / a) / (d / c),
            p,
            significant: p < EFFECT_LEVEL,
        }
    }
}

fn ln_choose(n: u64, k: u64) -> f64 {
    let (n, k) = (n as f64, k as f64);
    libm::lgamma(n + 1.0) - libm::lgamma(k + 1.0) - libm::lgamma(n - k + 1.0)
}

/// Fisher's exact test on the table [[a, b], [c, d]]: the probability, with the margins
/// fixed, of a table at most as likely as the one seen.
pub fn fisher_two_sided(a: u32, b: u32, c: u32, d: u32) -> f64 {
    let (a, b, c, d) = (u64::from(a), u64::from(b), u64::from(c), u64::from(d));
    let (row1, col1, n) = (a + b, a + c, a + b + c + d);
    if n == 0 {
        return 1.0;
    }
    // P(top-left = x) is hypergeometric: C(row1, x) C(n − row1, col1 − x) / C(n, col1).
    let ln_total = ln_choose(n, col1);
    let probability = |x: u64| (ln_choose(row1, x) + ln_choose(n - row1, col1 - x) - ln_total).exp();
    let low = col1.saturating_sub(n - row1);
    let high = row1.min(col1);
    let seen = probability(a);
    // Tables as likely as the one seen, up to rounding, count as "at most as likely".
    let limit = seen * (1.0 + 1e-7);
    let p: f64 = (low..=high).map(probability).filter(|&q| q <= limit).sum();
    p.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fisher_matches_values_computed_by_hand_and_by_r() {
        // The tea-tasting table [[3, 1], [1, 3]]: two-sided p = 34/70.
        assert!((fisher_two_sided(3, 1, 1, 3) - 34.0 / 70.0).abs() < 1e-12);
        // [[30, 5], [10, 25]], summed in exact fractions (Python's math.comb and
        // fractions.Fraction): 2.2928073734446273e-06.
        let p = fisher_two_sided(30, 5, 10, 25);
        assert!((p / 2.292_807_373_444_627_3e-6 - 1.0).abs() < 1e-9, "{p}");
        assert_eq!(fisher_two_sided(0, 0, 0, 0), 1.0);
        assert!((fisher_two_sided(5, 5, 5, 5) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_drop_inside_against_a_steady_ring_is_found_and_a_shared_trend_is_not() {
        let drop = Effect::new(30, 6, 25, 24);
        assert!(drop.significant, "{drop:?}");
        assert!((drop.ratio - (6.0 / 30.0) / (24.0 / 25.0)).abs() < 1e-12);
        // Both halve: the city-wide trend, not the intervention.
        let shared = Effect::new(30, 15, 40, 20);
        assert!(!shared.significant, "{shared:?}");
        assert!((shared.ratio - 1.0).abs() < 1e-12);
        // Noise around no change.
        assert!(!Effect::new(20, 18, 22, 23).significant);
    }

    #[test]
    fn an_empty_cell_keeps_the_ratio_finite() {
        let gone = Effect::new(12, 0, 10, 11);
        assert!(gone.ratio.is_finite() && gone.ratio < 0.1, "{gone:?}");
        assert!(gone.significant);
    }
}
