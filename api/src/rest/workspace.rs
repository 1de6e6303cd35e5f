//! `/v1/workspace`: the caller's workspace.

use actix_web::{get, web};

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::service::workspaces::{self, Workspace};
use crate::state::AppState;

/// The workspace the credentials belong to.
#[utoipa::path(
    tag = "workspace",
    security(("bearer" = [])),
    extensions(("x-rapport-scope" = json!("any"))),
    responses((status = 200, body = Workspace), (status = 401, body = Problem, content_type = "application/problem+json"))
)]
#[get("/workspace")]
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<Workspace>, ApiError> {
    workspaces::current(&state, &principal).await.map(web::Json)
}
