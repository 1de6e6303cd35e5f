//! The loyalty API's shapes: programme, balance, ledger entries, redemptions, rewards.

use super::*;

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

pub(super) fn rounding_names() -> utoipa::openapi::Object {
    names_or_null(["down", "nearest", "up"])
}

pub(super) fn qualification_names() -> utoipa::openapi::Object {
    names_or_null(["spend", "points_earned"])
}

pub(super) fn names_or_null<const N: usize>(names: [&str; N]) -> utoipa::openapi::Object {
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
    /// `earn`, `redeem`, `expire`, `adjust`, `reverse` or `return` (a cancelled redemption's
    /// points).
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
    /// `completed` (points spent), `issued` (a reward to hand over), `fulfilled` (the
    /// reward was handed over) or `cancelled` (points and stock given back).
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
    /// When the reward was handed over.
    pub fulfilled_at: Option<DateTime<Utc>>,
    /// When the redemption was cancelled, and why.
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
}

/// Why a redemption is cancelled (optional).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[graphql(name = "CancelRedemptionInput")]
#[serde(deny_unknown_fields)]
pub struct CancelRedemptionInput {
    /// Up to 500 characters, kept on the redemption and its ledger entry.
    pub reason: Option<String>,
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
