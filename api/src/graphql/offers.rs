//! Offers and vouchers over GraphQL: the same services, scopes and workspace filter as
//! `/v1/offers`, `/v1/accounts/{id}/offers` and `/v1/vouchers/{code}`.

use async_graphql::connection::Connection;
use async_graphql::{Context, InputObject, Object, Result, ID};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::graphql::scalars::Long;

use crate::graphql::outcomes::{fresh_or_replayed, idempotency, not_found_is_null};
use crate::graphql::{connection, gql, gql_in, gql_patch, principal, state};
use crate::service::offers::vouchers::{
    self, AccountOffersQuery, IssueInput, IssueResult, PersonalOffer, Voucher, VoucherCheck,
};
use crate::service::offers::{self as offers, Eligibility, Offer, OfferInput};
use crate::service::page_request;

/// Who may get an offer: every condition given must hold.
#[derive(Debug, Clone, Default, InputObject)]
pub struct OfferEligibilityInput {
    /// Members of this segment (by rules) only.
    pub segment_id: Option<ID>,
    /// Loyalty members in one of these tiers (by name) only.
    #[graphql(default)]
    pub tiers: Vec<String>,
    /// Customers whose 12-month CLV is at least this (minor units, reporting currency).
    pub min_clv: Option<Long>,
    /// Customers in one of these risk bands (`healthy`, `watch`, `at_risk`, `lost`).
    #[graphql(default)]
    pub risk_bands: Vec<String>,
    /// Customers who granted consent on this channel (`email`, `sms`, `push`).
    pub channel_consent: Option<String>,
}

/// A new offer (the fields of `POST /v1/offers`).
#[derive(Debug, Clone, InputObject)]
#[graphql(name = "OfferInput")]
pub struct OfferInputG {
    pub name: String,
    pub description: Option<String>,
    /// `percent_discount`, `fixed_discount`, `bonus_points`, `free_reward`, `free_shipping`
    /// or `custom`.
    pub kind: String,
    pub percent: Option<i32>,
    pub amount: Option<Long>,
    pub currency: Option<String>,
    pub points: Option<Long>,
    pub points_multiplier: Option<f64>,
    pub reward_id: Option<ID>,
    pub benefit: Option<String>,
    pub eligibility: Option<OfferEligibilityInput>,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    pub voucher_valid_days: Option<i32>,
    pub cost_per_redemption: Option<Long>,
    pub budget: Option<Long>,
    pub per_customer_cap: Option<i64>,
    pub total_cap: Option<i64>,
    pub campaign_id: Option<ID>,
    pub status: Option<String>,
}

impl From<OfferInputG> for OfferInput {
    fn from(v: OfferInputG) -> Self {
        let long = |l: Option<Long>| l.map(i64::from);
        OfferInput {
            name: v.name,
            description: v.description,
            kind: v.kind,
            percent: v.percent,
            amount: long(v.amount),
            currency: v.currency,
            points: long(v.points),
            points_multiplier: v.points_multiplier,
            reward_id: v.reward_id.map(|id| id.0),
            benefit: v.benefit,
            eligibility: v.eligibility.map(|e| Eligibility {
                segment_id: e.segment_id.map(|id| id.0),
                tiers: e.tiers,
                min_clv: long(e.min_clv),
                risk_bands: e.risk_bands,
                channel_consent: e.channel_consent,
            }),
            valid_from: v.valid_from,
            valid_until: v.valid_until,
            voucher_valid_days: v.voucher_valid_days,
            cost_per_redemption: long(v.cost_per_redemption).unwrap_or(0),
            budget: long(v.budget),
            per_customer_cap: v.per_customer_cap,
            total_cap: v.total_cap,
            campaign_id: v.campaign_id.map(|id| id.0),
            status: v.status,
        }
    }
}

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
        input: OfferInputG,
        idempotency_key: Option<String>,
    ) -> Result<Offer> {
        let input = OfferInput::from(input);
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
    async fn delete_offer(
        &self,
        ctx: &Context<'_>,
        id: ID,
        if_version: Option<i64>,
    ) -> Result<bool> {
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
        let idem = idempotency(
            idempotency_key,
            &format!("issueOffer {}", id.as_str()),
            &input,
        )?;
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
