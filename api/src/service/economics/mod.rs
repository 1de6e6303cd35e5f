//! Customer economics (`/v1/analytics/cohorts`, `/v1/analytics/churn`): retention cohorts,
//! repeat purchases, growth accounting and churn, aggregated from the purchase days the
//! order writes maintain (net of refunds, in the reporting currency), never from raw orders.
//!
//! Every report states its reporting currency, its period kind and its UTC boundaries:
//! `from` and `to` (dates, inclusive) are widened to whole periods, and the report covers
//! `[starts_at, ends_before)`. Periods without purchases are reported with zeros.

pub mod acquisition;
pub mod churn;
pub mod cohorts;
pub mod csv;
pub mod distribution;
pub mod profitability;
pub mod spend;

use chrono::{DateTime, NaiveDate, Utc};
use rapport_domain::economics::{date_of, day_number, Period};
use rapport_domain::value::day_of;

use crate::error::ApiError;
use crate::service::now;

/// At most this many periods in one report (10 years of months, ~3 years of weeks).
pub const MAX_PERIODS: i32 = 160;

/// Default number of periods when `from` is absent.
pub const DEFAULT_PERIODS: i32 = 12;

/// The periods a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub period: Period,
    /// Index of the first and last period.
    pub first: i32,
    pub last: i32,
}

impl Window {
    pub fn from_day(&self) -> i32 {
        self.period.start_day(self.first)
    }
    pub fn to_day(&self) -> i32 {
        self.period.end_day(self.last)
    }
    pub fn indexes(&self) -> Vec<i32> {
        (self.first..=self.last).collect()
    }
}

/// Midnight UTC starting `day`.
pub fn day_start(day: i32) -> DateTime<Utc> {
    date_of(day)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .unwrap_or_default()
}

fn parse_date(field: &str, value: &str) -> Result<i32, ApiError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|d| (1970..=9998).contains(&chrono::Datelike::year(d)))
        .map(day_number)
        .ok_or_else(|| ApiError::field(field, "must be a date YYYY-MM-DD between 1970 and 9998"))
}

/// Parses `period` (`month` by default), `from` and `to` (dates; `to` defaults to today,
/// `from` to the start of the 12th period back).
pub fn window(
    period: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Window, ApiError> {
    let period = match period {
        None => Period::Month,
        Some(p) => {
            Period::parse(p).ok_or_else(|| ApiError::field("period", "must be month or week"))?
        }
    };
    let to_day = match to {
        Some(t) => parse_date("to", t)?,
        None => day_of(now()),
    };
    let last = period.index_of(to_day);
    let first = match from {
        Some(f) => {
            let from_day = parse_date("from", f)?;
            if from_day > to_day {
                return Err(ApiError::field("from", "must be on or before `to`"));
            }
            period.index_of(from_day)
        }
        None => last - (DEFAULT_PERIODS - 1),
    };
    if last - first >= MAX_PERIODS {
        return Err(ApiError::field(
            "from",
            format!("at most {MAX_PERIODS} periods from `from` to `to`"),
        ));
    }
    Ok(Window {
        period,
        first,
        last,
    })
}

/// The persistence bucket of a period kind.
pub fn bucket(period: Period) -> rapport_persistence::economics::Bucket {
    match period {
        Period::Month => rapport_persistence::economics::Bucket::Month,
        Period::Week => rapport_persistence::economics::Bucket::Week,
    }
}

/// The sum of `values`, saturating instead of overflowing.
pub fn sum(values: &[i64]) -> i64 {
    let total: i128 = values.iter().map(|v| i128::from(*v)).sum();
    rapport_persistence::sums::saturate(total)
}
