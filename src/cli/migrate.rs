//! `rapport migrate`: apply pending migrations without starting the server.

use anyhow::Context;
use rapport_persistence::connection::ConnectionManager;
use rapport_persistence::migrations;

#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    /// Only list the pending migrations.
    #[arg(long)]
    status: bool,
}

pub fn run(args: &MigrateArgs) -> anyhow::Result<()> {
    let config = super::setup()?;
    let mut conn = ConnectionManager::new(config.database_url.clone())
        .connect_once()
        .with_context(|| format!("cannot open {}", config.database_url.redacted()))?;
    let names = if args.status {
        migrations::pending(&mut conn)
    } else {
        migrations::run_pending(&mut conn)
    }
    .map_err(|e| anyhow::anyhow!("migrations failed: {e}"))?;
    let verb = if args.status { "pending" } else { "applied" };
    println!("{}", serde_json::json!({ verb: names }));
    Ok(())
}
