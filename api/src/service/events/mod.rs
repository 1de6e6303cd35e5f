//! Domain events as consumers see them: the items of the event feed (`GET /v1/events`) and
//! the body of every webhook delivery. Stored by the write pipeline in the outbox
//! (`rapport_persistence::events`), in the transaction of the change.

pub mod domain;
pub mod feed;

use chrono::{DateTime, Utc};
use rapport_persistence::events::EventRow;
use serde::Serialize;
use utoipa::ToSchema;

use crate::service::utc;

/// One thing that happened in a workspace.
#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct Event {
    /// Unique per event: receivers de-duplicate deliveries by it.
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    /// `order.created`, `deal.won`, `loyalty.points_earned`, …
    #[serde(rename = "type")]
    #[graphql(name = "type")]
    pub event_type: String,
    /// 1, 2, 3, … per workspace, in commit order with no gaps: the feed's order.
    #[graphql(
        skip,
        derived(name = "sequence", into = "crate::graphql::scalars::Long", owned)
    )]
    pub sequence: i64,
    pub occurred_at: DateTime<Utc>,
    #[graphql(
        skip,
        derived(name = "workspace_id", into = "async_graphql::ID", owned)
    )]
    pub workspace_id: String,
    /// The resource after the change; for updates also `changed_fields`.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl From<EventRow> for Event {
    fn from(row: EventRow) -> Self {
        Event {
            id: row.id,
            event_type: row.event_type,
            sequence: row.seq,
            occurred_at: utc(row.occurred_at),
            workspace_id: row.workspace_id,
            // Stored by the pipeline from a serde_json::Value, so it parses; a row edited
            // by hand into something else is passed on as a string rather than dropped.
            data: serde_json::from_str(&row.data).unwrap_or(serde_json::Value::String(row.data)),
        }
    }
}
