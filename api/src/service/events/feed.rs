//! The event feed: a workspace's events in order (`GET /v1/events`), to catch up after an
//! outage or replay. Readers: admins and API keys with `events:read`.

use rapport_domain::access::Scope;
use rapport_domain::event_types::{TypePattern, PING};
use rapport_persistence::events::{self as store, FeedFilter};
use serde::Deserialize;
use utoipa::IntoParams;

use super::domain::EVENT_TYPES;
use super::Event;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::{page_limit, Page};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page, or the `sequence` of the last event you
    /// processed: the page starts after it (absent: from the oldest event kept).
    pub after: Option<String>,
    /// Comma-separated event types, exact (`deal.won`) or by family (`order.*`); absent:
    /// every type.
    pub types: Option<String>,
}

/// Parses `types`: known types and `family.*` patterns of a known family; 422 naming
/// `types` otherwise.
pub fn parse_types(types: Option<&str>) -> Result<FeedFilter, ApiError> {
    let mut filter = FeedFilter::default();
    let Some(types) = types else {
        return Ok(filter);
    };
    let mut unknown = Vec::new();
    for t in types.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        // The subscriptions' patterns, less `*` (absent `types` means every type) and
        // `ping` (a webhook test delivery, never in the feed).
        match TypePattern::parse(t) {
            Ok(TypePattern::Prefix(prefix)) => filter.prefixes.push(prefix),
            Ok(TypePattern::Exact(name)) if name != PING => filter.types.push(name),
            _ => unknown.push(t.to_owned()),
        }
    }
    if !unknown.is_empty() {
        return Err(ApiError::field(
            "types",
            format!(
                "unknown event type(s) {}; known: {} (or family.* for a family)",
                unknown.join(", "),
                EVENT_TYPES.join(", ")
            ),
        ));
    }
    Ok(filter)
}

fn parse_after(after: Option<&str>) -> Result<i64, ApiError> {
    match after {
        None => Ok(0),
        Some(a) => a
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| ApiError::field("after", "not a cursor this API returned")),
    }
}

/// The workspace's events after the cursor, oldest first.
pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: EventQuery,
) -> Result<Page<Event>, ApiError> {
    principal.require(Scope::EventsRead)?;
    let limit = page_limit(query.limit)?;
    let after = parse_after(query.after.as_deref())?;
    let filter = parse_types(query.types.as_deref())?;
    let workspace = principal.workspace_id.clone();
    let mut rows = state
        .db
        .run(move |conn| {
            Ok(store::list_after(
                conn,
                &workspace,
                after,
                &filter,
                limit + 1,
            )?)
        })
        .await?;
    let full = usize::try_from(limit).unwrap_or(usize::MAX);
    let more = rows.len() > full;
    rows.truncate(full);
    let next_cursor = if more {
        rows.last().map(|r| r.seq.to_string())
    } else {
        None
    };
    Ok(Page {
        data: rows.into_iter().map(Event::from).collect(),
        next_cursor,
    })
}

/// One event of the workspace; 404 for another workspace's.
pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<Event, ApiError> {
    principal.require(Scope::EventsRead)?;
    let (workspace, id) = (principal.workspace_id.clone(), id.to_owned());
    state
        .db
        .run(move |conn| {
            store::find(conn, &workspace, &id)?
                .map(Event::from)
                .ok_or_else(|| ApiError::not_found("no event with that id"))
        })
        .await
}
