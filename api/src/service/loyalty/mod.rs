//! Loyalty points: the workspace's programme, members' balances and ledgers, redemptions
//! (plain or for a catalog reward), admins' adjustments, earning and reversal on orders, and
//! the expiry and tier jobs. The rules are `rapport_domain::loyalty`; this module loads,
//! decides with them and writes, one transaction per use case.
//!
//! Rules chosen here:
//! - Every points write locks the member's row first (`persistence::loyalty::lock_member`):
//!   writes of one account are serialised on both backends, so a redemption can never spend
//!   points another concurrent redemption already spent.
//! - The balance is derived from lots and the ledger: debt = Σ lot.remaining − ledger sum
//!   (the domain's invariant). The member row keeps the ledger sum, updated in the same
//!   transaction as every entry; tests compare it with the entries.
//! - An order earns only in the programme's currency (there is no FX here): an order in
//!   another currency, or with no active programme, earns nothing and counts for no tier.
//! - Earning upgrades the tier at once (the order's own points use the tier held before
//!   it); downgrades happen only in the tier job, and only when the programme allows them.
//! - A refund whose points were already spent records the shortfall as debt (a negative
//!   `available`), paid off by the next credits; the domain module documents the policy.
//! - Redeeming or a negative adjustment never takes `available` below zero (409
//!   `insufficient_points`). Adjustments need the `admin` scope and a reason, and are audited.
//!
//! Functions for other features (orders, the 360° profile) take `&mut DbConn` and run inside
//! the caller's transaction: [`earn_for_order`], [`reverse_for_order_refund`], [`balance`].

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use rapport_domain::access::Scope;
use rapport_domain::loyalty::{
    self as rules, EarnRate, EntryKind, Lot, LoyaltyError, Program, Qualification, Rounding,
    StoredProgram, Tier, TierChange,
};
use rapport_domain::money::Currency;
use rapport_domain::money::MinorUnits;
use rapport_persistence::accounts as account_store;
use rapport_persistence::loyalty::{
    self as store, EntryRow, LotRow, MemberRow, ProgramRow, RedemptionRow, RewardRow,
};
use rapport_persistence::{read_transaction, DbConn};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::events::domain::{
    changed_fields, data, Change, DomainEvent, PointsMove, Settings,
};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::pipeline::{self, Committed, WriteContext};
use crate::service::{new_id, now, page_request, stored, utc, versioning, Page};
use crate::state::AppState;

/// Largest number of points one request may move.
pub const MAX_POINTS: i64 = 1_000_000_000;
/// Largest numerator or denominator of an earn rate.
pub const MAX_EARN_RATE_TERM: i64 = 1_000_000_000;
/// Longest adjustment reason, reward name and note.
pub const MAX_REASON: usize = 500;
/// Members handled per batch by the jobs.
const JOB_BATCH: i64 = 500;
/// `loyalty.points_expiring` is published this many days before a lot expires (the
/// balance's `expiring_in_30_days` window).
pub const EXPIRING_NOTICE_DAYS: i64 = 30;

mod jobs;
mod orders;
mod points;
mod program;
mod redemptions;
mod rewards;
mod types;

pub use jobs::*;
pub use orders::*;
pub use points::*;
pub use program::*;
pub use redemptions::*;
pub use rewards::*;
pub use types::*;

// ---------------------------------------------------------------------------------------
// Conversions and errors

fn domain_error(err: LoyaltyError) -> ApiError {
    use actix_web::http::StatusCode;
    match &err {
        LoyaltyError::InsufficientPoints {
            available,
            requested,
        } => ApiError::conflict(
            "insufficient_points",
            format!("not enough points: {available} available, {requested} requested"),
        ),
        LoyaltyError::NonPositive { field, .. } | LoyaltyError::Negative { field, .. } => {
            ApiError::field(field, err.to_string())
        }
        LoyaltyError::ReasonRequired => ApiError::field("reason", "is required"),
        LoyaltyError::RefundExceedsSpend { .. } | LoyaltyError::Overflow => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            err.code(),
            err.to_string(),
        ),
        LoyaltyError::InvalidProgram(issue) => ApiError::field(&issue.field, &issue.message),
        LoyaltyError::LedgerDrift { .. } => {
            // Read on one snapshot, this cannot be a race: the stored lots and ledger
            // disagree, which only a bug or a hand edit of the database does.
            ApiError::internal(format!("loyalty invariant breached: {err}"))
                .with_code("loyalty_ledger_drift")
        }
        _ => ApiError::internal(err),
    }
}

fn lot_of(row: &LotRow) -> Lot {
    Lot {
        id: row.id.clone(),
        earned_at: utc(row.earned_at),
        points: row.points,
        remaining: row.remaining,
        expired: row.expired,
        available_at: utc(row.available_at),
        expires_at: row.expires_at.map(utc),
    }
}

impl From<EntryRow> for LedgerEntry {
    fn from(row: EntryRow) -> Self {
        LedgerEntry {
            id: row.id,
            account_id: row.account_id,
            kind: row.kind,
            points: row.points,
            source_type: row.source_type,
            source_id: row.source_id,
            idempotency_key: row.idempotency_key,
            lot_id: row.lot_id,
            reason: row.reason,
            actor_type: row.actor_type,
            actor_id: row.actor_id,
            occurred_at: utc(row.occurred_at),
            created_at: utc(row.created_at),
        }
    }
}

impl From<RewardRow> for Reward {
    fn from(row: RewardRow) -> Self {
        Reward {
            id: row.id,
            name: row.name,
            description: row.description,
            points_cost: row.points_cost,
            stock: row.stock,
            available_from: row.available_from.map(utc),
            available_until: row.available_until.map(utc),
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

fn sum(values: impl IntoIterator<Item = i64>) -> Result<i64, ApiError> {
    rules::ledger_sum(values).map_err(domain_error)
}

/// Who writes an entry.
struct Actor {
    kind: String,
    id: Option<String>,
}

impl Actor {
    fn of(principal: &Principal) -> Self {
        Self {
            kind: principal.actor_type().to_owned(),
            id: principal.actor_id().map(str::to_owned),
        }
    }

    fn system() -> Self {
        Self {
            kind: "system".into(),
            id: None,
        }
    }
}

struct NewEntry<'a> {
    workspace_id: &'a str,
    account_id: &'a str,
    kind: EntryKind,
    points: i64,
    spend_minor: i64,
    lot_id: Option<String>,
    source_type: &'a str,
    source_id: Option<String>,
    key: String,
    reason: Option<String>,
    actor: &'a Actor,
    occurred_at: NaiveDateTime,
    now: NaiveDateTime,
}

/// Writes one ledger entry and adds it to the member's ledger sum.
fn write_entry(conn: &mut DbConn, e: NewEntry<'_>) -> Result<EntryRow, ApiError> {
    rules::check_entry(e.kind, e.points, e.reason.as_deref()).map_err(domain_error)?;
    let row = EntryRow {
        id: new_id(),
        workspace_id: e.workspace_id.to_owned(),
        account_id: e.account_id.to_owned(),
        kind: e.kind.as_str().to_owned(),
        points: e.points,
        spend_minor: e.spend_minor,
        lot_id: e.lot_id,
        source_type: e.source_type.to_owned(),
        source_id: e.source_id,
        idempotency_key: e.key,
        reason: e.reason,
        actor_type: e.actor.kind.clone(),
        actor_id: e.actor.id.clone(),
        occurred_at: e.occurred_at,
        created_at: e.now,
    };
    store::insert_entry(conn, &row)?;
    if e.points != 0
        && store::add_to_ledger_sum(conn, e.workspace_id, e.account_id, e.points, e.now)? != 1
    {
        return Err(ApiError::internal("loyalty member row missing"));
    }
    Ok(row)
}

/// The member's open lots and debt (`Σ remaining − ledger sum`).
fn lots_and_debt(conn: &mut DbConn, member: &MemberRow) -> Result<(Vec<LotRow>, i64), ApiError> {
    let lots = store::open_lots(conn, &member.workspace_id, &member.account_id)?;
    let domain_lots: Vec<Lot> = lots.iter().map(lot_of).collect();
    let debt = rules::debt_from_ledger(&domain_lots, member.ledger_sum).map_err(domain_error)?;
    Ok((lots, debt))
}

/// Takes `points` from the member's spendable lots, oldest first, or fails with
/// `insufficient_points` when `available` is smaller. Returns the new `available`.
fn take_points(
    conn: &mut DbConn,
    member: &MemberRow,
    points: i64,
    at: NaiveDateTime,
) -> Result<i64, ApiError> {
    let (lots, debt) = lots_and_debt(conn, member)?;
    let domain_lots: Vec<Lot> = lots.iter().map(lot_of).collect();
    let takes = rules::redeem(&domain_lots, debt, points, utc(at)).map_err(domain_error)?;
    for take in &takes {
        let row = lots
            .iter()
            .find(|l| l.id == take.lot_id)
            .ok_or_else(|| ApiError::internal("lot vanished"))?;
        let updated = LotRow {
            remaining: row.remaining - take.points,
            ..row.clone()
        };
        if store::update_lot(conn, &updated, row.remaining)? != 1 {
            return Err(ApiError::internal("a lot changed under the member lock"));
        }
    }
    let mut after = domain_lots;
    rules::apply_takes(&mut after, &takes).map_err(domain_error)?;
    Ok(rules::balance(&after, debt, utc(at))
        .map_err(domain_error)?
        .available)
}

/// The name of tier `index`, for events.
fn tier_name(program: &Program, index: usize) -> Option<String> {
    program.tiers.get(index).map(|t| t.name.clone())
}

/// Emits the points event of a ledger entry.
fn points_event(
    cx: &mut WriteContext,
    account_id: &str,
    how: PointsMove,
    entry: &LedgerEntry,
) -> Result<(), ApiError> {
    cx.emit(DomainEvent::PointsChanged {
        account_id: account_id.to_owned(),
        how,
        points: entry.points,
        entry: data(entry)?,
    })
}

fn tier_index(program: &Program, member: &MemberRow) -> usize {
    usize::try_from(member.tier)
        .unwrap_or(0)
        .min(program.tiers.len().saturating_sub(1))
}

/// The qualifying amount of the member at `at` over the programme's rolling window.
fn qualifying(
    conn: &mut DbConn,
    program: &Program,
    workspace_id: &str,
    account_id: &str,
    at: NaiveDateTime,
) -> Result<i64, ApiError> {
    let window = TimeDelta::try_days(i64::from(program.qualification_window_days))
        .ok_or_else(|| ApiError::internal("window out of range"))?;
    let since = at
        .checked_sub_signed(window)
        .ok_or_else(|| ApiError::internal("window out of range"))?;
    let events: Vec<(DateTime<Utc>, i64)> =
        store::qualifying_entries(conn, workspace_id, account_id, since)?
            .into_iter()
            .map(|(when, points, spend)| {
                let amount = match program.qualification {
                    Qualification::Spend => spend,
                    Qualification::PointsEarned => points,
                };
                (utc(when), amount)
            })
            .collect();
    rules::qualifying_amount(program, &events, utc(at)).map_err(domain_error)
}

fn check_account(conn: &mut DbConn, workspace_id: &str, account_id: &str) -> Result<(), ApiError> {
    account_store::find(conn, workspace_id, account_id)?
        .map(|_| ())
        .ok_or_else(|| ApiError::not_found("no account with that id"))
}

fn check_points(field: &str, points: i64, allow_negative: bool) -> Result<(), ApiError> {
    let ok = if allow_negative {
        // Not `abs()`: it overflows on i64::MIN, which a client can send.
        points != 0 && (-MAX_POINTS..=MAX_POINTS).contains(&points)
    } else {
        (1..=MAX_POINTS).contains(&points)
    };
    if ok {
        Ok(())
    } else if allow_negative {
        Err(ApiError::field(
            field,
            format!("must be non-zero and at most {MAX_POINTS} either way"),
        ))
    } else {
        Err(ApiError::field(
            field,
            format!("must be between 1 and {MAX_POINTS}"),
        ))
    }
}

fn clean_text(field: &str, text: Option<&str>, required: bool) -> Result<Option<String>, ApiError> {
    match text.map(str::trim) {
        None | Some("") if required => Err(ApiError::field(field, "is required")),
        None | Some("") => Ok(None),
        Some(t) if t.chars().count() > MAX_REASON || t.chars().any(char::is_control) => {
            Err(ApiError::field(
                field,
                format!("must be at most {MAX_REASON} characters without control characters"),
            ))
        }
        Some(t) => Ok(Some(t.to_owned())),
    }
}
