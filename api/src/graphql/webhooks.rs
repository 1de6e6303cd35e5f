//! Webhook subscriptions over GraphQL (admin): the same services as `/v1/webhooks`.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result, ID};

use crate::graphql::{connection, gql, gql_in, principal, state};
use crate::service::page_request;
use crate::service::webhooks::deliveries::{self, WebhookDelivery};
use crate::service::webhooks::{self, NewWebhook, Webhook, WebhookPatch, WebhookWithSecret};

#[derive(Default)]
pub struct WebhooksQuery;

#[Object]
impl WebhooksQuery {
    /// Webhook subscriptions, without secrets (admin).
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn webhooks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, Webhook>> {
        let page = page_request(first.map(i64::from), after).map_err(gql)?;
        let page = webhooks::list(state(ctx)?, principal(ctx)?, page)
            .await
            .map_err(gql)?;
        Ok(connection(page, |w| w.id.clone()))
    }

    /// One webhook subscription (admin).
    async fn webhook(&self, ctx: &Context<'_>, id: ID) -> Result<Webhook> {
        webhooks::get(state(ctx)?, principal(ctx)?, &id)
            .await
            .map_err(gql)
    }

    /// A subscription's delivery attempts, newest first (admin).
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        webhook_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, WebhookDelivery>> {
        let page = page_request(first.map(i64::from), after).map_err(gql)?;
        let page = deliveries::list(state(ctx)?, principal(ctx)?, &webhook_id, page)
            .await
            .map_err(gql)?;
        Ok(connection(page, |d| d.id.clone()))
    }
}

#[derive(Default)]
pub struct WebhooksMutation;

#[Object]
impl WebhooksMutation {
    /// Subscribe a URL to event types; the result carries the secret, shown only this once.
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        input: NewWebhook,
    ) -> Result<WebhookWithSecret> {
        webhooks::create(state(ctx)?, principal(ctx)?, input)
            .await
            .map_err(gql_in("input"))
    }

    /// Change a subscription's URL, event types, description, enabled state or batch size.
    async fn update_webhook(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: WebhookPatch,
    ) -> Result<Webhook> {
        webhooks::update(state(ctx)?, principal(ctx)?, &id, input)
            .await
            .map_err(gql_in("input"))
    }

    /// Delete a subscription and its delivery log; answers its id.
    async fn delete_webhook(&self, ctx: &Context<'_>, id: ID) -> Result<ID> {
        webhooks::delete(state(ctx)?, principal(ctx)?, &id)
            .await
            .map_err(gql)?;
        Ok(id)
    }

    /// A new signing secret (shown only this once); the old one signs too for the overlap.
    async fn rotate_webhook_secret(&self, ctx: &Context<'_>, id: ID) -> Result<WebhookWithSecret> {
        webhooks::rotate_secret(state(ctx)?, principal(ctx)?, &id)
            .await
            .map_err(gql)
    }

    /// Send the event of a logged attempt again, now.
    async fn redeliver_webhook_delivery(
        &self,
        ctx: &Context<'_>,
        webhook_id: ID,
        delivery_id: ID,
    ) -> Result<WebhookDelivery> {
        deliveries::redeliver(state(ctx)?, principal(ctx)?, &webhook_id, &delivery_id)
            .await
            .map_err(gql)
    }

    /// Send a `ping` event to the subscription now.
    async fn ping_webhook(&self, ctx: &Context<'_>, id: ID) -> Result<WebhookDelivery> {
        deliveries::ping(state(ctx)?, principal(ctx)?, &id)
            .await
            .map_err(gql)
    }
}
