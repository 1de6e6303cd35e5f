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
        if cursor.key != key {
            return Err(bad());
        }
        Ok(cursor)
    }
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
    }
}
