//! The write pipeline and the event feed: every write operation of the OpenAPI document,
//! driven over HTTP, leaves its audit entry, its events in the feed and (where a profile
//! shows it) a cached profile that changes; effects left pending by a node that died are
//! applied by the sweeper; the feed pages in order, filters by type and keeps tenants apart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::time::{Duration, Instant};

use common::{assert_problem, repo_file, TestApp, Workspace, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

/// What one write operation must leave behind.
struct Expect {
    /// The audit action it records (`None`: a session operation, not a change of data).
    audit: Option<&'static str>,
    /// Event types it publishes (all must appear; empty only for session operations).
    events: &'static [&'static str],
    /// A profile field the write changes: (account, JSON pointer, value before the write,
    /// read through the cache just before it).
    profile: Option<(String, &'static str, Value)>,
}

fn expect(audit: &'static str, events: &'static [&'static str]) -> Expect {
    Expect {
        audit: Some(audit),
        events,
        profile: None,
    }
}

/// Operations that change sessions, not data: no event (the audit log has the logins).
const SESSION_OPERATIONS: [&str; 3] = [
    "POST /v1/auth/token",
    "POST /v1/auth/refresh",
    "POST /v1/auth/logout",
];

/// Operations on webhook subscriptions: audited (but ping and redeliver, which send and
/// change no data), and never published — a subscription does not hear about itself.
const WEBHOOK_OPERATIONS: [&str; 6] = [
    "POST /v1/webhooks",
    "PATCH /v1/webhooks/{id}",
    "POST /v1/webhooks/{id}/rotate-secret",
    "POST /v1/webhooks/{id}/ping",
    "POST /v1/webhooks/{id}/deliveries/{delivery_id}/redeliver",
    "DELETE /v1/webhooks/{id}",
];

/// POST operations that read: no audit entry, no event.
const READ_OPERATIONS: [&str; 2] = [
    "POST /v1/segments/preview",
    "POST /v1/models/churn/backtest",
];

/// Every write operation of the committed OpenAPI document.
fn write_operations() -> BTreeSet<String> {
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_file("openapi/openapi.json")).unwrap())
            .unwrap();
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["post", "patch", "put", "delete"].contains(&method.as_str()) {
                ops.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    ops
}

/// The ids of everything the drivers create, as they go.
#[derive(Default)]
struct Ids(BTreeMap<&'static str, String>);

impl Ids {
    fn get(&self, name: &str) -> String {
        self.0
            .get(name)
            .unwrap_or_else(|| panic!("no {name} yet: drivers run in order"))
            .clone()
    }
}

struct Walk<'a> {
    app: &'a TestApp,
    receiver: &'a common::receiver::Receiver,
    ws: &'a Workspace,
    ids: Ids,
    refresh_token: String,
}

impl Walk<'_> {
    async fn call(&self, method: Method, path: &str, body: Option<Value>, status: u16) -> Value {
        let res = self
            .app
            .send(method.clone(), path, &self.ws.owner_token, body.as_ref())
            .await;
        let got = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert_eq!(got, status, "{method} {path}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    async fn post(&self, path: &str, body: Value, status: u16) -> Value {
        self.call(Method::POST, path, Some(body), status).await
    }

    /// Starts an import of accounts from `csv`; returns the queued job.
    async fn upload(&self, csv: &str) -> Value {
        let res = self
            .app
            .http
            .post(self.app.url("/v1/imports?type=accounts"))
            .bearer_auth(&self.ws.owner_token)
            .header("content-type", "text/csv")
            .body(csv.to_owned())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 202);
        res.json().await.unwrap()
    }

    /// The profile's value at `pointer`, read through the cache (null once it is gone).
    async fn profile_at(&self, account: &str, pointer: &str) -> Value {
        let res = self
            .app
            .get_as(
                &format!("/v1/accounts/{account}/profile"),
                &self.ws.owner_token,
            )
            .await;
        if res.status() != 200 {
            return Value::Null;
        }
        let profile: Value = res.json().await.unwrap();
        profile.pointer(pointer).cloned().unwrap_or(Value::Null)
    }

    async fn with_profile(&self, e: Expect, account: &str, pointer: &'static str) -> Expect {
        let before = self.profile_at(account, pointer).await;
        Expect {
            profile: Some((account.to_owned(), pointer, before)),
            ..e
        }
    }

    /// Performs one operation; returns what it must have left behind. Profile checks read the
    /// profile (warming the cache) before the write.
    async fn drive(&mut self, op: &str) -> Expect {
        let account = self.ids.0.get("account").cloned().unwrap_or_default();
        match op {
            "POST /v1/accounts" => {
                let a = self
                    .post(
                        "/v1/accounts",
                        json!({"kind": "person", "name": "Walker", "external_id": "walker"}),
                        201,
                    )
                    .await;
                self.ids
                    .0
                    .insert("account", a["id"].as_str().unwrap().into());
                expect("account.create", &["account.created"])
            }
            "PATCH /v1/accounts/{id}" => {
                let e = self
                    .with_profile(
                        expect("account.update", &["account.updated"]),
                        &account,
                        "/account/name",
                    )
                    .await;
                self.call(
                    Method::PATCH,
                    &format!("/v1/accounts/{account}"),
                    Some(json!({"name": "Walker Renamed"})),
                    200,
                )
                .await;
                e
            }
            "POST /v1/accounts/batch" => {
                let e = self
                    .with_profile(
                        expect("account.update", &["account.created", "account.updated"]),
                        &account,
                        "/account/name",
                    )
                    .await;
                self.post(
                    "/v1/accounts/batch",
                    json!({"accounts": [
                        {"kind": "person", "name": "Walker by batch", "external_id": "walker"},
                        {"kind": "organization", "name": "Acme", "external_id": "acme"}
                    ]}),
                    200,
                )
                .await;
                e
            }
            "POST /v1/imports" => {
                // A file that renames the walk's account, run to its end by a worker.
                let e = self
                    .with_profile(
                        expect(
                            "import.create",
                            &["import.created", "import.completed", "account.updated"],
                        ),
                        &account,
                        "/account/name",
                    )
                    .await;
                let job = self
                    .upload("external_id,kind,name\nwalker,person,Walker Imported\n")
                    .await;
                assert!(
                    rapport_api::service::imports::run_next(&self.app.state, "walk-worker")
                        .await
                        .unwrap()
                );
                let done = self
                    .call(
                        Method::GET,
                        &format!("/v1/imports/{}", job["id"].as_str().unwrap()),
                        None,
                        200,
                    )
                    .await;
                assert_eq!(done["status"], "succeeded", "{done}");
                e
            }
            "POST /v1/imports/{id}/cancel" => {
                let job = self.upload("external_id,name\nlater,Later\n").await;
                let id = job["id"].as_str().unwrap();
                self.post(&format!("/v1/imports/{id}/cancel"), json!({}), 200)
                    .await;
                expect("import.cancel", &["import.cancelled"])
            }
            "POST /v1/exports" => {
                // An export of the walk's accounts, run to its end by a worker.
                let job = self
                    .post(
                        "/v1/exports",
                        json!({"type": "accounts", "format": "ndjson"}),
                        202,
                    )
                    .await;
                assert!(
                    rapport_api::service::exports::run_next(&self.app.state, "walk-worker")
                        .await
                        .unwrap()
                );
                let done = self
                    .call(
                        Method::GET,
                        &format!("/v1/exports/{}", job["id"].as_str().unwrap()),
                        None,
                        200,
                    )
                    .await;
                assert_eq!(done["status"], "succeeded", "{done}");
                expect("export.create", &["export.created", "export.completed"])
            }
            "POST /v1/exports/{id}/cancel" => {
                let job = self
                    .post("/v1/exports", json!({"type": "orders"}), 202)
                    .await;
                let id = job["id"].as_str().unwrap();
                self.post(&format!("/v1/exports/{id}/cancel"), json!({}), 200)
                    .await;
                expect("export.cancel", &["export.cancelled"])
            }
            "POST /v1/graphql" | "POST /graphql" => {
                // GraphQL mutations run the same use cases through the same pipeline.
                let e = self
                    .with_profile(
                        expect("account.update", &["account.updated"]),
                        &account,
                        "/account/name",
                    )
                    .await;
                let out = self
                    .app
                    .graphql_as(
                        &self.ws.owner_token,
                        "mutation($id: ID!) { updateAccount(id: $id, patch: {name: \"Walker by GraphQL\"}) { name } }",
                        json!({"id": account}),
                    )
                    .await;
                assert!(out.get("errors").is_none(), "{out}");
                e
            }
            "POST /v1/accounts/{id}/contacts" => {
                let org = self
                    .post(
                        "/v1/accounts",
                        json!({"kind": "organization", "name": "Org"}),
                        201,
                    )
                    .await;
                let org = org["id"].as_str().unwrap().to_owned();
                let c = self
                    .post(
                        &format!("/v1/accounts/{org}/contacts"),
                        json!({"name": "Grace", "email": "grace@example.com"}),
                        201,
                    )
                    .await;
                self.ids
                    .0
                    .insert("contact", c["id"].as_str().unwrap().into());
                expect("contact.create", &["contact.created"])
            }
            "PATCH /v1/contacts/{id}" => {
                let id = self.ids.get("contact");
                self.call(
                    Method::PATCH,
                    &format!("/v1/contacts/{id}"),
                    Some(json!({"title": "CTO"})),
                    200,
                )
                .await;
                expect("contact.update", &["contact.updated"])
            }
            "DELETE /v1/contacts/{id}" => {
                let id = self.ids.get("contact");
                self.call(Method::DELETE, &format!("/v1/contacts/{id}"), None, 204)
                    .await;
                expect("contact.delete", &["contact.deleted"])
            }
            "POST /v1/accounts/{id}/interactions" => {
                let e = self
                    .with_profile(
                        expect("interaction.create", &["interaction.created"]),
                        &account,
                        "/recent_interactions",
                    )
                    .await;
                let i = self
                    .post(
                        &format!("/v1/accounts/{account}/interactions"),
                        json!({"type": "note", "subject": "First", "body": "Met at the fair"}),
                        201,
                    )
                    .await;
                self.ids
                    .0
                    .insert("interaction", i["id"].as_str().unwrap().into());
                e
            }
            "PATCH /v1/interactions/{id}" => {
                let e = self
                    .with_profile(
                        expect("interaction.update", &["interaction.updated"]),
                        &account,
                        "/recent_interactions",
                    )
                    .await;
                let id = self.ids.get("interaction");
                self.call(
                    Method::PATCH,
                    &format!("/v1/interactions/{id}"),
                    Some(json!({"subject": "Edited"})),
                    200,
                )
                .await;
                e
            }
            "DELETE /v1/interactions/{id}" => {
                let e = self
                    .with_profile(
                        expect("interaction.delete", &["interaction.deleted"]),
                        &account,
                        "/recent_interactions",
                    )
                    .await;
                let id = self.ids.get("interaction");
                self.call(Method::DELETE, &format!("/v1/interactions/{id}"), None, 204)
                    .await;
                e
            }
            "PUT /v1/loyalty/program" => {
                let e = self
                    .with_profile(
                        expect("loyalty_program.update", &["loyalty.program_updated"]),
                        &account,
                        "/loyalty",
                    )
                    .await;
                self.call(
                    Method::PUT,
                    "/v1/loyalty/program",
                    Some(json!({
                        "currency": "USD",
                        "earn_rate": {"numerator": 1, "denominator": 100},
                        "tiers": [{"name": "Base", "threshold": 0, "multiplier_permille": 1000}],
                        "expiry_months": 12
                    })),
                    200,
                )
                .await;
                e
            }
            "POST /v1/orders" => {
                let e = self
                    .with_profile(
                        expect("order.create", &["order.created", "loyalty.points_earned"]),
                        &account,
                        "/metrics",
                    )
                    .await;
                let o = self
                    .post(
                        "/v1/orders",
                        json!({"account_id": account, "amount": 10_000, "currency": "USD"}),
                        201,
                    )
                    .await;
                self.ids.0.insert("order", o["id"].as_str().unwrap().into());
                e
            }
            "POST /v1/orders/batch" => {
                let e = self
                    .with_profile(
                        expect("order.batch", &["order.created"]),
                        &account,
                        "/metrics",
                    )
                    .await;
                self.post(
                    "/v1/orders/batch",
                    json!({"orders": [{"account_id": account, "amount": 2_500, "currency": "USD", "external_id": "b-1"}]}),
                    200,
                )
                .await;
                e
            }
            "POST /v1/orders/{id}/refund" => {
                let e = self
                    .with_profile(
                        expect(
                            "order.refund",
                            &["order.refunded", "loyalty.points_reversed"],
                        ),
                        &account,
                        "/metrics",
                    )
                    .await;
                let id = self.ids.get("order");
                self.post(
                    &format!("/v1/orders/{id}/refund"),
                    json!({"amount": 1_000}),
                    200,
                )
                .await;
                e
            }
            "POST /v1/accounts/{id}/loyalty/adjust" => {
                let e = self
                    .with_profile(
                        expect("loyalty.adjust", &["loyalty.points_adjusted"]),
                        &account,
                        "/loyalty",
                    )
                    .await;
                self.post(
                    &format!("/v1/accounts/{account}/loyalty/adjust"),
                    json!({"points": 500, "reason": "welcome"}),
                    201,
                )
                .await;
                e
            }
            "POST /v1/feedback" => {
                let e = self
                    .with_profile(
                        expect(
                            "feedback.create",
                            &["feedback.received", "customer.became_detractor"],
                        ),
                        &account,
                        "/satisfaction",
                    )
                    .await;
                self.post(
                    "/v1/feedback",
                    json!({"account_id": account, "nps": 3, "touchpoint": "support"}),
                    201,
                )
                .await;
                e
            }
            "POST /v1/feedback/batch" => {
                let e = self
                    .with_profile(
                        expect("feedback.batch", &["feedback.received"]),
                        &account,
                        "/satisfaction",
                    )
                    .await;
                self.post(
                    "/v1/feedback/batch",
                    json!({"responses": [{"account_id": account, "csat": 4, "touchpoint": "web", "external_id": "fb-1"}]}),
                    200,
                )
                .await;
                e
            }
            "PUT /v1/complaints/settings" => {
                self.call(
                    Method::PUT,
                    "/v1/complaints/settings",
                    Some(json!({"agent_max_points": 2000})),
                    200,
                )
                .await;
                expect("complaint_settings.update", &["complaint.settings_updated"])
            }
            "POST /v1/complaints" => {
                let e = self
                    .with_profile(
                        expect("complaint.open", &["complaint.opened"]),
                        &account,
                        "/satisfaction/open_complaints",
                    )
                    .await;
                let c = self
                    .post(
                        "/v1/complaints",
                        json!({"account_id": account, "order_id": self.ids.get("order"), "category": "delivery", "severity": "high", "subject": "Late"}),
                        201,
                    )
                    .await;
                self.ids
                    .0
                    .insert("complaint", c["id"].as_str().unwrap().into());
                e
            }
            "POST /v1/complaints/{id}/status" => {
                let id = self.ids.get("complaint");
                self.post(
                    &format!("/v1/complaints/{id}/status"),
                    json!({"status": "in_progress"}),
                    200,
                )
                .await;
                expect("complaint.status", &["complaint.updated"])
            }
            "POST /v1/complaints/{id}/assign" => {
                let id = self.ids.get("complaint");
                self.post(
                    &format!("/v1/complaints/{id}/assign"),
                    json!({"owner_id": self.ws.owner_id}),
                    200,
                )
                .await;
                expect("complaint.assign", &["complaint.updated"])
            }
            "POST /v1/complaints/{id}/notes" => {
                let id = self.ids.get("complaint");
                self.post(
                    &format!("/v1/complaints/{id}/notes"),
                    json!({"body": "called back"}),
                    201,
                )
                .await;
                expect("complaint.note", &["complaint.note_added"])
            }
            "POST /v1/complaints/{id}/resolve" => {
                let e = self
                    .with_profile(
                        expect(
                            "complaint.resolve",
                            &[
                                "complaint.resolved",
                                "loyalty.points_adjusted",
                                "order.refunded",
                            ],
                        ),
                        &account,
                        "/satisfaction/open_complaints",
                    )
                    .await;
                let id = self.ids.get("complaint");
                self.post(
                    &format!("/v1/complaints/{id}/resolve"),
                    json!({"outcome": "sorry", "points": 50, "refund": {"amount": 100}}),
                    200,
                )
                .await;
                e
            }
            "POST /v1/complaints/{id}/reopen" => {
                let e = self
                    .with_profile(
                        expect("complaint.reopen", &["complaint.reopened"]),
                        &account,
                        "/satisfaction/open_complaints",
                    )
                    .await;
                let id = self.ids.get("complaint");
                self.post(&format!("/v1/complaints/{id}/reopen"), json!({}), 200)
                    .await;
                e
            }
            "POST /v1/accounts/{id}/loyalty/redeem" => {
                let e = self
                    .with_profile(
                        expect("loyalty.redeem", &["loyalty.points_redeemed"]),
                        &account,
                        "/loyalty",
                    )
                    .await;
                let r = self
                    .post(
                        &format!("/v1/accounts/{account}/loyalty/redeem"),
                        json!({"points": 100}),
                        201,
                    )
                    .await;
                self.ids
                    .0
                    .insert("redemption", r["id"].as_str().unwrap().into());
                e
            }
            "POST /v1/accounts/{id}/loyalty/redemptions/{redemption_id}/fulfil" => {
                // A reward to hand over first (its own redemption is audited and published
                // too); fulfilling changes no balance, so no profile field to watch.
                let reward = self.ids.get("reward");
                let r = self
                    .post(
                        &format!("/v1/accounts/{account}/loyalty/redeem"),
                        json!({"reward_id": reward}),
                        201,
                    )
                    .await;
                let id = r["id"].as_str().unwrap();
                let done = self
                    .post(
                        &format!("/v1/accounts/{account}/loyalty/redemptions/{id}/fulfil"),
                        json!(null),
                        200,
                    )
                    .await;
                assert_eq!(done["status"], "fulfilled");
                expect(
                    "loyalty.redemption_fulfil",
                    &["loyalty.redemption_fulfilled"],
                )
            }
            "POST /v1/accounts/{id}/loyalty/redemptions/{redemption_id}/cancel" => {
                let e = self
                    .with_profile(
                        expect(
                            "loyalty.redemption_cancel",
                            &["loyalty.points_returned", "loyalty.redemption_cancelled"],
                        ),
                        &account,
                        "/loyalty",
                    )
                    .await;
                let id = self.ids.get("redemption");
                self.post(
                    &format!("/v1/accounts/{account}/loyalty/redemptions/{id}/cancel"),
                    json!({"reason": "till voided"}),
                    200,
                )
                .await;
                e
            }
            "POST /v1/loyalty/rewards" => {
                let r = self
                    .post(
                        "/v1/loyalty/rewards",
                        json!({"name": "Mug", "points_cost": 50}),
                        201,
                    )
                    .await;
                self.ids
                    .0
                    .insert("reward", r["id"].as_str().unwrap().into());
                expect("loyalty_reward.create", &["loyalty.reward_created"])
            }
            "PATCH /v1/loyalty/rewards/{id}" => {
                let id = self.ids.get("reward");
                self.call(
                    Method::PATCH,
                    &format!("/v1/loyalty/rewards/{id}"),
                    Some(json!({"points_cost": 60})),
                    200,
                )
                .await;
                expect("loyalty_reward.update", &["loyalty.reward_updated"])
            }
            "DELETE /v1/loyalty/rewards/{id}" => {
                let id = self.ids.get("reward");
                self.call(
                    Method::DELETE,
                    &format!("/v1/loyalty/rewards/{id}"),
                    None,
                    204,
                )
                .await;
                expect("loyalty_reward.delete", &["loyalty.reward_deleted"])
            }
            "POST /v1/pipelines" => {
                let p = self
                    .post(
                        "/v1/pipelines",
                        json!({"name": "Sales", "stages": [
                            {"name": "Lead", "probability": 10, "kind": "open"},
                            {"name": "Won", "kind": "won"},
                            {"name": "Lost", "kind": "lost"}
                        ]}),
                        201,
                    )
                    .await;
                self.ids
                    .0
                    .insert("pipeline", p["id"].as_str().unwrap().into());
                for s in p["stages"].as_array().unwrap() {
                    let name = match s["name"].as_str().unwrap() {
                        "Lead" => "stage_lead",
                        "Won" => "stage_won",
                        _ => "stage_lost",
                    };
                    self.ids.0.insert(name, s["id"].as_str().unwrap().into());
                }
                expect("pipeline.create", &["pipeline.created"])
            }
            "PATCH /v1/pipelines/{id}" => {
                let id = self.ids.get("pipeline");
                self.call(
                    Method::PATCH,
                    &format!("/v1/pipelines/{id}"),
                    Some(json!({"name": "Sales EMEA"})),
                    200,
                )
                .await;
                expect("pipeline.update", &["pipeline.updated"])
            }
            "POST /v1/deals" => {
                let e = self
                    .with_profile(
                        expect("deal.create", &["deal.created"]),
                        &account,
                        "/open_deals",
                    )
                    .await;
                let d = self
                    .post(
                        "/v1/deals",
                        json!({"account_id": account, "title": "Big one", "amount": 50_000,
                               "currency": "USD", "pipeline_id": self.ids.get("pipeline")}),
                        201,
                    )
                    .await;
                self.ids.0.insert("deal", d["id"].as_str().unwrap().into());
                e
            }
            "PATCH /v1/deals/{id}" => {
                let e = self
                    .with_profile(
                        expect("deal.update", &["deal.updated"]),
                        &account,
                        "/open_deals",
                    )
                    .await;
                let id = self.ids.get("deal");
                self.call(
                    Method::PATCH,
                    &format!("/v1/deals/{id}"),
                    Some(json!({"title": "Bigger one"})),
                    200,
                )
                .await;
                e
            }
            "POST /v1/deals/{id}/move" => {
                let e = self
                    .with_profile(
                        expect(
                            "deal.move",
                            &["deal.stage_changed", "deal.won", "order.created"],
                        ),
                        &account,
                        "/open_deals",
                    )
                    .await;
                let id = self.ids.get("deal");
                self.post(
                    &format!("/v1/deals/{id}/move"),
                    json!({"stage_id": self.ids.get("stage_won")}),
                    200,
                )
                .await;
                e
            }
            "POST /v1/deals/{id}/reopen" => {
                let e = self
                    .with_profile(
                        expect("deal.reopen", &["deal.stage_changed", "deal.reopened"]),
                        &account,
                        "/open_deals",
                    )
                    .await;
                let id = self.ids.get("deal");
                self.post(
                    &format!("/v1/deals/{id}/reopen"),
                    json!({"stage_id": self.ids.get("stage_lead")}),
                    200,
                )
                .await;
                e
            }
            "DELETE /v1/deals/{id}" => {
                let e = self
                    .with_profile(
                        expect("deal.delete", &["deal.deleted"]),
                        &account,
                        "/open_deals",
                    )
                    .await;
                let id = self.ids.get("deal");
                self.call(Method::DELETE, &format!("/v1/deals/{id}"), None, 204)
                    .await;
                e
            }
            "DELETE /v1/pipelines/{id}" => {
                let id = self.ids.get("pipeline");
                self.call(Method::DELETE, &format!("/v1/pipelines/{id}"), None, 204)
                    .await;
                expect("pipeline.archive", &["pipeline.archived"])
            }
            "PATCH /v1/workspace/value-settings" => {
                self.call(
                    Method::PATCH,
                    "/v1/workspace/value-settings",
                    Some(json!({"default_margin_percent": 40})),
                    200,
                )
                .await;
                expect("value_settings.update", &["settings.updated"])
            }
            "POST /v1/marketing-spend" => {
                let row = self
                    .post(
                        "/v1/marketing-spend",
                        json!({"channel": "search", "month": "2026-01", "amount": 50_000, "currency": "USD"}),
                        200,
                    )
                    .await;
                assert_eq!(row["amount"], 50_000);
                expect("marketing_spend.upsert", &["marketing_spend.updated"])
            }
            "POST /v1/models/churn/fit" => {
                self.post("/v1/models/churn/fit", json!({}), 200).await;
                expect("model.refit", &["model.refitted"])
            }
            "POST /v1/recommendations/refresh" => {
                let refresh = self
                    .post("/v1/recommendations/refresh", json!({}), 200)
                    .await;
                assert!(refresh["customers"].is_i64());
                expect("recommendations.refresh", &["recommendations.refreshed"])
            }
            "POST /v1/users" => {
                let u = self
                    .post(
                        "/v1/users",
                        json!({"email": format!("agent-{}@example.com", uuid::Uuid::new_v4().simple()),
                               "name": "Agent", "password": PASSWORD, "role": "agent"}),
                        201,
                    )
                    .await;
                self.ids.0.insert("user", u["id"].as_str().unwrap().into());
                expect("user.create", &["user.created"])
            }
            "PATCH /v1/users/{id}" => {
                let id = self.ids.get("user");
                self.call(
                    Method::PATCH,
                    &format!("/v1/users/{id}"),
                    Some(json!({"role": "manager"})),
                    200,
                )
                .await;
                expect("user.update", &["user.updated"])
            }
            "POST /v1/api-keys" => {
                let k = self
                    .post(
                        "/v1/api-keys",
                        json!({"name": "walk", "scopes": ["events:read"]}),
                        201,
                    )
                    .await;
                self.ids
                    .0
                    .insert("api_key", k["id"].as_str().unwrap().into());
                expect("api_key.create", &["api_key.created"])
            }
            "DELETE /v1/api-keys/{id}" => {
                let id = self.ids.get("api_key");
                self.call(Method::DELETE, &format!("/v1/api-keys/{id}"), None, 200)
                    .await;
                expect("api_key.revoke", &["api_key.revoked"])
            }
            "POST /v1/accounts/{id}/merge" => {
                let twin = self
                    .post(
                        "/v1/accounts",
                        json!({"kind": "person", "name": "Walker Twin", "emails": ["twin@example.com"]}),
                        201,
                    )
                    .await;
                let twin = twin["id"].as_str().unwrap().to_owned();
                let e = self
                    .with_profile(
                        expect("account.merge", &["account.merged"]),
                        &account,
                        "/account/emails",
                    )
                    .await;
                self.post(
                    &format!("/v1/accounts/{account}/merge"),
                    json!({ "from": [twin] }),
                    200,
                )
                .await;
                e
            }
            "PUT /v1/workspace/privacy-settings" => {
                self.call(
                    Method::PUT,
                    "/v1/workspace/privacy-settings",
                    Some(json!({"soft_deleted_days": 365})),
                    200,
                )
                .await;
                expect("privacy_settings.update", &["privacy.settings_updated"])
            }
            "POST /v1/accounts/{id}/erase" => {
                let a = self
                    .post(
                        "/v1/accounts",
                        json!({"kind": "person", "name": "Eve Erased", "emails": ["eve@example.com"]}),
                        201,
                    )
                    .await;
                let a = a["id"].as_str().unwrap().to_owned();
                let e = self
                    .with_profile(
                        expect("account.erase", &["account.erased"]),
                        &a,
                        "/account/name",
                    )
                    .await;
                self.post(
                    &format!("/v1/accounts/{a}/erase"),
                    json!({ "confirm": a }),
                    200,
                )
                .await;
                e
            }
            "DELETE /v1/accounts/{id}" => {
                let e = self
                    .with_profile(
                        expect("account.delete", &["account.deleted"]),
                        &account,
                        "/account/name",
                    )
                    .await;
                self.call(
                    Method::DELETE,
                    &format!("/v1/accounts/{account}"),
                    None,
                    204,
                )
                .await;
                e
            }
            "POST /v1/webhooks" => {
                let w = self
                    .post(
                        "/v1/webhooks",
                        json!({"url": self.receiver.url, "event_types": ["order.*"]}),
                        201,
                    )
                    .await;
                self.ids
                    .0
                    .insert("webhook", w["id"].as_str().unwrap().into());
                expect("webhook.create", &[])
            }
            "PATCH /v1/webhooks/{id}" => {
                let id = self.ids.get("webhook");
                self.call(
                    Method::PATCH,
                    &format!("/v1/webhooks/{id}"),
                    Some(json!({"description": "walk"})),
                    200,
                )
                .await;
                expect("webhook.update", &[])
            }
            "POST /v1/webhooks/{id}/rotate-secret" => {
                let id = self.ids.get("webhook");
                self.post(&format!("/v1/webhooks/{id}/rotate-secret"), json!({}), 200)
                    .await;
                expect("webhook.rotate_secret", &[])
            }
            "POST /v1/webhooks/{id}/ping" => {
                let id = self.ids.get("webhook");
                let d = self
                    .post(&format!("/v1/webhooks/{id}/ping"), json!({}), 200)
                    .await;
                self.ids
                    .0
                    .insert("delivery", d["id"].as_str().unwrap().into());
                Expect {
                    audit: None,
                    events: &[],
                    profile: None,
                }
            }
            "POST /v1/webhooks/{id}/deliveries/{delivery_id}/redeliver" => {
                let (id, delivery) = (self.ids.get("webhook"), self.ids.get("delivery"));
                self.post(
                    &format!("/v1/webhooks/{id}/deliveries/{delivery}/redeliver"),
                    json!({}),
                    200,
                )
                .await;
                Expect {
                    audit: None,
                    events: &[],
                    profile: None,
                }
            }
            "DELETE /v1/webhooks/{id}" => {
                let id = self.ids.get("webhook");
                self.call(Method::DELETE, &format!("/v1/webhooks/{id}"), None, 204)
                    .await;
                expect("webhook.delete", &[])
            }
            "POST /v1/segments" => {
                let seg = self
                    .post(
                        "/v1/segments",
                        json!({"name": "Walk", "tracked": true,
                               "rule": {"field": "revenue", "op": ">", "value": 1_000_000_000_000i64}}),
                        201,
                    )
                    .await;
                self.ids
                    .0
                    .insert("segment", seg["id"].as_str().unwrap().into());
                expect("segment.create", &["segment.created"])
            }
            "PATCH /v1/segments/{id}" => {
                // The walk's account enters the tracked segment when its rule changes.
                let id = self.ids.get("segment");
                self.call(
                    Method::PATCH,
                    &format!("/v1/segments/{id}"),
                    Some(json!({"rule": {"field": "kind", "op": "exists"}})),
                    200,
                )
                .await;
                expect(
                    "segment.update",
                    &["segment.updated", "customer.segment_entered"],
                )
            }
            "POST /v1/models/churn/backtest" => {
                self.post(
                    "/v1/models/churn/backtest",
                    json!({"cutoff": chrono::Utc::now().to_rfc3339(), "horizon_days": 30}),
                    200,
                )
                .await;
                Expect {
                    audit: None,
                    events: &[],
                    profile: None,
                }
            }
            "POST /v1/segments/preview" => {
                self.post(
                    "/v1/segments/preview",
                    json!({"rule": {"field": "kind", "op": "exists"}}),
                    200,
                )
                .await;
                Expect {
                    audit: None,
                    events: &[],
                    profile: None,
                }
            }
            "POST /v1/campaigns" => {
                // A call needs no consent; a tiny control share leaves the walk's few
                // accounts all treated.
                let c = self
                    .post(
                        "/v1/campaigns",
                        json!({"name": "Walk", "channel": "call", "control_share": 0.01,
                               "segment_id": self.ids.get("segment")}),
                        201,
                    )
                    .await;
                self.ids
                    .0
                    .insert("campaign", c["id"].as_str().unwrap().into());
                expect("campaign.create", &["campaign.created"])
            }
            "PATCH /v1/campaigns/{id}" => {
                let id = self.ids.get("campaign");
                self.call(
                    Method::PATCH,
                    &format!("/v1/campaigns/{id}"),
                    Some(json!({"cost_fixed": 500})),
                    200,
                )
                .await;
                expect("campaign.update", &["campaign.updated"])
            }
            "PUT /v1/campaigns/global-control" => {
                self.call(
                    Method::PUT,
                    "/v1/campaigns/global-control",
                    Some(json!({"share": 0.0})),
                    200,
                )
                .await;
                expect("campaign.global_control", &["campaign.settings_updated"])
            }
            "POST /v1/campaigns/global-control/redraw" => {
                self.post("/v1/campaigns/global-control/redraw", json!(null), 200)
                    .await;
                expect(
                    "campaign.global_control_redraw",
                    &["campaign.settings_updated"],
                )
            }
            "POST /v1/campaigns/{id}/launch" => {
                let id = self.ids.get("campaign");
                self.post(&format!("/v1/campaigns/{id}/launch"), json!(null), 200)
                    .await;
                expect("campaign.launch", &["campaign.launched"])
            }
            "POST /v1/campaigns/{id}/exposures" => {
                let id = self.ids.get("campaign");
                let members = self
                    .call(
                        Method::GET,
                        &format!("/v1/campaigns/{id}/members?arm=treatment"),
                        None,
                        200,
                    )
                    .await;
                let account = members["data"][0]["account_id"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                self.post(
                    &format!("/v1/campaigns/{id}/exposures"),
                    json!({"exposures": [{"account_id": account, "outcome": "delivered"}]}),
                    200,
                )
                .await;
                expect("campaign.exposures", &["campaign.exposures_recorded"])
            }
            "DELETE /v1/campaigns/{id}" => {
                let id = self.ids.get("campaign");
                self.call(Method::DELETE, &format!("/v1/campaigns/{id}"), None, 204)
                    .await;
                expect("campaign.delete", &["campaign.deleted"])
            }
            "POST /v1/offers" => {
                let o = self
                    .post(
                        "/v1/offers",
                        json!({"name": "Walk", "kind": "percent_discount", "percent": 10}),
                        201,
                    )
                    .await;
                self.ids.0.insert("offer", o["id"].as_str().unwrap().into());
                expect("offer.create", &["offer.created"])
            }
            "PATCH /v1/offers/{id}" => {
                let id = self.ids.get("offer");
                self.call(
                    Method::PATCH,
                    &format!("/v1/offers/{id}"),
                    Some(json!({"percent": 15})),
                    200,
                )
                .await;
                expect("offer.update", &["offer.updated"])
            }
            "POST /v1/offers/{id}/issue" => {
                let e = self
                    .with_profile(
                        expect("offer.issue", &["voucher.issued"]),
                        &account,
                        "/offers",
                    )
                    .await;
                let id = self.ids.get("offer");
                let issued = self
                    .post(
                        &format!("/v1/offers/{id}/issue"),
                        json!({ "account_id": account }),
                        201,
                    )
                    .await;
                self.ids.0.insert(
                    "voucher",
                    issued["vouchers"][0]["code"].as_str().unwrap().into(),
                );
                e
            }
            "POST /v1/vouchers/{code}/view" => {
                let e = self
                    .with_profile(
                        expect("voucher.view", &["voucher.viewed"]),
                        &account,
                        "/offers/0/voucher/state",
                    )
                    .await;
                let code = self.ids.get("voucher");
                self.post(&format!("/v1/vouchers/{code}/view"), json!(null), 200)
                    .await;
                e
            }
            "POST /v1/vouchers/{code}/cancel" => {
                let e = self
                    .with_profile(
                        expect("voucher.cancel", &["voucher.cancelled"]),
                        &account,
                        "/offers",
                    )
                    .await;
                let code = self.ids.get("voucher");
                self.post(&format!("/v1/vouchers/{code}/cancel"), json!(null), 200)
                    .await;
                e
            }
            "DELETE /v1/offers/{id}" => {
                let id = self.ids.get("offer");
                self.call(Method::DELETE, &format!("/v1/offers/{id}"), None, 204)
                    .await;
                expect("offer.delete", &["offer.deleted"])
            }
            "DELETE /v1/segments/{id}" => {
                let id = self.ids.get("segment");
                self.call(Method::DELETE, &format!("/v1/segments/{id}"), None, 204)
                    .await;
                expect("segment.delete", &["segment.deleted"])
            }
            "POST /v1/auth/token" => {
                let tokens = self.app.login(&self.ws.owner_email, PASSWORD).await;
                self.refresh_token = tokens["refresh_token"].as_str().unwrap().into();
                Expect {
                    audit: Some("auth.login"),
                    events: &[],
                    profile: None,
                }
            }
            "POST /v1/auth/refresh" => {
                let res = self
                    .app
                    .post_json(
                        "/v1/auth/refresh",
                        &json!({"refresh_token": self.refresh_token}),
                    )
                    .await;
                assert_eq!(res.status(), 200);
                let tokens: Value = res.json().await.unwrap();
                self.refresh_token = tokens["refresh_token"].as_str().unwrap().into();
                Expect {
                    audit: None,
                    events: &[],
                    profile: None,
                }
            }
            "POST /v1/auth/logout" => {
                let res = self
                    .app
                    .post_json(
                        "/v1/auth/logout",
                        &json!({"refresh_token": self.refresh_token}),
                    )
                    .await;
                assert_eq!(res.status(), 204);
                Expect {
                    audit: None,
                    events: &[],
                    profile: None,
                }
            }
            other => panic!(
                "no driver for the write operation {other}: add one to tests/events.rs with the \
                 audit entry, events and profile change it must produce"
            ),
        }
    }
}

/// The order the drivers run in (each may use what earlier ones created).
const ORDER: &[&str] = &[
    "POST /v1/auth/token",
    "POST /v1/auth/refresh",
    "POST /v1/auth/logout",
    "POST /v1/accounts",
    "PATCH /v1/accounts/{id}",
    "POST /v1/accounts/batch",
    "POST /graphql",
    "POST /v1/imports",
    "POST /v1/imports/{id}/cancel",
    "POST /v1/exports",
    "POST /v1/exports/{id}/cancel",
    "POST /v1/accounts/{id}/contacts",
    "PATCH /v1/contacts/{id}",
    "DELETE /v1/contacts/{id}",
    "POST /v1/accounts/{id}/interactions",
    "PATCH /v1/interactions/{id}",
    "DELETE /v1/interactions/{id}",
    "PUT /v1/loyalty/program",
    "POST /v1/orders",
    "POST /v1/orders/batch",
    "POST /v1/orders/{id}/refund",
    "POST /v1/accounts/{id}/loyalty/adjust",
    "POST /v1/feedback",
    "POST /v1/feedback/batch",
    "PUT /v1/complaints/settings",
    "POST /v1/complaints",
    "POST /v1/complaints/{id}/status",
    "POST /v1/complaints/{id}/assign",
    "POST /v1/complaints/{id}/notes",
    "POST /v1/complaints/{id}/resolve",
    "POST /v1/complaints/{id}/reopen",
    "POST /v1/accounts/{id}/loyalty/redeem",
    "POST /v1/loyalty/rewards",
    "POST /v1/accounts/{id}/loyalty/redemptions/{redemption_id}/fulfil",
    "POST /v1/accounts/{id}/loyalty/redemptions/{redemption_id}/cancel",
    "PATCH /v1/loyalty/rewards/{id}",
    "DELETE /v1/loyalty/rewards/{id}",
    "POST /v1/pipelines",
    "PATCH /v1/pipelines/{id}",
    "POST /v1/deals",
    "PATCH /v1/deals/{id}",
    "POST /v1/deals/{id}/move",
    "POST /v1/deals/{id}/reopen",
    "DELETE /v1/deals/{id}",
    "DELETE /v1/pipelines/{id}",
    "PATCH /v1/workspace/value-settings",
    "POST /v1/marketing-spend",
    "POST /v1/models/churn/fit",
    "POST /v1/recommendations/refresh",
    "POST /v1/models/churn/backtest",
    "POST /v1/users",
    "PATCH /v1/users/{id}",
    "POST /v1/api-keys",
    "DELETE /v1/api-keys/{id}",
    "POST /v1/webhooks",
    "PATCH /v1/webhooks/{id}",
    "POST /v1/webhooks/{id}/rotate-secret",
    "POST /v1/webhooks/{id}/ping",
    "POST /v1/webhooks/{id}/deliveries/{delivery_id}/redeliver",
    "DELETE /v1/webhooks/{id}",
    "POST /v1/segments",
    "PATCH /v1/segments/{id}",
    "POST /v1/segments/preview",
    "POST /v1/campaigns",
    "PATCH /v1/campaigns/{id}",
    "PUT /v1/campaigns/global-control",
    "POST /v1/campaigns/global-control/redraw",
    "POST /v1/campaigns/{id}/launch",
    "POST /v1/campaigns/{id}/exposures",
    "DELETE /v1/campaigns/{id}",
    "POST /v1/offers",
    "PATCH /v1/offers/{id}",
    "POST /v1/offers/{id}/issue",
    "POST /v1/vouchers/{code}/view",
    "POST /v1/vouchers/{code}/cancel",
    "DELETE /v1/offers/{id}",
    "DELETE /v1/segments/{id}",
    "POST /v1/accounts/{id}/merge",
    "PUT /v1/workspace/privacy-settings",
    "POST /v1/accounts/{id}/erase",
    "DELETE /v1/accounts/{id}",
];

async fn events_after(app: &TestApp, token: &str, after: i64) -> Vec<Value> {
    let res = app
        .get_as(&format!("/v1/events?after={after}&limit=500"), token)
        .await;
    assert_eq!(res.status(), 200);
    let page: Value = res.json().await.unwrap();
    page["data"].as_array().unwrap().clone()
}

async fn audit_ids(app: &TestApp, token: &str) -> Vec<(String, String)> {
    let res = app.get_as("/v1/audit-log?limit=500", token).await;
    assert_eq!(res.status(), 200);
    let page: Value = res.json().await.unwrap();
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().to_owned(),
                e["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_write_operation_is_audited_published_and_invalidates_the_profile() {
    let documented = write_operations();
    let driven: BTreeSet<String> = ORDER.iter().map(|s| (*s).to_owned()).collect();
    let missing: Vec<_> = documented.difference(&driven).collect();
    assert!(
        missing.is_empty(),
        "write operations without a driver in tests/events.rs: {missing:?}"
    );
    let stale: Vec<_> = driven.difference(&documented).collect();
    assert!(
        stale.is_empty(),
        "drivers of operations the document no longer has: {stale:?}"
    );

    // Import jobs are run by the drivers (a queued job stays queued for the cancel).
    let app = TestApp::spawn_with(|c| {
        c.webhooks.allow_private = true;
        c.imports_worker = false;
        c.exports_worker = false;
    })
    .await;
    let receiver = common::receiver::Receiver::start().await;
    let ws = app.workspace("Walk").await;
    let token = ws.owner_token.clone();
    let mut walk = Walk {
        app: &app,
        receiver: &receiver,
        ws: &ws,
        ids: Ids::default(),
        refresh_token: String::new(),
    };
    let mut seq = 0;
    let mut seen_audit: HashSet<String> = audit_ids(&app, &token)
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    for op in ORDER {
        let expected = walk.drive(op).await;
        if !SESSION_OPERATIONS.contains(op)
            && !WEBHOOK_OPERATIONS.contains(op)
            && !READ_OPERATIONS.contains(op)
        {
            assert!(!expected.events.is_empty(), "{op} must publish an event");
        }
        let events = events_after(&app, &token, seq).await;
        let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
        for t in expected.events {
            assert!(types.contains(t), "{op} published {types:?}, not {t}");
        }
        if let Some(last) = events.last() {
            seq = last["sequence"].as_i64().unwrap();
        }
        let audit = audit_ids(&app, &token).await;
        let new: Vec<&str> = audit
            .iter()
            .filter(|(id, _)| !seen_audit.contains(id))
            .map(|(_, action)| action.as_str())
            .collect();
        if let Some(action) = expected.audit {
            assert!(new.contains(&action), "{op} audited {new:?}, not {action}");
        }
        seen_audit.extend(audit.into_iter().map(|(id, _)| id));
        if let Some((account, pointer, before)) = expected.profile {
            let after = walk.profile_at(&account, pointer).await;
            assert_ne!(
                after, before,
                "{op}: the cached profile still shows {pointer} = {before} after the write"
            );
        }
    }
}

/// Puts a loyalty programme with points expiring after a month and one account with an
/// adjustment; returns the account.
async fn loyal_account(app: &TestApp, ws: &Workspace) -> String {
    let res = app
        .send(
            Method::PUT,
            "/v1/loyalty/program",
            &ws.owner_token,
            Some(&json!({
                "currency": "EUR",
                "earn_rate": {"numerator": 1, "denominator": 100},
                "tiers": [{"name": "Base", "threshold": 0, "multiplier_permille": 1000}],
                "expiry_months": 1
            })),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let a: Value = app
        .post_as(
            "/v1/accounts",
            &ws.owner_token,
            &json!({"kind": "person", "name": "Loyal"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let account = a["id"].as_str().unwrap().to_owned();
    let res = app
        .post_as(
            &format!("/v1/accounts/{account}/loyalty/adjust"),
            &ws.owner_token,
            &json!({"points": 70, "reason": "welcome"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    account
}

async fn profile(app: &TestApp, ws: &Workspace, account: &str) -> Value {
    let res = app
        .get_as(&format!("/v1/accounts/{account}/profile"), &ws.owner_token)
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn run_jobs_cli(app: &TestApp, at: &str) -> Value {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"));
    for (name, _) in std::env::vars() {
        if name.starts_with("RAPPORT_") {
            cmd.env_remove(name);
        }
    }
    cmd.args(["loyalty", "run-jobs", "--at", at])
        .env("RAPPORT_DATABASE_URL", app.db.url())
        .env("RAPPORT_LOG", "error");
    if let Some((url, prefix)) = &app.redis {
        cmd.env("RAPPORT_REDIS_URL", url)
            .env("RAPPORT_REDIS_PREFIX", prefix);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The regression of issue 19: `rapport loyalty run-jobs` changed balances under cached
/// profiles (stale in Redis until the TTL). Now its changes go through the pipeline: the
/// cached profile shows the expiry, and the feed has the notice and the expiry.
#[tokio::test]
async fn a_cached_profile_changes_after_the_loyalty_jobs_cli() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Jobs").await;
    let account = loyal_account(&app, &ws).await;
    let before = profile(&app, &ws, &account).await;
    assert_eq!(before["loyalty"]["available"], 70);
    // Twice: the second read is served from the cache.
    assert_eq!(profile(&app, &ws, &account).await, before);

    // Ten days before expiry: the notice, once per lot.
    let soon = (chrono::Utc::now() + chrono::Duration::days(22)).to_rfc3339();
    let report = run_jobs_cli(&app, &soon);
    assert_eq!(report["expiring_lots"], 1);
    let again = run_jobs_cli(&app, &soon);
    assert_eq!(again["expiring_lots"], 0, "announced once per lot");

    let later = (chrono::Utc::now() + chrono::Duration::days(40)).to_rfc3339();
    let report = run_jobs_cli(&app, &later);
    assert_eq!(report["expired_points"], 70);
    // With Redis the command bumps the shared generations itself: the next read shows it.
    // With the in-process cache it leaves its effects pending and the server's sweeper
    // applies them (within seconds).
    let started = Instant::now();
    loop {
        let after = profile(&app, &ws, &account).await;
        if after["loyalty"]["ledger_balance"] == 0 {
            break;
        }
        assert!(
            app.redis.is_none(),
            "the command did not invalidate the shared cache: {after}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the cached profile never showed the expiry: {after}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let events = events_after(&app, &ws.owner_token, 0).await;
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types
            .iter()
            .filter(|t| **t == "loyalty.points_expiring")
            .count(),
        1
    );
    let expired = events
        .iter()
        .find(|e| e["type"] == "loyalty.points_expired")
        .expect("an expiry event");
    assert_eq!(expired["data"]["account_id"], account);
    assert_eq!(expired["data"]["points"], -70);
    let audit = audit_ids(&app, &ws.owner_token).await;
    assert!(audit.iter().any(|(_, a)| a == "loyalty.expire"));
}

/// A write whose node died between the commit and the cache bump leaves its effect pending
/// (here: committed through the pipeline on another connection and never applied); the
/// sweeper of the running node applies it within seconds, so the cached profile changes.
#[tokio::test]
async fn effects_left_pending_by_a_dead_node_are_applied_by_the_sweeper() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Crash").await;
    let a: Value = app
        .post_as(
            "/v1/accounts",
            &ws.owner_token,
            &json!({"kind": "person", "name": "Before the crash"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let account = a["id"].as_str().unwrap().to_owned();
    assert_eq!(
        profile(&app, &ws, &account).await["account"]["name"],
        "Before the crash"
    );

    let mut conn = app.db.connect();
    // The account's creation was applied; its row is forgotten within a sweep period.
    let started = Instant::now();
    while rapport_persistence::pending_effects::count(&mut conn).unwrap() > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "applied effects stay pending"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let system = rapport_api::auth::Principal::system(&ws.id);
    let (_, committed) = rapport_api::service::pipeline::transact(&mut conn, &system, |c, cx| {
        let mut row = rapport_persistence::accounts::find(c, &ws.id, &account)?.unwrap();
        let version = row.version;
        row.name = "After the crash".into();
        row.version += 1;
        rapport_persistence::accounts::update(c, &row, version)?;
        cx.emit(
            rapport_api::service::events::domain::DomainEvent::AccountChanged {
                account_id: account.clone(),
                change: rapport_api::service::events::domain::Change::Updated(vec!["name".into()]),
                account: json!({"id": account, "name": "After the crash"}),
            },
        )
    })
    .unwrap();
    drop(committed); // the node "dies" here: nothing bumps the cache
    assert_eq!(
        rapport_persistence::pending_effects::count(&mut conn).unwrap(),
        1,
        "the effect is recorded with the commit"
    );
    // The cache still serves the old profile …
    assert_eq!(
        profile(&app, &ws, &account).await["account"]["name"],
        "Before the crash"
    );
    // … /metrics shows the effect pending (the sweeper counts every 2 s; it leaves effects
    // alone for 5 s) …
    let started = Instant::now();
    while !pending_in_metrics(&app, 1).await {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "rapport_pending_effects never showed the pending effect"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // … until the sweeper applies the pending effect (after its grace period).
    let started = Instant::now();
    loop {
        let p = profile(&app, &ws, &account).await;
        if p["account"]["name"] == "After the crash" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the sweeper never applied the pending effect"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // Applied effects are forgotten.
    let started = Instant::now();
    while rapport_persistence::pending_effects::count(&mut conn).unwrap() > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "applied effects stay pending"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let started = Instant::now();
    while !pending_in_metrics(&app, 0).await {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "rapport_pending_effects never came back to 0"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Whether /metrics shows `count` pending effects.
async fn pending_in_metrics(app: &TestApp, count: i64) -> bool {
    let metrics = app.get("/metrics").await.text().await.unwrap();
    metrics
        .lines()
        .any(|l| l == format!("rapport_pending_effects {count}"))
}

#[tokio::test]
async fn the_feed_pages_in_order_filters_by_type_and_keeps_tenants_apart() {
    let app = TestApp::spawn().await;
    let ws = app.workspace("Feed").await;
    let other = app.workspace("Other").await;
    let token = &ws.owner_token;
    let mut accounts = Vec::new();
    for i in 0..5 {
        let a: Value = app
            .post_as(
                "/v1/accounts",
                token,
                &json!({"kind": "person", "name": format!("C{i}")}),
            )
            .await
            .json()
            .await
            .unwrap();
        accounts.push(a["id"].as_str().unwrap().to_owned());
    }
    for a in &accounts[..3] {
        let res = app
            .post_as(
                "/v1/orders",
                token,
                &json!({"account_id": a, "amount": 1000, "currency": "USD"}),
            )
            .await;
        assert_eq!(res.status(), 201);
    }
    let foreign: Value = app
        .post_as(
            "/v1/accounts",
            &other.owner_token,
            &json!({"kind": "person", "name": "Foreign"}),
        )
        .await
        .json()
        .await
        .unwrap();

    // Pages of 3, in sequence order with no gaps, until next_cursor is null.
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let path = match &after {
            Some(a) => format!("/v1/events?limit=3&after={a}"),
            None => "/v1/events?limit=3".to_owned(),
        };
        let page: Value = app.get_as(&path, token).await.json().await.unwrap();
        all.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => after = Some(c.to_owned()),
            None => break,
        }
    }
    let seqs: Vec<i64> = all
        .iter()
        .map(|e| e["sequence"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>());
    assert!(all.iter().all(|e| e["workspace_id"] == ws.id.as_str()));
    let created: Vec<&Value> = all
        .iter()
        .filter(|e| e["type"] == "account.created")
        .collect();
    assert_eq!(created.len(), 5);
    assert_eq!(created[0]["data"]["object"]["name"], "C0");
    assert!(all
        .iter()
        .all(|e| e["data"]["object"]["id"] != foreign["id"]));

    // Type filters: a family and an exact type; unknown types are a 422 naming `types`.
    let page: Value = app
        .get_as("/v1/events?types=order.*", token)
        .await
        .json()
        .await
        .unwrap();
    let types: BTreeSet<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, BTreeSet::from(["order.created"]));
    assert_eq!(page["data"].as_array().unwrap().len(), 3);
    let page: Value = app
        .get_as("/v1/events?types=account.created,order.created", token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["data"].as_array().unwrap().len(), 8);
    let res = app.get_as("/v1/events?types=order.shipped", token).await;
    let problem = assert_problem(res, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "types");
    let res = app.get_as("/v1/events?types=nothing.*", token).await;
    assert_problem(res, 422, "validation_failed").await;
    let res = app.get_as("/v1/events?after=not-a-cursor", token).await;
    assert_problem(res, 422, "validation_failed").await;

    // One event by id; another workspace's is a 404.
    let id = all[0]["id"].as_str().unwrap();
    let one: Value = app
        .get_as(&format!("/v1/events/{id}"), token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one, all[0]);
    let res = app
        .get_as(&format!("/v1/events/{id}"), &other.owner_token)
        .await;
    assert_problem(res, 404, "not_found").await;
    let theirs: Value = app
        .get_as("/v1/events", &other.owner_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["data"].as_array().unwrap().len(), 1);

    // Readers: admins and keys with events:read; other keys are refused.
    let (_, reader) = app.api_key(&ws, &["events:read"]).await;
    assert_eq!(app.get_as("/v1/events", &reader).await.status(), 200);
    let (_, writer) = app.api_key(&ws, &["accounts:write"]).await;
    let res = app.get_as("/v1/events", &writer).await;
    assert_problem(res, 403, "insufficient_scope").await;

    // GraphQL: the same feed as a connection.
    let out = app
        .graphql_as(
            token,
            "{ events(first: 2, types: [\"order.*\"]) { edges { cursor node { id type sequence } } pageInfo { hasNextPage } } }",
            json!({}),
        )
        .await;
    let edges = out["data"]["events"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 2, "{out}");
    assert_eq!(edges[0]["node"]["type"], "order.created");
    assert_eq!(out["data"]["events"]["pageInfo"]["hasNextPage"], true);
}
