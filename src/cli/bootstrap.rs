//! `rapport bootstrap`: create a workspace and its owner.

use anyhow::Context;
use rapport_persistence::connection::ConnectionManager;
use rapport_persistence::migrations;

#[derive(Debug, clap::Args)]
pub struct BootstrapArgs {
    /// The workspace's name.
    #[arg(long)]
    workspace: String,
    /// The owner's e-mail, used to log in.
    #[arg(long)]
    email: String,
    /// The owner's password (at least 10 characters).
    #[arg(long, env = "RAPPORT_BOOTSTRAP_PASSWORD", hide_env_values = true)]
    password: String,
}

/// Prints `{"workspace_id", "user_id", "email"}`.
pub fn run(args: &BootstrapArgs) -> anyhow::Result<()> {
    let config = super::setup()?;
    let mut conn = ConnectionManager::new(config.database_url.clone())
        .connect_once()
        .with_context(|| format!("cannot open {}", config.database_url.redacted()))?;
    migrations::run_pending(&mut conn).map_err(|e| anyhow::anyhow!("migrations failed: {e}"))?;
    let created = rapport_api::service::workspaces::bootstrap(
        &mut conn,
        &args.workspace,
        &args.email,
        &args.password,
    )
    .map_err(super::api_error)?;
    println!("{}", serde_json::to_string(&created)?);
    Ok(())
}
