//! Import jobs (issue 25), the types and uploads added to them: interactions and survey
//! responses imported give what their API paths store (and a re-run creates nothing);
//! orders' line items and refunds; a multipart upload imports like a raw body; a retried
//! upload under one `Idempotency-Key` makes one job; an upload cut off by a crash is failed
//! and its chunks freed after an hour of silence.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::{TestApp, Workspace};
use futures_util::StreamExt;
use rapport_api::service::imports::{self, ImportRequest};
use serde_json::{json, Value};

async fn upload(
    app: &TestApp,
    token: &str,
    query: &str,
    content_type: &str,
    key: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    let mut req = app
        .http
        .post(app.url(&format!("/v1/imports?{query}")))
        .bearer_auth(token)
        .header("content-type", content_type);
    if let Some(key) = key {
        req = req.header("idempotency-key", key);
    }
    req.body(body).send().await.unwrap()
}

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

/// Uploads a raw body that must be accepted and waits for its job to end.
async fn import(
    app: &TestApp,
    ws: &Workspace,
    query: &str,
    content_type: &str,
    body: &str,
) -> Value {
    let res = upload(
        app,
        &ws.owner_token,
        query,
        content_type,
        None,
        body.to_owned(),
    )
    .await;
    let status = res.status().as_u16();
    let job: Value = res.json().await.unwrap();
    assert_eq!(status, 202, "{job}");
    finished(app, &ws.owner_token, job["id"].as_str().unwrap()).await
}

async fn accounts(app: &TestApp, ws: &Workspace, n: usize) {
    let list: Vec<Value> = (1..=n)
        .map(|i| json!({"external_id": format!("crm-{i}"), "kind": "person", "name": format!("Customer {i}")}))
        .collect();
    let res = app
        .post_as(
            "/v1/accounts/batch",
            &ws.owner_token,
            &json!({"accounts": list}),
        )
        .await;
    assert_eq!(res.status(), 200);
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

/// A list's items without what differs between two workspaces by construction.
fn comparable(items: &Value, drop: &[&str]) -> Vec<Value> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let mut item = item.clone();
            for key in drop {
                item.as_object_mut().unwrap().remove(*key);
            }
            item
        })
        .collect()
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let res = app.get_as(path, token).await;
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

async fn event_count(app: &TestApp, token: &str, types: &str) -> usize {
    get(app, token, &format!("/v1/events?types={types}&limit=500")).await["data"]
        .as_array()
        .unwrap()
        .len()
}

const INTERACTIONS: &[(&str, &str, &str, &str, &str, &str)] = &[
    // external_id, account, type, channel, subject, occurred_at
    (
        "call-1",
        "crm-1",
        "call",
        "phone",
        "Renewal call",
        "2026-03-01T09:00:00Z",
    ),
    (
        "mail-1",
        "crm-1",
        "email",
        "email",
        "Quote, revised",
        "2026-03-02T10:30:00Z",
    ),
    (
        "meet-1",
        "crm-2",
        "meeting",
        "store",
        "Fitting",
        "2026-04-11T15:00:00Z",
    ),
    (
        "note-1",
        "crm-3",
        "note",
        "chat",
        "Prefers chat",
        "2026-05-20T08:15:00Z",
    ),
];

#[tokio::test]
async fn imported_interactions_and_feedback_are_what_the_api_stores_and_a_rerun_creates_nothing() {
    let app = TestApp::spawn().await;
    let imported = app.workspace("Imported").await;
    let api = app.workspace("ThroughApi").await;
    accounts(&app, &imported, 3).await;
    accounts(&app, &api, 3).await;

    // Interactions: a CSV with a quoted comma, a task, and two bad rows.
    let mut csv = String::from(
        "external_id,account_external_id,type,channel,direction,subject,body,occurred_at,due_at,done\n",
    );
    for (ext, account, kind, channel, subject, at) in INTERACTIONS {
        csv.push_str(&format!(
            "{ext},{account},{kind},{channel},inbound,\"{subject}\",Body of {ext},{at},,\n"
        ));
    }
    csv.push_str("task-1,crm-2,task,,outbound,Send samples,,2026-06-01T12:00:00Z,2026-06-08T12:00:00Z,true\n");
    csv.push_str("bad-1,crm-404,call,phone,,Lost,,2026-06-01T12:00:00Z,,\n");
    csv.push_str("bad-2,crm-1,telegram,,,Nope,,2026-06-01T12:00:00Z,,\n");
    let job = import(&app, &imported, "type=interactions", "text/csv", &csv).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(
        (job["rows_created"].as_i64(), job["rows_failed"].as_i64()),
        (Some(5), Some(2)),
        "{job}"
    );
    let errors = get(
        &app,
        &imported.owner_token,
        &format!("/v1/imports/{}/errors", job["id"].as_str().unwrap()),
    )
    .await;
    let fields: Vec<(i64, &str)> = errors["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_i64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(fields, vec![(6, "account_external_id"), (7, "type")]);

    // The same interactions through the API.
    for (ext, account, kind, channel, subject, at) in INTERACTIONS {
        let id = account_id(&app, &api.owner_token, account).await;
        let res = app
            .post_as(
                &format!("/v1/accounts/{id}/interactions"),
                &api.owner_token,
                &json!({"external_id": ext, "type": kind, "channel": channel, "direction": "inbound",
                        "subject": subject, "body": format!("Body of {ext}"), "occurred_at": at}),
            )
            .await;
        assert_eq!(res.status(), 201);
    }
    let id = account_id(&app, &api.owner_token, "crm-2").await;
    let res = app
        .post_as(
            &format!("/v1/accounts/{id}/interactions"),
            &api.owner_token,
            &json!({"external_id": "task-1", "type": "task", "direction": "outbound",
                    "subject": "Send samples", "occurred_at": "2026-06-01T12:00:00Z",
                    "due_at": "2026-06-08T12:00:00Z", "done": true}),
        )
        .await;
    assert_eq!(res.status(), 201);
    // A known external_id is a conflict through the API.
    let res = app
        .post_as(
            &format!("/v1/accounts/{id}/interactions"),
            &api.owner_token,
            &json!({"external_id": "task-1", "type": "note", "subject": "again"}),
        )
        .await;
    common::assert_problem(res, 409, "duplicate_interaction").await;

    let drop = [
        "id",
        "account_id",
        "author_id",
        "created_at",
        "updated_at",
        "done_at",
    ];
    for account in ["crm-1", "crm-2", "crm-3"] {
        let mine = account_id(&app, &imported.owner_token, account).await;
        let theirs = account_id(&app, &api.owner_token, account).await;
        let a = get(
            &app,
            &imported.owner_token,
            &format!("/v1/accounts/{mine}/interactions"),
        )
        .await;
        let b = get(
            &app,
            &api.owner_token,
            &format!("/v1/accounts/{theirs}/interactions"),
        )
        .await;
        assert!(!a["data"].as_array().unwrap().is_empty());
        assert_eq!(
            comparable(&a["data"], &drop),
            comparable(&b["data"], &drop),
            "{account}"
        );
    }
    assert_eq!(
        event_count(&app, &imported.owner_token, "interaction.created").await,
        5
    );

    // A second run writes nothing again.
    let again = import(&app, &imported, "type=interactions", "text/csv", &csv).await;
    assert_eq!(
        (
            again["rows_created"].as_i64(),
            again["rows_unchanged"].as_i64(),
            again["rows_failed"].as_i64()
        ),
        (Some(0), Some(5), Some(2)),
        "{again}"
    );
    assert_eq!(
        event_count(&app, &imported.owner_token, "interaction.created").await,
        5
    );

    // Survey responses, as NDJSON, one with an unknown account.
    let responses = [
        json!({"external_id": "s-1", "account_external_id": "crm-1", "nps": 9, "touchpoint": "delivery", "channel": "email", "comment": "Quick", "occurred_at": "2026-05-01T10:00:00Z"}),
        json!({"external_id": "s-2", "account_external_id": "crm-1", "nps": 3, "csat": 2, "touchpoint": "support", "occurred_at": "2026-06-01T10:00:00Z"}),
        json!({"external_id": "s-3", "account_external_id": "crm-2", "csat": 5, "ces": 2, "touchpoint": "store", "occurred_at": "2026-06-02T10:00:00Z"}),
        json!({"external_id": "s-4", "account_external_id": "crm-3", "nps": 10, "touchpoint": "web", "occurred_at": "2026-06-03T10:00:00Z"}),
    ];
    let mut ndjson: String = responses.iter().map(|r| format!("{r}\n")).collect();
    ndjson.push_str(&format!(
        "{}\n",
        json!({"external_id": "s-5", "account_external_id": "crm-404", "nps": 5, "touchpoint": "web"})
    ));
    ndjson.push_str(&format!(
        "{}\n",
        json!({"external_id": "s-6", "account_external_id": "crm-3", "touchpoint": "web"})
    ));
    let job = import(
        &app,
        &imported,
        "type=feedback",
        "application/x-ndjson",
        &ndjson,
    )
    .await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(
        (job["rows_created"].as_i64(), job["rows_failed"].as_i64()),
        (Some(4), Some(2)),
        "{job}"
    );
    let res = app
        .post_as(
            "/v1/feedback/batch",
            &api.owner_token,
            &json!({"responses": responses}),
        )
        .await;
    assert_eq!(res.status(), 200);
    for account in ["crm-1", "crm-2", "crm-3"] {
        let mine = account_id(&app, &imported.owner_token, account).await;
        let theirs = account_id(&app, &api.owner_token, account).await;
        let a = get(
            &app,
            &imported.owner_token,
            &format!("/v1/accounts/{mine}/feedback"),
        )
        .await;
        let b = get(
            &app,
            &api.owner_token,
            &format!("/v1/accounts/{theirs}/feedback"),
        )
        .await;
        let drop = ["id", "account_id", "created_at"];
        assert!(!a["data"].as_array().unwrap().is_empty());
        assert_eq!(
            comparable(&a["data"], &drop),
            comparable(&b["data"], &drop),
            "{account}"
        );
        // The account's latest scores follow as through the API.
        let a = get(
            &app,
            &imported.owner_token,
            &format!("/v1/accounts/{mine}/profile"),
        )
        .await;
        let b = get(
            &app,
            &api.owner_token,
            &format!("/v1/accounts/{theirs}/profile"),
        )
        .await;
        assert!(a["satisfaction"].is_object(), "{a}");
        assert_eq!(a["satisfaction"], b["satisfaction"], "{account}");
    }
    assert_eq!(
        event_count(&app, &imported.owner_token, "feedback.received").await,
        event_count(&app, &api.owner_token, "feedback.received").await
    );
    let again = import(
        &app,
        &imported,
        "type=feedback",
        "application/x-ndjson",
        &ndjson,
    )
    .await;
    assert_eq!(
        (
            again["rows_created"].as_i64(),
            again["rows_unchanged"].as_i64()
        ),
        (Some(0), Some(4)),
        "{again}"
    );
    assert_eq!(
        event_count(&app, &imported.owner_token, "feedback.received").await,
        4
    );
    // A file without a column for a required field is refused before anything is stored.
    let res = upload(
        &app,
        &imported.owner_token,
        "type=feedback",
        "text/csv",
        None,
        "account_external_id,nps\ncrm-1,9\n",
    )
    .await;
    let problem = common::assert_problem(res, 422, "validation_failed").await;
    let named: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(named, vec!["external_id", "touchpoint"]);
}

async fn order(app: &TestApp, token: &str, external_id: &str) -> Value {
    get(app, token, &format!("/v1/orders?external_id={external_id}")).await["data"][0].clone()
}

#[tokio::test]
async fn orders_import_with_line_items_and_refunds_like_the_api_and_refunds_once() {
    let app = TestApp::spawn().await;
    let imported = app.workspace("ImportedOrders").await;
    let api = app.workspace("ApiOrders").await;
    accounts(&app, &imported, 2).await;
    accounts(&app, &api, 2).await;
    let items = json!([{"sku": "SKU-1", "name": "Shoes, trail", "quantity": 2, "unit_price": 4000, "category": "footwear"},
                       {"sku": "SKU-2", "quantity": 1, "unit_price": 2000}]);
    let cell = format!("\"{}\"", items.to_string().replace('"', "\"\""));
    let csv = format!(
        "external_id,account_external_id,amount,currency,occurred_at,items,refunded_amount,refund_reason\n\
         o-1,crm-1,10000,USD,2026-03-01T10:00:00Z,{cell},2500,damaged\n\
         o-2,crm-1,5000,USD,2026-04-01T10:00:00Z,,5000,\n\
         o-3,crm-2,7000,USD,2026-04-02T10:00:00Z,,0,\n\
         o-4,crm-2,7000,USD,2026-04-03T10:00:00Z,,9000,\n"
    );
    let job = import(&app, &imported, "type=orders", "text/csv", &csv).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(
        (job["rows_created"].as_i64(), job["rows_failed"].as_i64()),
        (Some(3), Some(1)),
        "{job}"
    );
    // The refund above the order's amount refused the whole row.
    assert!(order(&app, &imported.owner_token, "o-4").await.is_null());

    // The API path: the orders, then their refunds.
    for (ext, account, amount, at, with_items, refund) in [
        (
            "o-1",
            "crm-1",
            10000,
            "2026-03-01T10:00:00Z",
            true,
            Some((2500, "damaged")),
        ),
        (
            "o-2",
            "crm-1",
            5000,
            "2026-04-01T10:00:00Z",
            false,
            Some((5000, "")),
        ),
        ("o-3", "crm-2", 7000, "2026-04-02T10:00:00Z", false, None),
    ] {
        let mut body = json!({"external_id": ext, "account_external_id": account, "amount": amount,
                              "currency": "USD", "occurred_at": at});
        if with_items {
            body["items"] = items.clone();
        }
        let res = app.post_as("/v1/orders", &api.owner_token, &body).await;
        assert_eq!(res.status(), 201);
        let id = res.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        if let Some((amount, reason)) = refund {
            let mut body = json!({"amount": amount});
            if !reason.is_empty() {
                body["reason"] = json!(reason);
            }
            let res = app
                .post_as(&format!("/v1/orders/{id}/refund"), &api.owner_token, &body)
                .await;
            assert_eq!(res.status(), 200);
        }
    }
    let drop = [
        "id",
        "account_id",
        "created_at",
        "updated_at",
        "source",
        "version",
    ];
    for ext in ["o-1", "o-2", "o-3"] {
        let a = order(&app, &imported.owner_token, ext).await;
        let b = order(&app, &api.owner_token, ext).await;
        assert_eq!(
            comparable(&json!([a]), &drop),
            comparable(&json!([b]), &drop),
            "{ext}"
        );
    }
    let o1 = order(&app, &imported.owner_token, "o-1").await;
    assert_eq!(
        (o1["refunded_amount"].as_i64(), o1["status"].as_str()),
        (Some(2500), Some("partially_refunded"))
    );
    assert_eq!(o1["items"][0], items[0]);
    assert_eq!(o1["items"][1]["sku"], "SKU-2");
    for account in ["crm-1", "crm-2"] {
        let mine = account_id(&app, &imported.owner_token, account).await;
        let theirs = account_id(&app, &api.owner_token, account).await;
        let a = get(
            &app,
            &imported.owner_token,
            &format!("/v1/accounts/{mine}/metrics"),
        )
        .await;
        let b = get(
            &app,
            &api.owner_token,
            &format!("/v1/accounts/{theirs}/metrics"),
        )
        .await;
        for key in [
            "orders_count",
            "revenue",
            "first_order_at",
            "last_order_at",
            "rfm",
        ] {
            assert_eq!(a[key], b[key], "{account} {key}");
        }
    }
    assert_eq!(
        event_count(&app, &imported.owner_token, "order.refunded").await,
        2
    );

    // A re-run refunds nothing twice.
    let again = import(&app, &imported, "type=orders", "text/csv", &csv).await;
    assert_eq!(
        (
            again["rows_created"].as_i64(),
            again["rows_updated"].as_i64(),
            again["rows_unchanged"].as_i64()
        ),
        (Some(0), Some(0), Some(3)),
        "{again}"
    );
    assert_eq!(
        event_count(&app, &imported.owner_token, "order.refunded").await,
        2
    );
    // A later export with more refunded refunds the difference; less is refused.
    let later = "external_id,account_external_id,amount,currency,refunded_amount\n\
                 o-1,crm-1,10000,USD,4000\n\
                 o-2,crm-1,5000,USD,1000\n";
    let job = import(&app, &imported, "type=orders", "text/csv", later).await;
    assert_eq!(
        (
            job["rows_updated"].as_i64(),
            job["rows_unchanged"].as_i64(),
            job["rows_failed"].as_i64()
        ),
        (Some(1), Some(0), Some(1)),
        "{job}"
    );
    let o1 = order(&app, &imported.owner_token, "o-1").await;
    assert_eq!(o1["refunded_amount"], 4000);
    assert_eq!(
        order(&app, &imported.owner_token, "o-2").await["refunded_amount"],
        5000
    );
    assert_eq!(
        event_count(&app, &imported.owner_token, "order.refunded").await,
        3
    );
}

/// A `multipart/form-data` body: text parts, then the file part.
fn multipart(boundary: &str, fields: &[(&str, &str)], file: (&str, Option<&str>, &str)) -> Vec<u8> {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    let (filename, content_type, content) = file;
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
    ));
    if let Some(ct) = content_type {
        body.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    body.push_str(&format!("\r\n{content}\r\n--{boundary}--\r\n"));
    body.into_bytes()
}

fn accounts_csv(n: usize) -> String {
    let mut csv = String::from("Ref,kind,name,emails\n");
    for i in 1..=n {
        csv.push_str(&format!("crm-{i},person,Customer {i},c{i}@example.com\n"));
    }
    csv.push_str("bad-1,robot,Nope,\n");
    csv
}

#[tokio::test]
async fn a_multipart_upload_imports_like_a_raw_body() {
    let app = TestApp::spawn().await;
    let raw = app.workspace("Raw").await;
    let form = app.workspace("Form").await;
    let csv = accounts_csv(1_200);
    let mapping = json!({"Ref": "external_id"}).to_string();
    let query = format!(
        "type=accounts&mapping={}",
        mapping
            .replace('{', "%7B")
            .replace('}', "%7D")
            .replace('"', "%22")
            .replace(':', "%3A")
    );
    let by_raw = import(&app, &raw, &query, "text/csv", &csv).await;

    // Type and mapping as parts; the file part typed by its name's extension.
    let body = multipart(
        "XyZ-boundary-1",
        &[("type", "accounts"), ("mapping", &mapping)],
        ("accounts.csv", Some("application/octet-stream"), &csv),
    );
    let res = upload(
        &app,
        &form.owner_token,
        "",
        "multipart/form-data; boundary=XyZ-boundary-1",
        None,
        body,
    )
    .await;
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    let job: Value = res.json().await.unwrap();
    assert_eq!(status, 202, "{job}");
    let id = job["id"].as_str().unwrap();
    assert_eq!(location, Some(format!("/v1/imports/{id}")));
    let by_form = finished(&app, &form.owner_token, id).await;
    for key in [
        "status",
        "type",
        "format",
        "rows_read",
        "rows_created",
        "rows_failed",
        "bytes_total",
        "columns",
        "unknown_columns",
    ] {
        assert_eq!(by_form[key], by_raw[key], "{key}: {by_form}");
    }
    assert_eq!(by_form["rows_created"], 1_200);
    let a = get(&app, &raw.owner_token, "/v1/accounts?external_id=crm-777").await;
    let b = get(&app, &form.owner_token, "/v1/accounts?external_id=crm-777").await;
    assert_eq!(a["data"][0]["emails"], b["data"][0]["emails"]);
    assert_eq!(b["data"][0]["name"], "Customer 777");

    // NDJSON by the part's own type, the type from the query string, a dry run as a part.
    let ndjson = "{\"external_id\":\"n-1\",\"kind\":\"person\",\"name\":\"N\"}\n";
    let body = multipart(
        "b2",
        &[("dry_run", "true")],
        ("export.bin", Some("application/x-ndjson"), ndjson),
    );
    let res = upload(
        &app,
        &form.owner_token,
        "type=accounts",
        "multipart/form-data; boundary=b2",
        None,
        body,
    )
    .await;
    assert_eq!(res.status(), 202);
    let job: Value = res.json().await.unwrap();
    assert_eq!(
        (job["format"].as_str(), job["dry_run"].as_bool()),
        (Some("ndjson"), Some(true))
    );
    let job = finished(&app, &form.owner_token, job["id"].as_str().unwrap()).await;
    assert_eq!(job["rows_created"], 1, "{job}");
    assert!(
        get(&app, &form.owner_token, "/v1/accounts?external_id=n-1").await["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Refused: no file part, a part that is not one, a file of another type.
    let body =
        b"--b3\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\naccounts\r\n--b3--\r\n"
            .to_vec();
    let res = upload(
        &app,
        &form.owner_token,
        "",
        "multipart/form-data; boundary=b3",
        None,
        body,
    )
    .await;
    let problem = common::assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "file");
    let body = multipart("b4", &[("colour", "red")], ("a.csv", None, &csv));
    let res = upload(
        &app,
        &form.owner_token,
        "type=accounts",
        "multipart/form-data; boundary=b4",
        None,
        body,
    )
    .await;
    let problem = common::assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "colour");
    let body = multipart("b5", &[], ("a.png", Some("image/png"), "x"));
    let res = upload(
        &app,
        &form.owner_token,
        "type=accounts",
        "multipart/form-data; boundary=b5",
        None,
        body,
    )
    .await;
    assert_eq!(res.status(), 415);
    let list = get(&app, &form.owner_token, "/v1/imports").await;
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_retried_upload_with_the_same_idempotency_key_answers_the_first_job() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Retry").await;
    let t = &ws.owner_token;
    let csv = accounts_csv(300).replace("Ref,", "external_id,");
    let first = upload(
        &app,
        t,
        "type=accounts",
        "text/csv",
        Some("upload-1"),
        csv.clone(),
    )
    .await;
    assert_eq!(first.status(), 202);
    let first: Value = first.json().await.unwrap();
    let id = first["id"].as_str().unwrap();
    let again = upload(
        &app,
        t,
        "type=accounts",
        "text/csv",
        Some("upload-1"),
        csv.clone(),
    )
    .await;
    assert_eq!(again.status(), 202);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(
        again.headers()["location"].to_str().unwrap(),
        format!("/v1/imports/{id}")
    );
    assert_eq!(again.json::<Value>().await.unwrap()["id"], id);
    // The key with another file, or other choices, is a conflict.
    let other = upload(
        &app,
        t,
        "type=accounts",
        "text/csv",
        Some("upload-1"),
        format!("{csv}x-1,person,X,\n"),
    )
    .await;
    common::assert_problem(other, 409, "idempotency_key_reused").await;
    let other = upload(
        &app,
        t,
        "type=accounts&dry_run=true",
        "text/csv",
        Some("upload-1"),
        csv.clone(),
    )
    .await;
    common::assert_problem(other, 409, "idempotency_key_reused").await;

    // A multipart upload retried with another boundary: the same file, one job.
    let one = multipart(
        "first-boundary",
        &[("type", "accounts")],
        ("a.csv", None, &csv),
    );
    let res = upload(
        &app,
        t,
        "",
        "multipart/form-data; boundary=first-boundary",
        Some("upload-2"),
        one,
    )
    .await;
    assert_eq!(res.status(), 202);
    let second: Value = res.json().await.unwrap();
    let two = multipart(
        "other-boundary",
        &[("type", "accounts")],
        ("a.csv", None, &csv),
    );
    let res = upload(
        &app,
        t,
        "",
        "multipart/form-data; boundary=other-boundary",
        Some("upload-2"),
        two,
    )
    .await;
    assert_eq!(res.status(), 202);
    assert_eq!(res.json::<Value>().await.unwrap()["id"], second["id"]);

    finished(&app, t, id).await;
    finished(&app, t, second["id"].as_str().unwrap()).await;
    let list = get(&app, t, "/v1/imports").await;
    assert_eq!(list["data"].as_array().unwrap().len(), 2, "{list}");
    assert_eq!(event_count(&app, t, "import.created").await, 2);
}

#[tokio::test]
async fn an_upload_cut_off_by_a_crash_is_failed_and_its_chunks_freed_after_an_hour() {
    let app = TestApp::spawn_with(|c| c.imports_worker = false).await;
    let ws = app.workspace("Crash").await;
    let t = &ws.owner_token;
    // More than one chunk of a file arrives, then the upload hangs; its task is dropped
    // mid-upload, as a node's would be in a crash: nothing cleans up after it.
    let mut first = String::from("external_id,kind,name\n");
    let mut i = 0;
    while first.len() < imports::CHUNK_SIZE + 10_000 {
        i += 1;
        first.push_str(&format!("c-{i},person,Customer {i}\n"));
    }
    let state = app.state.clone();
    let principal = rapport_api::auth::Principal::system(&ws.id);
    let request = ImportRequest {
        import_type: "accounts".into(),
        content_type: Some("text/csv".into()),
        ..ImportRequest::default()
    };
    let body = futures_util::stream::iter([Ok::<_, std::io::Error>(first.into_bytes())])
        .chain(futures_util::stream::pending());
    let upload = tokio::spawn(async move {
        let _ = imports::create(&state, &principal, request, Box::pin(body)).await;
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let job = loop {
        let list = get(&app, t, "/v1/imports").await;
        if let Some(job) = list["data"].as_array().unwrap().first().cloned() {
            let id = job["id"].as_str().unwrap().to_owned();
            let chunks = chunk_count(&app, &ws.id, &id).await;
            if chunks > 0 {
                break job;
            }
        }
        assert!(Instant::now() < deadline, "the upload never started");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    upload.abort();
    let _ = upload.await;
    let id = job["id"].as_str().unwrap();
    assert_eq!(
        get(&app, t, &format!("/v1/imports/{id}")).await["status"],
        "uploading"
    );

    // Not yet: the upload was alive a moment ago.
    let now = chrono::Utc::now();
    assert_eq!(
        imports::fail_abandoned_uploads(&app.state, now)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        get(&app, t, &format!("/v1/imports/{id}")).await["status"],
        "uploading"
    );
    // An hour later, without a new chunk.
    let later = now + chrono::Duration::seconds(imports::UPLOAD_IDLE_TIMEOUT_SECS + 60);
    assert_eq!(
        imports::fail_abandoned_uploads(&app.state, later)
            .await
            .unwrap(),
        1
    );
    let job = get(&app, t, &format!("/v1/imports/{id}")).await;
    assert_eq!(
        (job["status"].as_str(), job["error"]["code"].as_str()),
        (Some("failed"), Some("import_upload_abandoned")),
        "{job}"
    );
    assert!(job["finished_at"].is_string());
    assert_eq!(chunk_count(&app, &ws.id, id).await, 0);
    assert_eq!(event_count(&app, t, "import.failed").await, 1);
    // Once: a second sweep (another node's) finds nothing, and no worker takes the job.
    assert_eq!(
        imports::fail_abandoned_uploads(&app.state, later)
            .await
            .unwrap(),
        0
    );
    assert!(!imports::claim(&app.state, id, "worker").await.unwrap());
    assert_eq!(
        get(&app, t, "/v1/accounts?limit=5").await["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

async fn chunk_count(app: &TestApp, workspace_id: &str, job_id: &str) -> i64 {
    let (ws, id) = (workspace_id.to_owned(), job_id.to_owned());
    app.state
        .db
        .run(move |conn| Ok(rapport_persistence::imports::chunk_count(conn, &ws, &id)?))
        .await
        .unwrap()
}
