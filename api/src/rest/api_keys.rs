//! `/v1/api-keys`: keys for partners' servers (admin).

use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpResponse};

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::edge::Query;
use crate::service::api_keys::{self, ApiKey, CreatedApiKey, NewApiKey};
use crate::service::{ListParams, Page};
use crate::state::AppState;

/// Create a key. The response carries the secret; it is never shown again.
#[utoipa::path(
    tag = "api-keys",
    security(("bearer" = [])),
    request_body = NewApiKey,
    responses(
        (status = 201, body = CreatedApiKey, headers(("Location" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("")] // POST /v1/api-keys
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NewApiKey>,
) -> Result<HttpResponse, ApiError> {
    let key = api_keys::create(&state, &principal, body.into_inner()).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/v1/api-keys/{}", key.key.id)))
        .json(key))
}

/// List keys (without secrets), with when each was last used.
#[utoipa::path(
    tag = "api-keys",
    security(("bearer" = [])),
    params(ListParams),
    responses((status = 200, body = Page<ApiKey>), (status = 403, body = Problem, content_type = "application/problem+json"))
)]
#[get("")] // GET /v1/api-keys
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    params: Query<ListParams>,
) -> Result<web::Json<Page<ApiKey>>, ApiError> {
    api_keys::list(&state, &principal, params.page()?)
        .await
        .map(web::Json)
}

/// One key.
#[utoipa::path(
    tag = "api-keys",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = ApiKey), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[get("/{id}")] // GET /v1/api-keys/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<ApiKey>, ApiError> {
    api_keys::get(&state, &principal, &id).await.map(web::Json)
}

/// Revoke a key: it stops working at once.
#[utoipa::path(
    tag = "api-keys",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = ApiKey), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[delete("/{id}")] // DELETE /v1/api-keys/{id}
pub async fn revoke(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<ApiKey>, ApiError> {
    api_keys::revoke(&state, &principal, &id)
        .await
        .map(web::Json)
}
