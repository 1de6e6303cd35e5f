//! The custom scalars of the GraphQL contract, and the conversions the service types use
//! to appear as them (`#[graphql(derived(...))]` on the shared structs).

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value, ID};
use chrono::NaiveDate;

/// A signed 64-bit integer: money in minor units, loyalty points and thresholds.
/// Serialized as a JSON string of decimal digits (`"10000000000000"`), because GraphQL
/// `Int` is 32-bit and JavaScript numbers lose precision above 2^53. Accepted as such a
/// string or as a GraphQL `Int` literal. Client mappings: TypeScript `string` (or
/// `bigint`), Apollo Kotlin `Long` (`LongAdapter`), Apollo iOS `Int64` (parse the string).
/// Counts, days and versions stay `Int`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Long(pub i64);

/// The description of `Long`, kept beside the type (the SDL shows it).
#[Scalar(name = "Long", use_type_description)]
impl ScalarType for Long {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => s.trim().parse::<i64>().map(Long).map_err(|_| {
                InputValueError::custom(
                    "expected a 64-bit integer in a string of digits, e.g. \"1200\"",
                )
            }),
            Value::Number(n) => n.as_i64().map(Long).ok_or_else(|| {
                InputValueError::custom("expected a whole number of at most 64 bits")
            }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        match value {
            Value::String(s) => s.trim().parse::<i64>().is_ok(),
            Value::Number(n) => n.as_i64().is_some(),
            _ => false,
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

impl async_graphql::Description for Long {
    fn description() -> &'static str {
        "A signed 64-bit integer: money in minor units, loyalty points and thresholds. \
         Serialized as a JSON string of decimal digits (`\"10000000000000\"`) because GraphQL \
         `Int` is 32-bit and JavaScript numbers lose precision above 2^53; accepted as such a \
         string or as an `Int` literal. Map it to `string` (or `bigint`) in TypeScript, `Long` \
         in Apollo Kotlin and `Int64` in Apollo iOS. Counts, days and versions stay `Int`."
    }
}

impl From<i64> for Long {
    fn from(v: i64) -> Self {
        Long(v)
    }
}

impl From<Long> for i64 {
    fn from(v: Long) -> Self {
        v.0
    }
}

/// A calendar date without a time zone, `YYYY-MM-DD` (ISO 8601), e.g. `2026-03-31`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

#[Scalar(
    name = "Date",
    use_type_description,
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| InputValueError::custom("expected a date as YYYY-MM-DD")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl async_graphql::Description for Date {
    fn description() -> &'static str {
        "A calendar date without a time zone, `YYYY-MM-DD` (ISO 8601 / RFC 3339 full-date), \
         e.g. `2026-03-31`."
    }
}

/// The description of the `DateTime` scalar (replacing the library's Rust-flavoured one).
pub const DATE_TIME_DESCRIPTION: &str =
    "An instant in UTC as an RFC 3339 string, e.g. `2026-03-31T14:05:00Z` (output: \
     microsecond precision, `Z`). Input accepts any offset and is converted to UTC.";

// Conversions used by `#[graphql(derived(..., with = "..."))]` on the service types.

pub fn long_opt(v: Option<i64>) -> Option<Long> {
    v.map(Long)
}

pub fn id_opt(v: Option<String>) -> Option<ID> {
    v.map(ID)
}

pub fn date_opt(v: Option<NaiveDate>) -> Option<Date> {
    v.map(Date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_round_trips_beyond_32_and_53_bits() {
        let big = 9_007_199_254_740_993_i64; // 2^53 + 1
        assert_eq!(Long(big).to_value(), Value::String(big.to_string()));
        assert_eq!(
            Long::parse(Value::String(big.to_string())).ok(),
            Some(Long(big))
        );
        assert_eq!(
            Long::parse(Value::from(10_000_000_000_000_i64)).ok(),
            Some(Long(10_000_000_000_000))
        );
        assert!(Long::parse(Value::String("12a".into())).is_err());
        assert!(Long::parse(Value::from(1.5)).is_err());
        assert!(Long::parse(Value::Boolean(true)).is_err());
    }

    #[test]
    fn date_is_iso() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 31).map(Date);
        assert_eq!(
            d.map(|d| d.to_value()),
            Some(Value::String("2026-03-31".into()))
        );
        assert!(Date::parse(Value::String("31/03/2026".into())).is_err());
    }
}
