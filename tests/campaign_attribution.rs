//! Ingestion-time attribution, on SQLite (and PostgreSQL + Redis when
//! RAPPORT_TEST_DATABASE_URL is set): the running sums every campaign member keeps, written
//! by single orders, batches, voucher orders, refunds, merges and the launch's scan, equal
//! the scan of the members and the window's orders (`campaigns::arm_sums`, what results read
//! before the sums existed) exactly, for a plain and a category campaign.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use common::TestApp;
use rapport_persistence::campaigns::{self as store, ArmSums};
use rapport_persistence::read_transaction;
use serde_json::{json, Value};

async fn ok(res: reqwest::Response, status: u16) -> Value {
    let got = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// `n` people tagged `tag` with e-mail consent (or none, so they stay out of the audience).
async fn people(app: &TestApp, t: &str, tag: &str, n: usize) -> Vec<String> {
    let items: Vec<Value> = (0..n)
        .map(|i| {
            json!({"kind": "person", "name": format!("{tag} {i}"), "tags": [tag],
                   "external_id": format!("{tag}-{i}"),
                   "marketing_consent": {"email": {"granted": true}}})
        })
        .collect();
    let body = ok(
        app.post_as("/v1/accounts/batch", t, &json!({ "accounts": items }))
            .await,
        200,
    )
    .await;
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{body}"))
                .to_owned()
        })
        .collect()
}

fn order(account: &str, amount: i64, cost: Option<i64>, category: &str) -> Value {
    let mut o = json!({"account_id": account, "amount": amount, "currency": "USD",
        "items": [{"sku": format!("SKU-{category}"), "quantity": 1, "unit_price": amount, "category": category}]});
    if let Some(c) = cost {
        o["cost"] = json!(c);
    }
    o
}

fn at(o: Value, t: NaiveDateTime) -> Value {
    let mut o = o;
    o["occurred_at"] = json!(DateTime::<Utc>::from_naive_utc_and_offset(t, Utc));
    o
}

async fn single(app: &TestApp, t: &str, o: Value) -> String {
    ok(app.post_as("/v1/orders", t, &o).await, 201).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn batch(app: &TestApp, t: &str, orders: Vec<Value>) -> Vec<String> {
    let body = ok(
        app.post_as("/v1/orders/batch", t, &json!({ "orders": orders }))
            .await,
        200,
    )
    .await;
    assert_eq!(body["rejected"], 0, "{body}");
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn refund(app: &TestApp, t: &str, id: &str, amount: Option<i64>) {
    let body = match amount {
        Some(a) => json!({ "amount": a }),
        None => json!({}),
    };
    ok(
        app.post_as(&format!("/v1/orders/{id}/refund"), t, &body)
            .await,
        200,
    )
    .await;
}

fn sorted(mut rows: Vec<ArmSums>) -> Vec<ArmSums> {
    rows.sort_by(|a, b| {
        (&a.arm, &a.rfm_segment, &a.risk_band).cmp(&(&b.arm, &b.rfm_segment, &b.risk_band))
    });
    rows
}

/// The stored sums and the scan of the window's orders, per arm, RFM segment and risk band.
fn stored_and_scanned(app: &TestApp, ws: &str, id: &str) -> (Vec<ArmSums>, Vec<ArmSums>) {
    let mut conn = app.db.connect();
    read_transaction(&mut conn, |c| {
        let row = store::find(c, ws, id)?.unwrap();
        let (from, to) = (row.launched_at.unwrap(), row.ends_at.unwrap());
        assert_eq!(
            store::attributed_window(c, ws, id)?,
            Some((from, to)),
            "the sums cover the campaign's window"
        );
        let stored = store::member_sums(c, ws, id)?;
        let category = row.conversion_category.as_deref();
        let scanned = store::arm_sums(c, ws, id, from, to, category)?;
        Ok::<_, diesel::result::Error>((sorted(stored), sorted(scanned)))
    })
    .unwrap()
}

/// Asserts the stored sums equal the scan for each campaign; returns each one's total orders.
fn assert_equal(app: &TestApp, ws: &str, ids: &[&str], step: &str) -> Vec<i64> {
    ids.iter()
        .map(|id| {
            let (stored, scanned) = stored_and_scanned(app, ws, id);
            assert_eq!(stored, scanned, "{step}: campaign {id}");
            stored.iter().map(|s| s.orders).sum()
        })
        .collect()
}

#[tokio::test]
async fn members_sums_written_with_orders_equal_the_scan_of_the_window() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Attribution").await;
    let t = ws.owner_token.as_str();
    let members = people(&app, t, "attr", 12).await;
    let outsiders = people(&app, t, "other", 3).await;
    let seg = ok(
        app.post_as(
            "/v1/segments",
            t,
            &json!({"name": "Attr", "rule": {"field": "tags", "op": "contains", "value": "attr"}}),
        )
        .await,
        201,
    )
    .await["id"]
        .clone();

    // Before the launch: an order long ago (outside any window) and one dated a few minutes
    // ahead, which the window will hold: the launch's scan picks it up.
    let before = Utc::now().naive_utc();
    single(
        &app,
        t,
        at(
            order(&members[0], 7_000, Some(1_000), "shoes"),
            before - Duration::days(3),
        ),
    )
    .await;
    single(
        &app,
        t,
        at(
            order(&members[1], 4_000, Some(1_500), "shoes"),
            before + Duration::minutes(4),
        ),
    )
    .await;

    let mut ids = Vec::new();
    for (name, category) in [("Plain", None), ("Shoes", Some("shoes"))] {
        let mut body = json!({"name": name, "channel": "email", "segment_id": seg,
                              "control_share": 0.5, "attribution_window_days": 14});
        if let Some(c) = category {
            body["conversion_category"] = json!(c);
        }
        let c = ok(app.post_as("/v1/campaigns", t, &body).await, 201).await;
        let id = c["id"].as_str().unwrap().to_owned();
        ok(
            app.post_as(&format!("/v1/campaigns/{id}/launch"), t, &json!(null))
                .await,
            200,
        )
        .await;
        ids.push(id);
    }
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(assert_equal(&app, &ws.id, &ids, "launch"), vec![1, 1]);
    let launched_at = store::find(&mut app.db.connect(), &ws.id, ids[0])
        .unwrap()
        .unwrap()
        .launched_at
        .unwrap();

    // Single orders: with and without a cost, of the category or not, a free one.
    let o_cost = single(&app, t, order(&members[2], 10_000, Some(6_000), "shoes")).await;
    single(&app, t, order(&members[3], 3_000, None, "socks")).await;
    single(&app, t, order(&members[4], 0, None, "shoes")).await;
    // An order of someone outside the audience changes no member.
    single(&app, t, order(&outsiders[0], 5_000, Some(100), "shoes")).await;
    // Backdated: written now, dated a second after the launch (counts) and a day before it
    // (does not).
    single(
        &app,
        t,
        at(
            order(&members[5], 2_500, Some(500), "shoes"),
            launched_at + Duration::seconds(1),
        ),
    )
    .await;
    single(
        &app,
        t,
        at(
            order(&members[5], 9_900, Some(500), "shoes"),
            launched_at - Duration::days(1),
        ),
    )
    .await;
    assert_eq!(
        assert_equal(&app, &ws.id, &ids, "single orders"),
        vec![5, 4]
    );

    // A batch: several orders of one member, members and outsiders mixed, dates in and out.
    let mut orders = Vec::new();
    for (i, m) in members.iter().enumerate() {
        let category = if i % 2 == 0 { "shoes" } else { "socks" };
        orders.push(order(m, 1_000 + 37 * i as i64, Some(400), category));
        orders.push(order(m, 777, (i % 3 == 0).then_some(100), "shoes"));
    }
    orders.push(order(&outsiders[1], 1_234, None, "shoes"));
    orders.push(at(
        order(&members[6], 8_800, Some(1), "shoes"),
        launched_at - Duration::hours(2),
    ));
    let batch_ids = batch(&app, t, orders).await;
    assert_eq!(
        assert_equal(&app, &ws.id, &ids, "a batch"),
        vec![5 + 24, 4 + 6 + 12]
    );

    // A voucher order (the same ingestion path, with a redemption).
    let offer = ok(
        app.post_as(
            "/v1/offers",
            t,
            &json!({"name": "Free shipping", "kind": "free_shipping"}),
        )
        .await,
        201,
    )
    .await;
    let issued = ok(
        app.post_as(
            &format!("/v1/offers/{}/issue", offer["id"].as_str().unwrap()),
            t,
            &json!({ "account_id": members[7] }),
        )
        .await,
        201,
    )
    .await;
    let code = issued["vouchers"][0]["code"].as_str().unwrap();
    let mut voucher_order = order(&members[7], 4_321, Some(1_234), "shoes");
    voucher_order["voucher_codes"] = json!([code]);
    single(&app, t, voucher_order).await;
    assert_eq!(
        assert_equal(&app, &ws.id, &ids, "a voucher order"),
        vec![30, 23]
    );

    // Refunds: a partial one (the order still counts, for less), a second taking the rest
    // (it no longer counts), a full one at once, a partial one of an order without cost.
    refund(&app, t, &o_cost, Some(3_333)).await;
    assert_equal(&app, &ws.id, &ids, "a partial refund");
    refund(&app, t, &o_cost, None).await;
    refund(&app, t, &batch_ids[0], None).await;
    refund(&app, t, &batch_ids[3], Some(1)).await;
    assert_eq!(assert_equal(&app, &ws.id, &ids, "refunds"), vec![28, 21]);

    // Merges: a member into another member (the survivor keeps its own arm and gains the
    // other's orders), then a member into an outsider (the outsider takes the membership),
    // then an outsider with orders in the window into a member.
    ok(
        app.post_as(
            &format!("/v1/accounts/{}/merge", members[8]),
            t,
            &json!({ "from": [members[9]] }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        assert_equal(&app, &ws.id, &ids, "merging two members"),
        vec![28, 21]
    );
    ok(
        app.post_as(
            &format!("/v1/accounts/{}/merge", outsiders[2]),
            t,
            &json!({ "from": [members[10]] }),
        )
        .await,
        200,
    )
    .await;
    single(&app, t, order(&outsiders[2], 600, Some(50), "shoes")).await;
    assert_equal(&app, &ws.id, &ids, "a member into an outsider");
    ok(
        app.post_as(
            &format!("/v1/accounts/{}/merge", members[11]),
            t,
            &json!({ "from": [outsiders[0], outsiders[1]] }),
        )
        .await,
        200,
    )
    .await;
    // The survivor now has the outsiders' orders in the window (5,000 and 1,234 of shoes).
    assert_eq!(
        assert_equal(&app, &ws.id, &ids, "outsiders into a member"),
        vec![28 + 1 + 2, 21 + 1 + 2]
    );

    // Results read the sums: the same figures as the scan.
    let r = ok(
        app.get_as(&format!("/v1/campaigns/{}/results", ids[0]), t)
            .await,
        200,
    )
    .await;
    let (stored, _) = stored_and_scanned(&app, &ws.id, ids[0]);
    let revenue: i128 = stored.iter().map(ArmSums::revenue).sum();
    let shown = r["total"]["treatment"]["revenue"].as_i64().unwrap()
        + r["total"]["control"]["revenue"].as_i64().unwrap();
    assert_eq!(i128::from(shown), revenue);
    assert!(revenue > 0);
}
