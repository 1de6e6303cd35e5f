//! Property tests: probabilities in [0, 1], monotone expectations, finite CLV over extreme but valid inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests: failing loudly is the point

use proptest::prelude::*;
use rapport_domain::models::{
    clv, BgNbdParams, ClvSettings, CustomerSummary, GammaGammaParams, ScoreSettings,
};

/// Log-uniform positive value in `[lo, hi]`.
fn log_uniform(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    (lo.ln()..hi.ln()).prop_map(f64::exp)
}

fn bgnbd_params() -> impl Strategy<Value = BgNbdParams> {
    (
        log_uniform(0.01, 20.0),
        log_uniform(0.01, 500.0),
        log_uniform(0.01, 20.0),
        log_uniform(0.01, 50.0),
    )
        .prop_map(|(r, alpha, a, b)| BgNbdParams::new(r, alpha, a, b).unwrap())
}

fn gamma_gamma_params() -> impl Strategy<Value = GammaGammaParams> {
    (
        log_uniform(0.1, 50.0),
        log_uniform(1.01, 50.0),
        log_uniform(0.1, 1000.0),
    )
        .prop_map(|(p, q, v)| GammaGammaParams::new(p, q, v).unwrap())
}

/// Up to 10,000 repeat purchases; ages up to 100 years in weeks (5218) or days (36525).
fn customer() -> impl Strategy<Value = (CustomerSummary, f64)> {
    (
        prop_oneof![0u32..=20, 0u32..=10_000],
        prop_oneof![Just(5218.0), Just(36_525.0)],
        0.0..=1.0f64,
        0.0..=1.0f64,
        log_uniform(0.01, 10_000.0),
    )
        .prop_map(|(x, max_age, age_frac, rec_frac, m)| {
            let t = max_age * age_frac;
            let t_x = if x == 0 { 0.0 } else { t * rec_frac };
            (CustomerSummary::new(f64::from(x), t_x, t).unwrap(), m)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn p_alive_is_a_probability(p in bgnbd_params(), (c, _) in customer()) {
        let v = p.p_alive(&c);
        prop_assert!((0.0..=1.0).contains(&v), "{v}");
    }

    #[test]
    fn expected_purchases_finite_and_non_decreasing(
        p in bgnbd_params(),
        (c, _) in customer(),
        t1 in 0.0..36_525.0f64,
        dt in 0.0..36_525.0f64,
    ) {
        let e1 = p.expected_purchases(&c, t1);
        let e2 = p.expected_purchases(&c, t1 + dt);
        prop_assert!(e1.is_finite() && e1 >= 0.0, "{e1}");
        prop_assert!(e2.is_finite() && e2 >= 0.0, "{e2}");
        prop_assert!(e2 >= e1 * (1.0 - 1e-9) - 1e-12, "{e1} > {e2}");
        let u1 = p.expected_purchases_unconditional(t1);
        let u2 = p.expected_purchases_unconditional(t1 + dt);
        prop_assert!(u1.is_finite() && u2.is_finite() && u1 >= 0.0);
        prop_assert!(u2 >= u1 * (1.0 - 1e-9) - 1e-12, "{u1} > {u2}");
    }

    #[test]
    fn clv_finite_and_non_negative(
        bg in bgnbd_params(),
        gg in gamma_gamma_params(),
        (c, m) in customer(),
        months in 0u32..=60,
        discount in 0.0..0.2f64,
        margin in 0.0..1.0f64,
        days in any::<bool>(),
    ) {
        let unit = if days {
            rapport_domain::models::TimeUnit::Days
        } else {
            rapport_domain::models::TimeUnit::Weeks
        };
        let settings = ClvSettings::new(months, discount, margin, unit);
        let v = clv::lifetime_value(&bg, &gg, &c, m, &settings).unwrap();
        prop_assert!(v.is_finite() && v >= 0.0, "{v}");
        let scores = clv::score_all(&bg, &gg, &[c], &[m], &ScoreSettings {
            horizon: 52.0,
            clv: settings,
        })
        .unwrap();
        prop_assert!((scores[0].clv - v).abs() <= 1e-9 * v.max(1.0));
        prop_assert!(scores[0].expected_spend.is_finite() && scores[0].expected_spend > 0.0);
    }
}
