//! Request bodies: required ([`Json`]) or that may be absent ([`OptionalJson`]), and the JSON
//! path of a body's failing field, so a 422 names it. Both refuse the NUL character (`\u0000`)
//! anywhere in the body: no field of the API holds one, and PostgreSQL can store it neither in
//! `text` nor in `jsonb`.

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PayloadError};
use actix_web::http::StatusCode;
use actix_web::{mime, web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use std::ops::Deref;

use crate::error::{ApiError, FieldError};
use crate::state::AppState;

/// A required JSON body, like `web::Json` (sent as JSON or as a JSON merge patch: 415
/// otherwise; 400 `malformed_json`; 422 naming the field), that also refuses NUL characters
/// (422 naming the field that holds one).
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let sent_as_json = is_json(req);
        let body = read_body(req, payload);
        Box::pin(async move {
            let bytes = body.await?;
            if !sent_as_json {
                return Err(json_error(JsonPayloadError::ContentType).into());
            }
            Ok(Json(parse(&bytes)?))
        })
    }
}

/// A JSON body that may be left out: no body at all (zero bytes) is `None`, and the handler
/// uses its defaults. A body that is present must be what a required one would be: sent as
/// JSON (415 otherwise), valid JSON (400 `malformed_json`), of the documented shape with no
/// unknown field (422 naming the field). Never a silent "absent".
#[derive(Debug)]
pub struct OptionalJson<T>(pub Option<T>);

impl<T> OptionalJson<T> {
    pub fn into_inner(self) -> Option<T> {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJson<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let sent_as_json = is_json(req);
        let body = read_body(req, payload);
        Box::pin(async move {
            let bytes = body.await?;
            Ok(OptionalJson(parse_optional(&bytes, sent_as_json)?))
        })
    }
}

/// The body's bytes, up to the configured limit (413 beyond it).
fn read_body(
    req: &HttpRequest,
    payload: &mut Payload,
) -> LocalBoxFuture<'static, Result<web::Bytes, actix_web::Error>> {
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map_or(0, |state| state.config.body_limit);
    let bytes = web::Bytes::from_request(req, payload);
    Box::pin(async move {
        bytes.await.map_err(|err| {
            match err.as_error::<PayloadError>() {
                Some(PayloadError::Overflow) => json_error(JsonPayloadError::Overflow { limit }),
                _ => ApiError::bad_request("invalid_body", "the request body could not be read"),
            }
            .into()
        })
    })
}

/// `application/json` or any `…+json` type.
fn is_json(req: &HttpRequest) -> bool {
    match req.mime_type() {
        Ok(Some(m)) => m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON),
        _ => false,
    }
}

/// The rule of [`OptionalJson`] over the bytes received.
fn parse_optional<T: DeserializeOwned>(
    bytes: &[u8],
    sent_as_json: bool,
) -> Result<Option<T>, ApiError> {
    if bytes.is_empty() {
        return Ok(None);
    }
    if !sent_as_json {
        return Err(json_error(JsonPayloadError::ContentType));
    }
    parse(bytes).map(Some)
}

/// The body parsed into `T`, after the NUL check.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if let Some(at) = nul_escape(bytes) {
        return Err(ApiError::validation(vec![FieldError {
            field: Some(path_to(bytes, at))
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| "body".to_owned()),
            message: "must be text without the NUL character (\\u0000)".to_owned(),
        }])
        .with_code("invalid_body"));
    }
    serde_json::from_slice(bytes).map_err(|e| body_error(&e, Some(bytes)))
}

/// The offset of the first `\u0000` escape in a JSON text (the only way valid JSON holds a
/// NUL: raw control characters are not allowed in its strings). A backslash escapes the next
/// byte, so `\\u0000` (a backslash, then the text `u0000`) is not one.
fn nul_escape(bytes: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(found) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|b| *b == b'\\'))
    {
        let at = i + found;
        if bytes.get(at + 1) == Some(&b'u') && bytes.get(at + 2..at + 6) == Some(b"0000") {
            return Some(at);
        }
        i = at + 2;
    }
    None
}

/// Maps actix's body-parsing failures onto problems.
pub fn json_error(err: actix_web::error::JsonPayloadError) -> ApiError {
    use actix_web::error::JsonPayloadError as E;
    match err {
        E::Overflow { limit } | E::OverflowKnownLength { limit, .. } => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the request body is larger than the {limit} bytes accepted"),
        ),
        E::ContentType => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as application/json",
        ),
        E::Deserialize(e) if e.is_data() => body_error(&e, None),
        E::Deserialize(e) => {
            ApiError::bad_request("malformed_json", format!("the body is not valid JSON: {e}"))
        }
        other => ApiError::bad_request("invalid_body", other.to_string()),
    }
}

/// A body that failed to deserialize: 400 `malformed_json` when it is not JSON, else 422
/// `invalid_body` naming the failing field (found from the error's position in `body` when
/// the bytes are at hand, from the message otherwise).
pub fn body_error(err: &serde_json::Error, body: Option<&[u8]>) -> ApiError {
    let message = err.to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_owned();
    if !err.is_data() {
        return ApiError::bad_request(
            "malformed_json",
            format!("the body is not valid JSON: {message}"),
        );
    }
    let mut field = body
        .map(|b| path_at(b, err.line(), err.column()))
        .unwrap_or_default();
    if let Some(name) = quoted_name(&message, "missing field `") {
        field = join(&field, name);
    } else if let (true, Some(name)) = (field.is_empty(), quoted_name(&message, "unknown field `"))
    {
        field = name.to_owned();
    }
    if field.is_empty() {
        field = "body".to_owned();
    }
    let mut error =
        ApiError::validation(vec![FieldError { field, message }]).with_code("invalid_body");
    error.detail = format!(
        "the body does not have the expected shape: {}",
        error.detail
    );
    error
}

fn quoted_name<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    message
        .strip_prefix(prefix)
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

enum Frame {
    /// An object and the key whose value is being read (`None` between members).
    Object(Option<String>),
    /// An array and the index of the element being read.
    Array(usize),
}

/// The JSON path (`items[2].unit_price`) of the value being read at `line`/`column` (as
/// serde_json counts them: 1-based lines, the column of the last byte read) in `body`.
fn path_at(body: &[u8], line: usize, column: usize) -> String {
    let line_start = if line <= 1 {
        Some(0)
    } else {
        body.iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(line - 2)
            .map(|(i, _)| i + 1)
    };
    path_to(
        body,
        line_start.map_or(body.len(), |s| (s + column).min(body.len())),
    )
}

/// The JSON path of the value being read at byte offset `end` of `body`.
fn path_to(body: &[u8], end: usize) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let mut expecting_key = false;
    let mut i = 0;
    while i < end {
        match body[i] {
            b'{' => {
                stack.push(Frame::Object(None));
                expecting_key = true;
            }
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
                expecting_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object(key)) => {
                    *key = None;
                    expecting_key = true;
                }
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < end && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
                if expecting_key {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        let raw = body.get(start..i.min(end)).unwrap_or_default();
                        *key = Some(String::from_utf8_lossy(raw).into_owned());
                    }
                    expecting_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => path = join(&path, key),
            Frame::Object(None) => {}
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        sku: String,
        unit_price: i64,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Input {
        amount: Option<i64>,
        items: Option<Vec<Line>>,
    }

    fn field(body: &str) -> (u16, String) {
        let err = parse_optional::<Input>(body.as_bytes(), true).unwrap_err();
        let field = err
            .errors
            .first()
            .map(|f| f.field.clone())
            .unwrap_or_default();
        (err.status.as_u16(), field)
    }

    #[test]
    fn empty_is_absent_and_anything_else_must_parse() {
        assert!(parse_optional::<Input>(b"", false).unwrap().is_none());
        assert_eq!(
            parse_optional::<Input>(b"{}", false).unwrap_err().status,
            415
        );
        assert_eq!(
            parse_optional::<Input>(b"{", true).unwrap_err().code,
            "malformed_json"
        );
        assert_eq!(
            parse_optional::<Input>(b"nope", true).unwrap_err().status,
            400
        );
        assert!(parse_optional::<Input>(b"{}", true).unwrap().is_some());
    }

    #[test]
    fn a_shape_error_names_the_field_by_its_path() {
        assert_eq!(field(r#"{"amount":"25.00"}"#), (422, "amount".into()));
        assert_eq!(field(r#"{"amount": 25.5}"#), (422, "amount".into()));
        assert_eq!(
            field(r#"{"amount":9223372036854775808}"#),
            (422, "amount".into())
        );
        assert_eq!(field(r#"{"amout":2500}"#), (422, "amout".into()));
        assert_eq!(
            field("{\"items\": [\n {\"sku\": \"a\", \"unit_price\": 1},\n {\"sku\": \"b,\\\"\", \"unit_price\": true}]}"),
            (422, "items[1].unit_price".into())
        );
        assert_eq!(
            field(r#"{"items":[{"unit_price":1}]}"#),
            (422, "items[0].sku".into())
        );
        assert_eq!(field(r#"[]"#), (422, "body".into()));
    }

    #[test]
    fn a_nul_character_anywhere_is_refused_naming_its_field() {
        assert_eq!(
            field(r#"{"items":[{"sku":"a\u0000b","unit_price":1}]}"#),
            (422, "items[0].sku".into())
        );
        assert_eq!(field(r#"{"amount":1,"x\u0000":2}"#), (422, "x".into()));
        assert_eq!(field(r#"["\u0000"]"#), (422, "[0]".into()));
        // An escaped backslash followed by the text u0000 is not a NUL.
        let text = r#"{"items":[{"sku":"a\\u0000","unit_price":1}]}"#;
        assert!(parse_optional::<Input>(text.as_bytes(), true).is_ok());
        assert_eq!(nul_escape(br#""\\\u0000""#), Some(3));
        assert_eq!(nul_escape(br#""\u0001\\""#), None);
    }
}
