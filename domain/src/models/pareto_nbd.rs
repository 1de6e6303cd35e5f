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
use super::special::{digamma, ln_gamma};
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

/// `ln 2F1(1, c1; c2; z)` and its partial derivatives w.r.t. `c1`, `c2` and `z`, from the
/// same series: `∂u_k/∂c1 = u_k Σ_{j<k} 1/(c1+j)`, `∂u_k/∂c2 = -u_k Σ_{j<k} 1/(c2+j)`,
/// `∂u_k/∂z = k u_k / z`.
fn ln_hyp2f1_one_grad(c1: f64, c2: f64, z: f64) -> (f64, f64, f64, f64) {
    let (mut term, mut sum) = (1.0_f64, 1.0_f64);
    let (mut h1, mut h2) = (0.0_f64, 0.0_f64);
    let (mut s1, mut s2, mut sz) = (0.0_f64, 0.0_f64, 0.0_f64);
    for k in 0..MAX_TERMS {
        let k = k as f64;
        h1 += 1.0 / (c1 + k);
        h2 += 1.0 / (c2 + k);
        term *= (c1 + k) / (c2 + k) * z;
        sum += term;
        s1 += term * h1;
        s2 += term * h2;
        sz += term * (k + 1.0);
        if term <= 1e-17 * sum {
            break;
        }
    }
    let dz = if z > 0.0 { sz / (z * sum) } else { c1 / c2 };
    (sum.ln(), s1 / sum, -s2 / sum, dz)
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

    /// `ln F(t)` and its partials w.r.t. `(r, α, s, β)` (see the module comment).
    fn ln_f_grad(&self, x: f64, t: f64) -> (f64, [f64; 4]) {
        let Self { r, alpha, s, beta } = *self;
        let a1 = r + s + x;
        let (at, bt) = (alpha + t, beta + t);
        if alpha >= beta {
            // m = α, b = s + 1, c1 = r + x, c2 = a1 + 1.
            let b1 = s + 1.0;
            let z = (alpha - beta) / at;
            let l = bt.ln() - at.ln();
            let (ln_s, d1, d2, dz) = ln_hyp2f1_one_grad(a1 + 1.0 - b1, a1 + 1.0, z);
            let ln_m = at.ln();
            let value = (1.0 - b1) * l + ln_s - a1 * ln_m;
            (
                value,
                [
                    d1 + d2 - ln_m,
                    -(1.0 - b1) / at + dz * bt / (at * at) - a1 / at,
                    -l + d2 - ln_m,
                    (1.0 - b1) / bt - dz / at,
                ],
            )
        } else {
            // m = β, b = r + x, c1 = s + 1, c2 = a1 + 1.
            let b1 = r + x;
            let z = (beta - alpha) / bt;
            let l = at.ln() - bt.ln();
            let (ln_s, d1, d2, dz) = ln_hyp2f1_one_grad(a1 + 1.0 - b1, a1 + 1.0, z);
            let ln_m = bt.ln();
            let value = (1.0 - b1) * l + ln_s - a1 * ln_m;
            (
                value,
                [
                    -l + d2 - ln_m,
                    (1.0 - b1) / at - dz / bt,
                    d1 + d2 - ln_m,
                    -(1.0 - b1) / bt + dz * at / (bt * bt) - a1 / bt,
                ],
            )
        }
    }

    /// One customer's log-likelihood and its gradient w.r.t. `(r, α, s, β)`, given the
    /// `x`-only part `head` and its gradient.
    fn row_with_gradient(&self, head: &(f64, [f64; 4]), x: f64, t_x: f64, t: f64) -> [f64; 5] {
        let Self { r, alpha, s, beta } = *self;
        let (lat, lbt) = ((alpha + t).ln(), (beta + t).ln());
        let alive = -(r + x) * lat - s * lbt;
        let d_alive = [-lat, -(r + x) / (alpha + t), -lbt, -s / (beta + t)];
        let (f_tx, g_tx) = self.ln_f_grad(x, t_x);
        let (f_t, g_t) = self.ln_f_grad(x, t);
        let diff = f_t - f_tx;
        let (dead, d_dead) = if diff < 0.0 {
            let rho = diff.exp();
            let one_minus = -diff.exp_m1();
            let ln_a0 = f_tx + one_minus.ln();
            let dl = |i: usize| (g_tx[i] - rho * g_t[i]) / one_minus;
            let rsx = r + s + x;
            (
                (s / rsx).ln() + ln_a0,
                [
                    -1.0 / rsx + dl(0),
                    dl(1),
                    1.0 / s - 1.0 / rsx + dl(2),
                    dl(3),
                ],
            )
        } else {
            (f64::NEG_INFINITY, [0.0; 4])
        };
        let total = log_add(alive, dead);
        let pi = if dead == f64::NEG_INFINITY {
            0.0
        } else {
            (dead - total).exp()
        };
        let q = 1.0 - pi;
        let mut out = [head.0 + total, 0.0, 0.0, 0.0, 0.0];
        for i in 0..4 {
            out[i + 1] = head.1[i] + q * d_alive[i] + pi * d_dead[i];
        }
        out
    }

    /// Log-likelihood sum and its gradient w.r.t. `(r, α, s, β)`.
    fn sum_with_gradient(&self, rows: &Rows, grad: &mut [f64; 4]) -> f64 {
        let Self { r, alpha, s, beta } = *self;
        let (dg_r, ln_alpha, ln_beta) = (digamma(r), alpha.ln(), beta.ln());
        let [ll, g0, g1, g2, g3] = rows.sum_by_x_n(
            |x| {
                (
                    self.head(x),
                    [
                        digamma(r + x) - dg_r + ln_alpha,
                        r / alpha,
                        ln_beta,
                        s / beta,
                    ],
                )
            },
            |head, x, t_x, t| self.row_with_gradient(head, x, t_x, t),
        );
        *grad = [g0, g1, g2, g3];
        ll
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

/// Fits Pareto/NBD by maximum likelihood (log-parameters, analytic gradient).
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
    let report = numeric_fit::fit_with_gradient(
        customers,
        opts,
        ["r", "alpha", "s", "beta"],
        &starts,
        |rows, p, grad| {
            let m = ParetoNbdParams {
                r: p[0],
                alpha: p[1],
                s: p[2],
                beta: p[3],
            };
            m.sum_with_gradient(rows, grad)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences_on_both_branches() {
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
                t_x: 0.5,
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
        for m in [
            ParetoNbdParams {
                r: 0.553,
                alpha: 10.578,
                s: 0.606,
                beta: 11.669,
            },
            ParetoNbdParams {
                r: 0.553,
                alpha: 14.0,
                s: 0.606,
                beta: 11.669,
            },
            ParetoNbdParams {
                r: 1.7,
                alpha: 3.0,
                s: 2.5,
                beta: 40.0,
            },
        ] {
            let mut grad = [0.0; 4];
            let ll = m.sum_with_gradient(&rows, &mut grad);
            assert!(
                (ll - m.sum(&rows)).abs() < 1e-9 * ll.abs(),
                "{ll} vs {}",
                m.sum(&rows)
            );
            for i in 0..4 {
                let h = 1e-6;
                let at = |d: f64| {
                    let mut p = [m.r, m.alpha, m.s, m.beta];
                    p[i] += d;
                    ParetoNbdParams {
                        r: p[0],
                        alpha: p[1],
                        s: p[2],
                        beta: p[3],
                    }
                    .sum(&rows)
                };
                let fd = (at(h) - at(-h)) / (2.0 * h);
                assert!(
                    (fd - grad[i]).abs() < 1e-5 * (1.0 + fd.abs()),
                    "{m:?} {i}: {fd} vs {}",
                    grad[i]
                );
            }
        }
    }
}
