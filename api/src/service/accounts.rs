//! Accounts: the customer record every other capability hangs on. Create, read, list with
//! filters, search and keyset pages, merge-patch with optimistic concurrency, soft delete,
//! and batch upsert by external id.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDateTime, Utc};
use rapport_domain::access::{Role, Scope};
use rapport_domain::crm::{self, AccountKind, ConsentChannel, LifecycleStage, Phone};
use rapport_domain::email::Email;
use rapport_domain::money::{Currency, MinorUnits};
use rapport_persistence::accounts::{
    self as store, AccountFilter, AccountOrder, AccountRow, ConsentEventRow, LifecycleChangeRow,
};
use rapport_persistence::{users, DbConn};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::cursor::Cursor;
use crate::service::events::domain::{data, Change, DomainEvent};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::pipeline::{self, WriteContext};
use crate::service::versioning;
use crate::service::{cache, new_id, now, stored, utc, Page};
use crate::state::AppState;

// ---------------------------------------------------------------------------------------
// Shapes

#[derive(
    Debug,
    Clone,
    PartialEq,
    Serialize,
    Deserialize,
    ToSchema,
    async_graphql::SimpleObject,
    async_graphql::InputObject,
)]
#[graphql(input_name = "AddressInput")]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2, e.g. `FR`.
    pub country: Option<String>,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// Minor units (cents).
    #[graphql(
        skip,
        derived(name = "amount", into = "crate::graphql::scalars::Long", owned)
    )]
    pub amount: i64,
    /// ISO 4217, e.g. `EUR`.
    pub currency: String,
}

/// A consent given or withdrawn on one channel.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
pub struct ConsentChange {
    pub granted: bool,
    /// How it was collected: `checkbox`, `double_opt_in`, `unsubscribe_link`, …
    pub method: Option<String>,
    /// Where: `signup_form`, `pos`, `import`, …
    pub source: Option<String>,
    /// When the customer did it (default: now).
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
pub struct ConsentChanges {
    pub email: Option<ConsentChange>,
    pub sms: Option<ConsentChange>,
    pub push: Option<ConsentChange>,
}

/// The current consent on one channel.
#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct ConsentState {
    /// `granted` or `withdrawn`.
    pub status: String,
    pub method: Option<String>,
    pub source: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct MarketingConsent {
    pub email: Option<ConsentState>,
    pub sms: Option<ConsentState>,
    pub push: Option<ConsentState>,
}

/// A customer: a person or an organization.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject)]
#[graphql(complex)]
pub struct Account {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    /// `person` or `organization`.
    #[schema(schema_with = crate::openapi::names::account_kind)]
    pub kind: String,
    pub name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub address: Option<Address>,
    pub tags: Vec<String>,
    /// Custom fields: a JSON object of at most 16 KiB.
    #[schema(value_type = Object)]
    pub attributes: Value,
    /// `lead`, `prospect`, `customer` or `churned`.
    #[schema(schema_with = crate::openapi::names::lifecycle_stage)]
    pub lifecycle_stage: String,
    #[graphql(
        skip,
        derived(
            name = "owner_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub owner_id: Option<String>,
    pub acquisition_channel: Option<String>,
    pub acquisition_cost: Option<Money>,
    pub marketing_consent: MarketingConsent,
    /// Your own key for this customer, unique in the workspace.
    pub external_id: Option<String>,
    /// Bumped by every change; send it back in `If-Match` to update safely.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a client writes: the body of a create, and the shape a PATCH merges into.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountInput {
    /// `person` or `organization`. Required on create.
    #[schema(schema_with = crate::openapi::names::account_kind, required = true, example = "person")]
    pub kind: Option<String>,
    /// Required on create, 1 to 300 characters.
    #[schema(value_type = String, min_length = 1, max_length = 300, example = "Ada Lovelace")]
    pub name: Option<String>,
    /// At most 20.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub emails: Option<Vec<String>>,
    /// At most 20.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub phones: Option<Vec<String>>,
    pub address: Option<Address>,
    /// At most 50, each 1 to 64 characters.
    #[schema(max_items = 50)]
    pub tags: Option<Vec<String>>,
    /// Custom fields: a JSON object of at most 16 KiB.
    #[schema(value_type = Option<Object>)]
    pub attributes: Option<Value>,
    /// Default `lead`.
    #[schema(schema_with = crate::openapi::names::lifecycle_stage_or_null)]
    pub lifecycle_stage: Option<String>,
    pub owner_id: Option<String>,
    pub acquisition_channel: Option<String>,
    pub acquisition_cost: Option<Money>,
    /// Consent given or withdrawn now, per channel; each is kept in the consent history.
    /// (Serialized when present, so the OpenAPI document shows it and an idempotent retry
    /// with other consent is another request.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marketing_consent: Option<ConsentChanges>,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct LifecycleChange {
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub actor_type: String,
    #[graphql(
        skip,
        derived(
            name = "actor_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub actor_id: Option<String>,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct ConsentEvent {
    pub channel: String,
    /// `granted` or `withdrawn`.
    pub status: String,
    pub method: Option<String>,
    pub source: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub actor_type: String,
    #[graphql(
        skip,
        derived(
            name = "actor_id",
            into = "Option<async_graphql::ID>",
            owned,
            with = "crate::graphql::scalars::id_opt"
        )
    )]
    pub actor_id: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountQuery {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page (opaque).
    pub after: Option<String>,
    /// `id` (default, creation order), `name`, `created_at`, `updated_at`; `-` for descending.
    pub sort: Option<String>,
    /// Prefix search on name words, e-mails and phone numbers.
    #[param(max_length = 100)]
    pub q: Option<String>,
    #[param(schema_with = crate::openapi::names::account_kind)]
    pub kind: Option<String>,
    #[param(schema_with = crate::openapi::names::lifecycle_stage)]
    pub lifecycle_stage: Option<String>,
    pub tag: Option<String>,
    pub owner_id: Option<String>,
    pub external_id: Option<String>,
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    pub updated_after: Option<DateTime<Utc>>,
    pub updated_before: Option<DateTime<Utc>>,
    /// Only the members of this segment (its rule, evaluated now).
    pub segment_id: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Validation: one pass that names every bad field

/// An account input after validation: every field parsed and normalised.
#[derive(Debug, Clone)]
struct ValidAccount {
    kind: AccountKind,
    name: String,
    emails: Vec<String>,
    phones: Vec<String>,
    address: Option<Address>,
    tags: Vec<String>,
    attributes: Value,
    lifecycle_stage: LifecycleStage,
    owner_id: Option<String>,
    acquisition_channel: Option<String>,
    acquisition_cost: Option<(i64, Currency)>,
    consent: Vec<(ConsentChannel, ConsentChange)>,
    external_id: Option<String>,
}

struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }
}

fn bounded_text(
    errors: &mut Errors,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value?.trim();
    if value.is_empty() || value.chars().count() > max || value.contains(char::is_control) {
        errors.add(
            field,
            format!("must be 1 to {max} characters without control characters"),
        );
        return None;
    }
    Some(value.to_owned())
}

const MAX_LIST: usize = 20;

fn validate(input: &AccountInput, prefix: &str) -> Result<ValidAccount, Vec<FieldError>> {
    let mut errors = Errors(Vec::new());
    let f = |name: &str| format!("{prefix}{name}");
    let kind = match input.kind.as_deref() {
        None => {
            errors.add(f("kind"), "is required");
            None
        }
        Some(k) => AccountKind::parse(k).or_else(|| {
            errors.add(
                f("kind"),
                format!("must be one of {}", AccountKind::choices()),
            );
            None
        }),
    };
    let name = match input.name.as_deref() {
        None => {
            errors.add(f("name"), "is required");
            None
        }
        Some(n) => bounded_text(&mut errors, &f("name"), Some(n), 300),
    };
    let raw_emails = input.emails.clone().unwrap_or_default();
    if raw_emails.len() > MAX_LIST {
        errors.add(f("emails"), format!("at most {MAX_LIST}"));
    }
    let mut emails = Vec::new();
    for (i, e) in raw_emails.iter().enumerate() {
        match Email::parse(e) {
            Ok(e) if !emails.contains(&e.to_string()) => emails.push(e.to_string()),
            Ok(_) => {}
            Err(err) => errors.add(f(&format!("emails[{i}]")), err.to_string()),
        }
    }
    let raw_phones = input.phones.clone().unwrap_or_default();
    if raw_phones.len() > MAX_LIST {
        errors.add(f("phones"), format!("at most {MAX_LIST}"));
    }
    let mut phones = Vec::new();
    for (i, p) in raw_phones.iter().enumerate() {
        match Phone::parse(p) {
            Ok(p) if !phones.contains(&p.as_str().to_owned()) => phones.push(p.as_str().to_owned()),
            Ok(_) => {}
            Err(err) => errors.add(f(&format!("phones[{i}]")), err.to_string()),
        }
    }
    let address = input.address.as_ref().map(|a| {
        let mut clean = Address {
            line1: bounded_text(&mut errors, &f("address.line1"), a.line1.as_deref(), 200),
            line2: bounded_text(&mut errors, &f("address.line2"), a.line2.as_deref(), 200),
            city: bounded_text(&mut errors, &f("address.city"), a.city.as_deref(), 100),
            region: bounded_text(&mut errors, &f("address.region"), a.region.as_deref(), 100),
            postal_code: bounded_text(
                &mut errors,
                &f("address.postal_code"),
                a.postal_code.as_deref(),
                20,
            ),
            country: None,
        };
        if let Some(c) = &a.country {
            clean.country = crm::parse_country(c);
            if clean.country.is_none() {
                errors.add(
                    f("address.country"),
                    "must be an ISO 3166-1 alpha-2 code, e.g. FR",
                );
            }
        }
        clean
    });
    let raw_tags = input.tags.clone().unwrap_or_default();
    if raw_tags.len() > 50 {
        errors.add(f("tags"), "at most 50");
    }
    let mut tags = Vec::new();
    for (i, t) in raw_tags.iter().enumerate() {
        match crm::parse_tag(t) {
            Some(t) if !tags.contains(&t) => tags.push(t),
            Some(_) => {}
            None => errors.add(f(&format!("tags[{i}]")), "must be 1 to 64 characters"),
        }
    }
    let attributes = input
        .attributes
        .clone()
        .unwrap_or_else(|| Value::Object(Default::default()));
    if let Err(message) = crm::check_attributes(&attributes) {
        errors.add(f("attributes"), message);
    }
    let lifecycle_stage = match input.lifecycle_stage.as_deref() {
        None => Some(LifecycleStage::Lead),
        Some(s) => LifecycleStage::parse(s).or_else(|| {
            errors.add(
                f("lifecycle_stage"),
                format!("must be one of {}", LifecycleStage::choices()),
            );
            None
        }),
    };
    let acquisition_channel = bounded_text(
        &mut errors,
        &f("acquisition_channel"),
        input.acquisition_channel.as_deref(),
        100,
    );
    let acquisition_cost = input.acquisition_cost.as_ref().and_then(|m| {
        let amount = MinorUnits::parse(m.amount);
        if let Err(e) = &amount {
            errors.add(f("acquisition_cost.amount"), e.to_string());
        }
        match Currency::parse(&m.currency) {
            Ok(c) if amount.is_ok() => Some((m.amount, c)),
            Ok(_) => None,
            Err(e) => {
                errors.add(f("acquisition_cost.currency"), e.to_string());
                None
            }
        }
    });
    let mut consent = Vec::new();
    if let Some(changes) = &input.marketing_consent {
        for (channel, change) in [
            (ConsentChannel::Email, &changes.email),
            (ConsentChannel::Sms, &changes.sms),
            (ConsentChannel::Push, &changes.push),
        ] {
            if let Some(change) = change {
                let field = format!("marketing_consent.{channel}");
                bounded_text(
                    &mut errors,
                    &format!("{field}.method"),
                    change.method.as_deref(),
                    100,
                );
                bounded_text(
                    &mut errors,
                    &format!("{field}.source"),
                    change.source.as_deref(),
                    100,
                );
                if change
                    .at
                    .is_some_and(|at| at > Utc::now() + chrono::Duration::minutes(5))
                {
                    errors.add(format!("{prefix}{field}.at"), "must not be in the future");
                }
                consent.push((channel, change.clone()));
            }
        }
    }
    let external_id = bounded_text(
        &mut errors,
        &f("external_id"),
        input.external_id.as_deref(),
        200,
    );
    let owner_id = input.owner_id.clone();

    match (kind, name, lifecycle_stage, errors.0.is_empty()) {
        (Some(kind), Some(name), Some(lifecycle_stage), true) => Ok(ValidAccount {
            kind,
            name,
            emails,
            phones,
            address,
            tags,
            attributes,
            lifecycle_stage,
            owner_id,
            acquisition_channel,
            acquisition_cost,
            consent,
            external_id,
        }),
        _ => Err(errors.0),
    }
}

// ---------------------------------------------------------------------------------------
// Rows <-> shapes

fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(ApiError::internal)
}

impl TryFrom<AccountRow> for Account {
    type Error = ApiError;
    fn try_from(row: AccountRow) -> Result<Self, ApiError> {
        Ok(Account {
            emails: from_json(&row.emails)?,
            phones: from_json(&row.phones)?,
            address: row.address.as_deref().map(from_json).transpose()?,
            tags: from_json(&row.tags)?,
            attributes: from_json(&row.attributes)?,
            marketing_consent: from_json(&row.marketing_consent)?,
            acquisition_cost: match (row.acquisition_cost_amount, row.acquisition_cost_currency) {
                (Some(amount), Some(currency)) => Some(Money { amount, currency }),
                _ => None,
            },
            id: row.id,
            kind: row.kind,
            name: row.name,
            lifecycle_stage: row.lifecycle_stage,
            owner_id: row.owner_id,
            acquisition_channel: row.acquisition_channel,
            external_id: row.external_id,
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        })
    }
}

impl Account {
    /// The writable fields, as a PATCH body merges into them.
    fn as_input(&self) -> AccountInput {
        AccountInput {
            kind: Some(self.kind.clone()),
            name: Some(self.name.clone()),
            emails: Some(self.emails.clone()),
            phones: Some(self.phones.clone()),
            address: self.address.clone(),
            tags: Some(self.tags.clone()),
            attributes: Some(self.attributes.clone()),
            lifecycle_stage: Some(self.lifecycle_stage.clone()),
            owner_id: self.owner_id.clone(),
            acquisition_channel: self.acquisition_channel.clone(),
            acquisition_cost: self.acquisition_cost.clone(),
            marketing_consent: None,
            external_id: self.external_id.clone(),
        }
    }
}

/// Writes a validated account over `base` (a new row or the stored one), bumping nothing:
/// the caller sets version and times.
fn apply(
    base: &mut AccountRow,
    valid: &ValidAccount,
    consent: &MarketingConsent,
) -> Result<(), ApiError> {
    base.kind = valid.kind.as_str().to_owned();
    base.name = valid.name.clone();
    base.emails = to_json(&valid.emails)?;
    base.phones = to_json(&valid.phones)?;
    base.address = valid.address.as_ref().map(to_json).transpose()?;
    base.tags = to_json(&valid.tags)?;
    base.attributes = to_json(&valid.attributes)?;
    base.lifecycle_stage = valid.lifecycle_stage.as_str().to_owned();
    base.owner_id = valid.owner_id.clone();
    base.acquisition_channel = valid.acquisition_channel.clone();
    base.acquisition_cost_amount = valid.acquisition_cost.map(|(a, _)| a);
    base.acquisition_cost_currency = valid.acquisition_cost.map(|(_, c)| c.to_string());
    base.marketing_consent = to_json(consent)?;
    base.external_id = valid.external_id.clone();
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Writes (inside a transaction)

/// Checks what validation could not see without the database: the owner is a user of the
/// workspace.
fn check_references(
    conn: &mut DbConn,
    principal: &Principal,
    valid: &ValidAccount,
    prefix: &str,
) -> Result<(), ApiError> {
    if let Some(owner) = &valid.owner_id {
        if users::find(conn, &principal.workspace_id, owner)?.is_none() {
            return Err(ApiError::field(
                &format!("{prefix}owner_id"),
                "no user with this id in the workspace",
            ));
        }
    }
    Ok(())
}

/// The consent state after `changes` (pure).
fn apply_consent(
    current: &mut MarketingConsent,
    changes: &[(ConsentChannel, ConsentChange)],
    at: NaiveDateTime,
) {
    for (channel, change) in changes {
        let state = Some(ConsentState {
            status: if change.granted {
                "granted"
            } else {
                "withdrawn"
            }
            .to_owned(),
            method: change.method.clone(),
            source: change.source.clone(),
            at: utc(change.at.map_or(at, stored)),
        });
        match channel {
            ConsentChannel::Email => current.email = state,
            ConsentChannel::Sms => current.sms = state,
            ConsentChannel::Push => current.push = state,
        }
    }
}

/// Every consent given or withdrawn is kept, with when, how and where: the rows.
fn consent_rows(
    principal: &Principal,
    account_id: &str,
    changes: &[(ConsentChannel, ConsentChange)],
    at: NaiveDateTime,
) -> Vec<ConsentEventRow> {
    changes
        .iter()
        .map(|(channel, change)| ConsentEventRow {
            id: new_id(),
            workspace_id: principal.workspace_id.clone(),
            account_id: account_id.to_owned(),
            channel: channel.as_str().to_owned(),
            status: if change.granted {
                "granted"
            } else {
                "withdrawn"
            }
            .to_owned(),
            method: change.method.clone(),
            source: change.source.clone(),
            occurred_at: change.at.map_or(at, stored),
            actor_type: principal.actor_type().to_owned(),
            actor_id: principal.actor_id().map(str::to_owned),
            recorded_at: at,
        })
        .collect()
}

/// The lifecycle record of a stage change (none when the stage stays).
fn stage_row(
    principal: &Principal,
    account_id: &str,
    from: Option<&str>,
    to: &str,
    at: NaiveDateTime,
) -> Option<LifecycleChangeRow> {
    (from != Some(to)).then(|| LifecycleChangeRow {
        id: new_id(),
        workspace_id: principal.workspace_id.clone(),
        account_id: account_id.to_owned(),
        from_stage: from.map(str::to_owned),
        to_stage: to.to_owned(),
        actor_type: principal.actor_type().to_owned(),
        actor_id: principal.actor_id().map(str::to_owned),
        changed_at: at,
    })
}

/// The rows that follow account writes (new accounts, consent events, tags and search
/// terms, lifecycle records), gathered so that a batch of any size writes them in a fixed
/// number of multi-row statements.
#[derive(Default)]
struct Staged {
    inserts: Vec<AccountRow>,
    consents: Vec<ConsentEventRow>,
    /// Accounts whose tag and search-term rows are replaced.
    reindexed: Vec<String>,
    tags: Vec<(String, String)>,
    terms: Vec<(String, String)>,
    stages: Vec<LifecycleChangeRow>,
}

impl Staged {
    fn index(&mut self, valid: &ValidAccount, account_id: &str, replaced: bool) {
        if replaced {
            self.reindexed.push(account_id.to_owned());
        }
        self.tags.extend(
            valid
                .tags
                .iter()
                .map(|t| (account_id.to_owned(), t.clone())),
        );
        let terms = crm::search_terms(&valid.name, &valid.emails, &valid.phones);
        self.terms
            .extend(terms.into_iter().map(|t| (account_id.to_owned(), t)));
    }

    /// Accounts first: the other rows refer to them.
    fn write(self, conn: &mut DbConn, workspace_id: &str) -> Result<(), ApiError> {
        store::insert_many(conn, &self.inserts).map_err(external_id_taken)?;
        store::insert_consent_events(conn, &self.consents)?;
        store::replace_index_rows_many(
            conn,
            workspace_id,
            &self.reindexed,
            &self.tags,
            &self.terms,
        )?;
        store::insert_lifecycle_changes(conn, &self.stages)?;
        Ok(())
    }
}

pub(crate) fn external_id_taken(err: diesel::result::Error) -> ApiError {
    match err {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => ApiError::conflict("external_id_taken", "another account has this external_id"),
        other => other.into(),
    }
}

fn insert_valid(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    principal: &Principal,
    valid: &ValidAccount,
) -> Result<Account, ApiError> {
    let mut staged = Staged::default();
    let account = stage_insert(cx, principal, valid, now(), &mut staged)?;
    staged.write(conn, &principal.workspace_id)?;
    Ok(account)
}

/// A new account: its rows join `staged`; its audit entry and event are emitted.
fn stage_insert(
    cx: &mut WriteContext,
    principal: &Principal,
    valid: &ValidAccount,
    at: NaiveDateTime,
    staged: &mut Staged,
) -> Result<Account, ApiError> {
    let mut row = AccountRow {
        id: new_id(),
        workspace_id: principal.workspace_id.clone(),
        kind: String::new(),
        name: String::new(),
        emails: String::new(),
        phones: String::new(),
        address: None,
        tags: String::new(),
        attributes: String::new(),
        lifecycle_stage: String::new(),
        owner_id: None,
        acquisition_channel: None,
        acquisition_cost_amount: None,
        acquisition_cost_currency: None,
        marketing_consent: String::new(),
        external_id: None,
        version: 1,
        created_at: at,
        updated_at: at,
        deleted_at: None,
    };
    let mut consent = MarketingConsent::default();
    apply_consent(&mut consent, &valid.consent, at);
    apply(&mut row, valid, &consent)?;
    staged
        .consents
        .extend(consent_rows(principal, &row.id, &valid.consent, at));
    staged.index(valid, &row.id, false);
    staged.stages.extend(stage_row(
        principal,
        &row.id,
        None,
        &row.lifecycle_stage,
        at,
    ));
    staged.inserts.push(row.clone());
    let account = Account::try_from(row)?;
    cx.audit::<(), _>(
        "account.create",
        "account",
        Some(&account.id),
        None,
        Some(&account),
    )?;
    cx.emit(DomainEvent::AccountChanged {
        account_id: account.id.clone(),
        change: Change::Created,
        account: data(&account)?,
    })?;
    Ok(account)
}

fn update_valid(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    principal: &Principal,
    stored: AccountRow,
    valid: &ValidAccount,
) -> Result<Account, ApiError> {
    let mut staged = Staged::default();
    let account = stage_update(conn, cx, principal, stored, valid, now(), &mut staged)?;
    staged.write(conn, &principal.workspace_id)?;
    Ok(account)
}

/// An update: the account row is written now (under its version check); the rows that
/// follow it join `staged`. When nothing changed: the stored account, no new version, no
/// audit entry.
fn stage_update(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    principal: &Principal,
    stored: AccountRow,
    valid: &ValidAccount,
    at: NaiveDateTime,
    staged: &mut Staged,
) -> Result<Account, ApiError> {
    let before = Account::try_from(stored.clone())?;
    let mut consent = before.marketing_consent.clone();
    apply_consent(&mut consent, &valid.consent, at);
    let mut row = stored.clone();
    apply(&mut row, valid, &consent)?;
    row.version = stored.version + 1;
    row.updated_at = at;
    row.deleted_at = None;
    let unchanged = AccountRow {
        version: stored.version,
        updated_at: stored.updated_at,
        deleted_at: stored.deleted_at,
        ..row.clone()
    } == stored;
    if unchanged && stored.deleted_at.is_none() && valid.consent.is_empty() {
        return Ok(before);
    }
    if store::update(conn, &row, stored.version).map_err(external_id_taken)? == 0 {
        return Err(versioning::precondition_failed("account"));
    }
    staged
        .consents
        .extend(consent_rows(principal, &stored.id, &valid.consent, at));
    staged.index(valid, &row.id, true);
    staged.stages.extend(stage_row(
        principal,
        &row.id,
        Some(&stored.lifecycle_stage),
        &row.lifecycle_stage,
        at,
    ));
    let after = Account::try_from(row)?;
    cx.audit(
        "account.update",
        "account",
        Some(&after.id),
        Some(&before),
        Some(&after),
    )?;
    cx.emit(DomainEvent::AccountChanged {
        account_id: after.id.clone(),
        change: Change::updated(&before, &after),
        account: data(&after)?,
    })?;
    Ok(after)
}

/// Agents may read every account but change only those they own.
pub(crate) fn may_edit(principal: &Principal, row: &AccountRow) -> Result<(), ApiError> {
    principal.require(Scope::AccountsWrite)?;
    if principal.role() == Some(Role::Agent) && row.owner_id.as_deref() != principal.user_id() {
        return Err(ApiError::forbidden(
            "not_account_owner",
            "agents may only change accounts they own",
        ));
    }
    Ok(())
}

fn load(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<AccountRow, ApiError> {
    store::find(conn, &principal.workspace_id, id)?
        .ok_or_else(|| ApiError::not_found("no account with that id"))
}

// ---------------------------------------------------------------------------------------
// Use cases

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: AccountInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<Account>, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let valid = validate(&input, "").map_err(ApiError::validation)?;
    let principal = principal.clone();
    pipeline::write(
        state,
        &principal.clone(),
        idempotency,
        201,
        move |conn, cx| {
            check_references(conn, &principal, &valid, "")?;
            insert_valid(conn, cx, &principal, &valid)
        },
    )
    .await
}

pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<Account, ApiError> {
    let (_, json) = get_json(state, principal, id).await?;
    serde_json::from_slice(&json).map_err(ApiError::internal)
}

/// Bump when the account's JSON shape changes, so no node reads another shape's entries.
const CACHE_SHAPE: &str = "v1";

/// One account as its version (for the `ETag`) and its JSON (what REST sends as is). The id
/// of an account merged into another answers with that survivor (see `service::merge`).
pub async fn get_json(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<(i64, Vec<u8>), ApiError> {
    principal.require(Scope::AccountsRead)?;
    following_redirect(state, principal, id, |id| async move {
        get_json_live(state, principal, &id).await
    })
    .await
}

/// One live account, from the cache when it holds the current one. Cached under the
/// account's generation, which every write to the account bumps (the write pipeline, after
/// its commit).
async fn get_json_live(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<(i64, Vec<u8>), ApiError> {
    let ws = principal.workspace_id.clone();
    let generations = [cache::account_generation(&ws, id)];
    let key = format!("account:{CACHE_SHAPE}:{ws}:{id}");
    let stored = cache::cache_aside(state, &generations, &key, || async {
        let (principal, id) = (principal.clone(), id.to_owned());
        let account: Account = state
            .db
            .run(move |conn| load(conn, &principal, &id)?.try_into())
            .await?;
        // The version first (8 bytes, big-endian), then the JSON.
        let mut bytes = account.version.to_be_bytes().to_vec();
        serde_json::to_writer(&mut bytes, &account).map_err(ApiError::internal)?;
        Ok(bytes)
    })
    .await?;
    let (version, json) = stored
        .split_at_checked(8)
        .ok_or_else(|| ApiError::internal("a cached account is too short"))?;
    let version = i64::from_be_bytes(version.try_into().map_err(ApiError::internal)?);
    Ok((version, json.to_vec()))
}

/// Applies a JSON merge patch. `if_match` (a version) makes the write conditional.
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: &str,
    patch: Value,
    if_match: Option<i64>,
) -> Result<Account, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    versioning::require_patch_object(&patch)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        let stored = load(conn, &principal, &id)?;
        may_edit(&principal, &stored)?;
        versioning::check_version("account", if_match, stored.version)?;
        let current = Account::try_from(stored.clone())?;
        let mut patch = patch;
        let consent = patch
            .as_object_mut()
            .and_then(|p| p.remove("marketing_consent"));
        let mut input = versioning::merge_patch("an account", &current.as_input(), &patch)?;
        input.marketing_consent = consent
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| ApiError::field("marketing_consent", e.to_string()))?;
        let valid = validate(&input, "").map_err(ApiError::validation)?;
        check_references(conn, &principal, &valid, "")?;
        if principal.role() == Some(Role::Agent) && valid.owner_id.as_deref() != principal.user_id()
        {
            return Err(ApiError::forbidden(
                "not_account_owner",
                "agents may not give an account away",
            ));
        }
        update_valid(conn, cx, &principal, stored, &valid)
    })
    .await
}

/// Soft delete: the account disappears from reads and lists; its history stays.
pub async fn delete(
    state: &AppState,
    principal: &Principal,
    id: &str,
    if_match: Option<i64>,
) -> Result<(), ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        let stored = load(conn, &principal, &id)?;
        may_edit(&principal, &stored)?;
        let before = Account::try_from(stored.clone())?;
        let at = now();
        versioning::write_versioned("account", if_match, stored.version, |version| {
            let deleted = AccountRow {
                version,
                updated_at: at,
                deleted_at: Some(at),
                ..stored.clone()
            };
            store::update(conn, &deleted, stored.version)
        })?;
        cx.audit::<_, ()>("account.delete", "account", Some(&id), Some(&before), None)?;
        cx.emit(DomainEvent::AccountChanged {
            account_id: id.clone(),
            change: Change::Deleted,
            account: data(&before)?,
        })?;
        Ok(())
    })
    .await
}

fn order_from(sort: Option<&str>, after: Option<&str>) -> Result<AccountOrder, ApiError> {
    let sort = sort.unwrap_or("id");
    let (descending, key) = match sort.strip_prefix('-') {
        Some(key) => (true, key),
        None => (false, sort),
    };
    let cursor = after.map(|a| Cursor::decode(a, key)).transpose()?;
    let bad_sort = || {
        ApiError::field(
            "sort",
            "must be id, name, created_at or updated_at, with - for descending",
        )
    };
    Ok(match key {
        "id" if !descending => AccountOrder::Id {
            after: cursor.map(|c| c.id),
        },
        "name" => AccountOrder::Name {
            descending,
            after: cursor.map(|c| (c.value, c.id)),
        },
        "created_at" | "updated_at" => {
            let after = cursor
                .map(|c| {
                    DateTime::parse_from_rfc3339(&c.value)
                        .map(|t| (t.naive_utc(), c.id))
                        .map_err(|_| ApiError::field("after", "not a cursor this API returned"))
                })
                .transpose()?;
            if key == "created_at" {
                AccountOrder::CreatedAt { descending, after }
            } else {
                AccountOrder::UpdatedAt { descending, after }
            }
        }
        _ => return Err(bad_sort()),
    })
}

/// The cursor that continues a list in `order` after `account`.
fn cursor_of(order: &AccountOrder, account: &Account) -> String {
    let ts = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    match order {
        AccountOrder::Id { .. } => Cursor::new("id", String::new(), &account.id),
        AccountOrder::Name { .. } => Cursor::new("name", account.name.clone(), &account.id),
        AccountOrder::CreatedAt { .. } => {
            Cursor::new("created_at", ts(account.created_at), &account.id)
        }
        AccountOrder::UpdatedAt { .. } => {
            Cursor::new("updated_at", ts(account.updated_at), &account.id)
        }
    }
    .encode()
}

/// The cursor of one account in a list sorted by `sort` (for GraphQL edges).
pub fn edge_cursor(sort: Option<&str>, account: &Account) -> Result<String, ApiError> {
    Ok(cursor_of(&order_from(sort, None)?, account))
}

/// A page of accounts. A `segment_id` filter naming no segment of the workspace is a bad
/// filter (422 naming `segment_id`).
pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: AccountQuery,
) -> Result<Page<Account>, ApiError> {
    list_filtered(state, principal, query, false, None).await
}

/// A page of a segment's members now, or as of a past instant (`as_of`, RFC 3339; see
/// `rule_segments::as_of`) (`GET /v1/segments/{id}/accounts`): an unknown segment is a 404,
/// as for any resource read.
pub async fn segment_members(
    state: &AppState,
    principal: &Principal,
    segment_id: String,
    query: AccountQuery,
    as_of: Option<&str>,
) -> Result<Page<Account>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let as_of = crate::service::as_of::parse(as_of)?;
    let query = AccountQuery {
        segment_id: Some(segment_id),
        ..query
    };
    list_filtered(state, principal, query, true, as_of).await
}

async fn list_filtered(
    state: &AppState,
    principal: &Principal,
    query: AccountQuery,
    unknown_segment_is_not_found: bool,
    as_of: Option<NaiveDateTime>,
) -> Result<Page<Account>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let limit = crate::service::page_limit(query.limit)?;
    let p = principal.clone();
    state
        .db
        .run(move |conn| list_in(conn, &p, query, limit, unknown_segment_is_not_found, as_of))
        .await
}

/// A page of `limit` accounts read inside a connection closure: the list's filters, sort
/// and cursor (exports page through it in their snapshot); with `as_of`, a segment filter
/// is evaluated over the values as of then.
pub fn list_in(
    conn: &mut DbConn,
    principal: &Principal,
    query: AccountQuery,
    limit: i64,
    unknown_segment_is_not_found: bool,
    as_of: Option<NaiveDateTime>,
) -> Result<Page<Account>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let page = limit;
    let order = order_from(query.sort.as_deref(), query.after.as_deref())?;
    let mut errors = Errors(Vec::new());
    if query
        .kind
        .as_deref()
        .is_some_and(|k| AccountKind::parse(k).is_none())
    {
        errors.add("kind", format!("must be one of {}", AccountKind::choices()));
    }
    if query
        .lifecycle_stage
        .as_deref()
        .is_some_and(|k| LifecycleStage::parse(k).is_none())
    {
        errors.add(
            "lifecycle_stage",
            format!("must be one of {}", LifecycleStage::choices()),
        );
    }
    let search = query
        .q
        .as_deref()
        .map(crm::normalise_query)
        .filter(|q| !q.is_empty());
    if search.as_ref().is_some_and(|q| q.chars().count() > 100) {
        errors.add("q", "at most 100 characters");
    }
    if !errors.0.is_empty() {
        return Err(ApiError::validation(errors.0));
    }
    let mut filter = AccountFilter {
        kind: query.kind,
        lifecycle_stage: query.lifecycle_stage,
        tag: query.tag.as_deref().and_then(crm::parse_tag),
        owner_id: query.owner_id,
        external_id: query.external_id,
        search,
        created_after: query.created_after.map(stored),
        created_before: query.created_before.map(stored),
        updated_after: query.updated_after.map(stored),
        updated_before: query.updated_before.map(stored),
        rule: None,
    };
    let workspace = principal.workspace_id.clone();
    if let (Some(id), Some(at)) = (&query.segment_id, as_of) {
        // As of a past instant: the segment's rule over the values as of then.
        let segment = crate::service::rule_segments::compiled::load(conn, &workspace, id)?;
        let rule = crate::service::rule_segments::compiled::stored_rule(&segment)?;
        let rows = crate::service::rule_segments::as_of::with_rule_as_of(
            conn,
            &workspace,
            &rule,
            at,
            |conn, rule| {
                filter.rule = Some(rule);
                Ok(store::list(conn, &workspace, &filter, &order, page + 1)?)
            },
        )?;
        return page_of(rows, page, &order);
    }
    if let Some(id) = &query.segment_id {
        filter.rule = Some(
            crate::service::rule_segments::compiled::filter_of(conn, &workspace, id).map_err(
                |e| match e.code {
                    // A filter naming no segment of the workspace is a bad filter.
                    "not_found" if !unknown_segment_is_not_found => {
                        ApiError::validation(vec![FieldError {
                            field: "segment_id".into(),
                            message: "no segment with this id in this workspace".into(),
                        }])
                    }
                    _ => e,
                },
            )?,
        );
    }
    let rows = store::list(conn, &workspace, &filter, &order, page + 1)?;
    page_of(rows, page, &order)
}

/// A page from rows fetched with `page + 1`: the extra row only says "more".
fn page_of(
    rows: Vec<AccountRow>,
    page: i64,
    order: &AccountOrder,
) -> Result<Page<Account>, ApiError> {
    let more = rows.len() > usize::try_from(page).unwrap_or(usize::MAX);
    let mut rows = rows;
    rows.truncate(usize::try_from(page).unwrap_or(usize::MAX));
    let data = rows
        .into_iter()
        .map(Account::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    let next_cursor = if more {
        data.last().map(|a| cursor_of(order, a))
    } else {
        None
    };
    Ok(Page { data, next_cursor })
}

pub async fn lifecycle_history(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Vec<LifecycleChange>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    state
        .db
        .run(move |conn| {
            load(conn, &principal, &id)?;
            Ok(
                store::lifecycle_changes(conn, &principal.workspace_id, &id)?
                    .into_iter()
                    .map(|r| LifecycleChange {
                        from_stage: r.from_stage,
                        to_stage: r.to_stage,
                        actor_type: r.actor_type,
                        actor_id: r.actor_id,
                        changed_at: utc(r.changed_at),
                    })
                    .collect(),
            )
        })
        .await
}

pub async fn consent_history(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Vec<ConsentEvent>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    state
        .db
        .run(move |conn| {
            load(conn, &principal, &id)?;
            Ok(store::consent_events(conn, &principal.workspace_id, &id)?
                .into_iter()
                .map(|r| ConsentEvent {
                    channel: r.channel,
                    status: r.status,
                    method: r.method,
                    source: r.source,
                    occurred_at: utc(r.occurred_at),
                    actor_type: r.actor_type,
                    actor_id: r.actor_id,
                    recorded_at: utc(r.recorded_at),
                })
                .collect())
        })
        .await
}

// ---------------------------------------------------------------------------------------
// Batch upsert

pub const MAX_BATCH: usize = 500;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountBatch {
    /// Up to 500 accounts, each with an `external_id`.
    #[schema(min_items = 1, max_items = 500)]
    pub accounts: Vec<AccountInput>,
}

/// The fate of one item of a batch.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AccountBatchItemResult)]
pub struct BatchItemResult {
    pub index: usize,
    /// `created`, `updated`, `unchanged` or `error`.
    #[schema(schema_with = batch_item_status)]
    pub status: &'static str,
    pub id: Option<String>,
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

fn batch_item_status() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(["created", "updated", "unchanged", "error"]))
        .build()
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AccountBatchResult)]
pub struct BatchResult {
    pub results: Vec<BatchItemResult>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub failed: usize,
}

/// A batch whose items passed the edge checks: the results of the invalid ones, and the
/// valid ones still to write (see [`write_batch`]).
pub struct PreparedBatch {
    results: Vec<BatchItemResult>,
    valid_items: Vec<(usize, ValidAccount)>,
}

/// Validates every item of a batch (errors named `accounts[i].field`); each needs an
/// `external_id`, once in the batch.
pub fn prepare_batch(accounts: &[AccountInput]) -> PreparedBatch {
    let mut results = Vec::with_capacity(accounts.len());
    let mut valid_items = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (index, input) in accounts.iter().enumerate() {
        let prefix = format!("accounts[{index}].");
        let mut outcome = validate(input, &prefix);
        if let Ok(valid) = &outcome {
            match &valid.external_id {
                None => {
                    outcome = Err(vec![FieldError {
                        field: format!("{prefix}external_id"),
                        message: "is required in a batch".into(),
                    }])
                }
                Some(ext) => {
                    if let Some(first) = seen.insert(ext.clone(), index) {
                        outcome = Err(vec![FieldError {
                            field: format!("{prefix}external_id"),
                            message: format!("repeats item {first}"),
                        }]);
                    }
                }
            }
        }
        match outcome {
            Ok(valid) => {
                results.push(BatchItemResult {
                    index,
                    status: "pending",
                    id: None,
                    external_id: valid.external_id.clone(),
                    errors: vec![],
                });
                valid_items.push((index, valid));
            }
            Err(errors) => results.push(BatchItemResult {
                index,
                status: "error",
                id: None,
                external_id: input.external_id.clone(),
                errors,
            }),
        }
    }
    PreparedBatch {
        results,
        valid_items,
    }
}

/// Upserts the valid items of a prepared batch by `external_id` in the caller's
/// transaction (the batch endpoint's and import jobs' one path).
pub fn write_batch(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    principal: &Principal,
    batch: PreparedBatch,
) -> Result<BatchResult, ApiError> {
    let PreparedBatch {
        mut results,
        valid_items,
    } = batch;
    let workspace = principal.workspace_id.as_str();
    // A fixed number of statements whatever the batch's size: one lookup of the owners, one
    // of the external ids, multi-row inserts at the end (`Staged`). Only accounts that
    // change are updated one by one (each under its own version check).
    let owners: BTreeSet<String> = valid_items
        .iter()
        .filter_map(|(_, v)| v.owner_id.clone())
        .collect();
    let users_found: BTreeSet<String> = if owners.is_empty() {
        BTreeSet::new()
    } else {
        let owners: Vec<String> = owners.into_iter().collect();
        users::existing_ids(conn, workspace, &owners)?
            .into_iter()
            .collect()
    };
    let external_ids: Vec<String> = valid_items
        .iter()
        .filter_map(|(_, v)| v.external_id.clone())
        .collect();
    let mut known: HashMap<String, AccountRow> =
        store::find_by_external_ids(conn, workspace, &external_ids)?
            .into_iter()
            .filter_map(|row| Some((row.external_id.clone()?, row)))
            .collect();
    let at = now();
    let mut staged = Staged::default();
    for (index, valid) in valid_items {
        let prefix = format!("accounts[{index}].");
        if valid
            .owner_id
            .as_ref()
            .is_some_and(|owner| !users_found.contains(owner))
        {
            results[index].status = "error";
            results[index].errors = vec![FieldError {
                field: format!("{prefix}owner_id"),
                message: "no user with this id in the workspace".into(),
            }];
            continue;
        }
        let ext = valid.external_id.clone().unwrap_or_default();
        let (status, account) = match known.remove(&ext) {
            None => (
                "created",
                stage_insert(cx, principal, &valid, at, &mut staged)?,
            ),
            Some(stored)
                if stored.deleted_at.is_some()
                    && rapport_persistence::merge::merged_into(conn, workspace, &stored.id)?
                        .flatten()
                        .is_some() =>
            {
                results[index].status = "error";
                results[index].errors = vec![FieldError {
                    field: format!("{prefix}external_id"),
                    message: "this account was merged into another; write to that one".into(),
                }];
                continue;
            }
            Some(stored) => {
                if may_edit(principal, &stored).is_err() {
                    results[index].status = "error";
                    results[index].errors = vec![FieldError {
                        field: format!("{prefix}external_id"),
                        message: "you may not change this account".into(),
                    }];
                    continue;
                }
                let version = stored.version;
                let account = stage_update(conn, cx, principal, stored, &valid, at, &mut staged)?;
                (
                    if account.version == version {
                        "unchanged"
                    } else {
                        "updated"
                    },
                    account,
                )
            }
        };
        results[index].status = status;
        results[index].id = Some(account.id);
    }
    staged.write(conn, workspace)?;
    let count = |s: &str| results.iter().filter(|r| r.status == s).count();
    Ok(BatchResult {
        created: count("created"),
        updated: count("updated"),
        unchanged: count("unchanged"),
        failed: count("error"),
        results,
    })
}

/// Upserts by `external_id`: invalid items are reported and skipped; the valid ones are
/// written together in one transaction.
pub async fn batch_upsert(
    state: &AppState,
    principal: &Principal,
    batch: AccountBatch,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<BatchResult>, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    if batch.accounts.is_empty() || batch.accounts.len() > MAX_BATCH {
        return Err(ApiError::field(
            "accounts",
            format!("send 1 to {MAX_BATCH} accounts"),
        ));
    }
    let prepared = prepare_batch(&batch.accounts);
    let principal = principal.clone();
    pipeline::write(
        state,
        &principal.clone(),
        idempotency,
        200,
        move |conn, cx| write_batch(conn, cx, &principal, prepared),
    )
    .await
}

// ---------------------------------------------------------------------------------------
// Redirects: a merged account's id reads as its survivor (see `service::merge`).

/// The survivor a merged account redirects to (`None`: not a merged account of the
/// workspace).
pub async fn survivor_of(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Option<String>, ApiError> {
    let (ws, id) = (principal.workspace_id.clone(), id.to_owned());
    state
        .db
        .run(move |conn| Ok(rapport_persistence::merge::merged_into(conn, &ws, &id)?.flatten()))
        .await
}

/// `read(id)`, or when `id` is a merged account, `read(survivor)`.
pub async fn following_redirect<T, F, Fut>(
    state: &AppState,
    principal: &Principal,
    id: &str,
    read: F,
) -> Result<T, ApiError>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<T, ApiError>>,
{
    match read(id.to_owned()).await {
        Err(e) if e.code == "not_found" => match survivor_of(state, principal, id).await? {
            Some(survivor) => read(survivor).await,
            None => Err(e),
        },
        other => other,
    }
}
