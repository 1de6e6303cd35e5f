//! Resolving a complaint: its outcome, and compensation in loyalty points (through the
//! ledger, keyed to the complaint), a full or partial refund of the complaint's order
//! (through the order refund path, so metrics and earned points follow), and a personal
//! voucher of an offer (issued through the offers' path, so the offer's eligibility, caps
//! and counters hold and `voucher.issued` is published). Points and refunds stay within the
//! limits of the caller's role; a voucher's worth is bounded by its offer, which only
//! `offers:write` holders define. Each kind of compensation is paid at most once per
//! complaint: a retried resolution, or a resolution after a reopen, finds what was paid and
//! pays nothing again.

use chrono::{DateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::feedback as rules;
use rapport_domain::loyalty::Adjustment;
use rapport_persistence::complaints::{self as store, CompensationRow};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{emit, history, load_locked, load_settings, responded, save, Complaint};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::loyalty::AdjustmentSource;
use crate::service::offers::vouchers::IssueResult;
use crate::service::orders::RefundInput;
use crate::service::pipeline;
use crate::service::{now, utc};
use crate::state::AppState;

/// A refund of the complaint's order: absent `amount` refunds whatever is left.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundCompensation {
    /// Minor units of the order's currency, more than 0 and at most what is left.
    #[schema(example = 2500)]
    pub amount: Option<i64>,
}

/// The resolution: an outcome, and any compensation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveInput {
    /// Required, 1 to 5,000 characters: what was done.
    #[schema(example = "Replacement sent; apologised for the delay")]
    pub outcome: Option<String>,
    /// Loyalty points to credit (1 to 10^9), through the ledger.
    #[schema(example = 500)]
    pub points: Option<i64>,
    /// A refund of the complaint's order.
    pub refund: Option<RefundCompensation>,
    /// A personal voucher of this offer for the complainant (422 when the offer does not
    /// exist; 409 `voucher_not_issued` when the customer already holds an open voucher of
    /// it or does not meet its eligibility).
    pub voucher: Option<VoucherCompensation>,
}

/// A personal voucher as compensation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoucherCompensation {
    /// The offer to issue.
    pub offer_id: String,
}

/// What a complaint paid.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "ComplaintCompensation")]
pub struct Compensation {
    /// `points`, `refund` or `voucher`.
    pub kind: String,
    #[graphql(
        skip,
        derived(
            name = "points",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub points: Option<i64>,
    /// Refunded, minor units of `currency` (the order's).
    #[graphql(
        skip,
        derived(
            name = "amount",
            into = "Option<crate::graphql::scalars::Long>",
            owned,
            with = "crate::graphql::scalars::long_opt"
        )
    )]
    pub amount: Option<i64>,
    pub currency: Option<String>,
    pub order_id: Option<String>,
    /// The ledger entry (points), the refund, or the voucher.
    pub reference_id: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Paid by this request (`false`: paid before, not again).
    pub paid_now: bool,
}

/// The resolved complaint and everything it has paid.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[graphql(name = "ComplaintResolution")]
pub struct Resolution {
    pub complaint: Complaint,
    pub compensations: Vec<Compensation>,
}

fn compensation(row: CompensationRow, paid_now: bool) -> Compensation {
    Compensation {
        kind: row.kind,
        points: row.points,
        amount: row.amount,
        currency: row.currency,
        order_id: row.order_id,
        reference_id: row.reference_id,
        created_at: utc(row.created_at),
        paid_now,
    }
}

fn over_limit(what: &str, limit: i64) -> ApiError {
    ApiError::forbidden(
        "compensation_over_limit",
        format!("your role may grant at most {limit} {what} per complaint; ask a manager"),
    )
}

pub async fn resolve(
    state: &AppState,
    principal: &Principal,
    id: &str,
    input: ResolveInput,
    idem: Option<IdempotencyRequest>,
) -> Result<Outcome<Resolution>, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let outcome = match input.outcome.as_deref().map(str::trim) {
        Some(o) if !o.is_empty() && o.chars().count() <= 5000 => o.to_owned(),
        _ => {
            return Err(ApiError::field(
                "outcome",
                "is required, 1 to 5,000 characters",
            ))
        }
    };
    if input
        .points
        .is_some_and(|p| !(1..=1_000_000_000).contains(&p))
    {
        return Err(ApiError::field("points", "must be 1 to 10^9"));
    }
    if input
        .refund
        .as_ref()
        .and_then(|r| r.amount)
        .is_some_and(|a| a <= 0 || a > rapport_domain::money::MAX_MINOR_UNITS)
    {
        return Err(ApiError::field(
            "refund.amount",
            "must be more than 0 and at most 10^13 minor units",
        ));
    }
    if input
        .voucher
        .as_ref()
        .is_some_and(|v| uuid::Uuid::parse_str(&v.offer_id).is_err())
    {
        return Err(ApiError::field("voucher.offer_id", "no offer with this id"));
    }
    let ws = principal.workspace_id.clone();
    let id = id.to_owned();
    pipeline::write(state, principal, idem, 200, move |conn, cx| {
        let at = now();
        let before = load_locked(conn, &ws, &id)?;
        if before.status == "closed" {
            return Err(ApiError::conflict(
                "complaint_closed",
                "a closed complaint cannot be resolved; reopen it first",
            ));
        }
        let paid = store::compensations(conn, &ws, &id)?;
        let already = |kind: &str| paid.iter().any(|c| c.kind == kind);
        if before.status == "resolved" {
            // A retried resolution: what was paid stands, nothing is paid again.
            return Ok(Resolution {
                complaint: Complaint::of(before, at),
                compensations: paid.into_iter().map(|c| compensation(c, false)).collect(),
            });
        }
        if !rules::may_move(&before.status, "resolved") {
            return Err(ApiError::conflict(
                "invalid_status_transition",
                format!("a {} complaint cannot be resolved", before.status),
            ));
        }
        let settings = load_settings(conn, &ws)?;
        let (max_points, max_refund) = settings.limits_of(cx.principal());
        let points = input.points.filter(|_| !already("points"));
        if let (Some(p), Some(limit)) = (points, max_points) {
            if p > limit {
                return Err(over_limit("points", limit));
            }
        }
        // The refund, checked against the limit in the reporting currency.
        let refund = match input.refund.as_ref().filter(|_| !already("refund")) {
            None => None,
            Some(r) => {
                let order_id = before.order_id.clone().ok_or_else(|| {
                    ApiError::field("refund", "the complaint names no order to refund")
                })?;
                let order = rapport_persistence::orders::find(conn, &ws, &order_id)?
                    .ok_or_else(|| ApiError::field("refund", "the complaint's order is gone"))?;
                let left = order.amount - order.refunded_amount;
                let amount = r.amount.unwrap_or(left);
                if left <= 0 {
                    return Err(ApiError::conflict(
                        "order_fully_refunded",
                        "the complaint's order is already fully refunded",
                    ));
                }
                if amount > left {
                    return Err(ApiError::field(
                        "refund.amount",
                        format!("at most {left} is left to refund on the order"),
                    ));
                }
                let reporting = if order.amount > 0 {
                    i64::try_from(
                        i128::from(amount) * i128::from(order.reporting_amount)
                            / i128::from(order.amount),
                    )
                    .map_err(ApiError::internal)?
                } else {
                    0
                };
                if let Some(limit) = max_refund {
                    if reporting > limit {
                        return Err(over_limit("minor units of refund", limit));
                    }
                }
                Some((order, amount, reporting))
            }
        };
        let p = cx.principal().clone();
        let mut compensations: Vec<Compensation> = paid
            .iter()
            .cloned()
            .map(|c| compensation(c, false))
            .collect();
        // The refund first: metrics before loyalty, the lock order of every order writer.
        if let Some((order, amount, reporting)) = refund {
            let (_, refund_id) = crate::service::orders::refund_in_tx(
                conn,
                cx,
                &order.id,
                &RefundInput {
                    amount: Some(amount),
                    reason: Some(format!("compensation for complaint {id}")),
                },
            )?;
            let row = CompensationRow {
                workspace_id: ws.clone(),
                complaint_id: id.clone(),
                kind: "refund".into(),
                points: None,
                amount: Some(amount),
                currency: Some(order.currency.clone()),
                reporting_amount: Some(reporting),
                order_id: Some(order.id.clone()),
                reference_id: Some(refund_id),
                actor_type: p.actor_type().to_owned(),
                actor_id: p.actor_id().map(str::to_owned),
                created_at: at,
            };
            store::insert_compensation(conn, &row)?;
            history(
                conn,
                cx,
                &before,
                "compensation",
                None,
                Some(format!("refund of {amount} {}", order.currency)),
                at,
            )?;
            compensations.push(compensation(row, true));
        }
        if let Some(points) = points {
            let adjustment = Adjustment::new(points, &format!("compensation for complaint {id}"))
                .map_err(|e| ApiError::field("points", e.to_string()))?;
            let (entry, _) = crate::service::loyalty::adjust_once(
                conn,
                cx,
                &before.account_id,
                &adjustment,
                AdjustmentSource {
                    source_type: "complaint",
                    source_id: &id,
                    key: format!("complaint:{id}:points"),
                },
                at,
            )?;
            let row = CompensationRow {
                workspace_id: ws.clone(),
                complaint_id: id.clone(),
                kind: "points".into(),
                points: Some(points),
                amount: None,
                currency: None,
                reporting_amount: None,
                order_id: None,
                reference_id: Some(entry.id.clone()),
                actor_type: p.actor_type().to_owned(),
                actor_id: p.actor_id().map(str::to_owned),
                created_at: at,
            };
            store::insert_compensation(conn, &row)?;
            history(conn, cx, &before, "compensation", None, Some(format!("{points} points")), at)?;
            compensations.push(compensation(row, true));
        }
        if let Some(v) = input.voucher.as_ref().filter(|_| !already("voucher")) {
            if rapport_persistence::offers::find_offer(conn, &ws, &v.offer_id)?
                .is_none_or(|o| o.deleted_at.is_some())
            {
                return Err(ApiError::field("voucher.offer_id", "no offer with this id"));
            }
            let mut issued = IssueResult::default();
            crate::service::offers::vouchers::issue_to(
                conn,
                cx,
                &v.offer_id,
                std::slice::from_ref(&before.account_id),
                &mut issued,
            )?;
            let Some(voucher) = issued.vouchers.first() else {
                let why = if issued.already_holding > 0 {
                    "the customer already holds an open voucher of this offer"
                } else {
                    "the customer does not meet this offer's eligibility"
                };
                return Err(ApiError::conflict("voucher_not_issued", why));
            };
            let row = CompensationRow {
                workspace_id: ws.clone(),
                complaint_id: id.clone(),
                kind: "voucher".into(),
                points: None,
                amount: None,
                currency: None,
                reporting_amount: None,
                order_id: None,
                reference_id: Some(voucher.id.clone()),
                actor_type: p.actor_type().to_owned(),
                actor_id: p.actor_id().map(str::to_owned),
                created_at: at,
            };
            store::insert_compensation(conn, &row)?;
            history(
                conn,
                cx,
                &before,
                "compensation",
                None,
                Some(format!("voucher of offer {}", v.offer_id)),
                at,
            )?;
            compensations.push(compensation(row, true));
        }
        // The complaint after the compensations: the refund path re-read nothing of it.
        let mut row = before.clone();
        row.status = "resolved".into();
        row.resolved_at = Some(at);
        row.outcome = Some(outcome.clone());
        responded(&mut row, at);
        row.version += 1;
        row.updated_at = at;
        save(conn, &row, &before)?;
        history(conn, cx, &row, "status", Some((&before.status, "resolved")), Some(outcome), at)?;
        let complaint = Complaint::of(row, at);
        let resolution = Resolution {
            complaint: complaint.clone(),
            compensations,
        };
        cx.audit(
            "complaint.resolve",
            "complaint",
            Some(&complaint.id),
            Some(&Complaint::of(before, at)),
            Some(&resolution),
        )?;
        emit(
            cx,
            "complaint.resolved",
            &complaint,
            json!({ "compensations": crate::service::events::domain::data(&resolution.compensations)? }),
        )?;
        Ok(resolution)
    })
    .await
}
