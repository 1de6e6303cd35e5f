//! Personal offers: vouchers issued to one account or to a segment's members (in batches of
//! [`ISSUE_BATCH`], one transaction each), listed per account, checked by code at a till,
//! marked viewed, cancelled. Each voucher has a unique code of 80 random bits from the
//! operating system's CSPRNG (16 symbols of a 32-letter alphabet without look-alikes, shown
//! as `XXXX-XXXX-XXXX-XXXX`), a state and its history.
//!
//! Issue rules: the offer must be live, active and not ended; an account must meet the
//! offer's eligibility and must not already hold an open (issued or viewed) voucher of the
//! offer — so re-issuing to a segment only reaches its new members. A voucher is valid until
//! the earlier of the offer's end and `voucher_valid_days` after issue.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDateTime, Utc};
use rand::TryRngCore;
use rapport_domain::access::Scope;
use rapport_domain::offers::{code_from_bytes, display_code, parse_code, CODE_LEN};
use rapport_persistence::offers::{self as store, HistoryRow, OfferRow, VoucherRow, OPEN_STATES};
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{load, Offer};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::events::domain::{DomainEvent, Json};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::pipeline::{self, WriteContext};
use crate::service::{new_id, now, page_limit, utc, Page, PageRequest};
use crate::state::AppState;

/// Accounts per issue transaction when issuing to a segment.
pub const ISSUE_BATCH: usize = 500;
/// Vouchers listed in an issue's answer.
pub const ISSUE_LISTED: usize = 100;
/// Open vouchers shown in the profile.
pub const PROFILE_OFFERS: i64 = 20;

/// A voucher: one offer issued to one account.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Voucher {
    pub id: String,
    /// The code to type or scan, `XXXX-XXXX-XXXX-XXXX` (case and dashes do not matter).
    #[schema(example = "7K2M-QX9P-HT4W-ZC3N")]
    pub code: String,
    pub offer_id: String,
    pub account_id: String,
    /// `issued`, `viewed`, `redeemed`, `expired` or `cancelled`.
    #[schema(example = "issued")]
    pub state: String,
    pub valid_until: Option<DateTime<Utc>>,
    /// The offer's campaign when issued: the redeeming order is attributed to it.
    pub campaign_id: Option<String>,
    /// The order that redeemed it.
    pub order_id: Option<String>,
    /// The discount recorded on that order, minor units of `discount_currency`.
    #[graphql(
        skip,
        derived(name = "discount", into = "crate::graphql::scalars::Long", owned)
    )]
    pub discount: i64,
    pub discount_currency: Option<String>,
    /// The redemption's cost (discount + the offer's cost per redemption), minor units of
    /// the reporting currency.
    #[graphql(
        skip,
        derived(name = "cost", into = "crate::graphql::scalars::Long", owned)
    )]
    pub cost: i64,
    /// Bonus points the redemption gave.
    #[graphql(
        skip,
        derived(name = "bonus_points", into = "crate::graphql::scalars::Long", owned)
    )]
    pub bonus_points: i64,
    pub issued_at: DateTime<Utc>,
    pub redeemed_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

impl From<VoucherRow> for Voucher {
    fn from(row: VoucherRow) -> Self {
        Voucher {
            id: row.id,
            code: display_code(&row.code),
            offer_id: row.offer_id,
            account_id: row.account_id,
            state: row.state,
            valid_until: row.valid_until.map(utc),
            campaign_id: row.campaign_id,
            order_id: row.order_id,
            discount: row.discount,
            discount_currency: row.discount_currency,
            cost: row.cost,
            bonus_points: row.bonus_points,
            issued_at: utc(row.issued_at),
            redeemed_at: row.redeemed_at.map(utc),
            version: row.version,
            updated_at: utc(row.updated_at),
        }
    }
}

/// One step of a voucher's history.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct VoucherStep {
    /// Null for the issue.
    pub from_state: Option<String>,
    pub to_state: String,
    pub order_id: Option<String>,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

impl From<HistoryRow> for VoucherStep {
    fn from(row: HistoryRow) -> Self {
        VoucherStep {
            from_state: row.from_state,
            to_state: row.to_state,
            order_id: row.order_id,
            reason: row.reason,
            at: utc(row.at),
        }
    }
}

/// A personal offer: a voucher and the offer it carries.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct PersonalOffer {
    pub voucher: Voucher,
    pub offer: Offer,
}

/// A voucher checked at a till: whether an order may redeem it now, and why not.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct VoucherCheck {
    pub voucher: Voucher,
    pub offer: Offer,
    pub redeemable: bool,
    /// Why not (the code an order carrying it would get): `voucher_already_redeemed`,
    /// `voucher_expired`, `voucher_cancelled`, `offer_inactive`, `offer_not_started`,
    /// `offer_redemption_cap_reached`, `offer_budget_exhausted`.
    pub problem: Option<String>,
    pub history: Vec<VoucherStep>,
}

/// Whom to issue an offer to: one account or a segment's members.
#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::InputObject,
)]
#[graphql(name = "IssueOfferInput")]
#[serde(deny_unknown_fields)]
pub struct IssueInput {
    /// One account (or give `segment_id`).
    #[serde(default)]
    pub account_id: Option<String>,
    /// Every member of this segment (by rules), in batches.
    #[serde(default)]
    pub segment_id: Option<String>,
}

/// What an issue did.
#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct IssueResult {
    pub issued: i64,
    /// Accounts left out: they already hold an open voucher of the offer.
    pub already_holding: i64,
    /// Accounts left out: they do not meet the offer's eligibility.
    pub ineligible: i64,
    /// The vouchers issued (the first 100).
    pub vouchers: Vec<Voucher>,
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountOffersQuery {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
    /// `open` (default: issued or viewed and still valid) or `all`.
    pub state: Option<String>,
}

/// A fresh voucher code from the operating system's CSPRNG.
pub fn new_code() -> Result<String, ApiError> {
    let mut bytes = [0u8; CODE_LEN];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(ApiError::internal)?;
    Ok(code_from_bytes(&bytes))
}

/// A history row.
pub fn step(
    voucher: &VoucherRow,
    from: Option<&str>,
    to: &str,
    order_id: Option<&str>,
    reason: Option<&str>,
    at: NaiveDateTime,
) -> HistoryRow {
    HistoryRow {
        id: new_id(),
        voucher_id: voucher.id.clone(),
        workspace_id: voucher.workspace_id.clone(),
        from_state: from.map(str::to_owned),
        to_state: to.to_owned(),
        order_id: order_id.map(str::to_owned),
        reason: reason.map(str::to_owned),
        at,
    }
}

/// The event of a voucher's move.
pub fn voucher_event(event_type: &'static str, row: &VoucherRow) -> Result<DomainEvent, ApiError> {
    Ok(DomainEvent::VoucherChanged {
        account_id: row.account_id.clone(),
        event_type,
        voucher: Json::of(&Voucher::from(row.clone()))?,
    })
}

/// Why an offer cannot be redeemed (or issued) now, if it cannot.
pub fn offer_problem(offer: &OfferRow, at: NaiveDateTime) -> Option<&'static str> {
    if offer.deleted_at.is_some() || offer.status != "active" {
        Some("offer_inactive")
    } else if offer.valid_from.is_some_and(|f| f > at) {
        Some("offer_not_started")
    } else if offer.valid_until.is_some_and(|u| u <= at) {
        Some("voucher_expired")
    } else {
        None
    }
}

/// The accounts among `accounts` that do not meet the offer's eligibility, with the reason
/// (`not_in_segment`, `tier_not_eligible`, `clv_below_minimum`, `risk_band_not_eligible`,
/// `no_channel_consent`). Unknown accounts are left to the caller.
pub fn ineligible(
    conn: &mut DbConn,
    ws: &str,
    offer: &Offer,
    accounts: &[String],
) -> Result<BTreeMap<String, &'static str>, ApiError> {
    let e = &offer.eligibility;
    let mut out = BTreeMap::new();
    if let Some(segment) = &e.segment_id {
        let filter = crate::service::rule_segments::compiled::filter_of(conn, ws, segment)?;
        let members: BTreeSet<String> =
            rapport_persistence::segments::matching_ids(conn, ws, &filter, Some(accounts))?
                .into_iter()
                .collect();
        for a in accounts.iter().filter(|a| !members.contains(*a)) {
            out.insert(a.clone(), "not_in_segment");
        }
    }
    let needs_value = e.min_clv.is_some() || !e.risk_bands.is_empty();
    let (settings, model) = if needs_value {
        (
            Some(crate::service::value::load_settings(conn, ws)?),
            crate::service::value::current_model(conn, ws)?,
        )
    } else {
        (None, None)
    };
    let at = now();
    for a in accounts {
        if out.contains_key(a) {
            continue;
        }
        if let Some(settings) = &settings {
            let row = rapport_persistence::value::find_metrics(conn, ws, a)?;
            let m = crate::service::value::metrics_of(row.as_ref(), model.as_ref(), settings, at);
            if e.min_clv.is_some_and(|min| m.clv.unwrap_or(0) < min) {
                out.insert(a.clone(), "clv_below_minimum");
                continue;
            }
            if !e.risk_bands.is_empty()
                && !m
                    .risk_band
                    .as_ref()
                    .is_some_and(|b| e.risk_bands.contains(b))
            {
                out.insert(a.clone(), "risk_band_not_eligible");
                continue;
            }
        }
        if !e.tiers.is_empty() {
            let tier = crate::service::loyalty::balance(conn, ws, a, at)?
                .and_then(|b| b.tier)
                .map(|t| t.name);
            if !tier.is_some_and(|t| e.tiers.contains(&t)) {
                out.insert(a.clone(), "tier_not_eligible");
                continue;
            }
        }
        if let Some(channel) = &e.channel_consent {
            let granted = match rapport_persistence::accounts::find(conn, ws, a)? {
                Some(row) => {
                    let account = crate::service::accounts::Account::try_from(row)?;
                    let c = &account.marketing_consent;
                    let state = match channel.as_str() {
                        "email" => c.email.as_ref(),
                        "sms" => c.sms.as_ref(),
                        _ => c.push.as_ref(),
                    };
                    state.is_some_and(|s| s.status == "granted")
                }
                None => false,
            };
            if !granted {
                out.insert(a.clone(), "no_channel_consent");
            }
        }
    }
    Ok(out)
}

/// Issues the offer to `accounts` (live accounts of the workspace) inside the caller's
/// transaction: the offer row locked, eligibility and open vouchers checked, the vouchers,
/// their history and `voucher.issued` events written, the offer's `issued` counter moved.
/// Issues the offer to `accounts` inside the caller's transaction (also a complaint's
/// compensation): eligibility, caps and counters as `POST /v1/offers/{id}/issue`.
pub(crate) fn issue_to(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    offer_id: &str,
    accounts: &[String],
    result: &mut IssueResult,
) -> Result<(), ApiError> {
    let ws = cx.principal().workspace_id.clone();
    let at = now();
    let locked = store::lock_offers(conn, &ws, &[offer_id.to_owned()])?;
    let offer_row = locked
        .into_iter()
        .find(|o| o.deleted_at.is_none())
        .ok_or_else(|| ApiError::not_found(format!("no offer {offer_id}")))?;
    if let Some(problem) = offer_problem(&offer_row, at) {
        let code = if problem == "voucher_expired" {
            "offer_ended"
        } else {
            problem
        };
        return Err(ApiError::conflict(code, "the offer cannot be issued now"));
    }
    let offer = Offer::try_from(offer_row.clone())?;
    let holding: BTreeSet<String> = store::open_holders(conn, &ws, offer_id, accounts)?
        .into_iter()
        .collect();
    let left_out = ineligible(conn, &ws, &offer, accounts)?;
    let until_days = offer_row
        .voucher_valid_days
        .map(|d| at + chrono::Duration::days(i64::from(d)));
    let valid_until = match (until_days, offer_row.valid_until) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let mut rows = Vec::new();
    for account in accounts {
        if holding.contains(account) {
            result.already_holding += 1;
            continue;
        }
        if left_out.contains_key(account) {
            result.ineligible += 1;
            continue;
        }
        rows.push(VoucherRow {
            id: new_id(),
            workspace_id: ws.clone(),
            offer_id: offer_id.to_owned(),
            account_id: account.clone(),
            code: new_code()?,
            state: "issued".into(),
            valid_until,
            campaign_id: offer_row.campaign_id.clone(),
            order_id: None,
            discount: 0,
            discount_currency: None,
            cost: 0,
            bonus_points: 0,
            issued_at: at,
            redeemed_at: None,
            expiring_announced_at: None,
            version: 1,
            updated_at: at,
        });
    }
    if rows.is_empty() {
        return Ok(());
    }
    store::insert_vouchers(conn, &rows)?;
    let history: Vec<HistoryRow> = rows
        .iter()
        .map(|r| step(r, None, "issued", None, None, at))
        .collect();
    store::insert_history(conn, &history)?;
    let n = i64::try_from(rows.len()).map_err(ApiError::internal)?;
    store::set_counters(
        conn,
        &ws,
        offer_id,
        offer_row.issued + n,
        offer_row.redemptions,
        offer_row.spent,
    )?;
    for row in &rows {
        cx.emit(voucher_event("voucher.issued", row)?)?;
    }
    result.issued += n;
    for row in rows {
        if result.vouchers.len() < ISSUE_LISTED {
            result.vouchers.push(Voucher::from(row));
        }
    }
    Ok(())
}

/// `POST /v1/offers/{id}/issue`.
pub async fn issue(
    state: &AppState,
    principal: &Principal,
    offer_id: &str,
    input: IssueInput,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<IssueResult>, ApiError> {
    principal.require(Scope::OffersWrite)?;
    let offer_id = offer_id.to_owned();
    let is_id = |v: &Option<String>| {
        v.as_deref()
            .is_none_or(|s| uuid::Uuid::parse_str(s).is_ok())
    };
    if !is_id(&input.account_id) {
        return Err(ApiError::field(
            "account_id",
            "no live account with this id",
        ));
    }
    if !is_id(&input.segment_id) {
        return Err(ApiError::field("segment_id", "no segment with this id"));
    }
    match (input.account_id, input.segment_id) {
        (Some(account), None) => {
            pipeline::write(state, principal, idem, 201, move |conn, cx| {
                let ws = cx.principal().workspace_id.clone();
                load(conn, &ws, &offer_id)?;
                if rapport_persistence::accounts::find(conn, &ws, &account)?.is_none() {
                    return Err(ApiError::field(
                        "account_id",
                        "no live account with this id",
                    ));
                }
                let mut result = IssueResult::default();
                issue_to(
                    conn,
                    cx,
                    &offer_id,
                    std::slice::from_ref(&account),
                    &mut result,
                )?;
                if result.already_holding > 0 {
                    return Err(ApiError::conflict(
                        "voucher_already_held",
                        "the account already holds an open voucher of this offer",
                    ));
                }
                if result.ineligible > 0 {
                    let offer = Offer::try_from(load(conn, &ws, &offer_id)?)?;
                    let why = ineligible(conn, &ws, &offer, std::slice::from_ref(&account))?
                        .into_values()
                        .next()
                        .unwrap_or("not_eligible");
                    return Err(ApiError::field(
                        "account_id",
                        format!("the account does not meet the offer's eligibility ({why})"),
                    )
                    .with_code("offer_not_eligible"));
                }
                cx.audit::<(), _>("offer.issue", "offer", Some(&offer_id), None, Some(&result))?;
                Ok(result)
            })
            .await
        }
        (None, Some(segment)) => {
            let (ws, oid, sid) = (principal.workspace_id.clone(), offer_id.clone(), segment);
            let members = state
                .db
                .run(move |conn| {
                    load(conn, &ws, &oid)?;
                    let filter = match rapport_persistence::segments::find(conn, &ws, &sid)? {
                        Some(_) => {
                            crate::service::rule_segments::compiled::filter_of(conn, &ws, &sid)?
                        }
                        None => {
                            return Err(ApiError::field("segment_id", "no segment with this id"))
                        }
                    };
                    let mut ids =
                        rapport_persistence::segments::matching_ids(conn, &ws, &filter, None)?;
                    ids.sort();
                    Ok(ids)
                })
                .await?;
            let mut total = IssueResult::default();
            for chunk in members.chunks(ISSUE_BATCH) {
                let (chunk, oid) = (chunk.to_vec(), offer_id.clone());
                let part = pipeline::run(state, principal, move |conn, cx| {
                    let mut part = IssueResult::default();
                    issue_to(conn, cx, &oid, &chunk, &mut part)?;
                    Ok(part)
                })
                .await?;
                total.issued += part.issued;
                total.already_holding += part.already_holding;
                total.ineligible += part.ineligible;
                for v in part.vouchers {
                    if total.vouchers.len() < ISSUE_LISTED {
                        total.vouchers.push(v);
                    }
                }
            }
            // A segment's worth of new vouchers: the planner's statistics of the tables it
            // filled are refreshed when the tables have outgrown them (never analyzed, or
            // analyzed much smaller), so the order batches that redeem these codes are
            // planned on the tables' real size. The vouchers are issued already: a failure
            // here is logged, not answered.
            let added = total.issued;
            if added > 0 {
                if let Err(err) = state
                    .db
                    .run(move |conn| {
                        for table in ["vouchers", "voucher_history"] {
                            rapport_persistence::imports::analyze_if_outgrown(conn, table, added)?;
                        }
                        Ok(())
                    })
                    .await
                {
                    tracing::warn!(error = %err, "voucher statistics not refreshed");
                }
            }
            // The answer (and the audit row) in one last write: a retry with the same key
            // issues nothing new (holders are skipped) and replays this answer.
            pipeline::write(state, principal, idem, 201, move |_, cx| {
                cx.audit::<(), _>("offer.issue", "offer", Some(&offer_id), None, Some(&total))?;
                Ok(total)
            })
            .await
        }
        _ => Err(ApiError::field(
            "account_id",
            "give account_id or segment_id (one of them)",
        )),
    }
}

/// `GET /v1/accounts/{id}/offers`: the account's personal offers.
pub async fn for_account(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    query: AccountOffersQuery,
) -> Result<Page<PersonalOffer>, ApiError> {
    principal.require(Scope::OffersRead)?;
    let limit = page_limit(query.limit)?;
    let open = match query.state.as_deref() {
        None | Some("open") => true,
        Some("all") => false,
        Some(_) => return Err(ApiError::field("state", "open or all")),
    };
    if query
        .after
        .as_deref()
        .is_some_and(|a| uuid::Uuid::parse_str(a).is_err())
    {
        return Err(ApiError::field("after", "not a cursor this API returned"));
    }
    let (ws, id, after) = (
        principal.workspace_id.clone(),
        account_id.to_owned(),
        query.after,
    );
    let rows = state
        .db
        .run(move |conn| {
            if rapport_persistence::accounts::find(conn, &ws, &id)?.is_none() {
                return Err(ApiError::not_found("no account with that id"));
            }
            let open_at = open.then(now);
            personal_offers(conn, &ws, &id, open_at, after.as_deref(), limit + 1)
        })
        .await?;
    let request = PageRequest { limit, after: None };
    Ok(Page::from_rows(
        rows,
        &request,
        |p| p.voucher.id.clone(),
        |p| p,
    ))
}

/// An account's vouchers with their offers (open ones at `open_at` when given).
pub fn personal_offers(
    conn: &mut DbConn,
    ws: &str,
    account_id: &str,
    open_at: Option<NaiveDateTime>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<PersonalOffer>, ApiError> {
    let vouchers = store::vouchers_of_account(conn, ws, account_id, open_at, after, limit)?;
    let ids: Vec<String> = vouchers.iter().map(|v| v.offer_id.clone()).collect();
    let mut offers: BTreeMap<String, Offer> = BTreeMap::new();
    for id in ids {
        if offers.contains_key(&id) {
            continue;
        }
        if let Some(row) = store::offers_by_ids(conn, ws, std::slice::from_ref(&id))?
            .into_iter()
            .next()
        {
            offers.insert(id, Offer::try_from(row)?);
        }
    }
    Ok(vouchers
        .into_iter()
        .filter_map(|v| {
            let offer = offers.get(&v.offer_id)?.clone();
            // Open offers only while the offer itself is live and active.
            if open_at.is_some() && offer.status != "active" {
                return None;
            }
            Some(PersonalOffer {
                voucher: Voucher::from(v),
                offer,
            })
        })
        .collect())
}

fn parse(code: &str) -> Result<String, ApiError> {
    parse_code(code).ok_or_else(|| ApiError::not_found("no voucher with this code"))
}

/// `GET /v1/vouchers/{code}`: a voucher checked at a till.
pub async fn check(
    state: &AppState,
    principal: &Principal,
    code: &str,
) -> Result<VoucherCheck, ApiError> {
    principal.require(Scope::OffersRead)?;
    let (ws, code) = (principal.workspace_id.clone(), parse(code)?);
    state
        .db
        .run(move |conn| {
            let v = store::voucher_by_code(conn, &ws, &code)?
                .ok_or_else(|| ApiError::not_found("no voucher with this code"))?;
            let offer_row = store::offers_by_ids(conn, &ws, std::slice::from_ref(&v.offer_id))?
                .into_iter()
                .next()
                .ok_or_else(|| ApiError::internal("a voucher without its offer"))?;
            let at = now();
            let problem = match v.state.as_str() {
                "redeemed" => Some("voucher_already_redeemed"),
                "cancelled" => Some("voucher_cancelled"),
                "expired" => Some("voucher_expired"),
                _ if v.valid_until.is_some_and(|u| u <= at) => Some("voucher_expired"),
                _ => offer_problem(&offer_row, at).or_else(|| {
                    if offer_row
                        .total_cap
                        .is_some_and(|c| offer_row.redemptions >= c)
                    {
                        Some("offer_redemption_cap_reached")
                    } else if offer_row.budget.is_some_and(|b| offer_row.spent >= b) {
                        Some("offer_budget_exhausted")
                    } else {
                        None
                    }
                }),
            };
            let history = store::history_of(conn, &v.id)?
                .into_iter()
                .map(VoucherStep::from)
                .collect();
            Ok(VoucherCheck {
                voucher: Voucher::from(v),
                offer: Offer::try_from(offer_row)?,
                redeemable: problem.is_none(),
                problem: problem.map(str::to_owned),
                history,
            })
        })
        .await
}

/// Moves an open voucher to `to` (`viewed` from `issued` only; `cancelled` from either
/// open state): 409 `voucher_not_open` otherwise.
async fn close(
    state: &AppState,
    principal: &Principal,
    code: &str,
    to: &'static str,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<Voucher>, ApiError> {
    principal.require(if to == "viewed" {
        Scope::OffersRead
    } else {
        Scope::OffersWrite
    })?;
    let code = parse(code)?;
    pipeline::write(state, principal, idem, 200, move |conn, cx| {
        let ws = cx.principal().workspace_id.clone();
        let v = store::voucher_by_code(conn, &ws, &code)?
            .ok_or_else(|| ApiError::not_found("no voucher with this code"))?;
        let at = now();
        let allowed = if to == "viewed" {
            v.state == "issued"
        } else {
            OPEN_STATES.contains(&v.state.as_str())
        };
        if to == "viewed" && v.state == "viewed" {
            return Ok(Voucher::from(v));
        }
        if !allowed || store::close_open(conn, &ws, &v.id, to, at)? == 0 {
            return Err(ApiError::conflict(
                "voucher_not_open",
                format!("the voucher is {}", v.state),
            ));
        }
        let after = VoucherRow {
            state: to.into(),
            version: v.version + 1,
            updated_at: at,
            ..v.clone()
        };
        store::insert_history(conn, &[step(&after, Some(&v.state), to, None, None, at)])?;
        let event = if to == "viewed" {
            "voucher.viewed"
        } else {
            "voucher.cancelled"
        };
        cx.audit(
            &format!("voucher.{}", if to == "viewed" { "view" } else { "cancel" }),
            "voucher",
            Some(&v.id),
            Some(&Voucher::from(v.clone())),
            Some(&Voucher::from(after.clone())),
        )?;
        cx.emit(voucher_event(event, &after)?)?;
        Ok(Voucher::from(after))
    })
    .await
}

/// `POST /v1/vouchers/{code}/cancel`.
pub async fn cancel(
    state: &AppState,
    principal: &Principal,
    code: &str,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<Voucher>, ApiError> {
    close(state, principal, code, "cancelled", idem).await
}

/// `POST /v1/vouchers/{code}/view`: the customer saw it (issued → viewed; again: no change).
pub async fn view(
    state: &AppState,
    principal: &Principal,
    code: &str,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<Voucher>, ApiError> {
    close(state, principal, code, "viewed", idem).await
}
