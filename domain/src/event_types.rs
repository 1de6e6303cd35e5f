//! The names of the domain events Rapport publishes (feed and webhooks), in one place, and
//! the patterns subscribers filter them with: `order.created`, `order.*`, `*`.

/// Every event type the write pipeline and the jobs emit (the feed's types). A new event
/// type is added here first: feed filters and subscriptions naming a type not in this list
/// (or [`PING`], for subscriptions) are refused; a test in the API crate checks that every
/// type the pipeline publishes is listed.
pub const KNOWN: &[&str] = &[
    "account.created",
    "account.updated",
    "account.deleted",
    "account.merged",
    "account.erased",
    "contact.created",
    "contact.updated",
    "contact.deleted",
    "interaction.created",
    "interaction.updated",
    "interaction.deleted",
    "order.created",
    "order.refunded",
    "deal.created",
    "deal.updated",
    "deal.deleted",
    "deal.stage_changed",
    "deal.won",
    "deal.lost",
    "deal.reopened",
    "pipeline.created",
    "pipeline.updated",
    "pipeline.archived",
    "loyalty.points_earned",
    "loyalty.points_redeemed",
    "loyalty.points_adjusted",
    "loyalty.points_reversed",
    "loyalty.points_expired",
    "loyalty.points_returned",
    "loyalty.redemption_fulfilled",
    "loyalty.redemption_cancelled",
    "loyalty.points_expiring",
    "loyalty.tier_changed",
    "loyalty.program_updated",
    "loyalty.reward_created",
    "loyalty.reward_updated",
    "loyalty.reward_deleted",
    "customer.rfm_segment_changed",
    "customer.risk_band_changed",
    "segment.created",
    "segment.updated",
    "segment.deleted",
    "customer.segment_entered",
    "customer.segment_left",
    "campaign.created",
    "campaign.updated",
    "campaign.deleted",
    "campaign.launched",
    "campaign.completed",
    "campaign.exposures_recorded",
    "campaign.settings_updated",
    "offer.created",
    "offer.updated",
    "offer.deleted",
    "offer.expiring",
    "voucher.issued",
    "voucher.viewed",
    "voucher.redeemed",
    "voucher.reinstated",
    "voucher.expired",
    "voucher.cancelled",
    "marketing_spend.updated",
    "feedback.received",
    "customer.became_detractor",
    "complaint.opened",
    "complaint.updated",
    "complaint.note_added",
    "complaint.resolved",
    "complaint.reopened",
    "complaint.sla_breached",
    "complaint.settings_updated",
    "privacy.settings_updated",
    "model.refitted",
    "recommendations.refreshed",
    "import.created",
    "import.completed",
    "import.failed",
    "import.cancelled",
    "export.created",
    "export.completed",
    "export.failed",
    "export.cancelled",
    "settings.updated",
    "user.created",
    "user.updated",
    "api_key.created",
    "api_key.revoked",
    "webhook.disabled",
];

/// The type of a webhook test delivery (never in the feed).
pub const PING: &str = "ping";

/// A type a subscription may name: a published type or [`PING`].
pub fn is_known(event_type: &str) -> bool {
    event_type == PING || KNOWN.contains(&event_type)
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
