//! Loyalty balances read while redemptions commit: the balance, the 360° profile and GraphQL
//! read the ledger sum and the lots on one snapshot, so a concurrent redemption never makes
//! them look drifted (issue #17, defect 3).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

const REDEEMERS: usize = 6;
const READERS: usize = 10;
const ROUNDS: usize = 40;

#[tokio::test]
async fn balances_read_during_concurrent_redemptions_never_fail() {
    let app = Arc::new(
        TestApp::spawn_with(|c| {
            c.db_pool_size = 16;
            c.workers = Some(4);
            c.rate_limit_per_minute = 1_000_000;
        })
        .await,
    );
    let ws = app.workspace("Busy").await;
    let t = ws.owner_token.clone();
    let program = json!({
        "currency": "EUR",
        "earn_rate": {"numerator": 1, "denominator": 100},
        "rounding": "down",
        "qualification": "spend",
        "qualification_window_days": 365,
        "tiers": [{"name": "Bronze", "threshold": 0, "multiplier_permille": 1000}],
        "expiry_months": null,
        "pending_days": 0
    });
    let res = app
        .send(Method::PUT, "/v1/loyalty/program", &t, Some(&program))
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let account: Value = app
        .post_as(
            "/v1/accounts",
            &t,
            &json!({"kind": "person", "name": "Shared member"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let account = account["id"].as_str().unwrap().to_owned();
    // Several lots, so a redemption updates more than one row now and then.
    for _ in 0..5 {
        let res = app
            .post_as(
                &format!("/v1/accounts/{account}/loyalty/adjust"),
                &t,
                &json!({"points": 1_000, "reason": "seed"}),
            )
            .await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    }

    let mut tasks = Vec::new();
    for _ in 0..REDEEMERS {
        let (app, t, account) = (app.clone(), t.clone(), account.clone());
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for _ in 0..ROUNDS {
                let res = app
                    .post_as(
                        &format!("/v1/accounts/{account}/loyalty/redeem"),
                        &t,
                        &json!({"points": 3}),
                    )
                    .await;
                statuses.push(("redeem", res.status().as_u16(), String::new()));
            }
            statuses
        }));
    }
    for reader in 0..READERS {
        let (app, t, account) = (app.clone(), t.clone(), account.clone());
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for round in 0..ROUNDS {
                let (what, res) = match (reader + round) % 3 {
                    0 => (
                        "balance",
                        app.get_as(&format!("/v1/accounts/{account}/loyalty"), &t)
                            .await,
                    ),
                    1 => (
                        "profile",
                        app.get_as(&format!("/v1/accounts/{account}/profile"), &t)
                            .await,
                    ),
                    _ => (
                        "graphql",
                        app.post_as(
                            "/graphql",
                            &t,
                            &json!({
                                "query": "query($id: String!) { loyaltyBalance(accountId: $id) { available ledgerBalance } }",
                                "variables": {"id": account}
                            }),
                        )
                        .await,
                    ),
                };
                let status = res.status().as_u16();
                let body = res.text().await.unwrap();
                // GraphQL answers 200 with the error inside.
                let failed = status != 200 || body.contains("\"errors\"");
                statuses.push((what, if failed { 500 } else { status }, body));
            }
            statuses
        }));
    }
    let mut redeemed = 0;
    let mut failures = Vec::new();
    for task in tasks {
        for (what, status, body) in task.await.unwrap() {
            match (what, status) {
                ("redeem", 201) => redeemed += 1,
                (_, 200) => {}
                _ => failures.push(format!("{what}: {status} {body}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures: {failures:?}",
        failures.len()
    );
    assert_eq!(redeemed, REDEEMERS * ROUNDS);

    let balance: Value = app
        .get_as(&format!("/v1/accounts/{account}/loyalty"), &t)
        .await
        .json()
        .await
        .unwrap();
    let spent = i64::try_from(REDEEMERS * ROUNDS * 3).unwrap();
    assert_eq!(balance["available"], 5_000 - spent);
    assert_eq!(balance["ledger_balance"], 5_000 - spent);
}
