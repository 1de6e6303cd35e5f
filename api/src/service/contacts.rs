//! Contacts: the people at organization accounts (buyers, decision makers, support leads).
//! Create, read, list per account in keyset pages, merge-patch with optimistic concurrency,
//! soft delete. At most one contact per account is primary: making one primary unsets the
//! others in the same transaction.
//!
//! Rules chosen here:
//! - Only organization accounts have contacts: creating one on a `person` account is a 422
//!   `validation_failed` naming the field `account_id`.
//! - Contacts follow their account's rule: agents may read every contact, but create, change
//!   or delete contacts only of accounts they own (403 `not_account_owner`).
//! - A contact of a deleted account is gone too (404), like the account.

use chrono::{DateTime, Utc};
use rapport_domain::access::{Role, Scope};
use rapport_domain::crm::{AccountKind, Phone};
use rapport_domain::email::Email;
use rapport_persistence::accounts::{self as account_store, AccountRow};
use rapport_persistence::contacts::{self as store, ContactRow};
use rapport_persistence::DbConn;
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
use crate::service::{new_id, now, page_limit, utc, Page, PageRequest};
use crate::state::AppState;

// ---------------------------------------------------------------------------------------
// Shapes

/// A person at an organization account.
#[derive(
    Debug, Clone, PartialEq, Serialize, serde::Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct Contact {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    /// The organization account this person works at.
    #[graphql(skip, derived(name = "account_id", into = "async_graphql::ID", owned))]
    pub account_id: String,
    pub name: String,
    /// Role or job title, e.g. `Head of Purchasing`.
    pub title: Option<String>,
    /// Normalised (lower case).
    pub email: Option<String>,
    /// Normalised: separators removed, `+` kept.
    pub phone: Option<String>,
    /// The account's main contact; at most one per account.
    pub is_primary: bool,
    /// Bumped by every change; send it back in `If-Match` to update safely.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a client writes: the body of a create, and the shape a PATCH merges into.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// Required, 1 to 300 characters.
    #[schema(value_type = String, min_length = 1, max_length = 300, example = "Grace Hopper")]
    pub name: Option<String>,
    /// Role or job title, at most 200 characters.
    #[schema(max_length = 200, example = "Head of Purchasing")]
    pub title: Option<String>,
    #[schema(example = "grace@acme.example.com")]
    pub email: Option<String>,
    #[schema(example = "+44 20 7946 0958")]
    pub phone: Option<String>,
    /// `true` makes this the account's primary contact (and unsets the previous one).
    /// Default `false`.
    pub is_primary: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactQuery {
    /// Items per page, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page (opaque). Contacts come in creation order.
    pub after: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Validation: one pass that names every bad field

/// A contact input after validation.
#[derive(Debug, Clone)]
pub struct ValidContact {
    name: String,
    title: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    is_primary: bool,
}

fn bounded_text(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value?.trim();
    if value.is_empty() || value.chars().count() > max || value.contains(char::is_control) {
        errors.push(FieldError {
            field: field.to_owned(),
            message: format!("must be 1 to {max} characters without control characters"),
        });
        return None;
    }
    Some(value.to_owned())
}

fn validate(input: &ContactInput) -> Result<ValidContact, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = match input.name.as_deref() {
        None => {
            errors.push(FieldError {
                field: "name".into(),
                message: "is required".into(),
            });
            None
        }
        Some(n) => bounded_text(&mut errors, "name", Some(n), 300),
    };
    let title = bounded_text(&mut errors, "title", input.title.as_deref(), 200);
    let email = input.email.as_deref().and_then(|e| match Email::parse(e) {
        Ok(e) => Some(e.to_string()),
        Err(err) => {
            errors.push(FieldError {
                field: "email".into(),
                message: err.to_string(),
            });
            None
        }
    });
    let phone = input.phone.as_deref().and_then(|p| match Phone::parse(p) {
        Ok(p) => Some(p.as_str().to_owned()),
        Err(err) => {
            errors.push(FieldError {
                field: "phone".into(),
                message: err.to_string(),
            });
            None
        }
    });
    match name {
        Some(name) if errors.is_empty() => Ok(ValidContact {
            name,
            title,
            email,
            phone,
            is_primary: input.is_primary.unwrap_or(false),
        }),
        _ => Err(errors),
    }
}

// ---------------------------------------------------------------------------------------
// Rows <-> shapes

impl From<ContactRow> for Contact {
    fn from(row: ContactRow) -> Self {
        Contact {
            id: row.id,
            account_id: row.account_id,
            name: row.name,
            title: row.title,
            email: row.email,
            phone: row.phone,
            is_primary: row.is_primary,
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

impl Contact {
    /// The writable fields, as a PATCH body merges into them.
    fn as_input(&self) -> ContactInput {
        ContactInput {
            name: Some(self.name.clone()),
            title: self.title.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            is_primary: Some(self.is_primary),
        }
    }
}

fn apply(row: &mut ContactRow, valid: &ValidContact) {
    row.name = valid.name.clone();
    row.title = valid.title.clone();
    row.email = valid.email.clone();
    row.phone = valid.phone.clone();
    row.is_primary = valid.is_primary;
}

// ---------------------------------------------------------------------------------------
// Rules and loads (inside a transaction)

/// Contacts follow the account rule: agents change contacts only of accounts they own.
fn may_change(principal: &Principal, account: &AccountRow) -> Result<(), ApiError> {
    principal.require(Scope::AccountsWrite)?;
    if principal.role() == Some(Role::Agent) && account.owner_id.as_deref() != principal.user_id() {
        return Err(ApiError::forbidden(
            "not_account_owner",
            "agents may only change contacts of accounts they own",
        ));
    }
    Ok(())
}

fn load_account(
    conn: &mut DbConn,
    principal: &Principal,
    account_id: &str,
) -> Result<AccountRow, ApiError> {
    account_store::find(conn, &principal.workspace_id, account_id)?
        .ok_or_else(|| ApiError::not_found("no account with that id"))
}

fn load(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<ContactRow, ApiError> {
    store::find(conn, &principal.workspace_id, id)?
        .ok_or_else(|| ApiError::not_found("no contact with that id"))
}

/// Makes `keep` the account's only primary contact: the others lose the flag (a new version
/// and an audit entry each). Locks the account's contacts first, so two concurrent
/// "make primary" writes cannot both win.
fn unset_other_primaries(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    principal: &Principal,
    account_id: &str,
    keep: &str,
) -> Result<(), ApiError> {
    store::lock_account(conn, &principal.workspace_id, account_id)?;
    for other in store::other_primaries(conn, &principal.workspace_id, account_id, keep)? {
        let before = Contact::from(other.clone());
        let row = ContactRow {
            is_primary: false,
            version: other.version + 1,
            updated_at: now(),
            ..other.clone()
        };
        if store::update(conn, &row, other.version)? == 0 {
            return Err(ApiError::conflict(
                "concurrent_update",
                "another contact of this account changed concurrently; retry",
            ));
        }
        let after = Contact::from(row);
        cx.audit(
            "contact.update",
            "contact",
            Some(&after.id),
            Some(&before),
            Some(&after),
        )?;
        cx.emit(DomainEvent::ContactChanged {
            account_id: after.account_id.clone(),
            change: Change::updated(&before, &after),
            contact: data(&after)?,
        })?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Use cases

/// The account's live contacts in creation order, in keyset pages.
pub async fn list_for_account(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    query: ContactQuery,
) -> Result<Page<Contact>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let limit = page_limit(query.limit)?;
    let (p, id) = (principal.clone(), account_id.to_owned());
    state
        .db
        .run(move |conn| list_for_account_in(conn, &p, &id, query, limit))
        .await
}

/// A page of `limit` of the account's contacts read inside a connection closure (exports
/// page through it in their snapshot). 404 when the account is not live.
pub fn list_for_account_in(
    conn: &mut DbConn,
    principal: &Principal,
    account_id: &str,
    query: ContactQuery,
    limit: i64,
) -> Result<Page<Contact>, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let after = query
        .after
        .as_deref()
        .map(|a| Cursor::decode(a, "id"))
        .transpose()?
        .map(|c| c.id);
    let request = PageRequest { limit, after };
    load_account(conn, principal, account_id)?;
    let rows = store::list(
        conn,
        &principal.workspace_id,
        account_id,
        request.after.as_deref(),
        request.limit + 1,
    )?;
    Ok(Page::from_rows(
        rows,
        &request,
        |r| Cursor::new("id", String::new(), &r.id).encode(),
        Contact::from,
    ))
}

/// The live contacts of many accounts in one query (for GraphQL loaders), by account then
/// creation order. The caller has checked the principal may read accounts.
pub fn for_accounts(
    conn: &mut DbConn,
    workspace_id: &str,
    account_ids: &[String],
) -> Result<Vec<Contact>, ApiError> {
    Ok(store::for_accounts(conn, workspace_id, account_ids)?
        .into_iter()
        .map(Contact::from)
        .collect())
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    input: ContactInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<Contact>, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    let valid = validate(&input).map_err(ApiError::validation)?;
    let (principal, account_id) = (principal.clone(), account_id.to_owned());
    pipeline::write(
        state,
        &principal.clone(),
        idempotency,
        201,
        move |conn, cx| create_in_tx(conn, cx, &principal, &account_id, &valid),
    )
    .await
}

/// Validates a contact input (errors named by field).
pub fn validate_input(input: &ContactInput) -> Result<ValidContact, Vec<FieldError>> {
    validate(input)
}

/// Adds a contact to an organization account in the caller's transaction (the endpoint's
/// and import jobs' one path).
pub fn create_in_tx(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    principal: &Principal,
    account_id: &str,
    valid: &ValidContact,
) -> Result<Contact, ApiError> {
    let account = load_account(conn, principal, account_id)?;
    may_change(principal, &account)?;
    if account.kind != AccountKind::Organization.as_str() {
        return Err(ApiError::field(
            "account_id",
            "only organization accounts have contacts; this account is a person",
        ));
    }
    let at = now();
    let mut row = ContactRow {
        id: new_id(),
        workspace_id: principal.workspace_id.clone(),
        account_id: account.id.clone(),
        name: String::new(),
        title: None,
        email: None,
        phone: None,
        is_primary: false,
        version: 1,
        created_at: at,
        updated_at: at,
        deleted_at: None,
    };
    apply(&mut row, valid);
    if row.is_primary {
        unset_other_primaries(conn, cx, principal, &account.id, &row.id)?;
    }
    store::insert(conn, &row)?;
    let contact = Contact::from(row);
    cx.audit::<(), _>(
        "contact.create",
        "contact",
        Some(&contact.id),
        None,
        Some(&contact),
    )?;
    cx.emit(DomainEvent::ContactChanged {
        account_id: contact.account_id.clone(),
        change: Change::Created,
        contact: data(&contact)?,
    })?;
    Ok(contact)
}

pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<Contact, ApiError> {
    principal.require(Scope::AccountsRead)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    state
        .db
        .run(move |conn| Ok(load(conn, &principal, &id)?.into()))
        .await
}

/// Applies a JSON merge patch. `if_match` (a version) makes the write conditional.
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: &str,
    patch: Value,
    if_match: Option<i64>,
) -> Result<Contact, ApiError> {
    principal.require(Scope::AccountsWrite)?;
    versioning::require_patch_object(&patch)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        let stored = load(conn, &principal, &id)?;
        let account = load_account(conn, &principal, &stored.account_id)?;
        may_change(&principal, &account)?;
        versioning::check_version("contact", if_match, stored.version)?;
        let before = Contact::from(stored.clone());
        let input: ContactInput = versioning::merge_patch("a contact", &before.as_input(), &patch)?;
        let valid = validate(&input).map_err(ApiError::validation)?;
        let mut row = stored.clone();
        apply(&mut row, &valid);
        if row == stored {
            // Nothing changed: no new version, no audit entry.
            return Ok(before);
        }
        if row.is_primary && !stored.is_primary {
            unset_other_primaries(conn, cx, &principal, &stored.account_id, &stored.id)?;
        }
        row.version = stored.version + 1;
        row.updated_at = now();
        if store::update(conn, &row, stored.version)? == 0 {
            return Err(versioning::precondition_failed("contact"));
        }
        let after = Contact::from(row);
        cx.audit(
            "contact.update",
            "contact",
            Some(&after.id),
            Some(&before),
            Some(&after),
        )?;
        cx.emit(DomainEvent::ContactChanged {
            account_id: after.account_id.clone(),
            change: Change::updated(&before, &after),
            contact: data(&after)?,
        })?;
        Ok(after)
    })
    .await
}

/// Soft delete: the contact disappears from reads and lists; the audit log keeps it.
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
        let account = load_account(conn, &principal, &stored.account_id)?;
        may_change(&principal, &account)?;
        let before = Contact::from(stored.clone());
        let at = now();
        versioning::write_versioned("contact", if_match, stored.version, |version| {
            let deleted = ContactRow {
                version,
                updated_at: at,
                deleted_at: Some(at),
                ..stored.clone()
            };
            store::update(conn, &deleted, stored.version)
        })?;
        cx.audit::<_, ()>("contact.delete", "contact", Some(&id), Some(&before), None)?;
        cx.emit(DomainEvent::ContactChanged {
            account_id: stored.account_id.clone(),
            change: Change::Deleted,
            contact: data(&before)?,
        })?;
        Ok(())
    })
    .await
}
