//! Backtests of the purchase models: a model fitted on the purchases up to a cutoff predicts
//! each customer's purchases (and spend) over a horizon after it; this module compares the
//! predictions with what happened.
//!
//! Measures, for one model:
//! - the cumulative curve of the BG/NBD paper over the horizon: predicted (the sum of the
//!   customers' conditional expectations `E[Y(t) | x, t_x, T]`) vs actual repeat purchases,
//!   at each step (a week; four weeks beyond two years);
//! - the per-customer mean absolute error of the purchases over the horizon (the score
//!   "auto" picks a model by, lowest wins), and of the spend when a spend model exists
//!   (predicted spend = expected purchases x Gamma-Gamma expected order value);
//! - deciles of predicted value (spend when known, else purchases), highest first: the
//!   customers in each, their predicted and actual purchases and spend;
//! - the customers predicted lost (P(alive) below [`LOST_BELOW`] at the cutoff) and how
//!   many of them bought again in the horizon.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::gamma_gamma::GammaGammaParams;
use super::purchase::{PurchaseParams, PurchaseScratch};
use super::{CustomerSummary, ModelError};

/// Distinct `(x, t_x, T)` remembered per chunk of customers.
const CACHE_ENTRIES: usize = 1 << 16;

/// P(alive) below which a customer counts as predicted lost.
pub const LOST_BELOW: f64 = 0.5;

/// One customer of a backtest: the calibration summary (time in days, `T` measured to the
/// cutoff) and what happened in the horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HoldoutCustomer {
    pub summary: CustomerSummary,
    /// Mean value of the calibration repeat purchases (ignored without any).
    pub mean_repeat_value: f64,
    /// Purchases (purchase days) in the horizon.
    pub actual_purchases: f64,
    /// Revenue of those purchases.
    pub actual_revenue: f64,
}

/// Points of the cumulative curve, in days after the cutoff: every week up to the
/// horizon (every four weeks beyond 104 weeks), the horizon itself last.
pub fn curve_steps(horizon_days: f64) -> Vec<f64> {
    let step = if horizon_days > 728.0 { 28.0 } else { 7.0 };
    let mut out = Vec::new();
    let mut at = step;
    while at < horizon_days {
        out.push(at);
        at += step;
    }
    out.push(horizon_days);
    out
}

/// Cumulative counts at each step of purchases happening `offsets` days after the cutoff.
pub fn cumulative_counts(offsets: &mut [f64], steps: &[f64]) -> Vec<f64> {
    offsets.sort_unstable_by(f64::total_cmp);
    let mut i = 0;
    steps
        .iter()
        .map(|&s| {
            while i < offsets.len() && offsets[i] <= s {
                i += 1;
            }
            i as f64
        })
        .collect()
}

/// One decile of predicted value (1 = the highest predicted).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Decile {
    pub decile: u32,
    pub customers: usize,
    pub predicted_purchases: f64,
    pub actual_purchases: f64,
    /// `None` without a spend model.
    pub predicted_revenue: Option<f64>,
    pub actual_revenue: f64,
}

/// How one model did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Per customer, input order: expected purchases over the horizon.
    pub predicted: Vec<f64>,
    /// Per customer: P(alive) at the cutoff.
    pub p_alive: Vec<f64>,
    /// Per customer: expected spend over the horizon (with a spend model).
    pub predicted_revenue: Option<Vec<f64>>,
    /// Predicted cumulative purchases at each step.
    pub curve: Vec<f64>,
    pub predicted_purchases: f64,
    pub actual_purchases: f64,
    /// Mean over customers of |predicted - actual| purchases.
    pub purchases_mae: f64,
    /// Mean over customers of |predicted - actual| spend.
    pub revenue_mae: Option<f64>,
    pub deciles: Vec<Decile>,
    /// Customers with P(alive) < [`LOST_BELOW`].
    pub predicted_lost: usize,
    /// Of those, how many bought in the horizon.
    pub lost_bought_again: usize,
}

/// Scores `model` (and `spend`, if any) on `customers` over `steps` (increasing, the
/// last being the horizon).
pub fn evaluate(
    model: &PurchaseParams,
    spend: Option<&GammaGammaParams>,
    customers: &[HoldoutCustomer],
    steps: &[f64],
) -> Result<Evaluation, ModelError> {
    model.validate()?;
    if let Some(s) = spend {
        s.validate()?;
    }
    if customers.is_empty() {
        return Err(ModelError::EmptyData);
    }
    if steps.is_empty() || steps.iter().any(|s| !(s.is_finite() && *s > 0.0)) {
        return Err(ModelError::InvalidOption {
            name: "horizon",
            value: steps.last().copied().unwrap_or(0.0),
        });
    }
    for (i, c) in customers.iter().enumerate() {
        c.summary.validate().map_err(|e| e.at(i))?;
    }
    let n = customers.len();
    let lanes = steps.len();
    let chunk = n
        .div_ceil(4 * rayon::current_num_threads().max(1))
        .max(1024);
    let mut predicted = vec![0.0; n];
    let mut p_alive = vec![0.0; n];
    let curves: Vec<Vec<f64>> = predicted
        .par_chunks_mut(chunk)
        .zip(p_alive.par_chunks_mut(chunk))
        .zip(customers.par_chunks(chunk))
        .map(|((pred, alive), cs)| {
            let mut scratch = PurchaseScratch::default();
            let mut out = vec![0.0; lanes];
            let mut curve = vec![0.0; lanes];
            // Customers with the same (x, T) (common: times are whole days) share the
            // expectations given alive; those with the same (x, t_x, T) (every one-time
            // buyer of a day) share P(alive) too.
            let mut lanes_at: HashMap<[u64; 2], usize> = HashMap::new();
            let mut arena: Vec<f64> = Vec::new();
            let mut alive_of: HashMap<[u64; 3], f64> = HashMap::new();
            for ((p, a), c) in pred.iter_mut().zip(alive.iter_mut()).zip(cs) {
                let s = &c.summary;
                let key = [s.x.to_bits(), s.t.to_bits()];
                let if_alive: &[f64] = match lanes_at.get(&key) {
                    Some(&at) => arena.get(at..at + lanes).unwrap_or(&[]),
                    None => {
                        model.expected_if_alive_many(s.x, s.t, steps, &mut out, &mut scratch);
                        if lanes_at.len() < CACHE_ENTRIES {
                            lanes_at.insert(key, arena.len());
                            arena.extend_from_slice(&out);
                        }
                        &out
                    }
                };
                let triple = [key[0], s.t_x.to_bits(), key[1]];
                let p_alive = match alive_of.get(&triple) {
                    Some(v) => *v,
                    None => {
                        let v = model.p_alive(s);
                        if alive_of.len() < CACHE_ENTRIES {
                            alive_of.insert(triple, v);
                        }
                        v
                    }
                };
                *a = p_alive;
                for (sum, e) in curve.iter_mut().zip(if_alive) {
                    *sum += finite(p_alive * e);
                }
                *p = finite(p_alive * if_alive.last().copied().unwrap_or(0.0));
            }
            curve
        })
        .collect();
    let mut curve = vec![0.0; lanes];
    for c in &curves {
        for (s, v) in curve.iter_mut().zip(c) {
            *s += v;
        }
    }
    let predicted_revenue: Option<Vec<f64>> = spend.map(|g| {
        customers
            .iter()
            .zip(&predicted)
            .map(|(c, p)| {
                let m = if c.summary.x > 0.0 {
                    c.mean_repeat_value.max(0.0)
                } else {
                    0.0
                };
                finite(p * g.expected_average_spend(c.summary.x, m))
            })
            .collect()
    });
    let count = n as f64;
    let purchases_mae = customers
        .iter()
        .zip(&predicted)
        .map(|(c, p)| (p - c.actual_purchases).abs())
        .sum::<f64>()
        / count;
    let revenue_mae = predicted_revenue.as_ref().map(|pr| {
        customers
            .iter()
            .zip(pr)
            .map(|(c, p)| (p - c.actual_revenue).abs())
            .sum::<f64>()
            / count
    });
    let deciles = deciles(customers, &predicted, predicted_revenue.as_deref());
    let lost: Vec<usize> = (0..n).filter(|&i| p_alive[i] < LOST_BELOW).collect();
    let lost_bought_again = lost
        .iter()
        .filter(|&&i| customers[i].actual_purchases > 0.0)
        .count();
    Ok(Evaluation {
        predicted_purchases: predicted.iter().sum(),
        actual_purchases: customers.iter().map(|c| c.actual_purchases).sum(),
        predicted,
        p_alive,
        predicted_revenue,
        curve,
        purchases_mae,
        revenue_mae,
        deciles,
        predicted_lost: lost.len(),
        lost_bought_again,
    })
}

fn finite(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

/// Ten groups of (nearly) equal size by predicted value, highest first (ties by input
/// order). Fewer than ten customers give fewer groups.
fn deciles(
    customers: &[HoldoutCustomer],
    predicted: &[f64],
    revenue: Option<&[f64]>,
) -> Vec<Decile> {
    let value = |i: usize| revenue.map_or(predicted[i], |r| r[i]);
    let mut order: Vec<usize> = (0..customers.len()).collect();
    order.par_sort_by(|&i, &j| value(j).total_cmp(&value(i)).then(i.cmp(&j)));
    let n = order.len();
    let mut out = Vec::new();
    for d in 0..10 {
        let (lo, hi) = (d * n / 10, (d + 1) * n / 10);
        if lo == hi {
            continue;
        }
        let group = &order[lo..hi];
        out.push(Decile {
            decile: u32::try_from(d + 1).unwrap_or(10),
            customers: group.len(),
            predicted_purchases: group.iter().map(|&i| predicted[i]).sum(),
            actual_purchases: group.iter().map(|&i| customers[i].actual_purchases).sum(),
            predicted_revenue: revenue.map(|r| group.iter().map(|&i| r[i]).sum()),
            actual_revenue: group.iter().map(|&i| customers[i].actual_revenue).sum(),
        });
    }
    out
}

/// The holdout "auto" scores models on: the last third of the observed span (from the
/// first purchase to the end of the window), at least 14 and at most 365 days. `None`
/// when the span is shorter than 42 days (too short to hold anything out).
pub fn auto_holdout_days(span_days: i64) -> Option<i64> {
    (span_days >= 42).then(|| (span_days / 3).clamp(14, 365))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::bgnbd::BgNbdParams;

    #[test]
    fn steps_are_weeks_ending_at_the_horizon() {
        assert_eq!(curve_steps(20.0), vec![7.0, 14.0, 20.0]);
        assert_eq!(curve_steps(14.0), vec![7.0, 14.0]);
        assert_eq!(curve_steps(1.0), vec![1.0]);
        assert_eq!(curve_steps(3650.0).len(), 131);
    }

    #[test]
    fn counts_are_cumulative() {
        let mut offsets = vec![8.0, 1.0, 7.0, 30.0];
        assert_eq!(
            cumulative_counts(&mut offsets, &[7.0, 14.0, 21.0]),
            vec![2.0, 3.0, 3.0]
        );
    }

    #[test]
    fn evaluation_adds_up() {
        let model = PurchaseParams::BgNbd(BgNbdParams {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
        });
        let customers: Vec<HoldoutCustomer> = (0..25)
            .map(|i| {
                let x = f64::from(i % 5);
                HoldoutCustomer {
                    summary: CustomerSummary {
                        x,
                        t_x: if x > 0.0 { 10.0 + f64::from(i) } else { 0.0 },
                        t: 40.0,
                    },
                    mean_repeat_value: 20.0,
                    actual_purchases: f64::from(i % 3),
                    actual_revenue: f64::from(i % 3) * 20.0,
                }
            })
            .collect();
        let steps = curve_steps(39.0);
        let e = evaluate(&model, None, &customers, &steps).unwrap_or_else(|e| panic!("{e}"));
        let total: f64 = e.predicted.iter().sum();
        assert!((e.curve.last().copied().unwrap_or(0.0) - total).abs() < 1e-9);
        assert_eq!(e.deciles.len(), 10);
        assert_eq!(e.deciles.iter().map(|d| d.customers).sum::<usize>(), 25);
        let by_hand: f64 = customers
            .iter()
            .map(|c| (model.expected_purchases(&c.summary, 39.0) - c.actual_purchases).abs())
            .sum::<f64>()
            / 25.0;
        assert!((by_hand - e.purchases_mae).abs() < 1e-12);
        assert!(e.deciles[0].predicted_purchases >= e.deciles[9].predicted_purchases);
    }

    #[test]
    fn auto_holds_out_a_third() {
        assert_eq!(auto_holdout_days(41), None);
        assert_eq!(auto_holdout_days(42), Some(14));
        assert_eq!(auto_holdout_days(546), Some(182));
        assert_eq!(auto_holdout_days(5000), Some(365));
    }
}
