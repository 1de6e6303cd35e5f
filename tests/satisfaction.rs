//! `/v1/analytics/satisfaction` against hand computations: NPS and its interval, CSAT, by
//! touchpoint; churn and revenue in the 90 days after the latest NPS response per category;
//! detractors by value at risk; complaint service levels and compensation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TestApp;
use serde_json::{json, Value};

async fn post(app: &TestApp, t: &str, path: &str, body: Value, status: u16) -> Value {
    let res = app.post_as(path, t, &body).await;
    let got = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "POST {path}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn account(app: &TestApp, t: &str, name: &str) -> String {
    post(
        app,
        t,
        "/v1/accounts",
        json!({"kind": "person", "name": name}),
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn order(app: &TestApp, t: &str, a: &str, amount: i64, at: &str) -> String {
    post(
        app,
        t,
        "/v1/orders",
        json!({"account_id": a, "amount": amount, "currency": "USD", "occurred_at": at}),
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn report(app: &TestApp, t: &str, query: &str) -> Value {
    let res = app
        .get_as(&format!("/v1/analytics/satisfaction?{query}"), t)
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn close(got: &Value, want: f64) {
    let got = got
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {got}"));
    assert!((got - want).abs() < 1e-6, "{got} != {want}");
}

#[tokio::test]
async fn nps_and_its_interval_equal_a_hand_computation() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Nps").await;
    let t = &ws.owner_token;
    let a = account(&app, t, "Ada").await;
    let mut responses = Vec::new();
    // 5 promoters at purchase; 3 passives and 2 detractors at delivery; CSAT on four.
    for (i, nps) in [10, 9, 9, 10, 9].iter().enumerate() {
        responses.push(
            json!({"account_id": a, "nps": nps, "touchpoint": "purchase",
            "channel": "email", "occurred_at": format!("2026-01-0{}T10:00:00Z", i + 1)}),
        );
    }
    for (i, nps) in [7, 8, 7, 3, 6].iter().enumerate() {
        responses.push(
            json!({"account_id": a, "nps": nps, "touchpoint": "delivery",
            "occurred_at": format!("2026-01-1{}T10:00:00Z", i + 1)}),
        );
    }
    responses[0]["csat"] = json!(5);
    responses[1]["csat"] = json!(4);
    responses[8]["csat"] = json!(2);
    responses[9]["csat"] = json!(1);
    // Outside the window: not counted.
    responses.push(json!({"account_id": a, "nps": 0, "touchpoint": "web", "occurred_at": "2026-02-01T00:00:00Z"}));
    post(
        &app,
        t,
        "/v1/feedback/batch",
        json!({"responses": responses}),
        200,
    )
    .await;
    let r = report(&app, t, "from=2026-01-01&to=2026-01-31").await;
    let o = &r["overall"];
    assert_eq!(o["nps_responses"], 10);
    assert_eq!(o["promoters"], 5);
    assert_eq!(o["passives"], 3);
    assert_eq!(o["detractors"], 2);
    // NPS = 100 (5 - 2) / 10 = 30; variance = (0.5 + 0.2 - 0.3^2) / 10 = 0.061;
    // margin = 1.959964 * 100 * sqrt(0.061) = 48.40734.
    close(&o["nps"], 30.0);
    let margin = 1.959_963_984_540_054 * 100.0 * 0.061_f64.sqrt();
    assert!((margin - 48.407_3).abs() < 1e-3);
    close(&o["nps_low"], 30.0 - margin);
    close(&o["nps_high"], 30.0 + margin);
    // CSAT: (5 + 4 + 2 + 1) / 4 = 3; satisfied (4-5): 2 of 4.
    assert_eq!(o["csat_responses"], 4);
    close(&o["csat_average"], 3.0);
    close(&o["csat_satisfied_share"], 0.5);
    // By touchpoint: purchase 100 (no spread); delivery: p = 0, d = 0.4, NPS = -40,
    // variance = (0.4 - 0.16) / 5 = 0.048.
    let by: Vec<&Value> = r["by_touchpoint"].as_array().unwrap().iter().collect();
    let delivery = by.iter().find(|g| g["key"] == "delivery").unwrap();
    let purchase = by.iter().find(|g| g["key"] == "purchase").unwrap();
    close(&purchase["scores"]["nps"], 100.0);
    close(&purchase["scores"]["nps_low"], 100.0);
    close(&delivery["scores"]["nps"], -40.0);
    let m = 1.959_963_984_540_054 * 100.0 * 0.048_f64.sqrt();
    close(&delivery["scores"]["nps_low"], -40.0 - m);
    close(&delivery["scores"]["nps_high"], -40.0 + m);
    // By channel: email (the promoters) and none.
    let channels: Vec<&str> = r["by_channel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert_eq!(channels, ["email", "none"]);
    // Over time: one month; by week: the ISO weeks starting 2025-12-29, 01-05, 01-12.
    assert_eq!(r["over_time"].as_array().unwrap().len(), 1);
    assert_eq!(r["over_time"][0]["key"], "2026-01");
    let weekly = report(&app, t, "period=week&from=2026-01-01&to=2026-01-18").await;
    let weeks: Vec<(&str, i64)> = weekly["over_time"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["key"].as_str().unwrap(),
                g["scores"]["nps_responses"].as_i64().unwrap(),
            )
        })
        .collect();
    // Jan 1-4 (Thu-Sun) in the week of Dec 29; Jan 5 and Jan 11 in the week of Jan 5;
    // Jan 12-15 in the week of Jan 12.
    assert_eq!(
        weeks,
        [("2025-12-29", 4), ("2026-01-05", 2), ("2026-01-12", 4)]
    );
    // GraphQL: the same numbers.
    let q = app
        .graphql_as(
            t,
            "{ satisfactionReport(from: \"2026-01-01\", to: \"2026-01-31\") { overall { nps npsLow npsResponses } } }",
            json!({}),
        )
        .await;
    close(&q["data"]["satisfactionReport"]["overall"]["nps"], 30.0);
    close(
        &q["data"]["satisfactionReport"]["overall"]["npsLow"],
        30.0 - margin,
    );
    // Bad input names the field.
    let res = app
        .get_as("/v1/analytics/satisfaction?period=year", t)
        .await;
    let p = common::assert_problem(res, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "period");
}

#[tokio::test]
async fn satisfaction_and_value_equal_a_hand_computation() {
    let app = TestApp::spawn_with(|c| c.complaint_sla_interval_secs = 0).await;
    let ws = app.workspace("Value").await;
    let t = &ws.owner_token;
    let p1 = account(&app, t, "P1").await;
    let p2 = account(&app, t, "P2").await;
    let x = account(&app, t, "X").await;
    let d1 = account(&app, t, "D1").await;
    let d2 = account(&app, t, "D2").await;
    let f = |a: &str, nps: i64, at: &str| json!({"account_id": a, "nps": nps, "touchpoint": "purchase", "occurred_at": at});
    post(
        &app,
        t,
        "/v1/feedback/batch",
        json!({"responses": [
            f(&p1, 10, "2025-06-01T00:00:00Z"),
            f(&p2, 9, "2025-06-01T00:00:00Z"),
            f(&x, 7, "2025-06-01T00:00:00Z"),
            f(&x, 9, "2025-07-01T00:00:00Z"),
            f(&d1, 2, "2025-06-01T00:00:00Z"),
            f(&d2, 5, "2025-06-01T00:00:00Z"),
        ]}),
        200,
    )
    .await;
    // P1: two orders within 90 days (10,000 + 5,000), one after (7,000).
    order(&app, t, &p1, 10_000, "2025-06-10T00:00:00Z").await;
    order(&app, t, &p1, 5_000, "2025-08-01T00:00:00Z").await;
    order(&app, t, &p1, 7_000, "2025-10-01T00:00:00Z").await;
    // P2: nothing (churned). X: latest response 07-01 (promoter): 4,000 before it, 6,000 after.
    order(&app, t, &x, 4_000, "2025-06-15T00:00:00Z").await;
    order(&app, t, &x, 6_000, "2025-07-15T00:00:00Z").await;
    // D1: 3,000 within, 1,000 of it refunded. D2: bought before its response only (churned).
    let o = order(&app, t, &d1, 3_000, "2025-07-01T00:00:00Z").await;
    post(
        &app,
        t,
        &format!("/v1/orders/{o}/refund"),
        json!({"amount": 1_000}),
        200,
    )
    .await;
    order(&app, t, &d2, 3_000, "2025-05-01T00:00:00Z").await;

    let r = report(&app, t, "from=2025-06-01&to=2025-07-31").await;
    let by: Vec<&Value> = r["value_by_nps_category"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    let promoters = by.iter().find(|v| v["nps_category"] == "promoter").unwrap();
    assert_eq!(promoters["customers"], 3);
    assert_eq!(promoters["churned"], 1);
    close(&promoters["churn_rate"], 1.0 / 3.0);
    assert_eq!(promoters["revenue"], 21_000);
    close(&promoters["revenue_per_customer"], 7_000.0);
    let detractors = by
        .iter()
        .find(|v| v["nps_category"] == "detractor")
        .unwrap();
    assert_eq!(detractors["customers"], 2);
    assert_eq!(detractors["churned"], 1);
    close(&detractors["churn_rate"], 0.5);
    assert_eq!(detractors["revenue"], 2_000);
    close(&detractors["revenue_per_customer"], 1_000.0);
    let passives = by.iter().find(|v| v["nps_category"] == "passive").unwrap();
    assert_eq!(passives["customers"], 0);
    assert!(passives["churn_rate"].is_null());
    // Detractors worth saving: no model fitted, so value at risk is the revenue so far.
    let at_risk: Vec<(&str, i64)> = r["detractors_at_risk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap(),
                d["value_at_risk"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(at_risk, [("D2", 3_000), ("D1", 2_000)]);

    // Complaints in the window: one answered and resolved late, one never answered.
    let c1 = post(
        &app,
        t,
        "/v1/complaints",
        json!({"account_id": d1, "order_id": o, "category": "delivery", "severity": "low",
               "subject": "Late", "opened_at": "2025-06-02T00:00:00Z"}),
        201,
    )
    .await;
    post(
        &app,
        t,
        "/v1/complaints",
        json!({"account_id": d2, "category": "billing", "severity": "low",
               "subject": "Wrong", "opened_at": "2025-06-03T00:00:00Z"}),
        201,
    )
    .await;
    post(
        &app,
        t,
        &format!("/v1/complaints/{}/resolve", c1["id"].as_str().unwrap()),
        json!({"outcome": "refunded", "refund": {"amount": 500}}),
        200,
    )
    .await;
    let r = report(&app, t, "from=2025-06-01&to=2025-07-31").await;
    let c = &r["complaints"];
    assert_eq!(c["opened"], 2);
    assert_eq!(c["resolved"], 1);
    assert_eq!(c["active"], 1);
    close(&c["first_response_sla_met"], 0.0);
    close(&c["resolution_sla_met"], 0.0);
    assert!(c["resolution_minutes_median"].as_f64().unwrap() > 60.0 * 24.0 * 365.0);
    let delivery = c["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["category"] == "delivery")
        .unwrap();
    assert_eq!(delivery["compensation_refunds"], 500);
}
