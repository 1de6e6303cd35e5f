//! The GraphQL schema: one root merged from each feature's queries, and its HTTP endpoints.

pub mod http;
mod system;

use async_graphql::{EmptyMutation, EmptySubscription, MergedObject, Schema, SchemaBuilder};

use crate::state::AppState;

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(system::SystemQuery);

pub type ApiSchema = Schema<QueryRoot, EmptyMutation, EmptySubscription>;

/// Deep enough for GraphiQL's introspection query, shallow enough to stop abuse.
const MAX_DEPTH: usize = 16;
const MAX_COMPLEXITY: usize = 5_000;

fn builder() -> SchemaBuilder<QueryRoot, EmptyMutation, EmptySubscription> {
    Schema::build(QueryRoot::default(), EmptyMutation, EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
}

pub fn build(state: AppState) -> ApiSchema {
    builder().data(state).finish()
}

/// The SDL published as `schema.graphql`, built without any database.
pub fn sdl() -> String {
    builder().finish().sdl()
}
