//! A spend model that holds: Gamma-Gamma when the data support it, otherwise a reported
//! fallback, so every buyer gets an expected order value whenever anyone bought twice.
//!
//! The cascade ([`fit`]), each step reported in [`SpendFit::issues`]:
//! 1. **Extreme values.** Among the customers with repeat purchases, a mean repeat spend
//!    `m` above the far-out fence of `ln m` (`Q3 + 3 IQR`, Tukey's rule on the log scale;
//!    a factor of about 11 above the upper quartile on CDNOW-like data) marks the data as
//!    holding extreme orders (a B2B deal recorded as an order). Then `m` is winsorized for
//!    the fit only, at its 99th percentile, or at the fence if the 99th percentile is
//!    itself beyond it. Predictions still use each customer's own `m`.
//! 2. **Gamma-Gamma by maximum likelihood** with `q > 1` enforced ([`gamma_gamma::fit`]),
//!    taken when it converges (gradient tolerance met) to finite parameters. Without winsorizing this is `spend_model: gamma_gamma`, with it
//!    `fallback_winsorized`.
//! 3. If that fit diverges: **penalized refits**, with a ridge on the log-parameters
//!    ([`gamma_gamma::fit_with_ridge`]) of 0.001, 0.01, 0.1, then 1: the first that
//!    converges (gradient tolerance met) to finite parameters is `fallback_penalized`.
//! 4. Last resort: **empirical-Bayes shrinkage** of each customer's mean spend towards
//!    the population mean, `(n0 μ + x m) / (n0 + x)` ([`shrinkage`]): `fallback_shrinkage`.
//!    It is written in Gamma-Gamma form (`p = 1`, `q = 1 + n0`, `v = μ n0`: the
//!    Gamma-Gamma conditional expectation is exactly this weighted average), so scoring
//!    and CLV use one formula whatever the step.

use serde::{Deserialize, Serialize};

use super::gamma_gamma::{self, GammaGammaParams};
use super::{FitOptions, FitReport, ModelError};

/// Which step of the cascade produced the spend model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpendModel {
    /// Gamma-Gamma by maximum likelihood on the data as they are.
    #[default]
    GammaGamma,
    /// Gamma-Gamma by maximum likelihood on winsorized spend.
    FallbackWinsorized,
    /// Gamma-Gamma with a ridge penalty (the plain fit diverged).
    FallbackPenalized,
    /// Empirical-Bayes shrinkage of each customer's mean spend (no Gamma-Gamma fit held).
    FallbackShrinkage,
}

impl SpendModel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GammaGamma => "gamma_gamma",
            Self::FallbackWinsorized => "fallback_winsorized",
            Self::FallbackPenalized => "fallback_penalized",
            Self::FallbackShrinkage => "fallback_shrinkage",
        }
    }

    pub const ALL: [SpendModel; 4] = [
        Self::GammaGamma,
        Self::FallbackWinsorized,
        Self::FallbackPenalized,
        Self::FallbackShrinkage,
    ];
}

/// How extreme mean spends were capped for the fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Winsorizing {
    /// The cap (same unit as the data).
    pub cap: f64,
    /// The far-out fence `exp(Q3 + 3 IQR)` of `ln m` that some `m` exceeded.
    pub fence: f64,
    /// Customers whose `m` was above the cap.
    pub customers: usize,
}

/// The shrinkage estimate: `(n0 μ + x m) / (n0 + x)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Shrinkage {
    /// Population mean spend `μ` (mean of the customers' mean spends).
    pub population_mean: f64,
    /// Prior weight `n0`, in purchases.
    pub prior_weight: f64,
}

/// A step of the cascade that was taken or failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendIssue {
    /// Stable: `spend_winsorized`, `gamma_gamma_diverged`, `penalized_fit_failed`.
    pub code: String,
    pub message: String,
}

/// The spend model and how it was obtained. Serialized flat: the fields of the
/// Gamma-Gamma [`FitReport`] (`params`, `log_likelihood`, ...) plus the cascade's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendFit {
    #[serde(flatten)]
    pub report: FitReport<GammaGammaParams>,
    #[serde(default)]
    pub spend_model: SpendModel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub winsorized: Option<Winsorizing>,
    /// The ridge of the penalized refit (`fallback_penalized`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ridge: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shrinkage: Option<Shrinkage>,
    #[serde(default)]
    pub issues: Vec<SpendIssue>,
}

impl SpendFit {
    pub fn params(&self) -> &GammaGammaParams {
        &self.report.params
    }
}

/// Ridges of the penalized refits, tried in order.
pub const RIDGES: [f64; 4] = [0.001, 0.01, 0.1, 1.0];
/// Far-out fence multiplier of the interquartile range of `ln m`.
pub const FENCE_IQR: f64 = 3.0;
/// Quantile `m` is winsorized at.
pub const WINSORIZE_QUANTILE: f64 = 0.99;
/// Bounds of the shrinkage prior weight `n0`, in purchases.
pub const PRIOR_WEIGHT_RANGE: (f64, f64) = (0.1, 100.0);

/// Fits the spend model on `(x, m)` pairs (see the module documentation). Errors only
/// for invalid input or data without a single repeat purchase: with one repeat buyer
/// the shrinkage estimate always exists.
pub fn fit(spend: &[(f64, f64)], opts: &FitOptions) -> Result<SpendFit, ModelError> {
    // Checks every row (with its index) and that someone bought again.
    let repeat: Vec<(f64, f64)> = validated(spend)?;
    let mut issues = Vec::new();
    let winsorized = winsorizing(&repeat);
    let data: Vec<(f64, f64)> = match &winsorized {
        Some(w) => {
            issues.push(SpendIssue {
                code: "spend_winsorized".into(),
                message: format!(
                    "some customers' mean repeat spend is beyond the far-out fence {:.2} of \
                     extreme values: the {} above {:.2} ({}) are capped there for the fit; \
                     predictions use each customer's own spend",
                    w.fence,
                    w.customers,
                    w.cap,
                    if w.cap < w.fence {
                        "the 99th percentile"
                    } else {
                        "the fence"
                    },
                ),
            });
            repeat.iter().map(|&(x, m)| (x, m.min(w.cap))).collect()
        }
        None => repeat.clone(),
    };
    let done = |report, spend_model, ridge, shrinkage, issues| SpendFit {
        report,
        spend_model,
        winsorized,
        ridge,
        shrinkage,
        issues,
    };
    match gamma_gamma::fit(&data, opts) {
        Ok(report) if !report.converged => issues.push(SpendIssue {
            code: "gamma_gamma_diverged".into(),
            message: format!(
                "maximum likelihood did not converge in {} iterations (p = {:.4}, q = {:.4})",
                report.iterations, report.params.p, report.params.q
            ),
        }),
        Ok(report) => {
            let model = if winsorized.is_some() {
                SpendModel::FallbackWinsorized
            } else {
                SpendModel::GammaGamma
            };
            return Ok(done(report, model, None, None, issues));
        }
        Err(e) => issues.push(SpendIssue {
            code: "gamma_gamma_diverged".into(),
            message: format!("maximum likelihood: {e} ({})", e.code()),
        }),
    }
    let mut last = None;
    for ridge in RIDGES {
        match gamma_gamma::fit_with_ridge(&data, opts, ridge) {
            // Only a converged penalized fit is trusted: the ridge exists to give the
            // optimiser a proper maximum.
            Ok(report) if !report.converged => {
                last = Some(format!(
                    "ridge {ridge}: no convergence in {} iterations",
                    report.iterations
                ));
            }
            Ok(report) => {
                issues.push(SpendIssue {
                    code: "spend_penalized".into(),
                    message: format!("refitted with a ridge of {ridge} on the log-parameters"),
                });
                return Ok(done(
                    report,
                    SpendModel::FallbackPenalized,
                    Some(ridge),
                    None,
                    issues,
                ));
            }
            Err(e) => last = Some(format!("ridge {ridge}: {e} ({})", e.code())),
        }
    }
    if let Some(e) = last {
        issues.push(SpendIssue {
            code: "penalized_fit_failed".into(),
            message: format!("the penalized refits failed too, the last with {e}"),
        });
    }
    let s = shrinkage(&data)?;
    let params = s.as_gamma_gamma()?;
    let log_likelihood = params.log_likelihood(&data).unwrap_or(f64::MIN);
    issues.push(SpendIssue {
        code: "spend_shrinkage".into(),
        message: format!(
            "each customer's mean spend is shrunk towards the population mean {:.2} with a \
             prior weight of {:.3} purchases",
            s.population_mean, s.prior_weight
        ),
    });
    let report = FitReport {
        params,
        log_likelihood: if log_likelihood.is_finite() {
            log_likelihood
        } else {
            f64::MIN
        },
        iterations: 0,
        converged: true,
        customers: data.len(),
    };
    Ok(done(
        report,
        SpendModel::FallbackShrinkage,
        None,
        Some(s),
        issues,
    ))
}

/// The rows with `x > 0`, every row checked.
fn validated(spend: &[(f64, f64)]) -> Result<Vec<(f64, f64)>, ModelError> {
    if spend.is_empty() {
        return Err(ModelError::EmptyData);
    }
    let mut out = Vec::new();
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
            out.push((x, m));
        }
    }
    if out.is_empty() {
        return Err(ModelError::NoRepeatPurchases);
    }
    Ok(out)
}

/// Quantile `q` of sorted values, linear interpolation between order statistics
/// (R's type 7, NumPy's default).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let (a, b) = (sorted[lo], sorted[hi]);
    a + (h - lo as f64) * (b - a)
}

/// The winsorizing step: `None` when no `m` is beyond the far-out fence (or fewer than
/// 4 customers, too few for quartiles).
pub fn winsorizing(repeat: &[(f64, f64)]) -> Option<Winsorizing> {
    if repeat.len() < 4 {
        return None;
    }
    let mut m: Vec<f64> = repeat.iter().map(|&(_, m)| m).collect();
    m.sort_unstable_by(f64::total_cmp);
    let logs: Vec<f64> = m.iter().map(|v| v.ln()).collect();
    let (q1, q3) = (quantile(&logs, 0.25), quantile(&logs, 0.75));
    let fence = (q3 + FENCE_IQR * (q3 - q1)).exp();
    let max = *m.last()?;
    if !(fence.is_finite() && max > fence) {
        return None;
    }
    let cap = quantile(&m, WINSORIZE_QUANTILE).min(fence);
    let customers = m.iter().filter(|&&v| v > cap).count();
    Some(Winsorizing {
        cap,
        fence,
        customers,
    })
}

/// Empirical-Bayes shrinkage of mean spends (method of moments): `μ` is the mean of the
/// customers' mean spends; a customer's mean of `x` purchases varies around their true
/// mean with variance `σ²/x`, true means around `μ` with variance `τ²`, so
/// `E[(m - μ)²] = τ² + σ²/x`, fitted by least squares over the customers; the prior
/// weight is `n0 = σ²/τ²`, clamped to [`PRIOR_WEIGHT_RANGE`] (the upper bound when the
/// data show no spread between customers, the lower when they show no spread within,
/// 1 when only one purchase count occurs so the two cannot be told apart).
pub fn shrinkage(repeat: &[(f64, f64)]) -> Result<Shrinkage, ModelError> {
    let rows: Vec<(f64, f64)> = repeat.iter().copied().filter(|&(x, _)| x > 0.0).collect();
    if rows.is_empty() {
        return Err(ModelError::NoRepeatPurchases);
    }
    let n = rows.len() as f64;
    let mu = rows.iter().map(|&(_, m)| m).sum::<f64>() / n;
    // Least squares of d = (m - μ)² on u = 1/x: d ≈ τ² + σ² u.
    let (mut su, mut sd) = (0.0, 0.0);
    for &(x, m) in &rows {
        su += 1.0 / x;
        sd += (m - mu) * (m - mu);
    }
    let (mu_u, mu_d) = (su / n, sd / n);
    let (mut cov, mut var) = (0.0, 0.0);
    for &(x, m) in &rows {
        let (u, d) = (1.0 / x - mu_u, (m - mu) * (m - mu) - mu_d);
        cov += u * d;
        var += u * u;
    }
    let (lo, hi) = PRIOR_WEIGHT_RANGE;
    let prior_weight = if var <= 1e-12 * n {
        1.0
    } else {
        let sigma2 = cov / var;
        let tau2 = mu_d - sigma2 * mu_u;
        if sigma2 <= 0.0 {
            lo
        } else if tau2 <= 0.0 {
            hi
        } else {
            (sigma2 / tau2).clamp(lo, hi)
        }
    };
    if !(mu.is_finite() && mu > 0.0) {
        return Err(ModelError::NonPositiveMonetary { value: mu });
    }
    Ok(Shrinkage {
        population_mean: mu,
        prior_weight,
    })
}

impl Shrinkage {
    /// The same conditional expectation as Gamma-Gamma parameters: `p = 1`,
    /// `q = 1 + n0`, `v = μ n0`, so `p (v + x m) / (p x + q - 1) = (n0 μ + x m)/(n0 + x)`.
    pub fn as_gamma_gamma(&self) -> Result<GammaGammaParams, ModelError> {
        GammaGammaParams::new(
            1.0,
            1.0 + self.prior_weight,
            self.population_mean * self.prior_weight,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinkage_is_a_weighted_average_in_gamma_gamma_form() {
        let s = Shrinkage {
            population_mean: 40.0,
            prior_weight: 2.5,
        };
        let Ok(g) = s.as_gamma_gamma() else {
            unreachable!()
        };
        let got = g.expected_average_spend(3.0, 100.0);
        let want = (2.5 * 40.0 + 3.0 * 100.0) / (2.5 + 3.0);
        assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        assert!((g.mean_spend() - 40.0).abs() < 1e-9);
    }

    #[test]
    fn quantiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.25), 2.0);
        assert!((quantile(&v, 0.99) - 4.96).abs() < 1e-12);
    }
}
