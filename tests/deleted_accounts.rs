//! A deleted account hides its records with it: deals, orders, contacts, interactions,
//! loyalty and metrics leave lists, single reads, GraphQL, the profile and the aggregates
//! together, while a live account's records stay. (Before, `GET /v1/deals?account_id=A` still
//! listed a deleted account's deal that `GET /v1/deals/{id}` answered 404 for, and GraphQL
//! `deals` returned it without its non-null `history`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{assert_problem, TestApp, Workspace};
use reqwest::Method;
use serde_json::{json, Value};

/// An account with one of every kind of record: a contact, an interaction, an open deal, a
/// won deal, an order (which earns points), and a redemption.
struct Customer {
    id: String,
    contact: String,
    interaction: String,
    open_deal: String,
    won_deal: String,
    order: String,
}

async fn created(res: reqwest::Response, what: &str) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "create {what}: {body}");
    body
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

async fn customer(app: &TestApp, t: &str, pipeline: &Value, name: &str) -> Customer {
    let stage = |wanted: &str| -> String {
        let stages = pipeline["stages"].as_array().unwrap();
        id(stages.iter().find(|s| s["name"] == wanted).unwrap())
    };
    let pipeline_id = id(pipeline);
    let account = created(
        app.post_as(
            "/v1/accounts",
            t,
            &json!({"kind": "organization", "name": name}),
        )
        .await,
        "account",
    )
    .await;
    let account = id(&account);
    let contact = created(
        app.post_as(
            &format!("/v1/accounts/{account}/contacts"),
            t,
            &json!({"name": format!("{name} buyer")}),
        )
        .await,
        "contact",
    )
    .await;
    let interaction = created(
        app.post_as(
            &format!("/v1/accounts/{account}/interactions"),
            t,
            &json!({"type": "note", "subject": "Kick-off", "body": "Met the team"}),
        )
        .await,
        "interaction",
    )
    .await;
    let deal = |title: &str| {
        json!({"account_id": account, "title": title, "amount": 5000, "currency": "USD",
               "pipeline_id": pipeline_id, "stage_id": stage("Lead")})
    };
    let open_deal = created(app.post_as("/v1/deals", t, &deal("Renewal")).await, "deal").await;
    let won_deal = created(app.post_as("/v1/deals", t, &deal("Upsell")).await, "deal").await;
    let res = app
        .post_as(
            &format!("/v1/deals/{}/move", id(&won_deal)),
            t,
            &json!({"stage_id": stage("Won")}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let order = created(
        app.post_as(
            "/v1/orders",
            t,
            &json!({"account_id": account, "external_id": format!("{name}-1"),
                    "amount": 10000, "currency": "USD", "occurred_at": "2026-11-02T10:00:00Z"}),
        )
        .await,
        "order",
    )
    .await;
    created(
        app.post_as(
            &format!("/v1/accounts/{account}/loyalty/redeem"),
            t,
            &json!({"points": 10}),
        )
        .await,
        "redemption",
    )
    .await;
    Customer {
        id: account,
        contact: id(&contact),
        interaction: id(&interaction),
        open_deal: id(&open_deal),
        won_deal: id(&won_deal),
        order: id(&order),
    }
}

async fn setup(app: &TestApp) -> (Workspace, Value) {
    let ws = app.workspace("Soft").await;
    let t = &ws.owner_token;
    let res = app
        .send(
            Method::PUT,
            "/v1/loyalty/program",
            t,
            Some(&json!({
                "currency": "USD",
                "earn_rate": {"numerator": 1, "denominator": 100},
                "rounding": "down",
                "qualification": "spend",
                "qualification_window_days": 365,
                "tiers": [{"name": "Member", "threshold": 0, "multiplier_permille": 1000}],
                "expiry_months": null,
                "pending_days": 0
            })),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let pipeline = created(
        app.post_as(
            "/v1/pipelines",
            t,
            &json!({"name": "Sales", "stages": [
                {"name": "Lead", "probability": 10, "kind": "open"},
                {"name": "Won", "kind": "won"},
                {"name": "Lost", "kind": "lost"}
            ]}),
        )
        .await,
        "pipeline",
    )
    .await;
    (ws, pipeline)
}

async fn json_of(app: &TestApp, t: &str, path: &str) -> Value {
    let res = app.get_as(path, t).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

/// The ids in a list page's `data`.
async fn listed(app: &TestApp, t: &str, path: &str) -> Vec<String> {
    json_of(app, t, path).await["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(id)
        .collect()
}

fn ids(nodes: &Value) -> Vec<String> {
    nodes.as_array().unwrap().iter().map(id).collect()
}

/// Open deals in the forecast and deals won in the funnel, by REST.
async fn pipeline_counts(app: &TestApp, t: &str, pipeline: &str) -> (i64, i64) {
    let a = json_of(
        app,
        t,
        &format!("/v1/analytics/pipeline?pipeline_id={pipeline}"),
    )
    .await;
    let open = a["forecast"]["total"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["deals"].as_i64().unwrap())
        .sum();
    (open, a["funnel"]["won"].as_i64().unwrap())
}

#[tokio::test]
async fn a_deleted_accounts_records_leave_every_read_together() {
    let app = TestApp::spawn().await;
    let (ws, pipeline) = setup(&app).await;
    let t = ws.owner_token.as_str();
    let pipeline_id = id(&pipeline);
    let gone = customer(&app, t, &pipeline, "Gone").await;
    let kept = customer(&app, t, &pipeline, "Kept").await;

    // Before the delete every list and aggregate counts both, and the profile is cached.
    assert_eq!(listed(&app, t, "/v1/deals").await.len(), 4);
    assert_eq!(
        listed(&app, t, "/v1/orders").await.len(),
        4,
        "2 orders + 2 won deals"
    );
    assert_eq!(pipeline_counts(&app, t, &pipeline_id).await, (2, 2));
    let rfm = json_of(&app, t, "/v1/segments/rfm").await;
    assert_eq!(rfm["unscored_accounts"], 2, "{rfm}");
    json_of(&app, t, &format!("/v1/accounts/{}/profile", gone.id)).await;

    let res = app
        .send(
            Method::DELETE,
            &format!("/v1/accounts/{}", gone.id),
            t,
            None,
        )
        .await;
    assert_eq!(res.status(), 204);

    // Lists: the deleted account's records are gone, the live account's stay.
    let a = &gone.id;
    assert!(listed(&app, t, &format!("/v1/deals?account_id={a}"))
        .await
        .is_empty());
    let deals = listed(&app, t, "/v1/deals").await;
    assert_eq!(deals.len(), 2);
    assert!(deals.contains(&kept.open_deal) && deals.contains(&kept.won_deal));
    for deal in &deals {
        // Every listed deal reads, with its history.
        json_of(&app, t, &format!("/v1/deals/{deal}")).await;
        json_of(&app, t, &format!("/v1/deals/{deal}/history")).await;
    }
    let open = listed(&app, t, "/v1/deals?status=open").await;
    assert_eq!(open, vec![kept.open_deal.clone()]);
    assert!(listed(&app, t, &format!("/v1/orders?account_id={a}"))
        .await
        .is_empty());
    let orders = json_of(&app, t, "/v1/orders").await;
    assert_eq!(orders["data"].as_array().unwrap().len(), 2);
    assert!(orders["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["account_id"] == kept.id.as_str()));

    // Single reads and the account's own lists: 404, like the account.
    for path in [
        format!("/v1/accounts/{a}"),
        format!("/v1/accounts/{a}/profile"),
        format!("/v1/accounts/{a}/deals"),
        format!("/v1/accounts/{a}/orders"),
        format!("/v1/accounts/{a}/contacts"),
        format!("/v1/accounts/{a}/interactions"),
        format!("/v1/accounts/{a}/loyalty"),
        format!("/v1/accounts/{a}/loyalty/ledger"),
        format!("/v1/accounts/{a}/loyalty/redemptions"),
        format!("/v1/deals/{}", gone.open_deal),
        format!("/v1/deals/{}", gone.won_deal),
        format!("/v1/deals/{}/history", gone.open_deal),
        format!("/v1/orders/{}", gone.order),
        format!("/v1/contacts/{}", gone.contact),
        format!("/v1/interactions/{}", gone.interaction),
    ] {
        let res = app.get_as(&path, t).await;
        assert_eq!(res.status(), 404, "GET {path}");
        assert_problem(res, 404, "not_found").await;
    }
    let res = app
        .post_as(&format!("/v1/orders/{}/refund", gone.order), t, &json!({}))
        .await;
    assert_problem(res, 404, "not_found").await;

    // The live account still reads everywhere.
    let k = &kept.id;
    for path in [
        format!("/v1/accounts/{k}/profile"),
        format!("/v1/accounts/{k}/loyalty"),
        format!("/v1/orders/{}", kept.order),
        format!("/v1/contacts/{}", kept.contact),
        format!("/v1/interactions/{}", kept.interaction),
    ] {
        json_of(&app, t, &path).await;
    }
    assert_eq!(
        listed(&app, t, &format!("/v1/accounts/{k}/deals"))
            .await
            .len(),
        2
    );
    assert_eq!(
        listed(&app, t, &format!("/v1/accounts/{k}/orders"))
            .await
            .len(),
        2
    );
    assert_eq!(
        listed(&app, t, &format!("/v1/accounts/{k}/contacts"))
            .await
            .len(),
        1
    );
    assert_eq!(
        listed(&app, t, &format!("/v1/accounts/{k}/interactions"))
            .await
            .len(),
        1
    );
    assert!(
        !listed(&app, t, &format!("/v1/accounts/{k}/loyalty/ledger"))
            .await
            .is_empty()
    );
    assert_eq!(
        listed(&app, t, &format!("/v1/accounts/{k}/loyalty/redemptions"))
            .await
            .len(),
        1
    );

    // Aggregates: the open pipeline, the won deals and the RFM buyers leave with it.
    assert_eq!(pipeline_counts(&app, t, &pipeline_id).await, (1, 1));
    let rfm = json_of(&app, t, "/v1/segments/rfm").await;
    assert_eq!(rfm["unscored_accounts"], 1, "{rfm}");

    // GraphQL agrees: lists without the deleted account's records (each with its history),
    // null for single reads.
    let out = app
        .graphql_as(
            t,
            &format!(
                r#"{{
                  gone: deals(filter: {{accountId: "{a}"}}) {{ nodes {{ id history {{ id }} }} }}
                  all: deals {{ nodes {{ id accountId history {{ id toStageId }} }} }}
                  deal(id: "{deal}") {{ id }}
                  order(id: "{order}") {{ id }}
                  goneOrders: orders(accountId: "{a}") {{ nodes {{ id }} }}
                  allOrders: orders {{ nodes {{ id accountId }} }}
                  contact(id: "{contact}") {{ id }}
                  interaction(id: "{interaction}") {{ id }}
                  account(id: "{a}") {{ id }}
                  loyaltyBalance(accountId: "{a}") {{ accountId }}
                  pipelineAnalytics(pipelineId: "{pipeline_id}") {{
                    forecast {{ total {{ deals }} }}
                    funnel {{ won }}
                  }}
                  rfmSegments {{ unscoredAccounts }}
                }}"#,
                deal = gone.open_deal,
                order = gone.order,
                contact = gone.contact,
                interaction = gone.interaction,
            ),
            json!({}),
        )
        .await;
    assert!(out.get("errors").is_none(), "{out}");
    let data = &out["data"];
    assert_eq!(data["gone"]["nodes"], json!([]));
    let all = &data["all"]["nodes"];
    assert_eq!(ids(all).len(), 2, "{all}");
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["accountId"] == k.as_str() && !d["history"].as_array().unwrap().is_empty()));
    for field in [
        "deal",
        "order",
        "contact",
        "interaction",
        "account",
        "loyaltyBalance",
    ] {
        assert_eq!(data[field], Value::Null, "{field}");
    }
    assert_eq!(data["goneOrders"]["nodes"], json!([]));
    assert_eq!(ids(&data["allOrders"]["nodes"]).len(), 2);
    assert_eq!(
        data["pipelineAnalytics"]["forecast"]["total"][0]["deals"],
        1
    );
    assert_eq!(data["pipelineAnalytics"]["funnel"]["won"], 1);
    assert_eq!(data["rfmSegments"]["unscoredAccounts"], 1);

    // The account's own connections answer not found, as REST does.
    for field in [
        format!(r#"contacts(accountId: "{a}") {{ nodes {{ id }} }}"#),
        format!(r#"loyaltyLedger(accountId: "{a}") {{ nodes {{ id }} }}"#),
        format!(r#"loyaltyRedemptions(accountId: "{a}") {{ nodes {{ id }} }}"#),
    ] {
        let out = app
            .graphql_as(t, &format!("{{ {field} }}"), json!({}))
            .await;
        assert_eq!(
            out["errors"][0]["extensions"]["code"], "not_found",
            "{field}: {out}"
        );
    }
}
