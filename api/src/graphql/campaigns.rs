//! Campaigns over GraphQL: the same services, scopes and workspace filter as `/v1/campaigns`.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result, ID};
use serde_json::Value;

use crate::graphql::outcomes::{fresh_or_replayed, idempotency, not_found_is_null};
use crate::graphql::{connection, gql, gql_in, gql_patch, principal, state};
use crate::service::campaigns::launch;
use crate::service::campaigns::members::{
    self, CampaignMember, ExposureBatch, ExposureBatchResult, ExposureInput, MemberQuery,
};
use crate::service::campaigns::results::{self, CampaignResults};
use crate::service::campaigns::settings::{self, GlobalControl, GlobalControlInput};
use crate::service::campaigns::{self as campaigns, Campaign, CampaignInput};
use crate::service::page_request;

#[derive(Default)]
pub struct CampaignsQuery;

#[Object]
impl CampaignsQuery {
    /// Campaigns by id, in pages.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn campaigns(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, Campaign>> {
        let page = page_request(first.map(i64::from), after).map_err(gql)?;
        let page = campaigns::list(state(ctx)?, principal(ctx)?, page)
            .await
            .map_err(gql)?;
        Ok(connection(page, |c| c.id.clone()))
    }

    /// One campaign, or null when there is none with this id in the workspace.
    async fn campaign(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Campaign>> {
        not_found_is_null(campaigns::get(state(ctx)?, principal(ctx)?, &id).await)
    }

    /// A launched campaign's results (as `GET /v1/campaigns/{id}/results`).
    async fn campaign_results(&self, ctx: &Context<'_>, id: ID) -> Result<CampaignResults> {
        results::results(state(ctx)?, principal(ctx)?, &id)
            .await
            .map_err(gql)
    }

    /// A launched campaign's members by account id, of one arm (`treatment`, `control`) or both.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn campaign_members(
        &self,
        ctx: &Context<'_>,
        id: ID,
        arm: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, CampaignMember>> {
        let query = MemberQuery {
            arm,
            limit: first.map(i64::from),
            after,
        };
        let page = members::list(state(ctx)?, principal(ctx)?, &id, query)
            .await
            .map_err(gql)?;
        Ok(connection(page, |m| m.account_id.clone()))
    }

    /// The workspace's global control group.
    async fn global_control(&self, ctx: &Context<'_>) -> Result<GlobalControl> {
        settings::get(state(ctx)?, principal(ctx)?)
            .await
            .map_err(gql)
    }
}

#[derive(Default)]
pub struct CampaignsMutation;

#[Object]
impl CampaignsMutation {
    /// Create a draft campaign.
    async fn create_campaign(
        &self,
        ctx: &Context<'_>,
        input: CampaignInput,
        idempotency_key: Option<String>,
    ) -> Result<Campaign> {
        let idem = idempotency(idempotency_key, "createCampaign", &input)?;
        let outcome = campaigns::create(state(ctx)?, principal(ctx)?, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Change a campaign with a JSON merge patch.
    async fn update_campaign(
        &self,
        ctx: &Context<'_>,
        id: ID,
        patch: Value,
        if_version: Option<i64>,
    ) -> Result<Campaign> {
        campaigns::update(state(ctx)?, principal(ctx)?, &id, patch, if_version)
            .await
            .map_err(gql_patch)
    }

    /// Delete a campaign (soft). Returns true.
    async fn delete_campaign(
        &self,
        ctx: &Context<'_>,
        id: ID,
        if_version: Option<i64>,
    ) -> Result<bool> {
        campaigns::delete(state(ctx)?, principal(ctx)?, &id, if_version)
            .await
            .map_err(gql)?;
        Ok(true)
    }

    /// Launch: snapshot the audience and split it into treatment and control (once).
    async fn launch_campaign(
        &self,
        ctx: &Context<'_>,
        id: ID,
        idempotency_key: Option<String>,
    ) -> Result<Campaign> {
        let idem = idempotency(
            idempotency_key,
            &format!("launchCampaign {}", id.as_str()),
            &(),
        )?;
        let outcome = launch::launch(state(ctx)?, principal(ctx)?, &id, idem)
            .await
            .map_err(gql)?;
        fresh_or_replayed(outcome)
    }

    /// Report contact outcomes of treated members (up to 1,000; all or nothing).
    async fn record_campaign_exposures(
        &self,
        ctx: &Context<'_>,
        id: ID,
        exposures: Vec<ExposureInput>,
        idempotency_key: Option<String>,
    ) -> Result<ExposureBatchResult> {
        let batch = ExposureBatch { exposures };
        let idem = idempotency(
            idempotency_key,
            &format!("recordCampaignExposures {}", id.as_str()),
            &batch,
        )?;
        let outcome = members::record(state(ctx)?, principal(ctx)?, &id, batch, idem)
            .await
            .map_err(gql)?;
        fresh_or_replayed(outcome)
    }

    /// Set the global control group's share and re-draw schedule.
    async fn set_global_control(
        &self,
        ctx: &Context<'_>,
        input: GlobalControlInput,
    ) -> Result<GlobalControl> {
        settings::update(state(ctx)?, principal(ctx)?, input)
            .await
            .map_err(gql_in("input"))
    }

    /// Draw the global control group anew.
    async fn redraw_global_control(&self, ctx: &Context<'_>) -> Result<GlobalControl> {
        settings::redraw(state(ctx)?, principal(ctx)?)
            .await
            .map_err(gql)
    }
}
