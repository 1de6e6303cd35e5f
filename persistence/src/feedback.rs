//! Survey responses (NPS, CSAT, CES), their daily and per-account monthly rollups and each account's
//! latest scores. Reads join live accounts: a deleted account's responses are gone with it.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{account_satisfaction, feedback_account_months, feedback_responses};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = feedback_responses)]
pub struct FeedbackRow {
    pub id: String,
    pub workspace_id: String,
    pub account_id: String,
    pub external_id: Option<String>,
    pub nps: Option<i32>,
    pub nps_category: Option<String>,
    pub csat: Option<i32>,
    pub ces: Option<i32>,
    pub touchpoint: String,
    pub channel: Option<String>,
    pub order_id: Option<String>,
    pub interaction_id: Option<String>,
    pub comment: Option<String>,
    pub occurred_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// Which responses a list returns. Every field narrows.
#[derive(Debug, Default, Clone)]
pub struct FeedbackFilter {
    pub account_id: Option<String>,
    pub touchpoint: Option<String>,
    pub channel: Option<String>,
    pub nps_category: Option<String>,
    pub external_id: Option<String>,
    pub occurred_after: Option<NaiveDateTime>,
    pub occurred_before: Option<NaiveDateTime>,
}

/// What a customer did in the 90 days after an NPS response, `(occurred_at, occurred_at + 90
/// days]`: orders not fully refunded and their net revenue (reporting currency, minor units),
/// counted as [`value_by_category_scanned`] counts them. Kept on the response
/// (`outcome_orders`, `outcome_revenue`) and on its account-month when it is the month's
/// latest NPS response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, QueryableByName)]
pub struct Outcome {
    #[diesel(sql_type = BigInt)]
    pub orders: i64,
    #[diesel(sql_type = BigInt)]
    pub revenue: i64,
}

/// A response as written: the row and its outcome so far.
#[derive(Insertable)]
#[diesel(table_name = feedback_responses)]
struct NewResponse {
    #[diesel(embed)]
    row: FeedbackRow,
    outcome_orders: i64,
    outcome_revenue: i64,
}

/// Records responses and adds them to the daily rollup (`feedback_daily`) and to their
/// accounts' months (`feedback_account_months`), in the caller's transaction: every response
/// written is counted once, and only a written one. Each NPS response gets its outcome from
/// the orders already written ([`Outcome`]); later orders and refunds add to it
/// ([`on_orders`], [`on_refund`]). On PostgreSQL the accounts' outcome locks are held
/// exclusively first ([`hold_outcomes`]), so an order written concurrently is counted
/// either here or by its own write, never by neither nor both.
pub fn insert_many(conn: &mut DbConn, rows: &[FeedbackRow]) -> QueryResult<()> {
    hold_outcomes(
        conn,
        rows.iter()
            .map(|r| (r.workspace_id.as_str(), r.account_id.as_str())),
        true,
    )?;
    let outcomes = outcomes_of(conn, rows)?;
    let new: Vec<NewResponse> = rows
        .iter()
        .zip(&outcomes)
        .map(|(r, o)| NewResponse {
            row: r.clone(),
            outcome_orders: o.orders,
            outcome_revenue: o.revenue,
        })
        .collect();
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for chunk in new.chunks(500) {
        crate::per_backend!(conn, |c| diesel::insert_into(feedback_responses::table)
            .values(chunk)
            .execute(c))?;
    }
    add_to_daily(conn, rows)?;
    add_to_account_months(conn, rows, &outcomes)
}

/// Accounts hash to this many outcome locks per workspace.
const OUTCOME_LOCKS: u32 = 64;

/// The outcome lock of an account (FNV-1a of its id: the same in every process).
fn outcome_lock(account_id: &str) -> i32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in account_id.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    i32::try_from(h % OUTCOME_LOCKS).unwrap_or(0)
}

/// PostgreSQL: holds to the commit the outcome locks of these accounts (an advisory lock per
/// workspace and hash bucket of account ids, taken in bucket order), shared by order writes
/// and refunds, exclusive by response writes and merges. An order write adds to the
/// responses it sees and a response write counts the orders it sees: without the lock, a
/// response and an order of the same account committed concurrently would each miss the
/// other. Order writers take it after the accounts' metrics rows (the lock order every order
/// writer keeps); response writers before any other lock. SQLite writers are serial.
pub fn hold_outcomes<'a>(
    conn: &mut DbConn,
    accounts: impl Iterator<Item = (&'a str, &'a str)>,
    exclusive: bool,
) -> QueryResult<()> {
    let DbConn::Pg(c) = conn else {
        return Ok(());
    };
    let keys: std::collections::BTreeSet<(i32, &str)> = accounts
        .map(|(ws, account)| (outcome_lock(account), ws))
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    let (buckets, workspaces): (Vec<i32>, Vec<&str>) = keys.into_iter().unzip();
    let sql = if exclusive {
        "SELECT pg_advisory_xact_lock(hashtextextended('feedback_outcomes:' || t.ws || ':' || t.b, 0)) \
         FROM unnest($1::int4[], $2::text[]) AS t(b, ws)"
    } else {
        "SELECT pg_advisory_xact_lock_shared(hashtextextended('feedback_outcomes:' || t.ws || ':' || t.b, 0)) \
         FROM unnest($1::int4[], $2::text[]) AS t(b, ws)"
    };
    diesel::sql_query(sql)
        .bind::<diesel::sql_types::Array<Integer>, _>(&buckets)
        .bind::<diesel::sql_types::Array<Text>, _>(&workspaces)
        .execute(c)?;
    Ok(())
}

/// The [`Outcome`] of each response from the orders written so far (zero without an NPS):
/// one range look-up per NPS response on the orders' `(workspace, account, occurred_at)`
/// index, in one statement on PostgreSQL.
fn outcomes_of(conn: &mut DbConn, rows: &[FeedbackRow]) -> QueryResult<Vec<Outcome>> {
    let mut out = vec![Outcome::default(); rows.len()];
    let nps: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].nps.is_some()).collect();
    if nps.is_empty() {
        return Ok(out);
    }
    match conn {
        DbConn::Pg(c) => {
            #[derive(QueryableByName)]
            struct Found {
                #[diesel(sql_type = BigInt)]
                i: i64,
                #[diesel(embed)]
                outcome: Outcome,
            }
            let ws: Vec<&str> = nps.iter().map(|&i| rows[i].workspace_id.as_str()).collect();
            let accounts: Vec<&str> = nps.iter().map(|&i| rows[i].account_id.as_str()).collect();
            let at: Vec<NaiveDateTime> = nps.iter().map(|&i| rows[i].occurred_at).collect();
            let found: Vec<Found> = diesel::sql_query(format!(
                "SELECT CAST(t.i AS BIGINT) AS i, CAST(v.orders AS BIGINT) AS orders, \
                 CAST(v.revenue AS BIGINT) AS revenue \
                 FROM unnest($1::text[], $2::text[], $3::timestamp[]) WITH ORDINALITY AS t(ws, account_id, at, i) \
                 CROSS JOIN LATERAL ( \
                   SELECT COUNT(*) FILTER (WHERE o.status <> 'refunded') AS orders, \
                   COALESCE(SUM({NET_REVENUE_SQL}), 0) AS revenue \
                   FROM orders o WHERE o.workspace_id = t.ws AND o.account_id = t.account_id \
                   AND o.occurred_at > t.at AND o.occurred_at <= t.at + INTERVAL '90 days') v"
            ))
            .bind::<diesel::sql_types::Array<Text>, _>(&ws)
            .bind::<diesel::sql_types::Array<Text>, _>(&accounts)
            .bind::<diesel::sql_types::Array<Timestamp>, _>(&at)
            .load(c)?;
            for f in found {
                let k = usize::try_from(f.i - 1).ok().and_then(|k| nps.get(k));
                if let Some(&i) = k {
                    out[i] = f.outcome;
                }
            }
        }
        DbConn::Sqlite(c) => {
            // The scan's own conditions (`datetime()` on the response's time).
            let sql = format!(
                "SELECT (SELECT COUNT(*) FROM orders o WHERE o.workspace_id = ? AND o.account_id = ? \
                   AND o.status <> 'refunded' AND o.occurred_at > ? AND o.occurred_at <= datetime(?, '+90 days')) AS orders, \
                 (SELECT COALESCE(SUM({NET_REVENUE_SQL}), 0) FROM orders o WHERE o.workspace_id = ? AND o.account_id = ? \
                   AND o.occurred_at > ? AND o.occurred_at <= datetime(?, '+90 days')) AS revenue"
            );
            for &i in &nps {
                let r = &rows[i];
                out[i] = diesel::sql_query(&sql)
                    .bind::<Text, _>(&r.workspace_id)
                    .bind::<Text, _>(&r.account_id)
                    .bind::<Timestamp, _>(r.occurred_at)
                    .bind::<Timestamp, _>(r.occurred_at)
                    .bind::<Text, _>(&r.workspace_id)
                    .bind::<Text, _>(&r.account_id)
                    .bind::<Timestamp, _>(r.occurred_at)
                    .bind::<Timestamp, _>(r.occurred_at)
                    .get_result(c)?;
            }
        }
    }
    Ok(out)
}

/// One order's change to the outcomes of its account's NPS responses of the 90 days before
/// `at` (its `occurred_at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeDelta<'a> {
    pub account_id: &'a str,
    pub at: NaiveDateTime,
    pub orders: i64,
    pub revenue: i64,
}

/// New orders: each adds itself (counted unless fully refunded, its net revenue) to the
/// outcomes of its account's NPS responses of the 90 days before it, and to their
/// account-months where such a response is the month's latest. In the order write's
/// transaction, after the accounts' metrics rows are locked; on PostgreSQL one statement
/// per batch, one index range look-up per order (nothing more for an account without a
/// response in those 90 days).
pub fn on_orders(
    conn: &mut DbConn,
    workspace_id: &str,
    rows: &[crate::orders::OrderRow],
) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    hold_outcomes(
        conn,
        rows.iter().map(|r| (workspace_id, r.account_id.as_str())),
        false,
    )?;
    let nets = net_revenues(
        conn,
        &rows
            .iter()
            .map(|r| (r.amount, r.refunded_amount, r.reporting_amount))
            .collect::<Vec<_>>(),
    )?;
    let deltas: Vec<OutcomeDelta> = rows
        .iter()
        .zip(nets)
        .map(|(r, revenue)| OutcomeDelta {
            account_id: &r.account_id,
            at: r.occurred_at,
            orders: i64::from(r.status != "refunded"),
            revenue,
        })
        .collect();
    add_to_outcomes(conn, workspace_id, &deltas)
}

/// A refund: what it changed in the order's count and net revenue (`before` -> `after`),
/// applied to the outcomes the order counts in. In the refund's transaction, after the
/// account's metrics row is locked.
pub fn on_refund(
    conn: &mut DbConn,
    workspace_id: &str,
    before: &crate::orders::OrderRow,
    after: &crate::orders::OrderRow,
) -> QueryResult<()> {
    let nets = net_revenues(
        conn,
        &[
            (
                before.amount,
                before.refunded_amount,
                before.reporting_amount,
            ),
            (after.amount, after.refunded_amount, after.reporting_amount),
        ],
    )?;
    let delta = OutcomeDelta {
        account_id: &after.account_id,
        at: after.occurred_at,
        orders: i64::from(after.status != "refunded") - i64::from(before.status != "refunded"),
        revenue: nets[1] - nets[0],
    };
    if delta.orders == 0 && delta.revenue == 0 {
        return Ok(());
    }
    hold_outcomes(
        conn,
        std::iter::once((workspace_id, after.account_id.as_str())),
        false,
    )?;
    add_to_outcomes(conn, workspace_id, &[delta])
}

/// Net revenue of orders `(amount, refunded_amount, reporting_amount)`, rounded by the
/// database as the report's scan rounds it ([`NET_REVENUE_SQL`]); an order without a refund
/// is its reporting amount, without a statement.
fn net_revenues(conn: &mut DbConn, orders: &[(i64, i64, i64)]) -> QueryResult<Vec<i64>> {
    #[derive(QueryableByName)]
    struct Net {
        #[diesel(sql_type = BigInt)]
        net: i64,
    }
    let mut out = Vec::with_capacity(orders.len());
    for &(amount, refunded_amount, reporting_amount) in orders {
        if refunded_amount == 0 {
            out.push(reporting_amount);
            continue;
        }
        let sql = numbered(
            conn,
            &format!(
                "SELECT CAST({} AS BIGINT) AS net FROM (SELECT CAST(? AS BIGINT) AS amount, \
                 CAST(? AS BIGINT) AS refunded_amount, CAST(? AS BIGINT) AS reporting_amount) o",
                NET_REVENUE_SQL
            ),
        );
        let net: Net = crate::per_backend!(conn, |c| diesel::sql_query(&sql)
            .bind::<BigInt, _>(amount)
            .bind::<BigInt, _>(refunded_amount)
            .bind::<BigInt, _>(reporting_amount)
            .get_result(c))?;
        out.push(net.net);
    }
    Ok(out)
}

/// Adds each delta to the outcomes of its account's NPS responses in `[at - 90 days, at)`
/// (the responses whose 90 days hold `at`) and to the account-months whose latest NPS
/// response is one of them.
pub fn add_to_outcomes(
    conn: &mut DbConn,
    workspace_id: &str,
    deltas: &[OutcomeDelta],
) -> QueryResult<()> {
    let deltas: Vec<&OutcomeDelta> = deltas
        .iter()
        .filter(|d| d.orders != 0 || d.revenue != 0)
        .collect();
    if deltas.is_empty() {
        return Ok(());
    }
    match conn {
        DbConn::Pg(c) => {
            let accounts: Vec<&str> = deltas.iter().map(|d| d.account_id).collect();
            let at: Vec<NaiveDateTime> = deltas.iter().map(|d| d.at).collect();
            let orders: Vec<i64> = deltas.iter().map(|d| d.orders).collect();
            let revenue: Vec<i64> = deltas.iter().map(|d| d.revenue).collect();
            // The responses first (one range look-up per order on
            // `feedback_responses_by_account`), then the months of the ones found, by key.
            diesel::sql_query(
                "WITH o AS (SELECT * FROM unnest($2::text[], $3::timestamp[], $4::int8[], $5::int8[]) \
                   AS t(account_id, at, orders, revenue)), \
                 d AS (SELECT f.id, f.account_id, f.occurred_at, CAST(SUM(o.orders) AS BIGINT) AS orders, \
                   CAST(SUM(o.revenue) AS BIGINT) AS revenue \
                   FROM o JOIN feedback_responses f ON f.workspace_id = $1 AND f.account_id = o.account_id \
                   AND f.occurred_at < o.at AND f.occurred_at >= o.at - INTERVAL '90 days' \
                   WHERE f.nps IS NOT NULL GROUP BY f.id, f.account_id, f.occurred_at), \
                 u AS (UPDATE feedback_responses f SET outcome_orders = f.outcome_orders + d.orders, \
                   outcome_revenue = f.outcome_revenue + d.revenue FROM d WHERE f.id = d.id \
                   RETURNING d.id, d.account_id, d.occurred_at, d.orders, d.revenue) \
                 UPDATE feedback_account_months m SET latest_nps_orders = m.latest_nps_orders + u.orders, \
                 latest_nps_revenue = m.latest_nps_revenue + u.revenue \
                 FROM u WHERE m.workspace_id = $1 AND m.account_id = u.account_id \
                 AND m.month = CAST(EXTRACT(YEAR FROM u.occurred_at) * 12 + EXTRACT(MONTH FROM u.occurred_at) - 1 AS INTEGER) \
                 AND m.latest_nps_id = u.id",
            )
            .bind::<Text, _>(workspace_id)
            .bind::<diesel::sql_types::Array<Text>, _>(&accounts)
            .bind::<diesel::sql_types::Array<Timestamp>, _>(&at)
            .bind::<diesel::sql_types::Array<BigInt>, _>(&orders)
            .bind::<diesel::sql_types::Array<BigInt>, _>(&revenue)
            .execute(c)?;
        }
        DbConn::Sqlite(c) => {
            // The scan's own conditions (`datetime()` on the response's time); the looser
            // lower bound a day earlier keeps the look-up on the index.
            for d in deltas {
                let floor = d.at - chrono::Duration::days(91);
                diesel::sql_query(
                    "UPDATE feedback_responses SET outcome_orders = outcome_orders + ?, \
                     outcome_revenue = outcome_revenue + ? \
                     WHERE workspace_id = ? AND account_id = ? AND occurred_at >= ? AND occurred_at < ? \
                     AND ? <= datetime(occurred_at, '+90 days') AND nps IS NOT NULL",
                )
                .bind::<BigInt, _>(d.orders)
                .bind::<BigInt, _>(d.revenue)
                .bind::<Text, _>(workspace_id)
                .bind::<Text, _>(d.account_id)
                .bind::<Timestamp, _>(floor)
                .bind::<Timestamp, _>(d.at)
                .bind::<Timestamp, _>(d.at)
                .execute(c)?;
                diesel::sql_query(
                    "UPDATE feedback_account_months SET latest_nps_orders = latest_nps_orders + ?, \
                     latest_nps_revenue = latest_nps_revenue + ? \
                     WHERE workspace_id = ? AND account_id = ? AND month >= ? AND month <= ? \
                     AND latest_nps_at >= ? AND latest_nps_at < ? \
                     AND ? <= datetime(latest_nps_at, '+90 days')",
                )
                .bind::<BigInt, _>(d.orders)
                .bind::<BigInt, _>(d.revenue)
                .bind::<Text, _>(workspace_id)
                .bind::<Text, _>(d.account_id)
                .bind::<Integer, _>(month_number(floor))
                .bind::<Integer, _>(month_number(d.at))
                .bind::<Timestamp, _>(floor)
                .bind::<Timestamp, _>(d.at)
                .bind::<Timestamp, _>(d.at)
                .execute(c)?;
            }
        }
    }
    Ok(())
}

/// Recomputes the outcomes of these accounts' NPS responses from their orders (after a
/// merge moved orders and responses between them).
fn recompute_outcomes(conn: &mut DbConn, workspace_id: &str, ids: &[&str]) -> QueryResult<()> {
    let until = match conn {
        DbConn::Pg(_) => "feedback_responses.occurred_at + INTERVAL '90 days'",
        DbConn::Sqlite(_) => "datetime(feedback_responses.occurred_at, '+90 days')",
    };
    for id in ids {
        let sql = numbered(
            conn,
            &format!(
                "UPDATE feedback_responses SET \
                 outcome_orders = (SELECT COUNT(*) FROM orders o WHERE o.workspace_id = feedback_responses.workspace_id \
                   AND o.account_id = feedback_responses.account_id AND o.status <> 'refunded' \
                   AND o.occurred_at > feedback_responses.occurred_at AND o.occurred_at <= {until}), \
                 outcome_revenue = (SELECT CAST(COALESCE(SUM({NET_REVENUE_SQL}), 0) AS BIGINT) FROM orders o \
                   WHERE o.workspace_id = feedback_responses.workspace_id AND o.account_id = feedback_responses.account_id \
                   AND o.occurred_at > feedback_responses.occurred_at AND o.occurred_at <= {until}) \
                 WHERE workspace_id = ? AND account_id = ? AND nps IS NOT NULL"
            ),
        );
        crate::per_backend!(conn, |c| diesel::sql_query(&sql)
            .bind::<Text, _>(workspace_id)
            .bind::<Text, _>(*id)
            .execute(c))?;
    }
    Ok(())
}

/// Days since 1970-01-01 of a UTC time (the rollup's `day`).
pub fn day_number(t: NaiveDateTime) -> i32 {
    rapport_domain::value::day_of(t)
}

/// Adds responses to their `(workspace, day, touchpoint, channel)` rows of the rollup, in
/// key order (concurrent writers lock the rows in the same order).
fn add_to_daily(conn: &mut DbConn, rows: &[FeedbackRow]) -> QueryResult<()> {
    let mut cells: BTreeMap<(&str, i32, &str, &str), [i64; 9]> = BTreeMap::new();
    for r in rows {
        let key = (
            r.workspace_id.as_str(),
            day_number(r.occurred_at),
            r.touchpoint.as_str(),
            r.channel.as_deref().unwrap_or(""),
        );
        let c = cells.entry(key).or_default();
        let nps = r.nps;
        c[0] += 1;
        c[1] += i64::from(nps.is_some());
        c[2] += i64::from(nps.is_some_and(|n| n >= 9));
        c[3] += i64::from(nps.is_some_and(|n| n <= 6));
        c[4] += i64::from(r.csat.is_some());
        c[5] += r.csat.map_or(0, i64::from);
        c[6] += i64::from(r.csat.is_some_and(|n| n >= 4));
        c[7] += i64::from(r.ces.is_some());
        c[8] += r.ces.map_or(0, i64::from);
    }
    let sql = numbered(
        conn,
        "INSERT INTO feedback_daily (workspace_id, day, touchpoint, channel, responses, \
         nps_responses, promoters, detractors, csat_responses, csat_sum, csat_satisfied, \
         ces_responses, ces_sum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (workspace_id, day, touchpoint, channel) DO UPDATE SET \
         responses = feedback_daily.responses + excluded.responses, \
         nps_responses = feedback_daily.nps_responses + excluded.nps_responses, \
         promoters = feedback_daily.promoters + excluded.promoters, \
         detractors = feedback_daily.detractors + excluded.detractors, \
         csat_responses = feedback_daily.csat_responses + excluded.csat_responses, \
         csat_sum = feedback_daily.csat_sum + excluded.csat_sum, \
         csat_satisfied = feedback_daily.csat_satisfied + excluded.csat_satisfied, \
         ces_responses = feedback_daily.ces_responses + excluded.ces_responses, \
         ces_sum = feedback_daily.ces_sum + excluded.ces_sum",
    );
    for ((ws, day, touchpoint, channel), c) in cells {
        crate::per_backend!(conn, |x| diesel::sql_query(&sql)
            .bind::<Text, _>(ws)
            .bind::<Integer, _>(day)
            .bind::<Text, _>(touchpoint)
            .bind::<Text, _>(channel)
            .bind::<BigInt, _>(c[0])
            .bind::<BigInt, _>(c[1])
            .bind::<BigInt, _>(c[2])
            .bind::<BigInt, _>(c[3])
            .bind::<BigInt, _>(c[4])
            .bind::<BigInt, _>(c[5])
            .bind::<BigInt, _>(c[6])
            .bind::<BigInt, _>(c[7])
            .bind::<BigInt, _>(c[8])
            .execute(x))?;
    }
    Ok(())
}

/// Calendar months since year 0 of a UTC time (the per-account rollup's `month`: year × 12 +
/// month − 1).
pub fn month_number(t: NaiveDateTime) -> i32 {
    t.year() * 12 + t.month0() as i32
}

/// The first instant of a [`month_number`].
pub fn month_start(month: i32) -> Option<NaiveDateTime> {
    let m0 = u32::try_from(month.rem_euclid(12)).ok()?;
    chrono::NaiveDate::from_ymd_opt(month.div_euclid(12), m0 + 1, 1)?.and_hms_opt(0, 0, 0)
}

/// Counts and the latest NPS response of one account's month.
#[derive(Default)]
struct MonthCell<'a> {
    counts: [i64; 9],
    /// `(occurred_at, id, category, outcome)` of the latest NPS response.
    latest: Option<(NaiveDateTime, &'a str, &'a str, Outcome)>,
}

/// Adds responses (with their outcomes, index for index) to their `(workspace, account,
/// month)` rows, in key order (concurrent writers lock the rows in the same order). A row's
/// latest NPS response, and its outcome, are replaced only by a later one (`occurred_at`,
/// then id), as the report's "latest response" orders them. Then the `next_nps_month` of the
/// months of the accounts with a new NPS response ([`relink`]).
fn add_to_account_months(
    conn: &mut DbConn,
    rows: &[FeedbackRow],
    outcomes: &[Outcome],
) -> QueryResult<()> {
    let mut cells: BTreeMap<(&str, &str, i32), MonthCell> = BTreeMap::new();
    for (r, outcome) in rows.iter().zip(outcomes) {
        let key = (
            r.workspace_id.as_str(),
            r.account_id.as_str(),
            month_number(r.occurred_at),
        );
        let cell = cells.entry(key).or_default();
        let c = &mut cell.counts;
        let nps = r.nps;
        c[0] += 1;
        c[1] += i64::from(nps.is_some());
        c[2] += i64::from(nps.is_some_and(|n| n >= 9));
        c[3] += i64::from(nps.is_some_and(|n| n <= 6));
        c[4] += i64::from(r.csat.is_some());
        c[5] += r.csat.map_or(0, i64::from);
        c[6] += i64::from(r.csat.is_some_and(|n| n >= 4));
        c[7] += i64::from(r.ces.is_some());
        c[8] += r.ces.map_or(0, i64::from);
        if let (Some(_), Some(category)) = (nps, r.nps_category.as_deref()) {
            let candidate = (r.occurred_at, r.id.as_str(), category, *outcome);
            if cell
                .latest
                .is_none_or(|(at, id, _, _)| (candidate.0, candidate.1) > (at, id))
            {
                cell.latest = Some(candidate);
            }
        }
    }
    // The stored latest is replaced when the new one is later (SET expressions read the
    // row as it was, on both backends).
    let later = "(excluded.latest_nps_at IS NOT NULL AND (m.latest_nps_at IS NULL \
                 OR excluded.latest_nps_at > m.latest_nps_at \
                 OR (excluded.latest_nps_at = m.latest_nps_at AND excluded.latest_nps_id > m.latest_nps_id)))";
    let replace = |c: &str| format!("{c} = CASE WHEN {later} THEN excluded.{c} ELSE m.{c} END");
    let sql = numbered(
        conn,
        &format!(
            "INSERT INTO feedback_account_months AS m (workspace_id, account_id, month, responses, \
             nps_responses, promoters, detractors, csat_responses, csat_sum, csat_satisfied, \
             ces_responses, ces_sum, latest_nps_at, latest_nps_id, latest_nps_category, \
             latest_nps_orders, latest_nps_revenue) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (workspace_id, account_id, month) DO UPDATE SET \
             responses = m.responses + excluded.responses, \
             nps_responses = m.nps_responses + excluded.nps_responses, \
             promoters = m.promoters + excluded.promoters, \
             detractors = m.detractors + excluded.detractors, \
             csat_responses = m.csat_responses + excluded.csat_responses, \
             csat_sum = m.csat_sum + excluded.csat_sum, \
             csat_satisfied = m.csat_satisfied + excluded.csat_satisfied, \
             ces_responses = m.ces_responses + excluded.ces_responses, \
             ces_sum = m.ces_sum + excluded.ces_sum, \
             {}, {}, {}, {}, {}",
            replace("latest_nps_at"),
            replace("latest_nps_id"),
            replace("latest_nps_category"),
            replace("latest_nps_orders"),
            replace("latest_nps_revenue"),
        ),
    );
    let mut linked: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for ((ws, account_id, month), cell) in cells {
        let c = cell.counts;
        let (at, id, category, outcome) = match cell.latest {
            Some((at, id, category, outcome)) => (Some(at), Some(id), Some(category), outcome),
            None => (None, None, None, Outcome::default()),
        };
        crate::per_backend!(conn, |x| diesel::sql_query(&sql)
            .bind::<Text, _>(ws)
            .bind::<Text, _>(account_id)
            .bind::<Integer, _>(month)
            .bind::<BigInt, _>(c[0])
            .bind::<BigInt, _>(c[1])
            .bind::<BigInt, _>(c[2])
            .bind::<BigInt, _>(c[3])
            .bind::<BigInt, _>(c[4])
            .bind::<BigInt, _>(c[5])
            .bind::<BigInt, _>(c[6])
            .bind::<BigInt, _>(c[7])
            .bind::<BigInt, _>(c[8])
            .bind::<Nullable<Timestamp>, _>(at)
            .bind::<Nullable<Text>, _>(id)
            .bind::<Nullable<Text>, _>(category)
            .bind::<BigInt, _>(outcome.orders)
            .bind::<BigInt, _>(outcome.revenue)
            .execute(x))?;
        if at.is_some() {
            let accounts = linked.entry(ws).or_default();
            if accounts.last() != Some(&account_id) {
                accounts.push(account_id);
            }
        }
    }
    for (ws, accounts) in linked {
        relink(conn, ws, &accounts)?;
    }
    Ok(())
}

/// Sets each of these accounts' months with an NPS response to point at the account's next
/// such month (`next_nps_month`, NULL for its last): on PostgreSQL one statement, writing only
/// the rows that change.
fn relink(conn: &mut DbConn, workspace_id: &str, account_ids: &[&str]) -> QueryResult<()> {
    match conn {
        DbConn::Pg(c) => {
            diesel::sql_query(
                "UPDATE feedback_account_months m SET next_nps_month = n.next \
                 FROM (SELECT account_id, month, \
                   LEAD(month) OVER (PARTITION BY account_id ORDER BY month) AS next \
                   FROM feedback_account_months \
                   WHERE workspace_id = $1 AND account_id = ANY($2) AND latest_nps_at IS NOT NULL) n \
                 WHERE m.workspace_id = $1 AND m.account_id = n.account_id AND m.month = n.month \
                 AND m.next_nps_month IS DISTINCT FROM n.next",
            )
            .bind::<Text, _>(workspace_id)
            .bind::<diesel::sql_types::Array<Text>, _>(account_ids)
            .execute(c)?;
        }
        DbConn::Sqlite(c) => {
            for account_id in account_ids {
                diesel::sql_query(
                    "UPDATE feedback_account_months SET next_nps_month = ( \
                       SELECT MIN(n.month) FROM feedback_account_months n \
                       WHERE n.workspace_id = feedback_account_months.workspace_id \
                       AND n.account_id = feedback_account_months.account_id \
                       AND n.month > feedback_account_months.month AND n.latest_nps_at IS NOT NULL) \
                     WHERE workspace_id = ? AND account_id = ? AND latest_nps_at IS NOT NULL",
                )
                .bind::<Text, _>(workspace_id)
                .bind::<Text, _>(*account_id)
                .execute(c)?;
            }
        }
    }
    Ok(())
}

/// Rebuilds the per-account months of these accounts from their responses, and their NPS
/// responses' outcomes from their orders (after a merge moved responses and orders between
/// them), in the caller's transaction, holding their outcome locks exclusively (after the
/// accounts' metrics rows: call it after the metrics are refreshed).
pub fn rebuild_account_months(
    conn: &mut DbConn,
    workspace_id: &str,
    account_ids: &[&str],
) -> QueryResult<()> {
    let mut ids: Vec<&str> = account_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    hold_outcomes(conn, ids.iter().map(|id| (workspace_id, *id)), true)?;
    recompute_outcomes(conn, workspace_id, &ids)?;
    diesel::delete(
        feedback_account_months::table
            .filter(feedback_account_months::workspace_id.eq(workspace_id))
            .filter(feedback_account_months::account_id.eq_any(&ids)),
    )
    .execute(conn)?;
    let loaded: Vec<(FeedbackRow, i64, i64)> = feedback_responses::table
        .filter(feedback_responses::workspace_id.eq(workspace_id))
        .filter(feedback_responses::account_id.eq_any(&ids))
        .select((
            FeedbackRow::as_select(),
            feedback_responses::outcome_orders,
            feedback_responses::outcome_revenue,
        ))
        .load(conn)?;
    let outcomes: Vec<Outcome> = loaded
        .iter()
        .map(|(_, orders, revenue)| Outcome {
            orders: *orders,
            revenue: *revenue,
        })
        .collect();
    let rows: Vec<FeedbackRow> = loaded.into_iter().map(|(r, _, _)| r).collect();
    add_to_account_months(conn, &rows, &outcomes)
}

/// `(external_id, id)` of the workspace's responses with these external ids.
pub fn existing_external_ids(
    conn: &mut DbConn,
    workspace_id: &str,
    external_ids: &[&str],
) -> QueryResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for chunk in external_ids.chunks(500) {
        let rows: Vec<(Option<String>, String)> = feedback_responses::table
            .filter(feedback_responses::workspace_id.eq(workspace_id))
            .filter(feedback_responses::external_id.eq_any(chunk))
            .select((feedback_responses::external_id, feedback_responses::id))
            .load(conn)?;
        out.extend(rows.into_iter().filter_map(|(e, id)| e.map(|e| (e, id))));
    }
    Ok(out)
}

/// A response of a live account of the workspace.
pub fn find(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<FeedbackRow>> {
    of_live_accounts!(feedback_responses::table)
        .filter(feedback_responses::workspace_id.eq(workspace_id))
        .filter(feedback_responses::id.eq(id))
        .select(FeedbackRow::as_select())
        .get_result(conn)
        .optional()
}

/// One page of responses, newest first (`occurred_at`, then id), after the key `after`.
pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    filter: &FeedbackFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<FeedbackRow>> {
    let mut query = of_live_accounts!(feedback_responses::table)
        .filter(feedback_responses::workspace_id.eq(workspace_id))
        .select(FeedbackRow::as_select())
        .order((
            feedback_responses::occurred_at.desc(),
            feedback_responses::id.desc(),
        ))
        .limit(limit)
        .into_boxed();
    if let Some(v) = &filter.account_id {
        query = query.filter(feedback_responses::account_id.eq(v.clone()));
    }
    if let Some(v) = &filter.touchpoint {
        query = query.filter(feedback_responses::touchpoint.eq(v.clone()));
    }
    if let Some(v) = &filter.channel {
        query = query.filter(feedback_responses::channel.eq(v.clone()));
    }
    if let Some(v) = &filter.nps_category {
        query = query.filter(feedback_responses::nps_category.eq(v.clone()));
    }
    if let Some(v) = &filter.external_id {
        query = query.filter(feedback_responses::external_id.eq(v.clone()));
    }
    if let Some(v) = filter.occurred_after {
        query = query.filter(feedback_responses::occurred_at.ge(v));
    }
    if let Some(v) = filter.occurred_before {
        query = query.filter(feedback_responses::occurred_at.lt(v));
    }
    if let Some((at, id)) = after {
        query = query.filter(
            feedback_responses::occurred_at
                .lt(at)
                .or(feedback_responses::occurred_at
                    .eq(at)
                    .and(feedback_responses::id.lt(id))),
        );
    }
    query.load(conn)
}

/// An account's latest scores.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = account_satisfaction, treat_none_as_null = true)]
pub struct SatisfactionRow {
    pub workspace_id: String,
    pub account_id: String,
    pub nps: Option<i32>,
    pub nps_category: Option<String>,
    pub nps_at: Option<NaiveDateTime>,
    pub csat: Option<i32>,
    pub csat_at: Option<NaiveDateTime>,
    pub ces: Option<i32>,
    pub ces_at: Option<NaiveDateTime>,
    pub responses: i64,
    pub last_response_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn find_satisfaction(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Option<SatisfactionRow>> {
    account_satisfaction::table
        .filter(account_satisfaction::workspace_id.eq(workspace_id))
        .filter(account_satisfaction::account_id.eq(account_id))
        .select(SatisfactionRow::as_select())
        .get_result(conn)
        .optional()
}

/// Locks the account's scores row (PostgreSQL) and reads it; writers of one account's
/// scores take it in account order.
pub fn lock_satisfaction(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Option<SatisfactionRow>> {
    let query = account_satisfaction::table
        .filter(account_satisfaction::workspace_id.eq(workspace_id))
        .filter(account_satisfaction::account_id.eq(account_id));
    match conn {
        DbConn::Pg(c) => query
            .select(SatisfactionRow::as_select())
            .for_update()
            .get_result(c)
            .optional(),
        DbConn::Sqlite(c) => query
            .select(SatisfactionRow::as_select())
            .get_result(c)
            .optional(),
    }
}

pub fn insert_satisfaction(conn: &mut DbConn, row: &SatisfactionRow) -> QueryResult<()> {
    diesel::insert_into(account_satisfaction::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update_satisfaction(conn: &mut DbConn, row: &SatisfactionRow) -> QueryResult<usize> {
    diesel::update(
        account_satisfaction::table
            .filter(account_satisfaction::workspace_id.eq(&row.workspace_id))
            .filter(account_satisfaction::account_id.eq(&row.account_id)),
    )
    .set(row)
    .execute(conn)
}

// ---------------------------------------------------------------------------------------
// Satisfaction analytics: aggregates in SQL, a few hundred rows out.

use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text, Timestamp};

/// Runs the satisfaction report's reads `f` on one snapshot ([`crate::read_transaction`]),
/// with room on PostgreSQL for its groupings and sorts in memory and without JIT
/// compilation (local to this transaction; see `BENCHMARKS.md`, issue 23).
pub fn analytics_read<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    crate::read_transaction(conn, |conn| {
        analytics_setup(conn)?;
        f(conn)
    })
}

/// [`analytics_read`] split into parts that run side by side on `conns`, one snapshot for
/// all ([`crate::read_parts`]).
pub fn analytics_read_parts<E>(
    conns: &mut [&mut DbConn],
    parts: Vec<crate::ReadPart<'_, E>>,
) -> Result<(), E>
where
    E: From<diesel::result::Error> + Send,
{
    crate::read_parts(conns, analytics_setup, parts)
}

fn analytics_setup(conn: &mut DbConn) -> QueryResult<()> {
    if let DbConn::Pg(c) = conn {
        diesel::sql_query("SET LOCAL work_mem = '64MB'").execute(c)?;
        diesel::sql_query("SET LOCAL jit = off").execute(c)?;
    }
    Ok(())
}

/// `?` placeholders numbered `$1…` on PostgreSQL.
fn numbered(conn: &DbConn, sql: &str) -> String {
    match conn {
        DbConn::Sqlite(_) => sql.to_owned(),
        DbConn::Pg(_) => {
            let mut out = String::with_capacity(sql.len() + 16);
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

/// How the report groups time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// `YYYY-MM`.
    Month,
    /// The Monday the ISO week starts on, `YYYY-MM-DD`.
    Week,
}

fn period_sql(conn: &DbConn, period: Period, col: &str) -> String {
    match (period, conn) {
        (Period::Month, DbConn::Pg(_)) => format!("to_char({col}, 'YYYY-MM')"),
        (Period::Month, DbConn::Sqlite(_)) => format!("strftime('%Y-%m', {col})"),
        (Period::Week, DbConn::Pg(_)) => {
            format!("to_char(date_trunc('week', {col}), 'YYYY-MM-DD')")
        }
        (Period::Week, DbConn::Sqlite(_)) => format!("date({col}, 'weekday 0', '-6 days')"),
    }
}

/// Response counts and score sums of a set of responses.
#[derive(Debug, Clone, Default, PartialEq, QueryableByName)]
pub struct Counts {
    #[diesel(sql_type = BigInt)]
    pub responses: i64,
    #[diesel(sql_type = BigInt)]
    pub nps_responses: i64,
    #[diesel(sql_type = BigInt)]
    pub promoters: i64,
    #[diesel(sql_type = BigInt)]
    pub detractors: i64,
    #[diesel(sql_type = BigInt)]
    pub csat_responses: i64,
    #[diesel(sql_type = BigInt)]
    pub csat_sum: i64,
    #[diesel(sql_type = BigInt)]
    pub csat_satisfied: i64,
    #[diesel(sql_type = BigInt)]
    pub ces_responses: i64,
    #[diesel(sql_type = BigInt)]
    pub ces_sum: i64,
}

/// [`Counts`] over raw responses `f`.
const COUNTS_SQL: &str = "CAST(COUNT(*) AS BIGINT) AS responses, \
     CAST(COUNT(f.nps) AS BIGINT) AS nps_responses, \
     CAST(COALESCE(SUM(CASE WHEN f.nps >= 9 THEN 1 ELSE 0 END), 0) AS BIGINT) AS promoters, \
     CAST(COALESCE(SUM(CASE WHEN f.nps <= 6 THEN 1 ELSE 0 END), 0) AS BIGINT) AS detractors, \
     CAST(COUNT(f.csat) AS BIGINT) AS csat_responses, \
     CAST(COALESCE(SUM(f.csat), 0) AS BIGINT) AS csat_sum, \
     CAST(COALESCE(SUM(CASE WHEN f.csat >= 4 THEN 1 ELSE 0 END), 0) AS BIGINT) AS csat_satisfied, \
     CAST(COUNT(f.ces) AS BIGINT) AS ces_responses, \
     CAST(COALESCE(SUM(f.ces), 0) AS BIGINT) AS ces_sum";

/// [`Counts`] summed over rows `alias` of counts.
fn sums_sql(alias: &str) -> String {
    [
        "responses",
        "nps_responses",
        "promoters",
        "detractors",
        "csat_responses",
        "csat_sum",
        "csat_satisfied",
        "ces_responses",
        "ces_sum",
    ]
    .iter()
    .map(|c| format!("CAST(SUM({alias}.{c}) AS BIGINT) AS {c}"))
    .collect::<Vec<_>>()
    .join(", ")
}

/// Response counts and score sums of one (period, touchpoint, channel).
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct ScoreCell {
    #[diesel(sql_type = Text)]
    pub period: String,
    #[diesel(sql_type = Text)]
    pub touchpoint: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub channel: Option<String>,
    #[diesel(embed)]
    pub counts: Counts,
}

/// Whose responses raw cells count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accounts {
    Live,
    Deleted,
}

/// The workspace's responses in `[from, to)` of live (or of deleted) accounts, counted per
/// period, touchpoint and channel, from the responses themselves.
pub fn score_cells(
    conn: &mut DbConn,
    workspace_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
    period: Period,
    accounts: Accounts,
) -> QueryResult<Vec<ScoreCell>> {
    let p = period_sql(conn, period, "f.occurred_at");
    let sql = numbered(
        conn,
        &match accounts {
            Accounts::Live => format!(
                "SELECT {p} AS period, f.touchpoint, f.channel, {COUNTS_SQL} \
                 FROM feedback_responses f \
                 WHERE f.workspace_id = ? AND f.occurred_at >= ? AND f.occurred_at < ? AND {live} \
                 GROUP BY {p}, f.touchpoint, f.channel",
                live = live_account_sql!("f"),
            ),
            // From the (few) deleted accounts, through their responses (`CROSS JOIN` keeps
            // SQLite's loop on the accounts, through the partial index `accounts_deleted`).
            Accounts::Deleted => format!(
                "SELECT {p} AS period, f.touchpoint, f.channel, {COUNTS_SQL} \
                 FROM accounts a CROSS JOIN feedback_responses f \
                 WHERE a.workspace_id = ? AND a.deleted_at IS NOT NULL \
                 AND f.workspace_id = a.workspace_id AND f.account_id = a.id \
                 AND f.occurred_at >= ? AND f.occurred_at < ? \
                 GROUP BY {p}, f.touchpoint, f.channel",
            ),
        },
    );
    crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .bind::<Timestamp, _>(from)
        .bind::<Timestamp, _>(to)
        .load::<ScoreCell>(c))
}

/// Every response ever recorded in the workspace on days `[from_day, to_day)` (deleted
/// accounts' included), counted per period, touchpoint and channel from the daily rollup:
/// at most one row per day, touchpoint and channel is read.
pub fn rolled_score_cells(
    conn: &mut DbConn,
    workspace_id: &str,
    from_day: i32,
    to_day: i32,
    period: Period,
) -> QueryResult<Vec<ScoreCell>> {
    let date = match conn {
        DbConn::Pg(_) => "CAST(DATE '1970-01-01' + d.day AS TIMESTAMP)",
        DbConn::Sqlite(_) => "date(d.day * 86400, 'unixepoch')",
    };
    let p = period_sql(conn, period, date);
    let sql = numbered(
        conn,
        &format!(
            "SELECT {p} AS period, d.touchpoint, CASE WHEN d.channel = '' THEN NULL ELSE d.channel END AS channel, \
             {sums} \
             FROM feedback_daily d \
             WHERE d.workspace_id = ? AND d.day >= ? AND d.day < ? \
             GROUP BY {p}, d.touchpoint, d.channel",
            sums = sums_sql("d"),
        ),
    );
    crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .bind::<Integer, _>(from_day)
        .bind::<Integer, _>(to_day)
        .load::<ScoreCell>(c))
}

/// Response counts of live accounts of one (current RFM segment, current loyalty tier
/// index, current owner).
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct AccountCell {
    #[diesel(sql_type = Nullable<Text>)]
    pub rfm_segment: Option<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub tier: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    pub owner_id: Option<String>,
    #[diesel(embed)]
    pub counts: Counts,
}

/// A window `[from, to)` as the whole calendar months the per-account rollup answers for
/// (`months`, possibly empty) and the partial months at its edges, read response by response
/// (`edges`, possibly empty ranges).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthSplit {
    pub months: (i32, i32),
    pub edges: [(NaiveDateTime, NaiveDateTime); 2],
}

impl MonthSplit {
    pub fn of(from: NaiveDateTime, to: NaiveDateTime) -> MonthSplit {
        let all_raw = MonthSplit {
            months: (0, 0),
            edges: [(from, to), (to, to)],
        };
        let first = month_number(from);
        let Some(first) = (if month_start(first) == Some(from) {
            Some(first)
        } else {
            first.checked_add(1)
        }) else {
            return all_raw;
        };
        // Months starting at or after `from` and ending at or before `to`.
        let last = month_number(to);
        match (month_start(first), month_start(last)) {
            (Some(start), Some(end)) if first < last => MonthSplit {
                months: (first, last),
                edges: [(from, start), (end, to)],
            },
            _ => all_raw,
        }
    }
}

/// The workspace's responses of live accounts in `[from, to)`, counted per the account's
/// current RFM segment, loyalty tier and owner: the window's whole months from the
/// per-account rollup (one row per account and month with responses), the partial months
/// at its edges from the responses, then the accounts joined to their metrics and loyalty
/// membership.
pub fn account_cells(
    conn: &mut DbConn,
    workspace_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<AccountCell>> {
    let split = MonthSplit::of(from, to);
    let columns = [
        "responses",
        "nps_responses",
        "promoters",
        "detractors",
        "csat_responses",
        "csat_sum",
        "csat_satisfied",
        "ces_responses",
        "ces_sum",
    ]
    .map(|c| format!("r.{c}"))
    .join(", ");
    let sql = numbered(
        conn,
        &format!(
            "SELECT m.rfm_segment, lm.tier, a.owner_id, {sums} \
             FROM (SELECT r.account_id, {columns} FROM feedback_account_months r \
                   WHERE r.workspace_id = ? AND r.month >= ? AND r.month < ? \
                   UNION ALL \
                   SELECT f.account_id, {COUNTS_SQL} FROM feedback_responses f \
                   WHERE f.workspace_id = ? AND ((f.occurred_at >= ? AND f.occurred_at < ?) \
                   OR (f.occurred_at >= ? AND f.occurred_at < ?)) \
                   GROUP BY f.account_id) x \
             JOIN accounts a ON a.id = x.account_id AND a.deleted_at IS NULL \
             LEFT JOIN account_metrics m ON m.account_id = x.account_id \
             LEFT JOIN loyalty_members lm ON lm.account_id = x.account_id \
             GROUP BY m.rfm_segment, lm.tier, a.owner_id",
            sums = sums_sql("x"),
        ),
    );
    let [(a_from, a_to), (b_from, b_to)] = split.edges;
    crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .bind::<Integer, _>(split.months.0)
        .bind::<Integer, _>(split.months.1)
        .bind::<Text, _>(workspace_id)
        .bind::<Timestamp, _>(a_from)
        .bind::<Timestamp, _>(a_to)
        .bind::<Timestamp, _>(b_from)
        .bind::<Timestamp, _>(b_to)
        .load::<AccountCell>(c))
}

/// [`account_cells`] by one grouped scan of every response in the window: what the rollup
/// replaced, kept as the reference the tests and the benchmark compare it with.
pub fn account_cells_scanned(
    conn: &mut DbConn,
    workspace_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<AccountCell>> {
    let sql = numbered(
        conn,
        &format!(
            "SELECT m.rfm_segment, lm.tier, a.owner_id, {sums} \
             FROM (SELECT f.account_id, {COUNTS_SQL} FROM feedback_responses f \
                   WHERE f.workspace_id = ? AND f.occurred_at >= ? AND f.occurred_at < ? \
                   GROUP BY f.account_id) x \
             JOIN accounts a ON a.id = x.account_id AND a.deleted_at IS NULL \
             LEFT JOIN account_metrics m ON m.account_id = x.account_id \
             LEFT JOIN loyalty_members lm ON lm.account_id = x.account_id \
             GROUP BY m.rfm_segment, lm.tier, a.owner_id",
            sums = sums_sql("x"),
        ),
    );
    crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .bind::<Timestamp, _>(from)
        .bind::<Timestamp, _>(to)
        .load::<AccountCell>(c))
}

/// What the customers of one group did in the 90 days after their event (see
/// [`value_by_category`] and [`value_by_resolution_sla`]).
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct GroupValue {
    #[diesel(sql_type = Text)]
    pub group: String,
    #[diesel(sql_type = BigInt)]
    pub customers: i64,
    /// Customers without an order (not fully refunded) in the 90 days.
    #[diesel(sql_type = BigInt)]
    pub churned: i64,
    /// Net revenue of those orders, minor units of the reporting currency.
    #[diesel(sql_type = BigInt)]
    pub revenue: i64,
}

/// Net revenue of an order `o` after its refunds, in the reporting currency.
const NET_REVENUE_SQL: &str = "o.reporting_amount - CASE WHEN o.amount > 0 THEN CAST(ROUND(CAST(o.refunded_amount AS DOUBLE PRECISION) * o.reporting_amount / o.amount) AS BIGINT) ELSE 0 END";

/// Customers, churned and net revenue per group of `latest` (a query of one row per
/// customer: `account_id`, `grp`, `at`), from the customer's orders in `(at, at + 90 days]`:
/// one range lookup per customer on the orders' `(workspace, account, occurred_at)` index
/// (`LATERAL` on PostgreSQL; two correlated lookups on SQLite, which has no `LATERAL`).
/// The caller binds `latest`'s parameters, then the workspace once on PostgreSQL and twice
/// on SQLite.
fn value_after(conn: &DbConn, latest: &str) -> String {
    match conn {
        DbConn::Sqlite(_) => value_after_correlated(conn, latest),
        DbConn::Pg(_) => numbered(
            conn,
            &format!(
                "WITH l AS ({latest}) \
                 SELECT l.grp AS \"group\", CAST(COUNT(*) AS BIGINT) AS customers, \
                 CAST(SUM(CASE WHEN v.orders = 0 THEN 1 ELSE 0 END) AS BIGINT) AS churned, \
                 CAST(COALESCE(SUM(v.revenue), 0) AS BIGINT) AS revenue \
                 FROM l CROSS JOIN LATERAL ( \
                   SELECT COUNT(*) FILTER (WHERE o.status <> 'refunded') AS orders, \
                   COALESCE(SUM({NET_REVENUE_SQL}), 0) AS revenue \
                   FROM orders o WHERE o.workspace_id = ? AND o.account_id = l.account_id \
                   AND o.occurred_at > l.at AND o.occurred_at <= l.at + INTERVAL '90 days') v \
                 GROUP BY l.grp",
            ),
        ),
    }
}

/// [`value_after`] with two correlated lookups per customer (the workspace bound twice on
/// both backends): the form before `LATERAL`, kept for the `_scanned` references. Measured
/// faster on PostgreSQL than one join to orders grouped again (117 ms against 210 ms over
/// 10,000 customers, `BENCHMARKS.md`).
fn value_after_correlated(conn: &DbConn, latest: &str) -> String {
    let until = match conn {
        DbConn::Pg(_) => "l.at + INTERVAL '90 days'",
        DbConn::Sqlite(_) => "datetime(l.at, '+90 days')",
    };
    numbered(
        conn,
        &format!(
            "WITH l AS ({latest}), \
             later AS ( \
               SELECT l.grp, \
               (SELECT CAST(COUNT(*) AS BIGINT) FROM orders o WHERE o.workspace_id = ? AND o.account_id = l.account_id \
                  AND o.status <> 'refunded' AND o.occurred_at > l.at AND o.occurred_at <= {until}) AS orders, \
               (SELECT CAST(COALESCE(SUM(o.reporting_amount - CASE WHEN o.amount > 0 THEN CAST(ROUND(CAST(o.refunded_amount AS DOUBLE PRECISION) * o.reporting_amount / o.amount) AS BIGINT) ELSE 0 END), 0) AS BIGINT) \
                  FROM orders o WHERE o.workspace_id = ? AND o.account_id = l.account_id \
                  AND o.occurred_at > l.at AND o.occurred_at <= {until}) AS revenue \
               FROM l) \
             SELECT grp AS \"group\", CAST(COUNT(*) AS BIGINT) AS customers, \
             CAST(SUM(CASE WHEN orders = 0 THEN 1 ELSE 0 END) AS BIGINT) AS churned, \
             CAST(COALESCE(SUM(revenue), 0) AS BIGINT) AS revenue \
             FROM later GROUP BY grp",
        ),
    )
}

/// What the customers of each NPS category (of their latest NPS response in `[from, to)`)
/// did in the 90 days after it; `group` is the category. Reads the outcomes the writes keep
/// ([`Outcome`]), no orders. Each customer's latest response is, by priority: the latest of
/// the partial month at the window's end (responses, one by one); else the latest of the
/// window's whole months, the one account-month with an NPS response in them whose
/// `next_nps_month` is past them (a filter, no sort per customer); else the latest of the
/// partial month at its start.
pub fn value_by_category(
    conn: &mut DbConn,
    workspace_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<GroupValue>> {
    let split = MonthSplit::of(from, to);
    let edge = |name: &str| {
        format!(
            "{name} AS (SELECT r.workspace_id, r.account_id, r.grp, r.orders, r.revenue FROM ( \
               SELECT f.workspace_id, f.account_id, f.nps_category AS grp, f.outcome_orders AS orders, \
               f.outcome_revenue AS revenue, \
               ROW_NUMBER() OVER (PARTITION BY f.account_id ORDER BY f.occurred_at DESC, f.id DESC) AS rn \
               FROM feedback_responses f \
               WHERE f.workspace_id = ? AND f.nps IS NOT NULL AND f.occurred_at >= ? AND f.occurred_at < ?) r \
             WHERE r.rn = 1)"
        )
    };
    let sql = numbered(
        conn,
        &format!(
            "WITH {last}, \
             months AS (SELECT m.workspace_id, m.account_id, m.latest_nps_category AS grp, \
               m.latest_nps_orders AS orders, m.latest_nps_revenue AS revenue \
               FROM feedback_account_months m \
               WHERE m.workspace_id = ? AND m.month >= ? AND m.month < ? AND m.latest_nps_at IS NOT NULL \
               AND (m.next_nps_month IS NULL OR m.next_nps_month >= ?) \
               AND NOT EXISTS (SELECT 1 FROM last l WHERE l.account_id = m.account_id)), \
             {first} \
             SELECT x.grp AS \"group\", CAST(COUNT(*) AS BIGINT) AS customers, \
             CAST(SUM(CASE WHEN x.orders = 0 THEN 1 ELSE 0 END) AS BIGINT) AS churned, \
             CAST(COALESCE(SUM(x.revenue), 0) AS BIGINT) AS revenue \
             FROM (SELECT * FROM last UNION ALL SELECT * FROM months UNION ALL \
                   SELECT * FROM first_edge fe WHERE NOT EXISTS (SELECT 1 FROM last l WHERE l.account_id = fe.account_id) \
                   AND NOT EXISTS (SELECT 1 FROM feedback_account_months n WHERE n.workspace_id = fe.workspace_id \
                     AND n.account_id = fe.account_id AND n.month >= ? AND n.month < ? AND n.latest_nps_at IS NOT NULL)) x \
             WHERE {live} \
             GROUP BY x.grp",
            last = edge("last"),
            first = edge("first_edge"),
            live = not_deleted_account_sql!("x"),
        ),
    );
    let [(a_from, a_to), (b_from, b_to)] = split.edges;
    crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .bind::<Timestamp, _>(b_from)
        .bind::<Timestamp, _>(b_to)
        .bind::<Text, _>(workspace_id)
        .bind::<Integer, _>(split.months.0)
        .bind::<Integer, _>(split.months.1)
        .bind::<Integer, _>(split.months.1)
        .bind::<Text, _>(workspace_id)
        .bind::<Timestamp, _>(a_from)
        .bind::<Timestamp, _>(a_to)
        .bind::<Integer, _>(split.months.0)
        .bind::<Integer, _>(split.months.1)
        .load::<GroupValue>(c))
}

/// [`value_by_category`] with each customer's latest response found by a scan of every NPS
/// response in the window: what the rollup replaced, kept as the reference the tests and
/// the benchmark compare it with.
pub fn value_by_category_scanned(
    conn: &mut DbConn,
    workspace_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<GroupValue>> {
    let latest = format!(
        "SELECT r.account_id, r.nps_category AS grp, r.occurred_at AS at FROM ( \
           SELECT f.account_id, f.nps_category, f.occurred_at, \
           ROW_NUMBER() OVER (PARTITION BY f.account_id ORDER BY f.occurred_at DESC, f.id DESC) AS rn \
           FROM feedback_responses f \
           WHERE f.workspace_id = ? AND f.nps IS NOT NULL AND f.occurred_at >= ? AND f.occurred_at < ? AND {live}) r \
         WHERE r.rn = 1",
        live = live_account_sql!("f"),
    );
    let sql = value_after_correlated(conn, &latest);
    crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .bind::<Timestamp, _>(from)
        .bind::<Timestamp, _>(to)
        .bind::<Text, _>(workspace_id)
        .bind::<Text, _>(workspace_id)
        .load::<GroupValue>(c))
}

/// How many of the workspace's NPS responses hold an outcome other than a scan of the orders
/// gives, and how many account-months hold a latest outcome other than their latest
/// response's or a `next_nps_month` other than a scan of the months gives: `(0, 0)` when the
/// writes kept them (the reference the tests compare them with).
pub fn outcome_drift(conn: &mut DbConn, workspace_id: &str) -> QueryResult<(i64, i64)> {
    #[derive(QueryableByName)]
    struct Drift {
        #[diesel(sql_type = BigInt)]
        responses: i64,
        #[diesel(sql_type = BigInt)]
        months: i64,
    }
    let until = match conn {
        DbConn::Pg(_) => "f.occurred_at + INTERVAL '90 days'",
        DbConn::Sqlite(_) => "datetime(f.occurred_at, '+90 days')",
    };
    let sql = numbered(
        conn,
        &format!(
            "SELECT \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM feedback_responses f WHERE f.workspace_id = ? AND f.nps IS NOT NULL \
              AND (f.outcome_orders <> (SELECT COUNT(*) FROM orders o WHERE o.workspace_id = f.workspace_id \
                     AND o.account_id = f.account_id AND o.status <> 'refunded' \
                     AND o.occurred_at > f.occurred_at AND o.occurred_at <= {until}) \
                OR f.outcome_revenue <> (SELECT COALESCE(SUM({NET_REVENUE_SQL}), 0) FROM orders o \
                     WHERE o.workspace_id = f.workspace_id AND o.account_id = f.account_id \
                     AND o.occurred_at > f.occurred_at AND o.occurred_at <= {until}))) AS responses, \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM feedback_account_months m \
              LEFT JOIN feedback_responses f ON f.id = m.latest_nps_id \
              WHERE m.workspace_id = ? AND m.latest_nps_at IS NOT NULL \
              AND (f.id IS NULL OR m.latest_nps_orders <> f.outcome_orders OR m.latest_nps_revenue <> f.outcome_revenue \
                OR COALESCE(m.next_nps_month, -1) <> COALESCE((SELECT MIN(n.month) FROM feedback_account_months n \
                     WHERE n.workspace_id = m.workspace_id AND n.account_id = m.account_id AND n.month > m.month \
                     AND n.latest_nps_at IS NOT NULL), -1))) AS months"
        ),
    );
    let drift: Drift = crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .bind::<Text, _>(workspace_id)
        .get_result(c))?;
    Ok((drift.responses, drift.months))
}

/// What complainants did in the 90 days after the resolution of their latest complaint
/// resolved in `[from, to)`; `group` is `within_sla` (resolved by its resolution due time)
/// or `breached`.
pub fn value_by_resolution_sla(
    conn: &mut DbConn,
    workspace_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<GroupValue>> {
    let latest = format!(
        "SELECT r.account_id, r.grp, r.resolved_at AS at FROM ( \
           SELECT c.account_id, c.resolved_at, \
           CASE WHEN c.resolved_at <= c.resolution_due_at THEN 'within_sla' ELSE 'breached' END AS grp, \
           ROW_NUMBER() OVER (PARTITION BY c.account_id ORDER BY c.resolved_at DESC, c.id DESC) AS rn \
           FROM complaints c \
           WHERE c.workspace_id = ? AND c.resolved_at IS NOT NULL AND c.resolved_at >= ? AND c.resolved_at < ? AND {live}) r \
         WHERE r.rn = 1",
        live = not_deleted_account_sql!("c"),
    );
    let sql = value_after(conn, &latest);
    let query = diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .bind::<Timestamp, _>(from)
        .bind::<Timestamp, _>(to)
        .bind::<Text, _>(workspace_id);
    match conn {
        DbConn::Pg(c) => query.load::<GroupValue>(c),
        DbConn::Sqlite(c) => query.bind::<Text, _>(workspace_id).load::<GroupValue>(c),
    }
}

/// A detractor (latest NPS) of a live account, with what the model says it is worth.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct DetractorRow {
    #[diesel(sql_type = Text)]
    pub account_id: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Nullable<diesel::sql_types::Integer>)]
    pub nps: Option<i32>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub nps_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub clv: Option<i64>,
    #[diesel(sql_type = Nullable<Double>)]
    pub churn_probability: Option<f64>,
    #[diesel(sql_type = BigInt)]
    pub revenue: i64,
    #[diesel(sql_type = BigInt)]
    pub value_at_risk: i64,
}

/// The workspace's detractors ranked by value at risk (12-month CLV, or the revenue so far
/// without a prediction), highest first.
pub fn detractors_by_value(
    conn: &mut DbConn,
    workspace_id: &str,
    limit: i64,
) -> QueryResult<Vec<DetractorRow>> {
    let sql = numbered(
        conn,
        &format!(
            "SELECT t.account_id, a.name, t.nps, t.nps_at, t.clv, t.churn_probability, t.revenue, \
             t.value_at_risk FROM ( \
               SELECT s.account_id, s.nps, s.nps_at, p.clv, p.churn_probability, \
               CAST(COALESCE(m.revenue, 0) AS BIGINT) AS revenue, \
               CAST(COALESCE(p.clv, m.revenue, 0) AS BIGINT) AS value_at_risk \
               FROM account_satisfaction s \
               LEFT JOIN account_predictions p ON p.account_id = s.account_id AND p.workspace_id = s.workspace_id \
               LEFT JOIN account_metrics m ON m.account_id = s.account_id AND m.workspace_id = s.workspace_id \
               WHERE s.workspace_id = ? AND s.nps_category = 'detractor' AND {live} \
               ORDER BY value_at_risk DESC, s.account_id ASC LIMIT ?) t \
             JOIN accounts a ON a.id = t.account_id \
             ORDER BY t.value_at_risk DESC, t.account_id ASC",
            live = not_deleted_account_sql!("s"),
        ),
    );
    crate::per_backend!(conn, |c| diesel::sql_query(&sql)
        .bind::<Text, _>(workspace_id)
        .bind::<BigInt, _>(limit)
        .load::<DetractorRow>(c))
}
