//! `/v1/auth/*`: tokens for users.

use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::client_ip;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::service::auth::{self, TokenPair};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "owner@example.com")]
    pub email: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Log in: exchange an e-mail and a password for an access token (15 minutes) and a
/// refresh token (30 days). Repeated failures lock the account with growing delays.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenPair),
        (status = 401, description = "Wrong e-mail or password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts; see Retry-After", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/token")]
pub async fn token(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> Result<web::Json<TokenPair>, ApiError> {
    let body = body.into_inner();
    auth::login(&state, &body.email, &body.password, &client_ip(&req))
        .await
        .map(web::Json)
}

/// Rotate: exchange a refresh token for a new pair. Each refresh token works once; a reused
/// one revokes its whole session.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = TokenPair),
        (status = 401, description = "Invalid, expired or reused refresh token", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> Result<web::Json<TokenPair>, ApiError> {
    auth::refresh(&state, &body.refresh_token)
        .await
        .map(web::Json)
}

/// Log out: revoke the session the refresh token belongs to.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Revoked (also when already revoked)"))
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    auth::logout(&state, &body.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}
