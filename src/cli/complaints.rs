//! `rapport complaints run-jobs`: the complaint SLA job once, for every workspace, through
//! the write pipeline (`complaint.sla_breached` published once per breach).

use chrono::{DateTime, Utc};

#[derive(Debug, clap::Args)]
pub struct ComplaintsArgs {
    #[command(subcommand)]
    command: ComplaintsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ComplaintsCommand {
    /// Publish the breaches of complaints whose first response or resolution became overdue,
    /// then print the counts as JSON. Idempotent: a breach is published once.
    RunJobs {
        /// Run as of this instant (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
    },
}

pub fn run(args: &ComplaintsArgs) -> anyhow::Result<()> {
    match &args.command {
        ComplaintsCommand::RunJobs { at } => {
            let config = super::setup()?;
            let at = at.map_or_else(rapport_api::service::now, rapport_api::service::stored);
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(async move {
                let state = rapport_api::startup::open_state(&config).await?;
                let report = rapport_api::service::complaints::sla::run_jobs_now(&state, at)
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
