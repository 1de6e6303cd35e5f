//! Recommendations at scale: seeds customers and orders with line items (SKUs in themes, so
//! there is co-occurrence to find) straight through the persistence layer, times the refresh
//! (`POST /v1/recommendations/refresh`) and single-account reads. Ignored by default; run
//! it with:
//!
//! ```sh
//! LINES=1000000 cargo test --release --test recommendations_bench -- --ignored --nocapture
//! ```
//!
//! It prints the timings and checks the refresh's counts against the seeded data (no timing
//! assertion).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::bench::{median, Rng};

use std::time::Instant;

use chrono::Duration;
use common::TestApp;
use rapport_persistence::accounts::{self as account_store, AccountRow};
use rapport_persistence::orders::{self as order_store, OrderRow};
use rapport_persistence::write_transaction;
use serde_json::{json, Value};

const THEMES: u64 = 200;
const SKUS_PER_THEME: u64 = 25;
const LINES_PER_ORDER: usize = 3;
const ORDERS_PER_CUSTOMER: usize = 3;

#[tokio::test]
#[ignore = "benchmark: run with --ignored --nocapture"]
async fn refresh_and_reads_over_many_order_lines() {
    let lines: usize = std::env::var("LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let customers = lines / (LINES_PER_ORDER * ORDERS_PER_CUSTOMER);
    let app = TestApp::spawn().await;
    let ws = app.workspace("Bench").await;
    let t = ws.owner_token.clone();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let now = rapport_api::service::now();
    let started = Instant::now();
    let mut conn = app.db.connect();
    let mut ids = Vec::with_capacity(customers);
    let mut seeded_lines = 0usize;
    for chunk_start in (0..customers).step_by(5_000) {
        let size = (customers - chunk_start).min(5_000);
        let mut accounts = Vec::with_capacity(size);
        let mut orders = Vec::with_capacity(size * ORDERS_PER_CUSTOMER);
        for _ in 0..size {
            let id = uuid::Uuid::now_v7().to_string();
            accounts.push(AccountRow {
                id: id.clone(),
                workspace_id: ws.id.clone(),
                kind: "person".into(),
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
                marketing_consent: "{}".into(),
                external_id: None,
                version: 1,
                created_at: now,
                updated_at: now,
                deleted_at: None,
            });
            // Mostly one theme per customer, now and then another.
            let theme = rng.below(THEMES);
            for k in 0..ORDERS_PER_CUSTOMER {
                let items: Vec<Value> = (0..LINES_PER_ORDER)
                    .map(|_| {
                        let th = if rng.below(10) == 0 {
                            rng.below(THEMES)
                        } else {
                            theme
                        };
                        let sku = th * SKUS_PER_THEME + rng.below(SKUS_PER_THEME);
                        json!({"sku": format!("SKU-{sku}"), "name": format!("Product {sku}"),
                               "quantity": 1, "unit_price": 1000, "category": format!("theme-{th}")})
                    })
                    .collect();
                seeded_lines += items.len();
                let at = now - Duration::days(10 + 60 * k as i64 + rng.below(30) as i64);
                orders.push(OrderRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    workspace_id: ws.id.clone(),
                    account_id: id.clone(),
                    external_id: None,
                    amount: 3_000,
                    currency: "USD".into(),
                    cost: None,
                    reporting_amount: 3_000,
                    reporting_cost: None,
                    refunded_amount: 0,
                    status: "completed".into(),
                    occurred_at: at,
                    purchase_day: rapport_domain::value::day_of(at),
                    channel: None,
                    items: serde_json::to_string(&items).unwrap(),
                    source: "api".into(),
                    version: 1,
                    created_at: now,
                    updated_at: now,
                });
            }
            ids.push(id);
        }
        write_transaction(&mut conn, |c| {
            for a in &accounts {
                account_store::insert(c, a)?;
            }
            order_store::insert_many(c, &orders)
        })
        .unwrap();
    }
    if app.db.is_postgres() {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("ANALYZE").unwrap();
    }
    let backend = if app.db.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "seeded {customers} customers, {seeded_lines} order lines in {:.1} s ({backend})",
        started.elapsed().as_secs_f64()
    );

    let http = reqwest::Client::new();
    let mut times = Vec::new();
    let mut last = Value::Null;
    for _ in 0..3 {
        let started = Instant::now();
        let res = http
            .post(app.url("/v1/recommendations/refresh"))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap();
        times.push(started.elapsed().as_secs_f64());
        assert_eq!(res.status(), 200);
        last = res.json().await.unwrap();
    }
    assert_eq!(last["lines"], json!(seeded_lines));
    assert_eq!(last["customers"], json!(customers));
    let (med, min, max) = median(times);
    println!(
        "refresh over {seeded_lines} lines ({} SKUs, {} pairs kept): median {med:.2} s, min {min:.2} s, max {max:.2} s (3 runs; {backend})",
        last["items"], last["pairs"]
    );

    let mut times = Vec::new();
    let mut shown = 0usize;
    for k in 0..200 {
        let id = &ids[(k * 7919) % ids.len()];
        let started = Instant::now();
        let res = http
            .get(app.url(&format!("/v1/accounts/{id}/recommendations")))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        times.push(started.elapsed().as_secs_f64() * 1_000.0);
        shown += body["data"].as_array().unwrap().len();
    }
    let (med, min, max) = median(times);
    println!(
        "one account's recommendations, 200 accounts in turn: median {med:.2} ms, min {min:.2} ms, max {max:.2} ms ({:.1} per account; {backend})",
        shown as f64 / 200.0
    );
    assert!(shown > 0);
}
