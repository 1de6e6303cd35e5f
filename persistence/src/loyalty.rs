//! Loyalty points: programmes, members (the row every points write locks first), lots, the
//! immutable ledger, the rewards catalog and redemptions.
//!
//! Serialising writes per member: a write starts with [`lock_member`], an `UPDATE` of the
//! member's row. On PostgreSQL that takes the row lock until commit, so concurrent writers
//! of one account queue there and each reads the lots the previous one committed (READ
//! COMMITTED takes a fresh snapshot per statement). On SQLite `write_transaction` already
//! serialises every writer (`BEGIN IMMEDIATE`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::per_backend;
use crate::schema::{
    loyalty_entries, loyalty_lots, loyalty_members, loyalty_programs, loyalty_redemptions,
    loyalty_rewards,
};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = loyalty_programs, treat_none_as_null = true)]
pub struct ProgramRow {
    pub workspace_id: String,
    pub currency: String,
    /// The programme's rules as JSON (`rapport_domain::loyalty::Program` plus API options).
    pub definition: String,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = loyalty_members)]
pub struct MemberRow {
    pub account_id: String,
    pub workspace_id: String,
    /// Index into the programme's tiers.
    pub tier: i32,
    /// The sum of the member's ledger entries, written in the same transaction as each
    /// entry (tests compare it with the entries).
    pub ledger_sum: i64,
    pub tier_evaluated_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = loyalty_lots)]
pub struct LotRow {
    pub id: String,
    pub workspace_id: String,
    pub account_id: String,
    /// `order` or `adjustment`.
    pub source_type: String,
    pub source_id: Option<String>,
    pub earned_at: NaiveDateTime,
    pub points: i64,
    pub remaining: i64,
    pub expired: i64,
    pub available_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    /// Orders: the order's amount the points were earned on (refunds are proportional).
    pub spend_minor: i64,
    /// Orders: the amount refunded so far.
    pub refunded_minor: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = loyalty_entries)]
pub struct EntryRow {
    pub id: String,
    pub workspace_id: String,
    pub account_id: String,
    pub kind: String,
    pub points: i64,
    /// Eligible spend this entry adds (earn) or takes back (reverse), for tiers on spend.
    pub spend_minor: i64,
    pub lot_id: Option<String>,
    /// `order`, `refund`, `redemption`, `reward`, `admin` or `job`.
    pub source_type: String,
    pub source_id: Option<String>,
    pub idempotency_key: String,
    pub reason: Option<String>,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub occurred_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = loyalty_rewards, treat_none_as_null = true)]
pub struct RewardRow {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub description: Option<String>,
    pub points_cost: i64,
    /// `None`: unlimited.
    pub stock: Option<i64>,
    pub available_from: Option<NaiveDateTime>,
    pub available_until: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = loyalty_redemptions)]
pub struct RedemptionRow {
    pub id: String,
    pub workspace_id: String,
    pub account_id: String,
    pub reward_id: Option<String>,
    pub points: i64,
    pub status: String,
    pub entry_id: String,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    pub fulfilled_at: Option<NaiveDateTime>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub cancel_reason: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Programmes

pub fn find_program(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Option<ProgramRow>> {
    loyalty_programs::table
        .filter(loyalty_programs::workspace_id.eq(workspace_id))
        .select(ProgramRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn insert_program(conn: &mut DbConn, row: &ProgramRow) -> QueryResult<()> {
    diesel::insert_into(loyalty_programs::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Writes `row` when the stored version is still `expected_version`; rows changed.
pub fn update_program(
    conn: &mut DbConn,
    row: &ProgramRow,
    expected_version: i64,
) -> QueryResult<usize> {
    diesel::update(
        loyalty_programs::table
            .filter(loyalty_programs::workspace_id.eq(&row.workspace_id))
            .filter(loyalty_programs::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)
}

/// Workspaces with an active programme, for the jobs.
pub fn active_programs(conn: &mut DbConn) -> QueryResult<Vec<ProgramRow>> {
    loyalty_programs::table
        .filter(loyalty_programs::active.eq(true))
        .order(loyalty_programs::workspace_id)
        .select(ProgramRow::as_select())
        .load(conn)
}

// ---------------------------------------------------------------------------------------
// Members

/// Locks the member's row for the rest of the transaction (creating it at the base tier
/// on first use) and returns it. Every write of points starts here.
pub fn lock_member(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    now: NaiveDateTime,
) -> QueryResult<MemberRow> {
    let touch = |conn: &mut DbConn| {
        diesel::update(
            loyalty_members::table
                .filter(loyalty_members::account_id.eq(account_id))
                .filter(loyalty_members::workspace_id.eq(workspace_id)),
        )
        .set(loyalty_members::version.eq(loyalty_members::version + 1))
        .execute(conn)
    };
    if touch(conn)? == 0 {
        let row = MemberRow {
            account_id: account_id.to_owned(),
            workspace_id: workspace_id.to_owned(),
            tier: 0,
            ledger_sum: 0,
            tier_evaluated_at: None,
            version: 0,
            created_at: now,
            updated_at: now,
        };
        let insert = diesel::insert_into(loyalty_members::table)
            .values(&row)
            .on_conflict_do_nothing();
        per_backend!(conn, |c| insert.execute(c))?;
        touch(conn)?;
    }
    find_member(conn, workspace_id, account_id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn find_member(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Option<MemberRow>> {
    loyalty_members::table
        .filter(loyalty_members::account_id.eq(account_id))
        .filter(loyalty_members::workspace_id.eq(workspace_id))
        .select(MemberRow::as_select())
        .get_result(conn)
        .optional()
}

/// Adds `delta` to the member's ledger sum (in the transaction that writes the entry).
pub fn add_to_ledger_sum(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    delta: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        loyalty_members::table
            .filter(loyalty_members::account_id.eq(account_id))
            .filter(loyalty_members::workspace_id.eq(workspace_id)),
    )
    .set((
        loyalty_members::ledger_sum.eq(loyalty_members::ledger_sum + delta),
        loyalty_members::updated_at.eq(now),
    ))
    .execute(conn)
}

pub fn set_tier(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    tier: i32,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        loyalty_members::table
            .filter(loyalty_members::account_id.eq(account_id))
            .filter(loyalty_members::workspace_id.eq(workspace_id)),
    )
    .set((
        loyalty_members::tier.eq(tier),
        loyalty_members::tier_evaluated_at.eq(Some(now)),
        loyalty_members::updated_at.eq(now),
    ))
    .execute(conn)
}

/// A page of a workspace's members by account id, for the tier job.
pub fn members_after(
    conn: &mut DbConn,
    workspace_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<MemberRow>> {
    let mut query = loyalty_members::table
        .filter(loyalty_members::workspace_id.eq(workspace_id))
        .order(loyalty_members::account_id)
        .limit(limit)
        .select(MemberRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(loyalty_members::account_id.gt(after.to_owned()));
    }
    query.load(conn)
}

// ---------------------------------------------------------------------------------------
// Lots

pub fn insert_lot(conn: &mut DbConn, row: &LotRow) -> QueryResult<()> {
    diesel::insert_into(loyalty_lots::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The member's lots that still hold points (the others change no balance).
pub fn open_lots(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Vec<LotRow>> {
    loyalty_lots::table
        .filter(loyalty_lots::workspace_id.eq(workspace_id))
        .filter(loyalty_lots::account_id.eq(account_id))
        .filter(loyalty_lots::remaining.gt(0))
        .order((loyalty_lots::earned_at, loyalty_lots::id))
        .select(LotRow::as_select())
        .load(conn)
}

pub fn lot_by_source(
    conn: &mut DbConn,
    workspace_id: &str,
    source_type: &str,
    source_id: &str,
) -> QueryResult<Option<LotRow>> {
    loyalty_lots::table
        .filter(loyalty_lots::workspace_id.eq(workspace_id))
        .filter(loyalty_lots::source_type.eq(source_type))
        .filter(loyalty_lots::source_id.eq(source_id))
        .select(LotRow::as_select())
        .get_result(conn)
        .optional()
}

/// Writes a lot's counters, only if it still holds `expected_remaining` (a guard: the
/// member lock already serialises writers, this catches a bug instead of overdrawing).
pub fn update_lot(conn: &mut DbConn, row: &LotRow, expected_remaining: i64) -> QueryResult<usize> {
    diesel::update(
        loyalty_lots::table
            .filter(loyalty_lots::workspace_id.eq(&row.workspace_id))
            .filter(loyalty_lots::id.eq(&row.id))
            .filter(loyalty_lots::remaining.eq(expected_remaining)),
    )
    .set((
        loyalty_lots::remaining.eq(row.remaining),
        loyalty_lots::expired.eq(row.expired),
        loyalty_lots::refunded_minor.eq(row.refunded_minor),
    ))
    .execute(conn)
}

/// `(workspace_id, account_id)` of members holding points past their expiry at `now`.
pub fn accounts_with_expired_lots(
    conn: &mut DbConn,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(String, String)>> {
    loyalty_lots::table
        .filter(loyalty_lots::expires_at.le(now))
        .filter(loyalty_lots::remaining.gt(0))
        .select((loyalty_lots::workspace_id, loyalty_lots::account_id))
        .distinct()
        .order((loyalty_lots::workspace_id, loyalty_lots::account_id))
        .limit(limit)
        .load(conn)
}

/// Members with lots that expire in `(now, until]` with points left and no notice yet.
pub fn accounts_with_lots_to_announce(
    conn: &mut DbConn,
    now: NaiveDateTime,
    until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(String, String)>> {
    use crate::schema::loyalty_lot_notices as notices;
    loyalty_lots::table
        .filter(loyalty_lots::expires_at.gt(now))
        .filter(loyalty_lots::expires_at.le(until))
        .filter(loyalty_lots::remaining.gt(0))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            notices::table.filter(notices::lot_id.eq(loyalty_lots::id)),
        )))
        .select((loyalty_lots::workspace_id, loyalty_lots::account_id))
        .distinct()
        .order((loyalty_lots::workspace_id, loyalty_lots::account_id))
        .limit(limit)
        .load(conn)
}

/// The member's lots that expire in `(now, until]` with points left and no notice yet.
pub fn lots_to_announce(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<LotRow>> {
    use crate::schema::loyalty_lot_notices as notices;
    loyalty_lots::table
        .filter(loyalty_lots::workspace_id.eq(workspace_id))
        .filter(loyalty_lots::account_id.eq(account_id))
        .filter(loyalty_lots::expires_at.gt(now))
        .filter(loyalty_lots::expires_at.le(until))
        .filter(loyalty_lots::remaining.gt(0))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            notices::table.filter(notices::lot_id.eq(loyalty_lots::id)),
        )))
        .order((loyalty_lots::expires_at, loyalty_lots::id))
        .select(LotRow::as_select())
        .load(conn)
}

/// Marks a lot's coming expiry as announced; `false` when it already was.
pub fn mark_announced(
    conn: &mut DbConn,
    workspace_id: &str,
    lot_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    use crate::schema::loyalty_lot_notices as notices;
    let inserted = per_backend!(conn, |c| diesel::insert_into(notices::table)
        .values((
            notices::lot_id.eq(lot_id),
            notices::workspace_id.eq(workspace_id),
            notices::announced_at.eq(at),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(inserted == 1)
}

/// All the lots of a member (for consistency checks).
pub fn all_lots(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Vec<LotRow>> {
    loyalty_lots::table
        .filter(loyalty_lots::workspace_id.eq(workspace_id))
        .filter(loyalty_lots::account_id.eq(account_id))
        .order((loyalty_lots::earned_at, loyalty_lots::id))
        .select(LotRow::as_select())
        .load(conn)
}

// ---------------------------------------------------------------------------------------
// Ledger

pub fn insert_entry(conn: &mut DbConn, row: &EntryRow) -> QueryResult<()> {
    diesel::insert_into(loyalty_entries::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn entry_by_key(
    conn: &mut DbConn,
    workspace_id: &str,
    key: &str,
) -> QueryResult<Option<EntryRow>> {
    loyalty_entries::table
        .filter(loyalty_entries::workspace_id.eq(workspace_id))
        .filter(loyalty_entries::idempotency_key.eq(key))
        .select(EntryRow::as_select())
        .get_result(conn)
        .optional()
}

/// One entry of a live member's ledger.
pub fn find_entry(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    id: &str,
) -> QueryResult<Option<EntryRow>> {
    of_live_accounts!(loyalty_entries::table)
        .filter(loyalty_entries::workspace_id.eq(workspace_id))
        .filter(loyalty_entries::account_id.eq(account_id))
        .filter(loyalty_entries::id.eq(id))
        .select(EntryRow::as_select())
        .get_result(conn)
        .optional()
}

/// A page of a live member's ledger, newest first (ids are time-ordered).
pub fn list_entries(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<EntryRow>> {
    let mut query = of_live_accounts!(loyalty_entries::table)
        .filter(loyalty_entries::workspace_id.eq(workspace_id))
        .filter(loyalty_entries::account_id.eq(account_id))
        .order(loyalty_entries::id.desc())
        .limit(limit)
        .select(EntryRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(loyalty_entries::id.lt(after.to_owned()));
    }
    query.load(conn)
}

/// The signed points of every entry of the member, for sums computed in Rust (portable:
/// `SUM(BIGINT)` is NUMERIC on PostgreSQL).
pub fn entry_points(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Vec<(String, i64)>> {
    loyalty_entries::table
        .filter(loyalty_entries::workspace_id.eq(workspace_id))
        .filter(loyalty_entries::account_id.eq(account_id))
        .select((loyalty_entries::kind, loyalty_entries::points))
        .load(conn)
}

/// `(occurred_at, points, spend_minor)` of the member's earn and reverse entries since
/// `since`: what tiers qualify on.
pub fn qualifying_entries(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    since: NaiveDateTime,
) -> QueryResult<Vec<(NaiveDateTime, i64, i64)>> {
    loyalty_entries::table
        .filter(loyalty_entries::workspace_id.eq(workspace_id))
        .filter(loyalty_entries::account_id.eq(account_id))
        .filter(loyalty_entries::kind.eq_any(["earn", "reverse"]))
        .filter(loyalty_entries::occurred_at.gt(since))
        .select((
            loyalty_entries::occurred_at,
            loyalty_entries::points,
            loyalty_entries::spend_minor,
        ))
        .load(conn)
}

// ---------------------------------------------------------------------------------------
// Rewards and redemptions

pub fn insert_reward(conn: &mut DbConn, row: &RewardRow) -> QueryResult<()> {
    diesel::insert_into(loyalty_rewards::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A live reward of the workspace.
pub fn find_reward(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
) -> QueryResult<Option<RewardRow>> {
    loyalty_rewards::table
        .filter(loyalty_rewards::workspace_id.eq(workspace_id))
        .filter(loyalty_rewards::id.eq(id))
        .filter(loyalty_rewards::deleted_at.is_null())
        .select(RewardRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn update_reward(
    conn: &mut DbConn,
    row: &RewardRow,
    expected_version: i64,
) -> QueryResult<usize> {
    diesel::update(
        loyalty_rewards::table
            .filter(loyalty_rewards::workspace_id.eq(&row.workspace_id))
            .filter(loyalty_rewards::id.eq(&row.id))
            .filter(loyalty_rewards::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)
}

pub fn list_rewards(
    conn: &mut DbConn,
    workspace_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<RewardRow>> {
    let mut query = loyalty_rewards::table
        .filter(loyalty_rewards::workspace_id.eq(workspace_id))
        .filter(loyalty_rewards::deleted_at.is_null())
        .order(loyalty_rewards::id)
        .limit(limit)
        .select(RewardRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(loyalty_rewards::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// Takes one unit of a limited reward's stock in one conditional statement; 0 = none left.
pub fn take_stock(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        loyalty_rewards::table
            .filter(loyalty_rewards::workspace_id.eq(workspace_id))
            .filter(loyalty_rewards::id.eq(id))
            .filter(loyalty_rewards::stock.gt(0)),
    )
    .set((
        loyalty_rewards::stock.eq(loyalty_rewards::stock - 1),
        loyalty_rewards::version.eq(loyalty_rewards::version + 1),
        loyalty_rewards::updated_at.eq(now),
    ))
    .execute(conn)
}

/// Gives one unit back to a limited reward's stock (a cancelled redemption); a reward
/// without a stock limit is left alone.
pub fn return_stock(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        loyalty_rewards::table
            .filter(loyalty_rewards::workspace_id.eq(workspace_id))
            .filter(loyalty_rewards::id.eq(id))
            .filter(loyalty_rewards::stock.is_not_null()),
    )
    .set((
        loyalty_rewards::stock.eq(loyalty_rewards::stock + 1),
        loyalty_rewards::version.eq(loyalty_rewards::version + 1),
        loyalty_rewards::updated_at.eq(now),
    ))
    .execute(conn)
}

/// Moves a redemption from status `from` to `to` (with the time and reason of a fulfilment
/// or cancellation) in one conditional statement: 1 if it moved, 0 if it was no longer in
/// `from`, so a transition happens once whatever the concurrency.
pub fn settle_redemption(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    from: &str,
    to: &str,
    at: NaiveDateTime,
    cancel_reason: Option<&str>,
) -> QueryResult<usize> {
    let target = loyalty_redemptions::table
        .filter(loyalty_redemptions::workspace_id.eq(workspace_id))
        .filter(loyalty_redemptions::id.eq(id))
        .filter(loyalty_redemptions::status.eq(from));
    if to == "cancelled" {
        diesel::update(target)
            .set((
                loyalty_redemptions::status.eq(to),
                loyalty_redemptions::cancelled_at.eq(at),
                loyalty_redemptions::cancel_reason.eq(cancel_reason),
            ))
            .execute(conn)
    } else {
        diesel::update(target)
            .set((
                loyalty_redemptions::status.eq(to),
                loyalty_redemptions::fulfilled_at.eq(at),
            ))
            .execute(conn)
    }
}

pub fn insert_redemption(conn: &mut DbConn, row: &RedemptionRow) -> QueryResult<()> {
    diesel::insert_into(loyalty_redemptions::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// One redemption of a live member.
pub fn find_redemption(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    id: &str,
) -> QueryResult<Option<RedemptionRow>> {
    of_live_accounts!(loyalty_redemptions::table)
        .filter(loyalty_redemptions::workspace_id.eq(workspace_id))
        .filter(loyalty_redemptions::account_id.eq(account_id))
        .filter(loyalty_redemptions::id.eq(id))
        .select(RedemptionRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn list_redemptions(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<RedemptionRow>> {
    let mut query = of_live_accounts!(loyalty_redemptions::table)
        .filter(loyalty_redemptions::workspace_id.eq(workspace_id))
        .filter(loyalty_redemptions::account_id.eq(account_id))
        .order(loyalty_redemptions::id.desc())
        .limit(limit)
        .select(RedemptionRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(loyalty_redemptions::id.lt(after.to_owned()));
    }
    query.load(conn)
}
