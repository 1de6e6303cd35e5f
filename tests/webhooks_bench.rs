//! Webhook delivery throughput and commit-to-delivery latency to a receiver on loopback.
//! Ignored by default; run it in release mode:
//!
//! ```sh
//! cargo test --release --test webhooks_bench -- --ignored --nocapture
//! # SUBSCRIPTIONS=4 BACKLOG=20000 RATE=2000 SECONDS=10
//! ```
//!
//! 1. Backlog: `BACKLOG` events are committed (in transactions of 500) while the
//!    subscriptions exist; the clock runs from the first commit until every subscription
//!    has received every event. Deliveries per second = events x subscriptions / time.
//! 2. Stream: events are committed in transactions of 10 at `RATE` events a second for
//!    `SECONDS`, each commit waking the worker as the write pipeline does; the latency of an
//!    event is from its transaction's commit returning to the receiver reading its request.
//!
//! Events are appended to the outbox directly (the write pipeline is not in this branch), so
//! this measures the delivery path, not order ingestion. It checks that every event arrived
//! (no timing assertion).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime};

use common::receiver::Receiver;
use common::TestApp;
use rapport_persistence::events::{self, NewEvent};
use serde_json::json;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Commits `count` events in one transaction; returns their ids and the commit time.
fn commit(
    app: &TestApp,
    conn: &mut rapport_persistence::DbConn,
    ws: &str,
    count: usize,
) -> (Vec<String>, SystemTime) {
    let new = (0..count)
        .map(|i| NewEvent {
            id: uuid::Uuid::now_v7().to_string(),
            event_type: "order.created".into(),
            occurred_at: chrono::Utc::now().naive_utc(),
            data: json!({ "order_id": uuid::Uuid::now_v7().to_string(), "total": {"minor": 1999 + i, "currency": "EUR"} })
                .to_string(),
        })
        .collect();
    let rows = tokio::task::block_in_place(|| {
        rapport_persistence::write_transaction(conn, |c| events::append(c, ws, new))
    })
    .unwrap();
    let at = SystemTime::now();
    app.state.outbox_notify.notify_one();
    (rows.into_iter().map(|r| r.id).collect(), at)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run with --release -- --ignored --nocapture"]
async fn webhook_delivery_throughput_and_latency() {
    let subscriptions = env_or("SUBSCRIPTIONS", 1);
    let backlog = env_or("BACKLOG", 20_000);
    let rate = env_or("RATE", 2_000);
    let seconds = env_or("SECONDS", 10);
    let app = TestApp::spawn_with(|c| {
        c.webhooks.allow_private = true;
        c.db_pool_size = 10;
    })
    .await;
    let ws = app.workspace("Bench").await;
    let mut receivers = Vec::new();
    for _ in 0..subscriptions {
        let receiver = Receiver::start().await;
        let res = app
            .post_as(
                "/v1/webhooks",
                &ws.owner_token,
                &json!({ "url": receiver.url, "event_types": ["order.*"] }),
            )
            .await;
        assert_eq!(res.status(), 201);
        receivers.push(receiver);
    }
    let backend = if app.db.is_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    let mut conn = app.db.connect();

    // 1. Backlog.
    let started = Instant::now();
    let mut committed = 0;
    while committed < backlog {
        let n = (backlog - committed).min(500);
        commit(&app, &mut conn, &ws.id, n);
        committed += n;
    }
    let written = started.elapsed();
    for receiver in &receivers {
        receiver
            .wait_until(600, "the backlog", |r| r.len() >= backlog)
            .await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let deliveries = backlog * subscriptions;
    println!(
        "[{backend}] backlog: {backlog} events x {subscriptions} subscriptions = {deliveries} deliveries in {elapsed:.2} s \
         (events committed in {:.2} s): {:.0} deliveries/s",
        written.as_secs_f64(),
        deliveries as f64 / elapsed
    );
    for receiver in &receivers {
        assert_eq!(receiver.unique_delivered().len(), backlog);
    }
    let offset: Vec<usize> = receivers.iter().map(|r| r.received().len()).collect();

    // 2. Stream at `rate` events/s in transactions of 10.
    let per_commit = 10;
    let interval = Duration::from_secs_f64(per_commit as f64 / rate as f64);
    let total = rate * seconds;
    let mut committed_at: HashMap<String, SystemTime> = HashMap::with_capacity(total);
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let stream_started = Instant::now();
    let mut sent = 0;
    while sent < total {
        ticks.tick().await;
        let (ids, at) = commit(&app, &mut conn, &ws.id, per_commit);
        for id in ids {
            committed_at.insert(id, at);
        }
        sent += per_commit;
    }
    let stream_secs = stream_started.elapsed().as_secs_f64();
    let mut latencies = Vec::new();
    for (receiver, skip) in receivers.iter().zip(offset) {
        receiver
            .wait_until(600, "the stream", |r| r.len() >= skip + total)
            .await;
        for req in receiver.received().iter().skip(skip) {
            let at = committed_at[&req.event_id()];
            let latency = req.at.duration_since(at).unwrap_or_default();
            latencies.push(latency.as_secs_f64() * 1000.0);
        }
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "[{backend}] stream: {total} events at {:.0} events/s x {subscriptions} subscriptions; \
         commit-to-delivery p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        total as f64 / stream_secs,
        percentile(&latencies, 50.0),
        percentile(&latencies, 90.0),
        percentile(&latencies, 99.0),
        latencies.last().copied().unwrap_or(f64::NAN),
    );
}
