//! The HTTP conventions every resource shares: `Idempotency-Key` on POST, `ETag` and
//! `If-Match` on single records, and how a write's outcome becomes a response.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::service::idempotency::{IdempotencyRequest, Outcome};

pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The request's `Idempotency-Key` with the fingerprint of what it asks (method, path,
/// query and the parsed body, so the same JSON with other spacing is the same request).
pub fn idempotency(
    req: &HttpRequest,
    body: &impl Serialize,
) -> Result<Option<IdempotencyRequest>, ApiError> {
    let Some(value) = req.headers().get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255)
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_idempotency_key",
                "Idempotency-Key must be 1 to 255 visible characters",
            )
        })?;
    let mut hash = Sha256::new();
    hash.update(req.method().as_str());
    hash.update(b" ");
    hash.update(req.uri().to_string());
    hash.update(b"\n");
    hash.update(serde_json::to_vec(body).map_err(ApiError::internal)?);
    Ok(Some(IdempotencyRequest {
        key: key.to_owned(),
        fingerprint: hex::encode(hash.finalize()),
    }))
}

/// `If-Match: "v3"` (or `W/"v3"`) -> `Some(3)`; `*` or no header -> `None`.
pub fn if_match(req: &HttpRequest) -> Result<Option<i64>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    text.trim_start_matches("W/")
        .trim_matches('"')
        .strip_prefix('v')
        .and_then(|v| v.parse().ok())
        .map(Some)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "precondition_failed",
                "If-Match must be an ETag this API returned, like \"v3\"",
            )
        })
}

pub fn etag(version: i64) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"v{version}\""))
}

/// A create's answer: 201 with `Location: <collection>/<id>` (the new record's own URL) and
/// its `ETag`, or the stored answer replayed, with the `Location` of the record it created.
pub fn created<T: Serialize>(
    outcome: Outcome<T>,
    collection: &str,
    id: impl Fn(&T) -> &str,
    version: impl Fn(&T) -> Option<i64>,
) -> HttpResponse {
    let location = |id: &str| format!("{collection}/{id}");
    match outcome {
        Outcome::Fresh(value) => {
            let mut res = HttpResponse::Created();
            if let Some(v) = version(&value) {
                res.insert_header(etag(v));
            }
            res.insert_header((header::LOCATION, location(id(&value))))
                .json(value)
        }
        Outcome::Replay { status, body } => {
            let stored_id = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("id").and_then(|id| id.as_str()).map(str::to_owned));
            let mut res =
                HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
            res.content_type("application/json")
                .insert_header(("idempotent-replayed", "true"));
            if let Some(id) = stored_id {
                res.insert_header((header::LOCATION, location(&id)));
            }
            res.body(body)
        }
    }
}

/// A 201 for a write that adds to something with no URL of its own (a note on a timeline,
/// vouchers issued): `Location` names where it shows (`url`), fresh or replayed.
pub fn created_at<T: Serialize>(outcome: Outcome<T>, url: &str) -> HttpResponse {
    let mut res = respond(outcome, StatusCode::CREATED, |_: &T| None);
    if let Ok(value) = header::HeaderValue::from_str(url) {
        res.headers_mut().insert(header::LOCATION, value);
    }
    res
}

/// A write's answer: the fresh result with `status`, or a stored one replayed as it was.
pub fn respond<T: Serialize>(
    outcome: Outcome<T>,
    status: StatusCode,
    version: impl Fn(&T) -> Option<i64>,
) -> HttpResponse {
    match outcome {
        Outcome::Fresh(value) => {
            let mut res = HttpResponse::build(status);
            if let Some(v) = version(&value) {
                res.insert_header(etag(v));
            }
            res.json(value)
        }
        Outcome::Replay { status, body } => {
            HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
                .content_type("application/json")
                .insert_header(("idempotent-replayed", "true"))
                .body(body)
        }
    }
}
