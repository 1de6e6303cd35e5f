//! Who of a campaign's audience is held out as control, decided by a hash so that the same
//! campaign and customer always land in the same arm (on any node, in any order, after any
//! retry), and nothing about the customer (id order, sign-up date) biases the split.
//!
//! A customer's **draw** is the first 8 bytes of SHA-256(`campaign_id` `:` `account_id`) read
//! as a big-endian integer and divided by 2^64: a number in [0, 1) that looks uniform.
//! - Unstratified: a customer is control when their draw is below the control share (each
//!   customer independently, so the control count is binomial).
//! - Stratified (by RFM segment, the default): within each stratum the customers are ordered
//!   by draw (then id) and the first `round(share × stratum size)` are control, so every RFM
//!   segment is split in the same proportion and both arms look alike.
//!
//! The workspace's **global control group** uses the draw of SHA-256(`global:` `workspace_id`
//! `:` `epoch` `:` `account_id`): below the global share, the customer is left out of every
//! campaign that respects it. A re-draw increments the epoch, which draws everyone anew.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::Arm;

/// A uniform-looking number in [0, 1) from the SHA-256 of `parts` joined by `:`.
pub fn draw(parts: &[&str]) -> f64 {
    let mut hasher = Sha256::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            hasher.update(b":");
        }
        hasher.update(p.as_bytes());
    }
    let digest = hasher.finalize();
    let mut head = [0u8; 8];
    head.copy_from_slice(&digest[..8]);
    // 53 significant bits: every value is exact in an f64 and strictly below 1.
    (u64::from_be_bytes(head) >> 11) as f64 / (1u64 << 53) as f64
}

/// Whether a customer is in the workspace's global control group for this epoch.
pub fn in_global_control(workspace_id: &str, epoch: i64, account_id: &str, share: f64) -> bool {
    share > 0.0 && draw(&["global", workspace_id, &epoch.to_string(), account_id]) < share
}

/// One customer of the audience and the stratum they are balanced within.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<'a> {
    pub account_id: &'a str,
    pub stratum: Option<&'a str>,
}

/// The arm of each candidate (same order as given).
pub fn assign(
    campaign_id: &str,
    candidates: &[Candidate<'_>],
    share: f64,
    stratify: bool,
) -> Vec<Arm> {
    let draws: Vec<f64> = candidates
        .iter()
        .map(|c| draw(&[campaign_id, c.account_id]))
        .collect();
    if !stratify {
        return draws
            .iter()
            .map(|d| {
                if *d < share {
                    Arm::Control
                } else {
                    Arm::Treatment
                }
            })
            .collect();
    }
    let mut strata: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        strata.entry(c.stratum).or_default().push(i);
    }
    let mut arms = vec![Arm::Treatment; candidates.len()];
    for members in strata.values_mut() {
        members.sort_by(|a, b| {
            draws[*a]
                .total_cmp(&draws[*b])
                .then_with(|| candidates[*a].account_id.cmp(candidates[*b].account_id))
        });
        let size = members.len() as f64;
        let control = (share * size).round().clamp(0.0, size) as usize;
        for i in members.iter().take(control) {
            arms[*i] = Arm::Control;
        }
    }
    arms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("acc-{i:05}")).collect()
    }

    #[test]
    fn the_draw_is_stable_and_in_range() {
        let a = draw(&["c1", "a1"]);
        assert_eq!(a, draw(&["c1", "a1"]));
        assert_ne!(a, draw(&["c2", "a1"]));
        assert!((0.0..1.0).contains(&a));
        // SHA-256("c1:a1") starts with these bytes: the rule is the documented one.
        let expected = {
            let d = Sha256::digest(b"c1:a1");
            (u64::from_be_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]) >> 11) as f64
                / (1u64 << 53) as f64
        };
        assert_eq!(a, expected);
    }

    #[test]
    fn unstratified_control_share_is_binomial() {
        let ids = ids(20_000);
        let candidates: Vec<_> = ids
            .iter()
            .map(|id| Candidate {
                account_id: id,
                stratum: None,
            })
            .collect();
        let arms = assign("campaign", &candidates, 0.1, false);
        let control = arms.iter().filter(|a| **a == Arm::Control).count() as f64;
        let sigma = (20_000.0f64 * 0.1 * 0.9).sqrt();
        assert!((control - 2_000.0).abs() < 4.0 * sigma, "{control}");
        assert_eq!(arms, assign("campaign", &candidates, 0.1, false));
    }

    #[test]
    fn stratified_split_is_exact_within_each_stratum() {
        let ids = ids(1_000);
        let strata = ["champions", "at_risk", "lost"];
        let candidates: Vec<_> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| Candidate {
                account_id: id,
                stratum: Some(strata[i % 3]),
            })
            .collect();
        let arms = assign("c", &candidates, 0.2, true);
        for s in strata {
            let (n, control) = candidates
                .iter()
                .zip(&arms)
                .filter(|(c, _)| c.stratum == Some(s))
                .fold((0usize, 0usize), |(n, k), (_, a)| {
                    (n + 1, k + usize::from(*a == Arm::Control))
                });
            assert_eq!(control, (0.2 * n as f64).round() as usize, "{s}");
        }
        // The order the audience was read in does not matter.
        let mut reversed = candidates.clone();
        reversed.reverse();
        let mut back = assign("c", &reversed, 0.2, true);
        back.reverse();
        assert_eq!(arms, back);
    }

    #[test]
    fn a_new_epoch_redraws_the_global_control_group() {
        let ids = ids(5_000);
        let g0: Vec<bool> = ids
            .iter()
            .map(|a| in_global_control("w", 0, a, 0.05))
            .collect();
        let g1: Vec<bool> = ids
            .iter()
            .map(|a| in_global_control("w", 1, a, 0.05))
            .collect();
        let n0 = g0.iter().filter(|b| **b).count();
        assert!((150..350).contains(&n0), "{n0}");
        assert_ne!(g0, g1);
        assert!(!in_global_control("w", 0, "a", 0.0));
    }
}
