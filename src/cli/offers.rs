//! `rapport offers run-jobs`: vouchers past their validity expire and vouchers ending soon
//! are announced (`offer.expiring`), once, for every workspace, through the write pipeline.

use chrono::{DateTime, Utc};

#[derive(Debug, clap::Args)]
pub struct OffersArgs {
    #[command(subcommand)]
    command: OffersCommand,
}

#[derive(Debug, clap::Subcommand)]
enum OffersCommand {
    /// Expire vouchers past their validity and announce those ending within 3 days, then
    /// print what changed as JSON. Idempotent: running it twice changes nothing the second
    /// time.
    RunJobs {
        /// Run as of this instant (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
    },
}

pub fn run(args: &OffersArgs) -> anyhow::Result<()> {
    match &args.command {
        OffersCommand::RunJobs { at } => {
            let config = super::setup()?;
            let at = at.map_or_else(rapport_api::service::now, rapport_api::service::stored);
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async move {
                let state = rapport_api::startup::open_state(&config).await?;
                let report = rapport_api::service::offers::jobs::run_jobs_now(&state, at)
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
