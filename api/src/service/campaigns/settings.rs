//! The workspace's global control group (`/v1/campaigns/global-control`): a share of all
//! customers left out of every campaign that respects it, so the total effect of all
//! campaigns can be measured. Membership is a hash of the workspace, an epoch and the
//! customer (`rapport_domain::campaigns::assignment`); a re-draw increments the epoch. It is
//! re-drawn by hand (`POST …/redraw`) or every `redraw_every_days`, checked at each launch.

use chrono::{DateTime, Duration, Utc};
use rapport_domain::access::Scope;
use rapport_persistence::campaigns::{self as store, SettingsRow};
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::events::domain::{data, DomainEvent};
use crate::service::pipeline::{self, WriteContext};
use crate::service::{now, utc};
use crate::state::AppState;

/// The global control group's settings.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct GlobalControl {
    /// Share of all customers held out, 0 (off, the default) to 0.5.
    #[schema(example = 0.05)]
    pub share: f64,
    /// Changes at each re-draw: the group is drawn anew.
    pub epoch: i64,
    pub redrawn_at: Option<DateTime<Utc>>,
    /// Re-drawn automatically after this many days (checked at each launch); null: by hand.
    pub redraw_every_days: Option<i32>,
    pub version: i64,
}

/// New settings (replaces them; the epoch is kept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
pub struct GlobalControlInput {
    /// 0 to 0.5.
    #[schema(example = 0.05)]
    pub share: f64,
    /// 1 to 3,650 days, or null.
    #[serde(default)]
    #[schema(example = 90)]
    pub redraw_every_days: Option<i32>,
}

fn of(row: SettingsRow) -> GlobalControl {
    GlobalControl {
        share: row.global_control_share,
        epoch: row.global_control_epoch,
        redrawn_at: row.redrawn_at.map(utc),
        redraw_every_days: row.redraw_every_days,
        version: row.version,
    }
}

fn default_row(workspace_id: &str) -> SettingsRow {
    SettingsRow {
        workspace_id: workspace_id.to_owned(),
        global_control_share: 0.0,
        global_control_epoch: 0,
        redrawn_at: None,
        redraw_every_days: None,
        version: 0,
        updated_at: now(),
    }
}

/// The settings in force for a launch now: re-drawn first when the schedule says so.
pub fn current(conn: &mut DbConn, cx: &mut WriteContext) -> Result<SettingsRow, ApiError> {
    let ws = cx.principal().workspace_id.clone();
    let Some(row) = store::settings(conn, &ws)? else {
        return Ok(default_row(&ws));
    };
    let at = now();
    let since = row.redrawn_at.unwrap_or(row.updated_at);
    match row.redraw_every_days {
        Some(days) if days > 0 && since + Duration::days(i64::from(days)) <= at => {
            let next = SettingsRow {
                global_control_epoch: row.global_control_epoch.saturating_add(1),
                redrawn_at: Some(at),
                version: row.version + 1,
                updated_at: at,
                ..row
            };
            store::save_settings(conn, &next)?;
            cx.emit(DomainEvent::CampaignSettingsChanged {
                settings: data(&of(next.clone()))?,
            })?;
            Ok(next)
        }
        _ => Ok(row),
    }
}

pub async fn get(state: &AppState, principal: &Principal) -> Result<GlobalControl, ApiError> {
    principal.require(Scope::CampaignsRead)?;
    let ws = principal.workspace_id.clone();
    state
        .db
        .run(move |conn| {
            Ok(of(
                store::settings(conn, &ws)?.unwrap_or_else(|| default_row(&ws))
            ))
        })
        .await
}

pub async fn update(
    state: &AppState,
    principal: &Principal,
    input: GlobalControlInput,
) -> Result<GlobalControl, ApiError> {
    principal.require(Scope::CampaignsWrite)?;
    let mut errors = Vec::new();
    if !(0.0..=0.5).contains(&input.share) {
        errors.push(FieldError {
            field: "share".into(),
            message: "0 to 0.5".into(),
        });
    }
    if input
        .redraw_every_days
        .is_some_and(|d| !(1..=3650).contains(&d))
    {
        errors.push(FieldError {
            field: "redraw_every_days".into(),
            message: "1 to 3650, or null".into(),
        });
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    pipeline::run(state, principal, move |conn, cx| {
        let ws = cx.principal().workspace_id.clone();
        let stored = store::settings(conn, &ws)?.unwrap_or_else(|| default_row(&ws));
        let before = of(stored.clone());
        let row = SettingsRow {
            global_control_share: input.share,
            redraw_every_days: input.redraw_every_days,
            version: stored.version + 1,
            updated_at: now(),
            ..stored
        };
        store::save_settings(conn, &row)?;
        let out = of(row);
        cx.audit(
            "campaign.global_control",
            "campaign_settings",
            None,
            Some(&before),
            Some(&out),
        )?;
        cx.emit(DomainEvent::CampaignSettingsChanged {
            settings: data(&out)?,
        })?;
        Ok(out)
    })
    .await
}

/// Draws the global control group anew (the epoch moves on).
pub async fn redraw(state: &AppState, principal: &Principal) -> Result<GlobalControl, ApiError> {
    principal.require(Scope::CampaignsWrite)?;
    pipeline::run(state, principal, move |conn, cx| {
        let ws = cx.principal().workspace_id.clone();
        let stored = store::settings(conn, &ws)?.unwrap_or_else(|| default_row(&ws));
        let at = now();
        let before = of(stored.clone());
        let row = SettingsRow {
            global_control_epoch: stored.global_control_epoch.saturating_add(1),
            redrawn_at: Some(at),
            version: stored.version + 1,
            updated_at: at,
            ..stored
        };
        store::save_settings(conn, &row)?;
        let out = of(row);
        cx.audit(
            "campaign.global_control_redraw",
            "campaign_settings",
            None,
            Some(&before),
            Some(&out),
        )?;
        cx.emit(DomainEvent::CampaignSettingsChanged {
            settings: data(&out)?,
        })?;
        Ok(out)
    })
    .await
}
