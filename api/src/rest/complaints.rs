//! `/v1/complaints…`, `/v1/accounts/{id}/complaints`: complaints with their service levels,
//! timeline, resolution with compensation, and the workspace's complaint settings.

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::{Json, OptionalJson};
use crate::rest::conventions::{created, created_at, etag, idempotency, if_match, respond};
use crate::rest::edge::Query;
use crate::service::complaints::{
    self, AssignInput, Complaint, ComplaintInput, ComplaintQuery, ComplaintSettings,
    ComplaintSettingsInput, HistoryEntry, NoteInput, ReopenInput, Resolution, ResolveInput,
    StatusInput,
};
use crate::service::Page;
use crate::state::AppState;

/// Open a complaint on an account (optionally about one of its orders, contacts or
/// interactions). Its first-response and resolution due times follow from its severity and
/// the workspace's service levels, counted from `opened_at`.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = ComplaintInput, example = json!({
        "account_id": "01936b1e-5a3c-7cc0-9a51-6a2f3c0e4b11", "category": "delivery",
        "severity": "high", "channel": "phone", "subject": "Parcel arrived damaged"
    })),
    responses(
        (status = 201, body = Complaint, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Missing `accounts:write`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named; references not of this account in the workspace", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("")] // POST /v1/complaints
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<ComplaintInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = complaints::create(&state, &principal, body.into_inner(), idem).await?;
    Ok(created(
        outcome,
        "/v1/complaints",
        |c: &Complaint| &c.id,
        |c: &Complaint| Some(c.version),
    ))
}

/// Complaints, newest first, with filters, in keyset pages.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(ComplaintQuery),
    responses(
        (status = 200, body = Page<Complaint>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("")] // GET /v1/complaints
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<ComplaintQuery>,
) -> Result<web::Json<Page<Complaint>>, ApiError> {
    complaints::list(&state, &principal, query.into_inner())
        .await
        .map(web::Json)
}

/// The workspace's complaint settings: service levels per severity, automatic complaints
/// from detractors, compensation limits per role.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    responses(
        (status = 200, body = ComplaintSettings, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/settings")] // GET /v1/complaints/settings
pub async fn get_settings(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let s = complaints::settings(&state, &principal).await?;
    Ok(HttpResponse::Ok().insert_header(etag(s.version)).json(s))
}

/// Change the complaint settings (admins); absent members keep their value, a limit sent
/// as `null` is removed. Complaints opened before keep their due times.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("If-Match" = Option<String>, Header)),
    request_body(content = ComplaintSettingsInput, example = json!({
        "sla": [{"severity": "critical", "first_response_minutes": 30, "resolution_minutes": 480}],
        "auto_open_on_detractor": true, "agent_max_points": 2000
    })),
    responses(
        (status = 200, body = ComplaintSettings, headers(("ETag" = String))),
        (status = 403, description = "Needs `admin`", body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/settings")] // PUT /v1/complaints/settings
pub async fn put_settings(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<ComplaintSettingsInput>,
) -> Result<HttpResponse, ApiError> {
    let s =
        complaints::update_settings(&state, &principal, body.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::Ok().insert_header(etag(s.version)).json(s))
}

/// One complaint, with its breach flags as of now.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Complaint, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("")] // GET /v1/complaints/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let c = complaints::get(&state, &principal, &id).await?;
    Ok(HttpResponse::Ok().insert_header(etag(c.version)).json(c))
}

/// The complaint's timeline, oldest first: status changes (who, when), notes, assignments,
/// compensations.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Vec<HistoryEntry>),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/history")] // GET /v1/complaints/{id}/history
pub async fn history(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<HistoryEntry>>, ApiError> {
    complaints::timeline(&state, &principal, &id)
        .await
        .map(web::Json)
}

/// Move a complaint to `in_progress`, `waiting_for_customer` or (from `resolved`) `closed`.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = StatusInput, example = json!({"status": "in_progress", "note": "Looking into it"})),
    responses(
        (status = 200, body = Complaint, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_status_transition`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/status")] // POST /v1/complaints/{id}/status
pub async fn change_status(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<StatusInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome =
        complaints::change_status(&state, &principal, &id, body.into_inner(), idem).await?;
    Ok(respond(outcome, StatusCode::OK, |c: &Complaint| {
        Some(c.version)
    }))
}

/// Give the complaint to a user of the workspace (or nobody).
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = AssignInput, example = json!({"owner_id": null})),
    responses(
        (status = 200, body = Complaint, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`owner_id` not a user of the workspace", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/assign")] // POST /v1/complaints/{id}/assign
pub async fn assign(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<AssignInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = complaints::assign(&state, &principal, &id, body.into_inner(), idem).await?;
    Ok(respond(outcome, StatusCode::OK, |c: &Complaint| {
        Some(c.version)
    }))
}

/// Add a note to the complaint's timeline (the first one counts as the first response).
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = NoteInput, example = json!({"body": "Called the customer; replacement on its way"})),
    responses(
        (status = 201, body = HistoryEntry),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/notes")] // POST /v1/complaints/{id}/notes
pub async fn add_note(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<NoteInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = complaints::add_note(&state, &principal, &id, body.into_inner(), idem).await?;
    Ok(created_at(outcome, &format!("/v1/complaints/{id}/history")))
}

/// Resolve a complaint: its outcome, and any compensation: loyalty points (through the
/// ledger) and a full or partial refund of its order (through the order refund path, so
/// metrics and earned points follow). Each kind is paid at most once per complaint: a
/// retried resolution (or one after a reopen) pays nothing again and lists what was paid.
/// Agents (and API keys without `admin`) may grant up to the workspace's agent limits,
/// managers up to theirs; beyond is a 403 `compensation_over_limit`, nothing written.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = ResolveInput, example = json!({"outcome": "Replacement sent; apologised for the delay", "points": 500})),
    responses(
        (status = 200, body = Resolution),
        (status = 403, description = "`compensation_over_limit`, or missing `accounts:write`", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`complaint_closed`, `order_fully_refunded`, `no_loyalty_program`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`outcome` missing, `points` or `refund.amount` out of range, `refund` without an order", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/resolve")] // POST /v1/complaints/{id}/resolve
pub async fn resolve(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<ResolveInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = complaints::resolve(&state, &principal, &id, body.into_inner(), idem).await?;
    Ok(respond(outcome, StatusCode::OK, |_: &Resolution| None))
}

/// Reopen a resolved or closed complaint. Its history stays; what it paid is not paid again.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = Option<ReopenInput>, description = "Optional: a reason for the timeline.", example = json!({"reason": "The replacement is damaged too"})),
    responses(
        (status = 200, body = Complaint, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_status_transition` (not resolved or closed)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/reopen")] // POST /v1/complaints/{id}/reopen
pub async fn reopen(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: OptionalJson<ReopenInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner().unwrap_or_default();
    let idem = idempotency(&req, &input)?;
    let outcome = complaints::reopen(&state, &principal, &id, input, idem).await?;
    Ok(respond(outcome, StatusCode::OK, |c: &Complaint| {
        Some(c.version)
    }))
}

/// An account's complaints, newest first.
#[utoipa::path(
    tag = "complaints",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id"), ComplaintQuery),
    responses(
        (status = 200, body = Page<Complaint>),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/complaints")] // GET /v1/accounts/{id}/complaints
pub async fn list_for_account(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: Query<ComplaintQuery>,
) -> Result<web::Json<Page<Complaint>>, ApiError> {
    complaints::list_for_account(&state, &principal, &id, query.into_inner())
        .await
        .map(web::Json)
}
