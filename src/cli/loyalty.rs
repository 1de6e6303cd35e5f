//! `rapport loyalty run-jobs`: points expiry, expiry notices and tier re-evaluation, once,
//! for every workspace, through the write pipeline (audited, published, and the cached
//! profiles of the members it changed invalidated, in Redis too).

use chrono::{DateTime, Utc};

#[derive(Debug, clap::Args)]
pub struct LoyaltyArgs {
    #[command(subcommand)]
    command: LoyaltyCommand,
}

#[derive(Debug, clap::Subcommand)]
enum LoyaltyCommand {
    /// Expire points past their date, announce points expiring within 30 days and
    /// re-evaluate tiers, then print what changed as JSON. Idempotent: running it twice
    /// changes nothing the second time.
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
            let at = at.map_or_else(rapport_api::service::now, rapport_api::service::stored);
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async move {
                let state = rapport_api::startup::open_state(&config).await?;
                let report = rapport_api::service::loyalty::run_jobs_now(&state, at)
                    .await
                    .map_err(super::api_error)?;
                rapport_api::service::pipeline::finish_command(&state)
                    .await
                    .map_err(super::api_error)?;
                println!("{}", serde_json::to_string(&report)?);
                Ok(())
            })
        }
    }
}
