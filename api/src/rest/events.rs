//! `/v1/events`: the workspace's event feed, oldest first (admins and `events:read` keys).

use actix_web::{get, web};

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::edge::Query;
use crate::service::events::feed::{self, EventQuery};
use crate::service::events::Event;
use crate::service::Page;
use crate::state::AppState;

/// The workspace's events in order, kept `RAPPORT_EVENTS_RETENTION_DAYS` (default 30): pass
/// the `next_cursor` (or the `sequence` of the last event processed) as `after` to go on.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(EventQuery),
    responses(
        (status = 200, body = Page<Event>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("")] // GET /v1/events
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<EventQuery>,
) -> Result<web::Json<Page<Event>>, ApiError> {
    feed::list(&state, &principal, query.into_inner())
        .await
        .map(web::Json)
}

/// One event.
#[utoipa::path(
    tag = "events",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Event),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}")] // GET /v1/events/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Event>, ApiError> {
    feed::get(&state, &principal, &id).await.map(web::Json)
}
