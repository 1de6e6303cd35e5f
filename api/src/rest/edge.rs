//! The REST door's checks on what arrives before any handler reads it: the URI's text (path
//! segments and query values), query parsing that names the failing parameter, and every
//! error answer actix itself makes turned into problem+json.

use std::ops::Deref;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, Next};
use actix_web::{web, FromRequest, HttpRequest, ResponseError};
use futures_util::future::{ready, Ready};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};
use crate::rest::RouteTable;

/// Longest request target (path and query) served; longer ones answer 414. (Heads over
/// 64 KiB never reach the application: the HTTP parser refuses them.)
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Refuses a request whose URI is too long, or whose path segments or query names and
/// values, once percent-decoded, are not text: invalid UTF-8 or a control character (NUL,
/// line breaks, …). No id, cursor, filter or search term contains one, and PostgreSQL
/// cannot store NUL. 400 `invalid_parameter` names the parameter.
pub async fn check_uri(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let refused = {
        let uri = req.uri();
        let length = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
        if length > MAX_URI_BYTES {
            Some(ApiError::new(
                StatusCode::URI_TOO_LONG,
                "uri_too_long",
                format!("the request target is longer than {MAX_URI_BYTES} bytes"),
            ))
        } else {
            let routes = req.app_data::<web::Data<RouteTable>>();
            path_problem(uri.path(), routes.map(|r| r.get_ref()))
                .or_else(|| uri.query().and_then(query_problem))
        }
    };
    match refused {
        Some(err) => Ok(req
            .into_response(err.error_response())
            .map_into_right_body()),
        None => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
    }
}

fn invalid_parameter(field: &str, detail: &str) -> ApiError {
    let mut err = ApiError::validation(vec![FieldError {
        field: field.to_owned(),
        message: detail.to_owned(),
    }])
    .with_code("invalid_parameter");
    err.status = StatusCode::BAD_REQUEST;
    err
}

const NOT_TEXT: &str = "must be text without control characters (such as NUL)";

/// Percent-decodes `raw` (and `+` as a space in a query) into text, or `None` when the
/// result is not UTF-8 or holds a control character.
fn decoded_text(raw: &str, plus_is_space: bool) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        match b {
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(h), Some(l)) => {
                    out.push(u8::try_from(h * 16 + l).unwrap_or(0));
                    i += 3;
                    continue;
                }
                _ => out.push(b),
            },
            b'+' if plus_is_space => out.push(b' '),
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out)
        .ok()
        .filter(|text| !text.chars().any(char::is_control))
}

fn path_problem(path: &str, routes: Option<&RouteTable>) -> Option<ApiError> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let bad = segments
        .iter()
        .position(|s| decoded_text(s, false).is_none())?;
    let name = routes
        .and_then(|r| r.param_name(path, bad))
        .unwrap_or("path");
    Some(invalid_parameter(name, NOT_TEXT))
}

fn query_problem(query: &str) -> Option<ApiError> {
    query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match decoded_text(name, true) {
            None => Some(invalid_parameter("query", "parameter names must be text")),
            Some(name) => decoded_text(value, true)
                .is_none()
                .then(|| invalid_parameter(&name, NOT_TEXT)),
        }
    })
}

/// `?…` parsed into `T`, like `web::Query`, but a value that does not parse is a 400
/// `invalid_query` naming the parameter (`created_after`, `limit`).
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Query<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            parse_query(req.query_string())
                .map(Query)
                .map_err(Into::into),
        )
    }
}

/// Parses a query string; on failure, finds the parameter at fault by parsing each one
/// alone (every query type's fields are optional, so only the bad one fails by itself).
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    web::Query::<T>::from_query(query)
        .map(web::Query::into_inner)
        .map_err(|err| {
            let culprit = query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .find(|pair| web::Query::<T>::from_query(pair).is_err())
                .map(|pair| pair.split_once('=').map_or(pair, |(name, _)| name))
                .and_then(|name| decoded_text(name, true));
            let message = match &err {
                actix_web::error::QueryPayloadError::Deserialize(e) => e.to_string(),
                other => other.to_string(),
            };
            match culprit {
                Some(field) => {
                    let mut e = ApiError::validation(vec![FieldError {
                        field: field.clone(),
                        message: format!("is not a valid value: {message}"),
                    }])
                    .with_code("invalid_query");
                    e.status = StatusCode::BAD_REQUEST;
                    e
                }
                None => ApiError::bad_request(
                    "invalid_query",
                    format!("invalid query string: {message}"),
                ),
            }
        })
}

/// Gives every error answer that is not JSON already (actix's own, in plain text or empty:
/// payload errors, CORS refusals, an unmatched docs file, …) a problem body with a stable
/// code for its status, keeping headers such as `Allow` and `Retry-After`. JSON answers
/// (problems, and deliberate bodies such as `/readyz`'s 503) stay as they are.
pub fn problem_for_plain_errors<B>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.starts_with("application/json") || v.starts_with("application/problem+json")
        });
    if is_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (code, detail) = match status {
        StatusCode::BAD_REQUEST => ("bad_request", "the request could not be understood"),
        StatusCode::UNAUTHORIZED => ("unauthenticated", "credentials are required"),
        StatusCode::FORBIDDEN => ("forbidden", "this request is not allowed"),
        StatusCode::NOT_FOUND => ("not_found", "nothing at this address"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "method not allowed here"),
        StatusCode::REQUEST_TIMEOUT => ("request_timeout", "the request took too long to arrive"),
        StatusCode::LENGTH_REQUIRED => ("length_required", "send a Content-Length"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "the request body is too large"),
        StatusCode::URI_TOO_LONG => ("uri_too_long", "the request target is too long"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "this content type is not accepted",
        ),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
            ("headers_too_large", "the request headers are too large")
        }
        StatusCode::SERVICE_UNAVAILABLE => ("unavailable", "the service is unavailable; retry"),
        s if s.is_server_error() => ("internal_error", "something went wrong on our side"),
        _ => ("request_refused", "the request was refused"),
    };
    let (req, original) = res.into_parts();
    let problem = ApiError::new(status, code, detail);
    let mut response = problem.error_response();
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Filters {
        limit: Option<i64>,
        created_after: Option<chrono::DateTime<chrono::Utc>>,
        q: Option<String>,
    }

    #[test]
    fn text_checks_decode_first() {
        assert_eq!(decoded_text("a%20b+c", true).as_deref(), Some("a b c"));
        assert_eq!(decoded_text("a+b", false).as_deref(), Some("a+b"));
        assert!(decoded_text("a%00b", true).is_none());
        assert!(decoded_text("%0a", true).is_none());
        assert!(decoded_text("%ff", true).is_none());
        assert_eq!(decoded_text("%", true).as_deref(), Some("%"));
        assert_eq!(decoded_text("%C3%A9", true).as_deref(), Some("é"));
        let err = query_problem("limit=5&q=ab%00c").unwrap();
        assert_eq!(err.errors[0].field, "q");
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
        assert!(query_problem("limit=5&q=ab+c").is_none());
        assert_eq!(
            path_problem("/v1/accounts/a%00", None).unwrap().errors[0].field,
            "path"
        );
    }

    #[test]
    fn a_bad_query_value_is_named() {
        let err = parse_query::<Filters>("q=x&created_after=yesterday").unwrap_err();
        assert_eq!(err.code, "invalid_query");
        assert_eq!(err.errors[0].field, "created_after");
        let err = parse_query::<Filters>("limit=abc").unwrap_err();
        assert_eq!(err.errors[0].field, "limit");
        assert!(parse_query::<Filters>("limit=5&q=a").is_ok());
    }
}
