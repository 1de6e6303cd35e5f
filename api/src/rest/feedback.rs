//! `/v1/feedback`, `/v1/feedback/batch`, `/v1/accounts/{id}/feedback`: survey responses
//! (NPS, CSAT, CES), which keep each account's latest scores current.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::conventions::{created, idempotency, respond};
use crate::rest::edge::Query;
use crate::service::feedback::{
    self, Feedback, FeedbackBatch, FeedbackBatchResult, FeedbackInput, FeedbackQuery,
};
use crate::service::satisfaction::{SatisfactionQuery, SatisfactionReport};
use crate::service::Page;
use crate::state::AppState;

/// Record a survey response: at least one of `nps` (0-10), `csat` (1-5), `ces` (1-7), and a
/// `touchpoint`. The NPS category is derived. The account's latest scores change in the same
/// transaction (`feedback.received`; `customer.became_detractor` when its latest NPS turns
/// detractor). Send `external_id` so retries never count twice.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = FeedbackInput, example = json!({
        "account_id": "01936b1e-5a3c-7cc0-9a51-6a2f3c0e4b11", "external_id": "survey-88121",
        "nps": 9, "csat": 4, "touchpoint": "delivery", "channel": "email",
        "comment": "Arrived a day late but well packed", "occurred_at": "2026-11-20T14:03:00Z"
    })),
    responses(
        (status = 201, body = Feedback, headers(("Location" = String))),
        (status = 403, description = "Missing `accounts:write`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`duplicate_feedback` (known external_id) or `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named: scores out of range, unknown touchpoint, an order or interaction not of this account in the workspace", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("")] // POST /v1/feedback
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<FeedbackInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = feedback::create(&state, &principal, body.into_inner(), idem).await?;
    Ok(created(
        outcome,
        "/v1/feedback",
        |f: &Feedback| &f.id,
        |_| None,
    ))
}

/// Record up to 1,000 responses in one transaction: all or nothing. Any invalid response
/// fails the batch with a 422 naming `responses[i].field`. Responses whose `external_id`
/// exists (or repeats in the batch) are reported as `duplicate` and not written again, so a
/// retried batch changes nothing.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = FeedbackBatch, example = json!({"responses": [
        {"account_external_id": "crm-7781", "external_id": "nps-1", "nps": 10, "touchpoint": "purchase"},
        {"account_external_id": "crm-7782", "external_id": "nps-2", "nps": 3, "csat": 2, "touchpoint": "support", "channel": "email"}
    ]})),
    responses(
        (status = 200, body = FeedbackBatchResult),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`responses` empty or over 1,000, or invalid items (nothing written)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/batch")] // POST /v1/feedback/batch
pub async fn batch(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<FeedbackBatch>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = feedback::create_batch(&state, &principal, body.into_inner(), idem).await?;
    Ok(respond(
        outcome,
        StatusCode::OK,
        |_: &FeedbackBatchResult| None,
    ))
}

/// Survey responses, newest first, with filters, in keyset pages.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(FeedbackQuery),
    responses(
        (status = 200, body = Page<Feedback>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("")] // GET /v1/feedback
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<FeedbackQuery>,
) -> Result<web::Json<Page<Feedback>>, ApiError> {
    feedback::list(&state, &principal, query.into_inner())
        .await
        .map(web::Json)
}

/// One survey response.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Feedback),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}")] // GET /v1/feedback/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Feedback>, ApiError> {
    feedback::get(&state, &principal, &id).await.map(web::Json)
}

/// An account's survey responses, newest first.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id"), FeedbackQuery),
    responses(
        (status = 200, body = Page<Feedback>),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/feedback")] // GET /v1/accounts/{id}/feedback
pub async fn list_for_account(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: Query<FeedbackQuery>,
) -> Result<web::Json<Page<Feedback>>, ApiError> {
    feedback::list_for_account(&state, &principal, &id, query.into_inner())
        .await
        .map(web::Json)
}

/// Satisfaction analytics: NPS (with its 95 % interval: NPS ± 1.96 · 100 ·
/// sqrt((p_P + p_D − (p_P − p_D)²) / n)), CSAT and CES over time, by touchpoint and channel;
/// complaint volume, service levels met, time to first response and to resolution (median,
/// p90) and compensation by category; churn and revenue in the 90 days after a customer's
/// latest NPS response per category (responses at least 90 days old); detractors ranked by
/// value at risk.
#[utoipa::path(
    tag = "analytics",
    security(("bearer" = [])),
    params(SatisfactionQuery),
    responses(
        (status = 200, body = SatisfactionReport),
        (status = 403, description = "Missing `analytics:read`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/analytics/satisfaction")] // GET /v1/analytics/satisfaction
pub async fn satisfaction_report(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<SatisfactionQuery>,
) -> Result<web::Json<SatisfactionReport>, ApiError> {
    crate::service::satisfaction::report(&state, &principal, query.into_inner())
        .await
        .map(web::Json)
}
