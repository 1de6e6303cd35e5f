//! The GraphQL door's text check: every string a document carries (arguments written in it,
//! variables sent with it) must be text without control characters other than tab and line
//! breaks, as JSON bodies already are. Called by the door's one extension
//! ([`super::limits`]) once the document is parsed, before any resolver runs; the error names
//! the argument (`filter.q`, `after`) or the variable (`$filter.q`).

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Positioned, ServerResult, Variables};

use crate::error::{ApiError, FieldError};
use crate::graphql::gql;

/// The text check over a parsed document and the variables sent with it: `Err` names the
/// first argument or variable holding a control character.
pub fn check(document: &ExecutableDocument, variables: &Variables) -> ServerResult<()> {
    let mut bad = None;
    for (name, value) in variables.iter() {
        argument(
            &format!("${name}"),
            value,
            async_graphql::Pos::default(),
            &mut bad,
        );
    }
    for (_, operation) in document.operations.iter() {
        selection_set(&operation.node.selection_set, &mut bad);
    }
    for fragment in document.fragments.values() {
        selection_set(&fragment.node.selection_set, &mut bad);
    }
    match bad {
        None => Ok(()),
        Some((field, pos)) => {
            let mut err = ApiError::validation(vec![FieldError {
                field,
                message: "must be text without control characters (such as NUL)".into(),
            }])
            .with_code("invalid_text");
            err.status = actix_web::http::StatusCode::BAD_REQUEST;
            Err(gql(err).into_server_error(pos))
        }
    }
}

type Found = Option<(String, async_graphql::Pos)>;

fn not_text(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

fn selection_set(set: &Positioned<SelectionSet>, bad: &mut Found) {
    for item in &set.node.items {
        if bad.is_some() {
            return;
        }
        match &item.node {
            Selection::Field(field) => {
                for (name, value) in &field.node.arguments {
                    argument(name.node.as_str(), &value.node, value.pos, bad);
                }
                selection_set(&field.node.selection_set, bad);
            }
            Selection::InlineFragment(fragment) => selection_set(&fragment.node.selection_set, bad),
            Selection::FragmentSpread(_) => {}
        }
    }
}

/// Walks a value (written in the document, or a variable's) as JSON: an argument written
/// with a `$variable` in it shows the variable's name, checked with the variables.
fn argument(path: &str, value: &impl serde::Serialize, pos: async_graphql::Pos, bad: &mut Found) {
    if bad.is_some() {
        return;
    }
    if let Ok(json) = serde_json::to_value(value) {
        json_value(path, &json, pos, bad);
    }
}

fn json_value(path: &str, value: &serde_json::Value, pos: async_graphql::Pos, bad: &mut Found) {
    if bad.is_some() {
        return;
    }
    match value {
        serde_json::Value::String(s) if not_text(s) => *bad = Some((path.to_owned(), pos)),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                json_value(&format!("{path}[{i}]"), item, pos, bad);
            }
        }
        serde_json::Value::Object(fields) => {
            for (name, item) in fields {
                json_value(&format!("{path}.{name}"), item, pos, bad);
            }
        }
        _ => {}
    }
}
