//! Interactions over HTTP: the timeline's create with validation and authorship, read with
//! ETag, tasks, newest-first lists with filters and keyset pages, merge-patch with If-Match,
//! soft delete, idempotent creates, agent rules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{assert_problem, TestApp, Workspace};
use reqwest::Method;
use serde_json::{json, Value};

async fn account(app: &TestApp, ws: &Workspace, body: Value) -> String {
    let res = app.post_as("/v1/accounts", &ws.owner_token, &body).await;
    assert_eq!(res.status(), 201, "create account {body}");
    res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn org(app: &TestApp, ws: &Workspace, name: &str) -> String {
    account(app, ws, json!({"kind": "organization", "name": name})).await
}

async fn contact(app: &TestApp, ws: &Workspace, account_id: &str) -> String {
    let res = app
        .post_as(
            &format!("/v1/accounts/{account_id}/contacts"),
            &ws.owner_token,
            &json!({"name": "Grace"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn create(app: &TestApp, token: &str, account_id: &str, body: Value) -> Value {
    let res = app
        .post_as(
            &format!("/v1/accounts/{account_id}/interactions"),
            token,
            &body,
        )
        .await;
    assert_eq!(res.status(), 201, "create interaction {body}");
    res.json().await.unwrap()
}

async fn list(app: &TestApp, token: &str, account_id: &str, query: &str) -> Value {
    let res = app
        .get_as(
            &format!("/v1/accounts/{account_id}/interactions?{query}"),
            token,
        )
        .await;
    assert_eq!(res.status(), 200, "list ?{query}");
    res.json().await.unwrap()
}

fn subjects(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["subject"].as_str().unwrap().to_owned())
        .collect()
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

#[tokio::test]
async fn create_records_the_author_and_reads_back_with_an_etag() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Timeline").await;
    let acme = org(&app, &ws, "Acme").await;
    let grace = contact(&app, &ws, &acme).await;
    let before = Utc::now() - Duration::seconds(1);
    let call = create(
        &app,
        &ws.owner_token,
        &acme,
        json!({"type": "call", "channel": "phone", "direction": "outbound",
               "subject": " Renewal ", "body": "Line one\nLine two", "contact_id": grace}),
    )
    .await;
    assert_eq!(call["type"], "call");
    assert_eq!(call["subject"], "Renewal");
    assert_eq!(call["body"], "Line one\nLine two");
    assert_eq!(call["contact_id"], grace.as_str());
    assert_eq!(call["author_type"], "user");
    assert_eq!(call["author_id"], ws.owner_id.as_str());
    assert!(call["done"].is_null() && call["due_at"].is_null());
    assert_eq!(call["version"], 1);
    let occurred: DateTime<Utc> = call["occurred_at"].as_str().unwrap().parse().unwrap();
    assert!(
        occurred >= before && occurred <= Utc::now(),
        "defaults to now"
    );

    let path = format!("/v1/interactions/{}", call["id"].as_str().unwrap());
    let res = app.get_as(&path, &ws.owner_token).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"v1\"");
    assert_eq!(res.json::<Value>().await.unwrap(), call);

    // An API key is its own author; a person account has a timeline too.
    let (key_id, key) = app.api_key(&ws, &["accounts:write"]).await;
    let person = account(&app, &ws, json!({"kind": "person", "name": "Ada"})).await;
    let note = create(
        &app,
        &key,
        &person,
        json!({"type": "note", "body": "Prefers e-mail"}),
    )
    .await;
    assert_eq!(note["author_type"], "api_key");
    assert_eq!(note["author_id"], key_id.as_str());

    let audit: Value = app
        .get_as("/v1/audit-log?resource_type=interaction", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(audit["data"].as_array().unwrap().len(), 2);
    assert_eq!(audit["data"][1]["action"], "interaction.create");
}

#[tokio::test]
async fn validation_names_every_bad_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Strict").await;
    let acme = org(&app, &ws, "Acme").await;
    let other = org(&app, &ws, "Other").await;
    let theirs = contact(&app, &ws, &other).await;
    let url = format!("/v1/accounts/{acme}/interactions");
    let post = |body: Value| {
        let url = url.clone();
        let app = &app;
        let token = ws.owner_token.clone();
        async move { app.post_as(&url, &token, &body).await }
    };

    let future = ts(Utc::now() + Duration::hours(1));
    let problem = assert_problem(
        post(
            json!({"type": "call", "channel": "fax", "direction": "sideways",
                    "subject": "x".repeat(201), "body": "y".repeat(20_001),
                    "occurred_at": future}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        fields(&problem),
        ["channel", "direction", "subject", "body", "occurred_at"]
    );
    let problem = assert_problem(
        post(json!({"type": "lunch"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(fields(&problem), ["type"]);
    let problem = assert_problem(
        post(json!({"subject": "No type"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(fields(&problem), ["type"]);
    let problem = assert_problem(
        post(json!({"type": "note", "done": false, "due_at": future})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(fields(&problem), ["due_at", "done"]);
    // The contact must be a live contact of this very account.
    for contact_id in [theirs.as_str(), "nobody"] {
        let problem = assert_problem(
            post(json!({"type": "call", "contact_id": contact_id})).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(fields(&problem), ["contact_id"]);
    }
    assert_problem(
        post(json!({"type": "note", "author_id": "me"})).await,
        422,
        "invalid_body",
    )
    .await;
    assert_eq!(
        list(&app, &ws.owner_token, &acme, "").await["data"],
        json!([])
    );

    // A task may be due in the future; its occurred_at still may not be.
    let task = create(
        &app,
        &ws.owner_token,
        &acme,
        json!({"type": "task", "subject": "Send quote", "due_at": future, "done": false}),
    )
    .await;
    let due: DateTime<Utc> = task["due_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(ts(due), future);
    assert_eq!(task["done"], false);
    assert!(task["done_at"].is_null());
    let problem = assert_problem(
        post(json!({"type": "task", "occurred_at": future})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(fields(&problem), ["occurred_at"]);
    assert_problem(
        app.post_as(
            "/v1/accounts/nope/interactions",
            &ws.owner_token,
            &json!({"type": "note"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn lists_newest_first_with_filters_and_pages() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Find").await;
    let acme = org(&app, &ws, "Acme").await;
    let grace = contact(&app, &ws, &acme).await;
    let t = &ws.owner_token;
    let base = Utc::now() - Duration::days(10);
    let at = |days: i64| ts(base + Duration::days(days));
    // Two share an instant: the later id comes first.
    for (subject, body) in [
        ("n1", json!({"type": "note", "occurred_at": at(1)})),
        (
            "c2",
            json!({"type": "call", "channel": "phone", "occurred_at": at(2), "contact_id": grace}),
        ),
        (
            "e3",
            json!({"type": "email", "channel": "email", "occurred_at": at(3), "contact_id": grace}),
        ),
        (
            "e3b",
            json!({"type": "email", "channel": "email", "occurred_at": at(3)}),
        ),
        (
            "t4",
            json!({"type": "task", "occurred_at": at(4), "done": true}),
        ),
        ("t5", json!({"type": "task", "occurred_at": at(5)})),
        (
            "m6",
            json!({"type": "meeting", "channel": "store", "occurred_at": at(6)}),
        ),
    ] {
        let mut body = body;
        body["subject"] = json!(subject);
        create(&app, t, &acme, body).await;
    }
    // Another account's timeline stays apart.
    let other = org(&app, &ws, "Other").await;
    create(
        &app,
        t,
        &other,
        json!({"type": "note", "subject": "elsewhere"}),
    )
    .await;

    assert_eq!(
        subjects(&list(&app, t, &acme, "").await),
        ["m6", "t5", "t4", "e3b", "e3", "c2", "n1"]
    );
    assert_eq!(
        subjects(&list(&app, t, &acme, "type=email").await),
        ["e3b", "e3"]
    );
    assert_eq!(
        subjects(&list(&app, t, &acme, "channel=phone").await),
        ["c2"]
    );
    assert_eq!(
        subjects(&list(&app, t, &acme, &format!("contact_id={grace}")).await),
        ["e3", "c2"]
    );
    let window = format!(
        "occurred_after={}&occurred_before={}",
        urlencode(&at(2)),
        urlencode(&at(4))
    );
    assert_eq!(
        subjects(&list(&app, t, &acme, &window).await),
        ["e3b", "e3", "c2"]
    );
    assert_eq!(subjects(&list(&app, t, &acme, "done=true").await), ["t4"]);
    assert_eq!(subjects(&list(&app, t, &acme, "done=false").await), ["t5"]);

    // Walk pages of 2: every interaction once, in the same order as one big page.
    let mut seen = Vec::new();
    let mut query = "limit=2".to_owned();
    let mut pages = 0;
    loop {
        let page = list(&app, t, &acme, &query).await;
        pages += 1;
        seen.extend(subjects(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => query = format!("limit=2&after={cursor}"),
            None => break,
        }
    }
    assert_eq!(pages, 4);
    assert_eq!(seen, ["m6", "t5", "t4", "e3b", "e3", "c2", "n1"]);
    // Filters and pages together.
    let first = list(&app, t, &acme, "type=email&limit=1").await;
    assert_eq!(subjects(&first), ["e3b"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = list(
        &app,
        t,
        &acme,
        &format!("type=email&limit=1&after={cursor}"),
    )
    .await;
    assert_eq!(subjects(&second), ["e3"]);
    assert!(second["next_cursor"].is_null());

    for (bad, field) in [
        ("type=lunch", "type"),
        ("channel=fax", "channel"),
        ("after=nonsense", "after"),
        ("limit=0", "limit"),
    ] {
        let res = app
            .get_as(&format!("/v1/accounts/{acme}/interactions?{bad}"), t)
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(fields(&problem), [field]);
    }
}

fn urlencode(s: &str) -> String {
    s.replace(':', "%3A").replace('+', "%2B")
}

#[tokio::test]
async fn merge_patch_tasks_if_match_and_soft_delete() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Patch").await;
    let acme = org(&app, &ws, "Acme").await;
    let grace = contact(&app, &ws, &acme).await;
    let t = &ws.owner_token;
    let task = create(
        &app,
        t,
        &acme,
        json!({"type": "task", "subject": "Send quote", "body": "By Friday", "contact_id": grace}),
    )
    .await;
    let path = format!("/v1/interactions/{}", task["id"].as_str().unwrap());

    let res = app
        .http
        .patch(app.url(&path))
        .bearer_auth(t)
        .header("content-type", "application/merge-patch+json")
        .header("if-match", "\"v1\"")
        .body(json!({"done": true, "body": null}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"v2\"");
    let done: Value = res.json().await.unwrap();
    assert_eq!(done["done"], true);
    assert!(done["done_at"].is_string());
    assert!(done["body"].is_null());
    assert_eq!(done["subject"], "Send quote");
    assert_eq!(done["occurred_at"], task["occurred_at"], "kept");
    assert_eq!(done["author_id"], task["author_id"]);

    // A stale version: 412, nothing changes.
    let res = app
        .http
        .patch(app.url(&path))
        .bearer_auth(t)
        .header("if-match", "\"v1\"")
        .json(&json!({"subject": "Stale"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 412, "precondition_failed").await;
    // A done task cannot silently become a note; nor take another account's contact.
    let res = app
        .send(Method::PATCH, &path, t, Some(&json!({"type": "note"})))
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(fields(&problem), ["done"]);
    let other = org(&app, &ws, "Other").await;
    let theirs = contact(&app, &ws, &other).await;
    let res = app
        .send(
            Method::PATCH,
            &path,
            t,
            Some(&json!({"contact_id": theirs})),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(fields(&problem), ["contact_id"]);
    let res = app
        .send(
            Method::PATCH,
            &path,
            t,
            Some(&json!({"author_id": "someone"})),
        )
        .await;
    assert_problem(res, 422, "invalid_body").await;
    // Reopen, then make it a note.
    let res = app
        .send(
            Method::PATCH,
            &path,
            t,
            Some(&json!({"done": null, "type": "note"})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let note: Value = res.json().await.unwrap();
    assert_eq!(note["type"], "note");
    assert!(note["done"].is_null() && note["done_at"].is_null());
    assert_eq!(note["version"], 3);

    let res = app
        .http
        .delete(app.url(&path))
        .bearer_auth(t)
        .header("if-match", "\"v2\"")
        .send()
        .await
        .unwrap();
    assert_problem(res, 412, "precondition_failed").await;
    let res = app
        .http
        .delete(app.url(&path))
        .bearer_auth(t)
        .header("if-match", "\"v3\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_problem(app.get_as(&path, t).await, 404, "not_found").await;
    assert_eq!(list(&app, t, &acme, "").await["data"], json!([]));
    let audit: Value = app
        .get_as(
            &format!("/v1/audit-log?resource_id={}", task["id"].as_str().unwrap()),
            t,
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
        [
            "interaction.delete",
            "interaction.update",
            "interaction.update",
            "interaction.create"
        ]
    );
}

#[tokio::test]
async fn idempotent_creates_replay_and_refuse_other_bodies() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Retry").await;
    let acme = org(&app, &ws, "Acme").await;
    let url = app.url(&format!("/v1/accounts/{acme}/interactions"));
    let send = |body: Value| {
        app.http
            .post(&url)
            .bearer_auth(&ws.owner_token)
            .header("idempotency-key", "i-1")
            .json(&body)
            .send()
    };
    let body = json!({"type": "call", "subject": "Once"});
    let first = send(body.clone()).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send(body).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let other = send(json!({"type": "call", "subject": "Twice"}))
        .await
        .unwrap();
    assert_problem(other, 409, "idempotency_key_reused").await;
    assert_eq!(
        subjects(&list(&app, &ws.owner_token, &acme, "").await),
        ["Once"]
    );
}

#[tokio::test]
async fn agents_log_anywhere_but_change_only_their_own() {
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
    // An account the agent does not own.
    let acme = org(&app, &ws, "Acme").await;
    let mine = create(
        &app,
        agent,
        &acme,
        json!({"type": "call", "subject": "Mine"}),
    )
    .await;
    let owners = create(
        &app,
        &ws.owner_token,
        &acme,
        json!({"type": "note", "subject": "Owner's"}),
    )
    .await;
    let path = |i: &Value| format!("/v1/interactions/{}", i["id"].as_str().unwrap());
    let edit = json!({"subject": "Edited"});

    assert_eq!(
        app.send(Method::PATCH, &path(&mine), agent, Some(&edit))
            .await
            .status(),
        200
    );
    let res = app
        .send(Method::PATCH, &path(&owners), agent, Some(&edit))
        .await;
    assert_problem(res, 403, "not_author").await;
    let res = app.send(Method::DELETE, &path(&owners), agent, None).await;
    assert_problem(res, 403, "not_author").await;
    // Others may change what the agent logged.
    assert_eq!(
        app.send(
            Method::PATCH,
            &path(&mine),
            &ws.owner_token,
            Some(&json!({"channel": "phone"}))
        )
        .await
        .status(),
        200
    );

    let res = app
        .post_as(
            &format!("/v1/accounts/{acme}/interactions"),
            viewer,
            &json!({"type": "note"}),
        )
        .await;
    assert_problem(res, 403, "insufficient_scope").await;
    assert_eq!(
        subjects(&list(&app, viewer, &acme, "").await),
        ["Owner's", "Edited"]
    );
    assert_eq!(
        app.send(Method::DELETE, &path(&mine), agent, None)
            .await
            .status(),
        204
    );
}

#[tokio::test]
async fn a_deleted_account_hides_its_timeline() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Gone").await;
    let acme = org(&app, &ws, "Acme").await;
    let t = &ws.owner_token;
    let note = create(&app, t, &acme, json!({"type": "note", "subject": "Hi"})).await;
    let path = format!("/v1/interactions/{}", note["id"].as_str().unwrap());
    assert_eq!(
        app.send(Method::DELETE, &format!("/v1/accounts/{acme}"), t, None)
            .await
            .status(),
        204
    );
    assert_problem(app.get_as(&path, t).await, 404, "not_found").await;
    assert_problem(
        app.send(Method::PATCH, &path, t, Some(&json!({"subject": "X"})))
            .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.send(Method::DELETE, &path, t, None).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_as(&format!("/v1/accounts/{acme}/interactions"), t)
            .await,
        404,
        "not_found",
    )
    .await;
    let res = app
        .post_as(
            &format!("/v1/accounts/{acme}/interactions"),
            t,
            &json!({"type": "note"}),
        )
        .await;
    assert_problem(res, 404, "not_found").await;
}
