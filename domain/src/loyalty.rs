//! Loyalty programme rules: earning, tiers, point lots (FIFO spending and expiry), refunds, debt and balances.

// The service persists lots and ledger entries and calls these functions inside one
// transaction. Everything here is integer arithmetic: overflow is an error, never a wrap.
//
// Model. Every credit (an earning or a positive adjustment) opens a `Lot`. Spending,
// expiry and refunds take points out of lots; the ledger records each movement as a signed
// entry. A refund that cannot be taken back from its order's lot (the points were already
// spent) becomes `debt`, which the next credits pay off before anything else. The invariant
// the service can check at any time is
//
//     ledger sum = Σ lot.remaining − debt
//
// so the debt is never stored independently of the ledger: `debt_from_ledger` derives it.

use std::fmt;

use chrono::{DateTime, Months, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// Points that expire within this many days are reported as "expiring soon".
pub const EXPIRING_SOON_DAYS: i64 = 30;
/// A tier multiplier of exactly 1×, in per-mille.
pub const MULTIPLIER_ONE: u32 = 1000;
/// Largest tier multiplier accepted (100×): anything above is a typo, not a programme.
pub const MAX_MULTIPLIER_PERMILLE: u32 = 100_000;
/// Longest rolling window for tier qualification (about ten years).
pub const MAX_WINDOW_DAYS: u32 = 3660;
/// Longest expiry period.
pub const MAX_EXPIRY_MONTHS: u32 = 120;
/// Longest pending (return-window) period.
pub const MAX_PENDING_DAYS: u32 = 365;

/// Everything that can go wrong. `code()` gives a stable identifier for APIs and logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoyaltyError {
    #[error("not enough points: {available} available, {requested} requested")]
    InsufficientPoints { available: i64, requested: i64 },
    #[error("{field} must be positive, got {value}")]
    NonPositive { field: &'static str, value: i64 },
    #[error("{field} must not be negative, got {value}")]
    Negative { field: &'static str, value: i64 },
    #[error("points arithmetic overflowed")]
    Overflow,
    #[error("a date is out of the supported range")]
    DateOutOfRange,
    #[error("no tier {index}: the programme has {tiers} tiers")]
    UnknownTier { index: usize, tiers: usize },
    #[error("no lot {id}")]
    UnknownLot { id: String },
    #[error("lot {id} is inconsistent: {reason}")]
    InconsistentLot { id: String, reason: &'static str },
    #[error("cannot reverse {requested} points from lot {lot_id}: it was credited {credited}")]
    ReversalExceedsCredit {
        lot_id: String,
        credited: i64,
        requested: i64,
    },
    #[error("refund of {refunded} exceeds the order's eligible spend of {spend}")]
    RefundExceedsSpend { spend: i64, refunded: i64 },
    #[error("the ledger sums to {ledger} but the lots hold {lots}: the ledger and the lots have drifted")]
    LedgerDrift { ledger: i64, lots: i64 },
    #[error("a manual adjustment needs a reason")]
    ReasonRequired,
    #[error("{kind} entries must be {expected}, got {points}")]
    WrongSign {
        kind: EntryKind,
        expected: &'static str,
        points: i64,
    },
    #[error("invalid programme: {0}")]
    InvalidProgram(ProgramIssue),
}

impl LoyaltyError {
    /// Stable snake_case identifier.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InsufficientPoints { .. } => "insufficient_points",
            Self::NonPositive { .. } => "non_positive_points",
            Self::Negative { .. } => "negative_amount",
            Self::Overflow => "points_overflow",
            Self::DateOutOfRange => "date_out_of_range",
            Self::UnknownTier { .. } => "unknown_tier",
            Self::UnknownLot { .. } => "unknown_lot",
            Self::InconsistentLot { .. } => "inconsistent_lot",
            Self::ReversalExceedsCredit { .. } => "reversal_exceeds_credit",
            Self::RefundExceedsSpend { .. } => "refund_exceeds_spend",
            Self::LedgerDrift { .. } => "ledger_drift",
            Self::ReasonRequired => "reason_required",
            Self::WrongSign { .. } => "wrong_sign",
            Self::InvalidProgram(issue) => issue.code(),
        }
    }
}

/// One problem with a programme, named by its field path (`tiers[1].threshold`) so the API
/// can report it next to the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {message}")]
pub struct ProgramIssue {
    pub field: String,
    pub message: String,
}

impl ProgramIssue {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn code(&self) -> &'static str {
        "invalid_program"
    }
}

fn add(a: i64, b: i64) -> Result<i64, LoyaltyError> {
    a.checked_add(b).ok_or(LoyaltyError::Overflow)
}

fn sub(a: i64, b: i64) -> Result<i64, LoyaltyError> {
    a.checked_sub(b).ok_or(LoyaltyError::Overflow)
}

fn positive(field: &'static str, value: i64) -> Result<(), LoyaltyError> {
    if value > 0 {
        Ok(())
    } else {
        Err(LoyaltyError::NonPositive { field, value })
    }
}

fn non_negative(field: &'static str, value: i64) -> Result<(), LoyaltyError> {
    if value >= 0 {
        Ok(())
    } else {
        Err(LoyaltyError::Negative { field, value })
    }
}

// ---------------------------------------------------------------------------------------
// Programme
// ---------------------------------------------------------------------------------------

/// How fractional points are rounded when earning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    Down,
    /// Halves round up (earned points are never negative).
    Nearest,
    Up,
}

/// What tiers are qualified on, over the rolling window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualification {
    /// Eligible spend in minor units, net of refunds.
    Spend,
    /// Points earned (not adjustments), net of reversals.
    PointsEarned,
}

/// Points per minor unit of eligible spend, as a fraction: 1 point per EUR is `1/100`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EarnRate {
    pub numerator: i64,
    pub denominator: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub name: String,
    /// Qualifying amount (minor units or points, per `Program::qualification`) from which
    /// this tier applies. The first tier is the base tier and starts at 0.
    pub threshold: i64,
    /// Earning multiplier in per-mille: 1000 = 1×, 1500 = 1.5×.
    pub multiplier_permille: u32,
    pub benefits: String,
}

/// What `loyalty_programs.definition` holds: the programme and whether tiers may go down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredProgram {
    pub program: Program,
    pub allow_downgrade: bool,
}

impl StoredProgram {
    /// The tier names, lowest first.
    pub fn tier_names(&self) -> Vec<String> {
        self.program.tiers.iter().map(|t| t.name.clone()).collect()
    }
}

/// A workspace's loyalty programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    pub earn_rate: EarnRate,
    pub rounding: Rounding,
    pub qualification: Qualification,
    /// Ordered by strictly increasing threshold; `tiers[0]` is the base tier (threshold 0)
    /// so every member always has a tier.
    pub tiers: Vec<Tier>,
    pub qualification_window_days: u32,
    /// Points expire this many months after they were earned; `None`: never.
    pub expiry_months: Option<u32>,
    /// Earned points become spendable after this many days (the return window), so most
    /// refunds take back points that were never spendable.
    pub pending_days: u32,
}

impl Program {
    /// Every problem, each named by its field.
    pub fn validate(&self) -> Result<(), Vec<ProgramIssue>> {
        let mut issues = Vec::new();
        if self.earn_rate.denominator <= 0 {
            issues.push(ProgramIssue::new(
                "earn_rate.denominator",
                "must be positive",
            ));
        }
        if self.earn_rate.numerator < 0 {
            issues.push(ProgramIssue::new(
                "earn_rate.numerator",
                "must not be negative",
            ));
        }
        if self.tiers.is_empty() {
            issues.push(ProgramIssue::new(
                "tiers",
                "needs at least the base tier (threshold 0)",
            ));
        }
        for (i, tier) in self.tiers.iter().enumerate() {
            let name = tier.name.trim();
            if name.is_empty() || name.chars().count() > 100 {
                issues.push(ProgramIssue::new(
                    format!("tiers[{i}].name"),
                    "must be 1 to 100 characters",
                ));
            }
            let duplicate = self.tiers[..i]
                .iter()
                .any(|t| t.name.trim().to_lowercase() == name.to_lowercase());
            if duplicate && !name.is_empty() {
                issues.push(ProgramIssue::new(
                    format!("tiers[{i}].name"),
                    "is used by another tier",
                ));
            }
            if i == 0 && tier.threshold != 0 {
                issues.push(ProgramIssue::new(
                    "tiers[0].threshold",
                    "must be 0: the first tier is the base tier every member has",
                ));
            }
            if i > 0 && tier.threshold <= self.tiers[i - 1].threshold {
                issues.push(ProgramIssue::new(
                    format!("tiers[{i}].threshold"),
                    "must be greater than the previous tier's",
                ));
            }
            if !(MULTIPLIER_ONE..=MAX_MULTIPLIER_PERMILLE).contains(&tier.multiplier_permille) {
                issues.push(ProgramIssue::new(
                    format!("tiers[{i}].multiplier_permille"),
                    format!("must be between {MULTIPLIER_ONE} (1x) and {MAX_MULTIPLIER_PERMILLE} (100x)"),
                ));
            }
            if i > 0 && tier.multiplier_permille < self.tiers[i - 1].multiplier_permille {
                issues.push(ProgramIssue::new(
                    format!("tiers[{i}].multiplier_permille"),
                    "must not be lower than the previous tier's: a higher tier never earns less",
                ));
            }
            if tier.benefits.chars().count() > 2000 {
                issues.push(ProgramIssue::new(
                    format!("tiers[{i}].benefits"),
                    "must be at most 2000 characters",
                ));
            }
        }
        if !(1..=MAX_WINDOW_DAYS).contains(&self.qualification_window_days) {
            issues.push(ProgramIssue::new(
                "qualification_window_days",
                format!("must be between 1 and {MAX_WINDOW_DAYS}"),
            ));
        }
        if self.pending_days > MAX_PENDING_DAYS {
            issues.push(ProgramIssue::new(
                "pending_days",
                format!("must be at most {MAX_PENDING_DAYS}"),
            ));
        }
        if let Some(months) = self.expiry_months {
            if !(1..=MAX_EXPIRY_MONTHS).contains(&months) {
                issues.push(ProgramIssue::new(
                    "expiry_months",
                    format!("must be between 1 and {MAX_EXPIRY_MONTHS}, or absent for never"),
                ));
            } else if u64::from(self.pending_days) >= 28 * u64::from(months) {
                // m calendar months are at least 28·m days long: below that, points always
                // become spendable before they expire.
                issues.push(ProgramIssue::new(
                    "pending_days",
                    "must be shorter than the expiry period: points would expire before they could be spent",
                ));
            }
        }
        if issues.is_empty() {
            Ok(())
        } else {
            Err(issues)
        }
    }

    fn tier(&self, index: usize) -> Result<&Tier, LoyaltyError> {
        self.tiers.get(index).ok_or(LoyaltyError::UnknownTier {
            index,
            tiers: self.tiers.len(),
        })
    }

    /// When points earned at `earned_at` become spendable and when they expire.
    pub fn lot_dates(
        &self,
        earned_at: DateTime<Utc>,
    ) -> Result<(DateTime<Utc>, Option<DateTime<Utc>>), LoyaltyError> {
        let pending = TimeDelta::try_days(i64::from(self.pending_days))
            .ok_or(LoyaltyError::DateOutOfRange)?;
        let available_at = earned_at
            .checked_add_signed(pending)
            .ok_or(LoyaltyError::DateOutOfRange)?;
        let expires_at = match self.expiry_months {
            None => None,
            Some(m) => Some(
                earned_at
                    .checked_add_months(Months::new(m))
                    .ok_or(LoyaltyError::DateOutOfRange)?,
            ),
        };
        Ok((available_at, expires_at))
    }

    /// The lot for points earned on a purchase: pending for `pending_days`, expiring per the
    /// programme. Outstanding `debt` is paid first (see [`settle_debt`]); the lot records the
    /// full credit in `points` and what is left after the debt in `remaining`.
    pub fn earned_lot(
        &self,
        id: impl Into<String>,
        earned_at: DateTime<Utc>,
        points: i64,
        debt: i64,
    ) -> Result<OpenedLot, LoyaltyError> {
        let (available_at, expires_at) = self.lot_dates(earned_at)?;
        open_lot(id.into(), earned_at, points, debt, available_at, expires_at)
    }

    /// The lot for a positive manual adjustment: spendable at once (there is nothing to
    /// return), expiring per the programme from `at`. Pays debt first like an earning.
    pub fn adjustment_lot(
        &self,
        id: impl Into<String>,
        at: DateTime<Utc>,
        adjustment: &Adjustment,
        debt: i64,
    ) -> Result<OpenedLot, LoyaltyError> {
        positive("adjustment.points", adjustment.points)?;
        let (_, expires_at) = self.lot_dates(at)?;
        open_lot(id.into(), at, adjustment.points, debt, at, expires_at)
    }

    /// The lot a cancelled redemption's points come back in: spendable at once, paying
    /// debt first, and expiring by the programme's rule counted from the cancellation (the
    /// lots the redemption drew from are not recorded, so their dates cannot be restored).
    pub fn returned_lot(
        &self,
        id: impl Into<String>,
        at: DateTime<Utc>,
        points: i64,
        debt: i64,
    ) -> Result<OpenedLot, LoyaltyError> {
        positive("points", points)?;
        let (_, expires_at) = self.lot_dates(at)?;
        open_lot(id.into(), at, points, debt, at, expires_at)
    }
}

/// Points earned on `eligible_spend_minor` by a member of tier `tier`:
/// `spend × rate × multiplier`, rounded once at the end by the programme's rule.
pub fn earn(
    program: &Program,
    tier: usize,
    eligible_spend_minor: i64,
) -> Result<i64, LoyaltyError> {
    non_negative("eligible_spend_minor", eligible_spend_minor)?;
    let tier = program.tier(tier)?;
    let rate = program.earn_rate;
    if rate.denominator <= 0 || rate.numerator < 0 {
        return Err(LoyaltyError::InvalidProgram(ProgramIssue::new(
            "earn_rate",
            "must be a non-negative fraction with a positive denominator",
        )));
    }
    let numerator = i128::from(eligible_spend_minor)
        .checked_mul(i128::from(rate.numerator))
        .and_then(|n| n.checked_mul(i128::from(tier.multiplier_permille)))
        .ok_or(LoyaltyError::Overflow)?;
    let denominator = i128::from(rate.denominator)
        .checked_mul(i128::from(MULTIPLIER_ONE))
        .ok_or(LoyaltyError::Overflow)?;
    // Both are non-negative and the denominator positive, so plain division floors.
    let points = match program.rounding {
        Rounding::Down => numerator / denominator,
        Rounding::Up => {
            numerator
                .checked_add(denominator - 1)
                .ok_or(LoyaltyError::Overflow)?
                / denominator
        }
        Rounding::Nearest => {
            let twice = numerator.checked_mul(2).ok_or(LoyaltyError::Overflow)?;
            twice
                .checked_add(denominator)
                .ok_or(LoyaltyError::Overflow)?
                / (denominator * 2)
        }
    };
    i64::try_from(points).map_err(|_| LoyaltyError::Overflow)
}

// ---------------------------------------------------------------------------------------
// Tiers
// ---------------------------------------------------------------------------------------

/// The next tier up and how much qualifying amount is still missing to reach it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextTier {
    pub tier: usize,
    pub missing: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierStatus {
    /// Index into `Program::tiers`.
    pub tier: usize,
    /// `None` at the top tier.
    pub next: Option<NextTier>,
}

/// The tier a qualifying amount (spend or points earned in the window) reaches: the highest
/// whose threshold it meets. A negative amount (refunds exceeding purchases in the window)
/// counts as 0.
pub fn evaluate_tier(
    program: &Program,
    qualifying_amount: i64,
) -> Result<TierStatus, LoyaltyError> {
    if program.tiers.is_empty() {
        return Err(LoyaltyError::InvalidProgram(ProgramIssue::new(
            "tiers",
            "needs at least the base tier (threshold 0)",
        )));
    }
    let amount = qualifying_amount.max(0);
    let reached = program
        .tiers
        .iter()
        .rposition(|t| t.threshold <= amount)
        .unwrap_or(0);
    let next = match program.tiers.get(reached + 1) {
        None => None,
        Some(t) => Some(NextTier {
            tier: reached + 1,
            missing: sub(t.threshold, amount)?,
        }),
    };
    Ok(TierStatus {
        tier: reached,
        next,
    })
}

/// The qualifying amount at `now`: the sum of `(at, amount)` events in the rolling window
/// `(now − window, now]`. Events are purchases (positive) and refunds (negative) in minor
/// units for `Spend`, earnings and reversals in points for `PointsEarned`. Floored at 0.
pub fn qualifying_amount(
    program: &Program,
    events: &[(DateTime<Utc>, i64)],
    now: DateTime<Utc>,
) -> Result<i64, LoyaltyError> {
    let window = TimeDelta::try_days(i64::from(program.qualification_window_days))
        .ok_or(LoyaltyError::DateOutOfRange)?;
    let start = now
        .checked_sub_signed(window)
        .ok_or(LoyaltyError::DateOutOfRange)?;
    let mut total = 0i64;
    for (at, amount) in events {
        if *at > start && *at <= now {
            total = add(total, *amount)?;
        }
    }
    Ok(total.max(0))
}

/// What the tier job does for one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum TierChange {
    Unchanged { tier: usize },
    Upgrade { from: usize, to: usize },
    Downgrade { from: usize, to: usize },
}

/// Re-evaluation: the tier is a function of the qualifying amount alone, so running the job
/// twice for the same `now` changes nothing the second time.
pub fn reevaluate_tier(
    program: &Program,
    current: usize,
    qualifying_amount: i64,
) -> Result<TierChange, LoyaltyError> {
    program.tier(current)?;
    let to = evaluate_tier(program, qualifying_amount)?.tier;
    Ok(match to.cmp(&current) {
        std::cmp::Ordering::Equal => TierChange::Unchanged { tier: current },
        std::cmp::Ordering::Greater => TierChange::Upgrade { from: current, to },
        std::cmp::Ordering::Less => TierChange::Downgrade { from: current, to },
    })
}

// ---------------------------------------------------------------------------------------
// Lots
// ---------------------------------------------------------------------------------------

/// Points credited together (one earning or one positive adjustment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lot {
    pub id: String,
    pub earned_at: DateTime<Utc>,
    /// Credited, never changes.
    pub points: i64,
    /// Still in the lot: spendable once `available_at` is reached, until `expires_at`.
    pub remaining: i64,
    /// Taken out by expiry and not yet attributed to a refund of this lot's order (see
    /// [`reverse`]): a refund after expiry must not charge the customer a second time.
    pub expired: i64,
    pub available_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl Lot {
    /// `0 <= remaining`, `0 <= expired`, `remaining + expired <= points`.
    pub fn check(&self) -> Result<(), LoyaltyError> {
        let bad = |reason| {
            Err(LoyaltyError::InconsistentLot {
                id: self.id.clone(),
                reason,
            })
        };
        if self.points < 0 {
            return bad("credited points are negative");
        }
        if self.remaining < 0 {
            return bad("remaining points are negative");
        }
        if self.expired < 0 {
            return bad("expired points are negative");
        }
        if add(self.remaining, self.expired)? > self.points {
            return bad("remaining and expired points exceed the credit");
        }
        Ok(())
    }

    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|e| now >= e)
    }

    pub fn is_pending(&self, now: DateTime<Utc>) -> bool {
        now < self.available_at && !self.is_expired(now)
    }

    pub fn is_spendable(&self, now: DateTime<Utc>) -> bool {
        now >= self.available_at && !self.is_expired(now)
    }
}

/// A new lot and the part of its credit that went to paying off debt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenedLot {
    pub lot: Lot,
    pub debt_paid: i64,
}

fn open_lot(
    id: String,
    earned_at: DateTime<Utc>,
    points: i64,
    debt: i64,
    available_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
) -> Result<OpenedLot, LoyaltyError> {
    non_negative("points", points)?;
    let (debt_paid, remaining) = settle_debt(debt, points)?;
    Ok(OpenedLot {
        lot: Lot {
            id,
            earned_at,
            points,
            remaining,
            expired: 0,
            available_at,
            expires_at,
        },
        debt_paid,
    })
}

/// Debt is paid first from new credits: `(paid, remaining_earned)` with
/// `paid = min(debt, earned)` and `paid + remaining_earned = earned`.
pub fn settle_debt(debt: i64, earned: i64) -> Result<(i64, i64), LoyaltyError> {
    non_negative("debt", debt)?;
    non_negative("earned", earned)?;
    let paid = debt.min(earned);
    Ok((paid, sub(earned, paid)?))
}

/// Points taken from one lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Take {
    pub lot_id: String,
    pub points: i64,
}

fn check_all(lots: &[Lot]) -> Result<(), LoyaltyError> {
    lots.iter().try_for_each(Lot::check)
}

/// Lots oldest first: by earning time, then id so equal times have a stable order.
fn fifo(lots: &[Lot]) -> Vec<&Lot> {
    let mut order: Vec<&Lot> = lots.iter().collect();
    order.sort_by(|a, b| a.earned_at.cmp(&b.earned_at).then_with(|| a.id.cmp(&b.id)));
    order
}

/// Spends `points` from spendable lots (past pending, not expired), oldest first.
/// Outstanding `debt` is owed out of the spendable points, so at most
/// `spendable − debt` can be redeemed: the balance never goes below zero by spending.
/// Also used for negative manual adjustments.
pub fn redeem(
    lots: &[Lot],
    debt: i64,
    points: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Take>, LoyaltyError> {
    positive("points", points)?;
    non_negative("debt", debt)?;
    check_all(lots)?;
    let spendable = spendable(lots, now)?;
    let available = sub(spendable, debt)?;
    if points > available {
        return Err(LoyaltyError::InsufficientPoints {
            available,
            requested: points,
        });
    }
    let mut left = points;
    let mut takes = Vec::new();
    for lot in fifo(lots) {
        if left == 0 {
            break;
        }
        if !lot.is_spendable(now) || lot.remaining == 0 {
            continue;
        }
        let taken = lot.remaining.min(left);
        left -= taken;
        takes.push(Take {
            lot_id: lot.id.clone(),
            points: taken,
        });
    }
    Ok(takes)
}

/// What the expiry job takes out at `now`: the remaining points of every lot past its
/// expiry date. Once applied the lots hold nothing, so a second run returns nothing.
pub fn expire(lots: &[Lot], now: DateTime<Utc>) -> Vec<Take> {
    fifo(lots)
        .into_iter()
        .filter(|lot| lot.is_expired(now) && lot.remaining > 0)
        .map(|lot| Take {
            lot_id: lot.id.clone(),
            points: lot.remaining,
        })
        .collect()
}

/// How a refund's points are taken back. `from_lot + already_expired + shortfall` is what
/// was asked; the ledger's reverse entry is `−(from_lot + shortfall)` (expired points
/// already left the balance through their expire entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reversal {
    /// Taken back from what the order's lot still holds (pending or spendable).
    pub from_lot: i64,
    /// Had already expired from the lot: not charged again.
    pub already_expired: i64,
    /// Already spent (or used to pay older debt): becomes debt.
    pub shortfall: i64,
}

impl Reversal {
    /// The (negative) amount of the ledger's reverse entry.
    pub fn ledger_points(&self) -> Result<i64, LoyaltyError> {
        add(self.from_lot, self.shortfall).map(|p| -p)
    }
}

/// Takes back `points` earned by the order whose lot is `order_lot_id`: first from what the
/// lot still holds, then from what expired from it (written off, it is gone already), and
/// the rest (points already spent) becomes a shortfall to record as debt.
pub fn reverse(lots: &[Lot], order_lot_id: &str, points: i64) -> Result<Reversal, LoyaltyError> {
    positive("points", points)?;
    let lot =
        lots.iter()
            .find(|l| l.id == order_lot_id)
            .ok_or_else(|| LoyaltyError::UnknownLot {
                id: order_lot_id.to_owned(),
            })?;
    lot.check()?;
    if points > lot.points {
        return Err(LoyaltyError::ReversalExceedsCredit {
            lot_id: lot.id.clone(),
            credited: lot.points,
            requested: points,
        });
    }
    let from_lot = lot.remaining.min(points);
    let rest = points - from_lot;
    let already_expired = lot.expired.min(rest);
    Ok(Reversal {
        from_lot,
        already_expired,
        shortfall: rest - already_expired,
    })
}

/// Points to reverse for a (partial) refund of an order that earned `earned` points on
/// `spend` minor units: proportional to the refunded spend, computed on the cumulative
/// refund so that partial refunds add up exactly to `earned` once everything is refunded.
/// Rounds down, in the customer's favour, until the last refund.
pub fn refund_points(
    earned: i64,
    spend: i64,
    refunded_before: i64,
    refunding_now: i64,
) -> Result<i64, LoyaltyError> {
    non_negative("earned", earned)?;
    non_negative("spend", spend)?;
    non_negative("refunded_before", refunded_before)?;
    non_negative("refunding_now", refunding_now)?;
    let refunded = add(refunded_before, refunding_now)?;
    if refunded > spend {
        return Err(LoyaltyError::RefundExceedsSpend { spend, refunded });
    }
    if spend == 0 {
        return Ok(0);
    }
    let share = |refunded: i64| -> Result<i64, LoyaltyError> {
        let n = i128::from(earned) * i128::from(refunded);
        i64::try_from(n / i128::from(spend)).map_err(|_| LoyaltyError::Overflow)
    };
    sub(share(refunded)?, share(refunded_before)?)
}

fn find_mut<'a>(lots: &'a mut [Lot], id: &str) -> Result<&'a mut Lot, LoyaltyError> {
    lots.iter_mut()
        .find(|l| l.id == id)
        .ok_or_else(|| LoyaltyError::UnknownLot { id: id.to_owned() })
}

/// Applies the takes of [`redeem`] to in-memory lots. All or nothing.
pub fn apply_takes(lots: &mut [Lot], takes: &[Take]) -> Result<(), LoyaltyError> {
    let mut updated = lots.to_vec();
    for take in takes {
        positive("take.points", take.points)?;
        let lot = find_mut(&mut updated, &take.lot_id)?;
        if take.points > lot.remaining {
            return Err(LoyaltyError::InsufficientPoints {
                available: lot.remaining,
                requested: take.points,
            });
        }
        lot.remaining -= take.points;
    }
    lots.clone_from_slice(&updated);
    Ok(())
}

/// Applies the result of [`expire`]: the points leave `remaining` and are noted in `expired`.
pub fn apply_expiry(lots: &mut [Lot], expiries: &[Take]) -> Result<(), LoyaltyError> {
    let mut updated = lots.to_vec();
    for e in expiries {
        positive("expiry.points", e.points)?;
        let lot = find_mut(&mut updated, &e.lot_id)?;
        if e.points > lot.remaining {
            return Err(LoyaltyError::InsufficientPoints {
                available: lot.remaining,
                requested: e.points,
            });
        }
        lot.remaining -= e.points;
        lot.expired = add(lot.expired, e.points)?;
    }
    lots.clone_from_slice(&updated);
    Ok(())
}

/// Applies a [`reverse`] result to its lot and returns the new debt.
pub fn apply_reversal(
    lots: &mut [Lot],
    order_lot_id: &str,
    reversal: &Reversal,
    debt: i64,
) -> Result<i64, LoyaltyError> {
    non_negative("debt", debt)?;
    let lot = find_mut(lots, order_lot_id)?;
    if reversal.from_lot > lot.remaining || reversal.already_expired > lot.expired {
        return Err(LoyaltyError::InconsistentLot {
            id: lot.id.clone(),
            reason: "the reversal takes more than the lot holds",
        });
    }
    let new_debt = add(debt, reversal.shortfall)?;
    lot.remaining -= reversal.from_lot;
    lot.expired -= reversal.already_expired;
    Ok(new_debt)
}

// ---------------------------------------------------------------------------------------
// Balance
// ---------------------------------------------------------------------------------------

fn spendable(lots: &[Lot], now: DateTime<Utc>) -> Result<i64, LoyaltyError> {
    lots.iter()
        .filter(|l| l.is_spendable(now))
        .try_fold(0i64, |acc, l| add(acc, l.remaining))
}

/// A member's points at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    /// Remaining points in lots past pending and not expired.
    pub spendable: i64,
    /// `spendable − debt`: what can be redeemed. Negative while debt exceeds the spendable
    /// points; it is shown as is, never floored, so the debt stays visible.
    pub available: i64,
    /// Earned but still in the return window.
    pub pending: i64,
    /// Remaining points (spendable or pending) expiring within [`EXPIRING_SOON_DAYS`].
    pub expiring_soon: i64,
    /// Refunded points that had already been spent, to be paid off by future credits.
    pub debt: i64,
}

pub fn balance(lots: &[Lot], debt: i64, now: DateTime<Utc>) -> Result<Balance, LoyaltyError> {
    non_negative("debt", debt)?;
    check_all(lots)?;
    let soon = now
        .checked_add_signed(
            TimeDelta::try_days(EXPIRING_SOON_DAYS).ok_or(LoyaltyError::DateOutOfRange)?,
        )
        .ok_or(LoyaltyError::DateOutOfRange)?;
    let mut pending = 0i64;
    let mut expiring_soon = 0i64;
    for lot in lots {
        if lot.is_pending(now) {
            pending = add(pending, lot.remaining)?;
        }
        if !lot.is_expired(now) && lot.expires_at.is_some_and(|e| e <= soon) {
            expiring_soon = add(expiring_soon, lot.remaining)?;
        }
    }
    let spendable = spendable(lots, now)?;
    Ok(Balance {
        spendable,
        available: sub(spendable, debt)?,
        pending,
        expiring_soon,
        debt,
    })
}

/// The debt implied by the ledger: `Σ remaining − ledger sum`. The service derives the debt
/// this way instead of storing it, so it cannot drift; a negative result means the lots and
/// the ledger disagree.
pub fn debt_from_ledger(lots: &[Lot], ledger_sum: i64) -> Result<i64, LoyaltyError> {
    let held = lots.iter().try_fold(0i64, |acc, l| add(acc, l.remaining))?;
    let debt = sub(held, ledger_sum)?;
    if debt < 0 {
        return Err(LoyaltyError::LedgerDrift {
            ledger: ledger_sum,
            lots: held,
        });
    }
    Ok(debt)
}

// ---------------------------------------------------------------------------------------
// Ledger
// ---------------------------------------------------------------------------------------

/// Kinds of immutable ledger entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Earn,
    Redeem,
    Expire,
    Adjust,
    Reverse,
    /// The points of a cancelled redemption, given back.
    Return,
}

impl EntryKind {
    pub const ALL: &'static [EntryKind] = &[
        EntryKind::Earn,
        EntryKind::Redeem,
        EntryKind::Expire,
        EntryKind::Adjust,
        EntryKind::Reverse,
        EntryKind::Return,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Earn => "earn",
            Self::Redeem => "redeem",
            Self::Expire => "expire",
            Self::Adjust => "adjust",
            Self::Reverse => "reverse",
            Self::Return => "return",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == text)
    }
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Checks an entry's sign before it is written: earnings are positive (0 is allowed: a
/// purchase below one point is still recorded), spending, expiry and reversals negative
/// (a reversal whose points had all expired is 0), returns positive, adjustments non-zero
/// with a reason.
pub fn check_entry(kind: EntryKind, points: i64, reason: Option<&str>) -> Result<(), LoyaltyError> {
    let (ok, expected) = match kind {
        EntryKind::Earn => (points >= 0, "zero or positive"),
        EntryKind::Return => (points > 0, "positive"),
        EntryKind::Redeem | EntryKind::Expire => (points < 0, "negative"),
        EntryKind::Reverse => (points <= 0, "zero or negative"),
        EntryKind::Adjust => (points != 0, "non-zero"),
    };
    if !ok {
        return Err(LoyaltyError::WrongSign {
            kind,
            expected,
            points,
        });
    }
    if kind == EntryKind::Adjust {
        Adjustment::new(points, reason.unwrap_or(""))?;
    }
    Ok(())
}

/// The sum of signed entries: the balance as the ledger states it.
pub fn ledger_sum(points: impl IntoIterator<Item = i64>) -> Result<i64, LoyaltyError> {
    points.into_iter().try_fold(0i64, add)
}

/// Idempotency key of the expiry of one lot: the job writes at most one expire entry per
/// lot, so running it twice cannot expire twice even if the lot update was lost.
pub fn expiry_key(lot_id: &str) -> String {
    format!("expire:{lot_id}")
}

/// Idempotency key of the earning on one order.
pub fn earn_key(order_id: &str) -> String {
    format!("earn:{order_id}")
}

/// Idempotency key of the points given back by one cancelled redemption.
pub fn return_key(redemption_id: &str) -> String {
    format!("return:{redemption_id}")
}

/// Idempotency key of the reversal for one refund.
pub fn reverse_key(refund_id: &str) -> String {
    format!("reverse:{refund_id}")
}

/// A manual adjustment: non-zero points and a reason (kept on the ledger entry for audit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    pub points: i64,
    pub reason: String,
}

impl Adjustment {
    /// Positive adjustments open a lot ([`Program::adjustment_lot`]); negative ones are taken
    /// like a redemption ([`redeem`]) and so cannot take the balance below zero.
    pub fn new(points: i64, reason: &str) -> Result<Self, LoyaltyError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(LoyaltyError::ReasonRequired);
        }
        if points == 0 {
            return Err(LoyaltyError::WrongSign {
                kind: EntryKind::Adjust,
                expected: "non-zero",
                points,
            });
        }
        Ok(Self {
            points,
            reason: reason.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    fn tier(name: &str, threshold: i64, multiplier_permille: u32) -> Tier {
        Tier {
            name: name.into(),
            threshold,
            multiplier_permille,
            benefits: String::new(),
        }
    }

    fn program() -> Program {
        Program {
            earn_rate: EarnRate {
                numerator: 1,
                denominator: 100,
            },
            rounding: Rounding::Down,
            qualification: Qualification::Spend,
            tiers: vec![
                tier("Bronze", 0, 1000),
                tier("Silver", 50_000, 1500),
                tier("Gold", 200_000, 2000),
            ],
            qualification_window_days: 365,
            expiry_months: Some(12),
            pending_days: 14,
        }
    }

    #[test]
    fn earn_applies_rate_multiplier_and_rounding() {
        let mut p = program();
        assert_eq!(earn(&p, 0, 10_000).unwrap(), 100);
        assert_eq!(earn(&p, 1, 10_000).unwrap(), 150);
        assert_eq!(earn(&p, 2, 2_550).unwrap(), 51);
        // 25.5 points at 1x, 38.25 at 1.5x.
        assert_eq!(earn(&p, 0, 2_550).unwrap(), 25);
        assert_eq!(earn(&p, 1, 2_550).unwrap(), 38);
        p.rounding = Rounding::Nearest;
        assert_eq!(earn(&p, 0, 2_550).unwrap(), 26);
        assert_eq!(earn(&p, 0, 2_549).unwrap(), 25);
        assert_eq!(earn(&p, 1, 2_550).unwrap(), 38);
        p.rounding = Rounding::Up;
        assert_eq!(earn(&p, 0, 2_501).unwrap(), 26);
        assert_eq!(earn(&p, 0, 2_500).unwrap(), 25);
        assert_eq!(earn(&p, 0, 0).unwrap(), 0);
        assert_eq!(earn(&p, 0, -1).unwrap_err().code(), "negative_amount");
        assert_eq!(earn(&p, 3, 1).unwrap_err().code(), "unknown_tier");
        p.earn_rate = EarnRate {
            numerator: i64::MAX,
            denominator: 1,
        };
        assert_eq!(earn(&p, 0, i64::MAX).unwrap_err(), LoyaltyError::Overflow);
    }

    #[test]
    fn validate_names_every_bad_field() {
        assert_eq!(program().validate(), Ok(()));
        let mut p = program();
        p.earn_rate.denominator = 0;
        p.tiers[0].threshold = 5;
        p.tiers[2].threshold = 50_000;
        p.tiers[1].multiplier_permille = 900;
        p.tiers[2].name = " bronze ".into();
        p.expiry_months = Some(0);
        p.qualification_window_days = 0;
        let fields: Vec<String> = p
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|i| i.field)
            .collect();
        for f in [
            "earn_rate.denominator",
            "tiers[0].threshold",
            "tiers[2].threshold",
            "tiers[1].multiplier_permille",
            "tiers[2].name",
            "expiry_months",
            "qualification_window_days",
        ] {
            assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
        }
        let mut p = program();
        p.expiry_months = Some(1);
        p.pending_days = 28;
        assert_eq!(p.validate().unwrap_err()[0].field, "pending_days");
        p.pending_days = 27;
        assert_eq!(p.validate(), Ok(()));
        p.tiers.clear();
        assert_eq!(p.validate().unwrap_err()[0].field, "tiers");
    }

    #[test]
    fn lot_dates_follow_calendar_months() {
        let mut p = program();
        p.expiry_months = Some(1);
        let (available, expires) = p.lot_dates(at(2025, 1, 31)).unwrap();
        assert_eq!(available, at(2025, 2, 14));
        assert_eq!(expires, Some(at(2025, 2, 28)));
        p.expiry_months = None;
        assert_eq!(p.lot_dates(at(2025, 1, 31)).unwrap().1, None);
    }

    #[test]
    fn tiers_report_progress_and_changes() {
        let p = program();
        let s = evaluate_tier(&p, 0).unwrap();
        assert_eq!(
            s,
            TierStatus {
                tier: 0,
                next: Some(NextTier {
                    tier: 1,
                    missing: 50_000
                })
            }
        );
        let s = evaluate_tier(&p, 50_000).unwrap();
        assert_eq!(
            s,
            TierStatus {
                tier: 1,
                next: Some(NextTier {
                    tier: 2,
                    missing: 150_000
                })
            }
        );
        assert_eq!(
            evaluate_tier(&p, 10_000_000).unwrap(),
            TierStatus {
                tier: 2,
                next: None
            }
        );
        assert_eq!(evaluate_tier(&p, -5).unwrap().tier, 0);
        assert_eq!(
            reevaluate_tier(&p, 2, 60_000).unwrap(),
            TierChange::Downgrade { from: 2, to: 1 }
        );
        assert_eq!(
            reevaluate_tier(&p, 1, 60_000).unwrap(),
            TierChange::Unchanged { tier: 1 }
        );
        assert_eq!(
            reevaluate_tier(&p, 0, 60_000).unwrap(),
            TierChange::Upgrade { from: 0, to: 1 }
        );
        assert_eq!(
            reevaluate_tier(&p, 7, 0).unwrap_err().code(),
            "unknown_tier"
        );
    }

    #[test]
    fn qualifying_amount_is_a_rolling_window() {
        let p = program();
        let now = at(2026, 1, 1);
        let events = [
            (at(2025, 1, 1), 1_000),  // exactly 365 days before: outside
            (at(2025, 1, 2), 20_000), // inside
            (at(2025, 6, 1), -5_000), // a refund
            (at(2026, 1, 2), 9_999),  // future
        ];
        assert_eq!(qualifying_amount(&p, &events, now).unwrap(), 15_000);
        assert_eq!(qualifying_amount(&p, &events[2..3], now).unwrap(), 0);
    }

    #[test]
    fn earn_refund_expire_redeem_by_hand() {
        let p = program();
        let t0 = at(2025, 1, 10);
        let mut ledger: Vec<i64> = Vec::new();
        let mut debt = 0;

        // Bronze member buys for 100.00 EUR: 100 points, pending until 24 Jan.
        let points = earn(&p, 0, 10_000).unwrap();
        assert_eq!(points, 100);
        let opened = p.earned_lot("L1", t0, points, debt).unwrap();
        assert_eq!(opened.debt_paid, 0);
        let mut lots = vec![opened.lot];
        assert_eq!(lots[0].available_at, at(2025, 1, 24));
        assert_eq!(lots[0].expires_at, Some(at(2026, 1, 10)));
        ledger.push(points);

        // Five days later 40.00 EUR is refunded: 40 points come back out of the pending lot.
        let now = at(2025, 1, 15);
        let back = refund_points(100, 10_000, 0, 4_000).unwrap();
        assert_eq!(back, 40);
        let r = reverse(&lots, "L1", back).unwrap();
        assert_eq!(
            r,
            Reversal {
                from_lot: 40,
                already_expired: 0,
                shortfall: 0
            }
        );
        debt = apply_reversal(&mut lots, "L1", &r, debt).unwrap();
        ledger.push(r.ledger_points().unwrap());
        assert_eq!(ledger_sum(ledger.clone()).unwrap(), 60);
        let b = balance(&lots, debt, now).unwrap();
        assert_eq!(
            b,
            Balance {
                spendable: 0,
                available: 0,
                pending: 60,
                expiring_soon: 0,
                debt: 0
            }
        );
        assert_eq!(
            redeem(&lots, debt, 10, now).unwrap_err(),
            LoyaltyError::InsufficientPoints {
                available: 0,
                requested: 10
            }
        );

        // After the return window the 60 are spendable.
        let b = balance(&lots, debt, at(2025, 1, 24)).unwrap();
        assert_eq!((b.spendable, b.available, b.pending), (60, 60, 0));

        // A second purchase of 25.50 EUR on 1 June: 25 points (rounded down).
        let points = earn(&p, 0, 2_550).unwrap();
        assert_eq!(points, 25);
        lots.push(
            p.earned_lot("L2", at(2025, 6, 1), points, debt)
                .unwrap()
                .lot,
        );
        ledger.push(points);

        // In mid-December the first lot's 60 points are about to expire.
        let b = balance(&lots, debt, at(2025, 12, 15)).unwrap();
        assert_eq!((b.available, b.expiring_soon), (85, 60));

        // On 10 January 2026 they expire; the job run twice expires once.
        let now = at(2026, 1, 10);
        let expiries = expire(&lots, now);
        assert_eq!(
            expiries,
            vec![Take {
                lot_id: "L1".into(),
                points: 60
            }]
        );
        apply_expiry(&mut lots, &expiries).unwrap();
        for e in &expiries {
            ledger.push(-e.points);
        }
        assert!(expire(&lots, now).is_empty());
        assert_eq!(ledger_sum(ledger.clone()).unwrap(), 25);

        // Redeeming: 30 is too much, 20 comes from the June lot.
        assert_eq!(
            redeem(&lots, debt, 30, now).unwrap_err(),
            LoyaltyError::InsufficientPoints {
                available: 25,
                requested: 30
            }
        );
        let takes = redeem(&lots, debt, 20, now).unwrap();
        assert_eq!(
            takes,
            vec![Take {
                lot_id: "L2".into(),
                points: 20
            }]
        );
        apply_takes(&mut lots, &takes).unwrap();
        ledger.push(-20);
        let b = balance(&lots, debt, now).unwrap();
        assert_eq!(
            b,
            Balance {
                spendable: 5,
                available: 5,
                pending: 0,
                expiring_soon: 0,
                debt: 0
            }
        );
        assert_eq!(ledger_sum(ledger.clone()).unwrap(), 5);
        assert_eq!(debt_from_ledger(&lots, 5).unwrap(), 0);

        // The rest of the first order is refunded after its points expired: nothing to
        // take back and nothing owed, the expiry already removed them.
        let back = refund_points(100, 10_000, 4_000, 6_000).unwrap();
        assert_eq!(back, 60);
        let r = reverse(&lots, "L1", back).unwrap();
        assert_eq!(
            r,
            Reversal {
                from_lot: 0,
                already_expired: 60,
                shortfall: 0
            }
        );
        debt = apply_reversal(&mut lots, "L1", &r, debt).unwrap();
        assert_eq!(r.ledger_points().unwrap(), 0);
        assert_eq!((debt, lots[0].expired), (0, 0));
        assert_eq!(
            reverse(&lots, "L1", 1).unwrap().shortfall,
            1,
            "nothing left to write off"
        );
    }

    #[test]
    fn refund_of_spent_points_becomes_debt_paid_by_later_earnings() {
        let p = program();
        let mut ledger = vec![100];
        let mut lots = vec![p.earned_lot("L1", at(2025, 1, 1), 100, 0).unwrap().lot];
        let now = at(2025, 2, 1);
        let takes = redeem(&lots, 0, 80, now).unwrap();
        apply_takes(&mut lots, &takes).unwrap();
        ledger.push(-80);

        let r = reverse(&lots, "L1", 100).unwrap();
        assert_eq!(
            r,
            Reversal {
                from_lot: 20,
                already_expired: 0,
                shortfall: 80
            }
        );
        let mut debt = apply_reversal(&mut lots, "L1", &r, 0).unwrap();
        ledger.push(r.ledger_points().unwrap());
        assert_eq!(debt, 80);
        let b = balance(&lots, debt, now).unwrap();
        assert_eq!((b.spendable, b.available, b.debt), (0, -80, 80));
        assert_eq!(
            debt_from_ledger(&lots, ledger_sum(ledger.clone()).unwrap()).unwrap(),
            80
        );

        // The next 50 points all go to the debt, the 100 after that pay the last 30.
        let opened = p.earned_lot("L2", at(2025, 2, 2), 50, debt).unwrap();
        assert_eq!(
            (opened.debt_paid, opened.lot.points, opened.lot.remaining),
            (50, 50, 0)
        );
        debt -= opened.debt_paid;
        lots.push(opened.lot);
        ledger.push(50);
        let adj = Adjustment::new(100, "goodwill: late delivery").unwrap();
        let opened = p.adjustment_lot("A1", at(2025, 2, 3), &adj, debt).unwrap();
        assert_eq!((opened.debt_paid, opened.lot.remaining), (30, 70));
        assert_eq!(
            opened.lot.available_at,
            at(2025, 2, 3),
            "adjustments are not pending"
        );
        debt -= opened.debt_paid;
        lots.push(opened.lot);
        ledger.push(100);

        let b = balance(&lots, debt, at(2025, 2, 3)).unwrap();
        assert_eq!((b.spendable, b.available, b.debt), (70, 70, 0));
        assert_eq!(ledger_sum(ledger.clone()).unwrap(), 70);
        assert_eq!(debt_from_ledger(&lots, 70).unwrap(), 0);
        assert_eq!(
            debt_from_ledger(&lots, 71).unwrap_err().code(),
            "ledger_drift"
        );
    }

    #[test]
    fn redemption_is_fifo_over_spendable_lots_only() {
        let mut p = program();
        p.expiry_months = Some(2);
        let lots = vec![
            p.earned_lot("new", at(2025, 3, 1), 50, 0).unwrap().lot,
            p.earned_lot("old", at(2025, 1, 1), 30, 0).unwrap().lot, // expired on 1 March
            p.earned_lot("mid", at(2025, 2, 1), 40, 0).unwrap().lot,
            p.earned_lot("pending", at(2025, 3, 5), 99, 0).unwrap().lot,
        ];
        let now = at(2025, 3, 16);
        let takes = redeem(&lots, 0, 60, now).unwrap();
        assert_eq!(
            takes,
            vec![
                Take {
                    lot_id: "mid".into(),
                    points: 40
                },
                Take {
                    lot_id: "new".into(),
                    points: 20
                },
            ]
        );
        assert_eq!(
            redeem(&lots, 10, 81, now).unwrap_err(),
            LoyaltyError::InsufficientPoints {
                available: 80,
                requested: 81
            }
        );
        assert_eq!(
            redeem(&lots, 0, 0, now).unwrap_err().code(),
            "non_positive_points"
        );
        let b = balance(&lots, 0, now).unwrap();
        assert_eq!((b.spendable, b.pending, b.expiring_soon), (90, 99, 40));
    }

    #[test]
    fn refunds_are_proportional_and_add_up() {
        // 3 partial refunds of an order that earned 100 on 30.00.
        let a = refund_points(100, 3_000, 0, 1_000).unwrap();
        let b = refund_points(100, 3_000, 1_000, 1_000).unwrap();
        let c = refund_points(100, 3_000, 2_000, 1_000).unwrap();
        assert_eq!((a, b, c), (33, 33, 34));
        assert_eq!(
            refund_points(100, 3_000, 2_000, 1_001).unwrap_err().code(),
            "refund_exceeds_spend"
        );
        assert_eq!(refund_points(0, 0, 0, 0).unwrap(), 0);
        let lots = vec![
            program()
                .earned_lot("L", at(2025, 1, 1), 10, 0)
                .unwrap()
                .lot,
        ];
        assert_eq!(
            reverse(&lots, "L", 11).unwrap_err().code(),
            "reversal_exceeds_credit"
        );
        assert_eq!(reverse(&lots, "X", 1).unwrap_err().code(), "unknown_lot");
    }

    #[test]
    fn entries_and_adjustments_are_checked() {
        assert!(check_entry(EntryKind::Earn, 10, None).is_ok());
        assert!(check_entry(EntryKind::Earn, -1, None).is_err());
        assert!(check_entry(EntryKind::Redeem, -5, None).is_ok());
        assert_eq!(
            check_entry(EntryKind::Expire, 5, None).unwrap_err().code(),
            "wrong_sign"
        );
        assert!(check_entry(EntryKind::Reverse, 0, None).is_ok());
        assert_eq!(
            check_entry(EntryKind::Adjust, -5, None).unwrap_err().code(),
            "reason_required"
        );
        assert!(check_entry(EntryKind::Adjust, -5, Some("fraud")).is_ok());
        assert_eq!(
            Adjustment::new(5, "  ").unwrap_err().code(),
            "reason_required"
        );
        assert_eq!(Adjustment::new(0, "x").unwrap_err().code(), "wrong_sign");
        assert_eq!(EntryKind::parse("reverse"), Some(EntryKind::Reverse));
        assert_eq!(expiry_key("L1"), "expire:L1");
        assert_eq!(
            ledger_sum([i64::MAX, 1]).unwrap_err(),
            LoyaltyError::Overflow
        );
        let mut lot = program()
            .earned_lot("L", at(2025, 1, 1), 10, 0)
            .unwrap()
            .lot;
        lot.expired = 5;
        lot.remaining = 6;
        assert_eq!(lot.check().unwrap_err().code(), "inconsistent_lot");
    }
}
