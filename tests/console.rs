//! The web console is served by the binary at /console (its built files embedded), with a
//! strict Content-Security-Policy, the app's page for its client routes, and / linking to it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TestApp;

fn csp(res: &reqwest::Response) -> String {
    res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_console_page_and_its_files_come_from_the_binary_with_a_strict_csp() {
    let app = TestApp::spawn().await;
    for path in ["/console", "/console/", "/console/customers/0190-some-id"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let policy = csp(&res);
        assert!(policy.contains("script-src 'self'"), "{policy}");
        assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"));
        assert_eq!(res.headers()["cache-control"], "no-cache");
        let page = res.text().await.unwrap();
        assert!(page.contains("<div id=\"app\">"), "{page}");
    }

    let page = app.get("/console/").await.text().await.unwrap();
    let mut files = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for (i, _) in page.match_indices(attr) {
            let url = page[i + attr.len()..].split('"').next().unwrap().to_owned();
            if url.starts_with("/console/assets/") {
                files.push(url);
            }
        }
    }
    assert!(files.iter().any(|f| f.ends_with(".js")), "{page}");
    for url in files {
        let res = app.get(&url).await;
        assert_eq!(res.status(), 200, "{url}");
        let kind = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(
            kind.starts_with("text/javascript") || kind.starts_with("text/css"),
            "{url}: {kind}"
        );
        assert!(res.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable"));
        assert!(!csp(&res).contains("unsafe-inline"));
        assert!(!res.bytes().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_missing_console_file_is_a_problem_404_not_the_page() {
    let app = TestApp::spawn().await;
    for path in ["/console/assets/nope.js", "/console/favicon.ico"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(
            res.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_root_links_to_the_console_the_docs_and_graphiql() {
    let app = TestApp::spawn().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    assert!(!csp(&res).contains("unsafe-inline"));
    let page = res.text().await.unwrap();
    for link in ["href=\"/console/\"", "href=\"/docs/\"", "href=\"/graphql\""] {
        assert!(page.contains(link), "{link} in {page}");
    }
}
