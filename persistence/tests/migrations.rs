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

/// Both backends hold the same migrations, and no two share a version (Diesel keys a
/// migration by the name's prefix before `_`: two branches adding `…-000001_x` and
/// `…-000001_y` would collide once merged).
#[test]
fn both_backends_have_the_same_migrations_with_distinct_versions() {
    let names = |backend: &str| -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../migrations")
            .join(backend);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        names
    };
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite,
        names("postgres"),
        "the two backends' migrations differ"
    );
    let mut versions: Vec<&str> = sqlite
        .iter()
        .map(|n| n.split_once('_').map_or(n.as_str(), |(v, _)| v))
        .collect();
    let count = versions.len();
    versions.dedup();
    assert_eq!(
        versions.len(),
        count,
        "two migrations share a version: {sqlite:?}"
    );
}
