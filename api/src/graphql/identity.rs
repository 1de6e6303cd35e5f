//! Users, API keys, the workspace and the audit log over GraphQL: the same services, scopes
//! and workspace filter as REST.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result, ID};

use crate::graphql::{connection, gql, gql_in, principal, state};
use crate::service::api_keys::{self, ApiKey, CreatedApiKey, NewApiKey};
use crate::service::audit::{self, AuditEntry, AuditQuery};
use crate::service::page_request;
use crate::service::users::{self, NewUser, User, UserPatch};
use crate::service::workspaces::{self, Workspace};

#[derive(Default)]
pub struct IdentityQuery;

#[Object]
impl IdentityQuery {
    /// The user behind the access token (null for an API key).
    async fn me(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let principal = principal(ctx)?;
        let Some(id) = principal.user_id() else {
            return Ok(None);
        };
        users::get(state(ctx)?, principal, id)
            .await
            .map(Some)
            .map_err(gql)
    }

    /// The caller's workspace.
    async fn workspace(&self, ctx: &Context<'_>) -> Result<Workspace> {
        workspaces::current(state(ctx)?, principal(ctx)?)
            .await
            .map_err(gql)
    }

    /// The workspace's users (admin).
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, User>> {
        let page = page_request(first.map(i64::from), after).map_err(gql)?;
        let page = users::list(state(ctx)?, principal(ctx)?, page)
            .await
            .map_err(gql)?;
        Ok(connection(page, |u| u.id.clone()))
    }

    /// API keys, without secrets (admin).
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn api_keys(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, ApiKey>> {
        let page = page_request(first.map(i64::from), after).map_err(gql)?;
        let page = api_keys::list(state(ctx)?, principal(ctx)?, page)
            .await
            .map_err(gql)?;
        Ok(connection(page, |k| k.id.clone()))
    }

    /// Every write, newest first (admin).
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        resource_type: Option<String>,
        resource_id: Option<ID>,
    ) -> Result<Connection<String, AuditEntry>> {
        let query = AuditQuery {
            limit: first.map(i64::from),
            after,
            resource_type,
            resource_id: resource_id.map(|id| id.0),
            actor_id: None,
        };
        let page = audit::list(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)?;
        Ok(connection(page, |e| e.id.clone()))
    }
}

#[derive(Default)]
pub struct IdentityMutation;

#[Object]
impl IdentityMutation {
    /// Add a user (admin).
    async fn create_user(&self, ctx: &Context<'_>, input: NewUser) -> Result<User> {
        users::create(state(ctx)?, principal(ctx)?, input)
            .await
            .map_err(gql_in("input"))
    }

    /// Change a user: name/password (self or admin), role/disabled (admin).
    async fn update_user(&self, ctx: &Context<'_>, id: ID, input: UserPatch) -> Result<User> {
        users::update(state(ctx)?, principal(ctx)?, &id, input)
            .await
            .map_err(gql_in("input"))
    }

    /// Create an API key; the result carries the secret, shown only this once.
    async fn create_api_key(&self, ctx: &Context<'_>, input: NewApiKey) -> Result<CreatedApiKey> {
        api_keys::create(state(ctx)?, principal(ctx)?, input)
            .await
            .map_err(gql_in("input"))
    }

    /// Revoke an API key at once.
    async fn revoke_api_key(&self, ctx: &Context<'_>, id: ID) -> Result<ApiKey> {
        api_keys::revoke(state(ctx)?, principal(ctx)?, &id)
            .await
            .map_err(gql)
    }
}
