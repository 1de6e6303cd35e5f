//! Customer value on read: the workspace's value settings (reporting currency, exchange
//! rates, default margin, discount rate, risk bands) and an account's value metrics —
//! the stored totals and RFM scores, plus P(alive), expected orders and CLV computed from
//! the account's statistics and the workspace's current model at read time (microseconds).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::models::bgnbd::BgNbdParams;
use rapport_domain::models::clv::{lifetime_value_with, ClvSettings};
use rapport_domain::models::{CustomerSummary, FitReport, PurchaseParams, SpendFit, TimeUnit};
use rapport_domain::money::Currency;
use rapport_domain::rfm::{RfmBreakpoints, Segment};
use rapport_domain::value::{day_of, AccountTotals, Rate, RiskThresholds};
use rapport_persistence::value::{self as store, MetricsRow, ModelRow, ValueSettingsRow};
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::events::domain::{changed_fields, data, DomainEvent, Settings};
use crate::service::{now, pipeline, utc, versioning};
use crate::state::AppState;

/// One exchange rate of the workspace's value settings.
#[derive(Debug, Clone, async_graphql::SimpleObject)]
pub struct ExchangeRate {
    /// ISO 4217 code of the other currency, e.g. `EUR`.
    pub currency: String,
    /// Units of the reporting currency one unit of `currency` is worth, as a decimal
    /// string (exact), e.g. `"1.08"`.
    pub rate: String,
}

/// `ValueSettings.exchangeRates`: the rates by currency code, in code order.
pub fn exchange_rates(rates: BTreeMap<String, String>) -> Vec<ExchangeRate> {
    rates
        .into_iter()
        .map(|(currency, rate)| ExchangeRate { currency, rate })
        .collect()
}

/// `CostToServe.interactionCosts`: one interaction type's cost.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct InteractionCost {
    /// `call`, `email`, `meeting`, `note`, `task`, `ticket` or `feedback`.
    pub interaction_type: String,
    #[graphql(
        skip,
        derived(name = "cost", into = "crate::graphql::scalars::Long", owned)
    )]
    pub cost: i64,
}

/// `CostToServe.interactionCosts`: the costs by type, in type order.
pub fn interaction_costs(costs: BTreeMap<String, i64>) -> Vec<InteractionCost> {
    costs
        .into_iter()
        .map(|(interaction_type, cost)| InteractionCost {
            interaction_type,
            cost,
        })
        .collect()
}

/// What serving a customer costs the business (customer profitability,
/// `/v1/analytics/profitability`, the `cost_to_serve` and `profit` metrics), in minor units
/// of the reporting currency. Changing the reporting currency does not convert these.
#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[serde(deny_unknown_fields)]
pub struct CostToServe {
    /// Cost of one interaction of each type (`call`, `email`, `meeting`, `note`, `task`,
    /// `ticket`, `feedback`); a type not listed costs nothing.
    #[schema(example = json!({"call": 800, "email": 50, "meeting": 3000}))]
    #[serde(default)]
    #[graphql(
        skip,
        derived(
            name = "interaction_costs",
            into = "Vec<InteractionCost>",
            owned,
            with = "interaction_costs"
        )
    )]
    pub interaction_costs: BTreeMap<String, i64>,
    /// Cost of handling one complaint (any status).
    #[schema(example = 2500)]
    #[serde(default)]
    #[graphql(
        skip,
        derived(name = "complaint_cost", into = "crate::graphql::scalars::Long", owned)
    )]
    pub complaint_cost: i64,
}

impl CostToServe {
    /// The domain's view of these costs.
    pub fn costs(&self) -> rapport_domain::profitability::ServiceCosts {
        rapport_domain::profitability::ServiceCosts {
            interaction_costs: self.interaction_costs.clone(),
            complaint_cost: self.complaint_cost,
        }
    }
}

/// The largest cost of one interaction or complaint (a billion minor units).
pub const MAX_SERVICE_COST: i64 = 1_000_000_000;

/// Horizon of `expected_orders_90d`, in days.
pub const EXPECTED_ORDERS_DAYS: f64 = 90.0;
/// Months of `clv`.
pub const CLV_MONTHS: u32 = 12;

// ---------------------------------------------------------------------------------------
// Settings

/// How a workspace measures value. Orders in another currency than `reporting_currency`
/// are converted once, when ingested, at the rate configured then (changing a rate does
/// not rewrite history); an order in a currency without a rate is refused.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[serde(deny_unknown_fields)]
pub struct ValueSettings {
    /// ISO 4217 code every metric is expressed in. Can change only before the first order.
    #[schema(example = "USD")]
    pub reporting_currency: String,
    /// Units of the reporting currency one unit of each other currency is worth, as
    /// decimal strings: `{"EUR": "1.08", "JPY": "0.0067"}`.
    #[schema(example = json!({"EUR": "1.08"}))]
    #[graphql(
        skip,
        derived(
            name = "exchange_rates",
            into = "Vec<ExchangeRate>",
            owned,
            with = "exchange_rates"
        )
    )]
    pub exchange_rates: BTreeMap<String, String>,
    /// Margin assumed for CLV where an account's orders carry no cost, in percent.
    #[schema(example = 30.0)]
    pub default_margin_percent: f64,
    /// Monthly discount rate of CLV (0.01 = 1 % a month).
    #[schema(example = 0.01)]
    pub monthly_discount_rate: f64,
    /// Churn-probability thresholds of the risk bands `watch`, `at_risk` and `lost`.
    pub risk_thresholds: RiskBands,
    /// The purchase model the next fits predict with: `bg-nbd` (default), `mbg-nbd`
    /// (lets customers without repeat purchases churn), `pareto-nbd`, or `auto` (the one
    /// with the best holdout score, see the model's `purchase_model.selection`).
    #[schema(example = "auto")]
    #[serde(default = "default_purchase_model")]
    pub purchase_model: String,
    /// What interactions and complaints cost (customer profitability).
    #[serde(default)]
    pub cost_to_serve: CostToServe,
    /// Bumped by every change; the server keeps it (send it in `If-Match`, not here).
    #[schema(read_only)]
    pub version: i64,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "RiskThresholds")]
#[serde(deny_unknown_fields)]
pub struct RiskBands {
    /// At or above: `watch`.
    pub watch: f64,
    /// At or above: `at_risk`.
    pub at_risk: f64,
    /// At or above: `lost`.
    pub lost: f64,
}

impl From<RiskBands> for RiskThresholds {
    fn from(b: RiskBands) -> Self {
        RiskThresholds {
            watch: b.watch,
            at_risk: b.at_risk,
            lost: b.lost,
        }
    }
}

impl Default for ValueSettings {
    fn default() -> Self {
        let r = RiskThresholds::default();
        ValueSettings {
            reporting_currency: "USD".to_owned(),
            exchange_rates: BTreeMap::new(),
            default_margin_percent: 30.0,
            monthly_discount_rate: 0.01,
            risk_thresholds: RiskBands {
                watch: r.watch,
                at_risk: r.at_risk,
                lost: r.lost,
            },
            purchase_model: default_purchase_model(),
            cost_to_serve: CostToServe::default(),
            version: 0,
        }
    }
}

fn default_purchase_model() -> String {
    "bg-nbd".to_owned()
}

/// The values of `purchase_model`.
pub const PURCHASE_MODEL_SETTINGS: [&str; 4] = ["bg-nbd", "mbg-nbd", "pareto-nbd", "auto"];

impl ValueSettings {
    fn from_row(row: ValueSettingsRow) -> Result<Self, ApiError> {
        Ok(ValueSettings {
            reporting_currency: row.reporting_currency,
            exchange_rates: serde_json::from_str(&row.exchange_rates)
                .map_err(ApiError::internal)?,
            default_margin_percent: row.default_margin_percent,
            monthly_discount_rate: row.monthly_discount_rate,
            risk_thresholds: serde_json::from_str(&row.risk_thresholds)
                .map_err(ApiError::internal)?,
            purchase_model: row.purchase_model,
            cost_to_serve: serde_json::from_str(&row.cost_to_serve).map_err(ApiError::internal)?,
            version: row.version,
        })
    }

    /// The rate from `currency` to the reporting currency (1 for itself).
    pub fn rate(&self, currency: &str) -> Option<Rate> {
        if currency == self.reporting_currency {
            return Some(Rate::ONE);
        }
        self.exchange_rates
            .get(currency)
            .and_then(|r| Rate::parse(r).ok())
    }

    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut add = |field: String, message: &str| {
            errors.push(FieldError {
                field,
                message: message.to_owned(),
            })
        };
        if Currency::parse(&self.reporting_currency).is_err() {
            add(
                "reporting_currency".into(),
                "must be an ISO 4217 code like USD",
            );
        }
        for (code, rate) in &self.exchange_rates {
            if Currency::parse(code).is_err() {
                add(
                    format!("exchange_rates.{code}"),
                    "must be keyed by an ISO 4217 code",
                );
            } else if Rate::parse(rate).is_err() {
                add(
                    format!("exchange_rates.{code}"),
                    "must be a positive decimal string with at most 12 decimals, like \"1.08\"",
                );
            }
        }
        if !(0.0..=100.0).contains(&self.default_margin_percent) {
            add("default_margin_percent".into(), "must be between 0 and 100");
        }
        if !(self.monthly_discount_rate.is_finite()
            && (0.0..1.0).contains(&self.monthly_discount_rate))
        {
            add(
                "monthly_discount_rate".into(),
                "must be at least 0 and below 1",
            );
        }
        if !PURCHASE_MODEL_SETTINGS.contains(&self.purchase_model.as_str()) {
            add(
                "purchase_model".into(),
                "must be bg-nbd, mbg-nbd, pareto-nbd or auto",
            );
        }
        for (kind, cost) in &self.cost_to_serve.interaction_costs {
            if rapport_domain::crm::InteractionType::parse(kind).is_none() {
                add(
                    format!("cost_to_serve.interaction_costs.{kind}"),
                    "must be keyed by an interaction type: call, email, meeting, note, task, ticket or feedback",
                );
            } else if !(0..=MAX_SERVICE_COST).contains(cost) {
                add(
                    format!("cost_to_serve.interaction_costs.{kind}"),
                    "must be a whole number of minor units from 0 to 1000000000",
                );
            }
        }
        if !(0..=MAX_SERVICE_COST).contains(&self.cost_to_serve.complaint_cost) {
            add(
                "cost_to_serve.complaint_cost".into(),
                "must be a whole number of minor units from 0 to 1000000000",
            );
        }
        if !RiskThresholds::from(self.risk_thresholds).is_valid() {
            add(
                "risk_thresholds".into(),
                "each must be between 0 and 1, with watch < at_risk < lost",
            );
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The workspace's settings (defaults until an admin changes them).
pub fn load_settings(conn: &mut DbConn, workspace_id: &str) -> Result<ValueSettings, ApiError> {
    store::find_settings(conn, workspace_id)?
        .map(ValueSettings::from_row)
        .transpose()
        .map(Option::unwrap_or_default)
}

pub async fn settings(state: &AppState, principal: &Principal) -> Result<ValueSettings, ApiError> {
    principal.require(Scope::AnalyticsRead)?;
    let ws = principal.workspace_id.clone();
    state.db.run(move |conn| load_settings(conn, &ws)).await
}

/// Merge-patches the settings (admins). The reporting currency is fixed once an order
/// exists: metrics already summed in it would mix currencies.
pub async fn update_settings(
    state: &AppState,
    principal: &Principal,
    patch: Value,
    if_match: Option<i64>,
) -> Result<ValueSettings, ApiError> {
    principal.require(Scope::Admin)?;
    let p = principal.clone();
    let updated = pipeline::run(state, &principal.clone(), move |conn, cx| {
        let current = load_settings(conn, &p.workspace_id)?;
        versioning::require_patch_object(&patch)?;
        versioning::check_version("settings", if_match, current.version)?;
        let mut next: ValueSettings =
            versioning::merge_patch("the value settings", &current, &patch)?;
        next.version = current.version;
        next.reporting_currency = next.reporting_currency.trim().to_uppercase();
        next.validate().map_err(ApiError::validation)?;
        if next.reporting_currency != current.reporting_currency
            && rapport_persistence::orders::any(conn, &p.workspace_id)?
        {
            return Err(ApiError::conflict(
                "reporting_currency_locked",
                "the reporting currency cannot change once orders exist",
            ));
        }
        next.version = current.version + 1;
        let row = ValueSettingsRow {
            workspace_id: p.workspace_id.clone(),
            reporting_currency: next.reporting_currency.clone(),
            exchange_rates: serde_json::to_string(&next.exchange_rates)
                .map_err(ApiError::internal)?,
            default_margin_percent: next.default_margin_percent,
            monthly_discount_rate: next.monthly_discount_rate,
            risk_thresholds: serde_json::to_string(&next.risk_thresholds)
                .map_err(ApiError::internal)?,
            version: next.version,
            updated_at: now(),
            purchase_model: next.purchase_model.clone(),
            cost_to_serve: serde_json::to_string(&next.cost_to_serve)
                .map_err(ApiError::internal)?,
        };
        let expected = (current.version > 0).then_some(current.version);
        if store::save_settings(conn, &row, expected)? == 0 {
            return Err(versioning::precondition_failed("settings"));
        }
        cx.audit(
            "value_settings.update",
            "value_settings",
            None,
            Some(&current),
            Some(&next),
        )?;
        cx.emit(DomainEvent::SettingsChanged {
            settings: Settings::Value,
            changed_fields: changed_fields(&current, &next),
            data: data(&next)?,
        })?;
        Ok(next)
    })
    .await?;
    Ok(updated)
}

// ---------------------------------------------------------------------------------------
// The current model

/// A workspace's fitted models, parsed.
#[derive(Debug, Clone)]
pub struct CurrentModel {
    pub version: i64,
    pub fitted_at: NaiveDateTime,
    pub as_of: NaiveDateTime,
    pub bgnbd: Option<FitReport<BgNbdParams>>,
    /// The spend model (Gamma-Gamma or the fallback the fit fell back to).
    pub gamma_gamma: Option<SpendFit>,
    pub rfm: Option<RfmBreakpoints>,
    /// The purchase model predictions use (`None` on versions fitted before the choice
    /// existed: those predict with BG/NBD).
    pub purchase: Option<StoredPurchaseModel>,
}

/// The purchase model of a model version, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredPurchaseModel {
    /// The workspace's `purchase_model` setting at fit time.
    pub setting: String,
    pub report: FitReport<PurchaseParams>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<crate::service::model_shapes::ModelSelection>,
}

impl CurrentModel {
    /// The parameters predictions use: the chosen purchase model, else BG/NBD.
    pub fn purchase_params(&self) -> Option<PurchaseParams> {
        match &self.purchase {
            Some(p) => Some(p.report.params),
            None => self.bgnbd.as_ref().map(|b| PurchaseParams::BgNbd(b.params)),
        }
    }

    pub fn from_row(row: &ModelRow) -> Result<Self, ApiError> {
        Ok(CurrentModel {
            version: row.version,
            fitted_at: row.fitted_at,
            as_of: row.as_of,
            bgnbd: parse_json(&row.bgnbd)?,
            gamma_gamma: parse_json(&row.gamma_gamma)?,
            rfm: parse_json(&row.rfm_breakpoints)?,
            purchase: parse_json(&row.purchase_model)?,
        })
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(
    text: &Option<String>,
) -> Result<Option<T>, ApiError> {
    text.as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(ApiError::internal)
}

pub fn current_model(
    conn: &mut DbConn,
    workspace_id: &str,
) -> Result<Option<CurrentModel>, ApiError> {
    store::current_model(conn, workspace_id)?
        .as_ref()
        .map(CurrentModel::from_row)
        .transpose()
}

// ---------------------------------------------------------------------------------------
// Metrics on read

/// An account's RFM scores (1-5 each) and named segment, as of the last scoring.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Rfm {
    pub r: i32,
    pub f: i32,
    pub m: i32,
    /// `champions`, `loyal`, `potential_loyalist`, `new`, `promising`, `need_attention`,
    /// `about_to_sleep`, `at_risk`, `cant_lose_them`, `hibernating` or `lost`.
    pub segment: String,
    /// The segment's display name.
    pub label: String,
}

/// What an account is worth: totals kept with every order, RFM scores, and predictions
/// from the workspace's current model. Money in minor units of `currency`.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "ValueMetrics")]
pub struct ValueMetrics {
    /// The workspace's reporting currency.
    pub currency: String,
    /// Orders that count (not fully refunded).
    pub orders_count: i64,
    /// Net revenue (after refunds).
    #[graphql(
        skip,
        derived(name = "revenue", into = "crate::graphql::scalars::Long", owned)
    )]
    pub revenue: i64,
    /// Revenue minus cost over the orders sent with a cost; `null` when none was.
    #[graphql(
        skip,
        derived(
            name = "margin",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub margin: Option<i64>,
    /// `revenue / orders_count`, rounded; `null` without orders.
    #[graphql(
        skip,
        derived(
            name = "average_order_value",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub average_order_value: Option<i64>,
    pub first_order_at: Option<DateTime<Utc>>,
    pub last_order_at: Option<DateTime<Utc>>,
    /// Repeat purchases `x`: purchase days after the first (UTC days).
    pub repeat_purchases: i64,
    /// Days from the first purchase day to the last (`t_x`).
    pub days_between_first_and_last: i64,
    /// Days since the first purchase day (`T`), at read time.
    pub age_days: i64,
    pub rfm: Option<Rfm>,
    /// Probability the customer is still active (the workspace's purchase model).
    pub p_alive: Option<f64>,
    /// `1 - p_alive`.
    pub churn_probability: Option<f64>,
    /// `healthy`, `watch`, `at_risk` or `lost`, from `churn_probability`.
    pub risk_band: Option<String>,
    /// Expected orders (purchase days) in the next 90 days.
    #[graphql(name = "expectedOrders90d")]
    pub expected_orders_90d: Option<f64>,
    /// Expected value of a future order (Gamma-Gamma), minor units.
    #[graphql(
        skip,
        derived(
            name = "expected_order_value",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub expected_order_value: Option<i64>,
    /// Discounted margin over the next 12 months, minor units.
    #[graphql(
        skip,
        derived(
            name = "clv",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub clv: Option<i64>,
    /// The model version the predictions come from.
    pub model_version: Option<i64>,
    /// Which spend model `expected_order_value` and `clv` come from: `gamma_gamma`, or the
    /// fallback the fit had to take (`fallback_winsorized`, `fallback_penalized`,
    /// `fallback_shrinkage`; the model's `issues` say why).
    pub spend_model: Option<String>,
    /// Why the predictions are `null`: `no_orders`, `model_not_fitted` (run
    /// `POST /v1/models/churn/fit`), or `spend_model_not_fitted` (for the money ones: only
    /// a model fitted when nobody had bought twice).
    pub predictions_unavailable: Option<String>,
    /// What serving the customer has cost: interactions and complaints at the workspace's
    /// `cost_to_serve` settings (`null` in as-of reads).
    #[graphql(
        skip,
        derived(
            name = "cost_to_serve",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub cost_to_serve: Option<i64>,
    /// The acquisition cost `profit` subtracts: the account's own, else its channel's
    /// marketing spend share for the month of its first purchase (`null`: neither, or an
    /// as-of read).
    #[graphql(
        skip,
        derived(
            name = "acquisition_cost",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub acquisition_cost: Option<i64>,
    /// Margin (costed orders' real margin, the rest at `default_margin_percent`) minus
    /// acquisition cost minus cost to serve (`/v1/analytics/profitability`; `null` in
    /// as-of reads).
    #[graphql(
        skip,
        derived(
            name = "profit",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub profit: Option<i64>,
}

fn segment_rfm(r: Option<i32>, f: Option<i32>, m: Option<i32>, s: Option<&str>) -> Option<Rfm> {
    let (r, f, m, s) = (r?, f?, m?, s?);
    let segment = Segment::parse(s)?;
    Some(Rfm {
        r,
        f,
        m,
        segment: segment.as_str().to_owned(),
        label: segment.label().to_owned(),
    })
}

/// The account's totals from its stored metrics row (all zero without one).
pub fn totals_of(row: Option<&MetricsRow>) -> AccountTotals {
    row.map(|m| AccountTotals {
        orders_count: m.orders_count,
        revenue: m.revenue,
        costed_revenue: m.costed_revenue,
        cost: m.cost,
        first_order_at: m.first_order_at,
        last_order_at: m.last_order_at,
        first_day: m.first_day,
        last_day: m.last_day,
        repeat_purchases: m.repeat_purchases,
        repeat_revenue: m.repeat_revenue,
    })
    .unwrap_or_default()
}

/// The stored form of an account's RFM score (`None`: not scored).
pub fn scores_of(
    account_id: &str,
    score: Option<rapport_domain::rfm::RfmScore>,
) -> rapport_persistence::value::Scores {
    rapport_persistence::value::Scores {
        account_id: account_id.to_owned(),
        r: score.map(|s| i32::from(s.r)),
        f: score.map(|s| i32::from(s.f)),
        m: score.map(|s| i32::from(s.m)),
        segment: score.map(|s| s.segment.as_str().to_owned()),
    }
}

/// RFM measures of an account on `today`.
pub fn rfm_input(totals: &AccountTotals, today: i32) -> rapport_domain::rfm::RfmInput {
    let last = totals.last_order_at.map_or(today, day_of);
    rapport_domain::rfm::RfmInput {
        recency_days: f64::from(today.saturating_sub(last).max(0)),
        frequency: totals.orders_count as f64,
        monetary: totals.revenue.max(0) as f64,
    }
}

pub fn metrics_row(
    workspace_id: &str,
    account_id: &str,
    t: &AccountTotals,
    score: Option<rapport_domain::rfm::RfmScore>,
    at: NaiveDateTime,
) -> MetricsRow {
    let scores = scores_of(account_id, score);
    MetricsRow {
        account_id: account_id.to_owned(),
        workspace_id: workspace_id.to_owned(),
        orders_count: t.orders_count,
        revenue: t.revenue,
        costed_revenue: t.costed_revenue,
        cost: t.cost,
        first_order_at: t.first_order_at,
        last_order_at: t.last_order_at,
        first_day: t.first_day,
        last_day: t.last_day,
        repeat_purchases: t.repeat_purchases,
        repeat_revenue: t.repeat_revenue,
        rfm_r: scores.r,
        rfm_f: scores.f,
        rfm_m: scores.m,
        rfm_segment: scores.segment,
        updated_at: at,
    }
}

/// Predictions for one account: `(p_alive, expected_orders_90d, expected_order_value, clv)`.
pub struct Prediction {
    pub p_alive: f64,
    pub expected_orders_90d: f64,
    pub expected_order_value: Option<f64>,
    pub clv: Option<f64>,
    /// Expected 12-month margin if the customer is still active (for value at risk).
    pub value_if_active: Option<f64>,
    /// `gamma_gamma` or the spend fallback (`None` without a spend model).
    pub spend_model: Option<&'static str>,
}

/// Scores one account against the model at `today` (UTC day). `None` without orders.
pub fn predict(
    totals: &AccountTotals,
    model: &CurrentModel,
    settings: &ValueSettings,
    today: i32,
) -> Option<Prediction> {
    let purchase = model.purchase_params()?;
    totals.first_day?;
    let summary = CustomerSummary::new(
        totals.repeat_purchases as f64,
        totals.t_x_days() as f64,
        totals.age_days(today) as f64,
    )
    .ok()?;
    let p_alive = purchase.p_alive(&summary);
    let expected_orders_90d = purchase.expected_purchases(&summary, EXPECTED_ORDERS_DAYS);
    let m = totals.mean_repeat_value().unwrap_or(0.0);
    let margin = totals
        .margin_rate()
        .unwrap_or(settings.default_margin_percent / 100.0);
    let (expected_order_value, clv, value_if_active, spend_model) = match &model.gamma_gamma {
        Some(gg) => {
            // A repeat buyer whose repeat orders were all refunded has spent 0 on them.
            let spend = gg.params().expected_average_spend(summary.x, m.max(0.0));
            let clv = lifetime_value_with(
                &purchase,
                &summary,
                spend,
                &ClvSettings::new(
                    CLV_MONTHS,
                    settings.monthly_discount_rate,
                    margin,
                    TimeUnit::Days,
                ),
            )
            .ok();
            // An active customer buys at the posterior mean rate (r + x) / (alpha + T).
            let (r, alpha) = purchase.purchase_rate_prior();
            let rate = (r + summary.x) / (alpha + summary.t);
            let months = f64::from(CLV_MONTHS) * TimeUnit::Days.month_len();
            (
                Some(spend),
                clv,
                Some(rate * months * spend * margin),
                Some(gg.spend_model.as_str()),
            )
        }
        None => (None, None, None, None),
    };
    Some(Prediction {
        p_alive,
        expected_orders_90d,
        expected_order_value,
        clv,
        value_if_active,
        spend_model,
    })
}

/// The account's CLV over the next `months` months at `today` (discounted margin, as
/// `clv` is for 12), rounded to a minor unit; `None` without orders, a purchase model or a
/// spend model.
pub fn clv_over(
    totals: &AccountTotals,
    model: &CurrentModel,
    settings: &ValueSettings,
    today: i32,
    months: u32,
) -> Option<i64> {
    let purchase = model.purchase_params()?;
    let gg = model.gamma_gamma.as_ref()?;
    totals.first_day?;
    let summary = CustomerSummary::new(
        totals.repeat_purchases as f64,
        totals.t_x_days() as f64,
        totals.age_days(today) as f64,
    )
    .ok()?;
    let m = totals.mean_repeat_value().unwrap_or(0.0);
    let margin = totals
        .margin_rate()
        .unwrap_or(settings.default_margin_percent / 100.0);
    let spend = gg.params().expected_average_spend(summary.x, m.max(0.0));
    let clv = lifetime_value_with(
        &purchase,
        &summary,
        spend,
        &ClvSettings::new(
            months,
            settings.monthly_discount_rate,
            margin,
            TimeUnit::Days,
        ),
    )
    .ok()?;
    round(clv)
}

fn round(v: f64) -> Option<i64> {
    v.is_finite().then(|| v.round() as i64)
}

/// An account's metrics as the API shows them, at `at`.
pub fn metrics_of(
    row: Option<&MetricsRow>,
    model: Option<&CurrentModel>,
    settings: &ValueSettings,
    at: NaiveDateTime,
) -> ValueMetrics {
    let rfm = row.and_then(|m| segment_rfm(m.rfm_r, m.rfm_f, m.rfm_m, m.rfm_segment.as_deref()));
    metrics_of_totals(&totals_of(row), rfm, model, settings, at)
}

/// Metrics from an account's totals and RFM scores, predictions evaluated at `at`.
pub fn metrics_of_totals(
    totals: &AccountTotals,
    rfm: Option<Rfm>,
    model: Option<&CurrentModel>,
    settings: &ValueSettings,
    at: NaiveDateTime,
) -> ValueMetrics {
    let totals = *totals;
    let today = day_of(at);
    let prediction = model.and_then(|m| predict(&totals, m, settings, today));
    let unavailable = if totals.first_day.is_none() {
        Some("no_orders")
    } else if model.and_then(CurrentModel::purchase_params).is_none() {
        Some("model_not_fitted")
    } else if prediction.as_ref().is_some_and(|p| p.clv.is_none()) {
        Some("spend_model_not_fitted")
    } else {
        None
    };
    let thresholds = RiskThresholds::from(settings.risk_thresholds);
    ValueMetrics {
        currency: settings.reporting_currency.clone(),
        orders_count: totals.orders_count,
        revenue: totals.revenue,
        margin: (totals.costed_revenue > 0 || totals.cost > 0)
            .then_some(totals.costed_revenue - totals.cost),
        average_order_value: (totals.orders_count > 0)
            .then(|| round(totals.revenue as f64 / totals.orders_count as f64))
            .flatten(),
        first_order_at: totals.first_order_at.map(utc),
        last_order_at: totals.last_order_at.map(utc),
        repeat_purchases: totals.repeat_purchases,
        days_between_first_and_last: totals.t_x_days(),
        age_days: totals.age_days(today),
        rfm,
        p_alive: prediction.as_ref().map(|p| p.p_alive),
        churn_probability: prediction.as_ref().map(|p| 1.0 - p.p_alive),
        risk_band: prediction
            .as_ref()
            .map(|p| thresholds.band(1.0 - p.p_alive).to_owned()),
        expected_orders_90d: prediction.as_ref().map(|p| p.expected_orders_90d),
        expected_order_value: prediction
            .as_ref()
            .and_then(|p| p.expected_order_value)
            .and_then(round),
        clv: prediction.as_ref().and_then(|p| p.clv).and_then(round),
        model_version: prediction.as_ref().and(model.map(|m| m.version)),
        spend_model: prediction
            .as_ref()
            .and_then(|p| p.spend_model)
            .map(str::to_owned),
        predictions_unavailable: unavailable.map(str::to_owned),
        cost_to_serve: None,
        acquisition_cost: None,
        profit: None,
    }
}

/// One account's metrics, read inside a connection closure.
pub fn account_metrics(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> Result<ValueMetrics, ApiError> {
    let settings = load_settings(conn, workspace_id)?;
    let model = current_model(conn, workspace_id)?;
    let row = store::find_metrics(conn, workspace_id, account_id)?;
    Ok(metrics_of(row.as_ref(), model.as_ref(), &settings, now()))
}

/// Stores the current model's predictions for these accounts' metrics, as segment rules on
/// `churn_probability`, `risk_band`, `clv` and `expected_orders_90d` read them: written by
/// each order or refund of the account and by every model fit. An account without orders
/// (or a workspace without a fitted model) has none.
pub fn store_predictions(
    conn: &mut DbConn,
    workspace_id: &str,
    rows: &[MetricsRow],
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    store(conn, workspace_id, rows, at, None)
}

/// A risk band that stored predictions gave an account before a write and after it (`None`:
/// no prediction).
#[derive(Debug, Clone, PartialEq)]
pub struct BandChange {
    pub account_id: String,
    pub from: Option<&'static str>,
    pub to: Option<&'static str>,
}

/// [`store_predictions`] after an order or a refund of these accounts, answering whose risk
/// band the new predictions moved (compared with the stored ones: what segment rules on
/// `risk_band` saw until now). One more indexed read per write.
pub fn store_predictions_and_bands(
    conn: &mut DbConn,
    workspace_id: &str,
    rows: &[MetricsRow],
    at: NaiveDateTime,
) -> Result<Vec<BandChange>, ApiError> {
    let mut changes = Vec::new();
    store(conn, workspace_id, rows, at, Some(&mut changes))?;
    Ok(changes)
}

/// The predictions row segment rules read for an account with these totals, the model
/// evaluated at `at`; `None` without a finite prediction (no purchase, no model).
pub fn prediction_row(
    account_id: &str,
    workspace_id: &str,
    totals: &AccountTotals,
    model: &CurrentModel,
    settings: &ValueSettings,
    at: NaiveDateTime,
) -> Option<rapport_persistence::segments::PredictionRow> {
    let p = predict(totals, model, settings, day_of(at))?;
    p.p_alive
        .is_finite()
        .then(|| rapport_persistence::segments::PredictionRow {
            account_id: account_id.to_owned(),
            workspace_id: workspace_id.to_owned(),
            churn_probability: (1.0 - p.p_alive).clamp(0.0, 1.0),
            expected_orders_90d: if p.expected_orders_90d.is_finite() {
                p.expected_orders_90d
            } else {
                0.0
            },
            clv: p.clv.and_then(round),
            predicted_at: at,
        })
}

fn store(
    conn: &mut DbConn,
    workspace_id: &str,
    rows: &[MetricsRow],
    at: NaiveDateTime,
    bands: Option<&mut Vec<BandChange>>,
) -> Result<(), ApiError> {
    if rows.is_empty() {
        return Ok(());
    }
    let model = current_model(conn, workspace_id)?;
    let settings = load_settings(conn, workspace_id)?;
    let mut keep = Vec::with_capacity(rows.len());
    let mut forget = Vec::new();
    for m in rows {
        let prediction = model
            .as_ref()
            .filter(|_| m.orders_count > 0)
            .and_then(|model| {
                prediction_row(
                    &m.account_id,
                    workspace_id,
                    &totals_of(Some(m)),
                    model,
                    &settings,
                    at,
                )
            });
        match prediction {
            Some(p) => keep.push(p),
            None => forget.push(m.account_id.clone()),
        }
    }
    if let Some(bands) = bands {
        let ids: Vec<String> = rows.iter().map(|m| m.account_id.clone()).collect();
        let before: BTreeMap<String, f64> =
            rapport_persistence::segments::churn_probabilities(conn, workspace_id, &ids)?
                .into_iter()
                .collect();
        let after: BTreeMap<&str, f64> = keep
            .iter()
            .map(|p| (p.account_id.as_str(), p.churn_probability))
            .collect();
        let t = RiskThresholds::from(settings.risk_thresholds);
        for id in &ids {
            let from = before.get(id).map(|c| t.band(*c));
            let to = after.get(id.as_str()).map(|c| t.band(*c));
            if from != to {
                bands.push(BandChange {
                    account_id: id.clone(),
                    from,
                    to,
                });
            }
        }
    }
    rapport_persistence::segments::upsert_predictions(conn, &keep)?;
    rapport_persistence::segments::delete_predictions(conn, workspace_id, &forget)?;
    Ok(())
}
