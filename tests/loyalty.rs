//! Loyalty points over HTTP and through the service functions other features call: the
//! programme, redemptions under concurrency and retries, earn -> refund -> expiry -> redeem
//! against a ledger kept by hand, adjustments, rewards, the jobs and GraphQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{Duration, NaiveDateTime};
use common::{assert_problem, TestApp, Workspace};
use rapport_api::auth::Principal;
use rapport_api::service::loyalty;
use reqwest::Method;
use serde_json::{json, Value};

fn program(pending_days: u32, expiry_months: Option<u32>) -> Value {
    json!({
        "currency": "EUR",
        "earn_rate": {"numerator": 1, "denominator": 100},
        "rounding": "down",
        "qualification": "spend",
        "qualification_window_days": 365,
        "tiers": [
            {"name": "Bronze", "threshold": 0, "multiplier_permille": 1000},
            {"name": "Silver", "threshold": 50000, "multiplier_permille": 1500, "benefits": "Free shipping"}
        ],
        "expiry_months": expiry_months,
        "pending_days": pending_days
    })
}

async fn setup(
    app: &TestApp,
    pending_days: u32,
    expiry_months: Option<u32>,
) -> (Workspace, String) {
    let ws = app.workspace("Loyal").await;
    let res = app
        .send(
            Method::PUT,
            "/v1/loyalty/program",
            &ws.owner_token,
            Some(&program(pending_days, expiry_months)),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let account: Value = app
        .post_as(
            "/v1/accounts",
            &ws.owner_token,
            &json!({"kind": "person", "name": "Loyal customer"}),
        )
        .await
        .json()
        .await
        .unwrap();
    (ws, account["id"].as_str().unwrap().to_owned())
}

async fn adjust(app: &TestApp, ws: &Workspace, account: &str, points: i64) {
    let res = app
        .post_as(
            &format!("/v1/accounts/{account}/loyalty/adjust"),
            &ws.owner_token,
            &json!({"points": points, "reason": "test credit"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
}

async fn balance(app: &TestApp, ws: &Workspace, account: &str) -> Value {
    let res = app
        .get_as(&format!("/v1/accounts/{account}/loyalty"), &ws.owner_token)
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Every ledger entry of the account, following the cursor.
async fn ledger(app: &TestApp, ws: &Workspace, account: &str) -> Vec<Value> {
    let mut entries = Vec::new();
    let mut after = String::new();
    loop {
        let res = app
            .get_as(
                &format!("/v1/accounts/{account}/loyalty/ledger?limit=7{after}"),
                &ws.owner_token,
            )
            .await;
        assert_eq!(res.status(), 200);
        let page: Value = res.json().await.unwrap();
        entries.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => after = format!("&after={c}"),
            None => return entries,
        }
    }
}

fn ledger_sum(entries: &[Value]) -> i64 {
    entries.iter().map(|e| e["points"].as_i64().unwrap()).sum()
}

#[tokio::test]
async fn the_programme_is_validated_field_by_field_and_admin_only() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Prog").await;
    let res = app.get_as("/v1/loyalty/program", &ws.owner_token).await;
    assert_problem(res, 404, "not_found").await;

    let mut bad = program(14, Some(12));
    bad["currency"] = json!("euro");
    bad["earn_rate"]["denominator"] = json!(0);
    bad["tiers"][1]["threshold"] = json!(0);
    bad["rounding"] = json!("sideways");
    let res = app
        .send(
            Method::PUT,
            "/v1/loyalty/program",
            &ws.owner_token,
            Some(&bad),
        )
        .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in [
        "currency",
        "earn_rate.denominator",
        "tiers[1].threshold",
        "rounding",
    ] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }

    let res = app
        .send(
            Method::PUT,
            "/v1/loyalty/program",
            &ws.owner_token,
            Some(&program(14, Some(12))),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"v1\"");
    let res = app.get_as("/v1/loyalty/program", &ws.owner_token).await;
    let got: Value = res.json().await.unwrap();
    assert_eq!(got["tiers"][1]["benefits"], "Free shipping");
    assert_eq!(got["expiry_months"], 12);
    assert_eq!(got["allow_downgrade"], true);

    // A stale If-Match is refused; a key with loyalty:write may not change the programme.
    let res = app
        .http
        .put(app.url("/v1/loyalty/program"))
        .bearer_auth(&ws.owner_token)
        .header("if-match", "\"v7\"")
        .json(&program(0, None))
        .send()
        .await
        .unwrap();
    assert_problem(res, 412, "precondition_failed").await;
    let (_, key) = app.api_key(&ws, &["loyalty:read", "loyalty:write"]).await;
    let res = app
        .send(
            Method::PUT,
            "/v1/loyalty/program",
            &key,
            Some(&program(0, None)),
        )
        .await;
    assert_problem(res, 403, "insufficient_scope").await;
}

#[tokio::test]
async fn fifty_concurrent_redemptions_of_ten_against_a_hundred_give_ten_successes() {
    let app = TestApp::spawn().await;
    let (ws, account) = setup(&app, 0, None).await;
    adjust(&app, &ws, &account, 100).await;

    let path = format!("/v1/accounts/{account}/loyalty/redeem");
    let responses =
        concurrent_posts(&app, &path, &ws.owner_token, &json!({"points": 10}), 50).await;
    let mut created = 0;
    let mut refused = 0;
    for res in responses {
        match res.status().as_u16() {
            201 => created += 1,
            409 => {
                assert_problem(res, 409, "insufficient_points").await;
                refused += 1;
            }
            other => panic!("unexpected status {other}: {}", res.text().await.unwrap()),
        }
    }
    assert_eq!((created, refused), (10, 40));
    let b = balance(&app, &ws, &account).await;
    assert_eq!(b["available"], 0);
    assert_eq!(b["ledger_balance"], 0);
    let entries = ledger(&app, &ws, &account).await;
    assert_eq!(entries.len(), 11);
    assert_eq!(ledger_sum(&entries), 0);
    let res = app
        .post_as(&path, &ws.owner_token, &json!({"points": 1}))
        .await;
    assert_problem(res, 409, "insufficient_points").await;
}

/// Sends `n` identical POSTs at once and returns the responses.
async fn concurrent_posts(
    app: &TestApp,
    path: &str,
    token: &str,
    body: &Value,
    n: usize,
) -> Vec<reqwest::Response> {
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let req = app.http.post(app.url(path)).bearer_auth(token).json(body);
            tokio::spawn(req.send())
        })
        .collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap().unwrap());
    }
    out
}

#[tokio::test]
async fn a_retried_redemption_with_the_same_key_is_applied_once() {
    let app = TestApp::spawn().await;
    let (ws, account) = setup(&app, 0, None).await;
    adjust(&app, &ws, &account, 100).await;
    let path = format!("/v1/accounts/{account}/loyalty/redeem");
    let send = |body: Value| {
        app.http
            .post(app.url(&path))
            .bearer_auth(&ws.owner_token)
            .header("idempotency-key", "checkout-42")
            .json(&body)
            .send()
    };
    let first = send(json!({"points": 30})).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["available_after"], 70);
    assert_eq!(first["status"], "completed");
    let again = send(json!({"points": 30})).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again, first);
    let other = send(json!({"points": 31})).await.unwrap();
    assert_problem(other, 409, "idempotency_key_reused").await;

    assert_eq!(balance(&app, &ws, &account).await["available"], 70);
    let entries = ledger(&app, &ws, &account).await;
    let redeems: Vec<&Value> = entries.iter().filter(|e| e["kind"] == "redeem").collect();
    assert_eq!(redeems.len(), 1);
    assert_eq!(redeems[0]["points"], -30);
    let res = app
        .get_as(
            &format!("/v1/accounts/{account}/loyalty/redemptions"),
            &ws.owner_token,
        )
        .await;
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
}

/// Runs `f` in a write transaction on `conn`, as the orders feature will.
fn tx<T>(
    conn: &mut rapport_persistence::DbConn,
    ws: &str,
    f: impl FnOnce(
        &mut rapport_persistence::DbConn,
        &mut rapport_api::service::pipeline::WriteContext,
    ) -> Result<T, rapport_api::error::ApiError>,
) -> T {
    in_tx(conn, ws, f).unwrap()
}

/// A write transaction through the pipeline as the system actor; the effects are not
/// applied (these tests read balances, which are not cached).
fn in_tx<T>(
    conn: &mut rapport_persistence::DbConn,
    ws: &str,
    f: impl FnOnce(
        &mut rapport_persistence::DbConn,
        &mut rapport_api::service::pipeline::WriteContext,
    ) -> Result<T, rapport_api::error::ApiError>,
) -> Result<T, rapport_api::error::ApiError> {
    rapport_api::service::pipeline::transact(conn, &Principal::system(ws), f).map(|(v, _)| v)
}

fn ago(now: NaiveDateTime, days: i64) -> NaiveDateTime {
    now - Duration::days(days)
}

#[tokio::test]
async fn earn_refund_expiry_and_redeem_match_a_ledger_kept_by_hand() {
    let app = TestApp::spawn().await;
    // 1 point per EUR, 14 days pending, 12 months expiry.
    let (ws, account) = setup(&app, 14, Some(12)).await;
    let mut conn = app.db.connect();
    let now = rapport_api::service::now();
    let mut by_hand: Vec<i64> = Vec::new();

    // Order A, 400 days ago: 100.00 EUR -> 100 points (its lot has expired by now).
    let a = tx(&mut conn, &ws.id, |c, cx| {
        loyalty::earn_for_order(
            c,
            cx,
            &ws.id,
            &account,
            "order-a",
            10_000,
            "EUR",
            ago(now, 400),
            now,
        )
    })
    .unwrap();
    assert_eq!(a.points, 100);
    by_hand.push(100);
    // The same order again: nothing changes.
    let again = tx(&mut conn, &ws.id, |c, cx| {
        loyalty::earn_for_order(
            c,
            cx,
            &ws.id,
            &account,
            "order-a",
            10_000,
            "EUR",
            ago(now, 400),
            now,
        )
    })
    .unwrap();
    assert_eq!(again.id, a.id);
    // An order in another currency earns nothing.
    assert!(tx(&mut conn, &ws.id, |c, cx| {
        loyalty::earn_for_order(
            c,
            cx,
            &ws.id,
            &account,
            "order-usd",
            10_000,
            "USD",
            now,
            now,
        )
    })
    .is_none());

    // 40.00 of A refunded: 40 points back out of its lot.
    let r = tx(&mut conn, &ws.id, |c, cx| {
        loyalty::reverse_for_order_refund(
            c,
            cx,
            &ws.id,
            &account,
            "order-a",
            "refund-a1",
            4_000,
            10_000,
            now,
        )
    })
    .unwrap();
    assert_eq!(r.points, -40);
    by_hand.push(-40);
    let same = tx(&mut conn, &ws.id, |c, cx| {
        loyalty::reverse_for_order_refund(
            c,
            cx,
            &ws.id,
            &account,
            "order-a",
            "refund-a1",
            4_000,
            10_000,
            now,
        )
    })
    .unwrap();
    assert_eq!(same.id, r.id, "a refund is reversed once");

    // Order B 30 days ago (25.50 -> 25) and C 20 days ago (100.00 -> 100): spendable now.
    tx(&mut conn, &ws.id, |c, cx| {
        loyalty::earn_for_order(
            c,
            cx,
            &ws.id,
            &account,
            "order-b",
            2_550,
            "EUR",
            ago(now, 30),
            now,
        )
    });
    by_hand.push(25);
    tx(&mut conn, &ws.id, |c, cx| {
        loyalty::earn_for_order(
            c,
            cx,
            &ws.id,
            &account,
            "order-c",
            10_000,
            "EUR",
            ago(now, 20),
            now,
        )
    });
    by_hand.push(100);
    // Order D today: 100 points, pending for 14 days.
    tx(&mut conn, &ws.id, |c, cx| {
        loyalty::earn_for_order(c, cx, &ws.id, &account, "order-d", 10_000, "EUR", now, now)
    });
    by_hand.push(100);

    let b = balance(&app, &ws, &account).await;
    assert_eq!(b["available"], 125, "A's 60 are past expiry: not spendable");
    assert_eq!(
        b["ledger_balance"], 285,
        "until the job takes them out of the ledger"
    );
    assert_eq!(b["pending"], 100);

    // The expiry job takes A's remaining 60; a second run changes nothing.
    let report = loyalty::run_jobs(&mut conn, now).unwrap().0;
    assert_eq!((report.expired_lots, report.expired_points), (1, 60));
    by_hand.push(-60);
    let report = loyalty::run_jobs(&mut conn, now).unwrap().0;
    assert_eq!((report.expired_lots, report.expired_points), (0, 0));
    let b = balance(&app, &ws, &account).await;
    assert_eq!(
        (b["available"].as_i64(), b["pending"].as_i64()),
        (Some(125), Some(100))
    );
    assert_eq!(b["lifetime_earned"], 100 - 40 + 25 + 100 + 100);

    // Redeem 110: B's 25, then 85 of C.
    let res = app
        .post_as(
            &format!("/v1/accounts/{account}/loyalty/redeem"),
            &ws.owner_token,
            &json!({"points": 110}),
        )
        .await;
    assert_eq!(res.status(), 201);
    by_hand.push(-110);
    assert_eq!(res.json::<Value>().await.unwrap()["available_after"], 15);

    // C refunded in full after its points were mostly spent: 15 back from the lot, 85 owed.
    let r = tx(&mut conn, &ws.id, |c, cx| {
        loyalty::reverse_for_order_refund(
            c,
            cx,
            &ws.id,
            &account,
            "order-c",
            "refund-c1",
            10_000,
            10_000,
            now,
        )
    })
    .unwrap();
    assert_eq!(r.points, -100);
    by_hand.push(-100);
    let b = balance(&app, &ws, &account).await;
    assert_eq!(
        (b["available"].as_i64(), b["debt"].as_i64()),
        (Some(-85), Some(85))
    );
    let res = app
        .post_as(
            &format!("/v1/accounts/{account}/loyalty/redeem"),
            &ws.owner_token,
            &json!({"points": 1}),
        )
        .await;
    assert_problem(res, 409, "insufficient_points").await;

    // An adjustment of 100 pays the debt first.
    adjust(&app, &ws, &account, 100).await;
    by_hand.push(100);
    let b = balance(&app, &ws, &account).await;
    assert_eq!(
        (b["available"].as_i64(), b["debt"].as_i64()),
        (Some(15), Some(0))
    );

    let entries = ledger(&app, &ws, &account).await;
    let expected: i64 = by_hand.iter().sum();
    assert_eq!(ledger_sum(&entries), expected);
    assert_eq!(b["ledger_balance"].as_i64(), Some(expected));
    assert_eq!(expected, 15 + 100, "available + pending - debt");
    assert_eq!(entries.len(), by_hand.len());
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["adjust", "reverse", "redeem", "expire", "earn", "earn", "earn", "reverse", "earn"]
    );
}

#[tokio::test]
async fn adjustments_need_admin_and_a_reason_and_are_audited() {
    let app = TestApp::spawn().await;
    let (ws, account) = setup(&app, 0, None).await;
    let path = format!("/v1/accounts/{account}/loyalty/adjust");
    let res = app
        .post_as(
            &path,
            &ws.owner_token,
            &json!({"points": 5, "reason": "  "}),
        )
        .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "reason");
    let (_, key) = app.api_key(&ws, &["loyalty:write"]).await;
    let res = app
        .post_as(&path, &key, &json!({"points": 5, "reason": "why not"}))
        .await;
    assert_problem(res, 403, "insufficient_scope").await;
    let res = app
        .post_as(
            &path,
            &ws.owner_token,
            &json!({"points": -5, "reason": "fraud"}),
        )
        .await;
    assert_problem(res, 409, "insufficient_points").await;
    adjust(&app, &ws, &account, 20).await;
    let res = app
        .post_as(
            &path,
            &ws.owner_token,
            &json!({"points": -5, "reason": "fraud"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(balance(&app, &ws, &account).await["available"], 15);
    let log: Value = app
        .get_as("/v1/audit-log?resource_type=account", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    let adjustments: Vec<&Value> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "loyalty.adjust")
        .collect();
    assert_eq!(adjustments.len(), 2);
    assert_eq!(adjustments[0]["after"]["reason"], "fraud");
}

#[tokio::test]
async fn rewards_take_stock_atomically_and_respect_their_window() {
    let app = TestApp::spawn().await;
    let (ws, account) = setup(&app, 0, None).await;
    adjust(&app, &ws, &account, 1000).await;
    let res = app
        .post_as(
            "/v1/loyalty/rewards",
            &ws.owner_token,
            &json!({"name": "Mug", "points_cost": 100, "stock": 2}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let mug: Value = res.json().await.unwrap();
    let mug_id = mug["id"].as_str().unwrap();
    let redeem = format!("/v1/accounts/{account}/loyalty/redeem");

    let mut statuses: Vec<u16> = concurrent_posts(
        &app,
        &redeem,
        &ws.owner_token,
        &json!({"reward_id": mug_id}),
        5,
    )
    .await
    .iter()
    .map(|r| r.status().as_u16())
    .collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 201, 409, 409, 409]);
    let got: Value = app
        .get_as(&format!("/v1/loyalty/rewards/{mug_id}"), &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got["stock"], 0);
    assert_eq!(balance(&app, &ws, &account).await["available"], 800);
    let res = app
        .post_as(&redeem, &ws.owner_token, &json!({"reward_id": mug_id}))
        .await;
    assert_problem(res, 409, "out_of_stock").await;

    // A reward whose window has not opened yet.
    let res = app
        .post_as(
            "/v1/loyalty/rewards",
            &ws.owner_token,
            &json!({"name": "Later", "points_cost": 1, "available_from": "2999-01-01T00:00:00Z"}),
        )
        .await;
    let later: Value = res.json().await.unwrap();
    let res = app
        .post_as(&redeem, &ws.owner_token, &json!({"reward_id": later["id"]}))
        .await;
    assert_problem(res, 409, "reward_unavailable").await;

    // Patch and delete with versions.
    let res = app
        .http
        .patch(app.url(&format!("/v1/loyalty/rewards/{mug_id}")))
        .bearer_auth(&ws.owner_token)
        .header("if-match", format!("\"v{}\"", got["version"]))
        .json(&json!({"stock": 10}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let res = app
        .send(
            Method::PATCH,
            &format!("/v1/loyalty/rewards/{mug_id}"),
            &ws.owner_token,
            Some(&json!({"points_cost": 0})),
        )
        .await;
    let body = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "points_cost");
    let res = app
        .send(
            Method::DELETE,
            &format!("/v1/loyalty/rewards/{mug_id}"),
            &ws.owner_token,
            None,
        )
        .await;
    assert_eq!(res.status(), 204);
    let list: Value = app
        .get_as("/v1/loyalty/rewards", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn tiers_upgrade_on_earning_and_the_job_downgrades_when_the_window_passes() {
    let app = TestApp::spawn().await;
    let (ws, account) = setup(&app, 0, None).await;
    let mut conn = app.db.connect();
    let now = rapport_api::service::now();
    // 600.00 EUR 100 days ago: Silver (threshold 500.00); the order itself earns at Bronze.
    let e = in_tx(&mut conn, &ws.id, |c, cx| {
        loyalty::earn_for_order(
            c,
            cx,
            &ws.id,
            &account,
            "big",
            60_000,
            "eur",
            ago(now, 100),
            now,
        )
    })
    .unwrap()
    .unwrap();
    assert_eq!(e.points, 600);
    let b = balance(&app, &ws, &account).await;
    assert_eq!(b["tier"]["name"], "Silver");
    assert!(b["next_tier"].is_null());
    // The next order earns 1.5x.
    let e = in_tx(&mut conn, &ws.id, |c, cx| {
        loyalty::earn_for_order(
            c,
            cx,
            &ws.id,
            &account,
            "next",
            10_000,
            "EUR",
            ago(now, 99),
            now,
        )
    })
    .unwrap()
    .unwrap();
    assert_eq!(e.points, 150);
    // Today the job keeps Silver; a year later the window is empty and it downgrades, once.
    let report = loyalty::run_jobs(&mut conn, now).unwrap().0;
    assert_eq!((report.upgrades, report.downgrades), (0, 0));
    let later = now + Duration::days(300);
    let report = loyalty::run_jobs(&mut conn, later).unwrap().0;
    assert_eq!(report.downgrades, 1);
    let report = loyalty::run_jobs(&mut conn, later).unwrap().0;
    assert_eq!(report.downgrades, 0);
    let b = balance(&app, &ws, &account).await;
    assert_eq!(b["tier"]["name"], "Bronze");
    assert_eq!(b["next_tier"]["name"], "Silver");
}

#[tokio::test]
async fn graphql_serves_the_same_loyalty() {
    let app = TestApp::spawn().await;
    let (ws, account) = setup(&app, 0, None).await;
    let out = app
        .graphql_as(
            &ws.owner_token,
            "mutation($a: ID!) { adjustPoints(accountId: $a, input: {points: 40, reason: \"welcome\"}) { points kind } }",
            json!({"a": account}),
        )
        .await;
    assert_eq!(out["data"]["adjustPoints"]["points"], "40", "{out}");
    let q = "mutation($a: ID!) { redeemPoints(accountId: $a, input: {points: 15}, idempotencyKey: \"g-1\") { points availableAfter } }";
    let first = app
        .graphql_as(&ws.owner_token, q, json!({"a": account}))
        .await;
    let again = app
        .graphql_as(&ws.owner_token, q, json!({"a": account}))
        .await;
    assert_eq!(
        first["data"]["redeemPoints"]["availableAfter"], "25",
        "{first}"
    );
    assert_eq!(first, again);
    let out = app
        .graphql_as(
            &ws.owner_token,
            "query($a: ID!) { loyaltyProgram { currency tiers { name } } loyaltyBalance(accountId: $a) { available tier { name } } loyaltyLedger(accountId: $a, first: 1) { edges { node { kind points } } pageInfo { hasNextPage } } }",
            json!({"a": account}),
        )
        .await;
    assert_eq!(out["data"]["loyaltyProgram"]["currency"], "EUR", "{out}");
    assert_eq!(out["data"]["loyaltyBalance"]["available"], "25");
    assert_eq!(out["data"]["loyaltyBalance"]["tier"]["name"], "Bronze");
    assert_eq!(
        out["data"]["loyaltyLedger"]["edges"][0]["node"]["kind"],
        "redeem"
    );
    assert_eq!(
        out["data"]["loyaltyLedger"]["pageInfo"]["hasNextPage"],
        true
    );
    let out = app
        .graphql_as(
            &ws.owner_token,
            "mutation($a: ID!) { redeemPoints(accountId: $a, input: {points: 26}) { points } }",
            json!({"a": account}),
        )
        .await;
    assert_eq!(
        out["errors"][0]["extensions"]["code"],
        "insufficient_points"
    );
}

#[tokio::test]
async fn the_cli_runs_the_jobs_idempotently() {
    let app = TestApp::spawn().await;
    let (ws, account) = setup(&app, 0, Some(1)).await;
    let mut conn = app.db.connect();
    let now = rapport_api::service::now();
    in_tx(&mut conn, &ws.id, |c, cx| {
        loyalty::earn_for_order(
            c,
            cx,
            &ws.id,
            &account,
            "old",
            5_000,
            "EUR",
            ago(now, 60),
            now,
        )
    })
    .unwrap();
    let run = || {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"));
        for (name, _) in std::env::vars() {
            if name.starts_with("RAPPORT_") {
                cmd.env_remove(name);
            }
        }
        let out = cmd
            .args(["loyalty", "run-jobs"])
            .env("RAPPORT_DATABASE_URL", app.db.url())
            .env("RAPPORT_LOG", "error")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let first = run();
    assert_eq!(first["expired_points"], 50);
    let second = run();
    assert_eq!(second["expired_points"], 0);
    assert_eq!(second["expired_lots"], 0);
    let b = balance(&app, &ws, &account).await;
    assert_eq!(b["available"], 0);
    assert_eq!(b["ledger_balance"], 0);
}

#[tokio::test]
async fn a_system_principal_redeems_through_the_service_at_a_given_time() {
    // The service core used by the REST handler, driven directly: the ledger sum kept on the
    // member row equals the entries.
    let app = TestApp::spawn().await;
    let (ws, account) = setup(&app, 0, None).await;
    adjust(&app, &ws, &account, 10).await;
    let mut conn = app.db.connect();
    let input = loyalty::RedeemInput {
        points: Some(4),
        reward_id: None,
        note: None,
    };
    let r = in_tx(&mut conn, &ws.id, |c, cx| {
        loyalty::redeem_at(c, cx, &account, &input, None, rapport_api::service::now())
    })
    .unwrap();
    assert_eq!(r.available_after, Some(6));
    let member = rapport_persistence::loyalty::find_member(&mut conn, &ws.id, &account)
        .unwrap()
        .unwrap();
    let entries = rapport_persistence::loyalty::entry_points(&mut conn, &ws.id, &account).unwrap();
    assert_eq!(
        member.ledger_sum,
        entries.iter().map(|(_, p)| p).sum::<i64>()
    );
    assert_eq!(member.ledger_sum, 6);
}

#[tokio::test]
async fn serve_runs_the_jobs_on_its_schedule() {
    let app = TestApp::spawn_with(|c| c.loyalty_jobs_interval_secs = 1).await;
    let (ws, account) = setup(&app, 0, Some(1)).await;
    let mut conn = app.db.connect();
    let now = rapport_api::service::now();
    tx(&mut conn, &ws.id, |c, cx| {
        loyalty::earn_for_order(
            c,
            cx,
            &ws.id,
            &account,
            "stale",
            3_000,
            "EUR",
            ago(now, 60),
            now,
        )
    });
    // The scheduler (every second here) expires the 30 points without anyone asking.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let entries = ledger(&app, &ws, &account).await;
        if let Some(expiry) = entries.iter().find(|e| e["kind"] == "expire") {
            assert_eq!(expiry["points"], -30);
            assert_eq!(expiry["source_type"], "job");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the scheduled jobs never ran"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // Later runs change nothing more.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let entries = ledger(&app, &ws, &account).await;
    assert_eq!(entries.iter().filter(|e| e["kind"] == "expire").count(), 1);
    assert_eq!(balance(&app, &ws, &account).await["ledger_balance"], 0);
}

#[tokio::test]
async fn orders_earn_points_and_refunds_take_them_back() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let mut usd = program(0, None);
    usd["currency"] = json!("USD");
    let res = app
        .send(
            Method::PUT,
            "/v1/loyalty/program",
            &ws.owner_token,
            Some(&usd),
        )
        .await;
    assert_eq!(res.status(), 200);
    let account: Value = app
        .post_as(
            "/v1/accounts",
            &ws.owner_token,
            &json!({"kind": "person", "name": "Buyer"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let account = account["id"].as_str().unwrap().to_owned();
    let res = app
        .post_as(
            "/v1/orders",
            &ws.owner_token,
            &json!({"account_id": account, "amount": 12_000, "currency": "USD"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let order: Value = res.json().await.unwrap();
    assert_eq!(balance(&app, &ws, &account).await["available"], 120);
    let res = app
        .post_as(
            &format!("/v1/orders/{}/refund", order["id"].as_str().unwrap()),
            &ws.owner_token,
            &json!({"amount": 3_000}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let b = balance(&app, &ws, &account).await;
    assert_eq!(b["available"], 90);
    let entries = ledger(&app, &ws, &account).await;
    assert_eq!(ledger_sum(&entries), 90);
    assert_eq!(entries[0]["kind"], "reverse");
    assert_eq!(entries[1]["source_id"], order["id"]);
}

#[tokio::test]
async fn a_cancelled_redemption_gives_points_and_stock_back_once_and_a_fulfilled_one_stays() {
    let app = TestApp::spawn().await;
    let (ws, account) = setup(&app, 0, Some(12)).await;
    let t = &ws.owner_token;
    adjust(&app, &ws, &account, 1_000).await;
    let mug: Value = app
        .post_as(
            "/v1/loyalty/rewards",
            t,
            &json!({"name": "Mug", "points_cost": 300, "stock": 1}),
        )
        .await
        .json()
        .await
        .unwrap();
    let mug_id = mug["id"].as_str().unwrap();
    let redeem = format!("/v1/accounts/{account}/loyalty/redeem");
    let r: Value = app
        .post_as(&redeem, t, &json!({"reward_id": mug_id}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["status"], "issued");
    let rid = r["id"].as_str().unwrap();
    assert_eq!(balance(&app, &ws, &account).await["available"], 700);
    // Out of stock now.
    let res = app.post_as(&redeem, t, &json!({"reward_id": mug_id})).await;
    assert_problem(res, 409, "out_of_stock").await;

    // Twenty concurrent cancels: all answer the cancelled redemption, one gives back.
    let cancel = format!("/v1/accounts/{account}/loyalty/redemptions/{rid}/cancel");
    let responses =
        concurrent_posts(&app, &cancel, t, &json!({"reason": "changed mind"}), 20).await;
    for res in responses {
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["status"], "cancelled");
        assert_eq!(body["cancel_reason"], "changed mind");
        assert!(body["cancelled_at"].is_string());
    }
    let b = balance(&app, &ws, &account).await;
    assert_eq!(b["available"], 1_000);
    let entries = ledger(&app, &ws, &account).await;
    let returns: Vec<&Value> = entries.iter().filter(|e| e["kind"] == "return").collect();
    assert_eq!(returns.len(), 1);
    assert_eq!(returns[0]["points"], 300);
    assert_eq!(returns[0]["source_id"], rid);
    assert_eq!(ledger_sum(&entries), b["ledger_balance"].as_i64().unwrap());
    let stock: Value = app
        .get_as(&format!("/v1/loyalty/rewards/{mug_id}"), t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stock["stock"], 1);
    // A cancelled redemption cannot be handed over.
    let res = app
        .post_as(
            &format!("/v1/accounts/{account}/loyalty/redemptions/{rid}/fulfil"),
            t,
            &json!({}),
        )
        .await;
    assert_problem(res, 409, "redemption_cancelled").await;

    // The unit that came back is redeemable; this one is handed over, then stays.
    let r2: Value = app
        .post_as(&redeem, t, &json!({"reward_id": mug_id}))
        .await
        .json()
        .await
        .unwrap();
    let rid2 = r2["id"].as_str().unwrap();
    let fulfil = format!("/v1/accounts/{account}/loyalty/redemptions/{rid2}/fulfil");
    for _ in 0..2 {
        let res = app.post_as(&fulfil, t, &json!({})).await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["status"], "fulfilled");
        assert!(body["fulfilled_at"].is_string());
    }
    let res = app
        .post_as(
            &format!("/v1/accounts/{account}/loyalty/redemptions/{rid2}/cancel"),
            t,
            &json!({}),
        )
        .await;
    assert_problem(res, 409, "redemption_fulfilled").await;
    assert_eq!(balance(&app, &ws, &account).await["available"], 700);

    // Plain points: nothing to hand over, but a cancel gives them back (no body needed).
    let p: Value = app
        .post_as(&redeem, t, &json!({"points": 200}))
        .await
        .json()
        .await
        .unwrap();
    let pid = p["id"].as_str().unwrap();
    let res = app
        .post_as(
            &format!("/v1/accounts/{account}/loyalty/redemptions/{pid}/fulfil"),
            t,
            &json!({}),
        )
        .await;
    assert_problem(res, 409, "not_a_reward_redemption").await;
    let res = app
        .send(
            Method::POST,
            &format!("/v1/accounts/{account}/loyalty/redemptions/{pid}/cancel"),
            t,
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(balance(&app, &ws, &account).await["available"], 700);

    // Bad input, other workspaces, unknown ids.
    let res = app
        .post_as(&cancel, t, &json!({"reason": "x".repeat(501)}))
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "reason");
    let res = app
        .post_as(&cancel, t, &json!({"why": "unknown field"}))
        .await;
    assert_eq!(res.status(), 422);
    let other = app.workspace("Other").await;
    let res = app.post_as(&cancel, &other.owner_token, &json!({})).await;
    assert_eq!(res.status(), 404);
    let res = app
        .post_as(
            &format!("/v1/accounts/{account}/loyalty/redemptions/nope/cancel"),
            t,
            &json!({}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;

    // GraphQL: the same rules.
    let r3: Value = app
        .post_as(&redeem, t, &json!({"points": 50}))
        .await
        .json()
        .await
        .unwrap();
    let gql = app
        .graphql_as(
            t,
            "mutation($a: ID!, $r: ID!) { cancelRedemption(accountId: $a, redemptionId: $r, input: {reason: \"gql\"}) { status cancelReason } }",
            json!({"a": account, "r": r3["id"]}),
        )
        .await;
    assert_eq!(
        gql["data"]["cancelRedemption"],
        json!({"status": "cancelled", "cancelReason": "gql"}),
        "{gql}"
    );
    let gql = app
        .graphql_as(
            t,
            "mutation($a: ID!, $r: ID!) { fulfilRedemption(accountId: $a, redemptionId: $r) { status } }",
            json!({"a": account, "r": rid2}),
        )
        .await;
    assert_eq!(
        gql["data"]["fulfilRedemption"]["status"], "fulfilled",
        "{gql}"
    );
    assert_eq!(balance(&app, &ws, &account).await["available"], 700);
}
