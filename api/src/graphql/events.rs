//! The event feed over GraphQL: the same service and scope as `GET /v1/events`.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result, ID};

use crate::graphql::{connection, gql, principal, state};
use crate::service::events::feed::{self, EventQuery};
use crate::service::events::Event;

#[derive(Default)]
pub struct EventsQuery;

#[Object]
impl EventsQuery {
    /// The workspace's events, oldest first, after the cursor (an edge's cursor is the
    /// event's `sequence`); `types` takes exact types and `family.*` (admins and
    /// `events:read` keys).
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        types: Option<Vec<String>>,
    ) -> Result<Connection<String, Event>> {
        let query = EventQuery {
            limit: first.map(i64::from),
            after,
            types: types.map(|t| t.join(",")),
        };
        let page = feed::list(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)?;
        Ok(connection(page, |e| e.sequence.to_string()))
    }

    /// One event of the workspace.
    async fn event(&self, ctx: &Context<'_>, id: ID) -> Result<Event> {
        feed::get(state(ctx)?, principal(ctx)?, &id)
            .await
            .map_err(gql)
    }
}
