//! Campaigns (`/v1/campaigns`): a message on a channel to a segment's customers, with a
//! control group held out at launch ([`launch`]), contact outcomes reported back
//! ([`members`]), and results with uplift, intervals and ROMI ([`results`]).
//!
//! A campaign is `draft` until launched, `launched` while its attribution window is open,
//! then `completed`. Completion is applied lazily: every read of campaigns (get, list,
//! results, members) first completes the workspace's campaigns whose window has closed, in
//! one write that emits `campaign.completed` once per campaign.

pub mod attribution;
pub mod launch;
pub mod members;
pub mod results;
pub mod settings;

use chrono::{DateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::campaigns::CampaignChannel;
use rapport_persistence::campaigns::{self as store, CampaignRow};
use rapport_persistence::segments as segment_store;
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::events::domain::{data, Change, DomainEvent};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::pipeline::{self, WriteContext};
use crate::service::{new_id, now, utc, versioning, Page, PageRequest};
use crate::state::AppState;

/// Default share of the audience held out as control.
pub const DEFAULT_CONTROL_SHARE: f64 = 0.1;
/// Default attribution window.
pub const DEFAULT_WINDOW_DAYS: i32 = 30;
/// Largest fixed or per-contact cost (minor units): sums of them stay far inside an i64.
pub const MAX_COST: i64 = 1_000_000_000_000;

/// A campaign.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "Campaign")]
pub struct Campaign {
    pub id: String,
    #[schema(example = "Win back drifting customers")]
    pub name: String,
    #[schema(example = "Bring at-risk customers back to a second purchase")]
    pub goal: Option<String>,
    /// `email`, `sms`, `push`, `call`, `in_store` or `direct_mail`.
    #[schema(example = "email")]
    pub channel: String,
    /// The segment whose members form the audience at launch.
    pub segment_id: String,
    /// The offer it carries (no offers resource yet: stored as given).
    pub offer_id: Option<String>,
    /// The reporting currency: of the costs and of every amount in the results.
    #[schema(example = "EUR")]
    pub currency: String,
    /// Fixed cost, minor units.
    #[schema(example = 50000)]
    pub cost_fixed: i64,
    /// Cost per contacted (treated) customer, minor units.
    #[schema(example = 12)]
    pub cost_per_contact: i64,
    /// Days after launch in which an order converts.
    #[schema(example = 30)]
    pub attribution_window_days: i32,
    /// Share of the audience held out as control.
    #[schema(example = 0.1)]
    pub control_share: f64,
    /// Split each RFM segment in the same proportion.
    pub stratify: bool,
    /// Leave out the workspace's global control group.
    pub respect_global_control: bool,
    /// When set, only orders with a line item of this category convert and count.
    pub conversion_category: Option<String>,
    /// `draft`, `launched` or `completed`.
    #[schema(example = "draft")]
    pub status: String,
    pub launched_at: Option<DateTime<Utc>>,
    /// When the attribution window closes (launch + window).
    pub ends_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// The audience as launched (absent for a draft).
    pub audience: Option<AudienceCounts>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Who the launch took in and left out.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct AudienceCounts {
    /// Live members of the segment at launch.
    pub eligible: i64,
    /// Left out: no granted consent for the channel.
    pub excluded_no_consent: i64,
    /// Left out: in the workspace's global control group.
    pub excluded_global_control: i64,
    pub treated: i64,
    pub control: i64,
}

/// A new campaign (and, as a merge patch, a change to one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
pub struct CampaignInput {
    /// 1 to 200 characters.
    #[schema(example = "Win back drifting customers")]
    pub name: String,
    /// At most 2,000 characters.
    #[serde(default)]
    pub goal: Option<String>,
    /// `email`, `sms`, `push` (each needs the customer's granted consent), `call`,
    /// `in_store` or `direct_mail`.
    #[schema(example = "email")]
    pub channel: String,
    /// A segment of the workspace.
    pub segment_id: String,
    #[serde(default)]
    pub offer_id: Option<String>,
    /// The workspace's reporting currency (the default); no other is accepted.
    #[serde(default)]
    pub currency: Option<String>,
    /// Minor units, 0 to 10^12 (default 0).
    #[serde(default)]
    #[graphql(default)]
    #[schema(example = 50000)]
    pub cost_fixed: i64,
    /// Minor units per treated customer, 0 to 10^12 (default 0).
    #[serde(default)]
    #[graphql(default)]
    #[schema(example = 12)]
    pub cost_per_contact: i64,
    /// 1 to 365 days (default 30).
    #[serde(default)]
    #[schema(example = 30)]
    pub attribution_window_days: Option<i32>,
    /// 0.01 to 0.9 (default 0.1).
    #[serde(default)]
    #[schema(example = 0.1)]
    pub control_share: Option<f64>,
    /// Split each RFM segment in the same proportion (default true).
    #[serde(default)]
    pub stratify: Option<bool>,
    /// Leave out the workspace's global control group (default true).
    #[serde(default)]
    pub respect_global_control: Option<bool>,
    /// Only orders with a line item of this category convert (1 to 200 characters).
    #[serde(default)]
    pub conversion_category: Option<String>,
}

impl TryFrom<CampaignRow> for Campaign {
    type Error = ApiError;

    fn try_from(row: CampaignRow) -> Result<Self, ApiError> {
        let audience = (row.status != "draft").then_some(AudienceCounts {
            eligible: row.eligible,
            excluded_no_consent: row.excluded_no_consent,
            excluded_global_control: row.excluded_global_control,
            treated: row.treated,
            control: row.control,
        });
        Ok(Campaign {
            id: row.id,
            name: row.name,
            goal: row.goal,
            channel: row.channel,
            segment_id: row.segment_id,
            offer_id: row.offer_id,
            currency: row.currency,
            cost_fixed: row.cost_fixed,
            cost_per_contact: row.cost_per_contact,
            attribution_window_days: row.attribution_window_days,
            control_share: row.control_share,
            stratify: row.stratify,
            respect_global_control: row.respect_global_control,
            conversion_category: row.conversion_category,
            status: row.status,
            launched_at: row.launched_at.map(utc),
            ends_at: row.ends_at.map(utc),
            completed_at: row.completed_at.map(utc),
            audience,
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        })
    }
}

/// A validated input, before the checks that need the database.
struct Valid {
    name: String,
    goal: Option<String>,
    channel: CampaignChannel,
    segment_id: String,
    offer_id: Option<String>,
    currency: Option<String>,
    cost_fixed: i64,
    cost_per_contact: i64,
    window_days: i32,
    control_share: f64,
    stratify: bool,
    respect_global_control: bool,
    conversion_category: Option<String>,
}

fn text_ok(s: &str, max: usize) -> bool {
    !s.trim().is_empty() && s.chars().count() <= max && !s.contains(char::is_control)
}

fn validate(input: &CampaignInput) -> Result<Valid, ApiError> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, message: &str| {
        errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        })
    };
    if !text_ok(&input.name, 200) {
        bad("name", "1 to 200 characters, no control characters");
    }
    if input
        .goal
        .as_deref()
        .is_some_and(|g| g.chars().count() > 2000)
    {
        bad("goal", "at most 2000 characters");
    }
    let channel = CampaignChannel::parse(&input.channel);
    if channel.is_none() {
        bad(
            "channel",
            "one of email, sms, push, call, in_store, direct_mail",
        );
    }
    if uuid::Uuid::parse_str(&input.segment_id).is_err() {
        bad("segment_id", "no segment with this id");
    }
    if input.offer_id.as_deref().is_some_and(|o| !text_ok(o, 200)) {
        bad("offer_id", "1 to 200 characters");
    }
    if input
        .currency
        .as_deref()
        .is_some_and(|c| c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()))
    {
        bad("currency", "an ISO 4217 code such as EUR");
    }
    if !(0..=MAX_COST).contains(&input.cost_fixed) {
        bad("cost_fixed", "minor units, 0 to 10^12");
    }
    if !(0..=MAX_COST).contains(&input.cost_per_contact) {
        bad("cost_per_contact", "minor units, 0 to 10^12");
    }
    let window_days = input.attribution_window_days.unwrap_or(DEFAULT_WINDOW_DAYS);
    if !(1..=365).contains(&window_days) {
        bad("attribution_window_days", "1 to 365");
    }
    let control_share = input.control_share.unwrap_or(DEFAULT_CONTROL_SHARE);
    if !(0.01..=0.9).contains(&control_share) {
        bad("control_share", "0.01 to 0.9");
    }
    if input
        .conversion_category
        .as_deref()
        .is_some_and(|c| !text_ok(c, 200))
    {
        bad("conversion_category", "1 to 200 characters");
    }
    match channel {
        Some(channel) if errors.is_empty() => Ok(Valid {
            name: input.name.trim().to_owned(),
            goal: input.goal.clone(),
            channel,
            segment_id: input.segment_id.clone(),
            offer_id: input.offer_id.clone(),
            currency: input.currency.clone(),
            cost_fixed: input.cost_fixed,
            cost_per_contact: input.cost_per_contact,
            window_days,
            control_share,
            stratify: input.stratify.unwrap_or(true),
            respect_global_control: input.respect_global_control.unwrap_or(true),
            conversion_category: input.conversion_category.clone(),
        }),
        _ => Err(ApiError::validation(errors)),
    }
}

/// The checks that read the workspace: the segment exists, the currency is the reporting one.
fn check_in_workspace(
    conn: &mut DbConn,
    workspace_id: &str,
    v: &Valid,
) -> Result<String, ApiError> {
    if segment_store::find(conn, workspace_id, &v.segment_id)?.is_none() {
        return Err(ApiError::field("segment_id", "no segment with this id"));
    }
    let reporting = crate::service::value::load_settings(conn, workspace_id)?.reporting_currency;
    match &v.currency {
        Some(c) if *c != reporting => Err(ApiError::field(
            "currency",
            format!("must be the workspace's reporting currency ({reporting})"),
        )),
        _ => Ok(reporting),
    }
}

/// A live campaign of the workspace, or 404.
pub fn load(conn: &mut DbConn, workspace_id: &str, id: &str) -> Result<CampaignRow, ApiError> {
    store::find(conn, workspace_id, id)?
        .ok_or_else(|| ApiError::not_found(format!("no campaign {id}")))
}

fn input_of(c: &Campaign) -> CampaignInput {
    CampaignInput {
        name: c.name.clone(),
        goal: c.goal.clone(),
        channel: c.channel.clone(),
        segment_id: c.segment_id.clone(),
        offer_id: c.offer_id.clone(),
        currency: Some(c.currency.clone()),
        cost_fixed: c.cost_fixed,
        cost_per_contact: c.cost_per_contact,
        attribution_window_days: Some(c.attribution_window_days),
        control_share: Some(c.control_share),
        stratify: Some(c.stratify),
        respect_global_control: Some(c.respect_global_control),
        conversion_category: c.conversion_category.clone(),
    }
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: CampaignInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<Campaign>, ApiError> {
    principal.require(Scope::CampaignsWrite)?;
    let valid = validate(&input)?;
    pipeline::write(state, principal, idempotency, 201, move |conn, cx| {
        let ws = cx.principal().workspace_id.clone();
        let currency = check_in_workspace(conn, &ws, &valid)?;
        let at = now();
        let row = CampaignRow {
            id: new_id(),
            workspace_id: ws,
            name: valid.name,
            goal: valid.goal,
            channel: valid.channel.as_str().to_owned(),
            segment_id: valid.segment_id,
            offer_id: valid.offer_id,
            currency,
            cost_fixed: valid.cost_fixed,
            cost_per_contact: valid.cost_per_contact,
            attribution_window_days: valid.window_days,
            control_share: valid.control_share,
            stratify: valid.stratify,
            respect_global_control: valid.respect_global_control,
            conversion_category: valid.conversion_category,
            status: "draft".into(),
            launched_at: None,
            ends_at: None,
            completed_at: None,
            eligible: 0,
            excluded_no_consent: 0,
            excluded_global_control: 0,
            treated: 0,
            control: 0,
            version: 1,
            created_at: at,
            updated_at: at,
            deleted_at: None,
        };
        store::insert(conn, &row)?;
        let campaign = Campaign::try_from(row)?;
        cx.audit::<(), _>(
            "campaign.create",
            "campaign",
            Some(&campaign.id),
            None,
            Some(&campaign),
        )?;
        cx.emit(DomainEvent::CampaignChanged {
            change: Change::Created,
            campaign: data(&campaign)?,
        })?;
        Ok(campaign)
    })
    .await
}

/// Completes the workspace's campaigns whose window has closed (see the module comment).
pub async fn settle(state: &AppState, principal: &Principal) -> Result<(), ApiError> {
    let ws = principal.workspace_id.clone();
    let due = state
        .db
        .run(move |conn| Ok(!store::due_for_completion(conn, &ws, now())?.is_empty()))
        .await?;
    if due {
        pipeline::run(state, principal, complete_due).await?;
    }
    Ok(())
}

/// In a write: marks due campaigns completed, each announced once.
pub fn complete_due(conn: &mut DbConn, cx: &mut WriteContext) -> Result<usize, ApiError> {
    let ws = cx.principal().workspace_id.clone();
    let at = now();
    let mut done = 0;
    for row in store::due_for_completion(conn, &ws, at)? {
        if store::complete(conn, &ws, &row.id, at)? == 1 {
            let campaign = Campaign::try_from(CampaignRow {
                status: "completed".into(),
                completed_at: Some(at),
                ..row
            })?;
            cx.emit(DomainEvent::CampaignLifecycle {
                event_type: "campaign.completed",
                campaign: data(&campaign)?,
            })?;
            done += 1;
        }
    }
    Ok(done)
}

pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<Campaign, ApiError> {
    principal.require(Scope::CampaignsRead)?;
    settle(state, principal).await?;
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
) -> Result<Page<Campaign>, ApiError> {
    principal.require(Scope::CampaignsRead)?;
    settle(state, principal).await?;
    let ws = principal.workspace_id.clone();
    let (after, limit) = (page.after.clone(), page.limit);
    let rows = state
        .db
        .run(move |conn| Ok(store::list(conn, &ws, after.as_deref(), limit + 1)?))
        .await?;
    let rows = rows
        .into_iter()
        .map(Campaign::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(rows, &page, |c| c.id.clone(), |c| c))
}

/// Change a campaign with a JSON merge patch. Once launched, only `name`, `goal`, `offer_id`
/// and the costs may change (the audience and how it was split are fixed): other changes
/// are a 409 `campaign_launched`.
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: &str,
    patch: Value,
    if_match: Option<i64>,
) -> Result<Campaign, ApiError> {
    principal.require(Scope::CampaignsWrite)?;
    versioning::require_patch_object(&patch)?;
    let id = id.to_owned();
    pipeline::run(state, principal, move |conn, cx| {
        let ws = cx.principal().workspace_id.clone();
        let stored = load(conn, &ws, &id)?;
        versioning::check_version("campaign", if_match, stored.version)?;
        let before = Campaign::try_from(stored.clone())?;
        let current = input_of(&before);
        let input: CampaignInput = versioning::merge_patch("a campaign", &current, &patch)?;
        let valid = validate(&input)?;
        let currency = check_in_workspace(conn, &ws, &valid)?;
        let row = CampaignRow {
            name: valid.name,
            goal: valid.goal,
            channel: valid.channel.as_str().to_owned(),
            segment_id: valid.segment_id,
            offer_id: valid.offer_id,
            currency,
            cost_fixed: valid.cost_fixed,
            cost_per_contact: valid.cost_per_contact,
            attribution_window_days: valid.window_days,
            control_share: valid.control_share,
            stratify: valid.stratify,
            respect_global_control: valid.respect_global_control,
            conversion_category: valid.conversion_category,
            version: stored.version + 1,
            updated_at: now(),
            ..stored.clone()
        };
        let fixed_at_launch = row.channel != stored.channel
            || row.segment_id != stored.segment_id
            || row.attribution_window_days != stored.attribution_window_days
            || row.control_share != stored.control_share
            || row.stratify != stored.stratify
            || row.respect_global_control != stored.respect_global_control
            || row.conversion_category != stored.conversion_category;
        if stored.status != "draft" && fixed_at_launch {
            return Err(ApiError::conflict(
                "campaign_launched",
                "a launched campaign's audience, channel, split and window are fixed",
            ));
        }
        versioning::write_versioned("campaign", if_match, stored.version, |_| {
            store::update(conn, &row, stored.version)
        })?;
        let after = Campaign::try_from(row)?;
        cx.audit(
            "campaign.update",
            "campaign",
            Some(&after.id),
            Some(&before),
            Some(&after),
        )?;
        cx.emit(DomainEvent::CampaignChanged {
            change: Change::updated(&before, &after),
            campaign: data(&after)?,
        })?;
        Ok(after)
    })
    .await
}

/// Soft delete: the campaign leaves reads and lists (its members and exposures are kept).
pub async fn delete(
    state: &AppState,
    principal: &Principal,
    id: &str,
    if_match: Option<i64>,
) -> Result<(), ApiError> {
    principal.require(Scope::CampaignsWrite)?;
    let id = id.to_owned();
    pipeline::run(state, principal, move |conn, cx| {
        let ws = cx.principal().workspace_id.clone();
        let stored = load(conn, &ws, &id)?;
        let before = Campaign::try_from(stored.clone())?;
        let at = now();
        versioning::write_versioned("campaign", if_match, stored.version, |version| {
            let deleted = CampaignRow {
                version,
                updated_at: at,
                deleted_at: Some(at),
                ..stored.clone()
            };
            store::update(conn, &deleted, stored.version)
        })?;
        cx.audit::<_, ()>(
            "campaign.delete",
            "campaign",
            Some(&id),
            Some(&before),
            None,
        )?;
        cx.emit(DomainEvent::CampaignChanged {
            change: Change::Deleted,
            campaign: data(&before)?,
        })?;
        Ok(())
    })
    .await
}
