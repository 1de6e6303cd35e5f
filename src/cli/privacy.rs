//! `rapport privacy run-jobs`: the retention job: soft-deleted accounts past their
//! workspace's `soft_deleted_days` are erased, through the write pipeline.

use chrono::{DateTime, Utc};

#[derive(Debug, clap::Args)]
pub struct PrivacyArgs {
    #[command(subcommand)]
    command: PrivacyCommand,
}

#[derive(Debug, clap::Subcommand)]
enum PrivacyCommand {
    /// Erase the soft-deleted accounts past their workspace's retention period, then print
    /// how many as JSON. Idempotent: running it twice changes nothing the second time.
    RunJobs {
        /// Run as of this instant (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
    },
}

pub fn run(args: &PrivacyArgs) -> anyhow::Result<()> {
    match &args.command {
        PrivacyCommand::RunJobs { at } => {
            let config = super::setup()?;
            let at = at.map_or_else(rapport_api::service::now, rapport_api::service::stored);
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async move {
                let state = rapport_api::startup::open_state(&config).await?;
                let report = rapport_api::service::privacy::run_retention_now(&state, at)
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
