//! Queries about the service itself.

use async_graphql::Object;

#[derive(Default)]
pub struct SystemQuery;

#[Object]
impl SystemQuery {
    /// The version of the Rapport server answering.
    async fn server_version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }
}
