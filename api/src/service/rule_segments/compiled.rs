//! Rules compiled for the database: what a rule is evaluated against besides the data (the
//! clock, the workspace's risk thresholds, its loyalty tier names) and a stored segment's
//! filter. Read from the stored rows directly, not through the value and loyalty services,
//! so the write pipeline (tracked segments) and the account list (`segment_id=`) can use it
//! without importing a service that writes through the pipeline.

use std::collections::BTreeMap;

use rapport_domain::loyalty::StoredProgram;
use rapport_domain::segments::{Field, Metric, Rule};
use rapport_domain::value::{day_of, Rate, RiskThresholds};
use rapport_persistence::segments::{
    self as store, RuleContext, RuleEconomics, RuleFilter, SegmentRow,
};
use rapport_persistence::value::ValueSettingsRow;
use rapport_persistence::{
    economics as economics_store, loyalty as loyalty_store, value as value_store, DbConn,
};

use crate::error::ApiError;
use crate::service::now;
use serde_json::Value;

/// Whether a rule tests `profit` (whose acquisition costs need the marketing spend shares).
pub fn tests_profit(rule: &Rule) -> bool {
    rule.conditions()
        .iter()
        .any(|c| c.field == Field::Metric(Metric::Profit))
}

/// The stored cost-to-serve settings: `{"interaction_costs": {type: cost}, "complaint_cost"}`.
#[derive(serde::Deserialize, Default)]
struct StoredCosts {
    #[serde(default)]
    interaction_costs: BTreeMap<String, i64>,
    #[serde(default)]
    complaint_cost: i64,
}

/// The economics of the rules: costs from the settings row (defaults without one), and
/// the marketing spend shares when `with_shares`.
fn economics(
    conn: &mut DbConn,
    workspace_id: &str,
    row: Option<&ValueSettingsRow>,
    with_shares: bool,
) -> Result<RuleEconomics, ApiError> {
    let Some(row) = row else {
        return Ok(RuleEconomics {
            default_margin_percent: 30.0,
            reporting_currency: "USD".to_owned(),
            ..RuleEconomics::default()
        });
    };
    let costs: StoredCosts = serde_json::from_str(&row.cost_to_serve).unwrap_or_default();
    let rates: BTreeMap<String, String> =
        serde_json::from_str(&row.exchange_rates).map_err(ApiError::internal)?;
    let currency_factors: Vec<(String, f64)> = rates
        .iter()
        .filter(|(code, _)| **code != row.reporting_currency)
        .filter_map(|(code, rate)| {
            let rate = Rate::parse(rate).ok()?;
            Some((code.clone(), rate.factor(code, &row.reporting_currency)))
        })
        .collect();
    let spend_shares = if with_shares {
        let mut convertible: Vec<String> =
            currency_factors.iter().map(|(c, _)| c.clone()).collect();
        convertible.push(row.reporting_currency.clone());
        economics_store::spend_shares(conn, workspace_id, &convertible)?
    } else {
        Vec::new()
    };
    Ok(RuleEconomics {
        interaction_costs: costs
            .interaction_costs
            .into_iter()
            .filter(|(_, c)| *c != 0)
            .collect(),
        complaint_cost: costs.complaint_cost,
        default_margin_percent: row.default_margin_percent,
        reporting_currency: row.reporting_currency.clone(),
        currency_factors,
        spend_shares,
    })
}

/// The rule context of `workspace_id` now, for `rules` (a rule testing `profit` reads the
/// marketing spend shares too).
pub fn context(
    conn: &mut DbConn,
    workspace_id: &str,
    rules: &[&Rule],
) -> Result<RuleContext, ApiError> {
    let settings = value_store::find_settings(conn, workspace_id)?;
    let t = match &settings {
        Some(row) => serde_json::from_str::<RiskThresholds>(&row.risk_thresholds)
            .map_err(ApiError::internal)?,
        None => RiskThresholds::default(),
    };
    let with_shares = rules.iter().any(|r| tests_profit(r));
    let economics = economics(conn, workspace_id, settings.as_ref(), with_shares)?;
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
        economics,
        as_of: None,
    })
}

/// A rule compiled for this connection's database.
pub fn compile(conn: &mut DbConn, workspace_id: &str, rule: &Rule) -> Result<RuleFilter, ApiError> {
    let cx = context(conn, workspace_id, &[rule])?;
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
