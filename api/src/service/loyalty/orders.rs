//! Points from orders, inside the order's own transaction: earning, reversal on a refund,
//! and the balance the 360° profile shows.

use super::*;

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

/// Gives the fixed bonus points of a voucher redeemed by an order, inside the order's
/// write transaction: a lot of their own (`source_type` `offer`, pending and expiring like
/// the order's points), paying debt first. Idempotent on (voucher, order). `Ok(None)`: no
/// active programme.
#[allow(clippy::too_many_arguments)]
pub fn grant_offer_points(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    workspace_id: &str,
    account_id: &str,
    voucher_id: &str,
    order_id: &str,
    points: i64,
    now: NaiveDateTime,
) -> Result<Option<LedgerEntry>, ApiError> {
    let Some(program) = load_program(conn, workspace_id)? else {
        return Ok(None);
    };
    if !program.row.active || points <= 0 {
        return Ok(None);
    }
    let member = store::lock_member(conn, workspace_id, account_id, now)?;
    let source = format!("{voucher_id}:{order_id}");
    let key = format!("offer:{source}");
    if let Some(existing) = store::entry_by_key(conn, workspace_id, &key)? {
        return Ok(Some(existing.into()));
    }
    let (_, debt) = lots_and_debt(conn, &member)?;
    let lot_id = new_id();
    let opened = program
        .program
        .earned_lot(lot_id.clone(), utc(now), points, debt)
        .map_err(domain_error)?;
    store::insert_lot(
        conn,
        &LotRow {
            id: lot_id.clone(),
            workspace_id: workspace_id.to_owned(),
            account_id: account_id.to_owned(),
            source_type: "offer".into(),
            source_id: Some(source.clone()),
            earned_at: now,
            points,
            remaining: opened.lot.remaining,
            expired: 0,
            available_at: stored(opened.lot.available_at),
            expires_at: opened.lot.expires_at.map(stored),
            spend_minor: 0,
            refunded_minor: 0,
            created_at: now,
        },
    )?;
    let entry = LedgerEntry::from(write_entry(
        conn,
        NewEntry {
            workspace_id,
            account_id,
            kind: EntryKind::Earn,
            points,
            spend_minor: 0,
            lot_id: Some(lot_id),
            source_type: "offer",
            source_id: Some(source),
            key,
            reason: None,
            actor: &Actor::system(),
            occurred_at: now,
            now,
        },
    )?);
    points_event(cx, account_id, PointsMove::Earned, &entry)?;
    Ok(Some(entry))
}

/// Takes back the bonus points [`grant_offer_points`] gave for (voucher, order), when the
/// order is fully refunded: what is left of the lot, and as debt what was already spent.
/// Idempotent. `Ok(None)`: no such lot.
pub fn reverse_offer_points(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    workspace_id: &str,
    account_id: &str,
    voucher_id: &str,
    order_id: &str,
    now: NaiveDateTime,
) -> Result<Option<LedgerEntry>, ApiError> {
    let source = format!("{voucher_id}:{order_id}");
    if store::lot_by_source(conn, workspace_id, "offer", &source)?.is_none() {
        return Ok(None);
    }
    store::lock_member(conn, workspace_id, account_id, now)?;
    let key = format!("offer-reverse:{source}");
    if let Some(existing) = store::entry_by_key(conn, workspace_id, &key)? {
        return Ok(Some(existing.into()));
    }
    let lot = store::lot_by_source(conn, workspace_id, "offer", &source)?
        .ok_or_else(|| ApiError::internal("lot vanished"))?;
    let mut updated = lot.clone();
    let mut points = 0;
    if lot.points > 0 {
        let mut lots = vec![lot_of(&lot)];
        let reversal = rules::reverse(&lots, &lot.id, lot.points).map_err(domain_error)?;
        rules::apply_reversal(&mut lots, &lot.id, &reversal, 0).map_err(domain_error)?;
        updated.remaining = lots[0].remaining;
        updated.expired = lots[0].expired;
        points = reversal.ledger_points().map_err(domain_error)?;
    }
    if store::update_lot(conn, &updated, lot.remaining)? != 1 {
        return Err(ApiError::internal("a lot changed under the member lock"));
    }
    let entry = LedgerEntry::from(write_entry(
        conn,
        NewEntry {
            workspace_id,
            account_id,
            kind: EntryKind::Reverse,
            points,
            spend_minor: 0,
            lot_id: Some(lot.id.clone()),
            source_type: "offer",
            source_id: Some(source),
            key,
            reason: None,
            actor: &Actor::system(),
            occurred_at: now,
            now,
        },
    )?);
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
