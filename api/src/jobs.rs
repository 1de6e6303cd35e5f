//! Scheduled jobs inside `rapport serve`. Several API nodes may run them: each run takes a
//! lease row (`job_leases`, a conditional update) so one node works at a time, and the
//! time of the last finished run decides when the next is due, whichever node does it.

use std::time::Duration;

use chrono::Duration as Span;
use rapport_persistence::value as store;
use rapport_persistence::workspaces;

use crate::service::{models, now, pipeline, recommendations};
use crate::state::AppState;

pub const MODELS_REFIT: &str = "models.refit";
pub const EVENTS_PURGE: &str = "events.purge";
/// How often the event retention job looks for events past the retention period.
const EVENTS_PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Starts the periodic event purge: events older than `RAPPORT_EVENTS_RETENTION_DAYS` leave
/// the feed (hourly, one node at a time by lease; first run at start).
pub fn spawn_events_purge(state: AppState) {
    let holder = crate::service::new_id();
    tokio::spawn(async move {
        loop {
            match purge_events_if_due(&state, &holder).await {
                Ok(Some(purged)) if purged > 0 => tracing::info!(purged, "old events purged"),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err.detail, "event purge failed"),
            }
            tokio::time::sleep(EVENTS_PURGE_EVERY).await;
        }
    });
}

/// Purges events past the retention period when the last purge is an hour old; `None` when
/// it was not due or another node holds the lease.
pub async fn purge_events_if_due(
    state: &AppState,
    holder: &str,
) -> Result<Option<usize>, crate::error::ApiError> {
    let holder = holder.to_owned();
    let days = i64::try_from(state.config.events_retention_days).unwrap_or(i64::MAX / 2);
    state
        .db
        .run(move |conn| {
            let at = now();
            let every = Span::from_std(EVENTS_PURGE_EVERY).unwrap_or(Span::hours(1));
            let last = store::last_run(conn, EVENTS_PURGE)?;
            if last.is_some_and(|l| at - l < every) {
                return Ok(None);
            }
            if !store::take_lease(conn, EVENTS_PURGE, &holder, at, at + Span::hours(1))? {
                return Ok(None);
            }
            let before = at - Span::try_days(days).unwrap_or(Span::days(36_500));
            let purged = rapport_persistence::events::purge(conn, before)?;
            store::finish_lease(conn, EVENTS_PURGE, &holder, now())?;
            Ok(Some(purged))
        })
        .await
}

pub const PRIVACY_RETENTION: &str = "privacy.retention";
/// How often the retention job looks for soft-deleted accounts past their period.
const PRIVACY_RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// Starts the periodic retention job: soft-deleted accounts past their workspace's
/// `soft_deleted_days` are erased (hourly, one node at a time by lease; first run at start).
pub fn spawn_privacy_retention(state: AppState) {
    let holder = crate::service::new_id();
    tokio::spawn(async move {
        loop {
            match privacy_retention_if_due(&state, &holder).await {
                Ok(Some(erased)) if erased > 0 => {
                    tracing::info!(erased, "soft-deleted accounts past retention erased")
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err.detail, "privacy retention job failed"),
            }
            tokio::time::sleep(PRIVACY_RETENTION_EVERY).await;
        }
    });
}

/// Runs the retention job when the last run is an hour old and no other node holds its
/// lease; `None` when it was not due.
pub async fn privacy_retention_if_due(
    state: &AppState,
    holder: &str,
) -> Result<Option<usize>, crate::error::ApiError> {
    let holder_id = holder.to_owned();
    let leased = state
        .db
        .run(move |conn| {
            let at = now();
            let every = Span::from_std(PRIVACY_RETENTION_EVERY).unwrap_or(Span::hours(1));
            let last = store::last_run(conn, PRIVACY_RETENTION)?;
            if last.is_some_and(|l| at - l < every) {
                return Ok(false);
            }
            Ok(store::take_lease(
                conn,
                PRIVACY_RETENTION,
                &holder_id,
                at,
                at + Span::hours(1),
            )?)
        })
        .await?;
    if !leased {
        return Ok(None);
    }
    let result = crate::service::privacy::run_retention_now(state, now()).await;
    let holder_id = holder.to_owned();
    state
        .db
        .run(move |conn| {
            Ok(store::finish_lease(
                conn,
                PRIVACY_RETENTION,
                &holder_id,
                now(),
            )?)
        })
        .await?;
    result.map(|r| Some(r.erased_accounts))
}

/// Starts the periodic model refit (no-op when the interval is 0).
pub fn spawn(state: AppState) {
    let interval = state.config.models_refit_interval_secs;
    if interval == 0 {
        return;
    }
    let holder = crate::service::new_id();
    tokio::spawn(async move {
        // Check often enough to honour short intervals, at most once a minute.
        let tick = Duration::from_secs(interval.clamp(1, 60));
        loop {
            tokio::time::sleep(tick).await;
            // A new workspace gets its first fit at the next tick, not the next refit.
            if let Err(err) = first_fit_if_needed(&state, &holder).await {
                tracing::warn!(error = %err.detail, "first model fit failed");
            }
            if let Err(err) = refit_if_due(&state, &holder, interval).await {
                tracing::warn!(error = %err.detail, "scheduled model refit failed");
            }
        }
    });
}

pub const MODELS_FIRST_FIT: &str = "models.first_fit";

/// Fits the workspaces still without predictions that now have enough buyers (see
/// [`crate::service::first_fit`]), one node at a time.
pub async fn first_fit_if_needed(
    state: &AppState,
    holder: &str,
) -> Result<(), crate::error::ApiError> {
    let holder_id = holder.to_owned();
    let leased = state
        .db
        .run(move |conn| {
            let at = now();
            Ok(store::take_lease(
                conn,
                MODELS_FIRST_FIT,
                &holder_id,
                at,
                at + Span::minutes(10),
            )?)
        })
        .await?;
    if !leased {
        return Ok(());
    }
    let result = crate::service::first_fit::run(state).await;
    let holder_id = holder.to_owned();
    state
        .db
        .run(move |conn| {
            Ok(store::finish_lease(
                conn,
                MODELS_FIRST_FIT,
                &holder_id,
                now(),
            )?)
        })
        .await?;
    result.map(|_| ())
}

/// Refits every workspace that has orders when the last run is `interval` seconds old, and
/// rebuilds its product recommendations.
pub async fn refit_if_due(
    state: &AppState,
    holder: &str,
    interval: u64,
) -> Result<(), crate::error::ApiError> {
    let holder_id = holder.to_owned();
    let interval = i64::try_from(interval).unwrap_or(i64::MAX);
    let due = state
        .db
        .run(move |conn| {
            let at = now();
            let last = store::last_run(conn, MODELS_REFIT)?;
            if last.is_some_and(|l| at - l < Span::seconds(interval)) {
                return Ok(None);
            }
            if !store::take_lease(conn, MODELS_REFIT, &holder_id, at, at + Span::hours(1))? {
                return Ok(None);
            }
            let mut with_orders = Vec::new();
            for ws in workspaces::all_ids(conn)? {
                if rapport_persistence::orders::any(conn, &ws)? {
                    with_orders.push(ws);
                }
            }
            Ok(Some(with_orders))
        })
        .await?;
    let Some(targets) = due else { return Ok(()) };
    for ws in targets {
        let id = ws.clone();
        let at = now();
        let system = crate::auth::Principal::system(&id);
        match state
            .db
            .run(move |conn| models::fit_workspace(conn, &system, at))
            .await
        {
            Ok((model, committed)) => {
                pipeline::apply(state, committed).await;
                tracing::info!(workspace = %ws, version = model.version, customers = model.customers, "model refitted");
            }
            Err(err) => tracing::warn!(workspace = %ws, error = %err.detail, "model refit failed"),
        }
        // The product co-occurrence is rebuilt on the same schedule.
        let system = crate::auth::Principal::system(&ws);
        match state
            .db
            .run(move |conn| recommendations::refresh_workspace(conn, &system))
            .await
        {
            Ok((refresh, committed)) => {
                pipeline::apply(state, committed).await;
                tracing::info!(workspace = %ws, items = refresh.items, pairs = refresh.pairs, "recommendations refreshed");
            }
            Err(err) => {
                tracing::warn!(workspace = %ws, error = %err.detail, "recommendations refresh failed")
            }
        }
    }
    let holder_id = holder.to_owned();
    state
        .db
        .run(move |conn| Ok(store::finish_lease(conn, MODELS_REFIT, &holder_id, now())?))
        .await
}
