//! `GET /v1/analytics/at-risk`: buyers ranked by the value the business stands to lose.
//!
//! `value_at_risk = churn_probability x value_if_active`, where `value_if_active` is the
//! margin an active customer brings in the next 12 months: the purchase model's posterior purchase
//! rate of an active customer, `(r + x) / (alpha + T)` per day, times 12 months (of 30.415
//! days), times the expected order value (Gamma-Gamma) and the margin rate. Computed at
//! read time for every buyer of the workspace (O(buyers): ~0.5 µs each in release builds),
//! then sorted; pages continue after the last (value, id) seen.

use rapport_domain::access::Scope;
use std::collections::HashMap;

use rapport_domain::value::{day_of, AccountTotals, RiskThresholds};
use rapport_persistence::value as store;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::as_of::{buyers_as_of, rfm_as_of};
use crate::service::cursor::Cursor;
use crate::service::segments::parse_segment;
use crate::service::value::{current_model, load_settings, predict, totals_of};
use crate::service::{now, page_limit, Page, PageRequest};
use crate::state::AppState;

/// A buyer and what their leaving would cost.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct AtRiskAccount {
    #[graphql(skip, derived(name = "account_id", into = "async_graphql::ID", owned))]
    pub account_id: String,
    pub name: String,
    /// Minor units of the reporting currency.
    #[graphql(
        skip,
        derived(name = "value_at_risk", into = "crate::graphql::scalars::Long", owned)
    )]
    pub value_at_risk: i64,
    pub churn_probability: f64,
    /// `healthy`, `watch`, `at_risk` or `lost`.
    pub risk_band: String,
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
    #[graphql(
        skip,
        derived(name = "revenue", into = "crate::graphql::scalars::Long", owned)
    )]
    pub revenue: i64,
    pub orders_count: i64,
    pub segment: Option<String>,
    /// The spend model behind `clv` and the value at risk: `gamma_gamma` or a fallback
    /// (`fallback_winsorized`, `fallback_penalized`, `fallback_shrinkage`).
    pub spend_model: Option<String>,
}

/// The risk bands a churn probability falls in, lowest first.
pub use rapport_domain::value::RISK_BANDS;

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AtRiskQuery {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
    /// Only this RFM segment (e.g. `cant_lose_them`).
    #[param(schema_with = crate::openapi::names::rfm_segment)]
    pub segment: Option<String>,
    /// Only this risk band: `healthy`, `watch`, `at_risk` or `lost`.
    #[param(schema_with = crate::openapi::names::risk_band)]
    pub risk_band: Option<String>,
    /// Rank as of this past instant (RFC 3339; default now): the purchases up to it, the
    /// current model evaluated there, RFM segments from the current breakpoints (see
    /// `GET /v1/accounts/{id}/metrics`).
    #[param(value_type = Option<chrono::DateTime<chrono::Utc>>)]
    pub as_of: Option<String>,
}

/// The cursor that continues the ranking after `a`.
pub fn cursor_of(a: &AtRiskAccount) -> String {
    Cursor::new("value_at_risk", a.value_at_risk.to_string(), &a.account_id).encode()
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: AtRiskQuery,
) -> Result<Page<AtRiskAccount>, ApiError> {
    principal.require(Scope::AnalyticsRead)?;
    let limit = page_limit(query.limit)?;
    // A filter value is validated like a field: an unknown segment is a 422 naming it.
    let segment = query
        .segment
        .as_deref()
        .map(|s| parse_segment(s).map_err(|e| ApiError::field("segment", e.detail)))
        .transpose()?;
    if query
        .risk_band
        .as_deref()
        .is_some_and(|b| !RISK_BANDS.contains(&b))
    {
        return Err(ApiError::field(
            "risk_band",
            "must be healthy, watch, at_risk or lost",
        ));
    }
    let after = query
        .after
        .as_deref()
        .map(|a| {
            let c = Cursor::decode(a, "value_at_risk")?;
            c.value
                .parse::<i64>()
                .map(|v| (v, c.id))
                .map_err(|_| ApiError::field("after", "not a cursor this API returned"))
        })
        .transpose()?;
    let as_of = crate::service::as_of::parse(query.as_of.as_deref())?;
    let ws = principal.workspace_id.clone();
    let band = query.risk_band.clone();
    let mut ranked = state
        .db
        .run(move |conn| {
            let settings = load_settings(conn, &ws)?;
            let model = current_model(conn, &ws)?.ok_or_else(|| {
                ApiError::conflict(
                    "model_not_fitted",
                    "fit the model first: POST /v1/models/churn/fit",
                )
            })?;
            let named = store::all_buyers_named(conn, &ws)?;
            let at = as_of.unwrap_or_else(now);
            let today = day_of(at);
            // (account, name, totals, segment) now or as of `as_of`.
            let buyers: Vec<(String, String, AccountTotals, Option<String>)> = match as_of {
                None => named
                    .into_iter()
                    .map(|(row, name)| {
                        let totals = totals_of(Some(&row));
                        (row.account_id, name, totals, row.rfm_segment)
                    })
                    .collect(),
                Some(at) => {
                    let mut names: HashMap<String, String> = named
                        .into_iter()
                        .map(|(row, name)| (row.account_id, name))
                        .collect();
                    buyers_as_of(conn, &ws, at)?
                        .into_iter()
                        .map(|(id, totals)| {
                            let segment = rfm_as_of(&totals, Some(&model), at).map(|r| r.segment);
                            let name = names.remove(&id).unwrap_or_default();
                            (id, name, totals, segment)
                        })
                        .collect()
                }
            };
            let thresholds = RiskThresholds::from(settings.risk_thresholds);
            let mut out = Vec::with_capacity(buyers.len());
            for (account_id, name, totals, rfm_segment) in buyers {
                if segment.is_some_and(|s| rfm_segment.as_deref() != Some(s.as_str())) {
                    continue;
                }
                let Some(p) = predict(&totals, &model, &settings, today) else {
                    continue;
                };
                let churn = 1.0 - p.p_alive;
                let risk_band = thresholds.band(churn).to_owned();
                if band.as_deref().is_some_and(|b| b != risk_band) {
                    continue;
                }
                let value = (churn * p.value_if_active.unwrap_or(0.0)).round();
                out.push(AtRiskAccount {
                    account_id,
                    name,
                    value_at_risk: if value.is_finite() { value as i64 } else { 0 },
                    churn_probability: churn,
                    risk_band,
                    clv: p.clv.filter(|c| c.is_finite()).map(|c| c.round() as i64),
                    revenue: totals.revenue,
                    orders_count: totals.orders_count,
                    segment: rfm_segment,
                    spend_model: p.spend_model.map(str::to_owned),
                });
            }
            // Ranked on the blocking thread: sorting every at-risk account is CPU work.
            out.sort_by(|a, b| {
                b.value_at_risk
                    .cmp(&a.value_at_risk)
                    .then_with(|| a.account_id.cmp(&b.account_id))
            });
            Ok(out)
        })
        .await?;
    if let Some((value, id)) = after {
        ranked
            .retain(|a| a.value_at_risk < value || (a.value_at_risk == value && a.account_id > id));
    }
    ranked.truncate(usize::try_from(limit + 1).unwrap_or(usize::MAX));
    let request = PageRequest { limit, after: None };
    Ok(Page::from_rows(ranked, &request, cursor_of, |a| a))
}
