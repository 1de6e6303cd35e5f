//! How a Redis client behaves while Redis is away: after a failed call Redis is skipped for a
//! second (calls fail at once, callers degrade), then one call probes it again while the
//! others keep degrading; the start of an outage is
//! logged once (a warning) and its end once (info), not once per request. The profile cache
//! and the rate limiter each keep one.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long Redis is skipped after a failure.
pub const SKIP_AFTER_FAILURE: Duration = Duration::from_secs(1);

#[derive(Clone, Debug)]
pub struct Outage {
    /// What this client is, in log lines and metrics (`cache`, `rate_limiter`).
    client: &'static str,
    started: Instant,
    /// Milliseconds since `started` before which Redis is not tried.
    skip_until: Arc<AtomicU64>,
    down: Arc<AtomicBool>,
    outages: Arc<AtomicU64>,
}

impl Outage {
    pub fn new(client: &'static str) -> Self {
        Self {
            client,
            started: Instant::now(),
            skip_until: Arc::new(AtomicU64::new(0)),
            down: Arc::new(AtomicBool::new(false)),
            outages: Arc::new(AtomicU64::new(0)),
        }
    }

    fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn skip_ms() -> u64 {
        u64::try_from(SKIP_AFTER_FAILURE.as_millis()).unwrap_or(1000)
    }

    /// Whether to call Redis now: not within [`SKIP_AFTER_FAILURE`] of a failure, and during
    /// an outage only one caller a second (the probe; the others keep degrading instead of
    /// all waiting for a Redis that may still be away).
    pub fn should_try(&self) -> bool {
        let now = self.elapsed_ms();
        let until = self.skip_until.load(Ordering::Acquire);
        if now < until {
            return false;
        }
        if !self.down.load(Ordering::Acquire) {
            return true;
        }
        self.skip_until
            .compare_exchange(
                until,
                now.saturating_add(Self::skip_ms()),
                Ordering::AcqRel,
                Ordering::Relaxed,
            )
            .is_ok()
    }

    /// A call failed: skip Redis for a while; the first failure of an outage is logged.
    pub fn failed(&self, error: &dyn std::fmt::Display) {
        self.skip_until.store(
            self.elapsed_ms().saturating_add(Self::skip_ms()),
            Ordering::Release,
        );
        if !self.down.swap(true, Ordering::AcqRel) {
            self.outages.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(
                client = self.client,
                error = %error,
                "redis unavailable; degrading until it answers again (retried every second, logged once)"
            );
        }
    }

    /// A call succeeded: the end of an outage is logged.
    pub fn succeeded(&self) {
        if self.down.load(Ordering::Relaxed) && self.down.swap(false, Ordering::AcqRel) {
            self.skip_until.store(0, Ordering::Release);
            tracing::info!(client = self.client, "redis answers again");
        }
    }

    /// Whether the last call failed (and none succeeded since).
    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::Relaxed)
    }

    /// Outages seen since start (each logged once).
    pub fn outages(&self) -> u64 {
        self.outages.load(Ordering::Relaxed)
    }

    pub fn client(&self) -> &'static str {
        self.client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_is_counted_once_and_skips_redis_for_a_while() {
        let outage = Outage::new("test");
        assert!(outage.should_try());
        assert!(outage.should_try(), "everyone calls a healthy Redis");
        outage.failed(&"refused");
        outage.failed(&"refused");
        assert!(!outage.should_try());
        assert!(outage.is_down());
        assert_eq!(outage.outages(), 1);
        // A second later one caller probes; the others keep skipping.
        outage.skip_until.store(0, Ordering::Release);
        assert!(outage.should_try());
        assert!(!outage.should_try());
        outage.succeeded();
        assert!(!outage.is_down());
        assert!(outage.should_try() && outage.should_try());
        outage.failed(&"refused");
        assert_eq!(outage.outages(), 2);
    }
}
