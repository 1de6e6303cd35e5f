//! Product recommendations on a hand-built set of baskets: the co-occurrence the refresh
//! keeps, the due-again items and the ranking equal a hand computation, through REST and
//! GraphQL; what the customer already has and fully refunded orders are left out; bad
//! parameters and missing scopes are refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{Duration, SecondsFormat, Utc};
use common::{assert_problem, TestApp, Workspace};
use serde_json::{json, Value};

const SHOP: [(&str, &str); 5] = [
    ("TENT", "Two-person tent"),
    ("BAG", "Sleeping bag"),
    ("STOVE", "Camping stove"),
    ("SOCK", "Wool socks"),
    ("GAS", "Gas canister"),
];

fn line(sku: &str) -> Value {
    let name = SHOP.iter().find(|(s, _)| *s == sku).unwrap().1;
    json!({"sku": sku, "name": name, "quantity": 1, "unit_price": 1000, "category": "outdoor"})
}

/// Creates a person and their orders: (days ago, SKUs) each. Returns (account id, order ids).
async fn customer(
    app: &TestApp,
    ws: &Workspace,
    name: &str,
    orders: &[(i64, &[&str])],
) -> (String, Vec<String>) {
    let t = &ws.owner_token;
    let account: Value = app
        .post_as("/v1/accounts", t, &json!({"kind": "person", "name": name}))
        .await
        .json()
        .await
        .unwrap();
    let id = account["id"].as_str().unwrap().to_owned();
    let now = Utc::now();
    let mut ids = Vec::new();
    for (k, (days_ago, skus)) in orders.iter().enumerate() {
        let items: Vec<Value> = skus.iter().map(|s| line(s)).collect();
        let at = (now - Duration::days(*days_ago)).to_rfc3339_opts(SecondsFormat::Secs, true);
        let res = app
            .post_as(
                "/v1/orders",
                t,
                &json!({"account_id": id, "external_id": format!("{name}-{k}"),
                        "amount": 1000 * skus.len() as i64, "currency": "USD",
                        "occurred_at": at, "items": items}),
            )
            .await;
        assert_eq!(res.status(), 201, "{:?}", res.text().await);
        let order: Value = res.json().await.unwrap();
        ids.push(order["id"].as_str().unwrap().to_owned());
    }
    (id, ids)
}

fn close(a: &Value, b: f64) -> bool {
    (a.as_f64().unwrap() - b).abs() < 1e-9
}

/// (sku, reason) of each recommendation, in order.
fn ranked(recs: &Value) -> Vec<(String, String)> {
    recs["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["sku"].as_str().unwrap().to_owned(),
                r["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn recommendations(app: &TestApp, token: &str, account: &str, query: &str) -> Value {
    let res = app
        .get_as(
            &format!("/v1/accounts/{account}/recommendations{query}"),
            token,
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn recommendations_equal_a_hand_computation_on_fixed_baskets() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = ws.owner_token.clone();
    customer(
        &app,
        &ws,
        "c1",
        &[(100, &["TENT", "BAG"]), (50, &["STOVE"])],
    )
    .await;
    customer(&app, &ws, "c2", &[(100, &["TENT", "BAG"])]).await;
    customer(&app, &ws, "c3", &[(100, &["TENT", "STOVE"])]).await;
    // SOCK is bought again after 40 and 30 days: its workspace interval is 35.
    customer(&app, &ws, "c4", &[(100, &["BAG", "SOCK"]), (60, &["SOCK"])]).await;
    customer(&app, &ws, "c5", &[(100, &["SOCK"]), (70, &["SOCK"])]).await;
    let (target, _) = customer(
        &app,
        &ws,
        "target",
        &[
            (200, &["TENT"]),
            (100, &["GAS"]),
            (70, &["GAS"]),
            (40, &["GAS"]),
        ],
    )
    .await;
    let (recent, recent_orders) =
        customer(&app, &ws, "recent", &[(300, &["TENT"]), (10, &["BAG"])]).await;
    let (socks, _) = customer(&app, &ws, "socks", &[(50, &["SOCK"])]).await;

    // Before any refresh: only what is due again. GAS every 30 days, last 40 days ago.
    let before = recommendations(&app, &t, &target, "").await;
    assert!(before["refreshed_at"].is_null());
    assert_eq!(ranked(&before), vec![("GAS".into(), "due_again".into())]);
    let gas = &before["data"][0];
    assert!(close(&gas["score"], 30.0 / 40.0));
    assert_eq!(gas["interval_days"], 30);
    assert_eq!(gas["days_since"], 40);
    assert_eq!(gas["name"], "Gas canister");

    let res = app
        .post_as("/v1/recommendations/refresh", &t, &json!({}))
        .await;
    assert_eq!(res.status(), 200);
    let refresh: Value = res.json().await.unwrap();
    // 8 customers, 19 lines, 5 SKUs; TENT-BAG (3 customers) and TENT-STOVE (2) kept in both
    // directions; BAG-STOVE, BAG-SOCK and TENT-GAS were bought together once only.
    assert_eq!(
        (
            &refresh["customers"],
            &refresh["lines"],
            &refresh["items"],
            &refresh["pairs"]
        ),
        (&json!(8), &json!(19), &json!(5), &json!(4))
    );

    // Buyers: TENT 5, BAG 4, STOVE 2. cos(TENT, BAG) = 3 / sqrt(20), cos(TENT, STOVE) =
    // 2 / sqrt(10).
    let tent_bag = 3.0 / 20f64.sqrt();
    let tent_stove = 2.0 / 10f64.sqrt();
    let after = recommendations(&app, &t, &target, "").await;
    assert!(after["refreshed_at"].is_string());
    assert_eq!(
        ranked(&after),
        vec![
            ("GAS".into(), "due_again".into()),
            ("BAG".into(), "bought_together".into()),
            ("STOVE".into(), "bought_together".into()),
        ]
    );
    assert!(close(&after["data"][1]["score"], tent_bag));
    assert!(close(&after["data"][2]["score"], tent_stove));
    assert_eq!(after["data"][1]["because"], json!(["TENT"]));
    assert_eq!(
        after["data"][1]["explanation"],
        "3 of the 5 customers who bought Two-person tent also bought it (similarity 0.67)."
    );
    assert_eq!(
        ranked(&recommendations(&app, &t, &target, "?limit=2").await).len(),
        2
    );

    // "recent" has a TENT and a BAG: only STOVE is new to them.
    assert_eq!(
        ranked(&recommendations(&app, &t, &recent, "").await),
        vec![("STOVE".into(), "bought_together".into())]
    );
    // "socks" bought SOCK once, 50 days ago: due after the workspace's 35 days.
    let due = recommendations(&app, &t, &socks, "").await;
    assert_eq!(ranked(&due), vec![("SOCK".into(), "due_again".into())]);
    assert!(close(&due["data"][0]["score"], 35.0 / 50.0));
    assert_eq!(due["data"][0]["interval_days"], 35);
    assert_eq!(
        due["data"][0]["explanation"],
        "Bought once, 50 days ago; customers who buy it again do so after about 35 days."
    );

    // GraphQL gives the same.
    let q = r#"query($id: ID!) { account(id: $id) { recommendations(limit: 3) {
        refreshedAt data { sku name score reason because intervalDays daysSince explanation } } } }"#;
    let gql = app.graphql_as(&t, q, json!({"id": target})).await;
    let via_graphql = &gql["data"]["account"]["recommendations"]["data"];
    assert_eq!(via_graphql[0]["sku"], "GAS");
    assert_eq!(via_graphql[0]["intervalDays"], 30);
    assert_eq!(via_graphql[1]["sku"], "BAG");
    assert!(close(&via_graphql[1]["score"], tent_bag));
    assert_eq!(
        via_graphql[1]["explanation"],
        after["data"][1]["explanation"]
    );

    // A fully refunded order no longer counts: without "recent"'s BAG, BAG has 3 buyers
    // and TENT-BAG 2 together.
    let res = app
        .post_as(
            &format!("/v1/orders/{}/refund", recent_orders[1]),
            &t,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let gql = app
        .graphql_as(
            &t,
            "mutation { refreshRecommendations { customers lines items pairs } }",
            json!({}),
        )
        .await;
    assert_eq!(
        gql["data"]["refreshRecommendations"],
        json!({"customers": 8, "lines": 18, "items": 5, "pairs": 4})
    );
    // BAG drops below STOVE for the target: 2 / sqrt(15) < 2 / sqrt(10).
    let after_refund = recommendations(&app, &t, &target, "").await;
    assert_eq!(
        ranked(&after_refund),
        vec![
            ("GAS".into(), "due_again".into()),
            ("STOVE".into(), "bought_together".into()),
            ("BAG".into(), "bought_together".into()),
        ]
    );
    assert!(close(&after_refund["data"][2]["score"], 2.0 / 15f64.sqrt()));
    // "recent" now holds only TENT: BAG and STOVE, by their cosines with TENT.
    let r = recommendations(&app, &t, &recent, "").await;
    assert_eq!(
        ranked(&r),
        vec![
            ("STOVE".into(), "bought_together".into()),
            ("BAG".into(), "bought_together".into()),
        ]
    );
}

#[tokio::test]
async fn bad_parameters_and_missing_scopes_are_refused() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let t = ws.owner_token.clone();
    let (account, _) = customer(&app, &ws, "c1", &[(10, &["TENT"])]).await;
    for (query, field) in [("?limit=0", "limit"), ("?limit=101", "limit")] {
        let res = app
            .get_as(
                &format!("/v1/accounts/{account}/recommendations{query}"),
                &t,
            )
            .await;
        let body = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], field, "{query}");
    }
    let res = app
        .get_as("/v1/accounts/no-such-account/recommendations", &t)
        .await;
    assert_problem(res, 404, "not_found").await;

    // Recommendations show what the customer bought: `orders:read`. The refresh: admins.
    let (_, accounts_only) = app.api_key(&ws, &["accounts:read"]).await;
    let res = app
        .get_as(
            &format!("/v1/accounts/{account}/recommendations"),
            &accounts_only,
        )
        .await;
    assert_eq!(res.status(), 403);
    let (_, reader) = app.api_key(&ws, &["orders:read", "analytics:read"]).await;
    let res = app
        .get_as(&format!("/v1/accounts/{account}/recommendations"), &reader)
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post_as("/v1/recommendations/refresh", &reader, &json!({}))
        .await;
    assert_eq!(res.status(), 403);
}
