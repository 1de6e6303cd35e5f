//! Webhooks end to end: subscriptions over REST and GraphQL, validation, tenancy, and
//! deliveries to a real HTTP receiver on loopback (signed, ordered, retried through 500s,
//! timeouts and resets, never held up by another subscription's dead receiver).
//! Events are appended to the outbox directly, as the write pipeline does in its
//! transaction.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::receiver::{verify, Mode, Receiver};
use common::{assert_problem, TestApp, Workspace};
use rapport_persistence::events::{self, EventRow, NewEvent};
use serde_json::{json, Value};

/// An app whose worker polls fast and retries within milliseconds, with loopback targets
/// allowed (the receiver lives on 127.0.0.1).
async fn app() -> TestApp {
    app_with(|_| {}).await
}

async fn app_with(tweak: impl FnOnce(&mut rapport_api::config::WebhooksConfig)) -> TestApp {
    TestApp::spawn_with(|c| {
        c.webhooks.allow_private = true;
        c.webhooks.poll_interval_ms = 50;
        c.webhooks.backoff_base_ms = 50;
        c.webhooks.backoff_max_ms = 300;
        c.webhooks.timeout_ms = 1_000;
        c.webhooks.lease_secs = 5;
        tweak(&mut c.webhooks);
    })
    .await
}

/// Appends events of these types to the workspace's outbox in one transaction.
fn append(app: &TestApp, ws: &str, types: &[&str]) -> Vec<EventRow> {
    let mut conn = app.db.connect();
    let new = types
        .iter()
        .map(|t| NewEvent {
            id: uuid::Uuid::now_v7().to_string(),
            event_type: (*t).to_owned(),
            occurred_at: chrono::Utc::now().naive_utc(),
            data: json!({ "n": uuid::Uuid::new_v4().to_string() }).to_string(),
        })
        .collect();
    rapport_persistence::write_transaction(&mut conn, |c| events::append(c, ws, new)).unwrap()
}

/// Subscribes `url` to `types`; returns (id, secret).
async fn subscribe(app: &TestApp, ws: &Workspace, url: &str, types: &[&str]) -> (String, String) {
    let res = app
        .post_as(
            "/v1/webhooks",
            &ws.owner_token,
            &json!({ "url": url, "event_types": types, "description": "test receiver" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    (
        body["id"].as_str().unwrap().to_owned(),
        body["secret"].as_str().unwrap().to_owned(),
    )
}

async fn webhook(app: &TestApp, ws: &Workspace, id: &str) -> Value {
    let res = app
        .get_as(&format!("/v1/webhooks/{id}"), &ws.owner_token)
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn deliveries(app: &TestApp, ws: &Workspace, id: &str) -> Vec<Value> {
    let res = app
        .get_as(
            &format!("/v1/webhooks/{id}/deliveries?limit=500"),
            &ws.owner_token,
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    body["data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn admins_manage_subscriptions_and_the_secret_is_shown_once() {
    let app = app().await;
    let ws = app.workspace("Hooks").await;
    let res = app
        .post_as(
            "/v1/webhooks",
            &ws.owner_token,
            &json!({ "url": "https://partner.example.com/events", "event_types": ["order.*", "deal.won"] }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = res.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    assert_eq!(location, format!("/v1/webhooks/{id}"));
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(created["enabled"], true);
    assert_eq!(created["event_types"], json!(["order.*", "deal.won"]));

    let read = webhook(&app, &ws, id).await;
    assert!(read.get("secret").is_none(), "the secret is shown once");
    let list: Value = app
        .get_as("/v1/webhooks", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert!(list["data"][0].get("secret").is_none());

    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/v1/webhooks/{id}"),
            &ws.owner_token,
            Some(&json!({ "event_types": ["*"], "enabled": false, "description": "all" })),
        )
        .await;
    assert_eq!(res.status(), 200);
    let patched: Value = res.json().await.unwrap();
    assert_eq!(patched["event_types"], json!(["*"]));
    assert_eq!(patched["enabled"], false);
    assert_eq!(patched["description"], "all");
    assert_eq!(patched["version"], 2);

    let res = app
        .post_as(
            &format!("/v1/webhooks/{id}/rotate-secret"),
            &ws.owner_token,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let rotated: Value = res.json().await.unwrap();
    assert_ne!(rotated["secret"], created["secret"]);
    assert!(rotated["previous_secret_expires_at"].is_string());

    // A non-admin key may not see or touch subscriptions.
    let (_, reader) = app.api_key(&ws, &["accounts:read"]).await;
    assert_problem(
        app.get_as("/v1/webhooks", &reader).await,
        403,
        "insufficient_scope",
    )
    .await;

    let res = app
        .send(
            reqwest::Method::DELETE,
            &format!("/v1/webhooks/{id}"),
            &ws.owner_token,
            None,
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_problem(
        app.get_as(&format!("/v1/webhooks/{id}"), &ws.owner_token)
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn invalid_subscriptions_are_422s_naming_the_field() {
    // The default configuration: https and public addresses only.
    let app = TestApp::spawn().await;
    let ws = app.workspace("Strict").await;
    let cases = [
        (
            json!({ "url": "http://partner.example.com/x", "event_types": ["*"] }),
            "url",
        ),
        (
            json!({ "url": "https://127.0.0.1/x", "event_types": ["*"] }),
            "url",
        ),
        (
            json!({ "url": "https://10.0.0.8/x", "event_types": ["*"] }),
            "url",
        ),
        (
            json!({ "url": "https://169.254.169.254/latest", "event_types": ["*"] }),
            "url",
        ),
        (
            json!({ "url": "https://100.64.1.1/x", "event_types": ["*"] }),
            "url",
        ),
        (
            json!({ "url": "https://[::1]/x", "event_types": ["*"] }),
            "url",
        ),
        (
            json!({ "url": "https://localhost/x", "event_types": ["*"] }),
            "url",
        ),
        (json!({ "url": "not a url", "event_types": ["*"] }), "url"),
        (
            json!({ "url": "https://partner.example.com/x", "event_types": ["order.shipped"] }),
            "event_types[0]",
        ),
        (
            json!({ "url": "https://partner.example.com/x", "event_types": ["*", "nothing.*"] }),
            "event_types[1]",
        ),
        (
            json!({ "url": "https://partner.example.com/x", "event_types": [] }),
            "event_types",
        ),
    ];
    for (body, field) in cases {
        let res = app.post_as("/v1/webhooks", &ws.owner_token, &body).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    let (id, _) = subscribe(&app, &ws, "https://partner.example.com/x", &["*"]).await;
    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/v1/webhooks/{id}"),
            &ws.owner_token,
            Some(&json!({ "url": "https://192.168.0.1/" })),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "url");
    assert_eq!(
        webhook(&app, &ws, &id).await["url"],
        "https://partner.example.com/x"
    );

    // GraphQL names the input's fields.
    let out = app
        .graphql_as(
            &ws.owner_token,
            "mutation($input: NewWebhook!) { createWebhook(input: $input) { id } }",
            json!({ "input": { "url": "https://partner.example.com/", "eventTypes": ["deal.wonn"] } }),
        )
        .await;
    assert_eq!(out["errors"][0]["extensions"]["code"], "validation_failed");
    assert_eq!(
        out["errors"][0]["extensions"]["errors"][0]["field"],
        "input.eventTypes[0]"
    );
}

#[tokio::test]
async fn deliveries_are_signed_and_verify_with_the_documented_recipe() {
    let app = app().await;
    let ws = app.workspace("Signed").await;
    let receiver = Receiver::start().await;
    let (id, secret) = subscribe(&app, &ws, &receiver.url, &["*"]).await;
    let sent = append(
        &app,
        &ws.id,
        &["order.created", "deal.won", "account.updated"],
    );
    receiver
        .wait_until(30, "3 deliveries", |r| r.len() >= 3)
        .await;
    let got = receiver.received();
    for (event, req) in sent.iter().zip(&got) {
        assert!(verify(
            req.header("rapport-signature"),
            &req.body,
            &secret,
            300
        ));
        assert!(!verify(
            req.header("rapport-signature"),
            &req.body,
            "whsec_other",
            300
        ));
        let mut tampered = req.body.clone();
        tampered.push(b' ');
        assert!(!verify(
            req.header("rapport-signature"),
            &tampered,
            &secret,
            300
        ));
        assert_eq!(req.header("rapport-event-id"), event.id);
        assert_eq!(req.header("rapport-event-type"), event.event_type);
        assert_eq!(req.header("content-type"), "application/json");
        assert!(req.header("user-agent").starts_with("Rapport-Webhooks/"));
        assert_eq!(req.json["id"], event.id);
        assert_eq!(req.json["type"], event.event_type);
        assert_eq!(req.json["sequence"], event.seq);
        assert_eq!(req.json["workspace_id"], ws.id);
        assert_eq!(
            req.json["data"],
            serde_json::from_str::<Value>(&event.data).unwrap()
        );
    }
    // The log shows each delivery.
    let mut log = Vec::new();
    for _ in 0..100 {
        log = deliveries(&app, &ws, &id).await;
        if log.len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|d| d["outcome"] == "delivered"
        && d["status_code"] == 200
        && d["attempt"] == 1
        && d["trigger"] == "automatic"));

    // After a rotation both secrets verify, each on its own `v1`.
    let rotated: Value = app
        .post_as(
            &format!("/v1/webhooks/{id}/rotate-secret"),
            &ws.owner_token,
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    let new_secret = rotated["secret"].as_str().unwrap();
    append(&app, &ws.id, &["order.refunded"]);
    receiver
        .wait_until(30, "the 4th delivery", |r| r.len() >= 4)
        .await;
    let last = receiver.received().pop().unwrap();
    let signature = last.header("rapport-signature").to_owned();
    assert_eq!(signature.matches("v1=").count(), 2, "{signature}");
    assert!(verify(&signature, &last.body, new_secret, 300));
    assert!(verify(&signature, &last.body, &secret, 300));
}

#[tokio::test]
async fn a_failing_receiver_gets_every_event_in_order_once_it_recovers() {
    let app = app().await;
    let ws = app.workspace("Flaky").await;
    let receiver = Receiver::start().await;
    let (id, _) = subscribe(&app, &ws, &receiver.url, &["*"]).await;
    let first = append(&app, &ws.id, &["order.created"; 5]);
    receiver
        .wait_until(30, "5 deliveries", |r| r.len() >= 5)
        .await;

    // 500s, then resets, then timeouts, then redirects, then it recovers.
    receiver.set_mode(Mode::Status(500));
    let second = append(&app, &ws.id, &["deal.won"; 10]);
    for (mode, what) in [
        (Mode::Reset, "answered 500"),
        (Mode::Hang, "reset"),
        (Mode::Redirect, "hung"),
    ] {
        let before = receiver.received().len();
        receiver
            .wait_until(30, what, |r| r.len() >= before + 2)
            .await;
        receiver.set_mode(mode);
    }
    let before = receiver.received().len();
    receiver
        .wait_until(30, "redirected", |r| r.len() >= before + 2)
        .await;
    receiver.set_mode(Mode::Ok);
    receiver
        .wait_until(60, "every event delivered", |_| {
            receiver.unique_delivered().len() >= 15
        })
        .await;

    let unique = receiver.unique_delivered();
    let expected: Vec<String> = first.iter().chain(&second).map(|e| e.id.clone()).collect();
    let got: Vec<String> = unique.iter().map(|r| r.event_id()).collect();
    assert_eq!(got, expected, "every event, once, in order");
    let sequences: Vec<i64> = receiver.delivered().iter().map(|r| r.sequence()).collect();
    assert!(
        sequences.windows(2).all(|w| w[0] <= w[1]),
        "never out of order: {sequences:?}"
    );

    // The log shows the failures with their reasons and the retries. The receiver sees the
    // last retry before the server records its outcome: wait (bounded) for that row.
    let mut log = deliveries(&app, &ws, &id).await;
    for _ in 0..100 {
        if log
            .iter()
            .any(|d| d["outcome"] == "delivered" && d["attempt"].as_i64().unwrap() > 1)
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        log = deliveries(&app, &ws, &id).await;
    }
    let retrying: Vec<&Value> = log.iter().filter(|d| d["outcome"] == "retrying").collect();
    assert!(retrying.iter().any(|d| d["status_code"] == 500));
    assert!(retrying.iter().any(|d| d["status_code"] == 302
        && d["error"]
            .as_str()
            .unwrap()
            .contains("redirects are not followed")));
    assert!(retrying
        .iter()
        .any(|d| d["status_code"].is_null() && d["error"].as_str().unwrap().contains("timed out")));
    assert!(retrying.iter().all(|d| d["next_retry_at"].is_string()));
    assert!(log
        .iter()
        .any(|d| d["outcome"] == "delivered" && d["attempt"].as_i64().unwrap() > 1));
    assert_eq!(webhook(&app, &ws, &id).await["enabled"], true);

    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains("rapport_webhook_deliveries_total{outcome=\"retrying\"}"));
    assert!(metrics.contains("rapport_webhook_retries_total"));
    assert!(metrics.contains("rapport_webhook_outbox_lag_events"));
}

/// The events' ids, in the order the receiver got them.
fn ids(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn batched_subscriptions_get_their_events_in_order_up_to_batch_size_per_post() {
    let app = app().await;
    let ws = app.workspace("Batched").await;
    let receiver = Receiver::start().await;

    // Out of range is a 422 naming the field, on create and on update.
    for bad in [0, 101, -1] {
        let res = app
            .post_as(
                "/v1/webhooks",
                &ws.owner_token,
                &json!({ "url": receiver.url, "event_types": ["*"], "batch_size": bad }),
            )
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "batch_size", "{bad}");
    }
    let res = app
        .post_as(
            "/v1/webhooks",
            &ws.owner_token,
            &json!({ "url": receiver.url, "event_types": ["*"], "batch_size": 10 }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["batch_size"], 10);
    let id = created["id"].as_str().unwrap().to_owned();
    let secret = created["secret"].as_str().unwrap().to_owned();
    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/v1/webhooks/{id}"),
            &ws.owner_token,
            Some(&json!({ "batch_size": 1000 })),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "batch_size");
    assert_eq!(webhook(&app, &ws, &id).await["batch_size"], 10);

    // 25 events committed at once go out as POSTs of 10, 10 and 5, in order, each signed and
    // counted in a header; the log has an entry per POST, naming its events.
    let first = append(&app, &ws.id, &["order.created"; 25]);
    receiver
        .wait_until(30, "25 events", |r| {
            r.iter().map(|q| q.events().len()).sum::<usize>() >= 25
        })
        .await;
    let got = receiver.received();
    let sizes: Vec<usize> = got.iter().map(|r| r.events().len()).collect();
    assert_eq!(sizes, [10, 10, 5]);
    for req in &got {
        assert!(verify(
            req.header("rapport-signature"),
            &req.body,
            &secret,
            300
        ));
        assert_eq!(
            req.header("rapport-event-count"),
            req.events().len().to_string()
        );
        assert_eq!(req.header("rapport-event-id"), "");
        assert!(req.json["id"].is_null(), "a batch is not an envelope");
        // Each envelope keeps the single delivery's field order.
        assert!(
            req.body.starts_with(br#"{"data":[{"id":""#),
            "{}",
            String::from_utf8_lossy(&req.body)
        );
    }
    let events: Vec<Value> = got.iter().flat_map(|r| r.events()).collect();
    assert_eq!(
        ids(&events),
        first.iter().map(|e| e.id.clone()).collect::<Vec<_>>()
    );
    for (event, row) in events.iter().zip(&first) {
        assert_eq!(event["sequence"], row.seq);
        assert_eq!(event["type"], "order.created");
        assert_eq!(event["workspace_id"], ws.id);
        assert_eq!(
            event["data"],
            serde_json::from_str::<Value>(&row.data).unwrap()
        );
    }
    let mut log = Vec::new();
    for _ in 0..100 {
        log = deliveries(&app, &ws, &id).await;
        if log.len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(log.len(), 3, "{log:?}");
    assert!(log
        .iter()
        .all(|d| d["outcome"] == "delivered" && d["attempt"] == 1 && d["status_code"] == 200));
    let mut logged: Vec<&Value> = log.iter().collect();
    logged.reverse(); // oldest first
    let counts: Vec<i64> = logged
        .iter()
        .map(|d| d["event_count"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, [10, 10, 5]);
    for (entry, req) in logged.iter().zip(&got) {
        assert_eq!(
            entry["event_ids"].as_array().unwrap().clone(),
            req.events()
                .iter()
                .map(|e| e["id"].clone())
                .collect::<Vec<_>>()
        );
        assert_eq!(entry["event_id"], req.events()[0]["id"]);
        assert_eq!(entry["event_sequence"], req.events()[0]["sequence"]);
    }

    // Redelivering an entry sends its batch again, the same events in the same order.
    let res = app
        .post_as(
            &format!(
                "/v1/webhooks/{id}/deliveries/{}/redeliver",
                logged[1]["id"].as_str().unwrap()
            ),
            &ws.owner_token,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let again: Value = res.json().await.unwrap();
    assert_eq!(again["trigger"], "redelivery");
    assert_eq!(again["event_count"], 10);
    assert_eq!(again["event_ids"], logged[1]["event_ids"]);
    let resent = receiver.received().pop().unwrap();
    assert_eq!(ids(&resent.events()), ids(&got[1].events()));
    assert!(verify(
        resent.header("rapport-signature"),
        &resent.body,
        &secret,
        300
    ));

    // A failing receiver gets the batch again (never a later event first) until it answers.
    receiver.set_mode(Mode::Status(500));
    let second = append(&app, &ws.id, &["deal.won"; 7]);
    let before = receiver.received().len();
    receiver
        .wait_until(30, "two failed attempts", |r| r.len() >= before + 2)
        .await;
    receiver.set_mode(Mode::Ok);
    receiver
        .wait_until(30, "every event delivered", |_| {
            receiver.unique_delivered_events().len() >= 32
        })
        .await;
    let expected: Vec<String> = first.iter().chain(&second).map(|e| e.id.clone()).collect();
    assert_eq!(ids(&receiver.unique_delivered_events()), expected);
    let retried = &receiver.received()[before..];
    assert!(retried
        .iter()
        .all(|r| r.events()[0]["id"] == second[0].id.as_str()));
    assert!(retried[0].events().len() <= 7);

    // A ping and a redelivery have the subscription's shape: a batch of one.
    let res = app
        .post_as(
            &format!("/v1/webhooks/{id}/ping"),
            &ws.owner_token,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let ping = receiver.received().pop().unwrap();
    assert_eq!(ping.events().len(), 1);
    assert_eq!(ping.events()[0]["type"], "ping");
    assert_eq!(ping.header("rapport-event-count"), "1");

    // Back to one event per POST: the envelope alone, with its id in the headers.
    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/v1/webhooks/{id}"),
            &ws.owner_token,
            Some(&json!({ "batch_size": 1 })),
        )
        .await;
    assert_eq!(res.status(), 200);
    let third = append(&app, &ws.id, &["order.refunded"; 2]);
    let before = receiver.received().len();
    receiver
        .wait_until(30, "two single deliveries", |r| r.len() >= before + 2)
        .await;
    let singles = &receiver.received()[before..];
    assert_eq!(singles[0].event_id(), third[0].id);
    assert_eq!(singles[1].event_id(), third[1].id);
    assert_eq!(singles[0].header("rapport-event-id"), third[0].id);

    // GraphQL reads and writes the same setting.
    let out = app
        .graphql_as(
            &ws.owner_token,
            "mutation($id: ID!) { updateWebhook(id: $id, input: { batchSize: 50 }) { batchSize } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(out["data"]["updateWebhook"]["batchSize"], 50, "{out}");
    assert_eq!(webhook(&app, &ws, &id).await["batch_size"], 50);
}

#[tokio::test]
async fn a_dead_receiver_does_not_hold_up_another_subscription() {
    let app = app_with(|w| w.timeout_ms = 20_000).await;
    let ws = app.workspace("Dead").await;
    let dead = Receiver::start().await;
    dead.set_mode(Mode::Hang);
    let alive = Receiver::start().await;
    subscribe(&app, &ws, &dead.url, &["*"]).await;
    subscribe(&app, &ws, &alive.url, &["*"]).await;
    let mut sent = append(&app, &ws.id, &["order.created"; 20]);
    dead.wait_until(15, "the first request", |r| !r.is_empty())
        .await;
    // More events while the dead receiver holds its first request.
    sent.extend(append(&app, &ws.id, &["deal.won"; 20]));
    alive
        .wait_until(15, "40 deliveries", |r| r.len() >= 40)
        .await;
    // The dead receiver's first request is still unanswered (its timeout is 20 s).
    let stuck = dead.received();
    assert_eq!(stuck.len(), 1);
    assert_eq!(stuck[0].event_id(), sent[0].id);
    let got: Vec<String> = alive
        .unique_delivered()
        .iter()
        .map(|r| r.event_id())
        .collect();
    let all: Vec<String> = alive.received().iter().map(|r| r.event_id()).collect();
    assert_eq!(
        got,
        sent.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
        "received: {all:?}"
    );
}

#[tokio::test]
async fn filters_and_tenancy_decide_what_is_delivered() {
    let app = app().await;
    let ws = app.workspace("Mine").await;
    let other = app.workspace("Theirs").await;
    let receiver = Receiver::start().await;
    let (id, _) = subscribe(&app, &ws, &receiver.url, &["order.*", "deal.won"]).await;
    append(&app, &other.id, &["order.created", "deal.won"]);
    let mine = append(
        &app,
        &ws.id,
        &[
            "account.created",
            "order.created",
            "deal.lost",
            "deal.won",
            "order.refunded",
        ],
    );
    receiver
        .wait_until(30, "3 matching deliveries", |r| r.len() >= 3)
        .await;
    // A marker after everything else: once it arrives, nothing else is on its way.
    append(&app, &ws.id, &["order.created"]);
    receiver
        .wait_until(30, "the marker", |r| r.len() >= 4)
        .await;
    let types: Vec<String> = receiver
        .received()
        .iter()
        .map(|r| r.json["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        types,
        [
            "order.created",
            "deal.won",
            "order.refunded",
            "order.created"
        ]
    );
    assert!(receiver
        .received()
        .iter()
        .all(|r| r.json["workspace_id"] == ws.id));
    assert_eq!(receiver.received()[0].event_id(), mine[1].id);

    // Another workspace's admin sees none of it.
    for (method, path) in [
        (reqwest::Method::GET, format!("/v1/webhooks/{id}")),
        (reqwest::Method::PATCH, format!("/v1/webhooks/{id}")),
        (reqwest::Method::DELETE, format!("/v1/webhooks/{id}")),
        (
            reqwest::Method::GET,
            format!("/v1/webhooks/{id}/deliveries"),
        ),
        (reqwest::Method::POST, format!("/v1/webhooks/{id}/ping")),
        (
            reqwest::Method::POST,
            format!("/v1/webhooks/{id}/rotate-secret"),
        ),
    ] {
        let body = (method == reqwest::Method::PATCH).then(|| json!({ "enabled": false }));
        let res = app
            .send(method, &path, &other.owner_token, body.as_ref())
            .await;
        assert_problem(res, 404, "not_found").await;
    }
    let theirs: Value = app
        .get_as("/v1/webhooks", &other.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["data"], json!([]));
    assert_eq!(webhook(&app, &ws, &id).await["enabled"], true);
}

#[tokio::test]
async fn ping_and_redelivery_send_now_and_are_logged() {
    let app = app().await;
    let ws = app.workspace("Ping").await;
    let receiver = Receiver::start().await;
    let (id, secret) = subscribe(&app, &ws, &receiver.url, &["order.*"]).await;
    let res = app
        .post_as(
            &format!("/v1/webhooks/{id}/ping"),
            &ws.owner_token,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let ping: Value = res.json().await.unwrap();
    assert_eq!(ping["outcome"], "delivered");
    assert_eq!(ping["status_code"], 200);
    assert_eq!(ping["trigger"], "ping");
    assert_eq!(ping["event_type"], "ping");
    let got = receiver.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].json["type"], "ping");
    assert_eq!(got[0].json["data"]["webhook_id"], id.as_str());
    assert!(verify(
        got[0].header("rapport-signature"),
        &got[0].body,
        &secret,
        300
    ));

    let sent = append(&app, &ws.id, &["order.created"]);
    receiver.wait_until(30, "the event", |r| r.len() >= 2).await;
    let mut log = Vec::new();
    for _ in 0..100 {
        log = deliveries(&app, &ws, &id).await;
        if log.iter().any(|d| d["trigger"] == "automatic") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let automatic = log.iter().find(|d| d["trigger"] == "automatic").unwrap();
    let delivery_id = automatic["id"].as_str().unwrap();

    receiver.set_mode(Mode::Status(503));
    let res = app
        .post_as(
            &format!("/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver"),
            &ws.owner_token,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let again: Value = res.json().await.unwrap();
    assert_eq!(again["outcome"], "failed");
    assert_eq!(again["status_code"], 503);
    assert_eq!(again["trigger"], "redelivery");
    assert_eq!(again["event_id"], sent[0].id);
    let last = receiver.received().pop().unwrap();
    assert_eq!(last.event_id(), sent[0].id);

    // Newest first, in pages.
    let page: Value = app
        .get_as(
            &format!("/v1/webhooks/{id}/deliveries?limit=2"),
            &ws.owner_token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["data"][0]["id"], again["id"]);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest: Value = app
        .get_as(
            &format!("/v1/webhooks/{id}/deliveries?limit=2&after={cursor}"),
            &ws.owner_token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["data"][0]["id"], ping["id"]);
    assert!(rest["next_cursor"].is_null());
    assert_problem(
        app.post_as(
            &format!(
                "/v1/webhooks/{id}/deliveries/{}/redeliver",
                uuid::Uuid::now_v7()
            ),
            &ws.owner_token,
            &json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_subscription_failing_past_the_retry_window_is_disabled_with_an_event() {
    let app = app_with(|w| w.retry_window_secs = 1).await;
    let ws = app.workspace("Gone").await;
    let receiver = Receiver::start().await;
    receiver.set_mode(Mode::Status(410));
    let (id, _) = subscribe(&app, &ws, &receiver.url, &["*"]).await;
    let sent = append(&app, &ws.id, &["order.created", "order.created"]);
    let mut hook = Value::Null;
    for _ in 0..200 {
        hook = webhook(&app, &ws, &id).await;
        if hook["enabled"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(hook["enabled"], false);
    assert!(hook["disabled_reason"]
        .as_str()
        .unwrap()
        .contains("HTTP 410"));
    let log = deliveries(&app, &ws, &id).await;
    assert_eq!(log[0]["outcome"], "failed");
    assert_eq!(log[0]["event_id"], sent[0].id);
    // The second event waits: nothing is sent to a disabled subscription.
    assert!(receiver
        .received()
        .iter()
        .all(|r| r.event_id() == sent[0].id));

    let mut conn = app.db.connect();
    let feed = events::list_after(&mut conn, &ws.id, 0, &Default::default(), 10).unwrap();
    let disabled = feed
        .iter()
        .find(|e| e.event_type == "webhook.disabled")
        .unwrap();
    let data: Value = serde_json::from_str(&disabled.data).unwrap();
    assert_eq!(data["webhook_id"], id.as_str());

    // Enabling it again resumes with the next event.
    receiver.set_mode(Mode::Ok);
    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/v1/webhooks/{id}"),
            &ws.owner_token,
            Some(&json!({ "enabled": true })),
        )
        .await;
    let enabled: Value = res.json().await.unwrap();
    assert_eq!(enabled["enabled"], true);
    assert!(enabled["disabled_reason"].is_null());
    receiver
        .wait_until(30, "the second event", |_| {
            receiver
                .unique_delivered()
                .iter()
                .any(|r| r.event_id() == sent[1].id)
        })
        .await;
}

#[tokio::test]
async fn graphql_mirrors_the_webhook_operations() {
    let app = app().await;
    let ws = app.workspace("Graph").await;
    let receiver = Receiver::start().await;
    let out = app
        .graphql_as(
            &ws.owner_token,
            "mutation($input: NewWebhook!) { createWebhook(input: $input) { id secret eventTypes enabled } }",
            json!({ "input": { "url": receiver.url, "eventTypes": ["deal.*"] } }),
        )
        .await;
    let created = &out["data"]["createWebhook"];
    assert!(
        created["secret"].as_str().unwrap().starts_with("whsec_"),
        "{out}"
    );
    let id = created["id"].as_str().unwrap();
    let out = app
        .graphql_as(
            &ws.owner_token,
            "mutation($id: ID!) { pingWebhook(id: $id) { outcome statusCode } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(out["data"]["pingWebhook"]["outcome"], "delivered", "{out}");
    let out = app
        .graphql_as(
            &ws.owner_token,
            "mutation($id: ID!) { updateWebhook(id: $id, input: { enabled: false }) { enabled } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(out["data"]["updateWebhook"]["enabled"], false, "{out}");
    let out = app
        .graphql_as(
            &ws.owner_token,
            "query($id: ID!) { webhooks(first: 5) { edges { node { id enabled } } }
               webhookDeliveries(webhookId: $id) { edges { node { trigger eventType } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        out["data"]["webhooks"]["edges"][0]["node"]["id"], id,
        "{out}"
    );
    assert_eq!(
        out["data"]["webhookDeliveries"]["edges"][0]["node"]["trigger"],
        "ping"
    );
    let out = app
        .graphql_as(
            &ws.owner_token,
            "mutation($id: ID!) { deleteWebhook(id: $id) }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(out["data"]["deleteWebhook"], id, "{out}");
}

/// End to end through the write pipeline: real API writes (an account, an order, a refund)
/// reach a subscriber, signed, in commit order, each carrying the resource after the change;
/// a subscriber filtered on `order.*` gets only the order events.
#[tokio::test]
async fn api_writes_reach_subscribers_through_the_pipeline() {
    let app = app().await;
    let ws = app.workspace("Live").await;
    let t = &ws.owner_token;
    let all = Receiver::start().await;
    let orders_only = Receiver::start().await;
    let (_, secret) = subscribe(&app, &ws, &all.url, &["*"]).await;
    subscribe(&app, &ws, &orders_only.url, &["order.*"]).await;

    let account: Value = app
        .post_as(
            "/v1/accounts",
            t,
            &json!({"kind": "person", "name": "Ada", "external_id": "crm-1"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .post_as(
            "/v1/orders",
            t,
            &json!({"account_id": account["id"], "external_id": "o-1", "amount": 2500, "currency": "USD"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let order: Value = res.json().await.unwrap();
    let order_id = order["id"].as_str().unwrap();
    let res = app
        .post_as(
            &format!("/v1/orders/{order_id}/refund"),
            t,
            &json!({"amount": 500}),
        )
        .await;
    assert_eq!(res.status(), 200);

    orders_only
        .wait_until(30, "2 order events", |r| r.len() >= 2)
        .await;
    let got: Vec<String> = orders_only
        .unique_delivered()
        .iter()
        .map(|r| r.json["type"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, ["order.created", "order.refunded"]);
    let created = &orders_only.unique_delivered()[0].json;
    assert_eq!(created["data"]["object"]["id"], order["id"]);
    assert_eq!(created["data"]["object"]["amount"], 2500);

    all.wait_until(30, "the order events", |r| {
        r.iter().any(|x| x.json["type"] == "order.refunded")
    })
    .await;
    let delivered = all.unique_delivered();
    let types: Vec<&str> = delivered
        .iter()
        .map(|r| r.json["type"].as_str().unwrap())
        .collect();
    assert_eq!(types.first(), Some(&"account.created"), "{types:?}");
    assert!(types.contains(&"order.created"), "{types:?}");
    let sequences: Vec<i64> = delivered.iter().map(|r| r.sequence()).collect();
    let mut sorted = sequences.clone();
    sorted.sort_unstable();
    assert_eq!(sequences, sorted, "delivered in commit order");
    for r in &delivered {
        assert!(verify(r.header("rapport-signature"), &r.body, &secret, 300));
    }
}
