//! `/v1/exports`: export jobs of accounts (with value metrics), contacts, orders,
//! interactions, the loyalty ledger and feedback as CSV or NDJSON, their status, the
//! streamed download and cancellation.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::body::Json;
use crate::rest::conventions::{idempotency, respond};
use crate::rest::edge::Query;
use crate::service::exports::{self, ExportInput, ExportJob};
use crate::service::idempotency::Outcome;
use crate::service::{ListParams, Page};
use crate::state::AppState;

/// Start an export: one snapshot of a resource, filtered as its list endpoint filters it,
/// written as `csv` (default) or `ndjson` by a worker of any node. Answers 202 with the job
/// (`Location: /v1/exports/{id}`); follow it with `GET /v1/exports/{id}` and fetch the file
/// from its `download_url` once it `succeeded`.
///
/// Types: `accounts` (the fields of `GET /v1/accounts/{id}` plus `metrics`, the value
/// metrics of the profile: revenue, orders, RFM scores and segment, `p_alive`, `clv`, …),
/// `orders`, `feedback`, and, one account at a time as their lists, `contacts`,
/// `interactions` and `ledger` (`filters.account_id` required). `filters` takes the list's
/// query parameters (accounts: `segment_id`, `kind`, `lifecycle_stage`, `tag`, `owner_id`,
/// `external_id`, `q`, `sort`, `created_after`, …; orders: `account_id`, `status`,
/// `channel`, `occurred_after`, …). Rows are those the list would return (erased, merged
/// and deleted accounts are not exported), read in one consistent snapshot. Needs the
/// type's read scope (`accounts:read`, `orders:read`, `loyalty:read`).
#[utoipa::path(
    tag = "exports",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")),
    request_body(content = ExportInput, example = json!({"type": "accounts", "format": "csv", "filters": {"kind": "person"}})),
    responses(
        (status = 202, body = ExportJob, headers(("Location" = String))),
        (status = 403, description = "Missing the type's read scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown `type`, `format` or filter, or a filter's bad value (each named: `filters.segment_id`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("")] // POST /v1/exports
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    body: Json<ExportInput>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &*body)?;
    let outcome = exports::create(&state, &principal, body.into_inner(), idem).await?;
    let id = match &outcome {
        Outcome::Fresh(job) => Some(job.id.clone()),
        Outcome::Replay { body, .. } => serde_json::from_str::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v["id"].as_str().map(str::to_owned)),
    };
    let mut res = respond(outcome, StatusCode::ACCEPTED, |_: &ExportJob| None);
    if let Some(location) =
        id.and_then(|id| HeaderValue::from_str(&format!("/v1/exports/{id}")).ok())
    {
        res.headers_mut().insert(header::LOCATION, location);
    }
    Ok(res)
}

/// The workspace's export jobs, newest first.
#[utoipa::path(
    tag = "exports",
    security(("bearer" = [])),
    params(ListParams),
    responses(
        (status = 200, body = Page<ExportJob>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("")] // GET /v1/exports
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<ListParams>,
) -> Result<web::Json<Page<ExportJob>>, ApiError> {
    let q = query.into_inner();
    exports::list(&state, &principal, q.limit, q.after)
        .await
        .map(web::Json)
}

/// One export job: status (`queued`, `running`, `succeeded`, `failed`, `cancelled`,
/// `expired`), rows and bytes written, `download_url`, `expires_at`.
#[utoipa::path(
    tag = "exports",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = ExportJob),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}")] // GET /v1/exports/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<ExportJob>, ApiError> {
    exports::get(&state, &principal, &id).await.map(web::Json)
}

/// The file of a succeeded export, streamed (`text/csv` or `application/x-ndjson`, as an
/// attachment). CSV has a header line; columns are dotted paths into the API's JSON form
/// (`address.city`, `metrics.rfm.segment`), lists of plain values joined with `;`, objects
/// (`attributes`, order `items`) as JSON, money in minor units as the API gives it. 409
/// `export_not_completed` before it succeeded (or when it failed or was cancelled), 410
/// `export_expired` once the retention period purged it.
#[utoipa::path(
    tag = "exports",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The file", content(
            (String = "text/csv"),
            (String = "application/x-ndjson")
        )),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`export_not_completed`", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "`export_expired`", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}/download")] // GET /v1/exports/{id}/download
pub async fn download(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let file = exports::download(&state, &principal, &id).await?;
    let state = state.into_inner();
    let id = id.into_inner();
    let chunks = file.chunks;
    let stream = futures_util::stream::unfold(0i64, move |seq| {
        let (state, principal, id) = (state.clone(), principal.clone(), id.clone());
        async move {
            if seq >= chunks {
                return None;
            }
            let item = match exports::chunk(&state, &principal, &id, seq).await {
                Ok(Some(data)) => Ok(web::Bytes::from(data)),
                Ok(None) => Err(actix_web::error::ErrorGone("the export was purged")),
                Err(err) => {
                    tracing::warn!(error = %err.detail, "export download cut short");
                    Err(actix_web::error::ErrorInternalServerError(
                        "export read failed",
                    ))
                }
            };
            let next = if item.is_ok() { seq + 1 } else { chunks };
            Some((item, next))
        }
    });
    Ok(HttpResponse::Ok()
        .content_type(file.content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", file.file_name),
        ))
        .no_chunking(u64::try_from(file.bytes).unwrap_or(0))
        .streaming(stream))
}

/// Cancel a job that has not ended. 409 `export_finished` when it had.
#[utoipa::path(
    tag = "exports",
    security(("bearer" = [])),
    params(
        ("id" = String, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")
    ),
    responses(
        (status = 200, body = ExportJob),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/{id}/cancel")] // POST /v1/exports/{id}/cancel
pub async fn cancel(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &())?;
    let outcome = exports::cancel(&state, &principal, &id, idem).await?;
    Ok(respond(outcome, StatusCode::OK, |_: &ExportJob| None))
}
