//! The foundation over HTTP: health, readiness, metrics, docs, contracts served, and errors
//! as problem details that leave the server up.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{assert_problem, graphql_sdl, repo_file, TestApp};
use serde_json::json;

#[tokio::test]
async fn health_and_readiness_report_the_real_backends() {
    let app = TestApp::spawn().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("x-request-id"));

    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    let database = if app.db.is_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(body["database"]["kind"], database);
    let cache = if app.redis.is_some() {
        "redis"
    } else {
        "memory"
    };
    assert_eq!(body["cache"]["kind"], cache);
}

#[tokio::test]
async fn readiness_fails_when_redis_is_unreachable() {
    // A port nothing listens on: the cache is down, the database is fine.
    let app = TestApp::spawn_with(|c| {
        c.redis_url = Some(rapport_api::config::Secret::new("redis://127.0.0.1:1"));
    })
    .await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["cache"]["status"], "unavailable");
    assert_eq!(body["database"]["status"], "ok");
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn a_request_id_sent_by_the_client_comes_back() {
    let app = TestApp::spawn().await;
    let res = app
        .http
        .get(app.url("/healthz"))
        .header("x-request-id", "client-chosen-42")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "client-chosen-42");
}

#[tokio::test]
async fn bad_requests_get_problems_and_the_server_stays_up() {
    let app = TestApp::spawn().await;

    let res = app.get("/no/such/thing").await;
    assert_problem(res, 404, "not_found").await;

    let res = app.http.delete(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.headers()["allow"], "GET");
    assert_problem(res, 405, "method_not_allowed").await;

    let res = app
        .http
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body("{\"query\": ")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "malformed_json").await;

    let res = app
        .http
        .post(app.url("/graphql"))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "unsupported_media_type").await;

    let ten_mib = format!("{{\"query\": \"{}\"}}", "a".repeat(10 * 1024 * 1024));
    let res = app
        .http
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(ten_mib)
        .send()
        .await
        .unwrap();
    assert_problem(res, 413, "payload_too_large").await;

    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn the_body_limit_is_configurable() {
    let app = TestApp::spawn_with(|c| c.body_limit = 64).await;
    let res = app
        .post_json(
            "/graphql",
            &json!({ "query": format!("{{ serverVersion }} #{}", "x".repeat(100)) }),
        )
        .await;
    assert_problem(res, 413, "payload_too_large").await;
    let res = app
        .post_json("/graphql", &json!({ "query": "{ serverVersion }" }))
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = TestApp::spawn().await;
    app.get("/healthz").await;
    app.get("/nowhere").await;
    let text = app.get("/metrics").await.text().await.unwrap();
    assert!(
        text.contains(
            r#"rapport_http_requests_total{method="GET",route="/healthz",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains(r#"route="unmatched",status="404""#));
    assert!(text.contains("rapport_http_request_duration_seconds_bucket"));
    assert!(text.contains("rapport_db_pool_max_connections 4"));
}

#[tokio::test]
async fn the_served_openapi_document_is_the_committed_one() {
    let app = TestApp::spawn().await;
    let served: serde_json::Value = app.get("/openapi.json").await.json().await.unwrap();
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo_file("openapi/openapi.json")).unwrap())
            .unwrap();
    assert_eq!(served, committed);
    assert!(served["openapi"].as_str().unwrap().starts_with("3.1"));
}

#[tokio::test]
async fn docs_render_from_the_binary_without_a_cdn() {
    let app = TestApp::spawn().await;
    let res = app.get("/docs").await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/docs/");
    let page = app.get("/docs/").await.text().await.unwrap();
    assert!(page.contains("swagger-ui"));
    assert!(
        !page.contains("https://"),
        "the page loads nothing from outside"
    );
    let bundle = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), 200);
    assert!(bundle.text().await.unwrap().len() > 100_000);
}

#[tokio::test]
async fn graphql_introspection_matches_schema_graphql() {
    let app = TestApp::spawn().await;
    // Introspection needs a token by default (`RAPPORT_GRAPHQL_INTROSPECTION`).
    let ws = app.workspace("Introspection").await;
    let response = app
        .graphql_as(&ws.owner_token, graphql_sdl::INTROSPECTION, json!({}))
        .await;
    assert!(response.get("errors").is_none(), "{response}");
    let served = graphql_sdl::from_introspection(&response["data"]);
    let committed =
        graphql_sdl::from_sdl(&std::fs::read_to_string(repo_file("schema.graphql")).unwrap());
    assert_eq!(served, committed);
    assert!(served.contains_key("Query"));

    let res = app.get("/graphql").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("graphiql"));
}

#[tokio::test]
async fn graphiql_can_be_disabled() {
    let app = TestApp::spawn_with(|c| c.graphiql = false).await;
    assert_problem(app.get("/graphql").await, 404, "not_found").await;
}

#[tokio::test]
async fn graphql_refuses_batches() {
    let app = TestApp::spawn().await;
    let batch = json!([{ "query": "{ serverVersion }" }, { "query": "{ serverVersion }" }]);
    let res = app.post_json("/graphql", &batch).await;
    assert_problem(res, 422, "invalid_body").await;
}
