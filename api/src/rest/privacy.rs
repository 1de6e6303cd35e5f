//! `/v1/accounts/{id}/personal-data`, `/v1/accounts/{id}/erase`,
//! `/v1/workspace/privacy-settings`: data subject access and erasure, and the retention of
//! soft-deleted accounts.

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::conventions::{etag, idempotency, if_match, respond};
use crate::service::privacy::{
    self, ErasureInput, ErasureResult, PersonalData, PrivacySettings, PrivacySettingsInput,
};
use crate::state::AppState;

/// Everything Rapport holds about the person (admins): the account and every row naming it
/// in every table (contacts, interactions, orders with line items, deals, loyalty lots and
/// ledger, feedback, complaints, campaign memberships, vouchers, consent history), the
/// audit entries and stored answers that name it, and the events of the feed whose data
/// names it. Machine-readable: rows are objects of their columns, by table. Deleted and
/// erased accounts answer too (an erased one with what is left after the erasure).
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = PersonalData),
        (status = 403, description = "Needs `admin`", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/personal-data")] // GET /v1/accounts/{id}/personal-data
pub async fn personal_data(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<String>,
) -> Result<web::Json<PersonalData>, ApiError> {
    privacy::personal_data(&state, &principal, &path)
        .await
        .map(web::Json)
}

/// Erase the person (admins), irreversibly: their name, e-mails, phones, address, external
/// id and custom fields, their contacts, interaction subjects and bodies, order line names,
/// deal titles, feedback comments, complaint texts and notes, and every copy in audit
/// states, events and stored idempotent answers are removed; cached views are deleted.
/// Orders keep their amounts, dates and SKUs and the ledger its points, so revenue and
/// balances stay correct; consent history keeps each decision without its source. The
/// account is no longer listed or read; `account.erased` (its id only) tells partners to
/// erase their copies. `confirm` must repeat the account's id. Erasing again changes
/// nothing (`already_erased`).
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    params(
        ("id" = String, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")
    ),
    request_body(content = ErasureInput, example = json!({"confirm": "01936b1e-5a3c-7cc0-9a51-6a2f3c0e4b11"})),
    responses(
        (status = 200, body = ErasureResult),
        (status = 403, description = "Needs `admin`", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`confirm` missing or not the account's id", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/erase")] // POST /v1/accounts/{id}/erase
pub async fn erase(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    path: web::Path<String>,
    body: Json<ErasureInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = privacy::erase(&state, &principal, &path, body.into_inner(), idem).await?;
    Ok(respond(outcome, StatusCode::OK, |_: &ErasureResult| None))
}

/// The workspace's privacy settings (admins): how long soft-deleted accounts are kept
/// before the retention job erases them.
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    responses(
        (status = 200, body = PrivacySettings, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/workspace/privacy-settings")] // GET /v1/workspace/privacy-settings
pub async fn settings(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    let s = privacy::settings(&state, &principal).await?;
    Ok(HttpResponse::Ok().insert_header(etag(s.version)).json(s))
}

/// Replace the privacy settings (admins). `soft_deleted_days`: soft-deleted accounts are
/// erased that many days after their deletion by the retention job (`rapport serve`
/// hourly, or `rapport privacy run-jobs`); `null` keeps them. `export_retention_hours`:
/// how long a finished export (`/v1/exports`) stays downloadable before its file is purged
/// (1 to 8,760; `null` or absent: 168, 7 days).
#[utoipa::path(
    tag = "privacy",
    security(("bearer" = [])),
    params(("If-Match" = Option<String>, Header)),
    request_body(content = PrivacySettingsInput, example = json!({"soft_deleted_days": 365, "export_retention_hours": 24})),
    responses(
        (status = 200, body = PrivacySettings, headers(("ETag" = String))),
        (status = 403, description = "Needs `admin`", body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/workspace/privacy-settings")] // PUT /v1/workspace/privacy-settings
pub async fn update_settings(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<PrivacySettingsInput>,
) -> Result<HttpResponse, ApiError> {
    let s =
        privacy::update_settings(&state, &principal, body.into_inner(), if_match(&req)?).await?;
    Ok(HttpResponse::Ok().insert_header(etag(s.version)).json(s))
}
