//! What one GraphQL document may cost (issue #17, defect 2): list fields weigh the page they
//! ask for, aliases, root fields and mutations are capped, expensive mutations run once per
//! document, a document pays its complexity from the caller's rate limit, and a request
//! that resolves too many values is stopped. Ordinary queries and GraphiQL's introspection
//! query still pass.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{TestApp, Workspace};
use serde_json::{json, Value};

/// The introspection query GraphiQL sends (graphql-js `getIntrospectionQuery`, with the
/// options GraphiQL turns on).
const GRAPHIQL_INTROSPECTION: &str = r"
query IntrospectionQuery {
  __schema {
    description
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives {
      name
      description
      isRepeatable
      locations
      args(includeDeprecated: true) { ...InputValue }
    }
  }
}
fragment FullType on __Type {
  kind
  name
  description
  specifiedByURL
  isOneOf
  fields(includeDeprecated: true) {
    name
    description
    args(includeDeprecated: true) { ...InputValue }
    type { ...TypeRef }
    isDeprecated
    deprecationReason
  }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) {
    name
    description
    isDeprecated
    deprecationReason
  }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue {
  name
  description
  type { ...TypeRef }
  defaultValue
  isDeprecated
  deprecationReason
}
fragment TypeRef on __Type {
  kind
  name
  ofType {
    kind
    name
    ofType {
      kind
      name
      ofType {
        kind
        name
        ofType {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                  ofType { kind name }
                }
              }
            }
          }
        }
      }
    }
  }
}";

/// The code of a refused document's only error, after checking that nothing ran.
fn refused(res: &Value) -> String {
    assert!(
        res["data"].is_null(),
        "a refused document returns no data: {res}"
    );
    let errors = res["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{res}");
    errors[0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn no_errors(res: &Value) {
    assert!(res.get("errors").is_none(), "{res}");
}

/// A thousand accounts, each with an order.
async fn thousand_buyers(app: &TestApp, ws: &Workspace) {
    let t = &ws.owner_token;
    for batch in 0..2 {
        let accounts: Vec<Value> = (0..500)
            .map(|i| {
                let n = batch * 500 + i;
                json!({"kind": "organization", "name": format!("Buyer {n}"), "external_id": format!("b{n}"),
                       "emails": [format!("buyer{n}@example.com")]})
            })
            .collect();
        let res = app
            .post_as("/v1/accounts/batch", t, &json!({ "accounts": accounts }))
            .await;
        assert_eq!(res.status(), 200);
    }
    let orders: Vec<Value> = (0..1000)
        .map(|n| {
            json!({"account_external_id": format!("b{n}"), "external_id": format!("o{n}"),
                   "amount": 1000 + n, "currency": "USD", "occurred_at": "2026-01-05T12:00:00Z"})
        })
        .collect();
    let res = app
        .post_as("/v1/orders/batch", t, &json!({ "orders": orders }))
        .await;
    assert_eq!(res.status(), 200);
}

const BIG_PAGE: &str = "accounts(first: 500) { nodes { id name emails \
    metrics { ordersCount revenue clv churnProbability } \
    contacts { id name email } \
    orders(first: 20) { nodes { id amount } } } }";

#[tokio::test]
async fn amplifying_documents_are_refused_and_ordinary_ones_pass() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Amplified").await;
    let t = &ws.owner_token;
    thousand_buyers(&app, &ws).await;

    // 60 aliases of a big page: refused before anything runs.
    let sixty: String = (0..60).map(|i| format!("a{i}: {BIG_PAGE}\n")).collect();
    let res = app
        .graphql_as(t, &format!("{{ {sixty} }}"), json!({}))
        .await;
    assert_eq!(refused(&res), "too_many_aliases");

    // One of them alone weighs 500 accounts times 20 orders: too complex.
    let res = app
        .graphql_as(t, &format!("{{ {BIG_PAGE} }}"), json!({}))
        .await;
    assert_eq!(refused(&res), "query_too_complex");
    let message = res["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("page size"), "{message}");

    // The issue's 10 aliases of 500 accounts with 100 orders each (63,450 nodes before).
    let ten: String = (0..10)
        .map(|i| format!("a{i}: accounts(first: 500) {{ nodes {{ id orders(first: 100) {{ nodes {{ id amount }} }} }} }}\n"))
        .collect();
    let res = app.graphql_as(t, &format!("{{ {ten} }}"), json!({})).await;
    assert_eq!(refused(&res), "query_too_complex");

    // The same amplification through variables is weighed the same.
    let res = app
        .graphql_as(
            t,
            "query($n: Int) { accounts(first: $n) { nodes { id orders(first: $n) { nodes { id } } } } }",
            json!({"n": 500}),
        )
        .await;
    assert_eq!(refused(&res), "query_too_complex");

    // More than 20 root fields, even cheap ones and without aliases.
    let roots = "serverVersion ".repeat(21);
    let res = app
        .graphql_as(t, &format!("{{ {roots} }}"), json!({}))
        .await;
    assert_eq!(refused(&res), "too_many_root_fields");

    // What frontends ask for still passes: a page of 50 accounts with their metrics...
    let res = app
        .graphql_as(
            t,
            "{ accounts(first: 50) { pageInfo { hasNextPage endCursor } edges { cursor node { id name kind emails lifecycleStage createdAt metrics { ordersCount revenue averageOrderValue firstOrderAt lastOrderAt clv churnProbability pAlive rfm { r f m segment } } } } } }",
            json!({}),
        )
        .await;
    no_errors(&res);
    assert_eq!(
        res["data"]["accounts"]["edges"].as_array().unwrap().len(),
        50
    );
    // ... one account with its contacts, timeline and orders...
    let id = res["data"]["accounts"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .graphql_as(
            t,
            "query($id: String!) { account(id: $id) { id name contacts { id name title email phone } interactions(first: 10) { nodes { id } } orders(first: 20) { nodes { id amount currency } } metrics { ordersCount revenue } } }",
            json!({"id": id}),
        )
        .await;
    no_errors(&res);
    assert_eq!(
        res["data"]["account"]["orders"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // ... and the largest page REST serves, with a few fields.
    let res = app
        .graphql_as(
            t,
            "{ accounts(first: 500) { nodes { id name externalId } } }",
            json!({}),
        )
        .await;
    no_errors(&res);
    assert_eq!(
        res["data"]["accounts"]["nodes"].as_array().unwrap().len(),
        500
    );
}

#[tokio::test]
async fn two_hundred_aliased_refits_make_no_model_and_one_refit_makes_one() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Refits").await;
    let t = &ws.owner_token;
    let many: String = (0..200)
        .map(|i| format!("f{i}: fitChurnModel {{ version }}\n"))
        .collect();
    let res = app
        .graphql_as(t, &format!("mutation {{ {many} }}"), json!({}))
        .await;
    assert_eq!(refused(&res), "too_many_aliases");
    // Within the alias cap, expensive mutations still run at most once per document.
    let two = "mutation { a: fitChurnModel { version } b: fitChurnModel { version } }";
    let res = app.graphql_as(t, two, json!({})).await;
    assert_eq!(refused(&res), "expensive_mutation_repeated");
    let res = app.get_as("/v1/models/churn", t).await;
    common::assert_problem(res, 404, "model_not_fitted").await;

    // More than 10 mutations of any kind in one document.
    let eleven: String = (0..11)
        .map(|i| {
            format!("c{i}: createAccount(input: {{kind: \"person\", name: \"P{i}\"}}) {{ id }}\n")
        })
        .collect();
    let res = app
        .graphql_as(t, &format!("mutation {{ {eleven} }}"), json!({}))
        .await;
    assert_eq!(refused(&res), "too_many_mutations");
    let listed: Value = app.get_as("/v1/accounts", t).await.json().await.unwrap();
    assert_eq!(
        listed["data"],
        json!([]),
        "nothing of a refused document ran"
    );

    let res = app
        .graphql_as(t, "mutation { fitChurnModel { version } }", json!({}))
        .await;
    no_errors(&res);
    assert_eq!(res["data"]["fitChurnModel"]["version"], 1);
    let model: Value = app
        .get_as("/v1/models/churn", t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(model["version"], 1);
}

#[tokio::test]
async fn graphiql_introspection_still_passes() {
    // With credentials, as GraphiQL loads the schema under the default setting.
    let app = TestApp::spawn().await;
    let ws = app.workspace("Tools").await;
    let res = app
        .graphql_as(&ws.owner_token, GRAPHIQL_INTROSPECTION, json!({}))
        .await;
    no_errors(&res);
    let types = res["data"]["__schema"]["types"].as_array().unwrap();
    assert!(types.iter().any(|t| t["name"] == "Account"));
    assert_eq!(res["data"]["__schema"]["queryType"]["name"], "Query");
    // Without credentials where introspection is public: the limits do not refuse it either.
    let public = TestApp::spawn_with(|c| {
        c.graphql_introspection = rapport_api::config::GraphqlIntrospection::Public;
    })
    .await;
    let res = public.graphql(GRAPHIQL_INTROSPECTION).await;
    no_errors(&res);
    assert_eq!(res["data"]["__schema"]["queryType"]["name"], "Query");
}

#[tokio::test]
async fn a_document_pays_its_complexity_from_the_callers_rate_limit() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Costly").await;
    // A key allowed 100 requests a minute.
    let res = app
        .post_as(
            "/v1/api-keys",
            &ws.owner_token,
            &json!({"name": "partner", "scopes": ["accounts:read"], "rate_limit_per_minute": 100}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let key: Value = res.json().await.unwrap();
    let key = key["secret"].as_str().unwrap().to_owned();
    // Complexity 1,501: 6 tokens on top of the request's own.
    let page = json!({ "query": "{ accounts(first: 500) { nodes { id name } } }" });
    let mut answered = 0;
    let mut limited = None;
    for i in 0..40 {
        let res = app.post_as("/graphql", &key, &page).await;
        if res.status() == 429 {
            limited = Some((i, "http"));
            break;
        }
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        if body.get("errors").is_some() {
            assert_eq!(refused(&body), "rate_limited", "{body}");
            limited = Some((i, "graphql"));
            break;
        }
        answered += 1;
    }
    let (at, how) = limited.expect("the key's bucket ran dry");
    // 100 tokens at 7 a document: 14 documents (REST requests would have had 100); the
    // bucket refills 1.7 tokens a second, so a slow machine may fit a few more.
    assert!(
        (13..=20).contains(&answered),
        "{answered} big documents answered before the limit ({how} at {at})"
    );
}

#[tokio::test]
async fn a_request_that_resolves_too_many_values_is_stopped() {
    let app = TestApp::spawn_with(|c| c.graphql_max_resolved_values = 200).await;
    let ws = app.workspace("Crowded").await;
    let t = &ws.owner_token;
    let account: Value = app
        .post_as(
            "/v1/accounts",
            t,
            &json!({"kind": "organization", "name": "Big org"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = account["id"].as_str().unwrap().to_owned();
    // Contacts are an unpaged list: their complexity is an estimate, the budget is not.
    for i in 0..40 {
        let res = app
            .post_as(
                &format!("/v1/accounts/{id}/contacts"),
                t,
                &json!({"name": format!("Person {i}")}),
            )
            .await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    }
    let small = app
        .graphql_as(
            t,
            "query($id: String!) { account(id: $id) { id name contacts { id } } }",
            json!({"id": id}),
        )
        .await;
    no_errors(&small);
    assert_eq!(
        small["data"]["account"]["contacts"]
            .as_array()
            .unwrap()
            .len(),
        40
    );
    let large = app
        .graphql_as(
            t,
            "query($id: String!) { account(id: $id) { id name contacts { id name title email phone } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(refused(&large), "result_too_large");
}
