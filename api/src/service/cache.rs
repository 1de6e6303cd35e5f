//! The cache of read models under generation counters (see `rapport_persistence::cache`):
//! the generation names, cache-aside reads, and the bump the write pipeline applies after a
//! commit. A cache that fails is a warning and a database read, never an error; hits,
//! misses and errors are counted in `/metrics` (`rapport_cache_lookups_total{outcome}`).

use crate::error::ApiError;
use crate::state::AppState;

/// The generation every cached view of a workspace hangs on (a refit, new settings).
pub fn workspace_generation(workspace_id: &str) -> String {
    format!("gen:ws:{workspace_id}")
}

/// The generation every cached view of one account hangs on (its profile, its record):
/// the write pipeline bumps it.
pub fn account_generation(workspace_id: &str, account_id: &str) -> String {
    format!("gen:acct:{workspace_id}:{account_id}")
}

/// Cache-aside under generations: the bytes stored for `key` under the current
/// `generations`, or `build`'s, stored for the next reader. A cache that fails is a
/// warning and a call to `build`, never an error; outcomes are counted in `/metrics`.
pub async fn cache_aside<F, Fut>(
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

/// Forgets every view cached under the generations of these accounts (and of the whole
/// workspace when `whole_workspace`). `false` when the cache could not be reached: the
/// caller keeps the effect pending and tries again later.
pub async fn bump(
    state: &AppState,
    workspace_id: &str,
    account_ids: &[String],
    whole_workspace: bool,
) -> bool {
    let mut generations: Vec<String> = account_ids
        .iter()
        .map(|a| account_generation(workspace_id, a))
        .collect();
    if whole_workspace {
        generations.push(workspace_generation(workspace_id));
    }
    match state.cache.bump(&generations).await {
        Ok(()) => true,
        Err(err) => {
            state.metrics.cache("error");
            tracing::warn!(error = %err, accounts = account_ids.len(), whole_workspace, "could not invalidate cached views; the effect stays pending");
            false
        }
    }
}

/// Deletes every cached view of one account (its profile, record and entry, under any
/// generation), for an erasure: they hold the person's data until their TTL otherwise. A
/// cache that cannot be reached is a warning; the account's generation is bumped as well,
/// so nothing stale is served meanwhile.
pub async fn forget_account(state: &AppState, workspace_id: &str, account_id: &str) {
    let fragment = format!(":{workspace_id}:{account_id}");
    if let Err(err) = state.cache.forget_containing(&fragment).await {
        state.metrics.cache("error");
        tracing::warn!(error = %err, account = account_id, "could not delete an erased account's cached views");
    }
}
