//! Duplicates and merge over HTTP: candidate pairs by e-mail, phone and name with their
//! reasons (never across workspaces); a merge moves everything to the survivor, recomputes
//! its value metrics exactly (the same as one account that had all the orders), keeps the
//! merged id as a redirect, is idempotent, refuses bad input changing nothing; and every
//! table naming an account is handled by the merge.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{assert_problem, TestApp, Workspace};
use reqwest::Method;
use serde_json::{json, Value};

async fn account(app: &TestApp, t: &str, body: Value) -> String {
    let res = app.post_as("/v1/accounts", t, &body).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let a: Value = res.json().await.unwrap();
    a["id"].as_str().unwrap().to_owned()
}

async fn person(app: &TestApp, t: &str, name: &str) -> String {
    account(app, t, json!({"kind": "person", "name": name})).await
}

async fn order(app: &TestApp, t: &str, account: &str, amount: i64, at: &str) {
    let res = app
        .post_as(
            "/v1/orders",
            t,
            &json!({"account_id": account, "amount": amount, "currency": "USD", "occurred_at": at}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
}

async fn get(app: &TestApp, t: &str, path: &str) -> Value {
    let res = app.get_as(path, t).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "GET {path}: {text}");
    serde_json::from_str(&text).unwrap()
}

async fn merge(app: &TestApp, t: &str, survivor: &str, from: &[&str]) -> reqwest::Response {
    app.post_as(
        &format!("/v1/accounts/{survivor}/merge"),
        t,
        &json!({ "from": from }),
    )
    .await
}

async fn merged(app: &TestApp, t: &str, survivor: &str, from: &[&str]) -> Value {
    let res = merge(app, t, survivor, from).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "merge: {text}");
    serde_json::from_str(&text).unwrap()
}

async fn duplicates(app: &TestApp, ws: &Workspace) -> Vec<Value> {
    let page = get(app, &ws.owner_token, "/v1/accounts/duplicates?limit=500").await;
    page["data"].as_array().unwrap().clone()
}

fn pair<'a>(pairs: &'a [Value], a: &str, b: &str) -> Option<&'a Value> {
    pairs.iter().find(|p| {
        let (x, y) = (
            p["account_id"].as_str().unwrap(),
            p["duplicate_id"].as_str().unwrap(),
        );
        (x == a && y == b) || (x == b && y == a)
    })
}

fn kinds(p: &Value) -> Vec<&str> {
    p["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn duplicates_by_email_phone_and_name_with_reasons_never_across_workspaces() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Dupes").await;
    let other = app.workspace("Elsewhere").await;
    let t = &ws.owner_token;
    let ada = account(
        &app,
        t,
        json!({"kind": "person", "name": "Ada Lovelace", "emails": ["ada.lovelace@gmail.com"]}),
    )
    .await;
    let ada2 = account(
        &app,
        t,
        json!({"kind": "person", "name": "A. King", "emails": ["AdaLovelace+shop@gmail.com"]}),
    )
    .await;
    let bob = account(
        &app,
        t,
        json!({"kind": "person", "name": "Bob Smith", "phones": ["+33 6 12 34 56 78"]}),
    )
    .await;
    let rob = account(
        &app,
        t,
        json!({"kind": "person", "name": "Robert Smith", "phones": ["0033 612 345 678"]}),
    )
    .await;
    let charles = person(&app, t, "Charles Babbage").await;
    let charles2 = person(&app, t, "Charles Babage").await;
    let _alone = person(&app, t, "Grace Hopper").await;
    // A contact's e-mail counts for its account.
    let org = account(
        &app,
        t,
        json!({"kind": "organization", "name": "Analytical Engines"}),
    )
    .await;
    let res = app
        .post_as(
            &format!("/v1/accounts/{org}/contacts"),
            t,
            &json!({"name": "Ada", "email": "ada.lovelace@gmail.com"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    // The same e-mail in another workspace is no pair here.
    account(
        &app,
        &other.owner_token,
        json!({"kind": "person", "name": "Ada Lovelace", "emails": ["ada.lovelace@gmail.com"]}),
    )
    .await;

    let pairs = duplicates(&app, &ws).await;
    assert_eq!(kinds(pair(&pairs, &ada, &ada2).unwrap()), ["email"]);
    assert_eq!(
        pair(&pairs, &ada, &ada2).unwrap()["reasons"][0]["value"],
        "adalovelace@gmail.com"
    );
    assert!(kinds(pair(&pairs, &ada, &org).unwrap()).contains(&"email"));
    assert_eq!(kinds(pair(&pairs, &bob, &rob).unwrap()), ["phone"]);
    assert_eq!(kinds(pair(&pairs, &charles, &charles2).unwrap()), ["name"]);
    assert_eq!(pairs.len(), 5, "{pairs:#?}");
    for p in &pairs {
        let score = p["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score));
        // The older account comes first: the suggested survivor.
        assert!(p["account_id"].as_str().unwrap() < p["duplicate_id"].as_str().unwrap());
    }
    let scores: Vec<f64> = pairs.iter().map(|p| p["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // Pages of one continue exactly.
    let mut seen = Vec::new();
    let mut path = "/v1/accounts/duplicates?limit=2".to_owned();
    loop {
        let page = get(&app, t, &path).await;
        seen.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/v1/accounts/duplicates?limit=2&after={c}"),
            None => break,
        }
    }
    assert_eq!(seen, pairs);
    // The other workspace sees none of them.
    assert!(duplicates(&app, &other).await.is_empty());
    // GraphQL agrees.
    let gql = app
        .graphql_as(
            t,
            "{ accountDuplicates(first: 500) { edges { node { accountId duplicateId score reasons { kind value } } } } }",
            json!({}),
        )
        .await;
    let edges = gql["data"]["accountDuplicates"]["edges"]
        .as_array()
        .unwrap();
    assert_eq!(edges.len(), pairs.len(), "{gql}");
    for (e, p) in edges.iter().zip(&pairs) {
        assert_eq!(e["node"]["accountId"], p["account_id"]);
        assert_eq!(e["node"]["score"], p["score"]);
    }
}

async fn points(app: &TestApp, t: &str, account: &str) -> i64 {
    get(app, t, &format!("/v1/accounts/{account}/loyalty")).await["available"]
        .as_i64()
        .unwrap()
}

/// Metrics as a comparable object: everything but the account's identity.
fn comparable(mut metrics: Value) -> Value {
    if let Some(m) = metrics.as_object_mut() {
        m.remove("account_id");
        m.remove("age_days");
    }
    metrics
}

#[tokio::test]
async fn a_merge_recomputes_metrics_exactly_and_moves_everything() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Merge").await;
    let t = &ws.owner_token;
    let res = app
        .send(
            Method::PUT,
            "/v1/loyalty/program",
            t,
            Some(&json!({
                "currency": "USD",
                "earn_rate": {"numerator": 1, "denominator": 100},
                "tiers": [{"name": "Base", "threshold": 0, "multiplier_permille": 1000}],
                "pending_days": 0
            })),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let survivor = account(
        &app,
        t,
        json!({"kind": "organization", "name": "Ada Lovelace", "emails": ["ada@example.com"], "tags": ["vip"],
               "marketing_consent": {"email": {"granted": true, "at": "2026-01-01T00:00:00Z"}}}),
    )
    .await;
    let other = account(
        &app,
        t,
        json!({"kind": "organization", "name": "Ada L.", "emails": ["ada@work.example.com"], "phones": ["+44 20 7946 0958"],
               "tags": ["newsletter"], "external_id": "shop:1", "acquisition_channel": "search",
               "marketing_consent": {"email": {"granted": false, "at": "2026-02-01T00:00:00Z"}}}),
    )
    .await;
    let reference = person(&app, t, "One account with every order").await;
    // Both have an order on 2026-03-02: one purchase day, as for the reference account.
    let orders: [(&str, i64, &str); 5] = [
        (&survivor, 1_000, "2026-03-01T10:00:00Z"),
        (&survivor, 2_000, "2026-03-02T10:00:00Z"),
        (&other, 3_000, "2026-03-02T15:00:00Z"),
        (&other, 4_000, "2026-04-10T09:00:00Z"),
        (&survivor, 500, "2026-05-20T09:00:00Z"),
    ];
    for (who, amount, at) in orders {
        order(&app, t, who, amount, at).await;
        order(&app, t, &reference, amount, at).await;
    }
    // A fitted model: RFM scores and predictions are part of what must agree.
    let res = app.post_as("/v1/models/churn/fit", t, &json!({})).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let fitted = get(&app, t, &format!("/v1/accounts/{reference}/metrics")).await;
    assert!(fitted["rfm"].is_object(), "{fitted}");

    // Contacts, interactions and points on the merged account.
    let res = app
        .post_as(
            &format!("/v1/accounts/{other}/contacts"),
            t,
            &json!({"name": "Assistant", "email": "pa@example.com"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let res = app
        .post_as(
            &format!("/v1/accounts/{other}/interactions"),
            t,
            &json!({"type": "note", "body": "called about the order"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    for (who, points) in [(&survivor, 120), (&other, 80)] {
        let res = app
            .post_as(
                &format!("/v1/accounts/{who}/loyalty/adjust"),
                t,
                &json!({"points": points, "reason": "welcome"}),
            )
            .await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    }
    let before_points = points(&app, t, &survivor).await + points(&app, t, &other).await;
    assert!(
        before_points > 200,
        "orders earn points too: {before_points}"
    );
    let entries = |v: Value| v["data"].as_array().unwrap().len();
    let before_entries = entries(
        get(
            &app,
            t,
            &format!("/v1/accounts/{survivor}/loyalty/ledger?limit=500"),
        )
        .await,
    ) + entries(
        get(
            &app,
            t,
            &format!("/v1/accounts/{other}/loyalty/ledger?limit=500"),
        )
        .await,
    );

    let result = merged(&app, t, &survivor, &[&other]).await;
    assert_eq!(result["account"]["id"], survivor.as_str());
    assert_eq!(result["merged_ids"], json!([other]));
    let a = &result["account"];
    // Survivor wins where set, lists unite, consent keeps the latest decision.
    assert_eq!(a["name"], "Ada Lovelace");
    assert_eq!(
        a["emails"],
        json!(["ada@example.com", "ada@work.example.com"])
    );
    assert_eq!(a["phones"], json!(["+442079460958"]));
    assert_eq!(a["tags"], json!(["vip", "newsletter"]));
    assert_eq!(a["external_id"], "shop:1");
    assert_eq!(a["acquisition_channel"], "search");
    assert_eq!(a["marketing_consent"]["email"]["status"], "withdrawn");

    // The metrics are those of the account that had every order.
    let m = get(&app, t, &format!("/v1/accounts/{survivor}/metrics")).await;
    let r = get(&app, t, &format!("/v1/accounts/{reference}/metrics")).await;
    assert_eq!(m["orders_count"], 5);
    assert_eq!(m["revenue"], 10_500);
    assert_eq!(comparable(m), comparable(r));

    // Everything moved; points are neither lost nor counted twice.
    let contacts = get(&app, t, &format!("/v1/accounts/{survivor}/contacts")).await;
    assert_eq!(contacts["data"].as_array().unwrap().len(), 1);
    let timeline = get(&app, t, &format!("/v1/accounts/{survivor}/interactions")).await;
    assert!(timeline["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["body"] == "called about the order"));
    let orders = get(
        &app,
        t,
        &format!("/v1/accounts/{survivor}/orders?limit=500"),
    )
    .await;
    assert_eq!(orders["data"].as_array().unwrap().len(), 5);
    assert_eq!(points(&app, t, &survivor).await, before_points);
    let ledger = get(
        &app,
        t,
        &format!("/v1/accounts/{survivor}/loyalty/ledger?limit=500"),
    )
    .await;
    assert_eq!(entries(ledger), before_entries);

    // The merged id reads as the survivor, and leaves lists.
    let read = get(&app, t, &format!("/v1/accounts/{other}")).await;
    assert_eq!(read["id"], survivor.as_str());
    let gql = app
        .graphql_as(
            t,
            "query($id: ID!) { account(id: $id) { id name metrics { ordersCount } } }",
            json!({"id": other}),
        )
        .await;
    assert_eq!(gql["data"]["account"]["id"], survivor.as_str(), "{gql}");
    assert_eq!(gql["data"]["account"]["metrics"]["ordersCount"], 5);
    let list = get(&app, t, "/v1/accounts?limit=500").await;
    let ids: Vec<&str> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&other.as_str()) && ids.contains(&survivor.as_str()));

    // The event and the audit entry.
    let events = get(&app, t, "/v1/events?types=account.merged").await;
    let e = &events["data"][0];
    assert_eq!(e["data"]["survivor_id"], survivor.as_str());
    assert_eq!(e["data"]["merged_ids"], json!([other]));
    let audit = get(&app, t, "/v1/audit-log?limit=500").await;
    assert!(audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["action"] == "account.merge" && a["resource_id"] == survivor.as_str()));

    // Repeating the merge answers the same and changes nothing.
    let again = merged(&app, t, &survivor, &[&other]).await;
    assert_eq!(again, result);
    let events = get(&app, t, "/v1/events?types=account.merged").await;
    assert_eq!(events["data"].as_array().unwrap().len(), 1);
    assert_eq!(points(&app, t, &survivor).await, before_points);

    // GraphQL merges the same way.
    let third = person(&app, t, "Ada Again").await;
    order(&app, t, &third, 700, "2026-05-20T18:00:00Z").await;
    let gql = app
        .graphql_as(
            t,
            "mutation($id: ID!, $from: [ID!]!) { mergeAccounts(id: $id, from: $from) { mergedIds account { id } } }",
            json!({"id": survivor, "from": [third]}),
        )
        .await;
    assert_eq!(
        gql["data"]["mergeAccounts"]["account"]["id"],
        survivor.as_str(),
        "{gql}"
    );
    let m = get(&app, t, &format!("/v1/accounts/{survivor}/metrics")).await;
    assert_eq!(m["orders_count"], 6);
    assert_eq!(m["revenue"], 11_200);
}

#[tokio::test]
async fn bad_merges_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Refusals").await;
    let other_ws = app.workspace("Foreign").await;
    let t = &ws.owner_token;
    let a = person(&app, t, "Survivor").await;
    let b = person(&app, t, "Merged").await;
    let c = person(&app, t, "Third").await;
    order(&app, t, &b, 1_000, "2026-03-01T10:00:00Z").await;
    let foreign = person(&app, &other_ws.owner_token, "Foreign").await;
    let before_a = get(&app, t, &format!("/v1/accounts/{a}")).await;
    let before_b = get(&app, t, &format!("/v1/accounts/{b}/metrics")).await;

    let body = assert_problem(merge(&app, t, &a, &[&a]).await, 422, "merge_into_itself").await;
    assert_eq!(body["errors"][0]["field"], "from[0]");
    let body = assert_problem(
        merge(&app, t, &a, &[&b, &foreign]).await,
        422,
        "unknown_account",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "from[1]");
    let body = assert_problem(
        merge(&app, t, &a, &["00000000-0000-0000-0000-000000000000"]).await,
        422,
        "unknown_account",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "from[0]");
    assert_problem(merge(&app, t, &a, &[]).await, 422, "validation_failed").await;
    assert_problem(
        merge(&app, t, &a, &[&b, &b]).await,
        422,
        "validation_failed",
    )
    .await;
    let res = app
        .post_as(
            &format!("/v1/accounts/{a}/merge"),
            t,
            &json!({"from": [b], "extra": 1}),
        )
        .await;
    assert_eq!(res.status(), 422);
    // Someone else's survivor is not found.
    assert_problem(
        merge(&app, &other_ws.owner_token, &a, &[&foreign]).await,
        404,
        "not_found",
    )
    .await;

    // Nothing changed.
    assert_eq!(get(&app, t, &format!("/v1/accounts/{a}")).await, before_a);
    assert_eq!(
        get(&app, t, &format!("/v1/accounts/{b}/metrics")).await,
        before_b
    );
    assert_eq!(
        get(&app, t, &format!("/v1/accounts/{b}")).await["id"],
        b.as_str()
    );

    // An account merged into one may not be merged into another.
    merged(&app, t, &a, &[&b]).await;
    let body = assert_problem(merge(&app, t, &c, &[&b]).await, 422, "already_merged").await;
    assert_eq!(body["errors"][0]["field"], "from[0]");
    // A merged account is no survivor.
    assert_problem(merge(&app, t, &b, &[&c]).await, 404, "not_found").await;
    // Nor can it be changed or deleted through its old id.
    let res = app
        .send(
            Method::PATCH,
            &format!("/v1/accounts/{b}"),
            t,
            Some(&json!({"name": "x"})),
        )
        .await;
    assert_eq!(res.status(), 404);
}

/// Every table with an `account_id` column (in `persistence/src/schema.rs`) is one the merge
/// handles: a new one fails here until the merge says what becomes of its rows.
#[test]
fn every_table_naming_an_account_is_handled_by_the_merge() {
    let schema = std::fs::read_to_string(common::repo_file("persistence/src/schema.rs")).unwrap();
    let mut tables = Vec::new();
    let mut current: Option<String> = None;
    for line in schema.lines() {
        let trimmed = line.trim();
        if line.starts_with("    ") && !line.starts_with("     ") && trimmed.ends_with('{') {
            current = trimmed.split([' ', '(']).next().map(str::to_owned);
        } else if trimmed.starts_with("account_id ->") {
            tables.push(current.clone().unwrap());
        }
    }
    tables.sort();
    tables.dedup();
    let mut handled: Vec<String> = rapport_api::service::merge::ACCOUNT_TABLES
        .iter()
        .map(|(t, _)| (*t).to_owned())
        .collect();
    handled.sort();
    assert!(tables.len() >= 20, "{tables:?}");
    assert_eq!(tables, handled);
}
