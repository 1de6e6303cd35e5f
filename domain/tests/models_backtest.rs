//! Backtest predictions at the published CDNOW BG/NBD parameters equal the paper's
//! conditional expectation (eq. 10, summed here as the textbook Gauss series) per customer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rapport_domain::models::backtest::{self, HoldoutCustomer};
use rapport_domain::models::{BgNbdParams, CustomerSummary, PurchaseParams};

/// Paper eq. 10: `(a+b+x-1)/(a-1) [1 - ((α+T)/(α+T+t))^{r+x} 2F1(r+x, b+x; a+b+x-1; t/(α+T+t))]
/// / (1 + δ(x>0) a/(b+x-1) ((α+T)/(α+t_x))^{r+x})`.
fn textbook(p: &BgNbdParams, x: f64, t_x: f64, big_t: f64, t: f64) -> f64 {
    let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b);
    let z = t / (alpha + big_t + t);
    let (pa, pb, pc) = (r + x, b + x, a + b + x - 1.0);
    let (mut term, mut sum) = (1.0_f64, 1.0_f64);
    for k in 0..100_000 {
        let k = k as f64;
        term *= (pa + k) * (pb + k) / ((pc + k) * (k + 1.0)) * z;
        sum += term;
        if term.abs() < 1e-17 * sum.abs() {
            break;
        }
    }
    let head = (a + b + x - 1.0) / (a - 1.0)
        * (1.0 - ((alpha + big_t) / (alpha + big_t + t)).powf(r + x) * sum);
    let tail = if x > 0.0 {
        a / (b + x - 1.0) * ((alpha + big_t) / (alpha + t_x)).powf(r + x)
    } else {
        0.0
    };
    head / (1.0 + tail)
}

#[test]
fn backtest_predictions_are_the_papers_expectations_on_cdnow() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/cdnow_customers.csv"
    );
    let mut reader = csv::Reader::from_path(path).unwrap();
    let mut customers = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        let field = |i: usize| record[i].parse::<f64>().unwrap();
        customers.push(HoldoutCustomer {
            summary: CustomerSummary::new(field(1), field(2), field(3)).unwrap(),
            mean_repeat_value: field(4),
            actual_purchases: 0.0,
            actual_revenue: 0.0,
        });
    }
    assert_eq!(customers.len(), 2357);
    let published = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
    let model = PurchaseParams::BgNbd(published);
    let steps = backtest::curve_steps(39.0);
    let e = backtest::evaluate(&model, None, &customers, &steps).unwrap();
    for (c, got) in customers.iter().zip(&e.predicted) {
        let s = c.summary;
        let want = textbook(&published, s.x, s.t_x, s.t, 39.0);
        assert!(((got - want) / want).abs() < 1e-9, "{s:?}: {got} vs {want}");
    }
    // The paper's example customer.
    assert!((e.predicted[0] - 1.226).abs() < 5e-4);
    // In days (α x 7, times x 7) the expectations are the same.
    let in_days: Vec<HoldoutCustomer> = customers
        .iter()
        .map(|c| HoldoutCustomer {
            summary: CustomerSummary::new(c.summary.x, c.summary.t_x * 7.0, c.summary.t * 7.0)
                .unwrap(),
            ..*c
        })
        .collect();
    let days = PurchaseParams::BgNbd(BgNbdParams::new(0.243, 4.414 * 7.0, 0.793, 2.426).unwrap());
    let d = backtest::evaluate(&days, None, &in_days, &backtest::curve_steps(273.0)).unwrap();
    for (a, b) in e.predicted.iter().zip(&d.predicted) {
        assert!(((a - b) / b).abs() < 1e-9, "{a} vs {b}");
    }
    // Curve points are whole weeks in both units; its last point is the total.
    assert_eq!(d.curve.len(), 39);
    assert!((d.curve[38] - d.predicted_purchases).abs() < 1e-6);
}
