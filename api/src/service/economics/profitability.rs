//! `GET /v1/analytics/profitability`: which customers make the money and which lose it once
//! acquisition and service costs count, and the rule-of-thumb CLV beside the model's.
//!
//! Per customer (every live account with a purchase, net of refunds, reporting currency):
//! - `margin`: costed orders' revenue minus their cost, plus the rest of the revenue at
//!   `default_margin_percent` (as in the other economics reports);
//! - `acquisition_cost`: the account's own `acquisition_cost` converted to the reporting
//!   currency, else its channel's marketing spend for the month of its first purchase
//!   shared by that month's new customers of the channel without an own cost (the CAC rule
//!   of `/v1/analytics/acquisition`); `null` (counted as 0) when neither exists;
//! - `cost_to_serve`: its interactions at their type's cost and its complaints at the
//!   complaint cost (`cost_to_serve` in the value settings);
//! - `profit = margin - acquisition_cost - cost_to_serve`.
//!
//! Deciles rank customers by profit, highest first (`rapport_domain::profitability`).
//! The simple CLV of a group is `margin per order × orders per customer-year × yearly
//! retention`: its customers' margin over their orders, their orders over the years since
//! each one's first purchase (at least 30 days each), and the workspace's share of the
//! previous year's buyers who bought again in the last 365 days.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use rapport_domain::access::Scope;
use rapport_domain::economics::{margin, per, Period};
use rapport_domain::profitability::{deciles, observed_years, profit, simple_clv, ServiceCosts};
use rapport_domain::value::{convert, day_of};
use rapport_persistence::economics::{self as store, ProfitCustomerSql};
use rapport_persistence::DbConn;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::graphql::scalars::{long_opt, Long};
use crate::service::now;
use crate::service::value::{self, load_settings, CostToServe, ValueMetrics, ValueSettings};
use crate::state::AppState;

/// Accounts listed as most and least profitable, by default and at most.
pub const DEFAULT_LISTED: i64 = 10;
pub const MAX_LISTED: i64 = 100;

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProfitabilityQuery {
    /// How many of the most and of the least profitable customers to list (0 to 100,
    /// default 10).
    pub limit: Option<i64>,
}

/// One customer's economics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AccountEconomics {
    pub margin: i64,
    /// `None`: neither an own cost (convertible) nor marketing spend to share.
    pub acquisition_cost: Option<i64>,
    pub cost_to_serve: i64,
    pub profit: i64,
}

/// What turns an account's rows into its economics.
struct Rules {
    settings: ValueSettings,
    costs: ServiceCosts,
    /// Spend share by (channel, month index of the first purchase).
    shares: HashMap<(String, i32), i64>,
    /// The (channel, month) pairs whose share was looked up, with or without one; `None`
    /// when every month's shares were read at once.
    looked_up: Option<HashSet<(String, i32)>>,
}

impl Rules {
    fn own_cost(&self, row: &ProfitCustomerSql) -> Option<i64> {
        let (amount, currency) = row
            .acquisition_cost
            .zip(row.acquisition_cost_currency.as_deref())?;
        let rate = self.settings.rate(currency)?;
        convert(amount, currency, &self.settings.reporting_currency, rate).ok()
    }

    fn of(&self, row: &ProfitCustomerSql, served: Option<&Served>) -> AccountEconomics {
        let m = margin(
            row.revenue,
            row.costed_revenue,
            row.cost,
            self.settings.default_margin_percent,
        );
        let acquisition_cost = self.own_cost(row).or_else(|| {
            let channel = row.channel.clone()?;
            let month = Period::Month.index_of(row.first_day?);
            self.shares.get(&(channel, month)).copied()
        });
        let cost_to_serve = served.map_or(0, |s| {
            self.costs.cost_of(
                s.interactions.iter().map(|(k, n)| (k.as_str(), *n)),
                s.complaints,
            )
        });
        AccountEconomics {
            margin: m,
            acquisition_cost,
            cost_to_serve,
            profit: profit(m, acquisition_cost.unwrap_or(0), cost_to_serve),
        }
    }
}

/// An account's interactions by type and its complaints.
#[derive(Default)]
struct Served {
    interactions: Vec<(String, i64)>,
    complaints: i64,
}

fn served_by_account(rows: Vec<(String, String, i64)>) -> HashMap<String, Served> {
    let mut out: HashMap<String, Served> = HashMap::new();
    for (account, kind, n) in rows {
        let s = out.entry(account).or_default();
        if kind.is_empty() {
            s.complaints += n;
        } else {
            s.interactions.push((kind, n));
        }
    }
    out
}

/// The currencies an own acquisition cost can be converted from.
fn convertible(settings: &ValueSettings) -> Vec<String> {
    let mut out: Vec<String> = settings
        .exchange_rates
        .keys()
        .filter(|c| settings.rate(c).is_some())
        .cloned()
        .collect();
    out.push(settings.reporting_currency.clone());
    out
}

impl Rules {
    /// The workspace's settings and service costs; shares are added by [`Rules::everyone`]
    /// or, for the accounts at hand, by [`Rules::add_shares`].
    fn load(conn: &mut DbConn, workspace_id: &str) -> Result<Self, ApiError> {
        Ok(Self::of_settings(load_settings(conn, workspace_id)?))
    }

    fn of_settings(settings: ValueSettings) -> Self {
        let costs = settings.cost_to_serve.costs();
        Self {
            settings,
            costs,
            shares: HashMap::new(),
            looked_up: Some(HashSet::new()),
        }
    }

    /// With every month's shares, read at once (the report over every customer).
    fn everyone(conn: &mut DbConn, workspace_id: &str) -> Result<Self, ApiError> {
        let mut rules = Self::load(conn, workspace_id)?;
        rules.shares = store::spend_shares(conn, workspace_id, &convertible(&rules.settings))?
            .into_iter()
            .map(|(channel, from, _, share)| ((channel, Period::Month.index_of(from)), share))
            .collect();
        rules.looked_up = None;
        Ok(rules)
    }

    /// Looks up the shares `rows` need that are not known yet: each (channel, month) once.
    fn add_shares(
        &mut self,
        conn: &mut DbConn,
        workspace_id: &str,
        rows: &[ProfitCustomerSql],
    ) -> Result<(), ApiError> {
        let Some(looked_up) = self.looked_up.as_mut() else {
            return Ok(());
        };
        let convertible = convertible(&self.settings);
        let p = Period::Month;
        for row in rows {
            let (Some(channel), Some(first_day)) = (row.channel.as_deref(), row.first_day) else {
                continue;
            };
            let key = (channel.to_owned(), p.index_of(first_day));
            if !looked_up.insert(key.clone()) {
                continue;
            }
            let month = key.1;
            let Some(spend) = store::find_spend(conn, workspace_id, channel, &p.label(month))?
            else {
                continue;
            };
            let n = store::uncosted_in(
                conn,
                workspace_id,
                channel,
                p.start_day(month),
                p.end_day(month),
                &convertible,
            )?;
            if n > 0 {
                self.shares.insert(key, per(spend.amount, n));
            }
        }
        Ok(())
    }

    /// The economics of accounts whose shares are known.
    fn economics(
        &self,
        conn: &mut DbConn,
        workspace_id: &str,
        rows: &[ProfitCustomerSql],
    ) -> Result<HashMap<String, AccountEconomics>, ApiError> {
        let served = if self.costs.is_free() || rows.is_empty() {
            HashMap::new()
        } else {
            let ids: Vec<String> = rows.iter().map(|r| r.account_id.clone()).collect();
            served_by_account(store::service_counts(conn, workspace_id, Some(&ids))?)
        };
        Ok(rows
            .iter()
            .map(|r| (r.account_id.clone(), self.of(r, served.get(&r.account_id))))
            .collect())
    }
}

/// The economics of these live accounts of the workspace (absent ids are left out).
pub fn economics_of(
    conn: &mut DbConn,
    workspace_id: &str,
    ids: &[String],
) -> Result<HashMap<String, AccountEconomics>, ApiError> {
    let rows = store::profit_accounts(conn, workspace_id, ids)?;
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    Pricing(Rules::load(conn, workspace_id)?).economics(conn, workspace_id, &rows)
}

/// The workspace's profitability rules, kept across pages of accounts whose figures the
/// caller already read (an export has each page's accounts and metrics in hand): each
/// channel and month's share of marketing spend is looked up once.
pub struct Pricing(Rules);

impl Pricing {
    /// From the workspace's value settings, already read by the caller.
    pub fn new(settings: ValueSettings) -> Self {
        Self(Rules::of_settings(settings))
    }

    pub fn economics(
        &mut self,
        conn: &mut DbConn,
        workspace_id: &str,
        rows: &[ProfitCustomerSql],
    ) -> Result<HashMap<String, AccountEconomics>, ApiError> {
        self.0.add_shares(conn, workspace_id, rows)?;
        self.0.economics(conn, workspace_id, rows)
    }
}

/// `metrics` with the account's profitability figures set (`None` leaves them null).
pub fn with_economics(mut metrics: ValueMetrics, e: Option<&AccountEconomics>) -> ValueMetrics {
    if let Some(e) = e {
        metrics.cost_to_serve = Some(e.cost_to_serve);
        metrics.acquisition_cost = e.acquisition_cost;
        metrics.profit = Some(e.profit);
    }
    metrics
}

/// One account's metrics now, with its profitability figures (what the metrics endpoint,
/// profiles and the account view show).
pub fn account_metrics(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> Result<ValueMetrics, ApiError> {
    let metrics = value::account_metrics(conn, workspace_id, account_id)?;
    let economics = economics_of(conn, workspace_id, &[account_id.to_owned()])?;
    Ok(with_economics(metrics, economics.get(account_id)))
}

// ---------------------------------------------------------------------------------------
// The report

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ProfitabilityReport {
    /// The reporting currency of every amount.
    pub currency: String,
    /// When the figures were read (they cover everything up to then).
    pub as_of: DateTime<Utc>,
    pub default_margin_percent: f64,
    /// The costs `cost_to_serve` counts (the value settings' `cost_to_serve`).
    pub cost_to_serve_settings: CostToServe,
    /// Live accounts with a purchase.
    pub customers: i64,
    /// Customers with a profit above 0, below 0, and exactly 0.
    pub profitable_customers: i64,
    pub unprofitable_customers: i64,
    pub break_even_customers: i64,
    /// Customers with neither an own acquisition cost nor marketing spend to share (their
    /// acquisition cost counts as 0).
    pub uncosted_acquisition_customers: i64,
    pub totals: ProfitTotals,
    /// Ten deciles by profit, 1 = the most profitable tenth.
    pub deciles: Vec<ProfitDecile>,
    /// By current RFM segment (`null`: customers not scored yet), with the simple CLV
    /// beside the model's.
    pub by_rfm_segment: Vec<SegmentEconomics>,
    /// All customers together, as one group.
    pub overall: SegmentEconomics,
    /// The workspace's yearly retention: the previous year's buyers (`[today - 730,
    /// today - 365)`) who bought again in the last 365 days, over them (0 without any).
    pub retention_rate: f64,
    pub retention_base_customers: i64,
    pub retained_customers: i64,
    pub most_profitable: Vec<AccountProfit>,
    pub least_profitable: Vec<AccountProfit>,
}

#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ProfitTotals {
    #[graphql(skip, derived(name = "revenue", into = "Long", owned))]
    pub revenue: i64,
    #[graphql(skip, derived(name = "margin", into = "Long", owned))]
    pub margin: i64,
    #[graphql(skip, derived(name = "acquisition_cost", into = "Long", owned))]
    pub acquisition_cost: i64,
    #[graphql(skip, derived(name = "cost_to_serve", into = "Long", owned))]
    pub cost_to_serve: i64,
    #[graphql(skip, derived(name = "profit", into = "Long", owned))]
    pub profit: i64,
}

impl ProfitTotals {
    fn add(&mut self, revenue: i64, e: &AccountEconomics) {
        self.revenue = self.revenue.saturating_add(revenue);
        self.margin = self.margin.saturating_add(e.margin);
        self.acquisition_cost = self
            .acquisition_cost
            .saturating_add(e.acquisition_cost.unwrap_or(0));
        self.cost_to_serve = self.cost_to_serve.saturating_add(e.cost_to_serve);
        self.profit = self.profit.saturating_add(e.profit);
    }
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ProfitDecile {
    /// 1 = the most profitable tenth of customers, 10 = the least.
    pub decile: i32,
    pub customers: i64,
    /// `customers / all customers`.
    pub share_of_customers: f64,
    #[graphql(
        skip,
        derived(name = "min_profit", into = "Option<Long>", owned, with = "long_opt")
    )]
    pub min_profit: Option<i64>,
    #[graphql(
        skip,
        derived(name = "max_profit", into = "Option<Long>", owned, with = "long_opt")
    )]
    pub max_profit: Option<i64>,
    pub totals: ProfitTotals,
    /// The decile's profit over the total profit (`null` when the total is not positive).
    pub share_of_profit: Option<f64>,
    /// Deciles 1 to this one's profit over the total (above 1 when the later deciles lose
    /// money; `null` when the total is not positive).
    pub cumulative_share_of_profit: Option<f64>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct SegmentEconomics {
    /// The RFM segment (`null`: not scored, or the overall group).
    pub rfm_segment: Option<String>,
    pub customers: i64,
    pub orders: i64,
    pub totals: ProfitTotals,
    #[graphql(skip, derived(name = "average_profit", into = "Long", owned))]
    pub average_profit: i64,
    /// Margin over orders.
    #[graphql(skip, derived(name = "margin_per_order", into = "Long", owned))]
    pub margin_per_order: i64,
    /// Orders per customer-year observed.
    pub orders_per_year: f64,
    /// `margin_per_order × orders_per_year × retention_rate`, per customer, next 12 months.
    #[graphql(
        skip,
        derived(name = "simple_clv", into = "Option<Long>", owned, with = "long_opt")
    )]
    pub simple_clv: Option<i64>,
    /// Customers with a stored model CLV, and its average (12 months).
    pub customers_with_prediction: i64,
    #[graphql(
        skip,
        derived(name = "model_clv", into = "Option<Long>", owned, with = "long_opt")
    )]
    pub model_clv: Option<i64>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct AccountProfit {
    pub account_id: String,
    pub name: String,
    pub rfm_segment: Option<String>,
    #[graphql(skip, derived(name = "revenue", into = "Long", owned))]
    pub revenue: i64,
    #[graphql(skip, derived(name = "margin", into = "Long", owned))]
    pub margin: i64,
    #[graphql(
        skip,
        derived(
            name = "acquisition_cost",
            into = "Option<Long>",
            owned,
            with = "long_opt"
        )
    )]
    pub acquisition_cost: Option<i64>,
    #[graphql(skip, derived(name = "cost_to_serve", into = "Long", owned))]
    pub cost_to_serve: i64,
    #[graphql(skip, derived(name = "profit", into = "Long", owned))]
    pub profit: i64,
}

#[derive(Default)]
struct Group {
    customers: i64,
    orders: i64,
    years: f64,
    totals: ProfitTotals,
    with_clv: i64,
    clv: i64,
}

impl Group {
    fn add(&mut self, row: &ProfitCustomerSql, e: &AccountEconomics, today: i32) {
        self.customers += 1;
        self.orders += row.orders_count;
        self.years += row.first_day.map_or(0.0, |d| observed_years(d, today));
        self.totals.add(row.revenue, e);
        if let Some(clv) = row.clv {
            self.with_clv += 1;
            self.clv = self.clv.saturating_add(clv);
        }
    }

    fn economics(&self, segment: Option<String>, retention: f64) -> SegmentEconomics {
        let margin_per_order = per(self.totals.margin, self.orders);
        let orders_per_year = if self.years > 0.0 {
            self.orders as f64 / self.years
        } else {
            0.0
        };
        SegmentEconomics {
            rfm_segment: segment,
            customers: self.customers,
            orders: self.orders,
            totals: self.totals.clone(),
            average_profit: per(self.totals.profit, self.customers),
            margin_per_order,
            orders_per_year,
            simple_clv: (self.orders > 0)
                .then(|| simple_clv(margin_per_order as f64, orders_per_year, retention))
                .flatten(),
            customers_with_prediction: self.with_clv,
            model_clv: (self.with_clv > 0).then(|| per(self.clv, self.with_clv)),
        }
    }
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

pub async fn report(
    state: &AppState,
    principal: &Principal,
    query: ProfitabilityQuery,
) -> Result<ProfitabilityReport, ApiError> {
    principal.require(Scope::AnalyticsRead)?;
    let limit = query.limit.unwrap_or(DEFAULT_LISTED);
    if !(0..=MAX_LISTED).contains(&limit) {
        return Err(ApiError::field("limit", "must be from 0 to 100"));
    }
    let ws = principal.workspace_id.clone();
    let at = now();
    let today = day_of(at);
    let (rules, rows, served, (base, retained)) = state
        .db
        .run(move |conn| {
            let rules = Rules::everyone(conn, &ws)?;
            let rows = store::profit_customers(conn, &ws)?;
            let served = if rules.costs.is_free() {
                HashMap::new()
            } else {
                served_by_account(store::service_counts(conn, &ws, None)?)
            };
            let retention = store::yearly_retention(conn, &ws, today)?;
            Ok((rules, rows, served, retention))
        })
        .await?;
    // Costing, ranking and grouping every customer is CPU work: off the request threads.
    crate::service::cpu_bound(move || assemble(&rules, &rows, &served, base, retained, limit, at))
        .await
}

/// The report from the workspace's customers, their service counts and the retention base.
fn assemble(
    rules: &Rules,
    rows: &[ProfitCustomerSql],
    served: &HashMap<String, Served>,
    base: i64,
    retained: i64,
    limit: i64,
    at: chrono::NaiveDateTime,
) -> Result<ProfitabilityReport, ApiError> {
    let today = day_of(at);
    let retention_rate = ratio(retained, base).unwrap_or(0.0);
    let economics: Vec<AccountEconomics> = rows
        .iter()
        .map(|r| rules.of(r, served.get(&r.account_id)))
        .collect();
    let n = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    let mut totals = ProfitTotals::default();
    let mut overall = Group::default();
    let mut groups: BTreeMap<Option<String>, Group> = BTreeMap::new();
    for (row, e) in rows.iter().zip(&economics) {
        totals.add(row.revenue, e);
        overall.add(row, e, today);
        groups
            .entry(row.rfm_segment.clone())
            .or_default()
            .add(row, e, today);
    }
    let profits: Vec<i64> = economics.iter().map(|e| e.profit).collect();
    let mut cumulative = 0i64;
    let deciles = deciles(&profits)
        .into_iter()
        .map(|d| {
            let mut t = ProfitTotals::default();
            for &i in &d.members {
                t.add(rows[i].revenue, &economics[i]);
            }
            cumulative = cumulative.saturating_add(t.profit);
            ProfitDecile {
                decile: i32::from(d.decile),
                customers: d.customers,
                share_of_customers: ratio(d.customers, n).unwrap_or(0.0),
                min_profit: d.min_profit,
                max_profit: d.max_profit,
                share_of_profit: (totals.profit > 0)
                    .then(|| t.profit as f64 / totals.profit as f64),
                cumulative_share_of_profit: (totals.profit > 0)
                    .then(|| cumulative as f64 / totals.profit as f64),
                totals: t,
            }
        })
        .collect();
    let listed = |i: usize| AccountProfit {
        account_id: rows[i].account_id.clone(),
        name: rows[i].name.clone(),
        rfm_segment: rows[i].rfm_segment.clone(),
        revenue: rows[i].revenue,
        margin: economics[i].margin,
        acquisition_cost: economics[i].acquisition_cost,
        cost_to_serve: economics[i].cost_to_serve,
        profit: economics[i].profit,
    };
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|a, b| profits[*b].cmp(&profits[*a]));
    let k = usize::try_from(limit).unwrap_or(0).min(order.len());
    let most_profitable = order[..k].iter().map(|&i| listed(i)).collect();
    let least_profitable = order.iter().rev().take(k).map(|&i| listed(i)).collect();
    Ok(ProfitabilityReport {
        currency: rules.settings.reporting_currency.clone(),
        as_of: crate::service::utc(at),
        default_margin_percent: rules.settings.default_margin_percent,
        cost_to_serve_settings: rules.settings.cost_to_serve.clone(),
        customers: n,
        profitable_customers: profits.iter().filter(|p| **p > 0).count() as i64,
        unprofitable_customers: profits.iter().filter(|p| **p < 0).count() as i64,
        break_even_customers: profits.iter().filter(|p| **p == 0).count() as i64,
        uncosted_acquisition_customers: economics
            .iter()
            .filter(|e| e.acquisition_cost.is_none())
            .count() as i64,
        totals,
        deciles,
        by_rfm_segment: groups
            .into_iter()
            .map(|(segment, g)| g.economics(segment, retention_rate))
            .collect(),
        overall: overall.economics(None, retention_rate),
        retention_rate,
        retention_base_customers: base,
        retained_customers: retained,
        most_profitable,
        least_profitable,
    })
}

impl ProfitabilityReport {
    /// One CSV row per decile, RFM segment, the overall group and listed account.
    pub fn to_csv(&self) -> String {
        let header = [
            "currency",
            "kind",
            "key",
            "customers",
            "revenue",
            "margin",
            "acquisition_cost",
            "cost_to_serve",
            "profit",
            "share_of_customers",
            "share_of_profit",
            "margin_per_order",
            "orders_per_year",
            "simple_clv",
            "model_clv",
        ];
        let opt = |v: Option<String>| v.unwrap_or_default();
        let mut rows: Vec<Vec<String>> = Vec::new();
        let totals = |t: &ProfitTotals| {
            vec![
                t.revenue.to_string(),
                t.margin.to_string(),
                t.acquisition_cost.to_string(),
                t.cost_to_serve.to_string(),
                t.profit.to_string(),
            ]
        };
        for d in &self.deciles {
            let mut row = vec![
                self.currency.clone(),
                "decile".into(),
                d.decile.to_string(),
                d.customers.to_string(),
            ];
            row.extend(totals(&d.totals));
            row.extend([
                d.share_of_customers.to_string(),
                opt(d.share_of_profit.map(|v| v.to_string())),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
            rows.push(row);
        }
        let groups = self
            .by_rfm_segment
            .iter()
            .map(|g| ("rfm_segment", g.rfm_segment.clone().unwrap_or_default(), g))
            .chain(std::iter::once(("overall", String::new(), &self.overall)));
        for (kind, key, g) in groups {
            let mut row = vec![
                self.currency.clone(),
                kind.into(),
                key,
                g.customers.to_string(),
            ];
            row.extend(totals(&g.totals));
            row.extend([
                String::new(),
                String::new(),
                g.margin_per_order.to_string(),
                g.orders_per_year.to_string(),
                opt(g.simple_clv.map(|v| v.to_string())),
                opt(g.model_clv.map(|v| v.to_string())),
            ]);
            rows.push(row);
        }
        for (kind, list) in [
            ("most_profitable", &self.most_profitable),
            ("least_profitable", &self.least_profitable),
        ] {
            for a in list {
                rows.push(vec![
                    self.currency.clone(),
                    kind.into(),
                    a.account_id.clone(),
                    "1".into(),
                    a.revenue.to_string(),
                    a.margin.to_string(),
                    opt(a.acquisition_cost.map(|v| v.to_string())),
                    a.cost_to_serve.to_string(),
                    a.profit.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
        }
        super::csv::document(&header, &rows)
    }
}
