//! Accounts, contacts and interactions over GraphQL: the same services, scopes and
//! workspace filter as REST, with Relay connections and a per-request contacts loader.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::connection::{Connection, Edge};
use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, InputObject, Object, Result, ID};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::error::ApiError;
use crate::graphql::inputs;
use crate::graphql::outcomes::{fresh_or_replayed, idempotency, not_found_is_null};
use crate::graphql::prefetch::Prefetched;
use crate::graphql::{connection, gql, gql_in, gql_patch, principal, state};
use crate::service::account_view;
use crate::service::accounts::{self, Account, AccountQuery, ConsentEvent, LifecycleChange};
use crate::service::contacts::{self, Contact, ContactInput, ContactQuery};
use crate::service::cursor::Cursor;
use crate::service::interactions::{self, Interaction, InteractionQuery};
use crate::service::merge::{self, DuplicatePair, DuplicateQuery, MergeInput, MergeResult};
use crate::state::AppState;

/// Narrows an account list; every field is optional (same as the REST query parameters).
#[derive(Debug, Default, InputObject)]
pub struct AccountFilterInput {
    /// Prefix search on name words, e-mails and phone numbers.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub lifecycle_stage: Option<String>,
    pub tag: Option<String>,
    pub owner_id: Option<ID>,
    pub external_id: Option<String>,
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    pub updated_after: Option<DateTime<Utc>>,
    pub updated_before: Option<DateTime<Utc>>,
    /// Only the members of this segment (its rule, evaluated now).
    pub segment_id: Option<ID>,
}

#[derive(Default)]
pub struct CrmQuery;

#[Object]
impl CrmQuery {
    /// One account, or null when there is none with this id in the workspace.
    async fn account(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Account>> {
        let selection = ctx.look_ahead();
        if selection.field("contacts").exists() || selection.field("metrics").exists() {
            // The account, its metrics and its contacts in one cached read (a merged
            // account's id reads its survivor, as `GET /v1/accounts/{id}` does).
            let (state, principal) = (state(ctx)?, principal(ctx)?);
            let view = crate::service::accounts::following_redirect(
                state,
                principal,
                &id,
                |id| async move { account_view::get(state, principal, &id).await },
            )
            .await;
            return match view {
                Ok(view) => {
                    if let Some(prefetched) = ctx.data_opt::<Prefetched>() {
                        prefetched.put(&view.account.id, view.contacts, view.metrics);
                    }
                    Ok(Some(view.account))
                }
                Err(e) if e.code == "not_found" => Ok(None),
                Err(e) => Err(gql(e)),
            };
        }
        match accounts::get(state(ctx)?, principal(ctx)?, &id).await {
            Ok(account) => Ok(Some(account)),
            Err(e) if e.code == "not_found" => Ok(None),
            Err(e) => Err(gql(e)),
        }
    }

    /// Pairs of live accounts that may be one customer, best first (see
    /// `GET /v1/accounts/duplicates`).
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn account_duplicates(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        min_score: Option<f64>,
    ) -> Result<Connection<String, DuplicatePair>> {
        let query = DuplicateQuery {
            limit: first.map(i64::from),
            after,
            min_score,
        };
        let page = merge::duplicates(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)?;
        Ok(connection(page, merge::pair_cursor))
    }

    /// One contact, or null.
    async fn contact(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Contact>> {
        not_found_is_null(contacts::get(state(ctx)?, principal(ctx)?, &id).await)
    }

    /// One interaction, or null.
    async fn interaction(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Interaction>> {
        not_found_is_null(interactions::get(state(ctx)?, principal(ctx)?, &id).await)
    }

    /// An account's contacts, in pages.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, Contact>> {
        let query = ContactQuery {
            limit: first.map(i64::from),
            after,
        };
        let page = contacts::list_for_account(state(ctx)?, principal(ctx)?, &account_id, query)
            .await
            .map_err(gql)?;
        Ok(connection(page, |c| {
            Cursor::new("id", String::new(), &c.id).encode()
        }))
    }

    /// Accounts, filtered and sorted (`id`, `name`, `created_at`, `updated_at`, `-` for
    /// descending), in pages.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<AccountFilterInput>,
        sort: Option<String>,
    ) -> Result<Connection<String, Account>> {
        let f = filter.unwrap_or_default();
        let query = AccountQuery {
            limit: first.map(i64::from),
            after,
            sort: sort.clone(),
            q: f.q,
            kind: f.kind,
            lifecycle_stage: f.lifecycle_stage,
            tag: f.tag,
            owner_id: f.owner_id.map(|id| id.0),
            external_id: f.external_id,
            created_after: f.created_after,
            created_before: f.created_before,
            updated_after: f.updated_after,
            updated_before: f.updated_before,
            segment_id: f.segment_id.map(|id| id.0),
        };
        let page = accounts::list(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql_in("filter"))?;
        let mut conn = Connection::new(false, page.next_cursor.is_some());
        for account in page.data {
            let cursor =
                accounts::edge_cursor(sort.as_deref(), &account).map_err(gql_in("filter"))?;
            conn.edges.push(Edge::new(cursor, account));
        }
        Ok(conn)
    }
}

#[derive(Default)]
pub struct CrmMutation;

#[Object]
impl CrmMutation {
    /// Merge the accounts `from` into `id` (see `POST /v1/accounts/{id}/merge`): everything
    /// they own moves to `id`, and their ids read as `id` from then on. Repeating a merge
    /// that succeeded answers the same result.
    async fn merge_accounts(
        &self,
        ctx: &Context<'_>,
        id: ID,
        from: Vec<ID>,
        idempotency_key: Option<String>,
    ) -> Result<MergeResult> {
        let input = MergeInput {
            from: from.into_iter().map(|id| id.0).collect(),
        };
        let idem = idempotency(
            idempotency_key,
            &format!("mergeAccounts {}", id.as_str()),
            &input,
        )?;
        let outcome = merge::merge(state(ctx)?, principal(ctx)?, &id, input, idem)
            .await
            .map_err(gql)?;
        fresh_or_replayed(outcome)
    }

    /// Add a person to an organization account.
    async fn create_contact(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
        input: ContactInput,
        idempotency_key: Option<String>,
    ) -> Result<Contact> {
        let idem = idempotency(
            idempotency_key,
            &format!("createContact {}", account_id.as_str()),
            &input,
        )?;
        let outcome = contacts::create(state(ctx)?, principal(ctx)?, &account_id, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Change a contact with a JSON merge patch.
    async fn update_contact(
        &self,
        ctx: &Context<'_>,
        id: ID,
        patch: Value,
        if_version: Option<i64>,
    ) -> Result<Contact> {
        contacts::update(state(ctx)?, principal(ctx)?, &id, patch, if_version)
            .await
            .map_err(gql_patch)
    }

    async fn delete_contact(
        &self,
        ctx: &Context<'_>,
        id: ID,
        if_version: Option<i64>,
    ) -> Result<bool> {
        contacts::delete(state(ctx)?, principal(ctx)?, &id, if_version)
            .await
            .map_err(gql)?;
        Ok(true)
    }

    /// Add a note, call, e-mail, meeting, task, ticket or feedback to an account's timeline.
    async fn create_interaction(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
        input: inputs::InteractionInput,
        idempotency_key: Option<String>,
    ) -> Result<Interaction> {
        let input = interactions::InteractionInput::from(input);
        let idem = idempotency(
            idempotency_key,
            &format!("createInteraction {}", account_id.as_str()),
            &input,
        )?;
        let outcome = interactions::create(state(ctx)?, principal(ctx)?, &account_id, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Change an interaction with a JSON merge patch (e.g. `{"done": true}` for a task).
    async fn update_interaction(
        &self,
        ctx: &Context<'_>,
        id: ID,
        patch: Value,
        if_version: Option<i64>,
    ) -> Result<Interaction> {
        interactions::update(state(ctx)?, principal(ctx)?, &id, patch, if_version)
            .await
            .map_err(gql_patch)
    }

    async fn delete_interaction(
        &self,
        ctx: &Context<'_>,
        id: ID,
        if_version: Option<i64>,
    ) -> Result<bool> {
        interactions::delete(state(ctx)?, principal(ctx)?, &id, if_version)
            .await
            .map_err(gql)?;
        Ok(true)
    }

    /// Create an account. With `idempotencyKey`, a retry returns the same account.
    async fn create_account(
        &self,
        ctx: &Context<'_>,
        input: inputs::AccountInput,
        idempotency_key: Option<String>,
    ) -> Result<Account> {
        let input = accounts::AccountInput::from(input);
        let idem = idempotency(idempotency_key, "createAccount", &input)?;
        let outcome = accounts::create(state(ctx)?, principal(ctx)?, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Change an account with a JSON merge patch (`null` clears a field). With `ifVersion`,
    /// only if the account is still at that version.
    async fn update_account(
        &self,
        ctx: &Context<'_>,
        id: ID,
        patch: Value,
        if_version: Option<i64>,
    ) -> Result<Account> {
        accounts::update(state(ctx)?, principal(ctx)?, &id, patch, if_version)
            .await
            .map_err(gql_patch)
    }

    /// Delete an account (soft). Returns true.
    async fn delete_account(
        &self,
        ctx: &Context<'_>,
        id: ID,
        if_version: Option<i64>,
    ) -> Result<bool> {
        accounts::delete(state(ctx)?, principal(ctx)?, &id, if_version)
            .await
            .map_err(gql)?;
        Ok(true)
    }
}

/// Loads the contacts of many accounts in one query. Built per request with the caller's
/// workspace, so nothing is shared across requests or tenants.
pub struct ContactsByAccount {
    state: AppState,
    workspace_id: String,
}

impl ContactsByAccount {
    pub fn loader(state: AppState, workspace_id: String) -> DataLoader<Self> {
        crate::graphql::request_loader(Self {
            state,
            workspace_id,
        })
    }
}

impl Loader<String> for ContactsByAccount {
    type Value = Vec<Contact>;
    type Error = Arc<ApiError>;

    async fn load(
        &self,
        keys: &[String],
    ) -> std::result::Result<HashMap<String, Vec<Contact>>, Self::Error> {
        let (workspace, ids) = (self.workspace_id.clone(), keys.to_vec());
        let found = self
            .state
            .db
            .run(move |conn| contacts::for_accounts(conn, &workspace, &ids))
            .await
            .map_err(Arc::new)?;
        let mut by_account: HashMap<String, Vec<Contact>> = HashMap::new();
        for contact in found {
            by_account
                .entry(contact.account_id.clone())
                .or_default()
                .push(contact);
        }
        Ok(by_account)
    }
}

#[async_graphql::ComplexObject]
impl Account {
    /// The offers this customer may get now, ranked by expected incremental margin (as
    /// `GET /v1/accounts/{id}/next-best-offers`). Needs `offers:read`.
    #[graphql(complexity = "crate::graphql::limits::list(child_complexity)")]
    async fn next_best_offers(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::service::offers::next_best::NextBestOffer>> {
        crate::service::offers::next_best::next_best_offers(
            crate::graphql::state(ctx)?,
            crate::graphql::principal(ctx)?,
            &self.id,
        )
        .await
        .map_err(gql)
    }

    /// The people at this account (organizations), in creation order; loaded in one query
    /// for all the accounts of a page.
    #[graphql(complexity = "crate::graphql::limits::list(child_complexity)")]
    async fn contacts(&self, ctx: &Context<'_>) -> Result<Vec<Contact>> {
        let prefetched = ctx.data_opt::<Prefetched>();
        if let Some(contacts) = prefetched.and_then(|p| p.take_contacts(&self.id)) {
            return Ok(contacts);
        }
        let loader = ctx.data::<crate::graphql::Loaders>()?.contacts();
        Ok(loader
            .load_one(self.id.clone())
            .await
            .map_err(|e| gql((*e).clone()))?
            .unwrap_or_default())
    }

    /// The timeline, newest first.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn interactions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(name = "type")] kind: Option<String>,
        channel: Option<String>,
    ) -> Result<Connection<String, Interaction>> {
        let query = InteractionQuery {
            limit: first.map(i64::from),
            after,
            kind,
            channel,
            ..Default::default()
        };
        let page = interactions::list_for_account(state(ctx)?, principal(ctx)?, &self.id, query)
            .await
            .map_err(gql)?;
        Ok(connection(page, |i| {
            crate::service::cursor::encode_instant("occurred_at", i.occurred_at, &i.id)
        }))
    }

    /// What the account is worth: orders, revenue, RFM, P(alive), churn probability,
    /// expected orders and CLV (loaded in one round for all the accounts of a page); with
    /// `asOf`, as of that past instant (see REST `GET /v1/accounts/{id}/metrics`).
    async fn metrics(
        &self,
        ctx: &Context<'_>,
        as_of: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<crate::service::value::ValueMetrics> {
        match as_of {
            None => crate::graphql::value::metrics_of_account(ctx, &self.id).await,
            Some(at) => crate::service::as_of::account_metrics(
                crate::graphql::state(ctx)?,
                crate::graphql::principal(ctx)?,
                &self.id,
                crate::service::as_of::AsOfQuery {
                    as_of: Some(at.to_rfc3339()),
                },
            )
            .await
            .map_err(crate::graphql::gql),
        }
    }

    /// Products to recommend, best first (see REST `GET /v1/accounts/{id}/recommendations`):
    /// bought together by customers who bought what this customer bought, or due again.
    #[graphql(complexity = "crate::graphql::limits::list(child_complexity)")]
    async fn recommendations(
        &self,
        ctx: &Context<'_>,
        limit: Option<i32>,
    ) -> Result<crate::service::recommendations::Recommendations> {
        let query = crate::service::recommendations::RecommendationsQuery {
            limit: limit.map(i64::from),
        };
        crate::service::recommendations::for_account(state(ctx)?, principal(ctx)?, &self.id, query)
            .await
            .map_err(gql)
    }

    /// The account's orders, newest first.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, crate::service::orders::Order>> {
        crate::graphql::value::orders_of_account(ctx, &self.id, first, after).await
    }

    /// Every change of lifecycle stage, oldest first.
    #[graphql(complexity = "crate::graphql::limits::list(child_complexity)")]
    async fn lifecycle_history(&self, ctx: &Context<'_>) -> Result<Vec<LifecycleChange>> {
        accounts::lifecycle_history(state(ctx)?, principal(ctx)?, &self.id)
            .await
            .map_err(gql)
    }

    /// Every consent given or withdrawn, oldest first.
    #[graphql(complexity = "crate::graphql::limits::list(child_complexity)")]
    async fn consent_history(&self, ctx: &Context<'_>) -> Result<Vec<ConsentEvent>> {
        accounts::consent_history(state(ctx)?, principal(ctx)?, &self.id)
            .await
            .map_err(gql)
    }

    /// The latest NPS, CSAT and CES scores and open complaints (`null` without any).
    async fn satisfaction(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::service::feedback::Satisfaction>> {
        crate::service::feedback::satisfaction(state(ctx)?, principal(ctx)?, &self.id)
            .await
            .map_err(gql)
    }

    /// The account's survey responses, newest first.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn feedback(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, crate::service::feedback::Feedback>> {
        crate::graphql::feedback::feedback_of_account(ctx, &self.id, first, after).await
    }

    /// The account's complaints, newest first.
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn complaints(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<String, crate::service::complaints::Complaint>> {
        crate::graphql::feedback::complaints_of_account(ctx, &self.id, first, after).await
    }
}
