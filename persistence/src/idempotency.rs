//! Stored responses of POSTs sent with an `Idempotency-Key`, written in the same transaction
//! as the change they answer, so a retry replays the answer and never repeats the change.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::idempotency_keys;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyRow {
    pub workspace_id: String,
    pub key: String,
    /// A hash of method, path and body: the same key with another request is a conflict.
    pub fingerprint: String,
    pub status_code: i32,
    pub response: String,
    pub created_at: NaiveDateTime,
}

/// The stored answer for `key`, when younger than `not_before`.
pub fn find(
    conn: &mut DbConn,
    workspace_id: &str,
    key: &str,
    not_before: NaiveDateTime,
) -> QueryResult<Option<IdempotencyRow>> {
    idempotency_keys::table
        .filter(idempotency_keys::workspace_id.eq(workspace_id))
        .filter(idempotency_keys::key.eq(key))
        .filter(idempotency_keys::created_at.ge(not_before))
        .select(IdempotencyRow::as_select())
        .get_result(conn)
        .optional()
}

/// Stores an answer, replacing only an expired one under the same key. A concurrent request
/// that stored a fresh answer first makes this insert fail on the primary key, which rolls
/// back this request's whole transaction: the change happens once.
pub fn store(
    conn: &mut DbConn,
    row: &IdempotencyRow,
    not_before: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::workspace_id.eq(&row.workspace_id))
            .filter(idempotency_keys::key.eq(&row.key))
            .filter(idempotency_keys::created_at.lt(not_before)),
    )
    .execute(conn)?;
    diesel::insert_into(idempotency_keys::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Forgets answers older than `before` (a scheduled clean-up).
pub fn purge(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(before)))
        .execute(conn)
}
