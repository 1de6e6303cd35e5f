//! The workspace's purchase model (bg-nbd, mbg-nbd, pareto-nbd or auto) and backtests: the
//! CDNOW transactions ingested through the platform give, at the published BG/NBD
//! parameters, the paper's per-customer expectations and the actual holdout purchases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use common::{assert_problem, TestApp};
use rand::{Rng, SeedableRng};
use rapport_domain::models::pareto_nbd::ParetoNbdParams;
use rapport_domain::models::{BgNbdParams, CustomerSummary};
use reqwest::Method;
use serde_json::{json, Value};

/// Paper eq. 10 (Fader, Hardie & Lee 2005), the textbook Gauss series.
fn paper_expectation(p: &BgNbdParams, x: f64, t_x: f64, big_t: f64, t: f64) -> f64 {
    let (r, alpha, a, b) = (p.r, p.alpha, p.a, p.b);
    let z = t / (alpha + big_t + t);
    let (pa, pb, pc) = (r + x, b + x, a + b + x - 1.0);
    let (mut term, mut sum) = (1.0_f64, 1.0_f64);
    for k in 0..100_000 {
        let k = f64::from(k);
        term *= (pa + k) * (pb + k) / ((pc + k) * (k + 1.0)) * z;
        sum += term;
        if term.abs() < 1e-17 * sum.abs() {
            break;
        }
    }
    let head = (a + b + x - 1.0) / (a - 1.0)
        * (1.0 - ((alpha + big_t) / (alpha + big_t + t)).powf(r + x) * sum);
    let tail = if x > 0.0 {
        a / (b + x - 1.0) * ((alpha + big_t) / (alpha + t_x)).powf(r + x)
    } else {
        0.0
    };
    head / (1.0 + tail)
}

/// `(customer id, date, dollars)` of every CDNOW sample transaction (`tests/data`: the 1/10
/// sample behind the BG/NBD paper, as the `lifetimes` package ships it).
fn cdnow() -> Vec<(String, NaiveDate, f64)> {
    let text = std::fs::read_to_string(common::repo_file("tests/data/CDNOW_sample.txt")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let date = NaiveDate::parse_from_str(f[2], "%Y%m%d").unwrap();
            (f[1].to_owned(), date, f[4].parse::<f64>().unwrap())
        })
        .collect()
}

async fn add_accounts(app: &TestApp, t: &str, ids: &[String]) {
    for chunk in ids.chunks(500) {
        let accounts: Vec<Value> = chunk
            .iter()
            .map(
                |id| json!({"kind": "person", "name": format!("Customer {id}"), "external_id": id}),
            )
            .collect();
        let res = app
            .post_as("/v1/accounts/batch", t, &json!({ "accounts": accounts }))
            .await;
        assert_eq!(res.status(), 200);
    }
}

async fn add_orders(app: &TestApp, t: &str, orders: &[Value]) {
    for chunk in orders.chunks(1000) {
        let res = app
            .post_as("/v1/orders/batch", t, &json!({ "orders": chunk }))
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
}

fn at_noon(d: NaiveDate, shift: Duration) -> DateTime<Utc> {
    Utc.from_utc_datetime(&(d + shift).and_hms_opt(12, 0, 0).unwrap())
}

#[tokio::test]
async fn a_cdnow_backtest_gives_the_papers_expectations_and_the_actual_holdout_purchases() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Cdnow").await;
    let t = &ws.owner_token;
    let rows = cdnow();
    assert_eq!(rows.len(), 6919);
    // Shifted so that the end of the paper's holdout (1998-06-30) is 2025-06-30.
    let shift = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()
        - NaiveDate::from_ymd_opt(1998, 6, 30).unwrap();
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.0.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(ids.len(), 2357);
    add_accounts(&app, t, &ids).await;
    let orders: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(n, (id, date, dollars))| {
            json!({"account_external_id": id, "external_id": format!("o{n}"),
                   "amount": (dollars * 100.0).round() as i64, "currency": "USD",
                   "occurred_at": at_noon(*date, shift).to_rfc3339()})
        })
        .collect();
    add_orders(&app, t, &orders).await;

    // Independently, from the file: purchase days before and after the end of week 39.
    let end = NaiveDate::from_ymd_opt(1997, 9, 30).unwrap();
    let holdout_end = NaiveDate::from_ymd_opt(1998, 6, 30).unwrap();
    let mut days: BTreeMap<&str, BTreeSet<NaiveDate>> = BTreeMap::new();
    for (id, date, _) in &rows {
        days.entry(id).or_default().insert(*date);
    }
    let published = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
    let cutoff = at_noon(end, shift);
    let res = app
        .post_as(
            "/v1/models/churn/backtest",
            t,
            &json!({"cutoff": cutoff.to_rfc3339(), "horizon_days": 273, "customers": true,
                    "parameters": [{"model": "bg-nbd", "r": 0.243, "alpha": 4.414 * 7.0, "a": 0.793, "b": 2.426}]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let backtest: Value = res.json().await.unwrap();
    assert_eq!(backtest["customers"], 2357);
    assert_eq!(backtest["complete"], true);
    let customers = backtest["customer_rows"].as_array().unwrap();
    assert_eq!(customers.len(), 2357);
    // Account id -> external id.
    let mut external = BTreeMap::new();
    let mut after = String::new();
    loop {
        let page: Value = app
            .get_as(&format!("/v1/accounts?limit=500{after}"), t)
            .await
            .json()
            .await
            .unwrap();
        for a in page["data"].as_array().unwrap() {
            external.insert(
                a["id"].as_str().unwrap().to_owned(),
                a["external_id"].as_str().unwrap().to_owned(),
            );
        }
        match page["next_cursor"].as_str() {
            Some(c) => after = format!("&after={c}"),
            None => break,
        }
    }
    let mut total_actual = 0;
    for c in customers {
        let id = &external[c["account_id"].as_str().unwrap()];
        let mine = &days[id.as_str()];
        let calibration: Vec<&NaiveDate> = mine.iter().filter(|d| **d <= end).collect();
        let x = calibration.len() as i64 - 1;
        let t_x = (*calibration[calibration.len() - 1] - *calibration[0]).num_days();
        let big_t = (end - *calibration[0]).num_days();
        let actual = mine
            .iter()
            .filter(|d| **d > end && **d <= holdout_end)
            .count() as i64;
        total_actual += actual;
        assert_eq!(c["repeat_purchases"], x, "{id}");
        assert_eq!(c["days_between_first_and_last"], t_x, "{id}");
        assert_eq!(c["age_days"], big_t, "{id}");
        assert_eq!(c["actual_purchases"], actual, "{id}");
        // The paper's model, in weeks, 39 weeks ahead.
        let want = paper_expectation(
            &published,
            x as f64,
            t_x as f64 / 7.0,
            big_t as f64 / 7.0,
            39.0,
        );
        let prediction = &c["predictions"][0];
        assert_eq!(prediction["model"], "bg-nbd");
        let got = prediction["expected_purchases"].as_f64().unwrap();
        assert!(((got - want) / want).abs() < 1e-3, "{id}: {got} vs {want}");
    }
    assert_eq!(backtest["actual_purchases"], total_actual as f64);
    let candidate = &backtest["candidates"][0];
    assert_eq!(candidate["model"], "bg-nbd");
    assert_eq!(candidate["fitted"], false);
    let curve = candidate["curve"].as_array().unwrap();
    assert_eq!(curve.len(), 39);
    assert_eq!(curve[38]["days"], 273.0);
    assert_eq!(curve[38]["actual"], total_actual as f64);
    let deciles = candidate["deciles"].as_array().unwrap();
    assert_eq!(deciles.len(), 10);
    let decile_actual: f64 = deciles
        .iter()
        .map(|d| d["actual_purchases"].as_f64().unwrap())
        .sum();
    assert_eq!(decile_actual, total_actual as f64);
    // The same backtest over GraphQL.
    let data = app
        .graphql_as(
            t,
            "mutation($input: BacktestInput!) { backtestChurnModel(input: $input) {
                customers actualPurchases candidates { model purchasesMae predictedPurchases } } }",
            json!({"input": {"cutoff": cutoff.to_rfc3339(), "horizonDays": 273,
                   "parameters": [{"model": "bg-nbd", "r": 0.243, "alpha": 4.414 * 7.0, "a": 0.793, "b": 2.426}]}}),
        )
        .await;
    let g = &data["data"]["backtestChurnModel"];
    assert_eq!(g["customers"], 2357, "{data}");
    let bg = g["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["model"] == "bg-nbd")
        .unwrap();
    assert_eq!(bg["purchasesMae"], candidate["purchases_mae"]);
    assert_eq!(bg["predictedPurchases"], candidate["predicted_purchases"]);
    // Fitted on the platform's calibration data (days), BG/NBD finds the paper's estimates
    // (its alpha in days = 7 x the weekly 4.414).
    let res = app
        .post_as(
            "/v1/models/churn/backtest",
            t,
            &json!({"cutoff": cutoff.to_rfc3339(), "horizon_days": 273, "models": ["bg-nbd"]}),
        )
        .await;
    let fitted: Value = res.json().await.unwrap();
    let p = &fitted["candidates"][0]["parameters"];
    let close = |name: &str, want: f64, tol: f64| {
        let got = p[name].as_f64().unwrap();
        assert!((got - want).abs() <= tol, "{name}: {got} vs {want}");
    };
    close("r", 0.243, 0.0005);
    close("alpha", 4.414 * 7.0, 0.0005 * 7.0);
    close("a", 0.793, 0.0005);
    close("b", 2.426, 0.0005);
}

#[tokio::test]
async fn backtest_input_is_validated_field_by_field() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Checks").await;
    let t = &ws.owner_token;
    add_accounts(&app, t, &["a".to_owned()]).await;
    let bought = Utc::now() - Duration::days(100);
    add_orders(
        &app,
        t,
        &[
            json!({"account_external_id": "a", "external_id": "o1", "amount": 1000,
                 "currency": "USD", "occurred_at": bought.to_rfc3339()}),
        ],
    )
    .await;
    let cutoff = (Utc::now() - Duration::days(10)).to_rfc3339();
    let cases = [
        (json!({"cutoff": cutoff, "horizon_days": 0}), "horizon_days"),
        (
            json!({"cutoff": cutoff, "horizon_days": 3651}),
            "horizon_days",
        ),
        (
            json!({"cutoff": (Utc::now() + Duration::days(1)).to_rfc3339(), "horizon_days": 30}),
            "cutoff",
        ),
        (
            json!({"cutoff": (bought - Duration::days(1)).to_rfc3339(), "horizon_days": 30}),
            "cutoff",
        ),
        (
            json!({"cutoff": cutoff, "horizon_days": 30, "models": ["bg-nbd", "nbd"]}),
            "models[1]",
        ),
        (
            json!({"cutoff": cutoff, "horizon_days": 30, "parameters": [{"model": "bg-nbd", "r": 1.0, "alpha": 2.0, "a": 1.0}]}),
            "parameters[0].b",
        ),
        (
            json!({"cutoff": cutoff, "horizon_days": 30, "parameters": [{"model": "pareto-nbd", "r": 1.0, "alpha": -2.0, "s": 1.0, "beta": 1.0}]}),
            "parameters[0].alpha",
        ),
    ];
    for (body, field) in cases {
        let res = app.post_as("/v1/models/churn/backtest", t, &body).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    // One customer without a repeat purchase: the models cannot be fitted, which each
    // candidate reports, and the backtest still answers.
    let res = app
        .post_as(
            "/v1/models/churn/backtest",
            t,
            &json!({"cutoff": cutoff, "horizon_days": 30}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let b: Value = res.json().await.unwrap();
    assert_eq!(b["customers"], 1);
    assert_eq!(b["complete"], false);
    for c in b["candidates"].as_array().unwrap() {
        assert_eq!(c["issue"]["code"], "no_repeat_purchases", "{c}");
    }
    assert_eq!(b["best"], Value::Null);
    let data = app
        .graphql_as(
            t,
            "mutation { backtestChurnModel(input: {cutoff: \"2020-01-01T00:00:00Z\", horizonDays: 5000}) { customers } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data["errors"][0]["extensions"]["code"], "validation_failed",
        "{data}"
    );
}

/// Purchases of a buy-till-you-die population over 18 months.
fn simulate(customers: usize) -> Vec<(usize, DateTime<Utc>, i64)> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(20);
    let start = Utc::now() - Duration::days(540);
    let mut out = Vec::new();
    for customer in 0..customers {
        let mut day = rng.random_range(0.0..300.0);
        let rate: f64 = rng.random_range(0.01..0.08);
        let drop: f64 = rng.random_range(0.05..0.5);
        loop {
            out.push((
                customer,
                start + Duration::seconds((day * 86_400.0) as i64),
                rng.random_range(2_000..15_000),
            ));
            if rng.random_bool(drop) {
                break;
            }
            day += -rng.random_range(f64::EPSILON..1.0f64).ln() / rate;
            if day >= 539.0 {
                break;
            }
        }
    }
    out
}

async fn simulated_workspace(app: &TestApp, name: &str) -> common::Workspace {
    let ws = app.workspace(name).await;
    let t = &ws.owner_token;
    let ids: Vec<String> = (0..200).map(|i| format!("c{i}")).collect();
    add_accounts(app, t, &ids).await;
    let orders: Vec<Value> = simulate(200)
        .iter()
        .enumerate()
        .map(|(n, (c, at, amount))| {
            json!({"account_external_id": format!("c{c}"), "external_id": format!("o{n}"),
                   "amount": amount, "currency": "USD", "occurred_at": at.to_rfc3339()})
        })
        .collect();
    add_orders(app, t, &orders).await;
    ws
}

async fn set_purchase_model(app: &TestApp, t: &str, model: &str) -> reqwest::Response {
    app.send(
        Method::PATCH,
        "/v1/workspace/value-settings",
        t,
        Some(&json!({ "purchase_model": model })),
    )
    .await
}

#[tokio::test]
async fn the_workspace_picks_the_purchase_model_predictions_use() {
    let app = TestApp::spawn().await;
    let ws = simulated_workspace(&app, "Chooser").await;
    let t = &ws.owner_token;
    let settings: Value = app
        .get_as("/v1/workspace/value-settings", t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings["purchase_model"], "bg-nbd");
    let res = set_purchase_model(&app, t, "nbd").await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "purchase_model");

    assert_eq!(
        set_purchase_model(&app, t, "pareto-nbd").await.status(),
        200
    );
    let res = app.post_as("/v1/models/churn/fit", t, &json!({})).await;
    assert_eq!(res.status(), 200);
    let model: Value = res.json().await.unwrap();
    let pm = &model["purchase_model"];
    assert_eq!(pm["setting"], "pareto-nbd", "{model}");
    assert_eq!(pm["model"], "pareto-nbd");
    assert_eq!(pm["selection"], Value::Null);
    let p = &pm["parameters"];
    let pareto = ParetoNbdParams::new(
        p["r"].as_f64().unwrap(),
        p["alpha"].as_f64().unwrap(),
        p["s"].as_f64().unwrap(),
        p["beta"].as_f64().unwrap(),
    )
    .unwrap();
    // An account's P(alive) and expected orders are Pareto/NBD's at its (x, t_x, T).
    let page: Value = app
        .get_as("/v1/accounts?limit=20", t)
        .await
        .json()
        .await
        .unwrap();
    let mut checked = 0;
    for a in page["data"].as_array().unwrap() {
        let profile: Value = app
            .get_as(
                &format!("/v1/accounts/{}/profile", a["id"].as_str().unwrap()),
                t,
            )
            .await
            .json()
            .await
            .unwrap();
        let m = &profile["metrics"];
        if m["orders_count"] == 0 {
            continue;
        }
        let c = CustomerSummary::new(
            m["repeat_purchases"].as_f64().unwrap(),
            m["days_between_first_and_last"].as_f64().unwrap(),
            m["age_days"].as_f64().unwrap(),
        )
        .unwrap();
        let p_alive = m["p_alive"].as_f64().unwrap();
        assert!((p_alive - pareto.p_alive(&c)).abs() < 1e-12, "{m}");
        let e90 = m["expected_orders_90d"].as_f64().unwrap();
        assert!((e90 - pareto.expected_purchases(&c, 90.0)).abs() < 1e-12);
        assert!(m["clv"].is_i64());
        checked += 1;
    }
    assert!(checked > 5);

    // auto: every candidate scored on the holdout, the lowest error chosen.
    assert_eq!(set_purchase_model(&app, t, "auto").await.status(), 200);
    let model: Value = app
        .post_as("/v1/models/churn/fit", t, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let pm = &model["purchase_model"];
    assert_eq!(pm["setting"], "auto", "{model}");
    let selection = &pm["selection"];
    assert_eq!(selection["rule"], "holdout_mae", "{selection}");
    // The span is about 540 days: the last third is held out.
    let days = selection["holdout_days"].as_i64().unwrap();
    assert!((170..=180).contains(&days), "{days}");
    let candidates = selection["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 3);
    let best = candidates
        .iter()
        .min_by(|a, b| {
            a["holdout_mae"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["holdout_mae"].as_f64().unwrap())
        })
        .unwrap();
    assert_eq!(pm["model"], best["model"]);
    // The backtest at the same cutoff scores the same.
    let b: Value = app
        .post_as(
            "/v1/models/churn/backtest",
            t,
            &json!({"cutoff": selection["cutoff"], "horizon_days": days}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(b["customers"], selection["holdout_customers"]);
    for c in candidates {
        let mirrored = b["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["model"] == c["model"])
            .unwrap();
        let (x, y) = (
            c["holdout_mae"].as_f64().unwrap(),
            mirrored["purchases_mae"].as_f64().unwrap(),
        );
        assert!((x - y).abs() < 1e-9, "{c} vs {mirrored}");
    }
    // GraphQL shows the setting and the choice.
    let data = app
        .graphql_as(
            t,
            "{ valueSettings { purchaseModel } churnModel { purchaseModel { model setting selection { rule candidates { model holdoutMae } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data["data"]["valueSettings"]["purchaseModel"], "auto",
        "{data}"
    );
    let g = &data["data"]["churnModel"]["purchaseModel"];
    assert_eq!(g["model"], pm["model"]);
    assert_eq!(g["selection"]["rule"], "holdout_mae");
    assert_eq!(g["selection"]["candidates"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn metrics_and_the_at_risk_list_as_of_a_past_instant_agree_with_a_backtest_there() {
    let app = TestApp::spawn().await;
    let ws = simulated_workspace(&app, "AsOf").await;
    let t = &ws.owner_token;
    let model: Value = app
        .post_as("/v1/models/churn/fit", t, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let params = model["purchase_model"]["parameters"].clone();
    assert_eq!(params["model"], "bg-nbd", "{model}");
    let as_of = (Utc::now() - Duration::days(200)).to_rfc3339();
    // A backtest at the current model's parameters, 90 days ahead, at that instant.
    let b: Value = app
        .post_as(
            "/v1/models/churn/backtest",
            t,
            &json!({"cutoff": as_of, "horizon_days": 90, "models": ["bg-nbd"],
                    "parameters": [params], "customers": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let rows = b["customer_rows"].as_array().unwrap();
    assert!(rows.len() > 20, "{b}");
    let now_metrics: Value = app
        .get_as(
            &format!(
                "/v1/accounts/{}/metrics",
                rows[0]["account_id"].as_str().unwrap()
            ),
            t,
        )
        .await
        .json()
        .await
        .unwrap();
    for row in rows.iter().take(15) {
        let id = row["account_id"].as_str().unwrap();
        let res = app
            .get_as(
                &format!(
                    "/v1/accounts/{id}/metrics?as_of={}",
                    as_of.replace('+', "%2B")
                ),
                t,
            )
            .await;
        assert_eq!(res.status(), 200);
        let m: Value = res.json().await.unwrap();
        assert_eq!(m["repeat_purchases"], row["repeat_purchases"]);
        assert_eq!(
            m["days_between_first_and_last"],
            row["days_between_first_and_last"]
        );
        assert_eq!(m["age_days"], row["age_days"]);
        let p = &row["predictions"][0];
        let close = |a: &Value, b: &Value| {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        };
        close(&m["p_alive"], &p["p_alive"]);
        close(&m["expected_orders_90d"], &p["expected_purchases"]);
        // GraphQL says the same.
        let data = app
            .graphql_as(
                t,
                "query($id: ID!, $at: DateTime) { account(id: $id) { metrics(asOf: $at) { pAlive ageDays repeatPurchases } } }",
                json!({"id": id, "at": as_of}),
            )
            .await;
        let g = &data["data"]["account"]["metrics"];
        assert_eq!(g["pAlive"], m["p_alive"], "{data}");
        assert_eq!(g["ageDays"], m["age_days"]);
    }
    assert!(now_metrics["age_days"].as_i64().unwrap() > rows[0]["age_days"].as_i64().unwrap());
    // The at-risk list as of then ranks exactly the backtest's customers.
    let mut ranked = BTreeMap::new();
    let mut after = String::new();
    loop {
        let page: Value = app
            .get_as(
                &format!(
                    "/v1/analytics/at-risk?limit=500&as_of={}{after}",
                    as_of.replace('+', "%2B")
                ),
                t,
            )
            .await
            .json()
            .await
            .unwrap();
        for a in page["data"].as_array().unwrap() {
            ranked.insert(
                a["account_id"].as_str().unwrap().to_owned(),
                a["churn_probability"].as_f64().unwrap(),
            );
        }
        match page["next_cursor"].as_str() {
            Some(c) => after = format!("&after={c}"),
            None => break,
        }
    }
    assert_eq!(ranked.len(), rows.len());
    let data = app
        .graphql_as(
            t,
            "query($at: DateTime) { atRiskAccounts(first: 500, asOf: $at) { nodes { accountId churnProbability } } }",
            json!({"at": as_of}),
        )
        .await;
    let nodes = data["data"]["atRiskAccounts"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{data}"));
    assert_eq!(nodes.len(), ranked.len().min(500));
    for n in nodes {
        assert_eq!(
            n["churnProbability"].as_f64(),
            Some(ranked[n["accountId"].as_str().unwrap()])
        );
    }
    for row in rows {
        let churn = ranked[row["account_id"].as_str().unwrap()];
        let p_alive = row["predictions"][0]["p_alive"].as_f64().unwrap();
        assert!((churn - (1.0 - p_alive)).abs() < 1e-12);
    }
    // Not in the future.
    let future = (Utc::now() + Duration::days(1))
        .to_rfc3339()
        .replace('+', "%2B");
    let id = rows[0]["account_id"].as_str().unwrap();
    for path in [
        format!("/v1/accounts/{id}/metrics?as_of={future}"),
        format!("/v1/analytics/at-risk?as_of={future}"),
    ] {
        let problem = assert_problem(app.get_as(&path, t).await, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "as_of", "{path}");
    }
    let problem = assert_problem(
        app.get_as(&format!("/v1/accounts/{id}/metrics?as_of=yesterday"), t)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "as_of");
}
