//! Command-line interface: one subcommand a file.

mod backtest;
mod bootstrap;
mod complaints;
mod demo;
mod export;
mod import;
mod loyalty;
mod migrate;
mod models;
mod offers;
mod privacy;
mod recommendations;
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
    /// Create a workspace and its owner; prints {"workspace_id","user_id","email"}.
    Bootstrap(bootstrap::BootstrapArgs),
    /// Create a demo workspace with a team and realistic data, and print how to log in.
    Demo(demo::DemoArgs),
    /// Fit BG/NBD and Gamma-Gamma on an RFM summary CSV and score customers (no configuration needed).
    Models(models::ModelsArgs),
    /// Loyalty points operations (`run-jobs`: expiry and tier re-evaluation).
    Loyalty(loyalty::LoyaltyArgs),
    /// Product recommendations (`refresh`: rebuild the co-occurrence from order lines).
    Recommendations(recommendations::RecommendationsArgs),
    /// Complaint operations (`run-jobs`: publish SLA breaches).
    Complaints(complaints::ComplaintsArgs),
    /// Import a CSV or NDJSON file of accounts, orders, contacts, interactions or survey
    /// responses (feedback) as an import job, with a progress bar; prints the finished job as
    /// JSON (non-zero exit when it failed).
    Import(import::ImportArgs),
    /// Export accounts (with value metrics), contacts, orders, interactions, the loyalty
    /// ledger or feedback as CSV or NDJSON, filtered as their list, to a file.
    Export(export::ExportArgs),
    /// Offers operations (`run-jobs`: voucher expiry and `offer.expiring` notices).
    Offers(offers::OffersArgs),
    /// Privacy operations (`run-jobs`: erase soft-deleted accounts past the retention period).
    Privacy(privacy::PrivacyArgs),
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve => serve::run(),
        Command::Migrate(args) => migrate::run(&args),
        Command::Bootstrap(args) => bootstrap::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Models(args) => models::run(&args),
        Command::Loyalty(args) => loyalty::run(&args),
        Command::Recommendations(args) => recommendations::run(&args),
        Command::Complaints(args) => complaints::run(&args),
        Command::Offers(args) => offers::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Privacy(args) => privacy::run(&args),
    }
}

/// The workspaces a `--workspace ID|all` option names: every one, or the one that exists.
async fn workspaces_named(
    state: &rapport_api::state::AppState,
    target: &str,
) -> anyhow::Result<Vec<String>> {
    if target == "all" {
        return state
            .db
            .run(|conn| Ok(rapport_persistence::workspaces::all_ids(conn)?))
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.detail));
    }
    let id = target.to_owned();
    let found = state
        .db
        .run(move |conn| Ok(rapport_persistence::workspaces::find(conn, &id)?))
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
    anyhow::ensure!(found.is_some(), "no workspace with id {target}");
    Ok(vec![target.to_owned()])
}

/// Loads the configuration and installs logging, as every command starts.
fn setup() -> anyhow::Result<rapport_api::Config> {
    let config = rapport_api::Config::load()?;
    rapport_api::telemetry::init(&config.log, config.log_format);
    Ok(config)
}

/// A service error as one line: the field errors when validation failed, else the detail.
fn api_error(err: rapport_api::error::ApiError) -> anyhow::Error {
    if err.errors.is_empty() {
        anyhow::anyhow!("{} ({})", err.detail, err.code)
    } else {
        let fields: Vec<String> = err
            .errors
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect();
        anyhow::anyhow!("{}", fields.join("; "))
    }
}
