//! Liveness and readiness: can this node reach its database and its cache?

use diesel::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ok` when every dependency answers, `unavailable` otherwise.
    pub status: &'static str,
    pub database: DependencyStatus,
    pub cache: DependencyStatus,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DependencyStatus {
    /// `ok` or `unavailable`.
    pub status: &'static str,
    /// `sqlite` / `postgres`, `memory` / `redis`.
    pub kind: &'static str,
}

pub async fn readiness(state: &AppState) -> Readiness {
    let database_kind = match state.config.database_url.backend() {
        rapport_persistence::Backend::Sqlite => "sqlite",
        rapport_persistence::Backend::Postgres => "postgres",
    };
    let database_ok = state
        .db
        .run(|conn| Ok(diesel::sql_query("SELECT 1").execute(conn)?))
        .await
        .is_ok();
    let cache_ok = match state.cache.ping().await {
        Ok(()) => true,
        Err(err) => {
            tracing::warn!(error = %err, "cache is not reachable");
            false
        }
    };
    let status = |ok: bool| if ok { "ok" } else { "unavailable" };
    Readiness {
        status: status(database_ok && cache_ok),
        database: DependencyStatus {
            status: status(database_ok),
            kind: database_kind,
        },
        cache: DependencyStatus {
            status: status(cache_ok),
            kind: state.cache.kind(),
        },
    }
}
