//! Customer lifetime value from BG/NBD + Gamma-Gamma, one customer or a whole base in parallel.

// `CLV = Σ_{k=1..H} spend · margin · (E[Y](k months) - E[Y]((k-1) months)) / (1+d)^k`,
// the discounted-cash-flow form of the `lifetimes` library (its month is
// 30.415 days = 4.345 weeks, see [`TimeUnit`]).

use std::collections::HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::bgnbd::{BgNbdParams, Scratch};
use super::gamma_gamma::GammaGammaParams;
use super::purchase::{PurchaseParams, PurchaseScratch};
use super::{CustomerSummary, ModelError, TimeUnit};

/// How CLV is computed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClvSettings {
    /// Number of months `H` summed over.
    pub months: u32,
    /// Monthly discount rate `d` (0.01 = 1% a month); must be > -1.
    pub monthly_discount: f64,
    /// Profit margin applied to spend (1.0 = CLV in revenue).
    pub margin: f64,
    /// Length of a month in the model's time unit (e.g. `TimeUnit::Weeks.month_len()`).
    pub month_len: f64,
}

impl ClvSettings {
    pub fn new(months: u32, monthly_discount: f64, margin: f64, unit: TimeUnit) -> Self {
        Self {
            months,
            monthly_discount,
            margin,
            month_len: unit.month_len(),
        }
    }

    pub fn validate(&self) -> Result<(), ModelError> {
        if !(self.monthly_discount.is_finite() && self.monthly_discount > -1.0) {
            return Err(ModelError::InvalidOption {
                name: "monthly_discount",
                value: self.monthly_discount,
            });
        }
        if !self.margin.is_finite() {
            return Err(ModelError::InvalidOption {
                name: "margin",
                value: self.margin,
            });
        }
        if !(self.month_len.is_finite() && self.month_len > 0.0) {
            return Err(ModelError::InvalidOption {
                name: "month_len",
                value: self.month_len,
            });
        }
        Ok(())
    }

    /// Horizons `k * month_len`, `k = 1..=months`.
    fn horizons(&self) -> impl Iterator<Item = f64> + '_ {
        (1..=self.months).map(|k| f64::from(k) * self.month_len)
    }
}

/// CLV of one customer with mean repeat-purchase value `m` (ignored when `x == 0`).
///
/// Increments of expected purchases are floored at 0 (they are non-negative in
/// exact arithmetic), so the CLV has the sign of `margin`.
pub fn lifetime_value(
    bg: &BgNbdParams,
    gg: &GammaGammaParams,
    c: &CustomerSummary,
    m: f64,
    settings: &ClvSettings,
) -> Result<f64, ModelError> {
    bg.validate()?;
    gg.validate()?;
    settings.validate()?;
    check_customer(c, m)?;
    let horizons: Vec<f64> = settings.horizons().collect();
    let mut out = vec![0.0; horizons.len()];
    bg.expected_purchases_many(c, &horizons, &mut out, &mut Scratch::default());
    let spend = gg.expected_average_spend(c.x, m);
    Ok(discounted(
        &out,
        spend * settings.margin,
        settings.monthly_discount,
    ))
}

/// CLV of one customer whose expected order value is already known (`spend`, e.g.
/// from [`GammaGammaParams::expected_average_spend`]): the same sum as
/// [`lifetime_value`].
pub fn lifetime_value_of_spend(
    bg: &BgNbdParams,
    c: &CustomerSummary,
    spend: f64,
    settings: &ClvSettings,
) -> Result<f64, ModelError> {
    bg.validate()?;
    settings.validate()?;
    c.validate()?;
    if !(spend.is_finite() && spend >= 0.0) {
        return Err(ModelError::NonPositiveMonetary { value: spend });
    }
    let horizons: Vec<f64> = settings.horizons().collect();
    let mut out = vec![0.0; horizons.len()];
    bg.expected_purchases_many(c, &horizons, &mut out, &mut Scratch::default());
    Ok(discounted(
        &out,
        spend * settings.margin,
        settings.monthly_discount,
    ))
}

/// [`lifetime_value_of_spend`] with any of the purchase models.
pub fn lifetime_value_with(
    model: &PurchaseParams,
    c: &CustomerSummary,
    spend: f64,
    settings: &ClvSettings,
) -> Result<f64, ModelError> {
    model.validate()?;
    settings.validate()?;
    c.validate()?;
    if !(spend.is_finite() && spend >= 0.0) {
        return Err(ModelError::NonPositiveMonetary { value: spend });
    }
    let horizons: Vec<f64> = settings.horizons().collect();
    let mut out = vec![0.0; horizons.len()];
    model.expected_purchases_many(c, &horizons, &mut out, &mut PurchaseScratch::default());
    Ok(discounted(
        &out,
        spend * settings.margin,
        settings.monthly_discount,
    ))
}

fn check_customer(c: &CustomerSummary, m: f64) -> Result<(), ModelError> {
    c.validate()?;
    if c.x > 0.0 && !(m.is_finite() && m > 0.0) {
        return Err(ModelError::NonPositiveMonetary { value: m });
    }
    Ok(())
}

/// `Σ_k value · max(E_k - E_{k-1}, 0) / (1+d)^k` with `E_0 = 0`.
fn discounted(cumulative: &[f64], value: f64, d: f64) -> f64 {
    let step = 1.0 / (1.0 + d);
    let mut factor = 1.0;
    let mut previous = 0.0;
    let mut total = 0.0;
    for &e in cumulative {
        factor *= step;
        total += (e - previous).max(0.0) * factor;
        previous = e;
    }
    let clv = value * total;
    if clv.is_finite() {
        clv
    } else {
        0.0
    }
}

/// Settings of [`score_all`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoreSettings {
    /// Horizon of `expected_purchases`, in model time units.
    pub horizon: f64,
    pub clv: ClvSettings,
}

/// Scores of one customer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerScore {
    pub p_alive: f64,
    /// Expected purchases over `ScoreSettings::horizon`.
    pub expected_purchases: f64,
    /// Gamma-Gamma expected mean transaction value.
    pub expected_spend: f64,
    pub clv: f64,
}

/// Scores every customer (in parallel); `monetary[i]` is the mean repeat-purchase
/// value of `customers[i]` (ignored when `x == 0`). Output is in input order.
pub fn score_all(
    bg: &BgNbdParams,
    gg: &GammaGammaParams,
    customers: &[CustomerSummary],
    monetary: &[f64],
    settings: &ScoreSettings,
) -> Result<Vec<CustomerScore>, ModelError> {
    bg.validate()?;
    gg.validate()?;
    settings.clv.validate()?;
    if !(settings.horizon.is_finite() && settings.horizon >= 0.0) {
        return Err(ModelError::InvalidOption {
            name: "horizon",
            value: settings.horizon,
        });
    }
    if monetary.len() != customers.len() {
        return Err(ModelError::LengthMismatch {
            what: "monetary values",
            expected: customers.len(),
            got: monetary.len(),
        });
    }
    // Month ends first, the scoring horizon last: the series for all horizons are
    // summed together and the shorter ones drop out first when in increasing order.
    let mut horizons: Vec<f64> = settings.clv.horizons().collect();
    horizons.push(settings.horizon);
    let scorer = Scorer {
        bg,
        gg,
        horizons: &horizons,
        months: horizons.len() - 1,
        margin: settings.clv.margin,
        discount: settings.clv.monthly_discount,
    };
    let n = customers.len();
    // A few chunks per thread: big enough for the per-chunk cache to pay off,
    // small enough to balance the load.
    let chunk = n
        .div_ceil(4 * rayon::current_num_threads().max(1))
        .max(4096);
    let mut scores = vec![CustomerScore::default(); n];
    scores
        .par_chunks_mut(chunk)
        .zip(customers.par_chunks(chunk))
        .zip(monetary.par_chunks(chunk))
        .enumerate()
        .try_for_each(|(ci, ((out, cs), ms))| scorer.chunk(ci * chunk, out, cs, ms))?;
    Ok(scores)
}

/// Customers with the same `(x, T)` (common: ages are whole days) share the
/// expected purchases given alive at every horizon; only P(alive) depends on
/// `t_x`. Each chunk remembers up to this many distinct `(x, T)`.
const CACHE_ENTRIES: usize = 1 << 15;

struct Scorer<'a> {
    bg: &'a BgNbdParams,
    gg: &'a GammaGammaParams,
    horizons: &'a [f64],
    months: usize,
    margin: f64,
    discount: f64,
}

impl Scorer<'_> {
    fn chunk(
        &self,
        first: usize,
        out: &mut [CustomerScore],
        customers: &[CustomerSummary],
        monetary: &[f64],
    ) -> Result<(), ModelError> {
        let lanes = self.horizons.len();
        let mut scratch = Scratch::default();
        let mut cache: HashMap<(u64, u64), usize> = HashMap::new();
        let mut arena: Vec<f64> = Vec::new();
        let mut fresh = vec![0.0; lanes];
        let mut expected = vec![0.0; lanes];
        for (i, ((slot, c), &m)) in out.iter_mut().zip(customers).zip(monetary).enumerate() {
            check_customer(c, m).map_err(|e| e.at(first + i))?;
            let key = (c.x.to_bits(), c.t.to_bits());
            let if_alive: &[f64] = match cache.get(&key) {
                Some(&at) => arena.get(at..at + lanes).unwrap_or(&[]),
                None => {
                    self.bg.expected_if_alive_many(
                        c.x,
                        c.t,
                        self.horizons,
                        &mut fresh,
                        &mut scratch,
                    );
                    if cache.len() < CACHE_ENTRIES {
                        cache.insert(key, arena.len());
                        arena.extend_from_slice(&fresh);
                    }
                    &fresh
                }
            };
            let p_alive = self.bg.p_alive(c);
            for (e, a) in expected.iter_mut().zip(if_alive) {
                *e = p_alive * a;
            }
            let expected_spend = self.gg.expected_average_spend(c.x, m);
            let (month_ends, horizon) = expected.split_at(self.months.min(lanes));
            *slot = CustomerScore {
                p_alive,
                expected_purchases: horizon.first().copied().unwrap_or(0.0),
                expected_spend,
                clv: discounted(month_ends, expected_spend * self.margin, self.discount),
            };
        }
        Ok(())
    }
}
