//! Accounts over HTTP: create with validation, read with ETag, merge-patch with If-Match,
//! soft delete, filters, search, keyset pages, idempotent creates, batch upsert.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{assert_problem, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let res = app.post_as("/v1/accounts", token, &body).await;
    assert_eq!(res.status(), 201, "create {body}");
    res.json().await.unwrap()
}

#[tokio::test]
async fn create_normalises_and_reads_back_with_an_etag() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Shop").await;
    let account = create(&app, &ws.owner_token, json!({
        "kind": "person", "name": "  Ada Lovelace ", "emails": ["Ada@Example.COM", "ada@example.com"],
        "phones": ["+44 20 7946-0958"], "tags": ["VIP", "vip", "newsletter"],
        "address": {"city": "London", "country": "gb"},
        "attributes": {"plan": "gold", "seats": 3},
        "acquisition_channel": "referral", "acquisition_cost": {"amount": 1250, "currency": "eur"},
        "marketing_consent": {"email": {"granted": true, "method": "double_opt_in", "source": "signup_form"}},
        "external_id": "crm-1"
    })).await;
    assert_eq!(account["name"], "Ada Lovelace");
    assert_eq!(account["emails"], json!(["ada@example.com"]));
    assert_eq!(account["phones"], json!(["+442079460958"]));
    assert_eq!(account["tags"], json!(["vip", "newsletter"]));
    assert_eq!(account["address"]["country"], "GB");
    assert_eq!(
        account["acquisition_cost"],
        json!({"amount": 1250, "currency": "EUR"})
    );
    assert_eq!(account["lifecycle_stage"], "lead");
    assert_eq!(account["marketing_consent"]["email"]["status"], "granted");
    assert_eq!(account["version"], 1);

    let id = account["id"].as_str().unwrap();
    let res = app
        .get_as(&format!("/v1/accounts/{id}"), &ws.owner_token)
        .await;
    assert_eq!(res.headers()["etag"], "\"v1\"");
    let read: Value = res.json().await.unwrap();
    assert_eq!(read, account);

    let res = app
        .post_as(
            "/v1/accounts",
            &ws.owner_token,
            &json!({"kind": "person", "name": "Twin", "external_id": "crm-1"}),
        )
        .await;
    assert_problem(res, 409, "external_id_taken").await;
}

#[tokio::test]
async fn validation_names_every_bad_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Strict").await;
    let res = app
        .post_as("/v1/accounts", &ws.owner_token, &json!({
            "kind": "robot", "name": "", "emails": ["ok@example.com", "not-an-email"], "phones": ["12"],
            "address": {"country": "France"}, "lifecycle_stage": "vip", "attributes": [1],
            "acquisition_cost": {"amount": -5, "currency": "euro"}, "owner_id": "nobody"
        }))
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in [
        "kind",
        "name",
        "emails[1]",
        "phones[0]",
        "address.country",
        "attributes",
        "lifecycle_stage",
        "acquisition_cost.amount",
        "acquisition_cost.currency",
    ] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    let res = app
        .post_as(
            "/v1/accounts",
            &ws.owner_token,
            &json!({"kind": "person", "name": "X", "emails": ["bad@"]}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "emails[0]");
    let res = app
        .post_as(
            "/v1/accounts",
            &ws.owner_token,
            &json!({"kind": "person", "name": "X", "owner_id": "nobody"}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "owner_id");
    let res = app
        .post_as(
            "/v1/accounts",
            &ws.owner_token,
            &json!({"kind": "person", "name": "X", "colour": "red"}),
        )
        .await;
    assert_problem(res, 422, "invalid_body").await;

    let list: Value = app
        .get_as("/v1/accounts", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"], json!([]), "nothing was written");
}

#[tokio::test]
async fn merge_patch_with_if_match_and_history() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Patch").await;
    let account = create(&app, &ws.owner_token, json!({"kind": "organization", "name": "Acme", "tags": ["b2b"], "attributes": {"tier": 1, "region": "eu"}})).await;
    let path = format!("/v1/accounts/{}", account["id"].as_str().unwrap());

    let res = app
        .http
        .patch(app.url(&path))
        .bearer_auth(&ws.owner_token)
        .header("content-type", "application/merge-patch+json")
        .header("if-match", "\"v1\"")
        .body(json!({"lifecycle_stage": "customer", "attributes": {"region": null, "seats": 10}, "tags": null,
            "marketing_consent": {"sms": {"granted": false, "method": "stop_keyword", "source": "sms"}}}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"v2\"");
    let patched: Value = res.json().await.unwrap();
    assert_eq!(patched["attributes"], json!({"tier": 1, "seats": 10}));
    assert_eq!(patched["tags"], json!([]));
    assert_eq!(patched["name"], "Acme");
    assert_eq!(patched["marketing_consent"]["sms"]["status"], "withdrawn");

    // A stale version is refused and changes nothing.
    let res = app
        .http
        .patch(app.url(&path))
        .bearer_auth(&ws.owner_token)
        .header("if-match", "\"v1\"")
        .json(&json!({"name": "Stale"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 412, "precondition_failed").await;
    let res = app
        .http
        .patch(app.url(&path))
        .bearer_auth(&ws.owner_token)
        .json(&json!({"emails": ["bad"]}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "emails[0]");

    let history: Value = app
        .get_as(&format!("{path}/lifecycle-history"), &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        history
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["to_stage"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["lead", "customer"]
    );
    let consent: Value = app
        .get_as(&format!("{path}/consent-history"), &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(consent[0]["channel"], "sms");
    assert_eq!(consent[0]["method"], "stop_keyword");

    // Delete with a stale version: 412; with the right one: gone from reads and lists.
    let res = app
        .http
        .delete(app.url(&path))
        .bearer_auth(&ws.owner_token)
        .header("if-match", "\"v1\"")
        .send()
        .await
        .unwrap();
    assert_problem(res, 412, "precondition_failed").await;
    let res = app
        .http
        .delete(app.url(&path))
        .bearer_auth(&ws.owner_token)
        .header("if-match", "\"v2\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_problem(app.get_as(&path, &ws.owner_token).await, 404, "not_found").await;
    let list: Value = app
        .get_as("/v1/accounts", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"], json!([]));
}

/// GET one account is served from the cache (Redis in CI, in-process otherwise): every
/// kind of account write must show on the next read, REST and GraphQL alike.
#[tokio::test]
async fn reads_after_every_account_write_are_fresh() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Fresh").await;
    let token = ws.owner_token.clone();
    let account = create(
        &app,
        &token,
        json!({"kind": "person", "name": "Ada", "external_id": "ada"}),
    )
    .await;
    let id = account["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/accounts/{id}");
    let read = |expected_name: &'static str, expected_version: i64| {
        let (app, path, token, id) = (&app, path.clone(), token.clone(), id.clone());
        async move {
            // Twice: the first read may fill the cache, the second is served from it.
            for _ in 0..2 {
                let res = app.get_as(&path, &token).await;
                assert_eq!(res.status(), 200);
                assert_eq!(res.headers()["etag"], format!("\"v{expected_version}\""));
                assert_eq!(res.headers()["content-type"], "application/json");
                let body: Value = res.json().await.unwrap();
                assert_eq!(
                    (body["name"].as_str(), body["version"].as_i64()),
                    (Some(expected_name), Some(expected_version))
                );
            }
            let gql = app
                .graphql_as(
                    &token,
                    "query($id: ID!) { account(id: $id) { name version } }",
                    json!({"id": id}),
                )
                .await;
            assert_eq!(
                gql["data"]["account"],
                json!({"name": expected_name, "version": expected_version})
            );
        }
    };
    read("Ada", 1).await;

    // A merge patch.
    let res = app
        .send(
            Method::PATCH,
            &path,
            &token,
            Some(&json!({"name": "Ada L."})),
        )
        .await;
    assert_eq!(res.status(), 200);
    read("Ada L.", 2).await;

    // A batch upsert by external id.
    let res = app
        .post_as("/v1/accounts/batch", &token, &json!({"accounts": [{"kind": "person", "name": "Ada Lovelace", "external_id": "ada"}]}))
        .await;
    assert_eq!(res.status(), 200);
    read("Ada Lovelace", 3).await;

    // A GraphQL update.
    let gql = app
        .graphql_as(
            &token,
            "mutation($id: ID!) { updateAccount(id: $id, patch: {name: \"Countess\"}) { version } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(gql["data"]["updateAccount"]["version"], 4, "{gql}");
    read("Countess", 4).await;

    // Another workspace never sees it, cached or not.
    let other = app.workspace("Other").await;
    assert_problem(
        app.get_as(&path, &other.owner_token).await,
        404,
        "not_found",
    )
    .await;

    // A delete.
    let res = app.send(Method::DELETE, &path, &token, None).await;
    assert_eq!(res.status(), 204);
    assert_problem(app.get_as(&path, &token).await, 404, "not_found").await;
}

#[tokio::test]
async fn filters_search_and_sorting() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Find").await;
    create(&app, &ws.owner_token, json!({"kind": "person", "name": "Ada Lovelace", "emails": ["ada@analytical.example.com"], "tags": ["vip"], "lifecycle_stage": "customer"})).await;
    create(&app, &ws.owner_token, json!({"kind": "person", "name": "Charles Babbage", "phones": ["+44 20 7946 0001"], "lifecycle_stage": "lead"})).await;
    create(&app, &ws.owner_token, json!({"kind": "organization", "name": "Analytical Engines Ltd", "tags": ["b2b", "vip"], "external_id": "ae-1"})).await;

    let names = |v: &Value| {
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let get = |q: &str| {
        let q = q.to_owned();
        let app = &app;
        let token = ws.owner_token.clone();
        async move {
            app.get_as(&format!("/v1/accounts?{q}"), &token)
                .await
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    assert_eq!(names(&get("q=lovel").await), ["Ada Lovelace"]);
    assert_eq!(
        names(&get("q=ANALYTICAL").await),
        ["Analytical Engines Ltd"]
    );
    assert_eq!(names(&get("q=ada@analytical").await), ["Ada Lovelace"]);
    assert_eq!(
        names(&get("q=%2B44%2020%207946").await),
        ["Charles Babbage"]
    );
    assert_eq!(
        names(&get("tag=VIP&sort=name").await),
        ["Ada Lovelace", "Analytical Engines Ltd"]
    );
    assert_eq!(
        names(&get("lifecycle_stage=customer").await),
        ["Ada Lovelace"]
    );
    assert_eq!(
        names(&get("kind=organization").await),
        ["Analytical Engines Ltd"]
    );
    assert_eq!(
        names(&get("external_id=ae-1").await),
        ["Analytical Engines Ltd"]
    );
    assert_eq!(
        names(&get("sort=-name").await),
        ["Charles Babbage", "Analytical Engines Ltd", "Ada Lovelace"]
    );
    assert_eq!(
        names(&get("sort=-created_at&limit=1").await),
        ["Analytical Engines Ltd"]
    );

    // Pages by name, one at a time, then the cursor of another sort is refused.
    let first = get("sort=name&limit=2").await;
    assert_eq!(names(&first), ["Ada Lovelace", "Analytical Engines Ltd"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = get(&format!("sort=name&limit=2&after={cursor}")).await;
    assert_eq!(names(&second), ["Charles Babbage"]);
    assert!(second["next_cursor"].is_null());
    let res = app
        .get_as(
            &format!("/v1/accounts?sort=created_at&after={cursor}"),
            &ws.owner_token,
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;
    assert_problem(
        app.get_as("/v1/accounts?sort=colour", &ws.owner_token)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        app.get_as("/v1/accounts?limit=501", &ws.owner_token).await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn idempotent_creates_replay_and_refuse_other_bodies() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Retry").await;
    let send = |body: Value, key: &'static str| {
        app.http
            .post(app.url("/v1/accounts"))
            .bearer_auth(&ws.owner_token)
            .header("idempotency-key", key)
            .json(&body)
            .send()
    };
    let body = json!({"kind": "person", "name": "Once"});
    let first = send(body.clone(), "k-1").await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send(body.clone(), "k-1").await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let other = send(json!({"kind": "person", "name": "Twice"}), "k-1")
        .await
        .unwrap();
    assert_problem(other, 409, "idempotency_key_reused").await;

    let list: Value = app
        .get_as("/v1/accounts", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        list["data"].as_array().unwrap().len(),
        1,
        "one account for two identical requests"
    );
}

#[tokio::test]
async fn batch_upserts_by_external_id_with_per_item_results() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Batch").await;
    let batch = json!({"accounts": [
        {"kind": "person", "name": "One", "external_id": "e1"},
        {"kind": "person", "name": "Two", "external_id": "e2", "emails": ["nope"]},
        {"kind": "person", "name": "Three"},
        {"kind": "person", "name": "One again", "external_id": "e1"},
        {"kind": "person", "name": "Four", "external_id": "e4"}
    ]});
    let res = app
        .post_as("/v1/accounts/batch", &ws.owner_token, &batch)
        .await;
    assert_eq!(res.status(), 200);
    let result: Value = res.json().await.unwrap();
    let statuses: Vec<&str> = result["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["created", "error", "error", "error", "created"]);
    assert_eq!(
        result["results"][1]["errors"][0]["field"],
        "accounts[1].emails[0]"
    );
    assert_eq!(
        result["results"][2]["errors"][0]["field"],
        "accounts[2].external_id"
    );
    assert_eq!(
        (result["created"].as_u64(), result["failed"].as_u64()),
        (Some(2), Some(3))
    );

    // The same upsert again changes nothing; a changed item updates in place.
    let again: Value = app
        .post_as(
            "/v1/accounts/batch",
            &ws.owner_token,
            &json!({"accounts": [
                {"kind": "person", "name": "One", "external_id": "e1"},
                {"kind": "person", "name": "Four renamed", "external_id": "e4"}
            ]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["unchanged"], 1);
    assert_eq!(again["updated"], 1);
    assert_eq!(again["results"][0]["id"], result["results"][0]["id"]);
    let list: Value = app
        .get_as("/v1/accounts?sort=name", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 2);
    assert_eq!(list["data"][0]["name"], "Four renamed");

    let too_many = json!({"accounts": (0..501).map(|i| json!({"kind": "person", "name": "x", "external_id": i.to_string()})).collect::<Vec<_>>()});
    assert_problem(
        app.post_as("/v1/accounts/batch", &ws.owner_token, &too_many)
            .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn agents_edit_only_their_own_accounts_and_viewers_only_read() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Team").await;
    let mut tokens = Vec::new();
    for (email, role) in [
        ("agent@team.example.com", "agent"),
        ("viewer@team.example.com", "viewer"),
    ] {
        app.post_as(
            "/v1/users",
            &ws.owner_token,
            &json!({"email": email, "name": role, "password": common::PASSWORD, "role": role}),
        )
        .await;
        tokens.push(
            app.login(email, common::PASSWORD).await["access_token"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let agent_id = app
        .get_as("/v1/me", &tokens[0])
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let theirs = create(
        &app,
        &ws.owner_token,
        json!({"kind": "person", "name": "Owned", "owner_id": agent_id}),
    )
    .await;
    let others = create(
        &app,
        &ws.owner_token,
        json!({"kind": "person", "name": "Not owned"}),
    )
    .await;

    let rename = json!({"name": "Renamed"});
    let path = |a: &Value| format!("/v1/accounts/{}", a["id"].as_str().unwrap());
    assert_eq!(
        app.send(Method::PATCH, &path(&theirs), &tokens[0], Some(&rename))
            .await
            .status(),
        200
    );
    let res = app
        .send(Method::PATCH, &path(&others), &tokens[0], Some(&rename))
        .await;
    assert_problem(res, 403, "not_account_owner").await;
    let res = app
        .send(Method::PATCH, &path(&theirs), &tokens[1], Some(&rename))
        .await;
    assert_problem(res, 403, "insufficient_scope").await;
    assert_eq!(app.get_as("/v1/accounts", &tokens[1]).await.status(), 200);
}

#[tokio::test]
async fn graphql_accounts_share_the_rest_rules() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Graph").await;
    let other = app.workspace("Other").await;
    let create = "mutation($i: AccountInput!, $k: String) { createAccount(input: $i, idempotencyKey: $k) { id name emails version } }";
    let input = json!({"kind": "person", "name": "Grace Hopper", "emails": ["Grace@Navy.example.com"], "tags": ["vip"]});
    let first = app
        .graphql_as(&ws.owner_token, create, json!({"i": input, "k": "g-1"}))
        .await;
    assert!(first.get("errors").is_none(), "{first}");
    let again = app
        .graphql_as(&ws.owner_token, create, json!({"i": input, "k": "g-1"}))
        .await;
    assert_eq!(first["data"], again["data"], "replayed");
    let id = first["data"]["createAccount"]["id"].as_str().unwrap();
    assert_eq!(
        first["data"]["createAccount"]["emails"],
        json!(["grace@navy.example.com"])
    );

    let bad = app
        .graphql_as(
            &ws.owner_token,
            create,
            json!({"i": {"kind": "person", "name": "X", "emails": ["nope"]}}),
        )
        .await;
    assert_eq!(bad["errors"][0]["extensions"]["code"], "validation_failed");
    assert_eq!(
        bad["errors"][0]["extensions"]["errors"][0]["field"],
        "input.emails[0]"
    );

    let update = "mutation($id: ID!, $p: JSON!, $v: Int) { updateAccount(id: $id, patch: $p, ifVersion: $v) { name version lifecycleStage lifecycleHistory { toStage } } }";
    let updated = app
        .graphql_as(
            &ws.owner_token,
            update,
            json!({"id": id, "p": {"lifecycle_stage": "customer"}, "v": 1}),
        )
        .await;
    assert_eq!(updated["data"]["updateAccount"]["version"], 2, "{updated}");
    assert_eq!(
        updated["data"]["updateAccount"]["lifecycleHistory"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let stale = app
        .graphql_as(
            &ws.owner_token,
            update,
            json!({"id": id, "p": {"name": "Stale"}, "v": 1}),
        )
        .await;
    assert_eq!(
        stale["errors"][0]["extensions"]["code"],
        "precondition_failed"
    );

    let list = app
        .graphql_as(&ws.owner_token, "{ accounts(first: 10, filter: {q: \"hopp\", tag: \"vip\"}) { edges { cursor node { id } } pageInfo { hasNextPage } } }", json!({}))
        .await;
    assert_eq!(list["data"]["accounts"]["edges"][0]["node"]["id"], id);
    assert_eq!(list["data"]["accounts"]["pageInfo"]["hasNextPage"], false);

    // Another workspace sees nothing.
    let foreign = app
        .graphql_as(
            &other.owner_token,
            "query($id: ID!) { account(id: $id) { id } }",
            json!({"id": id}),
        )
        .await;
    assert!(foreign["data"]["account"].is_null(), "{foreign}");
    let foreign_update = app
        .graphql_as(
            &other.owner_token,
            update,
            json!({"id": id, "p": {"name": "Mine"}}),
        )
        .await;
    assert_eq!(
        foreign_update["errors"][0]["extensions"]["code"],
        "not_found"
    );
}

#[tokio::test]
async fn walking_ten_thousand_accounts_sees_each_once_while_others_are_inserted() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Walk").await;
    for chunk in 0..20 {
        let accounts: Vec<Value> = (0..500)
            .map(|i| json!({"kind": "person", "name": format!("Customer {}", chunk * 500 + i), "external_id": format!("w-{}", chunk * 500 + i)}))
            .collect();
        let res = app
            .post_as(
                "/v1/accounts/batch",
                &ws.owner_token,
                &json!({"accounts": accounts}),
            )
            .await;
        assert_eq!(res.json::<Value>().await.unwrap()["created"], 500);
    }
    // Inserts keep arriving while the walk goes on.
    let writer = {
        let (http, url, token) = (
            app.http.clone(),
            app.url("/v1/accounts"),
            ws.owner_token.clone(),
        );
        tokio::spawn(async move {
            for i in 0..200 {
                let body = json!({"kind": "person", "name": format!("Late {i}")});
                http.post(&url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
            }
        })
    };
    let mut seen = std::collections::HashMap::new();
    let mut after: Option<String> = None;
    loop {
        let path = match &after {
            Some(cursor) => format!("/v1/accounts?limit=500&after={cursor}"),
            None => "/v1/accounts?limit=500".to_owned(),
        };
        let page: Value = app
            .get_as(&path, &ws.owner_token)
            .await
            .json()
            .await
            .unwrap();
        for account in page["data"].as_array().unwrap() {
            *seen
                .entry(account["id"].as_str().unwrap().to_owned())
                .or_insert(0) += 1;
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => after = Some(cursor.to_owned()),
            None => break,
        }
    }
    writer.await.unwrap();
    assert!(seen.values().all(|&n| n == 1), "no account twice");
    let originals = seen.len();
    assert!((10_000..=10_200).contains(&originals), "saw {originals}");
    let listed: Value = app
        .get_as("/v1/accounts?external_id=w-9999", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        seen.contains_key(listed["data"][0]["id"].as_str().unwrap()),
        "the last original was seen"
    );
}
