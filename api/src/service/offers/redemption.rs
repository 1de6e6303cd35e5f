//! Vouchers redeemed through orders, inside the order write's transaction.
//!
//! An order (single or in a batch) may carry `voucher_codes`. Before anything of the order
//! is written, [`Book::lock`] locks the offers of the codes (by id) and then the vouchers
//! (by code) — `SELECT … FOR UPDATE` on PostgreSQL, SQLite's single writer otherwise — so
//! concurrent orders carrying one code queue on its row and the later ones see it redeemed.
//! [`Book::claim`] then decides each order's codes in memory: all of them pass or the order
//! is rejected with a stable code and nothing written for it:
//!
//! - 422 `voucher_unknown` (no such code in the workspace: other workspaces' codes too),
//!   `voucher_not_for_account`, `voucher_already_redeemed`, `voucher_expired`,
//!   `voucher_cancelled`, `voucher_duplicate` (the same code twice in one order),
//!   `offer_inactive` (paused or deleted), `offer_not_started`, `voucher_currency_mismatch`
//!   (a fixed discount in another currency than the order's);
//! - 409 `offer_redemption_cap_reached` (`total_cap`), `offer_customer_cap_reached`
//!   (`per_customer_cap`), `offer_budget_exhausted` (the redemption's cost would take
//!   `spent` past `budget`).
//!
//! A retried order or batch (a known `external_id`) is a duplicate before its codes are
//! looked at, so nothing is redeemed twice. [`Book::write`] marks the vouchers redeemed with
//! the order, its discount and cost, moves the offers' counters, writes the history and the
//! `voucher.redeemed` events (naming the offer's campaign: the attribution).
//!
//! The discount recorded: a percent offer's `amount × p / (100 − p)` (the order's `amount`
//! is what was paid, after the discount), a fixed offer's value. Bonus points go through the
//! loyalty ledger: fixed points as their own lot (`source_type` `offer`), a multiplier by
//! earning the order's points on `amount × multiplier`.
//!
//! Refunds ([`on_refund`]): a full refund gives the redemption back — the voucher returns to
//! `issued` when it is still within its validity (`voucher.reinstated`), else it becomes
//! `expired` (`voucher.expired`); either way the offer's `redemptions` and `spent` drop by it
//! and fixed bonus points are taken back (the multiplier's share goes with the order's own
//! points). A partial refund keeps the voucher redeemed and changes nothing of it.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::http::StatusCode;
use chrono::NaiveDateTime;
use rapport_domain::offers::{parse_code, percent_discount};
use rapport_persistence::offers::{self as store, OfferRow, VoucherRow, OPEN_STATES};
use rapport_persistence::orders::OrderRow;
use rapport_persistence::DbConn;

use super::vouchers::{offer_problem, step, voucher_event};
use crate::error::ApiError;
use crate::service::pipeline::WriteContext;

/// Codes one order may carry.
pub const MAX_CODES: usize = 10;

/// Why an order's vouchers were refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
}

impl Rejection {
    fn invalid(code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code,
            detail: detail.into(),
        }
    }

    fn exhausted(code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status: StatusCode::CONFLICT,
            code,
            detail: detail.into(),
        }
    }

    /// The error a single order create answers with.
    pub fn into_error(self) -> ApiError {
        if self.status == StatusCode::CONFLICT {
            ApiError::conflict(self.code, self.detail)
        } else {
            ApiError::field("voucher_codes", self.detail).with_code(self.code)
        }
    }
}

/// One voucher an order redeems.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub code: String,
    pub voucher_id: String,
    pub discount: i64,
    pub discount_currency: Option<String>,
    pub cost: i64,
    /// Fixed bonus points.
    pub points: Option<i64>,
    /// A multiplier on the order's earning.
    pub multiplier: Option<f64>,
}

/// The codes as typed, in stored form, or the field's validation message.
pub fn parse_codes(codes: &[String]) -> Result<Vec<String>, String> {
    if codes.len() > MAX_CODES {
        return Err(format!("at most {MAX_CODES} codes"));
    }
    if codes
        .iter()
        .any(|c| c.chars().count() > 100 || c.contains(char::is_control))
    {
        return Err("each code at most 100 characters, no control characters".into());
    }
    // A code that cannot be ours is unknown: decided in the transaction like the others,
    // so a batch reports it per item. Kept as typed (upper case) so it matches nothing.
    Ok(codes
        .iter()
        .map(|c| parse_code(c).unwrap_or_else(|| format!("?{}", c.trim())))
        .collect())
}

/// The offers and vouchers an order write needs, locked, and the counts it moves.
#[derive(Debug, Default)]
pub struct Book {
    offers: BTreeMap<String, OfferRow>,
    vouchers: BTreeMap<String, VoucherRow>,
    /// Redeemed vouchers per (offer, account).
    redeemed: BTreeMap<(String, String), i64>,
    touched: BTreeSet<String>,
    /// (voucher code, order id) of each redemption decided.
    redemptions: Vec<(String, String)>,
}

impl Book {
    /// Locks the offers, then the vouchers, of `codes` in the workspace (see the module
    /// comment) and reads how often their holders redeemed each offer.
    pub fn lock(conn: &mut DbConn, ws: &str, codes: &[String]) -> Result<Book, ApiError> {
        let mut book = Book::default();
        if codes.is_empty() {
            return Ok(book);
        }
        // Codes that cannot be ours (kept marked by `parse_codes`) are never looked up.
        let codes: Vec<String> = codes
            .iter()
            .filter(|c| !c.starts_with('?'))
            .cloned()
            .collect();
        let codes = codes.as_slice();
        if codes.is_empty() {
            return Ok(book);
        }
        let first = store::vouchers_by_codes(conn, ws, codes, false)?;
        let offer_ids: Vec<String> = first.iter().map(|v| v.offer_id.clone()).collect();
        for o in store::lock_offers(conn, ws, &offer_ids)? {
            book.offers.insert(o.id.clone(), o);
        }
        for v in store::vouchers_by_codes(conn, ws, codes, true)? {
            book.vouchers.insert(v.code.clone(), v);
        }
        let accounts: Vec<String> = book
            .vouchers
            .values()
            .map(|v| v.account_id.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let offer_ids: Vec<String> = book.offers.keys().cloned().collect();
        for (offer, account, n) in store::redeemed_counts(conn, ws, &offer_ids, &accounts)? {
            book.redeemed.insert((offer, account), n);
        }
        Ok(book)
    }

    /// Decides one order's codes (see the module comment): every claim, or the rejection.
    /// Nothing changes in the book for a rejected order.
    #[allow(clippy::too_many_arguments)]
    pub fn claim(
        &mut self,
        order_id: &str,
        account_id: &str,
        amount: i64,
        currency: &str,
        to_reporting: impl Fn(i64) -> Option<i64>,
        codes: &[String],
        at: NaiveDateTime,
    ) -> Result<Vec<Claim>, Rejection> {
        let mut offers: BTreeMap<String, OfferRow> = BTreeMap::new();
        let mut redeemed: BTreeMap<(String, String), i64> = BTreeMap::new();
        let mut claims = Vec::new();
        let mut seen = BTreeSet::new();
        for code in codes {
            if !seen.insert(code.clone()) {
                return Err(Rejection::invalid(
                    "voucher_duplicate",
                    "the same voucher code is given twice",
                ));
            }
            let Some(v) = self.vouchers.get(code) else {
                return Err(Rejection::invalid(
                    "voucher_unknown",
                    "no voucher with this code in the workspace",
                ));
            };
            if v.account_id != account_id {
                return Err(Rejection::invalid(
                    "voucher_not_for_account",
                    "the voucher was issued to another account",
                ));
            }
            match v.state.as_str() {
                "redeemed" => {
                    return Err(Rejection::invalid(
                        "voucher_already_redeemed",
                        "the voucher was already redeemed",
                    ))
                }
                "cancelled" => {
                    return Err(Rejection::invalid(
                        "voucher_cancelled",
                        "the voucher was cancelled",
                    ))
                }
                "expired" => {
                    return Err(Rejection::invalid("voucher_expired", "the voucher expired"))
                }
                _ => {}
            }
            if v.valid_until.is_some_and(|u| u <= at) {
                return Err(Rejection::invalid("voucher_expired", "the voucher expired"));
            }
            let offer = match offers.get(&v.offer_id) {
                Some(o) => o.clone(),
                None => self
                    .offers
                    .get(&v.offer_id)
                    .cloned()
                    .ok_or_else(|| Rejection::invalid("voucher_unknown", "no such offer"))?,
            };
            if let Some(problem) = offer_problem(&offer, at) {
                return Err(Rejection::invalid(
                    problem,
                    "the offer cannot be redeemed now",
                ));
            }
            let (discount, discount_currency) = match offer.kind.as_str() {
                "percent_discount" => (
                    offer
                        .percent
                        .and_then(|p| percent_discount(amount, p))
                        .unwrap_or(0),
                    Some(currency.to_owned()),
                ),
                "fixed_discount" => {
                    if offer.currency.as_deref() != Some(currency) {
                        return Err(Rejection::invalid(
                            "voucher_currency_mismatch",
                            format!(
                                "the voucher's discount is in {}, the order in {currency}",
                                offer.currency.as_deref().unwrap_or("?")
                            ),
                        ));
                    }
                    (offer.amount.unwrap_or(0), Some(currency.to_owned()))
                }
                _ => (0, None),
            };
            let cost = to_reporting(discount)
                .and_then(|d| d.checked_add(offer.cost_per_redemption))
                .ok_or_else(|| Rejection::invalid("voucher_unknown", "discount out of range"))?;
            if offer.total_cap.is_some_and(|c| offer.redemptions >= c) {
                return Err(Rejection::exhausted(
                    "offer_redemption_cap_reached",
                    "the offer reached its total number of redemptions",
                ));
            }
            let key = (offer.id.clone(), account_id.to_owned());
            let mine = redeemed
                .get(&key)
                .or_else(|| self.redeemed.get(&key))
                .copied()
                .unwrap_or(0);
            if offer.per_customer_cap.is_some_and(|c| mine >= c) {
                return Err(Rejection::exhausted(
                    "offer_customer_cap_reached",
                    "the customer reached the offer's redemptions per customer",
                ));
            }
            let spent = offer.spent.saturating_add(cost);
            if offer.budget.is_some_and(|b| spent > b) {
                return Err(Rejection::exhausted(
                    "offer_budget_exhausted",
                    "the offer's budget does not cover this redemption",
                ));
            }
            let updated = OfferRow {
                redemptions: offer.redemptions + 1,
                spent,
                ..offer.clone()
            };
            redeemed.insert(key, mine + 1);
            claims.push(Claim {
                code: code.clone(),
                voucher_id: v.id.clone(),
                discount,
                discount_currency,
                cost,
                points: offer.points.filter(|_| offer.kind == "bonus_points"),
                multiplier: offer
                    .points_multiplier
                    .filter(|_| offer.kind == "bonus_points"),
            });
            offers.insert(offer.id.clone(), updated);
        }
        // All passed: the order's claims take effect in the book.
        for (id, o) in offers {
            self.touched.insert(id.clone());
            self.offers.insert(id, o);
        }
        self.redeemed.extend(redeemed);
        for c in &claims {
            if let Some(v) = self.vouchers.get_mut(&c.code) {
                v.state = "redeemed".into();
                v.order_id = Some(order_id.to_owned());
                v.discount = c.discount;
                v.discount_currency = c.discount_currency.clone();
                v.cost = c.cost;
                v.bonus_points = c.points.unwrap_or(0);
                v.redeemed_at = Some(at);
                v.version += 1;
                v.updated_at = at;
            }
            self.redemptions.push((c.code.clone(), order_id.to_owned()));
        }
        Ok(claims)
    }

    /// Writes what [`Book::claim`] decided, once the orders are inserted.
    pub fn write(
        &self,
        conn: &mut DbConn,
        cx: &mut WriteContext,
        ws: &str,
        at: NaiveDateTime,
    ) -> Result<(), ApiError> {
        let mut history = Vec::new();
        for (code, order_id) in &self.redemptions {
            let v = self
                .vouchers
                .get(code)
                .ok_or_else(|| ApiError::internal("a claimed voucher vanished"))?;
            if store::update_voucher(conn, v, v.version - 1)? != 1 {
                return Err(ApiError::internal("a voucher changed under its lock"));
            }
            history.push(step(
                v,
                Some("issued"),
                "redeemed",
                Some(order_id),
                None,
                at,
            ));
            cx.emit(voucher_event("voucher.redeemed", v)?)?;
        }
        store::insert_history(conn, &history)?;
        for id in &self.touched {
            if let Some(o) = self.offers.get(id) {
                store::set_counters(conn, ws, id, o.issued, o.redemptions, o.spent)?;
            }
        }
        Ok(())
    }
}

/// After a refund of `order` (its row as refunded) inside the refund's transaction: the
/// rule of the module comment. Takes the offers' and vouchers' locks before the refund
/// touches value metrics, the order every writer keeps.
pub fn on_refund(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    ws: &str,
    order: &OrderRow,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    if order.status != "refunded" {
        return Ok(());
    }
    let redeemed: Vec<VoucherRow> = store::vouchers_of_order(conn, ws, &order.id)?
        .into_iter()
        .filter(|v| v.state == "redeemed")
        .collect();
    if redeemed.is_empty() {
        return Ok(());
    }
    let offer_ids: Vec<String> = redeemed.iter().map(|v| v.offer_id.clone()).collect();
    let mut offers: BTreeMap<String, OfferRow> = store::lock_offers(conn, ws, &offer_ids)?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
    let codes: Vec<String> = redeemed.iter().map(|v| v.code.clone()).collect();
    let mut history = Vec::new();
    for v in store::vouchers_by_codes(conn, ws, &codes, true)? {
        if v.state != "redeemed" || v.order_id.as_deref() != Some(order.id.as_str()) {
            continue;
        }
        let within = v.valid_until.is_none_or(|u| u > at);
        let to = if within { "issued" } else { "expired" };
        let after = VoucherRow {
            state: to.into(),
            order_id: None,
            discount: 0,
            discount_currency: None,
            cost: 0,
            bonus_points: 0,
            redeemed_at: None,
            version: v.version + 1,
            updated_at: at,
            ..v.clone()
        };
        if store::update_voucher(conn, &after, v.version)? != 1 {
            return Err(ApiError::internal("a voucher changed under its lock"));
        }
        if let Some(o) = offers.get_mut(&v.offer_id) {
            o.redemptions = (o.redemptions - 1).max(0);
            o.spent = (o.spent - v.cost).max(0);
        }
        if v.bonus_points > 0 {
            crate::service::loyalty::reverse_offer_points(
                conn,
                cx,
                ws,
                &v.account_id,
                &v.id,
                &order.id,
                at,
            )?;
        }
        history.push(step(
            &after,
            Some("redeemed"),
            to,
            Some(&order.id),
            Some("order refunded"),
            at,
        ));
        let event = if within {
            "voucher.reinstated"
        } else {
            "voucher.expired"
        };
        cx.emit(voucher_event(event, &after)?)?;
    }
    store::insert_history(conn, &history)?;
    for o in offers.values() {
        store::set_counters(conn, ws, &o.id, o.issued, o.redemptions, o.spent)?;
    }
    Ok(())
}

/// Whether a voucher state is open.
pub fn is_open(state: &str) -> bool {
    OPEN_STATES.contains(&state)
}
