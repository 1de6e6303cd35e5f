//! Customer economics over GraphQL: the same reports as `/v1/analytics/cohorts` and
//! `/v1/analytics/churn`, from the same services.

use async_graphql::{Context, InputObject, Object, Result};

use crate::graphql::outcomes::{fresh_or_replayed, idempotency};
use crate::graphql::scalars::Long;
use crate::graphql::{gql, gql_in, principal, state};
use crate::service::economics::acquisition::{self, AcquisitionQuery, AcquisitionReport};
use crate::service::economics::churn::{self, ChurnQuery, ChurnReport};
use crate::service::economics::cohorts::{self, CohortQuery, CohortReport};
use crate::service::economics::distribution::{self, DistributionQuery, ValueDistribution};
use crate::service::economics::profitability::{self, ProfitabilityQuery, ProfitabilityReport};
use crate::service::economics::spend::{self, MarketingSpend, SpendInput, SpendQuery};

#[derive(Default)]
pub struct EconomicsQuery;

#[Object]
impl EconomicsQuery {
    /// Retention cohorts (see `GET /v1/analytics/cohorts`): `period` `month` (default) or
    /// `week`; `from`/`to` dates `YYYY-MM-DD` (UTC); `groupBy` `acquisition_channel`.
    async fn cohort_report(
        &self,
        ctx: &Context<'_>,
        period: Option<String>,
        from: Option<String>,
        to: Option<String>,
        group_by: Option<String>,
    ) -> Result<CohortReport> {
        let query = CohortQuery {
            period,
            from,
            to,
            group_by,
        };
        cohorts::report(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)
    }

    /// Repeat purchases, growth accounting and churn per period (see
    /// `GET /v1/analytics/churn`); `inactiveDays` defaults to 90.
    async fn churn_report(
        &self,
        ctx: &Context<'_>,
        period: Option<String>,
        from: Option<String>,
        to: Option<String>,
        inactive_days: Option<i32>,
    ) -> Result<ChurnReport> {
        let query = ChurnQuery {
            period,
            from,
            to,
            inactive_days: inactive_days.map(i64::from),
        };
        churn::report(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)
    }

    /// Acquisition economics by channel (see `GET /v1/analytics/acquisition`).
    async fn acquisition_report(
        &self,
        ctx: &Context<'_>,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<AcquisitionReport> {
        acquisition::report(state(ctx)?, principal(ctx)?, AcquisitionQuery { from, to })
            .await
            .map_err(gql)
    }

    /// Percentiles, histogram and concentration of revenue and CLV, for every buyer or a
    /// segment's (`segmentId` or `rfmSegment`; see `GET /v1/analytics/value-distribution`).
    async fn value_distribution(
        &self,
        ctx: &Context<'_>,
        segment_id: Option<String>,
        rfm_segment: Option<String>,
    ) -> Result<ValueDistribution> {
        let query = DistributionQuery {
            segment_id,
            rfm_segment,
        };
        distribution::report(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)
    }

    /// Customer profitability: totals, deciles, RFM segments with the simple CLV, and the
    /// `limit` (default 10) most and least profitable customers (see
    /// `GET /v1/analytics/profitability`).
    async fn profitability_report(
        &self,
        ctx: &Context<'_>,
        limit: Option<i32>,
    ) -> Result<ProfitabilityReport> {
        let query = ProfitabilityQuery {
            limit: limit.map(i64::from),
        };
        profitability::report(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)
    }

    /// Marketing spend rows by channel and month (`from`/`to`: `YYYY-MM`).
    async fn marketing_spend(
        &self,
        ctx: &Context<'_>,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<Vec<MarketingSpend>> {
        spend::list(state(ctx)?, principal(ctx)?, SpendQuery { from, to })
            .await
            .map(|l| l.data)
            .map_err(gql)
    }
}

/// One channel's spend in one month (see `POST /v1/marketing-spend`).
#[derive(Debug, Clone, serde::Serialize, InputObject)]
pub struct MarketingSpendInput {
    pub channel: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Minor units.
    #[serde(serialize_with = "long_value")]
    pub amount: Long,
    pub currency: String,
}

fn long_value<S: serde::Serializer>(v: &Long, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_i64(v.0)
}

#[derive(Default)]
pub struct EconomicsMutation;

#[Object]
impl EconomicsMutation {
    /// Record a channel's marketing spend for a month (admins): creates or replaces it.
    async fn upsert_marketing_spend(
        &self,
        ctx: &Context<'_>,
        input: MarketingSpendInput,
        idempotency_key: Option<String>,
    ) -> Result<MarketingSpend> {
        let idem = idempotency(idempotency_key, "upsertMarketingSpend", &input)?;
        let input = SpendInput {
            channel: input.channel,
            month: input.month,
            amount: input.amount.0,
            currency: input.currency,
        };
        let outcome = spend::upsert(state(ctx)?, principal(ctx)?, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }
}
