//! What one GraphQL document may cost, checked before anything runs and bounded while it
//! runs: its shape (fields, aliases, root fields, mutations, expensive mutations once), its
//! complexity (list fields weigh as many items as the page they ask for), a share of the
//! caller's rate limit in proportion to that complexity, and a budget of resolved values.
//!
//! Every refusal is one GraphQL error with a stable `extensions.code`, and no data.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextResolve,
    NextValidation, ResolveInfo,
};
use async_graphql::parser::types::{
    ExecutableDocument, FragmentDefinition, OperationType, Selection, SelectionSet,
};
use async_graphql::{Name, Positioned, Response, ServerError, ServerResult, ValidationResult};
use async_graphql::{Value, Variables};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::graphql::{errors, gql, text};
use crate::state::AppState;

/// Deep enough for GraphiQL's introspection query, shallow enough to stop abuse.
pub const MAX_DEPTH: usize = 16;
/// The complexity of one document: each field counts 1, a list counts its page size times
/// what each item selects. A page of 500 accounts with a dozen fields each fits; the same
/// page with each account's orders does not.
pub const MAX_COMPLEXITY: usize = 10_000;
/// Fields in a document once its fragments are expanded.
pub const MAX_FIELDS: u64 = 2_000;
/// Aliased fields in a document (fragments expanded).
pub const MAX_ALIASES: u64 = 20;
/// Fields at the root of an operation (queries or mutations run side by side).
pub const MAX_ROOT_FIELDS: usize = 20;
/// Mutations in one document.
pub const MAX_MUTATIONS: usize = 10;
/// Mutations that refit a model or write in bulk: at most one of them per document.
pub const EXPENSIVE_MUTATIONS: &[&str] = &["fitChurnModel", "createOrders"];
/// Complexity bought by one token of the caller's rate limit (a REST request costs one).
pub const COMPLEXITY_PER_TOKEN: usize = 250;

/// The page a list field serves when `first` is not given, and the largest it may ask for.
const DEFAULT_PAGE: usize = 50;
const MAX_PAGE: usize = 500;
/// What an unpaged list of children (an account's contacts, a deal's history) is assumed
/// to hold; the resolved-values budget catches the lists that hold far more.
const UNPAGED_LIST: usize = 20;
/// No field costs more than this: sums of capped costs cannot overflow.
const COST_CAP: usize = 1 << 40;

/// The complexity of a paged list field: the page it asks for times what each item selects.
pub fn page(first: Option<i32>, child_complexity: usize) -> usize {
    let size = first
        .and_then(|f| usize::try_from(f).ok())
        .unwrap_or(DEFAULT_PAGE)
        .clamp(1, MAX_PAGE);
    size.saturating_mul(child_complexity.max(1))
        .saturating_add(1)
        .min(COST_CAP)
}

/// The complexity of an unpaged list of children.
pub fn list(child_complexity: usize) -> usize {
    UNPAGED_LIST
        .saturating_mul(child_complexity.max(1))
        .saturating_add(1)
        .min(COST_CAP)
}

/// Installs the checks in a schema: the GraphQL door's one extension. Besides the limits it
/// gives the machinery's errors their codes ([`errors`]) and runs the text check ([`text`]).
/// One extension, not one per concern: with any extension installed, every field resolves
/// through the chain of `resolve` hooks, one boxed future per extension and field.
pub struct DocumentLimits {
    /// Values (fields and list items) one request may resolve before it is stopped.
    pub max_resolved: usize,
}

impl ExtensionFactory for DocumentLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RequestLimits {
            max_resolved: self.max_resolved,
            resolved: AtomicUsize::new(0),
            over_budget: AtomicBool::new(false),
        })
    }
}

/// One request's checks (an extension instance lives for one request).
struct RequestLimits {
    max_resolved: usize,
    resolved: AtomicUsize,
    over_budget: AtomicBool,
}

fn refusal(err: ApiError) -> ServerError {
    gql(err).into_server_error(async_graphql::Pos::default())
}

fn too_big(code: &'static str, detail: String) -> ServerError {
    refusal(ApiError::bad_request(code, detail))
}

#[async_trait::async_trait]
impl Extension for RequestLimits {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next
            .run(ctx, query, variables)
            .await
            .map_err(errors::parse_failed)?;
        check_shape(&doc)?;
        text::check(&doc, variables)?;
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await.map_err(errors::validation_failed)?;
        if result.depth > MAX_DEPTH {
            return Err(vec![too_big(
                "query_too_deep",
                format!(
                    "the document is nested too deep ({} levels); at most {MAX_DEPTH} are \
                     allowed",
                    result.depth
                ),
            )]);
        }
        if result.complexity > MAX_COMPLEXITY {
            return Err(vec![too_big(
                "query_too_complex",
                format!(
                    "the document's complexity is {} (each list field counts its page size \
                     times what each item selects); at most {MAX_COMPLEXITY} is allowed: ask \
                     for smaller pages or fewer nested lists",
                    result.complexity
                ),
            )]);
        }
        charge(ctx, result.complexity).await?;
        Ok(result)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let response = next.run(ctx, operation_name).await;
        if self.over_budget.load(Ordering::Relaxed) {
            // The partial answer is dropped: one error says why.
            return Response::from_errors(vec![too_big(
                "result_too_large",
                format!(
                    "the answer would hold more than {} values; ask for smaller pages or \
                     fewer fields",
                    self.max_resolved
                ),
            )]);
        }
        response
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if info.is_for_introspection {
            // Bounded by the schema, not the data.
            return next.run(ctx, info).await;
        }
        let resolved = self.resolved.fetch_add(1, Ordering::Relaxed);
        if resolved >= self.max_resolved || self.over_budget.load(Ordering::Relaxed) {
            // Stop here rather than run on; `execute` replaces the answer.
            self.over_budget.store(true, Ordering::Relaxed);
            return Err(ServerError::new("result too large", None));
        }
        next.run(ctx, info).await
    }
}

/// Takes tokens for the document's complexity from the caller's rate-limit bucket (the
/// request itself already took one).
async fn charge(ctx: &ExtensionContext<'_>, complexity: usize) -> Result<(), Vec<ServerError>> {
    let cost = complexity / COMPLEXITY_PER_TOKEN;
    if cost == 0 {
        return Ok(());
    }
    let (Some(principal), Some(state)) = (ctx.data_opt::<Principal>(), ctx.data_opt::<AppState>())
    else {
        return Ok(());
    };
    let cost = u32::try_from(cost).unwrap_or(u32::MAX);
    match crate::service::auth::charge(state, principal, cost).await {
        Some(decision) if !decision.allowed => {
            let mut err = ApiError::rate_limited(decision.retry_after_secs);
            err.detail = format!(
                "this document costs {cost} requests of your rate limit ({} a minute, {} \
                 left); retry in {} s",
                decision.limit, decision.remaining, decision.retry_after_secs
            );
            Err(vec![refusal(err)])
        }
        _ => Ok(()),
    }
}

/// What a selection holds once fragments are expanded (saturating counts).
#[derive(Default, Clone, Copy)]
struct Counts {
    fields: u64,
    aliases: u64,
}

impl Counts {
    fn add(self, other: Counts) -> Counts {
        Counts {
            fields: self.fields.saturating_add(other.fields),
            aliases: self.aliases.saturating_add(other.aliases),
        }
    }
}

/// Counts a selection set, each fragment once (memoised, so a document that spreads a
/// fragment that spreads another twice, and so on, is counted without being expanded).
/// A fragment cycle counts nothing here; validation refuses it.
fn count(
    set: &SelectionSet,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
    memo: &mut HashMap<Name, Counts>,
    visiting: &mut HashSet<Name>,
) -> Counts {
    let mut total = Counts::default();
    for item in &set.items {
        let counts = match &item.node {
            Selection::Field(field) => Counts {
                fields: 1,
                aliases: u64::from(field.node.alias.is_some()),
            }
            .add(count(
                &field.node.selection_set.node,
                fragments,
                memo,
                visiting,
            )),
            Selection::InlineFragment(inline) => {
                count(&inline.node.selection_set.node, fragments, memo, visiting)
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                if let Some(known) = memo.get(name) {
                    *known
                } else if let Some(fragment) = fragments.get(name) {
                    if visiting.insert(name.clone()) {
                        let counts =
                            count(&fragment.node.selection_set.node, fragments, memo, visiting);
                        visiting.remove(name);
                        memo.insert(name.clone(), counts);
                        counts
                    } else {
                        Counts::default()
                    }
                } else {
                    Counts::default()
                }
            }
        };
        total = total.add(counts);
    }
    total
}

/// The names of an operation's root fields, fragments expanded (called once the document
/// is known to be small, so the expansion is bounded).
fn root_fields<'a>(
    set: &'a SelectionSet,
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    depth: usize,
    out: &mut Vec<&'a str>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => out.push(field.node.name.node.as_str()),
            Selection::InlineFragment(inline) => {
                root_fields(&inline.node.selection_set.node, fragments, depth + 1, out);
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = fragments.get(&spread.node.fragment_name.node) {
                    root_fields(&fragment.node.selection_set.node, fragments, depth + 1, out);
                }
            }
        }
    }
}

/// The document's shape, before validation (which expands fragments) runs.
fn check_shape(doc: &ExecutableDocument) -> ServerResult<()> {
    let mut memo = HashMap::new();
    let mut total = Counts::default();
    for (_, operation) in doc.operations.iter() {
        let counts = count(
            &operation.node.selection_set.node,
            &doc.fragments,
            &mut memo,
            &mut HashSet::new(),
        );
        total = total.add(counts);
    }
    if total.fields > MAX_FIELDS {
        return Err(too_big(
            "query_too_large",
            format!(
                "the document selects {} fields once its fragments are expanded; at most \
                 {MAX_FIELDS} are allowed",
                total.fields
            ),
        ));
    }
    if total.aliases > MAX_ALIASES {
        return Err(too_big(
            "too_many_aliases",
            format!(
                "the document uses {} aliases; at most {MAX_ALIASES} are allowed",
                total.aliases
            ),
        ));
    }
    for (_, operation) in doc.operations.iter() {
        let mut roots = Vec::new();
        root_fields(
            &operation.node.selection_set.node,
            &doc.fragments,
            0,
            &mut roots,
        );
        if roots.len() > MAX_ROOT_FIELDS {
            return Err(too_big(
                "too_many_root_fields",
                format!(
                    "an operation selects {} root fields; at most {MAX_ROOT_FIELDS} are allowed",
                    roots.len()
                ),
            ));
        }
        if operation.node.ty != OperationType::Mutation {
            continue;
        }
        if roots.len() > MAX_MUTATIONS {
            return Err(too_big(
                "too_many_mutations",
                format!(
                    "a document may run at most {MAX_MUTATIONS} mutations; this one runs {}",
                    roots.len()
                ),
            ));
        }
        let expensive: Vec<&str> = roots
            .iter()
            .copied()
            .filter(|name| EXPENSIVE_MUTATIONS.contains(name))
            .collect();
        if expensive.len() > 1 {
            return Err(too_big(
                "expensive_mutation_repeated",
                format!(
                    "{} may run once per document, alone among the expensive mutations ({}); \
                     this one runs {}",
                    expensive.join(", "),
                    EXPENSIVE_MUTATIONS.join(", "),
                    expensive.len()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(query: &str) -> Result<(), String> {
        let doc = async_graphql::parser::parse_query(query).map_err(|e| e.to_string())?;
        check_shape(&doc).map_err(|e| e.message)
    }

    #[test]
    fn pages_weigh_what_they_ask_for() {
        assert_eq!(page(Some(500), 3), 1_501);
        assert_eq!(page(None, 3), 151);
        assert_eq!(
            page(Some(-5), 3),
            151,
            "refused by the resolver; weighed as the default"
        );
        assert_eq!(page(Some(i32::MAX), 1), 501);
        assert_eq!(page(Some(500), usize::MAX), COST_CAP);
    }

    #[test]
    fn a_fragment_bomb_is_counted_without_expanding_it() {
        let mut query = String::from("query { ...F0 }\nfragment F0 on Query { serverVersion }\n");
        for i in 1..60 {
            query.push_str(&format!(
                "fragment F{i} on Query {{ ...F{} ...F{} }}\n",
                i - 1,
                i - 1
            ));
        }
        query = query.replace("...F0 }\nfragment F0", "...F59 }\nfragment F0");
        let refused = shape(&query).err().unwrap_or_default();
        assert!(
            refused.contains("fields once its fragments are expanded"),
            "{refused}"
        );
    }

    #[test]
    fn expensive_mutations_run_once() {
        assert!(shape("mutation { fitChurnModel { version } }").is_ok());
        let twice = "mutation { a: fitChurnModel { version } b: fitChurnModel { version } }";
        assert!(shape(twice).is_err());
        let through_fragment =
            "mutation { fitChurnModel { version } ...M } fragment M on Mutation { x: fitChurnModel { version } }";
        assert!(shape(through_fragment).is_err());
    }
}
