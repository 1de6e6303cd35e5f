//! Data subject rights: personal-data holds the person's rows of every table; erasure leaves
//! no copy of their e-mail, phone or name in any text column of any table (found through
//! the database catalogue) nor in the cache, while revenue and ledger sums stay; a bad
//! confirmation changes nothing; only admins, only in their workspace; the retention job
//! erases soft-deleted accounts past the period and not before.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{assert_problem, TestApp, Workspace};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use rapport_persistence::DbConn;
use reqwest::Method;
use serde_json::{json, Value};

const NAME: &str = "Zelda Quixote-Marsh";
const EMAIL: &str = "zelda.quixote@example.org";
const PHONE: &str = "+4915112345678";

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
    status: u16,
) -> Value {
    let res = app.send(method.clone(), path, token, body.as_ref()).await;
    let got = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "{method} {path}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value, status: u16) -> Value {
    call(app, token, Method::POST, path, Some(body), status).await
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    call(app, token, Method::GET, path, None, 200).await
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// The person, with a row in every table that can hold one: contact, interaction, order
/// with named line items (and a refund), loyalty points, a deal, feedback, a complaint
/// with a note, a campaign membership, a voucher, consent history; created with an
/// `Idempotency-Key` so a stored answer holds their data too.
async fn person(app: &TestApp, ws: &Workspace) -> String {
    let t = &ws.owner_token;
    call(
        app,
        t,
        Method::PUT,
        "/v1/loyalty/program",
        Some(json!({
            "currency": "USD",
            "earn_rate": {"numerator": 1, "denominator": 100},
            "tiers": [{"name": "Base", "threshold": 0, "multiplier_permille": 1000}],
            "expiry_months": 12
        })),
        200,
    )
    .await;
    let res = app
        .http
        .post(app.url("/v1/accounts"))
        .bearer_auth(t)
        .header("Idempotency-Key", "create-zelda")
        .json(&json!({
            // A sole trader: an organization account (so it has a contact) named as the person.
            "kind": "organization", "name": NAME, "emails": [EMAIL], "phones": [PHONE],
            "external_id": "crm-zelda-77",
            "address": {"line1": "12 Quixote Lane", "city": "Lyon", "country": "FR"},
            "attributes": {"nickname": "Zeldie"},
            "tags": ["vip"],
            "marketing_consent": {"email": {"granted": true, "method": "checkbox", "source": "signup_form"}}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let a = id(&res.json::<Value>().await.unwrap());
    post(
        app,
        t,
        &format!("/v1/accounts/{a}/contacts"),
        json!({"name": NAME, "email": EMAIL, "phone": PHONE}),
        201,
    )
    .await;
    post(
        app,
        t,
        &format!("/v1/accounts/{a}/interactions"),
        json!({"type": "note", "subject": format!("Call with {NAME}"), "body": format!("Reach her at {EMAIL} or {PHONE}")}),
        201,
    )
    .await;
    let order = post(
        app,
        t,
        "/v1/orders",
        json!({"account_id": a, "external_id": "zelda-order-1", "amount": 12_000, "currency": "USD",
               "items": [{"sku": "MUG-1", "name": format!("Mug engraved {NAME}"), "quantity": 1, "unit_price": 12_000}]}),
        201,
    )
    .await;
    post(
        app,
        t,
        &format!("/v1/orders/{}/refund", id(&order)),
        json!({"amount": 2_000, "reason": format!("{NAME} called")}),
        200,
    )
    .await;
    post(
        app,
        t,
        "/v1/orders",
        json!({"account_id": a, "amount": 30_000, "currency": "USD"}),
        201,
    )
    .await;
    post(
        app,
        t,
        &format!("/v1/accounts/{a}/loyalty/adjust"),
        json!({"points": 500, "reason": format!("welcome {NAME}")}),
        201,
    )
    .await;
    let pipeline = post(
        app,
        t,
        "/v1/pipelines",
        json!({"name": "Sales", "stages": [
            {"name": "Lead", "probability": 10, "kind": "open"},
            {"name": "Won", "kind": "won"},
            {"name": "Lost", "kind": "lost"}
        ]}),
        201,
    )
    .await;
    post(
        app,
        t,
        "/v1/deals",
        json!({"account_id": a, "title": format!("Deal for {NAME}"), "amount": 50_000,
               "currency": "USD", "pipeline_id": id(&pipeline)}),
        201,
    )
    .await;
    post(
        app,
        t,
        "/v1/feedback",
        json!({"account_id": a, "nps": 3, "touchpoint": "support", "comment": format!("Write to {EMAIL}")}),
        201,
    )
    .await;
    let complaint = post(
        app,
        t,
        "/v1/complaints",
        json!({"account_id": a, "category": "delivery", "severity": "high",
               "subject": format!("{NAME} is unhappy"), "description": format!("Phone {PHONE}")}),
        201,
    )
    .await;
    post(
        app,
        t,
        &format!("/v1/complaints/{}/notes", id(&complaint)),
        json!({"body": format!("Called {PHONE}")}),
        201,
    )
    .await;
    let segment = post(
        app,
        t,
        "/v1/segments",
        json!({"name": "Buyers", "tracked": true, "rule": {"field": "revenue", "op": ">", "value": 0}}),
        201,
    )
    .await;
    let campaign = post(
        app,
        t,
        "/v1/campaigns",
        json!({"name": "Win back", "channel": "call", "control_share": 0.01, "segment_id": id(&segment)}),
        201,
    )
    .await;
    post(
        app,
        t,
        &format!("/v1/campaigns/{}/launch", id(&campaign)),
        json!(null),
        200,
    )
    .await;
    let offer = post(
        app,
        t,
        "/v1/offers",
        json!({"name": "Ten off", "kind": "percent_discount", "percent": 10}),
        201,
    )
    .await;
    post(
        app,
        t,
        &format!("/v1/offers/{}/issue", id(&offer)),
        json!({"account_id": a}),
        201,
    )
    .await;
    a
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Every `table.column` of the database (read from its catalogue) whose text holds `needle`.
fn columns_holding(app: &TestApp, needle: &str) -> Vec<String> {
    let mut conn = app.db.connect();
    let pattern = format!("%{needle}%");
    let mut hits = Vec::new();
    match &mut conn {
        DbConn::Sqlite(c) => {
            let columns: Vec<Column> = diesel::sql_query(
                "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m \
                 JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
                 AND m.name NOT LIKE 'sqlite_%'",
            )
            .load(c)
            .unwrap();
            assert!(columns.len() > 100, "the catalogue lists the columns");
            for col in columns {
                let found: Count = diesel::sql_query(format!(
                    "SELECT COUNT(*) AS n FROM \"{}\" WHERE CAST(\"{}\" AS TEXT) LIKE ?",
                    col.table_name, col.column_name
                ))
                .bind::<Text, _>(&pattern)
                .get_result(c)
                .unwrap();
                if found.n > 0 {
                    hits.push(format!("{}.{}", col.table_name, col.column_name));
                }
            }
        }
        DbConn::Pg(c) => {
            let columns: Vec<Column> = diesel::sql_query(
                "SELECT table_name::text AS table_name, column_name::text AS column_name \
                 FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'character')",
            )
            .load(c)
            .unwrap();
            assert!(columns.len() > 100, "the catalogue lists the columns");
            for col in columns {
                let found: Count = diesel::sql_query(format!(
                    "SELECT COUNT(*) AS n FROM \"{}\" WHERE \"{}\"::text ILIKE $1",
                    col.table_name, col.column_name
                ))
                .bind::<Text, _>(&pattern)
                .get_result(c)
                .unwrap();
                if found.n > 0 {
                    hits.push(format!("{}.{}", col.table_name, col.column_name));
                }
            }
        }
    }
    hits
}

/// Cached values (in process, or every key of the test's Redis namespace) holding `needle`.
async fn cached_holding(app: &TestApp, needle: &str) -> Vec<String> {
    let needle = needle.to_lowercase();
    let holds = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .to_lowercase()
            .contains(&needle)
    };
    let mut hits: Vec<String> = app
        .state
        .cache
        .memory_entries()
        .into_iter()
        .filter(|(_, v)| holds(v))
        .map(|(k, _)| k)
        .collect();
    if let Some((url, prefix)) = &app.redis {
        let client = redis::Client::open(url.as_str()).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(format!("{prefix}*"))
            .query_async(&mut conn)
            .await
            .unwrap();
        for key in keys {
            let value: redis::RedisResult<Option<Vec<u8>>> =
                redis::cmd("GET").arg(&key).query_async(&mut conn).await;
            if let Ok(Some(v)) = value {
                if holds(&v) {
                    hits.push(key);
                }
            }
        }
    }
    hits
}

/// (revenue of the workspace's orders net of refunds, sum of its ledger, sum of the
/// accounts' metrics revenue): what an erasure must leave as it was.
fn totals(app: &TestApp, ws: &str) -> (i64, i64, i64) {
    use rapport_persistence::schema::{account_metrics, loyalty_entries, orders};
    let mut conn = app.db.connect();
    let revenue: Option<i64> = orders::table
        .filter(orders::workspace_id.eq(ws))
        .select(diesel::dsl::sql::<diesel::sql_types::Nullable<BigInt>>(
            "CAST(SUM(reporting_amount - refunded_amount) AS BIGINT)",
        ))
        .get_result(&mut conn)
        .unwrap();
    let points: Option<i64> = loyalty_entries::table
        .filter(loyalty_entries::workspace_id.eq(ws))
        .select(diesel::dsl::sql::<diesel::sql_types::Nullable<BigInt>>(
            "CAST(SUM(points) AS BIGINT)",
        ))
        .get_result(&mut conn)
        .unwrap();
    let metrics: Option<i64> = account_metrics::table
        .filter(account_metrics::workspace_id.eq(ws))
        .select(diesel::dsl::sql::<diesel::sql_types::Nullable<BigInt>>(
            "CAST(SUM(revenue) AS BIGINT)",
        ))
        .get_result(&mut conn)
        .unwrap();
    (
        revenue.unwrap_or(0),
        points.unwrap_or(0),
        metrics.unwrap_or(0),
    )
}

async fn value_report(app: &TestApp, t: &str) -> Value {
    get(app, t, "/v1/analytics/value-distribution").await
}

#[tokio::test]
async fn personal_data_holds_every_table_and_erasure_leaves_no_copy() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Privacy").await;
    let t = ws.owner_token.clone();
    let a = person(&app, &ws).await;
    // Another customer whose data must stay.
    let other = post(
        &app,
        &t,
        "/v1/accounts",
        json!({"kind": "person", "name": "Otto Other", "emails": ["otto@example.org"]}),
        201,
    )
    .await;
    post(
        &app,
        &t,
        "/v1/orders",
        json!({"account_id": id(&other), "amount": 7_000, "currency": "USD"}),
        201,
    )
    .await;

    let data = get(&app, &t, &format!("/v1/accounts/{a}/personal-data")).await;
    assert_eq!(data["account_id"], a.as_str());
    for table in [
        "accounts",
        "contacts",
        "interactions",
        "orders",
        "order_refunds",
        "deals",
        "deal_stage_changes",
        "loyalty_lots",
        "loyalty_entries",
        "loyalty_members",
        "feedback_responses",
        "complaints",
        "complaint_history",
        "campaign_members",
        "vouchers",
        "consent_events",
        "account_metrics",
        "account_purchase_days",
        "segment_memberships",
        "audit_log",
        "idempotency_keys",
    ] {
        let rows = data["tables"][table]
            .as_array()
            .unwrap_or_else(|| panic!("{table}: {data}"));
        assert!(!rows.is_empty(), "personal data has no {table} rows");
    }
    assert_eq!(data["tables"]["accounts"][0]["emails"], json!([EMAIL]));
    assert_eq!(data["tables"]["orders"][0]["items"][0]["sku"], "MUG-1");
    assert!(
        data["events"].as_array().unwrap().len() >= 10,
        "{}",
        data["events"]
    );
    let text = data.to_string();
    assert!(text.contains(PHONE) && text.contains(NAME));

    // The cache holds the person's views.
    get(&app, &t, &format!("/v1/accounts/{a}/profile")).await;
    get(&app, &t, &format!("/v1/accounts/{a}")).await;
    app.graphql_as(
        &t,
        "query($id: ID!) { account(id: $id) { name } }",
        json!({"id": a}),
    )
    .await;
    assert!(
        !cached_holding(&app, EMAIL).await.is_empty(),
        "the cache holds the profile"
    );
    assert!(!columns_holding(&app, EMAIL).is_empty());

    // The product catalogue of recommendations copies order line names.
    post(&app, &t, "/v1/recommendations/refresh", json!({}), 200).await;
    assert!(columns_holding(&app, NAME).contains(&"recommendation_items.name".to_owned()));

    let before = totals(&app, &ws.id);
    let report_before = value_report(&app, &t).await;

    // A bad confirmation changes nothing.
    for body in [json!({}), json!({"confirm": "someone else"})] {
        let res = app
            .post_as(&format!("/v1/accounts/{a}/erase"), &t, &body)
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "confirm", "{problem}");
    }
    let still = get(&app, &t, &format!("/v1/accounts/{a}")).await;
    assert_eq!(still["emails"], json!([EMAIL]));

    let erased = post(
        &app,
        &t,
        &format!("/v1/accounts/{a}/erase"),
        json!({"confirm": a}),
        200,
    )
    .await;
    assert_eq!(erased["already_erased"], false, "{erased}");
    assert!(
        erased["changed"]["events"].as_u64().unwrap() > 0,
        "{erased}"
    );

    for needle in [EMAIL, PHONE, NAME, "Quixote", "crm-zelda-77", "Zeldie"] {
        assert_eq!(
            columns_holding(&app, needle),
            Vec::<String>::new(),
            "{needle} is still stored"
        );
        assert_eq!(
            cached_holding(&app, needle).await,
            Vec::<String>::new(),
            "{needle} is still cached"
        );
    }
    // Others keep theirs.
    assert!(!columns_holding(&app, "otto@example.org").is_empty());

    // Aggregates are unchanged: revenue, ledger, metrics, the value report.
    assert_eq!(totals(&app, &ws.id), before);
    assert_eq!(value_report(&app, &t).await, report_before);

    // Gone from reads and lists; announced without personal data; audited without it.
    call(
        &app,
        &t,
        Method::GET,
        &format!("/v1/accounts/{a}"),
        None,
        404,
    )
    .await;
    let list = get(&app, &t, "/v1/accounts?limit=500").await;
    assert!(list["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["id"] != a.as_str()));
    let feed = get(&app, &t, "/v1/events?types=account.erased").await;
    assert_eq!(feed["data"][0]["data"], json!({"account_id": a}));
    let audit = get(&app, &t, "/v1/audit-log?limit=500").await;
    assert!(audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "account.erase"));

    // Erasing again is idempotent.
    let again = post(
        &app,
        &t,
        &format!("/v1/accounts/{a}/erase"),
        json!({"confirm": a}),
        200,
    )
    .await;
    assert_eq!(again["already_erased"], true);
    assert_eq!(again["erased_at"], erased["erased_at"]);
    let events_after = get(&app, &t, "/v1/events?types=account.erased").await;
    assert_eq!(events_after["data"].as_array().unwrap().len(), 1);

    // What remains is still available, anonymised, with the consent decision kept.
    let left = get(&app, &t, &format!("/v1/accounts/{a}/personal-data")).await;
    assert!(left["erased_at"].is_string());
    let consent = &left["tables"]["consent_events"][0];
    assert_eq!(consent["status"], "granted");
    assert!(consent["source"].is_null());
}

#[tokio::test]
async fn only_admins_of_the_workspace_read_and_erase() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Admins").await;
    let other = app.workspace("Elsewhere").await;
    let a = id(&post(
        &app,
        &ws.owner_token,
        "/v1/accounts",
        json!({"kind": "person", "name": NAME, "emails": [EMAIL]}),
        201,
    )
    .await);
    let (_, key) = app.api_key(&ws, &["accounts:read", "accounts:write"]).await;
    assert_problem(
        app.get_as(&format!("/v1/accounts/{a}/personal-data"), &key)
            .await,
        403,
        "insufficient_scope",
    )
    .await;
    assert_problem(
        app.post_as(
            &format!("/v1/accounts/{a}/erase"),
            &key,
            &json!({"confirm": a}),
        )
        .await,
        403,
        "insufficient_scope",
    )
    .await;
    // Another workspace's admin: not found.
    call(
        &app,
        &other.owner_token,
        Method::GET,
        &format!("/v1/accounts/{a}/personal-data"),
        None,
        404,
    )
    .await;
    call(
        &app,
        &other.owner_token,
        Method::POST,
        &format!("/v1/accounts/{a}/erase"),
        Some(json!({"confirm": a})),
        404,
    )
    .await;
    let still = get(&app, &ws.owner_token, &format!("/v1/accounts/{a}")).await;
    assert_eq!(still["name"], NAME);

    // GraphQL: the same rules and the same use case.
    let q = "query($id: ID!) { personalData(accountId: $id) }";
    let denied = app.graphql_as(&key, q, json!({"id": a})).await;
    assert!(denied["errors"].is_array(), "{denied}");
    let read = app.graphql_as(&ws.owner_token, q, json!({"id": a})).await;
    assert_eq!(
        read["data"]["personalData"]["tables"]["accounts"][0]["name"], NAME,
        "{read}"
    );
    let m = "mutation($id: ID!, $c: String!) { eraseAccount(id: $id, confirm: $c) { accountId alreadyErased } }";
    let bad = app
        .graphql_as(&ws.owner_token, m, json!({"id": a, "c": "nope"}))
        .await;
    assert!(bad["errors"].is_array(), "{bad}");
    let done = app
        .graphql_as(&ws.owner_token, m, json!({"id": a, "c": a}))
        .await;
    assert_eq!(
        done["data"]["eraseAccount"]["alreadyErased"], false,
        "{done}"
    );
    assert!(columns_holding(&app, EMAIL).is_empty());
}

fn privacy_cli(app: &TestApp, at: &str) -> Value {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"));
    for (name, _) in std::env::vars() {
        if name.starts_with("RAPPORT_") {
            cmd.env_remove(name);
        }
    }
    cmd.args(["privacy", "run-jobs", "--at", at])
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
async fn the_retention_job_erases_soft_deleted_accounts_past_the_period_only() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Retention").await;
    let t = ws.owner_token.clone();
    let make = |name: &'static str, email: &'static str| {
        let (app, t) = (&app, t.clone());
        async move {
            id(&post(
                app,
                &t,
                "/v1/accounts",
                json!({"kind": "person", "name": name, "emails": [email]}),
                201,
            )
            .await)
        }
    };
    let old = make("Olga Oldgone", "olga@example.org").await;
    let recent = make("Rita Recent", "rita@example.org").await;
    let live = make("Lena Live", "lena@example.org").await;
    for a in [&old, &recent] {
        call(
            &app,
            &t,
            Method::DELETE,
            &format!("/v1/accounts/{a}"),
            None,
            204,
        )
        .await;
    }
    // Off by default: nothing is erased.
    let s = get(&app, &t, "/v1/workspace/privacy-settings").await;
    assert!(s["soft_deleted_days"].is_null());
    let now = chrono::Utc::now();
    let report = rapport_api::service::privacy::run_retention_now(
        &app.state,
        rapport_api::service::stored(now + chrono::Duration::days(400)),
    )
    .await
    .unwrap();
    assert_eq!(report.erased_accounts, 0);

    let bad = app
        .send(
            Method::PUT,
            "/v1/workspace/privacy-settings",
            &t,
            Some(&json!({"soft_deleted_days": 0})),
        )
        .await;
    let problem = assert_problem(bad, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "soft_deleted_days");
    call(
        &app,
        &t,
        Method::PUT,
        "/v1/workspace/privacy-settings",
        Some(json!({"soft_deleted_days": 30})),
        200,
    )
    .await;
    // The old one was deleted 40 days ago.
    {
        use rapport_persistence::schema::accounts;
        let mut conn = app.db.connect();
        diesel::update(accounts::table.filter(accounts::id.eq(&old)))
            .set(accounts::deleted_at.eq(Some(rapport_api::service::stored(
                now - chrono::Duration::days(40),
            ))))
            .execute(&mut conn)
            .unwrap();
    }
    let report = rapport_api::service::privacy::run_retention_now(
        &app.state,
        rapport_api::service::stored(now),
    )
    .await
    .unwrap();
    assert_eq!(report.erased_accounts, 1);
    assert!(columns_holding(&app, "olga@example.org").is_empty());
    assert!(
        !columns_holding(&app, "rita@example.org").is_empty(),
        "deleted within the period: kept"
    );
    assert!(
        !columns_holding(&app, "lena@example.org").is_empty(),
        "live: kept"
    );
    let feed = get(&app, &t, "/v1/events?types=account.erased").await;
    assert_eq!(feed["data"][0]["data"]["account_id"], old.as_str());

    // The CLI runs the same job as of a later time: the recent one is past the period then.
    let at = (now + chrono::Duration::days(31)).to_rfc3339();
    assert_eq!(privacy_cli(&app, &at)["erased_accounts"], 1);
    assert!(columns_holding(&app, "rita@example.org").is_empty());
    assert!(!columns_holding(&app, "lena@example.org").is_empty());
    assert_eq!(privacy_cli(&app, &at)["erased_accounts"], 0);
    let _ = live;
}
