//! Refresh tokens, stored only as hashes, rotated within a family.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::refresh_tokens;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: String,
    pub workspace_id: String,
    pub user_id: String,
    pub family_id: String,
    pub token_hash: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    /// Why it was revoked ([`Revocation::as_str`]); `None` while live, and on tokens revoked
    /// before reasons were kept.
    pub revoked_reason: Option<String>,
}

/// Why a session's refresh tokens were revoked: a refresh answers differently after a
/// logout than after a detected reuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revocation {
    /// The user logged out of the session.
    Logout,
    /// A used token was presented again (stolen or replayed): the whole session dies.
    Reuse,
    /// The user was disabled or changed their password.
    UserChanged,
}

impl Revocation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Logout => "logout",
            Self::Reuse => "reuse",
            Self::UserChanged => "user_changed",
        }
    }
}

pub fn insert(conn: &mut DbConn, row: &RefreshTokenRow) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The token with this hash; the hash is the credential, so no workspace is known yet.
pub fn find_by_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<RefreshTokenRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshTokenRow::as_select())
        .get_result(conn)
        .optional()
}

/// Marks the token used if nobody did first; 0 means it was already used or revoked.
pub fn mark_used(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::id.eq(id))
            .filter(refresh_tokens::used_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(now))
    .execute(conn)
}

/// Revokes every live token of a session (a token family), saying why.
pub fn revoke_family(
    conn: &mut DbConn,
    family_id: &str,
    now: NaiveDateTime,
    why: Revocation,
) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set((
        refresh_tokens::revoked_at.eq(now),
        refresh_tokens::revoked_reason.eq(why.as_str()),
    ))
    .execute(conn)
}

/// Revokes every live token of every session of the user, saying why.
pub fn revoke_for_user(
    conn: &mut DbConn,
    user_id: &str,
    now: NaiveDateTime,
    why: Revocation,
) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set((
        refresh_tokens::revoked_at.eq(now),
        refresh_tokens::revoked_reason.eq(why.as_str()),
    ))
    .execute(conn)
}

/// Whether the user's login session (a token family) is still live: some token of it is not
/// revoked. Logging out, a detected reuse and disabling the user revoke every token of it.
pub fn session_is_live(conn: &mut DbConn, family_id: &str, user_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    ))
    .get_result(conn)
}
