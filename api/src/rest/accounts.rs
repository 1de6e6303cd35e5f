//! `/v1/accounts`: customers.

use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::conventions::{created, etag, idempotency, if_match, respond};
use crate::rest::edge::Query;
use crate::service::accounts::{
    self, Account, AccountBatch, AccountInput, AccountQuery, BatchResult, ConsentEvent,
    LifecycleChange,
};
use crate::service::merge::{self, DuplicatePair, DuplicateQuery, MergeInput, MergeResult};
use crate::service::Page;
use crate::state::AppState;

/// Create an account. Send `Idempotency-Key` to make retries safe.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = AccountInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    responses(
        (status = 201, body = Account, headers(("ETag" = String), ("Location" = String))),
        (status = 409, description = "external_id taken, or Idempotency-Key reused", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("")] // POST /v1/accounts
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<AccountInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = accounts::create(&state, &principal, body.into_inner(), idem).await?;
    Ok(created(
        outcome,
        "/v1/accounts",
        |a: &Account| &a.id,
        |a: &Account| Some(a.version),
    ))
}

/// Upsert up to 500 accounts by `external_id`, with a result per item.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = AccountBatch,
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = BatchResult), (status = 422, body = Problem, content_type = "application/problem+json"))
)]
#[post("/batch")] // POST /v1/accounts/batch
pub async fn batch(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<AccountBatch>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(
        &req,
        &serde_json::to_value(&body.accounts).map_err(ApiError::internal)?,
    )?;
    let outcome = accounts::batch_upsert(&state, &principal, body.into_inner(), idem).await?;
    Ok(respond(outcome, StatusCode::OK, |_| None))
}

/// List accounts: filters, prefix search `q`, `sort`, keyset pages.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(AccountQuery),
    responses((status = 200, body = Page<Account>), (status = 422, body = Problem, content_type = "application/problem+json"))
)]
#[get("")] // GET /v1/accounts
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<AccountQuery>,
) -> Result<web::Json<Page<Account>>, ApiError> {
    accounts::list(&state, &principal, query.into_inner())
        .await
        .map(web::Json)
}

/// One account.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Account, headers(("ETag" = String))), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[get("")] // GET /v1/accounts/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (version, json) = accounts::get_json(&state, &principal, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(version))
        .content_type("application/json")
        .body(json))
}

/// Change an account with a JSON merge patch (RFC 7396: `null` clears a field). With
/// `If-Match: "v<version>"` the change applies only to that version (else 412).
/// `marketing_consent` records consent changes per channel.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = AccountInput, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, body = Account, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`external_id` taken by another account", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The account changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("")] // PATCH /v1/accounts/{id}
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let account =
        accounts::update(&state, &principal, &id, body.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(account.version))
        .json(account))
}

/// Delete an account (soft: it leaves lists and reads; its history stays).
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"))
)]
#[delete("")] // DELETE /v1/accounts/{id}
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    accounts::delete(&state, &principal, &id, if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every change of lifecycle stage, oldest first.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<LifecycleChange>), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[get("/lifecycle-history")] // GET /v1/accounts/{id}/lifecycle-history
pub async fn lifecycle_history(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<LifecycleChange>>, ApiError> {
    accounts::lifecycle_history(&state, &principal, &id)
        .await
        .map(web::Json)
}

/// Every consent given or withdrawn, with when, how and where, oldest first.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<ConsentEvent>), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[get("/consent-history")] // GET /v1/accounts/{id}/consent-history
pub async fn consent_history(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<ConsentEvent>>, ApiError> {
    accounts::consent_history(&state, &principal, &id)
        .await
        .map(web::Json)
}

/// Pairs of live accounts that may be one customer, best first: a shared normalised e-mail
/// (lower case; Gmail dots and `+tags` ignored), phone (digits, international prefix
/// dropped), `source:key` external id from another source, or a similar name (Jaro-Winkler
/// within accounts sharing the first three letters of their name or a company e-mail
/// domain). Each pair has a score in [0, 1] and its reasons; `account_id` is the older
/// account, the suggested survivor.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(DuplicateQuery),
    responses((status = 200, body = Page<DuplicatePair>), (status = 422, body = Problem, content_type = "application/problem+json"))
)]
#[get("/duplicates")] // GET /v1/accounts/duplicates
pub async fn duplicates(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<DuplicateQuery>,
) -> Result<web::Json<Page<DuplicatePair>>, ApiError> {
    merge::duplicates(&state, &principal, query.into_inner())
        .await
        .map(web::Json)
}

/// Merge the accounts of `from` into this one, in one transaction: their contacts,
/// interactions, orders, deals, loyalty lots and ledger, feedback, complaints, vouchers and
/// campaign membership move here; fields combine (this account's win where set; e-mails,
/// phones and tags unite; consent keeps the most recent decision per channel); value metrics
/// are recomputed from all the orders. Each merged account stays as a redirect:
/// `GET /v1/accounts/{merged_id}` answers 200 with this account (compare the `id`), and it
/// leaves lists and segments. Repeating a merge that succeeded answers the same result.
/// Errors name the field: `merge_into_itself`, `unknown_account` (not a live account of the
/// workspace), `already_merged` (merged into another account).
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = MergeInput,
    responses(
        (status = 200, body = MergeResult, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "An account changed meanwhile", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`from` names no account to merge, this one, an unknown or an already merged account", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/merge")] // POST /v1/accounts/{id}/merge
pub async fn merge_into(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<MergeInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = merge::merge(&state, &principal, &id, body.into_inner(), idem).await?;
    Ok(respond(outcome, StatusCode::OK, |r: &MergeResult| {
        Some(r.account.version)
    }))
}
