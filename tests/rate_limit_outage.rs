//! The rate limiter while its Redis is frozen or dead (issue #17, defect 4): requests keep
//! being answered (never a 500), the limit keeps being enforced by the node, the outage is
//! counted (and logged) once, and the shared bucket is used again once Redis is back.
//!
//! Runs its own `redis-server` on a free port (it freezes and kills it; the shared Redis of
//! the other tests is never touched); skipped with a message when the binary is absent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::{Child, Command, Stdio};

use common::TestApp;
use rapport_api::config::Secret;

/// A private Redis, stopped when dropped.
struct OwnRedis {
    child: Child,
    port: u16,
}

impl OwnRedis {
    fn start(port: u16) -> Option<Self> {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let redis = Self { child, port };
        // Wait until it accepts commands.
        for _ in 0..200 {
            if redis
                .client()
                .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c))
                .is_ok()
            {
                return Some(redis);
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        panic!("redis-server on port {port} did not start");
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn client(&self) -> Result<redis::Connection, redis::RedisError> {
        redis::Client::open(self.url())?.get_connection()
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill {signal}");
    }

    fn kill(mut self) {
        self.signal("-CONT");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-CONT", &self.child.id().to_string()])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn redis_server_present() -> bool {
    Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A per-client Redis metric in `/metrics` (0 when absent).
async fn metric(app: &TestApp, name: &str, client: &str) -> u64 {
    let text = app.get("/metrics").await.text().await.unwrap();
    let wanted = format!("{name}{{client=\"{client}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&wanted))
        .map_or(0, |v| v.trim().parse().unwrap())
}

async fn outages(app: &TestApp, client: &str) -> u64 {
    metric(app, "rapport_redis_outages_total", client).await
}

/// Sends requests until the limiter reports Redis available again; then one more request
/// must take its token from the shared bucket.
async fn uses_redis_again(app: &TestApp, redis: &OwnRedis, prefix: &str, user: &str, token: &str) {
    let mut back = false;
    for _ in 0..100 {
        let res = app.get_as("/v1/me", token).await;
        assert!(
            [200, 429].contains(&res.status().as_u16()),
            "{}",
            res.status()
        );
        if metric(app, "rapport_redis_available", "rate_limiter").await == 1 {
            back = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(back, "the limiter saw Redis answer again");
    let before = shared_tokens(redis, prefix, user);
    assert!(before.is_some(), "the bucket lives in Redis");
    let res = app.get_as("/v1/me", token).await;
    assert!([200, 429].contains(&res.status().as_u16()));
    assert_ne!(
        shared_tokens(redis, prefix, user),
        before,
        "the request took its token from the shared bucket"
    );
}

/// Sends `n` authenticated requests one after another; returns (allowed, limited).
async fn burst(app: &TestApp, token: &str, account: &str, n: usize) -> (usize, usize) {
    let (mut allowed, mut limited) = (0, 0);
    for i in 0..n {
        let path = if i % 2 == 0 {
            "/v1/me".to_owned()
        } else {
            format!("/v1/accounts/{account}/profile")
        };
        let res = app.get_as(&path, token).await;
        match res.status().as_u16() {
            200 => allowed += 1,
            429 => {
                assert!(res.headers().contains_key("retry-after"));
                limited += 1;
            }
            other => panic!("{path} answered {other}: {}", res.text().await.unwrap()),
        }
    }
    (allowed, limited)
}

/// The tokens the shared bucket holds for `user` (None when there is no bucket).
fn shared_tokens(redis: &OwnRedis, prefix: &str, user: &str) -> Option<String> {
    let mut conn = redis.client().ok()?;
    redis::cmd("HGET")
        .arg(format!("{prefix}rl:user:{user}"))
        .arg("tokens")
        .query::<Option<String>>(&mut conn)
        .ok()
        .flatten()
}

#[tokio::test]
async fn a_frozen_or_dead_redis_leaves_limiting_to_the_node_and_recovers() {
    if !redis_server_present() {
        eprintln!("skipped: no redis-server binary on PATH");
        return;
    }
    const LIMIT: usize = 40;
    let port = free_port();
    let redis = OwnRedis::start(port).unwrap();
    let prefix = format!("outage-{}:", uuid::Uuid::new_v4().simple());
    let app = {
        let (url, prefix) = (redis.url(), prefix.clone());
        TestApp::spawn_with(move |c| {
            c.redis_url = Some(Secret::new(url));
            c.redis_prefix = prefix;
            c.rate_limit_per_minute = u32::try_from(LIMIT).unwrap();
        })
        .await
    };
    let ws = app.workspace("Outage").await;
    let t = &ws.owner_token;
    let account: serde_json::Value = app
        .post_as(
            "/v1/accounts",
            t,
            &serde_json::json!({"kind": "person", "name": "Someone"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let account = account["id"].as_str().unwrap().to_owned();

    // With Redis up, the shared bucket counts.
    assert_eq!(burst(&app, t, &account, 4).await, (4, 0));
    assert!(shared_tokens(&redis, &prefix, &ws.owner_id).is_some());
    assert_eq!(outages(&app, "rate_limiter").await, 0);
    assert_eq!(
        metric(&app, "rapport_redis_available", "rate_limiter").await,
        1
    );

    // Frozen: every request is still answered, and the node enforces the limit itself.
    redis.signal("-STOP");
    let (allowed, limited) = burst(&app, t, &account, LIMIT + 20).await;
    // The node's own bucket starts full and refills at LIMIT a minute during the burst.
    assert!(
        allowed <= LIMIT + 5,
        "the node kept limiting: {allowed} allowed"
    );
    assert!(limited >= 15, "the node kept limiting: {limited} limited");
    assert_eq!(
        outages(&app, "rate_limiter").await,
        1,
        "one outage, logged once, however many requests met it"
    );

    // Thawed: the shared bucket is used again, and the outage ends (no new one).
    redis.signal("-CONT");
    uses_redis_again(&app, &redis, &prefix, &ws.owner_id, t).await;
    assert_eq!(outages(&app, "rate_limiter").await, 1);

    // Dead, then back on the same port (empty): same behaviour.
    redis.kill();
    let (allowed, limited) = burst(&app, t, &account, 10).await;
    assert_eq!(allowed + limited, 10);
    assert_eq!(outages(&app, "rate_limiter").await, 2);
    assert_eq!(
        metric(&app, "rapport_redis_available", "rate_limiter").await,
        0
    );
    let redis = OwnRedis::start(port).unwrap();
    uses_redis_again(&app, &redis, &prefix, &ws.owner_id, t).await;
}
