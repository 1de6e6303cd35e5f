//! `rapport demo`: a demo workspace with realistic data, and how to log in to it.

use base64::Engine;
use rand::RngCore;

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// The demo owner's e-mail (the team gets addresses at the same domain).
    #[arg(long, default_value = "demo@rapport.example.com")]
    email: String,
    /// The password of every demo user; a random one is made and printed when omitted.
    #[arg(long, env = "RAPPORT_DEMO_PASSWORD", hide_env_values = true)]
    password: Option<String>,
}

/// Prints one JSON object: the workspace, the logins, a read-only API key, a curl line.
pub fn run(args: &DemoArgs) -> anyhow::Result<()> {
    let config = super::setup()?;
    let password = args.password.clone().unwrap_or_else(|| {
        let mut bytes = [0u8; 12];
        rand::rng().fill_bytes(&mut bytes);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    });
    let base_url = format!("http://{}", config.bind);
    actix_web::rt::System::new().block_on(async move {
        let state = rapport_api::startup::open_state(&config).await?;
        let summary = rapport_api::service::demo::create(&state, &args.email, &password, &base_url)
            .await
            .map_err(super::api_error)?;
        println!("{}", serde_json::to_string_pretty(&summary)?);
        Ok(())
    })
}
