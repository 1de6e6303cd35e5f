//! Input at the edge (issue 17): a body that is present must parse, whatever the endpoint
//! (walked from the OpenAPI document, so a new endpoint cannot skip it); money inputs share
//! one bound and analytics sums never overflow; text that is not text (NUL, control
//! characters) is refused at every door with the parameter named; database trouble
//! (timeouts, a full pool, a lost connection) is a retryable 503; actix's own errors are
//! problem+json; and adding a user never tells where else an address is registered.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use base64::Engine;
use common::{assert_problem, repo_file, TestApp, Workspace, PASSWORD};
use diesel::connection::SimpleConnection;
use reqwest::Method;
use serde_json::{json, Value};

async fn created(res: reqwest::Response, what: &str) -> Value {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    assert!(status == 200 || status == 201, "{what}: {status} {body}");
    body
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// One record of each kind a path parameter names, made through the API.
struct Records {
    account: String,
    order: String,
    pipeline: Value,
    deal: String,
    contact: String,
    interaction: String,
    reward: String,
    user: String,
    api_key: String,
    webhook: String,
    segment: String,
    campaign: String,
    complaint: String,
    offer: String,
    voucher_code: String,
}

async fn records(app: &TestApp, ws: &Workspace) -> Records {
    let t = &ws.owner_token;
    let account = id(&created(
        app.post_as(
            "/v1/accounts",
            t,
            &json!({"kind": "organization", "name": "Acme"}),
        )
        .await,
        "account",
    )
    .await);
    let order = id(&created(
        app.post_as(
            "/v1/orders",
            t,
            &json!({"account_id": account, "external_id": "o-1", "amount": 10_000,
                    "currency": "USD", "occurred_at": "2026-01-10T10:00:00Z"}),
        )
        .await,
        "order",
    )
    .await);
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
    let deal = id(&created(
        app.post_as(
            "/v1/deals",
            t,
            &json!({"account_id": account, "title": "Deal", "amount": 5000,
                    "currency": "USD", "pipeline_id": id(&pipeline)}),
        )
        .await,
        "deal",
    )
    .await);
    let contact = id(&created(
        app.post_as(
            &format!("/v1/accounts/{account}/contacts"),
            t,
            &json!({"name": "Grace"}),
        )
        .await,
        "contact",
    )
    .await);
    let interaction = id(&created(
        app.post_as(
            &format!("/v1/accounts/{account}/interactions"),
            t,
            &json!({"type": "call", "channel": "phone", "direction": "outbound",
                    "subject": "Renewal call", "occurred_at": "2026-11-23T10:30:00Z"}),
        )
        .await,
        "interaction",
    )
    .await);
    created(
        app.send(
            Method::PUT,
            "/v1/loyalty/program",
            t,
            Some(
                &json!({"currency": "USD", "earn_rate": {"numerator": 1, "denominator": 100},
                "tiers": [{"name": "Base", "threshold": 0, "multiplier_permille": 1000}]}),
            ),
        )
        .await,
        "program",
    )
    .await;
    let reward = id(&created(
        app.post_as(
            "/v1/loyalty/rewards",
            t,
            &json!({"name": "Mug", "points_cost": 100}),
        )
        .await,
        "reward",
    )
    .await);
    let user = id(&created(
        app.post_as(
            "/v1/users",
            t,
            &json!({"email": format!("agent-{}@example.com", uuid::Uuid::new_v4().simple()),
                    "name": "Agent", "password": PASSWORD, "role": "agent"}),
        )
        .await,
        "user",
    )
    .await);
    let (api_key, _) = app.api_key(ws, &["accounts:read"]).await;
    let webhook = id(&created(
        app.post_as(
            "/v1/webhooks",
            t,
            &json!({"url": "https://partner.example.com/hook", "event_types": ["order.*"],
                    "enabled": false}),
        )
        .await,
        "webhook",
    )
    .await);
    let segment = id(&created(
        app.post_as(
            "/v1/segments",
            t,
            &json!({"name": "Buyers", "rule": {"field": "orders_count", "op": ">=", "value": 1}}),
        )
        .await,
        "segment",
    )
    .await);
    let campaign = id(&created(
        app.post_as(
            "/v1/campaigns",
            t,
            &json!({"name": "Spring", "channel": "email", "segment_id": segment}),
        )
        .await,
        "campaign",
    )
    .await);
    let complaint = id(&created(
        app.post_as(
            "/v1/complaints",
            t,
            &json!({"account_id": account, "category": "delivery", "severity": "low", "subject": "Late"}),
        )
        .await,
        "complaint",
    )
    .await);
    let offer = id(&created(
        app.post_as(
            "/v1/offers",
            t,
            &json!({"name": "Free shipping", "kind": "free_shipping"}),
        )
        .await,
        "offer",
    )
    .await);
    let issued: Value = app
        .post_as(
            &format!("/v1/offers/{offer}/issue"),
            t,
            &json!({ "account_id": account }),
        )
        .await
        .json()
        .await
        .unwrap();
    let voucher_code = issued["vouchers"][0]["code"].as_str().unwrap().to_owned();
    Records {
        complaint,
        account,
        order,
        pipeline,
        deal,
        contact,
        interaction,
        reward,
        user,
        api_key,
        webhook,
        segment,
        campaign,
        offer,
        voucher_code,
    }
}

impl Records {
    /// `path` with its parameter replaced by the record it names.
    fn fill(&self, path: &str) -> String {
        let id = if path.starts_with("/v1/accounts/{id}") {
            &self.account
        } else if path.starts_with("/v1/orders/{id}") {
            &self.order
        } else if path.starts_with("/v1/pipelines/{id}") {
            &self.pipeline["id"].as_str().unwrap().to_owned()
        } else if path.starts_with("/v1/deals/{id}") {
            &self.deal
        } else if path.starts_with("/v1/contacts/{id}") {
            &self.contact
        } else if path.starts_with("/v1/interactions/{id}") {
            &self.interaction
        } else if path.starts_with("/v1/loyalty/rewards/{id}") {
            &self.reward
        } else if path.starts_with("/v1/users/{id}") {
            &self.user
        } else if path.starts_with("/v1/api-keys/{id}") {
            &self.api_key
        } else if path.starts_with("/v1/webhooks/{id}") {
            &self.webhook
        } else if path.starts_with("/v1/segments/{id}") {
            &self.segment
        } else if path.starts_with("/v1/campaigns/{id}") {
            &self.campaign
        } else if path.starts_with("/v1/complaints/{id}") {
            &self.complaint
        } else if path.starts_with("/v1/offers/{id}") {
            &self.offer
        } else if path.starts_with("/v1/vouchers/{code}") {
            return path.replace("{code}", &self.voucher_code);
        } else {
            assert!(
                !path.contains('{'),
                "no record for {path}: add one to Records"
            );
            return path.to_owned();
        };
        path.replace("{id}", id)
    }
}

/// What any write would change: the audit log (every write is audited), the order, the
/// account's revenue, the churn model.
async fn fingerprint(app: &TestApp, t: &str, r: &Records) -> Value {
    let audit: Value = app
        .get_as("/v1/audit-log?limit=500", t)
        .await
        .json()
        .await
        .unwrap();
    let order: Value = app
        .get_as(&format!("/v1/orders/{}", r.order), t)
        .await
        .json()
        .await
        .unwrap();
    let profile: Value = app
        .get_as(&format!("/v1/accounts/{}/profile", r.account), t)
        .await
        .json()
        .await
        .unwrap();
    let model = app.get_as("/v1/models/churn", t).await;
    let model_status = model.status().as_u16();
    let model: Value = model.json().await.unwrap_or(Value::Null);
    json!({
        "audit_entries": audit["data"].as_array().map(Vec::len),
        "refunded": order["refunded_amount"],
        "order_version": order["version"],
        "revenue": profile["metrics"]["revenue"],
        "model": [model_status, model["version"]],
    })
}

/// The schema a `$ref` points at.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let schema = schema
        .get("oneOf")
        .and_then(|alts| alts.as_array()?.iter().find(|s| s.get("$ref").is_some()))
        .unwrap_or(schema);
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// Puts a NUL character inside the first text value of `value` (depth first) and answers its
/// path (`items[0].sku`), or `None` when `value` holds no text.
fn put_nul_in_first_text(value: &mut Value, path: &str) -> Option<String> {
    match value {
        Value::String(text) => {
            text.insert(0, '\0');
            Some(path.to_owned())
        }
        Value::Array(items) => items
            .iter_mut()
            .enumerate()
            .find_map(|(i, item)| put_nul_in_first_text(item, &format!("{path}[{i}]"))),
        Value::Object(members) => members.iter_mut().find_map(|(key, member)| {
            let path = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            put_nul_in_first_text(member, &path)
        }),
        _ => None,
    }
}

/// A value of the wrong type for a property of `schema`.
fn wrong_value(property: &Value) -> Value {
    let types: Vec<&str> = match &property["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if types.contains(&"string") || types.is_empty() {
        json!(12345)
    } else {
        json!("not-of-this-type")
    }
}

#[tokio::test]
async fn every_body_that_is_sent_must_parse_and_a_bad_one_changes_nothing() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Edge").await;
    let t = ws.owner_token.clone();
    let r = records(&app, &ws).await;
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_file("openapi/openapi.json")).unwrap())
            .unwrap();

    let before = fingerprint(&app, &t, &r).await;
    let mut optional = Vec::new();
    let mut checked = 0;
    let mut nul_checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(body) = op.get("requestBody") else {
                continue;
            };
            if body["required"] != json!(true) {
                optional.push(format!("{method} {path}"));
            }
            let (content_type, media) = body["content"].as_object().unwrap().iter().next().unwrap();
            let schema = resolve(&doc, &media["schema"]);
            if content_type != "application/json" && !content_type.ends_with("+json") {
                // A file sent raw (import jobs): a body that is no file of the type and a body
                // of another media type are refused before anything is stored.
                let url = app.url(&format!("{}?type=accounts", r.fill(path)));
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                for (case, sent_as, text, status) in [
                    (
                        "not a file of the type",
                        content_type.as_str(),
                        "{\"amount\": ",
                        422,
                    ),
                    (
                        "wrong content type",
                        "text/plain",
                        "external_id\nx-1\n",
                        415,
                    ),
                ] {
                    let res = app
                        .http
                        .request(method.clone(), &url)
                        .bearer_auth(&t)
                        .header("content-type", sent_as)
                        .body(text)
                        .send()
                        .await
                        .unwrap();
                    let got = res.status().as_u16();
                    let problem = res
                        .headers()
                        .get("content-type")
                        .is_some_and(|v| v == "application/problem+json");
                    assert!(
                        got == status && problem,
                        "{method} {path} with a {case} body: {got}"
                    );
                    checked += 1;
                }
                continue;
            }
            // GraphQL-over-HTTP requests may carry members of their own (`extensions`).
            let closed = path != "/graphql";
            if closed {
                assert_eq!(
                    schema["additionalProperties"],
                    json!(false),
                    "{method} {path}: the body's schema must be closed (deny_unknown_fields)"
                );
            }
            let example = media.get("example").cloned().unwrap_or_else(|| json!({}));
            let url = app.url(&r.fill(path));
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let property = schema["properties"]
                .as_object()
                .and_then(|p| {
                    p.iter()
                        .find(|(_, s)| !s.as_object().is_some_and(|o| o.is_empty()))
                })
                .map(|(name, s)| (name.clone(), s.clone()));

            let mut cases: Vec<(&str, String, String)> = vec![
                ("malformed", content_type.clone(), "{\"amount\": ".into()),
                (
                    "wrong content type",
                    "text/plain".into(),
                    example.to_string(),
                ),
            ];
            if let Some((name, property)) = &property {
                let mut wrong = if example.is_object() {
                    example.clone()
                } else {
                    json!({})
                };
                wrong[name] = wrong_value(property);
                cases.push(("wrong type", content_type.clone(), wrong.to_string()));
            }
            if closed {
                let mut unknown = if example.is_object() {
                    example.clone()
                } else {
                    json!({})
                };
                unknown["definitely_not_a_field"] = json!(1);
                cases.push(("unknown field", content_type.clone(), unknown.to_string()));
            }
            // A NUL in a text value: refused naming the field (PostgreSQL cannot store it).
            let mut with_nul = example.clone();
            let nul_field = closed
                .then(|| put_nul_in_first_text(&mut with_nul, ""))
                .flatten();
            if nul_field.is_some() {
                cases.push(("NUL in text", content_type.clone(), with_nul.to_string()));
            }
            for (case, content_type, text) in cases {
                let res = app
                    .http
                    .request(method.clone(), &url)
                    .bearer_auth(&t)
                    .header("content-type", content_type)
                    .body(text.clone())
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                let problem = res
                    .headers()
                    .get("content-type")
                    .is_some_and(|v| v == "application/problem+json");
                let answer: Value = res.json().await.unwrap_or(Value::Null);
                assert!(
                    [400, 415, 422].contains(&status) && problem,
                    "{method} {path} with a {case} body ({text}): {status} {answer}"
                );
                if case == "NUL in text" {
                    nul_checked += 1;
                    assert_eq!(
                        (status, &answer["errors"][0]["field"]),
                        (422, &json!(nul_field.clone().unwrap())),
                        "{method} {path} with a NUL in text: {answer}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "only {checked} requests made");
    assert!(
        nul_checked > 10,
        "only {nul_checked} bodies with text checked for NUL"
    );
    // What the schema fuzzer sent on PostgreSQL, answered 500 before the check.
    for (path, body, field) in [
        (
            "/v1/deals",
            json!({"name": "D", "pipeline_id": "p\u{0}"}),
            "pipeline_id",
        ),
        (
            "/v1/users",
            json!({"email": "n@example.com", "name": "\u{0}", "role": "viewer", "password": "correct horse battery"}),
            "name",
        ),
        (
            "/v1/accounts",
            json!({"kind": "person", "name": "A", "attributes": {"k": "\u{0}"}}),
            "attributes.k",
        ),
    ] {
        let res = app
            .http
            .post(app.url(path))
            .bearer_auth(&t)
            .json(&body)
            .send()
            .await
            .unwrap();
        let problem = assert_problem(res, 422, "invalid_body").await;
        assert_eq!(problem["errors"][0]["field"], field, "{path}: {problem}");
    }
    assert_eq!(
        fingerprint(&app, &t, &r).await,
        before,
        "a refused body changed something"
    );
    // The endpoints whose body may be left out say so in the document.
    for op in ["post /v1/orders/{id}/refund", "post /v1/models/churn/fit"] {
        assert!(
            optional.iter().any(|o| o == op),
            "{op} not optional in {optional:?}"
        );
    }

    // The defect as reported: each of these refunded the whole order.
    let refund = format!("/v1/orders/{}/refund", r.order);
    for (body, field) in [
        (r#"{"amount":"25.00"}"#, "amount"),
        (r#"{"amount":25.5}"#, "amount"),
        (r#"{"amount":9223372036854775808}"#, "amount"),
        (r#"{"amout":2500}"#, "amout"),
    ] {
        let res = app
            .http
            .post(app.url(&refund))
            .bearer_auth(&t)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let problem = assert_problem(res, 422, "invalid_body").await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
    let res = app
        .http
        .post(app.url("/v1/models/churn/fit"))
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body(r#"{"as_of":"not-a-date"}"#)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, 422, "invalid_body").await;
    assert_eq!(problem["errors"][0]["field"], "as_of");
    assert_eq!(fingerprint(&app, &t, &r).await, before);

    // An absent body still means the defaults: a full refund.
    let res = app
        .http
        .post(app.url(&refund))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let order: Value = res.json().await.unwrap();
    assert_eq!(order["refunded_amount"], 10_000);
}

#[tokio::test]
async fn money_inputs_share_one_bound_and_pipeline_sums_never_overflow() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Money").await;
    let t = &ws.owner_token;
    let r = records(&app, &ws).await;
    let pipeline = &r.pipeline;
    let stage = |name: &str| {
        pipeline["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .map(id)
            .unwrap()
    };
    const MAX: i64 = 10_000_000_000_000;
    let deal = |amount: Value| {
        json!({"account_id": r.account, "title": "Big", "amount": amount,
               "currency": "USD", "pipeline_id": id(pipeline)})
    };
    let analytics = format!("/v1/analytics/pipeline?pipeline_id={}", id(pipeline));

    let mut big = Vec::new();
    for _ in 0..4 {
        big.push(id(&created(
            app.post_as("/v1/deals", t, &deal(json!(MAX))).await,
            "deal",
        )
        .await));
    }
    for won in &big[2..] {
        created(
            app.post_as(
                &format!("/v1/deals/{won}/move"),
                t,
                &json!({"stage_id": stage("Won")}),
            )
            .await,
            "win",
        )
        .await;
    }
    let res = app.get_as(&analytics, t).await;
    assert_eq!(res.status(), 200);

    // Over the bound, at every money input, is a 422 naming the field.
    for amount in [json!(MAX + 1), json!(i64::MAX), json!(-1)] {
        let res = app.post_as("/v1/deals", t, &deal(amount)).await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "amount");
    }
    let res = app
        .send(
            Method::PATCH,
            &format!("/v1/deals/{}", big[0]),
            t,
            Some(&json!({"amount": i64::MAX})),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "amount");
    let res = app
        .send(
            Method::PATCH,
            &format!("/v1/accounts/{}", r.account),
            t,
            Some(&json!({"acquisition_cost": {"amount": MAX + 1, "currency": "USD"}})),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "acquisition_cost.amount");
    let res = app
        .post_as(
            &format!("/v1/orders/{}/refund", r.order),
            t,
            &json!({"amount": MAX + 1}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "amount");
    let res = app
        .send(
            Method::PUT,
            "/v1/loyalty/program",
            t,
            Some(
                &json!({"currency": "USD", "earn_rate": {"numerator": i64::MAX, "denominator": 1},
                "tiers": [{"name": "Base", "threshold": 0, "multiplier_permille": 1000},
                          {"name": "Top", "threshold": i64::MAX, "multiplier_permille": 1000}]}),
            ),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(fields.contains(&"earn_rate.numerator"), "{problem}");
    assert!(fields.contains(&"tiers[1].threshold"), "{problem}");

    // Amounts stored before the bound existed (straight into the table): the sums saturate
    // instead of failing.
    let mut conn = app.db.connect();
    conn.batch_execute(&format!(
        "UPDATE deals SET amount = {} WHERE workspace_id = '{}'",
        i64::MAX,
        ws.id
    ))
    .unwrap();
    let res = app.get_as(&analytics, t).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let text = body.to_string();
    assert!(
        text.contains(&i64::MAX.to_string()),
        "saturated sums in {text}"
    );
}

#[tokio::test]
async fn text_that_is_not_text_is_refused_at_every_door_naming_the_parameter() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Nul").await;
    let t = &ws.owner_token;
    let r = records(&app, &ws).await;

    for (query, field) in [
        ("q=ab%00c", "q"),
        ("external_id=%00", "external_id"),
        ("owner_id=x%00", "owner_id"),
        ("tag=a%0Ab", "tag"),
        ("after=%00", "after"),
    ] {
        let res = app.get_as(&format!("/v1/accounts?{query}"), t).await;
        let problem = assert_problem(res, 400, "invalid_parameter").await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}");
    }
    for path in [
        "/v1/accounts/a%00b".to_owned(),
        "/v1/accounts/a%00b/profile".to_owned(),
        "/v1/orders/%00".to_owned(),
    ] {
        let res = app.get_as(&path, t).await;
        let problem = assert_problem(res, 400, "invalid_parameter").await;
        assert_eq!(problem["errors"][0]["field"], "id", "{path}");
    }
    let res = app
        .get_as(
            &format!("/v1/deals?owner_id=%00&pipeline_id={}", id(&r.pipeline)),
            t,
        )
        .await;
    assert_problem(res, 400, "invalid_parameter").await;

    // A merge naming an id that is not text, or not an account: refused naming the item, and
    // the account is unchanged.
    let before: Value = app
        .get_as(&format!("/v1/accounts/{}", r.account), t)
        .await
        .json()
        .await
        .unwrap();
    for from in ["a\u{0}b", "a\nb", "not-an-account"] {
        let res = app
            .post_as(
                &format!("/v1/accounts/{}/merge", r.account),
                t,
                &json!({ "from": [from] }),
            )
            .await;
        assert_eq!(res.status(), 422, "{from:?}");
        let problem: Value = res.json().await.unwrap();
        assert_eq!(
            problem["errors"][0]["field"], "from[0]",
            "{from:?}: {problem}"
        );
    }
    let after: Value = app
        .get_as(&format!("/v1/accounts/{}", r.account), t)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after, before);

    // A forged cursor: valid base64 and JSON, carrying NUL.
    let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(json!({"k": "name", "v": "A\u{0}", "id": "x\u{0}"}).to_string());
    let res = app
        .get_as(&format!("/v1/accounts?sort=name&after={forged}"), t)
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "after");

    // Query values that do not parse name their parameter (18.7).
    for (query, field) in [
        ("created_after=yesterday", "created_after"),
        ("limit=abc", "limit"),
    ] {
        let res = app.get_as(&format!("/v1/accounts?{query}"), t).await;
        let problem = assert_problem(res, 400, "invalid_query").await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}");
    }

    // GraphQL: written in the document, sent as a variable, and as a cursor.
    let query = r#"{ accounts(filter: {q: "a\u0000"}) { edges { node { id } } } }"#;
    let answer = app.graphql_as(t, query, json!({})).await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "invalid_text",
        "{answer}"
    );
    assert_eq!(
        answer["errors"][0]["extensions"]["errors"][0]["field"],
        "filter.q"
    );
    let query =
        r#"query($f: AccountFilterInput) { accounts(filter: $f) { edges { node { id } } } }"#;
    let answer = app
        .graphql_as(t, query, json!({"f": {"externalId": "\u{0}"}}))
        .await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "invalid_text",
        "{answer}"
    );
    let query = r#"query($after: String) { accounts(after: $after) { edges { node { id } } } }"#;
    let answer = app.graphql_as(t, query, json!({"after": "\u{0}"})).await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "invalid_text",
        "{answer}"
    );
    let answer = app
        .graphql_as(t, r#"query($after: String) { accounts(sort: "name", after: $after) { edges { node { id } } } }"#, json!({"after": forged}))
        .await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "validation_failed",
        "{answer}"
    );
    // Still a working door.
    let answer = app
        .graphql_as(
            t,
            "{ accounts(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert!(answer.get("errors").is_none(), "{answer}");
}

/// Holds a write lock on `accounts` from outside the app until dropped.
fn lock_accounts(app: &TestApp) -> rapport_persistence::DbConn {
    let mut conn = app.db.connect();
    if app.db.is_postgres() {
        conn.batch_execute("BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE;")
            .unwrap();
    } else {
        conn.batch_execute("BEGIN IMMEDIATE;").unwrap();
    }
    conn
}

#[tokio::test]
async fn a_statement_past_its_timeout_and_a_full_pool_answer_a_retryable_503() {
    // The webhook and import workers stay off: their polling would take the one
    // connection at times.
    let app = TestApp::spawn_with(|c| {
        c.webhooks.worker = false;
        c.imports_worker = false;
        c.exports_worker = false;
        c.db_pool_size = 1;
        c.db_pool_timeout_ms = 200;
        c.db_statement_timeout_ms = 1_500;
    })
    .await;
    let ws = app.workspace("Locks").await;
    let t = ws.owner_token.clone();
    let body = json!({"kind": "person", "name": "Waiting"});
    // Warm the one connection (and the credentials cache).
    assert_eq!(app.get_as("/v1/accounts", &t).await.status(), 200);

    let mut lock = lock_accounts(&app);
    let writer = {
        let (http, url, t, body) = (
            app.http.clone(),
            app.url("/v1/accounts"),
            t.clone(),
            body.clone(),
        );
        tokio::spawn(async move {
            http.post(url)
                .bearer_auth(t)
                .json(&body)
                .send()
                .await
                .unwrap()
        })
    };
    // While the writer holds the only connection, waiting on the lock, the next request
    // waits 200 ms for a connection and is told to retry.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let res = app.get_as("/v1/accounts", &t).await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, 503, "database_busy").await;
    // The writer gives up at the statement timeout: 503, nothing written.
    let res = writer.await.unwrap();
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, 503, "database_timeout").await;
    lock.batch_execute("ROLLBACK;").unwrap();
    drop(lock);

    let res = app.post_as("/v1/accounts", &t, &body).await;
    assert_eq!(res.status(), 201);
    let list: Value = app.get_as("/v1/accounts", &t).await.json().await.unwrap();
    assert_eq!(
        list["data"].as_array().unwrap().len(),
        1,
        "the timed-out write left nothing"
    );
}

#[tokio::test]
async fn a_connection_lost_under_a_request_is_a_503_and_the_next_request_works() {
    // The webhook and import workers stay off: their polling would meet the dead
    // connection first.
    let app = TestApp::spawn_with(|c| {
        c.db_pool_size = 1;
        c.webhooks.worker = false;
        c.imports_worker = false;
        c.exports_worker = false;
    })
    .await;
    if !app.db.is_postgres() {
        // An embedded SQLite file has no server connection to lose.
        return;
    }
    let ws = app.workspace("Lost").await;
    let t = ws.owner_token.clone();
    assert_eq!(app.get_as("/v1/accounts", &t).await.status(), 200);
    // The app's only connection is killed by the server (a restart, a failover).
    let mut admin = app.db.connect();
    admin
        .batch_execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let res = app.get_as("/v1/accounts", &t).await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, 503, "database_unavailable").await;
    // The dead connection was not lent out again.
    let res = app.get_as("/v1/accounts", &t).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn errors_actix_makes_itself_are_problem_json_too() {
    let app =
        TestApp::spawn_with(|c| c.cors_origins = vec!["https://app.example.com".into()]).await;
    let ws = app.workspace("Plain").await;
    let t = &ws.owner_token;

    // A long URL (the parser itself refuses heads over 64 KiB, before the application).
    let res = app
        .get_as(&format!("/v1/accounts?q={}", "a".repeat(10_000)), t)
        .await;
    assert_problem(res, 414, "uri_too_long").await;

    // A header value that is not visible ASCII.
    let res = app
        .http
        .post(app.url("/v1/accounts"))
        .bearer_auth(t)
        .header(
            "idempotency-key",
            reqwest::header::HeaderValue::from_bytes(b"key-\xff-1").unwrap(),
        )
        .json(&json!({"kind": "person", "name": "X"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_idempotency_key").await;

    // A CORS preflight from an origin that is not allowed (answered by actix-cors).
    let res = app
        .http
        .request(Method::OPTIONS, app.url("/v1/accounts"))
        .header("origin", "https://evil.example.com")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    let status = res.status().as_u16();
    assert_problem(res, status, "bad_request").await;

    // A body over the limit, on an endpoint whose body is optional.
    let res = app
        .http
        .post(app.url("/v1/models/churn/fit"))
        .bearer_auth(t)
        .header("content-type", "application/json")
        .body(format!(
            "{{\"as_of\": \"{}\"}}",
            "x".repeat(2 * 1024 * 1024)
        ))
        .send()
        .await
        .unwrap();
    assert_problem(res, 413, "payload_too_large").await;
}

#[tokio::test]
async fn adding_a_user_does_not_tell_whether_the_address_is_registered_elsewhere() {
    let app = TestApp::spawn().await;
    let a = app.workspace("Alpha").await;
    let b = app.workspace("Beta").await;
    let user = |email: &str| json!({"email": email, "name": "Someone", "password": PASSWORD, "role": "agent"});
    created(
        app.post_as("/v1/users", &a.owner_token, &user("taken@example.com"))
            .await,
        "user",
    )
    .await;
    // The same address again in A (where the admin can see it) and in B (where they cannot).
    let mut answers = Vec::new();
    for ws in [&a, &b] {
        let res = app
            .post_as("/v1/users", &ws.owner_token, &user("taken@example.com"))
            .await;
        answers.push(assert_problem(res, 409, "email_taken").await);
    }
    assert_eq!(answers[0], answers[1], "the answers must not differ");
    // B's owner can still add anyone else.
    created(
        app.post_as("/v1/users", &b.owner_token, &user("free@example.com"))
            .await,
        "user",
    )
    .await;
}
