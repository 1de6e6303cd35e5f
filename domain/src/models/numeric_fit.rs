//! Maximum likelihood for the purchase models fitted on grouped rows (Pareto/NBD,
//! MBG/NBD): identical `(x, t_x, T)` rows grouped, the log-likelihood and its analytic
//! gradient summed in parallel, BFGS on the log-parameters.

use rayon::prelude::*;

use super::optimize::{bfgs, Minimum};
use super::{CustomerSummary, FitOptions, FitReport, ModelError};

/// Distinct rows with their counts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rows {
    pub rows: Vec<(f64, f64, f64)>,
    pub weights: Vec<f64>,
    pub total: f64,
    pub repeat: f64,
}

impl Rows {
    pub fn build(customers: &[CustomerSummary]) -> Result<Self, ModelError> {
        if customers.is_empty() {
            return Err(ModelError::EmptyData);
        }
        let mut all: Vec<(f64, f64, f64)> = Vec::with_capacity(customers.len());
        for (i, c) in customers.iter().enumerate() {
            c.validate().map_err(|e| e.at(i))?;
            all.push((c.x, c.t_x, c.t));
        }
        all.par_sort_unstable_by(|p, q| {
            p.0.total_cmp(&q.0)
                .then(p.1.total_cmp(&q.1))
                .then(p.2.total_cmp(&q.2))
        });
        let mut out = Rows::default();
        for row in all {
            out.total += 1.0;
            if row.0 > 0.0 {
                out.repeat += 1.0;
            }
            if out.rows.last() == Some(&row) {
                if let Some(w) = out.weights.last_mut() {
                    *w += 1.0;
                }
            } else {
                out.rows.push(row);
                out.weights.push(1.0);
            }
        }
        Ok(out)
    }

    /// Weighted sum of `ll(per_x(x), x, t_x, t)`, with `per_x` (the terms that depend on
    /// `x` alone: log-gammas) computed once per distinct `x` (rows are sorted by `x`).
    pub fn sum_by_x<X, P, F>(&self, per_x: P, ll: F) -> f64
    where
        X: Send + Sync,
        P: Fn(f64) -> X + Sync,
        F: Fn(&X, f64, f64, f64) -> f64 + Sync,
    {
        const CHUNK: usize = 8192;
        let n = self.rows.len();
        (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let (lo, hi) = (c * CHUNK, ((c + 1) * CHUNK).min(n));
                let mut acc = 0.0;
                let mut cached: Option<(f64, X)> = None;
                for i in lo..hi {
                    let (x, t_x, t) = self.rows[i];
                    let terms = match cached {
                        Some((cx, ref terms)) if cx == x => terms,
                        _ => &cached.insert((x, per_x(x))).1,
                    };
                    acc += self.weights[i] * ll(terms, x, t_x, t);
                }
                acc
            })
            .sum()
    }
}

impl Rows {
    /// [`Rows::sum_by_x`] for a likelihood and its gradient: `ll` returns `N` values per
    /// row (e.g. the log-likelihood and its partial derivatives), weighted and summed.
    pub fn sum_by_x_n<const N: usize, X, P, F>(&self, per_x: P, ll: F) -> [f64; N]
    where
        X: Send + Sync,
        P: Fn(f64) -> X + Sync,
        F: Fn(&X, f64, f64, f64) -> [f64; N] + Sync,
    {
        const CHUNK: usize = 8192;
        let n = self.rows.len();
        let partials: Vec<[f64; N]> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let (lo, hi) = (c * CHUNK, ((c + 1) * CHUNK).min(n));
                let mut acc = [0.0; N];
                let mut cached: Option<(f64, X)> = None;
                for i in lo..hi {
                    let (x, t_x, t) = self.rows[i];
                    let terms = match cached {
                        Some((cx, ref terms)) if cx == x => terms,
                        _ => &cached.insert((x, per_x(x))).1,
                    };
                    let w = self.weights[i];
                    for (a, v) in acc.iter_mut().zip(ll(terms, x, t_x, t)) {
                        *a += w * v;
                    }
                }
                acc
            })
            .collect();
        let mut total = [0.0; N];
        for p in partials {
            for (t, v) in total.iter_mut().zip(p) {
                *t += v;
            }
        }
        total
    }
}

const LOG_BOUND: f64 = 30.0;
const LOG_DEGENERATE: f64 = 16.0;
/// Above this many distinct rows the fit starts on every k-th row (about `SUBSAMPLE`),
/// then polishes on all rows from that optimum and its inverse-Hessian estimate, as the
/// BG/NBD fit does: the full data cost a few iterations instead of a whole search.
const SUBSAMPLE_ABOVE: usize = 60_000;
const SUBSAMPLE: usize = 30_000;

impl Rows {
    fn every(&self, step: usize) -> Rows {
        let step = step.max(1);
        let mut out = Rows::default();
        for i in (0..self.rows.len()).step_by(step) {
            let (row, w) = (self.rows[i], self.weights[i]);
            out.rows.push(row);
            out.weights.push(w);
            out.total += w;
            if row.0 > 0.0 {
                out.repeat += w;
            }
        }
        out
    }
}

/// Fits a 4-parameter model by BFGS on the log-parameters: `llg(&rows, params, grad)`
/// returns the log-likelihood sum and writes its gradient w.r.t. the natural parameters.
/// `names` for errors, `starts` in log-parameters.
pub(crate) fn fit_with_gradient<G>(
    customers: &[CustomerSummary],
    opts: &FitOptions,
    names: [&'static str; 4],
    starts: &[[f64; 4]],
    llg: G,
) -> Result<FitReport<[f64; 4]>, ModelError>
where
    G: Fn(&Rows, &[f64; 4], &mut [f64; 4]) -> f64,
{
    opts.validate()?;
    let objective = |d: &Rows, theta: &[f64], grad: &mut [f64]| -> f64 {
        let Some(p) = natural(theta) else {
            return f64::INFINITY;
        };
        let mut g = [0.0; 4];
        let l = llg(d, &p, &mut g);
        let mut f = -l / d.total;
        for i in 0..4 {
            f += opts.penalizer * p[i] * p[i];
            if let Some(slot) = grad.get_mut(i) {
                *slot = (-g[i] / d.total + 2.0 * opts.penalizer * p[i]) * p[i];
            }
        }
        if f.is_finite() && grad.iter().all(|v| v.is_finite()) {
            f
        } else {
            f64::INFINITY
        }
    };
    let ll = |d: &Rows, p: &[f64; 4]| llg(d, p, &mut [0.0; 4]);
    search(
        customers,
        opts,
        names,
        starts,
        &objective,
        &ll,
        opts.tolerance,
    )
}

/// Natural parameters of log-parameters inside the search box.
fn natural(theta: &[f64]) -> Option<[f64; 4]> {
    if theta.len() != 4 || theta.iter().any(|v| v.is_nan() || v.abs() > LOG_BOUND) {
        return None;
    }
    Some([
        theta[0].exp(),
        theta[1].exp(),
        theta[2].exp(),
        theta[3].exp(),
    ])
}

type Objective<'a> = dyn Fn(&Rows, &[f64], &mut [f64]) -> f64 + 'a;
type LogLikelihood<'a> = dyn Fn(&Rows, &[f64; 4]) -> f64 + 'a;

fn search(
    customers: &[CustomerSummary],
    opts: &FitOptions,
    names: [&'static str; 4],
    starts: &[[f64; 4]],
    objective: &Objective<'_>,
    ll: &LogLikelihood<'_>,
    tolerance: f64,
) -> Result<FitReport<[f64; 4]>, ModelError> {
    let data = Rows::build(customers)?;
    if data.repeat <= 0.0 {
        return Err(ModelError::NoRepeatPurchases);
    }
    let first_stage = (data.rows.len() > SUBSAMPLE_ABOVE)
        .then(|| data.every(data.rows.len() / SUBSAMPLE))
        .filter(|d| d.repeat > 0.0);
    let stage = first_stage.as_ref().unwrap_or(&data);
    let mut best: Option<Minimum> = None;
    for x0 in starts {
        let m = bfgs(
            |t, g| objective(stage, t, g),
            x0,
            None,
            opts.max_iterations,
            tolerance,
        );
        if m.f.is_finite() && best.as_ref().is_none_or(|b| m.f < b.f) {
            best = Some(m);
        }
    }
    if first_stage.is_some() {
        if let Some(b) = &best {
            let polished = bfgs(
                |t, g| objective(&data, t, g),
                &b.x,
                Some(&b.inv_hessian),
                opts.max_iterations,
                tolerance,
            );
            if !polished.f.is_finite() {
                return Err(ModelError::NoFiniteLikelihood);
            }
            best = Some(polished);
        }
    }
    let best = best.ok_or(ModelError::NoFiniteLikelihood)?;
    for (name, v) in names.iter().zip(&best.x) {
        if v.abs() > LOG_DEGENERATE {
            return Err(ModelError::Degenerate {
                parameter: name,
                value: v.exp(),
            });
        }
    }
    let params = [
        best.x[0].exp(),
        best.x[1].exp(),
        best.x[2].exp(),
        best.x[3].exp(),
    ];
    let log_likelihood = ll(&data, &params);
    if !log_likelihood.is_finite() {
        return Err(ModelError::NoFiniteLikelihood);
    }
    Ok(FitReport {
        params,
        log_likelihood,
        iterations: best.iterations,
        converged: best.converged,
        customers: customers.len(),
    })
}

/// `ln(e^a + e^b)` without overflow; `-inf` terms allowed.
pub(crate) fn log_add(a: f64, b: f64) -> f64 {
    let m = a.max(b);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + ((a - m).exp() + (b - m).exp()).ln()
}
