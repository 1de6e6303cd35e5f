//! The conventions every operation shares, applied to the generated document in one pass so
//! that no handler has to repeat them: the statuses the server's edges answer (401, 403,
//! 400, 413, 415, 422, 409, 412, 429, 503) with their problem schema and headers, the
//! rate-limit headers, `Location` on 201, `Idempotent-Replayed` on replays, the page size
//! range of `limit`, merge-patch request schemas for PATCH, and free-form objects typed as
//! records of values.

use serde_json::{json, Map, Value};

use crate::service::{DEFAULT_PAGE, MAX_PAGE};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
const PROBLEM: &str = "application/problem+json";

pub fn apply(doc: &mut Value) {
    add_components(doc);
    let mut patch_schemas = Vec::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            for method in METHODS {
                if let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) {
                    operation(path, method, op, &mut patch_schemas);
                }
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for name in patch_schemas {
            merge_patch_schema(schemas, &name);
        }
        for schema in schemas.values_mut() {
            free_form_objects(schema);
        }
    }
}

/// Reusable headers and problem responses the operations refer to.
fn add_components(doc: &mut Value) {
    let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) else {
        return;
    };
    let integer = |description: &str| json!({"description": description, "schema": {"type": "integer", "minimum": 0}});
    components.insert(
        "headers".into(),
        json!({
            "RateLimit-Limit": integer("Requests allowed per minute to this user or API key"),
            "RateLimit-Remaining": integer("Requests left in the current window"),
            "RateLimit-Reset": integer("Seconds until the window refills"),
            "Retry-After": {
                "description": "Seconds to wait before retrying",
                "required": true,
                "schema": {"type": "integer", "minimum": 0}
            },
            "Location": {
                "description": "Where the created resource lives",
                "required": true,
                "schema": {"type": "string", "format": "uri-reference"}
            },
            "Idempotent-Replayed": {
                "description": "`true` when this is the stored answer to an earlier request \
                    with the same Idempotency-Key",
                "schema": {"type": "string", "enum": ["true"]}
            },
            "WWW-Authenticate": {
                "description": "The authentication scheme: `Bearer`",
                "schema": {"type": "string"}
            }
        }),
    );
    let problem = |description: &str, headers: Value| {
        json!({
            "description": description,
            "headers": headers,
            "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        })
    };
    let rate = rate_limit_headers();
    let mut with_retry = rate.clone();
    with_retry.insert("Retry-After".into(), header_ref("Retry-After"));
    let responses = components.entry("responses").or_insert_with(|| json!({}));
    if let Some(responses) = responses.as_object_mut() {
        for (name, response) in [
            (
                "BadRequest",
                problem(
                    "`invalid_parameter` (a path or query value that is not text: a NUL or \
                     control character, named in `errors`), `malformed_json` (the body is not \
                     JSON), `invalid_query` (a query parameter does not parse, named in \
                     `errors`) or `invalid_idempotency_key`",
                    Value::Object(rate.clone()),
                ),
            ),
            (
                "Unauthorized",
                problem(
                    "`unauthenticated` (no or unusable credentials) or an invalid, expired \
                     or revoked token or API key",
                    json!({"WWW-Authenticate": header_ref("WWW-Authenticate")}),
                ),
            ),
            (
                "Forbidden",
                problem(
                    "`insufficient_scope`: the credentials lack the scope or role this \
                     operation needs",
                    Value::Object(rate.clone()),
                ),
            ),
            (
                "NotFound",
                problem(
                    "`not_found`: nothing with that id in the caller's workspace",
                    Value::Object(rate.clone()),
                ),
            ),
            (
                "Conflict",
                problem(
                    "`idempotency_key_reused`: the Idempotency-Key was used with another \
                     request",
                    Value::Object(rate.clone()),
                ),
            ),
            (
                "PreconditionFailed",
                problem(
                    "`precondition_failed`: If-Match names another version than the \
                     current one, or is not an ETag this API returned",
                    Value::Object(rate.clone()),
                ),
            ),
            (
                "PayloadTooLarge",
                problem(
                    "`payload_too_large`: the body is larger than the server accepts",
                    Value::Object(rate.clone()),
                ),
            ),
            (
                "UnsupportedMediaType",
                problem(
                    "`unsupported_media_type`: send the body as application/json",
                    Value::Object(rate.clone()),
                ),
            ),
            (
                "UnprocessableEntity",
                problem(
                    "`validation_failed` with each bad field named in `errors`, or \
                     `invalid_body` when the body does not have the expected shape",
                    Value::Object(rate.clone()),
                ),
            ),
            (
                "TooManyRequests",
                problem(
                    "`rate_limited`: retry after `Retry-After` seconds",
                    Value::Object(with_retry.clone()),
                ),
            ),
            (
                "ServiceUnavailable",
                problem(
                    "`database_busy` or `database_unavailable`: retry after `Retry-After` \
                     seconds",
                    json!({"Retry-After": header_ref("Retry-After")}),
                ),
            ),
        ] {
            responses.insert(name.into(), response);
        }
    }
}

fn header_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/headers/{name}")})
}

fn rate_limit_headers() -> Map<String, Value> {
    ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]
        .into_iter()
        .map(|h| (h.to_owned(), header_ref(h)))
        .collect()
}

/// What the operation takes decides which of the shared answers it can give.
fn operation(
    path: &str,
    method: &str,
    op: &mut Map<String, Value>,
    patch_schemas: &mut Vec<String>,
) {
    let authenticated = op
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|reqs| reqs.iter().any(|r| r.get("bearer").is_some()));
    let params: Vec<(String, String)> = op
        .get("parameters")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .filter_map(|p| {
                    Some((
                        p.get("name")?.as_str()?.to_owned(),
                        p.get("in")?.as_str()?.to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let has = |name: &str| params.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let takes_body = op.contains_key("requestBody");
    let idempotent_post = method == "post" && has("Idempotency-Key");
    let is_list = has("limit");
    let api = path.starts_with("/v1/") || path == "/graphql";
    // `x-rapport-scope: any` marks an operation every authenticated caller may use.
    let scoped = op.get("x-rapport-scope").and_then(Value::as_str) != Some("any");

    tidy_parameters(op);
    if method == "patch" {
        if let Some(name) = merge_patch_body(op) {
            patch_schemas.push(name);
        }
    }

    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    for (status, response) in responses.iter_mut() {
        let Some(response) = response.as_object_mut() else {
            continue;
        };
        let headers = response
            .entry("headers")
            .or_insert_with(|| json!({}))
            .as_object_mut();
        let Some(headers) = headers else { continue };
        if authenticated && status != "401" {
            for (name, header) in rate_limit_headers() {
                headers.entry(name).or_insert(header);
            }
        }
        // Every create says where its record lives (`rest::conventions::created`).
        if status == "201" || headers.contains_key("Location") {
            headers.insert("Location".into(), header_ref("Location"));
        }
        if idempotent_post && status.starts_with('2') {
            headers
                .entry("Idempotent-Replayed")
                .or_insert_with(|| header_ref("Idempotent-Replayed"));
        }
        if matches!(status.as_str(), "429" | "503") {
            headers.insert("Retry-After".into(), header_ref("Retry-After"));
        }
        if headers.is_empty() {
            response.remove("headers");
        }
    }
    let mut add = |status: &str, component: &str, when: bool| {
        if when && !responses.contains_key(status) {
            responses.insert(
                status.into(),
                json!({"$ref": format!("#/components/responses/{component}")}),
            );
        }
    };
    // Every request target passes `rest::edge::check_uri` (a path or query value with a NUL or
    // control character is a 400 `invalid_parameter`), so every operation may answer 400.
    add("400", "BadRequest", true);
    add("401", "Unauthorized", authenticated);
    add("403", "Forbidden", authenticated && scoped);
    add("404", "NotFound", path.contains('{'));
    add("409", "Conflict", idempotent_post);
    add("412", "PreconditionFailed", has("If-Match"));
    add("413", "PayloadTooLarge", takes_body);
    add("415", "UnsupportedMediaType", takes_body);
    add("422", "UnprocessableEntity", takes_body || is_list);
    add("429", "TooManyRequests", authenticated);
    add("503", "ServiceUnavailable", api);
}

/// Query and header parameters are never `null` (there is no way to send one); `limit`
/// carries the page size range the server enforces.
fn tidy_parameters(op: &mut Map<String, Value>) {
    let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
        return;
    };
    for param in params {
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let is_limit = name == "limit";
        let Some(schema) = param.get_mut("schema").and_then(Value::as_object_mut) else {
            continue;
        };
        if let Some(types) = schema.get("type").and_then(Value::as_array) {
            let mut non_null: Vec<Value> = types
                .iter()
                .filter(|t| t.as_str() != Some("null"))
                .cloned()
                .collect();
            let single = (non_null.len() == 1).then(|| non_null.remove(0));
            if let Some(t) = single {
                schema.insert("type".into(), t);
            }
        }
        if is_limit {
            schema.insert("minimum".into(), json!(1));
            schema.insert("maximum".into(), json!(MAX_PAGE));
            schema.insert("default".into(), json!(DEFAULT_PAGE));
        }
    }
}

/// A PATCH body is a JSON merge patch of its resource: it points at `<Input>Patch`, built
/// from the input schema by [`merge_patch_schema`]. Returns the input schema's name.
fn merge_patch_body(op: &mut Map<String, Value>) -> Option<String> {
    let content = op
        .get_mut("requestBody")?
        .get_mut("content")?
        .as_object_mut()?;
    let mut name = None;
    for media in content.values_mut() {
        let schema = media.get_mut("schema")?;
        let target = schema
            .get("$ref")?
            .as_str()?
            .strip_prefix("#/components/schemas/")?
            .to_owned();
        if target.ends_with("Patch") {
            // Already written as a patch (every member optional).
            continue;
        }
        *schema = json!({"$ref": format!("#/components/schemas/{target}Patch")});
        name = Some(target);
    }
    // A merge patch is sent as either media type.
    if let Some(schema) = content
        .values()
        .next()
        .and_then(|m| m.get("schema"))
        .cloned()
    {
        for media in ["application/merge-patch+json", "application/json"] {
            content
                .entry(media)
                .or_insert_with(|| json!({"schema": schema.clone()}));
        }
    }
    name
}

/// `<name>Patch`: the schema with every field optional and read-only fields left out;
/// nested objects become patches of their own, as RFC 7396 merges them member by member.
fn merge_patch_schema(schemas: &mut Map<String, Value>, name: &str) {
    let patch_name = format!("{name}Patch");
    if schemas.contains_key(&patch_name) {
        return;
    }
    let Some(mut schema) = schemas.get(name).cloned() else {
        return;
    };
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    object.remove("required");
    object.remove("example");
    let description = format!(
        "A JSON merge patch (RFC 7396) of {name}: members sent replace, `null` clears an \
         optional member, members left out stay."
    );
    object.insert("description".into(), Value::String(description));
    let mut nested = Vec::new();
    if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
        properties.retain(|_, p| p.get("readOnly") != Some(&Value::Bool(true)));
        for property in properties.values_mut() {
            for reference in references_mut(property) {
                if let Some(target) = reference
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .map(str::to_owned)
                {
                    if has_required(schemas.get(&target)) {
                        *reference = Value::String(format!("#/components/schemas/{target}Patch"));
                        nested.push(target);
                    }
                }
            }
        }
    }
    schemas.insert(patch_name, schema);
    for target in nested {
        merge_patch_schema(schemas, &target);
    }
}

fn has_required(schema: Option<&Value>) -> bool {
    schema
        .and_then(|s| s.get("required"))
        .and_then(Value::as_array)
        .is_some_and(|r| !r.is_empty())
}

/// The `$ref`s of a property that is an object in itself (`$ref`, or `oneOf` of a `$ref`
/// and `null`); arrays are replaced whole by a merge patch, so their items stay as they are.
fn references_mut(property: &mut Value) -> Vec<&mut Value> {
    let mut found = Vec::new();
    let Some(object) = property.as_object_mut() else {
        return found;
    };
    if object.contains_key("$ref") {
        if let Some(r) = object.get_mut("$ref") {
            found.push(r);
        }
        return found;
    }
    if let Some(options) = object.get_mut("oneOf").and_then(Value::as_array_mut) {
        for option in options {
            if let Some(r) = option.get_mut("$ref") {
                found.push(r);
            }
        }
    }
    found
}

/// An object schema with no declared members is a free-form record: say so, so generated
/// clients type it as a map of values instead of an empty object.
fn free_form_objects(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            let is_object = match object.get("type") {
                Some(Value::String(t)) => t == "object",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "object"),
                _ => false,
            };
            if is_object
                && !object.contains_key("properties")
                && !object.contains_key("additionalProperties")
            {
                object.insert("additionalProperties".into(), json!({}));
            }
            for value in object.values_mut() {
                free_form_objects(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(free_form_objects),
        _ => {}
    }
}
