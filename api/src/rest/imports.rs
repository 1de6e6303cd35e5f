//! `/v1/imports`: bulk import jobs of accounts, orders, contacts, interactions and survey
//! responses from a CSV or NDJSON file sent as the raw body or a multipart upload, their
//! progress, their error report and cancellation.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::conventions::{idempotency, respond};
use crate::rest::edge::Query;
use crate::service::idempotency::Outcome;
use crate::service::imports::{self, ImportJob, ImportRequest, ImportRowError};
use crate::service::{ListParams, Page};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `accounts`, `orders`, `contacts`, `interactions` or `feedback` (required here or as
    /// a `type` part of a multipart upload).
    #[serde(rename = "type")]
    #[param(rename = "type", example = "orders")]
    pub import_type: Option<String>,
    /// A JSON object, file header -> field (URL-encoded), for headers that are not the
    /// fields' names: `{"Order ref": "external_id", "Total": "amount"}`. Headers without
    /// an entry are read as the field of their own name; others are reported in
    /// `unknown_columns` and ignored.
    pub mapping: Option<String>,
    /// `true`: every row is validated and written in a transaction that is rolled back;
    /// nothing is kept, and the job's counts say what would have happened.
    pub dry_run: Option<bool>,
}

/// A multipart upload: the file in a `file` part, with the choices the query string also
/// takes as parts before it (a part wins over the query parameter of the same name).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// The file (CSV or NDJSON: from the part's `Content-Type`, else its file name's
    /// extension `.csv`, `.ndjson`, `.jsonl`). Streamed: send it last.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `accounts`, `orders`, `contacts`, `interactions` or `feedback`.
    #[schema(rename = "type", example = "interactions")]
    import_type: Option<String>,
    /// The mapping, as JSON text.
    mapping: Option<String>,
    /// `true` or `false`.
    dry_run: Option<bool>,
}

/// Start an import: the file is the raw body (`text/csv` with a header line, or
/// `application/x-ndjson`, one JSON object per line) or the `file` part of a
/// `multipart/form-data` upload (with optional `type`, `mapping`, `dry_run` parts before
/// it), streamed into the database (any size; any node's worker processes it, and a job
/// survives restarts). Answers 202 with the job (`Location: /v1/imports/{id}`); follow it
/// with `GET /v1/imports/{id}`.
///
/// Fields are those of the API's own inputs: accounts (`external_id` required: rows are
/// upserted by it, as `POST /v1/accounts/batch`; `emails`, `phones`, `tags` separated by
/// `;`; `address.city`-style columns), orders (`external_id` required: it makes a resumed
/// import write each order once; `account_external_id` or `account_id`, `amount` in minor
/// units, `currency`, `occurred_at`, `channel`, `items` (line items) as JSON,
/// `refunded_amount`: the order's total refunded, reached through the refund path, with
/// `refund_reason`; written through the order batch path, so metrics, points and events
/// follow), contacts (`account_external_id` or `account_id`, `name`, `title`, `email`,
/// `phone`, `is_primary`), interactions (`external_id` required, `account_external_id` or
/// `account_id`, `type`, `channel`, `direction`, `subject`, `body`, `occurred_at`,
/// `contact_id`, `due_at`, `done`), feedback: survey responses (`external_id` required,
/// `account_external_id` or `account_id`, `nps`, `csat`, `ces`, `touchpoint`, `channel`,
/// `order_id`, `interaction_id`, `comment`, `occurred_at`). A known `external_id` is not
/// written again. Rows are written in batches of 1,000; a bad row is never half-written
/// and is reported by `GET /v1/imports/{id}/errors`. A malformed file (not UTF-8, binary
/// content, a line over 1 MB, an unterminated quote) fails the job at that point. Needs the
/// write scope of the type (`accounts:write`, `orders:write`). With `Idempotency-Key`, a
/// retried upload (same choices, same file) answers the first job (`idempotent-replayed:
/// true`) and stores nothing; the key with another file or choices is a 409.
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    params(
        ImportParams,
        ("Idempotency-Key" = Option<String>, Header, description = "A retried upload (same choices, same file) answers the first job")
    ),
    request_body(
        description = "The file, as the raw body or the `file` part of a multipart upload",
        content(
            (String = "text/csv", example = "external_id,account_external_id,amount,currency,occurred_at\nshop-1001,crm-7781,9900,EUR,2026-11-20T14:03:00Z\n"),
            (String = "application/x-ndjson", example = "{\"external_id\":\"shop-1001\",\"account_external_id\":\"crm-7781\",\"amount\":9900,\"currency\":\"EUR\"}\n"),
            (ImportUpload = "multipart/form-data")
        )
    ),
    responses(
        (status = 202, body = ImportJob, headers(("Location" = String))),
        (status = 400, description = "`body_incomplete`: the upload broke off (nothing kept); `multipart_invalid`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing the type's write scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`idempotency_key_reused`: the key came with another upload; `import_upload_stopped`: cancelled while uploading", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `text/csv`, `application/x-ndjson` or `multipart/form-data` (or a `file` part of neither)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `type` or `mapping`, no `file` part, an empty file, or a header without a required field (each named)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("")] // POST /v1/imports
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    query: Query<ImportParams>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut request = ImportRequest {
        import_type: query.import_type.unwrap_or_default(),
        content_type,
        mapping: query.mapping,
        dry_run: query.dry_run.unwrap_or(false),
        idempotency: idempotency(&req, &())?,
    };
    let multipart = request.content_type.as_deref().is_some_and(|c| {
        c.trim_start()
            .to_ascii_lowercase()
            .starts_with("multipart/form-data")
    });
    let outcome = if multipart {
        let mut form = actix_multipart::Multipart::new(req.headers(), body);
        let file =
            loop {
                let Some(part) = form.next().await else {
                    return Err(ApiError::field("file", "the upload has no `file` part"));
                };
                let mut part = part.map_err(multipart_invalid)?;
                let name = part.name().unwrap_or_default().to_owned();
                match name.as_str() {
                    "file" => break part,
                    "type" => request.import_type = small_part(&mut part, &name).await?,
                    "mapping" => request.mapping = Some(small_part(&mut part, &name).await?),
                    "dry_run" => {
                        request.dry_run = match small_part(&mut part, &name).await?.trim() {
                            "true" | "1" => true,
                            "false" | "0" | "" => false,
                            _ => return Err(ApiError::field("dry_run", "must be true or false")),
                        }
                    }
                    _ => return Err(ApiError::field(
                        &name,
                        "is not a part of an import upload (`file`, `type`, `mapping`, `dry_run`)",
                    )),
                }
            };
        request.content_type = Some(file_format(&file));
        imports::create(&state, &principal, request, file).await?
    } else {
        imports::create(&state, &principal, request, body).await?
    };
    Ok(accepted(outcome))
}

/// 202 with the job and its `Location`, fresh or replayed.
fn accepted(outcome: Outcome<ImportJob>) -> HttpResponse {
    match outcome {
        Outcome::Fresh(job) => HttpResponse::Accepted()
            .insert_header((header::LOCATION, format!("/v1/imports/{}", job.id)))
            .json(job),
        Outcome::Replay { status, body } => {
            let id = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("id").and_then(|id| id.as_str()).map(str::to_owned));
            let mut res =
                HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::ACCEPTED));
            res.content_type("application/json")
                .insert_header(("idempotent-replayed", "true"));
            if let Some(id) = id {
                res.insert_header((header::LOCATION, format!("/v1/imports/{id}")));
            }
            res.body(body)
        }
    }
}

fn multipart_invalid(err: actix_multipart::MultipartError) -> ApiError {
    ApiError::bad_request(
        "multipart_invalid",
        format!("the multipart upload could not be read: {err}"),
    )
}

/// A text part (`type`, `mapping`, `dry_run`), at most 64 KiB.
async fn small_part(part: &mut actix_multipart::Field, name: &str) -> Result<String, ApiError> {
    const MAX: usize = 64 * 1024;
    let mut text = Vec::new();
    while let Some(piece) = part.next().await {
        let piece = piece.map_err(multipart_invalid)?;
        if text.len() + piece.len() > MAX {
            return Err(ApiError::field(name, "a text part is at most 64 KiB"));
        }
        text.extend_from_slice(&piece);
    }
    String::from_utf8(text).map_err(|_| ApiError::field(name, "must be UTF-8 text"))
}

/// The file part's media type: its own when it names CSV or NDJSON, else its file name's
/// extension's, else its own (refused with a 415).
fn file_format(part: &actix_multipart::Field) -> String {
    let own = part.content_type().map(|m| m.essence_str().to_owned());
    if own
        .as_deref()
        .is_some_and(|c| imports::Format::from_content_type(Some(c)).is_ok())
    {
        return own.unwrap_or_default();
    }
    let extension = part
        .content_disposition()
        .and_then(|d| d.get_filename())
        .and_then(|f| f.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("csv") => "text/csv".into(),
        Some("ndjson" | "jsonl") => "application/x-ndjson".into(),
        _ => own.unwrap_or_else(|| "application/octet-stream".into()),
    }
}

/// The workspace's import jobs, newest first.
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    params(ListParams),
    responses(
        (status = 200, body = Page<ImportJob>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("")] // GET /v1/imports
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: Query<ListParams>,
) -> Result<web::Json<Page<ImportJob>>, ApiError> {
    let q = query.into_inner();
    imports::list(&state, &principal, q.limit, q.after)
        .await
        .map(web::Json)
}

/// One import job: status (`queued`, `running`, `succeeded`, `failed`, `cancelled`), rows
/// read, imported and failed, rows per second, ETA, unknown columns, and (dry run) what
/// would have happened.
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = ImportJob),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}")] // GET /v1/imports/{id}
pub async fn get(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<ImportJob>, ApiError> {
    imports::get(&state, &principal, &id).await.map(web::Json)
}

/// The refused rows of a job, one entry per bad field, in file order: JSON pages, or with
/// `Accept: text/csv` the whole report as CSV (`row,field,code,message`), streamed.
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    params(("id" = String, Path), ListParams),
    responses(
        (status = 200, body = Page<ImportRowError>),
        (status = 200, description = "With `Accept: text/csv`", body = String, content_type = "text/csv"),
        (status = 404, body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/{id}/errors")] // GET /v1/imports/{id}/errors
pub async fn errors(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    query: Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let wants_csv = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/csv"));
    if !wants_csv {
        let page = imports::errors(&state, &principal, &id, q.limit, q.after).await?;
        return Ok(HttpResponse::Ok().json(page));
    }
    // The first page answers 404/403 before the response starts.
    let first = imports::errors(&state, &principal, &id, Some(500), None).await?;
    let state = state.into_inner();
    let id = id.into_inner();
    let stream = futures_util::stream::unfold((Some(first), true), move |(page, header_due)| {
        let (state, principal, id) = (state.clone(), principal.clone(), id.clone());
        async move {
            let page = page?;
            let mut out = csv::Writer::from_writer(Vec::new());
            if header_due {
                let _ = out.write_record(["row", "field", "code", "message"]);
            }
            for e in &page.data {
                let row = e.row.to_string();
                let _ = out.write_record([row.as_str(), &e.field, &e.code, &e.message]);
            }
            let bytes = out.into_inner().unwrap_or_default();
            let next = match page.next_cursor {
                Some(after) => {
                    match imports::errors(&state, &principal, &id, Some(500), Some(after)).await {
                        Ok(next) => Some(next),
                        Err(err) => {
                            tracing::warn!(error = %err.detail, "import error report cut short");
                            None
                        }
                    }
                }
                None => None,
            };
            Some((
                Ok::<_, actix_web::Error>(web::Bytes::from(bytes)),
                (next, false),
            ))
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .streaming(stream))
}

/// Cancel a job that has not ended: its worker stops before the next batch; the batches
/// already committed stay. 409 `import_finished` when it had ended.
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    params(
        ("id" = String, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "Same key + same body = the stored response again")
    ),
    responses(
        (status = 200, body = ImportJob),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/{id}/cancel")] // POST /v1/imports/{id}/cancel
pub async fn cancel(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &())?;
    let outcome = imports::cancel(&state, &principal, &id, idem).await?;
    Ok(respond(outcome, StatusCode::OK, |_: &ImportJob| None))
}
