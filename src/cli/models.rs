//! `rapport models`: fit BG/NBD and Gamma-Gamma on an RFM summary file, optionally score every customer.
//!
//! Needs no configuration and no database: a CSV in, one JSON object on stdout
//! (and, with `--predict`, a CSV of per-customer scores).

use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rapport_domain::models::mbgnbd::{self, MbgNbdParams};
use rapport_domain::models::pareto_nbd::{self, ParetoNbdParams};
use rapport_domain::models::{
    bgnbd, clv, spend, BgNbdParams, CustomerSummary, FitOptions, FitReport, GammaGammaParams,
    ModelError, SpendFit, TimeUnit,
};
use serde::Serialize;

#[derive(Debug, clap::Args)]
pub struct ModelsArgs {
    #[command(subcommand)]
    command: ModelsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ModelsCommand {
    /// Fit BG/NBD (purchases, churn) and Gamma-Gamma (spend) on an RFM summary CSV and print
    /// both fits as one JSON object; with --predict, also write per-customer P(alive),
    /// expected purchases, expected spend and CLV.
    ///
    /// The CSV has the header customer_id,frequency,recency,T,monetary_value (any column
    /// order, extra columns ignored): frequency = repeat purchases, recency = time of the last
    /// repeat purchase since the first one (0 without repeat purchases), T = age (time since
    /// the first purchase), monetary_value = mean value of the repeat purchases (ignored when
    /// frequency is 0), the conventions of the Python `lifetimes` library.
    Fit(FitArgs),
    /// Backtest the purchase models on a transaction file: fit on the purchases up to
    /// --cutoff, predict each customer's purchases and spend over --horizon-days after it,
    /// compare with what happened (the measures of `POST /v1/models/churn/backtest`, one
    /// JSON object on stdout). Time in days; a purchase is a customer's purchase day.
    Backtest(super::backtest::BacktestArgs),
}

#[derive(Debug, clap::Args)]
struct FitArgs {
    /// RFM summary CSV (customer_id,frequency,recency,T,monetary_value).
    #[arg(
        long,
        value_name = "FILE.csv",
        required_unless_present = "workspace",
        conflicts_with = "workspace"
    )]
    summary: Option<PathBuf>,

    /// Instead of a file: refit the stored model of this workspace (an id, or `all`) from
    /// its live account metrics, as `POST /v1/models/churn/fit` does, and print the new
    /// model version(s). Uses RAPPORT_DATABASE_URL (and RAPPORT_REDIS_URL to invalidate
    /// cached profiles).
    #[arg(long, value_name = "ID|all")]
    workspace: Option<String>,

    /// With --workspace: end of the observation window (RFC 3339, default now).
    #[arg(long, value_name = "INSTANT", requires = "workspace")]
    as_of: Option<chrono::DateTime<chrono::Utc>>,

    /// Purchase model(s) to fit: bg-nbd (default), mbg-nbd (lets customers without repeat
    /// purchases churn), pareto-nbd, or auto (all three, printed under `bgnbd`, `mbgnbd`,
    /// `pareto_nbd`; `selected` names the one with the highest log-likelihood, a fair
    /// comparison as each has four parameters). --predict scores with BG/NBD.
    #[arg(long, value_enum, default_value_t = PurchaseModel::BgNbd)]
    model: PurchaseModel,

    /// Time unit of recency and T (and of --horizon).
    #[arg(long, value_enum, default_value_t = Unit::Days)]
    time_unit: Unit,

    /// L2 penalty on the parameters of both models (`lifetimes` convention, added to the
    /// negative mean log-likelihood); 0 = plain maximum likelihood.
    #[arg(long, value_name = "X", default_value_t = 0.0, allow_negative_numbers = true,
        value_parser = non_negative)]
    penalizer: f64,

    /// Write per-customer scores to this CSV:
    /// customer_id,p_alive,expected_purchases,expected_spend,clv.
    #[arg(long, value_name = "OUT.csv")]
    predict: Option<PathBuf>,

    /// Horizon of expected_purchases, in --time-unit units [default: one year, 365 days or
    /// 52 weeks]. Requires --predict.
    #[arg(long, value_name = "T", requires = "predict", allow_negative_numbers = true,
        value_parser = non_negative)]
    horizon: Option<f64>,

    /// Months of purchases summed into the CLV (a month is 30.415 days = 4.345 weeks).
    /// Requires --predict.
    #[arg(long, value_name = "H", default_value_t = 12, requires = "predict")]
    months: u32,

    /// Monthly discount rate of the CLV (0.01 = 1% a month). Requires --predict.
    #[arg(long, value_name = "D", default_value_t = 0.01, requires = "predict", allow_negative_numbers = true,
        value_parser = non_negative)]
    discount: f64,

    /// Profit margin applied to spend in the CLV (1.0 = CLV in revenue). Requires --predict.
    #[arg(long, value_name = "M", default_value_t = 1.0, requires = "predict", allow_negative_numbers = true,
        value_parser = non_negative)]
    margin: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum PurchaseModel {
    BgNbd,
    MbgNbd,
    ParetoNbd,
    Auto,
}

impl PurchaseModel {
    fn wants(self, one: PurchaseModel) -> bool {
        self == one || self == Self::Auto
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Unit {
    Days,
    Weeks,
}

impl Unit {
    fn model(self) -> TimeUnit {
        match self {
            Self::Days => TimeUnit::Days,
            Self::Weeks => TimeUnit::Weeks,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Days => "days",
            Self::Weeks => "weeks",
        }
    }

    /// Default horizon of expected purchases: a year.
    fn year(self) -> f64 {
        match self {
            Self::Days => 365.0,
            Self::Weeks => 52.0,
        }
    }
}

fn non_negative(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        Ok(_) => Err("must be a finite number >= 0".to_owned()),
        Err(e) => Err(e.to_string()),
    }
}

/// `--workspace`: refits stored models from live metrics, one JSON line per workspace.
fn run_platform_fit(args: &FitArgs) -> anyhow::Result<()> {
    let config = super::setup()?;
    let target = args.workspace.clone().unwrap_or_default();
    let as_of = args
        .as_of
        .map(rapport_api::service::stored)
        .unwrap_or_else(rapport_api::service::now);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let state = rapport_api::startup::open_state(&config).await?;
        let workspaces = super::workspaces_named(&state, &target).await?;
        for ws in workspaces {
            let system = rapport_api::auth::Principal::system(&ws);
            let (model, committed) = state
                .db
                .run(move |conn| rapport_api::service::models::fit_workspace(conn, &system, as_of))
                .await
                .map_err(|e| anyhow::anyhow!("workspace {ws}: {}", e.detail))?;
            rapport_api::service::pipeline::apply(&state, committed).await;
            println!(
                "{}",
                serde_json::json!({"workspace_id": ws, "model": model})
            );
        }
        rapport_api::service::pipeline::finish_command(&state)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
        Ok(())
    })
}

pub fn run(args: &ModelsArgs) -> anyhow::Result<()> {
    match &args.command {
        ModelsCommand::Fit(fit) => run_fit(fit),
        ModelsCommand::Backtest(b) => super::backtest::run(b),
    }
}

/// Header columns, in the usual order.
const COLUMNS: [&str; 5] = ["customer_id", "frequency", "recency", "T", "monetary_value"];
/// Progress bars appear (on a terminal) above this input size or customer count.
const LARGE_FILE_BYTES: u64 = 8 << 20;
const LARGE_CUSTOMERS: usize = 200_000;
/// Customers scored and written per step (and progress update).
const SCORE_CHUNK: usize = 1 << 16;
/// Records read between progress updates.
const READ_TICK: usize = 1 << 14;

fn run_fit(args: &FitArgs) -> anyhow::Result<()> {
    let (Some(path), None) = (&args.summary, &args.workspace) else {
        return run_platform_fit(args);
    };
    let started = Instant::now();
    let show_progress = std::io::stderr().is_terminal();

    if let Some(out) = &args.predict {
        check_output(out, path)?;
    }

    let t = Instant::now();
    let data = read_summary(path, args.predict.is_some(), show_progress)?;
    let read_ms = millis(t.elapsed());
    let large = show_progress && data.customers.len() >= LARGE_CUSTOMERS;

    let opts = FitOptions {
        penalizer: args.penalizer,
        ..FitOptions::default()
    };

    let spinner = spinner(large, "fitting BG/NBD");
    let mut failed = Vec::new();
    let t = Instant::now();
    let bg = match args.model.wants(PurchaseModel::BgNbd) {
        false => None,
        true => match bgnbd::fit(&data.customers, &opts) {
            Ok(fit) => Some(fit),
            Err(e) => {
                failed.push(Failure::new("bgnbd", &e, path));
                None
            }
        },
    };
    let bgnbd_ms = millis(t.elapsed());
    spinner.set_message("fitting the other purchase models");
    let t = Instant::now();
    let mbg = match args.model.wants(PurchaseModel::MbgNbd) {
        false => None,
        true => match mbgnbd::fit(&data.customers, &opts) {
            Ok(fit) => Some(fit),
            Err(e) => {
                failed.push(Failure::new("mbgnbd", &e, path));
                None
            }
        },
    };
    let mbgnbd_ms = args
        .model
        .wants(PurchaseModel::MbgNbd)
        .then(|| millis(t.elapsed()));
    let t = Instant::now();
    let pareto = match args.model.wants(PurchaseModel::ParetoNbd) {
        false => None,
        true => match pareto_nbd::fit(&data.customers, &opts) {
            Ok(fit) => Some(fit),
            Err(e) => {
                failed.push(Failure::new("pareto_nbd", &e, path));
                None
            }
        },
    };
    let pareto_ms = args
        .model
        .wants(PurchaseModel::ParetoNbd)
        .then(|| millis(t.elapsed()));

    spinner.set_message("fitting Gamma-Gamma");
    let t = Instant::now();
    let spend: Vec<(f64, f64)> = data
        .customers
        .iter()
        .zip(&data.monetary)
        .map(|(c, &m)| (c.x, m))
        .collect();
    // Gamma-Gamma, or the fallback it had to take (reported in `gamma_gamma.issues`).
    let gg = match spend::fit(&spend, &opts) {
        Ok(fit) => Some(fit),
        Err(e) => {
            failed.push(Failure::new("gamma_gamma", &e, path));
            None
        }
    };
    drop(spend);
    let gamma_gamma_ms = millis(t.elapsed());
    spinner.finish_and_clear();
    if bg.is_none() && mbg.is_none() && pareto.is_none() && gg.is_none() {
        let reasons: Vec<String> = failed
            .iter()
            .map(|f| format!("{} fit failed: {}", f.label, f.message))
            .collect();
        bail!("nothing could be fitted: {}", reasons.join("; "));
    }

    let mut timing = Timing {
        read: read_ms,
        fit_bgnbd: bgnbd_ms,
        fit_mbgnbd: mbgnbd_ms,
        fit_pareto_nbd: pareto_ms,
        fit_gamma_gamma: gamma_gamma_ms,
        score: None,
        write: None,
        total: 0.0,
    };
    let prediction = match (&args.predict, &bg, &gg) {
        (Some(out), Some(bg), Some(gg)) => {
            let horizon = args.horizon.unwrap_or_else(|| args.time_unit.year());
            let settings = clv::ScoreSettings {
                horizon,
                clv: clv::ClvSettings::new(
                    args.months,
                    args.discount,
                    args.margin,
                    args.time_unit.model(),
                ),
            };
            let done = predict(out, &data, &bg.params, gg.params(), &settings, large)?;
            timing.score = Some(done.score_ms);
            timing.write = Some(done.write_ms);
            Some(Prediction {
                output: out.display().to_string(),
                rows: data.customers.len(),
                horizon,
                months: args.months,
                monthly_discount: args.discount,
                margin: args.margin,
            })
        }
        (Some(_), _, _) => {
            failed.push(Failure {
                model: "prediction",
                label: "prediction",
                code: "model_not_fitted".into(),
                message: "no scores written: scoring needs both BG/NBD and the spend model".into(),
            });
            None
        }
        (None, _, _) => None,
    };
    timing.total = millis(started.elapsed());

    let fitted = [
        ("bgnbd", bg.is_some()),
        ("mbgnbd", mbg.is_some()),
        ("pareto_nbd", pareto.is_some()),
        ("gamma_gamma", gg.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, ok)| ok.then_some(name))
    .collect();
    let selected = [
        ("bgnbd", bg.as_ref().map(|f| f.log_likelihood)),
        ("mbgnbd", mbg.as_ref().map(|f| f.log_likelihood)),
        ("pareto_nbd", pareto.as_ref().map(|f| f.log_likelihood)),
    ]
    .into_iter()
    .filter_map(|(name, ll)| Some((name, ll?)))
    .max_by(|a, b| a.1.total_cmp(&b.1))
    .map(|(name, _)| name);
    let report = Report {
        summary: path.display().to_string(),
        time_unit: args.time_unit.name(),
        customers: data.customers.len(),
        penalizer: args.penalizer,
        fitted,
        failed,
        selected,
        bgnbd: bg,
        mbgnbd: mbg,
        pareto_nbd: pareto,
        gamma_gamma: gg,
        prediction,
        timing_ms: timing,
    };
    let report = serde_json::to_string(&report).context("cannot encode the report")?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{report}")
        .and_then(|()| stdout.flush())
        .context("cannot write to stdout")?;
    Ok(())
}

/// A model that could not be fitted (or the scoring that could not run), in the report.
#[derive(Serialize)]
struct Failure {
    /// `bgnbd`, `mbgnbd`, `pareto_nbd`, `gamma_gamma` or `prediction`.
    model: &'static str,
    #[serde(skip)]
    label: &'static str,
    /// Stable code of the model error, e.g. `no_repeat_purchases`.
    code: String,
    message: String,
}

impl Failure {
    fn new(model: &'static str, e: &ModelError, path: &Path) -> Self {
        let label = match model {
            "bgnbd" => "BG/NBD",
            "mbgnbd" => "MBG/NBD",
            "pareto_nbd" => "Pareto/NBD",
            _ => "Gamma-Gamma",
        };
        Failure {
            model,
            label,
            code: e.code().to_owned(),
            message: fit_error(e.clone(), path).to_string(),
        }
    }
}

/// What `models fit` prints: one JSON object, fields in this order.
#[derive(Serialize)]
struct Report {
    /// The input file.
    summary: String,
    time_unit: &'static str,
    /// Rows read (= customers).
    customers: usize,
    penalizer: f64,
    /// The models that fitted: `bgnbd`, `gamma_gamma` (whatever spend model it fell back to).
    fitted: Vec<&'static str>,
    /// The ones that did not, and why; scoring skipped for want of a model is listed too.
    failed: Vec<Failure>,
    /// The purchase model with the highest log-likelihood among those fitted.
    selected: Option<&'static str>,
    /// `null` when it failed (see `failed`) or was not asked for (`--model`).
    bgnbd: Option<FitReport<BgNbdParams>>,
    /// With `--model mbg-nbd` or `auto` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    mbgnbd: Option<FitReport<MbgNbdParams>>,
    /// With `--model pareto-nbd` or `auto` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pareto_nbd: Option<FitReport<ParetoNbdParams>>,
    /// The spend model: `spend_model` says whether it is Gamma-Gamma or a fallback,
    /// `issues` why. `null` when nobody bought twice.
    gamma_gamma: Option<SpendFit>,
    /// `null` without `--predict`.
    prediction: Option<Prediction>,
    timing_ms: Timing,
}

#[derive(Serialize)]
struct Prediction {
    output: String,
    rows: usize,
    horizon: f64,
    months: u32,
    monthly_discount: f64,
    margin: f64,
}

/// Wall-clock milliseconds of each phase (`score` and `write` are `null` without `--predict`).
#[derive(Serialize)]
struct Timing {
    read: f64,
    fit_bgnbd: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    fit_mbgnbd: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fit_pareto_nbd: Option<f64>,
    fit_gamma_gamma: f64,
    score: Option<f64>,
    write: Option<f64>,
    total: f64,
}

/// Fails early (before minutes of reading and fitting) on an output that cannot be
/// created: a missing directory, or the input file itself.
fn check_output(out: &Path, input: &Path) -> anyhow::Result<()> {
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        bail!(
            "cannot create {}: no directory {}",
            out.display(),
            dir.display()
        );
    }
    if let (Ok(a), Ok(b)) = (out.canonicalize(), input.canonicalize()) {
        if a == b {
            bail!(
                "--predict {} would overwrite the --summary file",
                out.display()
            );
        }
    }
    Ok(())
}

/// Milliseconds, to the microsecond.
fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// Rows are validated while reading, so a customer index in a fit error is
/// unexpected; still, name the data row it came from.
fn fit_error(e: ModelError, path: &Path) -> anyhow::Error {
    match e {
        ModelError::InvalidCustomer { index, source } => anyhow!(
            "{}: data row {}: {source}",
            path.display(),
            index.saturating_add(1)
        ),
        other => anyhow!(other),
    }
}

/// The summary file, validated. Customer ids are kept only when scoring.
struct Summary {
    customers: Vec<CustomerSummary>,
    monetary: Vec<f64>,
    /// All ids concatenated; `id_ends[i]` is where the i-th one ends.
    ids: String,
    id_ends: Vec<usize>,
}

impl Summary {
    fn id(&self, i: usize) -> &str {
        let start = match i.checked_sub(1) {
            Some(prev) => self.id_ends.get(prev).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.id_ends.get(i).copied().unwrap_or(start);
        self.ids.get(start..end).unwrap_or("")
    }
}

fn read_summary(path: &Path, keep_ids: bool, show_progress: bool) -> anyhow::Result<Summary> {
    let where_ = path.display();
    let file = File::open(path).with_context(|| format!("cannot open {where_}"))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = if show_progress && size >= LARGE_FILE_BYTES {
        let bar = ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr());
        bar.set_style(style(
            "reading {bar:40} {binary_bytes}/{binary_total_bytes} ({eta})",
        ));
        bar
    } else {
        ProgressBar::hidden()
    };

    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(std::io::BufReader::with_capacity(1 << 16, file));
    let header = reader.headers().map_err(|e| csv_error(&e, path))?.clone();
    let cols = columns(&header).map_err(|e| anyhow!("{where_}: line 1: {e}"))?;
    let [id_col, x_col, tx_col, t_col, m_col] = cols;

    let mut data = Summary {
        customers: Vec::new(),
        monetary: Vec::new(),
        ids: String::new(),
        id_ends: Vec::new(),
    };
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(&e, path)),
        }
        let line = record.position().map_or(0, csv::Position::line);
        let at = |msg: String| anyhow!("{where_}: line {line}: {msg}");
        if record.len() != header.len() {
            return Err(at(format!(
                "expected {} fields, found {}",
                header.len(),
                record.len()
            )));
        }
        let field = |col: usize| record.get(col).unwrap_or("");
        let number = |col: usize, name: &str| -> anyhow::Result<f64> {
            let text = field(col);
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
                Ok(v) => Err(at(format!("{name} must be a finite number >= 0, got {v}"))),
                Err(_) => Err(at(format!("{name} is not a number: {text:?}"))),
            }
        };
        let x = number(x_col, "frequency")?;
        let t_x = number(tx_col, "recency")?;
        let t = number(t_col, "T")?;
        let m = number(m_col, "monetary_value")?;
        let customer = CustomerSummary::new(x, t_x, t).map_err(|e| at(e.to_string()))?;
        if x > 0.0 && m <= 0.0 {
            return Err(at(format!(
                "monetary_value must be positive for a customer with repeat purchases, got {m}"
            )));
        }
        data.customers.push(customer);
        data.monetary.push(m);
        if keep_ids {
            data.ids.push_str(field(id_col));
            data.id_ends.push(data.ids.len());
        }
        if data.customers.len() % READ_TICK == 0 {
            bar.set_position(record.position().map_or(0, csv::Position::byte));
        }
    }
    bar.finish_and_clear();
    if data.customers.is_empty() {
        bail!("{where_}: no customers (only a header)");
    }
    Ok(data)
}

/// Indices of the five columns, found by name (ASCII case-insensitive).
fn columns(header: &csv::StringRecord) -> Result<[usize; 5], String> {
    let expected = COLUMNS.join(",");
    if header.iter().all(str::is_empty) {
        return Err(format!("empty file, expected the header {expected}"));
    }
    let mut found = [None; 5];
    for (i, name) in header.iter().enumerate() {
        let name = name.trim_start_matches('\u{feff}');
        for (slot, want) in found.iter_mut().zip(COLUMNS) {
            if name.eq_ignore_ascii_case(want) {
                if slot.is_some() {
                    return Err(format!("bad header: column {want} appears twice"));
                }
                *slot = Some(i);
            }
        }
    }
    let mut cols = [0; 5];
    for ((col, slot), name) in cols.iter_mut().zip(found).zip(COLUMNS) {
        *col = slot.ok_or_else(|| {
            format!(
                "bad header: no column {name} (expected {expected}, got {})",
                {
                    let got: Vec<&str> = header.iter().collect();
                    got.join(",")
                }
            )
        })?;
    }
    Ok(cols)
}

fn csv_error(e: &csv::Error, path: &Path) -> anyhow::Error {
    let where_ = path.display();
    match e.position() {
        Some(pos) => anyhow!("{where_}: line {}: {}", pos.line(), csv_reason(e)),
        None => anyhow!("{where_}: {}", csv_reason(e)),
    }
}

/// The CSV error without its own position prefix (the caller names the line).
fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 in field {}", err.field() + 1),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        _ => e.to_string(),
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

fn spinner(visible: bool, message: &'static str) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

#[derive(Serialize)]
struct ScoreRow<'a> {
    customer_id: &'a str,
    p_alive: f64,
    expected_purchases: f64,
    expected_spend: f64,
    clv: f64,
}

struct PredictTiming {
    score_ms: f64,
    write_ms: f64,
}

/// Scores every customer and writes the CSV, a chunk at a time.
fn predict(
    out: &Path,
    data: &Summary,
    bg: &BgNbdParams,
    gg: &GammaGammaParams,
    settings: &clv::ScoreSettings,
    show_progress: bool,
) -> anyhow::Result<PredictTiming> {
    let where_ = out.display();
    let mut writer = csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_path(out)
        .with_context(|| format!("cannot create {where_}"))?;
    let n = data.customers.len();
    let bar = if show_progress {
        let bar = ProgressBar::with_draw_target(
            Some(u64::try_from(n).unwrap_or(u64::MAX)),
            ProgressDrawTarget::stderr(),
        );
        bar.set_style(style("scoring {bar:40} {human_pos}/{human_len} ({eta})"));
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut score = Duration::ZERO;
    let mut write = Duration::ZERO;
    let mut first = 0;
    while first < n {
        let last = first.saturating_add(SCORE_CHUNK).min(n);
        let t = Instant::now();
        let customers = data.customers.get(first..last).unwrap_or(&[]);
        let monetary = data.monetary.get(first..last).unwrap_or(&[]);
        let scores = clv::score_all(bg, gg, customers, monetary, settings)
            .map_err(|e| match e {
                ModelError::InvalidCustomer { index, source } => anyhow!(
                    "customer {}: {source}",
                    data.id(first.saturating_add(index))
                ),
                other => anyhow!(other),
            })
            .context("scoring failed")?;
        score += t.elapsed();
        let t = Instant::now();
        for (i, s) in scores.iter().enumerate() {
            writer
                .serialize(ScoreRow {
                    customer_id: data.id(first.saturating_add(i)),
                    p_alive: s.p_alive,
                    expected_purchases: s.expected_purchases,
                    expected_spend: s.expected_spend,
                    clv: s.clv,
                })
                .with_context(|| format!("cannot write {where_}"))?;
        }
        write += t.elapsed();
        bar.inc(u64::try_from(last - first).unwrap_or(0));
        first = last;
    }
    let t = Instant::now();
    writer
        .flush()
        .with_context(|| format!("cannot write {where_}"))?;
    write += t.elapsed();
    bar.finish_and_clear();
    Ok(PredictTiming {
        score_ms: millis(score),
        write_ms: millis(write),
    })
}
