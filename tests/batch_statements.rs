//! The account batch upsert (the `/v1/accounts/batch` endpoint's and import jobs' one path)
//! writes a batch in a fixed number of statements, whatever its size: the statements it
//! sends are counted through Diesel's connection instrumentation. A path that looked up or
//! inserted accounts one by one would send thousands for these 500 accounts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};

use common::TestApp;
use diesel::connection::{Connection, InstrumentationEvent};
use rapport_api::auth::Principal;
use rapport_api::service::accounts::{self, AccountInput, ConsentChange, ConsentChanges};
use rapport_api::service::pipeline;
use rapport_persistence::DbConn;
use serde_json::Value;

const ACCOUNTS: usize = 500;

/// Starts recording the SQL `conn` sends.
fn record(conn: &mut DbConn) -> Arc<Mutex<Vec<String>>> {
    let sent = Arc::new(Mutex::new(Vec::new()));
    let log = sent.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            log.lock().unwrap().push(query.to_string());
        }
    });
    sent
}

fn inputs(owner: &str, consent: bool) -> Vec<AccountInput> {
    (0..ACCOUNTS)
        .map(|i| AccountInput {
            kind: Some("person".into()),
            name: Some(format!("Customer {i}")),
            emails: Some(vec![format!("c{i}@example.com")]),
            phones: Some(vec![format!("+3361234{i:04}")]),
            tags: Some(vec!["vip".into(), format!("cohort-{}", i % 7)]),
            owner_id: Some(owner.to_owned()),
            marketing_consent: consent.then(|| ConsentChanges {
                email: Some(ConsentChange {
                    granted: true,
                    method: Some("checkbox".into()),
                    source: Some("import".into()),
                    at: None,
                }),
                ..Default::default()
            }),
            external_id: Some(format!("crm-{i}")),
            ..Default::default()
        })
        .collect()
}

fn write(
    conn: &mut DbConn,
    principal: &Principal,
    inputs: &[AccountInput],
) -> accounts::BatchResult {
    let (result, committed) = pipeline::transact(conn, principal, |conn, cx| {
        accounts::write_batch(conn, cx, principal, accounts::prepare_batch(inputs))
    })
    .unwrap();
    // The cache effects are left to the app's sweeper.
    drop(committed);
    result
}

#[tokio::test]
async fn a_batch_of_accounts_is_written_in_a_fixed_number_of_statements() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Batch").await;
    let principal = Principal::system(&ws.id);
    let mut conn = app.db.connect();
    let sent = record(&mut conn);

    let created = write(&mut conn, &principal, &inputs(&ws.owner_id, true));
    assert_eq!(created.created, ACCOUNTS, "{:?}", created.results.first());
    let statements = std::mem::take(&mut *sent.lock().unwrap());
    assert!(
        statements.len() <= 30,
        "{} statements for a batch of {ACCOUNTS} new accounts:\n{}",
        statements.len(),
        statements.join("\n")
    );

    // The same accounts again (without a consent change): one lookup finds every one of
    // them unchanged, and nothing is written.
    let again = write(&mut conn, &principal, &inputs(&ws.owner_id, false));
    assert_eq!(again.unchanged, ACCOUNTS, "{:?}", again.results.first());
    let statements = std::mem::take(&mut *sent.lock().unwrap());
    assert!(
        statements.len() <= 30,
        "{} statements for a batch of {ACCOUNTS} unchanged accounts:\n{}",
        statements.len(),
        statements.join("\n")
    );
    let lookups = statements
        .iter()
        .filter(|s| {
            s.starts_with("SELECT")
                && (s.contains("FROM `accounts`") || s.contains("FROM \"accounts\""))
        })
        .count();
    assert_eq!(lookups, 1, "{statements:?}");

    // What the batch wrote reads back through the API: tags, search terms, consent history.
    let page: Value = app
        .get_as("/v1/accounts?tag=cohort-3&limit=500", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    let found = page["data"].as_array().unwrap();
    assert_eq!(found.len(), (0..ACCOUNTS).filter(|i| i % 7 == 3).count());
    let page: Value = app
        .get_as("/v1/accounts?q=c42%40example.com", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    let hit = &page["data"].as_array().unwrap()[0];
    assert_eq!(hit["external_id"], "crm-42");
    let id = hit["id"].as_str().unwrap();
    let consent: Value = app
        .get_as(
            &format!("/v1/accounts/{id}/consent-history"),
            &ws.owner_token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(consent.as_array().map(Vec::len), Some(1), "{consent}");
}
