//! A read split into parts (`read_parts`): every part reads the one snapshot, even when a
//! write commits between the parts' reads; a failing part fails the read and leaves no
//! transaction open. On the backend the environment selects: two connections on PostgreSQL
//! (the snapshot exported by one, imported by the other), one on SQLite (the parts in turn).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::mpsc;

use diesel::connection::SimpleConnection;
use diesel::sql_types::BigInt;
use diesel::RunQueryDsl;
use rapport_persistence::testing::TestDatabase;
use rapport_persistence::{read_parts, read_transaction, DbConn, ReadPart};

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut DbConn) -> diesel::QueryResult<i64> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM read_parts_probe";
    let row: Count = match conn {
        DbConn::Pg(c) => diesel::sql_query(sql).get_result(c)?,
        DbConn::Sqlite(c) => diesel::sql_query(sql).get_result(c)?,
    };
    Ok(row.n)
}

fn no_setup(_: &mut DbConn) -> diesel::QueryResult<()> {
    Ok(())
}

/// A database with an empty probe table, and a connection to it outside any split read.
fn probe() -> (TestDatabase, DbConn) {
    let db = TestDatabase::create();
    let mut conn = db.connect();
    conn.batch_execute("CREATE TABLE read_parts_probe (id INTEGER PRIMARY KEY)")
        .unwrap();
    (db, conn)
}

/// The connections a split read gets: two on PostgreSQL, one on SQLite (as `Db::run_many`).
fn readers(db: &TestDatabase) -> Vec<DbConn> {
    let n = if db.is_postgres() { 2 } else { 1 };
    (0..n).map(|_| db.connect()).collect()
}

#[test]
fn every_part_reads_the_snapshot_of_the_first_even_after_a_write_commits_between_them() {
    let (db, mut writer) = probe();
    writer
        .batch_execute("INSERT INTO read_parts_probe (id) VALUES (1)")
        .unwrap();
    let mut owned = readers(&db);
    let mut conns: Vec<&mut DbConn> = owned.iter_mut().collect();
    let (committed, wait) = mpsc::channel::<()>();
    let (mut first, mut second) = (None, None);
    let second_seen = &mut second;
    let parts: Vec<ReadPart<'_, diesel::result::Error>> = vec![
        Box::new(|conn| {
            first = Some(count(conn)?);
            // A write commits now, outside the read.
            writer
                .batch_execute("INSERT INTO read_parts_probe (id) VALUES (2)")
                .unwrap();
            committed.send(()).unwrap();
            Ok(())
        }),
        Box::new(move |conn| {
            wait.recv().unwrap();
            *second_seen = Some(count(conn)?);
            Ok(())
        }),
    ];
    read_parts(&mut conns, no_setup, parts).unwrap();
    assert_eq!(first, Some(1));
    assert_eq!(
        second,
        Some(1),
        "the second part saw a write committed after the read began"
    );
    // Every transaction ended: a new read on each connection sees the write.
    for conn in conns {
        assert_eq!(read_transaction(conn, count).unwrap(), 2);
    }
}

#[test]
fn a_failing_part_fails_the_read_and_leaves_no_transaction_open() {
    let (db, mut setup) = probe();
    let mut owned = readers(&db);
    let mut conns: Vec<&mut DbConn> = owned.iter_mut().collect();
    let parts: Vec<ReadPart<'_, diesel::result::Error>> = vec![
        Box::new(|conn| {
            let sql = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM no_such_table";
            let _: Count = match conn {
                DbConn::Pg(c) => diesel::sql_query(sql).get_result(c)?,
                DbConn::Sqlite(c) => diesel::sql_query(sql).get_result(c)?,
            };
            Ok(())
        }),
        Box::new(|conn| {
            count(conn)?;
            Ok(())
        }),
    ];
    assert!(read_parts(&mut conns, no_setup, parts).is_err());
    // No transaction left open: a write on each reader commits at once (inside a leftover
    // read-only transaction it would fail on PostgreSQL, and stay unseen on SQLite).
    let readers = conns.len();
    for (i, conn) in conns.into_iter().enumerate() {
        conn.batch_execute(&format!("INSERT INTO read_parts_probe (id) VALUES ({i})"))
            .unwrap();
    }
    assert_eq!(count(&mut setup).unwrap(), readers as i64);
}
