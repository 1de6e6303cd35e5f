//! Product recommendations: one account's, and the workspace's refresh.

use actix_web::{get, post, web};

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::edge::Query;
use crate::service::recommendations::{
    self, Recommendations, RecommendationsQuery, RecommendationsRefresh,
};
use crate::state::AppState;

/// Products to recommend to this customer, best first: SKUs that customers who bought what
/// this customer bought also bought (item-to-item co-occurrence, rebuilt by the refresh),
/// leaving out what the customer bought recently, and SKUs the customer buys regularly
/// whose typical repurchase interval has passed. Each with a score and the numbers behind it.
/// Needs `orders:read`.
#[utoipa::path(
    tag = "recommendations",
    security(("bearer" = [])),
    params(("id" = String, Path), RecommendationsQuery),
    responses(
        (status = 200, body = Recommendations),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/recommendations")] // GET /v1/accounts/{id}/recommendations
pub async fn for_account(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: Query<RecommendationsQuery>,
) -> Result<web::Json<Recommendations>, ApiError> {
    recommendations::for_account(&state, &principal, &id, query.into_inner())
        .await
        .map(web::Json)
}

/// Rebuild the workspace's product co-occurrence from every order's line items now
/// (admins). `rapport serve` also rebuilds it after each scheduled model refit, and
/// `rapport recommendations refresh` from the command line.
#[utoipa::path(
    tag = "recommendations",
    security(("bearer" = [])),
    responses(
        (status = 200, body = RecommendationsRefresh),
        (status = 403, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/recommendations/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<RecommendationsRefresh>, ApiError> {
    recommendations::refresh(&state, &principal)
        .await
        .map(web::Json)
}
