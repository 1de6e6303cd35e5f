//! A segment preview at scale: seeds accounts with value metrics, stored predictions and
//! e-mail consent straight through the persistence layer, then times
//! `POST /v1/segments/preview` with a 4-condition rule (revenue, churn probability, e-mail
//! consent, kind). Ignored by default; run it with:
//!
//! ```sh
//! ACCOUNTS=100000 cargo test --test segments_bench -- --ignored --nocapture
//! ```
//!
//! It prints the timings and checks the count against the seeded data (no timing assertion).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::bench::Rng;

use std::time::Instant;

use chrono::Utc;
use common::TestApp;
use rapport_persistence::accounts::{self as account_store, AccountRow};
use rapport_persistence::segments::{self as segment_store, PredictionRow};
use rapport_persistence::value::{self as value_store, MetricsRow};
use rapport_persistence::write_transaction;
use serde_json::{json, Value};

#[tokio::test]
#[ignore = "benchmark: run with --ignored --nocapture"]
async fn a_four_condition_preview_over_many_accounts() {
    let n: usize = std::env::var("ACCOUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let app = TestApp::spawn().await;
    let ws = app.workspace("Bench").await;
    let t = ws.owner_token.clone();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let now = rapport_api::service::now();
    let started = Instant::now();
    let mut expected = 0i64;
    let mut conn = app.db.connect();
    for chunk_start in (0..n).step_by(10_000) {
        let size = (n - chunk_start).min(10_000);
        let mut accounts = Vec::with_capacity(size);
        let mut metrics = Vec::with_capacity(size);
        let mut predictions = Vec::with_capacity(size);
        for _ in 0..size {
            let id = uuid::Uuid::now_v7().to_string();
            let person = rng.below(10) < 8;
            let granted = rng.below(10) < 6;
            let revenue = i64::try_from(rng.below(100_000)).unwrap();
            let churn = rng.below(1_000) as f64 / 1_000.0;
            let buyer = rng.below(10) < 7;
            let consent = if granted {
                json!({"email": {"status": "granted", "method": null, "source": null, "at": "2026-01-01T00:00:00Z"}})
            } else {
                json!({"email": {"status": "withdrawn", "method": null, "source": null, "at": "2026-01-01T00:00:00Z"}})
            };
            if person && granted && buyer && revenue >= 50_000 && churn > 0.5 {
                expected += 1;
            }
            accounts.push(AccountRow {
                id: id.clone(),
                workspace_id: ws.id.clone(),
                kind: if person { "person" } else { "organization" }.into(),
                name: format!("Customer {id}"),
                emails: "[]".into(),
                phones: "[]".into(),
                address: None,
                tags: "[]".into(),
                attributes: "{}".into(),
                lifecycle_stage: "customer".into(),
                owner_id: None,
                acquisition_channel: None,
                acquisition_cost_amount: None,
                acquisition_cost_currency: None,
                marketing_consent: consent.to_string(),
                external_id: None,
                version: 1,
                created_at: now,
                updated_at: now,
                deleted_at: None,
            });
            if buyer {
                metrics.push(MetricsRow {
                    account_id: id.clone(),
                    workspace_id: ws.id.clone(),
                    orders_count: 3,
                    revenue,
                    costed_revenue: 0,
                    cost: 0,
                    first_order_at: Some(now),
                    last_order_at: Some(now),
                    first_day: Some(20_000),
                    last_day: Some(20_300),
                    repeat_purchases: 2,
                    repeat_revenue: revenue / 2,
                    rfm_r: None,
                    rfm_f: None,
                    rfm_m: None,
                    rfm_segment: None,
                    updated_at: now,
                });
                predictions.push(PredictionRow {
                    account_id: id,
                    workspace_id: ws.id.clone(),
                    churn_probability: churn,
                    expected_orders_90d: 1.0 - churn,
                    clv: Some(revenue / 3),
                    predicted_at: now,
                });
            }
        }
        write_transaction(&mut conn, |c| {
            for a in &accounts {
                account_store::insert(c, a)?;
            }
            value_store::upsert_metrics(c, &metrics)?;
            segment_store::upsert_predictions(c, &predictions)?;
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap();
    }
    if app.db.is_postgres() {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("ANALYZE").unwrap();
    }
    println!(
        "seeded {n} accounts in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        if app.db.is_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    let rule = json!({"all": [
        {"field": "revenue", "op": ">=", "value": 50000},
        {"field": "churn_probability", "op": ">", "value": 0.5},
        {"field": "consent.email", "op": "=", "value": "granted"},
        {"field": "kind", "op": "=", "value": "person"}
    ]});
    // A new client: the app's pooled connection sat idle past the server's keep-alive while
    // seeding.
    let http = reqwest::Client::new();
    let mut times = Vec::new();
    for _ in 0..7 {
        let started = Instant::now();
        let res = http
            .post(app.url("/v1/segments/preview"))
            .bearer_auth(&t)
            .json(&json!({"rule": rule, "sample_size": 10}))
            .send()
            .await
            .unwrap();
        let elapsed = started.elapsed().as_secs_f64() * 1_000.0;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["count"], json!(expected));
        times.push(elapsed);
    }
    let first = times[0];
    times.sort_by(f64::total_cmp);
    println!(
        "preview of a 4-condition rule over {n} accounts ({expected} match): median {:.1} ms, min {:.1} ms, max {:.1} ms, first {:.1} ms (7 runs; {})",
        times[3],
        times[0],
        times[6],
        first,
        Utc::now()
    );
    // KEEP_SECS=N keeps the seeded database for N seconds (to EXPLAIN by hand).
    if let Some(secs) = std::env::var("KEEP_SECS").ok().and_then(|v| v.parse().ok()) {
        println!(
            "database {} kept for {secs} s (workspace {})",
            app.db.url(),
            ws.id
        );
        tokio::time::sleep(std::time::Duration::from_secs(secs)).await;
    }
}
