//! RFM scoring: recency, frequency and monetary scores 1-5 by per-workspace quintiles, and named segments.
//!
//! A job computes [`breakpoints`] over a workspace's customers who have bought at least
//! once and stores them; reading one account's score is then [`score`], a few comparisons.
//!
//! # Measures ([`RfmInput`])
//!
//! - `recency_days`: days since the customer's last order (smaller is better).
//! - `frequency`: number of orders.
//! - `monetary`: total revenue from the customer, in minor units of the workspace's
//!   reporting currency (not the average order value).
//!
//! # Breakpoints
//!
//! For each measure, the 20, 40, 60 and 80 % quantiles, by linear interpolation between
//! order statistics (Hyndman & Fan type 7, NumPy's and R's default): with the values
//! sorted as `x[0] <= … <= x[n-1]` and `h = (n - 1) p`, the quantile is
//! `x[⌊h⌋] + (h - ⌊h⌋) (x[⌊h⌋ + 1] - x[⌊h⌋])`.
//!
//! # Scores
//!
//! - `f` and `m` = 1 + the number of breakpoints strictly below the value, so a value
//!   equal to a breakpoint falls in the lower bucket.
//! - `r` = 5 - the number of recency breakpoints strictly below the recency: the most
//!   recent customers score 5, and a recency equal to a breakpoint falls in the more
//!   recent bucket.
//! - NaN scores the worst bucket (`r`, `f` or `m` = 1).
//!
//! Ties make buckets uneven or empty: when most customers have ordered once, several
//! frequency breakpoints equal 1, every one-order customer gets `f = 1` and two orders
//! may already give `f = 4`. That is deterministic, and it is what the data says.
//!
//! # Segments
//!
//! The usual R against FM grid, where `FM = (f + m) / 2` rounded half up (`(f + m + 1) / 2`
//! in integers, so 1.5 -> 2 and 4.5 -> 5). Every (r, f, m) in 1..=5 has exactly one
//! segment; scores outside 1..=5 are clamped to it first.
//!
//! | R \ FM | 1              | 2                  | 3                  | 4               | 5               |
//! |--------|----------------|--------------------|--------------------|-----------------|-----------------|
//! | **5**  | New            | Potential Loyalist | Potential Loyalist | Champions       | Champions       |
//! | **4**  | Promising      | Potential Loyalist | Potential Loyalist | Loyal           | Champions       |
//! | **3**  | About to Sleep | About to Sleep     | Need Attention     | Loyal           | Loyal           |
//! | **2**  | Hibernating    | Hibernating        | At Risk            | At Risk         | At Risk         |
//! | **1**  | Lost           | Lost               | At Risk            | Can't Lose Them | Can't Lose Them |

use std::fmt;

use serde::{Deserialize, Serialize};

/// One customer's measures. See the module documentation for units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RfmInput {
    /// Days since the last order.
    pub recency_days: f64,
    /// Number of orders.
    pub frequency: f64,
    /// Total revenue, in minor units of the workspace's reporting currency.
    pub monetary: f64,
}

/// The 20/40/60/80 % quantiles of each measure over a workspace's buying customers,
/// non-decreasing within each array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmBreakpoints {
    pub recency_days: [f64; 4],
    pub frequency: [f64; 4],
    pub monetary: [f64; 4],
}

/// A customer's scores (each 1..=5) and segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RfmScore {
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: Segment,
}

/// Why breakpoints could not be computed. `code()` gives a stable identifier for APIs and logs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RfmError {
    #[error("no customers with an order: RFM breakpoints need at least one")]
    NoCustomers,
    #[error("customer {index}: {field} must be finite, got {value}")]
    NonFinite {
        index: usize,
        field: &'static str,
        value: f64,
    },
    #[error("customer {index}: {field} must be non-negative, got {value}")]
    Negative {
        index: usize,
        field: &'static str,
        value: f64,
    },
}

impl RfmError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoCustomers => "no_customers",
            Self::NonFinite { .. } => "non_finite_input",
            Self::Negative { .. } => "negative_input",
        }
    }
}

/// Quintile breakpoints of each measure (type 7 quantiles, see the module documentation).
///
/// Every value must be finite and non-negative; the first bad one is reported with its
/// index and field. O(n) expected time, one scratch copy of one measure at a time.
pub fn breakpoints(customers: &[RfmInput]) -> Result<RfmBreakpoints, RfmError> {
    if customers.is_empty() {
        return Err(RfmError::NoCustomers);
    }
    for (index, c) in customers.iter().enumerate() {
        for (field, value) in [
            ("recency_days", c.recency_days),
            ("frequency", c.frequency),
            ("monetary", c.monetary),
        ] {
            if !value.is_finite() {
                return Err(RfmError::NonFinite {
                    index,
                    field,
                    value,
                });
            }
            if value < 0.0 {
                return Err(RfmError::Negative {
                    index,
                    field,
                    value,
                });
            }
        }
    }
    let mut scratch: Vec<f64> = Vec::with_capacity(customers.len());
    let mut column = |pick: fn(&RfmInput) -> f64| {
        scratch.clear();
        scratch.extend(customers.iter().map(pick));
        quintiles(&mut scratch)
    };
    Ok(RfmBreakpoints {
        recency_days: column(|c| c.recency_days),
        frequency: column(|c| c.frequency),
        monetary: column(|c| c.monetary),
    })
}

/// Type 7 quantiles at 0.2, 0.4, 0.6 and 0.8 of finite values; reorders `values`.
/// Empty input gives zeros (callers check first).
fn quintiles(values: &mut [f64]) -> [f64; 4] {
    const FRACTIONS: [f64; 5] = [0.0, 0.2, 0.4, 0.6, 0.8];
    let n = values.len();
    if n == 0 {
        return [0.0; 4];
    }
    // h = (n - 1) k / 5 in integers, split so nothing overflows: rank = ⌊h⌋, fifths = 5 (h - ⌊h⌋).
    let (whole, rest) = ((n - 1) / 5, (n - 1) % 5);
    let positions: [(usize, usize); 4] =
        [1, 2, 3, 4].map(|k| (whole * k + rest * k / 5, rest * k % 5));

    // The order statistics needed: each rank, and the next one when interpolating.
    // Selecting them from the highest down, each selection only searches the part of the
    // slice below the previous one, which already holds exactly the smaller ranks.
    let mut ranks: Vec<usize> = Vec::with_capacity(8);
    for &(rank, fifths) in &positions {
        ranks.push(rank);
        if fifths > 0 {
            ranks.push(rank + 1);
        }
    }
    ranks.sort_unstable_by(|a, b| b.cmp(a));
    ranks.dedup();
    let mut known: Vec<(usize, f64)> = Vec::with_capacity(ranks.len());
    let mut end = n;
    for rank in ranks {
        // Distinct and descending, and every rank is at most n - 1, so rank < end.
        let Some(prefix) = values.get_mut(..end) else {
            break;
        };
        if rank >= prefix.len() {
            break;
        }
        let (_, value, _) = prefix.select_nth_unstable_by(rank, f64::total_cmp);
        known.push((rank, *value));
        end = rank;
    }
    let at = |rank: usize| {
        known
            .iter()
            .find(|(r, _)| *r == rank)
            .map_or(0.0, |(_, v)| *v)
    };

    positions.map(|(rank, fifths)| {
        let lo = at(rank);
        if fifths == 0 {
            return lo;
        }
        let hi = at(rank + 1);
        let fraction = FRACTIONS.get(fifths).copied().unwrap_or(0.0);
        // Clamped so rounding can never put a breakpoint above the next order statistic,
        // which keeps the breakpoints non-decreasing.
        (lo + fraction * (hi - lo)).clamp(lo, hi)
    })
}

/// Scores one customer against a workspace's breakpoints. Never fails: NaN measures score 1.
pub fn score(b: &RfmBreakpoints, c: &RfmInput) -> RfmScore {
    let r = if c.recency_days.is_nan() {
        1
    } else {
        6 - bucket(&b.recency_days, c.recency_days)
    };
    let f = bucket(&b.frequency, c.frequency);
    let m = bucket(&b.monetary, c.monetary);
    RfmScore {
        r,
        f,
        m,
        segment: Segment::from_scores(r, f, m),
    }
}

/// 1 + the number of breakpoints strictly below `value`; NaN compares below nothing, so 1.
fn bucket(breakpoints: &[f64; 4], value: f64) -> u8 {
    let mut bucket = 1;
    for &b in breakpoints {
        if b < value {
            bucket += 1;
        }
    }
    bucket
}

/// Named RFM segments; the rule map is the grid in the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Champions,
    Loyal,
    PotentialLoyalist,
    New,
    Promising,
    NeedAttention,
    AboutToSleep,
    AtRisk,
    CantLoseThem,
    Hibernating,
    Lost,
}

impl Segment {
    pub const ALL: &'static [Segment] = &[
        Segment::Champions,
        Segment::Loyal,
        Segment::PotentialLoyalist,
        Segment::New,
        Segment::Promising,
        Segment::NeedAttention,
        Segment::AboutToSleep,
        Segment::AtRisk,
        Segment::CantLoseThem,
        Segment::Hibernating,
        Segment::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Champions => "champions",
            Self::Loyal => "loyal",
            Self::PotentialLoyalist => "potential_loyalist",
            Self::New => "new",
            Self::Promising => "promising",
            Self::NeedAttention => "need_attention",
            Self::AboutToSleep => "about_to_sleep",
            Self::AtRisk => "at_risk",
            Self::CantLoseThem => "cant_lose_them",
            Self::Hibernating => "hibernating",
            Self::Lost => "lost",
        }
    }

    /// For people: "Can't Lose Them".
    pub fn label(self) -> &'static str {
        match self {
            Self::Champions => "Champions",
            Self::Loyal => "Loyal",
            Self::PotentialLoyalist => "Potential Loyalist",
            Self::New => "New",
            Self::Promising => "Promising",
            Self::NeedAttention => "Need Attention",
            Self::AboutToSleep => "About to Sleep",
            Self::AtRisk => "At Risk",
            Self::CantLoseThem => "Can't Lose Them",
            Self::Hibernating => "Hibernating",
            Self::Lost => "Lost",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.as_str() == text)
    }

    /// The grid in the module documentation. Scores outside 1..=5 are clamped to it.
    pub fn from_scores(r: u8, f: u8, m: u8) -> Self {
        use Segment::*;
        // Rows R = 1..=5, columns FM = 1..=5: the module documentation's table upside down.
        #[rustfmt::skip]
        const GRID: [[Segment; 5]; 5] = [
            [Lost,         Lost,              AtRisk,            CantLoseThem, CantLoseThem],
            [Hibernating,  Hibernating,       AtRisk,            AtRisk,       AtRisk],
            [AboutToSleep, AboutToSleep,      NeedAttention,     Loyal,        Loyal],
            [Promising,    PotentialLoyalist, PotentialLoyalist, Loyal,        Champions],
            [New,          PotentialLoyalist, PotentialLoyalist, Champions,    Champions],
        ];
        let r = r.clamp(1, 5);
        // The average of f and m, rounded half up.
        let fm = (f.clamp(1, 5) + m.clamp(1, 5)).div_ceil(2);
        GRID.get(usize::from(r - 1))
            .and_then(|row| row.get(usize::from(fm - 1)))
            .copied()
            .unwrap_or(Lost)
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Type 7 by the book, on a sorted copy.
    fn reference(values: &[f64]) -> [f64; 4] {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        [0.2, 0.4, 0.6, 0.8].map(|p| {
            let h = (n - 1) as f64 * p;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - h.floor()) * (sorted[hi] - sorted[lo])
        })
    }

    #[test]
    fn quintiles_match_a_sort_based_type_7() {
        for n in 1..=60usize {
            // A deterministic shuffle with ties.
            let values: Vec<f64> = (0..n).map(|i| ((i * 37 + 11) % 17) as f64).collect();
            let got = quintiles(&mut values.clone());
            let want = reference(&values);
            for (g, w) in got.iter().zip(want) {
                assert!((g - w).abs() < 1e-9, "n = {n}: {got:?} vs {want:?}");
            }
        }
    }

    #[test]
    fn numpy_example() {
        // numpy.quantile([1..=10], [.2, .4, .6, .8]) = [2.8, 4.6, 6.4, 8.2]
        let mut v: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        let q = quintiles(&mut v);
        for (g, w) in q.iter().zip([2.8, 4.6, 6.4, 8.2]) {
            assert!((g - w).abs() < 1e-12, "{q:?}");
        }
    }

    #[test]
    fn segment_names_round_trip() {
        assert_eq!(Segment::ALL.len(), 11);
        for &s in Segment::ALL {
            assert_eq!(Segment::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        assert_eq!(Segment::CantLoseThem.label(), "Can't Lose Them");
    }
}
