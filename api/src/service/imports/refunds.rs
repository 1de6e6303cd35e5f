//! Refunds in order imports. `refunded_amount` is the order's total refunded in the source
//! system (minor units of its currency), not one refund: after the row, the order has that
//! much refunded. Whatever is missing is refunded through the refund path of
//! `POST /v1/orders/{id}/refund` (metrics, points reversed, `order.refunded`), in the batch's
//! transaction, so a re-run or a resumed job refunds nothing twice, and a later export of the
//! same orders brings refunds made since. A refund is never taken back: a file saying less
//! than is refunded already is a row error.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use super::{Counts, RowError};
use crate::error::ApiError;
use crate::service::orders::{self, RefundInput, MAX_AMOUNT};
use crate::service::pipeline::WriteContext;
use crate::service::text_ok;
use rapport_persistence::DbConn;

/// What a row asks to be refunded in all.
#[derive(Debug, Clone)]
pub(super) struct Target {
    external_id: String,
    refunded_amount: i64,
    reason: Option<String>,
}

/// The refund columns of order rows, taken out of them (the order input has no such
/// fields), by row number. A bad value refuses the whole row: nothing of it is written.
pub(super) fn take(
    rows: &mut Vec<(i64, Map<String, Value>)>,
    errors: &mut Vec<(i64, RowError)>,
) -> BTreeMap<i64, Target> {
    let mut targets = BTreeMap::new();
    rows.retain_mut(|(row, object)| {
        let amount = object.remove("refunded_amount");
        let reason = object.remove("refund_reason");
        let Some(amount) = amount else {
            if reason.is_some() {
                errors.push((
                    *row,
                    RowError::new(
                        "refund_reason",
                        "invalid",
                        "goes with refunded_amount, which this row lacks",
                    ),
                ));
                return false;
            }
            return true;
        };
        let mut bad = Vec::new();
        let refunded = amount.as_i64().filter(|a| (0..=MAX_AMOUNT).contains(a));
        match refunded {
            None => bad.push(RowError::new(
                "refunded_amount",
                "invalid",
                "must be a whole number from 0 to 10^13 (minor units)",
            )),
            Some(r) => {
                if object
                    .get("amount")
                    .and_then(Value::as_i64)
                    .is_some_and(|a| r > a)
                {
                    bad.push(RowError::new(
                        "refunded_amount",
                        "invalid",
                        "is more than the order's amount",
                    ));
                }
            }
        }
        let reason = match reason {
            None => None,
            Some(Value::String(r)) if text_ok(&r, 500) => Some(r.trim().to_owned()),
            Some(_) => {
                bad.push(RowError::new(
                    "refund_reason",
                    "invalid",
                    "must be 1 to 500 characters",
                ));
                None
            }
        };
        if !bad.is_empty() {
            errors.extend(bad.into_iter().map(|e| (*row, e)));
            return false;
        }
        // Without an external_id the order path refuses the row.
        if let (Some(refunded_amount), Some(Value::String(external_id))) =
            (refunded, object.get("external_id"))
        {
            targets.insert(
                *row,
                Target {
                    external_id: external_id.trim().to_owned(),
                    refunded_amount,
                    reason,
                },
            );
        }
        true
    });
    targets
}

/// The external ids of the targets' orders that exist before the batch is written.
pub(super) fn existing(
    conn: &mut DbConn,
    workspace_id: &str,
    targets: &BTreeMap<i64, Target>,
) -> Result<BTreeSet<String>, ApiError> {
    if targets.is_empty() {
        return Ok(BTreeSet::new());
    }
    let wanted: Vec<&str> = targets.values().map(|t| t.external_id.as_str()).collect();
    Ok(
        rapport_persistence::orders::existing_external_ids(conn, workspace_id, &wanted)?
            .into_iter()
            .map(|(e, _)| e)
            .collect(),
    )
}

/// Refunds what the written rows' orders lack of their targets, in row order. An order
/// that existed before the batch and gets a refund counts as updated; one whose target
/// cannot be met counts as failed.
pub(super) fn apply(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    targets: BTreeMap<i64, Target>,
    existed: &BTreeSet<String>,
    errors: &mut Vec<(i64, RowError)>,
    counts: &mut Counts,
) -> Result<(), ApiError> {
    let refused: BTreeSet<i64> = errors.iter().map(|(row, _)| *row).collect();
    let targets: Vec<(i64, Target)> = targets
        .into_iter()
        .filter(|(row, _)| !refused.contains(row))
        .collect();
    if targets.is_empty() {
        return Ok(());
    }
    let workspace_id = cx.principal().workspace_id.clone();
    let wanted: Vec<&str> = targets
        .iter()
        .map(|(_, t)| t.external_id.as_str())
        .collect();
    // external_id -> (order id, amount, refunded so far)
    let mut state: HashMap<String, (String, i64, i64)> =
        rapport_persistence::orders::refund_states(conn, &workspace_id, &wanted)?
            .into_iter()
            .map(|(e, id, amount, refunded)| (e, (id, amount, refunded)))
            .collect();
    for (row, target) in targets {
        let Some((id, amount, refunded)) = state.get_mut(&target.external_id) else {
            continue;
        };
        let was_there = existed.contains(&target.external_id);
        let refuse = |message: String| RowError::new("refunded_amount", "invalid", message);
        if target.refunded_amount > *amount {
            errors.push((
                row,
                refuse(format!("is more than the stored order's amount ({amount})")),
            ));
            if was_there {
                counts.unchanged -= 1;
            }
            continue;
        }
        let missing = target.refunded_amount - *refunded;
        if missing < 0 {
            errors.push((
                row,
                refuse(format!(
                    "the order has {refunded} refunded already; an import never takes a refund back"
                )),
            ));
            if was_there {
                counts.unchanged -= 1;
            }
            continue;
        }
        if missing == 0 {
            continue;
        }
        let input = RefundInput {
            amount: Some(missing),
            reason: target.reason.clone(),
        };
        orders::refund_in_tx(conn, cx, id, &input)?;
        *refunded += missing;
        if was_there {
            counts.unchanged -= 1;
            counts.updated += 1;
        }
    }
    Ok(())
}
