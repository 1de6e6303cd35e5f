//! Customer profitability: what serving a customer costs, the profit that is left, how
//! profit is spread over the customers (deciles), and the rule-of-thumb CLV operators know.
//!
//! Amounts are minor units of the reporting currency; sums saturate instead of overflowing.
//!
//! - **Cost to serve** of a customer: the number of their interactions of each type times
//!   that type's configured cost, plus the number of their complaints times the complaint
//!   cost (deleted interactions do not count; every complaint does, whatever its status).
//! - **Profit** of a customer: margin (net of refunds) minus acquisition cost minus cost to
//!   serve.
//! - **Deciles**: customers ranked by profit, highest first (ties by id); the customer at
//!   0-based rank `i` of `n` is in decile `i * 10 / n + 1`, so decile 1 holds the most
//!   profitable tenth and every decile holds `n / 10` or one more (fewer than ten
//!   customers leave the last deciles empty).
//! - **Simple CLV** ("gross margin × expected repeat purchases × retention rate"): margin
//!   per order × orders per customer-year × the yearly retention rate, for the next 12
//!   months.

use std::collections::BTreeMap;

/// The configured costs of serving customers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceCosts {
    /// Cost of one interaction, by interaction type (`call`, `email`, …); others cost 0.
    pub interaction_costs: BTreeMap<String, i64>,
    /// Cost of one complaint.
    pub complaint_cost: i64,
}

impl ServiceCosts {
    /// Whether nothing costs anything (every customer's cost to serve is 0).
    pub fn is_free(&self) -> bool {
        self.complaint_cost == 0 && self.interaction_costs.values().all(|c| *c == 0)
    }

    /// The cost to serve a customer with these interaction counts (by type) and complaints.
    pub fn cost_of<'a>(
        &self,
        interactions: impl IntoIterator<Item = (&'a str, i64)>,
        complaints: i64,
    ) -> i64 {
        let mut total: i128 = i128::from(complaints) * i128::from(self.complaint_cost);
        for (kind, count) in interactions {
            if let Some(cost) = self.interaction_costs.get(kind) {
                total += i128::from(count) * i128::from(*cost);
            }
        }
        saturate(total)
    }
}

/// `margin - acquisition_cost - cost_to_serve`, saturating.
pub fn profit(margin: i64, acquisition_cost: i64, cost_to_serve: i64) -> i64 {
    saturate(i128::from(margin) - i128::from(acquisition_cost) - i128::from(cost_to_serve))
}

fn saturate(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

/// One decile of customers ranked by profit.
#[derive(Debug, Clone, PartialEq)]
pub struct Decile {
    /// 1 = the most profitable tenth.
    pub decile: u8,
    pub customers: i64,
    /// Sum of the decile's profits.
    pub profit: i64,
    /// Lowest and highest profit in the decile (`None` when empty).
    pub min_profit: Option<i64>,
    pub max_profit: Option<i64>,
    /// Positions (indexes into the input) of the decile's customers.
    pub members: Vec<usize>,
}

/// The ten deciles of `profits` (input order is ids' order, which breaks ties).
pub fn deciles(profits: &[i64]) -> Vec<Decile> {
    let mut order: Vec<usize> = (0..profits.len()).collect();
    // Stable sort: equal profits keep their input (id) order.
    order.sort_by(|a, b| profits[*b].cmp(&profits[*a]));
    let n = order.len();
    let mut out: Vec<Decile> = (1..=10u8)
        .map(|d| Decile {
            decile: d,
            customers: 0,
            profit: 0,
            min_profit: None,
            max_profit: None,
            members: Vec::new(),
        })
        .collect();
    for (rank, &i) in order.iter().enumerate() {
        let d = &mut out[(rank * 10 / n).min(9)];
        let p = profits[i];
        d.customers += 1;
        d.profit = d.profit.saturating_add(p);
        d.min_profit = Some(d.min_profit.map_or(p, |m| m.min(p)));
        d.max_profit = Some(d.max_profit.map_or(p, |m| m.max(p)));
        d.members.push(i);
    }
    out
}

/// The rule-of-thumb CLV over the next 12 months: `margin_per_order * orders_per_year *
/// retention_rate`, rounded half away from zero to a minor unit (`None` when any input is
/// not finite).
pub fn simple_clv(margin_per_order: f64, orders_per_year: f64, retention_rate: f64) -> Option<i64> {
    let v = (margin_per_order * orders_per_year * retention_rate).round();
    // Saturating float-to-int conversion: the inputs are bounded by real sums.
    v.is_finite().then_some(v as i64)
}

/// Years a customer has been observed for the purchase rate: from the first purchase day
/// to `today`, at least 30 days (a customer of a week has not shown a yearly rate yet).
pub fn observed_years(first_day: i32, today: i32) -> f64 {
    f64::from((today - first_day).max(30)) / 365.25
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_to_serve_counts_each_type_and_complaints() {
        let costs = ServiceCosts {
            interaction_costs: BTreeMap::from([("call".into(), 800), ("email".into(), 50)]),
            complaint_cost: 2500,
        };
        assert_eq!(
            costs.cost_of([("call", 2), ("email", 3), ("note", 10)], 1),
            2 * 800 + 3 * 50 + 2500
        );
        assert!(!costs.is_free());
        assert!(ServiceCosts::default().is_free());
        assert_eq!(costs.cost_of([("call", i64::MAX)], 0), i64::MAX);
    }

    #[test]
    fn deciles_rank_by_profit_and_split_evenly() {
        let profits: Vec<i64> = (1..=25).collect();
        let d = deciles(&profits);
        let sizes: Vec<i64> = d.iter().map(|d| d.customers).collect();
        assert_eq!(sizes, vec![3, 2, 3, 2, 3, 2, 3, 2, 3, 2]);
        assert_eq!(d[0].max_profit, Some(25));
        assert_eq!(d[0].profit, 25 + 24 + 23);
        assert_eq!(d[1].members, vec![21, 20]);
        assert_eq!(d[9].min_profit, Some(1));
        assert_eq!(
            d.iter().map(|d| d.profit).sum::<i64>(),
            (1..=25).sum::<i64>()
        );
        let few = deciles(&[5, -3]);
        assert_eq!(few[0].members, vec![0]);
        assert_eq!(few[5].members, vec![1]);
        assert_eq!(few[9].customers, 0);
        assert!(deciles(&[]).iter().all(|d| d.customers == 0));
    }

    #[test]
    fn simple_clv_is_the_product() {
        assert_eq!(simple_clv(1000.0, 2.0, 0.5), Some(1000));
        assert_eq!(simple_clv(f64::NAN, 1.0, 1.0), None);
        assert!((observed_years(0, 10) - 30.0 / 365.25).abs() < 1e-12);
    }
}
