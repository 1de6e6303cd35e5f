//! Contacts over HTTP: create on organizations only, read with ETag, one primary per
//! account, merge-patch with If-Match, soft delete, pages, idempotent creates, agent rules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{assert_problem, TestApp, Workspace};
use reqwest::Method;
use serde_json::{json, Value};

async fn account(app: &TestApp, token: &str, body: Value) -> String {
    let res = app.post_as("/v1/accounts", token, &body).await;
    assert_eq!(res.status(), 201, "create account {body}");
    res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn org(app: &TestApp, ws: &Workspace, name: &str) -> String {
    account(
        app,
        &ws.owner_token,
        json!({"kind": "organization", "name": name}),
    )
    .await
}

async fn create(app: &TestApp, token: &str, account_id: &str, body: Value) -> Value {
    let res = app
        .post_as(&format!("/v1/accounts/{account_id}/contacts"), token, &body)
        .await;
    assert_eq!(res.status(), 201, "create contact {body}");
    res.json().await.unwrap()
}

async fn list(app: &TestApp, token: &str, account_id: &str, query: &str) -> Value {
    let res = app
        .get_as(
            &format!("/v1/accounts/{account_id}/contacts?{query}"),
            token,
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn create_normalises_and_reads_back_with_an_etag() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("People").await;
    let acme = org(&app, &ws, "Acme").await;
    let contact = create(
        &app,
        &ws.owner_token,
        &acme,
        json!({"name": "  Grace Hopper ", "title": "Head of Purchasing",
               "email": " Grace@Acme.Example.COM", "phone": "+44 20 7946-0958"}),
    )
    .await;
    assert_eq!(contact["name"], "Grace Hopper");
    assert_eq!(contact["account_id"], acme.as_str());
    assert_eq!(contact["email"], "grace@acme.example.com");
    assert_eq!(contact["phone"], "+442079460958");
    assert_eq!(contact["is_primary"], false);
    assert_eq!(contact["version"], 1);

    let path = format!("/v1/contacts/{}", contact["id"].as_str().unwrap());
    let res = app.get_as(&path, &ws.owner_token).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"v1\"");
    assert_eq!(res.json::<Value>().await.unwrap(), contact);

    let audit: Value = app
        .get_as("/v1/audit-log?resource_type=contact", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(audit["data"][0]["action"], "contact.create");
    assert_eq!(audit["data"][0]["resource_id"], contact["id"]);
}

#[tokio::test]
async fn validation_names_fields_and_person_accounts_have_no_contacts() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Strict").await;
    let acme = org(&app, &ws, "Acme").await;
    let url = format!("/v1/accounts/{acme}/contacts");

    let res = app
        .post_as(
            &url,
            &ws.owner_token,
            &json!({"name": "", "email": "not-an-email", "phone": "12", "title": "x".repeat(201)}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let found = fields(&problem);
    for f in ["name", "email", "phone", "title"] {
        assert!(found.iter().any(|x| x == f), "{f} in {found:?}");
    }
    let res = app
        .post_as(&url, &ws.owner_token, &json!({"email": "bad@"}))
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(fields(&problem), ["name", "email"]);
    let res = app
        .post_as(
            &url,
            &ws.owner_token,
            &json!({"name": "X", "account_id": "other"}),
        )
        .await;
    assert_problem(res, 422, "invalid_body").await;

    // A person has no contacts: 422 naming account_id.
    let person = account(
        &app,
        &ws.owner_token,
        json!({"kind": "person", "name": "Ada"}),
    )
    .await;
    let res = app
        .post_as(
            &format!("/v1/accounts/{person}/contacts"),
            &ws.owner_token,
            &json!({"name": "Someone"}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(fields(&problem), ["account_id"]);

    // An unknown account: 404, for writes and lists alike.
    let res = app
        .post_as(
            "/v1/accounts/nope/contacts",
            &ws.owner_token,
            &json!({"name": "X"}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
    assert_problem(
        app.get_as("/v1/accounts/nope/contacts", &ws.owner_token)
            .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        list(&app, &ws.owner_token, &acme, "").await["data"],
        json!([]),
        "nothing was written"
    );
}

#[tokio::test]
async fn one_primary_contact_per_account() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Primary").await;
    let acme = org(&app, &ws, "Acme").await;
    let other = org(&app, &ws, "Other").await;
    let t = &ws.owner_token;
    let first = create(&app, t, &acme, json!({"name": "First", "is_primary": true})).await;
    let elsewhere = create(
        &app,
        t,
        &other,
        json!({"name": "Elsewhere", "is_primary": true}),
    )
    .await;
    let second = create(
        &app,
        t,
        &acme,
        json!({"name": "Second", "is_primary": true}),
    )
    .await;
    assert_eq!(second["is_primary"], true);

    let primaries = |page: &Value| {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["is_primary"] == true)
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(primaries(&list(&app, t, &acme, "").await), ["Second"]);
    // The one that lost the flag has a new version (its ETag changed).
    let res = app
        .get_as(
            &format!("/v1/contacts/{}", first["id"].as_str().unwrap()),
            t,
        )
        .await;
    assert_eq!(res.headers()["etag"], "\"v2\"");

    // Making the first primary again takes it from the second, and only in this account.
    let res = app
        .send(
            Method::PATCH,
            &format!("/v1/contacts/{}", first["id"].as_str().unwrap()),
            t,
            Some(&json!({"is_primary": true})),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(primaries(&list(&app, t, &acme, "").await), ["First"]);
    assert_eq!(primaries(&list(&app, t, &other, "").await), ["Elsewhere"]);
    let res = app
        .get_as(
            &format!("/v1/contacts/{}", elsewhere["id"].as_str().unwrap()),
            t,
        )
        .await;
    assert_eq!(res.headers()["etag"], "\"v1\"");
}

#[tokio::test]
async fn merge_patch_with_if_match_and_soft_delete() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Patch").await;
    let acme = org(&app, &ws, "Acme").await;
    let contact = create(
        &app,
        &ws.owner_token,
        &acme,
        json!({"name": "Grace", "title": "CTO", "phone": "+1 555 0100 200"}),
    )
    .await;
    let path = format!("/v1/contacts/{}", contact["id"].as_str().unwrap());

    let res = app
        .http
        .patch(app.url(&path))
        .bearer_auth(&ws.owner_token)
        .header("content-type", "application/merge-patch+json")
        .header("if-match", "\"v1\"")
        .body(json!({"title": null, "email": "grace@acme.example.com"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"v2\"");
    let patched: Value = res.json().await.unwrap();
    assert!(patched["title"].is_null());
    assert_eq!(patched["email"], "grace@acme.example.com");
    assert_eq!(patched["name"], "Grace");
    assert_eq!(patched["phone"], "+15550100200");

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
        .send(
            Method::PATCH,
            &path,
            &ws.owner_token,
            Some(&json!({"email": "bad"})),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(fields(&problem), ["email"]);
    let res = app
        .send(
            Method::PATCH,
            &path,
            &ws.owner_token,
            Some(&json!({"account_id": "elsewhere"})),
        )
        .await;
    assert_problem(res, 422, "invalid_body").await;
    // The same values again: no new version.
    let res = app
        .send(
            Method::PATCH,
            &path,
            &ws.owner_token,
            Some(&json!({"name": "Grace"})),
        )
        .await;
    assert_eq!(res.headers()["etag"], "\"v2\"");

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
    let res = app
        .send(
            Method::PATCH,
            &path,
            &ws.owner_token,
            Some(&json!({"name": "Back"})),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
    assert_eq!(
        list(&app, &ws.owner_token, &acme, "").await["data"],
        json!([])
    );
    let audit: Value = app
        .get_as(
            &format!(
                "/v1/audit-log?resource_id={}",
                contact["id"].as_str().unwrap()
            ),
            &ws.owner_token,
        )
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["contact.delete", "contact.update", "contact.create"]
    );
}

#[tokio::test]
async fn pages_walk_every_contact_once_in_creation_order() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Pages").await;
    let acme = org(&app, &ws, "Acme").await;
    let mut created = Vec::new();
    for i in 0..7 {
        let c = create(
            &app,
            &ws.owner_token,
            &acme,
            json!({"name": format!("C{i}")}),
        )
        .await;
        created.push(c["id"].as_str().unwrap().to_owned());
    }
    let mut seen = Vec::new();
    let mut query = "limit=3".to_owned();
    let mut pages = 0;
    loop {
        let page = list(&app, &ws.owner_token, &acme, &query).await;
        pages += 1;
        for c in page["data"].as_array().unwrap() {
            seen.push(c["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("limit=3&after={cursor}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, created);
    for bad in ["after=nonsense", "limit=0", "limit=501"] {
        let res = app
            .get_as(
                &format!("/v1/accounts/{acme}/contacts?{bad}"),
                &ws.owner_token,
            )
            .await;
        assert_problem(res, 422, "validation_failed").await;
    }
}

#[tokio::test]
async fn idempotent_creates_replay_and_refuse_other_bodies() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Retry").await;
    let acme = org(&app, &ws, "Acme").await;
    let url = app.url(&format!("/v1/accounts/{acme}/contacts"));
    let send = |body: Value| {
        app.http
            .post(&url)
            .bearer_auth(&ws.owner_token)
            .header("idempotency-key", "c-1")
            .json(&body)
            .send()
    };
    let first = send(json!({"name": "Once"})).await.unwrap();
    assert_eq!(first.status(), 201);
    assert_eq!(first.headers()["etag"], "\"v1\"");
    let first: Value = first.json().await.unwrap();
    let again = send(json!({"name": "Once"})).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let other = send(json!({"name": "Twice"})).await.unwrap();
    assert_problem(other, 409, "idempotency_key_reused").await;
    assert_eq!(
        list(&app, &ws.owner_token, &acme, "").await["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn agents_change_contacts_only_of_accounts_they_own_and_viewers_only_read() {
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
    let (agent, viewer) = (&tokens[0], &tokens[1]);
    let agent_id = app
        .get_as("/v1/me", agent)
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let theirs = account(
        &app,
        &ws.owner_token,
        json!({"kind": "organization", "name": "Owned", "owner_id": agent_id}),
    )
    .await;
    let others = org(&app, &ws, "Not owned").await;
    let body = json!({"name": "Someone"});

    let mine = create(&app, agent, &theirs, body.clone()).await;
    let res = app
        .post_as(&format!("/v1/accounts/{others}/contacts"), agent, &body)
        .await;
    assert_problem(res, 403, "not_account_owner").await;
    let not_mine = create(&app, &ws.owner_token, &others, body.clone()).await;
    let path = |c: &Value| format!("/v1/contacts/{}", c["id"].as_str().unwrap());
    let rename = json!({"name": "Renamed"});
    assert_eq!(
        app.send(Method::PATCH, &path(&mine), agent, Some(&rename))
            .await
            .status(),
        200
    );
    let res = app
        .send(Method::PATCH, &path(&not_mine), agent, Some(&rename))
        .await;
    assert_problem(res, 403, "not_account_owner").await;
    let res = app
        .send(Method::DELETE, &path(&not_mine), agent, None)
        .await;
    assert_problem(res, 403, "not_account_owner").await;
    // Agents read every contact.
    assert_eq!(app.get_as(&path(&not_mine), agent).await.status(), 200);

    let res = app
        .post_as(&format!("/v1/accounts/{theirs}/contacts"), viewer, &body)
        .await;
    assert_problem(res, 403, "insufficient_scope").await;
    let res = app
        .send(Method::PATCH, &path(&mine), viewer, Some(&rename))
        .await;
    assert_problem(res, 403, "insufficient_scope").await;
    assert_eq!(
        list(&app, viewer, &theirs, "").await["data"][0]["name"],
        "Renamed"
    );
    assert_eq!(
        app.send(Method::DELETE, &path(&mine), agent, None)
            .await
            .status(),
        204
    );
}

#[tokio::test]
async fn a_deleted_account_hides_its_contacts() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Gone").await;
    let acme = org(&app, &ws, "Acme").await;
    let contact = create(&app, &ws.owner_token, &acme, json!({"name": "Grace"})).await;
    let path = format!("/v1/contacts/{}", contact["id"].as_str().unwrap());
    let res = app
        .send(
            Method::DELETE,
            &format!("/v1/accounts/{acme}"),
            &ws.owner_token,
            None,
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_problem(app.get_as(&path, &ws.owner_token).await, 404, "not_found").await;
    let res = app
        .send(
            Method::PATCH,
            &path,
            &ws.owner_token,
            Some(&json!({"name": "X"})),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
    assert_problem(
        app.send(Method::DELETE, &path, &ws.owner_token, None).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(&format!("/v1/accounts/{acme}/contacts"), &ws.owner_token)
            .await,
        404,
        "not_found",
    )
    .await;
    let res = app
        .post_as(
            &format!("/v1/accounts/{acme}/contacts"),
            &ws.owner_token,
            &json!({"name": "Late"}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
}

/// GraphQL's `account(id) { contacts }` reads the account with its contacts from the cache;
/// every contact write (create, a new primary, patch, delete) is visible in the next read.
#[tokio::test]
async fn graphql_reads_of_an_account_see_every_contact_write() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Cached").await;
    let acme = org(&app, &ws, "Acme").await;
    let other = org(&app, &ws, "Other").await;
    let query = "query($id: ID!) { account(id: $id) { contacts { name isPrimary } } }";
    let read = |id: String| {
        let (app, token) = (&app, ws.owner_token.clone());
        async move {
            let out = app.graphql_as(&token, query, json!({ "id": id })).await;
            assert!(out["errors"].is_null(), "{out}");
            out["data"]["account"]["contacts"].clone()
        }
    };
    // Read twice: the second read is served from the cache.
    assert_eq!(read(acme.clone()).await, json!([]));
    assert_eq!(read(acme.clone()).await, json!([]));

    let grace = create(
        &app,
        &ws.owner_token,
        &acme,
        json!({"name": "Grace", "is_primary": true}),
    )
    .await;
    assert_eq!(
        read(acme.clone()).await,
        json!([{"name": "Grace", "isPrimary": true}])
    );
    // A new primary unsets the old one in the same write.
    create(
        &app,
        &ws.owner_token,
        &acme,
        json!({"name": "Ada", "is_primary": true}),
    )
    .await;
    assert_eq!(
        read(acme.clone()).await,
        json!([{"name": "Grace", "isPrimary": false}, {"name": "Ada", "isPrimary": true}])
    );
    // Another account's contacts are its own.
    create(&app, &ws.owner_token, &other, json!({"name": "Linus"})).await;
    assert_eq!(
        read(other.clone()).await,
        json!([{"name": "Linus", "isPrimary": false}])
    );

    let path = format!("/v1/contacts/{}", grace["id"].as_str().unwrap());
    let res = app
        .send(
            Method::PATCH,
            &path,
            &ws.owner_token,
            Some(&json!({"name": "Grace H."})),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        read(acme.clone()).await,
        json!([{"name": "Grace H.", "isPrimary": false}, {"name": "Ada", "isPrimary": true}])
    );
    let res = app.send(Method::DELETE, &path, &ws.owner_token, None).await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        read(acme.clone()).await,
        json!([{"name": "Ada", "isPrimary": true}])
    );
    assert_eq!(
        read(other).await,
        json!([{"name": "Linus", "isPrimary": false}])
    );

    // The same account twice in one document: both read the same contacts (the second
    // through the loader), and the metrics beside them.
    let twice = "query($id: ID!) { a: account(id: $id) { contacts { name } metrics { ordersCount } } b: account(id: $id) { contacts { name } metrics { ordersCount } } }";
    let out = app
        .graphql_as(&ws.owner_token, twice, json!({ "id": acme }))
        .await;
    assert!(out["errors"].is_null(), "{out}");
    assert_eq!(out["data"]["a"], out["data"]["b"], "{out}");
    assert_eq!(
        out["data"]["a"]["contacts"],
        json!([{"name": "Ada"}]),
        "{out}"
    );
    assert_eq!(out["data"]["a"]["metrics"]["ordersCount"], 0, "{out}");

    // Another workspace's token sees no such account, cached or not.
    let intruder = app.workspace("Intruder").await;
    let out = app
        .graphql_as(&intruder.owner_token, query, json!({ "id": acme }))
        .await;
    assert!(out["data"]["account"].is_null(), "{out}");
}
