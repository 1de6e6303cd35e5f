//! Complaints, their timeline (status changes, notes, compensations), what each paid, and
//! the workspace's complaint settings. Reads join live accounts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{complaint_compensations, complaint_history, complaint_settings, complaints};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = complaints, treat_none_as_null = true)]
pub struct ComplaintRow {
    pub id: String,
    pub workspace_id: String,
    pub account_id: String,
    pub order_id: Option<String>,
    pub contact_id: Option<String>,
    pub interaction_id: Option<String>,
    pub feedback_id: Option<String>,
    pub category: String,
    pub severity: String,
    pub channel: Option<String>,
    pub owner_id: Option<String>,
    pub subject: String,
    pub description: Option<String>,
    pub status: String,
    pub opened_at: NaiveDateTime,
    pub first_response_due_at: NaiveDateTime,
    pub resolution_due_at: NaiveDateTime,
    pub first_responded_at: Option<NaiveDateTime>,
    pub resolved_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub first_response_breached_at: Option<NaiveDateTime>,
    pub resolution_breached_at: Option<NaiveDateTime>,
    pub outcome: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Default, Clone)]
pub struct ComplaintFilter {
    pub account_id: Option<String>,
    pub status: Option<String>,
    pub severity: Option<String>,
    pub category: Option<String>,
    pub owner_id: Option<String>,
    pub opened_after: Option<NaiveDateTime>,
    pub opened_before: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, row: &ComplaintRow) -> QueryResult<()> {
    diesel::insert_into(complaints::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A complaint of a live account of the workspace.
pub fn find(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<ComplaintRow>> {
    of_live_accounts!(complaints::table)
        .filter(complaints::workspace_id.eq(workspace_id))
        .filter(complaints::id.eq(id))
        .select(ComplaintRow::as_select())
        .get_result(conn)
        .optional()
}

/// [`find`], locking the row (PostgreSQL) so concurrent resolutions of one complaint queue.
pub fn lock(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<ComplaintRow>> {
    let exists = find(conn, workspace_id, id)?;
    if exists.is_none() {
        return Ok(None);
    }
    let query = complaints::table
        .filter(complaints::workspace_id.eq(workspace_id))
        .filter(complaints::id.eq(id));
    match conn {
        DbConn::Pg(c) => query
            .select(ComplaintRow::as_select())
            .for_update()
            .get_result(c)
            .optional(),
        DbConn::Sqlite(c) => query
            .select(ComplaintRow::as_select())
            .get_result(c)
            .optional(),
    }
}

/// Writes `row` over the stored complaint when its version is still `expected_version`.
pub fn update(conn: &mut DbConn, row: &ComplaintRow, expected_version: i64) -> QueryResult<usize> {
    diesel::update(
        complaints::table
            .filter(complaints::workspace_id.eq(&row.workspace_id))
            .filter(complaints::id.eq(&row.id))
            .filter(complaints::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)
}

/// One page of complaints, newest first (`opened_at`, then id).
pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    filter: &ComplaintFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<ComplaintRow>> {
    let mut query = of_live_accounts!(complaints::table)
        .filter(complaints::workspace_id.eq(workspace_id))
        .select(ComplaintRow::as_select())
        .order((complaints::opened_at.desc(), complaints::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(v) = &filter.account_id {
        query = query.filter(complaints::account_id.eq(v.clone()));
    }
    if let Some(v) = &filter.status {
        query = query.filter(complaints::status.eq(v.clone()));
    }
    if let Some(v) = &filter.severity {
        query = query.filter(complaints::severity.eq(v.clone()));
    }
    if let Some(v) = &filter.category {
        query = query.filter(complaints::category.eq(v.clone()));
    }
    if let Some(v) = &filter.owner_id {
        query = query.filter(complaints::owner_id.eq(v.clone()));
    }
    if let Some(v) = filter.opened_after {
        query = query.filter(complaints::opened_at.ge(v));
    }
    if let Some(v) = filter.opened_before {
        query = query.filter(complaints::opened_at.lt(v));
    }
    if let Some((at, id)) = after {
        query = query.filter(
            complaints::opened_at
                .lt(at)
                .or(complaints::opened_at.eq(at).and(complaints::id.lt(id))),
        );
    }
    query.load(conn)
}

/// Complaints of live accounts whose first response or resolution is overdue at `at` and
/// whose breach was not published yet, oldest due first, across workspaces (the SLA job).
pub fn breaches_due(
    conn: &mut DbConn,
    at: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<ComplaintRow>> {
    of_live_accounts!(complaints::table)
        .filter(complaints::status.eq_any(rapport_domain::feedback::ACTIVE_STATUSES))
        .filter(
            complaints::first_responded_at
                .is_null()
                .and(complaints::first_response_breached_at.is_null())
                .and(complaints::first_response_due_at.le(at))
                .or(complaints::resolution_breached_at
                    .is_null()
                    .and(complaints::resolution_due_at.le(at))),
        )
        .select(ComplaintRow::as_select())
        .order((complaints::resolution_due_at.asc(), complaints::id.asc()))
        .limit(limit)
        .load(conn)
}

/// How many active complaints the account has.
pub fn active_count(conn: &mut DbConn, workspace_id: &str, account_id: &str) -> QueryResult<i64> {
    complaints::table
        .filter(complaints::workspace_id.eq(workspace_id))
        .filter(complaints::account_id.eq(account_id))
        .filter(complaints::status.eq_any(rapport_domain::feedback::ACTIVE_STATUSES))
        .count()
        .get_result(conn)
}

// ---------------------------------------------------------------------------------------
// Timeline

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = complaint_history)]
pub struct HistoryRow {
    pub id: String,
    pub workspace_id: String,
    pub complaint_id: String,
    /// `status`, `note`, `assigned`, `compensation`.
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub body: Option<String>,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub occurred_at: NaiveDateTime,
}

pub fn insert_history(conn: &mut DbConn, row: &HistoryRow) -> QueryResult<()> {
    diesel::insert_into(complaint_history::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A complaint's timeline, oldest first.
pub fn history(
    conn: &mut DbConn,
    workspace_id: &str,
    complaint_id: &str,
) -> QueryResult<Vec<HistoryRow>> {
    complaint_history::table
        .filter(complaint_history::workspace_id.eq(workspace_id))
        .filter(complaint_history::complaint_id.eq(complaint_id))
        .order((
            complaint_history::occurred_at.asc(),
            complaint_history::id.asc(),
        ))
        .select(HistoryRow::as_select())
        .load(conn)
}

// ---------------------------------------------------------------------------------------
// Compensations

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = complaint_compensations)]
pub struct CompensationRow {
    pub workspace_id: String,
    pub complaint_id: String,
    /// `points` or `refund`.
    pub kind: String,
    pub points: Option<i64>,
    pub amount: Option<i64>,
    pub currency: Option<String>,
    pub reporting_amount: Option<i64>,
    pub order_id: Option<String>,
    /// The ledger entry or the refund.
    pub reference_id: Option<String>,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert_compensation(conn: &mut DbConn, row: &CompensationRow) -> QueryResult<()> {
    diesel::insert_into(complaint_compensations::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn compensations(
    conn: &mut DbConn,
    workspace_id: &str,
    complaint_id: &str,
) -> QueryResult<Vec<CompensationRow>> {
    complaint_compensations::table
        .filter(complaint_compensations::workspace_id.eq(workspace_id))
        .filter(complaint_compensations::complaint_id.eq(complaint_id))
        .order(complaint_compensations::kind.asc())
        .select(CompensationRow::as_select())
        .load(conn)
}

// ---------------------------------------------------------------------------------------
// Settings

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = complaint_settings)]
pub struct SettingsRow {
    pub workspace_id: String,
    pub definition: String,
    pub version: i64,
    pub updated_at: NaiveDateTime,
}

pub fn find_settings(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Option<SettingsRow>> {
    complaint_settings::table
        .filter(complaint_settings::workspace_id.eq(workspace_id))
        .select(SettingsRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn insert_settings(conn: &mut DbConn, row: &SettingsRow) -> QueryResult<()> {
    diesel::insert_into(complaint_settings::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update_settings(
    conn: &mut DbConn,
    row: &SettingsRow,
    expected_version: i64,
) -> QueryResult<usize> {
    diesel::update(
        complaint_settings::table
            .filter(complaint_settings::workspace_id.eq(&row.workspace_id))
            .filter(complaint_settings::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)
}

// ---------------------------------------------------------------------------------------
// Analytics

use diesel::sql_types::{BigInt, Text, Timestamp};

/// Complaints opened in the window, per category, with their service levels and what
/// their compensations paid.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct CategoryCounts {
    #[diesel(sql_type = Text)]
    pub category: String,
    #[diesel(sql_type = BigInt)]
    pub opened: i64,
    #[diesel(sql_type = BigInt)]
    pub resolved: i64,
    #[diesel(sql_type = BigInt)]
    pub active: i64,
    #[diesel(sql_type = BigInt)]
    pub first_response_met: i64,
    #[diesel(sql_type = BigInt)]
    pub first_response_due: i64,
    #[diesel(sql_type = BigInt)]
    pub resolution_met: i64,
    #[diesel(sql_type = BigInt)]
    pub resolution_due: i64,
    #[diesel(sql_type = BigInt)]
    pub points: i64,
    #[diesel(sql_type = BigInt)]
    pub refunds: i64,
}

fn numbered(conn: &DbConn, sql: &str) -> String {
    match conn {
        DbConn::Sqlite(_) => sql.to_owned(),
        DbConn::Pg(_) => {
            let mut out = String::new();
            let mut n = 0;
            for ch in sql.chars() {
                if ch == '?' {
                    n += 1;
                    out.push_str(&format!("${n}"));
                } else {
                    out.push(ch);
                }
            }
            out
        }
    }
}

/// A service level counts as due once its due time is past `at` or it was met; met when
/// the response (resolution) came at or before its due time.
pub fn category_counts(
    conn: &mut DbConn,
    workspace_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
    at: NaiveDateTime,
) -> QueryResult<Vec<CategoryCounts>> {
    let sql = numbered(
        conn,
        &format!(
            "SELECT c.category, CAST(COUNT(*) AS BIGINT) AS opened, \
             CAST(SUM(CASE WHEN c.resolved_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS resolved, \
             CAST(SUM(CASE WHEN c.status IN ('open', 'in_progress', 'waiting_for_customer', 'reopened') THEN 1 ELSE 0 END) AS BIGINT) AS active, \
             CAST(SUM(CASE WHEN c.first_responded_at IS NOT NULL AND c.first_responded_at <= c.first_response_due_at THEN 1 ELSE 0 END) AS BIGINT) AS first_response_met, \
             CAST(SUM(CASE WHEN c.first_responded_at IS NOT NULL OR c.first_response_due_at <= ? THEN 1 ELSE 0 END) AS BIGINT) AS first_response_due, \
             CAST(SUM(CASE WHEN c.resolved_at IS NOT NULL AND c.resolved_at <= c.resolution_due_at THEN 1 ELSE 0 END) AS BIGINT) AS resolution_met, \
             CAST(SUM(CASE WHEN c.resolved_at IS NOT NULL OR c.resolution_due_at <= ? THEN 1 ELSE 0 END) AS BIGINT) AS resolution_due, \
             CAST(COALESCE(SUM(xp.points), 0) AS BIGINT) AS points, \
             CAST(COALESCE(SUM(xr.reporting_amount), 0) AS BIGINT) AS refunds \
             FROM complaints c \
             LEFT JOIN complaint_compensations xp ON xp.complaint_id = c.id AND xp.kind = 'points' \
             LEFT JOIN complaint_compensations xr ON xr.complaint_id = c.id AND xr.kind = 'refund' \
             WHERE c.workspace_id = ? AND c.opened_at >= ? AND c.opened_at < ? AND {live} \
             GROUP BY c.category ORDER BY c.category",
            live = not_deleted_account_sql!("c"),
        ),
    );
    crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Timestamp, _>(at)
        .bind::<Timestamp, _>(at)
        .bind::<Text, _>(workspace_id)
        .bind::<Timestamp, _>(from)
        .bind::<Timestamp, _>(to)
        .load::<CategoryCounts>(c))
}

#[derive(Debug, Clone, PartialEq, QueryableByName)]
struct Seconds {
    #[diesel(sql_type = BigInt)]
    seconds: i64,
}

/// Seconds from opening to the first response (`resolution = false`) or to the latest
/// resolution, of the complaints opened in the window that had one, ascending.
pub fn durations(
    conn: &mut DbConn,
    workspace_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
    resolution: bool,
) -> QueryResult<Vec<i64>> {
    let end = if resolution {
        "c.resolved_at"
    } else {
        "c.first_responded_at"
    };
    let diff = match conn {
        DbConn::Pg(_) => format!("CAST(EXTRACT(EPOCH FROM ({end} - c.opened_at)) AS BIGINT)"),
        DbConn::Sqlite(_) => {
            format!("CAST(ROUND((julianday({end}) - julianday(c.opened_at)) * 86400) AS BIGINT)")
        }
    };
    let sql = numbered(
        conn,
        &format!(
            "SELECT {diff} AS seconds FROM complaints c \
             WHERE c.workspace_id = ? AND c.opened_at >= ? AND c.opened_at < ? \
             AND {end} IS NOT NULL AND {live} ORDER BY 1",
            live = not_deleted_account_sql!("c"),
        ),
    );
    let rows = crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .bind::<Timestamp, _>(from)
        .bind::<Timestamp, _>(to)
        .load::<Seconds>(c))?;
    Ok(rows.into_iter().map(|r| r.seconds).collect())
}
