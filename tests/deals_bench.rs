//! The pipeline analytics at scale: seeds a pipeline with many deals and their stage history
//! straight through the persistence layer, then times `GET /v1/analytics/pipeline`. Ignored
//! by default (it takes minutes); run it in release mode:
//!
//! ```sh
//! DEALS=100000 CHANGES_PER_DEAL=10 cargo test --release --test deals_bench -- --ignored --nocapture
//! ```
//!
//! It prints the timings and checks that the analytics account for every seeded deal and
//! stage change (no timing assertion).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::bench::{env_or, Rng};

use std::time::Instant;

use chrono::{Duration, Utc};
use common::TestApp;
use rapport_persistence::deals::{
    self as store, DealRow, StageChangeRow, StagesEntered, StayDayRow, NOT_LEFT,
};
use serde_json::{json, Value};

#[tokio::test]
#[ignore = "benchmark: run with --ignored --release"]
async fn pipeline_analytics_over_many_deals() {
    let deals = env_or("DEALS", 100_000);
    let changes_per_deal = env_or("CHANGES_PER_DEAL", 10).max(2);
    let app = TestApp::spawn().await;
    let ws = app.workspace("Bench").await;
    let token = ws.owner_token.clone();
    let p: Value = app
        .post_as(
            "/v1/pipelines",
            &token,
            &json!({"name": "Bench", "stages": [
                {"name": "Lead", "probability": 10, "kind": "open"},
                {"name": "Qualified", "probability": 25, "kind": "open"},
                {"name": "Demo", "probability": 40, "kind": "open"},
                {"name": "Proposal", "probability": 60, "kind": "open"},
                {"name": "Negotiation", "probability": 80, "kind": "open"},
                {"name": "Won", "kind": "won"},
                {"name": "Lost", "kind": "lost"}
            ]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let pipeline_id = p["id"].as_str().unwrap().to_owned();
    let stages: Vec<String> = p["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    let (open_stages, won, lost) = (&stages[..5], &stages[5], &stages[6]);
    let accounts: Vec<String> = {
        let items: Vec<Value> = (0..500)
            .map(|i| json!({"kind": "organization", "name": format!("Bench {i}"), "external_id": format!("bench-{i}")}))
            .collect();
        let res: Value = app
            .post_as("/v1/accounts/batch", &token, &json!({"accounts": items}))
            .await
            .json()
            .await
            .unwrap();
        res["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let owners = [Some(ws.owner_id.clone()), None];
    let sources = ["web", "referral", "partner", "event", "outbound"];

    let started = Instant::now();
    let mut conn = app.db.connect();
    let number_of: std::collections::HashMap<String, i32> =
        store::stages_of(&mut conn, &ws.id, std::slice::from_ref(&pipeline_id))
            .unwrap()
            .into_iter()
            .map(|s| (s.id, s.number))
            .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let now = rapport_api::service::now();
    let year_ago = now - Duration::days(365);
    let (mut deal_rows, mut change_rows) = (Vec::new(), Vec::new());
    // The per-day stay rollup the moves would have kept, written with each batch.
    let mut stay_days: Vec<StayDayRow> = Vec::new();
    let (mut seeded_deals, mut seeded_changes) = (0_usize, 0_usize);
    for i in 0..deals {
        let id = uuid::Uuid::now_v7().to_string();
        let mut at = year_ago + Duration::minutes(rng.below(300 * 24 * 60) as i64);
        let outcome = rng.below(10); // 0-2 won, 3-5 lost, else open
        let mut position = 0_usize;
        let mut from: Option<String> = None;
        let mut to = open_stages[0].clone();
        let mut last_change: Option<StageChangeRow> = None;
        let (first_at, mut entered) = (at, StagesEntered::default());
        for step in 0..changes_per_deal {
            if step > 0 {
                let gap = Duration::minutes(60 + rng.below(96 * 60) as i64);
                let next_at = at + gap;
                if let Some(mut row) = last_change.take() {
                    row.left_at = Some(next_at);
                    row.seconds_in_stage = Some(gap.num_seconds());
                    change_rows.push(row);
                }
                at = next_at;
                from = Some(to.clone());
                to = if step + 1 == changes_per_deal && outcome < 3 {
                    won.clone()
                } else if step + 1 == changes_per_deal && outcome < 6 {
                    lost.clone()
                } else {
                    // Mostly forward, sometimes back, never in place.
                    position = if position == 0 || (position < 4 && rng.below(10) < 7) {
                        position + 1
                    } else {
                        position - 1
                    };
                    open_stages[position].clone()
                };
            }
            last_change = Some(StageChangeRow {
                id: uuid::Uuid::now_v7().to_string(),
                workspace_id: ws.id.clone(),
                deal_id: id.clone(),
                pipeline_id: pipeline_id.clone(),
                from_stage_id: from.clone(),
                to_stage_id: to.clone(),
                lost_reason: (to == *lost).then(|| "price".to_owned()),
                actor_type: "system".into(),
                actor_id: None,
                changed_at: at,
                left_at: None,
                seconds_in_stage: None,
                to_stage_number: number_of[&to],
            });
            entered = entered.with(number_of[&to]);
        }
        change_rows.extend(last_change);
        for row in &change_rows[change_rows.len() - changes_per_deal..] {
            stay_days.push(StayDayRow {
                workspace_id: ws.id.clone(),
                pipeline_id: pipeline_id.clone(),
                day: store::day_of(row.changed_at),
                stage_number: row.to_stage_number,
                hours: row.seconds_in_stage.map_or(NOT_LEFT, |s| s / 3600),
                stays: 1,
            });
        }
        let status = if to == *won {
            "won"
        } else if to == *lost {
            "lost"
        } else {
            "open"
        };
        deal_rows.push(DealRow {
            id,
            workspace_id: ws.id.clone(),
            account_id: accounts[i % accounts.len()].clone(),
            contact_id: None,
            title: format!("Deal {i}"),
            amount: 1_000 + rng.below(5_000_000) as i64,
            currency: if i % 5 == 0 { "USD" } else { "EUR" }.into(),
            pipeline_id: pipeline_id.clone(),
            stage_id: to,
            status: status.into(),
            owner_id: owners[i % owners.len()].clone(),
            expected_close_on: Some(
                (now + Duration::days(rng.below(365) as i64))
                    .format("%Y-%m-%d")
                    .to_string(),
            ),
            source: Some(sources[i % sources.len()].into()),
            lost_reason: (status == "lost").then(|| "price".to_owned()),
            stage_entered_at: at,
            closed_at: (status != "open").then_some(at),
            version: changes_per_deal as i64,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            first_stage_change_at: Some(first_at),
            last_stage_change_at: Some(at),
            stages_entered: entered.stored(),
        });
        if deal_rows.len() == 1_000 || i + 1 == deals {
            rapport_persistence::write_transaction(&mut conn, |conn| {
                store::insert_deals(conn, &deal_rows)?;
                for chunk in change_rows.chunks(2_000) {
                    store::insert_changes(conn, chunk)?;
                }
                store::add_stays(conn, &stay_days)?;
                Ok::<_, diesel::result::Error>(())
            })
            .unwrap();
            seeded_deals += deal_rows.len();
            seeded_changes += change_rows.len();
            deal_rows.clear();
            change_rows.clear();
            stay_days.clear();
        }
    }
    if app.db.is_postgres() {
        use diesel::connection::SimpleConnection;
        conn.batch_execute(
            "ANALYZE deals; ANALYZE deal_stage_changes; ANALYZE pipeline_stages; \
             ANALYZE deal_stay_days",
        )
        .unwrap();
    } else {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("ANALYZE").unwrap();
    }
    println!(
        "seeded {seeded_deals} deals and {seeded_changes} stage changes in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let from =
        (Utc::now() - Duration::days(400)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let path = format!("/v1/analytics/pipeline?pipeline_id={pipeline_id}&from={from}");
    // A fresh client: the pooled connection idled through the seeding and was closed.
    let http = reqwest::Client::new();
    let backend = if app.db.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let requests = |label: &'static str| {
        let (http, url, token) = (http.clone(), app.url(&path), token.clone());
        async move {
            let mut times = Vec::new();
            let mut last = Value::Null;
            for _ in 0..7 {
                let t = Instant::now();
                let res = http.get(&url).bearer_auth(&token).send().await.unwrap();
                assert_eq!(res.status(), 200);
                last = res.json().await.unwrap();
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            let mut sorted = times.clone();
            sorted.sort_by(f64::total_cmp);
            println!(
                "{backend} analytics over {seeded_deals} deals / {seeded_changes} changes{label}: min {:.0} ms, median {:.0} ms, max {:.0} ms (runs: {:?})",
                sorted[0],
                sorted[sorted.len() / 2],
                sorted[sorted.len() - 1],
                times.iter().map(|t| t.round()).collect::<Vec<_>>()
            );
            last
        }
    };
    let last = requests("").await;

    // Where the time goes: each grouped query alone, on one connection.
    let (ws_id, from_at) = (
        ws.id.clone(),
        rapport_api::service::now() - Duration::days(400),
    );
    let to_at = rapport_api::service::now() + Duration::hours(1);
    let time = |label: &str, f: &mut dyn FnMut() -> usize| {
        let t = Instant::now();
        let rows = f();
        println!(
            "  {label}: {:.0} ms ({rows} rows)",
            t.elapsed().as_secs_f64() * 1000.0
        );
    };
    time("all in one transaction", &mut || {
        let g =
            store::pipeline_aggregates(&mut conn, &ws_id, &pipeline_id, from_at, to_at).unwrap();
        g.open.len() + g.stays.len() + g.entered.len() + g.straddling.len() + g.closed.len()
    });
    time("open deals by currency, month, owner, stage", &mut || {
        store::open_deal_groups(&mut conn, &ws_id, &pipeline_id)
            .unwrap()
            .len()
    });
    time(
        "stays by stage and hours (day rollup + partial days)",
        &mut || {
            store::stays_in_period(&mut conn, &ws_id, &pipeline_id, from_at, to_at)
                .unwrap()
                .len()
        },
    );
    time("deals inside the period by stages entered", &mut || {
        store::entered_groups(&mut conn, &ws_id, &pipeline_id, from_at, to_at)
            .unwrap()
            .len()
    });
    time("stages entered by deals straddling the period", &mut || {
        store::straddling_entries(&mut conn, &ws_id, &pipeline_id, from_at, to_at)
            .unwrap()
            .len()
    });
    time("closed deals by status, source, currency", &mut || {
        store::closed_groups(&mut conn, &ws_id, &pipeline_id, from_at, to_at)
            .unwrap()
            .len()
    });
    // Autovacuum would get there too; index-only scans skip the heap once it has.
    if app.db.is_postgres() {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("VACUUM (ANALYZE) deals, deal_stage_changes, deal_stay_days")
            .unwrap();
        requests(" after VACUUM").await;
    }

    // Every deal and change is accounted for.
    let entries: i64 = last["funnel"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["entries"].as_i64().unwrap())
        .sum();
    assert_eq!(entries, seeded_changes as i64);
    let open: i64 = last["forecast"]["total"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["deals"].as_i64().unwrap())
        .sum();
    let closed = last["funnel"]["won"].as_i64().unwrap() + last["funnel"]["lost"].as_i64().unwrap();
    assert_eq!(open + closed, seeded_deals as i64);
    // Every deal starts in the first stage, inside the period.
    assert_eq!(
        last["funnel"]["stages"][0]["reached"].as_i64().unwrap(),
        seeded_deals as i64
    );
}
