//! Uploads cut off by a crash: a job left `uploading` (its connection died without the
//! server seeing it end, or its node stopped) is failed by any node's worker once its upload
//! has been silent (no new chunk) for [`UPLOAD_IDLE_TIMEOUT_SECS`], and its chunks freed.

use chrono::{DateTime, Utc};
use rapport_persistence::imports as store;

use super::{data, principal_of, ImportJob};
use crate::error::ApiError;
use crate::service::events::domain::DomainEvent;
use crate::service::pipeline;
use crate::service::stored;
use crate::state::AppState;

/// How long an upload may go without a new chunk before its job is failed.
pub const UPLOAD_IDLE_TIMEOUT_SECS: i64 = 3600;
/// How often a worker looks for abandoned uploads.
pub(super) const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(60);
/// Jobs failed per sweep (the next sweep takes the rest).
const SWEEP_LIMIT: i64 = 100;
/// Stable code of such a failure.
pub const ABANDONED: &str = "import_upload_abandoned";

/// Fails the jobs whose upload has been silent for [`UPLOAD_IDLE_TIMEOUT_SECS`] at `at`
/// (the worker passes the clock's time), each audited (`import.fail`) and published
/// (`import.failed`) with its chunks deleted, in one transaction per job. Returns how many.
pub async fn fail_abandoned_uploads(
    state: &AppState,
    at: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let before = stored(at - chrono::Duration::seconds(UPLOAD_IDLE_TIMEOUT_SECS));
    let now = stored(at);
    let (failed, committed) = state
        .db
        .run(move |conn| {
            let mut failed = 0;
            let mut committed = Vec::new();
            for job in store::abandoned_uploads(conn, before, SWEEP_LIMIT)? {
                let principal = principal_of(&job)?;
                let message = format!(
                    "the upload stopped: no part of the file arrived for {} minutes (the \
                     connection broke or the server restarted); nothing of it was imported, \
                     send the file again",
                    UPLOAD_IDLE_TIMEOUT_SECS / 60
                );
                let (done, c) = pipeline::transact(conn, &principal, |conn, cx| {
                    if !store::fail_abandoned_upload(
                        conn,
                        &job.id,
                        before,
                        (ABANDONED, &message),
                        now,
                    )? {
                        return Ok(false);
                    }
                    let after = store::find_for_worker(conn, &job.id)?
                        .map(ImportJob::from)
                        .ok_or_else(|| ApiError::internal("import job vanished"))?;
                    cx.audit(
                        "import.fail",
                        "import",
                        Some(&after.id),
                        Some(&ImportJob::from(job.clone())),
                        Some(&after),
                    )?;
                    cx.emit(DomainEvent::ImportChanged {
                        event_type: "import.failed",
                        job: data(&after)?,
                    })?;
                    Ok(true)
                })?;
                if done {
                    failed += 1;
                }
                committed.push(c);
            }
            Ok((failed, committed))
        })
        .await?;
    pipeline::apply_all(state, committed).await;
    Ok(failed)
}
