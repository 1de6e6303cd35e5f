//! `rapport models fit` as an analyst runs it: CDNOW fits, per-customer scores, one-line errors, no configuration.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const HEADER: &str = "customer_id,frequency,recency,T,monetary_value";

fn cdnow() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("domain/tests/data/cdnow_customers.csv")
}

/// The binary, without any RAPPORT_* setting from the caller's environment.
fn rapport(args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
    for (name, _) in std::env::vars() {
        if name.starts_with("RAPPORT_") {
            cmd.env_remove(name);
        }
    }
    cmd.args(args).output().unwrap()
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stdout_json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "exit {:?}, stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(text.trim_end().lines().count(), 1, "one JSON line: {text}");
    serde_json::from_str(&text).unwrap()
}

fn num(v: &serde_json::Value, pointer: &str) -> f64 {
    v.pointer(pointer)
        .and_then(serde_json::Value::as_f64)
        .unwrap_or_else(|| panic!("{pointer} missing in {v}"))
}

fn round(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

fn assert_rel(name: &str, got: f64, want: f64, rel: f64) {
    assert!(
        ((got - want) / want).abs() <= rel,
        "{name}: got {got}, want {want} within {}%",
        rel * 100.0
    );
}

#[test]
fn fit_reproduces_published_cdnow_parameters() {
    let out = rapport(&[
        "models",
        "fit",
        "--summary",
        path_str(&cdnow()),
        "--time-unit",
        "weeks",
    ]);
    let json = stdout_json(&out);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    assert_eq!(round(num(&json, "/bgnbd/params/r"), 3), 0.243);
    assert_eq!(round(num(&json, "/bgnbd/params/alpha"), 3), 4.414);
    assert_eq!(round(num(&json, "/bgnbd/params/a"), 3), 0.793);
    assert_eq!(round(num(&json, "/bgnbd/params/b"), 3), 2.426);
    assert_eq!(round(num(&json, "/bgnbd/log_likelihood"), 1), -9582.4);
    assert_eq!(json["bgnbd"]["converged"], true);
    assert_eq!(json["bgnbd"]["customers"], 2357);
    assert_eq!(json["fitted"], serde_json::json!(["bgnbd", "gamma_gamma"]));
    assert_eq!(json["failed"], serde_json::json!([]));
    assert_eq!(json["gamma_gamma"]["spend_model"], "gamma_gamma");
    assert_eq!(json["gamma_gamma"]["issues"], serde_json::json!([]));
    assert!(num(&json, "/bgnbd/iterations") >= 1.0);

    assert_rel("p", num(&json, "/gamma_gamma/params/p"), 6.25, 0.0015);
    assert_rel("q", num(&json, "/gamma_gamma/params/q"), 3.74, 0.0015);
    assert_rel("v", num(&json, "/gamma_gamma/params/v"), 15.44, 0.0015);
    assert_eq!(json["gamma_gamma"]["converged"], true);
    assert!(num(&json, "/gamma_gamma/log_likelihood").is_finite());
    // Only customers with repeat purchases carry spend information.
    let repeaters = num(&json, "/gamma_gamma/customers");
    assert!(repeaters > 0.0 && repeaters < 2357.0, "{repeaters}");

    assert_eq!(json["customers"], 2357);
    assert_eq!(json["time_unit"], "weeks");
    assert_eq!(num(&json, "/penalizer"), 0.0);
    assert!(json["prediction"].is_null());
    for phase in ["read", "fit_bgnbd", "fit_gamma_gamma", "total"] {
        assert!(num(&json, &format!("/timing_ms/{phase}")) >= 0.0, "{phase}");
    }
    assert!(json["timing_ms"]["score"].is_null());
}

#[test]
fn predict_writes_one_row_per_customer() {
    let dir = tempfile::tempdir().unwrap();
    let scores = dir.path().join("scores.csv");
    let out = rapport(&[
        "models",
        "fit",
        "--summary",
        path_str(&cdnow()),
        "--time-unit",
        "weeks",
        "--predict",
        path_str(&scores),
        "--horizon",
        "39",
    ]);
    let json = stdout_json(&out);
    assert_eq!(num(&json, "/prediction/horizon"), 39.0);
    assert_eq!(json["prediction"]["rows"], 2357);
    assert_eq!(json["prediction"]["months"], 12);
    assert_eq!(num(&json, "/prediction/monthly_discount"), 0.01);
    assert_eq!(num(&json, "/prediction/margin"), 1.0);
    assert!(num(&json, "/timing_ms/score") >= 0.0);

    // The customer with x = 2, t_x = 30.43, T = 38.86.
    let mut input = csv::Reader::from_path(cdnow()).unwrap();
    let mut input_ids = Vec::new();
    let mut target = None;
    for record in input.records() {
        let record = record.unwrap();
        let field = |i: usize| record[i].parse::<f64>().unwrap();
        if field(1) == 2.0 && field(2) == 30.43 && field(3) == 38.86 {
            target = Some(record[0].to_owned());
        }
        input_ids.push(record[0].to_owned());
    }
    let target = target.expect("CDNOW has the customer (2, 30.43, 38.86)");

    let mut output = csv::Reader::from_path(&scores).unwrap();
    assert_eq!(
        output.headers().unwrap(),
        vec![
            "customer_id",
            "p_alive",
            "expected_purchases",
            "expected_spend",
            "clv"
        ]
    );
    let mut output_ids = Vec::new();
    let mut found = false;
    for record in output.records() {
        let record = record.unwrap();
        let field = |i: usize| record[i].parse::<f64>().unwrap();
        let (p_alive, purchases, spend, clv) = (field(1), field(2), field(3), field(4));
        assert!((0.0..=1.0).contains(&p_alive), "{record:?}");
        assert!(purchases >= 0.0 && spend > 0.0 && clv >= 0.0, "{record:?}");
        if record[0] == target {
            assert_eq!(round(purchases, 3), 1.226, "{record:?}");
            found = true;
        }
        output_ids.push(record[0].to_owned());
    }
    assert!(found);
    assert_eq!(
        output_ids, input_ids,
        "one row per input customer, in order"
    );
}

#[test]
fn needs_no_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
    let out = cmd
        .current_dir(dir.path())
        .env("RAPPORT_CONFIG", dir.path().join("missing.toml"))
        .env("RAPPORT_DATABASE_URL", "nonsense://nowhere")
        .args(["models", "fit", "--summary", path_str(&cdnow())])
        .output()
        .unwrap();
    let json = stdout_json(&out);
    assert_eq!(json["time_unit"], "days");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Runs the command on `content`; it must fail with one stderr line containing every `needles`.
fn assert_fails(content: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("summary.csv");
    std::fs::write(&file, content).unwrap();
    let out = rapport(&["models", "fit", "--summary", path_str(&file)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "succeeded on {content:?}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty(), "stdout on failure: {:?}", out.stdout);
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("rapport: "), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn malformed_files_fail_with_one_line_naming_the_line() {
    let good = "1,2,30.43,38.86,22.35\n2,0,0,38.86,0\n";
    assert_fails(
        &format!("id,freq,recency,T,monetary_value\n{good}"),
        &["line 1", "bad header", "customer_id"],
    );
    assert_fails(
        "",
        &["line 1", "customer_id,frequency,recency,T,monetary_value"],
    );
    assert_fails(
        &format!("{HEADER}\n{good}3,1,x,38.86,10\n"),
        &["line 4", "recency", "\"x\""],
    );
    assert_fails(
        &format!("{HEADER}\n{good}3,2,40.5,38.86,10\n"),
        &["line 4", "larger than", "38.86"],
    );
    assert_fails(
        &format!("{HEADER}\n3,1.5,2,38.86,10\n{good}"),
        &["line 2", "whole number"],
    );
    assert_fails(
        &format!("{HEADER}\n{good}3,2,10,38.86,0\n"),
        &["line 4", "monetary_value", "positive"],
    );
    assert_fails(
        &format!("{HEADER}\n{good}3,2,10\n"),
        &["line 4", "expected 5 fields, found 3"],
    );
    assert_fails(&format!("{HEADER}\n"), &["no customers"]);
    assert_fails(
        &format!("{HEADER}\n2,0,0,38.86,0\n"),
        &["BG/NBD", "repeat purchase"],
    );
}

#[test]
fn missing_file_fails_with_one_line() {
    let out = rapport(&["models", "fit", "--summary", "/nonexistent/summary.csv"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("cannot open /nonexistent/summary.csv"),
        "{stderr}"
    );
}

#[test]
fn prediction_options_require_predict() {
    let out = rapport(&[
        "models",
        "fit",
        "--summary",
        path_str(&cdnow()),
        "--horizon",
        "39",
    ]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--predict"));
}

#[test]
fn help_mentions_every_flag() {
    let out = rapport(&["models", "fit", "--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--summary",
        "--time-unit",
        "--penalizer",
        "--predict",
        "--horizon",
        "--months",
        "--discount",
        "--margin",
        "--model",
    ] {
        assert!(help.contains(flag), "{flag} not in help:\n{help}");
    }
    let top = rapport(&["--help"]);
    assert!(String::from_utf8(top.stdout).unwrap().contains("models"));
}

/// CDNOW with `k` customers' mean repeat spend 100 times what it was.
fn cdnow_with_huge_orders(k: usize) -> String {
    let text = std::fs::read_to_string(cdnow()).unwrap();
    let mut out = String::new();
    let mut changed = 0;
    for (i, line) in text.lines().enumerate() {
        let mut fields: Vec<String> = line.split(',').map(str::to_owned).collect();
        if i > 0 && changed < k && fields[1] != "0" && i % 7 == 0 {
            let m: f64 = fields[4].parse().unwrap();
            fields[4] = format!("{}", m * 100.0);
            changed += 1;
        }
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    assert_eq!(changed, k);
    out
}

#[test]
fn orders_a_hundred_times_the_usual_size_fall_back_and_every_buyer_gets_a_clv() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("summary.csv");
    std::fs::write(&file, cdnow_with_huge_orders(6)).unwrap();
    let scores = dir.path().join("scores.csv");
    let out = rapport(&[
        "models",
        "fit",
        "--summary",
        path_str(&file),
        "--time-unit",
        "weeks",
        "--predict",
        path_str(&scores),
    ]);
    let json = stdout_json(&out);
    // The purchase model is untouched by spend: still the published fit.
    assert_eq!(round(num(&json, "/bgnbd/params/r"), 3), 0.243);
    assert_eq!(json["fitted"], serde_json::json!(["bgnbd", "gamma_gamma"]));
    let model = json["gamma_gamma"]["spend_model"].as_str().unwrap();
    assert!(model.starts_with("fallback_"), "{json}");
    let issues = json["gamma_gamma"]["issues"].as_array().unwrap();
    assert!(
        issues.iter().any(|i| i["code"] == "spend_winsorized"),
        "{json}"
    );
    assert!(num(&json, "/gamma_gamma/winsorized/customers") >= 6.0);
    assert!(num(&json, "/gamma_gamma/params/q") > 1.0);
    let mut reader = csv::Reader::from_path(&scores).unwrap();
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let clv: f64 = record[4].parse().unwrap();
        let spend: f64 = record[3].parse().unwrap();
        assert!(clv.is_finite() && clv >= 0.0, "{record:?}");
        assert!(spend.is_finite() && spend > 0.0, "{record:?}");
        rows += 1;
    }
    assert_eq!(rows, 2357);
}

#[test]
fn a_model_that_fits_is_printed_when_the_other_does_not() {
    // One customer: the purchase model cannot be identified, the spend model falls back
    // (a penalized fit). Exit 0, the spend model printed, the failure named.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("summary.csv");
    std::fs::write(&file, format!("{HEADER}\n1,3,20,30,25.5\n")).unwrap();
    let out = rapport(&["models", "fit", "--summary", path_str(&file)]);
    let json = stdout_json(&out);
    assert_eq!(json["fitted"], serde_json::json!(["gamma_gamma"]));
    assert_eq!(json["bgnbd"], serde_json::Value::Null);
    assert_eq!(json["failed"][0]["model"], "bgnbd");
    assert!(json["failed"][0]["code"].as_str().is_some());
    let model = json["gamma_gamma"]["spend_model"].as_str().unwrap();
    assert!(model.starts_with("fallback_"), "{json}");
    assert!(num(&json, "/gamma_gamma/params/q") > 1.0);
}

#[test]
fn model_auto_fits_the_three_purchase_models_under_their_keys() {
    let out = rapport(&[
        "models",
        "fit",
        "--summary",
        path_str(&cdnow()),
        "--time-unit",
        "weeks",
        "--model",
        "auto",
    ]);
    let json = stdout_json(&out);
    assert_eq!(
        json["fitted"],
        serde_json::json!(["bgnbd", "mbgnbd", "pareto_nbd", "gamma_gamma"])
    );
    assert_eq!(round(num(&json, "/bgnbd/params/r"), 3), 0.243);
    assert_eq!(round(num(&json, "/bgnbd/log_likelihood"), 1), -9582.4);
    // Pareto/NBD as published (Fader, Hardie & Lee 2005), MBG/NBD as BTYDplus fits it.
    for (key, want) in [
        ("/pareto_nbd/params/r", 0.553),
        ("/pareto_nbd/params/s", 0.606),
        ("/mbgnbd/params/r", 0.525),
        ("/mbgnbd/params/a", 0.891),
        ("/mbgnbd/params/b", 1.614),
    ] {
        assert_eq!(round(num(&json, key), 3), want, "{key}");
    }
    assert_rel(
        "alpha",
        num(&json, "/pareto_nbd/params/alpha"),
        10.578,
        5e-4,
    );
    assert_rel("beta", num(&json, "/pareto_nbd/params/beta"), 11.669, 1e-3);
    assert_rel("alpha", num(&json, "/mbgnbd/params/alpha"), 6.183, 5e-4);
    assert_eq!(round(num(&json, "/pareto_nbd/log_likelihood"), 1), -9595.0);
    let best = ["bgnbd", "mbgnbd", "pareto_nbd"]
        .into_iter()
        .max_by(|a, b| {
            num(&json, &format!("/{a}/log_likelihood"))
                .total_cmp(&num(&json, &format!("/{b}/log_likelihood")))
        })
        .unwrap();
    assert_eq!(json["selected"], best);

    // One model alone prints only its key.
    let out = rapport(&[
        "models",
        "fit",
        "--summary",
        path_str(&cdnow()),
        "--time-unit",
        "weeks",
        "--model",
        "pareto-nbd",
    ]);
    let json = stdout_json(&out);
    assert_eq!(
        json["fitted"],
        serde_json::json!(["pareto_nbd", "gamma_gamma"])
    );
    assert_eq!(json["bgnbd"], serde_json::Value::Null);
    assert!(json.get("mbgnbd").is_none());
    assert_eq!(json["selected"], "pareto_nbd");
}

#[test]
fn backtest_on_the_cdnow_transactions_fits_the_paper_and_counts_the_holdout() {
    // The 1/10 CDNOW sample behind the BG/NBD paper, as the `lifetimes` package ships it.
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/CDNOW_sample.txt");
    // Independently: purchase days after 1997-09-30 up to 1998-06-30 (39 weeks).
    let text = std::fs::read_to_string(&file).unwrap();
    let mut days = std::collections::BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split_whitespace().collect();
        days.insert((f[1].to_owned(), f[2].to_owned()));
    }
    let holdout = days
        .iter()
        .filter(|(_, d)| d.as_str() > "19970930" && d.as_str() <= "19980630")
        .count();
    let out = rapport(&[
        "models",
        "backtest",
        "--transactions",
        path_str(&file),
        "--format",
        "cdnow",
        "--cutoff",
        "1997-09-30",
        "--horizon-days",
        "273",
        "--model",
        "bg-nbd",
    ]);
    let b = stdout_json(&out);
    assert_eq!(b["customers"], 2357);
    assert_eq!(num(&b, "/actual_purchases"), holdout as f64);
    let c = &b["candidates"][0];
    assert_eq!(c["model"], "bg-nbd");
    // The paper's estimates, alpha per day (7 x 4.414 per week).
    for (name, want) in [
        ("r", 0.243),
        ("alpha", 4.414 * 7.0),
        ("a", 0.793),
        ("b", 2.426),
    ] {
        let got = num(c, &format!("/parameters/{name}"));
        assert!((got - want).abs() / want < 2e-3, "{name}: {got} vs {want}");
    }
    let curve = c["curve"].as_array().unwrap();
    assert_eq!(curve.len(), 39);
    assert_eq!(num(&curve[38], "/actual"), holdout as f64);
    assert!(num(c, "/purchases_mae") > 0.0);
    let bad = rapport(&[
        "models",
        "backtest",
        "--transactions",
        path_str(&file),
        "--format",
        "cdnow",
        "--cutoff",
        "1997-09-30",
        "--horizon-days",
        "0",
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("horizon_days"));
}
