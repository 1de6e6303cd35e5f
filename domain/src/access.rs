//! Who may do what: roles of users, scopes of API keys, and the matrix between them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A user's role in a workspace, from most to least powerful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Admin,
    Manager,
    Agent,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Admin,
        Role::Manager,
        Role::Agent,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Agent => "agent",
            Role::Viewer => "viewer",
        }
    }

    /// The permission matrix (documented in the README): what each role may do.
    pub fn scopes(self) -> ScopeSet {
        use Scope::*;
        match self {
            Role::Owner | Role::Admin => ScopeSet::of(&[Admin]),
            Role::Manager => ScopeSet::of(&[
                AccountsRead,
                AccountsWrite,
                OrdersRead,
                OrdersWrite,
                DealsRead,
                DealsWrite,
                LoyaltyRead,
                LoyaltyWrite,
                AnalyticsRead,
                CampaignsRead,
                CampaignsWrite,
                OffersRead,
                OffersWrite,
            ]),
            Role::Agent => ScopeSet::of(&[
                AccountsRead,
                AccountsWrite,
                OrdersRead,
                DealsRead,
                DealsWrite,
                LoyaltyRead,
                LoyaltyWrite,
                AnalyticsRead,
                CampaignsRead,
                OffersRead,
            ]),
            Role::Viewer => ScopeSet::of(&[
                AccountsRead,
                OrdersRead,
                DealsRead,
                LoyaltyRead,
                AnalyticsRead,
                CampaignsRead,
                OffersRead,
            ]),
        }
    }

    /// Whether a user of this role may give `other` to someone: nobody grants more than they
    /// hold, and only an owner makes owners.
    pub fn may_grant(self, other: Role) -> bool {
        match self {
            Role::Owner => true,
            Role::Admin => other != Role::Owner,
            _ => false,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_owned()))
    }
}

/// A permission an API key (or a role) carries: `resource:read`, `resource:write`, `admin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    AccountsRead,
    AccountsWrite,
    OrdersRead,
    OrdersWrite,
    DealsRead,
    DealsWrite,
    LoyaltyRead,
    LoyaltyWrite,
    AnalyticsRead,
    /// Campaigns, their members and results.
    CampaignsRead,
    /// Create, change, launch campaigns; report contact outcomes; the global control group.
    CampaignsWrite,
    /// Offers, vouchers and the next best offers.
    OffersRead,
    /// Create and change offers; issue and cancel vouchers.
    OffersWrite,
    /// The event feed (`GET /v1/events`).
    EventsRead,
    /// Everything, including users, API keys, settings and the audit log.
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 15] = [
        Scope::AccountsRead,
        Scope::AccountsWrite,
        Scope::OrdersRead,
        Scope::OrdersWrite,
        Scope::DealsRead,
        Scope::DealsWrite,
        Scope::LoyaltyRead,
        Scope::LoyaltyWrite,
        Scope::AnalyticsRead,
        Scope::CampaignsRead,
        Scope::CampaignsWrite,
        Scope::OffersRead,
        Scope::OffersWrite,
        Scope::EventsRead,
        Scope::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::AccountsRead => "accounts:read",
            Scope::AccountsWrite => "accounts:write",
            Scope::OrdersRead => "orders:read",
            Scope::OrdersWrite => "orders:write",
            Scope::DealsRead => "deals:read",
            Scope::DealsWrite => "deals:write",
            Scope::LoyaltyRead => "loyalty:read",
            Scope::LoyaltyWrite => "loyalty:write",
            Scope::AnalyticsRead => "analytics:read",
            Scope::CampaignsRead => "campaigns:read",
            Scope::CampaignsWrite => "campaigns:write",
            Scope::OffersRead => "offers:read",
            Scope::OffersWrite => "offers:write",
            Scope::EventsRead => "events:read",
            Scope::Admin => "admin",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scope::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownName(s.to_owned()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown name {0:?}")]
pub struct UnknownName(pub String);

/// A set of scopes. `admin` implies every other scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScopeSet(u16);

impl ScopeSet {
    pub fn of(scopes: &[Scope]) -> Self {
        Self(scopes.iter().fold(0, |acc, s| acc | s.bit()))
    }

    pub fn allows(self, scope: Scope) -> bool {
        self.0 & (scope.bit() | Scope::Admin.bit()) != 0
    }

    /// Whether every scope of `other` is allowed by this set (no escalation by delegation).
    pub fn covers(self, other: ScopeSet) -> bool {
        other.iter().all(|s| self.allows(s))
    }

    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL
            .into_iter()
            .filter(move |s| self.0 & s.bit() != 0)
    }

    /// Space-separated names, as stored.
    pub fn to_names(self) -> Vec<&'static str> {
        self.iter().map(Scope::as_str).collect()
    }

    pub fn parse_stored(text: &str) -> Result<Self, UnknownName> {
        let scopes = text
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<Vec<Scope>, _>>()?;
        Ok(Self::of(&scopes))
    }

    pub fn to_stored(self) -> String {
        self.to_names().join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_implies_every_scope() {
        let admin = ScopeSet::of(&[Scope::Admin]);
        assert!(Scope::ALL.iter().all(|s| admin.allows(*s)));
    }

    #[test]
    fn viewers_only_read() {
        let viewer = Role::Viewer.scopes();
        for scope in Scope::ALL {
            // The event feed carries every change (users and API keys too): admins and keys
            // given `events:read` only.
            let readable = scope.as_str().ends_with(":read") && scope != Scope::EventsRead;
            assert_eq!(viewer.allows(scope), readable, "{scope}");
        }
        for role in Role::ALL {
            let admin = matches!(role, Role::Owner | Role::Admin);
            assert_eq!(role.scopes().allows(Scope::EventsRead), admin, "{role}");
        }
    }

    #[test]
    fn agents_cannot_write_orders_or_administer() {
        let agent = Role::Agent.scopes();
        assert!(agent.allows(Scope::AccountsWrite));
        assert!(!agent.allows(Scope::OrdersWrite));
        assert!(!agent.allows(Scope::Admin));
    }

    #[test]
    fn names_round_trip() {
        for scope in Scope::ALL {
            assert_eq!(scope.as_str().parse::<Scope>(), Ok(scope));
        }
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        let set = ScopeSet::of(&[Scope::OrdersWrite, Scope::AccountsRead]);
        assert_eq!(ScopeSet::parse_stored(&set.to_stored()), Ok(set));
        assert!("accounts:delete".parse::<Scope>().is_err());
    }

    #[test]
    fn only_owners_make_owners() {
        assert!(Role::Owner.may_grant(Role::Owner));
        assert!(!Role::Admin.may_grant(Role::Owner));
        assert!(Role::Admin.may_grant(Role::Admin));
        assert!(!Role::Manager.may_grant(Role::Viewer));
    }

    #[test]
    fn a_key_cannot_carry_more_than_its_creator() {
        let manager = Role::Manager.scopes();
        assert!(manager.covers(ScopeSet::of(&[Scope::OrdersWrite])));
        assert!(!manager.covers(ScopeSet::of(&[Scope::Admin])));
    }
}
