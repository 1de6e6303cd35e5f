//! `rapport export --type accounts --format csv --workspace ID [--output FILE] [--filter K=V]`:
//! the export job of `POST /v1/exports`, run in this process (the same snapshot, chunks
//! and audit), its file then written to `--output` (or stdout). Prints the finished job as
//! JSON on stderr when writing to stdout, else on stdout.

use std::io::Write;
use std::path::PathBuf;

use rapport_api::service::exports::{self, ExportInput, Step};
use serde_json::{Map, Value};

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// What to export.
    #[arg(
        long = "type",
        value_name = "accounts|contacts|orders|interactions|ledger|feedback"
    )]
    export_type: String,
    /// The file's format.
    #[arg(long, value_name = "csv|ndjson", default_value = "csv")]
    format: String,
    /// The workspace to export from.
    #[arg(long, value_name = "ID")]
    workspace: String,
    /// Where to write the file (default: stdout).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// A filter of the type's list, repeatable: `--filter segment_id=… --filter kind=person`
    /// (`true`/`false` are booleans).
    #[arg(long = "filter", value_name = "KEY=VALUE")]
    filter: Vec<String>,
    /// The filters as one JSON object (merged under the `--filter` ones).
    #[arg(long, value_name = "JSON")]
    filters: Option<String>,
}

fn filters_of(args: &ExportArgs) -> anyhow::Result<Map<String, Value>> {
    let mut filters = match &args.filters {
        Some(text) => match serde_json::from_str(text)? {
            Value::Object(o) => o,
            _ => anyhow::bail!("--filters must be a JSON object"),
        },
        None => Map::new(),
    };
    for pair in &args.filter {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("--filter takes KEY=VALUE, not {pair}"))?;
        let value = match value {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            other => Value::String(other.to_owned()),
        };
        filters.insert(key.trim().to_owned(), value);
    }
    Ok(filters)
}

pub fn run(args: &ExportArgs) -> anyhow::Result<()> {
    let config = super::setup()?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let state = rapport_api::startup::open_state(&config).await?;
        let workspace = super::workspaces_named(&state, &args.workspace)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| anyhow::anyhow!("no workspace {}", args.workspace))?;
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
        let input = ExportInput {
            export_type: Some(args.export_type.clone()),
            format: Some(args.format.clone()),
            filters: Some(Value::Object(filters_of(args)?)),
        };
        let job = match exports::create(&state, &principal, input, None)
            .await
            .map_err(fail)?
        {
            rapport_api::service::idempotency::Outcome::Fresh(job) => job,
            rapport_api::service::idempotency::Outcome::Replay { .. } => {
                anyhow::bail!("unexpected replay")
            }
        };
        let holder = format!("cli-{}", job.id);
        if !exports::claim(&state, &job.id, &holder)
            .await
            .map_err(fail)?
        {
            anyhow::bail!("job {} was taken by a running server's worker", job.id);
        }
        let step = exports::run_job(&state, &job.id, &holder)
            .await
            .map_err(fail)?;
        rapport_api::service::pipeline::finish_command(&state)
            .await
            .map_err(fail)?;
        let done = exports::get(&state, &principal, &job.id)
            .await
            .map_err(fail)?;
        if step == Step::Lost || done.status != "succeeded" {
            eprintln!("{}", serde_json::to_string(&done)?);
            anyhow::bail!(
                "export {}: {}",
                done.status,
                done.error.map(|e| e.message).unwrap_or_default()
            );
        }
        match &args.output {
            Some(path) => {
                let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
                exports::write_file(&state, &principal, &job.id, &mut file)
                    .await
                    .map_err(fail)?;
                file.flush()?;
                println!("{}", serde_json::to_string(&done)?);
            }
            None => {
                let stdout = std::io::stdout();
                let mut out = stdout.lock();
                exports::write_file(&state, &principal, &job.id, &mut out)
                    .await
                    .map_err(fail)?;
                eprintln!("{}", serde_json::to_string(&done)?);
            }
        }
        Ok(())
    })
}
