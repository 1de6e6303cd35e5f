//! Use cases shared by REST and GraphQL: load -> decide -> write, one function per use case.
//! Each takes the caller's `Principal`, checks its scope, and runs its writes through the
//! write pipeline (`pipeline`): one transaction with its audit entries and domain events,
//! cache invalidation after the commit.

pub mod account_view;
pub mod accounts;
pub mod api_keys;
pub mod applied_effects;
pub mod as_of;
pub mod at_risk;
pub mod audit;
pub mod auth;
pub mod backtest;
pub mod cache;
pub mod campaigns;
pub mod complaints;
pub mod contacts;
pub mod cursor;
pub mod deals;
pub mod demo;
pub mod economics;
pub mod events;
pub mod exports;
pub mod feedback;
pub mod first_fit;
pub mod idempotency;
pub mod imports;
pub mod interactions;
pub mod loyalty;
pub mod merge;
pub mod model_choice;
pub mod model_shapes;
pub mod models;
pub mod offers;
pub mod orders;
pub mod pipeline;
pub mod privacy;
pub mod profile;
pub mod recommendations;
pub mod rule_segments;
pub mod satisfaction;
pub mod segments;
pub mod system;
pub mod users;
pub mod value;
pub mod versioning;
pub mod webhooks;
pub mod workspaces;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

/// Runs CPU work that grows with the workspace (ranking, tallying every customer) on the
/// blocking pool: on a request thread it would hold up every other request of that worker
/// (past 5 s, actix-web answers them 408). Database work goes through `Db::run` instead.
pub async fn cpu_bound<T, F>(f: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    actix_web::web::block(f).await.map_err(ApiError::internal)?
}

/// The current time at the precision both databases keep (PostgreSQL: microseconds), so
/// what a write returns equals what a later read returns.
pub fn now() -> NaiveDateTime {
    stored(Utc::now())
}

/// A client-given instant at the stored precision.
pub fn stored(t: DateTime<Utc>) -> NaiveDateTime {
    use chrono::SubsecRound;
    t.naive_utc().trunc_subsecs(6)
}

pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(t, Utc)
}

/// Ids are UUIDv7: unique, and time-ordered so they double as pagination cursors.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A text field's rule: not blank, at most `max` characters once trimmed, no control
/// characters.
pub fn text_ok(s: &str, max: usize) -> bool {
    let s = s.trim();
    !s.is_empty() && s.chars().count() <= max && !s.contains(char::is_control)
}

pub const DEFAULT_PAGE: i64 = 50;
pub const MAX_PAGE: i64 = 500;

/// `?limit=&after=` on every list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PageRequest {
    pub limit: i64,
    pub after: Option<String>,
}

impl ListParams {
    pub fn page(&self) -> Result<PageRequest, ApiError> {
        page_request(self.limit, self.after.clone())
    }
}

/// `limit` within 1..=500, 50 when absent.
pub fn page_limit(limit: Option<i64>) -> Result<i64, ApiError> {
    let limit = limit.unwrap_or(DEFAULT_PAGE);
    if (1..=MAX_PAGE).contains(&limit) {
        Ok(limit)
    } else {
        Err(ApiError::field(
            "limit",
            format!("must be between 1 and {MAX_PAGE}"),
        ))
    }
}

pub fn page_request(limit: Option<i64>, after: Option<String>) -> Result<PageRequest, ApiError> {
    let limit = page_limit(limit)?;
    if let Some(after) = &after {
        if uuid::Uuid::parse_str(after).is_err() {
            return Err(ApiError::field("after", "not a cursor this API returned"));
        }
    }
    Ok(PageRequest { limit, after })
}

/// One page of a list: `next_cursor` is `null` on the last page.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from rows fetched with `limit + 1`: the extra row only says "more".
    pub fn from_rows<R>(
        mut rows: Vec<R>,
        request: &PageRequest,
        cursor: impl Fn(&R) -> String,
        map: impl FnMut(R) -> T,
    ) -> Self {
        let limit = usize::try_from(request.limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = if more { rows.last().map(&cursor) } else { None };
        Self {
            data: rows.into_iter().map(map).collect(),
            next_cursor,
        }
    }
}
