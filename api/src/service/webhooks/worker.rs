//! The delivery worker inside `rapport serve` (`RAPPORT_WEBHOOKS_WORKER=false` turns it off
//! on a node). It wakes every poll interval, or at once when a writer calls
//! `AppState::outbox_notify` after committing events, and claims the subscriptions that
//! have events to deliver (a lease per subscription: see `rapport_persistence::webhooks`).
//! Each claimed subscription gets its own task, up to `concurrency` at once, so a slow or
//! dead receiver holds only its own subscription. A task delivers the subscription's events
//! one POST after another, in order: one event per POST, or as many waiting events as the
//! subscription's `batch_size` allows. The first failure ends it with a retry time
//! (exponential backoff with jitter) for the whole POST, and the cursor moves past an event
//! only once it is delivered or, after the retry window, given up on (the subscription is
//! then disabled with a `webhook.disabled` event). Progress is written every 100 ms while events go out (and
//! before the lease could run out), so a crash re-delivers at most the events of the last
//! 100 ms (at-least-once; receivers de-duplicate by event id).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Duration as Span, NaiveDateTime};
use rand::Rng;
use rapport_persistence::events::{self, EventRow};
use rapport_persistence::webhooks::{self as store, DeliveryRow, Progress, WebhookRow};
use rapport_persistence::write_transaction;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::auth::Principal;
use crate::config::WebhooksConfig;
use crate::error::ApiError;
use crate::service::events::domain::DomainEvent;
use crate::service::pipeline;
use crate::service::webhooks::deliveries::{count, log_entry};
use crate::service::webhooks::sender::Request;
use crate::service::webhooks::{feed_filter, signing_secrets, Webhook};
use crate::service::{new_id, now};
use crate::state::AppState;

/// Events read from the outbox at a time per subscription: a packed outbox row's worth, so
/// an order batch's events are read (and decompressed) once.
const BATCH: i64 = rapport_persistence::events::MAX_PACK;
/// Progress (the cursor and the delivery log) is written at least this often while a
/// subscription's events go out: a crash re-delivers at most this much (at-least-once), and
/// a fast receiver costs one commit per interval rather than one per few events.
const FLUSH_AFTER: Duration = Duration::from_millis(100);
/// … or once this many attempts wait to be logged.
const FLUSH_MAX: usize = 2_000;

/// Starts the worker unless this node has it turned off.
pub fn spawn(state: AppState) {
    if !state.config.webhooks.worker {
        tracing::info!("webhook delivery worker is off on this node (RAPPORT_WEBHOOKS_WORKER)");
        return;
    }
    tokio::spawn(run(state, new_id()));
}

async fn run(state: AppState, holder: String) {
    let config = state.config.webhooks.clone();
    let permits = Arc::new(Semaphore::new(config.concurrency));
    let poll = Duration::from_millis(config.poll_interval_ms);
    let mut lag_measured: Option<Instant> = None;
    let mut purged: Option<Instant> = None;
    loop {
        let free = permits.available_permits();
        if free > 0 {
            match claim(&state, &holder, &config, free).await {
                Ok(claimed) => {
                    for webhook in claimed {
                        let Ok(permit) = permits.clone().acquire_owned().await else {
                            return;
                        };
                        tokio::spawn(deliver_subscription(
                            state.clone(),
                            holder.clone(),
                            webhook,
                            permit,
                        ));
                    }
                }
                Err(err) => tracing::warn!(error = %err, "webhook claim failed; retrying"),
            }
        }
        if lag_measured.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
            lag_measured = Some(Instant::now());
            if let Err(err) = measure_lag(&state).await {
                tracing::debug!(error = %err, "webhook lag not measured");
            }
        }
        if purged.is_none_or(|t| t.elapsed() >= Duration::from_secs(3600)) {
            purged = Some(Instant::now());
            purge_log(&state).await;
        }
        tokio::select! {
            () = tokio::time::sleep(poll) => {}
            () = state.outbox_notify.notified() => {}
        }
    }
}

async fn claim(
    state: &AppState,
    holder: &str,
    config: &WebhooksConfig,
    limit: usize,
) -> Result<Vec<WebhookRow>, ApiError> {
    let holder = holder.to_owned();
    let lease = lease_span(config);
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    state
        .db
        .run(move |conn| {
            let at = now();
            if !store::any_due(conn, at)? {
                return Ok(Vec::new());
            }
            Ok(write_transaction(conn, |conn| {
                store::claim(conn, &holder, at, at + lease, limit)
            })?)
        })
        .await
}

fn lease_span(config: &WebhooksConfig) -> Span {
    Span::seconds(i64::try_from(config.lease_secs).unwrap_or(3600))
}

/// Delivers one subscription's pending events in order until none is left, one fails, or
/// the lease is lost.
async fn deliver_subscription(
    state: AppState,
    holder: String,
    webhook: WebhookRow,
    _permit: OwnedSemaphorePermit,
) {
    let id = webhook.id.clone();
    match deliver_pending(&state, &holder, webhook).await {
        Ok(true) => {
            let (id, holder) = (id.clone(), holder.clone());
            if let Err(err) = state
                .db
                .run(move |conn| Ok(store::release(conn, &id, &holder)?))
                .await
            {
                tracing::warn!(error = %err, "webhook lease not released; it expires");
            }
            // Events committed while this task ran were skipped by the claims made meanwhile
            // (the lease was held): look again now rather than at the next poll.
            state.outbox_notify.notify_one();
        }
        Ok(false) => tracing::info!(webhook = %id, "webhook lease taken over by another worker"),
        // The lease runs out and a worker picks the subscription up again.
        Err(err) => tracing::warn!(webhook = %id, error = %err, "webhook delivery interrupted"),
    }
}

/// What to write after some attempts.
struct Pending {
    progress: Progress,
    attempts: Vec<DeliveryRow>,
    /// Set when the retry window ran out: disable with this reason.
    disable: Option<String>,
}

/// `Ok(true)`: done for now (release the lease); `Ok(false)`: the lease was lost.
async fn deliver_pending(
    state: &AppState,
    holder: &str,
    webhook: WebhookRow,
) -> Result<bool, ApiError> {
    let config = &state.config.webhooks;
    let filter = feed_filter(&webhook.event_types);
    let lease = lease_span(config);
    // Renewed well before it runs out (a third of the lease), as progress is written.
    let renew_after = Duration::from_millis(config.lease_secs.saturating_mul(1000) / 3);
    let mut pending = Pending {
        progress: Progress {
            cursor_seq: webhook.cursor_seq,
            head_attempts: webhook.head_attempts,
            failing_since: webhook.failing_since,
            next_attempt_at: None,
        },
        attempts: Vec::new(),
        disable: None,
    };
    let mut written = Instant::now();
    let mut flushed_cursor = webhook.cursor_seq;
    let every = FLUSH_AFTER.min(renew_after);
    let per_post = usize::try_from(webhook.batch_size.max(1)).unwrap_or(1);
    loop {
        let (workspace, after, filter) = (
            webhook.workspace_id.clone(),
            pending.progress.cursor_seq,
            filter.clone(),
        );
        // The last number is read first: every event up to it is committed, so once the
        // matching ones among them are handled the cursor may move to it.
        let (last_seq, batch) = state
            .db
            .run(move |conn| {
                let last = events::last_seq(conn, &workspace)?;
                let batch = events::list_after(conn, &workspace, after, &filter, BATCH)?;
                Ok((last, batch))
            })
            .await?;
        let whole_backlog = batch.len() < usize::try_from(BATCH).unwrap_or(usize::MAX);
        let mut stopped = false;
        let mut events = batch.into_iter().peekable();
        while events.peek().is_some() {
            let post: Vec<EventRow> = events.by_ref().take(per_post).collect();
            let delivered = attempt(state, &webhook, post, &mut pending).await;
            if !delivered {
                stopped = true;
                break;
            }
            if pending.attempts.len() >= FLUSH_MAX || written.elapsed() >= every {
                if !flush(state, holder, &webhook, &mut pending, lease).await? {
                    return Ok(false);
                }
                flushed_cursor = pending.progress.cursor_seq;
                written = Instant::now();
            }
        }
        if !stopped && whole_backlog && last_seq > pending.progress.cursor_seq {
            pending.progress.cursor_seq = last_seq;
        }
        let done = stopped || whole_backlog;
        let unwritten = !pending.attempts.is_empty()
            || stopped
            || pending.progress.cursor_seq != flushed_cursor;
        // Between reads of a long backlog the progress waits for its interval; at the end
        // (or a failure) it is written before the lease is given back.
        if unwritten && (done || written.elapsed() >= every) {
            if !flush(state, holder, &webhook, &mut pending, lease).await? {
                return Ok(false);
            }
            flushed_cursor = pending.progress.cursor_seq;
            written = Instant::now();
        }
        if done {
            return Ok(true);
        }
    }
}

/// One POST of `events` (one, or a batch in order); records the attempt in `pending` and
/// says whether they were delivered (or given up on, which also moves on).
async fn attempt(
    state: &AppState,
    webhook: &WebhookRow,
    events: Vec<EventRow>,
    pending: &mut Pending,
) -> bool {
    let config = &state.config.webhooks;
    let (Some(mut row), Some(last_seq)) = (
        log_entry(webhook, &events, "automatic"),
        events.last().map(|e| e.seq),
    ) else {
        return true;
    };
    let request = match Request::of(events, webhook.batch_size > 1) {
        Ok(request) => request,
        Err(err) => {
            tracing::error!(error = %err, "event not serializable");
            return false;
        }
    };
    let sent = state
        .webhook_sender
        .send(&webhook.url, request, &signing_secrets(webhook, now()))
        .await;
    let at = now();
    let number = pending.progress.head_attempts.saturating_add(1);
    if number > 1 {
        state.metrics.webhook_retries.inc();
    }
    let progress = &mut pending.progress;
    let (outcome, next_retry_at) = if sent.delivered {
        *progress = Progress {
            cursor_seq: last_seq,
            head_attempts: 0,
            failing_since: None,
            next_attempt_at: None,
        };
        ("delivered", None)
    } else {
        let failing_since = progress.failing_since.unwrap_or(at);
        let window = Span::seconds(i64::try_from(config.retry_window_secs).unwrap_or(i64::MAX));
        if at - failing_since >= window {
            *progress = Progress {
                cursor_seq: last_seq,
                head_attempts: 0,
                failing_since: None,
                next_attempt_at: None,
            };
            pending.disable = Some(format!(
                "deliveries failed for {} s (last: {})",
                config.retry_window_secs,
                sent.error.as_deref().unwrap_or("no answer")
            ));
            ("failed", None)
        } else {
            let next = at + backoff(config, number);
            *progress = Progress {
                cursor_seq: progress.cursor_seq,
                head_attempts: number,
                failing_since: Some(failing_since),
                next_attempt_at: Some(next),
            };
            ("retrying", Some(next))
        }
    };
    count(state, outcome, u64::try_from(row.event_count).unwrap_or(1));
    row.attempt = number;
    row.outcome = outcome.into();
    row.status_code = sent.status_code.map(i32::from);
    row.latency_ms = sent.latency_ms;
    row.error = sent.error;
    row.next_retry_at = next_retry_at;
    row.created_at = at;
    pending.attempts.push(row);
    sent.delivered
}

/// `base * 2^(attempt-1)`, at most `max`, then "equal jitter": half fixed, half random, so
/// receivers coming back are not hit by every subscription at the same instant.
pub fn backoff(config: &WebhooksConfig, attempt: i32) -> Span {
    let exponent = u32::try_from(attempt.saturating_sub(1).clamp(0, 40)).unwrap_or(40);
    let full = config
        .backoff_base_ms
        .saturating_mul(2u64.saturating_pow(exponent))
        .min(config.backoff_max_ms)
        .max(1);
    let half = full / 2;
    let jittered = half + rand::rng().random_range(0..=full - half);
    Span::milliseconds(i64::try_from(jittered).unwrap_or(i64::MAX))
}

/// Writes `pending` (progress, attempts, a disable) if the lease is still ours.
async fn flush(
    state: &AppState,
    holder: &str,
    webhook: &WebhookRow,
    pending: &mut Pending,
    lease: Span,
) -> Result<bool, ApiError> {
    let progress = pending.progress.clone();
    let attempts = std::mem::take(&mut pending.attempts);
    let disable = pending.disable.take();
    let (id, workspace, url, holder) = (
        webhook.id.clone(),
        webhook.workspace_id.clone(),
        webhook.url.clone(),
        holder.to_owned(),
    );
    let disabled = disable.is_some();
    let system = Principal::system(&workspace);
    let kept = pipeline::run(state, &system, move |conn, cx| {
        let at = now();
        if !store::record_progress(conn, &id, &holder, &progress, &attempts, at + lease)? {
            return Ok(false);
        }
        if let Some(reason) = disable {
            let before = store::find(conn, &workspace, &id)?;
            store::disable(conn, &id, &reason, at)?;
            let after = store::find(conn, &workspace, &id)?;
            let (before, after) = (
                before.map(Webhook::try_from).transpose()?,
                after.map(Webhook::try_from).transpose()?,
            );
            cx.audit(
                "webhook.disable",
                "webhook",
                Some(&id),
                before.as_ref(),
                after.as_ref(),
            )?;
            cx.emit(DomainEvent::WebhookDisabled {
                webhook_id: id,
                url,
                reason,
            })?;
        }
        Ok(true)
    })
    .await?;
    if disabled && kept {
        tracing::warn!(webhook = %webhook.id, "webhook disabled after failing for the retry window");
        state.outbox_notify.notify_one();
    }
    Ok(kept)
}

/// Sets the lag gauges from every enabled subscription's backlog (this node's view).
async fn measure_lag(state: &AppState) -> Result<(), ApiError> {
    let backlogs = state.db.run(|conn| Ok(store::backlogs(conn)?)).await?;
    let at = now();
    let behind: i64 = backlogs
        .iter()
        .map(|b| b.last_seq.unwrap_or(0).saturating_sub(b.cursor_seq).max(0))
        .sum();
    let oldest: Option<NaiveDateTime> = backlogs.iter().filter_map(|b| b.oldest_pending_at).min();
    let seconds = oldest.map_or(0.0, |t| (at - t).num_milliseconds().max(0) as f64 / 1000.0);
    state.metrics.webhook_lag_events.set(behind);
    state.metrics.webhook_lag_seconds.set(seconds);
    Ok(())
}

/// Drops log entries older than the events they carried are kept (30 days).
async fn purge_log(state: &AppState) {
    let before = now() - Span::days(30);
    if let Err(err) = state
        .db
        .run(move |conn| Ok(store::purge_deliveries(conn, before)?))
        .await
    {
        tracing::warn!(error = %err, "webhook delivery log not purged");
    }
}
