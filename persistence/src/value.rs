//! Customer value: the workspace's value settings, per-day purchase summaries, per-account
//! metrics (with the stored RFM scores), fitted models, and job leases.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{
    account_metrics, account_purchase_days, accounts, job_leases, value_models,
    workspace_value_settings,
};

/// `INSERT .. ON CONFLICT (target) DO UPDATE SET ..` of `rows` on SQLite, one statement per
/// row (Diesel builds no multi-row upsert there; a statement costs microseconds in-process,
/// no round trip). PostgreSQL gets one `INSERT … SELECT FROM UNNEST` of one array per column
/// instead (see the callers): a dozen bound values whatever the number of rows.
macro_rules! sqlite_upsert_rows {
    ($conn:expr, $rows:expr, $table:expr, $target:expr, $set:expr) => {
        for row in $rows {
            diesel::insert_into($table)
                .values(row)
                .on_conflict($target)
                .do_update()
                .set($set)
                .execute($conn)?;
        }
    };
}

/// Rows per `UNNEST` statement on PostgreSQL.
const UNNEST_CHUNK: usize = 5000;

/// Rows per multi-row `VALUES` statement on SQLite. Diesel prepares a raw SQL statement anew
/// each time it runs, so one statement per row spent most of a batch in SQLite's parser.
const SQLITE_CHUNK: usize = 100;

/// `(?, …), (?, …)…`: `rows` groups of `columns` placeholders.
fn sqlite_values(rows: usize, columns: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    vec![row.as_str(); rows].join(", ")
}

// ---------------------------------------------------------------------------------------
// Settings

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = workspace_value_settings)]
pub struct ValueSettingsRow {
    pub workspace_id: String,
    pub reporting_currency: String,
    /// JSON object: currency code -> decimal string (units of reporting currency per unit).
    pub exchange_rates: String,
    pub default_margin_percent: f64,
    pub monthly_discount_rate: f64,
    /// JSON object `{"watch","at_risk","lost"}`.
    pub risk_thresholds: String,
    pub version: i64,
    pub updated_at: NaiveDateTime,
    /// `bg-nbd`, `mbg-nbd`, `pareto-nbd` or `auto`.
    pub purchase_model: String,
    /// JSON object `{"interaction_costs": {type: minor units}, "complaint_cost": minor units}`.
    pub cost_to_serve: String,
}

pub fn find_settings(
    conn: &mut DbConn,
    workspace_id: &str,
) -> QueryResult<Option<ValueSettingsRow>> {
    workspace_value_settings::table
        .find(workspace_id)
        .select(ValueSettingsRow::as_select())
        .get_result(conn)
        .optional()
}

/// Inserts the settings, or overwrites them when the stored version is `expected_version`;
/// returns rows changed (0 = changed meanwhile).
pub fn save_settings(
    conn: &mut DbConn,
    row: &ValueSettingsRow,
    expected_version: Option<i64>,
) -> QueryResult<usize> {
    match expected_version {
        None => diesel::insert_into(workspace_value_settings::table)
            .values(row)
            .execute(conn),
        Some(v) => diesel::update(
            workspace_value_settings::table
                .filter(workspace_value_settings::workspace_id.eq(&row.workspace_id))
                .filter(workspace_value_settings::version.eq(v)),
        )
        .set(row)
        .execute(conn),
    }
}

// ---------------------------------------------------------------------------------------
// Purchase days

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = account_purchase_days)]
pub struct PurchaseDayRow {
    pub workspace_id: String,
    pub account_id: String,
    pub day: i32,
    pub orders: i32,
    pub revenue: i64,
    pub costed_revenue: i64,
    pub cost: i64,
    pub first_at: NaiveDateTime,
    pub last_at: NaiveDateTime,
}

/// An (account, day) as a day upsert left it: `orders` is the day's count afterwards, so a
/// row whose count equals what the upsert added is a day the account did not have before.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
#[diesel(table_name = account_purchase_days)]
pub struct DayAfter {
    pub account_id: String,
    pub day: i32,
    pub orders: i32,
}

/// What the day upserts return.
const DAY_AFTER: &str = "RETURNING account_id, day, orders";

/// Inserts day rows on PostgreSQL with one `INSERT … SELECT FROM UNNEST` per chunk, `set`
/// being what a conflict on (account, day) updates.
fn pg_upsert_days(
    c: &mut diesel::PgConnection,
    rows: &[PurchaseDayRow],
    set: &str,
) -> QueryResult<Vec<DayAfter>> {
    use diesel::sql_types::{Array, BigInt, Integer, Text, Timestamp};
    let mut after = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(UNNEST_CHUNK) {
        let query = diesel::sql_query(format!(
            "INSERT INTO account_purchase_days (workspace_id, account_id, day, orders, \
             revenue, costed_revenue, cost, first_at, last_at) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::int4[], $4::int4[], \
             $5::int8[], $6::int8[], $7::int8[], $8::timestamp[], $9::timestamp[]) \
             ON CONFLICT (account_id, day) DO UPDATE SET {set} {DAY_AFTER}"
        ))
        .bind::<Array<Text>, _>(chunk.iter().map(|r| &r.workspace_id).collect::<Vec<_>>())
        .bind::<Array<Text>, _>(chunk.iter().map(|r| &r.account_id).collect::<Vec<_>>())
        .bind::<Array<Integer>, _>(chunk.iter().map(|r| r.day).collect::<Vec<_>>())
        .bind::<Array<Integer>, _>(chunk.iter().map(|r| r.orders).collect::<Vec<_>>())
        .bind::<Array<BigInt>, _>(chunk.iter().map(|r| r.revenue).collect::<Vec<_>>())
        .bind::<Array<BigInt>, _>(chunk.iter().map(|r| r.costed_revenue).collect::<Vec<_>>())
        .bind::<Array<BigInt>, _>(chunk.iter().map(|r| r.cost).collect::<Vec<_>>())
        .bind::<Array<Timestamp>, _>(chunk.iter().map(|r| r.first_at).collect::<Vec<_>>())
        .bind::<Array<Timestamp>, _>(chunk.iter().map(|r| r.last_at).collect::<Vec<_>>());
        after.extend(query.load::<DayAfter>(c)?);
    }
    Ok(after)
}

/// Writes these day rows over whatever was stored for the same (account, day).
pub fn upsert_days(conn: &mut DbConn, rows: &[PurchaseDayRow]) -> QueryResult<()> {
    use account_purchase_days::dsl as d;
    use diesel::upsert::excluded;
    match conn {
        DbConn::Pg(c) => {
            pg_upsert_days(
                c,
                rows,
                "orders = excluded.orders, revenue = excluded.revenue, \
                 costed_revenue = excluded.costed_revenue, cost = excluded.cost, \
                 first_at = excluded.first_at, last_at = excluded.last_at",
            )?;
        }
        DbConn::Sqlite(c) => {
            sqlite_upsert_rows!(
                c,
                rows,
                d::account_purchase_days,
                (d::account_id, d::day),
                (
                    d::orders.eq(excluded(d::orders)),
                    d::revenue.eq(excluded(d::revenue)),
                    d::costed_revenue.eq(excluded(d::costed_revenue)),
                    d::cost.eq(excluded(d::cost)),
                    d::first_at.eq(excluded(d::first_at)),
                    d::last_at.eq(excluded(d::last_at)),
                )
            );
        }
    }
    Ok(())
}

/// Adds these day rows (the totals of new orders) to what is stored for the same
/// (account, day): counts and sums add up, the first and last order times widen. The
/// conflict update works on the committed row, so concurrent batches on one day all count.
/// Rows go in the order given; callers sort them by (account, day) so that concurrent
/// writers lock day rows in one order. Returns each day as the addition left it.
pub fn add_days(conn: &mut DbConn, rows: &[PurchaseDayRow]) -> QueryResult<Vec<DayAfter>> {
    use diesel::sql_types::{BigInt, Integer, Text, Timestamp};
    const SET: &str = "orders = account_purchase_days.orders + excluded.orders, \
        revenue = account_purchase_days.revenue + excluded.revenue, \
        costed_revenue = account_purchase_days.costed_revenue + excluded.costed_revenue, \
        cost = account_purchase_days.cost + excluded.cost";
    match conn {
        DbConn::Pg(c) => pg_upsert_days(
            c,
            rows,
            &format!(
                "{SET}, first_at = LEAST(account_purchase_days.first_at, excluded.first_at), \
                 last_at = GREATEST(account_purchase_days.last_at, excluded.last_at)"
            ),
        ),
        DbConn::Sqlite(c) => {
            let mut after = Vec::with_capacity(rows.len());
            for chunk in rows.chunks(SQLITE_CHUNK) {
                let sql = format!(
                    "INSERT INTO account_purchase_days (workspace_id, account_id, day, orders, \
                     revenue, costed_revenue, cost, first_at, last_at) VALUES {} \
                     ON CONFLICT (account_id, day) DO UPDATE SET {SET}, \
                     first_at = MIN(account_purchase_days.first_at, excluded.first_at), \
                     last_at = MAX(account_purchase_days.last_at, excluded.last_at) {DAY_AFTER}",
                    sqlite_values(chunk.len(), 9)
                );
                let mut query = diesel::sql_query(sql).into_boxed::<diesel::sqlite::Sqlite>();
                for r in chunk {
                    query = query
                        .bind::<Text, _>(&r.workspace_id)
                        .bind::<Text, _>(&r.account_id)
                        .bind::<Integer, _>(r.day)
                        .bind::<Integer, _>(r.orders)
                        .bind::<BigInt, _>(r.revenue)
                        .bind::<BigInt, _>(r.costed_revenue)
                        .bind::<BigInt, _>(r.cost)
                        .bind::<Timestamp, _>(r.first_at)
                        .bind::<Timestamp, _>(r.last_at);
                }
                after.extend(query.load::<DayAfter>(c)?);
            }
            Ok(after)
        }
    }
}

/// Locks one (account, day) row, when stored, until the transaction ends, so that a
/// recomputation from the day's orders sees every order a concurrent writer added to it.
/// PostgreSQL only: SQLite write transactions already run one at a time.
pub fn lock_day(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    day: i32,
) -> QueryResult<()> {
    if let DbConn::Pg(c) = conn {
        account_purchase_days::table
            .filter(account_purchase_days::workspace_id.eq(workspace_id))
            .filter(account_purchase_days::account_id.eq(account_id))
            .filter(account_purchase_days::day.eq(day))
            .select(account_purchase_days::day)
            .for_update()
            .load::<i32>(c)?;
    }
    Ok(())
}

/// Locks the metrics rows of these accounts until the transaction ends, in account id order.
/// A writer that recomputes metrics from the purchase days (a refund) takes it before
/// reading, so that it reads after every batch that already added to these rows has
/// committed, and batches that add later wait for it (their additive upsert then applies to
/// what it wrote). PostgreSQL only: SQLite write
/// transactions already run one at a time.
pub fn lock_metrics_of(
    conn: &mut DbConn,
    workspace_id: &str,
    account_ids: &[&str],
) -> QueryResult<()> {
    if let DbConn::Pg(c) = conn {
        let mut sorted = account_ids.to_vec();
        sorted.sort_unstable();
        for chunk in sorted.chunks(UNNEST_CHUNK) {
            // A joined UNNEST, not `account_id = ANY($2)`: see `orders::live_accounts`.
            diesel::sql_query(
                "SELECT m.account_id FROM UNNEST($2::text[]) AS t(id) \
                 JOIN account_metrics m ON m.account_id = t.id \
                 WHERE m.workspace_id = $1 ORDER BY m.account_id FOR UPDATE OF m",
            )
            .bind::<diesel::sql_types::Text, _>(workspace_id)
            .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(chunk)
            .execute(c)?;
        }
    }
    Ok(())
}

/// Removes an account's day (no order of that day counts any more).
pub fn delete_day(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    day: i32,
) -> QueryResult<usize> {
    diesel::delete(
        account_purchase_days::table
            .filter(account_purchase_days::workspace_id.eq(workspace_id))
            .filter(account_purchase_days::account_id.eq(account_id))
            .filter(account_purchase_days::day.eq(day)),
    )
    .execute(conn)
}

/// A purchase day as backtests read it: `(account_id, day, first_at, revenue)`.
pub type DayFacts = (String, i32, NaiveDateTime, i64);

/// Every purchase day of the workspace's live accounts, by account then day.
pub fn all_days(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Vec<DayFacts>> {
    account_purchase_days::table
        .inner_join(accounts::table.on(accounts::id.eq(account_purchase_days::account_id)))
        .filter(account_purchase_days::workspace_id.eq(workspace_id))
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(accounts::deleted_at.is_null())
        .order((
            account_purchase_days::account_id.asc(),
            account_purchase_days::day.asc(),
        ))
        .select((
            account_purchase_days::account_id,
            account_purchase_days::day,
            account_purchase_days::first_at,
            account_purchase_days::revenue,
        ))
        .load(conn)
}

/// Every purchase day of the workspace's live accounts (whole rows), by account then day.
pub fn all_day_rows(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Vec<PurchaseDayRow>> {
    account_purchase_days::table
        .inner_join(accounts::table.on(accounts::id.eq(account_purchase_days::account_id)))
        .filter(account_purchase_days::workspace_id.eq(workspace_id))
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(accounts::deleted_at.is_null())
        .order((
            account_purchase_days::account_id.asc(),
            account_purchase_days::day.asc(),
        ))
        .select(PurchaseDayRow::as_select())
        .load(conn)
}

/// Every purchase day of the given accounts.
pub fn days_of(
    conn: &mut DbConn,
    workspace_id: &str,
    account_ids: &[&str],
) -> QueryResult<Vec<PurchaseDayRow>> {
    let mut found = Vec::new();
    for chunk in account_ids.chunks(1000) {
        found.extend(
            account_purchase_days::table
                .filter(account_purchase_days::workspace_id.eq(workspace_id))
                .filter(account_purchase_days::account_id.eq_any(chunk))
                .select(PurchaseDayRow::as_select())
                .load(conn)?,
        );
    }
    Ok(found)
}

// ---------------------------------------------------------------------------------------
// Metrics

#[derive(
    Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable, Insertable, AsChangeset,
)]
#[diesel(table_name = account_metrics)]
#[diesel(treat_none_as_null = true)]
pub struct MetricsRow {
    pub account_id: String,
    pub workspace_id: String,
    pub orders_count: i64,
    pub revenue: i64,
    pub costed_revenue: i64,
    pub cost: i64,
    pub first_order_at: Option<NaiveDateTime>,
    pub last_order_at: Option<NaiveDateTime>,
    pub first_day: Option<i32>,
    pub last_day: Option<i32>,
    pub repeat_purchases: i64,
    pub repeat_revenue: i64,
    pub rfm_r: Option<i32>,
    pub rfm_f: Option<i32>,
    pub rfm_m: Option<i32>,
    pub rfm_segment: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// The columns of `account_metrics`, in the order the upserts below bind them.
const METRICS_COLUMNS: [&str; 17] = [
    "account_id",
    "workspace_id",
    "orders_count",
    "revenue",
    "costed_revenue",
    "cost",
    "first_order_at",
    "last_order_at",
    "first_day",
    "last_day",
    "repeat_purchases",
    "repeat_revenue",
    "rfm_r",
    "rfm_f",
    "rfm_m",
    "rfm_segment",
    "updated_at",
];

/// Writes these metrics rows over the stored ones.
pub fn upsert_metrics(conn: &mut DbConn, rows: &[MetricsRow]) -> QueryResult<()> {
    let set = METRICS_COLUMNS[2..]
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    upsert_metrics_with(conn, rows, &set).map(|_| ())
}

/// Adds these rows (each the metrics of a batch's new orders alone, see below) to the
/// stored metrics of their accounts, and returns the rows as they are afterwards. Like the
/// purchase days, the conflict update works on the committed row, so batches that add to
/// one account at once all count, and none waits for another before this statement.
///
/// A row's `repeat_purchases` must be the number of purchase days the batch created for the
/// account (see [`DayAfter`]) less one, and its `repeat_revenue` its revenue less that of its
/// first day: on a new account that is exactly the account's metrics. On an account with
/// purchases, counts and sums add up, first and last times widen, the new days add to the
/// repeat purchases, and the repeat revenue follows from which first day is the earlier.
/// Rows go in account order, so concurrent writers lock metrics rows in one order.
pub fn add_to_metrics(conn: &mut DbConn, rows: &[MetricsRow]) -> QueryResult<Vec<MetricsRow>> {
    let (least, greatest) = match conn {
        DbConn::Pg(_) => ("LEAST", "GREATEST"),
        DbConn::Sqlite(_) => ("MIN", "MAX"),
    };
    let set = format!(
        "orders_count = m.orders_count + excluded.orders_count, \
         revenue = m.revenue + excluded.revenue, \
         costed_revenue = m.costed_revenue + excluded.costed_revenue, \
         cost = m.cost + excluded.cost, \
         first_order_at = {least}(COALESCE(m.first_order_at, excluded.first_order_at), excluded.first_order_at), \
         last_order_at = {greatest}(COALESCE(m.last_order_at, excluded.last_order_at), excluded.last_order_at), \
         first_day = {least}(COALESCE(m.first_day, excluded.first_day), excluded.first_day), \
         last_day = {greatest}(COALESCE(m.last_day, excluded.last_day), excluded.last_day), \
         repeat_purchases = CASE WHEN m.first_day IS NULL THEN excluded.repeat_purchases \
             ELSE m.repeat_purchases + excluded.repeat_purchases + 1 END, \
         repeat_revenue = CASE WHEN m.first_day IS NULL THEN excluded.repeat_revenue \
             WHEN excluded.first_day < m.first_day THEN m.revenue + excluded.repeat_revenue \
             WHEN excluded.first_day = m.first_day THEN m.repeat_revenue + excluded.repeat_revenue \
             ELSE m.repeat_revenue + excluded.revenue END, \
         updated_at = excluded.updated_at"
    );
    upsert_metrics_with(conn, rows, &set)
}

/// `INSERT INTO account_metrics AS m … ON CONFLICT (account_id) DO UPDATE SET {set}
/// RETURNING *`: one `UNNEST` per chunk on PostgreSQL, one statement per row on SQLite.
fn upsert_metrics_with(
    conn: &mut DbConn,
    rows: &[MetricsRow],
    set: &str,
) -> QueryResult<Vec<MetricsRow>> {
    use diesel::sql_types::{Array, BigInt, Integer, Nullable, Text, Timestamp};
    let columns = METRICS_COLUMNS.join(", ");
    let tail = format!("ON CONFLICT (account_id) DO UPDATE SET {set} RETURNING *");
    let mut after = Vec::with_capacity(rows.len());
    match conn {
        DbConn::Pg(c) => {
            let sql = format!(
                "INSERT INTO account_metrics AS m ({columns}) \
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::int8[], $4::int8[], \
                 $5::int8[], $6::int8[], $7::timestamp[], $8::timestamp[], $9::int4[], \
                 $10::int4[], $11::int8[], $12::int8[], $13::int4[], $14::int4[], \
                 $15::int4[], $16::text[], $17::timestamp[]) {tail}"
            );
            for chunk in rows.chunks(UNNEST_CHUNK) {
                let big = |f: fn(&MetricsRow) -> i64| chunk.iter().map(f).collect::<Vec<_>>();
                let int =
                    |f: fn(&MetricsRow) -> Option<i32>| chunk.iter().map(f).collect::<Vec<_>>();
                let at = |f: fn(&MetricsRow) -> Option<NaiveDateTime>| {
                    chunk.iter().map(f).collect::<Vec<_>>()
                };
                let query = diesel::sql_query(&sql)
                    .bind::<Array<Text>, _>(chunk.iter().map(|r| &r.account_id).collect::<Vec<_>>())
                    .bind::<Array<Text>, _>(
                        chunk.iter().map(|r| &r.workspace_id).collect::<Vec<_>>(),
                    )
                    .bind::<Array<BigInt>, _>(big(|r| r.orders_count))
                    .bind::<Array<BigInt>, _>(big(|r| r.revenue))
                    .bind::<Array<BigInt>, _>(big(|r| r.costed_revenue))
                    .bind::<Array<BigInt>, _>(big(|r| r.cost))
                    .bind::<Array<Nullable<Timestamp>>, _>(at(|r| r.first_order_at))
                    .bind::<Array<Nullable<Timestamp>>, _>(at(|r| r.last_order_at))
                    .bind::<Array<Nullable<Integer>>, _>(int(|r| r.first_day))
                    .bind::<Array<Nullable<Integer>>, _>(int(|r| r.last_day))
                    .bind::<Array<BigInt>, _>(big(|r| r.repeat_purchases))
                    .bind::<Array<BigInt>, _>(big(|r| r.repeat_revenue))
                    .bind::<Array<Nullable<Integer>>, _>(int(|r| r.rfm_r))
                    .bind::<Array<Nullable<Integer>>, _>(int(|r| r.rfm_f))
                    .bind::<Array<Nullable<Integer>>, _>(int(|r| r.rfm_m))
                    .bind::<Array<Nullable<Text>>, _>(
                        chunk
                            .iter()
                            .map(|r| r.rfm_segment.as_deref())
                            .collect::<Vec<_>>(),
                    )
                    .bind::<Array<Timestamp>, _>(
                        chunk.iter().map(|r| r.updated_at).collect::<Vec<_>>(),
                    );
                after.extend(query.load::<MetricsRow>(c)?);
            }
        }
        DbConn::Sqlite(c) => {
            for chunk in rows.chunks(SQLITE_CHUNK) {
                let sql = format!(
                    "INSERT INTO account_metrics AS m ({columns}) VALUES {} {tail}",
                    sqlite_values(chunk.len(), METRICS_COLUMNS.len())
                );
                let mut query = diesel::sql_query(sql).into_boxed::<diesel::sqlite::Sqlite>();
                for r in chunk {
                    query = query
                        .bind::<Text, _>(&r.account_id)
                        .bind::<Text, _>(&r.workspace_id)
                        .bind::<BigInt, _>(r.orders_count)
                        .bind::<BigInt, _>(r.revenue)
                        .bind::<BigInt, _>(r.costed_revenue)
                        .bind::<BigInt, _>(r.cost)
                        .bind::<Nullable<Timestamp>, _>(r.first_order_at)
                        .bind::<Nullable<Timestamp>, _>(r.last_order_at)
                        .bind::<Nullable<Integer>, _>(r.first_day)
                        .bind::<Nullable<Integer>, _>(r.last_day)
                        .bind::<BigInt, _>(r.repeat_purchases)
                        .bind::<BigInt, _>(r.repeat_revenue)
                        .bind::<Nullable<Integer>, _>(r.rfm_r)
                        .bind::<Nullable<Integer>, _>(r.rfm_f)
                        .bind::<Nullable<Integer>, _>(r.rfm_m)
                        .bind::<Nullable<Text>, _>(r.rfm_segment.as_deref())
                        .bind::<Timestamp, _>(r.updated_at);
                }
                after.extend(query.load::<MetricsRow>(c)?);
            }
        }
    }
    Ok(after)
}

/// An account's RFM scores and segment (all `None`: not scored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scores {
    pub account_id: String,
    pub r: Option<i32>,
    pub f: Option<i32>,
    pub m: Option<i32>,
    pub segment: Option<String>,
}

/// Sets the stored RFM scores of these accounts, and nothing else of their metrics.
pub fn set_scores(conn: &mut DbConn, workspace_id: &str, rows: &[Scores]) -> QueryResult<()> {
    use diesel::sql_types::{Array, Integer, Nullable, Text};
    match conn {
        DbConn::Pg(c) => {
            for chunk in rows.chunks(UNNEST_CHUNK) {
                let int = |f: fn(&Scores) -> Option<i32>| chunk.iter().map(f).collect::<Vec<_>>();
                diesel::sql_query(
                    "UPDATE account_metrics m SET rfm_r = t.r, rfm_f = t.f, rfm_m = t.m, \
                     rfm_segment = t.s \
                     FROM UNNEST($2::text[], $3::int4[], $4::int4[], $5::int4[], $6::text[]) \
                     AS t(id, r, f, m, s) \
                     WHERE m.account_id = t.id AND m.workspace_id = $1",
                )
                .bind::<Text, _>(workspace_id)
                .bind::<Array<Text>, _>(chunk.iter().map(|r| &r.account_id).collect::<Vec<_>>())
                .bind::<Array<Nullable<Integer>>, _>(int(|r| r.r))
                .bind::<Array<Nullable<Integer>>, _>(int(|r| r.f))
                .bind::<Array<Nullable<Integer>>, _>(int(|r| r.m))
                .bind::<Array<Nullable<Text>>, _>(
                    chunk
                        .iter()
                        .map(|r| r.segment.as_deref())
                        .collect::<Vec<_>>(),
                )
                .execute(c)?;
            }
        }
        DbConn::Sqlite(c) => {
            use account_metrics::dsl as m;
            for r in rows {
                diesel::update(
                    m::account_metrics
                        .filter(m::workspace_id.eq(workspace_id))
                        .filter(m::account_id.eq(&r.account_id)),
                )
                .set((
                    m::rfm_r.eq(r.r),
                    m::rfm_f.eq(r.f),
                    m::rfm_m.eq(r.m),
                    m::rfm_segment.eq(r.segment.as_deref()),
                ))
                .execute(c)?;
            }
        }
    }
    Ok(())
}

/// A live account's metrics.
pub fn find_metrics(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Option<MetricsRow>> {
    of_live_accounts!(account_metrics::table)
        .filter(account_metrics::workspace_id.eq(workspace_id))
        .filter(account_metrics::account_id.eq(account_id))
        .select(MetricsRow::as_select())
        .get_result(conn)
        .optional()
}

/// Metrics of the accounts whose ids lie in `first..=last`: one range of the
/// `(workspace_id, account_id)` index instead of a lookup per id, for a caller paging through
/// accounts in id order that keeps the rows of the accounts it has (a soft-deleted account's
/// row in the range is among those returned).
pub fn find_metrics_between(
    conn: &mut DbConn,
    workspace_id: &str,
    first: &str,
    last: &str,
) -> QueryResult<Vec<MetricsRow>> {
    account_metrics::table
        .filter(account_metrics::workspace_id.eq(workspace_id))
        .filter(account_metrics::account_id.ge(first))
        .filter(account_metrics::account_id.le(last))
        .select(MetricsRow::as_select())
        .load(conn)
}

/// Metrics of the live accounts among `ids` (for loaders).
pub fn find_metrics_many(
    conn: &mut DbConn,
    workspace_id: &str,
    ids: &[String],
) -> QueryResult<Vec<MetricsRow>> {
    of_live_accounts!(account_metrics::table)
        .filter(account_metrics::workspace_id.eq(workspace_id))
        .filter(account_metrics::account_id.eq_any(ids))
        .select(MetricsRow::as_select())
        .load(conn)
}

/// Metrics of every live account with at least one counted order.
pub fn all_buyers(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Vec<MetricsRow>> {
    of_live_accounts!(account_metrics::table)
        .filter(account_metrics::workspace_id.eq(workspace_id))
        .filter(account_metrics::orders_count.gt(0))
        .order(account_metrics::account_id.asc())
        .select(MetricsRow::as_select())
        .load(conn)
}

/// The metrics of every account with at least one counted order, locked until the transaction
/// ends (in account id order, on PostgreSQL) and read after the lock: the rows a model refit
/// rescores. Rows created after the lock are neither locked nor returned.
pub fn lock_buyers(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Vec<MetricsRow>> {
    let query = account_metrics::table
        .filter(account_metrics::workspace_id.eq(workspace_id))
        .filter(account_metrics::orders_count.gt(0))
        .order(account_metrics::account_id.asc());
    match conn {
        DbConn::Pg(c) => query.select(MetricsRow::as_select()).for_update().load(c),
        DbConn::Sqlite(c) => query.select(MetricsRow::as_select()).load(c),
    }
}

/// A segment code (`None`: not scored yet), its accounts and their revenue.
pub type SegmentTotal = (Option<String>, i64, Option<i64>);

/// `(segment, accounts, revenue)` over the workspace's live accounts with a stored score.
pub fn segment_totals(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Vec<SegmentTotal>> {
    use diesel::dsl::{count_star, sql};
    use diesel::sql_types::{BigInt, Nullable};
    of_live_accounts!(account_metrics::table)
        .filter(account_metrics::workspace_id.eq(workspace_id))
        .filter(account_metrics::orders_count.gt(0))
        .group_by(account_metrics::rfm_segment)
        .select((
            account_metrics::rfm_segment,
            count_star(),
            // Split so the sum overflows on neither backend (see `crate::sums`).
            sql::<Nullable<BigInt>>("CAST(SUM(account_metrics.revenue / 4294967296) AS BIGINT)"),
            sql::<Nullable<BigInt>>("CAST(SUM(account_metrics.revenue % 4294967296) AS BIGINT)"),
        ))
        .load::<(Option<String>, i64, Option<i64>, Option<i64>)>(conn)
        .map(|rows| {
            rows.into_iter()
                .map(|(segment, accounts, high, low)| {
                    let revenue = match (high, low) {
                        (Some(h), Some(l)) => Some(crate::sums::saturate(crate::sums::join(h, l))),
                        _ => None,
                    };
                    (segment, accounts, revenue)
                })
                .collect()
        })
}

/// One page of a segment's members (by account id) with their names, after `after`.
pub fn segment_members(
    conn: &mut DbConn,
    workspace_id: &str,
    segment: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<(MetricsRow, String)>> {
    let mut query = of_live_accounts!(account_metrics::table)
        .filter(account_metrics::workspace_id.eq(workspace_id))
        .filter(account_metrics::orders_count.gt(0))
        .filter(account_metrics::rfm_segment.eq(segment))
        .select((MetricsRow::as_select(), accounts::name))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(account_metrics::account_id.gt(after.to_owned()));
    }
    query
        .order(account_metrics::account_id.asc())
        .limit(limit)
        .load(conn)
}

/// Every live buyer's metrics with the account's name (for rankings).
pub fn all_buyers_named(
    conn: &mut DbConn,
    workspace_id: &str,
) -> QueryResult<Vec<(MetricsRow, String)>> {
    of_live_accounts!(account_metrics::table)
        .filter(account_metrics::workspace_id.eq(workspace_id))
        .filter(account_metrics::orders_count.gt(0))
        .select((MetricsRow::as_select(), accounts::name))
        .load(conn)
}

// ---------------------------------------------------------------------------------------
// Models

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = value_models)]
pub struct ModelRow {
    pub id: String,
    pub workspace_id: String,
    pub version: i64,
    pub as_of: NaiveDateTime,
    pub fitted_at: NaiveDateTime,
    pub customers: i64,
    /// JSON of the BG/NBD fit report, when it could be fitted.
    pub bgnbd: Option<String>,
    /// JSON of the Gamma-Gamma fit report, when it could be fitted.
    pub gamma_gamma: Option<String>,
    /// JSON of the RFM breakpoints, when there were buyers.
    pub rfm_breakpoints: Option<String>,
    /// JSON: what was fitted, what could not be and why, timings.
    pub report: String,
    /// JSON of the purchase model predictions use (parameters, fit, how it was chosen).
    pub purchase_model: Option<String>,
}

pub fn insert_model(conn: &mut DbConn, row: &ModelRow) -> QueryResult<()> {
    diesel::insert_into(value_models::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The current (newest) model of the workspace.
pub fn current_model(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Option<ModelRow>> {
    let newest = value_models::table
        .filter(value_models::workspace_id.eq(workspace_id))
        .select(diesel::dsl::max(value_models::version))
        .get_result::<Option<i64>>(conn)?;
    let Some(version) = newest else {
        return Ok(None);
    };
    value_models::table
        .filter(value_models::workspace_id.eq(workspace_id))
        .filter(value_models::version.eq(version))
        .select(ModelRow::as_select())
        .get_result(conn)
        .optional()
}

// ---------------------------------------------------------------------------------------
// Job leases

/// Takes the lease on `name` for `holder` until `until` when it is free or expired (or
/// already `holder`'s); false when another holder has it.
pub fn take_lease(
    conn: &mut DbConn,
    name: &str,
    holder: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let taken = diesel::update(
        job_leases::table.filter(job_leases::name.eq(name)).filter(
            job_leases::expires_at
                .lt(now)
                .or(job_leases::holder.eq(holder)),
        ),
    )
    .set((
        job_leases::holder.eq(holder),
        job_leases::expires_at.eq(until),
    ))
    .execute(conn)?;
    if taken == 1 {
        return Ok(true);
    }
    let inserted = crate::per_backend!(conn, |c| diesel::insert_into(job_leases::table)
        .values((
            job_leases::name.eq(name),
            job_leases::holder.eq(holder),
            job_leases::expires_at.eq(until),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(inserted == 1)
}

/// Marks a job run done and frees its lease.
pub fn finish_lease(
    conn: &mut DbConn,
    name: &str,
    holder: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        job_leases::table
            .filter(job_leases::name.eq(name))
            .filter(job_leases::holder.eq(holder)),
    )
    .set((
        job_leases::expires_at.eq(now),
        job_leases::last_run_at.eq(Some(now)),
    ))
    .execute(conn)
    .map(|_| ())
}

/// When the job last finished.
pub fn last_run(conn: &mut DbConn, name: &str) -> QueryResult<Option<NaiveDateTime>> {
    job_leases::table
        .find(name)
        .select(job_leases::last_run_at)
        .get_result::<Option<NaiveDateTime>>(conn)
        .optional()
        .map(Option::flatten)
}
