//! The purchase (churn) model a workspace predicts with: BG/NBD, MBG/NBD or Pareto/NBD,
//! behind one interface (fit, P(alive), expected purchases at one or many horizons).

use serde::{Deserialize, Serialize};

use super::bgnbd::{self, BgNbdParams, Scratch};
use super::mbgnbd::{self, MbgNbdParams};
use super::pareto_nbd::{self, ParetoNbdParams};
use super::{CustomerSummary, FitOptions, FitReport, ModelError};

/// Which purchase model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PurchaseModelKind {
    #[serde(rename = "bg-nbd")]
    BgNbd,
    #[serde(rename = "mbg-nbd")]
    MbgNbd,
    #[serde(rename = "pareto-nbd")]
    ParetoNbd,
}

impl PurchaseModelKind {
    /// Every model, in the order ties are broken.
    pub const ALL: [PurchaseModelKind; 3] = [Self::BgNbd, Self::MbgNbd, Self::ParetoNbd];

    /// `bg-nbd`, `mbg-nbd` or `pareto-nbd`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BgNbd => "bg-nbd",
            Self::MbgNbd => "mbg-nbd",
            Self::ParetoNbd => "pareto-nbd",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// Fitted parameters of one of the purchase models (in the time unit of the data).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model")]
pub enum PurchaseParams {
    #[serde(rename = "bg-nbd")]
    BgNbd(BgNbdParams),
    #[serde(rename = "mbg-nbd")]
    MbgNbd(MbgNbdParams),
    #[serde(rename = "pareto-nbd")]
    ParetoNbd(ParetoNbdParams),
}

impl PurchaseParams {
    pub fn kind(&self) -> PurchaseModelKind {
        match self {
            Self::BgNbd(_) => PurchaseModelKind::BgNbd,
            Self::MbgNbd(_) => PurchaseModelKind::MbgNbd,
            Self::ParetoNbd(_) => PurchaseModelKind::ParetoNbd,
        }
    }

    pub fn validate(&self) -> Result<(), ModelError> {
        match self {
            Self::BgNbd(p) => p.validate(),
            Self::MbgNbd(p) => p.validate(),
            Self::ParetoNbd(p) => p.validate(),
        }
    }

    /// `r` and `α` (shape and rate of the purchase rates), common to the three.
    pub fn purchase_rate_prior(&self) -> (f64, f64) {
        match self {
            Self::BgNbd(p) => (p.r, p.alpha),
            Self::MbgNbd(p) => (p.r, p.alpha),
            Self::ParetoNbd(p) => (p.r, p.alpha),
        }
    }

    /// Probability the customer is still active at `T`.
    pub fn p_alive(&self, c: &CustomerSummary) -> f64 {
        match self {
            Self::BgNbd(p) => p.p_alive(c),
            Self::MbgNbd(p) => p.p_alive(c),
            Self::ParetoNbd(p) => p.p_alive(c),
        }
    }

    /// Expected purchases in the next `horizon` units.
    pub fn expected_purchases(&self, c: &CustomerSummary, horizon: f64) -> f64 {
        match self {
            Self::BgNbd(p) => p.expected_purchases(c, horizon),
            Self::MbgNbd(p) => p.expected_purchases(c, horizon),
            Self::ParetoNbd(p) => p.expected_purchases(c, horizon),
        }
    }

    /// Expected purchases at each of `horizons` (increasing) into `out`; returns P(alive).
    pub fn expected_purchases_many(
        &self,
        c: &CustomerSummary,
        horizons: &[f64],
        out: &mut [f64],
        scratch: &mut PurchaseScratch,
    ) -> f64 {
        match self {
            Self::BgNbd(p) => p.expected_purchases_many(c, horizons, out, &mut scratch.0),
            Self::MbgNbd(p) => {
                let alive = p.p_alive(c);
                p.as_shifted_bgnbd().expected_if_alive_many(
                    c.x,
                    c.t,
                    horizons,
                    out,
                    &mut scratch.0,
                );
                out.iter_mut().for_each(|o| *o *= alive);
                alive
            }
            Self::ParetoNbd(p) => {
                let alive = p.p_alive(c);
                for (o, &h) in out.iter_mut().zip(horizons) {
                    *o = alive * p.expected_if_alive(c, h);
                }
                alive
            }
        }
    }

    /// Expected purchases at each of `horizons` of a customer known to be alive, with `x`
    /// repeat purchases and age `t`: for all three models it depends on `(x, T)` only, so
    /// callers may share it between customers (the full expectation is this times P(alive)).
    pub fn expected_if_alive_many(
        &self,
        x: f64,
        t: f64,
        horizons: &[f64],
        out: &mut [f64],
        scratch: &mut PurchaseScratch,
    ) {
        match self {
            Self::BgNbd(p) => p.expected_if_alive_many(x, t, horizons, out, &mut scratch.0),
            Self::MbgNbd(p) => {
                p.as_shifted_bgnbd()
                    .expected_if_alive_many(x, t, horizons, out, &mut scratch.0)
            }
            Self::ParetoNbd(p) => {
                let c = CustomerSummary { x, t_x: 0.0, t };
                for (o, &h) in out.iter_mut().zip(horizons) {
                    *o = p.expected_if_alive(&c, h);
                }
            }
        }
    }

    /// Log-likelihood (sum over customers).
    pub fn log_likelihood(&self, customers: &[CustomerSummary]) -> Result<f64, ModelError> {
        match self {
            Self::BgNbd(p) => p.log_likelihood(customers),
            Self::MbgNbd(p) => p.log_likelihood(customers),
            Self::ParetoNbd(p) => p.log_likelihood(customers),
        }
    }
}

/// Reusable buffers of [`PurchaseParams::expected_purchases_many`] (one per thread).
#[derive(Debug, Default)]
pub struct PurchaseScratch(Scratch);

/// Fits one purchase model by maximum likelihood.
pub fn fit(
    kind: PurchaseModelKind,
    customers: &[CustomerSummary],
    opts: &FitOptions,
) -> Result<FitReport<PurchaseParams>, ModelError> {
    fn wrap<P>(r: FitReport<P>, f: impl Fn(P) -> PurchaseParams) -> FitReport<PurchaseParams> {
        FitReport {
            params: f(r.params),
            log_likelihood: r.log_likelihood,
            iterations: r.iterations,
            converged: r.converged,
            customers: r.customers,
        }
    }
    Ok(match kind {
        PurchaseModelKind::BgNbd => wrap(bgnbd::fit(customers, opts)?, PurchaseParams::BgNbd),
        PurchaseModelKind::MbgNbd => wrap(mbgnbd::fit(customers, opts)?, PurchaseParams::MbgNbd),
        PurchaseModelKind::ParetoNbd => {
            wrap(pareto_nbd::fit(customers, opts)?, PurchaseParams::ParetoNbd)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(x: f64, t_x: f64, t: f64) -> CustomerSummary {
        CustomerSummary { x, t_x, t }
    }

    /// Expected purchases by brute-force integration over the posterior of an alive
    /// customer: E = P(alive) ∫∫ (1 - e^{-λ p h}) / p dG(λ) dB(p).
    #[test]
    fn mbgnbd_expectation_matches_numerical_integration() {
        use super::super::special::ln_gamma;
        let m = MbgNbdParams {
            r: 0.525,
            alpha: 6.183,
            a: 0.891,
            b: 1.614,
        };
        let c = customer(2.0, 30.43, 38.86);
        let h = 39.0;
        let (shape, rate) = (m.r + c.x, m.alpha + c.t);
        let (pa, pb) = (m.a, m.b + c.x + 1.0);
        // p ~ Beta(pa, pb): integrate over p with the λ-integral in closed form:
        // E_λ[1 - e^{-λ p h}] = 1 - (rate / (rate + p h))^shape.
        let ln_beta = ln_gamma(pa) + ln_gamma(pb) - ln_gamma(pa + pb);
        let n = 400_000;
        let mut total = 0.0;
        for i in 0..n {
            // Substitution p = u^(1/pa) removes the singularity at 0.
            let u = (i as f64 + 0.5) / n as f64;
            let p = u.powf(1.0 / pa);
            let inner = (1.0 - (rate / (rate + p * h)).powf(shape)) / p;
            total += inner * (1.0 - p).powf(pb - 1.0) / pa;
        }
        let integral = total / n as f64 / ln_beta.exp();
        let expected = m.p_alive(&c) * integral;
        let got = PurchaseParams::MbgNbd(m).expected_purchases(&c, h);
        assert!(
            ((got - expected) / expected).abs() < 1e-4,
            "{got} vs {expected}"
        );
    }

    #[test]
    fn many_horizons_agree_with_one_for_every_model() {
        let models = [
            PurchaseParams::BgNbd(BgNbdParams {
                r: 0.243,
                alpha: 4.414,
                a: 0.793,
                b: 2.426,
            }),
            PurchaseParams::MbgNbd(MbgNbdParams {
                r: 0.525,
                alpha: 6.183,
                a: 0.891,
                b: 1.614,
            }),
            PurchaseParams::ParetoNbd(ParetoNbdParams {
                r: 0.553,
                alpha: 10.578,
                s: 0.606,
                beta: 11.669,
            }),
        ];
        let horizons: Vec<f64> = (1..=10).map(|k| f64::from(k) * 4.0).collect();
        for m in models {
            for c in [customer(0.0, 0.0, 30.0), customer(4.0, 20.0, 35.0)] {
                let mut out = vec![0.0; horizons.len()];
                m.expected_purchases_many(&c, &horizons, &mut out, &mut PurchaseScratch::default());
                for (h, o) in horizons.iter().zip(&out) {
                    let one = m.expected_purchases(&c, *h);
                    assert!(
                        (one - o).abs() <= 1e-12 * one.max(1.0),
                        "{m:?} {h}: {one} {o}"
                    );
                }
            }
        }
    }
}
