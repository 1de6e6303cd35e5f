//! `rapport loyalty run-jobs`: points expiry and tier re-evaluation, once, for every workspace.

use anyhow::Context;
use chrono::{DateTime, Utc};
use rapport_persistence::connection::ConnectionManager;
use rapport_persistence::migrations;

#[derive(Debug, clap::Args)]
pub struct LoyaltyArgs {
    #[command(subcommand)]
    command: LoyaltyCommand,
}

#[derive(Debug, clap::Subcommand)]
enum LoyaltyCommand {
    /// Expire points past their date and re-evaluate tiers, then print what changed as
    /// JSON. Idempotent: running it twice changes nothing the second time.
    RunJobs {
        /// Run as of this instant (RFC 3339) instead of now, e.g. to catch up.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
    },
}

pub fn run(args: &LoyaltyArgs) -> anyhow::Result<()> {
    match &args.command {
        LoyaltyCommand::RunJobs { at } => {
            let config = super::setup()?;
            let mut conn = ConnectionManager::new(config.database_url.clone())
                .connect_once()
                .with_context(|| format!("cannot open {}", config.database_url.redacted()))?;
            migrations::run_pending(&mut conn)
                .map_err(|e| anyhow::anyhow!("migrations failed: {e}"))?;
            let at = at.map_or_else(rapport_api::service::now, rapport_api::service::stored);
            let report =
                rapport_api::service::loyalty::run_jobs(&mut conn, at).map_err(super::api_error)?;
            println!("{}", serde_json::to_string(&report)?);
            Ok(())
        }
    }
}
