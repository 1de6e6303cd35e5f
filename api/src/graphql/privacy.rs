//! Data subject access and erasure over GraphQL: the same use cases as
//! `/v1/accounts/{id}/personal-data` and `/v1/accounts/{id}/erase`.

use async_graphql::{Context, Json, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

use crate::graphql::outcomes::{fresh_or_replayed, idempotency};
use crate::graphql::{gql, principal, state};
use crate::service::privacy::{self, ErasureInput, ErasureResult};

/// What an erasure did (see `POST /v1/accounts/{id}/erase`).
#[derive(SimpleObject)]
pub struct AccountErasure {
    pub account_id: ID,
    pub erased_at: DateTime<Utc>,
    /// The account had been erased before: nothing changed.
    pub already_erased: bool,
    /// Rows changed per table.
    pub changed: Json<std::collections::BTreeMap<String, usize>>,
}

impl From<ErasureResult> for AccountErasure {
    fn from(r: ErasureResult) -> Self {
        Self {
            account_id: ID(r.account_id),
            erased_at: r.erased_at,
            already_erased: r.already_erased,
            changed: Json(r.changed),
        }
    }
}

#[derive(Default)]
pub struct PrivacyQuery;

#[Object]
impl PrivacyQuery {
    /// Everything held about the person (admins), as `GET /v1/accounts/{id}/personal-data`
    /// answers it: `{account_id, generated_at, erased_at, tables, events}`.
    async fn personal_data(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
    ) -> Result<Json<serde_json::Value>> {
        let data = privacy::personal_data(state(ctx)?, principal(ctx)?, &account_id)
            .await
            .map_err(gql)?;
        serde_json::to_value(data)
            .map(Json)
            .map_err(|e| gql(crate::error::ApiError::internal(e)))
    }
}

#[derive(Default)]
pub struct PrivacyMutation;

#[Object]
impl PrivacyMutation {
    /// Erase the person irreversibly (admins); `confirm` repeats the account's id (see
    /// `POST /v1/accounts/{id}/erase`).
    async fn erase_account(
        &self,
        ctx: &Context<'_>,
        id: ID,
        confirm: String,
        idempotency_key: Option<String>,
    ) -> Result<AccountErasure> {
        let input = ErasureInput {
            confirm: Some(confirm),
        };
        let idem = idempotency(idempotency_key, "eraseAccount", &(&id.0, &input))?;
        let outcome = privacy::erase(state(ctx)?, principal(ctx)?, &id, input, idem)
            .await
            .map_err(gql)?;
        fresh_or_replayed(outcome).map(AccountErasure::from)
    }
}
