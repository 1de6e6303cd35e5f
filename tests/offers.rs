//! Offers and vouchers over HTTP, on SQLite (and PostgreSQL + Redis when
//! RAPPORT_TEST_DATABASE_URL is set): the catalogue with versioned changes; vouchers issued
//! with unguessable codes and redeemed by orders exactly once — 50 concurrent orders on one
//! code redeem it once, a retried batch redeems nothing twice, caps and budgets hold under
//! concurrency; bad codes are a per-item 422 with nothing written; the refund rule; the
//! expiry job; nothing crosses workspaces.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{assert_problem, TestApp};
use diesel::connection::SimpleConnection;
use reqwest::Method;
use serde_json::{json, Value};

async fn ok(res: reqwest::Response, status: u16) -> Value {
    let got = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn offer(app: &TestApp, t: &str, body: Value) -> Value {
    ok(app.post_as("/v1/offers", t, &body).await, 201).await
}

async fn account(app: &TestApp, t: &str, name: &str) -> String {
    let res = app
        .post_as("/v1/accounts", t, &json!({"kind": "person", "name": name}))
        .await;
    ok(res, 201).await["id"].as_str().unwrap().to_owned()
}

async fn issue(app: &TestApp, t: &str, offer_id: &str, account_id: &str) -> String {
    let res = app
        .post_as(
            &format!("/v1/offers/{offer_id}/issue"),
            t,
            &json!({ "account_id": account_id }),
        )
        .await;
    let body = ok(res, 201).await;
    assert_eq!(body["issued"], 1, "{body}");
    body["vouchers"][0]["code"].as_str().unwrap().to_owned()
}

fn order(account_id: &str, external_id: &str, amount: i64, codes: &[&str]) -> Value {
    json!({
        "account_id": account_id,
        "external_id": external_id,
        "amount": amount,
        "currency": "USD",
        "voucher_codes": codes,
    })
}

async fn get_offer(app: &TestApp, t: &str, id: &str) -> Value {
    ok(app.get_as(&format!("/v1/offers/{id}"), t).await, 200).await
}

async fn voucher(app: &TestApp, t: &str, code: &str) -> Value {
    ok(app.get_as(&format!("/v1/vouchers/{code}"), t).await, 200).await
}

async fn orders_of(app: &TestApp, t: &str, account_id: &str) -> Vec<Value> {
    let res = app
        .get_as(&format!("/v1/orders?account_id={account_id}&limit=500"), t)
        .await;
    ok(res, 200).await["data"].as_array().unwrap().clone()
}

async fn events(app: &TestApp, t: &str, types: &str) -> Vec<Value> {
    let res = app
        .get_as(&format!("/v1/events?types={types}&limit=500"), t)
        .await;
    ok(res, 200).await["data"].as_array().unwrap().clone()
}

fn sql(app: &TestApp, statement: &str) {
    let mut conn = app.db.connect();
    match &mut conn {
        rapport_persistence::DbConn::Pg(c) => c.batch_execute(statement).unwrap(),
        rapport_persistence::DbConn::Sqlite(c) => c.batch_execute(statement).unwrap(),
    }
}

/// POSTs every body to `path` at once (one tokio task each); the answers' statuses and
/// bodies.
async fn concurrently(app: &TestApp, t: &str, path: &str, bodies: Vec<Value>) -> Vec<(u16, Value)> {
    let mut tasks = tokio::task::JoinSet::new();
    for body in bodies {
        let (http, url, token) = (app.http.clone(), app.url(path), t.to_owned());
        tasks.spawn(async move {
            let res = http
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap_or(Value::Null))
        });
    }
    let mut out = Vec::new();
    while let Some(answer) = tasks.join_next().await {
        out.push(answer.unwrap());
    }
    out
}

fn stored(code: &str) -> String {
    code.replace('-', "")
}

#[tokio::test]
async fn the_catalogue_is_versioned_paged_and_validated() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Catalogue").await;
    let t = &ws.owner_token;
    let created = app
        .post_as(
            "/v1/offers",
            t,
            &json!({"name": "20 % off", "kind": "percent_discount", "percent": 20,
                    "eligibility": {"risk_bands": ["watch"]}, "budget": 100000}),
        )
        .await;
    assert_eq!(created.status(), 201);
    assert_eq!(created.headers()["etag"], "\"v1\"");
    let first: Value = created.json().await.unwrap();
    assert_eq!(first["status"], "active");
    assert_eq!(first["eligibility"]["risk_bands"], json!(["watch"]));
    for (name, body) in [
        (
            "fixed",
            json!({"name": "5 off", "kind": "fixed_discount", "amount": 500, "currency": "usd"}),
        ),
        (
            "points",
            json!({"name": "Double points", "kind": "bonus_points", "points_multiplier": 2.0}),
        ),
        (
            "ship",
            json!({"name": "Free shipping", "kind": "free_shipping", "cost_per_redemption": 450}),
        ),
    ] {
        let o = offer(&app, t, body).await;
        assert_eq!(o["version"], 1, "{name}");
    }
    // Keyset pages.
    let page = ok(app.get_as("/v1/offers?limit=3", t).await, 200).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 3);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = ok(
        app.get_as(&format!("/v1/offers?limit=3&after={cursor}"), t)
            .await,
        200,
    )
    .await;
    assert_eq!(rest["data"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());
    // A kind's own fields, named.
    for (body, field) in [
        (json!({"name": "x", "kind": "percent_discount"}), "percent"),
        (
            json!({"name": "x", "kind": "percent_discount", "percent": 100}),
            "percent",
        ),
        (
            json!({"name": "x", "kind": "free_shipping", "points": 5}),
            "points",
        ),
        (
            json!({"name": "x", "kind": "fixed_discount", "amount": 5}),
            "currency",
        ),
        (json!({"name": "x", "kind": "bonus_points"}), "points"),
        (json!({"name": "x", "kind": "custom"}), "benefit"),
        (
            json!({"name": "x", "kind": "free_reward", "reward_id": "nope"}),
            "reward_id",
        ),
        (json!({"name": "x", "kind": "gift"}), "kind"),
        (
            json!({"name": "x", "kind": "free_shipping", "eligibility": {"risk_bands": ["doomed"]}}),
            "eligibility.risk_bands",
        ),
        (
            json!({"name": "x", "kind": "free_shipping", "campaign_id": uuid::Uuid::now_v7().to_string()}),
            "campaign_id",
        ),
        (
            json!({"name": "x", "kind": "free_shipping", "budget": 0}),
            "budget",
        ),
    ] {
        let problem = assert_problem(
            app.post_as("/v1/offers", t, &body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    // Versioned changes.
    let id = first["id"].as_str().unwrap();
    let stale = app
        .http
        .patch(app.url(&format!("/v1/offers/{id}")))
        .bearer_auth(t)
        .header("If-Match", "\"v7\"")
        .json(&json!({"percent": 25}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412);
    let changed = app
        .http
        .patch(app.url(&format!("/v1/offers/{id}")))
        .bearer_auth(t)
        .header("If-Match", "\"v1\"")
        .json(&json!({"percent": 25}))
        .send()
        .await
        .unwrap();
    let changed = ok(changed, 200).await;
    assert_eq!(
        (changed["percent"].clone(), changed["version"].clone()),
        (json!(25), json!(2))
    );
    let updated = events(&app, t, "offer.updated").await;
    assert_eq!(updated.len(), 1);
    assert_eq!(updated[0]["data"]["changed_fields"], json!(["percent"]));
    assert_eq!(events(&app, t, "offer.created").await.len(), 4);
    // Scopes: a read-only key reads, cannot write.
    let (_, reader) = app.api_key(&ws, &["offers:read"]).await;
    ok(app.get_as(&format!("/v1/offers/{id}"), &reader).await, 200).await;
    assert_problem(
        app.post_as(
            "/v1/offers",
            &reader,
            &json!({"name": "x", "kind": "free_shipping"}),
        )
        .await,
        403,
        "insufficient_scope",
    )
    .await;
    // Delete: gone from reads.
    let res = app
        .send(Method::DELETE, &format!("/v1/offers/{id}"), t, None)
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        app.get_as(&format!("/v1/offers/{id}"), t).await.status(),
        404
    );
}

#[tokio::test]
async fn fifty_concurrent_orders_redeem_a_single_use_code_once() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Race").await;
    let t = &ws.owner_token;
    let o = offer(
        &app,
        t,
        json!({"name": "20 % off", "kind": "percent_discount", "percent": 20}),
    )
    .await;
    let offer_id = o["id"].as_str().unwrap();
    let a = account(&app, t, "Racer").await;
    let code = issue(&app, t, offer_id, &a).await;
    assert_eq!(code.len(), 19);
    let bodies = (0..50)
        .map(|i| order(&a, &format!("race-{i}"), 8000, &[&code]))
        .collect();
    let answers = concurrently(&app, t, "/v1/orders", bodies).await;
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    let mut winner = None;
    for (status, body) in answers {
        *by_status.entry(status).or_default() += 1;
        if status == 201 {
            winner = Some(body["id"].as_str().unwrap().to_owned());
        } else {
            assert_eq!(status, 422, "{body}");
            assert_eq!(body["code"], "voucher_already_redeemed", "{body}");
        }
    }
    assert_eq!(by_status, BTreeMap::from([(201, 1), (422, 49)]));
    // One order written, the voucher redeemed by it once, the offer counting it once.
    let orders = orders_of(&app, t, &a).await;
    assert_eq!(orders.len(), 1);
    let winner = winner.unwrap();
    assert_eq!(orders[0]["id"], winner.as_str());
    let v = voucher(&app, t, &code).await;
    assert_eq!(v["voucher"]["state"], "redeemed");
    assert_eq!(v["voucher"]["order_id"], winner.as_str());
    // 20 % of the gross: 8000 paid = 80 % of 10000.
    assert_eq!(v["voucher"]["discount"], 2000);
    assert_eq!(v["redeemable"], false);
    assert_eq!(v["problem"], "voucher_already_redeemed");
    let steps: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["to_state"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["issued", "redeemed"]);
    let o = get_offer(&app, t, offer_id).await;
    assert_eq!(
        (o["redemptions"].clone(), o["spent"].clone()),
        (json!(1), json!(2000))
    );
    let redeemed = events(&app, t, "voucher.redeemed").await;
    assert_eq!(redeemed.len(), 1);
    assert_eq!(redeemed[0]["data"]["object"]["order_id"], winner.as_str());
}

#[tokio::test]
async fn a_retried_batch_redeems_nothing_twice() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Retry").await;
    let t = &ws.owner_token;
    let o = offer(
        &app,
        t,
        json!({"name": "5 off", "kind": "fixed_discount", "amount": 500, "currency": "USD",
               "cost_per_redemption": 25}),
    )
    .await;
    let offer_id = o["id"].as_str().unwrap();
    let mut items = Vec::new();
    let mut codes = Vec::new();
    for i in 0..3 {
        let a = account(&app, t, &format!("Batch {i}")).await;
        let code = issue(&app, t, offer_id, &a).await;
        items.push(order(&a, &format!("batch-{i}"), 4000, &[&code]));
        codes.push(code);
    }
    let batch = json!({ "orders": items });
    let first = ok(app.post_as("/v1/orders/batch", t, &batch).await, 200).await;
    assert_eq!(
        (first["created"].clone(), first["rejected"].clone()),
        (json!(3), json!(0))
    );
    // The same batch again, without a key: duplicates, nothing redeemed again.
    let again = ok(app.post_as("/v1/orders/batch", t, &batch).await, 200).await;
    assert_eq!(again["duplicates"], 3, "{again}");
    assert_eq!(again["rejected"], 0, "{again}");
    // And with an Idempotency-Key twice: the stored answer.
    let keyed = |_: ()| {
        app.http
            .post(app.url("/v1/orders/batch"))
            .bearer_auth(t)
            .header("Idempotency-Key", "batch-key-1")
            .json(&batch)
            .send()
    };
    let k1 = ok(keyed(()).await.unwrap(), 200).await;
    let k2 = ok(keyed(()).await.unwrap(), 200).await;
    assert_eq!(k1, k2);
    let o = get_offer(&app, t, offer_id).await;
    assert_eq!(o["redemptions"], 3);
    assert_eq!(o["spent"], 3 * (500 + 25));
    assert_eq!(events(&app, t, "voucher.redeemed").await.len(), 3);
    for code in &codes {
        let v = voucher(&app, t, code).await;
        assert_eq!(v["voucher"]["state"], "redeemed");
        assert_eq!(v["history"].as_array().unwrap().len(), 2);
    }
}

#[tokio::test]
async fn caps_and_budgets_hold_under_concurrency() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Caps").await;
    let t = &ws.owner_token;
    // Budget 1000 at 100 a redemption: 10 of 20.
    let budgeted = offer(
        &app,
        t,
        json!({"name": "Free shipping", "kind": "free_shipping", "cost_per_redemption": 100,
               "budget": 1000}),
    )
    .await;
    // At most 5 redemptions in all.
    let capped = offer(
        &app,
        t,
        json!({"name": "Gift", "kind": "custom", "benefit": "A tote bag", "total_cap": 5}),
    )
    .await;
    for (o, n, wanted, code) in [
        (&budgeted, 20, 10, "offer_budget_exhausted"),
        (&capped, 12, 5, "offer_redemption_cap_reached"),
    ] {
        let offer_id = o["id"].as_str().unwrap();
        let mut bodies = Vec::new();
        for i in 0..n {
            let a = account(&app, t, &format!("Cap {i}")).await;
            let c = issue(&app, t, offer_id, &a).await;
            bodies.push(order(&a, &format!("{offer_id}-{i}"), 1000, &[&c]));
        }
        let answers = concurrently(&app, t, "/v1/orders", bodies).await;
        let mut created = 0;
        for (status, body) in answers {
            match status {
                201 => created += 1,
                409 => assert_eq!(body["code"], code, "{body}"),
                other => panic!("{other}: {body}"),
            }
        }
        assert_eq!(created, wanted);
        let stored = get_offer(&app, t, offer_id).await;
        assert_eq!(stored["redemptions"], wanted);
    }
    assert_eq!(
        get_offer(&app, t, budgeted["id"].as_str().unwrap()).await["spent"],
        1000
    );
    // Per customer: one redemption, then a fresh voucher of the same offer is refused.
    let once = offer(
        &app,
        t,
        json!({"name": "Once", "kind": "percent_discount", "percent": 10, "per_customer_cap": 1}),
    )
    .await;
    let once_id = once["id"].as_str().unwrap();
    let a = account(&app, t, "Once").await;
    let c1 = issue(&app, t, once_id, &a).await;
    // An open voucher is held: no second one.
    let held = app
        .post_as(
            &format!("/v1/offers/{once_id}/issue"),
            t,
            &json!({"account_id": a}),
        )
        .await;
    assert_problem(held, 409, "voucher_already_held").await;
    ok(
        app.post_as("/v1/orders", t, &order(&a, "once-1", 900, &[&c1]))
            .await,
        201,
    )
    .await;
    let c2 = issue(&app, t, once_id, &a).await;
    let res = app
        .post_as("/v1/orders", t, &order(&a, "once-2", 900, &[&c2]))
        .await;
    assert_problem(res, 409, "offer_customer_cap_reached").await;
    assert_eq!(orders_of(&app, t, &a).await.len(), 1);
    // In a batch the same refusal is per item, the rest applied.
    let b = account(&app, t, "Other").await;
    let c3 = issue(&app, t, once_id, &b).await;
    let res = app
        .post_as(
            "/v1/orders/batch",
            t,
            &json!({"orders": [order(&a, "once-3", 900, &[&c2]), order(&b, "once-4", 900, &[&c3])]}),
        )
        .await;
    let body = ok(res, 200).await;
    assert_eq!(body["results"][0]["status"], "rejected");
    assert_eq!(body["results"][0]["error"]["status"], 409);
    assert_eq!(
        body["results"][0]["error"]["code"],
        "offer_customer_cap_reached"
    );
    assert_eq!(body["results"][1]["status"], "created");
    assert_eq!(orders_of(&app, t, &a).await.len(), 1);
}

#[tokio::test]
async fn concurrent_batches_hold_caps_and_budgets_and_count_every_redemption() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Batches").await;
    let t = &ws.owner_token;
    // At most 7 redemptions in all; a budget for 9 at 100 each; no limit at all.
    let capped = offer(
        &app,
        t,
        json!({"name": "Gift", "kind": "custom", "benefit": "A mug", "total_cap": 7}),
    )
    .await;
    let budgeted = offer(
        &app,
        t,
        json!({"name": "Shipping", "kind": "free_shipping", "cost_per_redemption": 100,
               "budget": 900}),
    )
    .await;
    let open = offer(
        &app,
        t,
        json!({"name": "5 off", "kind": "fixed_discount", "amount": 500, "currency": "USD",
               "cost_per_redemption": 10}),
    )
    .await;
    let offers = [&capped, &budgeted, &open];
    // 6 batches of 4 accounts, each account ordering once with each offer's voucher: every
    // batch redeems vouchers of the three offers, all batches at once.
    let (batches, per_batch) = (6, 4);
    let mut bodies = Vec::new();
    for b in 0..batches {
        let mut items = Vec::new();
        for k in 0..per_batch {
            let a = account(&app, t, &format!("Batch {b} {k}")).await;
            for (n, o) in offers.iter().enumerate() {
                let code = issue(&app, t, o["id"].as_str().unwrap(), &a).await;
                items.push(order(&a, &format!("b{b}-{k}-{n}"), 2000, &[&code]));
            }
        }
        bodies.push(json!({ "orders": items }));
    }
    let answers = concurrently(&app, t, "/v1/orders/batch", bodies).await;
    // Per offer (an item's index modulo 3): created, and refused with which codes.
    let mut created = [0; 3];
    let mut refused: [BTreeMap<String, usize>; 3] = Default::default();
    for (status, body) in answers {
        assert_eq!(status, 200, "{body}");
        for item in body["results"].as_array().unwrap() {
            let n = usize::try_from(item["index"].as_u64().unwrap() % 3).unwrap();
            match item["status"].as_str().unwrap() {
                "created" => created[n] += 1,
                "rejected" => {
                    assert_eq!(item["error"]["status"], 409, "{item}");
                    let code = item["error"]["code"].as_str().unwrap().to_owned();
                    *refused[n].entry(code).or_default() += 1;
                }
                other => panic!("{other}: {item}"),
            }
        }
    }
    let all = batches * per_batch;
    assert_eq!(created, [7, 9, all]);
    assert_eq!(
        refused,
        [
            BTreeMap::from([("offer_redemption_cap_reached".to_owned(), all - 7)]),
            BTreeMap::from([("offer_budget_exhausted".to_owned(), all - 9)]),
            BTreeMap::new(),
        ]
    );
    // The counters count every redemption once, whichever batches raced.
    for (o, redemptions, spent) in [
        (&capped, 7, 0),
        (&budgeted, 9, 900),
        (&open, all, all * (500 + 10)),
    ] {
        let stored = get_offer(&app, t, o["id"].as_str().unwrap()).await;
        assert_eq!(
            (stored["redemptions"].clone(), stored["spent"].clone()),
            (json!(redemptions), json!(spent)),
            "{stored}"
        );
    }
    assert_eq!(events(&app, t, "voucher.redeemed").await.len(), 7 + 9 + all);
}

#[tokio::test]
async fn bad_codes_reject_the_order_and_write_nothing() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Bad").await;
    let other = app.workspace("Elsewhere").await;
    let t = &ws.owner_token;
    let o = offer(
        &app,
        t,
        json!({"name": "10 %", "kind": "percent_discount", "percent": 10}),
    )
    .await;
    let offer_id = o["id"].as_str().unwrap();
    let a = account(&app, t, "Buyer").await;
    let b = account(&app, t, "Someone else").await;
    let used = issue(&app, t, offer_id, &a).await;
    ok(
        app.post_as("/v1/orders", t, &order(&a, "used", 1000, &[&used]))
            .await,
        201,
    )
    .await;
    let others = issue(&app, t, offer_id, &b).await;
    let o2 = offer(
        &app,
        t,
        json!({"name": "15 %", "kind": "percent_discount", "percent": 15}),
    )
    .await;
    let expired = issue(&app, t, o2["id"].as_str().unwrap(), &a).await;
    sql(
        &app,
        &format!(
            "UPDATE vouchers SET valid_until = '2020-01-01 00:00:00' WHERE code = '{}'",
            stored(&expired)
        ),
    );
    let o3 = offer(&app, t, json!({"name": "Ship", "kind": "free_shipping"})).await;
    let cancelled = issue(&app, t, o3["id"].as_str().unwrap(), &a).await;
    ok(
        app.post_as(&format!("/v1/vouchers/{cancelled}/cancel"), t, &json!(null))
            .await,
        200,
    )
    .await;
    // The other workspace's voucher for its own account.
    let foreign_offer = offer(
        &app,
        &other.owner_token,
        json!({"name": "x", "kind": "free_shipping"}),
    )
    .await;
    let foreign_account = account(&app, &other.owner_token, "Foreigner").await;
    let foreign = issue(
        &app,
        &other.owner_token,
        foreign_offer["id"].as_str().unwrap(),
        &foreign_account,
    )
    .await;
    let cases = [
        ("2222-3333-4444-5555", "voucher_unknown"),
        ("not a code", "voucher_unknown"),
        (foreign.as_str(), "voucher_unknown"),
        (used.as_str(), "voucher_already_redeemed"),
        (others.as_str(), "voucher_not_for_account"),
        (expired.as_str(), "voucher_expired"),
        (cancelled.as_str(), "voucher_cancelled"),
    ];
    for (i, (code, expected)) in cases.iter().enumerate() {
        let res = app
            .post_as(
                "/v1/orders",
                t,
                &order(&a, &format!("bad-{i}"), 1000, &[code]),
            )
            .await;
        let problem = assert_problem(res, 422, expected).await;
        assert_eq!(problem["errors"][0]["field"], "voucher_codes");
    }
    // The same code twice in one order.
    let fresh = issue(&app, t, o3["id"].as_str().unwrap(), &a).await;
    let res = app
        .post_as(
            "/v1/orders",
            t,
            &order(&a, "twice", 1000, &[&fresh, &fresh]),
        )
        .await;
    assert_problem(res, 422, "voucher_duplicate").await;
    // A batch: every bad one rejected per item, the good one created.
    let mut items: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(i, (code, _))| order(&a, &format!("batch-bad-{i}"), 1000, &[code]))
        .collect();
    items.push(order(&a, "batch-good", 1000, &[&fresh]));
    let body = ok(
        app.post_as("/v1/orders/batch", t, &json!({ "orders": items }))
            .await,
        200,
    )
    .await;
    assert_eq!(
        (body["created"].clone(), body["rejected"].clone()),
        (json!(1), json!(7))
    );
    for (i, (_, expected)) in cases.iter().enumerate() {
        assert_eq!(body["results"][i]["status"], "rejected");
        assert_eq!(body["results"][i]["error"]["code"], *expected);
        assert_eq!(body["results"][i]["error"]["status"], 422);
    }
    // Nothing of the rejected orders: the first order and the batch's good one.
    let ext: BTreeSet<String> = orders_of(&app, t, &a)
        .await
        .iter()
        .map(|o| o["external_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        ext,
        BTreeSet::from(["used".to_owned(), "batch-good".to_owned()])
    );
    // The foreign voucher untouched; its code is unknown here.
    assert_eq!(
        app.get_as(&format!("/v1/vouchers/{foreign}"), t)
            .await
            .status(),
        404
    );
    let v = voucher(&app, &other.owner_token, &foreign).await;
    assert_eq!(v["voucher"]["state"], "issued");
    assert_eq!(events(&app, t, "voucher.redeemed").await.len(), 2);
}

#[tokio::test]
async fn a_full_refund_reinstates_or_expires_a_partial_keeps_it() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Refunds").await;
    let t = &ws.owner_token;
    let o = offer(
        &app,
        t,
        json!({"name": "20 %", "kind": "percent_discount", "percent": 20, "voucher_valid_days": 30}),
    )
    .await;
    let offer_id = o["id"].as_str().unwrap();
    let a = account(&app, t, "Refunder").await;
    let code = issue(&app, t, offer_id, &a).await;
    let first = ok(
        app.post_as("/v1/orders", t, &order(&a, "r-1", 8000, &[&code]))
            .await,
        201,
    )
    .await;
    let first_id = first["id"].as_str().unwrap();
    // Partial refund: still redeemed.
    ok(
        app.post_as(
            &format!("/v1/orders/{first_id}/refund"),
            t,
            &json!({"amount": 1000}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        voucher(&app, t, &code).await["voucher"]["state"],
        "redeemed"
    );
    assert_eq!(get_offer(&app, t, offer_id).await["redemptions"], 1);
    // Full refund (the rest): reinstated, the redemption given back.
    ok(
        app.post_as(&format!("/v1/orders/{first_id}/refund"), t, &json!({}))
            .await,
        200,
    )
    .await;
    let v = voucher(&app, t, &code).await;
    assert_eq!(v["voucher"]["state"], "issued");
    assert!(v["voucher"]["order_id"].is_null());
    assert_eq!(v["redeemable"], true);
    let o = get_offer(&app, t, offer_id).await;
    assert_eq!(
        (o["redemptions"].clone(), o["spent"].clone()),
        (json!(0), json!(0))
    );
    assert_eq!(events(&app, t, "voucher.reinstated").await.len(), 1);
    // It can be redeemed again; once that order is fully refunded after the voucher's
    // validity ended, the voucher expires instead.
    let second = ok(
        app.post_as("/v1/orders", t, &order(&a, "r-2", 4000, &[&code]))
            .await,
        201,
    )
    .await;
    assert_eq!(get_offer(&app, t, offer_id).await["spent"], 1000);
    sql(
        &app,
        &format!(
            "UPDATE vouchers SET valid_until = '2020-01-01 00:00:00' WHERE code = '{}'",
            stored(&code)
        ),
    );
    let second_id = second["id"].as_str().unwrap();
    ok(
        app.post_as(&format!("/v1/orders/{second_id}/refund"), t, &json!({}))
            .await,
        200,
    )
    .await;
    let v = voucher(&app, t, &code).await;
    assert_eq!(v["voucher"]["state"], "expired");
    let steps: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["to_state"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        ["issued", "redeemed", "issued", "redeemed", "expired"]
    );
    assert_eq!(get_offer(&app, t, offer_id).await["redemptions"], 0);
    assert_eq!(events(&app, t, "voucher.expired").await.len(), 1);
}

#[tokio::test]
async fn the_expiry_job_expires_and_announces_once() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Expiry").await;
    let t = &ws.owner_token;
    let o = offer(
        &app,
        t,
        json!({"name": "Ship", "kind": "free_shipping", "voucher_valid_days": 60}),
    )
    .await;
    let offer_id = o["id"].as_str().unwrap();
    let a = account(&app, t, "A").await;
    let b = account(&app, t, "B").await;
    let c = account(&app, t, "C").await;
    let past = issue(&app, t, offer_id, &a).await;
    let soon = issue(&app, t, offer_id, &b).await;
    let later = issue(&app, t, offer_id, &c).await;
    let now = rapport_api::service::now();
    let fmt = |d: chrono::NaiveDateTime| d.format("%Y-%m-%d %H:%M:%S").to_string();
    sql(
        &app,
        &format!(
            "UPDATE vouchers SET valid_until = '{}' WHERE code = '{}'; \
         UPDATE vouchers SET valid_until = '{}' WHERE code = '{}'",
            fmt(now - chrono::Duration::hours(1)),
            stored(&past),
            fmt(now + chrono::Duration::days(1)),
            stored(&soon)
        ),
    );
    let report = rapport_api::service::offers::jobs::run_jobs_now(&app.state, now)
        .await
        .unwrap();
    assert_eq!((report.expired_vouchers, report.expiring_announced), (1, 1));
    let again = rapport_api::service::offers::jobs::run_jobs_now(&app.state, now)
        .await
        .unwrap();
    assert_eq!((again.expired_vouchers, again.expiring_announced), (0, 0));
    assert_eq!(voucher(&app, t, &past).await["voucher"]["state"], "expired");
    assert_eq!(voucher(&app, t, &soon).await["voucher"]["state"], "issued");
    assert_eq!(voucher(&app, t, &later).await["voucher"]["state"], "issued");
    let expired = events(&app, t, "voucher.expired").await;
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["data"]["object"]["account_id"], a.as_str());
    let expiring = events(&app, t, "offer.expiring").await;
    assert_eq!(expiring.len(), 1);
    assert_eq!(expiring[0]["data"]["object"]["account_id"], b.as_str());
    // The expired voucher is no longer a personal offer; the others are, in the profile too.
    let open = ok(
        app.get_as(&format!("/v1/accounts/{a}/offers"), t).await,
        200,
    )
    .await;
    assert!(open["data"].as_array().unwrap().is_empty());
    let all = ok(
        app.get_as(&format!("/v1/accounts/{a}/offers?state=all"), t)
            .await,
        200,
    )
    .await;
    assert_eq!(all["data"][0]["voucher"]["state"], "expired");
    let profile = ok(
        app.get_as(&format!("/v1/accounts/{b}/profile"), t).await,
        200,
    )
    .await;
    assert_eq!(profile["offers"].as_array().unwrap().len(), 1);
    assert_eq!(profile["offers"][0]["offer"]["id"], offer_id);
    assert_eq!(profile["offers"][0]["voucher"]["code"], soon.as_str());
}

#[tokio::test]
async fn issue_follows_eligibility_and_segments() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Issue").await;
    let t = &ws.owner_token;
    let tagged: Vec<String> = {
        let mut ids = Vec::new();
        for i in 0..3 {
            let res = app
                .post_as(
                    "/v1/accounts",
                    t,
                    &json!({"kind": "person", "name": format!("V {i}"), "tags": ["vip"],
                            "marketing_consent": {"email": {"granted": i != 2}}}),
                )
                .await;
            ids.push(ok(res, 201).await["id"].as_str().unwrap().to_owned());
        }
        ids
    };
    let outsider = account(&app, t, "Outsider").await;
    let seg = ok(
        app.post_as(
            "/v1/segments",
            t,
            &json!({"name": "VIP", "rule": {"field": "tags", "op": "contains", "value": "vip"}}),
        )
        .await,
        201,
    )
    .await;
    let seg_id = seg["id"].as_str().unwrap();
    let o = offer(
        &app,
        t,
        json!({"name": "VIP", "kind": "free_shipping",
               "eligibility": {"segment_id": seg_id, "channel_consent": "email"}}),
    )
    .await;
    let offer_id = o["id"].as_str().unwrap();
    let res = app
        .post_as(
            &format!("/v1/offers/{offer_id}/issue"),
            t,
            &json!({"account_id": outsider}),
        )
        .await;
    assert_problem(res, 422, "offer_not_eligible").await;
    let res = app
        .post_as(
            &format!("/v1/offers/{offer_id}/issue"),
            t,
            &json!({"segment_id": seg_id}),
        )
        .await;
    let body = ok(res, 201).await;
    assert_eq!(
        (body["issued"].clone(), body["ineligible"].clone()),
        (json!(2), json!(1))
    );
    let holders: BTreeSet<&str> = body["vouchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["account_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        holders,
        BTreeSet::from([tagged[0].as_str(), tagged[1].as_str()])
    );
    // Codes: 16 symbols of the readable alphabet, all different.
    let codes: BTreeSet<String> = body["vouchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| stored(v["code"].as_str().unwrap()))
        .collect();
    assert_eq!(codes.len(), 2);
    assert!(codes.iter().all(|c| c.len() == 16
        && c.chars()
            .all(|ch| "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains(ch))));
    // Again: the holders are left out.
    let res = app
        .post_as(
            &format!("/v1/offers/{offer_id}/issue"),
            t,
            &json!({"segment_id": seg_id}),
        )
        .await;
    let again = ok(res, 201).await;
    assert_eq!(
        (again["issued"].clone(), again["already_holding"].clone()),
        (json!(0), json!(2))
    );
    assert_eq!(get_offer(&app, t, offer_id).await["issued"], 2);
    assert_eq!(events(&app, t, "voucher.issued").await.len(), 2);
    // Viewed, then the till sees it.
    let code = body["vouchers"][0]["code"].as_str().unwrap();
    let viewed = ok(
        app.post_as(&format!("/v1/vouchers/{code}/view"), t, &json!(null))
            .await,
        200,
    )
    .await;
    assert_eq!(viewed["state"], "viewed");
    let v = voucher(&app, t, &code.to_lowercase()).await;
    assert_eq!(v["redeemable"], true);
    // GraphQL agrees.
    let gql = app
        .graphql_as(
            t,
            "query($c: String!) { voucher(code: $c) { redeemable voucher { state } offer { name } } }",
            json!({"c": code}),
        )
        .await;
    assert_eq!(
        gql["data"]["voucher"]["voucher"]["state"], "viewed",
        "{gql}"
    );
    assert_eq!(gql["data"]["voucher"]["offer"]["name"], "VIP");
}

#[tokio::test]
async fn next_best_offers_rank_by_a_hand_computation() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Nbo").await;
    let t = &ws.owner_token;
    // The customer: two orders, 3000 and 5000.
    let x = account(&app, t, "Customer").await;
    for (i, amount) in [3000, 5000].into_iter().enumerate() {
        ok(
            app.post_as("/v1/orders", t, &order(&x, &format!("x-{i}"), amount, &[]))
                .await,
            201,
        )
        .await;
    }
    // A campaign that measured a relative uplift of exactly 1.0: every treated member buys
    // 1000, every control member 500.
    let mut members = Vec::new();
    for i in 0..40 {
        let res = app
            .post_as(
                "/v1/accounts",
                t,
                &json!({"kind": "person", "name": format!("M {i}"), "tags": ["nbo"],
                        "marketing_consent": {"email": {"granted": true}}}),
            )
            .await;
        members.push(ok(res, 201).await["id"].as_str().unwrap().to_owned());
    }
    let seg = ok(
        app.post_as(
            "/v1/segments",
            t,
            &json!({"name": "NBO", "rule": {"field": "tags", "op": "contains", "value": "nbo"}}),
        )
        .await,
        201,
    )
    .await;
    let campaign = ok(
        app.post_as(
            "/v1/campaigns",
            t,
            &json!({"name": "Measured", "channel": "email", "segment_id": seg["id"],
                    "control_share": 0.5, "stratify": false, "respect_global_control": false}),
        )
        .await,
        201,
    )
    .await;
    let cid = campaign["id"].as_str().unwrap();
    ok(
        app.post_as(&format!("/v1/campaigns/{cid}/launch"), t, &json!(null))
            .await,
        200,
    )
    .await;
    let listed = ok(
        app.get_as(&format!("/v1/campaigns/{cid}/members?limit=500"), t)
            .await,
        200,
    )
    .await;
    let mut batch = Vec::new();
    for (i, m) in listed["data"].as_array().unwrap().iter().enumerate() {
        let amount = if m["arm"] == "treatment" { 1000 } else { 500 };
        batch.push(order(
            m["account_id"].as_str().unwrap(),
            &format!("m-{i}"),
            amount,
            &[],
        ));
    }
    ok(
        app.post_as("/v1/orders/batch", t, &json!({ "orders": batch }))
            .await,
        200,
    )
    .await;
    // The offers.
    let a = offer(
        &app,
        t,
        json!({"name": "A", "kind": "percent_discount", "percent": 10}),
    )
    .await;
    let b = offer(
        &app,
        t,
        json!({"name": "B", "kind": "free_shipping", "cost_per_redemption": 100}),
    )
    .await;
    let d = offer(
        &app,
        t,
        json!({"name": "D", "kind": "custom", "benefit": "Early access", "cost_per_redemption": 300,
               "campaign_id": cid}),
    )
    .await;
    offer(
        &app,
        t,
        json!({"name": "E", "kind": "free_shipping", "eligibility": {"risk_bands": ["lost"]}}),
    )
    .await;
    offer(
        &app,
        t,
        json!({"name": "F", "kind": "free_shipping", "status": "paused"}),
    )
    .await;
    // By hand, from the customer's metrics.
    let m = ok(
        app.get_as(&format!("/v1/accounts/{x}/metrics"), t).await,
        200,
    )
    .await;
    let (value, p_use, order_value) = match (
        m["expected_orders_90d"].as_f64(),
        m["expected_order_value"].as_f64(),
    ) {
        (Some(n), Some(v)) => (n * v, n.min(1.0), v),
        _ => {
            assert_eq!(m["average_order_value"], 4000);
            (4000.0, 1.0, 4000.0)
        }
    };
    let expected = [
        (
            d["id"].clone(),
            1.0 * value - p_use * 300.0,
            1.0,
            "campaign",
        ),
        (
            b["id"].clone(),
            0.05 * value - p_use * 100.0,
            0.05,
            "default",
        ),
        (
            a["id"].clone(),
            0.05 * value - p_use * 0.10 * order_value,
            0.05,
            "default",
        ),
    ];
    let mut expected = expected.to_vec();
    expected.sort_by(|x, y| y.1.total_cmp(&x.1));
    let got = ok(
        app.get_as(&format!("/v1/accounts/{x}/next-best-offers"), t)
            .await,
        200,
    )
    .await;
    let got = got["data"].as_array().unwrap();
    assert_eq!(got.len(), 3, "{got:?}");
    for (g, (id, margin, uplift, source)) in got.iter().zip(&expected) {
        assert_eq!(g["offer"]["id"], *id);
        assert!(
            (g["expected_incremental_margin"].as_f64().unwrap() - margin).abs() < 1e-6,
            "{g}"
        );
        assert!((g["uplift"].as_f64().unwrap() - uplift).abs() < 1e-9, "{g}");
        assert_eq!(g["uplift_source"], *source);
        assert!(g["explanation"].as_str().unwrap().contains("uplift"));
    }
    // GraphQL agrees.
    let gql = app
        .graphql_as(
            t,
            "query($id: ID!) { account(id: $id) { nextBestOffers { offer { id } expectedIncrementalMargin } } }",
            json!({"id": x}),
        )
        .await;
    let list = gql["data"]["account"]["nextBestOffers"]
        .as_array()
        .unwrap_or_else(|| panic!("{gql}"));
    assert_eq!(list[0]["offer"]["id"], expected[0].0);
    assert_eq!(list.len(), 3);
}

async fn ledger(app: &TestApp, t: &str, account_id: &str) -> Vec<(String, String, i64)> {
    let res = app
        .get_as(
            &format!("/v1/accounts/{account_id}/loyalty/ledger?limit=500"),
            t,
        )
        .await;
    let mut out: Vec<(String, String, i64)> = ok(res, 200).await["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["source_type"].as_str().unwrap().to_owned(),
                e["points"].as_i64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn bonus_points_go_through_the_loyalty_ledger_and_come_back_on_a_full_refund() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Bonus").await;
    let t = &ws.owner_token;
    // 1 point per 100 minor units.
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
    ok(res, 200).await;
    let fixed = offer(
        &app,
        t,
        json!({"name": "250 points", "kind": "bonus_points", "points": 250}),
    )
    .await;
    let double = offer(
        &app,
        t,
        json!({"name": "Double", "kind": "bonus_points", "points_multiplier": 2.0}),
    )
    .await;
    let a = account(&app, t, "Collector").await;
    let c1 = issue(&app, t, fixed["id"].as_str().unwrap(), &a).await;
    let c2 = issue(&app, t, double["id"].as_str().unwrap(), &a).await;
    let o1 = ok(
        app.post_as("/v1/orders", t, &order(&a, "p-1", 10_000, &[&c1]))
            .await,
        201,
    )
    .await;
    ok(
        app.post_as("/v1/orders", t, &order(&a, "p-2", 5_000, &[&c2]))
            .await,
        201,
    )
    .await;
    // 100 for the first order, 250 bonus; the second earns 50 × 2 = 100.
    assert_eq!(
        ledger(&app, t, &a).await,
        vec![
            ("earn".to_owned(), "offer".to_owned(), 250),
            ("earn".to_owned(), "order".to_owned(), 100),
            ("earn".to_owned(), "order".to_owned(), 100),
        ]
    );
    assert_eq!(voucher(&app, t, &c1).await["voucher"]["bonus_points"], 250);
    assert_eq!(voucher(&app, t, &c2).await["voucher"]["bonus_points"], 50);
    // A full refund of the first order takes back its points and the bonus, once.
    let id = o1["id"].as_str().unwrap();
    ok(
        app.post_as(&format!("/v1/orders/{id}/refund"), t, &json!({}))
            .await,
        200,
    )
    .await;
    let after = ledger(&app, t, &a).await;
    let total: i64 = after.iter().map(|e| e.2).sum();
    assert_eq!(total, 100, "{after:?}");
    assert!(
        after.contains(&("reverse".to_owned(), "offer".to_owned(), -250)),
        "{after:?}"
    );
    let v = voucher(&app, t, &c1).await;
    assert_eq!(
        (
            v["voucher"]["state"].clone(),
            v["voucher"]["bonus_points"].clone()
        ),
        (json!("issued"), json!(0))
    );
}

/// Issuing to a segment fills `vouchers` and `voucher_history` in bulk: on PostgreSQL their
/// planner statistics are refreshed afterwards (never analyzed before), so the order batches
/// redeeming the codes are planned on the tables' real size. SQLite reads no statistics.
#[tokio::test]
async fn issuing_to_a_segment_refreshes_the_vouchers_statistics() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Stats").await;
    let t = &ws.owner_token;
    for part in 0..2 {
        let accounts: Vec<Value> = (0..350)
            .map(|i| {
                json!({"kind": "person", "name": format!("Bulk {part}-{i}"),
                             "external_id": format!("bulk-{part}-{i}"), "tags": ["bulk"]})
            })
            .collect();
        let res = app
            .post_as("/v1/accounts/batch", t, &json!({ "accounts": accounts }))
            .await;
        assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    }
    let seg = ok(
        app.post_as(
            "/v1/segments",
            t,
            &json!({"name": "Bulk", "rule": {"field": "tags", "op": "contains", "value": "bulk"}}),
        )
        .await,
        201,
    )
    .await;
    let o = offer(&app, t, json!({"name": "Bulk", "kind": "free_shipping"})).await;
    let res = app
        .post_as(
            &format!("/v1/offers/{}/issue", o["id"].as_str().unwrap()),
            t,
            &json!({"segment_id": seg["id"]}),
        )
        .await;
    let issued = ok(res, 201).await;
    assert_eq!(issued["issued"], 700, "{issued}");
    let mut conn = app.db.connect();
    if let rapport_persistence::DbConn::Pg(c) = &mut conn {
        #[derive(diesel::QueryableByName)]
        struct Analyzed {
            #[diesel(sql_type = diesel::sql_types::Text)]
            relname: String,
        }
        use diesel::RunQueryDsl;
        let mut analyzed: Vec<String> = diesel::sql_query(
            "SELECT relname::text AS relname FROM pg_stat_user_tables \
             WHERE relname IN ('vouchers', 'voucher_history') AND last_analyze IS NOT NULL",
        )
        .load::<Analyzed>(c)
        .unwrap()
        .into_iter()
        .map(|r| r.relname)
        .collect();
        analyzed.sort();
        assert_eq!(analyzed, ["voucher_history", "vouchers"]);
    }
}
