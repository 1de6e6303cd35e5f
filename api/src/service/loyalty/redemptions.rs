//! After a redemption: a reward handed over (`fulfil`) or a redemption cancelled, which gives
//! the points back (a `return` ledger entry and a new lot) and the reward's stock, once.
//!
//! Rules: only an `issued` reward redemption can be fulfilled; `issued` and `completed`
//! (plain points) redemptions can be cancelled, a `fulfilled` one cannot (the reward was
//! handed over: correct the balance with an adjustment). Repeating a fulfilment or a
//! cancellation answers the redemption as it is and changes nothing. Both run under the
//! member's lock, like every points write, and move the status with a conditional update,
//! so concurrent calls settle a redemption once.

use super::*;

/// Marks an issued reward redemption as handed over.
pub async fn fulfil_redemption(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    redemption_id: &str,
) -> Result<Redemption, ApiError> {
    principal.require(Scope::LoyaltyWrite)?;
    let (account, id) = (account_id.to_owned(), redemption_id.to_owned());
    pipeline::run(state, principal, move |conn, cx| {
        fulfil_at(conn, cx, &account, &id, now())
    })
    .await
}

/// Cancels a redemption: its points come back, and one unit of the reward's stock.
pub async fn cancel_redemption(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    redemption_id: &str,
    input: CancelRedemptionInput,
) -> Result<Redemption, ApiError> {
    principal.require(Scope::LoyaltyWrite)?;
    let reason = clean_text("reason", input.reason.as_deref(), false)?;
    let (account, id) = (account_id.to_owned(), redemption_id.to_owned());
    pipeline::run(state, principal, move |conn, cx| {
        cancel_at(conn, cx, &account, &id, reason, now())
    })
    .await
}

/// The redemption under its member's lock (404 when the account or the redemption is not
/// the workspace's).
fn locked(
    conn: &mut DbConn,
    ws: &str,
    account_id: &str,
    redemption_id: &str,
    at: NaiveDateTime,
) -> Result<(MemberRow, RedemptionRow), ApiError> {
    check_account(conn, ws, account_id)?;
    let member = store::lock_member(conn, ws, account_id, at)?;
    let row = store::find_redemption(conn, ws, account_id, redemption_id)?
        .ok_or_else(|| ApiError::not_found("no redemption with that id"))?;
    Ok((member, row))
}

fn settled(
    conn: &mut DbConn,
    ws: &str,
    account_id: &str,
    redemption_id: &str,
) -> Result<Redemption, ApiError> {
    store::find_redemption(conn, ws, account_id, redemption_id)?
        .map(stored_redemption)
        .ok_or_else(|| ApiError::internal("a settled redemption vanished"))
}

pub fn fulfil_at(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    account_id: &str,
    redemption_id: &str,
    at: NaiveDateTime,
) -> Result<Redemption, ApiError> {
    let ws = cx.principal().workspace_id.clone();
    let (_, row) = locked(conn, &ws, account_id, redemption_id, at)?;
    match row.status.as_str() {
        "issued" => {}
        "fulfilled" => return Ok(stored_redemption(row)),
        "cancelled" => {
            return Err(ApiError::conflict(
                "redemption_cancelled",
                "this redemption was cancelled",
            ))
        }
        _ => {
            return Err(ApiError::conflict(
                "not_a_reward_redemption",
                "only a reward redemption has something to hand over",
            ))
        }
    }
    if store::settle_redemption(conn, &ws, redemption_id, "issued", "fulfilled", at, None)? != 1 {
        return Err(ApiError::conflict(
            "redemption_changed",
            "the redemption changed meanwhile; retry",
        ));
    }
    let before = stored_redemption(row);
    let after = settled(conn, &ws, account_id, redemption_id)?;
    cx.audit(
        "loyalty.redemption_fulfil",
        "redemption",
        Some(&after.id),
        Some(&before),
        Some(&after),
    )?;
    cx.emit(DomainEvent::RedemptionSettled {
        account_id: account_id.to_owned(),
        outcome: "fulfilled",
        redemption: data(&after)?,
    })?;
    Ok(after)
}

pub fn cancel_at(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    account_id: &str,
    redemption_id: &str,
    reason: Option<String>,
    at: NaiveDateTime,
) -> Result<Redemption, ApiError> {
    let principal = cx.principal().clone();
    let ws = principal.workspace_id.clone();
    let (member, row) = locked(conn, &ws, account_id, redemption_id, at)?;
    let from = match row.status.as_str() {
        "issued" => "issued",
        "completed" => "completed",
        "cancelled" => return Ok(stored_redemption(row)),
        _ => {
            return Err(ApiError::conflict(
                "redemption_fulfilled",
                "this reward was handed over; correct the balance with an adjustment",
            ))
        }
    };
    if store::settle_redemption(
        conn,
        &ws,
        redemption_id,
        from,
        "cancelled",
        at,
        reason.as_deref(),
    )? != 1
    {
        return Err(ApiError::conflict(
            "redemption_changed",
            "the redemption changed meanwhile; retry",
        ));
    }
    if let Some(reward_id) = &row.reward_id {
        store::return_stock(conn, &ws, reward_id, at)?;
    }
    // The points come back in a new lot (paying debt first), recorded by a `return` entry
    // whose key names the redemption: written at most once.
    let program = load_program(conn, &ws)?.ok_or_else(|| {
        ApiError::conflict(
            "no_loyalty_program",
            "the loyalty programme is gone; points cannot be given back",
        )
    })?;
    let (_, debt) = lots_and_debt(conn, &member)?;
    let lot_id = new_id();
    let opened = program
        .program
        .returned_lot(lot_id.clone(), utc(at), row.points, debt)
        .map_err(domain_error)?;
    store::insert_lot(
        conn,
        &LotRow {
            id: lot_id.clone(),
            workspace_id: ws.clone(),
            account_id: account_id.to_owned(),
            source_type: "redemption".into(),
            source_id: Some(row.id.clone()),
            earned_at: at,
            points: row.points,
            remaining: opened.lot.remaining,
            expired: 0,
            available_at: at,
            expires_at: opened.lot.expires_at.map(stored),
            spend_minor: 0,
            refunded_minor: 0,
            created_at: at,
        },
    )?;
    let entry: LedgerEntry = write_entry(
        conn,
        NewEntry {
            workspace_id: &ws,
            account_id,
            kind: EntryKind::Return,
            points: row.points,
            spend_minor: 0,
            lot_id: Some(lot_id),
            source_type: "redemption",
            source_id: Some(row.id.clone()),
            key: rules::return_key(&row.id),
            reason: reason.clone(),
            actor: &Actor::of(&principal),
            occurred_at: at,
            now: at,
        },
    )?
    .into();
    let before = stored_redemption(row);
    let after = settled(conn, &ws, account_id, redemption_id)?;
    cx.audit(
        "loyalty.redemption_cancel",
        "redemption",
        Some(&after.id),
        Some(&before),
        Some(&after),
    )?;
    points_event(cx, account_id, PointsMove::Returned, &entry)?;
    cx.emit(DomainEvent::RedemptionSettled {
        account_id: account_id.to_owned(),
        outcome: "cancelled",
        redemption: data(&after)?,
    })?;
    Ok(after)
}
