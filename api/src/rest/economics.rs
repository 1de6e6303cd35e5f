//! Customer economics: retention cohorts, churn and growth accounting. JSON by default,
//! CSV with `Accept: text/csv`.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::auth::Principal;
use crate::error::{ApiError, Problem};
use crate::rest::edge::Query;
use crate::service::economics::churn::{self, ChurnQuery, ChurnReport};
use crate::service::economics::cohorts::{self, CohortQuery, CohortReport};
use crate::state::AppState;

/// Whether the client asked for CSV.
fn wants_csv(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|t| t.trim().starts_with("text/csv")))
}

fn respond<T: serde::Serialize>(
    req: &HttpRequest,
    body: &T,
    csv: impl FnOnce() -> String,
) -> HttpResponse {
    if wants_csv(req) {
        HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .body(csv())
    } else {
        HttpResponse::Ok().json(body)
    }
}

/// Retention cohorts: customers by the period of their first purchase (optionally by
/// acquisition channel), with classic and rolling retention and cumulative revenue and
/// margin per customer for each period since. Amounts in the reporting currency, net of
/// refunds; periods in UTC. `Accept: text/csv` returns one row per cohort and period.
#[utoipa::path(
    tag = "analytics",
    security(("bearer" = [])),
    params(CohortQuery),
    responses(
        (status = 200, content(
            (CohortReport = "application/json"),
            (String = "text/csv", example = "currency,period_kind,cohort,...\r\nEUR,month,2026-01,...\r\n")
        )),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad `period`, `from`, `to` or `group_by`", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/analytics/cohorts")]
pub async fn cohort_report(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    query: Query<CohortQuery>,
) -> Result<HttpResponse, ApiError> {
    let report: CohortReport = cohorts::report(&state, &principal, query.into_inner()).await?;
    Ok(respond(&req, &report, || report.to_csv()))
}

/// Repeat-purchase rate, growth accounting (new, retained, reactivated, lost customers) and
/// churn by inactivity (`inactive_days`, default 90) per period, and the churn the fitted
/// model expects from P(alive). Periods in UTC. `Accept: text/csv` returns one row per period.
#[utoipa::path(
    tag = "analytics",
    security(("bearer" = [])),
    params(ChurnQuery),
    responses(
        (status = 200, content(
            (ChurnReport = "application/json"),
            (String = "text/csv", example = "period_kind,period,...\r\nmonth,2026-01,...\r\n")
        )),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad `period`, `from`, `to` or `inactive_days`", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/analytics/churn")]
pub async fn churn_report(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    query: Query<ChurnQuery>,
) -> Result<HttpResponse, ApiError> {
    let report: ChurnReport = churn::report(&state, &principal, query.into_inner()).await?;
    Ok(respond(&req, &report, || report.to_csv()))
}
