//! The SLA job: publishes `complaint.sla_breached` once for each complaint whose first
//! response or resolution became overdue, as of a given instant (now in `rapport serve`,
//! `--at` in `rapport complaints run-jobs`). Idempotent: a breach is stamped on the complaint
//! when it is published, so a second run at the same instant publishes nothing.

use chrono::NaiveDateTime;
use rapport_persistence::complaints as store;
use rapport_persistence::DbConn;
use serde::Serialize;
use serde_json::json;

use super::{emit, Complaint};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::pipeline::{self, Committed};
use crate::state::AppState;

const JOB_BATCH: i64 = 500;

/// What a run published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SlaReport {
    pub first_response_breaches: i64,
    pub resolution_breaches: i64,
}

/// Runs the job once at `at` for every workspace; each complaint is its own write.
pub fn run_jobs(
    conn: &mut DbConn,
    at: NaiveDateTime,
) -> Result<(SlaReport, Vec<Committed>), ApiError> {
    let mut report = SlaReport::default();
    let mut effects = Vec::new();
    loop {
        let due = store::breaches_due(conn, at, JOB_BATCH)?;
        if due.is_empty() {
            break;
        }
        let mut progressed = false;
        for row in due {
            let system = Principal::system(&row.workspace_id);
            let (done, committed) = pipeline::transact(conn, &system, |conn, cx| {
                let Some(before) = store::lock(conn, &row.workspace_id, &row.id)? else {
                    return Ok((0, 0));
                };
                let mut after = before.clone();
                let mut breaches = Vec::new();
                if before.first_responded_at.is_none()
                    && before.first_response_breached_at.is_none()
                    && before.first_response_due_at <= at
                {
                    after.first_response_breached_at = Some(at);
                    breaches.push(("first_response", before.first_response_due_at));
                }
                if before.resolution_breached_at.is_none()
                    && before.resolution_due_at <= at
                    && rapport_domain::feedback::is_active(&before.status)
                {
                    after.resolution_breached_at = Some(at);
                    breaches.push(("resolution", before.resolution_due_at));
                }
                if breaches.is_empty() {
                    return Ok((0, 0));
                }
                // Bookkeeping of the job, not a change of the complaint: the version stays.
                if store::update(conn, &after, before.version)? == 0 {
                    return Ok((0, 0));
                }
                let complaint = Complaint::of(after, at);
                let mut counts = (0, 0);
                for (which, due_at) in breaches {
                    if which == "first_response" {
                        counts.0 += 1;
                    } else {
                        counts.1 += 1;
                    }
                    emit(
                        cx,
                        "complaint.sla_breached",
                        &complaint,
                        json!({ "sla": which, "due_at": crate::service::utc(due_at) }),
                    )?;
                }
                cx.audit::<(), _>(
                    "complaint.sla_breach",
                    "complaint",
                    Some(&complaint.id),
                    None,
                    Some(&complaint),
                )?;
                Ok(counts)
            })?;
            if done != (0, 0) {
                progressed = true;
            }
            report.first_response_breaches += done.0;
            report.resolution_breaches += done.1;
            effects.push(committed);
        }
        if !progressed {
            break;
        }
    }
    Ok((report, effects))
}

/// The job through the pool, as `rapport serve` and `rapport complaints run-jobs` run it.
pub async fn run_jobs_now(state: &AppState, at: NaiveDateTime) -> Result<SlaReport, ApiError> {
    let (report, effects) = state.db.run(move |conn| run_jobs(conn, at)).await?;
    pipeline::apply_all(state, effects).await;
    Ok(report)
}
