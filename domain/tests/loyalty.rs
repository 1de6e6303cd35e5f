//! Property tests: loyalty lots and ledger stay in step and conserve points through random earn, redeem, refund, expiry and adjustment sequences.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests: failing loudly is the point

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use rapport_domain::loyalty::{
    apply_expiry, apply_reversal, apply_takes, balance, check_entry, debt_from_ledger, earn,
    evaluate_tier, expire, ledger_sum, redeem, reevaluate_tier, refund_points, reverse, Adjustment,
    EarnRate, EntryKind, Lot, LoyaltyError, Program, Qualification, Rounding, Tier, TierChange,
};

fn tier(name: &str, threshold: i64, multiplier_permille: u32) -> Tier {
    Tier {
        name: name.into(),
        threshold,
        multiplier_permille,
        benefits: format!("{name} perks"),
    }
}

fn rounding() -> impl Strategy<Value = Rounding> {
    prop_oneof![
        Just(Rounding::Down),
        Just(Rounding::Nearest),
        Just(Rounding::Up)
    ]
}

fn program() -> impl Strategy<Value = Program> {
    (
        rounding(),
        1i64..=5,
        prop_oneof![Just(100i64), Just(1i64), Just(250i64)],
        1000u32..=1500,
        0u32..=1000,
        prop_oneof![Just(None), (2u32..=24).prop_map(Some)],
        0u32..=45,
    )
        .prop_map(
            |(
                rounding,
                numerator,
                denominator,
                silver,
                gold_extra,
                expiry_months,
                pending_days,
            )| {
                let p = Program {
                    earn_rate: EarnRate {
                        numerator,
                        denominator,
                    },
                    rounding,
                    qualification: Qualification::Spend,
                    tiers: vec![
                        tier("Bronze", 0, 1000),
                        tier("Silver", 50_000, silver),
                        tier("Gold", 200_000, silver + gold_extra),
                    ],
                    qualification_window_days: 365,
                    expiry_months,
                    pending_days,
                };
                p.validate().unwrap();
                p
            },
        )
}

#[derive(Debug, Clone)]
enum Op {
    Earn { spend: i64, tier: usize },
    Redeem { points: i64 },
    Refund { order: usize, percent: i64 },
    Advance { days: i64 },
    ExpiryJob,
    Adjust { points: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0i64..=40_000, 0usize..3).prop_map(|(spend, tier)| Op::Earn { spend, tier }),
        3 => (1i64..=1_500).prop_map(|points| Op::Redeem { points }),
        3 => (any::<usize>(), 1i64..=100).prop_map(|(order, percent)| Op::Refund { order, percent }),
        2 => (0i64..=90).prop_map(|days| Op::Advance { days }),
        1 => Just(Op::ExpiryJob),
        1 => prop_oneof![-400i64..=-1, 1i64..=400].prop_map(|points| Op::Adjust { points }),
    ]
}

struct Order {
    lot_id: String,
    spend: i64,
    earned: i64,
    refunded: i64,
    reversed: i64,
}

/// The in-memory service: lots, a signed ledger and running totals kept independently of
/// the lots so that conservation can be checked.
struct Model {
    program: Program,
    now: DateTime<Utc>,
    lots: Vec<Lot>,
    debt: i64,
    ledger: Vec<(EntryKind, i64)>,
    orders: Vec<Order>,
    next_id: u32,
    credited: i64,
    spent: i64,
    expired: i64,
    reversed_from_lots: i64,
    written_off: i64,
    shortfall: i64,
    debt_paid: i64,
}

impl Model {
    fn new(program: Program) -> Self {
        Self {
            program,
            now: Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).unwrap(),
            lots: Vec::new(),
            debt: 0,
            ledger: Vec::new(),
            orders: Vec::new(),
            next_id: 0,
            credited: 0,
            spent: 0,
            expired: 0,
            reversed_from_lots: 0,
            written_off: 0,
            shortfall: 0,
            debt_paid: 0,
        }
    }

    fn id(&mut self) -> String {
        self.next_id += 1;
        format!("lot-{:04}", self.next_id)
    }

    fn post(&mut self, kind: EntryKind, points: i64) {
        let reason = (kind == EntryKind::Adjust).then_some("test");
        check_entry(kind, points, reason).unwrap();
        self.ledger.push((kind, points));
    }

    fn ledger_total(&self) -> i64 {
        ledger_sum(self.ledger.iter().map(|(_, p)| *p)).unwrap()
    }

    fn run_expiry(&mut self) {
        let expiries = expire(&self.lots, self.now);
        apply_expiry(&mut self.lots, &expiries).unwrap();
        for e in &expiries {
            self.expired += e.points;
            self.post(EntryKind::Expire, -e.points);
        }
        // The job is idempotent: a second run at the same instant finds nothing.
        assert!(expire(&self.lots, self.now).is_empty());
    }

    fn apply(&mut self, op: &Op) {
        match op {
            Op::Earn { spend, tier } => {
                let points = earn(&self.program, *tier, *spend).unwrap();
                assert!(points >= 0);
                let id = self.id();
                let opened = self
                    .program
                    .earned_lot(id.clone(), self.now, points, self.debt)
                    .unwrap();
                self.debt -= opened.debt_paid;
                self.debt_paid += opened.debt_paid;
                self.credited += points;
                self.lots.push(opened.lot);
                self.post(EntryKind::Earn, points);
                self.orders.push(Order {
                    lot_id: id,
                    spend: *spend,
                    earned: points,
                    refunded: 0,
                    reversed: 0,
                });
            }
            Op::Redeem { points } => self.take(*points, EntryKind::Redeem),
            Op::Adjust { points } if *points < 0 => self.take(-points, EntryKind::Adjust),
            Op::Adjust { points } => {
                let adj = Adjustment::new(*points, "goodwill").unwrap();
                let id = self.id();
                let opened = self
                    .program
                    .adjustment_lot(id, self.now, &adj, self.debt)
                    .unwrap();
                self.debt -= opened.debt_paid;
                self.debt_paid += opened.debt_paid;
                self.credited += points;
                self.lots.push(opened.lot);
                self.post(EntryKind::Adjust, *points);
            }
            Op::Refund { order, percent } => {
                if self.orders.is_empty() {
                    return;
                }
                let i = order % self.orders.len();
                let o = &self.orders[i];
                let open = o.spend - o.refunded;
                if open == 0 {
                    return;
                }
                // Whole refunds of what is left are common: percent 100 finishes the order.
                let amount = (open * percent / 100).max(1);
                let points = refund_points(o.earned, o.spend, o.refunded, amount).unwrap();
                let lot_id = o.lot_id.clone();
                let (spend, earned, refunded) = (o.spend, o.earned, o.refunded + amount);
                let mut reversed = o.reversed;
                if points > 0 {
                    let r = reverse(&self.lots, &lot_id, points).unwrap();
                    assert_eq!(r.from_lot + r.already_expired + r.shortfall, points);
                    self.debt = apply_reversal(&mut self.lots, &lot_id, &r, self.debt).unwrap();
                    self.reversed_from_lots += r.from_lot;
                    self.written_off += r.already_expired;
                    self.shortfall += r.shortfall;
                    reversed += points;
                    self.post(EntryKind::Reverse, r.ledger_points().unwrap());
                }
                let o = &mut self.orders[i];
                o.refunded = refunded;
                o.reversed = reversed;
                assert!(o.reversed <= earned);
                if refunded == spend {
                    assert_eq!(
                        o.reversed, earned,
                        "a full refund reverses every point the order earned"
                    );
                }
            }
            Op::Advance { days } => {
                self.now += TimeDelta::days(*days);
                self.run_expiry();
            }
            Op::ExpiryJob => self.run_expiry(),
        }
    }

    fn take(&mut self, points: i64, kind: EntryKind) {
        let before = balance(&self.lots, self.debt, self.now).unwrap();
        match redeem(&self.lots, self.debt, points, self.now) {
            Ok(takes) => {
                assert!(points <= before.available);
                assert_eq!(takes.iter().map(|t| t.points).sum::<i64>(), points);
                apply_takes(&mut self.lots, &takes).unwrap();
                self.spent += points;
                self.post(kind, -points);
                let after = balance(&self.lots, self.debt, self.now).unwrap();
                assert!(
                    after.available >= 0,
                    "a redemption never takes the balance below zero"
                );
                assert_eq!(after.available, before.available - points);
            }
            Err(LoyaltyError::InsufficientPoints {
                available,
                requested,
            }) => {
                assert_eq!((available, requested), (before.available, points));
                assert!(points > before.available);
            }
            Err(e) => panic!("unexpected {e}"),
        }
    }

    fn check(&self) {
        for lot in &self.lots {
            lot.check().unwrap();
        }
        let held: i64 = self.lots.iter().map(|l| l.remaining).sum();
        let sum = self.ledger_total();
        // The balance is the ledger: the debt is derivable from it, never stored apart.
        assert_eq!(sum, held - self.debt);
        assert_eq!(debt_from_ledger(&self.lots, sum).unwrap(), self.debt);
        assert_eq!(self.debt, self.shortfall - self.debt_paid);
        assert!(self.debt >= 0);

        // Available = ledger sum minus what is pending and what is past expiry but not yet
        // taken out by the job.
        let b = balance(&self.lots, self.debt, self.now).unwrap();
        let pending: i64 = self
            .lots
            .iter()
            .filter(|l| l.is_pending(self.now))
            .map(|l| l.remaining)
            .sum();
        let overdue: i64 = self
            .lots
            .iter()
            .filter(|l| l.is_expired(self.now))
            .map(|l| l.remaining)
            .sum();
        assert_eq!(b.pending, pending);
        assert_eq!(b.available, sum - pending - overdue);
        assert_eq!(b.available, b.spendable - b.debt);
        assert!(b.expiring_soon <= b.spendable + b.pending);

        // Conservation: every credited point is still in a lot or left by exactly one route.
        let points: i64 = self.lots.iter().map(|l| l.points).sum();
        assert_eq!(points, self.credited);
        assert_eq!(
            self.credited,
            held + self.spent + self.expired + self.reversed_from_lots + self.debt_paid
        );
        let noted_expired: i64 = self.lots.iter().map(|l| l.expired).sum();
        assert_eq!(noted_expired, self.expired - self.written_off);

        // Ledger totals by kind tell the same story.
        let by = |k: EntryKind| -> i64 {
            self.ledger
                .iter()
                .filter(|(x, _)| *x == k)
                .map(|(_, p)| p)
                .sum()
        };
        assert_eq!(by(EntryKind::Expire), -self.expired);
        assert_eq!(
            by(EntryKind::Reverse),
            -(self.reversed_from_lots + self.shortfall)
        );
        assert_eq!(
            by(EntryKind::Earn) + by(EntryKind::Adjust) + by(EntryKind::Redeem),
            self.credited - self.spent
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn lots_and_ledger_conserve_points(program in program(), ops in prop::collection::vec(op(), 1..80)) {
        let mut model = Model::new(program);
        for op in &ops {
            model.apply(op);
            model.check();
        }
        // Refunding everything that is left, then letting every lot expire, leaves only debt
        // or nothing: points are neither created nor lost on the way.
        for i in 0..model.orders.len() {
            model.apply(&Op::Refund { order: i, percent: 100 });
            model.check();
        }
        model.apply(&Op::Advance { days: 3700 });
        model.check();
    }

    #[test]
    fn earning_is_monotone_and_rounding_is_ordered(
        program in program(),
        spend in 0i64..=10_000_000,
        extra in 0i64..=10_000,
    ) {
        let mut p = program;
        for t in 0..p.tiers.len() {
            p.rounding = Rounding::Down;
            let down = earn(&p, t, spend).unwrap();
            prop_assert!(down >= 0);
            prop_assert!(earn(&p, t, spend + extra).unwrap() >= down);
            if t > 0 {
                prop_assert!(down >= earn(&p, t - 1, spend).unwrap());
            }
            p.rounding = Rounding::Nearest;
            let nearest = earn(&p, t, spend).unwrap();
            p.rounding = Rounding::Up;
            let up = earn(&p, t, spend).unwrap();
            prop_assert!(down <= nearest && nearest <= up && up - down <= 1);
        }
    }

    #[test]
    fn tier_evaluation_is_idempotent(program in program(), amount in -1_000i64..=400_000, current in 0usize..3) {
        let status = evaluate_tier(&program, amount).unwrap();
        let tier = &program.tiers[status.tier];
        prop_assert!(tier.threshold <= amount.max(0));
        if let Some(next) = status.next {
            prop_assert_eq!(next.tier, status.tier + 1);
            prop_assert!(next.missing > 0);
            prop_assert_eq!(amount.max(0) + next.missing, program.tiers[next.tier].threshold);
        }
        let to = match reevaluate_tier(&program, current, amount).unwrap() {
            TierChange::Unchanged { tier } => tier,
            TierChange::Upgrade { from, to } | TierChange::Downgrade { from, to } => {
                prop_assert_eq!(from, current);
                to
            }
        };
        prop_assert_eq!(to, status.tier);
        prop_assert_eq!(reevaluate_tier(&program, to, amount).unwrap(), TierChange::Unchanged { tier: to });
    }
}
