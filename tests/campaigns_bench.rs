//! A campaign at scale: seeds accounts (value metrics with an RFM segment, predictions,
//! e-mail consent for 90 %) straight through the persistence layer, times the launch of a
//! campaign on a segment holding a fifth of them, then seeds orders of the members inside
//! the window (around the write pipeline, so the members' running sums are then seeded by the
//! scan a launch starts them with) and times `GET /v1/campaigns/{id}/results`. Ignored by default; run it with:
//!
//! ```sh
//! ACCOUNTS=1000000 ORDERS_PER_MEMBER=5 cargo test --release --test campaigns_bench -- --ignored --nocapture
//! ```
//!
//! It prints the timings and checks the member and order counts against the seeded data (no
//! timing assertion).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::bench::{median, Rng};

use std::time::Instant;

use chrono::{Duration, NaiveDateTime};
use common::TestApp;
use rapport_persistence::accounts::{self as account_store, AccountRow};
use rapport_persistence::campaigns as campaign_store;
use rapport_persistence::orders::{self as order_store, OrderRow};
use rapport_persistence::segments::{self as segment_store, PredictionRow};
use rapport_persistence::value::{self as value_store, MetricsRow};
use rapport_persistence::write_transaction;
use serde_json::{json, Value};

const SEGMENTS: [&str; 5] = ["champions", "loyal", "at_risk", "hibernating", "lost"];

#[tokio::test]
#[ignore = "benchmark: run with --ignored --nocapture"]
async fn launch_and_results_over_many_accounts_and_orders() {
    let n: usize = std::env::var("ACCOUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let per_member: usize = std::env::var("ORDERS_PER_MEMBER")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let app = TestApp::spawn().await;
    let ws = app.workspace("Bench").await;
    let t = ws.owner_token.clone();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let now = rapport_api::service::now();
    let started = Instant::now();
    let mut conn = app.db.connect();
    let mut in_segment = 0i64;
    let mut in_segment_consenting = 0i64;
    for chunk_start in (0..n).step_by(10_000) {
        let size = (n - chunk_start).min(10_000);
        let mut accounts = Vec::with_capacity(size);
        let mut metrics = Vec::with_capacity(size);
        let mut predictions = Vec::with_capacity(size);
        for _ in 0..size {
            let id = uuid::Uuid::now_v7().to_string();
            let granted = rng.below(10) < 9;
            let revenue = i64::try_from(rng.below(100_000)).unwrap();
            let churn = rng.below(1_000) as f64 / 1_000.0;
            let status = if granted { "granted" } else { "withdrawn" };
            let consent = json!({"email": {"status": status, "method": null, "source": null, "at": "2026-01-01T00:00:00Z"}});
            // The segment: revenue >= 80,000 (a fifth).
            if revenue >= 80_000 {
                in_segment += 1;
                in_segment_consenting += i64::from(granted);
            }
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
                marketing_consent: consent.to_string(),
                external_id: None,
                version: 1,
                created_at: now,
                updated_at: now,
                deleted_at: None,
            });
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
                rfm_segment: Some(SEGMENTS[rng.below(5) as usize].into()),
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
    let backend = if app.db.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "seeded {n} accounts in {:.1} s ({backend})",
        started.elapsed().as_secs_f64()
    );
    let http = reqwest::Client::new();
    let post =
        |path: &str, body: Value| http.post(app.url(path)).bearer_auth(&t).json(&body).send();
    let seg: Value = post(
        "/v1/segments",
        json!({"name": "Top fifth", "rule": {"field": "revenue", "op": ">=", "value": 80000}}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let mut launches = Vec::new();
    let mut campaign_id = String::new();
    for run in 0..3 {
        let c: Value = post(
            "/v1/campaigns",
            json!({"name": format!("Bench {run}"), "channel": "email", "segment_id": seg["id"], "cost_fixed": 100000, "cost_per_contact": 5}),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        let id = c["id"].as_str().unwrap().to_owned();
        let started = Instant::now();
        let res = post(&format!("/v1/campaigns/{id}/launch"), json!(null))
            .await
            .unwrap();
        launches.push(started.elapsed().as_secs_f64());
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["audience"]["eligible"], json!(in_segment));
        let members = body["audience"]["treated"].as_i64().unwrap()
            + body["audience"]["control"].as_i64().unwrap();
        assert_eq!(members, in_segment_consenting);
        campaign_id = id;
    }
    let (med, min, max) = median(launches);
    println!(
        "launch of a {in_segment_consenting}-member campaign over {n} accounts: median {med:.2} s, min {min:.2} s, max {max:.2} s (3 runs; {backend})"
    );

    // Orders of the last campaign's members inside its window.
    let launched: Value = http
        .get(app.url(&format!("/v1/campaigns/{campaign_id}")))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let launched_at = NaiveDateTime::parse_from_str(
        launched["launched_at"].as_str().unwrap(),
        "%Y-%m-%dT%H:%M:%S%.fZ",
    )
    .unwrap();
    let members: Vec<String> = {
        use diesel::prelude::*;
        use rapport_persistence::schema::campaign_members;
        campaign_members::table
            .filter(campaign_members::campaign_id.eq(&campaign_id))
            .select(campaign_members::account_id)
            .load(&mut conn)
            .unwrap()
    };
    let started = Instant::now();
    let mut seeded_orders = 0usize;
    for chunk in members.chunks(2_000) {
        let mut rows = Vec::with_capacity(chunk.len() * per_member);
        for account in chunk {
            for _ in 0..per_member {
                let amount = 1_000 + i64::try_from(rng.below(20_000)).unwrap();
                let at = launched_at + Duration::seconds(60 + rng.below(86_400 * 20) as i64);
                rows.push(OrderRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    workspace_id: ws.id.clone(),
                    account_id: account.clone(),
                    external_id: None,
                    amount,
                    currency: "USD".into(),
                    cost: Some(amount * 6 / 10),
                    reporting_amount: amount,
                    reporting_cost: Some(amount * 6 / 10),
                    refunded_amount: 0,
                    status: "completed".into(),
                    occurred_at: at,
                    purchase_day: rapport_domain::value::day_of(at),
                    channel: None,
                    items: "[]".into(),
                    source: "api".into(),
                    version: 1,
                    created_at: now,
                    updated_at: now,
                });
            }
        }
        seeded_orders += rows.len();
        write_transaction(&mut conn, |c| order_store::insert_many(c, &rows)).unwrap();
    }
    println!(
        "seeded {seeded_orders} orders in the window in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // The orders went in around the write pipeline, so the members' running sums are seeded
    // the way a launch starts them: one scan of the window's orders.
    let started = Instant::now();
    write_transaction(&mut conn, |c| {
        let (from, to) = campaign_store::attributed_window(c, &ws.id, &campaign_id)?.unwrap();
        campaign_store::recompute_member_sums(c, &ws.id, &campaign_id, from, to, None, None)
    })
    .unwrap();
    println!(
        "seeded the members' sums from a scan in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if app.db.is_postgres() {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("ANALYZE").unwrap();
    }
    // A new client: the pooled connection sat idle past the server's keep-alive while seeding.
    let http = reqwest::Client::new();
    let mut times = Vec::new();
    for _ in 0..7 {
        let started = Instant::now();
        let res = http
            .get(app.url(&format!("/v1/campaigns/{campaign_id}/results")))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap();
        times.push(started.elapsed().as_secs_f64() * 1_000.0);
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        let orders = body["total"]["treatment"]["orders"].as_i64().unwrap()
            + body["total"]["control"]["orders"].as_i64().unwrap();
        assert_eq!(orders, i64::try_from(seeded_orders).unwrap());
    }
    let (med, min, max) = median(times);
    println!(
        "results over {seeded_orders} orders of {} members: median {med:.1} ms, min {min:.1} ms, max {max:.1} ms (7 runs; {backend})",
        members.len()
    );
}
