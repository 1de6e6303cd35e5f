//! Orders and their refunds.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{accounts, order_refunds, orders};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = orders)]
#[diesel(treat_none_as_null = true)]
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

/// Inserts many orders in one statement per chunk (PostgreSQL allows 65,535 bound values).
pub fn insert_many(conn: &mut DbConn, rows: &[OrderRow]) -> QueryResult<()> {
    for chunk in rows.chunks(1000) {
        crate::per_backend!(conn, |c| diesel::insert_into(orders::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<OrderRow>> {
    orders::table
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

/// Live accounts of the workspace: `(id, external_id)` for the given ids and external ids.
pub fn live_accounts(
    conn: &mut DbConn,
    workspace_id: &str,
    ids: &[&str],
    external_ids: &[&str],
) -> QueryResult<Vec<(String, Option<String>)>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(1000) {
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

/// `(account_id, facts)` of every order of `account_ids` on any of `days` (a superset of
/// the (account, day) pairs a batch touched; the caller keeps the pairs it needs).
pub fn facts_for(
    conn: &mut DbConn,
    workspace_id: &str,
    account_ids: &[&str],
    days: &[i32],
) -> QueryResult<Vec<(String, OrderFactsRow)>> {
    let mut found = Vec::new();
    for chunk in account_ids.chunks(1000) {
        let rows: Vec<FactsTuple> = orders::table
            .filter(orders::workspace_id.eq(workspace_id))
            .filter(orders::account_id.eq_any(chunk))
            .filter(orders::purchase_day.eq_any(days))
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
        found.extend(rows.into_iter().map(facts_of));
    }
    Ok(found)
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

/// One page of orders, newest first (`occurred_at`, then id), after `(occurred_at, id)`.
pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    filter: &OrderFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<OrderRow>> {
    let mut query = orders::table
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
