//! Orders end to end: single and batch ingestion with duplicates and retries, refunds, and
//! value metrics that equal a straightforward recomputation from the orders table.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use chrono::{Duration, TimeZone, Utc};
use common::{assert_problem, TestApp};
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

async fn account(app: &TestApp, token: &str, external_id: &str) -> String {
    let res = app
        .post_as(
            "/v1/accounts",
            token,
            &json!({"kind": "person", "name": format!("Customer {external_id}"), "external_id": external_id}),
        )
        .await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn profile(app: &TestApp, token: &str, id: &str) -> Value {
    let res = app
        .get_as(&format!("/v1/accounts/{id}/profile"), token)
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn an_order_updates_the_metrics_and_a_known_external_id_is_a_duplicate() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    let id = account(&app, t, "c-1").await;

    let before = profile(&app, t, &id).await;
    assert_eq!(before["metrics"]["orders_count"], 0);
    assert_eq!(before["metrics"]["predictions_unavailable"], "no_orders");

    let order = json!({
        "account_id": id, "external_id": "o-1", "amount": 2500, "currency": "USD",
        "cost": 1000, "occurred_at": "2026-01-10T10:00:00Z", "channel": "web",
        "items": [{"sku": "A", "quantity": 1, "unit_price": 2500}]
    });
    let res = app.post_as("/v1/orders", t, &order).await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["status"], "completed");
    assert_eq!(created["reporting_amount"], 2500);
    assert_eq!(created["items"][0]["sku"], "A");

    // The next profile read shows it (the cache was invalidated).
    let after = profile(&app, t, &id).await;
    assert_eq!(after["metrics"]["orders_count"], 1);
    assert_eq!(after["metrics"]["revenue"], 2500);
    assert_eq!(after["metrics"]["margin"], 1500);
    assert_eq!(after["metrics"]["currency"], "USD");
    assert_eq!(after["metrics"]["first_order_at"], "2026-01-10T10:00:00Z");
    assert_eq!(
        after["metrics"]["predictions_unavailable"],
        "model_not_fitted"
    );

    let again = app.post_as("/v1/orders", t, &order).await;
    let problem = assert_problem(again, 409, "duplicate_order").await;
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains(created["id"].as_str().unwrap()));
    assert_eq!(profile(&app, t, &id).await["metrics"]["orders_count"], 1);

    // By the account's external id, and listed under the account.
    let res = app
        .post_as(
            "/v1/orders",
            t,
            &json!({"account_external_id": "c-1", "amount": 500, "currency": "usd", "occurred_at": "2026-01-12T10:00:00Z"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let listed: Value = app
        .get_as(&format!("/v1/accounts/{id}/orders"), t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["data"].as_array().unwrap().len(), 2);
    assert_eq!(listed["data"][0]["amount"], 500, "newest first");
    let m = &profile(&app, t, &id).await["metrics"];
    assert_eq!(m["repeat_purchases"], 1);
    assert_eq!(m["days_between_first_and_last"], 2);
    assert_eq!(m["average_order_value"], 1500);
}

#[tokio::test]
async fn invalid_orders_are_refused_with_named_fields_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    let id = account(&app, t, "c-1").await;
    let res = app
        .post_as(
            "/v1/orders/batch",
            t,
            &json!({"orders": [
                {"account_id": id, "external_id": "ok-1", "amount": 100, "currency": "USD"},
                {"account_id": id, "amount": -5, "currency": "USD"},
                {"account_id": "nope", "amount": 5, "currency": "USD"},
                {"account_id": id, "amount": 5, "currency": "EUR"},
                {"account_id": id, "amount": 5, "currency": "USD", "occurred_at": "2999-01-01T00:00:00Z"}
            ]}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["orders[1].amount", "orders[4].occurred_at"]);
    // Edge checks pass, references fail: the whole batch still writes nothing.
    let res = app
        .post_as(
            "/v1/orders/batch",
            t,
            &json!({"orders": [
                {"account_id": id, "external_id": "ok-1", "amount": 100, "currency": "USD"},
                {"account_id": "nope", "amount": 5, "currency": "USD"},
                {"account_id": id, "amount": 5, "currency": "EUR"}
            ]}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["orders[1].account_id", "orders[2].currency"]);
    let listed: Value = app.get_as("/v1/orders", t).await.json().await.unwrap();
    assert_eq!(listed["data"], json!([]));
    assert_eq!(profile(&app, t, &id).await["metrics"]["orders_count"], 0);

    let res = app
        .post_as("/v1/orders/batch", t, &json!({"orders": []}))
        .await;
    assert_problem(res, 422, "validation_failed").await;

    // An agent's API key without orders:write cannot record orders.
    let (_, key) = app.api_key(&ws, &["orders:read"]).await;
    let res = app
        .post_as(
            "/v1/orders",
            &key,
            &json!({"account_id": id, "amount": 1, "currency": "USD"}),
        )
        .await;
    assert_problem(res, 403, "insufficient_scope").await;
}

#[tokio::test]
async fn foreign_currencies_convert_at_the_configured_rate() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    let id = account(&app, t, "c-1").await;
    let res = app
        .send(
            reqwest::Method::PATCH,
            "/v1/workspace/value-settings",
            t,
            Some(&json!({"reporting_currency": "EUR", "exchange_rates": {"USD": "0.92", "JPY": "0.0061"}})),
        )
        .await;
    assert_eq!(res.status(), 200);
    for (amount, currency) in [(1000, "USD"), (1000, "JPY"), (100, "EUR")] {
        let res = app
            .post_as(
                "/v1/orders",
                t,
                &json!({"account_id": id, "amount": amount, "currency": currency}),
            )
            .await;
        assert_eq!(res.status(), 201);
    }
    let m = &profile(&app, t, &id).await["metrics"];
    assert_eq!(m["currency"], "EUR");
    assert_eq!(m["revenue"], 920 + 610 + 100);
    // The reporting currency is fixed once orders exist.
    let res = app
        .send(
            reqwest::Method::PATCH,
            "/v1/workspace/value-settings",
            t,
            Some(&json!({"reporting_currency": "GBP"})),
        )
        .await;
    assert_problem(res, 409, "reporting_currency_locked").await;
    let res = app
        .send(
            reqwest::Method::PATCH,
            "/v1/workspace/value-settings",
            t,
            Some(&json!({"exchange_rates": {"USD": "-1"}})),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "exchange_rates.USD");
}

/// What the metrics must be, recomputed the straightforward way from every order row.
fn recompute(conn: &mut rapport_persistence::DbConn, workspace: &str) -> BTreeMap<String, Value> {
    let mut by_account: BTreeMap<String, Vec<rapport_persistence::orders::OrderFactsRow>> =
        BTreeMap::new();
    for (account, facts) in rapport_persistence::orders::all_facts(conn, workspace).unwrap() {
        by_account.entry(account).or_default().push(facts);
    }
    let mut out = BTreeMap::new();
    for (account, orders) in by_account {
        // Orders that still count, by UTC day.
        let mut days: BTreeMap<i32, (i64, i64, i64, i64)> = BTreeMap::new();
        let (mut first, mut last) = (None, None);
        for o in orders.iter().filter(|o| o.refunded_amount < o.amount) {
            let left = |v: i64| {
                (i128::from(v) * i128::from(o.amount - o.refunded_amount) / i128::from(o.amount))
                    as i64
            };
            let day = days.entry(o.purchase_day).or_default();
            day.0 += 1;
            day.1 += left(o.reporting_amount);
            if let Some(cost) = o.reporting_cost {
                day.2 += left(o.reporting_amount);
                day.3 += left(cost);
            }
            first = Some(first.map_or(o.occurred_at, |f: chrono::NaiveDateTime| {
                f.min(o.occurred_at)
            }));
            last = Some(last.map_or(o.occurred_at, |l: chrono::NaiveDateTime| {
                l.max(o.occurred_at)
            }));
        }
        let count: i64 = days.values().map(|d| d.0).sum();
        let revenue: i64 = days.values().map(|d| d.1).sum();
        let costed: i64 = days.values().map(|d| d.2).sum();
        let cost: i64 = days.values().map(|d| d.3).sum();
        let first_day_revenue = days.values().next().map_or(0, |d| d.1);
        let repeat = days.len().saturating_sub(1) as i64;
        let t_x = match (days.keys().next(), days.keys().last()) {
            (Some(f), Some(l)) => i64::from(l - f),
            _ => 0,
        };
        let ts = |t: Option<chrono::NaiveDateTime>| {
            t.map(|t| {
                chrono::DateTime::<Utc>::from_naive_utc_and_offset(t, Utc)
                    .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            })
        };
        out.insert(
            account,
            json!({
                "orders_count": count,
                "revenue": revenue,
                "margin": if costed > 0 || cost > 0 { json!(costed - cost) } else { Value::Null },
                "repeat_purchases": repeat,
                "days_between_first_and_last": t_x,
                "repeat_revenue": revenue - first_day_revenue,
                "first_order_at": ts(first),
                "last_order_at": ts(last),
            }),
        );
    }
    out
}

#[tokio::test]
async fn batches_with_retries_duplicates_and_refunds_give_exactly_the_recomputed_metrics() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    let mut accounts = Vec::new();
    for i in 0..12 {
        accounts.push(account(&app, t, &format!("c-{i}")).await);
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let start = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let mut all_orders = Vec::new();
    for n in 0..300 {
        let at = start + Duration::minutes(rng.random_range(0..60 * 24 * 300));
        let mut order = json!({
            "account_external_id": format!("c-{}", rng.random_range(0..12)),
            "external_id": format!("o-{n}"),
            "amount": rng.random_range(0..20_000),
            "currency": "USD",
            "occurred_at": at.to_rfc3339(),
        });
        if rng.random_bool(0.5) {
            order["cost"] = json!(rng.random_range(0..8_000));
        }
        all_orders.push(order);
    }
    // Batches of 50, each sent twice (a retry), plus overlapping re-sends of earlier orders.
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (b, chunk) in all_orders.chunks(50).enumerate() {
        let mut batch: Vec<Value> = chunk.to_vec();
        if b > 0 {
            batch.extend(all_orders[(b - 1) * 50..(b - 1) * 50 + 10].iter().cloned());
        }
        for attempt in 0..2 {
            let res = app
                .post_as("/v1/orders/batch", t, &json!({ "orders": batch }))
                .await;
            assert_eq!(res.status(), 200);
            let result: Value = res.json().await.unwrap();
            let created = result["created"].as_i64().unwrap();
            let duplicates = result["duplicates"].as_i64().unwrap();
            if attempt == 0 {
                assert_eq!(created, 50);
                assert_eq!(duplicates, if b > 0 { 10 } else { 0 });
            } else {
                assert_eq!((created, duplicates), (0, batch.len() as i64));
            }
            for r in result["results"].as_array().unwrap() {
                if r["status"] == "created" {
                    ids.insert(
                        r["external_id"].as_str().unwrap().to_owned(),
                        r["id"].as_str().unwrap().to_owned(),
                    );
                }
            }
        }
    }
    assert_eq!(ids.len(), 300);
    // Refunds: some full, some partial, some partial twice, one retried with its key.
    for (n, (_, id)) in ids.iter().enumerate().filter(|(n, _)| n % 7 == 0) {
        let order: Value = app
            .get_as(&format!("/v1/orders/{id}"), t)
            .await
            .json()
            .await
            .unwrap();
        let amount = order["amount"].as_i64().unwrap();
        let path = format!("/v1/orders/{id}/refund");
        if amount == 0 {
            continue;
        }
        if n % 2 == 0 {
            let res = app.post_as(&path, t, &json!({})).await;
            assert_eq!(res.status(), 200);
            assert_eq!(res.json::<Value>().await.unwrap()["status"], "refunded");
            assert_problem(
                app.post_as(&path, t, &json!({})).await,
                409,
                "order_fully_refunded",
            )
            .await;
        } else {
            let part = (amount / 3).max(1);
            let req = app
                .http
                .post(app.url(&path))
                .bearer_auth(t)
                .header("Idempotency-Key", format!("refund-{id}"))
                .json(&json!({"amount": part, "reason": "returned"}));
            let first = req.try_clone().unwrap().send().await.unwrap();
            assert_eq!(first.status(), 200);
            let replay = req.send().await.unwrap();
            assert_eq!(replay.status(), 200);
            assert_eq!(replay.headers()["idempotent-replayed"], "true");
            let res = app.post_as(&path, t, &json!({"amount": amount})).await;
            assert_problem(res, 422, "validation_failed").await;
        }
    }
    assert_metrics_are_recomputed(&app, t, &ws.id, &accounts).await;
}

/// Each account's profile metrics and stored totals equal [`recompute`]'s.
async fn assert_metrics_are_recomputed(
    app: &TestApp,
    t: &str,
    workspace: &str,
    accounts: &[String],
) {
    let expected = recompute(&mut app.db.connect(), workspace);
    for id in accounts {
        let m = profile(app, t, id).await["metrics"].clone();
        let want = expected.get(id).cloned().unwrap_or_else(|| {
            json!({"orders_count": 0, "revenue": 0, "margin": null, "repeat_purchases": 0,
                   "days_between_first_and_last": 0, "repeat_revenue": 0,
                   "first_order_at": null, "last_order_at": null})
        });
        for field in [
            "orders_count",
            "revenue",
            "margin",
            "repeat_purchases",
            "days_between_first_and_last",
            "first_order_at",
            "last_order_at",
        ] {
            assert_eq!(m[field], want[field], "account {id}, {field}");
        }
    }
    // And the stored totals the models read agree too (repeat revenue is not shown).
    let mut conn = app.db.connect();
    for id in accounts {
        let row = rapport_persistence::value::find_metrics(&mut conn, workspace, id).unwrap();
        let want = expected
            .get(id)
            .map_or(0, |w| w["repeat_revenue"].as_i64().unwrap());
        assert_eq!(
            row.map(|r| r.repeat_revenue).unwrap_or(0),
            want,
            "account {id} repeat revenue"
        );
    }
}

/// Concurrent writers on the same accounts and days (PostgreSQL runs them in parallel; SQLite
/// one at a time): every batch and refund counts once, none deadlocks.
#[tokio::test]
async fn concurrent_batches_and_refunds_on_shared_accounts_keep_the_metrics_exact() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = ws.owner_token.clone();
    let mut accounts = Vec::new();
    for i in 0..4 {
        accounts.push(account(&app, &t, &format!("c-{i}")).await);
    }
    let start = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap();
    // Every batch spreads over the same 4 accounts and 3 days.
    let order = |b: usize, i: usize| {
        json!({
            "account_external_id": format!("c-{}", (b + i) % 4),
            "external_id": format!("o-{b}-{i}"),
            "amount": 1_000 + (b * 37 + i * 11) % 5_000,
            "cost": 300,
            "currency": "USD",
            "occurred_at": (start + Duration::hours(((b * 7 + i * 5) % 72) as i64)).to_rfc3339(),
        })
    };
    let first: Vec<Value> = (0..40).map(|i| order(0, i)).collect();
    let res = app
        .post_as("/v1/orders/batch", &t, &json!({ "orders": first }))
        .await;
    assert_eq!(res.status(), 200);
    let first_ids: Vec<String> = res.json::<Value>().await.unwrap()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    let mut writes = tokio::task::JoinSet::new();
    for b in 1..=12 {
        let orders: Vec<Value> = (0..40).map(|i| order(b, i)).collect();
        let req = app
            .http
            .post(app.url("/v1/orders/batch"))
            .bearer_auth(&t)
            .json(&json!({ "orders": orders }));
        writes.spawn(async move { req.send().await.unwrap().status().as_u16() });
    }
    for id in first_ids.iter().step_by(4) {
        let req = app
            .http
            .post(app.url(&format!("/v1/orders/{id}/refund")))
            .bearer_auth(&t)
            .json(&json!({"amount": 400}));
        writes.spawn(async move { req.send().await.unwrap().status().as_u16() });
    }
    while let Some(status) = writes.join_next().await {
        assert_eq!(status.unwrap(), 200);
    }
    assert_metrics_are_recomputed(&app, &t, &ws.id, &accounts).await;
}

/// New orders added to accounts with a history, around a model fit: before, on and after an
/// account's first purchase day, on an account whose every order was refunded, and on a new
/// buyer. The totals equal the recomputation, and every buyer's stored RFM score is what the
/// fitted breakpoints give its current totals.
#[tokio::test]
async fn orders_around_first_days_after_a_fit_keep_metrics_and_scores_exact() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    let mut accounts = Vec::new();
    for i in 0..9 {
        accounts.push(account(&app, t, &format!("c-{i}")).await);
    }
    let order = |who: usize, key: String, day: u32, hour: u32, amount: i64| {
        json!({
            "account_external_id": format!("c-{who}"),
            "external_id": key,
            "amount": amount,
            "cost": amount / 3,
            "currency": "USD",
            "occurred_at": format!("2026-03-{day:02}T{hour:02}:00:00Z"),
        })
    };
    // History: c-0..c-7 buy on days 10, 14, … (more days for higher numbers).
    let history: Vec<Value> = (0..8)
        .flat_map(|who| {
            (0..=who % 4).map(move |k| {
                order(
                    who,
                    format!("h-{who}-{k}"),
                    10 + 4 * k as u32,
                    9,
                    1_000 + 250 * who as i64,
                )
            })
        })
        .collect();
    let res = app
        .post_as("/v1/orders/batch", t, &json!({ "orders": history }))
        .await;
    assert_eq!(res.status(), 200);
    let res = app.post_as("/v1/models/churn/fit", t, &json!({})).await;
    assert_eq!(res.status(), 200);
    // c-7 loses every purchase to refunds.
    for k in 0..=3 {
        let found = res_json(
            app.get_as(&format!("/v1/orders?external_id=h-7-{k}"), t)
                .await,
        );
        let path = format!(
            "/v1/orders/{}/refund",
            found.await["data"][0]["id"].as_str().unwrap()
        );
        assert_eq!(app.post_as(&path, t, &json!({})).await.status(), 200);
    }
    assert_eq!(
        profile(&app, t, &accounts[7]).await["metrics"]["orders_count"],
        0
    );
    // Before the first day (c-0), on it (c-1, earlier in the day), after the last (c-2), all
    // three at once (c-3), a fresh start after full refunds (c-7), a first purchase (c-8).
    let new = vec![
        order(0, "n-0".into(), 2, 8, 700),
        order(1, "n-1".into(), 10, 7, 900),
        order(2, "n-2".into(), 28, 12, 1_100),
        order(3, "n-3a".into(), 3, 12, 400),
        order(3, "n-3b".into(), 10, 23, 500),
        order(3, "n-3c".into(), 14, 1, 600),
        order(3, "n-3d".into(), 29, 1, 800),
        order(7, "n-7".into(), 20, 10, 1_300),
        order(8, "n-8a".into(), 5, 10, 1_500),
        order(8, "n-8b".into(), 6, 10, 1_700),
    ];
    let res = app
        .post_as("/v1/orders/batch", t, &json!({ "orders": new }))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res_json(res).await["created"], 10);
    assert_metrics_are_recomputed(&app, t, &ws.id, &accounts).await;

    let mut conn = app.db.connect();
    let model = rapport_persistence::value::current_model(&mut conn, &ws.id)
        .unwrap()
        .unwrap();
    let breakpoints: rapport_domain::rfm::RfmBreakpoints =
        serde_json::from_str(&model.rfm_breakpoints.unwrap()).unwrap();
    let today = rapport_domain::value::day_of(Utc::now().naive_utc());
    for id in &accounts {
        let row = rapport_persistence::value::find_metrics(&mut conn, &ws.id, id)
            .unwrap()
            .unwrap();
        let totals = rapport_api::service::value::totals_of(Some(&row));
        let want = (row.orders_count > 0).then(|| {
            rapport_domain::rfm::score(
                &breakpoints,
                &rapport_api::service::value::rfm_input(&totals, today),
            )
        });
        let want = rapport_api::service::value::scores_of(id, want);
        let stored = (row.rfm_r, row.rfm_f, row.rfm_m, row.rfm_segment);
        assert_eq!(
            stored,
            (want.r, want.f, want.m, want.segment),
            "account {id}"
        );
    }
}

async fn res_json(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn orders_never_cross_workspaces() {
    let app = TestApp::spawn().await;
    let a = app.workspace("A").await;
    let b = app.workspace("B").await;
    let id = account(&app, &a.owner_token, "shared-key").await;
    account(&app, &b.owner_token, "shared-key").await;
    // B cannot record on A's account, by id; by external id it finds its own.
    let res = app
        .post_as(
            "/v1/orders",
            &b.owner_token,
            &json!({"account_id": id, "amount": 100, "currency": "USD"}),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;
    let res = app
        .post_as(
            "/v1/orders",
            &a.owner_token,
            &json!({"account_id": id, "external_id": "same", "amount": 100, "currency": "USD"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let order: Value = res.json().await.unwrap();
    // The same external id in another workspace is a different order.
    let res = app
        .post_as(
            "/v1/orders",
            &b.owner_token,
            &json!({"account_external_id": "shared-key", "external_id": "same", "amount": 100, "currency": "USD"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let oid = order["id"].as_str().unwrap();
    assert_eq!(
        app.get_as(&format!("/v1/orders/{oid}"), &b.owner_token)
            .await
            .status(),
        404
    );
    let res = app
        .post_as(
            &format!("/v1/orders/{oid}/refund"),
            &b.owner_token,
            &json!({}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
}

/// A batch retried with its `Idempotency-Key` answers exactly what the first call answered
/// (status and body): the replay is the stored response, not the service's internals. A
/// batch repeating an external id reports it as a duplicate naming that external id.
#[tokio::test]
async fn a_replayed_batch_answers_exactly_the_first_response() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    account(&app, t, "c-1").await;
    let body = json!({"orders": [
        {"account_external_id": "c-1", "external_id": "pos-1", "amount": 1250, "currency": "USD", "channel": "store"},
        {"account_external_id": "c-1", "external_id": "pos-1", "amount": 4300, "currency": "USD", "channel": "store"}
    ]});
    let req = app
        .http
        .post(app.url("/v1/orders/batch"))
        .bearer_auth(t)
        .header("Idempotency-Key", "batch-replay-1")
        .json(&body);
    let first = req.try_clone().unwrap().send().await.unwrap();
    assert_eq!(first.status(), 200);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["created"], 1);
    assert_eq!(first["duplicates"], 1);
    assert_eq!(first["results"][1]["status"], "duplicate");
    assert_eq!(first["results"][1]["external_id"], "pos-1");
    assert_eq!(first["results"][1]["id"], first["results"][0]["id"]);

    let replay = req.send().await.unwrap();
    assert_eq!(replay.status(), 200);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let replay: Value = replay.json().await.unwrap();
    assert_eq!(replay, first);
}
