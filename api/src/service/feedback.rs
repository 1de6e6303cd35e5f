//! Survey responses (NPS 0-10, CSAT 1-5, CES 1-7), one at a time or in batches of up to
//! 1,000, and each account's latest scores, kept in the response's transaction (profiles and
//! segment rules read them). Events: `feedback.received` for each new response,
//! `customer.became_detractor` when an account's latest NPS category turns detractor.
//!
//! Rules chosen here:
//! - A response names its account by `account_id` or `account_external_id` (exactly one),
//!   carries at least one score, and a `touchpoint` from a closed list; the NPS category is
//!   derived, never sent.
//! - `order_id` and `interaction_id` must be the same account's, in the workspace: otherwise a
//!   422 naming the field, nothing written.
//! - `external_id` is unique per workspace: a single create with a known one is a 409
//!   `duplicate_feedback`; in a batch it is reported as `duplicate` and not written again.
//! - The account's latest scores move only forward in `occurred_at`: a backfilled older
//!   response is stored but does not replace a newer score.
//! - With the workspace's complaint setting `auto_open_on_detractor`, a detractor response
//!   opens a complaint (unless the account has an active one already).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::crm::Channel;
use rapport_domain::feedback::{self as rules, CES_RANGE, CSAT_RANGE, NPS_RANGE, TOUCHPOINTS};
use rapport_persistence::feedback::{self as store, FeedbackFilter, FeedbackRow, SatisfactionRow};
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::cursor;
use crate::service::events::domain::{data, DomainEvent};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::orders::AccountRef;
use crate::service::pipeline::{self, WriteContext};
use crate::service::{new_id, now, page_limit, stored, utc, Page, PageRequest};
use crate::state::AppState;

pub const MAX_BATCH: usize = 1000;

/// A survey response.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "FeedbackResponse")]
pub struct Feedback {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    #[graphql(skip, derived(name = "account_id", into = "async_graphql::ID", owned))]
    pub account_id: String,
    /// Your key for the response, unique in the workspace.
    pub external_id: Option<String>,
    /// Net Promoter question, 0 to 10.
    pub nps: Option<i32>,
    /// `promoter` (9-10), `passive` (7-8) or `detractor` (0-6), from `nps`.
    pub nps_category: Option<String>,
    /// Satisfaction, 1 to 5.
    pub csat: Option<i32>,
    /// Customer effort, 1 to 7.
    pub ces: Option<i32>,
    /// `purchase`, `delivery`, `support`, `app`, `store`, `web` or `other`.
    pub touchpoint: String,
    /// Where the survey was answered: `web`, `app`, `store`, `phone`, `email`, `social`, `chat`.
    pub channel: Option<String>,
    pub order_id: Option<String>,
    pub interaction_id: Option<String>,
    pub comment: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// A new survey response: at least one of `nps`, `csat`, `ces`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
#[graphql(name = "FeedbackInput")]
pub struct FeedbackInput {
    /// The account's id (or give `account_external_id`).
    pub account_id: Option<String>,
    /// The account's `external_id` (or give `account_id`).
    pub account_external_id: Option<String>,
    /// Your key for the response, unique in the workspace (makes retries safe).
    #[schema(example = "survey-88121")]
    pub external_id: Option<String>,
    /// 0 to 10.
    #[schema(minimum = 0, maximum = 10, example = 9)]
    pub nps: Option<i32>,
    /// 1 to 5.
    #[schema(minimum = 1, maximum = 5, example = 4)]
    pub csat: Option<i32>,
    /// 1 to 7.
    #[schema(minimum = 1, maximum = 7)]
    pub ces: Option<i32>,
    /// Required.
    #[schema(schema_with = crate::openapi::names::touchpoint, example = "delivery")]
    pub touchpoint: Option<String>,
    #[schema(schema_with = crate::openapi::names::channel_or_null, example = "email")]
    pub channel: Option<String>,
    /// An order of the same account.
    pub order_id: Option<String>,
    /// An interaction of the same account.
    pub interaction_id: Option<String>,
    /// Up to 5,000 characters.
    #[schema(example = "Arrived a day late but well packed")]
    pub comment: Option<String>,
    /// Default now; at most 5 minutes in the future.
    pub occurred_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackBatch {
    /// 1 to 1,000 responses, written together or not at all.
    #[schema(min_items = 1, max_items = 1000)]
    pub responses: Vec<FeedbackInput>,
}

/// What happened to one response of a batch.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "FeedbackBatchItem")]
pub struct FeedbackBatchItem {
    pub index: i64,
    /// `created`, or `duplicate` (a response with this `external_id` exists: not written again).
    pub status: String,
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    pub external_id: Option<String>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "FeedbackBatchResult")]
pub struct FeedbackBatchResult {
    pub created: i64,
    pub duplicates: i64,
    pub results: Vec<FeedbackBatchItem>,
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedbackQuery {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page. Newest first.
    pub after: Option<String>,
    pub account_id: Option<String>,
    #[param(schema_with = crate::openapi::names::touchpoint)]
    pub touchpoint: Option<String>,
    #[param(schema_with = crate::openapi::names::channel)]
    pub channel: Option<String>,
    #[param(schema_with = crate::openapi::names::nps_category)]
    pub nps_category: Option<String>,
    pub external_id: Option<String>,
    /// Only responses at or after this instant.
    pub occurred_after: Option<DateTime<Utc>>,
    /// Only responses before this instant.
    pub occurred_before: Option<DateTime<Utc>>,
}

/// An account's latest scores (each from its newest response that had it).
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Satisfaction {
    pub nps: Option<i32>,
    pub nps_category: Option<String>,
    pub nps_at: Option<DateTime<Utc>>,
    pub csat: Option<i32>,
    pub csat_at: Option<DateTime<Utc>>,
    pub ces: Option<i32>,
    pub ces_at: Option<DateTime<Utc>>,
    /// Responses received.
    pub responses: i64,
    pub last_response_at: Option<DateTime<Utc>>,
    /// Complaints still being worked on.
    pub open_complaints: i64,
}

impl From<FeedbackRow> for Feedback {
    fn from(r: FeedbackRow) -> Self {
        Feedback {
            id: r.id,
            account_id: r.account_id,
            external_id: r.external_id,
            nps: r.nps,
            nps_category: r.nps_category,
            csat: r.csat,
            ces: r.ces,
            touchpoint: r.touchpoint,
            channel: r.channel,
            order_id: r.order_id,
            interaction_id: r.interaction_id,
            comment: r.comment,
            occurred_at: utc(r.occurred_at),
            created_at: utc(r.created_at),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Validation

/// A response that passed the edge checks; the account is still to be resolved.
#[derive(Debug, Clone)]
pub struct ValidFeedback {
    account: AccountRef,
    external_id: Option<String>,
    nps: Option<i32>,
    csat: Option<i32>,
    ces: Option<i32>,
    touchpoint: String,
    channel: Option<String>,
    order_id: Option<String>,
    interaction_id: Option<String>,
    comment: Option<String>,
    occurred_at: Option<NaiveDateTime>,
}

use crate::service::text_ok;

/// The edge checks of one response (errors named `{prefix}field`); the account and the
/// references are resolved when it is recorded.
pub fn validate(
    input: &FeedbackInput,
    prefix: &str,
    errors: &mut Vec<FieldError>,
) -> Option<ValidFeedback> {
    let before = errors.len();
    let mut add = |field: &str, message: &str| {
        errors.push(FieldError {
            field: format!("{prefix}{field}"),
            message: message.to_owned(),
        })
    };
    let account = match (&input.account_id, &input.account_external_id) {
        (Some(id), None) if text_ok(id, 100) => Some(AccountRef::Id(id.trim().to_owned())),
        (None, Some(e)) if text_ok(e, 200) => Some(AccountRef::External(e.trim().to_owned())),
        (Some(_), Some(_)) => {
            add(
                "account_id",
                "give account_id or account_external_id, not both",
            );
            None
        }
        (None, None) => {
            add("account_id", "is required (or account_external_id)");
            None
        }
        (Some(_), None) => {
            add("account_id", "must be an account's id");
            None
        }
        (None, Some(_)) => {
            add("account_external_id", "must be 1 to 200 characters");
            None
        }
    };
    if input
        .external_id
        .as_deref()
        .is_some_and(|e| !text_ok(e, 200))
    {
        add(
            "external_id",
            "must be 1 to 200 characters without control characters",
        );
    }
    for (field, value, (low, high)) in [
        ("nps", input.nps, NPS_RANGE),
        ("csat", input.csat, CSAT_RANGE),
        ("ces", input.ces, CES_RANGE),
    ] {
        if value.is_some_and(|v| !(low..=high).contains(&v)) {
            add(
                field,
                &format!("must be a whole number from {low} to {high}"),
            );
        }
    }
    if input.nps.is_none() && input.csat.is_none() && input.ces.is_none() {
        add("nps", "give at least one score: nps, csat or ces");
    }
    match input.touchpoint.as_deref() {
        None => add(
            "touchpoint",
            &format!("is required: one of {}", TOUCHPOINTS.join(", ")),
        ),
        Some(t) if !TOUCHPOINTS.contains(&t) => add(
            "touchpoint",
            &format!("must be one of {}", TOUCHPOINTS.join(", ")),
        ),
        _ => {}
    }
    if input
        .channel
        .as_deref()
        .is_some_and(|c| Channel::parse(c).is_none())
    {
        add("channel", &format!("must be one of {}", Channel::choices()));
    }
    if input.order_id.as_deref().is_some_and(|v| !text_ok(v, 100)) {
        add("order_id", "must be an order's id");
    }
    if input
        .interaction_id
        .as_deref()
        .is_some_and(|v| !text_ok(v, 100))
    {
        add("interaction_id", "must be an interaction's id");
    }
    if input
        .comment
        .as_deref()
        .is_some_and(|c| c.trim().is_empty() || c.chars().count() > 5000)
    {
        add("comment", "must be 1 to 5,000 characters");
    }
    if input.occurred_at.is_some_and(|at| {
        at > Utc::now()
            + chrono::Duration::minutes(crate::service::orders::FUTURE_TOLERANCE_MINUTES)
    }) {
        add("occurred_at", "must not be in the future");
    }
    if errors.len() > before {
        return None;
    }
    Some(ValidFeedback {
        account: account?,
        external_id: input.external_id.as_deref().map(|e| e.trim().to_owned()),
        nps: input.nps,
        csat: input.csat,
        ces: input.ces,
        touchpoint: input.touchpoint.clone()?,
        channel: input.channel.clone(),
        order_id: input.order_id.as_deref().map(|v| v.trim().to_owned()),
        interaction_id: input.interaction_id.as_deref().map(|v| v.trim().to_owned()),
        comment: input.comment.as_deref().map(|c| c.trim().to_owned()),
        occurred_at: input.occurred_at.map(stored),
    })
}

// ---------------------------------------------------------------------------------------
// Ingestion

enum Ingested {
    Created(Box<FeedbackRow>),
    Duplicate { id: String, external_id: String },
}

/// Resolves accounts and references, skips known `external_id`s, inserts the new responses
/// and moves their accounts' latest scores, inside the caller's transaction. Any unknown
/// account or reference fails the whole call with errors named `{prefix(i)}field`.
fn ingest(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    items: Vec<ValidFeedback>,
    prefix: impl Fn(usize) -> String,
) -> Result<Vec<Ingested>, ApiError> {
    let at = now();
    let ws = cx.principal().workspace_id.clone();
    let ids: Vec<&str> = items
        .iter()
        .filter_map(|o| match &o.account {
            AccountRef::Id(id) => Some(id.as_str()),
            AccountRef::External(_) => None,
        })
        .collect();
    let externals: Vec<&str> = items
        .iter()
        .filter_map(|o| match &o.account {
            AccountRef::External(e) => Some(e.as_str()),
            AccountRef::Id(_) => None,
        })
        .collect();
    let mut resolved: HashMap<AccountRef, String> = HashMap::new();
    for (id, external) in rapport_persistence::orders::live_accounts(conn, &ws, &ids, &externals)? {
        if let Some(e) = external {
            resolved.insert(AccountRef::External(e), id.clone());
        }
        resolved.insert(AccountRef::Id(id.clone()), id);
    }
    let wanted: Vec<&str> = items
        .iter()
        .filter_map(|o| o.external_id.as_deref())
        .collect();
    let mut known: HashMap<String, String> = store::existing_external_ids(conn, &ws, &wanted)?
        .into_iter()
        .collect();
    let mut errors = Vec::new();
    let mut results = Vec::with_capacity(items.len());
    let mut rows = Vec::new();
    for (i, f) in items.into_iter().enumerate() {
        let Some(account_id) = resolved.get(&f.account).cloned() else {
            let field = match f.account {
                AccountRef::Id(_) => "account_id",
                AccountRef::External(_) => "account_external_id",
            };
            errors.push(FieldError {
                field: format!("{}{field}", prefix(i)),
                message: "no live account with this id in the workspace".into(),
            });
            continue;
        };
        if let Some(order_id) = &f.order_id {
            let order = rapport_persistence::orders::find(conn, &ws, order_id)?;
            if order.is_none_or(|o| o.account_id != account_id) {
                errors.push(FieldError {
                    field: format!("{}order_id", prefix(i)),
                    message: "no order of this account with this id in the workspace".into(),
                });
                continue;
            }
        }
        if let Some(interaction_id) = &f.interaction_id {
            let found = rapport_persistence::interactions::find(conn, &ws, interaction_id)?;
            if found.is_none_or(|x| x.account_id != account_id) {
                errors.push(FieldError {
                    field: format!("{}interaction_id", prefix(i)),
                    message: "no interaction of this account with this id in the workspace".into(),
                });
                continue;
            }
        }
        if let Some(existing) = f.external_id.as_ref().and_then(|e| known.get(e)) {
            results.push(Ingested::Duplicate {
                id: existing.clone(),
                external_id: f.external_id.clone().unwrap_or_default(),
            });
            continue;
        }
        let row = FeedbackRow {
            id: new_id(),
            workspace_id: ws.clone(),
            account_id,
            external_id: f.external_id.clone(),
            nps: f.nps,
            nps_category: f.nps.map(|s| rules::nps_category(s).to_owned()),
            csat: f.csat,
            ces: f.ces,
            touchpoint: f.touchpoint,
            channel: f.channel,
            order_id: f.order_id,
            interaction_id: f.interaction_id,
            comment: f.comment,
            occurred_at: f.occurred_at.unwrap_or(at),
            created_at: at,
        };
        if let Some(e) = &f.external_id {
            known.insert(e.clone(), row.id.clone());
        }
        results.push(Ingested::Created(Box::new(row.clone())));
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
            "feedback_in_flight",
            "another request is recording a response with the same external_id; retry to see it as a duplicate",
        ),
        other => other.into(),
    })?;
    for row in &rows {
        cx.emit(DomainEvent::ServiceRecovery {
            account_id: Some(row.account_id.clone()),
            event_type: "feedback.received",
            data: json!({ "object": data(&Feedback::from(row.clone()))? }),
        })?;
    }
    // Latest scores, account by account (the lock order).
    let mut by_account: BTreeMap<&str, Vec<&FeedbackRow>> = BTreeMap::new();
    for row in &rows {
        by_account
            .entry(row.account_id.as_str())
            .or_default()
            .push(row);
    }
    let settings = crate::service::complaints::load_settings(conn, &ws)?;
    for (account_id, mut responses) in by_account {
        responses.sort_by(|a, b| (a.occurred_at, &a.id).cmp(&(b.occurred_at, &b.id)));
        let stored_row = store::lock_satisfaction(conn, &ws, account_id)?;
        let before_category = stored_row.as_ref().and_then(|s| s.nps_category.clone());
        let mut latest = stored_row.clone().unwrap_or(SatisfactionRow {
            workspace_id: ws.clone(),
            account_id: account_id.to_owned(),
            nps: None,
            nps_category: None,
            nps_at: None,
            csat: None,
            csat_at: None,
            ces: None,
            ces_at: None,
            responses: 0,
            last_response_at: responses[0].occurred_at,
            updated_at: at,
        });
        let mut detractor_response: Option<&FeedbackRow> = None;
        for r in &responses {
            latest.responses += 1;
            latest.last_response_at = latest.last_response_at.max(r.occurred_at);
            if let Some(nps) = r.nps {
                if latest.nps_at.is_none_or(|t| r.occurred_at >= t) {
                    latest.nps = Some(nps);
                    latest.nps_category = Some(rules::nps_category(nps).to_owned());
                    latest.nps_at = Some(r.occurred_at);
                }
                if rules::nps_category(nps) == "detractor" {
                    detractor_response = Some(r);
                }
            }
            if let Some(csat) = r.csat {
                if latest.csat_at.is_none_or(|t| r.occurred_at >= t) {
                    latest.csat = Some(csat);
                    latest.csat_at = Some(r.occurred_at);
                }
            }
            if let Some(ces) = r.ces {
                if latest.ces_at.is_none_or(|t| r.occurred_at >= t) {
                    latest.ces = Some(ces);
                    latest.ces_at = Some(r.occurred_at);
                }
            }
        }
        latest.updated_at = at;
        if stored_row.is_some() {
            store::update_satisfaction(conn, &latest)?;
        } else {
            store::insert_satisfaction(conn, &latest)?;
        }
        if latest.nps_category.as_deref() == Some("detractor")
            && before_category.as_deref() != Some("detractor")
        {
            cx.emit(DomainEvent::ServiceRecovery {
                account_id: Some(account_id.to_owned()),
                event_type: "customer.became_detractor",
                data: json!({
                    "account_id": account_id,
                    "nps": latest.nps,
                    "previous_nps_category": before_category,
                    "nps_category": "detractor",
                }),
            })?;
        }
        if let (true, Some(r)) = (settings.auto_open_on_detractor, detractor_response) {
            crate::service::complaints::open_for_detractor(conn, cx, &settings, r, at)?;
        }
    }
    Ok(results)
}

// ---------------------------------------------------------------------------------------
// Use cases

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: FeedbackInput,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<Feedback>, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let mut errors = Vec::new();
    let Some(valid) = validate(&input, "", &mut errors).filter(|_| errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    pipeline::write(state, principal, idem, 201, move |conn, cx| {
        match ingest(conn, cx, vec![valid], |_| String::new())?.pop() {
            Some(Ingested::Created(row)) => {
                let feedback = Feedback::from(*row);
                cx.audit::<(), _>(
                    "feedback.create",
                    "feedback",
                    Some(&feedback.id),
                    None,
                    Some(&feedback),
                )?;
                Ok(feedback)
            }
            Some(Ingested::Duplicate { id, .. }) => Err(ApiError::conflict(
                "duplicate_feedback",
                format!("a response with this external_id exists: {id}"),
            )),
            None => Err(ApiError::internal("ingest returned nothing")),
        }
    })
    .await
}

pub async fn create_batch(
    state: &AppState,
    principal: &Principal,
    batch: FeedbackBatch,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<FeedbackBatchResult>, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    if batch.responses.is_empty() || batch.responses.len() > MAX_BATCH {
        return Err(ApiError::field(
            "responses",
            "must hold 1 to 1,000 responses",
        ));
    }
    let mut errors = Vec::new();
    let valid: Vec<Option<ValidFeedback>> = batch
        .responses
        .iter()
        .enumerate()
        .map(|(i, f)| validate(f, &format!("responses[{i}]."), &mut errors))
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let valid: Vec<ValidFeedback> = valid.into_iter().flatten().collect();
    pipeline::write(state, principal, idem, 200, move |conn, cx| {
        record_batch(conn, cx, valid, |i| format!("responses[{i}]."))
    })
    .await
}

/// Records valid responses in the caller's transaction with the batch's one audit entry:
/// the batch endpoint's and import jobs' one path. Any unknown account or reference fails
/// the whole call (nothing written) with errors named `{prefix(i)}field`.
pub fn record_batch(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    valid: Vec<ValidFeedback>,
    prefix: impl Fn(usize) -> String,
) -> Result<FeedbackBatchResult, ApiError> {
    let results = ingest(conn, cx, valid, prefix)?;
    let mut out = FeedbackBatchResult {
        created: 0,
        duplicates: 0,
        results: Vec::with_capacity(results.len()),
    };
    for (i, r) in results.iter().enumerate() {
        let index = i64::try_from(i).unwrap_or(i64::MAX);
        let (status, id, external_id) = match r {
            Ingested::Created(row) => {
                out.created += 1;
                ("created", row.id.clone(), row.external_id.clone())
            }
            Ingested::Duplicate { id, external_id } => {
                out.duplicates += 1;
                ("duplicate", id.clone(), Some(external_id.clone()))
            }
        };
        out.results.push(FeedbackBatchItem {
            index,
            status: status.into(),
            id,
            external_id,
        });
    }
    let created: Vec<&str> = out
        .results
        .iter()
        .filter(|r| r.status == "created")
        .map(|r| r.id.as_str())
        .collect();
    cx.audit::<(), _>(
        "feedback.batch",
        "feedback",
        None,
        None,
        Some(&json!({
            "created": out.created,
            "duplicates": out.duplicates,
            "feedback_ids": created,
        })),
    )?;
    Ok(out)
}

pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<Feedback, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let ws = principal.workspace_id.clone();
    let id = id.to_owned();
    state
        .db
        .run(move |conn| {
            store::find(conn, &ws, &id)?
                .map(Feedback::from)
                .ok_or_else(|| ApiError::not_found("no feedback response with that id"))
        })
        .await
}

fn cursor_of(row: &FeedbackRow) -> String {
    cursor::encode_instant("occurred_at", utc(row.occurred_at), &row.id)
}

/// Responses newest first (`occurred_at`, then id), filtered, in keyset pages.
pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: FeedbackQuery,
) -> Result<Page<Feedback>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let limit = page_limit(query.limit)?;
    let p = principal.clone();
    state
        .db
        .run(move |conn| list_in(conn, &p, query, limit))
        .await
}

/// A page of `limit` responses read inside a connection closure: the list's filters and
/// cursor (exports page through it in their snapshot).
pub fn list_in(
    conn: &mut DbConn,
    principal: &Principal,
    query: FeedbackQuery,
    limit: i64,
) -> Result<Page<Feedback>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let after = query
        .after
        .as_deref()
        .map(|a| cursor::decode_instant(a, "occurred_at"))
        .transpose()?;
    if query
        .touchpoint
        .as_deref()
        .is_some_and(|t| !TOUCHPOINTS.contains(&t))
    {
        return Err(ApiError::field(
            "touchpoint",
            format!("must be one of {}", TOUCHPOINTS.join(", ")),
        ));
    }
    if query
        .nps_category
        .as_deref()
        .is_some_and(|c| !rules::NPS_CATEGORIES.contains(&c))
    {
        return Err(ApiError::field(
            "nps_category",
            "must be promoter, passive or detractor",
        ));
    }
    let filter = FeedbackFilter {
        account_id: query.account_id,
        touchpoint: query.touchpoint,
        channel: query.channel,
        nps_category: query.nps_category,
        external_id: query.external_id,
        occurred_after: query.occurred_after.map(stored),
        occurred_before: query.occurred_before.map(stored),
    };
    let rows = store::list(conn, &principal.workspace_id, &filter, after, limit + 1)?;
    let request = PageRequest { limit, after: None };
    Ok(Page::from_rows(rows, &request, cursor_of, Feedback::from))
}

/// An account's responses (404 when the account is not live).
pub async fn list_for_account(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    mut query: FeedbackQuery,
) -> Result<Page<Feedback>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let ws = principal.workspace_id.clone();
    let id = account_id.to_owned();
    state
        .db
        .run(move |conn| {
            rapport_persistence::accounts::find(conn, &ws, &id)?
                .map(|_| ())
                .ok_or_else(|| ApiError::not_found("no account with that id"))
        })
        .await?;
    query.account_id = Some(account_id.to_owned());
    list(state, principal, query).await
}

/// The account's latest scores and open complaints, read inside a connection closure
/// (`None`: no response and no complaint).
pub fn satisfaction_of(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> Result<Option<Satisfaction>, ApiError> {
    let row = store::find_satisfaction(conn, workspace_id, account_id)?;
    let open = rapport_persistence::complaints::active_count(conn, workspace_id, account_id)?;
    if row.is_none() && open == 0 {
        return Ok(None);
    }
    Ok(Some(Satisfaction {
        nps: row.as_ref().and_then(|r| r.nps),
        nps_category: row.as_ref().and_then(|r| r.nps_category.clone()),
        nps_at: row.as_ref().and_then(|r| r.nps_at).map(utc),
        csat: row.as_ref().and_then(|r| r.csat),
        csat_at: row.as_ref().and_then(|r| r.csat_at).map(utc),
        ces: row.as_ref().and_then(|r| r.ces),
        ces_at: row.as_ref().and_then(|r| r.ces_at).map(utc),
        responses: row.as_ref().map_or(0, |r| r.responses),
        last_response_at: row.as_ref().map(|r| utc(r.last_response_at)),
        open_complaints: open,
    }))
}

/// [`satisfaction_of`] through the pool (GraphQL `Account.satisfaction`).
pub async fn satisfaction(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
) -> Result<Option<Satisfaction>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let ws = principal.workspace_id.clone();
    let id = account_id.to_owned();
    state
        .db
        .run(move |conn| satisfaction_of(conn, &ws, &id))
        .await
}
