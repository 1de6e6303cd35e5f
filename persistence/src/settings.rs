//! Installation-wide settings kept in the database (`instance_settings`).

use chrono::Utc;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::per_backend;
use crate::schema::instance_settings;

pub fn get(conn: &mut DbConn, key: &str) -> QueryResult<Option<String>> {
    instance_settings::table
        .find(key)
        .select(instance_settings::value)
        .get_result(conn)
        .optional()
}

/// Returns the stored value of `key`, storing `candidate` first if there is none. Safe when
/// several nodes start at once: the first insert wins and everyone reads the winner.
pub fn get_or_insert(conn: &mut DbConn, key: &str, candidate: &str) -> QueryResult<String> {
    let insert = diesel::insert_into(instance_settings::table)
        .values((
            instance_settings::key.eq(key),
            instance_settings::value.eq(candidate),
            instance_settings::updated_at.eq(Utc::now().naive_utc()),
        ))
        .on_conflict_do_nothing();
    per_backend!(conn, |c| insert.execute(c))?;
    instance_settings::table
        .find(key)
        .select(instance_settings::value)
        .get_result(conn)
}
