//! Customer economics reads: cohort grids and purchase-day lists aggregated from
//! `account_purchase_days` (one row per account and day, net of refunds) and
//! `account_metrics` (each account's first purchase day), and the stored predictions' totals.
//! Live accounts of one workspace only.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text};

use crate::connection::DbConn;

/// How the grid groups time: a month or an ISO week (see `rapport_domain::economics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Month,
    Week,
}

/// The SQL of the period index of the integer day `col` (the same numbering as
/// `rapport_domain::economics::Period::index_of`).
fn bucket_sql(conn: &DbConn, bucket: Bucket, col: &str) -> String {
    match (bucket, conn) {
        // `+ 700000` (a multiple of 7) keeps the dividend positive, so truncating division
        // is flooring division for any day after year -1946.
        (Bucket::Week, _) => format!("(({col} + 700003) / 7 - 100000)"),
        (Bucket::Month, DbConn::Pg(_)) => format!(
            "(CAST(EXTRACT(YEAR FROM DATE '1970-01-01' + {col}) AS INTEGER) * 12 \
             + CAST(EXTRACT(MONTH FROM DATE '1970-01-01' + {col}) AS INTEGER) - 1)"
        ),
        (Bucket::Month, DbConn::Sqlite(_)) => format!(
            "(CAST(strftime('%Y', {col} * 86400, 'unixepoch') AS INTEGER) * 12 \
             + CAST(strftime('%m', {col} * 86400, 'unixepoch') AS INTEGER) - 1)"
        ),
    }
}

/// `SUM` of a BIGINT column as two split sums (see [`crate::sums`]).
fn split_sum(col: &str, name: &str) -> String {
    format!(
        "CAST(SUM({col} / 4294967296) AS BIGINT) AS {name}_hi, \
         CAST(SUM({col} % 4294967296) AS BIGINT) AS {name}_lo"
    )
}

fn joined(hi: Option<i64>, lo: Option<i64>) -> i64 {
    crate::sums::saturate(crate::sums::join(hi.unwrap_or(0), lo.unwrap_or(0)))
}

/// `?` placeholders numbered `$1…` on PostgreSQL (binds follow in order of appearance).
fn placeholders(conn: &DbConn, sql: &str) -> String {
    match conn {
        DbConn::Sqlite(_) => sql.to_owned(),
        DbConn::Pg(_) => {
            let mut out = String::with_capacity(sql.len() + 8);
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

/// Runs `sql` (with `?` placeholders) binding a workspace id and two days, in that order.
macro_rules! load_ws_days {
    ($conn:expr, $sql:expr, $ws:expr, $from:expr, $to:expr, $row:ty) => {{
        let sql = placeholders($conn, &$sql);
        match $conn {
            DbConn::Pg(c) => diesel::sql_query(sql)
                .bind::<Text, _>($ws)
                .bind::<Integer, _>($from)
                .bind::<Integer, _>($to)
                .load::<$row>(c),
            DbConn::Sqlite(c) => diesel::sql_query(sql)
                .bind::<Text, _>($ws)
                .bind::<Integer, _>($from)
                .bind::<Integer, _>($to)
                .load::<$row>(c),
        }
    }};
}

#[derive(Debug, QueryableByName)]
struct GridSql {
    #[diesel(sql_type = Integer)]
    cohort: i32,
    #[diesel(sql_type = Integer)]
    period: i32,
    #[diesel(sql_type = Text)]
    channel: String,
    #[diesel(sql_type = BigInt)]
    customers: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    revenue_hi: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    revenue_lo: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    costed_hi: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    costed_lo: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    cost_hi: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    cost_lo: Option<i64>,
}

/// One cell of a cohort grid: the customers of a cohort (period of their first purchase
/// day, and acquisition channel when grouped; `""` otherwise or when unset) who bought in
/// `period`, and what they bought then (net of refunds, reporting currency).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridCell {
    pub cohort: i32,
    pub period: i32,
    pub channel: String,
    pub customers: i64,
    pub revenue: i64,
    pub costed_revenue: i64,
    pub cost: i64,
}

const LIVE_DAYS: &str = "FROM account_purchase_days d \
     JOIN account_metrics m ON m.account_id = d.account_id \
     JOIN accounts a ON a.id = d.account_id \
     WHERE d.workspace_id = ? AND m.workspace_id = d.workspace_id \
     AND a.workspace_id = d.workspace_id AND a.deleted_at IS NULL \
     AND m.first_day BETWEEN ? AND ?";

/// How cohorts are split beside their period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    None,
    /// The account's `acquisition_channel`.
    AcquisitionChannel,
    /// The `channel` of the account's first order that is not fully refunded (earliest
    /// `occurred_at`, then id).
    FirstOrderChannel,
}

impl Grouping {
    /// The SQL of the group key over `accounts a` (`''` for none).
    fn sql(self) -> &'static str {
        match self {
            Grouping::None => "''",
            Grouping::AcquisitionChannel => "COALESCE(a.acquisition_channel, '')",
            Grouping::FirstOrderChannel => {
                "COALESCE((SELECT o.channel FROM orders o WHERE o.account_id = a.id \
                 AND o.workspace_id = a.workspace_id AND o.status <> 'refunded' \
                 ORDER BY o.occurred_at, o.id LIMIT 1), '')"
            }
        }
    }
}

/// The cohort grid of the customers whose first purchase day is in `[from_day, to_day]`,
/// over their purchase days up to `to_day`.
pub fn cohort_grid(
    conn: &mut DbConn,
    workspace_id: &str,
    bucket: Bucket,
    from_day: i32,
    to_day: i32,
    grouping: Grouping,
) -> QueryResult<Vec<GridCell>> {
    let cohort = bucket_sql(conn, bucket, "m.first_day");
    let period = bucket_sql(conn, bucket, "d.day");
    let channel = grouping.sql();
    // Purchase days are never before the first one, so `d.day <= to_day` is the only
    // bound the days need (an integer the service computed, written inline).
    let from = LIVE_DAYS;
    let sql = format!(
        "SELECT {cohort} AS cohort, {period} AS period, {channel} AS channel, \
         COUNT(DISTINCT d.account_id) AS customers, {}, {}, {} \
         {from} AND d.day <= {to_day} GROUP BY 1, 2, 3",
        split_sum("d.revenue", "revenue"),
        split_sum("d.costed_revenue", "costed"),
        split_sum("d.cost", "cost"),
    );
    let rows = load_ws_days!(conn, sql, workspace_id, from_day, to_day, GridSql)?;
    Ok(rows
        .into_iter()
        .map(|r| GridCell {
            cohort: r.cohort,
            period: r.period,
            channel: r.channel,
            customers: r.customers,
            revenue: joined(r.revenue_hi, r.revenue_lo),
            costed_revenue: joined(r.costed_hi, r.costed_lo),
            cost: joined(r.cost_hi, r.cost_lo),
        })
        .collect())
}

#[derive(Debug, QueryableByName)]
struct LastSql {
    #[diesel(sql_type = Integer)]
    cohort: i32,
    #[diesel(sql_type = Integer)]
    last_period: i32,
    #[diesel(sql_type = Text)]
    channel: String,
    #[diesel(sql_type = BigInt)]
    customers: i64,
}

/// For the same customers as [`cohort_grid`]: how many have their last purchase day up to
/// `to_day` in each period, as `(cohort, last_period, channel, customers)` (for rolling
/// retention: active in period k or later).
pub fn last_periods(
    conn: &mut DbConn,
    workspace_id: &str,
    bucket: Bucket,
    from_day: i32,
    to_day: i32,
    grouping: Grouping,
) -> QueryResult<Vec<(i32, i32, String, i64)>> {
    let cohort = bucket_sql(conn, bucket, "t.first_day");
    let last = bucket_sql(conn, bucket, "t.last_day");
    let channel = grouping.sql();
    let from = LIVE_DAYS;
    let sql = format!(
        "SELECT {cohort} AS cohort, {last} AS last_period, t.channel AS channel, \
         COUNT(*) AS customers FROM (SELECT d.account_id, m.first_day AS first_day, \
         MAX(d.day) AS last_day, {channel} AS channel {from} AND d.day <= {to_day} \
         GROUP BY d.account_id, m.first_day, a.id, a.workspace_id, a.acquisition_channel) t \
         GROUP BY 1, 2, 3"
    );
    let rows = load_ws_days!(conn, sql, workspace_id, from_day, to_day, LastSql)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.cohort, r.last_period, r.channel, r.customers))
        .collect())
}

#[derive(Debug, QueryableByName)]
struct DaySql {
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Integer)]
    first_day: i32,
    #[diesel(sql_type = Integer)]
    day: i32,
}

/// `(account, first purchase day ever, purchase day)` of every live buyer's purchase days in
/// `[from_day, to_day]`, by account then day.
pub fn purchase_days(
    conn: &mut DbConn,
    workspace_id: &str,
    from_day: i32,
    to_day: i32,
) -> QueryResult<Vec<(String, i32, i32)>> {
    let sql = "SELECT d.account_id AS account_id, m.first_day AS first_day, d.day AS day \
         FROM account_purchase_days d \
         JOIN account_metrics m ON m.account_id = d.account_id \
         JOIN accounts a ON a.id = d.account_id \
         WHERE d.workspace_id = ? AND m.workspace_id = d.workspace_id \
         AND a.workspace_id = d.workspace_id AND a.deleted_at IS NULL \
         AND m.first_day IS NOT NULL AND d.day BETWEEN ? AND ? \
         ORDER BY d.account_id, d.day"
        .to_owned();
    let rows = load_ws_days!(conn, sql, workspace_id, from_day, to_day, DaySql)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.account_id, r.first_day, r.day))
        .collect())
}

#[derive(Debug, QueryableByName)]
struct PeriodSql {
    #[diesel(sql_type = Integer)]
    period: i32,
    #[diesel(sql_type = Nullable<BigInt>)]
    revenue_hi: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    revenue_lo: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    costed_hi: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    costed_lo: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    cost_hi: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    cost_lo: Option<i64>,
}

/// What every live buyer bought in one period (net of refunds, reporting currency).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodSums {
    pub period: i32,
    pub revenue: i64,
    pub costed_revenue: i64,
    pub cost: i64,
}

/// The purchase days of every live buyer in `[from_day, to_day]`, summed per period (the
/// periods without a purchase are absent).
pub fn period_sums(
    conn: &mut DbConn,
    workspace_id: &str,
    bucket: Bucket,
    from_day: i32,
    to_day: i32,
) -> QueryResult<Vec<PeriodSums>> {
    let period = bucket_sql(conn, bucket, "d.day");
    let sql = format!(
        "SELECT {period} AS period, {}, {}, {} \
         FROM account_purchase_days d \
         JOIN account_metrics m ON m.account_id = d.account_id \
         JOIN accounts a ON a.id = d.account_id \
         WHERE d.workspace_id = ? AND m.workspace_id = d.workspace_id \
         AND a.workspace_id = d.workspace_id AND a.deleted_at IS NULL \
         AND m.first_day IS NOT NULL AND d.day BETWEEN ? AND ? GROUP BY 1",
        split_sum("d.revenue", "revenue"),
        split_sum("d.costed_revenue", "costed"),
        split_sum("d.cost", "cost"),
    );
    let rows = load_ws_days!(conn, sql, workspace_id, from_day, to_day, PeriodSql)?;
    Ok(rows
        .into_iter()
        .map(|r| PeriodSums {
            period: r.period,
            revenue: joined(r.revenue_hi, r.revenue_lo),
            costed_revenue: joined(r.costed_hi, r.costed_lo),
            cost: joined(r.cost_hi, r.cost_lo),
        })
        .collect())
}

#[derive(Debug, QueryableByName)]
struct ExpectedSql {
    #[diesel(sql_type = BigInt)]
    customers: i64,
    #[diesel(sql_type = Nullable<Double>)]
    expected_lost: Option<f64>,
}

/// `(customers with a stored prediction, sum of their churn probabilities)` over the live
/// buyers of the workspace.
pub fn expected_lost(conn: &mut DbConn, workspace_id: &str) -> QueryResult<(i64, f64)> {
    let sql = placeholders(
        conn,
        "SELECT COUNT(*) AS customers, SUM(p.churn_probability) AS expected_lost \
         FROM account_predictions p JOIN accounts a ON a.id = p.account_id \
         JOIN account_metrics m ON m.account_id = p.account_id \
         WHERE p.workspace_id = ? AND a.workspace_id = p.workspace_id \
         AND a.deleted_at IS NULL AND m.orders_count > 0",
    );
    let row = crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .get_result::<ExpectedSql>(c))?;
    Ok((row.customers, row.expected_lost.unwrap_or(0.0)))
}

// ---------------------------------------------------------------------------------------
// Marketing spend

use crate::schema::marketing_spend;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = marketing_spend)]
pub struct SpendRow {
    pub workspace_id: String,
    pub channel: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Minor units of `currency` (the reporting currency).
    pub amount: i64,
    pub currency: String,
    pub version: i64,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// The stored spend of one channel and month.
pub fn find_spend(
    conn: &mut DbConn,
    workspace_id: &str,
    channel: &str,
    month: &str,
) -> QueryResult<Option<SpendRow>> {
    marketing_spend::table
        .filter(marketing_spend::workspace_id.eq(workspace_id))
        .filter(marketing_spend::channel.eq(channel))
        .filter(marketing_spend::month.eq(month))
        .select(SpendRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn insert_spend(conn: &mut DbConn, row: &SpendRow) -> QueryResult<()> {
    diesel::insert_into(marketing_spend::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Overwrites amount, currency, version and update time of a stored (channel, month).
pub fn update_spend(conn: &mut DbConn, row: &SpendRow) -> QueryResult<usize> {
    diesel::update(
        marketing_spend::table
            .filter(marketing_spend::workspace_id.eq(&row.workspace_id))
            .filter(marketing_spend::channel.eq(&row.channel))
            .filter(marketing_spend::month.eq(&row.month)),
    )
    .set((
        marketing_spend::amount.eq(row.amount),
        marketing_spend::currency.eq(&row.currency),
        marketing_spend::version.eq(row.version),
        marketing_spend::updated_at.eq(row.updated_at),
    ))
    .execute(conn)
}

/// The workspace's spend rows with `month` in `[from_month, to_month]`, by channel and month.
pub fn list_spend(
    conn: &mut DbConn,
    workspace_id: &str,
    from_month: &str,
    to_month: &str,
) -> QueryResult<Vec<SpendRow>> {
    marketing_spend::table
        .filter(marketing_spend::workspace_id.eq(workspace_id))
        .filter(marketing_spend::month.ge(from_month))
        .filter(marketing_spend::month.le(to_month))
        .order((marketing_spend::channel.asc(), marketing_spend::month.asc()))
        .select(SpendRow::as_select())
        .load(conn)
}

#[derive(Debug, QueryableByName)]
pub struct AcquiredSql {
    #[diesel(sql_type = Text)]
    pub account_id: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub channel: Option<String>,
    #[diesel(sql_type = Integer)]
    pub first_day: i32,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub acquisition_cost: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub acquisition_cost_currency: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub revenue: i64,
    #[diesel(sql_type = BigInt)]
    pub costed_revenue: i64,
    #[diesel(sql_type = BigInt)]
    pub cost: i64,
    /// Stored 12-month CLV, when predicted.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub clv: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub orders_count: i64,
    #[diesel(sql_type = Nullable<Integer>)]
    pub last_day: Option<i32>,
    #[diesel(sql_type = BigInt)]
    pub repeat_purchases: i64,
    #[diesel(sql_type = BigInt)]
    pub repeat_revenue: i64,
}

/// The live customers whose first purchase day is in `[from_day, to_day]`: channel,
/// acquisition cost, value totals, the repeat statistics of the models and stored CLV.
pub fn acquired(
    conn: &mut DbConn,
    workspace_id: &str,
    from_day: i32,
    to_day: i32,
) -> QueryResult<Vec<AcquiredSql>> {
    let sql = "SELECT m.account_id AS account_id, a.acquisition_channel AS channel, \
         m.first_day AS first_day, a.acquisition_cost_amount AS acquisition_cost, \
         a.acquisition_cost_currency AS acquisition_cost_currency, m.revenue AS revenue, \
         m.costed_revenue AS costed_revenue, m.cost AS cost, p.clv AS clv, \
         m.orders_count AS orders_count, m.last_day AS last_day, \
         m.repeat_purchases AS repeat_purchases, m.repeat_revenue AS repeat_revenue \
         FROM account_metrics m JOIN accounts a ON a.id = m.account_id \
         LEFT JOIN account_predictions p ON p.account_id = m.account_id \
         WHERE m.workspace_id = ? AND a.workspace_id = m.workspace_id \
         AND a.deleted_at IS NULL AND m.first_day BETWEEN ? AND ? ORDER BY m.account_id"
        .to_owned();
    load_ws_days!(conn, sql, workspace_id, from_day, to_day, AcquiredSql)
}

#[derive(Debug, QueryableByName)]
struct BuyerValueSql {
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = BigInt)]
    revenue: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    clv: Option<i64>,
}

/// `(account id, historical revenue, stored 12-month CLV)` of every live buyer of the
/// workspace.
pub fn buyer_values(
    conn: &mut DbConn,
    workspace_id: &str,
) -> QueryResult<Vec<(String, i64, Option<i64>)>> {
    let sql = placeholders(
        conn,
        "SELECT m.account_id AS account_id, m.revenue AS revenue, p.clv AS clv \
         FROM account_metrics m JOIN accounts a ON a.id = m.account_id \
         LEFT JOIN account_predictions p ON p.account_id = m.account_id \
         WHERE m.workspace_id = ? AND a.workspace_id = m.workspace_id \
         AND a.deleted_at IS NULL AND m.orders_count > 0",
    );
    let rows = crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .load::<BuyerValueSql>(c))?;
    Ok(rows
        .into_iter()
        .map(|r| (r.account_id, r.revenue, r.clv))
        .collect())
}

// ---------------------------------------------------------------------------------------
// Customer profitability

/// The SQL list of currency codes an own acquisition cost may be in to count as costed
/// (three upper-case ASCII letters each; anything else is left out).
fn currency_list(codes: &[String]) -> String {
    let valid: Vec<String> = codes
        .iter()
        .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
        .map(|c| format!("'{c}'"))
        .collect();
    if valid.is_empty() {
        "''".to_owned()
    } else {
        valid.join(", ")
    }
}

#[derive(Debug, QueryableByName)]
struct UncostedSql {
    #[diesel(sql_type = Text)]
    channel: String,
    #[diesel(sql_type = Integer)]
    month: i32,
    #[diesel(sql_type = BigInt)]
    customers: i64,
}

/// Per acquisition channel and month of the first purchase (`Period::Month` index): the
/// live buyers without an own acquisition cost in one of `convertible` (the currencies with
/// a rate to the reporting currency, itself included), who share that month's spend.
pub fn uncosted_new_customers(
    conn: &mut DbConn,
    workspace_id: &str,
    convertible: &[String],
) -> QueryResult<Vec<(String, i32, i64)>> {
    let month = bucket_sql(conn, Bucket::Month, "m.first_day");
    let sql = placeholders(
        conn,
        &format!(
            "SELECT a.acquisition_channel AS channel, {month} AS month, COUNT(*) AS customers \
             FROM account_metrics m JOIN accounts a ON a.id = m.account_id \
             WHERE m.workspace_id = ? AND a.workspace_id = m.workspace_id \
             AND a.deleted_at IS NULL AND m.first_day IS NOT NULL \
             AND a.acquisition_channel IS NOT NULL \
             AND (a.acquisition_cost_amount IS NULL OR a.acquisition_cost_currency IS NULL \
             OR a.acquisition_cost_currency NOT IN ({})) \
             GROUP BY a.acquisition_channel, {month}",
            currency_list(convertible)
        ),
    );
    let rows = crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .load::<UncostedSql>(c))?;
    Ok(rows
        .into_iter()
        .map(|r| (r.channel, r.month, r.customers))
        .collect())
}

/// `(channel, first day, last day, share)` for every month of marketing spend that has
/// customers to share it: the spend divided by [`uncosted_new_customers`] of that channel
/// and month, rounded to a minor unit (the CAC rule of `/v1/analytics/acquisition`).
pub fn spend_shares(
    conn: &mut DbConn,
    workspace_id: &str,
    convertible: &[String],
) -> QueryResult<Vec<(String, i32, i32, i64)>> {
    use rapport_domain::economics::{per, Period};
    let spend = list_spend(conn, workspace_id, "0000-00", "9999-99")?;
    if spend.is_empty() {
        return Ok(Vec::new());
    }
    let counts: std::collections::HashMap<(String, i32), i64> =
        uncosted_new_customers(conn, workspace_id, convertible)?
            .into_iter()
            .map(|(channel, month, n)| ((channel, month), n))
            .collect();
    let p = Period::Month;
    Ok(spend
        .into_iter()
        .filter_map(|s| {
            let (y, m) = s.month.split_once('-')?;
            let index = y.parse::<i32>().ok()? * 12 + m.parse::<i32>().ok()? - 1;
            let n = counts.get(&(s.channel.clone(), index)).copied()?;
            (n > 0).then(|| {
                (
                    s.channel,
                    p.start_day(index),
                    p.end_day(index),
                    per(s.amount, n),
                )
            })
        })
        .collect())
}

#[derive(Debug, QueryableByName)]
pub struct ProfitCustomerSql {
    #[diesel(sql_type = Text)]
    pub account_id: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub channel: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub acquisition_cost: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    pub acquisition_cost_currency: Option<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub first_day: Option<i32>,
    #[diesel(sql_type = BigInt)]
    pub orders_count: i64,
    #[diesel(sql_type = BigInt)]
    pub revenue: i64,
    #[diesel(sql_type = BigInt)]
    pub costed_revenue: i64,
    #[diesel(sql_type = BigInt)]
    pub cost: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub rfm_segment: Option<String>,
    /// Stored 12-month CLV, when predicted.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub clv: Option<i64>,
}

const PROFIT_COLUMNS: &str = "SELECT a.id AS account_id, a.name AS name, \
     a.acquisition_channel AS channel, a.acquisition_cost_amount AS acquisition_cost, \
     a.acquisition_cost_currency AS acquisition_cost_currency, m.first_day AS first_day, \
     COALESCE(m.orders_count, 0) AS orders_count, COALESCE(m.revenue, 0) AS revenue, \
     COALESCE(m.costed_revenue, 0) AS costed_revenue, COALESCE(m.cost, 0) AS cost, \
     m.rfm_segment AS rfm_segment, p.clv AS clv \
     FROM accounts a LEFT JOIN account_metrics m ON m.account_id = a.id \
     LEFT JOIN account_predictions p ON p.account_id = a.id \
     WHERE a.workspace_id = ? AND a.deleted_at IS NULL";

/// Every live buyer (first purchase day set) of the workspace, by id.
pub fn profit_customers(
    conn: &mut DbConn,
    workspace_id: &str,
) -> QueryResult<Vec<ProfitCustomerSql>> {
    let sql = placeholders(
        conn,
        &format!("{PROFIT_COLUMNS} AND m.first_day IS NOT NULL ORDER BY a.id"),
    );
    crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .load::<ProfitCustomerSql>(c))
}

/// These live accounts of the workspace (buyers or not), by id.
pub fn profit_accounts(
    conn: &mut DbConn,
    workspace_id: &str,
    ids: &[String],
) -> QueryResult<Vec<ProfitCustomerSql>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = placeholders(
            conn,
            &format!("{PROFIT_COLUMNS} AND a.id IN ({marks}) ORDER BY a.id"),
        );
        let rows = match conn {
            DbConn::Pg(c) => {
                let mut q = diesel::sql_query(&sql)
                    .bind::<Text, _>(workspace_id)
                    .into_boxed();
                for id in chunk {
                    q = q.bind::<Text, _>(id);
                }
                q.load::<ProfitCustomerSql>(c)?
            }
            DbConn::Sqlite(c) => {
                let mut q = diesel::sql_query(&sql)
                    .bind::<Text, _>(workspace_id)
                    .into_boxed();
                for id in chunk {
                    q = q.bind::<Text, _>(id);
                }
                q.load::<ProfitCustomerSql>(c)?
            }
        };
        out.extend(rows);
    }
    Ok(out)
}

#[derive(Debug, QueryableByName)]
struct ServiceCountSql {
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// What costs to serve: per account, its live interactions by type (`kind` = the type)
/// and its complaints (`kind` = `""`), for the workspace's live accounts (`ids`: only
/// these).
pub fn service_counts(
    conn: &mut DbConn,
    workspace_id: &str,
    ids: Option<&[String]>,
) -> QueryResult<Vec<(String, String, i64)>> {
    let run = |conn: &mut DbConn, filter: &str, chunk: &[String]| {
        let sql = placeholders(
            conn,
            &format!(
                "SELECT i.account_id AS account_id, i.type AS kind, COUNT(*) AS n \
                 FROM interactions i WHERE i.workspace_id = ? AND i.deleted_at IS NULL{filter} \
                 GROUP BY i.account_id, i.type \
                 UNION ALL SELECT c.account_id AS account_id, '' AS kind, COUNT(*) AS n \
                 FROM complaints c WHERE c.workspace_id = ?{} GROUP BY c.account_id",
                filter.replace("i.account_id", "c.account_id")
            ),
        );
        match conn {
            DbConn::Pg(c) => {
                let mut q = diesel::sql_query(&sql)
                    .bind::<Text, _>(workspace_id)
                    .into_boxed();
                for id in chunk {
                    q = q.bind::<Text, _>(id);
                }
                q = q.bind::<Text, _>(workspace_id);
                for id in chunk {
                    q = q.bind::<Text, _>(id);
                }
                q.load::<ServiceCountSql>(c)
            }
            DbConn::Sqlite(c) => {
                let mut q = diesel::sql_query(&sql)
                    .bind::<Text, _>(workspace_id)
                    .into_boxed();
                for id in chunk {
                    q = q.bind::<Text, _>(id);
                }
                q = q.bind::<Text, _>(workspace_id);
                for id in chunk {
                    q = q.bind::<Text, _>(id);
                }
                q.load::<ServiceCountSql>(c)
            }
        }
    };
    let rows = match ids {
        None => run(conn, "", &[])?,
        Some(ids) => {
            let mut rows = Vec::new();
            for chunk in ids.chunks(400) {
                let marks = vec!["?"; chunk.len()].join(", ");
                rows.extend(run(
                    conn,
                    &format!(" AND i.account_id IN ({marks})"),
                    chunk,
                )?);
            }
            rows
        }
    };
    Ok(rows
        .into_iter()
        .map(|r| (r.account_id, r.kind, r.n))
        .collect())
}

#[derive(Debug, QueryableByName)]
struct CountSql {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// [`uncosted_new_customers`] of one channel whose first purchase day is in
/// `[from_day, to_day]`.
pub fn uncosted_in(
    conn: &mut DbConn,
    workspace_id: &str,
    channel: &str,
    from_day: i32,
    to_day: i32,
    convertible: &[String],
) -> QueryResult<i64> {
    let sql = placeholders(
        conn,
        &format!(
            "SELECT COUNT(*) AS n FROM account_metrics m JOIN accounts a ON a.id = m.account_id \
             WHERE m.workspace_id = ? AND a.workspace_id = m.workspace_id \
             AND a.deleted_at IS NULL AND m.first_day BETWEEN ? AND ? \
             AND a.acquisition_channel = ? \
             AND (a.acquisition_cost_amount IS NULL OR a.acquisition_cost_currency IS NULL \
             OR a.acquisition_cost_currency NOT IN ({}))",
            currency_list(convertible)
        ),
    );
    let row = crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .bind::<Integer, _>(from_day)
        .bind::<Integer, _>(to_day)
        .bind::<Text, _>(channel)
        .get_result::<CountSql>(c))?;
    Ok(row.n)
}

#[derive(Debug, QueryableByName)]
struct RetentionSql {
    #[diesel(sql_type = BigInt)]
    base: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    retained: Option<i64>,
}

/// Yearly retention: `(base, retained)`, the live customers who bought in the year
/// `[today - 730, today - 365)` and those of them who bought again in `[today - 365, today]`.
pub fn yearly_retention(
    conn: &mut DbConn,
    workspace_id: &str,
    today: i32,
) -> QueryResult<(i64, i64)> {
    let sql = placeholders(
        conn,
        "SELECT COUNT(*) AS base, SUM(CASE WHEN EXISTS (SELECT 1 FROM account_purchase_days n \
         WHERE n.account_id = b.account_id AND n.day BETWEEN ? AND ?) THEN 1 ELSE 0 END) \
         AS retained FROM (SELECT DISTINCT d.account_id AS account_id \
         FROM account_purchase_days d JOIN accounts a ON a.id = d.account_id \
         WHERE d.workspace_id = ? AND a.workspace_id = d.workspace_id \
         AND a.deleted_at IS NULL AND d.day BETWEEN ? AND ?) b",
    );
    let row = crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Integer, _>(today - 365)
        .bind::<Integer, _>(today)
        .bind::<Text, _>(workspace_id)
        .bind::<Integer, _>(today - 730)
        .bind::<Integer, _>(today - 366)
        .get_result::<RetentionSql>(c))?;
    Ok((row.base, row.retained.unwrap_or(0)))
}
