//! Value "as of" a past instant (`as_of=`): an account's metrics and the at-risk ranking
//! computed from the purchases up to that instant, with the workspace's current model
//! evaluated there (each customer's age `T` counted to the `as_of` day), as a backtest at
//! that cutoff evaluates its models.
//!
//! As in backtests, a purchase is a purchase day placed by its first order: a day whose
//! first order is at or before `as_of` counts whole (its orders and revenue), a later one
//! not at all; refunds count as they stand today. RFM scores are the current breakpoints
//! applied to the totals as of then. `as_of` may not be in the future (422 naming it).
//! Segment rules evaluated as of an instant read these same values ([`value_rows_as_of`]).

use chrono::{DateTime, NaiveDateTime, Utc};
use rapport_domain::rfm;
use rapport_domain::value::{day_of, AccountTotals, DayTotals};
use rapport_persistence::segments::PredictionRow;
use rapport_persistence::value::{self as store, MetricsRow, PurchaseDayRow};
use rapport_persistence::DbConn;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::value::{
    current_model, load_settings, metrics_of_totals, metrics_row, prediction_row, rfm_input,
    CurrentModel, Rfm, ValueMetrics,
};
use crate::service::{now, stored};
use crate::state::AppState;

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    /// Compute as of this past instant (RFC 3339; default now): only the purchases up to
    /// it count, and predictions are the current model's at that instant.
    #[param(value_type = Option<DateTime<Utc>>)]
    pub as_of: Option<String>,
}

/// `as_of` parsed (RFC 3339) and checked: not in the future; 422 naming it otherwise.
pub fn parse(as_of: Option<&str>) -> Result<Option<NaiveDateTime>, ApiError> {
    let Some(text) = as_of else {
        return Ok(None);
    };
    let at = DateTime::parse_from_rfc3339(text).map_err(|_| {
        ApiError::field(
            "as_of",
            "must be an RFC 3339 instant, like 2026-01-31T00:00:00Z",
        )
    })?;
    let at = stored(at.with_timezone(&Utc));
    if at > now() {
        return Err(ApiError::field("as_of", "must not be in the future"));
    }
    Ok(Some(at))
}

/// One account's totals from its purchase days, counting those whose first order is at or
/// before `as_of`.
pub fn totals_as_of(days: &[PurchaseDayRow], as_of: NaiveDateTime) -> AccountTotals {
    let kept: Vec<DayTotals> = days
        .iter()
        .filter(|d| d.first_at <= as_of)
        .map(|d| DayTotals {
            day: d.day,
            orders: d.orders,
            revenue: d.revenue,
            costed_revenue: d.costed_revenue,
            cost: d.cost,
            first_at: d.first_at,
            last_at: d.last_at.min(as_of),
        })
        .collect();
    AccountTotals::from_days(&kept)
}

/// RFM scores with the model's breakpoints on totals as of `at`.
fn rfm_score_as_of(
    totals: &AccountTotals,
    model: Option<&CurrentModel>,
    at: NaiveDateTime,
) -> Option<rfm::RfmScore> {
    let b = model?.rfm.as_ref()?;
    totals.first_day?;
    Some(rfm::score(b, &rfm_input(totals, day_of(at))))
}

/// RFM with the model's breakpoints on totals as of `at`.
pub fn rfm_as_of(
    totals: &AccountTotals,
    model: Option<&CurrentModel>,
    at: NaiveDateTime,
) -> Option<Rfm> {
    let s = rfm_score_as_of(totals, model, at)?;
    Some(Rfm {
        r: i32::from(s.r),
        f: i32::from(s.f),
        m: i32::from(s.m),
        segment: s.segment.as_str().to_owned(),
        label: s.segment.label().to_owned(),
    })
}

/// Every live buyer's totals as of `as_of` (accounts without a purchase by then left out),
/// by account id.
pub fn buyers_as_of(
    conn: &mut DbConn,
    workspace_id: &str,
    as_of: NaiveDateTime,
) -> Result<Vec<(String, AccountTotals)>, ApiError> {
    let rows = store::all_day_rows(conn, workspace_id)?;
    let mut out = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let mut stop = start;
        while stop < rows.len() && rows[stop].account_id == rows[start].account_id {
            stop += 1;
        }
        let totals = totals_as_of(&rows[start..stop], as_of);
        if totals.first_day.is_some() {
            out.push((rows[start].account_id.clone(), totals));
        }
        start = stop;
    }
    Ok(out)
}

/// The workspace's value as of `at` in the shape of the stored tables, for segment rules
/// (see `rule_segments::as_of`): one metrics row per buyer by then (totals and RFM as
/// [`account_metrics`] computes them) and one predictions row per buyer the current model
/// scores at `at` (as stored predictions are made, see `value::prediction_row`).
pub fn value_rows_as_of(
    conn: &mut DbConn,
    workspace_id: &str,
    at: NaiveDateTime,
) -> Result<(Vec<MetricsRow>, Vec<PredictionRow>), ApiError> {
    let settings = load_settings(conn, workspace_id)?;
    let model = current_model(conn, workspace_id)?;
    let buyers = buyers_as_of(conn, workspace_id, at)?;
    let mut metrics = Vec::with_capacity(buyers.len());
    let mut predictions = Vec::with_capacity(buyers.len());
    for (account_id, totals) in buyers {
        let score = rfm_score_as_of(&totals, model.as_ref(), at);
        if let Some(row) = model
            .as_ref()
            .and_then(|m| prediction_row(&account_id, workspace_id, &totals, m, &settings, at))
        {
            predictions.push(row);
        }
        metrics.push(metrics_row(workspace_id, &account_id, &totals, score, at));
    }
    Ok((metrics, predictions))
}

/// `GET /v1/accounts/{id}/metrics`: an account's value metrics, now or as of a past instant.
pub async fn account_metrics(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    query: AsOfQuery,
) -> Result<ValueMetrics, ApiError> {
    principal.require(rapport_domain::access::Scope::AccountsRead)?;
    let as_of = parse(query.as_of.as_deref())?;
    let ws = principal.workspace_id.clone();
    let id = account_id.to_owned();
    state
        .db
        .run(move |conn| {
            rapport_persistence::accounts::find(conn, &ws, &id)?
                .ok_or_else(|| ApiError::not_found("no account with that id"))?;
            match as_of {
                None => crate::service::economics::profitability::account_metrics(conn, &ws, &id),
                Some(at) => {
                    let settings = load_settings(conn, &ws)?;
                    let model = current_model(conn, &ws)?;
                    let days = store::days_of(conn, &ws, &[id.as_str()])?;
                    let totals = totals_as_of(&days, at);
                    let rfm = rfm_as_of(&totals, model.as_ref(), at);
                    Ok(metrics_of_totals(
                        &totals,
                        rfm,
                        model.as_ref(),
                        &settings,
                        at,
                    ))
                }
            }
        })
        .await
}
