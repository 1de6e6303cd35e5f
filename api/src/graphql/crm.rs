//! Accounts over GraphQL: the same services, scopes and workspace filter as REST, with
//! Relay connections.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::graphql::{gql, principal, state};
use crate::service::accounts::{
    self, Account, AccountInput, AccountQuery, ConsentEvent, LifecycleChange,
};
use crate::service::idempotency::{IdempotencyRequest, Outcome};

/// Narrows an account list; every field is optional (same as the REST query parameters).
#[derive(Debug, Default, InputObject)]
pub struct AccountFilterInput {
    /// Prefix search on name words, e-mails and phone numbers.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub lifecycle_stage: Option<String>,
    pub tag: Option<String>,
    pub owner_id: Option<String>,
    pub external_id: Option<String>,
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    pub updated_after: Option<DateTime<Utc>>,
    pub updated_before: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct CrmQuery;

#[Object]
impl CrmQuery {
    /// One account, or null when there is none with this id in the workspace.
    async fn account(&self, ctx: &Context<'_>, id: String) -> Result<Option<Account>> {
        match accounts::get(state(ctx)?, principal(ctx)?, &id).await {
            Ok(account) => Ok(Some(account)),
            Err(e) if e.code == "not_found" => Ok(None),
            Err(e) => Err(gql(e)),
        }
    }

    /// Accounts, filtered and sorted (`id`, `name`, `created_at`, `updated_at`, `-` for
    /// descending), in pages.
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<AccountFilterInput>,
        sort: Option<String>,
    ) -> Result<Connection<String, Account>> {
        let f = filter.unwrap_or_default();
        let query = AccountQuery {
            limit: first.map(i64::from),
            after,
            sort: sort.clone(),
            q: f.q,
            kind: f.kind,
            lifecycle_stage: f.lifecycle_stage,
            tag: f.tag,
            owner_id: f.owner_id,
            external_id: f.external_id,
            created_after: f.created_after,
            created_before: f.created_before,
            updated_after: f.updated_after,
            updated_before: f.updated_before,
        };
        let page = accounts::list(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)?;
        let mut conn = Connection::new(false, page.next_cursor.is_some());
        for account in page.data {
            let cursor = accounts::edge_cursor(sort.as_deref(), &account).map_err(gql)?;
            conn.edges.push(Edge::new(cursor, account));
        }
        Ok(conn)
    }
}

#[derive(Default)]
pub struct CrmMutation;

/// A GraphQL mutation's idempotency key, fingerprinted by the operation and its input.
fn idempotency(
    key: Option<String>,
    operation: &str,
    input: &impl serde::Serialize,
) -> Result<Option<IdempotencyRequest>> {
    let Some(key) = key else { return Ok(None) };
    if key.trim().is_empty() || key.len() > 255 {
        return Err(gql(ApiError::bad_request(
            "invalid_idempotency_key",
            "idempotencyKey must be 1 to 255 characters",
        )));
    }
    let mut hash = Sha256::new();
    hash.update(operation);
    hash.update(serde_json::to_vec(input).unwrap_or_default());
    Ok(Some(IdempotencyRequest {
        key,
        fingerprint: hex::encode(hash.finalize()),
    }))
}

fn fresh_or_replayed<T: serde::de::DeserializeOwned>(outcome: Outcome<T>) -> Result<T> {
    match outcome {
        Outcome::Fresh(value) => Ok(value),
        Outcome::Replay { body, .. } => {
            serde_json::from_str(&body).map_err(|e| gql(ApiError::internal(e)))
        }
    }
}

#[Object]
impl CrmMutation {
    /// Create an account. With `idempotencyKey`, a retry returns the same account.
    async fn create_account(
        &self,
        ctx: &Context<'_>,
        input: AccountInput,
        idempotency_key: Option<String>,
    ) -> Result<Account> {
        let idem = idempotency(idempotency_key, "createAccount", &input)?;
        let outcome = accounts::create(state(ctx)?, principal(ctx)?, input, idem)
            .await
            .map_err(gql)?;
        fresh_or_replayed(outcome)
    }

    /// Change an account with a JSON merge patch (`null` clears a field). With `ifVersion`,
    /// only if the account is still at that version.
    async fn update_account(
        &self,
        ctx: &Context<'_>,
        id: String,
        patch: Value,
        if_version: Option<i64>,
    ) -> Result<Account> {
        accounts::update(state(ctx)?, principal(ctx)?, &id, patch, if_version)
            .await
            .map_err(gql)
    }

    /// Delete an account (soft). Returns true.
    async fn delete_account(
        &self,
        ctx: &Context<'_>,
        id: String,
        if_version: Option<i64>,
    ) -> Result<bool> {
        accounts::delete(state(ctx)?, principal(ctx)?, &id, if_version)
            .await
            .map_err(gql)?;
        Ok(true)
    }
}

#[async_graphql::ComplexObject]
impl Account {
    /// Every change of lifecycle stage, oldest first.
    async fn lifecycle_history(&self, ctx: &Context<'_>) -> Result<Vec<LifecycleChange>> {
        accounts::lifecycle_history(state(ctx)?, principal(ctx)?, &self.id)
            .await
            .map_err(gql)
    }

    /// Every consent given or withdrawn, oldest first.
    async fn consent_history(&self, ctx: &Context<'_>) -> Result<Vec<ConsentEvent>> {
        accounts::consent_history(state(ctx)?, principal(ctx)?, &self.id)
            .await
            .map_err(gql)
    }
}
