//! `/v1/segments`: segments by rules, their members (now or as of a past instant), and
//! previews of unsaved rules.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::conventions::{created, etag, idempotency, if_match};
use crate::rest::edge::Query;
use crate::service::accounts::{self as account_service, Account, AccountQuery};
use crate::service::as_of::AsOfQuery;
use crate::service::rule_segments::{
    self, Segment, SegmentInput, SegmentPreview, SegmentPreviewInput,
};
use crate::service::{ListParams, Page};
use crate::state::AppState;

/// Create a segment from a rule. Send `Idempotency-Key` to make retries safe.
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    request_body = SegmentInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    responses(
        (status = 201, body = Segment, headers(("ETag" = String), ("Location" = String))),
        (status = 409, description = "Idempotency-Key reused with another body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors`; a rule's by its path (`rule.all[2].value`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("")] // POST /v1/segments
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<SegmentInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = rule_segments::create(&state, &principal, body.into_inner(), idem).await?;
    Ok(created(
        outcome,
        "/v1/segments",
        |s: &Segment| &s.id,
        |s: &Segment| Some(s.version),
    ))
}

/// List segments by id, in keyset pages.
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    params(ListParams),
    responses((status = 200, body = Page<Segment>))
)]
#[get("")] // GET /v1/segments
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    params: Query<ListParams>,
) -> Result<web::Json<Page<Segment>>, ApiError> {
    rule_segments::list(&state, &principal, params.page()?)
        .await
        .map(web::Json)
}

/// How many accounts an unsaved rule selects now, or as of a past instant (`as_of`, see
/// its description), and the first of them by id.
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    request_body = SegmentPreviewInput,
    responses(
        (status = 200, body = SegmentPreview),
        (status = 422, description = "The rule is invalid, named by its path (`rule.all[2].value`); or `as_of` is in the future or not RFC 3339", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/preview")] // POST /v1/segments/preview
pub async fn preview(
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<SegmentPreviewInput>,
) -> Result<web::Json<SegmentPreview>, ApiError> {
    rule_segments::preview(&state, &principal, body.into_inner())
        .await
        .map(web::Json)
}

/// One segment.
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Segment, headers(("ETag" = String))), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[get("/{id}")] // GET /v1/segments/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let segment = rule_segments::get(&state, &principal, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(segment.version))
        .json(segment))
}

/// Change a segment with a JSON merge patch (RFC 7396). With `If-Match: "v<version>"` the
/// change applies only to that version (else 412).
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = SegmentInput, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, body = Segment, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The segment changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/{id}")] // PATCH /v1/segments/{id}
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let segment =
        rule_segments::update(&state, &principal, &id, body.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(segment.version))
        .json(segment))
}

/// Delete a segment (soft: it leaves reads and lists; a tracked one stops announcing).
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"))
)]
#[delete("/{id}")] // DELETE /v1/segments/{id}
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    rule_segments::delete(&state, &principal, &id, if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The segment's members now (its rule evaluated at read time), by account id in keyset
/// pages: the same as `GET /v1/accounts?segment_id=`, or as of a past instant.
///
/// With `as_of`, its members as of that past instant: the value fields (orders, revenue, margin, RFM, churn probability, risk
/// band, CLV, expected orders…) as `GET /v1/accounts/{id}/metrics?as_of=` gives them, "now"
/// and the counts of orders, interactions and complaints at that instant; fields without a
/// history (tags, attributes, consent, lifecycle stage, owner, loyalty, satisfaction, open
/// deals and complaints) at their current values.
#[utoipa::path(
    tag = "segments",
    security(("bearer" = [])),
    params(("id" = String, Path), ListParams, AsOfQuery),
    responses(
        (status = 200, body = Page<Account>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`as_of` in the future or not RFC 3339", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}/accounts")] // GET /v1/segments/{id}/accounts
pub async fn members(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    params: Query<ListParams>,
    as_of: Query<AsOfQuery>,
) -> Result<web::Json<Page<Account>>, ApiError> {
    let params = params.into_inner();
    let query = AccountQuery {
        limit: params.limit,
        after: params.after,
        ..Default::default()
    };
    account_service::segment_members(
        &state,
        &principal,
        id.into_inner(),
        query,
        as_of.as_of.as_deref(),
    )
    .await
    .map(web::Json)
}
