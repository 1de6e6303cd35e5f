//! The next best offers for one customer (`GET /v1/accounts/{id}/next-best-offers`): the
//! offers the customer may get now (live, active, within their window, budget and caps,
//! meeting the eligibility), ranked by expected incremental margin
//!
//! ```text
//! margin = uplift × expected value − expected cost
//! ```
//!
//! - **uplift**: the relative uplift in revenue per member (treated vs control) that the
//!   offer's campaign measured. For this customer, the cells of its RFM segment and of its
//!   risk band are each shrunk toward the campaign's overall uplift,
//!   `(n × cell + k × overall) / (n + k)` with `n` the cell's members (both arms) and
//!   `k` = 200, then averaged (`rapport_domain::offers::expected_uplift`). A cell with few
//!   members says little and stays near the overall figure.
//!   **Fallback**: an offer without a campaign, or whose campaign has no results yet (a
//!   draft, or no measurable uplift: a control arm without revenue), gets
//!   [`DEFAULT_UPLIFT`] (5 %).
//! - **expected value**: the customer's expected revenue over the next 90 days from the
//!   stored models, `expected_orders_90d × expected_order_value`; without predictions (no
//!   orders, no fitted model) one average order of the customer (0 without orders).
//! - **expected cost**: `p_use × (discount on an expected order + cost_per_redemption)`,
//!   with `p_use = min(1, expected_orders_90d)` (1 without predictions) and the expected
//!   order the model's expected order value (else the average order value).
//!
//! A campaign's results are reused for up to [`EVIDENCE_SECONDS`] (through the shared
//! cache), so a new result moves the ranking within five minutes. Ties rank by offer id.
//! Each result carries its numbers and a one-line explanation.

use rapport_domain::access::Scope;
use rapport_domain::offers::{
    expected_cost, expected_margin, expected_uplift, Cell, Evidence, DEFAULT_UPLIFT,
};
use rapport_persistence::offers as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::vouchers::{ineligible, offer_problem};
use super::Offer;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::campaigns::results::{results_of, ArmComparison, CampaignResults};
use crate::service::now;
use crate::state::AppState;

/// One offer ranked for a customer.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct NextBestOffer {
    pub offer: Offer,
    /// uplift × expected_value − expected_cost, minor units of the reporting currency.
    pub expected_incremental_margin: f64,
    /// The relative uplift in revenue expected for this customer.
    pub uplift: f64,
    /// `campaign` (measured, shrunk by cell) or `default` (the fallback).
    #[schema(example = "campaign")]
    pub uplift_source: String,
    /// Expected revenue over 90 days, minor units of the reporting currency.
    pub expected_value: f64,
    /// Expected cost of giving the offer, minor units of the reporting currency.
    pub expected_cost: f64,
    /// The numbers in words.
    pub explanation: String,
}

/// The ranked offers of one customer, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NextBestOffers {
    pub data: Vec<NextBestOffer>,
}

fn cell(groups: &[ArmComparison], name: Option<&str>) -> Option<Cell> {
    let name = name?;
    let g = groups.iter().find(|g| g.group == name)?;
    Some(Cell {
        uplift: g.revenue_per_member_uplift.relative?,
        members: (g.treatment.members + g.control.members) as f64,
    })
}

/// How long the next best offer reuses a campaign's results: computing them reads every
/// member's orders in the window, too much for every request; uplift evidence a few minutes
/// old ranks offers just as well.
pub const EVIDENCE_SECONDS: i64 = 300;

/// What the ranking needs to know about the customer.
struct Customer {
    order_value: f64,
    expected_value: f64,
    p_use: f64,
    rfm: Option<String>,
    band: Option<String>,
}

/// The results of a launched campaign, shared through the cache for up to
/// [`EVIDENCE_SECONDS`] (the key names the time bucket).
async fn campaign_results(
    state: &AppState,
    ws: &str,
    campaign: rapport_persistence::campaigns::CampaignRow,
) -> Result<CampaignResults, ApiError> {
    let bucket = now().and_utc().timestamp().div_euclid(EVIDENCE_SECONDS);
    let key = format!("nbo-evidence:{ws}:{}:{bucket}", campaign.id);
    let generations = [crate::service::cache::workspace_generation(ws)];
    let ws = ws.to_owned();
    let bytes = crate::service::cache::cache_aside(state, &generations, &key, || async move {
        let results = state
            .db
            // In a read transaction, as the results endpoint reads them: one snapshot, and
            // the results query's session settings (`SET LOCAL`) take effect.
            .run(move |conn| {
                rapport_persistence::read_transaction(conn, |conn| results_of(conn, &ws, campaign))
            })
            .await?;
        serde_json::to_vec(&results).map_err(ApiError::internal)
    })
    .await?;
    serde_json::from_slice(&bytes).map_err(ApiError::internal)
}

/// The ranked offers (see the module comment).
pub async fn next_best_offers(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
) -> Result<Vec<NextBestOffer>, ApiError> {
    principal.require(Scope::OffersRead)?;
    let (ws, id) = (principal.workspace_id.clone(), account_id.to_owned());
    // The customer and the offers they may get, with each offer's launched campaign.
    let (customer, candidates) = state
        .db
        .run(move |conn| {
            rapport_persistence::read_transaction(conn, |conn| {
                if rapport_persistence::accounts::find(conn, &ws, &id)?.is_none() {
                    return Err(ApiError::not_found("no account with that id"));
                }
                let at = now();
                let metrics = crate::service::value::account_metrics(conn, &ws, &id)?;
                let order_value = metrics
                    .expected_order_value
                    .or(metrics.average_order_value)
                    .unwrap_or(0) as f64;
                let (expected_value, p_use) = match metrics.expected_orders_90d {
                    Some(n) if metrics.expected_order_value.is_some() => {
                        (n * order_value, n.min(1.0))
                    }
                    _ => (order_value, 1.0),
                };
                let customer = Customer {
                    order_value,
                    expected_value,
                    p_use,
                    rfm: metrics.rfm.as_ref().map(|r| r.segment.clone()),
                    band: metrics.risk_band.clone(),
                };
                let mut candidates = Vec::new();
                for row in store::active_offers(conn, &ws)? {
                    if offer_problem(&row, at).is_some()
                        || row.total_cap.is_some_and(|c| row.redemptions >= c)
                        || row.budget.is_some_and(|b| row.spent >= b)
                    {
                        continue;
                    }
                    let offer = Offer::try_from(row.clone())?;
                    if !ineligible(conn, &ws, &offer, std::slice::from_ref(&id))?.is_empty() {
                        continue;
                    }
                    let campaign = match &row.campaign_id {
                        Some(c) => rapport_persistence::campaigns::find(conn, &ws, c)?
                            .filter(|c| c.launched_at.is_some()),
                        None => None,
                    };
                    candidates.push((row, offer, campaign));
                }
                Ok((customer, candidates))
            })
        })
        .await?;
    let mut ranked = Vec::with_capacity(candidates.len());
    for (row, offer, campaign) in candidates {
        let results = match campaign {
            Some(c) => Some(campaign_results(state, &principal.workspace_id, c).await?),
            None => None,
        };
        ranked.push(rank(&customer, row, offer, results.as_ref()));
    }
    ranked.sort_by(|a, b| {
        b.expected_incremental_margin
            .total_cmp(&a.expected_incremental_margin)
            .then_with(|| a.offer.id.cmp(&b.offer.id))
    });
    Ok(ranked)
}

/// One offer's expected incremental margin for the customer, with its explanation.
fn rank(
    customer: &Customer,
    row: store::OfferRow,
    offer: Offer,
    results: Option<&CampaignResults>,
) -> NextBestOffer {
    let (rfm, band) = (customer.rfm.as_deref(), customer.band.as_deref());
    let evidence = results.and_then(|r| {
        Some(Evidence {
            overall: r.total.revenue_per_member_uplift.relative?,
            rfm: cell(&r.by_rfm_segment, rfm),
            band: cell(&r.by_risk_band, band),
        })
    });
    let (uplift, source, why) = match &evidence {
        Some(e) => {
            let part = |label: &str, c: Option<Cell>| match c {
                Some(c) => format!("{label} {:.3} over {} members", c.uplift, c.members),
                None => format!("{label}: no members"),
            };
            (
                expected_uplift(e),
                "campaign",
                format!(
                    "measured by its campaign: overall {:.3}, {}, {}, each shrunk toward the overall with k = 200",
                    e.overall,
                    part(&format!("RFM {}", rfm.unwrap_or("unscored")), e.rfm),
                    part(&format!("risk band {}", band.unwrap_or("unscored")), e.band),
                ),
            )
        }
        None => (
            DEFAULT_UPLIFT,
            "default",
            "no campaign results yet: the default".to_owned(),
        ),
    };
    let cost = expected_cost(
        &row.kind,
        row.percent,
        row.amount,
        row.cost_per_redemption,
        customer.order_value,
        customer.p_use,
    );
    let expected_value = customer.expected_value;
    let margin = expected_margin(uplift, expected_value, cost);
    let explanation = format!(
        "uplift {uplift:.3} ({why}) × expected value {expected_value:.0} − expected cost {cost:.0} = {margin:.0}"
    );
    NextBestOffer {
        offer,
        expected_incremental_margin: margin,
        uplift,
        uplift_source: source.to_owned(),
        expected_value,
        expected_cost: cost,
        explanation,
    }
}
