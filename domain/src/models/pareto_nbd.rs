//! Pareto/NBD (Schmittlein, Morrison & Colombo 1987): purchases Poisson(λ) while alive,
//! lifetimes Exponential(μ), with λ ~ Gamma(r, α) and μ ~ Gamma(s, β).

// Likelihood (Fader, Hardie & Lee, "A note on implementing the Pareto/NBD model"):
// L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^{-(r+x)} (β+T)^{-s} + s/(r+s+x) · A0 ],
// A0 = F(t_x) - F(T),  F(t) = 2F1(r+s+x, b; r+s+x+1; z(t)) / (m+t)^{r+s+x},
// m = max(α, β), z(t) = |α-β| / (m+t), b = s+1 if α >= β else r+x.
// The 2F1 is taken through Euler's transformation,
// 2F1(a, b; a+1; z) = (1-z)^{1-b} 2F1(1, a+1-b; a+1; z),
// whose series has positive terms falling at least as fast as z^k, so it neither
// overflows nor cancels for large x (the direct series grows like (1-z)^{-(r+x)} when
// α < β); everything is summed in log space.

use serde::{Deserialize, Serialize};

use super::mbgnbd::observed_rate;
use super::numeric_fit::{self, log_add, Rows};
use super::special::ln_gamma;
use super::{check_param, CustomerSummary, FitOptions, FitReport, ModelError};

/// Fitted Pareto/NBD parameters, in the time unit of the data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbdParams {
    /// Shape of the Gamma of purchase rates λ.
    pub r: f64,
    /// Rate of the Gamma of purchase rates.
    pub alpha: f64,
    /// Shape of the Gamma of drop-out rates μ.
    pub s: f64,
    /// Rate of the Gamma of drop-out rates.
    pub beta: f64,
}

/// Terms of the 2F1 series before giving up (z close to 1 converges slowly).
const MAX_TERMS: usize = 200_000;

/// `ln 2F1(1, c1; c2; z)` for `0 <= z < 1`, `0 < c1 <= c2`: positive terms with ratio
/// `(c1 + k) / (c2 + k) z <= z`.
fn ln_hyp2f1_one(c1: f64, c2: f64, z: f64) -> f64 {
    let (mut term, mut sum) = (1.0_f64, 1.0_f64);
    for k in 0..MAX_TERMS {
        let k = k as f64;
        term *= (c1 + k) / (c2 + k) * z;
        sum += term;
        if term <= 1e-16 * sum {
            break;
        }
    }
    sum.ln()
}

impl ParetoNbdParams {
    pub fn new(r: f64, alpha: f64, s: f64, beta: f64) -> Result<Self, ModelError> {
        let p = Self { r, alpha, s, beta };
        p.validate()?;
        Ok(p)
    }

    pub fn validate(&self) -> Result<(), ModelError> {
        check_param("r", self.r)?;
        check_param("alpha", self.alpha)?;
        check_param("s", self.s)?;
        check_param("beta", self.beta)
    }

    /// `ln F(t)` of the module comment.
    fn ln_f(&self, x: f64, t: f64) -> f64 {
        let Self { r, alpha, s, beta } = *self;
        let a = r + s + x;
        let (m, lo, b) = if alpha >= beta {
            (alpha, beta, s + 1.0)
        } else {
            (beta, alpha, r + x)
        };
        let z = (m - lo) / (m + t);
        let ln_one_minus_z = (lo + t).ln() - (m + t).ln();
        (1.0 - b) * ln_one_minus_z + ln_hyp2f1_one(a + 1.0 - b, a + 1.0, z) - a * (m + t).ln()
    }

    /// Log-likelihood of one customer (assumes valid parameters and summary).
    pub fn customer_log_likelihood(&self, x: f64, t_x: f64, t: f64) -> f64 {
        self.row_log_likelihood(self.head(x), x, t_x, t)
    }

    /// The part of one customer's log-likelihood that depends on `x` alone.
    fn head(&self, x: f64) -> f64 {
        ln_gamma(self.r + x) - ln_gamma(self.r) + self.r * self.alpha.ln() + self.s * self.beta.ln()
    }

    fn sum(&self, rows: &Rows) -> f64 {
        rows.sum_by_x(
            |x| self.head(x),
            |head, x, t_x, t| self.row_log_likelihood(*head, x, t_x, t),
        )
    }

    fn row_log_likelihood(&self, head: f64, x: f64, t_x: f64, t: f64) -> f64 {
        let Self { r, alpha, s, beta } = *self;
        let alive = -(r + x) * (alpha + t).ln() - s * (beta + t).ln();
        let (f_tx, f_t) = (self.ln_f(x, t_x), self.ln_f(x, t));
        // ln(F(t_x) - F(T)); F decreases in t, so the difference is >= 0.
        let diff = f_t - f_tx;
        let ln_a0 = if diff < 0.0 {
            f_tx + (-diff.exp_m1()).ln()
        } else {
            f64::NEG_INFINITY
        };
        let dead = (s / (r + s + x)).ln() + ln_a0;
        head + log_add(alive, dead)
    }

    /// Log-likelihood (sum over customers).
    pub fn log_likelihood(&self, customers: &[CustomerSummary]) -> Result<f64, ModelError> {
        self.validate()?;
        let rows = Rows::build(customers)?;
        Ok(self.sum(&rows))
    }

    /// Probability the customer is alive at `T`: the "alive" share of the likelihood.
    pub fn p_alive(&self, c: &CustomerSummary) -> f64 {
        let Self { r, alpha, s, beta } = *self;
        let head = ln_gamma(r + c.x) - ln_gamma(r) + r * alpha.ln() + s * beta.ln();
        let alive = head - (r + c.x) * (alpha + c.t).ln() - s * (beta + c.t).ln();
        let total = self.customer_log_likelihood(c.x, c.t_x, c.t);
        let p = (alive - total).exp();
        if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// `E[Y(horizon) | x, t_x, T]`: expected purchases in the next `horizon` units,
    /// `P(alive) · (r+x)/(α+T) · (β+T)/(s-1) · (1 - ((β+T)/(β+T+horizon))^{s-1})`
    /// (the limit `(r+x)/(α+T) (β+T) ln(1 + horizon/(β+T))` at `s = 1`).
    pub fn expected_purchases(&self, c: &CustomerSummary, horizon: f64) -> f64 {
        self.p_alive(c) * self.expected_if_alive(c, horizon)
    }

    /// Expected purchases in the next `horizon` units of a customer known to be alive.
    pub(crate) fn expected_if_alive(&self, c: &CustomerSummary, horizon: f64) -> f64 {
        if !(horizon > 0.0 && horizon.is_finite()) {
            return 0.0;
        }
        let Self { r, alpha, s, beta } = *self;
        let bt = beta + c.t;
        let rate = (r + c.x) / (alpha + c.t);
        let span = if (s - 1.0).abs() < 1e-10 {
            bt * (horizon / bt).ln_1p()
        } else {
            bt / (s - 1.0) * -((-(s - 1.0) * (horizon / bt).ln_1p()).exp_m1())
        };
        rate * span
    }
}

/// Fits Pareto/NBD by maximum likelihood (log-parameters, numerical gradient).
pub fn fit(
    customers: &[CustomerSummary],
    opts: &FitOptions,
) -> Result<FitReport<ParetoNbdParams>, ModelError> {
    let rate = observed_rate(customers);
    let at = |r: f64, s: f64, life: f64| [r.ln(), (r / rate).ln(), s.ln(), (s * life).ln()];
    let span = customers
        .iter()
        .map(|c| c.t)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let starts = [[0.0; 4], at(0.5, 0.5, span), at(1.0, 1.0, span / 4.0)];
    let report = numeric_fit::fit(
        customers,
        opts,
        ["r", "alpha", "s", "beta"],
        &starts,
        |rows, p| {
            let m = ParetoNbdParams {
                r: p[0],
                alpha: p[1],
                s: p[2],
                beta: p[3],
            };
            m.sum(rows)
        },
    )?;
    let [r, alpha, s, beta] = report.params;
    Ok(FitReport {
        params: ParetoNbdParams { r, alpha, s, beta },
        log_likelihood: report.log_likelihood,
        iterations: report.iterations,
        converged: report.converged,
        customers: report.customers,
    })
}
