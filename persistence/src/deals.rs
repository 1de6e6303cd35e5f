//! Pipelines and their stages, deals, and the stage history; the aggregates the pipeline
//! analytics are computed from. Every function takes the caller's workspace.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};

use crate::connection::DbConn;
use crate::schema::{accounts, deal_stage_changes, deals, pipeline_stages, pipelines};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = pipelines, treat_none_as_null = true)]
pub struct PipelineRow {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub archived_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = pipeline_stages, treat_none_as_null = true)]
pub struct StageRow {
    pub id: String,
    pub workspace_id: String,
    pub pipeline_id: String,
    pub name: String,
    pub probability: i32,
    pub kind: String,
    pub position: i32,
    pub created_at: NaiveDateTime,
    pub archived_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = deals, treat_none_as_null = true)]
pub struct DealRow {
    pub id: String,
    pub workspace_id: String,
    pub account_id: String,
    pub contact_id: Option<String>,
    pub title: String,
    pub amount: i64,
    pub currency: String,
    pub pipeline_id: String,
    pub stage_id: String,
    /// `open`, `won` or `lost`: the kind of the stage it is in.
    pub status: String,
    pub owner_id: Option<String>,
    /// `YYYY-MM-DD`.
    pub expected_close_on: Option<String>,
    pub source: Option<String>,
    pub lost_reason: Option<String>,
    pub stage_entered_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

/// One stay of a deal in a stage: how it got there, and (once it left) how long it stayed.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = deal_stage_changes)]
pub struct StageChangeRow {
    pub id: String,
    pub workspace_id: String,
    pub deal_id: String,
    pub pipeline_id: String,
    pub from_stage_id: Option<String>,
    pub to_stage_id: String,
    pub lost_reason: Option<String>,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub changed_at: NaiveDateTime,
    pub left_at: Option<NaiveDateTime>,
    pub seconds_in_stage: Option<i64>,
}

// ---------------------------------------------------------------------------------------
// Pipelines and stages

pub fn insert_pipeline(conn: &mut DbConn, row: &PipelineRow) -> QueryResult<()> {
    diesel::insert_into(pipelines::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A pipeline of the workspace, archived or not.
pub fn find_pipeline(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
) -> QueryResult<Option<PipelineRow>> {
    pipelines::table
        .filter(pipelines::workspace_id.eq(workspace_id))
        .filter(pipelines::id.eq(id))
        .select(PipelineRow::as_select())
        .get_result(conn)
        .optional()
}

/// Writes `row` when the stored version is still `expected_version`; rows changed.
pub fn update_pipeline(
    conn: &mut DbConn,
    row: &PipelineRow,
    expected_version: i64,
) -> QueryResult<usize> {
    diesel::update(
        pipelines::table
            .filter(pipelines::workspace_id.eq(&row.workspace_id))
            .filter(pipelines::id.eq(&row.id))
            .filter(pipelines::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)
}

/// One page of pipelines in id order after `after`.
pub fn list_pipelines(
    conn: &mut DbConn,
    workspace_id: &str,
    include_archived: bool,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<PipelineRow>> {
    let mut query = pipelines::table
        .filter(pipelines::workspace_id.eq(workspace_id))
        .select(PipelineRow::as_select())
        .order(pipelines::id.asc())
        .limit(limit)
        .into_boxed();
    if !include_archived {
        query = query.filter(pipelines::archived_at.is_null());
    }
    if let Some(after) = after {
        query = query.filter(pipelines::id.gt(after.to_owned()));
    }
    query.load(conn)
}

pub fn insert_stages(conn: &mut DbConn, rows: &[StageRow]) -> QueryResult<()> {
    // Multi-row inserts differ per backend (SQLite has no DEFAULT keyword).
    crate::per_backend!(conn, |c| diesel::insert_into(pipeline_stages::table)
        .values(rows)
        .execute(c))
    .map(|_| ())
}

pub fn update_stage(conn: &mut DbConn, row: &StageRow) -> QueryResult<usize> {
    diesel::update(
        pipeline_stages::table
            .filter(pipeline_stages::workspace_id.eq(&row.workspace_id))
            .filter(pipeline_stages::id.eq(&row.id)),
    )
    .set(row)
    .execute(conn)
}

/// Every stage (archived too) of the given pipelines, by pipeline then position.
pub fn stages_of(
    conn: &mut DbConn,
    workspace_id: &str,
    pipeline_ids: &[String],
) -> QueryResult<Vec<StageRow>> {
    pipeline_stages::table
        .filter(pipeline_stages::workspace_id.eq(workspace_id))
        .filter(pipeline_stages::pipeline_id.eq_any(pipeline_ids))
        .order((pipeline_stages::pipeline_id, pipeline_stages::position))
        .select(StageRow::as_select())
        .load(conn)
}

/// A stage of the workspace, in any pipeline.
pub fn find_stage(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
) -> QueryResult<Option<StageRow>> {
    pipeline_stages::table
        .filter(pipeline_stages::workspace_id.eq(workspace_id))
        .filter(pipeline_stages::id.eq(id))
        .select(StageRow::as_select())
        .get_result(conn)
        .optional()
}

/// How many live deals sit in the stage now.
pub fn count_deals_in_stage(
    conn: &mut DbConn,
    workspace_id: &str,
    stage_id: &str,
) -> QueryResult<i64> {
    deals::table
        .filter(deals::workspace_id.eq(workspace_id))
        .filter(deals::stage_id.eq(stage_id))
        .filter(deals::deleted_at.is_null())
        .count()
        .get_result(conn)
}

// ---------------------------------------------------------------------------------------
// Deals

pub fn insert_deals(conn: &mut DbConn, rows: &[DealRow]) -> QueryResult<()> {
    // Multi-row inserts differ per backend (SQLite has no DEFAULT keyword).
    crate::per_backend!(conn, |c| diesel::insert_into(deals::table)
        .values(rows)
        .execute(c))
    .map(|_| ())
}

/// A live deal of a live account of the workspace.
pub fn find_deal(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<DealRow>> {
    deals::table
        .inner_join(accounts::table)
        .filter(deals::workspace_id.eq(workspace_id))
        .filter(deals::id.eq(id))
        .filter(deals::deleted_at.is_null())
        .filter(accounts::deleted_at.is_null())
        .select(DealRow::as_select())
        .get_result(conn)
        .optional()
}

/// Writes `row` when the stored version is still `expected_version`; rows changed (0 = gone
/// or changed meanwhile: the loser of two concurrent writes).
pub fn update_deal(conn: &mut DbConn, row: &DealRow, expected_version: i64) -> QueryResult<usize> {
    diesel::update(
        deals::table
            .filter(deals::workspace_id.eq(&row.workspace_id))
            .filter(deals::id.eq(&row.id))
            .filter(deals::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)
}

/// Which deals a list returns; every field narrows.
#[derive(Debug, Default, Clone)]
pub struct DealFilter {
    pub account_id: Option<String>,
    pub pipeline_id: Option<String>,
    pub stage_id: Option<String>,
    pub owner_id: Option<String>,
    pub status: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub expected_close_from: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub expected_close_to: Option<String>,
}

/// One page of live deals in id (creation) order after `after`.
pub fn list_deals(
    conn: &mut DbConn,
    workspace_id: &str,
    filter: &DealFilter,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<DealRow>> {
    let mut query = deals::table
        .filter(deals::workspace_id.eq(workspace_id))
        .filter(deals::deleted_at.is_null())
        .select(DealRow::as_select())
        .order(deals::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(v) = &filter.account_id {
        query = query.filter(deals::account_id.eq(v.clone()));
    }
    if let Some(v) = &filter.pipeline_id {
        query = query.filter(deals::pipeline_id.eq(v.clone()));
    }
    if let Some(v) = &filter.stage_id {
        query = query.filter(deals::stage_id.eq(v.clone()));
    }
    if let Some(v) = &filter.owner_id {
        query = query.filter(deals::owner_id.eq(v.clone()));
    }
    if let Some(v) = &filter.status {
        query = query.filter(deals::status.eq(v.clone()));
    }
    if let Some(v) = &filter.expected_close_from {
        query = query.filter(deals::expected_close_on.ge(v.clone()));
    }
    if let Some(v) = &filter.expected_close_to {
        query = query.filter(deals::expected_close_on.le(v.clone()));
    }
    if let Some(after) = after {
        query = query.filter(deals::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// Live deals of these accounts that are open (for profiles and loaders).
pub fn open_deals_of_accounts(
    conn: &mut DbConn,
    workspace_id: &str,
    account_ids: &[String],
) -> QueryResult<Vec<DealRow>> {
    deals::table
        .filter(deals::workspace_id.eq(workspace_id))
        .filter(deals::account_id.eq_any(account_ids))
        .filter(deals::status.eq("open"))
        .filter(deals::deleted_at.is_null())
        .order(deals::id.asc())
        .select(DealRow::as_select())
        .load(conn)
}

// ---------------------------------------------------------------------------------------
// Stage history

pub fn insert_changes(conn: &mut DbConn, rows: &[StageChangeRow]) -> QueryResult<()> {
    // Multi-row inserts differ per backend (SQLite has no DEFAULT keyword).
    crate::per_backend!(conn, |c| diesel::insert_into(deal_stage_changes::table)
        .values(rows)
        .execute(c))
    .map(|_| ())
}

/// The deal's current stay (the one not left yet).
pub fn current_stay(
    conn: &mut DbConn,
    workspace_id: &str,
    deal_id: &str,
) -> QueryResult<Option<StageChangeRow>> {
    deal_stage_changes::table
        .filter(deal_stage_changes::workspace_id.eq(workspace_id))
        .filter(deal_stage_changes::deal_id.eq(deal_id))
        .filter(deal_stage_changes::left_at.is_null())
        .select(StageChangeRow::as_select())
        .get_result(conn)
        .optional()
}

/// Ends a stay: when the deal left the stage and how many seconds it stayed.
pub fn end_stay(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    left_at: NaiveDateTime,
    seconds: i64,
) -> QueryResult<usize> {
    diesel::update(
        deal_stage_changes::table
            .filter(deal_stage_changes::workspace_id.eq(workspace_id))
            .filter(deal_stage_changes::id.eq(id)),
    )
    .set((
        deal_stage_changes::left_at.eq(Some(left_at)),
        deal_stage_changes::seconds_in_stage.eq(Some(seconds)),
    ))
    .execute(conn)
}

/// A deal's stage history, oldest first.
pub fn history(
    conn: &mut DbConn,
    workspace_id: &str,
    deal_id: &str,
) -> QueryResult<Vec<StageChangeRow>> {
    deal_stage_changes::table
        .filter(deal_stage_changes::workspace_id.eq(workspace_id))
        .filter(deal_stage_changes::deal_id.eq(deal_id))
        .order((
            deal_stage_changes::changed_at.asc(),
            deal_stage_changes::id.asc(),
        ))
        .select(StageChangeRow::as_select())
        .load(conn)
}

// ---------------------------------------------------------------------------------------
// Analytics: grouped in SQL, folded in Rust. The same SQL on both backends, with `?`
// placeholders numbered for PostgreSQL.

/// Open deals grouped by currency, expected-close month (`YYYY-MM`), owner and stage.
#[derive(Debug, Clone, QueryableByName)]
pub struct OpenDealGroup {
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub month: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub owner_id: Option<String>,
    #[diesel(sql_type = Text)]
    pub stage_id: String,
    #[diesel(sql_type = BigInt)]
    pub deals: i64,
    #[diesel(sql_type = BigInt)]
    pub amount: i64,
}

/// Stays that began in the period, by stage and whole hours stayed (`None`: not left yet).
#[derive(Debug, Clone, QueryableByName)]
pub struct StayGroup {
    #[diesel(sql_type = Text)]
    pub stage_id: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub hours: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub stays: i64,
}

/// How many deals went at most as far as the stage at `position` in the period.
#[derive(Debug, Clone, QueryableByName)]
pub struct FurthestGroup {
    #[diesel(sql_type = Integer)]
    pub position: i32,
    #[diesel(sql_type = BigInt)]
    pub deals: i64,
}

/// Deals closed in the period by status, source and currency.
#[derive(Debug, Clone, QueryableByName)]
pub struct ClosedGroup {
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub source: Option<String>,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub deals: i64,
    #[diesel(sql_type = BigInt)]
    pub amount: i64,
}

/// `?` -> `$1`, `$2`, … for PostgreSQL.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

macro_rules! grouped {
    ($conn:expr, $sql:expr, $row:ty, [$(($ty:ty, $value:expr)),* $(,)?]) => {{
        let sqlite_sql: &str = $sql;
        match $conn {
            DbConn::Pg(c) => diesel::sql_query(numbered(sqlite_sql))
                $(.bind::<$ty, _>($value))*
                .load::<$row>(c),
            DbConn::Sqlite(c) => diesel::sql_query(sqlite_sql)
                $(.bind::<$ty, _>($value))*
                .load::<$row>(c),
        }
    }};
}

pub fn open_deal_groups(
    conn: &mut DbConn,
    workspace_id: &str,
    pipeline_id: &str,
) -> QueryResult<Vec<OpenDealGroup>> {
    grouped!(
        conn,
        "SELECT currency, substr(expected_close_on, 1, 7) AS month, owner_id, stage_id, \
         COUNT(*) AS deals, CAST(SUM(amount) AS BIGINT) AS amount \
         FROM deals WHERE workspace_id = ? AND pipeline_id = ? AND status = 'open' \
         AND deleted_at IS NULL \
         GROUP BY currency, substr(expected_close_on, 1, 7), owner_id, stage_id",
        OpenDealGroup,
        [(Text, workspace_id), (Text, pipeline_id)]
    )
}

pub fn stay_groups(
    conn: &mut DbConn,
    workspace_id: &str,
    pipeline_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<StayGroup>> {
    grouped!(
        conn,
        "SELECT to_stage_id AS stage_id, seconds_in_stage / 3600 AS hours, COUNT(*) AS stays \
         FROM deal_stage_changes \
         WHERE workspace_id = ? AND pipeline_id = ? AND changed_at >= ? AND changed_at < ? \
         GROUP BY to_stage_id, seconds_in_stage / 3600",
        StayGroup,
        [
            (Text, workspace_id),
            (Text, pipeline_id),
            (Timestamp, from),
            (Timestamp, to)
        ]
    )
}

pub fn furthest_groups(
    conn: &mut DbConn,
    workspace_id: &str,
    pipeline_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<FurthestGroup>> {
    grouped!(
        conn,
        "SELECT furthest AS position, COUNT(*) AS deals FROM ( \
           SELECT c.deal_id, MAX(s.position) AS furthest \
           FROM deal_stage_changes c JOIN pipeline_stages s ON s.id = c.to_stage_id \
           WHERE c.workspace_id = ? AND c.pipeline_id = ? AND c.changed_at >= ? \
           AND c.changed_at < ? AND s.kind <> 'lost' \
           GROUP BY c.deal_id) t \
         GROUP BY furthest",
        FurthestGroup,
        [
            (Text, workspace_id),
            (Text, pipeline_id),
            (Timestamp, from),
            (Timestamp, to)
        ]
    )
}

pub fn closed_groups(
    conn: &mut DbConn,
    workspace_id: &str,
    pipeline_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<ClosedGroup>> {
    grouped!(
        conn,
        "SELECT status, source, currency, COUNT(*) AS deals, \
         CAST(SUM(amount) AS BIGINT) AS amount \
         FROM deals WHERE workspace_id = ? AND pipeline_id = ? AND status <> 'open' \
         AND deleted_at IS NULL AND closed_at >= ? AND closed_at < ? \
         GROUP BY status, source, currency",
        ClosedGroup,
        [
            (Text, workspace_id),
            (Text, pipeline_id),
            (Timestamp, from),
            (Timestamp, to)
        ]
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_numbered_for_postgres() {
        assert_eq!(super::numbered("a = ? AND b < ?"), "a = $1 AND b < $2");
    }
}

/// Everything the pipeline analytics read, from one snapshot.
#[derive(Debug, Clone)]
pub struct PipelineAggregates {
    pub open: Vec<OpenDealGroup>,
    pub stays: Vec<StayGroup>,
    pub furthest: Vec<FurthestGroup>,
    pub closed: Vec<ClosedGroup>,
}

/// Runs the four grouped queries in one transaction (one snapshot on PostgreSQL). Grouping
/// 100,000 deals by id needs more than PostgreSQL's default 4 MB of `work_mem` to stay in
/// memory, so the transaction raises it for itself.
pub fn pipeline_aggregates(
    conn: &mut DbConn,
    workspace_id: &str,
    pipeline_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<PipelineAggregates> {
    use diesel::connection::SimpleConnection;
    conn.transaction(|conn| {
        if let DbConn::Pg(c) = conn {
            c.batch_execute("SET LOCAL work_mem = '64MB'")?;
        }
        Ok(PipelineAggregates {
            open: open_deal_groups(conn, workspace_id, pipeline_id)?,
            stays: stay_groups(conn, workspace_id, pipeline_id, from, to)?,
            furthest: furthest_groups(conn, workspace_id, pipeline_id, from, to)?,
            closed: closed_groups(conn, workspace_id, pipeline_id, from, to)?,
        })
    })
}
