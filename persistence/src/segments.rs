//! Segments by rules: their rows, tracked memberships, stored predictions, and the compiler
//! from a rule tree (`rapport_domain::segments`) to a query fragment over `accounts`.
//!
//! The compiler emits only SQL text written here (one small per-backend choice for JSON:
//! SQLite `json_extract`/`json_type`, PostgreSQL `::jsonb ->>`/`jsonb_typeof`); every value
//! from a rule (numbers, names, attribute keys, times) is a bound, typed parameter. Each
//! condition is two-valued (never NULL), so `not` means "every account the condition does
//! not hold for". Values held in another table (metrics, predictions, loyalty) are tested by
//! `EXISTS` on that table's primary key; an account with no row there gets the answer the
//! condition gives for an absent value (0 for counts and sums, see the domain module).

use chrono::NaiveDateTime;
use diesel::expression::{
    is_aggregate, AppearsOnTable, Expression, SelectableExpression, ValidGrouping,
};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool, Double, Integer, Text, Timestamp};
use rapport_domain::crm::ConsentChannel;
use rapport_domain::segments::{Condition, Field, Metric, Rule, Scalar, Test};

use crate::connection::{Backend, DbConn};
use crate::schema::{account_predictions, accounts, segment_memberships, segments};

type Db = <DbConn as diesel::Connection>::Backend;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = segments, treat_none_as_null = true)]
pub struct SegmentRow {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub description: Option<String>,
    /// The rule's canonical JSON.
    pub rule: String,
    pub tracked: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = account_predictions)]
pub struct PredictionRow {
    pub account_id: String,
    pub workspace_id: String,
    pub churn_probability: f64,
    pub expected_orders_90d: f64,
    pub clv: Option<i64>,
    pub predicted_at: NaiveDateTime,
}

/// What a rule is evaluated against besides the data: the clock and the workspace's
/// settings that turn names into numbers.
/// The temporary table of value metrics a rule evaluated as of a past instant reads (the
/// columns of `account_metrics`; filled by `crate::value_as_of`).
pub const AS_OF_METRICS_TABLE: &str = "as_of_account_metrics";
/// Likewise for predictions (the columns of `account_predictions`).
pub const AS_OF_PREDICTIONS_TABLE: &str = "as_of_account_predictions";

#[derive(Debug, Clone)]
pub struct RuleContext {
    pub now: NaiveDateTime,
    /// `now`'s UTC day number (as `account_metrics.last_day`).
    pub today: i32,
    /// Churn probabilities where the `watch`, `at_risk` and `lost` bands start.
    pub risk_thresholds: [f64; 3],
    /// The loyalty programme's tier names, lowest first (empty: no programme).
    pub tiers: Vec<String>,
    /// What `cost_to_serve` and `profit` conditions need (default: nothing costs anything).
    pub economics: RuleEconomics,
    /// Set when the rule is evaluated as of this past instant (`now` is then the same
    /// instant): value metrics and predictions are read from the temporary tables that
    /// the `value_as_of` module fills, and counts of orders, interactions
    /// and complaints stop at it.
    pub as_of: Option<NaiveDateTime>,
}

impl RuleContext {
    /// The table the value metrics are read from (same columns as `account_metrics`).
    fn metrics_table(&self) -> &'static str {
        match self.as_of {
            None => "account_metrics",
            Some(_) => AS_OF_METRICS_TABLE,
        }
    }

    /// The table the predictions are read from (same columns as `account_predictions`).
    fn predictions_table(&self) -> &'static str {
        match self.as_of {
            None => "account_predictions",
            Some(_) => AS_OF_PREDICTIONS_TABLE,
        }
    }

    /// `AND <column> <= as_of` for counts of dated rows, evaluated as of a past instant.
    fn until(&self, value: &mut RuleFilter, column: &'static str) {
        if let Some(at) = self.as_of {
            value
                .sql(" AND ")
                .sql(column)
                .sql(" <= ")
                .bind(Part::Time(at));
        }
    }
}

/// The workspace's profitability settings turned into numbers for `cost_to_serve` and
/// `profit` conditions (see `rapport_domain::profitability`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleEconomics {
    /// Cost of one interaction of a type (types costing 0 left out).
    pub interaction_costs: Vec<(String, i64)>,
    pub complaint_cost: i64,
    /// Margin assumed on revenue without a cost, in percent.
    pub default_margin_percent: f64,
    /// The reporting currency: an own acquisition cost in it counts as is.
    pub reporting_currency: String,
    /// Minor units of the reporting currency per minor unit of each other currency with a
    /// rate (an own acquisition cost in a currency without one counts as absent).
    pub currency_factors: Vec<(String, f64)>,
    /// `(channel, first day, last day, share)`: the marketing spend share of a customer of
    /// the channel whose first purchase day is in the range and who has no own cost.
    pub spend_shares: Vec<(String, i32, i32, i64)>,
}

// ---------------------------------------------------------------------------------------
// The fragment

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Sql(&'static str),
    Text(String),
    Int8(i64),
    Int4(i32),
    Float(f64),
    Time(NaiveDateTime),
}

/// A compiled rule: a boolean SQL condition on `accounts` made of this module's SQL and
/// bound parameters. Use it as a filter on a query of `accounts`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleFilter {
    parts: Vec<Part>,
}

impl RuleFilter {
    fn sql(&mut self, s: &'static str) -> &mut Self {
        self.parts.push(Part::Sql(s));
        self
    }
    fn bind(&mut self, p: Part) -> &mut Self {
        self.parts.push(p);
        self
    }
    fn append(&mut self, other: RuleFilter) -> &mut Self {
        self.parts.extend(other.parts);
        self
    }
}

impl Expression for RuleFilter {
    type SqlType = Bool;
}

impl<QS> AppearsOnTable<QS> for RuleFilter {}
impl<QS> SelectableExpression<QS> for RuleFilter {}

impl ValidGrouping<()> for RuleFilter {
    type IsAggregate = is_aggregate::Never;
}

impl QueryId for RuleFilter {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl QueryFragment<Db> for RuleFilter {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Db>) -> QueryResult<()> {
        out.unsafe_to_cache_prepared();
        for part in &self.parts {
            match part {
                Part::Sql(s) => out.push_sql(s),
                Part::Text(v) => out.push_bind_param::<Text, String>(v)?,
                Part::Int8(v) => out.push_bind_param::<BigInt, i64>(v)?,
                Part::Int4(v) => out.push_bind_param::<Integer, i32>(v)?,
                Part::Float(v) => out.push_bind_param::<Double, f64>(v)?,
                Part::Time(v) => out.push_bind_param::<Timestamp, NaiveDateTime>(v)?,
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// The compiler

/// How a value is held.
enum Source {
    /// An expression over `accounts` (or a scalar subquery correlated with it).
    Direct(RuleFilter),
    /// A column of a table keyed by `account_id` (alias `x`): the `FROM`, the value
    /// expression over `x`, and the value an account without a row has.
    Row {
        from: &'static str,
        value: RuleFilter,
        absent: Option<Scalar>,
    },
}

/// The bound form of an operand for a field of this kind.
#[derive(Clone, Copy)]
enum Kind {
    Int8,
    Int4,
    Float,
    Text,
    Time,
}

fn operand(kind: Kind, v: &Scalar) -> Part {
    match (kind, v) {
        (Kind::Int8, Scalar::Int(n)) => Part::Int8(*n),
        (Kind::Int8, Scalar::Float(f)) => Part::Int8(f.round() as i64),
        (Kind::Int4, Scalar::Int(n)) => {
            Part::Int4(i32::try_from(*n).unwrap_or(if *n < 0 { i32::MIN } else { i32::MAX }))
        }
        (Kind::Float, s) => Part::Float(s.as_f64().unwrap_or(f64::NAN)),
        (Kind::Time, Scalar::Time(t)) => Part::Time(*t),
        (_, Scalar::Text(t)) => Part::Text(t.clone()),
        (_, Scalar::Bool(b)) => Part::Text(b.to_string()),
        (_, Scalar::Int(n)) => Part::Int8(*n),
        (_, Scalar::Float(f)) => Part::Float(*f),
        (_, Scalar::Time(t)) => Part::Time(*t),
    }
}

/// Compiles a validated rule for one backend.
pub fn compile(rule: &Rule, cx: &RuleContext, backend: Backend) -> RuleFilter {
    let mut out = RuleFilter::default();
    match rule {
        Rule::All(rules) | Rule::Any(rules) => {
            let glue = if matches!(rule, Rule::All(_)) {
                " AND "
            } else {
                " OR "
            };
            out.sql("(");
            for (i, r) in rules.iter().enumerate() {
                if i > 0 {
                    out.sql(glue);
                }
                out.append(compile(r, cx, backend));
            }
            out.sql(")");
        }
        Rule::Not(r) => {
            out.sql("(NOT ").append(compile(r, cx, backend)).sql(")");
        }
        Rule::Condition(c) => {
            out.sql("(").append(condition(c, cx, backend)).sql(")");
        }
    }
    out
}

/// `value <op> operands`, NULL when the value is NULL.
fn comparison(value: &RuleFilter, test: &Test, kind: Kind, cx: &RuleContext) -> RuleFilter {
    let mut out = RuleFilter::default();
    let one = |out: &mut RuleFilter, op: &'static str, v: &Scalar| {
        out.sql("(")
            .append(value.clone())
            .sql(op)
            .bind(operand(kind, v))
            .sql(")");
    };
    match test {
        Test::Eq(v) => one(&mut out, " = ", v),
        Test::Ne(v) => one(&mut out, " <> ", v),
        Test::Lt(v) => one(&mut out, " < ", v),
        Test::Le(v) => one(&mut out, " <= ", v),
        Test::Gt(v) => one(&mut out, " > ", v),
        Test::Ge(v) => one(&mut out, " >= ", v),
        Test::Between(a, b) => {
            out.sql("(")
                .append(value.clone())
                .sql(" BETWEEN ")
                .bind(operand(kind, a))
                .sql(" AND ")
                .bind(operand(kind, b))
                .sql(")");
        }
        Test::In(vs) => {
            out.sql("(").append(value.clone()).sql(" IN (");
            for (i, v) in vs.iter().enumerate() {
                if i > 0 {
                    out.sql(", ");
                }
                out.bind(operand(kind, v));
            }
            out.sql("))");
        }
        Test::WithinLastDays(n) => {
            let since = cx.now - chrono::Duration::days(*n);
            out.sql("(")
                .append(value.clone())
                .sql(" >= ")
                .bind(Part::Time(since))
                .sql(")");
        }
        Test::Contains(_) | Test::Exists => {
            out.sql("(").append(value.clone()).sql(" IS NOT NULL)");
        }
    }
    out
}

/// A condition as a two-valued SQL condition.
fn condition(c: &Condition, cx: &RuleContext, backend: Backend) -> RuleFilter {
    match &c.field {
        Field::RiskBand => return risk_band(&c.test, cx),
        Field::LoyaltyTier => return loyalty_tier(&c.test, cx),
        Field::Tags => return tags(&c.test),
        Field::Attribute(key) => return attribute(key, &c.test, cx, backend),
        _ => {}
    }
    let (source, kind, counted) = source_of(&c.field, cx, backend);
    let null_truth = matches!(c.test, Test::Ne(_));
    let mut out = RuleFilter::default();
    match source {
        Source::Direct(value) => {
            if counted && matches!(c.test, Test::Exists) {
                out.sql("(").append(value).sql(" > 0)");
            } else {
                let cmp = comparison(&value, &c.test, kind, cx);
                out.sql("COALESCE(").append(cmp).sql(if null_truth {
                    ", TRUE)"
                } else {
                    ", FALSE)"
                });
            }
        }
        Source::Row {
            from,
            value,
            absent,
        } => {
            let test = if matches!(c.test, Test::Exists) && absent.is_some() {
                // A count or a sum "exists" when it is not 0.
                Test::Ne(Scalar::Int(0))
            } else {
                c.test.clone()
            };
            let cmp = comparison(&value, &test, kind, cx);
            let absent_truth = test.holds(absent.as_ref());
            if absent_truth {
                out.sql("NOT EXISTS (SELECT 1 FROM ")
                    .sql(from)
                    .sql(" x WHERE x.account_id = accounts.id AND x.workspace_id = accounts.workspace_id AND NOT COALESCE(")
                    .append(cmp)
                    .sql(if null_truth { ", TRUE))" } else { ", FALSE))" });
            } else {
                out.sql("EXISTS (SELECT 1 FROM ")
                    .sql(from)
                    .sql(" x WHERE x.account_id = accounts.id AND x.workspace_id = accounts.workspace_id AND ");
                if let Some(band) = revenue_band(&c.field, &test, cx, backend) {
                    out.append(band).sql(" AND ");
                }
                out.sql("COALESCE(").append(cmp).sql(if null_truth {
                    ", TRUE))"
                } else {
                    ", FALSE))"
                });
            }
        }
    }
    out
}

/// The decade of a revenue as PostgreSQL's `account_metrics.revenue_band` holds it (migration
/// 2026-12-16-000101): its number of digits, 0 for none or less.
fn revenue_band_of(revenue: i64) -> i32 {
    if revenue <= 0 {
        0
    } else {
        revenue.ilog10() as i32 + 1
    }
}

/// On PostgreSQL, the test on `revenue_band` that a test on revenue implies, for the index
/// `(workspace_id, revenue_band, account_id)`: revenue itself is not indexed there, so that
/// an order's metrics update stays a HOT update. The band is monotonic in the revenue, so
/// `revenue >= v` implies `revenue_band >= band(v)`, and so on; the exact test follows it.
/// None for other fields, other backends, the temporary tables of an evaluation as of a past
/// instant, and tests without a range (`<>`, `in`).
fn revenue_band(
    field: &Field,
    test: &Test,
    cx: &RuleContext,
    backend: Backend,
) -> Option<RuleFilter> {
    if backend != Backend::Postgres
        || cx.as_of.is_some()
        || !matches!(field, Field::Metric(Metric::Revenue))
    {
        return None;
    }
    let band = |v: &Scalar| match operand(Kind::Int8, v) {
        Part::Int8(n) => Some(Part::Int4(revenue_band_of(n))),
        _ => None,
    };
    let mut out = RuleFilter::default();
    let (op, v) = match test {
        Test::Ge(v) | Test::Gt(v) => (" >= ", v),
        Test::Le(v) | Test::Lt(v) => (" <= ", v),
        Test::Eq(v) => (" = ", v),
        Test::Between(a, b) => {
            let (a, b) = (band(a)?, band(b)?);
            out.sql("x.revenue_band BETWEEN ")
                .bind(a)
                .sql(" AND ")
                .bind(b);
            return Some(out);
        }
        _ => return None,
    };
    out.sql("x.revenue_band").sql(op).bind(band(v)?);
    Some(out)
}

fn col(s: &'static str) -> RuleFilter {
    let mut f = RuleFilter::default();
    f.sql(s);
    f
}

/// Where a field's value is, how its operands bind, and whether it is a count.
fn source_of(field: &Field, cx: &RuleContext, backend: Backend) -> (Source, Kind, bool) {
    let metric = |value: &'static str, zero: bool| Source::Row {
        from: cx.metrics_table(),
        value: col(value),
        absent: zero.then_some(Scalar::Int(0)),
    };
    let prediction = |value: &'static str| Source::Row {
        from: cx.predictions_table(),
        value: col(value),
        absent: None,
    };
    match field {
        Field::Metric(m) => match m {
            Metric::OrdersCount => (metric("x.orders_count", true), Kind::Int8, false),
            Metric::Revenue => (metric("x.revenue", true), Kind::Int8, false),
            Metric::Margin => (
                metric("(x.costed_revenue - x.cost)", true),
                Kind::Int8,
                false,
            ),
            Metric::AverageOrderValue => (
                metric(
                    "(CASE WHEN x.orders_count > 0 THEN x.revenue / x.orders_count END)",
                    false,
                ),
                Kind::Int8,
                false,
            ),
            Metric::FirstOrderAt => (metric("x.first_order_at", false), Kind::Time, false),
            Metric::LastOrderAt => (metric("x.last_order_at", false), Kind::Time, false),
            Metric::DaysSinceLastOrder => {
                let mut value = RuleFilter::default();
                value
                    .sql("(")
                    .bind(Part::Int4(cx.today))
                    .sql(" - x.last_day)");
                (
                    Source::Row {
                        from: cx.metrics_table(),
                        value,
                        absent: None,
                    },
                    Kind::Int4,
                    false,
                )
            }
            Metric::RfmR => (metric("x.rfm_r", false), Kind::Int4, false),
            Metric::RfmF => (metric("x.rfm_f", false), Kind::Int4, false),
            Metric::RfmM => (metric("x.rfm_m", false), Kind::Int4, false),
            Metric::ChurnProbability => (prediction("x.churn_probability"), Kind::Float, false),
            Metric::ExpectedOrders90d => (prediction("x.expected_orders_90d"), Kind::Float, false),
            Metric::Clv => (prediction("x.clv"), Kind::Int8, false),
            Metric::CostToServe => (Source::Direct(cost_to_serve(cx)), Kind::Int8, true),
            Metric::Profit => (Source::Direct(profit(cx, backend)), Kind::Int8, false),
        },
        Field::RfmSegment => (metric("x.rfm_segment", false), Kind::Text, false),
        Field::LoyaltyPoints => (
            Source::Row {
                from: "loyalty_members",
                value: col("x.ledger_sum"),
                absent: Some(Scalar::Int(0)),
            },
            Kind::Int8,
            false,
        ),
        Field::LifecycleStage => (
            Source::Direct(col("accounts.lifecycle_stage")),
            Kind::Text,
            false,
        ),
        Field::Kind => (Source::Direct(col("accounts.kind")), Kind::Text, false),
        Field::OwnerId => (Source::Direct(col("accounts.owner_id")), Kind::Text, false),
        Field::AcquisitionChannel => (
            Source::Direct(col("accounts.acquisition_channel")),
            Kind::Text,
            false,
        ),
        Field::AcquisitionCost => (
            Source::Direct(col("accounts.acquisition_cost_amount")),
            Kind::Int8,
            false,
        ),
        Field::CreatedAt => (
            Source::Direct(col("accounts.created_at")),
            Kind::Time,
            false,
        ),
        Field::Consent(channel) => {
            // One generated column per channel (migration 2026-12-11-000004), kept by the
            // database from `marketing_consent`: a plain comparison instead of parsing every
            // account's consent JSON. The channel is a closed list, never input text.
            let column = match channel {
                ConsentChannel::Email => "accounts.consent_email",
                ConsentChannel::Sms => "accounts.consent_sms",
                ConsentChannel::Push => "accounts.consent_push",
            };
            (Source::Direct(col(column)), Kind::Text, false)
        }
        Field::Interactions {
            kind,
            channel,
            days,
        } => {
            let mut value = RuleFilter::default();
            value.sql(
                "(SELECT COUNT(*) FROM interactions i WHERE i.account_id = accounts.id \
                 AND i.workspace_id = accounts.workspace_id AND i.deleted_at IS NULL",
            );
            if let Some(k) = kind {
                value.sql(" AND i.type = ").bind(Part::Text(k.clone()));
            }
            if let Some(ch) = channel {
                value.sql(" AND i.channel = ").bind(Part::Text(ch.clone()));
            }
            if let Some(d) = days {
                value
                    .sql(" AND i.occurred_at >= ")
                    .bind(Part::Time(cx.now - chrono::Duration::days(*d)));
            }
            cx.until(&mut value, "i.occurred_at");
            value.sql(")");
            (Source::Direct(value), Kind::Int8, true)
        }
        Field::Orders {
            category,
            channel,
            days,
        } => {
            let mut value = RuleFilter::default();
            value.sql(
                "(SELECT COUNT(*) FROM orders o WHERE o.account_id = accounts.id \
                 AND o.workspace_id = accounts.workspace_id AND o.status <> 'refunded'",
            );
            if let Some(ch) = channel {
                value.sql(" AND o.channel = ").bind(Part::Text(ch.clone()));
            }
            if let Some(d) = days {
                value
                    .sql(" AND o.occurred_at >= ")
                    .bind(Part::Time(cx.now - chrono::Duration::days(*d)));
            }
            cx.until(&mut value, "o.occurred_at");
            if let Some(cat) = category {
                match backend {
                    Backend::Sqlite => value.sql(
                        " AND EXISTS (SELECT 1 FROM json_each(o.items) item \
                         WHERE json_extract(item.value, '$.category') = ",
                    ),
                    Backend::Postgres => value.sql(
                        " AND EXISTS (SELECT 1 FROM jsonb_array_elements(o.items::jsonb) item \
                         WHERE item ->> 'category' = ",
                    ),
                };
                value.bind(Part::Text(cat.clone())).sql(")");
            }
            value.sql(")");
            (Source::Direct(value), Kind::Int8, true)
        }
        Field::OpenDeals => (
            Source::Direct(col(
                "(SELECT COUNT(*) FROM deals d WHERE d.account_id = accounts.id \
                 AND d.workspace_id = accounts.workspace_id AND d.deleted_at IS NULL \
                 AND d.status = 'open')",
            )),
            Kind::Int8,
            true,
        ),
        Field::Nps | Field::NpsCategory | Field::Csat | Field::Ces | Field::LastFeedbackAt => {
            let (value, kind) = match field {
                Field::Nps => ("x.nps", Kind::Int4),
                Field::NpsCategory => ("x.nps_category", Kind::Text),
                Field::Csat => ("x.csat", Kind::Int4),
                Field::Ces => ("x.ces", Kind::Int4),
                _ => ("x.last_response_at", Kind::Time),
            };
            (
                Source::Row {
                    from: "account_satisfaction",
                    value: col(value),
                    absent: None,
                },
                kind,
                false,
            )
        }
        Field::OpenComplaints => (
            Source::Direct(col(
                "(SELECT COUNT(*) FROM complaints c WHERE c.account_id = accounts.id \
                 AND c.workspace_id = accounts.workspace_id \
                 AND c.status IN ('open', 'in_progress', 'waiting_for_customer', 'reopened'))",
            )),
            Kind::Int8,
            true,
        ),
        Field::Complaints { days } => {
            let mut value = RuleFilter::default();
            value.sql(
                "(SELECT COUNT(*) FROM complaints c WHERE c.account_id = accounts.id \
                 AND c.workspace_id = accounts.workspace_id",
            );
            if let Some(d) = days {
                value
                    .sql(" AND c.opened_at >= ")
                    .bind(Part::Time(cx.now - chrono::Duration::days(*d)));
            }
            cx.until(&mut value, "c.opened_at");
            value.sql(")");
            (Source::Direct(value), Kind::Int8, true)
        }
        // Handled before: these have their own compilers.
        Field::RiskBand | Field::LoyaltyTier | Field::Tags | Field::Attribute(_) => {
            (Source::Direct(col("NULL")), Kind::Text, false)
        }
    }
}

/// The account's cost to serve: its live interactions at their type's cost plus its
/// complaints at the complaint cost.
fn cost_to_serve(cx: &RuleContext) -> RuleFilter {
    let e = &cx.economics;
    let mut out = RuleFilter::default();
    out.sql("(0");
    if !e.interaction_costs.is_empty() {
        out.sql(" + (SELECT CAST(COALESCE(SUM(CASE i.type");
        for (kind, cost) in &e.interaction_costs {
            out.sql(" WHEN ")
                .bind(Part::Text(kind.clone()))
                .sql(" THEN ")
                .bind(Part::Int8(*cost));
        }
        out.sql(
            " ELSE 0 END), 0) AS BIGINT) FROM interactions i WHERE i.account_id = accounts.id \
             AND i.workspace_id = accounts.workspace_id AND i.deleted_at IS NULL",
        );
        cx.until(&mut out, "i.occurred_at");
        out.sql(")");
    }
    if e.complaint_cost != 0 {
        out.sql(" + ").bind(Part::Int8(e.complaint_cost)).sql(
            " * (SELECT COUNT(*) FROM complaints c WHERE c.account_id = accounts.id \
                 AND c.workspace_id = accounts.workspace_id)",
        );
    }
    out.sql(")");
    out
}

/// `ROUND(value)` half away from zero, as a BIGINT, on either backend (PostgreSQL rounds
/// doubles half to even, numerics half away from zero).
fn round_to_bigint(value: RuleFilter, backend: Backend) -> RuleFilter {
    let mut out = RuleFilter::default();
    match backend {
        Backend::Sqlite => out.sql("CAST(ROUND(").append(value).sql(") AS INTEGER)"),
        Backend::Postgres => out
            .sql("CAST(ROUND(CAST(")
            .append(value)
            .sql(" AS NUMERIC)) AS BIGINT)"),
    };
    out
}

/// Margin minus acquisition cost minus cost to serve.
fn profit(cx: &RuleContext, backend: Backend) -> RuleFilter {
    let e = &cx.economics;
    let mut assumed = RuleFilter::default();
    assumed
        .sql("((x.revenue - x.costed_revenue) * ")
        .bind(Part::Float(e.default_margin_percent))
        .sql(" / 100.0)");
    let mut out = RuleFilter::default();
    out.sql("(COALESCE((SELECT (x.costed_revenue - x.cost) + ")
        .append(round_to_bigint(assumed, backend))
        .sql(
            " FROM account_metrics x WHERE x.account_id = accounts.id \
         AND x.workspace_id = accounts.workspace_id), 0) - CASE",
        );
    out.sql(" WHEN accounts.acquisition_cost_amount IS NOT NULL AND accounts.acquisition_cost_currency = ")
        .bind(Part::Text(e.reporting_currency.clone()))
        .sql(" THEN accounts.acquisition_cost_amount");
    for (currency, factor) in &e.currency_factors {
        let mut converted = RuleFilter::default();
        converted
            .sql("(accounts.acquisition_cost_amount * ")
            .bind(Part::Float(*factor))
            .sql(")");
        out.sql(" WHEN accounts.acquisition_cost_amount IS NOT NULL AND accounts.acquisition_cost_currency = ")
            .bind(Part::Text(currency.clone()))
            .sql(" THEN ")
            .append(round_to_bigint(converted, backend));
    }
    if e.spend_shares.is_empty() {
        out.sql(" ELSE 0 END");
    } else {
        out.sql(" ELSE COALESCE((SELECT CASE");
        for (channel, from, to, share) in &e.spend_shares {
            out.sql(" WHEN accounts.acquisition_channel = ")
                .bind(Part::Text(channel.clone()))
                .sql(" AND x.first_day BETWEEN ")
                .bind(Part::Int4(*from))
                .sql(" AND ")
                .bind(Part::Int4(*to))
                .sql(" THEN ")
                .bind(Part::Int8(*share));
        }
        out.sql(" ELSE 0 END FROM ").sql(cx.metrics_table()).sql(
            " x WHERE x.account_id = accounts.id \
             AND x.workspace_id = accounts.workspace_id AND x.first_day IS NOT NULL), 0) END",
        );
    }
    out.sql(" - ").append(cost_to_serve(cx)).sql(")");
    out
}

/// The churn-probability range of a risk band: [low, high).
fn band_range(band: &str, t: &[f64; 3]) -> Option<(f64, f64)> {
    match band {
        "healthy" => Some((f64::NEG_INFINITY, t[0])),
        "watch" => Some((t[0], t[1])),
        "at_risk" => Some((t[1], t[2])),
        "lost" => Some((t[2], f64::INFINITY)),
        _ => None,
    }
}

fn risk_band(test: &Test, cx: &RuleContext) -> RuleFilter {
    let bands: Vec<&str> = match test {
        Test::Eq(Scalar::Text(b)) | Test::Ne(Scalar::Text(b)) => vec![b.as_str()],
        Test::In(vs) => vs
            .iter()
            .filter_map(|v| match v {
                Scalar::Text(b) => Some(b.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut out = RuleFilter::default();
    let negate = matches!(test, Test::Ne(_));
    out.sql(if negate { "NOT EXISTS" } else { "EXISTS" })
        .sql(" (SELECT 1 FROM ")
        .sql(cx.predictions_table())
        .sql(" x WHERE x.account_id = accounts.id AND x.workspace_id = accounts.workspace_id");
    if !matches!(test, Test::Exists) {
        out.sql(" AND (FALSE");
        for band in bands {
            if let Some((low, high)) = band_range(band, &cx.risk_thresholds) {
                out.sql(" OR (TRUE");
                if low.is_finite() {
                    out.sql(" AND x.churn_probability >= ")
                        .bind(Part::Float(low));
                }
                if high.is_finite() {
                    out.sql(" AND x.churn_probability < ")
                        .bind(Part::Float(high));
                }
                out.sql(")");
            }
        }
        out.sql(")");
    }
    out.sql(")");
    out
}

fn loyalty_tier(test: &Test, cx: &RuleContext) -> RuleFilter {
    // A customer without a member row holds the first tier (as their balance says).
    let last = cx.tiers.len().saturating_sub(1);
    let index_of = |name: &Scalar| match name {
        Scalar::Text(n) => cx.tiers.iter().position(|t| t == n),
        _ => None,
    };
    let names: Vec<&Scalar> = match test {
        Test::Eq(v) | Test::Ne(v) => vec![v],
        Test::In(vs) => vs.iter().collect(),
        _ => Vec::new(),
    };
    let indexes: Vec<usize> = names.iter().filter_map(|n| index_of(n)).collect();
    let holds_without_row = !cx.tiers.is_empty()
        && match test {
            Test::Exists => true,
            Test::Ne(_) => !indexes.contains(&0),
            _ => indexes.contains(&0),
        };
    let mut inner = RuleFilter::default();
    if cx.tiers.is_empty() {
        inner.sql("FALSE");
    } else if matches!(test, Test::Exists) {
        inner.sql("TRUE");
    } else {
        inner.sql("(FALSE");
        for i in &indexes {
            let i32_of = |i: usize| i32::try_from(i).unwrap_or(i32::MAX);
            if *i == last {
                inner.sql(" OR x.tier >= ").bind(Part::Int4(i32_of(*i)));
            } else {
                inner.sql(" OR x.tier = ").bind(Part::Int4(i32_of(*i)));
            }
        }
        inner.sql(")");
        if matches!(test, Test::Ne(_)) {
            let mut negated = RuleFilter::default();
            negated.sql("(NOT ").append(inner).sql(")");
            inner = negated;
        }
    }
    let mut out = RuleFilter::default();
    let exists = "EXISTS (SELECT 1 FROM loyalty_members x WHERE x.account_id = accounts.id AND x.workspace_id = accounts.workspace_id AND ";
    if holds_without_row {
        // Holds unless a member row says otherwise.
        out.sql("(NOT EXISTS (SELECT 1 FROM loyalty_members x WHERE x.account_id = accounts.id AND x.workspace_id = accounts.workspace_id) OR ")
            .sql(exists)
            .append(inner)
            .sql("))");
    } else {
        out.sql(exists).append(inner).sql(")");
    }
    out
}

fn tags(test: &Test) -> RuleFilter {
    let mut out = RuleFilter::default();
    out.sql("EXISTS (SELECT 1 FROM account_tags t WHERE t.account_id = accounts.id AND t.workspace_id = accounts.workspace_id");
    match test {
        Test::Contains(tag) => {
            out.sql(" AND t.tag = ").bind(Part::Text(tag.clone()));
        }
        Test::In(vs) => {
            out.sql(" AND t.tag IN (");
            for (i, v) in vs.iter().enumerate() {
                if i > 0 {
                    out.sql(", ");
                }
                out.bind(operand(Kind::Text, v));
            }
            out.sql(")");
        }
        _ => {}
    }
    out.sql(")");
    out
}

/// A custom attribute compared by the operand's JSON type: numbers with numbers, text with
/// text, booleans with booleans; a value of another type (or none) is absent.
fn attribute(key: &str, test: &Test, cx: &RuleContext, backend: Backend) -> RuleFilter {
    #[derive(Clone, Copy, PartialEq)]
    enum As {
        Number,
        Text,
        Bool,
    }
    let kind_of = |s: &Scalar| match s {
        Scalar::Int(_) | Scalar::Float(_) => As::Number,
        Scalar::Bool(_) => As::Bool,
        _ => As::Text,
    };
    let typed = |as_: As| -> RuleFilter {
        let mut v = RuleFilter::default();
        match (backend, as_) {
            (Backend::Sqlite, As::Number) => {
                v.sql("(CASE WHEN json_type(accounts.attributes, ")
                    .bind(Part::Text(sqlite_path(key)))
                    .sql(") IN ('integer', 'real') THEN json_extract(accounts.attributes, ")
                    .bind(Part::Text(sqlite_path(key)))
                    .sql(") END)");
            }
            (Backend::Sqlite, As::Text) => {
                v.sql("(CASE WHEN json_type(accounts.attributes, ")
                    .bind(Part::Text(sqlite_path(key)))
                    .sql(") = 'text' THEN json_extract(accounts.attributes, ")
                    .bind(Part::Text(sqlite_path(key)))
                    .sql(") END)");
            }
            (Backend::Sqlite, As::Bool) => {
                v.sql("(CASE WHEN json_type(accounts.attributes, ")
                    .bind(Part::Text(sqlite_path(key)))
                    .sql(") IN ('true', 'false') THEN json_type(accounts.attributes, ")
                    .bind(Part::Text(sqlite_path(key)))
                    .sql(") END)");
            }
            (Backend::Postgres, As::Number) => {
                v.sql("(CASE WHEN jsonb_typeof(accounts.attributes::jsonb -> ")
                    .bind(Part::Text(key.to_owned()))
                    .sql(") = 'number' THEN (accounts.attributes::jsonb ->> ")
                    .bind(Part::Text(key.to_owned()))
                    .sql(")::float8 END)");
            }
            (Backend::Postgres, As::Text) => {
                v.sql("(CASE WHEN jsonb_typeof(accounts.attributes::jsonb -> ")
                    .bind(Part::Text(key.to_owned()))
                    .sql(") = 'string' THEN accounts.attributes::jsonb ->> ")
                    .bind(Part::Text(key.to_owned()))
                    .sql(" END)");
            }
            (Backend::Postgres, As::Bool) => {
                v.sql("(CASE WHEN jsonb_typeof(accounts.attributes::jsonb -> ")
                    .bind(Part::Text(key.to_owned()))
                    .sql(") = 'boolean' THEN accounts.attributes::jsonb ->> ")
                    .bind(Part::Text(key.to_owned()))
                    .sql(" END)");
            }
        }
        v
    };
    let null_truth = matches!(test, Test::Ne(_));
    let close = if null_truth { ", TRUE)" } else { ", FALSE)" };
    let kind_for = |a: As| {
        if a == As::Number {
            Kind::Float
        } else {
            Kind::Text
        }
    };
    let mut out = RuleFilter::default();
    match test {
        Test::Exists => {
            let mut any = RuleFilter::default();
            match backend {
                Backend::Sqlite => {
                    any.sql("(COALESCE(json_type(accounts.attributes, ")
                        .bind(Part::Text(sqlite_path(key)))
                        .sql("), 'null') <> 'null')");
                }
                Backend::Postgres => {
                    any.sql("(COALESCE(jsonb_typeof(accounts.attributes::jsonb -> ")
                        .bind(Part::Text(key.to_owned()))
                        .sql("), 'null') <> 'null')");
                }
            }
            return any;
        }
        Test::Contains(s) => {
            let text = typed(As::Text);
            out.sql("COALESCE(");
            match backend {
                Backend::Sqlite => out.sql("instr(").append(text).sql(", "),
                Backend::Postgres => out.sql("strpos(").append(text).sql(", "),
            };
            out.bind(Part::Text(s.clone())).sql(") > 0, FALSE)");
        }
        Test::In(vs) => {
            // Each operand compared with the value of its own type.
            out.sql("(FALSE");
            for v in vs {
                let a = kind_of(v);
                out.sql(" OR COALESCE(")
                    .append(comparison(&typed(a), &Test::Eq(v.clone()), kind_for(a), cx))
                    .sql(", FALSE)");
            }
            out.sql(")");
        }
        Test::Eq(v)
        | Test::Ne(v)
        | Test::Lt(v)
        | Test::Le(v)
        | Test::Gt(v)
        | Test::Ge(v)
        | Test::Between(v, _) => {
            let a = kind_of(v);
            let test = match (test, v) {
                (Test::Eq(_) | Test::Ne(_), Scalar::Bool(b)) => {
                    // Stored JSON booleans read back as the text 'true' / 'false'.
                    let t = Scalar::Text(b.to_string());
                    if matches!(test, Test::Eq(_)) {
                        Test::Eq(t)
                    } else {
                        Test::Ne(t)
                    }
                }
                _ => test.clone(),
            };
            out.sql("COALESCE(")
                .append(comparison(&typed(a), &test, kind_for(a), cx))
                .sql(close);
        }
        Test::WithinLastDays(_) => {
            out.sql("FALSE");
        }
    }
    out
}

/// The SQLite JSON path of a top-level key (keys are letters, digits, `_` and `-`).
fn sqlite_path(key: &str) -> String {
    format!("$.\"{key}\"")
}

// ---------------------------------------------------------------------------------------
// Queries

/// Live accounts of the workspace matching `rule`: how many.
pub fn count(conn: &mut DbConn, workspace_id: &str, rule: &RuleFilter) -> QueryResult<i64> {
    accounts::table
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(accounts::deleted_at.is_null())
        .filter(accounts::erased_at.is_null())
        .filter(rule.clone())
        .count()
        .get_result(conn)
}

/// The ids among `among` (all live accounts of the workspace when `None`) that match.
pub fn matching_ids(
    conn: &mut DbConn,
    workspace_id: &str,
    rule: &RuleFilter,
    among: Option<&[String]>,
) -> QueryResult<Vec<String>> {
    let mut query = accounts::table
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(accounts::deleted_at.is_null())
        .filter(accounts::erased_at.is_null())
        .filter(rule.clone())
        .select(accounts::id)
        .into_boxed();
    if let Some(ids) = among {
        query = query.filter(accounts::id.eq_any(ids.to_vec()));
    }
    query.load(conn)
}

pub fn insert(conn: &mut DbConn, row: &SegmentRow) -> QueryResult<()> {
    diesel::insert_into(segments::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A live segment of the workspace.
pub fn find(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<SegmentRow>> {
    segments::table
        .filter(segments::workspace_id.eq(workspace_id))
        .filter(segments::id.eq(id))
        .filter(segments::deleted_at.is_null())
        .select(SegmentRow::as_select())
        .get_result(conn)
        .optional()
}

/// Writes `row` when the stored version is still `expected_version` (rows changed: 0 or 1).
pub fn update(conn: &mut DbConn, row: &SegmentRow, expected_version: i64) -> QueryResult<usize> {
    diesel::update(
        segments::table
            .filter(segments::workspace_id.eq(&row.workspace_id))
            .filter(segments::id.eq(&row.id))
            .filter(segments::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)
}

/// A page of live segments by id.
pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<SegmentRow>> {
    let mut query = segments::table
        .filter(segments::workspace_id.eq(workspace_id))
        .filter(segments::deleted_at.is_null())
        .select(SegmentRow::as_select())
        .order(segments::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(segments::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// The workspace's live tracked segments.
pub fn tracked(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Vec<SegmentRow>> {
    segments::table
        .filter(segments::workspace_id.eq(workspace_id))
        .filter(segments::tracked.eq(true))
        .filter(segments::deleted_at.is_null())
        .order(segments::id.asc())
        .select(SegmentRow::as_select())
        .load(conn)
}

/// The stored members of a tracked segment among `among` (all when `None`).
pub fn members_of(
    conn: &mut DbConn,
    segment_id: &str,
    among: Option<&[String]>,
) -> QueryResult<Vec<String>> {
    let mut query = segment_memberships::table
        .filter(segment_memberships::segment_id.eq(segment_id))
        .select(segment_memberships::account_id)
        .into_boxed();
    if let Some(ids) = among {
        query = query.filter(segment_memberships::account_id.eq_any(ids.to_vec()));
    }
    query.load(conn)
}

/// Records that `account_id` entered the segment; false when it was already recorded (a
/// concurrent write recorded it first: that write announces it).
pub fn enter(
    conn: &mut DbConn,
    workspace_id: &str,
    segment_id: &str,
    account_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let row = (
        segment_memberships::segment_id.eq(segment_id),
        segment_memberships::account_id.eq(account_id),
        segment_memberships::workspace_id.eq(workspace_id),
        segment_memberships::entered_at.eq(at),
    );
    let n = crate::per_backend!(conn, |c| diesel::insert_into(segment_memberships::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

/// Records that `account_id` left the segment; false when it was not recorded.
pub fn leave(conn: &mut DbConn, segment_id: &str, account_id: &str) -> QueryResult<bool> {
    let n = diesel::delete(
        segment_memberships::table
            .filter(segment_memberships::segment_id.eq(segment_id))
            .filter(segment_memberships::account_id.eq(account_id)),
    )
    .execute(conn)?;
    Ok(n == 1)
}

/// Forgets every stored member of a segment (it is deleted or no longer tracked).
pub fn clear_members(conn: &mut DbConn, segment_id: &str) -> QueryResult<usize> {
    diesel::delete(
        segment_memberships::table.filter(segment_memberships::segment_id.eq(segment_id)),
    )
    .execute(conn)
}

/// Stores these accounts' predictions (insert or replace).
pub fn upsert_predictions(conn: &mut DbConn, rows: &[PredictionRow]) -> QueryResult<()> {
    use crate::schema::account_predictions::dsl as p;
    macro_rules! upsert {
        ($c:expr, $rows:expr) => {
            diesel::insert_into(p::account_predictions)
                .values($rows)
                .on_conflict(p::account_id)
                .do_update()
                .set((
                    p::churn_probability.eq(diesel::upsert::excluded(p::churn_probability)),
                    p::expected_orders_90d.eq(diesel::upsert::excluded(p::expected_orders_90d)),
                    p::clv.eq(diesel::upsert::excluded(p::clv)),
                    p::predicted_at.eq(diesel::upsert::excluded(p::predicted_at)),
                ))
                .execute($c)
        };
    }
    match conn {
        DbConn::Pg(c) => {
            for chunk in rows.chunks(500) {
                upsert!(c, chunk)?;
            }
        }
        // SQLite has no multi-row upsert in Diesel; one statement per row, prepared once.
        DbConn::Sqlite(c) => {
            for row in rows {
                upsert!(c, row)?;
            }
        }
    }
    Ok(())
}

/// The stored churn probabilities of these accounts (those that have a prediction).
pub fn churn_probabilities(
    conn: &mut DbConn,
    workspace_id: &str,
    account_ids: &[String],
) -> QueryResult<Vec<(String, f64)>> {
    use crate::schema::account_predictions::dsl as p;
    let mut out = Vec::with_capacity(account_ids.len());
    for chunk in account_ids.chunks(1_000) {
        let rows: Vec<(String, f64)> = p::account_predictions
            .filter(p::workspace_id.eq(workspace_id))
            .filter(p::account_id.eq_any(chunk))
            .select((p::account_id, p::churn_probability))
            .load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// Forgets the predictions of these accounts (no orders left, or no model).
pub fn delete_predictions(
    conn: &mut DbConn,
    workspace_id: &str,
    account_ids: &[String],
) -> QueryResult<usize> {
    use crate::schema::account_predictions::dsl as p;
    let mut n = 0;
    for chunk in account_ids.chunks(1_000) {
        n += diesel::delete(
            p::account_predictions
                .filter(p::workspace_id.eq(workspace_id))
                .filter(p::account_id.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    Ok(n)
}
