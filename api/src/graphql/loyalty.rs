//! Loyalty over GraphQL: the same services, scopes and workspace filter as REST.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result, ID};
use serde_json::Value;

use crate::graphql::inputs;
use crate::graphql::outcomes::{fresh_or_replayed, idempotency, not_found_is_null};
use crate::graphql::{connection, gql, gql_in, gql_patch, principal, state};
use crate::service::loyalty::{
    self, LedgerEntry, LoyaltyBalance, LoyaltyProgram, Redemption, Reward,
};

#[derive(Default)]
pub struct LoyaltyQuery;

#[Object]
impl LoyaltyQuery {
    /// The workspace's loyalty programme, or null when there is none yet.
    async fn loyalty_program(&self, ctx: &Context<'_>) -> Result<Option<LoyaltyProgram>> {
        not_found_is_null(loyalty::get_program(state(ctx)?, principal(ctx)?).await)
    }

    /// A member's balance, tier and progress; null for an unknown account or without a
    /// programme.
    async fn loyalty_balance(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
    ) -> Result<Option<LoyaltyBalance>> {
        match loyalty::get_balance(state(ctx)?, principal(ctx)?, &account_id).await {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.status.as_u16() == 404 => Ok(None),
            Err(e) => Err(gql(e)),
        }
    }

    /// A member's ledger, newest first.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn loyalty_ledger(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, LedgerEntry>> {
        let page = loyalty::ledger(
            state(ctx)?,
            principal(ctx)?,
            &account_id,
            first.map(i64::from),
            after,
        )
        .await
        .map_err(gql)?;
        Ok(connection(page, |e| e.id.clone()))
    }

    /// A member's redemptions, newest first.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn loyalty_redemptions(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, Redemption>> {
        let page = loyalty::redemptions(
            state(ctx)?,
            principal(ctx)?,
            &account_id,
            first.map(i64::from),
            after,
        )
        .await
        .map_err(gql)?;
        Ok(connection(page, |r| r.id.clone()))
    }

    /// The rewards catalog.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn loyalty_rewards(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, Reward>> {
        let page = loyalty::list_rewards(state(ctx)?, principal(ctx)?, first.map(i64::from), after)
            .await
            .map_err(gql)?;
        Ok(connection(page, |r| r.id.clone()))
    }

    /// One reward, or null.
    async fn loyalty_reward(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Reward>> {
        not_found_is_null(loyalty::get_reward(state(ctx)?, principal(ctx)?, &id).await)
    }
}

#[derive(Default)]
pub struct LoyaltyMutation;

#[Object]
impl LoyaltyMutation {
    /// Create or replace the loyalty programme (admin).
    async fn set_loyalty_program(
        &self,
        ctx: &Context<'_>,
        input: inputs::ProgramInput,
        if_version: Option<i64>,
    ) -> Result<LoyaltyProgram> {
        let input = loyalty::ProgramInput::from(input);
        loyalty::put_program(state(ctx)?, principal(ctx)?, input, if_version)
            .await
            .map_err(gql_in("input"))
    }

    /// Spend points (or a reward's cost); never below zero. With `idempotencyKey`, a retry
    /// is applied once.
    async fn redeem_points(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
        input: inputs::RedeemInput,
        idempotency_key: Option<String>,
    ) -> Result<Redemption> {
        let input = loyalty::RedeemInput::from(input);
        let idem = idempotency(
            idempotency_key,
            &format!("redeemPoints {}", account_id.as_str()),
            &input,
        )?;
        let outcome = loyalty::redeem(state(ctx)?, principal(ctx)?, &account_id, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Hand over a reward redemption; repeating it changes nothing.
    async fn fulfil_redemption(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
        redemption_id: ID,
    ) -> Result<Redemption> {
        loyalty::fulfil_redemption(state(ctx)?, principal(ctx)?, &account_id, &redemption_id)
            .await
            .map_err(gql)
    }

    /// Cancel a redemption: its points and the reward's stock come back, once.
    async fn cancel_redemption(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
        redemption_id: ID,
        input: Option<loyalty::CancelRedemptionInput>,
    ) -> Result<Redemption> {
        loyalty::cancel_redemption(
            state(ctx)?,
            principal(ctx)?,
            &account_id,
            &redemption_id,
            input.unwrap_or_default(),
        )
        .await
        .map_err(gql_in("input"))
    }

    /// An admin's manual correction with a required reason.
    async fn adjust_points(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
        input: inputs::AdjustInput,
        idempotency_key: Option<String>,
    ) -> Result<LedgerEntry> {
        let input = loyalty::AdjustInput::from(input);
        let idem = idempotency(
            idempotency_key,
            &format!("adjustPoints {}", account_id.as_str()),
            &input,
        )?;
        let outcome = loyalty::adjust(state(ctx)?, principal(ctx)?, &account_id, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Add a reward to the catalog (admin).
    async fn create_reward(
        &self,
        ctx: &Context<'_>,
        input: inputs::RewardInput,
        idempotency_key: Option<String>,
    ) -> Result<Reward> {
        let input = loyalty::RewardInput::from(input);
        let idem = idempotency(idempotency_key, "createReward", &input)?;
        let outcome = loyalty::create_reward(state(ctx)?, principal(ctx)?, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Change a reward with a JSON merge patch (admin).
    async fn update_reward(
        &self,
        ctx: &Context<'_>,
        id: ID,
        patch: Value,
        if_version: Option<i64>,
    ) -> Result<Reward> {
        loyalty::update_reward(state(ctx)?, principal(ctx)?, &id, patch, if_version)
            .await
            .map_err(gql_patch)
    }

    /// Remove a reward from the catalog (admin). Returns true.
    async fn delete_reward(
        &self,
        ctx: &Context<'_>,
        id: ID,
        if_version: Option<i64>,
    ) -> Result<bool> {
        loyalty::delete_reward(state(ctx)?, principal(ctx)?, &id, if_version)
            .await
            .map_err(gql)?;
        Ok(true)
    }
}
