//! `/v1/campaigns`: campaigns on a segment with a control group, their launch, members,
//! reported contact outcomes and results; the workspace's global control group.

use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use serde_json::Value;

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::conventions::{created, etag, idempotency, if_match, respond};
use crate::rest::edge::Query;
use crate::service::campaigns::launch as launching;
use crate::service::campaigns::members::{
    self, CampaignMember, ExposureBatch, ExposureBatchResult, MemberQuery,
};
use crate::service::campaigns::results::{self as reporting, CampaignResults};
use crate::service::campaigns::settings::{self, GlobalControl, GlobalControlInput};
use crate::service::campaigns::{self as campaigns, Campaign, CampaignInput};
use crate::service::{ListParams, Page};
use crate::state::AppState;

/// Create a draft campaign. Send `Idempotency-Key` to make retries safe.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    request_body(content = CampaignInput, example = json!({
        "name": "Win back drifting customers", "goal": "A second purchase within 30 days",
        "channel": "email", "segment_id": "0193a3c4-7b1e-7c3a-9d2e-5f6a7b8c9d0e",
        "cost_fixed": 50000, "cost_per_contact": 12, "attribution_window_days": 30,
        "control_share": 0.1
    })),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    responses(
        (status = 201, body = Campaign, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Missing `campaigns:write`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with another body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors` (`segment_id` naming no segment of the workspace, `currency` other than the reporting currency, …)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("")] // POST /v1/campaigns
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<CampaignInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = campaigns::create(&state, &principal, body.into_inner(), idem).await?;
    Ok(created(
        outcome,
        "/v1/campaigns",
        |c: &Campaign| &c.id,
        |c: &Campaign| Some(c.version),
    ))
}

/// List campaigns by id, in keyset pages.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(ListParams),
    responses(
        (status = 200, body = Page<Campaign>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("")] // GET /v1/campaigns
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    params: Query<ListParams>,
) -> Result<web::Json<Page<Campaign>>, ApiError> {
    campaigns::list(&state, &principal, params.page()?)
        .await
        .map(web::Json)
}

/// The global control group: a share of all customers left out of every campaign that
/// respects it (off by default).
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    responses(
        (status = 200, body = GlobalControl),
        (status = 403, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/global-control")] // GET /v1/campaigns/global-control
pub async fn global_control(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<GlobalControl>, ApiError> {
    settings::get(&state, &principal).await.map(web::Json)
}

/// Set the global control group's share and re-draw schedule (the current draw is kept).
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    request_body(content = GlobalControlInput, example = json!({"share": 0.05, "redraw_every_days": 90})),
    responses(
        (status = 200, body = GlobalControl),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/global-control")] // PUT /v1/campaigns/global-control
pub async fn set_global_control(
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<GlobalControlInput>,
) -> Result<web::Json<GlobalControl>, ApiError> {
    settings::update(&state, &principal, body.into_inner())
        .await
        .map(web::Json)
}

/// Draw the global control group anew (its epoch moves on).
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    responses(
        (status = 200, body = GlobalControl),
        (status = 403, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/global-control/redraw")] // POST /v1/campaigns/global-control/redraw
pub async fn redraw_global_control(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<GlobalControl>, ApiError> {
    settings::redraw(&state, &principal).await.map(web::Json)
}

/// One campaign.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Campaign, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}")] // GET /v1/campaigns/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let campaign = campaigns::get(&state, &principal, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(campaign.version))
        .json(campaign))
}

/// Change a campaign with a JSON merge patch (RFC 7396). Once launched, only `name`, `goal`,
/// `offer_id` and the costs may change (else 409 `campaign_launched`). With
/// `If-Match: "v<version>"` the change applies only to that version (else 412).
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = CampaignInput, content_type = "application/merge-patch+json", example = json!({"cost_fixed": 65000})),
    responses(
        (status = 200, body = Campaign, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`campaign_launched`: the change touches what launch fixed", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The campaign changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/{id}")] // PATCH /v1/campaigns/{id}
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let campaign =
        campaigns::update(&state, &principal, &id, body.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(campaign.version))
        .json(campaign))
}

/// Delete a campaign (soft: it leaves reads and lists).
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    responses(
        (status = 204),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/{id}")] // DELETE /v1/campaigns/{id}
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    campaigns::delete(&state, &principal, &id, if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Launch: snapshot the audience (the segment's members now, minus those without consent
/// for the channel and those in the global control group, both counted) and split it into
/// treatment and control by a SHA-256 hash of campaign id and account id (stratified by RFM
/// segment unless `stratify` is false). Once only: a second launch is a 409
/// `campaign_already_launched`; the same `Idempotency-Key` gets the first answer again.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key = the stored response again")),
    responses(
        (status = 200, body = Campaign, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`campaign_already_launched`, or `campaign_segment_deleted`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/{id}/launch")] // POST /v1/campaigns/{id}/launch
pub async fn launch(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &Value::Null)?;
    let outcome = launching::launch(&state, &principal, &id, idem).await?;
    Ok(respond(outcome, StatusCode::OK, |c: &Campaign| {
        Some(c.version)
    }))
}

/// A launched campaign's members by account id, with their arm, strata at launch and the
/// contact outcomes reported; `?arm=treatment|control`.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = String, Path), MemberQuery),
    responses(
        (status = 200, body = Page<CampaignMember>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`arm`, `limit` or `after` invalid", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}/members")] // GET /v1/campaigns/{id}/members
pub async fn list_members(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: Query<MemberQuery>,
) -> Result<web::Json<Page<CampaignMember>>, ApiError> {
    members::list(&state, &principal, &id, query.into_inner())
        .await
        .map(web::Json)
}

/// Report contact outcomes of treated members, up to 1,000 in one transaction: all or
/// nothing (an invalid item is a 422 naming `exposures[i].field`); an outcome reported
/// before is a `duplicate`, so a retried batch changes nothing.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = ExposureBatch, example = json!({"exposures": [
        {"account_id": "0193a3c4-7b1e-7c3a-9d2e-5f6a7b8c9d0e", "outcome": "delivered"},
        {"account_id": "0193a3c4-7b1e-7c3a-9d2e-5f6a7b8c9d0e", "outcome": "opened", "occurred_at": "2026-12-01T10:00:00Z"}
    ]})),
    responses(
        (status = 200, body = ExposureBatchResult),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`campaign_not_launched`, or Idempotency-Key reused with another body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or over 1,000, or invalid items (nothing written)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/{id}/exposures")] // POST /v1/campaigns/{id}/exposures
pub async fn exposures(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<ExposureBatch>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = members::record(&state, &principal, &id, body.into_inner(), idem).await?;
    Ok(respond(
        outcome,
        StatusCode::OK,
        |_: &ExposureBatchResult| None,
    ))
}

/// Results per arm (live while the window is open): conversion, revenue and margin per
/// member, incremental revenue and margin, uplift with 95 % intervals and p-values (Welch's
/// t-test for revenue and margin per member, a two-proportion z-test for conversion), ROMI,
/// and the same by RFM segment and risk band at launch. Fewer than 30 members or 5 buyers in
/// an arm gives `significance: "insufficient_data"` and no interval or p-value.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = CampaignResults),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`campaign_not_launched`", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}/results")] // GET /v1/campaigns/{id}/results
pub async fn results(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<CampaignResults>, ApiError> {
    reporting::results(&state, &principal, &id)
        .await
        .map(web::Json)
}
