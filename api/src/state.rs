//! What every handler can reach: the database gateway, the cache, metrics and settings.

use std::sync::Arc;

use rapport_persistence::{Cache, RateLimiter};

use crate::auth::cache::AuthCache;
use crate::config::{Config, Secret};
use crate::db::Db;
use crate::metrics::Metrics;
use crate::service::webhooks::sender::Sender;

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
    pub applied_effects: crate::service::applied_effects::AppliedEffects,
    /// Wakes this node's webhook delivery worker: call `notify_one()` after committing
    /// events, so they go out at once instead of at the next poll.
    pub outbox_notify: Arc<tokio::sync::Notify>,
    /// The HTTP client webhook deliveries share.
    pub webhook_sender: Sender,
}
