//! Import jobs (issue 25): files of accounts and orders imported through the API's own
//! paths (the metrics equal those of the order batch endpoint), bad rows reported and never
//! half-written, a job interrupted between batches resumed without writing a row twice,
//! malformed files failed clearly, dry runs writing nothing, and jobs kept to their tenant.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use common::{TestApp, Workspace};
use rapport_api::service::imports::{self, Step};
use serde_json::{json, Value};

/// Posts a file; returns the response.
async fn upload(
    app: &TestApp,
    token: &str,
    query: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/v1/imports?{query}")))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Posts a file that must be accepted; returns the job.
async fn start(app: &TestApp, token: &str, query: &str, content_type: &str, body: String) -> Value {
    let res = upload(app, token, query, content_type, body).await;
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    let job: Value = res.json().await.unwrap();
    assert_eq!(status, 202, "{job}");
    assert_eq!(
        location.as_deref(),
        Some(format!("/v1/imports/{}", job["id"].as_str().unwrap()).as_str())
    );
    job
}

/// Waits until the job has ended; returns it.
async fn finished(app: &TestApp, token: &str, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let job: Value = app
            .get_as(&format!("/v1/imports/{id}"), token)
            .await
            .json()
            .await
            .unwrap();
        if ["succeeded", "failed", "cancelled"].contains(&job["status"].as_str().unwrap_or("")) {
            return job;
        }
        assert!(Instant::now() < deadline, "the job never ended: {job}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn import(app: &TestApp, ws: &Workspace, query: &str, csv: String) -> Value {
    let job = start(app, &ws.owner_token, query, "text/csv", csv).await;
    finished(app, &ws.owner_token, job["id"].as_str().unwrap()).await
}

fn accounts_csv(n: usize) -> String {
    let mut csv = String::from("external_id,kind,name,emails,tags\n");
    for i in 1..=n {
        writeln!(
            csv,
            "crm-{i},person,Customer {i},c{i}@example.com;alt{i}@example.com,imported"
        )
        .unwrap();
    }
    csv
}

/// Orders spread over accounts and days: (external_id, account external id, amount, day).
fn orders(n: usize, accounts: usize) -> Vec<(String, String, i64, String)> {
    (1..=n)
        .map(|i| {
            (
                format!("shop-{i}"),
                format!("crm-{}", i % accounts + 1),
                i64::try_from(1000 + (i * 37) % 9000).unwrap(),
                format!("2026-{:02}-{:02}T10:00:00Z", i % 10 + 1, i % 27 + 1),
            )
        })
        .collect()
}

fn orders_csv(orders: &[(String, String, i64, String)]) -> String {
    let mut csv = String::from("Order ref,account_external_id,Total,currency,occurred_at\n");
    for (ext, account, amount, at) in orders {
        writeln!(csv, "{ext},{account},{amount},USD,{at}").unwrap();
    }
    csv
}

/// The mapping of `orders_csv`'s headers, URL-encoded.
fn orders_mapping() -> String {
    let mapping = json!({"Order ref": "external_id", "Total": "amount"}).to_string();
    format!("mapping={}", urlencode(&mapping))
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn account_id(app: &TestApp, token: &str, external_id: &str) -> String {
    let page: Value = app
        .get_as(&format!("/v1/accounts?external_id={external_id}"), token)
        .await
        .json()
        .await
        .unwrap();
    page["data"][0]["id"].as_str().unwrap().to_owned()
}

async fn metrics(app: &TestApp, token: &str, external_id: &str) -> Value {
    let id = account_id(app, token, external_id).await;
    let m: Value = app
        .get_as(&format!("/v1/accounts/{id}/metrics"), token)
        .await
        .json()
        .await
        .unwrap();
    json!({
        "orders_count": m["orders_count"], "revenue": m["revenue"],
        "first_order_at": m["first_order_at"], "last_order_at": m["last_order_at"],
        "rfm": m["rfm"], "currency": m["currency"],
    })
}

async fn count_accounts(app: &TestApp, token: &str) -> usize {
    let page: Value = app
        .get_as("/v1/accounts?limit=500", token)
        .await
        .json()
        .await
        .unwrap();
    page["data"].as_array().unwrap().len()
}

#[tokio::test]
async fn imported_accounts_and_orders_give_the_metrics_of_the_order_batch_endpoint() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Importer").await;
    let t = &ws.owner_token;
    let job = import(&app, &ws, "type=accounts", accounts_csv(20)).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(
        (job["rows_read"].as_i64(), job["rows_created"].as_i64()),
        (Some(20), Some(20))
    );
    assert_eq!(job["rows_failed"], 0);
    let one = account_id(&app, t, "crm-7").await;
    let account: Value = app
        .get_as(&format!("/v1/accounts/{one}"), t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        account["emails"],
        json!(["c7@example.com", "alt7@example.com"])
    );

    // Orders in a file with a mapping and a column no field takes.
    let all = orders(2_300, 20);
    let mut csv = orders_csv(&all).replace("occurred_at\n", "occurred_at,note\n");
    csv = csv
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.to_owned()
            } else {
                format!("{l},x")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let job = import(&app, &ws, &format!("type=orders&{}", orders_mapping()), csv).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["rows_created"], 2_300, "{job}");
    assert_eq!(job["unknown_columns"], json!(["note"]));
    assert!(job["rows_per_second"].as_f64().unwrap() > 0.0);

    // The same accounts and orders through the API, in another workspace.
    let api = app.workspace("Api").await;
    let accounts: Vec<Value> = (1..=20)
        .map(|i| json!({"external_id": format!("crm-{i}"), "kind": "person", "name": format!("Customer {i}")}))
        .collect();
    let res = app
        .post_as(
            "/v1/accounts/batch",
            &api.owner_token,
            &json!({"accounts": accounts}),
        )
        .await;
    assert_eq!(res.status(), 200);
    for part in all.chunks(1000) {
        let batch: Vec<Value> = part
            .iter()
            .map(|(ext, account, amount, at)| {
                json!({
                    "external_id": ext, "account_external_id": account, "amount": amount,
                    "currency": "USD", "occurred_at": at
                })
            })
            .collect();
        let res = app
            .post_as(
                "/v1/orders/batch",
                &api.owner_token,
                &json!({"orders": batch}),
            )
            .await;
        assert_eq!(res.status(), 200);
    }
    for i in [1, 2, 7, 20] {
        let ext = format!("crm-{i}");
        let imported = metrics(&app, t, &ext).await;
        assert!(imported["orders_count"].as_i64().unwrap() > 0);
        assert_eq!(
            imported,
            metrics(&app, &api.owner_token, &ext).await,
            "{ext}"
        );
    }

    // A second run of the same file changes nothing: every order is already there.
    let again = import(
        &app,
        &ws,
        &format!("type=orders&{}", orders_mapping()),
        orders_csv(&all),
    )
    .await;
    assert_eq!(
        (
            again["rows_created"].as_i64(),
            again["rows_unchanged"].as_i64()
        ),
        (Some(0), Some(2_300))
    );

    // Events and audit follow, and GraphQL reads the job.
    let feed: Value = app
        .get_as(
            "/v1/events?types=import.completed,import.created&limit=500",
            t,
        )
        .await
        .json()
        .await
        .unwrap();
    let types: Vec<&str> = feed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types.iter().filter(|t| **t == "import.completed").count(),
        3,
        "{types:?}"
    );
    assert_eq!(types.iter().filter(|t| **t == "import.created").count(), 3);
    let gql = app
        .graphql_as(t, "query($id: ID!) { importJob(id: $id) { id type status rowsCreated } importJobs(first: 10) { edges { node { id } } } }", json!({"id": job["id"]}))
        .await;
    assert_eq!(gql["data"]["importJob"]["status"], "succeeded", "{gql}");
    assert_eq!(gql["data"]["importJob"]["type"], "orders");
    assert_eq!(
        gql["data"]["importJobs"]["edges"].as_array().unwrap().len(),
        3
    );
    let list: Value = app.get_as("/v1/imports", t).await.json().await.unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn every_tenth_row_bad_imports_the_others_and_reports_the_bad_ones() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Tenth").await;
    let t = &ws.owner_token;
    let mut csv = String::from("external_id,kind,name\n");
    for i in 1..=1_200 {
        let kind = if i % 10 == 0 { "alien" } else { "person" };
        writeln!(csv, "x-{i},{kind},Row {i}").unwrap();
    }
    let job = import(&app, &ws, "type=accounts", csv).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(
        (job["rows_created"].as_i64(), job["rows_failed"].as_i64()),
        (Some(1_080), Some(120))
    );
    let id = job["id"].as_str().unwrap();
    let page: Value = app
        .get_as(&format!("/v1/imports/{id}/errors?limit=100"), t)
        .await
        .json()
        .await
        .unwrap();
    let rows: Vec<i64> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["row"].as_i64().unwrap())
        .collect();
    assert_eq!(rows, (1..=100).map(|i| i * 10).collect::<Vec<_>>());
    assert_eq!(page["data"][0]["field"], "kind");
    let next = page["next_cursor"].as_str().unwrap();
    let rest: Value = app
        .get_as(
            &format!("/v1/imports/{id}/errors?limit=100&after={next}"),
            t,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["data"].as_array().unwrap().len(), 20);
    assert_eq!(rest["next_cursor"], Value::Null);
    // The CSV report.
    let res = app
        .http
        .get(app.url(&format!("/v1/imports/{id}/errors")))
        .bearer_auth(t)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let report = res.text().await.unwrap();
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines[0], "row,field,code,message");
    assert_eq!(lines.len(), 121, "{report}");
    assert!(lines[1].starts_with("10,kind,invalid,"), "{}", lines[1]);
    assert!(lines[120].starts_with("1200,kind,"), "{}", lines[120]);
    // Nothing of a bad row was written.
    let res = app.get_as("/v1/accounts?external_id=x-10", t).await;
    assert_eq!(res.json::<Value>().await.unwrap()["data"], json!([]));
}

#[tokio::test]
async fn a_job_interrupted_between_batches_resumes_and_writes_each_row_once() {
    let app = TestApp::spawn_with(|c| c.imports_worker = false).await;
    let ws = app.workspace("Resume").await;
    let t = &ws.owner_token;
    let accounts: Vec<Value> = (1..=10)
        .map(|i| json!({"external_id": format!("crm-{i}"), "kind": "person", "name": format!("C {i}")}))
        .collect();
    let res = app
        .post_as("/v1/accounts/batch", t, &json!({"accounts": accounts}))
        .await;
    assert_eq!(res.status(), 200);
    let all = orders(2_500, 10);
    let job = start(
        &app,
        t,
        &format!("type=orders&{}", orders_mapping()),
        "text/csv",
        orders_csv(&all),
    )
    .await;
    assert_eq!(job["status"], "queued");
    let id = job["id"].as_str().unwrap();

    // A first worker takes the job, commits one batch, and dies (its lease dropped).
    assert!(imports::claim(&app.state, id, "worker-1").await.unwrap());
    assert!(
        !imports::claim(&app.state, id, "worker-2").await.unwrap(),
        "two workers on one job"
    );
    assert_eq!(
        imports::process_batch(&app.state, id, "worker-1")
            .await
            .unwrap(),
        Step::Continue
    );
    let mid: Value = app
        .get_as(&format!("/v1/imports/{id}"), t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (mid["status"].as_str(), mid["rows_created"].as_i64()),
        (Some("running"), Some(1_000))
    );
    assert!(mid["bytes_processed"].as_i64().unwrap() > 0);
    imports::release(&app.state, id, "worker-1").await.unwrap();

    // Another takes it over; the first can no longer write.
    assert!(imports::claim(&app.state, id, "worker-2").await.unwrap());
    assert_eq!(
        imports::process_batch(&app.state, id, "worker-1")
            .await
            .unwrap(),
        Step::Lost
    );
    let step = imports::run_job(&app.state, id, "worker-2", |_| {})
        .await
        .unwrap();
    assert_eq!(step, Step::Finished);
    let done = finished(&app, t, id).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(
        (
            done["rows_read"].as_i64(),
            done["rows_created"].as_i64(),
            done["rows_unchanged"].as_i64()
        ),
        (Some(2_500), Some(2_500), Some(0))
    );
    // Each order once: the accounts' order counts add up to the file's.
    let mut total = 0;
    for i in 1..=10 {
        total += metrics(&app, t, &format!("crm-{i}")).await["orders_count"]
            .as_i64()
            .unwrap();
    }
    assert_eq!(total, 2_500);
}

#[tokio::test]
async fn a_malformed_file_fails_the_job_clearly_and_imports_nothing_of_the_bad_part() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Malformed").await;
    let t = &ws.owner_token;
    let good = "external_id,kind,name\na-1,person,One\na-2,person,Two\n";

    // An unterminated quote.
    let job = import(
        &app,
        &ws,
        "type=accounts",
        format!("{good}a-3,person,\"Three\na-4,person,Four\n"),
    )
    .await;
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["error"]["code"], "import_file_malformed");
    assert!(
        job["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unterminated"),
        "{job}"
    );
    assert_eq!(job["rows_created"], 2);
    assert_eq!(count_accounts(&app, t).await, 2);

    // Binary bytes.
    let mut bytes = b"external_id,kind,name\nb-1,person,One\n".to_vec();
    bytes.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x01, 0x89, b'P', b'N', b'G', b'\n']);
    bytes.extend_from_slice(b"b-2,person,Two\n");
    let res = upload(&app, t, "type=accounts", "text/csv", bytes).await;
    assert_eq!(res.status(), 202);
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let job = finished(&app, t, &id).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert!(
        job["error"]["message"].as_str().unwrap().contains("binary"),
        "{job}"
    );
    assert_eq!(job["rows_created"], 1);
    assert_eq!(count_accounts(&app, t).await, 3);

    // Text that is not UTF-8.
    let mut bytes = b"external_id,kind,name\nu-1,person,Caf".to_vec();
    bytes.extend_from_slice(&[0xE9, b'\n']);
    let res = upload(&app, t, "type=accounts", "text/csv", bytes).await;
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let job = finished(&app, t, &id).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert!(
        job["error"]["message"].as_str().unwrap().contains("UTF-8"),
        "{job}"
    );
    assert_eq!(count_accounts(&app, t).await, 3);

    // A line over 1 MB.
    let long = "x".repeat(1_200_000);
    let job = import(
        &app,
        &ws,
        "type=accounts",
        format!("{good}l-1,person,{long}\nl-2,person,After\n").replace("a-", "c-"),
    )
    .await;
    assert_eq!(job["status"], "failed", "{job}");
    assert!(
        job["error"]["message"]
            .as_str()
            .unwrap()
            .contains("over 1048576 bytes"),
        "{job}"
    );
    assert_eq!(count_accounts(&app, t).await, 5);

    // An NDJSON line over 1 MB.
    let body = format!("{{\"external_id\":\"n-1\",\"kind\":\"person\",\"name\":\"N\"}}\n{{\"external_id\":\"n-2\",\"name\":\"{long}\"}}\n");
    let job = start(&app, t, "type=accounts", "application/x-ndjson", body).await;
    let job = finished(&app, t, job["id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["rows_created"], 1);
    assert_eq!(count_accounts(&app, t).await, 6);

    // Refused before anything is stored: a header without the required field, no file,
    // a type that is not a file.
    let res = upload(
        &app,
        t,
        "type=accounts",
        "text/csv",
        "name,kind\nA,person\n",
    )
    .await;
    let problem = common::assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "external_id");
    let res = upload(&app, t, "type=accounts", "text/csv", "").await;
    common::assert_problem(res, 422, "validation_failed").await;
    let res = upload(&app, t, "type=accounts", "application/json", "{}").await;
    assert_eq!(res.status(), 415);
    let res = upload(&app, t, "type=planets", "text/csv", good).await;
    common::assert_problem(res, 422, "validation_failed").await;
    let list: Value = app.get_as("/v1/imports", t).await.json().await.unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn a_dry_run_reports_what_would_happen_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Dry").await;
    let t = &ws.owner_token;
    let mut csv = accounts_csv(30);
    csv.push_str("bad-1,robot,Nope,,\n");
    let job = import(&app, &ws, "type=accounts&dry_run=true", csv).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["dry_run"], true);
    assert_eq!(
        (job["rows_created"].as_i64(), job["rows_failed"].as_i64()),
        (Some(30), Some(1))
    );
    assert_eq!(count_accounts(&app, t).await, 0);
    let events: Value = app
        .get_as("/v1/events?types=account.created", t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events["data"], json!([]));
    let errors: Value = app
        .get_as(
            &format!("/v1/imports/{}/errors", job["id"].as_str().unwrap()),
            t,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(errors["data"][0]["row"], 31);
}

#[tokio::test]
async fn another_workspace_sees_nothing_of_a_job_and_scopes_are_the_types() {
    let app = TestApp::spawn_with(|c| c.imports_worker = false).await;
    let a = app.workspace("TenantA").await;
    let b = app.workspace("TenantB").await;
    let job = start(
        &app,
        &a.owner_token,
        "type=accounts",
        "text/csv",
        accounts_csv(3),
    )
    .await;
    let id = job["id"].as_str().unwrap();
    for path in [
        format!("/v1/imports/{id}"),
        format!("/v1/imports/{id}/errors"),
    ] {
        let res = app.get_as(&path, &b.owner_token).await;
        assert_eq!(res.status(), 404, "{path}");
    }
    let res = app
        .post_as(
            &format!("/v1/imports/{id}/cancel"),
            &b.owner_token,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 404);
    let list: Value = app
        .get_as("/v1/imports", &b.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"], json!([]));

    // A key that may write orders only may not import accounts.
    let (_, key) = app.api_key(&a, &["orders:write", "orders:read"]).await;
    let res = upload(&app, &key, "type=accounts", "text/csv", accounts_csv(1)).await;
    common::assert_problem(res, 403, "insufficient_scope").await;

    // Cancelled: its worker finds nothing to do, and a second cancel is a 409.
    let res = app
        .post_as(
            &format!("/v1/imports/{id}/cancel"),
            &a.owner_token,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "cancelled");
    assert!(!imports::claim(&app.state, id, "worker").await.unwrap());
    let res = app
        .post_as(
            &format!("/v1/imports/{id}/cancel"),
            &a.owner_token,
            &json!({}),
        )
        .await;
    common::assert_problem(res, 409, "import_finished").await;
}

#[tokio::test]
async fn the_cli_runs_the_same_job_in_process() {
    let app = TestApp::spawn_with(|c| c.imports_worker = false).await;
    let ws = app.workspace("Cli").await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accounts.csv");
    let mut csv = accounts_csv(1_500);
    csv.push_str("bad-1,robot,Nope,,\n");
    std::fs::write(&path, csv).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"));
    for (name, _) in std::env::vars() {
        if name.starts_with("RAPPORT_") {
            cmd.env_remove(name);
        }
    }
    cmd.args([
        "import",
        path.to_str().unwrap(),
        "--type",
        "accounts",
        "--workspace",
        &ws.id,
    ])
    .env("RAPPORT_DATABASE_URL", app.db.url())
    .env("RAPPORT_LOG", "error");
    if let Some((url, prefix)) = &app.redis {
        cmd.env("RAPPORT_REDIS_URL", url)
            .env("RAPPORT_REDIS_PREFIX", prefix);
    }
    // Off the runtime, so the app under test keeps serving while the CLI runs.
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let job: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(
        (job["rows_created"].as_i64(), job["rows_failed"].as_i64()),
        (Some(1_500), Some(1))
    );
    // The API sees the job and its accounts.
    let seen: Value = app
        .get_as(
            &format!("/v1/imports/{}", job["id"].as_str().unwrap()),
            &ws.owner_token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["rows_created"], 1_500);
    assert!(!account_id(&app, &ws.owner_token, "crm-1500")
        .await
        .is_empty());
}
