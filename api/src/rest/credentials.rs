//! The caller's credentials read from the request: `Authorization: Bearer <token>` checked
//! (JWT or API key) and rate-limited once per request by `service::auth`, then kept in the
//! request's extensions so every later extraction (REST handler, GraphQL) reuses it.
//! (Here, not in `auth`, so the principal's type does not depend on the service that makes it.)

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::middleware::RequestId;
use crate::service;
use crate::state::AppState;

fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthenticated("the Authorization header is not valid text"))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim().to_owned()))
        }
        _ => Err(ApiError::unauthenticated(
            "use `Authorization: Bearer <token>` with an access token or an API key",
        )),
    }
}

/// Authenticates and rate-limits once per request; later extractions reuse the result.
async fn authenticate(req: HttpRequest) -> Result<Option<Principal>, ApiError> {
    if let Some(found) = req.extensions().get::<Principal>() {
        return Ok(Some(found.clone()));
    }
    let Some(token) = bearer(&req)? else {
        return Ok(None);
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("application state missing"))?;
    let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
    let principal = service::auth::authenticate(&state, &token, request_id).await?;
    let decision = service::auth::rate_limit(&state, &principal).await;
    if let Some(decision) = decision {
        req.extensions_mut().insert(decision);
        if !decision.allowed {
            return Err(ApiError::rate_limited(decision.retry_after_secs));
        }
    }
    req.extensions_mut().insert(principal.clone());
    Ok(Some(principal))
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            authenticate(req).await?.ok_or_else(|| {
                ApiError::unauthenticated("this endpoint needs `Authorization: Bearer <token>`")
            })
        })
    }
}

/// A principal when credentials are sent; none when they are not; 401 when they are bad.
pub struct MaybePrincipal(pub Option<Principal>);

impl FromRequest for MaybePrincipal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(req).await.map(MaybePrincipal) })
    }
}
