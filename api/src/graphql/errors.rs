//! GraphQL errors: every error carries a stable snake_case `extensions.code` (the REST codes
//! for service errors, plus the codes below for the GraphQL machinery), and validation
//! errors name the GraphQL argument paths (`input.items[0].unitPrice`, `first`).
//!
//! | code | when |
//! |---|---|
//! | `graphql_parse_failed` | the document is not valid GraphQL syntax |
//! | `graphql_validation_failed` | unknown field or argument, wrong type, unknown fragment, … |
//! | `bad_user_input` | a variable or argument value does not fit its type |
//! | `query_too_deep` / `query_too_complex` | the operation exceeds the depth / complexity limit |
//! | `introspection_disabled` | `__schema` / `__type` where the server does not allow it |
//! | `unauthenticated` | no token, or a bad or expired one (both answer 200 with this code) |
//! | any REST code | `validation_failed`, `not_found`, `insufficient_scope`, `conflict`, … |
//! | `internal_error` | anything else (the cause is logged, never returned) |

use async_graphql::{ErrorExtensionValues, ErrorExtensions, ServerError};

use crate::error::{ApiError, FieldError};

/// The REST `limit` query parameter is the GraphQL `first` argument.
const TOP_LEVEL_ARGUMENTS: [(&str, &str); 3] =
    [("limit", "first"), ("after", "after"), ("sort", "sort")];

/// An API error as a GraphQL error with the same stable `code` (and HTTP-like `status`) in
/// `extensions`, and field errors when validation failed (named as in REST: use this for
/// errors about top-level arguments, [`gql_in`] for an input object argument).
pub fn gql(err: ApiError) -> async_graphql::Error {
    to_graphql(err, Naming::Arguments)
}

/// Like [`gql`], for a field that takes an input object argument `arg` (`input`, `filter`):
/// field errors name its members, `input.items[0].unitPrice`.
pub fn gql_in(arg: &'static str) -> impl Fn(ApiError) -> async_graphql::Error {
    move |err| to_graphql(err, Naming::Object(arg))
}

/// For a mutation taking a JSON merge patch `patch` (REST-shaped, snake_case keys): field
/// errors name `patch.<key as sent>`.
pub fn gql_patch(err: ApiError) -> async_graphql::Error {
    to_graphql(err, Naming::Patch)
}

#[derive(Clone, Copy)]
enum Naming {
    Arguments,
    Object(&'static str),
    Patch,
}

fn to_graphql(mut err: ApiError, naming: Naming) -> async_graphql::Error {
    if !err.errors.is_empty() {
        for f in &mut err.errors {
            f.field = graphql_path(&f.field, naming);
        }
        if err.code == "validation_failed" {
            err.detail = ApiError::validation(err.errors.clone()).detail;
        }
    }
    async_graphql::Error::new(err.detail.clone()).extend_with(|_, ext| {
        ext.set("code", err.code);
        ext.set("status", err.status.as_u16());
        if !err.errors.is_empty() {
            ext.set("errors", field_errors(&err.errors));
        }
    })
}

fn field_errors(errors: &[FieldError]) -> async_graphql::Value {
    async_graphql::Value::List(
        errors
            .iter()
            .map(|f| {
                let mut map = async_graphql::indexmap::IndexMap::new();
                map.insert(
                    async_graphql::Name::new("field"),
                    async_graphql::Value::from(f.field.clone()),
                );
                map.insert(
                    async_graphql::Name::new("message"),
                    async_graphql::Value::from(f.message.clone()),
                );
                async_graphql::Value::Object(map)
            })
            .collect(),
    )
}

/// A REST field path (`items[0].unit_price`, `limit`) as the GraphQL path of the same value.
fn graphql_path(rest: &str, naming: Naming) -> String {
    let head = rest.split(['.', '[']).next().unwrap_or(rest);
    if let Some((_, arg)) = TOP_LEVEL_ARGUMENTS.iter().find(|(r, _)| *r == head) {
        return format!("{arg}{}", &rest[head.len()..]);
    }
    match naming {
        Naming::Arguments => camel_path(rest),
        Naming::Object(arg) => format!("{arg}.{}", camel_path(rest)),
        Naming::Patch => format!("patch.{rest}"),
    }
}

/// `items[0].unit_price` -> `items[0].unitPrice`: each name the way the schema spells it.
fn camel_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut upper = false;
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => in_index = true,
            ']' => in_index = false,
            _ => {}
        }
        if c == '_' && !in_index && !out.is_empty() && !out.ends_with('.') {
            upper = true;
            continue;
        }
        if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A document that does not parse: `graphql_parse_failed`.
pub fn parse_failed(e: ServerError) -> ServerError {
    with_code(e, "graphql_parse_failed")
}

/// Validation errors, each with its code.
pub fn validation_failed(errors: Vec<ServerError>) -> Vec<ServerError> {
    errors
        .into_iter()
        .map(|e| {
            let code = validation_code(&e.message);
            with_code(e, code)
        })
        .collect()
}

fn validation_code(message: &str) -> &'static str {
    if message.starts_with("Query is nested too deep") {
        "query_too_deep"
    } else if message.starts_with("Query is too complex") {
        "query_too_complex"
    } else if message.starts_with("Invalid value for argument")
        || message.starts_with("Variable ")
        // A value (a variable's, as the list weights read `first`) that does not fit its type.
        || message.starts_with("Expected input type")
    {
        "bad_user_input"
    } else if message.contains("\"__schema\"") || message.contains("\"__type\"") {
        "introspection_disabled"
    } else {
        "graphql_validation_failed"
    }
}

/// Sets `extensions.code` unless the error already has one.
pub fn with_code(mut e: ServerError, code: &'static str) -> ServerError {
    let ext = e
        .extensions
        .get_or_insert_with(ErrorExtensionValues::default);
    if ext.get("code").is_none() {
        ext.set("code", code);
    }
    e
}

/// The code of an execution error that carries none: a value the schema could not coerce
/// (`Failed to parse "Long"`) is the caller's; anything else is ours.
pub fn execution_code(message: &str) -> &'static str {
    if message.starts_with("Failed to parse")
        || message.starts_with("Invalid value for argument")
        || message.starts_with("Variable ")
    {
        "bad_user_input"
    } else {
        "internal_error"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_paths_become_graphql_paths() {
        assert_eq!(
            graphql_path("items[0].unit_price", Naming::Object("input")),
            "input.items[0].unitPrice"
        );
        assert_eq!(
            graphql_path("orders[12].account_id", Naming::Object("input")),
            "input.orders[12].accountId"
        );
        assert_eq!(graphql_path("limit", Naming::Object("filter")), "first");
        assert_eq!(graphql_path("limit", Naming::Arguments), "first");
        assert_eq!(
            graphql_path("created_after", Naming::Object("filter")),
            "filter.createdAfter"
        );
        assert_eq!(
            graphql_path("lifecycle_stage", Naming::Patch),
            "patch.lifecycle_stage"
        );
        assert_eq!(graphql_path("emails[0]", Naming::Arguments), "emails[0]");
    }
}
