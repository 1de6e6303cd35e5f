//! Domain events: what a use case says happened, emitted through the write pipeline's
//! context. Each knows the event types it publishes (outbox rows), the data they carry, and
//! which cached views it touches (one account's, or the whole workspace's). Events describe
//! what happened; nothing inside a transaction reads them back.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::error::ApiError;

/// Every event type the feed and webhooks publish: one list, in `domain`.
pub use rapport_domain::event_types::KNOWN as EVENT_TYPES;

/// What a write did to a resource.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Created,
    /// With the names of the fields whose values changed.
    Updated(Vec<String>),
    Deleted,
}

impl Change {
    /// An update, with the top-level fields that differ between `before` and `after` (their
    /// API forms); bookkeeping fields (`version`, `updated_at`) are left out.
    pub fn updated<B: Serialize, A: Serialize>(before: &B, after: &A) -> Self {
        Change::Updated(changed_fields(before, after))
    }

    fn verb(&self) -> &'static str {
        match self {
            Change::Created => "created",
            Change::Updated(_) => "updated",
            Change::Deleted => "deleted",
        }
    }
}

/// The fields whose values differ between two API forms of a resource.
pub fn changed_fields<B: Serialize, A: Serialize>(before: &B, after: &A) -> Vec<String> {
    let (Ok(Value::Object(b)), Ok(Value::Object(a))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    let mut names: Vec<String> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .chain(b.keys().filter(|k| !a.contains_key(*k)).cloned())
        .filter(|k| k != "version" && k != "updated_at")
        .collect();
    names.sort();
    names.dedup();
    names
}

/// How a loyalty balance moved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PointsMove {
    Earned,
    Redeemed,
    Adjusted,
    /// Points taken back by a refund of the order that earned them.
    Reversed,
    Expired,
    /// Points of a cancelled redemption given back.
    Returned,
}

/// How a deal's stage move ended it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DealOutcome {
    StillOpen,
    Won,
    Lost,
    Reopened,
}

/// A value segment of a customer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Segment {
    Rfm,
    RiskBand,
}

/// A workspace-wide setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Settings {
    Value,
    LoyaltyProgram,
}

/// What happened, as a use case says it. Resource data is the API form after the change
/// (before it, for deletions).
#[derive(Debug, Clone)]
pub enum DomainEvent {
    AccountChanged {
        account_id: String,
        change: Change,
        account: Value,
    },
    /// Accounts merged into a survivor (`account` is the survivor after the merge).
    AccountsMerged {
        survivor_id: String,
        merged_ids: Vec<String>,
        account: Value,
    },
    ContactChanged {
        account_id: String,
        change: Change,
        contact: Value,
    },
    InteractionChanged {
        account_id: String,
        change: Change,
        interaction: Value,
    },
    OrderRecorded {
        account_id: String,
        /// Written once, straight to text: an order batch emits a thousand of these.
        order: Json,
    },
    OrderRefunded {
        account_id: String,
        order: Value,
        refunded_amount: i64,
    },
    DealChanged {
        account_id: Option<String>,
        change: Change,
        deal: Value,
    },
    DealMoved {
        account_id: Option<String>,
        deal: Value,
        from_stage: String,
        to_stage: String,
        outcome: DealOutcome,
    },
    PipelineChanged {
        change: Change,
        pipeline: Value,
    },
    PointsChanged {
        account_id: String,
        how: PointsMove,
        /// Signed: negative when points left the balance.
        points: i64,
        entry: Value,
    },
    /// Points of one lot that expire within the notice period (once per lot).
    PointsExpiring {
        account_id: String,
        lot_id: String,
        points: i64,
        expires_at: chrono::DateTime<chrono::Utc>,
    },
    TierChanged {
        account_id: String,
        from_tier: Option<String>,
        to_tier: Option<String>,
    },
    RewardChanged {
        change: Change,
        reward: Value,
    },
    /// A redemption was handed over (`fulfilled`) or cancelled.
    RedemptionSettled {
        account_id: String,
        /// `fulfilled` or `cancelled`.
        outcome: &'static str,
        redemption: Value,
    },
    SegmentChanged {
        account_id: String,
        segment: Segment,
        from: Option<String>,
        to: Option<String>,
    },
    /// A segment by rules was created, changed or deleted.
    RuleSegmentChanged {
        change: Change,
        segment: Value,
    },
    /// A campaign was created, changed or deleted.
    CampaignChanged {
        change: Change,
        campaign: Value,
    },
    /// A campaign was launched (`campaign.launched`) or its window closed
    /// (`campaign.completed`).
    CampaignLifecycle {
        event_type: &'static str,
        campaign: Value,
    },
    /// Contact outcomes of a campaign's treated members were reported.
    CampaignExposures {
        campaign_id: String,
        recorded: i64,
        duplicates: i64,
    },
    /// The workspace's global control group settings changed (or were re-drawn).
    CampaignSettingsChanged {
        settings: Value,
    },
    /// An offer was created, changed or deleted.
    OfferChanged {
        change: Change,
        offer: Value,
    },
    /// A voucher moved: `voucher.issued`, `voucher.viewed`, `voucher.redeemed`,
    /// `voucher.reinstated`, `voucher.expired` or `voucher.cancelled`.
    VoucherChanged {
        account_id: String,
        event_type: &'static str,
        /// Written once, straight to text: an order batch redeems hundreds.
        voucher: Json,
    },
    /// A voucher's validity ends within the notice period (once per voucher).
    OfferExpiring {
        account_id: String,
        voucher: Value,
    },
    /// A channel's marketing spend for a month was entered or replaced.
    MarketingSpendChanged {
        spend: Value,
    },
    /// The workspace's product co-occurrence was rebuilt.
    RecommendationsRefreshed {
        refresh: Value,
    },
    /// Feedback and service recovery (`feedback.*`, `customer.became_detractor`,
    /// `complaint.*`): one variant for the area, its type named by the use case.
    ServiceRecovery {
        account_id: Option<String>,
        event_type: &'static str,
        data: Value,
    },
    /// A customer now matches a tracked segment's rule.
    SegmentEntered {
        account_id: String,
        segment_id: String,
        segment_name: String,
    },
    /// A customer no longer matches a tracked segment's rule (or was deleted).
    SegmentLeft {
        account_id: String,
        segment_id: String,
        segment_name: String,
    },
    ModelRefitted {
        model: Value,
    },
    SettingsChanged {
        settings: Settings,
        changed_fields: Vec<String>,
        data: Value,
    },
    UserChanged {
        change: Change,
        user: Value,
    },
    ApiKeyChanged {
        change: Change,
        api_key: Value,
    },
    /// An import job was queued, ended (`import.completed`, `import.failed`) or cancelled.
    ImportChanged {
        event_type: &'static str,
        job: Value,
    },
    /// An export job was queued, ended (`export.completed`, `export.failed`) or cancelled.
    ExportChanged {
        event_type: &'static str,
        job: Value,
    },
    /// The person's data was erased (partners erase their copies): the id only.
    AccountErased {
        account_id: String,
    },
    /// The workspace's privacy settings (retention) changed.
    PrivacySettingsChanged {
        settings: Value,
    },
    /// The delivery worker gave up on a subscription after its retry window.
    WebhookDisabled {
        webhook_id: String,
        url: String,
        reason: String,
    },
}

/// The cached views an event makes stale.
#[derive(Debug, Clone, PartialEq)]
pub enum Touches {
    Nothing,
    Account(String),
    /// Several accounts at once (a merge: the survivor and the merged ones).
    Accounts(Vec<String>),
    Workspace,
}

/// One outbox row to be: a type and its data (a JSON object, compact).
pub struct Published {
    pub event_type: String,
    pub data: String,
}

/// The API form of a resource, for an event's data.
pub fn data<T: Serialize>(value: &T) -> Result<Value, ApiError> {
    serde_json::to_value(value).map_err(ApiError::internal)
}

/// A resource's API form as JSON text (compact), for events emitted in bulk: no
/// `serde_json::Value` in between.
#[derive(Debug, Clone)]
pub struct Json(String);

impl Json {
    pub fn of<T: Serialize>(value: &T) -> Result<Self, ApiError> {
        serde_json::to_string(value)
            .map(Json)
            .map_err(ApiError::internal)
    }
}

fn with_object(object: Value, change: &Change) -> Value {
    let mut data = Map::new();
    data.insert("object".into(), object);
    if let Change::Updated(fields) = change {
        data.insert("changed_fields".into(), json!(fields));
    }
    Value::Object(data)
}

fn published(event_type: impl Into<String>, data: Value) -> Published {
    Published {
        event_type: event_type.into(),
        data: data.to_string(),
    }
}

impl DomainEvent {
    /// What the event makes stale in the cache.
    pub fn touches(&self) -> Touches {
        use DomainEvent::*;
        match self {
            AccountsMerged {
                survivor_id,
                merged_ids,
                ..
            } => Touches::Accounts(
                std::iter::once(survivor_id.clone())
                    .chain(merged_ids.iter().cloned())
                    .collect(),
            ),
            AccountChanged { account_id, .. }
            | ContactChanged { account_id, .. }
            | InteractionChanged { account_id, .. }
            | OrderRecorded { account_id, .. }
            | OrderRefunded { account_id, .. }
            | PointsChanged { account_id, .. }
            | RedemptionSettled { account_id, .. }
            | TierChanged { account_id, .. }
            | SegmentChanged { account_id, .. }
            | VoucherChanged { account_id, .. }
            | AccountErased { account_id } => Touches::Account(account_id.clone()),
            DealChanged { account_id, .. }
            | DealMoved { account_id, .. }
            | ServiceRecovery { account_id, .. } => account_id
                .clone()
                .map_or(Touches::Nothing, Touches::Account),
            // Profiles show stage names, tiers, predictions and converted amounts.
            // Marketing spend: the acquisition cost in customers' `profit`.
            PipelineChanged { .. }
            | ModelRefitted { .. }
            | SettingsChanged { .. }
            | MarketingSpendChanged { .. } => Touches::Workspace,
            // Membership follows a write that already touched the account.
            SegmentEntered { .. } | SegmentLeft { .. } | RuleSegmentChanged { .. } => {
                Touches::Nothing
            }
            CampaignChanged { .. }
            | CampaignLifecycle { .. }
            | CampaignExposures { .. }
            | CampaignSettingsChanged { .. }
            | RecommendationsRefreshed { .. }
            | OfferChanged { .. }
            | OfferExpiring { .. } => Touches::Nothing,
            PointsExpiring { .. }
            | RewardChanged { .. }
            | UserChanged { .. }
            | ApiKeyChanged { .. }
            | ImportChanged { .. }
            | ExportChanged { .. }
            | PrivacySettingsChanged { .. }
            | WebhookDisabled { .. } => Touches::Nothing,
        }
    }

    /// The account whose cached views must be deleted, not only hidden behind a new
    /// generation: an erasure leaves no copy of the person in the cache.
    pub fn forgets(&self) -> Option<&str> {
        match self {
            DomainEvent::AccountErased { account_id } => Some(account_id),
            _ => None,
        }
    }

    /// Whether the event can change any customer's segment membership at once (new
    /// predictions and RFM scores, new risk thresholds or tiers, new costs or marketing
    /// spend behind `profit`): tracked segments are then re-evaluated for the whole
    /// workspace rather than for the accounts it touched.
    pub fn moves_every_segment(&self) -> bool {
        matches!(
            self,
            DomainEvent::ModelRefitted { .. }
                | DomainEvent::SettingsChanged { .. }
                | DomainEvent::MarketingSpendChanged { .. }
        )
    }

    /// The outbox rows the event publishes.
    pub fn published(self) -> Vec<Published> {
        use DomainEvent::*;
        match self {
            AccountChanged {
                change, account, ..
            } => vec![published(
                format!("account.{}", change.verb()),
                with_object(account, &change),
            )],
            AccountsMerged {
                survivor_id,
                merged_ids,
                account,
            } => vec![published(
                "account.merged",
                json!({ "survivor_id": survivor_id, "merged_ids": merged_ids, "object": account }),
            )],
            ContactChanged {
                change, contact, ..
            } => vec![published(
                format!("contact.{}", change.verb()),
                with_object(contact, &change),
            )],
            InteractionChanged {
                change,
                interaction,
                ..
            } => vec![published(
                format!("interaction.{}", change.verb()),
                with_object(interaction, &change),
            )],
            OrderRecorded { order, .. } => vec![Published {
                event_type: "order.created".into(),
                data: format!("{{\"object\":{}}}", order.0),
            }],
            OrderRefunded {
                order,
                refunded_amount,
                ..
            } => vec![published(
                "order.refunded",
                json!({ "object": order, "refunded_amount": refunded_amount }),
            )],
            DealChanged { change, deal, .. } => vec![published(
                format!("deal.{}", change.verb()),
                with_object(deal, &change),
            )],
            DealMoved {
                deal,
                from_stage,
                to_stage,
                outcome,
                ..
            } => {
                let data = json!({
                    "object": deal,
                    "from_stage_id": from_stage,
                    "to_stage_id": to_stage,
                });
                let mut out = vec![published("deal.stage_changed", data.clone())];
                match outcome {
                    DealOutcome::StillOpen => {}
                    DealOutcome::Won => out.push(published("deal.won", data)),
                    DealOutcome::Lost => out.push(published("deal.lost", data)),
                    DealOutcome::Reopened => out.push(published("deal.reopened", data)),
                }
                out
            }
            PipelineChanged { change, pipeline } => {
                let verb = match change {
                    Change::Deleted => "archived",
                    ref other => other.verb(),
                };
                vec![published(
                    format!("pipeline.{verb}"),
                    with_object(pipeline, &change),
                )]
            }
            PointsChanged {
                account_id,
                how,
                points,
                entry,
            } => {
                let kind = match how {
                    PointsMove::Earned => "points_earned",
                    PointsMove::Redeemed => "points_redeemed",
                    PointsMove::Adjusted => "points_adjusted",
                    PointsMove::Reversed => "points_reversed",
                    PointsMove::Expired => "points_expired",
                    PointsMove::Returned => "points_returned",
                };
                vec![published(
                    format!("loyalty.{kind}"),
                    json!({ "account_id": account_id, "points": points, "object": entry }),
                )]
            }
            PointsExpiring {
                account_id,
                lot_id,
                points,
                expires_at,
            } => vec![published(
                "loyalty.points_expiring",
                json!({
                    "account_id": account_id,
                    "lot_id": lot_id,
                    "points": points,
                    "expires_at": expires_at,
                }),
            )],
            TierChanged {
                account_id,
                from_tier,
                to_tier,
            } => vec![published(
                "loyalty.tier_changed",
                json!({ "account_id": account_id, "from_tier": from_tier, "to_tier": to_tier }),
            )],
            RedemptionSettled {
                outcome,
                redemption,
                ..
            } => vec![published(
                format!("loyalty.redemption_{outcome}"),
                json!({ "object": redemption }),
            )],
            RewardChanged { change, reward } => vec![published(
                format!("loyalty.reward_{}", change.verb()),
                with_object(reward, &change),
            )],
            SegmentChanged {
                account_id,
                segment,
                from,
                to,
            } => {
                let (event_type, field) = match segment {
                    Segment::Rfm => ("customer.rfm_segment_changed", "segment"),
                    Segment::RiskBand => ("customer.risk_band_changed", "risk_band"),
                };
                vec![published(
                    event_type,
                    json!({
                        "account_id": account_id,
                        format!("previous_{field}"): from,
                        field: to,
                    }),
                )]
            }
            RuleSegmentChanged { change, segment } => vec![published(
                format!("segment.{}", change.verb()),
                with_object(segment, &change),
            )],
            CampaignChanged { change, campaign } => vec![published(
                format!("campaign.{}", change.verb()),
                with_object(campaign, &change),
            )],
            CampaignLifecycle {
                event_type,
                campaign,
            } => vec![published(event_type, json!({ "object": campaign }))],
            CampaignExposures {
                campaign_id,
                recorded,
                duplicates,
            } => vec![published(
                "campaign.exposures_recorded",
                json!({ "campaign_id": campaign_id, "recorded": recorded, "duplicates": duplicates }),
            )],
            CampaignSettingsChanged { settings } => vec![published(
                "campaign.settings_updated",
                json!({ "object": settings }),
            )],
            OfferChanged { change, offer } => vec![published(
                format!("offer.{}", change.verb()),
                with_object(offer, &change),
            )],
            VoucherChanged {
                event_type,
                voucher,
                ..
            } => vec![Published {
                event_type: event_type.into(),
                data: format!("{{\"object\":{}}}", voucher.0),
            }],
            OfferExpiring { voucher, .. } => {
                vec![published("offer.expiring", json!({ "object": voucher }))]
            }
            MarketingSpendChanged { spend } => vec![published(
                "marketing_spend.updated",
                json!({ "object": spend }),
            )],
            RecommendationsRefreshed { refresh } => vec![published(
                "recommendations.refreshed",
                json!({ "object": refresh }),
            )],
            ServiceRecovery {
                event_type, data, ..
            } => vec![published(event_type, data)],
            SegmentEntered {
                account_id,
                segment_id,
                segment_name,
            } => vec![published(
                "customer.segment_entered",
                json!({ "account_id": account_id, "segment_id": segment_id, "segment_name": segment_name }),
            )],
            SegmentLeft {
                account_id,
                segment_id,
                segment_name,
            } => vec![published(
                "customer.segment_left",
                json!({ "account_id": account_id, "segment_id": segment_id, "segment_name": segment_name }),
            )],
            ModelRefitted { model } => {
                vec![published("model.refitted", json!({ "object": model }))]
            }
            SettingsChanged {
                settings,
                changed_fields,
                data,
            } => {
                let event_type = match settings {
                    Settings::Value => "settings.updated",
                    Settings::LoyaltyProgram => "loyalty.program_updated",
                };
                vec![published(
                    event_type,
                    with_object(data, &Change::Updated(changed_fields)),
                )]
            }
            UserChanged { change, user } => vec![published(
                format!("user.{}", change.verb()),
                with_object(user, &change),
            )],
            ImportChanged { event_type, job } | ExportChanged { event_type, job } => {
                vec![published(event_type, json!({ "object": job }))]
            }
            AccountErased { account_id } => vec![published(
                "account.erased",
                json!({ "account_id": account_id }),
            )],
            PrivacySettingsChanged { settings } => vec![published(
                "privacy.settings_updated",
                json!({ "object": settings }),
            )],
            WebhookDisabled {
                webhook_id,
                url,
                reason,
            } => vec![published(
                "webhook.disabled",
                json!({ "webhook_id": webhook_id, "url": url, "reason": reason }),
            )],
            ApiKeyChanged { change, api_key } => {
                let verb = match change {
                    Change::Deleted => "revoked",
                    ref other => other.verb(),
                };
                vec![published(
                    format!("api_key.{verb}"),
                    with_object(api_key, &change),
                )]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_published_type_is_listed() {
        let samples = vec![
            DomainEvent::DealMoved {
                account_id: None,
                deal: json!({}),
                from_stage: "a".into(),
                to_stage: "b".into(),
                outcome: DealOutcome::Won,
            },
            DomainEvent::ApiKeyChanged {
                change: Change::Deleted,
                api_key: json!({}),
            },
            DomainEvent::PipelineChanged {
                change: Change::Deleted,
                pipeline: json!({}),
            },
            DomainEvent::RuleSegmentChanged {
                change: Change::Updated(vec![]),
                segment: json!({}),
            },
            DomainEvent::SegmentEntered {
                account_id: "a".into(),
                segment_id: "s".into(),
                segment_name: "n".into(),
            },
            DomainEvent::CampaignChanged {
                change: Change::Deleted,
                campaign: json!({}),
            },
            DomainEvent::CampaignLifecycle {
                event_type: "campaign.launched",
                campaign: json!({}),
            },
            DomainEvent::CampaignLifecycle {
                event_type: "campaign.completed",
                campaign: json!({}),
            },
            DomainEvent::CampaignSettingsChanged {
                settings: json!({}),
            },
            DomainEvent::MarketingSpendChanged { spend: json!({}) },
            DomainEvent::ImportChanged {
                event_type: "import.completed",
                job: json!({}),
            },
            DomainEvent::ExportChanged {
                event_type: "export.completed",
                job: json!({}),
            },
            DomainEvent::AccountErased {
                account_id: "a".into(),
            },
            DomainEvent::PrivacySettingsChanged {
                settings: json!({}),
            },
            DomainEvent::RecommendationsRefreshed { refresh: json!({}) },
            DomainEvent::ServiceRecovery {
                account_id: None,
                event_type: "complaint.sla_breached",
                data: json!({}),
            },
            DomainEvent::OfferChanged {
                change: Change::Updated(vec![]),
                offer: json!({}),
            },
            DomainEvent::OfferExpiring {
                account_id: "a".into(),
                voucher: json!({}),
            },
            DomainEvent::CampaignExposures {
                campaign_id: "c".into(),
                recorded: 1,
                duplicates: 0,
            },
            DomainEvent::SegmentLeft {
                account_id: "a".into(),
                segment_id: "s".into(),
                segment_name: "n".into(),
            },
        ];
        for event in samples {
            for p in event.published() {
                assert!(
                    EVENT_TYPES.contains(&p.event_type.as_str()),
                    "{}",
                    p.event_type
                );
            }
        }
    }

    #[test]
    fn an_order_written_straight_to_text_reads_as_through_a_value() {
        #[derive(Serialize)]
        struct Order {
            id: &'static str,
            amount: i64,
            note: &'static str,
        }
        let order = Order {
            id: "o1",
            amount: 1999,
            note: "line\nbreak \"quoted\"",
        };
        let event = DomainEvent::OrderRecorded {
            account_id: "a1".into(),
            order: Json::of(&order).unwrap(),
        };
        let published = event.published();
        assert_eq!(published.len(), 1);
        assert_eq!(published[0].event_type, "order.created");
        let data: Value = serde_json::from_str(&published[0].data).unwrap();
        assert_eq!(data, json!({ "object": data_of(&order) }));
        // Compact: one line, as the outbox packs events one per line.
        assert!(!published[0].data.contains('\n'));
    }

    fn data_of<T: Serialize>(value: &T) -> Value {
        data(value).unwrap()
    }

    #[test]
    fn changed_fields_name_what_differs() {
        let before = json!({"name": "a", "tags": [], "version": 1});
        let after = json!({"name": "b", "tags": [], "version": 2, "phone": "1"});
        assert_eq!(changed_fields(&before, &after), vec!["name", "phone"]);
    }
}
