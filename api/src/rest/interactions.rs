//! `/v1/accounts/{id}/interactions` and `/v1/interactions/{id}`: an account's timeline.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::conventions::{created, etag, idempotency, if_match};
use crate::rest::edge::Query;
use crate::service::interactions::{self, Interaction, InteractionInput, InteractionQuery};
use crate::service::Page;
use crate::state::AppState;

/// Log an interaction on an account, authored by the caller. `occurred_at` defaults to now
/// (at most 5 minutes ahead); `due_at` and `done` are for tasks only. Send
/// `Idempotency-Key` to make retries safe. Agents may log on any account.
#[utoipa::path(
    tag = "interactions",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The account's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")
    ),
    request_body(content = InteractionInput, example = json!({
        "type": "call", "channel": "phone", "direction": "outbound",
        "subject": "Renewal call", "body": "Agreed to renew for two years.",
        "occurred_at": "2026-11-23T10:30:00Z"
    })),
    responses(
        (status = 201, body = Interaction, headers(("ETag" = String), ("Location" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account (or deleted)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors` (`contact_id` when not a contact of this account)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/interactions")] // POST /v1/accounts/{id}/interactions
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<InteractionInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = interactions::create(&state, &principal, &id, body.into_inner(), idem).await?;
    Ok(created(
        outcome,
        "/v1/interactions",
        |i: &Interaction| &i.id,
        |i: &Interaction| Some(i.version),
    ))
}

/// An account's timeline, newest first (`occurred_at`, then id), with filters, in keyset
/// pages.
#[utoipa::path(
    tag = "interactions",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id"), InteractionQuery),
    responses(
        (status = 200, body = Page<Interaction>),
        (status = 404, description = "No such account (or deleted)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/interactions")] // GET /v1/accounts/{id}/interactions
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: Query<InteractionQuery>,
) -> Result<web::Json<Page<Interaction>>, ApiError> {
    interactions::list_for_account(&state, &principal, &id, query.into_inner())
        .await
        .map(web::Json)
}

/// One interaction.
#[utoipa::path(
    tag = "interactions",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Interaction, headers(("ETag" = String))),
        (status = 404, description = "No such interaction, or it or its account is deleted", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}")] // GET /v1/interactions/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let interaction = interactions::get(&state, &principal, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(interaction.version))
        .json(interaction))
}

/// Change an interaction with a JSON merge patch (RFC 7396: `null` clears a field). With
/// `If-Match: "v<version>"` the change applies only to that version (else 412). Agents
/// change only interactions they logged.
#[utoipa::path(
    tag = "interactions",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = InteractionInput, content_type = "application/merge-patch+json", example = json!({"done": true})),
    responses(
        (status = 200, body = Interaction, headers(("ETag" = String))),
        (status = 403, description = "Missing `accounts:write`, or an agent on another's interaction", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The interaction changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/{id}")] // PATCH /v1/interactions/{id}
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let interaction =
        interactions::update(&state, &principal, &id, body.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(interaction.version))
        .json(interaction))
}

/// Delete an interaction (soft: it leaves the timeline; the audit log keeps it).
#[utoipa::path(
    tag = "interactions",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    responses(
        (status = 204),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/{id}")] // DELETE /v1/interactions/{id}
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    interactions::delete(&state, &principal, &id, if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}
