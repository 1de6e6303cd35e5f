//! Campaigns over HTTP, on SQLite (and PostgreSQL + Redis when RAPPORT_TEST_DATABASE_URL is
//! set): a launch snapshots the audience once (retries and second launches create no second
//! audience), leaves out and counts customers without consent, holds out a control group by
//! the documented SHA-256 rule; results equal a computation by hand from the members and the
//! orders in the window (refunds included); a real effect is significant and no effect is
//! not; bad input is a 422 naming the field; nothing crosses workspaces; GraphQL agrees.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;

use common::TestApp;
use diesel::connection::SimpleConnection;
use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

async fn ok(res: reqwest::Response, status: u16) -> Value {
    let got = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Creates `n` people tagged `tag` (consent on e-mail granted unless `no_consent`), 500 a
/// request; returns their ids in order.
async fn people(app: &TestApp, t: &str, tag: &str, n: usize, no_consent: bool) -> Vec<String> {
    let mut ids = Vec::new();
    let items: Vec<Value> = (0..n)
        .map(|i| {
            let mut a = json!({
                "kind": "person",
                "name": format!("{tag} {i}"),
                "external_id": format!("{tag}-{i}-{}", uuid::Uuid::new_v4().simple()),
                "tags": [tag],
            });
            if !no_consent {
                a["marketing_consent"] = json!({"email": {"granted": true}});
            }
            a
        })
        .collect();
    for chunk in items.chunks(500) {
        let res = app
            .post_as("/v1/accounts/batch", t, &json!({ "accounts": chunk }))
            .await;
        let body = ok(res, 200).await;
        for r in body["results"].as_array().unwrap() {
            ids.push(r["id"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(ids.len(), n);
    ids
}

async fn segment(app: &TestApp, t: &str, tag: &str) -> String {
    let res = app
        .post_as(
            "/v1/segments",
            t,
            &json!({"name": format!("Tagged {tag}"), "rule": {"field": "tags", "op": "contains", "value": tag}}),
        )
        .await;
    ok(res, 201).await["id"].as_str().unwrap().to_owned()
}

async fn campaign(app: &TestApp, t: &str, body: Value) -> Value {
    ok(app.post_as("/v1/campaigns", t, &body).await, 201).await
}

async fn launch(app: &TestApp, t: &str, id: &str) -> Value {
    let res = app
        .post_as(&format!("/v1/campaigns/{id}/launch"), t, &json!(null))
        .await;
    ok(res, 200).await
}

/// Every member: account id -> arm.
async fn arms(app: &TestApp, t: &str, id: &str, arm: Option<&str>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut after: Option<String> = None;
    loop {
        let mut path = format!("/v1/campaigns/{id}/members?limit=500");
        if let Some(a) = arm {
            path.push_str(&format!("&arm={a}"));
        }
        if let Some(a) = &after {
            path.push_str(&format!("&after={a}"));
        }
        let page = ok(app.get_as(&path, t).await, 200).await;
        for m in page["data"].as_array().unwrap() {
            out.insert(
                m["account_id"].as_str().unwrap().to_owned(),
                m["arm"].as_str().unwrap().to_owned(),
            );
        }
        match page["next_cursor"].as_str() {
            Some(c) => after = Some(c.to_owned()),
            None => break,
        }
    }
    out
}

async fn orders(app: &TestApp, t: &str, orders: Vec<Value>) -> Vec<String> {
    let mut ids = Vec::new();
    for chunk in orders.chunks(1000) {
        let res = app
            .post_as("/v1/orders/batch", t, &json!({ "orders": chunk }))
            .await;
        let body = ok(res, 200).await;
        for r in body["results"].as_array().unwrap() {
            ids.push(r["id"].as_str().unwrap().to_owned());
        }
    }
    ids
}

async fn results(app: &TestApp, t: &str, id: &str) -> Value {
    ok(
        app.get_as(&format!("/v1/campaigns/{id}/results"), t).await,
        200,
    )
    .await
}

/// The documented draw: SHA-256("<campaign>:<account>"), first 8 bytes big-endian, top 53
/// bits over 2^53.
fn draw(campaign: &str, account: &str) -> f64 {
    let d = Sha256::digest(format!("{campaign}:{account}").as_bytes());
    let head = u64::from_be_bytes(d[..8].try_into().unwrap());
    (head >> 11) as f64 / (1u64 << 53) as f64
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * (1.0 + b.abs()),
        "{what}: got {a}, expected {b}"
    );
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[tokio::test]
async fn a_retried_launch_creates_one_audience_split_by_the_documented_hash() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    let consenting = people(&app, t, "all", 2_000, false).await;
    let refusing = people(&app, t, "all", 150, true).await;
    let seg = segment(&app, t, "all").await;
    let c = campaign(
        &app,
        t,
        json!({"name": "Spring", "channel": "email", "segment_id": seg, "stratify": false}),
    )
    .await;
    let id = c["id"].as_str().unwrap();
    assert_eq!(c["status"], "draft");
    assert_eq!(c["control_share"], 0.1);

    // The first launch with a key, its retry, then a launch without the key.
    let first = app
        .http
        .post(app.url(&format!("/v1/campaigns/{id}/launch")))
        .bearer_auth(t)
        .header("Idempotency-Key", "launch-1")
        .send()
        .await
        .unwrap();
    let first = ok(first, 200).await;
    let retry = app
        .http
        .post(app.url(&format!("/v1/campaigns/{id}/launch")))
        .bearer_auth(t)
        .header("Idempotency-Key", "launch-1")
        .send()
        .await
        .unwrap();
    assert_eq!(retry.headers().get("idempotent-replayed").unwrap(), "true");
    assert_eq!(ok(retry, 200).await, first);
    let again = app
        .post_as(&format!("/v1/campaigns/{id}/launch"), t, &json!(null))
        .await;
    common::assert_problem(again, 409, "campaign_already_launched").await;

    let audience = &first["audience"];
    assert_eq!(first["status"], "launched");
    assert_eq!(audience["eligible"], 2_150);
    assert_eq!(audience["excluded_no_consent"], 150);
    assert_eq!(audience["excluded_global_control"], 0);
    let members = arms(&app, t, id, None).await;
    assert_eq!(members.len(), 2_000, "one audience, not two");
    for r in &refusing {
        assert!(!members.contains_key(r), "no consent, no membership");
    }
    // Each arm is what the documented hash says, and the control share is binomial.
    let mut control = 0;
    for a in &consenting {
        let expected = if draw(id, a) < 0.1 {
            "control"
        } else {
            "treatment"
        };
        assert_eq!(members[a], expected, "{a}");
        control += usize::from(expected == "control");
    }
    let sigma = (2_000.0f64 * 0.1 * 0.9).sqrt();
    assert!((control as f64 - 200.0).abs() <= 3.0 * sigma, "{control}");
    assert_eq!(audience["control"], control);
    assert_eq!(audience["treated"], 2_000 - control);
    assert_eq!(arms(&app, t, id, Some("control")).await.len(), control);

    // One launch event; the members did not change under a second look.
    let events = ok(
        app.get_as("/v1/events?types=campaign.launched", t).await,
        200,
    )
    .await;
    assert_eq!(events["data"].as_array().unwrap().len(), 1);
    assert_eq!(arms(&app, t, id, None).await, members);

    // Launched: the audience is fixed, the costs are not.
    let res = app
        .send(
            Method::PATCH,
            &format!("/v1/campaigns/{id}"),
            t,
            Some(&json!({"control_share": 0.2})),
        )
        .await;
    common::assert_problem(res, 409, "campaign_launched").await;
    let res = app
        .send(
            Method::PATCH,
            &format!("/v1/campaigns/{id}"),
            t,
            Some(&json!({"cost_fixed": 900})),
        )
        .await;
    assert_eq!(ok(res, 200).await["cost_fixed"], 900);
}

/// The expected results of one arm from (member -> (revenue, margin, orders)).
struct Arm {
    n: f64,
    buyers: f64,
    orders: i64,
    revenue: i64,
    margin: i64,
    values: Vec<f64>,
}

fn arm_of(members: &[&String], bought: &HashMap<String, (i64, i64, i64)>) -> Arm {
    let mut a = Arm {
        n: members.len() as f64,
        buyers: 0.0,
        orders: 0,
        revenue: 0,
        margin: 0,
        values: Vec::new(),
    };
    for m in members {
        let (r, g, o) = bought.get(*m).copied().unwrap_or((0, 0, 0));
        a.buyers += f64::from(u8::from(o > 0));
        a.orders += o;
        a.revenue += r;
        a.margin += g;
        a.values.push(r as f64);
    }
    a
}

/// Welch's t-test by the textbook formulas: (difference, low, high, p).
fn welch(t: &[f64], c: &[f64]) -> (f64, f64, f64, f64) {
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    let var = |x: &[f64]| {
        let m = mean(x);
        x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0)
    };
    let (at, ac) = (var(t) / t.len() as f64, var(c) / c.len() as f64);
    let se = (at + ac).sqrt();
    let df = (at + ac).powi(2)
        / (at.powi(2) / (t.len() as f64 - 1.0) + ac.powi(2) / (c.len() as f64 - 1.0));
    let d = mean(t) - mean(c);
    let dist = StudentsT::new(0.0, 1.0, df).unwrap();
    let q = dist.inverse_cdf(0.975);
    (
        d,
        d - q * se,
        d + q * se,
        2.0 * (1.0 - dist.cdf((d / se).abs())),
    )
}

#[tokio::test]
async fn results_equal_a_hand_computation_from_members_and_orders_in_the_window() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    let ids = people(&app, t, "hand", 100, false).await;
    people(&app, t, "hand", 4, true).await;
    let seg = segment(&app, t, "hand").await;
    // Bought before the launch: outside the window.
    orders(
        &app,
        t,
        ids.iter()
            .take(3)
            .map(|a| json!({"account_id": a, "amount": 99_999, "currency": "USD", "cost": 10}))
            .collect(),
    )
    .await;
    let c = campaign(
        &app,
        t,
        json!({"name": "Hand", "channel": "email", "segment_id": seg, "control_share": 0.5,
               "cost_fixed": 10_000, "cost_per_contact": 25, "attribution_window_days": 14}),
    )
    .await;
    let id = c["id"].as_str().unwrap().to_owned();
    let launched = launch(&app, t, &id).await;
    assert_eq!(launched["audience"]["excluded_no_consent"], 4);
    let members = arms(&app, t, &id, None).await;
    assert_eq!(members.len(), 100);
    let mut treated: Vec<&String> = members
        .iter()
        .filter(|(_, a)| *a == "treatment")
        .map(|(k, _)| k)
        .collect();
    let mut control: Vec<&String> = members
        .iter()
        .filter(|(_, a)| *a == "control")
        .map(|(k, _)| k)
        .collect();
    treated.sort();
    control.sort();
    assert!(
        treated.len() >= 40 && control.len() >= 40,
        "{} / {}",
        treated.len(),
        control.len()
    );

    // (account, amount, cost) of the orders in the window.
    let mut placed: Vec<(String, i64, Option<i64>)> = Vec::new();
    for (i, a) in treated.iter().take(14).enumerate() {
        let i = i as i64;
        placed.push((
            (*a).clone(),
            2_000 + 150 * i,
            (i % 2 == 0).then_some(1_200 + 50 * i),
        ));
    }
    placed.push((treated[0].clone(), 500, Some(100)));
    for (i, a) in control.iter().take(8).enumerate() {
        placed.push(((*a).clone(), 1_500 + 100 * i as i64, Some(1_000)));
    }
    let order_ids = orders(
        &app,
        t,
        placed
            .iter()
            .map(|(a, amount, cost)| {
                let mut o = json!({"account_id": a, "amount": amount, "currency": "USD"});
                if let Some(c) = cost {
                    o["cost"] = json!(c);
                }
                o
            })
            .collect(),
    )
    .await;
    // A partial refund of treated[2]'s order (it has a cost), a full refund of the last
    // control buyer's order.
    let partial = 2usize;
    ok(
        app.post_as(
            &format!("/v1/orders/{}/refund", order_ids[partial]),
            t,
            &json!({"amount": 700}),
        )
        .await,
        200,
    )
    .await;
    let full = placed.len() - 1;
    ok(
        app.post_as(
            &format!("/v1/orders/{}/refund", order_ids[full]),
            t,
            &json!({}),
        )
        .await,
        200,
    )
    .await;

    // By hand: net revenue = amount − refunded; net cost = cost × (amount − refunded) / amount
    // (integer division); a fully refunded order does not count.
    let mut bought: HashMap<String, (i64, i64, i64)> = HashMap::new();
    for (i, (a, amount, cost)) in placed.iter().enumerate() {
        let refunded = if i == partial {
            700
        } else if i == full {
            *amount
        } else {
            0
        };
        if refunded >= *amount {
            continue;
        }
        let net = amount - refunded;
        let margin = cost.map_or(0, |c| net - c * (amount - refunded) / amount);
        let e = bought.entry(a.clone()).or_default();
        e.0 += net;
        e.1 += margin;
        e.2 += 1;
    }
    let (tr, co) = (arm_of(&treated, &bought), arm_of(&control, &bought));
    let r = results(&app, t, &id).await;
    let total = &r["total"];
    assert_eq!(r["status"], "launched");
    assert_eq!(r["window_open"], true);
    assert_eq!(total["group"], "all");
    for (got, want) in [(&total["treatment"], &tr), (&total["control"], &co)] {
        assert_eq!(got["members"], want.n as i64);
        assert_eq!(got["buyers"], want.buyers as i64);
        assert_eq!(got["orders"], want.orders);
        assert_eq!(got["revenue"], want.revenue);
        assert_eq!(got["margin"], want.margin);
        close(
            f(&got["conversion_rate"]),
            want.buyers / want.n,
            "conversion",
        );
        close(
            f(&got["revenue_per_member"]),
            want.revenue as f64 / want.n,
            "revenue per member",
        );
    }
    assert_eq!(co.buyers, 7.0);
    let rpm_t = tr.revenue as f64 / tr.n;
    let rpm_c = co.revenue as f64 / co.n;
    let mpm_t = tr.margin as f64 / tr.n;
    let mpm_c = co.margin as f64 / co.n;
    let incremental_revenue = ((rpm_t - rpm_c) * tr.n).round() as i64;
    let incremental_margin = ((mpm_t - mpm_c) * tr.n).round() as i64;
    assert_eq!(total["incremental_revenue"], incremental_revenue);
    assert_eq!(total["incremental_margin"], incremental_margin);

    let (d, low, high, p) = welch(&tr.values, &co.values);
    let u = &total["revenue_per_member_uplift"];
    close(f(&u["difference"]), d, "revenue uplift");
    close(f(&u["ci_low"]), low, "revenue ci low");
    close(f(&u["ci_high"]), high, "revenue ci high");
    assert!(
        (f(&u["p_value"]) - p).abs() < 1e-9,
        "p {} vs {p}",
        u["p_value"]
    );
    close(f(&u["relative"]), d / rpm_c, "relative revenue uplift");

    let (pt, pc) = (tr.buyers / tr.n, co.buyers / co.n);
    let pooled = (tr.buyers + co.buyers) / (tr.n + co.n);
    let z = (pt - pc) / (pooled * (1.0 - pooled) * (1.0 / tr.n + 1.0 / co.n)).sqrt();
    let normal = Normal::new(0.0, 1.0).unwrap();
    let se = (pt * (1.0 - pt) / tr.n + pc * (1.0 - pc) / co.n).sqrt();
    let cu = &total["conversion_uplift"];
    close(f(&cu["difference"]), pt - pc, "conversion uplift");
    assert!((f(&cu["p_value"]) - 2.0 * (1.0 - normal.cdf(z.abs()))).abs() < 1e-9);
    close(
        f(&cu["ci_low"]),
        pt - pc - 1.959963984540054 * se,
        "conversion ci low",
    );
    close(
        f(&cu["ci_high"]),
        pt - pc + 1.959963984540054 * se,
        "conversion ci high",
    );
    let expected_sig = if p < 0.05 {
        "significant"
    } else {
        "not_significant"
    };
    assert_eq!(total["significance"], expected_sig);

    let cost = 10_000 + 25 * tr.n as i64;
    assert_eq!(r["cost"], cost);
    close(
        f(&r["romi"]),
        (incremental_margin - cost) as f64 / cost as f64,
        "romi",
    );
    // No RFM segment or risk band at launch: one `unscored` group that equals the total.
    assert_eq!(r["by_rfm_segment"].as_array().unwrap().len(), 1);
    let unscored = &r["by_risk_band"][0];
    assert_eq!(unscored["group"], "unscored");
    assert_eq!(
        unscored["incremental_revenue"],
        total["incremental_revenue"]
    );

    // Contact outcomes: recorded once, retried as duplicates; control members are not contacted.
    let batch = json!({"exposures": [
        {"account_id": treated[0], "outcome": "delivered"},
        {"account_id": treated[0], "outcome": "opened"},
        {"account_id": treated[1], "outcome": "bounced"},
    ]});
    let first = ok(
        app.post_as(&format!("/v1/campaigns/{id}/exposures"), t, &batch)
            .await,
        200,
    )
    .await;
    assert_eq!(first["recorded"], 3);
    let again = ok(
        app.post_as(&format!("/v1/campaigns/{id}/exposures"), t, &batch)
            .await,
        200,
    )
    .await;
    assert_eq!(again["duplicates"], 3);
    assert_eq!(again["results"][2]["status"], "duplicate");
    let res = app
        .post_as(
            &format!("/v1/campaigns/{id}/exposures"),
            t,
            &json!({"exposures": [{"account_id": treated[2], "outcome": "sent"}, {"account_id": control[0], "outcome": "sent"}]}),
        )
        .await;
    let problem = common::assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "exposures[1].account_id");
    let page = ok(
        app.get_as(
            &format!("/v1/campaigns/{id}/members?arm=treatment&limit=1"),
            t,
        )
        .await,
        200,
    )
    .await;
    let first_member = &page["data"][0];
    assert_eq!(first_member["account_id"], treated[0].as_str());
    assert_eq!(first_member["exposures"].as_array().unwrap().len(), 2);
    // treated[2] was not recorded: the batch was refused whole.
    let m2 = ok(
        app.get_as(
            &format!("/v1/campaigns/{id}/members?arm=treatment&limit=500"),
            t,
        )
        .await,
        200,
    )
    .await;
    let m2 = m2["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["account_id"] == treated[2].as_str())
        .unwrap()
        .clone();
    assert!(m2["exposures"].as_array().unwrap().is_empty());

    // When the window has closed, the first read completes the campaign, once.
    let mut conn = app.db.connect();
    conn.batch_execute(&format!(
        "UPDATE campaigns SET ends_at = launched_at WHERE id = '{id}'"
    ))
    .unwrap();
    let got = ok(app.get_as(&format!("/v1/campaigns/{id}"), t).await, 200).await;
    assert_eq!(got["status"], "completed");
    ok(app.get_as("/v1/campaigns", t).await, 200).await;
    let r = results(&app, t, &id).await;
    assert_eq!(r["window_open"], false);
    assert_eq!(r["total"]["treatment"]["buyers"], 0, "an empty window");
    let events = ok(
        app.get_as("/v1/events?types=campaign.completed", t).await,
        200,
    )
    .await;
    assert_eq!(events["data"].as_array().unwrap().len(), 1);
}

/// Launches a campaign (half control) on `n` new customers tagged `tag`; then the treated
/// members whose index passes `treated_buys` and the control members whose index passes
/// `control_buys` each buy 5,000. Returns the results.
async fn experiment(
    app: &TestApp,
    t: &str,
    tag: &str,
    n: usize,
    treated_buys: fn(usize) -> bool,
    control_buys: fn(usize) -> bool,
) -> Value {
    people(app, t, tag, n, false).await;
    let seg = segment(app, t, tag).await;
    let c = campaign(
        app,
        t,
        json!({"name": tag, "channel": "email", "segment_id": seg, "control_share": 0.5, "cost_fixed": 1000}),
    )
    .await;
    let id = c["id"].as_str().unwrap().to_owned();
    launch(app, t, &id).await;
    let members = arms(app, t, &id, None).await;
    let mut sorted: Vec<(&String, &String)> = members.iter().collect();
    sorted.sort();
    let (mut ti, mut ci) = (0, 0);
    let mut placed = Vec::new();
    for (account, arm) in sorted {
        let buys = if arm == "treatment" {
            ti += 1;
            treated_buys(ti - 1)
        } else {
            ci += 1;
            control_buys(ci - 1)
        };
        if buys {
            placed.push(
                json!({"account_id": account, "amount": 5_000, "currency": "USD", "cost": 3_000}),
            );
        }
    }
    orders(app, t, placed).await;
    results(app, t, &id).await
}

#[tokio::test]
async fn a_real_effect_is_significant_and_no_effect_is_not() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    // Half the treated buy, a tenth of the control does.
    let worked = experiment(&app, t, "worked", 400, |i| i % 2 == 0, |i| i % 10 == 0).await;
    let total = &worked["total"];
    assert_eq!(total["significance"], "significant", "{total}");
    assert_eq!(total["conversion_uplift"]["significance"], "significant");
    assert!(f(&total["revenue_per_member_uplift"]["ci_low"]) > 0.0);
    assert!(f(&total["incremental_revenue"]) > 0.0);
    assert!(f(&worked["romi"]) > 0.0);
    // A quarter of each arm buys the same: nothing to see.
    let flat = experiment(&app, t, "flat", 400, |i| i % 4 == 0, |i| i % 4 == 0).await;
    let total = &flat["total"];
    assert_eq!(total["significance"], "not_significant", "{total}");
    assert_eq!(
        total["conversion_uplift"]["significance"],
        "not_significant"
    );
    let ci = &total["revenue_per_member_uplift"];
    assert!(f(&ci["ci_low"]) < 0.0 && f(&ci["ci_high"]) > 0.0, "{ci}");
    // Too few buyers in control for an interval.
    let thin = experiment(&app, t, "thin", 80, |i| i % 2 == 0, |i| i == 0).await;
    assert_eq!(thin["total"]["significance"], "insufficient_data");
    assert_eq!(
        thin["total"]["revenue_per_member_uplift"]["p_value"],
        Value::Null
    );
}

#[tokio::test]
async fn invalid_input_is_a_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    let seg = segment(&app, t, "x").await;
    let base = json!({"name": "C", "channel": "email", "segment_id": seg});
    for (field, value) in [
        ("name", json!("")),
        ("channel", json!("pigeon")),
        ("segment_id", json!(uuid::Uuid::now_v7().to_string())),
        ("segment_id", json!("nope")),
        ("control_share", json!(0.0)),
        ("control_share", json!(0.95)),
        ("attribution_window_days", json!(0)),
        ("attribution_window_days", json!(366)),
        ("cost_fixed", json!(-1)),
        ("cost_per_contact", json!(2_000_000_000_000i64)),
        ("currency", json!("EUR")),
        ("conversion_category", json!("")),
    ] {
        let mut body = base.clone();
        body[field] = value.clone();
        let res = app.post_as("/v1/campaigns", t, &body).await;
        let problem = common::assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{value}");
    }
    let c = campaign(&app, t, base.clone()).await;
    let id = c["id"].as_str().unwrap();
    // A draft has no results and takes no outcomes.
    let res = app.get_as(&format!("/v1/campaigns/{id}/results"), t).await;
    common::assert_problem(res, 409, "campaign_not_launched").await;
    launch(&app, t, id).await;
    let res = app
        .get_as(&format!("/v1/campaigns/{id}/members?arm=both"), t)
        .await;
    let problem = common::assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "arm");
    for (body, field) in [
        (json!({"exposures": []}), "exposures"),
        (
            json!({"exposures": [{"account_id": "a", "outcome": "read"}]}),
            "exposures[0].outcome",
        ),
        (
            json!({"exposures": [{"account_id": "a", "outcome": "sent", "occurred_at": "2999-01-01T00:00:00Z"}]}),
            "exposures[0].occurred_at",
        ),
        (
            json!({"exposures": [{"account_id": "a", "outcome": "sent"}]}),
            "exposures[0].account_id",
        ),
    ] {
        let res = app
            .post_as(&format!("/v1/campaigns/{id}/exposures"), t, &body)
            .await;
        let problem = common::assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let res = app
        .send(
            Method::PUT,
            "/v1/campaigns/global-control",
            t,
            Some(&json!({"share": 0.7})),
        )
        .await;
    let problem = common::assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "share");
}

#[tokio::test]
async fn another_workspace_cannot_see_or_launch_a_campaign() {
    let app = TestApp::spawn().await;
    let a = app.workspace("A").await;
    let b = app.workspace("B").await;
    people(&app, &a.owner_token, "mine", 5, false).await;
    let seg = segment(&app, &a.owner_token, "mine").await;
    let c = campaign(
        &app,
        &a.owner_token,
        json!({"name": "A's", "channel": "sms", "segment_id": seg}),
    )
    .await;
    let id = c["id"].as_str().unwrap();
    let tb = &b.owner_token;
    for path in [
        format!("/v1/campaigns/{id}"),
        format!("/v1/campaigns/{id}/members"),
        format!("/v1/campaigns/{id}/results"),
    ] {
        common::assert_problem(app.get_as(&path, tb).await, 404, "not_found").await;
    }
    let res = app
        .post_as(&format!("/v1/campaigns/{id}/launch"), tb, &json!(null))
        .await;
    common::assert_problem(res, 404, "not_found").await;
    let res = app
        .post_as(
            "/v1/campaigns",
            tb,
            &json!({"name": "B's", "channel": "sms", "segment_id": seg}),
        )
        .await;
    let problem = common::assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "segment_id");
    let list = ok(app.get_as("/v1/campaigns", tb).await, 200).await;
    assert!(list["data"].as_array().unwrap().is_empty());
    // A's launch is A's: nobody consented to SMS, all five are counted out.
    let launched = launch(&app, &a.owner_token, id).await;
    assert_eq!(launched["audience"]["excluded_no_consent"], 5);
    assert_eq!(launched["audience"]["treated"], 0);
    // Reading campaigns takes `campaigns:read`.
    let (_, key) = app.api_key(&a, &["accounts:read"]).await;
    let res = app.get_as("/v1/campaigns", &key).await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn the_global_control_group_is_left_out_and_redrawn() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    people(&app, t, "g", 400, false).await;
    let seg = segment(&app, t, "g").await;
    let set = app
        .send(
            Method::PUT,
            "/v1/campaigns/global-control",
            t,
            Some(&json!({"share": 0.2})),
        )
        .await;
    let set = ok(set, 200).await;
    assert_eq!(set["epoch"], 0);
    let c1 = campaign(
        &app,
        t,
        json!({"name": "1", "channel": "email", "segment_id": seg}),
    )
    .await;
    let l1 = launch(&app, t, c1["id"].as_str().unwrap()).await;
    let out1 = l1["audience"]["excluded_global_control"].as_i64().unwrap();
    assert!((40..=120).contains(&out1), "{out1}");
    let m1 = arms(&app, t, c1["id"].as_str().unwrap(), None).await;
    // The same draw for the next campaign; a new one after a re-draw.
    let c2 = campaign(
        &app,
        t,
        json!({"name": "2", "channel": "email", "segment_id": seg}),
    )
    .await;
    launch(&app, t, c2["id"].as_str().unwrap()).await;
    let m2 = arms(&app, t, c2["id"].as_str().unwrap(), None).await;
    let mut k1: Vec<_> = m1.keys().collect();
    let mut k2: Vec<_> = m2.keys().collect();
    k1.sort();
    k2.sort();
    assert_eq!(k1, k2);
    let redrawn = ok(
        app.post_as("/v1/campaigns/global-control/redraw", t, &json!(null))
            .await,
        200,
    )
    .await;
    assert_eq!(redrawn["epoch"], 1);
    let c3 = campaign(
        &app,
        t,
        json!({"name": "3", "channel": "email", "segment_id": seg}),
    )
    .await;
    launch(&app, t, c3["id"].as_str().unwrap()).await;
    let m3 = arms(&app, t, c3["id"].as_str().unwrap(), None).await;
    let mut k3: Vec<_> = m3.keys().collect();
    k3.sort();
    assert_ne!(k1, k3);
    // A campaign may ignore it.
    let c4 = campaign(
        &app,
        t,
        json!({"name": "4", "channel": "email", "segment_id": seg, "respect_global_control": false}),
    )
    .await;
    let l4 = launch(&app, t, c4["id"].as_str().unwrap()).await;
    assert_eq!(l4["audience"]["excluded_global_control"], 0);
    assert_eq!(
        arms(&app, t, c4["id"].as_str().unwrap(), None).await.len(),
        400
    );
}

#[tokio::test]
async fn graphql_and_rest_agree() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = &ws.owner_token;
    let ids = people(&app, t, "gq", 60, false).await;
    let seg = segment(&app, t, "gq").await;
    let created = app
        .graphql_as(
            t,
            "mutation($input: CampaignInput!) { createCampaign(input: $input) { id name channel status controlShare } }",
            json!({"input": {"name": "Over GraphQL", "channel": "push", "segmentId": seg, "controlShare": 0.3}}),
        )
        .await;
    let id = created["data"]["createCampaign"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let consent_less = &created["data"]["createCampaign"];
    assert_eq!(consent_less["status"], "draft");
    let launched = app
        .graphql_as(
            t,
            "mutation($id: ID!) { launchCampaign(id: $id) { status audience { eligible excludedNoConsent treated control } } }",
            json!({"id": id}),
        )
        .await;
    // Push consent was never given: everyone is counted out.
    assert_eq!(
        launched["data"]["launchCampaign"]["audience"]["excludedNoConsent"],
        60
    );
    let rest = ok(app.get_as(&format!("/v1/campaigns/{id}"), t).await, 200).await;
    assert_eq!(rest["status"], "launched");
    assert_eq!(rest["audience"]["excluded_no_consent"], 60);
    let again = app
        .graphql_as(
            t,
            "mutation($id: ID!) { launchCampaign(id: $id) { status } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        again["errors"][0]["extensions"]["code"],
        "campaign_already_launched"
    );

    // Results agree on a campaign with members and orders.
    let c = campaign(
        &app,
        t,
        json!({"name": "REST", "channel": "email", "segment_id": seg, "control_share": 0.5}),
    )
    .await;
    let rid = c["id"].as_str().unwrap();
    launch(&app, t, rid).await;
    orders(
        &app,
        t,
        ids.iter()
            .step_by(3)
            .map(|a| json!({"account_id": a, "amount": 1_234, "currency": "USD"}))
            .collect(),
    )
    .await;
    let rest = results(&app, t, rid).await;
    let gql = app
        .graphql_as(
            t,
            "query($id: ID!) { campaignResults(id: $id) { cost total { incrementalRevenue significance treatment { members buyers revenue revenuePerMember } control { members buyers revenue } revenuePerMemberUplift { difference pValue } } } }",
            json!({"id": rid}),
        )
        .await;
    let g = &gql["data"]["campaignResults"]["total"];
    // Money is a `Long` (a string) in GraphQL, a number in REST.
    let long = |v: &Value| -> i64 { v.as_str().unwrap().parse().unwrap() };
    assert_eq!(
        long(&g["incrementalRevenue"]),
        rest["total"]["incremental_revenue"].as_i64().unwrap()
    );
    assert_eq!(
        long(&gql["data"]["campaignResults"]["cost"]),
        rest["cost"].as_i64().unwrap()
    );
    assert_eq!(g["significance"], rest["total"]["significance"]);
    assert_eq!(
        g["treatment"]["members"],
        rest["total"]["treatment"]["members"]
    );
    assert_eq!(
        g["treatment"]["buyers"],
        rest["total"]["treatment"]["buyers"]
    );
    assert_eq!(
        long(&g["treatment"]["revenue"]),
        rest["total"]["treatment"]["revenue"].as_i64().unwrap()
    );
    assert_eq!(
        long(&g["control"]["revenue"]),
        rest["total"]["control"]["revenue"].as_i64().unwrap()
    );
    assert_eq!(
        g["revenuePerMemberUplift"],
        json!({
            "difference": rest["total"]["revenue_per_member_uplift"]["difference"],
            "pValue": rest["total"]["revenue_per_member_uplift"]["p_value"],
        })
    );
    let members = app
        .graphql_as(
            t,
            "query($id: ID!) { campaignMembers(id: $id, arm: \"control\", first: 500) { edges { node { accountId arm } } } }",
            json!({"id": rid}),
        )
        .await;
    let gql_control: Vec<String> = members["data"]["campaignMembers"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["accountId"].as_str().unwrap().to_owned())
        .collect();
    let mut rest_control: Vec<String> = arms(&app, t, rid, Some("control"))
        .await
        .into_keys()
        .collect();
    rest_control.sort();
    assert_eq!(gql_control, rest_control);
    let list = app
        .graphql_as(
            t,
            "{ campaigns(first: 10) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        list["data"]["campaigns"]["edges"].as_array().unwrap().len(),
        2
    );
}
