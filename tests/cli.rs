//! The `rapport` binary as an operator runs it: no configuration at all, PostgreSQL + Redis
//! by environment, one-line errors, and a clean stop on SIGTERM.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rapport_persistence::testing::{test_redis_url, TestDatabase, TEST_DATABASE_URL_VAR};

fn rapport() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
    for (name, _) in std::env::vars() {
        if name.starts_with("RAPPORT_") {
            cmd.env_remove(name);
        }
    }
    cmd
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(cmd: Command) -> Self {
        Self::start_with_stderr(cmd, Stdio::null())
    }

    fn start_with_stderr(mut cmd: Command, stderr: Stdio) -> Self {
        let port = free_port();
        let child = cmd
            .arg("serve")
            .env("RAPPORT_BIND", format!("127.0.0.1:{port}"))
            .env("RAPPORT_WORKERS", "1")
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while server.get("/healthz").is_none() {
            assert!(Instant::now() < deadline, "server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn get(&self, path: &str) -> Option<(u16, serde_json::Value)> {
        let res = reqwest::blocking::get(format!("{}{}", self.base, path)).ok()?;
        let status = res.status().as_u16();
        let body = res.json().unwrap_or(serde_json::Value::Null);
        Some((status, body))
    }

    /// SIGTERM, then the exit status.
    fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn serve_with_no_configuration_uses_an_embedded_database() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = rapport();
    cmd.current_dir(dir.path());
    let server = Server::start(cmd);
    let (status, ready) = server.get("/readyz").unwrap();
    assert_eq!(status, 200);
    assert_eq!(ready["database"]["kind"], "sqlite");
    assert_eq!(ready["cache"]["kind"], "memory");
    assert!(dir.path().join("rapport.db").exists());
    assert!(server.terminate().success(), "SIGTERM is a clean stop");
}

/// The log lines at ERROR level (or mentioning a locked database) in `log`.
fn error_lines(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains("ERROR") || l.contains("database is locked"))
        .collect()
}

/// A first run on a new SQLite file is quiet: the pool's connections used to race to switch
/// the file to WAL, and r2d2 logged `ERROR r2d2: database is locked` for each loser.
#[test]
fn a_first_run_on_a_new_sqlite_file_logs_no_error() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("serve.log");
    let mut cmd = rapport();
    cmd.current_dir(dir.path()).env("RAPPORT_LOG", "info");
    let server =
        Server::start_with_stderr(cmd, Stdio::from(std::fs::File::create(&log_path).unwrap()));
    assert_eq!(server.get("/readyz").unwrap().0, 200);
    assert!(server.terminate().success());
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("database ready"),
        "the log was captured: {log}"
    );
    assert!(error_lines(&log).is_empty(), "serve logged errors:\n{log}");

    let out = rapport()
        .arg("demo")
        .env(
            "RAPPORT_DATABASE_URL",
            format!("sqlite://{}", dir.path().join("demo.db").display()),
        )
        .env("RAPPORT_LOG", "info")
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert!(error_lines(&log).is_empty(), "demo logged errors:\n{log}");
}

#[test]
fn serve_on_postgres_and_redis_when_configured() {
    let on_postgres = std::env::var(TEST_DATABASE_URL_VAR).is_ok_and(|v| !v.is_empty());
    let (Some(redis), true) = (test_redis_url(), on_postgres) else {
        eprintln!("skipped: needs RAPPORT_TEST_DATABASE_URL and RAPPORT_TEST_REDIS_URL");
        return;
    };
    let db = TestDatabase::create_empty();
    let mut cmd = rapport();
    cmd.env("RAPPORT_DATABASE_URL", db.url())
        .env("RAPPORT_REDIS_URL", redis);
    let server = Server::start(cmd);
    let (status, ready) = server.get("/readyz").unwrap();
    assert_eq!(status, 200);
    assert_eq!(ready["database"]["kind"], "postgres");
    assert_eq!(ready["cache"]["kind"], "redis");
    assert!(server.terminate().success());
}

#[test]
fn migrate_applies_then_reports_nothing_pending() {
    let db = TestDatabase::create_empty();
    let out = rapport()
        .arg("migrate")
        .env("RAPPORT_DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let applied: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!applied["applied"].as_array().unwrap().is_empty());

    let out = rapport()
        .args(["migrate", "--status"])
        .env("RAPPORT_DATABASE_URL", db.url())
        .output()
        .unwrap();
    let pending: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(pending["pending"], serde_json::json!([]));
}

#[test]
fn bad_configuration_fails_with_one_line_on_stderr() {
    let out = rapport()
        .arg("serve")
        .env("RAPPORT_DATABASE_URL", "mysql://nope")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("RAPPORT_DATABASE_URL"));
}

#[test]
fn help_explains_each_command() {
    let out = rapport().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for word in ["serve", "migrate", "bootstrap", "demo", "models"] {
        assert!(help.contains(word), "{help}");
    }
}

fn login(server: &Server, email: &str, password: &str) -> u16 {
    reqwest::blocking::Client::new()
        .post(format!("{}/v1/auth/token", server.base))
        .json(&serde_json::json!({ "email": email, "password": password }))
        .send()
        .unwrap()
        .status()
        .as_u16()
}

#[test]
fn bootstrap_creates_a_workspace_whose_owner_can_log_in() {
    let db = TestDatabase::create_empty();
    let out = rapport()
        .args([
            "bootstrap",
            "--workspace",
            "Acme",
            "--email",
            "Owner@Acme.example.com",
        ])
        .args(["--password", "a long enough password"])
        .env("RAPPORT_DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(created["workspace_id"].is_string() && created["user_id"].is_string());

    let again = rapport()
        .args([
            "bootstrap",
            "--workspace",
            "Acme",
            "--email",
            "owner@acme.example.com",
        ])
        .args(["--password", "a long enough password"])
        .env("RAPPORT_DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("email_taken"));

    let bad = rapport()
        .args([
            "bootstrap",
            "--workspace",
            "X",
            "--email",
            "nope",
            "--password",
            "short",
        ])
        .env("RAPPORT_DATABASE_URL", db.url())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        !bad.status.success() && stderr.trim().lines().count() == 1,
        "{stderr}"
    );
    assert!(stderr.contains("email") && stderr.contains("password"));

    let mut cmd = rapport();
    cmd.env("RAPPORT_DATABASE_URL", db.url());
    let server = Server::start(cmd);
    assert_eq!(
        login(&server, "owner@acme.example.com", "a long enough password"),
        200
    );
    assert!(server.terminate().success());
}

#[test]
fn demo_prints_working_logins_and_a_key() {
    let db = TestDatabase::create_empty();
    let out = rapport()
        .arg("demo")
        .env("RAPPORT_DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let demo: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let password = demo["password"].as_str().unwrap();
    assert!(demo["how_to_log_in"]
        .as_str()
        .unwrap()
        .contains("/v1/auth/token"));
    assert_eq!(demo["users"].as_array().unwrap().len(), 5);
    assert!(demo["accounts"].as_u64().unwrap() >= 1_000);
    assert!(demo["contacts"].as_u64().unwrap() >= 200);
    assert!(demo["interactions"].as_u64().unwrap() >= 1_000);
    assert!(demo["orders"].as_u64().unwrap() >= 5_000);
    assert_eq!(demo["model_version"], 1);
    assert_eq!(demo["pipelines"], 2);
    assert!(demo["deals"].as_u64().unwrap() >= 300);

    let mut cmd = rapport();
    cmd.env("RAPPORT_DATABASE_URL", db.url());
    let server = Server::start(cmd);
    assert_eq!(
        login(&server, demo["owner_email"].as_str().unwrap(), password),
        200
    );
    assert_eq!(
        login(
            &server,
            demo["users"][2]["email"].as_str().unwrap(),
            password
        ),
        200
    );
    let res = reqwest::blocking::Client::new()
        .get(format!("{}/v1/workspace", server.base))
        .bearer_auth(demo["api_key"].as_str().unwrap())
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    // A year of deal history: the partner key reads the pipeline analytics.
    let client = reqwest::blocking::Client::new();
    // Past campaigns: the two with an effect built into their orders show a significant
    // positive uplift in conversion and a positive incremental revenue; all three are
    // completed. (Revenue per member also carries the demo's heavy-tailed organic orders.)
    let campaigns = demo["campaigns"].as_array().unwrap();
    assert_eq!(campaigns.len(), 3);
    for (i, c) in campaigns.iter().enumerate() {
        let results: serde_json::Value = client
            .get(format!(
                "{}/v1/campaigns/{}/results",
                server.base,
                c["id"].as_str().unwrap()
            ))
            .bearer_auth(demo["api_key"].as_str().unwrap())
            .send()
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(results["status"], "completed", "{results}");
        assert!(
            results["total"]["control"]["members"].as_i64().unwrap() >= 30,
            "{results}"
        );
        if i < 2 {
            assert_eq!(
                results["total"]["conversion_uplift"]["significance"], "significant",
                "{results}"
            );
            assert!(results["total"]["incremental_revenue"].as_i64().unwrap() > 0);
        } else {
            assert!(results["total"]["revenue_per_member_uplift"]["p_value"].is_number());
        }
    }
    let pipelines: serde_json::Value = client
        .get(format!("{}/v1/pipelines", server.base))
        .bearer_auth(demo["api_key"].as_str().unwrap())
        .send()
        .unwrap()
        .json()
        .unwrap();
    let analytics: serde_json::Value = client
        .get(format!(
            "{}/v1/analytics/pipeline?pipeline_id={}",
            server.base,
            pipelines["data"][0]["id"].as_str().unwrap()
        ))
        .bearer_auth(demo["api_key"].as_str().unwrap())
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(
        analytics["funnel"]["won"].as_i64().unwrap() > 10,
        "{analytics}"
    );
    assert!(
        analytics["funnel"]["lost"].as_i64().unwrap() > 10,
        "{analytics}"
    );
    assert!(!analytics["forecast"]["total"]
        .as_array()
        .unwrap()
        .is_empty());
    demo_tells_the_truth(&server, &demo);
    assert!(server.terminate().success());
}

/// Every buyer has a CLV (the spend model holds, its fallback reported), the at-risk list
/// ranks real values, the loyalty programme has members, tiers, redemptions and expiring
/// points, and deals are with organizations.
fn demo_tells_the_truth(server: &Server, demo: &serde_json::Value) {
    let key = demo["api_key"].as_str().unwrap();
    let client = reqwest::blocking::Client::new();
    let get = |path: &str| -> serde_json::Value {
        let res = client
            .get(format!("{}{path}", server.base))
            .bearer_auth(key)
            .send()
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        res.json().unwrap()
    };
    let model = get("/v1/models/churn");
    let spend_model = model["gamma_gamma"]["spend_model"].as_str().unwrap();
    assert_eq!(demo["spend_model"], spend_model);
    if spend_model != "gamma_gamma" {
        assert!(
            model["issues"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["model"] == "gamma_gamma"),
            "{model}"
        );
    }
    assert!(model["gamma_gamma"]["q"].as_f64().unwrap() > 1.0);
    let mut after = String::new();
    let (mut buyers, mut valued, mut at_risk) = (0, 0, 0);
    loop {
        let page = get(&format!("/v1/analytics/at-risk?limit=500{after}"));
        for a in page["data"].as_array().unwrap() {
            buyers += 1;
            assert!(a["clv"].as_i64().is_some(), "no CLV: {a}");
            assert_eq!(a["spend_model"], spend_model);
            if a["value_at_risk"].as_i64().unwrap() > 0 {
                valued += 1;
            }
            if a["risk_band"] == "at_risk" || a["risk_band"] == "lost" {
                at_risk += 1;
            }
        }
        match page["next_cursor"].as_str() {
            Some(c) => after = format!("&after={c}"),
            None => break,
        }
    }
    assert_eq!(buyers, model["customers"].as_i64().unwrap());
    assert!(valued > buyers / 2, "{valued} of {buyers} valued");
    assert!(at_risk > 10, "{at_risk} at risk");
    let loyalty = &demo["loyalty"];
    for field in [
        "members",
        "rewards",
        "redemptions",
        "expired_lots",
        "members_with_points_expiring_in_30_days",
        "members_in_a_tier",
    ] {
        assert!(loyalty[field].as_u64().unwrap() > 0, "{field}: {loyalty}");
    }
    let top = get("/v1/analytics/at-risk?limit=1");
    let id = top["data"][0]["account_id"].as_str().unwrap();
    let profile = get(&format!("/v1/accounts/{id}/profile"));
    assert!(profile["loyalty"].is_object(), "{profile}");
    assert!(profile["metrics"]["clv"].as_i64().is_some(), "{profile}");
    let deals = get("/v1/deals?limit=100");
    for d in deals["data"].as_array().unwrap() {
        let account = get(&format!(
            "/v1/accounts/{}",
            d["account_id"].as_str().unwrap()
        ));
        assert_eq!(account["kind"], "organization", "{d}");
    }
}
