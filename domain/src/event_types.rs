//! The names of the domain events Rapport publishes (feed and webhooks), in one place, and
//! the patterns subscribers filter them with: `order.created`, `order.*`, `*`.

/// Every event type the write pipeline and the jobs emit, plus `ping` (webhook test
/// deliveries). A new event type is added here first: subscriptions naming a type not in
/// this list are refused.
pub const KNOWN: &[&str] = &[
    "account.created",
    "account.updated",
    "account.deleted",
    "contact.created",
    "contact.updated",
    "contact.deleted",
    "interaction.created",
    "order.created",
    "order.refunded",
    "deal.created",
    "deal.updated",
    "deal.stage_changed",
    "deal.won",
    "deal.lost",
    "loyalty.points_earned",
    "loyalty.points_redeemed",
    "loyalty.points_adjusted",
    "loyalty.points_expired",
    "loyalty.points_expiring",
    "loyalty.tier_changed",
    "customer.risk_band_changed",
    "customer.rfm_segment_changed",
    "model.refitted",
    "settings.updated",
    "webhook.disabled",
    PING,
];

/// The type of a webhook test delivery (never in the feed).
pub const PING: &str = "ping";

pub fn is_known(event_type: &str) -> bool {
    KNOWN.contains(&event_type)
}

/// Which event types a subscription wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypePattern {
    /// `*`: every type.
    All,
    /// `order.*`: the types starting with `order.` (stored without the `*`).
    Prefix(String),
    /// `order.created`.
    Exact(String),
}

impl TypePattern {
    /// Reads `*`, `<category>.*` (a category some known type has) or a known type.
    pub fn parse(pattern: &str) -> Result<Self, String> {
        if pattern == "*" {
            return Ok(Self::All);
        }
        if let Some(category) = pattern.strip_suffix(".*") {
            let prefix = format!("{category}.");
            if !category.is_empty() && KNOWN.iter().any(|t| t.starts_with(&prefix)) {
                return Ok(Self::Prefix(prefix));
            }
            return Err(format!("no event type starts with {prefix:?}"));
        }
        if is_known(pattern) {
            Ok(Self::Exact(pattern.to_owned()))
        } else {
            Err(format!("unknown event type {pattern:?}"))
        }
    }

    pub fn matches(&self, event_type: &str) -> bool {
        match self {
            Self::All => true,
            Self::Prefix(prefix) => event_type.starts_with(prefix.as_str()),
            Self::Exact(name) => name == event_type,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_wildcards_categories_or_known_types() {
        assert_eq!(TypePattern::parse("*"), Ok(TypePattern::All));
        assert_eq!(
            TypePattern::parse("order.*"),
            Ok(TypePattern::Prefix("order.".into()))
        );
        assert!(TypePattern::parse("deal.won").is_ok());
        assert!(TypePattern::parse("deal.wonn").is_err());
        assert!(TypePattern::parse("nothing.*").is_err());
        assert!(TypePattern::parse(".*").is_err());
        assert!(TypePattern::parse("order.").is_err());
    }

    #[test]
    fn a_category_matches_only_its_own_types() {
        let orders = TypePattern::Prefix("order.".into());
        assert!(orders.matches("order.refunded"));
        assert!(!orders.matches("orders.x"));
        assert!(!orders.matches("deal.won"));
        assert!(TypePattern::All.matches("ping"));
    }
}
