//! Degenerate and invalid data: typed errors or valid fits, never NaN or a panic; plus recovery of simulated parameters.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests: failing loudly is the point

#[path = "../benches/support/sim.rs"]
mod sim;

use rapport_domain::models::{
    bgnbd, clv, gamma_gamma, BgNbdParams, ClvSettings, CustomerSummary, FitOptions,
    GammaGammaParams, ModelError, TimeUnit,
};

fn c(x: f64, t_x: f64, t: f64) -> CustomerSummary {
    CustomerSummary { x, t_x, t }
}

fn opts() -> FitOptions {
    FitOptions::default()
}

#[test]
fn invalid_summaries_are_rejected_with_codes() {
    let cases = [
        (c(f64::NAN, 0.0, 1.0), "non_finite_input"),
        (c(1.0, f64::INFINITY, 1.0), "non_finite_input"),
        (c(-1.0, 0.0, 1.0), "negative_input"),
        (c(1.0, 0.0, -1.0), "negative_input"),
        (c(1.5, 0.5, 1.0), "non_integer_frequency"),
        (c(2.0, 5.0, 4.0), "recency_exceeds_age"),
        (c(0.0, 1.0, 4.0), "recency_without_repeat"),
    ];
    for (bad, code) in cases {
        let e = CustomerSummary::new(bad.x, bad.t_x, bad.t).unwrap_err();
        assert_eq!(e.code(), code, "{bad:?}");
        // The fit reports the index of the offending row.
        let data = [c(1.0, 1.0, 2.0), bad];
        match bgnbd::fit(&data, &opts()).unwrap_err() {
            ModelError::InvalidCustomer { index, source } => {
                assert_eq!(index, 1);
                assert_eq!(source.code(), code);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn bgnbd_degenerate_data() {
    assert_eq!(bgnbd::fit(&[], &opts()).unwrap_err().code(), "empty_data");
    let no_repeat = [c(0.0, 0.0, 10.0), c(0.0, 0.0, 20.0)];
    assert_eq!(
        bgnbd::fit(&no_repeat, &opts()).unwrap_err().code(),
        "no_repeat_purchases"
    );
    // One customer, or many identical ones: no unique MLE. Either a clear error
    // or a finite fit.
    for data in [
        vec![c(3.0, 20.0, 30.0)],
        vec![c(2.0, 10.0, 30.0); 100],
        vec![c(0.0, 0.0, 30.0), c(5.0, 30.0, 30.0)],
        vec![c(1.0, 0.0, 0.0); 3],
    ] {
        match bgnbd::fit(&data, &opts()) {
            Ok(fit) => {
                let p = fit.params;
                assert!(p.validate().is_ok(), "{fit:?}");
                assert!(fit.log_likelihood.is_finite(), "{fit:?}");
            }
            Err(e) => assert!(
                ["degenerate_fit", "no_finite_likelihood"].contains(&e.code()),
                "{e:?}"
            ),
        }
    }
    let weights = [1.0];
    let e = bgnbd::fit_weighted(&[c(1.0, 1.0, 2.0); 2], Some(&weights), &opts()).unwrap_err();
    assert_eq!(e.code(), "length_mismatch");
    let e = bgnbd::fit_weighted(&[c(1.0, 1.0, 2.0)], Some(&[f64::NAN]), &opts()).unwrap_err();
    assert_eq!(e.code(), "invalid_weight");
    let bad = FitOptions {
        penalizer: -1.0,
        ..opts()
    };
    assert_eq!(
        bgnbd::fit(&[c(1.0, 1.0, 2.0)], &bad).unwrap_err().code(),
        "invalid_option"
    );
}

#[test]
fn weights_are_equivalent_to_repeated_rows() {
    let rows = [
        c(0.0, 0.0, 30.0),
        c(2.0, 10.0, 30.0),
        c(5.0, 28.0, 31.0),
        c(1.0, 3.0, 20.0),
    ];
    let counts = [3u32, 2, 1, 4];
    let weights: Vec<f64> = counts.iter().map(|&n| f64::from(n)).collect();
    let mut expanded = Vec::new();
    for (r, &n) in rows.iter().zip(&counts) {
        for _ in 0..n {
            expanded.push(*r);
        }
    }
    let a = bgnbd::fit_weighted(&rows, Some(&weights), &opts());
    let b = bgnbd::fit(&expanded, &opts());
    match (a, b) {
        (Ok(a), Ok(b)) => {
            assert!((a.log_likelihood - b.log_likelihood).abs() < 1e-6);
            assert!((a.params.r - b.params.r).abs() < 1e-4 * b.params.r);
        }
        (Err(a), Err(b)) => assert_eq!(a.code(), b.code()),
        (a, b) => panic!("{a:?} vs {b:?}"),
    }
}

#[test]
fn gamma_gamma_degenerate_data() {
    assert_eq!(
        gamma_gamma::fit(&[], &opts()).unwrap_err().code(),
        "empty_data"
    );
    assert_eq!(
        gamma_gamma::fit(&[(0.0, 0.0), (0.0, 5.0)], &opts())
            .unwrap_err()
            .code(),
        "no_repeat_purchases"
    );
    let e = gamma_gamma::fit(&[(1.0, 10.0), (2.0, 0.0)], &opts()).unwrap_err();
    assert_eq!(e.code(), "non_positive_monetary_value");
    assert!(matches!(e, ModelError::InvalidCustomer { index: 1, .. }));
    let e = gamma_gamma::fit(&[(1.0, f64::NAN)], &opts()).unwrap_err();
    assert_eq!(e.code(), "non_positive_monetary_value");
    for data in [
        vec![(1.0, 10.0)],
        vec![(2.0, 10.0); 50],
        vec![(1.0, 10.0), (1.0, 10.000_001)],
    ] {
        match gamma_gamma::fit(&data, &opts()) {
            Ok(fit) => {
                assert!(fit.params.validate().is_ok(), "{fit:?}");
                assert!(fit.log_likelihood.is_finite());
            }
            Err(e) => assert!(
                [
                    "degenerate_fit",
                    "infinite_mean_spend",
                    "no_finite_likelihood"
                ]
                .contains(&e.code()),
                "{e:?}"
            ),
        }
    }
}

#[test]
fn scoring_rejects_bad_settings_and_params() {
    let bg = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
    let gg = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    let cust = c(2.0, 30.43, 38.86);
    let mut s = ClvSettings::new(12, 0.01, 1.0, TimeUnit::Weeks);
    s.monthly_discount = -1.0;
    let e = clv::lifetime_value(&bg, &gg, &cust, 10.0, &s).unwrap_err();
    assert_eq!(e.code(), "invalid_option");
    let s = ClvSettings::new(12, 0.01, 1.0, TimeUnit::Days);
    let e = clv::lifetime_value(&bg, &gg, &cust, -3.0, &s).unwrap_err();
    assert_eq!(e.code(), "non_positive_monetary_value");
    assert_eq!(
        GammaGammaParams::new(1.0, 0.9, 1.0).unwrap_err().code(),
        "infinite_mean_spend"
    );
    assert_eq!(
        BgNbdParams::new(0.0, 1.0, 1.0, 1.0).unwrap_err().code(),
        "invalid_parameter"
    );
    let bad_bg = BgNbdParams { r: f64::NAN, ..bg };
    let e = clv::lifetime_value(&bad_bg, &gg, &cust, 10.0, &s).unwrap_err();
    assert_eq!(e.code(), "invalid_parameter");
    // a = 1 exactly (0/0 in the textbook formula) and integer parameters.
    let one = BgNbdParams::new(1.0, 1.0, 1.0, 1.0).unwrap();
    let e = one.expected_purchases(&cust, 10.0);
    assert!(e.is_finite() && e > 0.0);
    let near = BgNbdParams::new(1.0, 1.0, 1.0 + 1e-9, 1.0).unwrap();
    assert!((near.expected_purchases(&cust, 10.0) - e).abs() < 1e-7);
}

#[test]
fn fit_recovers_simulated_parameters() {
    let truth = (0.5, 6.0, 0.8, 3.0);
    let gg_truth = (6.0, 4.0, 15.0);
    let data = sim::simulate(40_000, truth, gg_truth, 7, false);
    let customers: Vec<_> = data.iter().map(|s| s.summary).collect();
    let fit = bgnbd::fit(&customers, &opts()).unwrap();
    assert!(fit.converged, "{fit:?}");
    let p = fit.params;
    for (got, want) in [
        (p.r, truth.0),
        (p.alpha, truth.1),
        (p.a, truth.2),
        (p.b, truth.3),
    ] {
        assert!((got / want - 1.0).abs() < 0.15, "{fit:?}");
    }
    let spend: Vec<_> = data.iter().map(|s| (s.summary.x, s.monetary)).collect();
    let gg = gamma_gamma::fit(&spend, &opts()).unwrap();
    assert!(gg.converged, "{gg:?}");
    let g = gg.params;
    for (got, want) in [(g.p, gg_truth.0), (g.q, gg_truth.1), (g.v, gg_truth.2)] {
        assert!((got / want - 1.0).abs() < 0.15, "{gg:?}");
    }
}

#[test]
fn penalizer_shrinks_parameters() {
    let data = sim::simulate(5_000, (0.5, 6.0, 0.8, 3.0), (6.0, 4.0, 15.0), 3, true);
    let customers: Vec<_> = data.iter().map(|s| s.summary).collect();
    let plain = bgnbd::fit(&customers, &opts()).unwrap();
    let penalized = bgnbd::fit(
        &customers,
        &FitOptions {
            penalizer: 0.01,
            ..opts()
        },
    )
    .unwrap();
    assert!(penalized.converged);
    let norm = |p: BgNbdParams| p.r * p.r + p.alpha * p.alpha + p.a * p.a + p.b * p.b;
    assert!(norm(penalized.params) < norm(plain.params));
    assert!(penalized.log_likelihood <= plain.log_likelihood);
}
