//! Has an area's recent count risen above its own baseline? The test behind the
//! grannsamverkan alerts (plan 6.1–6.2).
//!
//! Two Poisson counts over unequal exposure: `recent` over the last `recent_days` and
//! `baseline` over the `baseline_days` before them. If the area's rate did not change,
//! then given n = recent + baseline, `recent` follows Binomial(n, q) with
//! q = recent_days / (recent_days + baseline_days): the exact conditional test for the
//! ratio of two Poisson rates (Przyborowski & Wilenski 1940), the same test as
//! [`crate::compare`] for equal periods. It needs no guess of the rate, takes the
//! uncertainty of the baseline into account, and stays exact for the handful of
//! reports one neighbourhood has.
//!
//! An alert is a call to residents, so it must be rare when nothing happened: it fires
//! when the one-sided p-value is below [`ALERT_LEVEL`] and at least [`MIN_RECENT`]
//! reports came in — two break-in signs after a quiet half-year are not a wave.

use serde::{Deserialize, Serialize};

/// The level below which a rise fires an alert.
pub const ALERT_LEVEL: f64 = 0.01;
/// The fewest recent reports that can fire an alert.
pub const MIN_RECENT: u32 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BaselineRise {
    pub recent: u32,
    pub baseline: u32,
    /// What the baseline's rate gives for a period as long as the recent one.
    pub expected: f64,
    /// One-sided p-value of a rise.
    pub p: f64,
    /// `p < ALERT_LEVEL` and `recent >= MIN_RECENT`.
    pub fires: bool,
}

impl BaselineRise {
    /// `recent` over `recent_days` against `baseline` over `baseline_days`; both periods
    /// must be at least one day long.
    pub fn new(recent: u32, baseline: u32, recent_days: u32, baseline_days: u32) -> BaselineRise {
        let (recent_days, baseline_days) = (f64::from(recent_days.max(1)), f64::from(baseline_days.max(1)));
        let share = recent_days / (recent_days + baseline_days);
        let p = binomial_upper_tail(u64::from(recent), u64::from(recent) + u64::from(baseline), share);
        BaselineRise {
            recent,
            baseline,
            expected: f64::from(baseline) * recent_days / baseline_days,
            p,
            fires: p < ALERT_LEVEL && recent >= MIN_RECENT,
        }
    }
}

/// P(X ≥ k) for X ~ Binomial(n, q), each term in logarithms so that large n neither
/// overflows nor underflows.
pub fn binomial_upper_tail(k: u64, n: u64, q: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n || q <= 0.0 {
        return 0.0;
    }
    if q >= 1.0 {
        return 1.0;
    }
    let nf = n as f64;
    let (ln_q, ln_rest) = (q.ln(), (1.0 - q).ln());
    let ln_n_fact = libm::lgamma(nf + 1.0);
    let term = |x: u64| {
        let x = x as f64;
        (ln_n_fact - libm::lgamma(x + 1.0) - libm::lgamma(nf - x + 1.0) + x * ln_q + (nf - x) * ln_rest).exp()
    };
    // Sum the shorter side: below the mean the upper tail is 1 − P(X < k).
    let p = if (k as f64) > nf * q {
        (k..=n).map(term).sum::<f64>()
    } else {
        1.0 - (0..k).map(term).sum::<f64>()
    };
    p.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_matches_values_by_hand() {
        // Two of two at q = 0.1: 0.01.
        assert!((binomial_upper_tail(2, 2, 0.1) - 0.01).abs() < 1e-12);
        // At least one of three at q = 0.5: 7/8.
        assert!((binomial_upper_tail(1, 3, 0.5) - 0.875).abs() < 1e-12);
        // At least 2 of 4 at q = 0.25: 1 − (0.75⁴ + 4 · 0.25 · 0.75³) = 67/256.
        assert!((binomial_upper_tail(2, 4, 0.25) - 67.0 / 256.0).abs() < 1e-12);
        assert_eq!(binomial_upper_tail(0, 10, 0.3), 1.0);
        assert_eq!(binomial_upper_tail(11, 10, 0.3), 0.0);
        // Equal periods give the same answer as the period comparison.
        let equal = binomial_upper_tail(9, 12, 0.5);
        assert!((equal - crate::compare::rise_p(9, 3)).abs() < 1e-12, "{equal}");
    }

    #[test]
    fn a_wave_fires_and_ordinary_weeks_do_not() {
        // About one burglary sign a week for half a year (26 in 182 days), then 10 in two
        // weeks: expected 2.
        let wave = BaselineRise::new(10, 26, 14, 182);
        assert!((wave.expected - 2.0).abs() < 1e-12);
        assert!(wave.fires, "{wave:?}");
        // 3 or 4 in two weeks happens by chance with that baseline.
        assert!(!BaselineRise::new(3, 26, 14, 182).fires);
        assert!(!BaselineRise::new(4, 26, 14, 182).fires);
        assert!(!BaselineRise::new(0, 26, 14, 182).fires);
    }

    #[test]
    fn a_quiet_area_needs_more_than_two_reports() {
        // Two of two in the recent weeks is improbable (p ≈ 0.006) but not a wave.
        let two = BaselineRise::new(2, 0, 14, 182);
        assert!(two.p < ALERT_LEVEL && !two.fires, "{two:?}");
        assert!(BaselineRise::new(3, 0, 14, 182).fires);
    }

    #[test]
    fn large_counts_stay_finite() {
        let rise = BaselineRise::new(2_000, 13_000, 14, 182);
        assert!(rise.p.is_finite() && rise.p < 1e-10, "{rise:?}");
        let steady = BaselineRise::new(1_000, 13_000, 14, 182);
        assert!(steady.p > 0.3 && !steady.fires, "{steady:?}");
    }
}
