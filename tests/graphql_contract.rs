//! The GraphQL contract a generated client relies on (issue 18, items 5, 6 and 7): 64-bit
//! money as `Long`, `ID` ids, a code on every error, GraphQL names in validation errors,
//! one behaviour for missing and bad tokens, response keys in query order, introspection
//! as a setting, and GraphiQL served from the binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{graphql_sdl, repo_file, TestApp};
use rapport_api::config::GraphqlIntrospection;
use serde_json::{json, Value};

async fn raw(app: &TestApp, token: Option<&str>, body: Value) -> (u16, String) {
    let mut req = app.http.post(app.url("/graphql")).json(&body);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn codes(response: &Value) -> Vec<String> {
    response["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("errors expected: {response}"))
        .iter()
        .map(|e| {
            e["extensions"]["code"]
                .as_str()
                .unwrap_or_else(|| panic!("an error without a code: {response}"))
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn money_beyond_32_and_53_bits_round_trips_as_long() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Long").await;
    let t = &ws.owner_token;
    let account = app
        .graphql_as(
            t,
            "mutation { createAccount(input: {kind: \"person\", name: \"Big Spender\"}) { id } }",
            json!({}),
        )
        .await;
    let id = account["data"]["createAccount"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // 10^13 minor units, sent as a string variable (the documented form).
    let create = "mutation($a: ID!, $amount: Long!) { createOrder(input: {accountId: $a, amount: $amount, currency: \"USD\", cost: 2147483648, items: [{sku: \"S\", quantity: 1, unitPrice: \"3000000000\"}]}) { id amount cost reportingAmount items { unitPrice } } }";
    let out = app
        .graphql_as(t, create, json!({"a": id, "amount": "10000000000000"}))
        .await;
    assert!(out.get("errors").is_none(), "{out}");
    let order = &out["data"]["createOrder"];
    assert_eq!(order["amount"], "10000000000000");
    assert_eq!(order["reportingAmount"], "10000000000000");
    // An `Int` literal above 2^31 is accepted as input too.
    assert_eq!(order["cost"], "2147483648");
    assert_eq!(order["items"][0]["unitPrice"], "3000000000");

    let read = app
        .graphql_as(
            t,
            "query($id: ID!) { account(id: $id) { id metrics { revenue ordersCount margin } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(read["data"]["account"]["id"], id.as_str(), "{read}");
    let metrics = &read["data"]["account"]["metrics"];
    assert_eq!(metrics["revenue"], "10000000000000", "{read}");
    assert_eq!(metrics["margin"], "9997852516352", "{read}");
    assert_eq!(metrics["ordersCount"], 1);

    // REST keeps plain JSON numbers.
    let rest: Value = app
        .get_as(&format!("/v1/accounts/{id}/profile"), t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["metrics"]["revenue"], 10_000_000_000_000_i64, "{rest}");

    // Not a number: refused with the argument named.
    let bad = app
        .graphql_as(t, create, json!({"a": id, "amount": "12e3"}))
        .await;
    assert_eq!(codes(&bad), ["bad_user_input"], "{bad}");
}

#[tokio::test]
async fn every_error_has_a_code() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Codes").await;
    let t = &ws.owner_token;
    let cases: [(&str, Value, &str); 6] = [
        ("{ accounts(first: 1) { nodes { id }", json!({}), "graphql_parse_failed"),
        ("{ accounts(first: 1) { nodes { nope } } }", json!({}), "graphql_validation_failed"),
        ("{ account(idd: \"x\") { id } }", json!({}), "graphql_validation_failed"),
        (
            "query($n: Int) { accounts(first: $n) { nodes { id } } }",
            json!({"n": "ten"}),
            "bad_user_input",
        ),
        (
            "query($n: Int!) { accounts(first: $n) { nodes { id } } }",
            json!({}),
            "bad_user_input",
        ),
        (
            // 17 levels: over the depth limit of 16.
            "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } } } } } }",
            json!({}),
            "query_too_deep",
        ),
    ];
    for (query, variables, code) in cases {
        let out = app.graphql_as(t, query, variables).await;
        let got = codes(&out);
        assert!(!got.is_empty(), "{query}: {out}");
        assert!(got.iter().all(|c| c == code), "{query}: {out}");
    }
}

#[tokio::test]
async fn validation_errors_name_graphql_paths() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Paths").await;
    let t = &ws.owner_token;
    let out = app
        .graphql_as(
            t,
            "mutation { createOrder(input: {accountExternalId: \"nobody\", amount: 5, currency: \"USD\", items: [{sku: \"S\", quantity: 1, unitPrice: -1}]}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(codes(&out), ["validation_failed"], "{out}");
    let fields: Vec<&str> = out["errors"][0]["extensions"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"input.items[0].unitPrice"), "{out}");
    assert!(fields.iter().all(|f| !f.contains('_')), "{out}");

    let out = app
        .graphql_as(t, "{ accounts(first: 0) { nodes { id } } }", json!({}))
        .await;
    assert_eq!(codes(&out), ["validation_failed"], "{out}");
    assert_eq!(
        out["errors"][0]["extensions"]["errors"][0]["field"], "first",
        "{out}"
    );

    let out = app
        .graphql_as(
            t,
            "{ accounts(first: 5, filter: {kind: \"robot\"}) { nodes { id } } }",
            json!({}),
        )
        .await;
    let field = out["errors"][0]["extensions"]["errors"][0]["field"].as_str();
    assert_eq!(field, Some("filter.kind"), "{out}");
}

#[tokio::test]
async fn missing_and_bad_tokens_answer_alike() {
    let app = TestApp::spawn().await;
    let query = json!({"query": "{ serverVersion account(id: \"0190a0c4-0000-7000-8000-000000000000\") { id } }"});
    for token in [None, Some("not-a-token"), Some("rk_abc_def")] {
        let (status, body) = raw(&app, token, query.clone()).await;
        assert_eq!(status, 200, "{token:?}: {body}");
        let out: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(codes(&out), ["unauthenticated"], "{token:?}: {out}");
        assert_eq!(out["errors"][0]["path"], json!(["account"]), "{out}");
        assert!(out["data"]["serverVersion"].is_string(), "{out}");
    }
    // A malformed header too.
    let res = app
        .http
        .post(app.url("/graphql"))
        .header("authorization", "Basic abc")
        .json(&query)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let out: Value = res.json().await.unwrap();
    assert_eq!(codes(&out), ["unauthenticated"], "{out}");
}

#[tokio::test]
async fn response_keys_follow_the_query() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Order").await;
    for i in 0..3 {
        app.post_as(
            "/v1/accounts",
            &ws.owner_token,
            &json!({"kind": "organization", "name": format!("Org {i}")}),
        )
        .await;
    }
    // The slow fields first, the instant one last: finishing order is the reverse.
    let query = "{ accounts(first: 3) { nodes { name id metrics { revenue currency } contacts { id } } } workspace { name id } zz: serverVersion }";
    let (status, body) = raw(&app, Some(&ws.owner_token), json!({"query": query})).await;
    assert_eq!(status, 200, "{body}");
    let at = |key: &str| body.find(key).unwrap_or_else(|| panic!("{key} in {body}"));
    assert!(at("\"accounts\"") < at("\"workspace\""), "{body}");
    assert!(at("\"workspace\"") < at("\"zz\""), "{body}");
    assert!(at("\"revenue\"") < at("\"currency\""), "{body}");
    assert!(at("\"name\":\"Org") < at("\"id\""), "{body}");
}

#[tokio::test]
async fn the_schema_speaks_graphql_not_rust() {
    let sdl = std::fs::read_to_string(repo_file("schema.graphql")).unwrap();
    let shape = graphql_sdl::from_sdl(&sdl);
    let fields = |ty: &str| shape.get(ty).cloned().unwrap_or_default();
    assert!(fields("Account").contains(&"id(): ID!".to_owned()));
    assert!(fields("Order").contains(&"accountId(): ID!".to_owned()));
    assert!(fields("Order").contains(&"amount(): Long!".to_owned()));
    assert!(fields("ValueMetrics").contains(&"clv(): Long".to_owned()));
    assert!(fields("ValueMetrics").contains(&"expectedOrders90d(): Float".to_owned()));
    assert!(fields("LoyaltyBalance").contains(&"available(): Long!".to_owned()));
    assert!(fields("OrderInput").contains(&"amount: Long".to_owned()));
    assert!(fields("Deal").contains(&"expectedCloseOn(): Date".to_owned()));
    assert!(fields("ValueSettings").contains(&"exchangeRates(): [ExchangeRate!]!".to_owned()));
    assert!(fields("Query").contains(&"account(id: ID!): Account".to_owned()));
    assert!(shape.contains_key("Long") && shape.contains_key("Date"));
    assert!(!shape.contains_key("NaiveDate"));
    assert!(!sdl.contains("Implement the") && !sdl.contains("DateTime<"));
    // No digit followed by a lone capital (`expectedOrders90D`; `expiringIn30Days` is fine).
    let bad: Vec<&String> = shape
        .values()
        .flatten()
        .filter(|f| {
            f.as_bytes().windows(3).any(|w| {
                w[0].is_ascii_digit() && w[1].is_ascii_uppercase() && !w[2].is_ascii_lowercase()
            })
        })
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    // Money and points are never a 32-bit `Int`.
    for (ty, members) in &shape {
        for m in members {
            let name = m.split(['(', ':']).next().unwrap_or_default();
            let money = [
                "amount",
                "revenue",
                "clv",
                "cost",
                "margin",
                "points",
                "unitPrice",
            ]
            .iter()
            .any(|w| name.to_lowercase().ends_with(&w.to_lowercase()));
            assert!(!(money && m.contains("Int")), "{ty}.{m}");
        }
    }
}

#[tokio::test]
async fn value_settings_show_exchange_rates() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Rates").await;
    let res = app
        .send(
            reqwest::Method::PATCH,
            "/v1/workspace/value-settings",
            &ws.owner_token,
            Some(&json!({"exchange_rates": {"EUR": "1.08", "JPY": "0.0067"}})),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let out = app
        .graphql_as(
            &ws.owner_token,
            "{ valueSettings { reportingCurrency exchangeRates { currency rate } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        out["data"]["valueSettings"]["exchangeRates"],
        json!([{"currency": "EUR", "rate": "1.08"}, {"currency": "JPY", "rate": "0.0067"}]),
        "{out}"
    );
}

const INTROSPECT: &str = "{ __schema { queryType { name } } }";

#[tokio::test]
async fn introspection_needs_a_token_by_default() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Intro").await;
    let anonymous = app.graphql(INTROSPECT).await;
    assert_eq!(codes(&anonymous), ["introspection_disabled"], "{anonymous}");
    assert!(anonymous["data"].is_null(), "{anonymous}");
    let (_, body) = raw(
        &app,
        Some("bad-token"),
        json!({"query": "{ __type(name: \"Account\") { name } }"}),
    )
    .await;
    let bad: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(codes(&bad), ["introspection_disabled"], "{bad}");
    let with_token = app.graphql_as(&ws.owner_token, INTROSPECT, json!({})).await;
    assert_eq!(
        with_token["data"]["__schema"]["queryType"]["name"], "Query",
        "{with_token}"
    );
}

#[tokio::test]
async fn introspection_can_be_public_or_off() {
    let public =
        TestApp::spawn_with(|c| c.graphql_introspection = GraphqlIntrospection::Public).await;
    let out = public.graphql(INTROSPECT).await;
    assert_eq!(
        out["data"]["__schema"]["queryType"]["name"], "Query",
        "{out}"
    );

    let off = TestApp::spawn_with(|c| c.graphql_introspection = GraphqlIntrospection::Off).await;
    let ws = off.workspace("Off").await;
    let out = off.graphql_as(&ws.owner_token, INTROSPECT, json!({})).await;
    assert_eq!(codes(&out), ["introspection_disabled"], "{out}");
    // `__typename` is not introspection of the schema: it stays.
    let out = off
        .graphql_as(&ws.owner_token, "{ __typename serverVersion }", json!({}))
        .await;
    assert_eq!(out["data"]["__typename"], "Query", "{out}");
}

#[tokio::test]
async fn graphiql_is_served_from_the_binary() {
    let app = TestApp::spawn().await;
    let res = app.get("/graphql").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src 'self'"));
    let page = res.text().await.unwrap();
    let mut assets = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for (i, _) in page.match_indices(attr) {
            let url = page[i + attr.len()..].split('"').next().unwrap().to_owned();
            assert!(url.starts_with("/graphql/assets/"), "{url}");
            assets.push(url);
        }
    }
    assert_eq!(assets.len(), 5, "{page}");
    for url in assets {
        let res = app.get(&url).await;
        assert_eq!(res.status(), 200, "{url}");
        let cache = res.headers()["cache-control"].to_str().unwrap().to_owned();
        let kind = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(
            kind.starts_with("text/javascript") || kind.starts_with("text/css"),
            "{url}"
        );
        if !url.ends_with("init.js") {
            assert!(cache.contains("immutable"), "{url}: {cache}");
        }
        assert!(!res.bytes().await.unwrap().is_empty());
    }
    assert_eq!(app.get("/graphql/assets/nope.js").await.status(), 404);

    let off = TestApp::spawn_with(|c| c.graphiql = false).await;
    assert_eq!(off.get("/graphql/assets/init.js").await.status(), 404);
}
