//! The OpenAPI document, collected from the handlers' `#[utoipa::path]` and built without a
//! database, so `openapi/openapi.json` can be regenerated and compared in tests.

use actix_web::App;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

use serde_json::Value;

use crate::error::{FieldError, Problem};

mod conventions;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rapport API",
        description = "Headless CRM and Customer Value Management: accounts, orders, value \
            metrics, churn and lifetime value, loyalty, deals. Errors are RFC 9457 problem \
            details with a stable `code`.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    components(schemas(Problem, FieldError)),
    modifiers(&BearerAuth),
    servers((url = "/", description = "The server answering this document")),
    tags(
        (name = "auth", description = "Tokens for users: log in, refresh, log out"),
        (name = "users", description = "People of the workspace and their roles"),
        (name = "api-keys", description = "Keys for partners' servers, with scopes"),
        (name = "audit", description = "The record of every write"),
        (name = "events", description = "The event feed: every change, in order, to catch up or replay"),
        (name = "workspace", description = "The caller's workspace"),
        (name = "accounts", description = "Customers: people and organizations"),
        (name = "contacts", description = "The people at organization accounts"),
        (name = "interactions", description = "An account's timeline: notes, calls, e-mails, meetings, tasks, tickets, feedback"),
        (name = "pipelines", description = "Sales pipelines and their ordered stages"),
        (name = "deals", description = "Deals, their moves between stages and their history"),
        (name = "orders", description = "Purchases, which keep every account's value metrics current"),
        (name = "exports", description = "Bulk export jobs: accounts with value metrics, contacts, orders, interactions, the loyalty ledger and feedback as CSV or NDJSON, one consistent snapshot, streamed downloads, kept for the workspace's retention"),
        (name = "imports", description = "Bulk import jobs: accounts, orders and contacts from CSV or NDJSON, with progress, an error report, resumption and cancellation"),
        (name = "feedback", description = "Survey responses (NPS, CSAT, CES) and each account's latest scores"),
        (name = "privacy", description = "Data subject rights: everything held about a person, erasure, retention of soft-deleted accounts"),
        (name = "complaints", description = "Complaints with service levels, a timeline, and resolution with compensation"),
        (name = "segments", description = "RFM segments and their members"),
        (name = "campaigns", description = "Campaigns on a segment with a control group: launch, members, contact outcomes, results with uplift and ROMI"),
        (name = "recommendations", description = "Products to recommend to a customer: bought together by similar customers, or due again"),
        (name = "offers", description = "Offers, personal vouchers redeemed through orders, and the next best offers"),
        (name = "models", description = "The fitted churn and lifetime-value model"),
        (name = "analytics", description = "KPIs: pipeline forecast and funnel, value at risk"),
        (name = "loyalty", description = "Loyalty points: the programme, balances, the ledger, redemptions, adjustments, rewards"),
        (name = "webhooks", description = "Signed HTTP deliveries of the workspace's events to partners' URLs: subscriptions, delivery log, redelivery, pings"),
        (name = "system", description = "Health, readiness and metrics"),
        (name = "graphql", description = "The GraphQL endpoint")
    )
)]
struct ApiDoc;

/// `Authorization: Bearer <token>`: an access token from `/v1/auth/token` or an API key.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An access token from POST /v1/auth/token, or an API key (rk_…)",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document `/openapi.json` serves.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::rest::configure)
        .split_for_parts()
        .1;
    name_operations(&mut doc);
    doc
}

/// Operation ids are `<tag>_<handler>` (`accounts_create`), unique across the document, and
/// an operation without credentials says so with an empty security requirement.
fn name_operations(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::security::SecurityRequirement;
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            if let (Some(tag), Some(id)) =
                (op.tags.as_ref().and_then(|t| t.first()), &op.operation_id)
            {
                op.operation_id = Some(format!("{}_{id}", tag.replace('-', "_")));
            }
            if op.security.is_none() {
                op.security = Some(vec![SecurityRequirement::default()]);
            }
        }
    }
}

/// The published contract: the generated document with the conventions every operation
/// shares applied (see [`conventions`]). `/openapi.json` serves it and
/// `openapi/openapi.json` is it.
pub fn contract() -> Value {
    let mut doc = serde_json::to_value(document()).unwrap_or_default();
    conventions::apply(&mut doc);
    doc
}

/// The document as committed in `openapi/openapi.json`.
pub fn document_json() -> String {
    let mut text = serde_json::to_string_pretty(&contract()).unwrap_or_default();
    text.push('\n');
    text
}

pub mod names;
