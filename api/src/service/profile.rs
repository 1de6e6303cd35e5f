//! The 360° profile: an account, its value metrics, its loyalty balance, its open deals
//! and its last 10 interactions, in one read, cached.
//!
//! A read model only: cache-aside under generations (see `service::cache`): the profile of
//! account A in workspace W is stored under the current generations of `W` and `A`. Writes
//! never call this module: the write pipeline bumps the generations their domain events
//! touch after the commit (and its sweeper does it for a node that died first), so the next
//! read builds the profile again.
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
use crate::service::cache::{self, cache_aside};
use crate::service::deals::{open_deals_for_accounts, Deal};
use crate::service::economics::profitability::account_metrics;
use crate::service::interactions::Interaction;
use crate::service::loyalty::LoyaltyBalance;
use crate::service::value::ValueMetrics;
use crate::state::AppState;

/// Interactions shown in a profile.
pub const RECENT_INTERACTIONS: i64 = 10;
/// Bump when the profile's shape changes, so no node reads another shape's entries.
const SHAPE: &str = "v2";

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
    /// The latest NPS, CSAT and CES scores and open complaints; `null` without any.
    #[serde(default)]
    pub satisfaction: Option<crate::service::feedback::Satisfaction>,
    /// Active personal offers: open vouchers (issued or viewed, still valid, offer active),
    /// up to 20, with their offers.
    pub offers: Vec<crate::service::offers::vouchers::PersonalOffer>,
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
    let generations = [
        cache::workspace_generation(&ws),
        cache::account_generation(&ws, account_id),
    ];
    cache_aside(state, &generations, &key(&ws, account_id), || async {
        let profile = build(state, &ws, account_id).await?;
        serde_json::to_vec(&profile).map_err(ApiError::internal)
    })
    .await
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
                let satisfaction = crate::service::feedback::satisfaction_of(conn, &ws, &id)?;
                let offers = crate::service::offers::vouchers::personal_offers(
                    conn,
                    &ws,
                    &id,
                    Some(crate::service::now()),
                    None,
                    crate::service::offers::vouchers::PROFILE_OFFERS,
                )?;
                Ok(Profile {
                    account,
                    metrics,
                    loyalty,
                    open_deals,
                    recent_interactions,
                    satisfaction,
                    offers,
                })
            })
        })
        .await
}
