//! `/v1/audit-log`: every write, newest first (admin).

use actix_web::{get, web};

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::edge::Query;
use crate::service::audit::{self, AuditEntry, AuditQuery};
use crate::service::Page;
use crate::state::AppState;

/// Who changed what and when, with the state before and after (secrets redacted).
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, body = Page<AuditEntry>), (status = 403, body = Problem, content_type = "application/problem+json"))
)]
#[get("/audit-log")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<AuditQuery>,
) -> Result<web::Json<Page<AuditEntry>>, ApiError> {
    audit::list(&state, &principal, query.into_inner())
        .await
        .map(web::Json)
}
