//! Recently authenticated credentials, so a request costs no database round trip for its
//! credentials. An entry lives at most `TTL` (and never past the token's or key's expiry);
//! revoking a key or changing a user clears this node's cache at once, other nodes within
//! `TTL`.

use std::time::{Duration, Instant};

use crate::auth::Principal;

pub const TTL: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct AuthCache {
    entries: moka::sync::Cache<String, (Principal, Instant)>,
}

impl Default for AuthCache {
    fn default() -> Self {
        Self {
            entries: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(TTL)
                .build(),
        }
    }
}

impl AuthCache {
    /// The principal for the credential with this hash, if still fresh.
    pub fn get(&self, credential_hash: &str) -> Option<Principal> {
        let (principal, valid_until) = self.entries.get(credential_hash)?;
        if Instant::now() < valid_until {
            Some(principal)
        } else {
            self.entries.invalidate(credential_hash);
            None
        }
    }

    /// Remembers a principal until `TTL` from now or `expires_in`, whichever comes first.
    pub fn put(&self, credential_hash: String, principal: Principal, expires_in: Option<Duration>) {
        let ttl = expires_in.map_or(TTL, |e| e.min(TTL));
        self.entries
            .insert(credential_hash, (principal, Instant::now() + ttl));
    }

    /// Forgets everything: after a revocation, a disabled user, a role change.
    pub fn clear(&self) {
        self.entries.invalidate_all();
    }
}
