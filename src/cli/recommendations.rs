//! `rapport recommendations refresh`: rebuild the product co-occurrence of one workspace or
//! all, through the write pipeline (audited, `recommendations.refreshed` published).

#[derive(Debug, clap::Args)]
pub struct RecommendationsArgs {
    #[command(subcommand)]
    command: RecommendationsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum RecommendationsCommand {
    /// Rebuild the item-to-item co-occurrence from every order's line items; prints one JSON
    /// line per workspace: {"workspace_id", "refresh": {customers, lines, items, pairs, ...}}.
    Refresh {
        /// A workspace id, or `all`.
        #[arg(long, value_name = "ID|all")]
        workspace: String,
    },
}

pub fn run(args: &RecommendationsArgs) -> anyhow::Result<()> {
    let RecommendationsCommand::Refresh { workspace } = &args.command;
    let config = super::setup()?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let state = rapport_api::startup::open_state(&config).await?;
        for ws in super::workspaces_named(&state, workspace).await? {
            let system = rapport_api::auth::Principal::system(&ws);
            let (refresh, committed) = state
                .db
                .run(move |conn| {
                    rapport_api::service::recommendations::refresh_workspace(conn, &system)
                })
                .await
                .map_err(|e| anyhow::anyhow!("workspace {ws}: {}", e.detail))?;
            rapport_api::service::pipeline::apply(&state, committed).await;
            println!(
                "{}",
                serde_json::json!({"workspace_id": ws, "refresh": refresh})
            );
        }
        rapport_api::service::pipeline::finish_command(&state)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
        Ok(())
    })
}
