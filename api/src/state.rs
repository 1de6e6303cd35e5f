//! What every handler can reach: the database gateway, the cache, metrics and settings.

use std::sync::Arc;

use rapport_persistence::{Cache, RateLimiter};

use crate::auth::cache::AuthCache;
use crate::config::{Config, Secret};
use crate::db::Db;
use crate::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub cache: Cache,
    pub rate_limiter: RateLimiter,
    pub auth_cache: AuthCache,
    pub metrics: Arc<Metrics>,
    pub config: Arc<Config>,
    pub jwt_secret: Secret,
    /// Effects the write pipeline applied, waiting for their rows to be deleted.
    pub applied_effects: crate::service::pipeline::AppliedEffects,
}
