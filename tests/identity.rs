//! Identity and access control over HTTP: logins, token rotation, API keys and scopes,
//! forged credentials, brute-force protection, rate limits, audit log, and tenant isolation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::Engine;
use common::{assert_problem, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn owner_logs_in_and_manages_users() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Acme").await;

    let me: Value = app
        .get_as("/v1/me", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "owner");
    assert_eq!(me["workspace_id"], ws.id.as_str());

    let res = app
        .post_as(
            "/v1/users",
            &ws.owner_token,
            &json!({
                "email": "Agent.Smith@Acme.example.com", "name": "Agent Smith",
                "password": PASSWORD, "role": "agent"
            }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let agent: Value = res.json().await.unwrap();
    assert_eq!(
        agent["email"], "agent.smith@acme.example.com",
        "e-mails are normalised"
    );
    assert!(agent.get("password_hash").is_none() && agent.get("password").is_none());

    // Same e-mail again: conflict; bad fields: 422 naming each field.
    let res = app
        .post_as("/v1/users", &ws.owner_token, &json!({
            "email": "agent.smith@acme.example.com", "name": "x", "password": PASSWORD, "role": "agent"
        }))
        .await;
    assert_problem(res, 409, "email_taken").await;
    let res = app
        .post_as(
            "/v1/users",
            &ws.owner_token,
            &json!({
                "email": "nope", "name": "", "password": "short", "role": "king"
            }),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "name", "password", "role"]);

    let list: Value = app
        .get_as("/v1/users?limit=1", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let cursor = list["next_cursor"].as_str().unwrap();
    let rest: Value = app
        .get_as(&format!("/v1/users?after={cursor}"), &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["data"][0]["id"], agent["id"]);
    assert!(rest["next_cursor"].is_null());

    // The agent can log in but not administer.
    let agent_token = app.login("agent.smith@acme.example.com", PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .post_as(
            "/v1/users",
            &agent_token,
            &json!({
                "email": "x@acme.example.com", "name": "x", "password": PASSWORD, "role": "viewer"
            }),
        )
        .await;
    assert_problem(res, 403, "insufficient_scope").await;
    assert_problem(
        app.get_as("/v1/users", &agent_token).await,
        403,
        "insufficient_scope",
    )
    .await;
    // Agents see themselves, and no one else (404, not 403).
    assert_eq!(
        app.get_as(
            &format!("/v1/users/{}", agent["id"].as_str().unwrap()),
            &agent_token
        )
        .await
        .status(),
        200
    );
    assert_problem(
        app.get_as(&format!("/v1/users/{}", ws.owner_id), &agent_token)
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_last_owner_cannot_be_demoted_or_disabled() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Solo").await;
    let admin: Value = app
        .post_as("/v1/users", &ws.owner_token, &json!({
            "email": "admin@solo.example.com", "name": "Admin", "password": PASSWORD, "role": "admin"
        }))
        .await
        .json()
        .await
        .unwrap();
    let admin_token = app.login("admin@solo.example.com", PASSWORD).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/v1/users/{}", ws.owner_id);
    // An admin may not touch an owner.
    let res = app
        .send(
            Method::PATCH,
            &path,
            &admin_token,
            Some(&json!({ "disabled": true })),
        )
        .await;
    assert_problem(res, 403, "role_not_grantable").await;
    // The owner may not demote themselves either: another owner must.
    let res = app
        .send(
            Method::PATCH,
            &path,
            &ws.owner_token,
            Some(&json!({ "role": "viewer" })),
        )
        .await;
    assert_problem(res, 409, "cannot_change_own_access").await;
    // An admin may not make owners.
    let res = app
        .send(
            Method::PATCH,
            &format!("/v1/users/{}", admin["id"].as_str().unwrap()),
            &admin_token,
            Some(&json!({ "role": "owner" })),
        )
        .await;
    assert_problem(res, 409, "cannot_change_own_access").await;
}

#[tokio::test]
async fn refresh_tokens_rotate_and_reuse_revokes_the_family() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Rotate").await;
    let first = app.login(&ws.owner_email, PASSWORD).await;
    assert_eq!(first["token_type"], "Bearer");
    assert_eq!(first["expires_in"], 900);
    let old = first["refresh_token"].as_str().unwrap();

    let res = app
        .post_json("/v1/auth/refresh", &json!({ "refresh_token": old }))
        .await;
    assert_eq!(res.status(), 200);
    let second: Value = res.json().await.unwrap();
    let new = second["refresh_token"].as_str().unwrap();
    assert_ne!(new, old);
    assert_eq!(
        app.get_as("/v1/me", second["access_token"].as_str().unwrap())
            .await
            .status(),
        200
    );

    // Replaying the old token: refused, and the new one dies with it.
    let res = app
        .post_json("/v1/auth/refresh", &json!({ "refresh_token": old }))
        .await;
    assert_problem(res, 401, "refresh_token_reused").await;
    let res = app
        .post_json("/v1/auth/refresh", &json!({ "refresh_token": new }))
        .await;
    assert_problem(res, 401, "refresh_token_reused").await;

    // Logout revokes a session.
    let third = app.login(&ws.owner_email, PASSWORD).await;
    let token = third["refresh_token"].as_str().unwrap();
    let res = app
        .post_json("/v1/auth/logout", &json!({ "refresh_token": token }))
        .await;
    assert_eq!(res.status(), 204);
    let res = app
        .post_json("/v1/auth/refresh", &json!({ "refresh_token": token }))
        .await;
    assert_problem(res, 401, "session_ended").await;
    let res = app
        .post_json(
            "/v1/auth/refresh",
            &json!({ "refresh_token": "rt_made_up" }),
        )
        .await;
    assert_problem(res, 401, "invalid_refresh_token").await;
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[tokio::test]
async fn forged_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Forge").await;
    let other = app.workspace("Victim").await;
    let parts: Vec<&str> = ws.owner_token.split('.').collect();
    let header: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[0])
            .unwrap(),
    )
    .unwrap();
    let mut claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[1])
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "HS256");
    assert!(header["kid"].is_string(), "a key id for rotation");

    // alg none
    let none_header = json!({ "alg": "none", "typ": "JWT", "kid": header["kid"] });
    let unsigned = format!("{}.{}.", b64(none_header.to_string().as_bytes()), parts[1]);
    // another workspace edited into the claims, old signature kept
    claims["ws"] = json!(other.id);
    let edited = format!(
        "{}.{}.{}",
        parts[0],
        b64(claims.to_string().as_bytes()),
        parts[2]
    );
    // signed with another secret
    let foreign = {
        let mut c = claims.clone();
        c["ws"] = json!(ws.id);
        let key = jsonwebtoken::EncodingKey::from_secret(b"not the server's secret");
        let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
        h.kid = header["kid"].as_str().map(str::to_owned);
        jsonwebtoken::encode(&h, &c, &key).unwrap()
    };
    // expired, signed with the real secret (the test server's)
    let expired = {
        let mut c = claims.clone();
        c["ws"] = json!(ws.id);
        c["exp"] = json!(chrono::Utc::now().timestamp() - 120);
        rapport_api::auth::jwt::issue(
            "test-secret-test-secret-test-secret",
            &serde_json::from_value(c).unwrap(),
        )
        .unwrap()
    };
    for (what, token) in [
        ("alg none", unsigned),
        ("edited", edited),
        ("foreign key", foreign),
        ("expired", expired),
        ("junk", "abc".into()),
    ] {
        let res = app.get_as("/v1/me", &token).await;
        assert_eq!(res.status(), 401, "{what}");
        assert!(res.headers().contains_key("www-authenticate"), "{what}");
    }
    let res = app.get("/v1/me").await;
    assert_problem(res, 401, "unauthenticated").await;
    let res = app
        .http
        .get(app.url("/v1/me"))
        .header("authorization", "Basic Zm9vOmJhcg==")
        .send()
        .await
        .unwrap();
    assert_problem(res, 401, "unauthenticated").await;
}

#[tokio::test]
async fn disabled_users_lose_access_at_once() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Disable").await;
    let user: Value = app
        .post_as("/v1/users", &ws.owner_token, &json!({
            "email": "leaver@disable.example.com", "name": "Leaver", "password": PASSWORD, "role": "manager"
        }))
        .await
        .json()
        .await
        .unwrap();
    let tokens = app.login("leaver@disable.example.com", PASSWORD).await;
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(app.get_as("/v1/me", access).await.status(), 200);

    let res = app
        .send(
            Method::PATCH,
            &format!("/v1/users/{}", user["id"].as_str().unwrap()),
            &ws.owner_token,
            Some(&json!({ "disabled": true })),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_problem(app.get_as("/v1/me", access).await, 401, "user_disabled").await;
    let res = app
        .post_json(
            "/v1/auth/refresh",
            &json!({ "refresh_token": tokens["refresh_token"] }),
        )
        .await;
    assert_eq!(res.status(), 401);
    let res = app
        .post_json(
            "/v1/auth/token",
            &json!({ "email": "leaver@disable.example.com", "password": PASSWORD }),
        )
        .await;
    assert_problem(res, 401, "user_disabled").await;
}

#[tokio::test]
async fn api_keys_carry_scopes_and_can_be_revoked() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Keys").await;
    let (id, secret) = app.api_key(&ws, &["accounts:read", "orders:write"]).await;
    assert!(secret.starts_with("rk_"));

    assert_eq!(app.get_as("/v1/workspace", &secret).await.status(), 200);
    assert_problem(
        app.get_as("/v1/users", &secret).await,
        403,
        "insufficient_scope",
    )
    .await;
    assert_problem(app.get_as("/v1/me", &secret).await, 404, "not_found").await;

    let listed: Value = app
        .get_as("/v1/api-keys", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    let key = &listed["data"][0];
    assert_eq!(key["id"], id.as_str());
    assert_eq!(key["scopes"], json!(["accounts:read", "orders:write"]));
    assert!(key["last_used_at"].is_string(), "use is recorded");
    assert!(key.get("secret").is_none() && !listed.to_string().contains(&secret));

    // Unknown scopes and scopes above the creator's are refused.
    let res = app
        .post_as(
            "/v1/api-keys",
            &ws.owner_token,
            &json!({ "name": "k", "scopes": ["accounts:delete"] }),
        )
        .await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "scopes[0]");

    let res = app
        .send(
            Method::DELETE,
            &format!("/v1/api-keys/{id}"),
            &ws.owner_token,
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    let revoked: Value = res.json().await.unwrap();
    assert!(revoked["revoked_at"].is_string());
    assert_problem(
        app.get_as("/v1/workspace", &secret).await,
        401,
        "invalid_api_key",
    )
    .await;
    // A made-up key with a real-looking shape is refused the same way.
    let fake = format!("{}x", &secret[..secret.len() - 1]);
    assert_eq!(app.get_as("/v1/workspace", &fake).await.status(), 401);
}

#[tokio::test]
async fn expired_api_keys_stop_working() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Expiry").await;
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let res = app
        .post_as(
            "/v1/api-keys",
            &ws.owner_token,
            &json!({ "name": "k", "scopes": ["accounts:read"], "expires_at": soon }),
        )
        .await;
    let secret = res.json::<Value>().await.unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(app.get_as("/v1/workspace", &secret).await.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_problem(
        app.get_as("/v1/workspace", &secret).await,
        401,
        "invalid_api_key",
    )
    .await;
}

#[tokio::test]
async fn repeated_failed_logins_lock_the_account() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Brute").await;
    for _ in 0..5 {
        let res = app
            .post_json(
                "/v1/auth/token",
                &json!({ "email": ws.owner_email, "password": "wrong password" }),
            )
            .await;
        assert_problem(res, 401, "invalid_credentials").await;
    }
    // Locked now: even the right password waits.
    let res = app
        .post_json(
            "/v1/auth/token",
            &json!({ "email": ws.owner_email, "password": PASSWORD }),
        )
        .await;
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry));
    assert_problem(res, 429, "too_many_login_attempts").await;
    // Unknown e-mails are refused like wrong passwords.
    let res = app
        .post_json(
            "/v1/auth/token",
            &json!({ "email": "nobody@example.com", "password": PASSWORD }),
        )
        .await;
    assert_problem(res, 401, "invalid_credentials").await;
}

#[tokio::test]
async fn logins_are_limited_per_client_address() {
    let app = TestApp::spawn_with(|c| c.login_attempts_per_minute = 3).await;
    for _ in 0..3 {
        let res = app
            .post_json(
                "/v1/auth/token",
                &json!({ "email": "a@example.com", "password": "x" }),
            )
            .await;
        assert_eq!(res.status(), 401);
    }
    let res = app
        .post_json(
            "/v1/auth/token",
            &json!({ "email": "a@example.com", "password": "x" }),
        )
        .await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, 429, "too_many_login_attempts").await;
}

#[tokio::test]
async fn rate_limits_answer_429_and_recover() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Busy").await;
    // 60 a minute = a bucket of 60 refilled at one a second.
    let res = app
        .post_as(
            "/v1/api-keys",
            &ws.owner_token,
            &json!({ "name": "k", "scopes": ["accounts:read"], "rate_limit_per_minute": 60 }),
        )
        .await;
    let secret = res.json::<Value>().await.unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = app.get_as("/v1/workspace", &secret).await;
    assert_eq!(first.headers()["ratelimit-limit"], "60");
    assert_eq!(first.headers()["ratelimit-remaining"], "59");
    for _ in 1..60 {
        assert_eq!(app.get_as("/v1/workspace", &secret).await.status(), 200);
    }
    let res = app.get_as("/v1/workspace", &secret).await;
    assert_eq!(res.headers()["retry-after"], "1");
    assert_eq!(res.headers()["ratelimit-remaining"], "0");
    assert_problem(res, 429, "rate_limited").await;
    // Another principal is not affected.
    assert_eq!(
        app.get_as("/v1/workspace", &ws.owner_token).await.status(),
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(app.get_as("/v1/workspace", &secret).await.status(), 200);
}

#[tokio::test]
async fn every_write_is_in_the_audit_log_without_secrets() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Audit").await;
    let (key_id, secret) = app.api_key(&ws, &["admin"]).await;
    // The admin key creates a user, with a request id of the caller's choosing.
    let res = app
        .http
        .post(app.url("/v1/users"))
        .bearer_auth(&secret)
        .header("x-request-id", "audit-req-1")
        .json(&json!({ "email": "new@audit.example.com", "name": "New", "password": PASSWORD, "role": "viewer" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    app.send(
        Method::DELETE,
        &format!("/v1/api-keys/{key_id}"),
        &ws.owner_token,
        None,
    )
    .await;

    let log: Value = app
        .get_as("/v1/audit-log", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions[..4],
        [
            "api_key.revoke",
            "user.create",
            "api_key.create",
            "auth.login"
        ],
        "{actions:?}"
    );
    let user_create = &log["data"][1];
    assert_eq!(user_create["actor_type"], "api_key");
    assert_eq!(user_create["actor_id"], key_id.as_str());
    assert_eq!(user_create["request_id"], "audit-req-1");
    assert_eq!(user_create["after"]["email"], "new@audit.example.com");
    let revoke = &log["data"][0];
    assert!(revoke["before"]["revoked_at"].is_null() && revoke["after"]["revoked_at"].is_string());
    let text = log.to_string();
    assert!(!text.contains(&secret) && !text.contains("argon2") && !text.contains(PASSWORD));

    let filtered: Value = app
        .get_as("/v1/audit-log?resource_type=api_key", &ws.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["data"].as_array().unwrap().len(), 2);
    assert_problem(
        app.get_as("/v1/audit-log?limit=0", &ws.owner_token).await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn graphql_shares_principal_scopes_and_errors() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Graph").await;
    let res = app.graphql_as(&ws.owner_token, "{ me { email role } workspace { id } users(first: 10) { edges { node { email } } pageInfo { hasNextPage } } }", json!({})).await;
    assert!(res.get("errors").is_none(), "{res}");
    assert_eq!(res["data"]["me"]["role"], "owner");
    assert_eq!(res["data"]["workspace"]["id"], ws.id.as_str());

    let created = app
        .graphql_as(
            &ws.owner_token,
            "mutation($i: NewApiKey!) { createApiKey(input: $i) { id secret scopes } }",
            json!({ "i": { "name": "gql", "scopes": ["deals:read"] } }),
        )
        .await;
    let secret = created["data"]["createApiKey"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let denied = app
        .graphql_as(
            &secret,
            "{ users(first: 5) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        denied["errors"][0]["extensions"]["code"],
        "insufficient_scope"
    );

    let anonymous = app.graphql("{ workspace { id } }").await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "unauthenticated"
    );

    let invalid = app
        .graphql_as(&ws.owner_token, "mutation { createUser(input: {email: \"bad\", name: \"n\", password: \"short\", role: \"agent\"}) { id } }", json!({}))
        .await;
    assert_eq!(
        invalid["errors"][0]["extensions"]["code"],
        "validation_failed"
    );
    assert_eq!(
        invalid["errors"][0]["extensions"]["errors"][0]["field"],
        "input.email"
    );

    // Bad credentials on GraphQL answer like missing ones: 200, `unauthenticated` on what
    // needs a caller (REST answers 401).
    let res = app
        .post_as(
            "/graphql",
            "rk_000000000000_nope",
            &json!({ "query": "{ serverVersion me { id } }" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "unauthenticated",
        "{body}"
    );
    assert_eq!(
        body["data"]["serverVersion"],
        env!("CARGO_PKG_VERSION"),
        "{body}"
    );
}

#[tokio::test]
async fn graphql_refuses_queries_deeper_than_the_limit() {
    let app = TestApp::spawn().await;
    let deep = format!(
        "{{ __schema {{ types {}{{ name }}{} }} }}",
        "{ fields { type { ofType ".repeat(5),
        "} } } ".repeat(5)
    );
    let ws = app.workspace("Deep").await;
    let res = app.graphql_as(&ws.owner_token, &deep, json!({})).await;
    assert_eq!(
        res["errors"][0]["extensions"]["code"], "query_too_deep",
        "{res}"
    );
    assert!(
        res["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("deep"),
        "{res}"
    );
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let app =
        TestApp::spawn_with(|c| c.cors_origins = vec!["https://app.example.com".into()]).await;
    let preflight = |origin: &'static str| {
        app.http
            .request(Method::OPTIONS, app.url("/v1/me"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };
    let ok = preflight("https://app.example.com").await.unwrap();
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    let no = preflight("https://evil.example.com").await.unwrap();
    assert!(!no.headers().contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn docs_carry_security_headers() {
    let app = TestApp::spawn().await;
    let res = app.get("/docs/").await;
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'self'"));
}

/// The code a refused request carries: a 401 problem's `code`, or (should GraphQL answer
/// authentication errors in the body) the first error's `extensions.code` with no data.
async fn refusal(res: reqwest::Response) -> String {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    match status {
        401 => body["code"].as_str().unwrap_or_default().to_owned(),
        200 => {
            assert!(
                body["data"].is_null() || body["data"]["me"].is_null(),
                "{body}"
            );
            // GraphQL answers every failed credential with `unauthenticated` and keeps
            // REST's finer code as the reason.
            let ext = &body["errors"][0]["extensions"];
            assert_eq!(ext["code"], "unauthenticated", "{body}");
            ext["reason"].as_str().unwrap_or_default().to_owned()
        }
        other => panic!("unexpected status {other}: {body}"),
    }
}

/// Logging out ends the session's access tokens too, not only its refresh token: at once on
/// the node that served the logout (even for a token it had cached) and on another node
/// that checks the database; a refresh after it answers `session_ended`. The user's other
/// sessions live on.
#[tokio::test]
async fn logout_ends_the_sessions_access_tokens_on_rest_and_graphql() {
    let app = TestApp::spawn().await;
    let db_url = app.db.url().to_owned();
    let other_node = TestApp::spawn_with(|c| {
        c.database_url = rapport_persistence::DatabaseUrl::parse(&db_url).unwrap();
    })
    .await;
    let ws = app.workspace("Logout").await;
    let first = app.login(&ws.owner_email, PASSWORD).await;
    let kept = app.login(&ws.owner_email, PASSWORD).await;
    let first_access = first["access_token"].as_str().unwrap();
    let kept_access = kept["access_token"].as_str().unwrap();
    // Used before the logout, so this node has it cached.
    assert_eq!(app.get_as("/v1/me", first_access).await.status(), 200);
    let me = app
        .graphql_as(first_access, "{ me { id } }", json!({}))
        .await;
    assert!(me["data"]["me"]["id"].is_string(), "{me}");
    // A rotation: the session now has a used refresh token and a current one. (A second
    // later, or the new access token would be the same string: same claims, same second.)
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let res = app
        .post_json(
            "/v1/auth/refresh",
            &json!({ "refresh_token": first["refresh_token"] }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let rotated: Value = res.json().await.unwrap();
    let rotated_access = rotated["access_token"].as_str().unwrap();
    assert_ne!(rotated_access, first_access);
    assert_eq!(
        other_node.get_as("/v1/me", rotated_access).await.status(),
        200,
        "the other node shares the database"
    );

    let res = app
        .post_json(
            "/v1/auth/logout",
            &json!({ "refresh_token": rotated["refresh_token"] }),
        )
        .await;
    assert_eq!(res.status(), 204);

    // This node: a token it had cached and one it never saw. The other node: a token it
    // never saw (one it has cached is refused within `auth::cache::TTL`).
    for (node, token) in [
        (&app, first_access),
        (&app, rotated_access),
        (&other_node, first_access),
    ] {
        let res = node.get_as("/v1/me", token).await;
        assert_problem(res, 401, "session_ended").await;
        let res = node
            .post_as("/graphql", token, &json!({ "query": "{ me { id } }" }))
            .await;
        assert_eq!(refusal(res).await, "session_ended");
    }
    // Every refresh token of the session, the current one and the used one.
    for token in [&rotated["refresh_token"], &first["refresh_token"]] {
        let res = app
            .post_json("/v1/auth/refresh", &json!({ "refresh_token": token }))
            .await;
        assert_problem(res, 401, "session_ended").await;
    }
    // Logging out again is not an error.
    let res = app
        .post_json(
            "/v1/auth/logout",
            &json!({ "refresh_token": rotated["refresh_token"] }),
        )
        .await;
    assert_eq!(res.status(), 204);

    // The other session is untouched.
    assert_eq!(app.get_as("/v1/me", kept_access).await.status(), 200);
    assert_eq!(other_node.get_as("/v1/me", kept_access).await.status(), 200);
    let res = app
        .post_json(
            "/v1/auth/refresh",
            &json!({ "refresh_token": kept["refresh_token"] }),
        )
        .await;
    assert_eq!(res.status(), 200);
}
