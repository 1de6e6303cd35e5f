//! Gamma-Gamma spend model (Fader & Hardie): fit by maximum likelihood and conditional expected spend.

// Each transaction value is Gamma(p, ν) with the customer's ν ~ Gamma(q, v);
// the observed mean `m` of a customer's `x` repeat purchases then has the density
// used below. Only customers with `x > 0` carry information.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::optimize::{bfgs, Minimum};
use super::special::{digamma, ln_gamma};
use super::{check_param, FitOptions, FitReport, ModelError};

/// Fitted Gamma-Gamma parameters (in the currency of the data).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    /// Shape of the per-transaction Gamma.
    pub p: f64,
    /// Shape of the Gamma over customers' rate parameter ν.
    pub q: f64,
    /// Rate of the Gamma over customers' rate parameter ν.
    pub v: f64,
}

const NAMES: [&str; 3] = ["p", "q", "v"];
const LOG_BOUND: f64 = 30.0;
const LOG_DEGENERATE: f64 = 16.0;
const SUBSAMPLE_ABOVE: usize = 60_000;
const SUBSAMPLE: usize = 30_000;
const CHUNK: usize = 8192;

impl GammaGammaParams {
    /// Checks that all parameters are finite and positive and `q > 1` (the
    /// population mean spend `p v / (q - 1)` must exist).
    pub fn new(p: f64, q: f64, v: f64) -> Result<Self, ModelError> {
        let g = Self { p, q, v };
        g.validate()?;
        Ok(g)
    }

    pub fn validate(&self) -> Result<(), ModelError> {
        check_param("p", self.p)?;
        check_param("q", self.q)?;
        check_param("v", self.v)?;
        if self.q <= 1.0 {
            return Err(ModelError::InfiniteMeanSpend { q: self.q });
        }
        Ok(())
    }

    /// Expected mean transaction value of a customer with `x` repeat purchases of
    /// mean value `m` (`m` is ignored when `x == 0`: the population mean is returned).
    ///
    /// A weighted average of the population mean `p v / (q - 1)` and `m`:
    /// `p (v + x m) / (p x + q - 1)`. Assumes valid parameters.
    pub fn expected_average_spend(&self, x: f64, m: f64) -> f64 {
        let xm = if x > 0.0 { x * m } else { 0.0 };
        self.p * (self.v + xm) / (self.p * x + self.q - 1.0)
    }

    /// Population mean transaction value, `p v / (q - 1)`.
    pub fn mean_spend(&self) -> f64 {
        self.expected_average_spend(0.0, 0.0)
    }

    /// Log-likelihood (sum) of the customers with `x > 0` among `spend` (`(x, m)` pairs).
    pub fn log_likelihood(&self, spend: &[(f64, f64)]) -> Result<f64, ModelError> {
        check_param("p", self.p)?;
        check_param("q", self.q)?;
        check_param("v", self.v)?;
        let data = Rows::build(spend)?;
        let mut grad = [0.0; 3];
        Ok(data.log_likelihood(&[self.p, self.q, self.v], &mut grad))
    }
}

/// Fits the Gamma-Gamma model on `(x, m)` pairs: `x` repeat purchases of mean
/// value `m`. Rows with `x == 0` are checked and skipped (their `m` is not used).
///
/// The optimiser works on `(ln p, ln(q - 1), ln v)`, so every point it visits has
/// `q > 1` (a finite population mean spend): a fit cannot end with `q <= 1`, only run
/// towards it, which is reported as [`ModelError::InfiniteMeanSpend`]. Spend is divided
/// by its geometric mean while fitting (the model is scale-equivariant: `v` scales, `p`
/// and `q` do not), so minor units and dollars fit alike; with a `penalizer` the data
/// keep their scale, as the `lifetimes` penalty on `v` depends on it.
///
/// Errors: invalid options or rows (with index), no row with `x > 0`, a parameter
/// running off to 0 or infinity (e.g. all customers with the same `m`), or `q`
/// running to 1 (spend too heavy-tailed for a finite mean).
pub fn fit(
    spend: &[(f64, f64)],
    opts: &FitOptions,
) -> Result<FitReport<GammaGammaParams>, ModelError> {
    fit_with_ridge(spend, opts, 0.0)
}

/// [`fit`] with a ridge penalty `ridge * ((ln p)² + (ln(q - 1))²)` on the fitted shape
/// parameters, added to the negative mean log-likelihood: it pulls a shape the data do
/// not pin down towards `p = 1, q = 2` instead of letting it diverge, while `v` stays
/// free to match the data's scale. Scale-free, unlike the `lifetimes` penalizer (which
/// penalizes `v` in the data's currency). `ridge = 0` is [`fit`].
pub fn fit_with_ridge(
    spend: &[(f64, f64)],
    opts: &FitOptions,
    ridge: f64,
) -> Result<FitReport<GammaGammaParams>, ModelError> {
    opts.validate()?;
    if !(ridge.is_finite() && ridge >= 0.0) {
        return Err(ModelError::InvalidOption {
            name: "ridge",
            value: ridge,
        });
    }
    if spend.is_empty() {
        return Err(ModelError::EmptyData);
    }
    let data = Rows::build(spend)?;
    if data.len() == 0 {
        return Err(ModelError::NoRepeatPurchases);
    }
    let scale = if opts.penalizer > 0.0 {
        1.0
    } else {
        let g = (data.sum_ln_m / data.count).exp();
        if g.is_finite() && g > 0.0 {
            g
        } else {
            1.0
        }
    };
    let scaled = data.scaled(scale);
    let run = |d: &Rows, x0: &[f64], h0: Option<&[f64]>| {
        bfgs(
            |theta, grad| d.objective(theta, opts.penalizer, ridge, grad),
            x0,
            h0,
            opts.max_iterations,
            opts.tolerance,
        )
    };
    let first_stage = if scaled.len() > SUBSAMPLE_ABOVE {
        Some(scaled.subsample(scaled.len() / SUBSAMPLE))
    } else {
        None
    };
    let stage = first_stage.as_ref().unwrap_or(&scaled);
    let mut best: Option<Minimum> = None;
    for x0 in scaled.starting_points() {
        let m = run(stage, &x0, None);
        if m.f.is_finite() && best.as_ref().is_none_or(|b| m.f < b.f) {
            best = Some(m);
        }
    }
    let mut best = best.ok_or(ModelError::NoFiniteLikelihood)?;
    if first_stage.is_some() {
        best = run(&scaled, &best.x, Some(&best.inv_hessian));
        if !best.f.is_finite() {
            return Err(ModelError::NoFiniteLikelihood);
        }
    }
    let theta = [best.x[0], best.x[1], best.x[2]];
    let [p, q, v] = natural(&theta);
    if theta[1] < -LOG_DEGENERATE {
        return Err(ModelError::InfiniteMeanSpend { q });
    }
    for (name, value) in NAMES.iter().zip(&theta) {
        if value.abs() > LOG_DEGENERATE {
            let value = if *name == "q" { q } else { value.exp() };
            return Err(ModelError::Degenerate {
                parameter: name,
                value,
            });
        }
    }
    let params = GammaGammaParams { p, q, v: v * scale };
    if params.validate().is_err() {
        return Err(ModelError::NoFiniteLikelihood);
    }
    let mut grad = [0.0; 3];
    let log_likelihood = data.log_likelihood(&[params.p, params.q, params.v], &mut grad);
    if !log_likelihood.is_finite() {
        return Err(ModelError::NoFiniteLikelihood);
    }
    Ok(FitReport {
        params,
        log_likelihood,
        iterations: best.iterations,
        converged: best.converged,
        customers: data.len(),
    })
}

/// `(p, q, v)` from the fitted coordinates `(ln p, ln(q - 1), ln v)`.
fn natural(theta: &[f64; 3]) -> [f64; 3] {
    [theta[0].exp(), 1.0 + theta[1].exp(), theta[2].exp()]
}

/// Customers with `x > 0`, sorted by `x`, with their parameter-free logs.
#[derive(Debug, Clone, Default)]
struct Rows {
    xid: Vec<usize>,
    /// `x m`
    xm: Vec<f64>,
    /// `ln(x m)`
    ln_xm: Vec<f64>,
    /// `ln m`
    ln_m: Vec<f64>,
    xs: Vec<f64>,
    /// Rows per distinct x.
    nx: Vec<f64>,
    /// Sum of `ln m` (parameter-free part of the likelihood).
    sum_ln_m: f64,
    /// Number of rows, as the divisor of the mean log-likelihood.
    count: f64,
}

impl Rows {
    fn build(spend: &[(f64, f64)]) -> Result<Self, ModelError> {
        let mut rows = Vec::with_capacity(spend.len());
        for (i, &(x, m)) in spend.iter().enumerate() {
            let check = || -> Result<(), ModelError> {
                super::check_non_negative("x", x)?;
                if x.fract() != 0.0 {
                    return Err(ModelError::NonIntegerFrequency { value: x });
                }
                if x > 0.0 && !(m.is_finite() && m > 0.0) {
                    return Err(ModelError::NonPositiveMonetary { value: m });
                }
                Ok(())
            };
            check().map_err(|e| e.at(i))?;
            if x > 0.0 {
                rows.push((x, m));
            }
        }
        rows.par_sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let mut r = Rows::default();
        for (x, m) in rows {
            if r.xs.last() != Some(&x) {
                r.xs.push(x);
                r.nx.push(0.0);
            }
            if let Some(n) = r.nx.last_mut() {
                *n += 1.0;
            }
            r.xid.push(r.xs.len() - 1);
            let xm = x * m;
            r.xm.push(xm);
            r.ln_xm.push(xm.ln());
            let lm = m.ln();
            r.ln_m.push(lm);
            r.sum_ln_m += lm;
            r.count += 1.0;
        }
        Ok(r)
    }

    fn len(&self) -> usize {
        self.xm.len()
    }

    fn subsample(&self, step: usize) -> Rows {
        let step = step.max(1);
        let mut r = Rows {
            xs: self.xs.clone(),
            nx: vec![0.0; self.xs.len()],
            ..Rows::default()
        };
        for i in (0..self.len()).step_by(step) {
            r.xid.push(self.xid[i]);
            r.xm.push(self.xm[i]);
            r.ln_xm.push(self.ln_xm[i]);
            r.ln_m.push(self.ln_m[i]);
            r.nx[self.xid[i]] += 1.0;
            r.sum_ln_m += self.ln_m[i];
            r.count += 1.0;
        }
        r
    }

    /// The same rows with every spend divided by `s`.
    fn scaled(&self, s: f64) -> Rows {
        if s == 1.0 {
            return self.clone();
        }
        let ln_s = s.ln();
        Rows {
            xid: self.xid.clone(),
            xm: self.xm.iter().map(|v| v / s).collect(),
            ln_xm: self.ln_xm.iter().map(|v| v - ln_s).collect(),
            ln_m: self.ln_m.iter().map(|v| v - ln_s).collect(),
            xs: self.xs.clone(),
            nx: self.nx.clone(),
            sum_ln_m: self.sum_ln_m - self.count * ln_s,
            count: self.count,
        }
    }

    /// `p = 1, q = 2, v = 1`, and two matching the mean observed spend, in the fitted
    /// coordinates `(ln p, ln(q - 1), ln v)`.
    fn starting_points(&self) -> Vec<Vec<f64>> {
        let mean_m = self.ln_m.iter().map(|l| l.exp()).sum::<f64>() / self.count.max(1.0);
        let mean_m = if mean_m.is_finite() && mean_m > 0.0 {
            mean_m
        } else {
            1.0
        };
        // p v / (q - 1) = mean_m
        let at = |p: f64, q: f64| vec![p.ln(), (q - 1.0).ln(), (mean_m * (q - 1.0) / p).ln()];
        vec![vec![0.0; 3], at(2.0, 3.0), at(6.0, 4.0)]
    }

    /// Negative mean log-likelihood plus penalties, and its gradient, in the fitted
    /// coordinates `θ = (ln p, ln(q - 1), ln v)`: `penalizer * (p² + q² + v²)` (the
    /// `lifetimes` convention) and `ridge * (θ_p² + θ_q²)`.
    fn objective(&self, theta: &[f64], penalizer: f64, ridge: f64, grad: &mut [f64]) -> f64 {
        if theta.len() != 3 || theta.iter().any(|v| v.is_nan() || v.abs() > LOG_BOUND) {
            return f64::INFINITY;
        }
        let th = [theta[0], theta[1], theta[2]];
        let nat = natural(&th);
        let mut dll = [0.0; 3];
        let ll = self.log_likelihood(&nat, &mut dll);
        let n = self.count;
        if !ll.is_finite() || n <= 0.0 {
            return f64::INFINITY;
        }
        let mut f = -ll / n;
        for i in 0..3 {
            let p = nat[i];
            // d(natural)/dθ: e^θ for p and v, and for q = 1 + e^θ too.
            let jac = th[i].exp();
            // The ridge holds the shapes only; v then follows the data's scale.
            let ridge = if i < 2 { ridge } else { 0.0 };
            f += penalizer * p * p + ridge * th[i] * th[i];
            grad[i] = (-dll[i] / n + 2.0 * penalizer * p) * jac + 2.0 * ridge * th[i];
        }
        if f.is_finite() && grad.iter().all(|g| g.is_finite()) {
            f
        } else {
            f64::INFINITY
        }
    }

    /// Log-likelihood sum and gradient w.r.t. `(p, q, v)`, at `(p, q, v)`.
    fn log_likelihood(&self, params: &[f64; 3], grad: &mut [f64; 3]) -> f64 {
        let [p, q, v] = *params;
        let ln_v = v.ln();
        let (lg_q, dg_q) = (ln_gamma(q), digamma(q));
        let mut ll = -self.sum_ln_m;
        let mut g = [0.0; 3];
        // Per distinct x: (p x, ψ(px+q) - ψ(px) for ∂p, ψ(px+q) for ∂q)
        let table: Vec<(f64, f64)> = self
            .xs
            .iter()
            .zip(&self.nx)
            .map(|(&x, &nx)| {
                let px = p * x;
                let dg_pxq = digamma(px + q);
                ll += nx * (ln_gamma(px + q) - ln_gamma(px) - lg_q + q * ln_v);
                g[0] += nx * x * (dg_pxq - digamma(px));
                g[1] += nx * (dg_pxq - dg_q + ln_v);
                g[2] += nx * q / v;
                (x, px)
            })
            .collect();
        let n = self.len();
        let chunk_sum = |lo: usize, hi: usize| -> [f64; 4] {
            let mut acc = [0.0; 4];
            for i in lo..hi {
                let (x, px) = table[self.xid[i]];
                let denom = self.xm[i] + v;
                let l = denom.ln();
                acc[0] += px * self.ln_xm[i] - (px + q) * l;
                acc[1] += x * (self.ln_xm[i] - l);
                acc[2] -= l;
                acc[3] -= (px + q) / denom;
            }
            acc
        };
        let partials: Vec<[f64; 4]> = if n <= 2 * CHUNK {
            vec![chunk_sum(0, n)]
        } else {
            (0..n.div_ceil(CHUNK))
                .into_par_iter()
                .map(|c| chunk_sum(c * CHUNK, ((c + 1) * CHUNK).min(n)))
                .collect()
        };
        let mut acc = [0.0; 4];
        for part in &partials {
            for (s, val) in acc.iter_mut().zip(part) {
                *s += val;
            }
        }
        grad[0] = g[0] + acc[1];
        grad[1] = g[1] + acc[2];
        grad[2] = g[2] + acc[3];
        ll + acc[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let spend = [
            (1.0, 10.0),
            (3.0, 25.5),
            (2.0, 7.25),
            (0.0, 0.0),
            (1.0, 40.0),
        ];
        let Ok(rows) = Rows::build(&spend) else {
            unreachable!()
        };
        let theta = [6.25_f64.ln(), 2.74_f64.ln(), 15.44_f64.ln()];
        let mut grad = [0.0; 3];
        rows.objective(&theta, 0.01, 0.05, &mut grad);
        for i in 0..3 {
            let h = 1e-6;
            let mut tp = theta;
            tp[i] += h;
            let mut tmp = [0.0; 3];
            let fp = rows.objective(&tp, 0.01, 0.05, &mut tmp);
            tp[i] -= 2.0 * h;
            let fm = rows.objective(&tp, 0.01, 0.05, &mut tmp);
            let fd = (fp - fm) / (2.0 * h);
            assert!((fd - grad[i]).abs() < 1e-7, "{i}: {fd} vs {}", grad[i]);
        }
    }

    #[test]
    fn spend_is_a_weighted_average() {
        let g = GammaGammaParams {
            p: 6.25,
            q: 3.74,
            v: 15.44,
        };
        let pop = g.mean_spend();
        assert!((pop - 6.25 * 15.44 / 2.74).abs() < 1e-12);
        let s = g.expected_average_spend(3.0, 50.0);
        assert!(s > pop && s < 50.0);
    }
}
