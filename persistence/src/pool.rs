//! The connection pool and the one way to run a write (or a consistent read) transaction on
//! either backend.

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::r2d2::{Pool, PooledConnection};

use crate::connection::{ConnectionManager, DatabaseUrl, DbConn};

pub type DbPool = Pool<ConnectionManager>;
pub type PooledConn = PooledConnection<ConnectionManager>;

#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_size: u32,
    /// How long a checkout waits for a free connection.
    pub connection_timeout: Duration,
    /// How long one statement may run or wait for a lock (0: no bound); see
    /// [`ConnectionManager::with_statement_timeout`].
    pub statement_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_size: 10,
            connection_timeout: Duration::from_secs(5),
            statement_timeout: crate::connection::DEFAULT_STATEMENT_TIMEOUT,
        }
    }
}

/// Why a pool could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// Preparing the database before the pool (a SQLite file's journal mode) failed.
    #[error(transparent)]
    Prepare(#[from] diesel::r2d2::Error),
    #[error(transparent)]
    Pool(#[from] r2d2::Error),
}

/// Builds the pool for `url`. An in-memory SQLite database exists once per connection, so
/// its pool holds exactly one connection, kept forever.
pub fn build_pool(url: &DatabaseUrl, options: &PoolOptions) -> Result<DbPool, PoolError> {
    let manager =
        ConnectionManager::new(url.clone()).with_statement_timeout(options.statement_timeout);
    manager.prepare_sqlite_file()?;
    // Checking a connection on every checkout costs a query per request; a broken
    // connection is noticed when its query fails and the pool replaces it.
    let builder = Pool::builder()
        .connection_timeout(options.connection_timeout)
        .test_on_check_out(false);
    let builder = match url {
        DatabaseUrl::SqliteMemory => builder.max_size(1).min_idle(Some(1)).idle_timeout(None),
        _ => builder.max_size(options.max_size.max(1)),
    };
    Ok(builder.build(manager)?)
}

/// Runs `f` in a write transaction: `BEGIN IMMEDIATE` on SQLite (so two writers queue on the
/// busy timeout instead of failing when a read lock upgrades), a plain `BEGIN` on PostgreSQL.
/// Commits on `Ok`, rolls back on `Err`.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Sqlite(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?
        }
        DbConn::Pg(inner) => AnsiTransactionManager::begin_transaction(inner)?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConn as diesel::Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(err) => {
            // The original error matters more than a failed rollback; the pool discards a
            // connection left in a broken transaction state.
            let _ = <DbConn as diesel::Connection>::TransactionManager::rollback_transaction(conn);
            Err(err)
        }
    }
}

/// Runs `f` on one snapshot of the database, for reads that compare several statements
/// (a balance and the lots it is derived from): `REPEATABLE READ, READ ONLY` on PostgreSQL
/// (every statement sees the data committed before the first one), a deferred `BEGIN` on
/// SQLite (in WAL mode a read transaction keeps the snapshot of its first read and blocks no
/// writer). Inside a transaction already open on `conn`, `f` simply runs in it.
pub fn read_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let depth = match conn {
        DbConn::Sqlite(inner) => {
            AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth()?
        }
        DbConn::Pg(inner) => {
            AnsiTransactionManager::transaction_manager_status_mut(inner).transaction_depth()?
        }
    };
    if depth.is_some() {
        return f(conn);
    }
    begin_read(conn)?;
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

/// One part of a read split over several connections ([`read_parts`]).
pub type ReadPart<'a, E> = Box<dyn FnOnce(&mut DbConn) -> Result<(), E> + Send + 'a>;

/// Runs `parts` at once, part `i` on `conns[i % conns.len()]`, each connection in a read-only
/// transaction begun by the same `BEGIN` as [`read_transaction`] and then `setup`, all of them
/// reading **one snapshot**: on PostgreSQL the first transaction exports its snapshot
/// (`pg_export_snapshot()`), the others import it (`SET TRANSACTION SNAPSHOT`) before anything
/// reads, and every transaction stays open until every part is done. So a report split into
/// parts that run side by side (one database core each) is as consistent as one read
/// transaction. With a single connection (what SQLite gets: it cannot share a snapshot between
/// connections) the parts run one after another in one transaction. A part that fails fails
/// the whole read; every transaction is then rolled back.
pub fn read_parts<E>(
    conns: &mut [&mut DbConn],
    setup: fn(&mut DbConn) -> diesel::QueryResult<()>,
    parts: Vec<ReadPart<'_, E>>,
) -> Result<(), E>
where
    E: From<diesel::result::Error> + Send,
{
    use diesel::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Exported {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }

    let n = conns.len().max(1);
    let mut begun = 0;
    let result = (|| -> Result<(), E> {
        let mut snapshot = None;
        for conn in conns.iter_mut() {
            begin_read(conn)?;
            begun += 1;
            if let DbConn::Pg(c) = &mut **conn {
                match &snapshot {
                    None => {
                        let exported = diesel::sql_query("SELECT pg_export_snapshot() AS id")
                            .get_result::<Exported>(c)?;
                        snapshot = Some(exported.id);
                    }
                    Some(id) => {
                        // The server's own identifier (hex digits and dashes); it cannot be a
                        // bound parameter in this statement.
                        if !id.chars().all(|ch| ch.is_ascii_hexdigit() || ch == '-') {
                            return Err(diesel::result::Error::QueryBuilderError(
                                format!("unexpected snapshot identifier {id:?}").into(),
                            )
                            .into());
                        }
                        diesel::sql_query(format!("SET TRANSACTION SNAPSHOT '{id}'")).execute(c)?;
                    }
                }
            }
            setup(conn)?;
        }
        let mut lanes: Vec<Vec<ReadPart<'_, E>>> = (0..n).map(|_| Vec::new()).collect();
        for (i, part) in parts.into_iter().enumerate() {
            lanes[i % n].push(part);
        }
        std::thread::scope(|scope| {
            let handles: Vec<_> = conns
                .iter_mut()
                .zip(lanes)
                .map(|(conn, lane)| {
                    scope.spawn(move || -> Result<(), E> {
                        for part in lane {
                            part(conn)?;
                        }
                        Ok(())
                    })
                })
                .collect();
            let mut first = Ok(());
            for handle in handles {
                let outcome = handle.join().unwrap_or_else(|_| {
                    Err(diesel::result::Error::QueryBuilderError(
                        "a part of a split read panicked".into(),
                    )
                    .into())
                });
                if first.is_ok() {
                    first = outcome;
                }
            }
            first
        })
    })();
    let mut ended: Result<(), E> = Ok(());
    for conn in conns.iter_mut().take(begun) {
        let end = if result.is_ok() {
            <DbConn as diesel::Connection>::TransactionManager::commit_transaction(conn)
        } else {
            <DbConn as diesel::Connection>::TransactionManager::rollback_transaction(conn)
        };
        if let (Err(e), true) = (end, ended.is_ok()) {
            ended = Err(e.into());
        }
    }
    result.and(ended)
}

fn begin_read(conn: &mut DbConn) -> diesel::QueryResult<()> {
    match conn {
        DbConn::Sqlite(inner) => AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN"),
        DbConn::Pg(inner) => AnsiTransactionManager::begin_transaction_sql(
            inner,
            "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        ),
    }
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    use super::*;

    #[derive(QueryableByName)]
    struct JournalMode {
        #[diesel(sql_type = Text)]
        journal_mode: String,
    }

    #[test]
    fn every_pooled_connection_to_a_new_sqlite_file_has_wal_and_the_larger_page_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db").display().to_string();
        let pool = build_pool(&DatabaseUrl::SqliteFile(path), &PoolOptions::default()).unwrap();
        assert_eq!(pool.state().connections, 10, "every connection opened");
        let held: Vec<_> = (0..10).map(|_| pool.get().unwrap()).collect();
        for mut conn in held {
            let mode: JournalMode = diesel::sql_query("PRAGMA journal_mode")
                .get_result(&mut *conn)
                .unwrap();
            assert_eq!(mode.journal_mode, "wal");
            let size: CacheSize = diesel::sql_query("PRAGMA cache_size")
                .get_result(&mut *conn)
                .unwrap();
            // Negative: KiB (64 MiB), not pages.
            assert_eq!(size.cache_size, -65_536);
        }
    }

    #[derive(QueryableByName)]
    struct CacheSize {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        cache_size: i64,
    }
}
