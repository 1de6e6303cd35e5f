//! What one order adds to a campaign member's running sums (ingestion-time attribution): the
//! same rule the results' scan of the window's orders applies, order by order.

use crate::value::prorate;

/// An order's part of a member's sums: `orders` is 1 while it still counts (not fully
/// refunded; a zero-amount order counts until refunded), `revenue` its net reporting amount
/// after refunds, `margin` that minus its net reporting cost (0 for an order sent without a
/// cost). A fully refunded order is all zeros.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attributed {
    pub orders: i64,
    pub revenue: i64,
    pub margin: i64,
}

impl Attributed {
    /// What an order adds, from its amount, refunded amount (order currency) and reporting
    /// amount and cost.
    pub fn of(
        amount: i64,
        refunded: i64,
        reporting_amount: i64,
        reporting_cost: Option<i64>,
    ) -> Self {
        let counts = refunded < amount || (amount == 0 && refunded == 0);
        if !counts {
            return Attributed::default();
        }
        let revenue = prorate(reporting_amount, amount, refunded);
        let margin = reporting_cost.map_or(0, |cost| {
            revenue.saturating_sub(prorate(cost, amount, refunded))
        });
        Attributed {
            orders: 1,
            revenue,
            margin,
        }
    }

    /// `self` minus `before`: what a change to an order (a refund) changes in the sums.
    pub fn minus(self, before: Attributed) -> Attributed {
        Attributed {
            orders: self.orders - before.orders,
            revenue: self.revenue.saturating_sub(before.revenue),
            margin: self.margin.saturating_sub(before.margin),
        }
    }

    pub fn add(&mut self, other: Attributed) {
        self.orders = self.orders.saturating_add(other.orders);
        self.revenue = self.revenue.saturating_add(other.revenue);
        self.margin = self.margin.saturating_add(other.margin);
    }

    pub fn is_zero(&self) -> bool {
        *self == Attributed::default()
    }
}

/// Whether an order's line items (the stored JSON array) hold one of `category`.
pub fn has_category(items_json: &str, category: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(items_json)
        .ok()
        .as_ref()
        .and_then(serde_json::Value::as_array)
        .is_some_and(|lines| {
            lines
                .iter()
                .any(|l| l.get("category").and_then(serde_json::Value::as_str) == Some(category))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_counts_until_fully_refunded_and_prorates_partial_refunds() {
        let new = Attributed::of(10_000, 0, 9_000, Some(6_000));
        assert_eq!(
            new,
            Attributed {
                orders: 1,
                revenue: 9_000,
                margin: 3_000
            }
        );
        // A third refunded: revenue and cost shrink in proportion (truncated).
        let part = Attributed::of(10_000, 3_333, 9_000, Some(6_000));
        assert_eq!(part.orders, 1);
        assert_eq!(part.revenue, 9_000 * 6_667 / 10_000);
        assert_eq!(part.margin, 9_000 * 6_667 / 10_000 - 6_000 * 6_667 / 10_000);
        assert_eq!(
            Attributed::of(10_000, 10_000, 9_000, Some(6_000)),
            Attributed::default()
        );
        // Without a cost, no margin; a free order counts until refunded.
        assert_eq!(Attributed::of(500, 0, 500, None).margin, 0);
        assert_eq!(Attributed::of(0, 0, 0, None).orders, 1);
        let delta = part.minus(new);
        assert_eq!(delta.orders, 0);
        assert_eq!(delta.revenue, part.revenue - 9_000);
    }

    #[test]
    fn a_category_is_matched_on_any_line_item() {
        let items = r#"[{"sku":"a","category":"shoes"},{"sku":"b","category":null}]"#;
        assert!(has_category(items, "shoes"));
        assert!(!has_category(items, "socks"));
        assert!(!has_category("[]", "shoes"));
        assert!(!has_category("not json", "shoes"));
    }
}
