//! The profile cache: Redis when configured (shared by all API nodes), in-process otherwise.
//! Values are opaque bytes under a namespace prefix; callers decide what a miss or an error
//! means (for profiles: read the database and log a warning).

use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::AsyncCommands;

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("redis did not answer within {0:?}")]
    Timeout(Duration),
}

#[derive(Clone)]
pub enum Cache {
    Memory(MemoryCache),
    Redis(RedisCache),
}

#[derive(Clone)]
pub struct MemoryCache {
    entries: moka::future::Cache<String, Arc<[u8]>>,
}

#[derive(Clone)]
pub struct RedisCache {
    connection: ConnectionManager,
    prefix: String,
    ttl: Duration,
    timeout: Duration,
}

impl Cache {
    /// An in-process cache holding at most `max_entries` values for `ttl` each.
    pub fn memory(ttl: Duration, max_entries: u64) -> Self {
        Cache::Memory(MemoryCache {
            entries: moka::future::Cache::builder()
                .max_capacity(max_entries)
                .time_to_live(ttl)
                .build(),
        })
    }

    /// A Redis cache. Connects lazily and reconnects by itself, so a Redis that is down at
    /// start or later only turns reads into errors the caller degrades on.
    pub fn redis(url: &str, prefix: &str, ttl: Duration) -> Result<Self, CacheError> {
        let timeout = Duration::from_millis(500);
        let client = redis::Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_secs(2));
        let connection = ConnectionManager::new_lazy_with_config(client, config)?;
        Ok(Cache::Redis(RedisCache {
            connection,
            prefix: prefix.to_owned(),
            ttl,
            timeout,
        }))
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
                let mut conn = r.connection.clone();
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
                let mut conn = r.connection.clone();
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
                let mut conn = r.connection.clone();
                let full: Vec<String> = keys.iter().map(|k| r.key(k)).collect();
                r.bounded(conn.del::<_, ()>(full)).await
            }
        }
    }

    /// Round trip to the cache, for readiness checks.
    pub async fn ping(&self) -> Result<(), CacheError> {
        match self {
            Cache::Memory(_) => Ok(()),
            Cache::Redis(r) => {
                let mut conn = r.connection.clone();
                r.bounded(async move { redis::cmd("PING").query_async::<String>(&mut conn).await })
                    .await
                    .map(|_| ())
            }
        }
    }
}

impl RedisCache {
    fn key(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }

    async fn bounded<T>(
        &self,
        fut: impl std::future::Future<Output = redis::RedisResult<T>>,
    ) -> Result<T, CacheError> {
        match tokio::time::timeout(self.timeout, fut).await {
            Ok(result) => Ok(result?),
            Err(_) => Err(CacheError::Timeout(self.timeout)),
        }
    }
}
