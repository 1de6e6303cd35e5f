//! Who is calling: the principal (a user through a JWT, or a partner through an API key),
//! its workspace and scopes, extracted once per request and shared by REST and GraphQL.

pub mod cache;
pub mod jwt;
pub mod password;
pub mod secrets;

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use rapport_domain::access::{Role, Scope, ScopeSet};

use crate::error::ApiError;
use crate::middleware::RequestId;
use crate::service;
use crate::state::AppState;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User {
        id: String,
        role: Role,
    },
    ApiKey {
        id: String,
    },
    /// The operator's CLI (`rapport bootstrap`, jobs).
    System,
}

#[derive(Debug, Clone)]
pub struct Principal {
    pub workspace_id: String,
    pub actor: Actor,
    pub scopes: ScopeSet,
    pub request_id: Option<String>,
    pub rate_limit_per_minute: u32,
}

impl Principal {
    /// 403 unless the principal holds `scope` (or `admin`).
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if self.scopes.allows(scope) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "insufficient_scope",
                format!("this operation needs the `{scope}` scope"),
            ))
        }
    }

    pub fn actor_type(&self) -> &'static str {
        match self.actor {
            Actor::User { .. } => "user",
            Actor::ApiKey { .. } => "api_key",
            Actor::System => "system",
        }
    }

    pub fn actor_id(&self) -> Option<&str> {
        match &self.actor {
            Actor::User { id, .. } | Actor::ApiKey { id } => Some(id),
            Actor::System => None,
        }
    }

    pub fn user_id(&self) -> Option<&str> {
        match &self.actor {
            Actor::User { id, .. } => Some(id),
            _ => None,
        }
    }

    pub fn role(&self) -> Option<Role> {
        match &self.actor {
            Actor::User { role, .. } => Some(*role),
            _ => None,
        }
    }

    /// The CLI acting inside a workspace with every permission.
    pub fn system(workspace_id: &str) -> Self {
        Self {
            workspace_id: workspace_id.to_owned(),
            actor: Actor::System,
            scopes: ScopeSet::of(&[Scope::Admin]),
            request_id: None,
            rate_limit_per_minute: u32::MAX,
        }
    }
}

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

/// The client's address as the socket saw it (proxies are not trusted for this).
pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string())
}
