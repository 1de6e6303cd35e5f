//! Rules compiled for the database: what a rule is evaluated against besides the data (the
//! clock, the workspace's risk thresholds, its loyalty tier names) and a stored segment's
//! filter. Read from the stored rows directly, not through the value and loyalty services,
//! so the write pipeline (tracked segments) and the account list (`segment_id=`) can use it
//! without importing a service that writes through the pipeline.

use rapport_domain::loyalty::StoredProgram;
use rapport_domain::segments::Rule;
use rapport_domain::value::{day_of, RiskThresholds};
use rapport_persistence::segments::{self as store, RuleContext, RuleFilter, SegmentRow};
use rapport_persistence::{loyalty as loyalty_store, value as value_store, DbConn};

use crate::error::ApiError;
use crate::service::now;
use serde_json::Value;

/// The rule context of `workspace_id` now.
pub fn context(conn: &mut DbConn, workspace_id: &str) -> Result<RuleContext, ApiError> {
    let t = match value_store::find_settings(conn, workspace_id)? {
        Some(row) => serde_json::from_str::<RiskThresholds>(&row.risk_thresholds)
            .map_err(ApiError::internal)?,
        None => RiskThresholds::default(),
    };
    let tiers = match loyalty_store::find_program(conn, workspace_id)? {
        Some(row) => serde_json::from_str::<StoredProgram>(&row.definition)
            .map_err(ApiError::internal)?
            .tier_names(),
        None => Vec::new(),
    };
    let at = now();
    Ok(RuleContext {
        now: at,
        today: day_of(at),
        risk_thresholds: [t.watch, t.at_risk, t.lost],
        tiers,
        as_of: None,
    })
}

/// A rule compiled for this connection's database.
pub fn compile(conn: &mut DbConn, workspace_id: &str, rule: &Rule) -> Result<RuleFilter, ApiError> {
    let cx = context(conn, workspace_id)?;
    Ok(store::compile(rule, &cx, conn.backend()))
}

/// A live segment of the workspace, or 404.
pub fn load(conn: &mut DbConn, workspace_id: &str, id: &str) -> Result<SegmentRow, ApiError> {
    store::find(conn, workspace_id, id)?
        .ok_or_else(|| ApiError::not_found(format!("no segment {id}")))
}

/// A stored segment's compiled rule (for `segment_id=` filters).
pub fn filter_of(conn: &mut DbConn, workspace_id: &str, id: &str) -> Result<RuleFilter, ApiError> {
    let row = load(conn, workspace_id, id)?;
    let rule = stored_rule(&row)?;
    compile(conn, workspace_id, &rule)
}

/// A stored segment's rule.
pub fn stored_rule(row: &SegmentRow) -> Result<Rule, ApiError> {
    let value: Value = serde_json::from_str(&row.rule).map_err(ApiError::internal)?;
    Rule::parse(&value, "rule").map_err(|_| ApiError::internal("a stored rule no longer parses"))
}
