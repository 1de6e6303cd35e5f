//! `accounts(first: N) { contacts { … } }` runs the same number of SQL statements whatever N
//! is: contacts come through one loader query per page, not one query per account. Alone in
//! its own test binary, because it counts every statement the process runs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::TestApp;
use diesel::connection::{Instrumentation, InstrumentationEvent};
use serde_json::{json, Value};

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

fn counting() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(|event: InstrumentationEvent<'_>| {
        // Only reads of accounts and contacts: the server's background workers (webhook
        // deliveries, the pipeline's sweeper, job leases) run statements of their own.
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            let sql = query.to_string();
            if sql.contains("contacts") || sql.contains("accounts") {
                STATEMENTS.fetch_add(1, Ordering::SeqCst);
            }
        }
    }))
}

#[tokio::test]
async fn nested_contacts_cost_a_constant_number_of_queries() {
    diesel::connection::set_default_instrumentation(counting).unwrap();
    let app = TestApp::spawn().await;
    let ws = app.workspace("Loader").await;
    let accounts: Vec<Value> = (0..60)
        .map(|i| json!({"kind": "organization", "name": format!("Org {i:02}"), "external_id": format!("o{i}")}))
        .collect();
    let batch: Value = app
        .post_as(
            "/v1/accounts/batch",
            &ws.owner_token,
            &json!({"accounts": accounts}),
        )
        .await
        .json()
        .await
        .unwrap();
    for result in batch["results"].as_array().unwrap() {
        let id = result["id"].as_str().unwrap();
        for n in 0..2 {
            let res = app
                .post_as(
                    &format!("/v1/accounts/{id}/contacts"),
                    &ws.owner_token,
                    &json!({"name": format!("Person {n}")}),
                )
                .await;
            assert_eq!(res.status(), 201);
        }
    }
    let query = |n: usize| {
        format!("{{ accounts(first: {n}) {{ edges {{ node {{ name contacts {{ name }} }} }} }} }}")
    };
    let mut costs = Vec::new();
    for n in [5, 50] {
        let before = STATEMENTS.load(Ordering::SeqCst);
        let res = app.graphql_as(&ws.owner_token, &query(n), json!({})).await;
        let after = STATEMENTS.load(Ordering::SeqCst);
        let edges = res["data"]["accounts"]["edges"].as_array().unwrap();
        assert_eq!(edges.len(), n, "{res}");
        assert!(edges
            .iter()
            .all(|e| e["node"]["contacts"].as_array().unwrap().len() == 2));
        costs.push(after - before);
    }
    // One statement for the page and one loader batch for all the contacts. On a loaded
    // machine the loader's 1 ms batching window can close early and split a batch in two,
    // so one more statement is allowed; loading per account would cost 50.
    assert!(
        costs[0] <= 3 && costs[1] <= 3,
        "statements for 5 and for 50 accounts: {costs:?}"
    );
}
