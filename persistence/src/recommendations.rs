//! Product recommendations: the purchase lines the refresh reads (orders of live accounts,
//! not fully refunded), and the SKUs (with their neighbours) and refresh record it replaces.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{accounts, orders, recommendation_items, recommendation_refreshes};

/// Rows per multi-row insert (7 columns each: well under SQLite's bound-variable limit).
const CHUNK: usize = 2_000;

/// One order's lines as stored (a JSON array), with whose and which day it was.
#[derive(Debug, Clone, Queryable)]
pub struct OrderLines {
    pub account_id: String,
    pub occurred_at: NaiveDateTime,
    pub id: String,
    pub purchase_day: i32,
    pub items: String,
}

/// One page of the workspace's live accounts, by id, after `after`.
pub fn live_accounts_page(
    conn: &mut DbConn,
    workspace_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<String>> {
    let mut query = accounts::table
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(accounts::deleted_at.is_null())
        .select(accounts::id)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(accounts::id.gt(after.to_owned()));
    }
    query.order(accounts::id.asc()).limit(limit).load(conn)
}

/// The orders of `account_ids` that count for recommendations (not fully refunded, with
/// line items), by account, then time, then id.
pub fn lines_of_accounts(
    conn: &mut DbConn,
    workspace_id: &str,
    account_ids: &[String],
) -> QueryResult<Vec<OrderLines>> {
    if account_ids.is_empty() {
        return Ok(Vec::new());
    }
    orders::table
        .filter(orders::workspace_id.eq(workspace_id))
        .filter(orders::account_id.eq_any(account_ids))
        .filter(orders::status.ne("refunded"))
        .filter(orders::items.ne("[]"))
        .select((
            orders::account_id,
            orders::occurred_at,
            orders::id,
            orders::purchase_day,
            orders::items,
        ))
        .order((
            orders::account_id.asc(),
            orders::occurred_at.asc(),
            orders::id.asc(),
        ))
        .load(conn)
}

/// One account's orders that count for recommendations, newest first, at most `limit`.
pub fn account_lines(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    limit: i64,
) -> QueryResult<Vec<(i32, String)>> {
    orders::table
        .filter(orders::workspace_id.eq(workspace_id))
        .filter(orders::account_id.eq(account_id))
        .filter(orders::status.ne("refunded"))
        .filter(orders::items.ne("[]"))
        .order((orders::occurred_at.desc(), orders::id.desc()))
        .select((orders::purchase_day, orders::items))
        .limit(limit)
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = recommendation_items)]
pub struct ItemRow {
    pub workspace_id: String,
    pub sku: String,
    pub name: Option<String>,
    pub category: Option<String>,
    pub buyers: i64,
    pub repurchase_days: Option<i64>,
    /// `[[other, together, cosine], …]`, strongest first.
    pub neighbours: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = recommendation_refreshes)]
pub struct RefreshRow {
    pub workspace_id: String,
    pub refreshed_at: NaiveDateTime,
    pub customers: i64,
    pub lines: i64,
    pub items: i64,
    pub pairs: i64,
}

/// Replaces the workspace's SKUs and refresh record (call inside a transaction).
pub fn replace(conn: &mut DbConn, refresh: &RefreshRow, items: &[ItemRow]) -> QueryResult<()> {
    let ws = refresh.workspace_id.as_str();
    diesel::delete(recommendation_items::table.filter(recommendation_items::workspace_id.eq(ws)))
        .execute(conn)?;
    diesel::delete(
        recommendation_refreshes::table.filter(recommendation_refreshes::workspace_id.eq(ws)),
    )
    .execute(conn)?;
    for chunk in items.chunks(CHUNK) {
        crate::per_backend!(&mut *conn, |c| diesel::insert_into(
            recommendation_items::table
        )
        .values(chunk)
        .execute(c))?;
    }
    diesel::insert_into(recommendation_refreshes::table)
        .values(refresh)
        .execute(conn)
        .map(|_| ())
}

/// The stored SKUs among `skus` (names, categories, buyers, intervals, neighbours).
pub fn items(conn: &mut DbConn, workspace_id: &str, skus: &[String]) -> QueryResult<Vec<ItemRow>> {
    if skus.is_empty() {
        return Ok(Vec::new());
    }
    recommendation_items::table
        .filter(recommendation_items::workspace_id.eq(workspace_id))
        .filter(recommendation_items::sku.eq_any(skus))
        .select(ItemRow::as_select())
        .load(conn)
}

/// The workspace's last refresh.
pub fn last_refresh(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Option<RefreshRow>> {
    recommendation_refreshes::table
        .filter(recommendation_refreshes::workspace_id.eq(workspace_id))
        .select(RefreshRow::as_select())
        .first(conn)
        .optional()
}

/// Whether the account is a live account of the workspace.
pub fn live_account(conn: &mut DbConn, workspace_id: &str, account_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        accounts::table
            .filter(accounts::workspace_id.eq(workspace_id))
            .filter(accounts::id.eq(account_id))
            .filter(accounts::deleted_at.is_null()),
    ))
    .get_result(conn)
}
