//! Product recommendations from purchase history, with no IO.
//!
//! Two sources, each with a score in (0, 1] and a reason a person can read:
//! - **Bought together** (item-to-item co-occurrence, as Amazon's item-based collaborative
//!   filtering): a customer's basket is the set of SKUs they ever bought. For two SKUs `a`
//!   and `b`, `together` customers bought both and the similarity is the cosine
//!   `together / sqrt(buyers(a) * buyers(b))`. A customer's score for a SKU they never bought
//!   combines the similarities to everything they did buy as a noisy OR,
//!   `1 - prod(1 - cosine(i, sku))`: one strong neighbour or several weak ones.
//! - **Due again**: a SKU the customer bought on at least two different days has a typical
//!   repurchase interval, the median of the gaps between those days; a SKU they bought on
//!   one day only takes the workspace's interval for it (the median of every customer's
//!   gaps, with at least [`MIN_GAPS`] of them). Once that many days have passed since the
//!   last purchase it is due; its score is `interval / days since`, 1 when just due and
//!   falling as the customer lets it lapse.

use std::collections::{BTreeMap, HashMap};

/// Pairs bought together by fewer customers than this are noise and are not kept.
pub const MIN_TOGETHER: u32 = 2;
/// Repurchase gaps (over all customers) a SKU needs for a workspace interval.
pub const MIN_GAPS: usize = 2;
/// Neighbours kept per SKU (the strongest by cosine).
pub const NEIGHBOURS_KEPT: usize = 20;
/// At most this many of a customer's SKUs (their most recent) count in a basket: a few
/// customers with thousands of SKUs would otherwise dominate the refresh's pair count.
pub const MAX_BASKET: usize = 100;

/// A pair of SKUs (by index into the refresh's SKU list) and how alike their buyers are.
#[derive(Debug, Clone, PartialEq)]
pub struct Similarity {
    pub item: u32,
    pub other: u32,
    pub together: u32,
    pub score: f64,
}

/// Counts co-purchases over customers' baskets (SKU indexes below `items`, each basket's
/// SKUs distinct, at most [`MAX_BASKET`] used) and keeps, for each SKU, its
/// [`NEIGHBOURS_KEPT`] strongest neighbours bought together by at least [`MIN_TOGETHER`]
/// customers. Returns the buyers per SKU and the kept similarities in both directions,
/// ordered by (item, score descending, other).
pub fn similarities(baskets: &[Vec<u32>], items: usize) -> (Vec<u32>, Vec<Similarity>) {
    let mut buyers = vec![0u32; items];
    let mut pairs: HashMap<(u32, u32), u32> = HashMap::new();
    for basket in baskets {
        let basket = &basket[..basket.len().min(MAX_BASKET)];
        for &a in basket {
            if let Some(n) = buyers.get_mut(a as usize) {
                *n += 1;
            }
        }
        for (k, &a) in basket.iter().enumerate() {
            for &b in &basket[k + 1..] {
                let key = if a < b { (a, b) } else { (b, a) };
                *pairs.entry(key).or_insert(0) += 1;
            }
        }
    }
    let mut by_item: BTreeMap<u32, Vec<Similarity>> = BTreeMap::new();
    for ((a, b), together) in pairs {
        if together < MIN_TOGETHER {
            continue;
        }
        let (na, nb) = (buyers[a as usize], buyers[b as usize]);
        let score = f64::from(together) / (f64::from(na) * f64::from(nb)).sqrt();
        for (item, other) in [(a, b), (b, a)] {
            by_item.entry(item).or_default().push(Similarity {
                item,
                other,
                together,
                score,
            });
        }
    }
    let mut kept = Vec::new();
    for (_, mut list) in by_item {
        list.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.other.cmp(&y.other)));
        list.truncate(NEIGHBOURS_KEPT);
        kept.extend(list);
    }
    (buyers, kept)
}

/// Why a SKU is recommended.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// Similar to SKUs the customer bought: the neighbours that contributed, strongest
    /// first, with their cosine and how many customers bought both.
    BoughtTogether { because: Vec<Neighbour> },
    /// The customer buys it every `interval_days` (median gap) and last bought it
    /// `days_since` days ago.
    DueAgain {
        interval_days: i64,
        days_since: i64,
        times_bought: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Neighbour {
    pub sku: String,
    pub score: f64,
    pub together: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    pub sku: String,
    pub score: f64,
    pub reason: Reason,
}

/// One SKU of the customer's history: the days (since any fixed epoch) they bought it on,
/// and the workspace's repurchase interval for it, if it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Bought {
    pub sku: String,
    pub days: Vec<i64>,
    pub typical_interval: Option<i64>,
}

/// A stored neighbour: `other` is similar to `sku` by `score` (cosine), bought together by
/// `together` customers.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPair {
    pub sku: String,
    pub other: String,
    pub together: u32,
    pub score: f64,
}

/// The gaps between consecutive distinct purchase days.
pub fn gaps(days: &[i64]) -> Vec<i64> {
    let mut days = days.to_vec();
    days.sort_unstable();
    days.dedup();
    days.windows(2).map(|w| w[1] - w[0]).collect()
}

/// The median of `values`, rounded half up; `None` when empty.
pub fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2] + 1) / 2
    })
}

/// The median gap between consecutive distinct purchase days, rounded half up; `None` with
/// fewer than two distinct days.
pub fn repurchase_interval(days: &[i64]) -> Option<i64> {
    median(&mut gaps(days))
}

/// A SKU's workspace interval: the median of all customers' gaps, `None` with fewer than
/// [`MIN_GAPS`].
pub fn typical_interval(all_gaps: &mut [i64]) -> Option<i64> {
    if all_gaps.len() < MIN_GAPS {
        return None;
    }
    median(all_gaps)
}

/// Ranks recommendations for one customer on `today`: due-again SKUs from their history,
/// and SKUs similar to what they bought (`pairs`: the stored neighbours of their SKUs) that
/// they never bought. Ordered by score descending, then SKU.
pub fn recommend(
    history: &[Bought],
    pairs: &[StoredPair],
    today: i64,
    limit: usize,
) -> Vec<Recommendation> {
    let mut out: HashMap<String, Recommendation> = HashMap::new();
    let last_bought: HashMap<&str, i64> = history
        .iter()
        .filter_map(|b| Some((b.sku.as_str(), *b.days.iter().max()?)))
        .collect();

    for bought in history {
        let Some(interval) = repurchase_interval(&bought.days).or(bought.typical_interval) else {
            continue;
        };
        let last = last_bought
            .get(bought.sku.as_str())
            .copied()
            .unwrap_or(today);
        let days_since = today - last;
        if interval <= 0 || days_since < interval {
            continue;
        }
        let mut times = bought.days.clone();
        times.sort_unstable();
        times.dedup();
        out.insert(
            bought.sku.clone(),
            Recommendation {
                sku: bought.sku.clone(),
                score: interval as f64 / days_since as f64,
                reason: Reason::DueAgain {
                    interval_days: interval,
                    days_since,
                    times_bought: times.len(),
                },
            },
        );
    }

    let mut neighbours: BTreeMap<&str, Vec<Neighbour>> = BTreeMap::new();
    for pair in pairs {
        if !last_bought.contains_key(pair.sku.as_str()) {
            continue;
        }
        if last_bought.contains_key(pair.other.as_str()) {
            continue;
        }
        neighbours.entry(&pair.other).or_default().push(Neighbour {
            sku: pair.sku.clone(),
            score: pair.score,
            together: pair.together,
        });
    }
    for (sku, mut because) in neighbours {
        let miss: f64 = because
            .iter()
            .map(|n| 1.0 - n.score.clamp(0.0, 1.0))
            .product();
        let score = 1.0 - miss;
        because.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.sku.cmp(&y.sku)));
        if score > 0.0 {
            out.insert(
                sku.to_owned(),
                Recommendation {
                    sku: sku.to_owned(),
                    score,
                    reason: Reason::BoughtTogether { because },
                },
            );
        }
    }

    let mut ranked: Vec<Recommendation> = out.into_values().collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.sku.cmp(&b.sku)));
    ranked.truncate(limit);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_counts_customers_not_orders_and_drops_single_coincidences() {
        // 0 = tent, 1 = sleeping bag, 2 = stove, 3 = socks.
        let baskets = vec![vec![0, 1, 2], vec![0, 1], vec![0, 2], vec![1, 3], vec![3]];
        let (buyers, sims) = similarities(&baskets, 4);
        assert_eq!(buyers, vec![3, 3, 2, 2]);
        let find = |a: u32, b: u32| sims.iter().find(|s| s.item == a && s.other == b).cloned();
        // tent & bag: 2 together, 3 and 3 buyers.
        let tb = find(0, 1).unwrap();
        assert_eq!(tb.together, 2);
        assert!((tb.score - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(find(1, 0).unwrap().score, tb.score);
        // tent & stove: 2 together, 3 and 2 buyers.
        assert!((find(0, 2).unwrap().score - 2.0 / 6f64.sqrt()).abs() < 1e-12);
        // bag & stove and bag & socks were bought together once: not kept.
        assert!(find(1, 2).is_none());
        assert!(find(1, 3).is_none());
    }

    #[test]
    fn the_interval_is_the_median_gap_between_distinct_days() {
        assert_eq!(repurchase_interval(&[10]), None);
        assert_eq!(repurchase_interval(&[10, 10]), None);
        assert_eq!(repurchase_interval(&[0, 30, 50, 100]), Some(30));
        // Gaps 20 and 31: the median rounds half up.
        assert_eq!(repurchase_interval(&[51, 0, 20]), Some(26));
        assert_eq!(typical_interval(&mut [40]), None);
        assert_eq!(typical_interval(&mut [40, 30]), Some(35));
    }

    #[test]
    fn due_items_and_neighbours_rank_by_their_scores() {
        let history = vec![
            Bought {
                sku: "GAS".into(),
                days: vec![0, 30, 60],
                typical_interval: Some(10),
            },
            Bought {
                sku: "TENT".into(),
                days: vec![60],
                typical_interval: None,
            },
            Bought {
                sku: "BAG".into(),
                days: vec![95],
                typical_interval: None,
            },
            // Bought once 50 days ago; customers buy it again every 45 days.
            Bought {
                sku: "SOCK".into(),
                days: vec![50],
                typical_interval: Some(45),
            },
        ];
        let pair = |a: &str, b: &str, together: u32, score: f64| StoredPair {
            sku: a.into(),
            other: b.into(),
            together,
            score,
        };
        let pairs = vec![
            pair("TENT", "STOVE", 4, 0.5),
            pair("GAS", "STOVE", 6, 0.6),
            // The customer has a BAG: not recommended as similar.
            pair("TENT", "BAG", 3, 0.9),
            pair("TENT", "MAP", 2, 0.1),
        ];
        let recs = recommend(&history, &pairs, 100, 10);
        let skus: Vec<&str> = recs.iter().map(|r| r.sku.as_str()).collect();
        assert_eq!(skus, vec!["SOCK", "STOVE", "GAS", "MAP"]);
        // SOCK: the workspace's 45 days over 50.
        assert!((recs[0].score - 0.9).abs() < 1e-12);
        let recs = recs[1..].to_vec();
        // STOVE: 1 - (1 - 0.5)(1 - 0.6) = 0.8, because GAS (0.6) then TENT (0.5).
        assert!((recs[0].score - 0.8).abs() < 1e-12);
        match &recs[0].reason {
            Reason::BoughtTogether { because } => {
                assert_eq!(because[0].sku, "GAS");
                assert_eq!(because[1].sku, "TENT");
            }
            other => panic!("{other:?}"),
        }
        // GAS every 30 days, last bought 40 days ago: 30 / 40.
        assert_eq!(
            recs[1].reason,
            Reason::DueAgain {
                interval_days: 30,
                days_since: 40,
                times_bought: 3
            }
        );
        // The customer's own 30 days win over the workspace's 10.
        assert!((recs[1].score - 0.75).abs() < 1e-12);
        assert_eq!(recommend(&history, &pairs, 100, 1).len(), 1);
    }
}
