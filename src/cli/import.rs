//! `rapport import FILE --type accounts|orders|contacts|interactions|feedback --workspace ID`: the import job of
//! `POST /v1/imports`, run in this process with a progress bar (the same chunks, batches,
//! checkpoints and error report; a job this process does not finish is resumed by any
//! `rapport serve`).

use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rapport_api::service::imports::{self, ImportRequest, Step};

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The file: CSV with a header line, or NDJSON (`.ndjson`, `.jsonl`, or `--format ndjson`).
    file: PathBuf,
    /// What the rows are.
    #[arg(
        long = "type",
        value_name = "accounts|orders|contacts|interactions|feedback"
    )]
    import_type: String,
    /// The workspace to import into.
    #[arg(long, value_name = "ID")]
    workspace: String,
    /// Validate and report what would happen; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// File header -> field, as a JSON object: '{"Order ref": "external_id"}'.
    #[arg(long, value_name = "JSON")]
    mapping: Option<String>,
    /// `csv` or `ndjson` (default: from the file's extension, else csv).
    #[arg(long, value_name = "csv|ndjson")]
    format: Option<String>,
}

pub fn run(args: &ImportArgs) -> anyhow::Result<()> {
    let config = super::setup()?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let state = rapport_api::startup::open_state(&config).await?;
        let workspace = super::workspaces_named(&state, &args.workspace)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| anyhow::anyhow!("no workspace {}", args.workspace))?;
        let ndjson = match args.format.as_deref() {
            Some("ndjson") => true,
            Some("csv") | None => args
                .file
                .extension()
                .is_some_and(|e| e == "ndjson" || e == "jsonl"),
            Some(other) => anyhow::bail!("--format must be csv or ndjson, not {other}"),
        };
        let request = ImportRequest {
            import_type: args.import_type.clone(),
            content_type: Some(
                if ndjson {
                    "application/x-ndjson"
                } else {
                    "text/csv"
                }
                .into(),
            ),
            mapping: args.mapping.clone(),
            dry_run: args.dry_run,
            idempotency: None,
        };
        let principal = rapport_api::auth::Principal::system(&workspace);
        let fail = |e: rapport_api::error::ApiError| {
            let fields: Vec<String> = e
                .errors
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect();
            if fields.is_empty() {
                anyhow::anyhow!("{}", e.detail)
            } else {
                anyhow::anyhow!("{} ({})", e.detail, fields.join("; "))
            }
        };
        let job = imports::create_from_file(&state, &principal, request, &args.file)
            .await
            .map_err(fail)?;
        let holder = format!("cli-{}", job.id);
        if !imports::claim(&state, &job.id, &holder)
            .await
            .map_err(fail)?
        {
            anyhow::bail!("job {} was taken by a running server's worker", job.id);
        }
        let size = u64::try_from(job.bytes_total).unwrap_or(0);
        let bar = ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {percent:>3}% {msg} (eta {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        let step = imports::run_job(&state, &job.id, &holder, |job| {
            bar.set_position(u64::try_from(job.bytes_processed).unwrap_or(0));
            bar.set_message(format!(
                "{} rows, {} failed, {:.0} rows/s",
                job.rows_read,
                job.rows_failed,
                job.rows_per_second.unwrap_or(0.0)
            ));
        })
        .await
        .map_err(fail)?;
        bar.finish_and_clear();
        rapport_api::service::pipeline::finish_command(&state)
            .await
            .map_err(fail)?;
        let done = imports::get(&state, &principal, &job.id)
            .await
            .map_err(fail)?;
        println!("{}", serde_json::to_string(&done)?);
        match (step, done.status.as_str()) {
            (_, "succeeded") => Ok(()),
            (Step::Lost, _) => anyhow::bail!("job {} was cancelled or taken over", job.id),
            _ => anyhow::bail!(
                "import {}: {}",
                done.status,
                done.error.map(|e| e.message).unwrap_or_default()
            ),
        }
    })
}
