//! The customer economics reports at scale: seeds accounts (five acquisition channels and
//! none, a fifth with an own acquisition cost), their purchase days over the last 24 months
//! with matching value metrics, stored CLV predictions, interactions and complaints, and 24
//! months of marketing spend, straight through the persistence layer; then times each
//! analytics endpoint over 24 monthly periods. Ignored by default; run it with:
//!
//! ```sh
//! ACCOUNTS=100000 DAYS_PER_ACCOUNT=10 cargo test --release --test economics_bench -- --ignored --nocapture
//! ```
//!
//! It prints the timings (median of 5 after one warm-up) and checks each report's customer
//! count against the seeded data (no timing assertion).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::bench::{env_or, Rng};

use std::time::Instant;

use common::TestApp;
use rapport_persistence::accounts::{self as account_store, AccountRow};
use rapport_persistence::complaints::{self as complaint_store, ComplaintRow};
use rapport_persistence::interactions::{self as interaction_store, InteractionRow};
use rapport_persistence::segments::{self as segment_store, PredictionRow};
use rapport_persistence::value::{self as value_store, MetricsRow, PurchaseDayRow};
use rapport_persistence::write_transaction;
use serde_json::{json, Value};

const CHANNELS: [&str; 5] = ["ads", "search", "social", "referral", "partner"];
const KINDS: [&str; 4] = ["call", "email", "meeting", "note"];

#[tokio::test]
#[ignore = "benchmark: run with --ignored --nocapture"]
async fn every_analytics_report_over_many_customers() {
    let n = env_or("ACCOUNTS", 100_000);
    let days_per_account = env_or("DAYS_PER_ACCOUNT", 10) as u64;
    let app = TestApp::spawn().await;
    let ws = app.workspace("Bench").await;
    let t = ws.owner_token.clone();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let now = rapport_api::service::now();
    let today = rapport_domain::value::day_of(now);
    let span = 730u64; // 24 months of first purchases and orders
    let started = Instant::now();
    let mut conn = app.db.connect();
    let mut day_rows = 0usize;
    for chunk_start in (0..n).step_by(5_000) {
        let size = (n - chunk_start).min(5_000);
        let mut accounts = Vec::with_capacity(size);
        let mut metrics = Vec::with_capacity(size);
        let mut days = Vec::new();
        let mut predictions = Vec::with_capacity(size);
        let mut interactions = Vec::new();
        let mut complaints = Vec::new();
        for _ in 0..size {
            let id = uuid::Uuid::now_v7().to_string();
            let channel = rng.below(6);
            let own = rng.below(5) == 0;
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
                acquisition_channel: CHANNELS.get(channel as usize).map(|c| (*c).to_owned()),
                acquisition_cost_amount: own.then(|| 500 + rng.below(5_000) as i64),
                acquisition_cost_currency: own.then(|| "USD".to_owned()),
                marketing_consent: "{}".into(),
                external_id: None,
                version: 1,
                created_at: now,
                updated_at: now,
                deleted_at: None,
            });
            // Purchase days: the first in the last 730 days, the others after it.
            let first = today - rng.below(span) as i32;
            let count = 1 + rng.below(2 * days_per_account - 1);
            let mut own_days: Vec<i32> = (0..count)
                .map(|i| {
                    if i == 0 {
                        first
                    } else {
                        first + rng.below((today - first + 1) as u64) as i32
                    }
                })
                .collect();
            own_days.sort_unstable();
            own_days.dedup();
            let (mut revenue, mut costed, mut cost) = (0i64, 0i64, 0i64);
            for d in &own_days {
                let amount = 1_000 + rng.below(20_000) as i64;
                let c = if rng.below(2) == 0 { amount / 2 } else { 0 };
                revenue += amount;
                if c > 0 {
                    costed += amount;
                    cost += c;
                }
                let at = rapport_api::service::economics::day_start(*d).naive_utc();
                days.push(PurchaseDayRow {
                    workspace_id: ws.id.clone(),
                    account_id: id.clone(),
                    day: *d,
                    orders: 1,
                    revenue: amount,
                    costed_revenue: if c > 0 { amount } else { 0 },
                    cost: c,
                    first_at: at,
                    last_at: at,
                });
            }
            let last = *own_days.last().unwrap();
            let day_at = |d: i32| rapport_api::service::economics::day_start(d).naive_utc();
            metrics.push(MetricsRow {
                account_id: id.clone(),
                workspace_id: ws.id.clone(),
                orders_count: own_days.len() as i64,
                revenue,
                costed_revenue: costed,
                cost,
                first_order_at: Some(day_at(first)),
                last_order_at: Some(day_at(last)),
                first_day: Some(first),
                last_day: Some(last),
                repeat_purchases: own_days.len() as i64 - 1,
                repeat_revenue: revenue / 2,
                rfm_r: None,
                rfm_f: None,
                rfm_m: None,
                rfm_segment: None,
                updated_at: now,
            });
            let churn = rng.below(1_000) as f64 / 1_000.0;
            predictions.push(PredictionRow {
                account_id: id.clone(),
                workspace_id: ws.id.clone(),
                churn_probability: churn,
                expected_orders_90d: 1.0 - churn,
                clv: Some(revenue / 3),
                predicted_at: now,
            });
            for _ in 0..rng.below(3) {
                interactions.push(InteractionRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    workspace_id: ws.id.clone(),
                    account_id: id.clone(),
                    contact_id: None,
                    kind: KINDS[rng.below(4) as usize].into(),
                    channel: None,
                    direction: None,
                    subject: None,
                    body: None,
                    occurred_at: now,
                    author_type: "user".into(),
                    author_id: None,
                    due_at: None,
                    done_at: None,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                    deleted_at: None,
                    external_id: None,
                });
            }
            if rng.below(20) == 0 {
                complaints.push(ComplaintRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    workspace_id: ws.id.clone(),
                    account_id: id.clone(),
                    order_id: None,
                    contact_id: None,
                    interaction_id: None,
                    feedback_id: None,
                    category: "delivery".into(),
                    severity: "low".into(),
                    channel: None,
                    owner_id: None,
                    subject: "Late".into(),
                    description: None,
                    status: "open".into(),
                    opened_at: now,
                    first_response_due_at: now,
                    resolution_due_at: now,
                    first_responded_at: None,
                    resolved_at: None,
                    closed_at: None,
                    first_response_breached_at: None,
                    resolution_breached_at: None,
                    outcome: None,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                });
            }
        }
        day_rows += days.len();
        write_transaction(&mut conn, |c| {
            for a in &accounts {
                account_store::insert(c, a)?;
            }
            value_store::upsert_metrics(c, &metrics)?;
            for chunk in days.chunks(5_000) {
                value_store::upsert_days(c, chunk)?;
            }
            segment_store::upsert_predictions(c, &predictions)?;
            for i in &interactions {
                interaction_store::insert(c, i)?;
            }
            for k in &complaints {
                complaint_store::insert(c, k)?;
            }
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap();
    }
    let backend = if app.db.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    if app.db.is_postgres() {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("ANALYZE").unwrap();
    }
    println!(
        "seeded {n} customers, {day_rows} purchase days in {:.1} s ({backend})",
        started.elapsed().as_secs_f64()
    );
    // Settings and spend through the API: 24 months x 5 channels.
    let http = reqwest::Client::new();
    let res = http
        .patch(app.url("/v1/workspace/value-settings"))
        .bearer_auth(&t)
        .json(
            &json!({"cost_to_serve": {"interaction_costs": {"call": 800, "email": 50,
                       "meeting": 3000}, "complaint_cost": 2500}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let first_month = rapport_domain::economics::Period::Month.index_of(today - 730);
    let last_month = rapport_domain::economics::Period::Month.index_of(today);
    for m in first_month..=last_month {
        for channel in CHANNELS {
            let label = rapport_domain::economics::Period::Month.label(m);
            let res = http
                .post(app.url("/v1/marketing-spend"))
                .bearer_auth(&t)
                .json(
                    &json!({"channel": channel, "month": label, "amount": 1_000_000,
                              "currency": "USD"}),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
        }
    }
    let from = rapport_domain::economics::date_of(today - 700).unwrap();
    let to = rapport_domain::economics::date_of(today).unwrap();
    let cases = [
        (
            "cohorts",
            format!("/v1/analytics/cohorts?from={from}&to={to}"),
        ),
        ("churn", format!("/v1/analytics/churn?from={from}&to={to}")),
        (
            "acquisition",
            format!("/v1/analytics/acquisition?from={from}&to={to}"),
        ),
        (
            "value-distribution",
            "/v1/analytics/value-distribution".to_owned(),
        ),
        ("profitability", "/v1/analytics/profitability".to_owned()),
    ];
    for (name, path) in cases {
        let mut times = Vec::new();
        let mut body = Value::Null;
        for _ in 0..6 {
            let started = Instant::now();
            let res = http
                .get(app.url(&path))
                .bearer_auth(&t)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{name}");
            body = res.json().await.unwrap();
            times.push(started.elapsed().as_secs_f64() * 1_000.0);
        }
        let first = times[0];
        let warm = &mut times[1..];
        warm.sort_by(f64::total_cmp);
        let customers = match name {
            "profitability" => body["customers"].as_i64(),
            "value-distribution" => body["revenue"]["customers"].as_i64(),
            _ => None,
        };
        if let Some(c) = customers {
            assert_eq!(c, n as i64, "{name}");
        }
        println!(
            "{name} over {n} customers ({backend}): median {:.0} ms, min {:.0} ms, max {:.0} ms (5 warm runs; first {:.0} ms)",
            warm[2], warm[0], warm[4], first
        );
    }
}
