//! `POST /v1/campaigns/{id}/launch`: snapshots the audience once. The segment's live members
//! now, minus those without granted consent for the channel (counted) and those in the
//! global control group (counted, when the campaign respects it), are split into treatment
//! and control by the documented hash (`rapport_domain::campaigns::assignment`), and kept
//! with the RFM segment and risk band they had, for the breakdowns of the results.
//!
//! A launch happens once: the draft is claimed by a conditional update before anything is
//! written, so a second launch (or a concurrent one) is a 409 `campaign_already_launched`;
//! the same `Idempotency-Key` gets the first answer again.

use chrono::Duration;
use chrono::NaiveDateTime;
use rapport_domain::access::Scope;
use rapport_domain::campaigns::assignment::{assign, in_global_control, Candidate};
use rapport_domain::campaigns::{Arm, CampaignChannel};
use rapport_domain::value::RiskThresholds;
use rapport_persistence::campaigns::{self as store, AudienceRow, CampaignRow, MemberRow};
use rapport_persistence::segments as segment_store;
use rapport_persistence::DbConn;

use super::{load, settings, Campaign};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::events::domain::{data, DomainEvent};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::now;
use crate::service::pipeline::{self, WriteContext};
use crate::service::rule_segments;
use crate::state::AppState;

fn already_launched() -> ApiError {
    ApiError::conflict(
        "campaign_already_launched",
        "the campaign was launched already: its audience is fixed",
    )
}

pub async fn launch(
    state: &AppState,
    principal: &Principal,
    id: &str,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<Campaign>, ApiError> {
    principal.require(Scope::CampaignsWrite)?;
    let id = id.to_owned();
    pipeline::write(state, principal, idempotency, 200, move |conn, cx| {
        launch_at(conn, cx, &id, now())
    })
    .await
}

/// Launches a draft as of `at` (now for the API; a past instant for the demo's history).
pub fn launch_at(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    id: &str,
    at: NaiveDateTime,
) -> Result<Campaign, ApiError> {
    let id = id.to_owned();
    let ws = cx.principal().workspace_id.clone();
    let stored = load(conn, &ws, &id)?;
    if stored.status != "draft" {
        return Err(already_launched());
    }
    let ends_at = at + Duration::days(i64::from(stored.attribution_window_days));
    // Claim first: a concurrent launch waits here and then finds no draft.
    if store::claim_launch(conn, &ws, &id, at, ends_at)? == 0 {
        return Err(already_launched());
    }
    if segment_store::find(conn, &ws, &stored.segment_id)?.is_none() {
        return Err(ApiError::conflict(
            "campaign_segment_deleted",
            "the campaign's segment was deleted: point it at another before launching",
        ));
    }
    let consent = CampaignChannel::parse(&stored.channel)
        .ok_or_else(|| ApiError::internal("a stored channel no longer parses"))?
        .consent();
    let filter = rule_segments::filter_of(conn, &ws, &stored.segment_id)?;
    let audience = store::audience(conn, &ws, &filter, consent)?;
    let global = settings::current(conn, cx)?;
    let thresholds =
        RiskThresholds::from(crate::service::value::load_settings(conn, &ws)?.risk_thresholds);
    let eligible = audience.len();
    let mut no_consent = 0i64;
    let mut held_out = 0i64;
    let mut kept: Vec<&AudienceRow> = Vec::with_capacity(audience.len());
    for row in &audience {
        if consent.is_some() && row.consent.as_deref() != Some("granted") {
            no_consent += 1;
        } else if stored.respect_global_control
            && in_global_control(
                &ws,
                global.global_control_epoch,
                &row.account_id,
                global.global_control_share,
            )
        {
            held_out += 1;
        } else {
            kept.push(row);
        }
    }
    let candidates: Vec<Candidate<'_>> = kept
        .iter()
        .map(|r| Candidate {
            account_id: &r.account_id,
            stratum: r.rfm_segment.as_deref(),
        })
        .collect();
    let arms = assign(&id, &candidates, stored.control_share, stored.stratify);
    let members: Vec<MemberRow> = kept
        .iter()
        .zip(&arms)
        .map(|(r, arm)| MemberRow {
            campaign_id: id.clone(),
            account_id: r.account_id.clone(),
            workspace_id: ws.clone(),
            arm: arm.as_str().to_owned(),
            rfm_segment: r.rfm_segment.clone(),
            risk_band: r.churn_probability.map(|p| thresholds.band(p).to_owned()),
        })
        .collect();
    store::insert_members(conn, &members)?;
    // The members' running sums, from the orders already written in the window.
    super::attribution::start(
        conn,
        &ws,
        &id,
        at,
        ends_at,
        stored.conversion_category.as_deref(),
    )?;
    let control = arms.iter().filter(|a| **a == Arm::Control).count();
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let row = CampaignRow {
        status: "launched".into(),
        launched_at: Some(at),
        ends_at: Some(ends_at),
        eligible: count(eligible),
        excluded_no_consent: no_consent,
        excluded_global_control: held_out,
        treated: count(members.len() - control),
        control: count(control),
        version: stored.version + 1,
        updated_at: now(),
        ..stored.clone()
    };
    store::update(conn, &row, stored.version)?;
    let before = Campaign::try_from(stored)?;
    let campaign = Campaign::try_from(row)?;
    cx.audit(
        "campaign.launch",
        "campaign",
        Some(&campaign.id),
        Some(&before),
        Some(&campaign),
    )?;
    cx.emit(DomainEvent::CampaignLifecycle {
        event_type: "campaign.launched",
        campaign: data(&campaign)?,
    })?;
    Ok(campaign)
}
