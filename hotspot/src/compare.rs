//! This period against the previous, equally long one: did the count really rise?
//!
//! Two Poisson counts over equal exposure are compared with the exact conditional test:
//! given n = now + previous, `now` follows Binomial(n, ½) when the rate is unchanged, so
//! the one-sided p-value of a rise is P(X ≥ now | n, ½). It needs no guess of the rate and
//! stays exact for the small counts of one cell or one strategy area.

use serde::{Deserialize, Serialize};

/// The level below which a rise is flagged.
pub const RISE_LEVEL: f64 = 0.05;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub now: u32,
    pub previous: u32,
    /// `now − previous`.
    pub change: i64,
    /// One-sided p-value of a rise.
    pub p_rise: f64,
    /// `p_rise < RISE_LEVEL`.
    pub significant_rise: bool,
}

impl Change {
    pub fn new(now: u32, previous: u32) -> Change {
        let p_rise = rise_p(now, previous);
        Change {
            now,
            previous,
            change: i64::from(now) - i64::from(previous),
            p_rise,
            significant_rise: p_rise < RISE_LEVEL,
        }
    }
}

/// P(X ≥ now) for X ~ Binomial(now + previous, ½).
pub fn rise_p(now: u32, previous: u32) -> f64 {
    if now == 0 {
        return 1.0;
    }
    let n = u64::from(now) + u64::from(previous);
    let now = u64::from(now);
    // The distribution is symmetric: below the middle, 1 − P(X ≥ n − now + 1).
    let p = if 2 * now >= n {
        upper_tail(now, n)
    } else {
        1.0 - upper_tail(n - now + 1, n)
    };
    p.clamp(0.0, 1.0)
}

/// P(X ≥ k) for X ~ Binomial(n, ½) with k at or above the middle, where the terms only
/// shrink, so the sum stops once they no longer count.
fn upper_tail(k: u64, n: u64) -> f64 {
    let nf = n as f64;
    let ln_half = -std::f64::consts::LN_2 * nf;
    let ln_n_fact = libm::lgamma(nf + 1.0);
    let mut total = 0.0;
    for x in k..=n {
        let x = x as f64;
        let term = (ln_n_fact - libm::lgamma(x + 1.0) - libm::lgamma(nf - x + 1.0) + ln_half).exp();
        total += term;
        if term < total * 1e-17 {
            break;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_binomial_tail_by_hand() {
        // 5 against 0: all five in the later period has probability 1/32.
        assert!((rise_p(5, 0) - 1.0 / 32.0).abs() < 1e-12);
        // 3 against 1: P(X ≥ 3 | 4, ½) = (4 + 1) / 16.
        assert!((rise_p(3, 1) - 5.0 / 16.0).abs() < 1e-12);
        // No rise at all.
        assert_eq!(rise_p(0, 7), 1.0);
        assert!((rise_p(4, 4) - 0.636_718_75).abs() < 1e-9);
    }

    #[test]
    fn flags_a_clear_rise_and_not_noise() {
        assert!(Change::new(30, 12).significant_rise);
        assert!(!Change::new(14, 12).significant_rise);
        assert!(!Change::new(2, 0).significant_rise, "two reports are not a trend");
        let change = Change::new(3, 9);
        assert_eq!(change.change, -6);
        assert!(!change.significant_rise);
    }

    #[test]
    fn large_counts_stay_finite_and_agree_with_the_normal_approximation() {
        let p = rise_p(51_000, 49_000);
        // z = (51000 − 50000 − ½) / √(100000/4) ≈ 6.32 → p ≈ 1.3e−10.
        assert!(p > 1e-11 && p < 1e-9, "{p}");
        assert!((rise_p(50_000, 50_000) - 0.5).abs() < 0.01);
        assert!(rise_p(30_000, 70_000) > 0.999_999);
    }
}
