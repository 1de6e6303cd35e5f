//! `GET /v1/analytics/value-distribution`: how customer value is spread over today's live
//! buyers, for historical revenue (net of refunds) and for the stored 12-month CLV (buyers
//! with a prediction): nearest-rank percentiles, a 10-bin histogram of equal width from 0 to
//! the largest value (the last bin includes it; negative values count in the first), and
//! concentration: the share of the total held by the top 1 %, 10 % and 20 % of customers
//! (at least one customer each). `segment_id` (a rule segment) or `rfm_segment` narrows
//! the buyers to a segment's current members.

use std::collections::HashSet;

use rapport_domain::access::Scope;
use rapport_domain::segments::Rule;
use rapport_persistence::economics as store;
use rapport_persistence::segments as segment_store;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::graphql::scalars::Long;
use crate::service::value::load_settings;
use crate::state::AppState;

const PERCENTILES: [i64; 7] = [10, 25, 50, 75, 90, 95, 99];
const BINS: i64 = 10;
const TOP_PERCENTS: [i64; 3] = [1, 10, 20];

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DistributionQuery {
    /// Only the current members of this rule segment.
    pub segment_id: Option<String>,
    /// Only the buyers in this RFM segment (`champions`, `at_risk`, ...).
    pub rfm_segment: Option<String>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ValueDistribution {
    /// The reporting currency of every amount.
    pub currency: String,
    /// The rule segment the buyers were narrowed to, if any.
    pub segment_id: Option<String>,
    /// The RFM segment the buyers were narrowed to, if any.
    pub rfm_segment: Option<String>,
    /// Historical revenue of every live buyer.
    pub revenue: Distribution,
    /// Stored 12-month CLV of the buyers with a prediction.
    pub clv: Distribution,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Distribution {
    pub customers: i64,
    #[graphql(skip, derived(name = "total", into = "Long", owned))]
    pub total: i64,
    pub percentiles: Vec<Percentile>,
    pub histogram: Vec<Bin>,
    pub concentration: Vec<Concentration>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Percentile {
    pub percentile: i64,
    #[graphql(skip, derived(name = "value", into = "Long", owned))]
    pub value: i64,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Bin {
    /// Inclusive lower bound.
    #[graphql(skip, derived(name = "lower", into = "Long", owned))]
    pub lower: i64,
    /// Exclusive upper bound (inclusive for the last bin).
    #[graphql(skip, derived(name = "upper", into = "Long", owned))]
    pub upper: i64,
    pub customers: i64,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Concentration {
    pub top_percent: i64,
    /// The top customers counted: `ceil(customers * top_percent / 100)`.
    pub customers: i64,
    #[graphql(skip, derived(name = "value", into = "Long", owned))]
    pub value: i64,
    /// `value / total` (0 when the total is not positive).
    pub share: f64,
}

/// The distribution of `values`.
pub fn distribution(mut values: Vec<i64>) -> Distribution {
    values.sort_unstable();
    let n = i64::try_from(values.len()).unwrap_or(i64::MAX);
    let at = |rank: i64| {
        usize::try_from(rank.clamp(1, n.max(1)) - 1)
            .ok()
            .and_then(|i| values.get(i).copied())
            .unwrap_or(0)
    };
    let total = crate::service::economics::sum(&values);
    let percentiles = PERCENTILES
        .iter()
        .map(|&p| Percentile {
            percentile: p,
            value: at((n * p + 99) / 100),
        })
        .collect();
    let max = values.last().copied().unwrap_or(0).max(0);
    let width = ((max + BINS - 1) / BINS).max(1);
    let mut histogram: Vec<Bin> = (0..BINS)
        .map(|i| Bin {
            lower: width.saturating_mul(i),
            upper: width.saturating_mul(i + 1),
            customers: 0,
        })
        .collect();
    for v in &values {
        let i = usize::try_from((v / width).clamp(0, BINS - 1)).unwrap_or(0);
        if let Some(b) = histogram.get_mut(i) {
            b.customers += 1;
        }
    }
    let concentration = TOP_PERCENTS
        .iter()
        .map(|&p| {
            let k = if n == 0 {
                0
            } else {
                ((n * p + 99) / 100).max(1)
            };
            let top = &values[values.len().saturating_sub(usize::try_from(k).unwrap_or(0))..];
            let value = crate::service::economics::sum(top);
            Concentration {
                top_percent: p,
                customers: k,
                value,
                share: if total > 0 {
                    value as f64 / total as f64
                } else {
                    0.0
                },
            }
        })
        .collect();
    Distribution {
        customers: n,
        total,
        percentiles,
        histogram,
        concentration,
    }
}

pub async fn report(
    state: &AppState,
    principal: &Principal,
    query: DistributionQuery,
) -> Result<ValueDistribution, ApiError> {
    principal.require(Scope::AnalyticsRead)?;
    if query.segment_id.is_some() && query.rfm_segment.is_some() {
        return Err(ApiError::field(
            "rfm_segment",
            "give `segment_id` or `rfm_segment`, not both",
        ));
    }
    let rfm_rule = match &query.rfm_segment {
        None => None,
        Some(name) => Some(
            Rule::parse(
                &json!({"field": "rfm_segment", "op": "=", "value": name}),
                "rule",
            )
            .map_err(|_| {
                ApiError::field(
                    "rfm_segment",
                    "must be an RFM segment name (see GET /v1/segments/rfm)",
                )
            })?,
        ),
    };
    let ws = principal.workspace_id.clone();
    let segment_id = query.segment_id.clone();
    let (settings, rows) = state
        .db
        .run(move |conn| {
            let settings = load_settings(conn, &ws)?;
            let filter = match (&segment_id, &rfm_rule) {
                (Some(id), _) => Some(crate::service::rule_segments::compiled::filter_of(
                    conn, &ws, id,
                )?),
                (None, Some(rule)) => Some(crate::service::rule_segments::compiled::compile(
                    conn, &ws, rule,
                )?),
                (None, None) => None,
            };
            let members: Option<HashSet<String>> = match filter {
                Some(f) => Some(
                    segment_store::matching_ids(conn, &ws, &f, None)?
                        .into_iter()
                        .collect(),
                ),
                None => None,
            };
            let mut rows = store::buyer_values(conn, &ws)?;
            if let Some(members) = members {
                rows.retain(|r| members.contains(&r.0));
            }
            Ok((settings, rows))
        })
        .await?;
    // Sorting every buyer's values is CPU work: off the request threads.
    let (revenue, clv) = crate::service::cpu_bound(move || {
        let revenue = rows.iter().map(|r| r.1).collect();
        let clv = rows.iter().filter_map(|r| r.2).collect();
        Ok((distribution(revenue), distribution(clv)))
    })
    .await?;
    Ok(ValueDistribution {
        currency: settings.reporting_currency,
        segment_id: query.segment_id,
        rfm_segment: query.rfm_segment,
        revenue,
        clv,
    })
}

impl ValueDistribution {
    /// One CSV row per measure and figure (percentile, bin, concentration).
    pub fn to_csv(&self) -> String {
        let header = [
            "currency",
            "measure",
            "kind",
            "key",
            "customers",
            "value",
            "share",
        ];
        let mut rows = Vec::new();
        for (measure, d) in [("revenue", &self.revenue), ("clv", &self.clv)] {
            let row = |kind: &str, key: String, customers: String, value: String, share: String| {
                vec![
                    self.currency.clone(),
                    measure.to_owned(),
                    kind.to_owned(),
                    key,
                    customers,
                    value,
                    share,
                ]
            };
            for p in &d.percentiles {
                rows.push(row(
                    "percentile",
                    format!("p{}", p.percentile),
                    String::new(),
                    p.value.to_string(),
                    String::new(),
                ));
            }
            for b in &d.histogram {
                rows.push(row(
                    "bin",
                    format!("{}-{}", b.lower, b.upper),
                    b.customers.to_string(),
                    String::new(),
                    String::new(),
                ));
            }
            for c in &d.concentration {
                rows.push(row(
                    "top_percent",
                    c.top_percent.to_string(),
                    c.customers.to_string(),
                    c.value.to_string(),
                    c.share.to_string(),
                ));
            }
        }
        super::csv::document(&header, &rows)
    }
}
