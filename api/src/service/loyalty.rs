//! Loyalty points: the workspace's programme, members' balances and ledgers, redemptions
//! (plain or for a catalog reward), admins' adjustments, earning and reversal on orders, and
//! the expiry and tier jobs. The rules are `rapport_domain::loyalty`; this module loads,
//! decides with them and writes, one transaction per use case.
//!
//! Rules chosen here:
//! - Every points write locks the member's row first (`persistence::loyalty::lock_member`):
//!   writes of one account are serialised on both backends, so a redemption can never spend
//!   points another concurrent redemption already spent.
//! - The balance is derived from lots and the ledger: debt = Σ lot.remaining − ledger sum
//!   (the domain's invariant). The member row keeps the ledger sum, updated in the same
//!   transaction as every entry; tests compare it with the entries.
//! - An order earns only in the programme's currency (there is no FX here): an order in
//!   another currency, or with no active programme, earns nothing and counts for no tier.
//! - Earning upgrades the tier at once (the order's own points use the tier held before
//!   it); downgrades happen only in the tier job, and only when the programme allows them.
//! - A refund whose points were already spent records the shortfall as debt (a negative
//!   `available`), paid off by the next credits; the domain module documents the policy.
//! - Redeeming or a negative adjustment never takes `available` below zero (409
//!   `insufficient_points`). Adjustments need the `admin` scope and a reason, and are audited.
//!
//! Functions for other features (orders, the 360° profile) take `&mut DbConn` and run inside
//! the caller's transaction: [`earn_for_order`], [`reverse_for_order_refund`], [`balance`].

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use rapport_domain::access::Scope;
use rapport_domain::loyalty::{
    self as rules, EarnRate, EntryKind, Lot, LoyaltyError, Program, Qualification, Rounding,
    StoredProgram, Tier, TierChange,
};
use rapport_domain::money::Currency;
use rapport_domain::money::MinorUnits;
use rapport_persistence::accounts as account_store;
use rapport_persistence::loyalty::{
    self as store, EntryRow, LotRow, MemberRow, ProgramRow, RedemptionRow, RewardRow,
};
use rapport_persistence::{read_transaction, DbConn};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::events::domain::{
    changed_fields, data, Change, DomainEvent, PointsMove, Settings,
};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::pipeline::{self, Committed, WriteContext};
use crate::service::{new_id, now, page_request, stored, utc, versioning, Page};
use crate::state::AppState;

/// Largest number of points one request may move.
pub const MAX_POINTS: i64 = 1_000_000_000;
/// Largest numerator or denominator of an earn rate.
pub const MAX_EARN_RATE_TERM: i64 = 1_000_000_000;
/// Longest adjustment reason, reward name and note.
pub const MAX_REASON: usize = 500;
/// Members handled per batch by the jobs.
const JOB_BATCH: i64 = 500;
/// `loyalty.points_expiring` is published this many days before a lot expires (the
/// balance's `expiring_in_30_days` window).
pub const EXPIRING_NOTICE_DAYS: i64 = 30;

// ---------------------------------------------------------------------------------------
// Shapes

/// The points rate: `numerator / denominator` points per minor unit of eligible spend
/// (1 point per EUR = `1/100`).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Serialize,
    Deserialize,
    ToSchema,
    async_graphql::SimpleObject,
    async_graphql::InputObject,
)]
#[graphql(input_name = "EarnRateInput")]
#[serde(deny_unknown_fields)]
pub struct EarnRateSpec {
    #[schema(example = 1)]
    pub numerator: i64,
    #[schema(example = 100)]
    pub denominator: i64,
}

/// A tier: from `threshold` (qualifying spend in minor units, or points earned, in the
/// window) up. The first tier is the base tier with threshold 0.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[serde(deny_unknown_fields)]
pub struct TierSpec {
    #[schema(example = "Silver")]
    pub name: String,
    #[schema(example = 50000)]
    #[graphql(
        skip,
        derived(name = "threshold", into = "crate::graphql::scalars::Long", owned)
    )]
    pub threshold: i64,
    /// Earning multiplier in per-mille: 1000 = 1x, 1500 = 1.5x (1000 to 100000).
    #[schema(example = 1500)]
    pub multiplier_permille: u32,
    #[serde(default)]
    pub benefits: String,
}

/// The workspace's loyalty programme.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct LoyaltyProgram {
    /// Orders in this currency earn points.
    pub currency: String,
    /// An inactive programme earns nothing; balances stay and can still be redeemed.
    pub active: bool,
    pub earn_rate: EarnRateSpec,
    /// `down`, `nearest` (halves up) or `up`.
    pub rounding: String,
    /// `spend` (minor units, net of refunds) or `points_earned`.
    pub qualification: String,
    pub qualification_window_days: u32,
    pub tiers: Vec<TierSpec>,
    /// Whether the tier job moves members down when they no longer qualify.
    pub allow_downgrade: bool,
    /// Points expire this many months after they were earned; null: never.
    pub expiry_months: Option<u32>,
    /// Days earned points stay pending (the return window) before they can be spent.
    pub pending_days: u32,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The programme as a client writes it (`PUT` replaces it whole).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramInput {
    #[schema(example = "EUR")]
    pub currency: String,
    /// Default true.
    pub active: Option<bool>,
    pub earn_rate: EarnRateSpec,
    /// `down` (default), `nearest` or `up`.
    #[schema(schema_with = rounding_names)]
    pub rounding: Option<String>,
    /// `spend` (default) or `points_earned`.
    #[schema(schema_with = qualification_names)]
    pub qualification: Option<String>,
    /// Default 365.
    pub qualification_window_days: Option<u32>,
    pub tiers: Vec<TierSpec>,
    /// Default true.
    pub allow_downgrade: Option<bool>,
    /// Absent or null: points never expire.
    pub expiry_months: Option<u32>,
    /// Default 0.
    pub pending_days: Option<u32>,
}

/// A tier as a member sees it.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct MemberTier {
    pub name: String,
    pub multiplier_permille: u32,
    pub benefits: String,
}

/// How far the next tier is.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct TierProgress {
    pub name: String,
    #[graphql(
        skip,
        derived(name = "threshold", into = "crate::graphql::scalars::Long", owned)
    )]
    pub threshold: i64,
    /// Qualifying amount still missing (minor units or points, per the programme).
    #[graphql(
        skip,
        derived(name = "missing", into = "crate::graphql::scalars::Long", owned)
    )]
    pub missing: i64,
}

fn rounding_names() -> utoipa::openapi::Object {
    names_or_null(["down", "nearest", "up"])
}

fn qualification_names() -> utoipa::openapi::Object {
    names_or_null(["spend", "points_earned"])
}

fn names_or_null<const N: usize>(names: [&str; N]) -> utoipa::openapi::Object {
    let mut values: Vec<serde_json::Value> = names.into_iter().map(Into::into).collect();
    values.push(serde_json::Value::Null);
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::Type::String,
            utoipa::openapi::Type::Null,
        ]))
        .enum_values(Some(values))
        .build()
}

/// A member's points now.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct LoyaltyBalance {
    #[graphql(skip, derived(name = "account_id", into = "async_graphql::ID", owned))]
    pub account_id: String,
    /// What can be redeemed now: spendable points minus debt. Negative while a refund's
    /// already-spent points are owed.
    #[graphql(
        skip,
        derived(name = "available", into = "crate::graphql::scalars::Long", owned)
    )]
    pub available: i64,
    /// Earned but still in the return window.
    #[graphql(
        skip,
        derived(name = "pending", into = "crate::graphql::scalars::Long", owned)
    )]
    pub pending: i64,
    /// Refunded points that had already been spent, paid off by the next credits.
    #[graphql(
        skip,
        derived(name = "debt", into = "crate::graphql::scalars::Long", owned)
    )]
    pub debt: i64,
    /// Points earned on orders, net of reversals.
    #[graphql(
        skip,
        derived(
            name = "lifetime_earned",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub lifetime_earned: i64,
    /// Points (spendable or pending) that expire within 30 days.
    #[graphql(
        skip,
        derived(
            name = "expiring_in_30_days",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub expiring_in_30_days: i64,
    /// The sum of the ledger: spendable + pending − debt (+ points past expiry not yet
    /// taken out by the expiry job).
    #[graphql(
        skip,
        derived(name = "ledger_balance", into = "crate::graphql::scalars::Long", owned)
    )]
    pub ledger_balance: i64,
    pub tier: Option<MemberTier>,
    /// Null at the top tier.
    pub next_tier: Option<TierProgress>,
    /// Spend (minor units) or points earned in the qualification window.
    #[graphql(
        skip,
        derived(
            name = "qualifying_amount",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub qualifying_amount: i64,
}

/// One immutable ledger entry.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct LedgerEntry {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    #[graphql(skip, derived(name = "account_id", into = "async_graphql::ID", owned))]
    pub account_id: String,
    /// `earn`, `redeem`, `expire`, `adjust` or `reverse`.
    pub kind: String,
    /// Signed: credits positive, debits negative.
    #[graphql(
        skip,
        derived(name = "points", into = "crate::graphql::scalars::Long", owned)
    )]
    pub points: i64,
    /// `order`, `refund`, `redemption`, `admin` or `job`.
    pub source_type: String,
    #[graphql(
        skip,
        derived(
            name = "source_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub source_id: Option<String>,
    /// Unique per workspace: the same operation is never recorded twice.
    pub idempotency_key: String,
    #[graphql(
        skip,
        derived(
            name = "lot_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub lot_id: Option<String>,
    pub reason: Option<String>,
    pub actor_type: String,
    #[graphql(
        skip,
        derived(
            name = "actor_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub actor_id: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// Spending points: either `points`, or a catalog reward by `reward_id` (its cost).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemInput {
    #[schema(example = 10)]
    pub points: Option<i64>,
    pub reward_id: Option<String>,
    /// Free text kept on the redemption (at most 500 characters).
    pub note: Option<String>,
}

/// A redemption and the balance it left.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Redemption {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    #[graphql(skip, derived(name = "account_id", into = "async_graphql::ID", owned))]
    pub account_id: String,
    #[graphql(
        skip,
        derived(
            name = "reward_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub reward_id: Option<String>,
    #[graphql(
        skip,
        derived(name = "points", into = "crate::graphql::scalars::Long", owned)
    )]
    pub points: i64,
    /// `completed` (points spent) or `issued` (a reward to hand over).
    pub status: String,
    #[graphql(skip, derived(name = "entry_id", into = "async_graphql::ID", owned))]
    pub entry_id: String,
    pub note: Option<String>,
    /// `available` right after this redemption (null in lists).
    #[graphql(
        skip,
        derived(
            name = "available_after",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub available_after: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// An admin's manual correction.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustInput {
    /// Non-zero, at most 10^9 either way; negative takes points away (never below an
    /// available balance of 0).
    #[schema(minimum = -1_000_000_000, maximum = 1_000_000_000, example = 50)]
    pub points: i64,
    #[schema(min_length = 1, max_length = 500, example = "goodwill: late delivery")]
    pub reason: String,
}

/// A catalog reward.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Reward {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    #[graphql(
        skip,
        derived(name = "points_cost", into = "crate::graphql::scalars::Long", owned)
    )]
    pub points_cost: i64,
    /// Units left; null: unlimited.
    pub stock: Option<i64>,
    pub available_from: Option<DateTime<Utc>>,
    pub available_until: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A reward as written (create body; the shape a PATCH merges into).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RewardInput {
    /// Required on create, 1 to 200 characters.
    #[schema(value_type = String, min_length = 1, max_length = 200, example = "Free coffee")]
    pub name: Option<String>,
    /// At most 500 characters.
    #[schema(max_length = 500)]
    pub description: Option<String>,
    /// Required on create: 1 to 10^9 points.
    #[schema(value_type = i64, minimum = 1, maximum = 1_000_000_000, example = 150)]
    pub points_cost: Option<i64>,
    /// Null: unlimited.
    pub stock: Option<i64>,
    pub available_from: Option<DateTime<Utc>>,
    pub available_until: Option<DateTime<Utc>>,
}

/// What one run of the jobs changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct JobReport {
    pub expired_lots: u64,
    pub expired_points: i64,
    pub members_evaluated: u64,
    pub upgrades: u64,
    pub downgrades: u64,
    /// Lots whose coming expiry was announced (`loyalty.points_expiring`).
    pub expiring_lots: u64,
}

// ---------------------------------------------------------------------------------------
// Stored programme

struct ActiveProgram {
    row: ProgramRow,
    program: Program,
    allow_downgrade: bool,
}

fn load_program(conn: &mut DbConn, workspace_id: &str) -> Result<Option<ActiveProgram>, ApiError> {
    let Some(row) = store::find_program(conn, workspace_id)? else {
        return Ok(None);
    };
    let stored: StoredProgram =
        serde_json::from_str(&row.definition).map_err(ApiError::internal)?;
    Ok(Some(ActiveProgram {
        row,
        program: stored.program,
        allow_downgrade: stored.allow_downgrade,
    }))
}

fn rounding_name(r: Rounding) -> &'static str {
    match r {
        Rounding::Down => "down",
        Rounding::Nearest => "nearest",
        Rounding::Up => "up",
    }
}

fn qualification_name(q: Qualification) -> &'static str {
    match q {
        Qualification::Spend => "spend",
        Qualification::PointsEarned => "points_earned",
    }
}

fn program_view(p: &ActiveProgram) -> LoyaltyProgram {
    LoyaltyProgram {
        currency: p.row.currency.clone(),
        active: p.row.active,
        earn_rate: EarnRateSpec {
            numerator: p.program.earn_rate.numerator,
            denominator: p.program.earn_rate.denominator,
        },
        rounding: rounding_name(p.program.rounding).to_owned(),
        qualification: qualification_name(p.program.qualification).to_owned(),
        qualification_window_days: p.program.qualification_window_days,
        tiers: p
            .program
            .tiers
            .iter()
            .map(|t| TierSpec {
                name: t.name.clone(),
                threshold: t.threshold,
                multiplier_permille: t.multiplier_permille,
                benefits: t.benefits.clone(),
            })
            .collect(),
        allow_downgrade: p.allow_downgrade,
        expiry_months: p.program.expiry_months,
        pending_days: p.program.pending_days,
        version: p.row.version,
        created_at: utc(p.row.created_at),
        updated_at: utc(p.row.updated_at),
    }
}

/// Checks a programme input, naming every bad field; returns (currency, stored form).
fn validate_program(input: &ProgramInput) -> Result<(Currency, StoredProgram), ApiError> {
    let mut errors = Vec::new();
    let mut add = |field: &str, message: &str| {
        errors.push(FieldError {
            field: field.to_owned(),
            message: message.to_owned(),
        });
    };
    let currency = Currency::parse(&input.currency).ok();
    if currency.is_none() {
        add("currency", "must be an ISO 4217 code such as EUR");
    }
    let rounding = match input.rounding.as_deref().unwrap_or("down") {
        "down" => Rounding::Down,
        "nearest" => Rounding::Nearest,
        "up" => Rounding::Up,
        _ => {
            add("rounding", "must be one of down, nearest, up");
            Rounding::Down
        }
    };
    let qualification = match input.qualification.as_deref().unwrap_or("spend") {
        "spend" => Qualification::Spend,
        "points_earned" => Qualification::PointsEarned,
        _ => {
            add("qualification", "must be one of spend, points_earned");
            Qualification::Spend
        }
    };
    if input.tiers.len() > 20 {
        add("tiers", "at most 20 tiers");
    }
    // Thresholds are spend (minor units) or points earned: one bound serves both.
    for (i, tier) in input.tiers.iter().enumerate() {
        if let Err(e) = MinorUnits::parse(tier.threshold) {
            errors.push(FieldError {
                field: format!("tiers[{i}].threshold"),
                message: e.to_string(),
            });
        }
    }
    // The domain checks the signs; the edge bounds the size.
    for (field, value) in [
        ("earn_rate.numerator", input.earn_rate.numerator),
        ("earn_rate.denominator", input.earn_rate.denominator),
    ] {
        if value > MAX_EARN_RATE_TERM {
            errors.push(FieldError {
                field: field.to_owned(),
                message: format!("must be at most {MAX_EARN_RATE_TERM}"),
            });
        }
    }
    let program = Program {
        earn_rate: EarnRate {
            numerator: input.earn_rate.numerator,
            denominator: input.earn_rate.denominator,
        },
        rounding,
        qualification,
        tiers: input
            .tiers
            .iter()
            .map(|t| Tier {
                name: t.name.trim().to_owned(),
                threshold: t.threshold,
                multiplier_permille: t.multiplier_permille,
                benefits: t.benefits.trim().to_owned(),
            })
            .collect(),
        qualification_window_days: input.qualification_window_days.unwrap_or(365),
        expiry_months: input.expiry_months,
        pending_days: input.pending_days.unwrap_or(0),
    };
    if let Err(issues) = program.validate() {
        errors.extend(issues.into_iter().map(|i| FieldError {
            field: i.field,
            message: i.message,
        }));
    }
    match currency {
        Some(currency) if errors.is_empty() => Ok((
            currency,
            StoredProgram {
                program,
                allow_downgrade: input.allow_downgrade.unwrap_or(true),
            },
        )),
        _ => Err(ApiError::validation(errors)),
    }
}

// ---------------------------------------------------------------------------------------
// Conversions and errors

fn domain_error(err: LoyaltyError) -> ApiError {
    use actix_web::http::StatusCode;
    match &err {
        LoyaltyError::InsufficientPoints {
            available,
            requested,
        } => ApiError::conflict(
            "insufficient_points",
            format!("not enough points: {available} available, {requested} requested"),
        ),
        LoyaltyError::NonPositive { field, .. } | LoyaltyError::Negative { field, .. } => {
            ApiError::field(field, err.to_string())
        }
        LoyaltyError::ReasonRequired => ApiError::field("reason", "is required"),
        LoyaltyError::RefundExceedsSpend { .. } | LoyaltyError::Overflow => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            err.code(),
            err.to_string(),
        ),
        LoyaltyError::InvalidProgram(issue) => ApiError::field(&issue.field, &issue.message),
        LoyaltyError::LedgerDrift { .. } => {
            // Read on one snapshot, this cannot be a race: the stored lots and ledger
            // disagree, which only a bug or a hand edit of the database does.
            ApiError::internal(format!("loyalty invariant breached: {err}"))
                .with_code("loyalty_ledger_drift")
        }
        _ => ApiError::internal(err),
    }
}

fn lot_of(row: &LotRow) -> Lot {
    Lot {
        id: row.id.clone(),
        earned_at: utc(row.earned_at),
        points: row.points,
        remaining: row.remaining,
        expired: row.expired,
        available_at: utc(row.available_at),
        expires_at: row.expires_at.map(utc),
    }
}

impl From<EntryRow> for LedgerEntry {
    fn from(row: EntryRow) -> Self {
        LedgerEntry {
            id: row.id,
            account_id: row.account_id,
            kind: row.kind,
            points: row.points,
            source_type: row.source_type,
            source_id: row.source_id,
            idempotency_key: row.idempotency_key,
            lot_id: row.lot_id,
            reason: row.reason,
            actor_type: row.actor_type,
            actor_id: row.actor_id,
            occurred_at: utc(row.occurred_at),
            created_at: utc(row.created_at),
        }
    }
}

impl From<RewardRow> for Reward {
    fn from(row: RewardRow) -> Self {
        Reward {
            id: row.id,
            name: row.name,
            description: row.description,
            points_cost: row.points_cost,
            stock: row.stock,
            available_from: row.available_from.map(utc),
            available_until: row.available_until.map(utc),
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

fn sum(values: impl IntoIterator<Item = i64>) -> Result<i64, ApiError> {
    rules::ledger_sum(values).map_err(domain_error)
}

/// Who writes an entry.
struct Actor {
    kind: String,
    id: Option<String>,
}

impl Actor {
    fn of(principal: &Principal) -> Self {
        Self {
            kind: principal.actor_type().to_owned(),
            id: principal.actor_id().map(str::to_owned),
        }
    }

    fn system() -> Self {
        Self {
            kind: "system".into(),
            id: None,
        }
    }
}

struct NewEntry<'a> {
    workspace_id: &'a str,
    account_id: &'a str,
    kind: EntryKind,
    points: i64,
    spend_minor: i64,
    lot_id: Option<String>,
    source_type: &'a str,
    source_id: Option<String>,
    key: String,
    reason: Option<String>,
    actor: &'a Actor,
    occurred_at: NaiveDateTime,
    now: NaiveDateTime,
}

/// Writes one ledger entry and adds it to the member's ledger sum.
fn write_entry(conn: &mut DbConn, e: NewEntry<'_>) -> Result<EntryRow, ApiError> {
    rules::check_entry(e.kind, e.points, e.reason.as_deref()).map_err(domain_error)?;
    let row = EntryRow {
        id: new_id(),
        workspace_id: e.workspace_id.to_owned(),
        account_id: e.account_id.to_owned(),
        kind: e.kind.as_str().to_owned(),
        points: e.points,
        spend_minor: e.spend_minor,
        lot_id: e.lot_id,
        source_type: e.source_type.to_owned(),
        source_id: e.source_id,
        idempotency_key: e.key,
        reason: e.reason,
        actor_type: e.actor.kind.clone(),
        actor_id: e.actor.id.clone(),
        occurred_at: e.occurred_at,
        created_at: e.now,
    };
    store::insert_entry(conn, &row)?;
    if e.points != 0
        && store::add_to_ledger_sum(conn, e.workspace_id, e.account_id, e.points, e.now)? != 1
    {
        return Err(ApiError::internal("loyalty member row missing"));
    }
    Ok(row)
}

/// The member's open lots and debt (`Σ remaining − ledger sum`).
fn lots_and_debt(conn: &mut DbConn, member: &MemberRow) -> Result<(Vec<LotRow>, i64), ApiError> {
    let lots = store::open_lots(conn, &member.workspace_id, &member.account_id)?;
    let domain_lots: Vec<Lot> = lots.iter().map(lot_of).collect();
    let debt = rules::debt_from_ledger(&domain_lots, member.ledger_sum).map_err(domain_error)?;
    Ok((lots, debt))
}

/// Takes `points` from the member's spendable lots, oldest first, or fails with
/// `insufficient_points` when `available` is smaller. Returns the new `available`.
fn take_points(
    conn: &mut DbConn,
    member: &MemberRow,
    points: i64,
    at: NaiveDateTime,
) -> Result<i64, ApiError> {
    let (lots, debt) = lots_and_debt(conn, member)?;
    let domain_lots: Vec<Lot> = lots.iter().map(lot_of).collect();
    let takes = rules::redeem(&domain_lots, debt, points, utc(at)).map_err(domain_error)?;
    for take in &takes {
        let row = lots
            .iter()
            .find(|l| l.id == take.lot_id)
            .ok_or_else(|| ApiError::internal("lot vanished"))?;
        let updated = LotRow {
            remaining: row.remaining - take.points,
            ..row.clone()
        };
        if store::update_lot(conn, &updated, row.remaining)? != 1 {
            return Err(ApiError::internal("a lot changed under the member lock"));
        }
    }
    let mut after = domain_lots;
    rules::apply_takes(&mut after, &takes).map_err(domain_error)?;
    Ok(rules::balance(&after, debt, utc(at))
        .map_err(domain_error)?
        .available)
}

/// The name of tier `index`, for events.
fn tier_name(program: &Program, index: usize) -> Option<String> {
    program.tiers.get(index).map(|t| t.name.clone())
}

/// Emits the points event of a ledger entry.
fn points_event(
    cx: &mut WriteContext,
    account_id: &str,
    how: PointsMove,
    entry: &LedgerEntry,
) -> Result<(), ApiError> {
    cx.emit(DomainEvent::PointsChanged {
        account_id: account_id.to_owned(),
        how,
        points: entry.points,
        entry: data(entry)?,
    })
}

fn tier_index(program: &Program, member: &MemberRow) -> usize {
    usize::try_from(member.tier)
        .unwrap_or(0)
        .min(program.tiers.len().saturating_sub(1))
}

/// The qualifying amount of the member at `at` over the programme's rolling window.
fn qualifying(
    conn: &mut DbConn,
    program: &Program,
    workspace_id: &str,
    account_id: &str,
    at: NaiveDateTime,
) -> Result<i64, ApiError> {
    let window = TimeDelta::try_days(i64::from(program.qualification_window_days))
        .ok_or_else(|| ApiError::internal("window out of range"))?;
    let since = at
        .checked_sub_signed(window)
        .ok_or_else(|| ApiError::internal("window out of range"))?;
    let events: Vec<(DateTime<Utc>, i64)> =
        store::qualifying_entries(conn, workspace_id, account_id, since)?
            .into_iter()
            .map(|(when, points, spend)| {
                let amount = match program.qualification {
                    Qualification::Spend => spend,
                    Qualification::PointsEarned => points,
                };
                (utc(when), amount)
            })
            .collect();
    rules::qualifying_amount(program, &events, utc(at)).map_err(domain_error)
}

fn check_account(conn: &mut DbConn, workspace_id: &str, account_id: &str) -> Result<(), ApiError> {
    account_store::find(conn, workspace_id, account_id)?
        .map(|_| ())
        .ok_or_else(|| ApiError::not_found("no account with that id"))
}

fn check_points(field: &str, points: i64, allow_negative: bool) -> Result<(), ApiError> {
    let ok = if allow_negative {
        // Not `abs()`: it overflows on i64::MIN, which a client can send.
        points != 0 && (-MAX_POINTS..=MAX_POINTS).contains(&points)
    } else {
        (1..=MAX_POINTS).contains(&points)
    };
    if ok {
        Ok(())
    } else if allow_negative {
        Err(ApiError::field(
            field,
            format!("must be non-zero and at most {MAX_POINTS} either way"),
        ))
    } else {
        Err(ApiError::field(
            field,
            format!("must be between 1 and {MAX_POINTS}"),
        ))
    }
}

fn clean_text(field: &str, text: Option<&str>, required: bool) -> Result<Option<String>, ApiError> {
    match text.map(str::trim) {
        None | Some("") if required => Err(ApiError::field(field, "is required")),
        None | Some("") => Ok(None),
        Some(t) if t.chars().count() > MAX_REASON || t.chars().any(char::is_control) => {
            Err(ApiError::field(
                field,
                format!("must be at most {MAX_REASON} characters without control characters"),
            ))
        }
        Some(t) => Ok(Some(t.to_owned())),
    }
}

// ---------------------------------------------------------------------------------------
// For other features, inside their transaction

/// Whether orders in `currency` earn points in the workspace (an active programme in that
/// currency): one read, so a batch of orders skips earning entirely without a programme.
pub fn earns_in(conn: &mut DbConn, workspace_id: &str, currency: &str) -> Result<bool, ApiError> {
    Ok(load_program(conn, workspace_id)?
        .is_some_and(|p| p.row.active && p.row.currency.eq_ignore_ascii_case(currency.trim())))
}

/// Earns the points of an order, inside the caller's write transaction: the active
/// programme's rate, rounding and the member's tier multiplier on `eligible_amount_minor`
/// (in the programme's currency), pending and expiring per the programme from
/// `occurred_at`. Pays outstanding debt first. Idempotent on `order_id`: a second call
/// returns the entry of the first and changes nothing. `Ok(None)`: nothing to earn (no
/// active programme, or the order is in another currency than the programme's).
#[allow(clippy::too_many_arguments)]
pub fn earn_for_order(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    workspace_id: &str,
    account_id: &str,
    order_id: &str,
    eligible_amount_minor: i64,
    currency: &str,
    occurred_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<Option<LedgerEntry>, ApiError> {
    let Some(program) = load_program(conn, workspace_id)? else {
        return Ok(None);
    };
    if !program.row.active || !program.row.currency.eq_ignore_ascii_case(currency.trim()) {
        return Ok(None);
    }
    if eligible_amount_minor < 0 {
        return Err(ApiError::field("amount", "must not be negative"));
    }
    let member = store::lock_member(conn, workspace_id, account_id, now)?;
    let key = rules::earn_key(order_id);
    if let Some(existing) = store::entry_by_key(conn, workspace_id, &key)? {
        return Ok(Some(existing.into()));
    }
    let tier = tier_index(&program.program, &member);
    let points =
        rules::earn(&program.program, tier, eligible_amount_minor).map_err(domain_error)?;
    let (_, debt) = lots_and_debt(conn, &member)?;
    let lot_id = new_id();
    let opened = program
        .program
        .earned_lot(lot_id.clone(), utc(occurred_at), points, debt)
        .map_err(domain_error)?;
    store::insert_lot(
        conn,
        &LotRow {
            id: lot_id.clone(),
            workspace_id: workspace_id.to_owned(),
            account_id: account_id.to_owned(),
            source_type: "order".into(),
            source_id: Some(order_id.to_owned()),
            earned_at: occurred_at,
            points,
            remaining: opened.lot.remaining,
            expired: 0,
            available_at: stored(opened.lot.available_at),
            expires_at: opened.lot.expires_at.map(stored),
            spend_minor: eligible_amount_minor,
            refunded_minor: 0,
            created_at: now,
        },
    )?;
    let entry = write_entry(
        conn,
        NewEntry {
            workspace_id,
            account_id,
            kind: EntryKind::Earn,
            points,
            spend_minor: eligible_amount_minor,
            lot_id: Some(lot_id),
            source_type: "order",
            source_id: Some(order_id.to_owned()),
            key,
            reason: None,
            actor: &Actor::system(),
            occurred_at,
            now,
        },
    )?;
    let entry = LedgerEntry::from(entry);
    points_event(cx, account_id, PointsMove::Earned, &entry)?;
    // Upgrades take effect at once; downgrades wait for the tier job.
    let amount = qualifying(conn, &program.program, workspace_id, account_id, now)?;
    if let TierChange::Upgrade { to, .. } =
        rules::reevaluate_tier(&program.program, tier, amount).map_err(domain_error)?
    {
        let to_index = i32::try_from(to).map_err(ApiError::internal)?;
        store::set_tier(conn, workspace_id, account_id, to_index, now)?;
        cx.emit(DomainEvent::TierChanged {
            account_id: account_id.to_owned(),
            from_tier: tier_name(&program.program, tier),
            to_tier: tier_name(&program.program, to),
        })?;
    }
    Ok(Some(entry))
}

/// Reverses the points an order earned, in proportion to a (partial) refund, inside the
/// caller's write transaction: `refunded_minor` of the order's `order_amount_minor` (both in
/// the order's currency). Points still in the order's lot are taken back; points that
/// expired meanwhile are not charged again; points already spent become debt. Idempotent
/// on `refund_id`. `Ok(None)`: the order earned nothing (no lot).
#[allow(clippy::too_many_arguments)]
pub fn reverse_for_order_refund(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    workspace_id: &str,
    account_id: &str,
    order_id: &str,
    refund_id: &str,
    refunded_minor: i64,
    order_amount_minor: i64,
    now: NaiveDateTime,
) -> Result<Option<LedgerEntry>, ApiError> {
    let Some(lot) = store::lot_by_source(conn, workspace_id, "order", order_id)? else {
        return Ok(None);
    };
    if lot.account_id != account_id {
        return Err(ApiError::internal(
            "the order's points belong to another account",
        ));
    }
    store::lock_member(conn, workspace_id, account_id, now)?;
    let key = rules::reverse_key(refund_id);
    if let Some(existing) = store::entry_by_key(conn, workspace_id, &key)? {
        return Ok(Some(existing.into()));
    }
    // Re-read under the lock.
    let lot = store::lot_by_source(conn, workspace_id, "order", order_id)?
        .ok_or_else(|| ApiError::internal("lot vanished"))?;
    let back = rules::refund_points(
        lot.points,
        order_amount_minor,
        lot.refunded_minor,
        refunded_minor,
    )
    .map_err(domain_error)?;
    let mut updated = lot.clone();
    updated.refunded_minor = lot
        .refunded_minor
        .checked_add(refunded_minor)
        .ok_or_else(|| domain_error(LoyaltyError::Overflow))?;
    let mut points = 0;
    if back > 0 {
        let mut lots = vec![lot_of(&lot)];
        let reversal = rules::reverse(&lots, &lot.id, back).map_err(domain_error)?;
        rules::apply_reversal(&mut lots, &lot.id, &reversal, 0).map_err(domain_error)?;
        updated.remaining = lots[0].remaining;
        updated.expired = lots[0].expired;
        points = reversal.ledger_points().map_err(domain_error)?;
    }
    if store::update_lot(conn, &updated, lot.remaining)? != 1 {
        return Err(ApiError::internal("a lot changed under the member lock"));
    }
    // The spend taken back, in the eligible amount's terms, for tiers on spend.
    let spend_back = if order_amount_minor > 0 {
        i64::try_from(
            i128::from(lot.spend_minor) * i128::from(refunded_minor)
                / i128::from(order_amount_minor),
        )
        .map_err(ApiError::internal)?
    } else {
        0
    };
    let entry = write_entry(
        conn,
        NewEntry {
            workspace_id,
            account_id,
            kind: EntryKind::Reverse,
            points,
            spend_minor: -spend_back,
            lot_id: Some(lot.id.clone()),
            source_type: "refund",
            source_id: Some(refund_id.to_owned()),
            key,
            reason: None,
            actor: &Actor::system(),
            occurred_at: now,
            now,
        },
    )?;
    let entry = LedgerEntry::from(entry);
    points_event(cx, account_id, PointsMove::Reversed, &entry)?;
    Ok(Some(entry))
}

/// The member's balance at `now`, for the 360° profile (reads only; usable in a read
/// closure). `Ok(None)` when the workspace has no loyalty programme. The caller checks the
/// principal's scope and that the account is the workspace's, and runs it on one snapshot
/// ([`read_transaction`], or a write transaction holding the member's lock): the balance
/// compares the member's ledger sum with its lots, read by separate statements, and a
/// redemption committing between them would look like drift.
pub fn balance(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    now: NaiveDateTime,
) -> Result<Option<LoyaltyBalance>, ApiError> {
    let Some(program) = load_program(conn, workspace_id)? else {
        return Ok(None);
    };
    let member = store::find_member(conn, workspace_id, account_id)?;
    let (lots, debt, ledger_sum, tier) = match &member {
        Some(m) => {
            let (lots, debt) = lots_and_debt(conn, m)?;
            (lots, debt, m.ledger_sum, tier_index(&program.program, m))
        }
        None => (Vec::new(), 0, 0, 0),
    };
    let domain_lots: Vec<Lot> = lots.iter().map(lot_of).collect();
    let b = rules::balance(&domain_lots, debt, utc(now)).map_err(domain_error)?;
    let lifetime_earned = if member.is_some() {
        sum(store::entry_points(conn, workspace_id, account_id)?
            .into_iter()
            .filter(|(kind, _)| kind == "earn" || kind == "reverse")
            .map(|(_, p)| p))?
    } else {
        0
    };
    let amount = qualifying(conn, &program.program, workspace_id, account_id, now)?;
    let held = program.program.tiers.get(tier);
    let next = program.program.tiers.get(tier + 1).map(|t| TierProgress {
        name: t.name.clone(),
        threshold: t.threshold,
        missing: (t.threshold - amount.min(t.threshold)).max(0),
    });
    Ok(Some(LoyaltyBalance {
        account_id: account_id.to_owned(),
        available: b.available,
        pending: b.pending,
        debt: b.debt,
        lifetime_earned,
        expiring_in_30_days: b.expiring_soon,
        ledger_balance: ledger_sum,
        tier: held.map(|t| MemberTier {
            name: t.name.clone(),
            multiplier_permille: t.multiplier_permille,
            benefits: t.benefits.clone(),
        }),
        next_tier: next,
        qualifying_amount: amount,
    }))
}

// ---------------------------------------------------------------------------------------
// Use cases

pub async fn get_program(
    state: &AppState,
    principal: &Principal,
) -> Result<LoyaltyProgram, ApiError> {
    principal.require(Scope::LoyaltyRead)?;
    let workspace = principal.workspace_id.clone();
    state
        .db
        .run(move |conn| {
            load_program(conn, &workspace)?
                .map(|p| program_view(&p))
                .ok_or_else(|| ApiError::not_found("this workspace has no loyalty programme yet"))
        })
        .await
}

/// Creates or replaces the programme (admin). `if_match` makes a replacement conditional.
pub async fn put_program(
    state: &AppState,
    principal: &Principal,
    input: ProgramInput,
    if_match: Option<i64>,
) -> Result<LoyaltyProgram, ApiError> {
    principal.require(Scope::Admin)?;
    pipeline::run(state, principal, move |conn, cx| {
        write_program(conn, cx, &input, if_match)
    })
    .await
}

/// Validates and writes the programme inside the caller's write transaction (the caller
/// checks the scope). Public for the CLI and tests.
pub fn write_program(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    input: &ProgramInput,
    if_match: Option<i64>,
) -> Result<LoyaltyProgram, ApiError> {
    let principal = cx.principal().clone();
    let (currency, stored_program) = validate_program(input)?;
    let definition = serde_json::to_string(&stored_program).map_err(ApiError::internal)?;
    {
        let at = now();
        let existing = load_program(conn, &principal.workspace_id)?;
        let before = existing.as_ref().map(program_view);
        let row = match &existing {
            Some(p) => {
                versioning::check_version("loyalty programme", if_match, p.row.version)?;
                let row = ProgramRow {
                    currency: currency.as_str().to_owned(),
                    definition,
                    active: input.active.unwrap_or(true),
                    version: p.row.version + 1,
                    updated_at: at,
                    ..p.row.clone()
                };
                if store::update_program(conn, &row, p.row.version)? == 0 {
                    return Err(versioning::precondition_failed("loyalty programme"));
                }
                row
            }
            None => {
                if if_match.is_some() {
                    return Err(versioning::precondition_failed("loyalty programme"));
                }
                let row = ProgramRow {
                    workspace_id: principal.workspace_id.clone(),
                    currency: currency.as_str().to_owned(),
                    definition,
                    active: input.active.unwrap_or(true),
                    version: 1,
                    created_at: at,
                    updated_at: at,
                };
                store::insert_program(conn, &row)?;
                row
            }
        };
        let after = program_view(&ActiveProgram {
            row,
            program: stored_program.program,
            allow_downgrade: stored_program.allow_downgrade,
        });
        cx.audit(
            "loyalty_program.update",
            "loyalty_program",
            Some(&principal.workspace_id),
            before.as_ref(),
            Some(&after),
        )?;
        cx.emit(DomainEvent::SettingsChanged {
            settings: Settings::LoyaltyProgram,
            changed_fields: match &before {
                Some(before) => changed_fields(before, &after),
                None => Vec::new(),
            },
            data: data(&after)?,
        })?;
        Ok(after)
    }
}

/// A member's balance; 404 for an account outside the workspace, 404 `no_loyalty_program`
/// when the workspace has none.
pub async fn get_balance(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
) -> Result<LoyaltyBalance, ApiError> {
    principal.require(Scope::LoyaltyRead)?;
    let (workspace, account_id) = (principal.workspace_id.clone(), account_id.to_owned());
    state
        .db
        .run(move |conn| {
            read_transaction(conn, |conn| {
                check_account(conn, &workspace, &account_id)?;
                balance(conn, &workspace, &account_id, now())?.ok_or_else(|| {
                    ApiError::not_found("this workspace has no loyalty programme yet")
                        .with_code("no_loyalty_program")
                })
            })
        })
        .await
}

/// The member's ledger, newest first, in keyset pages.
pub async fn ledger(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    limit: Option<i64>,
    after: Option<String>,
) -> Result<Page<LedgerEntry>, ApiError> {
    principal.require(Scope::LoyaltyRead)?;
    let page = page_request(limit, after)?;
    let request = page.clone();
    let (workspace, account_id) = (principal.workspace_id.clone(), account_id.to_owned());
    let rows = state
        .db
        .run(move |conn| {
            check_account(conn, &workspace, &account_id)?;
            Ok(store::list_entries(
                conn,
                &workspace,
                &account_id,
                request.after.as_deref(),
                request.limit + 1,
            )?)
        })
        .await?;
    Ok(Page::from_rows(
        rows,
        &page,
        |r| r.id.clone(),
        LedgerEntry::from,
    ))
}

/// The member's redemptions, newest first.
pub async fn redemptions(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    limit: Option<i64>,
    after: Option<String>,
) -> Result<Page<Redemption>, ApiError> {
    principal.require(Scope::LoyaltyRead)?;
    let page = page_request(limit, after)?;
    let request = page.clone();
    let (workspace, account_id) = (principal.workspace_id.clone(), account_id.to_owned());
    let rows = state
        .db
        .run(move |conn| {
            check_account(conn, &workspace, &account_id)?;
            Ok(store::list_redemptions(
                conn,
                &workspace,
                &account_id,
                request.after.as_deref(),
                request.limit + 1,
            )?)
        })
        .await?;
    Ok(Page::from_rows(
        rows,
        &page,
        |r| r.id.clone(),
        stored_redemption,
    ))
}

/// A stored redemption (`available_after` belongs to the moment it was made: null here).
fn stored_redemption(r: RedemptionRow) -> Redemption {
    Redemption {
        id: r.id,
        account_id: r.account_id,
        reward_id: r.reward_id,
        points: r.points,
        status: r.status,
        entry_id: r.entry_id,
        note: r.note,
        available_after: None,
        created_at: utc(r.created_at),
    }
}

/// One entry of the member's ledger (where an adjustment's `Location` points).
pub async fn ledger_entry(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    entry_id: &str,
) -> Result<LedgerEntry, ApiError> {
    principal.require(Scope::LoyaltyRead)?;
    let (workspace, account_id, entry_id) = (
        principal.workspace_id.clone(),
        account_id.to_owned(),
        entry_id.to_owned(),
    );
    state
        .db
        .run(move |conn| {
            check_account(conn, &workspace, &account_id)?;
            store::find_entry(conn, &workspace, &account_id, &entry_id)?
                .map(LedgerEntry::from)
                .ok_or_else(|| ApiError::not_found("no ledger entry with that id"))
        })
        .await
}

/// One redemption of the member (where a redemption's `Location` points).
pub async fn redemption(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    redemption_id: &str,
) -> Result<Redemption, ApiError> {
    principal.require(Scope::LoyaltyRead)?;
    let (workspace, account_id, redemption_id) = (
        principal.workspace_id.clone(),
        account_id.to_owned(),
        redemption_id.to_owned(),
    );
    state
        .db
        .run(move |conn| {
            check_account(conn, &workspace, &account_id)?;
            store::find_redemption(conn, &workspace, &account_id, &redemption_id)?
                .map(stored_redemption)
                .ok_or_else(|| ApiError::not_found("no redemption with that id"))
        })
        .await
}

/// Spends points (or a reward's cost, taking one unit of its stock) atomically.
pub async fn redeem(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    input: RedeemInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<Redemption>, ApiError> {
    principal.require(Scope::LoyaltyWrite)?;
    let note = clean_text("note", input.note.as_deref(), false)?;
    match (&input.points, &input.reward_id) {
        (Some(p), None) => check_points("points", *p, false)?,
        (None, Some(_)) => {}
        (Some(_), Some(_)) => {
            return Err(ApiError::field(
                "points",
                "send either points or reward_id, not both",
            ))
        }
        (None, None) => return Err(ApiError::field("points", "is required (or reward_id)")),
    }
    let (p, account) = (principal.clone(), account_id.to_owned());
    pipeline::write(state, &p, idempotency, 201, move |conn, cx| {
        redeem_at(conn, cx, &account, &input, note, now())
    })
    .await
}

/// The redemption itself, inside the caller's write transaction at `at` (input already
/// checked by [`redeem`]). Public for tests that drive the clock.
pub fn redeem_at(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    account_id: &str,
    input: &RedeemInput,
    note: Option<String>,
    at: NaiveDateTime,
) -> Result<Redemption, ApiError> {
    let principal = &cx.principal().clone();
    let ws = principal.workspace_id.clone();
    let account_id = account_id.to_owned();
    check_account(conn, &ws, &account_id)?;
    let (points, reward) = match &input.reward_id {
        Some(reward_id) => {
            let reward = store::find_reward(conn, &ws, reward_id)?
                .ok_or_else(|| ApiError::field("reward_id", "no reward with this id"))?;
            if reward.available_from.is_some_and(|from| at < from)
                || reward.available_until.is_some_and(|until| at >= until)
            {
                return Err(ApiError::conflict(
                    "reward_unavailable",
                    "this reward is outside its availability window",
                ));
            }
            if reward.stock.is_some() && store::take_stock(conn, &ws, reward_id, at)? == 0 {
                return Err(ApiError::conflict(
                    "out_of_stock",
                    "this reward is out of stock",
                ));
            }
            (reward.points_cost, Some(reward))
        }
        None => (input.points.unwrap_or(0), None),
    };
    let member = store::lock_member(conn, &ws, &account_id, at)?;
    let available_after = take_points(conn, &member, points, at)?;
    let redemption_id = new_id();
    let entry = write_entry(
        conn,
        NewEntry {
            workspace_id: &ws,
            account_id: &account_id,
            kind: EntryKind::Redeem,
            points: -points,
            spend_minor: 0,
            lot_id: None,
            source_type: "redemption",
            source_id: Some(redemption_id.clone()),
            key: format!("redeem:{redemption_id}"),
            reason: None,
            actor: &Actor::of(principal),
            occurred_at: at,
            now: at,
        },
    )?;
    let row = RedemptionRow {
        id: redemption_id,
        workspace_id: ws.clone(),
        account_id: account_id.clone(),
        reward_id: reward.as_ref().map(|r| r.id.clone()),
        points,
        status: if reward.is_some() {
            "issued"
        } else {
            "completed"
        }
        .into(),
        entry_id: entry.id.clone(),
        note,
        created_at: at,
    };
    store::insert_redemption(conn, &row)?;
    let entry = LedgerEntry::from(entry);
    points_event(cx, &account_id, PointsMove::Redeemed, &entry)?;
    let redemption = Redemption {
        id: row.id,
        account_id: row.account_id,
        reward_id: row.reward_id,
        points,
        status: row.status,
        entry_id: row.entry_id,
        note: row.note,
        available_after: Some(available_after),
        created_at: utc(at),
    };
    cx.audit::<(), _>(
        "loyalty.redeem",
        "redemption",
        Some(&redemption.id),
        None,
        Some(&redemption),
    )?;
    Ok(redemption)
}

/// An admin's manual correction with a required reason, audited. Positive adjustments open
/// a lot (spendable at once, expiring per the programme, paying debt first); negative ones
/// are taken like a redemption and never go below an available balance of zero.
pub async fn adjust(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    input: AdjustInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<LedgerEntry>, ApiError> {
    principal.require(Scope::Admin)?;
    check_points("points", input.points, true)?;
    let reason = clean_text("reason", Some(&input.reason), true)?.unwrap_or_default();
    let adjustment = rules::Adjustment::new(input.points, &reason).map_err(domain_error)?;
    let (p, account) = (principal.clone(), account_id.to_owned());
    pipeline::write(state, &p, idempotency, 201, move |conn, cx| {
        adjust_at(conn, cx, &account, &adjustment, now())
    })
    .await
}

/// The adjustment itself, inside the caller's write transaction at `at`. Public for tests
/// that drive the clock.
pub fn adjust_at(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    account_id: &str,
    adjustment: &rules::Adjustment,
    at: NaiveDateTime,
) -> Result<LedgerEntry, ApiError> {
    let principal = &cx.principal().clone();
    let ws = principal.workspace_id.clone();
    let account_id = account_id.to_owned();
    check_account(conn, &ws, &account_id)?;
    let program = load_program(conn, &ws)?.ok_or_else(|| {
        ApiError::conflict(
            "no_loyalty_program",
            "set up the loyalty programme before adjusting points",
        )
    })?;
    let member = store::lock_member(conn, &ws, &account_id, at)?;
    let entry_id_hint = new_id();
    let mut lot_id = None;
    if adjustment.points > 0 {
        let (_, debt) = lots_and_debt(conn, &member)?;
        let id = new_id();
        let opened = program
            .program
            .adjustment_lot(id.clone(), utc(at), adjustment, debt)
            .map_err(domain_error)?;
        store::insert_lot(
            conn,
            &LotRow {
                id: id.clone(),
                workspace_id: ws.clone(),
                account_id: account_id.clone(),
                source_type: "adjustment".into(),
                source_id: Some(entry_id_hint.clone()),
                earned_at: at,
                points: adjustment.points,
                remaining: opened.lot.remaining,
                expired: 0,
                available_at: at,
                expires_at: opened.lot.expires_at.map(stored),
                spend_minor: 0,
                refunded_minor: 0,
                created_at: at,
            },
        )?;
        lot_id = Some(id);
    } else {
        take_points(conn, &member, -adjustment.points, at)?;
    }
    let entry: LedgerEntry = write_entry(
        conn,
        NewEntry {
            workspace_id: &ws,
            account_id: &account_id,
            kind: EntryKind::Adjust,
            points: adjustment.points,
            spend_minor: 0,
            lot_id,
            source_type: "admin",
            source_id: None,
            key: format!("adjust:{entry_id_hint}"),
            reason: Some(adjustment.reason.clone()),
            actor: &Actor::of(principal),
            occurred_at: at,
            now: at,
        },
    )?
    .into();
    cx.audit::<(), _>(
        "loyalty.adjust",
        "account",
        Some(&account_id),
        None,
        Some(&entry),
    )?;
    points_event(cx, &account_id, PointsMove::Adjusted, &entry)?;
    Ok(entry)
}

// ---------------------------------------------------------------------------------------
// Rewards

struct ValidReward {
    name: String,
    description: Option<String>,
    points_cost: i64,
    stock: Option<i64>,
    available_from: Option<NaiveDateTime>,
    available_until: Option<NaiveDateTime>,
}

fn validate_reward(input: &RewardInput) -> Result<ValidReward, ApiError> {
    let mut errors = Vec::new();
    let mut add = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.to_owned(),
            message,
        });
    };
    let name = match input.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() && n.chars().count() <= 200 && !n.contains(char::is_control) => {
            n.to_owned()
        }
        _ => {
            add("name", "is required: 1 to 200 characters".into());
            String::new()
        }
    };
    let description = match clean_text("description", input.description.as_deref(), false) {
        Ok(d) => d,
        Err(_) => {
            add(
                "description",
                format!("must be at most {MAX_REASON} characters"),
            );
            None
        }
    };
    let points_cost = input.points_cost.unwrap_or(0);
    if !(1..=MAX_POINTS).contains(&points_cost) {
        add(
            "points_cost",
            format!("is required: between 1 and {MAX_POINTS}"),
        );
    }
    if input.stock.is_some_and(|s| !(0..=MAX_POINTS).contains(&s)) {
        add(
            "stock",
            format!("must be between 0 and {MAX_POINTS}, or null for unlimited"),
        );
    }
    if let (Some(from), Some(until)) = (input.available_from, input.available_until) {
        if until <= from {
            add("available_until", "must be after available_from".into());
        }
    }
    if errors.is_empty() {
        Ok(ValidReward {
            name,
            description,
            points_cost,
            stock: input.stock,
            available_from: input.available_from.map(stored),
            available_until: input.available_until.map(stored),
        })
    } else {
        Err(ApiError::validation(errors))
    }
}

fn reward_as_input(r: &Reward) -> RewardInput {
    RewardInput {
        name: Some(r.name.clone()),
        description: r.description.clone(),
        points_cost: Some(r.points_cost),
        stock: r.stock,
        available_from: r.available_from,
        available_until: r.available_until,
    }
}

pub async fn create_reward(
    state: &AppState,
    principal: &Principal,
    input: RewardInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<Reward>, ApiError> {
    principal.require(Scope::Admin)?;
    let valid = validate_reward(&input)?;
    let principal = principal.clone();
    pipeline::write(
        state,
        &principal.clone(),
        idempotency,
        201,
        move |conn, cx| {
            let at = now();
            let row = RewardRow {
                id: new_id(),
                workspace_id: principal.workspace_id.clone(),
                name: valid.name,
                description: valid.description,
                points_cost: valid.points_cost,
                stock: valid.stock,
                available_from: valid.available_from,
                available_until: valid.available_until,
                version: 1,
                created_at: at,
                updated_at: at,
                deleted_at: None,
            };
            store::insert_reward(conn, &row)?;
            let reward = Reward::from(row);
            cx.audit::<(), _>(
                "loyalty_reward.create",
                "loyalty_reward",
                Some(&reward.id),
                None,
                Some(&reward),
            )?;
            cx.emit(DomainEvent::RewardChanged {
                change: Change::Created,
                reward: data(&reward)?,
            })?;
            Ok(reward)
        },
    )
    .await
}

pub async fn get_reward(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Reward, ApiError> {
    principal.require(Scope::LoyaltyRead)?;
    let (workspace, id) = (principal.workspace_id.clone(), id.to_owned());
    state
        .db
        .run(move |conn| {
            store::find_reward(conn, &workspace, &id)?
                .map(Reward::from)
                .ok_or_else(|| ApiError::not_found("no reward with that id"))
        })
        .await
}

pub async fn list_rewards(
    state: &AppState,
    principal: &Principal,
    limit: Option<i64>,
    after: Option<String>,
) -> Result<Page<Reward>, ApiError> {
    principal.require(Scope::LoyaltyRead)?;
    let page = page_request(limit, after)?;
    let request = page.clone();
    let workspace = principal.workspace_id.clone();
    let rows = state
        .db
        .run(move |conn| {
            Ok(store::list_rewards(
                conn,
                &workspace,
                request.after.as_deref(),
                request.limit + 1,
            )?)
        })
        .await?;
    Ok(Page::from_rows(rows, &page, |r| r.id.clone(), Reward::from))
}

/// Changes a reward with a JSON merge patch (admin).
pub async fn update_reward(
    state: &AppState,
    principal: &Principal,
    id: &str,
    patch: Value,
    if_match: Option<i64>,
) -> Result<Reward, ApiError> {
    principal.require(Scope::Admin)?;
    versioning::require_patch_object(&patch)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        let row = store::find_reward(conn, &principal.workspace_id, &id)?
            .ok_or_else(|| ApiError::not_found("no reward with that id"))?;
        versioning::check_version("reward", if_match, row.version)?;
        let before = Reward::from(row.clone());
        let input: RewardInput =
            versioning::merge_patch("a reward", &reward_as_input(&before), &patch)?;
        let valid = validate_reward(&input)?;
        let at = now();
        let updated = RewardRow {
            name: valid.name,
            description: valid.description,
            points_cost: valid.points_cost,
            stock: valid.stock,
            available_from: valid.available_from,
            available_until: valid.available_until,
            version: row.version + 1,
            updated_at: at,
            ..row.clone()
        };
        if store::update_reward(conn, &updated, row.version)? == 0 {
            return Err(versioning::precondition_failed("reward"));
        }
        let after = Reward::from(updated);
        cx.audit(
            "loyalty_reward.update",
            "loyalty_reward",
            Some(&after.id),
            Some(&before),
            Some(&after),
        )?;
        cx.emit(DomainEvent::RewardChanged {
            change: Change::updated(&before, &after),
            reward: data(&after)?,
        })?;
        Ok(after)
    })
    .await
}

/// Soft delete: the reward leaves the catalog; past redemptions keep it.
pub async fn delete_reward(
    state: &AppState,
    principal: &Principal,
    id: &str,
    if_match: Option<i64>,
) -> Result<(), ApiError> {
    principal.require(Scope::Admin)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        let row = store::find_reward(conn, &principal.workspace_id, &id)?
            .ok_or_else(|| ApiError::not_found("no reward with that id"))?;
        let at = now();
        versioning::write_versioned("reward", if_match, row.version, |version| {
            let deleted = RewardRow {
                version,
                updated_at: at,
                deleted_at: Some(at),
                ..row.clone()
            };
            store::update_reward(conn, &deleted, row.version)
        })?;
        cx.audit::<_, ()>(
            "loyalty_reward.delete",
            "loyalty_reward",
            Some(&id),
            Some(&Reward::from(row.clone())),
            None,
        )?;
        cx.emit(DomainEvent::RewardChanged {
            change: Change::Deleted,
            reward: data(&Reward::from(row))?,
        })?;
        Ok(())
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Jobs

/// Expires the member's lots past their date at `at`, in one transaction. The expiry of a
/// lot has a unique ledger key, so a second run (or a concurrent one) expires nothing again.
fn expire_member(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    at: NaiveDateTime,
    report: &mut JobReport,
) -> Result<Committed, ApiError> {
    let system = Principal::system(workspace_id);
    let ((), committed) = pipeline::transact(conn, &system, |conn, cx| {
        store::lock_member(conn, workspace_id, account_id, at)?;
        let lots = store::open_lots(conn, workspace_id, account_id)?;
        let domain_lots: Vec<Lot> = lots.iter().map(lot_of).collect();
        for take in rules::expire(&domain_lots, utc(at)) {
            let key = rules::expiry_key(&take.lot_id);
            if store::entry_by_key(conn, workspace_id, &key)?.is_some() {
                continue;
            }
            let row = lots
                .iter()
                .find(|l| l.id == take.lot_id)
                .ok_or_else(|| ApiError::internal("lot vanished"))?;
            let updated = LotRow {
                remaining: row.remaining - take.points,
                expired: row.expired + take.points,
                ..row.clone()
            };
            if store::update_lot(conn, &updated, row.remaining)? != 1 {
                return Err(ApiError::internal("a lot changed under the member lock"));
            }
            let entry = LedgerEntry::from(write_entry(
                conn,
                NewEntry {
                    workspace_id,
                    account_id,
                    kind: EntryKind::Expire,
                    points: -take.points,
                    spend_minor: 0,
                    lot_id: Some(row.id.clone()),
                    source_type: "job",
                    source_id: None,
                    key,
                    reason: None,
                    actor: &Actor::system(),
                    occurred_at: row.expires_at.unwrap_or(at),
                    now: at,
                },
            )?);
            cx.audit::<(), _>(
                "loyalty.expire",
                "account",
                Some(account_id),
                None,
                Some(&entry),
            )?;
            points_event(cx, account_id, PointsMove::Expired, &entry)?;
            report.expired_lots += 1;
            report.expired_points += take.points;
        }
        Ok(())
    })?;
    Ok(committed)
}

/// Announces the member's lots that expire within [`EXPIRING_NOTICE_DAYS`] of `at`, once per
/// lot (a notice row marks it), in one transaction.
fn announce_expiring(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    at: NaiveDateTime,
    report: &mut JobReport,
) -> Result<Committed, ApiError> {
    let system = Principal::system(workspace_id);
    let until = at + chrono::Duration::days(EXPIRING_NOTICE_DAYS);
    let ((), committed) = pipeline::transact(conn, &system, |conn, cx| {
        store::lock_member(conn, workspace_id, account_id, at)?;
        for lot in store::lots_to_announce(conn, workspace_id, account_id, at, until)? {
            let Some(expires_at) = lot.expires_at else {
                continue;
            };
            if !store::mark_announced(conn, workspace_id, &lot.id, at)? {
                continue;
            }
            cx.emit(DomainEvent::PointsExpiring {
                account_id: account_id.to_owned(),
                lot_id: lot.id.clone(),
                points: lot.remaining,
                expires_at: utc(expires_at),
            })?;
            report.expiring_lots += 1;
        }
        Ok(())
    })?;
    Ok(committed)
}

/// Runs the expiry and tier jobs once at `at`, for every workspace, and announces points
/// expiring within [`EXPIRING_NOTICE_DAYS`]. Idempotent: a second run at the same instant
/// changes nothing. Each member is its own transaction through the write pipeline; the
/// returned effects are for [`pipeline::apply_all`] (see [`run_jobs_now`]).
pub fn run_jobs(
    conn: &mut DbConn,
    at: NaiveDateTime,
) -> Result<(JobReport, Vec<Committed>), ApiError> {
    let mut report = JobReport::default();
    let mut effects = Vec::new();
    loop {
        let due = store::accounts_with_expired_lots(conn, at, JOB_BATCH)?;
        if due.is_empty() {
            break;
        }
        let before = report.expired_lots;
        for (workspace_id, account_id) in &due {
            effects.push(expire_member(
                conn,
                workspace_id,
                account_id,
                at,
                &mut report,
            )?);
        }
        if report.expired_lots == before {
            break; // nothing could be expired: do not spin
        }
    }
    let until = at + chrono::Duration::days(EXPIRING_NOTICE_DAYS);
    loop {
        let due = store::accounts_with_lots_to_announce(conn, at, until, JOB_BATCH)?;
        if due.is_empty() {
            break;
        }
        let before = report.expiring_lots;
        for (workspace_id, account_id) in &due {
            effects.push(announce_expiring(
                conn,
                workspace_id,
                account_id,
                at,
                &mut report,
            )?);
        }
        if report.expiring_lots == before {
            break;
        }
    }
    for row in store::active_programs(conn)? {
        let stored_program: StoredProgram =
            serde_json::from_str(&row.definition).map_err(ApiError::internal)?;
        let program = stored_program.program;
        let mut after: Option<String> = None;
        loop {
            let members =
                store::members_after(conn, &row.workspace_id, after.as_deref(), JOB_BATCH)?;
            let Some(last) = members.last() else { break };
            after = Some(last.account_id.clone());
            for member in &members {
                report.members_evaluated += 1;
                let amount =
                    qualifying(conn, &program, &member.workspace_id, &member.account_id, at)?;
                let current = tier_index(&program, member);
                let to = match rules::reevaluate_tier(&program, current, amount)
                    .map_err(domain_error)?
                {
                    TierChange::Upgrade { to, .. } => {
                        report.upgrades += 1;
                        to
                    }
                    TierChange::Downgrade { to, .. } if stored_program.allow_downgrade => {
                        report.downgrades += 1;
                        to
                    }
                    _ if usize::try_from(member.tier).ok() != Some(current) => current,
                    _ => continue,
                };
                let to_index = i32::try_from(to).map_err(ApiError::internal)?;
                let stored_tier = usize::try_from(member.tier).unwrap_or(0);
                let system = Principal::system(&member.workspace_id);
                let ((), committed) = pipeline::transact(conn, &system, |conn, cx| {
                    store::set_tier(conn, &member.workspace_id, &member.account_id, to_index, at)?;
                    let change = serde_json::json!({
                        "from_tier": tier_name(&program, stored_tier),
                        "to_tier": tier_name(&program, to),
                    });
                    cx.audit::<(), _>(
                        "loyalty.tier_change",
                        "account",
                        Some(&member.account_id),
                        None,
                        Some(&change),
                    )?;
                    if tier_name(&program, stored_tier) != tier_name(&program, to) {
                        cx.emit(DomainEvent::TierChanged {
                            account_id: member.account_id.clone(),
                            from_tier: tier_name(&program, stored_tier),
                            to_tier: tier_name(&program, to),
                        })?;
                    }
                    Ok(())
                })?;
                effects.push(committed);
            }
        }
    }
    Ok((report, effects))
}

/// The jobs through the pool, as the scheduler in `rapport serve` and `rapport loyalty
/// run-jobs` run them: the changes' effects (cached profiles show balances and tiers) are
/// applied once the jobs are done.
pub async fn run_jobs_now(state: &AppState, at: NaiveDateTime) -> Result<JobReport, ApiError> {
    let (report, effects) = state.db.run(move |conn| run_jobs(conn, at)).await?;
    pipeline::apply_all(state, effects).await;
    Ok(report)
}
