//! A new workspace does not wait for the daily refit: the scheduler (every tick of
//! `rapport serve`'s model job, at most a minute) fits at once
//! - a workspace with buyers and no model yet: its RFM breakpoints (quintiles of the
//!   buyers it has) score every buyer, and BG/NBD + the spend model fit if the data
//!   identify them;
//! - a workspace whose model has no BG/NBD (too few buyers then) once it has at least
//!   [`FIRST_FIT_MIN_BUYERS`] buyers and 10 % more than that model read, so predictions
//!   appear as soon as the data allow, with a bounded number of fits.
//!
//! After that the scheduled refit (`RAPPORT_MODELS_REFIT_INTERVAL_SECS`) takes over.

use rapport_persistence::value as store;
use rapport_persistence::workspaces;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::{models, now, pipeline};
use crate::state::AppState;

/// Buyers a workspace needs before a fit without predictions is retried for them.
pub const FIRST_FIT_MIN_BUYERS: i64 = 20;

/// Whether a workspace with `buyers` buyers and a current model that read
/// `model_customers` buyers (`None`: no model; `has_predictions`: BG/NBD fitted) is
/// fitted now.
pub fn needs_first_fit(buyers: i64, model: Option<(i64, bool)>) -> bool {
    match model {
        None => buyers > 0,
        Some((_, true)) => false,
        Some((read, false)) => {
            buyers >= FIRST_FIT_MIN_BUYERS && buyers * 10 >= read.saturating_mul(11).max(1)
        }
    }
}

/// Fits every workspace that [`needs_first_fit`]. Returns how many were fitted.
pub async fn run(state: &AppState) -> Result<usize, ApiError> {
    let targets = state
        .db
        .run(|conn| {
            let mut out = Vec::new();
            for ws in workspaces::all_ids(conn)? {
                let model = store::current_model(conn, &ws)?;
                if model.as_ref().is_some_and(|m| m.bgnbd.is_some()) {
                    continue;
                }
                let buyers: i64 = store::segment_totals(conn, &ws)?
                    .iter()
                    .map(|(_, n, _)| *n)
                    .sum();
                let current = model.map(|m| (m.customers, m.bgnbd.is_some()));
                if needs_first_fit(buyers, current) {
                    out.push(ws);
                }
            }
            Ok(out)
        })
        .await?;
    let mut fitted = 0;
    for ws in targets {
        let system = Principal::system(&ws);
        let at = now();
        match state
            .db
            .run(move |conn| models::fit_workspace(conn, &system, at))
            .await
        {
            Ok((model, committed)) => {
                fitted += 1;
                pipeline::apply(state, committed).await;
                tracing::info!(workspace = %ws, version = model.version, customers = model.customers, "first model fit");
            }
            Err(err) => {
                tracing::warn!(workspace = %ws, error = %err.detail, "first model fit failed")
            }
        }
    }
    Ok(fitted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_fits_come_early_and_stop_once_predictions_exist() {
        assert!(!needs_first_fit(0, None));
        assert!(needs_first_fit(1, None));
        assert!(!needs_first_fit(5, Some((3, false))));
        assert!(needs_first_fit(20, Some((3, false))));
        assert!(!needs_first_fit(21, Some((20, false))));
        assert!(needs_first_fit(22, Some((20, false))));
        assert!(!needs_first_fit(5_000, Some((20, true))));
    }
}
