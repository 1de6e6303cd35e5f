//! The one gateway from async handlers to blocking Diesel: a permit (so requests queue here,
//! not inside r2d2), a blocking thread, a pooled connection, the caller's closure.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use rapport_persistence::{DbConn, DbPool};
use tokio::sync::Semaphore;

use crate::error::ApiError;

#[derive(Clone)]
pub struct Db {
    pool: DbPool,
    permits: Arc<Semaphore>,
    permits_total: usize,
    wait: Duration,
}

impl Db {
    /// `wait` bounds how long a request queues for a connection before a 503.
    pub fn new(pool: DbPool, wait: Duration) -> Self {
        let size = usize::try_from(pool.max_size()).unwrap_or(1);
        Self {
            pool,
            permits: Arc::new(Semaphore::new(size)),
            permits_total: size.max(1),
            wait,
        }
    }

    pub fn pool(&self) -> &DbPool {
        &self.pool
    }

    /// Runs `f` with a connection on a blocking thread. A transaction must begin and end
    /// inside one `f`; `f` must never take a second connection.
    pub async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.run_many(1, move |conns| f(&mut *conns[0])).await
    }

    /// Runs `f` with up to `n` connections at once (one permit each, taken together so two
    /// callers never hold part of what each needs), for a read split into parts that run side
    /// by side ([`rapport_persistence::read_parts`]). SQLite gets one connection: it cannot
    /// share a snapshot between connections, so its parts run one after another.
    pub async fn run_many<T, F>(&self, n: usize, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut [&mut DbConn]) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let n = n.clamp(1, self.permits_total);
        let wanted = u32::try_from(n).unwrap_or(1);
        let permits =
            tokio::time::timeout(self.wait, self.permits.clone().acquire_many_owned(wanted))
                .await
                .map_err(|_| {
                    ApiError::unavailable("database_busy", "the database is busy; retry shortly")
                })?
                .map_err(ApiError::internal)?;
        let pool = self.pool.clone();
        web::block(move || {
            let _permits = permits;
            let mut pooled = vec![pool.get().map_err(unavailable)?];
            if matches!(*pooled[0], DbConn::Pg(_)) {
                for _ in 1..n {
                    pooled.push(pool.get().map_err(unavailable)?);
                }
            }
            let mut conns: Vec<&mut DbConn> = pooled.iter_mut().map(|c| &mut **c).collect();
            let result = f(&mut conns);
            if matches!(&result, Err(e) if e.code == "database_unavailable") {
                // Its server went away: the pool must not lend it out again.
                rapport_persistence::connection::discard_on_release();
            }
            drop(conns);
            drop(pooled);
            result
        })
        .await
        .map_err(ApiError::internal)?
    }
}

fn unavailable(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "no database connection");
    ApiError::unavailable("database_unavailable", "the database cannot be reached")
}
