//! Who is calling: the principal (a user through a JWT, or a partner through an API key),
//! its workspace and scopes. The HTTP door extracts it once per request
//! (`rest::credentials`) and REST and GraphQL share it.

pub mod cache;
pub mod jwt;
pub mod password;
pub mod secrets;

use actix_web::HttpRequest;
use rapport_domain::access::{Role, Scope, ScopeSet};

use crate::error::ApiError;

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

/// The client's address as the socket saw it (proxies are not trusted for this).
pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string())
}
