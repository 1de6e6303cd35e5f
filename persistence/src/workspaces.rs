//! Workspaces: the tenants every business row belongs to.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::workspaces;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = workspaces)]
pub struct WorkspaceRow {
    pub id: String,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &WorkspaceRow) -> QueryResult<()> {
    diesel::insert_into(workspaces::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<WorkspaceRow>> {
    workspaces::table
        .find(id)
        .select(WorkspaceRow::as_select())
        .get_result(conn)
        .optional()
}

/// Every workspace's id (for jobs that visit them all).
pub fn all_ids(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    workspaces::table
        .select(workspaces::id)
        .order(workspaces::id.asc())
        .load(conn)
}
