//! `/v1/offers`, `/v1/accounts/{id}/offers`, `/v1/vouchers/{code}`: the offers catalogue,
//! personal offers and voucher codes (redeemed through orders).

use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::conventions::{created, created_at, etag, idempotency, if_match, respond};
use crate::rest::edge::Query;
use crate::service::offers::next_best::{self, NextBestOffers};
use crate::service::offers::vouchers::{
    self, AccountOffersQuery, IssueInput, IssueResult, PersonalOffer, Voucher, VoucherCheck,
};
use crate::service::offers::{self as offers, Offer, OfferInput};
use crate::service::{ListParams, Page};
use crate::state::AppState;

/// Create an offer. Send `Idempotency-Key` to make retries safe.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    request_body(content = OfferInput, example = json!({
        "name": "20 % off your next order", "kind": "percent_discount", "percent": 20,
        "eligibility": {"risk_bands": ["watch", "at_risk"]},
        "valid_until": "2027-06-30T00:00:00Z", "voucher_valid_days": 30,
        "budget": 500000, "per_customer_cap": 1, "total_cap": 1000
    })),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    responses(
        (status = 201, body = Offer, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Missing `offers:write`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with another body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors` (a kind's own fields missing or given to another kind, `eligibility.segment_id`, `reward_id` or `campaign_id` naming nothing of the workspace, …)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("")] // POST /v1/offers
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<OfferInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = offers::create(&state, &principal, body.into_inner(), idem).await?;
    Ok(created(
        outcome,
        "/v1/offers",
        |o: &Offer| &o.id,
        |o: &Offer| Some(o.version),
    ))
}

/// List offers by id, in keyset pages.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(ListParams),
    responses(
        (status = 200, body = Page<Offer>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("")] // GET /v1/offers
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    params: Query<ListParams>,
) -> Result<web::Json<Page<Offer>>, ApiError> {
    offers::list(&state, &principal, params.page()?)
        .await
        .map(web::Json)
}

/// One offer, with its counters (issued, redemptions, spent).
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Offer, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}")] // GET /v1/offers/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let offer = offers::get(&state, &principal, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(offer.version))
        .json(offer))
}

/// Change an offer with a JSON merge patch (RFC 7396). Issued vouchers keep their code,
/// owner and validity; redemptions follow the new terms. With `If-Match: "v<version>"` the
/// change applies only to that version (else 412).
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = OfferInput, content_type = "application/merge-patch+json", example = json!({"budget": 750000})),
    responses(
        (status = 200, body = Offer, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The offer changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/{id}")] // PATCH /v1/offers/{id}
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let offer = offers::update(&state, &principal, &id, body.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(offer.version))
        .json(offer))
}

/// Delete an offer (soft: it leaves reads and lists; its open vouchers can no longer be
/// redeemed).
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    responses(
        (status = 204),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/{id}")] // DELETE /v1/offers/{id}
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    offers::delete(&state, &principal, &id, if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Issue the offer as personal vouchers: to one account (`account_id`: 422
/// `offer_not_eligible` when it does not meet the eligibility, 409 `voucher_already_held`
/// when it holds an open voucher of the offer) or to a segment's members (`segment_id`, in
/// batches of 500; ineligible members and holders are counted and left out, so issuing
/// again reaches only new members).
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = IssueInput, example = json!({"account_id": "0193a3c4-7b1e-7c3a-9d2e-5f6a7b8c9d0e"})),
    responses(
        (status = 201, body = IssueResult),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`offer_inactive`, `offer_ended`, `offer_not_started`, `voucher_already_held`, or Idempotency-Key reused with another body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`account_id` naming no live account, `segment_id` no segment, or `offer_not_eligible`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/{id}/issue")] // POST /v1/offers/{id}/issue
pub async fn issue(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<IssueInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = vouchers::issue(&state, &principal, &id, body.into_inner(), idem).await?;
    Ok(created_at(outcome, &format!("/v1/offers/{id}")))
}

/// The account's personal offers: its vouchers with their offers, by voucher id;
/// `?state=open` (default: issued or viewed, still valid, offer active) or `all`.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id"), AccountOffersQuery),
    responses(
        (status = 200, body = Page<PersonalOffer>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/offers")] // GET /v1/accounts/{id}/offers
pub async fn for_account(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: Query<AccountOffersQuery>,
) -> Result<web::Json<Page<PersonalOffer>>, ApiError> {
    vouchers::for_account(&state, &principal, &id, query.into_inner())
        .await
        .map(web::Json)
}

/// Check a voucher at a till: the voucher, its offer, whether an order may redeem it now
/// (`problem` names the code that order would get) and its history. Redeem it by sending
/// the order with `voucher_codes`.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "The code, e.g. `7K2M-QX9P-HT4W-ZC3N` (case and dashes ignored)")),
    responses(
        (status = 200, body = VoucherCheck),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No voucher with this code in the workspace", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{code}")] // GET /v1/vouchers/{code}
pub async fn check(
    state: web::Data<AppState>,
    principal: Principal,
    code: web::Path<String>,
) -> Result<web::Json<VoucherCheck>, ApiError> {
    vouchers::check(&state, &principal, &code)
        .await
        .map(web::Json)
}

/// Cancel an open voucher (issued or viewed): it can no longer be redeemed.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("code" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key = the stored response again")),
    responses(
        (status = 200, body = Voucher, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`voucher_not_open`: redeemed, expired or cancelled already", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/{code}/cancel")] // POST /v1/vouchers/{code}/cancel
pub async fn cancel(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &Value::Null)?;
    let outcome = vouchers::cancel(&state, &principal, &code, idem).await?;
    Ok(respond(outcome, StatusCode::OK, |v: &Voucher| {
        Some(v.version)
    }))
}

/// Report that the customer saw the voucher (issued → viewed; again: unchanged). Needs
/// `offers:read`.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("code" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key = the stored response again")),
    responses(
        (status = 200, body = Voucher, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`voucher_not_open`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/{code}/view")] // POST /v1/vouchers/{code}/view
pub async fn view(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &Value::Null)?;
    let outcome = vouchers::view(&state, &principal, &code, idem).await?;
    Ok(respond(outcome, StatusCode::OK, |v: &Voucher| {
        Some(v.version)
    }))
}

/// The customer's next best offers: the offers it may get now, ranked by expected
/// incremental margin = uplift × expected value − expected cost, each with its numbers and
/// an explanation. Uplift: the relative uplift in revenue per member measured by the offer's
/// campaign, in the customer's RFM segment and risk band, each shrunk toward the campaign's
/// overall uplift as (n × cell + 200 × overall) / (n + 200), n the cell's members, then
/// averaged; 5 % before the campaign has results. Expected value: expected orders in 90
/// days × expected order value (the stored models), else one average order. Expected cost:
/// min(1, expected orders) × (the discount on an expected order + cost per redemption).
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id")),
    responses(
        (status = 200, body = NextBestOffers),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/next-best-offers")] // GET /v1/accounts/{id}/next-best-offers
pub async fn next_best_offers(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<NextBestOffers>, ApiError> {
    let data = next_best::next_best_offers(&state, &principal, &id).await?;
    Ok(web::Json(NextBestOffers { data }))
}
