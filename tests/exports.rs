//! Export jobs (issue 25): a file holds exactly what the list endpoint returns for the same
//! filters (accounts with the profile's value metrics), in CSV and NDJSON that parse back;
//! it is read from one snapshot; jobs are kept to their tenant and the type's scope; bad
//! requests name the field; the download waits for completion (409) and ends with the
//! retention (410); a queued job can be cancelled.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{assert_problem, TestApp, Workspace};
use rapport_api::auth::Principal;
use rapport_api::service::exports;
use reqwest::Method;
use serde_json::{json, Map, Value};

async fn spawn() -> TestApp {
    TestApp::spawn_with(|c| c.exports_worker = false).await
}

/// Starts an export that must be accepted; returns the job.
async fn start(app: &TestApp, token: &str, body: Value) -> Value {
    let res = app.post_as("/v1/exports", token, &body).await;
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    let job: Value = res.json().await.unwrap();
    assert_eq!(status, 202, "{job}");
    assert_eq!(job["status"], "queued");
    assert_eq!(
        location.as_deref(),
        Some(format!("/v1/exports/{}", job["id"].as_str().unwrap()).as_str())
    );
    job
}

/// Runs the oldest queued job in this process (the worker of `rapport serve` is off).
async fn run(app: &TestApp) {
    assert!(exports::run_next(&app.state, "test-worker").await.unwrap());
}

async fn job(app: &TestApp, token: &str, id: &str) -> Value {
    let res = app.get_as(&format!("/v1/exports/{id}"), token).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Exports and downloads: the file's text, after checking the job and the headers.
async fn export(app: &TestApp, token: &str, body: Value) -> String {
    let format = body["format"].as_str().unwrap_or("csv").to_owned();
    let created = start(app, token, body).await;
    let id = created["id"].as_str().unwrap();
    run(app).await;
    let done = job(app, token, id).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(
        done["download_url"],
        format!("/v1/exports/{id}/download").as_str()
    );
    assert!(done["expires_at"].is_string());
    let res = app
        .get_as(&format!("/v1/exports/{id}/download"), token)
        .await;
    assert_eq!(res.status(), 200);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_owned();
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with(if format == "csv" {
            "text/csv"
        } else {
            "application/x-ndjson"
        }),
        "{content_type}"
    );
    assert!(
        disposition.starts_with("attachment; filename=") && disposition.contains(id),
        "{disposition}"
    );
    let text = res.text().await.unwrap();
    assert_eq!(done["bytes_written"].as_u64().unwrap(), text.len() as u64);
    text
}

/// Every item of a list endpoint (`path` has its query), following the cursors.
async fn list_all(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = match &after {
            Some(a) => format!("{path}{sep}limit=500&after={a}"),
            None => format!("{path}{sep}limit=500"),
        };
        let res = app.get_as(&url, token).await;
        assert_eq!(res.status(), 200, "{url}");
        let page: Value = res.json().await.unwrap();
        out.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => after = Some(c.to_owned()),
            None => return out,
        }
    }
}

/// Accounts as the list gives them, each with the metrics its profile shows.
async fn accounts_with_metrics(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for mut account in list_all(app, token, path).await {
        let id = account["id"].as_str().unwrap();
        let profile: Value = app
            .get_as(&format!("/v1/accounts/{id}/profile"), token)
            .await
            .json()
            .await
            .unwrap();
        account["metrics"] = profile["metrics"].clone();
        out.push(account);
    }
    out
}

fn ndjson(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A CSV cell as the export documents it.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Array(items))
            if items
                .iter()
                .all(|i| matches!(i, Value::String(_) | Value::Number(_) | Value::Bool(_))) =>
        {
            items
                .iter()
                .map(|i| cell(Some(i)))
                .collect::<Vec<_>>()
                .join(";")
        }
        Some(other) => other.to_string(),
    }
}

/// The paths of a row's values (objects flattened; anything else is a leaf).
fn leaves(value: &Value, prefix: &str, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(o) if !o.is_empty() => {
            for (k, v) in o {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(v, &path, out);
            }
        }
        other => out.push((prefix.to_owned(), other.clone())),
    }
}

/// The CSV parses back to `expected`: every column's cell is the value at its path, and
/// every value of the API's form has a column (itself, or an object holding it as JSON).
fn assert_csv(text: &str, expected: &[Value]) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), expected.len(), "rows");
    for (record, row) in records.iter().zip(expected) {
        for (column, got) in header.iter().zip(record.iter()) {
            let want = cell(column.split('.').try_fold(row, |v, k| v.get(k)));
            assert_eq!(got, want, "column {column} of {}", row["id"]);
        }
        let mut paths = Vec::new();
        leaves(row, "", &mut paths);
        for (path, value) in paths {
            let covered = header.iter().any(|c| {
                *c == path
                    || path.starts_with(&format!("{c}."))
                    || (value.is_null() && c.starts_with(&format!("{path}.")))
            });
            assert!(covered, "no column holds {path} ({value})");
        }
    }
}

async fn batch(app: &TestApp, token: &str, accounts: Value) {
    let res = app
        .post_as(
            "/v1/accounts/batch",
            token,
            &json!({ "accounts": accounts }),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

/// 1,200 accounts, more than one page (1,000 rows) of an export, in three batches of 400;
/// `bulky` gives each an e-mail and two tags (a larger file).
async fn accounts_over_two_pages(app: &TestApp, token: &str, bulky: bool) {
    for part in 0..3 {
        let accounts: Vec<Value> = (0..400)
            .map(|i| {
                let mut a = json!({"kind": "person", "name": format!("Customer {part}-{i}"),
                                   "external_id": format!("crm-{part}-{i}")});
                if bulky {
                    a["emails"] = json!([format!("c{part}-{i}@example.com")]);
                    a["tags"] = json!(["bulk", format!("part-{part}")]);
                }
                a
            })
            .collect();
        batch(app, token, json!(accounts)).await;
    }
}

async fn account(app: &TestApp, token: &str, body: Value) -> String {
    let res = app.post_as("/v1/accounts", token, &body).await;
    assert_eq!(res.status(), 201);
    let a: Value = res.json().await.unwrap();
    a["id"].as_str().unwrap().to_owned()
}

async fn order(app: &TestApp, token: &str, account: &str, ext: &str, amount: i64, at: &str) {
    let res = app
        .post_as(
            "/v1/orders",
            token,
            &json!({"account_id": account, "external_id": ext, "amount": amount,
                    "currency": "USD", "occurred_at": at, "channel": "web",
                    "items": [{"sku": "tea", "quantity": 2, "unit_price": amount / 2}]}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
}

/// A small shop: persons and organisations, orders, a deleted account.
async fn shop(app: &TestApp, ws: &Workspace) -> Vec<String> {
    let t = &ws.owner_token;
    let mut ids = Vec::new();
    for (i, (kind, tag)) in [
        ("person", "vip"),
        ("person", "new"),
        ("organization", "vip"),
        ("person", "vip"),
    ]
    .into_iter()
    .enumerate()
    {
        ids.push(
            account(
                app,
                t,
                json!({"kind": kind, "name": format!("Customer, \"{i}\""), "tags": [tag],
                       "emails": [format!("c{i}@example.com")],
                       "address": {"city": "Lyon", "country": "FR"},
                       "attributes": {"plan": "gold", "seats": i},
                       "external_id": format!("crm-{i}")}),
            )
            .await,
        );
    }
    order(app, t, &ids[0], "o-1", 12_000, "2026-10-01T10:00:00Z").await;
    order(app, t, &ids[0], "o-2", 3_000, "2026-11-02T10:00:00Z").await;
    order(app, t, &ids[2], "o-3", 45_000, "2026-11-20T10:00:00Z").await;
    let gone = account(
        app,
        t,
        json!({"kind": "person", "name": "Gone", "tags": ["vip"]}),
    )
    .await;
    let res = app
        .send(Method::DELETE, &format!("/v1/accounts/{gone}"), t, None)
        .await;
    assert_eq!(res.status(), 204);
    ids
}

#[tokio::test]
async fn an_accounts_export_is_the_list_with_its_value_metrics_in_csv_and_ndjson() {
    let app = spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    shop(&app, &ws).await;

    // In id order the metrics are read by a range of ids, in another order by the page's ids.
    for filters in [
        json!({}),
        json!({"kind": "person", "tag": "vip"}),
        json!({"sort": "-name"}),
    ] {
        let query: Vec<String> = filters
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap()))
            .collect();
        let path = if query.is_empty() {
            "/v1/accounts".to_owned()
        } else {
            format!("/v1/accounts?{}", query.join("&"))
        };
        let expected = accounts_with_metrics(&app, t, &path).await;
        assert!(!expected.is_empty());
        assert!(expected.iter().all(|a| a["name"] != "Gone"));
        let text = export(
            &app,
            t,
            json!({"type": "accounts", "format": "ndjson", "filters": filters}),
        )
        .await;
        assert_eq!(ndjson(&text), expected);
        let text = export(
            &app,
            t,
            json!({"type": "accounts", "format": "csv", "filters": filters}),
        )
        .await;
        assert_csv(&text, &expected);
    }
    // The metrics are the profile's: a customer with orders has revenue and an RFM segment.
    let text = export(&app, t, json!({"type": "accounts", "format": "ndjson"})).await;
    let rows = ndjson(&text);
    let buyer = rows.iter().find(|r| r["external_id"] == "crm-0").unwrap();
    assert_eq!(buyer["metrics"]["orders_count"], 2);
    assert_eq!(buyer["metrics"]["revenue"], 15_000);
    let job_rows: Vec<Value> = list_all(&app, t, "/v1/exports").await;
    assert_eq!(job_rows.len(), 7);
    assert!(job_rows
        .iter()
        .all(|j| j["rows_written"].as_i64().unwrap() > 0));
}

/// The chunk lengths of a job's stored file, in order.
fn chunk_lengths(app: &TestApp, job_id: &str) -> Vec<usize> {
    use diesel::prelude::*;
    use rapport_persistence::schema::export_chunks;
    let mut conn = app.db.connect();
    export_chunks::table
        .filter(export_chunks::job_id.eq(job_id))
        .order(export_chunks::seq.asc())
        .select(export_chunks::data)
        .load::<Vec<u8>>(&mut conn)
        .unwrap()
        .iter()
        .map(Vec::len)
        .collect()
}

/// More than one page of accounts and a file of several chunks. The job's file is what
/// `write_export` writes from the same data, byte for byte, whether its chunks are stored
/// from a second connection while the snapshot is read (PostgreSQL) or from a temporary
/// file after it (SQLite, and a pool of one connection); every chunk but the last is full; the accounts either
/// side of the page boundary have their metrics, in id order (metrics read by a range of
/// ids) as in name order (by the page's ids).
#[tokio::test]
async fn a_file_of_several_chunks_is_the_snapshot_with_one_connection_or_two() {
    for pool in [4, 1] {
        let app = TestApp::spawn_with(|c| {
            c.exports_worker = false;
            c.db_pool_size = pool;
        })
        .await;
        let ws = app.workspace("Big").await;
        let t = &ws.owner_token;
        accounts_over_two_pages(&app, t, true).await;
        let listed = list_all(&app, t, "/v1/accounts").await;
        assert_eq!(listed.len(), 1200);
        let buyers = [0usize, 999, 1000, 1199];
        for (n, i) in buyers.iter().enumerate() {
            let id = listed[*i]["id"].as_str().unwrap();
            let amount = 1_000 * (n as i64 + 1);
            order(
                &app,
                t,
                id,
                &format!("o-{n}"),
                amount,
                "2026-11-01T10:00:00Z",
            )
            .await;
        }
        for format in ["ndjson", "csv"] {
            let text = export(&app, t, json!({"type": "accounts", "format": format})).await;
            let job = &list_all(&app, t, "/v1/exports").await[0];
            let principal = Principal::system(&ws.id);
            let f = format.to_owned();
            let direct = app
                .state
                .db
                .run(move |conn| {
                    let mut out = Vec::new();
                    exports::write_export(
                        conn,
                        &principal,
                        "accounts",
                        &f,
                        &Map::new(),
                        &mut out,
                        &mut |_| {},
                    )?;
                    Ok(out)
                })
                .await
                .unwrap();
            let differs = text.bytes().zip(&direct).position(|(a, b)| a != *b);
            assert!(
                text.len() == direct.len() && differs.is_none(),
                "pool {pool}, {format}: the job's file ({} bytes) is not write_export's ({} \
                 bytes); first difference at byte {differs:?}",
                text.len(),
                direct.len()
            );
            let lengths = chunk_lengths(&app, job["id"].as_str().unwrap());
            assert!(lengths.len() >= 2, "{format}: {lengths:?}");
            let (last, full) = lengths.split_last().unwrap();
            assert!(
                full.iter().all(|n| *n == exports::CHUNK_SIZE),
                "{lengths:?}"
            );
            assert!((1..=exports::CHUNK_SIZE).contains(last), "{lengths:?}");
            assert_eq!(lengths.iter().sum::<usize>(), text.len());
        }
        let by_id = ndjson(&export(&app, t, json!({"type": "accounts", "format": "ndjson"})).await);
        let mut by_name = ndjson(
            &export(
                &app,
                t,
                json!({"type": "accounts", "format": "ndjson", "filters": {"sort": "name"}}),
            )
            .await,
        );
        assert_ne!(by_name, by_id);
        by_name.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        assert_eq!(by_name, by_id);
        for (row, account) in by_id.iter().zip(&listed) {
            assert_eq!(row["id"], account["id"]);
        }
        for (n, i) in buyers.iter().enumerate() {
            let metrics = &by_id[*i]["metrics"];
            assert_eq!(metrics["orders_count"], 1, "account {i}: {metrics}");
            assert_eq!(metrics["revenue"], 1_000 * (n as i64 + 1), "account {i}");
        }
        let buying = by_id
            .iter()
            .filter(|r| r["metrics"]["orders_count"] != 0)
            .count();
        assert_eq!(buying, buyers.len());
    }
}

#[tokio::test]
async fn a_segment_filter_exports_the_segments_members() {
    let app = spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    shop(&app, &ws).await;
    let res = app
        .post_as(
            "/v1/segments",
            t,
            &json!({"name": "Big spenders", "rule": {"field": "revenue", "op": ">=", "value": 10000}}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let segment: Value = res.json().await.unwrap();
    let id = segment["id"].as_str().unwrap();
    let members = list_all(&app, t, &format!("/v1/segments/{id}/accounts")).await;
    assert_eq!(members.len(), 2);
    let expected = accounts_with_metrics(&app, t, &format!("/v1/accounts?segment_id={id}")).await;
    let text = export(
        &app,
        t,
        json!({"type": "accounts", "format": "ndjson", "filters": {"segment_id": id}}),
    )
    .await;
    let rows = ndjson(&text);
    assert_eq!(rows, expected);
    let exported: Vec<&Value> = rows.iter().map(|r| &r["id"]).collect();
    let listed: Vec<&Value> = members.iter().map(|r| &r["id"]).collect();
    assert_eq!(exported, listed);
}

#[tokio::test]
async fn orders_feedback_contacts_interactions_and_the_ledger_export_as_their_lists() {
    let app = spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    let ids = shop(&app, &ws).await;
    let acme = &ids[2];
    for name in ["Ann", "Ben"] {
        let res = app
            .post_as(
                &format!("/v1/accounts/{acme}/contacts"),
                t,
                &json!({"name": name, "email": format!("{name}@acme.example"), "title": "Buyer"}),
            )
            .await;
        assert_eq!(res.status(), 201);
    }
    for (kind, at) in [
        ("note", "2026-11-01T09:00:00Z"),
        ("call", "2026-11-03T09:00:00Z"),
    ] {
        let res = app
            .post_as(
                &format!("/v1/accounts/{acme}/interactions"),
                t,
                &json!({"type": kind, "channel": "phone", "subject": "Hello", "occurred_at": at}),
            )
            .await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    }
    for (i, nps) in [9, 3].into_iter().enumerate() {
        let res = app
            .post_as(
                "/v1/feedback",
                t,
                &json!({"account_id": ids[i], "nps": nps, "touchpoint": "web",
                        "external_id": format!("s-{i}"), "comment": "fine, \"really\""}),
            )
            .await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    }
    let res = app
        .send(
            Method::PUT,
            "/v1/loyalty/program",
            t,
            Some(&json!({
                "currency": "USD",
                "earn_rate": {"numerator": 1, "denominator": 100},
                "tiers": [{"name": "Base", "threshold": 0, "multiplier_permille": 1000}],
                "expiry_months": 12
            })),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    order(&app, t, acme, "o-4", 20_000, "2026-11-25T10:00:00Z").await;
    let res = app
        .post_as(
            &format!("/v1/accounts/{acme}/loyalty/adjust"),
            t,
            &json!({"points": 70, "reason": "welcome"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());

    let cases = [
        ("orders", json!({}), "/v1/orders".to_owned()),
        (
            "orders",
            json!({"account_id": ids[0], "occurred_after": "2026-10-15T00:00:00Z"}),
            format!(
                "/v1/orders?account_id={}&occurred_after=2026-10-15T00:00:00Z",
                ids[0]
            ),
        ),
        ("feedback", json!({}), "/v1/feedback".to_owned()),
        (
            "feedback",
            json!({"nps_category": "detractor"}),
            "/v1/feedback?nps_category=detractor".to_owned(),
        ),
        (
            "contacts",
            json!({"account_id": acme}),
            format!("/v1/accounts/{acme}/contacts"),
        ),
        (
            "interactions",
            json!({"account_id": acme, "type": "call"}),
            format!("/v1/accounts/{acme}/interactions?type=call"),
        ),
        (
            "ledger",
            json!({"account_id": acme}),
            format!("/v1/accounts/{acme}/loyalty/ledger"),
        ),
    ];
    for (ty, filters, path) in cases {
        let expected = list_all(&app, t, &path).await;
        assert!(!expected.is_empty(), "{path} lists nothing");
        let text = export(
            &app,
            t,
            json!({"type": ty, "format": "ndjson", "filters": filters}),
        )
        .await;
        assert_eq!(ndjson(&text), expected, "{ty} {filters}");
        let text = export(
            &app,
            t,
            json!({"type": ty, "format": "csv", "filters": filters}),
        )
        .await;
        assert_csv(&text, &expected);
    }
}

#[tokio::test]
async fn an_export_reads_one_snapshot_whatever_is_written_while_it_runs() {
    let app = spawn().await;
    let ws = app.workspace("Big").await;
    let t = &ws.owner_token;
    accounts_over_two_pages(&app, t, false).await;
    let before = list_all(&app, t, "/v1/accounts").await;
    assert_eq!(before.len(), 1200);
    // Changed after the first page was read: a row of the second page renamed, another
    // deleted, and a new row (whose id sorts last) added.
    let renamed = before[1100]["id"].as_str().unwrap().to_owned();
    let deleted = before[1150]["id"].as_str().unwrap().to_owned();
    let principal = Principal::system(&ws.id);
    let mut other = app.db.connect();
    let workspace = ws.id.clone();
    let (rows, text, pages) = app
        .state
        .db
        .run(move |conn| {
            let mut out = Vec::new();
            let mut pages = Vec::new();
            let rows = exports::write_export(
                conn,
                &principal,
                "accounts",
                "ndjson",
                &Map::new(),
                &mut out,
                &mut |written| {
                    if pages.is_empty() {
                        use diesel::prelude::*;
                        use rapport_persistence::schema::accounts;
                        diesel::update(accounts::table.filter(accounts::id.eq(&renamed)))
                            .set(accounts::name.eq("Renamed meanwhile"))
                            .execute(&mut other)
                            .unwrap();
                        diesel::update(accounts::table.filter(accounts::id.eq(&deleted)))
                            .set(accounts::deleted_at.eq(Some(rapport_api::service::now())))
                            .execute(&mut other)
                            .unwrap();
                        let mut copy =
                            rapport_persistence::accounts::find(&mut other, &workspace, &renamed)
                                .unwrap()
                                .unwrap();
                        copy.id = rapport_api::service::new_id();
                        copy.external_id = None;
                        copy.name = "Added meanwhile".into();
                        rapport_persistence::accounts::insert(&mut other, &copy).unwrap();
                    }
                    pages.push(written);
                },
            )?;
            Ok((rows, String::from_utf8(out).unwrap(), pages))
        })
        .await
        .unwrap();
    assert_eq!(pages, vec![1000, 1200]);
    assert_eq!(rows, 1200);
    let exported = ndjson(&text);
    let names: Vec<&Value> = exported.iter().map(|a| &a["name"]).collect();
    let listed: Vec<&Value> = before.iter().map(|a| &a["name"]).collect();
    let differ: Vec<(&Value, &Value)> = names
        .iter()
        .zip(&listed)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (*a, *b))
        .collect();
    assert!(
        names.len() == listed.len() && differ.is_empty(),
        "the export is not the data as it was when it began: {} rows, {differ:?} differ",
        names.len()
    );
    // The list now shows the changes: they were committed while the export ran.
    let after = list_all(&app, t, "/v1/accounts").await;
    assert_eq!(after.len(), 1200);
    assert!(after.iter().any(|a| a["name"] == "Added meanwhile"));
    assert!(after.iter().any(|a| a["name"] == "Renamed meanwhile"));
}

#[tokio::test]
async fn exports_stay_in_their_workspace_and_need_the_types_read_scope() {
    let app = spawn().await;
    let a = app.workspace("A").await;
    let b = app.workspace("B").await;
    shop(&app, &a).await;
    let created = start(&app, &a.owner_token, json!({"type": "accounts"})).await;
    let id = created["id"].as_str().unwrap();
    run(&app).await;
    for path in [
        format!("/v1/exports/{id}"),
        format!("/v1/exports/{id}/download"),
    ] {
        assert_problem(app.get_as(&path, &b.owner_token).await, 404, "not_found").await;
    }
    assert_problem(
        app.post_as(
            &format!("/v1/exports/{id}/cancel"),
            &b.owner_token,
            &json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert!(list_all(&app, &b.owner_token, "/v1/exports")
        .await
        .is_empty());
    // B's export of accounts has none of A's.
    let text = export(&app, &b.owner_token, json!({"type": "accounts"})).await;
    assert_eq!(text.lines().count(), 1, "only the header: {text}");

    // Scopes: the type's read scope, for the job and its file.
    let (_, orders_only) = app.api_key(&a, &["orders:read"]).await;
    assert_problem(
        app.post_as("/v1/exports", &orders_only, &json!({"type": "accounts"}))
            .await,
        403,
        "insufficient_scope",
    )
    .await;
    assert_problem(
        app.get_as(&format!("/v1/exports/{id}/download"), &orders_only)
            .await,
        403,
        "insufficient_scope",
    )
    .await;
    let listed = list_all(&app, &orders_only, "/v1/exports").await;
    assert!(listed.iter().all(|j| j["type"] == "orders"));
    let orders = start(&app, &orders_only, json!({"type": "orders"})).await;
    assert_eq!(orders["type"], "orders");
    let (_, accounts_reader) = app.api_key(&a, &["accounts:read"]).await;
    let res = app
        .get_as(&format!("/v1/exports/{id}/download"), &accounts_reader)
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn bad_types_formats_and_filters_are_422s_naming_the_field() {
    let app = spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    let ids = shop(&app, &ws).await;
    let cases = [
        (json!({"type": "widgets"}), "type"),
        (json!({"format": "csv"}), "type"),
        (json!({"type": "accounts", "format": "xml"}), "format"),
        (json!({"type": "accounts", "filters": ["kind"]}), "filters"),
        (
            json!({"type": "accounts", "filters": {"colour": "red"}}),
            "filters.colour",
        ),
        (
            json!({"type": "accounts", "filters": {"limit": 5}}),
            "filters.limit",
        ),
        (
            json!({"type": "accounts", "filters": {"kind": "robot"}}),
            "filters.kind",
        ),
        (
            json!({"type": "accounts", "filters": {"segment_id": ids[0]}}),
            "filters.segment_id",
        ),
        (
            json!({"type": "accounts", "filters": {"created_after": "yesterday"}}),
            "filters.created_after",
        ),
        (
            json!({"type": "orders", "filters": {"status": "lost"}}),
            "filters.status",
        ),
        (json!({"type": "contacts"}), "filters.account_id"),
        (
            json!({"type": "ledger", "filters": {"account_id": "nope"}}),
            "filters.account_id",
        ),
        (
            json!({"type": "interactions", "filters": {"account_id": ids[0], "done": "maybe"}}),
            "filters.done",
        ),
    ];
    for (body, field) in cases {
        let problem = assert_problem(
            app.post_as("/v1/exports", t, &body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
    let res = app
        .post_as("/v1/exports", t, &json!({"type": "accounts", "extra": 1}))
        .await;
    assert_eq!(res.status(), 422);
    // Nothing was queued.
    assert!(list_all(&app, t, "/v1/exports").await.is_empty());
}

#[tokio::test]
async fn a_download_waits_for_completion_and_ends_with_the_retention() {
    let app = spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    shop(&app, &ws).await;
    // A retention of 2 hours.
    let res = app
        .send(
            Method::PUT,
            "/v1/workspace/privacy-settings",
            t,
            Some(&json!({"export_retention_hours": 2})),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let created = start(&app, t, json!({"type": "accounts", "format": "ndjson"})).await;
    let id = created["id"].as_str().unwrap();
    assert!(created["download_url"].is_null());
    assert_problem(
        app.get_as(&format!("/v1/exports/{id}/download"), t).await,
        409,
        "export_not_completed",
    )
    .await;
    run(&app).await;
    let done = job(&app, t, id).await;
    assert_eq!(done["status"], "succeeded");
    assert_eq!(done["rows_written"], 4);
    let finished =
        chrono::DateTime::parse_from_rfc3339(done["finished_at"].as_str().unwrap()).unwrap();
    let expires =
        chrono::DateTime::parse_from_rfc3339(done["expires_at"].as_str().unwrap()).unwrap();
    assert_eq!(expires - finished, chrono::Duration::hours(2));
    let res = app.get_as(&format!("/v1/exports/{id}/download"), t).await;
    assert_eq!(res.status(), 200);
    assert_eq!(ndjson(&res.text().await.unwrap()).len(), 4);
    // Nothing is purged before its time.
    let now = rapport_api::service::now();
    assert_eq!(exports::purge_expired(&app.state, now).await.unwrap(), 0);
    // Three hours later the file is purged.
    let later = now + chrono::Duration::hours(3);
    assert_eq!(exports::purge_expired(&app.state, later).await.unwrap(), 1);
    assert_eq!(job(&app, t, id).await["status"], "expired");
    assert!(job(&app, t, id).await["download_url"].is_null());
    assert_problem(
        app.get_as(&format!("/v1/exports/{id}/download"), t).await,
        410,
        "export_expired",
    )
    .await;
    assert_problem(
        app.post_as(&format!("/v1/exports/{id}/cancel"), t, &json!({}))
            .await,
        409,
        "export_finished",
    )
    .await;
}

#[tokio::test]
async fn a_queued_export_can_be_cancelled_and_is_never_run() {
    let app = spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    shop(&app, &ws).await;
    let created = start(&app, t, json!({"type": "orders", "format": "csv"})).await;
    let id = created["id"].as_str().unwrap();
    let res = app
        .post_as(&format!("/v1/exports/{id}/cancel"), t, &json!({}))
        .await;
    assert_eq!(res.status(), 200);
    let cancelled: Value = res.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert!(!exports::run_next(&app.state, "test-worker").await.unwrap());
    assert_problem(
        app.get_as(&format!("/v1/exports/{id}/download"), t).await,
        409,
        "export_not_completed",
    )
    .await;
    assert_problem(
        app.post_as(&format!("/v1/exports/{id}/cancel"), t, &json!({}))
            .await,
        409,
        "export_finished",
    )
    .await;
}

#[tokio::test]
async fn graphql_creates_and_reads_export_jobs() {
    let app = spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    shop(&app, &ws).await;
    let created = app
        .graphql_as(
            t,
            "mutation($f: JSON) { createExport(type: \"accounts\", format: \"ndjson\", filters: $f) { id type format status filters downloadUrl } }",
            json!({"f": {"kind": "person"}}),
        )
        .await;
    assert!(created["errors"].is_null(), "{created}");
    let job = &created["data"]["createExport"];
    assert_eq!(job["status"], "queued");
    assert_eq!(job["filters"], json!({"kind": "person"}));
    assert!(job["downloadUrl"].is_null());
    let id = job["id"].as_str().unwrap().to_owned();
    run(&app).await;
    let read = app
        .graphql_as(
            t,
            "query($id: ID!) { exportJob(id: $id) { status rowsWritten downloadUrl expiresAt } exportJobs(first: 10) { edges { node { id } } } }",
            json!({ "id": id }),
        )
        .await;
    assert!(read["errors"].is_null(), "{read}");
    let job = &read["data"]["exportJob"];
    assert_eq!(job["status"], "succeeded");
    assert_eq!(job["rowsWritten"], 3);
    assert_eq!(
        job["downloadUrl"],
        format!("/v1/exports/{id}/download").as_str()
    );
    assert_eq!(
        read["data"]["exportJobs"]["edges"][0]["node"]["id"],
        id.as_str()
    );
    let bad = app
        .graphql_as(
            t,
            "mutation { createExport(type: \"accounts\", filters: {colour: \"red\"}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(
        bad["errors"][0]["extensions"]["code"], "validation_failed",
        "{bad}"
    );
}

#[tokio::test]
async fn rapport_export_writes_the_file_of_the_same_job() {
    let app = spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    shop(&app, &ws).await;
    let expected = accounts_with_metrics(&app, t, "/v1/accounts?kind=person").await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.ndjson");
    let rapport = |args: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"));
        for (name, _) in std::env::vars() {
            if name.starts_with("RAPPORT_") {
                cmd.env_remove(name);
            }
        }
        cmd.args(args)
            .env("RAPPORT_DATABASE_URL", app.db.url())
            .output()
            .unwrap()
    };
    let out = rapport(&[
        "export",
        "--type",
        "accounts",
        "--format",
        "ndjson",
        "--workspace",
        &ws.id,
        "--filter",
        "kind=person",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(done["status"], "succeeded");
    assert_eq!(done["rows_written"], 3);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(ndjson(&text), expected);
    // The job is the API's: listed, audited, downloadable.
    let id = done["id"].as_str().unwrap();
    let res = app.get_as(&format!("/v1/exports/{id}/download"), t).await;
    assert_eq!(res.text().await.unwrap(), text);

    let out = rapport(&[
        "export",
        "--type",
        "accounts",
        "--workspace",
        &ws.id,
        "--filter",
        "colour=red",
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("filters.colour"), "{stderr}");
}
