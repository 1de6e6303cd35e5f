//! Interactions: an account's timeline (notes, calls, e-mails, meetings, tasks, tickets,
//! feedback). An interaction of a deleted account is gone too: reads join live accounts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::interactions;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = interactions, treat_none_as_null = true)]
pub struct InteractionRow {
    pub id: String,
    pub workspace_id: String,
    pub account_id: String,
    pub contact_id: Option<String>,
    /// The `type` column.
    pub kind: String,
    pub channel: Option<String>,
    pub direction: Option<String>,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub occurred_at: NaiveDateTime,
    pub author_type: String,
    pub author_id: Option<String>,
    pub due_at: Option<NaiveDateTime>,
    pub done_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    /// The caller's key, unique in the workspace (deleted interactions keep theirs).
    pub external_id: Option<String>,
}

/// Which interactions of an account a list returns. Every field narrows.
#[derive(Debug, Default, Clone)]
pub struct InteractionFilter {
    pub kind: Option<String>,
    pub channel: Option<String>,
    pub contact_id: Option<String>,
    pub occurred_after: Option<NaiveDateTime>,
    pub occurred_before: Option<NaiveDateTime>,
    /// Tasks only: done (`true`) or open (`false`).
    pub done: Option<bool>,
}

pub fn insert(conn: &mut DbConn, row: &InteractionRow) -> QueryResult<()> {
    diesel::insert_into(interactions::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Inserts many interactions (a batch or an import), in statements under SQLite's
/// bound-parameter limit.
pub fn insert_many(conn: &mut DbConn, rows: &[InteractionRow]) -> QueryResult<()> {
    for chunk in rows.chunks(1000) {
        crate::per_backend!(&mut *conn, |c| diesel::insert_into(interactions::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// `(external_id, id)` of the workspace's interactions with these keys, deleted ones too
/// (a key stays taken).
pub fn existing_external_ids(
    conn: &mut DbConn,
    workspace_id: &str,
    external_ids: &[&str],
) -> QueryResult<Vec<(String, String)>> {
    let mut found = Vec::new();
    for chunk in external_ids.chunks(1000) {
        let rows: Vec<(Option<String>, String)> = interactions::table
            .filter(interactions::workspace_id.eq(workspace_id))
            .filter(interactions::external_id.eq_any(chunk))
            .select((interactions::external_id, interactions::id))
            .load(conn)?;
        found.extend(rows.into_iter().filter_map(|(e, id)| e.map(|e| (e, id))));
    }
    Ok(found)
}

/// A live interaction of a live account of the workspace.
pub fn find(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
) -> QueryResult<Option<InteractionRow>> {
    of_live_accounts!(interactions::table)
        .filter(interactions::workspace_id.eq(workspace_id))
        .filter(interactions::id.eq(id))
        .filter(interactions::deleted_at.is_null())
        .select(InteractionRow::as_select())
        .get_result(conn)
        .optional()
}

/// Writes `row` over the stored interaction when its version is still `expected_version`;
/// returns the number of rows changed (0 = gone or changed meanwhile).
pub fn update(
    conn: &mut DbConn,
    row: &InteractionRow,
    expected_version: i64,
) -> QueryResult<usize> {
    diesel::update(
        interactions::table
            .filter(interactions::workspace_id.eq(&row.workspace_id))
            .filter(interactions::id.eq(&row.id))
            .filter(interactions::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)
}

/// One page of a live account's live timeline, newest first (`occurred_at`, then id, both
/// descending), after the row with key `after`.
pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    filter: &InteractionFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<InteractionRow>> {
    let mut query = of_live_accounts!(interactions::table)
        .filter(interactions::workspace_id.eq(workspace_id))
        .filter(interactions::account_id.eq(account_id))
        .filter(interactions::deleted_at.is_null())
        .select(InteractionRow::as_select())
        .order((interactions::occurred_at.desc(), interactions::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(v) = &filter.kind {
        query = query.filter(interactions::kind.eq(v.clone()));
    }
    if let Some(v) = &filter.channel {
        query = query.filter(interactions::channel.eq(v.clone()));
    }
    if let Some(v) = &filter.contact_id {
        query = query.filter(interactions::contact_id.eq(v.clone()));
    }
    if let Some(v) = filter.occurred_after {
        query = query.filter(interactions::occurred_at.ge(v));
    }
    if let Some(v) = filter.occurred_before {
        query = query.filter(interactions::occurred_at.lt(v));
    }
    if let Some(done) = filter.done {
        query = query.filter(interactions::kind.eq("task"));
        query = if done {
            query.filter(interactions::done_at.is_not_null())
        } else {
            query.filter(interactions::done_at.is_null())
        };
    }
    if let Some((at, id)) = after {
        query = query.filter(
            interactions::occurred_at
                .lt(at)
                .or(interactions::occurred_at
                    .eq(at)
                    .and(interactions::id.lt(id))),
        );
    }
    query.load(conn)
}

/// The newest `limit` live interactions of a live account.
pub fn recent(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    limit: i64,
) -> QueryResult<Vec<InteractionRow>> {
    of_live_accounts!(interactions::table)
        .filter(interactions::workspace_id.eq(workspace_id))
        .filter(interactions::account_id.eq(account_id))
        .filter(interactions::deleted_at.is_null())
        .order((interactions::occurred_at.desc(), interactions::id.desc()))
        .limit(limit)
        .select(InteractionRow::as_select())
        .load(conn)
}
