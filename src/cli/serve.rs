//! `rapport serve`: the API server.

use rapport_api::Application;

pub fn run() -> anyhow::Result<()> {
    let config = super::setup()?;
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(config.clone()).await?;
        let host = config.bind.rsplit_once(':').map_or("127.0.0.1", |(h, _)| h);
        tracing::info!(
            "listening on http://{host}:{} (docs at /docs, GraphQL at /graphql)",
            app.port()
        );
        app.run_until_stopped().await?;
        tracing::info!("stopped");
        Ok(())
    })
}
