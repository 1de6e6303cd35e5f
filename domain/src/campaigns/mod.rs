//! Campaigns with a control group: channels and the consent they need, the deterministic
//! assignment of an audience to treatment and control ([`assignment`]), and the statistics
//! of their results ([`stats`]).

pub mod assignment;
pub mod attribution;
pub mod stats;

use crate::crm::ConsentChannel;

/// How a campaign reaches its audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CampaignChannel {
    Email,
    Sms,
    Push,
    Call,
    InStore,
    DirectMail,
}

impl CampaignChannel {
    pub const ALL: [CampaignChannel; 6] = [
        CampaignChannel::Email,
        CampaignChannel::Sms,
        CampaignChannel::Push,
        CampaignChannel::Call,
        CampaignChannel::InStore,
        CampaignChannel::DirectMail,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CampaignChannel::Email => "email",
            CampaignChannel::Sms => "sms",
            CampaignChannel::Push => "push",
            CampaignChannel::Call => "call",
            CampaignChannel::InStore => "in_store",
            CampaignChannel::DirectMail => "direct_mail",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The marketing consent a customer must have granted to be contacted this way: e-mail,
    /// SMS and push need theirs; a call, a shop visit or a letter need none recorded here.
    pub fn consent(self) -> Option<ConsentChannel> {
        match self {
            CampaignChannel::Email => Some(ConsentChannel::Email),
            CampaignChannel::Sms => Some(ConsentChannel::Sms),
            CampaignChannel::Push => Some(ConsentChannel::Push),
            CampaignChannel::Call | CampaignChannel::InStore | CampaignChannel::DirectMail => None,
        }
    }
}

/// The two arms of a launched campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Arm {
    Treatment,
    Control,
}

impl Arm {
    pub fn as_str(self) -> &'static str {
        match self {
            Arm::Treatment => "treatment",
            Arm::Control => "control",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "treatment" => Some(Arm::Treatment),
            "control" => Some(Arm::Control),
            _ => None,
        }
    }
}

/// What a contacted customer did with the message, as the sending system reports it.
pub const EXPOSURE_OUTCOMES: [&str; 6] = [
    "sent",
    "delivered",
    "opened",
    "clicked",
    "bounced",
    "unsubscribed",
];
