//! Token buckets for rate limiting: in Redis when configured (shared by every API node),
//! in-process otherwise.
//!
//! With Redis, a node takes tokens from the shared bucket in small leases (1/200 of the
//! per-minute limit, at least 1 and at most 50) and spends them locally for up to a second,
//! so a busy key costs one Redis round trip per lease instead of one per request. The shared
//! bucket never hands out more than the limit; a lease unused after a second is dropped (at
//! most a lease per node per second goes unspent). A limit under 400 a minute leases one
//! token at a time: every check is a round trip, exactly as without leases.
//!
//! **Outages.** Redis calls are bounded by a timeout; after a failure Redis is skipped for a
//! second ([`Outage`], the mechanism the cache uses; the outage is logged once and its end
//! once) and the node keeps limiting with in-process buckets of the same limits, so while
//! Redis is away each node enforces the limit on its own (N nodes admit up to N times it),
//! and no request waits for Redis more than once a second.
//!
//! A check may cost more than one token ([`RateLimiter::take`]): a GraphQL document pays in
//! proportion to its complexity. The shared bucket hands out all of a cost or nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::cache::{bounded, CacheError};
use crate::outage::Outage;

/// The outcome of one check against a bucket of `limit` requests a minute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until a request would be allowed (0 when allowed now).
    pub retry_after_secs: u64,
    /// Seconds until the bucket is full again.
    pub reset_secs: u64,
}

#[derive(Clone)]
pub enum RateLimiter {
    Memory(Buckets),
    Redis {
        connection: ConnectionManager,
        prefix: String,
        leases: Arc<Mutex<HashMap<String, Lease>>>,
        script: Arc<redis::Script>,
        outage: Outage,
        /// This node's buckets while Redis is away.
        fallback: Buckets,
    },
}

/// In-process token buckets by key.
pub type Buckets = Arc<Mutex<HashMap<String, Bucket>>>;

/// How long a Redis call of the limiter may take.
const REDIS_TIMEOUT: Duration = Duration::from_millis(500);

/// Tokens this node took from a shared bucket and may still spend.
#[derive(Debug, Clone, Copy)]
pub struct Lease {
    tokens: u32,
    /// What the shared bucket held after the lease was taken.
    bucket_left: u32,
    until: Instant,
}

/// How long a lease may be spent.
const LEASE_LIFE: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    tokens: f64,
    at: Instant,
}

/// KEYS[1] bucket; ARGV[1] capacity, ARGV[2] tokens per millisecond, ARGV[3] tokens wanted,
/// ARGV[4] fewest tokens worth taking. Time comes from Redis so nodes with skewed clocks
/// agree. Takes up to the tokens wanted (whole ones only; none when fewer than ARGV[4] are
/// there) and returns {tokens taken, tokens left (floor), ms until ARGV[4] tokens}.
const SCRIPT: &str = r"
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local least = tonumber(ARGV[4])
local allowed = math.min(tonumber(ARGV[3]), math.floor(tokens))
if allowed < least then allowed = 0 end
tokens = tokens - allowed
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 1000)
local wait = 0
if tokens < least then wait = math.ceil((least - tokens) / rate) end
return {allowed, math.floor(tokens), wait}
";

impl RateLimiter {
    pub fn memory() -> Self {
        RateLimiter::Memory(Arc::new(Mutex::new(HashMap::new())))
    }

    pub fn redis(url: &str, prefix: &str) -> Result<Self, CacheError> {
        let client = redis::Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_secs(1));
        Ok(RateLimiter::Redis {
            connection: ConnectionManager::new_lazy_with_config(client, config)?,
            prefix: format!("{prefix}rl:"),
            leases: Arc::new(Mutex::new(HashMap::new())),
            script: Arc::new(redis::Script::new(SCRIPT)),
            outage: Outage::new("rate_limiter"),
            fallback: Arc::new(Mutex::new(HashMap::new())),
        })
    }

    /// The outage tracker of a Redis limiter (none in process).
    pub fn outage(&self) -> Option<&Outage> {
        match self {
            RateLimiter::Memory(_) => None,
            RateLimiter::Redis { outage, .. } => Some(outage),
        }
    }

    /// Takes one token from `key`'s bucket of `limit_per_minute`.
    pub async fn check(&self, key: &str, limit_per_minute: u32) -> Result<Decision, CacheError> {
        self.take(key, limit_per_minute, 1).await
    }

    /// Takes `cost` tokens (at least 1, at most the bucket's size) from `key`'s bucket of
    /// `limit_per_minute`, all or none. With Redis away, the node's own bucket decides.
    pub async fn take(
        &self,
        key: &str,
        limit_per_minute: u32,
        cost: u32,
    ) -> Result<Decision, CacheError> {
        let limit = limit_per_minute.max(1);
        let cost = cost.clamp(1, limit);
        match self {
            RateLimiter::Memory(buckets) => Ok(take_local(buckets, key, limit_per_minute, cost)),
            RateLimiter::Redis {
                connection,
                prefix,
                leases,
                script,
                outage,
                fallback,
            } => {
                let now = Instant::now();
                let held = {
                    let mut leases = leases.lock().unwrap_or_else(|p| p.into_inner());
                    match leases.get_mut(key) {
                        Some(lease) if now < lease.until => {
                            if lease.tokens >= cost {
                                lease.tokens -= cost;
                                let left = f64::from(lease.bucket_left) + f64::from(lease.tokens);
                                return Ok(decision(true, left, 0.0, limit_per_minute));
                            }
                            // Held aside (so a concurrent check cannot spend them too) and
                            // put back below when the bucket refuses the rest.
                            std::mem::take(&mut lease.tokens)
                        }
                        _ => 0,
                    }
                };
                // The lease covers part of the cost; the shared bucket must give the rest.
                let need = cost - held;
                let extra = (limit / 200).clamp(1, 50) - 1;
                let mut conn = connection.clone();
                let mut invocation = script.key(format!("{prefix}{key}"));
                let capacity = f64::from(limit);
                invocation
                    .arg(capacity)
                    .arg(capacity / 60_000.0)
                    .arg(need.saturating_add(extra))
                    .arg(need);
                let call = invocation.invoke_async::<(i64, i64, i64)>(&mut conn);
                let (taken, tokens, wait) = match bounded(outage, REDIS_TIMEOUT, call).await {
                    Ok(answer) => answer,
                    Err(_) => {
                        restore(leases, key, held);
                        return Ok(take_local(fallback, key, limit_per_minute, cost));
                    }
                };
                let taken = u32::try_from(taken.max(0)).unwrap_or(0);
                let bucket_left = u32::try_from(tokens.max(0)).unwrap_or(u32::MAX);
                let allowed = taken >= need;
                let mut leases = leases.lock().unwrap_or_else(|p| p.into_inner());
                if leases.len() > 100_000 {
                    leases.retain(|_, l| now < l.until);
                }
                let spare = if allowed { (held + taken) - cost } else { held };
                if spare > 0 {
                    leases.insert(
                        key.to_owned(),
                        Lease {
                            tokens: spare,
                            bucket_left,
                            until: now + LEASE_LIFE,
                        },
                    );
                } else {
                    leases.remove(key);
                }
                let left = f64::from(bucket_left) + f64::from(spare);
                Ok(decision(allowed, left, wait as f64, limit_per_minute))
            }
        }
    }
}

/// Puts `held` lease tokens back after a failed call.
fn restore(leases: &Mutex<HashMap<String, Lease>>, key: &str, held: u32) {
    if held == 0 {
        return;
    }
    let mut leases = leases.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(lease) = leases.get_mut(key) {
        lease.tokens = lease.tokens.saturating_add(held);
    }
}

/// Takes `cost` tokens from an in-process bucket (all or none).
fn take_local(buckets: &Buckets, key: &str, limit_per_minute: u32, cost: u32) -> Decision {
    let capacity = f64::from(limit_per_minute.max(1));
    let per_ms = capacity / 60_000.0;
    let cost = f64::from(cost);
    let now = Instant::now();
    let mut buckets = buckets.lock().unwrap_or_else(|p| p.into_inner());
    if buckets.len() > 100_000 {
        // Full buckets carry no information: forget them.
        buckets.retain(|_, b| {
            b.tokens + now.duration_since(b.at).as_secs_f64() * 1000.0 * per_ms < capacity
        });
    }
    let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
        tokens: capacity,
        at: now,
    });
    let elapsed_ms = now.duration_since(bucket.at).as_secs_f64() * 1000.0;
    let mut tokens = (bucket.tokens + elapsed_ms * per_ms).min(capacity);
    let allowed = tokens >= cost;
    if allowed {
        tokens -= cost;
    }
    *bucket = Bucket { tokens, at: now };
    let wait = if tokens < cost {
        ((cost - tokens) / per_ms).ceil()
    } else {
        0.0
    };
    decision(allowed, tokens, wait, limit_per_minute)
}

/// The outcome for a bucket of `limit_per_minute` with `tokens` left.
fn decision(allowed: bool, tokens: f64, wait_ms: f64, limit_per_minute: u32) -> Decision {
    let capacity = f64::from(limit_per_minute.max(1));
    let per_ms = capacity / 60_000.0;
    let missing = (capacity - tokens).max(0.0);
    Decision {
        allowed,
        limit: limit_per_minute,
        remaining: whole(tokens.floor()),
        retry_after_secs: if allowed {
            0
        } else {
            whole_u64((wait_ms / 1000.0).ceil()).max(1)
        },
        reset_secs: whole_u64((missing / per_ms / 1000.0).ceil()),
    }
}

fn whole(v: f64) -> u32 {
    if v.is_finite() && v > 0.0 {
        // Bounded by the capacity, itself a u32.
        v.min(f64::from(u32::MAX)) as u32
    } else {
        0
    }
}

fn whole_u64(v: f64) -> u64 {
    if v.is_finite() && v > 0.0 {
        v.min(1e15) as u64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_bucket_empties_then_refuses_with_a_wait() {
        let limiter = RateLimiter::memory();
        for i in 0..3 {
            let d = limiter.check("k", 3).await.unwrap();
            assert!(d.allowed, "request {i}");
            assert_eq!(d.remaining, 2 - i);
        }
        let d = limiter.check("k", 3).await.unwrap();
        assert!(!d.allowed);
        assert!(d.retry_after_secs >= 1 && d.retry_after_secs <= 20);
        // Another key has its own bucket.
        assert!(limiter.check("other", 3).await.unwrap().allowed);
    }

    #[tokio::test]
    async fn a_cost_is_taken_whole_or_not_at_all() {
        let limiter = RateLimiter::memory();
        assert!(limiter.take("k", 100, 60).await.unwrap().allowed);
        let refused = limiter.take("k", 100, 60).await.unwrap();
        assert!(!refused.allowed, "only 40 left");
        assert_eq!(refused.remaining, 40, "a refused cost takes nothing");
        assert!(refused.retry_after_secs >= 1);
        assert!(limiter.take("k", 100, 40).await.unwrap().allowed);
        // A cost above the bucket's size costs the whole bucket, not a refusal forever.
        assert!(limiter.take("big", 10, 1_000).await.unwrap().allowed);
        assert!(!limiter.check("big", 10).await.unwrap().allowed);
    }

    /// A Redis that does not answer: the node limits with its own buckets, tries Redis at
    /// most once a second, and counts one outage.
    #[tokio::test]
    async fn without_redis_the_node_limits_on_its_own() {
        // Nothing listens on port 1.
        let limiter = RateLimiter::redis("redis://127.0.0.1:1", "test:").unwrap();
        let mut allowed = 0;
        for _ in 0..20 {
            if limiter.check("k", 10).await.unwrap().allowed {
                allowed += 1;
            }
        }
        assert_eq!(allowed, 10, "the in-process bucket enforced the limit");
        let outage = limiter.outage().unwrap();
        assert!(outage.is_down());
        assert_eq!(outage.outages(), 1);
    }

    /// Two nodes leasing from one Redis bucket never hand out more than the bucket holds
    /// (plus what it refilled meanwhile). Needs RAPPORT_TEST_REDIS_URL.
    #[tokio::test]
    async fn leases_from_a_shared_bucket_never_exceed_it() {
        let Some(url) = crate::testing::test_redis_url() else {
            return;
        };
        let prefix = crate::testing::unique_cache_prefix();
        let a = RateLimiter::redis(&url, &prefix).unwrap();
        let b = RateLimiter::redis(&url, &prefix).unwrap();
        // 1,200 a minute: leases of 6, refilled at 20 a second.
        let started = Instant::now();
        let mut allowed = 0u32;
        for i in 0..2_000 {
            let node = if i % 3 == 0 { &a } else { &b };
            if node.check("hot", 1_200).await.unwrap().allowed {
                allowed += 1;
            }
        }
        let refilled = (started.elapsed().as_secs_f64() * 20.0).ceil() as u32;
        assert!(allowed >= 1_200, "the whole bucket was usable: {allowed}");
        assert!(
            allowed <= 1_200 + refilled,
            "{allowed} allowed from a bucket of 1,200 refilling {refilled}"
        );
        let d = a.check("hot", 1_200).await.unwrap();
        if !d.allowed {
            assert!(d.retry_after_secs >= 1);
        }
    }
}
