//! An import at scale: writes a CSV of ACCOUNTS accounts and one of ORDERS orders spread over
//! them to a temporary file, streams each into an import job (as `POST /v1/imports` and
//! `rapport import` do) and runs the job's batches in this process, then prints the upload
//! and import times and rows per second. Ignored by default; run it with:
//!
//! ```sh
//! ACCOUNTS=100000 ORDERS=1000000 cargo test --release --test imports_bench -- --ignored --nocapture
//! ```
//!
//! It checks the rows created against the file (no timing assertion).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::time::Instant;

use common::TestApp;
use rapport_api::auth::Principal;
use rapport_api::service::imports::{self, ImportRequest, Step};

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn import(app: &TestApp, principal: &Principal, kind: &str, path: &std::path::Path) -> i64 {
    let request = ImportRequest {
        import_type: kind.into(),
        content_type: Some("text/csv".into()),
        mapping: None,
        dry_run: false,
        idempotency: None,
    };
    let started = Instant::now();
    let job = imports::create_from_file(&app.state, principal, request, path)
        .await
        .unwrap();
    let uploaded = started.elapsed();
    assert!(imports::claim(&app.state, &job.id, "bench").await.unwrap());
    let started = Instant::now();
    let step = imports::run_job(&app.state, &job.id, "bench", |_| {})
        .await
        .unwrap();
    let ran = started.elapsed();
    assert_eq!(step, Step::Finished);
    let done = imports::get(&app.state, principal, &job.id).await.unwrap();
    assert_eq!(done.status, "succeeded", "{:?}", done.error);
    let rows = done.rows_read;
    println!(
        "{kind}: {rows} rows, {} bytes; upload {:.1} s ({:.0} MB/s); import {:.1} s = {:.0} rows/s",
        done.bytes_total,
        uploaded.as_secs_f64(),
        done.bytes_total as f64 / 1e6 / uploaded.as_secs_f64(),
        ran.as_secs_f64(),
        rows as f64 / ran.as_secs_f64()
    );
    done.rows_created
}

#[tokio::test]
#[ignore = "a benchmark: run it with --ignored --nocapture (in release)"]
async fn import_orders_from_csv_at_scale() {
    let accounts = env_number("ACCOUNTS", 10_000);
    let orders = env_number("ORDERS", 100_000);
    let app = TestApp::spawn_with(|c| c.imports_worker = false).await;
    let ws = app.workspace("Bench").await;
    let principal = Principal::system(&ws.id);
    let dir = tempfile::tempdir().unwrap();

    let path = dir.path().join("accounts.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(file, "external_id,kind,name,emails").unwrap();
    for i in 0..accounts {
        writeln!(file, "crm-{i},person,Customer {i},c{i}@example.com").unwrap();
    }
    file.flush().unwrap();
    drop(file);
    let created = import(&app, &principal, "accounts", &path).await;
    assert_eq!(created, i64::try_from(accounts).unwrap());

    let path = dir.path().join("orders.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(
        file,
        "external_id,account_external_id,amount,currency,occurred_at,channel"
    )
    .unwrap();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..orders {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let account = seed % accounts as u64;
        let amount = 500 + seed % 20_000;
        let day = 1 + seed % 28;
        let month = 1 + (seed >> 8) % 11;
        writeln!(
            file,
            "shop-{i},crm-{account},{amount},USD,2026-{month:02}-{day:02}T12:00:00Z,web"
        )
        .unwrap();
    }
    file.flush().unwrap();
    drop(file);
    let created = import(&app, &principal, "orders", &path).await;
    assert_eq!(created, i64::try_from(orders).unwrap());
}
