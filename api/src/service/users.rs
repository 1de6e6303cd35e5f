//! Users of a workspace: created and managed by admins; everyone may rename themselves and
//! change their own password.

use rapport_domain::access::{Role, Scope};
use rapport_domain::email::Email;
use rapport_persistence::refresh_tokens;
use rapport_persistence::users::{self as store, UserChanges, UserRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{password, Principal};
use crate::error::{ApiError, FieldError};
use crate::service::events::domain::{data, Change, DomainEvent};
use crate::service::{new_id, now, pipeline, utc, Page, PageRequest};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct User {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    #[graphql(
        skip,
        derived(name = "workspace_id", into = "async_graphql::ID", owned)
    )]
    pub workspace_id: String,
    pub email: String,
    pub name: String,
    /// `owner`, `admin`, `manager`, `agent` or `viewer`.
    pub role: String,
    pub disabled: bool,
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        Self {
            id: row.id,
            workspace_id: row.workspace_id,
            email: row.email,
            name: row.name,
            role: row.role,
            disabled: row.disabled_at.is_some(),
            last_login_at: row.last_login_at.map(utc),
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[schema(example = "ada@example.com")]
    pub email: String,
    pub name: String,
    /// 10 to 256 characters.
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
    #[schema(schema_with = crate::openapi::names::role, example = "agent")]
    pub role: String,
}

#[derive(Debug, Default, Deserialize, ToSchema, async_graphql::InputObject)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub name: Option<String>,
    #[schema(schema_with = crate::openapi::names::role_or_null)]
    pub role: Option<String>,
    pub password: Option<String>,
    /// Disabling revokes the user's sessions at once.
    pub disabled: Option<bool>,
}

pub const MIN_PASSWORD: usize = 10;
const MAX_PASSWORD: usize = 256;

pub fn check_password(field: &str, password: &str, errors: &mut Vec<FieldError>) {
    let len = password.chars().count();
    if !(MIN_PASSWORD..=MAX_PASSWORD).contains(&len) {
        errors.push(FieldError {
            field: field.into(),
            message: format!("must be {MIN_PASSWORD} to {MAX_PASSWORD} characters"),
        });
    }
}

pub fn check_name(field: &str, name: &str, errors: &mut Vec<FieldError>) {
    if name.trim().is_empty() || name.chars().count() > 200 {
        errors.push(FieldError {
            field: field.into(),
            message: "must be 1 to 200 characters".into(),
        });
    }
}

fn parse_role(field: &str, role: &str, errors: &mut Vec<FieldError>) -> Option<Role> {
    let parsed = role.parse::<Role>().ok();
    if parsed.is_none() {
        errors.push(FieldError {
            field: field.into(),
            message: "must be one of owner, admin, manager, agent, viewer".into(),
        });
    }
    parsed
}

/// Whether `principal` may hand out `role`: users by their role, API keys with `admin` all
/// but owner.
fn may_grant(principal: &Principal, role: Role) -> bool {
    match principal.role() {
        Some(own) => own.may_grant(role),
        None => role != Role::Owner,
    }
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: NewUser,
) -> Result<User, ApiError> {
    principal.require(Scope::Admin)?;
    let mut errors = Vec::new();
    let email = Email::parse(&input.email)
        .map_err(|e| {
            errors.push(FieldError {
                field: "email".into(),
                message: e.to_string(),
            })
        })
        .ok();
    check_name("name", &input.name, &mut errors);
    check_password("password", &input.password, &mut errors);
    let role = parse_role("role", &input.role, &mut errors);
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    if !may_grant(principal, role) {
        return Err(ApiError::forbidden(
            "role_not_grantable",
            format!("you may not create a user with role {role}"),
        ));
    }
    let password = input.password;
    let hash = actix_web::web::block(move || password::hash(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let created = now();
    let row = UserRow {
        id: new_id(),
        workspace_id: principal.workspace_id.clone(),
        email: email.to_string(),
        name: input.name.trim().to_owned(),
        password_hash: hash,
        role: role.as_str().to_owned(),
        disabled_at: None,
        failed_logins: 0,
        locked_until: None,
        last_login_at: None,
        version: 1,
        created_at: created,
        updated_at: created,
    };
    let principal = principal.clone();
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        store::insert(conn, &row).map_err(|e| match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => ApiError::conflict("email_taken", "a user with this e-mail already exists"),
            other => other.into(),
        })?;
        let user = User::from(row.clone());
        cx.audit::<(), _>("user.create", "user", Some(&user.id), None, Some(&user))?;
        cx.emit(DomainEvent::UserChanged {
            change: Change::Created,
            user: data(&user)?,
        })?;
        Ok(user)
    })
    .await
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    page: PageRequest,
) -> Result<Page<User>, ApiError> {
    principal.require(Scope::Admin)?;
    let workspace = principal.workspace_id.clone();
    let request = page.clone();
    let rows = state
        .db
        .run(move |conn| {
            Ok(store::list(
                conn,
                &workspace,
                request.after.as_deref(),
                request.limit + 1,
            )?)
        })
        .await?;
    Ok(Page::from_rows(rows, &page, |r| r.id.clone(), User::from))
}

/// Admins see everyone; others only themselves (anyone else is a 404, not a 403).
pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<User, ApiError> {
    if !principal.scopes.allows(Scope::Admin) && principal.user_id() != Some(id) {
        return Err(ApiError::not_found("no user with that id"));
    }
    let (workspace, id) = (principal.workspace_id.clone(), id.to_owned());
    state
        .db
        .run(move |conn| {
            store::find(conn, &workspace, &id)?
                .map(User::from)
                .ok_or_else(|| ApiError::not_found("no user with that id"))
        })
        .await
}

pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: &str,
    patch: UserPatch,
) -> Result<User, ApiError> {
    let is_self = principal.user_id() == Some(id);
    let is_admin = principal.scopes.allows(Scope::Admin);
    if !is_admin && !is_self {
        return Err(ApiError::not_found("no user with that id"));
    }
    let mut errors = Vec::new();
    if let Some(name) = &patch.name {
        check_name("name", name, &mut errors);
    }
    if let Some(password) = &patch.password {
        check_password("password", password, &mut errors);
    }
    let role = patch
        .role
        .as_deref()
        .and_then(|r| parse_role("role", r, &mut errors));
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    if !is_admin && (patch.role.is_some() || patch.disabled.is_some()) {
        return Err(ApiError::forbidden(
            "insufficient_scope",
            "changing a role or disabling a user needs the `admin` scope",
        ));
    }
    if is_self
        && (patch.disabled == Some(true) || role.is_some_and(|r| Some(r) != principal.role()))
    {
        return Err(ApiError::conflict(
            "cannot_change_own_access",
            "ask another admin to change your own role or disable you",
        ));
    }
    let password_hash = match patch.password {
        Some(password) => Some(
            actix_web::web::block(move || password::hash(&password))
                .await
                .map_err(ApiError::internal)?
                .map_err(ApiError::internal)?,
        ),
        None => None,
    };
    let principal = principal.clone();
    let id = id.to_owned();
    let updated = pipeline::run(state, &principal.clone(), move |conn, cx| {
        let workspace = principal.workspace_id.clone();
        let before = store::find(conn, &workspace, &id)?
            .ok_or_else(|| ApiError::not_found("no user with that id"))?;
        let before_role: Role = before.role.parse().map_err(ApiError::internal)?;
        // Nobody touches a user above their own station (an admin vs an owner).
        let touches_access = role.is_some() || patch.disabled.is_some() || password_hash.is_some();
        if !is_self && touches_access && !may_grant(&principal, before_role) {
            return Err(ApiError::forbidden(
                "role_not_grantable",
                "you may not change a user of a higher role",
            ));
        }
        if let Some(role) = role {
            if !may_grant(&principal, role) {
                return Err(ApiError::forbidden(
                    "role_not_grantable",
                    format!("you may not grant role {role}"),
                ));
            }
        }
        let current = now();
        let disabling = patch.disabled == Some(true) && before.disabled_at.is_none();
        let loses_owner =
            before_role == Role::Owner && (disabling || role.is_some_and(|r| r != Role::Owner));
        if loses_owner && store::count_active_owners(conn, &workspace)? <= 1 {
            return Err(ApiError::conflict(
                "last_owner",
                "a workspace keeps at least one active owner",
            ));
        }
        let changes = UserChanges {
            name: patch.name.as_ref().map(|n| n.trim().to_owned()),
            role: role.map(|r| r.as_str().to_owned()),
            password_hash: password_hash.clone(),
            disabled_at: patch.disabled.map(|d| {
                if d {
                    before.disabled_at.or(Some(current))
                } else {
                    None
                }
            }),
        };
        store::update(conn, &workspace, &id, &changes, current)?;
        if disabling || password_hash.is_some() {
            refresh_tokens::revoke_for_user(
                conn,
                &id,
                current,
                refresh_tokens::Revocation::UserChanged,
            )?;
        }
        let after = store::find(conn, &workspace, &id)?
            .ok_or_else(|| ApiError::not_found("no user with that id"))?;
        let (before, after) = (User::from(before), User::from(after));
        cx.audit(
            "user.update",
            "user",
            Some(&id),
            Some(&before),
            Some(&after),
        )?;
        cx.emit(DomainEvent::UserChanged {
            change: Change::updated(&before, &after),
            user: data(&after)?,
        })?;
        Ok(after)
    })
    .await?;
    // A changed role or a disabled user must not live on in cached credentials.
    state.auth_cache.clear();
    Ok(updated)
}
