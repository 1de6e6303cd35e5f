//! Prometheus metrics: requests by route and status, latency, pool usage, cache outcomes,
//! Redis outages.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CacheLabels {
    /// `hit`, `miss` or `error`.
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RedisClientLabels {
    /// `cache` or `rate_limiter`.
    pub client: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    /// `delivered`, `retrying` or `failed`.
    pub outcome: &'static str,
}

pub struct Metrics {
    registry: Registry,
    pub http_requests: Family<RequestLabels, Counter>,
    pub http_duration: Family<RouteLabels, Histogram>,
    pub cache_lookups: Family<CacheLabels, Counter>,
    redis_outages: Family<RedisClientLabels, Counter>,
    redis_available: Family<RedisClientLabels, Gauge>,
    pool_connections: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
    /// Webhook delivery attempts by outcome.
    pub webhook_deliveries: Family<OutcomeLabels, Counter>,
    /// Webhook attempts that were retries (attempt 2 and later).
    pub webhook_retries: Counter,
    /// Events not yet handled, summed over enabled subscriptions (as this node last saw).
    pub webhook_lag_events: Gauge,
    /// Age of the oldest event not yet handled by some enabled subscription.
    pub webhook_lag_seconds: Gauge<f64, std::sync::atomic::AtomicU64>,
    /// Write effects (cache invalidations) stored but not yet applied and forgotten.
    pub pending_effects: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("rapport");
        let http_requests = Family::<RequestLabels, Counter>::default();
        let http_duration = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new([
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ])
        });
        let cache_lookups = Family::<CacheLabels, Counter>::default();
        let redis_outages = Family::<RedisClientLabels, Counter>::default();
        let redis_available = Family::<RedisClientLabels, Gauge>::default();
        let pool_connections = Gauge::default();
        let pool_idle = Gauge::default();
        let pool_max = Gauge::default();
        registry.register(
            "http_requests",
            "HTTP requests answered",
            http_requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request",
            http_duration.clone(),
        );
        registry.register(
            "cache_lookups",
            "Profile cache lookups by outcome",
            cache_lookups.clone(),
        );
        registry.register(
            "redis_outages",
            "Redis outages seen by this node (each logged once when it starts)",
            redis_outages.clone(),
        );
        registry.register(
            "redis_available",
            "1 while Redis answers this node, 0 during an outage (limits are then per node)",
            redis_available.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Open database connections",
            pool_connections.clone(),
        );
        registry.register(
            "db_pool_idle_connections",
            "Idle database connections",
            pool_idle.clone(),
        );
        registry.register(
            "db_pool_max_connections",
            "Pool size limit",
            pool_max.clone(),
        );
        let webhook_deliveries = Family::<OutcomeLabels, Counter>::default();
        let webhook_retries = Counter::default();
        let webhook_lag_events = Gauge::default();
        let webhook_lag_seconds = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
        registry.register(
            "webhook_deliveries",
            "Webhook delivery attempts by outcome (delivered, retrying, failed)",
            webhook_deliveries.clone(),
        );
        registry.register(
            "webhook_retries",
            "Webhook delivery attempts that retried an earlier failure",
            webhook_retries.clone(),
        );
        registry.register(
            "webhook_outbox_lag_events",
            "Events not yet delivered (or given up on), summed over enabled webhooks; \
             measured by this node's delivery worker every second",
            webhook_lag_events.clone(),
        );
        registry.register(
            "webhook_outbox_lag_seconds",
            "Age of the oldest event some enabled webhook has not yet handled; measured by \
             this node's delivery worker every second",
            webhook_lag_seconds.clone(),
        );
        let pending_effects = Gauge::default();
        registry.register(
            "pending_effects",
            "Write effects (cache generation bumps) committed and not yet applied or not yet \
             forgotten, all nodes together; counted by this node's effects sweeper every 2 s",
            pending_effects.clone(),
        );
        Self {
            registry,
            pending_effects,
            webhook_deliveries,
            webhook_retries,
            webhook_lag_events,
            webhook_lag_seconds,
            http_requests,
            http_duration,
            cache_lookups,
            redis_outages,
            redis_available,
            pool_connections,
            pool_idle,
            pool_max,
        }
    }
}

impl Metrics {
    pub fn observe_request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.http_requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status,
            })
            .inc();
        self.http_duration
            .get_or_create(&RouteLabels {
                method: method.to_owned(),
                route: route.to_owned(),
            })
            .observe(seconds);
    }

    pub fn cache(&self, outcome: &'static str) {
        self.cache_lookups
            .get_or_create(&CacheLabels { outcome })
            .inc();
    }

    /// The text exposition, with pool gauges and Redis outage counts read at scrape time.
    pub fn render(
        &self,
        pool: &rapport_persistence::DbPool,
        outages: &[&rapport_persistence::Outage],
    ) -> String {
        for outage in outages {
            let labels = RedisClientLabels {
                client: outage.client(),
            };
            self.redis_available
                .get_or_create(&labels)
                .set(i64::from(!outage.is_down()));
            let counter = self.redis_outages.get_or_create(&labels);
            let seen = outage.outages();
            let counted = counter.get();
            if seen > counted {
                counter.inc_by(seen - counted);
            }
        }
        let state = pool.state();
        self.pool_connections.set(i64::from(state.connections));
        self.pool_idle.set(i64::from(state.idle_connections));
        self.pool_max.set(i64::from(pool.max_size()));
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}
