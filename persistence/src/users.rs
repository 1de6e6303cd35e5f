//! Users: people who log in to a workspace, with their role and login protection state.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::users;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub workspace_id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub disabled_at: Option<NaiveDateTime>,
    pub failed_logins: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub last_login_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Fields an update may change; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub name: Option<String>,
    pub role: Option<String>,
    pub password_hash: Option<String>,
    pub disabled_at: Option<Option<NaiveDateTime>>,
}

pub fn insert(conn: &mut DbConn, row: &UserRow) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The user with this (lower-cased) e-mail, in any workspace: logins name no workspace.
pub fn find_by_email_for_login(conn: &mut DbConn, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()
}

/// The user `id` as a token names it, to check it is still active (any workspace; the caller
/// compares the workspace with the token's).
pub fn find_for_authentication(conn: &mut DbConn, id: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn find(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::workspace_id.eq(workspace_id))
        .filter(users::id.eq(id))
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()
}

/// Those of `ids` that are users of the workspace.
pub fn existing_ids(
    conn: &mut DbConn,
    workspace_id: &str,
    ids: &[String],
) -> QueryResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(1000) {
        found.extend(
            users::table
                .filter(users::workspace_id.eq(workspace_id))
                .filter(users::id.eq_any(chunk))
                .select(users::id)
                .load::<String>(conn)?,
        );
    }
    Ok(found)
}

/// One page in id order (ids are time-ordered), starting after `after`.
pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<UserRow>> {
    let mut query = users::table
        .filter(users::workspace_id.eq(workspace_id))
        .select(UserRow::as_select())
        .order(users::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(users::id.gt(after.to_owned()));
    }
    query.load(conn)
}

pub fn count_active_owners(conn: &mut DbConn, workspace_id: &str) -> QueryResult<i64> {
    users::table
        .filter(users::workspace_id.eq(workspace_id))
        .filter(users::role.eq("owner"))
        .filter(users::disabled_at.is_null())
        .count()
        .get_result(conn)
}

pub fn update(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    changes: &UserChanges,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        users::table
            .filter(users::workspace_id.eq(workspace_id))
            .filter(users::id.eq(id)),
    )
    .set((
        changes,
        users::updated_at.eq(now),
        users::version.eq(users::version + 1),
    ))
    .execute(conn)
}

pub fn record_failed_login(
    conn: &mut DbConn,
    id: &str,
    failed_logins: i32,
    locked_until: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::failed_logins.eq(failed_logins),
            users::locked_until.eq(locked_until),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn record_login(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::failed_logins.eq(0),
            users::locked_until.eq(None::<NaiveDateTime>),
            users::last_login_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}
