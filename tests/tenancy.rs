//! Nothing crosses workspaces: every route of the OpenAPI document, called with a second
//! workspace's credentials on the first workspace's records, answers 404 (never 403 or 200),
//! and lists show nothing of the first workspace. A new route with a path parameter fails
//! this test until it gets a fixture below.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use common::{repo_file, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

/// A record of workspace A for each parametrised route, and a body that would be valid.
struct Fixture {
    id: String,
    body: Option<Value>,
}

#[tokio::test]
async fn a_second_workspace_sees_nothing_of_the_first() {
    let app = TestApp::spawn().await;
    let a = app.workspace("Alpha").await;
    let b = app.workspace("Beta").await;

    // Workspace A's records, one of each kind.
    let user: Value = app
        .post_as("/v1/users", &a.owner_token, &json!({
            "email": "member@alpha.example.com", "name": "Member", "password": PASSWORD, "role": "agent"
        }))
        .await
        .json()
        .await
        .unwrap();
    let (key_id, _) = app.api_key(&a, &["accounts:read"]).await;
    let mut fixtures: BTreeMap<&str, Fixture> = BTreeMap::new();
    fixtures.insert(
        "/v1/users/{id}",
        Fixture {
            id: user["id"].as_str().unwrap().into(),
            body: Some(json!({ "name": "Renamed" })),
        },
    );
    fixtures.insert(
        "/v1/api-keys/{id}",
        Fixture {
            id: key_id.clone(),
            body: None,
        },
    );
    let account: Value = app
        .post_as(
            "/v1/accounts",
            &a.owner_token,
            &json!({ "kind": "person", "name": "Alpha customer", "external_id": "alpha-1" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let account_id = account["id"].as_str().unwrap().to_owned();
    for path in [
        "/v1/accounts/{id}",
        "/v1/accounts/{id}/lifecycle-history",
        "/v1/accounts/{id}/consent-history",
    ] {
        fixtures.insert(
            path,
            Fixture {
                id: account_id.clone(),
                body: Some(json!({ "name": "Taken over" })),
            },
        );
    }
    // B merging one of its own accounts into A's finds no survivor.
    let b_account: Value = app
        .post_as(
            "/v1/accounts",
            &b.owner_token,
            &json!({ "kind": "person", "name": "Beta customer" }),
        )
        .await
        .json()
        .await
        .unwrap();
    fixtures.insert(
        "/v1/accounts/{id}/merge",
        Fixture {
            id: account_id.clone(),
            body: Some(json!({ "from": [b_account["id"]] })),
        },
    );
    // An organization with a contact, and an interaction on its timeline.
    let org: Value = app
        .post_as(
            "/v1/accounts",
            &a.owner_token,
            &json!({ "kind": "organization", "name": "Alpha Org" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let org_id = org["id"].as_str().unwrap().to_owned();
    let contact: Value = app
        .post_as(
            &format!("/v1/accounts/{org_id}/contacts"),
            &a.owner_token,
            &json!({ "name": "Alpha contact", "email": "contact@alpha.example.com" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let contact_id = contact["id"].as_str().unwrap().to_owned();
    let interaction: Value = app
        .post_as(
            &format!("/v1/accounts/{org_id}/interactions"),
            &a.owner_token,
            &json!({ "type": "call", "subject": "Alpha call", "contact_id": contact_id }),
        )
        .await
        .json()
        .await
        .unwrap();
    let interaction_id = interaction["id"].as_str().unwrap().to_owned();
    fixtures.insert(
        "/v1/accounts/{id}/contacts",
        Fixture {
            id: org_id.clone(),
            body: Some(json!({ "name": "Planted contact" })),
        },
    );
    fixtures.insert(
        "/v1/accounts/{id}/interactions",
        Fixture {
            id: org_id.clone(),
            body: Some(json!({ "type": "note", "subject": "Planted note" })),
        },
    );
    fixtures.insert(
        "/v1/contacts/{id}",
        Fixture {
            id: contact_id.clone(),
            body: Some(json!({ "name": "Taken over" })),
        },
    );
    fixtures.insert(
        "/v1/interactions/{id}",
        Fixture {
            id: interaction_id.clone(),
            body: Some(json!({ "subject": "Taken over" })),
        },
    );
    // A pipeline and a deal on the organization.
    let pipeline: Value = app
        .post_as(
            "/v1/pipelines",
            &a.owner_token,
            &json!({ "name": "Alpha sales", "stages": [
                { "name": "Lead", "probability": 10, "kind": "open" },
                { "name": "Won", "kind": "won" }
            ] }),
        )
        .await
        .json()
        .await
        .unwrap();
    let pipeline_id = pipeline["id"].as_str().unwrap().to_owned();
    let lead_stage = pipeline["stages"][0]["id"].as_str().unwrap().to_owned();
    let won_stage = pipeline["stages"][1]["id"].as_str().unwrap().to_owned();
    let deal: Value = app
        .post_as(
            "/v1/deals",
            &a.owner_token,
            &json!({ "account_id": org_id, "title": "Alpha deal", "amount": 100,
                     "currency": "EUR", "pipeline_id": pipeline_id }),
        )
        .await
        .json()
        .await
        .unwrap();
    let deal_id = deal["id"].as_str().unwrap().to_owned();
    fixtures.insert(
        "/v1/pipelines/{id}",
        Fixture {
            id: pipeline_id.clone(),
            body: Some(json!({ "name": "Taken over" })),
        },
    );
    fixtures.insert(
        "/v1/deals/{id}",
        Fixture {
            id: deal_id.clone(),
            body: Some(json!({ "title": "Taken over" })),
        },
    );
    fixtures.insert(
        "/v1/deals/{id}/move",
        Fixture {
            id: deal_id.clone(),
            body: Some(json!({ "stage_id": won_stage })),
        },
    );
    fixtures.insert(
        "/v1/deals/{id}/reopen",
        Fixture {
            id: deal_id.clone(),
            body: Some(json!({ "stage_id": lead_stage })),
        },
    );
    fixtures.insert(
        "/v1/deals/{id}/history",
        Fixture {
            id: deal_id.clone(),
            body: None,
        },
    );
    fixtures.insert(
        "/v1/accounts/{id}/deals",
        Fixture {
            id: org_id.clone(),
            body: None,
        },
    );
    // An order on A's account, and a fitted model so the account has an RFM segment.
    let order: Value = app
        .post_as(
            "/v1/orders",
            &a.owner_token,
            &json!({ "account_id": account_id, "external_id": "alpha-order", "amount": 1200, "currency": "USD" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let order_id = order["id"].as_str().unwrap().to_owned();
    let res = app
        .post_as("/v1/models/churn/fit", &a.owner_token, &json!({}))
        .await;
    assert_eq!(res.status(), 200);
    let a_profile: Value = app
        .get_as(
            &format!("/v1/accounts/{account_id}/profile"),
            &a.owner_token,
        )
        .await
        .json()
        .await
        .unwrap();
    let a_segment = a_profile["metrics"]["rfm"]["segment"]
        .as_str()
        .expect("A's buyer is scored")
        .to_owned();
    for path in [
        "/v1/accounts/{id}/orders",
        "/v1/accounts/{id}/profile",
        "/v1/accounts/{id}/metrics",
        "/v1/accounts/{id}/recommendations",
    ] {
        fixtures.insert(
            path,
            Fixture {
                id: account_id.clone(),
                body: None,
            },
        );
    }
    for path in ["/v1/orders/{id}", "/v1/orders/{id}/refund"] {
        fixtures.insert(
            path,
            Fixture {
                id: order_id.clone(),
                body: Some(json!({})),
            },
        );
    }
    // Loyalty: a programme, points on the organization and a reward of workspace A.
    let res = app
        .send(
            Method::PUT,
            "/v1/loyalty/program",
            &a.owner_token,
            Some(&json!({
                "currency": "EUR",
                "earn_rate": {"numerator": 1, "denominator": 100},
                "tiers": [{"name": "Base", "threshold": 0, "multiplier_permille": 1000}]
            })),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post_as(
            &format!("/v1/accounts/{org_id}/loyalty/adjust"),
            &a.owner_token,
            &json!({"points": 100, "reason": "tenancy fixture"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let entry_id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let redemption: Value = app
        .post_as(
            &format!("/v1/accounts/{org_id}/loyalty/redeem"),
            &a.owner_token,
            &json!({"points": 5}),
        )
        .await
        .json()
        .await
        .unwrap();
    let redemption_id = redemption["id"].as_str().unwrap().to_owned();
    let reward: Value = app
        .post_as(
            "/v1/loyalty/rewards",
            &a.owner_token,
            &json!({"name": "Alpha mug", "points_cost": 10}),
        )
        .await
        .json()
        .await
        .unwrap();
    let reward_id = reward["id"].as_str().unwrap().to_owned();
    for (path, body) in [
        ("/v1/accounts/{id}/loyalty", None),
        ("/v1/accounts/{id}/loyalty/ledger", None),
        ("/v1/accounts/{id}/loyalty/redemptions", None),
        ("/v1/accounts/{id}/loyalty/ledger/{entry_id}", None),
        (
            "/v1/accounts/{id}/loyalty/redemptions/{redemption_id}",
            None,
        ),
        (
            "/v1/accounts/{id}/loyalty/redeem",
            Some(json!({"points": 10})),
        ),
        (
            "/v1/accounts/{id}/loyalty/adjust",
            Some(json!({"points": -10, "reason": "taken over"})),
        ),
        (
            "/v1/accounts/{id}/loyalty/redemptions/{redemption_id}/fulfil",
            None,
        ),
        (
            "/v1/accounts/{id}/loyalty/redemptions/{redemption_id}/cancel",
            Some(json!({"reason": "taken over"})),
        ),
    ] {
        fixtures.insert(
            path,
            Fixture {
                id: org_id.clone(),
                body,
            },
        );
    }
    fixtures.insert(
        "/v1/loyalty/rewards/{id}",
        Fixture {
            id: reward_id.clone(),
            body: Some(json!({"points_cost": 1})),
        },
    );
    // Workspace A's first event (its account's creation, among others).
    let events: Value = app
        .get_as("/v1/events?limit=1", &a.owner_token)
        .await
        .json()
        .await
        .unwrap();
    let event_id = events["data"][0]["id"].as_str().unwrap().to_owned();
    fixtures.insert(
        "/v1/events/{id}",
        Fixture {
            id: event_id.clone(),
            body: None,
        },
    );
    // A's webhook (off: nothing is sent) and one logged attempt of it.
    let webhook: Value = app
        .post_as(
            "/v1/webhooks",
            &a.owner_token,
            &json!({"url": "https://partner.example.com/hook", "event_types": ["*"], "enabled": false}),
        )
        .await
        .json()
        .await
        .unwrap();
    let webhook_id = webhook["id"].as_str().unwrap().to_owned();
    let delivery_id = uuid::Uuid::now_v7().to_string();
    rapport_persistence::webhooks::insert_deliveries(
        &mut app.db.connect(),
        &[rapport_persistence::webhooks::DeliveryRow {
            id: delivery_id.clone(),
            workspace_id: a.id.clone(),
            webhook_id: webhook_id.clone(),
            event_id: uuid::Uuid::now_v7().to_string(),
            event_type: "ping".into(),
            event_seq: 0,
            event_count: 1,
            event_ids: None,
            attempt: 1,
            trigger: "ping".into(),
            outcome: "delivered".into(),
            status_code: Some(200),
            latency_ms: 1,
            error: None,
            next_retry_at: None,
            created_at: chrono::Utc::now().naive_utc(),
        }],
    )
    .unwrap();
    for (path, body) in [
        ("/v1/webhooks/{id}", Some(json!({"enabled": true}))),
        ("/v1/webhooks/{id}/rotate-secret", None),
        ("/v1/webhooks/{id}/deliveries", None),
        ("/v1/webhooks/{id}/ping", None),
        ("/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver", None),
    ] {
        fixtures.insert(
            path,
            Fixture {
                id: webhook_id.clone(),
                body,
            },
        );
    }
    // A segment of A's whose rule selects A's account.
    let segment: Value = app
        .post_as(
            "/v1/segments",
            &a.owner_token,
            &json!({"name": "A's people", "tracked": true, "rule": {"field": "kind", "op": "exists"}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let segment_id = segment["id"].as_str().unwrap().to_owned();
    for (path, body) in [
        ("/v1/segments/{id}", Some(json!({"name": "B's now"}))),
        ("/v1/segments/{id}/accounts", None),
    ] {
        fixtures.insert(
            path,
            Fixture {
                id: segment_id.clone(),
                body,
            },
        );
    }
    // A campaign of A's on that segment.
    let campaign: Value = app
        .post_as(
            "/v1/campaigns",
            &a.owner_token,
            &json!({"name": "A's spring", "channel": "in_store", "segment_id": segment_id}),
        )
        .await
        .json()
        .await
        .unwrap();
    let campaign_id = campaign["id"].as_str().unwrap().to_owned();
    for (path, body) in [
        ("/v1/campaigns/{id}", Some(json!({"name": "B's now"}))),
        ("/v1/campaigns/{id}/launch", None),
        ("/v1/campaigns/{id}/members", None),
        (
            "/v1/campaigns/{id}/exposures",
            Some(json!({"exposures": [{"account_id": org_id, "outcome": "sent"}]})),
        ),
        ("/v1/campaigns/{id}/results", None),
    ] {
        fixtures.insert(
            path,
            Fixture {
                id: campaign_id.clone(),
                body,
            },
        );
    }
    // A survey response and a complaint of A's account.
    let feedback: Value = app
        .post_as(
            "/v1/feedback",
            &a.owner_token,
            &json!({ "account_id": account_id, "nps": 3, "touchpoint": "support" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let feedback_id = feedback["id"].as_str().unwrap().to_owned();
    let complaint: Value = app
        .post_as(
            "/v1/complaints",
            &a.owner_token,
            &json!({ "account_id": account_id, "category": "delivery", "severity": "low", "subject": "Alpha complaint" }),
        )
        .await
        .json()
        .await
        .unwrap();
    let complaint_id = complaint["id"].as_str().unwrap().to_owned();
    for path in ["/v1/accounts/{id}/feedback", "/v1/accounts/{id}/complaints"] {
        fixtures.insert(
            path,
            Fixture {
                id: account_id.clone(),
                body: None,
            },
        );
    }
    fixtures.insert(
        "/v1/feedback/{id}",
        Fixture {
            id: feedback_id.clone(),
            body: None,
        },
    );
    for (path, body) in [
        ("/v1/complaints/{id}", None),
        ("/v1/complaints/{id}/history", None),
        (
            "/v1/complaints/{id}/status",
            Some(json!({"status": "in_progress"})),
        ),
        (
            "/v1/complaints/{id}/assign",
            Some(json!({"owner_id": null})),
        ),
        (
            "/v1/complaints/{id}/notes",
            Some(json!({"body": "planted"})),
        ),
        (
            "/v1/complaints/{id}/resolve",
            Some(json!({"outcome": "taken over", "points": 1})),
        ),
        ("/v1/complaints/{id}/reopen", Some(json!({}))),
    ] {
        fixtures.insert(
            path,
            Fixture {
                id: complaint_id.clone(),
                body,
            },
        );
    }
    // An import job of A's.
    let import: Value = app
        .http
        .post(app.url("/v1/imports?type=accounts"))
        .bearer_auth(&a.owner_token)
        .header("content-type", "text/csv")
        .body("external_id,kind,name\na-imported,person,Imported\n")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let import_id = import["id"].as_str().unwrap().to_owned();
    for path in [
        "/v1/imports/{id}",
        "/v1/imports/{id}/errors",
        "/v1/imports/{id}/cancel",
    ] {
        fixtures.insert(
            path,
            Fixture {
                id: import_id.clone(),
                body: None,
            },
        );
    }
    // An export job of A's.
    let export: Value = app
        .post_as(
            "/v1/exports",
            &a.owner_token,
            &json!({"type": "accounts", "format": "csv"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let export_id = export["id"].as_str().unwrap().to_owned();
    for path in [
        "/v1/exports/{id}",
        "/v1/exports/{id}/download",
        "/v1/exports/{id}/cancel",
    ] {
        fixtures.insert(
            path,
            Fixture {
                id: export_id.clone(),
                body: None,
            },
        );
    }
    // An offer of A's and a voucher of it issued to A's account.
    let offer: Value = app
        .post_as(
            "/v1/offers",
            &a.owner_token,
            &json!({"name": "A's shipping", "kind": "free_shipping"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let offer_id = offer["id"].as_str().unwrap().to_owned();
    let issued: Value = app
        .post_as(
            &format!("/v1/offers/{offer_id}/issue"),
            &a.owner_token,
            &json!({ "account_id": account_id }),
        )
        .await
        .json()
        .await
        .unwrap();
    let voucher_code = issued["vouchers"][0]["code"].as_str().unwrap().to_owned();
    for (path, id, body) in [
        (
            "/v1/offers/{id}",
            &offer_id,
            Some(json!({"name": "B's now"})),
        ),
        (
            "/v1/offers/{id}/issue",
            &offer_id,
            Some(json!({ "account_id": account_id })),
        ),
        ("/v1/accounts/{id}/offers", &account_id, None),
        ("/v1/accounts/{id}/next-best-offers", &account_id, None),
        ("/v1/accounts/{id}/personal-data", &account_id, None),
        (
            "/v1/accounts/{id}/erase",
            &account_id,
            Some(json!({ "confirm": account_id })),
        ),
        ("/v1/vouchers/{code}", &voucher_code, None),
        ("/v1/vouchers/{code}/cancel", &voucher_code, None),
        ("/v1/vouchers/{code}/view", &voucher_code, None),
    ] {
        fixtures.insert(
            path,
            Fixture {
                id: id.clone(),
                body,
            },
        );
    }
    let a_ids = [
        import_id,
        export_id,
        feedback_id,
        complaint_id,
        offer_id.clone(),
        voucher_code.clone(),
        campaign_id.clone(),
        segment_id.clone(),
        webhook_id.clone(),
        delivery_id.clone(),
        event_id,
        account_id.clone(),
        order_id,
        pipeline_id,
        deal_id,
        a.id.clone(),
        a.owner_id.clone(),
        key_id,
        user["id"].as_str().unwrap().to_owned(),
        org_id,
        contact_id,
        interaction_id,
        reward_id,
        entry_id.clone(),
        redemption_id.clone(),
    ];

    // B acts with every permission it has: its owner's token and an admin API key.
    let (_, b_admin_key) = app.api_key(&b, &["admin"]).await;
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_file("openapi/openapi.json")).unwrap())
            .unwrap();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let needs_credentials = op["security"]
                .as_array()
                .is_some_and(|reqs| reqs.iter().all(|r| r.get("bearer").is_some()));
            if !needs_credentials {
                continue; // public routes: health, docs, login, GraphQL (checked elsewhere)
            }
            let method: Method = method.to_uppercase().parse().unwrap();
            for token in [&b.owner_token, &b_admin_key] {
                if path.contains("{segment}") {
                    // A list under a name, not an id: B sees its own (empty) segment.
                    let concrete = path.replace("{segment}", &a_segment);
                    let res = app.send(method.clone(), &concrete, token, None).await;
                    assert_eq!(res.status(), 200, "{method} {concrete}");
                    let text = res.text().await.unwrap();
                    for id in &a_ids {
                        assert!(!text.contains(id.as_str()), "{concrete} shows A's {id}");
                    }
                } else if path.contains('{') {
                    let fixture = fixtures.get(path.as_str()).unwrap_or_else(|| {
                        panic!("{method} {path} has no fixture in tests/tenancy.rs: add a record of workspace A for it")
                    });
                    // A record under an account: A's account and A's record.
                    let concrete = path
                        .replace("{id}", &fixture.id)
                        .replace("{code}", &fixture.id)
                        .replace("{entry_id}", &entry_id)
                        .replace("{redemption_id}", &redemption_id)
                        .replace("{delivery_id}", &delivery_id);
                    let body = fixture
                        .body
                        .as_ref()
                        .filter(|_| method != Method::GET && method != Method::DELETE);
                    let res = app.send(method.clone(), &concrete, token, body).await;
                    assert_eq!(
                        res.status(),
                        404,
                        "{method} {path} with another workspace's id"
                    );
                } else if method == Method::GET {
                    let res = app.send(method.clone(), path, token, None).await;
                    let text = res.text().await.unwrap();
                    for id in &a_ids {
                        assert!(
                            !text.contains(id.as_str()),
                            "{method} {path} shows workspace A's {id}"
                        );
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "the walk covered {checked} route calls");

    // Still there for A: B changed nothing.
    let res = app
        .get_as(
            &format!("/v1/users/{}", user["id"].as_str().unwrap()),
            &a.owner_token,
        )
        .await;
    assert_eq!(res.json::<Value>().await.unwrap()["name"], "Member");
}
