//! `/v1/accounts/{id}/contacts` and `/v1/contacts/{id}`: the people at organization accounts.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::conventions::{created, etag, idempotency, if_match};
use crate::rest::edge::Query;
use crate::service::contacts::{self, Contact, ContactInput, ContactQuery};
use crate::service::Page;
use crate::state::AppState;

/// Add a contact to an organization account (a `person` account has none: 422 naming
/// `account_id`). `is_primary: true` unsets the account's previous primary contact. Send
/// `Idempotency-Key` to make retries safe. Agents add contacts only to accounts they own.
#[utoipa::path(
    tag = "contacts",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The account's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")
    ),
    request_body(content = ContactInput, example = json!({
        "name": "Grace Hopper", "title": "Head of Purchasing",
        "email": "grace@acme.example.com", "phone": "+44 20 7946 0958", "is_primary": true
    })),
    responses(
        (status = 201, body = Contact, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Missing `accounts:write`, or an agent on an account they do not own", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account (or deleted)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors`; `account_id` when the account is a person", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/contacts")] // POST /v1/accounts/{id}/contacts
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<ContactInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = contacts::create(&state, &principal, &id, body.into_inner(), idem).await?;
    Ok(created(
        outcome,
        "/v1/contacts",
        |c: &Contact| &c.id,
        |c: &Contact| Some(c.version),
    ))
}

/// An account's contacts, in creation order, in keyset pages.
#[utoipa::path(
    tag = "contacts",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id"), ContactQuery),
    responses(
        (status = 200, body = Page<Contact>),
        (status = 404, description = "No such account (or deleted)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/contacts")] // GET /v1/accounts/{id}/contacts
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: Query<ContactQuery>,
) -> Result<web::Json<Page<Contact>>, ApiError> {
    contacts::list_for_account(&state, &principal, &id, query.into_inner())
        .await
        .map(web::Json)
}

/// One contact.
#[utoipa::path(
    tag = "contacts",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Contact, headers(("ETag" = String))),
        (status = 404, description = "No such contact, or it or its account is deleted", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}")] // GET /v1/contacts/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let contact = contacts::get(&state, &principal, &id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(contact.version))
        .json(contact))
}

/// Change a contact with a JSON merge patch (RFC 7396: `null` clears a field). With
/// `If-Match: "v<version>"` the change applies only to that version (else 412).
#[utoipa::path(
    tag = "contacts",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    request_body(content = ContactInput, content_type = "application/merge-patch+json", example = json!({"title": "CFO", "phone": null})),
    responses(
        (status = 200, body = Contact, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The contact changed since that version", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/{id}")] // PATCH /v1/contacts/{id}
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let contact =
        contacts::update(&state, &principal, &id, body.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(contact.version))
        .json(contact))
}

/// Delete a contact (soft: it leaves lists and reads; the audit log keeps it).
#[utoipa::path(
    tag = "contacts",
    security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = Option<String>, Header)),
    responses(
        (status = 204),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/{id}")] // DELETE /v1/contacts/{id}
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    contacts::delete(&state, &principal, &id, if_match(&req)?).await?;
    Ok(HttpResponse::NoContent().finish())
}
