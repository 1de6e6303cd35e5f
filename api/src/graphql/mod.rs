//! The GraphQL schema: roots merged from each feature's queries and mutations, and the
//! helpers every resolver uses (principal, state, error mapping, connections).

mod campaigns;
pub mod crm;
pub mod deals;
pub mod document;
pub mod economics;
mod errors;
mod events;
pub mod exports;
pub mod feedback;
mod graphiql;
pub mod http;
mod identity;
pub mod imports;
mod inputs;
pub mod limits;
mod loyalty;
mod offers;
mod outcomes;
pub mod prefetch;
mod privacy;
pub mod scalars;
mod segments;
mod system;
mod text;
pub mod value;
mod webhooks;

use std::sync::OnceLock;
use std::time::Duration;

use async_graphql::connection::{Connection, Edge};
use async_graphql::dataloader::DataLoader;
use async_graphql::{
    Context, EmptySubscription, ErrorExtensions, MergedObject, OutputType, Schema, SchemaBuilder,
};
use chrono::{DateTime, Utc};

use crate::auth::Principal;
use crate::error::ApiError;
pub use crate::graphql::errors::{gql, gql_in, gql_patch};
use crate::service::Page;
use crate::state::AppState;

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    system::SystemQuery,
    identity::IdentityQuery,
    crm::CrmQuery,
    value::ValueQuery,
    deals::DealsQuery,
    loyalty::LoyaltyQuery,
    events::EventsQuery,
    webhooks::WebhooksQuery,
    segments::SegmentsQuery,
    campaigns::CampaignsQuery,
    offers::OffersQuery,
    economics::EconomicsQuery,
    feedback::FeedbackQuery,
    imports::ImportsQuery,
    exports::ExportsQuery,
    privacy::PrivacyQuery,
);

#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    identity::IdentityMutation,
    crm::CrmMutation,
    value::ValueMutation,
    deals::DealsMutation,
    loyalty::LoyaltyMutation,
    webhooks::WebhooksMutation,
    segments::SegmentsMutation,
    campaigns::CampaignsMutation,
    offers::OffersMutation,
    economics::EconomicsMutation,
    feedback::FeedbackMutation,
    privacy::PrivacyMutation,
    exports::ExportsMutation,
);

pub type ApiSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

fn builder() -> SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
    .override_output_type_description::<DateTime<Utc>>(scalars::DATE_TIME_DESCRIPTION)
    .override_input_type_description::<DateTime<Utc>>(scalars::DATE_TIME_DESCRIPTION)
}

/// The served schema, with the limits of [`limits`] (depth and complexity are checked there,
/// with stable error codes).
pub fn build(state: AppState) -> ApiSchema {
    let max_resolved = state.config.graphql_max_resolved_values;
    builder()
        .extension(limits::DocumentLimits { max_resolved })
        .data(state)
        .finish()
}

/// The SDL published as `schema.graphql`, built without any database.
pub fn sdl() -> String {
    builder().finish().sdl()
}

/// The caller, or an `unauthenticated` error: the same for a missing token and for a bad
/// or expired one (whose reason is the message).
pub fn principal<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a Principal> {
    if let Some(principal) = ctx.data_opt::<Principal>() {
        return Ok(principal);
    }
    Err(match ctx.data_opt::<AuthFailure>() {
        // The same code as a missing token; REST's finer code stays as the `reason`.
        Some(AuthFailure(e)) => {
            let reason = e.code;
            gql(ApiError::unauthenticated(e.detail.clone()))
                .extend_with(|_, ext| ext.set("reason", reason))
        }
        None => gql(ApiError::unauthenticated(
            "send `Authorization: Bearer <token>` with an access token or an API key",
        )),
    })
}

/// Why the request's credentials were refused; the operation then runs without a caller.
pub struct AuthFailure(pub ApiError);

pub fn state<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a AppState> {
    ctx.data::<AppState>()
}

/// A request's DataLoader: the keys its resolvers ask for while the executor walks one level
/// of the document become one batch. No timer: the batch runs as a task that the request's
/// own task hands over to, and the executor polls every sibling field (every item of a page)
/// before it waits, so all their keys are in by then. An actix worker runs its tasks on one
/// thread, so that task cannot start before the request's task waits; the task also yields
/// once before it takes the keys. (The default 1 ms window cost every request a timer on
/// another thread and at least 1 ms, which was most of a single-account query's time at one
/// connection.) `tests/graphql_loaders.rs` checks that a page's children are one batch.
pub fn request_loader<T: Send + Sync + 'static>(loader: T) -> DataLoader<T> {
    DataLoader::new(loader, |batch| {
        tokio::spawn(async move {
            tokio::task::yield_now().await;
            batch.await;
        })
    })
    .delay(Duration::ZERO)
}

/// A request's loaders, each made on first use (most documents use none; making them cost
/// two `AppState` clones and allocations on every request). Per request and per workspace:
/// nothing cached crosses either.
pub struct Loaders {
    state: AppState,
    workspace_id: String,
    contacts: OnceLock<DataLoader<crm::ContactsByAccount>>,
    metrics: OnceLock<DataLoader<value::MetricsByAccount>>,
}

impl Loaders {
    pub fn new(state: AppState, workspace_id: String) -> Self {
        Self {
            state,
            workspace_id,
            contacts: OnceLock::new(),
            metrics: OnceLock::new(),
        }
    }

    pub fn contacts(&self) -> &DataLoader<crm::ContactsByAccount> {
        self.contacts.get_or_init(|| {
            crm::ContactsByAccount::loader(self.state.clone(), self.workspace_id.clone())
        })
    }

    pub fn metrics(&self) -> &DataLoader<value::MetricsByAccount> {
        self.metrics.get_or_init(|| {
            value::MetricsByAccount::loader(self.state.clone(), self.workspace_id.clone())
        })
    }
}

/// A REST page as a Relay connection (forward pagination).
pub fn connection<T: OutputType>(
    page: Page<T>,
    cursor: impl Fn(&T) -> String,
) -> Connection<String, T> {
    let mut conn = Connection::new(false, page.next_cursor.is_some());
    conn.edges.extend(
        page.data
            .into_iter()
            .map(|node| Edge::new(cursor(&node), node)),
    );
    conn
}
