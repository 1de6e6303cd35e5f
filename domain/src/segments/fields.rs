//! The fields a segment rule may test, their value types and the operators each allows.

use serde_json::{json, Map, Value};

use super::{parse_time, RuleIssue, Scalar, MAX_DAYS};
use crate::crm::{
    parse_tag, AccountKind, Channel, ConsentChannel, InteractionType, LifecycleStage,
};
use crate::rfm::Segment;
use crate::value::RISK_BANDS;

/// A value metric of the customer (from orders and the fitted model).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    OrdersCount,
    /// Net revenue, minor units of the reporting currency.
    Revenue,
    /// Revenue of costed orders minus their cost.
    Margin,
    /// Revenue per order (0 orders: no value).
    AverageOrderValue,
    FirstOrderAt,
    LastOrderAt,
    DaysSinceLastOrder,
    RfmR,
    RfmF,
    RfmM,
    ChurnProbability,
    /// 12-month customer lifetime value, minor units.
    Clv,
    ExpectedOrders90d,
    /// What serving the customer cost: interactions and complaints at the workspace's
    /// costs (minor units of the reporting currency).
    CostToServe,
    /// Margin (with the default margin on uncosted orders) minus acquisition cost minus
    /// cost to serve (`rapport_domain::profitability`).
    Profit,
}

/// A field a condition tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Metric(Metric),
    RfmSegment,
    RiskBand,
    /// The tier's name in the workspace's loyalty programme.
    LoyaltyTier,
    /// The loyalty ledger balance (points).
    LoyaltyPoints,
    LifecycleStage,
    Kind,
    Tags,
    OwnerId,
    AcquisitionChannel,
    /// Minor units of the cost's own currency.
    AcquisitionCost,
    CreatedAt,
    /// `attributes.<key>`: a custom attribute, compared by the operand's JSON type.
    Attribute(String),
    /// `consent.<channel>`: `granted` or `withdrawn`.
    Consent(ConsentChannel),
    /// How many interactions (of a type, on a channel, within the last N days).
    Interactions {
        kind: Option<String>,
        channel: Option<String>,
        days: Option<i64>,
    },
    /// How many orders (with an item of a category, on a channel, within the last N days).
    Orders {
        category: Option<String>,
        channel: Option<String>,
        days: Option<i64>,
    },
    /// How many open deals.
    OpenDeals,
    /// The latest NPS score (0-10), CSAT (1-5), CES (1-7) and NPS category.
    Nps,
    NpsCategory,
    Csat,
    Ces,
    /// When the latest survey response came.
    LastFeedbackAt,
    /// Complaints still being worked on.
    OpenComplaints,
    /// How many complaints (opened within the last N days).
    Complaints {
        days: Option<i64>,
    },
}

/// The names a rule may use, for messages and documentation (`attributes.*`, `consent.*`
/// take a key or a channel).
pub const FIELD_NAMES: &[&str] = &[
    "orders_count",
    "revenue",
    "margin",
    "average_order_value",
    "first_order_at",
    "last_order_at",
    "days_since_last_order",
    "rfm_r",
    "rfm_f",
    "rfm_m",
    "rfm_segment",
    "churn_probability",
    "risk_band",
    "clv",
    "expected_orders_90d",
    "cost_to_serve",
    "profit",
    "loyalty_tier",
    "loyalty_points",
    "lifecycle_stage",
    "kind",
    "tags",
    "owner_id",
    "acquisition_channel",
    "acquisition_cost",
    "created_at",
    "attributes.<key>",
    "consent.<channel>",
    "interactions",
    "orders",
    "open_deals",
    "nps",
    "nps_category",
    "csat",
    "ces",
    "last_feedback_at",
    "open_complaints",
    "complaints",
];

const METRICS: &[(&str, Metric)] = &[
    ("orders_count", Metric::OrdersCount),
    ("revenue", Metric::Revenue),
    ("margin", Metric::Margin),
    ("average_order_value", Metric::AverageOrderValue),
    ("first_order_at", Metric::FirstOrderAt),
    ("last_order_at", Metric::LastOrderAt),
    ("days_since_last_order", Metric::DaysSinceLastOrder),
    ("rfm_r", Metric::RfmR),
    ("rfm_f", Metric::RfmF),
    ("rfm_m", Metric::RfmM),
    ("churn_probability", Metric::ChurnProbability),
    ("clv", Metric::Clv),
    ("expected_orders_90d", Metric::ExpectedOrders90d),
    ("cost_to_serve", Metric::CostToServe),
    ("profit", Metric::Profit),
];

/// What a field holds, which decides its operators and how operands are read.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueType {
    Integer,
    /// A number; `unit` bounds it to [0, 1].
    Number {
        unit: bool,
    },
    Time,
    /// One of a closed set of names.
    Name(Vec<&'static str>),
    /// Free text compared exactly.
    Text,
    /// A set of lower-case tags.
    Tags,
    /// A JSON value of any scalar type.
    Json,
}

impl ValueType {
    /// The operators the type allows.
    pub fn operators(&self) -> &'static [&'static str] {
        match self {
            ValueType::Integer | ValueType::Number { .. } => {
                &["=", "!=", "<", "<=", ">", ">=", "between", "in", "exists"]
            }
            ValueType::Time => &[
                "<",
                "<=",
                ">",
                ">=",
                "between",
                "within_last_days",
                "exists",
            ],
            ValueType::Name(_) | ValueType::Text => &["=", "!=", "in", "exists"],
            ValueType::Tags => &["contains", "in", "exists"],
            ValueType::Json => &[
                "=", "!=", "<", "<=", ">", ">=", "between", "in", "contains", "exists",
            ],
        }
    }

    pub(super) fn normalise_text(&self, text: &str) -> String {
        match self {
            ValueType::Tags => parse_tag(text).unwrap_or_else(|| text.to_lowercase()),
            _ => text.to_owned(),
        }
    }

    /// Reads one operand of this type, or says what it must be.
    pub fn scalar(&self, value: &Value) -> Result<Scalar, String> {
        match self {
            ValueType::Integer => value
                .as_i64()
                .map(Scalar::Int)
                .ok_or_else(|| "must be a whole number".to_owned()),
            ValueType::Number { unit } => {
                let v = value
                    .as_f64()
                    .filter(|v| v.is_finite())
                    .ok_or("must be a number")?;
                if *unit && !(0.0..=1.0).contains(&v) {
                    return Err("must be a number from 0 to 1".into());
                }
                Ok(Scalar::Float(v))
            }
            ValueType::Time => value
                .as_str()
                .and_then(parse_time)
                .map(Scalar::Time)
                .ok_or_else(|| "must be an RFC 3339 time (2026-01-31T00:00:00Z)".to_owned()),
            ValueType::Name(names) => match value.as_str() {
                Some(s) if names.contains(&s) => Ok(Scalar::Text(s.to_owned())),
                _ => Err(format!("must be one of {}", names.join(", "))),
            },
            ValueType::Text => match value.as_str() {
                Some(s) if !s.is_empty() && s.chars().count() <= 200 => {
                    Ok(Scalar::Text(s.to_owned()))
                }
                _ => Err("must be text, 1 to 200 characters".into()),
            },
            ValueType::Tags => value
                .as_str()
                .and_then(parse_tag)
                .map(Scalar::Text)
                .ok_or_else(|| "must be a tag (1 to 64 characters)".to_owned()),
            ValueType::Json => match value {
                Value::Bool(b) => Ok(Scalar::Bool(*b)),
                Value::Number(n) => n
                    .as_i64()
                    .map(Scalar::Int)
                    .or_else(|| n.as_f64().filter(|v| v.is_finite()).map(Scalar::Float))
                    .ok_or_else(|| "must be a finite number".to_owned()),
                Value::String(s) if s.chars().count() <= 200 => Ok(Scalar::Text(s.clone())),
                _ => Err("must be text (at most 200 characters), a number or true/false".into()),
            },
        }
    }
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| name(*v)).collect()
}

impl Field {
    /// The filter members a field takes beside `field`, `op` and `value`.
    pub(super) fn filters_of(name: &str) -> &'static [&'static str] {
        match name {
            "interactions" => &["type", "channel", "within_last_days"],
            "orders" => &["category", "channel", "within_last_days"],
            "complaints" => &["within_last_days"],
            _ => &[],
        }
    }

    /// Reads a field name and its filters from a condition at `path`.
    pub(super) fn parse(
        name: &str,
        condition: &Map<String, Value>,
        path: &str,
    ) -> Result<Field, Vec<RuleIssue>> {
        let bad = |member: &str, message: String| {
            vec![RuleIssue {
                path: format!("{path}.{member}"),
                message,
            }]
        };
        if let Some((_, m)) = METRICS.iter().find(|(n, _)| *n == name) {
            return Ok(Field::Metric(*m));
        }
        if let Some(key) = name.strip_prefix("attributes.") {
            let ok = !key.is_empty()
                && key.len() <= 64
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            return if ok {
                Ok(Field::Attribute(key.to_owned()))
            } else {
                Err(bad(
                    "field",
                    "an attribute key is 1 to 64 letters, digits, _ or -".into(),
                ))
            };
        }
        if let Some(channel) = name.strip_prefix("consent.") {
            return ConsentChannel::parse(channel)
                .map(Field::Consent)
                .ok_or_else(|| {
                    bad(
                        "field",
                        format!("consent channels are {}", ConsentChannel::choices()),
                    )
                });
        }
        let text_filter =
            |member: &str, allowed: Option<Vec<&'static str>>| match condition.get(member) {
                None => Ok(None),
                Some(Value::String(s)) => match &allowed {
                    Some(names) if !names.contains(&s.as_str()) => {
                        Err(bad(member, format!("must be one of {}", names.join(", "))))
                    }
                    _ if s.is_empty() || s.chars().count() > 100 => {
                        Err(bad(member, "must be text, 1 to 100 characters".into()))
                    }
                    _ => Ok(Some(s.clone())),
                },
                Some(_) => Err(bad(member, "must be text".into())),
            };
        let days = || match condition.get("within_last_days") {
            None => Ok(None),
            Some(v) => match v.as_i64() {
                Some(n) if (0..=MAX_DAYS).contains(&n) => Ok(Some(n)),
                _ => Err(bad(
                    "within_last_days",
                    format!("must be a whole number of days, 0 to {MAX_DAYS}"),
                )),
            },
        };
        let channels = || Some(names(Channel::ALL, Channel::as_str));
        Ok(match name {
            "rfm_segment" => Field::RfmSegment,
            "risk_band" => Field::RiskBand,
            "loyalty_tier" => Field::LoyaltyTier,
            "loyalty_points" => Field::LoyaltyPoints,
            "lifecycle_stage" => Field::LifecycleStage,
            "kind" => Field::Kind,
            "tags" => Field::Tags,
            "owner_id" => Field::OwnerId,
            "acquisition_channel" => Field::AcquisitionChannel,
            "acquisition_cost" => Field::AcquisitionCost,
            "created_at" => Field::CreatedAt,
            "open_deals" => Field::OpenDeals,
            "nps" => Field::Nps,
            "nps_category" => Field::NpsCategory,
            "csat" => Field::Csat,
            "ces" => Field::Ces,
            "last_feedback_at" => Field::LastFeedbackAt,
            "open_complaints" => Field::OpenComplaints,
            "complaints" => Field::Complaints { days: days()? },
            "interactions" => Field::Interactions {
                kind: text_filter(
                    "type",
                    Some(names(InteractionType::ALL, InteractionType::as_str)),
                )?,
                channel: text_filter("channel", channels())?,
                days: days()?,
            },
            "orders" => Field::Orders {
                category: text_filter("category", None)?,
                channel: text_filter("channel", None)?,
                days: days()?,
            },
            _ => {
                return Err(bad(
                    "field",
                    format!("unknown field; fields are {}", FIELD_NAMES.join(", ")),
                ))
            }
        })
    }

    /// The name a rule uses for the field.
    pub fn name(&self) -> String {
        match self {
            Field::Metric(m) => METRICS
                .iter()
                .find(|(_, x)| x == m)
                .map_or("", |(n, _)| n)
                .to_owned(),
            Field::RfmSegment => "rfm_segment".into(),
            Field::RiskBand => "risk_band".into(),
            Field::LoyaltyTier => "loyalty_tier".into(),
            Field::LoyaltyPoints => "loyalty_points".into(),
            Field::LifecycleStage => "lifecycle_stage".into(),
            Field::Kind => "kind".into(),
            Field::Tags => "tags".into(),
            Field::OwnerId => "owner_id".into(),
            Field::AcquisitionChannel => "acquisition_channel".into(),
            Field::AcquisitionCost => "acquisition_cost".into(),
            Field::CreatedAt => "created_at".into(),
            Field::Attribute(key) => format!("attributes.{key}"),
            Field::Consent(c) => format!("consent.{}", c.as_str()),
            Field::Interactions { .. } => "interactions".into(),
            Field::Orders { .. } => "orders".into(),
            Field::OpenDeals => "open_deals".into(),
            Field::Nps => "nps".into(),
            Field::NpsCategory => "nps_category".into(),
            Field::Csat => "csat".into(),
            Field::Ces => "ces".into(),
            Field::LastFeedbackAt => "last_feedback_at".into(),
            Field::OpenComplaints => "open_complaints".into(),
            Field::Complaints { .. } => "complaints".into(),
        }
    }

    pub(super) fn write_filters(&self, out: &mut Map<String, Value>) {
        let mut put = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                out.insert(k.into(), json!(v));
            }
        };
        match self {
            Field::Interactions {
                kind,
                channel,
                days,
            } => {
                put("type", kind);
                put("channel", channel);
                if let Some(d) = days {
                    out.insert("within_last_days".into(), json!(d));
                }
            }
            Field::Orders {
                category,
                channel,
                days,
            } => {
                put("category", category);
                put("channel", channel);
                if let Some(d) = days {
                    out.insert("within_last_days".into(), json!(d));
                }
            }
            Field::Complaints { days: Some(d) } => {
                out.insert("within_last_days".into(), json!(d));
            }
            _ => {}
        }
    }

    /// What the field holds.
    pub fn value_type(&self) -> ValueType {
        match self {
            Field::Metric(m) => match m {
                Metric::FirstOrderAt | Metric::LastOrderAt => ValueType::Time,
                Metric::ChurnProbability => ValueType::Number { unit: true },
                Metric::ExpectedOrders90d => ValueType::Number { unit: false },
                Metric::OrdersCount
                | Metric::Revenue
                | Metric::Margin
                | Metric::AverageOrderValue
                | Metric::DaysSinceLastOrder
                | Metric::RfmR
                | Metric::RfmF
                | Metric::RfmM
                | Metric::Clv
                | Metric::CostToServe
                | Metric::Profit => ValueType::Integer,
            },
            Field::RfmSegment => ValueType::Name(names(Segment::ALL, Segment::as_str)),
            Field::RiskBand => ValueType::Name(RISK_BANDS.to_vec()),
            Field::LifecycleStage => {
                ValueType::Name(names(LifecycleStage::ALL, LifecycleStage::as_str))
            }
            Field::Kind => ValueType::Name(names(AccountKind::ALL, AccountKind::as_str)),
            Field::Consent(_) => ValueType::Name(vec!["granted", "withdrawn"]),
            Field::LoyaltyTier | Field::OwnerId | Field::AcquisitionChannel => ValueType::Text,
            Field::Tags => ValueType::Tags,
            Field::CreatedAt | Field::LastFeedbackAt => ValueType::Time,
            Field::NpsCategory => ValueType::Name(crate::feedback::NPS_CATEGORIES.to_vec()),
            Field::Nps | Field::Csat | Field::Ces => ValueType::Integer,
            Field::OpenComplaints | Field::Complaints { .. } => ValueType::Integer,
            Field::Attribute(_) => ValueType::Json,
            Field::LoyaltyPoints
            | Field::AcquisitionCost
            | Field::Interactions { .. }
            | Field::Orders { .. }
            | Field::OpenDeals => ValueType::Integer,
        }
    }
}
