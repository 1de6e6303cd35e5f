//! The workspace's value models: BG/NBD (churn, expected orders), Gamma-Gamma (order value)
//! and the RFM quintile breakpoints, fitted together from the live account metrics and
//! stored as a new version. Time unit: days. Fitting also re-scores every buyer's RFM
//! segment; its `model.refitted` event invalidates the workspace's cached profiles.
//!
//! `as_of` (default now) is the end of the observation window: each customer's age `T` is
//! counted to it. It may not be before the newest order (the metrics already include it).

use std::time::Instant;

use chrono::{DateTime, NaiveDateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::models::{bgnbd, spend, CustomerSummary, FitOptions};
use rapport_domain::rfm::{self, RfmBreakpoints};
use rapport_domain::value::day_of;
use rapport_persistence::value::{self as store, ModelRow};
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::events::domain::{data, DomainEvent, Segment};
use crate::service::pipeline::{self, Committed, WriteContext};
use crate::service::value::{metrics_of, totals_of, CurrentModel};
use crate::service::value::{rfm_input, scores_of};
use crate::service::{new_id, now, stored, utc};
use crate::state::AppState;

pub use crate::service::model_shapes::{
    BgNbdFit, CandidateScore, ChurnModel, FitIssue, GammaGammaFit, ModelSelection,
    PurchaseModelFit, PurchaseParameters, RfmCuts,
};

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
#[graphql(name = "FitModelInput")]
pub struct FitRequest {
    /// End of the observation window (default now); not before the newest order.
    pub as_of: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Report {
    issues: Vec<FitIssue>,
    fit_seconds: f64,
}

fn to_api(row: &ModelRow) -> Result<ChurnModel, ApiError> {
    let model = CurrentModel::from_row(row)?;
    let report: Report = serde_json::from_str(&row.report).map_err(ApiError::internal)?;
    Ok(ChurnModel {
        version: row.version,
        fitted_at: utc(row.fitted_at),
        as_of: utc(row.as_of),
        customers: row.customers,
        time_unit: "days".into(),
        bgnbd: model.bgnbd.map(|f| BgNbdFit {
            r: f.params.r,
            alpha: f.params.alpha,
            a: f.params.a,
            b: f.params.b,
            log_likelihood: f.log_likelihood,
            iterations: i64::try_from(f.iterations).unwrap_or(i64::MAX),
            converged: f.converged,
            customers: i64::try_from(f.customers).unwrap_or(i64::MAX),
        }),
        gamma_gamma: model.gamma_gamma.map(|f| GammaGammaFit {
            spend_model: f.spend_model.as_str().to_owned(),
            p: f.report.params.p,
            q: f.report.params.q,
            v: f.report.params.v,
            mean_order_value: f.report.params.mean_spend(),
            log_likelihood: f.report.log_likelihood,
            iterations: i64::try_from(f.report.iterations).unwrap_or(i64::MAX),
            converged: f.report.converged,
            customers: i64::try_from(f.report.customers).unwrap_or(i64::MAX),
            winsorized_at: f.winsorized.map(|w| w.cap),
            winsorized_customers: f
                .winsorized
                .map(|w| i64::try_from(w.customers).unwrap_or(i64::MAX)),
            ridge: f.ridge,
        }),
        rfm_breakpoints: model.rfm.map(|b: RfmBreakpoints| RfmCuts {
            recency_days: b.recency_days.to_vec(),
            frequency: b.frequency.to_vec(),
            monetary: b.monetary.to_vec(),
        }),
        purchase_model: model.purchase.map(|p| PurchaseModelFit {
            setting: p.setting,
            model: p.report.params.kind().as_str().to_owned(),
            parameters: p.report.params.into(),
            log_likelihood: p.report.log_likelihood,
            iterations: i64::try_from(p.report.iterations).unwrap_or(i64::MAX),
            converged: p.report.converged,
            customers: i64::try_from(p.report.customers).unwrap_or(i64::MAX),
            selection: p.selection,
        }),
        issues: report.issues,
        fit_seconds: report.fit_seconds,
    })
}

/// Fits and stores a new model version of the `principal`'s workspace, re-scoring RFM. Runs
/// in the caller's connection, in one transaction through the write pipeline (the CLI and
/// the scheduled job call it too, as [`Principal::system`]); hand the effects to
/// [`pipeline::apply`].
pub fn fit_workspace(
    conn: &mut DbConn,
    principal: &Principal,
    as_of: NaiveDateTime,
) -> Result<(ChurnModel, Committed), ApiError> {
    let workspace_id = principal.workspace_id.as_str();
    pipeline::transact(conn, principal, |conn, cx| {
        let started = Instant::now();
        let buyers = store::all_buyers(conn, workspace_id)?;
        if let Some(newest) = buyers.iter().filter_map(|m| m.last_order_at).max() {
            if newest > as_of {
                return Err(ApiError::field(
                    "as_of",
                    format!(
                        "must not be before the newest order ({})",
                        utc(newest).to_rfc3339()
                    ),
                ));
            }
        }
        let today = day_of(as_of);
        let totals: Vec<_> = buyers.iter().map(|m| totals_of(Some(m))).collect();
        let mut issues = Vec::new();
        let mut issue = |model: &str, code: &str, message: String| {
            issues.push(FitIssue {
                model: model.into(),
                code: code.into(),
                message,
            })
        };
        let summaries: Vec<CustomerSummary> = totals
            .iter()
            .map(|t| CustomerSummary {
                x: t.repeat_purchases as f64,
                t_x: t.t_x_days() as f64,
                t: t.age_days(today) as f64,
            })
            .collect();
        let opts = FitOptions::default();
        let bg = match bgnbd::fit(&summaries, &opts) {
            Ok(report) => Some(report),
            Err(e) => {
                issue("bgnbd", e.code(), e.to_string());
                None
            }
        };
        let spend: Vec<(f64, f64)> = totals
            .iter()
            .filter_map(|t| {
                let m = t.mean_repeat_value()?;
                (m > 0.0).then_some((t.repeat_purchases as f64, m))
            })
            .collect();
        // The spend model holds whenever someone bought twice: Gamma-Gamma, or a
        // fallback reported in the issues (see `rapport_domain::models::spend`).
        let gg = match spend::fit(&spend, &opts) {
            Ok(fit) => {
                for i in &fit.issues {
                    issue("gamma_gamma", &i.code, i.message.clone());
                }
                Some(fit)
            }
            Err(e) => {
                issue("gamma_gamma", e.code(), e.to_string());
                None
            }
        };
        let setting = crate::service::value::load_settings(conn, workspace_id)?.purchase_model;
        let purchase = crate::service::model_choice::fit_purchase_model(
            conn,
            workspace_id,
            &setting,
            &summaries,
            bg.as_ref(),
            as_of,
            &opts,
            &mut issue,
        )?;
        let inputs: Vec<_> = totals.iter().map(|t| rfm_input(t, today)).collect();
        let breakpoints = match rfm::breakpoints(&inputs) {
            Ok(b) => Some(b),
            Err(e) => {
                issue("rfm", e.code(), e.to_string());
                None
            }
        };
        // Re-score every buyer with the new breakpoints, from the rows as they are once
        // locked: only the scores are written, so orders recorded while the models fitted
        // keep their totals, and a batch adding to a locked row waits.
        if let Some(b) = &breakpoints {
            let locked = store::lock_buyers(conn, workspace_id)?;
            let rescored: Vec<_> = locked
                .iter()
                .map(|m| {
                    let s = rfm::score(b, &rfm_input(&totals_of(Some(m)), today));
                    scores_of(&m.account_id, Some(s))
                })
                .collect();
            store::set_scores(conn, workspace_id, &rescored)?;
            for (m, scores) in locked.iter().zip(&rescored) {
                if m.rfm_segment != scores.segment {
                    cx.emit(DomainEvent::SegmentChanged {
                        account_id: m.account_id.clone(),
                        segment: Segment::Rfm,
                        from: m.rfm_segment.clone(),
                        to: scores.segment.clone(),
                    })?;
                }
            }
        }
        let version = store::current_model(conn, workspace_id)?.map_or(1, |m| m.version + 1);
        let row = ModelRow {
            id: new_id(),
            workspace_id: workspace_id.to_owned(),
            version,
            as_of,
            fitted_at: now(),
            customers: i64::try_from(buyers.len()).unwrap_or(i64::MAX),
            bgnbd: bg.as_ref().map(to_json).transpose()?,
            gamma_gamma: gg.as_ref().map(to_json).transpose()?,
            rfm_breakpoints: breakpoints.as_ref().map(to_json).transpose()?,
            report: serde_json::to_string(&Report {
                issues,
                fit_seconds: started.elapsed().as_secs_f64(),
            })
            .map_err(ApiError::internal)?,
            purchase_model: purchase.as_ref().map(to_json).transpose()?,
        };
        let previous = crate::service::value::current_model(conn, workspace_id)?;
        store::insert_model(conn, &row)?;
        let model = to_api(&row)?;
        let fitted = CurrentModel::from_row(&row)?;
        let buyers_now = store::all_buyers(conn, workspace_id)?;
        crate::service::value::store_predictions(conn, workspace_id, &buyers_now, as_of)?;
        risk_band_events(conn, cx, workspace_id, previous.as_ref(), &fitted, as_of)?;
        cx.audit::<(), _>(
            "model.refit",
            "model",
            Some(&model.version.to_string()),
            None,
            Some(&model),
        )?;
        cx.emit(DomainEvent::ModelRefitted {
            model: data(&model)?,
        })?;
        Ok(model)
    })
}

/// `customer.risk_band_changed` for every buyer whose band under the new model differs from
/// the band the previous model gave (or none, before the first fit), both at `as_of`.
fn risk_band_events(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    workspace_id: &str,
    previous: Option<&CurrentModel>,
    fitted: &CurrentModel,
    as_of: NaiveDateTime,
) -> Result<(), ApiError> {
    let settings = crate::service::value::load_settings(conn, workspace_id)?;
    for m in store::all_buyers(conn, workspace_id)? {
        let before = metrics_of(Some(&m), previous, &settings, as_of).risk_band;
        let after = metrics_of(Some(&m), Some(fitted), &settings, as_of).risk_band;
        if before != after {
            cx.emit(DomainEvent::SegmentChanged {
                account_id: m.account_id.clone(),
                segment: Segment::RiskBand,
                from: before,
                to: after,
            })?;
        }
    }
    Ok(())
}

fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

pub async fn fit(
    state: &AppState,
    principal: &Principal,
    request: FitRequest,
) -> Result<ChurnModel, ApiError> {
    principal.require(Scope::Admin)?;
    let as_of = request.as_of.map(stored).unwrap_or_else(now);
    if as_of > now() + chrono::Duration::minutes(5) {
        return Err(ApiError::field("as_of", "must not be in the future"));
    }
    let p = principal.clone();
    let (model, committed) = state
        .db
        .run(move |conn| fit_workspace(conn, &p, as_of))
        .await?;
    pipeline::apply(state, committed).await;
    Ok(model)
}

/// The current model; 404 `model_not_fitted` before the first fit.
pub async fn current(state: &AppState, principal: &Principal) -> Result<ChurnModel, ApiError> {
    principal.require(Scope::AnalyticsRead)?;
    let ws = principal.workspace_id.clone();
    state
        .db
        .run(move |conn| match store::current_model(conn, &ws)? {
            Some(row) => to_api(&row),
            None => Err(
                ApiError::not_found("no model fitted yet: POST /v1/models/churn/fit")
                    .with_code("model_not_fitted"),
            ),
        })
        .await
}
