//! Recently authenticated credentials, so a request costs no database round trip for its
//! credentials. An entry lives at most `TTL` (and never past the token's or key's expiry);
//! revoking a key, changing a user or ending a session (logout) takes effect on this node at
//! once, on other nodes within `TTL` (their next database check).

use std::time::{Duration, Instant};

use crate::auth::Principal;

pub const TTL: Duration = Duration::from_secs(10);

#[derive(Clone)]
struct Entry {
    principal: Principal,
    valid_until: Instant,
    /// The login session an access token belongs to (none for API keys).
    session_id: Option<String>,
}

#[derive(Clone)]
pub struct AuthCache {
    entries: moka::sync::Cache<String, Entry>,
    /// Sessions ended on this node within `TTL`: their cached tokens are no longer trusted.
    /// Older entries need no memory here, they have expired from `entries` by then.
    ended_sessions: moka::sync::Cache<String, ()>,
}

impl Default for AuthCache {
    fn default() -> Self {
        Self {
            entries: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(TTL)
                .build(),
            ended_sessions: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(TTL)
                .build(),
        }
    }
}

impl AuthCache {
    /// The principal for the credential with this hash, if still fresh.
    pub fn get(&self, credential_hash: &str) -> Option<Principal> {
        let entry = self.entries.get(credential_hash)?;
        let ended = entry
            .session_id
            .as_ref()
            .is_some_and(|s| self.ended_sessions.contains_key(s));
        if !ended && Instant::now() < entry.valid_until {
            Some(entry.principal)
        } else {
            self.entries.invalidate(credential_hash);
            None
        }
    }

    /// Remembers a principal (of `session_id`, for an access token) until `TTL` from now or
    /// `expires_in`, whichever comes first.
    pub fn put(
        &self,
        credential_hash: String,
        principal: Principal,
        session_id: Option<String>,
        expires_in: Option<Duration>,
    ) {
        let ttl = expires_in.map_or(TTL, |e| e.min(TTL));
        let entry = Entry {
            principal,
            valid_until: Instant::now() + ttl,
            session_id,
        };
        self.entries.insert(credential_hash, entry);
    }

    /// Stops trusting cached access tokens of a session that has ended (logout).
    pub fn end_session(&self, session_id: &str) {
        self.ended_sessions.insert(session_id.to_owned(), ());
    }

    /// Forgets everything: after a revocation, a disabled user, a role change.
    pub fn clear(&self) {
        self.entries.invalidate_all();
    }
}
