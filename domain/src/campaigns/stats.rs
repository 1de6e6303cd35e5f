//! A campaign's results from per-arm sums: conversion, revenue and margin per member,
//! incremental revenue and margin, uplift with 95 % confidence intervals and p-values, ROMI.
//!
//! Method (documented in the README):
//! - Every member counts; a member who bought nothing counts as 0 revenue and 0 margin.
//! - **Revenue (margin) per member**: Welch's unequal-variance t-test on the per-member values
//!   of the two arms. The variances come from the sums and sums of squares the database
//!   aggregates (`(Σx² − (Σx)²/n) / (n − 1)`), the degrees of freedom from
//!   Welch–Satterthwaite; the interval is `d ± t(0.975, df) × se`, the p-value two-sided.
//! - **Conversion** (share of members with at least one counting order): a two-proportion
//!   z-test with the pooled proportion for the p-value, and the unpooled (Wald) standard error
//!   for the interval `d ± 1.95996 × se`.
//! - **Incremental revenue** = (revenue per treated member − revenue per control member) ×
//!   treated members, rounded to a minor unit; the same for margin.
//! - **ROMI** = (incremental margin − cost) / cost; none when the cost is 0.
//! - Not enough data: fewer than [`MIN_MEMBERS`] members in either arm or fewer than
//!   [`MIN_BUYERS`] buyers in either arm gives `insufficient_data` and no interval or p-value
//!   (point estimates only). Otherwise an uplift is `significant` when its p-value is below
//!   0.05. A campaign's overall significance is that of revenue per member.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// Members each arm needs before intervals and p-values are given.
pub const MIN_MEMBERS: i64 = 30;
/// Buyers each arm needs before intervals and p-values are given.
pub const MIN_BUYERS: i64 = 5;
/// The level below which an uplift is called significant.
pub const ALPHA: f64 = 0.05;

/// What the database adds up for one arm (amounts in minor units of the reporting currency).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ArmTotals {
    pub members: i64,
    pub buyers: i64,
    pub orders: i64,
    pub revenue: i64,
    /// Σ revenue² over members (as a float: it exceeds an integer quickly).
    pub revenue_sq: f64,
    pub margin: i64,
    pub margin_sq: f64,
}

/// One arm, per member.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArmSummary {
    pub totals: ArmTotals,
    pub conversion_rate: f64,
    pub revenue_per_member: f64,
    pub margin_per_member: f64,
}

impl ArmSummary {
    pub fn of(t: ArmTotals) -> Self {
        let per = |x: f64| {
            if t.members > 0 {
                x / t.members as f64
            } else {
                0.0
            }
        };
        ArmSummary {
            totals: t,
            conversion_rate: per(t.buyers as f64),
            revenue_per_member: per(t.revenue as f64),
            margin_per_member: per(t.margin as f64),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Significance {
    InsufficientData,
    Significant,
    NotSignificant,
}

impl Significance {
    pub fn as_str(self) -> &'static str {
        match self {
            Significance::InsufficientData => "insufficient_data",
            Significance::Significant => "significant",
            Significance::NotSignificant => "not_significant",
        }
    }
}

/// Treatment minus control for one measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Uplift {
    pub difference: f64,
    /// `difference / control value`, when the control value is not 0.
    pub relative: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    pub significance: Significance,
}

/// The comparison of the two arms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    pub treatment: ArmSummary,
    pub control: ArmSummary,
    pub incremental_revenue: i64,
    pub incremental_margin: i64,
    pub conversion: Uplift,
    pub revenue_per_member: Uplift,
    pub margin_per_member: Uplift,
    pub significance: Significance,
}

/// Whether the arms are large enough for intervals and p-values.
pub fn enough_data(t: &ArmTotals, c: &ArmTotals) -> bool {
    t.members >= MIN_MEMBERS
        && c.members >= MIN_MEMBERS
        && t.buyers >= MIN_BUYERS
        && c.buyers >= MIN_BUYERS
}

pub fn compare(treatment: ArmTotals, control: ArmTotals) -> Comparison {
    let t = ArmSummary::of(treatment);
    let c = ArmSummary::of(control);
    let enough = enough_data(&treatment, &control);
    let incremental = |per_t: f64, per_c: f64| {
        let v = ((per_t - per_c) * treatment.members as f64).round();
        if v.is_finite() {
            v.clamp(i64::MIN as f64, i64::MAX as f64) as i64
        } else {
            0
        }
    };
    let revenue_per_member = welch(
        (
            treatment.members,
            treatment.revenue as f64,
            treatment.revenue_sq,
        ),
        (control.members, control.revenue as f64, control.revenue_sq),
        enough,
    );
    Comparison {
        treatment: t,
        control: c,
        incremental_revenue: incremental(t.revenue_per_member, c.revenue_per_member),
        incremental_margin: incremental(t.margin_per_member, c.margin_per_member),
        conversion: two_proportions(
            (treatment.members, treatment.buyers),
            (control.members, control.buyers),
            enough,
        ),
        revenue_per_member,
        margin_per_member: welch(
            (
                treatment.members,
                treatment.margin as f64,
                treatment.margin_sq,
            ),
            (control.members, control.margin as f64, control.margin_sq),
            enough,
        ),
        significance: revenue_per_member.significance,
    }
}

/// (incremental margin − cost) / cost; none for a free campaign.
pub fn romi(incremental_margin: i64, cost: i64) -> Option<f64> {
    (cost > 0).then(|| (incremental_margin as f64 - cost as f64) / cost as f64)
}

fn relative(difference: f64, base: f64) -> Option<f64> {
    (base != 0.0).then(|| difference / base)
}

fn judged(difference: f64, base: f64, interval: Option<(f64, f64, f64)>) -> Uplift {
    match interval {
        Some((low, high, p)) if low.is_finite() && high.is_finite() && p.is_finite() => Uplift {
            difference,
            relative: relative(difference, base),
            ci_low: Some(low),
            ci_high: Some(high),
            p_value: Some(p),
            significance: if p < ALPHA {
                Significance::Significant
            } else {
                Significance::NotSignificant
            },
        },
        _ => Uplift {
            difference,
            relative: relative(difference, base),
            ci_low: None,
            ci_high: None,
            p_value: None,
            significance: Significance::InsufficientData,
        },
    }
}

/// Welch's t-test on means from (n, Σx, Σx²) of each arm.
pub fn welch(t: (i64, f64, f64), c: (i64, f64, f64), enough: bool) -> Uplift {
    let mean = |(n, s, _): (i64, f64, f64)| if n > 0 { s / n as f64 } else { 0.0 };
    let (mt, mc) = (mean(t), mean(c));
    let difference = mt - mc;
    if !enough || t.0 < 2 || c.0 < 2 {
        return judged(difference, mc, None);
    }
    let var = |(n, s, sq): (i64, f64, f64)| ((sq - s * s / n as f64) / (n as f64 - 1.0)).max(0.0);
    let (at, ac) = (var(t) / t.0 as f64, var(c) / c.0 as f64);
    let se = (at + ac).sqrt();
    if se == 0.0 {
        // Every member of both arms has the same value within its arm: no spread to test.
        let p = if difference == 0.0 { 1.0 } else { 0.0 };
        return judged(difference, mc, Some((difference, difference, p)));
    }
    let df_den = at * at / (t.0 as f64 - 1.0) + ac * ac / (c.0 as f64 - 1.0);
    let df = if df_den > 0.0 {
        (at + ac).powi(2) / df_den
    } else {
        (t.0 + c.0 - 2) as f64
    };
    let Ok(dist) = StudentsT::new(0.0, 1.0, df) else {
        return judged(difference, mc, None);
    };
    let stat = difference / se;
    let p = (2.0 * dist.sf(stat.abs())).min(1.0);
    let crit = dist.inverse_cdf(0.975);
    judged(
        difference,
        mc,
        Some((difference - crit * se, difference + crit * se, p)),
    )
}

/// The two-proportion z-test on (members, buyers) of each arm.
pub fn two_proportions(t: (i64, i64), c: (i64, i64), enough: bool) -> Uplift {
    let rate = |(n, x): (i64, i64)| if n > 0 { x as f64 / n as f64 } else { 0.0 };
    let (pt, pc) = (rate(t), rate(c));
    let difference = pt - pc;
    if !enough || t.0 < 1 || c.0 < 1 {
        return judged(difference, pc, None);
    }
    let Ok(normal) = Normal::new(0.0, 1.0) else {
        return judged(difference, pc, None);
    };
    let (nt, nc) = (t.0 as f64, c.0 as f64);
    let pooled = (t.1 + c.1) as f64 / (nt + nc);
    let se_pooled = (pooled * (1.0 - pooled) * (1.0 / nt + 1.0 / nc)).sqrt();
    let p = if se_pooled > 0.0 {
        (2.0 * normal.sf((difference / se_pooled).abs())).min(1.0)
    } else {
        1.0
    };
    let se = (pt * (1.0 - pt) / nt + pc * (1.0 - pc) / nc).sqrt();
    let z = normal.inverse_cdf(0.975);
    judged(
        difference,
        pc,
        Some((difference - z * se, difference + z * se, p)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totals(values: &[i64]) -> ArmTotals {
        ArmTotals {
            members: values.len() as i64,
            buyers: values.iter().filter(|v| **v > 0).count() as i64,
            orders: values.iter().filter(|v| **v > 0).count() as i64,
            revenue: values.iter().sum(),
            revenue_sq: values.iter().map(|v| (*v as f64).powi(2)).sum(),
            margin: values.iter().sum::<i64>() / 2,
            margin_sq: values.iter().map(|v| (*v as f64 / 2.0).powi(2)).sum(),
        }
    }

    #[test]
    fn welch_matches_a_textbook_example() {
        // Wikipedia's first Welch example: t = 2.46, df = 24.99, p = 0.021; the interval
        // 2.1667 ± t(0.975, 24.99) × 0.88242 = 0.349 .. 3.984.
        let a = [
            27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7,
            21.4,
        ];
        let b = [
            27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5,
            24.4,
        ];
        let sums = |x: &[f64]| {
            (
                x.len() as i64,
                x.iter().sum::<f64>(),
                x.iter().map(|v| v * v).sum::<f64>(),
            )
        };
        let u = welch(sums(&b), sums(&a), true);
        let ma = a.iter().sum::<f64>() / 15.0;
        let mb = b.iter().sum::<f64>() / 15.0;
        assert!((u.difference - (mb - ma)).abs() < 1e-9);
        let p = u.p_value.unwrap();
        assert!((p - 0.0214).abs() < 0.001, "{p}");
        assert!((u.ci_low.unwrap() - 0.349).abs() < 0.005, "{:?}", u.ci_low);
        assert!(
            (u.ci_high.unwrap() - 3.984).abs() < 0.005,
            "{:?}",
            u.ci_high
        );
        assert_eq!(u.significance, Significance::Significant);
    }

    #[test]
    fn small_arms_give_no_interval() {
        let c = compare(totals(&[100, 0, 0]), totals(&[0, 0]));
        assert_eq!(c.significance, Significance::InsufficientData);
        assert_eq!(c.revenue_per_member.p_value, None);
        assert_eq!(c.incremental_revenue, 100);
    }

    #[test]
    fn incremental_revenue_counts_non_buyers_as_zero() {
        let mut t = vec![0i64; 60];
        let mut c = vec![0i64; 40];
        for (i, v) in t.iter_mut().enumerate().take(30) {
            *v = 1_000 + i as i64;
        }
        for (i, v) in c.iter_mut().enumerate().take(10) {
            *v = 1_000 + i as i64;
        }
        let r = compare(totals(&t), totals(&c));
        let per_t = t.iter().sum::<i64>() as f64 / 60.0;
        let per_c = c.iter().sum::<i64>() as f64 / 40.0;
        assert_eq!(
            r.incremental_revenue,
            ((per_t - per_c) * 60.0).round() as i64
        );
        assert!(r.conversion.difference > 0.2);
        assert_eq!(r.revenue_per_member.significance, Significance::Significant);
        assert_eq!(romi(1_500, 1_000), Some(0.5));
        assert_eq!(romi(1_500, 0), None);
    }

    #[test]
    fn equal_arms_are_not_significant() {
        let v: Vec<i64> = (0..200)
            .map(|i| if i % 4 == 0 { 5_000 + i } else { 0 })
            .collect();
        let r = compare(totals(&v), totals(&v));
        assert_eq!(r.significance, Significance::NotSignificant);
        assert!((r.revenue_per_member.p_value.unwrap() - 1.0).abs() < 1e-9);
        assert!((r.conversion.p_value.unwrap() - 1.0).abs() < 1e-9);
    }
}
