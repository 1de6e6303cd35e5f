//! The churn/CLV model in the platform: fitted from orders it gives the same parameters as
//! the analyst CLI on the same purchases; RFM segments and the at-risk ranking add up; the
//! metrics agree between REST and GraphQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::process::Command;

use chrono::{Duration, TimeZone, Utc};
use common::TestApp;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

const CUSTOMERS: usize = 160;

struct Purchase {
    customer: usize,
    at: chrono::DateTime<Utc>,
    amount: i64,
}

/// Purchases of a buy-till-you-die population over one year.
fn simulate() -> Vec<Purchase> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(2005);
    let start = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let mut out = Vec::new();
    for customer in 0..CUSTOMERS {
        let mut day = rng.random_range(0.0..200.0);
        let rate: f64 = rng.random_range(0.01..0.08);
        let drop: f64 = rng.random_range(0.05..0.6);
        let spend: f64 = rng.random_range(2_000.0..15_000.0);
        loop {
            let at = start + Duration::seconds((day * 86_400.0) as i64);
            out.push(Purchase {
                customer,
                at,
                amount: (spend * rng.random_range(0.5..1.5)) as i64,
            });
            if rng.random_bool(drop) {
                break;
            }
            day += -rng.random_range(f64::EPSILON..1.0f64).ln() / rate;
            if day >= 365.0 {
                break;
            }
        }
    }
    out
}

fn close(name: &str, a: f64, b: f64) {
    assert!(
        ((a - b) / b).abs() < 1e-5,
        "{name}: platform {a} vs CLI {b}"
    );
}

#[tokio::test]
async fn the_platform_fit_equals_the_cli_fit_on_the_same_purchases() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Analyst").await;
    let t = &ws.owner_token;
    let accounts: Vec<Value> = (0..CUSTOMERS)
        .map(|i| json!({"kind": "person", "name": format!("Customer {i}"), "external_id": format!("c{i}")}))
        .collect();
    let res = app
        .post_as("/v1/accounts/batch", t, &json!({ "accounts": accounts }))
        .await;
    assert_eq!(res.status(), 200);
    let purchases = simulate();
    let orders: Vec<Value> = purchases
        .iter()
        .enumerate()
        .map(|(n, p)| {
            json!({"account_external_id": format!("c{}", p.customer), "external_id": format!("o{n}"),
                   "amount": p.amount, "currency": "USD", "occurred_at": p.at.to_rfc3339()})
        })
        .collect();
    for chunk in orders.chunks(1000) {
        let res = app
            .post_as("/v1/orders/batch", t, &json!({ "orders": chunk }))
            .await;
        assert_eq!(res.status(), 200);
    }
    let as_of = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let res = app
        .post_as(
            "/v1/models/churn/fit",
            t,
            &json!({"as_of": as_of.to_rfc3339()}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let model: Value = res.json().await.unwrap();
    assert_eq!(model["version"], 1);
    assert_eq!(model["customers"], CUSTOMERS);
    assert_eq!(model["issues"], json!([]), "{model}");
    let stored: Value = app
        .get_as("/v1/models/churn", t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored, model);
    // The refit is published: the model, and every buyer moving into a risk band (no model
    // gave them one before).
    let mut moved = 0;
    let mut refits = 0;
    let mut after = 0;
    let mut last_sequence = 0;
    let mut bands: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let page: Value = app
            .get_as(
                &format!("/v1/events?types=model.refitted,customer.risk_band_changed&limit=500&after={after}"),
                t,
            )
            .await
            .json()
            .await
            .unwrap();
        for e in page["data"].as_array().unwrap() {
            last_sequence = last_sequence.max(e["sequence"].as_i64().unwrap());
            match e["type"].as_str().unwrap() {
                "model.refitted" => refits += 1,
                _ => {
                    assert!(e["data"]["previous_risk_band"].is_null());
                    assert!(e["data"]["risk_band"].is_string());
                    bands.insert(
                        e["data"]["account_id"].as_str().unwrap().to_owned(),
                        e["data"]["risk_band"].as_str().unwrap().to_owned(),
                    );
                    moved += 1;
                }
            }
        }
        match page["next_cursor"].as_str() {
            Some(c) => after = c.parse().unwrap(),
            None => break,
        }
    }
    assert_eq!((refits, moved), (1, CUSTOMERS));

    // The same purchases as an RFM summary in days, the lifetimes convention.
    let day = |at: chrono::DateTime<Utc>| (at.date_naive() - as_of.date_naive()).num_days();
    let mut days: BTreeMap<usize, BTreeMap<i64, i64>> = BTreeMap::new();
    for p in &purchases {
        *days
            .entry(p.customer)
            .or_default()
            .entry(day(p.at))
            .or_default() += p.amount;
    }
    let mut csv = String::from("customer_id,frequency,recency,T,monetary_value\n");
    for (customer, by_day) in &days {
        let first = *by_day.keys().next().unwrap();
        let last = *by_day.keys().last().unwrap();
        let x = by_day.len() - 1;
        let repeat: i64 = by_day.iter().skip(1).map(|(_, v)| v).sum();
        let m = if x > 0 { repeat as f64 / x as f64 } else { 0.0 };
        csv.push_str(&format!(
            "{customer},{x},{},{},{m:?}\n",
            last - first,
            -first
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("summary.csv");
    std::fs::write(&file, csv).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["models", "fit", "--summary"])
        .arg(&file)
        .args(["--time-unit", "days"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    for p in ["r", "alpha", "a", "b"] {
        close(
            p,
            model["bgnbd"][p].as_f64().unwrap(),
            cli["bgnbd"]["params"][p].as_f64().unwrap(),
        );
    }
    for p in ["p", "q", "v"] {
        close(
            p,
            model["gamma_gamma"][p].as_f64().unwrap(),
            cli["gamma_gamma"]["params"][p].as_f64().unwrap(),
        );
    }
    close(
        "log-likelihood",
        model["bgnbd"]["log_likelihood"].as_f64().unwrap(),
        cli["bgnbd"]["log_likelihood"].as_f64().unwrap(),
    );

    // Segments cover every buyer and all the revenue.
    let seg: Value = app
        .get_as("/v1/segments/rfm", t)
        .await
        .json()
        .await
        .unwrap();
    let segments = seg["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 11);
    let total_accounts: i64 = segments
        .iter()
        .map(|s| s["accounts"].as_i64().unwrap())
        .sum();
    let total_revenue: i64 = segments
        .iter()
        .map(|s| s["revenue"].as_i64().unwrap())
        .sum();
    assert_eq!(total_accounts, CUSTOMERS as i64);
    assert_eq!(seg["scored_accounts"], CUSTOMERS);
    assert_eq!(seg["unscored_accounts"], 0);
    assert_eq!(
        total_revenue,
        purchases.iter().map(|p| p.amount).sum::<i64>()
    );
    let shares: f64 = segments
        .iter()
        .map(|s| s["share_of_accounts"].as_f64().unwrap())
        .sum();
    assert!((shares - 1.0).abs() < 1e-9);
    // Members of the largest segment, in pages of 7, each once.
    let biggest = segments
        .iter()
        .max_by_key(|s| s["accounts"].as_i64().unwrap())
        .unwrap();
    let code = biggest["segment"].as_str().unwrap();
    let mut seen = HashSet::new();
    let mut after = String::new();
    loop {
        let page: Value = app
            .get_as(
                &format!("/v1/segments/rfm/{code}/accounts?limit=7{after}"),
                t,
            )
            .await
            .json()
            .await
            .unwrap();
        for m in page["data"].as_array().unwrap() {
            assert!(seen.insert(m["account_id"].as_str().unwrap().to_owned()));
        }
        match page["next_cursor"].as_str() {
            Some(c) => after = format!("&after={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, biggest["accounts"].as_i64().unwrap());
    let res = app.get_as("/v1/segments/rfm/whales/accounts", t).await;
    common::assert_problem(res, 404, "not_found").await;

    // At-risk: every buyer once, by value at risk descending.
    let mut ranked = Vec::new();
    let mut after = String::new();
    loop {
        let page: Value = app
            .get_as(&format!("/v1/analytics/at-risk?limit=50{after}"), t)
            .await
            .json()
            .await
            .unwrap();
        ranked.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => after = format!("&after={c}"),
            None => break,
        }
    }
    assert_eq!(ranked.len(), CUSTOMERS);
    let ids: BTreeSet<&str> = ranked
        .iter()
        .map(|a| a["account_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), CUSTOMERS);
    for w in ranked.windows(2) {
        assert!(w[0]["value_at_risk"].as_i64() >= w[1]["value_at_risk"].as_i64());
    }
    let lost: Value = app
        .get_as("/v1/analytics/at-risk?risk_band=lost&limit=500", t)
        .await
        .json()
        .await
        .unwrap();
    for a in lost["data"].as_array().unwrap() {
        assert_eq!(a["risk_band"], "lost");
    }

    // One account's metrics: REST profile and GraphQL agree, predictions are sane.
    let top = ranked[0]["account_id"].as_str().unwrap();
    let profile: Value = app
        .get_as(&format!("/v1/accounts/{top}/profile"), t)
        .await
        .json()
        .await
        .unwrap();
    let m = &profile["metrics"];
    let p_alive = m["p_alive"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p_alive));
    assert!((m["churn_probability"].as_f64().unwrap() - (1.0 - p_alive)).abs() < 1e-12);
    assert!(m["expected_orders_90d"].as_f64().unwrap() >= 0.0);
    assert!(m["clv"].as_i64().unwrap() >= 0);
    assert_eq!(m["model_version"], 1);
    let gql = app
        .graphql_as(
            t,
            "query($id: ID!) { account(id: $id) { metrics { ordersCount revenue pAlive clv rfm { segment } } } }",
            json!({"id": top}),
        )
        .await;
    let g = &gql["data"]["account"]["metrics"];
    assert_eq!(g["ordersCount"], m["orders_count"]);
    // `Long` money: the same numbers as REST, as strings of digits.
    assert_eq!(g["revenue"], m["revenue"].to_string().as_str());
    assert_eq!(g["pAlive"], m["p_alive"]);
    assert_eq!(g["clv"], m["clv"].to_string().as_str());
    assert_eq!(g["rfm"]["segment"], m["rfm"]["segment"]);

    // as_of before the newest order is refused.
    let res = app
        .post_as(
            "/v1/models/churn/fit",
            t,
            &json!({"as_of": "2025-06-01T00:00:00Z"}),
        )
        .await;
    let problem = common::assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "as_of");

    // An order moves a customer the fit put at risk: the band changes with the order and is
    // published with it, from the band the fit stored to the one the metrics now show.
    let (slipping, band) = bands
        .iter()
        .find(|(_, b)| *b == "lost" || *b == "at_risk")
        .expect("the simulated population has customers at risk");
    let customer: usize = app
        .get_as(&format!("/v1/accounts/{slipping}"), t)
        .await
        .json::<Value>()
        .await
        .unwrap()["external_id"]
        .as_str()
        .unwrap()[1..]
        .parse()
        .unwrap();
    let res = app
        .post_as(
            "/v1/orders",
            t,
            &json!({"account_external_id": format!("c{customer}"), "external_id": "comeback",
                    "amount": 5_000, "currency": "USD", "occurred_at": Utc::now().to_rfc3339()}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let page: Value = app
        .get_as(
            &format!("/v1/events?types=customer.risk_band_changed&after={last_sequence}"),
            t,
        )
        .await
        .json()
        .await
        .unwrap();
    let moved: Vec<&Value> = page["data"].as_array().unwrap().iter().collect();
    assert_eq!(moved.len(), 1, "{page}");
    let profile: Value = app
        .get_as(&format!("/v1/accounts/{slipping}/profile"), t)
        .await
        .json()
        .await
        .unwrap();
    let now_band = &profile["metrics"];
    assert_eq!(moved[0]["data"]["account_id"], slipping.as_str());
    assert_eq!(moved[0]["data"]["previous_risk_band"], band.as_str());
    assert_eq!(moved[0]["data"]["risk_band"], now_band["risk_band"]);
    assert_ne!(now_band["risk_band"], band.as_str());
}

#[tokio::test]
async fn a_workspace_without_repeat_buyers_gets_a_clear_answer_not_a_broken_model() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Tiny").await;
    let t = &ws.owner_token;
    let res = app.get_as("/v1/models/churn", t).await;
    common::assert_problem(res, 404, "model_not_fitted").await;
    let res = app.get_as("/v1/analytics/at-risk", t).await;
    common::assert_problem(res, 409, "model_not_fitted").await;
    let res = app.post_as("/v1/models/churn/fit", t, &json!({})).await;
    assert_eq!(res.status(), 200);
    let model: Value = res.json().await.unwrap();
    let codes: Vec<&str> = model["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"empty_data"), "{model}");
    assert!(model["bgnbd"].is_null());
    // Agents cannot refit.
    let res = app
        .post_as(
            "/v1/users",
            t,
            &json!({"email": "agent@tiny.example.com", "name": "Agent", "password": common::PASSWORD, "role": "agent"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let agent = app.login("agent@tiny.example.com", common::PASSWORD).await;
    let res = app
        .post_as(
            "/v1/models/churn/fit",
            agent["access_token"].as_str().unwrap(),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 403);
}

async fn two_buyers(app: &TestApp, t: &str) {
    for (i, days) in [(0, [1, 5, 9]), (1, [2, 3, 30])] {
        let res = app
            .post_as(
                "/v1/accounts",
                t,
                &json!({"kind": "person", "name": format!("B{i}"), "external_id": format!("b{i}")}),
            )
            .await;
        assert_eq!(res.status(), 201);
        for d in days {
            let res = app
                .post_as(
                    "/v1/orders",
                    t,
                    &json!({"account_external_id": format!("b{i}"), "amount": 1000 + d * 10, "currency": "USD",
                            "occurred_at": format!("2026-01-{d:02}T12:00:00Z")}),
                )
                .await;
            assert_eq!(res.status(), 201);
        }
    }
}

#[tokio::test]
async fn the_scheduled_refit_fits_workspaces_with_orders() {
    let app = TestApp::spawn_with(|c| c.models_refit_interval_secs = 1).await;
    let ws = app.workspace("Scheduled").await;
    let t = &ws.owner_token;
    two_buyers(&app, t).await;
    let mut fitted = None;
    for _ in 0..60 {
        let res = app.get_as("/v1/models/churn", t).await;
        if res.status() == 200 {
            fitted = Some(res.json::<Value>().await.unwrap());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let model = fitted.expect("the scheduled job fitted a model within 15 s");
    assert_eq!(model["customers"], 2);
    assert!(model["rfm_breakpoints"].is_object());
}

#[tokio::test]
async fn rapport_models_fit_refits_a_workspace_from_live_data() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Cli").await;
    let t = &ws.owner_token;
    two_buyers(&app, t).await;
    let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args([
            "models",
            "fit",
            "--workspace",
            &ws.id,
            "--as-of",
            "2026-02-01T00:00:00Z",
        ])
        .env("RAPPORT_DATABASE_URL", app.db.url())
        .env_remove("RAPPORT_REDIS_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["workspace_id"], ws.id);
    assert_eq!(line["model"]["version"], 1);
    assert_eq!(line["model"]["as_of"], "2026-02-01T00:00:00Z");
    let stored: Value = app
        .get_as("/v1/models/churn", t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["version"], 1);
    assert_eq!(stored["customers"], 2);
    let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["models", "fit", "--workspace", "no-such-workspace"])
        .env("RAPPORT_DATABASE_URL", app.db.url())
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[tokio::test]
async fn orders_a_hundred_times_the_usual_size_fall_back_and_every_buyer_keeps_a_clv() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Wholesale").await;
    let t = &ws.owner_token;
    let accounts: Vec<Value> = (0..CUSTOMERS)
        .map(|i| json!({"kind": "person", "name": format!("Customer {i}"), "external_id": format!("c{i}")}))
        .collect();
    let res = app
        .post_as("/v1/accounts/batch", t, &json!({ "accounts": accounts }))
        .await;
    assert_eq!(res.status(), 200);
    // The simulated purchases, with a few repeat orders 100 times their usual size (of
    // customers with 2 to 4 orders, so that their mean repeat spend shows it).
    let purchases = simulate();
    let mut count: BTreeMap<usize, usize> = BTreeMap::new();
    for p in &purchases {
        *count.entry(p.customer).or_default() += 1;
    }
    let mut seen = HashSet::new();
    let mut huge = 0;
    let orders: Vec<Value> = purchases
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let repeat = !seen.insert(p.customer);
            let amount = if repeat && huge < 4 && (2..=4).contains(&count[&p.customer]) {
                huge += 1;
                p.amount * 100
            } else {
                p.amount
            };
            json!({"account_external_id": format!("c{}", p.customer), "external_id": format!("o{n}"),
                   "amount": amount, "currency": "USD", "occurred_at": p.at.to_rfc3339()})
        })
        .collect();
    assert_eq!(huge, 4);
    let res = app
        .post_as("/v1/orders/batch", t, &json!({ "orders": orders }))
        .await;
    assert_eq!(res.status(), 200);
    let as_of = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let res = app
        .post_as(
            "/v1/models/churn/fit",
            t,
            &json!({"as_of": as_of.to_rfc3339()}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let model: Value = res.json().await.unwrap();
    let spend_model = model["gamma_gamma"]["spend_model"].as_str().unwrap();
    assert!(spend_model.starts_with("fallback_"), "{model}");
    assert!(
        model["gamma_gamma"]["winsorized_customers"]
            .as_i64()
            .unwrap()
            >= 1
    );
    assert!(model["gamma_gamma"]["q"].as_f64().unwrap() > 1.0);
    let codes: Vec<&str> = model["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["model"] == "gamma_gamma")
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"spend_winsorized"), "{model}");
    assert!(model["bgnbd"]["r"].as_f64().is_some());

    // Every buyer is ranked with a CLV and the spend model it came from.
    let page: Value = app
        .get_as("/v1/analytics/at-risk?limit=500", t)
        .await
        .json()
        .await
        .unwrap();
    let ranked = page["data"].as_array().unwrap();
    assert_eq!(ranked.len(), CUSTOMERS);
    for a in ranked {
        assert!(a["clv"].as_i64().is_some(), "{a}");
        assert_eq!(a["spend_model"], spend_model);
    }
    assert!(ranked[0]["value_at_risk"].as_i64().unwrap() > 0);
    let id = ranked[0]["account_id"].as_str().unwrap();
    let profile: Value = app
        .get_as(&format!("/v1/accounts/{id}/profile"), t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(profile["metrics"]["spend_model"], spend_model);
    assert_eq!(profile["metrics"]["predictions_unavailable"], Value::Null);
    let gql = app
        .graphql_as(
            t,
            "query($id: ID!) { account(id: $id) { metrics { clv spendModel } } \
             churnModel { gammaGamma { spendModel q winsorizedCustomers } issues { model code } } \
             atRiskAccounts(first: 3) { edges { node { clv spendModel } } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(gql["errors"], Value::Null, "{gql}");
    let d = &gql["data"];
    assert_eq!(d["account"]["metrics"]["spendModel"], spend_model);
    assert_eq!(
        d["account"]["metrics"]["clv"],
        profile["metrics"]["clv"].to_string().as_str()
    );
    assert_eq!(d["churnModel"]["gammaGamma"]["spendModel"], spend_model);
    for e in d["atRiskAccounts"]["edges"].as_array().unwrap() {
        assert_eq!(e["node"]["spendModel"], spend_model);
        assert!(e["node"]["clv"].is_string());
    }
}
