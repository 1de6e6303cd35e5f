//! The outbox: numbers per workspace with no gaps, rolled-back writes leave none, feed
//! filters by exact type and prefix, purge by age; on the backend the environment selects.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::Connection;
use rapport_persistence::events::{self, FeedFilter, NewEvent};
use rapport_persistence::testing::TestDatabase;
use rapport_persistence::workspaces::{self, WorkspaceRow};
use rapport_persistence::DbConn;

fn at(minute: i64) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        + Duration::minutes(minute)
}

fn workspace(conn: &mut DbConn, id: &str) {
    workspaces::insert(
        conn,
        &WorkspaceRow {
            id: id.into(),
            name: id.into(),
            created_at: at(0),
            updated_at: at(0),
        },
    )
    .unwrap();
}

fn event(id: &str, event_type: &str, minute: i64) -> NewEvent {
    NewEvent {
        id: id.into(),
        event_type: event_type.into(),
        occurred_at: at(minute),
        data: "{}".into(),
    }
}

#[test]
fn events_are_numbered_per_workspace_without_gaps_and_filtered() {
    let db = TestDatabase::create();
    let mut conn = db.connect();
    workspace(&mut conn, "w1");
    workspace(&mut conn, "w2");
    assert_eq!(events::last_seq(&mut conn, "w1").unwrap(), 0);

    let first = events::append(
        &mut conn,
        "w1",
        vec![
            event("a", "order.created", 1),
            event("b", "order_x.created", 2),
        ],
    )
    .unwrap();
    assert_eq!(first.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2]);
    events::append(&mut conn, "w2", vec![event("c", "deal.won", 3)]).unwrap();

    // A rolled-back write takes no number.
    let failed: Result<(), diesel::result::Error> = conn.transaction(|conn| {
        events::append(conn, "w1", vec![event("d", "deal.won", 4)])?;
        Err(diesel::result::Error::RollbackTransaction)
    });
    assert!(failed.is_err());
    let next = events::append(&mut conn, "w1", vec![event("e", "deal.won", 5)]).unwrap();
    assert_eq!(next[0].seq, 3);
    assert_eq!(events::last_seq(&mut conn, "w1").unwrap(), 3);
    assert_eq!(events::last_seq(&mut conn, "w2").unwrap(), 1);

    let all = events::list_after(&mut conn, "w1", 0, &FeedFilter::default(), 100).unwrap();
    assert_eq!(
        all.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["a", "b", "e"]
    );
    let after = events::list_after(&mut conn, "w1", 1, &FeedFilter::default(), 1).unwrap();
    assert_eq!(after[0].id, "b");

    // `order.` matches order.created but not order_x.created (`_` is no wildcard).
    let orders = FeedFilter {
        types: vec![],
        prefixes: vec!["order.".into()],
    };
    let got = events::list_after(&mut conn, "w1", 0, &orders, 100).unwrap();
    assert_eq!(got.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["a"]);
    let exact = FeedFilter {
        types: vec!["deal.won".into()],
        prefixes: vec!["order.".into()],
    };
    let got = events::list_after(&mut conn, "w1", 0, &exact, 100).unwrap();
    assert_eq!(
        got.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["a", "e"]
    );

    assert!(events::find(&mut conn, "w2", "a").unwrap().is_none());
    assert_eq!(events::purge(&mut conn, at(2)).unwrap(), 1);
    let left = events::list_after(&mut conn, "w1", 0, &FeedFilter::default(), 100).unwrap();
    assert_eq!(left.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 3]);
}
