//! Command-line interface: one subcommand a file.

mod migrate;
mod serve;

use clap::{Parser, Subcommand};

/// Rapport: a headless CRM and Customer Value Management server.
///
/// Configuration comes from RAPPORT_* environment variables (or a TOML file named by
/// RAPPORT_CONFIG, or ./rapport.toml); with none set, Rapport uses ./rapport.db (SQLite) and
/// listens on 127.0.0.1:8080.
#[derive(Debug, Parser)]
#[command(name = "rapport", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run pending migrations, then serve the REST and GraphQL API until SIGINT/SIGTERM.
    Serve,
    /// Apply pending database migrations (or list them with --status) and exit.
    Migrate(migrate::MigrateArgs),
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve => serve::run(),
        Command::Migrate(args) => migrate::run(&args),
    }
}

/// Loads the configuration and installs logging, as every command starts.
fn setup() -> anyhow::Result<rapport_api::Config> {
    let config = rapport_api::Config::load()?;
    rapport_api::telemetry::init(&config.log, config.log_format);
    Ok(config)
}
