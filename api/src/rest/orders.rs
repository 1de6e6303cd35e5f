//! `/v1/orders`, `/v1/orders/batch`, `/v1/orders/{id}/refund`, `/v1/accounts/{id}/orders`:
//! purchases, which keep every account's value metrics current.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::body::OptionalJson;
use crate::rest::conventions::{created, etag, idempotency, respond};
use crate::rest::edge::Query;
use crate::service::orders::{
    self, BatchResult, Order, OrderBatch, OrderInput, OrderQuery, RefundInput,
};
use crate::service::Page;
use crate::state::AppState;

/// Record a purchase. The account's value metrics (orders, revenue, margin, repeat
/// statistics, RFM score) change in the same transaction. Send `external_id` (your key) or
/// `Idempotency-Key` so retries never count twice: a known `external_id` is a 409
/// `duplicate_order` naming the existing order.
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = OrderInput, example = json!({
        "account_id": "01936b1e-5a3c-7cc0-9a51-6a2f3c0e4b11", "external_id": "shop-100231",
        "amount": 9900, "currency": "USD", "cost": 5400, "occurred_at": "2026-11-20T14:03:00Z",
        "channel": "web", "items": [{"sku": "SKU-1042", "quantity": 2, "unit_price": 4950, "category": "footwear"}]
    })),
    responses(
        (status = 201, body = Order, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Missing `orders:write`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`duplicate_order` (known external_id) or `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named; `account_id` when no live account has it; `currency` without an exchange rate", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("")] // POST /v1/orders
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<OrderInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = orders::create(&state, &principal, body.into_inner(), idem).await?;
    Ok(created(
        outcome,
        "/v1/orders",
        |o: &Order| &o.id,
        |o: &Order| Some(o.version),
    ))
}

/// Record up to 1,000 purchases in one transaction: all or nothing. Any invalid order fails
/// the batch with a 422 naming `orders[i].field`. Orders whose `external_id` already exists
/// (or repeats earlier in the batch) are reported as `duplicate` and not applied again, so
/// a retried batch changes nothing.
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = OrderBatch, example = json!({"orders": [
        {"account_external_id": "crm-7781", "external_id": "pos-1", "amount": 1250, "currency": "USD", "channel": "store"},
        {"account_external_id": "crm-7782", "external_id": "pos-2", "amount": 4300, "currency": "USD", "channel": "store"}
    ]})),
    responses(
        (status = 200, body = BatchResult),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`orders` empty or over 1,000, or invalid items (nothing written)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/batch")] // POST /v1/orders/batch
pub async fn batch(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<OrderBatch>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = orders::create_batch(&state, &principal, body.into_inner(), idem).await?;
    Ok(respond(outcome, StatusCode::OK, |_: &BatchResult| None))
}

/// Orders, newest first, with filters, in keyset pages.
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    params(OrderQuery),
    responses(
        (status = 200, body = Page<Order>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("")] // GET /v1/orders
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<OrderQuery>,
) -> Result<web::Json<Page<Order>>, ApiError> {
    orders::list(&state, &principal, query.into_inner())
        .await
        .map(web::Json)
}

/// One order.
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Order, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}")] // GET /v1/orders/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let order = orders::get(&state, &principal, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(order.version))
        .json(order))
}

/// Refund an order, fully (no `amount`) or partly. Refunds add up to at most the amount;
/// the account's revenue, margin and repeat statistics change in the same transaction (a
/// fully refunded order no longer counts as a purchase).
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = Option<RefundInput>, description = "Optional: no body refunds whatever is left. A body that is sent must parse (no unknown fields).", example = json!({"amount": 2500, "reason": "damaged on arrival"})),
    responses(
        (status = 200, body = Order, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`order_fully_refunded`, or `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`amount` not positive or more than is left", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/{id}/refund")] // POST /v1/orders/{id}/refund
pub async fn refund(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: OptionalJson<RefundInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner().unwrap_or_default();
    let idem = idempotency(&req, &input)?;
    let outcome = orders::refund(&state, &principal, &id, input, idem).await?;
    Ok(respond(outcome, StatusCode::OK, |o: &Order| {
        Some(o.version)
    }))
}

/// An account's orders, newest first.
#[utoipa::path(
    tag = "orders",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id"), OrderQuery),
    responses(
        (status = 200, body = Page<Order>),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/orders")] // GET /v1/accounts/{id}/orders
pub async fn list_for_account(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: Query<OrderQuery>,
) -> Result<web::Json<Page<Order>>, ApiError> {
    orders::list_for_account(&state, &principal, &id, query.into_inner())
        .await
        .map(web::Json)
}
