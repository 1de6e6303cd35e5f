//! Customer feedback and service recovery over HTTP: survey responses (validation, batches
//! idempotent by `external_id`, latest scores in the profile, events, segment rules),
//! complaints (SLA breaches with a controlled clock, timeline) and resolutions with
//! compensation (paid once, limited by role).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{assert_problem, TestApp, Workspace, PASSWORD};
use serde_json::{json, Value};

async fn app() -> TestApp {
    TestApp::spawn_with(|c| c.complaint_sla_interval_secs = 0).await
}

async fn account(app: &TestApp, t: &str, name: &str) -> String {
    let res = app
        .post_as("/v1/accounts", t, &json!({"kind": "person", "name": name}))
        .await;
    assert_eq!(res.status(), 201);
    let a: Value = res.json().await.unwrap();
    a["id"].as_str().unwrap().to_owned()
}

async fn order(app: &TestApp, t: &str, account: &str, amount: i64) -> String {
    let res = app
        .post_as(
            "/v1/orders",
            t,
            &json!({"account_id": account, "amount": amount, "currency": "USD"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let o: Value = res.json().await.unwrap();
    o["id"].as_str().unwrap().to_owned()
}

async fn post(app: &TestApp, t: &str, path: &str, body: Value, status: u16) -> Value {
    let res = app.post_as(path, t, &body).await;
    let got = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "POST {path}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn get(app: &TestApp, t: &str, path: &str) -> Value {
    let res = app.get_as(path, t).await;
    assert_eq!(res.status(), 200, "GET {path}");
    res.json().await.unwrap()
}

async fn event_types(app: &TestApp, t: &str) -> Vec<String> {
    let page = get(app, t, "/v1/events?limit=500").await;
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect()
}

async fn count_feedback(app: &TestApp, t: &str) -> usize {
    get(app, t, "/v1/feedback?limit=500").await["data"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn responses_keep_the_latest_scores_and_publish_detractors() {
    let app = app().await;
    let ws = app.workspace("Fb").await;
    let t = &ws.owner_token;
    let a = account(&app, t, "Ada").await;
    let f = post(
        &app,
        t,
        "/v1/feedback",
        json!({"account_id": a, "nps": 9, "csat": 5, "touchpoint": "purchase",
               "occurred_at": "2026-01-10T10:00:00Z", "external_id": "s-1"}),
        201,
    )
    .await;
    assert_eq!(f["nps_category"], "promoter");
    // An older response is stored but does not replace the newer NPS.
    post(
        &app,
        t,
        "/v1/feedback",
        json!({"account_id": a, "nps": 2, "touchpoint": "delivery", "occurred_at": "2026-01-01T10:00:00Z"}),
        201,
    )
    .await;
    let p = get(&app, t, &format!("/v1/accounts/{a}/profile")).await;
    assert_eq!(p["satisfaction"]["nps"], 9);
    assert_eq!(p["satisfaction"]["nps_category"], "promoter");
    assert_eq!(p["satisfaction"]["csat"], 5);
    assert_eq!(p["satisfaction"]["responses"], 2);
    assert!(!event_types(&app, t)
        .await
        .contains(&"customer.became_detractor".to_owned()));
    // A newer detractor response turns the account into a detractor (event, cached profile).
    post(
        &app,
        t,
        "/v1/feedback",
        json!({"account_id": a, "nps": 4, "ces": 6, "touchpoint": "support", "channel": "email"}),
        201,
    )
    .await;
    let p = get(&app, t, &format!("/v1/accounts/{a}/profile")).await;
    assert_eq!(p["satisfaction"]["nps"], 4);
    assert_eq!(p["satisfaction"]["nps_category"], "detractor");
    assert_eq!(p["satisfaction"]["csat"], 5);
    assert_eq!(p["satisfaction"]["ces"], 6);
    let types = event_types(&app, t).await;
    assert_eq!(
        types.iter().filter(|t| *t == "feedback.received").count(),
        3
    );
    assert_eq!(
        types
            .iter()
            .filter(|t| *t == "customer.became_detractor")
            .count(),
        1
    );
    // Lists: by account, by category, keyset pages.
    let page = get(&app, t, &format!("/v1/accounts/{a}/feedback?limit=2")).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    assert_eq!(page["data"][0]["nps"], 4);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let next = get(
        &app,
        t,
        &format!("/v1/accounts/{a}/feedback?limit=2&after={cursor}"),
    )
    .await;
    assert_eq!(next["data"].as_array().unwrap().len(), 1);
    assert_eq!(next["data"][0]["nps"], 2);
    assert!(next["next_cursor"].is_null());
    let detractors = get(&app, t, "/v1/feedback?nps_category=detractor").await;
    assert_eq!(detractors["data"].as_array().unwrap().len(), 2);
    // A known external id is a conflict.
    let res = app
        .post_as(
            "/v1/feedback",
            t,
            &json!({"account_id": a, "nps": 9, "touchpoint": "web", "external_id": "s-1"}),
        )
        .await;
    assert_problem(res, 409, "duplicate_feedback").await;
    // GraphQL sees the same.
    let q = app
        .graphql_as(
            t,
            "query($id: ID!) { account(id: $id) { satisfaction { nps npsCategory responses } feedback(first: 5) { edges { node { nps touchpoint } } } } }",
            json!({"id": a}),
        )
        .await;
    assert_eq!(
        q["data"]["account"]["satisfaction"]["npsCategory"], "detractor",
        "{q}"
    );
    assert_eq!(
        q["data"]["account"]["feedback"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn bad_responses_name_the_field_and_write_nothing() {
    let app = app().await;
    let ws = app.workspace("Bad").await;
    let other = app.workspace("Other").await;
    let t = &ws.owner_token;
    let a = account(&app, t, "Ada").await;
    let b = account(&app, &other.owner_token, "Bob").await;
    let foreign_order = order(&app, &other.owner_token, &b, 1000).await;
    let cases = [
        (
            json!({"account_id": a, "nps": 11, "touchpoint": "web"}),
            "nps",
        ),
        (
            json!({"account_id": a, "csat": 0, "touchpoint": "web"}),
            "csat",
        ),
        (
            json!({"account_id": a, "ces": 8, "touchpoint": "web"}),
            "ces",
        ),
        (json!({"account_id": a, "touchpoint": "web"}), "nps"),
        (
            json!({"account_id": a, "nps": 5, "touchpoint": "shop"}),
            "touchpoint",
        ),
        (json!({"account_id": a, "nps": 5}), "touchpoint"),
        (
            json!({"account_id": a, "nps": 5, "touchpoint": "web", "order_id": foreign_order}),
            "order_id",
        ),
        (
            json!({"account_id": b, "nps": 5, "touchpoint": "web"}),
            "account_id",
        ),
    ];
    for (body, field) in cases {
        let res = app.post_as("/v1/feedback", t, &body).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    // In a batch: named by position, and nothing of the batch is written.
    let res = app
        .post_as(
            "/v1/feedback/batch",
            t,
            &json!({"responses": [
                {"account_id": a, "nps": 9, "touchpoint": "web"},
                {"account_id": a, "nps": 9, "touchpoint": "web", "order_id": foreign_order}
            ]}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "responses[1].order_id");
    assert_eq!(count_feedback(&app, t).await, 0);
    assert!(get(&app, t, &format!("/v1/accounts/{a}/profile")).await["satisfaction"].is_null());
    // A complaint on another workspace's order: 422, nothing written.
    let res = app
        .post_as(
            "/v1/complaints",
            t,
            &json!({"account_id": a, "order_id": foreign_order, "category": "delivery",
                    "severity": "low", "subject": "Late"}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "order_id");
    let res = app
        .post_as(
            "/v1/complaints",
            t,
            &json!({"account_id": a, "category": "delivery", "severity": "urgent", "subject": "Late"}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "severity");
    assert_eq!(
        get(&app, t, "/v1/complaints").await["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[tokio::test]
async fn a_retried_batch_writes_nothing_twice() {
    let app = app().await;
    let ws = app.workspace("Batch").await;
    let t = &ws.owner_token;
    let a = account(&app, t, "Ada").await;
    let batch = json!({"responses": [
        {"account_id": a, "external_id": "n-1", "nps": 10, "touchpoint": "store"},
        {"account_id": a, "external_id": "n-2", "nps": 8, "csat": 4, "touchpoint": "app"},
        {"account_id": a, "external_id": "n-1", "nps": 10, "touchpoint": "store"}
    ]});
    let first = post(&app, t, "/v1/feedback/batch", batch.clone(), 200).await;
    assert_eq!(first["created"], 2);
    assert_eq!(first["duplicates"], 1);
    assert_eq!(first["results"][2]["status"], "duplicate");
    assert_eq!(first["results"][2]["id"], first["results"][0]["id"]);
    let again = post(&app, t, "/v1/feedback/batch", batch, 200).await;
    assert_eq!(again["created"], 0);
    assert_eq!(again["duplicates"], 3);
    assert_eq!(count_feedback(&app, t).await, 2);
    let p = get(&app, t, &format!("/v1/accounts/{a}/profile")).await;
    assert_eq!(p["satisfaction"]["responses"], 2);
    let res = app
        .post_as("/v1/feedback/batch", t, &json!({"responses": []}))
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "responses");
}

#[tokio::test]
async fn feedback_and_complaint_fields_work_in_segment_rules() {
    let app = app().await;
    let ws = app.workspace("Seg").await;
    let t = &ws.owner_token;
    let promoter = account(&app, t, "Pro").await;
    let detractor = account(&app, t, "Det").await;
    let silent = account(&app, t, "Sil").await;
    post(
        &app,
        t,
        "/v1/feedback/batch",
        json!({"responses": [
            {"account_id": promoter, "nps": 10, "csat": 5, "touchpoint": "web"},
            {"account_id": detractor, "nps": 3, "csat": 2, "touchpoint": "delivery"}
        ]}),
        200,
    )
    .await;
    post(
        &app,
        t,
        "/v1/complaints",
        json!({"account_id": detractor, "category": "delivery", "severity": "high", "subject": "Late"}),
        201,
    )
    .await;
    let members = |rule: Value| {
        let app = &app;
        async move {
            let p = post(
                app,
                t,
                "/v1/segments/preview",
                json!({"rule": rule, "sample_size": 100}),
                200,
            )
            .await;
            let mut ids: Vec<String> = p["sample"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap().to_owned())
                .collect();
            ids.sort();
            ids
        }
    };
    assert_eq!(
        members(json!({"field": "nps_category", "op": "=", "value": "detractor"})).await,
        vec![detractor.clone()]
    );
    assert_eq!(
        members(json!({"field": "nps", "op": ">=", "value": 9})).await,
        vec![promoter.clone()]
    );
    assert_eq!(
        members(json!({"field": "csat", "op": "<=", "value": 2})).await,
        vec![detractor.clone()]
    );
    assert_eq!(
        members(json!({"field": "open_complaints", "op": ">=", "value": 1})).await,
        vec![detractor.clone()]
    );
    assert_eq!(
        members(json!({"field": "complaints", "within_last_days": 30, "op": "exists"})).await,
        vec![detractor.clone()]
    );
    let mut no_feedback = vec![silent.clone()];
    no_feedback.sort();
    assert_eq!(
        members(json!({"not": {"field": "last_feedback_at", "op": "exists"}})).await,
        no_feedback
    );
    let res = app
        .post_as(
            "/v1/segments/preview",
            t,
            &json!({"rule": {"field": "nps_category", "op": "=", "value": "fan"}}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "rule.value");
}

// ---------------------------------------------------------------------------------------
// Complaints

async fn complaint(app: &TestApp, t: &str, body: Value) -> Value {
    post(app, t, "/v1/complaints", body, 201).await
}

fn run_sla(app: &TestApp, at: &str) -> Value {
    let rt = tokio::runtime::Handle::current();
    let state = app.state.clone();
    let at = chrono::DateTime::parse_from_rfc3339(at)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let report = std::thread::spawn(move || {
        rt.block_on(rapport_api::service::complaints::sla::run_jobs_now(
            &state,
            rapport_api::service::stored(at),
        ))
    })
    .join()
    .unwrap()
    .unwrap();
    serde_json::to_value(report).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sla_breaches_fire_at_the_right_time() {
    let app = app().await;
    let ws = app.workspace("Sla").await;
    let t = &ws.owner_token;
    let a = account(&app, t, "Ada").await;
    // critical: first response within 60 minutes, resolution within a day (defaults).
    let c = complaint(
        &app,
        t,
        json!({"account_id": a, "category": "billing", "severity": "critical",
               "subject": "Charged twice", "opened_at": "2026-03-01T10:00:00Z"}),
    )
    .await;
    let id = c["id"].as_str().unwrap().to_owned();
    assert_eq!(c["first_response_due_at"], "2026-03-01T11:00:00Z");
    assert_eq!(c["resolution_due_at"], "2026-03-02T10:00:00Z");
    // Read now (long after): both flags are up.
    assert_eq!(c["first_response_breached"], true);
    assert_eq!(c["resolution_breached"], true);
    // One minute before the first response is due: nothing.
    let r = run_sla(&app, "2026-03-01T10:59:00Z");
    assert_eq!(
        r,
        json!({"first_response_breaches": 0, "resolution_breaches": 0})
    );
    // At the due time: the first-response breach, once.
    let r = run_sla(&app, "2026-03-01T11:00:00Z");
    assert_eq!(
        r,
        json!({"first_response_breaches": 1, "resolution_breaches": 0})
    );
    let r = run_sla(&app, "2026-03-01T12:00:00Z");
    assert_eq!(
        r,
        json!({"first_response_breaches": 0, "resolution_breaches": 0})
    );
    let r = run_sla(&app, "2026-03-02T10:00:00Z");
    assert_eq!(
        r,
        json!({"first_response_breaches": 0, "resolution_breaches": 1})
    );
    let page = get(&app, t, "/v1/events?types=complaint.sla_breached").await;
    let breaches = page["data"].as_array().unwrap();
    assert_eq!(breaches.len(), 2);
    assert_eq!(breaches[0]["data"]["sla"], "first_response");
    assert_eq!(breaches[1]["data"]["sla"], "resolution");
    assert_eq!(breaches[0]["data"]["object"]["id"], id);
    // A complaint answered in time never breaches its first response.
    let c2 = complaint(
        &app,
        t,
        json!({"account_id": a, "category": "billing", "severity": "critical", "subject": "Again"}),
    )
    .await;
    let id2 = c2["id"].as_str().unwrap().to_owned();
    assert_eq!(c2["first_response_breached"], false);
    let moved = post(
        &app,
        t,
        &format!("/v1/complaints/{id2}/status"),
        json!({"status": "in_progress"}),
        200,
    )
    .await;
    assert!(moved["first_responded_at"].is_string());
    let later = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let r = run_sla(&app, &later);
    assert_eq!(
        r,
        json!({"first_response_breaches": 0, "resolution_breaches": 0})
    );
    // The history says who did what when.
    let h = get(&app, t, &format!("/v1/complaints/{id2}/history")).await;
    let h = h.as_array().unwrap();
    assert_eq!(h[0]["to_status"], "open");
    assert_eq!(h[1]["from_status"], "open");
    assert_eq!(h[1]["to_status"], "in_progress");
    assert_eq!(h[1]["actor_id"], ws.owner_id.as_str());
}

async fn loyalty_program(app: &TestApp, t: &str) {
    let res = app
        .send(
            reqwest::Method::PUT,
            "/v1/loyalty/program",
            t,
            Some(&json!({
                "currency": "USD",
                "earn_rate": {"numerator": 1, "denominator": 100},
                "tiers": [{"name": "Base", "threshold": 0, "multiplier_permille": 1000}],
                "expiry_months": 12
            })),
        )
        .await;
    assert_eq!(res.status(), 200);
}

async fn balance(app: &TestApp, t: &str, a: &str) -> i64 {
    get(app, t, &format!("/v1/accounts/{a}/loyalty")).await["ledger_balance"]
        .as_i64()
        .unwrap()
}

async fn refunded(app: &TestApp, t: &str, o: &str) -> i64 {
    get(app, t, &format!("/v1/orders/{o}")).await["refunded_amount"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_retried_resolution_pays_points_once_and_refunds_once() {
    let app = app().await;
    let ws = app.workspace("Pay").await;
    let t = &ws.owner_token;
    loyalty_program(&app, t).await;
    let a = account(&app, t, "Ada").await;
    let o = order(&app, t, &a, 10_000).await;
    let earned = balance(&app, t, &a).await;
    assert_eq!(earned, 100);
    let c = complaint(
        &app,
        t,
        json!({"account_id": a, "order_id": o, "category": "delivery", "severity": "high", "subject": "Broken"}),
    )
    .await;
    let id = c["id"].as_str().unwrap().to_owned();
    let body =
        json!({"outcome": "Sorry: refund and points", "points": 300, "refund": {"amount": 2_000}});
    // With an idempotency key: the stored answer, nothing paid again.
    let res = app
        .http
        .post(app.url(&format!("/v1/complaints/{id}/resolve")))
        .bearer_auth(t)
        .header("Idempotency-Key", "resolve-1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let first: Value = res.json().await.unwrap();
    assert_eq!(first["complaint"]["status"], "resolved");
    assert_eq!(first["compensations"].as_array().unwrap().len(), 2);
    // Points: +300; the refund of 2,000 of 10,000 takes back 20 of the 100 earned.
    assert_eq!(balance(&app, t, &a).await, 100 + 300 - 20);
    assert_eq!(refunded(&app, t, &o).await, 2_000);
    let res = app
        .http
        .post(app.url(&format!("/v1/complaints/{id}/resolve")))
        .bearer_auth(t)
        .header("Idempotency-Key", "resolve-1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // Without a key: the complaint is resolved already; what was paid stands.
    let again = post(
        &app,
        t,
        &format!("/v1/complaints/{id}/resolve"),
        body.clone(),
        200,
    )
    .await;
    assert!(again["compensations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["paid_now"] == false));
    assert_eq!(balance(&app, t, &a).await, 380);
    assert_eq!(refunded(&app, t, &o).await, 2_000);
    // Metrics follow the refund.
    let m = get(&app, t, &format!("/v1/accounts/{a}/profile")).await;
    assert_eq!(m["metrics"]["revenue"], 8_000);
    // Reopen keeps the history and a second resolution never pays twice.
    post(
        &app,
        t,
        &format!("/v1/complaints/{id}/reopen"),
        json!({"reason": "still broken"}),
        200,
    )
    .await;
    let second = post(&app, t, &format!("/v1/complaints/{id}/resolve"), body, 200).await;
    assert_eq!(second["complaint"]["status"], "resolved");
    assert_eq!(balance(&app, t, &a).await, 380);
    assert_eq!(refunded(&app, t, &o).await, 2_000);
    let h = get(&app, t, &format!("/v1/complaints/{id}/history")).await;
    let statuses: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "status")
        .map(|e| e["to_status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["open", "resolved", "reopened", "resolved"]);
    // Closed: resolving is a conflict.
    post(
        &app,
        t,
        &format!("/v1/complaints/{id}/status"),
        json!({"status": "closed"}),
        200,
    )
    .await;
    let res = app
        .post_as(
            &format!("/v1/complaints/{id}/resolve"),
            t,
            &json!({"outcome": "again"}),
        )
        .await;
    assert_problem(res, 409, "complaint_closed").await;
    let types = event_types(&app, t).await;
    for ty in [
        "complaint.opened",
        "complaint.resolved",
        "complaint.reopened",
        "order.refunded",
        "loyalty.points_adjusted",
    ] {
        assert!(types.contains(&ty.to_owned()), "{ty} in {types:?}");
    }
}

#[tokio::test]
async fn a_voucher_compensation_is_issued_once_through_the_offer() {
    let app = app().await;
    let ws = app.workspace("Voucher").await;
    let t = &ws.owner_token;
    let a = account(&app, t, "Ada").await;
    let offer = post(
        &app,
        t,
        "/v1/offers",
        json!({"name": "Sorry: 10 % off", "kind": "percent_discount", "percent": 10}),
        201,
    )
    .await;
    let offer_id = offer["id"].as_str().unwrap().to_owned();
    let open = |subject: &str| json!({"account_id": a, "category": "service", "severity": "low", "subject": subject});
    let c = complaint(&app, t, open("Rude")).await;
    let id = c["id"].as_str().unwrap().to_owned();
    // A malformed or unknown offer: 422 naming the field, nothing paid, still open.
    for bad in ["not-an-id", "01900000-0000-7000-8000-000000000000"] {
        let res = app
            .post_as(
                &format!("/v1/complaints/{id}/resolve"),
                t,
                &json!({"outcome": "Sorry", "voucher": {"offer_id": bad}}),
            )
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(
            problem["errors"][0]["field"], "voucher.offer_id",
            "{problem}"
        );
    }
    assert_eq!(
        get(&app, t, &format!("/v1/complaints/{id}")).await["status"],
        "open"
    );
    let body = json!({"outcome": "Sorry: a voucher", "voucher": {"offer_id": offer_id}});
    let first = post(
        &app,
        t,
        &format!("/v1/complaints/{id}/resolve"),
        body.clone(),
        200,
    )
    .await;
    let paid = &first["compensations"][0];
    assert_eq!(paid["kind"], "voucher", "{first}");
    assert_eq!(paid["paid_now"], true);
    let voucher_id = paid["reference_id"].as_str().unwrap().to_owned();
    let held = get(&app, t, &format!("/v1/accounts/{a}/offers")).await;
    let held = held["data"].as_array().unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0]["voucher"]["id"], voucher_id.as_str());
    assert_eq!(held[0]["offer"]["id"], offer_id.as_str());
    // Retried and resolved again after a reopen: the one voucher stands.
    let again = post(
        &app,
        t,
        &format!("/v1/complaints/{id}/resolve"),
        body.clone(),
        200,
    )
    .await;
    assert_eq!(again["compensations"][0]["paid_now"], false);
    post(
        &app,
        t,
        &format!("/v1/complaints/{id}/reopen"),
        json!({"reason": "again"}),
        200,
    )
    .await;
    post(
        &app,
        t,
        &format!("/v1/complaints/{id}/resolve"),
        body.clone(),
        200,
    )
    .await;
    let held = get(&app, t, &format!("/v1/accounts/{a}/offers")).await;
    assert_eq!(held["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        get(&app, t, &format!("/v1/offers/{offer_id}")).await["issued"],
        1
    );
    // A second complaint while the customer still holds an open voucher of the offer:
    // a conflict, and the complaint stays open.
    let c2 = complaint(&app, t, open("Late")).await;
    let id2 = c2["id"].as_str().unwrap().to_owned();
    let res = app
        .post_as(&format!("/v1/complaints/{id2}/resolve"), t, &body)
        .await;
    assert_problem(res, 409, "voucher_not_issued").await;
    assert_eq!(
        get(&app, t, &format!("/v1/complaints/{id2}")).await["status"],
        "open"
    );
    // GraphQL pays the same way.
    let c3 = complaint(&app, t, open("Wrong size")).await;
    let other = post(
        &app,
        t,
        "/v1/offers",
        json!({"name": "Free shipping", "kind": "free_shipping"}),
        201,
    )
    .await;
    let q = format!(
        r#"mutation {{ resolveComplaint(id: "{}", input: {{outcome: "Sorry", voucherOfferId: "{}"}}) {{ compensations {{ kind referenceId }} }} }}"#,
        c3["id"].as_str().unwrap(),
        other["id"].as_str().unwrap()
    );
    let answer = app.graphql_as(t, &q, json!({})).await;
    assert_eq!(
        answer["data"]["resolveComplaint"]["compensations"][0]["kind"], "voucher",
        "{answer}"
    );
    let types = event_types(&app, t).await;
    assert!(types.contains(&"voucher.issued".to_owned()), "{types:?}");
}

async fn user(app: &TestApp, ws: &Workspace, role: &str) -> String {
    let email = format!("{role}-{}@fb.example.com", uuid::Uuid::new_v4().simple());
    let res = app
        .post_as(
            "/v1/users",
            &ws.owner_token,
            &json!({"email": email, "name": role, "password": PASSWORD, "role": role}),
        )
        .await;
    assert_eq!(res.status(), 201);
    app.login(&email, PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn compensation_is_limited_by_role() {
    let app = app().await;
    let ws = app.workspace("Limits").await;
    let t = &ws.owner_token;
    loyalty_program(&app, t).await;
    let agent = user(&app, &ws, "agent").await;
    let manager = user(&app, &ws, "manager").await;
    let a = account(&app, t, "Ada").await;
    let c = complaint(
        &app,
        &agent,
        json!({"account_id": a, "category": "product", "severity": "medium", "subject": "Faulty"}),
    )
    .await;
    let id = c["id"].as_str().unwrap().to_owned();
    // The default agent limit is 1,000 points.
    let res = app
        .post_as(
            &format!("/v1/complaints/{id}/resolve"),
            &agent,
            &json!({"outcome": "points", "points": 1_500}),
        )
        .await;
    assert_problem(res, 403, "compensation_over_limit").await;
    assert_eq!(balance(&app, t, &a).await, 0);
    assert_eq!(
        get(&app, t, &format!("/v1/complaints/{id}")).await["status"],
        "open"
    );
    // A manager has no limit by default.
    let r = post(
        &app,
        &manager,
        &format!("/v1/complaints/{id}/resolve"),
        json!({"outcome": "points", "points": 1_500}),
        200,
    )
    .await;
    assert_eq!(r["compensations"][0]["points"], 1_500);
    assert_eq!(balance(&app, t, &a).await, 1_500);
    // The audit log has it.
    let log = get(&app, t, "/v1/audit-log?limit=100").await;
    assert!(log["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "complaint.resolve"));
    // Admins set the limits; agents may not.
    let res = app
        .send(
            reqwest::Method::PUT,
            "/v1/complaints/settings",
            &agent,
            Some(&json!({"agent_max_points": 5})),
        )
        .await;
    assert_eq!(res.status(), 403);
    let res = app
        .send(
            reqwest::Method::PUT,
            "/v1/complaints/settings",
            t,
            Some(&json!({"manager_max_points": 10, "sla": [{"severity": "low", "first_response_minutes": 5, "resolution_minutes": 10}]})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let s: Value = res.json().await.unwrap();
    assert_eq!(s["manager_max_points"], 10);
    assert_eq!(s["agent_max_points"], 1_000);
    let low = complaint(
        &app,
        &manager,
        json!({"account_id": a, "category": "product", "severity": "low", "subject": "Scratch",
               "opened_at": "2026-02-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(low["first_response_due_at"], "2026-02-01T00:05:00Z");
    let res = app
        .post_as(
            &format!("/v1/complaints/{}/resolve", low["id"].as_str().unwrap()),
            &manager,
            &json!({"outcome": "points", "points": 11}),
        )
        .await;
    assert_problem(res, 403, "compensation_over_limit").await;
}

#[tokio::test]
async fn a_detractor_response_can_open_a_complaint() {
    let app = app().await;
    let ws = app.workspace("Auto").await;
    let t = &ws.owner_token;
    let a = account(&app, t, "Ada").await;
    post(
        &app,
        t,
        "/v1/feedback",
        json!({"account_id": a, "nps": 2, "touchpoint": "delivery"}),
        201,
    )
    .await;
    assert_eq!(
        get(&app, t, "/v1/complaints").await["data"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let res = app
        .send(
            reqwest::Method::PUT,
            "/v1/complaints/settings",
            t,
            Some(&json!({"auto_open_on_detractor": true, "auto_open_severity": "high"})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let f = post(
        &app,
        t,
        "/v1/feedback",
        json!({"account_id": a, "nps": 1, "touchpoint": "support", "comment": "Nobody answers"}),
        201,
    )
    .await;
    // A second detractor response while the complaint is open opens no other.
    post(
        &app,
        t,
        "/v1/feedback",
        json!({"account_id": a, "nps": 0, "touchpoint": "support"}),
        201,
    )
    .await;
    let list = get(&app, t, &format!("/v1/accounts/{a}/complaints")).await;
    let list = list["data"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["feedback_id"], f["id"]);
    assert_eq!(list[0]["severity"], "high");
    assert_eq!(list[0]["description"], "Nobody answers");
    let p = get(&app, t, &format!("/v1/accounts/{a}/profile")).await;
    assert_eq!(p["satisfaction"]["open_complaints"], 1);
}

fn complaints_cli(app: &TestApp, at: &str) -> Value {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"));
    for (name, _) in std::env::vars() {
        if name.starts_with("RAPPORT_") {
            cmd.env_remove(name);
        }
    }
    cmd.args(["complaints", "run-jobs", "--at", at])
        .env("RAPPORT_DATABASE_URL", app.db.url())
        .env("RAPPORT_LOG", "error");
    if let Some((url, prefix)) = &app.redis {
        cmd.env("RAPPORT_REDIS_URL", url)
            .env("RAPPORT_REDIS_PREFIX", prefix);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn the_cli_publishes_breaches_as_of_a_given_time() {
    let app = app().await;
    let ws = app.workspace("Cli").await;
    let t = &ws.owner_token;
    let a = account(&app, t, "Ada").await;
    complaint(
        &app,
        t,
        json!({"account_id": a, "category": "billing", "severity": "high",
               "subject": "Charged twice", "opened_at": "2026-03-01T10:00:00Z"}),
    )
    .await;
    // high: first response within 4 hours.
    let r = complaints_cli(&app, "2026-03-01T13:59:59Z");
    assert_eq!(r["first_response_breaches"], 0);
    let r = complaints_cli(&app, "2026-03-01T14:00:00Z");
    assert_eq!(r["first_response_breaches"], 1);
    let r = complaints_cli(&app, "2026-03-01T14:00:00Z");
    assert_eq!(r["first_response_breaches"], 0);
    let page = get(&app, t, "/v1/events?types=complaint.sla_breached").await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
}
