//! Pipelines and their stages, deals, and the stage history; the aggregates the pipeline
//! analytics are computed from. Every function takes the caller's workspace.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};

use crate::connection::DbConn;
use crate::schema::{deal_stage_changes, deal_stay_days, deals, pipeline_stages, pipelines};

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
    /// Given once in the pipeline when the stage is created; never changes (its position
    /// does). The history and the analytics rollups refer to stages by number.
    pub number: i32,
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
    /// When the deal's first stay began (`None`: no history yet).
    pub first_stage_change_at: Option<NaiveDateTime>,
    /// When its latest stay began.
    pub last_stage_change_at: Option<NaiveDateTime>,
    /// The numbers of every stage it ever entered (see [`StagesEntered`]).
    pub stages_entered: String,
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
    /// The `number` of `to_stage_id`.
    pub to_stage_number: i32,
}

/// The set of stage numbers a deal entered, stored as ascending comma-separated numbers
/// (`"0,1,3"`; empty: none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StagesEntered(std::collections::BTreeSet<i32>);

impl StagesEntered {
    /// Reads the stored form; `None` when it is not a list of numbers.
    pub fn parse(text: &str) -> Option<Self> {
        if text.is_empty() {
            return Some(Self::default());
        }
        text.split(',')
            .map(|n| n.trim().parse::<i32>().ok())
            .collect::<Option<_>>()
            .map(Self)
    }

    pub fn with(mut self, number: i32) -> Self {
        self.0.insert(number);
        self
    }

    pub fn numbers(&self) -> impl Iterator<Item = i32> + '_ {
        self.0.iter().copied()
    }

    /// The stored form.
    pub fn stored(&self) -> String {
        let numbers: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        numbers.join(",")
    }
}

/// Stays that began on one UTC day in one stage and lasted `hours` whole hours (-1: not left
/// yet); as a change, `stays` is what to add.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = deal_stay_days)]
pub struct StayDayRow {
    pub workspace_id: String,
    pub pipeline_id: String,
    /// Days since 1970-01-01.
    pub day: i32,
    pub stage_number: i32,
    pub hours: i64,
    pub stays: i64,
}

/// The `hours` of a stay not left yet.
pub const NOT_LEFT: i64 = -1;

/// The UTC day of an instant, in days since 1970-01-01.
pub fn day_of(t: NaiveDateTime) -> i32 {
    let days = t
        .date()
        .signed_duration_since(chrono::NaiveDate::default())
        .num_days();
    i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX })
}

/// Midnight (UTC) starting the day `day`.
fn start_of_day(day: i32) -> NaiveDateTime {
    chrono::TimeDelta::try_days(i64::from(day))
        .and_then(|days| chrono::NaiveDate::default().checked_add_signed(days))
        .unwrap_or(if day < 0 {
            chrono::NaiveDate::MIN
        } else {
            chrono::NaiveDate::MAX
        })
        .and_time(chrono::NaiveTime::MIN)
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

/// How many live deals (of live accounts) sit in the stage now.
pub fn count_deals_in_stage(
    conn: &mut DbConn,
    workspace_id: &str,
    stage_id: &str,
) -> QueryResult<i64> {
    of_live_accounts!(deals::table)
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
    of_live_accounts!(deals::table)
        .filter(deals::workspace_id.eq(workspace_id))
        .filter(deals::id.eq(id))
        .filter(deals::deleted_at.is_null())
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

/// One page of live deals of live accounts in id (creation) order after `after`.
pub fn list_deals(
    conn: &mut DbConn,
    workspace_id: &str,
    filter: &DealFilter,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<DealRow>> {
    let mut query = of_live_accounts!(deals::table)
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

/// Live deals of these accounts (the live ones) that are open (for profiles and loaders).
pub fn open_deals_of_accounts(
    conn: &mut DbConn,
    workspace_id: &str,
    account_ids: &[String],
) -> QueryResult<Vec<DealRow>> {
    of_live_accounts!(deals::table)
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

/// Adds `changes` (stays to add per day, stage and hours; negative: to take away) to the
/// per-day stay rollup, in one statement per backend. Rows with the same key are merged and
/// written in key order, so two moves never lock rollup rows in opposite orders.
pub fn add_stays(conn: &mut DbConn, changes: &[StayDayRow]) -> QueryResult<()> {
    use deal_stay_days::dsl as d;
    use diesel::upsert::excluded;
    use std::collections::BTreeMap;
    let mut merged: BTreeMap<(&str, &str, i32, i32, i64), i64> = BTreeMap::new();
    for c in changes {
        let key = (
            c.workspace_id.as_str(),
            c.pipeline_id.as_str(),
            c.day,
            c.stage_number,
            c.hours,
        );
        *merged.entry(key).or_default() += c.stays;
    }
    let rows: Vec<StayDayRow> = merged
        .into_iter()
        .filter(|(_, stays)| *stays != 0)
        .map(
            |((workspace_id, pipeline_id, day, stage_number, hours), stays)| StayDayRow {
                workspace_id: workspace_id.to_owned(),
                pipeline_id: pipeline_id.to_owned(),
                day,
                stage_number,
                hours,
                stays,
            },
        )
        .collect();
    for chunk in rows.chunks(1_000) {
        match conn {
            DbConn::Pg(c) => {
                diesel::insert_into(d::deal_stay_days)
                    .values(chunk)
                    .on_conflict((
                        d::workspace_id,
                        d::pipeline_id,
                        d::day,
                        d::stage_number,
                        d::hours,
                    ))
                    .do_update()
                    .set(d::stays.eq(d::stays + excluded(d::stays)))
                    .execute(c)?;
            }
            // Diesel builds no multi-row upsert for SQLite; in-process statements are cheap.
            DbConn::Sqlite(c) => {
                for row in chunk {
                    diesel::insert_into(d::deal_stay_days)
                        .values(row)
                        .on_conflict((
                            d::workspace_id,
                            d::pipeline_id,
                            d::day,
                            d::stage_number,
                            d::hours,
                        ))
                        .do_update()
                        .set(d::stays.eq(d::stays + excluded(d::stays)))
                        .execute(c)?;
                }
            }
        }
    }
    Ok(())
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
    /// The sum of the amounts, split as [`crate::sums`] explains: see `amount()`.
    #[diesel(sql_type = BigInt)]
    pub amount_high: i64,
    #[diesel(sql_type = BigInt)]
    pub amount_low: i64,
}

impl OpenDealGroup {
    /// The exact sum of the group's amounts (it may exceed an `i64`).
    pub fn amount(&self) -> i128 {
        crate::sums::join(self.amount_high, self.amount_low)
    }
}

/// Stays that began in the period, by stage number and whole hours stayed (`None`: not
/// left yet).
#[derive(Debug, Clone, QueryableByName)]
pub struct StayGroup {
    #[diesel(sql_type = Integer)]
    pub stage_number: i32,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub hours: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub stays: i64,
}

/// How many deals, among those whose whole history lies in the period, entered exactly
/// this set of stages ([`StagesEntered`] stored form).
#[derive(Debug, Clone, QueryableByName)]
pub struct EnteredGroup {
    #[diesel(sql_type = Text)]
    pub stages_entered: String,
    #[diesel(sql_type = BigInt)]
    pub deals: i64,
}

/// A stage that a deal with history on both sides of a period end entered in the period.
#[derive(Debug, Clone, QueryableByName)]
pub struct DealEntry {
    #[diesel(sql_type = Text)]
    pub deal_id: String,
    #[diesel(sql_type = Integer)]
    pub stage_number: i32,
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
    /// The sum of the amounts, split as [`crate::sums`] explains: see `amount()`.
    #[diesel(sql_type = BigInt)]
    pub amount_high: i64,
    #[diesel(sql_type = BigInt)]
    pub amount_low: i64,
}

impl ClosedGroup {
    /// The exact sum of the group's amounts (it may exceed an `i64`).
    pub fn amount(&self) -> i128 {
        crate::sums::join(self.amount_high, self.amount_low)
    }
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
        concat!(
            "SELECT currency, substr(expected_close_on, 1, 7) AS month, owner_id, stage_id, \
         COUNT(*) AS deals, CAST(SUM(amount / 4294967296) AS BIGINT) AS amount_high, \
         CAST(SUM(amount % 4294967296) AS BIGINT) AS amount_low \
         FROM deals WHERE workspace_id = ? AND pipeline_id = ? AND status = 'open' \
         AND deleted_at IS NULL AND ",
            live_account_sql!("deals"),
            " GROUP BY currency, substr(expected_close_on, 1, 7), owner_id, stage_id"
        ),
        OpenDealGroup,
        [(Text, workspace_id), (Text, pipeline_id)]
    )
}

/// Stays that began in `from..to`, from the history itself (for parts of a day).
pub fn stay_groups(
    conn: &mut DbConn,
    workspace_id: &str,
    pipeline_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<StayGroup>> {
    grouped!(
        conn,
        "SELECT to_stage_number AS stage_number, seconds_in_stage / 3600 AS hours, \
         COUNT(*) AS stays \
         FROM deal_stage_changes \
         WHERE workspace_id = ? AND pipeline_id = ? AND changed_at >= ? AND changed_at < ? \
         GROUP BY to_stage_number, seconds_in_stage / 3600",
        StayGroup,
        [
            (Text, workspace_id),
            (Text, pipeline_id),
            (Timestamp, from),
            (Timestamp, to)
        ]
    )
}

/// Stays that began on the UTC days `from_day..to_day`, from the per-day rollup.
pub fn stay_day_groups(
    conn: &mut DbConn,
    workspace_id: &str,
    pipeline_id: &str,
    from_day: i32,
    to_day: i32,
) -> QueryResult<Vec<StayGroup>> {
    grouped!(
        conn,
        "SELECT stage_number, CASE WHEN hours < 0 THEN NULL ELSE hours END AS hours, \
         CAST(SUM(stays) AS BIGINT) AS stays \
         FROM deal_stay_days \
         WHERE workspace_id = ? AND pipeline_id = ? AND day >= ? AND day < ? \
         GROUP BY stage_number, hours",
        StayGroup,
        [
            (Text, workspace_id),
            (Text, pipeline_id),
            (Integer, from_day),
            (Integer, to_day)
        ]
    )
}

/// Stays that began in `from..to`: whole UTC days from the rollup, the partial days at
/// either end from the history.
pub fn stays_in_period(
    conn: &mut DbConn,
    workspace_id: &str,
    pipeline_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<StayGroup>> {
    // First whole day: the day `from` starts, or the next one when `from` is not midnight.
    let first_day = if from == start_of_day(day_of(from)) {
        day_of(from)
    } else {
        day_of(from).saturating_add(1)
    };
    let end_day = day_of(to);
    if first_day >= end_day {
        return stay_groups(conn, workspace_id, pipeline_id, from, to);
    }
    let mut groups = stay_day_groups(conn, workspace_id, pipeline_id, first_day, end_day)?;
    let (whole_from, whole_to) = (start_of_day(first_day), start_of_day(end_day));
    if from < whole_from {
        groups.extend(stay_groups(
            conn,
            workspace_id,
            pipeline_id,
            from,
            whole_from,
        )?);
    }
    if whole_to < to {
        groups.extend(stay_groups(conn, workspace_id, pipeline_id, whole_to, to)?);
    }
    Ok(groups)
}

/// Deals whose whole history (first to latest stay) began in `from..to`, by the set of
/// stages they entered: their stays in the period are all they have.
pub fn entered_groups(
    conn: &mut DbConn,
    workspace_id: &str,
    pipeline_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<EnteredGroup>> {
    grouped!(
        conn,
        "SELECT stages_entered, COUNT(*) AS deals FROM deals \
         WHERE workspace_id = ? AND pipeline_id = ? \
         AND first_stage_change_at >= ? AND last_stage_change_at < ? \
         GROUP BY stages_entered",
        EnteredGroup,
        [
            (Text, workspace_id),
            (Text, pipeline_id),
            (Timestamp, from),
            (Timestamp, to)
        ]
    )
}

/// The stages entered in `from..to` by the deals whose history reaches out of the period
/// on either side, one row per deal and stage, from the history itself.
///
/// The deals drive the join (`CROSS JOIN` fixes the order on SQLite; PostgreSQL plans it as
/// an inner join): there are few straddling deals, and each one's stays come from the
/// per-deal index. Left to itself SQLite scanned every stay in the period and looked its deal
/// up, 3 s for a year of 1M stays against 50 ms this way.
pub fn straddling_entries(
    conn: &mut DbConn,
    workspace_id: &str,
    pipeline_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<DealEntry>> {
    grouped!(
        conn,
        "SELECT c.deal_id, c.to_stage_number AS stage_number \
         FROM deals d CROSS JOIN deal_stage_changes c \
         WHERE c.deal_id = d.id AND d.workspace_id = ? AND d.pipeline_id = ? \
         AND d.first_stage_change_at < ? AND d.last_stage_change_at >= ? \
         AND (d.first_stage_change_at < ? OR d.last_stage_change_at >= ?) \
         AND c.workspace_id = ? AND c.pipeline_id = ? \
         AND c.changed_at >= ? AND c.changed_at < ? \
         GROUP BY c.deal_id, c.to_stage_number",
        DealEntry,
        [
            (Text, workspace_id),
            (Text, pipeline_id),
            (Timestamp, to),
            (Timestamp, from),
            (Timestamp, from),
            (Timestamp, to),
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
        concat!(
            "SELECT status, source, currency, COUNT(*) AS deals, \
         CAST(SUM(amount / 4294967296) AS BIGINT) AS amount_high, \
         CAST(SUM(amount % 4294967296) AS BIGINT) AS amount_low \
         FROM deals WHERE workspace_id = ? AND pipeline_id = ? AND status <> 'open' \
         AND deleted_at IS NULL AND closed_at >= ? AND closed_at < ? AND ",
            live_account_sql!("deals"),
            " GROUP BY status, source, currency"
        ),
        ClosedGroup,
        [
            (Text, workspace_id),
            (Text, pipeline_id),
            (Timestamp, from),
            (Timestamp, to)
        ]
    )
}

/// Everything the pipeline analytics read, from one snapshot.
#[derive(Debug, Clone)]
pub struct PipelineAggregates {
    pub open: Vec<OpenDealGroup>,
    pub stays: Vec<StayGroup>,
    pub entered: Vec<EnteredGroup>,
    pub straddling: Vec<DealEntry>,
    pub closed: Vec<ClosedGroup>,
}

/// Runs the grouped queries in one transaction (one snapshot on PostgreSQL).
pub fn pipeline_aggregates(
    conn: &mut DbConn,
    workspace_id: &str,
    pipeline_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<PipelineAggregates> {
    conn.transaction(|conn| {
        Ok(PipelineAggregates {
            open: open_deal_groups(conn, workspace_id, pipeline_id)?,
            stays: stays_in_period(conn, workspace_id, pipeline_id, from, to)?,
            entered: entered_groups(conn, workspace_id, pipeline_id, from, to)?,
            straddling: straddling_entries(conn, workspace_id, pipeline_id, from, to)?,
            closed: closed_groups(conn, workspace_id, pipeline_id, from, to)?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres() {
        assert_eq!(numbered("a = ? AND b < ?"), "a = $1 AND b < $2");
    }

    #[test]
    fn stage_sets_read_and_write_their_stored_form() {
        let set = StagesEntered::parse("0,3").unwrap().with(1).with(3);
        assert_eq!(set.stored(), "0,1,3");
        assert_eq!(StagesEntered::parse("").unwrap().stored(), "");
        assert_eq!(StagesEntered::parse("10,2").unwrap().stored(), "2,10");
        assert_eq!(StagesEntered::parse("1,x"), None);
    }

    #[test]
    fn days_count_from_the_epoch() {
        let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(day_of(t("1970-01-01 23:59:59")), 0);
        assert_eq!(day_of(t("1970-01-02 00:00:00")), 1);
        assert_eq!(day_of(t("1969-12-31 12:00:00")), -1);
        assert_eq!(
            start_of_day(day_of(t("2026-11-23 10:00:00"))),
            t("2026-11-23 00:00:00")
        );
    }
}
