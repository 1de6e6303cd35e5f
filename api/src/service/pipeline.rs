//! The write pipeline: the one way a use case changes data. It owns the transaction, the
//! idempotency record, the audit entries and the domain events a use case emits through its
//! [`WriteContext`]. In the transaction it stores the audit rows, the pending cache effects
//! and the outbox rows (last: the workspace's event counter is its hottest row). After the
//! commit it bumps the cache generations the events touched, once per account or workspace,
//! and forgets the pending effect; effects a dead node left pending are applied by the
//! sweeper of any node ([`sweep`], run by `rapport serve` at start and every few seconds).
//!
//! Events describe what happened; nothing in the transaction reads them back, so lock order
//! stays the use case's explicit one.

use std::collections::BTreeSet;

use std::time::Duration;

use chrono::NaiveDateTime;
use rapport_persistence::audit::{self as audit_store, AuditRow};
use rapport_persistence::events::{self as outbox, NewEvent};
use rapport_persistence::pending_effects::{self as pending, PendingEffectRow};
use rapport_persistence::{write_transaction, DbConn};
use serde::Serialize;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::events::domain::{DomainEvent, Touches};
use crate::service::idempotency::{self, IdempotencyRequest, Outcome};
use crate::service::rule_segments::tracking;
use crate::service::{audit, cache, new_id, now};
use crate::state::AppState;

/// Pending effects younger than this belong to a node that is still applying them.
pub const PENDING_GRACE: Duration = Duration::from_secs(5);
/// How often `rapport serve` sweeps pending effects and forgets applied ones.
pub const SWEEP_EVERY: Duration = Duration::from_secs(2);
/// How long a sweeper holds the effects it claimed before another node may take them.
const CLAIM_FOR_SECS: i64 = 30;
const SWEEP_BATCH: i64 = 500;

/// What a use case hands the pipeline while it writes: its domain events and audit entries.
pub struct WriteContext {
    principal: Principal,
    at: NaiveDateTime,
    audit: Vec<AuditRow>,
    outbox: Vec<NewEvent>,
    accounts: BTreeSet<String>,
    /// Accounts whose cached views are deleted after the commit (an erasure).
    forget: BTreeSet<String>,
    whole_workspace: bool,
    /// A refit or a settings change: every account's segment membership may have moved.
    resegment_workspace: bool,
    /// The last event id given out: a write's events take ids that follow each other, so
    /// the outbox stores a run of them as one row (see `rapport_persistence::events`).
    last_event_id: Option<u128>,
}

/// The low 32 bits of a UUIDv7 from `Uuid::now_v7` are random below the process's
/// monotonic counter: ids counted up within them never meet another id of this process.
const EVENT_ID_STEP_BITS: u128 = 0xFFFF_FFFF;

impl WriteContext {
    fn new(principal: &Principal) -> Self {
        Self {
            principal: principal.clone(),
            at: now(),
            audit: Vec::new(),
            outbox: Vec::new(),
            accounts: BTreeSet::new(),
            forget: BTreeSet::new(),
            whole_workspace: false,
            resegment_workspace: false,
            last_event_id: None,
        }
    }

    /// The next event id: the one after the last, or a new UUIDv7 when there is none (or
    /// counting up would leave the random low bits).
    fn event_id(&mut self) -> String {
        let id = match self.last_event_id {
            Some(last) if last & EVENT_ID_STEP_BITS != EVENT_ID_STEP_BITS => last + 1,
            _ => uuid::Uuid::now_v7().as_u128(),
        };
        self.last_event_id = Some(id);
        uuid::Uuid::from_u128(id).to_string()
    }

    /// Something happened: its outbox rows are stored with the change and the cached views
    /// it touches are invalidated after the commit.
    pub fn emit(&mut self, event: DomainEvent) -> Result<(), ApiError> {
        if event.moves_every_segment() {
            self.resegment_workspace = true;
        }
        if let Some(account) = event.forgets() {
            self.forget.insert(account.to_owned());
        }
        match event.touches() {
            Touches::Nothing => {}
            Touches::Account(id) => {
                self.accounts.insert(id);
            }
            Touches::Accounts(ids) => self.accounts.extend(ids),
            Touches::Workspace => self.whole_workspace = true,
        }
        for p in event.published() {
            let id = self.event_id();
            self.outbox.push(NewEvent {
                id,
                event_type: p.event_type,
                occurred_at: self.at,
                data: p.data,
            });
        }
        Ok(())
    }

    /// An audit entry (`resource.verb`, the resource's API form before and after).
    pub fn audit<B: Serialize, A: Serialize>(
        &mut self,
        action: &str,
        resource_type: &str,
        resource_id: Option<&str>,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<(), ApiError> {
        self.audit.push(audit::entry_row(
            &self.principal,
            action,
            resource_type,
            resource_id,
            before,
            after,
        ));
        Ok(())
    }

    /// Who is writing.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// Stores audit rows, the pending effect and the outbox rows (last), in the transaction.
    fn finish(mut self, conn: &mut DbConn) -> Result<Committed, ApiError> {
        // Tracked segments follow the accounts this write touched (their events join it).
        let touched: Vec<String> = self.accounts.iter().cloned().collect();
        let whole = self.resegment_workspace;
        let workspace_id = self.principal.workspace_id.clone();
        for event in tracking::follow(conn, &workspace_id, &touched, whole)? {
            self.emit(event)?;
        }
        audit_store::insert_many(conn, &self.audit)?;
        let workspace_id = self.principal.workspace_id;
        let published = !self.outbox.is_empty();
        let mut committed = if self.accounts.is_empty() && !self.whole_workspace {
            Committed::default()
        } else {
            let accounts: Vec<String> = self.accounts.into_iter().collect();
            let row = PendingEffectRow {
                id: new_id(),
                workspace_id: workspace_id.clone(),
                account_ids: serde_json::to_string(&accounts).map_err(ApiError::internal)?,
                whole_workspace: self.whole_workspace,
                created_at: self.at,
                claimed_until: None,
            };
            pending::insert(conn, &row)?;
            Committed {
                effect: Some(Effect {
                    id: row.id,
                    workspace_id: workspace_id.clone(),
                    accounts,
                    whole_workspace: self.whole_workspace,
                    forget: self.forget.into_iter().collect(),
                }),
                published: false,
            }
        };
        committed.published = published;
        outbox::append(conn, &workspace_id, self.outbox)?;
        Ok(committed)
    }
}

/// Cache generations a committed write left to bump.
#[derive(Debug, Clone)]
struct Effect {
    id: String,
    workspace_id: String,
    accounts: Vec<String>,
    whole_workspace: bool,
    /// Accounts whose cached entries are deleted (an erasure): a new generation only hides
    /// them until their TTL, and they must not stay anywhere.
    forget: Vec<String>,
}

/// What a committed write leaves to do after the commit: hand it to [`apply`].
#[derive(Debug, Clone, Default)]
#[must_use = "a committed write's effects must be applied"]
pub struct Committed {
    effect: Option<Effect>,
    /// Events were stored: the webhook worker is woken at once rather than at its next poll.
    published: bool,
}

/// Runs `change` in one write transaction on the caller's connection (CLI commands and jobs
/// that loop over a connection); hand the returned [`Committed`] to [`apply`] after.
pub fn transact<T, F>(
    conn: &mut DbConn,
    principal: &Principal,
    change: F,
) -> Result<(T, Committed), ApiError>
where
    F: FnOnce(&mut DbConn, &mut WriteContext) -> Result<T, ApiError>,
{
    write_transaction(conn, |conn| {
        let mut cx = WriteContext::new(principal);
        let value = change(conn, &mut cx)?;
        let committed = cx.finish(conn)?;
        Ok((value, committed))
    })
}

/// Runs `change` as [`transact`] would, then rolls all of it back (its writes, audit and
/// events): what a dry run reports, written nowhere.
pub fn simulate<T, F>(conn: &mut DbConn, principal: &Principal, change: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn, &mut WriteContext) -> Result<T, ApiError>,
{
    let mut kept = None;
    let rolled_back: Result<(), ApiError> = write_transaction(conn, |conn| {
        let mut cx = WriteContext::new(principal);
        kept = Some(change(conn, &mut cx)?);
        Err(ApiError::new(
            actix_web::http::StatusCode::OK,
            "dry_run_rolled_back",
            "",
        ))
    });
    match (kept, rolled_back) {
        (Some(value), _) => Ok(value),
        (None, Err(err)) => Err(err),
        (None, Ok(())) => Err(ApiError::internal("dry run kept nothing")),
    }
}

/// Runs `change` in one write transaction through the database gateway and applies its
/// effects after the commit.
pub async fn run<T, F>(state: &AppState, principal: &Principal, change: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn, &mut WriteContext) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let p = principal.clone();
    let (value, committed) = state.db.run(move |conn| transact(conn, &p, change)).await?;
    apply(state, committed).await;
    Ok(value)
}

/// [`run`] honouring `Idempotency-Key`: the answer is stored with the change, and a retried
/// request (same key, same body) gets the stored answer and changes nothing again; the same
/// key with another body is a 409. `status` is the HTTP status a fresh success answers with.
pub async fn write<T, F>(
    state: &AppState,
    principal: &Principal,
    idempotency: Option<IdempotencyRequest>,
    status: u16,
    change: F,
) -> Result<Outcome<T>, ApiError>
where
    F: FnOnce(&mut DbConn, &mut WriteContext) -> Result<T, ApiError> + Send + 'static,
    T: Serialize + Send + 'static,
{
    let p = principal.clone();
    let (outcome, committed) = state
        .db
        .run(move |conn| {
            transact(conn, &p, |conn, cx| {
                let workspace = cx.principal().workspace_id.clone();
                if let Some(replay) = idempotency::replay(conn, &workspace, idempotency.as_ref())? {
                    return Ok(replay);
                }
                let value = change(conn, cx)?;
                if let Some(idem) = idempotency {
                    idempotency::remember(conn, &workspace, idem, status, &value)?;
                }
                Ok(Outcome::Fresh(value))
            })
        })
        .await?;
    apply(state, committed).await;
    Ok(outcome)
}

/// Wakes the webhook worker when the write published events, and bumps the generations it
/// touched; once done, its pending row is queued
/// for deletion. When the cache cannot be reached the row stays and the sweeper retries.
pub async fn apply(state: &AppState, committed: Committed) {
    if committed.published {
        state.outbox_notify.notify_one();
    }
    let Some(effect) = committed.effect else {
        return;
    };
    for account in &effect.forget {
        cache::forget_account(state, &effect.workspace_id, account).await;
    }
    if cache::bump(
        state,
        &effect.workspace_id,
        &effect.accounts,
        effect.whole_workspace,
    )
    .await
    {
        state.applied_effects.push(effect.id);
    }
}

/// Applies many committed writes (a job's).
pub async fn apply_all(state: &AppState, committed: Vec<Committed>) {
    for c in committed {
        apply(state, c).await;
    }
}

/// Deletes the rows of applied effects.
pub async fn flush_applied(state: &AppState) -> Result<(), ApiError> {
    let ids = state.applied_effects.take();
    if ids.is_empty() {
        return Ok(());
    }
    state
        .db
        .run(move |conn| Ok(pending::delete(conn, &ids).map(|_| ())?))
        .await
}

/// For a process that is not a server (a CLI command), once its writes are done: with a
/// shared cache (Redis) its effects are applied, so their rows are forgotten; with the
/// in-process cache they were applied to this process's cache only, so the rows stay for the
/// sweeper of a running `rapport serve`, whose cache holds the profiles, to apply them.
pub async fn finish_command(state: &AppState) -> Result<(), ApiError> {
    if matches!(state.cache, rapport_persistence::Cache::Redis(_)) {
        flush_applied(state).await
    } else {
        Ok(())
    }
}

/// Applies effects left pending for longer than [`PENDING_GRACE`] (their node died between
/// commit and apply, or the cache was down), claiming them so nodes share the work. Returns
/// how many were applied.
pub async fn sweep(state: &AppState) -> Result<usize, ApiError> {
    let mut applied = 0;
    loop {
        let at = now();
        let grace = chrono::Duration::from_std(PENDING_GRACE).map_err(ApiError::internal)?;
        let claimed = state
            .db
            .run(move |conn| {
                write_transaction(conn, |conn| {
                    Ok(pending::claim_due(
                        conn,
                        at - grace,
                        at,
                        at + chrono::Duration::seconds(CLAIM_FOR_SECS),
                        SWEEP_BATCH,
                    )?)
                })
            })
            .await?;
        let count = claimed.len();
        let mut done = Vec::with_capacity(count);
        for row in claimed {
            let accounts: Vec<String> = serde_json::from_str(&row.account_ids).unwrap_or_default();
            if cache::bump(state, &row.workspace_id, &accounts, row.whole_workspace).await {
                done.push(row.id);
            }
        }
        applied += done.len();
        let progressed = !done.is_empty();
        state
            .db
            .run(move |conn| Ok(pending::delete(conn, &done).map(|_| ())?))
            .await?;
        if count < usize::try_from(SWEEP_BATCH).unwrap_or(usize::MAX) || !progressed {
            return Ok(applied);
        }
    }
}

/// The effects loop of `rapport serve`: a sweep at start, then every [`SWEEP_EVERY`] the
/// applied rows are forgotten and stale pending effects applied.
pub fn spawn_sweeper(state: AppState) {
    tokio::spawn(async move {
        loop {
            if let Err(err) = flush_applied(&state).await {
                tracing::warn!(error = %err.detail, "could not forget applied effects");
            }
            match sweep(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(effects = n, "applied effects a node left pending"),
                Err(err) => tracing::warn!(error = %err.detail, "effects sweep failed"),
            }
            match state.db.run(|conn| Ok(pending::count(conn)?)).await {
                Ok(n) => {
                    state.metrics.pending_effects.set(n);
                }
                Err(err) => tracing::debug!(error = %err.detail, "pending effects not counted"),
            }
            tokio::time::sleep(SWEEP_EVERY).await;
        }
    });
}
