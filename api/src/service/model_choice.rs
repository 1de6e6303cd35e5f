//! Which purchase model a fit predicts with: the workspace's `purchase_model` setting, or
//! for `auto` the best holdout score (rule in [`crate::service::model_shapes::ModelSelection`]).

use chrono::{Duration, NaiveDateTime};
use rapport_domain::models::backtest::{self, auto_holdout_days};
use rapport_domain::models::bgnbd::BgNbdParams;
use rapport_domain::models::{
    purchase, CustomerSummary, FitOptions, FitReport, PurchaseModelKind, PurchaseParams,
};
use rapport_domain::value::day_of;
use rapport_persistence::value as store;
use rapport_persistence::DbConn;

use crate::error::ApiError;
use crate::service::backtest::split;
use crate::service::model_shapes::{CandidateScore, ModelSelection};
use crate::service::utc;
use crate::service::value::StoredPurchaseModel;

/// Records a model that could not be fitted: `(model, code, message)`.
pub type Issue<'a> = dyn FnMut(&str, &str, String) + 'a;

fn as_purchase(r: &FitReport<BgNbdParams>) -> FitReport<PurchaseParams> {
    FitReport {
        params: PurchaseParams::BgNbd(r.params),
        log_likelihood: r.log_likelihood,
        iterations: r.iterations,
        converged: r.converged,
        customers: r.customers,
    }
}

/// Fits the model `setting` names on `summaries` (BG/NBD is already fitted: `bg`). A
/// chosen model that cannot be fitted falls back to BG/NBD, reported in the issues.
#[allow(clippy::too_many_arguments)]
pub fn fit_purchase_model(
    conn: &mut DbConn,
    workspace_id: &str,
    setting: &str,
    summaries: &[CustomerSummary],
    bg: Option<&FitReport<BgNbdParams>>,
    as_of: NaiveDateTime,
    opts: &FitOptions,
    issue: &mut Issue<'_>,
) -> Result<Option<StoredPurchaseModel>, ApiError> {
    let stored = |report: FitReport<PurchaseParams>, selection: Option<ModelSelection>| {
        Some(StoredPurchaseModel {
            setting: setting.to_owned(),
            report,
            selection,
        })
    };
    let fitted = |kind: PurchaseModelKind| match kind {
        PurchaseModelKind::BgNbd => bg
            .map(as_purchase)
            .ok_or(rapport_domain::models::ModelError::NoRepeatPurchases),
        other => purchase::fit(other, summaries, opts),
    };
    if setting != "auto" {
        let kind = PurchaseModelKind::parse(setting).unwrap_or(PurchaseModelKind::BgNbd);
        return Ok(match fitted(kind) {
            Ok(report) => stored(report, None),
            Err(e) => {
                if kind != PurchaseModelKind::BgNbd {
                    issue(
                        "purchase_model",
                        e.code(),
                        format!(
                            "{} could not be fitted ({e}); predicting with bg-nbd",
                            kind.as_str()
                        ),
                    );
                }
                bg.map(as_purchase).and_then(|r| stored(r, None))
            }
        });
    }
    let full: Vec<_> = PurchaseModelKind::ALL
        .iter()
        .map(|&k| (k, fitted(k)))
        .collect();
    let scores = holdout_scores(conn, workspace_id, summaries, as_of, opts)?;
    let mut candidates = Vec::new();
    for (kind, fit) in &full {
        let scored = scores
            .as_ref()
            .and_then(|s| s.maes.iter().find(|(k, _)| k == kind))
            .map(|(_, r)| r.clone());
        let issue = match (&scored, fit) {
            (Some(Err(code)), _) => Some(code.clone()),
            (_, Err(e)) => Some(e.code().to_owned()),
            _ => None,
        };
        candidates.push(CandidateScore {
            model: kind.as_str().to_owned(),
            holdout_mae: scored.and_then(Result::ok),
            log_likelihood: fit.as_ref().ok().map(|r| r.log_likelihood),
            issue,
        });
    }
    // Lowest holdout error among the models that also fit all the data; else the
    // highest log-likelihood.
    let by_mae = full
        .iter()
        .zip(&candidates)
        .filter(|((_, f), c)| f.is_ok() && c.holdout_mae.is_some_and(f64::is_finite))
        .min_by(|(_, a), (_, b)| {
            a.holdout_mae
                .unwrap_or(f64::INFINITY)
                .total_cmp(&b.holdout_mae.unwrap_or(f64::INFINITY))
        })
        .map(|((k, _), _)| *k);
    let (rule, winner) = match by_mae {
        Some(k) => ("holdout_mae", Some(k)),
        None => (
            "log_likelihood",
            full.iter()
                .filter_map(|(k, f)| f.as_ref().ok().map(|r| (*k, r.log_likelihood)))
                .filter(|(_, ll)| ll.is_finite())
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(k, _)| k),
        ),
    };
    let selection = ModelSelection {
        rule: rule.to_owned(),
        cutoff: scores.as_ref().map(|s| utc(s.cutoff)),
        holdout_days: scores.as_ref().map(|s| s.days),
        holdout_customers: scores.as_ref().map(|s| s.customers),
        candidates,
    };
    let Some(winner) = winner else {
        issue(
            "purchase_model",
            "no_model_fitted",
            "auto: no purchase model could be fitted".into(),
        );
        return Ok(None);
    };
    let report = full
        .into_iter()
        .find(|(k, _)| *k == winner)
        .and_then(|(_, f)| f.ok());
    Ok(report.and_then(|r| stored(r, Some(selection))))
}

struct HoldoutScores {
    cutoff: NaiveDateTime,
    days: i64,
    customers: i64,
    /// Per model: the holdout MAE, or the code of the error that prevented it.
    maes: Vec<(PurchaseModelKind, Result<f64, String>)>,
}

/// Fits every model before the holdout cutoff and scores it on the holdout; `None` when
/// the span is too short to hold anything out.
fn holdout_scores(
    conn: &mut DbConn,
    workspace_id: &str,
    summaries: &[CustomerSummary],
    as_of: NaiveDateTime,
    opts: &FitOptions,
) -> Result<Option<HoldoutScores>, ApiError> {
    let span = summaries.iter().map(|c| c.t).fold(0.0_f64, f64::max);
    let Some(days) = auto_holdout_days(span as i64) else {
        return Ok(None);
    };
    // The cutoff keeps the time of day of `as_of`, so holdout days are whole days.
    let cutoff = as_of - Duration::days(days);
    let facts = store::all_days(conn, workspace_id)?;
    let holdout = split(&facts, cutoff, as_of);
    if holdout.customers.is_empty() {
        return Ok(None);
    }
    let calibration: Vec<CustomerSummary> = holdout.customers.iter().map(|c| c.summary).collect();
    let horizon = f64::from(day_of(as_of) - day_of(cutoff));
    let steps = [horizon.max(1.0)];
    let maes = PurchaseModelKind::ALL
        .iter()
        .map(|&kind| {
            let score = purchase::fit(kind, &calibration, opts)
                .and_then(|fit| backtest::evaluate(&fit.params, None, &holdout.customers, &steps))
                .map(|e| e.purchases_mae)
                .map_err(|e| e.code().to_owned());
            (kind, score)
        })
        .collect();
    Ok(Some(HoldoutScores {
        cutoff,
        days,
        customers: i64::try_from(holdout.customers.len()).unwrap_or(i64::MAX),
        maes,
    }))
}
