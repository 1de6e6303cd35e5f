//! Customer feedback and service recovery: survey scales (NPS, CSAT, CES), touchpoints, the
//! NPS category and its confidence interval, complaint severities, statuses and their
//! transitions, and the default service levels.

/// The closed list of touchpoints a response is about.
pub const TOUCHPOINTS: &[&str] = &[
    "purchase", "delivery", "support", "app", "store", "web", "other",
];

/// NPS: 0 to 10.
pub const NPS_RANGE: (i32, i32) = (0, 10);
/// CSAT: 1 to 5.
pub const CSAT_RANGE: (i32, i32) = (1, 5);
/// CES: 1 to 7.
pub const CES_RANGE: (i32, i32) = (1, 7);

/// `promoter` (9-10), `passive` (7-8) or `detractor` (0-6).
pub fn nps_category(score: i32) -> &'static str {
    match score {
        9.. => "promoter",
        7..=8 => "passive",
        _ => "detractor",
    }
}

pub const NPS_CATEGORIES: &[&str] = &["promoter", "passive", "detractor"];

/// The Net Promoter Score of a set of responses with its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NpsSummary {
    pub responses: i64,
    pub promoters: i64,
    pub passives: i64,
    pub detractors: i64,
    /// `100 (P - D) / n`, -100 to 100; `None` without responses.
    pub nps: Option<f64>,
    /// Half the width of the 95 % interval, in NPS points.
    pub margin: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// z of a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// NPS with its interval. Each response scores +1 (promoter), 0 (passive) or -1
/// (detractor); NPS/100 is their mean `p_P - p_D`, whose variance is
/// `(p_P + p_D - (p_P - p_D)^2) / n`; the interval is `NPS ± z · 100 · sqrt(variance)`,
/// clamped to [-100, 100].
pub fn nps_summary(promoters: i64, passives: i64, detractors: i64) -> NpsSummary {
    let n = promoters + passives + detractors;
    let mut out = NpsSummary {
        responses: n,
        promoters,
        passives,
        detractors,
        nps: None,
        margin: None,
        low: None,
        high: None,
    };
    if n <= 0 {
        return out;
    }
    let nf = n as f64;
    let p = promoters as f64 / nf;
    let d = detractors as f64 / nf;
    let diff = p - d;
    let variance = ((p + d - diff * diff) / nf).max(0.0);
    let margin = Z95 * 100.0 * variance.sqrt();
    let nps = 100.0 * diff;
    out.nps = Some(nps);
    out.margin = Some(margin);
    out.low = Some((nps - margin).max(-100.0));
    out.high = Some((nps + margin).min(100.0));
    out
}

/// The value at quantile `q` (0 to 1) of sorted values: nearest rank (`ceil(q n)`-th).
pub fn quantile(sorted: &[i64], q: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    let rank = (q * n as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(n) - 1).copied()
}

pub const SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];

pub const STATUSES: &[&str] = &[
    "open",
    "in_progress",
    "waiting_for_customer",
    "resolved",
    "closed",
    "reopened",
];

/// Statuses of a complaint still being worked on.
pub const ACTIVE_STATUSES: &[&str] = &["open", "in_progress", "waiting_for_customer", "reopened"];

pub fn is_active(status: &str) -> bool {
    ACTIVE_STATUSES.contains(&status)
}

/// Whether a complaint may move from `from` to `to` by a status change. Resolving goes
/// through the resolution (with its outcome), reopening through the reopen.
pub fn may_move(from: &str, to: &str) -> bool {
    match to {
        "in_progress" | "waiting_for_customer" => is_active(from) && from != to,
        "resolved" => is_active(from),
        "closed" => from == "resolved",
        "reopened" => from == "resolved" || from == "closed",
        _ => false,
    }
}

/// Minutes to the first response and to the resolution, per severity, unless the workspace
/// says otherwise: critical 1 h / 1 day, high 4 h / 3 days, medium 1 day / 5 days, low
/// 3 days / 10 days.
pub fn default_sla_minutes(severity: &str) -> (i64, i64) {
    match severity {
        "critical" => (60, 24 * 60),
        "high" => (4 * 60, 3 * 24 * 60),
        "medium" => (24 * 60, 5 * 24 * 60),
        _ => (3 * 24 * 60, 10 * 24 * 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_follow_the_standard_cut_offs() {
        assert_eq!(nps_category(10), "promoter");
        assert_eq!(nps_category(9), "promoter");
        assert_eq!(nps_category(8), "passive");
        assert_eq!(nps_category(7), "passive");
        assert_eq!(nps_category(6), "detractor");
        assert_eq!(nps_category(0), "detractor");
    }

    #[test]
    fn nps_and_its_interval_match_a_hand_computation() {
        // 5 promoters, 3 passives, 2 detractors: p = 0.5, d = 0.2, NPS = 30;
        // var = (0.7 - 0.09) / 10 = 0.061; margin = 1.96 * 100 * 0.24698 = 48.41.
        let s = nps_summary(5, 3, 2);
        assert!((s.nps.unwrap() - 30.0).abs() < 1e-9);
        assert!((s.margin.unwrap() - Z95 * 100.0 * 0.061_f64.sqrt()).abs() < 1e-9);
        assert!((s.low.unwrap() - (30.0 - 48.408)).abs() < 0.01);
        assert_eq!(nps_summary(0, 0, 0).nps, None);
        // All promoters: no variance.
        assert_eq!(nps_summary(4, 0, 0).margin, Some(0.0));
    }

    #[test]
    fn quantiles_take_the_nearest_rank() {
        let v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(quantile(&v, 0.5), Some(5));
        assert_eq!(quantile(&v, 0.9), Some(9));
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[7], 0.9), Some(7));
    }

    #[test]
    fn statuses_move_along_the_documented_paths() {
        assert!(may_move("open", "in_progress"));
        assert!(may_move("reopened", "resolved"));
        assert!(!may_move("closed", "resolved"));
        assert!(may_move("resolved", "closed"));
        assert!(may_move("closed", "reopened"));
        assert!(!may_move("open", "closed"));
        assert!(!may_move("in_progress", "in_progress"));
    }
}
