//! Duplicate customers and merging them: candidate pairs by shared keys (see
//! `rapport_domain::duplicates`), and the merge that moves everything the merged accounts own
//! to the survivor in one write, leaving each merged account as a redirect.
//!
//! How fields combine (the survivor is the account in the path; merged accounts are taken in
//! the order of `from`):
//! - `kind`, `name`, `lifecycle_stage`, `created_at`: the survivor's.
//! - `address`, `owner_id`, `acquisition_channel`, `acquisition_cost`, `external_id`: the
//!   survivor's when set, otherwise the first merged account's that is set (an external id
//!   taken over is cleared on the merged account, which keeps no other).
//! - `emails`, `phones`, `tags`: union, the survivor's first (capped at 20, 20 and 50).
//! - `attributes`: the survivor's keys win; the merged accounts' other keys are added while
//!   the object stays within its 16 KiB.
//! - `marketing_consent`: per channel, the most recent decision of any of them; the consent
//!   history of every account moves to the survivor.
//!
//! What happens to each table that names an account is [`ACCOUNT_TABLES`]; a test compares
//! it with the schema, so a new table is a decision, not an omission.

use std::collections::{BTreeMap, BTreeSet};

use rapport_domain::access::Scope;
use rapport_domain::crm;
use rapport_domain::duplicates::{self, Candidate};
use rapport_persistence::accounts::{self as account_store, AccountRow};
use rapport_persistence::feedback as feedback_store;
use rapport_persistence::loyalty as loyalty_store;
use rapport_persistence::merge as store;
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::accounts::{self, Account, ConsentState, MarketingConsent};
use crate::service::cursor::Cursor;
use crate::service::events::domain::{data, DomainEvent};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::pipeline::{self, WriteContext};
use crate::service::{now, page_limit, versioning, Page};
use crate::state::AppState;

/// Every table with an `account_id` column and what a merge does with its rows.
pub const ACCOUNT_TABLES: &[(&str, &str)] = &[
    (
        "account_tags",
        "rebuilt: the survivor's from the union of tags; the merged account's removed",
    ),
    (
        "account_search_terms",
        "rebuilt: the survivor's from the combined fields; the merged account's removed",
    ),
    (
        "account_lifecycle_changes",
        "kept: the merged account's own stage history stays with it",
    ),
    (
        "consent_events",
        "moved: the consent history is the survivor's",
    ),
    (
        "contacts",
        "moved (a moved primary contact stops being primary when the survivor has one)",
    ),
    ("interactions", "moved"),
    ("deals", "moved"),
    ("orders", "moved"),
    (
        "account_purchase_days",
        "recomputed: the survivor's days from all the orders; the merged account's removed",
    ),
    (
        "account_metrics",
        "recomputed for the survivor from its purchase days; the merged account's removed",
    ),
    (
        "account_predictions",
        "recomputed for the survivor with its metrics; the merged account's removed",
    ),
    (
        "loyalty_members",
        "folded: ledger sums add up, the higher tier stays until the tier job next looks",
    ),
    (
        "loyalty_lots",
        "moved (balances and expiry follow their lots)",
    ),
    ("loyalty_entries", "moved"),
    ("loyalty_redemptions", "moved"),
    (
        "segment_memberships",
        "re-evaluated by the write pipeline: the merged account leaves, the survivor is evaluated",
    ),
    (
        "campaign_members",
        "moved, unless the survivor is already a member of that campaign (its arm wins); the survivor's attributed sums recomputed from its orders",
    ),
    (
        "campaign_exposures",
        "moved, unless the survivor already has that exposure",
    ),
    ("feedback_responses", "moved"),
    (
        "feedback_account_months",
        "rebuilt from the moved responses: the survivor's from all of them; the merged account's removed; the responses' 90-day outcomes recomputed from the moved orders",
    ),
    (
        "account_satisfaction",
        "folded: the latest score per measure, responses added up",
    ),
    ("complaints", "moved"),
    ("vouchers", "moved"),
];

/// At most this many accounts merge into one at a time.
pub const MAX_FROM: usize = 50;

// ---------------------------------------------------------------------------------------
// Shapes

/// Why two accounts look like one customer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject)]
pub struct DuplicateReason {
    /// `email`, `phone`, `external_id` or `name`.
    pub kind: String,
    /// The shared normalised value; for `name`, both names and their Jaro-Winkler similarity.
    pub value: String,
}

/// Two live accounts that may be one customer. `account_id` was created first: the
/// suggested survivor.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject)]
pub struct DuplicatePair {
    #[graphql(skip, derived(name = "account_id", into = "async_graphql::ID", owned))]
    pub account_id: String,
    pub account_name: String,
    #[graphql(
        skip,
        derived(name = "duplicate_id", into = "async_graphql::ID", owned)
    )]
    pub duplicate_id: String,
    pub duplicate_name: String,
    /// In [0, 1]: how sure the match is (one minus the product of each reason's doubt).
    pub score: f64,
    pub reasons: Vec<DuplicateReason>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DuplicateQuery {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page (opaque).
    pub after: Option<String>,
    /// Only pairs scoring at least this (0 to 1, default 0).
    pub min_score: Option<f64>,
}

/// The accounts to merge into the one in the path.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MergeInput)]
pub struct MergeInput {
    /// 1 to 50 account ids of the workspace, other than the survivor.
    #[schema(min_items = 1, max_items = 50)]
    pub from: Vec<String>,
}

/// The survivor after the merge and the accounts now redirecting to it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject)]
#[schema(as = MergeResult)]
pub struct MergeResult {
    pub account: Account,
    #[graphql(
        skip,
        derived(
            name = "merged_ids",
            into = "Vec<async_graphql::ID>",
            owned,
            with = "ids"
        )
    )]
    pub merged_ids: Vec<String>,
}

fn ids(v: Vec<String>) -> Vec<async_graphql::ID> {
    v.into_iter().map(async_graphql::ID).collect()
}

// ---------------------------------------------------------------------------------------
// Duplicates

const CURSOR_KEY: &str = "score";

/// Candidate pairs among the workspace's live accounts, best first.
pub async fn duplicates(
    state: &AppState,
    principal: &Principal,
    query: DuplicateQuery,
) -> Result<Page<DuplicatePair>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let limit = usize::try_from(page_limit(query.limit)?).unwrap_or(usize::MAX);
    let min_score = query.min_score.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&min_score) {
        return Err(ApiError::field("min_score", "must be between 0 and 1"));
    }
    let after = query
        .after
        .as_deref()
        .map(|text| {
            let c = Cursor::decode(text, CURSOR_KEY)?;
            let score: f64 = c
                .value
                .parse()
                .map_err(|_| ApiError::field("after", "not a cursor this API returned"))?;
            let (first, second) =
                c.id.split_once(' ')
                    .ok_or_else(|| ApiError::field("after", "not a cursor this API returned"))?;
            Ok::<_, ApiError>((score, first.to_owned(), second.to_owned()))
        })
        .transpose()?;
    let ws = principal.workspace_id.clone();
    let (accounts, contacts) = state
        .db
        .run(move |conn| {
            Ok((
                store::live_account_keys(conn, &ws)?,
                store::live_contact_keys(conn, &ws)?,
            ))
        })
        .await?;
    // Comparing names is CPU work that grows with the workspace: off the request threads,
    // where it would hold up every other request of the worker.
    let mut rows = crate::service::cpu_bound(move || {
        Ok(ranked_pairs(accounts, contacts, min_score, after, limit))
    })
    .await?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if more {
        rows.last().map(pair_cursor)
    } else {
        None
    };
    Ok(Page {
        data: rows,
        next_cursor,
    })
}

/// The pairs above `min_score` after the cursor, best first: at most `limit + 1` (one more
/// says there is a next page).
fn ranked_pairs(
    accounts: Vec<store::AccountKeys>,
    contacts: Vec<store::ContactKeys>,
    min_score: f64,
    after: Option<(f64, String, String)>,
    limit: usize,
) -> Vec<DuplicatePair> {
    let mut candidates: Vec<Candidate> = Vec::with_capacity(accounts.len());
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (id, name, emails, phones, external_id) in accounts {
        index.insert(id.clone(), candidates.len());
        candidates.push(Candidate {
            id,
            name,
            emails: serde_json::from_str(&emails).unwrap_or_default(),
            phones: serde_json::from_str(&phones).unwrap_or_default(),
            external_id,
        });
    }
    for (account, email, phone) in contacts {
        if let Some(&i) = index.get(&account) {
            candidates[i].emails.extend(email);
            candidates[i].phones.extend(phone);
        }
    }
    let names: BTreeMap<&str, &str> = candidates
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let pairs = duplicates::find_pairs(&candidates);
    pairs
        .into_iter()
        .filter(|p| p.score >= min_score)
        .filter(|p| match &after {
            // Pairs sort by score descending, then ids: keep those after the cursor.
            Some((score, first, second)) => {
                p.score < *score || (p.score == *score && (&p.first, &p.second) > (first, second))
            }
            None => true,
        })
        .take(limit + 1)
        .map(|p| DuplicatePair {
            account_name: names
                .get(p.first.as_str())
                .copied()
                .unwrap_or("")
                .to_owned(),
            duplicate_name: names
                .get(p.second.as_str())
                .copied()
                .unwrap_or("")
                .to_owned(),
            account_id: p.first,
            duplicate_id: p.second,
            score: p.score,
            reasons: p
                .reasons
                .into_iter()
                .map(|r| DuplicateReason {
                    kind: r.kind.to_owned(),
                    value: r.value,
                })
                .collect(),
        })
        .collect()
}

/// The cursor after `pair` in the duplicates list.
pub fn pair_cursor(pair: &DuplicatePair) -> String {
    Cursor::new(
        CURSOR_KEY,
        pair.score.to_string(),
        &format!("{} {}", pair.account_id, pair.duplicate_id),
    )
    .encode()
}

// ---------------------------------------------------------------------------------------
// Merge

/// Checks `from` without the database: 1 to 50 distinct ids, none the survivor.
fn validate(survivor: &str, input: &MergeInput) -> Result<Vec<String>, ApiError> {
    if input.from.is_empty() {
        return Err(ApiError::field(
            "from",
            "name at least one account to merge",
        ));
    }
    if input.from.len() > MAX_FROM {
        return Err(ApiError::field(
            "from",
            format!("at most {MAX_FROM} accounts"),
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, id) in input.from.iter().enumerate() {
        let field = format!("from[{i}]");
        if id == survivor {
            return Err(
                ApiError::field(&field, "an account cannot be merged into itself")
                    .with_code("merge_into_itself"),
            );
        }
        if id.is_empty() || id.len() > 64 || id.contains(char::is_control) {
            return Err(ApiError::field(&field, "not an account id").with_code("unknown_account"));
        }
        if !seen.insert(id.as_str()) {
            return Err(ApiError::field(&field, "named twice"));
        }
    }
    Ok(input.from.clone())
}

/// Merges the accounts of `from` into `survivor_id`. Repeating a merge that succeeded
/// answers the same result and changes nothing.
pub async fn merge(
    state: &AppState,
    principal: &Principal,
    survivor_id: &str,
    input: MergeInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<MergeResult>, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let from = validate(survivor_id, &input)?;
    let (principal, survivor_id) = (principal.clone(), survivor_id.to_owned());
    pipeline::write(
        state,
        &principal.clone(),
        idempotency,
        200,
        move |conn, cx| merge_in(conn, cx, &principal, &survivor_id, &from),
    )
    .await
}

fn merge_in(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    principal: &Principal,
    survivor_id: &str,
    from: &[String],
) -> Result<MergeResult, ApiError> {
    let ws = principal.workspace_id.clone();
    let survivor = account_store::find(conn, &ws, survivor_id)?
        .ok_or_else(|| ApiError::not_found("no account with that id"))?;
    accounts::may_edit(principal, &survivor)?;
    // Which of `from` still need merging; those already merged into this survivor make the
    // request a repeat.
    let mut to_merge: Vec<AccountRow> = Vec::new();
    for (i, id) in from.iter().enumerate() {
        let field = format!("from[{i}]");
        match store::merged_into(conn, &ws, id)? {
            Some(Some(s)) if s == survivor_id => continue,
            Some(Some(_)) => {
                return Err(
                    ApiError::field(&field, "already merged into another account")
                        .with_code("already_merged"),
                )
            }
            _ => {}
        }
        let row = account_store::find(conn, &ws, id)?.ok_or_else(|| {
            ApiError::field(&field, "no live account with this id in the workspace")
                .with_code("unknown_account")
        })?;
        accounts::may_edit(principal, &row)
            .map_err(|_| ApiError::field(&field, "you may not change this account"))?;
        to_merge.push(row);
    }
    if to_merge.is_empty() {
        return Ok(MergeResult {
            account: Account::try_from(survivor)?,
            merged_ids: from.to_vec(),
        });
    }
    let at = now();
    let before = Account::try_from(survivor.clone())?;
    let merged_before: Vec<Account> = to_merge
        .iter()
        .cloned()
        .map(Account::try_from)
        .collect::<Result<_, _>>()?;

    // 1. The merged accounts become redirects first (frees an external id the survivor
    //    takes over, and locks their rows against concurrent writes).
    let mut combined = survivor.clone();
    for (row, account) in to_merge.iter().zip(&merged_before) {
        let takes_external_id = combined.external_id.is_none() && row.external_id.is_some();
        combine(&mut combined, account, row)?;
        let redirect = AccountRow {
            version: row.version + 1,
            updated_at: at,
            deleted_at: Some(at),
            external_id: if takes_external_id {
                None
            } else {
                row.external_id.clone()
            },
            ..row.clone()
        };
        if account_store::update(conn, &redirect, row.version)? == 0 {
            return Err(versioning::precondition_failed("account"));
        }
        store::set_merged_into(conn, &ws, &row.id, survivor_id)?;
        account_store::replace_index_rows(conn, &ws, &row.id, &[], &[])?;
    }

    // 2. The survivor's combined fields.
    combined.version = survivor.version + 1;
    combined.updated_at = at;
    if account_store::update(conn, &combined, survivor.version)
        .map_err(accounts::external_id_taken)?
        == 0
    {
        return Err(versioning::precondition_failed("account"));
    }
    let emails: Vec<String> = serde_json::from_str(&combined.emails).map_err(ApiError::internal)?;
    let phones: Vec<String> = serde_json::from_str(&combined.phones).map_err(ApiError::internal)?;
    let tags: Vec<String> = serde_json::from_str(&combined.tags).map_err(ApiError::internal)?;
    let terms = crm::search_terms(&combined.name, &emails, &phones);
    account_store::replace_index_rows(conn, &ws, survivor_id, &tags, &terms)?;

    // 3. Rows move, in account-id order for the locks both accounts' writers take.
    let merged_ids: Vec<String> = to_merge.iter().map(|r| r.id.clone()).collect();
    let mut all_ids = merged_ids.clone();
    all_ids.push(survivor_id.to_owned());
    let days = store::purchase_days(conn, &ws, &all_ids)?;
    let keep_primary = store::primary_contact(conn, &ws, survivor_id)?;
    for merged in &merged_ids {
        store::move_owned_rows(conn, &ws, merged, survivor_id)?;
        store::move_keyed_rows(conn, &ws, merged, survivor_id)?;
        fold_loyalty(conn, &ws, merged, survivor_id, at)?;
        fold_satisfaction(conn, &ws, merged, survivor_id)?;
        store::delete_value_rows(conn, &ws, merged)?;
    }
    let keep_primary = match keep_primary {
        Some(id) => Some(id),
        None => store::primary_contact(conn, &ws, survivor_id)?,
    };
    if let Some(keep) = keep_primary {
        store::demote_extra_primaries(conn, &ws, survivor_id, &keep)?;
    }

    // 4. Value metrics, exactly: every purchase day of both, recomputed from the orders.
    let touched: BTreeSet<(String, i32)> = days
        .into_iter()
        .map(|(_, day)| (survivor_id.to_owned(), day))
        .collect();
    crate::service::orders::refresh_metrics(conn, cx, &ws, &touched, at)?;
    // The responses and orders moved: every side's months from the responses, and the
    // responses' 90-day outcomes from the orders (after the metrics' locks, as order writers
    // take them).
    let month_accounts: Vec<&str> = all_ids.iter().map(String::as_str).collect();
    feedback_store::rebuild_account_months(conn, &ws, &month_accounts)?;
    // 5. The survivor's campaign sums, again from its orders (it may hold memberships of the
    //    merged accounts, and their orders count for its own).
    crate::service::campaigns::attribution::recompute_account(conn, &ws, survivor_id)?;

    let after = Account::try_from(combined)?;
    let result = MergeResult {
        account: after.clone(),
        merged_ids: from.to_vec(),
    };
    cx.audit(
        "account.merge",
        "account",
        Some(survivor_id),
        Some(&serde_json::json!({ "survivor": before, "merged": merged_before })),
        Some(&result),
    )?;
    cx.emit(DomainEvent::AccountsMerged {
        survivor_id: survivor_id.to_owned(),
        merged_ids,
        account: data(&after)?,
    })?;
    Ok(result)
}

/// Folds the merged account's fields into the survivor's row (see the module's rules).
fn combine(survivor: &mut AccountRow, merged: &Account, row: &AccountRow) -> Result<(), ApiError> {
    let mut emails: Vec<String> =
        serde_json::from_str(&survivor.emails).map_err(ApiError::internal)?;
    union(&mut emails, &merged.emails, 20);
    survivor.emails = json(&emails)?;
    let mut phones: Vec<String> =
        serde_json::from_str(&survivor.phones).map_err(ApiError::internal)?;
    union(&mut phones, &merged.phones, 20);
    survivor.phones = json(&phones)?;
    let mut tags: Vec<String> = serde_json::from_str(&survivor.tags).map_err(ApiError::internal)?;
    union(&mut tags, &merged.tags, 50);
    survivor.tags = json(&tags)?;
    if survivor.address.is_none() {
        survivor.address = row.address.clone();
    }
    if survivor.owner_id.is_none() {
        survivor.owner_id = row.owner_id.clone();
    }
    if survivor.acquisition_channel.is_none() {
        survivor.acquisition_channel = row.acquisition_channel.clone();
    }
    if survivor.acquisition_cost_amount.is_none() {
        survivor.acquisition_cost_amount = row.acquisition_cost_amount;
        survivor.acquisition_cost_currency = row.acquisition_cost_currency.clone();
    }
    if survivor.external_id.is_none() {
        survivor.external_id = row.external_id.clone();
    }
    let mut attributes: Value =
        serde_json::from_str(&survivor.attributes).map_err(ApiError::internal)?;
    if let (Some(into), Value::Object(extra)) = (attributes.as_object_mut(), &merged.attributes) {
        for (k, v) in extra {
            if into.contains_key(k) {
                continue;
            }
            into.insert(k.clone(), v.clone());
            if crm::check_attributes(&Value::Object(into.clone())).is_err() {
                into.remove(k);
            }
        }
    }
    survivor.attributes = json(&attributes)?;
    let mut consent: MarketingConsent =
        serde_json::from_str(&survivor.marketing_consent).map_err(ApiError::internal)?;
    latest(&mut consent.email, &merged.marketing_consent.email);
    latest(&mut consent.sms, &merged.marketing_consent.sms);
    latest(&mut consent.push, &merged.marketing_consent.push);
    survivor.marketing_consent = json(&consent)?;
    Ok(())
}

fn json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

fn union(into: &mut Vec<String>, more: &[String], cap: usize) {
    for v in more {
        if into.len() >= cap {
            break;
        }
        if !into.contains(v) {
            into.push(v.clone());
        }
    }
}

/// Keeps the more recent of two consent decisions on one channel.
fn latest(current: &mut Option<ConsentState>, other: &Option<ConsentState>) {
    if let Some(o) = other {
        if current.as_ref().is_none_or(|c| o.at > c.at) {
            *current = Some(o.clone());
        }
    }
}

/// The merged account's loyalty membership joins the survivor's (locked in id order).
fn fold_loyalty(
    conn: &mut DbConn,
    ws: &str,
    merged: &str,
    survivor: &str,
    at: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    if loyalty_store::find_member(conn, ws, merged)?.is_none() {
        return Ok(());
    }
    let (first, second) = if merged < survivor {
        (merged, survivor)
    } else {
        (survivor, merged)
    };
    let a = loyalty_store::lock_member(conn, ws, first, at)?;
    let b = loyalty_store::lock_member(conn, ws, second, at)?;
    let (m, s) = if a.account_id == merged {
        (a, b)
    } else {
        (b, a)
    };
    store::fold_member(
        conn,
        ws,
        merged,
        survivor,
        m.ledger_sum,
        m.tier.max(s.tier),
        at,
    )?;
    Ok(())
}

/// The survivor keeps the latest score of each measure among both accounts.
fn fold_satisfaction(
    conn: &mut DbConn,
    ws: &str,
    merged: &str,
    survivor: &str,
) -> Result<(), ApiError> {
    let Some(m) = feedback_store::find_satisfaction(conn, ws, merged)? else {
        return Ok(());
    };
    store::delete_satisfaction(conn, ws, merged)?;
    match feedback_store::lock_satisfaction(conn, ws, survivor)? {
        None => {
            feedback_store::insert_satisfaction(
                conn,
                &feedback_store::SatisfactionRow {
                    account_id: survivor.to_owned(),
                    ..m
                },
            )?;
        }
        Some(mut s) => {
            if m.nps_at > s.nps_at {
                (s.nps, s.nps_category, s.nps_at) = (m.nps, m.nps_category, m.nps_at);
            }
            if m.csat_at > s.csat_at {
                (s.csat, s.csat_at) = (m.csat, m.csat_at);
            }
            if m.ces_at > s.ces_at {
                (s.ces, s.ces_at) = (m.ces, m.ces_at);
            }
            s.responses += m.responses;
            s.last_response_at = s.last_response_at.max(m.last_response_at);
            s.updated_at = s.updated_at.max(m.updated_at);
            feedback_store::update_satisfaction(conn, &s)?;
        }
    }
    Ok(())
}
