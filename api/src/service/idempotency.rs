//! `Idempotency-Key` on POST: the answer is stored in the same transaction as the change, so
//! a retried request (same key, same body) gets the stored answer and changes nothing again;
//! the same key with another body is a 409. Keys live 24 hours, per workspace. Part of the
//! write pipeline (`service::pipeline::write`), which calls these in its transaction.

use chrono::Duration;
use rapport_persistence::idempotency::{self as store, IdempotencyRow};
use rapport_persistence::DbConn;
use serde::Serialize;

use crate::error::ApiError;
use crate::service::now;

pub const KEY_LIFETIME_HOURS: i64 = 24;

/// A key and the fingerprint of the request it was sent with.
#[derive(Debug, Clone)]
pub struct IdempotencyRequest {
    pub key: String,
    pub fingerprint: String,
}

/// What a write answered: its fresh result, or the answer stored by an earlier identical
/// request.
pub enum Outcome<T> {
    Fresh(T),
    Replay { status: u16, body: String },
}

/// The stored answer when `idempotency` names a key this workspace used within its
/// lifetime; a 409 when that key came with another request. Inside the write transaction.
pub fn replay<T>(
    conn: &mut DbConn,
    workspace: &str,
    idempotency: Option<&IdempotencyRequest>,
) -> Result<Option<Outcome<T>>, ApiError> {
    let Some(idem) = idempotency else {
        return Ok(None);
    };
    let not_before = now() - Duration::hours(KEY_LIFETIME_HOURS);
    let Some(stored) = store::find(conn, workspace, &idem.key, not_before)? else {
        return Ok(None);
    };
    if stored.fingerprint != idem.fingerprint {
        return Err(ApiError::conflict(
            "idempotency_key_reused",
            "this Idempotency-Key was used with a different request",
        ));
    }
    Ok(Some(Outcome::Replay {
        status: u16::try_from(stored.status_code).unwrap_or(200),
        body: stored.response,
    }))
}

/// Whether this workspace stored an answer under `key` within its lifetime: a streamed
/// upload asks before storing the file again, then checks the whole request with [`replay`].
pub fn is_known(conn: &mut DbConn, workspace: &str, key: &str) -> Result<bool, ApiError> {
    let not_before = now() - Duration::hours(KEY_LIFETIME_HOURS);
    Ok(store::find(conn, workspace, key, not_before)?.is_some())
}

/// Stores a fresh answer under its key, in the transaction of the change.
pub fn remember<T: Serialize>(
    conn: &mut DbConn,
    workspace: &str,
    idem: IdempotencyRequest,
    status: u16,
    value: &T,
) -> Result<(), ApiError> {
    let not_before = now() - Duration::hours(KEY_LIFETIME_HOURS);
    let row = IdempotencyRow {
        workspace_id: workspace.to_owned(),
        key: idem.key,
        fingerprint: idem.fingerprint,
        status_code: i32::from(status),
        response: serde_json::to_string(value).map_err(ApiError::internal)?,
        created_at: now(),
    };
    store::store(conn, &row, not_before).map_err(|e| match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => ApiError::conflict(
            "idempotency_key_in_use",
            "a request with this Idempotency-Key is being processed; retry to get its answer",
        ),
        other => other.into(),
    })
}
