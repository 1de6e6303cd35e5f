//! The scheduled jobs: expiry of lots, `loyalty.points_expiring` notices, tier reviews.

use super::*;

// ---------------------------------------------------------------------------------------
// Jobs

/// Expires the member's lots past their date at `at`, in one transaction. The expiry of a
/// lot has a unique ledger key, so a second run (or a concurrent one) expires nothing again.
pub(super) fn expire_member(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    at: NaiveDateTime,
    report: &mut JobReport,
) -> Result<Committed, ApiError> {
    let system = Principal::system(workspace_id);
    let ((), committed) = pipeline::transact(conn, &system, |conn, cx| {
        store::lock_member(conn, workspace_id, account_id, at)?;
        let lots = store::open_lots(conn, workspace_id, account_id)?;
        let domain_lots: Vec<Lot> = lots.iter().map(lot_of).collect();
        for take in rules::expire(&domain_lots, utc(at)) {
            let key = rules::expiry_key(&take.lot_id);
            if store::entry_by_key(conn, workspace_id, &key)?.is_some() {
                continue;
            }
            let row = lots
                .iter()
                .find(|l| l.id == take.lot_id)
                .ok_or_else(|| ApiError::internal("lot vanished"))?;
            let updated = LotRow {
                remaining: row.remaining - take.points,
                expired: row.expired + take.points,
                ..row.clone()
            };
            if store::update_lot(conn, &updated, row.remaining)? != 1 {
                return Err(ApiError::internal("a lot changed under the member lock"));
            }
            let entry = LedgerEntry::from(write_entry(
                conn,
                NewEntry {
                    workspace_id,
                    account_id,
                    kind: EntryKind::Expire,
                    points: -take.points,
                    spend_minor: 0,
                    lot_id: Some(row.id.clone()),
                    source_type: "job",
                    source_id: None,
                    key,
                    reason: None,
                    actor: &Actor::system(),
                    occurred_at: row.expires_at.unwrap_or(at),
                    now: at,
                },
            )?);
            cx.audit::<(), _>(
                "loyalty.expire",
                "account",
                Some(account_id),
                None,
                Some(&entry),
            )?;
            points_event(cx, account_id, PointsMove::Expired, &entry)?;
            report.expired_lots += 1;
            report.expired_points += take.points;
        }
        Ok(())
    })?;
    Ok(committed)
}

/// Announces the member's lots that expire within [`EXPIRING_NOTICE_DAYS`] of `at`, once per
/// lot (a notice row marks it), in one transaction.
pub(super) fn announce_expiring(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    at: NaiveDateTime,
    report: &mut JobReport,
) -> Result<Committed, ApiError> {
    let system = Principal::system(workspace_id);
    let until = at + chrono::Duration::days(EXPIRING_NOTICE_DAYS);
    let ((), committed) = pipeline::transact(conn, &system, |conn, cx| {
        store::lock_member(conn, workspace_id, account_id, at)?;
        for lot in store::lots_to_announce(conn, workspace_id, account_id, at, until)? {
            let Some(expires_at) = lot.expires_at else {
                continue;
            };
            if !store::mark_announced(conn, workspace_id, &lot.id, at)? {
                continue;
            }
            cx.emit(DomainEvent::PointsExpiring {
                account_id: account_id.to_owned(),
                lot_id: lot.id.clone(),
                points: lot.remaining,
                expires_at: utc(expires_at),
            })?;
            report.expiring_lots += 1;
        }
        Ok(())
    })?;
    Ok(committed)
}

/// Runs the expiry and tier jobs once at `at`, for every workspace, and announces points
/// expiring within [`EXPIRING_NOTICE_DAYS`]. Idempotent: a second run at the same instant
/// changes nothing. Each member is its own transaction through the write pipeline; the
/// returned effects are for [`pipeline::apply_all`] (see [`run_jobs_now`]).
pub fn run_jobs(
    conn: &mut DbConn,
    at: NaiveDateTime,
) -> Result<(JobReport, Vec<Committed>), ApiError> {
    let mut report = JobReport::default();
    let mut effects = Vec::new();
    loop {
        let due = store::accounts_with_expired_lots(conn, at, JOB_BATCH)?;
        if due.is_empty() {
            break;
        }
        let before = report.expired_lots;
        for (workspace_id, account_id) in &due {
            effects.push(expire_member(
                conn,
                workspace_id,
                account_id,
                at,
                &mut report,
            )?);
        }
        if report.expired_lots == before {
            break; // nothing could be expired: do not spin
        }
    }
    let until = at + chrono::Duration::days(EXPIRING_NOTICE_DAYS);
    loop {
        let due = store::accounts_with_lots_to_announce(conn, at, until, JOB_BATCH)?;
        if due.is_empty() {
            break;
        }
        let before = report.expiring_lots;
        for (workspace_id, account_id) in &due {
            effects.push(announce_expiring(
                conn,
                workspace_id,
                account_id,
                at,
                &mut report,
            )?);
        }
        if report.expiring_lots == before {
            break;
        }
    }
    for row in store::active_programs(conn)? {
        let stored_program: StoredProgram =
            serde_json::from_str(&row.definition).map_err(ApiError::internal)?;
        let program = stored_program.program;
        let mut after: Option<String> = None;
        loop {
            let members =
                store::members_after(conn, &row.workspace_id, after.as_deref(), JOB_BATCH)?;
            let Some(last) = members.last() else { break };
            after = Some(last.account_id.clone());
            for member in &members {
                report.members_evaluated += 1;
                let amount =
                    qualifying(conn, &program, &member.workspace_id, &member.account_id, at)?;
                let current = tier_index(&program, member);
                let to = match rules::reevaluate_tier(&program, current, amount)
                    .map_err(domain_error)?
                {
                    TierChange::Upgrade { to, .. } => {
                        report.upgrades += 1;
                        to
                    }
                    TierChange::Downgrade { to, .. } if stored_program.allow_downgrade => {
                        report.downgrades += 1;
                        to
                    }
                    _ if usize::try_from(member.tier).ok() != Some(current) => current,
                    _ => continue,
                };
                let to_index = i32::try_from(to).map_err(ApiError::internal)?;
                let stored_tier = usize::try_from(member.tier).unwrap_or(0);
                let system = Principal::system(&member.workspace_id);
                let ((), committed) = pipeline::transact(conn, &system, |conn, cx| {
                    store::set_tier(conn, &member.workspace_id, &member.account_id, to_index, at)?;
                    let change = serde_json::json!({
                        "from_tier": tier_name(&program, stored_tier),
                        "to_tier": tier_name(&program, to),
                    });
                    cx.audit::<(), _>(
                        "loyalty.tier_change",
                        "account",
                        Some(&member.account_id),
                        None,
                        Some(&change),
                    )?;
                    if tier_name(&program, stored_tier) != tier_name(&program, to) {
                        cx.emit(DomainEvent::TierChanged {
                            account_id: member.account_id.clone(),
                            from_tier: tier_name(&program, stored_tier),
                            to_tier: tier_name(&program, to),
                        })?;
                    }
                    Ok(())
                })?;
                effects.push(committed);
            }
        }
    }
    Ok((report, effects))
}

/// The jobs through the pool, as the scheduler in `rapport serve` and `rapport loyalty
/// run-jobs` run them: the changes' effects (cached profiles show balances and tiers) are
/// applied once the jobs are done.
pub async fn run_jobs_now(state: &AppState, at: NaiveDateTime) -> Result<JobReport, ApiError> {
    let (report, effects) = state.db.run(move |conn| run_jobs(conn, at)).await?;
    pipeline::apply_all(state, effects).await;
    Ok(report)
}
