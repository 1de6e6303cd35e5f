//! Import jobs over GraphQL: the same reads as `/v1/imports` (files are sent over REST).

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result, ID};

use crate::graphql::{connection, gql, principal, state};
use crate::service::imports::{self, ImportJob};

#[derive(Default)]
pub struct ImportsQuery;

#[Object]
impl ImportsQuery {
    /// One import job and its progress (see `GET /v1/imports/{id}`).
    async fn import_job(&self, ctx: &Context<'_>, id: ID) -> Result<ImportJob> {
        imports::get(state(ctx)?, principal(ctx)?, &id)
            .await
            .map_err(gql)
    }

    /// The workspace's import jobs, newest first.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn import_jobs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, ImportJob>> {
        let page = imports::list(state(ctx)?, principal(ctx)?, first.map(i64::from), after)
            .await
            .map_err(gql)?;
        Ok(connection(page, |job| job.id.clone()))
    }
}
