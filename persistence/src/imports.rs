//! Import jobs: the job rows (status, checkpoint, counters, lease), the uploaded file's
//! chunks and the per-field errors of bad rows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{import_chunks, import_errors, import_jobs};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = import_jobs)]
pub struct ImportJobRow {
    pub id: String,
    pub workspace_id: String,
    pub import_type: String,
    pub format: String,
    pub status: String,
    pub dry_run: bool,
    pub mapping: String,
    pub header: Option<String>,
    pub unknown_columns: String,
    pub bytes_total: i64,
    pub chunks: i64,
    pub byte_offset: i64,
    pub rows_read: i64,
    pub rows_created: i64,
    pub rows_updated: i64,
    pub rows_unchanged: i64,
    pub rows_failed: i64,
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
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = import_errors)]
pub struct ImportErrorRow {
    pub job_id: String,
    pub row_number: i64,
    pub position: i64,
    pub workspace_id: String,
    pub field: String,
    pub code: String,
    pub message: String,
}

/// What one committed batch adds to a job's counters, with the new checkpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Progress {
    pub byte_offset: i64,
    pub rows_read: i64,
    pub rows_created: i64,
    pub rows_updated: i64,
    pub rows_unchanged: i64,
    pub rows_failed: i64,
}

/// Statuses a job is still alive in.
pub const ACTIVE: [&str; 3] = ["uploading", "queued", "running"];

pub fn insert(conn: &mut DbConn, row: &ImportJobRow) -> QueryResult<()> {
    diesel::insert_into(import_jobs::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Stores the next chunk of a job still `uploading`, and marks the job's `updated_at` (the
/// last sign of life of its upload); `false`, storing nothing, when the job has left
/// `uploading` (cancelled, or failed as abandoned). One transaction: the job row's lock
/// orders it with [`fail_abandoned_upload`].
pub fn append_chunk(
    conn: &mut DbConn,
    workspace_id: &str,
    job_id: &str,
    seq: i64,
    data: &[u8],
    at: NaiveDateTime,
) -> QueryResult<bool> {
    crate::write_transaction(conn, |conn| {
        let alive = diesel::update(
            import_jobs::table
                .filter(import_jobs::workspace_id.eq(workspace_id))
                .filter(import_jobs::id.eq(job_id))
                .filter(import_jobs::status.eq("uploading")),
        )
        .set(import_jobs::updated_at.eq(at))
        .execute(conn)?;
        if alive != 1 {
            return Ok(false);
        }
        diesel::insert_into(import_chunks::table)
            .values((
                import_chunks::job_id.eq(job_id),
                import_chunks::seq.eq(seq),
                import_chunks::workspace_id.eq(workspace_id),
                import_chunks::data.eq(data),
            ))
            .execute(conn)?;
        Ok(true)
    })
}

/// Jobs still `uploading` whose upload gave no sign of life (a new chunk) since `before`:
/// their connection died or their node crashed.
pub fn abandoned_uploads(
    conn: &mut DbConn,
    before: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<ImportJobRow>> {
    import_jobs::table
        .filter(import_jobs::status.eq("uploading"))
        .filter(import_jobs::updated_at.lt(before))
        .order((import_jobs::updated_at.asc(), import_jobs::id.asc()))
        .select(ImportJobRow::as_select())
        .limit(limit)
        .load(conn)
}

/// Fails a job whose upload is still silent since `before` and frees its chunks; `false`
/// when it moved meanwhile (a chunk arrived, the upload ended, another node failed it).
pub fn fail_abandoned_upload(
    conn: &mut DbConn,
    id: &str,
    before: NaiveDateTime,
    error: (&str, &str),
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let failed = diesel::update(
        import_jobs::table
            .filter(import_jobs::id.eq(id))
            .filter(import_jobs::status.eq("uploading"))
            .filter(import_jobs::updated_at.lt(before)),
    )
    .set((
        import_jobs::status.eq("failed"),
        import_jobs::error_code.eq(error.0),
        import_jobs::error_message.eq(error.1),
        import_jobs::finished_at.eq(now),
        import_jobs::updated_at.eq(now),
    ))
    .execute(conn)?;
    if failed == 1 {
        delete_chunks(conn, id)?;
    }
    Ok(failed == 1)
}

/// How many chunks of a job's file are stored (an abandoned upload's are freed).
pub fn chunk_count(conn: &mut DbConn, workspace_id: &str, job_id: &str) -> QueryResult<i64> {
    import_chunks::table
        .filter(import_chunks::workspace_id.eq(workspace_id))
        .filter(import_chunks::job_id.eq(job_id))
        .count()
        .get_result(conn)
}

/// One chunk of a job's file (the worker's read; the job id is the key).
pub fn chunk_for_worker(conn: &mut DbConn, job_id: &str, seq: i64) -> QueryResult<Option<Vec<u8>>> {
    import_chunks::table
        .filter(import_chunks::job_id.eq(job_id))
        .filter(import_chunks::seq.eq(seq))
        .select(import_chunks::data)
        .first(conn)
        .optional()
}

/// The upload is complete: the job waits for a worker.
pub fn uploaded(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    bytes_total: i64,
    chunks: i64,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        import_jobs::table
            .filter(import_jobs::workspace_id.eq(workspace_id))
            .filter(import_jobs::id.eq(id))
            .filter(import_jobs::status.eq("uploading")),
    )
    .set((
        import_jobs::status.eq("queued"),
        import_jobs::bytes_total.eq(bytes_total),
        import_jobs::chunks.eq(chunks),
        import_jobs::updated_at.eq(at),
    ))
    .execute(conn)
}

/// Removes a job whose upload failed, with its chunks (nothing else refers to it yet).
pub fn delete_unfinished_upload(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
) -> QueryResult<()> {
    diesel::delete(
        import_chunks::table
            .filter(import_chunks::workspace_id.eq(workspace_id))
            .filter(import_chunks::job_id.eq(id)),
    )
    .execute(conn)?;
    diesel::delete(
        import_jobs::table
            .filter(import_jobs::workspace_id.eq(workspace_id))
            .filter(import_jobs::id.eq(id))
            .filter(import_jobs::status.eq("uploading")),
    )
    .execute(conn)
    .map(|_| ())
}

pub fn find(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<ImportJobRow>> {
    import_jobs::table
        .filter(import_jobs::workspace_id.eq(workspace_id))
        .filter(import_jobs::id.eq(id))
        .select(ImportJobRow::as_select())
        .first(conn)
        .optional()
}

/// A job by id alone: the worker's read of a job it holds the lease of.
pub fn find_for_worker(conn: &mut DbConn, id: &str) -> QueryResult<Option<ImportJobRow>> {
    import_jobs::table
        .filter(import_jobs::id.eq(id))
        .select(ImportJobRow::as_select())
        .first(conn)
        .optional()
}

/// A page of the workspace's jobs, newest first (ids are UUIDv7), after the id `after`.
pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<ImportJobRow>> {
    let mut q = import_jobs::table
        .filter(import_jobs::workspace_id.eq(workspace_id))
        .select(ImportJobRow::as_select())
        .order(import_jobs::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(import_jobs::id.lt(after));
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
    let candidates: Vec<String> = import_jobs::table
        .filter(import_jobs::status.eq_any(["queued", "running"]))
        .filter(
            import_jobs::lease_until
                .is_null()
                .or(import_jobs::lease_until.lt(now)),
        )
        .order((import_jobs::created_at.asc(), import_jobs::id.asc()))
        .select(import_jobs::id)
        .limit(5)
        .load(conn)?;
    for id in candidates {
        if claim(conn, &id, holder, now, until)? {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// Takes the lease of one job if it is free (or already `holder`'s).
pub fn claim(
    conn: &mut DbConn,
    id: &str,
    holder: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let taken = diesel::update(
        import_jobs::table
            .filter(import_jobs::id.eq(id))
            .filter(import_jobs::status.eq_any(["queued", "running"]))
            .filter(
                import_jobs::lease_until
                    .is_null()
                    .or(import_jobs::lease_until.lt(now))
                    .or(import_jobs::lease_holder.eq(holder)),
            ),
    )
    .set((
        import_jobs::status.eq("running"),
        import_jobs::lease_holder.eq(holder),
        import_jobs::lease_until.eq(until),
        import_jobs::updated_at.eq(now),
    ))
    .execute(conn)?;
    if taken == 1 {
        diesel::update(
            import_jobs::table
                .filter(import_jobs::id.eq(id))
                .filter(import_jobs::started_at.is_null()),
        )
        .set(import_jobs::started_at.eq(now))
        .execute(conn)?;
    }
    Ok(taken == 1)
}

/// Drops a lease (a worker stopping between batches): any node may take the job again.
pub fn release(conn: &mut DbConn, id: &str, holder: &str) -> QueryResult<()> {
    diesel::update(
        import_jobs::table
            .filter(import_jobs::id.eq(id))
            .filter(import_jobs::lease_holder.eq(holder)),
    )
    .set(import_jobs::lease_until.eq(None::<NaiveDateTime>))
    .execute(conn)
    .map(|_| ())
}

/// Writes a batch's checkpoint and counters, and extends the lease, if `holder` still holds
/// it and the job was not cancelled; `false` otherwise (the caller rolls the batch back).
pub fn checkpoint(
    conn: &mut DbConn,
    id: &str,
    holder: &str,
    progress: Progress,
    unknown_columns: Option<&str>,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    if let Some(unknown) = unknown_columns {
        diesel::update(import_jobs::table.filter(import_jobs::id.eq(id)))
            .set(import_jobs::unknown_columns.eq(unknown))
            .execute(conn)?;
    }
    diesel::update(
        import_jobs::table
            .filter(import_jobs::id.eq(id))
            .filter(import_jobs::lease_holder.eq(holder))
            .filter(import_jobs::status.eq("running")),
    )
    .set((
        import_jobs::byte_offset.eq(progress.byte_offset),
        import_jobs::rows_read.eq(import_jobs::rows_read + progress.rows_read),
        import_jobs::rows_created.eq(import_jobs::rows_created + progress.rows_created),
        import_jobs::rows_updated.eq(import_jobs::rows_updated + progress.rows_updated),
        import_jobs::rows_unchanged.eq(import_jobs::rows_unchanged + progress.rows_unchanged),
        import_jobs::rows_failed.eq(import_jobs::rows_failed + progress.rows_failed),
        import_jobs::lease_until.eq(until),
        import_jobs::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Ends a running job `holder` holds: `succeeded` or `failed` (with the reason).
pub fn finish(
    conn: &mut DbConn,
    id: &str,
    holder: &str,
    status: &str,
    error: Option<(&str, &str)>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let done = diesel::update(
        import_jobs::table
            .filter(import_jobs::id.eq(id))
            .filter(import_jobs::lease_holder.eq(holder))
            .filter(import_jobs::status.eq("running")),
    )
    .set((
        import_jobs::status.eq(status),
        import_jobs::error_code.eq(error.map(|e| e.0)),
        import_jobs::error_message.eq(error.map(|e| e.1)),
        import_jobs::lease_until.eq(None::<NaiveDateTime>),
        import_jobs::finished_at.eq(now),
        import_jobs::updated_at.eq(now),
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
        import_jobs::table
            .filter(import_jobs::workspace_id.eq(workspace_id))
            .filter(import_jobs::id.eq(id))
            .filter(import_jobs::status.eq_any(ACTIVE)),
    )
    .set((
        import_jobs::status.eq("cancelled"),
        import_jobs::lease_until.eq(None::<NaiveDateTime>),
        import_jobs::finished_at.eq(now),
        import_jobs::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Frees an ended job's file.
pub fn delete_chunks(conn: &mut DbConn, id: &str) -> QueryResult<usize> {
    diesel::delete(import_chunks::table.filter(import_chunks::job_id.eq(id))).execute(conn)
}

pub fn insert_errors(conn: &mut DbConn, rows: &[ImportErrorRow]) -> QueryResult<()> {
    // Bound the statement's parameters (SQLite allows 32,766).
    for part in rows.chunks(1000) {
        crate::per_backend!(&mut *conn, |c| diesel::insert_into(import_errors::table)
            .values(part)
            .execute(c))?;
    }
    Ok(())
}

/// A page of a job's errors in file order, after `(row_number, position)`.
pub fn errors(
    conn: &mut DbConn,
    workspace_id: &str,
    job_id: &str,
    after: Option<(i64, i64)>,
    limit: i64,
) -> QueryResult<Vec<ImportErrorRow>> {
    let mut q = import_errors::table
        .filter(import_errors::workspace_id.eq(workspace_id))
        .filter(import_errors::job_id.eq(job_id))
        .select(ImportErrorRow::as_select())
        .order((
            import_errors::row_number.asc(),
            import_errors::position.asc(),
        ))
        .limit(limit)
        .into_boxed();
    if let Some((row, position)) = after {
        q = q.filter(
            import_errors::row_number
                .gt(row)
                .or(import_errors::row_number
                    .eq(row)
                    .and(import_errors::position.gt(position))),
        );
    }
    q.load(conn)
}

/// Refreshes the planner statistics of tables a large import filled (PostgreSQL; SQLite is
/// built without STAT4 and its planner reads no statistics worth the scan).
pub fn analyze(conn: &mut DbConn, tables: &[&str]) -> QueryResult<()> {
    if let DbConn::Pg(c) = conn {
        for table in tables {
            // Names come from the caller's fixed list, never from input.
            diesel::sql_query(format!("ANALYZE {table}")).execute(c)?;
        }
    }
    Ok(())
}

#[derive(QueryableByName)]
struct KnownRows {
    #[diesel(sql_type = diesel::sql_types::Double)]
    known: f64,
}

/// Refreshes the planner statistics of `table` (a name of the caller's fixed list) when a
/// write has just added `added` rows, more than the statistics know the table holds (never
/// analyzed, or analyzed much smaller). For a bulk write that knows its count: the
/// statistics collector's counters (`analyze_stale`) reach shared memory up to seconds after
/// the writing sessions commit, too late for a check made right after them. Returns whether
/// it analyzed (never on SQLite).
pub fn analyze_if_outgrown(conn: &mut DbConn, table: &str, added: i64) -> QueryResult<bool> {
    let DbConn::Pg(c) = &mut *conn else {
        return Ok(false);
    };
    let known: Vec<KnownRows> = diesel::sql_query(
        "SELECT GREATEST(c.reltuples, 0)::float8 AS known FROM pg_class c \
         WHERE c.oid = to_regclass($1)",
    )
    .bind::<diesel::sql_types::Text, _>(table)
    .load(c)?;
    if known
        .first()
        .is_none_or(|k| (added as f64) <= k.known + 500.0)
    {
        return Ok(false);
    }
    analyze(conn, &[table])?;
    Ok(true)
}

#[derive(QueryableByName)]
struct TableName {
    #[diesel(sql_type = diesel::sql_types::Text)]
    relname: String,
}

/// Refreshes the planner statistics of those of `tables` changed by more rows since their
/// last `ANALYZE` than they then held (never analyzed, or analyzed much smaller): what an
/// import into a young table needs between its batches. Without statistics PostgreSQL
/// plans a lookup by `(workspace_id, external_id)` as a scan of every account of the
/// workspace (through `accounts_merged_into`, filtering on `external_id`), and a prepared
/// statement keeps that plan while the table grows: each lookup then costs the table's size.
/// `ANALYZE` also makes every session re-plan its prepared statements. Returns the tables
/// analyzed (none on SQLite).
pub fn analyze_stale(conn: &mut DbConn, tables: &[&str]) -> QueryResult<Vec<String>> {
    let DbConn::Pg(c) = conn else {
        return Ok(Vec::new());
    };
    let names: Vec<String> = tables.iter().map(|t| (*t).to_owned()).collect();
    let stale: Vec<TableName> = diesel::sql_query(
        "SELECT s.relname::text AS relname FROM pg_stat_user_tables s \
         JOIN pg_class c ON c.oid = s.relid \
         WHERE s.schemaname = current_schema() AND s.relname = ANY($1) \
         AND s.n_mod_since_analyze > GREATEST(c.reltuples, 0) + 500",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(&names)
    .load(c)?;
    let mut analyzed = Vec::new();
    for table in stale {
        // Only names of the caller's fixed list reach the statement.
        if let Some(name) = tables.iter().find(|t| **t == table.relname) {
            diesel::sql_query(format!("ANALYZE {name}")).execute(c)?;
            analyzed.push(table.relname);
        }
    }
    Ok(analyzed)
}
