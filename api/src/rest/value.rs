//! Customer value: the 360° profile, RFM segments, the churn/CLV model, value at risk and
//! the workspace's value settings.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::body::OptionalJson;
use crate::rest::conventions::{etag, if_match};
use crate::rest::edge::Query;
use crate::service::as_of::{self, AsOfQuery};
use crate::service::at_risk::{self, AtRiskAccount, AtRiskQuery};
use crate::service::backtest::{self, Backtest, BacktestRequest};
use crate::service::models::{self, ChurnModel, FitRequest};
use crate::service::profile::{self, Profile};
use crate::service::segments::{self, MembersQuery, RfmSegments, SegmentMember};
use crate::service::value::{self, ValueMetrics, ValueSettings};
use crate::service::Page;
use crate::state::AppState;

/// Everything about one customer: the account, its value metrics (orders, revenue, RFM,
/// P(alive), churn probability, expected orders, CLV) and its 10 newest interactions.
/// Served from the cache when current; every write that changes it invalidates it first.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Profile),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/profile")] // GET /v1/accounts/{id}/profile
pub async fn get_profile(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let bytes = profile::get_json(&state, &principal, &id).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(bytes))
}

/// An account's value metrics, now or `as_of` a past instant: only the purchases up to
/// it count (a purchase day by its first order), predictions are the current model's
/// evaluated there (age counted to that day) and RFM uses the current breakpoints; the
/// same customers and numbers as a backtest at that cutoff. Never cached.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path), AsOfQuery),
    responses(
        (status = 200, body = ValueMetrics),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`as_of` in the future or not RFC 3339", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/metrics")] // GET /v1/accounts/{id}/metrics
pub async fn get_metrics(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: Query<AsOfQuery>,
) -> Result<web::Json<ValueMetrics>, ApiError> {
    as_of::account_metrics(&state, &principal, &id, query.into_inner())
        .await
        .map(web::Json)
}

/// RFM segments: each of the 11 segments' size, revenue and shares.
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    responses((status = 200, body = RfmSegments), (status = 403, body = Problem, content_type = "application/problem+json"))
)]
#[get("/rfm")] // GET /v1/segments/rfm
pub async fn rfm_segments(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<RfmSegments>, ApiError> {
    segments::summary(&state, &principal).await.map(web::Json)
}

/// A segment's accounts, by account id, in keyset pages.
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    params(("segment" = String, Path, description = "A segment code, e.g. `champions`"), MembersQuery),
    responses(
        (status = 200, body = Page<SegmentMember>),
        (status = 404, description = "No such segment", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/rfm/{segment}/accounts")] // GET /v1/segments/rfm/{segment}/accounts
pub async fn segment_members(
    state: web::Data<AppState>,
    principal: Principal,
    segment: web::Path<String>,
    query: Query<MembersQuery>,
) -> Result<web::Json<Page<SegmentMember>>, ApiError> {
    segments::members(&state, &principal, &segment, query.into_inner())
        .await
        .map(web::Json)
}

/// The current churn/CLV model: BG/NBD and Gamma-Gamma parameters (time in days), RFM
/// breakpoints, and what could not be fitted.
#[utoipa::path(
    tag = "models",
    security(("bearer" = [])),
    responses(
        (status = 200, body = ChurnModel),
        (status = 404, description = "`model_not_fitted`", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/models/churn")]
pub async fn churn_model(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<ChurnModel>, ApiError> {
    models::current(&state, &principal).await.map(web::Json)
}

/// Refit BG/NBD, Gamma-Gamma and the RFM breakpoints from the live metrics (admins), as a
/// new model version; re-scores every buyer's segment.
#[utoipa::path(
    tag = "models",
    security(("bearer" = [])),
    request_body(content = Option<FitRequest>, example = json!({"as_of": "2026-11-23T00:00:00Z"})),
    responses(
        (status = 200, body = ChurnModel),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`as_of` in the future or before the newest order", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/models/churn/fit")]
pub async fn fit_churn_model(
    state: web::Data<AppState>,
    principal: Principal,
    body: OptionalJson<FitRequest>,
) -> Result<web::Json<ChurnModel>, ApiError> {
    let request = body.into_inner().unwrap_or_default();
    models::fit(&state, &principal, request)
        .await
        .map(web::Json)
}

/// Backtest the purchase models: each is fitted on the purchases up to `cutoff` (or taken
/// at given `parameters`), predicts every customer's purchases and spend over the
/// `horizon_days` after it, and is compared with what happened: the cumulative curve of
/// predicted vs actual purchases by week, the per-customer mean absolute error, deciles of
/// predicted value, and the customers predicted lost (P(alive) < 0.5) who bought again.
/// Nothing is stored.
#[utoipa::path(
    tag = "models",
    security(("bearer" = [])),
    request_body(content = BacktestRequest, example = json!({"cutoff": "2025-09-30T12:00:00Z", "horizon_days": 273})),
    responses(
        (status = 200, body = Backtest),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`cutoff` in the future or before any purchase, `horizon_days` outside 1..=3650, an unknown model, invalid `parameters`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/models/churn/backtest")]
pub async fn backtest_churn_model(
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<BacktestRequest>,
) -> Result<web::Json<Backtest>, ApiError> {
    backtest::run(&state, &principal, body.into_inner())
        .await
        .map(web::Json)
}

/// Buyers ranked by value at risk: churn probability x the 12-month margin they bring if
/// still active. Filter by RFM segment or risk band; `as_of` ranks as of a past instant
/// (the purchases up to it, the current model evaluated there).
#[utoipa::path(
    tag = "analytics",
    security(("bearer" = [])),
    params(AtRiskQuery),
    responses(
        (status = 200, body = Page<AtRiskAccount>),
        (status = 409, description = "`model_not_fitted`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/analytics/at-risk")]
pub async fn at_risk_accounts(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<AtRiskQuery>,
) -> Result<web::Json<Page<AtRiskAccount>>, ApiError> {
    at_risk::list(&state, &principal, query.into_inner())
        .await
        .map(web::Json)
}

/// How the workspace measures value: reporting currency, exchange rates, default margin,
/// discount rate and risk-band thresholds.
#[utoipa::path(
    tag = "workspace",
    security(("bearer" = [])),
    responses((status = 200, body = ValueSettings, headers(("ETag" = String))))
)]
#[get("/workspace/value-settings")]
pub async fn settings(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let s = value::settings(&state, &principal).await?;
    Ok(HttpResponse::Ok().insert_header(etag(s.version)).json(s))
}

/// Change the value settings with a JSON merge patch (admins). The reporting currency is
/// fixed once an order exists (409 `reporting_currency_locked`).
#[utoipa::path(
    tag = "workspace",
    security(("bearer" = [])),
    params(("If-Match" = Option<String>, Header)),
    request_body(content = ValueSettings, content_type = "application/merge-patch+json", example = json!({"exchange_rates": {"EUR": "1.08"}, "default_margin_percent": 35})),
    responses(
        (status = 200, body = ValueSettings, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/workspace/value-settings")]
pub async fn update_settings(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let s = value::update_settings(&state, &principal, body.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::Ok().insert_header(etag(s.version)).json(s))
}
