//! API keys for partners: created by admins with scopes no wider than their own, the secret
//! shown once, revocable.

use chrono::{DateTime, Utc};
use rapport_domain::access::{Scope, ScopeSet};
use rapport_persistence::api_keys::{self as store, ApiKeyRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{secrets, Principal};
use crate::error::{ApiError, FieldError};
use crate::service::events::domain::{data, Change, DomainEvent};
use crate::service::{new_id, now, pipeline, utc, Page, PageRequest};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct ApiKey {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    pub name: String,
    /// The public part of the secret (`rk_<prefix>_…`), to recognise a key in logs.
    pub prefix: String,
    pub scopes: Vec<String>,
    /// Requests a minute this key may make; `null` = the server default.
    pub rate_limit_per_minute: Option<i32>,
    pub created_by: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A key just created: the only time its secret is shown.
#[derive(Debug, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    #[graphql(flatten)]
    pub key: ApiKey,
    /// Send as `Authorization: Bearer <secret>`. Stored only as a hash: keep it now.
    pub secret: String,
}

#[derive(Debug, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
pub struct NewApiKey {
    #[schema(example = "Shop integration")]
    pub name: String,
    /// e.g. `["accounts:read", "orders:write"]`; `admin` for everything.
    #[schema(schema_with = crate::openapi::names::scopes)]
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// 1 to 100000; omit for the server default.
    #[schema(minimum = 1, maximum = 100_000)]
    pub rate_limit_per_minute: Option<i32>,
}

impl TryFrom<ApiKeyRow> for ApiKey {
    type Error = ApiError;
    fn try_from(row: ApiKeyRow) -> Result<Self, ApiError> {
        let scopes = ScopeSet::parse_stored(&row.scopes).map_err(ApiError::internal)?;
        Ok(Self {
            id: row.id,
            name: row.name,
            prefix: row.prefix,
            scopes: scopes.to_names().into_iter().map(str::to_owned).collect(),
            rate_limit_per_minute: row.rate_limit_per_minute,
            created_by: row.created_by,
            expires_at: row.expires_at.map(utc),
            last_used_at: row.last_used_at.map(utc),
            revoked_at: row.revoked_at.map(utc),
            created_at: utc(row.created_at),
        })
    }
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: NewApiKey,
) -> Result<CreatedApiKey, ApiError> {
    principal.require(Scope::Admin)?;
    let mut errors = Vec::new();
    if input.name.trim().is_empty() || input.name.chars().count() > 200 {
        errors.push(FieldError {
            field: "name".into(),
            message: "must be 1 to 200 characters".into(),
        });
    }
    let mut scopes = Vec::new();
    for (i, name) in input.scopes.iter().enumerate() {
        match name.parse::<Scope>() {
            Ok(scope) => scopes.push(scope),
            Err(_) => errors.push(FieldError {
                field: format!("scopes[{i}]"),
                message: format!("unknown scope {name:?}"),
            }),
        }
    }
    if input.scopes.is_empty() {
        errors.push(FieldError {
            field: "scopes".into(),
            message: "name at least one scope".into(),
        });
    }
    if input.expires_at.is_some_and(|at| at <= Utc::now()) {
        errors.push(FieldError {
            field: "expires_at".into(),
            message: "must be in the future".into(),
        });
    }
    if input
        .rate_limit_per_minute
        .is_some_and(|n| !(1..=100_000).contains(&n))
    {
        errors.push(FieldError {
            field: "rate_limit_per_minute".into(),
            message: "must be between 1 and 100000".into(),
        });
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let scopes = ScopeSet::of(&scopes);
    if !principal.scopes.covers(scopes) {
        return Err(ApiError::forbidden(
            "insufficient_scope",
            "a key cannot carry scopes its creator does not hold",
        ));
    }
    let (secret, prefix) = secrets::new_api_key();
    let row = ApiKeyRow {
        id: new_id(),
        workspace_id: principal.workspace_id.clone(),
        name: input.name.trim().to_owned(),
        prefix,
        secret_hash: secrets::hash(&secret),
        scopes: scopes.to_stored(),
        rate_limit_per_minute: input.rate_limit_per_minute,
        created_by: principal.actor_id().map(str::to_owned),
        expires_at: input.expires_at.map(crate::service::stored),
        last_used_at: None,
        revoked_at: None,
        created_at: now(),
    };
    let principal = principal.clone();
    let key = pipeline::run(state, &principal.clone(), move |conn, cx| {
        store::insert(conn, &row)?;
        let key = ApiKey::try_from(row.clone())?;
        cx.audit::<(), _>("api_key.create", "api_key", Some(&key.id), None, Some(&key))?;
        cx.emit(DomainEvent::ApiKeyChanged {
            change: Change::Created,
            api_key: data(&key)?,
        })?;
        Ok(key)
    })
    .await?;
    Ok(CreatedApiKey { key, secret })
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    page: PageRequest,
) -> Result<Page<ApiKey>, ApiError> {
    principal.require(Scope::Admin)?;
    let workspace = principal.workspace_id.clone();
    let request = page.clone();
    let rows = state
        .db
        .run(move |conn| {
            Ok(store::list(
                conn,
                &workspace,
                request.after.as_deref(),
                request.limit + 1,
            )?)
        })
        .await?;
    let mut keys = Page::from_rows(rows, &page, |r| r.id.clone(), ApiKey::try_from);
    let data = keys.data.drain(..).collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        data,
        next_cursor: keys.next_cursor,
    })
}

pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<ApiKey, ApiError> {
    principal.require(Scope::Admin)?;
    let (workspace, id) = (principal.workspace_id.clone(), id.to_owned());
    state
        .db
        .run(move |conn| {
            store::find(conn, &workspace, &id)?
                .ok_or_else(|| ApiError::not_found("no API key with that id"))?
                .try_into()
        })
        .await
}

/// Revokes the key at once; revoking twice returns the key as it is.
pub async fn revoke(state: &AppState, principal: &Principal, id: &str) -> Result<ApiKey, ApiError> {
    principal.require(Scope::Admin)?;
    let principal = principal.clone();
    let id = id.to_owned();
    let revoked = pipeline::run(state, &principal.clone(), move |conn, cx| {
        let workspace = principal.workspace_id.clone();
        let before: ApiKey = store::find(conn, &workspace, &id)?
            .ok_or_else(|| ApiError::not_found("no API key with that id"))?
            .try_into()?;
        if store::revoke(conn, &workspace, &id, now())? == 0 {
            return Ok(before);
        }
        let after: ApiKey = store::find(conn, &workspace, &id)?
            .ok_or_else(|| ApiError::not_found("no API key with that id"))?
            .try_into()?;
        cx.audit(
            "api_key.revoke",
            "api_key",
            Some(&id),
            Some(&before),
            Some(&after),
        )?;
        cx.emit(DomainEvent::ApiKeyChanged {
            change: Change::Deleted,
            api_key: data(&after)?,
        })?;
        Ok(after)
    })
    .await?;
    state.auth_cache.clear();
    Ok(revoked)
}
