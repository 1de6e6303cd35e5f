//! Webhook subscriptions, the leases delivery workers take on them, and the delivery log.
//!
//! A worker takes a subscription (`claim`) by writing its holder id and a lease expiry;
//! while it holds the lease it alone delivers the subscription's events, in order, and moves
//! its cursor (`record_progress`, which also renews the lease and fails when another holder
//! has taken over). On PostgreSQL the claim locks candidate rows with `FOR UPDATE SKIP
//! LOCKED`, so nodes claiming at the same moment take different subscriptions; SQLite write
//! transactions run one at a time, so its claim needs no lock.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{event_sequences, events, webhook_deliveries, webhooks};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    pub id: String,
    pub workspace_id: String,
    pub url: String,
    pub description: Option<String>,
    /// JSON array of type patterns.
    pub event_types: String,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_expires_at: Option<NaiveDateTime>,
    /// The last event (workspace sequence) handled: delivered or given up on.
    pub cursor_seq: i64,
    /// Attempts made at the next event, and when the first of them failed.
    pub head_attempts: i32,
    pub failing_since: Option<NaiveDateTime>,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub lease_holder: Option<String>,
    pub lease_expires_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Events per POST at most: 1 sends each event's envelope alone, more send
    /// `{"data": [event, …]}`.
    pub batch_size: i32,
}

/// What an admin may change; every field is written (`None` clears a nullable column).
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = webhooks, treat_none_as_null = true)]
pub struct WebhookSettings {
    pub url: String,
    pub description: Option<String>,
    pub event_types: String,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub batch_size: i32,
    pub version: i64,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &WebhookRow) -> QueryResult<()> {
    diesel::insert_into(webhooks::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn find(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<WebhookRow>> {
    webhooks::table
        .filter(webhooks::workspace_id.eq(workspace_id))
        .filter(webhooks::id.eq(id))
        .select(WebhookRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<WebhookRow>> {
    let mut query = webhooks::table
        .filter(webhooks::workspace_id.eq(workspace_id))
        .select(WebhookRow::as_select())
        .order(webhooks::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(webhooks::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// Writes the admin-editable settings; re-enabling (`clear_failures`) also forgets the
/// failures that disabled the subscription, so its next attempt is immediate.
pub fn update_settings(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    settings: &WebhookSettings,
    clear_failures: bool,
) -> QueryResult<usize> {
    let target = webhooks::table
        .filter(webhooks::workspace_id.eq(workspace_id))
        .filter(webhooks::id.eq(id));
    let changed = diesel::update(target).set(settings).execute(conn)?;
    if clear_failures {
        diesel::update(target)
            .set((
                webhooks::head_attempts.eq(0),
                webhooks::failing_since.eq(None::<NaiveDateTime>),
                webhooks::next_attempt_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
    }
    Ok(changed)
}

/// A new signing secret; the previous one keeps signing until `previous_expires_at`.
pub fn rotate_secret(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    secret: &str,
    previous: &str,
    previous_expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        webhooks::table
            .filter(webhooks::workspace_id.eq(workspace_id))
            .filter(webhooks::id.eq(id)),
    )
    .set((
        webhooks::secret.eq(secret),
        webhooks::previous_secret.eq(previous),
        webhooks::previous_secret_expires_at.eq(previous_expires_at),
        webhooks::version.eq(webhooks::version + 1),
        webhooks::updated_at.eq(now),
    ))
    .execute(conn)
}

/// Deletes a subscription and its delivery log.
pub fn delete(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<usize> {
    diesel::delete(
        webhook_deliveries::table
            .filter(webhook_deliveries::workspace_id.eq(workspace_id))
            .filter(webhook_deliveries::webhook_id.eq(id)),
    )
    .execute(conn)?;
    diesel::delete(
        webhooks::table
            .filter(webhooks::workspace_id.eq(workspace_id))
            .filter(webhooks::id.eq(id)),
    )
    .execute(conn)
}

/// Whether some subscription is due for [`claim`]: a plain read, so that a node with nothing
/// to deliver never takes the write lock (SQLite) or row locks to find out.
pub fn any_due(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<bool> {
    let last_seq = event_sequences::table
        .filter(event_sequences::workspace_id.eq(webhooks::workspace_id))
        .select(event_sequences::last_seq)
        .single_value();
    diesel::select(diesel::dsl::exists(
        webhooks::table
            .filter(webhooks::enabled.eq(true))
            .filter(webhooks::cursor_seq.nullable().lt(last_seq))
            .filter(
                webhooks::next_attempt_at
                    .is_null()
                    .or(webhooks::next_attempt_at.le(now)),
            )
            .filter(
                webhooks::lease_expires_at
                    .is_null()
                    .or(webhooks::lease_expires_at.lt(now)),
            ),
    ))
    .get_result(conn)
}

/// Takes up to `limit` enabled subscriptions that have events after their cursor, are due
/// (no retry pending, or its time has come) and are not leased by a live holder: their
/// lease goes to `holder` until `lease_until`. Call inside a write transaction.
pub fn claim(
    conn: &mut DbConn,
    holder: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<WebhookRow>> {
    let last_seq = event_sequences::table
        .filter(event_sequences::workspace_id.eq(webhooks::workspace_id))
        .select(event_sequences::last_seq)
        .single_value();
    let candidates = webhooks::table
        .filter(webhooks::enabled.eq(true))
        .filter(webhooks::cursor_seq.nullable().lt(last_seq))
        .filter(
            webhooks::next_attempt_at
                .is_null()
                .or(webhooks::next_attempt_at.le(now)),
        )
        .filter(
            webhooks::lease_expires_at
                .is_null()
                .or(webhooks::lease_expires_at.lt(now)),
        )
        .order(webhooks::id.asc())
        .limit(limit)
        .select(webhooks::id);
    let ids: Vec<String> = match conn {
        DbConn::Pg(c) => candidates.for_update().skip_locked().load(c)?,
        DbConn::Sqlite(c) => candidates.load(c)?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(webhooks::table.filter(webhooks::id.eq_any(&ids)))
        .set((
            webhooks::lease_holder.eq(holder),
            webhooks::lease_expires_at.eq(lease_until),
        ))
        .execute(conn)?;
    webhooks::table
        .filter(webhooks::id.eq_any(&ids))
        .order(webhooks::id.asc())
        .select(WebhookRow::as_select())
        .load(conn)
}

/// Where a subscription's delivery stands after some attempts.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub cursor_seq: i64,
    pub head_attempts: i32,
    pub failing_since: Option<NaiveDateTime>,
    pub next_attempt_at: Option<NaiveDateTime>,
}

/// Stores `progress` and the attempts that led to it, renewing the lease until
/// `lease_until`, if `holder` still holds the lease (else nothing is written and `false`
/// comes back: another worker took over). Call inside a write transaction.
pub fn record_progress(
    conn: &mut DbConn,
    id: &str,
    holder: &str,
    progress: &Progress,
    attempts: &[DeliveryRow],
    lease_until: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        webhooks::table
            .filter(webhooks::id.eq(id))
            .filter(webhooks::lease_holder.eq(holder)),
    )
    .set((
        webhooks::cursor_seq.eq(progress.cursor_seq),
        webhooks::head_attempts.eq(progress.head_attempts),
        webhooks::failing_since.eq(progress.failing_since),
        webhooks::next_attempt_at.eq(progress.next_attempt_at),
        webhooks::lease_expires_at.eq(lease_until),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Ok(false);
    }
    insert_deliveries(conn, attempts)?;
    Ok(true)
}

/// Gives the lease back (when the holder has nothing more to deliver now).
pub fn release(conn: &mut DbConn, id: &str, holder: &str) -> QueryResult<usize> {
    diesel::update(
        webhooks::table
            .filter(webhooks::id.eq(id))
            .filter(webhooks::lease_holder.eq(holder)),
    )
    .set((
        webhooks::lease_holder.eq(None::<String>),
        webhooks::lease_expires_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
}

/// Turns a subscription off with a reason (it kept failing).
pub fn disable(
    conn: &mut DbConn,
    id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(webhooks::table.filter(webhooks::id.eq(id)))
        .set((
            webhooks::enabled.eq(false),
            webhooks::disabled_reason.eq(reason),
            webhooks::next_attempt_at.eq(None::<NaiveDateTime>),
            webhooks::version.eq(webhooks::version + 1),
            webhooks::updated_at.eq(now),
        ))
        .execute(conn)
}

/// One enabled subscription's backlog: events after its cursor and the time of the oldest.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct Backlog {
    pub webhook_id: String,
    pub cursor_seq: i64,
    pub last_seq: Option<i64>,
    /// When the first event after the cursor happened (whatever its type).
    pub oldest_pending_at: Option<NaiveDateTime>,
}

/// The backlog of every enabled subscription (for the lag metrics).
pub fn backlogs(conn: &mut DbConn) -> QueryResult<Vec<Backlog>> {
    let last_seq = event_sequences::table
        .filter(event_sequences::workspace_id.eq(webhooks::workspace_id))
        .select(event_sequences::last_seq)
        .single_value();
    let oldest = events::table
        .filter(events::workspace_id.eq(webhooks::workspace_id))
        // A packed row may start before the cursor and hold events after it.
        .filter(events::seq.gt(webhooks::cursor_seq - crate::events::MAX_PACK))
        .filter(events::last_seq.gt(webhooks::cursor_seq))
        .order(events::seq.asc())
        .select(events::occurred_at)
        .limit(1)
        .single_value();
    webhooks::table
        .filter(webhooks::enabled.eq(true))
        .select((webhooks::id, webhooks::cursor_seq, last_seq, oldest))
        .load(conn)
}

/// One attempt to deliver an event (or a ping, or a batch of events) to a subscription.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub workspace_id: String,
    pub webhook_id: String,
    /// The event, or a batch's first.
    pub event_id: String,
    pub event_type: String,
    pub event_seq: i64,
    /// Events the POST carried.
    pub event_count: i32,
    /// A batch's event ids in order (JSON array); `None` for a single event's POST.
    pub event_ids: Option<String>,
    pub attempt: i32,
    /// `automatic`, `redelivery` or `ping`.
    pub trigger: String,
    /// `delivered`, `retrying` or `failed`.
    pub outcome: String,
    pub status_code: Option<i32>,
    pub latency_ms: i64,
    pub error: Option<String>,
    pub next_retry_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn insert_deliveries(conn: &mut DbConn, rows: &[DeliveryRow]) -> QueryResult<()> {
    // SQLite binds at most 32,766 parameters per statement: 16 per row.
    for chunk in rows.chunks(1_000) {
        crate::per_backend!(&mut *conn, |c| diesel::insert_into(
            webhook_deliveries::table
        )
        .values(chunk)
        .execute(c))?;
    }
    Ok(())
}

/// A subscription's attempts, newest first, after the cursor `before` (an attempt id).
pub fn list_deliveries(
    conn: &mut DbConn,
    workspace_id: &str,
    webhook_id: &str,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<DeliveryRow>> {
    let mut query = webhook_deliveries::table
        .filter(webhook_deliveries::workspace_id.eq(workspace_id))
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .select(DeliveryRow::as_select())
        .order(webhook_deliveries::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(webhook_deliveries::id.lt(before.to_owned()));
    }
    query.load(conn)
}

pub fn find_delivery(
    conn: &mut DbConn,
    workspace_id: &str,
    webhook_id: &str,
    id: &str,
) -> QueryResult<Option<DeliveryRow>> {
    webhook_deliveries::table
        .filter(webhook_deliveries::workspace_id.eq(workspace_id))
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .filter(webhook_deliveries::id.eq(id))
        .select(DeliveryRow::as_select())
        .get_result(conn)
        .optional()
}

/// Forgets attempts older than `before` (kept as long as the events they carried).
pub fn purge_deliveries(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::created_at.lt(before)))
        .execute(conn)
}
