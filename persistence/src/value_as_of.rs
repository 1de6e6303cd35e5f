//! Value metrics and predictions as of a past instant, held in temporary tables for the
//! length of one transaction, so a compiled segment rule (see [`crate::segments`], whose
//! `RuleContext::as_of` points it here) reads them exactly as it reads `account_metrics`
//! and `account_predictions`.
//!
//! The tables have the stored tables' columns and live only in the caller's transaction:
//! PostgreSQL drops them at commit (`ON COMMIT DROP`), SQLite's are dropped before commit,
//! and a rollback undoes their creation on both. Nothing outlives the transaction on the
//! pooled connection, and no other connection can see them.

use diesel::prelude::*;
use diesel::sql_query;

use crate::connection::DbConn;
use crate::segments::PredictionRow;
pub use crate::segments::{
    AS_OF_METRICS_TABLE as METRICS_TABLE, AS_OF_PREDICTIONS_TABLE as PREDICTIONS_TABLE,
};
use crate::value::MetricsRow;

mod scratch {
    diesel::table! {
        as_of_account_metrics (account_id) {
            account_id -> Text,
            workspace_id -> Text,
            orders_count -> BigInt,
            revenue -> BigInt,
            costed_revenue -> BigInt,
            cost -> BigInt,
            first_order_at -> Nullable<Timestamp>,
            last_order_at -> Nullable<Timestamp>,
            first_day -> Nullable<Integer>,
            last_day -> Nullable<Integer>,
            repeat_purchases -> BigInt,
            repeat_revenue -> BigInt,
            rfm_r -> Nullable<Integer>,
            rfm_f -> Nullable<Integer>,
            rfm_m -> Nullable<Integer>,
            rfm_segment -> Nullable<Text>,
            updated_at -> Timestamp,
        }
    }

    diesel::table! {
        as_of_account_predictions (account_id) {
            account_id -> Text,
            workspace_id -> Text,
            churn_probability -> Double,
            expected_orders_90d -> Double,
            clv -> Nullable<BigInt>,
            predicted_at -> Timestamp,
        }
    }
}

use scratch::{as_of_account_metrics as m, as_of_account_predictions as p};

/// Runs `f` in a transaction that may create temporary tables, on one snapshot: a deferred
/// `BEGIN` on SQLite (WAL keeps the snapshot of the first read and blocks no writer; the
/// temporary database is the connection's own, so no lock on the main one is taken),
/// `REPEATABLE READ` on PostgreSQL (read-write: a `READ ONLY` transaction may not create
/// tables, even temporary ones). Commits on `Ok`, rolls back on `Err`. Call it on a
/// connection with no transaction open.
pub fn scratch_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    match conn {
        DbConn::Sqlite(inner) => AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN")?,
        DbConn::Pg(inner) => AnsiTransactionManager::begin_transaction_sql(
            inner,
            "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ",
        )?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConn as diesel::Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(err) => {
            let _ = <DbConn as diesel::Connection>::TransactionManager::rollback_transaction(conn);
            Err(err)
        }
    }
}

/// Creates the two temporary tables in the current transaction (see
/// [`scratch_transaction`]) and fills them with these rows.
pub fn create_tables(
    conn: &mut DbConn,
    metrics: &[MetricsRow],
    predictions: &[PredictionRow],
) -> QueryResult<()> {
    drop_tables(conn)?;
    let statements: [&str; 4] = match conn {
        DbConn::Pg(_) => [
            // `INCLUDING GENERATED`: `revenue_band` (migration 2026-12-16-000101) is
            // computed as in the table, not copied as a NOT NULL column left empty.
            "CREATE TEMP TABLE as_of_account_metrics (LIKE account_metrics INCLUDING DEFAULTS INCLUDING GENERATED) ON COMMIT DROP",
            "CREATE TEMP TABLE as_of_account_predictions (LIKE account_predictions INCLUDING DEFAULTS) ON COMMIT DROP",
            "ALTER TABLE pg_temp.as_of_account_metrics ADD PRIMARY KEY (account_id)",
            "ALTER TABLE pg_temp.as_of_account_predictions ADD PRIMARY KEY (account_id)",
        ],
        DbConn::Sqlite(_) => [
            "CREATE TEMP TABLE as_of_account_metrics AS SELECT * FROM account_metrics WHERE 0",
            "CREATE TEMP TABLE as_of_account_predictions AS SELECT * FROM account_predictions WHERE 0",
            "CREATE UNIQUE INDEX temp.as_of_account_metrics_pk ON as_of_account_metrics (account_id)",
            "CREATE UNIQUE INDEX temp.as_of_account_predictions_pk ON as_of_account_predictions (account_id)",
        ],
    };
    for statement in statements {
        sql_query(statement).execute(conn)?;
    }
    // 17 binds a row: chunks stay far below both backends' bound-parameter limits.
    for chunk in metrics.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|r| {
                (
                    m::account_id.eq(&r.account_id),
                    m::workspace_id.eq(&r.workspace_id),
                    m::orders_count.eq(r.orders_count),
                    m::revenue.eq(r.revenue),
                    m::costed_revenue.eq(r.costed_revenue),
                    m::cost.eq(r.cost),
                    m::first_order_at.eq(r.first_order_at),
                    m::last_order_at.eq(r.last_order_at),
                    m::first_day.eq(r.first_day),
                    m::last_day.eq(r.last_day),
                    m::repeat_purchases.eq(r.repeat_purchases),
                    m::repeat_revenue.eq(r.repeat_revenue),
                    m::rfm_r.eq(r.rfm_r),
                    m::rfm_f.eq(r.rfm_f),
                    m::rfm_m.eq(r.rfm_m),
                    m::rfm_segment.eq(&r.rfm_segment),
                    m::updated_at.eq(r.updated_at),
                )
            })
            .collect();
        crate::per_backend!(conn, |c| diesel::insert_into(m::table)
            .values(&rows)
            .execute(c))?;
    }
    for chunk in predictions.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|r| {
                (
                    p::account_id.eq(&r.account_id),
                    p::workspace_id.eq(&r.workspace_id),
                    p::churn_probability.eq(r.churn_probability),
                    p::expected_orders_90d.eq(r.expected_orders_90d),
                    p::clv.eq(r.clv),
                    p::predicted_at.eq(r.predicted_at),
                )
            })
            .collect();
        crate::per_backend!(conn, |c| diesel::insert_into(p::table)
            .values(&rows)
            .execute(c))?;
    }
    Ok(())
}

/// Drops the temporary tables (if this connection has them).
pub fn drop_tables(conn: &mut DbConn) -> QueryResult<()> {
    let schema = match conn {
        DbConn::Pg(_) => "pg_temp",
        DbConn::Sqlite(_) => "temp",
    };
    for table in [METRICS_TABLE, PREDICTIONS_TABLE] {
        sql_query(format!("DROP TABLE IF EXISTS {schema}.{table}")).execute(conn)?;
    }
    Ok(())
}
