//! After-commit effects not yet applied: the cache generations a committed write must bump.
//! Stored in the write's transaction, deleted once applied; rows a dead node left behind are
//! claimed by the sweeper of any node (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one
//! writer) and applied again (bumping a generation twice is harmless).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::pending_effects;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = pending_effects)]
pub struct PendingEffectRow {
    pub id: String,
    pub workspace_id: String,
    /// JSON array of account ids.
    pub account_ids: String,
    pub whole_workspace: bool,
    pub created_at: NaiveDateTime,
    pub claimed_until: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, row: &PendingEffectRow) -> QueryResult<()> {
    diesel::insert_into(pending_effects::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Forgets applied effects.
pub fn delete(conn: &mut DbConn, ids: &[String]) -> QueryResult<usize> {
    let mut deleted = 0;
    for chunk in ids.chunks(1_000) {
        deleted += diesel::delete(pending_effects::table.filter(pending_effects::id.eq_any(chunk)))
            .execute(conn)?;
    }
    Ok(deleted)
}

/// Claims up to `limit` effects created before `created_before` that nobody holds (never
/// claimed, or a claim that ran out before `now`) until `claim_until`, and returns them. Call
/// it in a write transaction: on PostgreSQL the rows another node is claiming are skipped.
pub fn claim_due(
    conn: &mut DbConn,
    created_before: NaiveDateTime,
    now: NaiveDateTime,
    claim_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<PendingEffectRow>> {
    // A macro, not a closure: each backend's arm needs the query typed for its backend.
    macro_rules! query {
        () => {
            pending_effects::table
                .filter(pending_effects::created_at.lt(created_before))
                .filter(
                    pending_effects::claimed_until
                        .is_null()
                        .or(pending_effects::claimed_until.lt(now)),
                )
                .order(pending_effects::created_at.asc())
                .limit(limit)
                .select(PendingEffectRow::as_select())
        };
    }
    let rows = match conn {
        DbConn::Pg(c) => query!().for_update().skip_locked().load(c)?,
        DbConn::Sqlite(c) => query!().load(c)?,
    };
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    diesel::update(pending_effects::table.filter(pending_effects::id.eq_any(&ids)))
        .set(pending_effects::claimed_until.eq(Some(claim_until)))
        .execute(conn)?;
    Ok(rows)
}

/// How many effects wait (for tests and metrics).
pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    pending_effects::table.count().get_result(conn)
}
