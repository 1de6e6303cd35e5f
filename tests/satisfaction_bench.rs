//! Satisfaction analytics at scale: seeds customers, their orders, survey responses and
//! complaints straight through the persistence layer, then times the 12-month report
//! (`GET /v1/analytics/satisfaction`). Ignored by default; run it with:
//!
//! ```sh
//! RESPONSES=1000000 COMPLAINTS=100000 cargo test --release --test satisfaction_bench -- --ignored --nocapture
//! ```
//!
//! It prints the timings and checks the report's counts against the seeded data (no timing
//! assertion).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::bench::{env_or, median, Rng};

use std::time::Instant;

use chrono::Duration;
use common::TestApp;
use rapport_persistence::accounts::{self as account_store, AccountRow};
use rapport_persistence::complaints::{self as complaint_store, ComplaintRow};
use rapport_persistence::feedback::{self as feedback_store, FeedbackRow, SatisfactionRow};
use rapport_persistence::orders::{self as order_store, OrderRow};
use rapport_persistence::write_transaction;
use serde_json::Value;

const RESPONSES_PER_CUSTOMER: usize = 10;
const ORDERS_PER_CUSTOMER: usize = 5;
const TOUCHPOINTS: [&str; 4] = ["purchase", "delivery", "support", "relationship"];
const CHANNELS: [&str; 3] = ["email", "sms", "web"];
const CATEGORIES: [&str; 4] = ["billing", "delivery", "product", "service"];

fn nps_category(nps: i32) -> &'static str {
    match nps {
        9.. => "promoter",
        7..=8 => "passive",
        _ => "detractor",
    }
}

#[tokio::test]
#[ignore = "benchmark: run with --ignored --nocapture"]
async fn a_twelve_month_report_over_many_responses_and_complaints() {
    let responses = env_or("RESPONSES", 100_000);
    let complaints = env_or("COMPLAINTS", responses / 10);
    let customers = (responses / RESPONSES_PER_CUSTOMER).max(1);
    let app = TestApp::spawn().await;
    let ws = app.workspace("Bench").await;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let now = rapport_api::service::now();
    let started = Instant::now();
    let mut conn = app.db.connect();
    // Everything falls in the last 15 months, so a 12-month window holds most of it.
    let days_back = |rng: &mut Rng| Duration::days(1 + rng.below(450) as i64);
    let mut in_window = 0usize;
    let window_start = now - Duration::days(330);
    let mut seeded_complaints = 0usize;
    for chunk_start in (0..customers).step_by(2_000) {
        let size = (customers - chunk_start).min(2_000);
        let mut accounts = Vec::with_capacity(size);
        let mut orders = Vec::with_capacity(size * ORDERS_PER_CUSTOMER);
        let mut answers = Vec::with_capacity(size * RESPONSES_PER_CUSTOMER);
        let mut latest = Vec::with_capacity(size);
        let mut opened = Vec::new();
        for n in 0..size {
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
            for _ in 0..ORDERS_PER_CUSTOMER {
                let at = now - days_back(&mut rng);
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
                    items: "[]".into(),
                    source: "api".into(),
                    version: 1,
                    created_at: now,
                    updated_at: now,
                });
            }
            let mut last: Option<FeedbackRow> = None;
            let remaining = responses - (chunk_start + n) * RESPONSES_PER_CUSTOMER;
            for _ in 0..RESPONSES_PER_CUSTOMER.min(remaining) {
                let at = now - days_back(&mut rng);
                let nps = rng.below(11) as i32;
                in_window += usize::from(at >= window_start);
                let row = FeedbackRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    workspace_id: ws.id.clone(),
                    account_id: id.clone(),
                    external_id: None,
                    nps: Some(nps),
                    nps_category: Some(nps_category(nps).into()),
                    csat: Some(1 + rng.below(5) as i32),
                    ces: Some(1 + rng.below(7) as i32),
                    touchpoint: TOUCHPOINTS[rng.below(4) as usize].into(),
                    channel: Some(CHANNELS[rng.below(3) as usize].into()),
                    order_id: None,
                    interaction_id: None,
                    comment: None,
                    occurred_at: at,
                    created_at: now,
                };
                if last.as_ref().is_none_or(|l| l.occurred_at < at) {
                    last = Some(row.clone());
                }
                answers.push(row);
            }
            if let Some(l) = last {
                latest.push(SatisfactionRow {
                    workspace_id: ws.id.clone(),
                    account_id: id.clone(),
                    nps: l.nps,
                    nps_category: l.nps_category.clone(),
                    nps_at: Some(l.occurred_at),
                    csat: l.csat,
                    csat_at: Some(l.occurred_at),
                    ces: l.ces,
                    ces_at: Some(l.occurred_at),
                    responses: RESPONSES_PER_CUSTOMER as i64,
                    last_response_at: l.occurred_at,
                    updated_at: now,
                });
            }
            // Complaints spread over the customers, `complaints` in all.
            let due = complaints * (chunk_start + n + 1) / customers - seeded_complaints;
            for _ in 0..due {
                let at = now - days_back(&mut rng);
                let answered = rng.below(10) < 9;
                let resolved = answered && rng.below(10) < 8;
                let first = answered.then(|| at + Duration::minutes(30 + rng.below(2_000) as i64));
                let done = resolved.then(|| at + Duration::hours(2 + rng.below(100) as i64));
                opened.push(ComplaintRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    workspace_id: ws.id.clone(),
                    account_id: id.clone(),
                    order_id: None,
                    contact_id: None,
                    interaction_id: None,
                    feedback_id: None,
                    category: CATEGORIES[rng.below(4) as usize].into(),
                    severity: "medium".into(),
                    channel: Some("email".into()),
                    owner_id: None,
                    subject: "Seeded complaint".into(),
                    description: None,
                    status: if resolved { "resolved" } else { "open" }.into(),
                    opened_at: at,
                    first_response_due_at: at + Duration::hours(8),
                    resolution_due_at: at + Duration::hours(72),
                    first_responded_at: first,
                    resolved_at: done,
                    closed_at: None,
                    first_response_breached_at: None,
                    resolution_breached_at: None,
                    outcome: None,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                });
                seeded_complaints += 1;
            }
        }
        write_transaction(&mut conn, |c| {
            for a in &accounts {
                account_store::insert(c, a)?;
            }
            order_store::insert_many(c, &orders)?;
            for part in answers.chunks(2_000) {
                feedback_store::insert_many(c, part)?;
            }
            for s in &latest {
                feedback_store::insert_satisfaction(c, s)?;
            }
            for row in &opened {
                complaint_store::insert(c, row)?;
            }
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
        "seeded {customers} customers, {} orders, {responses} responses ({in_window} in the last 330 days), {seeded_complaints} complaints in {:.1} s ({backend})",
        customers * ORDERS_PER_CUSTOMER,
        started.elapsed().as_secs_f64()
    );

    // A fresh access token: the one from signing up lasts 15 minutes, less than seeding
    // 1,000,000 responses takes on SQLite in a debug build. A new client: the app's pooled
    // connection was closed by the server while the seeding kept it idle.
    let http = reqwest::Client::new();
    let login: Value = http
        .post(app.url("/v1/auth/token"))
        .json(&serde_json::json!({"email": ws.owner_email, "password": common::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let t = login["access_token"].as_str().unwrap().to_owned();
    for (label, path) in [
        ("12 months by month", "/v1/analytics/satisfaction"),
        ("12 weeks by week", "/v1/analytics/satisfaction?period=week"),
    ] {
        let mut times = Vec::new();
        let mut last = Value::Null;
        for _ in 0..5 {
            let started = Instant::now();
            let res = http
                .get(app.url(path))
                .bearer_auth(&t)
                .send()
                .await
                .unwrap();
            times.push(started.elapsed().as_secs_f64() * 1_000.0);
            assert_eq!(res.status(), 200);
            last = res.json().await.unwrap();
        }
        let nps = last["overall"]["nps_responses"].as_i64().unwrap_or(-1);
        let value: i64 = last["value_by_nps_category"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["customers"].as_i64().unwrap())
            .sum();
        assert!(nps > 0, "{last}");
        let complainants: i64 = last["value_by_resolution_sla"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["customers"].as_i64().unwrap())
            .sum();
        // Every breakdown covers every response of the window.
        for key in [
            "over_time",
            "by_touchpoint",
            "by_channel",
            "by_rfm_segment",
            "by_tier",
            "by_owner",
        ] {
            let sum: i64 = last[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["scores"]["nps_responses"].as_i64().unwrap())
                .sum();
            assert_eq!(sum, nps, "{key}");
        }
        println!(
            "{label}: median {:.0} ms, min {:.0} ms, max {:.0} ms (5 runs; {nps} responses, {} complaints opened, {value} customers in value by NPS category, {complainants} complainants by resolution SLA; {backend})",
            median(times.clone()).0,
            median(times.clone()).1,
            median(times).2,
            last["complaints"]["opened"],
        );
    }

    // The report's parts one by one (12 months by month), 5 runs each, to show where the
    // time goes; `raw cells` is the grouped scan the rollup replaced.
    use rapport_persistence::feedback::{Accounts, Period};
    let day = rapport_persistence::feedback::day_number;
    // The report's default window: the 12 calendar months up to the current one.
    let month = rapport_persistence::feedback::month_number(now);
    let from = rapport_persistence::feedback::month_start(month - 11).unwrap();
    let to = rapport_persistence::feedback::month_start(month + 1).unwrap();
    let to_day = day(to);
    let value_to = now - Duration::days(90);
    // `EXPLAIN=1` (PostgreSQL): each part's plans with `ANALYZE, BUFFERS` in the server's
    // log, through `auto_explain` (its first run only).
    let explain = std::env::var("EXPLAIN").is_ok() && app.db.is_postgres();
    // `PLAIN=1`: the parts outside the report's read transaction and its settings.
    let plain = std::env::var("PLAIN").is_ok();
    let mut time = |label: &str, f: &mut dyn FnMut(&mut rapport_persistence::DbConn) -> usize| {
        let mut times = Vec::new();
        let mut rows = 0;
        for run in 0..5 {
            use diesel::connection::SimpleConnection;
            if explain {
                let on = if run == 0 { "0" } else { "-1" };
                conn.batch_execute(&format!(
                    "LOAD 'auto_explain'; SET auto_explain.log_min_duration = {on}; \
                     SET auto_explain.log_analyze = on; SET auto_explain.log_buffers = on; \
                     SET auto_explain.log_nested_statements = on"
                ))
                .unwrap();
            }
            let started = Instant::now();
            rows = if plain {
                f(&mut conn)
            } else {
                feedback_store::analytics_read(&mut conn, |c| Ok::<_, diesel::result::Error>(f(c)))
                    .unwrap()
            };
            times.push(started.elapsed().as_secs_f64() * 1_000.0);
        }
        let (med, min, max) = median(times);
        println!(
            "  {label}: median {med:.0} ms, min {min:.0}, max {max:.0} ({rows} rows; {backend})"
        );
    };
    time(
        "raw cells (before: scan of the window's responses)",
        &mut |c| {
            feedback_store::score_cells(c, &ws.id, from, to, Period::Month, Accounts::Live)
                .unwrap()
                .len()
        },
    );
    time("rollup cells", &mut |c| {
        feedback_store::rolled_score_cells(c, &ws.id, day(from), to_day, Period::Month)
            .unwrap()
            .len()
    });
    time("deleted accounts' cells", &mut |c| {
        feedback_store::score_cells(c, &ws.id, from, to, Period::Month, Accounts::Deleted)
            .unwrap()
            .len()
    });
    time(
        "segment/tier/owner cells, scan of the window's responses (before)",
        &mut |c| {
            feedback_store::account_cells_scanned(c, &ws.id, from, to)
                .unwrap()
                .len()
        },
    );
    time(
        "segment/tier/owner cells from the account months (after)",
        &mut |c| {
            feedback_store::account_cells(c, &ws.id, from, to)
                .unwrap()
                .len()
        },
    );
    time(
        "value by NPS category, scan of the window's responses (before)",
        &mut |c| {
            feedback_store::value_by_category_scanned(c, &ws.id, from, value_to)
                .unwrap()
                .len()
        },
    );
    time(
        "value by NPS category from the outcomes kept by the writes (after)",
        &mut |c| {
            feedback_store::value_by_category(c, &ws.id, from, value_to)
                .unwrap()
                .len()
        },
    );
    time("value by resolution SLA", &mut |c| {
        feedback_store::value_by_resolution_sla(c, &ws.id, from, value_to)
            .unwrap()
            .len()
    });
    let at = now;
    time("complaints by category", &mut |c| {
        complaint_store::category_counts(c, &ws.id, from, to, at)
            .unwrap()
            .len()
    });
    time("complaints: time to first response", &mut |c| {
        complaint_store::durations(c, &ws.id, from, to, false)
            .unwrap()
            .len()
    });
    time("complaints: time to resolution", &mut |c| {
        complaint_store::durations(c, &ws.id, from, to, true)
            .unwrap()
            .len()
    });
    time("detractors by value at risk", &mut |c| {
        feedback_store::detractors_by_value(c, &ws.id, 20)
            .unwrap()
            .len()
    });
    if app.db.is_postgres() {
        // The report's three parts (as `service::satisfaction` splits it) one after another
        // on one connection, then side by side on three sharing one snapshot, interleaved.
        let parts = |ws: &str| -> Vec<rapport_persistence::ReadPart<'_, diesel::result::Error>> {
            let ws = ws.to_owned();
            let (a, b, c) = (ws.clone(), ws.clone(), ws);
            vec![
                Box::new(move |conn| {
                    feedback_store::rolled_score_cells(conn, &a, day(from), to_day, Period::Month)?;
                    feedback_store::score_cells(
                        conn,
                        &a,
                        from,
                        to,
                        Period::Month,
                        Accounts::Deleted,
                    )?;
                    feedback_store::account_cells(conn, &a, from, to)?;
                    Ok(())
                }),
                Box::new(move |conn| {
                    feedback_store::value_by_category(conn, &b, from, value_to)?;
                    Ok(())
                }),
                Box::new(move |conn| {
                    complaint_store::category_counts(conn, &c, from, to, at)?;
                    complaint_store::durations(conn, &c, from, to, false)?;
                    complaint_store::durations(conn, &c, from, to, true)?;
                    feedback_store::value_by_resolution_sla(conn, &c, from, value_to)?;
                    feedback_store::detractors_by_value(conn, &c, 20)?;
                    Ok(())
                }),
            ]
        };
        let mut owned: Vec<rapport_persistence::DbConn> =
            (0..3).map(|_| app.db.connect()).collect();
        let (mut one, mut three) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            for (n, times) in [(1, &mut one), (3, &mut three)] {
                let mut conns: Vec<&mut rapport_persistence::DbConn> =
                    owned.iter_mut().take(n).collect();
                let started = Instant::now();
                feedback_store::analytics_read_parts(&mut conns, parts(&ws.id)).unwrap();
                times.push(started.elapsed().as_secs_f64() * 1_000.0);
            }
        }
        for (label, times) in [
            ("in turn on one connection", one),
            ("side by side on three", three),
        ] {
            let (med, min, max) = median(times);
            println!("  the three parts {label}: median {med:.0} ms, min {min:.0}, max {max:.0} ({backend})");
        }
    }
    {
        // The outcomes kept by the writes give the scan's numbers.
        let sorted = |mut v: Vec<feedback_store::GroupValue>| {
            v.sort_by(|a, b| a.group.cmp(&b.group));
            v
        };
        let kept =
            sorted(feedback_store::value_by_category(&mut conn, &ws.id, from, value_to).unwrap());
        let scanned = sorted(
            feedback_store::value_by_category_scanned(&mut conn, &ws.id, from, value_to).unwrap(),
        );
        assert_eq!(
            kept, scanned,
            "value by NPS category: kept outcomes vs scan"
        );
    }
    {
        use diesel::prelude::*;
        use rapport_persistence::schema::feedback_account_months as m;
        let rows: i64 = m::table
            .filter(m::workspace_id.eq(&ws.id))
            .count()
            .get_result(&mut conn)
            .unwrap();
        println!("  account months: {rows} rows for {responses} responses ({backend})");
    }
}
