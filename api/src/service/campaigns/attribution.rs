//! Ingestion-time attribution: every campaign member keeps running sums of the orders that
//! count for the campaign (`orders`, net `revenue`, net `margin`), so results read the
//! members only. An order counts for a member when its `occurred_at` falls in the campaign's
//! window `[launched_at, ends_at)`, whenever it is written (a backdated order written after
//! the launch, or after the window closed, counts; one written before the launch with an
//! `occurred_at` in the window is picked up by the launch's scan), it is not fully refunded,
//! and, for a campaign with a `conversion_category`, it has a line item of that category.
//! Its value is [`Attributed::of`], the rule the results' scan of the orders applies.
//!
//! Who keeps them, in the writer's transaction:
//! - new orders ([`on_orders`], from the one ingestion path: single creates, batches,
//!   imports, won deals, voucher orders): one look-up of the batch accounts' memberships in
//!   campaigns whose window meets the batch's dates, then one update per member hit;
//! - refunds ([`on_refund`]): the difference the refund makes to the order's value;
//! - a launch ([`start`]) and a merge ([`recompute_account`]): a scan of the orders
//!   ([`store::recompute_member_sums`], the one function both use).
//!
//! On PostgreSQL, order writers hold the workspace's attribution lock shared from their
//! look-up to their commit, a launch or a merge exclusively from before its scan
//! ([`store::hold_attribution`]), so no order is counted twice or missed while a launch
//! commits. Erasure scrubs names from line items but keeps categories and owners: it changes
//! no sums.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use rapport_domain::campaigns::attribution::{has_category, Attributed};
use rapport_persistence::campaigns::{self as store, MemberDelta, Membership};
use rapport_persistence::orders::OrderRow;
use rapport_persistence::DbConn;

use crate::error::ApiError;

fn value_of(row: &OrderRow) -> Attributed {
    Attributed::of(
        row.amount,
        row.refunded_amount,
        row.reporting_amount,
        row.reporting_cost,
    )
}

fn applies(m: &Membership, row: &OrderRow) -> bool {
    m.account_id == row.account_id
        && m.from <= row.occurred_at
        && row.occurred_at < m.to
        && m.category
            .as_deref()
            .is_none_or(|c| has_category(&row.items, c))
}

fn write(
    conn: &mut DbConn,
    workspace_id: &str,
    sums: BTreeMap<(String, String), Attributed>,
) -> Result<(), ApiError> {
    // BTreeMap order: by campaign, then account, the order member rows are locked in.
    let deltas: Vec<MemberDelta> = sums
        .into_iter()
        .filter(|(_, a)| !a.is_zero())
        .map(|((campaign_id, account_id), a)| MemberDelta {
            campaign_id,
            account_id,
            orders: a.orders,
            revenue: a.revenue,
            margin: a.margin,
        })
        .collect();
    store::add_to_members(conn, workspace_id, &deltas)?;
    Ok(())
}

/// Adds new orders to the sums of their accounts' memberships whose window holds them.
pub fn on_orders(conn: &mut DbConn, workspace_id: &str, rows: &[OrderRow]) -> Result<(), ApiError> {
    let (Some(earliest), Some(latest)) = (
        rows.iter().map(|r| r.occurred_at).min(),
        rows.iter().map(|r| r.occurred_at).max(),
    ) else {
        return Ok(());
    };
    let mut accounts: Vec<&str> = rows.iter().map(|r| r.account_id.as_str()).collect();
    accounts.sort_unstable();
    accounts.dedup();
    store::hold_attribution(conn, workspace_id, false)?;
    let memberships =
        store::memberships_in_window(conn, workspace_id, &accounts, earliest, latest)?;
    if memberships.is_empty() {
        return Ok(());
    }
    let mut sums: BTreeMap<(String, String), Attributed> = BTreeMap::new();
    for m in &memberships {
        for row in rows.iter().filter(|r| applies(m, r)) {
            sums.entry((m.campaign_id.clone(), m.account_id.clone()))
                .or_default()
                .add(value_of(row));
        }
    }
    write(conn, workspace_id, sums)
}

/// Applies what a refund changed in an order's value (`before` -> `after`) to the sums of
/// its account's memberships whose window holds the order.
pub fn on_refund(
    conn: &mut DbConn,
    workspace_id: &str,
    before: &OrderRow,
    after: &OrderRow,
) -> Result<(), ApiError> {
    let delta = value_of(after).minus(value_of(before));
    if delta.is_zero() {
        return Ok(());
    }
    store::hold_attribution(conn, workspace_id, false)?;
    let memberships = store::memberships_in_window(
        conn,
        workspace_id,
        &[after.account_id.as_str()],
        after.occurred_at,
        after.occurred_at,
    )?;
    let sums = memberships
        .iter()
        .filter(|m| applies(m, after))
        .map(|m| ((m.campaign_id.clone(), m.account_id.clone()), delta))
        .collect();
    write(conn, workspace_id, sums)
}

/// At launch: the window the members' sums cover, and their sums from the orders already
/// written with an `occurred_at` in it.
pub fn start(
    conn: &mut DbConn,
    workspace_id: &str,
    campaign_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
    category: Option<&str>,
) -> Result<(), ApiError> {
    store::hold_attribution(conn, workspace_id, true)?;
    store::set_attributed_window(conn, workspace_id, campaign_id, from, to)?;
    store::recompute_member_sums(conn, workspace_id, campaign_id, from, to, category, None)?;
    Ok(())
}

/// After a merge moved orders and memberships to `account_id`: its sums in every campaign
/// it is a member of, again from its orders.
pub fn recompute_account(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> Result<(), ApiError> {
    store::hold_attribution(conn, workspace_id, true)?;
    let accounts = [account_id.to_owned()];
    for m in store::memberships_of(conn, workspace_id, account_id)? {
        store::recompute_member_sums(
            conn,
            workspace_id,
            &m.campaign_id,
            m.from,
            m.to,
            m.category.as_deref(),
            Some(&accounts),
        )?;
    }
    Ok(())
}
