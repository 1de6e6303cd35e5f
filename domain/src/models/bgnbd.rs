//! BG/NBD model (Fader, Hardie & Lee 2005): fit by maximum likelihood, P(alive), expected purchases.

// Parameters: purchase rates `λ ~ Gamma(r, α)` (shape, rate), drop-out
// probability after each purchase `p ~ Beta(a, b)`.
//
// Fitting groups identical `(x, t_x, T)` rows, keeps the `x`-only terms
// (log-gammas, digammas) in a per-distinct-`x` table, so the per-customer work of
// one likelihood-plus-gradient pass is two logs, one exp and one log1p, summed in
// parallel. Large inputs are first fitted on a regular sub-sample from several
// starting points, then polished on all the data starting from that optimum and
// its inverse-Hessian estimate, which needs only a handful of full passes.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::optimize::{bfgs, Minimum};
use super::special::{digamma, hyp2f1_excess, ln_gamma};
use super::{check_param, CustomerSummary, FitOptions, FitReport, ModelError};

/// Fitted BG/NBD parameters, in the time unit of the data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    /// Shape of the Gamma distribution of purchase rates.
    pub r: f64,
    /// Rate (inverse scale) of the Gamma distribution of purchase rates, in time units.
    pub alpha: f64,
    /// First shape of the Beta distribution of drop-out probabilities.
    pub a: f64,
    /// Second shape of the Beta distribution of drop-out probabilities.
    pub b: f64,
}

const NAMES: [&str; 4] = ["r", "alpha", "a", "b"];
/// The optimiser may not leave `|ln θ| <= LOG_BOUND`; a fit that ends beyond
/// `LOG_DEGENERATE` is a parameter running off to 0 or infinity.
const LOG_BOUND: f64 = 30.0;
const LOG_DEGENERATE: f64 = 16.0;
/// Above this many distinct rows the fit starts on a sub-sample of about `SUBSAMPLE` rows.
const SUBSAMPLE_ABOVE: usize = 60_000;
const SUBSAMPLE: usize = 30_000;
const CHUNK: usize = 8192;

impl BgNbdParams {
    /// Checks that every parameter is finite and positive.
    pub fn new(r: f64, alpha: f64, a: f64, b: f64) -> Result<Self, ModelError> {
        let p = Self { r, alpha, a, b };
        p.validate()?;
        Ok(p)
    }

    pub fn validate(&self) -> Result<(), ModelError> {
        check_param("r", self.r)?;
        check_param("alpha", self.alpha)?;
        check_param("a", self.a)?;
        check_param("b", self.b)
    }

    /// Probability that the customer is still active at the end of the observation
    /// window. Customers without repeat purchases are alive with probability 1 (in
    /// BG/NBD one can only drop out right after a purchase).
    ///
    /// Assumes valid parameters and a valid summary (see [`CustomerSummary::new`]).
    pub fn p_alive(&self, c: &CustomerSummary) -> f64 {
        if c.x <= 0.0 {
            return 1.0;
        }
        let log_odds = self.a.ln() - (self.b + c.x - 1.0).ln()
            + (self.r + c.x) * ((c.t - c.t_x) / (self.alpha + c.t_x)).ln_1p();
        let p = 1.0 / (1.0 + log_odds.exp());
        if p.is_nan() {
            0.0
        } else {
            p
        }
    }

    /// `E[Y(horizon) | x, t_x, T]`: expected purchases in the next `horizon` time
    /// units. A horizon that is not a positive finite number gives 0.
    pub fn expected_purchases(&self, c: &CustomerSummary, horizon: f64) -> f64 {
        if !(horizon > 0.0 && horizon.is_finite()) {
            return 0.0;
        }
        self.p_alive(c) * self.expected_if_alive(c.x, horizon / (self.alpha + c.t))
    }

    /// `E[X(t)]`: expected repeat purchases of a new customer in her first `t`
    /// time units. A `t` that is not a positive finite number gives 0.
    pub fn expected_purchases_unconditional(&self, t: f64) -> f64 {
        if !(t > 0.0 && t.is_finite()) {
            return 0.0;
        }
        // Same expression as the conditional one with x = 0, T = 0.
        self.expected_if_alive(0.0, t / self.alpha)
    }

    /// Log-likelihood of the data (sum over customers, as reported by the papers).
    pub fn log_likelihood(&self, customers: &[CustomerSummary]) -> Result<f64, ModelError> {
        self.validate()?;
        let data = Groups::build(customers, None)?;
        let theta = self.log_params();
        let mut grad = [0.0; 4];
        let (ll, _) = data.log_likelihood(&theta, &mut grad);
        Ok(ll)
    }

    fn log_params(&self) -> [f64; 4] {
        [self.r.ln(), self.alpha.ln(), self.a.ln(), self.b.ln()]
    }

    /// Expected purchases of a customer known to be alive, with `x` repeat
    /// purchases, over `tau = horizon / (α + T)`.
    ///
    /// Paper eq. 10 after the Euler transformation of its 2F1 (which turns the
    /// divergent-looking `2F1(r+x, b+x; a+b+x-1; z)` into one whose parameters do
    /// not grow with `x`) and with the `1/(a-1)` factor cancelled analytically:
    /// `C (-L) expm1(BL)/(BL) - e^{BL} H`, `L = ln(1-z)`, `B = a-1`,
    /// `C = a+b+x-1`, `H = C (2F1(a+b-1-r, a-1; C; z) - 1)/(a-1)`.
    pub(crate) fn expected_if_alive(&self, x: f64, tau: f64) -> f64 {
        let k = self.kernel(x);
        let lane = k.lane(tau);
        let h = hyp2f1_excess(k.big_a, k.big_b, k.big_c, lane.z, lane.scale());
        lane.combine(h)
    }

    fn kernel(&self, x: f64) -> Kernel {
        Kernel {
            big_a: self.a + self.b - 1.0 - self.r,
            big_b: self.a - 1.0,
            big_c: self.a + self.b + x - 1.0,
        }
    }

    /// Expected purchases at several horizons (`out[i]` for `horizons[i]`).
    /// Returns P(alive).
    pub(crate) fn expected_purchases_many(
        &self,
        c: &CustomerSummary,
        horizons: &[f64],
        out: &mut [f64],
        scratch: &mut Scratch,
    ) -> f64 {
        let alive = self.p_alive(c);
        self.expected_if_alive_many(c.x, c.t, horizons, out, scratch);
        out.iter_mut().for_each(|o| *o *= alive);
        alive
    }

    /// Expected purchases of a customer known to be alive, with `x` repeat
    /// purchases and age `t`, at several horizons, sharing the hypergeometric term
    /// ratios across horizons. It does not depend on `t_x`, so scoring can reuse it
    /// for all customers with the same `(x, T)`.
    pub(crate) fn expected_if_alive_many(
        &self,
        x: f64,
        t: f64,
        horizons: &[f64],
        out: &mut [f64],
        scratch: &mut Scratch,
    ) {
        let k = self.kernel(x);
        scratch.lanes.clear();
        scratch.zs.clear();
        scratch.leads.clear();
        scratch.weights.clear();
        let per_time = 1.0 / (self.alpha + t);
        for &h in horizons {
            let tau = if h > 0.0 && h.is_finite() {
                h * per_time
            } else {
                0.0
            };
            let lane = k.lane(tau);
            scratch.zs.push(lane.z);
            scratch.leads.push(lane.lead.abs());
            scratch.weights.push(lane.weight);
            scratch.lanes.push(lane);
        }
        let converged = k.sum_lanes(
            &scratch.zs,
            &scratch.leads,
            &scratch.weights,
            &mut scratch.terms,
            &mut scratch.sums,
        );
        for (i, lane) in scratch.lanes.iter().enumerate() {
            let h = match scratch.sums.get(i) {
                Some(h) if converged => *h,
                _ => hyp2f1_excess(k.big_a, k.big_b, k.big_c, lane.z, lane.scale()),
            };
            if let Some(o) = out.get_mut(i) {
                *o = lane.combine(h);
            }
        }
    }
}

/// Reusable buffers for [`BgNbdParams::expected_purchases_many`] (one per thread).
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    lanes: Vec<Lane>,
    zs: Vec<f64>,
    leads: Vec<f64>,
    weights: Vec<f64>,
    terms: Vec<f64>,
    sums: Vec<f64>,
}

/// Parameters of the Euler-transformed 2F1 for one `x`.
#[derive(Debug, Clone, Copy)]
struct Kernel {
    big_a: f64,
    big_b: f64,
    big_c: f64,
}

/// One horizon: `z`, the leading term and the weight of the series.
#[derive(Debug, Clone, Copy)]
struct Lane {
    z: f64,
    lead: f64,
    weight: f64,
}

impl Lane {
    /// `|lead| / weight`: how large the series is relevant against.
    fn scale(&self) -> f64 {
        if self.weight > 0.0 {
            self.lead.abs() / self.weight
        } else {
            f64::INFINITY
        }
    }

    fn combine(&self, h: f64) -> f64 {
        let v = if self.weight == 0.0 {
            self.lead
        } else {
            self.lead - self.weight * h
        };
        // Exact value is >= 0; rounding may leave a hair below, NaN cannot be
        // produced by valid inputs but is mapped to 0 rather than propagated.
        if v > 0.0 {
            v
        } else {
            0.0
        }
    }
}

/// Relative accuracy of each horizon's series (the values feed sums of money,
/// 1e-14 is far below anything that shows).
const SERIES_EPS: f64 = 1e-14;
const LANE_TERMS: usize = 512;
const RATIO_BLOCK: usize = 8;

impl Kernel {
    fn lane(&self, tau: f64) -> Lane {
        if tau <= 0.0 {
            return Lane {
                z: 0.0,
                lead: 0.0,
                weight: 0.0,
            };
        }
        let one_minus_z = 1.0 / (1.0 + tau);
        let mut z = tau * one_minus_z;
        if z >= 1.0 {
            z = 1.0 - f64::EPSILON / 2.0;
        }
        let l = -tau.ln_1p();
        let (weight, em1) = exp_and_expm1(self.big_b * l);
        // C (-L) expm1(BL) / (BL) = -C expm1(BL) / B, exact to rounding since
        // expm1 keeps its relative accuracy for small arguments.
        let lead = if self.big_b == 0.0 {
            -self.big_c * l
        } else {
            -self.big_c / self.big_b * em1
        };
        Lane { z, lead, weight }
    }

    /// Sums `H` for all lanes at once with the plain Gauss series: the term ratio
    /// (one division) is shared by all horizons and the per-lane update is a
    /// vectorisable multiply-add. Returns false when some lane did not converge
    /// within `LANE_TERMS` terms; the caller then takes the robust path.
    fn sum_lanes(
        &self,
        zs: &[f64],
        leads: &[f64],
        weights: &[f64],
        terms: &mut Vec<f64>,
        sums: &mut Vec<f64>,
    ) -> bool {
        let n = zs.len().min(leads.len()).min(weights.len());
        terms.clear();
        terms.extend(zs.iter().map(|z| self.big_a * z));
        sums.clear();
        sums.extend_from_slice(terms);
        let (zs, leads, weights) = (&zs[..n], &leads[..n], &weights[..n]);
        let (terms, sums) = (&mut terms[..n], &mut sums[..n]);
        let settled = (-self.big_a)
            .max(-self.big_b)
            .max(-self.big_c)
            .max(0.0)
            .ceil()
            + 1.0;
        // Term ratios are computed a block ahead so that the divisions pipeline
        // instead of each one stalling the lane updates.
        let mut ratios = [0.0_f64; RATIO_BLOCK];
        let mut k = 1.0_f64;
        // Lanes come in increasing horizon, hence increasing z, and converge in that
        // order: lanes below `lo` are finished and no longer updated.
        let mut lo = 0;
        for block in 0..LANE_TERMS / RATIO_BLOCK {
            let mut kk = k;
            for r in ratios.iter_mut() {
                *r = (self.big_a + kk) * (self.big_b + kk) / ((self.big_c + kk) * (kk + 1.0));
                kk += 1.0;
            }
            for (i, &ratio) in ratios.iter().enumerate() {
                if k > settled && (block * RATIO_BLOCK + i) % 4 == 0 {
                    let grow = ratio.max(1.0);
                    while lo < n {
                        let rho = zs[lo] * grow;
                        // Tail bound against |sum| + |lead| / weight, multiplied out.
                        let finished = terms[lo] == 0.0
                            || (rho < 1.0
                                && terms[lo].abs() * rho * weights[lo]
                                    <= SERIES_EPS
                                        * (1.0 - rho)
                                        * (sums[lo].abs() * weights[lo] + leads[lo]));
                        if !finished {
                            break;
                        }
                        lo += 1;
                    }
                    if lo == n {
                        return true;
                    }
                }
                for (t, (s, z)) in terms[lo..]
                    .iter_mut()
                    .zip(sums[lo..].iter_mut().zip(&zs[lo..]))
                {
                    *t *= ratio * z;
                    *s += *t;
                }
                k += 1.0;
            }
        }
        false
    }
}

/// `(e^u, e^u - 1)`, each to full relative accuracy: a Taylor polynomial near 0
/// (where `exp(u) - 1` would cancel; markedly cheaper than libm's `expm1` in the
/// scoring loop) and `exp` elsewhere (where `1 + expm1(u)` would cancel for
/// very negative `u`).
fn exp_and_expm1(u: f64) -> (f64, f64) {
    if u.abs() < 0.1 {
        // Taylor series to u^10 (error below 0.1^11 / 11!, relative: beyond f64
        // precision), in Estrin's form to keep the dependency chain short.
        const C: [f64; 10] = [
            1.0,
            1.0 / 2.0,
            1.0 / 6.0,
            1.0 / 24.0,
            1.0 / 120.0,
            1.0 / 720.0,
            1.0 / 5_040.0,
            1.0 / 40_320.0,
            1.0 / 362_880.0,
            1.0 / 3_628_800.0,
        ];
        let u2 = u * u;
        let u4 = u2 * u2;
        let u8 = u4 * u4;
        let q0 = (C[0] + C[1] * u) + (C[2] + C[3] * u) * u2;
        let q1 = (C[4] + C[5] * u) + (C[6] + C[7] * u) * u2;
        let poly = q0 + q1 * u4 + (C[8] + C[9] * u) * u8;
        let em1 = u * poly;
        (1.0 + em1, em1)
    } else {
        let e = u.exp();
        (e, e - 1.0)
    }
}

/// Fits BG/NBD by maximum likelihood. See [`fit_weighted`].
pub fn fit(
    customers: &[CustomerSummary],
    opts: &FitOptions,
) -> Result<FitReport<BgNbdParams>, ModelError> {
    fit_weighted(customers, None, opts)
}

/// Fits BG/NBD by maximum likelihood, each customer counted `weights[i]` times
/// (positive, finite; `None` = all 1). Identical rows are grouped internally, so
/// there is no need to pre-aggregate.
///
/// Errors: invalid options, invalid customer (with its index), no customers,
/// nobody with a repeat purchase, or a parameter running off to 0 or infinity
/// (data that do not identify the model, e.g. a single customer).
pub fn fit_weighted(
    customers: &[CustomerSummary],
    weights: Option<&[f64]>,
    opts: &FitOptions,
) -> Result<FitReport<BgNbdParams>, ModelError> {
    opts.validate()?;
    let data = Groups::build(customers, weights)?;
    if data.repeat_weight <= 0.0 {
        return Err(ModelError::NoRepeatPurchases);
    }
    let penalizer = opts.penalizer;
    let starts = data.starting_points();

    let mut best: Option<Minimum> = None;
    let run = |d: &Groups, x0: &[f64], h0: Option<&[f64]>| {
        bfgs(
            |theta, grad| d.objective(theta, penalizer, grad),
            x0,
            h0,
            opts.max_iterations,
            opts.tolerance,
        )
    };
    let first_stage = if data.len() > SUBSAMPLE_ABOVE {
        Some(data.subsample(data.len() / SUBSAMPLE))
    } else {
        None
    };
    let stage = first_stage.as_ref().unwrap_or(&data);
    for x0 in &starts {
        let m = run(stage, x0, None);
        if m.f.is_finite() && best.as_ref().is_none_or(|b| m.f < b.f) {
            best = Some(m);
        }
    }
    let mut best = best.ok_or(ModelError::NoFiniteLikelihood)?;
    if first_stage.is_some() {
        let polished = run(&data, &best.x, Some(&best.inv_hessian));
        if !polished.f.is_finite() {
            return Err(ModelError::NoFiniteLikelihood);
        }
        best = polished;
    }
    for (name, value) in NAMES.iter().zip(&best.x) {
        if value.abs() > LOG_DEGENERATE {
            return Err(ModelError::Degenerate {
                parameter: name,
                value: value.exp(),
            });
        }
    }
    let theta = [best.x[0], best.x[1], best.x[2], best.x[3]];
    let mut grad = [0.0; 4];
    let (log_likelihood, _) = data.log_likelihood(&theta, &mut grad);
    if !log_likelihood.is_finite() {
        return Err(ModelError::NoFiniteLikelihood);
    }
    Ok(FitReport {
        params: BgNbdParams {
            r: theta[0].exp(),
            alpha: theta[1].exp(),
            a: theta[2].exp(),
            b: theta[3].exp(),
        },
        log_likelihood,
        iterations: best.iterations,
        converged: best.converged,
        customers: customers.len(),
    })
}

/// Distinct `(x, t_x, T)` rows with summed weights, sorted by `x`.
#[derive(Debug, Clone, Default)]
struct Groups {
    /// Index into `xs` of each row.
    xid: Vec<usize>,
    t_x: Vec<f64>,
    t: Vec<f64>,
    w: Vec<f64>,
    /// Distinct `x` values and their total weight.
    xs: Vec<f64>,
    wx: Vec<f64>,
    total_weight: f64,
    repeat_weight: f64,
}

/// Per-distinct-`x` terms of one likelihood evaluation.
#[derive(Debug, Clone, Copy, Default)]
struct XTerms {
    x: f64,
    /// `r + x`
    rx: f64,
    /// `ln a - ln(b + x - 1)` (x > 0)
    log_ratio: f64,
    /// `1 / (b + x - 1)` (x > 0)
    inv_bx: f64,
}

impl Groups {
    fn build(customers: &[CustomerSummary], weights: Option<&[f64]>) -> Result<Self, ModelError> {
        if let Some(w) = weights {
            if w.len() != customers.len() {
                return Err(ModelError::LengthMismatch {
                    what: "weights",
                    expected: customers.len(),
                    got: w.len(),
                });
            }
        }
        let mut rows: Vec<(f64, f64, f64, f64)> = Vec::with_capacity(customers.len());
        for (i, c) in customers.iter().enumerate() {
            c.validate().map_err(|e| e.at(i))?;
            let w = match weights {
                Some(w) => w.get(i).copied().unwrap_or(1.0),
                None => 1.0,
            };
            if !(w.is_finite() && w > 0.0) {
                return Err(ModelError::InvalidWeight { value: w }.at(i));
            }
            rows.push((c.x, c.t_x, c.t, w));
        }
        if rows.is_empty() {
            return Err(ModelError::EmptyData);
        }
        rows.par_sort_unstable_by(|p, q| {
            p.0.total_cmp(&q.0)
                .then(p.1.total_cmp(&q.1))
                .then(p.2.total_cmp(&q.2))
        });
        let mut g = Groups::default();
        let mut last: Option<(f64, f64, f64)> = None;
        for (x, t_x, t, w) in rows {
            g.total_weight += w;
            if x > 0.0 {
                g.repeat_weight += w;
            }
            if last == Some((x, t_x, t)) {
                if let Some(acc) = g.w.last_mut() {
                    *acc += w;
                }
                if let Some(acc) = g.wx.last_mut() {
                    *acc += w;
                }
                continue;
            }
            if g.xs.last() != Some(&x) {
                g.xs.push(x);
                g.wx.push(0.0);
            }
            if let Some(acc) = g.wx.last_mut() {
                *acc += w;
            }
            g.xid.push(g.xs.len() - 1);
            g.t_x.push(t_x);
            g.t.push(t);
            g.w.push(w);
            last = Some((x, t_x, t));
        }
        Ok(g)
    }

    fn len(&self) -> usize {
        self.w.len()
    }

    /// Every `step`-th row: an unbiased (weighted) sample, since rows are kept
    /// regardless of their weight.
    fn subsample(&self, step: usize) -> Groups {
        let step = step.max(1);
        let mut g = Groups {
            xs: self.xs.clone(),
            wx: vec![0.0; self.xs.len()],
            ..Groups::default()
        };
        for i in (0..self.len()).step_by(step) {
            let (xid, w) = (self.xid[i], self.w[i]);
            g.xid.push(xid);
            g.t_x.push(self.t_x[i]);
            g.t.push(self.t[i]);
            g.w.push(w);
            g.wx[xid] += w;
            g.total_weight += w;
            if self.xs[xid] > 0.0 {
                g.repeat_weight += w;
            }
        }
        g
    }

    /// Log-parameter starting points: `lifetimes`' all-ones and two scaled to the
    /// observed purchase rate.
    fn starting_points(&self) -> Vec<Vec<f64>> {
        let mut purchases = 0.0;
        let mut exposure = 0.0;
        for i in 0..self.len() {
            purchases += self.w[i] * self.xs[self.xid[i]];
            exposure += self.w[i] * self.t[i];
        }
        let rate = if exposure > 0.0 && purchases > 0.0 {
            purchases / exposure
        } else {
            1.0
        };
        let at = |r: f64, a: f64, b: f64| vec![r.ln(), (r / rate).ln(), a.ln(), b.ln()];
        vec![vec![0.0; 4], at(0.5, 1.0, 3.0), at(2.0, 0.5, 1.0)]
    }

    /// Negative mean log-likelihood plus penalty, and its gradient w.r.t. the
    /// log-parameters; infinity where not evaluable.
    fn objective(&self, theta: &[f64], penalizer: f64, grad: &mut [f64]) -> f64 {
        if theta.len() != 4 || theta.iter().any(|v| v.is_nan() || v.abs() > LOG_BOUND) {
            return f64::INFINITY;
        }
        let th = [theta[0], theta[1], theta[2], theta[3]];
        let mut dll = [0.0; 4];
        let (ll, ok) = self.log_likelihood(&th, &mut dll);
        if !ok || !ll.is_finite() || self.total_weight <= 0.0 {
            return f64::INFINITY;
        }
        let mut f = -ll / self.total_weight;
        for i in 0..4 {
            let p = th[i].exp();
            f += penalizer * p * p;
            grad[i] = (-dll[i] / self.total_weight + 2.0 * penalizer * p) * p;
        }
        if f.is_finite() && grad.iter().all(|g| g.is_finite()) {
            f
        } else {
            f64::INFINITY
        }
    }

    /// Weighted log-likelihood sum and its gradient w.r.t. `(r, α, a, b)`.
    fn log_likelihood(&self, theta: &[f64; 4], grad: &mut [f64; 4]) -> (f64, bool) {
        let [r, alpha, a, b] = theta.map(f64::exp);
        let (ln_alpha, ln_a) = (alpha.ln(), a.ln());
        let (lg_r, lg_ab, lg_b) = (ln_gamma(r), ln_gamma(a + b), ln_gamma(b));
        let (dg_r, dg_ab, dg_b) = (digamma(r), digamma(a + b), digamma(b));
        // x-only terms, weighted by the total weight of each x.
        let mut ll = 0.0;
        let mut g = [0.0; 4];
        let table: Vec<XTerms> = self
            .xs
            .iter()
            .zip(&self.wx)
            .map(|(&x, &wx)| {
                let a1 = ln_gamma(r + x) - lg_r + r * ln_alpha;
                let a2 = lg_ab + ln_gamma(b + x) - lg_b - ln_gamma(a + b + x);
                ll += wx * (a1 + a2);
                g[0] += wx * (digamma(r + x) - dg_r + ln_alpha);
                g[1] += wx * r / alpha;
                let dg_abx = digamma(a + b + x);
                g[2] += wx * (dg_ab - dg_abx);
                g[3] += wx * (dg_ab + digamma(b + x) - dg_b - dg_abx);
                let (log_ratio, inv_bx) = if x > 0.0 {
                    (ln_a - (b + x - 1.0).ln(), 1.0 / (b + x - 1.0))
                } else {
                    (0.0, 0.0)
                };
                XTerms {
                    x,
                    rx: r + x,
                    log_ratio,
                    inv_bx,
                }
            })
            .collect();

        let n = self.len();
        let chunk_sum = |lo: usize, hi: usize| -> [f64; 5] {
            let mut acc = [0.0; 5];
            for i in lo..hi {
                let tx = &table[self.xid[i]];
                let w = self.w[i];
                let at = alpha + self.t[i];
                let lat = at.ln();
                if tx.x <= 0.0 {
                    acc[0] -= w * r * lat;
                    acc[1] -= w * lat;
                    acc[2] -= w * r / at;
                    continue;
                }
                let ax = alpha + self.t_x[i];
                let lax = ax.ln();
                let a3 = -tx.rx * lat;
                let d = tx.log_ratio + tx.rx * (lat - lax);
                // log(e^A3 + e^A4) = A3 + softplus(A4 - A3); pi = weight of A4.
                let e = (-d.abs()).exp();
                let softplus = d.max(0.0) + e.ln_1p();
                let pi = if d >= 0.0 {
                    1.0 / (1.0 + e)
                } else {
                    e / (1.0 + e)
                };
                let q = 1.0 - pi;
                acc[0] += w * (a3 + softplus);
                acc[1] -= w * (q * lat + pi * lax);
                acc[2] -= w * tx.rx * (q / at + pi / ax);
                acc[3] += w * pi;
                acc[4] += w * pi * tx.inv_bx;
            }
            acc
        };
        let partials: Vec<[f64; 5]> = if n <= 2 * CHUNK {
            vec![chunk_sum(0, n)]
        } else {
            (0..n.div_ceil(CHUNK))
                .into_par_iter()
                .map(|c| chunk_sum(c * CHUNK, ((c + 1) * CHUNK).min(n)))
                .collect()
        };
        let mut acc = [0.0; 5];
        for p in &partials {
            for (s, v) in acc.iter_mut().zip(p) {
                *s += v;
            }
        }
        ll += acc[0];
        grad[0] = g[0] + acc[1];
        grad[1] = g[1] + acc[2];
        grad[2] = g[2] + acc[3] / a;
        grad[3] = g[3] - acc[4];
        let ok = ll.is_finite() && grad.iter().all(|v| v.is_finite());
        (ll, ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> BgNbdParams {
        BgNbdParams {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let customers = [
            CustomerSummary::new(0.0, 0.0, 30.0),
            CustomerSummary::new(2.0, 10.0, 30.0),
            CustomerSummary::new(5.0, 28.0, 31.0),
            CustomerSummary::new(1.0, 0.0, 3.0),
        ]
        .into_iter()
        .collect::<Result<Vec<_>, _>>();
        let Ok(customers) = customers else {
            unreachable!()
        };
        let g = Groups::build(&customers, None);
        let Ok(g) = g else { unreachable!() };
        let theta = params().log_params();
        let mut grad = [0.0; 4];
        let f0 = g.objective(&theta, 0.1, &mut grad);
        for i in 0..4 {
            let mut tp = theta;
            let h = 1e-6;
            tp[i] += h;
            let mut tmp = [0.0; 4];
            let fp = g.objective(&tp, 0.1, &mut tmp);
            tp[i] -= 2.0 * h;
            let fm = g.objective(&tp, 0.1, &mut tmp);
            let fd = (fp - fm) / (2.0 * h);
            assert!((fd - grad[i]).abs() < 1e-7, "{i}: {fd} vs {}", grad[i]);
        }
        assert!(f0.is_finite());
    }

    #[test]
    fn many_horizons_agree_with_single() {
        let p = params();
        let c = CustomerSummary {
            x: 2.0,
            t_x: 30.43,
            t: 38.86,
        };
        let horizons: Vec<f64> = (0..=12).map(|k| f64::from(k) * 4.345).collect();
        let mut out = vec![0.0; horizons.len()];
        p.expected_purchases_many(&c, &horizons, &mut out, &mut Scratch::default());
        for (h, o) in horizons.iter().zip(&out) {
            let single = p.expected_purchases(&c, *h);
            assert!(
                (single - o).abs() <= 1e-13 * single.max(1.0),
                "{h}: {single} {o}"
            );
        }
    }
}
