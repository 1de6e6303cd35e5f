//! `POST /graphql` (one operation per request; batches are refused) and GraphiQL.

use actix_web::{get, post, web, HttpResponse};
use async_graphql::http::GraphiQLSource;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::MaybePrincipal;
use crate::error::ApiError;
use crate::graphql::crm::ContactsByAccount;
use crate::graphql::value::MetricsByAccount;
use crate::graphql::ApiSchema;
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
#[utoipa::path(
    tag = "graphql",
    security((), ("bearer" = [])),
    request_body = GraphqlRequest,
    responses(
        (status = 200, description = "A GraphQL response (`data`, `errors`)", body = serde_json::Value),
        (status = 400, description = "Malformed JSON", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/graphql")]
pub async fn graphql(
    schema: web::Data<ApiSchema>,
    state: web::Data<AppState>,
    principal: MaybePrincipal,
    request: web::Json<async_graphql::Request>,
) -> web::Json<async_graphql::Response> {
    let mut request = request.into_inner();
    if let Some(principal) = principal.0 {
        // Loaders are per request and per workspace: nothing cached crosses either.
        let loader =
            ContactsByAccount::loader(state.get_ref().clone(), principal.workspace_id.clone());
        let metrics =
            MetricsByAccount::loader(state.get_ref().clone(), principal.workspace_id.clone());
        request = request.data(principal).data(loader).data(metrics);
    }
    web::Json(schema.execute(request).await)
}

/// GraphiQL, to explore the schema in a browser (disable with `RAPPORT_GRAPHIQL=false`).
#[utoipa::path(tag = "graphql", responses((status = 200, description = "GraphiQL page", content_type = "text/html", body = String)))]
#[get("/graphql")]
pub async fn graphiql(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if !state.config.graphiql {
        return Err(ApiError::not_found("GraphiQL is disabled on this server"));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(GraphiQLSource::build().endpoint("/graphql").finish()))
}
