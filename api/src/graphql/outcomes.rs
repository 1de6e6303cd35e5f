//! What every GraphQL mutation shares: its idempotency key, the answer of a replay, and a
//! missing resource read as `null`.

use async_graphql::Result;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::graphql::errors::gql;
use crate::service::idempotency::{IdempotencyRequest, Outcome};

/// A missing resource is `null` in a read, not an error.
pub(crate) fn not_found_is_null<T>(result: std::result::Result<T, ApiError>) -> Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(e) if e.code == "not_found" => Ok(None),
        Err(e) => Err(gql(e)),
    }
}

/// A GraphQL mutation's idempotency key, fingerprinted by the operation and its input.
pub(crate) fn idempotency(
    key: Option<String>,
    operation: &str,
    input: &impl serde::Serialize,
) -> Result<Option<IdempotencyRequest>> {
    let Some(key) = key else { return Ok(None) };
    if key.trim().is_empty() || key.len() > 255 {
        return Err(gql(ApiError::bad_request(
            "invalid_idempotency_key",
            "idempotencyKey must be 1 to 255 characters",
        )));
    }
    let mut hash = Sha256::new();
    hash.update(operation);
    hash.update(serde_json::to_vec(input).unwrap_or_default());
    Ok(Some(IdempotencyRequest {
        key,
        fingerprint: hex::encode(hash.finalize()),
    }))
}

/// The mutation's answer: fresh, or the stored answer of the first call with its key.
pub(crate) fn fresh_or_replayed<T: serde::de::DeserializeOwned>(outcome: Outcome<T>) -> Result<T> {
    match outcome {
        Outcome::Fresh(value) => Ok(value),
        Outcome::Replay { body, .. } => {
            serde_json::from_str(&body).map_err(|e| gql(ApiError::internal(e)))
        }
    }
}
