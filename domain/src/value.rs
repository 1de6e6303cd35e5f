//! Customer value from orders: currency conversion into the workspace's reporting currency,
//! refunds, the per-day purchase summary and the per-account totals the models read.
//!
//! Definitions (the service keeps them incrementally; tests recompute them from the orders):
//! - An order's **net** amount is `amount - refunded_amount`. Its reporting-currency amount
//!   and cost were converted once, at ingestion, with the rate of that moment; a refund takes
//!   back the same proportion of both ([`prorate`]), so a full refund takes back exactly what
//!   was added. A refund returns the goods: the cost shrinks with the amount.
//! - A **fully refunded** order no longer counts as a purchase (not in `orders_count`, not
//!   a purchase day); a partly refunded one counts with its net amount.
//! - **Purchase days** are UTC calendar days (days since 1970-01-01). As in the literature
//!   and the widely used `lifetimes` library with daily periods, several orders on one day
//!   are one purchase: `x` (repeat purchases) is the number of purchase days after the first,
//!   `t_x` the days from the first purchase day to the last, and `m` (mean repeat value) the
//!   revenue of the days after the first divided by `x`.
//! - Margin is known only for orders sent with a `cost`: `costed_revenue - cost` over those.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// ISO 4217 minor-unit exponent: how many decimals a currency's minor unit has.
/// 2 unless listed (the currencies with 0 or 3 decimals in ISO 4217).
pub fn minor_exponent(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// Why a value computation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error(
        "an exchange rate is a positive decimal number with at most 12 decimals, like \"0.9215\""
    )]
    InvalidRate,
    #[error("no exchange rate from {from} to {to}")]
    NoRate { from: String, to: String },
    #[error("the converted amount does not fit")]
    Overflow,
}

/// An exchange rate: how many units of the reporting currency one unit of another is
/// worth, kept as an exact decimal (`mantissa / 10^scale`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    mantissa: i128,
    scale: u32,
}

impl Rate {
    pub const ONE: Rate = Rate {
        mantissa: 1,
        scale: 0,
    };

    /// Parses `"0.9215"`: digits, an optional point and at most 12 decimals, positive.
    pub fn parse(text: &str) -> Result<Rate, ValueError> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits_only(whole)
            || !digits_only(fraction)
            || fraction.len() > 12
            || whole.len() > 12
            || (text.contains('.') && fraction.is_empty())
        {
            return Err(ValueError::InvalidRate);
        }
        let mantissa: i128 = format!("{whole}{fraction}")
            .parse()
            .map_err(|_| ValueError::InvalidRate)?;
        if mantissa == 0 {
            return Err(ValueError::InvalidRate);
        }
        Ok(Rate {
            mantissa,
            scale: u32::try_from(fraction.len()).map_err(|_| ValueError::InvalidRate)?,
        })
    }

    /// Minor units of `to` per minor unit of `from` at this rate, as a float (for SQL that
    /// converts in the database; [`convert`] is the exact conversion).
    pub fn factor(&self, from: &str, to: &str) -> f64 {
        let exponent = i32::try_from(minor_exponent(to)).unwrap_or(0)
            - i32::try_from(minor_exponent(from)).unwrap_or(0)
            - i32::try_from(self.scale).unwrap_or(0);
        self.mantissa as f64 * 10f64.powi(exponent)
    }
}

/// `amount` minor units of `from` in minor units of `to` at `rate` (units of `to` per unit
/// of `from`), rounded half away from zero.
pub fn convert(amount: i64, from: &str, to: &str, rate: Rate) -> Result<i64, ValueError> {
    if from == to {
        return Ok(amount);
    }
    let up = minor_exponent(to);
    let down = minor_exponent(from) + rate.scale;
    let numerator = i128::from(amount)
        .checked_mul(rate.mantissa)
        .and_then(|n| n.checked_mul(10i128.pow(up)))
        .ok_or(ValueError::Overflow)?;
    let denominator = 10i128.checked_pow(down).ok_or(ValueError::Overflow)?;
    let half = denominator / 2;
    let rounded = if numerator >= 0 {
        (numerator + half) / denominator
    } else {
        (numerator - half) / denominator
    };
    i64::try_from(rounded).map_err(|_| ValueError::Overflow)
}

/// The share of `value` left after `refunded` of `amount` was refunded:
/// `value * (amount - refunded) / amount`, rounded toward zero; exact at both ends
/// (nothing refunded: `value`; everything: 0).
pub fn prorate(value: i64, amount: i64, refunded: i64) -> i64 {
    if refunded <= 0 {
        return value;
    }
    if amount <= 0 || refunded >= amount {
        return 0;
    }
    let left = i128::from(value) * i128::from(amount - refunded) / i128::from(amount);
    i64::try_from(left).unwrap_or(0)
}

/// The UTC day of an instant, in days since 1970-01-01.
pub fn day_of(t: NaiveDateTime) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    i32::try_from((t.date() - epoch).num_days()).unwrap_or(i32::MAX)
}

/// What one order contributes, in the reporting currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderFacts {
    pub day: i32,
    pub occurred_at: NaiveDateTime,
    /// In the order's own currency (only the refunded share matters).
    pub amount: i64,
    pub refunded: i64,
    pub reporting_amount: i64,
    pub reporting_cost: Option<i64>,
}

impl OrderFacts {
    /// Whether it still counts as a purchase (not fully refunded).
    pub fn counts(&self) -> bool {
        self.refunded < self.amount || self.amount == 0 && self.refunded == 0
    }
    pub fn net_revenue(&self) -> i64 {
        prorate(self.reporting_amount, self.amount, self.refunded)
    }
    pub fn net_cost(&self) -> Option<i64> {
        self.reporting_cost
            .map(|c| prorate(c, self.amount, self.refunded))
    }
}

/// An account's purchases on one UTC day (orders that still count only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayTotals {
    pub day: i32,
    pub orders: i32,
    pub revenue: i64,
    /// Revenue of the orders sent with a cost.
    pub costed_revenue: i64,
    pub cost: i64,
    pub first_at: NaiveDateTime,
    pub last_at: NaiveDateTime,
}

/// The totals of one day's orders; `None` when none of them counts any more.
pub fn day_totals(day: i32, orders: &[OrderFacts]) -> Option<DayTotals> {
    let mut totals: Option<DayTotals> = None;
    for o in orders.iter().filter(|o| o.day == day && o.counts()) {
        let t = totals.get_or_insert(DayTotals {
            day,
            orders: 0,
            revenue: 0,
            costed_revenue: 0,
            cost: 0,
            first_at: o.occurred_at,
            last_at: o.occurred_at,
        });
        t.orders += 1;
        t.revenue += o.net_revenue();
        if let Some(cost) = o.net_cost() {
            t.costed_revenue += o.net_revenue();
            t.cost += cost;
        }
        t.first_at = t.first_at.min(o.occurred_at);
        t.last_at = t.last_at.max(o.occurred_at);
    }
    totals
}

/// An account's value totals, from its purchase days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AccountTotals {
    pub orders_count: i64,
    pub revenue: i64,
    pub costed_revenue: i64,
    pub cost: i64,
    pub first_order_at: Option<NaiveDateTime>,
    pub last_order_at: Option<NaiveDateTime>,
    pub first_day: Option<i32>,
    pub last_day: Option<i32>,
    /// `x`: purchase days after the first.
    pub repeat_purchases: i64,
    /// Revenue of the purchase days after the first (`m * x`).
    pub repeat_revenue: i64,
}

impl AccountTotals {
    pub fn from_days(days: &[DayTotals]) -> AccountTotals {
        let mut t = AccountTotals::default();
        let first = days.iter().min_by_key(|d| d.day);
        for d in days {
            t.orders_count += i64::from(d.orders);
            t.revenue += d.revenue;
            t.costed_revenue += d.costed_revenue;
            t.cost += d.cost;
            t.first_order_at = Some(t.first_order_at.map_or(d.first_at, |f| f.min(d.first_at)));
            t.last_order_at = Some(t.last_order_at.map_or(d.last_at, |l| l.max(d.last_at)));
            t.first_day = Some(t.first_day.map_or(d.day, |f| f.min(d.day)));
            t.last_day = Some(t.last_day.map_or(d.day, |l| l.max(d.day)));
        }
        if let Some(first) = first {
            t.repeat_purchases = i64::try_from(days.len()).unwrap_or(i64::MAX) - 1;
            t.repeat_revenue = t.revenue - first.revenue;
        }
        t
    }

    /// `t_x` in days: from the first purchase day to the last (0 without repeats).
    pub fn t_x_days(&self) -> i64 {
        match (self.first_day, self.last_day) {
            (Some(f), Some(l)) => i64::from(l - f),
            _ => 0,
        }
    }

    /// `T` in days on `as_of_day` (0 before the first purchase day).
    pub fn age_days(&self, as_of_day: i32) -> i64 {
        self.first_day.map_or(0, |f| {
            i64::from(as_of_day.saturating_sub(f)).max(self.t_x_days())
        })
    }

    /// `m`: mean revenue of a repeat purchase day (`None` without repeats).
    pub fn mean_repeat_value(&self) -> Option<f64> {
        (self.repeat_purchases > 0)
            .then(|| self.repeat_revenue as f64 / self.repeat_purchases as f64)
    }

    /// Margin over the orders sent with a cost, as a fraction of their revenue.
    pub fn margin_rate(&self) -> Option<f64> {
        (self.costed_revenue > 0)
            .then(|| (self.costed_revenue - self.cost) as f64 / self.costed_revenue as f64)
    }
}

/// Risk bands from the churn probability: at or above `lost` is lost, then `at_risk`,
/// then `watch`; below `watch` is healthy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RiskThresholds {
    pub watch: f64,
    pub at_risk: f64,
    pub lost: f64,
}

impl Default for RiskThresholds {
    fn default() -> Self {
        Self {
            watch: 0.3,
            at_risk: 0.5,
            lost: 0.8,
        }
    }
}

impl RiskThresholds {
    /// Each in (0, 1) and `watch < at_risk < lost`.
    pub fn is_valid(&self) -> bool {
        let inside = |v: f64| v > 0.0 && v < 1.0;
        inside(self.watch)
            && inside(self.at_risk)
            && inside(self.lost)
            && self.watch < self.at_risk
            && self.at_risk < self.lost
    }

    pub fn band(&self, churn_probability: f64) -> &'static str {
        if churn_probability >= self.lost {
            "lost"
        } else if churn_probability >= self.at_risk {
            "at_risk"
        } else if churn_probability >= self.watch {
            "watch"
        } else {
            "healthy"
        }
    }
}

/// The risk bands an account's churn probability falls in, healthiest first.
pub const RISK_BANDS: [&str; 4] = ["healthy", "watch", "at_risk", "lost"];

/// What an order's refunds have left of it.
pub const ORDER_STATUSES: [&str; 3] = ["completed", "partially_refunded", "refunded"];

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: i32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(1970, 1, 1)
            .unwrap_or_default()
            .and_hms_opt(hour, 0, 0)
            .unwrap_or_default()
            + chrono::Duration::days(i64::from(day))
    }

    #[test]
    fn rates_parse_exactly_and_reject_junk() {
        assert_eq!(
            Rate::parse("0.9215"),
            Ok(Rate {
                mantissa: 9215,
                scale: 4
            })
        );
        assert_eq!(
            Rate::parse("2"),
            Ok(Rate {
                mantissa: 2,
                scale: 0
            })
        );
        for bad in [
            "",
            "0",
            "0.0",
            "-1",
            "1.",
            ".5",
            "1e3",
            "abc",
            "1.0000000000001",
        ] {
            assert_eq!(Rate::parse(bad), Err(ValueError::InvalidRate), "{bad}");
        }
    }

    #[test]
    fn conversion_respects_exponents_and_rounds_half_away() {
        let r = Rate::parse("0.92").unwrap();
        assert_eq!(convert(1000, "USD", "EUR", r), Ok(920));
        assert_eq!(convert(1, "USD", "EUR", Rate::parse("0.5").unwrap()), Ok(1));
        // 1,000 JPY (no decimals) at 0.0061 EUR = 6.10 EUR = 610 cents.
        assert_eq!(
            convert(1000, "JPY", "EUR", Rate::parse("0.0061").unwrap()),
            Ok(610)
        );
        // 1.000 KWD (3 decimals) at 3 EUR = 300 cents.
        assert_eq!(
            convert(1000, "KWD", "EUR", Rate::parse("3").unwrap()),
            Ok(300)
        );
        assert_eq!(convert(-1000, "USD", "EUR", r), Ok(-920));
        assert_eq!(convert(5, "EUR", "EUR", r), Ok(5));
        assert_eq!(
            convert(i64::MAX, "EUR", "JPY", Rate::parse("999999999999").unwrap()),
            Err(ValueError::Overflow)
        );
    }

    #[test]
    fn prorate_is_exact_at_both_ends() {
        assert_eq!(prorate(999, 1000, 0), 999);
        assert_eq!(prorate(999, 1000, 1000), 0);
        assert_eq!(prorate(999, 1000, 500), 499);
        assert_eq!(prorate(5, 0, 0), 5);
    }

    #[test]
    fn totals_follow_the_daily_purchase_convention() {
        let order = |day, hour, amount, refunded, cost| OrderFacts {
            day,
            occurred_at: at(day, hour),
            amount,
            refunded,
            reporting_amount: amount,
            reporting_cost: cost,
        };
        let orders = [
            order(10, 9, 1000, 0, Some(600)),
            order(10, 15, 500, 0, None),
            order(12, 8, 2000, 2000, Some(100)), // fully refunded: gone
            order(14, 8, 3000, 1000, Some(1500)),
            order(20, 23, 400, 0, None),
        ];
        let days: Vec<DayTotals> = [10, 12, 14, 20]
            .iter()
            .filter_map(|d| day_totals(*d, &orders))
            .collect();
        assert_eq!(days.len(), 3);
        let t = AccountTotals::from_days(&days);
        assert_eq!(t.orders_count, 4);
        assert_eq!(t.revenue, 1000 + 500 + 2000 + 400);
        assert_eq!(t.costed_revenue, 1000 + 2000);
        assert_eq!(t.cost, 600 + 1000);
        assert_eq!(t.first_order_at, Some(at(10, 9)));
        assert_eq!(t.last_order_at, Some(at(20, 23)));
        assert_eq!(t.repeat_purchases, 2);
        assert_eq!(t.repeat_revenue, 2000 + 400);
        assert_eq!(t.t_x_days(), 10);
        assert_eq!(t.age_days(30), 20);
        assert_eq!(t.mean_repeat_value(), Some(1200.0));
        let margin = t.margin_rate().unwrap();
        assert!((margin - 1400.0 / 3000.0).abs() < 1e-12);
    }

    #[test]
    fn no_orders_no_totals() {
        let t = AccountTotals::from_days(&[]);
        assert_eq!(t, AccountTotals::default());
        assert_eq!(t.mean_repeat_value(), None);
        assert_eq!(t.age_days(100), 0);
    }

    #[test]
    fn risk_bands() {
        let r = RiskThresholds::default();
        assert!(r.is_valid());
        assert_eq!(r.band(0.1), "healthy");
        assert_eq!(r.band(0.3), "watch");
        assert_eq!(r.band(0.6), "at_risk");
        assert_eq!(r.band(0.95), "lost");
        assert!(!RiskThresholds {
            watch: 0.5,
            at_risk: 0.4,
            lost: 0.9
        }
        .is_valid());
    }
}
