//! `POST /graphql` (one operation per request; batches are refused) and GraphiQL.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpResponse};
use async_graphql::ServerError;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::config::GraphqlIntrospection;
use crate::error::ApiError;
use crate::graphql::document::{self, DocumentCache};
use crate::graphql::errors::{execution_code, with_code};
use crate::graphql::graphiql as vendored;
use crate::graphql::prefetch::Prefetched;
use crate::graphql::{gql, ApiSchema, AuthFailure, Loaders};
use crate::rest::credentials::MaybePrincipal;
use crate::state::AppState;

/// A GraphQL-over-HTTP request (documented here; the server parses it with async-graphql).
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct GraphqlRequest {
    query: String,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<serde_json::Value>,
}

/// Executes one GraphQL operation. The schema is in `schema.graphql` and by introspection.
///
/// Introspection follows `RAPPORT_GRAPHQL_INTROSPECTION`. Every error in `errors` carries
/// `extensions.code`; a missing, bad or expired token is such an error (`unauthenticated`)
/// in a 200 answer, like any other application error.
#[utoipa::path(
    tag = "graphql",
    security((), ("bearer" = [])),
    request_body = GraphqlRequest,
    responses(
        (status = 200, description = "A GraphQL response (`data`, `errors`)", body = serde_json::Value),
        (status = 400, description = "Malformed JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Rate limited (with `Retry-After`)", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/graphql")]
pub async fn graphql(
    schema: web::Data<ApiSchema>,
    state: web::Data<AppState>,
    documents: web::Data<DocumentCache>,
    principal: Result<MaybePrincipal, ApiError>,
    request: web::Json<async_graphql::Request>,
) -> Result<web::Json<async_graphql::Response>, ApiError> {
    let mut request = request.into_inner();
    let principal = match principal {
        Ok(MaybePrincipal(principal)) => principal,
        // Throttling is the transport's answer, with `Retry-After`.
        Err(e) if e.status == StatusCode::TOO_MANY_REQUESTS => return Err(e),
        // A bad token answers like a missing one: the operation runs without a caller
        // and whatever needs one fails with the reason.
        Err(e) => {
            request = request.data(AuthFailure(e));
            None
        }
    };
    let introspection = match state.config.graphql_introspection {
        GraphqlIntrospection::Public => true,
        GraphqlIntrospection::Authenticated => principal.is_some(),
        GraphqlIntrospection::Off => false,
    };
    let parsed = documents.get(&request.query);
    let operation_name = request.operation_name.clone();
    let operation = parsed
        .as_deref()
        .and_then(|doc| document::operation(doc, operation_name.as_deref()).map(|op| (doc, op)));
    if let Some((doc, op)) = operation {
        if !introspection && document::uses_introspection(doc, op) {
            let err = gql(ApiError::forbidden(
                "introspection_disabled",
                "introspection is not allowed here: send a token, or read schema.graphql",
            ))
            .into_server_error(Default::default());
            return Ok(web::Json(async_graphql::Response::from_errors(vec![err])));
        }
    }
    if !introspection {
        request = request.disable_introspection();
    }
    if let Some(doc) = &parsed {
        request.set_parsed_query(doc.as_ref().clone());
    }
    if let Some(principal) = principal {
        let loaders = Loaders::new(state.get_ref().clone(), principal.workspace_id.clone());
        request = request
            .data(principal)
            .data(loaders)
            .data(Prefetched::default());
    }
    let mut response = schema.execute(request).await;
    if let Some((doc, op)) = operation {
        document::reorder(doc, op, &mut response.data);
    }
    response.errors = std::mem::take(&mut response.errors)
        .into_iter()
        .map(coded)
        .collect();
    Ok(web::Json(response))
}

/// An execution error without a code gets one.
fn coded(e: ServerError) -> ServerError {
    let code = execution_code(&e.message);
    with_code(e, code)
}

/// GraphiQL, to explore the schema in a browser (disable with `RAPPORT_GRAPHIQL=false`).
///
/// Served from the binary with its scripts (`/graphql/assets/…`): no CDN.
#[utoipa::path(tag = "graphql", responses((status = 200, description = "GraphiQL page", content_type = "text/html", body = String)))]
#[get("/graphql")]
pub async fn graphiql(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if !state.config.graphiql {
        return Err(ApiError::not_found("GraphiQL is disabled on this server"));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::CONTENT_SECURITY_POLICY, vendored::PAGE_CSP))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .body(vendored::PAGE))
}

/// GraphiQL's vendored scripts and styles (`GET /graphql/assets/{file}`).
pub async fn graphiql_asset(
    state: web::Data<AppState>,
    file: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let asset = vendored::asset(&file)
        .filter(|_| state.config.graphiql)
        .ok_or_else(|| ApiError::not_found("no such GraphiQL file"))?;
    Ok(HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((header::CACHE_CONTROL, vendored::cache_control(asset.name)))
        .body(asset.bytes))
}
