//! Offers (`/v1/offers`): a catalogue of incentives — percent or fixed discounts, bonus
//! points, a free loyalty reward, free shipping or a benefit described in text — with who
//! may get them (eligibility), when (validity window), how much they may cost in all
//! (budget) and how often they may be redeemed (caps). Issued to customers as vouchers
//! ([`vouchers`]) and redeemed through orders ([`redemption`]); vouchers past their validity
//! expire by job ([`jobs`]).
//!
//! Costs (`cost_per_redemption`, `budget`, `spent`) are minor units of the workspace's
//! reporting currency. The cost of one redemption is the discount it records (converted to
//! the reporting currency) plus `cost_per_redemption` (the estimated cost of points, a
//! reward, shipping or a custom benefit); `spent` sums the costs of the redemptions that
//! stand, and a redemption that would take it past `budget` is refused.

pub mod jobs;
pub mod next_best;
pub mod redemption;
pub mod vouchers;

use chrono::{DateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::money::{Currency, MAX_MINOR_UNITS};
use rapport_domain::offers::KINDS;
use rapport_persistence::offers::{self as store, OfferRow};
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::events::domain::{data, Change, DomainEvent};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::pipeline;
use crate::service::{new_id, now, stored, utc, versioning, Page, PageRequest};
use crate::state::AppState;

/// Largest bonus in points.
pub const MAX_POINTS: i64 = 1_000_000_000;

/// Who may get an offer: every condition given must hold.
#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "OfferEligibility")]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    /// Members of this segment (by rules) only.
    #[serde(default)]
    pub segment_id: Option<String>,
    /// Loyalty members in one of these tiers (by name) only.
    #[serde(default)]
    pub tiers: Vec<String>,
    /// Customers whose 12-month CLV is at least this (minor units, reporting currency).
    #[serde(default)]
    #[schema(example = 20000)]
    #[graphql(
        skip,
        derived(
            name = "min_clv",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub min_clv: Option<i64>,
    /// Customers in one of these risk bands (`healthy`, `watch`, `at_risk`, `lost`).
    #[serde(default)]
    pub risk_bands: Vec<String>,
    /// Customers who granted consent on this channel (`email`, `sms`, `push`).
    #[serde(default)]
    pub channel_consent: Option<String>,
}

/// An offer.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Offer {
    pub id: String,
    #[schema(example = "20 % off your next order")]
    pub name: String,
    pub description: Option<String>,
    /// `percent_discount`, `fixed_discount`, `bonus_points`, `free_reward`, `free_shipping`
    /// or `custom`.
    #[schema(example = "percent_discount")]
    pub kind: String,
    /// percent_discount: 1 to 99 (% of the order's value before the discount).
    pub percent: Option<i32>,
    /// fixed_discount: minor units of `currency`.
    #[graphql(
        skip,
        derived(
            name = "amount",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub amount: Option<i64>,
    /// fixed_discount: ISO 4217.
    pub currency: Option<String>,
    /// bonus_points: points given on redemption…
    #[graphql(
        skip,
        derived(
            name = "points",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub points: Option<i64>,
    /// …or a multiplier on what the redeeming order earns (e.g. 2.0: double points).
    pub points_multiplier: Option<f64>,
    /// free_reward: a loyalty reward of the workspace.
    pub reward_id: Option<String>,
    /// custom: the benefit in words.
    pub benefit: Option<String>,
    pub eligibility: Eligibility,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    /// A voucher is valid this many days after issue (never past `valid_until`); null: until
    /// `valid_until`.
    pub voucher_valid_days: Option<i32>,
    /// Minor units of the reporting currency per redemption, added to its discount.
    #[graphql(
        skip,
        derived(
            name = "cost_per_redemption",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub cost_per_redemption: i64,
    /// Cap on the summed cost of redemptions (reporting currency); null: none.
    #[graphql(
        skip,
        derived(
            name = "budget",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub budget: Option<i64>,
    /// Redemptions per customer; null: no cap.
    pub per_customer_cap: Option<i64>,
    /// Redemptions in all; null: no cap.
    pub total_cap: Option<i64>,
    /// The campaign the offer belongs to: redeeming orders are attributed to it.
    pub campaign_id: Option<String>,
    /// `active` or `paused` (paused: no issue, no redemption).
    #[schema(example = "active")]
    pub status: String,
    /// Vouchers issued so far.
    pub issued: i64,
    /// Redemptions that stand.
    pub redemptions: i64,
    /// Their summed cost, minor units of the reporting currency.
    #[graphql(
        skip,
        derived(name = "spent", into = "crate::graphql::scalars::Long", owned)
    )]
    pub spent: i64,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new offer (and, as a merge patch, a change to one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    /// 1 to 200 characters.
    #[schema(example = "20 % off your next order")]
    pub name: String,
    /// At most 2,000 characters.
    #[serde(default)]
    pub description: Option<String>,
    #[schema(example = "percent_discount")]
    pub kind: String,
    #[serde(default)]
    #[schema(example = 20)]
    pub percent: Option<i32>,
    #[serde(default)]
    pub amount: Option<i64>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub points: Option<i64>,
    #[serde(default)]
    pub points_multiplier: Option<f64>,
    #[serde(default)]
    pub reward_id: Option<String>,
    #[serde(default)]
    pub benefit: Option<String>,
    #[serde(default)]
    pub eligibility: Option<Eligibility>,
    #[serde(default)]
    pub valid_from: Option<DateTime<Utc>>,
    #[serde(default)]
    pub valid_until: Option<DateTime<Utc>>,
    /// 1 to 3,650.
    #[serde(default)]
    pub voucher_valid_days: Option<i32>,
    /// Minor units of the reporting currency, 0 to 10^13 (default 0).
    #[serde(default)]
    pub cost_per_redemption: i64,
    /// Minor units of the reporting currency, 1 to 10^13.
    #[serde(default)]
    pub budget: Option<i64>,
    /// At least 1.
    #[serde(default)]
    pub per_customer_cap: Option<i64>,
    /// At least 1.
    #[serde(default)]
    pub total_cap: Option<i64>,
    /// A campaign of the workspace.
    #[serde(default)]
    pub campaign_id: Option<String>,
    /// `active` (default) or `paused`.
    #[serde(default)]
    pub status: Option<String>,
}

impl TryFrom<OfferRow> for Offer {
    type Error = ApiError;

    fn try_from(row: OfferRow) -> Result<Self, ApiError> {
        let eligibility = serde_json::from_str(&row.eligibility).map_err(ApiError::internal)?;
        Ok(Offer {
            id: row.id,
            name: row.name,
            description: row.description,
            kind: row.kind,
            percent: row.percent,
            amount: row.amount,
            currency: row.currency,
            points: row.points,
            points_multiplier: row.points_multiplier,
            reward_id: row.reward_id,
            benefit: row.benefit,
            eligibility,
            valid_from: row.valid_from.map(utc),
            valid_until: row.valid_until.map(utc),
            voucher_valid_days: row.voucher_valid_days,
            cost_per_redemption: row.cost_per_redemption,
            budget: row.budget,
            per_customer_cap: row.per_customer_cap,
            total_cap: row.total_cap,
            campaign_id: row.campaign_id,
            status: row.status,
            issued: row.issued,
            redemptions: row.redemptions,
            spent: row.spent,
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        })
    }
}

fn text_ok(s: &str, max: usize) -> bool {
    !s.trim().is_empty() && s.chars().count() <= max && !s.contains(char::is_control)
}

const RISK_BANDS: [&str; 4] = ["healthy", "watch", "at_risk", "lost"];
const CONSENT_CHANNELS: [&str; 3] = ["email", "sms", "push"];

/// Checks an input at the edge: each bad field named.
fn validate(input: &OfferInput) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, message: &str| {
        errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        })
    };
    if !text_ok(&input.name, 200) {
        bad("name", "1 to 200 characters, no control characters");
    }
    if input
        .description
        .as_deref()
        .is_some_and(|d| d.chars().count() > 2000)
    {
        bad("description", "at most 2000 characters");
    }
    let kind = input.kind.as_str();
    if !KINDS.contains(&kind) {
        bad(
            "kind",
            "one of percent_discount, fixed_discount, bonus_points, free_reward, free_shipping, custom",
        );
    }
    // Each kind's own fields, and no other kind's.
    let only = |field: &str, given: bool, for_kind: &[&str], bad: &mut dyn FnMut(&str, &str)| {
        if given && !for_kind.contains(&kind) {
            bad(field, &format!("only for kind {}", for_kind.join(" or ")));
        }
    };
    only(
        "percent",
        input.percent.is_some(),
        &["percent_discount"],
        &mut bad,
    );
    only(
        "amount",
        input.amount.is_some(),
        &["fixed_discount"],
        &mut bad,
    );
    only(
        "currency",
        input.currency.is_some(),
        &["fixed_discount"],
        &mut bad,
    );
    only(
        "points",
        input.points.is_some(),
        &["bonus_points"],
        &mut bad,
    );
    only(
        "points_multiplier",
        input.points_multiplier.is_some(),
        &["bonus_points"],
        &mut bad,
    );
    only(
        "reward_id",
        input.reward_id.is_some(),
        &["free_reward"],
        &mut bad,
    );
    only("benefit", input.benefit.is_some(), &["custom"], &mut bad);
    match kind {
        "percent_discount" if !input.percent.is_some_and(|p| (1..=99).contains(&p)) => {
            bad("percent", "required: 1 to 99")
        }
        "fixed_discount" => {
            if !input
                .amount
                .is_some_and(|a| (1..=MAX_MINOR_UNITS).contains(&a))
            {
                bad("amount", "required: minor units, 1 to 10^13");
            }
            if !input
                .currency
                .as_deref()
                .is_some_and(|c| Currency::parse(c).is_ok() && c.len() == 3)
            {
                bad("currency", "required: an ISO 4217 code such as EUR");
            }
        }
        "bonus_points" => match (input.points, input.points_multiplier) {
            (Some(p), None) if (1..=MAX_POINTS).contains(&p) => {}
            (None, Some(m)) if m.is_finite() && m > 1.0 && m <= 10.0 => {}
            (Some(_), None) => bad("points", "1 to 10^9"),
            (None, Some(_)) => bad("points_multiplier", "more than 1, at most 10"),
            _ => bad("points", "give points or points_multiplier (one of them)"),
        },
        "free_reward" if !input.reward_id.as_deref().is_some_and(|r| text_ok(r, 100)) => {
            bad("reward_id", "required: a loyalty reward's id")
        }
        "custom" if !input.benefit.as_deref().is_some_and(|b| text_ok(b, 500)) => {
            bad("benefit", "required: 1 to 500 characters")
        }
        _ => {}
    }
    if let Some(e) = &input.eligibility {
        if e.segment_id
            .as_deref()
            .is_some_and(|s| uuid::Uuid::parse_str(s).is_err())
        {
            bad("eligibility.segment_id", "no segment with this id");
        }
        if e.tiers.len() > 20 || e.tiers.iter().any(|t| !text_ok(t, 100)) {
            bad(
                "eligibility.tiers",
                "up to 20 tier names of 1 to 100 characters",
            );
        }
        if e.min_clv
            .is_some_and(|c| !(0..=MAX_MINOR_UNITS).contains(&c))
        {
            bad("eligibility.min_clv", "minor units, 0 to 10^13");
        }
        if e.risk_bands
            .iter()
            .any(|b| !RISK_BANDS.contains(&b.as_str()))
        {
            bad(
                "eligibility.risk_bands",
                "each one of healthy, watch, at_risk, lost",
            );
        }
        if e.channel_consent
            .as_deref()
            .is_some_and(|c| !CONSENT_CHANNELS.contains(&c))
        {
            bad("eligibility.channel_consent", "one of email, sms, push");
        }
    }
    if let (Some(from), Some(until)) = (input.valid_from, input.valid_until) {
        if until <= from {
            bad("valid_until", "must be after valid_from");
        }
    }
    if input
        .voucher_valid_days
        .is_some_and(|d| !(1..=3650).contains(&d))
    {
        bad("voucher_valid_days", "1 to 3650");
    }
    if !(0..=MAX_MINOR_UNITS).contains(&input.cost_per_redemption) {
        bad("cost_per_redemption", "minor units, 0 to 10^13");
    }
    if input
        .budget
        .is_some_and(|b| !(1..=MAX_MINOR_UNITS).contains(&b))
    {
        bad("budget", "minor units, 1 to 10^13");
    }
    if input.per_customer_cap.is_some_and(|c| c < 1) {
        bad("per_customer_cap", "at least 1");
    }
    if input.total_cap.is_some_and(|c| c < 1) {
        bad("total_cap", "at least 1");
    }
    if input
        .campaign_id
        .as_deref()
        .is_some_and(|c| uuid::Uuid::parse_str(c).is_err())
    {
        bad("campaign_id", "no campaign with this id");
    }
    if input
        .status
        .as_deref()
        .is_some_and(|s| s != "active" && s != "paused")
    {
        bad("status", "active or paused");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

/// The checks that read the workspace: the segment, reward and campaign exist.
fn check_in_workspace(conn: &mut DbConn, ws: &str, input: &OfferInput) -> Result<(), ApiError> {
    if let Some(segment) = input
        .eligibility
        .as_ref()
        .and_then(|e| e.segment_id.as_deref())
    {
        if rapport_persistence::segments::find(conn, ws, segment)?.is_none() {
            return Err(ApiError::field(
                "eligibility.segment_id",
                "no segment with this id",
            ));
        }
    }
    if let Some(reward) = input.reward_id.as_deref() {
        if rapport_persistence::loyalty::find_reward(conn, ws, reward)?.is_none() {
            return Err(ApiError::field(
                "reward_id",
                "no loyalty reward with this id",
            ));
        }
    }
    if let Some(campaign) = input.campaign_id.as_deref() {
        if rapport_persistence::campaigns::find(conn, ws, campaign)?.is_none() {
            return Err(ApiError::field("campaign_id", "no campaign with this id"));
        }
    }
    Ok(())
}

/// The stored form of a valid input over `base` (counters and bookkeeping kept).
fn row_of(input: OfferInput, base: OfferRow) -> Result<OfferRow, ApiError> {
    let eligibility = serde_json::to_string(&input.eligibility.unwrap_or_default())
        .map_err(ApiError::internal)?;
    Ok(OfferRow {
        name: input.name.trim().to_owned(),
        description: input.description,
        kind: input.kind,
        percent: input.percent,
        amount: input.amount,
        currency: input.currency,
        points: input.points,
        points_multiplier: input.points_multiplier,
        reward_id: input.reward_id,
        benefit: input.benefit,
        eligibility,
        valid_from: input.valid_from.map(stored),
        valid_until: input.valid_until.map(stored),
        voucher_valid_days: input.voucher_valid_days,
        cost_per_redemption: input.cost_per_redemption,
        budget: input.budget,
        per_customer_cap: input.per_customer_cap,
        total_cap: input.total_cap,
        campaign_id: input.campaign_id,
        status: input.status.unwrap_or_else(|| "active".into()),
        ..base
    })
}

fn input_of(o: &Offer) -> OfferInput {
    OfferInput {
        name: o.name.clone(),
        description: o.description.clone(),
        kind: o.kind.clone(),
        percent: o.percent,
        amount: o.amount,
        currency: o.currency.clone(),
        points: o.points,
        points_multiplier: o.points_multiplier,
        reward_id: o.reward_id.clone(),
        benefit: o.benefit.clone(),
        eligibility: Some(o.eligibility.clone()),
        valid_from: o.valid_from,
        valid_until: o.valid_until,
        voucher_valid_days: o.voucher_valid_days,
        cost_per_redemption: o.cost_per_redemption,
        budget: o.budget,
        per_customer_cap: o.per_customer_cap,
        total_cap: o.total_cap,
        campaign_id: o.campaign_id.clone(),
        status: Some(o.status.clone()),
    }
}

/// A live offer of the workspace, or 404.
pub fn load(conn: &mut DbConn, workspace_id: &str, id: &str) -> Result<OfferRow, ApiError> {
    store::find_offer(conn, workspace_id, id)?
        .ok_or_else(|| ApiError::not_found(format!("no offer {id}")))
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    mut input: OfferInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<Offer>, ApiError> {
    principal.require(Scope::OffersWrite)?;
    validate(&input)?;
    input.currency = input.currency.map(|c| c.to_uppercase());
    pipeline::write(state, principal, idempotency, 201, move |conn, cx| {
        let ws = cx.principal().workspace_id.clone();
        check_in_workspace(conn, &ws, &input)?;
        let at = now();
        let base = OfferRow {
            id: new_id(),
            workspace_id: ws,
            name: String::new(),
            description: None,
            kind: String::new(),
            percent: None,
            amount: None,
            currency: None,
            points: None,
            points_multiplier: None,
            reward_id: None,
            benefit: None,
            eligibility: String::new(),
            valid_from: None,
            valid_until: None,
            voucher_valid_days: None,
            cost_per_redemption: 0,
            budget: None,
            per_customer_cap: None,
            total_cap: None,
            campaign_id: None,
            status: String::new(),
            issued: 0,
            redemptions: 0,
            spent: 0,
            version: 1,
            created_at: at,
            updated_at: at,
            deleted_at: None,
        };
        let row = row_of(input, base)?;
        store::insert_offer(conn, &row)?;
        let offer = Offer::try_from(row)?;
        cx.audit::<(), _>("offer.create", "offer", Some(&offer.id), None, Some(&offer))?;
        cx.emit(DomainEvent::OfferChanged {
            change: Change::Created,
            offer: data(&offer)?,
        })?;
        Ok(offer)
    })
    .await
}

pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<Offer, ApiError> {
    principal.require(Scope::OffersRead)?;
    let (ws, id) = (principal.workspace_id.clone(), id.to_owned());
    state
        .db
        .run(move |conn| load(conn, &ws, &id)?.try_into())
        .await
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    page: PageRequest,
) -> Result<Page<Offer>, ApiError> {
    principal.require(Scope::OffersRead)?;
    let ws = principal.workspace_id.clone();
    let (after, limit) = (page.after.clone(), page.limit);
    let rows = state
        .db
        .run(move |conn| Ok(store::list_offers(conn, &ws, after.as_deref(), limit + 1)?))
        .await?;
    let rows = rows
        .into_iter()
        .map(Offer::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(rows, &page, |o| o.id.clone(), |o| o))
}

/// Change an offer with a JSON merge patch. Vouchers already issued keep their code, owner
/// and validity; redemptions from now on follow the new terms.
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: &str,
    patch: Value,
    if_match: Option<i64>,
) -> Result<Offer, ApiError> {
    principal.require(Scope::OffersWrite)?;
    versioning::require_patch_object(&patch)?;
    let id = id.to_owned();
    pipeline::run(state, principal, move |conn, cx| {
        let ws = cx.principal().workspace_id.clone();
        let stored_row = load(conn, &ws, &id)?;
        versioning::check_version("offer", if_match, stored_row.version)?;
        let before = Offer::try_from(stored_row.clone())?;
        let mut input: OfferInput =
            versioning::merge_patch("an offer", &input_of(&before), &patch)?;
        validate(&input)?;
        input.currency = input.currency.map(|c| c.to_uppercase());
        check_in_workspace(conn, &ws, &input)?;
        let row = row_of(
            input,
            OfferRow {
                version: stored_row.version + 1,
                updated_at: now(),
                ..stored_row.clone()
            },
        )?;
        versioning::write_versioned("offer", if_match, stored_row.version, |_| {
            store::update_offer(conn, &row, stored_row.version)
        })?;
        let after = Offer::try_from(row)?;
        cx.audit(
            "offer.update",
            "offer",
            Some(&after.id),
            Some(&before),
            Some(&after),
        )?;
        cx.emit(DomainEvent::OfferChanged {
            change: Change::updated(&before, &after),
            offer: data(&after)?,
        })?;
        Ok(after)
    })
    .await
}

/// Soft delete: the offer leaves reads and lists; its open vouchers can no longer be
/// redeemed (`offer_inactive`).
pub async fn delete(
    state: &AppState,
    principal: &Principal,
    id: &str,
    if_match: Option<i64>,
) -> Result<(), ApiError> {
    principal.require(Scope::OffersWrite)?;
    let id = id.to_owned();
    pipeline::run(state, principal, move |conn, cx| {
        let ws = cx.principal().workspace_id.clone();
        let stored_row = load(conn, &ws, &id)?;
        let before = Offer::try_from(stored_row.clone())?;
        let at = now();
        versioning::write_versioned("offer", if_match, stored_row.version, |version| {
            let deleted = OfferRow {
                version,
                updated_at: at,
                deleted_at: Some(at),
                ..stored_row.clone()
            };
            store::update_offer(conn, &deleted, stored_row.version)
        })?;
        cx.audit::<_, ()>("offer.delete", "offer", Some(&id), Some(&before), None)?;
        cx.emit(DomainEvent::OfferChanged {
            change: Change::Deleted,
            offer: data(&before)?,
        })?;
        Ok(())
    })
    .await
}
