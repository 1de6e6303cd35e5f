//! The 360° profile: an account, its value metrics, its loyalty balance, its open deals
//! and its last 10 interactions, in one read, cached.
//!
//! Cache-aside under generations (see `rapport_persistence::cache`): the profile of account
//! A in workspace W is stored under the current generations of `W` and `A`. Every write that
//! changes what a profile shows calls [`invalidate_accounts`] (orders, refunds, account
//! edits and deletes, interactions) or [`invalidate_workspace`] (a model refit, new value
//! settings) after its transaction commits and before it answers, so the next read builds
//! the profile again. A cache that fails is a warning and a database read, never an error.
//! Hits, misses and errors are counted in `/metrics` (`rapport_cache_lookups_total{outcome}`).
//!
//! Predictions depend on time (a customer's age grows every day); a cached profile keeps
//! them for at most the cache TTL (`RAPPORT_CACHE_TTL_SECS`).

use rapport_domain::access::Scope;
use rapport_persistence::interactions::{self as interaction_store, InteractionFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::accounts::Account;
use crate::service::deals::{open_deals_for_accounts, Deal};
use crate::service::interactions::Interaction;
use crate::service::loyalty::LoyaltyBalance;
use crate::service::value::{account_metrics, ValueMetrics};
use crate::state::AppState;

/// Interactions shown in a profile.
pub const RECENT_INTERACTIONS: i64 = 10;
/// Bump when the profile's shape changes, so no node reads another shape's entries.
const SHAPE: &str = "v1";

/// Everything about one customer, in one read.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Profile {
    pub account: Account,
    pub metrics: ValueMetrics,
    /// Loyalty balance, tier and points expiring soon; `null` without a programme.
    pub loyalty: Option<LoyaltyBalance>,
    /// Deals still open on the account.
    pub open_deals: Vec<Deal>,
    /// The 10 newest interactions, newest first.
    pub recent_interactions: Vec<Interaction>,
}

fn workspace_generation(workspace_id: &str) -> String {
    format!("gen:ws:{workspace_id}")
}

/// The generation every cached view of one account hangs on (its profile, its record):
/// [`invalidate_accounts`] bumps it.
pub(crate) fn account_generation(workspace_id: &str, account_id: &str) -> String {
    format!("gen:acct:{workspace_id}:{account_id}")
}

/// The generations a cached view of an account that also depends on the workspace's model
/// and settings hangs on (the profile, the account's metrics).
pub(crate) fn generations(workspace_id: &str, account_id: &str) -> [String; 2] {
    [
        workspace_generation(workspace_id),
        account_generation(workspace_id, account_id),
    ]
}

fn key(workspace_id: &str, account_id: &str) -> String {
    format!("profile:{SHAPE}:{workspace_id}:{account_id}")
}

/// The profile as JSON bytes (what REST sends as is) — from the cache when it holds the
/// current one.
pub async fn get_json(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
) -> Result<Vec<u8>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let ws = principal.workspace_id.clone();
    let generations = generations(&ws, account_id);
    cache_aside(state, &generations, &key(&ws, account_id), || async {
        let profile = build(state, &ws, account_id).await?;
        serde_json::to_vec(&profile).map_err(ApiError::internal)
    })
    .await
}

/// Cache-aside under generations: the bytes stored for `key` under the current
/// `generations`, or `build`'s, stored for the next reader. A cache that fails is a
/// warning and a call to `build`, never an error; outcomes are counted in `/metrics`.
pub(crate) async fn cache_aside<F, Fut>(
    state: &AppState,
    generations: &[String],
    key: &str,
    build: F,
) -> Result<Vec<u8>, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Vec<u8>, ApiError>>,
{
    let tag = match state.cache.get_versioned(generations, key).await {
        Ok(found) => match found.value {
            Some(bytes) => {
                state.metrics.cache("hit");
                return Ok(bytes);
            }
            None => {
                state.metrics.cache("miss");
                Some(found.tag)
            }
        },
        Err(err) => {
            state.metrics.cache("error");
            // The outage itself is logged once by the cache; this is every request in it.
            tracing::debug!(error = %err, key, "cache unavailable; reading the database");
            None
        }
    };
    let bytes = build().await?;
    if let Some(tag) = tag {
        if let Err(err) = state.cache.set_versioned(&tag, key, &bytes).await {
            state.metrics.cache("error");
            tracing::debug!(error = %err, key, "could not store a value in the cache");
        }
    }
    Ok(bytes)
}

pub async fn get(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
) -> Result<Profile, ApiError> {
    let bytes = get_json(state, principal, account_id).await?;
    serde_json::from_slice(&bytes).map_err(ApiError::internal)
}

/// Reads the profile from the database.
async fn build(
    state: &AppState,
    workspace_id: &str,
    account_id: &str,
) -> Result<Profile, ApiError> {
    let ws = workspace_id.to_owned();
    let id = account_id.to_owned();
    state
        .db
        // One snapshot: the loyalty balance compares statements a redemption could commit
        // between.
        .run(move |conn| {
            rapport_persistence::read_transaction(conn, |conn| {
                let row = rapport_persistence::accounts::find(conn, &ws, &id)?
                    .ok_or_else(|| ApiError::not_found("no account with that id"))?;
                let account = Account::try_from(row)?;
                let metrics = account_metrics(conn, &ws, &id)?;
                let open_deals = open_deals_for_accounts(conn, &ws, std::slice::from_ref(&id))?;
                let loyalty =
                    crate::service::loyalty::balance(conn, &ws, &id, crate::service::now())?;
                let recent_interactions = interaction_store::list(
                    conn,
                    &ws,
                    &id,
                    &InteractionFilter::default(),
                    None,
                    RECENT_INTERACTIONS,
                )?
                .into_iter()
                .map(Interaction::from)
                .collect();
                Ok(Profile {
                    account,
                    metrics,
                    loyalty,
                    open_deals,
                    recent_interactions,
                })
            })
        })
        .await
}

/// Forgets the cached profiles of these accounts (after a committed write).
pub async fn invalidate_accounts(state: &AppState, workspace_id: &str, account_ids: &[String]) {
    let generations: Vec<String> = account_ids
        .iter()
        .map(|a| account_generation(workspace_id, a))
        .collect();
    if let Err(err) = state.cache.bump(&generations).await {
        state.metrics.cache("error");
        tracing::warn!(error = %err, accounts = account_ids.len(), "could not invalidate cached profiles");
    }
}

/// Forgets every cached profile of the workspace (a refit, new settings).
pub async fn invalidate_workspace(state: &AppState, workspace_id: &str) {
    if let Err(err) = state
        .cache
        .bump(&[workspace_generation(workspace_id)])
        .await
    {
        state.metrics.cache("error");
        tracing::warn!(error = %err, "could not invalidate the workspace's cached profiles");
    }
}
