//! Opaque credentials (API keys, refresh tokens): random, shown once, stored as SHA-256.
//! A fast hash is right here: the secrets carry 256 bits of entropy, unlike passwords.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

const API_KEY_TAG: &str = "rk_";
const REFRESH_TAG: &str = "rt_";

fn random_b64(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares two hashes without an early exit.
pub fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A new API key: `rk_<prefix>_<secret>`, and its prefix (public, recognisable in logs).
pub fn new_api_key() -> (String, String) {
    let mut id = [0u8; 6];
    rand::rng().fill_bytes(&mut id);
    let prefix = hex::encode(id);
    (format!("{API_KEY_TAG}{prefix}_{}", random_b64(32)), prefix)
}

/// The prefix of something that looks like an API key.
pub fn api_key_prefix(token: &str) -> Option<&str> {
    let rest = token.strip_prefix(API_KEY_TAG)?;
    let (prefix, secret) = rest.split_once('_')?;
    (prefix.len() == 12 && !secret.is_empty()).then_some(prefix)
}

pub fn new_refresh_token() -> String {
    format!("{REFRESH_TAG}{}", random_b64(32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_keys_carry_a_findable_prefix() {
        let (key, prefix) = new_api_key();
        assert_eq!(api_key_prefix(&key), Some(prefix.as_str()));
        assert!(key.len() > 50);
        assert_eq!(api_key_prefix("eyJhbGciOi.x.y"), None);
        assert_ne!(new_api_key().0, key);
    }

    #[test]
    fn hashes_compare() {
        assert!(same_hash(&hash("a"), &hash("a")));
        assert!(!same_hash(&hash("a"), &hash("b")));
    }
}
