//! `/v1/marketing-spend`: what the workspace spent per acquisition channel per calendar
//! month (UTC), for customer acquisition cost. Written by upsert on (channel, month) by
//! admins (it is workspace configuration, like the value settings); read with
//! `analytics:read`. Amounts in another currency are converted to the reporting currency
//! at the workspace's rate when entered, and stored in the reporting currency.

use chrono::{DateTime, NaiveDate, Utc};
use rapport_domain::access::Scope;
use rapport_domain::value::convert;
use rapport_persistence::economics::{self as store, SpendRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::error::{ApiError, FieldError};
use crate::service::events::domain::{data, DomainEvent};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::value::load_settings;
use crate::service::{now, pipeline, utc};
use crate::state::AppState;

/// One channel's spend in one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpendInput {
    /// The acquisition channel, as on accounts (`acquisition_channel`), 1 to 100 characters.
    #[schema(example = "paid_search")]
    pub channel: String,
    /// The calendar month, `YYYY-MM`.
    #[schema(example = "2026-01")]
    pub month: String,
    /// Minor units, at least 0.
    #[schema(example = 250000)]
    pub amount: i64,
    /// ISO 4217; converted to the reporting currency when another.
    #[schema(example = "USD")]
    pub currency: String,
}

#[derive(
    Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject,
)]
pub struct MarketingSpend {
    pub channel: String,
    pub month: String,
    /// Minor units of the reporting currency.
    #[graphql(
        skip,
        derived(name = "amount", into = "crate::graphql::scalars::Long", owned)
    )]
    pub amount: i64,
    /// The reporting currency.
    pub currency: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<SpendRow> for MarketingSpend {
    fn from(r: SpendRow) -> Self {
        MarketingSpend {
            channel: r.channel,
            month: r.month,
            amount: r.amount,
            currency: r.currency,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpendQuery {
    /// First month, `YYYY-MM` (default: all).
    pub from: Option<String>,
    /// Last month, `YYYY-MM` (default: all).
    pub to: Option<String>,
}

/// The spend rows of a range of months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SpendList {
    pub data: Vec<MarketingSpend>,
}

/// `YYYY-MM` -> the month's first date.
pub fn parse_month(field: &str, value: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(&format!("{value}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| value.len() == 7)
        .filter(|d| (1970..=9998).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| ApiError::field(field, "must be a month YYYY-MM between 1970 and 9998"))
}

pub async fn upsert(
    state: &AppState,
    principal: &Principal,
    input: SpendInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<MarketingSpend>, ApiError> {
    principal.require(Scope::Admin)?;
    let mut errors = Vec::new();
    let channel = input.channel.trim().to_owned();
    if channel.is_empty() || channel.chars().count() > 100 {
        errors.push(FieldError {
            field: "channel".into(),
            message: "must be 1 to 100 characters".into(),
        });
    }
    let month = match parse_month("month", &input.month) {
        Ok(_) => input.month.clone(),
        Err(e) => {
            errors.extend(e.errors);
            String::new()
        }
    };
    if input.amount < 0 {
        errors.push(FieldError {
            field: "amount".into(),
            message: "must be at least 0".into(),
        });
    }
    let currency = input.currency.trim().to_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        errors.push(FieldError {
            field: "currency".into(),
            message: "must be an ISO 4217 code".into(),
        });
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    pipeline::write(state, principal, idempotency, 200, move |conn, cx| {
        let ws = cx.principal().workspace_id.clone();
        let settings = load_settings(conn, &ws)?;
        let rate = settings.rate(&currency).ok_or_else(|| {
            ApiError::field(
                "currency",
                format!(
                    "no exchange rate from {currency} to {} in the value settings",
                    settings.reporting_currency
                ),
            )
        })?;
        let amount = convert(input.amount, &currency, &settings.reporting_currency, rate)
            .map_err(|_| ApiError::field("amount", "too large"))?;
        let at = now();
        let before = store::find_spend(conn, &ws, &channel, &month)?;
        let row = SpendRow {
            workspace_id: ws.clone(),
            channel: channel.clone(),
            month: month.clone(),
            amount,
            currency: settings.reporting_currency.clone(),
            version: before.as_ref().map_or(1, |b| b.version + 1),
            created_at: before.as_ref().map_or(at, |b| b.created_at),
            updated_at: at,
        };
        match &before {
            Some(_) => {
                store::update_spend(conn, &row)?;
            }
            None => store::insert_spend(conn, &row)?,
        }
        let before = before.map(MarketingSpend::from);
        let after = MarketingSpend::from(row);
        let id = format!("{channel}/{month}");
        cx.audit(
            "marketing_spend.upsert",
            "marketing_spend",
            Some(&id),
            before.as_ref(),
            Some(&after),
        )?;
        cx.emit(DomainEvent::MarketingSpendChanged {
            spend: data(&after)?,
        })?;
        Ok(after)
    })
    .await
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: SpendQuery,
) -> Result<SpendList, ApiError> {
    principal.require(Scope::AnalyticsRead)?;
    let from = match query.from.as_deref() {
        Some(f) => {
            parse_month("from", f)?;
            f.to_owned()
        }
        None => "0000-00".to_owned(),
    };
    let to = match query.to.as_deref() {
        Some(t) => {
            parse_month("to", t)?;
            t.to_owned()
        }
        None => "9999-99".to_owned(),
    };
    let ws = principal.workspace_id.clone();
    let rows = state
        .db
        .run(move |conn| Ok(store::list_spend(conn, &ws, &from, &to)?))
        .await?;
    Ok(SpendList {
        data: rows.into_iter().map(MarketingSpend::from).collect(),
    })
}
