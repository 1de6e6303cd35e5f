//! `Idempotency-Key` on POST: the answer is stored in the same transaction as the change, so
//! a retried request (same key, same body) gets the stored answer and changes nothing again;
//! the same key with another body is a 409. Keys live 24 hours, per workspace.

use chrono::Duration;
use rapport_persistence::idempotency::{self as store, IdempotencyRow};
use rapport_persistence::{write_transaction, DbConn};
use serde::Serialize;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::now;
use crate::state::AppState;

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

/// Runs `change` in one write transaction, honouring `idempotency`. `status` is the HTTP
/// status a fresh success answers with (stored for replays).
pub async fn write<T, F>(
    state: &AppState,
    principal: &Principal,
    idempotency: Option<IdempotencyRequest>,
    status: u16,
    change: F,
) -> Result<Outcome<T>, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    T: Serialize + Send + 'static,
{
    let (outcome, ()) = write_with(state, principal, idempotency, status, move |conn| {
        change(conn).map(|answer| (answer, ()))
    })
    .await?;
    Ok(outcome)
}

/// [`write`] for a change that also yields a by-product the caller needs afterwards (which
/// accounts it touched, say) but that is not part of the answer: only the answer `T` is
/// stored and replayed, so a replay has exactly the shape of a fresh response. The
/// by-product is `Default` on a replay (nothing changed then).
pub async fn write_with<T, X, F>(
    state: &AppState,
    principal: &Principal,
    idempotency: Option<IdempotencyRequest>,
    status: u16,
    change: F,
) -> Result<(Outcome<T>, X), ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<(T, X), ApiError> + Send + 'static,
    T: Serialize + Send + 'static,
    X: Default + Send + 'static,
{
    let workspace = principal.workspace_id.clone();
    let result = state
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                let not_before = now() - Duration::hours(KEY_LIFETIME_HOURS);
                if let Some(idem) = &idempotency {
                    if let Some(stored) = store::find(conn, &workspace, &idem.key, not_before)? {
                        if stored.fingerprint != idem.fingerprint {
                            return Err(ApiError::conflict(
                                "idempotency_key_reused",
                                "this Idempotency-Key was used with a different request",
                            ));
                        }
                        let replay = Outcome::Replay {
                            status: u16::try_from(stored.status_code).unwrap_or(200),
                            body: stored.response,
                        };
                        return Ok((replay, X::default()));
                    }
                }
                let (value, by_product) = change(conn)?;
                if let Some(idem) = idempotency {
                    let row = IdempotencyRow {
                        workspace_id: workspace.clone(),
                        key: idem.key,
                        fingerprint: idem.fingerprint,
                        status_code: i32::from(status),
                        response: serde_json::to_string(&value).map_err(ApiError::internal)?,
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
                    })?;
                }
                Ok((Outcome::Fresh(value), by_product))
            })
        })
        .await?;
    Ok(result)
}
