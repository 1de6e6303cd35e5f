//! SQL, pools, migrations and the profile cache: the only crate that knows the database.
//!
//! Lookups by a unique key use `get_result`, not `first`: `first` adds `LIMIT ?`, and SQLite
//! (3.46+) plans with the bound limit and re-prepares the statement whenever it is bound
//! again, so every execution would be parsed and planned anew.

pub mod accounts;
pub mod api_keys;
pub mod audit;
pub mod cache;
pub mod connection;
pub mod contacts;
pub mod deals;
pub mod idempotency;
pub mod interactions;
pub mod loyalty;
pub mod migrations;
pub mod orders;
pub mod outage;
pub mod pool;
pub mod rate_limit;
pub mod refresh_tokens;
pub mod schema;
pub mod settings;
pub mod testing;
pub mod users;
pub mod value;
pub mod workspaces;

pub use cache::{Cache, CacheError};
pub use connection::{Backend, DatabaseUrl, DbConn};
pub use outage::Outage;
pub use pool::{build_pool, read_transaction, write_transaction, DbPool, PoolOptions, PooledConn};
pub use rate_limit::{Decision, RateLimiter};

/// Runs the same Diesel query on whichever backend `conn` is, for the few statements
/// (upserts, `RETURNING`) that Diesel's multi-backend connection cannot express once.
#[macro_export]
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::DbConn::Pg($c) => $body,
            $crate::DbConn::Sqlite($c) => $body,
        }
    };
}
