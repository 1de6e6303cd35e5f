//! One account with its value metrics and its contacts, read as one cached entry: what the
//! GraphQL single-account query (`account(id) { … metrics { … } contacts { … } }`) shows,
//! in one cache read instead of three (and one database read on a miss).
//!
//! Cached under the same generations as the profile (the workspace's and the account's):
//! account writes, contact writes, orders and refunds bump the account's; a refit and new
//! value settings bump the workspace's, so the next read builds the entry again. Like the
//! profile, predictions in the metrics are at most the cache TTL old.

use rapport_domain::access::Scope;
use serde::{Deserialize, Serialize};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::accounts::Account;
use crate::service::cache::{account_generation, cache_aside, workspace_generation};
use crate::service::contacts::{self, Contact};
use crate::service::economics::profitability::account_metrics;
use crate::service::value::ValueMetrics;
use crate::state::AppState;

/// Bump when the entry's shape changes, so no node reads another shape's entries.
const SHAPE: &str = "v1";

/// An account, its metrics and its live contacts (creation order).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountView {
    pub account: Account,
    pub metrics: ValueMetrics,
    pub contacts: Vec<Contact>,
}

/// The account with its metrics and contacts, from the cache when it holds the current
/// entry; `not_found` for an account that is not in the caller's workspace (or deleted).
pub async fn get(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
) -> Result<AccountView, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let ws = principal.workspace_id.clone();
    let generations = [
        workspace_generation(&ws),
        account_generation(&ws, account_id),
    ];
    let key = format!("account-view:{SHAPE}:{ws}:{account_id}");
    let bytes = cache_aside(state, &generations, &key, || async {
        let view = build(state, &ws, account_id).await?;
        serde_json::to_vec(&view).map_err(ApiError::internal)
    })
    .await?;
    serde_json::from_slice(&bytes).map_err(ApiError::internal)
}

/// Reads the entry from the database, in one snapshot.
async fn build(
    state: &AppState,
    workspace_id: &str,
    account_id: &str,
) -> Result<AccountView, ApiError> {
    let (ws, id) = (workspace_id.to_owned(), account_id.to_owned());
    state
        .db
        .run(move |conn| {
            rapport_persistence::read_transaction(conn, |conn| {
                let row = rapport_persistence::accounts::find(conn, &ws, &id)?
                    .ok_or_else(|| ApiError::not_found("no account with that id"))?;
                let account = Account::try_from(row)?;
                let metrics = account_metrics(conn, &ws, &id)?;
                let contacts = contacts::for_accounts(conn, &ws, std::slice::from_ref(&id))?;
                Ok(AccountView {
                    account,
                    metrics,
                    contacts,
                })
            })
        })
        .await
}
