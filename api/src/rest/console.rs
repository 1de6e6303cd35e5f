//! The web console at `/console` (built from `console/` into `api/assets/console/`, embedded
//! in the binary) and the landing page at `/`: static files, outside the OpenAPI document
//! like `/docs`, each answer with a Content-Security-Policy that allows only this server.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use rust_embed::RustEmbed;

use crate::error::ApiError;

/// The console's built files (`npm run build` in `console/`; CI rebuilds and compares).
#[derive(RustEmbed)]
#[folder = "assets/console/"]
struct Built;

/// Scripts, styles, data and images from this server only: no inline script or style, no
/// `eval`, no framing. The console talks to `POST /v1/auth/*` and `POST /graphql` here.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const LANDING: &str = include_str!("../../assets/landing.html");

/// `GET /`: what this server offers a browser (the console, the REST docs, GraphiQL).
pub async fn landing() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .body(LANDING)
}

/// `GET /console` and `GET /console/{path}`: a built file by its path, or the app's page for
/// any other path (the app routes it: `/console/customers/…`). A missing file under
/// `assets/` (or with an extension) is a 404, not the page.
pub async fn page(path: Option<web::Path<String>>) -> Result<HttpResponse, ApiError> {
    let path = path.map(|p| p.into_inner()).unwrap_or_default();
    let path = path.trim_start_matches('/');
    if let Some(file) = Some(path).filter(|p| !p.is_empty()).and_then(Built::get) {
        // Files under assets/ carry a content hash in their name: they never change.
        let cache = if path.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return Ok(respond(content_type(path), cache, file.data.into_owned()));
    }
    let last = path.rsplit('/').next().unwrap_or_default();
    if path.starts_with("assets/") || last.contains('.') {
        return Err(ApiError::not_found("no such console file"));
    }
    let index = Built::get("index.html")
        .ok_or_else(|| ApiError::not_found("the console is not built into this server"))?;
    Ok(respond(
        "text/html; charset=utf-8",
        "no-cache",
        index.data.into_owned(),
    ))
}

fn respond(content_type: &'static str, cache: &'static str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .body(body)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" | "map" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_page_loads_only_local_scripts_and_no_inline_code() {
        let index = Built::get("index.html").map(|f| f.data.into_owned());
        let index = String::from_utf8(index.unwrap_or_default()).unwrap_or_default();
        assert!(index.contains("<script"), "the console is built");
        for (i, _) in index.match_indices("<script") {
            let tag = &index[i..];
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            assert!(tag.contains("src=\"/console/assets/"), "{tag}");
        }
        for (i, _) in index.match_indices("src=\"") {
            let url = index[i + 5..].split('"').next().unwrap_or_default();
            let file = url.strip_prefix("/console/").and_then(Built::get);
            assert!(file.is_some(), "{url} is not a built file");
        }
        assert!(!index.contains("http://") && !index.contains("https://"));
        assert!(!index.contains("<style"));
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(
            content_type("assets/index-abc.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type("assets/index-abc.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
    }
}
