//! `rapport models backtest`: the platform's backtest on a transaction file, no database.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{bail, Context};
use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use rapport_api::service::backtest::{run_on_days, BacktestRequest};
use rapport_domain::value::day_of;

#[derive(Debug, clap::Args)]
pub struct BacktestArgs {
    /// Transactions: a CSV with the header customer_id,date,amount (date YYYY-MM-DD or
    /// YYYYMMDD, amount in currency units; extra columns ignored), or with --format cdnow the
    /// CDNOW layout (whitespace-separated: master id, customer id, date YYYYMMDD, quantity,
    /// amount), as in the `lifetimes` package's CDNOW sample.
    #[arg(long, value_name = "FILE")]
    transactions: PathBuf,

    /// Input layout.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,

    /// Last day of the calibration period (YYYY-MM-DD): purchases on it count before the
    /// cutoff, the horizon starts the next day.
    #[arg(long, value_name = "DATE")]
    cutoff: NaiveDate,

    /// Days after the cutoff predicted and compared (1 to 3650).
    #[arg(long, value_name = "N")]
    horizon_days: i64,

    /// Models to test (repeatable; default all three).
    #[arg(long = "model", value_name = "bg-nbd|mbg-nbd|pareto-nbd")]
    models: Vec<String>,

    /// Also list every customer's predictions (at most 10,000 customers).
    #[arg(long)]
    customers: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Csv,
    Cdnow,
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y%m%d"))
        .ok()
}

/// `(customer, date, amount in hundredths)` rows.
fn read(args: &BacktestArgs) -> anyhow::Result<Vec<(String, NaiveDate, i64)>> {
    let path = &args.transactions;
    let cents = |text: &str, line: usize| -> anyhow::Result<i64> {
        let v: f64 = text.trim().parse().with_context(|| {
            format!("{}:{line}: amount {text:?} is not a number", path.display())
        })?;
        let c = (v * 100.0).round();
        if !(c.is_finite() && c.abs() < 9e15) {
            bail!("{}:{line}: amount {text:?} is out of range", path.display());
        }
        Ok(c as i64)
    };
    let mut out = Vec::new();
    match args.format {
        Format::Cdnow => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            for (i, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                let f: Vec<&str> = line.split_whitespace().collect();
                if f.len() < 5 {
                    bail!(
                        "{}:{}: expected 5 columns, got {}",
                        path.display(),
                        i + 1,
                        f.len()
                    );
                }
                let date = parse_date(f[2]).with_context(|| {
                    format!("{}:{}: bad date {:?}", path.display(), i + 1, f[2])
                })?;
                out.push((f[1].to_owned(), date, cents(f[4], i + 1)?));
            }
        }
        Format::Csv => {
            let mut reader = csv::Reader::from_path(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let header = reader.headers()?.clone();
            let col = |name: &str| {
                header
                    .iter()
                    .position(|h| h.trim() == name)
                    .with_context(|| format!("{}: no {name} column", path.display()))
            };
            let (c, d, a) = (col("customer_id")?, col("date")?, col("amount")?);
            for (i, record) in reader.records().enumerate() {
                let record = record?;
                let line = i + 2;
                let field = |k: usize| record.get(k).unwrap_or("");
                let date = parse_date(field(d)).with_context(|| {
                    format!("{}:{line}: bad date {:?}", path.display(), field(d))
                })?;
                out.push((field(c).to_owned(), date, cents(field(a), line)?));
            }
        }
    }
    Ok(out)
}

pub fn run(args: &BacktestArgs) -> anyhow::Result<()> {
    let rows = read(args)?;
    // Purchase days: (customer, day) -> revenue.
    let mut days: BTreeMap<(String, i32), (NaiveDateTime, i64)> = BTreeMap::new();
    for (customer, date, cents) in rows {
        let at = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        let slot = days.entry((customer, day_of(at))).or_insert((at, 0));
        slot.1 = slot.1.saturating_add(cents);
    }
    let facts: Vec<_> = days
        .into_iter()
        .map(|((customer, day), (at, cents))| (customer, day, at, cents))
        .collect();
    let cutoff = args.cutoff.and_hms_opt(0, 0, 0).unwrap_or_default();
    let request = BacktestRequest {
        cutoff: Utc.from_utc_datetime(&cutoff),
        horizon_days: args.horizon_days,
        models: (!args.models.is_empty()).then(|| args.models.clone()),
        parameters: None,
        customers: Some(args.customers),
    };
    let result = run_on_days(&facts, request).map_err(|e| anyhow::anyhow!("{}", e.detail))?;
    println!("{}", serde_json::to_string(&result)?);
    Ok(())
}
