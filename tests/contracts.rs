//! The published contracts (`openapi/openapi.json`, `schema.graphql`) are what the code
//! generates. Regenerate them with `RAPPORT_UPDATE_CONTRACTS=1 cargo test --test contracts`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::repo_file;

fn check(path: &str, generated: &str) {
    let file = repo_file(path);
    if std::env::var("RAPPORT_UPDATE_CONTRACTS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        committed == generated,
        "{path} is out of date with the code; run \
         `RAPPORT_UPDATE_CONTRACTS=1 cargo test --test contracts` and commit the result"
    );
}

#[test]
fn openapi_json_matches_the_code() {
    check(
        "openapi/openapi.json",
        &rapport_api::openapi::document_json(),
    );
}

#[test]
fn schema_graphql_matches_the_code() {
    check("schema.graphql", &rapport_api::graphql::sdl());
}

#[test]
fn openapi_is_version_3_1_and_documents_errors_as_problems() {
    let doc: serde_json::Value =
        serde_json::from_str(&rapport_api::openapi::document_json()).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    for path in ["/healthz", "/readyz", "/metrics", "/graphql"] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
}
