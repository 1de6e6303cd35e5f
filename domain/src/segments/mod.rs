//! Segment rules: a tree of `all` / `any` / `not` over named customer fields, parsed and
//! validated from JSON (every issue named by its JSON path in the rule), with no SQL.
//!
//! A condition is `{"field": F, "op": OP, "value": V}` plus, for the counted fields
//! (`interactions`, `orders`, `open_deals`), the filters of what is counted:
//!
//! ```json
//! {"all": [
//!   {"field": "revenue", "op": ">=", "value": 50000},
//!   {"field": "churn_probability", "op": ">", "value": 0.5},
//!   {"field": "consent.email", "op": "=", "value": "granted"},
//!   {"not": {"field": "tags", "op": "contains", "value": "vip"}},
//!   {"field": "interactions", "type": "ticket", "within_last_days": 30, "op": ">=", "value": 1}
//! ]}
//! ```
//!
//! What an absent value means: counts and sums (`orders_count`, `revenue`, `margin`,
//! `interactions`, `orders`, `open_deals`, `loyalty_points`) are 0 for a customer without
//! them; every other absent value (no order yet: no `last_order_at`, no score, no
//! prediction, an attribute not set) fails every comparison but `!=` and `exists` is false.

mod fields;

use chrono::{DateTime, NaiveDateTime};
use serde_json::{json, Map, Value};

pub use fields::{Field, Metric, ValueType, FIELD_NAMES};

/// Deepest nesting of groups (`all`, `any`, `not`) in a rule.
pub const MAX_DEPTH: usize = 8;
/// Most conditions a rule may hold.
pub const MAX_CONDITIONS: usize = 100;
/// Most values an `in` list may hold.
pub const MAX_IN_VALUES: usize = 500;
/// Longest window of `within_last_days`, in days (100 years).
pub const MAX_DAYS: i64 = 36_500;

/// A rule tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    All(Vec<Rule>),
    Any(Vec<Rule>),
    Not(Box<Rule>),
    Condition(Condition),
}

/// A test of one field of a customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub field: Field,
    pub test: Test,
}

/// What a condition checks, with its operands typed for its field.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Eq(Scalar),
    Ne(Scalar),
    Lt(Scalar),
    Le(Scalar),
    Gt(Scalar),
    Ge(Scalar),
    /// Both ends included.
    Between(Scalar, Scalar),
    In(Vec<Scalar>),
    /// A tag the customer has, or text an attribute holds.
    Contains(String),
    Exists,
    /// A time within the last N days (N >= 0).
    WithinLastDays(i64),
}

/// One operand.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    Time(NaiveDateTime),
}

/// A problem in a rule, at its JSON path (`rule.all[2].value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleIssue {
    pub path: String,
    pub message: String,
}

/// The operators, as written in rules.
pub const OPERATORS: &[&str] = &[
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "between",
    "in",
    "contains",
    "exists",
    "within_last_days",
];

impl Rule {
    /// Reads and checks a rule; `root` names it in issue paths (`rule`).
    pub fn parse(value: &Value, root: &str) -> Result<Rule, Vec<RuleIssue>> {
        let mut parser = Parser {
            issues: Vec::new(),
            conditions: 0,
        };
        let rule = parser.node(value, root, 0);
        if parser.conditions > MAX_CONDITIONS {
            parser.issue(root, format!("at most {MAX_CONDITIONS} conditions"));
        }
        match rule {
            Some(rule) if parser.issues.is_empty() => Ok(rule),
            _ => Err(parser.issues),
        }
    }

    /// The rule's canonical JSON form (what `parse` reads back to the same rule).
    pub fn to_json(&self) -> Value {
        match self {
            Rule::All(rules) => {
                json!({ "all": rules.iter().map(Rule::to_json).collect::<Vec<_>>() })
            }
            Rule::Any(rules) => {
                json!({ "any": rules.iter().map(Rule::to_json).collect::<Vec<_>>() })
            }
            Rule::Not(rule) => json!({ "not": rule.to_json() }),
            Rule::Condition(c) => c.to_json(),
        }
    }

    /// Every condition of the tree.
    pub fn conditions(&self) -> Vec<&Condition> {
        match self {
            Rule::All(rules) | Rule::Any(rules) => {
                rules.iter().flat_map(Rule::conditions).collect()
            }
            Rule::Not(rule) => rule.conditions(),
            Rule::Condition(c) => vec![c],
        }
    }
}

impl Condition {
    fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("field".into(), json!(self.field.name()));
        self.field.write_filters(&mut out);
        let (op, value) = match &self.test {
            Test::Eq(v) => ("=", Some(v.to_json())),
            Test::Ne(v) => ("!=", Some(v.to_json())),
            Test::Lt(v) => ("<", Some(v.to_json())),
            Test::Le(v) => ("<=", Some(v.to_json())),
            Test::Gt(v) => (">", Some(v.to_json())),
            Test::Ge(v) => (">=", Some(v.to_json())),
            Test::Between(a, b) => ("between", Some(json!([a.to_json(), b.to_json()]))),
            Test::In(vs) => (
                "in",
                Some(Value::Array(vs.iter().map(Scalar::to_json).collect())),
            ),
            Test::Contains(s) => ("contains", Some(json!(s))),
            Test::Exists => ("exists", None),
            Test::WithinLastDays(n) => ("within_last_days", Some(json!(n))),
        };
        out.insert("op".into(), json!(op));
        if let Some(v) = value {
            out.insert("value".into(), v);
        }
        Value::Object(out)
    }
}

impl Test {
    /// Whether the test holds for a customer whose value is `value` (`None`: absent). The
    /// database evaluates the same test; this tells it what an absent row means.
    pub fn holds(&self, value: Option<&Scalar>) -> bool {
        use std::cmp::Ordering::*;
        let Some(v) = value else {
            return matches!(self, Test::Ne(_));
        };
        let cmp = |other: &Scalar| compare(v, other);
        match self {
            Test::Eq(x) => cmp(x) == Some(Equal),
            Test::Ne(x) => cmp(x) != Some(Equal),
            Test::Lt(x) => cmp(x) == Some(Less),
            Test::Le(x) => matches!(cmp(x), Some(Less | Equal)),
            Test::Gt(x) => cmp(x) == Some(Greater),
            Test::Ge(x) => matches!(cmp(x), Some(Greater | Equal)),
            Test::Between(a, b) => {
                matches!(cmp(a), Some(Greater | Equal)) && matches!(cmp(b), Some(Less | Equal))
            }
            Test::In(xs) => xs.iter().any(|x| cmp(x) == Some(Equal)),
            Test::Contains(s) => matches!(v, Scalar::Text(t) if t.contains(s.as_str())),
            Test::Exists => match v {
                Scalar::Int(n) => *n != 0,
                Scalar::Float(f) => *f != 0.0,
                _ => true,
            },
            Test::WithinLastDays(_) => false,
        }
    }
}

impl Scalar {
    fn to_json(&self) -> Value {
        match self {
            Scalar::Int(v) => json!(v),
            Scalar::Float(v) => json!(v),
            Scalar::Text(v) => json!(v),
            Scalar::Bool(v) => json!(v),
            Scalar::Time(t) => json!(t
                .and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)),
        }
    }

    /// The operand as a number (ints widen), for numeric fields.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Scalar::Int(v) => Some(*v as f64),
            Scalar::Float(v) => Some(*v),
            _ => None,
        }
    }
}

struct Parser {
    issues: Vec<RuleIssue>,
    conditions: usize,
}

const GROUP_KEYS: [&str; 3] = ["all", "any", "not"];

impl Parser {
    fn issue(&mut self, path: &str, message: impl Into<String>) {
        self.issues.push(RuleIssue {
            path: path.to_owned(),
            message: message.into(),
        });
    }

    fn node(&mut self, value: &Value, path: &str, depth: usize) -> Option<Rule> {
        let Some(object) = value.as_object() else {
            self.issue(
                path,
                "must be an object: {\"all\": [...]}, {\"any\": [...]}, {\"not\": {...}} or a condition {\"field\", \"op\", \"value\"}",
            );
            return None;
        };
        let group: Vec<&str> = GROUP_KEYS
            .iter()
            .copied()
            .filter(|k| object.contains_key(*k))
            .collect();
        if group.is_empty() {
            self.conditions += 1;
            return self.condition(object, path).map(Rule::Condition);
        }
        if object.len() != 1 {
            let extra = object
                .keys()
                .find(|k| k.as_str() != group[0])
                .cloned()
                .unwrap_or_default();
            self.issue(
                &format!("{path}.{extra}"),
                format!("a group holds only its {:?} member", group[0]),
            );
            return None;
        }
        let key = group[0];
        let inner = format!("{path}.{key}");
        if depth + 1 > MAX_DEPTH {
            self.issue(&inner, format!("groups nest at most {MAX_DEPTH} deep"));
            return None;
        }
        let child = &object[key];
        if key == "not" {
            return self
                .node(child, &inner, depth + 1)
                .map(|r| Rule::Not(Box::new(r)));
        }
        let Some(items) = child.as_array() else {
            self.issue(&inner, "must be a list of rules");
            return None;
        };
        if items.is_empty() {
            self.issue(&inner, "must hold at least one rule");
            return None;
        }
        let mut rules = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if let Some(r) = self.node(item, &format!("{inner}[{i}]"), depth + 1) {
                rules.push(r);
            }
        }
        (rules.len() == items.len()).then(|| {
            if key == "all" {
                Rule::All(rules)
            } else {
                Rule::Any(rules)
            }
        })
    }

    fn condition(&mut self, object: &Map<String, Value>, path: &str) -> Option<Condition> {
        let field_path = format!("{path}.field");
        let Some(name) = object.get("field").and_then(Value::as_str) else {
            self.issue(
                &field_path,
                "required: a field name (or use all, any or not)",
            );
            return None;
        };
        let allowed_filters = Field::filters_of(name);
        for key in object.keys() {
            if !matches!(key.as_str(), "field" | "op" | "value")
                && !allowed_filters.contains(&key.as_str())
            {
                self.issue(&format!("{path}.{key}"), "unknown member");
            }
        }
        let field = match Field::parse(name, object, path) {
            Ok(f) => f,
            Err(issues) => {
                self.issues.extend(issues);
                return None;
            }
        };
        let op_path = format!("{path}.op");
        let Some(op) = object.get("op").and_then(Value::as_str) else {
            self.issue(
                &op_path,
                format!("required: one of {}", OPERATORS.join(", ")),
            );
            return None;
        };
        let ty = field.value_type();
        if !OPERATORS.contains(&op) {
            self.issue(
                &op_path,
                format!("unknown operator; one of {}", OPERATORS.join(", ")),
            );
            return None;
        }
        if !ty.operators().contains(&op) {
            self.issue(
                &op_path,
                format!(
                    "{op} does not apply to {}; use {}",
                    field.name(),
                    ty.operators().join(", ")
                ),
            );
            return None;
        }
        let value_path = format!("{path}.value");
        let value = object.get("value");
        if op == "exists" {
            if value.is_some() {
                self.issue(&value_path, "exists takes no value");
                return None;
            }
            return Some(Condition {
                field,
                test: Test::Exists,
            });
        }
        let Some(value) = value else {
            self.issue(&value_path, format!("required for {op}"));
            return None;
        };
        let test = match op {
            "within_last_days" => match value.as_i64() {
                Some(n) if (0..=MAX_DAYS).contains(&n) => Test::WithinLastDays(n),
                _ => {
                    self.issue(
                        &value_path,
                        format!("must be a whole number of days, 0 to {MAX_DAYS}"),
                    );
                    return None;
                }
            },
            "contains" => match value.as_str() {
                Some(s) if !s.is_empty() && s.chars().count() <= 200 => {
                    Test::Contains(ty.normalise_text(s))
                }
                _ => {
                    self.issue(&value_path, "must be text, 1 to 200 characters");
                    return None;
                }
            },
            "between" => {
                let pair = value.as_array().filter(|a| a.len() == 2);
                let Some(pair) = pair else {
                    self.issue(&value_path, "must be a list of two values [low, high]");
                    return None;
                };
                let low = self.scalar(&ty, &pair[0], &format!("{value_path}[0]"));
                let high = self.scalar(&ty, &pair[1], &format!("{value_path}[1]"));
                let (low, high) = (low?, high?);
                if compare(&low, &high).is_none() {
                    self.issue(&value_path, "low and high must be of one type");
                    return None;
                }
                if compare(&low, &high) == Some(std::cmp::Ordering::Greater) {
                    self.issue(&value_path, "low must not be above high");
                    return None;
                }
                Test::Between(low, high)
            }
            "in" => {
                let Some(items) = value
                    .as_array()
                    .filter(|a| !a.is_empty() && a.len() <= MAX_IN_VALUES)
                else {
                    self.issue(
                        &value_path,
                        format!("must be a list of 1 to {MAX_IN_VALUES} values"),
                    );
                    return None;
                };
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(self.scalar(&ty, item, &format!("{value_path}[{i}]")));
                }
                Test::In(out.into_iter().collect::<Option<Vec<_>>>()?)
            }
            _ => {
                let v = self.scalar(&ty, value, &value_path)?;
                if matches!(v, Scalar::Bool(_)) && !matches!(op, "=" | "!=") {
                    self.issue(&op_path, "true and false compare only with = and !=");
                    return None;
                }
                match op {
                    "=" => Test::Eq(v),
                    "!=" => Test::Ne(v),
                    "<" => Test::Lt(v),
                    "<=" => Test::Le(v),
                    ">" => Test::Gt(v),
                    _ => Test::Ge(v),
                }
            }
        };
        Some(Condition { field, test })
    }

    /// One operand, typed for the field.
    fn scalar(&mut self, ty: &ValueType, value: &Value, path: &str) -> Option<Scalar> {
        match ty.scalar(value) {
            Ok(s) => Some(s),
            Err(message) => {
                self.issue(path, message);
                None
            }
        }
    }
}

/// Orders two operands of one type (numbers across int and float).
fn compare(a: &Scalar, b: &Scalar) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Scalar::Text(a), Scalar::Text(b)) => Some(a.cmp(b)),
        (Scalar::Time(a), Scalar::Time(b)) => Some(a.cmp(b)),
        (Scalar::Bool(a), Scalar::Bool(b)) => Some(a.cmp(b)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

/// Reads an RFC 3339 time as stored (UTC, microseconds).
fn parse_time(text: &str) -> Option<NaiveDateTime> {
    let t = DateTime::parse_from_rfc3339(text).ok()?.naive_utc();
    let micros = t.and_utc().timestamp_micros();
    DateTime::from_timestamp_micros(micros).map(|t| t.naive_utc())
}

#[cfg(test)]
mod tests;
