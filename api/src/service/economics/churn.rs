//! `GET /v1/analytics/churn`: repeat purchases, growth accounting and churn per period.
//!
//! - **Repeat-purchase rate**: of the customers whose first purchase day falls in the
//!   report's range, the share with a second purchase day by its end.
//! - **Growth accounting** per period: `active` customers bought in it; of them `new` made
//!   their first purchase in it, `retained` also bought in the period before, `reactivated`
//!   did not but had bought earlier; `lost` bought in the period before and not in this one.
//!   So `active = previous active + new + reactivated - lost`.
//! - **Churn by inactivity** (`inactive_days`, default 90): a customer has churned on a day
//!   when they have not bought in the `inactive_days` days ending that day. A period's
//!   `customers_at_start` are those not churned at the end of the day before it;
//!   `churned_customers` are those of them churned at the end of its last day;
//!   `churn_rate = churned_customers / customers_at_start`.
//! - **Revenue and margin** per period: what every live customer bought in it, net of
//!   refunds; margin is the costed orders' revenue less their cost, plus the other orders'
//!   revenue times the workspace's `default_margin_percent` (as in the cohorts).
//! - **Expected churn** (when a BG/NBD model is fitted): the sum of the stored churn
//!   probabilities (1 - P(alive)) of today's buyers, i.e. how many of them the model
//!   expects have already left.
//!
//! Purchases are the orders that still count (fully refunded orders do not).

use chrono::{DateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::economics::{add_customer, margin, share, Growth, Inactivity};
use rapport_persistence::economics as store;
use rapport_persistence::value as value_store;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{bucket, day_start, window, Window};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::utc;
use crate::service::value::load_settings;
use crate::state::AppState;

/// Default of `inactive_days`.
pub const DEFAULT_INACTIVE_DAYS: i32 = 90;

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChurnQuery {
    /// `month` (default) or `week` (ISO weeks, Monday to Sunday).
    pub period: Option<String>,
    /// First day of the range (`YYYY-MM-DD`, UTC), widened to its period's start. Default:
    /// 11 periods before `to`'s.
    pub from: Option<String>,
    /// Last day of the range (`YYYY-MM-DD`, UTC), widened to its period's end. Default: today.
    pub to: Option<String>,
    /// Days without an order after which a customer counts as churned, 1 to 3650
    /// (default 90).
    pub inactive_days: Option<i64>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ChurnReport {
    /// The reporting currency of the periods' `revenue` and `margin`.
    pub currency: String,
    /// `month` or `week`.
    pub period: String,
    pub starts_at: DateTime<Utc>,
    /// End (exclusive) of the last period (UTC).
    pub ends_before: DateTime<Utc>,
    pub inactive_days: i32,
    pub repeat: RepeatPurchases,
    pub periods: Vec<ChurnPeriod>,
    /// Null when no BG/NBD model is fitted.
    pub expected: Option<ExpectedChurn>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct RepeatPurchases {
    /// Customers whose first purchase falls in the range.
    pub customers: i64,
    /// Of them, those with a second purchase day by the range's end.
    pub repeat_customers: i64,
    /// `repeat_customers / customers` (0 without customers).
    pub repeat_purchase_rate: f64,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ChurnPeriod {
    /// `2026-03` or `2026-W10`.
    pub period: String,
    pub starts_at: DateTime<Utc>,
    pub ends_before: DateTime<Utc>,
    pub active_customers: i64,
    pub new_customers: i64,
    pub retained_customers: i64,
    pub reactivated_customers: i64,
    pub lost_customers: i64,
    /// Customers not churned at the period's start.
    pub customers_at_start: i64,
    /// Of `customers_at_start`, those churned at its end.
    pub churned_customers: i64,
    /// `churned_customers / customers_at_start` (0 without customers).
    pub churn_rate: f64,
    /// Customers not churned at the period's end (new ones included).
    pub customers_at_end: i64,
    /// Net revenue of every live customer's purchases in the period, minor units of the
    /// reporting currency.
    #[graphql(
        skip,
        derived(name = "revenue", into = "crate::graphql::scalars::Long", owned)
    )]
    pub revenue: i64,
    /// The costed orders' revenue less their cost, plus the other orders' revenue times the
    /// workspace's `default_margin_percent`, minor units of the reporting currency.
    #[graphql(
        skip,
        derived(name = "margin", into = "crate::graphql::scalars::Long", owned)
    )]
    pub margin: i64,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ExpectedChurn {
    /// The model version the stored predictions come from.
    pub model_version: i64,
    pub model_as_of: DateTime<Utc>,
    /// Buyers with a stored prediction.
    pub customers: i64,
    /// Sum of their churn probabilities (1 - P(alive)).
    pub expected_customers_lost: f64,
    /// `expected_customers_lost / customers` (0 without customers).
    pub expected_churn_rate: f64,
}

pub async fn report(
    state: &AppState,
    principal: &Principal,
    query: ChurnQuery,
) -> Result<ChurnReport, ApiError> {
    principal.require(Scope::AnalyticsRead)?;
    let w = window(
        query.period.as_deref(),
        query.from.as_deref(),
        query.to.as_deref(),
    )?;
    let inactive_days = match query.inactive_days {
        None => DEFAULT_INACTIVE_DAYS,
        Some(n) => i32::try_from(n)
            .ok()
            .filter(|n| (1..=3650).contains(n))
            .ok_or_else(|| ApiError::field("inactive_days", "must be between 1 and 3650"))?,
    };
    let ws = principal.workspace_id.clone();
    let load_from = w
        .period
        .start_day(w.first - 1)
        .min(w.from_day().saturating_sub(inactive_days));
    let to_day = w.to_day();
    let (from_day, b) = (w.from_day(), bucket(w.period));
    let (settings, days, sums, model, predicted) = state
        .db
        .run(move |conn| {
            let settings = load_settings(conn, &ws)?;
            let days = store::purchase_days(conn, &ws, load_from, to_day)?;
            let sums = store::period_sums(conn, &ws, b, from_day, to_day)?;
            let model = value_store::current_model(conn, &ws)?.filter(|m| m.bgnbd.is_some());
            let predicted = match model {
                Some(_) => Some(store::expected_lost(conn, &ws)?),
                None => None,
            };
            Ok((settings, days, sums, model, predicted))
        })
        .await?;
    // Tabulating every buyer-day of the window is CPU work: off the request threads.
    crate::service::cpu_bound(move || {
        let (repeat, mut periods) = tabulate(&w, &days, inactive_days);
        for (p, index) in periods.iter_mut().zip(w.indexes()) {
            if let Some(s) = sums.iter().find(|s| s.period == index) {
                p.revenue = s.revenue;
                p.margin = margin(
                    s.revenue,
                    s.costed_revenue,
                    s.cost,
                    settings.default_margin_percent,
                );
            }
        }
        let expected = model
            .zip(predicted)
            .map(|(m, (customers, lost))| ExpectedChurn {
                model_version: m.version,
                model_as_of: utc(m.as_of),
                customers,
                expected_customers_lost: lost,
                expected_churn_rate: if customers > 0 {
                    lost / customers as f64
                } else {
                    0.0
                },
            });
        Ok(ChurnReport {
            currency: settings.reporting_currency,
            period: w.period.as_str().to_owned(),
            starts_at: day_start(w.from_day()),
            ends_before: day_start(to_day.saturating_add(1)),
            inactive_days,
            repeat,
            periods,
            expected,
        })
    })
    .await
}

/// The repeat purchases and the periods' tables from `(account, first day, day)` rows
/// sorted by account then day.
fn tabulate(
    w: &Window,
    days: &[(String, i32, i32)],
    inactive_days: i32,
) -> (RepeatPurchases, Vec<ChurnPeriod>) {
    let indexes = w.indexes();
    let mut growth = vec![Growth::default(); indexes.len()];
    let mut churn = vec![Inactivity::default(); indexes.len()];
    let (mut customers, mut repeaters) = (0i64, 0i64);
    let mut own: Vec<i32> = Vec::new();
    let mut start = 0;
    while start < days.len() {
        let account = &days[start].0;
        let first_day = days[start].1;
        let end = days[start..]
            .iter()
            .position(|d| &d.0 != account)
            .map_or(days.len(), |n| start + n);
        own.clear();
        own.extend(days[start..end].iter().map(|d| d.2));
        add_customer(
            w.period,
            &indexes,
            first_day,
            &own,
            inactive_days,
            &mut growth,
            &mut churn,
        );
        if (w.from_day()..=w.to_day()).contains(&first_day) {
            customers += 1;
            if own.len() > 1 {
                repeaters += 1;
            }
        }
        start = end;
    }
    let p = w.period;
    let periods = indexes
        .iter()
        .zip(growth.iter().zip(churn.iter()))
        .map(|(&index, (g, c))| ChurnPeriod {
            period: p.label(index),
            starts_at: day_start(p.start_day(index)),
            ends_before: day_start(p.end_day(index).saturating_add(1)),
            active_customers: g.active,
            new_customers: g.new,
            retained_customers: g.retained,
            reactivated_customers: g.reactivated,
            lost_customers: g.lost,
            customers_at_start: c.base,
            churned_customers: c.churned,
            churn_rate: share(c.churned, c.base),
            customers_at_end: c.active_at_end,
            revenue: 0,
            margin: 0,
        })
        .collect();
    let repeat = RepeatPurchases {
        customers,
        repeat_customers: repeaters,
        repeat_purchase_rate: share(repeaters, customers),
    };
    (repeat, periods)
}

impl ChurnReport {
    /// One CSV row per period.
    pub fn to_csv(&self) -> String {
        let header = [
            "period_kind",
            "period",
            "period_starts_at",
            "period_ends_before",
            "inactive_days",
            "active_customers",
            "new_customers",
            "retained_customers",
            "reactivated_customers",
            "lost_customers",
            "customers_at_start",
            "churned_customers",
            "churn_rate",
            "customers_at_end",
            "revenue",
            "margin",
        ];
        let rows: Vec<Vec<String>> = self
            .periods
            .iter()
            .map(|p| {
                vec![
                    self.period.clone(),
                    p.period.clone(),
                    p.starts_at.to_rfc3339(),
                    p.ends_before.to_rfc3339(),
                    self.inactive_days.to_string(),
                    p.active_customers.to_string(),
                    p.new_customers.to_string(),
                    p.retained_customers.to_string(),
                    p.reactivated_customers.to_string(),
                    p.lost_customers.to_string(),
                    p.customers_at_start.to_string(),
                    p.churned_customers.to_string(),
                    p.churn_rate.to_string(),
                    p.customers_at_end.to_string(),
                    p.revenue.to_string(),
                    p.margin.to_string(),
                ]
            })
            .collect();
        super::csv::document(&header, &rows)
    }
}
