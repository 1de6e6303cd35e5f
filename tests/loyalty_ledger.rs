//! The loyalty ledger against a real database, over random sequences of earnings (each
//! retried), partial refunds, redemptions, adjustments and clock jumps with the jobs: the
//! balance always equals the sum of the ledger, the member row's cached sum never drifts,
//! nothing is applied twice, and a redemption never takes `available` below zero.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;

use chrono::{Duration, NaiveDateTime};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rapport_api::auth::Principal;
use rapport_api::service::loyalty::{self, EarnRateSpec, ProgramInput, RedeemInput, TierSpec};
use rapport_api::service::{new_id, now};
use rapport_domain::loyalty::Adjustment;
use rapport_persistence::accounts::{self as account_store, AccountRow};
use rapport_persistence::loyalty as store;
use rapport_persistence::testing::TestDatabase;
use rapport_persistence::DbConn;

#[derive(Debug, Clone)]
enum Op {
    Earn { amount: i64 },
    Refund { order: usize, permille: i64 },
    Redeem { points: i64 },
    Adjust { points: i64 },
    Advance { days: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0i64..40_000).prop_map(|amount| Op::Earn { amount }),
        2 => (0usize..8, 1i64..=1000).prop_map(|(order, permille)| Op::Refund { order, permille }),
        4 => (1i64..400).prop_map(|points| Op::Redeem { points }),
        1 => (-200i64..300)
            .prop_filter("non-zero", |p| *p != 0)
            .prop_map(|points| Op::Adjust { points }),
        2 => (0i64..120).prop_map(|days| Op::Advance { days }),
    ]
}

fn account(conn: &mut DbConn, workspace_id: &str) -> String {
    let at = now();
    let id = new_id();
    account_store::insert(
        conn,
        &AccountRow {
            id: id.clone(),
            workspace_id: workspace_id.to_owned(),
            kind: "person".into(),
            name: "Member".into(),
            emails: "[]".into(),
            phones: "[]".into(),
            address: None,
            tags: "[]".into(),
            attributes: "{}".into(),
            lifecycle_stage: "customer".into(),
            owner_id: None,
            acquisition_channel: None,
            acquisition_cost_amount: None,
            acquisition_cost_currency: None,
            marketing_consent: "{}".into(),
            external_id: None,
            version: 1,
            created_at: at,
            updated_at: at,
            deleted_at: None,
        },
    )
    .unwrap();
    id
}

/// What the test expects of one member, kept by hand.
struct Model {
    /// Sum of every entry but expiries (those the job decides).
    non_expiry_sum: i64,
    /// (order id, amount, refunded so far).
    orders: Vec<(String, i64, i64)>,
}

/// The invariants, checked after every operation.
fn check(conn: &mut DbConn, ws: &str, account: &str, model: &Model, at: NaiveDateTime) {
    let entries = store::entry_points(conn, ws, account).unwrap();
    let ledger: i64 = entries.iter().map(|(_, p)| p).sum();
    let non_expiry: i64 = entries
        .iter()
        .filter(|(k, _)| k != "expire")
        .map(|(_, p)| p)
        .sum();
    assert_eq!(
        non_expiry, model.non_expiry_sum,
        "an operation was lost or applied twice"
    );
    let Some(member) = store::find_member(conn, ws, account).unwrap() else {
        assert!(entries.is_empty());
        return;
    };
    assert_eq!(
        member.ledger_sum, ledger,
        "the cached sum drifted from the ledger"
    );
    let lots = store::all_lots(conn, ws, account).unwrap();
    let held: i64 = lots.iter().map(|l| l.remaining).sum();
    for lot in &lots {
        assert!(lot.remaining >= 0 && lot.expired >= 0);
        assert!(lot.remaining + lot.expired <= lot.points);
    }
    assert!(
        held >= ledger,
        "debt (held - ledger) must never be negative"
    );
    let b = loyalty::balance(conn, ws, account, at).unwrap().unwrap();
    assert_eq!(b.ledger_balance, ledger);
    assert_eq!(b.debt, held - ledger);
    // Points past expiry still in a lot are in the ledger until the job takes them out.
    let unexpired_late: i64 = lots
        .iter()
        .filter(|l| l.expires_at.is_some_and(|e| at >= e))
        .map(|l| l.remaining)
        .sum();
    assert_eq!(b.available + b.pending + unexpired_late, ledger);
}

#[test]
fn the_balance_is_always_the_sum_of_the_ledger() {
    let db = TestDatabase::create();
    let mut conn = db.connect();
    let email = format!("owner-{}@prop.example.com", uuid::Uuid::new_v4().simple());
    let created = rapport_api::service::workspaces::bootstrap(
        &mut conn,
        "Prop",
        &email,
        "correct horse battery",
    )
    .unwrap();
    let ws = created.workspace_id;
    in_tx(&mut conn, &ws, |c, cx| {
        loyalty::write_program(
            c,
            cx,
            &ProgramInput {
                currency: "EUR".into(),
                active: None,
                earn_rate: EarnRateSpec {
                    numerator: 1,
                    denominator: 100,
                },
                rounding: Some("nearest".into()),
                qualification: Some("points_earned".into()),
                qualification_window_days: Some(180),
                tiers: vec![
                    TierSpec {
                        name: "Base".into(),
                        threshold: 0,
                        multiplier_permille: 1000,
                        benefits: String::new(),
                    },
                    TierSpec {
                        name: "Plus".into(),
                        threshold: 500,
                        multiplier_permille: 1500,
                        benefits: String::new(),
                    },
                ],
                allow_downgrade: Some(true),
                expiry_months: Some(6),
                pending_days: Some(7),
            },
            None,
        )
    })
    .unwrap();

    let conn = RefCell::new(conn);
    let mut runner = TestRunner::new(Config {
        cases: 64,
        ..Config::default()
    });
    runner
        .run(&prop::collection::vec(op(), 1..40), |ops| {
            let mut conn = conn.borrow_mut();
            let conn = &mut *conn;
            let account = account(conn, &ws);
            let mut clock = now() - Duration::days(400);
            let mut model = Model {
                non_expiry_sum: 0,
                orders: Vec::new(),
            };
            for op in &ops {
                match op {
                    Op::Earn { amount } => {
                        let order = new_id();
                        let earn = |conn: &mut DbConn| {
                            in_tx(conn, &ws, |c, cx| {
                                loyalty::earn_for_order(
                                    c, cx, &ws, &account, &order, *amount, "EUR", clock, clock,
                                )
                            })
                            .unwrap()
                            .unwrap()
                        };
                        let first = earn(conn);
                        let retry = earn(conn);
                        assert_eq!(first, retry, "a retried earning is the same entry");
                        model.non_expiry_sum += first.points;
                        model.orders.push((order, *amount, 0));
                    }
                    Op::Refund { order, permille } => {
                        let Some(o) = model.orders.get_mut(order % 8) else {
                            continue;
                        };
                        let left = o.1 - o.2;
                        if left == 0 {
                            continue;
                        }
                        let refund = (left * permille / 1000).max(1);
                        let refund_id = new_id();
                        let reverse = |conn: &mut DbConn| {
                            in_tx(conn, &ws, |c, cx| {
                                loyalty::reverse_for_order_refund(
                                    c, cx, &ws, &account, &o.0, &refund_id, refund, o.1, clock,
                                )
                            })
                            .unwrap()
                        };
                        let first = reverse(conn);
                        let retry = reverse(conn);
                        assert_eq!(first, retry, "a retried refund is the same entry");
                        o.2 += refund;
                        if let Some(entry) = first {
                            model.non_expiry_sum += entry.points;
                        }
                    }
                    Op::Redeem { points } => {
                        let before = loyalty::balance(conn, &ws, &account, clock)
                            .unwrap()
                            .unwrap();
                        let input = RedeemInput {
                            points: Some(*points),
                            reward_id: None,
                            note: None,
                        };
                        let result = in_tx(conn, &ws, |c, cx| {
                            loyalty::redeem_at(c, cx, &account, &input, None, clock)
                        });
                        match result {
                            Ok(r) => {
                                assert!(before.available >= *points);
                                let after = r.available_after.unwrap();
                                assert!(after >= 0, "redeemed below zero");
                                assert_eq!(after, before.available - points);
                                model.non_expiry_sum -= points;
                            }
                            Err(e) => {
                                assert_eq!(e.code, "insufficient_points");
                                assert!(before.available < *points);
                            }
                        }
                    }
                    Op::Adjust { points } => {
                        let adjustment = Adjustment::new(*points, "property test").unwrap();
                        let result = in_tx(conn, &ws, |c, cx| {
                            loyalty::adjust_at(c, cx, &account, &adjustment, clock)
                        });
                        match result {
                            Ok(entry) => model.non_expiry_sum += entry.points,
                            Err(e) => {
                                assert!(*points < 0);
                                assert_eq!(e.code, "insufficient_points");
                            }
                        }
                    }
                    Op::Advance { days } => {
                        clock += Duration::days(*days);
                        loyalty::run_jobs(conn, clock).unwrap();
                        let again = loyalty::run_jobs(conn, clock).unwrap().0;
                        assert_eq!(again.expired_lots, 0, "the expiry job is idempotent");
                        assert_eq!(again.upgrades + again.downgrades, 0, "so is the tier job");
                    }
                }
                check(conn, &ws, &account, &model, clock);
            }
            Ok(())
        })
        .unwrap();
}

/// A write transaction through the pipeline as the system actor; the effects are not
/// applied (these tests read balances, which are not cached).
fn in_tx<T>(
    conn: &mut rapport_persistence::DbConn,
    ws: &str,
    f: impl FnOnce(
        &mut rapport_persistence::DbConn,
        &mut rapport_api::service::pipeline::WriteContext,
    ) -> Result<T, rapport_api::error::ApiError>,
) -> Result<T, rapport_api::error::ApiError> {
    rapport_api::service::pipeline::transact(conn, &Principal::system(ws), f).map(|(v, _)| v)
}
