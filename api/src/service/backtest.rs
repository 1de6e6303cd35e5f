//! `POST /v1/models/churn/backtest`: each purchase model fitted on the orders up to a
//! cutoff predicts every customer's purchases and spend over the horizon after it, compared
//! with what happened (measures in [`rapport_domain::models::backtest`]).
//!
//! Time is in days, as in the workspace's models. A purchase is a purchase day (several
//! orders on one UTC day are one purchase) placed by its first order: a day whose first
//! order is at or before the cutoff is a calibration purchase, its whole revenue with it;
//! one whose first order is after the cutoff and at or before `cutoff + horizon_days` is a
//! holdout purchase. `T` is counted from the first purchase day to the cutoff's day, as the
//! live model counts it to `as_of`. Customers whose first purchase is after the cutoff are
//! not part of the backtest. Refunds count as they stand today.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::models::backtest::{self, HoldoutCustomer, LOST_BELOW};
use rapport_domain::models::{
    purchase, spend, CustomerSummary, FitOptions, PurchaseModelKind, PurchaseParams,
};
use rapport_domain::value::day_of;
use rapport_persistence::value::{self as store, DayFacts};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::model_shapes::{FitIssue, PurchaseParameters};
use crate::service::{now, stored, utc};
use crate::state::AppState;

/// Longest horizon, in days (ten years).
pub const MAX_HORIZON_DAYS: i64 = 3650;
/// Most customers `customers: true` lists.
pub const MAX_CUSTOMER_ROWS: usize = 10_000;

/// The calibration customers of a cutoff and what they did in the holdout.
#[derive(Debug, Default)]
pub struct Holdout {
    pub account_ids: Vec<String>,
    pub customers: Vec<HoldoutCustomer>,
    /// Days after the cutoff's day of every holdout purchase.
    pub offsets: Vec<f64>,
}

/// Splits purchase days (sorted by account, then day) at `cutoff`; holdout purchases are
/// those after it up to `end`.
pub fn split(days: &[DayFacts], cutoff: NaiveDateTime, end: NaiveDateTime) -> Holdout {
    let cutoff_day = day_of(cutoff);
    let mut out = Holdout::default();
    let mut start = 0;
    while start < days.len() {
        let account = &days[start].0;
        let mut stop = start;
        while stop < days.len() && days[stop].0 == *account {
            stop += 1;
        }
        let rows = &days[start..stop];
        start = stop;
        let mut first: Option<i32> = None;
        let (mut last, mut purchases, mut repeat_revenue) = (0, 0_i64, 0_i64);
        let (mut actual, mut actual_revenue, mut offsets) = (0.0, 0.0, Vec::new());
        for (_, day, first_at, revenue) in rows {
            if *first_at <= cutoff {
                if first.is_some() {
                    repeat_revenue = repeat_revenue.saturating_add(*revenue);
                }
                first = first.or(Some(*day));
                last = *day;
                purchases += 1;
            } else if *first_at <= end {
                actual += 1.0;
                actual_revenue += *revenue as f64;
                offsets.push(f64::from(day.saturating_sub(cutoff_day).max(0)));
            }
        }
        let Some(first) = first else { continue };
        let x = (purchases - 1) as f64;
        let summary = CustomerSummary {
            x,
            t_x: f64::from(last - first),
            t: f64::from(cutoff_day.saturating_sub(first).max(last - first)),
        };
        out.account_ids.push(account.clone());
        out.customers.push(HoldoutCustomer {
            summary,
            mean_repeat_value: if x > 0.0 {
                repeat_revenue as f64 / x
            } else {
                0.0
            },
            actual_purchases: actual,
            actual_revenue,
        });
        out.offsets.extend(offsets);
    }
    out
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
#[graphql(name = "BacktestInput")]
pub struct BacktestRequest {
    /// End of the calibration period: models are fitted on the purchases up to it. Not in
    /// the future, and some customer must have bought before it.
    #[schema(example = "2025-09-30T12:00:00Z")]
    pub cutoff: DateTime<Utc>,
    /// Days after the cutoff predicted and compared, 1 to 3650.
    #[schema(example = 273)]
    pub horizon_days: i64,
    /// Models to test (default all three): `bg-nbd`, `mbg-nbd`, `pareto-nbd`.
    pub models: Option<Vec<String>>,
    /// Parameters to test a model at instead of fitting it (rates per day), e.g. published
    /// estimates; at most one per model, each model also in `models` when that is given.
    pub parameters: Option<Vec<PurchaseParameters>>,
    /// List every customer's predictions beside the aggregates (at most 10,000 customers).
    pub customers: Option<bool>,
}

/// One point of the cumulative curve.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "BacktestCurvePoint")]
pub struct CurvePoint {
    /// Days after the cutoff.
    pub days: f64,
    /// Predicted repeat purchases from the cutoff to `days`.
    pub predicted: f64,
    /// Purchases that happened from the cutoff to `days`.
    pub actual: f64,
}

/// Customers in one decile of predicted value (1 = highest) and their totals.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "BacktestDecile")]
pub struct DecileRow {
    pub decile: i32,
    pub customers: i64,
    pub predicted_purchases: f64,
    pub actual_purchases: f64,
    /// Minor units; `null` without a spend model.
    pub predicted_revenue: Option<f64>,
    pub actual_revenue: f64,
}

/// How one model did.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "BacktestCandidate")]
pub struct BacktestCandidate {
    /// `bg-nbd`, `mbg-nbd` or `pareto-nbd`.
    pub model: String,
    /// False when tested at given `parameters`.
    pub fitted: bool,
    /// The parameters tested (`null` when the fit failed: see `issue`).
    pub parameters: Option<PurchaseParameters>,
    /// Of the fit on the calibration period.
    pub log_likelihood: Option<f64>,
    pub converged: Option<bool>,
    pub issue: Option<FitIssue>,
    pub predicted_purchases: Option<f64>,
    /// Mean over customers of |predicted - actual| purchases over the horizon.
    pub purchases_mae: Option<f64>,
    /// Mean over customers of |predicted - actual| spend, minor units.
    pub revenue_mae: Option<f64>,
    pub predicted_revenue: Option<f64>,
    /// Cumulative predicted vs actual purchases, every week (every 4 weeks beyond 104).
    pub curve: Vec<CurvePoint>,
    pub deciles: Vec<DecileRow>,
    /// Customers with P(alive) below `lost_below` at the cutoff.
    pub predicted_lost: Option<i64>,
    /// Of those, how many bought in the horizon.
    pub lost_bought_again: Option<i64>,
    /// `lost_bought_again / predicted_lost`.
    pub lost_bought_again_share: Option<f64>,
}

/// One model's prediction for one customer.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct CustomerPrediction {
    pub model: String,
    pub p_alive: f64,
    pub expected_purchases: f64,
    pub expected_revenue: Option<f64>,
}

/// One customer of the backtest.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct BacktestCustomer {
    #[graphql(skip, derived(name = "account_id", into = "async_graphql::ID", owned))]
    pub account_id: String,
    /// Calibration repeat purchases `x`.
    pub repeat_purchases: i64,
    /// `t_x`, days.
    pub days_between_first_and_last: i64,
    /// `T` at the cutoff, days.
    pub age_days: i64,
    pub actual_purchases: i64,
    pub actual_revenue: f64,
    pub predictions: Vec<CustomerPrediction>,
}

/// A backtest's result.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Backtest {
    pub cutoff: DateTime<Utc>,
    pub horizon_days: i64,
    /// `cutoff + horizon_days`.
    pub holdout_ends_at: DateTime<Utc>,
    /// False when the horizon reaches past now (the actuals are partial).
    pub complete: bool,
    /// Customers who bought before the cutoff.
    pub customers: i64,
    pub actual_purchases: f64,
    /// Minor units of the reporting currency.
    pub actual_revenue: f64,
    /// The spend model fitted on the calibration period (`gamma_gamma` or a fallback);
    /// `null` when nobody bought twice before the cutoff.
    pub spend_model: Option<String>,
    /// P(alive) below this counts as predicted lost.
    pub lost_below: f64,
    pub candidates: Vec<BacktestCandidate>,
    /// The candidate with the lowest `purchases_mae`.
    pub best: Option<String>,
    /// With `customers: true`: every customer, by account id.
    pub customer_rows: Option<Vec<BacktestCustomer>>,
}

struct Plan {
    cutoff: NaiveDateTime,
    horizon: i64,
    models: Vec<(PurchaseModelKind, Option<PurchaseParams>)>,
    rows: bool,
}

fn plan(request: BacktestRequest) -> Result<Plan, ApiError> {
    if !(1..=MAX_HORIZON_DAYS).contains(&request.horizon_days) {
        return Err(ApiError::field(
            "horizon_days",
            format!("must be between 1 and {MAX_HORIZON_DAYS}"),
        ));
    }
    let cutoff = stored(request.cutoff);
    if cutoff > now() {
        return Err(ApiError::field("cutoff", "must not be in the future"));
    }
    let mut kinds = Vec::new();
    match &request.models {
        Some(names) => {
            if names.is_empty() {
                return Err(ApiError::field("models", "must name at least one model"));
            }
            for (i, name) in names.iter().enumerate() {
                let kind = PurchaseModelKind::parse(name).ok_or_else(|| {
                    ApiError::field(
                        &format!("models[{i}]"),
                        "must be bg-nbd, mbg-nbd or pareto-nbd",
                    )
                })?;
                if kinds.contains(&kind) {
                    return Err(ApiError::field(&format!("models[{i}]"), "is listed twice"));
                }
                kinds.push(kind);
            }
        }
        None => kinds.extend(PurchaseModelKind::ALL),
    }
    let mut models: Vec<(PurchaseModelKind, Option<PurchaseParams>)> =
        kinds.into_iter().map(|k| (k, None)).collect();
    for (i, p) in request.parameters.iter().flatten().enumerate() {
        let path = format!("parameters[{i}]");
        let params = p.parse(&path)?;
        let Some(slot) = models.iter_mut().find(|(k, _)| *k == params.kind()) else {
            return Err(ApiError::field(
                &format!("{path}.model"),
                "is not among the models tested",
            ));
        };
        if slot.1.is_some() {
            return Err(ApiError::field(
                &format!("{path}.model"),
                "has parameters twice",
            ));
        }
        slot.1 = Some(params);
    }
    Ok(Plan {
        cutoff,
        horizon: request.horizon_days,
        models,
        rows: request.customers.unwrap_or(false),
    })
}

/// A backtest on purchase days that are not in a workspace (the CLI's transaction
/// files): the same checks and measures as [`run`].
pub fn run_on_days(days: &[DayFacts], request: BacktestRequest) -> Result<Backtest, ApiError> {
    compute(days, &plan(request)?)
}

pub async fn run(
    state: &AppState,
    principal: &Principal,
    request: BacktestRequest,
) -> Result<Backtest, ApiError> {
    principal.require(Scope::AnalyticsRead)?;
    let plan = plan(request)?;
    let ws = principal.workspace_id.clone();
    state
        .db
        .run(move |conn| {
            let days = store::all_days(conn, &ws)?;
            compute(&days, &plan)
        })
        .await
}

fn compute(days: &[DayFacts], plan: &Plan) -> Result<Backtest, ApiError> {
    let end = plan.cutoff + Duration::days(plan.horizon);
    let holdout = split(days, plan.cutoff, end);
    if holdout.customers.is_empty() {
        return Err(ApiError::field(
            "cutoff",
            "no customer bought before the cutoff",
        ));
    }
    if plan.rows && holdout.customers.len() > MAX_CUSTOMER_ROWS {
        return Err(ApiError::field(
            "customers",
            format!(
                "lists at most {MAX_CUSTOMER_ROWS} customers; this backtest has {}",
                holdout.customers.len()
            ),
        ));
    }
    let opts = FitOptions::default();
    let calibration: Vec<CustomerSummary> = holdout.customers.iter().map(|c| c.summary).collect();
    let spend_pairs: Vec<(f64, f64)> = holdout
        .customers
        .iter()
        .filter(|c| c.summary.x > 0.0 && c.mean_repeat_value > 0.0)
        .map(|c| (c.summary.x, c.mean_repeat_value))
        .collect();
    let spend_fit = spend::fit(&spend_pairs, &opts).ok();
    let spend_params = spend_fit.as_ref().map(|s| *s.params());
    let steps = backtest::curve_steps(plan.horizon as f64);
    let mut offsets = holdout.offsets.clone();
    let actual_curve = backtest::cumulative_counts(&mut offsets, &steps);
    let mut candidates = Vec::new();
    let mut evaluations = Vec::new();
    for (kind, given) in &plan.models {
        let name = kind.as_str().to_owned();
        let fit = match given {
            Some(p) => Ok((*p, None)),
            None => purchase::fit(*kind, &calibration, &opts).map(|r| (r.params, Some(r))),
        };
        let evaluated = fit.and_then(|(params, report)| {
            backtest::evaluate(&params, spend_params.as_ref(), &holdout.customers, &steps)
                .map(|e| (params, report, e))
        });
        match evaluated {
            Ok((params, report, e)) => {
                let lost = i64::try_from(e.predicted_lost).unwrap_or(i64::MAX);
                let again = i64::try_from(e.lost_bought_again).unwrap_or(i64::MAX);
                candidates.push(BacktestCandidate {
                    model: name,
                    fitted: given.is_none(),
                    parameters: Some(params.into()),
                    log_likelihood: report.map(|r| r.log_likelihood),
                    converged: report.map(|r| r.converged),
                    issue: None,
                    predicted_purchases: Some(e.predicted_purchases),
                    purchases_mae: Some(e.purchases_mae),
                    revenue_mae: e.revenue_mae,
                    predicted_revenue: e.predicted_revenue.as_ref().map(|r| r.iter().sum()),
                    curve: steps
                        .iter()
                        .zip(&e.curve)
                        .zip(&actual_curve)
                        .map(|((d, p), a)| CurvePoint {
                            days: *d,
                            predicted: *p,
                            actual: *a,
                        })
                        .collect(),
                    deciles: e
                        .deciles
                        .iter()
                        .map(|d| DecileRow {
                            decile: i32::try_from(d.decile).unwrap_or(i32::MAX),
                            customers: i64::try_from(d.customers).unwrap_or(i64::MAX),
                            predicted_purchases: d.predicted_purchases,
                            actual_purchases: d.actual_purchases,
                            predicted_revenue: d.predicted_revenue,
                            actual_revenue: d.actual_revenue,
                        })
                        .collect(),
                    predicted_lost: Some(lost),
                    lost_bought_again: Some(again),
                    lost_bought_again_share: (lost > 0).then(|| again as f64 / lost as f64),
                });
                evaluations.push((kind.as_str(), e));
            }
            Err(err) => candidates.push(BacktestCandidate {
                model: name.clone(),
                fitted: given.is_none(),
                parameters: None,
                log_likelihood: None,
                converged: None,
                issue: Some(FitIssue {
                    model: name,
                    code: err.code().to_owned(),
                    message: err.to_string(),
                }),
                predicted_purchases: None,
                purchases_mae: None,
                revenue_mae: None,
                predicted_revenue: None,
                curve: Vec::new(),
                deciles: Vec::new(),
                predicted_lost: None,
                lost_bought_again: None,
                lost_bought_again_share: None,
            }),
        }
    }
    let best = candidates
        .iter()
        .filter_map(|c| c.purchases_mae.map(|m| (c.model.clone(), m)))
        .filter(|(_, m)| m.is_finite())
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(name, _)| name);
    let customer_rows = plan.rows.then(|| {
        holdout
            .customers
            .iter()
            .enumerate()
            .map(|(i, c)| BacktestCustomer {
                account_id: holdout.account_ids[i].clone(),
                repeat_purchases: c.summary.x as i64,
                days_between_first_and_last: c.summary.t_x as i64,
                age_days: c.summary.t as i64,
                actual_purchases: c.actual_purchases as i64,
                actual_revenue: c.actual_revenue,
                predictions: evaluations
                    .iter()
                    .map(|(model, e)| CustomerPrediction {
                        model: (*model).to_owned(),
                        p_alive: e.p_alive[i],
                        expected_purchases: e.predicted[i],
                        expected_revenue: e.predicted_revenue.as_ref().map(|r| r[i]),
                    })
                    .collect(),
            })
            .collect()
    });
    Ok(Backtest {
        cutoff: utc(plan.cutoff),
        horizon_days: plan.horizon,
        holdout_ends_at: utc(end),
        complete: end <= now(),
        customers: i64::try_from(holdout.customers.len()).unwrap_or(i64::MAX),
        actual_purchases: holdout.customers.iter().map(|c| c.actual_purchases).sum(),
        actual_revenue: holdout.customers.iter().map(|c| c.actual_revenue).sum(),
        spend_model: spend_fit.map(|s| s.spend_model.as_str().to_owned()),
        lost_below: LOST_BELOW,
        candidates,
        best,
        customer_rows,
    })
}
