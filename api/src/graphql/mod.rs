//! The GraphQL schema: roots merged from each feature's queries and mutations, and the
//! helpers every resolver uses (principal, state, error mapping, connections).

pub mod crm;
pub mod deals;
pub mod http;
mod identity;
pub mod limits;
mod loyalty;
mod system;
mod text;
pub mod value;

use async_graphql::connection::{Connection, Edge};
use async_graphql::{
    Context, EmptySubscription, ErrorExtensions, MergedObject, OutputType, Schema, SchemaBuilder,
};

use crate::auth::Principal;
use crate::error::ApiError;
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
);

#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    identity::IdentityMutation,
    crm::CrmMutation,
    value::ValueMutation,
    deals::DealsMutation,
    loyalty::LoyaltyMutation,
);

pub type ApiSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

fn builder() -> SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
    .extension(text::TextCheck)
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

/// The caller, or an `unauthenticated` error.
pub fn principal<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a Principal> {
    ctx.data_opt::<Principal>().ok_or_else(|| {
        gql(ApiError::unauthenticated(
            "send `Authorization: Bearer <token>` with an access token or an API key",
        ))
    })
}

pub fn state<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a AppState> {
    ctx.data::<AppState>()
}

/// An API error as a GraphQL error with the same stable `code` (and HTTP-like `status`) in
/// `extensions`, and field errors when validation failed.
pub fn gql(err: ApiError) -> async_graphql::Error {
    async_graphql::Error::new(err.detail.clone()).extend_with(|_, ext| {
        ext.set("code", err.code);
        ext.set("status", err.status.as_u16());
        if !err.errors.is_empty() {
            let fields: Vec<async_graphql::Value> = err
                .errors
                .iter()
                .map(|f| {
                    let mut map = async_graphql::indexmap::IndexMap::new();
                    map.insert(
                        async_graphql::Name::new("field"),
                        async_graphql::Value::from(f.field.clone()),
                    );
                    map.insert(
                        async_graphql::Name::new("message"),
                        async_graphql::Value::from(f.message.clone()),
                    );
                    async_graphql::Value::Object(map)
                })
                .collect();
            ext.set("errors", async_graphql::Value::List(fields));
        }
    })
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
