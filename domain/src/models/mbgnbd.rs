//! MBG/NBD (Batislam, Denizel & Filiztekin 2007): BG/NBD where a customer may also drop
//! out right after the first purchase, so customers without repeat purchases can churn.

// Given λ and p: P(x, t_x, T) = (1-p)^{x+1} λ^x e^{-λT} + p (1-p)^x λ^x e^{-λ t_x}.
// Over p ~ Beta(a, b) and λ ~ Gamma(r, α):
// L = B(a, b+x+1)/B(a, b) · Γ(r+x) α^r / Γ(r) · [(α+T)^{-(r+x)} + a/(b+x) (α+t_x)^{-(r+x)}],
// summed in log space (log-gammas and a log-sum-exp), finite for any x.

use serde::{Deserialize, Serialize};

use super::numeric_fit::{self, log_add, Rows};
use super::special::{digamma, ln_gamma};
use super::{check_param, CustomerSummary, FitOptions, FitReport, ModelError};

/// Fitted MBG/NBD parameters, in the time unit of the data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MbgNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

impl MbgNbdParams {
    pub fn new(r: f64, alpha: f64, a: f64, b: f64) -> Result<Self, ModelError> {
        let p = Self { r, alpha, a, b };
        p.validate()?;
        Ok(p)
    }

    pub fn validate(&self) -> Result<(), ModelError> {
        check_param("r", self.r)?;
        check_param("alpha", self.alpha)?;
        check_param("a", self.a)?;
        check_param("b", self.b)
    }

    /// Log-likelihood of one customer (assumes valid parameters and summary).
    pub fn customer_log_likelihood(&self, x: f64, t_x: f64, t: f64) -> f64 {
        self.row_log_likelihood(&self.x_terms(x), x, t_x, t)
    }

    /// The terms of one customer's log-likelihood that depend on `x` alone:
    /// `(log-gammas and constants, ln a - ln(b + x))`.
    fn x_terms(&self, x: f64) -> (f64, f64) {
        let Self { r, alpha, a, b } = *self;
        let beta_part =
            ln_gamma(b + x + 1.0) - ln_gamma(a + b + x + 1.0) - ln_gamma(b) + ln_gamma(a + b);
        let gamma_part = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        (beta_part + gamma_part, a.ln() - (b + x).ln())
    }

    fn row_log_likelihood(&self, terms: &(f64, f64), x: f64, t_x: f64, t: f64) -> f64 {
        let rx = self.r + x;
        let alive = -rx * (self.alpha + t).ln();
        let dropped = terms.1 - rx * (self.alpha + t_x).ln();
        terms.0 + log_add(alive, dropped)
    }

    fn sum(&self, rows: &Rows) -> f64 {
        rows.sum_by_x(
            |x| self.x_terms(x),
            |terms, x, t_x, t| self.row_log_likelihood(terms, x, t_x, t),
        )
    }

    /// Log-likelihood (sum over customers).
    pub fn log_likelihood(&self, customers: &[CustomerSummary]) -> Result<f64, ModelError> {
        self.validate()?;
        let rows = Rows::build(customers)?;
        Ok(self.sum(&rows))
    }

    /// Probability the customer is still active at `T`:
    /// `1 / (1 + a/(b+x) ((α+T)/(α+t_x))^{r+x})`.
    pub fn p_alive(&self, c: &CustomerSummary) -> f64 {
        let log_odds = self.a.ln() - (self.b + c.x).ln()
            + (self.r + c.x) * ((c.t - c.t_x) / (self.alpha + c.t_x)).ln_1p();
        let p = 1.0 / (1.0 + log_odds.exp());
        if p.is_nan() {
            0.0
        } else {
            p
        }
    }
}

/// Per-`x` terms of the likelihood and its gradient.
struct XGrad {
    /// Log-gammas and constants.
    head: f64,
    /// `ln a - ln(b + x)`.
    log_ratio: f64,
    /// d head / d(r, α, a, b).
    d_head: [f64; 4],
}

impl MbgNbdParams {
    fn x_grad(&self, x: f64, shared: &[f64; 4]) -> XGrad {
        let Self { r, alpha, a, b } = *self;
        let (head, log_ratio) = self.x_terms(x);
        let [dg_r, dg_ab, dg_b, ln_alpha] = *shared;
        let dg_abx = digamma(a + b + x + 1.0);
        XGrad {
            head,
            log_ratio,
            d_head: [
                digamma(r + x) - dg_r + ln_alpha,
                r / alpha,
                dg_ab - dg_abx,
                digamma(b + x + 1.0) - dg_abx - dg_b + dg_ab,
            ],
        }
    }

    /// Log-likelihood sum and its gradient w.r.t. `(r, α, a, b)`.
    fn sum_with_gradient(&self, rows: &Rows, grad: &mut [f64; 4]) -> f64 {
        let Self { r, alpha, a, b } = *self;
        let shared = [digamma(r), digamma(a + b), digamma(b), alpha.ln()];
        let [ll, g0, g1, g2, g3] = rows.sum_by_x_n(
            |x| self.x_grad(x, &shared),
            |xg, x, t_x, t| {
                let rx = r + x;
                let (lat, lax) = ((alpha + t).ln(), (alpha + t_x).ln());
                let alive = -rx * lat;
                let dropped = xg.log_ratio - rx * lax;
                let total = log_add(alive, dropped);
                // Share of the "dropped after the last purchase" term.
                let pi = (dropped - total).exp();
                let q = 1.0 - pi;
                [
                    xg.head + total,
                    xg.d_head[0] - q * lat - pi * lax,
                    xg.d_head[1] - rx * (q / (alpha + t) + pi / (alpha + t_x)),
                    xg.d_head[2] + pi / a,
                    xg.d_head[3] - pi / (b + x),
                ]
            },
        );
        *grad = [g0, g1, g2, g3];
        ll
    }
}

/// Fits MBG/NBD by maximum likelihood (log-parameters, analytic gradient).
pub fn fit(
    customers: &[CustomerSummary],
    opts: &FitOptions,
) -> Result<FitReport<MbgNbdParams>, ModelError> {
    let rate = observed_rate(customers);
    let at = |r: f64, a: f64, b: f64| [r.ln(), (r / rate).ln(), a.ln(), b.ln()];
    let starts = [[0.0; 4], at(0.5, 1.0, 3.0), at(2.0, 0.5, 1.0)];
    let report = numeric_fit::fit_with_gradient(
        customers,
        opts,
        ["r", "alpha", "a", "b"],
        &starts,
        |rows, p, grad| {
            let m = MbgNbdParams {
                r: p[0],
                alpha: p[1],
                a: p[2],
                b: p[3],
            };
            m.sum_with_gradient(rows, grad)
        },
    )?;
    let [r, alpha, a, b] = report.params;
    Ok(FitReport {
        params: MbgNbdParams { r, alpha, a, b },
        log_likelihood: report.log_likelihood,
        iterations: report.iterations,
        converged: report.converged,
        customers: report.customers,
    })
}

/// Repeat purchases per unit of time over the whole base (1 when undefined).
pub(crate) fn observed_rate(customers: &[CustomerSummary]) -> f64 {
    let purchases: f64 = customers.iter().map(|c| c.x).sum();
    let exposure: f64 = customers.iter().map(|c| c.t).sum();
    if purchases > 0.0 && exposure > 0.0 && (purchases / exposure).is_finite() {
        purchases / exposure
    } else {
        1.0
    }
}

impl MbgNbdParams {
    /// `E[Y(horizon) | x, t_x, T]`: expected purchases in the next `horizon` units.
    ///
    /// Given alive, the rates are independent: `λ ~ Gamma(r+x, α+T)` and, having survived
    /// `x + 1` purchases, `p ~ Beta(a, b+x+1)`; an alive customer then buys as a BG/NBD
    /// one does, so the expectation is BG/NBD's with `b + 1` in place of `b` (BTYDplus
    /// `mbgcnbd.ConditionalExpectedTransactions` with k = 1), times P(alive).
    pub fn expected_purchases(&self, c: &CustomerSummary, horizon: f64) -> f64 {
        if !(horizon > 0.0 && horizon.is_finite()) {
            return 0.0;
        }
        self.p_alive(c)
            * self
                .as_shifted_bgnbd()
                .expected_if_alive(c.x, horizon / (self.alpha + c.t))
    }

    /// The BG/NBD whose alive-customer expectations are this model's (`b + 1`).
    pub(crate) fn as_shifted_bgnbd(&self) -> super::bgnbd::BgNbdParams {
        super::bgnbd::BgNbdParams {
            r: self.r,
            alpha: self.alpha,
            a: self.a,
            b: self.b + 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let customers = [
            CustomerSummary {
                x: 0.0,
                t_x: 0.0,
                t: 30.0,
            },
            CustomerSummary {
                x: 2.0,
                t_x: 10.0,
                t: 30.0,
            },
            CustomerSummary {
                x: 5.0,
                t_x: 28.0,
                t: 31.0,
            },
            CustomerSummary {
                x: 1.0,
                t_x: 0.0,
                t: 3.0,
            },
            CustomerSummary {
                x: 40.0,
                t_x: 300.0,
                t: 301.0,
            },
        ];
        let Ok(rows) = Rows::build(&customers) else {
            unreachable!()
        };
        let m = MbgNbdParams {
            r: 0.525,
            alpha: 6.183,
            a: 0.891,
            b: 1.614,
        };
        let mut grad = [0.0; 4];
        let ll = m.sum_with_gradient(&rows, &mut grad);
        assert!((ll - m.sum(&rows)).abs() < 1e-9);
        for i in 0..4 {
            let h = 1e-6;
            let at = |d: f64| {
                let mut p = [m.r, m.alpha, m.a, m.b];
                p[i] += d;
                MbgNbdParams {
                    r: p[0],
                    alpha: p[1],
                    a: p[2],
                    b: p[3],
                }
                .sum(&rows)
            };
            let fd = (at(h) - at(-h)) / (2.0 * h);
            assert!(
                (fd - grad[i]).abs() < 1e-5 * (1.0 + fd.abs()),
                "{i}: {fd} vs {}",
                grad[i]
            );
        }
    }
}
