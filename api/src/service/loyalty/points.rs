//! Members' balances, ledgers and redemptions, and admins' adjustments.

use super::*;

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
    let (p, id) = (principal.clone(), account_id.to_owned());
    state
        .db
        .run(move |conn| ledger_in(conn, &p, &id, page))
        .await
}

/// A page of the member's ledger read inside a connection closure (exports page through it
/// in their snapshot). 404 when the account is not live.
pub fn ledger_in(
    conn: &mut DbConn,
    principal: &Principal,
    account_id: &str,
    page: crate::service::PageRequest,
) -> Result<Page<LedgerEntry>, ApiError> {
    principal.require(Scope::LoyaltyRead)?;
    check_account(conn, &principal.workspace_id, account_id)?;
    let rows = store::list_entries(
        conn,
        &principal.workspace_id,
        account_id,
        page.after.as_deref(),
        page.limit + 1,
    )?;
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
pub(super) fn stored_redemption(r: RedemptionRow) -> Redemption {
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
        fulfilled_at: r.fulfilled_at.map(utc),
        cancelled_at: r.cancelled_at.map(utc),
        cancel_reason: r.cancel_reason,
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
        fulfilled_at: None,
        cancelled_at: None,
        cancel_reason: None,
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
        fulfilled_at: None,
        cancelled_at: None,
        cancel_reason: None,
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
    adjust_from(conn, cx, account_id, adjustment, None, at)
}

/// Where a keyed adjustment comes from: its source (`complaint` and the complaint's id) and
/// the ledger key that makes it happen once.
pub struct AdjustmentSource<'a> {
    pub source_type: &'a str,
    pub source_id: &'a str,
    pub key: String,
}

/// Points credited (or taken) for a reason outside the programme (a complaint's
/// compensation), at most once per `source.key`: a second call returns the first entry and
/// changes nothing (`(entry, false)`).
pub fn adjust_once(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    account_id: &str,
    adjustment: &rules::Adjustment,
    source: AdjustmentSource<'_>,
    at: NaiveDateTime,
) -> Result<(LedgerEntry, bool), ApiError> {
    let ws = cx.principal().workspace_id.clone();
    if let Some(existing) = store::entry_by_key(conn, &ws, &source.key)? {
        return Ok((existing.into(), false));
    }
    adjust_from(conn, cx, account_id, adjustment, Some(source), at).map(|e| (e, true))
}

fn adjust_from(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    account_id: &str,
    adjustment: &rules::Adjustment,
    source: Option<AdjustmentSource<'_>>,
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
            source_type: source.as_ref().map_or("admin", |s| s.source_type),
            source_id: source.as_ref().map(|s| s.source_id.to_owned()),
            key: source.map_or_else(|| format!("adjust:{entry_id_hint}"), |s| s.key),
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
