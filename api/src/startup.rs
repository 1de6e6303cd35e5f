//! Builds the application from its configuration: pool, migrations, cache, routes, server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use anyhow::Context;
use base64::Engine;
use rand::RngCore;
use rapport_persistence::{
    build_pool, migrations, settings, Cache, DbPool, PoolOptions, RateLimiter,
};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::cache::AuthCache;
use crate::config::{Config, Secret};
use crate::db::Db;
use crate::error::{path_error, query_error};
use crate::metrics::Metrics;
use crate::rest::body::json_error;
use crate::rest::RouteTable;
use crate::service::webhooks::sender::Sender;
use crate::state::AppState;
use crate::{graphql, middleware, openapi, rest};

pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
}

impl Application {
    /// Opens the database (running pending migrations), the cache, and binds the listener.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let state = open_state(&config).await?;
        let listener = TcpListener::bind(&config.bind)
            .with_context(|| format!("cannot listen on {}", config.bind))?;
        let port = listener.local_addr()?.port();
        let server = serve(listener, state.clone(), &config)?;
        crate::jobs::spawn(state.clone());
        crate::service::pipeline::spawn_sweeper(state.clone());
        crate::jobs::spawn_events_purge(state.clone());
        crate::jobs::spawn_privacy_retention(state.clone());
        crate::service::webhooks::worker::spawn(state.clone());
        crate::service::imports::spawn_worker(state.clone());
        crate::service::exports::spawn_worker(state.clone());
        schedule_loyalty_jobs(state.clone(), config.loyalty_jobs_interval_secs);
        schedule_complaint_sla(state.clone(), config.complaint_sla_interval_secs);
        Ok(Self {
            port,
            server,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGINT/SIGTERM, then lets in-flight requests finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Runs the loyalty jobs (expiry, tier re-evaluation) and the offers job (voucher expiry)
/// every `interval_secs` (0: never),
/// first one interval after start. They are idempotent, so several nodes may run them.
fn schedule_loyalty_jobs(state: AppState, interval_secs: u64) {
    if interval_secs == 0 {
        return;
    }
    let period = Duration::from_secs(interval_secs);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match crate::service::loyalty::run_jobs_now(&state, crate::service::now()).await {
                Ok(report) => tracing::info!(?report, "loyalty jobs ran"),
                Err(err) => tracing::warn!(error = %err, "loyalty jobs failed; next run retries"),
            }
            // The offers job (voucher expiry, `offer.expiring`) on the same schedule.
            match crate::service::offers::jobs::run_jobs_now(&state, crate::service::now()).await {
                Ok(report) => tracing::info!(?report, "offers job ran"),
                Err(err) => tracing::warn!(error = %err, "offers job failed; next run retries"),
            }
        }
    });
}

/// Runs the complaint SLA job (breach events) every `interval_secs` (0: never), first one
/// interval after start. Idempotent, so several nodes may run it.
fn schedule_complaint_sla(state: AppState, interval_secs: u64) {
    if interval_secs == 0 {
        return;
    }
    let period = Duration::from_secs(interval_secs);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let at = crate::service::now();
            match crate::service::complaints::sla::run_jobs_now(&state, at).await {
                Ok(report) => tracing::debug!(?report, "complaint SLA job ran"),
                Err(err) => {
                    tracing::warn!(error = %err, "complaint SLA job failed; next run retries")
                }
            }
        }
    });
}

/// Everything a service needs (database with migrations applied, cache, limiter, secret),
/// without HTTP: the server and the CLI commands that call services both start here.
pub async fn open_state(config: &Config) -> anyhow::Result<AppState> {
    let pool = open_database(config).await?;
    let jwt_secret = jwt_secret(config, &pool).await?;
    let cache = open_cache(config).await?;
    let rate_limiter = match &config.redis_url {
        Some(url) => RateLimiter::redis(url.expose(), &config.redis_prefix)
            .context("invalid RAPPORT_REDIS_URL")?,
        None => RateLimiter::memory(),
    };
    Ok(AppState {
        db: Db::new(pool, Duration::from_millis(config.db_pool_timeout_ms)),
        cache,
        rate_limiter,
        auth_cache: AuthCache::default(),
        metrics: Arc::new(Metrics::default()),
        config: Arc::new(config.clone()),
        jwt_secret,
        applied_effects: Default::default(),
        outbox_notify: Arc::new(tokio::sync::Notify::new()),
        webhook_sender: Sender::new(&config.webhooks)
            .context("cannot build the webhook HTTP client")?,
    })
}

async fn open_database(config: &Config) -> anyhow::Result<DbPool> {
    let url = config.database_url.clone();
    let options = PoolOptions {
        max_size: config.db_pool_size,
        statement_timeout: Duration::from_millis(config.db_statement_timeout_ms),
        ..PoolOptions::default()
    };
    tokio::task::spawn_blocking(move || -> anyhow::Result<DbPool> {
        let pool = build_pool(&url, &options)
            .with_context(|| format!("cannot open database {}", url.redacted()))?;
        let mut conn = pool.get().context("cannot get a database connection")?;
        let applied = migrations::run_pending(&mut conn)
            .map_err(|e| anyhow::anyhow!("migrations failed: {e}"))?;
        if !applied.is_empty() {
            tracing::info!(?applied, "applied database migrations");
        }
        tracing::info!(database = %url.redacted(), "database ready");
        Ok(pool)
    })
    .await?
}

async fn jwt_secret(config: &Config, pool: &DbPool) -> anyhow::Result<Secret> {
    if let Some(secret) = &config.jwt_secret {
        return Ok(secret.clone());
    }
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || -> anyhow::Result<Secret> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let candidate = base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes);
        let mut conn = pool.get()?;
        let stored = settings::get_or_insert(&mut conn, "jwt_secret", &candidate)?;
        tracing::warn!(
            "RAPPORT_JWT_SECRET is not set: using a secret generated once and kept in the \
             database; set it explicitly in production"
        );
        Ok(Secret::new(stored))
    })
    .await?
}

async fn open_cache(config: &Config) -> anyhow::Result<Cache> {
    let ttl = Duration::from_secs(config.cache_ttl_secs.max(1));
    let Some(url) = &config.redis_url else {
        return Ok(Cache::memory(ttl, 100_000));
    };
    let cache = Cache::redis(url.expose(), &config.redis_prefix, ttl)
        .context("invalid RAPPORT_REDIS_URL")?;
    if let Err(err) = cache.ping().await {
        tracing::warn!(error = %err, "Redis is not reachable yet; profile reads go to the database until it is");
    }
    Ok(cache)
}

/// CORS for browser frontends on the configured origins only; none by default.
fn cors(origins: &[String]) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST", "PATCH", "PUT", "DELETE"])
        .allowed_headers([
            actix_web::http::header::AUTHORIZATION,
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::IF_MATCH,
            actix_web::http::header::HeaderName::from_static("idempotency-key"),
            actix_web::http::header::HeaderName::from_static("x-request-id"),
        ])
        // Everything a browser client reads besides the body: versions, where a created
        // record lives, replays, and the rate limit.
        .expose_headers([
            actix_web::http::header::ETAG,
            actix_web::http::header::LOCATION,
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderName::from_static("idempotent-replayed"),
            actix_web::http::header::HeaderName::from_static("x-request-id"),
            actix_web::http::header::HeaderName::from_static("ratelimit-limit"),
            actix_web::http::header::HeaderName::from_static("ratelimit-remaining"),
            actix_web::http::header::HeaderName::from_static("ratelimit-reset"),
        ])
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

fn serve(listener: TcpListener, state: AppState, config: &Config) -> anyhow::Result<Server> {
    let document = openapi::document();
    let routes = web::Data::new(RouteTable::from_openapi(&document));
    let contract = openapi::contract();
    let schema = web::Data::new(graphql::build(state.clone()));
    let documents = web::Data::new(graphql::document::DocumentCache::default());
    let state = web::Data::new(state);
    let body_limit = config.body_limit;
    let cors_origins = config.cors_origins.clone();

    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(schema.clone())
            .app_data(documents.clone())
            .app_data(routes.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(body_limit)
                    .content_type_required(true)
                    .content_type(|mime| {
                        // PATCH bodies may say what they are: a JSON merge patch.
                        mime.subtype() == "merge-patch"
                            && mime.suffix().is_some_and(|s| s == "json")
                    })
                    .error_handler(|err, _| json_error(err).into()),
            )
            .app_data(web::PayloadConfig::default().limit(body_limit))
            .app_data(web::QueryConfig::default().error_handler(|err, _| query_error(err).into()))
            .app_data(web::PathConfig::default().error_handler(|err, _| path_error(err).into()))
            .wrap(from_fn(middleware::security_headers))
            .wrap(from_fn(rest::edge::check_uri))
            .wrap(cors(&cors_origins))
            .wrap(
                actix_web::middleware::ErrorHandlers::new()
                    .default_handler(rest::edge::problem_for_plain_errors),
            )
            .wrap(from_fn(middleware::observe))
            .service(web::resource("/docs").get(rest::docs_redirect))
            .service(web::resource("/").get(rest::console::landing))
            .service(web::resource("/console").get(rest::console::page))
            .service(web::resource("/console/{path:.*}").get(rest::console::page))
            .service(web::resource("/graphql/assets/{file}").get(graphql::http::graphiql_asset))
            .into_utoipa_app()
            .configure(rest::configure)
            .openapi_service({
                let contract = contract.clone();
                move |_| {
                    SwaggerUi::new("/docs/{_:.*}")
                        .external_urls_from_iter_unchecked([("/openapi.json", contract)])
                }
            })
            .default_service(web::to(rest::fallback))
            .into_app()
    })
    .shutdown_timeout(config.shutdown_timeout_secs)
    .listen(listener)?;
    if let Some(workers) = config.workers {
        server = server.workers(workers);
    }
    Ok(server.run())
}
