//! Orders and their refunds.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{accounts, order_refunds, orders};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = orders)]
// `None` inserts NULL (no column has a default), so SQLite takes many rows per statement.
#[diesel(treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct OrderRow {
    pub id: String,
    pub workspace_id: String,
    pub account_id: String,
    pub external_id: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub cost: Option<i64>,
    pub reporting_amount: i64,
    pub reporting_cost: Option<i64>,
    pub refunded_amount: i64,
    pub status: String,
    pub occurred_at: NaiveDateTime,
    pub purchase_day: i32,
    pub channel: Option<String>,
    pub items: String,
    pub source: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = order_refunds)]
pub struct RefundRow {
    pub id: String,
    pub workspace_id: String,
    pub order_id: String,
    pub amount: i64,
    pub reason: Option<String>,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub created_at: NaiveDateTime,
}

/// The facts of an order that value metrics read.
#[derive(Debug, Clone, Copy, PartialEq, Queryable)]
pub struct OrderFactsRow {
    pub purchase_day: i32,
    pub occurred_at: NaiveDateTime,
    pub amount: i64,
    pub refunded_amount: i64,
    pub reporting_amount: i64,
    pub reporting_cost: Option<i64>,
}

impl OrderRow {
    /// The facts of this order that value metrics read.
    pub fn facts(&self) -> OrderFactsRow {
        OrderFactsRow {
            purchase_day: self.purchase_day,
            occurred_at: self.occurred_at,
            amount: self.amount,
            refunded_amount: self.refunded_amount,
            reporting_amount: self.reporting_amount,
            reporting_cost: self.reporting_cost,
        }
    }
}

/// `(account_id, purchase_day, occurred_at, amount, refunded_amount, reporting_amount,
/// reporting_cost)`, as loaded.
type FactsTuple = (String, i32, NaiveDateTime, i64, i64, i64, Option<i64>);

fn facts_of(r: FactsTuple) -> (String, OrderFactsRow) {
    (
        r.0,
        OrderFactsRow {
            purchase_day: r.1,
            occurred_at: r.2,
            amount: r.3,
            refunded_amount: r.4,
            reporting_amount: r.5,
            reporting_cost: r.6,
        },
    )
}

/// Inserts many orders. On PostgreSQL, one `INSERT … SELECT FROM UNNEST` of one array per
/// column: 19 bound values whatever the batch size, so the statement parses and plans in
/// microseconds (a multi-row `VALUES` of 1,000 orders binds 19,000 values and spent more
/// time in parse and bind than in the insert). On SQLite, multi-row inserts in chunks.
pub fn insert_many(conn: &mut DbConn, rows: &[OrderRow]) -> QueryResult<()> {
    use diesel::sql_types::{Array, BigInt, Integer, Nullable, Text, Timestamp};
    match conn {
        DbConn::Pg(c) => {
            if rows.is_empty() {
                return Ok(());
            }
            let col = |f: fn(&OrderRow) -> &str| rows.iter().map(f).collect::<Vec<_>>();
            let opt = |f: fn(&OrderRow) -> Option<&str>| rows.iter().map(f).collect::<Vec<_>>();
            let int = |f: fn(&OrderRow) -> i64| rows.iter().map(f).collect::<Vec<_>>();
            let time = |f: fn(&OrderRow) -> NaiveDateTime| rows.iter().map(f).collect::<Vec<_>>();
            diesel::sql_query(
                "INSERT INTO orders (id, workspace_id, account_id, external_id, amount, currency, \
                 cost, reporting_amount, reporting_cost, refunded_amount, status, occurred_at, \
                 purchase_day, channel, items, source, version, created_at, updated_at) \
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], \
                 $5::int8[], $6::text[], $7::int8[], $8::int8[], $9::int8[], $10::int8[], \
                 $11::text[], $12::timestamp[], $13::int4[], $14::text[], $15::text[], \
                 $16::text[], $17::int8[], $18::timestamp[], $19::timestamp[])",
            )
            .bind::<Array<Text>, _>(col(|r| &r.id))
            .bind::<Array<Text>, _>(col(|r| &r.workspace_id))
            .bind::<Array<Text>, _>(col(|r| &r.account_id))
            .bind::<Array<Nullable<Text>>, _>(opt(|r| r.external_id.as_deref()))
            .bind::<Array<BigInt>, _>(int(|r| r.amount))
            .bind::<Array<Text>, _>(col(|r| &r.currency))
            .bind::<Array<Nullable<BigInt>>, _>(rows.iter().map(|r| r.cost).collect::<Vec<_>>())
            .bind::<Array<BigInt>, _>(int(|r| r.reporting_amount))
            .bind::<Array<Nullable<BigInt>>, _>(
                rows.iter().map(|r| r.reporting_cost).collect::<Vec<_>>(),
            )
            .bind::<Array<BigInt>, _>(int(|r| r.refunded_amount))
            .bind::<Array<Text>, _>(col(|r| &r.status))
            .bind::<Array<Timestamp>, _>(time(|r| r.occurred_at))
            .bind::<Array<Integer>, _>(rows.iter().map(|r| r.purchase_day).collect::<Vec<_>>())
            .bind::<Array<Nullable<Text>>, _>(opt(|r| r.channel.as_deref()))
            .bind::<Array<Text>, _>(col(|r| &r.items))
            .bind::<Array<Text>, _>(col(|r| &r.source))
            .bind::<Array<BigInt>, _>(int(|r| r.version))
            .bind::<Array<Timestamp>, _>(time(|r| r.created_at))
            .bind::<Array<Timestamp>, _>(time(|r| r.updated_at))
            .execute(c)?;
        }
        DbConn::Sqlite(c) => {
            for chunk in rows.chunks(1000) {
                diesel::insert_into(orders::table)
                    .values(chunk)
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

/// An order of a live account of the workspace.
pub fn find(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<OrderRow>> {
    of_live_accounts!(orders::table)
        .filter(orders::workspace_id.eq(workspace_id))
        .filter(orders::id.eq(id))
        .select(OrderRow::as_select())
        .get_result(conn)
        .optional()
}

/// `(external_id, id)` of the workspace's orders among `external_ids`.
pub fn existing_external_ids(
    conn: &mut DbConn,
    workspace_id: &str,
    external_ids: &[&str],
) -> QueryResult<Vec<(String, String)>> {
    let mut found = Vec::new();
    for chunk in external_ids.chunks(1000) {
        let rows: Vec<(Option<String>, String)> = orders::table
            .filter(orders::workspace_id.eq(workspace_id))
            .filter(orders::external_id.eq_any(chunk))
            .select((orders::external_id, orders::id))
            .load(conn)?;
        found.extend(rows.into_iter().filter_map(|(e, id)| e.map(|e| (e, id))));
    }
    Ok(found)
}

/// `(external_id, id, amount, refunded_amount)` of the workspace's orders with these keys
/// (an import's refunds compare them with the file's).
pub fn refund_states(
    conn: &mut DbConn,
    workspace_id: &str,
    external_ids: &[&str],
) -> QueryResult<Vec<(String, String, i64, i64)>> {
    let mut found = Vec::new();
    for chunk in external_ids.chunks(1000) {
        let rows: Vec<(Option<String>, String, i64, i64)> = orders::table
            .filter(orders::workspace_id.eq(workspace_id))
            .filter(orders::external_id.eq_any(chunk))
            .select((
                orders::external_id,
                orders::id,
                orders::amount,
                orders::refunded_amount,
            ))
            .load(conn)?;
        found.extend(
            rows.into_iter()
                .filter_map(|(e, id, amount, refunded)| e.map(|e| (e, id, amount, refunded))),
        );
    }
    Ok(found)
}

#[derive(QueryableByName)]
struct LiveAccount {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    external_id: Option<String>,
}

/// Live accounts of the workspace: `(id, external_id)` for the given ids and external ids.
/// On PostgreSQL the ids are a joined `UNNEST`, one primary-key probe each: as `id = ANY($2)`
/// a generic plan made on young statistics filtered every account of the workspace through a
/// linear search of the array (150 ms for 1,000 ids in a 5,000-account workspace).
pub fn live_accounts(
    conn: &mut DbConn,
    workspace_id: &str,
    ids: &[&str],
    external_ids: &[&str],
) -> QueryResult<Vec<(String, Option<String>)>> {
    let mut found = Vec::new();
    let sqlite = matches!(conn, DbConn::Sqlite(_));
    if let (DbConn::Pg(c), false) = (&mut *conn, ids.is_empty()) {
        found.extend(
            diesel::sql_query(
                "SELECT a.id, a.external_id FROM UNNEST($2::text[]) AS t(id) \
                 JOIN accounts a ON a.id = t.id \
                 WHERE a.workspace_id = $1 AND a.deleted_at IS NULL",
            )
            .bind::<diesel::sql_types::Text, _>(workspace_id)
            .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(ids)
            .load::<LiveAccount>(c)?
            .into_iter()
            .map(|a| (a.id, a.external_id)),
        );
    }
    for chunk in ids.chunks(1000).filter(|_| sqlite) {
        found.extend(
            accounts::table
                .filter(accounts::workspace_id.eq(workspace_id))
                .filter(accounts::deleted_at.is_null())
                .filter(accounts::id.eq_any(chunk))
                .select((accounts::id, accounts::external_id))
                .load::<(String, Option<String>)>(conn)?,
        );
    }
    for chunk in external_ids.chunks(1000) {
        found.extend(
            accounts::table
                .filter(accounts::workspace_id.eq(workspace_id))
                .filter(accounts::deleted_at.is_null())
                .filter(accounts::external_id.eq_any(chunk))
                .select((accounts::id, accounts::external_id))
                .load::<(String, Option<String>)>(conn)?,
        );
    }
    Ok(found)
}

/// The facts of an account's orders on one UTC purchase day, read through
/// `orders_by_account` (the day is a range of `occurred_at`).
pub fn facts_of_day(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    day: i32,
) -> QueryResult<Vec<OrderFactsRow>> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .unwrap_or_default()
        .and_time(chrono::NaiveTime::MIN);
    let from = epoch + chrono::Duration::days(i64::from(day));
    let to = from + chrono::Duration::days(1);
    let rows: Vec<FactsTuple> = orders::table
        .filter(orders::workspace_id.eq(workspace_id))
        .filter(orders::account_id.eq(account_id))
        .filter(orders::occurred_at.ge(from))
        .filter(orders::occurred_at.lt(to))
        .filter(orders::purchase_day.eq(day))
        .select((
            orders::account_id,
            orders::purchase_day,
            orders::occurred_at,
            orders::amount,
            orders::refunded_amount,
            orders::reporting_amount,
            orders::reporting_cost,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|r| facts_of(r).1).collect())
}

/// Records a refund on `row` when its version is still `expected_version`; 0 = changed
/// meanwhile.
pub fn update_refunded(
    conn: &mut DbConn,
    row: &OrderRow,
    expected_version: i64,
) -> QueryResult<usize> {
    diesel::update(
        orders::table
            .filter(orders::workspace_id.eq(&row.workspace_id))
            .filter(orders::id.eq(&row.id))
            .filter(orders::version.eq(expected_version)),
    )
    .set((
        orders::refunded_amount.eq(row.refunded_amount),
        orders::status.eq(&row.status),
        orders::version.eq(row.version),
        orders::updated_at.eq(row.updated_at),
    ))
    .execute(conn)
}

pub fn insert_refund(conn: &mut DbConn, row: &RefundRow) -> QueryResult<()> {
    diesel::insert_into(order_refunds::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn refunds(
    conn: &mut DbConn,
    workspace_id: &str,
    order_id: &str,
) -> QueryResult<Vec<RefundRow>> {
    order_refunds::table
        .filter(order_refunds::workspace_id.eq(workspace_id))
        .filter(order_refunds::order_id.eq(order_id))
        .order(order_refunds::id.asc())
        .select(RefundRow::as_select())
        .load(conn)
}

#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub account_id: Option<String>,
    pub status: Option<String>,
    pub channel: Option<String>,
    pub occurred_after: Option<NaiveDateTime>,
    pub occurred_before: Option<NaiveDateTime>,
    pub external_id: Option<String>,
}

/// One page of the orders of live accounts, newest first (`occurred_at`, then id), after
/// `(occurred_at, id)`.
pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    filter: &OrderFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<OrderRow>> {
    let mut query = of_live_accounts!(orders::table)
        .filter(orders::workspace_id.eq(workspace_id))
        .select(OrderRow::as_select())
        .into_boxed();
    if let Some(a) = &filter.account_id {
        query = query.filter(orders::account_id.eq(a.clone()));
    }
    if let Some(s) = &filter.status {
        query = query.filter(orders::status.eq(s.clone()));
    }
    if let Some(c) = &filter.channel {
        query = query.filter(orders::channel.eq(c.clone()));
    }
    if let Some(e) = &filter.external_id {
        query = query.filter(orders::external_id.eq(e.clone()));
    }
    if let Some(t) = filter.occurred_after {
        query = query.filter(orders::occurred_at.ge(t));
    }
    if let Some(t) = filter.occurred_before {
        query = query.filter(orders::occurred_at.lt(t));
    }
    if let Some((at, id)) = after {
        query = query.filter(
            orders::occurred_at
                .lt(at)
                .or(orders::occurred_at.eq(at).and(orders::id.lt(id))),
        );
    }
    query
        .order((orders::occurred_at.desc(), orders::id.desc()))
        .limit(limit)
        .load(conn)
}

/// Every order of the workspace (for tests and exports that recompute metrics).
pub fn all_facts(
    conn: &mut DbConn,
    workspace_id: &str,
) -> QueryResult<Vec<(String, OrderFactsRow)>> {
    let rows: Vec<FactsTuple> = orders::table
        .filter(orders::workspace_id.eq(workspace_id))
        .select((
            orders::account_id,
            orders::purchase_day,
            orders::occurred_at,
            orders::amount,
            orders::refunded_amount,
            orders::reporting_amount,
            orders::reporting_cost,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(facts_of).collect())
}

/// Whether the workspace has any order.
pub fn any(conn: &mut DbConn, workspace_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        orders::table.filter(orders::workspace_id.eq(workspace_id)),
    ))
    .get_result(conn)
}
