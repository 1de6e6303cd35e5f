//! Campaigns: their rows, the audience snapshot taken at launch (members and arms), reported
//! exposures, the workspace's global-control settings, the members' running sums of the
//! orders attributed to them (maintained by the order writers, see [`add_to_members`] and
//! [`recompute_member_sums`]) and the per-arm sums results are computed from ([`member_sums`];
//! [`arm_sums`] is the same from a scan of the window's orders).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Nullable, Text, Timestamp};

use crate::connection::{Backend, DbConn};
use crate::schema::{
    account_metrics, account_predictions, accounts, campaign_exposures, campaign_members,
    campaign_settings, campaigns,
};
use crate::segments::RuleFilter;
use rapport_domain::crm::ConsentChannel;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = campaigns, treat_none_as_null = true)]
pub struct CampaignRow {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub goal: Option<String>,
    pub channel: String,
    pub segment_id: String,
    pub offer_id: Option<String>,
    pub currency: String,
    pub cost_fixed: i64,
    pub cost_per_contact: i64,
    pub attribution_window_days: i32,
    pub control_share: f64,
    pub stratify: bool,
    pub respect_global_control: bool,
    pub conversion_category: Option<String>,
    pub status: String,
    pub launched_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub completed_at: Option<NaiveDateTime>,
    pub eligible: i64,
    pub excluded_no_consent: i64,
    pub excluded_global_control: i64,
    pub treated: i64,
    pub control: i64,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = campaign_members)]
pub struct MemberRow {
    pub campaign_id: String,
    pub account_id: String,
    pub workspace_id: String,
    pub arm: String,
    pub rfm_segment: Option<String>,
    pub risk_band: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = campaign_exposures)]
pub struct ExposureRow {
    pub campaign_id: String,
    pub account_id: String,
    pub outcome: String,
    pub workspace_id: String,
    pub occurred_at: NaiveDateTime,
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = campaign_settings, treat_none_as_null = true)]
pub struct SettingsRow {
    pub workspace_id: String,
    pub global_control_share: f64,
    pub global_control_epoch: i64,
    pub redrawn_at: Option<NaiveDateTime>,
    pub redraw_every_days: Option<i32>,
    pub version: i64,
    pub updated_at: NaiveDateTime,
}

/// A live account a segment selects, with what launch decides on.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct AudienceRow {
    pub account_id: String,
    /// The account's consent status on the campaign's channel (`granted`, `withdrawn`…),
    /// `None` when it has none or the channel needs no consent.
    pub consent: Option<String>,
    pub rfm_segment: Option<String>,
    pub churn_probability: Option<f64>,
}

pub fn insert(conn: &mut DbConn, row: &CampaignRow) -> QueryResult<()> {
    diesel::insert_into(campaigns::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A live campaign of the workspace.
pub fn find(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<CampaignRow>> {
    campaigns::table
        .filter(campaigns::workspace_id.eq(workspace_id))
        .filter(campaigns::id.eq(id))
        .filter(campaigns::deleted_at.is_null())
        .select(CampaignRow::as_select())
        .get_result(conn)
        .optional()
}

/// Writes `row` when the stored version is still `expected_version` (rows changed: 0 or 1).
pub fn update(conn: &mut DbConn, row: &CampaignRow, expected_version: i64) -> QueryResult<usize> {
    diesel::update(
        campaigns::table
            .filter(campaigns::workspace_id.eq(&row.workspace_id))
            .filter(campaigns::id.eq(&row.id))
            .filter(campaigns::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)
}

/// Live campaigns by id, after `after`.
pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<CampaignRow>> {
    let mut query = campaigns::table
        .filter(campaigns::workspace_id.eq(workspace_id))
        .filter(campaigns::deleted_at.is_null())
        .select(CampaignRow::as_select())
        .order(campaigns::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(campaigns::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// Marks a draft launched (the first of concurrent launches wins: the others change
/// nothing). Rows changed: 0 or 1.
pub fn claim_launch(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    at: NaiveDateTime,
    ends_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        campaigns::table
            .filter(campaigns::workspace_id.eq(workspace_id))
            .filter(campaigns::id.eq(id))
            .filter(campaigns::status.eq("draft"))
            .filter(campaigns::deleted_at.is_null()),
    )
    .set((
        campaigns::status.eq("launched"),
        campaigns::launched_at.eq(Some(at)),
        campaigns::ends_at.eq(Some(ends_at)),
    ))
    .execute(conn)
}

/// Launched campaigns of the workspace whose window has closed by `now`.
pub fn due_for_completion(
    conn: &mut DbConn,
    workspace_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<CampaignRow>> {
    campaigns::table
        .filter(campaigns::workspace_id.eq(workspace_id))
        .filter(campaigns::status.eq("launched"))
        .filter(campaigns::ends_at.le(now))
        .filter(campaigns::deleted_at.is_null())
        .select(CampaignRow::as_select())
        .load(conn)
}

/// Marks a launched campaign completed; rows changed: 0 (someone else did) or 1.
pub fn complete(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        campaigns::table
            .filter(campaigns::workspace_id.eq(workspace_id))
            .filter(campaigns::id.eq(id))
            .filter(campaigns::status.eq("launched")),
    )
    .set((
        campaigns::status.eq("completed"),
        campaigns::completed_at.eq(Some(at)),
    ))
    .execute(conn)
}

/// The live accounts a compiled segment rule selects, with their consent status on
/// `channel` (read from its generated column, migration 2026-12-11-000004: no JSON is parsed
/// per account), stored RFM segment and churn probability.
pub fn audience(
    conn: &mut DbConn,
    workspace_id: &str,
    rule: &RuleFilter,
    channel: Option<ConsentChannel>,
) -> QueryResult<Vec<AudienceRow>> {
    // A closed list of column names, never input text.
    let consent = match channel {
        Some(ConsentChannel::Email) => "accounts.consent_email",
        Some(ConsentChannel::Sms) => "accounts.consent_sms",
        Some(ConsentChannel::Push) => "accounts.consent_push",
        None => "NULL",
    };
    accounts::table
        .left_join(account_metrics::table.on(account_metrics::account_id.eq(accounts::id)))
        .left_join(account_predictions::table.on(account_predictions::account_id.eq(accounts::id)))
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(accounts::deleted_at.is_null())
        .filter(accounts::erased_at.is_null())
        .filter(rule.clone())
        .select((
            accounts::id,
            diesel::dsl::sql::<Nullable<Text>>(consent),
            account_metrics::rfm_segment.nullable(),
            account_predictions::churn_probability.nullable(),
        ))
        .load(conn)
}

/// Rows per insert: 6 parameters each stays far below SQLite's 32,766.
const CHUNK: usize = 2_000;

/// Rows per `UNNEST` statement on PostgreSQL (six arrays of this length).
const UNNEST_CHUNK: usize = 20_000;

/// Inserts a launch's members in account order: the primary key and both indexes then grow
/// at one end instead of at random places (200,000 members on PostgreSQL: 8.6 s in random
/// order, 5.5 s in account order). One `INSERT … SELECT FROM UNNEST` per chunk on PostgreSQL (a
/// 2,000-row `VALUES` list is 12,000 parameters to bind and parse), multi-row `VALUES` on
/// SQLite.
pub fn insert_members(conn: &mut DbConn, rows: &[MemberRow]) -> QueryResult<()> {
    let mut sorted: Vec<&MemberRow> = rows.iter().collect();
    sorted.sort_unstable_by(|a, b| {
        (&a.campaign_id, &a.account_id).cmp(&(&b.campaign_id, &b.account_id))
    });
    match conn {
        DbConn::Pg(c) => {
            use diesel::sql_types::Array;
            for chunk in sorted.chunks(UNNEST_CHUNK) {
                let text =
                    |f: fn(&MemberRow) -> &String| chunk.iter().map(|r| f(r)).collect::<Vec<_>>();
                let optional = |f: fn(&MemberRow) -> Option<&String>| {
                    chunk.iter().map(|r| f(r)).collect::<Vec<_>>()
                };
                diesel::sql_query(
                    "INSERT INTO campaign_members (campaign_id, account_id, workspace_id, arm, \
                     rfm_segment, risk_band) SELECT * FROM UNNEST($1::text[], $2::text[], \
                     $3::text[], $4::text[], $5::text[], $6::text[])",
                )
                .bind::<Array<Text>, _>(text(|r| &r.campaign_id))
                .bind::<Array<Text>, _>(text(|r| &r.account_id))
                .bind::<Array<Text>, _>(text(|r| &r.workspace_id))
                .bind::<Array<Text>, _>(text(|r| &r.arm))
                .bind::<Array<Nullable<Text>>, _>(optional(|r| r.rfm_segment.as_ref()))
                .bind::<Array<Nullable<Text>>, _>(optional(|r| r.risk_band.as_ref()))
                .execute(c)?;
            }
        }
        DbConn::Sqlite(c) => {
            let owned: Vec<MemberRow> = sorted.into_iter().cloned().collect();
            for chunk in owned.chunks(CHUNK) {
                diesel::insert_into(campaign_members::table)
                    .values(chunk)
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

/// A campaign's members by account id, of one arm or both.
pub fn members(
    conn: &mut DbConn,
    workspace_id: &str,
    campaign_id: &str,
    arm: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<MemberRow>> {
    let mut query = campaign_members::table
        .filter(campaign_members::workspace_id.eq(workspace_id))
        .filter(campaign_members::campaign_id.eq(campaign_id))
        .select(MemberRow::as_select())
        .order(campaign_members::account_id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(arm) = arm {
        query = query.filter(campaign_members::arm.eq(arm.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(campaign_members::account_id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// The arms of those of `account_ids` who are members.
pub fn arms_of(
    conn: &mut DbConn,
    workspace_id: &str,
    campaign_id: &str,
    account_ids: &[String],
) -> QueryResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for chunk in account_ids.chunks(CHUNK) {
        out.extend(
            campaign_members::table
                .filter(campaign_members::workspace_id.eq(workspace_id))
                .filter(campaign_members::campaign_id.eq(campaign_id))
                .filter(campaign_members::account_id.eq_any(chunk))
                .select((campaign_members::account_id, campaign_members::arm))
                .load::<(String, String)>(conn)?,
        );
    }
    Ok(out)
}

/// The outcomes recorded for members of a page.
pub fn exposures_of(
    conn: &mut DbConn,
    workspace_id: &str,
    campaign_id: &str,
    account_ids: &[String],
) -> QueryResult<Vec<ExposureRow>> {
    campaign_exposures::table
        .filter(campaign_exposures::workspace_id.eq(workspace_id))
        .filter(campaign_exposures::campaign_id.eq(campaign_id))
        .filter(campaign_exposures::account_id.eq_any(account_ids))
        .select(ExposureRow::as_select())
        .order((
            campaign_exposures::account_id,
            campaign_exposures::occurred_at,
        ))
        .load(conn)
}

/// Records an outcome once; false when it was recorded before.
pub fn record_exposure(conn: &mut DbConn, row: &ExposureRow) -> QueryResult<bool> {
    let n = crate::per_backend!(conn, |c| diesel::insert_into(campaign_exposures::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

pub fn settings(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Option<SettingsRow>> {
    campaign_settings::table
        .filter(campaign_settings::workspace_id.eq(workspace_id))
        .select(SettingsRow::as_select())
        .get_result(conn)
        .optional()
}

/// Writes the workspace's settings (created on first write).
pub fn save_settings(conn: &mut DbConn, row: &SettingsRow) -> QueryResult<()> {
    crate::per_backend!(conn, |c| diesel::insert_into(campaign_settings::table)
        .values(row)
        .on_conflict(campaign_settings::workspace_id)
        .do_update()
        .set(row)
        .execute(c))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Results

/// The sums of the members of one arm with one RFM segment and one risk band at launch
/// (sums and sums of squares add up, so any breakdown is a roll-up of these rows).
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct ArmSums {
    #[diesel(sql_type = Text)]
    pub arm: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub rfm_segment: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub risk_band: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub members: i64,
    #[diesel(sql_type = BigInt)]
    pub buyers: i64,
    #[diesel(sql_type = BigInt)]
    pub orders: i64,
    /// Σ revenue split as [`crate::sums`] explains.
    #[diesel(sql_type = BigInt)]
    pub revenue_high: i64,
    #[diesel(sql_type = BigInt)]
    pub revenue_low: i64,
    #[diesel(sql_type = Double)]
    pub revenue_sq: f64,
    #[diesel(sql_type = BigInt)]
    pub margin_high: i64,
    #[diesel(sql_type = BigInt)]
    pub margin_low: i64,
    #[diesel(sql_type = Double)]
    pub margin_sq: f64,
}

impl ArmSums {
    pub fn revenue(&self) -> i128 {
        crate::sums::join(self.revenue_high, self.revenue_low)
    }
    pub fn margin(&self) -> i128 {
        crate::sums::join(self.margin_high, self.margin_low)
    }
}

/// An order's net reporting revenue after refunds (`rapport_domain::value::prorate`).
macro_rules! net {
    ($value:literal) => {
        concat!(
            "(CASE WHEN o.refunded_amount <= 0 THEN ",
            $value,
            " WHEN o.amount <= 0 OR o.refunded_amount >= o.amount THEN 0 ELSE ",
            $value,
            " * (o.amount - o.refunded_amount) / o.amount END)"
        )
    };
}

/// Per member: the orders in the window that still count (not fully refunded; a partial
/// refund reduces revenue and cost in proportion), their net revenue and margin (over the
/// orders sent with a cost); then summed per arm, RFM segment and risk band. A member's sums
/// are cast back to BIGINT before [`SUMS_SQL`] splits them: PostgreSQL's `SUM(BIGINT)` is a
/// NUMERIC, whose `/ 4294967296` keeps the fraction (the rounded high part then counted
/// 2^32 too much once the fractions of a group passed one half).
const PER_MEMBER_SQL: &str = concat!(
    "SELECT m.arm AS arm, m.rfm_segment AS rfm_segment, m.risk_band AS risk_band, \
     COUNT(o.id) AS orders, CAST(COALESCE(SUM(",
    net!("o.reporting_amount"),
    "), 0) AS BIGINT) AS revenue, CAST(COALESCE(SUM(CASE WHEN o.reporting_cost IS NULL THEN 0 ELSE ",
    net!("o.reporting_amount"),
    " - ",
    net!("o.reporting_cost"),
    " END), 0) AS BIGINT) AS margin \
     FROM campaign_members m LEFT JOIN orders o ON o.workspace_id = ? \
     AND o.account_id = m.account_id AND o.occurred_at >= ? AND o.occurred_at < ? \
     AND (o.refunded_amount < o.amount OR (o.amount = 0 AND o.refunded_amount = 0))"
);

const PER_MEMBER_END: &str = " WHERE m.campaign_id = ? AND m.workspace_id = ? \
     GROUP BY m.account_id, m.arm, m.rfm_segment, m.risk_band";

const SUMS_SQL: &str = "SELECT arm, rfm_segment, risk_band, COUNT(*) AS members, \
     CAST(SUM(CASE WHEN orders > 0 THEN 1 ELSE 0 END) AS BIGINT) AS buyers, \
     CAST(SUM(orders) AS BIGINT) AS orders, \
     CAST(SUM(revenue / 4294967296) AS BIGINT) AS revenue_high, \
     CAST(SUM(revenue % 4294967296) AS BIGINT) AS revenue_low, \
     CAST(SUM(CAST(revenue AS DOUBLE PRECISION) * revenue) AS DOUBLE PRECISION) AS revenue_sq, \
     CAST(SUM(margin / 4294967296) AS BIGINT) AS margin_high, \
     CAST(SUM(margin % 4294967296) AS BIGINT) AS margin_low, \
     CAST(SUM(CAST(margin AS DOUBLE PRECISION) * margin) AS DOUBLE PRECISION) AS margin_sq \
     FROM ({per_member}) per_member GROUP BY arm, rfm_segment, risk_band";

/// The condition an order `o` meets when one of its line items has the category bound next.
fn category_condition(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            " AND EXISTS (SELECT 1 FROM json_each(o.items) item \
             WHERE json_extract(item.value, '$.category') = ?)"
        }
        Backend::Postgres => {
            " AND EXISTS (SELECT 1 FROM jsonb_array_elements(o.items::jsonb) item \
             WHERE item ->> 'category' = ?)"
        }
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

/// The sums of a launched campaign's members over `[from, to)`, per arm, RFM segment and
/// risk band at launch (one pass over the members and their orders in the window); with a
/// category, only orders with a line item of that category convert (and count as revenue).
pub fn arm_sums(
    conn: &mut DbConn,
    workspace_id: &str,
    campaign_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
    category: Option<&str>,
) -> QueryResult<Vec<ArmSums>> {
    let backend = conn.backend();
    let mut per_member = String::from(PER_MEMBER_SQL);
    if category.is_some() {
        per_member.push_str(category_condition(backend));
    }
    per_member.push_str(PER_MEMBER_END);
    let sql = SUMS_SQL.replace("{per_member}", &per_member);
    macro_rules! run {
        ($q:expr, $c:expr) => {{
            let q = $q
                .bind::<Text, _>(workspace_id)
                .bind::<Timestamp, _>(from)
                .bind::<Timestamp, _>(to);
            match category {
                Some(cat) => q
                    .bind::<Text, _>(cat)
                    .bind::<Text, _>(campaign_id)
                    .bind::<Text, _>(workspace_id)
                    .load($c),
                None => q
                    .bind::<Text, _>(campaign_id)
                    .bind::<Text, _>(workspace_id)
                    .load($c),
            }
        }};
    }
    match conn {
        DbConn::Pg(c) => {
            // Over 200,000 members and 1,000,000 orders, the default 4 MB of `work_mem`
            // made PostgreSQL spill the join and both groupings to disk (external merge
            // sorts: 1.7 s of which 1.2 s after the join); with room for the per-member
            // groups they are hashed in memory. JIT compilation cost about 80 ms and saves
            // nothing here. Both are local to the caller's transaction (the results read
            // runs in one); outside one PostgreSQL ignores them with a warning.
            diesel::sql_query("SET LOCAL work_mem = '64MB'").execute(c)?;
            diesel::sql_query("SET LOCAL jit = off").execute(c)?;
            run!(diesel::sql_query(numbered(&sql)), c)
        }
        DbConn::Sqlite(c) => run!(diesel::sql_query(sql), c),
    }
}

// ---------------------------------------------------------------------------------------
// Ingestion-time attribution: the members' running sums

/// The sums of a campaign's members, per arm, RFM segment and risk band at launch, from the
/// running sums the order writers keep on each member (one pass over the members: no order
/// is read). Equal to [`arm_sums`] over the window the sums cover (see
/// [`attributed_window`]).
pub fn member_sums(
    conn: &mut DbConn,
    workspace_id: &str,
    campaign_id: &str,
) -> QueryResult<Vec<ArmSums>> {
    let sql = SUMS_SQL.replace(
        "{per_member}",
        "SELECT arm, rfm_segment, risk_band, orders, revenue, margin FROM campaign_members \
         WHERE campaign_id = ? AND workspace_id = ?",
    );
    match conn {
        DbConn::Pg(c) => {
            // JIT compilation would cost more than the pass it speeds up (as in `arm_sums`).
            diesel::sql_query("SET LOCAL jit = off").execute(c)?;
            diesel::sql_query(numbered(&sql))
                .bind::<Text, _>(campaign_id)
                .bind::<Text, _>(workspace_id)
                .load(c)
        }
        DbConn::Sqlite(c) => diesel::sql_query(sql)
            .bind::<Text, _>(campaign_id)
            .bind::<Text, _>(workspace_id)
            .load(c),
    }
}

/// The window `[from, to)` the members' running sums of a campaign cover (`None` before its
/// launch, or for a campaign launched before the sums existed and not yet backfilled).
pub fn attributed_window(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
) -> QueryResult<Option<(NaiveDateTime, NaiveDateTime)>> {
    let row: Option<(Option<NaiveDateTime>, Option<NaiveDateTime>)> = campaigns::table
        .filter(campaigns::workspace_id.eq(workspace_id))
        .filter(campaigns::id.eq(id))
        .select((campaigns::attributed_from, campaigns::attributed_to))
        .get_result(conn)
        .optional()?;
    Ok(row.and_then(|(from, to)| from.zip(to)))
}

pub fn set_attributed_window(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        campaigns::table
            .filter(campaigns::workspace_id.eq(workspace_id))
            .filter(campaigns::id.eq(id)),
    )
    .set((
        campaigns::attributed_from.eq(Some(from)),
        campaigns::attributed_to.eq(Some(to)),
    ))
    .execute(conn)
    .map(|_| ())
}

/// Serializes the writers of attributed sums on PostgreSQL, per workspace, for the rest of the
/// transaction: order writers hold it shared before they look up memberships, a launch or a
/// merge exclusive before it scans orders. Without it, an order committed while a launch
/// runs could be missed by both: the order's look-up does not see the uncommitted members,
/// the launch's scan does not see the uncommitted order. (SQLite writers are serialized.)
pub fn hold_attribution(conn: &mut DbConn, workspace_id: &str, exclusive: bool) -> QueryResult<()> {
    if let DbConn::Pg(c) = conn {
        let sql = if exclusive {
            "SELECT pg_advisory_xact_lock(hashtextextended('campaign_attribution:' || $1, 0))"
        } else {
            "SELECT pg_advisory_xact_lock_shared(hashtextextended('campaign_attribution:' || $1, 0))"
        };
        diesel::sql_query(sql)
            .bind::<Text, _>(workspace_id)
            .execute(c)?;
    }
    Ok(())
}

/// A membership orders of the account may be attributed to: the campaign's attributed window
/// and conversion category.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct Membership {
    pub campaign_id: String,
    pub account_id: String,
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    pub category: Option<String>,
}

/// The memberships of `account_ids` in campaigns whose attributed window meets
/// `[earliest, latest]` (one look-up through `campaign_members_by_account` for up to 2,000
/// accounts: an order batch is at most 1,000).
pub fn memberships_in_window(
    conn: &mut DbConn,
    workspace_id: &str,
    account_ids: &[&str],
    earliest: NaiveDateTime,
    latest: NaiveDateTime,
) -> QueryResult<Vec<Membership>> {
    let mut out = Vec::new();
    for chunk in account_ids.chunks(CHUNK) {
        out.extend(
            campaign_members::table
                .inner_join(campaigns::table)
                .filter(campaign_members::workspace_id.eq(workspace_id))
                .filter(campaign_members::account_id.eq_any(chunk))
                .filter(campaigns::attributed_from.le(latest))
                .filter(campaigns::attributed_to.gt(earliest))
                .select((
                    campaign_members::campaign_id,
                    campaign_members::account_id,
                    campaigns::attributed_from.assume_not_null(),
                    campaigns::attributed_to.assume_not_null(),
                    campaigns::conversion_category,
                ))
                .load::<Membership>(conn)?,
        );
    }
    Ok(out)
}

/// Every membership of the account in a launched campaign (whatever its window).
pub fn memberships_of(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Vec<Membership>> {
    campaign_members::table
        .inner_join(campaigns::table)
        .filter(campaign_members::workspace_id.eq(workspace_id))
        .filter(campaign_members::account_id.eq(account_id))
        .filter(campaigns::attributed_from.is_not_null())
        .filter(campaigns::attributed_to.is_not_null())
        .select((
            campaign_members::campaign_id,
            campaign_members::account_id,
            campaigns::attributed_from.assume_not_null(),
            campaigns::attributed_to.assume_not_null(),
            campaigns::conversion_category,
        ))
        .order(campaign_members::campaign_id)
        .load(conn)
}

/// What orders add to (or a refund takes from) one member's sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDelta {
    pub campaign_id: String,
    pub account_id: String,
    pub orders: i64,
    pub revenue: i64,
    pub margin: i64,
}

/// Adds each delta to its member's sums (the caller sorts them by campaign and account: the
/// order in which concurrent writers lock member rows).
pub fn add_to_members(
    conn: &mut DbConn,
    workspace_id: &str,
    deltas: &[MemberDelta],
) -> QueryResult<()> {
    for d in deltas {
        diesel::update(
            campaign_members::table
                .filter(campaign_members::workspace_id.eq(workspace_id))
                .filter(campaign_members::campaign_id.eq(&d.campaign_id))
                .filter(campaign_members::account_id.eq(&d.account_id)),
        )
        .set((
            campaign_members::orders.eq(campaign_members::orders + d.orders),
            campaign_members::revenue.eq(campaign_members::revenue + d.revenue),
            campaign_members::margin.eq(campaign_members::margin + d.margin),
        ))
        .execute(conn)?;
    }
    Ok(())
}

/// Per member with orders in the window: the same rule as [`PER_MEMBER_SQL`].
const SCAN_SQL: &str = concat!(
    "SELECT m.account_id AS account_id, COUNT(*) AS orders, CAST(SUM(",
    net!("o.reporting_amount"),
    ") AS BIGINT) AS revenue, CAST(SUM(CASE WHEN o.reporting_cost IS NULL THEN 0 ELSE ",
    net!("o.reporting_amount"),
    " - ",
    net!("o.reporting_cost"),
    " END) AS BIGINT) AS margin \
     FROM campaign_members m JOIN orders o ON o.workspace_id = ? \
     AND o.account_id = m.account_id AND o.occurred_at >= ? AND o.occurred_at < ? \
     AND (o.refunded_amount < o.amount OR (o.amount = 0 AND o.refunded_amount = 0))"
);

/// Sets the running sums of a campaign's members (all of them, or those of `accounts`) from a
/// scan of their orders in `[from, to)` (of `category` when given): what a launch starts
/// from (orders already written in the window) and what a merge redoes for the survivor.
/// Members without such orders are set to zero. The caller holds the workspace's
/// attribution exclusively ([`hold_attribution`]).
pub fn recompute_member_sums(
    conn: &mut DbConn,
    workspace_id: &str,
    campaign_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
    category: Option<&str>,
    accounts: Option<&[String]>,
) -> QueryResult<()> {
    let backend = conn.backend();
    let mut scan = String::from(SCAN_SQL);
    if category.is_some() {
        scan.push_str(category_condition(backend));
    }
    scan.push_str(" WHERE m.campaign_id = ? AND m.workspace_id = ?");
    if accounts.is_some() {
        scan.push_str(" AND m.account_id = ?");
    }
    scan.push_str(" GROUP BY m.account_id");
    // The scan is a materialized CTE, computed once: as a subquery of `UPDATE … FROM`,
    // PostgreSQL planned it as the inner side of a nested loop over members it had just
    // inserted (no statistics, one row estimated) and ran the whole aggregate again for every
    // member (the demo's launch passed the 30 s statement timeout).
    let sql = format!(
        "WITH s AS MATERIALIZED ({scan}) UPDATE campaign_members SET orders = s.orders, \
         revenue = s.revenue, margin = s.margin FROM s WHERE campaign_members.campaign_id = ? \
         AND campaign_members.workspace_id = ? AND campaign_members.account_id = s.account_id"
    );
    let sql = match backend {
        Backend::Postgres => numbered(&sql),
        Backend::Sqlite => sql,
    };
    // Each target member's sums from zero: the scan below sets those with orders.
    let reset = |conn: &mut DbConn, account: Option<&str>| -> QueryResult<usize> {
        let members = campaign_members::table
            .filter(campaign_members::workspace_id.eq(workspace_id))
            .filter(campaign_members::campaign_id.eq(campaign_id))
            .filter(
                campaign_members::orders
                    .ne(0)
                    .or(campaign_members::revenue.ne(0))
                    .or(campaign_members::margin.ne(0)),
            );
        let zero = (
            campaign_members::orders.eq(0),
            campaign_members::revenue.eq(0),
            campaign_members::margin.eq(0),
        );
        match account {
            Some(a) => diesel::update(members.filter(campaign_members::account_id.eq(a)))
                .set(zero)
                .execute(conn),
            None => diesel::update(members).set(zero).execute(conn),
        }
    };
    macro_rules! scan {
        ($c:expr, $backend:ty, $account:expr) => {{
            let mut q = diesel::sql_query(sql.as_str())
                .into_boxed::<$backend>()
                .bind::<Text, _>(workspace_id)
                .bind::<Timestamp, _>(from)
                .bind::<Timestamp, _>(to);
            if let Some(cat) = category {
                q = q.bind::<Text, _>(cat);
            }
            q = q.bind::<Text, _>(campaign_id).bind::<Text, _>(workspace_id);
            if let Some(a) = $account {
                q = q.bind::<Text, _>(a);
            }
            q.bind::<Text, _>(campaign_id)
                .bind::<Text, _>(workspace_id)
                .execute($c)
        }};
    }
    let targets: Vec<Option<&str>> = match accounts {
        Some(list) => list.iter().map(|a| Some(a.as_str())).collect(),
        None => vec![None],
    };
    for account in targets {
        reset(conn, account)?;
        match conn {
            DbConn::Pg(c) => {
                // A hash join of the members with the scan's rows: members a launch has just
                // inserted have no statistics, and a nested loop over them (estimated one
                // row) would read the scan's rows once per member. Set back after it: the
                // rest of the caller's transaction plans as usual.
                diesel::sql_query("SET LOCAL enable_nestloop = off").execute(c)?;
                scan!(c, diesel::pg::Pg, account)?;
                diesel::sql_query("SET LOCAL enable_nestloop = on").execute(c)?;
            }
            DbConn::Sqlite(c) => {
                scan!(c, diesel::sqlite::Sqlite, account)?;
            }
        };
    }
    Ok(())
}
