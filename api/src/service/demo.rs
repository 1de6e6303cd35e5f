//! `rapport demo`: a workspace with realistic data, built through the same services the API
//! uses. Each capability adds its part here.

use serde::Serialize;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::api_keys::{self, NewApiKey};
use crate::service::users::{self, NewUser};
use crate::service::workspaces;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct DemoSummary {
    pub workspace_id: String,
    pub owner_email: String,
    pub password: String,
    pub users: Vec<DemoUser>,
    /// A partner key with every read scope, to try the API without logging in.
    pub api_key: String,
    pub how_to_log_in: String,
}

#[derive(Debug, Serialize)]
pub struct DemoUser {
    pub email: String,
    pub role: String,
}

const TEAM: [(&str, &str, &str); 5] = [
    ("Amara Okafor", "amara", "admin"),
    ("Luis Fernández", "luis", "manager"),
    ("Mei Lin", "mei", "agent"),
    ("Jonas Berg", "jonas", "agent"),
    ("Priya Nair", "priya", "viewer"),
];

pub async fn create(
    state: &AppState,
    owner_email: &str,
    password: &str,
    base_url: &str,
) -> Result<DemoSummary, ApiError> {
    let (email, pass) = (owner_email.to_owned(), password.to_owned());
    let created = state
        .db
        .run(move |conn| workspaces::bootstrap(conn, "Demo Shop", &email, &pass))
        .await?;
    let system = Principal::system(&created.workspace_id);
    let domain = created
        .email
        .split('@')
        .nth(1)
        .unwrap_or("example.com")
        .to_owned();
    let mut team = Vec::new();
    for (name, local, role) in TEAM {
        let user = users::create(
            state,
            &system,
            NewUser {
                email: format!("{local}@{domain}"),
                name: name.to_owned(),
                password: password.to_owned(),
                role: role.to_owned(),
            },
        )
        .await?;
        team.push(DemoUser {
            email: user.email,
            role: user.role,
        });
    }
    let key = api_keys::create(
        state,
        &system,
        NewApiKey {
            name: "Demo read-only partner".into(),
            scopes: [
                "accounts:read",
                "orders:read",
                "deals:read",
                "loyalty:read",
                "analytics:read",
            ]
            .map(str::to_owned)
            .to_vec(),
            expires_at: None,
            rate_limit_per_minute: None,
        },
    )
    .await?;
    let how_to_log_in = format!(
        "curl -s -X POST {base_url}/v1/auth/token -H 'content-type: application/json' \
         -d '{{\"email\":\"{}\",\"password\":\"{password}\"}}'",
        created.email
    );
    Ok(DemoSummary {
        workspace_id: created.workspace_id,
        owner_email: created.email,
        password: password.to_owned(),
        users: team,
        api_key: key.secret,
        how_to_log_in,
    })
}
