//! What every versioned record shares: PATCH bodies as JSON merge patches over the record's
//! writable form, and `If-Match` versions.

use actix_web::http::StatusCode;
use rapport_domain::json_merge;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::ApiError;

/// A PATCH body must be a JSON object (RFC 7396 allows more; a record cannot be replaced by
/// a scalar).
pub fn require_patch_object(patch: &Value) -> Result<(), ApiError> {
    if patch.is_object() {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "invalid_body",
            "a PATCH body is a JSON object (JSON merge patch)",
        ))
    }
}

/// 412 when the client's `If-Match` version is not the stored one.
pub fn check_version(what: &str, if_match: Option<i64>, stored: i64) -> Result<(), ApiError> {
    if if_match.is_some_and(|v| v != stored) {
        Err(precondition_failed(what))
    } else {
        Ok(())
    }
}

/// The versioned write every record shares, replacing "check `If-Match` -> write under the
/// stored version -> 412 when another writer won": 412 unless `if_match` is absent or names
/// the `stored` version; then `write(stored + 1)` stores the record at its next version under
/// the stored one and returns the rows it changed (0: a concurrent writer won, 412).
pub fn write_versioned(
    what: &str,
    if_match: Option<i64>,
    stored: i64,
    write: impl FnOnce(i64) -> diesel::QueryResult<usize>,
) -> Result<(), ApiError> {
    check_version(what, if_match, stored)?;
    if write(stored + 1)? == 0 {
        return Err(precondition_failed(what));
    }
    Ok(())
}

pub fn precondition_failed(what: &str) -> ApiError {
    ApiError::new(
        StatusCode::PRECONDITION_FAILED,
        "precondition_failed",
        format!("the {what} changed since you read it (its version differs from If-Match); read it again"),
    )
}

/// The record's writable form with `patch` merged in, read back as that form.
pub fn merge_patch<I: Serialize + DeserializeOwned>(
    what: &str,
    current: &I,
    patch: &Value,
) -> Result<I, ApiError> {
    let mut merged = serde_json::to_value(current).map_err(ApiError::internal)?;
    json_merge::merge(&mut merged, patch);
    serde_json::from_value(merged).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("the patch does not fit {what}: {e}"),
        )
    })
}
