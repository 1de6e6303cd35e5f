//! Vouchers redeemed through orders, inside the order write's transaction.
//!
//! An order (single or in a batch) may carry `voucher_codes`. Before anything of the order
//! is written, [`Book::lock`] locks the vouchers of the codes (`SELECT … FOR UPDATE` in code
//! order on PostgreSQL, SQLite's single writer otherwise), so concurrent orders carrying one
//! code queue on its row and the later ones see it redeemed. It then reads their offers and
//! locks (by id) only those with a total cap, a budget or a cap per customer: their counts
//! decide the redemption, so concurrent redemptions of such an offer queue on its row while
//! they decide. Offers without any (the common case) are not locked: concurrent batches
//! redeeming different vouchers of one offer proceed side by side, and their counters move
//! by relative updates at the end of the transaction ([`CounterMoves::apply`], just before
//! the pipeline's event counter), so the offer's row is held only for the commit. Such an
//! update applies only while the offer still has no cap nor budget; one added by an edit
//! meanwhile fails the write with 409 `offer_changed` (retry: the retry locks the offer).
//! Lock order of every writer: vouchers, capped offers, the orders' metrics and loyalty, the
//! uncapped offers' counters, the workspace's event counter.
//!
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
//! the order, its discount and cost (one statement for the batch on PostgreSQL), writes the
//! history and the `voucher.redeemed` events (naming the offer's campaign: the attribution);
//! [`Book::counters`] are the offers' counter moves the order write applies last.
//!
//! The discount recorded: a percent offer's `amount × p / (100 − p)` (the order's `amount`
//! is what was paid, after the discount), a fixed offer's value. Bonus points go through the
//! loyalty ledger: fixed points as their own lot (`source_type` `offer`), a multiplier by
//! earning the order's points on `amount × multiplier`.
//!
//! Refunds ([`on_refund`]): a full refund gives the redemption back — the voucher returns to
//! `issued` when it is still within its validity (`voucher.reinstated`), else it becomes
//! `expired` (`voucher.expired`); either way the offer's `redemptions` and `spent` drop by it
//! (a relative update the refund applies last, as an order write does) and fixed bonus
//! points are taken back (the multiplier's share goes with the order's own points). A
//! partial refund keeps the voucher redeemed and changes nothing of it.

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

/// What redemptions add to offers' counters, applied at the end of the writing transaction.
#[derive(Debug, Default)]
#[must_use = "the offers' counters move only when the moves are applied"]
pub struct CounterMoves {
    /// (redemptions, spent) added per offer, in id order.
    moves: BTreeMap<String, (i64, i64)>,
    /// Offers read without their lock because they had no cap nor budget: their move
    /// applies only while that still holds.
    unlocked: BTreeSet<String>,
}

impl CounterMoves {
    fn add(&mut self, offer_id: &str, redemptions: i64, spent: i64) {
        let m = self.moves.entry(offer_id.to_owned()).or_insert((0, 0));
        m.0 += redemptions;
        m.1 += spent;
    }

    /// Moves the offers' counters (relative updates, in offer id order). Call it as the
    /// order write's last statements: an offer's row is locked from here to the commit.
    pub fn apply(&self, conn: &mut DbConn, ws: &str) -> Result<(), ApiError> {
        for (id, (redemptions, spent)) in &self.moves {
            let unlocked = self.unlocked.contains(id);
            if store::move_counters(conn, ws, id, *redemptions, *spent, unlocked)? != 1 {
                return Err(if unlocked {
                    ApiError::conflict(
                        "offer_changed",
                        "an offer of these vouchers got a cap or a budget meanwhile; retry",
                    )
                } else {
                    ApiError::internal("a locked offer vanished")
                });
            }
        }
        Ok(())
    }
}

/// The vouchers an order write needs, locked, their offers (those with a cap or a budget
/// locked) and the counts it moves.
#[derive(Debug, Default)]
pub struct Book {
    offers: BTreeMap<String, OfferRow>,
    vouchers: BTreeMap<String, VoucherRow>,
    /// Redeemed vouchers per (offer, account), for offers with a cap per customer.
    redeemed: BTreeMap<(String, String), i64>,
    counters: CounterMoves,
    /// (voucher code, order id) of each redemption decided.
    redemptions: Vec<(String, String)>,
}

impl Book {
    /// Locks the vouchers of `codes` in the workspace, then the offers among theirs that
    /// have a cap or a budget (see the module comment), and reads how often their holders
    /// redeemed each offer with a cap per customer.
    pub fn lock(conn: &mut DbConn, ws: &str, codes: &[String]) -> Result<Book, ApiError> {
        let mut book = Book::default();
        // Codes that cannot be ours (kept marked by `parse_codes`) are never looked up.
        let codes: Vec<String> = codes
            .iter()
            .filter(|c| !c.starts_with('?'))
            .cloned()
            .collect();
        if codes.is_empty() {
            return Ok(book);
        }
        for v in store::vouchers_by_codes(conn, ws, &codes, true)? {
            book.vouchers.insert(v.code.clone(), v);
        }
        let offer_ids: Vec<String> = book
            .vouchers
            .values()
            .map(|v| v.offer_id.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut capped = Vec::new();
        for o in store::offers_by_ids(conn, ws, &offer_ids)? {
            if store::needs_lock(&o) {
                capped.push(o.id.clone());
            } else {
                book.counters.unlocked.insert(o.id.clone());
            }
            book.offers.insert(o.id.clone(), o);
        }
        if capped.is_empty() {
            return Ok(book);
        }
        // Read again under the lock: the counts the caps are checked against.
        for o in store::lock_offers(conn, ws, &capped)? {
            book.offers.insert(o.id.clone(), o);
        }
        let per_customer: Vec<String> = capped
            .into_iter()
            .filter(|id| {
                book.offers
                    .get(id)
                    .is_some_and(|o| o.per_customer_cap.is_some())
            })
            .collect();
        if per_customer.is_empty() {
            return Ok(book);
        }
        let accounts: Vec<String> = book
            .vouchers
            .values()
            .map(|v| v.account_id.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for (offer, account, n) in store::redeemed_counts(conn, ws, &per_customer, &accounts)? {
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
            self.offers.insert(id, o);
        }
        for c in &claims {
            if let Some(v) = self.vouchers.get(&c.code) {
                self.counters.add(&v.offer_id, 1, c.cost);
            }
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

    /// Writes what [`Book::claim`] decided, once the orders are inserted: the vouchers,
    /// their history and events. The offers' counters move with [`Book::counters`], last.
    pub fn write(
        &self,
        conn: &mut DbConn,
        cx: &mut WriteContext,
        at: NaiveDateTime,
    ) -> Result<(), ApiError> {
        let mut redeemed = Vec::with_capacity(self.redemptions.len());
        let mut history = Vec::with_capacity(self.redemptions.len());
        for (code, order_id) in &self.redemptions {
            let v = self
                .vouchers
                .get(code)
                .ok_or_else(|| ApiError::internal("a claimed voucher vanished"))?;
            history.push(step(
                v,
                Some("issued"),
                "redeemed",
                Some(order_id),
                None,
                at,
            ));
            cx.emit(voucher_event("voucher.redeemed", v)?)?;
            redeemed.push(v.clone());
        }
        if store::write_redemptions(conn, &redeemed)? != redeemed.len() {
            return Err(ApiError::internal("a voucher changed under its lock"));
        }
        store::insert_history(conn, &history)?;
        Ok(())
    }

    /// The offers' counter moves of the redemptions decided.
    pub fn counters(&self) -> &CounterMoves {
        &self.counters
    }
}

/// After a refund of `order` (its row as refunded) inside the refund's transaction: the
/// rule of the module comment. Locks the vouchers, then their offers that have a cap or a
/// budget, before the refund touches value metrics (the order every order writer keeps);
/// the offers' counters move when the refund applies the returned moves, last.
pub fn on_refund(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    ws: &str,
    order: &OrderRow,
    at: NaiveDateTime,
) -> Result<CounterMoves, ApiError> {
    let mut moves = CounterMoves::default();
    if order.status != "refunded" {
        return Ok(moves);
    }
    let codes: Vec<String> = store::vouchers_of_order(conn, ws, &order.id)?
        .into_iter()
        .filter(|v| v.state == "redeemed")
        .map(|v| v.code)
        .collect();
    if codes.is_empty() {
        return Ok(moves);
    }
    let locked = store::vouchers_by_codes(conn, ws, &codes, true)?;
    let offer_ids: Vec<String> = locked.iter().map(|v| v.offer_id.clone()).collect();
    let capped: Vec<String> = store::offers_by_ids(conn, ws, &offer_ids)?
        .into_iter()
        .filter(store::needs_lock)
        .map(|o| o.id)
        .collect();
    if !capped.is_empty() {
        store::lock_offers(conn, ws, &capped)?;
    }
    let mut history = Vec::new();
    for v in locked {
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
        moves.add(&v.offer_id, -1, -v.cost);
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
    Ok(moves)
}

/// Whether a voucher state is open.
pub fn is_open(state: &str) -> bool {
    OPEN_STATES.contains(&state)
}
