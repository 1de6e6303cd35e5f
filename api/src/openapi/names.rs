//! Schemas of closed sets of names, built from the lists the server parses with, for
//! `#[schema(schema_with = …)]` and `#[param(schema_with = …)]`: the document cannot
//! drift from what is accepted.

use rapport_domain::access::{Role, Scope};
use rapport_domain::crm::{AccountKind, Channel, Direction, InteractionType, LifecycleStage};
use rapport_domain::deals::StageKind;
use utoipa::openapi::schema::SchemaType;
use utoipa::openapi::{ArrayBuilder, Object, ObjectBuilder, Type};

fn one_of(names: impl IntoIterator<Item = &'static str>, nullable: bool) -> Object {
    let mut values: Vec<serde_json::Value> = names.into_iter().map(Into::into).collect();
    let kind = if nullable {
        values.push(serde_json::Value::Null);
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::new(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(kind)
        .enum_values(Some(values))
        .build()
}

pub fn account_kind() -> Object {
    one_of(AccountKind::ALL.iter().map(|v| v.as_str()), false)
}
pub fn account_kind_or_null() -> Object {
    one_of(AccountKind::ALL.iter().map(|v| v.as_str()), true)
}
pub fn lifecycle_stage() -> Object {
    one_of(LifecycleStage::ALL.iter().map(|v| v.as_str()), false)
}
pub fn lifecycle_stage_or_null() -> Object {
    one_of(LifecycleStage::ALL.iter().map(|v| v.as_str()), true)
}
pub fn interaction_type() -> Object {
    one_of(InteractionType::ALL.iter().map(|v| v.as_str()), false)
}
pub fn channel() -> Object {
    one_of(Channel::ALL.iter().map(|v| v.as_str()), false)
}
pub fn channel_or_null() -> Object {
    one_of(Channel::ALL.iter().map(|v| v.as_str()), true)
}
pub fn direction_or_null() -> Object {
    one_of(Direction::ALL.iter().map(|v| v.as_str()), true)
}
pub fn stage_kind() -> Object {
    one_of(StageKind::ALL.iter().map(|v| v.as_str()), false)
}
pub fn stage_kind_or_null() -> Object {
    one_of(StageKind::ALL.iter().map(|v| v.as_str()), true)
}
pub fn order_status() -> Object {
    one_of(rapport_domain::value::ORDER_STATUSES, false)
}
pub fn rfm_segment() -> Object {
    one_of(
        rapport_domain::rfm::Segment::ALL.iter().map(|v| v.as_str()),
        false,
    )
}
pub fn risk_band() -> Object {
    one_of(rapport_domain::value::RISK_BANDS, false)
}
pub fn role() -> Object {
    one_of(Role::ALL.iter().map(|v| v.as_str()), false)
}
pub fn role_or_null() -> Object {
    one_of(Role::ALL.iter().map(|v| v.as_str()), true)
}
pub fn scopes() -> utoipa::openapi::Array {
    ArrayBuilder::new()
        .items(one_of(Scope::ALL.iter().map(|v| v.as_str()), false))
        .build()
}

// Feedback and complaints (issue #23).
pub fn touchpoint() -> Object {
    one_of(rapport_domain::feedback::TOUCHPOINTS.iter().copied(), false)
}
pub fn nps_category() -> Object {
    one_of(
        rapport_domain::feedback::NPS_CATEGORIES.iter().copied(),
        false,
    )
}
pub fn complaint_severity() -> Object {
    one_of(rapport_domain::feedback::SEVERITIES.iter().copied(), false)
}
pub fn complaint_status() -> Object {
    one_of(rapport_domain::feedback::STATUSES.iter().copied(), false)
}
