//! SQL, pools, migrations and the profile cache: the only crate that knows the database.
//!
//! Lookups by a unique key use `get_result`, not `first`: `first` adds `LIMIT ?`, and SQLite
//! (3.46+) plans with the bound limit and re-prepares the statement whenever it is bound
//! again, so every execution would be parsed and planned anew.

/// The rows of a child table of accounts (`deals`, `orders`, `contacts`, `interactions`,
/// loyalty entries, metrics: any table joinable to `accounts` by `account_id`) whose account
/// is live: the table joined to `accounts`, keeping `accounts.deleted_at IS NULL`.
///
/// Deleting an account is soft and hides its records with it. Every read of child records
/// starts here (and raw SQL uses [`live_account_sql!`]), so lists, single reads, GraphQL and
/// analytics agree on what a deleted account's records are: gone, with the rows kept for an
/// undelete or an erasure. Writes check the account themselves, before locking.
macro_rules! of_live_accounts {
    ($child:expr) => {
        $child
            .inner_join($crate::schema::accounts::table)
            .filter($crate::schema::accounts::deleted_at.is_null())
    };
}

/// [`of_live_accounts!`] for raw SQL: a condition that `<table>.account_id` is a live account.
macro_rules! live_account_sql {
    ($child:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM accounts live_account WHERE live_account.id = ",
            $child,
            ".account_id AND live_account.deleted_at IS NULL)"
        )
    };
}

/// The same as [`live_account_sql!`] for a child row whose `account_id` references
/// `accounts` (accounts are soft-deleted, never removed): the child's account is not one of
/// the workspace's deleted accounts. Deleted accounts are few and have their own partial
/// index (`accounts_deleted`), so PostgreSQL anti-joins that small set instead of hashing
/// every live account (which cost a sequential scan of `accounts` per statement).
macro_rules! not_deleted_account_sql {
    ($child:literal) => {
        concat!(
            "NOT EXISTS (SELECT 1 FROM accounts deleted_account WHERE deleted_account.workspace_id = ",
            $child,
            ".workspace_id AND deleted_account.id = ",
            $child,
            ".account_id AND deleted_account.deleted_at IS NOT NULL)"
        )
    };
}

pub mod accounts;
pub mod api_keys;
pub mod audit;
pub mod cache;
pub mod campaigns;
pub mod complaints;
pub mod connection;
pub mod contacts;
pub mod deals;
pub mod economics;
pub mod events;
pub mod exports;
pub mod feedback;
pub mod idempotency;
pub mod imports;
pub mod interactions;
pub mod loyalty;
pub mod merge;
pub mod migrations;
pub mod offers;
pub mod orders;
pub mod outage;
pub mod pending_effects;
pub mod pool;
pub mod privacy;
pub mod rate_limit;
pub mod recommendations;
pub mod refresh_tokens;
pub mod schema;
pub mod segments;
pub mod settings;
pub mod sums;
pub mod testing;
pub mod users;
pub mod value;
pub mod value_as_of;
pub mod webhooks;
pub mod workspaces;

pub use cache::{Cache, CacheError};
pub use connection::{Backend, DatabaseUrl, DbConn};
pub use outage::Outage;
pub use pool::{
    build_pool, read_parts, read_transaction, write_transaction, DbPool, PoolError, PoolOptions,
    PooledConn, ReadPart,
};
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
