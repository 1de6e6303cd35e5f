//! Every migration is reversible: up -> down -> up on the backend the environment selects.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use diesel::connection::SimpleConnection;
use rapport_persistence::migrations;
use rapport_persistence::testing::TestDatabase;

#[test]
fn migrations_run_up_down_up() {
    let db = TestDatabase::create_empty();
    let mut conn = db.connect();

    let applied = migrations::run_pending(&mut conn).unwrap();
    assert!(!applied.is_empty(), "there are migrations to apply");
    assert!(migrations::pending(&mut conn).unwrap().is_empty());

    let reverted = migrations::revert_all(&mut conn).unwrap();
    assert_eq!(reverted.len(), applied.len(), "every migration reverts");
    // After a full revert no table of ours is left behind.
    assert!(conn
        .batch_execute("SELECT 1 FROM instance_settings")
        .is_err());

    let again = migrations::run_pending(&mut conn).unwrap();
    assert_eq!(again, applied, "re-applying gives the same versions");
}

#[test]
fn settings_keep_the_first_value_written() {
    let db = TestDatabase::create();
    let mut conn = db.connect();
    let first = rapport_persistence::settings::get_or_insert(&mut conn, "k", "one").unwrap();
    let second = rapport_persistence::settings::get_or_insert(&mut conn, "k", "two").unwrap();
    assert_eq!(first, "one");
    assert_eq!(second, "one");
    assert_eq!(
        rapport_persistence::settings::get(&mut conn, "k").unwrap(),
        Some("one".to_owned())
    );
}
