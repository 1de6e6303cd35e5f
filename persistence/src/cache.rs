//! The profile cache: Redis when configured (shared by all API nodes), in-process otherwise.
//! Values are opaque bytes under a namespace prefix; callers decide what a miss or an error
//! means (for profiles: read the database and log a warning).
//!
//! **Generations.** Cached values are stored under the current *generations* of the things
//! they depend on (a workspace, an account): `key@g1.g2`. A generation is a counter value
//! handed out once from a sequence that never repeats; invalidating a thing deletes its
//! generation, so the next read gets a fresh one and every value stored under the old one
//! is unreachable (it expires on its TTL). This closes the cache-aside race: a reader that
//! read the generation, then the database before a writer committed, stores its stale value
//! under a generation the writer has already deleted, where nobody looks.
//!
//! **Outages.** Every Redis call is bounded by a short timeout; after a failure Redis is
//! skipped for one second (calls fail at once), then tried again, so a dead Redis costs
//! one timeout a second, not one per request ([`crate::outage::Outage`], shared with the
//! rate limiter; the outage is logged once when it starts and once when it ends). An invalidation that fails marks everything
//! stored before it as stale on this node (values carry the time they were built), so this
//! node never serves a value a failed invalidation should have removed. Other nodes rely
//! on the TTL for that window.
//!
//! **On Redis** a read is one plain `MGET` of the generations and the value (no script:
//! a Lua call costs Redis about three times an `MGET`, and Redis shares the machine). The
//! value is stored under its key alone, prefixed with the tag it was built under; it counts
//! only when that tag is the current one. A generation that does not exist yet (first read,
//! or just invalidated) is created by a small script, on that miss only.
//!
//! Redis Cluster note: the generation script touches a key it derives (the sequence), so
//! keys would need a common hash tag on a cluster.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::AsyncCommands;

use crate::outage::Outage;

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("redis did not answer within {0:?}")]
    Timeout(Duration),
    #[error("redis failed less than a second ago; not trying again yet")]
    Backoff,
}

#[derive(Clone)]
pub enum Cache {
    Memory(MemoryCache),
    Redis(Box<RedisCache>),
}

#[derive(Clone)]
pub struct MemoryCache {
    entries: moka::future::Cache<String, Arc<[u8]>>,
    generations: moka::sync::Cache<String, u64>,
    sequence: Arc<AtomicU64>,
}

#[derive(Clone)]
pub struct RedisCache {
    client: redis::Client,
    config: ConnectionManagerConfig,
    /// Tells this cache's connections apart in each thread's [`CONNECTIONS`].
    id: u64,
    prefix: String,
    ttl: Duration,
    timeout: Duration,
    /// Skips Redis for a while after a failure; logs the outage once.
    outage: Outage,
    /// Unix milliseconds: values built before this are ignored (a failed invalidation).
    stale_before: Arc<AtomicI64>,
    generations_script: redis::Script,
}

/// What a generational read found: the generation tag to store a fresh value under, and
/// the value if one is stored for the current generations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned {
    pub tag: String,
    pub value: Option<Vec<u8>>,
}

/// Creates the generations that do not exist yet (from the never-repeating sequence) and
/// returns the tag of all of them.
const GENERATIONS_SCRIPT: &str = r"
local tag = {}
for i, k in ipairs(KEYS) do
  local g = redis.call('GET', k)
  if not g then
    g = tostring(redis.call('INCR', ARGV[1]))
    redis.call('SET', k, g, 'EX', ARGV[2])
  end
  tag[i] = g
end
return table.concat(tag, '.')
";

fn unix_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A stored value: the Unix milliseconds it was built at, then the bytes.
fn stamp(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 8);
    out.extend_from_slice(&unix_millis().to_be_bytes());
    out.extend_from_slice(value);
    out
}

fn unstamp(stored: &[u8]) -> Option<(i64, &[u8])> {
    let (head, rest) = stored.split_at_checked(8)?;
    let built = i64::from_be_bytes(head.try_into().ok()?);
    Some((built, rest))
}

/// A value as Redis stores it: the tag's length (2 bytes), the tag, then [`stamp`]'s.
fn tagged(tag: &str, value: &[u8]) -> Vec<u8> {
    let tag = &tag.as_bytes()[..tag.len().min(usize::from(u16::MAX))];
    let mut out = Vec::with_capacity(2 + tag.len() + 8 + value.len());
    out.extend_from_slice(&u16::try_from(tag.len()).unwrap_or(u16::MAX).to_be_bytes());
    out.extend_from_slice(tag);
    out.extend_from_slice(&stamp(value));
    out
}

/// The tag, build time and bytes of a value stored by [`tagged`].
fn untagged(stored: &[u8]) -> Option<(&[u8], i64, &[u8])> {
    let (len, rest) = stored.split_at_checked(2)?;
    let len = usize::from(u16::from_be_bytes(len.try_into().ok()?));
    let (tag, rest) = rest.split_at_checked(len)?;
    let (built, bytes) = unstamp(rest)?;
    Some((tag, built, bytes))
}

impl Cache {
    /// An in-process cache holding at most `max_entries` values for `ttl` each.
    pub fn memory(ttl: Duration, max_entries: u64) -> Self {
        Cache::Memory(MemoryCache {
            entries: moka::future::Cache::builder()
                .max_capacity(max_entries)
                .time_to_live(ttl)
                .build(),
            generations: moka::sync::Cache::builder()
                .max_capacity(max_entries.saturating_mul(2))
                .time_to_live(ttl.saturating_mul(2))
                .build(),
            sequence: Arc::new(AtomicU64::new(1)),
        })
    }

    /// A Redis cache. Connects lazily and reconnects by itself, so a Redis that is down at
    /// start or later only turns reads into errors the caller degrades on.
    pub fn redis(url: &str, prefix: &str, ttl: Duration) -> Result<Self, CacheError> {
        let timeout = Duration::from_millis(250);
        let client = redis::Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_secs(1));
        Ok(Cache::Redis(Box::new(RedisCache {
            client,
            config,
            id: NEXT_CACHE_ID.fetch_add(1, Ordering::Relaxed),
            prefix: prefix.to_owned(),
            ttl,
            timeout,
            outage: Outage::new("cache"),
            stale_before: Arc::new(AtomicI64::new(0)),
            generations_script: redis::Script::new(GENERATIONS_SCRIPT),
        })))
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Cache::Memory(_) => "memory",
            Cache::Redis(_) => "redis",
        }
    }

    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        match self {
            Cache::Memory(m) => Ok(m.entries.get(key).await.map(|v| v.to_vec())),
            Cache::Redis(r) => {
                let mut conn = r.connection()?;
                r.bounded(conn.get::<_, Option<Vec<u8>>>(r.key(key))).await
            }
        }
    }

    pub async fn set(&self, key: &str, value: Vec<u8>) -> Result<(), CacheError> {
        match self {
            Cache::Memory(m) => {
                m.entries.insert(key.to_owned(), value.into()).await;
                Ok(())
            }
            Cache::Redis(r) => {
                let mut conn = r.connection()?;
                let seconds = r.ttl.as_secs().max(1);
                r.bounded(conn.set_ex::<_, _, ()>(r.key(key), value, seconds))
                    .await
            }
        }
    }

    pub async fn delete(&self, keys: &[String]) -> Result<(), CacheError> {
        if keys.is_empty() {
            return Ok(());
        }
        match self {
            Cache::Memory(m) => {
                for key in keys {
                    m.entries.invalidate(key).await;
                }
                Ok(())
            }
            Cache::Redis(r) => {
                let mut conn = r.connection()?;
                let full: Vec<String> = keys.iter().map(|k| r.key(k)).collect();
                r.bounded(conn.del::<_, ()>(full)).await
            }
        }
    }

    /// The value stored for `key` under the current generations of `generations` (one
    /// round trip on Redis), and the tag to store a freshly built value under.
    pub async fn get_versioned(
        &self,
        generations: &[String],
        key: &str,
    ) -> Result<Versioned, CacheError> {
        match self {
            Cache::Memory(m) => {
                let tag = generations
                    .iter()
                    .map(|g| {
                        m.generations
                            .get_with(g.clone(), || m.sequence.fetch_add(1, Ordering::Relaxed))
                            .to_string()
                    })
                    .collect::<Vec<_>>()
                    .join(".");
                let value = m
                    .entries
                    .get(&format!("{key}@{tag}"))
                    .await
                    .map(|v| v.to_vec());
                Ok(Versioned { tag, value })
            }
            Cache::Redis(r) => r.get_versioned(generations, key).await,
        }
    }

    /// Stores a value built after [`Cache::get_versioned`] returned `tag`.
    pub async fn set_versioned(
        &self,
        tag: &str,
        key: &str,
        value: &[u8],
    ) -> Result<(), CacheError> {
        match self {
            Cache::Memory(m) => {
                m.entries
                    .insert(format!("{key}@{tag}"), Arc::from(value))
                    .await;
                Ok(())
            }
            Cache::Redis(r) => {
                let mut conn = r.connection()?;
                let seconds = r.ttl.as_secs().max(1);
                r.bounded(conn.set_ex::<_, _, ()>(r.key(key), tagged(tag, value), seconds))
                    .await
            }
        }
    }

    /// Invalidates everything stored under these generations.
    pub async fn bump(&self, generations: &[String]) -> Result<(), CacheError> {
        if generations.is_empty() {
            return Ok(());
        }
        match self {
            Cache::Memory(m) => {
                for g in generations {
                    m.generations.invalidate(g);
                }
                Ok(())
            }
            Cache::Redis(r) => {
                let full: Vec<String> = generations.iter().map(|k| r.key(k)).collect();
                let result = match r.connection() {
                    Ok(mut conn) => r.bounded(conn.del::<_, ()>(full)).await,
                    Err(err) => Err(err),
                };
                if result.is_err() {
                    // This node must not serve what this invalidation should have hidden.
                    r.stale_before.store(unix_millis() + 1, Ordering::Relaxed);
                }
                result
            }
        }
    }

    /// Every value the in-process cache holds, with its key (empty on Redis, whose values
    /// are read with `SCAN`): for diagnostics and for tests that look for what it keeps.
    pub fn memory_entries(&self) -> Vec<(String, Vec<u8>)> {
        match self {
            Cache::Memory(m) => m
                .entries
                .iter()
                .map(|(k, v)| (k.as_ref().clone(), v.to_vec()))
                .collect(),
            Cache::Redis(_) => Vec::new(),
        }
    }

    /// Deletes every stored value whose key contains `fragment` (whatever generation it
    /// was stored under): an erased account's views must not stay until their TTL. On
    /// Redis a `SCAN` of the namespace; rare, never on a request's hot path.
    pub async fn forget_containing(&self, fragment: &str) -> Result<(), CacheError> {
        match self {
            Cache::Memory(m) => {
                let keys: Vec<String> = m
                    .entries
                    .iter()
                    .filter(|(k, _)| k.contains(fragment))
                    .map(|(k, _)| k.as_ref().clone())
                    .collect();
                for key in keys {
                    m.entries.invalidate(&key).await;
                }
                Ok(())
            }
            Cache::Redis(r) => {
                let mut conn = r.connection()?;
                let pattern = format!("{}*{}*", glob_escape(&r.prefix), glob_escape(fragment));
                let mut cursor: u64 = 0;
                loop {
                    let (next, keys): (u64, Vec<String>) = r
                        .bounded(
                            redis::cmd("SCAN")
                                .arg(cursor)
                                .arg("MATCH")
                                .arg(&pattern)
                                .arg("COUNT")
                                .arg(1000)
                                .query_async(&mut conn),
                        )
                        .await?;
                    if !keys.is_empty() {
                        r.bounded(conn.del::<_, ()>(keys)).await?;
                    }
                    if next == 0 {
                        return Ok(());
                    }
                    cursor = next;
                }
            }
        }
    }

    /// Round trip to the cache, for readiness checks.
    pub async fn ping(&self) -> Result<(), CacheError> {
        match self {
            Cache::Memory(_) => Ok(()),
            Cache::Redis(r) => {
                let mut conn = r.connection()?;
                r.bounded(async move { redis::cmd("PING").query_async::<String>(&mut conn).await })
                    .await
                    .map(|_| ())
            }
        }
    }
}

impl Cache {
    /// The outage tracker of a Redis cache (none in process).
    pub fn outage(&self) -> Option<&Outage> {
        match self {
            Cache::Memory(_) => None,
            Cache::Redis(r) => Some(&r.outage),
        }
    }
}

/// Runs one Redis call within `timeout`, unless `outage` says Redis failed less than a
/// second ago; a failure starts (or extends) the outage, a success ends it.
pub(crate) async fn bounded<T>(
    outage: &Outage,
    timeout: Duration,
    fut: impl std::future::Future<Output = redis::RedisResult<T>>,
) -> Result<T, CacheError> {
    if !outage.should_try() {
        return Err(CacheError::Backoff);
    }
    let error = match tokio::time::timeout(timeout, fut).await {
        Ok(Ok(value)) => {
            outage.succeeded();
            return Ok(value);
        }
        Ok(Err(err)) => CacheError::Redis(err),
        Err(_) => CacheError::Timeout(timeout),
    };
    outage.failed(&error);
    Err(error)
}

/// `text` as a Redis glob matching itself only.
fn glob_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Numbers the Redis caches of this process (a test process runs many apps).
static NEXT_CACHE_ID: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// Each thread's connection to each Redis cache. A connection's I/O task runs on the
    /// runtime of the thread that opened it, so an HTTP worker (a single-threaded runtime)
    /// talks to Redis without waking another thread twice a request, as one shared
    /// connection driven elsewhere would make it.
    static CONNECTIONS: std::cell::RefCell<std::collections::HashMap<u64, ConnectionManager>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

impl RedisCache {
    /// This thread's connection (made lazily: it connects on first use, and reconnects by
    /// itself after a failure).
    fn connection(&self) -> Result<ConnectionManager, CacheError> {
        CONNECTIONS.with(|connections| {
            let mut connections = connections.borrow_mut();
            if let Some(conn) = connections.get(&self.id) {
                return Ok(conn.clone());
            }
            let conn =
                ConnectionManager::new_lazy_with_config(self.client.clone(), self.config.clone())?;
            connections.insert(self.id, conn.clone());
            Ok(conn)
        })
    }

    fn key(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }

    /// One `MGET` of the generations and the value; the generation script only when a
    /// generation is missing.
    async fn get_versioned(
        &self,
        generations: &[String],
        key: &str,
    ) -> Result<Versioned, CacheError> {
        let mut conn = self.connection()?;
        let mut mget = redis::cmd("MGET");
        for g in generations {
            mget.arg(self.key(g));
        }
        mget.arg(self.key(key));
        let mut found: Vec<Option<Vec<u8>>> = self.bounded(mget.query_async(&mut conn)).await?;
        let stored = found.pop().flatten();
        let current: Option<Vec<String>> = found
            .into_iter()
            .map(|g| g.and_then(|g| String::from_utf8(g).ok()))
            .collect();
        let Some(current) = current.filter(|c| c.len() == generations.len()) else {
            let mut invocation = self.generations_script.prepare_invoke();
            for g in generations {
                invocation.key(self.key(g));
            }
            invocation
                .arg(self.key("generation-sequence"))
                .arg(self.ttl.as_secs().max(1).saturating_mul(2));
            let tag: String = self.bounded(invocation.invoke_async(&mut conn)).await?;
            return Ok(Versioned { tag, value: None });
        };
        let tag = current.join(".");
        let stale_before = self.stale_before.load(Ordering::Relaxed);
        let value = stored.and_then(|s| {
            let (stored_tag, built, bytes) = untagged(&s)?;
            (stored_tag == tag.as_bytes() && built >= stale_before).then(|| bytes.to_vec())
        });
        Ok(Versioned { tag, value })
    }

    async fn bounded<T>(
        &self,
        fut: impl std::future::Future<Output = redis::RedisResult<T>>,
    ) -> Result<T, CacheError> {
        bounded(&self.outage, self.timeout, fut).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_round_trip() {
        let s = stamp(b"abc");
        let (built, bytes) = unstamp(&s).unwrap_or((0, b""));
        assert!(built > 0);
        assert_eq!(bytes, b"abc");
        assert_eq!(unstamp(b"short"), None);
    }

    #[test]
    fn tags_round_trip() {
        let s = tagged("12.34", b"abc");
        let (tag, built, bytes) = untagged(&s).unwrap_or((b"", 0, b""));
        assert_eq!((tag, bytes), (&b"12.34"[..], &b"abc"[..]));
        assert!(built > 0);
        assert_eq!(untagged(b"\x00\x09short"), None);
    }

    async fn generations_hide_what_a_bump_invalidated(cache: &Cache) {
        let gens = vec!["ws:1".to_owned(), "acct:1".to_owned()];
        let key = "p:1".to_owned();
        let read = |cache: &Cache| {
            let (gens, key) = (gens.clone(), key.clone());
            let cache = cache.clone();
            async move {
                cache
                    .get_versioned(&gens, &key)
                    .await
                    .unwrap_or_else(|e| panic!("cache read failed: {e}"))
            }
        };
        let first = read(cache).await;
        assert_eq!(first.value, None);
        cache.set_versioned(&first.tag, &key, b"v1").await.ok();
        let again = read(cache).await;
        assert_eq!(again.value.as_deref(), Some(&b"v1"[..]));
        assert_eq!(again.tag, first.tag);
        cache.bump(&gens[1..]).await.ok();
        let after = read(cache).await;
        assert_eq!(after.value, None);
        assert_ne!(after.tag, first.tag);
        // A slow reader storing under the old tag does not resurrect the old value.
        cache.set_versioned(&first.tag, &key, b"stale").await.ok();
        let still = read(cache).await;
        assert_eq!(still.value, None);
        // The fresh value, stored under the new tag, is served.
        cache.set_versioned(&after.tag, &key, b"v2").await.ok();
        assert_eq!(read(cache).await.value.as_deref(), Some(&b"v2"[..]));
        // A workspace-wide bump hides it too.
        cache.bump(&gens[..1]).await.ok();
        assert_eq!(read(cache).await.value, None);
    }

    #[tokio::test]
    async fn memory_generations_hide_what_a_bump_invalidated() {
        let cache = Cache::memory(Duration::from_secs(60), 100);
        generations_hide_what_a_bump_invalidated(&cache).await;
    }

    /// Against the real Redis when `RAPPORT_TEST_REDIS_URL` is set (as in CI).
    #[tokio::test]
    async fn redis_generations_hide_what_a_bump_invalidated() {
        let Ok(url) = std::env::var("RAPPORT_TEST_REDIS_URL") else {
            return;
        };
        let prefix = format!("test-cache-{}:", uuid::Uuid::new_v4());
        let cache = Cache::redis(&url, &prefix, Duration::from_secs(60))
            .unwrap_or_else(|e| panic!("redis cache: {e}"));
        generations_hide_what_a_bump_invalidated(&cache).await;
    }
}
