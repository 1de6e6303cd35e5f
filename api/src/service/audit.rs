//! The audit log: the entries the write pipeline records for every write, and reading them
//! back (admins only).

use rapport_domain::access::Scope;
use rapport_persistence::audit::{self as store, AuditFilter, AuditRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::{new_id, now, page_request, utc, Page};
use crate::state::AppState;

/// One recorded change.
#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct AuditEntry {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    /// `user`, `api_key` or `system`.
    pub actor_type: String,
    #[graphql(
        skip,
        derived(
            name = "actor_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub actor_id: Option<String>,
    /// `resource.verb`, e.g. `api_key.create`.
    pub action: String,
    pub resource_type: String,
    #[graphql(
        skip,
        derived(
            name = "resource_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub resource_id: Option<String>,
    /// The resource before the change (secrets never appear): always an object.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The resource after the change: always an object.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page (entries come newest first).
    pub after: Option<String>,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub actor_id: Option<String>,
}

/// One entry as stored (the write pipeline stores a write's entries in its transaction).
pub fn entry_row<B: Serialize, A: Serialize>(
    principal: &Principal,
    action: &str,
    resource_type: &str,
    resource_id: Option<&str>,
    before: Option<&B>,
    after: Option<&A>,
) -> AuditRow {
    AuditRow {
        id: new_id(),
        workspace_id: principal.workspace_id.clone(),
        actor_type: principal.actor_type().to_owned(),
        actor_id: principal.actor_id().map(str::to_owned),
        action: action.to_owned(),
        resource_type: resource_type.to_owned(),
        resource_id: resource_id.map(str::to_owned),
        before_state: before.and_then(state).map(|s| s.to_string()),
        after_state: after.and_then(state).map(|s| s.to_string()),
        request_id: principal.request_id.clone(),
        created_at: now(),
    }
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: AuditQuery,
) -> Result<Page<AuditEntry>, ApiError> {
    principal.require(Scope::Admin)?;
    let page = page_request(query.limit, query.after)?;
    let workspace = principal.workspace_id.clone();
    let filter = AuditFilter {
        resource_type: query.resource_type,
        resource_id: query.resource_id,
        actor_id: query.actor_id,
    };
    let request = page.clone();
    let rows = state
        .db
        .run(move |conn| {
            Ok(store::list(
                conn,
                &workspace,
                &filter,
                request.after.as_deref(),
                request.limit + 1,
            )?)
        })
        .await?;
    Ok(Page::from_rows(rows, &page, |r| r.id.clone(), entry))
}

/// A recorded state is a JSON object (what the API showed of the resource); anything else a
/// caller passes is kept under `value`, so readers always get an object or `null`.
fn state<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    match serde_json::to_value(value).ok()? {
        serde_json::Value::Null => None,
        object @ serde_json::Value::Object(_) => Some(object),
        other => Some(serde_json::json!({ "value": other })),
    }
}

fn entry(row: AuditRow) -> AuditEntry {
    let parse = |t: Option<String>| {
        t.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .as_ref()
            .and_then(state)
    };
    AuditEntry {
        id: row.id,
        actor_type: row.actor_type,
        actor_id: row.actor_id,
        action: row.action,
        resource_type: row.resource_type,
        resource_id: row.resource_id,
        before: parse(row.before_state),
        after: parse(row.after_state),
        request_id: row.request_id,
        created_at: utc(row.created_at),
    }
}
