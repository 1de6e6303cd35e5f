//! Segments by rules (`/v1/segments`): named rule trees over what Rapport knows of a
//! customer, evaluated at read time against the current data (no materialized member list),
//! so an order, an edit or a refit changes membership with no refresh. Tracked segments also
//! keep their members, to announce entries and exits ([`tracking`]). Previews and member
//! lists can also be asked as of a past instant ([`as_of`]).

pub mod as_of;
pub mod compiled;
pub mod tracking;

use chrono::{DateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::segments::Rule;
use rapport_persistence::accounts as account_store;
use rapport_persistence::segments::{self as store, RuleFilter, SegmentRow};
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::accounts::Account;
use crate::service::events::domain::{data, Change, DomainEvent};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::pipeline;
use crate::service::{new_id, now, utc, versioning, Page, PageRequest};
use crate::state::AppState;

/// Most accounts a preview's sample holds.
pub const MAX_SAMPLE: i64 = 100;

/// A segment: a named rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Segment {
    pub id: String,
    #[schema(example = "High-value customers drifting away")]
    pub name: String,
    pub description: Option<String>,
    /// The rule tree in its canonical form (see `SegmentInput.rule`).
    #[schema(value_type = Object, example = json!({"all": [{"field": "revenue", "op": ">=", "value": 50000}, {"field": "churn_probability", "op": ">", "value": 0.5}]}))]
    pub rule: Value,
    /// Entries and exits publish `customer.segment_entered` / `customer.segment_left`.
    pub tracked: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new segment (and, as a merge patch, a change to one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
pub struct SegmentInput {
    /// 1 to 200 characters.
    #[schema(example = "High-value customers drifting away")]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// A tree of `{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}` (at most 8 deep) and
    /// conditions `{"field", "op", "value"}`. Fields: `orders_count`, `revenue`, `margin`,
    /// `average_order_value`, `first_order_at`, `last_order_at`, `days_since_last_order`,
    /// `rfm_r`/`rfm_f`/`rfm_m`, `rfm_segment`, `churn_probability`, `risk_band`, `clv`,
    /// `expected_orders_90d`, `loyalty_tier`, `loyalty_points`, `lifecycle_stage`, `kind`,
    /// `tags`, `owner_id`, `acquisition_channel`, `acquisition_cost`, `created_at`,
    /// `attributes.<key>`, `consent.<email|sms|push>`, `interactions` (with `type`,
    /// `channel`, `within_last_days`), `orders` (with `category`, `channel`,
    /// `within_last_days`), `open_deals`. Operators: `=`, `!=`, `<`, `<=`, `>`, `>=`,
    /// `between`, `in`, `contains`, `exists`, `within_last_days`. A bad rule is a 422 naming
    /// its path (`rule.all[2].value`).
    #[schema(value_type = Object, example = json!({"all": [{"field": "revenue", "op": ">=", "value": 50000}, {"field": "churn_probability", "op": ">", "value": 0.5}, {"field": "consent.email", "op": "=", "value": "granted"}]}))]
    pub rule: Value,
    /// Publish entries and exits as events (default false).
    #[serde(default)]
    #[graphql(default)]
    pub tracked: bool,
}

/// A rule to try before saving it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentPreviewInput {
    #[schema(value_type = Object, example = json!({"all": [{"field": "revenue", "op": ">=", "value": 50000}, {"field": "churn_probability", "op": ">", "value": 0.5}, {"field": "consent.email", "op": "=", "value": "granted"}, {"field": "kind", "op": "=", "value": "person"}]}))]
    pub rule: Value,
    /// Accounts in the sample, 0 to 100 (default 10), first by id.
    #[serde(default)]
    #[schema(example = 10)]
    pub sample_size: Option<i64>,
    /// Evaluate the rule as of this past instant (RFC 3339; default now). The value fields
    /// (`orders_count`, `revenue`, `margin`, `average_order_value`, `first_order_at`,
    /// `last_order_at`, `days_since_last_order`, `rfm_*`, `rfm_segment`,
    /// `churn_probability`, `risk_band`, `clv`, `expected_orders_90d`) are the account's
    /// metrics as of then, exactly as `GET /v1/accounts/{id}/metrics?as_of=` gives them;
    /// `within_last_days` counts back from it and the `orders`, `interactions` and
    /// `complaints` counts stop at it. Fields without a history (tags, attributes, consent,
    /// lifecycle stage, kind, owner, acquisition, loyalty, satisfaction, open deals and
    /// complaints) use their current values, and every live account is evaluated. In the
    /// future or not RFC 3339: 422 naming `as_of`.
    #[serde(default)]
    #[schema(value_type = Option<DateTime<Utc>>, example = "2026-06-30T00:00:00Z")]
    pub as_of: Option<String>,
}

/// How many live accounts a rule selects (now or as of the instant asked), and the first of
/// them by id.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject)]
pub struct SegmentPreview {
    pub count: i64,
    pub sample: Vec<Account>,
}

impl TryFrom<SegmentRow> for Segment {
    type Error = ApiError;

    fn try_from(row: SegmentRow) -> Result<Self, ApiError> {
        Ok(Segment {
            rule: serde_json::from_str(&row.rule).map_err(ApiError::internal)?,
            id: row.id,
            name: row.name,
            description: row.description,
            tracked: row.tracked,
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        })
    }
}

/// Reads a rule, every issue named by its path under `root`.
pub fn parse_rule(rule: &Value, root: &str) -> Result<Rule, ApiError> {
    Rule::parse(rule, root).map_err(|issues| {
        ApiError::validation(
            issues
                .into_iter()
                .map(|i| FieldError {
                    field: i.path,
                    message: i.message,
                })
                .collect(),
        )
    })
}

struct Valid {
    name: String,
    description: Option<String>,
    rule: Rule,
    tracked: bool,
}

fn validate(input: &SegmentInput) -> Result<Valid, ApiError> {
    let mut errors = Vec::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.contains(char::is_control) {
        errors.push(FieldError {
            field: "name".into(),
            message: "1 to 200 characters, no control characters".into(),
        });
    }
    if input
        .description
        .as_deref()
        .is_some_and(|d| d.chars().count() > 2000)
    {
        errors.push(FieldError {
            field: "description".into(),
            message: "at most 2000 characters".into(),
        });
    }
    let rule = match Rule::parse(&input.rule, "rule") {
        Ok(r) => Some(r),
        Err(issues) => {
            errors.extend(issues.into_iter().map(|i| FieldError {
                field: i.path,
                message: i.message,
            }));
            None
        }
    };
    match rule {
        Some(rule) if errors.is_empty() => Ok(Valid {
            name: name.to_owned(),
            description: input.description.clone(),
            rule,
            tracked: input.tracked,
        }),
        _ => Err(ApiError::validation(errors)),
    }
}

pub use compiled::{compile, context, filter_of, load};

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: SegmentInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<Segment>, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let valid = validate(&input)?;
    pipeline::write(state, principal, idempotency, 201, move |conn, cx| {
        let at = now();
        let row = SegmentRow {
            id: new_id(),
            workspace_id: cx.principal().workspace_id.clone(),
            name: valid.name,
            description: valid.description,
            rule: valid.rule.to_json().to_string(),
            tracked: valid.tracked,
            version: 1,
            created_at: at,
            updated_at: at,
            deleted_at: None,
        };
        store::insert(conn, &row)?;
        if row.tracked {
            // The members it starts with are recorded, not announced: events report changes.
            for event in tracking::resync(conn, &row, &valid.rule, false)? {
                cx.emit(event)?;
            }
        }
        let segment = Segment::try_from(row)?;
        cx.audit::<(), _>(
            "segment.create",
            "segment",
            Some(&segment.id),
            None,
            Some(&segment),
        )?;
        cx.emit(DomainEvent::RuleSegmentChanged {
            change: Change::Created,
            segment: data(&segment)?,
        })?;
        Ok(segment)
    })
    .await
}

pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<Segment, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let (ws, id) = (principal.workspace_id.clone(), id.to_owned());
    state
        .db
        .run(move |conn| load(conn, &ws, &id)?.try_into())
        .await
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    page: PageRequest,
) -> Result<Page<Segment>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let ws = principal.workspace_id.clone();
    let (after, limit) = (page.after.clone(), page.limit);
    let rows = state
        .db
        .run(move |conn| Ok(store::list(conn, &ws, after.as_deref(), limit + 1)?))
        .await?;
    let rows = rows
        .into_iter()
        .map(Segment::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(rows, &page, |s| s.id.clone(), |s| s))
}

pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: &str,
    patch: Value,
    if_match: Option<i64>,
) -> Result<Segment, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    versioning::require_patch_object(&patch)?;
    let id = id.to_owned();
    pipeline::run(state, principal, move |conn, cx| {
        let ws = cx.principal().workspace_id.clone();
        let stored = load(conn, &ws, &id)?;
        versioning::check_version("segment", if_match, stored.version)?;
        let before = Segment::try_from(stored.clone())?;
        let current = SegmentInput {
            name: before.name.clone(),
            description: before.description.clone(),
            rule: before.rule.clone(),
            tracked: before.tracked,
        };
        // A rule is replaced whole: merging two trees would mix their groups.
        let mut patch = patch;
        let new_rule = patch.as_object_mut().and_then(|p| p.remove("rule"));
        let mut input = versioning::merge_patch("a segment", &current, &patch)?;
        if let Some(rule) = new_rule {
            input.rule = rule;
        }
        let valid = validate(&input)?;
        let row = SegmentRow {
            name: valid.name,
            description: valid.description,
            rule: valid.rule.to_json().to_string(),
            tracked: valid.tracked,
            version: stored.version + 1,
            updated_at: now(),
            ..stored.clone()
        };
        versioning::write_versioned("segment", if_match, stored.version, |_| {
            store::update(conn, &row, stored.version)
        })?;
        if row.tracked {
            // Newly tracked: record who is in; already tracked: announce what the new rule
            // changed.
            for event in tracking::resync(conn, &row, &valid.rule, stored.tracked)? {
                cx.emit(event)?;
            }
        } else if stored.tracked {
            store::clear_members(conn, &row.id)?;
        }
        let after = Segment::try_from(row)?;
        cx.audit(
            "segment.update",
            "segment",
            Some(&after.id),
            Some(&before),
            Some(&after),
        )?;
        cx.emit(DomainEvent::RuleSegmentChanged {
            change: Change::updated(&before, &after),
            segment: data(&after)?,
        })?;
        Ok(after)
    })
    .await
}

/// Soft delete: the segment leaves reads and lists; a tracked one stops announcing.
pub async fn delete(
    state: &AppState,
    principal: &Principal,
    id: &str,
    if_match: Option<i64>,
) -> Result<(), ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let id = id.to_owned();
    pipeline::run(state, principal, move |conn, cx| {
        let ws = cx.principal().workspace_id.clone();
        let stored = load(conn, &ws, &id)?;
        let before = Segment::try_from(stored.clone())?;
        let at = now();
        versioning::write_versioned("segment", if_match, stored.version, |version| {
            let deleted = SegmentRow {
                version,
                updated_at: at,
                deleted_at: Some(at),
                ..stored.clone()
            };
            store::update(conn, &deleted, stored.version)
        })?;
        store::clear_members(conn, &id)?;
        cx.audit::<_, ()>("segment.delete", "segment", Some(&id), Some(&before), None)?;
        cx.emit(DomainEvent::RuleSegmentChanged {
            change: Change::Deleted,
            segment: data(&before)?,
        })?;
        Ok(())
    })
    .await
}

/// How many accounts an unsaved rule selects, and a sample.
pub async fn preview(
    state: &AppState,
    principal: &Principal,
    input: SegmentPreviewInput,
) -> Result<SegmentPreview, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let rule = parse_rule(&input.rule, "rule")?;
    let sample_size = input.sample_size.unwrap_or(10);
    if !(0..=MAX_SAMPLE).contains(&sample_size) {
        return Err(ApiError::field("sample_size", "0 to 100"));
    }
    let as_of = crate::service::as_of::parse(input.as_of.as_deref())?;
    let ws = principal.workspace_id.clone();
    state
        .db
        .run(move |conn| {
            let select = |conn: &mut DbConn, filter: RuleFilter| {
                let count = store::count(conn, &ws, &filter)?;
                let sample = if sample_size > 0 {
                    account_store::list(
                        conn,
                        &ws,
                        &account_store::AccountFilter {
                            rule: Some(filter),
                            ..Default::default()
                        },
                        &account_store::AccountOrder::Id { after: None },
                        sample_size,
                    )?
                } else {
                    Vec::new()
                };
                let sample = sample
                    .into_iter()
                    .map(Account::try_from)
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(SegmentPreview { count, sample })
            };
            match as_of {
                None => rapport_persistence::read_transaction(conn, |conn| {
                    let filter = compile(conn, &ws, &rule)?;
                    select(conn, filter)
                }),
                Some(at) => as_of::with_rule_as_of(conn, &ws, &rule, at, select),
            }
        })
        .await
}
