//! RFM: the segment grid is total, anchor cases, input errors, ties, and property tests on breakpoints and scores.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests: failing loudly is the point

use std::collections::BTreeSet;

use proptest::prelude::*;
use rapport_domain::rfm::{breakpoints, score, RfmBreakpoints, RfmError, RfmInput, Segment};

fn input(recency_days: f64, frequency: f64, monetary: f64) -> RfmInput {
    RfmInput {
        recency_days,
        frequency,
        monetary,
    }
}

#[test]
fn every_score_triple_has_one_segment_and_every_segment_is_used() {
    let mut used = BTreeSet::new();
    for r in 1..=5u8 {
        for f in 1..=5u8 {
            for m in 1..=5u8 {
                let s = Segment::from_scores(r, f, m);
                assert!(Segment::ALL.contains(&s));
                // Only the average of f and m matters.
                assert_eq!(s, Segment::from_scores(r, m, f));
                used.insert(s.as_str());
            }
        }
    }
    assert_eq!(used.len(), Segment::ALL.len(), "unused segment: {used:?}");
}

#[test]
fn anchor_cases() {
    for ((r, f, m), want) in [
        ((5, 5, 5), Segment::Champions),
        ((1, 1, 1), Segment::Lost),
        ((5, 1, 1), Segment::New),
        ((1, 5, 5), Segment::CantLoseThem),
        ((2, 5, 5), Segment::AtRisk),
        ((3, 3, 3), Segment::NeedAttention),
        ((4, 1, 1), Segment::Promising),
        ((4, 4, 4), Segment::Loyal),
        ((5, 2, 3), Segment::PotentialLoyalist),
        ((3, 1, 2), Segment::AboutToSleep),
        ((2, 1, 1), Segment::Hibernating),
    ] {
        assert_eq!(Segment::from_scores(r, f, m), want, "({r}, {f}, {m})");
    }
}

#[test]
fn rounding_of_fm_is_half_up_and_out_of_range_scores_are_clamped() {
    // (4 + 5) / 2 = 4.5 -> 5.
    assert_eq!(Segment::from_scores(4, 4, 5), Segment::Champions);
    // (1 + 2) / 2 = 1.5 -> 2.
    assert_eq!(Segment::from_scores(5, 1, 2), Segment::PotentialLoyalist);
    assert_eq!(Segment::from_scores(0, 0, 0), Segment::Lost);
    assert_eq!(Segment::from_scores(9, 255, 7), Segment::Champions);
}

#[test]
fn input_errors_name_the_field() {
    assert_eq!(breakpoints(&[]), Err(RfmError::NoCustomers));
    assert_eq!(RfmError::NoCustomers.code(), "no_customers");

    let ok = input(3.0, 2.0, 1000.0);
    let cases = [
        (
            input(f64::NAN, 1.0, 1.0),
            "recency_days",
            "non_finite_input",
        ),
        (
            input(1.0, f64::INFINITY, 1.0),
            "frequency",
            "non_finite_input",
        ),
        (input(1.0, 1.0, -5.0), "monetary", "negative_input"),
        (input(-1.0, 1.0, 1.0), "recency_days", "negative_input"),
    ];
    for (bad, field, code) in cases {
        let err = breakpoints(&[ok, bad]).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        let text = err.to_string();
        assert!(
            text.contains(field) && text.contains("customer 1"),
            "{text}"
        );
    }
}

#[test]
fn many_one_order_customers_give_tied_frequency_breakpoints() {
    // 70 % bought once, 20 % twice, 10 % five times.
    let mut customers = Vec::new();
    for i in 0..100 {
        let frequency = match i {
            0..70 => 1.0,
            70..90 => 2.0,
            _ => 5.0,
        };
        customers.push(input(f64::from(i), frequency, 100.0 * f64::from(i)));
    }
    let b = breakpoints(&customers).unwrap();
    assert_eq!(b.frequency, [1.0, 1.0, 1.0, 2.0]);
    let f = |frequency| score(&b, &input(10.0, frequency, 10.0)).f;
    assert_eq!([f(1.0), f(2.0), f(3.0), f(5.0)], [1, 4, 5, 5]);
    // Equal to a breakpoint: lower bucket.
    assert_eq!(f(1.0), 1);
}

#[test]
fn a_single_customer_and_identical_customers_score_deterministically() {
    let c = input(7.0, 3.0, 5000.0);
    let b = breakpoints(&[c; 5]).unwrap();
    assert_eq!(b.frequency, [3.0; 4]);
    let s = score(&b, &c);
    // Equal to every breakpoint: lowest f and m, most recent r.
    assert_eq!((s.r, s.f, s.m, s.segment), (5, 1, 1, Segment::New));
}

#[test]
fn nan_scores_the_worst_bucket_and_extremes_stay_in_range() {
    let b = RfmBreakpoints {
        recency_days: [10.0, 20.0, 30.0, 40.0],
        frequency: [1.0, 2.0, 3.0, 4.0],
        monetary: [100.0, 200.0, 300.0, 400.0],
    };
    let s = score(&b, &input(f64::NAN, f64::NAN, f64::NAN));
    assert_eq!((s.r, s.f, s.m, s.segment), (1, 1, 1, Segment::Lost));
    let s = score(&b, &input(0.0, f64::INFINITY, f64::MAX));
    assert_eq!((s.r, s.f, s.m, s.segment), (5, 5, 5, Segment::Champions));
    let s = score(&b, &input(f64::INFINITY, -1.0, f64::NEG_INFINITY));
    assert_eq!((s.r, s.f, s.m), (1, 1, 1));
    // Recency equal to a breakpoint is the more recent bucket, frequency the lower one.
    let s = score(&b, &input(10.0, 2.0, 250.0));
    assert_eq!((s.r, s.f, s.m), (5, 2, 3));
    let s = score(&b, &input(10.5, 2.5, 250.0));
    assert_eq!((s.r, s.f, s.m), (4, 3, 3));
}

#[test]
fn breakpoints_serialize_as_plain_arrays() {
    let b = breakpoints(&[input(1.0, 1.0, 1.0), input(2.0, 2.0, 2.0)]).unwrap();
    let json = serde_json::to_value(&b).unwrap();
    assert!(json["frequency"].is_array());
    let back: RfmBreakpoints = serde_json::from_value(json).unwrap();
    assert_eq!(back, b);
}

fn customers(max: usize) -> impl Strategy<Value = Vec<RfmInput>> {
    prop::collection::vec(
        (0.0..3650.0f64, 1.0..200.0f64, 0.0..1e9f64).prop_map(|(r, f, m)| input(r, f.floor(), m)),
        1..max,
    )
}

fn non_decreasing(a: &[f64; 4]) -> bool {
    a.windows(2).all(|w| w[0] <= w[1])
}

proptest! {
    #[test]
    fn breakpoints_are_non_decreasing_and_within_the_data(cs in customers(300)) {
        let b = breakpoints(&cs).unwrap();
        for (bp, pick) in [
            (b.recency_days, (|c: &RfmInput| c.recency_days) as fn(&RfmInput) -> f64),
            (b.frequency, |c: &RfmInput| c.frequency),
            (b.monetary, |c: &RfmInput| c.monetary),
        ] {
            prop_assert!(non_decreasing(&bp), "{bp:?}");
            let lo = cs.iter().map(pick).fold(f64::INFINITY, f64::min);
            let hi = cs.iter().map(pick).fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(bp[0] >= lo && bp[3] <= hi, "{bp:?} outside [{lo}, {hi}]");
        }
    }

    #[test]
    fn scores_are_in_range_and_monotone(
        cs in customers(200),
        probe in (-10.0..4000.0f64, -1.0..300.0f64, -1.0..2e9f64),
        more in (0.0..100.0f64, 0.0..100.0f64, 0.0..1e6f64),
    ) {
        let b = breakpoints(&cs).unwrap();
        let base = input(probe.0, probe.1, probe.2);
        let s = score(&b, &base);
        for v in [s.r, s.f, s.m] {
            prop_assert!((1..=5).contains(&v));
        }
        prop_assert_eq!(s.segment, Segment::from_scores(s.r, s.f, s.m));
        // More recent (fewer days) never lowers r; more orders or revenue never lowers f or m.
        let better = score(&b, &input(probe.0 - more.0, probe.1 + more.1, probe.2 + more.2));
        prop_assert!(better.r >= s.r && better.f >= s.f && better.m >= s.m);
    }

    #[test]
    fn the_top_customer_scores_five_when_values_are_distinct(
        values in prop::collection::btree_set(0u32..1_000_000, 2..300),
    ) {
        // Distinct integers, spread over the three measures in different orders.
        let v: Vec<f64> = values.into_iter().map(f64::from).collect();
        let n = v.len();
        let cs: Vec<RfmInput> = (0..n)
            .map(|i| input(v[(i * 7) % n], v[i], v[n - 1 - i]))
            .collect();
        let b = breakpoints(&cs).unwrap();
        let max = v[n - 1];
        let min = v[0];
        let s = score(&b, &input(min, max, max));
        prop_assert_eq!((s.r, s.f, s.m, s.segment), (5, 5, 5, Segment::Champions));
        let s = score(&b, &input(max, min, min));
        prop_assert_eq!((s.r, s.f, s.m, s.segment), (1, 1, 1, Segment::Lost));
    }

    #[test]
    fn distinct_values_fill_buckets_evenly(
        values in prop::collection::btree_set(0u32..1_000_000, 5..300),
    ) {
        let v: Vec<f64> = values.into_iter().map(f64::from).collect();
        let cs: Vec<RfmInput> = v.iter().map(|&x| input(x, x, x)).collect();
        let b = breakpoints(&cs).unwrap();
        let mut counts = [0usize; 5];
        for c in &cs {
            counts[usize::from(score(&b, c).f - 1)] += 1;
        }
        // Quintiles of distinct values: each bucket within one customer of n / 5 (+ 1 for interpolation).
        let n = cs.len();
        for count in counts {
            prop_assert!(count + 2 >= n / 5 && count <= n / 5 + 2, "{counts:?} of {n}");
        }
    }
}

/// `cargo test --release -p rapport-domain --test rfm -- --ignored --nocapture`
#[test]
#[ignore = "timing; run in release"]
fn one_million_customers_time() {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    let mut rng = StdRng::seed_from_u64(7);
    let cs: Vec<RfmInput> = (0..1_000_000)
        .map(|_| {
            // Heavy ties in frequency, as in real stores.
            let frequency = (1.0 / rng.random_range(0.02..1.0f64)).floor();
            input(
                rng.random_range(0..1500u32).into(),
                frequency,
                (frequency * rng.random_range(500.0..20_000.0f64)).round(),
            )
        })
        .collect();
    let start = std::time::Instant::now();
    let b = breakpoints(&cs).unwrap();
    let after_breakpoints = start.elapsed();
    let scores: Vec<_> = cs.iter().map(|c| score(&b, c)).collect();
    let total = start.elapsed();
    let mut per_segment = std::collections::BTreeMap::new();
    for s in &scores {
        *per_segment.entry(s.segment.as_str()).or_insert(0usize) += 1;
    }
    eprintln!("{b:?}");
    eprintln!("{per_segment:?}");
    eprintln!(
        "1M customers: breakpoints {:?}, breakpoints + scoring {:?}",
        after_breakpoints, total
    );
    assert!(total.as_secs_f64() < 1.0);
}

#[test]
fn the_documented_grid_is_the_implemented_one() {
    // The module documentation's table is what the product side reads: keep it honest.
    let source = include_str!("../src/rfm.rs");
    let mut rows = 0;
    for line in source.lines().filter(|l| l.starts_with("//! | **")) {
        let cells: Vec<&str> = line
            .trim_start_matches("//!")
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let r: u8 = cells[0].trim_matches('*').parse().unwrap();
        assert_eq!(cells.len(), 6, "{line}");
        for (fm, label) in (1..=5u8).zip(&cells[1..]) {
            assert_eq!(
                Segment::from_scores(r, fm, fm).label(),
                *label,
                "R {r}, FM {fm}"
            );
        }
        rows += 1;
    }
    assert_eq!(rows, 5);
}
