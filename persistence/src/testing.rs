//! Throw-away databases for tests: a fresh SQLite file per test, or, when
//! `RAPPORT_TEST_DATABASE_URL` names a PostgreSQL server, a fresh database cloned from a
//! migrated template and dropped afterwards.
#![allow(clippy::expect_used, clippy::panic)] // test support: failing loudly is the point

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::connection::{DatabaseUrl, DbConn};
use crate::migrations;

pub const TEST_DATABASE_URL_VAR: &str = "RAPPORT_TEST_DATABASE_URL";
pub const TEST_REDIS_URL_VAR: &str = "RAPPORT_TEST_REDIS_URL";

/// A migrated database that exists as long as this value does.
pub struct TestDatabase {
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { server_url: String, name: String },
}

impl TestDatabase {
    /// Creates a migrated database on the backend the environment selects.
    pub fn create() -> Self {
        match std::env::var(TEST_DATABASE_URL_VAR) {
            Ok(server) if !server.trim().is_empty() => Self::postgres(&server),
            _ => Self::sqlite(),
        }
    }

    /// An empty (unmigrated) database, for migration tests.
    pub fn create_empty() -> Self {
        match std::env::var(TEST_DATABASE_URL_VAR) {
            Ok(server) if !server.trim().is_empty() => {
                let name = unique_name("rapport_test");
                let mut admin = connect_pg(&server);
                admin
                    .batch_execute(&format!("CREATE DATABASE \"{name}\""))
                    .expect("create empty test database");
                Self {
                    url: with_database(&server, &name),
                    cleanup: Cleanup::Postgres {
                        server_url: server,
                        name,
                    },
                }
            }
            _ => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("rapport.db").display());
                Self {
                    url,
                    cleanup: Cleanup::Sqlite(dir),
                }
            }
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.cleanup, Cleanup::Postgres { .. })
    }

    /// A direct connection, outside any pool.
    pub fn connect(&self) -> DbConn {
        let url = DatabaseUrl::parse(&self.url).expect("test database url");
        crate::connection::ConnectionManager::new(url)
            .connect_once()
            .expect("connect to test database")
    }

    fn sqlite() -> Self {
        let db = Self::create_empty();
        let mut conn = db.connect();
        migrations::run_pending(&mut conn).expect("migrate sqlite test database");
        db
    }

    fn postgres(server: &str) -> Self {
        let template = ensure_template(server);
        let name = unique_name("rapport_test");
        let mut admin = connect_pg(server);
        let mut attempt = 0;
        loop {
            match admin.batch_execute(&format!(
                "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
            )) {
                Ok(()) => break,
                // Another process may be connected to the template for an instant.
                Err(err) if attempt < 20 => {
                    attempt += 1;
                    eprintln!("retrying CREATE DATABASE from template: {err}");
                    std::thread::sleep(Duration::from_millis(100 * attempt));
                }
                Err(err) => panic!("create test database from template: {err}"),
            }
        }
        Self {
            url: with_database(server, &name),
            cleanup: Cleanup::Postgres {
                server_url: server.to_owned(),
                name,
            },
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Cleanup::Postgres { server_url, name } = &self.cleanup {
            if let Ok(mut admin) = PgConnection::establish(server_url) {
                let _ = admin
                    .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
            }
        }
    }
}

/// A Redis URL for tests, when the environment provides one.
pub fn test_redis_url() -> Option<String> {
    std::env::var(TEST_REDIS_URL_VAR)
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// A cache key prefix no other test shares.
pub fn unique_cache_prefix() -> String {
    format!("rapport-test:{}:", uuid::Uuid::now_v7().simple())
}

fn unique_name(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

fn connect_pg(url: &str) -> PgConnection {
    PgConnection::establish(url).unwrap_or_else(|e| panic!("connect to {url}: {e}"))
}

/// The name of a migrated template for the current migrations, creating it once. Several test
/// processes may race here; an advisory lock lets one build it while the others wait.
fn ensure_template(server: &str) -> String {
    let template = format!("rapport_tpl_{}", env!("RAPPORT_PG_MIGRATIONS_HASH"));
    let mut admin = connect_pg(server);
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    diesel::sql_query("SELECT pg_advisory_lock(727274)")
        .execute(&mut admin)
        .expect("advisory lock");
    let exists = diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(&template)
        .get_result::<Found>(&mut admin)
        .expect("look up template")
        .n
        > 0;
    if !exists {
        // Templates of older migration sets are dead weight: drop them once they are a day
        // old (the comment holds the creation time), so test runs of two branches with
        // different migrations, side by side on one server, never drop each other's.
        #[derive(QueryableByName)]
        struct Name {
            #[diesel(sql_type = Text)]
            datname: String,
        }
        let stale = diesel::sql_query(
            "SELECT datname FROM pg_database \
             WHERE datname LIKE 'rapport\\_tpl\\_%' \
             AND CASE WHEN shobj_description(oid, 'pg_database') ~ '^[0-9]+$' \
                 THEN shobj_description(oid, 'pg_database')::bigint ELSE 0 END \
                 < extract(epoch FROM now())::bigint - 86400",
        )
        .load::<Name>(&mut admin)
        .expect("list templates");
        for old in stale {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                old.datname
            ));
        }
        let building = format!("{template}_building");
        // Separate statements: PostgreSQL runs a multi-statement batch as one transaction,
        // and neither may run inside one.
        admin
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)"
            ))
            .expect("drop a half-built template");
        admin
            .batch_execute(&format!("CREATE DATABASE \"{building}\""))
            .expect("create template database");
        {
            let mut conn = DbConn::Pg(connect_pg(&with_database(server, &building)));
            migrations::run_pending(&mut conn).expect("migrate template");
        }
        admin
            .batch_execute(&format!(
                "ALTER DATABASE \"{building}\" RENAME TO \"{template}\""
            ))
            .expect("rename template");
        admin
            .batch_execute(&format!(
                "COMMENT ON DATABASE \"{template}\" IS '{}'",
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0)
            ))
            .expect("date the template");
    }
    diesel::sql_query("SELECT pg_advisory_unlock(727274)")
        .execute(&mut admin)
        .expect("advisory unlock");
    template
}

/// `postgres://u@h:5432/postgres?x=y` with the database replaced by `name`.
pub fn with_database(server: &str, name: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (server, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut url = format!("{}/{}", &base[..authority_end], name);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}
