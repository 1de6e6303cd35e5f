//! Orders: purchases from shops, apps and POS systems, one at a time or in batches of up to
//! 1,000, and their refunds. Every write updates the accounts' value metrics in the same
//! transaction (new orders add to them, see [`add_to_value`]; a refund recomputes them, see
//! [`refresh_metrics`]); their `order.created` / `order.refunded` events (through the write
//! pipeline) invalidate the accounts' cached profiles after the commit.
//!
//! Rules chosen here:
//! - An order names its account by `account_id` or `account_external_id` (exactly one); the
//!   account must be live.
//! - `external_id` is unique per workspace. A single create with a known one is a 409
//!   `duplicate_order` naming the existing order; in a batch it is reported per item as
//!   `duplicate` and not applied again, so a retried batch changes nothing.
//! - A batch is one transaction: any invalid item fails the whole batch with a 422 naming
//!   each bad field as `orders[i].field`; nothing is written.
//! - `amount` and `cost` are minor units of `currency`, at least 0; `occurred_at` defaults to
//!   now and may be at most 5 minutes ahead. Orders are immutable apart from refunds.
//! - Refunds accumulate up to the amount; a refund beyond what is left is a 422, one on a
//!   fully refunded order a 409 `order_fully_refunded`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::crm::Channel;
use rapport_domain::money::Currency;
use rapport_domain::rfm;
use rapport_domain::value::{convert, day_of, day_totals, AccountTotals, DayTotals, OrderFacts};
use rapport_persistence::orders::{self as store, OrderFactsRow, OrderFilter, OrderRow, RefundRow};
use rapport_persistence::value::{self as value_store, MetricsRow, PurchaseDayRow, Scores};
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::cursor;
use crate::service::events::domain::{data, DomainEvent, Json, Segment};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::pipeline::{self, WriteContext};
use crate::service::value::{
    current_model, load_settings, metrics_row, rfm_input, scores_of, totals_of, ValueSettings,
};
use crate::service::{new_id, now, page_limit, stored, utc, Page, PageRequest};
use crate::state::AppState;

pub const MAX_BATCH: usize = 1000;
pub const MAX_ITEMS: usize = 500;
/// Largest amount accepted, in minor units: the bound every money input shares.
pub const MAX_AMOUNT: i64 = rapport_domain::money::MAX_MINOR_UNITS;
pub const FUTURE_TOLERANCE_MINUTES: i64 = 5;

// ---------------------------------------------------------------------------------------
// Shapes

/// One line of an order.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[serde(deny_unknown_fields)]
pub struct LineItem {
    #[schema(example = "SKU-1042")]
    pub sku: String,
    #[schema(example = "Trail running shoes")]
    pub name: Option<String>,
    /// At least 1.
    #[schema(example = 2)]
    pub quantity: i64,
    /// Minor units of the order's currency.
    #[schema(example = 4950)]
    #[graphql(
        skip,
        derived(name = "unit_price", into = "crate::graphql::scalars::Long", owned)
    )]
    pub unit_price: i64,
    #[schema(example = "footwear")]
    pub category: Option<String>,
}

/// A purchase.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Order {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    #[graphql(skip, derived(name = "account_id", into = "async_graphql::ID", owned))]
    pub account_id: String,
    /// Your key for the order, unique in the workspace.
    pub external_id: Option<String>,
    /// Minor units of `currency`.
    #[graphql(
        skip,
        derived(name = "amount", into = "crate::graphql::scalars::Long", owned)
    )]
    pub amount: i64,
    pub currency: String,
    /// What the order cost you, minor units of `currency` (margin = amount - cost).
    #[graphql(
        skip,
        derived(
            name = "cost",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub cost: Option<i64>,
    /// `amount` in the workspace's reporting currency, converted when ingested.
    #[graphql(
        skip,
        derived(
            name = "reporting_amount",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub reporting_amount: i64,
    /// Refunded so far, minor units of `currency`.
    #[graphql(
        skip,
        derived(
            name = "refunded_amount",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub refunded_amount: i64,
    /// `completed`, `partially_refunded` or `refunded`.
    pub status: String,
    pub occurred_at: DateTime<Utc>,
    /// `web`, `app`, `store`, `phone`, `email`, `social` or `chat`.
    pub channel: Option<String>,
    pub items: Vec<LineItem>,
    /// `api` or `deal` (a won deal).
    pub source: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new order.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    /// The account's id (or give `account_external_id`).
    pub account_id: Option<String>,
    /// The account's `external_id` (or give `account_id`).
    #[schema(example = "crm-7781")]
    pub account_external_id: Option<String>,
    /// Your key for the order, unique in the workspace (recommended: makes retries safe).
    #[schema(example = "shop-100231")]
    pub external_id: Option<String>,
    /// Required: minor units of `currency`, 0 to 10^13.
    #[schema(value_type = i64, minimum = 0, maximum = 10_000_000_000_000_i64, example = 9900)]
    pub amount: Option<i64>,
    /// Required: ISO 4217 code. Other than the reporting currency needs an exchange rate
    /// in the workspace's value settings.
    #[schema(value_type = String, min_length = 3, max_length = 3, example = "USD")]
    pub currency: Option<String>,
    /// What the order cost you, minor units of `currency`, 0 to 10^13.
    #[schema(minimum = 0, maximum = 10_000_000_000_000_i64, example = 5400)]
    pub cost: Option<i64>,
    /// Default now; at most 5 minutes in the future.
    pub occurred_at: Option<DateTime<Utc>>,
    /// `web`, `app`, `store`, `phone`, `email`, `social` or `chat`.
    #[schema(schema_with = crate::openapi::names::channel_or_null, example = "web")]
    pub channel: Option<String>,
    /// Up to 500 lines.
    #[schema(max_items = 500)]
    pub items: Option<Vec<LineItem>>,
    /// Vouchers the order redeems (up to 10 codes, case and dashes ignored): checked and
    /// redeemed in the order's transaction; a bad code rejects the order (422 with a
    /// `voucher_*` code, 409 when the offer's cap or budget is exhausted) and nothing of it
    /// is written. `amount` is what was paid, after their discounts.
    #[schema(max_items = 10, example = json!(["7K2M-QX9P-HT4W-ZC3N"]))]
    pub voucher_codes: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBatch {
    /// 1 to 1,000 orders, applied together or not at all.
    #[schema(min_items = 1, max_items = 1000)]
    pub orders: Vec<OrderInput>,
}

/// What happened to one order of a batch.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct BatchItemResult {
    /// Position in the batch.
    pub index: i64,
    /// `created`, `duplicate` (an order with this `external_id` exists: not applied again)
    /// or `rejected` (its vouchers were refused: see `error`; nothing of it was written).
    pub status: String,
    /// The order's id (the existing one for a duplicate; empty for a rejected order).
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    pub external_id: Option<String>,
    /// Why a rejected order was refused.
    pub error: Option<BatchItemError>,
}

/// Why one order of a batch was refused: what a single create would have answered.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct BatchItemError {
    /// 422 (a bad voucher) or 409 (the offer's cap or budget is exhausted).
    #[schema(example = 422)]
    pub status: i32,
    /// Stable: `voucher_unknown`, `voucher_expired`, `offer_budget_exhausted`, …
    #[schema(example = "voucher_already_redeemed")]
    pub code: String,
    pub detail: String,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct BatchResult {
    pub created: i64,
    pub duplicates: i64,
    /// Orders refused for their vouchers (nothing of them written).
    pub rejected: i64,
    pub results: Vec<BatchItemResult>,
}

/// A refund: absent `amount` refunds whatever is left.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundInput {
    /// Minor units of the order's currency, more than 0 and at most what is left.
    #[schema(example = 2500)]
    pub amount: Option<i64>,
    #[schema(example = "damaged on arrival")]
    pub reason: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderQuery {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page. Newest first.
    pub after: Option<String>,
    /// Only this account's orders.
    pub account_id: Option<String>,
    /// `completed`, `partially_refunded` or `refunded`.
    #[param(schema_with = crate::openapi::names::order_status)]
    pub status: Option<String>,
    #[param(schema_with = crate::openapi::names::channel)]
    pub channel: Option<String>,
    pub external_id: Option<String>,
    /// Only orders at or after this instant.
    pub occurred_after: Option<DateTime<Utc>>,
    /// Only orders before this instant.
    pub occurred_before: Option<DateTime<Utc>>,
}

pub use rapport_domain::value::ORDER_STATUSES as STATUSES;

// ---------------------------------------------------------------------------------------
// Validation

/// An order that passed the edge checks; the account is still to be resolved.
#[derive(Debug, Clone)]
pub struct ValidOrder {
    pub account: AccountRef,
    pub external_id: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub cost: Option<i64>,
    pub occurred_at: Option<NaiveDateTime>,
    pub channel: Option<String>,
    pub items: Vec<LineItem>,
    /// Voucher codes in stored form (see `offers::redemption::parse_codes`).
    pub voucher_codes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountRef {
    Id(String),
    External(String),
}

use crate::service::text_ok;

/// The edge checks of one order (errors named `{prefix}field`); the account is resolved
/// later, in [`ingest`].
pub fn validate(
    input: &OrderInput,
    prefix: &str,
    errors: &mut Vec<FieldError>,
) -> Option<ValidOrder> {
    let before = errors.len();
    let mut add = |field: &str, message: &str| {
        errors.push(FieldError {
            field: format!("{prefix}{field}"),
            message: message.to_owned(),
        })
    };
    let account = match (&input.account_id, &input.account_external_id) {
        (Some(id), None) if text_ok(id, 100) => Some(AccountRef::Id(id.trim().to_owned())),
        (None, Some(e)) if text_ok(e, 200) => Some(AccountRef::External(e.trim().to_owned())),
        (Some(_), Some(_)) => {
            add(
                "account_id",
                "give account_id or account_external_id, not both",
            );
            None
        }
        (None, None) => {
            add("account_id", "is required (or account_external_id)");
            None
        }
        (Some(_), None) => {
            add("account_id", "must be an account's id");
            None
        }
        (None, Some(_)) => {
            add("account_external_id", "must be 1 to 200 characters");
            None
        }
    };
    if input
        .external_id
        .as_deref()
        .is_some_and(|e| !text_ok(e, 200))
    {
        add(
            "external_id",
            "must be 1 to 200 characters without control characters",
        );
    }
    match input.amount {
        None => add("amount", "is required (minor units, e.g. cents)"),
        Some(a) if !(0..=MAX_AMOUNT).contains(&a) => {
            add("amount", "must be between 0 and 10^13 minor units")
        }
        _ => {}
    }
    if input.cost.is_some_and(|c| !(0..=MAX_AMOUNT).contains(&c)) {
        add("cost", "must be between 0 and 10^13 minor units");
    }
    let currency = input.currency.as_deref().map(|c| c.trim().to_uppercase());
    match currency.as_deref() {
        None => add("currency", "is required (ISO 4217, e.g. USD)"),
        Some(c) if Currency::parse(c).is_err() => add("currency", "must be an ISO 4217 code"),
        _ => {}
    }
    if input
        .occurred_at
        .is_some_and(|at| at > Utc::now() + chrono::Duration::minutes(FUTURE_TOLERANCE_MINUTES))
    {
        add("occurred_at", "must not be in the future");
    }
    if input
        .channel
        .as_deref()
        .is_some_and(|c| Channel::parse(c).is_none())
    {
        add("channel", &format!("must be one of {}", Channel::choices()));
    }
    let items = input.items.clone().unwrap_or_default();
    if items.len() > MAX_ITEMS {
        add("items", "at most 500 lines");
    }
    for (i, item) in items.iter().enumerate().take(MAX_ITEMS) {
        if !text_ok(&item.sku, 100) {
            add(&format!("items[{i}].sku"), "must be 1 to 100 characters");
        }
        if item.name.as_deref().is_some_and(|n| !text_ok(n, 200)) {
            add(&format!("items[{i}].name"), "must be 1 to 200 characters");
        }
        if !(1..=1_000_000).contains(&item.quantity) {
            add(
                &format!("items[{i}].quantity"),
                "must be between 1 and 1,000,000",
            );
        }
        if !(0..=MAX_AMOUNT).contains(&item.unit_price) {
            add(
                &format!("items[{i}].unit_price"),
                "must be between 0 and 10^13",
            );
        }
        if item.category.as_deref().is_some_and(|c| !text_ok(c, 100)) {
            add(
                &format!("items[{i}].category"),
                "must be 1 to 100 characters",
            );
        }
    }
    let voucher_codes = match crate::service::offers::redemption::parse_codes(
        input.voucher_codes.as_deref().unwrap_or_default(),
    ) {
        Ok(codes) => codes,
        Err(message) => {
            add("voucher_codes", &message);
            Vec::new()
        }
    };
    if errors.len() > before {
        return None;
    }
    Some(ValidOrder {
        account: account?,
        external_id: input.external_id.as_deref().map(|e| e.trim().to_owned()),
        amount: input.amount?,
        currency: currency?,
        cost: input.cost,
        occurred_at: input.occurred_at.map(stored),
        channel: input.channel.clone(),
        items,
        voucher_codes,
    })
}

// ---------------------------------------------------------------------------------------
// Rows <-> shapes

impl From<OrderRow> for Order {
    fn from(row: OrderRow) -> Self {
        Order {
            id: row.id,
            account_id: row.account_id,
            external_id: row.external_id,
            amount: row.amount,
            currency: row.currency,
            cost: row.cost,
            reporting_amount: row.reporting_amount,
            refunded_amount: row.refunded_amount,
            status: row.status,
            occurred_at: utc(row.occurred_at),
            channel: row.channel,
            items: serde_json::from_str(&row.items).unwrap_or_default(),
            source: row.source,
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

fn facts(row: &OrderFactsRow) -> OrderFacts {
    OrderFacts {
        day: row.purchase_day,
        occurred_at: row.occurred_at,
        amount: row.amount,
        refunded: row.refunded_amount,
        reporting_amount: row.reporting_amount,
        reporting_cost: row.reporting_cost,
    }
}

// ---------------------------------------------------------------------------------------
// Metrics, in the writer's transaction

// Writers take their locks in one order on PostgreSQL, so concurrent writers wait for each
// other instead of deadlocking: purchase-day rows (sorted by account and day), then metrics
// rows (sorted by account id: a batch by its additive upsert, a refund or a model refit by
// locking them before it reads), then campaign member rows (sorted by campaign and account,
// see `campaigns::attribution`), then loyalty.

fn day_row(workspace_id: &str, account_id: &str, t: DayTotals) -> PurchaseDayRow {
    PurchaseDayRow {
        workspace_id: workspace_id.to_owned(),
        account_id: account_id.to_owned(),
        day: t.day,
        orders: t.orders,
        revenue: t.revenue,
        costed_revenue: t.costed_revenue,
        cost: t.cost,
        first_at: t.first_at,
        last_at: t.last_at,
    }
}

/// Adds new orders to their accounts' purchase days, then to the accounts' metrics: additive
/// upserts (see [`value_store::add_days`] and [`value_store::add_to_metrics`]), so a batch
/// costs its own orders, never a re-read of the days' other orders or of the accounts' other
/// days. Concurrent batches on one account wait for each other only from the metrics upsert
/// to the commit. RFM scores follow with the current breakpoints, written where they change.
fn add_to_value(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    workspace_id: &str,
    rows: &[OrderRow],
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let mut by_day: BTreeMap<(&str, i32), Vec<OrderFacts>> = BTreeMap::new();
    for row in rows {
        by_day
            .entry((row.account_id.as_str(), row.purchase_day))
            .or_default()
            .push(facts(&row.facts()));
    }
    // By (account, day): the order in which concurrent writers lock day rows.
    let mut by_account: BTreeMap<&str, Vec<DayTotals>> = BTreeMap::new();
    for ((account, day), orders) in &by_day {
        if let Some(t) = day_totals(*day, orders) {
            by_account.entry(account).or_default().push(t);
        }
    }
    let days: Vec<PurchaseDayRow> = by_account
        .iter()
        .flat_map(|(account, days)| days.iter().map(|t| day_row(workspace_id, account, *t)))
        .collect();
    // A day the account did not have before holds just what this batch added.
    let added: HashMap<(&str, i32), i32> = days
        .iter()
        .map(|d| ((d.account_id.as_str(), d.day), d.orders))
        .collect();
    let mut new_days: HashMap<String, i64> = HashMap::new();
    for d in value_store::add_days(conn, &days)? {
        if added.get(&(d.account_id.as_str(), d.day)) == Some(&d.orders) {
            *new_days.entry(d.account_id).or_default() += 1;
        }
    }
    // Each account's metrics of this batch alone, with the repeat purchases its new days
    // make (the contract of `add_to_metrics`); in account order, the metrics lock order.
    let additions: Vec<MetricsRow> = by_account
        .iter()
        .map(|(account, days)| {
            let mut totals = AccountTotals::from_days(days);
            totals.repeat_purchases = new_days.get(*account).copied().unwrap_or(0) - 1;
            metrics_row(workspace_id, account, &totals, None, at)
        })
        .collect();
    let after = value_store::add_to_metrics(conn, &additions)?;
    let breakpoints = current_model(conn, workspace_id)?.and_then(|m| m.rfm);
    let today = day_of(at);
    let rescored: Vec<Scores> = after
        .iter()
        .filter_map(|m| {
            let score = breakpoints
                .as_ref()
                .filter(|_| m.orders_count > 0)
                .map(|b| rfm::score(b, &rfm_input(&totals_of(Some(m)), today)));
            let scores = scores_of(&m.account_id, score);
            let stored = (m.rfm_r, m.rfm_f, m.rfm_m, m.rfm_segment.as_deref());
            (stored != (scores.r, scores.f, scores.m, scores.segment.as_deref())).then_some(scores)
        })
        .collect();
    value_store::set_scores(conn, workspace_id, &rescored)?;
    let bands = crate::service::value::store_predictions_and_bands(conn, workspace_id, &after, at)?;
    emit_band_changes(cx, bands)?;
    for scores in &rescored {
        let before = after
            .iter()
            .find(|m| m.account_id == scores.account_id)
            .and_then(|m| m.rfm_segment.clone());
        if before != scores.segment {
            cx.emit(DomainEvent::SegmentChanged {
                account_id: scores.account_id.clone(),
                segment: Segment::Rfm,
                from: before,
                to: scores.segment.clone(),
            })?;
        }
    }
    Ok(())
}

/// `customer.risk_band_changed` for each account an order or a refund moved to another band.
fn emit_band_changes(
    cx: &mut WriteContext,
    bands: Vec<crate::service::value::BandChange>,
) -> Result<(), ApiError> {
    for b in bands {
        cx.emit(DomainEvent::SegmentChanged {
            account_id: b.account_id,
            segment: Segment::RiskBand,
            from: b.from.map(str::to_owned),
            to: b.to.map(str::to_owned),
        })?;
    }
    Ok(())
}

/// Recomputes the purchase days `touched` (account, day) from their orders, after a change
/// to orders already counted (a refund), then the metrics of their accounts.
pub fn refresh_metrics(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    workspace_id: &str,
    touched: &BTreeSet<(String, i32)>,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    for (account, day) in touched {
        value_store::lock_day(conn, workspace_id, account, *day)?;
        let orders: Vec<OrderFacts> = store::facts_of_day(conn, workspace_id, account, *day)?
            .iter()
            .map(facts)
            .collect();
        match day_totals(*day, &orders) {
            Some(t) => value_store::upsert_days(conn, &[day_row(workspace_id, account, t)])?,
            None => {
                value_store::delete_day(conn, workspace_id, account, *day)?;
            }
        }
    }
    let accounts: BTreeSet<&str> = touched.iter().map(|(a, _)| a.as_str()).collect();
    refresh_account_metrics(conn, cx, workspace_id, &accounts, at)
}

/// Recomputes the metrics of `accounts` from all their purchase days, scoring RFM with the
/// current breakpoints, after a change to orders already counted. Cost: the purchase days of
/// these accounts — never the order history.
fn refresh_account_metrics(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    workspace_id: &str,
    accounts: &BTreeSet<&str>,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    if accounts.is_empty() {
        return Ok(());
    }
    let account_list: Vec<&str> = accounts.iter().copied().collect();
    value_store::lock_metrics_of(conn, workspace_id, &account_list)?;
    let mut days_by_account: BTreeMap<String, Vec<DayTotals>> = BTreeMap::new();
    for d in value_store::days_of(conn, workspace_id, &account_list)? {
        days_by_account
            .entry(d.account_id.clone())
            .or_default()
            .push(DayTotals {
                day: d.day,
                orders: d.orders,
                revenue: d.revenue,
                costed_revenue: d.costed_revenue,
                cost: d.cost,
                first_at: d.first_at,
                last_at: d.last_at,
            });
    }
    let breakpoints = current_model(conn, workspace_id)?.and_then(|m| m.rfm);
    let today = day_of(at);
    let rows: Vec<MetricsRow> = account_list
        .iter()
        .map(|account| {
            let totals = AccountTotals::from_days(
                days_by_account
                    .get(*account)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]),
            );
            let score = breakpoints
                .as_ref()
                .filter(|_| totals.orders_count > 0)
                .map(|b| rfm::score(b, &rfm_input(&totals, today)));
            metrics_row(workspace_id, account, &totals, score, at)
        })
        .collect();
    value_store::upsert_metrics(conn, &rows)?;
    let bands = crate::service::value::store_predictions_and_bands(conn, workspace_id, &rows, at)?;
    emit_band_changes(cx, bands)
}

// ---------------------------------------------------------------------------------------
// Ingestion, shared by single creates, batches and won deals

/// What ingesting one order did.
#[derive(Debug, Clone)]
pub enum Ingested {
    Created(Box<OrderRow>),
    Duplicate {
        id: String,
        external_id: String,
    },
    /// Its vouchers were refused: nothing of it was written.
    Rejected {
        external_id: Option<String>,
        rejection: crate::service::offers::redemption::Rejection,
    },
}

/// Resolves accounts, converts currencies, skips known `external_id`s, inserts the new
/// orders and refreshes the metrics of their accounts — inside the caller's transaction.
/// Any unknown account or missing exchange rate fails the whole call with errors named
/// `{prefix(i)}field`.
pub fn ingest(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    orders: Vec<ValidOrder>,
    source: &str,
    prefix: impl Fn(usize) -> String,
) -> Result<Vec<Ingested>, ApiError> {
    let at = now();
    let workspace = cx.principal().workspace_id.clone();
    let workspace_id = workspace.as_str();
    let settings: ValueSettings = load_settings(conn, workspace_id)?;
    // Accounts, by id and by external id.
    let ids: Vec<&str> = orders
        .iter()
        .filter_map(|o| match &o.account {
            AccountRef::Id(id) => Some(id.as_str()),
            AccountRef::External(_) => None,
        })
        .collect();
    let externals: Vec<&str> = orders
        .iter()
        .filter_map(|o| match &o.account {
            AccountRef::External(e) => Some(e.as_str()),
            AccountRef::Id(_) => None,
        })
        .collect();
    let mut resolved: HashMap<AccountRef, String> = HashMap::new();
    for (id, external) in store::live_accounts(conn, workspace_id, &ids, &externals)? {
        if let Some(e) = external {
            resolved.insert(AccountRef::External(e), id.clone());
        }
        resolved.insert(AccountRef::Id(id.clone()), id);
    }
    // The vouchers (and their offers with a cap or a budget), locked before the known
    // external ids are read: a retry that waited for the first attempt's locks sees its
    // order as a duplicate.
    let codes: Vec<String> = orders
        .iter()
        .flat_map(|o| o.voucher_codes.iter().cloned())
        .collect();
    let mut book = crate::service::offers::redemption::Book::lock(conn, workspace_id, &codes)?;
    let mut bonuses: HashMap<String, Vec<crate::service::offers::redemption::Claim>> =
        HashMap::new();
    // Known external ids.
    let wanted: Vec<&str> = orders
        .iter()
        .filter_map(|o| o.external_id.as_deref())
        .collect();
    let mut known: HashMap<String, String> =
        store::existing_external_ids(conn, workspace_id, &wanted)?
            .into_iter()
            .collect();

    let mut errors = Vec::new();
    let mut results = Vec::with_capacity(orders.len());
    let mut rows = Vec::new();
    for (i, o) in orders.into_iter().enumerate() {
        let Some(account_id) = resolved.get(&o.account).cloned() else {
            let field = match o.account {
                AccountRef::Id(_) => "account_id",
                AccountRef::External(_) => "account_external_id",
            };
            errors.push(FieldError {
                field: format!("{}{field}", prefix(i)),
                message: "no live account with this id in the workspace".into(),
            });
            continue;
        };
        if let Some(existing) = o.external_id.as_ref().and_then(|e| known.get(e)) {
            results.push(Ingested::Duplicate {
                id: existing.clone(),
                external_id: o.external_id.clone().unwrap_or_default(),
            });
            continue;
        }
        let Some(rate) = settings.rate(&o.currency) else {
            errors.push(FieldError {
                field: format!("{}currency", prefix(i)),
                message: format!(
                    "no exchange rate from {} to the reporting currency {}; add one to the value settings",
                    o.currency, settings.reporting_currency
                ),
            });
            continue;
        };
        let convert_to = |v: i64| convert(v, &o.currency, &settings.reporting_currency, rate);
        let (Ok(reporting_amount), Ok(reporting_cost)) =
            (convert_to(o.amount), o.cost.map(convert_to).transpose())
        else {
            errors.push(FieldError {
                field: format!("{}amount", prefix(i)),
                message: "too large once converted to the reporting currency".into(),
            });
            continue;
        };
        let occurred_at = o.occurred_at.unwrap_or(at);
        let order_id = new_id();
        if !o.voucher_codes.is_empty() {
            let to_reporting = |v: i64| convert_to(v).ok();
            match book.claim(
                &order_id,
                &account_id,
                o.amount,
                &o.currency,
                to_reporting,
                &o.voucher_codes,
                at,
            ) {
                Ok(claims) => {
                    bonuses.insert(order_id.clone(), claims);
                }
                Err(rejection) => {
                    results.push(Ingested::Rejected {
                        external_id: o.external_id.clone(),
                        rejection,
                    });
                    continue;
                }
            }
        }
        let row = OrderRow {
            id: order_id,
            workspace_id: workspace_id.to_owned(),
            account_id: account_id.clone(),
            external_id: o.external_id.clone(),
            amount: o.amount,
            currency: o.currency,
            cost: o.cost,
            reporting_amount,
            reporting_cost,
            refunded_amount: 0,
            status: "completed".into(),
            occurred_at,
            purchase_day: day_of(occurred_at),
            channel: o.channel,
            items: serde_json::to_string(&o.items).map_err(ApiError::internal)?,
            source: source.to_owned(),
            version: 1,
            created_at: at,
            updated_at: at,
        };
        if let Some(e) = &o.external_id {
            known.insert(e.clone(), row.id.clone());
        }
        results.push(Ingested::Created(Box::new(row.clone())));
        rows.push(row);
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    store::insert_many(conn, &rows).map_err(|e| match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => ApiError::conflict(
            "order_in_flight",
            "another request is recording an order with the same external_id; retry to see it as a duplicate",
        ),
        other => other.into(),
    })?;
    book.write(conn, cx, at)?;
    // The orders' events, before the metrics upsert below locks the accounts' rows: what is
    // done after it holds those locks until the commit, and concurrent batches on the same
    // accounts wait for them.
    for row in &rows {
        cx.emit(DomainEvent::OrderRecorded {
            account_id: row.account_id.clone(),
            order: Json::of(&Order::from(row.clone()))?,
        })?;
    }
    add_to_value(conn, cx, workspace_id, &rows, at)?;
    // The 90-day outcomes of the accounts' NPS responses before the orders (issue 23), after
    // the metrics (their locks first, as every order writer takes them).
    rapport_persistence::feedback::on_orders(conn, workspace_id, &rows)?;
    // Campaign members' running sums, after the metrics (the lock order every order writer
    // keeps: purchase days, metrics, campaign members, loyalty).
    crate::service::campaigns::attribution::on_orders(conn, workspace_id, &rows)?;
    // Loyalty points on the spend in the reporting currency (none without a programme in it).
    let earning =
        crate::service::loyalty::earns_in(conn, workspace_id, &settings.reporting_currency)?;
    for row in &rows {
        let claims = bonuses.get(&row.id).map(Vec::as_slice).unwrap_or_default();
        // A points multiplier of a voucher: the order earns on its amount times it.
        let multiplier = claims
            .iter()
            .filter_map(|c| c.multiplier)
            .fold(1.0, f64::max);
        if earning {
            let eligible = if multiplier > 1.0 {
                let scaled = (row.reporting_amount as f64 * multiplier).round();
                if !(0.0..=MAX_AMOUNT as f64 * 10.0).contains(&scaled) {
                    return Err(ApiError::internal("points multiplier out of range"));
                }
                scaled as i64
            } else {
                row.reporting_amount
            };
            let entry = crate::service::loyalty::earn_for_order(
                conn,
                cx,
                workspace_id,
                &row.account_id,
                &row.id,
                eligible,
                &settings.reporting_currency,
                row.occurred_at,
                at,
            )?;
            if let (Some(entry), Some(claim)) = (
                entry,
                claims.iter().find(|c| c.multiplier == Some(multiplier)),
            ) {
                let base = (entry.points as f64 / multiplier).round() as i64;
                rapport_persistence::offers::set_bonus(
                    conn,
                    workspace_id,
                    &claim.voucher_id,
                    entry.points - base,
                )?;
            }
        }
        for claim in claims {
            if let Some(points) = claim.points {
                let given = crate::service::loyalty::grant_offer_points(
                    conn,
                    cx,
                    workspace_id,
                    &row.account_id,
                    &claim.voucher_id,
                    &row.id,
                    points,
                    at,
                )?;
                if given.is_none() {
                    rapport_persistence::offers::set_bonus(
                        conn,
                        workspace_id,
                        &claim.voucher_id,
                        0,
                    )?;
                }
            }
        }
    }
    // The offers' counters last (see `offers::redemption`): an offer without a cap is
    // locked only from here to the commit, so concurrent batches redeeming its vouchers
    // overlap.
    book.counters().apply(conn, workspace_id)?;
    Ok(results)
}

// ---------------------------------------------------------------------------------------
// Use cases

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: OrderInput,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<Order>, ApiError> {
    principal.require(Scope::OrdersWrite)?;
    let mut errors = Vec::new();
    let valid = validate(&input, "", &mut errors);
    let Some(valid) = valid.filter(|_| errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    pipeline::write(state, principal, idem, 201, move |conn, cx| {
        let mut results = ingest(conn, cx, vec![valid], "api", |_| String::new())?;
        match results.pop() {
            Some(Ingested::Created(row)) => {
                let order = Order::from(*row);
                cx.audit::<(), _>("order.create", "order", Some(&order.id), None, Some(&order))?;
                Ok(order)
            }
            Some(Ingested::Duplicate { id, .. }) => Err(ApiError::conflict(
                "duplicate_order",
                format!("an order with this external_id exists: {id}"),
            )),
            Some(Ingested::Rejected { rejection, .. }) => Err(rejection.into_error()),
            None => Err(ApiError::internal("ingest returned nothing")),
        }
    })
    .await
}

pub async fn create_batch(
    state: &AppState,
    principal: &Principal,
    batch: OrderBatch,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<BatchResult>, ApiError> {
    principal.require(Scope::OrdersWrite)?;
    if batch.orders.is_empty() || batch.orders.len() > MAX_BATCH {
        return Err(ApiError::field("orders", "must hold 1 to 1,000 orders"));
    }
    let mut errors = Vec::new();
    let valid: Vec<Option<ValidOrder>> = batch
        .orders
        .iter()
        .enumerate()
        .map(|(i, o)| validate(o, &format!("orders[{i}]."), &mut errors))
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let valid: Vec<ValidOrder> = valid.into_iter().flatten().collect();
    pipeline::write(state, principal, idem, 200, move |conn, cx| {
        record_batch(conn, cx, valid, "api", |i| format!("orders[{i}]."))
    })
    .await
}

/// Ingests valid orders in the caller's transaction with the batch's one audit entry: the
/// batch endpoint's and import jobs' one path.
pub fn record_batch(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    valid: Vec<ValidOrder>,
    source: &str,
    prefix: impl Fn(usize) -> String,
) -> Result<BatchResult, ApiError> {
    {
        let results = ingest(conn, cx, valid, source, prefix)?;
        let result = batch_result(&results);
        // One entry for the batch (each order has its `order.created` event): what the
        // batch created, by id.
        let created: Vec<&str> = result
            .results
            .iter()
            .filter(|r| r.status == "created")
            .map(|r| r.id.as_str())
            .collect();
        cx.audit::<(), _>(
            "order.batch",
            "order",
            None,
            None,
            Some(&serde_json::json!({
                "created": result.created,
                "duplicates": result.duplicates,
                "rejected": result.rejected,
                "order_ids": created,
            })),
        )?;
        Ok(result)
    }
}

fn batch_result(results: &[Ingested]) -> BatchResult {
    let mut out = BatchResult {
        created: 0,
        duplicates: 0,
        rejected: 0,
        results: Vec::with_capacity(results.len()),
    };
    for (i, r) in results.iter().enumerate() {
        let index = i64::try_from(i).unwrap_or(i64::MAX);
        let (status, id, external_id, error) = match r {
            Ingested::Created(row) => {
                out.created += 1;
                ("created", row.id.clone(), row.external_id.clone(), None)
            }
            Ingested::Duplicate { id, external_id } => {
                out.duplicates += 1;
                ("duplicate", id.clone(), Some(external_id.clone()), None)
            }
            Ingested::Rejected {
                external_id,
                rejection,
            } => {
                out.rejected += 1;
                let error = BatchItemError {
                    status: i32::from(rejection.status.as_u16()),
                    code: rejection.code.to_owned(),
                    detail: rejection.detail.clone(),
                };
                ("rejected", String::new(), external_id.clone(), Some(error))
            }
        };
        out.results.push(BatchItemResult {
            index,
            status: status.into(),
            id,
            external_id,
            error,
        });
    }
    out
}

pub async fn refund(
    state: &AppState,
    principal: &Principal,
    order_id: &str,
    input: RefundInput,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<Order>, ApiError> {
    principal.require(Scope::OrdersWrite)?;
    if input.amount.is_some_and(|a| a <= 0 || a > MAX_AMOUNT) {
        return Err(ApiError::field(
            "amount",
            "must be more than 0 and at most 10^13 minor units",
        ));
    }
    if input.reason.as_deref().is_some_and(|r| !text_ok(r, 500)) {
        return Err(ApiError::field("reason", "must be 1 to 500 characters"));
    }
    let id = order_id.to_owned();
    pipeline::write(state, principal, idem, 200, move |conn, cx| {
        refund_in_tx(conn, cx, &id, &input).map(|(order, _)| order)
    })
    .await
}

/// Refunds an order inside the caller's write transaction (a refund request, or a
/// complaint's compensation): the order's refunded amount, the account's metrics, the
/// points it earned, its audit entry and `order.refunded`. Returns the order after it and
/// the refund's id.
pub fn refund_in_tx(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    id: &str,
    input: &RefundInput,
) -> Result<(Order, String), ApiError> {
    let p = cx.principal().clone();
    let at = now();
    let before = store::find(conn, &p.workspace_id, id)?
        .ok_or_else(|| ApiError::not_found("no order with that id"))?;
    let left = before.amount - before.refunded_amount;
    if left <= 0 {
        return Err(ApiError::conflict(
            "order_fully_refunded",
            "this order is already fully refunded",
        ));
    }
    let amount = input.amount.unwrap_or(left);
    if amount > left {
        return Err(ApiError::field(
            "amount",
            format!("at most {left} is left to refund on this order"),
        ));
    }
    let mut row = before.clone();
    row.refunded_amount += amount;
    row.status = if row.refunded_amount >= row.amount {
        "refunded".into()
    } else {
        "partially_refunded".into()
    };
    row.version += 1;
    row.updated_at = at;
    if store::update_refunded(conn, &row, before.version)? == 0 {
        return Err(ApiError::conflict(
            "order_changed",
            "the order changed meanwhile; retry",
        ));
    }
    let refund = RefundRow {
        id: new_id(),
        workspace_id: p.workspace_id.clone(),
        order_id: row.id.clone(),
        amount,
        reason: input.reason.clone(),
        actor_type: p.actor_type().to_owned(),
        actor_id: p.actor_id().map(str::to_owned),
        created_at: at,
    };
    store::insert_refund(conn, &refund)?;
    // A full refund gives its vouchers' redemptions back (the vouchers and their capped
    // offers are locked before the metrics: the order every order writer keeps).
    let offer_counters =
        crate::service::offers::redemption::on_refund(conn, cx, &p.workspace_id, &row, at)?;
    // Metrics before loyalty: the lock order every order writer keeps.
    let touched = BTreeSet::from([(row.account_id.clone(), row.purchase_day)]);
    refresh_metrics(conn, cx, &p.workspace_id, &touched, at)?;
    rapport_persistence::feedback::on_refund(conn, &p.workspace_id, &before, &row)?;
    crate::service::campaigns::attribution::on_refund(conn, &p.workspace_id, &before, &row)?;
    // The refunded share of the points the order earned (debt if already spent).
    crate::service::loyalty::reverse_for_order_refund(
        conn,
        cx,
        &p.workspace_id,
        &row.account_id,
        &row.id,
        &refund.id,
        amount,
        row.amount,
        at,
    )?;
    // The vouchers' offers' counters last, as an order write moves them.
    offer_counters.apply(conn, &p.workspace_id)?;
    let refund_id = refund.id.clone();
    let order = Order::from(row);
    cx.audit(
        "order.refund",
        "order",
        Some(&order.id),
        Some(&Order::from(before)),
        Some(&order),
    )?;
    cx.emit(DomainEvent::OrderRefunded {
        account_id: order.account_id.clone(),
        order: data(&order)?,
        refunded_amount: amount,
    })?;
    Ok((order, refund_id))
}

pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<Order, ApiError> {
    principal.require(Scope::OrdersRead)?;
    let ws = principal.workspace_id.clone();
    let id = id.to_owned();
    state
        .db
        .run(move |conn| {
            store::find(conn, &ws, &id)?
                .map(Order::from)
                .ok_or_else(|| ApiError::not_found("no order with that id"))
        })
        .await
}

fn cursor_of(row: &OrderRow) -> String {
    cursor::encode_instant("occurred_at", utc(row.occurred_at), &row.id)
}

/// Orders newest first (`occurred_at`, then id), filtered, in keyset pages.
pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: OrderQuery,
) -> Result<Page<Order>, ApiError> {
    principal.require(Scope::OrdersRead)?;
    let limit = page_limit(query.limit)?;
    let p = principal.clone();
    state
        .db
        .run(move |conn| list_in(conn, &p, query, limit))
        .await
}

/// A page of `limit` orders read inside a connection closure: the list's filters and
/// cursor (exports page through it in their snapshot).
pub fn list_in(
    conn: &mut DbConn,
    principal: &Principal,
    query: OrderQuery,
    limit: i64,
) -> Result<Page<Order>, ApiError> {
    principal.require(Scope::OrdersRead)?;
    let after = query
        .after
        .as_deref()
        .map(|a| cursor::decode_instant(a, "occurred_at"))
        .transpose()?;
    if query
        .status
        .as_deref()
        .is_some_and(|s| !STATUSES.contains(&s))
    {
        return Err(ApiError::field(
            "status",
            "must be completed, partially_refunded or refunded",
        ));
    }
    let filter = OrderFilter {
        account_id: query.account_id,
        status: query.status,
        channel: query.channel,
        occurred_after: query.occurred_after.map(stored),
        occurred_before: query.occurred_before.map(stored),
        external_id: query.external_id,
    };
    let rows = store::list(conn, &principal.workspace_id, &filter, after, limit + 1)?;
    let request = PageRequest { limit, after: None };
    Ok(Page::from_rows(rows, &request, cursor_of, Order::from))
}

/// An account's orders (404 when the account is not live).
pub async fn list_for_account(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    mut query: OrderQuery,
) -> Result<Page<Order>, ApiError> {
    principal.require(Scope::OrdersRead)?;
    let ws = principal.workspace_id.clone();
    let id = account_id.to_owned();
    state
        .db
        .run(move |conn| {
            rapport_persistence::accounts::find(conn, &ws, &id)?
                .map(|_| ())
                .ok_or_else(|| ApiError::not_found("no account with that id"))
        })
        .await?;
    query.account_id = Some(account_id.to_owned());
    list(state, principal, query).await
}

/// Validates and records orders from another use case (a won deal) inside its transaction.
pub fn record_in_tx(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    input: &OrderInput,
    source: &str,
) -> Result<Ingested, ApiError> {
    let mut errors = Vec::new();
    let Some(valid) = validate(input, "", &mut errors).filter(|_| errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    ingest(conn, cx, vec![valid], source, |_| String::new())?
        .pop()
        .ok_or_else(|| ApiError::internal("ingest returned nothing"))
}
