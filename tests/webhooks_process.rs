//! Webhook delivery across real `rapport serve` processes: a kill -9 with events not yet
//! delivered loses none (the next process delivers them), and two processes sharing one
//! database deliver each event once per subscription.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::receiver::Receiver;
use rapport_persistence::events::{self, EventRow, NewEvent};
use rapport_persistence::testing::TestDatabase;
use serde_json::{json, Value};

struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// `rapport serve` on `db` with a fast webhook worker and loopback targets allowed.
    async fn start(db: &TestDatabase, lease_secs: u64) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
        for (name, _) in std::env::vars() {
            if name.starts_with("RAPPORT_") {
                cmd.env_remove(name);
            }
        }
        let child = cmd
            .arg("serve")
            .env("RAPPORT_DATABASE_URL", db.url())
            .env("RAPPORT_BIND", format!("127.0.0.1:{port}"))
            .env("RAPPORT_WORKERS", "1")
            .env(
                "RAPPORT_JWT_SECRET",
                "process-test-secret-process-test-secret",
            )
            .env("RAPPORT_MODELS_REFIT_INTERVAL_SECS", "0")
            .env("RAPPORT_LOYALTY_JOBS_INTERVAL_SECS", "0")
            .env("RAPPORT_WEBHOOKS_ALLOW_PRIVATE", "true")
            .env("RAPPORT_WEBHOOKS_POLL_INTERVAL_MS", "50")
            .env("RAPPORT_WEBHOOKS_BACKOFF_BASE_MS", "50")
            .env("RAPPORT_WEBHOOKS_BACKOFF_MAX_MS", "200")
            .env("RAPPORT_WEBHOOKS_LEASE_SECS", lease_secs.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while reqwest::get(format!("{}/healthz", server.base))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }

    /// SIGKILL: no shutdown, no flush, nothing in flight finishes.
    fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A workspace (bootstrapped in the database) and its owner's token from `server`.
async fn owner_token(db: &TestDatabase, server: &Server) -> (String, String) {
    let email = format!("owner-{}@proc.example.com", uuid::Uuid::new_v4().simple());
    let created = rapport_api::service::workspaces::bootstrap(
        &mut db.connect(),
        "Processes",
        &email,
        common::PASSWORD,
    )
    .unwrap();
    let tokens: Value = reqwest::Client::new()
        .post(format!("{}/v1/auth/token", server.base))
        .json(&json!({ "email": email, "password": common::PASSWORD }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        created.workspace_id,
        tokens["access_token"].as_str().unwrap().to_owned(),
    )
}

async fn subscribe(server: &Server, token: &str, url: &str) {
    let res = reqwest::Client::new()
        .post(format!("{}/v1/webhooks", server.base))
        .bearer_auth(token)
        .json(&json!({ "url": url, "event_types": ["*"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

fn append(db: &TestDatabase, ws: &str, count: usize) -> Vec<EventRow> {
    let new = (0..count)
        .map(|i| NewEvent {
            id: uuid::Uuid::now_v7().to_string(),
            event_type: "order.created".into(),
            occurred_at: chrono::Utc::now().naive_utc(),
            data: json!({ "i": i }).to_string(),
        })
        .collect();
    rapport_persistence::write_transaction(&mut db.connect(), |c| events::append(c, ws, new))
        .unwrap()
}

fn ids(events: &[EventRow]) -> Vec<String> {
    events.iter().map(|e| e.id.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_9_with_undelivered_events_loses_none() {
    let db = TestDatabase::create();
    let first = Server::start(&db, 1).await;
    let (ws, token) = owner_token(&db, &first).await;
    let receiver = Receiver::start().await;
    receiver.set_delay(Duration::from_millis(10));
    subscribe(&first, &token, &receiver.url).await;
    let sent = append(&db, &ws, 300);
    receiver
        .wait_until(60, "the first deliveries", |r| r.len() >= 60)
        .await;
    first.kill_9();
    let at_kill = receiver.unique_delivered().len();
    assert!(at_kill < 300, "the kill came before the end ({at_kill})");

    let _second = Server::start(&db, 1).await;
    receiver
        .wait_until(120, "every event after the restart", |_| {
            receiver.unique_delivered().len() >= 300
        })
        .await;
    let unique: Vec<String> = receiver
        .unique_delivered()
        .iter()
        .map(|r| r.event_id())
        .collect();
    assert_eq!(unique, ids(&sent), "every event, in order, none lost");
    let redelivered = receiver.delivered().len() - 300;
    eprintln!("delivered again after the kill: {redelivered}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_deliver_each_event_once() {
    let db = TestDatabase::create();
    let a = Server::start(&db, 10).await;
    let b = Server::start(&db, 10).await;
    let (ws, token) = owner_token(&db, &a).await;
    let mut receivers = Vec::new();
    for _ in 0..4 {
        let receiver = Receiver::start().await;
        subscribe(&b, &token, &receiver.url).await;
        receivers.push(receiver);
    }
    let mut sent = Vec::new();
    for _ in 0..5 {
        sent.extend(append(&db, &ws, 40));
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    for receiver in &receivers {
        receiver
            .wait_until(120, "200 deliveries", |_| {
                receiver.unique_delivered().len() >= 200
            })
            .await;
    }
    // Give a duplicate the time to show up.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for receiver in &receivers {
        let got: Vec<String> = receiver.received().iter().map(|r| r.event_id()).collect();
        assert_eq!(got, ids(&sent), "each event once, in order");
    }
    drop((a, b));
}
