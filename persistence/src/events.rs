//! The outbox and event feed: domain events stored in the transaction of the change that
//! emitted them, numbered per workspace. A crash keeps the change and its events, or neither.
//!
//! Numbers come from one counter row per workspace, updated in the writing transaction: on
//! PostgreSQL the row lock makes the writers of a workspace take their numbers in commit
//! order (and SQLite has one writer), so a reader that sees event `n` sees every event before
//! it, and a rolled-back write leaves no gap. Take the counter last in a transaction: it is
//! the hottest row of a workspace, and holding it while locking anything else would
//! serialize every writer of the workspace behind the slowest.
//!
//! Packed rows: a run of events one write emits with the same type and time and ids that
//! follow each other (the write pipeline numbers a write's event ids `u, u+1, …`), such as
//! the 1,000 `order.created` of an order batch, is stored as one row numbered
//! `seq..=last_seq` whose data is the events' JSON objects one per line, instead of a row and
//! three index entries per event (the outbox cost most of an order batch's time on
//! PostgreSQL). Event `i` of the row has the id `id + i`. Readers get one [`EventRow`] per
//! event either way.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use uuid::Uuid;

use crate::connection::DbConn;
use crate::schema::{event_sequences, events};

/// The most events one stored row holds; readers look this far back for a row holding a
/// given number.
pub const MAX_PACK: i64 = 1_000;

/// A stored event, as the feed and the webhook worker see it.
#[derive(Debug, Clone, PartialEq)]
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

/// A row of the table: one event (`last_seq == seq`) or a packed run of them.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = events)]
struct StoredRow {
    /// The first event's id.
    id: String,
    workspace_id: String,
    seq: i64,
    event_type: String,
    occurred_at: NaiveDateTime,
    /// One event: its JSON object. Packed: the events' JSON objects joined by `\n` (compact
    /// JSON never holds a raw line break, and events whose data does are not packed).
    data: String,
    last_seq: i64,
}

impl StoredRow {
    fn unpack(self) -> QueryResult<Vec<EventRow>> {
        if self.last_seq == self.seq {
            return Ok(vec![EventRow {
                id: self.id,
                workspace_id: self.workspace_id,
                seq: self.seq,
                event_type: self.event_type,
                occurred_at: self.occurred_at,
                data: self.data,
            }]);
        }
        let corrupt = |what: &str| {
            diesel::result::Error::DeserializationError(
                format!("packed events row {}: {what}", self.id).into(),
            )
        };
        let first = Uuid::parse_str(&self.id)
            .map_err(|_| corrupt("first id is no UUID"))?
            .as_u128();
        let parts: Vec<&str> = self.data.split('\n').collect();
        let count = self.last_seq - self.seq + 1;
        if i64::try_from(parts.len()).ok() != Some(count) {
            return Err(corrupt("data does not hold one line per event"));
        }
        Ok(parts
            .into_iter()
            .zip(0u128..)
            .map(|(data, i)| EventRow {
                id: Uuid::from_u128(first + i).to_string(),
                workspace_id: self.workspace_id.clone(),
                seq: self.seq + i64::try_from(i).unwrap_or(i64::MAX),
                event_type: self.event_type.clone(),
                occurred_at: self.occurred_at,
                data: data.to_owned(),
            })
            .collect())
    }
}

/// An event to store: everything but its number.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub id: String,
    pub event_type: String,
    pub occurred_at: NaiveDateTime,
    pub data: String,
}

/// The id as a number when the event may be packed with its neighbours.
fn packable(e: &EventRow) -> Option<u128> {
    if e.data.contains('\n') {
        return None;
    }
    let id = Uuid::parse_str(&e.id).ok()?;
    // Only the canonical spelling: unpacking spells the ids that way.
    (id.to_string() == e.id).then(|| id.as_u128())
}

/// Groups numbered events into stored rows: runs of packable events of one type and time
/// whose ids follow each other, at most [`MAX_PACK`] a row.
fn pack(rows: &[EventRow]) -> Vec<StoredRow> {
    let mut stored: Vec<StoredRow> = Vec::new();
    let mut run: Vec<&EventRow> = Vec::new();
    let mut last_id: Option<u128> = None;
    let flush = |run: &mut Vec<&EventRow>, stored: &mut Vec<StoredRow>| {
        let (Some(first), Some(last)) = (run.first(), run.last()) else {
            return;
        };
        let data = if run.len() == 1 {
            first.data.clone()
        } else {
            let mut data = String::with_capacity(run.iter().map(|e| e.data.len() + 1).sum());
            for (i, e) in run.iter().enumerate() {
                if i > 0 {
                    data.push('\n');
                }
                data.push_str(&e.data);
            }
            data
        };
        stored.push(StoredRow {
            id: first.id.clone(),
            workspace_id: first.workspace_id.clone(),
            seq: first.seq,
            event_type: first.event_type.clone(),
            occurred_at: first.occurred_at,
            data,
            last_seq: last.seq,
        });
        run.clear();
    };
    for e in rows {
        let id = packable(e);
        let joins = match (run.last(), last_id, id) {
            (Some(prev), Some(prev_id), Some(id)) => {
                prev.event_type == e.event_type
                    && prev.occurred_at == e.occurred_at
                    && prev_id.checked_add(1) == Some(id)
                    && i64::try_from(run.len()).is_ok_and(|n| n < MAX_PACK)
            }
            _ => false,
        };
        if !joins {
            flush(&mut run, &mut stored);
        }
        run.push(e);
        last_id = id;
    }
    flush(&mut run, &mut stored);
    stored
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
    let stored = pack(&rows);
    // SQLite binds at most 32,766 parameters per statement: 7 per row.
    for chunk in stored.chunks(4_000) {
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

/// Rows of a workspace that hold events numbered after `after_seq` (a packed row may start
/// before it) of the wanted types.
fn rows_after<'a>(
    workspace_id: &'a str,
    after_seq: i64,
    filter: &FeedFilter,
) -> events::BoxedQuery<'a, <DbConn as diesel::Connection>::Backend> {
    let mut query = events::table
        .filter(events::workspace_id.eq(workspace_id))
        .filter(events::seq.gt(after_seq.saturating_sub(MAX_PACK)))
        .filter(events::last_seq.gt(after_seq))
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
}

/// Up to `limit` events of a workspace numbered after `after_seq`, in order.
pub fn list_after(
    conn: &mut DbConn,
    workspace_id: &str,
    after_seq: i64,
    filter: &FeedFilter,
    limit: i64,
) -> QueryResult<Vec<EventRow>> {
    let Ok(wanted) = usize::try_from(limit) else {
        return Ok(Vec::new());
    };
    if wanted == 0 {
        return Ok(Vec::new());
    }
    // First the rows' numbers only (a packed row's data is large): as many rows as hold
    // `limit` events, then those rows.
    let spans: Vec<(i64, i64)> = rows_after(workspace_id, after_seq, filter)
        .order(events::seq.asc())
        .limit(limit)
        .select((events::seq, events::last_seq))
        .load(conn)?;
    let mut held = 0i64;
    let mut through = None;
    for (seq, last) in spans {
        held += last - seq.max(after_seq + 1) + 1;
        through = Some(seq);
        if held >= limit {
            break;
        }
    }
    let Some(through) = through else {
        return Ok(Vec::new());
    };
    let rows: Vec<StoredRow> = rows_after(workspace_id, after_seq, filter)
        .filter(events::seq.le(through))
        .order(events::seq.asc())
        .select(StoredRow::as_select())
        .load(conn)?;
    let mut out = Vec::with_capacity(wanted.min(4_096));
    for row in rows {
        out.extend(row.unpack()?.into_iter().filter(|e| e.seq > after_seq));
    }
    out.truncate(wanted);
    Ok(out)
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
    // A single event or the first of a packed row, by its id …
    let exact: Option<StoredRow> = events::table
        .filter(events::workspace_id.eq(workspace_id))
        .filter(events::id.eq(id))
        .select(StoredRow::as_select())
        .get_result(conn)
        .optional()?;
    if let Some(row) = exact {
        return Ok(row.unpack()?.into_iter().find(|e| e.id == id));
    }
    // … or a later event of a packed row: the row whose first id is the nearest below
    // (ids sort as their numbers in canonical spelling, and a row's ids follow its first).
    let Some(id) = Uuid::parse_str(id).ok().map(|u| u.to_string()) else {
        return Ok(None);
    };
    let nearest: Option<StoredRow> = events::table
        .filter(events::id.lt(&id))
        .order(events::id.desc())
        .limit(1)
        .select(StoredRow::as_select())
        .get_result(conn)
        .optional()?;
    match nearest {
        Some(row) if row.workspace_id == workspace_id && row.last_seq > row.seq => {
            Ok(row.unpack()?.into_iter().find(|e| e.id == id))
        }
        _ => Ok(None),
    }
}

/// Forgets events older than `before` (the retention job) and answers how many. The
/// counters stay, so numbers are never reused.
pub fn purge(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    let old = events::table.filter(events::occurred_at.lt(before));
    let counted: i64 = old
        .select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "CAST(COALESCE(SUM(last_seq - seq + 1), 0) AS BIGINT)",
        ))
        .get_result(conn)?;
    diesel::delete(old).execute(conn)?;
    Ok(usize::try_from(counted).unwrap_or(0))
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

/// Stored rows of a workspace whose data contains one of `needles`.
fn rows_containing(
    conn: &mut DbConn,
    workspace_id: &str,
    needles: &[String],
) -> QueryResult<Vec<StoredRow>> {
    let mut found: std::collections::BTreeMap<String, StoredRow> = Default::default();
    for needle in needles {
        let rows: Vec<StoredRow> = events::table
            .filter(events::workspace_id.eq(workspace_id))
            .filter(
                events::data
                    .like(crate::privacy::like_containing(needle))
                    .escape('\\'),
            )
            .select(StoredRow::as_select())
            .load(conn)?;
        found.extend(rows.into_iter().map(|r| (r.id.clone(), r)));
    }
    Ok(found.into_values().collect())
}

/// The events of a workspace whose data contains `needle` (an account's id, for a subject
/// access request), in order.
pub fn mentioning(
    conn: &mut DbConn,
    workspace_id: &str,
    needle: &str,
) -> QueryResult<Vec<EventRow>> {
    let mut out = Vec::new();
    for row in rows_containing(conn, workspace_id, &[needle.to_owned()])? {
        out.extend(
            row.unpack()?
                .into_iter()
                .filter(|e| e.data.contains(needle)),
        );
    }
    out.sort_by_key(|e| e.seq);
    Ok(out)
}

/// Rewrites the data of the events of a workspace that contain one of `needles` (an
/// erasure): `rewrite` answers an event's new data (compact JSON, one line) or `None` to
/// keep it. A packed row keeps its events, each line rewritten on its own. Returns how many
/// events changed.
pub fn rewrite_containing(
    conn: &mut DbConn,
    workspace_id: &str,
    needles: &[String],
    rewrite: &dyn Fn(&str) -> Option<String>,
) -> QueryResult<usize> {
    let mut changed = 0;
    for row in rows_containing(conn, workspace_id, needles)? {
        let lines: Vec<&str> = if row.last_seq == row.seq {
            vec![row.data.as_str()]
        } else {
            row.data.split('\n').collect()
        };
        let mut out = Vec::with_capacity(lines.len());
        let mut touched = 0;
        for line in lines {
            match rewrite(line).filter(|new| !new.contains('\n')) {
                Some(new) => {
                    touched += 1;
                    out.push(new);
                }
                None => out.push(line.to_owned()),
            }
        }
        if touched == 0 {
            continue;
        }
        diesel::update(
            events::table
                .filter(events::workspace_id.eq(workspace_id))
                .filter(events::id.eq(&row.id)),
        )
        .set(events::data.eq(out.join("\n")))
        .execute(conn)?;
        changed += touched;
    }
    Ok(changed)
}
