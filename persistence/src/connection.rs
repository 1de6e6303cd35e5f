//! One connection type over SQLite and PostgreSQL, and the r2d2 manager that opens it.

use diesel::connection::{SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::ManageConnection;

/// A connection to whichever backend the URL named. Persistence functions take `&mut DbConn`
/// so one code path serves both; the few places where SQL must differ match on the variant.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database a URL points at, parsed once from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A file path (created on first use).
    SqliteFile(String),
    /// A private in-memory database; lives as long as the pool's single connection.
    SqliteMemory,
    /// A `postgres://` or `postgresql://` URL, passed to libpq as it is.
    Postgres(String),
}

impl DatabaseUrl {
    /// Accepts `sqlite://PATH`, `sqlite:PATH`, `sqlite::memory:` and `postgres(ql)://…`.
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url == "sqlite::memory:" || url == "sqlite://:memory:" {
            return Ok(Self::SqliteMemory);
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("sqlite URL has no path (use sqlite://PATH or sqlite::memory:)".into());
            }
            return Ok(Self::SqliteFile(path.to_owned()));
        }
        Err("database URL must start with sqlite:// , sqlite::memory: or postgres://".into())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Postgres(_) => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }

    /// The URL with any password replaced, for logs.
    pub fn redacted(&self) -> String {
        match self {
            Self::SqliteFile(path) => format!("sqlite://{path}"),
            Self::SqliteMemory => "sqlite::memory:".into(),
            Self::Postgres(url) => redact_password(url),
        }
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Opens connections of the backend the URL names (never guessing by trial, as the derived
/// `establish` would: SQLite accepts any string as a file name).
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
    statement_timeout: std::time::Duration,
}

/// How long one statement may run or wait for a lock when nothing else is configured.
pub const DEFAULT_STATEMENT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

impl ConnectionManager {
    pub fn new(url: DatabaseUrl) -> Self {
        Self {
            url,
            statement_timeout: DEFAULT_STATEMENT_TIMEOUT,
        }
    }

    /// Bounds how long one statement may run or wait for a lock on every connection opened:
    /// PostgreSQL `statement_timeout` and `lock_timeout`, SQLite `busy_timeout` (how long a
    /// writer waits for the lock). Zero means no bound.
    pub fn with_statement_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.statement_timeout = timeout;
        self
    }

    /// One connection outside any pool (CLI commands, tests); a SQLite file is switched to
    /// WAL first (see [`prepare_sqlite_file`]).
    pub fn connect_once(&self) -> Result<DbConn, diesel::r2d2::Error> {
        let mut conn = self.connect()?;
        if let (DatabaseUrl::SqliteFile(_), DbConn::Sqlite(c)) = (&self.url, &mut conn) {
            c.batch_execute(SQLITE_WAL)
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(conn)
    }

    /// Switches a SQLite file to WAL once, on one connection, before a pool opens others.
    /// The journal mode is stored in the file; switching takes a write lock, and pool
    /// connections switching concurrently on a new file failed with `database is locked`
    /// (upgrading a read lock to a write lock does not wait on the busy timeout).
    pub fn prepare_sqlite_file(&self) -> Result<(), diesel::r2d2::Error> {
        match self.url {
            DatabaseUrl::SqliteFile(_) => self.connect_once().map(drop),
            _ => Ok(()),
        }
    }
}

/// Per-connection SQLite settings, after the busy timeout (set first, from the statement
/// timeout, so that writers queue instead of failing): normal syncing (enough under WAL),
/// enforced foreign keys, and a page cache of up to 64 MiB instead of SQLite's 2 MB, which a
/// large database's analytics keep missing (the cache grows only as pages are read). None of
/// them touches the file, so opening a connection never waits for a writer.
const SQLITE_PRAGMAS: &str =
    "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;";

/// WAL for concurrent readers beside one writer; persistent, so set once per file.
const SQLITE_WAL: &str = "PRAGMA journal_mode = WAL;";

impl ManageConnection for ConnectionManager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        let millis = self.statement_timeout.as_millis().min(2_147_483_647);
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                let mut conn =
                    PgConnection::establish(url).map_err(diesel::r2d2::Error::ConnectionError)?;
                conn.batch_execute(&format!(
                    "SET statement_timeout = {millis}; SET lock_timeout = {millis};"
                ))
                .map_err(diesel::r2d2::Error::QueryError)?;
                Ok(DbConn::Pg(conn))
            }
            // SQLite's 0 would mean "never wait": no bound is its largest wait instead.
            DatabaseUrl::SqliteFile(path) => open_sqlite(path, sqlite_busy_ms(millis)),
            DatabaseUrl::SqliteMemory => open_sqlite(":memory:", sqlite_busy_ms(millis)),
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        std::thread::panicking()
            || LOST.with(|lost| lost.replace(false))
            || <DbConn as diesel::Connection>::TransactionManager::is_broken_transaction_manager(
                conn,
            )
    }
}

thread_local! {
    /// Set by [`discard_on_release`]; read (and cleared) when the pool takes back a
    /// connection on this thread.
    static LOST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks the connection this thread is about to hand back to the pool as lost (its server
/// went away), so the pool closes it instead of lending it out again. Call it right before
/// the pooled connection is dropped, on the same thread.
pub fn discard_on_release() {
    LOST.with(|lost| lost.set(true));
}

fn sqlite_busy_ms(millis: u128) -> u128 {
    const LONGEST: u128 = 2_147_483_647;
    if millis == 0 {
        LONGEST
    } else {
        millis.min(LONGEST)
    }
}

fn open_sqlite(path: &str, busy_timeout_ms: u128) -> Result<DbConn, diesel::r2d2::Error> {
    let mut conn =
        SqliteConnection::establish(path).map_err(diesel::r2d2::Error::ConnectionError)?;
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = {busy_timeout_ms}; {SQLITE_PRAGMAS}"
    ))
    .map_err(diesel::r2d2::Error::QueryError)?;
    Ok(DbConn::Sqlite(conn))
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Pg(_) => Backend::Postgres,
            DbConn::Sqlite(_) => Backend::Sqlite,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_url_forms() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://./rapport.db"),
            Ok(DatabaseUrl::SqliteFile("./rapport.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/r.db"),
            Ok(DatabaseUrl::SqliteFile("/var/lib/r.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite::memory:"),
            Ok(DatabaseUrl::SqliteMemory)
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/db").map(|u| u.backend()),
            Ok(Backend::Postgres)
        );
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn redacts_passwords() {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db:5432/rapport").unwrap();
        assert_eq!(url.redacted(), "postgres://app:***@db:5432/rapport");
    }
}
