//! `GET /v1/campaigns/{id}/results`: per arm, members, buyers, conversion, revenue and margin
//! per member, incremental revenue and margin, uplift with intervals and p-values, ROMI, and
//! the same by RFM segment and by risk band at launch. Live while the window is open.
//!
//! Conversion: a member converts with an order (or, with `conversion_category`, an order with
//! a line item of that category) in `[launched_at, ends_at)` that still counts (not fully
//! refunded). Revenue is the orders' net reporting amount after refunds; margin is net
//! revenue minus net cost over the orders sent with a cost. Each member keeps running sums of
//! its orders in the window, maintained as orders are written ([`super::attribution`]), so
//! the sums per arm are one pass over the members
//! (`rapport_persistence::campaigns::member_sums`); the statistics are
//! `rapport_domain::campaigns::stats` (Welch's t-test, two-proportion z-test).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::campaigns::stats::{self, ArmSummary, ArmTotals, Comparison, Uplift};
use rapport_persistence::campaigns::{self as store, ArmSums};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{load, settle};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::{now, utc};
use crate::state::AppState;

/// One arm's results.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ArmResult {
    pub members: i64,
    /// Members with at least one converting order in the window.
    pub buyers: i64,
    pub orders: i64,
    /// buyers / members.
    #[schema(example = 0.124)]
    pub conversion_rate: f64,
    /// Net revenue in the window, minor units of the reporting currency.
    #[graphql(
        skip,
        derived(name = "revenue", into = "crate::graphql::scalars::Long", owned)
    )]
    pub revenue: i64,
    /// revenue / members (non-buyers count as 0).
    pub revenue_per_member: f64,
    #[graphql(
        skip,
        derived(name = "margin", into = "crate::graphql::scalars::Long", owned)
    )]
    pub margin: i64,
    pub margin_per_member: f64,
}

/// Treatment minus control.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct UpliftResult {
    pub difference: f64,
    /// difference / control value (null when that is 0).
    pub relative: Option<f64>,
    /// 95 % confidence interval (null with insufficient data).
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Two-sided (null with insufficient data).
    pub p_value: Option<f64>,
    /// `significant` (p < 0.05), `not_significant` or `insufficient_data`.
    #[schema(example = "significant")]
    pub significance: String,
}

/// The two arms compared, for the whole audience or one group of it.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ArmComparison {
    /// `all`, or the RFM segment / risk band (`unscored`: none at launch).
    #[schema(example = "all")]
    pub group: String,
    pub treatment: ArmResult,
    pub control: ArmResult,
    /// (revenue per treated member − revenue per control member) × treated members.
    #[graphql(
        skip,
        derived(
            name = "incremental_revenue",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub incremental_revenue: i64,
    /// The same for margin.
    #[graphql(
        skip,
        derived(
            name = "incremental_margin",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub incremental_margin: i64,
    /// In conversion rate (absolute, `relative` against control); two-proportion z-test.
    pub conversion_uplift: UpliftResult,
    /// In revenue per member, minor units; Welch's t-test.
    pub revenue_per_member_uplift: UpliftResult,
    /// In margin per member, minor units; Welch's t-test.
    pub margin_per_member_uplift: UpliftResult,
    /// That of revenue per member.
    #[schema(example = "significant")]
    pub significance: String,
}

/// A campaign's results.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct CampaignResults {
    pub campaign_id: String,
    /// `launched` (window open) or `completed`.
    pub status: String,
    pub currency: String,
    pub window_start: DateTime<Utc>,
    pub window_end: DateTime<Utc>,
    /// The window is still open: the figures will move.
    pub window_open: bool,
    /// cost_fixed + cost_per_contact × treated members.
    #[graphql(
        skip,
        derived(name = "cost", into = "crate::graphql::scalars::Long", owned)
    )]
    pub cost: i64,
    /// (incremental margin − cost) / cost; null for a free campaign.
    pub romi: Option<f64>,
    /// Intervals and p-values need this many members in each arm…
    pub min_members_per_arm: i64,
    /// …and this many buyers in each arm.
    pub min_buyers_per_arm: i64,
    pub total: ArmComparison,
    pub by_rfm_segment: Vec<ArmComparison>,
    pub by_risk_band: Vec<ArmComparison>,
}

fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

fn arm(s: &ArmSummary) -> ArmResult {
    ArmResult {
        members: s.totals.members,
        buyers: s.totals.buyers,
        orders: s.totals.orders,
        conversion_rate: finite(s.conversion_rate),
        revenue: s.totals.revenue,
        revenue_per_member: finite(s.revenue_per_member),
        margin: s.totals.margin,
        margin_per_member: finite(s.margin_per_member),
    }
}

fn uplift(u: &Uplift) -> UpliftResult {
    let ok = |x: Option<f64>| x.filter(|v| v.is_finite());
    UpliftResult {
        difference: finite(u.difference),
        relative: ok(u.relative),
        ci_low: ok(u.ci_low),
        ci_high: ok(u.ci_high),
        p_value: ok(u.p_value),
        significance: u.significance.as_str().to_owned(),
    }
}

fn comparison(group: String, c: &Comparison) -> ArmComparison {
    ArmComparison {
        group,
        treatment: arm(&c.treatment),
        control: arm(&c.control),
        incremental_revenue: c.incremental_revenue,
        incremental_margin: c.incremental_margin,
        conversion_uplift: uplift(&c.conversion),
        revenue_per_member_uplift: uplift(&c.revenue_per_member),
        margin_per_member_uplift: uplift(&c.margin_per_member),
        significance: c.significance.as_str().to_owned(),
    }
}

/// Sums being rolled up (wide: the parts of a breakdown add up to the total).
#[derive(Debug, Clone, Copy, Default)]
struct Rollup {
    members: i64,
    buyers: i64,
    orders: i64,
    revenue: i128,
    revenue_sq: f64,
    margin: i128,
    margin_sq: f64,
}

impl Rollup {
    fn add(&mut self, s: &ArmSums) {
        self.members = self.members.saturating_add(s.members);
        self.buyers = self.buyers.saturating_add(s.buyers);
        self.orders = self.orders.saturating_add(s.orders);
        self.revenue += s.revenue();
        self.revenue_sq += s.revenue_sq;
        self.margin += s.margin();
        self.margin_sq += s.margin_sq;
    }

    fn totals(&self) -> ArmTotals {
        let wide = |v: i128| i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX });
        ArmTotals {
            members: self.members,
            buyers: self.buyers,
            orders: self.orders,
            revenue: wide(self.revenue),
            revenue_sq: self.revenue_sq,
            margin: wide(self.margin),
            margin_sq: self.margin_sq,
        }
    }
}

/// The rows rolled up by `key`, each group compared (groups in name order, `unscored` last).
fn grouped(rows: &[ArmSums], key: impl Fn(&ArmSums) -> Option<&str>) -> Vec<ArmComparison> {
    let mut groups: BTreeMap<(bool, String), (Rollup, Rollup)> = BTreeMap::new();
    for r in rows {
        let k = match key(r) {
            Some(k) => (false, k.to_owned()),
            None => (true, "unscored".to_owned()),
        };
        let entry = groups.entry(k).or_default();
        if r.arm == "control" {
            entry.1.add(r);
        } else {
            entry.0.add(r);
        }
    }
    groups
        .into_iter()
        .map(|((_, name), (t, c))| comparison(name, &stats::compare(t.totals(), c.totals())))
        .collect()
}

pub async fn results(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<CampaignResults, ApiError> {
    principal.require(Scope::CampaignsRead)?;
    settle(state, principal).await?;
    let (ws, id) = (principal.workspace_id.clone(), id.to_owned());
    state
        .db
        .run(move |conn| {
            rapport_persistence::read_transaction(conn, |conn| {
                let row = load(conn, &ws, &id)?;
                results_of(conn, &ws, row)
            })
        })
        .await
}

/// A launched campaign's results from its row, inside the caller's connection (also used by
/// the next best offer, which reads the uplift of the offer's campaign).
pub fn results_of(
    conn: &mut rapport_persistence::DbConn,
    ws: &str,
    row: rapport_persistence::campaigns::CampaignRow,
) -> Result<CampaignResults, ApiError> {
    let id = row.id.clone();
    let (Some(from), Some(to)) = (row.launched_at, row.ends_at) else {
        return Err(ApiError::conflict(
            "campaign_not_launched",
            "a draft has no results: launch it first",
        ));
    };
    let category = row.conversion_category.as_deref();
    // The members' running sums cover the window they were started for; should the window
    // have been changed since (by hand in the database), the orders are scanned instead.
    let sums = if store::attributed_window(conn, ws, &id)? == Some((from, to)) {
        store::member_sums(conn, ws, &id)?
    } else {
        store::arm_sums(conn, ws, &id, from, to, category)?
    };
    let overall = grouped(&sums, |_| Some("all")).into_iter().next();
    let total = overall.unwrap_or_else(|| {
        comparison(
            "all".into(),
            &stats::compare(ArmTotals::default(), ArmTotals::default()),
        )
    });
    let cost =
        i128::from(row.cost_fixed) + i128::from(row.cost_per_contact) * i128::from(row.treated);
    let cost = i64::try_from(cost).unwrap_or(i64::MAX);
    Ok(CampaignResults {
        campaign_id: row.id,
        status: row.status,
        currency: row.currency,
        window_start: utc(from),
        window_end: utc(to),
        window_open: now() < to,
        cost,
        romi: stats::romi(total.incremental_margin, cost).filter(|r| r.is_finite()),
        min_members_per_arm: stats::MIN_MEMBERS,
        min_buyers_per_arm: stats::MIN_BUYERS,
        total,
        by_rfm_segment: grouped(&sums, |s| s.rfm_segment.as_deref()),
        by_risk_band: grouped(&sums, |s| s.risk_band.as_deref()),
    })
}
