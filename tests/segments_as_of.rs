//! Segments as of a past instant: a rule previewed (or a segment listed) `as_of` an instant
//! selects exactly the accounts whose metrics as of that instant
//! (`GET /v1/accounts/{id}/metrics?as_of=`) satisfy it, over REST and GraphQL, within the
//! caller's workspace only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use common::{assert_problem, TestApp, Workspace};
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

const CUSTOMERS: usize = 200;
/// Customers whose first purchase is after the `as_of` instant.
const LATE: usize = 10;

/// `(customer, at, amount)`: a buy-till-you-die population over 18 months, and a few
/// customers who start buying in the last 100 days.
fn purchases(seed: u64) -> Vec<(usize, DateTime<Utc>, i64)> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let now = Utc::now();
    let start = now - Duration::days(540);
    let mut out = Vec::new();
    for customer in 0..CUSTOMERS {
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
    for customer in CUSTOMERS..CUSTOMERS + LATE {
        for k in 0..3 {
            out.push((
                customer,
                now - Duration::days(90 - 20 * k),
                rng.random_range(2_000..15_000),
            ));
        }
    }
    out
}

/// A workspace with those customers (external ids `c0`…) and their orders, and a fitted
/// model. Answers the account id of each customer.
async fn populated(app: &TestApp, name: &str, seed: u64) -> (Workspace, Vec<String>) {
    let ws = app.workspace(name).await;
    let t = &ws.owner_token;
    let accounts: Vec<Value> = (0..CUSTOMERS + LATE)
        .map(|i| json!({"kind": "person", "name": format!("Customer {i}"), "external_id": format!("c{i}")}))
        .collect();
    let res = app
        .post_as("/v1/accounts/batch", t, &json!({ "accounts": accounts }))
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let ids: Vec<String> = body["results"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|r| {
            r["id"]
                .as_str()
                .or(r["account"]["id"].as_str())
                .unwrap_or_else(|| panic!("{r}"))
                .to_owned()
        })
        .collect();
    let orders: Vec<Value> = purchases(seed)
        .iter()
        .enumerate()
        .map(|(n, (c, at, amount))| {
            json!({"account_external_id": format!("c{c}"), "external_id": format!("o{n}"),
                   "amount": amount, "currency": "USD", "occurred_at": at.to_rfc3339()})
        })
        .collect();
    for chunk in orders.chunks(1000) {
        let res = app
            .post_as("/v1/orders/batch", t, &json!({ "orders": chunk }))
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let res = app.post_as("/v1/models/churn/fit", t, &json!({})).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    (ws, ids)
}

fn q(at: &str) -> String {
    at.replace('+', "%2B")
}

/// Every member of a saved segment, as of `at` (or now), over REST.
async fn members(app: &TestApp, t: &str, segment: &str, at: Option<&str>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut after = String::new();
    loop {
        let as_of = at.map(|a| format!("&as_of={}", q(a))).unwrap_or_default();
        let res = app
            .get_as(
                &format!("/v1/segments/{segment}/accounts?limit=37{as_of}{after}"),
                t,
            )
            .await;
        assert_eq!(res.status(), 200);
        let page: Value = res.json().await.unwrap();
        for a in page["data"].as_array().unwrap() {
            out.insert(a["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => after = format!("&after={c}"),
            None => return out,
        }
    }
}

async fn preview(app: &TestApp, t: &str, rule: &Value, at: Option<&str>) -> Value {
    let mut body = json!({"rule": rule, "sample_size": 100});
    if let Some(at) = at {
        body["as_of"] = json!(at);
    }
    let res = app.post_as("/v1/segments/preview", t, &body).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_segment_as_of_a_past_instant_selects_the_accounts_whose_metrics_then_satisfy_it() {
    let app = TestApp::spawn().await;
    let (ws, ids) = populated(&app, "SegmentsAsOf", 20).await;
    // Another workspace with its own customers: nothing of it may show.
    let (other, other_ids) = populated(&app, "SegmentsAsOfOther", 21).await;
    let t = &ws.owner_token;
    let at = (Utc::now() - Duration::days(200)).to_rfc3339();

    // Each account's metrics as of then, and now.
    let mut then: BTreeMap<String, Value> = BTreeMap::new();
    for id in &ids {
        let res = app
            .get_as(&format!("/v1/accounts/{id}/metrics?as_of={}", q(&at)), t)
            .await;
        assert_eq!(res.status(), 200);
        then.insert(id.clone(), res.json().await.unwrap());
    }
    let revenues: Vec<i64> = then
        .values()
        .map(|m| m["revenue"].as_i64().unwrap())
        .filter(|r| *r > 0)
        .collect();
    let median_revenue = {
        let mut r = revenues.clone();
        r.sort_unstable();
        r[r.len() / 2]
    };
    let mut segments: BTreeMap<String, usize> = BTreeMap::new();
    let mut bands: BTreeMap<String, usize> = BTreeMap::new();
    for m in then.values() {
        if let Some(s) = m["rfm"]["segment"].as_str() {
            *segments.entry(s.to_owned()).or_default() += 1;
        }
        if let Some(b) = m["risk_band"].as_str() {
            *bands.entry(b.to_owned()).or_default() += 1;
        }
    }
    let common_segment = segments.iter().max_by_key(|(_, n)| **n).unwrap().0.clone();
    let common_band = bands.iter().max_by_key(|(_, n)| **n).unwrap().0.clone();

    type Check = Box<dyn Fn(&Value) -> bool>;
    let f = |m: &Value, k: &str| m[k].as_f64();
    let cases: Vec<(Value, Check)> = vec![
        (
            json!({"field": "revenue", "op": ">=", "value": median_revenue}),
            Box::new(move |m| m["revenue"].as_i64().unwrap() >= median_revenue),
        ),
        (
            json!({"field": "revenue", "op": "<", "value": 1}),
            Box::new(|m| m["revenue"].as_i64().unwrap() < 1),
        ),
        (
            json!({"field": "rfm_segment", "op": "=", "value": common_segment}),
            Box::new({
                let s = common_segment.clone();
                move |m| m["rfm"]["segment"].as_str() == Some(s.as_str())
            }),
        ),
        (
            json!({"field": "risk_band", "op": "=", "value": common_band}),
            Box::new({
                let b = common_band.clone();
                move |m| m["risk_band"].as_str() == Some(b.as_str())
            }),
        ),
        (
            json!({"all": [
                {"field": "churn_probability", "op": ">", "value": 0.4},
                {"field": "orders_count", "op": ">=", "value": 2}
            ]}),
            Box::new(move |m| {
                f(m, "churn_probability").is_some_and(|c| c > 0.4)
                    && m["orders_count"].as_i64().unwrap() >= 2
            }),
        ),
        (
            json!({"not": {"field": "clv", "op": ">=", "value": 5000}}),
            Box::new(|m| m["clv"].as_i64().is_none_or(|c| c < 5000)),
        ),
    ];
    let mut differs = 0;
    for (rule, holds) in &cases {
        let expected: BTreeSet<String> = then
            .iter()
            .filter(|(_, m)| holds(m))
            .map(|(id, _)| id.clone())
            .collect();
        // The preview as of then: the count and the first 100 by id.
        let p = preview(&app, t, rule, Some(&at)).await;
        assert_eq!(p["count"], json!(expected.len()), "{rule}");
        let sample: Vec<String> = p["sample"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect();
        let first: Vec<String> = expected.iter().take(100).cloned().collect();
        assert_eq!(sample, first, "{rule}");
        // A saved segment's members as of then, page by page.
        let res = app
            .post_as(
                "/v1/segments",
                t,
                &json!({"name": format!("as of {rule}"), "rule": rule}),
            )
            .await;
        assert_eq!(res.status(), 201);
        let id = res.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(members(&app, t, &id, Some(&at)).await, expected, "{rule}");
        // Now, it is the current preview.
        let now_members = members(&app, t, &id, None).await;
        assert_eq!(
            preview(&app, t, rule, None).await["count"],
            json!(now_members.len())
        );
        if now_members != expected {
            differs += 1;
        }
        // GraphQL says the same.
        let data = app
            .graphql_as(
                t,
                "query($rule: JSON!, $at: DateTime, $id: ID!) { previewSegment(rule: $rule, sampleSize: 100, asOf: $at) { count sample { id } } segment(id: $id) { accounts(first: 500, asOf: $at) { edges { node { id } } } } }",
                json!({"rule": rule, "at": at, "id": id}),
            )
            .await;
        assert_eq!(
            data["data"]["previewSegment"]["count"], p["count"],
            "{data}"
        );
        let g: Vec<String> = data["data"]["previewSegment"]["sample"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(g, sample);
        let g: BTreeSet<String> = data["data"]["segment"]["accounts"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(g, expected);
        // Tenancy: the other workspace cannot list this segment, as of then or now.
        for path in [
            format!("/v1/segments/{id}/accounts?as_of={}", q(&at)),
            format!("/v1/segments/{id}/accounts"),
        ] {
            assert_eq!(
                app.get_as(&path, &other.owner_token).await.status(),
                404,
                "{path}"
            );
        }
    }
    assert!(differs >= 3, "as of then should differ from now");

    // The orders count of the last 30 days stops at the instant.
    let cutoff = Utc::now() - Duration::days(200);
    let mut recent: BTreeSet<String> = BTreeSet::new();
    for (c, when, _) in purchases(20) {
        if when <= cutoff && when >= cutoff - Duration::days(30) {
            recent.insert(ids[c].clone());
        }
    }
    let rule = json!({"field": "orders", "within_last_days": 30, "op": ">=", "value": 1});
    let p = preview(&app, t, &rule, Some(&at)).await;
    assert_eq!(p["count"], json!(recent.len()), "{p}");
    let sample: BTreeSet<String> = p["sample"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sample, recent);

    // The other workspace's preview as of then holds only its own accounts.
    let all = json!({"field": "kind", "op": "=", "value": "person"});
    let p = preview(&app, &other.owner_token, &all, Some(&at)).await;
    assert_eq!(p["count"], json!(other_ids.len()));
    for a in p["sample"].as_array().unwrap() {
        assert!(other_ids.contains(&a["id"].as_str().unwrap().to_owned()));
    }

    // Bad instants: 422 naming `as_of`, over REST and GraphQL.
    let future = (Utc::now() + Duration::days(1)).to_rfc3339();
    for bad in [future.as_str(), "yesterday"] {
        let res = app
            .post_as(
                "/v1/segments/preview",
                t,
                &json!({"rule": all, "as_of": bad}),
            )
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "as_of", "{bad}");
    }
    let segment: Value = app
        .post_as("/v1/segments", t, &json!({"name": "everyone", "rule": all}))
        .await
        .json()
        .await
        .unwrap();
    let id = segment["id"].as_str().unwrap();
    let res = app
        .get_as(
            &format!("/v1/segments/{id}/accounts?as_of={}", q(&future)),
            t,
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "as_of");
    let data = app
        .graphql_as(
            t,
            "query($rule: JSON!, $at: DateTime) { previewSegment(rule: $rule, asOf: $at) { count } }",
            json!({"rule": all, "at": future}),
        )
        .await;
    assert_eq!(
        data["errors"][0]["extensions"]["code"], "validation_failed",
        "{data}"
    );
    assert_eq!(
        data["errors"][0]["extensions"]["errors"][0]["field"], "asOf",
        "{data}"
    );
    // The preview of the whole workspace as of then: everyone, late buyers included.
    let p = preview(&app, t, &all, Some(&at)).await;
    assert_eq!(p["count"], json!(ids.len()));
}
