//! Sales pipelines and deals: pipelines with ordered stages (add, rename, reorder, archive in
//! one merge patch), deals with filters and keyset pages, the move between stages as the one
//! way a deal changes stage (with its history), reopening, and the pipeline analytics.
//!
//! Rules chosen here:
//! - A pipeline's writable form is `{name, stages: [...]}`; a PATCH that sends `stages`
//!   replaces the list (RFC 7396): the order given is the new order, an entry with an `id`
//!   keeps (and may rename or re-weight) that stage, one without adds a stage, and an active
//!   stage left out is archived. A stage's kind never changes. An open stage that still holds
//!   deals cannot be archived (422); won and lost stages can (their deals stay closed there).
//!   Sending an archived stage's id again brings it back.
//! - Pipelines are configuration: agents may not change them (403 `not_allowed`).
//! - A deal is created in an open stage (the first one when `stage_id` is absent), and that
//!   first entry is its first stage-history row. Afterwards only `move` and `reopen` change
//!   its stage; a PATCH naming `stage_id`, `pipeline_id` or `account_id` is a 422.
//! - A won or lost deal does not move; `reopen` brings it back into an open stage, which
//!   clears `closed_at` and `lost_reason`. Re-winning it later is a new win at a new time.
//! - Every write of a deal checks its version in the UPDATE itself, so of two concurrent
//!   moves from the same version exactly one succeeds and the other gets 412.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use rapport_domain::access::{Role, Scope};
use rapport_domain::deals::{self as rules, MoveError, StageFacts, StageKind};
use rapport_domain::money::{Currency, MinorUnits};
use rapport_persistence::accounts as account_store;
use rapport_persistence::contacts as contact_store;
use rapport_persistence::deals::{
    self as store, DealFilter, DealRow, PipelineRow, StageChangeRow, StageRow, StagesEntered,
    StayDayRow, NOT_LEFT,
};
use rapport_persistence::users as user_store;
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::events::domain::{data, Change, DealOutcome, DomainEvent};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::pipeline;
use crate::service::versioning;
use crate::service::{new_id, now, page_request, stored, utc, Page, PageRequest};
use crate::state::AppState;

pub const MAX_NAME: usize = 100;
pub const MAX_TITLE: usize = 200;
pub const MAX_STAGES: usize = 50;
pub const MAX_LOST_REASON: usize = 500;
/// The analytics period when none is given: the last 365 days.
pub const DEFAULT_PERIOD_DAYS: i64 = 365;

// ---------------------------------------------------------------------------------------
// Shapes

/// A stage of a pipeline.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Stage {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    pub name: String,
    /// Win probability in percent, 0 to 100 (weights the forecast).
    pub probability: i32,
    /// `open`, `won` or `lost`.
    pub kind: String,
    /// 0-based place in the pipeline (archived stages come after the active ones).
    pub position: i32,
    pub archived: bool,
}

/// A sales pipeline: its active stages in order, and the archived ones kept for history.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Pipeline {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    pub name: String,
    /// Active stages in pipeline order.
    pub stages: Vec<Stage>,
    /// Stages taken out of the pipeline; deals' history still points at them.
    pub archived_stages: Vec<Stage>,
    pub archived: bool,
    /// Bumped by every change (stages included); send it back in `If-Match`.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A stage as a client writes it: with `id` to keep an existing stage, without to add one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageInput {
    /// An existing stage of this pipeline (absent: a new stage).
    pub id: Option<String>,
    /// 1 to 100 characters.
    #[schema(value_type = String, min_length = 1, max_length = 100, example = "Proposal")]
    pub name: Option<String>,
    /// 0 to 100; required for open stages, defaults to 100 for won and 0 for lost.
    #[schema(minimum = 0, maximum = 100, example = 40)]
    pub probability: Option<i32>,
    /// `open`, `won` or `lost`; required for a new stage, unchangeable afterwards.
    #[schema(schema_with = crate::openapi::names::stage_kind_or_null, example = "open")]
    pub kind: Option<String>,
}

/// A pipeline's writable form: the create body, and what a PATCH merges into.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelineInput {
    /// Required on create, 1 to 100 characters.
    #[schema(value_type = String, min_length = 1, max_length = 100, example = "New business")]
    pub name: Option<String>,
    /// Required on create: the stages in order, at least one open stage, at most 50.
    #[schema(value_type = Vec<StageInput>, min_items = 1, max_items = 50)]
    pub stages: Option<Vec<StageInput>>,
}

/// A deal: a sale in flight on an account.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(complex)]
pub struct Deal {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    #[graphql(skip, derived(name = "account_id", into = "async_graphql::ID", owned))]
    pub account_id: String,
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
    pub title: String,
    /// Minor units (cents) of `currency`.
    #[graphql(
        skip,
        derived(name = "amount", into = "crate::graphql::scalars::Long", owned)
    )]
    pub amount: i64,
    pub currency: String,
    #[graphql(skip, derived(name = "pipeline_id", into = "async_graphql::ID", owned))]
    pub pipeline_id: String,
    #[graphql(skip, derived(name = "stage_id", into = "async_graphql::ID", owned))]
    pub stage_id: String,
    /// `open`, `won` or `lost`: the kind of its stage.
    #[schema(schema_with = crate::openapi::names::stage_kind)]
    pub status: String,
    #[graphql(
        skip,
        derived(
            name = "owner_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub owner_id: Option<String>,
    #[graphql(
        skip,
        derived(
            name = "expected_close_on",
            into = "Option<crate::graphql::scalars::Date>",
            owned,
            with = "crate::graphql::scalars::date_opt"
        )
    )]
    pub expected_close_on: Option<NaiveDate>,
    /// Where the deal came from (e.g. `referral`, `inbound`); per-source win rates use it.
    pub source: Option<String>,
    /// Why it was lost (lost deals only).
    pub lost_reason: Option<String>,
    /// When it entered its current stage.
    pub stage_entered_at: DateTime<Utc>,
    /// When it was won or lost.
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A deal as a client writes it: the create body, and the shape a PATCH merges into.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DealInput {
    /// Required on create: a live account. Fixed afterwards.
    #[schema(value_type = String)]
    pub account_id: Option<String>,
    /// A live contact of that account.
    pub contact_id: Option<String>,
    /// Required: 1 to 200 characters.
    #[schema(value_type = String, min_length = 1, max_length = 200, example = "Spring collection, 40 stores")]
    pub title: Option<String>,
    /// Required: minor units, 0 or more.
    #[schema(value_type = i64, minimum = 0, example = 1_250_000)]
    pub amount: Option<i64>,
    /// Required: ISO 4217.
    #[schema(value_type = String, min_length = 3, max_length = 3, example = "EUR")]
    pub currency: Option<String>,
    /// Required on create: an active pipeline. Fixed afterwards.
    #[schema(value_type = String)]
    pub pipeline_id: Option<String>,
    /// On create only: an open stage of the pipeline (default: its first). Afterwards use
    /// `POST /v1/deals/{id}/move`.
    pub stage_id: Option<String>,
    /// A user of the workspace (default on create: the calling user).
    pub owner_id: Option<String>,
    #[schema(value_type = Option<String>, format = Date, example = "2026-12-15")]
    pub expected_close_on: Option<NaiveDate>,
    /// 1 to 100 characters.
    #[schema(max_length = 100, example = "referral")]
    pub source: Option<String>,
    /// On create only: when the deal entered its first stage (default: now; for imports of
    /// history; not in the future).
    pub opened_at: Option<DateTime<Utc>>,
}

/// `POST /v1/deals/{id}/move`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveInput {
    /// A stage of the deal's pipeline.
    pub stage_id: String,
    /// Required when the stage is a lost stage, refused otherwise; at most 500 characters.
    #[schema(max_length = 500)]
    pub lost_reason: Option<String>,
    /// When the move happened (default: now; for imports of history): not in the future and
    /// not before the deal entered its current stage.
    pub at: Option<DateTime<Utc>>,
}

/// `POST /v1/deals/{id}/reopen`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenInput {
    /// An open stage of the deal's pipeline.
    pub stage_id: String,
    /// When it was reopened (default: now), as for a move.
    pub at: Option<DateTime<Utc>>,
}

/// One entry of a deal's stage history.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct StageChange {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    #[graphql(skip, derived(name = "deal_id", into = "async_graphql::ID", owned))]
    pub deal_id: String,
    /// `null` for the deal's first stage.
    #[graphql(
        skip,
        derived(
            name = "from_stage_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub from_stage_id: Option<String>,
    #[graphql(skip, derived(name = "to_stage_id", into = "async_graphql::ID", owned))]
    pub to_stage_id: String,
    pub lost_reason: Option<String>,
    /// `user`, `api_key` or `system`.
    pub actor_type: String,
    #[graphql(
        skip,
        derived(
            name = "actor_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub actor_id: Option<String>,
    pub changed_at: DateTime<Utc>,
    /// When the deal left `to_stage_id` (`null`: it is still there).
    pub left_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PipelineQuery {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
    /// Include archived pipelines.
    pub include_archived: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DealQuery {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page. Oldest first.
    pub after: Option<String>,
    pub pipeline_id: Option<String>,
    pub stage_id: Option<String>,
    pub owner_id: Option<String>,
    pub account_id: Option<String>,
    /// `open`, `won` or `lost`.
    #[param(schema_with = crate::openapi::names::stage_kind)]
    pub status: Option<String>,
    /// Expected to close on or after this day.
    #[param(value_type = Option<String>, format = Date)]
    pub expected_close_from: Option<NaiveDate>,
    /// Expected to close on or before this day.
    #[param(value_type = Option<String>, format = Date)]
    pub expected_close_to: Option<NaiveDate>,
}

// ---------------------------------------------------------------------------------------
// Mapping

fn stage_of(row: &StageRow) -> Stage {
    Stage {
        id: row.id.clone(),
        name: row.name.clone(),
        probability: row.probability,
        kind: row.kind.clone(),
        position: row.position,
        archived: row.archived_at.is_some(),
    }
}

fn pipeline_of(row: PipelineRow, stages: &[StageRow]) -> Pipeline {
    let (active, archived): (Vec<&StageRow>, Vec<&StageRow>) = stages
        .iter()
        .filter(|s| s.pipeline_id == row.id)
        .partition(|s| s.archived_at.is_none());
    Pipeline {
        id: row.id,
        name: row.name,
        stages: active.into_iter().map(stage_of).collect(),
        archived_stages: archived.into_iter().map(stage_of).collect(),
        archived: row.archived_at.is_some(),
        version: row.version,
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
    }
}

impl From<DealRow> for Deal {
    fn from(row: DealRow) -> Self {
        Self {
            id: row.id,
            account_id: row.account_id,
            contact_id: row.contact_id,
            title: row.title,
            amount: row.amount,
            currency: row.currency,
            pipeline_id: row.pipeline_id,
            stage_id: row.stage_id,
            status: row.status,
            owner_id: row.owner_id,
            expected_close_on: row
                .expected_close_on
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            source: row.source,
            lost_reason: row.lost_reason,
            stage_entered_at: utc(row.stage_entered_at),
            closed_at: row.closed_at.map(utc),
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

impl From<StageChangeRow> for StageChange {
    fn from(row: StageChangeRow) -> Self {
        Self {
            id: row.id,
            deal_id: row.deal_id,
            from_stage_id: row.from_stage_id,
            to_stage_id: row.to_stage_id,
            lost_reason: row.lost_reason,
            actor_type: row.actor_type,
            actor_id: row.actor_id,
            changed_at: utc(row.changed_at),
            left_at: row.left_at.map(utc),
        }
    }
}

impl Deal {
    fn as_input(&self) -> DealInput {
        DealInput {
            account_id: Some(self.account_id.clone()),
            contact_id: self.contact_id.clone(),
            title: Some(self.title.clone()),
            amount: Some(self.amount),
            currency: Some(self.currency.clone()),
            pipeline_id: Some(self.pipeline_id.clone()),
            stage_id: None,
            owner_id: self.owner_id.clone(),
            expected_close_on: self.expected_close_on,
            source: self.source.clone(),
            opened_at: None,
        }
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

// ---------------------------------------------------------------------------------------
// Validation

struct Errors(Vec<FieldError>);

impl Errors {
    fn new() -> Self {
        Self(Vec::new())
    }

    fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.0))
        }
    }
}

fn clean_text(value: Option<&str>, max: usize) -> Result<Option<String>, String> {
    match value.map(str::trim) {
        None => Ok(None),
        Some(s) if s.is_empty() || s.chars().count() > max || s.contains(char::is_control) => Err(
            format!("must be 1 to {max} characters without control characters"),
        ),
        Some(s) => Ok(Some(s.to_owned())),
    }
}

/// A stage list that passed validation: per entry, the kept stage id (if any), name,
/// probability and kind.
struct ValidStage {
    id: Option<String>,
    name: String,
    /// `None`: an existing stage keeps its probability.
    probability: Option<i32>,
    kind: Option<StageKind>,
}

fn validate_pipeline(input: &PipelineInput) -> Result<(String, Vec<ValidStage>), ApiError> {
    let mut errors = Errors::new();
    let name = match clean_text(input.name.as_deref(), MAX_NAME) {
        Ok(Some(n)) => n,
        Ok(None) => {
            errors.add("name", "is required");
            String::new()
        }
        Err(m) => {
            errors.add("name", m);
            String::new()
        }
    };
    let stages = input.stages.as_deref().unwrap_or_default();
    if stages.is_empty() || stages.len() > MAX_STAGES {
        errors.add("stages", format!("must list 1 to {MAX_STAGES} stages"));
    }
    let mut valid = Vec::new();
    let mut seen = HashSet::new();
    for (i, stage) in stages.iter().enumerate() {
        let at = |f: &str| format!("stages[{i}].{f}");
        if let Some(id) = &stage.id {
            if !seen.insert(id.clone()) {
                errors.add(&at("id"), "is listed twice");
            }
        }
        let kind = match stage.kind.as_deref() {
            None => None,
            Some(k) => StageKind::parse(k).or_else(|| {
                errors.add(&at("kind"), format!("must be {}", StageKind::choices()));
                None
            }),
        };
        if stage.id.is_none() && stage.kind.is_none() {
            errors.add(&at("kind"), "is required for a new stage");
        }
        let name = match clean_text(stage.name.as_deref(), MAX_NAME) {
            Ok(Some(n)) => n,
            Ok(None) => {
                errors.add(&at("name"), "is required");
                String::new()
            }
            Err(m) => {
                errors.add(&at("name"), m);
                String::new()
            }
        };
        let probability = match (stage.probability, kind) {
            (Some(p), _) if (0..=rules::MAX_PROBABILITY).contains(&p) => Some(p),
            (Some(_), _) => {
                errors.add(&at("probability"), "must be between 0 and 100");
                None
            }
            (None, Some(StageKind::Won)) => Some(rules::MAX_PROBABILITY),
            (None, Some(StageKind::Lost)) => Some(0),
            // An existing stage keeps its probability; an unknown kind is already reported.
            (None, None) => None,
            (None, Some(StageKind::Open)) => {
                errors.add(&at("probability"), "is required for an open stage");
                None
            }
        };
        valid.push(ValidStage {
            id: stage.id.clone(),
            name,
            probability,
            kind,
        });
    }
    errors.finish()?;
    Ok((name, valid))
}

#[derive(Debug, Clone)]
struct ValidDeal {
    account_id: String,
    contact_id: Option<String>,
    title: String,
    amount: i64,
    currency: String,
    pipeline_id: String,
    stage_id: Option<String>,
    owner_id: Option<String>,
    expected_close_on: Option<String>,
    source: Option<String>,
    opened_at: Option<NaiveDateTime>,
}

fn validate_deal(input: &DealInput) -> Result<ValidDeal, ApiError> {
    let mut errors = Errors::new();
    let mut required = |field: &str, value: &Option<String>| -> String {
        match value.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => v.to_owned(),
            _ => {
                errors.add(field, "is required");
                String::new()
            }
        }
    };
    let account_id = required("account_id", &input.account_id);
    let pipeline_id = required("pipeline_id", &input.pipeline_id);
    let title = match clean_text(input.title.as_deref(), MAX_TITLE) {
        Ok(Some(t)) => t,
        Ok(None) => {
            errors.add("title", "is required");
            String::new()
        }
        Err(m) => {
            errors.add("title", m);
            String::new()
        }
    };
    let amount = match input.amount.map(MinorUnits::parse) {
        Some(Ok(a)) => a.get(),
        Some(Err(e)) => {
            errors.add("amount", e.to_string());
            0
        }
        None => {
            errors.add("amount", "is required (minor units)");
            0
        }
    };
    let currency = match input.currency.as_deref().map(Currency::parse) {
        Some(Ok(c)) => c.as_str().to_owned(),
        Some(Err(e)) => {
            errors.add("currency", e.to_string());
            String::new()
        }
        None => {
            errors.add("currency", "is required");
            String::new()
        }
    };
    let source = clean_text(input.source.as_deref(), MAX_NAME).unwrap_or_else(|m| {
        errors.add("source", m);
        None
    });
    let opened_at = input.opened_at.and_then(|at| {
        if in_future(at) {
            errors.add("opened_at", "must not be in the future");
            return None;
        }
        Some(stored(at))
    });
    errors.finish()?;
    Ok(ValidDeal {
        account_id,
        contact_id: input.contact_id.clone(),
        title,
        amount,
        currency,
        pipeline_id,
        stage_id: input.stage_id.clone(),
        owner_id: input.owner_id.clone(),
        expected_close_on: input.expected_close_on.map(day),
        source,
        opened_at,
    })
}

/// How far in the future a client's `at` may be (clock skew).
pub const FUTURE_TOLERANCE_MINUTES: i64 = 5;

fn in_future(at: DateTime<Utc>) -> bool {
    at > Utc::now() + Duration::minutes(FUTURE_TOLERANCE_MINUTES)
}

/// The instant of a move: now, or the client's `at` (not in the future, and not before the
/// deal entered its current stage, so stays never have a negative length).
fn move_time(at: Option<DateTime<Utc>>, deal: &DealRow) -> Result<NaiveDateTime, ApiError> {
    let Some(at) = at else {
        return Ok(now().max(deal.stage_entered_at));
    };
    if in_future(at) {
        return Err(ApiError::field("at", "must not be in the future"));
    }
    let at = stored(at);
    if at < deal.stage_entered_at {
        return Err(ApiError::field(
            "at",
            "must not be before the deal entered its current stage",
        ));
    }
    Ok(at)
}

fn move_error(err: MoveError) -> ApiError {
    let text = err.to_string();
    match err {
        MoveError::DealClosed => ApiError::conflict("deal_closed", text),
        MoveError::DealNotClosed => ApiError::conflict("deal_not_closed", text),
        MoveError::StageNotInPipeline => {
            ApiError::field("stage_id", text).with_code("stage_not_in_pipeline")
        }
        MoveError::StageArchived => ApiError::field("stage_id", text).with_code("stage_archived"),
        MoveError::AlreadyInStage => {
            ApiError::field("stage_id", text).with_code("already_in_stage")
        }
        MoveError::ReopenNeedsOpenStage => {
            ApiError::field("stage_id", text).with_code("stage_not_open")
        }
        MoveError::LostReasonRequired => {
            ApiError::field("lost_reason", text).with_code("lost_reason_required")
        }
        MoveError::LostReasonNotAllowed => ApiError::field("lost_reason", text),
    }
}

// ---------------------------------------------------------------------------------------
// Loading

fn load_pipeline(
    conn: &mut DbConn,
    principal: &Principal,
    id: &str,
) -> Result<PipelineRow, ApiError> {
    store::find_pipeline(conn, &principal.workspace_id, id)?
        .ok_or_else(|| ApiError::not_found("no pipeline with that id"))
}

fn load_deal(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<DealRow, ApiError> {
    store::find_deal(conn, &principal.workspace_id, id)?
        .ok_or_else(|| ApiError::not_found("no deal with that id"))
}

fn full_pipeline(
    conn: &mut DbConn,
    principal: &Principal,
    row: PipelineRow,
) -> Result<Pipeline, ApiError> {
    let stages = store::stages_of(conn, &principal.workspace_id, std::slice::from_ref(&row.id))?;
    Ok(pipeline_of(row, &stages))
}

fn may_configure(principal: &Principal) -> Result<(), ApiError> {
    principal.require(Scope::DealsWrite)?;
    if principal.role() == Some(Role::Agent) {
        return Err(ApiError::forbidden(
            "not_allowed",
            "agents may not change pipelines; ask a manager",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Pipelines

/// Writes the stage list of `pipeline`: keeps, renames and re-weights listed stages, adds
/// new ones, archives active ones left out, and numbers them in the order given.
fn write_stages(
    conn: &mut DbConn,
    principal: &Principal,
    pipeline_id: &str,
    existing: &[StageRow],
    wanted: &[ValidStage],
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    let by_id: HashMap<&str, &StageRow> = existing.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut errors = Errors::new();
    let mut kinds = Vec::new();
    for (i, stage) in wanted.iter().enumerate() {
        match &stage.id {
            Some(id) => match by_id.get(id.as_str()) {
                None => errors.add(
                    &format!("stages[{i}].id"),
                    "no stage with this id in this pipeline",
                ),
                Some(row) => {
                    let stored_kind = StageKind::parse(&row.kind);
                    if stage.kind.is_some() && stage.kind != stored_kind {
                        errors.add(&format!("stages[{i}].kind"), "a stage's kind cannot change");
                    }
                    kinds.push(stored_kind);
                }
            },
            None => kinds.push(stage.kind),
        }
    }
    if !kinds.contains(&Some(StageKind::Open)) {
        errors.add("stages", "a pipeline needs at least one open stage");
    }
    let listed: HashSet<&str> = wanted.iter().filter_map(|s| s.id.as_deref()).collect();
    let dropped: Vec<&StageRow> = existing
        .iter()
        .filter(|s| s.archived_at.is_none() && !listed.contains(s.id.as_str()))
        .collect();
    for stage in &dropped {
        if stage.kind == StageKind::Open.as_str() {
            let holding = store::count_deals_in_stage(conn, &principal.workspace_id, &stage.id)?;
            if holding > 0 {
                errors.add(
                    "stages",
                    format!(
                        "stage {} ({}) still holds {holding} deal(s); move them before archiving it",
                        stage.id, stage.name
                    ),
                );
            }
        }
    }
    errors.finish()?;
    let mut new_rows = Vec::new();
    let mut position = 0_i32;
    // New stages take numbers no stage of the pipeline ever had.
    let mut next_number = existing
        .iter()
        .map(|s| s.number.saturating_add(1))
        .max()
        .unwrap_or(0);
    for (stage, kind) in wanted.iter().zip(&kinds) {
        match stage.id.as_deref().and_then(|id| by_id.get(id)) {
            Some(row) => {
                let updated = StageRow {
                    name: stage.name.clone(),
                    probability: stage.probability.unwrap_or(row.probability),
                    position,
                    archived_at: None,
                    ..(*row).clone()
                };
                if &updated != *row {
                    store::update_stage(conn, &updated)?;
                }
            }
            None => new_rows.push(StageRow {
                id: new_id(),
                workspace_id: principal.workspace_id.clone(),
                pipeline_id: pipeline_id.to_owned(),
                name: stage.name.clone(),
                probability: stage.probability.unwrap_or(0),
                kind: kind.unwrap_or(StageKind::Open).as_str().to_owned(),
                position,
                created_at: at,
                archived_at: None,
                number: next_number,
            }),
        }
        if stage.id.is_none() {
            next_number = next_number.saturating_add(1);
        }
        position += 1;
    }
    // Archived stages (old and new) go after the active ones, in their previous order.
    let mut archived: Vec<&StageRow> = existing
        .iter()
        .filter(|s| !listed.contains(s.id.as_str()))
        .collect();
    archived.sort_by_key(|s| s.position);
    for row in archived {
        let updated = StageRow {
            position,
            archived_at: row.archived_at.or(Some(at)),
            ..row.clone()
        };
        if &updated != row {
            store::update_stage(conn, &updated)?;
        }
        position += 1;
    }
    if !new_rows.is_empty() {
        store::insert_stages(conn, &new_rows)?;
    }
    Ok(())
}

pub async fn create_pipeline(
    state: &AppState,
    principal: &Principal,
    input: PipelineInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<Pipeline>, ApiError> {
    may_configure(principal)?;
    if input.stages.iter().flatten().any(|s| s.id.is_some()) {
        return Err(ApiError::field(
            "stages",
            "new pipelines list new stages (no id)",
        ));
    }
    let (name, stages) = validate_pipeline(&input)?;
    let principal = principal.clone();
    pipeline::write(
        state,
        &principal.clone(),
        idempotency,
        201,
        move |conn, cx| {
            let at = now();
            let row = PipelineRow {
                id: new_id(),
                workspace_id: principal.workspace_id.clone(),
                name,
                version: 1,
                created_at: at,
                updated_at: at,
                archived_at: None,
            };
            store::insert_pipeline(conn, &row)?;
            write_stages(conn, &principal, &row.id, &[], &stages, at)?;
            let pipeline = full_pipeline(conn, &principal, row)?;
            cx.audit::<(), _>(
                "pipeline.create",
                "pipeline",
                Some(&pipeline.id),
                None,
                Some(&pipeline),
            )?;
            cx.emit(DomainEvent::PipelineChanged {
                change: Change::Created,
                pipeline: data(&pipeline)?,
            })?;
            Ok(pipeline)
        },
    )
    .await
}

pub async fn get_pipeline(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Pipeline, ApiError> {
    principal.require(Scope::DealsRead)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    state
        .db
        .run(move |conn| {
            let row = load_pipeline(conn, &principal, &id)?;
            full_pipeline(conn, &principal, row)
        })
        .await
}

pub async fn list_pipelines(
    state: &AppState,
    principal: &Principal,
    query: PipelineQuery,
) -> Result<Page<Pipeline>, ApiError> {
    principal.require(Scope::DealsRead)?;
    let request = page_request(query.limit, query.after.clone())?;
    let principal = principal.clone();
    let req = request.clone();
    let (rows, stages) = state
        .db
        .run(move |conn| {
            let rows = store::list_pipelines(
                conn,
                &principal.workspace_id,
                query.include_archived.unwrap_or(false),
                req.after.as_deref(),
                req.limit + 1,
            )?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let stages = store::stages_of(conn, &principal.workspace_id, &ids)?;
            Ok::<_, ApiError>((rows, stages))
        })
        .await?;
    Ok(Page::from_rows(
        rows,
        &request,
        |r| r.id.clone(),
        |r| pipeline_of(r, &stages),
    ))
}

/// Applies a JSON merge patch to a pipeline (`name`, `stages`: see the module rules).
pub async fn update_pipeline(
    state: &AppState,
    principal: &Principal,
    id: &str,
    patch: Value,
    if_match: Option<i64>,
) -> Result<Pipeline, ApiError> {
    may_configure(principal)?;
    versioning::require_patch_object(&patch)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        let stored_row = load_pipeline(conn, &principal, &id)?;
        versioning::check_version("pipeline", if_match, stored_row.version)?;
        let before = full_pipeline(conn, &principal, stored_row.clone())?;
        let current = PipelineInput {
            name: Some(before.name.clone()),
            stages: Some(
                before
                    .stages
                    .iter()
                    .map(|s| StageInput {
                        id: Some(s.id.clone()),
                        name: Some(s.name.clone()),
                        probability: Some(s.probability),
                        kind: Some(s.kind.clone()),
                    })
                    .collect(),
            ),
        };
        let input: PipelineInput = versioning::merge_patch("a pipeline", &current, &patch)?;
        let (name, stages) = validate_pipeline(&input)?;
        let at = now();
        let existing = store::stages_of(conn, &principal.workspace_id, std::slice::from_ref(&id))?;
        write_stages(conn, &principal, &id, &existing, &stages, at)?;
        let row = PipelineRow {
            name,
            version: stored_row.version + 1,
            updated_at: at,
            ..stored_row.clone()
        };
        let after = full_pipeline(conn, &principal, row.clone())?;
        if after.name == before.name
            && after.stages == before.stages
            && after.archived_stages == before.archived_stages
        {
            return Ok(before);
        }
        if store::update_pipeline(conn, &row, stored_row.version)? == 0 {
            return Err(versioning::precondition_failed("pipeline"));
        }
        cx.audit(
            "pipeline.update",
            "pipeline",
            Some(&id),
            Some(&before),
            Some(&after),
        )?;
        cx.emit(DomainEvent::PipelineChanged {
            change: Change::updated(&before, &after),
            pipeline: data(&after)?,
        })?;
        Ok(after)
    })
    .await
}

/// Archives a pipeline: it leaves lists and takes no new deals; its deals and history stay
/// (and can still be moved and analysed).
pub async fn archive_pipeline(
    state: &AppState,
    principal: &Principal,
    id: &str,
    if_match: Option<i64>,
) -> Result<(), ApiError> {
    may_configure(principal)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        let stored_row = load_pipeline(conn, &principal, &id)?;
        versioning::check_version("pipeline", if_match, stored_row.version)?;
        if stored_row.archived_at.is_some() {
            return Ok(());
        }
        let at = now();
        let row = PipelineRow {
            version: stored_row.version + 1,
            updated_at: at,
            archived_at: Some(at),
            ..stored_row.clone()
        };
        if store::update_pipeline(conn, &row, stored_row.version)? == 0 {
            return Err(versioning::precondition_failed("pipeline"));
        }
        cx.audit::<_, ()>(
            "pipeline.archive",
            "pipeline",
            Some(&id),
            Some(&serde_json::json!({ "name": stored_row.name })),
            None,
        )?;
        let archived = full_pipeline(conn, &principal, row)?;
        cx.emit(DomainEvent::PipelineChanged {
            change: Change::Deleted,
            pipeline: data(&archived)?,
        })?;
        Ok(())
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Deals

/// Checks what validation could not see without the database; returns the deal's initial
/// stage on create.
fn check_deal_references(
    conn: &mut DbConn,
    principal: &Principal,
    valid: &ValidDeal,
) -> Result<(), ApiError> {
    let ws = &principal.workspace_id;
    let mut errors = Errors::new();
    if account_store::find(conn, ws, &valid.account_id)?.is_none() {
        errors.add("account_id", "no account with this id");
    } else if let Some(contact_id) = &valid.contact_id {
        match contact_store::find(conn, ws, contact_id)? {
            Some(c) if c.account_id == valid.account_id => {}
            _ => errors.add("contact_id", "no contact with this id at this account"),
        }
    }
    if let Some(owner) = &valid.owner_id {
        if user_store::find(conn, ws, owner)?.is_none() {
            errors.add("owner_id", "no user with this id in the workspace");
        }
    }
    errors.finish()
}

fn initial_stage(
    conn: &mut DbConn,
    principal: &Principal,
    valid: &ValidDeal,
) -> Result<StageRow, ApiError> {
    let pipeline = store::find_pipeline(conn, &principal.workspace_id, &valid.pipeline_id)?
        .filter(|p| p.archived_at.is_none())
        .ok_or_else(|| ApiError::field("pipeline_id", "no active pipeline with this id"))?;
    let stages = store::stages_of(
        conn,
        &principal.workspace_id,
        std::slice::from_ref(&pipeline.id),
    )?;
    let open = |s: &&StageRow| s.archived_at.is_none() && s.kind == StageKind::Open.as_str();
    match &valid.stage_id {
        None => stages
            .iter()
            .find(open)
            .cloned()
            .ok_or_else(|| ApiError::field("pipeline_id", "the pipeline has no open stage")),
        Some(id) => match stages.iter().find(|s| &s.id == id) {
            Some(s) if open(&s) => Ok(s.clone()),
            Some(_) => Err(
                ApiError::field("stage_id", "a deal starts in an active open stage")
                    .with_code("stage_not_open"),
            ),
            None => Err(ApiError::field(
                "stage_id",
                "the stage belongs to another pipeline than the deal's",
            )
            .with_code("stage_not_in_pipeline")),
        },
    }
}

/// The history row of `deal` entering its current stage, `stage`, at `at`.
fn change_row(
    principal: &Principal,
    deal: &DealRow,
    stage: &StageRow,
    from: Option<String>,
    lost_reason: Option<String>,
    at: NaiveDateTime,
) -> StageChangeRow {
    StageChangeRow {
        id: new_id(),
        workspace_id: principal.workspace_id.clone(),
        deal_id: deal.id.clone(),
        pipeline_id: deal.pipeline_id.clone(),
        from_stage_id: from,
        to_stage_id: deal.stage_id.clone(),
        lost_reason,
        actor_type: principal.actor_type().to_owned(),
        actor_id: principal.actor_id().map(str::to_owned),
        changed_at: at,
        left_at: None,
        seconds_in_stage: None,
        to_stage_number: stage.number,
    }
}

/// A change of the per-day stay rollup: `stays` more stays of `stage_number` that began at
/// `began` and lasted `hours` (`NOT_LEFT`: not left yet).
fn stay_day(
    deal: &DealRow,
    began: NaiveDateTime,
    stage_number: i32,
    hours: i64,
    stays: i64,
) -> StayDayRow {
    StayDayRow {
        workspace_id: deal.workspace_id.clone(),
        pipeline_id: deal.pipeline_id.clone(),
        day: store::day_of(began),
        stage_number,
        hours,
        stays,
    }
}

/// `row`'s analytics facts once it entered `stage` at `at`: the history's first and latest
/// stay, and the stages it ever entered.
fn with_stage_entered(
    mut row: DealRow,
    stage: &StageRow,
    at: NaiveDateTime,
) -> Result<DealRow, ApiError> {
    let entered = StagesEntered::parse(&row.stages_entered).ok_or_else(|| {
        ApiError::internal(format!(
            "deal {} has stages_entered {:?}",
            row.id, row.stages_entered
        ))
    })?;
    row.stages_entered = entered.with(stage.number).stored();
    row.first_stage_change_at = Some(row.first_stage_change_at.map_or(at, |t| t.min(at)));
    row.last_stage_change_at = Some(row.last_stage_change_at.map_or(at, |t| t.max(at)));
    Ok(row)
}

pub async fn create_deal(
    state: &AppState,
    principal: &Principal,
    input: DealInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<Deal>, ApiError> {
    principal.require(Scope::DealsWrite)?;
    let mut valid = validate_deal(&input)?;
    if valid.owner_id.is_none() {
        valid.owner_id = principal.user_id().map(str::to_owned);
    }
    let principal = principal.clone();
    pipeline::write(
        state,
        &principal.clone(),
        idempotency,
        201,
        move |conn, cx| {
            check_deal_references(conn, &principal, &valid)?;
            let stage = initial_stage(conn, &principal, &valid)?;
            let at = now();
            let opened = valid.opened_at.unwrap_or(at);
            let row = DealRow {
                id: new_id(),
                workspace_id: principal.workspace_id.clone(),
                account_id: valid.account_id,
                contact_id: valid.contact_id,
                title: valid.title,
                amount: valid.amount,
                currency: valid.currency,
                pipeline_id: stage.pipeline_id.clone(),
                stage_id: stage.id.clone(),
                status: StageKind::Open.as_str().to_owned(),
                owner_id: valid.owner_id,
                expected_close_on: valid.expected_close_on,
                source: valid.source,
                lost_reason: None,
                stage_entered_at: opened,
                closed_at: None,
                version: 1,
                created_at: at,
                updated_at: at,
                deleted_at: None,
                first_stage_change_at: None,
                last_stage_change_at: None,
                stages_entered: String::new(),
            };
            let row = with_stage_entered(row, &stage, opened)?;
            store::insert_deals(conn, std::slice::from_ref(&row))?;
            store::insert_changes(
                conn,
                &[change_row(&principal, &row, &stage, None, None, opened)],
            )?;
            store::add_stays(conn, &[stay_day(&row, opened, stage.number, NOT_LEFT, 1)])?;
            let deal = Deal::from(row);
            cx.audit::<(), _>("deal.create", "deal", Some(&deal.id), None, Some(&deal))?;
            cx.emit(DomainEvent::DealChanged {
                account_id: Some(deal.account_id.clone()),
                change: Change::Created,
                deal: data(&deal)?,
            })?;
            Ok(deal)
        },
    )
    .await
}

pub async fn get_deal(state: &AppState, principal: &Principal, id: &str) -> Result<Deal, ApiError> {
    principal.require(Scope::DealsRead)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    state
        .db
        .run(move |conn| Ok(load_deal(conn, &principal, &id)?.into()))
        .await
}

fn deal_filter(query: &DealQuery) -> Result<DealFilter, ApiError> {
    if query
        .status
        .as_deref()
        .is_some_and(|s| StageKind::parse(s).is_none())
    {
        return Err(ApiError::field(
            "status",
            format!("must be {}", StageKind::choices()),
        ));
    }
    Ok(DealFilter {
        account_id: query.account_id.clone(),
        pipeline_id: query.pipeline_id.clone(),
        stage_id: query.stage_id.clone(),
        owner_id: query.owner_id.clone(),
        status: query.status.clone(),
        expected_close_from: query.expected_close_from.map(day),
        expected_close_to: query.expected_close_to.map(day),
    })
}

/// Deals, filtered, oldest first, in keyset pages.
pub async fn list_deals(
    state: &AppState,
    principal: &Principal,
    query: DealQuery,
) -> Result<Page<Deal>, ApiError> {
    list(state, principal, None, query).await
}

/// An account's deals (404 when the account is not a live one of the workspace).
pub async fn list_for_account(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    query: DealQuery,
) -> Result<Page<Deal>, ApiError> {
    list(state, principal, Some(account_id.to_owned()), query).await
}

async fn list(
    state: &AppState,
    principal: &Principal,
    account_id: Option<String>,
    query: DealQuery,
) -> Result<Page<Deal>, ApiError> {
    principal.require(Scope::DealsRead)?;
    let request = page_request(query.limit, query.after.clone())?;
    let mut filter = deal_filter(&query)?;
    let principal = principal.clone();
    let req: PageRequest = request.clone();
    let rows = state
        .db
        .run(move |conn| {
            if let Some(account_id) = account_id {
                if account_store::find(conn, &principal.workspace_id, &account_id)?.is_none() {
                    return Err(ApiError::not_found("no account with that id"));
                }
                filter.account_id = Some(account_id);
            }
            Ok(store::list_deals(
                conn,
                &principal.workspace_id,
                &filter,
                req.after.as_deref(),
                req.limit + 1,
            )?)
        })
        .await?;
    Ok(Page::from_rows(
        rows,
        &request,
        |r| r.id.clone(),
        Deal::from,
    ))
}

/// A deal's stage history, oldest first.
pub async fn history(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Vec<StageChange>, ApiError> {
    principal.require(Scope::DealsRead)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    state
        .db
        .run(move |conn| {
            load_deal(conn, &principal, &id)?;
            Ok(store::history(conn, &principal.workspace_id, &id)?
                .into_iter()
                .map(StageChange::from)
                .collect())
        })
        .await
}

/// Applies a JSON merge patch to a deal's details (not its stage: see `move_deal`).
pub async fn update_deal(
    state: &AppState,
    principal: &Principal,
    id: &str,
    patch: Value,
    if_match: Option<i64>,
) -> Result<Deal, ApiError> {
    principal.require(Scope::DealsWrite)?;
    versioning::require_patch_object(&patch)?;
    for (field, how) in [
        ("stage_id", "change the stage with POST /v1/deals/{id}/move"),
        ("pipeline_id", "a deal stays in its pipeline"),
        ("account_id", "a deal stays on its account"),
        ("opened_at", "is set when the deal is created"),
    ] {
        if patch.get(field).is_some() {
            return Err(ApiError::field(field, how));
        }
    }
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        let stored_row = load_deal(conn, &principal, &id)?;
        versioning::check_version("deal", if_match, stored_row.version)?;
        let before = Deal::from(stored_row.clone());
        let input: DealInput = versioning::merge_patch("a deal", &before.as_input(), &patch)?;
        let valid = validate_deal(&input)?;
        check_deal_references(conn, &principal, &valid)?;
        let mut row = DealRow {
            contact_id: valid.contact_id,
            title: valid.title,
            amount: valid.amount,
            currency: valid.currency,
            owner_id: valid.owner_id,
            expected_close_on: valid.expected_close_on,
            source: valid.source,
            ..stored_row.clone()
        };
        if row == stored_row {
            return Ok(before);
        }
        row.version = stored_row.version + 1;
        row.updated_at = now();
        if store::update_deal(conn, &row, stored_row.version)? == 0 {
            return Err(versioning::precondition_failed("deal"));
        }
        let after = Deal::from(row);
        cx.audit(
            "deal.update",
            "deal",
            Some(&id),
            Some(&before),
            Some(&after),
        )?;
        cx.emit(DomainEvent::DealChanged {
            account_id: Some(after.account_id.clone()),
            change: Change::updated(&before, &after),
            deal: data(&after)?,
        })?;
        Ok(after)
    })
    .await
}

/// Soft delete: the deal leaves lists and analytics; the audit log keeps it.
pub async fn delete_deal(
    state: &AppState,
    principal: &Principal,
    id: &str,
    if_match: Option<i64>,
) -> Result<(), ApiError> {
    principal.require(Scope::DealsWrite)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        let stored_row = load_deal(conn, &principal, &id)?;
        let at = now();
        versioning::write_versioned("deal", if_match, stored_row.version, |version| {
            let deleted = DealRow {
                version,
                updated_at: at,
                deleted_at: Some(at),
                ..stored_row.clone()
            };
            store::update_deal(conn, &deleted, stored_row.version)
        })?;
        let before = Deal::from(stored_row);
        cx.audit::<_, ()>("deal.delete", "deal", Some(&id), Some(&before), None)?;
        cx.emit(DomainEvent::DealChanged {
            account_id: Some(before.account_id.clone()),
            change: Change::Deleted,
            deal: data(&before)?,
        })?;
        Ok(())
    })
    .await
}

/// Puts `deal` into `target` at `at`: the versioned deal update first (so the loser of a
/// race stops here with 412), then the end of the current stay and the new history row, and
/// both in the per-day stay rollup.
fn enter_stage(
    conn: &mut DbConn,
    principal: &Principal,
    deal: &DealRow,
    target: &StageRow,
    kind: StageKind,
    lost_reason: Option<String>,
    at: NaiveDateTime,
) -> Result<DealRow, ApiError> {
    let row = DealRow {
        stage_id: target.id.clone(),
        status: kind.as_str().to_owned(),
        lost_reason: lost_reason.clone(),
        stage_entered_at: at,
        closed_at: kind.is_closed().then_some(at),
        version: deal.version + 1,
        updated_at: now(),
        ..deal.clone()
    };
    let row = with_stage_entered(row, target, at)?;
    if store::update_deal(conn, &row, deal.version)? == 0 {
        return Err(versioning::precondition_failed("deal"));
    }
    let mut stays = vec![stay_day(&row, at, target.number, NOT_LEFT, 1)];
    if let Some(stay) = store::current_stay(conn, &principal.workspace_id, &deal.id)? {
        let seconds = (at - stay.changed_at).num_seconds().max(0);
        store::end_stay(conn, &principal.workspace_id, &stay.id, at, seconds)?;
        let began = stay.changed_at;
        stays.push(stay_day(&row, began, stay.to_stage_number, NOT_LEFT, -1));
        stays.push(stay_day(
            &row,
            began,
            stay.to_stage_number,
            seconds / 3600,
            1,
        ));
    }
    store::insert_changes(
        conn,
        &[change_row(
            principal,
            &row,
            target,
            Some(deal.stage_id.clone()),
            lost_reason,
            at,
        )],
    )?;
    store::add_stays(conn, &stays)?;
    Ok(row)
}

fn target_stage(
    conn: &mut DbConn,
    principal: &Principal,
    deal: &DealRow,
    stage_id: &str,
) -> Result<(StageRow, StageFacts), ApiError> {
    let stage = store::find_stage(conn, &principal.workspace_id, stage_id)?
        .ok_or_else(|| ApiError::field("stage_id", "no stage with this id"))?;
    let kind = StageKind::parse(&stage.kind)
        .ok_or_else(|| ApiError::internal(format!("stage {} has kind {}", stage.id, stage.kind)))?;
    let facts = StageFacts {
        kind,
        in_deal_pipeline: stage.pipeline_id == deal.pipeline_id,
        archived: stage.archived_at.is_some(),
        is_current: stage.id == deal.stage_id,
    };
    Ok((stage, facts))
}

/// Moves a deal to another stage of its pipeline (the one way a deal changes stage), with
/// `If-Match` for the version it was read at and `Idempotency-Key` for safe retries.
pub async fn move_deal(
    state: &AppState,
    principal: &Principal,
    id: &str,
    input: MoveInput,
    if_match: Option<i64>,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<Deal>, ApiError> {
    principal.require(Scope::DealsWrite)?;
    let lost_reason = clean_text(input.lost_reason.as_deref(), MAX_LOST_REASON)
        .map_err(|m| ApiError::field("lost_reason", m))?;
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::write(
        state,
        &principal.clone(),
        idempotency,
        200,
        move |conn, cx| {
            let deal = load_deal(conn, &principal, &id)?;
            versioning::check_version("deal", if_match, deal.version)?;
            let status = StageKind::parse(&deal.status).unwrap_or(StageKind::Open);
            let (stage, facts) = target_stage(conn, &principal, &deal, &input.stage_id)?;
            rules::check_move(status, facts, lost_reason.is_some()).map_err(move_error)?;
            let at = move_time(input.at, &deal)?;
            let row = enter_stage(conn, &principal, &deal, &stage, facts.kind, lost_reason, at)?;
            if facts.kind == StageKind::Won {
                // Winning is revenue: an order keyed by the deal, so a re-win never counts twice.
                let order = crate::service::orders::OrderInput {
                    account_id: Some(row.account_id.clone()),
                    external_id: Some(format!("deal:{}", row.id)),
                    amount: Some(row.amount),
                    currency: Some(row.currency.clone()),
                    occurred_at: Some(crate::service::utc(at)),
                    ..Default::default()
                };
                crate::service::orders::record_in_tx(conn, cx, &order, "deal")?;
            }
            let (before, after) = (Deal::from(deal), Deal::from(row));
            cx.audit("deal.move", "deal", Some(&id), Some(&before), Some(&after))?;
            let outcome = match facts.kind {
                StageKind::Won => DealOutcome::Won,
                StageKind::Lost => DealOutcome::Lost,
                _ => DealOutcome::StillOpen,
            };
            cx.emit(DomainEvent::DealMoved {
                account_id: Some(after.account_id.clone()),
                deal: data(&after)?,
                from_stage: before.stage_id.clone(),
                to_stage: after.stage_id.clone(),
                outcome,
            })?;
            Ok(after)
        },
    )
    .await
}

/// Reopens a won or lost deal into an open stage of its pipeline.
pub async fn reopen_deal(
    state: &AppState,
    principal: &Principal,
    id: &str,
    input: ReopenInput,
    if_match: Option<i64>,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<Deal>, ApiError> {
    principal.require(Scope::DealsWrite)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::write(
        state,
        &principal.clone(),
        idempotency,
        200,
        move |conn, cx| {
            let deal = load_deal(conn, &principal, &id)?;
            versioning::check_version("deal", if_match, deal.version)?;
            let status = StageKind::parse(&deal.status).unwrap_or(StageKind::Open);
            let (stage, facts) = target_stage(conn, &principal, &deal, &input.stage_id)?;
            rules::check_reopen(status, facts).map_err(move_error)?;
            let at = move_time(input.at, &deal)?;
            let row = enter_stage(conn, &principal, &deal, &stage, facts.kind, None, at)?;
            let (before, after) = (Deal::from(deal), Deal::from(row));
            cx.audit(
                "deal.reopen",
                "deal",
                Some(&id),
                Some(&before),
                Some(&after),
            )?;
            cx.emit(DomainEvent::DealMoved {
                account_id: Some(after.account_id.clone()),
                deal: data(&after)?,
                from_stage: before.stage_id.clone(),
                to_stage: after.stage_id.clone(),
                outcome: DealOutcome::Reopened,
            })?;
            Ok(after)
        },
    )
    .await
}

/// The open deals of an account (for the account profile's `open_deals`). The caller checks
/// the principal's scope.
pub fn open_deals_for_accounts(
    conn: &mut DbConn,
    workspace_id: &str,
    account_ids: &[String],
) -> Result<Vec<Deal>, ApiError> {
    Ok(
        store::open_deals_of_accounts(conn, workspace_id, account_ids)?
            .into_iter()
            .map(Deal::from)
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------
// Analytics

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnalyticsQuery {
    /// Required: the pipeline to analyse.
    pub pipeline_id: Option<String>,
    /// Start of the funnel period (inclusive; default: 365 days before `to`).
    pub from: Option<DateTime<Utc>>,
    /// End of the funnel period (exclusive; default: now).
    pub to: Option<DateTime<Utc>>,
}

/// Open pipeline value in one currency, for one month or owner (or in total).
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ForecastBucket {
    pub currency: String,
    /// `YYYY-MM` of the expected close (by-month buckets; `null`: no expected close date).
    pub month: Option<String>,
    /// The deals' owner (by-owner buckets; `null`: no owner).
    #[graphql(
        skip,
        derived(
            name = "owner_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub owner_id: Option<String>,
    pub deals: i64,
    /// Sum of the open deals' amounts, minor units.
    #[graphql(
        skip,
        derived(name = "amount", into = "crate::graphql::scalars::Long", owned)
    )]
    pub amount: i64,
    /// Sum of amount x stage probability / 100, rounded once per bucket.
    #[graphql(
        skip,
        derived(
            name = "weighted_amount",
            into = "crate::graphql::scalars::Long",
            owned
        )
    )]
    pub weighted_amount: i64,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Forecast {
    /// Per currency: every open deal of the pipeline.
    pub total: Vec<ForecastBucket>,
    pub by_month: Vec<ForecastBucket>,
    pub by_owner: Vec<ForecastBucket>,
}

/// One stage of the funnel over the period.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct FunnelStage {
    #[graphql(skip, derived(name = "stage_id", into = "async_graphql::ID", owned))]
    pub stage_id: String,
    pub name: String,
    pub kind: String,
    pub position: i32,
    pub archived: bool,
    /// Entries into the stage in the period (a deal that re-enters counts again).
    pub entries: i64,
    /// Deals that got at least this far in the period (entered this stage or a later non-lost
    /// one); `null` for lost stages, which are not a step of the funnel.
    pub reached: Option<i64>,
    /// Share of the deals that reached this step that reached the next one (`null` on the
    /// last step, lost stages, or when none reached this one).
    pub conversion_to_next: Option<f64>,
    /// Median time in the stage, in days at one-hour resolution, of the stays that began in
    /// the period and have ended.
    pub median_days_in_stage: Option<f64>,
    /// How many ended stays the median is over.
    pub completed_stays: i64,
}

/// Won deals' amounts in one currency.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct WonAmount {
    pub currency: String,
    pub won: i64,
    #[graphql(
        skip,
        derived(name = "amount", into = "crate::graphql::scalars::Long", owned)
    )]
    pub amount: i64,
    /// Rounded half away from zero, minor units.
    #[graphql(
        skip,
        derived(name = "average_amount", into = "crate::graphql::scalars::Long", owned)
    )]
    pub average_amount: i64,
}

/// Win rate of the deals closed in the period from one source.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct SourceWinRate {
    /// `null`: deals without a source.
    pub source: Option<String>,
    pub won: i64,
    pub lost: i64,
    pub win_rate: Option<f64>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Funnel {
    pub stages: Vec<FunnelStage>,
    /// Deals won in the period (by their current `closed_at`).
    pub won: i64,
    /// Deals lost in the period.
    pub lost: i64,
    /// won / (won + lost); `null` when none closed.
    pub win_rate: Option<f64>,
    /// Per currency.
    pub won_amounts: Vec<WonAmount>,
    pub by_source: Vec<SourceWinRate>,
}

/// `GET /v1/analytics/pipeline`.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct PipelineAnalytics {
    #[graphql(skip, derived(name = "pipeline_id", into = "async_graphql::ID", owned))]
    pub pipeline_id: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Open deals now, whatever the period.
    pub forecast: Forecast,
    pub funnel: Funnel,
}

fn clamp_i64(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

/// Folds the open-deal groups into per-currency buckets keyed by `key`.
fn fold_forecast(
    groups: &[store::OpenDealGroup],
    probability: &HashMap<&str, i32>,
    key: impl Fn(&store::OpenDealGroup) -> (Option<String>, Option<String>),
) -> Vec<ForecastBucket> {
    // (currency, month, owner) -> (deals, amount, amount x probability)
    type Key = (String, Option<String>, Option<String>);
    let mut buckets: BTreeMap<Key, (i64, i128, i128)> = BTreeMap::new();
    for g in groups {
        let (month, owner) = key(g);
        let p = i128::from(probability.get(g.stage_id.as_str()).copied().unwrap_or(0));
        let entry = buckets
            .entry((g.currency.clone(), month, owner))
            .or_default();
        entry.0 += g.deals;
        entry.1 += g.amount();
        entry.2 += g.amount() * p;
    }
    buckets
        .into_iter()
        .map(
            |((currency, month, owner_id), (deals, amount, weighted))| ForecastBucket {
                currency,
                month,
                owner_id,
                deals,
                amount: clamp_i64(amount),
                weighted_amount: clamp_i64(rules::weighted(weighted)),
            },
        )
        .collect()
}

/// Forecast and funnel of one pipeline, grouped in SQL and folded here.
pub async fn pipeline_analytics(
    state: &AppState,
    principal: &Principal,
    query: AnalyticsQuery,
) -> Result<PipelineAnalytics, ApiError> {
    principal.require(Scope::AnalyticsRead)?;
    let pipeline_id = query
        .pipeline_id
        .clone()
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| ApiError::field("pipeline_id", "is required"))?;
    let to = query.to.unwrap_or_else(Utc::now);
    let from = query
        .from
        .unwrap_or_else(|| to - Duration::days(DEFAULT_PERIOD_DAYS));
    if from >= to {
        return Err(ApiError::field("from", "must be before `to`"));
    }
    let principal = principal.clone();
    let (from_at, to_at) = (stored(from), stored(to));
    let id = pipeline_id.clone();
    let (stages, groups) = state
        .db
        .run(move |conn| {
            let ws = principal.workspace_id.clone();
            load_pipeline(conn, &principal, &id)?;
            let stages = store::stages_of(conn, &ws, std::slice::from_ref(&id))?;
            let groups = store::pipeline_aggregates(conn, &ws, &id, from_at, to_at)?;
            Ok::<_, ApiError>((stages, groups))
        })
        .await?;
    let store::PipelineAggregates {
        open,
        stays,
        entered,
        straddling,
        closed,
    } = groups;

    let probability: HashMap<&str, i32> = stages
        .iter()
        .map(|s| (s.id.as_str(), s.probability))
        .collect();
    let forecast = Forecast {
        total: fold_forecast(&open, &probability, |_| (None, None)),
        by_month: fold_forecast(&open, &probability, |g| (g.month.clone(), None)),
        by_owner: fold_forecast(&open, &probability, |g| (None, g.owner_id.clone())),
    };

    // Funnel steps: the non-lost stages in pipeline order.
    let steps: Vec<&StageRow> = stages
        .iter()
        .filter(|s| s.kind != StageKind::Lost.as_str())
        .collect();
    // History refers to stages by number; the current order decides what is further.
    let step_of: HashMap<i32, usize> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.number, i))
        .collect();
    // A deal counts at the furthest step among the stages it entered in the period.
    let mut furthest_per_step = vec![0_i64; steps.len()];
    for g in &entered {
        let set = StagesEntered::parse(&g.stages_entered).ok_or_else(|| {
            ApiError::internal(format!("stored stages_entered {:?}", g.stages_entered))
        })?;
        if let Some(i) = set.numbers().filter_map(|n| step_of.get(&n).copied()).max() {
            furthest_per_step[i] += g.deals;
        }
    }
    let mut straddling_furthest: HashMap<&str, usize> = HashMap::new();
    for e in &straddling {
        if let Some(&i) = step_of.get(&e.stage_number) {
            let furthest = straddling_furthest.entry(e.deal_id.as_str()).or_insert(i);
            *furthest = (*furthest).max(i);
        }
    }
    for i in straddling_furthest.into_values() {
        furthest_per_step[i] += 1;
    }
    let reached = rules::reached(&furthest_per_step);
    let conversions = rules::conversions(&reached);
    let mut entries: HashMap<i32, i64> = HashMap::new();
    let mut histograms: HashMap<i32, BTreeMap<i64, i64>> = HashMap::new();
    for g in &stays {
        *entries.entry(g.stage_number).or_default() += g.stays;
        if let Some(h) = g.hours {
            *histograms
                .entry(g.stage_number)
                .or_default()
                .entry(h)
                .or_default() += g.stays;
        }
    }
    let funnel_stages = stages
        .iter()
        .map(|s| {
            let step = steps.iter().position(|x| x.id == s.id);
            let histogram = histograms.remove(&s.number).unwrap_or_default();
            FunnelStage {
                stage_id: s.id.clone(),
                name: s.name.clone(),
                kind: s.kind.clone(),
                position: s.position,
                archived: s.archived_at.is_some(),
                entries: entries.get(&s.number).copied().unwrap_or(0),
                reached: step.and_then(|i| reached.get(i).copied()),
                conversion_to_next: step.and_then(|i| conversions.get(i).copied().flatten()),
                median_days_in_stage: rules::median_of_histogram(&histogram)
                    .map(|hours| (hours / 24.0 * 100.0).round() / 100.0),
                completed_stays: histogram.values().sum(),
            }
        })
        .collect();

    let (mut won, mut lost) = (0_i64, 0_i64);
    let mut won_amounts: BTreeMap<String, (i64, i128)> = BTreeMap::new();
    let mut sources: BTreeMap<Option<String>, (i64, i64)> = BTreeMap::new();
    for g in &closed {
        let entry = sources.entry(g.source.clone()).or_default();
        if g.status == StageKind::Won.as_str() {
            won += g.deals;
            entry.0 += g.deals;
            let amounts = won_amounts.entry(g.currency.clone()).or_default();
            amounts.0 += g.deals;
            amounts.1 += g.amount();
        } else {
            lost += g.deals;
            entry.1 += g.deals;
        }
    }
    let funnel = Funnel {
        stages: funnel_stages,
        won,
        lost,
        win_rate: rules::win_rate(won, lost),
        won_amounts: won_amounts
            .into_iter()
            .map(|(currency, (count, amount))| WonAmount {
                currency,
                won: count,
                amount: clamp_i64(amount),
                average_amount: clamp_i64(rules::average_amount(amount, count).unwrap_or(0)),
            })
            .collect(),
        by_source: sources
            .into_iter()
            .map(|(source, (w, l))| SourceWinRate {
                source,
                won: w,
                lost: l,
                win_rate: rules::win_rate(w, l),
            })
            .collect(),
    };
    Ok(PipelineAnalytics {
        pipeline_id,
        from: utc(from_at),
        to: utc(to_at),
        forecast,
        funnel,
    })
}
