//! The spend model cascade: Gamma-Gamma on clean data (CDNOW exactly as before), a
//! reported fallback on data with extreme orders, shrinkage as the last resort.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Gamma};
use rapport_domain::models::spend::{self, SpendModel};
use rapport_domain::models::{gamma_gamma, FitOptions};

fn cdnow_spend() -> Vec<(f64, f64)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/cdnow_customers.csv"
    );
    let mut rdr = csv::Reader::from_path(path).unwrap();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (r[1].parse().unwrap(), r[4].parse().unwrap())
        })
        .collect()
}

/// Gamma-Gamma data in minor units: p = 4, q = 3, v = 10,000 (mean order 200.00).
fn simulated(customers: usize, seed: u64) -> Vec<(f64, f64)> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let nu = Gamma::new(3.0, 1.0 / 10_000.0).unwrap();
    (0..customers)
        .map(|_| {
            let x = f64::from(rng.random_range(0..6u32));
            if x == 0.0 {
                return (0.0, 0.0);
            }
            let rate: f64 = nu.sample(&mut rng);
            let z = Gamma::new(4.0, 1.0 / rate).unwrap();
            let m = (0..x as usize).map(|_| z.sample(&mut rng)).sum::<f64>() / x;
            (x, m)
        })
        .collect()
}

#[test]
fn cdnow_stays_plain_gamma_gamma_with_the_exact_maximum() {
    let data = cdnow_spend();
    let fit = spend::fit(&data, &FitOptions::default()).unwrap();
    assert_eq!(fit.spend_model, SpendModel::GammaGamma);
    assert!(fit.issues.is_empty(), "{:?}", fit.issues);
    assert!(fit.winsorized.is_none());
    let p = fit.report.params;
    for (name, got, exact) in [
        ("p", p.p, 6.248_802),
        ("q", p.q, 3.744_588),
        ("v", p.v, 15.447_748),
    ] {
        assert!(
            ((got - exact) / exact).abs() < 1e-6,
            "{name}: {got} vs {exact}"
        );
    }
    assert!((fit.report.log_likelihood - -4_055.923_24).abs() < 1e-5);
    // The same optimum in dollars or in cents: v scales, p and q do not.
    let cents: Vec<(f64, f64)> = data.iter().map(|&(x, m)| (x, m * 100.0)).collect();
    let c = gamma_gamma::fit(&cents, &FitOptions::default()).unwrap();
    assert!((c.params.p / p.p - 1.0).abs() < 1e-6);
    assert!((c.params.q / p.q - 1.0).abs() < 1e-6);
    assert!((c.params.v / (100.0 * p.v) - 1.0).abs() < 1e-6);
}

#[test]
fn gamma_gamma_data_fit_by_maximum_likelihood_and_recover_the_parameters() {
    // A heavy tail across customers (q = 3) puts a few of 16,000 repeat buyers beyond
    // the far-out fence: the fit then caps them at the 99th percentile, reported, and
    // still recovers the parameters.
    let data = simulated(20_000, 1);
    let fit = spend::fit(&data, &FitOptions::default()).unwrap();
    assert!(
        [SpendModel::GammaGamma, SpendModel::FallbackWinsorized].contains(&fit.spend_model),
        "{:?}",
        fit.issues
    );
    assert!(fit.ridge.is_none() && fit.shrinkage.is_none());
    let g = fit.report.params;
    assert!((g.p / 4.0 - 1.0).abs() < 0.1, "{g:?}");
    assert!((g.q / 3.0 - 1.0).abs() < 0.15, "{g:?}");
    assert!((g.mean_spend() / 20_000.0 - 1.0).abs() < 0.1, "{g:?}");
}

#[test]
fn a_few_orders_a_hundred_times_the_usual_size_are_winsorized_and_reported() {
    let mut data = simulated(2_000, 2);
    // Five customers with one huge order among their repeat purchases.
    let mut hit = 0;
    for row in data.iter_mut() {
        if row.0 > 0.0 && hit < 5 {
            row.1 = (row.1 * (row.0 - 1.0) + 100.0 * 20_000.0 * 10.0) / row.0;
            hit += 1;
        }
    }
    let fit = spend::fit(&data, &FitOptions::default()).unwrap();
    assert_ne!(fit.spend_model, SpendModel::GammaGamma);
    let w = fit.winsorized.expect("winsorized");
    assert!(w.customers >= 5, "{w:?}");
    assert!(w.cap < 2_000_000.0, "{w:?}");
    assert!(fit.issues.iter().any(|i| i.code == "spend_winsorized"));
    let g = fit.report.params;
    assert!(g.q > 1.0);
    // The population mean stays near the clean one, not dragged by the outliers.
    assert!((g.mean_spend() / 20_000.0 - 1.0).abs() < 0.25, "{g:?}");
    // Every buyer gets a finite positive expected spend; the outliers keep theirs high.
    for &(x, m) in &data {
        let s = g.expected_average_spend(x, m);
        assert!(s.is_finite() && s > 0.0, "{x} {m} {s}");
    }
}

#[test]
fn data_without_spread_fall_back_and_shrinkage_estimates_its_prior_weight() {
    // Every customer has the same mean spend: Gamma-Gamma has no spread to fit.
    let data = vec![(2.0, 10.0); 50];
    let fit = spend::fit(&data, &FitOptions::default()).unwrap();
    assert!(fit.report.params.validate().is_ok());
    assert_ne!(fit.spend_model, SpendModel::GammaGamma);
    assert!(!fit.issues.is_empty());
    // A compromise on data that identify no spread, but a finite one near the data.
    let s = fit.report.params.expected_average_spend(2.0, 10.0);
    assert!((s - 10.0).abs() < 1.5, "{s} {fit:?}");
    // The estimator itself: n0 = σ²/τ² from E[(m-μ)²] = τ² + σ²/x.
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    let rows: Vec<(f64, f64)> = (0..40_000)
        .map(|_| {
            let x = f64::from(rng.random_range(1..8u32));
            let truth = 100.0 + 20.0 * (rng.random::<f64>() - 0.5) * 12f64.sqrt();
            let noise = 60.0 / x.sqrt() * (rng.random::<f64>() - 0.5) * 12f64.sqrt();
            (x, truth + noise)
        })
        .collect();
    let s = spend::shrinkage(&rows).unwrap();
    // σ² = 3600, τ² = 400: n0 = 9.
    assert!((s.prior_weight / 9.0 - 1.0).abs() < 0.1, "{s:?}");
    assert!((s.population_mean / 100.0 - 1.0).abs() < 0.01, "{s:?}");
    assert_eq!(
        spend::shrinkage(&[(0.0, 0.0)]).unwrap_err().code(),
        "no_repeat_purchases"
    );
}

#[test]
fn the_fit_never_ends_with_q_at_or_below_one() {
    // Pareto-like spend across customers: the unconstrained maximum has q < 1.
    let mut rng = rand::rngs::StdRng::seed_from_u64(4);
    let data: Vec<(f64, f64)> = (0..3_000)
        .map(|_| {
            let u: f64 = rng.random_range(1e-9..1.0);
            (f64::from(rng.random_range(1..4u32)), 10.0 * u.powf(-1.3))
        })
        .collect();
    match gamma_gamma::fit(&data, &FitOptions::default()) {
        Ok(f) => assert!(f.params.q > 1.0, "{f:?}"),
        Err(e) => assert!(
            ["infinite_mean_spend", "degenerate_fit"].contains(&e.code()),
            "{e:?}"
        ),
    }
    let fit = spend::fit(&data, &FitOptions::default()).unwrap();
    assert!(fit.report.params.q > 1.0);
    assert!(fit.report.params.mean_spend().is_finite());
}
