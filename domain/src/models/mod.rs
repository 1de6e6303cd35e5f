//! Customer-base models: BG/NBD (churn, expected purchases), Gamma-Gamma (spend) and CLV.

// Pure computation on per-customer summaries, no I/O. Typical use:
// `bgnbd::fit` and `gamma_gamma::fit` once, then `clv::score_all` for every customer.

pub mod backtest;
pub mod bgnbd;
pub mod clv;
pub mod gamma_gamma;
pub mod mbgnbd;
mod numeric_fit;
mod optimize;
pub mod pareto_nbd;
pub mod purchase;
pub mod special;
pub mod spend;

use serde::{Deserialize, Serialize};

pub use bgnbd::BgNbdParams;
pub use clv::{ClvSettings, CustomerScore, ScoreSettings};
pub use gamma_gamma::GammaGammaParams;
pub use purchase::{PurchaseModelKind, PurchaseParams};
pub use spend::{SpendFit, SpendModel};

/// Everything that can go wrong when fitting or scoring. `code()` gives a stable
/// identifier for APIs and logs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    #[error("{field} must be finite, got {value}")]
    NonFinite { field: &'static str, value: f64 },
    #[error("{field} must be non-negative, got {value}")]
    Negative { field: &'static str, value: f64 },
    #[error("the number of repeat purchases must be a whole number, got {value}")]
    NonIntegerFrequency { value: f64 },
    #[error("recency t_x = {t_x} is larger than the customer's age T = {t}")]
    RecencyExceedsAge { t_x: f64, t: f64 },
    #[error("a customer without repeat purchases must have recency 0, got {t_x}")]
    RecencyWithoutRepeat { t_x: f64 },
    #[error("the mean repeat-purchase value must be positive for a customer with repeat purchases, got {value}")]
    NonPositiveMonetary { value: f64 },
    #[error("weights must be finite and positive, got {value}")]
    InvalidWeight { value: f64 },
    #[error("customer {index}: {source}")]
    InvalidCustomer {
        index: usize,
        #[source]
        source: Box<ModelError>,
    },
    #[error("{what}: expected {expected} values, got {got}")]
    LengthMismatch {
        what: &'static str,
        expected: usize,
        got: usize,
    },
    #[error("no customers to fit")]
    EmptyData,
    #[error("no customer has a repeat purchase: the model cannot be identified")]
    NoRepeatPurchases,
    #[error("parameter {name} must be finite and positive, got {value}")]
    InvalidParameter { name: &'static str, value: f64 },
    #[error("option {name} is invalid: {value}")]
    InvalidOption { name: &'static str, value: f64 },
    #[error("the data does not identify the model: parameter {parameter} diverged to {value}")]
    Degenerate { parameter: &'static str, value: f64 },
    #[error("fitted Gamma-Gamma q = {q} <= 1: spend has no finite population mean")]
    InfiniteMeanSpend { q: f64 },
    #[error("the likelihood could not be evaluated at any starting point")]
    NoFiniteLikelihood,
}

impl ModelError {
    /// Stable snake_case identifier. For [`ModelError::InvalidCustomer`] it is
    /// the code of the underlying problem (the index is in the variant).
    pub fn code(&self) -> &'static str {
        match self {
            Self::NonFinite { .. } => "non_finite_input",
            Self::Negative { .. } => "negative_input",
            Self::NonIntegerFrequency { .. } => "non_integer_frequency",
            Self::RecencyExceedsAge { .. } => "recency_exceeds_age",
            Self::RecencyWithoutRepeat { .. } => "recency_without_repeat",
            Self::NonPositiveMonetary { .. } => "non_positive_monetary_value",
            Self::InvalidWeight { .. } => "invalid_weight",
            Self::InvalidCustomer { source, .. } => source.code(),
            Self::LengthMismatch { .. } => "length_mismatch",
            Self::EmptyData => "empty_data",
            Self::NoRepeatPurchases => "no_repeat_purchases",
            Self::InvalidParameter { .. } => "invalid_parameter",
            Self::InvalidOption { .. } => "invalid_option",
            Self::Degenerate { .. } => "degenerate_fit",
            Self::InfiniteMeanSpend { .. } => "infinite_mean_spend",
            Self::NoFiniteLikelihood => "no_finite_likelihood",
        }
    }

    fn at(self, index: usize) -> Self {
        Self::InvalidCustomer {
            index,
            source: Box::new(self),
        }
    }
}

/// RFM summary of one customer, with the conventions of the Python `lifetimes`
/// library (so results compare):
/// - `x`: number of *repeat* purchases (total purchases minus one), a whole number;
/// - `t_x`: time of the last repeat purchase, measured from the first purchase
///   (0 when `x == 0`);
/// - `t`: age, time from the first purchase to the end of the observation window
///   (`T` in the papers);
/// - the mean value `m` of the repeat purchases is passed separately where needed
///   (only used when `x > 0`).
///
/// The time unit is whatever the data used (days, weeks...): fitted rates and
/// horizons are in that unit, and CLV needs the length of a month in it
/// ([`TimeUnit::month_len`]).
///
/// Build it with [`CustomerSummary::new`] to get the checks; the fitting and
/// scoring functions check every summary again, so a hand-built invalid one
/// yields an error, never a NaN.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomerSummary {
    /// Repeat purchases.
    pub x: f64,
    /// Time of the last repeat purchase since the first purchase.
    pub t_x: f64,
    /// Age: time since the first purchase (`T`).
    pub t: f64,
}

impl CustomerSummary {
    /// Checks: all finite and non-negative, `x` whole, `t_x <= t`, `t_x == 0` when `x == 0`.
    pub fn new(x: f64, t_x: f64, t: f64) -> Result<Self, ModelError> {
        let c = Self { x, t_x, t };
        c.validate()?;
        Ok(c)
    }

    pub fn validate(&self) -> Result<(), ModelError> {
        check_non_negative("x", self.x)?;
        check_non_negative("t_x", self.t_x)?;
        check_non_negative("T", self.t)?;
        if self.x.fract() != 0.0 {
            return Err(ModelError::NonIntegerFrequency { value: self.x });
        }
        if self.t_x > self.t {
            return Err(ModelError::RecencyExceedsAge {
                t_x: self.t_x,
                t: self.t,
            });
        }
        if self.x == 0.0 && self.t_x != 0.0 {
            return Err(ModelError::RecencyWithoutRepeat { t_x: self.t_x });
        }
        Ok(())
    }
}

pub(crate) fn check_non_negative(field: &'static str, value: f64) -> Result<(), ModelError> {
    if !value.is_finite() {
        return Err(ModelError::NonFinite { field, value });
    }
    if value < 0.0 {
        return Err(ModelError::Negative { field, value });
    }
    Ok(())
}

pub(crate) fn check_param(name: &'static str, value: f64) -> Result<(), ModelError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(ModelError::InvalidParameter { name, value })
    }
}

/// Options of the maximum-likelihood fits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FitOptions {
    /// L2 penalty, `lifetimes` convention: `penalizer * sum(params^2)` is added
    /// to the negative *mean* log-likelihood. 0 = plain MLE.
    pub penalizer: f64,
    /// Cap on quasi-Newton iterations (per starting point).
    pub max_iterations: usize,
    /// Convergence when the largest gradient component of the objective
    /// (negative mean log-likelihood, w.r.t. the log-parameters) is below this.
    pub tolerance: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            penalizer: 0.0,
            max_iterations: 200,
            tolerance: 1e-8,
        }
    }
}

impl FitOptions {
    fn validate(&self) -> Result<(), ModelError> {
        if !(self.penalizer.is_finite() && self.penalizer >= 0.0) {
            return Err(ModelError::InvalidOption {
                name: "penalizer",
                value: self.penalizer,
            });
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(ModelError::InvalidOption {
                name: "tolerance",
                value: self.tolerance,
            });
        }
        if self.max_iterations == 0 {
            return Err(ModelError::InvalidOption {
                name: "max_iterations",
                value: 0.0,
            });
        }
        Ok(())
    }
}

/// Outcome of a fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FitReport<P> {
    pub params: P,
    /// Log-likelihood at `params`: the (weighted) *sum* over customers, without penalty.
    pub log_likelihood: f64,
    /// BFGS iterations of the final run (on large inputs, the full-data polish
    /// after the sub-sample fit).
    pub iterations: usize,
    /// Whether the gradient tolerance was met. A `false` fit is still the best
    /// point found; treat it with care.
    pub converged: bool,
    /// Input rows used (not the sum of weights; for Gamma-Gamma only the rows with `x > 0`).
    pub customers: usize,
}

/// Time unit of the data, to express a month in model time.
///
/// A month is 30.415 days = 4.345 weeks, the `lifetimes` convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Days,
    Weeks,
}

impl TimeUnit {
    pub fn days_per_unit(self) -> f64 {
        match self {
            Self::Days => 1.0,
            Self::Weeks => 7.0,
        }
    }

    /// Length of a month in this unit.
    pub fn month_len(self) -> f64 {
        match self {
            Self::Days => 30.415,
            Self::Weeks => 4.345,
        }
    }
}
