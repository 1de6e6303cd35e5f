//! `GET /v1/analytics/acquisition`: acquisition economics by channel, over the customers
//! whose first purchase falls in the range (widened to whole UTC months).
//!
//! **CAC rule.** A customer's acquisition cost is the account's own `acquisition_cost`
//! when set (converted to the reporting currency at the workspace's rate). Otherwise the
//! channel's marketing spend for the month of the customer's first purchase
//! (`/v1/marketing-spend`) is shared equally by that month's new customers of the channel
//! who have no cost of their own. A channel's `cac` is its total acquisition cost divided by
//! the customers with a cost (`own_cost_customers + spend_costed_customers`);
//! spend of a month with no such customer is `unallocated_spend`; customers with neither
//! are `uncosted_customers` and do not enter the CAC.
//!
//! `average_revenue` and `average_margin` are historical (net of refunds) per customer;
//! `average_clv` the stored 12-month model CLV of those with a prediction; `clv_to_cac` =
//! `average_clv / cac`; `average_clv_36_months` the 36-month CLV the current model gives
//! each of them at read time (same discounting and margin), and `clv_36_months_to_cac`. `payback_months`: the first n such that the customers'
//! cumulative margin per customer over their first n months (the n-th counted from the
//! month of the first purchase, pooling the cohorts observed that long) reaches the CAC;
//! null when not reached by the range's end.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::economics::{margin, per, Period};
use rapport_domain::value::convert;
use rapport_persistence::economics as store;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{bucket, day_start, window, Window};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::value::load_settings;
use crate::state::AppState;

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AcquisitionQuery {
    /// First day (`YYYY-MM-DD`, UTC), widened to its month's start. Default: 11 months
    /// before `to`'s.
    pub from: Option<String>,
    /// Last day (`YYYY-MM-DD`, UTC), widened to its month's end. Default: today.
    pub to: Option<String>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct AcquisitionReport {
    /// The reporting currency of every amount.
    pub currency: String,
    pub starts_at: DateTime<Utc>,
    /// End (exclusive) of the range's last month.
    pub ends_before: DateTime<Utc>,
    pub default_margin_percent: f64,
    /// Marketing spend of months in which the channel acquired no customer without a cost
    /// of their own.
    #[graphql(
        skip,
        derived(
            name = "unallocated_spend",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub unallocated_spend: i64,
    pub channels: Vec<ChannelEconomics>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ChannelEconomics {
    /// Null: accounts without an acquisition channel.
    pub acquisition_channel: Option<String>,
    /// Customers whose first purchase falls in the range.
    pub customers: i64,
    pub own_cost_customers: i64,
    pub spend_costed_customers: i64,
    pub uncosted_customers: i64,
    /// Total acquisition cost of the customers with a cost.
    #[graphql(
        skip,
        derived(
            name = "acquisition_cost",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub acquisition_cost: i64,
    /// The channel's marketing spend in the range (allocated or not).
    #[graphql(
        skip,
        derived(
            name = "marketing_spend",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub marketing_spend: i64,
    /// `acquisition_cost / (own_cost_customers + spend_costed_customers)`.
    #[graphql(
        skip,
        derived(
            name = "cac",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub cac: Option<i64>,
    #[graphql(
        skip,
        derived(
            name = "average_revenue",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub average_revenue: i64,
    #[graphql(
        skip,
        derived(name = "average_margin", into = "crate::graphql::scalars::Long", owned)
    )]
    pub average_margin: i64,
    /// Customers with a stored CLV prediction.
    pub customers_with_prediction: i64,
    /// Average stored 12-month CLV of `customers_with_prediction`.
    #[graphql(
        skip,
        derived(
            name = "average_clv",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub average_clv: Option<i64>,
    pub clv_to_cac: Option<f64>,
    /// Average 36-month CLV of the customers the current model can score (read time).
    #[graphql(
        skip,
        derived(
            name = "average_clv_36_months",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub average_clv_36_months: Option<i64>,
    /// Customers behind `average_clv_36_months`.
    pub customers_with_clv_36_months: i64,
    pub clv_36_months_to_cac: Option<f64>,
    pub payback_months: Option<i32>,
}

#[derive(Default)]
struct Tally {
    customers: i64,
    own: i64,
    from_spend: i64,
    without: i64,
    cost: i64,
    spend: i64,
    revenue: i64,
    margin: i64,
    with_clv: i64,
    clv: i64,
    with_clv36: i64,
    clv36: i64,
}

pub async fn report(
    state: &AppState,
    principal: &Principal,
    query: AcquisitionQuery,
) -> Result<AcquisitionReport, ApiError> {
    principal.require(Scope::AnalyticsRead)?;
    let w = window(Some("month"), query.from.as_deref(), query.to.as_deref())?;
    let ws = principal.workspace_id.clone();
    let (settings, model, customers, spend, grid) = state
        .db
        .run(move |conn| {
            let settings = load_settings(conn, &ws)?;
            let model = crate::service::value::current_model(conn, &ws)?;
            let (from, to) = (w.from_day(), w.to_day());
            let customers = store::acquired(conn, &ws, from, to)?;
            let p = Period::Month;
            let spend = store::list_spend(conn, &ws, &p.label(w.first), &p.label(w.last))?;
            let grid = store::cohort_grid(
                conn,
                &ws,
                bucket(p),
                from,
                to,
                store::Grouping::AcquisitionChannel,
            )?;
            Ok((settings, model, customers, spend, grid))
        })
        .await?;
    // Tallying every customer of the window is CPU work: off the request threads.
    crate::service::cpu_bound(move || {
        let today = rapport_domain::value::day_of(crate::service::now());
        let p = Period::Month;
        let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
        // New customers without an own cost, per (channel, month label).
        let mut uncosted: BTreeMap<(String, String), i64> = BTreeMap::new();
        let dm = settings.default_margin_percent;
        for c in &customers {
            let channel = c.channel.clone().unwrap_or_default();
            let t = tallies.entry(channel.clone()).or_default();
            t.customers += 1;
            t.revenue = t.revenue.saturating_add(c.revenue);
            t.margin = t
                .margin
                .saturating_add(margin(c.revenue, c.costed_revenue, c.cost, dm));
            if let Some(clv) = c.clv {
                t.with_clv += 1;
                t.clv = t.clv.saturating_add(clv);
            }
            let totals = rapport_domain::value::AccountTotals {
                orders_count: c.orders_count,
                revenue: c.revenue,
                costed_revenue: c.costed_revenue,
                cost: c.cost,
                first_order_at: None,
                last_order_at: None,
                first_day: Some(c.first_day),
                last_day: c.last_day,
                repeat_purchases: c.repeat_purchases,
                repeat_revenue: c.repeat_revenue,
            };
            if let Some(clv36) = model
                .as_ref()
                .and_then(|m| crate::service::value::clv_over(&totals, m, &settings, today, 36))
            {
                t.with_clv36 += 1;
                t.clv36 = t.clv36.saturating_add(clv36);
            }
            let own = c
                .acquisition_cost
                .zip(c.acquisition_cost_currency.as_deref())
                .and_then(|(amount, currency)| {
                    let rate = settings.rate(currency)?;
                    convert(amount, currency, &settings.reporting_currency, rate).ok()
                });
            match own {
                Some(cost) => {
                    t.own += 1;
                    t.cost = t.cost.saturating_add(cost);
                }
                None => {
                    *uncosted
                        .entry((channel, p.label(p.index_of(c.first_day))))
                        .or_default() += 1;
                }
            }
        }
        let mut unallocated = 0i64;
        for s in &spend {
            let n = uncosted
                .get(&(s.channel.clone(), s.month.clone()))
                .copied()
                .unwrap_or(0);
            let t = tallies.entry(s.channel.clone()).or_default();
            t.spend = t.spend.saturating_add(s.amount);
            if n > 0 {
                t.from_spend += n;
                t.cost = t.cost.saturating_add(s.amount);
                uncosted.remove(&(s.channel.clone(), s.month.clone()));
            } else {
                unallocated = unallocated.saturating_add(s.amount);
            }
        }
        for ((channel, _), n) in uncosted {
            tallies.entry(channel).or_default().without += n;
        }
        let channels = tallies
            .into_iter()
            .map(|(channel, t)| {
                let costed = t.own + t.from_spend;
                let cac = (costed > 0).then(|| per(t.cost, costed));
                let average_clv = (t.with_clv > 0).then(|| per(t.clv, t.with_clv));
                let ratio = |clv: Option<i64>| match (clv, cac) {
                    (Some(clv), Some(cac)) if cac > 0 => Some(clv as f64 / cac as f64),
                    _ => None,
                };
                let clv_to_cac = ratio(average_clv);
                let average_clv_36_months = (t.with_clv36 > 0).then(|| per(t.clv36, t.with_clv36));
                let payback_months = cac.and_then(|cac| payback(&w, &grid, &channel, cac, dm));
                ChannelEconomics {
                    acquisition_channel: (!channel.is_empty()).then_some(channel),
                    customers: t.customers,
                    own_cost_customers: t.own,
                    spend_costed_customers: t.from_spend,
                    uncosted_customers: t.without,
                    acquisition_cost: t.cost,
                    marketing_spend: t.spend,
                    cac,
                    average_revenue: per(t.revenue, t.customers),
                    average_margin: per(t.margin, t.customers),
                    customers_with_prediction: t.with_clv,
                    average_clv,
                    clv_to_cac,
                    average_clv_36_months,
                    customers_with_clv_36_months: t.with_clv36,
                    clv_36_months_to_cac: ratio(average_clv_36_months),
                    payback_months,
                }
            })
            .collect();
        Ok(AcquisitionReport {
            currency: settings.reporting_currency,
            starts_at: day_start(w.from_day()),
            ends_before: day_start(w.to_day().saturating_add(1)),
            default_margin_percent: dm,
            unallocated_spend: unallocated,
            channels,
        })
    })
    .await
}

/// The first n (1 = the month of the first purchase) at which the channel's cumulative
/// margin per customer, over the cohorts observed for n months, reaches `cac`.
fn payback(
    w: &Window,
    grid: &[store::GridCell],
    channel: &str,
    cac: i64,
    default_margin_percent: f64,
) -> Option<i32> {
    let cells: Vec<&store::GridCell> = grid.iter().filter(|c| c.channel == channel).collect();
    let size = |cohort: i32| {
        cells
            .iter()
            .find(|c| c.cohort == cohort && c.period == cohort)
            .map_or(0, |c| c.customers)
    };
    for k in 0..=(w.last - w.first) {
        let (mut cum, mut customers) = (0i64, 0i64);
        for cohort in w.first..=(w.last - k) {
            customers += size(cohort);
            for c in cells
                .iter()
                .filter(|c| c.cohort == cohort && c.period <= cohort + k)
            {
                cum = cum.saturating_add(margin(
                    c.revenue,
                    c.costed_revenue,
                    c.cost,
                    default_margin_percent,
                ));
            }
        }
        if customers > 0 && per(cum, customers) >= cac {
            return Some(k + 1);
        }
    }
    None
}

impl AcquisitionReport {
    /// One CSV row per channel.
    pub fn to_csv(&self) -> String {
        let header = [
            "currency",
            "starts_at",
            "ends_before",
            "acquisition_channel",
            "customers",
            "own_cost_customers",
            "spend_costed_customers",
            "uncosted_customers",
            "acquisition_cost",
            "marketing_spend",
            "cac",
            "average_revenue",
            "average_margin",
            "customers_with_prediction",
            "average_clv",
            "clv_to_cac",
            "customers_with_clv_36_months",
            "average_clv_36_months",
            "clv_36_months_to_cac",
            "payback_months",
        ];
        let opt = |v: Option<String>| v.unwrap_or_default();
        let rows: Vec<Vec<String>> = self
            .channels
            .iter()
            .map(|c| {
                vec![
                    self.currency.clone(),
                    self.starts_at.to_rfc3339(),
                    self.ends_before.to_rfc3339(),
                    c.acquisition_channel.clone().unwrap_or_default(),
                    c.customers.to_string(),
                    c.own_cost_customers.to_string(),
                    c.spend_costed_customers.to_string(),
                    c.uncosted_customers.to_string(),
                    c.acquisition_cost.to_string(),
                    c.marketing_spend.to_string(),
                    opt(c.cac.map(|v| v.to_string())),
                    c.average_revenue.to_string(),
                    c.average_margin.to_string(),
                    c.customers_with_prediction.to_string(),
                    opt(c.average_clv.map(|v| v.to_string())),
                    opt(c.clv_to_cac.map(|v| v.to_string())),
                    c.customers_with_clv_36_months.to_string(),
                    opt(c.average_clv_36_months.map(|v| v.to_string())),
                    opt(c.clv_36_months_to_cac.map(|v| v.to_string())),
                    opt(c.payback_months.map(|v| v.to_string())),
                ]
            })
            .collect();
        super::csv::document(&header, &rows)
    }
}
