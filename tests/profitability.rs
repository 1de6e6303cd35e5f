//! Customer profitability end to end: margin minus acquisition cost (own, converted, or a
//! share of the channel's marketing spend) minus cost to serve (interactions by type and
//! complaints at the workspace's costs) equals a hand computation per customer, in total,
//! in deciles and with the simple CLV; the same figures on the value metrics (REST and
//! GraphQL) and in segment rules; CSV; per workspace; 422s.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{Datelike, Duration, Utc};
use common::{assert_problem, TestApp};
use serde_json::{json, Value};

/// Noon UTC `days` days ago.
fn ago(days: i64) -> String {
    let d = (Utc::now() - Duration::days(days)).date_naive();
    format!("{d}T12:00:00Z")
}

fn month_of(days: i64) -> String {
    let d = (Utc::now() - Duration::days(days)).date_naive();
    format!("{:04}-{:02}", d.year(), d.month())
}

async fn created(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

async fn customer(
    app: &TestApp,
    t: &str,
    name: &str,
    channel: Option<&str>,
    own_cost: Option<(i64, &str)>,
) -> String {
    let mut body = json!({"kind": "person", "name": name});
    if let Some(c) = channel {
        body["acquisition_channel"] = json!(c);
    }
    if let Some((amount, currency)) = own_cost {
        body["acquisition_cost"] = json!({"amount": amount, "currency": currency});
    }
    created(app.post_as("/v1/accounts", t, &body).await).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn order(app: &TestApp, t: &str, account: &str, amount: i64, cost: Option<i64>, days: i64) {
    let mut body = json!({
        "account_id": account, "external_id": format!("{account}-{days}"), "amount": amount,
        "currency": "USD", "occurred_at": ago(days),
    });
    if let Some(c) = cost {
        body["cost"] = json!(c);
    }
    created(app.post_as("/v1/orders", t, &body).await).await;
}

async fn interaction(app: &TestApp, t: &str, account: &str, kind: &str) -> String {
    let body = json!({"type": kind, "subject": format!("A {kind}")});
    created(
        app.post_as(&format!("/v1/accounts/{account}/interactions"), t, &body)
            .await,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn complaint(app: &TestApp, t: &str, account: &str) {
    let body = json!({"account_id": account, "category": "delivery", "severity": "low",
                      "subject": "Late"});
    created(app.post_as("/v1/complaints", t, &body).await).await;
}

struct Seeded {
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
    f: String,
}

/// USD, default margin 30 %, EUR at 1.5; a call costs 800, an e-mail 50 (meetings and
/// notes nothing), a complaint 2500; `ads` spent 5000 in the month 200 days ago.
/// - A (ads, own cost 3000 USD): 400 days ago 10000 cost 6000, 100 days ago 5000 cost
///   2000 (margin 7000); 2 calls, 1 e-mail, 1 complaint (4150): profit -150.
/// - B (ads, no cost): 200 days ago 8000 without cost (margin 2400); a meeting (0); half
///   of the 5000 (2500): profit -100.
/// - C (ads, no cost): 200 days ago 20000 cost 5000, 30 days ago 4000 without cost (margin
///   16200); 1 e-mail, 1 deleted call (50); 2500: profit 13650.
/// - D (no channel): 40 days ago 1000 without cost (margin 300); 2 complaints (5000); no
///   acquisition cost: profit -4700.
/// - E (referral, own cost 100 EUR = 150 USD): 500 days ago 2000 cost 500 (margin 1500):
///   profit 1350.
/// - F (no orders, not a customer): 1 call: profit -800 on its metrics.
async fn seed(app: &TestApp, t: &str) -> Seeded {
    let res = app
        .send(
            reqwest::Method::PATCH,
            "/v1/workspace/value-settings",
            t,
            Some(&json!({"exchange_rates": {"EUR": "1.5"}, "cost_to_serve": {
                "interaction_costs": {"call": 800, "email": 50, "meeting": 0},
                "complaint_cost": 2500}})),
        )
        .await;
    let settings = created(res).await;
    assert_eq!(settings["cost_to_serve"]["interaction_costs"]["call"], 800);
    let a = customer(app, t, "A", Some("ads"), Some((3000, "USD"))).await;
    let b = customer(app, t, "B", Some("ads"), None).await;
    let c = customer(app, t, "C", Some("ads"), None).await;
    let d = customer(app, t, "D", None, None).await;
    let e = customer(app, t, "E", Some("referral"), Some((100, "EUR"))).await;
    let f = customer(app, t, "F", Some("ads"), None).await;
    order(app, t, &a, 10000, Some(6000), 400).await;
    order(app, t, &a, 5000, Some(2000), 100).await;
    order(app, t, &b, 8000, None, 200).await;
    order(app, t, &c, 20000, Some(5000), 200).await;
    order(app, t, &c, 4000, None, 30).await;
    order(app, t, &d, 1000, None, 40).await;
    order(app, t, &e, 2000, Some(500), 500).await;
    for kind in ["call", "call", "email"] {
        interaction(app, t, &a, kind).await;
    }
    complaint(app, t, &a).await;
    interaction(app, t, &b, "meeting").await;
    interaction(app, t, &c, "email").await;
    let deleted = interaction(app, t, &c, "call").await;
    let res = app
        .send(
            reqwest::Method::DELETE,
            &format!("/v1/interactions/{deleted}"),
            t,
            None,
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    complaint(app, t, &d).await;
    complaint(app, t, &d).await;
    interaction(app, t, &f, "call").await;
    let res = app
        .post_as(
            "/v1/marketing-spend",
            t,
            &json!({"channel": "ads", "month": month_of(200), "amount": 5000, "currency": "USD"}),
        )
        .await;
    created(res).await;
    Seeded { a, b, c, d, e, f }
}

fn n(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

#[tokio::test]
async fn profitability_equals_the_hand_computation() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Profit").await;
    let t = &ws.owner_token;
    let s = seed(&app, t).await;

    let res = app.get_as("/v1/analytics/profitability?limit=2", t).await;
    let r = created(res).await;
    assert_eq!(r["currency"], "USD");
    assert_eq!(r["customers"], 5);
    assert_eq!(r["profitable_customers"], 2);
    assert_eq!(r["unprofitable_customers"], 3);
    assert_eq!(r["break_even_customers"], 0);
    assert_eq!(r["uncosted_acquisition_customers"], 1);
    let totals = &r["totals"];
    assert_eq!(n(&totals["revenue"]), 15000 + 8000 + 24000 + 1000 + 2000);
    assert_eq!(n(&totals["margin"]), 7000 + 2400 + 16200 + 300 + 1500);
    assert_eq!(n(&totals["acquisition_cost"]), 3000 + 2500 + 2500 + 150);
    assert_eq!(n(&totals["cost_to_serve"]), 4150 + 50 + 5000);
    assert_eq!(n(&totals["profit"]), 10050);

    // Deciles of 5 customers: ranks 0..4 go to deciles 1, 3, 5, 7, 9.
    let deciles = r["deciles"].as_array().unwrap();
    assert_eq!(deciles.len(), 10);
    let expected = [(1, 13650), (3, 1350), (5, -100), (7, -150), (9, -4700)];
    let mut cumulative = 0;
    for d in deciles {
        let k = n(&d["decile"]);
        match expected.iter().find(|(i, _)| *i == k) {
            Some((_, profit)) => {
                cumulative += profit;
                assert_eq!(d["customers"], 1, "decile {k}");
                assert_eq!(n(&d["totals"]["profit"]), *profit, "decile {k}");
                assert_eq!(n(&d["min_profit"]), *profit);
                assert_eq!(d["share_of_customers"].as_f64().unwrap(), 0.2);
                let share = d["share_of_profit"].as_f64().unwrap();
                assert!((share - *profit as f64 / 10050.0).abs() < 1e-12);
            }
            None => {
                assert_eq!(d["customers"], 0, "decile {k}");
                assert!(d["min_profit"].is_null());
            }
        }
        let c = d["cumulative_share_of_profit"].as_f64().unwrap();
        assert!(
            (c - cumulative as f64 / 10050.0).abs() < 1e-12,
            "decile {k}"
        );
    }
    let top = &deciles[0];
    assert_eq!(n(&top["totals"]["margin"]), 16200);
    assert_eq!(n(&top["totals"]["acquisition_cost"]), 2500);
    assert_eq!(n(&top["totals"]["cost_to_serve"]), 50);

    // Yearly retention: A and E bought 365-730 days ago; only A again since.
    assert_eq!(r["retention_base_customers"], 2);
    assert_eq!(r["retained_customers"], 1);
    assert_eq!(r["retention_rate"].as_f64().unwrap(), 0.5);
    // Simple CLV: margin per order x orders per customer-year x retention.
    let overall = &r["overall"];
    assert_eq!(overall["orders"], 7);
    let margin_per_order = (27400.0f64 / 7.0).round();
    assert_eq!(n(&overall["margin_per_order"]), margin_per_order as i64);
    let years = (400.0 + 200.0 + 200.0 + 40.0 + 500.0) / 365.25;
    let per_year = 7.0 / years;
    assert!((overall["orders_per_year"].as_f64().unwrap() - per_year).abs() < 1e-9);
    assert_eq!(
        n(&overall["simple_clv"]),
        (margin_per_order * per_year * 0.5).round() as i64
    );
    // No model fitted: one group of unscored customers, equal to the overall one.
    let groups = r["by_rfm_segment"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    assert!(groups[0]["rfm_segment"].is_null());
    assert_eq!(groups[0]["totals"], overall["totals"]);
    assert!(overall["model_clv"].is_null());

    let ids = |k: &str| -> Vec<String> {
        r[k].as_array()
            .unwrap()
            .iter()
            .map(|a| a["account_id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids("most_profitable"), vec![s.c.clone(), s.e.clone()]);
    assert_eq!(ids("least_profitable"), vec![s.d.clone(), s.a.clone()]);
    let worst = &r["least_profitable"][0];
    assert_eq!(worst["name"], "D");
    assert!(worst["acquisition_cost"].is_null());
    assert_eq!(n(&worst["cost_to_serve"]), 5000);
    assert_eq!(n(&worst["profit"]), -4700);
    assert_eq!(n(&r["most_profitable"][1]["acquisition_cost"]), 150);

    // The same figures on each account's value metrics, REST and GraphQL.
    let expected = [
        (&s.a, Some(3000), 4150, -150),
        (&s.b, Some(2500), 0, -100),
        (&s.c, Some(2500), 50, 13650),
        (&s.d, None, 5000, -4700),
        (&s.e, Some(150), 0, 1350),
        (&s.f, None, 800, -800),
    ];
    for (id, acquisition, served, profit) in expected {
        let m = created(app.get_as(&format!("/v1/accounts/{id}/metrics"), t).await).await;
        assert_eq!(m["acquisition_cost"].as_i64(), acquisition, "{id}");
        assert_eq!(n(&m["cost_to_serve"]), served, "{id}");
        assert_eq!(n(&m["profit"]), profit, "{id}");
        let g = app
            .graphql_as(
                t,
                &format!(
                    r#"{{ account(id: "{id}") {{ metrics {{ profit costToServe acquisitionCost }} }} }}"#
                ),
                json!({}),
            )
            .await;
        let gm = &g["data"]["account"]["metrics"];
        assert_eq!(gm["profit"].as_str().unwrap(), profit.to_string(), "{g}");
        assert_eq!(gm["costToServe"].as_str().unwrap(), served.to_string());
        assert_eq!(
            gm["acquisitionCost"]
                .as_str()
                .map(|s| s.parse::<i64>().unwrap()),
            acquisition
        );
    }
}

async fn preview(app: &TestApp, t: &str, rule: Value) -> i64 {
    let res = app
        .post_as("/v1/segments/preview", t, &json!({ "rule": rule }))
        .await;
    let body = created(res).await;
    n(&body["count"])
}

#[tokio::test]
async fn segment_rules_test_profit_and_cost_to_serve() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("ProfitRules").await;
    let t = &ws.owner_token;
    seed(&app, t).await;
    // Profits: A -150, B -100, C 13650, D -4700, E 1350, F -800.
    assert_eq!(
        preview(&app, t, json!({"field": "profit", "op": "<", "value": 0})).await,
        4
    );
    assert_eq!(
        preview(
            &app,
            t,
            json!({"field": "profit", "op": "between", "value": [-150, -100]})
        )
        .await,
        2
    );
    assert_eq!(
        preview(
            &app,
            t,
            json!({"field": "profit", "op": "=", "value": 1350})
        )
        .await,
        1
    );
    assert_eq!(
        preview(
            &app,
            t,
            json!({"field": "profit", "op": ">=", "value": 13650})
        )
        .await,
        1
    );
    // Costs to serve: A 4150, B 0, C 50, D 5000, E 0, F 800.
    assert_eq!(
        preview(
            &app,
            t,
            json!({"field": "cost_to_serve", "op": ">=", "value": 800})
        )
        .await,
        3
    );
    assert_eq!(
        preview(&app, t, json!({"field": "cost_to_serve", "op": "exists"})).await,
        4
    );
    assert_eq!(
        preview(
            &app,
            t,
            json!({"not": {"field": "cost_to_serve", "op": ">", "value": 0}})
        )
        .await,
        2
    );
    // New costs move both at once: e-mails now cost 1000 (C: 1000, profit 12700; A: 5100).
    let res = app
        .send(
            reqwest::Method::PATCH,
            "/v1/workspace/value-settings",
            t,
            Some(&json!({"cost_to_serve": {"interaction_costs": {"email": 1000}}})),
        )
        .await;
    created(res).await;
    assert_eq!(
        preview(
            &app,
            t,
            json!({"field": "profit", "op": "=", "value": 12700})
        )
        .await,
        1
    );
    assert_eq!(
        preview(
            &app,
            t,
            json!({"field": "cost_to_serve", "op": "=", "value": 5100})
        )
        .await,
        1
    );
}

#[tokio::test]
async fn csv_graphql_and_rest_agree_per_workspace_with_validation() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("ProfitCsv").await;
    let t = &ws.owner_token;
    seed(&app, t).await;
    let rest = created(app.get_as("/v1/analytics/profitability", t).await).await;
    let g = app
        .graphql_as(
            t,
            "{ profitabilityReport { customers totals { profit costToServe } \
             deciles { decile totals { profit } } overall { simpleClv } \
             leastProfitable { accountId profit } costToServeSettings { complaintCost \
             interactionCosts { interactionType cost } } } }",
            json!({}),
        )
        .await;
    let p = &g["data"]["profitabilityReport"];
    assert_eq!(p["customers"], rest["customers"], "{g}");
    assert_eq!(p["totals"]["profit"].as_str().unwrap(), "10050");
    assert_eq!(p["totals"]["costToServe"].as_str().unwrap(), "9200");
    assert_eq!(
        p["overall"]["simpleClv"].as_str().unwrap(),
        rest["overall"]["simple_clv"].to_string()
    );
    assert_eq!(p["leastProfitable"][0]["profit"].as_str().unwrap(), "-4700");
    assert_eq!(
        p["costToServeSettings"]["complaintCost"].as_str().unwrap(),
        "2500"
    );
    assert_eq!(
        p["costToServeSettings"]["interactionCosts"][0]["interactionType"],
        "call"
    );

    let res = app
        .http
        .get(app.url("/v1/analytics/profitability"))
        .bearer_auth(t)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = res.text().await.unwrap();
    let mut lines = body.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("currency,kind,key,customers,revenue"));
    let decile1 = lines.next().unwrap();
    assert!(
        decile1.starts_with("USD,decile,1,1,24000,16200,2500,50,13650,"),
        "{decile1}"
    );
    assert!(body.contains("\nUSD,overall,,5,50000,27400,8150,9200,10050,"));

    // Another workspace sees none of it; a viewer without analytics:read is refused.
    let other = app.workspace("Elsewhere").await;
    let r = created(
        app.get_as("/v1/analytics/profitability", &other.owner_token)
            .await,
    )
    .await;
    assert_eq!(r["customers"], 0);
    assert_eq!(n(&r["totals"]["profit"]), 0);
    assert!(r["deciles"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["customers"] == 0));
    let (_, key) = app.api_key(&ws, &["accounts:read"]).await;
    assert_problem(
        app.get_as("/v1/analytics/profitability", &key).await,
        403,
        "insufficient_scope",
    )
    .await;

    let problem = assert_problem(
        app.get_as("/v1/analytics/profitability?limit=101", t).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "limit");
    for (patch, field) in [
        (
            json!({"cost_to_serve": {"interaction_costs": {"fax": 10}}}),
            "cost_to_serve.interaction_costs.fax",
        ),
        (
            json!({"cost_to_serve": {"interaction_costs": {"call": -1}}}),
            "cost_to_serve.interaction_costs.call",
        ),
        (
            json!({"cost_to_serve": {"complaint_cost": 1_000_000_001i64}}),
            "cost_to_serve.complaint_cost",
        ),
    ] {
        let res = app
            .send(
                reqwest::Method::PATCH,
                "/v1/workspace/value-settings",
                t,
                Some(&patch),
            )
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{patch}");
    }
}
