//! A subscription's delivery log (one entry per attempt: per POST, of one event or of a
//! batch), manual redelivery of a logged event or batch, and `ping` test deliveries. Redeliveries and pings are sent while the request
//! waits (up to the delivery timeout) and answer the attempt; they are not retried.

use chrono::{DateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::event_types::PING;
use std::collections::HashSet;

use rapport_persistence::events::{self, EventRow, FeedFilter};
use rapport_persistence::webhooks::{self as store, DeliveryRow, WebhookRow};
use rapport_persistence::DbConn;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::webhooks::sender::Request;
use crate::service::webhooks::signing_secrets;
use crate::service::{new_id, now, utc, Page, PageRequest};
use crate::state::AppState;

/// One attempt to deliver an event (or a batch of events) to a subscription: one POST.
#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct WebhookDelivery {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    #[graphql(skip, derived(name = "webhook_id", into = "async_graphql::ID", owned))]
    pub webhook_id: String,
    /// The `id` of the delivered event, or of a batch's first (receivers de-duplicate by
    /// it).
    pub event_id: String,
    /// The event's type, or a batch's first event's.
    pub event_type: String,
    /// The event's number in the feed (a batch's first event's); 0 for a ping.
    pub event_sequence: i64,
    /// Events the POST carried: 1, or up to the subscription's `batch_size`.
    pub event_count: i32,
    /// The ids of the events the POST carried, in order.
    pub event_ids: Vec<String>,
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
        let event_ids = row
            .event_ids
            .as_deref()
            .and_then(|ids| serde_json::from_str(ids).ok())
            .unwrap_or_else(|| vec![row.event_id.clone()]);
        Self {
            id: row.id,
            webhook_id: row.webhook_id,
            event_id: row.event_id,
            event_type: row.event_type,
            event_sequence: row.event_seq,
            event_count: row.event_count,
            event_ids,
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

/// The log entry of a POST of `events` (one, or a batch) to `webhook`, by `trigger`; the
/// caller fills in the outcome. `None` when there is no event.
pub fn log_entry(webhook: &WebhookRow, events: &[EventRow], trigger: &str) -> Option<DeliveryRow> {
    let first = events.first()?;
    let ids = || events.iter().map(|e| e.id.as_str()).collect::<Vec<_>>();
    Some(DeliveryRow {
        id: new_id(),
        workspace_id: webhook.workspace_id.clone(),
        webhook_id: webhook.id.clone(),
        event_id: first.id.clone(),
        event_type: first.event_type.clone(),
        event_seq: first.seq,
        event_count: i32::try_from(events.len()).unwrap_or(i32::MAX),
        // A single event's entry needs no list: its ids are `[event_id]`.
        event_ids: if webhook.batch_size > 1 {
            serde_json::to_string(&ids()).ok()
        } else {
            None
        },
        attempt: 1,
        trigger: trigger.to_owned(),
        outcome: String::new(),
        status_code: None,
        latency_ms: 0,
        error: None,
        next_retry_at: None,
        created_at: now(),
    })
}

/// Counts the events of a finished attempt by outcome (`delivered`, `retrying`, `failed`).
pub fn count(state: &AppState, outcome: &'static str, events: u64) {
    state
        .metrics
        .webhook_deliveries
        .get_or_create(&crate::metrics::OutcomeLabels { outcome })
        .inc_by(events);
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

/// Sends the event (or the batch) of a logged attempt again, now, whatever the outcome of
/// the original.
pub async fn redeliver(
    state: &AppState,
    principal: &Principal,
    webhook_id: &str,
    delivery_id: &str,
) -> Result<WebhookDelivery, ApiError> {
    principal.require(Scope::Admin)?;
    let workspace = principal.workspace_id.clone();
    let (webhook_id, delivery_id) = (webhook_id.to_owned(), delivery_id.to_owned());
    let (webhook, events) = state
        .db
        .run(move |conn| {
            let webhook =
                store::find(conn, &workspace, &webhook_id)?.ok_or_else(webhook_not_found)?;
            let delivery = store::find_delivery(conn, &workspace, &webhook_id, &delivery_id)?
                .ok_or_else(|| ApiError::not_found("no delivery with that id for this webhook"))?;
            let events = if delivery.trigger == "ping" {
                vec![ping_event(&webhook, delivery.event_id)]
            } else {
                logged_events(conn, &workspace, &delivery)?
            };
            Ok((webhook, events))
        })
        .await?;
    send_once(state, webhook, events, "redelivery").await
}

fn event_expired() -> ApiError {
    ApiError::conflict(
        "event_expired",
        "the event is no longer kept (past the feed's retention)",
    )
}

/// The events a log entry carried, in order, read again from the feed.
fn logged_events(
    conn: &mut DbConn,
    workspace: &str,
    delivery: &DeliveryRow,
) -> Result<Vec<EventRow>, ApiError> {
    let first = events::find(conn, workspace, &delivery.event_id)?.ok_or_else(event_expired)?;
    let Some(ids) = delivery.event_ids.as_deref() else {
        return Ok(vec![first]);
    };
    let ids: Vec<String> = serde_json::from_str(ids).map_err(ApiError::internal)?;
    let last = match ids.last() {
        Some(id) if *id != first.id => {
            events::find(conn, workspace, id)?
                .ok_or_else(event_expired)?
                .seq
        }
        _ => first.seq,
    };
    // The batch's events lie between its first and last numbers; the feed's other events
    // in that range (of types the subscription did not take) are skipped.
    let span = last.saturating_sub(first.seq).saturating_add(1);
    let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let found: Vec<EventRow> = events::list_after(
        conn,
        workspace,
        first.seq.saturating_sub(1),
        &FeedFilter::default(),
        span,
    )?
    .into_iter()
    .filter(|e| wanted.contains(e.id.as_str()))
    .collect();
    if found.len() != ids.len() {
        return Err(event_expired());
    }
    Ok(found)
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
    send_once(state, webhook, vec![event], "ping").await
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

/// POSTs `events` (one, or a logged batch) now and logs the attempt.
async fn send_once(
    state: &AppState,
    webhook: WebhookRow,
    events: Vec<EventRow>,
    trigger: &'static str,
) -> Result<WebhookDelivery, ApiError> {
    let mut row = log_entry(&webhook, &events, trigger).ok_or_else(event_expired)?;
    // A batched subscription gets the shape of its automatic deliveries: a batch (of one
    // for a ping).
    let request = Request::of(events, webhook.batch_size > 1).map_err(ApiError::internal)?;
    let attempt = state
        .webhook_sender
        .send(&webhook.url, request, &signing_secrets(&webhook, now()))
        .await;
    let outcome = if attempt.delivered {
        "delivered"
    } else {
        "failed"
    };
    count(state, outcome, u64::try_from(row.event_count).unwrap_or(1));
    row.outcome = outcome.to_owned();
    row.status_code = attempt.status_code.map(i32::from);
    row.latency_ms = attempt.latency_ms;
    row.error = attempt.error;
    row.created_at = now();
    let stored = row.clone();
    state
        .db
        .run(move |conn| Ok(store::insert_deliveries(conn, &[stored])?))
        .await?;
    Ok(row.into())
}
