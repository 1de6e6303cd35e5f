//! The outbox: numbers per workspace with no gaps, rolled-back writes leave none, feed
//! filters by exact type and prefix, purge by age; on the backend the environment selects.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::{Connection, QueryDsl, RunQueryDsl};
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

/// `n` events of one type and time whose ids follow each other from `first`, as the write
/// pipeline numbers a write's events.
fn run_of(first: u128, n: u128, event_type: &str, minute: i64) -> Vec<NewEvent> {
    (0..n)
        .map(|i| NewEvent {
            id: uuid::Uuid::from_u128(first + i).to_string(),
            event_type: event_type.into(),
            occurred_at: at(minute),
            data: format!("{{\"n\":{i}}}"),
        })
        .collect()
}

fn seqs(rows: &[events::EventRow]) -> Vec<i64> {
    rows.iter().map(|e| e.seq).collect()
}

#[test]
fn runs_of_events_are_stored_packed_and_read_back_one_by_one() {
    let db = TestDatabase::create();
    let mut conn = db.connect();
    workspace(&mut conn, "w1");
    workspace(&mut conn, "w2");
    let base: u128 = 0x0193_0000_0000_7000_8000_0000_0000_0000;
    // One write: 5 orders (one run), a segment change, 3 more orders at another id (a
    // second run), and an event whose data holds a line break (never packed).
    let mut write = run_of(base, 5, "order.created", 1);
    write.push(NewEvent {
        id: uuid::Uuid::from_u128(base + 5).to_string(),
        event_type: "customer.rfm_segment_changed".into(),
        occurred_at: at(1),
        data: "{\"to\":\"x\"}".into(),
    });
    write.extend(run_of(base + 6, 3, "order.created", 1));
    write.push(NewEvent {
        id: uuid::Uuid::from_u128(base + 9).to_string(),
        event_type: "order.created".into(),
        occurred_at: at(1),
        data: "{\"note\":\"a\nb\"}".into(),
    });
    let stored = events::append(&mut conn, "w1", write.clone()).unwrap();
    assert_eq!(seqs(&stored), (1..=10).collect::<Vec<_>>());
    // Another workspace's run right after, and a later write of w1.
    events::append(&mut conn, "w2", run_of(base + 10, 4, "order.created", 2)).unwrap();
    events::append(&mut conn, "w1", run_of(base + 100, 2, "deal.won", 3)).unwrap();

    // What was written, event by event, in order.
    let all = events::list_after(&mut conn, "w1", 0, &FeedFilter::default(), 100).unwrap();
    assert_eq!(seqs(&all), (1..=12).collect::<Vec<_>>());
    for (got, sent) in all.iter().zip(&write) {
        assert_eq!(
            (&got.id, &got.event_type, got.occurred_at, &got.data),
            (&sent.id, &sent.event_type, sent.occurred_at, &sent.data)
        );
        assert_eq!(got.workspace_id, "w1");
    }
    // Four stored rows for w1's first write, not ten; one each for the others.
    let rows: i64 = rapport_persistence::schema::events::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(rows, 4 + 1 + 1);

    // Starting and ending inside a packed row.
    let page = events::list_after(&mut conn, "w1", 2, &FeedFilter::default(), 2).unwrap();
    assert_eq!(seqs(&page), [3, 4]);
    let page = events::list_after(&mut conn, "w1", 4, &FeedFilter::default(), 3).unwrap();
    assert_eq!(seqs(&page), [5, 6, 7]);
    let page = events::list_after(&mut conn, "w1", 11, &FeedFilter::default(), 3).unwrap();
    assert_eq!(seqs(&page), [12]);
    assert!(
        events::list_after(&mut conn, "w1", 12, &FeedFilter::default(), 3)
            .unwrap()
            .is_empty()
    );
    // Filters apply to packed rows as to single ones.
    let orders = FeedFilter {
        types: vec!["order.created".into()],
        prefixes: vec![],
    };
    let got = events::list_after(&mut conn, "w1", 3, &orders, 100).unwrap();
    assert_eq!(seqs(&got), [4, 5, 7, 8, 9, 10]);
    let won = FeedFilter {
        types: vec![],
        prefixes: vec!["deal.".into()],
    };
    assert_eq!(
        seqs(&events::list_after(&mut conn, "w1", 0, &won, 100).unwrap()),
        [11, 12]
    );
    let w2 = events::list_after(&mut conn, "w2", 1, &FeedFilter::default(), 100).unwrap();
    assert_eq!(seqs(&w2), [2, 3, 4]);
    assert_eq!(w2[0].id, uuid::Uuid::from_u128(base + 11).to_string());

    // Any event by id, in its workspace only.
    for sent in &write {
        let found = events::find(&mut conn, "w1", &sent.id).unwrap().unwrap();
        assert_eq!((&found.id, &found.data), (&sent.id, &sent.data));
    }
    let third_of_w2 = uuid::Uuid::from_u128(base + 12).to_string();
    assert!(events::find(&mut conn, "w1", &third_of_w2)
        .unwrap()
        .is_none());
    assert_eq!(
        events::find(&mut conn, "w2", &third_of_w2)
            .unwrap()
            .unwrap()
            .seq,
        3
    );
    // Past the end of a packed row, and an id nobody has.
    let after_run = uuid::Uuid::from_u128(base + 14).to_string();
    assert!(events::find(&mut conn, "w2", &after_run).unwrap().is_none());
    assert!(events::find(&mut conn, "w1", "not-an-id")
        .unwrap()
        .is_none());

    // The retention purge counts events, not rows.
    assert_eq!(events::purge(&mut conn, at(2)).unwrap(), 10);
    assert_eq!(events::purge(&mut conn, at(3)).unwrap(), 4);
    let left = events::list_after(&mut conn, "w1", 0, &FeedFilter::default(), 100).unwrap();
    assert_eq!(seqs(&left), [11, 12]);
}

#[test]
fn a_run_longer_than_a_packed_row_holds_is_split() {
    let db = TestDatabase::create();
    let mut conn = db.connect();
    workspace(&mut conn, "w1");
    let n = u128::try_from(events::MAX_PACK).unwrap() + 5;
    events::append(&mut conn, "w1", run_of(1 << 100, n, "order.created", 1)).unwrap();
    let rows: i64 = rapport_persistence::schema::events::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(rows, 2);
    let all = events::list_after(&mut conn, "w1", 0, &FeedFilter::default(), 5_000).unwrap();
    assert_eq!(seqs(&all), (1..=events::MAX_PACK + 5).collect::<Vec<_>>());
    // A page that ends where the first row does, and one that starts in the second.
    let at_end = events::list_after(&mut conn, "w1", 990, &FeedFilter::default(), 10).unwrap();
    assert_eq!(seqs(&at_end), (991..=1000).collect::<Vec<_>>());
    let next = events::list_after(&mut conn, "w1", 1000, &FeedFilter::default(), 10).unwrap();
    assert_eq!(seqs(&next), (1001..=1005).collect::<Vec<_>>());
}
