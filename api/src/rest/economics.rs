//! Customer economics: retention cohorts, churn and growth accounting, acquisition by
//! channel (JSON by default, CSV with `Accept: text/csv`), and marketing spend.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::conventions::{self, idempotency};
use crate::rest::edge::Query;
use crate::service::economics::acquisition::{self, AcquisitionQuery, AcquisitionReport};
use crate::service::economics::churn::{self, ChurnQuery, ChurnReport};
use crate::service::economics::cohorts::{self, CohortQuery, CohortReport};
use crate::service::economics::distribution::{self, DistributionQuery, ValueDistribution};
use crate::service::economics::profitability::{self, ProfitabilityQuery, ProfitabilityReport};
use crate::service::economics::spend::{self, MarketingSpend, SpendInput, SpendList, SpendQuery};
use crate::state::AppState;

/// Whether the client asked for CSV.
fn wants_csv(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|t| t.trim().starts_with("text/csv")))
}

fn respond<T: serde::Serialize>(
    req: &HttpRequest,
    body: &T,
    csv: impl FnOnce() -> String,
) -> HttpResponse {
    if wants_csv(req) {
        HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .body(csv())
    } else {
        HttpResponse::Ok().json(body)
    }
}

/// Retention cohorts: customers by the period of their first purchase (optionally by
/// acquisition channel), with classic and rolling retention and cumulative revenue and
/// margin per customer for each period since. Amounts in the reporting currency, net of
/// refunds; periods in UTC. `Accept: text/csv` returns one row per cohort and period.
#[utoipa::path(
    tag = "analytics",
    security(("bearer" = [])),
    params(CohortQuery),
    responses(
        (status = 200, content(
            (CohortReport = "application/json"),
            (String = "text/csv", example = "currency,period_kind,cohort,...\r\nEUR,month,2026-01,...\r\n")
        )),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad `period`, `from`, `to` or `group_by`", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/analytics/cohorts")]
pub async fn cohort_report(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    query: Query<CohortQuery>,
) -> Result<HttpResponse, ApiError> {
    let report: CohortReport = cohorts::report(&state, &principal, query.into_inner()).await?;
    Ok(respond(&req, &report, || report.to_csv()))
}

/// Repeat-purchase rate, growth accounting (new, retained, reactivated, lost customers) and
/// churn by inactivity (`inactive_days`, default 90) per period, and the churn the fitted
/// model expects from P(alive). Periods in UTC. `Accept: text/csv` returns one row per period.
#[utoipa::path(
    tag = "analytics",
    security(("bearer" = [])),
    params(ChurnQuery),
    responses(
        (status = 200, content(
            (ChurnReport = "application/json"),
            (String = "text/csv", example = "period_kind,period,...\r\nmonth,2026-01,...\r\n")
        )),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad `period`, `from`, `to` or `inactive_days`", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/analytics/churn")]
pub async fn churn_report(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    query: Query<ChurnQuery>,
) -> Result<HttpResponse, ApiError> {
    let report: ChurnReport = churn::report(&state, &principal, query.into_inner()).await?;
    Ok(respond(&req, &report, || report.to_csv()))
}

/// Acquisition economics by acquisition channel: customers acquired in the range, CAC
/// (the account's own `acquisition_cost`, else the channel's marketing spend of the month
/// shared by that month's new customers without one), average historical revenue and
/// margin, average 12-month CLV, CLV:CAC and payback months, with the counts behind each.
/// Whole UTC months. `Accept: text/csv` returns one row per channel.
#[utoipa::path(
    tag = "analytics",
    security(("bearer" = [])),
    params(AcquisitionQuery),
    responses(
        (status = 200, content(
            (AcquisitionReport = "application/json"),
            (String = "text/csv", example = "currency,acquisition_channel,customers,...\r\nUSD,ads,2,...\r\n")
        )),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad `from` or `to`", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/analytics/acquisition")]
pub async fn acquisition_report(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    query: Query<AcquisitionQuery>,
) -> Result<HttpResponse, ApiError> {
    let report: AcquisitionReport =
        acquisition::report(&state, &principal, query.into_inner()).await?;
    Ok(respond(&req, &report, || report.to_csv()))
}

/// Record a channel's marketing spend for a month (admins): creates or replaces the
/// (channel, month) row. Amounts in another currency are converted to the reporting
/// currency at the workspace's rate. Send `Idempotency-Key` to make retries safe.
#[utoipa::path(
    tag = "analytics",
    security(("bearer" = [])),
    request_body(content = SpendInput, example = json!({"channel": "paid_search", "month": "2026-01", "amount": 250000, "currency": "USD"})),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    responses(
        (status = 200, body = MarketingSpend, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with another body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/marketing-spend")]
pub async fn upsert_spend(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<SpendInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = spend::upsert(&state, &principal, body.into_inner(), idem).await?;
    Ok(conventions::respond(
        outcome,
        StatusCode::OK,
        |s: &MarketingSpend| Some(s.version),
    ))
}

/// The workspace's marketing spend rows, by channel and month.
#[utoipa::path(
    tag = "analytics",
    security(("bearer" = [])),
    params(SpendQuery),
    responses(
        (status = 200, body = SpendList),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad `from` or `to`", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/marketing-spend")]
pub async fn list_spend(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<SpendQuery>,
) -> Result<web::Json<SpendList>, ApiError> {
    spend::list(&state, &principal, query.into_inner())
        .await
        .map(web::Json)
}

/// How customer value is spread over today's buyers: percentiles, a 10-bin histogram and
/// the share of the top 1 %, 10 % and 20 %, for historical revenue and for the stored
/// 12-month CLV. `Accept: text/csv` returns one row per figure.
#[utoipa::path(
    tag = "analytics",
    security(("bearer" = [])),
    params(DistributionQuery),
    responses(
        (status = 200, content(
            (ValueDistribution = "application/json"),
            (String = "text/csv", example = "currency,measure,kind,key,customers,value,share\r\nUSD,revenue,percentile,p50,,7000,\r\n")
        )),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such `segment_id`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad `rfm_segment`, or both filters", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/analytics/value-distribution")]
pub async fn value_distribution(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<DistributionQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let report: ValueDistribution =
        distribution::report(&state, &principal, query.into_inner()).await?;
    Ok(respond(&req, &report, || report.to_csv()))
}

/// Customer profitability: per customer margin minus acquisition cost minus cost to serve
/// (interactions and complaints at the value settings' `cost_to_serve`), in total, in ten
/// deciles by profit (who makes the money, who loses it), by RFM segment with the simple
/// CLV (margin per order × orders per year × yearly retention) beside the model's, and the
/// most and least profitable customers. `Accept: text/csv` returns one row per decile,
/// segment and listed customer.
#[utoipa::path(
    tag = "analytics",
    security(("bearer" = [])),
    params(ProfitabilityQuery),
    responses(
        (status = 200, content(
            (ProfitabilityReport = "application/json"),
            (String = "text/csv", example = "currency,kind,key,customers,revenue,margin,acquisition_cost,cost_to_serve,profit,...\r\nUSD,decile,1,10,...\r\n")
        )),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad `limit`", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/analytics/profitability")]
pub async fn profitability_report(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<ProfitabilityQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let report: ProfitabilityReport =
        profitability::report(&state, &principal, query.into_inner()).await?;
    Ok(respond(&req, &report, || report.to_csv()))
}
