//! Opaque keyset cursors: the sort key, the last row's value of it, and its id, so a page
//! continues exactly after the last row seen even while rows are inserted.

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "k")]
    pub key: String,
    #[serde(rename = "v")]
    pub value: String,
    pub id: String,
}

impl Cursor {
    pub fn new(key: &str, value: String, id: &str) -> Self {
        Self {
            key: key.to_owned(),
            value,
            id: id.to_owned(),
        }
    }

    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    }

    /// A cursor of a list sorted by `key`; anything else is the client's mistake.
    pub fn decode(text: &str, key: &str) -> Result<Self, ApiError> {
        let bad = || ApiError::field("after", "not a cursor this API returned for this sort");
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| bad())?;
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        // A forged cursor may carry anything; what reaches SQL must be text (no NUL).
        let not_text = |s: &str| s.chars().any(char::is_control);
        if cursor.key != key || not_text(&cursor.value) || not_text(&cursor.id) {
            return Err(bad());
        }
        Ok(cursor)
    }
}

/// A cursor of a list sorted by an instant (`key`), then id: what the timeline and order
/// lists hand out.
pub fn encode_instant(key: &str, at: chrono::DateTime<chrono::Utc>, id: &str) -> String {
    let at = at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    Cursor::new(key, at, id).encode()
}

/// The `(instant, id)` an [`encode_instant`] cursor of `key` holds.
pub fn decode_instant(text: &str, key: &str) -> Result<(chrono::NaiveDateTime, String), ApiError> {
    let c = Cursor::decode(text, key)?;
    chrono::DateTime::parse_from_rfc3339(&c.value)
        .map(|t| (t.naive_utc(), c.id))
        .map_err(|_| ApiError::field("after", "not a cursor this API returned"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_other_sorts() {
        let c = Cursor::new("name", "Ada".into(), "0193");
        let text = c.encode();
        assert_eq!(Cursor::decode(&text, "name").unwrap(), c);
        assert!(Cursor::decode(&text, "created_at").is_err());
        assert!(Cursor::decode("not base64!", "name").is_err());
        let forged = Cursor::new("name", "A\u{0}".into(), "0193").encode();
        assert!(Cursor::decode(&forged, "name").is_err());
    }
}
