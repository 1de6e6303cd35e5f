//! Test harness: each test gets its own database (SQLite file, or a fresh PostgreSQL database
//! when RAPPORT_TEST_DATABASE_URL is set), its own cache namespace (Redis when
//! RAPPORT_TEST_REDIS_URL is set), and the real app on a free port.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod bench;
pub mod graphql_sdl;
pub mod receiver;

use rapport_api::config::{Config, LogFormat, Secret};
use rapport_api::Application;
use rapport_persistence::testing::{test_redis_url, unique_cache_prefix, TestDatabase};
use rapport_persistence::DatabaseUrl;

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub db: TestDatabase,
    pub redis: Option<(String, String)>,
    /// The running app's state (to wake its webhook worker, read its metrics, …).
    pub state: rapport_api::state::AppState,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Starts the app with the test defaults, adjusted by `tweak`.
    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> Self {
        if let Ok(filter) = std::env::var("RAPPORT_LOG") {
            rapport_api::telemetry::init(&filter, LogFormat::Human);
        }
        let db = TestDatabase::create();
        let redis = test_redis_url().map(|url| (url, unique_cache_prefix()));
        let mut config = Config {
            bind: "127.0.0.1:0".into(),
            database_url: DatabaseUrl::parse(db.url()).unwrap(),
            redis_url: redis.as_ref().map(|(url, _)| Secret::new(url.clone())),
            redis_prefix: redis
                .as_ref()
                .map_or_else(|| "rapport:".into(), |(_, p)| p.clone()),
            jwt_secret: Some(Secret::new("test-secret-test-secret-test-secret")),
            workers: Some(2),
            db_pool_size: 4,
            // Tests that want the scheduled refit turn it on.
            models_refit_interval_secs: 0,
            ..Config::default()
        };
        tweak(&mut config);
        let app = Application::build(config).await.expect("app starts");
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        tokio::spawn(app.run_until_stopped());
        Self {
            base,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            db,
            redis,
            state,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn graphql(&self, query: &str) -> serde_json::Value {
        let res = self
            .post_json("/graphql", &serde_json::json!({ "query": query }))
            .await;
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }
}

impl Drop for TestApp {
    /// Removes this test's cache keys; the database goes with `TestDatabase`.
    fn drop(&mut self) {
        let Some((url, prefix)) = self.redis.take() else {
            return;
        };
        let _ = std::thread::spawn(move || -> redis::RedisResult<()> {
            let mut conn = redis::Client::open(url)?.get_connection()?;
            let keys: Vec<String> = redis::cmd("KEYS")
                .arg(format!("{prefix}*"))
                .query(&mut conn)?;
            if !keys.is_empty() {
                redis::cmd("DEL").arg(keys).query::<()>(&mut conn)?;
            }
            Ok(())
        })
        .join();
    }
}

/// Asserts that `res` is a problem document with `status` and `code`, and returns it.
pub async fn assert_problem(res: reqwest::Response, status: u16, code: &str) -> serde_json::Value {
    assert_eq!(res.status().as_u16(), status, "status");
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], code, "problem code in {body}");
    assert_eq!(body["status"], status);
    assert_eq!(body["type"], format!("urn:rapport:problem:{code}"));
    assert!(body["title"].is_string() && body["detail"].is_string());
    body
}

/// The repository root, where the published contracts live.
pub fn repo_file(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A workspace made for a test, with its owner logged in.
pub struct Workspace {
    pub id: String,
    pub owner_id: String,
    pub owner_email: String,
    pub owner_token: String,
}

pub const PASSWORD: &str = "correct horse battery";

impl TestApp {
    /// Creates a workspace and its owner (as `rapport bootstrap` does) and logs in.
    pub async fn workspace(&self, name: &str) -> Workspace {
        let email = format!(
            "owner-{}@{}.example.com",
            uuid::Uuid::new_v4().simple(),
            name.to_lowercase()
        );
        let mut conn = self.db.connect();
        let created =
            rapport_api::service::workspaces::bootstrap(&mut conn, name, &email, PASSWORD).unwrap();
        let tokens = self.login(&email, PASSWORD).await;
        Workspace {
            id: created.workspace_id,
            owner_id: created.user_id,
            owner_email: email,
            owner_token: tokens["access_token"].as_str().unwrap().to_owned(),
        }
    }

    /// Logs in; panics unless it succeeds.
    pub async fn login(&self, email: &str, password: &str) -> serde_json::Value {
        let res = self
            .post_json(
                "/v1/auth/token",
                &serde_json::json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!(res.status(), 200, "login as {email}");
        res.json().await.unwrap()
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&serde_json::Value>,
    ) -> reqwest::Response {
        let mut req = self.http.request(method, self.url(path)).bearer_auth(token);
        if let Some(body) = body {
            req = req.json(body);
        }
        req.send().await.unwrap()
    }

    pub async fn get_as(&self, path: &str, token: &str) -> reqwest::Response {
        self.send(reqwest::Method::GET, path, token, None).await
    }

    pub async fn post_as(
        &self,
        path: &str,
        token: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        self.send(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    /// Creates an API key with `scopes` as the owner; returns (id, secret).
    pub async fn api_key(&self, ws: &Workspace, scopes: &[&str]) -> (String, String) {
        let res = self
            .post_as(
                "/v1/api-keys",
                &ws.owner_token,
                &serde_json::json!({ "name": "test key", "scopes": scopes }),
            )
            .await;
        assert_eq!(res.status(), 201);
        let body: serde_json::Value = res.json().await.unwrap();
        (
            body["id"].as_str().unwrap().to_owned(),
            body["secret"].as_str().unwrap().to_owned(),
        )
    }

    /// A GraphQL operation with credentials.
    pub async fn graphql_as(
        &self,
        token: &str,
        query: &str,
        variables: serde_json::Value,
    ) -> serde_json::Value {
        let res = self
            .post_as(
                "/graphql",
                token,
                &serde_json::json!({ "query": query, "variables": variables }),
            )
            .await;
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }
}
