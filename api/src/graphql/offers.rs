//! Offers and vouchers over GraphQL: the same services, scopes and workspace filter as
//! `/v1/offers`, `/v1/accounts/{id}/offers` and `/v1/vouchers/{code}`.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result, ID};
use serde_json::Value;

use crate::graphql::outcomes::{fresh_or_replayed, idempotency, not_found_is_null};
use crate::graphql::{connection, gql, gql_in, gql_patch, principal, state};
use crate::service::offers::vouchers::{
    self, AccountOffersQuery, IssueInput, IssueResult, PersonalOffer, Voucher, VoucherCheck,
};
use crate::service::offers::{self as offers, Offer, OfferInput};
use crate::service::page_request;

#[derive(Default)]
pub struct OffersQuery;

#[Object]
impl OffersQuery {
    /// Offers by id, in pages.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn offers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, Offer>> {
        let page = page_request(first.map(i64::from), after).map_err(gql)?;
        let page = offers::list(state(ctx)?, principal(ctx)?, page)
            .await
            .map_err(gql)?;
        Ok(connection(page, |o| o.id.clone()))
    }

    /// One offer, or null when there is none with this id in the workspace.
    async fn offer(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Offer>> {
        not_found_is_null(offers::get(state(ctx)?, principal(ctx)?, &id).await)
    }

    /// A voucher checked at a till (as `GET /v1/vouchers/{code}`), or null when there is
    /// none with this code in the workspace.
    async fn voucher(&self, ctx: &Context<'_>, code: String) -> Result<Option<VoucherCheck>> {
        not_found_is_null(vouchers::check(state(ctx)?, principal(ctx)?, &code).await)
    }

    /// An account's personal offers (`state`: `open`, the default, or `all`).
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn account_offers(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
        state_filter: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, PersonalOffer>> {
        let query = AccountOffersQuery {
            limit: first.map(i64::from),
            after,
            state: state_filter,
        };
        let page = vouchers::for_account(state(ctx)?, principal(ctx)?, &account_id, query)
            .await
            .map_err(gql)?;
        Ok(connection(page, |p| p.voucher.id.clone()))
    }
}

#[derive(Default)]
pub struct OffersMutation;

#[Object]
impl OffersMutation {
    /// Create an offer.
    async fn create_offer(
        &self,
        ctx: &Context<'_>,
        input: OfferInput,
        idempotency_key: Option<String>,
    ) -> Result<Offer> {
        let idem = idempotency(idempotency_key, "createOffer", &input)?;
        let outcome = offers::create(state(ctx)?, principal(ctx)?, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Change an offer with a JSON merge patch.
    async fn update_offer(
        &self,
        ctx: &Context<'_>,
        id: ID,
        patch: Value,
        if_version: Option<i64>,
    ) -> Result<Offer> {
        offers::update(state(ctx)?, principal(ctx)?, &id, patch, if_version)
            .await
            .map_err(gql_patch)
    }

    /// Delete an offer (soft). Returns true.
    async fn delete_offer(&self, ctx: &Context<'_>, id: ID, if_version: Option<i64>) -> Result<bool> {
        offers::delete(state(ctx)?, principal(ctx)?, &id, if_version)
            .await
            .map_err(gql)?;
        Ok(true)
    }

    /// Issue an offer to one account or a segment's members.
    async fn issue_offer(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: IssueInput,
        idempotency_key: Option<String>,
    ) -> Result<IssueResult> {
        let idem = idempotency(idempotency_key, &format!("issueOffer {}", id.as_str()), &input)?;
        let outcome = vouchers::issue(state(ctx)?, principal(ctx)?, &id, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Cancel an open voucher.
    async fn cancel_voucher(&self, ctx: &Context<'_>, code: String) -> Result<Voucher> {
        let outcome = vouchers::cancel(state(ctx)?, principal(ctx)?, &code, None)
            .await
            .map_err(gql)?;
        fresh_or_replayed(outcome)
    }

    /// Report that the customer saw a voucher.
    async fn view_voucher(&self, ctx: &Context<'_>, code: String) -> Result<Voucher> {
        let outcome = vouchers::view(state(ctx)?, principal(ctx)?, &code, None)
            .await
            .map_err(gql)?;
        fresh_or_replayed(outcome)
    }
}
