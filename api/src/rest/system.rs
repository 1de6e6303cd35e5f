//! Operational endpoints: `/healthz`, `/readyz`, `/metrics`.

use actix_web::{get, web, HttpResponse};

use crate::service::system::{readiness, Readiness};
use crate::state::AppState;

/// The process is up and serving.
#[utoipa::path(tag = "system", responses((status = 200, description = "Up", body = String, example = "ok")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// The database and the cache answer; 503 names the one that does not.
#[utoipa::path(
    tag = "system",
    responses(
        (status = 200, description = "Ready", body = Readiness),
        (status = 503, description = "A dependency is unreachable", body = Readiness)
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let report = readiness(&state).await;
    if report.status == "ok" {
        HttpResponse::Ok().json(report)
    } else {
        HttpResponse::ServiceUnavailable().json(report)
    }
}

/// Prometheus text exposition.
#[utoipa::path(tag = "system", responses((status = 200, description = "Metrics", body = String)))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(
            state.metrics.render(
                state.db.pool(),
                &[state.cache.outage(), state.rate_limiter.outage()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>(),
            ),
        )
}
