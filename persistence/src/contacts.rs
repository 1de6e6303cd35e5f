//! Contacts: the people at organization accounts. A contact of a deleted account is gone
//! too, so every read joins its account and keeps only live ones.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{accounts, contacts};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = contacts, treat_none_as_null = true)]
pub struct ContactRow {
    pub id: String,
    pub workspace_id: String,
    pub account_id: String,
    pub name: String,
    pub title: Option<String>,
    /// Normalised (`Email::parse`).
    pub email: Option<String>,
    /// Normalised (`Phone::parse`).
    pub phone: Option<String>,
    pub is_primary: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, row: &ContactRow) -> QueryResult<()> {
    diesel::insert_into(contacts::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A live contact of a live account of the workspace.
pub fn find(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<ContactRow>> {
    of_live_accounts!(contacts::table)
        .filter(contacts::workspace_id.eq(workspace_id))
        .filter(contacts::id.eq(id))
        .filter(contacts::deleted_at.is_null())
        .select(ContactRow::as_select())
        .get_result(conn)
        .optional()
}

/// Writes `row` over the stored contact when its version is still `expected_version`;
/// returns the number of rows changed (0 = gone or changed meanwhile).
pub fn update(conn: &mut DbConn, row: &ContactRow, expected_version: i64) -> QueryResult<usize> {
    diesel::update(
        contacts::table
            .filter(contacts::workspace_id.eq(&row.workspace_id))
            .filter(contacts::id.eq(&row.id))
            .filter(contacts::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)
}

/// One page of a live account's live contacts in creation (id) order, after `after`.
pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<ContactRow>> {
    let mut query = of_live_accounts!(contacts::table)
        .filter(contacts::workspace_id.eq(workspace_id))
        .filter(contacts::account_id.eq(account_id))
        .filter(contacts::deleted_at.is_null())
        .select(ContactRow::as_select())
        .order(contacts::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(contacts::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// The live contacts of the live accounts among `account_ids`, by account then id: one
/// query for many accounts (GraphQL loaders).
pub fn for_accounts(
    conn: &mut DbConn,
    workspace_id: &str,
    account_ids: &[String],
) -> QueryResult<Vec<ContactRow>> {
    of_live_accounts!(contacts::table)
        .filter(contacts::workspace_id.eq(workspace_id))
        .filter(contacts::account_id.eq_any(account_ids))
        .filter(contacts::deleted_at.is_null())
        .order((contacts::account_id.asc(), contacts::id.asc()))
        .select(ContactRow::as_select())
        .load(conn)
}

/// The account's live primary contacts other than `except_id` (at most one, normally).
pub fn other_primaries(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    except_id: &str,
) -> QueryResult<Vec<ContactRow>> {
    contacts::table
        .filter(contacts::workspace_id.eq(workspace_id))
        .filter(contacts::account_id.eq(account_id))
        .filter(contacts::is_primary.eq(true))
        .filter(contacts::deleted_at.is_null())
        .filter(contacts::id.ne(except_id))
        .select(ContactRow::as_select())
        .load(conn)
}

/// Serialises changes to one account's contacts until the transaction ends: a row lock on
/// PostgreSQL (`SELECT … FOR UPDATE`); SQLite write transactions already run one at a time.
pub fn lock_account(conn: &mut DbConn, workspace_id: &str, account_id: &str) -> QueryResult<()> {
    if let DbConn::Pg(c) = conn {
        accounts::table
            .filter(accounts::workspace_id.eq(workspace_id))
            .filter(accounts::id.eq(account_id))
            .select(accounts::id)
            .for_update()
            .first::<String>(c)
            .optional()?;
    }
    Ok(())
}
