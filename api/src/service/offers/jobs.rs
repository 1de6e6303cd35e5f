//! The offers job: vouchers past their validity expire (`voucher.expired`), and vouchers
//! whose validity ends within [`EXPIRING_NOTICE_DAYS`] are announced once
//! (`offer.expiring`). Run by `rapport serve` with the loyalty jobs and by `rapport offers
//! run-jobs`. Idempotent: each voucher moves in its own transaction by a conditional write
//! (`state` still open, notice not yet sent), so a second or concurrent run changes nothing.

use chrono::NaiveDateTime;
use rapport_persistence::offers::{self as store, VoucherRow};
use rapport_persistence::DbConn;
use serde::Serialize;

use super::vouchers::{step, voucher_event, Voucher};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::events::domain::{data, DomainEvent};
use crate::service::pipeline::{self, Committed};
use crate::state::AppState;

/// Days ahead of a voucher's end that `offer.expiring` is sent.
pub const EXPIRING_NOTICE_DAYS: i64 = 3;
/// Vouchers read per round.
const ROUND: i64 = 500;

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OfferJobReport {
    pub expired_vouchers: i64,
    pub expiring_announced: i64,
}

fn expire_one(
    conn: &mut DbConn,
    v: &VoucherRow,
    at: NaiveDateTime,
) -> Result<(bool, Committed), ApiError> {
    let system = Principal::system(&v.workspace_id);
    pipeline::transact(conn, &system, |conn, cx| {
        if store::close_open(conn, &v.workspace_id, &v.id, "expired", at)? == 0 {
            return Ok(false);
        }
        let after = VoucherRow {
            state: "expired".into(),
            version: v.version + 1,
            updated_at: at,
            ..v.clone()
        };
        store::insert_history(
            conn,
            &[step(
                &after,
                Some(&v.state),
                "expired",
                None,
                Some("validity ended"),
                at,
            )],
        )?;
        cx.audit::<(), _>(
            "voucher.expire",
            "voucher",
            Some(&v.id),
            None,
            Some(&Voucher::from(after.clone())),
        )?;
        cx.emit(voucher_event("voucher.expired", &after)?)?;
        Ok(true)
    })
}

fn announce_one(
    conn: &mut DbConn,
    v: &VoucherRow,
    at: NaiveDateTime,
) -> Result<(bool, Committed), ApiError> {
    let system = Principal::system(&v.workspace_id);
    pipeline::transact(conn, &system, |conn, cx| {
        if store::mark_announced(conn, &v.workspace_id, &v.id, at)? == 0 {
            return Ok(false);
        }
        cx.emit(DomainEvent::OfferExpiring {
            account_id: v.account_id.clone(),
            voucher: data(&Voucher::from(v.clone()))?,
        })?;
        Ok(true)
    })
}

/// Runs the job once at `at` for every workspace; the effects are for
/// [`pipeline::apply_all`].
pub fn run_jobs(
    conn: &mut DbConn,
    at: NaiveDateTime,
) -> Result<(OfferJobReport, Vec<Committed>), ApiError> {
    let mut report = OfferJobReport::default();
    let mut effects = Vec::new();
    loop {
        let due = store::past_validity(conn, at, ROUND)?;
        if due.is_empty() {
            break;
        }
        let mut moved = 0;
        for v in &due {
            let (done, committed) = expire_one(conn, v, at)?;
            if done {
                report.expired_vouchers += 1;
                moved += 1;
            }
            effects.push(committed);
        }
        if moved == 0 {
            break;
        }
    }
    let until = at + chrono::Duration::days(EXPIRING_NOTICE_DAYS);
    loop {
        let due = store::to_announce(conn, at, until, ROUND)?;
        if due.is_empty() {
            break;
        }
        let mut moved = 0;
        for v in &due {
            let (done, committed) = announce_one(conn, v, at)?;
            if done {
                report.expiring_announced += 1;
                moved += 1;
            }
            effects.push(committed);
        }
        if moved == 0 {
            break;
        }
    }
    Ok((report, effects))
}

/// The job through the pool, as `rapport serve` and `rapport offers run-jobs` run it.
pub async fn run_jobs_now(state: &AppState, at: NaiveDateTime) -> Result<OfferJobReport, ApiError> {
    let (report, effects) = state.db.run(move |conn| run_jobs(conn, at)).await?;
    pipeline::apply_all(state, effects).await;
    Ok(report)
}
