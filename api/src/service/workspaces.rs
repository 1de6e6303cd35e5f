//! Workspaces: created by the operator (`rapport bootstrap`) with their first owner.

use rapport_domain::access::Role;
use rapport_domain::email::Email;
use rapport_persistence::users::{self, UserRow};
use rapport_persistence::workspaces::{self as store, WorkspaceRow};
use rapport_persistence::DbConn;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{password, Principal};
use crate::error::{ApiError, FieldError};
use crate::service::users::{check_name, check_password};
use crate::service::{new_id, now, pipeline, utc};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
pub struct Workspace {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize)]
pub struct Bootstrapped {
    pub workspace_id: String,
    pub user_id: String,
    pub email: String,
}

/// Creates a workspace and its owner in one transaction. Runs on a plain connection: the CLI
/// has no server around it.
pub fn bootstrap(
    conn: &mut DbConn,
    name: &str,
    email: &str,
    password_text: &str,
) -> Result<Bootstrapped, ApiError> {
    let mut errors = Vec::new();
    check_name("workspace", name, &mut errors);
    check_password("password", password_text, &mut errors);
    let email = Email::parse(email)
        .map_err(|e| {
            errors.push(FieldError {
                field: "email".into(),
                message: e.to_string(),
            })
        })
        .ok();
    let (Some(email), true) = (email, errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    let hash = password::hash(password_text).map_err(ApiError::internal)?;
    let created = now();
    let workspace = WorkspaceRow {
        id: new_id(),
        name: name.trim().to_owned(),
        created_at: created,
        updated_at: created,
    };
    let owner = UserRow {
        id: new_id(),
        workspace_id: workspace.id.clone(),
        email: email.to_string(),
        name: email
            .as_str()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_owned(),
        password_hash: hash,
        role: Role::Owner.as_str().to_owned(),
        disabled_at: None,
        failed_logins: 0,
        locked_until: None,
        last_login_at: None,
        version: 1,
        created_at: created,
        updated_at: created,
    };
    let system = Principal::system(&workspace.id);
    let (bootstrapped, committed) = pipeline::transact(conn, &system, |conn, cx| {
        store::insert(conn, &workspace)?;
        users::insert(conn, &owner).map_err(|e| match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => ApiError::conflict("email_taken", "a user with this e-mail already exists"),
            other => other.into(),
        })?;
        let shown = Workspace {
            id: workspace.id.clone(),
            name: workspace.name.clone(),
            created_at: utc(created),
        };
        cx.audit::<(), _>(
            "workspace.create",
            "workspace",
            Some(&workspace.id),
            None,
            Some(&shown),
        )?;
        Ok(Bootstrapped {
            workspace_id: workspace.id.clone(),
            user_id: owner.id.clone(),
            email: owner.email.clone(),
        })
    })?;
    // A new workspace has no cached views and emits no event: nothing to apply.
    drop(committed);
    Ok(bootstrapped)
}

pub async fn current(state: &AppState, principal: &Principal) -> Result<Workspace, ApiError> {
    let id = principal.workspace_id.clone();
    state
        .db
        .run(move |conn| {
            let row =
                store::find(conn, &id)?.ok_or_else(|| ApiError::not_found("no such workspace"))?;
            Ok(Workspace {
                id: row.id,
                name: row.name,
                created_at: utc(row.created_at),
            })
        })
        .await
}
