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

/// Refunds an order (`body` `{}`: the rest of it), expecting 200.
async fn refund(app: &TestApp, t: &str, order: &str, body: Value) {
    post(app, t, &format!("/v1/orders/{order}/refund"), body, 200).await;
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
    refund(&app, t, &o, json!({"amount": 1_000})).await;
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

    // A deleted account's complaints, its compensation and its place among the detractors
    // go with it; the other account's stay.
    let res = app
        .send(
            reqwest::Method::DELETE,
            &format!("/v1/accounts/{d1}"),
            t,
            None,
        )
        .await;
    assert_eq!(res.status(), 204);
    let r = report(&app, t, "from=2025-06-01&to=2025-07-31").await;
    let c = &r["complaints"];
    assert_eq!(c["opened"], 1);
    assert_eq!(c["resolved"], 0);
    assert_eq!(c["active"], 1);
    assert!(c["resolution_minutes_median"].is_null(), "{c}");
    assert!(c["first_response_minutes_median"].is_null(), "{c}");
    let categories: Vec<&str> = c["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["category"].as_str().unwrap())
        .collect();
    assert_eq!(categories, ["billing"]);
    let at_risk: Vec<&str> = r["detractors_at_risk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(at_risk, ["D2"]);
    let detractors = r["value_by_nps_category"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["nps_category"] == "detractor")
        .unwrap()
        .clone();
    assert_eq!(detractors["customers"], 1);
    assert_eq!(detractors["revenue"], 0);
}

/// `(nps_responses, promoters, detractors, csat_responses)` of a report group by key.
fn counts(groups: &Value, key: &str) -> (i64, i64, i64, i64) {
    let g = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == key)
        .unwrap_or_else(|| panic!("no group {key} in {groups}"));
    let s = &g["scores"];
    (
        s["nps_responses"].as_i64().unwrap(),
        s["promoters"].as_i64().unwrap(),
        s["detractors"].as_i64().unwrap(),
        s["csat_responses"].as_i64().unwrap(),
    )
}

fn keys(groups: &Value) -> Vec<String> {
    groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap().to_owned())
        .collect()
}

/// The 95 % interval of NPS by hand: `100 · 1.96 · sqrt((p + d - (p - d)^2) / n)`.
fn margin(promoters: f64, detractors: f64, n: f64) -> f64 {
    let (p, d) = (promoters / n, detractors / n);
    1.959_963_984_540_054 * 100.0 * ((p + d - (p - d).powi(2)) / n).sqrt()
}

#[tokio::test]
async fn breakdowns_by_segment_tier_and_owner_equal_a_hand_computation() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Breakdowns").await;
    let t = &ws.owner_token;
    let res = app
        .send(
            reqwest::Method::PUT,
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
    assert_eq!(res.status(), 200);
    let owned = |name: &str| json!({"kind": "person", "name": name, "owner_id": ws.owner_id});
    let a = post(&app, t, "/v1/accounts", owned("A"), 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let c = post(&app, t, "/v1/accounts", owned("C"), 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = account(&app, t, "B").await;
    let gone = account(&app, t, "Gone").await;
    // A and B buy (so they have an RFM segment and a loyalty membership in tier Base);
    // C never does.
    order(&app, t, &a, 10_000, "2026-01-02T00:00:00Z").await;
    order(&app, t, &b, 2_000, "2026-01-03T00:00:00Z").await;
    let f = |acc: &str, nps: i64, csat: Option<i64>| {
        let mut r = json!({"account_id": acc, "nps": nps, "touchpoint": "purchase",
                           "occurred_at": "2026-01-10T00:00:00Z"});
        if let Some(csat) = csat {
            r["csat"] = json!(csat);
        }
        r
    };
    post(
        &app,
        t,
        "/v1/feedback/batch",
        json!({"responses": [
            f(&a, 10, Some(5)), f(&a, 9, None), f(&b, 3, Some(2)),
            f(&c, 8, None), f(&c, 6, Some(4)), f(&gone, 0, Some(1)),
        ]}),
        200,
    )
    .await;
    // A deleted account's responses count nowhere.
    let res = app
        .send(
            reqwest::Method::DELETE,
            &format!("/v1/accounts/{gone}"),
            t,
            None,
        )
        .await;
    assert_eq!(res.status(), 204);

    let r = report(&app, t, "from=2026-01-01&to=2026-01-31").await;
    // Owner: A and C (10, 9, 8, 6): P = 2, D = 1 of 4, NPS 25; no owner: B (3), NPS -100.
    assert_eq!(keys(&r["by_owner"]), [ws.owner_id.clone(), "none".into()]);
    let owner = &r["by_owner"][0]["scores"];
    assert_eq!(counts(&r["by_owner"], &ws.owner_id), (4, 2, 1, 2));
    close(&owner["nps"], 25.0);
    close(&owner["nps_low"], 25.0 - margin(2.0, 1.0, 4.0));
    // The interval is clamped to [-100, 100].
    close(
        &owner["nps_high"],
        (25.0 + margin(2.0, 1.0, 4.0)).min(100.0),
    );
    close(&owner["csat_average"], 4.5);
    assert_eq!(counts(&r["by_owner"], "none"), (1, 0, 1, 1));
    close(&r["by_owner"][1]["scores"]["nps"], -100.0);
    // Tier: A and B are members in Base (10, 9, 3): NPS 100 (2 - 1) / 3; C is none (8, 6).
    assert_eq!(keys(&r["by_tier"]), ["Base", "none"]);
    assert_eq!(counts(&r["by_tier"], "Base"), (3, 2, 1, 2));
    close(&r["by_tier"][0]["scores"]["nps"], 100.0 / 3.0);
    close(
        &r["by_tier"][0]["scores"]["nps_low"],
        100.0 / 3.0 - margin(2.0, 1.0, 3.0),
    );
    close(&r["by_tier"][0]["scores"]["csat_average"], 3.5);
    assert_eq!(counts(&r["by_tier"], "none"), (2, 0, 1, 1));
    close(&r["by_tier"][1]["scores"]["nps"], -50.0);
    // RFM segment: the current one of each account's value metrics (set here as a model
    // refresh would: fitting a model needs more customers than a test has); C has none.
    let set_segments = |a_segment: &str, b_segment: &str| {
        let mut conn = app.db.connect();
        let scores = |id: &str, segment: &str| rapport_persistence::value::Scores {
            account_id: id.to_owned(),
            r: Some(3),
            f: Some(3),
            m: Some(3),
            segment: Some(segment.to_owned()),
        };
        rapport_persistence::value::set_scores(
            &mut conn,
            &ws.id,
            &[scores(&a, a_segment), scores(&b, b_segment)],
        )
        .unwrap();
    };
    set_segments("champions", "at_risk");
    let r = report(&app, t, "from=2026-01-01&to=2026-01-31").await;
    assert_eq!(keys(&r["by_rfm_segment"]), ["at_risk", "champions", "none"]);
    assert_eq!(counts(&r["by_rfm_segment"], "champions"), (2, 2, 0, 1));
    close(&r["by_rfm_segment"][1]["scores"]["nps"], 100.0);
    assert_eq!(counts(&r["by_rfm_segment"], "at_risk"), (1, 0, 1, 1));
    assert_eq!(counts(&r["by_rfm_segment"], "none"), (2, 0, 1, 1));
    // Segments are the current ones: when B becomes a champion, its past responses follow.
    set_segments("champions", "champions");
    let moved = report(&app, t, "from=2026-01-01&to=2026-01-31").await;
    assert_eq!(keys(&moved["by_rfm_segment"]), ["champions", "none"]);
    assert_eq!(counts(&moved["by_rfm_segment"], "champions"), (3, 2, 1, 2));
    close(
        &moved["by_rfm_segment"][0]["scores"]["nps_low"],
        100.0 / 3.0 - margin(2.0, 1.0, 3.0),
    );
    // The overall excludes the deleted account too: 5 NPS responses, P = 2, D = 2.
    assert_eq!(r["overall"]["nps_responses"], 5);
    close(&r["overall"]["nps"], 0.0);

    // GraphQL: the same groups.
    let q = app
        .graphql_as(
            t,
            "{ satisfactionReport(from: \"2026-01-01\", to: \"2026-01-31\") { byOwner { key scores { npsResponses nps } } byTier { key scores { npsResponses nps npsLow } } byRfmSegment { key scores { npsResponses } } } }",
            json!({}),
        )
        .await;
    let g = &q["data"]["satisfactionReport"];
    for (gql, rest) in [
        ("byOwner", "by_owner"),
        ("byTier", "by_tier"),
        ("byRfmSegment", "by_rfm_segment"),
    ] {
        let got: Vec<(String, i64)> = g[gql]
            .as_array()
            .unwrap_or_else(|| panic!("{q}"))
            .iter()
            .map(|x| {
                (
                    x["key"].as_str().unwrap().to_owned(),
                    x["scores"]["npsResponses"].as_i64().unwrap(),
                )
            })
            .collect();
        let want: Vec<(String, i64)> = moved[rest]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["key"].as_str().unwrap().to_owned(),
                    x["scores"]["nps_responses"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, want, "{gql}");
    }
    close(
        &g["byTier"][0]["scores"]["npsLow"],
        r["by_tier"][0]["scores"]["nps_low"].as_f64().unwrap(),
    );
}

/// A complaint resolved at `resolved` against a resolution due time `due`, written straight
/// through the persistence layer: the API resolves at the current time, and the value
/// comparison needs resolutions at least 90 days old.
fn resolved_complaint(app: &TestApp, ws: &str, account: &str, due: &str, resolved: &str) {
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    let opened = at(due) - chrono::Duration::hours(72);
    let mut conn = app.db.connect();
    rapport_persistence::complaints::insert(
        &mut conn,
        &rapport_persistence::complaints::ComplaintRow {
            id: uuid::Uuid::now_v7().to_string(),
            workspace_id: ws.into(),
            account_id: account.into(),
            order_id: None,
            contact_id: None,
            interaction_id: None,
            feedback_id: None,
            category: "delivery".into(),
            severity: "medium".into(),
            channel: None,
            owner_id: None,
            subject: "Late".into(),
            description: None,
            status: "resolved".into(),
            opened_at: opened,
            first_response_due_at: opened + chrono::Duration::hours(8),
            resolution_due_at: at(due),
            first_responded_at: Some(opened + chrono::Duration::hours(1)),
            resolved_at: Some(at(resolved)),
            closed_at: None,
            first_response_breached_at: None,
            resolution_breached_at: None,
            outcome: Some("done".into()),
            version: 1,
            created_at: opened,
            updated_at: at(resolved),
        },
    )
    .unwrap();
}

#[tokio::test]
async fn complainants_value_by_resolution_sla_equals_a_hand_computation() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Sla").await;
    let t = &ws.owner_token;
    let e = account(&app, t, "E").await;
    let f = account(&app, t, "F").await;
    let g = account(&app, t, "G").await;
    let h = account(&app, t, "H").await;
    let gone = account(&app, t, "Gone").await;
    // E: resolved in time on 06-10, buys 5,000 on 07-01 and 4,000 a year later (outside).
    resolved_complaint(&app, &ws.id, &e, "2025-06-12 00:00", "2025-06-10 00:00");
    order(&app, t, &e, 5_000, "2025-07-01T00:00:00Z").await;
    order(&app, t, &e, 4_000, "2026-06-01T00:00:00Z").await;
    // F: resolved in time, never buys again (churned).
    resolved_complaint(&app, &ws.id, &f, "2025-06-20 00:00", "2025-06-15 00:00");
    // G: an earlier complaint in time, the latest one (06-20) late: counts as breached;
    // buys 2,000 on 06-25 and 1,500 the day before the resolution (not after it).
    resolved_complaint(&app, &ws.id, &g, "2025-06-06 00:00", "2025-06-05 00:00");
    resolved_complaint(&app, &ws.id, &g, "2025-06-18 00:00", "2025-06-20 00:00");
    order(&app, t, &g, 1_500, "2025-06-19T00:00:00Z").await;
    order(&app, t, &g, 2_000, "2025-06-25T00:00:00Z").await;
    // H: resolved outside the window. Gone: a deleted account.
    resolved_complaint(&app, &ws.id, &h, "2025-09-12 00:00", "2025-09-10 00:00");
    resolved_complaint(&app, &ws.id, &gone, "2025-06-12 00:00", "2025-06-10 00:00");
    let res = app
        .send(
            reqwest::Method::DELETE,
            &format!("/v1/accounts/{gone}"),
            t,
            None,
        )
        .await;
    assert_eq!(res.status(), 204);

    let r = report(&app, t, "from=2025-06-01&to=2025-07-31").await;
    let by = r["value_by_resolution_sla"].as_array().unwrap();
    assert_eq!(by.len(), 2);
    // Within SLA: E and F; F churned; 5,000 in their 90 days.
    let within = &by[0];
    assert_eq!(within["resolution"], "within_sla");
    assert_eq!(within["customers"], 2);
    assert_eq!(within["churned"], 1);
    close(&within["churn_rate"], 0.5);
    assert_eq!(within["revenue"], 5_000);
    close(&within["revenue_per_customer"], 2_500.0);
    // Breached: G, 2,000 after its latest resolution.
    let breached = &by[1];
    assert_eq!(breached["resolution"], "breached");
    assert_eq!(breached["customers"], 1);
    assert_eq!(breached["churned"], 0);
    close(&breached["churn_rate"], 0.0);
    assert_eq!(breached["revenue"], 2_000);
    close(&breached["revenue_per_customer"], 2_000.0);

    // A window of the last 90 days has nothing mature: zero customers, no rates.
    let recent = report(&app, t, "period=week").await;
    for v in recent["value_by_resolution_sla"].as_array().unwrap() {
        assert_eq!(v["customers"], 0);
        assert!(v["churn_rate"].is_null());
    }

    // GraphQL: the same numbers.
    let q = app
        .graphql_as(
            t,
            "{ satisfactionReport(from: \"2025-06-01\", to: \"2025-07-31\") { valueByResolutionSla { resolution customers churned churnRate revenue revenuePerCustomer } } }",
            json!({}),
        )
        .await;
    let g = &q["data"]["satisfactionReport"]["valueByResolutionSla"];
    assert_eq!(g[0]["resolution"], "within_sla", "{q}");
    assert_eq!(g[0]["customers"], 2);
    assert_eq!(g[0]["revenue"], "5000");
    close(&g[0]["revenuePerCustomer"], 2_500.0);
    assert_eq!(g[1]["customers"], 1);
    close(&g[1]["churnRate"], 0.0);
}

/// The report's groups as `key -> (responses with NPS, promoters, detractors, CSAT
/// responses, CSAT sum · 1000 / responses, CES responses)`.
type Table = std::collections::BTreeMap<String, (i64, i64, i64, i64, i64, i64)>;

fn table(groups: &Value) -> Table {
    groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let s = &g["scores"];
            let n = |k: &str| s[k].as_i64().unwrap();
            let csat_milli = s["csat_average"].as_f64().map_or(0, |a| {
                (a * n("csat_responses") as f64 * 1000.0).round() as i64
            });
            (
                g["key"].as_str().unwrap().to_owned(),
                (
                    n("nps_responses"),
                    n("promoters"),
                    n("detractors"),
                    n("csat_responses"),
                    csat_milli,
                    n("ces_responses"),
                ),
            )
        })
        .collect()
}

/// The same groups recomputed from the raw responses of live accounts.
fn recomputed(
    app: &TestApp,
    ws: &str,
    period: rapport_persistence::feedback::Period,
    from: &str,
    to: &str,
) -> [Table; 4] {
    use rapport_persistence::feedback::{score_cells, Accounts};
    let day = |s: &str| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
    };
    let mut conn = app.db.connect();
    let cells = score_cells(&mut conn, ws, day(from), day(to), period, Accounts::Live).unwrap();
    let mut out: [Table; 4] = Default::default();
    for c in cells {
        let k = &c.counts;
        let keys = [
            "overall".to_owned(),
            c.period.clone(),
            c.touchpoint.clone(),
            c.channel.clone().unwrap_or_else(|| "none".into()),
        ];
        for (t, key) in out.iter_mut().zip(keys) {
            let e = t.entry(key).or_default();
            e.0 += k.nps_responses;
            e.1 += k.promoters;
            e.2 += k.detractors;
            e.3 += k.csat_responses;
            e.4 += k.csat_sum * 1000;
            e.5 += k.ces_responses;
        }
    }
    out
}

#[tokio::test]
async fn the_rollup_report_equals_a_recomputation_from_raw_responses() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Rollup").await;
    let t = &ws.owner_token;
    let a = account(&app, t, "A").await;
    let b = account(&app, t, "B").await;
    let merged = account(&app, t, "Merged").await;
    let deleted = post(
        &app,
        t,
        "/v1/accounts",
        json!({"kind": "person", "name": "Deleted", "external_id": "del-1"}),
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = |acc: &str, ext: &str, nps: i64, tp: &str, ch: Option<&str>, at: &str| {
        let mut v = json!({"account_id": acc, "external_id": ext, "nps": nps,
            "csat": 1 + nps % 5, "touchpoint": tp, "occurred_at": at});
        if nps % 3 == 0 {
            v["ces"] = json!(1 + nps % 7);
        }
        if let Some(ch) = ch {
            v["channel"] = json!(ch);
        }
        v
    };
    // Single writes, each retried: the retry is refused and counts nothing.
    for (acc, ext, nps, tp, ch, at) in [
        (
            &a,
            "s-1",
            10,
            "purchase",
            Some("email"),
            "2026-01-05T08:00:00Z",
        ),
        (&b, "s-2", 4, "support", None, "2026-01-05T23:59:59Z"),
        (
            &merged,
            "s-3",
            7,
            "purchase",
            Some("phone"),
            "2026-02-01T00:00:00Z",
        ),
        (
            &deleted,
            "s-4",
            2,
            "delivery",
            Some("email"),
            "2026-01-20T12:00:00Z",
        ),
    ] {
        let body = r(acc, ext, nps, tp, ch, at);
        post(&app, t, "/v1/feedback", body.clone(), 201).await;
        let res = app.post_as("/v1/feedback", t, &body).await;
        assert_eq!(res.status(), 409);
    }
    // A batch with a repeated external id, sent twice.
    let batch = json!({"responses": [
        r(&a, "b-1", 9, "purchase", Some("email"), "2026-01-05T09:00:00Z"),
        r(&a, "b-2", 6, "delivery", None, "2026-01-12T10:00:00Z"),
        r(&b, "b-3", 8, "purchase", Some("web"), "2026-01-31T23:00:00Z"),
        r(&merged, "b-4", 3, "support", Some("email"), "2026-01-20T10:00:00Z"),
        r(&deleted, "b-5", 10, "purchase", Some("email"), "2026-01-05T10:00:00Z"),
        r(&deleted, "b-6", 9, "app", Some("web"), "2026-02-10T10:00:00Z"),
        r(&a, "b-1", 9, "purchase", Some("email"), "2026-01-05T09:00:00Z"),
        r(&b, "b-7", 0, "app", None, "2026-02-14T10:00:00Z"),
    ]});
    let first = post(&app, t, "/v1/feedback/batch", batch.clone(), 200).await;
    assert_eq!(first["created"], 7);
    let again = post(&app, t, "/v1/feedback/batch", batch, 200).await;
    assert_eq!(again["created"], 0);
    // A merge moves the merged account's responses; a delete hides the deleted one's.
    post(
        &app,
        t,
        &format!("/v1/accounts/{a}/merge"),
        json!({"from": [merged]}),
        200,
    )
    .await;
    let res = app
        .send(
            reqwest::Method::DELETE,
            &format!("/v1/accounts/{deleted}"),
            t,
            None,
        )
        .await;
    assert_eq!(res.status(), 204);

    use rapport_persistence::feedback::Period;
    for (query, period, from, to) in [
        (
            "from=2026-01-01&to=2026-02-28",
            Period::Month,
            "2026-01-01",
            "2026-03-01",
        ),
        (
            "period=week&from=2026-01-05&to=2026-02-15",
            Period::Week,
            "2026-01-05",
            "2026-02-16",
        ),
        (
            "from=2026-01-06&to=2026-01-31",
            Period::Month,
            "2026-01-01",
            "2026-02-01",
        ),
    ] {
        let report = report(&app, t, query).await;
        let [overall, over_time, by_touchpoint, by_channel] =
            recomputed(&app, &ws.id, period, from, to);
        let got_overall = table(&json!([{"key": "overall", "scores": report["overall"]}]));
        assert_eq!(got_overall, overall, "{query}");
        assert_eq!(table(&report["over_time"]), over_time, "{query}");
        assert_eq!(table(&report["by_touchpoint"]), by_touchpoint, "{query}");
        assert_eq!(table(&report["by_channel"]), by_channel, "{query}");
    }
    // By hand, January: A (10, 9, 6) and B (4, 8) and the merged account's (3) now A's;
    // the deleted account's (2, 10) left out: 6 responses, P = 2, D = 3.
    let jan = report(&app, t, "from=2026-01-01&to=2026-01-31").await;
    assert_eq!(jan["overall"]["nps_responses"], 6);
    assert_eq!(jan["overall"]["promoters"], 2);
    assert_eq!(jan["overall"]["detractors"], 3);
    // An upsert by external id brings the deleted account back, and its responses with it.
    let upsert = post(
        &app,
        t,
        "/v1/accounts/batch",
        json!({"accounts": [{"kind": "person", "name": "Deleted", "external_id": "del-1"}]}),
        200,
    )
    .await;
    assert_eq!(upsert["results"][0]["id"], json!(deleted), "{upsert}");
    let jan = report(&app, t, "from=2026-01-01&to=2026-01-31").await;
    assert_eq!(jan["overall"]["nps_responses"], 8);
    let [overall, ..] = recomputed(&app, &ws.id, Period::Month, "2026-01-01", "2026-02-01");
    let got = table(&json!([{"key": "overall", "scores": jan["overall"]}]));
    assert_eq!(got, overall);
}

/// Breakdown cells as comparable tuples, sorted.
type CellKey = (Option<String>, Option<i32>, Option<String>, [i64; 9]);

fn cell_keys(cells: Vec<rapport_persistence::feedback::AccountCell>) -> Vec<CellKey> {
    let mut out: Vec<CellKey> = cells
        .into_iter()
        .map(|c| {
            let k = c.counts;
            (
                c.rfm_segment,
                c.tier,
                c.owner_id,
                [
                    k.responses,
                    k.nps_responses,
                    k.promoters,
                    k.detractors,
                    k.csat_responses,
                    k.csat_sum,
                    k.csat_satisfied,
                    k.ces_responses,
                    k.ces_sum,
                ],
            )
        })
        .collect();
    out.sort();
    out
}

fn group_values(
    mut values: Vec<rapport_persistence::feedback::GroupValue>,
) -> Vec<(String, i64, i64, i64)> {
    values.sort_by(|a, b| a.group.cmp(&b.group));
    values
        .into_iter()
        .map(|v| (v.group, v.customers, v.churned, v.revenue))
        .collect()
}

/// Compares, over windows with whole months and partial ones at either edge (or inside one
/// month), the per-account-month rollup's breakdown cells and value by NPS category with a
/// scan of every response; returns how many breakdown responses and value customers the
/// first window has, so the caller sees the edits move them.
fn rolled_equals_scanned(app: &TestApp, ws: &str, stage: &str) -> (i64, i64) {
    use rapport_persistence::feedback as store;
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    let mut conn = app.db.connect();
    let mut first = None;
    for (from, to) in [
        ("2025-11-01 00:00:00", "2026-04-01 00:00:00"),
        ("2025-12-29 00:00:00", "2026-03-23 00:00:00"),
        ("2026-01-06 00:00:00", "2026-01-31 00:00:00"),
        ("2025-12-15 00:00:00", "2026-03-10 13:00:00"),
        ("2026-02-01 00:00:00", "2026-03-01 00:00:00"),
    ] {
        let (from, to) = (at(from), at(to));
        let cells = cell_keys(store::account_cells(&mut conn, ws, from, to).unwrap());
        let scanned = cell_keys(store::account_cells_scanned(&mut conn, ws, from, to).unwrap());
        assert_eq!(cells, scanned, "{stage}: breakdown cells in [{from}, {to})");
        let values = group_values(store::value_by_category(&mut conn, ws, from, to).unwrap());
        let scanned =
            group_values(store::value_by_category_scanned(&mut conn, ws, from, to).unwrap());
        assert_eq!(
            values, scanned,
            "{stage}: value by category in [{from}, {to})"
        );
        first.get_or_insert((
            cells.iter().map(|c| c.3[0]).sum(),
            values.iter().map(|v| v.1).sum(),
        ));
    }
    // Every NPS response's stored 90-day outcome equals a scan of the orders, and every
    // account-month's latest outcome and next NPS month equal a scan of the responses.
    assert_eq!(
        store::outcome_drift(&mut conn, ws).unwrap(),
        (0, 0),
        "{stage}: stored outcomes (responses, months) that differ from a scan"
    );
    first.unwrap()
}

#[tokio::test]
async fn breakdowns_and_value_from_the_account_months_equal_a_scan_through_every_edit() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("AccountMonths").await;
    let t = &ws.owner_token;
    let res = app
        .send(
            reqwest::Method::PUT,
            "/v1/loyalty/program",
            t,
            Some(&json!({
                "currency": "USD",
                "earn_rate": {"numerator": 1, "denominator": 1},
                "tiers": [
                    {"name": "Base", "threshold": 0, "multiplier_permille": 1000},
                    {"name": "Gold", "threshold": 20000, "multiplier_permille": 1000}
                ],
                "expiry_months": 120
            })),
        )
        .await;
    assert_eq!(res.status(), 200);
    let a = account(&app, t, "A").await;
    let b = account(&app, t, "B").await;
    let merged = account(&app, t, "Merged").await;
    let erased = account(&app, t, "Erased").await;
    let gone = post(
        &app,
        t,
        "/v1/accounts",
        json!({"kind": "person", "name": "Gone", "external_id": "gone-1"}),
        201,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (acc, amount, at) in [
        (&a, 5_000, "2025-12-20T10:00:00Z"),
        (&a, 7_000, "2026-02-03T10:00:00Z"),
        (&b, 2_000, "2026-01-25T10:00:00Z"),
        (&merged, 9_000, "2026-03-01T10:00:00Z"),
        (&erased, 1_000, "2026-02-20T10:00:00Z"),
        (&gone, 4_000, "2026-03-05T10:00:00Z"),
    ] {
        order(&app, t, acc, amount, at).await;
    }
    let f = |acc: &str, nps: Option<i64>, csat: i64, at: &str| {
        let mut v = json!({"account_id": acc, "csat": csat, "ces": 1 + csat % 7,
                           "touchpoint": "purchase", "occurred_at": at});
        if let Some(nps) = nps {
            v["nps"] = json!(nps);
        }
        v
    };
    // Several responses per account and month, two at the same instant (the id decides
    // which is the latest), some without NPS, some before and after the windows' edges.
    post(
        &app,
        t,
        "/v1/feedback/batch",
        json!({"responses": [
            f(&a, Some(10), 5, "2025-11-30T23:59:59Z"),
            f(&a, Some(3), 2, "2025-12-28T12:00:00Z"),
            f(&a, Some(9), 4, "2026-01-05T12:00:00Z"),
            f(&a, Some(6), 3, "2026-01-05T12:00:00Z"),
            f(&a, None, 1, "2026-01-20T08:00:00Z"),
            f(&a, Some(8), 4, "2026-03-10T12:59:59Z"),
            f(&a, Some(2), 1, "2026-03-10T13:00:00Z"),
            f(&b, Some(7), 3, "2026-01-06T00:00:00Z"),
            f(&b, Some(10), 5, "2026-01-30T23:00:00Z"),
            f(&b, Some(0), 1, "2026-02-14T10:00:00Z"),
            f(&merged, Some(9), 5, "2026-01-10T10:00:00Z"),
            f(&merged, Some(4), 2, "2026-02-28T23:59:59Z"),
            f(&merged, None, 3, "2026-03-22T10:00:00Z"),
            f(&erased, Some(5), 2, "2026-02-02T10:00:00Z"),
            f(&erased, Some(9), 4, "2026-03-23T00:00:00Z"),
            f(&gone, Some(10), 5, "2026-01-15T10:00:00Z"),
            f(&gone, Some(1), 1, "2026-02-15T10:00:00Z"),
        ]}),
        200,
    )
    .await;
    let (responses, customers) = rolled_equals_scanned(&app, &ws.id, "seeded");
    assert_eq!((responses, customers), (17, 5));

    // A later single response in a month that has one, and an earlier one in another: the
    // month's latest moves only for the later.
    post(
        &app,
        t,
        "/v1/feedback",
        f(&b, Some(9), 4, "2026-02-20T10:00:00Z"),
        201,
    )
    .await;
    post(
        &app,
        t,
        "/v1/feedback",
        f(&a, Some(0), 1, "2026-01-01T00:00:00Z"),
        201,
    )
    .await;
    let (responses, customers) = rolled_equals_scanned(&app, &ws.id, "more responses");
    assert_eq!((responses, customers), (19, 5));

    // An owner change moves B's responses between owner groups; an order moves an RFM
    // segment and a tier.
    let res = app
        .send(
            reqwest::Method::PATCH,
            &format!("/v1/accounts/{b}"),
            t,
            Some(&json!({"owner_id": ws.owner_id})),
        )
        .await;
    assert_eq!(res.status(), 200);
    order(&app, t, &b, 30_000, "2026-03-15T10:00:00Z").await;
    rolled_equals_scanned(&app, &ws.id, "owner and order");

    // Orders and refunds after the responses: inside some responses' 90 days, exactly 90
    // days after one (counted) and a second later (not), at a response's own instant (not),
    // after every response's 90 days (nowhere); a batch with two orders of one account; a
    // partial refund (of an order in some responses' 90 days) and a full one.
    let partly = order(&app, t, &a, 3_000, "2026-03-20T10:00:00Z").await;
    order(&app, t, &b, 1_100, "2026-05-15T10:00:00Z").await;
    order(&app, t, &b, 1_300, "2026-05-15T10:00:01Z").await;
    order(&app, t, &erased, 700, "2026-02-02T10:00:00Z").await;
    order(&app, t, &a, 50_000, "2026-09-01T10:00:00Z").await;
    let batch = post(
        &app,
        t,
        "/v1/orders/batch",
        json!({"orders": [
            {"account_id": &merged, "amount": 2_500, "currency": "USD", "occurred_at": "2026-03-25T10:00:00Z"},
            {"account_id": &merged, "amount": 1_500, "currency": "USD", "occurred_at": "2026-03-26T10:00:00Z"},
            {"account_id": &b, "amount": 800, "currency": "USD", "occurred_at": "2026-02-15T10:00:00Z"}
        ]}),
        200,
    )
    .await;
    let fully = batch["results"][2]["id"].as_str().unwrap().to_owned();
    let before = rolled_equals_scanned(&app, &ws.id, "orders after the responses");
    refund(&app, t, &partly, json!({"amount": 1_001})).await;
    refund(&app, t, &fully, json!({})).await;
    assert_eq!(
        rolled_equals_scanned(&app, &ws.id, "refunds after the responses"),
        before
    );

    // Deleted: its responses leave every breakdown and the value comparison.
    let res = app
        .send(
            reqwest::Method::DELETE,
            &format!("/v1/accounts/{gone}"),
            t,
            None,
        )
        .await;
    assert_eq!(res.status(), 204);
    let (responses, customers) = rolled_equals_scanned(&app, &ws.id, "deleted");
    assert_eq!((responses, customers), (17, 4));

    // Merged: the merged account's responses are the survivor's, in the survivor's months.
    post(
        &app,
        t,
        &format!("/v1/accounts/{a}/merge"),
        json!({"from": [merged]}),
        200,
    )
    .await;
    let (responses, customers) = rolled_equals_scanned(&app, &ws.id, "merged");
    assert_eq!((responses, customers), (17, 3));
    let rows: i64 = {
        use diesel::prelude::*;
        use rapport_persistence::schema::feedback_account_months as m;
        let mut conn = app.db.connect();
        m::table
            .filter(m::account_id.eq(&merged))
            .count()
            .get_result(&mut conn)
            .unwrap()
    };
    assert_eq!(rows, 0, "the merged account keeps no months");

    // Erased: the scores stay (nothing personal), anonymised comments and all.
    post(
        &app,
        t,
        &format!("/v1/accounts/{erased}/erase"),
        json!({"confirm": erased}),
        200,
    )
    .await;
    rolled_equals_scanned(&app, &ws.id, "erased");

    // Restored by an upsert on its external id: its responses are back.
    post(
        &app,
        t,
        "/v1/accounts/batch",
        json!({"accounts": [{"kind": "person", "name": "Gone", "external_id": "gone-1"}]}),
        200,
    )
    .await;
    let (responses, customers) = rolled_equals_scanned(&app, &ws.id, "restored");
    assert_eq!((responses, customers), (19, 4));

    // The report reads the rollup: its owner groups and value by NPS category over whole
    // months equal the scan's.
    let r = report(&app, t, "from=2025-11-01&to=2026-03-31").await;
    let mut conn = app.db.connect();
    let from = chrono::NaiveDate::from_ymd_opt(2025, 11, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let to = chrono::NaiveDate::from_ymd_opt(2026, 4, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let mut by_owner: std::collections::BTreeMap<String, (i64, i64, i64)> = Default::default();
    for c in
        rapport_persistence::feedback::account_cells_scanned(&mut conn, &ws.id, from, to).unwrap()
    {
        let e = by_owner
            .entry(c.owner_id.unwrap_or_else(|| "none".into()))
            .or_default();
        e.0 += c.counts.nps_responses;
        e.1 += c.counts.promoters;
        e.2 += c.counts.detractors;
    }
    let got: std::collections::BTreeMap<String, (i64, i64, i64)> = table(&r["by_owner"])
        .into_iter()
        .map(|(k, v)| (k, (v.0, v.1, v.2)))
        .collect();
    assert_eq!(got, by_owner);
    let scanned = group_values(
        rapport_persistence::feedback::value_by_category_scanned(&mut conn, &ws.id, from, to)
            .unwrap(),
    );
    for v in r["value_by_nps_category"].as_array().unwrap() {
        let want = scanned
            .iter()
            .find(|s| s.0 == v["nps_category"].as_str().unwrap())
            .map_or((0, 0, 0), |s| (s.1, s.2, s.3));
        assert_eq!(
            (
                v["customers"].as_i64().unwrap(),
                v["churned"].as_i64().unwrap(),
                v["revenue"].as_i64().unwrap()
            ),
            want,
            "{v}"
        );
    }
}
