//! `/v1/analytics/satisfaction`: NPS, CSAT and CES over time, by touchpoint and channel,
//! with response counts and a 95 % interval for NPS; complaint volume, service levels met,
//! time to first response and to resolution (median, p90) and compensation by category;
//! what satisfaction does to value (churn and revenue in the 90 days after a customer's
//! latest NPS response, per category); and detractors ranked by value at risk.
//!
//! Responses are counted in SQL (one grouped scan per report: a few hundred rows come back,
//! however many responses there are) and summed here.
//!
//! NPS interval: each response scores +1 (promoter, 9-10), 0 (passive, 7-8) or -1
//! (detractor, 0-6); NPS = 100 (P - D) / n is 100 times their mean, whose variance is
//! `(p_P + p_D - (p_P - p_D)^2) / n` (the variance of the promoter/detractor difference);
//! the interval is `NPS ± 1.96 · 100 · sqrt(variance)`, clamped to [-100, 100]
//! (`rapport_domain::feedback::nps_summary`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::feedback::{nps_summary, quantile};
use rapport_persistence::complaints as complaint_store;
use rapport_persistence::feedback::{self as store, Period, ScoreCell};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::economics::{day_start, window};
use crate::service::{now, stored};
use crate::state::AppState;

/// Customers a value comparison needs a full 90 days after their response.
pub const VALUE_HORIZON_DAYS: i64 = 90;

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SatisfactionQuery {
    /// `month` (default) or `week` (ISO weeks, Monday to Sunday).
    pub period: Option<String>,
    /// First day (`YYYY-MM-DD`, UTC), widened to its period's start. Default: 11 periods
    /// before `to`'s.
    pub from: Option<String>,
    /// Last day (`YYYY-MM-DD`, UTC), widened to its period's end. Default: today.
    pub to: Option<String>,
    /// Detractors listed, 1 to 500 (default 20).
    pub detractors_limit: Option<i64>,
}

/// Scores of a set of responses.
#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Scores {
    /// Responses with an NPS.
    pub nps_responses: i64,
    pub promoters: i64,
    pub passives: i64,
    pub detractors: i64,
    /// -100 to 100; `null` without NPS responses.
    pub nps: Option<f64>,
    /// The 95 % interval of NPS (see the module documentation for the formula).
    pub nps_low: Option<f64>,
    pub nps_high: Option<f64>,
    pub csat_responses: i64,
    /// Mean CSAT (1-5).
    pub csat_average: Option<f64>,
    /// Share of CSAT responses of 4 or 5.
    pub csat_satisfied_share: Option<f64>,
    pub ces_responses: i64,
    /// Mean CES (1-7).
    pub ces_average: Option<f64>,
}

#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "SatisfactionGroup")]
pub struct Group {
    /// The period (`2026-01`, or the Monday a week starts on), touchpoint or channel
    /// (`none` for responses without one).
    pub key: String,
    pub scores: Scores,
}

#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ComplaintCategoryStats {
    pub category: String,
    pub opened: i64,
    pub resolved: i64,
    /// Still being worked on.
    pub active: i64,
    /// Points paid in compensation.
    #[graphql(
        skip,
        derived(
            name = "compensation_points",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub compensation_points: i64,
    /// Refunds paid in compensation, minor units of the reporting currency.
    #[graphql(
        skip,
        derived(
            name = "compensation_refunds",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub compensation_refunds: i64,
}

#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ComplaintStats {
    /// Complaints opened in the window.
    pub opened: i64,
    pub resolved: i64,
    pub active: i64,
    /// Share of first responses due (answered, or past their due time) that came in time.
    pub first_response_sla_met: Option<f64>,
    /// Share of resolutions due that came in time.
    pub resolution_sla_met: Option<f64>,
    /// Minutes from opening to the first response (nearest-rank quantiles).
    pub first_response_minutes_median: Option<f64>,
    pub first_response_minutes_p90: Option<f64>,
    /// Minutes from opening to the (latest) resolution.
    pub resolution_minutes_median: Option<f64>,
    pub resolution_minutes_p90: Option<f64>,
    pub by_category: Vec<ComplaintCategoryStats>,
}

/// What the customers of one NPS category did in the 90 days after their latest NPS
/// response in the window (only responses at least 90 days old count).
#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct CategoryValue {
    /// `promoter`, `passive` or `detractor`.
    pub nps_category: String,
    pub customers: i64,
    /// Customers without an order (not fully refunded) in those 90 days.
    pub churned: i64,
    /// `churned / customers`.
    pub churn_rate: Option<f64>,
    /// Net revenue in those 90 days, minor units of the reporting currency.
    #[graphql(
        skip,
        derived(name = "revenue", into = "crate::graphql::scalars::Long", owned)
    )]
    pub revenue: i64,
    /// `revenue / customers`.
    pub revenue_per_customer: Option<f64>,
}

/// A detractor worth saving.
#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct DetractorAtRisk {
    #[graphql(skip, derived(name = "account_id", into = "async_graphql::ID", owned))]
    pub account_id: String,
    pub name: String,
    pub nps: Option<i32>,
    pub nps_at: Option<DateTime<Utc>>,
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
    pub churn_probability: Option<f64>,
    /// Net revenue so far.
    #[graphql(
        skip,
        derived(name = "revenue", into = "crate::graphql::scalars::Long", owned)
    )]
    pub revenue: i64,
    /// The 12-month CLV, or the revenue so far when the model has no prediction.
    #[graphql(
        skip,
        derived(name = "value_at_risk", into = "crate::graphql::scalars::Long", owned)
    )]
    pub value_at_risk: i64,
}

#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct SatisfactionReport {
    /// The reporting currency of every amount.
    pub currency: String,
    /// `month` or `week`.
    pub period: String,
    /// The window: `[starts_at, ends_before)`.
    pub starts_at: DateTime<Utc>,
    pub ends_before: DateTime<Utc>,
    pub overall: Scores,
    /// Periods with responses, oldest first.
    pub over_time: Vec<Group>,
    pub by_touchpoint: Vec<Group>,
    pub by_channel: Vec<Group>,
    pub complaints: ComplaintStats,
    pub value_by_nps_category: Vec<CategoryValue>,
    /// Detractors (latest NPS) ranked by value at risk, highest first.
    pub detractors_at_risk: Vec<DetractorAtRisk>,
}

#[derive(Default, Clone, Copy)]
struct Sums {
    nps: i64,
    promoters: i64,
    detractors: i64,
    csat: i64,
    csat_sum: i64,
    csat_satisfied: i64,
    ces: i64,
    ces_sum: i64,
}

impl Sums {
    fn add(&mut self, c: &ScoreCell) {
        self.nps += c.nps_responses;
        self.promoters += c.promoters;
        self.detractors += c.detractors;
        self.csat += c.csat_responses;
        self.csat_sum += c.csat_sum;
        self.csat_satisfied += c.csat_satisfied;
        self.ces += c.ces_responses;
        self.ces_sum += c.ces_sum;
    }

    fn scores(&self) -> Scores {
        let passives = self.nps - self.promoters - self.detractors;
        let s = nps_summary(self.promoters, passives, self.detractors);
        let ratio = |a: i64, b: i64| (b > 0).then(|| a as f64 / b as f64);
        Scores {
            nps_responses: self.nps,
            promoters: self.promoters,
            passives,
            detractors: self.detractors,
            nps: s.nps,
            nps_low: s.low,
            nps_high: s.high,
            csat_responses: self.csat,
            csat_average: ratio(self.csat_sum, self.csat),
            csat_satisfied_share: ratio(self.csat_satisfied, self.csat),
            ces_responses: self.ces,
            ces_average: ratio(self.ces_sum, self.ces),
        }
    }
}

fn groups(map: BTreeMap<String, Sums>) -> Vec<Group> {
    map.into_iter()
        .map(|(key, s)| Group {
            key,
            scores: s.scores(),
        })
        .collect()
}

fn minutes(sorted_seconds: &[i64], q: f64) -> Option<f64> {
    quantile(sorted_seconds, q).map(|s| s as f64 / 60.0)
}

pub async fn report(
    state: &AppState,
    principal: &Principal,
    query: SatisfactionQuery,
) -> Result<SatisfactionReport, ApiError> {
    principal.require(Scope::AnalyticsRead)?;
    let w = window(
        query.period.as_deref(),
        query.from.as_deref(),
        query.to.as_deref(),
    )?;
    let limit = query.detractors_limit.unwrap_or(20);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::field("detractors_limit", "must be 1 to 500"));
    }
    let period = match w.period {
        rapport_domain::economics::Period::Week => Period::Week,
        rapport_domain::economics::Period::Month => Period::Month,
    };
    let starts_at = day_start(w.from_day());
    let ends_before = day_start(w.to_day() + 1);
    let (from, to) = (stored(starts_at), stored(ends_before));
    let ws = principal.workspace_id.clone();
    state
        .db
        .run(move |conn| {
            let at = now();
            let currency = crate::service::value::load_settings(conn, &ws)?.reporting_currency;
            let cells = store::score_cells(conn, &ws, from, to, period)?;
            let mut overall = Sums::default();
            let mut by_period: BTreeMap<String, Sums> = BTreeMap::new();
            let mut by_touchpoint: BTreeMap<String, Sums> = BTreeMap::new();
            let mut by_channel: BTreeMap<String, Sums> = BTreeMap::new();
            for c in &cells {
                overall.add(c);
                by_period.entry(c.period.clone()).or_default().add(c);
                by_touchpoint
                    .entry(c.touchpoint.clone())
                    .or_default()
                    .add(c);
                by_channel
                    .entry(c.channel.clone().unwrap_or_else(|| "none".into()))
                    .or_default()
                    .add(c);
            }
            // Complaints.
            let counts = complaint_store::category_counts(conn, &ws, from, to, at)?;
            let first = complaint_store::durations(conn, &ws, from, to, false)?;
            let resolved = complaint_store::durations(conn, &ws, from, to, true)?;
            let total =
                |f: fn(&complaint_store::CategoryCounts) -> i64| counts.iter().map(f).sum::<i64>();
            let share = |a: i64, b: i64| (b > 0).then(|| a as f64 / b as f64);
            let complaints = ComplaintStats {
                opened: total(|c| c.opened),
                resolved: total(|c| c.resolved),
                active: total(|c| c.active),
                first_response_sla_met: share(
                    total(|c| c.first_response_met),
                    total(|c| c.first_response_due),
                ),
                resolution_sla_met: share(total(|c| c.resolution_met), total(|c| c.resolution_due)),
                first_response_minutes_median: minutes(&first, 0.5),
                first_response_minutes_p90: minutes(&first, 0.9),
                resolution_minutes_median: minutes(&resolved, 0.5),
                resolution_minutes_p90: minutes(&resolved, 0.9),
                by_category: counts
                    .iter()
                    .map(|c| ComplaintCategoryStats {
                        category: c.category.clone(),
                        opened: c.opened,
                        resolved: c.resolved,
                        active: c.active,
                        compensation_points: c.points,
                        compensation_refunds: c.refunds,
                    })
                    .collect(),
            };
            // Satisfaction and value: responses with their full 90 days behind them.
            let mature = at - chrono::Duration::days(VALUE_HORIZON_DAYS);
            let value_to = to.min(mature);
            let values = if value_to > from {
                store::value_by_category(conn, &ws, from, value_to)?
            } else {
                Vec::new()
            };
            let value_by_nps_category = ["promoter", "passive", "detractor"]
                .iter()
                .map(|cat| {
                    let v = values.iter().find(|v| v.nps_category == *cat);
                    let customers = v.map_or(0, |v| v.customers);
                    let churned = v.map_or(0, |v| v.churned);
                    let revenue = v.map_or(0, |v| v.revenue);
                    CategoryValue {
                        nps_category: (*cat).to_owned(),
                        customers,
                        churned,
                        churn_rate: share(churned, customers),
                        revenue,
                        revenue_per_customer: share(revenue, customers),
                    }
                })
                .collect();
            let detractors_at_risk = store::detractors_by_value(conn, &ws, limit)?
                .into_iter()
                .map(|d| DetractorAtRisk {
                    account_id: d.account_id,
                    name: d.name,
                    nps: d.nps,
                    nps_at: d.nps_at.map(crate::service::utc),
                    clv: d.clv,
                    churn_probability: d.churn_probability,
                    revenue: d.revenue,
                    value_at_risk: d.value_at_risk,
                })
                .collect();
            Ok(SatisfactionReport {
                currency,
                period: match period {
                    Period::Month => "month".into(),
                    Period::Week => "week".into(),
                },
                starts_at,
                ends_before,
                overall: overall.scores(),
                over_time: groups(by_period),
                by_touchpoint: groups(by_touchpoint),
                by_channel: groups(by_channel),
                complaints,
                value_by_nps_category,
                detractors_at_risk,
            })
        })
        .await
}
