//! `/v1/webhooks`: subscriptions to the workspace's events, their delivery log, redelivery,
//! test pings and secret rotation (admin).

use actix_web::http::header;
use actix_web::{delete, get, patch, post, web, HttpResponse};

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::edge::Query;
use crate::service::webhooks::deliveries::{self, WebhookDelivery};
use crate::service::webhooks::{self, NewWebhook, Webhook, WebhookPatch, WebhookWithSecret};
use crate::service::{ListParams, Page};
use crate::state::AppState;

/// Subscribe a URL to event types. The response carries the signing secret, shown only
/// this once. Deliveries start with the workspace's next event.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    request_body = NewWebhook,
    responses(
        (status = 201, body = WebhookWithSecret, headers(("Location" = String))),
        (status = 422, description = "A field is invalid: `url` (not https, a private address), `event_types[i]` (unknown type)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("")] // POST /v1/webhooks
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NewWebhook>,
) -> Result<HttpResponse, ApiError> {
    let created = webhooks::create(&state, &principal, body.into_inner()).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/v1/webhooks/{}", created.webhook.id),
        ))
        .json(created))
}

/// List subscriptions (without secrets).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(ListParams),
    responses((status = 200, body = Page<Webhook>))
)]
#[get("")] // GET /v1/webhooks
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    params: Query<ListParams>,
) -> Result<web::Json<Page<Webhook>>, ApiError> {
    webhooks::list(&state, &principal, params.page()?)
        .await
        .map(web::Json)
}

/// One subscription.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Webhook), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[get("/{id}")] // GET /v1/webhooks/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Webhook>, ApiError> {
    webhooks::get(&state, &principal, &id).await.map(web::Json)
}

/// Change the URL, event types, description, or turn the subscription on or off.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = WebhookPatch,
    responses(
        (status = 200, body = Webhook),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/{id}")] // PATCH /v1/webhooks/{id}
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: Json<WebhookPatch>,
) -> Result<web::Json<Webhook>, ApiError> {
    webhooks::update(&state, &principal, &id, body.into_inner())
        .await
        .map(web::Json)
}

/// Delete a subscription and its delivery log; deliveries stop at once.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[delete("/{id}")] // DELETE /v1/webhooks/{id}
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    webhooks::delete(&state, &principal, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replace the signing secret. The response carries the new secret (shown only this once);
/// the old one keeps signing too, as a second `v1=` in `Rapport-Signature`, until
/// `previous_secret_expires_at` (a day by default).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = WebhookWithSecret), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[post("/{id}/rotate-secret")] // POST /v1/webhooks/{id}/rotate-secret
pub async fn rotate_secret(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<WebhookWithSecret>, ApiError> {
    webhooks::rotate_secret(&state, &principal, &id)
        .await
        .map(web::Json)
}

/// The subscription's delivery attempts, newest first: event, attempt number, status code,
/// latency, error, next retry.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path), ListParams),
    responses((status = 200, body = Page<WebhookDelivery>), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[get("/{id}/deliveries")] // GET /v1/webhooks/{id}/deliveries
pub async fn list_deliveries(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    params: Query<ListParams>,
) -> Result<web::Json<Page<WebhookDelivery>>, ApiError> {
    deliveries::list(&state, &principal, &id, params.page()?)
        .await
        .map(web::Json)
}

/// Send the event of a logged attempt again, now; answers the new attempt (not retried).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path), ("delivery_id" = String, Path)),
    responses(
        (status = 200, body = WebhookDelivery),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`event_expired`: the event is past the feed's retention", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/{id}/deliveries/{delivery_id}/redeliver")] // POST /v1/webhooks/{id}/deliveries/{delivery_id}/redeliver
pub async fn redeliver(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<web::Json<WebhookDelivery>, ApiError> {
    let (id, delivery_id) = path.into_inner();
    deliveries::redeliver(&state, &principal, &id, &delivery_id)
        .await
        .map(web::Json)
}

/// Send a `ping` event to the subscription now and answer how it went.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = WebhookDelivery), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[post("/{id}/ping")] // POST /v1/webhooks/{id}/ping
pub async fn ping(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<WebhookDelivery>, ApiError> {
    deliveries::ping(&state, &principal, &id)
        .await
        .map(web::Json)
}
