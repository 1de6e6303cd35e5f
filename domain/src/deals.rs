//! Sales pipelines: stage kinds, which stage moves a deal may make, and the funnel maths
//! (medians over duration histograms, stage-to-stage conversion, win rate, weighted value).

use std::collections::BTreeMap;

/// What reaching a stage means for a deal: still in play, won or lost. A deal's status is the
/// kind of the stage it sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StageKind {
    Open,
    Won,
    Lost,
}

impl StageKind {
    pub const ALL: [StageKind; 3] = [StageKind::Open, StageKind::Won, StageKind::Lost];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "open" => Some(Self::Open),
            "won" => Some(Self::Won),
            "lost" => Some(Self::Lost),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Won => "won",
            Self::Lost => "lost",
        }
    }

    pub fn choices() -> &'static str {
        "open, won or lost"
    }

    pub fn is_closed(self) -> bool {
        self != Self::Open
    }
}

/// Highest win probability, in percent.
pub const MAX_PROBABILITY: i32 = 100;

/// A stage as the move rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageFacts {
    pub kind: StageKind,
    /// The stage belongs to the deal's pipeline.
    pub in_deal_pipeline: bool,
    pub archived: bool,
    /// The deal sits in this stage now.
    pub is_current: bool,
}

/// Why a move (or a reopen) is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error("the deal is closed (won or lost); reopen it before moving it")]
    DealClosed,
    #[error("the deal is open; only a won or lost deal can be reopened")]
    DealNotClosed,
    #[error("the stage belongs to another pipeline than the deal's")]
    StageNotInPipeline,
    #[error("the stage is archived")]
    StageArchived,
    #[error("the deal is already in this stage")]
    AlreadyInStage,
    #[error("moving to a lost stage needs a lost_reason")]
    LostReasonRequired,
    #[error("lost_reason is only for a move to a lost stage")]
    LostReasonNotAllowed,
    #[error("a deal is reopened into an open stage")]
    ReopenNeedsOpenStage,
}

/// Whether a deal with status `deal` may move to `target`, `lost_reason` given or not.
/// Closed deals do not move (they are reopened first); the stage must be an active stage of
/// the deal's pipeline other than the current one; a lost stage needs a reason and only a
/// lost stage takes one.
pub fn check_move(
    deal: StageKind,
    target: StageFacts,
    has_lost_reason: bool,
) -> Result<(), MoveError> {
    if deal.is_closed() {
        return Err(MoveError::DealClosed);
    }
    check_target(target)?;
    if target.is_current {
        return Err(MoveError::AlreadyInStage);
    }
    match (target.kind, has_lost_reason) {
        (StageKind::Lost, false) => Err(MoveError::LostReasonRequired),
        (StageKind::Open | StageKind::Won, true) => Err(MoveError::LostReasonNotAllowed),
        _ => Ok(()),
    }
}

/// Whether a closed deal may be reopened into `target`: an active open stage of its pipeline.
pub fn check_reopen(deal: StageKind, target: StageFacts) -> Result<(), MoveError> {
    if !deal.is_closed() {
        return Err(MoveError::DealNotClosed);
    }
    check_target(target)?;
    if target.kind != StageKind::Open {
        return Err(MoveError::ReopenNeedsOpenStage);
    }
    Ok(())
}

fn check_target(target: StageFacts) -> Result<(), MoveError> {
    if !target.in_deal_pipeline {
        return Err(MoveError::StageNotInPipeline);
    }
    if target.archived {
        return Err(MoveError::StageArchived);
    }
    Ok(())
}

/// The median of the values a histogram (`value -> how many`) describes: the middle value,
/// or the mean of the two middle ones; `None` when it is empty. Counts below 1 are ignored.
pub fn median_of_histogram(histogram: &BTreeMap<i64, i64>) -> Option<f64> {
    let total: i64 = histogram.values().filter(|c| **c > 0).sum();
    if total == 0 {
        return None;
    }
    // 0-based ranks of the middle element(s).
    let (lo_rank, hi_rank) = ((total - 1) / 2, total / 2);
    let (mut lo, mut hi) = (None, None);
    let mut seen = 0_i64;
    for (&value, &count) in histogram.iter().filter(|(_, c)| **c > 0) {
        let next = seen + count;
        if lo.is_none() && lo_rank < next {
            lo = Some(value);
        }
        if hi_rank < next {
            hi = Some(value);
            break;
        }
        seen = next;
    }
    match (lo, hi) {
        (Some(a), Some(b)) => Some((a as f64 + b as f64) / 2.0),
        _ => None,
    }
}

/// `part / whole` as a rate in 0..=1 (`None` when `whole` is 0).
pub fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Win rate: won deals among the deals closed (won or lost).
pub fn win_rate(won: i64, lost: i64) -> Option<f64> {
    rate(won, won + lost)
}

/// `sum / count`, rounded half away from zero, in minor units (`None` when `count` is 0).
pub fn average_amount(sum: i128, count: i64) -> Option<i128> {
    (count > 0).then(|| round_div(sum, i128::from(count)))
}

/// The weighted value of `amount` at `probability` percent, from the unrounded sum of
/// `amount x probability` (rounded once, half away from zero).
pub fn weighted(amount_times_probability: i128) -> i128 {
    round_div(amount_times_probability, i128::from(MAX_PROBABILITY))
}

fn round_div(n: i128, d: i128) -> i128 {
    if d == 0 {
        return 0;
    }
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d.abs() {
        q + if (n < 0) == (d < 0) { 1 } else { -1 }
    } else {
        q
    }
}

/// How many deals reached each funnel step, from how many deals went at most as far as each
/// step (`furthest[i]` = deals whose furthest step was `i`): reaching a later step counts as
/// having passed the earlier ones, so the counts never grow along the funnel.
pub fn reached(furthest: &[i64]) -> Vec<i64> {
    let mut out = vec![0; furthest.len()];
    let mut running = 0;
    for i in (0..furthest.len()).rev() {
        running += furthest[i].max(0);
        out[i] = running;
    }
    out
}

/// Stage-to-stage conversion along the funnel: `reached[i + 1] / reached[i]`.
pub fn conversions(reached: &[i64]) -> Vec<Option<f64>> {
    reached.windows(2).map(|w| rate(w[1], w[0])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stage(kind: StageKind) -> StageFacts {
        StageFacts {
            kind,
            in_deal_pipeline: true,
            archived: false,
            is_current: false,
        }
    }

    #[test]
    fn open_deals_move_to_active_stages_of_their_pipeline() {
        use StageKind::*;
        assert_eq!(check_move(Open, stage(Open), false), Ok(()));
        assert_eq!(check_move(Open, stage(Won), false), Ok(()));
        assert_eq!(check_move(Open, stage(Lost), true), Ok(()));
        assert_eq!(
            check_move(Open, stage(Lost), false),
            Err(MoveError::LostReasonRequired)
        );
        assert_eq!(
            check_move(Open, stage(Won), true),
            Err(MoveError::LostReasonNotAllowed)
        );
        for closed in [Won, Lost] {
            assert_eq!(
                check_move(closed, stage(Open), false),
                Err(MoveError::DealClosed)
            );
        }
        let foreign = StageFacts {
            in_deal_pipeline: false,
            ..stage(Open)
        };
        assert_eq!(
            check_move(Open, foreign, false),
            Err(MoveError::StageNotInPipeline)
        );
        let archived = StageFacts {
            archived: true,
            ..stage(Open)
        };
        assert_eq!(
            check_move(Open, archived, false),
            Err(MoveError::StageArchived)
        );
        let current = StageFacts {
            is_current: true,
            ..stage(Open)
        };
        assert_eq!(
            check_move(Open, current, false),
            Err(MoveError::AlreadyInStage)
        );
    }

    #[test]
    fn only_closed_deals_reopen_and_only_into_open_stages() {
        use StageKind::*;
        assert_eq!(check_reopen(Won, stage(Open)), Ok(()));
        assert_eq!(check_reopen(Lost, stage(Open)), Ok(()));
        assert_eq!(
            check_reopen(Open, stage(Open)),
            Err(MoveError::DealNotClosed)
        );
        assert_eq!(
            check_reopen(Lost, stage(Won)),
            Err(MoveError::ReopenNeedsOpenStage)
        );
    }

    #[test]
    fn medians_of_small_histograms() {
        let h = |pairs: &[(i64, i64)]| pairs.iter().copied().collect::<BTreeMap<_, _>>();
        assert_eq!(median_of_histogram(&h(&[])), None);
        assert_eq!(median_of_histogram(&h(&[(5, 1)])), Some(5.0));
        assert_eq!(median_of_histogram(&h(&[(1, 1), (3, 1)])), Some(2.0));
        assert_eq!(median_of_histogram(&h(&[(1, 2), (9, 1)])), Some(1.0));
        assert_eq!(
            median_of_histogram(&h(&[(1, 1), (4, 2), (9, 1)])),
            Some(4.0)
        );
    }

    #[test]
    fn funnel_counts_and_rates() {
        // 3 deals stopped at step 0, 2 at step 1, 5 reached step 2.
        let r = reached(&[3, 2, 5]);
        assert_eq!(r, vec![10, 7, 5]);
        assert_eq!(conversions(&r), vec![Some(0.7), Some(5.0 / 7.0)]);
        assert_eq!(win_rate(3, 1), Some(0.75));
        assert_eq!(win_rate(0, 0), None);
        assert_eq!(average_amount(10, 4), Some(3)); // 2.5 rounds up
        assert_eq!(average_amount(-10, 4), Some(-3));
        assert_eq!(weighted(150 * 50), 75);
        assert_eq!(weighted(50), 1);
        assert_eq!(weighted(49), 0);
    }

    proptest! {
        #[test]
        fn histogram_median_is_the_median_of_the_values(values in prop::collection::vec(-1000_i64..1000, 1..60)) {
            let mut histogram = BTreeMap::new();
            for v in &values {
                *histogram.entry(*v).or_insert(0) += 1;
            }
            let mut sorted = values.clone();
            sorted.sort_unstable();
            let n = sorted.len();
            let expected = (sorted[(n - 1) / 2] as f64 + sorted[n / 2] as f64) / 2.0;
            prop_assert_eq!(median_of_histogram(&histogram), Some(expected));
        }

        #[test]
        fn reached_never_grows_and_conversions_are_rates(furthest in prop::collection::vec(0_i64..50, 1..8)) {
            let r = reached(&furthest);
            prop_assert_eq!(r[0], furthest.iter().sum::<i64>());
            for w in r.windows(2) {
                prop_assert!(w[1] <= w[0]);
            }
            for c in conversions(&r).into_iter().flatten() {
                prop_assert!((0.0..=1.0).contains(&c));
            }
        }
    }
}
