//! Customer economics over GraphQL: the same reports as `/v1/analytics/cohorts` and
//! `/v1/analytics/churn`, from the same services.

use async_graphql::{Context, Object, Result};

use crate::graphql::{gql, principal, state};
use crate::service::economics::churn::{self, ChurnQuery, ChurnReport};
use crate::service::economics::cohorts::{self, CohortQuery, CohortReport};

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
}
