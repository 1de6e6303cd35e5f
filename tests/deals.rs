//! Deals over HTTP: pipelines with ordered stages (add, rename, reorder, archive), deals with
//! filters and keyset pages, moves as the one way to change stage (rules, history, reopen,
//! If-Match races, idempotent retries), GraphQL, and the pipeline analytics checked against
//! a hand computation over the stage history.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{DateTime, Duration, DurationRound, Utc};
use common::{assert_problem, TestApp, Workspace, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

async fn account(app: &TestApp, ws: &Workspace, name: &str) -> String {
    let res = app
        .post_as(
            "/v1/accounts",
            &ws.owner_token,
            &json!({"kind": "organization", "name": name}),
        )
        .await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Lead (10 %), Qualified (40 %), Proposal (70 %), Won, Lost. Also gives the workspace an
/// EUR rate: a won deal is an order, converted to the reporting currency (USD).
async fn pipeline(app: &TestApp, token: &str, name: &str) -> Value {
    let res = app
        .send(
            reqwest::Method::PATCH,
            "/v1/workspace/value-settings",
            token,
            Some(&json!({"exchange_rates": {"EUR": "1.10"}})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post_as(
            "/v1/pipelines",
            token,
            &json!({"name": name, "stages": [
                {"name": "Lead", "probability": 10, "kind": "open"},
                {"name": "Qualified", "probability": 40, "kind": "open"},
                {"name": "Proposal", "probability": 70, "kind": "open"},
                {"name": "Won", "kind": "won"},
                {"name": "Lost", "kind": "lost"}
            ]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

fn stage(pipeline: &Value, name: &str) -> String {
    pipeline["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no stage {name} in {pipeline}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn deal(app: &TestApp, token: &str, body: Value) -> Value {
    let res = app.post_as("/v1/deals", token, &body).await;
    assert_eq!(res.status(), 201, "create deal {body}");
    res.json().await.unwrap()
}

async fn move_to(app: &TestApp, token: &str, deal_id: &str, body: Value) -> reqwest::Response {
    app.post_as(&format!("/v1/deals/{deal_id}/move"), token, &body)
        .await
}

async fn moved(app: &TestApp, token: &str, deal_id: &str, body: Value) -> Value {
    let res = move_to(app, token, deal_id, body.clone()).await;
    assert_eq!(res.status(), 200, "move {body}");
    res.json().await.unwrap()
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// The funnel's `reached`, stage by stage.
fn reached(analytics: &Value) -> Vec<Value> {
    analytics["funnel"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reached"].clone())
        .collect()
}

async fn analytics(app: &TestApp, token: &str, pipeline_id: &str, from: &str, to: &str) -> Value {
    let res = app
        .get_as(
            &format!("/v1/analytics/pipeline?pipeline_id={pipeline_id}&from={from}&to={to}")
                .replace('+', "%2B"),
            token,
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn stage_row<'a>(analytics: &'a Value, name: &str) -> &'a Value {
    analytics["funnel"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap()
}

#[tokio::test]
async fn forecast_and_funnel_equal_a_hand_computation_over_the_history() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Sales").await;
    let token = ws.owner_token.clone();
    let seller: Value = app
        .post_as("/v1/users", &token, &json!({
            "email": "seller@sales.example.com", "name": "Seller", "password": PASSWORD, "role": "agent"
        }))
        .await
        .json()
        .await
        .unwrap();
    let seller_id = seller["id"].as_str().unwrap().to_owned();
    let acme = account(&app, &ws, "Acme").await;
    let p = pipeline(&app, &token, "New business").await;
    let pid = p["id"].as_str().unwrap().to_owned();
    let (lead, qualified, proposal, won, lost) = (
        stage(&p, "Lead"),
        stage(&p, "Qualified"),
        stage(&p, "Proposal"),
        stage(&p, "Won"),
        stage(&p, "Lost"),
    );
    let t0 = (Utc::now() - Duration::days(100))
        .duration_trunc(Duration::hours(1))
        .unwrap();
    let day = |d: i64| ts(t0 + Duration::days(d));
    let new = |title: &str, amount: i64, currency: &str, source: Option<&str>, opened: i64| {
        json!({"account_id": acme, "title": title, "amount": amount, "currency": currency,
               "pipeline_id": pid, "source": source, "opened_at": day(opened)})
    };
    // D1: Lead 0-2, Qualified 2-5, Proposal 5-9, won on day 9.
    let d1 = deal(&app, &token, new("D1", 100_000, "EUR", Some("referral"), 0)).await;
    let d1 = d1["id"].as_str().unwrap().to_owned();
    moved(
        &app,
        &token,
        &d1,
        json!({"stage_id": qualified, "at": day(2)}),
    )
    .await;
    moved(
        &app,
        &token,
        &d1,
        json!({"stage_id": proposal, "at": day(5)}),
    )
    .await;
    moved(&app, &token, &d1, json!({"stage_id": won, "at": day(9)})).await;
    // D2: Lead 1-4, Qualified 4-10, lost on day 10.
    let d2 = deal(&app, &token, new("D2", 200_000, "EUR", Some("referral"), 1)).await;
    let d2 = d2["id"].as_str().unwrap().to_owned();
    moved(
        &app,
        &token,
        &d2,
        json!({"stage_id": qualified, "at": day(4)}),
    )
    .await;
    moved(
        &app,
        &token,
        &d2,
        json!({"stage_id": lost, "at": day(10), "lost_reason": "price"}),
    )
    .await;
    // D3 (the seller's, closing in March): Lead 3-4, Qualified 4-8, Proposal since day 8.
    let mut b3 = new("D3", 50_000, "EUR", Some("web"), 3);
    b3["owner_id"] = json!(seller_id);
    b3["expected_close_on"] = json!("2027-03-20");
    let d3 = deal(&app, &token, b3).await;
    let d3 = d3["id"].as_str().unwrap().to_owned();
    moved(
        &app,
        &token,
        &d3,
        json!({"stage_id": qualified, "at": day(4)}),
    )
    .await;
    moved(
        &app,
        &token,
        &d3,
        json!({"stage_id": proposal, "at": day(8)}),
    )
    .await;
    // D4: in Lead since day 2, in dollars, closing in April.
    let mut b4 = new("D4", 30_000, "USD", Some("web"), 2);
    b4["expected_close_on"] = json!("2027-04-02");
    deal(&app, &token, b4).await;
    // D5: Lead 1-3, then won directly (skipping stages), no source.
    let d5 = deal(&app, &token, new("D5", 80_000, "EUR", None, 1)).await;
    let d5 = d5["id"].as_str().unwrap().to_owned();
    moved(&app, &token, &d5, json!({"stage_id": won, "at": day(3)})).await;
    // D6: Lead 5-6, Qualified since day 6, closing in March.
    let mut b6 = new("D6", 25_000, "EUR", Some("web"), 5);
    b6["expected_close_on"] = json!("2027-03-01");
    let d6 = deal(&app, &token, b6).await;
    let d6 = d6["id"].as_str().unwrap().to_owned();
    moved(
        &app,
        &token,
        &d6,
        json!({"stage_id": qualified, "at": day(6)}),
    )
    .await;

    let from = ts(t0 - Duration::days(1));
    let to = ts(Utc::now() + Duration::hours(1));
    let res = app
        .get_as(
            &format!("/v1/analytics/pipeline?pipeline_id={pid}&from={from}&to={to}")
                .replace('+', "%2B"),
            &token,
        )
        .await;
    assert_eq!(res.status(), 200);
    let a: Value = res.json().await.unwrap();

    // Forecast: open deals are D3 (Proposal 70 %), D4 (Lead 10 %, USD) and D6 (Qualified 40 %).
    assert_eq!(
        a["forecast"]["total"],
        json!([
            {"currency": "EUR", "month": null, "owner_id": null, "deals": 2, "amount": 75_000, "weighted_amount": 35_000 + 10_000},
            {"currency": "USD", "month": null, "owner_id": null, "deals": 1, "amount": 30_000, "weighted_amount": 3_000}
        ])
    );
    assert_eq!(
        a["forecast"]["by_month"],
        json!([
            {"currency": "EUR", "month": "2027-03", "owner_id": null, "deals": 2, "amount": 75_000, "weighted_amount": 45_000},
            {"currency": "USD", "month": "2027-04", "owner_id": null, "deals": 1, "amount": 30_000, "weighted_amount": 3_000}
        ])
    );
    let mut by_owner = vec![
        json!({"currency": "EUR", "month": null, "owner_id": ws.owner_id, "deals": 1, "amount": 25_000, "weighted_amount": 10_000}),
        json!({"currency": "EUR", "month": null, "owner_id": seller_id, "deals": 1, "amount": 50_000, "weighted_amount": 35_000}),
    ];
    by_owner.sort_by_key(|b| b["owner_id"].as_str().unwrap().to_owned());
    by_owner.push(json!({"currency": "USD", "month": null, "owner_id": ws.owner_id, "deals": 1, "amount": 30_000, "weighted_amount": 3_000}));
    assert_eq!(a["forecast"]["by_owner"], json!(by_owner));

    // Funnel. Entries: Lead 6, Qualified 4 (D1 D2 D3 D6), Proposal 2 (D1 D3), Won 2 (D1 D5),
    // Lost 1 (D2). Furthest non-lost step: D4 Lead; D2, D6 Qualified; D3 Proposal; D1, D5
    // Won -> reached 6, 5, 3, 2.
    let expect = [
        ("Lead", 6, Some(6), Some(5.0 / 6.0), Some(2.0), 5), // stays 2 3 1 2 1 (D4 still there)
        ("Qualified", 4, Some(5), Some(3.0 / 5.0), Some(4.0), 3), // stays 3 6 4 (D6 still there)
        ("Proposal", 2, Some(3), Some(2.0 / 3.0), Some(4.0), 1), // D1 4 days (D3 still there)
        ("Won", 2, Some(2), None, None, 0),
        ("Lost", 1, None, None, None, 0),
    ];
    for (name, entries, reached, conversion, median, completed) in expect {
        let s = stage_row(&a, name);
        assert_eq!(s["entries"], entries, "{name} entries");
        assert_eq!(s["reached"], json!(reached), "{name} reached");
        match conversion {
            Some(c) => assert!(
                (s["conversion_to_next"].as_f64().unwrap() - c).abs() < 1e-9,
                "{name}: {s}"
            ),
            None => assert!(s["conversion_to_next"].is_null(), "{name}: {s}"),
        }
        assert_eq!(s["median_days_in_stage"], json!(median), "{name} median");
        assert_eq!(s["completed_stays"], completed, "{name} completed");
    }
    let f = &a["funnel"];
    assert_eq!((f["won"].clone(), f["lost"].clone()), (json!(2), json!(1)));
    assert!((f["win_rate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(
        f["won_amounts"],
        json!([{"currency": "EUR", "won": 2, "amount": 180_000, "average_amount": 90_000}])
    );
    assert_eq!(
        f["by_source"],
        json!([
            {"source": null, "won": 1, "lost": 0, "win_rate": 1.0},
            {"source": "referral", "won": 1, "lost": 1, "win_rate": 0.5}
        ])
    );

    // A later period: from day 7, only D3's entry into Proposal, D1's win and D2's loss.
    let res = app
        .get_as(
            &format!(
                "/v1/analytics/pipeline?pipeline_id={pid}&from={}&to={to}",
                day(7)
            )
            .replace('+', "%2B"),
            &token,
        )
        .await;
    let late: Value = res.json().await.unwrap();
    let entries: Vec<i64> = late["funnel"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["entries"].as_i64().unwrap())
        .collect();
    assert_eq!(entries, vec![0, 0, 1, 1, 1]);
    assert_eq!(late["funnel"]["win_rate"], 0.5);
    assert_eq!(late["forecast"], a["forecast"], "the forecast is about now");
    // Furthest step in the period: D1 Won, D3 Proposal (D2 only entered Lost).
    assert_eq!(
        reached(&late),
        vec![json!(2), json!(2), json!(2), json!(1), Value::Null]
    );

    // A period in the middle of every history, starting and ending mid-day: day 3 to day 6.
    // Entries: Lead D3 D6, Qualified D2 D3, Proposal D1, Won D5. Furthest: D1 Proposal, D2
    // and D3 Qualified, D5 Won, D6 Lead. Ended stays: Lead 1 1 day, Qualified 6 4, Proposal 4.
    let mid = analytics(&app, &token, &pid, &day(3), &day(6)).await;
    let expect = [
        ("Lead", 2, json!(5), json!(1.0), 2),
        ("Qualified", 2, json!(4), json!(5.0), 2),
        ("Proposal", 1, json!(2), json!(4.0), 1),
        ("Won", 1, json!(1), Value::Null, 0),
        ("Lost", 0, Value::Null, Value::Null, 0),
    ];
    for (name, entries, reached, median, completed) in expect {
        let s = stage_row(&mid, name);
        assert_eq!(s["entries"], entries, "{name} entries");
        assert_eq!(s["reached"], reached, "{name} reached");
        assert_eq!(s["median_days_in_stage"], median, "{name} median");
        assert_eq!(s["completed_stays"], completed, "{name} completed");
    }
    // From day 1: D1 reaches out before the period (its Lead entry does not count), the
    // others lie wholly inside; the furthest steps are the same as over the whole history.
    let from_day_1 = analytics(&app, &token, &pid, &day(1), &to).await;
    assert_eq!(stage_row(&from_day_1, "Lead")["entries"], 5);
    assert_eq!(
        reached(&from_day_1),
        vec![json!(6), json!(5), json!(3), json!(2), Value::Null]
    );

    // The same numbers over GraphQL.
    let gql = app
        .graphql_as(
            &token,
            "query($p: ID!, $from: DateTime, $to: DateTime) { pipelineAnalytics(pipelineId: $p, from: $from, to: $to) {
                forecast { total { currency deals amount weightedAmount } }
                funnel { winRate stages { name entries reached medianDaysInStage } } } }",
            json!({"p": pid, "from": from, "to": to}),
        )
        .await;
    let g = &gql["data"]["pipelineAnalytics"];
    assert_eq!(
        g["forecast"]["total"][0]["weightedAmount"], "45000",
        "{gql}"
    );
    assert_eq!(g["funnel"]["stages"][1]["reached"], 5);
    assert_eq!(g["funnel"]["stages"][0]["medianDaysInStage"], 2.0);
    let _ = (lead, d6);
}

#[tokio::test]
async fn moves_follow_the_rules_and_leave_a_history() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Rules").await;
    let token = ws.owner_token.clone();
    let acme = account(&app, &ws, "Acme").await;
    let p = pipeline(&app, &token, "Main").await;
    let other = pipeline(&app, &token, "Other").await;
    let d = deal(
        &app,
        &token,
        json!({"account_id": acme, "title": "Big one", "amount": 10_000, "currency": "eur", "pipeline_id": p["id"]}),
    )
    .await;
    let id = d["id"].as_str().unwrap().to_owned();
    assert_eq!(
        d["stage_id"],
        stage(&p, "Lead").as_str(),
        "starts in the first stage"
    );
    assert_eq!(d["status"], "open");
    assert_eq!(d["currency"], "EUR");
    assert_eq!(d["owner_id"], ws.owner_id.as_str(), "owned by its creator");

    let res = move_to(
        &app,
        &token,
        &id,
        json!({"stage_id": stage(&other, "Qualified")}),
    )
    .await;
    let problem = assert_problem(res, 422, "stage_not_in_pipeline").await;
    assert_eq!(problem["errors"][0]["field"], "stage_id");
    let res = move_to(&app, &token, &id, json!({"stage_id": stage(&p, "Lead")})).await;
    assert_problem(res, 422, "already_in_stage").await;
    let res = move_to(&app, &token, &id, json!({"stage_id": stage(&p, "Lost")})).await;
    assert_problem(res, 422, "lost_reason_required").await;
    let res = move_to(
        &app,
        &token,
        &id,
        json!({"stage_id": stage(&p, "Won"), "lost_reason": "x"}),
    )
    .await;
    assert_problem(res, 422, "validation_failed").await;
    let res = move_to(&app, &token, &id, json!({"stage_id": "nope"})).await;
    assert_problem(res, 422, "validation_failed").await;
    // The stage changes only by a move.
    let res = app
        .send(
            Method::PATCH,
            &format!("/v1/deals/{id}"),
            &token,
            Some(&json!({"stage_id": stage(&p, "Won")})),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;

    let q = moved(
        &app,
        &token,
        &id,
        json!({"stage_id": stage(&p, "Qualified")}),
    )
    .await;
    assert_eq!(q["version"], 2);
    let l = moved(
        &app,
        &token,
        &id,
        json!({"stage_id": stage(&p, "Lost"), "lost_reason": " Went with a competitor "}),
    )
    .await;
    assert_eq!(l["status"], "lost");
    assert_eq!(l["lost_reason"], "Went with a competitor");
    assert!(l["closed_at"].is_string());
    let res = move_to(
        &app,
        &token,
        &id,
        json!({"stage_id": stage(&p, "Proposal")}),
    )
    .await;
    assert_problem(res, 409, "deal_closed").await;
    let res = app
        .post_as(
            &format!("/v1/deals/{id}/reopen"),
            &token,
            &json!({"stage_id": stage(&p, "Won")}),
        )
        .await;
    assert_problem(res, 422, "stage_not_open").await;
    let r: Value = app
        .post_as(
            &format!("/v1/deals/{id}/reopen"),
            &token,
            &json!({"stage_id": stage(&p, "Proposal")}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["status"], "open");
    assert!(r["closed_at"].is_null() && r["lost_reason"].is_null());
    let res = app
        .post_as(
            &format!("/v1/deals/{id}/reopen"),
            &token,
            &json!({"stage_id": stage(&p, "Lead")}),
        )
        .await;
    assert_problem(res, 409, "deal_not_closed").await;
    let w = moved(&app, &token, &id, json!({"stage_id": stage(&p, "Won")})).await;
    assert_eq!(w["status"], "won");

    let history: Value = app
        .get_as(&format!("/v1/deals/{id}/history"), &token)
        .await
        .json()
        .await
        .unwrap();
    let steps: Vec<(Value, Value)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["from_stage_id"].clone(), h["to_stage_id"].clone()))
        .collect();
    let s = |n: &str| json!(stage(&p, n));
    assert_eq!(
        steps,
        vec![
            (Value::Null, s("Lead")),
            (s("Lead"), s("Qualified")),
            (s("Qualified"), s("Lost")),
            (s("Lost"), s("Proposal")),
            (s("Proposal"), s("Won")),
        ]
    );
    let entries = history.as_array().unwrap();
    assert_eq!(entries[2]["lost_reason"], "Went with a competitor");
    assert!(entries
        .iter()
        .all(|h| h["actor_type"] == "user" && h["actor_id"] == ws.owner_id.as_str()));
    assert!(entries[..4].iter().all(|h| h["left_at"].is_string()));
    assert!(entries[4]["left_at"].is_null());

    // A move back in time before the current stage began is refused.
    let res = app
        .post_as(
            &format!("/v1/deals/{id}/reopen"),
            &token,
            &json!({"stage_id": stage(&p, "Lead"), "at": ts(Utc::now() - Duration::days(3))}),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;
}

#[tokio::test]
async fn of_two_concurrent_wins_from_the_same_version_exactly_one_succeeds() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Race").await;
    let token = ws.owner_token.clone();
    let acme = account(&app, &ws, "Acme").await;
    let p = pipeline(&app, &token, "Main").await;
    for round in 0..5 {
        let d = deal(
            &app,
            &token,
            json!({"account_id": acme, "title": format!("Race {round}"), "amount": 1, "currency": "EUR", "pipeline_id": p["id"]}),
        )
        .await;
        let id = d["id"].as_str().unwrap().to_owned();
        let win = |key: &'static str| {
            app.http
                .post(app.url(&format!("/v1/deals/{id}/move")))
                .bearer_auth(&token)
                .header("If-Match", "\"v1\"")
                .header("Idempotency-Key", format!("{key}-{round}"))
                .json(&json!({"stage_id": stage(&p, "Won")}))
                .send()
        };
        let (a, b) = tokio::join!(win("first"), win("second"));
        let mut statuses = vec![a.unwrap().status().as_u16(), b.unwrap().status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, vec![200, 412], "round {round}");
        let history: Value = app
            .get_as(&format!("/v1/deals/{id}/history"), &token)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            history.as_array().unwrap().len(),
            2,
            "one creation, one win"
        );
    }
}

#[tokio::test]
async fn a_retried_win_is_answered_from_the_first_and_recorded_once() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Retry").await;
    let token = ws.owner_token.clone();
    let acme = account(&app, &ws, "Acme").await;
    let p = pipeline(&app, &token, "Main").await;
    let d = deal(&app, &token, json!({"account_id": acme, "title": "T", "amount": 5, "currency": "EUR", "pipeline_id": p["id"]})).await;
    let id = d["id"].as_str().unwrap().to_owned();
    let send = || {
        app.http
            .post(app.url(&format!("/v1/deals/{id}/move")))
            .bearer_auth(&token)
            .header("Idempotency-Key", "win-once")
            .json(&json!({"stage_id": stage(&p, "Won")}))
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["etag"], "\"v2\"");
    let first: Value = first.json().await.unwrap();
    let again = send().await.unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let history: Value = app
        .get_as(&format!("/v1/deals/{id}/history"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history.as_array().unwrap().len(), 2);

    // The win is one order on the account, however often it is retried or re-won.
    async fn metrics(app: &TestApp, token: &str, account: &str) -> (Value, Value) {
        let p: Value = app
            .get_as(&format!("/v1/accounts/{account}/profile"), token)
            .await
            .json()
            .await
            .unwrap();
        (
            p["metrics"]["orders_count"].clone(),
            p["metrics"]["revenue"].clone(),
        )
    }
    assert_eq!(
        metrics(&app, &token, &acme).await,
        (json!(1), json!(6)),
        "5 EUR at 1.10 USD"
    );
    let res = app
        .post_as(
            &format!("/v1/deals/{id}/reopen"),
            &token,
            &json!({"stage_id": stage(&p, "Lead")}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = move_to(&app, &token, &id, json!({"stage_id": stage(&p, "Won")})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        metrics(&app, &token, &acme).await,
        (json!(1), json!(6)),
        "re-winning never counts twice"
    );
    let orders: Value = app
        .get_as(&format!("/v1/orders?external_id=deal:{id}"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(orders["data"][0]["source"], "deal");
}

#[tokio::test]
async fn pipelines_add_rename_reorder_and_archive_stages_without_losing_history() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Config").await;
    let token = ws.owner_token.clone();
    let acme = account(&app, &ws, "Acme").await;
    let p = pipeline(&app, &token, "Main").await;
    assert_eq!(p["version"], 1);
    let pid = p["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/pipelines/{pid}");
    let d = deal(&app, &token, json!({"account_id": acme, "title": "T", "amount": 5, "currency": "EUR", "pipeline_id": pid, "stage_id": stage(&p, "Qualified")})).await;
    assert_eq!(d["stage_id"], stage(&p, "Qualified").as_str());

    // Validation names each bad field.
    let res = app
        .post_as("/v1/pipelines", &token, &json!({"name": "", "stages": [{"name": "A", "probability": 101, "kind": "open"}, {"name": "B", "kind": "maybe"}]}))
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["name", "stages[0].probability", "stages[1].kind"]
    );
    let res = app
        .post_as(
            "/v1/pipelines",
            &token,
            &json!({"name": "X", "stages": [{"name": "Won", "kind": "won"}]}),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;

    // Rename Lead, add Demo after Qualified, put Proposal first, drop Lost (archived).
    let stages = json!([
        {"id": stage(&p, "Proposal"), "name": "Proposal", "probability": 60},
        {"id": stage(&p, "Lead"), "name": "Prospect", "probability": 5},
        {"id": stage(&p, "Qualified"), "name": "Qualified", "probability": 40},
        {"name": "Demo", "probability": 50, "kind": "open"},
        {"id": stage(&p, "Won"), "name": "Won"}
    ]);
    let res = app
        .http
        .patch(app.url(&path))
        .bearer_auth(&token)
        .header("If-Match", "\"v1\"")
        .json(&json!({"name": "Main 2", "stages": stages}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let p2: Value = res.json().await.unwrap();
    assert_eq!(p2["name"], "Main 2");
    assert_eq!(p2["version"], 2);
    let names: Vec<&str> = p2["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["Proposal", "Prospect", "Qualified", "Demo", "Won"]
    );
    let positions: Vec<i64> = p2["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, vec![0, 1, 2, 3, 4]);
    assert_eq!(p2["archived_stages"][0]["name"], "Lost");
    assert_eq!(p2["archived_stages"][0]["archived"], true);
    assert_eq!(
        p2["stages"][1]["id"],
        stage(&p, "Lead").as_str(),
        "renamed, same id"
    );

    // A stale version is refused; a stage holding a deal cannot be archived.
    let res = app
        .http
        .patch(app.url(&path))
        .bearer_auth(&token)
        .header("If-Match", "\"v1\"")
        .json(&json!({"name": "Stale"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 412, "precondition_failed").await;
    let without_qualified: Vec<Value> = p2["stages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["name"] != "Qualified")
        .map(|s| json!({"id": s["id"], "name": s["name"], "probability": s["probability"]}))
        .collect();
    let res = app
        .send(
            Method::PATCH,
            &path,
            &token,
            Some(&json!({"stages": without_qualified})),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert!(problem["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("still holds 1 deal"));
    // The kind of a stage never changes; moving into an archived stage is refused.
    let mut kinds = p2["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| json!({"id": s["id"], "name": s["name"], "probability": s["probability"]}))
        .collect::<Vec<_>>();
    kinds[0]["kind"] = json!("won");
    let res = app
        .send(
            Method::PATCH,
            &path,
            &token,
            Some(&json!({"stages": kinds})),
        )
        .await;
    assert_problem(res, 422, "validation_failed").await;
    let res = move_to(
        &app,
        &token,
        d["id"].as_str().unwrap(),
        json!({"stage_id": stage(&p, "Lost"), "lost_reason": "x"}),
    )
    .await;
    assert_problem(res, 422, "stage_archived").await;

    // Archiving the pipeline hides it from lists; it takes no new deal; GET still works.
    let res = app.send(Method::DELETE, &path, &token, None).await;
    assert_eq!(res.status(), 204);
    let list: Value = app
        .get_as("/v1/pipelines", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 0);
    let list: Value = app
        .get_as("/v1/pipelines?include_archived=true", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"][0]["archived"], true);
    let res = app.post_as("/v1/deals", &token, &json!({"account_id": acme, "title": "T", "amount": 5, "currency": "EUR", "pipeline_id": pid})).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "pipeline_id");

    // Agents may work deals but not reshape pipelines.
    app.post_as("/v1/users", &token, &json!({"email": "agent@config.example.com", "name": "Agent", "password": PASSWORD, "role": "agent"})).await;
    let agent = app.login("agent@config.example.com", PASSWORD).await;
    let res = app
        .post_as(
            "/v1/pipelines",
            agent["access_token"].as_str().unwrap(),
            &json!({"name": "Mine", "stages": [{"name": "A", "probability": 5, "kind": "open"}]}),
        )
        .await;
    assert_problem(res, 403, "not_allowed").await;
}

#[tokio::test]
async fn the_funnel_follows_the_current_stage_order_after_a_reorder() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Reorder").await;
    let token = ws.owner_token.clone();
    let acme = account(&app, &ws, "Acme").await;
    let p = pipeline(&app, &token, "Main").await;
    let pid = p["id"].as_str().unwrap().to_owned();
    let t0 = (Utc::now() - Duration::days(10))
        .duration_trunc(Duration::hours(1))
        .unwrap();
    let day = |d: i64| ts(t0 + Duration::days(d));
    let new = |title: &str| {
        json!({"account_id": acme, "title": title, "amount": 100, "currency": "EUR",
               "pipeline_id": pid, "opened_at": day(0)})
    };
    let id = |v: Value| v["id"].as_str().unwrap().to_owned();
    // D1: Lead, Proposal (day 1). D2: Lead, Qualified (day 1), Lost (day 2). D3: Lead.
    let d1 = id(deal(&app, &token, new("D1")).await);
    moved(
        &app,
        &token,
        &d1,
        json!({"stage_id": stage(&p, "Proposal"), "at": day(1)}),
    )
    .await;
    let d2 = id(deal(&app, &token, new("D2")).await);
    moved(
        &app,
        &token,
        &d2,
        json!({"stage_id": stage(&p, "Qualified"), "at": day(1)}),
    )
    .await;
    moved(
        &app,
        &token,
        &d2,
        json!({"stage_id": stage(&p, "Lost"), "at": day(2), "lost_reason": "price"}),
    )
    .await;
    deal(&app, &token, new("D3")).await;
    let (from, to) = (
        ts(t0 - Duration::days(1)),
        ts(Utc::now() + Duration::hours(1)),
    );
    let before = analytics(&app, &token, &pid, &from, &to).await;
    assert_eq!(
        reached(&before),
        vec![json!(3), json!(2), json!(1), json!(0), Value::Null]
    );

    // Proposal before Qualified, a new Demo stage, Lost archived.
    let stages = json!([
        {"id": stage(&p, "Lead"), "name": "Lead"},
        {"id": stage(&p, "Proposal"), "name": "Proposal"},
        {"id": stage(&p, "Qualified"), "name": "Qualified"},
        {"name": "Demo", "probability": 80, "kind": "open"},
        {"id": stage(&p, "Won"), "name": "Won"}
    ]);
    let res = app
        .send(
            Method::PATCH,
            &format!("/v1/pipelines/{pid}"),
            &token,
            Some(&json!({"stages": stages})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let p2: Value = res.json().await.unwrap();
    let after = analytics(&app, &token, &pid, &from, &to).await;
    let names: Vec<&str> = after["funnel"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["Lead", "Proposal", "Qualified", "Demo", "Won", "Lost"]
    );
    // Furthest now: D1 Proposal (step 1), D2 Qualified (step 2), D3 Lead.
    assert_eq!(
        reached(&after),
        vec![
            json!(3),
            json!(2),
            json!(1),
            json!(0),
            json!(0),
            Value::Null
        ]
    );
    assert_eq!(
        stage_row(&after, "Lost")["entries"],
        1,
        "archived stages keep their history"
    );
    assert_eq!(stage_row(&after, "Lost")["archived"], true);

    // D1 moves into the new stage, the furthest of the open ones.
    moved(
        &app,
        &token,
        &d1,
        json!({"stage_id": stage(&p2, "Demo"), "at": day(3)}),
    )
    .await;
    let after = analytics(&app, &token, &pid, &from, &to).await;
    assert_eq!(
        reached(&after),
        vec![
            json!(3),
            json!(2),
            json!(2),
            json!(1),
            json!(0),
            Value::Null
        ]
    );
    let entries: Vec<i64> = after["funnel"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["entries"].as_i64().unwrap())
        .collect();
    assert_eq!(entries, vec![3, 1, 1, 1, 0, 1]);
    // From day 1, D3 (all of it on day 0) drops out; D1 and D2 count from their moves.
    let later = analytics(&app, &token, &pid, &day(1), &to).await;
    assert_eq!(
        reached(&later),
        vec![
            json!(2),
            json!(2),
            json!(2),
            json!(1),
            json!(0),
            Value::Null
        ]
    );
}

#[tokio::test]
async fn deals_filter_and_page_and_need_their_scopes() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Lists").await;
    let token = ws.owner_token.clone();
    let acme = account(&app, &ws, "Acme").await;
    let globex = account(&app, &ws, "Globex").await;
    let p = pipeline(&app, &token, "Main").await;
    let mut ids = Vec::new();
    for i in 0..7 {
        let account = if i % 2 == 0 { &acme } else { &globex };
        let d = deal(&app, &token, json!({"account_id": account, "title": format!("Deal {i}"), "amount": 100 * i, "currency": "EUR",
            "pipeline_id": p["id"], "expected_close_on": format!("2027-01-{:02}", i + 1)})).await;
        ids.push(d["id"].as_str().unwrap().to_owned());
    }
    moved(&app, &token, &ids[1], json!({"stage_id": stage(&p, "Won")})).await;

    // Keyset pages walk every deal once, oldest first.
    let mut seen = Vec::new();
    let mut next = String::new();
    loop {
        let page: Value = app
            .get_as(&format!("/v1/deals?limit=3{next}"), &token)
            .await
            .json()
            .await
            .unwrap();
        seen.extend(
            page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["id"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => next = format!("&after={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ids);

    let count = |q: &'static str| {
        let app = &app;
        let token = token.clone();
        async move {
            let res = app.get_as(&format!("/v1/deals?{q}"), &token).await;
            assert_eq!(res.status(), 200, "{q}");
            res.json::<Value>().await.unwrap()["data"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(count("status=won").await, 1);
    assert_eq!(count("status=open").await, 6);
    assert_eq!(
        count("expected_close_from=2027-01-03&expected_close_to=2027-01-05").await,
        3
    );
    assert_eq!(
        app.get_as(&format!("/v1/deals?stage_id={}", stage(&p, "Lead")), &token)
            .await
            .json::<Value>()
            .await
            .unwrap()["data"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert_eq!(
        app.get_as(&format!("/v1/deals?owner_id={}", ws.owner_id), &token)
            .await
            .json::<Value>()
            .await
            .unwrap()["data"]
            .as_array()
            .unwrap()
            .len(),
        7
    );
    let res = app.get_as("/v1/deals?status=pending", &token).await;
    assert_problem(res, 422, "validation_failed").await;

    let acme_deals: Value = app
        .get_as(&format!("/v1/accounts/{acme}/deals"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(acme_deals["data"].as_array().unwrap().len(), 4);
    let res = app
        .get_as(
            "/v1/accounts/00000000-0000-7000-8000-000000000000/deals",
            &token,
        )
        .await;
    assert_problem(res, 404, "not_found").await;

    // PATCH with If-Match; ETag follows the version.
    let path = format!("/v1/deals/{}", ids[0]);
    let res = app
        .http
        .patch(app.url(&path))
        .bearer_auth(&token)
        .header("If-Match", "\"v1\"")
        .json(&json!({"amount": 999, "source": "partner"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], "\"v2\"");
    let res = app
        .http
        .patch(app.url(&path))
        .bearer_auth(&token)
        .header("If-Match", "\"v1\"")
        .json(&json!({"amount": 1}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 412, "precondition_failed").await;
    let res = app
        .http
        .delete(app.url(&path))
        .bearer_auth(&token)
        .header("If-Match", "\"v2\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_problem(app.get_as(&path, &token).await, 404, "not_found").await;

    // Scopes: reading deals is not reading analytics; writing needs deals:write.
    let (_, reader) = app.api_key(&ws, &["deals:read"]).await;
    assert_eq!(app.get_as("/v1/deals", &reader).await.status(), 200);
    let res = app
        .get_as(
            &format!(
                "/v1/analytics/pipeline?pipeline_id={}",
                p["id"].as_str().unwrap()
            ),
            &reader,
        )
        .await;
    assert_problem(res, 403, "insufficient_scope").await;
    let res = move_to(
        &app,
        &reader,
        &ids[2],
        json!({"stage_id": stage(&p, "Won")}),
    )
    .await;
    assert_problem(res, 403, "insufficient_scope").await;
    let res = app.get_as("/v1/analytics/pipeline", &token).await;
    assert_problem(res, 422, "validation_failed").await;
}

#[tokio::test]
async fn graphql_creates_moves_and_lists_deals() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Graph").await;
    let token = ws.owner_token.clone();
    let acme = account(&app, &ws, "Acme").await;
    let res = app
        .send(
            reqwest::Method::PATCH,
            "/v1/workspace/value-settings",
            &token,
            Some(&json!({"exchange_rates": {"EUR": "1.10"}})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let created = app
        .graphql_as(&token, r#"mutation { createPipeline(input: {name: "G", stages: [
                {name: "Open", probability: 20, kind: "open"}, {name: "Won", kind: "won"}, {name: "Lost", kind: "lost"}]}) {
                id version stages { id name kind probability } } }"#, json!({}))
        .await;
    let p = &created["data"]["createPipeline"];
    let pid = p["id"].as_str().unwrap();
    let won = p["stages"][1]["id"].as_str().unwrap();
    assert_eq!(p["stages"][1]["probability"], 100, "{created}");
    let d = app
        .graphql_as(&token, "mutation($a: ID!, $p: ID!) { createDeal(input: {accountId: $a, title: \"GQL\", amount: 700, currency: \"EUR\", pipelineId: $p}, idempotencyKey: \"k1\") { id version status } }",
            json!({"a": acme, "p": pid}))
        .await;
    let id = d["data"]["createDeal"]["id"].as_str().unwrap().to_owned();
    let m = app
        .graphql_as(&token, "mutation($id: ID!, $s: ID!) { moveDeal(id: $id, stageId: $s, ifVersion: 1) { status version history { fromStageId toStageId } } }",
            json!({"id": id, "s": won}))
        .await;
    assert_eq!(m["data"]["moveDeal"]["status"], "won", "{m}");
    assert_eq!(
        m["data"]["moveDeal"]["history"].as_array().unwrap().len(),
        2
    );
    let stale = app
        .graphql_as(&token, "mutation($id: ID!, $s: ID!) { moveDeal(id: $id, stageId: $s, ifVersion: 1) { status } }",
            json!({"id": id, "s": won}))
        .await;
    assert_eq!(
        stale["errors"][0]["extensions"]["code"],
        "precondition_failed"
    );
    let list = app
        .graphql_as(&token, "query($p: ID) { deals(first: 10, filter: {pipelineId: $p, status: \"won\"}) { edges { node { id amount } } pageInfo { hasNextPage } } pipelines { edges { node { name } } } }",
            json!({"p": pid}))
        .await;
    assert_eq!(
        list["data"]["deals"]["edges"][0]["node"]["id"],
        id.as_str(),
        "{list}"
    );
    assert_eq!(list["data"]["pipelines"]["edges"][0]["node"]["name"], "G");
}
