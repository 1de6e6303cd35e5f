//! Segments by rules over GraphQL: the same services, scopes and workspace filter as
//! `/v1/segments`, with the members as a Relay connection.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::graphql::outcomes::{fresh_or_replayed, idempotency, not_found_is_null};
use crate::graphql::{connection, gql, gql_in, gql_patch, principal, state};
use crate::service::accounts::{self, Account, AccountQuery};
use crate::service::page_request;
use crate::service::rule_segments::{
    self, Segment, SegmentInput, SegmentPreview, SegmentPreviewInput,
};

/// A segment: a named rule tree, its members evaluated when asked.
pub struct SegmentNode(pub Segment);

#[Object(name = "Segment")]
impl SegmentNode {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The rule tree in its canonical JSON form (as REST gives it).
    async fn rule(&self) -> &Value {
        &self.0.rule
    }
    /// Entries and exits publish `customer.segment_entered` / `customer.segment_left`.
    async fn tracked(&self) -> bool {
        self.0.tracked
    }
    async fn version(&self) -> i64 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The members now, or as of a past instant (`asOf`: value fields as of then, fields
    /// without a history at their current values), by account id (as
    /// `GET /v1/segments/{id}/accounts`).
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Connection<String, Account>> {
        let query = AccountQuery {
            limit: first.map(i64::from),
            after,
            ..Default::default()
        };
        let as_of = as_of.map(|t| t.to_rfc3339());
        let page = accounts::segment_members(
            state(ctx)?,
            principal(ctx)?,
            self.0.id.clone(),
            query,
            as_of.as_deref(),
        )
        .await
        .map_err(gql)?;
        let mut out = Connection::new(false, page.next_cursor.is_some());
        for account in page.data {
            let cursor = accounts::edge_cursor(None, &account).map_err(gql)?;
            out.edges
                .push(async_graphql::connection::Edge::new(cursor, account));
        }
        Ok(out)
    }
}

#[derive(Default)]
pub struct SegmentsQuery;

#[Object]
impl SegmentsQuery {
    /// Segments by id, in pages.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn segments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, SegmentNode>> {
        let page = page_request(first.map(i64::from), after).map_err(gql)?;
        let page = rule_segments::list(state(ctx)?, principal(ctx)?, page)
            .await
            .map_err(gql)?;
        let page = crate::service::Page {
            data: page.data.into_iter().map(SegmentNode).collect(),
            next_cursor: page.next_cursor,
        };
        Ok(connection(page, |s| s.0.id.clone()))
    }

    /// One segment, or null when there is none with this id in the workspace.
    async fn segment(&self, ctx: &Context<'_>, id: ID) -> Result<Option<SegmentNode>> {
        Ok(
            not_found_is_null(rule_segments::get(state(ctx)?, principal(ctx)?, &id).await)?
                .map(SegmentNode),
        )
    }

    /// How many accounts an unsaved rule selects now, or as of a past instant (`asOf`: the
    /// value fields as `Account.metrics(asOf:)` gives them, fields without a history at
    /// their current values), and the first of them by id.
    async fn preview_segment(
        &self,
        ctx: &Context<'_>,
        rule: Value,
        sample_size: Option<i64>,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<SegmentPreview> {
        rule_segments::preview(
            state(ctx)?,
            principal(ctx)?,
            SegmentPreviewInput {
                rule,
                sample_size,
                as_of: as_of.map(|t| t.to_rfc3339()),
            },
        )
        .await
        .map_err(gql)
    }
}

#[derive(Default)]
pub struct SegmentsMutation;

#[Object]
impl SegmentsMutation {
    /// Create a segment from a rule (a bad rule names its path: `rule.all[2].value`).
    async fn create_segment(
        &self,
        ctx: &Context<'_>,
        input: SegmentInput,
        idempotency_key: Option<String>,
    ) -> Result<SegmentNode> {
        let idem = idempotency(idempotency_key, "createSegment", &input)?;
        let outcome = rule_segments::create(state(ctx)?, principal(ctx)?, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome).map(SegmentNode)
    }

    /// Change a segment with a JSON merge patch (`rule` is replaced whole).
    async fn update_segment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        patch: Value,
        if_version: Option<i64>,
    ) -> Result<SegmentNode> {
        rule_segments::update(state(ctx)?, principal(ctx)?, &id, patch, if_version)
            .await
            .map(SegmentNode)
            .map_err(gql_patch)
    }

    /// Delete a segment (soft). Returns true.
    async fn delete_segment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        if_version: Option<i64>,
    ) -> Result<bool> {
        rule_segments::delete(state(ctx)?, principal(ctx)?, &id, if_version)
            .await
            .map_err(gql)?;
        Ok(true)
    }
}
