//! A subscription's delivery log (one entry per attempt), manual redelivery of a logged
//! event, and `ping` test deliveries. Redeliveries and pings are sent while the request
//! waits (up to the delivery timeout) and answer the attempt; they are not retried.

use chrono::{DateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::event_types::PING;
use rapport_persistence::events::EventRow;
use rapport_persistence::webhooks::{self as store, DeliveryRow, WebhookRow};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::webhooks::sender::Request;
use crate::service::webhooks::{signing_secrets, worker};
use crate::service::{new_id, now, utc, Page, PageRequest};
use crate::state::AppState;

/// One attempt to deliver an event to a subscription.
#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct WebhookDelivery {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    #[graphql(skip, derived(name = "webhook_id", into = "async_graphql::ID", owned))]
    pub webhook_id: String,
    /// The `id` of the delivered event (receivers de-duplicate by it).
    pub event_id: String,
    pub event_type: String,
    /// The event's number in the feed; 0 for a ping.
    pub event_sequence: i64,
    /// 1 for the first attempt at this event, 2 for the first retry, …
    pub attempt: i32,
    /// `automatic`, `redelivery` or `ping`.
    pub trigger: String,
    /// `delivered` (a 2xx answer), `retrying` (another attempt is due at `next_retry_at`)
    /// or `failed` (no more automatic attempts).
    pub outcome: String,
    /// The receiver's HTTP status; `null` when none came (timeout, refused, reset).
    pub status_code: Option<i32>,
    pub latency_ms: i64,
    pub error: Option<String>,
    pub next_retry_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<DeliveryRow> for WebhookDelivery {
    fn from(row: DeliveryRow) -> Self {
        Self {
            id: row.id,
            webhook_id: row.webhook_id,
            event_id: row.event_id,
            event_type: row.event_type,
            event_sequence: row.event_seq,
            attempt: row.attempt,
            trigger: row.trigger,
            outcome: row.outcome,
            status_code: row.status_code,
            latency_ms: row.latency_ms,
            error: row.error,
            next_retry_at: row.next_retry_at.map(utc),
            created_at: utc(row.created_at),
        }
    }
}

fn webhook_not_found() -> ApiError {
    ApiError::not_found("no webhook with that id")
}

/// A subscription's attempts, newest first.
pub async fn list(
    state: &AppState,
    principal: &Principal,
    webhook_id: &str,
    page: PageRequest,
) -> Result<Page<WebhookDelivery>, ApiError> {
    principal.require(Scope::Admin)?;
    let workspace = principal.workspace_id.clone();
    let webhook_id = webhook_id.to_owned();
    let request = page.clone();
    let rows = state
        .db
        .run(move |conn| {
            store::find(conn, &workspace, &webhook_id)?.ok_or_else(webhook_not_found)?;
            Ok(store::list_deliveries(
                conn,
                &workspace,
                &webhook_id,
                request.after.as_deref(),
                request.limit + 1,
            )?)
        })
        .await?;
    Ok(Page::from_rows(
        rows,
        &page,
        |r| r.id.clone(),
        WebhookDelivery::from,
    ))
}

/// Sends the event of a logged attempt again, now (whatever the outcome of the original).
pub async fn redeliver(
    state: &AppState,
    principal: &Principal,
    webhook_id: &str,
    delivery_id: &str,
) -> Result<WebhookDelivery, ApiError> {
    principal.require(Scope::Admin)?;
    let workspace = principal.workspace_id.clone();
    let (webhook_id, delivery_id) = (webhook_id.to_owned(), delivery_id.to_owned());
    let (webhook, event) = state
        .db
        .run(move |conn| {
            let webhook =
                store::find(conn, &workspace, &webhook_id)?.ok_or_else(webhook_not_found)?;
            let delivery = store::find_delivery(conn, &workspace, &webhook_id, &delivery_id)?
                .ok_or_else(|| ApiError::not_found("no delivery with that id for this webhook"))?;
            let event = if delivery.trigger == "ping" {
                ping_event(&webhook, delivery.event_id)
            } else {
                rapport_persistence::events::find(conn, &workspace, &delivery.event_id)?
                    .ok_or_else(|| {
                        ApiError::conflict(
                            "event_expired",
                            "the event is no longer kept (past the feed's retention)",
                        )
                    })?
            };
            Ok((webhook, event))
        })
        .await?;
    send_once(state, webhook, event, "redelivery").await
}

/// Sends a `ping` event to the subscription now (enabled or not) and answers the attempt.
pub async fn ping(
    state: &AppState,
    principal: &Principal,
    webhook_id: &str,
) -> Result<WebhookDelivery, ApiError> {
    principal.require(Scope::Admin)?;
    let workspace = principal.workspace_id.clone();
    let webhook_id = webhook_id.to_owned();
    let webhook = state
        .db
        .run(move |conn| store::find(conn, &workspace, &webhook_id)?.ok_or_else(webhook_not_found))
        .await?;
    let event = ping_event(&webhook, new_id());
    send_once(state, webhook, event, "ping").await
}

/// A ping: not in the feed (sequence 0), its data naming the subscription.
fn ping_event(webhook: &WebhookRow, id: String) -> EventRow {
    EventRow {
        id,
        workspace_id: webhook.workspace_id.clone(),
        seq: 0,
        event_type: PING.to_owned(),
        occurred_at: now(),
        data: serde_json::json!({ "webhook_id": webhook.id, "url": webhook.url }).to_string(),
    }
}

async fn send_once(
    state: &AppState,
    webhook: WebhookRow,
    event: EventRow,
    trigger: &'static str,
) -> Result<WebhookDelivery, ApiError> {
    let (event_id, event_type, seq) = (event.id.clone(), event.event_type.clone(), event.seq);
    // A batched subscription gets the same shape as its automatic deliveries: a batch (of one).
    let request = Request::of(vec![event], webhook.batch_size > 1).map_err(ApiError::internal)?;
    let attempt = state
        .webhook_sender
        .send(&webhook.url, request, &signing_secrets(&webhook, now()))
        .await;
    worker::count(
        state,
        if attempt.delivered {
            "delivered"
        } else {
            "failed"
        },
    );
    let row = DeliveryRow {
        id: new_id(),
        workspace_id: webhook.workspace_id.clone(),
        webhook_id: webhook.id.clone(),
        event_id,
        event_type,
        event_seq: seq,
        attempt: 1,
        trigger: trigger.to_owned(),
        outcome: if attempt.delivered {
            "delivered"
        } else {
            "failed"
        }
        .to_owned(),
        status_code: attempt.status_code.map(i32::from),
        latency_ms: attempt.latency_ms,
        error: attempt.error,
        next_retry_at: None,
        created_at: now(),
    };
    let stored = row.clone();
    state
        .db
        .run(move |conn| Ok(store::insert_deliveries(conn, &[stored])?))
        .await?;
    Ok(row.into())
}
