//! Export jobs: the job rows (status, counters, lease, expiry) and the produced file's
//! chunks.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{export_chunks, export_jobs};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = export_jobs)]
pub struct ExportJobRow {
    pub id: String,
    pub workspace_id: String,
    pub export_type: String,
    pub format: String,
    pub filters: String,
    pub status: String,
    pub rows_written: i64,
    pub bytes_written: i64,
    pub chunks: i64,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub actor_role: Option<String>,
    pub scopes: String,
    pub lease_holder: Option<String>,
    pub lease_until: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

/// Statuses a job is still alive in.
pub const ACTIVE: [&str; 2] = ["queued", "running"];

pub fn insert(conn: &mut DbConn, row: &ExportJobRow) -> QueryResult<()> {
    diesel::insert_into(export_jobs::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<ExportJobRow>> {
    export_jobs::table
        .filter(export_jobs::workspace_id.eq(workspace_id))
        .filter(export_jobs::id.eq(id))
        .select(ExportJobRow::as_select())
        .first(conn)
        .optional()
}

/// A job by id alone: the worker's read of a job it holds the lease of.
pub fn find_for_worker(conn: &mut DbConn, id: &str) -> QueryResult<Option<ExportJobRow>> {
    export_jobs::table
        .filter(export_jobs::id.eq(id))
        .select(ExportJobRow::as_select())
        .first(conn)
        .optional()
}

/// A page of the workspace's jobs, newest first (ids are UUIDv7), after the id `after`.
pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<ExportJobRow>> {
    let mut q = export_jobs::table
        .filter(export_jobs::workspace_id.eq(workspace_id))
        .select(ExportJobRow::as_select())
        .order(export_jobs::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(export_jobs::id.lt(after));
    }
    q.load(conn)
}

/// Takes the lease of the oldest job waiting for a worker (queued, or running under a lease
/// that expired: its node died). A conditional update, so two nodes never hold one job.
pub fn claim_next(
    conn: &mut DbConn,
    holder: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Option<String>> {
    let candidates: Vec<String> = export_jobs::table
        .filter(export_jobs::status.eq_any(ACTIVE))
        .filter(
            export_jobs::lease_until
                .is_null()
                .or(export_jobs::lease_until.lt(now)),
        )
        .order((export_jobs::created_at.asc(), export_jobs::id.asc()))
        .select(export_jobs::id)
        .limit(5)
        .load(conn)?;
    for id in candidates {
        if claim(conn, &id, holder, now, until)? {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// Takes the lease of one job if it is free (or already `holder`'s). A job taken over from
/// a dead worker starts again: the chunks it left are dropped.
pub fn claim(
    conn: &mut DbConn,
    id: &str,
    holder: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let taken = diesel::update(
        export_jobs::table
            .filter(export_jobs::id.eq(id))
            .filter(export_jobs::status.eq_any(ACTIVE))
            .filter(
                export_jobs::lease_until
                    .is_null()
                    .or(export_jobs::lease_until.lt(now))
                    .or(export_jobs::lease_holder.eq(holder)),
            ),
    )
    .set((
        export_jobs::status.eq("running"),
        export_jobs::lease_holder.eq(holder),
        export_jobs::lease_until.eq(until),
        export_jobs::rows_written.eq(0),
        export_jobs::bytes_written.eq(0),
        export_jobs::chunks.eq(0),
        export_jobs::started_at.eq(now),
        export_jobs::updated_at.eq(now),
    ))
    .execute(conn)?;
    if taken == 1 {
        delete_chunks(conn, id)?;
    }
    Ok(taken == 1)
}

/// Stores the next chunk of a job `holder` runs and extends the lease; `false` (nothing
/// stored) when the job was cancelled or taken over.
pub fn append_chunk(
    conn: &mut DbConn,
    id: &str,
    holder: &str,
    seq: i64,
    data: &[u8],
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let held = diesel::update(
        export_jobs::table
            .filter(export_jobs::id.eq(id))
            .filter(export_jobs::lease_holder.eq(holder))
            .filter(export_jobs::status.eq("running")),
    )
    .set((
        export_jobs::chunks.eq(seq + 1),
        export_jobs::bytes_written
            .eq(export_jobs::bytes_written + i64::try_from(data.len()).unwrap_or(i64::MAX)),
        export_jobs::lease_until.eq(until),
        export_jobs::updated_at.eq(now),
    ))
    .execute(conn)?;
    if held != 1 {
        return Ok(false);
    }
    let workspace_id: String = export_jobs::table
        .filter(export_jobs::id.eq(id))
        .select(export_jobs::workspace_id)
        .first(conn)?;
    diesel::insert_into(export_chunks::table)
        .values((
            export_chunks::job_id.eq(id),
            export_chunks::seq.eq(seq),
            export_chunks::workspace_id.eq(workspace_id),
            export_chunks::data.eq(data),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Extends the lease of a job `holder` runs; `false` when it no longer holds it.
pub fn extend_lease(
    conn: &mut DbConn,
    id: &str,
    holder: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        export_jobs::table
            .filter(export_jobs::id.eq(id))
            .filter(export_jobs::lease_holder.eq(holder))
            .filter(export_jobs::status.eq("running")),
    )
    .set((
        export_jobs::lease_until.eq(until),
        export_jobs::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// One chunk of a job's file, within the caller's workspace.
pub fn chunk(
    conn: &mut DbConn,
    workspace_id: &str,
    job_id: &str,
    seq: i64,
) -> QueryResult<Option<Vec<u8>>> {
    export_chunks::table
        .filter(export_chunks::workspace_id.eq(workspace_id))
        .filter(export_chunks::job_id.eq(job_id))
        .filter(export_chunks::seq.eq(seq))
        .select(export_chunks::data)
        .first(conn)
        .optional()
}

/// Ends a running job `holder` holds: `succeeded` (with its row count and expiry) or
/// `failed` (with the reason).
#[allow(clippy::too_many_arguments)]
pub fn finish(
    conn: &mut DbConn,
    id: &str,
    holder: &str,
    status: &str,
    rows_written: i64,
    error: Option<(&str, &str)>,
    expires_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let done = diesel::update(
        export_jobs::table
            .filter(export_jobs::id.eq(id))
            .filter(export_jobs::lease_holder.eq(holder))
            .filter(export_jobs::status.eq("running")),
    )
    .set((
        export_jobs::status.eq(status),
        export_jobs::rows_written.eq(rows_written),
        export_jobs::error_code.eq(error.map(|e| e.0)),
        export_jobs::error_message.eq(error.map(|e| e.1)),
        export_jobs::lease_until.eq(None::<NaiveDateTime>),
        export_jobs::finished_at.eq(now),
        export_jobs::expires_at.eq(expires_at),
        export_jobs::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(done == 1)
}

/// Cancels a job that has not ended; `false` when it had.
pub fn cancel(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        export_jobs::table
            .filter(export_jobs::workspace_id.eq(workspace_id))
            .filter(export_jobs::id.eq(id))
            .filter(export_jobs::status.eq_any(ACTIVE)),
    )
    .set((
        export_jobs::status.eq("cancelled"),
        export_jobs::lease_until.eq(None::<NaiveDateTime>),
        export_jobs::finished_at.eq(now),
        export_jobs::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Frees a job's file.
pub fn delete_chunks(conn: &mut DbConn, id: &str) -> QueryResult<usize> {
    diesel::delete(export_chunks::table.filter(export_chunks::job_id.eq(id))).execute(conn)
}

/// Up to `limit` finished jobs whose file expired before `at`: (workspace, id).
pub fn expired(
    conn: &mut DbConn,
    at: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(String, String)>> {
    export_jobs::table
        .filter(export_jobs::status.eq("succeeded"))
        .filter(export_jobs::expires_at.lt(at))
        .order(export_jobs::expires_at.asc())
        .select((export_jobs::workspace_id, export_jobs::id))
        .limit(limit)
        .load(conn)
}

/// Marks a succeeded job expired (its chunks are deleted by the caller); `false` when it
/// was not a succeeded job past `at`.
pub fn expire(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        export_jobs::table
            .filter(export_jobs::id.eq(id))
            .filter(export_jobs::status.eq("succeeded"))
            .filter(export_jobs::expires_at.lt(at)),
    )
    .set((
        export_jobs::status.eq("expired"),
        export_jobs::updated_at.eq(at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}
