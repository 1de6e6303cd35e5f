//! Fit and scoring speed on 1,000,000 customers simulated from the BG/NBD and Gamma-Gamma processes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // bench harness: failing loudly is the point

#[path = "support/sim.rs"]
mod sim;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use rapport_domain::models::{
    bgnbd, clv, gamma_gamma, BgNbdParams, ClvSettings, CustomerSummary, FitOptions,
    GammaGammaParams, ScoreSettings, TimeUnit,
};

const N: usize = 1_000_000;
const BG: (f64, f64, f64, f64) = (0.243, 4.414, 0.793, 2.426);
const GG: (f64, f64, f64) = (6.25, 3.74, 15.44);

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn models(c: &mut Criterion) {
    let daily = sim::simulate(N, BG, GG, 42, true);
    let continuous = sim::simulate(N, BG, GG, 43, false);
    let summaries = |d: &[sim::Simulated]| d.iter().map(|s| s.summary).collect::<Vec<_>>();
    let daily_customers: Vec<CustomerSummary> = summaries(&daily);
    let continuous_customers: Vec<CustomerSummary> = summaries(&continuous);
    let spend: Vec<(f64, f64)> = daily.iter().map(|s| (s.summary.x, s.monetary)).collect();
    let monetary: Vec<f64> = daily.iter().map(|s| s.monetary).collect();
    let continuous_monetary: Vec<f64> = continuous.iter().map(|s| s.monetary).collect();
    drop(continuous);
    let opts = FitOptions::default();

    // One untimed run of each, to show what is being measured.
    let fit = bgnbd::fit(&daily_customers, &opts).unwrap();
    eprintln!("BG/NBD on daily data: {fit:?}");
    let fit_c = bgnbd::fit(&continuous_customers, &opts).unwrap();
    eprintln!("BG/NBD on continuous data: {fit_c:?}");
    let gg_fit = gamma_gamma::fit(&spend, &opts).unwrap();
    eprintln!("Gamma-Gamma: {gg_fit:?}");

    let mut group = c.benchmark_group("models_1m");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("bgnbd_fit_daily", |b| {
        b.iter(|| bgnbd::fit(black_box(&daily_customers), &opts).unwrap())
    });
    group.bench_function("bgnbd_fit_continuous", |b| {
        b.iter(|| bgnbd::fit(black_box(&continuous_customers), &opts).unwrap())
    });
    group.bench_function("gamma_gamma_fit", |b| {
        b.iter(|| gamma_gamma::fit(black_box(&spend), &opts).unwrap())
    });
    let bg = BgNbdParams::new(BG.0, BG.1, BG.2, BG.3).unwrap();
    let gg = GammaGammaParams::new(GG.0, GG.1, GG.2).unwrap();
    let settings = ScoreSettings {
        horizon: 52.0,
        clv: ClvSettings::new(12, 0.01, 1.0, TimeUnit::Weeks),
    };
    group.bench_function("score_all_12_month_clv_continuous", |b| {
        b.iter(|| {
            clv::score_all(
                &bg,
                &gg,
                black_box(&continuous_customers),
                &continuous_monetary,
                &settings,
            )
            .unwrap()
        })
    });
    group.bench_function("score_all_12_month_clv", |b| {
        b.iter(|| {
            clv::score_all(&bg, &gg, black_box(&daily_customers), &monetary, &settings).unwrap()
        })
    });
    group.finish();
    if let Some(mb) = peak_rss_mb() {
        eprintln!(
            "peak RSS of the whole bench process (two 1M data sets, inputs and outputs): {mb:.0} MB"
        );
    }
}

/// RFM breakpoints and scores for 1,000,000 customers with heavily tied frequencies.
fn rfm(c: &mut Criterion) {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    use rapport_domain::rfm::{self, RfmInput};

    let mut rng = StdRng::seed_from_u64(44);
    let customers: Vec<RfmInput> = (0..N)
        .map(|_| {
            let frequency = (1.0 / rng.random_range(0.02..1.0f64)).floor();
            RfmInput {
                recency_days: rng.random_range(0..1500u32).into(),
                frequency,
                monetary: (frequency * rng.random_range(500.0..20_000.0f64)).round(),
            }
        })
        .collect();
    let breakpoints = rfm::breakpoints(&customers).unwrap();

    let mut group = c.benchmark_group("rfm_1m");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("breakpoints", |b| {
        b.iter(|| rfm::breakpoints(black_box(&customers)).unwrap())
    });
    group.bench_function("score_all", |b| {
        b.iter(|| {
            black_box(&customers)
                .iter()
                .map(|c| rfm::score(&breakpoints, c))
                .collect::<Vec<_>>()
        })
    });
    group.finish();
}

/// Pareto/NBD and MBG/NBD fits on the same 1,000,000 daily customers. With
/// `RAPPORT_BENCH_CSV=FILE` the data are also written as an RFM summary (the `lifetimes`
/// columns) so the Python library can fit the very same customers.
fn alternatives(c: &mut Criterion) {
    use rapport_domain::models::{mbgnbd, pareto_nbd};
    let daily = sim::simulate(N, BG, GG, 42, true);
    let customers: Vec<CustomerSummary> = daily.iter().map(|s| s.summary).collect();
    if let Ok(path) = std::env::var("RAPPORT_BENCH_CSV") {
        let mut w = csv::Writer::from_path(&path).unwrap();
        w.write_record(["customer_id", "frequency", "recency", "T", "monetary_value"])
            .unwrap();
        for (i, s) in daily.iter().enumerate() {
            w.serialize((i, s.summary.x, s.summary.t_x, s.summary.t, s.monetary))
                .unwrap();
        }
        w.flush().unwrap();
        eprintln!("wrote {path}");
    }
    drop(daily);
    let opts = FitOptions::default();
    let t = std::time::Instant::now();
    let mbg = mbgnbd::fit(&customers, &opts).unwrap();
    eprintln!("MBG/NBD on daily data ({:?}): {mbg:?}", t.elapsed());
    let t = std::time::Instant::now();
    let pareto = pareto_nbd::fit(&customers, &opts).unwrap();
    eprintln!("Pareto/NBD on daily data ({:?}): {pareto:?}", t.elapsed());
    let mut group = c.benchmark_group("alternatives_1m");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(10));
    group.bench_function("mbgnbd_fit_daily", |b| {
        b.iter(|| mbgnbd::fit(black_box(&customers), &opts).unwrap())
    });
    group.bench_function("pareto_nbd_fit_daily", |b| {
        b.iter(|| pareto_nbd::fit(black_box(&customers), &opts).unwrap())
    });
    group.finish();
}

/// A backtest's predictions over 1,000,000 customers in days: each model (at fixed
/// parameters) predicts every customer's purchases over 273 days (39 weekly curve points)
/// with spend, plus the deciles and error measures. A whole backtest adds the three fits
/// (`alternatives_1m`, and BG/NBD's in `models`).
fn backtest(c: &mut Criterion) {
    use rapport_domain::models::backtest::{curve_steps, evaluate, HoldoutCustomer};
    use rapport_domain::models::mbgnbd::MbgNbdParams;
    use rapport_domain::models::pareto_nbd::ParetoNbdParams;
    use rapport_domain::models::PurchaseParams;
    let daily = sim::simulate(N, BG, GG, 42, true);
    let customers: Vec<HoldoutCustomer> = daily
        .iter()
        .enumerate()
        .map(|(i, s)| HoldoutCustomer {
            summary: s.summary,
            mean_repeat_value: s.monetary,
            actual_purchases: (i % 3) as f64,
            actual_revenue: (i % 3) as f64 * 30.0,
        })
        .collect();
    drop(daily);
    let gg = GammaGammaParams::new(GG.0, GG.1, GG.2).unwrap();
    let steps = curve_steps(273.0);
    let models = [
        (
            "bgnbd",
            PurchaseParams::BgNbd(BgNbdParams::new(0.243, 30.898, 0.793, 2.426).unwrap()),
        ),
        (
            "mbgnbd",
            PurchaseParams::MbgNbd(MbgNbdParams::new(0.4536, 40.69, 1.0149, 2.3367).unwrap()),
        ),
        (
            "pareto_nbd",
            PurchaseParams::ParetoNbd(ParetoNbdParams::new(0.5112, 73.03, 0.7889, 168.1).unwrap()),
        ),
    ];
    let mut group = c.benchmark_group("backtest_1m");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    for (name, model) in models {
        group.bench_function(format!("evaluate_{name}"), |b| {
            b.iter(|| evaluate(&model, Some(&gg), black_box(&customers), &steps).unwrap())
        });
    }
    // What `POST /v1/models/churn/backtest` computes once the purchase days are read: the
    // three fits on the calibration summaries, the spend fit, the three evaluations.
    let summaries: Vec<CustomerSummary> = customers.iter().map(|c| c.summary).collect();
    let spend_pairs: Vec<(f64, f64)> = customers
        .iter()
        .filter(|c| c.summary.x > 0.0)
        .map(|c| (c.summary.x, c.mean_repeat_value))
        .collect();
    group.bench_function("three_models_fitted_and_evaluated", |b| {
        b.iter(|| {
            let opts = FitOptions::default();
            let spend = rapport_domain::models::spend::fit(&spend_pairs, &opts).unwrap();
            for kind in rapport_domain::models::PurchaseModelKind::ALL {
                let fit = rapport_domain::models::purchase::fit(kind, &summaries, &opts).unwrap();
                evaluate(&fit.params, Some(spend.params()), &customers, &steps).unwrap();
            }
        })
    });
    group.finish();
}

criterion_group!(benches, models, rfm, alternatives, backtest);
criterion_main!(benches);
