//! `GET /v1/analytics/cohorts`: retention cohorts.
//!
//! A cohort is the customers whose first purchase day (of the orders that still count: a
//! fully refunded first order does not make a customer) falls in one period, optionally
//! split by acquisition channel. For each period `k` since (0 = the cohort's own period) up
//! to the report's last period:
//! - `active_customers`: cohort members who bought in period k; `retention` = that share of
//!   the cohort ("classic" retention);
//! - `rolling_customers`: members who bought in period k or any later period up to the
//!   report's end; `rolling_retention` = that share ("rolling" retention, never rising
//!   with k);
//! - `revenue` and `margin` of the period's purchases net of refunds, their running totals
//!   and the running totals per cohort member. Margin is the costed orders' revenue less
//!   their cost, plus the other orders' revenue times the workspace's
//!   `default_margin_percent`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::economics::{margin, per, share};
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
pub struct CohortQuery {
    /// `month` (default) or `week` (ISO weeks, Monday to Sunday).
    pub period: Option<String>,
    /// First day of the first cohort (`YYYY-MM-DD`, UTC), widened to its period's start.
    /// Default: 11 periods before `to`'s.
    pub from: Option<String>,
    /// Last day observed (`YYYY-MM-DD`, UTC), widened to its period's end. Default: today.
    pub to: Option<String>,
    /// `acquisition_channel` splits each cohort by the accounts' acquisition channel,
    /// `first_order_channel` by the channel of each customer's first order that was not
    /// fully refunded.
    pub group_by: Option<String>,
}

/// The retention cohorts of a range of periods.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct CohortReport {
    /// The reporting currency of every amount.
    pub currency: String,
    /// `month` or `week`.
    pub period: String,
    /// Start of the first cohort's period (UTC).
    pub starts_at: DateTime<Utc>,
    /// End (exclusive) of the last period observed (UTC).
    pub ends_before: DateTime<Utc>,
    /// `acquisition_channel` or `first_order_channel` when split by channel.
    pub group_by: Option<String>,
    /// The margin assumed for orders sent without a cost, in percent.
    pub default_margin_percent: f64,
    pub cohorts: Vec<Cohort>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Cohort {
    /// The period of the first purchase: `2026-01` or `2026-W02`.
    pub cohort: String,
    pub starts_at: DateTime<Utc>,
    pub ends_before: DateTime<Utc>,
    /// The acquisition channel when grouped by it (null: accounts without one).
    pub acquisition_channel: Option<String>,
    /// The group's channel when grouped (`acquisition_channel` or the first order's
    /// channel, as `group_by` says; null: none).
    pub channel: Option<String>,
    /// Customers whose first purchase falls in the cohort's period.
    pub customers: i64,
    /// Period 0 (the cohort's own) to the report's last period.
    pub periods: Vec<CohortPeriod>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct CohortPeriod {
    /// Periods since the cohort's own (0).
    pub period_number: i32,
    /// `2026-03` or `2026-W10`.
    pub period: String,
    pub starts_at: DateTime<Utc>,
    pub ends_before: DateTime<Utc>,
    /// Cohort members who bought in this period.
    pub active_customers: i64,
    /// `active_customers / customers` (0 for an empty cohort).
    pub retention: f64,
    /// Cohort members who bought in this period or a later one up to the report's end.
    pub rolling_customers: i64,
    /// `rolling_customers / customers` (0 for an empty cohort).
    pub rolling_retention: f64,
    /// Net revenue of the period's purchases, minor units.
    #[graphql(
        skip,
        derived(name = "revenue", into = "crate::graphql::scalars::Long", owned)
    )]
    pub revenue: i64,
    #[graphql(
        skip,
        derived(name = "margin", into = "crate::graphql::scalars::Long", owned)
    )]
    pub margin: i64,
    #[graphql(
        skip,
        derived(
            name = "cumulative_revenue",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub cumulative_revenue: i64,
    #[graphql(
        skip,
        derived(
            name = "cumulative_margin",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub cumulative_margin: i64,
    /// `cumulative_revenue / customers`, rounded to a minor unit.
    #[graphql(
        skip,
        derived(
            name = "cumulative_revenue_per_customer",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub cumulative_revenue_per_customer: i64,
    #[graphql(
        skip,
        derived(
            name = "cumulative_margin_per_customer",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub cumulative_margin_per_customer: i64,
}

const GROUP_BY: [&str; 2] = ["acquisition_channel", "first_order_channel"];

pub async fn report(
    state: &AppState,
    principal: &Principal,
    query: CohortQuery,
) -> Result<CohortReport, ApiError> {
    principal.require(Scope::AnalyticsRead)?;
    let w = window(
        query.period.as_deref(),
        query.from.as_deref(),
        query.to.as_deref(),
    )?;
    if let Some(g) = query.group_by.as_deref() {
        if !GROUP_BY.contains(&g) {
            return Err(ApiError::field(
                "group_by",
                "must be acquisition_channel or first_order_channel",
            ));
        }
    }
    let grouping = match query.group_by.as_deref() {
        Some("acquisition_channel") => store::Grouping::AcquisitionChannel,
        Some(_) => store::Grouping::FirstOrderChannel,
        None => store::Grouping::None,
    };
    let ws = principal.workspace_id.clone();
    let (settings, grid, lasts) = state
        .db
        .run(move |conn| {
            let settings = load_settings(conn, &ws)?;
            let b = bucket(w.period);
            let grid = store::cohort_grid(conn, &ws, b, w.from_day(), w.to_day(), grouping)?;
            let lasts = store::last_periods(conn, &ws, b, w.from_day(), w.to_day(), grouping)?;
            Ok((settings, grid, lasts))
        })
        .await?;
    let mut cohorts = build(&w, &grid, &lasts, settings.default_margin_percent);
    if grouping != store::Grouping::AcquisitionChannel {
        for c in &mut cohorts {
            c.acquisition_channel = None;
        }
    }
    Ok(CohortReport {
        currency: settings.reporting_currency,
        period: w.period.as_str().to_owned(),
        starts_at: day_start(w.from_day()),
        ends_before: day_start(w.to_day().saturating_add(1)),
        group_by: query.group_by,
        default_margin_percent: settings.default_margin_percent,
        cohorts,
    })
}

/// Every cohort of the window (for every channel seen, when grouped), every period filled.
fn build(
    w: &Window,
    grid: &[store::GridCell],
    lasts: &[(i32, i32, String, i64)],
    default_margin_percent: f64,
) -> Vec<Cohort> {
    let mut cells: BTreeMap<(&str, i32, i32), &store::GridCell> = BTreeMap::new();
    // The channels seen (accounts without one: ""); with none, one ungrouped set of rows
    // so that an empty range still shows its cohorts with zeros.
    let mut channels: BTreeSet<&str> = BTreeSet::new();
    for c in grid {
        cells.insert((c.channel.as_str(), c.cohort, c.period), c);
        channels.insert(c.channel.as_str());
    }
    if channels.is_empty() {
        channels.insert("");
    }
    let mut last_counts: BTreeMap<(&str, i32), Vec<(i32, i64)>> = BTreeMap::new();
    for (cohort, last, channel, n) in lasts {
        last_counts
            .entry((channel.as_str(), *cohort))
            .or_default()
            .push((*last, *n));
    }
    let p = w.period;
    let mut out = Vec::new();
    for channel in channels {
        for cohort in w.first..=w.last {
            let customers = cells
                .get(&(channel, cohort, cohort))
                .map_or(0, |c| c.customers);
            let lasts = last_counts.get(&(channel, cohort));
            let (mut cum_revenue, mut cum_margin) = (0i64, 0i64);
            let mut periods = Vec::new();
            for index in cohort..=w.last {
                let cell = cells.get(&(channel, cohort, index));
                let active = cell.map_or(0, |c| c.customers);
                let revenue = cell.map_or(0, |c| c.revenue);
                let m = cell.map_or(0, |c| {
                    margin(c.revenue, c.costed_revenue, c.cost, default_margin_percent)
                });
                cum_revenue = cum_revenue.saturating_add(revenue);
                cum_margin = cum_margin.saturating_add(m);
                let rolling: i64 = lasts.map_or(0, |l| {
                    l.iter()
                        .filter(|(last, _)| *last >= index)
                        .map(|(_, n)| n)
                        .sum()
                });
                periods.push(CohortPeriod {
                    period_number: index - cohort,
                    period: p.label(index),
                    starts_at: day_start(p.start_day(index)),
                    ends_before: day_start(p.end_day(index).saturating_add(1)),
                    active_customers: active,
                    retention: share(active, customers),
                    rolling_customers: rolling,
                    rolling_retention: share(rolling, customers),
                    revenue,
                    margin: m,
                    cumulative_revenue: cum_revenue,
                    cumulative_margin: cum_margin,
                    cumulative_revenue_per_customer: per(cum_revenue, customers),
                    cumulative_margin_per_customer: per(cum_margin, customers),
                });
            }
            out.push(Cohort {
                cohort: p.label(cohort),
                starts_at: day_start(p.start_day(cohort)),
                ends_before: day_start(p.end_day(cohort).saturating_add(1)),
                acquisition_channel: (!channel.is_empty()).then(|| channel.to_owned()),
                channel: (!channel.is_empty()).then(|| channel.to_owned()),
                customers,
                periods,
            });
        }
    }
    out
}

impl CohortReport {
    /// One CSV row per cohort and period.
    pub fn to_csv(&self) -> String {
        let header = [
            "currency",
            "period_kind",
            "cohort",
            "acquisition_channel",
            "cohort_customers",
            "period_number",
            "period",
            "period_starts_at",
            "period_ends_before",
            "active_customers",
            "retention",
            "rolling_customers",
            "rolling_retention",
            "revenue",
            "margin",
            "cumulative_revenue",
            "cumulative_margin",
            "cumulative_revenue_per_customer",
            "cumulative_margin_per_customer",
            "channel",
        ];
        let mut rows = Vec::new();
        for c in &self.cohorts {
            for p in &c.periods {
                rows.push(vec![
                    self.currency.clone(),
                    self.period.clone(),
                    c.cohort.clone(),
                    c.acquisition_channel.clone().unwrap_or_default(),
                    c.customers.to_string(),
                    p.period_number.to_string(),
                    p.period.clone(),
                    p.starts_at.to_rfc3339(),
                    p.ends_before.to_rfc3339(),
                    p.active_customers.to_string(),
                    p.retention.to_string(),
                    p.rolling_customers.to_string(),
                    p.rolling_retention.to_string(),
                    p.revenue.to_string(),
                    p.margin.to_string(),
                    p.cumulative_revenue.to_string(),
                    p.cumulative_margin.to_string(),
                    p.cumulative_revenue_per_customer.to_string(),
                    p.cumulative_margin_per_customer.to_string(),
                    c.channel.clone().unwrap_or_default(),
                ]);
            }
        }
        super::csv::document(&header, &rows)
    }
}
