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
    wait: Duration,
}

impl Db {
    /// `wait` bounds how long a request queues for a connection before a 503.
    pub fn new(pool: DbPool, wait: Duration) -> Self {
        let size = usize::try_from(pool.max_size()).unwrap_or(1);
        Self {
            pool,
            permits: Arc::new(Semaphore::new(size)),
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
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| {
                ApiError::unavailable("database_busy", "the database is busy; retry shortly")
            })?
            .map_err(ApiError::internal)?;
        let pool = self.pool.clone();
        web::block(move || {
            let _permit = permit;
            let mut conn = pool.get().map_err(|e| {
                tracing::error!(error = %e, "no database connection");
                ApiError::unavailable("database_unavailable", "the database cannot be reached")
            })?;
            let result = f(&mut conn);
            if matches!(&result, Err(e) if e.code == "database_unavailable") {
                // Its server went away: the pool must not lend it out again.
                rapport_persistence::connection::discard_on_release();
            }
            drop(conn);
            result
        })
        .await
        .map_err(ApiError::internal)?
    }
}
