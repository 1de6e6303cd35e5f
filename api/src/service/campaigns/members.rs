//! A launched campaign's members (`/v1/campaigns/{id}/members`) and the contact outcomes
//! the sending system reports for treated members (`POST /v1/campaigns/{id}/exposures`).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::campaigns::{Arm, EXPOSURE_OUTCOMES};
use rapport_persistence::campaigns::{self as store, ExposureRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{load, settle};
use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::events::domain::DomainEvent;
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::{now, page_request, pipeline, stored, utc, Page};
use crate::state::AppState;

/// Most exposures in one request.
pub const MAX_BATCH: usize = 1_000;

/// One member of a launched campaign.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct CampaignMember {
    pub account_id: String,
    /// `treatment` or `control`.
    #[schema(example = "treatment")]
    pub arm: String,
    /// The RFM segment at launch.
    pub rfm_segment: Option<String>,
    /// The risk band at launch (`healthy`, `watch`, `at_risk`, `lost`).
    pub risk_band: Option<String>,
    /// The contact outcomes reported, oldest first.
    pub exposures: Vec<Exposure>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Exposure {
    #[schema(example = "opened")]
    pub outcome: String,
    pub occurred_at: DateTime<Utc>,
}

/// `?arm=&limit=&after=`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// `treatment` or `control` (default both).
    pub arm: Option<String>,
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
}

/// Outcomes of treated members, up to 1,000.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExposureBatch {
    pub exposures: Vec<ExposureInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
pub struct ExposureInput {
    /// A treated member of the campaign.
    pub account_id: String,
    /// `sent`, `delivered`, `opened`, `clicked`, `bounced` or `unsubscribed`.
    #[schema(example = "delivered")]
    pub outcome: String,
    /// When it happened (default: now; not in the future).
    #[serde(default)]
    pub occurred_at: Option<DateTime<Utc>>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ExposureItemResult {
    /// Position in the batch.
    pub index: i64,
    /// `recorded`, or `duplicate` (this outcome was reported for this member before).
    pub status: String,
    pub account_id: String,
    pub outcome: String,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ExposureBatchResult {
    pub recorded: i64,
    pub duplicates: i64,
    pub results: Vec<ExposureItemResult>,
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    campaign_id: &str,
    query: MemberQuery,
) -> Result<Page<CampaignMember>, ApiError> {
    principal.require(Scope::CampaignsRead)?;
    let page = page_request(query.limit, query.after)?;
    let arm = match query.arm.as_deref() {
        None => None,
        Some(a) => Some(
            Arm::parse(a)
                .ok_or_else(|| ApiError::field("arm", "treatment or control"))?
                .as_str(),
        ),
    };
    settle(state, principal).await?;
    let ws = principal.workspace_id.clone();
    let id = campaign_id.to_owned();
    let (after, limit) = (page.after.clone(), page.limit);
    let (rows, exposures) = state
        .db
        .run(move |conn| {
            load(conn, &ws, &id)?;
            let rows = store::members(conn, &ws, &id, arm, after.as_deref(), limit + 1)?;
            let ids: Vec<String> = rows.iter().map(|r| r.account_id.clone()).collect();
            let exposures = store::exposures_of(conn, &ws, &id, &ids)?;
            Ok((rows, exposures))
        })
        .await?;
    let mut by_account: HashMap<String, Vec<Exposure>> = HashMap::new();
    for e in exposures {
        by_account.entry(e.account_id).or_default().push(Exposure {
            outcome: e.outcome,
            occurred_at: utc(e.occurred_at),
        });
    }
    Ok(Page::from_rows(
        rows,
        &page,
        |r| r.account_id.clone(),
        |r| CampaignMember {
            exposures: by_account.remove(&r.account_id).unwrap_or_default(),
            account_id: r.account_id,
            arm: r.arm,
            rfm_segment: r.rfm_segment,
            risk_band: r.risk_band,
        },
    ))
}

/// Records contact outcomes of treated members, all or nothing: any invalid item is a 422
/// naming it (`exposures[3].account_id`); an outcome reported before is a `duplicate`.
pub async fn record(
    state: &AppState,
    principal: &Principal,
    campaign_id: &str,
    batch: ExposureBatch,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<ExposureBatchResult>, ApiError> {
    principal.require(Scope::CampaignsWrite)?;
    if batch.exposures.is_empty() || batch.exposures.len() > MAX_BATCH {
        return Err(ApiError::field("exposures", "1 to 1000 items"));
    }
    let at = now();
    let mut errors = Vec::new();
    for (i, e) in batch.exposures.iter().enumerate() {
        if !EXPOSURE_OUTCOMES.contains(&e.outcome.as_str()) {
            errors.push(FieldError {
                field: format!("exposures[{i}].outcome"),
                message: "one of sent, delivered, opened, clicked, bounced, unsubscribed".into(),
            });
        }
        if e.occurred_at.is_some_and(|t| stored(t) > at) {
            errors.push(FieldError {
                field: format!("exposures[{i}].occurred_at"),
                message: "must not be in the future".into(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let id = campaign_id.to_owned();
    pipeline::write(state, principal, idempotency, 200, move |conn, cx| {
        let ws = cx.principal().workspace_id.clone();
        let campaign = load(conn, &ws, &id)?;
        if campaign.status == "draft" {
            return Err(ApiError::conflict(
                "campaign_not_launched",
                "a draft has no members to report on",
            ));
        }
        let ids: Vec<String> = batch
            .exposures
            .iter()
            .map(|e| e.account_id.clone())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let arms: HashMap<String, String> =
            store::arms_of(conn, &ws, &id, &ids)?.into_iter().collect();
        let errors: Vec<FieldError> = batch
            .exposures
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match arms.get(&e.account_id).map(String::as_str) {
                Some("treatment") => None,
                Some(_) => Some(FieldError {
                    field: format!("exposures[{i}].account_id"),
                    message: "a control member: control members are not contacted".into(),
                }),
                None => Some(FieldError {
                    field: format!("exposures[{i}].account_id"),
                    message: "not a member of this campaign".into(),
                }),
            })
            .collect();
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        let mut out = ExposureBatchResult {
            recorded: 0,
            duplicates: 0,
            results: Vec::with_capacity(batch.exposures.len()),
        };
        for (i, e) in batch.exposures.into_iter().enumerate() {
            let fresh = store::record_exposure(
                conn,
                &ExposureRow {
                    campaign_id: id.clone(),
                    account_id: e.account_id.clone(),
                    outcome: e.outcome.clone(),
                    workspace_id: ws.clone(),
                    occurred_at: e.occurred_at.map(stored).unwrap_or(at),
                    recorded_at: at,
                },
            )?;
            if fresh {
                out.recorded += 1;
            } else {
                out.duplicates += 1;
            }
            out.results.push(ExposureItemResult {
                index: i64::try_from(i).unwrap_or(i64::MAX),
                status: if fresh { "recorded" } else { "duplicate" }.into(),
                account_id: e.account_id,
                outcome: e.outcome,
            });
        }
        cx.audit::<(), _>(
            "campaign.exposures",
            "campaign",
            Some(&id),
            None,
            Some(&serde_json::json!({"recorded": out.recorded, "duplicates": out.duplicates})),
        )?;
        cx.emit(DomainEvent::CampaignExposures {
            campaign_id: id.clone(),
            recorded: out.recorded,
            duplicates: out.duplicates,
        })?;
        Ok(out)
    })
    .await
}
