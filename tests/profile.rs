//! The 360° profile: every write that changes it shows on the next read (Redis when
//! RAPPORT_TEST_REDIS_URL is set, in-process otherwise), and a Redis that goes away
//! mid-run degrades to database reads, then recovers by itself.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::TestApp;
use rapport_api::config::Secret;
use rapport_persistence::testing::test_redis_url;
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};

async fn profile(app: &TestApp, token: &str, id: &str) -> Value {
    let res = app
        .get_as(&format!("/v1/accounts/{id}/profile"), token)
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn cache_count(app: &TestApp, outcome: &str) -> u64 {
    let text = app.get("/metrics").await.text().await.unwrap();
    text.lines()
        .find(|l| {
            l.starts_with("rapport_cache_lookups_total") && l.contains(&format!("\"{outcome}\""))
        })
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The account's metrics as GraphQL `account(id)` gives them (cached like the profile).
async fn graphql_metrics(app: &TestApp, token: &str, id: &str) -> Value {
    let query = "query($id: ID!) { account(id: $id) { metrics { ordersCount revenue predictionsUnavailable rfm { segment } } } }";
    let out = app.graphql_as(token, query, json!({ "id": id })).await;
    assert!(out["errors"].is_null(), "{out}");
    out["data"]["account"]["metrics"].clone()
}

#[tokio::test]
async fn every_write_shows_on_the_next_profile_read() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    let account: Value = app
        .post_as(
            "/v1/accounts",
            t,
            &json!({"kind": "person", "name": "Ada", "external_id": "ada"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = account["id"].as_str().unwrap();

    assert_eq!(graphql_metrics(&app, t, id).await["ordersCount"], 0);
    let first = profile(&app, t, id).await;
    assert_eq!(first["account"]["name"], "Ada");
    assert_eq!(first["recent_interactions"], json!([]));
    let hits = cache_count(&app, "hit").await;
    assert_eq!(profile(&app, t, id).await, first);
    assert_eq!(
        cache_count(&app, "hit").await,
        hits + 1,
        "the second read is a hit"
    );

    // Account edit.
    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/v1/accounts/{id}"),
            t,
            Some(&json!({"name": "Ada Lovelace"})),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        profile(&app, t, id).await["account"]["name"],
        "Ada Lovelace"
    );

    // Interaction logged, then edited.
    let res = app
        .post_as(
            &format!("/v1/accounts/{id}/interactions"),
            t,
            &json!({"type": "note", "subject": "First note"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let note: Value = res.json().await.unwrap();
    let p = profile(&app, t, id).await;
    assert_eq!(p["recent_interactions"][0]["subject"], "First note");
    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/v1/interactions/{}", note["id"].as_str().unwrap()),
            t,
            Some(&json!({"subject": "Edited note"})),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        profile(&app, t, id).await["recent_interactions"][0]["subject"],
        "Edited note"
    );

    // Orders: single, batch, refund.
    let res = app
        .post_as(
            "/v1/orders",
            t,
            &json!({"account_id": id, "amount": 1000, "currency": "USD", "occurred_at": "2026-03-01T09:00:00Z"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let order: Value = res.json().await.unwrap();
    assert_eq!(profile(&app, t, id).await["metrics"]["revenue"], 1000);
    assert_eq!(graphql_metrics(&app, t, id).await["revenue"], "1000");
    let res = app
        .post_as(
            "/v1/orders/batch",
            t,
            &json!({"orders": [{"account_external_id": "ada", "amount": 500, "currency": "USD", "occurred_at": "2026-04-01T09:00:00Z"}]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(profile(&app, t, id).await["metrics"]["orders_count"], 2);
    assert_eq!(graphql_metrics(&app, t, id).await["ordersCount"], 2);
    let res = app
        .post_as(
            &format!("/v1/orders/{}/refund", order["id"].as_str().unwrap()),
            t,
            &json!({"amount": 400}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(profile(&app, t, id).await["metrics"]["revenue"], 1100);
    assert_eq!(graphql_metrics(&app, t, id).await["revenue"], "1100");

    // A model fit (the whole workspace's profiles) brings predictions.
    assert_eq!(
        profile(&app, t, id).await["metrics"]["predictions_unavailable"],
        "model_not_fitted"
    );
    let res = app.post_as("/v1/models/churn/fit", t, &json!({})).await;
    assert_eq!(res.status(), 200);
    let m = profile(&app, t, id).await["metrics"].clone();
    assert!(m["rfm"]["segment"].is_string(), "{m}");
    let g = graphql_metrics(&app, t, id).await;
    assert_eq!(g["rfm"]["segment"], m["rfm"]["segment"], "{g}");
    assert_eq!(
        g["predictionsUnavailable"], m["predictions_unavailable"],
        "{g}"
    );

    // Deleting the account: the profile is gone.
    let res = app
        .send(
            reqwest::Method::DELETE,
            &format!("/v1/accounts/{id}"),
            t,
            None,
        )
        .await;
    assert_eq!(res.status(), 204);
    let res = app.get_as(&format!("/v1/accounts/{id}/profile"), t).await;
    assert_eq!(res.status(), 404);
}

/// A TCP proxy to the real Redis that can be cut and restored.
struct Switch {
    port: u16,
    up: Arc<AtomicBool>,
}

impl Switch {
    async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let flag = up.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    return;
                };
                if !flag.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let upstream = upstream.clone();
                let flag = flag.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    // Copy until either side closes or the switch is cut.
                    let copy = tokio::io::copy_bidirectional(&mut client, &mut server);
                    let cut = async {
                        while flag.load(Ordering::SeqCst) {
                            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        }
                    };
                    tokio::select! {
                        _ = copy => {}
                        _ = cut => {}
                    }
                });
            }
        });
        Self { port, up }
    }

    /// Cuts or restores the link. A cut reaches open connections at their next poll (every
    /// 20 ms), so this returns only after several polls: a request sent after it never rides
    /// a connection that has not been cut yet.
    async fn set(&self, up: bool) {
        self.up.store(up, Ordering::SeqCst);
        if !up {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

#[tokio::test]
async fn a_redis_outage_degrades_to_database_reads_and_recovers() {
    let Some(redis) = test_redis_url() else {
        eprintln!("RAPPORT_TEST_REDIS_URL not set: the outage test needs a real Redis");
        return;
    };
    let upstream = redis
        .trim_start_matches("redis://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let switch = Switch::start(upstream).await;
    let port = switch.port;
    let app = TestApp::spawn_with(move |c| {
        c.redis_url = Some(Secret::new(format!("redis://127.0.0.1:{port}")));
    })
    .await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    let account: Value = app
        .post_as(
            "/v1/accounts",
            t,
            &json!({"kind": "person", "name": "Grace"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = account["id"].as_str().unwrap();
    profile(&app, t, id).await;
    let hits = cache_count(&app, "hit").await;
    profile(&app, t, id).await;
    assert_eq!(cache_count(&app, "hit").await, hits + 1);

    // Redis goes away: reads and writes still succeed, and writes still show.
    switch.set(false).await;
    for _ in 0..3 {
        assert_eq!(profile(&app, t, id).await["metrics"]["orders_count"], 0);
    }
    let res = app
        .post_as(
            "/v1/orders",
            t,
            &json!({"account_id": id, "amount": 700, "currency": "USD"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(profile(&app, t, id).await["metrics"]["revenue"], 700);
    assert!(cache_count(&app, "error").await > 0);

    // Back: the entry cached before the outage (which a failed invalidation could not
    // remove) is not served; the cache works again within the back-off.
    switch.set(true).await;
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let mut recovered = false;
    for _ in 0..20 {
        assert_eq!(profile(&app, t, id).await["metrics"]["revenue"], 700);
        let before = cache_count(&app, "hit").await;
        assert_eq!(profile(&app, t, id).await["metrics"]["revenue"], 700);
        if cache_count(&app, "hit").await > before {
            recovered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    assert!(recovered, "the cache serves hits again after Redis is back");
}

#[tokio::test]
async fn the_profile_shows_loyalty_and_open_deals_and_follows_their_writes() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    let account: Value = app
        .post_as("/v1/accounts", t, &json!({"kind": "person", "name": "Lin"}))
        .await
        .json()
        .await
        .unwrap();
    let id = account["id"].as_str().unwrap();
    let p = profile(&app, t, id).await;
    assert_eq!(p["loyalty"], Value::Null, "no programme yet");
    assert_eq!(p["open_deals"], json!([]));

    let res = app
        .send(
            reqwest::Method::PUT,
            "/v1/loyalty/program",
            t,
            Some(&json!({"currency": "USD", "earn_rate": {"numerator": 1, "denominator": 100},
                         "tiers": [{"name": "Member", "threshold": 0, "multiplier_permille": 1000}]})),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let p = profile(&app, t, id).await;
    assert_eq!(p["loyalty"]["available"], 0);
    // An order earns points (pending or available), seen at once.
    let res = app
        .post_as(
            "/v1/orders",
            t,
            &json!({"account_id": id, "amount": 5000, "currency": "USD"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let p = profile(&app, t, id).await;
    let earned = p["loyalty"]["lifetime_earned"].as_i64().unwrap();
    assert_eq!(earned, 50, "{}", p["loyalty"]);
    let available = p["loyalty"]["available"].as_i64().unwrap();
    let res = app
        .post_as(
            &format!("/v1/accounts/{id}/loyalty/adjust"),
            t,
            &json!({"points": 25, "reason": "goodwill"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let p = profile(&app, t, id).await;
    assert_eq!(p["loyalty"]["available"].as_i64().unwrap(), available + 25);

    // A deal opened on the account shows among its open deals.
    let pipeline: Value = app
        .post_as(
            "/v1/pipelines",
            t,
            &json!({"name": "Sales", "stages": [{"name": "Lead", "probability": 20, "kind": "open"},
                    {"name": "Won", "kind": "won"}, {"name": "Lost", "kind": "lost"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let res = app
        .post_as(
            "/v1/deals",
            t,
            &json!({"account_id": id, "title": "Upgrade", "amount": 90000, "currency": "USD",
                    "pipeline_id": pipeline["id"]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let deal: Value = res.json().await.unwrap();
    let p = profile(&app, t, id).await;
    assert_eq!(p["open_deals"][0]["title"], "Upgrade");
    // Won: no longer open, and its revenue is in the metrics.
    let won = pipeline["stages"][1]["id"].as_str().unwrap();
    let res = app
        .post_as(
            &format!("/v1/deals/{}/move", deal["id"].as_str().unwrap()),
            t,
            &json!({"stage_id": won}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let p = profile(&app, t, id).await;
    assert_eq!(p["open_deals"], json!([]));
    assert_eq!(p["metrics"]["revenue"], 5000 + 90000);
}
