//! The OpenAPI document tells the truth: real responses match their documented schemas and
//! headers, every status the edges can answer is documented, created records say where they
//! live (`Location`), and browsers may read the headers clients rely on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{assert_problem, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

/// The document the server serves.
async fn contract(app: &TestApp) -> Value {
    app.get("/openapi.json").await.json().await.unwrap()
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(doc, doc.pointer(r.trim_start_matches('#')).unwrap()),
        None => schema,
    }
}

/// A small JSON Schema check (the subset the document uses): every mismatch by its path.
fn violations(doc: &Value, schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let matching = options
            .iter()
            .filter(|o| {
                let mut errs = Vec::new();
                violations(doc, o, value, path, &mut errs);
                errs.is_empty()
            })
            .count();
        if matching != 1 {
            out.push(format!("{path}: matches {matching} of oneOf ({value})"));
        }
        return;
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let ok = types.contains(&actual) || (actual == "integer" && types.contains(&"number"));
        if !ok {
            out.push(format!("{path}: {actual} where the schema says {types:?}"));
            return;
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if !values.contains(value) {
            out.push(format!("{path}: {value} is not one of {values:?}"));
        }
    }
    if let Value::Object(object) = value {
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = required.as_str().unwrap();
            if !object.contains_key(name) {
                out.push(format!("{path}.{name}: required but missing"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, member) in object {
            let member_path = format!("{path}.{name}");
            match (
                properties.and_then(|p| p.get(name)),
                schema.get("additionalProperties"),
            ) {
                (Some(s), _) => violations(doc, s, member, &member_path, out),
                (None, Some(Value::Bool(false))) => {
                    out.push(format!("{member_path}: not in the schema"));
                }
                (None, Some(extra @ Value::Object(_))) => {
                    violations(doc, extra, member, &member_path, out);
                }
                (None, _) if properties.is_some() => {
                    out.push(format!("{member_path}: undocumented member"));
                }
                _ => {}
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            violations(doc, item_schema, item, &format!("{path}[{i}]"), out);
        }
    }
}

/// Asserts that `body` is what the document promises for `method path` answering `status`.
fn assert_documented(doc: &Value, method: &str, path: &str, status: u16, body: &Value) {
    let response = doc["paths"][path][method]["responses"][status.to_string()].clone();
    assert!(
        !response.is_null(),
        "{method} {path} does not document {status}"
    );
    let response = resolve(doc, &response);
    let schema = response["content"]
        .as_object()
        .and_then(|c| c.values().next())
        .map(|media| media["schema"].clone())
        .unwrap_or_else(|| panic!("{method} {path} {status} documents no body"));
    let mut out = Vec::new();
    violations(doc, &schema, body, "$", &mut out);
    assert!(
        out.is_empty(),
        "{method} {path} {status}: {out:#?}\nbody: {body}"
    );
}

async fn json_of(res: reqwest::Response, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status);
    res.json().await.unwrap()
}

#[tokio::test]
async fn the_account_batch_answer_is_the_documented_one() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Contract").await;
    let doc = contract(&app).await;
    let res = app
        .post_as(
            "/v1/accounts/batch",
            &ws.owner_token,
            &json!({"accounts": [
                {"kind": "person", "name": "Ada", "external_id": "ada"},
                {"kind": "person", "external_id": "no-name"}
            ]}),
        )
        .await;
    let body = json_of(res, 200).await;
    assert_eq!(body["failed"], 1);
    assert!(body["results"][1]["id"].is_null());
    assert_documented(&doc, "post", "/v1/accounts/batch", 200, &body);
    // The orders' batch keeps its own result schema.
    let orders = resolve(
        &doc,
        &doc["paths"]["/v1/orders/batch"]["post"]["responses"]["200"]["content"]
            ["application/json"]["schema"],
    );
    assert!(orders["properties"]["duplicates"].is_object());
}

#[tokio::test]
async fn audit_entries_hold_objects_as_documented() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Audit").await;
    let doc = contract(&app).await;
    let pipeline = json_of(
        app.post_as(
            "/v1/pipelines",
            &ws.owner_token,
            &json!({"name": "Old", "stages": [{"name": "Lead", "kind": "open", "probability": 10}]}),
        )
        .await,
        201,
    )
    .await;
    let id = pipeline["id"].as_str().unwrap();
    let res = app
        .send(
            Method::DELETE,
            &format!("/v1/pipelines/{id}"),
            &ws.owner_token,
            None,
        )
        .await;
    assert_eq!(res.status(), 204);
    let log = json_of(
        app.get_as(
            &format!("/v1/audit-log?resource_type=pipeline&resource_id={id}"),
            &ws.owner_token,
        )
        .await,
        200,
    )
    .await;
    let archive = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "pipeline.archive")
        .expect("the archive is audited");
    assert_eq!(archive["before"]["name"], "Old");
    assert_documented(&doc, "get", "/v1/audit-log", 200, &log);
    let before =
        resolve(&doc, &doc["components"]["schemas"]["AuditEntry"])["properties"]["before"].clone();
    assert_eq!(
        before["additionalProperties"],
        json!({}),
        "a record of values"
    );
}

#[tokio::test]
async fn creates_answer_with_the_location_of_the_new_record_also_when_replayed() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Location").await;
    let doc = contract(&app).await;
    let send = |key: &'static str| {
        app.http
            .post(app.url("/v1/accounts"))
            .bearer_auth(&ws.owner_token)
            .header("idempotency-key", key)
            .json(&json!({"kind": "organization", "name": "Acme", "attributes": {"plan": "gold"}}))
            .send()
    };
    let res = send("create-acme").await.unwrap();
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let account: Value = res.json().await.unwrap();
    assert_eq!(
        location,
        format!("/v1/accounts/{}", account["id"].as_str().unwrap())
    );
    assert_documented(&doc, "post", "/v1/accounts", 201, &account);
    let again = send("create-acme").await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.headers()["location"].to_str().unwrap(), location);
    assert_eq!(app.get_as(&location, &ws.owner_token).await.status(), 200);

    // Every other create too: the Location reads back the record it created.
    let account_id = account["id"].as_str().unwrap();
    let pipeline = app
        .post_as(
            "/v1/pipelines",
            &ws.owner_token,
            &json!({"name": "Sales", "stages": [{"name": "Lead", "kind": "open", "probability": 10}]}),
        )
        .await;
    let pipeline_location = pipeline.headers()["location"].to_str().unwrap().to_owned();
    let pipeline: Value = pipeline.json().await.unwrap();
    for (path, body) in [
        (
            format!("/v1/accounts/{account_id}/contacts"),
            json!({"name": "Grace"}),
        ),
        (
            format!("/v1/accounts/{account_id}/interactions"),
            json!({"type": "note", "body": "hello"}),
        ),
        (
            "/v1/orders".to_owned(),
            json!({"account_id": account_id, "amount": 100, "currency": "USD"}),
        ),
        (
            "/v1/deals".to_owned(),
            json!({"account_id": account_id, "title": "Deal", "amount": 1, "currency": "USD",
                   "pipeline_id": pipeline["id"]}),
        ),
        (
            "/v1/loyalty/rewards".to_owned(),
            json!({"name": "Mug", "points_cost": 10}),
        ),
        (
            "/v1/users".to_owned(),
            json!({"email": "agent@location.example.com", "name": "Agent",
                   "password": "long enough password", "role": "agent"}),
        ),
        (
            "/v1/api-keys".to_owned(),
            json!({"name": "partner", "scopes": ["accounts:read"]}),
        ),
    ] {
        let res = app.post_as(&path, &ws.owner_token, &body).await;
        assert_eq!(res.status(), 201, "POST {path}");
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        let created: Value = res.json().await.unwrap();
        assert!(location.ends_with(created["id"].as_str().unwrap()));
        let read = app.get_as(&location, &ws.owner_token).await;
        assert_eq!(read.status(), 200, "GET {location} after POST {path}");
        let read: Value = read.json().await.unwrap();
        assert_eq!(read["id"], created["id"]);
    }
    // Loyalty adjustments and redemptions: their own URLs under the account.
    let res = app
        .send(
            Method::PUT,
            "/v1/loyalty/program",
            &ws.owner_token,
            Some(&json!({"currency": "USD", "earn_rate": {"numerator": 1, "denominator": 100},
                "tiers": [{"name": "Base", "threshold": 0, "multiplier_permille": 1000, "benefits": ""}]})),
        )
        .await;
    assert_eq!(res.status(), 200);
    for (path, body, collection) in [
        (
            "adjust",
            json!({"points": 50, "reason": "welcome"}),
            "ledger",
        ),
        ("redeem", json!({"points": 20}), "redemptions"),
    ] {
        let res = app
            .post_as(
                &format!("/v1/accounts/{account_id}/loyalty/{path}"),
                &ws.owner_token,
                &body,
            )
            .await;
        assert_eq!(res.status(), 201, "{path}");
        let location = res.headers()["location"].to_str().unwrap().to_owned();
        let created: Value = res.json().await.unwrap();
        assert_eq!(
            location,
            format!(
                "/v1/accounts/{account_id}/loyalty/{collection}/{}",
                created["id"].as_str().unwrap()
            )
        );
        let read = json_of(app.get_as(&location, &ws.owner_token).await, 200).await;
        assert_eq!(read["id"], created["id"]);
        assert_eq!(read["points"], created["points"]);
    }
    assert_eq!(
        app.get_as(&pipeline_location, &ws.owner_token)
            .await
            .status(),
        200
    );
    // Documented, and required, on every create that has a URL of its own.
    let location_header = &doc["components"]["headers"]["Location"];
    assert_eq!(location_header["required"], true);
    for path in ["/v1/accounts", "/v1/orders", "/v1/deals", "/v1/users"] {
        assert_eq!(
            doc["paths"][path]["post"]["responses"]["201"]["headers"]["Location"]["$ref"],
            "#/components/headers/Location",
            "{path}"
        );
    }
}

#[tokio::test]
async fn browsers_may_read_the_headers_clients_rely_on() {
    let origin = "https://app.example.com";
    let app = TestApp::spawn_with(|c| c.cors_origins = vec![origin.to_owned()]).await;
    let ws = app.workspace("Cors").await;
    let res = app
        .http
        .post(app.url("/v1/accounts"))
        .bearer_auth(&ws.owner_token)
        .header("origin", origin)
        .json(&json!({"kind": "person", "name": "Ada"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["access-control-allow-origin"], origin);
    let exposed = res.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for header in [
        "idempotent-replayed",
        "etag",
        "location",
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset",
        "retry-after",
    ] {
        assert!(exposed.contains(header), "{header} in {exposed}");
    }
}

#[tokio::test]
async fn every_status_the_edges_answer_is_documented() {
    let app = TestApp::spawn_with(|c| c.rate_limit_per_minute = 3).await;
    let ws = app.workspace("Edges").await;
    let doc = contract(&app).await;
    let methods = ["get", "post", "put", "patch", "delete"];
    let mut authenticated = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in methods {
            let Some(op) = item.get(method) else { continue };
            let responses = &op["responses"];
            let secured = op["security"]
                .as_array()
                .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
            let params: Vec<&str> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p["name"].as_str())
                .collect();
            let at = format!("{} {path}", method.to_uppercase());
            if secured {
                authenticated += 1;
                for status in ["401", "429", "503"] {
                    assert!(responses.get(status).is_some(), "{at} documents {status}");
                }
                // 403 wherever a scope or role is needed, and only there.
                let any_principal = op["x-rapport-scope"] == "any";
                assert_eq!(
                    responses.get("403").is_some(),
                    !any_principal,
                    "{at} documents 403 unless any caller may use it"
                );
                let too_many = resolve(&doc, &responses["429"]);
                for header in [
                    "Retry-After",
                    "RateLimit-Limit",
                    "RateLimit-Remaining",
                    "RateLimit-Reset",
                ] {
                    assert!(
                        too_many["headers"].get(header).is_some(),
                        "{at} 429 {header}"
                    );
                }
                let ok = responses
                    .as_object()
                    .unwrap()
                    .iter()
                    .find(|(s, _)| s.starts_with('2'))
                    .map(|(_, r)| r)
                    .unwrap();
                assert!(
                    ok["headers"].get("RateLimit-Remaining").is_some(),
                    "{at} 2xx"
                );
            }
            // Every request target is checked for text that is not text (a 400 naming it).
            assert!(responses.get("400").is_some(), "{at} documents 400");
            if op.get("requestBody").is_some() {
                for status in ["400", "413", "415", "422"] {
                    assert!(responses.get(status).is_some(), "{at} documents {status}");
                }
            }
            if params.contains(&"limit") {
                assert!(responses.get("422").is_some(), "{at} documents 422");
                let limit = op["parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["name"] == "limit")
                    .unwrap();
                assert_eq!(limit["schema"]["minimum"], 1, "{at}");
                assert_eq!(limit["schema"]["maximum"], 500, "{at}");
            }
            if let Some(created) = responses.get("201") {
                assert_eq!(
                    created["headers"]["Location"]["$ref"], "#/components/headers/Location",
                    "{at}"
                );
            }
            if params.contains(&"If-Match") {
                assert!(responses.get("412").is_some(), "{at} documents 412");
            }
            if method == "post" && params.contains(&"Idempotency-Key") {
                assert!(responses.get("409").is_some(), "{at} documents 409");
            }
        }
    }
    assert!(
        authenticated > 60,
        "{authenticated} authenticated operations"
    );
    // A taken external_id on PATCH is a documented 409.
    assert!(doc["paths"]["/v1/accounts/{id}"]["patch"]["responses"]
        .get("409")
        .is_some());

    // And the server does answer them as documented: 415, 400, 422, 401, then 429.
    let res = app
        .http
        .post(app.url("/v1/accounts"))
        .bearer_auth(&ws.owner_token)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "unsupported_media_type").await;
    let res = app
        .http
        .get(app.url("/v1/accounts?limit=abc"))
        .bearer_auth(&ws.owner_token)
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid_query").await;
    let res = app.get("/v1/accounts").await;
    assert!(res.headers().contains_key("www-authenticate"));
    assert_problem(res, 401, "unauthenticated").await;
    let mut answers = Vec::new();
    for _ in 0..5 {
        let res = app.get_as("/v1/accounts?limit=501", &ws.owner_token).await;
        assert_eq!(res.headers()["ratelimit-limit"], "3");
        let status = res.status().as_u16();
        answers.push(status);
        if status == 429 {
            assert!(res.headers().contains_key("retry-after"));
            assert!(res.headers().contains_key("ratelimit-reset"));
            assert_problem(res, 429, "rate_limited").await;
            break;
        }
        assert_problem(res, 422, "validation_failed").await;
    }
    assert_eq!(answers.last(), Some(&429), "{answers:?}");
    assert!(answers.contains(&422), "{answers:?}");
}

#[tokio::test]
async fn input_schemas_require_what_the_server_requires_and_list_the_names_it_accepts() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Inputs").await;
    let doc = contract(&app).await;
    let schemas = &doc["components"]["schemas"];
    let required = |name: &str| -> Vec<String> {
        schemas[name]["required"]
            .as_array()
            .unwrap_or(&Vec::new())
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(required("AccountInput"), ["kind", "name"]);
    assert_eq!(required("OrderInput"), ["amount", "currency"]);
    assert_eq!(
        schemas["AccountInput"]["properties"]["name"]["type"],
        "string"
    );
    assert_eq!(
        schemas["AccountInput"]["properties"]["kind"]["enum"],
        json!(["person", "organization"])
    );
    assert_eq!(
        schemas["AccountInput"]["properties"]["lifecycle_stage"]["enum"],
        json!(["lead", "prospect", "customer", "churned", null])
    );
    assert_eq!(
        schemas["ContactInput"]["properties"]["name"]["maxLength"],
        300
    );
    // Every member the server reads is documented (the schema forbids others).
    assert_eq!(schemas["AccountInput"]["additionalProperties"], false);
    assert!(schemas["AccountInput"]["properties"]["marketing_consent"].is_object());
    let res = app
        .post_as(
            "/v1/accounts",
            &ws.owner_token,
            &json!({"kind": "person", "name": "Consenting",
                    "marketing_consent": {"email": {"granted": true, "method": "checkbox"}}}),
        )
        .await;
    let consenting = json_of(res, 201).await;
    assert_eq!(
        consenting["marketing_consent"]["email"]["status"],
        "granted"
    );
    // What any caller may read answers no 403: a key with an unrelated scope reads its
    // workspace.
    let (_, key) = app.api_key(&ws, &["orders:read"]).await;
    assert_eq!(app.get_as("/v1/workspace", &key).await.status(), 200);
    assert_eq!(app.get_as("/v1/accounts", &key).await.status(), 403);
    assert!(doc["paths"]["/v1/workspace"]["get"]["responses"]
        .get("403")
        .is_none());
    // A merge patch: nothing required, read-only members left out.
    assert!(required("AccountInputPatch").is_empty());
    assert!(required("ValueSettingsPatch").is_empty());
    assert!(schemas["ValueSettingsPatch"]["properties"]
        .get("version")
        .is_none());
    assert_eq!(
        doc["paths"]["/v1/workspace/value-settings"]["patch"]["requestBody"]["content"]
            ["application/merge-patch+json"]["schema"]["$ref"],
        "#/components/schemas/ValueSettingsPatch"
    );
    // Free-form objects are records of values.
    assert_eq!(
        schemas["AccountInput"]["properties"]["attributes"]["additionalProperties"],
        json!({})
    );
    assert_eq!(
        schemas["ValueSettings"]["properties"]["exchange_rates"]["additionalProperties"]["type"],
        "string"
    );

    // What the schemas say is what the server does: the names in the enums are accepted,
    // the documented patch needs no version, and its answer matches its schema.
    let lifecycle = schemas["AccountInput"]["properties"]["lifecycle_stage"]["enum"].clone();
    for stage in lifecycle
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !s.is_null())
    {
        let res = app
            .post_as(
                "/v1/accounts",
                &ws.owner_token,
                &json!({"kind": "person", "name": "Ada", "lifecycle_stage": stage}),
            )
            .await;
        assert_eq!(res.status(), 201, "{stage}");
    }
    let res = app
        .send(
            Method::PATCH,
            "/v1/workspace/value-settings",
            &ws.owner_token,
            Some(&json!({"exchange_rates": {"EUR": "1.08"}})),
        )
        .await;
    let settings = json_of(res, 200).await;
    assert_documented(
        &doc,
        "patch",
        "/v1/workspace/value-settings",
        200,
        &settings,
    );
    // An unknown filter value is a 422 naming the parameter, as documented.
    let res = app
        .get_as("/v1/analytics/at-risk?segment=nope", &ws.owner_token)
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "segment");
}

#[tokio::test]
async fn extreme_numbers_the_fuzzer_sends_are_validation_errors() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Extremes").await;
    let account = json_of(
        app.post_as(
            "/v1/accounts",
            &ws.owner_token,
            &json!({"kind": "person", "name": "Ada"}),
        )
        .await,
        201,
    )
    .await;
    let path = format!(
        "/v1/accounts/{}/loyalty/adjust",
        account["id"].as_str().unwrap()
    );
    for points in [i64::MIN, i64::MAX, -1_000_000_001] {
        let res = app
            .post_as(
                &path,
                &ws.owner_token,
                &json!({"points": points, "reason": "fuzz"}),
            )
            .await;
        let problem = assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "points", "{points}");
    }
}
