//! The audit log: who changed what, when, with the state before and after.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::audit_log;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
// `None` inserts NULL (no column has a default), so SQLite takes many rows per statement.
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
pub struct AuditRow {
    pub id: String,
    pub workspace_id: String,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub resource_type: String,
    pub resource_id: Option<String>,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
    pub request_id: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Default)]
pub struct AuditFilter {
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub actor_id: Option<String>,
}

pub fn insert(conn: &mut DbConn, row: &AuditRow) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Stores several entries at once (a write's entries, at the end of its transaction).
pub fn insert_many(conn: &mut DbConn, rows: &[AuditRow]) -> QueryResult<()> {
    // SQLite binds at most 32,766 parameters per statement: 11 per row.
    for chunk in rows.chunks(2_000) {
        crate::per_backend!(&mut *conn, |c| diesel::insert_into(audit_log::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// Newest first, starting before `before` (an id).
pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    filter: &AuditFilter,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    let mut query = audit_log::table
        .filter(audit_log::workspace_id.eq(workspace_id))
        .select(AuditRow::as_select())
        .order(audit_log::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(audit_log::id.lt(before.to_owned()));
    }
    if let Some(v) = &filter.resource_type {
        query = query.filter(audit_log::resource_type.eq(v.clone()));
    }
    if let Some(v) = &filter.resource_id {
        query = query.filter(audit_log::resource_id.eq(v.clone()));
    }
    if let Some(v) = &filter.actor_id {
        query = query.filter(audit_log::actor_id.eq(v.clone()));
    }
    query.load(conn)
}
