//! Export jobs over GraphQL: the same use cases as `/v1/exports` (files are downloaded over
//! REST, from a job's `downloadUrl`).

use async_graphql::connection::Connection;
use async_graphql::{Context, Json, Object, Result, ID};

use crate::graphql::outcomes::{fresh_or_replayed, idempotency};
use crate::graphql::{connection, gql, principal, state};
use crate::service::exports::{self, ExportInput, ExportJob};

#[derive(Default)]
pub struct ExportsQuery;

#[Object]
impl ExportsQuery {
    /// One export job (see `GET /v1/exports/{id}`).
    async fn export_job(&self, ctx: &Context<'_>, id: ID) -> Result<ExportJob> {
        exports::get(state(ctx)?, principal(ctx)?, &id)
            .await
            .map_err(gql)
    }

    /// The workspace's export jobs, newest first.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn export_jobs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, ExportJob>> {
        let page = exports::list(state(ctx)?, principal(ctx)?, first.map(i64::from), after)
            .await
            .map_err(gql)?;
        Ok(connection(page, |job| job.id.clone()))
    }
}

#[derive(Default)]
pub struct ExportsMutation;

#[Object]
impl ExportsMutation {
    /// Start an export (see `POST /v1/exports`): `type` is `accounts`, `contacts`, `orders`,
    /// `interactions`, `ledger` or `feedback`; `format` `csv` (default) or `ndjson`;
    /// `filters` the list's filters as a JSON object.
    async fn create_export(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "type")] export_type: String,
        format: Option<String>,
        filters: Option<Json<serde_json::Value>>,
        idempotency_key: Option<String>,
    ) -> Result<ExportJob> {
        let input = ExportInput {
            export_type: Some(export_type),
            format,
            filters: filters.map(|f| f.0),
        };
        let idem = idempotency(idempotency_key, "createExport", &input)?;
        let outcome = exports::create(state(ctx)?, principal(ctx)?, input, idem)
            .await
            .map_err(gql)?;
        fresh_or_replayed(outcome)
    }

    /// Cancel an export that has not ended.
    async fn cancel_export(
        &self,
        ctx: &Context<'_>,
        id: ID,
        idempotency_key: Option<String>,
    ) -> Result<ExportJob> {
        let idem = idempotency(idempotency_key, "cancelExport", &id.0)?;
        let outcome = exports::cancel(state(ctx)?, principal(ctx)?, &id, idem)
            .await
            .map_err(gql)?;
        fresh_or_replayed(outcome)
    }
}
