//! Customer economics: calendar periods over UTC days, and the per-customer rules of growth
//! accounting and inactivity churn.
//!
//! Days are days since 1970-01-01 (UTC), as in [`crate::value::day_of`]. A period is a
//! calendar month or an ISO week (Monday to Sunday), numbered by an index that grows by one
//! from each period to the next: months as `year * 12 + month - 1`, weeks as the number of
//! Mondays since 1969-12-29 (which may be negative before that date).

use chrono::{Datelike, NaiveDate};

/// The epoch of day numbers.
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

/// Day number of a date.
pub fn day_number(date: NaiveDate) -> i32 {
    i32::try_from((date - epoch()).num_days()).unwrap_or(i32::MAX)
}

/// The date of a day number (`None` outside chrono's range).
pub fn date_of(day: i32) -> Option<NaiveDate> {
    epoch().checked_add_signed(chrono::Duration::days(i64::from(day)))
}

/// How analytics group time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month,
    Week,
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        match s {
            "month" => Some(Period::Month),
            "week" => Some(Period::Week),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Week => "week",
        }
    }

    /// The index of the period holding `day`.
    pub fn index_of(self, day: i32) -> i32 {
        match self {
            // 1970-01-01 was a Thursday: day -3 is the Monday that starts week 0.
            Period::Week => (day + 3).div_euclid(7),
            Period::Month => match date_of(day) {
                Some(d) => d.year() * 12 + d.month0() as i32,
                None => 0,
            },
        }
    }

    /// The first day of period `index`.
    pub fn start_day(self, index: i32) -> i32 {
        match self {
            Period::Week => index.saturating_mul(7).saturating_sub(3),
            Period::Month => {
                let (year, month0) = (index.div_euclid(12), index.rem_euclid(12));
                NaiveDate::from_ymd_opt(year, month0.unsigned_abs() + 1, 1).map_or(0, day_number)
            }
        }
    }

    /// The last day of period `index`.
    pub fn end_day(self, index: i32) -> i32 {
        self.start_day(index.saturating_add(1)).saturating_sub(1)
    }

    /// A label: `2026-01` for a month, the ISO week `2026-W03` for a week.
    pub fn label(self, index: i32) -> String {
        match self {
            Period::Month => format!(
                "{:04}-{:02}",
                index.div_euclid(12),
                index.rem_euclid(12) + 1
            ),
            Period::Week => match date_of(self.start_day(index)) {
                Some(d) => {
                    let w = d.iso_week();
                    format!("{:04}-W{:02}", w.year(), w.week())
                }
                None => index.to_string(),
            },
        }
    }
}

/// One period's growth accounting: who bought in it, measured against the period before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Growth {
    /// Bought in the period.
    pub active: i64,
    /// First order in the period.
    pub new: i64,
    /// Bought in the period and in the one before.
    pub retained: i64,
    /// Bought in the period, not in the one before, but in some earlier one.
    pub reactivated: i64,
    /// Bought in the period before, not in this one.
    pub lost: i64,
}

/// One period's churn by inactivity: a customer has churned on a day when their last order
/// on or before it is at least `inactive_days` days earlier (no order in the `inactive_days`
/// days ending that day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Inactivity {
    /// Customers not churned at the end of the day before the period.
    pub base: i64,
    /// Of `base`, those churned at the end of the period's last day.
    pub churned: i64,
    /// Customers (first order on or before the period's end) not churned at its end.
    pub active_at_end: i64,
}

/// Adds one customer's purchase days (sorted, distinct) to each period's growth accounting
/// and inactivity churn. `first_day` is their first purchase day ever; `periods` are
/// consecutive period indexes; `days` must hold every purchase day from `inactive_days`
/// before the first period's start (and from the period before the first) onwards.
pub fn add_customer(
    period: Period,
    periods: &[i32],
    first_day: i32,
    days: &[i32],
    inactive_days: i32,
    growth: &mut [Growth],
    churn: &mut [Inactivity],
) {
    let bought_in = |index: i32| {
        let (s, e) = (period.start_day(index), period.end_day(index));
        let at = days.partition_point(|d| *d < s);
        days.get(at).is_some_and(|d| *d <= e)
    };
    // Not churned at the end of `day`: an order in the `inactive_days` days ending it.
    let alive_at = |day: i32| {
        if first_day > day {
            return false;
        }
        let since = day.saturating_sub(inactive_days).saturating_add(1);
        let at = days.partition_point(|d| *d < since);
        days.get(at).is_some_and(|d| *d <= day)
    };
    for (i, &index) in periods.iter().enumerate() {
        let (s, e) = (period.start_day(index), period.end_day(index));
        let now = bought_in(index);
        let before = bought_in(index.saturating_sub(1));
        if let Some(g) = growth.get_mut(i) {
            if now {
                g.active += 1;
                if (s..=e).contains(&first_day) {
                    g.new += 1;
                } else if before {
                    g.retained += 1;
                } else {
                    g.reactivated += 1;
                }
            } else if before {
                g.lost += 1;
            }
        }
        if let Some(c) = churn.get_mut(i) {
            let alive_end = alive_at(e);
            if alive_at(s.saturating_sub(1)) {
                c.base += 1;
                if !alive_end {
                    c.churned += 1;
                }
            }
            if alive_end {
                c.active_at_end += 1;
            }
        }
    }
}

/// `numerator / denominator`, 0 when the denominator is 0.
pub fn share(numerator: i64, denominator: i64) -> f64 {
    if denominator <= 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// `numerator / denominator` rounded half away from zero, 0 when the denominator is 0.
pub fn per(numerator: i64, denominator: i64) -> i64 {
    if denominator <= 0 {
        return 0;
    }
    let (n, d) = (i128::from(numerator), i128::from(denominator));
    let q = if n >= 0 {
        (2 * n + d) / (2 * d)
    } else {
        -((-2 * n + d) / (2 * d))
    };
    i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX })
}

/// Margin of `revenue` of which `costed_revenue` carried `cost`: the costed part's real
/// margin plus the rest at `default_margin_percent`, rounded to a minor unit.
pub fn margin(revenue: i64, costed_revenue: i64, cost: i64, default_margin_percent: f64) -> i64 {
    let uncosted = revenue.saturating_sub(costed_revenue) as f64;
    let assumed = (uncosted * default_margin_percent / 100.0).round();
    let assumed = if assumed.is_finite() {
        assumed as i64
    } else {
        0
    };
    costed_revenue.saturating_sub(cost).saturating_add(assumed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> i32 {
        day_number(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn months_and_weeks_have_their_calendar_bounds() {
        let p = Period::Month;
        let jan = p.index_of(day(2026, 1, 31));
        assert_eq!(p.index_of(day(2026, 2, 1)), jan + 1);
        assert_eq!(p.start_day(jan), day(2026, 1, 1));
        assert_eq!(p.end_day(jan + 1), day(2026, 2, 28));
        assert_eq!(p.label(jan), "2026-01");
        assert_eq!(p.label(jan - 1), "2025-12");
        let w = Period::Week;
        // 2026-01-05 is a Monday.
        let week = w.index_of(day(2026, 1, 5));
        assert_eq!(w.index_of(day(2026, 1, 4)), week - 1);
        assert_eq!(w.index_of(day(2026, 1, 11)), week);
        assert_eq!(w.start_day(week), day(2026, 1, 5));
        assert_eq!(w.label(week), "2026-W02");
        assert_eq!(w.index_of(-4), -1);
    }

    #[test]
    fn growth_and_churn_of_one_reactivated_customer() {
        let p = Period::Month;
        let jan = p.index_of(day(2026, 1, 1));
        let periods: Vec<i32> = (jan..jan + 4).collect();
        let days = [day(2026, 1, 10), day(2026, 3, 5)];
        let mut g = vec![Growth::default(); 4];
        let mut c = vec![Inactivity::default(); 4];
        add_customer(p, &periods, days[0], &days, 30, &mut g, &mut c);
        assert_eq!(
            g[0],
            Growth {
                active: 1,
                new: 1,
                ..Default::default()
            }
        );
        assert_eq!(
            g[1],
            Growth {
                lost: 1,
                ..Default::default()
            }
        );
        assert_eq!(
            g[2],
            Growth {
                active: 1,
                reactivated: 1,
                ..Default::default()
            }
        );
        assert_eq!(
            g[3],
            Growth {
                lost: 1,
                ..Default::default()
            }
        );
        // Alive until 2026-02-08 (30 days from 01-10 inclusive), again from 03-05 to 04-03.
        assert_eq!(
            c[0],
            Inactivity {
                base: 0,
                churned: 0,
                active_at_end: 1
            }
        );
        assert_eq!(
            c[1],
            Inactivity {
                base: 1,
                churned: 1,
                active_at_end: 0
            }
        );
        assert_eq!(
            c[2],
            Inactivity {
                base: 0,
                churned: 0,
                active_at_end: 1
            }
        );
        assert_eq!(
            c[3],
            Inactivity {
                base: 1,
                churned: 1,
                active_at_end: 0
            }
        );
    }

    #[test]
    fn per_rounds_half_away_and_never_divides_by_zero() {
        assert_eq!(per(5, 2), 3);
        assert_eq!(per(-5, 2), -3);
        assert_eq!(per(4, 3), 1);
        assert_eq!(per(7, 0), 0);
        assert_eq!(margin(1000, 600, 400, 50.0), 400);
    }
}
