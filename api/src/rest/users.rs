//! `/v1/users`: the people of the workspace, and `/v1/me`.

use actix_web::http::header;
use actix_web::{get, patch, post, web, HttpResponse};

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::edge::Query;
use crate::service::users::{self, NewUser, User, UserPatch};
use crate::service::{ListParams, Page};
use crate::state::AppState;

/// The user behind the access token (API keys get 404: they are not users).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    extensions(("x-rapport-scope" = json!("any"))),
    responses(
        (status = 200, body = User),
        (status = 401, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/me")]
pub async fn me(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<User>, ApiError> {
    let id = principal
        .user_id()
        .ok_or_else(|| ApiError::not_found("an API key is not a user"))?
        .to_owned();
    users::get(&state, &principal, &id).await.map(web::Json)
}

/// Add a user (admin). Admins cannot create owners.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = NewUser,
    responses(
        (status = 201, body = User, headers(("Location" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "E-mail taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("")] // POST /v1/users
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    body: Json<NewUser>,
) -> Result<HttpResponse, ApiError> {
    let user = users::create(&state, &principal, body.into_inner()).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/v1/users/{}", user.id)))
        .json(user))
}

/// List the workspace's users (admin).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(ListParams),
    responses((status = 200, body = Page<User>), (status = 403, body = Problem, content_type = "application/problem+json"))
)]
#[get("")] // GET /v1/users
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    params: Query<ListParams>,
) -> Result<web::Json<Page<User>>, ApiError> {
    users::list(&state, &principal, params.page()?)
        .await
        .map(web::Json)
}

/// One user (admins: anyone; others: themselves).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    extensions(("x-rapport-scope" = json!("any"))),
    params(("id" = String, Path)),
    responses((status = 200, body = User), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
#[get("/{id}")] // GET /v1/users/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<User>, ApiError> {
    users::get(&state, &principal, &id).await.map(web::Json)
}

/// Change a user: name and password (themselves or an admin), role and disabled (admin).
/// Disabling or a new password ends the user's sessions.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = UserPatch,
    responses(
        (status = 200, body = User),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Would leave no owner", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/{id}")] // PATCH /v1/users/{id}
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    body: Json<UserPatch>,
) -> Result<web::Json<User>, ApiError> {
    users::update(&state, &principal, &id, body.into_inner())
        .await
        .map(web::Json)
}
