//! Typed configuration: defaults, then an optional TOML file, then `RAPPORT_*` variables.

use std::fmt;
use std::path::Path;

use rapport_persistence::DatabaseUrl;
use serde::Deserialize;

/// A value that must never reach a log line.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Human,
    Json,
}

/// Who may introspect the GraphQL schema. The schema is published as `schema.graphql`
/// either way; this only decides what the live endpoint answers to `__schema`/`__type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GraphqlIntrospection {
    /// Anyone, without a token (development, public APIs).
    Public,
    /// Callers with a valid token or API key (the default).
    Authenticated,
    /// Nobody (clients generate from `schema.graphql`).
    Off,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// `host:port` to listen on; port 0 picks a free one.
    pub bind: String,
    pub database_url: DatabaseUrl,
    /// Unset = in-process cache. Kept secret: Redis URLs carry passwords.
    pub redis_url: Option<Secret>,
    /// Prefix of every cache key, so several installations can share one Redis.
    pub redis_prefix: String,
    /// Unset = generated once and kept in the database.
    pub jwt_secret: Option<Secret>,
    pub log: String,
    pub log_format: LogFormat,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    pub graphiql: bool,
    /// Who may introspect the GraphQL schema (`__schema`, `__type`).
    pub graphql_introspection: GraphqlIntrospection,
    pub db_pool_size: u32,
    /// How long a request queues for a database connection before a 503, in ms.
    pub db_pool_timeout_ms: u64,
    /// How long one statement may run or wait for a lock before the request answers 503,
    /// in ms (PostgreSQL `statement_timeout` and `lock_timeout`, SQLite `busy_timeout`);
    /// 0 = no bound.
    pub db_statement_timeout_ms: u64,
    /// Worker threads; unset = one per core.
    pub workers: Option<usize>,
    pub cache_ttl_secs: u64,
    pub shutdown_timeout_secs: u64,
    /// Requests a minute per user or API key (keys may carry their own).
    pub rate_limit_per_minute: u32,
    /// Login attempts a minute from one client address.
    pub login_attempts_per_minute: u32,
    /// Browser origins allowed by CORS (`https://app.example.com`); empty = none.
    pub cors_origins: Vec<String>,
    /// Seconds between scheduled refits of every workspace's churn/CLV model and RFM
    /// breakpoints; 0 = never (refit with the API or `rapport models fit`).
    pub models_refit_interval_secs: u64,
    /// Seconds between runs of the loyalty jobs (expiry, tiers) in `serve`; 0 = never.
    pub loyalty_jobs_interval_secs: u64,
    /// Seconds between runs of the complaint SLA job (breach events) in `serve`; 0 = never.
    pub complaint_sla_interval_secs: u64,
    /// Days events stay in the feed (`/v1/events`) before the retention job purges them.
    pub events_retention_days: u64,
    /// Values (fields and list items) one GraphQL request may resolve before it is stopped
    /// with `result_too_large`.
    pub graphql_max_resolved_values: usize,
    pub webhooks: WebhooksConfig,
    /// Whether this node runs the import jobs worker (`RAPPORT_IMPORTS_WORKER`, default on).
    pub imports_worker: bool,
    /// Whether this node runs the export jobs worker and the purge of expired export files
    /// (`RAPPORT_EXPORTS_WORKER`, default on).
    pub exports_worker: bool,
}

/// Webhook delivery (`RAPPORT_WEBHOOKS_*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhooksConfig {
    /// Run the delivery worker in this node's `serve` (`RAPPORT_WEBHOOKS_WORKER`).
    pub worker: bool,
    /// Allow `http://` and private, loopback and link-local targets (tests, on-premise).
    pub allow_private: bool,
    /// How long one delivery may take, connection to last byte.
    pub timeout_ms: u64,
    /// How often the worker looks for due deliveries when nothing wakes it.
    pub poll_interval_ms: u64,
    /// The first retry waits this long (then 2x, 4x, … up to `backoff_max_ms`, with jitter).
    pub backoff_base_ms: u64,
    pub backoff_max_ms: u64,
    /// How long an event is retried before it is marked failed and the subscription is
    /// disabled (3 days).
    pub retry_window_secs: u64,
    /// Subscriptions delivered to at once by this node.
    pub concurrency: usize,
    /// How long a worker's claim on a subscription lasts without renewal; another node
    /// takes over a dead node's subscriptions after it.
    pub lease_secs: u64,
    /// How long the previous secret keeps signing after a rotation.
    pub secret_overlap_secs: u64,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        Self {
            worker: true,
            allow_private: false,
            timeout_ms: 10_000,
            poll_interval_ms: 200,
            backoff_base_ms: 10_000,
            backoff_max_ms: 3_600_000,
            retry_window_secs: 3 * 86_400,
            concurrency: 64,
            lease_secs: 60,
            secret_overlap_secs: 86_400,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            database_url: DatabaseUrl::SqliteFile("./rapport.db".into()),
            redis_url: None,
            redis_prefix: "rapport:".into(),
            jwt_secret: None,
            log: "info".into(),
            log_format: LogFormat::Human,
            body_limit: 1024 * 1024,
            graphiql: true,
            graphql_introspection: GraphqlIntrospection::Authenticated,
            db_pool_size: 10,
            db_pool_timeout_ms: 5_000,
            db_statement_timeout_ms: 30_000,
            workers: None,
            cache_ttl_secs: 300,
            models_refit_interval_secs: 86_400,
            loyalty_jobs_interval_secs: 3600,
            complaint_sla_interval_secs: 60,
            events_retention_days: 30,
            shutdown_timeout_secs: 30,
            rate_limit_per_minute: 1200,
            login_attempts_per_minute: 20,
            cors_origins: Vec::new(),
            graphql_max_resolved_values: 100_000,
            webhooks: WebhooksConfig::default(),
            imports_worker: true,
            exports_worker: true,
        }
    }
}

/// The file's shape: every key optional, same names as the variables without `RAPPORT_`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    bind: Option<String>,
    database_url: Option<String>,
    redis_url: Option<Secret>,
    redis_prefix: Option<String>,
    jwt_secret: Option<Secret>,
    log: Option<String>,
    log_format: Option<LogFormat>,
    body_limit: Option<usize>,
    graphiql: Option<bool>,
    graphql_introspection: Option<GraphqlIntrospection>,
    db_pool_size: Option<u32>,
    db_pool_timeout_ms: Option<u64>,
    db_statement_timeout_ms: Option<u64>,
    workers: Option<usize>,
    cache_ttl_secs: Option<u64>,
    shutdown_timeout_secs: Option<u64>,
    rate_limit_per_minute: Option<u32>,
    login_attempts_per_minute: Option<u32>,
    cors_origins: Option<Vec<String>>,
    models_refit_interval_secs: Option<u64>,
    loyalty_jobs_interval_secs: Option<u64>,
    complaint_sla_interval_secs: Option<u64>,
    events_retention_days: Option<u64>,
    graphql_max_resolved_values: Option<usize>,
    webhooks_worker: Option<bool>,
    imports_worker: Option<bool>,
    exports_worker: Option<bool>,
    webhooks_allow_private: Option<bool>,
    webhooks_timeout_ms: Option<u64>,
    webhooks_poll_interval_ms: Option<u64>,
    webhooks_backoff_base_ms: Option<u64>,
    webhooks_backoff_max_ms: Option<u64>,
    webhooks_retry_window_secs: Option<u64>,
    webhooks_concurrency: Option<usize>,
    webhooks_lease_secs: Option<u64>,
    webhooks_secret_overlap_secs: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("{name}: {reason}")]
    Invalid { name: &'static str, reason: String },
}

impl Config {
    /// Reads `RAPPORT_CONFIG` (or `./rapport.toml` when present), then the environment.
    pub fn load() -> Result<Self, ConfigError> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let file = match env("RAPPORT_CONFIG") {
            Some(path) => Some(read_file(Path::new(&path))?),
            None if Path::new("rapport.toml").exists() => {
                Some(read_file(Path::new("rapport.toml"))?)
            }
            None => None,
        };
        Self::from_sources(file.unwrap_or_default(), env)
    }

    fn from_sources(
        file: FileConfig,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let mut c = Config::default();
        let pick = |file: Option<String>, name: &str| env(name).or(file);

        if let Some(v) = pick(file.bind, "RAPPORT_BIND") {
            c.bind = v;
        }
        if let Some(v) = pick(file.database_url, "RAPPORT_DATABASE_URL") {
            c.database_url = DatabaseUrl::parse(&v).map_err(|reason| ConfigError::Invalid {
                name: "RAPPORT_DATABASE_URL",
                reason,
            })?;
        }
        c.redis_url = env("RAPPORT_REDIS_URL").map(Secret).or(file.redis_url);
        if let Some(v) = pick(file.redis_prefix, "RAPPORT_REDIS_PREFIX") {
            c.redis_prefix = v;
        }
        c.jwt_secret = env("RAPPORT_JWT_SECRET").map(Secret).or(file.jwt_secret);
        if let Some(v) = pick(file.log, "RAPPORT_LOG") {
            c.log = v;
        }
        c.log_format = match env("RAPPORT_LOG_FORMAT").as_deref() {
            Some("json") => LogFormat::Json,
            Some("human") => LogFormat::Human,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "RAPPORT_LOG_FORMAT",
                    reason: format!("expected human or json, got {other:?}"),
                })
            }
            None => file.log_format.unwrap_or(c.log_format),
        };
        c.body_limit = number(&env, "RAPPORT_BODY_LIMIT", file.body_limit, c.body_limit)?;
        c.graphiql = match env("RAPPORT_GRAPHIQL").as_deref() {
            Some("true" | "1") => true,
            Some("false" | "0") => false,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "RAPPORT_GRAPHIQL",
                    reason: format!("expected true or false, got {other:?}"),
                })
            }
            None => file.graphiql.unwrap_or(c.graphiql),
        };
        c.graphql_introspection = match env("RAPPORT_GRAPHQL_INTROSPECTION").as_deref() {
            Some("public") => GraphqlIntrospection::Public,
            Some("authenticated") => GraphqlIntrospection::Authenticated,
            Some("off") => GraphqlIntrospection::Off,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "RAPPORT_GRAPHQL_INTROSPECTION",
                    reason: format!("expected public, authenticated or off, got {other:?}"),
                })
            }
            None => file
                .graphql_introspection
                .unwrap_or(c.graphql_introspection),
        };
        c.db_pool_size = number(
            &env,
            "RAPPORT_DB_POOL_SIZE",
            file.db_pool_size,
            c.db_pool_size,
        )?;
        c.db_pool_timeout_ms = number(
            &env,
            "RAPPORT_DB_POOL_TIMEOUT_MS",
            file.db_pool_timeout_ms,
            c.db_pool_timeout_ms,
        )?;
        c.db_statement_timeout_ms = number(
            &env,
            "RAPPORT_DB_STATEMENT_TIMEOUT_MS",
            file.db_statement_timeout_ms,
            c.db_statement_timeout_ms,
        )?;
        c.workers = match env("RAPPORT_WORKERS") {
            Some(_) => Some(number(&env, "RAPPORT_WORKERS", None, 1)?),
            None => file.workers,
        };
        c.cache_ttl_secs = number(
            &env,
            "RAPPORT_CACHE_TTL_SECS",
            file.cache_ttl_secs,
            c.cache_ttl_secs,
        )?;
        c.models_refit_interval_secs = number(
            &env,
            "RAPPORT_MODELS_REFIT_INTERVAL_SECS",
            file.models_refit_interval_secs,
            c.models_refit_interval_secs,
        )?;
        c.loyalty_jobs_interval_secs = number(
            &env,
            "RAPPORT_LOYALTY_JOBS_INTERVAL_SECS",
            file.loyalty_jobs_interval_secs,
            c.loyalty_jobs_interval_secs,
        )?;
        c.complaint_sla_interval_secs = number(
            &env,
            "RAPPORT_COMPLAINT_SLA_INTERVAL_SECS",
            file.complaint_sla_interval_secs,
            c.complaint_sla_interval_secs,
        )?;
        c.events_retention_days = number(
            &env,
            "RAPPORT_EVENTS_RETENTION_DAYS",
            file.events_retention_days,
            c.events_retention_days,
        )?;
        c.shutdown_timeout_secs = number(
            &env,
            "RAPPORT_SHUTDOWN_TIMEOUT_SECS",
            file.shutdown_timeout_secs,
            c.shutdown_timeout_secs,
        )?;
        c.rate_limit_per_minute = number(
            &env,
            "RAPPORT_RATE_LIMIT_PER_MINUTE",
            file.rate_limit_per_minute,
            c.rate_limit_per_minute,
        )?;
        c.login_attempts_per_minute = number(
            &env,
            "RAPPORT_LOGIN_ATTEMPTS_PER_MINUTE",
            file.login_attempts_per_minute,
            c.login_attempts_per_minute,
        )?;
        c.graphql_max_resolved_values = number(
            &env,
            "RAPPORT_GRAPHQL_MAX_RESOLVED_VALUES",
            file.graphql_max_resolved_values,
            c.graphql_max_resolved_values,
        )?;
        c.cors_origins = match env("RAPPORT_CORS_ORIGINS") {
            Some(list) => list
                .split(',')
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty())
                .collect(),
            None => file.cors_origins.unwrap_or_default(),
        };
        c.imports_worker = flag(
            &env,
            "RAPPORT_IMPORTS_WORKER",
            file.imports_worker,
            c.imports_worker,
        )?;
        c.exports_worker = flag(
            &env,
            "RAPPORT_EXPORTS_WORKER",
            file.exports_worker,
            c.exports_worker,
        )?;
        let w = &mut c.webhooks;
        w.worker = flag(
            &env,
            "RAPPORT_WEBHOOKS_WORKER",
            file.webhooks_worker,
            w.worker,
        )?;
        w.allow_private = flag(
            &env,
            "RAPPORT_WEBHOOKS_ALLOW_PRIVATE",
            file.webhooks_allow_private,
            w.allow_private,
        )?;
        w.timeout_ms = number(
            &env,
            "RAPPORT_WEBHOOKS_TIMEOUT_MS",
            file.webhooks_timeout_ms,
            w.timeout_ms,
        )?;
        w.poll_interval_ms = number(
            &env,
            "RAPPORT_WEBHOOKS_POLL_INTERVAL_MS",
            file.webhooks_poll_interval_ms,
            w.poll_interval_ms,
        )?;
        w.backoff_base_ms = number(
            &env,
            "RAPPORT_WEBHOOKS_BACKOFF_BASE_MS",
            file.webhooks_backoff_base_ms,
            w.backoff_base_ms,
        )?;
        w.backoff_max_ms = number(
            &env,
            "RAPPORT_WEBHOOKS_BACKOFF_MAX_MS",
            file.webhooks_backoff_max_ms,
            w.backoff_max_ms,
        )?;
        w.retry_window_secs = number(
            &env,
            "RAPPORT_WEBHOOKS_RETRY_WINDOW_SECS",
            file.webhooks_retry_window_secs,
            w.retry_window_secs,
        )?;
        w.concurrency = number(
            &env,
            "RAPPORT_WEBHOOKS_CONCURRENCY",
            file.webhooks_concurrency,
            w.concurrency,
        )?;
        w.lease_secs = number(
            &env,
            "RAPPORT_WEBHOOKS_LEASE_SECS",
            file.webhooks_lease_secs,
            w.lease_secs,
        )?;
        w.secret_overlap_secs = number(
            &env,
            "RAPPORT_WEBHOOKS_SECRET_OVERLAP_SECS",
            file.webhooks_secret_overlap_secs,
            w.secret_overlap_secs,
        )?;
        if w.timeout_ms == 0 || w.poll_interval_ms == 0 || w.concurrency == 0 || w.lease_secs == 0 {
            return Err(ConfigError::Invalid {
                name: "RAPPORT_WEBHOOKS_TIMEOUT_MS/POLL_INTERVAL_MS/CONCURRENCY/LEASE_SECS",
                reason: "must be greater than zero".into(),
            });
        }
        if c.body_limit == 0
            || c.db_pool_size == 0
            || c.workers == Some(0)
            || c.graphql_max_resolved_values == 0
        {
            return Err(ConfigError::Invalid {
                name: "RAPPORT_BODY_LIMIT/RAPPORT_DB_POOL_SIZE/RAPPORT_WORKERS/RAPPORT_GRAPHQL_MAX_RESOLVED_VALUES",
                reason: "must be greater than zero".into(),
            });
        }
        Ok(c)
    }
}

fn number<T: std::str::FromStr>(
    env: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    file: Option<T>,
    default: T,
) -> Result<T, ConfigError> {
    match env(name) {
        Some(v) => v.trim().parse().map_err(|_| ConfigError::Invalid {
            name,
            reason: format!("expected a whole number, got {v:?}"),
        }),
        None => Ok(file.unwrap_or(default)),
    }
}

/// `true`/`1` or `false`/`0` from the environment, else the file's value, else `default`.
fn flag(
    env: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    file: Option<bool>,
    default: bool,
) -> Result<bool, ConfigError> {
    match env(name).as_deref().map(str::trim) {
        Some("true" | "1") => Ok(true),
        Some("false" | "0") => Ok(false),
        Some(other) => Err(ConfigError::Invalid {
            name,
            reason: format!("expected true or false, got {other:?}"),
        }),
        None => Ok(file.unwrap_or(default)),
    }
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let fail = |reason: String| ConfigError::File {
        path: path.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    toml::from_str(&text).map_err(|e| fail(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn with_env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn no_configuration_means_embedded_sqlite_on_8080() {
        let c = Config::from_sources(FileConfig::default(), with_env(&[])).unwrap();
        assert_eq!(c.bind, "127.0.0.1:8080");
        assert_eq!(
            c.database_url,
            DatabaseUrl::SqliteFile("./rapport.db".into())
        );
        assert!(c.redis_url.is_none());
        assert_eq!(c.body_limit, 1024 * 1024);
        assert_eq!(c.db_pool_timeout_ms, 5_000);
        assert_eq!(c.db_statement_timeout_ms, 30_000);
    }

    #[test]
    fn database_timeouts_come_from_the_environment_or_the_file() {
        let file: FileConfig = toml::from_str("db_statement_timeout_ms = 250").unwrap();
        let c =
            Config::from_sources(file, with_env(&[("RAPPORT_DB_POOL_TIMEOUT_MS", "100")])).unwrap();
        assert_eq!(c.db_pool_timeout_ms, 100);
        assert_eq!(c.db_statement_timeout_ms, 250);
        let err = Config::from_sources(
            FileConfig::default(),
            with_env(&[("RAPPORT_DB_STATEMENT_TIMEOUT_MS", "soon")]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("RAPPORT_DB_STATEMENT_TIMEOUT_MS"));
    }

    #[test]
    fn environment_overrides_the_file() {
        let file: FileConfig =
            toml::from_str("bind = \"0.0.0.0:9000\"\nbody_limit = 10\nlog = \"debug\"").unwrap();
        let c = Config::from_sources(file, with_env(&[("RAPPORT_BIND", "127.0.0.1:1")])).unwrap();
        assert_eq!(c.bind, "127.0.0.1:1");
        assert_eq!(c.body_limit, 10);
        assert_eq!(c.log, "debug");
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err = Config::from_sources(
            FileConfig::default(),
            with_env(&[("RAPPORT_BODY_LIMIT", "lots")]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("RAPPORT_BODY_LIMIT"));
        let err = Config::from_sources(
            FileConfig::default(),
            with_env(&[("RAPPORT_DATABASE_URL", "mysql://x")]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("RAPPORT_DATABASE_URL"));
    }

    #[test]
    fn webhook_settings_come_from_the_environment_or_the_file() {
        let c = Config::from_sources(FileConfig::default(), with_env(&[])).unwrap();
        assert!(c.webhooks.worker && !c.webhooks.allow_private);
        assert_eq!(c.webhooks.timeout_ms, 10_000);
        let file: FileConfig = toml::from_str("webhooks_worker = false").unwrap();
        let c = Config::from_sources(
            file,
            with_env(&[
                ("RAPPORT_WEBHOOKS_ALLOW_PRIVATE", "true"),
                ("RAPPORT_WEBHOOKS_BACKOFF_BASE_MS", "50"),
            ]),
        )
        .unwrap();
        assert!(!c.webhooks.worker && c.webhooks.allow_private);
        assert_eq!(c.webhooks.backoff_base_ms, 50);
        let err = Config::from_sources(
            FileConfig::default(),
            with_env(&[("RAPPORT_WEBHOOKS_WORKER", "maybe")]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("RAPPORT_WEBHOOKS_WORKER"));
    }

    #[test]
    fn secrets_do_not_print() {
        let c = Config::from_sources(
            FileConfig::default(),
            with_env(&[
                ("RAPPORT_JWT_SECRET", "hunter2"),
                ("RAPPORT_REDIS_URL", "redis://:pw@h"),
            ]),
        )
        .unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2"));
        assert!(!shown.contains(":pw@"));
    }
}
