//! The one error type of the API and its HTTP mapping: RFC 9457 problem details with a stable
//! snake_case `code`. Causes of 500s are logged, never returned.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// A field that failed validation, by its JSON path (`emails[0]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Problem details (RFC 9457) as every error response carries them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:rapport:problem:not_found",
    "title": "Not Found",
    "status": 404,
    "detail": "no account with that id",
    "code": "not_found"
}))]
pub struct Problem {
    /// `urn:rapport:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable, machine-readable; safe to branch on.
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
    pub errors: Vec<FieldError>,
    /// Extra response headers (`Allow`, `Retry-After`, …).
    pub headers: Vec<(header::HeaderName, String)>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            headers: Vec::new(),
        }
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", detail)
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, detail)
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            _ => format!("{} fields are invalid", errors.len()),
        };
        Self {
            errors,
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                detail,
            )
        }
    }

    pub fn unauthenticated(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", detail)
            .with_header(header::WWW_AUTHENTICATE, "Bearer")
    }

    pub fn invalid_token(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, detail)
            .with_header(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
    }

    pub fn forbidden(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, detail)
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("too many requests; retry in {retry_after_secs} s"),
        )
        .with_header(header::RETRY_AFTER, retry_after_secs.to_string())
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    pub fn unavailable(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, code, detail)
            .with_header(header::RETRY_AFTER, "1")
    }

    /// An unexpected failure: the cause goes to the log, the client gets a generic message.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "something went wrong on our side; the request id in X-Request-Id helps us find it",
        )
    }

    /// The same error under a more specific stable code.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    pub fn with_header(mut self, name: header::HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn problem(&self) -> Problem {
        Problem {
            kind: format!("urn:rapport:problem:{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.to_owned(),
            errors: self.errors.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.code,
            self.status.as_u16(),
            self.detail
        )
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.content_type("application/problem+json");
        for (name, value) in &self.headers {
            response.insert_header((name.clone(), value.clone()));
        }
        response.json(self.problem())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::NotFound => ApiError::not_found("no such record"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                ApiError::conflict("already_exists", "a record with the same unique key exists")
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => ApiError::conflict(
                "concurrent_update",
                "the record changed concurrently; retry",
            ),
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => {
                tracing::warn!(error = %info.message(), "database connection lost");
                ApiError::database_lost()
            }
            Error::DatabaseError(_, info) if is_timeout(info.message()) => {
                tracing::warn!(error = %info.message(), "database statement timed out");
                ApiError::database_timeout()
            }
            other => ApiError::internal(other),
        }
    }
}

/// A statement that ran or waited for a lock longer than the configured statement timeout:
/// PostgreSQL cancels it (`statement_timeout`, `lock_timeout`), SQLite gives up waiting for
/// the write lock (`busy_timeout`). Diesel reports neither as a kind of its own, so the
/// servers' messages tell.
fn is_timeout(message: &str) -> bool {
    message.contains("statement timeout")
        || message.contains("lock timeout")
        || message.starts_with("database is locked")
        || message.starts_with("database table is locked")
}

impl ApiError {
    /// The database connection went away under the request (a restart, a failover, a
    /// killed backend): nothing was committed, and a retry takes a fresh connection.
    pub fn database_lost() -> Self {
        Self::unavailable(
            "database_unavailable",
            "the database connection was lost; nothing was changed, retry",
        )
    }

    /// The request's statement ran or waited for a lock past the statement timeout
    /// (`RAPPORT_DB_STATEMENT_TIMEOUT_MS`); it was rolled back.
    pub fn database_timeout() -> Self {
        Self::unavailable(
            "database_timeout",
            "the database did not answer in time (busy or locked); nothing was changed, retry",
        )
    }
}

pub fn query_error(err: actix_web::error::QueryPayloadError) -> ApiError {
    ApiError::bad_request("invalid_query", format!("invalid query string: {err}"))
}

pub fn path_error(_err: actix_web::error::PathError) -> ApiError {
    ApiError::not_found("no resource at this path")
}
