//! Parsed GraphQL documents: a cache keyed by the query text (clients send the same few
//! documents over and over; parsing is a large share of a small query's cost), and the
//! walks the HTTP handler makes over the operation (response key order, introspection).

use std::sync::Arc;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::parser::{parse_query, Positioned};
use async_graphql::{indexmap::IndexMap, Name, Value};

/// Documents longer than this are parsed every time and never cached.
const MAX_CACHED_QUERY_BYTES: usize = 16 * 1024;
/// Distinct documents kept (least recently used go first).
const MAX_CACHED_DOCUMENTS: u64 = 1_000;

/// Parsed documents by query text, shared by every request of the node.
#[derive(Clone)]
pub struct DocumentCache {
    parsed: moka::sync::Cache<String, Arc<ExecutableDocument>>,
}

impl Default for DocumentCache {
    fn default() -> Self {
        Self {
            parsed: moka::sync::Cache::new(MAX_CACHED_DOCUMENTS),
        }
    }
}

impl DocumentCache {
    /// The parsed document, from the cache or parsed now; `None` when it does not parse
    /// (the executor then reports the syntax error with its position).
    pub fn get(&self, query: &str) -> Option<Arc<ExecutableDocument>> {
        if let Some(doc) = self.parsed.get(query) {
            return Some(doc);
        }
        let doc = Arc::new(parse_query(query).ok()?);
        if query.len() <= MAX_CACHED_QUERY_BYTES {
            self.parsed.insert(query.to_owned(), doc.clone());
        }
        Some(doc)
    }
}

/// The operation a request runs: the only one, or the one named.
pub fn operation<'a>(
    doc: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a OperationDefinition> {
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(&op.node),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| &op.node),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| &op.node)
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// Whether the operation asks for `__schema` or `__type` at its root.
pub fn uses_introspection(doc: &ExecutableDocument, op: &OperationDefinition) -> bool {
    let mut found = false;
    each_field(doc, &op.selection_set.node, 0, &mut |name, _, _| {
        found |= name == "__schema" || name == "__type";
    });
    found
}

/// Puts the keys of every object in `data` in the order the operation selected them (the
/// executor resolves sibling fields concurrently and collects them as they finish).
pub fn reorder(doc: &ExecutableDocument, op: &OperationDefinition, data: &mut Value) {
    reorder_value(doc, &[&op.selection_set.node], data, 0);
}

/// Deeper documents are refused by the depth limit long before this.
const MAX_WALK_DEPTH: usize = 64;

fn reorder_value(
    doc: &ExecutableDocument,
    sets: &[&SelectionSet],
    value: &mut Value,
    depth: usize,
) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    match value {
        Value::List(items) => {
            for item in items {
                reorder_value(doc, sets, item, depth + 1);
            }
        }
        Value::Object(map) => {
            // Response keys in selection order, each with the sub-selections merged under it.
            let mut keys: IndexMap<Name, Vec<&SelectionSet>> = IndexMap::new();
            for set in sets {
                each_field(doc, set, 0, &mut |_, key, sub| {
                    keys.entry(key.clone()).or_default().push(sub);
                });
            }
            if map.keys().eq(keys.keys()) {
                // Already in order (often): only the children may need it.
                for ((_, subs), value) in keys.iter().zip(map.values_mut()) {
                    reorder_value(doc, subs, value, depth + 1);
                }
                return;
            }
            let mut old = std::mem::take(map);
            for (key, subs) in &keys {
                if let Some(mut v) = old.shift_remove(key) {
                    reorder_value(doc, subs, &mut v, depth + 1);
                    map.insert(key.clone(), v);
                }
            }
            map.extend(old);
        }
        _ => {}
    }
}

/// Calls `f(field name, response key, sub-selection)` for each field of a selection set,
/// in document order, looking through fragment spreads and inline fragments.
fn each_field<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    depth: usize,
    f: &mut impl FnMut(&'a str, &'a Name, &'a SelectionSet),
) {
    if depth > MAX_WALK_DEPTH {
        return;
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(Positioned { node: field, .. }) => {
                let key = field.alias.as_ref().map_or(&field.name.node, |a| &a.node);
                f(field.name.node.as_str(), key, &field.selection_set.node);
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = doc.fragments.get(&spread.node.fragment_name.node) {
                    each_field(doc, &fragment.node.selection_set.node, depth + 1, f);
                }
            }
            Selection::InlineFragment(inline) => {
                each_field(doc, &inline.node.selection_set.node, depth + 1, f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_selection_through_fragments_and_lists() {
        let doc =
            parse_query("query Q { b a: x { ...F } c } fragment F on T { z ... on T { y } w }")
                .ok();
        let Some(doc) = doc else { panic!("parses") };
        let op = operation(&doc, Some("Q")).cloned();
        let Some(op) = op else {
            panic!("one operation")
        };
        let mut data = Value::from_json(serde_json::json!({
            "c": 1,
            "a": [{"w": 1, "y": 2, "z": 3}],
            "b": 2
        }))
        .unwrap_or(Value::Null);
        reorder(&doc, &op, &mut data);
        assert_eq!(
            serde_json::to_string(&data).ok(),
            Some(r#"{"b":2,"a":[{"z":3,"y":2,"w":1}],"c":1}"#.to_owned())
        );
        assert!(!uses_introspection(&doc, &op));
    }
}
