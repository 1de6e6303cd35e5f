//! Pipelines, deals and the pipeline analytics over GraphQL: the same services, scopes and
//! workspace filter as REST, with Relay connections.

use async_graphql::connection::Connection;
use async_graphql::{ComplexObject, Context, InputObject, Object, Result, ID};

use crate::graphql::scalars::Date;
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::graphql::inputs;
use crate::graphql::outcomes::{fresh_or_replayed, idempotency, not_found_is_null};
use crate::graphql::{connection, gql, gql_in, gql_patch, principal, state};
use crate::service::cursor::Cursor;
use crate::service::deals::{
    self, AnalyticsQuery, Deal, DealQuery, MoveInput, Pipeline, PipelineAnalytics, PipelineQuery,
    ReopenInput, StageChange,
};

/// Narrows a deal list; every field is optional (same as the REST query parameters).
#[derive(Debug, Default, InputObject)]
pub struct DealFilterInput {
    pub pipeline_id: Option<ID>,
    pub stage_id: Option<ID>,
    pub owner_id: Option<ID>,
    pub account_id: Option<ID>,
    /// `open`, `won` or `lost`.
    pub status: Option<String>,
    pub expected_close_from: Option<Date>,
    pub expected_close_to: Option<Date>,
}

fn id_cursor(id: &str) -> String {
    Cursor::new("id", String::new(), id).encode()
}

/// Pages of deals and pipelines are keyed by id; a Relay cursor carries it.
fn after_id(after: Option<String>) -> Result<Option<String>> {
    after
        .map(|a| Cursor::decode(&a, "id").map(|c| c.id).map_err(gql))
        .transpose()
}

#[derive(Default)]
pub struct DealsQuery;

#[Object]
impl DealsQuery {
    /// One pipeline, or null.
    async fn pipeline(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Pipeline>> {
        not_found_is_null(deals::get_pipeline(state(ctx)?, principal(ctx)?, &id).await)
    }

    /// The workspace's pipelines, in creation order.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn pipelines(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        include_archived: Option<bool>,
    ) -> Result<Connection<String, Pipeline>> {
        let query = PipelineQuery {
            limit: first.map(i64::from),
            after: after_id(after)?,
            include_archived,
        };
        let page = deals::list_pipelines(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)?;
        Ok(connection(page, |p| id_cursor(&p.id)))
    }

    /// One deal, or null.
    async fn deal(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Deal>> {
        not_found_is_null(deals::get_deal(state(ctx)?, principal(ctx)?, &id).await)
    }

    /// Deals, oldest first, filtered.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn deals(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<DealFilterInput>,
    ) -> Result<Connection<String, Deal>> {
        let f = filter.unwrap_or_default();
        let query = DealQuery {
            limit: first.map(i64::from),
            after: after_id(after)?,
            pipeline_id: f.pipeline_id.map(|id| id.0),
            stage_id: f.stage_id.map(|id| id.0),
            owner_id: f.owner_id.map(|id| id.0),
            account_id: f.account_id.map(|id| id.0),
            status: f.status,
            expected_close_from: f.expected_close_from.map(|d| d.0),
            expected_close_to: f.expected_close_to.map(|d| d.0),
        };
        let page = deals::list_deals(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql_in("filter"))?;
        Ok(connection(page, |d| id_cursor(&d.id)))
    }

    /// A pipeline's forecast (open deals now) and funnel over `[from, to)` (default: the
    /// last 365 days).
    async fn pipeline_analytics(
        &self,
        ctx: &Context<'_>,
        pipeline_id: ID,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<PipelineAnalytics> {
        let query = AnalyticsQuery {
            pipeline_id: Some(pipeline_id.0),
            from,
            to,
        };
        deals::pipeline_analytics(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)
    }
}

#[ComplexObject]
impl Deal {
    /// Every stage the deal went through (from, to, who, when), oldest first.
    #[graphql(complexity = "crate::graphql::limits::list(child_complexity)")]
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<StageChange>> {
        deals::history(state(ctx)?, principal(ctx)?, &self.id)
            .await
            .map_err(gql)
    }
}

#[derive(Default)]
pub struct DealsMutation;

#[Object]
impl DealsMutation {
    /// Create a pipeline with its stages in order.
    async fn create_pipeline(
        &self,
        ctx: &Context<'_>,
        input: inputs::PipelineInput,
        idempotency_key: Option<String>,
    ) -> Result<Pipeline> {
        let input = deals::PipelineInput::from(input);
        let idem = idempotency(idempotency_key, "createPipeline", &input)?;
        let outcome = deals::create_pipeline(state(ctx)?, principal(ctx)?, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Change a pipeline with a JSON merge patch (`stages` replaces the list: order, kept
    /// ids, new stages, and active stages left out are archived).
    async fn update_pipeline(
        &self,
        ctx: &Context<'_>,
        id: ID,
        patch: Value,
        if_version: Option<i64>,
    ) -> Result<Pipeline> {
        deals::update_pipeline(state(ctx)?, principal(ctx)?, &id, patch, if_version)
            .await
            .map_err(gql_patch)
    }

    /// Archive a pipeline. Returns true.
    async fn archive_pipeline(
        &self,
        ctx: &Context<'_>,
        id: ID,
        if_version: Option<i64>,
    ) -> Result<bool> {
        deals::archive_pipeline(state(ctx)?, principal(ctx)?, &id, if_version)
            .await
            .map_err(gql)?;
        Ok(true)
    }

    /// Open a deal.
    async fn create_deal(
        &self,
        ctx: &Context<'_>,
        input: inputs::DealInput,
        idempotency_key: Option<String>,
    ) -> Result<Deal> {
        let input = deals::DealInput::from(input);
        let idem = idempotency(idempotency_key, "createDeal", &input)?;
        let outcome = deals::create_deal(state(ctx)?, principal(ctx)?, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Change a deal's details with a JSON merge patch (not its stage: use `moveDeal`).
    async fn update_deal(
        &self,
        ctx: &Context<'_>,
        id: ID,
        patch: Value,
        if_version: Option<i64>,
    ) -> Result<Deal> {
        deals::update_deal(state(ctx)?, principal(ctx)?, &id, patch, if_version)
            .await
            .map_err(gql_patch)
    }

    /// Delete a deal (soft). Returns true.
    async fn delete_deal(
        &self,
        ctx: &Context<'_>,
        id: ID,
        if_version: Option<i64>,
    ) -> Result<bool> {
        deals::delete_deal(state(ctx)?, principal(ctx)?, &id, if_version)
            .await
            .map_err(gql)?;
        Ok(true)
    }

    /// Move a deal to another stage of its pipeline (`lostReason` for a lost stage).
    #[allow(clippy::too_many_arguments)] // a resolver's arguments are the operation's
    async fn move_deal(
        &self,
        ctx: &Context<'_>,
        id: ID,
        stage_id: ID,
        lost_reason: Option<String>,
        at: Option<DateTime<Utc>>,
        if_version: Option<i64>,
        idempotency_key: Option<String>,
    ) -> Result<Deal> {
        let input = MoveInput {
            stage_id: stage_id.0,
            lost_reason,
            at,
        };
        let idem = idempotency(
            idempotency_key,
            &format!("moveDeal {}", id.as_str()),
            &input,
        )?;
        let outcome = deals::move_deal(state(ctx)?, principal(ctx)?, &id, input, if_version, idem)
            .await
            .map_err(gql)?;
        fresh_or_replayed(outcome)
    }

    /// Reopen a won or lost deal into an open stage.
    async fn reopen_deal(
        &self,
        ctx: &Context<'_>,
        id: ID,
        stage_id: ID,
        at: Option<DateTime<Utc>>,
        if_version: Option<i64>,
        idempotency_key: Option<String>,
    ) -> Result<Deal> {
        let input = ReopenInput {
            stage_id: stage_id.0,
            at,
        };
        let idem = idempotency(
            idempotency_key,
            &format!("reopenDeal {}", id.as_str()),
            &input,
        )?;
        let outcome =
            deals::reopen_deal(state(ctx)?, principal(ctx)?, &id, input, if_version, idem)
                .await
                .map_err(gql)?;
        fresh_or_replayed(outcome)
    }
}
