//! `/v1/analytics/satisfaction`: NPS, CSAT and CES over time, by touchpoint, channel, RFM
//! segment, loyalty tier and owner, with response counts and a 95 % interval for NPS;
//! complaint volume, service levels met, time to first response and to resolution (median,
//! p90) and compensation by category; what satisfaction does to value (churn and revenue in
//! the 90 days after a customer's latest NPS response, per category, and after a
//! complainant's latest resolution, within its SLA or not); and detractors ranked by value
//! at risk.
//!
//! Over time, by touchpoint and by channel read the daily rollup `feedback_daily` (kept in
//! every response's transaction: at most one row per day, touchpoint and channel), minus
//! the responses of accounts deleted now (a deleted account's responses are hidden, not
//! removed, so an undelete brings them back). Segment, tier and owner are the account's
//! *current* ones, not those at response time, so they come from the per-account monthly
//! rollup `feedback_account_months` (one row per account and month with responses, kept in
//! the same transaction and rebuilt by a merge) joined to the live accounts: the window's
//! whole months from it, the partial months at its edges from the responses. The value by
//! NPS category finds each customer's latest response the same way (each account-month
//! keeps its latest NPS response).
//!
//! The report reads one snapshot, with room in PostgreSQL's `work_mem` for its sorts and no
//! JIT compilation. On PostgreSQL it reads it in three parts of about the same cost side by
//! side, one connection each, the snapshot shared between them (`store::analytics_read_parts`,
//! `pg_export_snapshot`): the scores, the value by NPS category, and the complaints with the
//! value by resolution SLA and the detractors. SQLite runs the three one after another in one
//! read transaction.
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
use rapport_persistence::feedback::{self as store, Accounts, Counts, Period};
use rapport_persistence::DbConn;
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
    /// The period (`2026-01`, or the Monday a week starts on), touchpoint, channel, RFM
    /// segment, loyalty tier name or owner's user id (`none` for responses without one).
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

/// What complainants did in the 90 days after the resolution of their latest complaint
/// resolved in the window (only resolutions at least 90 days old count).
#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ResolutionValue {
    /// `within_sla` (resolved by its resolution due time) or `breached`.
    pub resolution: String,
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
    /// By the account's current RFM segment (not the one at response time).
    pub by_rfm_segment: Vec<Group>,
    /// By the account's current loyalty tier (`none`: not a member).
    pub by_tier: Vec<Group>,
    /// By the account's current owner (user id).
    pub by_owner: Vec<Group>,
    pub complaints: ComplaintStats,
    pub value_by_nps_category: Vec<CategoryValue>,
    /// Complainants by whether their latest resolution met its SLA.
    pub value_by_resolution_sla: Vec<ResolutionValue>,
    /// Detractors (latest NPS) ranked by value at risk, highest first.
    pub detractors_at_risk: Vec<DetractorAtRisk>,
}

#[derive(Default, Clone, Copy)]
struct Sums {
    responses: i64,
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
    /// Adds (`sign` 1) or takes away (`sign` -1) a set of responses.
    fn add(&mut self, c: &Counts, sign: i64) {
        self.responses += sign * c.responses;
        self.nps += sign * c.nps_responses;
        self.promoters += sign * c.promoters;
        self.detractors += sign * c.detractors;
        self.csat += sign * c.csat_responses;
        self.csat_sum += sign * c.csat_sum;
        self.csat_satisfied += sign * c.csat_satisfied;
        self.ces += sign * c.ces_responses;
        self.ces_sum += sign * c.ces_sum;
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

/// The groups with responses (a group whose responses all belong to deleted accounts is
/// left out, as a count over live accounts would).
fn groups(map: BTreeMap<String, Sums>) -> Vec<Group> {
    map.into_iter()
        .filter(|(_, s)| s.responses > 0)
        .map(|(key, s)| Group {
            key,
            scores: s.scores(),
        })
        .collect()
}

fn value_of(values: &[store::GroupValue], group: &str) -> (i64, i64, i64) {
    values
        .iter()
        .find(|v| v.group == group)
        .map_or((0, 0, 0), |v| (v.customers, v.churned, v.revenue))
}

fn share(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
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
    let (from_day, to_day) = (w.from_day(), w.to_day() + 1);
    let ws = principal.workspace_id.clone();
    state
        .db
        .run_many(3, move |conns| {
            let at = now();
            // Satisfaction and value: responses with their full 90 days behind them.
            let mature = at - chrono::Duration::days(VALUE_HORIZON_DAYS);
            let value_to = to.min(mature);
            let valued = value_to > from;
            let (mut scores, mut values, mut service) = (None, None, None);
            // Three parts of about the same cost, side by side on one snapshot.
            let ws = &ws;
            store::analytics_read_parts::<ApiError>(
                conns,
                vec![
                    Box::new(|conn| {
                        scores = Some(score_part(
                            conn,
                            ws,
                            (from, to),
                            (from_day, to_day),
                            period,
                        )?);
                        Ok(())
                    }),
                    Box::new(|conn| {
                        values = Some(if valued {
                            store::value_by_category(conn, ws, from, value_to)?
                        } else {
                            Vec::new()
                        });
                        Ok(())
                    }),
                    Box::new(|conn| {
                        service = Some(service_part(
                            conn,
                            ws,
                            (from, to),
                            at,
                            valued.then_some(value_to),
                            limit,
                        )?);
                        Ok(())
                    }),
                ],
            )?;
            let missing = || ApiError::internal("a part of the satisfaction report did not run");
            let scores = scores.ok_or_else(missing)?;
            let values = values.ok_or_else(missing)?;
            let (complaints, resolutions, detractors_at_risk) = service.ok_or_else(missing)?;
            let value_by_nps_category = ["promoter", "passive", "detractor"]
                .iter()
                .map(|cat| {
                    let (customers, churned, revenue) = value_of(&values, cat);
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
            let value_by_resolution_sla = ["within_sla", "breached"]
                .iter()
                .map(|group| {
                    let (customers, churned, revenue) = value_of(&resolutions, group);
                    ResolutionValue {
                        resolution: (*group).to_owned(),
                        customers,
                        churned,
                        churn_rate: share(churned, customers),
                        revenue,
                        revenue_per_customer: share(revenue, customers),
                    }
                })
                .collect();
            Ok(SatisfactionReport {
                currency: scores.currency,
                period: match period {
                    Period::Month => "month".into(),
                    Period::Week => "week".into(),
                },
                starts_at,
                ends_before,
                overall: scores.overall.scores(),
                over_time: groups(scores.by_period),
                by_touchpoint: groups(scores.by_touchpoint),
                by_channel: groups(scores.by_channel),
                by_rfm_segment: groups(scores.by_segment),
                by_tier: groups(scores.by_tier),
                by_owner: groups(scores.by_owner),
                complaints,
                value_by_nps_category,
                value_by_resolution_sla,
                detractors_at_risk,
            })
        })
        .await
}

/// The scores' part of the report: overall, over time, by touchpoint and channel (the daily
/// rollup minus deleted accounts' responses), by the accounts' current RFM segment, tier and
/// owner (the account months), and the reporting currency.
#[derive(Default)]
struct ScorePart {
    currency: String,
    overall: Sums,
    by_period: BTreeMap<String, Sums>,
    by_touchpoint: BTreeMap<String, Sums>,
    by_channel: BTreeMap<String, Sums>,
    by_segment: BTreeMap<String, Sums>,
    by_tier: BTreeMap<String, Sums>,
    by_owner: BTreeMap<String, Sums>,
}

fn score_part(
    conn: &mut DbConn,
    ws: &str,
    (from, to): (chrono::NaiveDateTime, chrono::NaiveDateTime),
    (from_day, to_day): (i32, i32),
    period: Period,
) -> Result<ScorePart, ApiError> {
    let mut part = ScorePart {
        currency: crate::service::value::load_settings(conn, ws)?.reporting_currency,
        ..ScorePart::default()
    };
    // Every response of the window from the rollup, minus deleted accounts' ones.
    let rolled = store::rolled_score_cells(conn, ws, from_day, to_day, period)?;
    let hidden = store::score_cells(conn, ws, from, to, period, Accounts::Deleted)?;
    let signed = rolled
        .iter()
        .map(|c| (c, 1))
        .chain(hidden.iter().map(|c| (c, -1)));
    for (c, sign) in signed {
        part.overall.add(&c.counts, sign);
        part.by_period
            .entry(c.period.clone())
            .or_default()
            .add(&c.counts, sign);
        part.by_touchpoint
            .entry(c.touchpoint.clone())
            .or_default()
            .add(&c.counts, sign);
        part.by_channel
            .entry(c.channel.clone().unwrap_or_else(|| "none".into()))
            .or_default()
            .add(&c.counts, sign);
    }
    // The accounts' current segment, tier and owner.
    let tiers = crate::service::rule_segments::compiled::context(conn, ws, &[])?.tiers;
    for c in store::account_cells(conn, ws, from, to)? {
        let none = || "none".to_owned();
        part.by_segment
            .entry(c.rfm_segment.clone().unwrap_or_else(none))
            .or_default()
            .add(&c.counts, 1);
        let tier = c.tier.map_or_else(none, |t| {
            usize::try_from(t)
                .ok()
                .and_then(|i| tiers.get(i).cloned())
                .unwrap_or_else(|| t.to_string())
        });
        part.by_tier.entry(tier).or_default().add(&c.counts, 1);
        part.by_owner
            .entry(c.owner_id.clone().unwrap_or_else(none))
            .or_default()
            .add(&c.counts, 1);
    }
    Ok(part)
}

/// The service part of the report: complaints, the value by resolution SLA (when `value_to`,
/// the end of the matured window, is given) and the detractors at risk.
fn service_part(
    conn: &mut DbConn,
    ws: &str,
    (from, to): (chrono::NaiveDateTime, chrono::NaiveDateTime),
    at: chrono::NaiveDateTime,
    value_to: Option<chrono::NaiveDateTime>,
    limit: i64,
) -> Result<(ComplaintStats, Vec<store::GroupValue>, Vec<DetractorAtRisk>), ApiError> {
    // Complaints.
    let counts = complaint_store::category_counts(conn, ws, from, to, at)?;
    let first = complaint_store::durations(conn, ws, from, to, false)?;
    let resolved = complaint_store::durations(conn, ws, from, to, true)?;
    let total = |f: fn(&complaint_store::CategoryCounts) -> i64| counts.iter().map(f).sum::<i64>();
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
    let resolutions = match value_to {
        Some(value_to) => store::value_by_resolution_sla(conn, ws, from, value_to)?,
        None => Vec::new(),
    };
    let detractors_at_risk = store::detractors_by_value(conn, ws, limit)?
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
    Ok((complaints, resolutions, detractors_at_risk))
}
