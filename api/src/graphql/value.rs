//! Customer value over GraphQL: orders, refunds, `Account.metrics` (through a per-request
//! loader), RFM segments, the churn model and value at risk — the same services as REST.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::connection::Connection;
use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, Object, Result, ID};

use crate::error::ApiError;
use crate::graphql::inputs;
use crate::graphql::outcomes::{fresh_or_replayed, idempotency};
use crate::graphql::{connection, gql, gql_in, principal, state};
use crate::service::at_risk::{self, AtRiskAccount, AtRiskQuery};
use crate::service::backtest::{self, Backtest, BacktestRequest};
use crate::service::cursor;
use crate::service::models::{self, ChurnModel, FitRequest};
use crate::service::orders::{self, BatchResult, Order, OrderQuery};
use crate::service::segments::{self, MembersQuery, RfmSegments, SegmentMember};
use crate::service::value::{self, ValueMetrics, ValueSettings};
use crate::state::AppState;

fn order_cursor(o: &Order) -> String {
    cursor::encode_instant("occurred_at", o.occurred_at, &o.id)
}

#[derive(Default)]
pub struct ValueQuery;

#[Object]
impl ValueQuery {
    /// One order, or null.
    async fn order(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Order>> {
        match orders::get(state(ctx)?, principal(ctx)?, &id).await {
            Ok(o) => Ok(Some(o)),
            Err(e) if e.code == "not_found" => Ok(None),
            Err(e) => Err(gql(e)),
        }
    }

    /// Orders, newest first, filtered, in pages.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        account_id: Option<ID>,
        status: Option<String>,
        channel: Option<String>,
        external_id: Option<String>,
    ) -> Result<Connection<String, Order>> {
        let query = OrderQuery {
            limit: first.map(i64::from),
            after,
            account_id: account_id.map(|id| id.0),
            status,
            channel,
            external_id,
            ..Default::default()
        };
        let page = orders::list(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)?;
        Ok(connection(page, order_cursor))
    }

    /// RFM segments: sizes, revenue and shares of all 11.
    async fn rfm_segments(&self, ctx: &Context<'_>) -> Result<RfmSegments> {
        segments::summary(state(ctx)?, principal(ctx)?)
            .await
            .map_err(gql)
    }

    /// A segment's accounts (`segment` as in `rfmSegments`, e.g. `champions`).
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn rfm_segment_members(
        &self,
        ctx: &Context<'_>,
        segment: String,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, SegmentMember>> {
        let query = MembersQuery {
            limit: first.map(i64::from),
            after,
        };
        let page = segments::members(state(ctx)?, principal(ctx)?, &segment, query)
            .await
            .map_err(gql)?;
        Ok(connection(page, |m| m.account_id.clone()))
    }

    /// The current churn/CLV model, or null before the first fit.
    async fn churn_model(&self, ctx: &Context<'_>) -> Result<Option<ChurnModel>> {
        match models::current(state(ctx)?, principal(ctx)?).await {
            Ok(m) => Ok(Some(m)),
            Err(e) if e.code == "model_not_fitted" => Ok(None),
            Err(e) => Err(gql(e)),
        }
    }

    /// Buyers ranked by value at risk.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn at_risk_accounts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        segment: Option<String>,
        risk_band: Option<String>,
        #[graphql(desc = "Rank as of this past instant (default now).")] as_of: Option<
            chrono::DateTime<chrono::Utc>,
        >,
    ) -> Result<Connection<String, AtRiskAccount>> {
        let query = AtRiskQuery {
            limit: first.map(i64::from),
            after,
            segment,
            risk_band,
            as_of: as_of.map(|t| t.to_rfc3339()),
        };
        let page = at_risk::list(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)?;
        Ok(connection(page, at_risk::cursor_of))
    }

    /// How the workspace measures value.
    async fn value_settings(&self, ctx: &Context<'_>) -> Result<ValueSettings> {
        value::settings(state(ctx)?, principal(ctx)?)
            .await
            .map_err(gql)
    }
}

#[derive(Default)]
pub struct ValueMutation;

#[Object]
impl ValueMutation {
    /// Record a purchase (see REST `POST /v1/orders`).
    async fn create_order(
        &self,
        ctx: &Context<'_>,
        input: inputs::OrderInput,
        idempotency_key: Option<String>,
    ) -> Result<Order> {
        let input = orders::OrderInput::from(input);
        let idem = idempotency(idempotency_key, "createOrder", &input)?;
        let outcome = orders::create(state(ctx)?, principal(ctx)?, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Record up to 1,000 purchases, all or nothing (see REST `POST /v1/orders/batch`).
    async fn create_orders(
        &self,
        ctx: &Context<'_>,
        input: inputs::OrderBatch,
        idempotency_key: Option<String>,
    ) -> Result<BatchResult> {
        let input = orders::OrderBatch::from(input);
        let idem = idempotency(idempotency_key, "createOrders", &input)?;
        let outcome = orders::create_batch(state(ctx)?, principal(ctx)?, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Refund an order, fully (no `amount`) or partly.
    async fn refund_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: Option<inputs::RefundInput>,
        idempotency_key: Option<String>,
    ) -> Result<Order> {
        let input = input.map(orders::RefundInput::from);
        let input = input.unwrap_or_default();
        let idem = idempotency(
            idempotency_key,
            &format!("refundOrder {}", id.as_str()),
            &input,
        )?;
        let outcome = orders::refund(state(ctx)?, principal(ctx)?, &id, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Backtest the purchase models at a cutoff (see REST `POST /v1/models/churn/backtest`).
    async fn backtest_churn_model(
        &self,
        ctx: &Context<'_>,
        input: BacktestRequest,
    ) -> Result<Backtest> {
        backtest::run(state(ctx)?, principal(ctx)?, input)
            .await
            .map_err(gql_in("input"))
    }

    /// Rebuild the workspace's product co-occurrence now (admins; see REST
    /// `POST /v1/recommendations/refresh`).
    async fn refresh_recommendations(
        &self,
        ctx: &Context<'_>,
    ) -> Result<crate::service::recommendations::RecommendationsRefresh> {
        crate::service::recommendations::refresh(state(ctx)?, principal(ctx)?)
            .await
            .map_err(gql)
    }

    /// Refit BG/NBD, Gamma-Gamma and the RFM breakpoints (admins).
    async fn fit_churn_model(
        &self,
        ctx: &Context<'_>,
        input: Option<FitRequest>,
    ) -> Result<ChurnModel> {
        models::fit(state(ctx)?, principal(ctx)?, input.unwrap_or_default())
            .await
            .map_err(gql_in("input"))
    }
}

/// Loads the value metrics of many accounts in one round of queries (settings, model,
/// metrics rows). Built per request with the caller's workspace.
pub struct MetricsByAccount {
    state: AppState,
    workspace_id: String,
}

impl MetricsByAccount {
    pub fn loader(state: AppState, workspace_id: String) -> DataLoader<Self> {
        crate::graphql::request_loader(Self {
            state,
            workspace_id,
        })
    }
}

impl Loader<String> for MetricsByAccount {
    type Value = ValueMetrics;
    type Error = Arc<ApiError>;

    async fn load(
        &self,
        keys: &[String],
    ) -> std::result::Result<HashMap<String, ValueMetrics>, Self::Error> {
        let (workspace, ids) = (self.workspace_id.clone(), keys.to_vec());
        self.state
            .db
            .run(move |conn| {
                let settings = value::load_settings(conn, &workspace)?;
                let model = value::current_model(conn, &workspace)?;
                let rows: HashMap<String, _> =
                    rapport_persistence::value::find_metrics_many(conn, &workspace, &ids)?
                        .into_iter()
                        .map(|r| (r.account_id.clone(), r))
                        .collect();
                let economics =
                    crate::service::economics::profitability::economics_of(conn, &workspace, &ids)?;
                let at = crate::service::now();
                Ok(ids
                    .iter()
                    .map(|id| {
                        let m = crate::service::economics::profitability::with_economics(
                            value::metrics_of(rows.get(id), model.as_ref(), &settings, at),
                            economics.get(id),
                        );
                        (id.clone(), m)
                    })
                    .collect())
            })
            .await
            .map_err(Arc::new)
    }
}

/// `Account.metrics`, through the request's loader.
pub async fn metrics_of_account(ctx: &Context<'_>, account_id: &str) -> Result<ValueMetrics> {
    principal(ctx)?
        .require(rapport_domain::access::Scope::AccountsRead)
        .map_err(gql)?;
    let prefetched = ctx.data_opt::<crate::graphql::prefetch::Prefetched>();
    if let Some(metrics) = prefetched.and_then(|p| p.take_metrics(account_id)) {
        return Ok(metrics);
    }
    let loader = ctx.data::<crate::graphql::Loaders>()?.metrics();
    loader
        .load_one(account_id.to_owned())
        .await
        .map_err(|e| gql((*e).clone()))?
        .ok_or_else(|| gql(ApiError::internal("metrics loader returned nothing")))
}

/// `Account.orders`.
pub async fn orders_of_account(
    ctx: &Context<'_>,
    account_id: &str,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Connection<String, Order>> {
    let query = OrderQuery {
        limit: first.map(i64::from),
        after,
        account_id: Some(account_id.to_owned()),
        ..Default::default()
    };
    let page = orders::list(state(ctx)?, principal(ctx)?, query)
        .await
        .map_err(gql)?;
    Ok(connection(page, order_cursor))
}
