//! Webhook subscriptions (admins): a URL, the event types wanted, a signing secret shown
//! once and rotated with an overlap. Delivery lives beside: [`worker`] delivers the outbox,
//! [`deliveries`] reads the log, redelivers and pings, [`sender`] makes one signed POST.

pub mod deliveries;
pub mod sender;
pub mod signing;
pub mod target;
pub mod worker;

use chrono::{DateTime, Duration as Span, Utc};
use rapport_domain::access::Scope;
use rapport_domain::event_types::TypePattern;
use rapport_persistence::events;
use rapport_persistence::events::FeedFilter;
use rapport_persistence::webhooks::{self as store, WebhookRow, WebhookSettings};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::{new_id, now, pipeline, utc, Page, PageRequest};
use crate::state::AppState;

const MAX_PATTERNS: usize = 50;
const MAX_DESCRIPTION: usize = 500;
/// Events per POST at most for a batched subscription (HubSpot's limit too).
pub const MAX_BATCH_SIZE: i32 = 100;

/// A subscription, without its secret.
#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct Webhook {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    /// Where deliveries are POSTed.
    pub url: String,
    pub description: Option<String>,
    /// Event types delivered: exact (`order.created`), a category (`order.*`) or `*`.
    #[schema(example = json!(["order.*", "deal.won"]))]
    pub event_types: Vec<String>,
    pub enabled: bool,
    /// Events per POST at most. 1: each POST is one event's envelope. 2 to 100: each POST is
    /// `{"data": [event, …]}`, the events in order, as many as are waiting up to this many.
    #[schema(minimum = 1, maximum = 100, example = 1)]
    pub batch_size: i32,
    /// Why the subscription was turned off by the server (it kept failing).
    pub disabled_reason: Option<String>,
    /// Until when the secret replaced by the last rotation still signs deliveries.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A subscription with its signing secret: answered on create and on rotation only.
#[derive(Debug, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    #[graphql(flatten)]
    pub webhook: Webhook,
    /// `whsec_…`: the HMAC key of `Rapport-Signature`. Keep it now; it is not shown again.
    pub secret: String,
}

#[derive(Debug, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// `https://…` on a public address.
    #[schema(example = "https://partner.example.com/rapport/events")]
    pub url: String,
    /// Exact types, categories (`order.*`) or `*`; at least one.
    #[schema(example = json!(["order.*"]))]
    pub event_types: Vec<String>,
    pub description: Option<String>,
    /// Default `true`.
    pub enabled: Option<bool>,
    /// Events per POST at most, 1 to 100; default 1 (one event's envelope per POST). Above 1
    /// each POST is `{"data": [event, …]}`.
    #[schema(minimum = 1, maximum = 100, example = 1)]
    pub batch_size: Option<i32>,
}

/// Fields to change; absent fields stay. An empty `description` clears it; enabling a
/// subscription the server disabled clears the reason and retries at once.
#[derive(Debug, Default, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    pub url: Option<String>,
    pub event_types: Option<Vec<String>>,
    pub description: Option<String>,
    pub enabled: Option<bool>,
    /// 1 to 100; takes effect from the next POST.
    #[schema(minimum = 1, maximum = 100)]
    pub batch_size: Option<i32>,
}

impl TryFrom<WebhookRow> for Webhook {
    type Error = ApiError;
    fn try_from(row: WebhookRow) -> Result<Self, ApiError> {
        Ok(Self {
            event_types: serde_json::from_str(&row.event_types).map_err(ApiError::internal)?,
            id: row.id,
            url: row.url,
            description: row.description,
            enabled: row.enabled,
            batch_size: row.batch_size,
            disabled_reason: row.disabled_reason,
            previous_secret_expires_at: row.previous_secret_expires_at.map(utc),
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        })
    }
}

/// The feed filter of stored patterns (`*` anywhere: every type).
pub fn feed_filter(stored_patterns: &str) -> FeedFilter {
    let patterns: Vec<String> = serde_json::from_str(stored_patterns).unwrap_or_default();
    let mut filter = FeedFilter::default();
    for pattern in patterns {
        match TypePattern::parse(&pattern) {
            Ok(TypePattern::All) => return FeedFilter::default(),
            Ok(TypePattern::Prefix(prefix)) => filter.prefixes.push(prefix),
            Ok(TypePattern::Exact(name)) => filter.types.push(name),
            // Stored patterns were checked when saved; a type retired since matches nothing.
            Err(_) => {}
        }
    }
    if filter.types.is_empty() && filter.prefixes.is_empty() {
        // Nothing valid left: match no type rather than every type.
        filter.types.push(String::new());
    }
    filter
}

fn check_patterns(patterns: &[String], errors: &mut Vec<FieldError>) {
    if patterns.is_empty() || patterns.len() > MAX_PATTERNS {
        errors.push(FieldError {
            field: "event_types".into(),
            message: format!("name 1 to {MAX_PATTERNS} event types"),
        });
    }
    for (i, pattern) in patterns.iter().enumerate() {
        if let Err(message) = TypePattern::parse(pattern) {
            errors.push(FieldError {
                field: format!("event_types[{i}]"),
                message,
            });
        }
    }
}

fn check_url(url: &str, state: &AppState, errors: &mut Vec<FieldError>) {
    if let Err(message) = target::check_url(url, state.config.webhooks.allow_private) {
        errors.push(FieldError {
            field: "url".into(),
            message,
        });
    }
}

fn check_description(description: Option<&str>, errors: &mut Vec<FieldError>) {
    if description.is_some_and(|d| d.chars().count() > MAX_DESCRIPTION) {
        errors.push(FieldError {
            field: "description".into(),
            message: format!("must be at most {MAX_DESCRIPTION} characters"),
        });
    }
}

fn check_batch_size(batch_size: Option<i32>, errors: &mut Vec<FieldError>) {
    if batch_size.is_some_and(|n| !(1..=MAX_BATCH_SIZE).contains(&n)) {
        errors.push(FieldError {
            field: "batch_size".into(),
            message: format!("must be 1 to {MAX_BATCH_SIZE}"),
        });
    }
}

fn normalized_description(description: Option<String>) -> Option<String> {
    description
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
}

fn not_found() -> ApiError {
    ApiError::not_found("no webhook with that id")
}

/// Subscribes; deliveries start with the workspace's next event.
pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: NewWebhook,
) -> Result<WebhookWithSecret, ApiError> {
    principal.require(Scope::Admin)?;
    let mut errors = Vec::new();
    check_url(&input.url, state, &mut errors);
    check_patterns(&input.event_types, &mut errors);
    check_description(input.description.as_deref(), &mut errors);
    check_batch_size(input.batch_size, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let secret = signing::new_secret();
    let at = now();
    let event_types = serde_json::to_string(&input.event_types).map_err(ApiError::internal)?;
    let mut row = WebhookRow {
        id: new_id(),
        workspace_id: principal.workspace_id.clone(),
        url: input.url,
        description: normalized_description(input.description),
        event_types,
        enabled: input.enabled.unwrap_or(true),
        disabled_reason: None,
        secret: secret.clone(),
        previous_secret: None,
        previous_secret_expires_at: None,
        cursor_seq: 0,
        head_attempts: 0,
        failing_since: None,
        next_attempt_at: None,
        lease_holder: None,
        lease_expires_at: None,
        version: 1,
        created_at: at,
        updated_at: at,
        batch_size: input.batch_size.unwrap_or(1),
    };
    let principal = principal.clone();
    let webhook = pipeline::run(state, &principal, move |conn, cx| {
        row.cursor_seq = events::last_seq(conn, &row.workspace_id)?;
        store::insert(conn, &row)?;
        let webhook = Webhook::try_from(row.clone())?;
        cx.audit::<(), _>(
            "webhook.create",
            "webhook",
            Some(&webhook.id),
            None,
            Some(&webhook),
        )?;
        Ok(webhook)
    })
    .await?;
    Ok(WebhookWithSecret { webhook, secret })
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    page: PageRequest,
) -> Result<Page<Webhook>, ApiError> {
    principal.require(Scope::Admin)?;
    let workspace = principal.workspace_id.clone();
    let request = page.clone();
    let rows = state
        .db
        .run(move |conn| {
            Ok(store::list(
                conn,
                &workspace,
                request.after.as_deref(),
                request.limit + 1,
            )?)
        })
        .await?;
    let mut hooks = Page::from_rows(rows, &page, |r| r.id.clone(), Webhook::try_from);
    let data = hooks.data.drain(..).collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        data,
        next_cursor: hooks.next_cursor,
    })
}

pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<Webhook, ApiError> {
    principal.require(Scope::Admin)?;
    let (workspace, id) = (principal.workspace_id.clone(), id.to_owned());
    state
        .db
        .run(move |conn| {
            store::find(conn, &workspace, &id)?
                .ok_or_else(not_found)?
                .try_into()
        })
        .await
}

pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: &str,
    patch: WebhookPatch,
) -> Result<Webhook, ApiError> {
    principal.require(Scope::Admin)?;
    let mut errors = Vec::new();
    if let Some(url) = &patch.url {
        check_url(url, state, &mut errors);
    }
    if let Some(patterns) = &patch.event_types {
        check_patterns(patterns, &mut errors);
    }
    check_description(patch.description.as_deref(), &mut errors);
    check_batch_size(patch.batch_size, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let event_types = patch
        .event_types
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(ApiError::internal)?;
    let principal = principal.clone();
    let id = id.to_owned();
    let updated = pipeline::run(state, &principal.clone(), move |conn, cx| {
        let workspace = principal.workspace_id.clone();
        let row = store::find(conn, &workspace, &id)?.ok_or_else(not_found)?;
        let before = Webhook::try_from(row.clone())?;
        let enabling = patch.enabled == Some(true) && !row.enabled;
        let enabled = patch.enabled.unwrap_or(row.enabled);
        let settings = WebhookSettings {
            url: patch.url.unwrap_or(row.url),
            description: match patch.description {
                Some(d) => normalized_description(Some(d)),
                None => row.description,
            },
            event_types: event_types.unwrap_or(row.event_types),
            enabled,
            disabled_reason: if enabled { None } else { row.disabled_reason },
            batch_size: patch.batch_size.unwrap_or(row.batch_size),
            version: row.version + 1,
            updated_at: now(),
        };
        store::update_settings(conn, &workspace, &id, &settings, enabling)?;
        let after: Webhook = store::find(conn, &workspace, &id)?
            .ok_or_else(not_found)?
            .try_into()?;
        cx.audit(
            "webhook.update",
            "webhook",
            Some(&id),
            Some(&before),
            Some(&after),
        )?;
        Ok(after)
    })
    .await?;
    state.outbox_notify.notify_one();
    Ok(updated)
}

/// Deletes the subscription and its delivery log; deliveries stop at once.
pub async fn delete(state: &AppState, principal: &Principal, id: &str) -> Result<(), ApiError> {
    principal.require(Scope::Admin)?;
    let principal = principal.clone();
    let id = id.to_owned();
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        let workspace = principal.workspace_id.clone();
        let before: Webhook = store::find(conn, &workspace, &id)?
            .ok_or_else(not_found)?
            .try_into()?;
        store::delete(conn, &workspace, &id)?;
        cx.audit::<_, ()>("webhook.delete", "webhook", Some(&id), Some(&before), None)?;
        Ok(())
    })
    .await
}

/// A new secret; the current one keeps signing (a second `v1=`) for the overlap window
/// (`RAPPORT_WEBHOOKS_SECRET_OVERLAP_SECS`, a day by default) while receivers switch.
pub async fn rotate_secret(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<WebhookWithSecret, ApiError> {
    principal.require(Scope::Admin)?;
    let overlap = i64::try_from(state.config.webhooks.secret_overlap_secs).unwrap_or(i64::MAX);
    let principal = principal.clone();
    let id = id.to_owned();
    let secret = signing::new_secret();
    let new_secret = secret.clone();
    let webhook = pipeline::run(state, &principal.clone(), move |conn, cx| {
        let workspace = principal.workspace_id.clone();
        let row = store::find(conn, &workspace, &id)?.ok_or_else(not_found)?;
        let at = now();
        let until = at
            .checked_add_signed(Span::seconds(overlap))
            .unwrap_or(chrono::NaiveDateTime::MAX);
        store::rotate_secret(conn, &workspace, &id, &new_secret, &row.secret, until, at)?;
        let after: Webhook = store::find(conn, &workspace, &id)?
            .ok_or_else(not_found)?
            .try_into()?;
        cx.audit::<(), _>(
            "webhook.rotate_secret",
            "webhook",
            Some(&id),
            None,
            Some(&after),
        )?;
        Ok(after)
    })
    .await?;
    Ok(WebhookWithSecret { webhook, secret })
}

/// The secrets that sign a delivery now: the current one, and the previous one during the
/// overlap after a rotation.
pub fn signing_secrets(row: &WebhookRow, at: chrono::NaiveDateTime) -> Vec<&str> {
    let mut secrets = vec![row.secret.as_str()];
    if let (Some(previous), Some(until)) = (&row.previous_secret, row.previous_secret_expires_at) {
        if at < until {
            secrets.push(previous);
        }
    }
    secrets
}
