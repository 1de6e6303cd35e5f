//! REST handlers: parse, authorize, call one service function, map. Registered here.

pub mod accounts;
pub mod api_keys;
pub mod audit_log;
pub mod auth;
pub mod body;
pub mod campaigns;
pub mod complaints;
pub mod console;
pub mod contacts;
pub mod conventions;
pub mod credentials;
pub mod deals;
pub mod economics;
pub mod edge;
pub mod events;
pub mod exports;
pub mod feedback;
pub mod imports;
pub mod interactions;
pub mod loyalty;
pub mod offers;
pub mod orders;
pub mod privacy;
pub mod recommendations;
pub mod segments;
pub mod system;
pub mod users;
pub mod value;
pub mod webhooks;
pub mod workspace;

use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;

/// Every documented route. Anything registered elsewhere is missing from the OpenAPI spec.
///
/// Routes sharing a first segment live in one scope, and the routes under one account or deal
/// in a nested `/{id}` scope, so a request is matched against its own family only: actix tries
/// a scope's routes in order, and every dynamic route tried costs a regex match (13 % of the
/// server's CPU on a cached profile read when all routes sat in one flat list). A handler's
/// attribute holds its path inside its scope; the full path follows it in a comment.
pub fn configure(cfg: &mut ServiceConfig) {
    use utoipa_actix_web::scope::scope;
    cfg.service(system::healthz)
        .service(system::readyz)
        .service(system::metrics)
        .service(crate::graphql::http::graphql)
        .service(crate::graphql::http::graphiql)
        .service(
            scope("/v1")
                .service(auth::token)
                .service(auth::refresh)
                .service(auth::logout)
                .service(users::me)
                .service(
                    scope("/users")
                        .service(users::create)
                        .service(users::list)
                        .service(users::get)
                        .service(users::update),
                )
                .service(
                    scope("/api-keys")
                        .service(api_keys::create)
                        .service(api_keys::list)
                        .service(api_keys::get)
                        .service(api_keys::revoke),
                )
                .service(
                    scope("/webhooks")
                        .service(webhooks::create)
                        .service(webhooks::list)
                        .service(webhooks::get)
                        .service(webhooks::update)
                        .service(webhooks::remove)
                        .service(webhooks::rotate_secret)
                        .service(webhooks::list_deliveries)
                        .service(webhooks::redeliver)
                        .service(webhooks::ping),
                )
                .service(audit_log::list)
                .service(scope("/events").service(events::list).service(events::get))
                .service(workspace::get)
                .service(
                    scope("/accounts")
                        .service(accounts::create)
                        .service(accounts::batch)
                        .service(accounts::list)
                        .service(accounts::duplicates)
                        .service(
                            scope("/{id}")
                                .service(accounts::get)
                                .service(accounts::update)
                                .service(accounts::remove)
                                .service(accounts::merge_into)
                                .service(accounts::lifecycle_history)
                                .service(accounts::consent_history)
                                .service(contacts::create)
                                .service(contacts::list)
                                .service(interactions::create)
                                .service(interactions::list)
                                .service(orders::list_for_account)
                                .service(value::get_profile)
                                .service(value::get_metrics)
                                .service(recommendations::for_account)
                                .service(deals::list_for_account)
                                .service(loyalty::balance)
                                .service(loyalty::ledger)
                                .service(loyalty::ledger_entry)
                                .service(loyalty::redemptions)
                                .service(loyalty::redemption)
                                .service(loyalty::redeem)
                                .service(loyalty::fulfil_redemption)
                                .service(loyalty::cancel_redemption)
                                .service(loyalty::adjust)
                                .service(feedback::list_for_account)
                                .service(complaints::list_for_account)
                                .service(offers::for_account)
                                .service(offers::next_best_offers)
                                .service(privacy::personal_data)
                                .service(privacy::erase),
                        ),
                )
                .service(
                    scope("/contacts")
                        .service(contacts::get)
                        .service(contacts::update)
                        .service(contacts::remove),
                )
                .service(
                    scope("/interactions")
                        .service(interactions::get)
                        .service(interactions::update)
                        .service(interactions::remove),
                )
                .service(
                    scope("/orders")
                        .service(orders::create)
                        .service(orders::batch)
                        .service(orders::list)
                        .service(orders::get)
                        .service(orders::refund),
                )
                .service(
                    scope("/exports")
                        .service(exports::create)
                        .service(exports::list)
                        .service(exports::get)
                        .service(exports::download)
                        .service(exports::cancel),
                )
                .service(
                    scope("/imports")
                        .service(imports::create)
                        .service(imports::list)
                        .service(imports::get)
                        .service(imports::errors)
                        .service(imports::cancel),
                )
                .service(
                    scope("/feedback")
                        .service(feedback::create)
                        .service(feedback::batch)
                        .service(feedback::list)
                        .service(feedback::get),
                )
                .service(
                    scope("/complaints")
                        .service(complaints::create)
                        .service(complaints::list)
                        .service(complaints::get_settings)
                        .service(complaints::put_settings)
                        .service(
                            scope("/{id}")
                                .service(complaints::get)
                                .service(complaints::history)
                                .service(complaints::change_status)
                                .service(complaints::assign)
                                .service(complaints::add_note)
                                .service(complaints::resolve)
                                .service(complaints::reopen),
                        ),
                )
                .service(
                    scope("/segments")
                        .service(value::rfm_segments)
                        .service(value::segment_members)
                        .service(segments::create)
                        .service(segments::list)
                        .service(segments::preview)
                        .service(segments::get)
                        .service(segments::update)
                        .service(segments::remove)
                        .service(segments::members),
                )
                .service(
                    scope("/campaigns")
                        .service(campaigns::create)
                        .service(campaigns::list)
                        .service(campaigns::global_control)
                        .service(campaigns::set_global_control)
                        .service(campaigns::redraw_global_control)
                        .service(campaigns::get)
                        .service(campaigns::update)
                        .service(campaigns::remove)
                        .service(campaigns::launch)
                        .service(campaigns::list_members)
                        .service(campaigns::exposures)
                        .service(campaigns::results),
                )
                .service(
                    scope("/offers")
                        .service(offers::create)
                        .service(offers::list)
                        .service(offers::get)
                        .service(offers::update)
                        .service(offers::remove)
                        .service(offers::issue),
                )
                .service(
                    scope("/vouchers")
                        .service(offers::check)
                        .service(offers::cancel)
                        .service(offers::view),
                )
                .service(value::churn_model)
                .service(value::fit_churn_model)
                .service(value::backtest_churn_model)
                .service(value::at_risk_accounts)
                .service(recommendations::refresh)
                .service(economics::cohort_report)
                .service(economics::churn_report)
                .service(economics::acquisition_report)
                .service(economics::value_distribution)
                .service(economics::profitability_report)
                .service(feedback::satisfaction_report)
                .service(economics::upsert_spend)
                .service(economics::list_spend)
                .service(value::settings)
                .service(value::update_settings)
                .service(privacy::settings)
                .service(privacy::update_settings)
                .service(
                    scope("/pipelines")
                        .service(deals::create_pipeline)
                        .service(deals::list_pipelines)
                        .service(deals::get_pipeline)
                        .service(deals::update_pipeline)
                        .service(deals::archive_pipeline),
                )
                .service(
                    scope("/deals")
                        .service(deals::create)
                        .service(deals::list)
                        .service(
                            scope("/{id}")
                                .service(deals::get)
                                .service(deals::update)
                                .service(deals::remove)
                                .service(deals::move_deal)
                                .service(deals::reopen)
                                .service(deals::history),
                        ),
                )
                .service(deals::pipeline_analytics)
                .service(
                    scope("/loyalty")
                        .service(loyalty::get_program)
                        .service(loyalty::put_program)
                        .service(loyalty::create_reward)
                        .service(loyalty::list_rewards)
                        .service(loyalty::get_reward)
                        .service(loyalty::update_reward)
                        .service(loyalty::remove_reward),
                ),
        );
}

/// Which methods each documented path answers, to tell a wrong method (405) from an unknown
/// path (404) in the fallback.
pub struct RouteTable {
    routes: Vec<(Vec<Segment>, Vec<Method>)>,
}

enum Segment {
    Literal(String),
    /// A path parameter, by the name the spec gives it (`id`).
    Param(String),
}

impl RouteTable {
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi) -> Self {
        let mut routes: Vec<(Vec<Segment>, Vec<Method>)> = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .trim_matches('/')
                    .split('/')
                    .map(|s| {
                        if s.starts_with('{') {
                            Segment::Param(s.trim_matches(|c| c == '{' || c == '}').to_owned())
                        } else {
                            Segment::Literal(s.to_owned())
                        }
                    })
                    .collect();
                let methods = [
                    (&item.get, Method::GET),
                    (&item.post, Method::POST),
                    (&item.put, Method::PUT),
                    (&item.patch, Method::PATCH),
                    (&item.delete, Method::DELETE),
                ]
                .into_iter()
                .filter(|(op, _)| op.is_some())
                .map(|(_, m)| m)
                .collect();
                (segments, methods)
            })
            .collect();
        // The docs pages are served by Swagger UI outside the documented routes.
        routes.push((
            vec![Segment::Literal("openapi.json".into())],
            vec![Method::GET],
        ));
        routes.push((vec![Segment::Literal("docs".into())], vec![Method::GET]));
        Self { routes }
    }

    fn allowed(&self, path: &str) -> Option<&[Method]> {
        self.matching(path).map(|(_, methods)| methods.as_slice())
    }

    fn matching(&self, path: &str) -> Option<&(Vec<Segment>, Vec<Method>)> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.routes.iter().find(|(segments, _)| {
            segments.len() == parts.len()
                && segments.iter().zip(&parts).all(|(s, p)| match s {
                    Segment::Param(_) => !p.is_empty(),
                    Segment::Literal(l) => l == p,
                })
        })
    }

    /// The name of the path parameter at segment `index` of `path` (`id`), if a documented
    /// route matches there.
    pub fn param_name(&self, path: &str, index: usize) -> Option<&str> {
        match self.matching(path)?.0.get(index)? {
            Segment::Param(name) => Some(name),
            Segment::Literal(_) => None,
        }
    }
}

/// `/docs` -> `/docs/`, where Swagger UI (vendored in the binary) lives.
pub async fn docs_redirect() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Found()
        .insert_header((header::LOCATION, "/docs/"))
        .finish()
}

/// Answers every request no route took: 405 with `Allow` for a known path, 404 otherwise.
pub async fn fallback(
    req: HttpRequest,
    table: web::Data<RouteTable>,
) -> Result<actix_web::HttpResponse, ApiError> {
    Err(match table.allowed(req.path()) {
        Some(methods) if !methods.contains(req.method()) => {
            let allow = methods
                .iter()
                .map(Method::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("{} is not allowed here; use {allow}", req.method()),
            )
            .with_header(header::ALLOW, allow)
        }
        _ => ApiError::not_found(format!("no route for {} {}", req.method(), req.path())),
    })
}
