//! GraphQL input types: the service inputs with the GraphQL contract's scalars (`Long` for
//! money and points, `ID` for ids, `Date`), converted into the service inputs unchanged.

use async_graphql::{InputObject, ID};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::graphql::scalars::{Date, Long};
use crate::service::accounts::Address;
use crate::service::loyalty::EarnRateSpec;
use crate::service::{accounts, deals, interactions, loyalty, orders};

#[derive(Debug, Clone, InputObject)]
#[graphql(name = "MoneyInput")]
pub struct MoneyInput {
    /// Minor units (cents).
    pub amount: Long,
    /// ISO 4217, e.g. `EUR`.
    pub currency: String,
}

impl From<MoneyInput> for accounts::Money {
    fn from(v: MoneyInput) -> Self {
        Self {
            amount: v.amount.0,
            currency: v.currency,
        }
    }
}

/// What a client writes: the body of a create, and the shape a PATCH merges into.
#[derive(Debug, Clone, Default, InputObject)]
pub struct AccountInput {
    /// `person` or `organization`.
    pub kind: Option<String>,
    pub name: Option<String>,
    pub emails: Option<Vec<String>>,
    pub phones: Option<Vec<String>>,
    pub address: Option<Address>,
    pub tags: Option<Vec<String>>,
    pub attributes: Option<Value>,
    /// Default `lead`.
    pub lifecycle_stage: Option<String>,
    pub owner_id: Option<ID>,
    pub acquisition_channel: Option<String>,
    pub acquisition_cost: Option<MoneyInput>,
    pub external_id: Option<String>,
}

impl From<AccountInput> for accounts::AccountInput {
    fn from(v: AccountInput) -> Self {
        Self {
            kind: v.kind,
            name: v.name,
            emails: v.emails,
            phones: v.phones,
            address: v.address,
            tags: v.tags,
            attributes: v.attributes,
            lifecycle_stage: v.lifecycle_stage,
            owner_id: v.owner_id.map(|id| id.0),
            acquisition_channel: v.acquisition_channel,
            acquisition_cost: v.acquisition_cost.map(Into::into),
            marketing_consent: None,
            external_id: v.external_id,
        }
    }
}

/// One line of an order.
#[derive(Debug, Clone, InputObject)]
#[graphql(name = "LineItemInput")]
pub struct LineItemInput {
    pub sku: String,
    pub name: Option<String>,
    /// At least 1.
    pub quantity: i64,
    /// Minor units of the order's currency.
    pub unit_price: Long,
    pub category: Option<String>,
}

impl From<LineItemInput> for orders::LineItem {
    fn from(v: LineItemInput) -> Self {
        Self {
            sku: v.sku,
            name: v.name,
            quantity: v.quantity,
            unit_price: v.unit_price.0,
            category: v.category,
        }
    }
}

/// A new order.
#[derive(Debug, Clone, Default, InputObject)]
pub struct OrderInput {
    /// The account's id (or give `account_external_id`).
    pub account_id: Option<ID>,
    /// The account's `external_id` (or give `account_id`).
    pub account_external_id: Option<String>,
    /// Your key for the order, unique in the workspace (recommended: makes retries safe).
    pub external_id: Option<String>,
    /// Required: minor units of `currency`, at least 0.
    pub amount: Option<Long>,
    /// Required: ISO 4217 code. Other than the reporting currency needs an exchange rate
    /// in the workspace's value settings.
    pub currency: Option<String>,
    /// What the order cost you, minor units of `currency`, at least 0.
    pub cost: Option<Long>,
    /// Default now; at most 5 minutes in the future.
    pub occurred_at: Option<DateTime<Utc>>,
    /// `web`, `app`, `store`, `phone`, `email`, `social` or `chat`.
    pub channel: Option<String>,
    /// Up to 500 lines.
    pub items: Option<Vec<LineItemInput>>,
    /// Vouchers the order redeems (up to 10 codes): a bad one rejects the order.
    pub voucher_codes: Option<Vec<String>>,
}

impl From<OrderInput> for orders::OrderInput {
    fn from(v: OrderInput) -> Self {
        Self {
            account_id: v.account_id.map(|id| id.0),
            account_external_id: v.account_external_id,
            external_id: v.external_id,
            amount: v.amount.map(i64::from),
            currency: v.currency,
            cost: v.cost.map(i64::from),
            occurred_at: v.occurred_at,
            channel: v.channel,
            items: v
                .items
                .map(|list| list.into_iter().map(Into::into).collect()),
            voucher_codes: v.voucher_codes,
        }
    }
}

#[derive(Debug, Clone, InputObject)]
pub struct OrderBatch {
    /// 1 to 1,000 orders, applied together or not at all.
    pub orders: Vec<OrderInput>,
}

impl From<OrderBatch> for orders::OrderBatch {
    fn from(v: OrderBatch) -> Self {
        Self {
            orders: v.orders.into_iter().map(Into::into).collect(),
        }
    }
}

/// A refund: absent `amount` refunds whatever is left.
#[derive(Debug, Clone, Default, InputObject)]
pub struct RefundInput {
    /// Minor units of the order's currency, more than 0 and at most what is left.
    pub amount: Option<Long>,
    pub reason: Option<String>,
}

impl From<RefundInput> for orders::RefundInput {
    fn from(v: RefundInput) -> Self {
        Self {
            amount: v.amount.map(i64::from),
            reason: v.reason,
        }
    }
}

/// A stage as a client writes it: with `id` to keep an existing stage, without to add one.
#[derive(Debug, Clone, Default, InputObject)]
pub struct StageInput {
    /// An existing stage of this pipeline (absent: a new stage).
    pub id: Option<ID>,
    /// 1 to 100 characters.
    pub name: Option<String>,
    /// 0 to 100; required for open stages, defaults to 100 for won and 0 for lost.
    pub probability: Option<i32>,
    /// `open`, `won` or `lost`; required for a new stage, unchangeable afterwards.
    pub kind: Option<String>,
}

impl From<StageInput> for deals::StageInput {
    fn from(v: StageInput) -> Self {
        Self {
            id: v.id.map(|id| id.0),
            name: v.name,
            probability: v.probability,
            kind: v.kind,
        }
    }
}

/// A pipeline's writable form: the create body, and what a PATCH merges into.
#[derive(Debug, Clone, Default, InputObject)]
pub struct PipelineInput {
    pub name: Option<String>,
    /// The stages in order: at least one open stage, at most 50.
    pub stages: Option<Vec<StageInput>>,
}

impl From<PipelineInput> for deals::PipelineInput {
    fn from(v: PipelineInput) -> Self {
        Self {
            name: v.name,
            stages: v
                .stages
                .map(|list| list.into_iter().map(Into::into).collect()),
        }
    }
}

/// A deal as a client writes it: the create body, and the shape a PATCH merges into.
#[derive(Debug, Clone, Default, InputObject)]
pub struct DealInput {
    /// Required on create: a live account. Fixed afterwards.
    pub account_id: Option<ID>,
    /// A live contact of that account.
    pub contact_id: Option<ID>,
    /// Required: 1 to 200 characters.
    pub title: Option<String>,
    /// Required: minor units, 0 or more.
    pub amount: Option<Long>,
    /// Required: ISO 4217.
    pub currency: Option<String>,
    /// Required on create: an active pipeline. Fixed afterwards.
    pub pipeline_id: Option<ID>,
    /// On create only: an open stage of the pipeline (default: its first). Afterwards use
    /// `POST /v1/deals/{id}/move`.
    pub stage_id: Option<ID>,
    /// A user of the workspace (default on create: the calling user).
    pub owner_id: Option<ID>,
    pub expected_close_on: Option<Date>,
    /// 1 to 100 characters.
    pub source: Option<String>,
    /// On create only: when the deal entered its first stage (default: now; for imports of
    /// history; not in the future).
    pub opened_at: Option<DateTime<Utc>>,
}

impl From<DealInput> for deals::DealInput {
    fn from(v: DealInput) -> Self {
        Self {
            account_id: v.account_id.map(|id| id.0),
            contact_id: v.contact_id.map(|id| id.0),
            title: v.title,
            amount: v.amount.map(i64::from),
            currency: v.currency,
            pipeline_id: v.pipeline_id.map(|id| id.0),
            stage_id: v.stage_id.map(|id| id.0),
            owner_id: v.owner_id.map(|id| id.0),
            expected_close_on: v.expected_close_on.map(|d| d.0),
            source: v.source,
            opened_at: v.opened_at,
        }
    }
}

/// What a client writes: the body of a create, and the shape a PATCH merges into.
#[derive(Debug, Clone, Default, InputObject)]
pub struct InteractionInput {
    /// Required: `note`, `call`, `email`, `meeting`, `task`, `ticket` or `feedback`.
    #[graphql(name = "type")]
    pub kind: Option<String>,
    /// `web`, `app`, `store`, `phone`, `email`, `social` or `chat`.
    pub channel: Option<String>,
    /// `inbound` or `outbound`.
    pub direction: Option<String>,
    /// At most 200 characters.
    pub subject: Option<String>,
    /// At most 20,000 characters; line breaks are kept.
    pub body: Option<String>,
    /// When it happened (default: now); at most 5 minutes in the future.
    pub occurred_at: Option<DateTime<Utc>>,
    /// A live contact of the same account.
    pub contact_id: Option<ID>,
    /// Tasks only: when it is due (may be in the future).
    pub due_at: Option<DateTime<Utc>>,
    /// Tasks only: `true` once done.
    pub done: Option<bool>,
    /// Your key for the interaction, unique in the workspace (set on create only; a known
    /// one is a conflict `duplicate_interaction`).
    pub external_id: Option<String>,
}

impl From<InteractionInput> for interactions::InteractionInput {
    fn from(v: InteractionInput) -> Self {
        Self {
            kind: v.kind,
            channel: v.channel,
            direction: v.direction,
            subject: v.subject,
            body: v.body,
            occurred_at: v.occurred_at,
            contact_id: v.contact_id.map(|id| id.0),
            due_at: v.due_at,
            done: v.done,
            external_id: v.external_id,
        }
    }
}

/// A tier: from `threshold` (qualifying spend in minor units, or points earned, in the
/// window) up. The first tier is the base tier with threshold 0.
#[derive(Debug, Clone, InputObject)]
#[graphql(name = "TierInput")]
pub struct TierInput {
    pub name: String,
    pub threshold: Long,
    /// Earning multiplier in per-mille: 1000 = 1x, 1500 = 1.5x (1000 to 100000).
    pub multiplier_permille: u32,
    #[graphql(default)]
    pub benefits: String,
}

impl From<TierInput> for loyalty::TierSpec {
    fn from(v: TierInput) -> Self {
        Self {
            name: v.name,
            threshold: v.threshold.0,
            multiplier_permille: v.multiplier_permille,
            benefits: v.benefits,
        }
    }
}

/// The programme as a client writes it (`PUT` replaces it whole).
#[derive(Debug, Clone, InputObject)]
pub struct ProgramInput {
    pub currency: String,
    /// Default true.
    pub active: Option<bool>,
    pub earn_rate: EarnRateSpec,
    /// `down` (default), `nearest` or `up`.
    pub rounding: Option<String>,
    /// `spend` (default) or `points_earned`.
    pub qualification: Option<String>,
    /// Default 365.
    pub qualification_window_days: Option<u32>,
    pub tiers: Vec<TierInput>,
    /// Default true.
    pub allow_downgrade: Option<bool>,
    /// Absent or null: points never expire.
    pub expiry_months: Option<u32>,
    /// Default 0.
    pub pending_days: Option<u32>,
}

impl From<ProgramInput> for loyalty::ProgramInput {
    fn from(v: ProgramInput) -> Self {
        Self {
            currency: v.currency,
            active: v.active,
            earn_rate: v.earn_rate,
            rounding: v.rounding,
            qualification: v.qualification,
            qualification_window_days: v.qualification_window_days,
            tiers: v.tiers.into_iter().map(Into::into).collect(),
            allow_downgrade: v.allow_downgrade,
            expiry_months: v.expiry_months,
            pending_days: v.pending_days,
        }
    }
}

/// Spending points: either `points`, or a catalog reward by `reward_id` (its cost).
#[derive(Debug, Clone, InputObject)]
pub struct RedeemInput {
    pub points: Option<Long>,
    pub reward_id: Option<ID>,
    /// Free text kept on the redemption (at most 500 characters).
    pub note: Option<String>,
}

impl From<RedeemInput> for loyalty::RedeemInput {
    fn from(v: RedeemInput) -> Self {
        Self {
            points: v.points.map(i64::from),
            reward_id: v.reward_id.map(|id| id.0),
            note: v.note,
        }
    }
}

/// An admin's manual correction.
#[derive(Debug, Clone, InputObject)]
pub struct AdjustInput {
    /// Non-zero; negative takes points away (never below an available balance of 0).
    pub points: Long,
    pub reason: String,
}

impl From<AdjustInput> for loyalty::AdjustInput {
    fn from(v: AdjustInput) -> Self {
        Self {
            points: v.points.0,
            reason: v.reason,
        }
    }
}

/// A reward as written (create body; the shape a PATCH merges into).
#[derive(Debug, Clone, Default, InputObject)]
pub struct RewardInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub points_cost: Option<Long>,
    /// Null: unlimited.
    pub stock: Option<i64>,
    pub available_from: Option<DateTime<Utc>>,
    pub available_until: Option<DateTime<Utc>>,
}

impl From<RewardInput> for loyalty::RewardInput {
    fn from(v: RewardInput) -> Self {
        Self {
            name: v.name,
            description: v.description,
            points_cost: v.points_cost.map(i64::from),
            stock: v.stock,
            available_from: v.available_from,
            available_until: v.available_until,
        }
    }
}
