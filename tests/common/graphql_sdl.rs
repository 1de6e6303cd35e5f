//! Compares a schema from introspection with an SDL document: same types, same fields with
//! the same argument and return types, same enum values, input fields and union members.

use std::collections::BTreeMap;

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
use serde_json::Value;

const BUILT_IN: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];

/// type name -> sorted member descriptions.
pub type Shape = BTreeMap<String, Vec<String>>;

pub fn from_sdl(sdl: &str) -> Shape {
    let doc = parse_schema(sdl).expect("schema.graphql parses");
    let mut shape = Shape::new();
    for def in doc.definitions {
        let TypeSystemDefinition::Type(ty) = def else {
            continue;
        };
        let ty = ty.node;
        let name = ty.name.node.to_string();
        let members = match ty.kind {
            TypeKind::Scalar => vec!["SCALAR".to_owned()],
            TypeKind::Object(o) => fields(o.fields.into_iter().map(|f| f.node)),
            TypeKind::Interface(i) => fields(i.fields.into_iter().map(|f| f.node)),
            TypeKind::Union(u) => u.members.iter().map(|m| format!("| {}", m.node)).collect(),
            TypeKind::Enum(e) => e
                .values
                .iter()
                .map(|v| v.node.value.node.to_string())
                .collect(),
            TypeKind::InputObject(i) => i
                .fields
                .iter()
                .map(|f| format!("{}: {}", f.node.name.node, f.node.ty.node))
                .collect(),
        };
        shape.insert(name, sorted(members));
    }
    shape
}

fn fields(
    defs: impl Iterator<Item = async_graphql::parser::types::FieldDefinition>,
) -> Vec<String> {
    defs.map(|f| {
        let args: Vec<String> = f
            .arguments
            .iter()
            .map(|a| format!("{}: {}", a.node.name.node, a.node.ty.node))
            .collect();
        format!("{}({}): {}", f.name.node, args.join(", "), f.ty.node)
    })
    .collect()
}

pub fn from_introspection(data: &Value) -> Shape {
    let mut shape = Shape::new();
    for ty in data["__schema"]["types"].as_array().expect("types") {
        let name = ty["name"].as_str().unwrap_or_default().to_owned();
        if name.starts_with("__") || BUILT_IN.contains(&name.as_str()) {
            continue;
        }
        let members: Vec<String> = match ty["kind"].as_str().unwrap_or_default() {
            "SCALAR" => vec!["SCALAR".to_owned()],
            "OBJECT" | "INTERFACE" => list(&ty["fields"])
                .iter()
                .map(|f| {
                    let args: Vec<String> = list(&f["args"])
                        .iter()
                        .map(|a| format!("{}: {}", str_of(&a["name"]), type_ref(&a["type"])))
                        .collect();
                    format!(
                        "{}({}): {}",
                        str_of(&f["name"]),
                        args.join(", "),
                        type_ref(&f["type"])
                    )
                })
                .collect(),
            "UNION" => list(&ty["possibleTypes"])
                .iter()
                .map(|t| format!("| {}", str_of(&t["name"])))
                .collect(),
            "ENUM" => list(&ty["enumValues"])
                .iter()
                .map(|v| str_of(&v["name"]))
                .collect(),
            "INPUT_OBJECT" => list(&ty["inputFields"])
                .iter()
                .map(|f| format!("{}: {}", str_of(&f["name"]), type_ref(&f["type"])))
                .collect(),
            other => panic!("unexpected kind {other}"),
        };
        shape.insert(name, sorted(members));
    }
    shape
}

fn list(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

fn str_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn type_ref(t: &Value) -> String {
    match t["kind"].as_str() {
        Some("NON_NULL") => format!("{}!", type_ref(&t["ofType"])),
        Some("LIST") => format!("[{}]", type_ref(&t["ofType"])),
        _ => str_of(&t["name"]),
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// The query that fetches what `from_introspection` reads (deprecated members included).
pub const INTROSPECTION: &str = r#"{ __schema { types { kind name
  fields(includeDeprecated: true) { name args { name type { ...T } } type { ...T } }
  inputFields { name type { ...T } }
  enumValues(includeDeprecated: true) { name }
  possibleTypes { name } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }"#;
