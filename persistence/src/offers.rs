//! Offers, their vouchers and the vouchers' history. Writers that touch both lock the
//! vouchers first (by code), then the offers (by id); an offer's counters move by relative
//! updates ([`move_counters`]), so only offers with a cap or a budget need their row locked
//! while a redemption is decided.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{offers, voucher_history, vouchers};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = offers, treat_none_as_null = true)]
pub struct OfferRow {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub description: Option<String>,
    pub kind: String,
    pub percent: Option<i32>,
    pub amount: Option<i64>,
    pub currency: Option<String>,
    pub points: Option<i64>,
    pub points_multiplier: Option<f64>,
    pub reward_id: Option<String>,
    pub benefit: Option<String>,
    pub eligibility: String,
    pub valid_from: Option<NaiveDateTime>,
    pub valid_until: Option<NaiveDateTime>,
    pub voucher_valid_days: Option<i32>,
    pub cost_per_redemption: i64,
    pub budget: Option<i64>,
    pub per_customer_cap: Option<i64>,
    pub total_cap: Option<i64>,
    pub campaign_id: Option<String>,
    pub status: String,
    // The counters move only by `move_counters` and `set_counters`: an edit of the offer's
    // terms (`update_offer`) never writes back counters it read before a redemption moved them.
    #[diesel(skip_update)]
    pub issued: i64,
    #[diesel(skip_update)]
    pub redemptions: i64,
    #[diesel(skip_update)]
    pub spent: i64,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = vouchers, treat_none_as_null = true)]
pub struct VoucherRow {
    pub id: String,
    pub workspace_id: String,
    pub offer_id: String,
    pub account_id: String,
    pub code: String,
    pub state: String,
    pub valid_until: Option<NaiveDateTime>,
    pub campaign_id: Option<String>,
    pub order_id: Option<String>,
    pub discount: i64,
    pub discount_currency: Option<String>,
    pub cost: i64,
    pub bonus_points: i64,
    pub issued_at: NaiveDateTime,
    pub redeemed_at: Option<NaiveDateTime>,
    pub expiring_announced_at: Option<NaiveDateTime>,
    pub version: i64,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = voucher_history)]
pub struct HistoryRow {
    pub id: String,
    pub voucher_id: String,
    pub workspace_id: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub order_id: Option<String>,
    pub reason: Option<String>,
    pub at: NaiveDateTime,
}

/// States in which a voucher can still be redeemed.
pub const OPEN_STATES: [&str; 2] = ["issued", "viewed"];

// ---------------------------------------------------------------------------------------
// Offers

pub fn insert_offer(conn: &mut DbConn, row: &OfferRow) -> QueryResult<()> {
    diesel::insert_into(offers::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A live offer of the workspace.
pub fn find_offer(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
) -> QueryResult<Option<OfferRow>> {
    offers::table
        .filter(offers::workspace_id.eq(workspace_id))
        .filter(offers::id.eq(id))
        .filter(offers::deleted_at.is_null())
        .select(OfferRow::as_select())
        .get_result(conn)
        .optional()
}

/// Writes `row` when the stored version is still `expected_version` (rows changed: 0 or 1).
pub fn update_offer(
    conn: &mut DbConn,
    row: &OfferRow,
    expected_version: i64,
) -> QueryResult<usize> {
    diesel::update(
        offers::table
            .filter(offers::workspace_id.eq(&row.workspace_id))
            .filter(offers::id.eq(&row.id))
            .filter(offers::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)
}

/// Live offers by id, after `after`.
pub fn list_offers(
    conn: &mut DbConn,
    workspace_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<OfferRow>> {
    let mut query = offers::table
        .filter(offers::workspace_id.eq(workspace_id))
        .filter(offers::deleted_at.is_null())
        .select(OfferRow::as_select())
        .order(offers::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(offers::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// Every live, active offer of the workspace (for the next best offer).
pub fn active_offers(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Vec<OfferRow>> {
    offers::table
        .filter(offers::workspace_id.eq(workspace_id))
        .filter(offers::deleted_at.is_null())
        .filter(offers::status.eq("active"))
        .select(OfferRow::as_select())
        .order(offers::id.asc())
        .load(conn)
}

/// The offers `ids` of the workspace (deleted ones too), locked until the transaction ends
/// on PostgreSQL (`SELECT … FOR UPDATE`, in id order so concurrent writers queue instead of
/// deadlocking); SQLite write transactions already run one at a time.
pub fn lock_offers(
    conn: &mut DbConn,
    workspace_id: &str,
    ids: &[String],
) -> QueryResult<Vec<OfferRow>> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    macro_rules! query {
        () => {
            offers::table
                .filter(offers::workspace_id.eq(workspace_id))
                .filter(offers::id.eq_any(&ids))
                .select(OfferRow::as_select())
                .order(offers::id.asc())
        };
    }
    match conn {
        DbConn::Pg(c) => query!().for_update().load(c),
        DbConn::Sqlite(c) => query!().load(c),
    }
}

/// Whether redeeming the offer needs its row locked while deciding: a total cap, a budget or
/// a cap per customer is checked against counts that concurrent redemptions move.
pub fn needs_lock(offer: &OfferRow) -> bool {
    offer.total_cap.is_some() || offer.budget.is_some() || offer.per_customer_cap.is_some()
}

/// Moves an offer's redemption counters by `redemptions` and `spent` (negative for a
/// refund), relative to what is stored, so a writer that did not lock the offer adds to what
/// concurrent writers committed. With `only_uncapped`, the update applies only while the
/// offer still has no cap nor budget (see [`needs_lock`]); rows changed: 0 or 1.
pub fn move_counters(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    redemptions: i64,
    spent: i64,
    only_uncapped: bool,
) -> QueryResult<usize> {
    let set = (
        offers::redemptions.eq(offers::redemptions + redemptions),
        offers::spent.eq(offers::spent + spent),
    );
    let target = offers::table
        .filter(offers::workspace_id.eq(workspace_id))
        .filter(offers::id.eq(id));
    if only_uncapped {
        diesel::update(
            target
                .filter(offers::total_cap.is_null())
                .filter(offers::budget.is_null())
                .filter(offers::per_customer_cap.is_null()),
        )
        .set(set)
        .execute(conn)
    } else {
        diesel::update(target).set(set).execute(conn)
    }
}

/// Sets an offer's counters (under its lock).
pub fn set_counters(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    issued: i64,
    redemptions: i64,
    spent: i64,
) -> QueryResult<usize> {
    diesel::update(
        offers::table
            .filter(offers::workspace_id.eq(workspace_id))
            .filter(offers::id.eq(id)),
    )
    .set((
        offers::issued.eq(issued),
        offers::redemptions.eq(redemptions),
        offers::spent.eq(spent),
    ))
    .execute(conn)
}

// ---------------------------------------------------------------------------------------
// Vouchers

pub fn insert_vouchers(conn: &mut DbConn, rows: &[VoucherRow]) -> QueryResult<()> {
    for chunk in rows.chunks(500) {
        crate::per_backend!(&mut *conn, |c| diesel::insert_into(vouchers::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// History rows in bulk: one `INSERT … SELECT FROM UNNEST` per chunk on PostgreSQL (eight
/// arrays instead of a 500-row `VALUES` list of 4,000 parameters to bind; the database's own
/// time for a batch's 334 rows measured the same, about 4 ms), multi-row `VALUES` on SQLite.
pub fn insert_history(conn: &mut DbConn, rows: &[HistoryRow]) -> QueryResult<()> {
    match conn {
        DbConn::Pg(c) => {
            use diesel::sql_types::{Array, Nullable, Text, Timestamp};
            for chunk in rows.chunks(UNNEST_CHUNK) {
                let text = |f: fn(&HistoryRow) -> &String| chunk.iter().map(f).collect::<Vec<_>>();
                let optional =
                    |f: fn(&HistoryRow) -> Option<&String>| chunk.iter().map(f).collect::<Vec<_>>();
                diesel::sql_query(
                    "INSERT INTO voucher_history (id, voucher_id, workspace_id, from_state, \
                     to_state, order_id, reason, at) SELECT * FROM UNNEST($1::text[], \
                     $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], \
                     $8::timestamp[])",
                )
                .bind::<Array<Text>, _>(text(|r| &r.id))
                .bind::<Array<Text>, _>(text(|r| &r.voucher_id))
                .bind::<Array<Text>, _>(text(|r| &r.workspace_id))
                .bind::<Array<Nullable<Text>>, _>(optional(|r| r.from_state.as_ref()))
                .bind::<Array<Text>, _>(text(|r| &r.to_state))
                .bind::<Array<Nullable<Text>>, _>(optional(|r| r.order_id.as_ref()))
                .bind::<Array<Nullable<Text>>, _>(optional(|r| r.reason.as_ref()))
                .bind::<Array<Timestamp>, _>(chunk.iter().map(|r| r.at).collect::<Vec<_>>())
                .execute(c)?;
            }
        }
        DbConn::Sqlite(c) => {
            for chunk in rows.chunks(500) {
                diesel::insert_into(voucher_history::table)
                    .values(chunk)
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

/// The workspace's vouchers with these codes; locked (in code order) on PostgreSQL when
/// `lock` is set.
pub fn vouchers_by_codes(
    conn: &mut DbConn,
    workspace_id: &str,
    codes: &[String],
    lock: bool,
) -> QueryResult<Vec<VoucherRow>> {
    let mut codes = codes.to_vec();
    codes.sort();
    codes.dedup();
    macro_rules! query {
        () => {
            vouchers::table
                .filter(vouchers::workspace_id.eq(workspace_id))
                .filter(vouchers::code.eq_any(&codes))
                .select(VoucherRow::as_select())
                .order(vouchers::code.asc())
        };
    }
    match conn {
        DbConn::Pg(c) => by_key_probes(c, |c| {
            if lock {
                query!().for_update().load(c)
            } else {
                query!().load(c)
            }
        }),
        other => query!().load(other),
    }
}

/// Runs `f`, whose statements touch only rows named by their keys (an order batch's voucher
/// codes, the ids of the vouchers it redeems), with PostgreSQL told to reach them through
/// those keys' indexes: no sequential scan, hash or merge join. Its default costs
/// (`random_page_cost` 4) price a few hundred index probes above a scan of a table of tens
/// of thousands of vouchers, and without statistics (a table just filled by issuing to a
/// segment) it read a batch's codes through `vouchers_by_account`, the workspace's every
/// voucher. Measured on 24,000 vouchers, 334 codes a batch: the locking read 6.5-21 ms -> 2.3-2.9
/// ms, the redemptions' update 27-43 ms -> 13-16 ms (BENCHMARKS.md). Set back after it: the
/// rest of the caller's transaction plans as usual (on an error the transaction is over).
fn by_key_probes<T>(
    c: &mut diesel::PgConnection,
    f: impl FnOnce(&mut diesel::PgConnection) -> QueryResult<T>,
) -> QueryResult<T> {
    diesel::sql_query(
        "SELECT set_config('enable_seqscan', 'off', true), \
         set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)",
    )
    .execute(c)?;
    let out = f(c)?;
    diesel::sql_query(
        "SELECT set_config('enable_seqscan', 'on', true), \
         set_config('enable_hashjoin', 'on', true), set_config('enable_mergejoin', 'on', true)",
    )
    .execute(c)?;
    Ok(out)
}

/// One voucher of the workspace by its code.
pub fn voucher_by_code(
    conn: &mut DbConn,
    workspace_id: &str,
    code: &str,
) -> QueryResult<Option<VoucherRow>> {
    vouchers::table
        .filter(vouchers::workspace_id.eq(workspace_id))
        .filter(vouchers::code.eq(code))
        .select(VoucherRow::as_select())
        .get_result(conn)
        .optional()
}

/// Writes `row` when the stored version is still `expected_version` (rows changed: 0 or 1).
pub fn update_voucher(
    conn: &mut DbConn,
    row: &VoucherRow,
    expected_version: i64,
) -> QueryResult<usize> {
    diesel::update(
        vouchers::table
            .filter(vouchers::workspace_id.eq(&row.workspace_id))
            .filter(vouchers::id.eq(&row.id))
            .filter(vouchers::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)
}

/// Rows per `UNNEST` statement on PostgreSQL.
const UNNEST_CHUNK: usize = 5000;

/// Writes the redemption fields (state, order, discount, cost, bonus points, times, version)
/// of each of `rows` when its stored version is still one less than the row's: one
/// `UPDATE … FROM UNNEST` per chunk on PostgreSQL, one statement per row on SQLite. Returns
/// the rows changed (all of them unless one changed meanwhile).
pub fn write_redemptions(conn: &mut DbConn, rows: &[VoucherRow]) -> QueryResult<usize> {
    match conn {
        DbConn::Pg(c) => by_key_probes(c, |c| {
            use diesel::sql_types::{Array, BigInt, Nullable, Text, Timestamp};
            let mut changed = 0;
            for chunk in rows.chunks(UNNEST_CHUNK) {
                changed += diesel::sql_query(
                    "UPDATE vouchers AS v SET state = u.state, order_id = u.order_id, \
                     discount = u.discount, discount_currency = u.discount_currency, \
                     cost = u.cost, bonus_points = u.bonus_points, redeemed_at = u.redeemed_at, \
                     version = u.version, updated_at = u.updated_at \
                     FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], \
                     $6::text[], $7::int8[], $8::int8[], $9::timestamp[], $10::int8[], \
                     $11::timestamp[]) AS u(workspace_id, id, state, order_id, discount, \
                     discount_currency, cost, bonus_points, redeemed_at, version, updated_at) \
                     WHERE v.workspace_id = u.workspace_id AND v.id = u.id \
                     AND v.version = u.version - 1",
                )
                .bind::<Array<Text>, _>(chunk.iter().map(|r| &r.workspace_id).collect::<Vec<_>>())
                .bind::<Array<Text>, _>(chunk.iter().map(|r| &r.id).collect::<Vec<_>>())
                .bind::<Array<Text>, _>(chunk.iter().map(|r| &r.state).collect::<Vec<_>>())
                .bind::<Array<Nullable<Text>>, _>(
                    chunk
                        .iter()
                        .map(|r| r.order_id.as_ref())
                        .collect::<Vec<_>>(),
                )
                .bind::<Array<BigInt>, _>(chunk.iter().map(|r| r.discount).collect::<Vec<_>>())
                .bind::<Array<Nullable<Text>>, _>(
                    chunk
                        .iter()
                        .map(|r| r.discount_currency.as_ref())
                        .collect::<Vec<_>>(),
                )
                .bind::<Array<BigInt>, _>(chunk.iter().map(|r| r.cost).collect::<Vec<_>>())
                .bind::<Array<BigInt>, _>(chunk.iter().map(|r| r.bonus_points).collect::<Vec<_>>())
                .bind::<Array<Nullable<Timestamp>>, _>(
                    chunk.iter().map(|r| r.redeemed_at).collect::<Vec<_>>(),
                )
                .bind::<Array<BigInt>, _>(chunk.iter().map(|r| r.version).collect::<Vec<_>>())
                .bind::<Array<Timestamp>, _>(chunk.iter().map(|r| r.updated_at).collect::<Vec<_>>())
                .execute(c)?;
            }
            Ok(changed)
        }),
        DbConn::Sqlite(_) => {
            let mut changed = 0;
            for row in rows {
                changed += update_voucher(conn, row, row.version - 1)?;
            }
            Ok(changed)
        }
    }
}

/// Redeemed vouchers of these offers per (offer, account), among `accounts`.
pub fn redeemed_counts(
    conn: &mut DbConn,
    workspace_id: &str,
    offer_ids: &[String],
    accounts: &[String],
) -> QueryResult<Vec<(String, String, i64)>> {
    vouchers::table
        .filter(vouchers::workspace_id.eq(workspace_id))
        .filter(vouchers::offer_id.eq_any(offer_ids))
        .filter(vouchers::account_id.eq_any(accounts))
        .filter(vouchers::state.eq("redeemed"))
        .group_by((vouchers::offer_id, vouchers::account_id))
        .select((vouchers::offer_id, vouchers::account_id, count_star()))
        .load(conn)
}

/// Accounts among `accounts` holding an open voucher of the offer.
pub fn open_holders(
    conn: &mut DbConn,
    workspace_id: &str,
    offer_id: &str,
    accounts: &[String],
) -> QueryResult<Vec<String>> {
    vouchers::table
        .filter(vouchers::workspace_id.eq(workspace_id))
        .filter(vouchers::offer_id.eq(offer_id))
        .filter(vouchers::account_id.eq_any(accounts))
        .filter(vouchers::state.eq_any(OPEN_STATES))
        .select(vouchers::account_id)
        .distinct()
        .load(conn)
}

/// An account's vouchers by id after `after`; only open ones (still valid at `open_at`)
/// when that is given.
pub fn vouchers_of_account(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    open_at: Option<NaiveDateTime>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<VoucherRow>> {
    let mut query = vouchers::table
        .filter(vouchers::workspace_id.eq(workspace_id))
        .filter(vouchers::account_id.eq(account_id))
        .select(VoucherRow::as_select())
        .order(vouchers::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(at) = open_at {
        query = query.filter(vouchers::state.eq_any(OPEN_STATES)).filter(
            vouchers::valid_until
                .is_null()
                .or(vouchers::valid_until.gt(at)),
        );
    }
    if let Some(after) = after {
        query = query.filter(vouchers::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// The vouchers an order redeemed.
pub fn vouchers_of_order(
    conn: &mut DbConn,
    workspace_id: &str,
    order_id: &str,
) -> QueryResult<Vec<VoucherRow>> {
    vouchers::table
        .filter(vouchers::workspace_id.eq(workspace_id))
        .filter(vouchers::order_id.eq(order_id))
        .select(VoucherRow::as_select())
        .order(vouchers::code.asc())
        .load(conn)
}

/// A voucher's history, oldest first.
pub fn history_of(conn: &mut DbConn, voucher_id: &str) -> QueryResult<Vec<HistoryRow>> {
    voucher_history::table
        .filter(voucher_history::voucher_id.eq(voucher_id))
        .select(HistoryRow::as_select())
        .order((voucher_history::at.asc(), voucher_history::id.asc()))
        .load(conn)
}

/// Open vouchers (any workspace) whose validity ended by `at`, up to `limit`.
pub fn past_validity(
    conn: &mut DbConn,
    at: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<VoucherRow>> {
    vouchers::table
        .filter(vouchers::state.eq_any(OPEN_STATES))
        .filter(vouchers::valid_until.le(at))
        .select(VoucherRow::as_select())
        .order(vouchers::valid_until.asc())
        .limit(limit)
        .load(conn)
}

/// Open vouchers (any workspace) ending in `(at, until]` not yet announced, up to `limit`.
pub fn to_announce(
    conn: &mut DbConn,
    at: NaiveDateTime,
    until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<VoucherRow>> {
    vouchers::table
        .filter(vouchers::state.eq_any(OPEN_STATES))
        .filter(vouchers::valid_until.gt(at))
        .filter(vouchers::valid_until.le(until))
        .filter(vouchers::expiring_announced_at.is_null())
        .select(VoucherRow::as_select())
        .order(vouchers::valid_until.asc())
        .limit(limit)
        .load(conn)
}

/// Moves an open voucher to `to_state` when it is still open (rows changed: 0 or 1): the
/// conditional write concurrent jobs and cancels rely on.
pub fn close_open(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    to_state: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        vouchers::table
            .filter(vouchers::workspace_id.eq(workspace_id))
            .filter(vouchers::id.eq(id))
            .filter(vouchers::state.eq_any(OPEN_STATES)),
    )
    .set((
        vouchers::state.eq(to_state),
        vouchers::version.eq(vouchers::version + 1),
        vouchers::updated_at.eq(at),
    ))
    .execute(conn)
}

/// Marks an open voucher's `offer.expiring` notice sent (rows changed: 0 or 1).
pub fn mark_announced(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        vouchers::table
            .filter(vouchers::workspace_id.eq(workspace_id))
            .filter(vouchers::id.eq(id))
            .filter(vouchers::expiring_announced_at.is_null()),
    )
    .set(vouchers::expiring_announced_at.eq(Some(at)))
    .execute(conn)
}

/// The offers `ids` of the workspace (deleted ones too), without locking.
pub fn offers_by_ids(
    conn: &mut DbConn,
    workspace_id: &str,
    ids: &[String],
) -> QueryResult<Vec<OfferRow>> {
    offers::table
        .filter(offers::workspace_id.eq(workspace_id))
        .filter(offers::id.eq_any(ids))
        .select(OfferRow::as_select())
        .order(offers::id.asc())
        .load(conn)
}

/// Records the bonus points a redemption gave.
pub fn set_bonus(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    points: i64,
) -> QueryResult<usize> {
    diesel::update(
        vouchers::table
            .filter(vouchers::workspace_id.eq(workspace_id))
            .filter(vouchers::id.eq(id)),
    )
    .set(vouchers::bonus_points.eq(points))
    .execute(conn)
}
