//! Tracked segments: `customer.segment_entered` / `customer.segment_left`, once per entry
//! and exit.
//!
//! The choice: membership of a tracked segment is re-evaluated inside the transaction of
//! every write that touches accounts, for exactly the accounts it touched (the write
//! pipeline collects them from its events; a refit or a settings change touches the whole
//! workspace and re-evaluates every live account). The result is compared with
//! `segment_memberships` (kept for tracked segments only) and the differences are recorded
//! and published with the write's own events, so an event exists if and only if the change
//! that caused it committed. Two concurrent writes on one account cannot both announce an
//! entry: the membership row's primary key lets one insert win (the other inserts nothing
//! and announces nothing), and a delete announces an exit only when it removed the row.
//!
//! What it costs: one indexed query for the workspace's tracked segments per write that
//! touches accounts, and per tracked segment one query of the rule restricted to the
//! touched accounts. What it does not see: time passing. A rule on `days_since_last_order`
//! or `within_last_days` changes its answer with the clock, with no write; such an exit is
//! announced with the account's next write (or the workspace's next refit).

use std::collections::BTreeSet;

use rapport_domain::segments::Rule;
use rapport_persistence::segments::{self as store, SegmentRow};
use rapport_persistence::DbConn;
use serde_json::Value;

use crate::error::ApiError;
use crate::service::events::domain::DomainEvent;
use crate::service::now;

/// Re-evaluates the workspace's tracked segments for `accounts` (every account when
/// `whole_workspace`) and answers who entered and who left, for the write to publish.
/// The write pipeline calls it last, so this module imports no service that writes.
pub fn follow(
    conn: &mut DbConn,
    workspace_id: &str,
    accounts: &[String],
    whole_workspace: bool,
) -> Result<Vec<DomainEvent>, ApiError> {
    let mut events = Vec::new();
    if accounts.is_empty() && !whole_workspace {
        return Ok(events);
    }
    let tracked = store::tracked(conn, workspace_id)?;
    if tracked.is_empty() {
        return Ok(events);
    }
    let mut rules = Vec::with_capacity(tracked.len());
    for segment in tracked {
        let value: Value = serde_json::from_str(&segment.rule).map_err(ApiError::internal)?;
        let Ok(rule) = Rule::parse(&value, "rule") else {
            tracing::warn!(segment = %segment.id, "a tracked segment's rule no longer parses");
            continue;
        };
        rules.push((segment, rule));
    }
    let all: Vec<&Rule> = rules.iter().map(|(_, r)| r).collect();
    let context = super::compiled::context(conn, workspace_id, &all)?;
    for (segment, rule) in &rules {
        let filter = store::compile(rule, &context, conn.backend());
        let among = (!whole_workspace).then_some(accounts);
        apply(conn, segment, &filter, among, true, &mut events)?;
    }
    Ok(events)
}

/// Brings one tracked segment's stored members up to date with its rule over the whole
/// workspace; `announce` publishes the differences (a changed rule), otherwise they are
/// recorded silently (a segment starting to be tracked).
pub fn resync(
    conn: &mut DbConn,
    segment: &SegmentRow,
    rule: &Rule,
    announce: bool,
) -> Result<Vec<DomainEvent>, ApiError> {
    let context = super::compiled::context(conn, &segment.workspace_id, &[rule])?;
    let filter = store::compile(rule, &context, conn.backend());
    let mut events = Vec::new();
    apply(conn, segment, &filter, None, announce, &mut events)?;
    Ok(events)
}

fn apply(
    conn: &mut DbConn,
    segment: &SegmentRow,
    filter: &store::RuleFilter,
    among: Option<&[String]>,
    announce: bool,
    events: &mut Vec<DomainEvent>,
) -> Result<(), ApiError> {
    let ws = &segment.workspace_id;
    let now_in: BTreeSet<String> = store::matching_ids(conn, ws, filter, among)?
        .into_iter()
        .collect();
    let before: BTreeSet<String> = store::members_of(conn, &segment.id, among)?
        .into_iter()
        .collect();
    let at = now();
    for account in now_in.difference(&before) {
        if store::enter(conn, ws, &segment.id, account, at)? && announce {
            events.push(DomainEvent::SegmentEntered {
                account_id: account.clone(),
                segment_id: segment.id.clone(),
                segment_name: segment.name.clone(),
            });
        }
    }
    for account in before.difference(&now_in) {
        if store::leave(conn, &segment.id, account)? && announce {
            events.push(DomainEvent::SegmentLeft {
                account_id: account.clone(),
                segment_id: segment.id.clone(),
                segment_name: segment.name.clone(),
            });
        }
    }
    Ok(())
}
