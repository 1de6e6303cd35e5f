//! Token buckets for rate limiting: in Redis when configured (shared by every API node, one
//! atomic script per check), in-process otherwise.

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
    },
}

#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    tokens: f64,
    at: Instant,
}

/// KEYS[1] bucket; ARGV[1] capacity, ARGV[2] tokens per millisecond. Time comes from Redis so
/// nodes with skewed clocks agree. Returns {allowed, tokens left (floor), ms until one token}.
const SCRIPT: &str = r"
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
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
            RateLimiter::Redis { connection, prefix } => {
                let mut conn = connection.clone();
                let script = redis::Script::new(SCRIPT);
                let mut invocation = script.key(format!("{prefix}{key}"));
                invocation.arg(capacity).arg(per_ms);
                let call = invocation.invoke_async::<(i64, i64, i64)>(&mut conn);
                let (allowed, tokens, wait) =
                    tokio::time::timeout(Duration::from_millis(500), call)
                        .await
                        .map_err(|_| CacheError::Timeout(Duration::from_millis(500)))??;
                (allowed == 1, tokens as f64, wait as f64)
            }
        };
        let missing = (capacity - tokens).max(0.0);
        Ok(Decision {
            allowed,
            limit: limit_per_minute,
            remaining: whole(tokens.floor()),
            retry_after_secs: if allowed {
                0
            } else {
                whole_u64((wait_ms / 1000.0).ceil()).max(1)
            },
            reset_secs: whole_u64((missing / per_ms / 1000.0).ceil()),
        })
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
}
