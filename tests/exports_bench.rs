//! An export at scale: imports ACCOUNTS accounts (an import job, as `rapport import` does)
//! with ORDERS orders spread over them (so the value metrics have something to say), then
//! runs an accounts export job in CSV and in NDJSON in this process (one snapshot, pages of
//! 1,000 through the list's code, the metrics of every account, the file stored in chunks)
//! and prints rows per second of each. Ignored by default; run it with:
//!
//! ```sh
//! ACCOUNTS=1000000 ORDERS=200000 cargo test --release --test exports_bench -- --ignored --nocapture
//! ```
//!
//! It checks the rows written against the accounts imported and the file's line count (no
//! timing assertion: the target, 100,000 rows/s, is read from the output).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::time::Instant;

use common::bench::{env_or, Rng};
use common::TestApp;
use rapport_api::auth::Principal;
use rapport_api::service::exports::{self, ExportInput, Step};
use rapport_api::service::idempotency::Outcome;
use rapport_api::service::imports::{self, ImportRequest};

async fn import(app: &TestApp, principal: &Principal, kind: &str, path: &std::path::Path) {
    let request = ImportRequest {
        import_type: kind.into(),
        content_type: Some("text/csv".into()),
        mapping: None,
        dry_run: false,
        idempotency: None,
    };
    let job = imports::create_from_file(&app.state, principal, request, path)
        .await
        .unwrap();
    assert!(imports::claim(&app.state, &job.id, "bench").await.unwrap());
    imports::run_job(&app.state, &job.id, "bench", |_| {})
        .await
        .unwrap();
    let done = imports::get(&app.state, principal, &job.id).await.unwrap();
    assert_eq!(done.status, "succeeded", "{:?}", done.error);
}

async fn export(app: &TestApp, principal: &Principal, format: &str, accounts: usize) {
    let input = ExportInput {
        export_type: Some("accounts".into()),
        format: Some(format.into()),
        filters: None,
    };
    let Outcome::Fresh(job) = exports::create(&app.state, principal, input, None)
        .await
        .unwrap()
    else {
        panic!("replayed");
    };
    assert!(exports::claim(&app.state, &job.id, "bench").await.unwrap());
    let started = Instant::now();
    let step = exports::run_job(&app.state, &job.id, "bench")
        .await
        .unwrap();
    let ran = started.elapsed();
    assert_eq!(step, Step::Finished);
    let done = exports::get(&app.state, principal, &job.id).await.unwrap();
    assert_eq!(done.status, "succeeded", "{:?}", done.error);
    assert_eq!(done.rows_written, i64::try_from(accounts).unwrap());
    let started = Instant::now();
    let mut file = Vec::new();
    exports::write_file(&app.state, principal, &job.id, &mut file)
        .await
        .unwrap();
    let downloaded = started.elapsed();
    let lines = file.iter().filter(|b| **b == b'\n').count();
    let header = usize::from(format == "csv");
    assert_eq!(lines, accounts + header);
    println!(
        "accounts {format}: {} rows, {} bytes; export {:.1} s = {:.0} rows/s; read back {:.1} s",
        done.rows_written,
        done.bytes_written,
        ran.as_secs_f64(),
        done.rows_written as f64 / ran.as_secs_f64(),
        downloaded.as_secs_f64()
    );
}

#[tokio::test]
#[ignore = "a benchmark: run it with --ignored --nocapture (in release)"]
async fn export_accounts_with_metrics_at_scale() {
    let accounts = env_or("ACCOUNTS", 10_000);
    let orders = env_or("ORDERS", 2_000);
    let app = TestApp::spawn_with(|c| {
        c.imports_worker = false;
        c.exports_worker = false;
    })
    .await;
    let ws = app.workspace("Bench").await;
    let principal = Principal::system(&ws.id);
    let dir = tempfile::tempdir().unwrap();

    let path = dir.path().join("accounts.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(file, "external_id,kind,name,emails,tags").unwrap();
    for i in 0..accounts {
        writeln!(file, "crm-{i},person,Customer {i},c{i}@example.com,bench").unwrap();
    }
    file.flush().unwrap();
    drop(file);
    import(&app, &principal, "accounts", &path).await;

    let path = dir.path().join("orders.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(
        file,
        "external_id,account_external_id,amount,currency,occurred_at,channel"
    )
    .unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..orders {
        let seed = rng.next();
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
    import(&app, &principal, "orders", &path).await;
    println!("seeded: {accounts} accounts, {orders} orders");

    export(&app, &principal, "csv", accounts).await;
    export(&app, &principal, "ndjson", accounts).await;
}
