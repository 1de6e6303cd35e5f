//! `/v1/pipelines`, `/v1/deals`, `/v1/accounts/{id}/deals` and `/v1/analytics/pipeline`:
//! sales pipelines, deals, their moves between stages, and the pipeline analytics.

use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::conventions::{created, etag, idempotency, if_match, respond};
use crate::rest::edge::Query;
use crate::service::deals::{
    self, AnalyticsQuery, Deal, DealInput, DealQuery, MoveInput, Pipeline, PipelineAnalytics,
    PipelineInput, PipelineQuery, ReopenInput, StageChange,
};
use crate::service::Page;
use crate::state::AppState;

/// Create a pipeline with its stages in order (at least one open stage). Managers and
/// above; send `Idempotency-Key` to make retries safe.
#[utoipa::path(
    tag = "pipelines",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = PipelineInput, example = json!({
        "name": "New business",
        "stages": [
            {"name": "Qualified", "probability": 10, "kind": "open"},
            {"name": "Proposal", "probability": 50, "kind": "open"},
            {"name": "Won", "kind": "won"},
            {"name": "Lost", "kind": "lost"}
        ]
    })),
    responses(
        (status = 201, body = Pipeline, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Missing `deals:write`, or an agent", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("")] // POST /v1/pipelines
pub async fn create_pipeline(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<PipelineInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = deals::create_pipeline(&state, &principal, body.into_inner(), idem).await?;
    Ok(created(
        outcome,
        "/v1/pipelines",
        |p: &Pipeline| &p.id,
        |p: &Pipeline| Some(p.version),
    ))
}

/// The workspace's pipelines in creation order, in keyset pages.
#[utoipa::path(
    tag = "pipelines",
    security(("bearer" = [])),
    params(PipelineQuery),
    responses(
        (status = 200, body = Page<Pipeline>),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("")] // GET /v1/pipelines
pub async fn list_pipelines(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<PipelineQuery>,
) -> Result<web::Json<Page<Pipeline>>, ApiError> {
    deals::list_pipelines(&state, &principal, query.into_inner())
        .await
        .map(web::Json)
}

/// One pipeline with its stages (archived ones apart).
#[utoipa::path(
    tag = "pipelines",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Pipeline, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}")] // GET /v1/pipelines/{id}
pub async fn get_pipeline(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let pipeline = deals::get_pipeline(&state, &principal, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(pipeline.version))
        .json(pipeline))
}

/// Rename a pipeline, or add, rename, re-weight, reorder and archive its stages with a JSON
/// merge patch: `stages` replaces the list (order = new order; entries with `id` keep that
/// stage, entries without add one, active stages left out are archived, history kept).
#[utoipa::path(
    tag = "pipelines",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = PipelineInput, content_type = "application/merge-patch+json", example = json!({"name": "Renewals"})),
    responses(
        (status = 200, body = Pipeline, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid stages, or an open stage that still holds deals left out", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/{id}")] // PATCH /v1/pipelines/{id}
pub async fn update_pipeline(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let pipeline =
        deals::update_pipeline(&state, &principal, &id, body.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(pipeline.version))
        .json(pipeline))
}

/// Archive a pipeline: it takes no new deals and leaves lists; its deals and history stay.
#[utoipa::path(
    tag = "pipelines",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    responses(
        (status = 204),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/{id}")] // DELETE /v1/pipelines/{id}
pub async fn archive_pipeline(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    deals::archive_pipeline(&state, &principal, &id, if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Open a deal on an account, in an open stage of an active pipeline (default: the first).
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = DealInput, example = json!({
        "account_id": "0193a0b0-0000-7000-8000-000000000001",
        "title": "Spring collection, 40 stores",
        "amount": 1_250_000, "currency": "EUR",
        "pipeline_id": "0193a0b0-0000-7000-8000-000000000002",
        "expected_close_on": "2026-12-15", "source": "referral"
    })),
    responses(
        (status = 201, body = Deal, headers(("ETag" = String), ("Location" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("")] // POST /v1/deals
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<DealInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = deals::create_deal(&state, &principal, body.into_inner(), idem).await?;
    Ok(created(
        outcome,
        "/v1/deals",
        |d: &Deal| &d.id,
        |d: &Deal| Some(d.version),
    ))
}

/// Deals, oldest first, filtered, in keyset pages.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(DealQuery),
    responses(
        (status = 200, body = Page<Deal>),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("")] // GET /v1/deals
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<DealQuery>,
) -> Result<web::Json<Page<Deal>>, ApiError> {
    deals::list_deals(&state, &principal, query.into_inner())
        .await
        .map(web::Json)
}

/// An account's deals, oldest first, filtered, in keyset pages.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id"), DealQuery),
    responses(
        (status = 200, body = Page<Deal>),
        (status = 404, description = "No such account (or deleted)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/deals")] // GET /v1/accounts/{id}/deals
pub async fn list_for_account(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: Query<DealQuery>,
) -> Result<web::Json<Page<Deal>>, ApiError> {
    deals::list_for_account(&state, &principal, &id, query.into_inner())
        .await
        .map(web::Json)
}

/// One deal.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Deal, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("")] // GET /v1/deals/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let deal = deals::get_deal(&state, &principal, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(deal.version))
        .json(deal))
}

/// Change a deal's details with a JSON merge patch. Its stage changes only through `move`.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = DealInput, content_type = "application/merge-patch+json", example = json!({"amount": 1_400_000})),
    responses(
        (status = 200, body = Deal, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("")] // PATCH /v1/deals/{id}
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let deal =
        deals::update_deal(&state, &principal, &id, body.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(deal.version))
        .json(deal))
}

/// Delete a deal (soft: it leaves lists and analytics; the audit log keeps it).
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    responses(
        (status = 204),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("")] // DELETE /v1/deals/{id}
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    deals::delete_deal(&state, &principal, &id, if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Move a deal to another stage of its pipeline: the one way a deal changes stage, recorded
/// in its history. A lost stage needs `lost_reason`; a won or lost deal does not move until
/// reopened. With `If-Match`, of two moves from the same version only one succeeds.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(
        ("id" = String, Path),
        ("If-Match" = Option<String>, Header),
        ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")
    ),
    request_body(content = MoveInput, example = json!({"stage_id": "0193a0b0-0000-7000-8000-000000000003"})),
    responses(
        (status = 200, body = Deal, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`deal_closed`: reopen it first", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The deal changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`stage_not_in_pipeline`, `stage_archived`, `already_in_stage`, `lost_reason_required`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/move")] // POST /v1/deals/{id}/move
pub async fn move_deal(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<MoveInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = deals::move_deal(
        &state,
        &principal,
        &id,
        body.into_inner(),
        if_match(&req)?,
        idem,
    )
    .await?;
    Ok(respond(outcome, StatusCode::OK, |d: &Deal| Some(d.version)))
}

/// Reopen a won or lost deal into an open stage of its pipeline (recorded in its history).
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(
        ("id" = String, Path),
        ("If-Match" = Option<String>, Header),
        ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")
    ),
    request_body(content = ReopenInput),
    responses(
        (status = 200, body = Deal, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`deal_not_closed`", body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`stage_not_open`, `stage_not_in_pipeline`, `stage_archived`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/reopen")] // POST /v1/deals/{id}/reopen
pub async fn reopen(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<ReopenInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = deals::reopen_deal(
        &state,
        &principal,
        &id,
        body.into_inner(),
        if_match(&req)?,
        idem,
    )
    .await?;
    Ok(respond(outcome, StatusCode::OK, |d: &Deal| Some(d.version)))
}

/// A deal's stage history (from, to, who, when), oldest first.
#[utoipa::path(
    tag = "deals",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Vec<StageChange>),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/history")] // GET /v1/deals/{id}/history
pub async fn history(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<StageChange>>, ApiError> {
    deals::history(&state, &principal, &id).await.map(web::Json)
}

/// A pipeline's open value and weighted forecast (by expected-close month and by owner),
/// and its funnel over a period (entries, reach and conversion per stage, median days in
/// stage, win rate, average won amount, win rate per source). Amounts are per currency.
#[utoipa::path(
    tag = "analytics",
    security(("bearer" = [])),
    params(AnalyticsQuery),
    responses(
        (status = 200, body = PipelineAnalytics),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pipeline", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/analytics/pipeline")]
pub async fn pipeline_analytics(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<AnalyticsQuery>,
) -> Result<web::Json<PipelineAnalytics>, ApiError> {
    deals::pipeline_analytics(&state, &principal, query.into_inner())
        .await
        .map(web::Json)
}
