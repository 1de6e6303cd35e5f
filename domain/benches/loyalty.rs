//! Loyalty rules on a heavy member: FIFO redemption, balance and expiry over many open lots,
//! and earning. The service runs these inside every redemption's transaction.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // bench harness

use std::hint::black_box;

use chrono::{Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use rapport_domain::loyalty::{
    balance, earn, expire, redeem, EarnRate, Lot, Program, Qualification, Rounding, Tier,
};

fn program() -> Program {
    Program {
        earn_rate: EarnRate {
            numerator: 1,
            denominator: 100,
        },
        rounding: Rounding::Nearest,
        qualification: Qualification::Spend,
        tiers: vec![
            Tier {
                name: "Base".into(),
                threshold: 0,
                multiplier_permille: 1000,
                benefits: String::new(),
            },
            Tier {
                name: "Gold".into(),
                threshold: 100_000,
                multiplier_permille: 1500,
                benefits: String::new(),
            },
        ],
        qualification_window_days: 365,
        expiry_months: Some(12),
        pending_days: 14,
    }
}

fn loyalty(c: &mut Criterion) {
    let p = program();
    let start = Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap();
    for n in [10usize, 500] {
        // One lot a day, 100 points each; "now" is after the last lot's pending period.
        let lots: Vec<Lot> = (0..n)
            .map(|i| {
                let at = start + Duration::days(i64::try_from(i % 300).unwrap());
                p.earned_lot(format!("L{i:05}"), at, 100, 0).unwrap().lot
            })
            .collect();
        let now = start + Duration::days(330);
        c.bench_function(&format!("redeem 250 points, {n} lots"), |b| {
            b.iter(|| redeem(black_box(&lots), 0, 250, now).unwrap())
        });
        c.bench_function(&format!("balance, {n} lots"), |b| {
            b.iter(|| balance(black_box(&lots), 0, now).unwrap())
        });
        c.bench_function(&format!("expire, {n} lots"), |b| {
            b.iter(|| expire(black_box(&lots), now + Duration::days(60)))
        });
    }
    c.bench_function("earn", |b| {
        b.iter(|| earn(black_box(&p), 1, black_box(123_456)).unwrap())
    });
}

criterion_group!(benches, loyalty);
criterion_main!(benches);
