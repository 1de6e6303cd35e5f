//! What the value models' API shows: fitted parameters, the purchase model and how `auto`
//! chose it, fit issues and the model version. Kept apart from the fitting (`models`) so
//! that the backtest and the model choice can name them without importing the fit.

use chrono::{DateTime, Utc};
use rapport_domain::models::mbgnbd::MbgNbdParams;
use rapport_domain::models::pareto_nbd::ParetoNbdParams;
use rapport_domain::models::{BgNbdParams, PurchaseModelKind, PurchaseParams};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// BG/NBD parameters (rates per day) and how the fit went.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct BgNbdFit {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
    pub log_likelihood: f64,
    pub iterations: i64,
    pub converged: bool,
    pub customers: i64,
}

/// The spend model: Gamma-Gamma parameters (spend in minor units of the reporting
/// currency), from maximum likelihood or from the fallback the fit had to take.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct GammaGammaFit {
    /// `gamma_gamma` (maximum likelihood on the data as they are), `fallback_winsorized`
    /// (on spend capped at `winsorized_at`), `fallback_penalized` (with a `ridge` on the
    /// log-parameters: the plain fit diverged) or `fallback_shrinkage` (each customer's
    /// mean spend shrunk towards the population mean, written as `p = 1`,
    /// `q = 1 + prior weight`, `v = mean x prior weight`). `issues` say why.
    pub spend_model: String,
    pub p: f64,
    /// Always above 1 (the population mean spend `p v / (q - 1)` exists).
    pub q: f64,
    pub v: f64,
    /// Population mean order value `p v / (q - 1)`, minor units.
    pub mean_order_value: f64,
    pub log_likelihood: f64,
    pub iterations: i64,
    pub converged: bool,
    /// Customers with repeat purchases (the only ones the model reads).
    pub customers: i64,
    /// The cap mean repeat spends were winsorized at for the fit (minor units), if any.
    pub winsorized_at: Option<f64>,
    /// How many customers' mean repeat spend was capped.
    pub winsorized_customers: Option<i64>,
    /// Ridge of the penalized refit (`fallback_penalized`).
    pub ridge: Option<f64>,
}

/// Parameters of a purchase model, rates per day: `r`, `alpha` for all three; `a`, `b`
/// (Beta of the drop-out probability) for `bg-nbd` and `mbg-nbd`; `s`, `beta` (Gamma of
/// the drop-out rate) for `pareto-nbd`.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Serialize,
    Deserialize,
    ToSchema,
    async_graphql::SimpleObject,
    async_graphql::InputObject,
)]
#[serde(deny_unknown_fields)]
#[graphql(input_name = "PurchaseParametersInput")]
pub struct PurchaseParameters {
    /// `bg-nbd`, `mbg-nbd` or `pareto-nbd`.
    #[schema(example = "bg-nbd")]
    pub model: String,
    #[schema(example = 0.243)]
    pub r: f64,
    #[schema(example = 30.898)]
    pub alpha: f64,
    #[schema(example = 0.793)]
    pub a: Option<f64>,
    #[schema(example = 2.426)]
    pub b: Option<f64>,
    pub s: Option<f64>,
    pub beta: Option<f64>,
}

impl From<PurchaseParams> for PurchaseParameters {
    fn from(p: PurchaseParams) -> Self {
        let model = p.kind().as_str().to_owned();
        match p {
            PurchaseParams::BgNbd(b) => PurchaseParameters {
                model,
                r: b.r,
                alpha: b.alpha,
                a: Some(b.a),
                b: Some(b.b),
                s: None,
                beta: None,
            },
            PurchaseParams::MbgNbd(m) => PurchaseParameters {
                model,
                r: m.r,
                alpha: m.alpha,
                a: Some(m.a),
                b: Some(m.b),
                s: None,
                beta: None,
            },
            PurchaseParams::ParetoNbd(q) => PurchaseParameters {
                model,
                r: q.r,
                alpha: q.alpha,
                a: None,
                b: None,
                s: Some(q.s),
                beta: Some(q.beta),
            },
        }
    }
}

impl PurchaseParameters {
    /// The domain parameters; errors name the field under `path` (e.g. `parameters[0]`).
    pub fn parse(&self, path: &str) -> Result<PurchaseParams, ApiError> {
        let kind = PurchaseModelKind::parse(&self.model).ok_or_else(|| {
            ApiError::field(
                &format!("{path}.model"),
                "must be bg-nbd, mbg-nbd or pareto-nbd",
            )
        })?;
        let need = |name: &str, v: Option<f64>| -> Result<f64, ApiError> {
            match v {
                Some(v) if v.is_finite() && v > 0.0 => Ok(v),
                Some(_) => Err(ApiError::field(
                    &format!("{path}.{name}"),
                    "must be a positive number",
                )),
                None => Err(ApiError::field(
                    &format!("{path}.{name}"),
                    format!("is required for {}", kind.as_str()),
                )),
            }
        };
        let (r, alpha) = (need("r", Some(self.r))?, need("alpha", Some(self.alpha))?);
        let unused = |name: &str, v: Option<f64>| -> Result<(), ApiError> {
            match v {
                Some(_) => Err(ApiError::field(
                    &format!("{path}.{name}"),
                    format!("is not a parameter of {}", kind.as_str()),
                )),
                None => Ok(()),
            }
        };
        Ok(match kind {
            PurchaseModelKind::BgNbd | PurchaseModelKind::MbgNbd => {
                unused("s", self.s)?;
                unused("beta", self.beta)?;
                let (a, b) = (need("a", self.a)?, need("b", self.b)?);
                if kind == PurchaseModelKind::BgNbd {
                    PurchaseParams::BgNbd(BgNbdParams { r, alpha, a, b })
                } else {
                    PurchaseParams::MbgNbd(MbgNbdParams { r, alpha, a, b })
                }
            }
            PurchaseModelKind::ParetoNbd => {
                unused("a", self.a)?;
                unused("b", self.b)?;
                let (s, beta) = (need("s", self.s)?, need("beta", self.beta)?);
                PurchaseParams::ParetoNbd(ParetoNbdParams { r, alpha, s, beta })
            }
        })
    }
}

/// The purchase model predictions (P(alive), expected orders, CLV) use.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct PurchaseModelFit {
    /// The workspace's `purchase_model` setting when fitted: `bg-nbd`, `mbg-nbd`,
    /// `pareto-nbd` or `auto`.
    pub setting: String,
    /// The model used: `bg-nbd`, `mbg-nbd` or `pareto-nbd`.
    pub model: String,
    pub parameters: PurchaseParameters,
    pub log_likelihood: f64,
    pub iterations: i64,
    pub converged: bool,
    pub customers: i64,
    /// How `auto` chose (absent otherwise).
    pub selection: Option<ModelSelection>,
}

/// How `auto` chose the purchase model.
///
/// Rule `holdout_mae`: every model is fitted on the purchases before a cutoff (the holdout
/// is the last third of the span from the first purchase to the end of the window, 14 to
/// 365 days), predicts each of those customers' purchases over the holdout, and the model
/// with the lowest mean absolute error per customer wins (ties: bg-nbd, mbg-nbd,
/// pareto-nbd). Rule `log_likelihood` when no holdout could be scored (a span under 42
/// days, or no model fitted before the cutoff): the highest log-likelihood on all the data
/// (a fair comparison, each model having four parameters). The winner is then fitted on
/// all the data.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ModelSelection {
    /// `holdout_mae` or `log_likelihood`.
    pub rule: String,
    pub cutoff: Option<DateTime<Utc>>,
    pub holdout_days: Option<i64>,
    /// Customers who had bought before the cutoff (those scored).
    pub holdout_customers: Option<i64>,
    pub candidates: Vec<CandidateScore>,
}

/// One candidate of `auto`.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct CandidateScore {
    /// `bg-nbd`, `mbg-nbd` or `pareto-nbd`.
    pub model: String,
    /// Mean absolute error of the predicted holdout purchases per customer (lower is better).
    pub holdout_mae: Option<f64>,
    /// Log-likelihood of the fit on all the data.
    pub log_likelihood: Option<f64>,
    /// Why the model could not be scored or fitted (a fit error code).
    pub issue: Option<String>,
}

/// The 20/40/60/80 % quantiles each RFM score is cut at.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct RfmCuts {
    pub recency_days: Vec<f64>,
    pub frequency: Vec<f64>,
    pub monetary: Vec<f64>,
}

/// A model that could not be fitted, and why.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct FitIssue {
    /// `bgnbd`, `gamma_gamma`, `rfm` or `purchase_model` (in a backtest: the model's name).
    pub model: String,
    /// Stable: e.g. `no_repeat_purchases`, `empty_data`, `no_customers`.
    pub code: String,
    pub message: String,
}

/// A fitted model version.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "ChurnModel")]
pub struct ChurnModel {
    pub version: i64,
    pub fitted_at: DateTime<Utc>,
    /// End of the observation window.
    pub as_of: DateTime<Utc>,
    /// Buying customers the fit read.
    pub customers: i64,
    /// Always `days`.
    pub time_unit: String,
    pub bgnbd: Option<BgNbdFit>,
    pub gamma_gamma: Option<GammaGammaFit>,
    pub rfm_breakpoints: Option<RfmCuts>,
    /// The purchase model predictions use (BG/NBD on versions fitted before the choice).
    pub purchase_model: Option<PurchaseModelFit>,
    pub issues: Vec<FitIssue>,
    pub fit_seconds: f64,
}
