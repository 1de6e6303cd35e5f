//! Complaints: opened on an account (optionally an order, a contact, an interaction or a
//! detractor's response), with a category, a severity and its service levels (first response
//! and resolution due times, per workspace), an owner, a status with its history, notes on
//! the complaint's timeline, and a resolution with compensation ([`resolve`]). Breaches of
//! the service levels are flags computed against the clock on every read, and events
//! published once by the SLA job ([`sla`]).
//!
//! Rules chosen here:
//! - Status moves: `open`/`in_progress`/`waiting_for_customer`/`reopened` move among
//!   themselves by `POST …/status`; `resolved` only through `POST …/resolve` (with its outcome);
//!   `closed` only from `resolved`; `reopened` only from `resolved` or `closed`
//!   (`POST …/reopen`). Any other move is a 409 `invalid_status_transition`.
//! - The first response is the first status change, note or resolution after opening.
//! - References (order, contact, interaction, owner) must be the account's (the owner: a
//!   user of the workspace), else a 422 naming the field.

pub mod resolve;
pub mod sla;

use chrono::{DateTime, NaiveDateTime, Utc};
use rapport_domain::access::{Role, Scope};
use rapport_domain::crm::Channel;
use rapport_domain::feedback::{self as rules, SEVERITIES, STATUSES};
use rapport_persistence::complaints::{self as store, ComplaintFilter, ComplaintRow, HistoryRow};
use rapport_persistence::feedback::FeedbackRow;
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Actor, Principal};
use crate::error::{ApiError, FieldError};
use crate::service::cursor;
use crate::service::events::domain::{data, DomainEvent};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::pipeline::{self, WriteContext};
use crate::service::text_ok;
use crate::service::{new_id, now, page_limit, stored, utc, Page, PageRequest};
use crate::state::AppState;

pub use resolve::{resolve, Compensation, Resolution, ResolveInput};

// ---------------------------------------------------------------------------------------
// Settings

/// Service levels of one severity, in minutes from opening.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[serde(deny_unknown_fields)]
pub struct SeveritySla {
    /// `low`, `medium`, `high` or `critical`.
    #[schema(schema_with = crate::openapi::names::complaint_severity)]
    pub severity: String,
    /// Minutes to the first response, 1 to 525,600.
    pub first_response_minutes: i64,
    /// Minutes to the resolution, 1 to 525,600, at least the first response's.
    pub resolution_minutes: i64,
}

/// The workspace's complaint settings: service levels, automatic complaints from detractors
/// and the compensation each role may grant.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ComplaintSettings {
    /// One per severity.
    pub sla: Vec<SeveritySla>,
    /// Open a complaint from every detractor response (NPS 0-6) of an account without an
    /// active complaint.
    pub auto_open_on_detractor: bool,
    /// The severity of those complaints.
    pub auto_open_severity: String,
    /// Most points an agent (or an API key without `admin`) may grant in one resolution;
    /// `null`: no limit.
    #[graphql(
        skip,
        derived(
            name = "agent_max_points",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub agent_max_points: Option<i64>,
    /// Most refund (minor units of the reporting currency) an agent may grant; `null`: no limit.
    #[graphql(
        skip,
        derived(
            name = "agent_max_refund",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub agent_max_refund: Option<i64>,
    /// The same for managers (owners and admins have no limit).
    #[graphql(
        skip,
        derived(
            name = "manager_max_points",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub manager_max_points: Option<i64>,
    #[graphql(
        skip,
        derived(
            name = "manager_max_refund",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub manager_max_refund: Option<i64>,
    pub version: i64,
}

impl Default for ComplaintSettings {
    fn default() -> Self {
        Self {
            sla: SEVERITIES
                .iter()
                .map(|s| {
                    let (first, resolution) = rules::default_sla_minutes(s);
                    SeveritySla {
                        severity: (*s).to_owned(),
                        first_response_minutes: first,
                        resolution_minutes: resolution,
                    }
                })
                .collect(),
            auto_open_on_detractor: false,
            auto_open_severity: "medium".into(),
            agent_max_points: Some(1_000),
            agent_max_refund: Some(5_000),
            manager_max_points: None,
            manager_max_refund: None,
            version: 0,
        }
    }
}

impl ComplaintSettings {
    /// (first response, resolution) due times of a complaint of `severity` opened at `at`.
    pub fn due(&self, severity: &str, at: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
        let (first, resolution) = self
            .sla
            .iter()
            .find(|s| s.severity == severity)
            .map_or_else(
                || rules::default_sla_minutes(severity),
                |s| (s.first_response_minutes, s.resolution_minutes),
            );
        (
            at + chrono::Duration::minutes(first),
            at + chrono::Duration::minutes(resolution),
        )
    }

    /// The most points and refund `principal` may grant (`None`: no limit).
    pub fn limits_of(&self, principal: &Principal) -> (Option<i64>, Option<i64>) {
        match &principal.actor {
            Actor::User { role, .. } => match role {
                Role::Owner | Role::Admin => (None, None),
                Role::Manager => (self.manager_max_points, self.manager_max_refund),
                Role::Agent | Role::Viewer => (self.agent_max_points, self.agent_max_refund),
            },
            Actor::ApiKey { .. } if principal.scopes.allows(Scope::Admin) => (None, None),
            Actor::ApiKey { .. } => (self.agent_max_points, self.agent_max_refund),
            Actor::System => (None, None),
        }
    }
}

/// A change of the complaint settings; absent members keep their value.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintSettingsInput {
    /// Replaces the service levels of the severities listed.
    pub sla: Option<Vec<SeveritySla>>,
    pub auto_open_on_detractor: Option<bool>,
    #[schema(schema_with = crate::openapi::names::complaint_severity)]
    pub auto_open_severity: Option<String>,
    /// `null` removes the limit (send the member to change it).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>)]
    pub agent_max_points: Option<Option<i64>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>)]
    pub agent_max_refund: Option<Option<i64>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>)]
    pub manager_max_points: Option<Option<i64>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>)]
    pub manager_max_refund: Option<Option<i64>>,
}

/// A member that was sent, even as `null` (`Some(None)`), apart from one that was not (`None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

/// The workspace's settings (defaults until changed), inside a connection closure.
pub fn load_settings(conn: &mut DbConn, workspace_id: &str) -> Result<ComplaintSettings, ApiError> {
    match store::find_settings(conn, workspace_id)? {
        Some(row) => {
            let mut s: ComplaintSettings =
                serde_json::from_str(&row.definition).map_err(ApiError::internal)?;
            s.version = row.version;
            Ok(s)
        }
        None => Ok(ComplaintSettings::default()),
    }
}

pub async fn settings(
    state: &AppState,
    principal: &Principal,
) -> Result<ComplaintSettings, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let ws = principal.workspace_id.clone();
    state.db.run(move |conn| load_settings(conn, &ws)).await
}

const MAX_MINUTES: i64 = 525_600;

pub async fn update_settings(
    state: &AppState,
    principal: &Principal,
    input: ComplaintSettingsInput,
    if_match: Option<i64>,
) -> Result<ComplaintSettings, ApiError> {
    principal.require(Scope::Admin)?;
    let mut errors = Vec::new();
    for (i, s) in input.sla.iter().flatten().enumerate() {
        if !SEVERITIES.contains(&s.severity.as_str()) {
            errors.push(FieldError {
                field: format!("sla[{i}].severity"),
                message: "must be low, medium, high or critical".into(),
            });
        }
        if !(1..=MAX_MINUTES).contains(&s.first_response_minutes) {
            errors.push(FieldError {
                field: format!("sla[{i}].first_response_minutes"),
                message: "must be 1 to 525,600 minutes".into(),
            });
        }
        if !(1..=MAX_MINUTES).contains(&s.resolution_minutes)
            || s.resolution_minutes < s.first_response_minutes
        {
            errors.push(FieldError {
                field: format!("sla[{i}].resolution_minutes"),
                message: "must be 1 to 525,600 minutes and at least first_response_minutes".into(),
            });
        }
    }
    if input
        .auto_open_severity
        .as_deref()
        .is_some_and(|s| !SEVERITIES.contains(&s))
    {
        errors.push(FieldError {
            field: "auto_open_severity".into(),
            message: "must be low, medium, high or critical".into(),
        });
    }
    for (field, v) in [
        ("agent_max_points", input.agent_max_points),
        ("agent_max_refund", input.agent_max_refund),
        ("manager_max_points", input.manager_max_points),
        ("manager_max_refund", input.manager_max_refund),
    ] {
        if v.flatten()
            .is_some_and(|v| !(0..=rapport_domain::money::MAX_MINOR_UNITS).contains(&v))
        {
            errors.push(FieldError {
                field: field.into(),
                message: "must be 0 to 10^13, or null for no limit".into(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let ws = principal.workspace_id.clone();
    pipeline::run(state, principal, move |conn, cx| {
        let at = now();
        let before = load_settings(conn, &ws)?;
        crate::service::versioning::check_version("complaint settings", if_match, before.version)?;
        let mut after = before.clone();
        for s in input.sla.into_iter().flatten() {
            after.sla.retain(|x| x.severity != s.severity);
            after.sla.push(s);
        }
        after
            .sla
            .sort_by_key(|s| SEVERITIES.iter().position(|x| *x == s.severity));
        if let Some(v) = input.auto_open_on_detractor {
            after.auto_open_on_detractor = v;
        }
        if let Some(v) = input.auto_open_severity {
            after.auto_open_severity = v;
        }
        if let Some(v) = input.agent_max_points {
            after.agent_max_points = v;
        }
        if let Some(v) = input.agent_max_refund {
            after.agent_max_refund = v;
        }
        if let Some(v) = input.manager_max_points {
            after.manager_max_points = v;
        }
        if let Some(v) = input.manager_max_refund {
            after.manager_max_refund = v;
        }
        after.version = before.version + 1;
        let row = store::SettingsRow {
            workspace_id: ws.clone(),
            definition: serde_json::to_string(&after).map_err(ApiError::internal)?,
            version: after.version,
            updated_at: at,
        };
        if before.version == 0 {
            store::insert_settings(conn, &row)?;
        } else if store::update_settings(conn, &row, before.version)? == 0 {
            return Err(ApiError::conflict(
                "settings_changed",
                "the settings changed meanwhile; retry",
            ));
        }
        cx.audit(
            "complaint_settings.update",
            "workspace",
            Some(&ws),
            Some(&before),
            Some(&after),
        )?;
        cx.emit(DomainEvent::ServiceRecovery {
            account_id: None,
            event_type: "complaint.settings_updated",
            data: json!({
                "object": data(&after)?,
                "changed_fields": crate::service::events::domain::changed_fields(&before, &after),
            }),
        })?;
        Ok(after)
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Shapes

/// A complaint. The breach flags are computed against the clock at read time.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Complaint {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    #[graphql(skip, derived(name = "account_id", into = "async_graphql::ID", owned))]
    pub account_id: String,
    pub order_id: Option<String>,
    pub contact_id: Option<String>,
    pub interaction_id: Option<String>,
    /// The detractor response that opened it, for automatic complaints.
    pub feedback_id: Option<String>,
    pub category: String,
    /// `low`, `medium`, `high` or `critical`.
    pub severity: String,
    pub channel: Option<String>,
    /// The user handling it.
    pub owner_id: Option<String>,
    pub subject: String,
    pub description: Option<String>,
    /// `open`, `in_progress`, `waiting_for_customer`, `resolved`, `closed` or `reopened`.
    pub status: String,
    pub opened_at: DateTime<Utc>,
    pub first_response_due_at: DateTime<Utc>,
    pub resolution_due_at: DateTime<Utc>,
    pub first_responded_at: Option<DateTime<Utc>>,
    /// The latest resolution.
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The first response came (or is still missing) after its due time.
    pub first_response_breached: bool,
    /// The resolution came (or is still missing) after its due time.
    pub resolution_breached: bool,
    /// What the resolution said.
    pub outcome: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Complaint {
    pub fn of(r: ComplaintRow, at: NaiveDateTime) -> Self {
        let first_response_breached = match r.first_responded_at {
            Some(t) => t > r.first_response_due_at,
            None => rules::is_active(&r.status) && at > r.first_response_due_at,
        };
        let resolution_breached = if rules::is_active(&r.status) {
            at > r.resolution_due_at
        } else {
            r.resolved_at.is_some_and(|t| t > r.resolution_due_at)
        };
        Complaint {
            id: r.id,
            account_id: r.account_id,
            order_id: r.order_id,
            contact_id: r.contact_id,
            interaction_id: r.interaction_id,
            feedback_id: r.feedback_id,
            category: r.category,
            severity: r.severity,
            channel: r.channel,
            owner_id: r.owner_id,
            subject: r.subject,
            description: r.description,
            status: r.status,
            opened_at: utc(r.opened_at),
            first_response_due_at: utc(r.first_response_due_at),
            resolution_due_at: utc(r.resolution_due_at),
            first_responded_at: r.first_responded_at.map(utc),
            resolved_at: r.resolved_at.map(utc),
            closed_at: r.closed_at.map(utc),
            first_response_breached,
            resolution_breached,
            outcome: r.outcome,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

/// A new complaint.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
#[graphql(name = "ComplaintInput")]
pub struct ComplaintInput {
    /// Required.
    pub account_id: Option<String>,
    /// An order of the account.
    pub order_id: Option<String>,
    /// A contact of the account.
    pub contact_id: Option<String>,
    /// An interaction of the account.
    pub interaction_id: Option<String>,
    /// Required, 1 to 100 characters (`delivery`, `billing`, `product_quality`, …).
    #[schema(example = "delivery")]
    pub category: Option<String>,
    /// Required: `low`, `medium`, `high` or `critical`.
    #[schema(schema_with = crate::openapi::names::complaint_severity, example = "high")]
    pub severity: Option<String>,
    #[schema(schema_with = crate::openapi::names::channel_or_null, example = "phone")]
    pub channel: Option<String>,
    /// A user of the workspace.
    pub owner_id: Option<String>,
    /// Required, 1 to 200 characters.
    #[schema(example = "Parcel arrived damaged")]
    pub subject: Option<String>,
    /// Up to 5,000 characters.
    pub description: Option<String>,
    /// When the customer complained (default now; not in the future): due times count from it.
    pub opened_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplaintQuery {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page. Newest first.
    pub after: Option<String>,
    pub account_id: Option<String>,
    #[param(schema_with = crate::openapi::names::complaint_status)]
    pub status: Option<String>,
    #[param(schema_with = crate::openapi::names::complaint_severity)]
    pub severity: Option<String>,
    pub category: Option<String>,
    pub owner_id: Option<String>,
    /// Only complaints opened at or after this instant.
    pub opened_after: Option<DateTime<Utc>>,
    /// Only complaints opened before this instant.
    pub opened_before: Option<DateTime<Utc>>,
}

/// A status change (not `resolved`: see `…/resolve`; not `reopened`: see `…/reopen`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
#[graphql(name = "ComplaintStatusInput")]
pub struct StatusInput {
    /// `in_progress`, `waiting_for_customer` or `closed` (from `resolved`).
    #[schema(example = "in_progress")]
    pub status: Option<String>,
    /// A note kept on the timeline with the change.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
#[graphql(name = "ComplaintAssignInput")]
pub struct AssignInput {
    /// A user of the workspace; `null` leaves it unassigned.
    pub owner_id: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
#[graphql(name = "ComplaintNoteInput")]
pub struct NoteInput {
    /// 1 to 5,000 characters.
    #[schema(example = "Called the customer; replacement on its way")]
    pub body: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
#[graphql(name = "ComplaintReopenInput")]
#[schema(as = ComplaintReopenInput)]
pub struct ReopenInput {
    /// Why it is reopened (kept on the timeline).
    #[schema(example = "The replacement is damaged too")]
    pub reason: Option<String>,
}

/// One entry of a complaint's timeline.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "ComplaintHistoryEntry")]
pub struct HistoryEntry {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    /// `status` (a status change), `note`, `assigned` or `compensation`.
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub body: Option<String>,
    /// `user`, `api_key` or `system`.
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

impl From<HistoryRow> for HistoryEntry {
    fn from(r: HistoryRow) -> Self {
        HistoryEntry {
            id: r.id,
            kind: r.kind,
            from_status: r.from_status,
            to_status: r.to_status,
            body: r.body,
            actor_type: r.actor_type,
            actor_id: r.actor_id,
            occurred_at: utc(r.occurred_at),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Helpers shared by the use cases

/// A timeline entry by the writer.
pub(crate) fn history(
    conn: &mut DbConn,
    cx: &WriteContext,
    complaint: &ComplaintRow,
    kind: &str,
    from_to: Option<(&str, &str)>,
    body: Option<String>,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let p = cx.principal();
    store::insert_history(
        conn,
        &HistoryRow {
            id: new_id(),
            workspace_id: complaint.workspace_id.clone(),
            complaint_id: complaint.id.clone(),
            kind: kind.to_owned(),
            from_status: from_to.map(|(f, _)| f.to_owned()),
            to_status: from_to.map(|(_, t)| t.to_owned()),
            body,
            actor_type: p.actor_type().to_owned(),
            actor_id: p.actor_id().map(str::to_owned),
            occurred_at: at,
        },
    )?;
    Ok(())
}

/// The live complaint, locked, or 404.
pub(crate) fn load_locked(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
) -> Result<ComplaintRow, ApiError> {
    store::lock(conn, workspace_id, id)?
        .ok_or_else(|| ApiError::not_found("no complaint with that id"))
}

/// Writes `row` (one version after `before`) or fails with a 409 when it changed meanwhile.
pub(crate) fn save(
    conn: &mut DbConn,
    row: &ComplaintRow,
    before: &ComplaintRow,
) -> Result<(), ApiError> {
    if store::update(conn, row, before.version)? == 0 {
        return Err(ApiError::conflict(
            "complaint_changed",
            "the complaint changed meanwhile; retry",
        ));
    }
    Ok(())
}

pub(crate) fn emit(
    cx: &mut WriteContext,
    event_type: &'static str,
    complaint: &Complaint,
    extra: serde_json::Value,
) -> Result<(), ApiError> {
    let mut body = json!({ "object": data(complaint)? });
    if let (Some(obj), serde_json::Value::Object(more)) = (body.as_object_mut(), extra) {
        obj.extend(more);
    }
    cx.emit(DomainEvent::ServiceRecovery {
        account_id: Some(complaint.account_id.clone()),
        event_type,
        data: body,
    })
}

fn clean(
    field: &str,
    value: Option<&str>,
    max: usize,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match value {
        None if required => {
            errors.push(FieldError {
                field: field.into(),
                message: "is required".into(),
            });
            None
        }
        None => None,
        Some(v) if v.trim().is_empty() || v.chars().count() > max => {
            errors.push(FieldError {
                field: field.into(),
                message: format!("must be 1 to {max} characters"),
            });
            None
        }
        Some(v) => Some(v.trim().to_owned()),
    }
}

fn check_owner(conn: &mut DbConn, ws: &str, owner: Option<&str>) -> Result<(), ApiError> {
    if let Some(owner) = owner {
        if rapport_persistence::users::find(conn, ws, owner)?.is_none() {
            return Err(ApiError::field(
                "owner_id",
                "no user with this id in the workspace",
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Use cases

/// Opens a complaint inside the caller's transaction (validated row).
fn open_in_tx(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    row: ComplaintRow,
) -> Result<Complaint, ApiError> {
    store::insert(conn, &row)?;
    history(
        conn,
        cx,
        &row,
        "status",
        Some(("", "open")),
        None,
        row.created_at,
    )?;
    let complaint = Complaint::of(row, now());
    cx.audit::<(), _>(
        "complaint.open",
        "complaint",
        Some(&complaint.id),
        None,
        Some(&complaint),
    )?;
    emit(cx, "complaint.opened", &complaint, json!({}))?;
    Ok(complaint)
}

/// The complaint a detractor's response opens (workspace setting `auto_open_on_detractor`),
/// unless the account already has an active complaint.
pub(crate) fn open_for_detractor(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    settings: &ComplaintSettings,
    response: &FeedbackRow,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    if store::active_count(conn, &response.workspace_id, &response.account_id)? > 0 {
        return Ok(());
    }
    let severity = settings.auto_open_severity.clone();
    let (first, resolution) = settings.due(&severity, at);
    let subject = format!(
        "Detractor response (NPS {}) on {}",
        response.nps.unwrap_or_default(),
        response.touchpoint
    );
    let row = ComplaintRow {
        id: new_id(),
        workspace_id: response.workspace_id.clone(),
        account_id: response.account_id.clone(),
        order_id: response.order_id.clone(),
        contact_id: None,
        interaction_id: response.interaction_id.clone(),
        feedback_id: Some(response.id.clone()),
        category: "detractor_feedback".into(),
        severity,
        channel: response.channel.clone(),
        owner_id: None,
        subject,
        description: response.comment.clone(),
        status: "open".into(),
        opened_at: at,
        first_response_due_at: first,
        resolution_due_at: resolution,
        first_responded_at: None,
        resolved_at: None,
        closed_at: None,
        first_response_breached_at: None,
        resolution_breached_at: None,
        outcome: None,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    open_in_tx(conn, cx, row).map(|_| ())
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: ComplaintInput,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<Complaint>, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let mut errors = Vec::new();
    let account_id = clean(
        "account_id",
        input.account_id.as_deref(),
        100,
        true,
        &mut errors,
    );
    let category = clean(
        "category",
        input.category.as_deref(),
        100,
        true,
        &mut errors,
    );
    let subject = clean("subject", input.subject.as_deref(), 200, true, &mut errors);
    let description = clean(
        "description",
        input.description.as_deref(),
        5000,
        false,
        &mut errors,
    );
    for (field, v) in [
        ("order_id", &input.order_id),
        ("contact_id", &input.contact_id),
        ("interaction_id", &input.interaction_id),
        ("owner_id", &input.owner_id),
    ] {
        if v.as_deref().is_some_and(|v| !text_ok(v, 100)) {
            errors.push(FieldError {
                field: field.into(),
                message: "must be an id".into(),
            });
        }
    }
    match input.severity.as_deref() {
        Some(s) if SEVERITIES.contains(&s) => {}
        _ => errors.push(FieldError {
            field: "severity".into(),
            message: "is required: low, medium, high or critical".into(),
        }),
    }
    if input
        .channel
        .as_deref()
        .is_some_and(|c| Channel::parse(c).is_none())
    {
        errors.push(FieldError {
            field: "channel".into(),
            message: format!("must be one of {}", Channel::choices()),
        });
    }
    if input.opened_at.is_some_and(|at| {
        at > Utc::now()
            + chrono::Duration::minutes(crate::service::orders::FUTURE_TOLERANCE_MINUTES)
    }) {
        errors.push(FieldError {
            field: "opened_at".into(),
            message: "must not be in the future".into(),
        });
    }
    let (Some(account_id), Some(category), Some(subject), Some(severity), true) = (
        account_id,
        category,
        subject,
        input.severity.clone(),
        errors.is_empty(),
    ) else {
        return Err(ApiError::validation(errors));
    };
    let ws = principal.workspace_id.clone();
    pipeline::write(state, principal, idem, 201, move |conn, cx| {
        let at = now();
        let account = rapport_persistence::accounts::find(conn, &ws, &account_id)?;
        if account.is_none() {
            return Err(ApiError::field(
                "account_id",
                "no live account with this id in the workspace",
            ));
        }
        if let Some(id) = &input.order_id {
            if rapport_persistence::orders::find(conn, &ws, id)?
                .is_none_or(|o| o.account_id != account_id)
            {
                return Err(ApiError::field(
                    "order_id",
                    "no order of this account with this id in the workspace",
                ));
            }
        }
        if let Some(id) = &input.contact_id {
            if rapport_persistence::contacts::find(conn, &ws, id)?
                .is_none_or(|c| c.account_id != account_id)
            {
                return Err(ApiError::field(
                    "contact_id",
                    "no contact of this account with this id in the workspace",
                ));
            }
        }
        if let Some(id) = &input.interaction_id {
            if rapport_persistence::interactions::find(conn, &ws, id)?
                .is_none_or(|x| x.account_id != account_id)
            {
                return Err(ApiError::field(
                    "interaction_id",
                    "no interaction of this account with this id in the workspace",
                ));
            }
        }
        check_owner(conn, &ws, input.owner_id.as_deref())?;
        let settings = load_settings(conn, &ws)?;
        let opened_at = input.opened_at.map_or(at, stored);
        let (first, resolution) = settings.due(&severity, opened_at);
        let row = ComplaintRow {
            id: new_id(),
            workspace_id: ws.clone(),
            account_id,
            order_id: input.order_id,
            contact_id: input.contact_id,
            interaction_id: input.interaction_id,
            feedback_id: None,
            category,
            severity,
            channel: input.channel,
            owner_id: input.owner_id,
            subject,
            description,
            status: "open".into(),
            opened_at,
            first_response_due_at: first,
            resolution_due_at: resolution,
            first_responded_at: None,
            resolved_at: None,
            closed_at: None,
            first_response_breached_at: None,
            resolution_breached_at: None,
            outcome: None,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        open_in_tx(conn, cx, row)
    })
    .await
}

pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<Complaint, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let ws = principal.workspace_id.clone();
    let id = id.to_owned();
    state
        .db
        .run(move |conn| {
            store::find(conn, &ws, &id)?
                .map(|r| Complaint::of(r, now()))
                .ok_or_else(|| ApiError::not_found("no complaint with that id"))
        })
        .await
}

fn cursor_of(row: &ComplaintRow) -> String {
    cursor::encode_instant("opened_at", utc(row.opened_at), &row.id)
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: ComplaintQuery,
) -> Result<Page<Complaint>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let limit = page_limit(query.limit)?;
    let after = query
        .after
        .as_deref()
        .map(|a| cursor::decode_instant(a, "opened_at"))
        .transpose()?;
    if query
        .status
        .as_deref()
        .is_some_and(|s| !STATUSES.contains(&s))
    {
        return Err(ApiError::field(
            "status",
            format!("must be one of {}", STATUSES.join(", ")),
        ));
    }
    if query
        .severity
        .as_deref()
        .is_some_and(|s| !SEVERITIES.contains(&s))
    {
        return Err(ApiError::field(
            "severity",
            "must be low, medium, high or critical",
        ));
    }
    let filter = ComplaintFilter {
        account_id: query.account_id,
        status: query.status,
        severity: query.severity,
        category: query.category,
        owner_id: query.owner_id,
        opened_after: query.opened_after.map(stored),
        opened_before: query.opened_before.map(stored),
    };
    let ws = principal.workspace_id.clone();
    let rows = state
        .db
        .run(move |conn| Ok(store::list(conn, &ws, &filter, after, limit + 1)?))
        .await?;
    let request = PageRequest { limit, after: None };
    let at = now();
    Ok(Page::from_rows(rows, &request, cursor_of, |r| {
        Complaint::of(r, at)
    }))
}

pub async fn list_for_account(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    mut query: ComplaintQuery,
) -> Result<Page<Complaint>, ApiError> {
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

/// The complaint's timeline, oldest first.
pub async fn timeline(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Vec<HistoryEntry>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let ws = principal.workspace_id.clone();
    let id = id.to_owned();
    state
        .db
        .run(move |conn| {
            store::find(conn, &ws, &id)?
                .ok_or_else(|| ApiError::not_found("no complaint with that id"))?;
            Ok(store::history(conn, &ws, &id)?
                .into_iter()
                .map(HistoryEntry::from)
                .collect())
        })
        .await
}

/// Marks the first response (a status change, a note or the resolution) if none came yet.
pub(crate) fn responded(row: &mut ComplaintRow, at: NaiveDateTime) {
    if row.first_responded_at.is_none() {
        row.first_responded_at = Some(at);
    }
}

pub async fn change_status(
    state: &AppState,
    principal: &Principal,
    id: &str,
    input: StatusInput,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<Complaint>, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let mut errors = Vec::new();
    let note = clean("note", input.note.as_deref(), 5000, false, &mut errors);
    let status = match input.status.as_deref() {
        Some(s @ ("in_progress" | "waiting_for_customer" | "closed")) => s.to_owned(),
        _ => {
            errors.push(FieldError {
                field: "status".into(),
                message: "must be in_progress, waiting_for_customer or closed (resolve and reopen have their own operations)".into(),
            });
            String::new()
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let ws = principal.workspace_id.clone();
    let id = id.to_owned();
    pipeline::write(state, principal, idem, 200, move |conn, cx| {
        let at = now();
        let before = load_locked(conn, &ws, &id)?;
        if !rules::may_move(&before.status, &status) {
            return Err(ApiError::conflict(
                "invalid_status_transition",
                format!("a {} complaint cannot move to {status}", before.status),
            ));
        }
        let mut row = before.clone();
        row.status = status.clone();
        if status == "closed" {
            row.closed_at = Some(at);
        }
        responded(&mut row, at);
        row.version += 1;
        row.updated_at = at;
        save(conn, &row, &before)?;
        history(
            conn,
            cx,
            &row,
            "status",
            Some((&before.status, &status)),
            note,
            at,
        )?;
        let complaint = Complaint::of(row, at);
        cx.audit(
            "complaint.status",
            "complaint",
            Some(&complaint.id),
            Some(&Complaint::of(before.clone(), at)),
            Some(&complaint),
        )?;
        emit(
            cx,
            "complaint.updated",
            &complaint,
            json!({ "changed_fields": ["status"], "previous_status": before.status }),
        )?;
        Ok(complaint)
    })
    .await
}

pub async fn assign(
    state: &AppState,
    principal: &Principal,
    id: &str,
    input: AssignInput,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<Complaint>, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    if input.owner_id.as_deref().is_some_and(|v| !text_ok(v, 100)) {
        return Err(ApiError::field("owner_id", "must be a user's id"));
    }
    let ws = principal.workspace_id.clone();
    let id = id.to_owned();
    pipeline::write(state, principal, idem, 200, move |conn, cx| {
        let at = now();
        let before = load_locked(conn, &ws, &id)?;
        check_owner(conn, &ws, input.owner_id.as_deref())?;
        let mut row = before.clone();
        row.owner_id = input.owner_id.clone();
        row.version += 1;
        row.updated_at = at;
        save(conn, &row, &before)?;
        history(conn, cx, &row, "assigned", None, row.owner_id.clone(), at)?;
        let complaint = Complaint::of(row, at);
        cx.audit(
            "complaint.assign",
            "complaint",
            Some(&complaint.id),
            Some(&Complaint::of(before, at)),
            Some(&complaint),
        )?;
        emit(
            cx,
            "complaint.updated",
            &complaint,
            json!({ "changed_fields": ["owner_id"] }),
        )?;
        Ok(complaint)
    })
    .await
}

pub async fn add_note(
    state: &AppState,
    principal: &Principal,
    id: &str,
    input: NoteInput,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<HistoryEntry>, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let mut errors = Vec::new();
    let Some(body) = clean("body", input.body.as_deref(), 5000, true, &mut errors) else {
        return Err(ApiError::validation(errors));
    };
    let ws = principal.workspace_id.clone();
    let id = id.to_owned();
    pipeline::write(state, principal, idem, 201, move |conn, cx| {
        let at = now();
        let before = load_locked(conn, &ws, &id)?;
        let mut row = before.clone();
        if row.first_responded_at.is_none() {
            responded(&mut row, at);
            row.version += 1;
            row.updated_at = at;
            save(conn, &row, &before)?;
        }
        history(conn, cx, &row, "note", None, Some(body), at)?;
        let entry = store::history(conn, &ws, &id)?
            .into_iter()
            .next_back()
            .map(HistoryEntry::from)
            .ok_or_else(|| ApiError::internal("the note was not stored"))?;
        cx.audit::<(), _>("complaint.note", "complaint", Some(&id), None, Some(&entry))?;
        cx.emit(DomainEvent::ServiceRecovery {
            account_id: Some(row.account_id.clone()),
            event_type: "complaint.note_added",
            data: json!({ "complaint_id": id, "object": data(&entry)? }),
        })?;
        Ok(entry)
    })
    .await
}

pub async fn reopen(
    state: &AppState,
    principal: &Principal,
    id: &str,
    input: ReopenInput,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<Complaint>, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let mut errors = Vec::new();
    let reason = clean("reason", input.reason.as_deref(), 5000, false, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let ws = principal.workspace_id.clone();
    let id = id.to_owned();
    pipeline::write(state, principal, idem, 200, move |conn, cx| {
        let at = now();
        let before = load_locked(conn, &ws, &id)?;
        if !rules::may_move(&before.status, "reopened") {
            return Err(ApiError::conflict(
                "invalid_status_transition",
                format!("a {} complaint cannot be reopened", before.status),
            ));
        }
        let mut row = before.clone();
        row.status = "reopened".into();
        row.closed_at = None;
        row.version += 1;
        row.updated_at = at;
        save(conn, &row, &before)?;
        history(
            conn,
            cx,
            &row,
            "status",
            Some((&before.status, "reopened")),
            reason,
            at,
        )?;
        let complaint = Complaint::of(row, at);
        cx.audit(
            "complaint.reopen",
            "complaint",
            Some(&complaint.id),
            Some(&Complaint::of(before, at)),
            Some(&complaint),
        )?;
        emit(cx, "complaint.reopened", &complaint, json!({}))?;
        Ok(complaint)
    })
    .await
}
