//! Interactions: an account's timeline of notes, calls, e-mails, meetings, tasks, tickets
//! and feedback. Create, read, list newest first with filters in keyset pages, merge-patch
//! with optimistic concurrency, soft delete.
//!
//! Rules chosen here:
//! - `occurred_at` defaults to now and may be at most 5 minutes in the future, for every
//!   type; a task's future date is its `due_at`, which has no bound.
//! - `due_at` and `done` belong to tasks only (422 on other types); `done` is stored as the
//!   time it was first marked done (`done_at`).
//! - `contact_id` must name a live contact of the same account (else 422 `contact_id`).
//! - The author is the caller (`user` or `api_key` and its id) and never changes.
//! - Agents may add interactions to any account (logging a call is their job) but change or
//!   delete only interactions they authored (403 `not_author`).
//! - An interaction of a deleted account is gone too (404), like the account.
//! - `external_id` (the caller's key) is unique in the workspace, set on create only: a
//!   create with a known one is a 409 `duplicate_interaction`; in a batch (an import) it is
//!   reported as `duplicate` and not written again.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use rapport_domain::access::{Role, Scope};
use rapport_domain::crm::{Channel, Direction, InteractionType};
use rapport_persistence::accounts as account_store;
use rapport_persistence::contacts as contact_store;
use rapport_persistence::interactions::{self as store, InteractionFilter, InteractionRow};
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::cursor;
use crate::service::events::domain::{data, Change, DomainEvent};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::orders::AccountRef;
use crate::service::pipeline::{self, WriteContext};
use crate::service::versioning;
use crate::service::{new_id, now, page_limit, stored, utc, Page, PageRequest};
use crate::state::AppState;

/// Longest subject, in characters.
pub const MAX_SUBJECT: usize = 200;
/// Longest body, in characters.
pub const MAX_BODY: usize = 20_000;
/// How far in the future `occurred_at` may be (clock skew between clients and us).
pub const FUTURE_TOLERANCE_MINUTES: i64 = 5;

// ---------------------------------------------------------------------------------------
// Shapes

/// One event on an account's timeline.
#[derive(
    Debug, Clone, PartialEq, Serialize, serde::Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Interaction {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    #[graphql(skip, derived(name = "account_id", into = "async_graphql::ID", owned))]
    pub account_id: String,
    /// The contact it was with, if any.
    #[graphql(
        skip,
        derived(
            name = "contact_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub contact_id: Option<String>,
    /// `note`, `call`, `email`, `meeting`, `task`, `ticket` or `feedback`.
    #[serde(rename = "type")]
    #[graphql(name = "type")]
    pub kind: String,
    /// `web`, `app`, `store`, `phone`, `email`, `social` or `chat`.
    pub channel: Option<String>,
    /// `inbound` or `outbound`.
    pub direction: Option<String>,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub occurred_at: DateTime<Utc>,
    /// Who logged it: `user` or `api_key`.
    pub author_type: String,
    #[graphql(
        skip,
        derived(
            name = "author_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub author_id: Option<String>,
    /// Tasks only: when it is due.
    pub due_at: Option<DateTime<Utc>>,
    /// Tasks only: whether it is done (`null` for other types).
    pub done: Option<bool>,
    /// Tasks only: when it was marked done.
    pub done_at: Option<DateTime<Utc>>,
    /// Bumped by every change; send it back in `If-Match` to update safely.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Your key for the interaction, unique in the workspace (set on create).
    pub external_id: Option<String>,
}

/// What a client writes: the body of a create, and the shape a PATCH merges into.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InteractionInput {
    /// Required: `note`, `call`, `email`, `meeting`, `task`, `ticket` or `feedback`.
    #[serde(rename = "type")]
    #[schema(schema_with = crate::openapi::names::interaction_type, required = true, example = "call")]
    pub kind: Option<String>,
    /// `web`, `app`, `store`, `phone`, `email`, `social` or `chat`.
    #[schema(schema_with = crate::openapi::names::channel_or_null, example = "phone")]
    pub channel: Option<String>,
    /// `inbound` or `outbound`.
    #[schema(schema_with = crate::openapi::names::direction_or_null, example = "outbound")]
    pub direction: Option<String>,
    /// At most 200 characters.
    #[schema(max_length = 200, example = "Renewal call")]
    pub subject: Option<String>,
    /// At most 20,000 characters; line breaks are kept.
    #[schema(
        max_length = 20000,
        example = "Agreed to renew for two years; send the quote by Friday."
    )]
    pub body: Option<String>,
    /// When it happened (default: now); at most 5 minutes in the future.
    pub occurred_at: Option<DateTime<Utc>>,
    /// A live contact of the same account.
    pub contact_id: Option<String>,
    /// Tasks only: when it is due (may be in the future).
    pub due_at: Option<DateTime<Utc>>,
    /// Tasks only: `true` once done.
    pub done: Option<bool>,
    /// Your key for the interaction, unique in the workspace (makes retries and imports
    /// safe): set on create only; a known one is a 409 `duplicate_interaction`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "crm-call-30412")]
    pub external_id: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InteractionQuery {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page (opaque). Newest first.
    pub after: Option<String>,
    /// Only this type.
    #[serde(rename = "type")]
    #[param(rename = "type", schema_with = crate::openapi::names::interaction_type)]
    pub kind: Option<String>,
    /// Only this channel.
    #[param(schema_with = crate::openapi::names::channel)]
    pub channel: Option<String>,
    /// Only interactions with this contact.
    pub contact_id: Option<String>,
    /// Only those that occurred at or after this instant.
    pub occurred_after: Option<DateTime<Utc>>,
    /// Only those that occurred before this instant.
    pub occurred_before: Option<DateTime<Utc>>,
    /// Only tasks, done (`true`) or open (`false`).
    pub done: Option<bool>,
}

// ---------------------------------------------------------------------------------------
// Validation: one pass that names every bad field

#[derive(Debug, Clone)]
struct ValidInteraction {
    kind: InteractionType,
    channel: Option<Channel>,
    direction: Option<Direction>,
    subject: Option<String>,
    body: Option<String>,
    /// `None`: now.
    occurred_at: Option<NaiveDateTime>,
    contact_id: Option<String>,
    due_at: Option<NaiveDateTime>,
    done: bool,
    external_id: Option<String>,
}

struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }
}

fn validate(input: &InteractionInput) -> Result<ValidInteraction, Vec<FieldError>> {
    let mut errors = Errors(Vec::new());
    let kind = match input.kind.as_deref() {
        None => {
            errors.add("type", "is required");
            None
        }
        Some(k) => InteractionType::parse(k).or_else(|| {
            errors.add(
                "type",
                format!("must be one of {}", InteractionType::choices()),
            );
            None
        }),
    };
    let channel = input.channel.as_deref().and_then(|c| {
        Channel::parse(c).or_else(|| {
            errors.add("channel", format!("must be one of {}", Channel::choices()));
            None
        })
    });
    let direction = input.direction.as_deref().and_then(|d| {
        Direction::parse(d).or_else(|| {
            errors.add(
                "direction",
                format!("must be one of {}", Direction::choices()),
            );
            None
        })
    });
    let subject = input.subject.as_deref().and_then(|s| {
        let s = s.trim();
        if s.is_empty() || s.chars().count() > MAX_SUBJECT || s.contains(char::is_control) {
            errors.add(
                "subject",
                format!("must be 1 to {MAX_SUBJECT} characters without control characters"),
            );
            return None;
        }
        Some(s.to_owned())
    });
    let body = input.body.as_deref().and_then(|b| {
        let b = b.trim();
        let bad_control = b
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
        if b.is_empty() || b.chars().count() > MAX_BODY || bad_control {
            errors.add(
                "body",
                format!(
                    "must be 1 to {MAX_BODY} characters without control characters other \
                     than line breaks and tabs"
                ),
            );
            return None;
        }
        Some(b.to_owned())
    });
    if input
        .occurred_at
        .is_some_and(|at| at > Utc::now() + chrono::Duration::minutes(FUTURE_TOLERANCE_MINUTES))
    {
        errors.add(
            "occurred_at",
            "must not be in the future (a task's future date is its due_at)",
        );
    }
    let is_task = kind == Some(InteractionType::Task);
    if kind.is_some() && !is_task {
        if input.due_at.is_some() {
            errors.add("due_at", "only tasks have a due date");
        }
        if input.done.is_some() {
            errors.add("done", "only tasks can be done");
        }
    }
    let contact_id = input.contact_id.as_deref().and_then(|c| {
        let c = c.trim();
        if c.is_empty() || c.len() > 100 {
            errors.add("contact_id", "must be a contact's id");
            return None;
        }
        Some(c.to_owned())
    });
    let external_id = input.external_id.as_deref().and_then(|e| {
        if !crate::service::text_ok(e, 200) {
            errors.add(
                "external_id",
                "must be 1 to 200 characters without control characters",
            );
            return None;
        }
        Some(e.trim().to_owned())
    });
    match kind {
        Some(kind) if errors.0.is_empty() => Ok(ValidInteraction {
            kind,
            channel,
            direction,
            subject,
            body,
            occurred_at: input.occurred_at.map(stored),
            contact_id,
            due_at: input.due_at.map(stored),
            done: input.done.unwrap_or(false),
            external_id,
        }),
        _ => Err(errors.0),
    }
}

// ---------------------------------------------------------------------------------------
// Rows <-> shapes

impl From<InteractionRow> for Interaction {
    fn from(row: InteractionRow) -> Self {
        let is_task = row.kind == InteractionType::Task.as_str();
        Interaction {
            id: row.id,
            account_id: row.account_id,
            contact_id: row.contact_id,
            kind: row.kind,
            channel: row.channel,
            direction: row.direction,
            subject: row.subject,
            body: row.body,
            occurred_at: utc(row.occurred_at),
            author_type: row.author_type,
            author_id: row.author_id,
            due_at: row.due_at.map(utc),
            done: is_task.then_some(row.done_at.is_some()),
            done_at: row.done_at.map(utc),
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
            external_id: row.external_id,
        }
    }
}

impl Interaction {
    /// The writable fields, as a PATCH body merges into them. An open task has no `done`,
    /// so changing its type needs no `"done": null`.
    fn as_input(&self) -> InteractionInput {
        InteractionInput {
            kind: Some(self.kind.clone()),
            channel: self.channel.clone(),
            direction: self.direction.clone(),
            subject: self.subject.clone(),
            body: self.body.clone(),
            occurred_at: Some(self.occurred_at),
            contact_id: self.contact_id.clone(),
            due_at: self.due_at,
            done: self.done.filter(|d| *d),
            external_id: self.external_id.clone(),
        }
    }
}

/// Writes a validated interaction over `row`; `at` is the time of the write.
fn apply(row: &mut InteractionRow, valid: &ValidInteraction, at: NaiveDateTime) {
    row.kind = valid.kind.as_str().to_owned();
    row.channel = valid.channel.map(|c| c.as_str().to_owned());
    row.direction = valid.direction.map(|d| d.as_str().to_owned());
    row.subject = valid.subject.clone();
    row.body = valid.body.clone();
    row.occurred_at = valid.occurred_at.unwrap_or(at);
    row.contact_id = valid.contact_id.clone();
    row.due_at = valid.due_at;
    // Done keeps the time it was first marked done.
    row.done_at = if valid.done {
        Some(row.done_at.unwrap_or(at))
    } else {
        None
    };
}

// ---------------------------------------------------------------------------------------
// Rules and loads (inside a transaction)

/// Agents may add interactions to any account (logging a call is their job) but change or
/// delete only those they authored; other roles and API keys with `accounts:write` any.
fn may_change(principal: &Principal, row: &InteractionRow) -> Result<(), ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let authored = row.author_type == "user" && row.author_id.as_deref() == principal.user_id();
    if principal.role() == Some(Role::Agent) && !authored {
        return Err(ApiError::forbidden(
            "not_author",
            "agents may only change interactions they logged",
        ));
    }
    Ok(())
}

fn check_account(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<(), ApiError> {
    account_store::find(conn, &principal.workspace_id, id)?
        .map(|_| ())
        .ok_or_else(|| ApiError::not_found("no account with that id"))
}

/// The contact must be a live contact of the same account.
fn check_contact(
    conn: &mut DbConn,
    principal: &Principal,
    account_id: &str,
    contact_id: &str,
) -> Result<(), ApiError> {
    match contact_store::find(conn, &principal.workspace_id, contact_id)? {
        Some(c) if c.account_id == account_id => Ok(()),
        _ => Err(ApiError::field(
            "contact_id",
            "no contact with this id at this account",
        )),
    }
}

fn load(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<InteractionRow, ApiError> {
    store::find(conn, &principal.workspace_id, id)?
        .ok_or_else(|| ApiError::not_found("no interaction with that id"))
}

fn cursor_of(row: &InteractionRow) -> String {
    cursor::encode_instant("occurred_at", utc(row.occurred_at), &row.id)
}

// ---------------------------------------------------------------------------------------
// Use cases

/// The account's timeline, newest first (`occurred_at`, then id), filtered, in keyset pages.
pub async fn list_for_account(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    query: InteractionQuery,
) -> Result<Page<Interaction>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let limit = page_limit(query.limit)?;
    let (p, id) = (principal.clone(), account_id.to_owned());
    state
        .db
        .run(move |conn| list_for_account_in(conn, &p, &id, query, limit))
        .await
}

/// A page of `limit` of the account's timeline read inside a connection closure (exports
/// page through it in their snapshot). 404 when the account is not live.
pub fn list_for_account_in(
    conn: &mut DbConn,
    principal: &Principal,
    account_id: &str,
    query: InteractionQuery,
    limit: i64,
) -> Result<Page<Interaction>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let after = query
        .after
        .as_deref()
        .map(|a| cursor::decode_instant(a, "occurred_at"))
        .transpose()?;
    let mut errors = Errors(Vec::new());
    if query
        .kind
        .as_deref()
        .is_some_and(|k| InteractionType::parse(k).is_none())
    {
        errors.add(
            "type",
            format!("must be one of {}", InteractionType::choices()),
        );
    }
    if query
        .channel
        .as_deref()
        .is_some_and(|c| Channel::parse(c).is_none())
    {
        errors.add("channel", format!("must be one of {}", Channel::choices()));
    }
    if !errors.0.is_empty() {
        return Err(ApiError::validation(errors.0));
    }
    let filter = InteractionFilter {
        kind: query.kind,
        channel: query.channel,
        contact_id: query.contact_id,
        occurred_after: query.occurred_after.map(stored),
        occurred_before: query.occurred_before.map(stored),
        done: query.done,
    };
    let request = PageRequest { limit, after: None };
    check_account(conn, principal, account_id)?;
    let rows = store::list(
        conn,
        &principal.workspace_id,
        account_id,
        &filter,
        after,
        limit + 1,
    )?;
    Ok(Page::from_rows(
        rows,
        &request,
        cursor_of,
        Interaction::from,
    ))
}

/// The newest `limit` interactions of an account (for the 360° profile). Empty when the
/// account is deleted or not of the workspace. The caller checks the principal's scope.
pub fn recent_for_account(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    limit: i64,
) -> Result<Vec<Interaction>, ApiError> {
    Ok(
        store::recent(conn, workspace_id, account_id, limit.clamp(0, 500))?
            .into_iter()
            .map(Interaction::from)
            .collect(),
    )
}

/// Logs an interaction on the account, authored by the caller.
pub async fn create(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    input: InteractionInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<Interaction>, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let valid = validate(&input).map_err(ApiError::validation)?;
    let (principal, account_id) = (principal.clone(), account_id.to_owned());
    pipeline::write(
        state,
        &principal.clone(),
        idempotency,
        201,
        move |conn, cx| {
            check_account(conn, &principal, &account_id)?;
            let new = NewInteraction {
                account: AccountRef::Id(account_id),
                valid,
            };
            match ingest(conn, cx, vec![new], |_| String::new())?.pop() {
                Some(Ingested::Created(interaction)) => {
                    cx.audit::<(), _>(
                        "interaction.create",
                        "interaction",
                        Some(&interaction.id),
                        None,
                        Some(&interaction),
                    )?;
                    Ok(*interaction)
                }
                Some(Ingested::Duplicate { id, .. }) => Err(ApiError::conflict(
                    "duplicate_interaction",
                    format!("an interaction with this external_id exists: {id}"),
                )),
                None => Err(ApiError::internal("ingest returned nothing")),
            }
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------
// Batches (imports): the single create's path for many interactions

/// An interaction that passed the edge checks, with its account still to resolve.
#[derive(Debug, Clone)]
pub struct NewInteraction {
    account: AccountRef,
    valid: ValidInteraction,
}

impl NewInteraction {
    pub fn external_id(&self) -> Option<&str> {
        self.valid.external_id.as_deref()
    }
}

/// The edge checks of one interaction of a batch, its account named by id or external id
/// (errors named `{prefix}field`).
pub fn validate_new(
    input: &InteractionInput,
    account: AccountRef,
    prefix: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NewInteraction> {
    match validate(input) {
        Ok(valid) => Some(NewInteraction { account, valid }),
        Err(list) => {
            errors.extend(list.into_iter().map(|e| FieldError {
                field: format!("{prefix}{}", e.field),
                message: e.message,
            }));
            None
        }
    }
}

/// What ingesting one interaction did.
enum Ingested {
    Created(Box<Interaction>),
    Duplicate { id: String, external_id: String },
}

/// What happened to one interaction of a batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BatchItem {
    pub index: usize,
    /// `created`, or `duplicate` (an interaction with this `external_id` exists: not
    /// written again).
    pub status: &'static str,
    pub id: String,
    pub external_id: Option<String>,
}

/// Resolves accounts and contacts, skips known `external_id`s and inserts the new
/// interactions with their events, inside the caller's transaction, authored by the
/// caller. Any unknown account or contact fails the whole call (nothing written) with
/// errors named `{prefix(i)}field`.
fn ingest(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    items: Vec<NewInteraction>,
    prefix: impl Fn(usize) -> String,
) -> Result<Vec<Ingested>, ApiError> {
    let at = now();
    let principal = cx.principal().clone();
    let ws = principal.workspace_id.as_str();
    let ids: Vec<&str> = items
        .iter()
        .filter_map(|n| match &n.account {
            AccountRef::Id(id) => Some(id.as_str()),
            AccountRef::External(_) => None,
        })
        .collect();
    let externals: Vec<&str> = items
        .iter()
        .filter_map(|n| match &n.account {
            AccountRef::External(e) => Some(e.as_str()),
            AccountRef::Id(_) => None,
        })
        .collect();
    let mut resolved: HashMap<AccountRef, String> = HashMap::new();
    for (id, external) in rapport_persistence::orders::live_accounts(conn, ws, &ids, &externals)? {
        if let Some(e) = external {
            resolved.insert(AccountRef::External(e), id.clone());
        }
        resolved.insert(AccountRef::Id(id.clone()), id);
    }
    let wanted: Vec<&str> = items
        .iter()
        .filter_map(NewInteraction::external_id)
        .collect();
    let mut known: HashMap<String, String> = store::existing_external_ids(conn, ws, &wanted)?
        .into_iter()
        .collect();
    let mut errors = Vec::new();
    let mut results = Vec::with_capacity(items.len());
    let mut rows = Vec::new();
    for (i, n) in items.into_iter().enumerate() {
        let Some(account_id) = resolved.get(&n.account).cloned() else {
            let field = match n.account {
                AccountRef::Id(_) => "account_id",
                AccountRef::External(_) => "account_external_id",
            };
            errors.push(FieldError {
                field: format!("{}{field}", prefix(i)),
                message: "no live account with this id in the workspace".into(),
            });
            continue;
        };
        if let Some(contact_id) = &n.valid.contact_id {
            if let Err(e) = check_contact(conn, &principal, &account_id, contact_id) {
                errors.extend(e.errors.iter().map(|f| FieldError {
                    field: format!("{}{}", prefix(i), f.field),
                    message: f.message.clone(),
                }));
                continue;
            }
        }
        if let Some(existing) = n.valid.external_id.as_ref().and_then(|e| known.get(e)) {
            results.push(Ingested::Duplicate {
                id: existing.clone(),
                external_id: n.valid.external_id.clone().unwrap_or_default(),
            });
            continue;
        }
        let mut row = InteractionRow {
            id: new_id(),
            workspace_id: ws.to_owned(),
            account_id,
            contact_id: None,
            kind: String::new(),
            channel: None,
            direction: None,
            subject: None,
            body: None,
            occurred_at: at,
            author_type: principal.actor_type().to_owned(),
            author_id: principal.actor_id().map(str::to_owned),
            due_at: None,
            done_at: None,
            version: 1,
            created_at: at,
            updated_at: at,
            deleted_at: None,
            external_id: n.valid.external_id.clone(),
        };
        apply(&mut row, &n.valid, at);
        if let Some(e) = &row.external_id {
            known.insert(e.clone(), row.id.clone());
        }
        results.push(Ingested::Created(Box::new(Interaction::from(row.clone()))));
        rows.push(row);
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    store::insert_many(conn, &rows).map_err(|e| match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => ApiError::conflict(
            "interaction_in_flight",
            "another request is recording an interaction with the same external_id; retry to see it as a duplicate",
        ),
        other => other.into(),
    })?;
    for item in &results {
        if let Ingested::Created(interaction) = item {
            cx.emit(DomainEvent::InteractionChanged {
                account_id: interaction.account_id.clone(),
                change: Change::Created,
                interaction: data(interaction.as_ref())?,
            })?;
        }
    }
    Ok(results)
}

/// Ingests interactions in the caller's transaction with the batch's one audit entry (each
/// interaction has its `interaction.created` event): import jobs' path, the single
/// create's core. Results are in input order.
pub fn record_batch(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    items: Vec<NewInteraction>,
    prefix: impl Fn(usize) -> String,
) -> Result<Vec<BatchItem>, ApiError> {
    let results = ingest(conn, cx, items, prefix)?;
    let out: Vec<BatchItem> = results
        .into_iter()
        .enumerate()
        .map(|(index, r)| match r {
            Ingested::Created(i) => BatchItem {
                index,
                status: "created",
                id: i.id,
                external_id: i.external_id,
            },
            Ingested::Duplicate { id, external_id } => BatchItem {
                index,
                status: "duplicate",
                id,
                external_id: Some(external_id),
            },
        })
        .collect();
    let created: Vec<&str> = out
        .iter()
        .filter(|r| r.status == "created")
        .map(|r| r.id.as_str())
        .collect();
    cx.audit::<(), _>(
        "interaction.batch",
        "interaction",
        None,
        None,
        Some(&serde_json::json!({
            "created": created.len(),
            "duplicates": out.len() - created.len(),
            "interaction_ids": created,
        })),
    )?;
    Ok(out)
}
pub async fn get(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Interaction, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    state
        .db
        .run(move |conn| Ok(load(conn, &principal, &id)?.into()))
        .await
}

/// Applies a JSON merge patch. `if_match` (a version) makes the write conditional.
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: &str,
    patch: Value,
    if_match: Option<i64>,
) -> Result<Interaction, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    versioning::require_patch_object(&patch)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        let stored_row = load(conn, &principal, &id)?;
        may_change(&principal, &stored_row)?;
        versioning::check_version("interaction", if_match, stored_row.version)?;
        let before = Interaction::from(stored_row.clone());
        // The stored occurred_at is not re-checked against the clock: only a new one.
        let new_occurred_at = patch.get("occurred_at").is_some();
        let mut input: InteractionInput =
            versioning::merge_patch("an interaction", &before.as_input(), &patch)?;
        let keep_occurred_at = if new_occurred_at {
            None
        } else {
            input.occurred_at.take()
        };
        let mut valid = validate(&input).map_err(ApiError::validation)?;
        if valid.external_id != stored_row.external_id {
            return Err(ApiError::field(
                "external_id",
                "is set when the interaction is created and never changes",
            ));
        }
        if let Some(at) = keep_occurred_at {
            valid.occurred_at = Some(stored(at));
        }
        // A contact deleted since stays on old interactions; a new one must be live.
        if let Some(contact_id) = &valid.contact_id {
            if stored_row.contact_id.as_ref() != Some(contact_id) {
                check_contact(conn, &principal, &stored_row.account_id, contact_id)?;
            }
        }
        let at = now();
        let mut row = stored_row.clone();
        apply(&mut row, &valid, at);
        if row == stored_row {
            // Nothing changed: no new version, no audit entry.
            return Ok(before);
        }
        row.version = stored_row.version + 1;
        row.updated_at = at;
        if store::update(conn, &row, stored_row.version)? == 0 {
            return Err(versioning::precondition_failed("interaction"));
        }
        let after = Interaction::from(row);
        cx.audit(
            "interaction.update",
            "interaction",
            Some(&after.id),
            Some(&before),
            Some(&after),
        )?;
        cx.emit(DomainEvent::InteractionChanged {
            account_id: after.account_id.clone(),
            change: Change::updated(&before, &after),
            interaction: data(&after)?,
        })?;
        Ok(after)
    })
    .await
}

/// Soft delete: the interaction leaves the timeline; the audit log keeps it.
pub async fn delete(
    state: &AppState,
    principal: &Principal,
    id: &str,
    if_match: Option<i64>,
) -> Result<(), ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        let stored_row = load(conn, &principal, &id)?;
        may_change(&principal, &stored_row)?;
        let before = Interaction::from(stored_row.clone());
        let at = now();
        versioning::write_versioned("interaction", if_match, stored_row.version, |version| {
            let deleted = InteractionRow {
                version,
                updated_at: at,
                deleted_at: Some(at),
                ..stored_row.clone()
            };
            store::update(conn, &deleted, stored_row.version)
        })?;
        cx.audit::<_, ()>(
            "interaction.delete",
            "interaction",
            Some(&id),
            Some(&before),
            None,
        )?;
        cx.emit(DomainEvent::InteractionChanged {
            account_id: stored_row.account_id.clone(),
            change: Change::Deleted,
            interaction: data(&before)?,
        })?;
        Ok(())
    })
    .await
}
