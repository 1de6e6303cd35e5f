//! The outbox and event feed: domain events stored in the transaction of the change that
//! emitted them, numbered per workspace. A crash keeps the change and its events, or neither.
//!
//! Numbers come from one counter row per workspace, updated in the writing transaction: on
//! PostgreSQL the row lock makes the writers of a workspace take their numbers in commit
//! order (and SQLite has one writer), so a reader that sees event `n` sees every event before
//! it, and a rolled-back write leaves no gap. Take the counter last in a transaction: it is
//! the hottest row of a workspace, and holding it while locking anything else would
//! serialize every writer of the workspace behind the slowest.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{event_sequences, events};

/// A stored event.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: String,
    pub workspace_id: String,
    /// 1, 2, 3, … per workspace, in commit order.
    pub seq: i64,
    /// `order.created`, `deal.won`, …
    pub event_type: String,
    pub occurred_at: NaiveDateTime,
    /// JSON object: the resource after the change.
    pub data: String,
}

/// An event to store: everything but its number.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub id: String,
    pub event_type: String,
    pub occurred_at: NaiveDateTime,
    pub data: String,
}

/// Stores `events` of one workspace, numbered after the workspace's last event, inside the
/// caller's transaction. Call it last in the transaction (see the module notes).
pub fn append(
    conn: &mut DbConn,
    workspace_id: &str,
    new: Vec<NewEvent>,
) -> QueryResult<Vec<EventRow>> {
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let count = i64::try_from(new.len()).unwrap_or(i64::MAX);
    let last = reserve(conn, workspace_id, count)?;
    let rows: Vec<EventRow> = new
        .into_iter()
        .zip(last - count + 1..)
        .map(|(e, seq)| EventRow {
            id: e.id,
            workspace_id: workspace_id.to_owned(),
            seq,
            event_type: e.event_type,
            occurred_at: e.occurred_at,
            data: e.data,
        })
        .collect();
    // SQLite binds at most 32,766 parameters per statement: 6 per row.
    for chunk in rows.chunks(5_000) {
        crate::per_backend!(&mut *conn, |c| diesel::insert_into(events::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(rows)
}

/// Moves the workspace's counter `count` on and returns the new last number.
fn reserve(conn: &mut DbConn, workspace_id: &str, count: i64) -> QueryResult<i64> {
    let bumped: Option<i64> = diesel::update(event_sequences::table.find(workspace_id))
        .set(event_sequences::last_seq.eq(event_sequences::last_seq + count))
        .returning(event_sequences::last_seq)
        .get_result(conn)
        .optional()?;
    if let Some(last) = bumped {
        return Ok(last);
    }
    // The first event of the workspace. Two first writers racing on PostgreSQL: the loser's
    // insert fails on the primary key and its transaction rolls back (a retryable conflict),
    // as with any unique key.
    diesel::insert_into(event_sequences::table)
        .values((
            event_sequences::workspace_id.eq(workspace_id),
            event_sequences::last_seq.eq(count),
        ))
        .execute(conn)?;
    Ok(count)
}

/// Which events a feed read wants.
#[derive(Debug, Clone, Default)]
pub struct FeedFilter {
    /// Exact types (`order.created`) …
    pub types: Vec<String>,
    /// … and type prefixes (`order.` for `order.*`); both empty = every type.
    pub prefixes: Vec<String>,
}

/// Up to `limit` events of a workspace numbered after `after_seq`, in order.
pub fn list_after(
    conn: &mut DbConn,
    workspace_id: &str,
    after_seq: i64,
    filter: &FeedFilter,
    limit: i64,
) -> QueryResult<Vec<EventRow>> {
    let mut query = events::table
        .filter(events::workspace_id.eq(workspace_id))
        .filter(events::seq.gt(after_seq))
        .into_boxed();
    if !filter.types.is_empty() || !filter.prefixes.is_empty() {
        let mut wanted: Box<
            dyn BoxableExpression<events::table, _, SqlType = diesel::sql_types::Bool>,
        > = Box::new(events::event_type.eq_any(filter.types.clone()));
        for prefix in &filter.prefixes {
            wanted = Box::new(wanted.or(events::event_type.like(like_prefix(prefix)).escape('\\')));
        }
        query = query.filter(wanted);
    }
    query
        .order(events::seq.asc())
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)
}

/// The last number given out in a workspace (0 before its first event).
pub fn last_seq(conn: &mut DbConn, workspace_id: &str) -> QueryResult<i64> {
    event_sequences::table
        .find(workspace_id)
        .select(event_sequences::last_seq)
        .get_result(conn)
        .optional()
        .map(|seq| seq.unwrap_or(0))
}

/// One event of a workspace by id.
pub fn find(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<EventRow>> {
    events::table
        .filter(events::workspace_id.eq(workspace_id))
        .filter(events::id.eq(id))
        .select(EventRow::as_select())
        .get_result(conn)
        .optional()
}

/// Forgets events older than `before` (the retention job). The counters stay, so numbers are
/// never reused.
pub fn purge(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(events::table.filter(events::occurred_at.lt(before))).execute(conn)
}

/// A LIKE pattern matching strings that start with `prefix` (`%`, `_` and `\` escaped).
fn like_prefix(prefix: &str) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}
