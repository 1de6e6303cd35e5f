//! RFM segments: how many buyers each of the 11 named segments holds, what they spend, and
//! who they are. Scores are stored per account (set by every order and re-scored by each
//! model fit), so a summary is one grouped query and members one indexed page.

use chrono::{DateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::rfm::Segment;
use rapport_persistence::value as store;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::value::{current_model, load_settings};
use crate::service::{page_limit, utc, Page, PageRequest};
use crate::state::AppState;

/// One segment's size and value.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct SegmentSummary {
    /// Stable code: `champions`, `loyal`, ... `lost`.
    pub segment: String,
    pub label: String,
    pub accounts: i64,
    /// Net revenue of its accounts, minor units of the reporting currency.
    #[graphql(
        skip,
        derived(name = "revenue", into = "crate::graphql::scalars::Long", owned)
    )]
    pub revenue: i64,
    /// Its share of the scored accounts, 0 to 1.
    pub share_of_accounts: f64,
    /// Its share of the scored accounts' revenue, 0 to 1.
    pub share_of_revenue: f64,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct RfmSegments {
    pub currency: String,
    /// When the breakpoints were fitted; `null` before the first fit (nothing is scored).
    pub breakpoints_fitted_at: Option<DateTime<Utc>>,
    pub scored_accounts: i64,
    /// Buyers without a score yet (only before the first fit).
    pub unscored_accounts: i64,
    /// All 11 segments, in the order of the documented grid, empty ones included.
    pub segments: Vec<SegmentSummary>,
}

/// A buyer in a segment.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct SegmentMember {
    #[graphql(skip, derived(name = "account_id", into = "async_graphql::ID", owned))]
    pub account_id: String,
    pub name: String,
    pub r: i32,
    pub f: i32,
    pub m: i32,
    pub orders_count: i64,
    #[graphql(
        skip,
        derived(name = "revenue", into = "crate::graphql::scalars::Long", owned)
    )]
    pub revenue: i64,
    pub last_order_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembersQuery {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
}

pub fn parse_segment(text: &str) -> Result<Segment, ApiError> {
    Segment::parse(text).ok_or_else(|| {
        ApiError::not_found(format!(
            "no segment {text:?}; segments are {}",
            Segment::ALL
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

pub async fn summary(state: &AppState, principal: &Principal) -> Result<RfmSegments, ApiError> {
    principal.require(Scope::AnalyticsRead)?;
    let ws = principal.workspace_id.clone();
    state
        .db
        .run(move |conn| {
            let settings = load_settings(conn, &ws)?;
            let fitted = current_model(conn, &ws)?
                .filter(|m| m.rfm.is_some())
                .map(|m| utc(m.fitted_at));
            let totals = store::segment_totals(conn, &ws)?;
            let mut unscored = 0;
            let (mut accounts, mut revenue) = (0i64, 0i64);
            for (segment, n, r) in &totals {
                if segment.is_some() {
                    accounts += n;
                    revenue = revenue.saturating_add(r.unwrap_or(0));
                } else {
                    unscored += n;
                }
            }
            let share = |part: i64, whole: i64| {
                if whole > 0 {
                    part as f64 / whole as f64
                } else {
                    0.0
                }
            };
            let segments = Segment::ALL
                .iter()
                .map(|s| {
                    let (n, r) = totals
                        .iter()
                        .find(|(code, _, _)| code.as_deref() == Some(s.as_str()))
                        .map_or((0, 0), |(_, n, r)| (*n, r.unwrap_or(0)));
                    SegmentSummary {
                        segment: s.as_str().to_owned(),
                        label: s.label().to_owned(),
                        accounts: n,
                        revenue: r,
                        share_of_accounts: share(n, accounts),
                        share_of_revenue: share(r, revenue),
                    }
                })
                .collect();
            Ok(RfmSegments {
                currency: settings.reporting_currency,
                breakpoints_fitted_at: fitted,
                scored_accounts: accounts,
                unscored_accounts: unscored,
                segments,
            })
        })
        .await
}

/// A segment's members by account id, in keyset pages.
pub async fn members(
    state: &AppState,
    principal: &Principal,
    segment: &str,
    query: MembersQuery,
) -> Result<Page<SegmentMember>, ApiError> {
    principal.require(Scope::AnalyticsRead)?;
    let segment = parse_segment(segment)?;
    let limit = page_limit(query.limit)?;
    let after = query.after.clone();
    if after
        .as_deref()
        .is_some_and(|a| uuid::Uuid::parse_str(a).is_err())
    {
        return Err(ApiError::field("after", "not a cursor this API returned"));
    }
    let ws = principal.workspace_id.clone();
    let rows = state
        .db
        .run(move |conn| {
            Ok(store::segment_members(
                conn,
                &ws,
                segment.as_str(),
                after.as_deref(),
                limit + 1,
            )?)
        })
        .await?;
    let request = PageRequest { limit, after: None };
    Ok(Page::from_rows(
        rows,
        &request,
        |(m, _)| m.account_id.clone(),
        |(m, name)| SegmentMember {
            account_id: m.account_id,
            name,
            r: m.rfm_r.unwrap_or(0),
            f: m.rfm_f.unwrap_or(0),
            m: m.rfm_m.unwrap_or(0),
            orders_count: m.orders_count,
            revenue: m.revenue,
            last_order_at: m.last_order_at.map(utc),
        },
    ))
}
