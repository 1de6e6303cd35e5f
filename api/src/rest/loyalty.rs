//! `/v1/loyalty/...` and `/v1/accounts/{id}/loyalty...`: the programme, balances, the
//! ledger, redemptions, adjustments and the rewards catalog.

use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use serde_json::Value;

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::{Json, OptionalJson};
use crate::rest::conventions::{created, etag, idempotency, if_match};
use crate::rest::edge::Query;
use crate::service::loyalty::{
    self, AdjustInput, CancelRedemptionInput, LedgerEntry, LoyaltyBalance, LoyaltyProgram,
    ProgramInput, RedeemInput, Redemption, Reward, RewardInput,
};
use crate::service::{ListParams, Page};
use crate::state::AppState;

/// The workspace's loyalty programme (404 until an admin sets one up).
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    responses(
        (status = 200, body = LoyaltyProgram, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No programme yet", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/program")] // GET /v1/loyalty/program
pub async fn get_program(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let program = loyalty::get_program(&state, &principal).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(program.version))
        .json(program))
}

/// Create or replace the programme (admin): earn rate and rounding, tiers qualified on
/// spend or points earned in a rolling window with a multiplier and benefits, downgrades,
/// expiry (months, or never) and the pending period. With `If-Match`, only that version is
/// replaced. Existing points keep their dates; new rules apply to new earnings.
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(("If-Match" = Option<String>, Header)),
    request_body(content = ProgramInput, example = json!({
        "currency": "EUR",
        "earn_rate": {"numerator": 1, "denominator": 100},
        "rounding": "down",
        "qualification": "spend",
        "qualification_window_days": 365,
        "tiers": [
            {"name": "Bronze", "threshold": 0, "multiplier_permille": 1000, "benefits": ""},
            {"name": "Silver", "threshold": 50000, "multiplier_permille": 1250, "benefits": "Free shipping"},
            {"name": "Gold", "threshold": 200000, "multiplier_permille": 1500, "benefits": "Priority support"}
        ],
        "expiry_months": 12,
        "pending_days": 14
    })),
    responses(
        (status = 200, body = LoyaltyProgram, headers(("ETag" = String))),
        (status = 403, description = "Needs `admin`", body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named (`tiers[1].threshold`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/program")] // PUT /v1/loyalty/program
pub async fn put_program(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<ProgramInput>,
) -> Result<HttpResponse, ApiError> {
    let program =
        loyalty::put_program(&state, &principal, body.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(program.version))
        .json(program))
}

/// A member's points: available (spendable minus debt), pending, debt, lifetime earned,
/// points expiring within 30 days, tier and progress to the next tier.
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id")),
    responses(
        (status = 200, body = LoyaltyBalance),
        (status = 404, description = "No such account, or no programme (`no_loyalty_program`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/loyalty")] // GET /v1/accounts/{id}/loyalty
pub async fn balance(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<LoyaltyBalance>, ApiError> {
    loyalty::get_balance(&state, &principal, &id)
        .await
        .map(web::Json)
}

/// The member's immutable ledger, newest first, in keyset pages.
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id"), ListParams),
    responses(
        (status = 200, body = Page<LedgerEntry>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/loyalty/ledger")] // GET /v1/accounts/{id}/loyalty/ledger
pub async fn ledger(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: Query<ListParams>,
) -> Result<web::Json<Page<LedgerEntry>>, ApiError> {
    let query = query.into_inner();
    loyalty::ledger(&state, &principal, &id, query.limit, query.after)
        .await
        .map(web::Json)
}

/// One entry of the member's ledger.
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The account's id"),
        ("entry_id" = String, Path, description = "The entry's id")
    ),
    responses(
        (status = 200, body = LedgerEntry),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/loyalty/ledger/{entry_id}")] // GET /v1/accounts/{id}/loyalty/ledger/{entry_id}
pub async fn ledger_entry(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<web::Json<LedgerEntry>, ApiError> {
    let (id, entry_id) = path.into_inner();
    loyalty::ledger_entry(&state, &principal, &id, &entry_id)
        .await
        .map(web::Json)
}

/// One redemption of the member (`available_after` is null: it belongs to the moment it
/// was made).
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The account's id"),
        ("redemption_id" = String, Path, description = "The redemption's id")
    ),
    responses(
        (status = 200, body = Redemption),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/loyalty/redemptions/{redemption_id}")] // GET /v1/accounts/{id}/loyalty/redemptions/{redemption_id}
pub async fn redemption(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<web::Json<Redemption>, ApiError> {
    let (id, redemption_id) = path.into_inner();
    loyalty::redemption(&state, &principal, &id, &redemption_id)
        .await
        .map(web::Json)
}

/// The member's redemptions, newest first (`available_after` is null in lists).
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id"), ListParams),
    responses(
        (status = 200, body = Page<Redemption>),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/loyalty/redemptions")] // GET /v1/accounts/{id}/loyalty/redemptions
pub async fn redemptions(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: Query<ListParams>,
) -> Result<web::Json<Page<Redemption>>, ApiError> {
    let query = query.into_inner();
    loyalty::redemptions(&state, &principal, &id, query.limit, query.after)
        .await
        .map(web::Json)
}

/// Spend points, or a reward's cost with `reward_id` (taking one unit of its stock).
/// Atomic and never below an available balance of zero, even under concurrent requests
/// (409 `insufficient_points`). Send `Idempotency-Key` so a retry is applied once.
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The account's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")
    ),
    request_body(content = RedeemInput, example = json!({"points": 100, "note": "checkout 4711"})),
    responses(
        (status = 201, body = Redemption, headers(("Location" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`insufficient_points`, `out_of_stock`, `reward_unavailable`, or the Idempotency-Key reused", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/loyalty/redeem")] // POST /v1/accounts/{id}/loyalty/redeem
pub async fn redeem(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<RedeemInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = loyalty::redeem(&state, &principal, &id, body.into_inner(), idem).await?;
    Ok(created(
        outcome,
        &format!("/v1/accounts/{id}/loyalty/redemptions"),
        |r: &Redemption| &r.id,
        |_| None,
    ))
}

/// Hand over a reward redemption (`issued` → `fulfilled`). Repeating it answers the
/// redemption unchanged.
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The account's id"),
        ("redemption_id" = String, Path, description = "The redemption's id")
    ),
    responses(
        (status = 200, body = Redemption),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`redemption_cancelled`, `not_a_reward_redemption` (plain points have nothing to hand over)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/loyalty/redemptions/{redemption_id}/fulfil")] // POST /v1/accounts/{id}/loyalty/redemptions/{redemption_id}/fulfil
pub async fn fulfil_redemption(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<web::Json<Redemption>, ApiError> {
    let (id, redemption_id) = path.into_inner();
    loyalty::fulfil_redemption(&state, &principal, &id, &redemption_id)
        .await
        .map(web::Json)
}

/// Cancel a redemption (`issued` or `completed` → `cancelled`): its points come back to the
/// member in a new lot (a `return` ledger entry, paying any debt first, expiring by the
/// programme's rule from now) and a limited reward gets its unit of stock back, exactly once.
/// Repeating it answers the redemption unchanged; a `fulfilled` one cannot be cancelled.
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The account's id"),
        ("redemption_id" = String, Path, description = "The redemption's id")
    ),
    request_body(content = Option<CancelRedemptionInput>, description = "Optional: a reason. A body that is sent must parse (no unknown fields).", example = json!({"reason": "customer changed their mind"})),
    responses(
        (status = 200, body = Redemption),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`redemption_fulfilled`, or `no_loyalty_program`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`reason` too long or holding control characters", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/loyalty/redemptions/{redemption_id}/cancel")] // POST /v1/accounts/{id}/loyalty/redemptions/{redemption_id}/cancel
pub async fn cancel_redemption(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
    body: OptionalJson<CancelRedemptionInput>,
) -> Result<web::Json<Redemption>, ApiError> {
    let (id, redemption_id) = path.into_inner();
    let input = body.into_inner().unwrap_or_default();
    loyalty::cancel_redemption(&state, &principal, &id, &redemption_id, input)
        .await
        .map(web::Json)
}

/// An admin's manual correction (`admin`): non-zero points with a required reason, in the
/// ledger and the audit log. A negative adjustment never takes `available` below zero.
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The account's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")
    ),
    request_body(content = AdjustInput, example = json!({"points": 50, "reason": "goodwill: late delivery"})),
    responses(
        (status = 201, body = LedgerEntry, headers(("Location" = String))),
        (status = 403, description = "Needs `admin`", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`insufficient_points`, `no_loyalty_program`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/loyalty/adjust")] // POST /v1/accounts/{id}/loyalty/adjust
pub async fn adjust(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<AdjustInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = loyalty::adjust(&state, &principal, &id, body.into_inner(), idem).await?;
    Ok(created(
        outcome,
        &format!("/v1/accounts/{id}/loyalty/ledger"),
        |e: &LedgerEntry| &e.id,
        |_| None,
    ))
}

/// Add a reward to the catalog (admin): point cost, optional stock (null = unlimited) and
/// availability window.
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = RewardInput, example = json!({"name": "Free coffee", "points_cost": 150, "stock": 100})),
    responses(
        (status = 201, body = Reward, headers(("ETag" = String), ("Location" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/rewards")] // POST /v1/loyalty/rewards
pub async fn create_reward(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<RewardInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = loyalty::create_reward(&state, &principal, body.into_inner(), idem).await?;
    Ok(created(
        outcome,
        "/v1/loyalty/rewards",
        |r: &Reward| &r.id,
        |r: &Reward| Some(r.version),
    ))
}

/// The rewards catalog, in pages.
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(ListParams),
    responses(
        (status = 200, body = Page<Reward>),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/rewards")] // GET /v1/loyalty/rewards
pub async fn list_rewards(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<ListParams>,
) -> Result<web::Json<Page<Reward>>, ApiError> {
    let query = query.into_inner();
    loyalty::list_rewards(&state, &principal, query.limit, query.after)
        .await
        .map(web::Json)
}

/// One reward.
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Reward, headers(("ETag" = String))),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/rewards/{id}")] // GET /v1/loyalty/rewards/{id}
pub async fn get_reward(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let reward = loyalty::get_reward(&state, &principal, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(reward.version))
        .json(reward))
}

/// Change a reward with a JSON merge patch (admin); `If-Match` makes it conditional.
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = RewardInput, content_type = "application/merge-patch+json", example = json!({"stock": 50})),
    responses(
        (status = 200, body = Reward, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/rewards/{id}")] // PATCH /v1/loyalty/rewards/{id}
pub async fn update_reward(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let reward =
        loyalty::update_reward(&state, &principal, &id, body.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(reward.version))
        .json(reward))
}

/// Remove a reward from the catalog (soft; past redemptions keep it).
#[utoipa::path(
    tag = "loyalty",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    responses(
        (status = 204),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/rewards/{id}")] // DELETE /v1/loyalty/rewards/{id}
pub async fn remove_reward(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    loyalty::delete_reward(&state, &principal, &id, if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}
