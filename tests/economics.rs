//! Customer economics end to end: retention cohorts and churn/growth accounting equal a hand
//! computation on a small fixed data set (with a full and a partial refund and a
//! reactivation), over REST, CSV and GraphQL alike, per workspace, with 422s naming bad
//! parameters.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{assert_problem, TestApp};
use serde_json::{json, Value};

async fn account(app: &TestApp, t: &str, name: &str, channel: Option<&str>) -> String {
    let mut body = json!({"kind": "person", "name": name});
    if let Some(c) = channel {
        body["acquisition_channel"] = json!(c);
    }
    let res = app.post_as("/v1/accounts", t, &body).await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn order(
    app: &TestApp,
    t: &str,
    account: &str,
    amount: i64,
    cost: Option<i64>,
    at: &str,
) -> String {
    let mut body = json!({
        "account_id": account, "external_id": format!("{account}-{at}"), "amount": amount,
        "currency": "USD", "occurred_at": at,
    });
    if let Some(c) = cost {
        body["cost"] = json!(c);
    }
    let res = app.post_as("/v1/orders", t, &body).await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn refund(app: &TestApp, t: &str, order: &str, amount: Option<i64>) {
    let body = match amount {
        Some(a) => json!({"amount": a}),
        None => json!({}),
    };
    let res = app
        .post_as(&format!("/v1/orders/{order}/refund"), t, &body)
        .await;
    assert!(res.status().is_success(), "refund: {}", res.status());
}

/// The fixed data set (USD, default margin 30 % on orders without a cost):
/// - A (ads): Jan 5 10000 cost 6000; Feb 10 5000 cost 2000, 1000 refunded; Apr 3 2000.
/// - B (ads): Jan 20 8000; Mar 15 4000 cost 1000 (reactivated in March).
/// - C (referral): Jan 25 6000 cost 3000, fully refunded (so C's first purchase is Feb 2);
///   Feb 2 3000 cost 1000; Mar 1 1000.
/// - D (no channel): Feb 14 7000 cost 5000.
/// - E (referral): Mar 3 2000.
async fn seed(app: &TestApp, t: &str) {
    let a = account(app, t, "A", Some("ads")).await;
    let b = account(app, t, "B", Some("ads")).await;
    let c = account(app, t, "C", Some("referral")).await;
    let d = account(app, t, "D", None).await;
    let e = account(app, t, "E", Some("referral")).await;
    order(app, t, &a, 10000, Some(6000), "2026-01-05T10:00:00Z").await;
    let a_feb = order(app, t, &a, 5000, Some(2000), "2026-02-10T10:00:00Z").await;
    order(app, t, &a, 2000, None, "2026-04-03T10:00:00Z").await;
    order(app, t, &b, 8000, None, "2026-01-20T10:00:00Z").await;
    order(app, t, &b, 4000, Some(1000), "2026-03-15T23:59:59Z").await;
    let c_jan = order(app, t, &c, 6000, Some(3000), "2026-01-25T10:00:00Z").await;
    order(app, t, &c, 3000, Some(1000), "2026-02-02T00:00:00Z").await;
    order(app, t, &c, 1000, None, "2026-03-01T10:00:00Z").await;
    order(app, t, &d, 7000, Some(5000), "2026-02-14T10:00:00Z").await;
    order(app, t, &e, 2000, None, "2026-03-03T10:00:00Z").await;
    refund(app, t, &a_feb, Some(1000)).await;
    refund(app, t, &c_jan, None).await;
}

const RANGE: &str = "from=2026-01-01&to=2026-04-30";

/// `(active, rolling, revenue, margin, cumulative revenue per customer, cumulative margin
/// per customer)` of each period of a cohort.
fn cells(cohort: &Value) -> Vec<(i64, i64, i64, i64, i64, i64)> {
    cohort["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let n = |k: &str| p[k].as_i64().unwrap();
            (
                n("active_customers"),
                n("rolling_customers"),
                n("revenue"),
                n("margin"),
                n("cumulative_revenue_per_customer"),
                n("cumulative_margin_per_customer"),
            )
        })
        .collect()
}

#[tokio::test]
async fn monthly_cohorts_equal_the_hand_computation() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Cohorts").await;
    let t = &ws.owner_token;
    seed(&app, t).await;

    let res = app
        .get_as(&format!("/v1/analytics/cohorts?{RANGE}"), t)
        .await;
    assert_eq!(res.status(), 200);
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["currency"], "USD");
    assert_eq!(r["period"], "month");
    assert_eq!(r["starts_at"], "2026-01-01T00:00:00Z");
    assert_eq!(r["ends_before"], "2026-05-01T00:00:00Z");
    let cohorts = r["cohorts"].as_array().unwrap();
    let names: Vec<&str> = cohorts
        .iter()
        .map(|c| c["cohort"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["2026-01", "2026-02", "2026-03", "2026-04"]);
    let sizes: Vec<i64> = cohorts
        .iter()
        .map(|c| c["customers"].as_i64().unwrap())
        .collect();
    assert_eq!(sizes, [2, 2, 1, 0]);

    // January: A and B (C's January order was refunded in full).
    // Jan: 10000 (cost 6000) + 8000 (30 %: 2400) -> margin 6400; Feb: A's 4000 net, cost
    // 2000 * 4/5 = 1600 -> 2400; Mar: B 4000 cost 1000 -> 3000; Apr: A 2000 -> 600.
    assert_eq!(
        cells(&cohorts[0]),
        [
            (2, 2, 18000, 6400, 9000, 3200),
            (1, 2, 4000, 2400, 11000, 4400),
            (1, 2, 4000, 3000, 13000, 5900),
            (1, 1, 2000, 600, 14000, 6200),
        ]
    );
    let jan = &cohorts[0]["periods"];
    assert_eq!(jan[0]["retention"], 1.0);
    assert_eq!(jan[1]["retention"], 0.5);
    assert_eq!(jan[1]["rolling_retention"], 1.0);
    assert_eq!(jan[3]["rolling_retention"], 0.5);
    assert_eq!(jan[3]["cumulative_revenue"], 28000);
    assert_eq!(jan[3]["cumulative_margin"], 12400);
    assert_eq!(jan[2]["period"], "2026-03");
    assert_eq!(jan[2]["period_number"], 2);
    assert_eq!(jan[2]["starts_at"], "2026-03-01T00:00:00Z");
    assert_eq!(jan[2]["ends_before"], "2026-04-01T00:00:00Z");
    // February: C (3000 cost 1000, then 1000 in March) and D (7000 cost 5000).
    assert_eq!(
        cells(&cohorts[1]),
        [
            (2, 2, 10000, 4000, 5000, 2000),
            (1, 1, 1000, 300, 5500, 2150),
            (0, 0, 0, 0, 5500, 2150),
        ]
    );
    assert_eq!(
        cells(&cohorts[2]),
        [(1, 1, 2000, 600, 2000, 600), (0, 0, 0, 0, 2000, 600)]
    );
    // An empty cohort is there, with zeros.
    assert_eq!(cells(&cohorts[3]), [(0, 0, 0, 0, 0, 0)]);
    assert_eq!(cohorts[3]["periods"][0]["retention"], 0.0);

    // By acquisition channel: ads = {A, B} in January, referral = {C} in February and
    // {E} in March, no channel = {D} in February.
    let r: Value = app
        .get_as(
            &format!("/v1/analytics/cohorts?{RANGE}&group_by=acquisition_channel"),
            t,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["group_by"], "acquisition_channel");
    let find = |channel: Value, cohort: &str| -> Value {
        r["cohorts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["acquisition_channel"] == channel && c["cohort"] == cohort)
            .cloned()
            .unwrap_or_else(|| panic!("no cohort {channel} {cohort} in {r}"))
    };
    assert_eq!(
        cells(&find(json!("ads"), "2026-01"))[0],
        (2, 2, 18000, 6400, 9000, 3200)
    );
    assert_eq!(find(json!("ads"), "2026-02")["customers"], 0);
    assert_eq!(
        cells(&find(json!("referral"), "2026-02")),
        [
            (1, 1, 3000, 2000, 3000, 2000),
            (1, 1, 1000, 300, 4000, 2300),
            (0, 0, 0, 0, 4000, 2300)
        ]
    );
    assert_eq!(find(json!("referral"), "2026-03")["customers"], 1);
    assert_eq!(
        cells(&find(Value::Null, "2026-02"))[0],
        (1, 1, 7000, 2000, 7000, 2000)
    );
    assert_eq!(r["cohorts"].as_array().unwrap().len(), 3 * 4);

    // Weekly: A's first order (Mon 2026-01-05) opens week 2026-W02.
    let r: Value = app
        .get_as(
            "/v1/analytics/cohorts?period=week&from=2026-01-05&to=2026-01-11",
            t,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["starts_at"], "2026-01-05T00:00:00Z");
    assert_eq!(r["ends_before"], "2026-01-12T00:00:00Z");
    assert_eq!(r["cohorts"][0]["cohort"], "2026-W02");
    assert_eq!(cells(&r["cohorts"][0]), [(1, 1, 10000, 4000, 10000, 4000)]);
}

#[tokio::test]
async fn churn_and_growth_accounting_equal_the_hand_computation() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Churn").await;
    let t = &ws.owner_token;
    seed(&app, t).await;

    let r: Value = app
        .get_as(&format!("/v1/analytics/churn?{RANGE}&inactive_days=30"), t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["currency"], "USD");
    assert_eq!(r["inactive_days"], 30);
    assert_eq!(r["starts_at"], "2026-01-01T00:00:00Z");
    assert_eq!(r["ends_before"], "2026-05-01T00:00:00Z");
    // A, B, C, D, E acquired; A, B and C bought again.
    assert_eq!(
        r["repeat"],
        json!({"customers": 5, "repeat_customers": 3, "repeat_purchase_rate": 0.6})
    );
    let rows: Vec<[i64; 9]> = r["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let n = |k: &str| p[k].as_i64().unwrap();
            [
                n("active_customers"),
                n("new_customers"),
                n("retained_customers"),
                n("reactivated_customers"),
                n("lost_customers"),
                n("customers_at_start"),
                n("churned_customers"),
                n("customers_at_end"),
                0,
            ]
        })
        .collect();
    // Jan: A, B new. Feb: A retained, C and D new, B lost. Mar: C retained, B reactivated,
    // E new, A and D lost. Apr: A reactivated; B, C, E lost.
    // 30 days without an order: B churns in Feb (last Jan 20); A (Feb 10), C (Mar 1, not
    // within Mar 2-31) and D in March; B (Mar 15) and E (Mar 3) in April.
    assert_eq!(
        rows,
        [
            [2, 2, 0, 0, 0, 0, 0, 2, 0],
            [3, 2, 1, 0, 1, 2, 1, 3, 0],
            [3, 1, 1, 1, 2, 3, 3, 2, 0],
            [1, 0, 0, 1, 3, 2, 2, 1, 0],
        ]
    );
    let rates: Vec<f64> = r["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["churn_rate"].as_f64().unwrap())
        .collect();
    assert_eq!(rates, [0.0, 0.5, 1.0, 1.0]);
    // Revenue and margin of every customer's purchases per month (the cohorts' cells summed
    // by month): Jan A 10000 (cost 6000) + B 8000 (30 %) -> 6400; Feb A 4000 (2400) + C 3000
    // (cost 1000) + D 7000 (cost 5000) -> 6400; Mar B 4000 (3000) + C 1000 (300) + E 2000
    // (600) -> 3900; Apr A 2000 -> 600.
    let money: Vec<(i64, i64)> = r["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["revenue"].as_i64().unwrap(),
                p["margin"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        money,
        [(18000, 6400), (14000, 6400), (7000, 3900), (2000, 600)]
    );
    // From March on: customers acquired before the range count too.
    let late: Value = app
        .get_as("/v1/analytics/churn?from=2026-03-01&to=2026-04-30", t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(late["periods"][0]["revenue"], 7000);
    assert_eq!(late["periods"][1]["margin"], 600);
    assert_eq!(r["periods"][1]["period"], "2026-02");
    assert_eq!(r["periods"][1]["ends_before"], "2026-03-01T00:00:00Z");
    // No model yet: no expected churn.
    assert_eq!(r["expected"], Value::Null);

    // The default definition is 90 days: nobody churns before April ends.
    let r: Value = app
        .get_as(&format!("/v1/analytics/churn?{RANGE}"), t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["inactive_days"], 90);
    let churned: Vec<i64> = r["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["churned_customers"].as_i64().unwrap())
        .collect();
    // Every buyer has an order in the 90 days ending Apr 30 (the oldest last order is
    // D's, Feb 14), and in those ending each earlier month's end.
    assert_eq!(churned, [0, 0, 0, 0]);

    // With a fitted model: the expected number lost is the sum of the buyers' churn
    // probabilities.
    let res = app
        .post_as(
            "/v1/models/churn/fit",
            t,
            &json!({"as_of": "2026-05-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let model: Value = res.json().await.unwrap();
    let r: Value = app
        .get_as(&format!("/v1/analytics/churn?{RANGE}"), t)
        .await
        .json()
        .await
        .unwrap();
    if model["bgnbd"].is_null() {
        assert_eq!(r["expected"], Value::Null, "{model}");
    } else {
        let accounts: Value = app
            .get_as("/v1/accounts?limit=50", t)
            .await
            .json()
            .await
            .unwrap();
        let mut sum = 0.0;
        for a in accounts["data"].as_array().unwrap() {
            let id = a["id"].as_str().unwrap();
            let p: Value = app
                .get_as(&format!("/v1/accounts/{id}/profile"), t)
                .await
                .json()
                .await
                .unwrap();
            sum += p["metrics"]["churn_probability"].as_f64().unwrap();
        }
        let e = &r["expected"];
        assert_eq!(e["customers"], 5);
        assert_eq!(e["model_version"], model["version"]);
        assert!(
            (e["expected_customers_lost"].as_f64().unwrap() - sum).abs() < 1e-9,
            "{e} vs {sum}"
        );
    }
}

#[tokio::test]
async fn csv_graphql_and_rest_agree() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Agree").await;
    let t = &ws.owner_token;
    seed(&app, t).await;

    let rest: Value = app
        .get_as(&format!("/v1/analytics/cohorts?{RANGE}"), t)
        .await
        .json()
        .await
        .unwrap();
    let gql = app
        .graphql_as(
            t,
            "query($from: String, $to: String) { cohortReport(from: $from, to: $to) { currency period startsAt endsBefore \
             cohorts { cohort customers acquisitionChannel periods { periodNumber activeCustomers rollingCustomers \
             retention revenue margin cumulativeRevenuePerCustomer cumulativeMarginPerCustomer } } } }",
            json!({"from": "2026-01-01", "to": "2026-04-30"}),
        )
        .await;
    let g = &gql["data"]["cohortReport"];
    assert_eq!(g["currency"], rest["currency"]);
    // The same instants (GraphQL's DateTime writes `+00:00` for `Z`).
    let instant = |v: &Value| v.as_str().unwrap().replace("+00:00", "Z");
    assert_eq!(instant(&g["startsAt"]), instant(&rest["starts_at"]));
    assert_eq!(instant(&g["endsBefore"]), instant(&rest["ends_before"]));
    let (gc, rc) = (
        g["cohorts"].as_array().unwrap(),
        rest["cohorts"].as_array().unwrap(),
    );
    assert_eq!(gc.len(), rc.len());
    for (g, r) in gc.iter().zip(rc) {
        assert_eq!(g["cohort"], r["cohort"]);
        assert_eq!(g["customers"], r["customers"]);
        let (gp, rp) = (
            g["periods"].as_array().unwrap(),
            r["periods"].as_array().unwrap(),
        );
        assert_eq!(gp.len(), rp.len());
        for (g, r) in gp.iter().zip(rp) {
            assert_eq!(g["activeCustomers"], r["active_customers"]);
            assert_eq!(g["rollingCustomers"], r["rolling_customers"]);
            assert_eq!(g["retention"], r["retention"]);
            // Money is a Long: a string of digits.
            assert_eq!(g["revenue"], r["revenue"].to_string());
            assert_eq!(g["margin"], r["margin"].to_string());
            assert_eq!(
                g["cumulativeMarginPerCustomer"],
                r["cumulative_margin_per_customer"].to_string()
            );
        }
    }

    let rest: Value = app
        .get_as(&format!("/v1/analytics/churn?{RANGE}&inactive_days=30"), t)
        .await
        .json()
        .await
        .unwrap();
    let gql = app
        .graphql_as(
            t,
            "{ churnReport(from: \"2026-01-01\", to: \"2026-04-30\", inactiveDays: 30) { inactiveDays \
             repeat { customers repeatCustomers repeatPurchaseRate } \
             periods { period activeCustomers newCustomers retainedCustomers reactivatedCustomers \
             lostCustomers customersAtStart churnedCustomers churnRate customersAtEnd revenue margin } } }",
            json!({}),
        )
        .await;
    let g = &gql["data"]["churnReport"];
    assert_eq!(g["inactiveDays"], 30);
    assert_eq!(
        g["repeat"]["repeatCustomers"],
        rest["repeat"]["repeat_customers"]
    );
    assert_eq!(
        g["repeat"]["repeatPurchaseRate"],
        rest["repeat"]["repeat_purchase_rate"]
    );
    for (g, r) in g["periods"]
        .as_array()
        .unwrap()
        .iter()
        .zip(rest["periods"].as_array().unwrap())
    {
        for (gk, rk) in [
            ("period", "period"),
            ("activeCustomers", "active_customers"),
            ("newCustomers", "new_customers"),
            ("retainedCustomers", "retained_customers"),
            ("reactivatedCustomers", "reactivated_customers"),
            ("lostCustomers", "lost_customers"),
            ("customersAtStart", "customers_at_start"),
            ("churnedCustomers", "churned_customers"),
            ("churnRate", "churn_rate"),
            ("customersAtEnd", "customers_at_end"),
        ] {
            assert_eq!(g[gk], r[rk], "{gk}");
        }
        for (gk, rk) in [("revenue", "revenue"), ("margin", "margin")] {
            assert_eq!(g[gk].as_str().unwrap(), r[rk].to_string(), "{gk}");
        }
    }

    // CSV: one row per cohort and period (4 + 3 + 2 + 1), the same figures.
    let res = app
        .http
        .get(app.url(&format!("/v1/analytics/cohorts?{RANGE}")))
        .bearer_auth(t)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 10, "{text}");
    assert!(
        lines[0].starts_with("currency,period_kind,cohort,acquisition_channel,cohort_customers")
    );
    assert!(lines.contains(
        &"USD,month,2026-01,,2,3,2026-04,2026-04-01T00:00:00+00:00,2026-05-01T00:00:00+00:00,1,0.5,1,0.5,2000,600,28000,12400,14000,6200,"
    ), "{text}");
    let res = app
        .http
        .get(app.url(&format!("/v1/analytics/churn?{RANGE}&inactive_days=30")))
        .bearer_auth(t)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    let text = res.text().await.unwrap();
    assert_eq!(text.lines().count(), 1 + 4, "{text}");
    assert!(text.contains("\r\nmonth,2026-02,2026-02-01T00:00:00+00:00,2026-03-01T00:00:00+00:00,30,3,2,1,0,1,2,1,0.5,3,14000,6400\r\n"), "{text}");
}

#[tokio::test]
async fn reports_are_per_workspace_scoped_and_validate_their_parameters() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Mine").await;
    let other = app.workspace("Other").await;
    seed(&app, &other.owner_token).await;
    let t = &ws.owner_token;
    let a = account(&app, t, "Solo", Some("ads")).await;
    order(&app, t, &a, 500, None, "2026-02-03T10:00:00Z").await;

    let r: Value = app
        .get_as(&format!("/v1/analytics/cohorts?{RANGE}"), t)
        .await
        .json()
        .await
        .unwrap();
    let sizes: Vec<i64> = r["cohorts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["customers"].as_i64().unwrap())
        .collect();
    assert_eq!(sizes, [0, 1, 0, 0]);
    let r: Value = app
        .get_as(&format!("/v1/analytics/churn?{RANGE}"), t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["repeat"]["customers"], 1);

    // analytics:read is needed; a key with it may read.
    let (_, no_scope) = app.api_key(&ws, &["accounts:read"]).await;
    let res = app.get_as("/v1/analytics/cohorts", &no_scope).await;
    assert_problem(res, 403, "insufficient_scope").await;
    let res = app.get_as("/v1/analytics/churn", &no_scope).await;
    assert_problem(res, 403, "insufficient_scope").await;
    let (_, reader) = app.api_key(&ws, &["analytics:read"]).await;
    assert_eq!(
        app.get_as("/v1/analytics/cohorts", &reader).await.status(),
        200
    );
    assert_eq!(
        app.get_as("/v1/analytics/churn", &reader).await.status(),
        200
    );

    for (path, field) in [
        ("/v1/analytics/cohorts?period=year", "period"),
        ("/v1/analytics/cohorts?from=2026-13-01", "from"),
        ("/v1/analytics/cohorts?to=yesterday", "to"),
        (
            "/v1/analytics/cohorts?from=2026-05-01&to=2026-04-30",
            "from",
        ),
        (
            "/v1/analytics/cohorts?from=1990-01-01&to=2026-04-30",
            "from",
        ),
        ("/v1/analytics/cohorts?group_by=country", "group_by"),
        ("/v1/analytics/churn?inactive_days=0", "inactive_days"),
        ("/v1/analytics/churn?inactive_days=100000", "inactive_days"),
        ("/v1/analytics/churn?period=day", "period"),
    ] {
        let res = app.get_as(path, t).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{path}: {problem}");
    }
    let gql = app
        .graphql_as(
            t,
            "{ cohortReport(period: \"year\") { currency } }",
            json!({}),
        )
        .await;
    assert_eq!(
        gql["errors"][0]["extensions"]["code"], "validation_failed",
        "{gql}"
    );
}

async fn customer(
    app: &TestApp,
    t: &str,
    name: &str,
    channel: Option<&str>,
    own_cost: Option<i64>,
) -> String {
    let mut body = json!({"kind": "person", "name": name});
    if let Some(c) = channel {
        body["acquisition_channel"] = json!(c);
    }
    if let Some(c) = own_cost {
        body["acquisition_cost"] = json!({"amount": c, "currency": "USD"});
    }
    let res = app.post_as("/v1/accounts", t, &body).await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn spend(app: &TestApp, t: &str, channel: &str, month: &str, amount: i64) -> Value {
    let res = app
        .post_as(
            "/v1/marketing-spend",
            t,
            &json!({"channel": channel, "month": month, "amount": amount, "currency": "USD"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn acquisition_economics_equal_the_hand_computation() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acquire").await;
    let t = &ws.owner_token;
    // ads: P1 with its own cost 3000; P2, P3 (January) share January's spend; P4
    // (February) has no cost at all. referral: P5 with its own cost 500. P6: no channel.
    let p1 = customer(&app, t, "P1", Some("ads"), Some(3000)).await;
    let p2 = customer(&app, t, "P2", Some("ads"), None).await;
    let p3 = customer(&app, t, "P3", Some("ads"), None).await;
    let p4 = customer(&app, t, "P4", Some("ads"), None).await;
    let p5 = customer(&app, t, "P5", Some("referral"), Some(500)).await;
    let p6 = customer(&app, t, "P6", None, None).await;
    order(&app, t, &p1, 10000, Some(6000), "2026-01-10T10:00:00Z").await;
    order(&app, t, &p1, 5000, Some(3000), "2026-02-05T10:00:00Z").await;
    order(&app, t, &p2, 4000, None, "2026-01-15T10:00:00Z").await;
    order(&app, t, &p2, 10000, Some(4000), "2026-03-02T10:00:00Z").await;
    order(&app, t, &p3, 2000, Some(1000), "2026-01-20T10:00:00Z").await;
    order(&app, t, &p4, 6000, None, "2026-02-10T10:00:00Z").await;
    order(&app, t, &p5, 1000, Some(200), "2026-02-01T10:00:00Z").await;
    order(&app, t, &p6, 3000, None, "2026-01-03T10:00:00Z").await;
    // An upsert replaces the month's amount.
    let first = spend(&app, t, "ads", "2026-01", 5000).await;
    assert_eq!(first["version"], 1);
    let second = spend(&app, t, "ads", "2026-01", 6000).await;
    assert_eq!(second["version"], 2);
    assert_eq!(second["amount"], 6000);
    assert_eq!(second["currency"], "USD");
    // Months without a new customer lacking its own cost: unallocated.
    spend(&app, t, "ads", "2026-03", 1000).await;
    spend(&app, t, "referral", "2026-02", 700).await;
    let listed: Value = app
        .get_as("/v1/marketing-spend?from=2026-01&to=2026-02", t)
        .await
        .json()
        .await
        .unwrap();
    let rows: Vec<(String, String, i64)> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["channel"].as_str().unwrap().to_owned(),
                r["month"].as_str().unwrap().to_owned(),
                r["amount"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("ads".to_owned(), "2026-01".to_owned(), 6000),
            ("referral".to_owned(), "2026-02".to_owned(), 700)
        ]
    );

    let res = app
        .get_as("/v1/analytics/acquisition?from=2026-01-01&to=2026-03-31", t)
        .await;
    assert_eq!(res.status(), 200);
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["currency"], "USD");
    assert_eq!(r["starts_at"], "2026-01-01T00:00:00Z");
    assert_eq!(r["ends_before"], "2026-04-01T00:00:00Z");
    assert_eq!(r["unallocated_spend"], 1700);
    let channels = r["channels"].as_array().unwrap();
    assert_eq!(channels.len(), 3);
    let (none, ads, referral) = (&channels[0], &channels[1], &channels[2]);
    assert_eq!(none["acquisition_channel"], Value::Null);
    assert_eq!(ads["acquisition_channel"], "ads");
    // ads: 4 customers; cost 3000 (own) + 6000 (January's spend, P2 and P3) over 3 -> 3000.
    // Revenue 15000 + 14000 + 2000 + 6000 = 37000 / 4; margin 6000 + 7200 + 1000 + 1800.
    for (k, v) in [
        ("customers", 4),
        ("own_cost_customers", 1),
        ("spend_costed_customers", 2),
        ("uncosted_customers", 1),
        ("acquisition_cost", 9000),
        ("marketing_spend", 7000),
        ("cac", 3000),
        ("average_revenue", 9250),
        ("average_margin", 4000),
    ] {
        assert_eq!(ads[k], v, "ads {k}: {ads}");
    }
    // Payback: cumulative margin per customer 8000/4 = 2000 in month 1, 10000/4 = 2500 by
    // month 2 (January and February cohorts), 14200/3 = 4733 by month 3 (January's) >= 3000.
    assert_eq!(ads["payback_months"], 3);
    for (k, v) in [
        ("customers", 1),
        ("own_cost_customers", 1),
        ("spend_costed_customers", 0),
        ("acquisition_cost", 500),
        ("marketing_spend", 700),
        ("cac", 500),
        ("average_revenue", 1000),
        ("average_margin", 800),
        ("payback_months", 1),
    ] {
        assert_eq!(referral[k], v, "referral {k}: {referral}");
    }
    assert_eq!(none["customers"], 1);
    assert_eq!(none["uncosted_customers"], 1);
    assert_eq!(none["cac"], Value::Null);
    assert_eq!(none["payback_months"], Value::Null);
    assert_eq!(none["average_margin"], 900);
    // CLV: the average of the stored 12-month CLVs, and CLV:CAC from it.
    let mut clvs = Vec::new();
    for id in [&p1, &p2, &p3, &p4] {
        let p: Value = app
            .get_as(&format!("/v1/accounts/{id}/profile"), t)
            .await
            .json()
            .await
            .unwrap();
        if let Some(clv) = p["metrics"]["clv"].as_i64() {
            clvs.push(clv);
        }
    }
    assert_eq!(ads["customers_with_prediction"], clvs.len());
    if clvs.is_empty() {
        assert_eq!(ads["average_clv"], Value::Null);
        assert_eq!(ads["clv_to_cac"], Value::Null);
    } else {
        let sum: i64 = clvs.iter().sum();
        let n = clvs.len() as i64;
        let avg = (2 * sum + n) / (2 * n);
        assert_eq!(ads["average_clv"], avg);
        assert_eq!(ads["clv_to_cac"], avg as f64 / 3000.0);
    }

    // GraphQL agrees; CSV has a row per channel.
    let gql = app
        .graphql_as(
            t,
            "{ acquisitionReport(from: \"2026-01-01\", to: \"2026-03-31\") { unallocatedSpend \
             channels { acquisitionChannel customers cac averageRevenue paybackMonths spendCostedCustomers } } }",
            json!({}),
        )
        .await;
    let g = &gql["data"]["acquisitionReport"];
    assert_eq!(g["unallocatedSpend"], "1700", "{gql}");
    for (g, r) in g["channels"].as_array().unwrap().iter().zip(channels) {
        assert_eq!(g["acquisitionChannel"], r["acquisition_channel"]);
        assert_eq!(g["customers"], r["customers"]);
        assert_eq!(g["spendCostedCustomers"], r["spend_costed_customers"]);
        assert_eq!(g["paybackMonths"], r["payback_months"]);
        assert_eq!(g["averageRevenue"], r["average_revenue"].to_string());
        match r["cac"].as_i64() {
            Some(c) => assert_eq!(g["cac"], c.to_string()),
            None => assert_eq!(g["cac"], Value::Null),
        }
    }
    let res = app
        .http
        .get(app.url("/v1/analytics/acquisition?from=2026-01-01&to=2026-03-31"))
        .bearer_auth(t)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    let text = res.text().await.unwrap();
    assert_eq!(text.lines().count(), 1 + 3, "{text}");
    assert!(
        text.contains(",ads,4,1,2,1,9000,7000,3000,9250,4000,"),
        "{text}"
    );

    // GraphQL writes spend too.
    let gql = app
        .graphql_as(
            t,
            "mutation { upsertMarketingSpend(input: {channel: \"ads\", month: \"2026-02\", amount: \"600\", currency: \"USD\"}) { channel month amount version } }",
            json!({}),
        )
        .await;
    assert_eq!(
        gql["data"]["upsertMarketingSpend"]["amount"], "600",
        "{gql}"
    );
    // ...which now costs P4 (February's only ads customer without its own cost).
    let r: Value = app
        .get_as("/v1/analytics/acquisition?from=2026-01-01&to=2026-03-31", t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["channels"][1]["spend_costed_customers"], 3);
    assert_eq!(r["channels"][1]["cac"], 2400);
}

#[tokio::test]
async fn marketing_spend_is_admin_written_per_workspace_and_validated() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Spend").await;
    let other = app.workspace("Elsewhere").await;
    let t = &ws.owner_token;
    spend(&app, &other.owner_token, "ads", "2026-01", 100).await;
    let listed: Value = app
        .get_as("/v1/marketing-spend", t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["data"], json!([]));

    let (_, reader) = app.api_key(&ws, &["analytics:read"]).await;
    let res = app
        .post_as(
            "/v1/marketing-spend",
            &reader,
            &json!({"channel": "ads", "month": "2026-01", "amount": 1, "currency": "USD"}),
        )
        .await;
    assert_problem(res, 403, "insufficient_scope").await;
    assert_eq!(
        app.get_as("/v1/marketing-spend", &reader).await.status(),
        200
    );

    for (body, field) in [
        (
            json!({"channel": "", "month": "2026-01", "amount": 1, "currency": "USD"}),
            "channel",
        ),
        (
            json!({"channel": "ads", "month": "2026-13", "amount": 1, "currency": "USD"}),
            "month",
        ),
        (
            json!({"channel": "ads", "month": "2026-1", "amount": 1, "currency": "USD"}),
            "month",
        ),
        (
            json!({"channel": "ads", "month": "2026-01", "amount": -1, "currency": "USD"}),
            "amount",
        ),
        (
            json!({"channel": "ads", "month": "2026-01", "amount": 1, "currency": "EURO"}),
            "currency",
        ),
        // No exchange rate from EUR in the value settings.
        (
            json!({"channel": "ads", "month": "2026-01", "amount": 1, "currency": "EUR"}),
            "currency",
        ),
    ] {
        let res = app.post_as("/v1/marketing-spend", t, &body).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
    let listed: Value = app
        .get_as("/v1/marketing-spend", t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["data"], json!([]));
    let res = app.get_as("/v1/marketing-spend?from=2026-1", t).await;
    assert_problem(res, 422, "validation_failed").await;
    let res = app
        .get_as("/v1/analytics/acquisition?to=2026-02-30", t)
        .await;
    assert_problem(res, 422, "validation_failed").await;
}

#[tokio::test]
async fn value_distribution_equals_the_hand_computation() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Spread").await;
    let t = &ws.owner_token;
    seed(&app, t).await;
    // Net revenue: E 2000, C 4000, D 7000, B 12000, A 16000 (41000 in all).
    let r: Value = app
        .get_as("/v1/analytics/value-distribution", t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["currency"], "USD");
    let rev = &r["revenue"];
    assert_eq!(rev["customers"], 5);
    assert_eq!(rev["total"], 41000);
    let p: Vec<(i64, i64)> = rev["percentiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["percentile"].as_i64().unwrap(),
                p["value"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        p,
        [
            (10, 2000),
            (25, 4000),
            (50, 7000),
            (75, 12000),
            (90, 16000),
            (95, 16000),
            (99, 16000)
        ]
    );
    // Ten bins of 1600 from 0; 16000 falls in the last.
    let bins: Vec<i64> = rev["histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["customers"].as_i64().unwrap())
        .collect();
    assert_eq!(bins, [0, 1, 1, 0, 1, 0, 0, 1, 0, 1]);
    assert_eq!(rev["histogram"][9]["lower"], 14400);
    assert_eq!(rev["histogram"][9]["upper"], 16000);
    let top: Vec<(i64, i64, i64)> = rev["concentration"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["top_percent"].as_i64().unwrap(),
                c["customers"].as_i64().unwrap(),
                c["value"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(top, [(1, 1, 16000), (10, 1, 16000), (20, 1, 16000)]);
    assert_eq!(rev["concentration"][2]["share"], 16000.0 / 41000.0);

    let gql = app
        .graphql_as(t, "{ valueDistribution { currency revenue { total customers percentiles { percentile value } } } }", json!({}))
        .await;
    let g = &gql["data"]["valueDistribution"];
    assert_eq!(g["revenue"]["total"], "41000", "{gql}");
    assert_eq!(g["revenue"]["percentiles"][2]["value"], "7000");
    let res = app
        .http
        .get(app.url("/v1/analytics/value-distribution"))
        .bearer_auth(t)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    let text = res.text().await.unwrap();
    assert!(
        text.contains("\r\nUSD,revenue,percentile,p50,,7000,\r\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1 + 2 * (7 + 10 + 3));
    // By segment: a rule segment's members (revenue of at least 7000: D, B, A).
    let res = app
        .post_as(
            "/v1/segments",
            t,
            &json!({"name": "Big", "rule": {"field": "revenue", "op": ">=", "value": 7000}}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let segment: Value = res.json().await.unwrap();
    let id = segment["id"].as_str().unwrap();
    let r: Value = app
        .get_as(
            &format!("/v1/analytics/value-distribution?segment_id={id}"),
            t,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["segment_id"], id);
    assert_eq!(r["revenue"]["customers"], 3);
    assert_eq!(r["revenue"]["total"], 7000 + 12000 + 16000);
    assert_eq!(r["revenue"]["percentiles"][0]["value"], 7000);
    let gql = app
        .graphql_as(
            t,
            "query($s: String) { valueDistribution(segmentId: $s) { revenue { total customers } } }",
            json!({"s": id}),
        )
        .await;
    assert_eq!(
        gql["data"]["valueDistribution"]["revenue"]["total"], "35000",
        "{gql}"
    );
    // No model fitted: nobody is in an RFM segment yet.
    let r: Value = app
        .get_as("/v1/analytics/value-distribution?rfm_segment=champions", t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["rfm_segment"], "champions");
    assert_eq!(r["revenue"]["customers"], 0);
    let problem = assert_problem(
        app.get_as("/v1/analytics/value-distribution?rfm_segment=royalty", t)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "rfm_segment");
    let res = app
        .get_as(
            "/v1/analytics/value-distribution?segment_id=0190a0a0-0000-7000-8000-000000000000",
            t,
        )
        .await;
    assert_eq!(res.status(), 404);
    // Another workspace sees only its own buyers.
    let other = app.workspace("Empty").await;
    let r: Value = app
        .get_as("/v1/analytics/value-distribution", &other.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["revenue"]["customers"], 0);
    assert_eq!(r["revenue"]["total"], 0);
}

#[tokio::test]
async fn cohorts_split_by_the_first_orders_channel() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("FirstChannel").await;
    let t = &ws.owner_token;
    let post = |account: &str, n: u32, amount: i64, channel: Option<&str>, at: &str| {
        let mut body = json!({"account_id": account, "external_id": format!("{account}-{n}"),
                              "amount": amount, "currency": "USD", "occurred_at": at});
        if let Some(c) = channel {
            body["channel"] = json!(c);
        }
        body
    };
    // X: web in January, then store in February. Y: a store order in January, fully
    // refunded, then web in February (so Y's cohort is February, web). Z: no channel.
    let x = account(&app, t, "X", Some("ads")).await;
    let y = account(&app, t, "Y", Some("ads")).await;
    let z = account(&app, t, "Z", None).await;
    let mut refunded = String::new();
    for (i, body) in [
        post(&x, 1, 1000, Some("web"), "2026-01-05T10:00:00Z"),
        post(&x, 2, 2000, Some("store"), "2026-02-05T10:00:00Z"),
        post(&y, 1, 5000, Some("store"), "2026-01-10T10:00:00Z"),
        post(&y, 2, 3000, Some("web"), "2026-02-01T10:00:00Z"),
        post(&z, 1, 4000, None, "2026-01-20T10:00:00Z"),
    ]
    .into_iter()
    .enumerate()
    {
        let res = app.post_as("/v1/orders", t, &body).await;
        assert_eq!(res.status(), 201);
        if i == 2 {
            refunded = res.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned();
        }
    }
    refund(&app, t, &refunded, None).await;
    let r: Value = app
        .get_as(
            "/v1/analytics/cohorts?from=2026-01-01&to=2026-02-28&group_by=first_order_channel",
            t,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["group_by"], "first_order_channel");
    let size = |channel: Value, cohort: &str| -> i64 {
        let c = r["cohorts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["channel"] == channel && c["cohort"] == cohort)
            .unwrap_or_else(|| panic!("no cohort {channel} {cohort} in {r}"));
        assert!(c["acquisition_channel"].is_null());
        c["customers"].as_i64().unwrap()
    };
    assert_eq!(size(json!("web"), "2026-01"), 1);
    assert_eq!(size(json!("web"), "2026-02"), 1);
    assert_eq!(size(Value::Null, "2026-01"), 1);
    assert!(r["cohorts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["channel"] != "store"));
    // X's February store order is in the web cohort's second period.
    let web_jan = r["cohorts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == "web" && c["cohort"] == "2026-01")
        .unwrap();
    assert_eq!(web_jan["periods"][1]["active_customers"], 1);
    assert_eq!(web_jan["periods"][1]["revenue"], 2000);
    let problem = assert_problem(
        app.get_as("/v1/analytics/cohorts?group_by=owner", t).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "group_by");
}
