use serde_json::json;

use super::*;

fn issues(rule: serde_json::Value) -> Vec<(String, String)> {
    Rule::parse(&rule, "rule")
        .expect_err("the rule is invalid")
        .into_iter()
        .map(|i| (i.path, i.message))
        .collect()
}

fn paths(rule: serde_json::Value) -> Vec<String> {
    issues(rule).into_iter().map(|(p, _)| p).collect()
}

#[test]
fn a_valid_rule_reads_back_to_its_canonical_form() {
    let rule = json!({"all": [
        {"field": "revenue", "op": ">=", "value": 50000},
        {"field": "churn_probability", "op": "between", "value": [0.5, 1]},
        {"field": "consent.email", "op": "=", "value": "granted"},
        {"not": {"field": "tags", "op": "contains", "value": "VIP"}},
        {"any": [
            {"field": "interactions", "type": "ticket", "within_last_days": 30, "op": ">=", "value": 1},
            {"field": "orders", "category": "shoes", "op": "exists"},
            {"field": "attributes.plan", "op": "in", "value": ["gold", "silver"]},
            {"field": "last_order_at", "op": "within_last_days", "value": 90}
        ]}
    ]});
    let parsed = Rule::parse(&rule, "rule").expect("valid");
    assert_eq!(parsed.conditions().len(), 8);
    let again = Rule::parse(&parsed.to_json(), "rule").expect("canonical form is valid");
    assert_eq!(parsed, again);
    // Tags are compared in their stored (lower-case) form.
    assert!(parsed.to_json().to_string().contains("\"vip\""));
}

#[test]
fn an_unknown_field_is_named_by_its_path() {
    assert_eq!(
        paths(
            json!({"all": [{"field": "revenue", "op": ">", "value": 1}, {"field": "shoe_size", "op": "=", "value": 3}]})
        ),
        vec!["rule.all[1].field"]
    );
    assert_eq!(
        paths(json!({"field": "consent.fax", "op": "exists"})),
        vec!["rule.field"]
    );
    assert_eq!(
        paths(json!({"field": "revenue", "op": ">", "value": 1, "extra": true})),
        vec!["rule.extra"]
    );
}

#[test]
fn a_value_of_the_wrong_type_for_the_operator_is_refused() {
    assert_eq!(
        paths(json!({"any": [{"field": "revenue", "op": ">", "value": "lots"}]})),
        vec!["rule.any[0].value"]
    );
    assert_eq!(
        paths(json!({"field": "revenue", "op": "between", "value": [5, "x"]})),
        vec!["rule.value[1]"]
    );
    assert_eq!(
        paths(json!({"field": "revenue", "op": "between", "value": [5, 1]})),
        vec!["rule.value"]
    );
    assert_eq!(
        paths(json!({"field": "churn_probability", "op": ">", "value": 1.5})),
        vec!["rule.value"]
    );
    assert_eq!(
        paths(json!({"field": "kind", "op": "<", "value": "person"})),
        vec!["rule.op"]
    );
    assert_eq!(
        paths(json!({"field": "kind", "op": "=", "value": "robot"})),
        vec!["rule.value"]
    );
    assert_eq!(
        paths(json!({"field": "created_at", "op": "within_last_days", "value": -1})),
        vec!["rule.value"]
    );
    assert_eq!(
        paths(json!({"field": "tags", "op": "exists", "value": 1})),
        vec!["rule.value"]
    );
    assert_eq!(
        paths(json!({"field": "attributes.vip", "op": ">", "value": true})),
        vec!["rule.op"]
    );
    assert_eq!(
        paths(json!({"field": "revenue", "op": "like", "value": 1})),
        vec!["rule.op"]
    );
}

#[test]
fn nesting_deeper_than_eight_groups_is_refused() {
    let mut rule = json!({"field": "revenue", "op": ">", "value": 0});
    for _ in 0..MAX_DEPTH {
        rule = json!({"all": [rule]});
    }
    assert!(Rule::parse(&rule, "rule").is_ok());
    let deeper = json!({"not": rule});
    let found = paths(deeper);
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("rule.not.all[0]"), "{found:?}");
    assert!(issues(json!({"not": {"all": [{"all": [{"all": [{"all": [{"all": [{"all": [{"all": [{"all": [{"field": "kind", "op": "exists"}]}]}]}]}]}]}]}]}}))[0].1.contains("8"));
}

#[test]
fn groups_and_conditions_are_checked_everywhere() {
    assert_eq!(paths(json!({"all": []})), vec!["rule.all"]);
    assert_eq!(paths(json!({"all": [1]})), vec!["rule.all[0]"]);
    assert_eq!(paths(json!({"all": [], "any": []})), vec!["rule.any"]);
    assert_eq!(
        paths(json!({"all": [{"field": "x", "op": "="}, {"field": "revenue"}]})),
        vec!["rule.all[0].field", "rule.all[1].op"]
    );
    assert_eq!(
        paths(json!({"field": "interactions", "type": "fax", "op": "exists"})),
        vec!["rule.type"]
    );
    assert_eq!(
        paths(json!({"field": "revenue", "category": "x", "op": "exists"})),
        vec!["rule.category"]
    );
}

#[test]
fn an_absent_value_fails_all_but_not_equal_and_zero_counts_compare_as_zero() {
    let lt = Test::Lt(Scalar::Int(1));
    assert!(!lt.holds(None));
    assert!(lt.holds(Some(&Scalar::Int(0))));
    assert!(Test::Ne(Scalar::Text("a".into())).holds(None));
    assert!(!Test::Exists.holds(Some(&Scalar::Int(0))));
    assert!(Test::Between(Scalar::Int(0), Scalar::Int(5)).holds(Some(&Scalar::Int(0))));
    assert!(Test::In(vec![Scalar::Int(3), Scalar::Int(0)]).holds(Some(&Scalar::Int(0))));
    assert!(!Test::Gt(Scalar::Float(0.5)).holds(Some(&Scalar::Int(0))));
}
