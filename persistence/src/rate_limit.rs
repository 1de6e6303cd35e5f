//! Token buckets for rate limiting: in Redis when configured (shared by every API node),
//! in-process otherwise.
//!
//! With Redis, a node takes tokens from the shared bucket in small leases (1/200 of the
//! per-minute limit, at least 1 and at most 50) and spends them locally for up to a second,
//! so a busy key costs one Redis round trip per lease instead of one per request. The shared
//! bucket never hands out more than the limit; a lease unused after a second is dropped (at
//! most a lease per node per second goes unspent). A limit under 400 a minute leases one
//! token at a time: every check is a round trip, exactly as without leases.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::cache::CacheError;

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
    Memory(Arc<Mutex<HashMap<String, Bucket>>>),
    Redis {
        connection: ConnectionManager,
        prefix: String,
        leases: Arc<Mutex<HashMap<String, Lease>>>,
        script: Arc<redis::Script>,
    },
}

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

/// KEYS[1] bucket; ARGV[1] capacity, ARGV[2] tokens per millisecond, ARGV[3] tokens wanted.
/// Time comes from Redis so nodes with skewed clocks agree. Takes up to the tokens wanted
/// (whole ones only) and returns {tokens taken, tokens left (floor), ms until one token}.
const SCRIPT: &str = r"
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local allowed = math.min(tonumber(ARGV[3]), math.floor(tokens))
if allowed < 0 then allowed = 0 end
tokens = tokens - allowed
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 1000)
local wait = 0
if tokens < 1 then wait = math.ceil((1 - tokens) / rate) end
return {allowed, math.floor(tokens), wait}
";

impl RateLimiter {
    pub fn memory() -> Self {
        RateLimiter::Memory(Arc::new(Mutex::new(HashMap::new())))
    }

    pub fn redis(url: &str, prefix: &str) -> Result<Self, CacheError> {
        let timeout = Duration::from_millis(500);
        let client = redis::Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout))
            .set_number_of_retries(1);
        Ok(RateLimiter::Redis {
            connection: ConnectionManager::new_lazy_with_config(client, config)?,
            prefix: format!("{prefix}rl:"),
            leases: Arc::new(Mutex::new(HashMap::new())),
            script: Arc::new(redis::Script::new(SCRIPT)),
        })
    }

    /// Takes one token from `key`'s bucket of `limit_per_minute`.
    pub async fn check(&self, key: &str, limit_per_minute: u32) -> Result<Decision, CacheError> {
        let capacity = f64::from(limit_per_minute.max(1));
        let per_ms = capacity / 60_000.0;
        let (allowed, tokens, wait_ms) = match self {
            RateLimiter::Memory(buckets) => {
                let now = Instant::now();
                let mut buckets = buckets.lock().unwrap_or_else(|p| p.into_inner());
                if buckets.len() > 100_000 {
                    // Full buckets carry no information: forget them.
                    buckets.retain(|_, b| {
                        b.tokens + now.duration_since(b.at).as_secs_f64() * 1000.0 * per_ms
                            < capacity
                    });
                }
                let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
                    tokens: capacity,
                    at: now,
                });
                let elapsed_ms = now.duration_since(bucket.at).as_secs_f64() * 1000.0;
                let mut tokens = (bucket.tokens + elapsed_ms * per_ms).min(capacity);
                let allowed = tokens >= 1.0;
                if allowed {
                    tokens -= 1.0;
                }
                *bucket = Bucket { tokens, at: now };
                let wait = if tokens < 1.0 {
                    ((1.0 - tokens) / per_ms).ceil()
                } else {
                    0.0
                };
                (allowed, tokens, wait)
            }
            RateLimiter::Redis {
                connection,
                prefix,
                leases,
                script,
            } => {
                let now = Instant::now();
                {
                    let mut leases = leases.lock().unwrap_or_else(|p| p.into_inner());
                    if let Some(lease) = leases.get_mut(key) {
                        if lease.tokens > 0 && now < lease.until {
                            lease.tokens -= 1;
                            let left = f64::from(lease.bucket_left) + f64::from(lease.tokens);
                            return Ok(decision(true, left, 0.0, limit_per_minute));
                        }
                    }
                }
                let want = (limit_per_minute / 200).clamp(1, 50);
                let mut conn = connection.clone();
                let mut invocation = script.key(format!("{prefix}{key}"));
                invocation.arg(capacity).arg(per_ms).arg(want);
                let call = invocation.invoke_async::<(i64, i64, i64)>(&mut conn);
                let (taken, tokens, wait) = tokio::time::timeout(Duration::from_millis(500), call)
                    .await
                    .map_err(|_| CacheError::Timeout(Duration::from_millis(500)))??;
                let taken = u32::try_from(taken.max(0)).unwrap_or(0);
                let bucket_left = u32::try_from(tokens.max(0)).unwrap_or(u32::MAX);
                let mut leases = leases.lock().unwrap_or_else(|p| p.into_inner());
                if leases.len() > 100_000 {
                    leases.retain(|_, l| now < l.until);
                }
                if taken > 1 {
                    leases.insert(
                        key.to_owned(),
                        Lease {
                            tokens: taken - 1,
                            bucket_left,
                            until: now + LEASE_LIFE,
                        },
                    );
                } else {
                    leases.remove(key);
                }
                let left = f64::from(bucket_left) + f64::from(taken.saturating_sub(1));
                (taken > 0, left, wait as f64)
            }
        };
        Ok(decision(allowed, tokens, wait_ms, limit_per_minute))
    }
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
