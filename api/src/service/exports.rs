//! Export jobs: one resource (accounts with their value metrics, contacts, orders,
//! interactions, the loyalty ledger, feedback) filtered as its list endpoint filters it,
//! written as CSV or NDJSON by a worker of any node (under a lease on the job row). The
//! worker reads every page through the list's own code inside one read transaction (one
//! snapshot: `REPEATABLE READ` on PostgreSQL, a WAL read transaction on SQLite) and stores
//! the file in 256 KiB chunks in the database, so any node serves the download: on
//! PostgreSQL as it goes, from a second connection (memory stays flat: a few chunks in
//! flight); on SQLite from a temporary file once the snapshot is read. A finished file is
//! kept for the workspace's `export_retention_hours` (default 168), then purged.

use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

use chrono::{DateTime, NaiveDateTime, Utc};
use rapport_domain::access::{Role, Scope, ScopeSet};
use rapport_persistence::economics::ProfitCustomerSql;
use rapport_persistence::exports::{self as store, ExportJobRow};
use rapport_persistence::value::{self as value_store, MetricsRow};
use rapport_persistence::{read_transaction, write_transaction, DbConn};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::auth::{Actor, Principal};
use crate::error::{ApiError, FieldError};
use crate::service::accounts::{self, AccountQuery};
use crate::service::contacts::{self, ContactQuery};
use crate::service::economics::profitability::Pricing;
use crate::service::events::domain::{data, DomainEvent};
use crate::service::feedback::{self, FeedbackQuery};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::interactions::{self, InteractionQuery};
use crate::service::orders::{self, OrderQuery};
use crate::service::pipeline::{self, Committed};
use crate::service::value::{self, CurrentModel, ValueSettings};
use crate::service::{new_id, now, utc, Page, PageRequest};
use crate::state::AppState;

mod cells;

/// Size of the stored pieces of a file (all but the last are exactly this long).
pub const CHUNK_SIZE: usize = 256 * 1024;
/// Rows read per page of the snapshot.
const PAGE_ROWS: i64 = 1000;
/// How long a worker holds a job between lease extensions (the snapshot read is one step).
const LEASE_SECS: i64 = 600;
/// How often an idle worker looks for queued jobs.
const POLL_EVERY: std::time::Duration = std::time::Duration::from_millis(500);
/// How often the worker purges expired files.
const PURGE_EVERY: std::time::Duration = std::time::Duration::from_secs(300);
/// Attempts at a job that fails for a reason other than its filters before it fails.
const ATTEMPTS: u32 = 3;

// ---------------------------------------------------------------------------------------
// What can be exported

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportType {
    Accounts,
    Contacts,
    Orders,
    Interactions,
    Ledger,
    Feedback,
}

const TYPES: &str = "accounts, contacts, orders, interactions, ledger or feedback";

const ACCOUNT_COLUMNS: &[&str] = &[
    "id",
    "external_id",
    "kind",
    "name",
    "emails",
    "phones",
    "tags",
    "lifecycle_stage",
    "owner_id",
    "acquisition_channel",
    "acquisition_cost.amount",
    "acquisition_cost.currency",
    "address.line1",
    "address.line2",
    "address.city",
    "address.region",
    "address.postal_code",
    "address.country",
    "attributes",
    "marketing_consent.email.status",
    "marketing_consent.email.method",
    "marketing_consent.email.source",
    "marketing_consent.email.at",
    "marketing_consent.sms.status",
    "marketing_consent.sms.method",
    "marketing_consent.sms.source",
    "marketing_consent.sms.at",
    "marketing_consent.push.status",
    "marketing_consent.push.method",
    "marketing_consent.push.source",
    "marketing_consent.push.at",
    "version",
    "created_at",
    "updated_at",
    "metrics.currency",
    "metrics.orders_count",
    "metrics.revenue",
    "metrics.margin",
    "metrics.average_order_value",
    "metrics.first_order_at",
    "metrics.last_order_at",
    "metrics.repeat_purchases",
    "metrics.days_between_first_and_last",
    "metrics.age_days",
    "metrics.rfm.r",
    "metrics.rfm.f",
    "metrics.rfm.m",
    "metrics.rfm.segment",
    "metrics.rfm.label",
    "metrics.p_alive",
    "metrics.churn_probability",
    "metrics.risk_band",
    "metrics.expected_orders_90d",
    "metrics.expected_order_value",
    "metrics.clv",
    "metrics.model_version",
    "metrics.spend_model",
    "metrics.predictions_unavailable",
    // Customer profitability's fields (#24; empty where the metrics do not have them).
    "metrics.cost_to_serve",
    "metrics.acquisition_cost",
    "metrics.profit",
];

const CONTACT_COLUMNS: &[&str] = &[
    "id",
    "account_id",
    "name",
    "title",
    "email",
    "phone",
    "is_primary",
    "version",
    "created_at",
    "updated_at",
];

const ORDER_COLUMNS: &[&str] = &[
    "id",
    "external_id",
    "account_id",
    "amount",
    "currency",
    "cost",
    "reporting_amount",
    "refunded_amount",
    "status",
    "occurred_at",
    "channel",
    "items",
    "source",
    "version",
    "created_at",
    "updated_at",
];

const INTERACTION_COLUMNS: &[&str] = &[
    "id",
    "account_id",
    "contact_id",
    "type",
    "channel",
    "direction",
    "subject",
    "body",
    "occurred_at",
    "author_type",
    "author_id",
    "due_at",
    "done",
    "done_at",
    "version",
    "created_at",
    "updated_at",
    "external_id",
];

const LEDGER_COLUMNS: &[&str] = &[
    "id",
    "account_id",
    "kind",
    "points",
    "source_type",
    "source_id",
    "idempotency_key",
    "lot_id",
    "reason",
    "actor_type",
    "actor_id",
    "occurred_at",
    "created_at",
];

const FEEDBACK_COLUMNS: &[&str] = &[
    "id",
    "account_id",
    "external_id",
    "nps",
    "nps_category",
    "csat",
    "ces",
    "touchpoint",
    "channel",
    "order_id",
    "interaction_id",
    "comment",
    "occurred_at",
    "created_at",
];

impl ExportType {
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        match text {
            "accounts" => Ok(Self::Accounts),
            "contacts" => Ok(Self::Contacts),
            "orders" => Ok(Self::Orders),
            "interactions" => Ok(Self::Interactions),
            "ledger" => Ok(Self::Ledger),
            "feedback" => Ok(Self::Feedback),
            _ => Err(ApiError::field("type", format!("must be {TYPES}"))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accounts => "accounts",
            Self::Contacts => "contacts",
            Self::Orders => "orders",
            Self::Interactions => "interactions",
            Self::Ledger => "ledger",
            Self::Feedback => "feedback",
        }
    }

    /// The scope the type's list endpoint needs.
    pub fn read_scope(self) -> Scope {
        match self {
            Self::Accounts | Self::Contacts | Self::Interactions | Self::Feedback => {
                Scope::AccountsRead
            }
            Self::Orders => Scope::OrdersRead,
            Self::Ledger => Scope::LoyaltyRead,
        }
    }

    /// The list's filters (the query parameters of its endpoint, without paging).
    pub fn filters(self) -> &'static [&'static str] {
        match self {
            Self::Accounts => &[
                "q",
                "sort",
                "kind",
                "lifecycle_stage",
                "tag",
                "owner_id",
                "external_id",
                "created_after",
                "created_before",
                "updated_after",
                "updated_before",
                "segment_id",
            ],
            Self::Orders => &[
                "account_id",
                "status",
                "channel",
                "external_id",
                "occurred_after",
                "occurred_before",
            ],
            Self::Feedback => &[
                "account_id",
                "touchpoint",
                "channel",
                "nps_category",
                "external_id",
                "occurred_after",
                "occurred_before",
            ],
            Self::Contacts | Self::Ledger => &["account_id"],
            Self::Interactions => &[
                "account_id",
                "type",
                "channel",
                "contact_id",
                "occurred_after",
                "occurred_before",
                "done",
            ],
        }
    }

    /// Types whose list is one account's (`/v1/accounts/{id}/…`): `account_id` is required.
    fn per_account(self) -> bool {
        matches!(self, Self::Contacts | Self::Interactions | Self::Ledger)
    }

    /// The CSV columns: dotted paths into the API's JSON form of a row.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Self::Accounts => ACCOUNT_COLUMNS,
            Self::Contacts => CONTACT_COLUMNS,
            Self::Orders => ORDER_COLUMNS,
            Self::Interactions => INTERACTION_COLUMNS,
            Self::Ledger => LEDGER_COLUMNS,
            Self::Feedback => FEEDBACK_COLUMNS,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Ndjson,
}

impl Format {
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        match text {
            "csv" => Ok(Self::Csv),
            "ndjson" => Ok(Self::Ndjson),
            _ => Err(ApiError::field("format", "must be csv or ndjson")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Ndjson => "ndjson",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Ndjson => "application/x-ndjson",
        }
    }
}

// ---------------------------------------------------------------------------------------
// API forms

/// What `POST /v1/exports` asks for.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ExportInput)]
pub struct ExportInput {
    /// `accounts` (with their value metrics and RFM segment), `contacts`, `orders`,
    /// `interactions`, `ledger` or `feedback`.
    #[serde(rename = "type")]
    #[schema(rename = "type", example = "accounts")]
    pub export_type: Option<String>,
    /// `csv` (default) or `ndjson`.
    #[schema(example = "csv")]
    pub format: Option<String>,
    /// The list endpoint's filters (its query parameters, without `limit`/`after`):
    /// accounts as `GET /v1/accounts` (`segment_id`, `kind`, `tag`, `q`, `sort`, …), orders
    /// as `GET /v1/orders`, feedback as `GET /v1/feedback`; contacts, interactions and the
    /// ledger as their account's list, so `account_id` is required for them.
    #[schema(value_type = Option<Object>, example = json!({"segment_id": "0193…", "kind": "person"}))]
    pub filters: Option<Value>,
}

/// Why a job failed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject)]
#[schema(as = ExportFailure)]
#[graphql(name = "ExportFailure")]
pub struct ExportFailure {
    /// Stable: `export_failed`, or the code of the filter error that appeared since the
    /// job was created (a segment deleted: `validation_failed`, `not_found`).
    pub code: String,
    pub message: String,
}

/// An export job.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, async_graphql::SimpleObject)]
#[schema(as = ExportJob)]
pub struct ExportJob {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    /// `accounts`, `contacts`, `orders`, `interactions`, `ledger` or `feedback`.
    #[serde(rename = "type")]
    #[schema(rename = "type", example = "accounts")]
    #[graphql(name = "type")]
    pub export_type: String,
    /// `csv` or `ndjson`.
    pub format: String,
    /// The filters, as given.
    #[schema(value_type = Object)]
    pub filters: Value,
    /// `queued`, `running`, `succeeded`, `failed`, `cancelled` or `expired` (the file was
    /// purged after the retention period).
    #[schema(example = "succeeded")]
    pub status: String,
    /// Rows in the file (known when the snapshot has been read).
    pub rows_written: i64,
    /// Bytes of the file stored so far.
    pub bytes_written: i64,
    pub error: Option<ExportFailure>,
    /// Where to download the file (`GET`, with the same credentials) once it succeeded.
    pub download_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// When the file will be purged (set when the job succeeds).
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<ExportJobRow> for ExportJob {
    fn from(r: ExportJobRow) -> Self {
        let download_url =
            (r.status == "succeeded").then(|| format!("/v1/exports/{}/download", r.id));
        Self {
            filters: serde_json::from_str(&r.filters).unwrap_or(Value::Object(Map::new())),
            error: r.error_code.map(|code| ExportFailure {
                code,
                message: r.error_message.unwrap_or_default(),
            }),
            download_url,
            id: r.id,
            export_type: r.export_type,
            format: r.format,
            status: r.status,
            rows_written: r.rows_written,
            bytes_written: r.bytes_written,
            created_at: utc(r.created_at),
            started_at: r.started_at.map(utc),
            finished_at: r.finished_at.map(utc),
            expires_at: r.expires_at.map(utc),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Filters

/// A type's list query, parsed from the filters.
#[derive(Debug, Clone)]
enum Query {
    Accounts(AccountQuery),
    Orders(OrderQuery),
    Feedback(FeedbackQuery),
    Contacts(String, ContactQuery),
    Interactions(String, InteractionQuery),
    Ledger(String),
}

fn filter_error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: format!("filters.{field}"),
        message: message.into(),
    }
}

/// The filters as the list's query; a key that fails alone is the one named.
fn query_of<T: DeserializeOwned>(object: &Map<String, Value>) -> Result<T, ApiError> {
    serde_json::from_value(Value::Object(object.clone())).map_err(|_| {
        let bad: Vec<FieldError> = object
            .iter()
            .filter(|(k, v)| {
                let alone = Map::from_iter([((*k).clone(), (*v).clone())]);
                serde_json::from_value::<T>(Value::Object(alone)).is_err()
            })
            .map(|(k, _)| filter_error(k, "not a valid value for this filter"))
            .collect();
        if bad.is_empty() {
            ApiError::field("filters", "the filters do not parse together")
        } else {
            ApiError::validation(bad)
        }
    })
}

/// Checks the filters' names and shapes (their values are checked by the list itself).
fn parse_filters(ty: ExportType, filters: &Map<String, Value>) -> Result<Query, ApiError> {
    let mut errors: Vec<FieldError> = filters
        .keys()
        .filter(|k| !ty.filters().contains(&k.as_str()))
        .map(|k| {
            filter_error(
                k,
                format!(
                    "not a filter of {} exports (filters: {})",
                    ty.as_str(),
                    ty.filters().join(", ")
                ),
            )
        })
        .collect();
    let mut object = filters.clone();
    let account = if ty.per_account() {
        match object.remove("account_id") {
            Some(Value::String(id)) if !id.trim().is_empty() => Some(id),
            Some(_) => {
                errors.push(filter_error("account_id", "must be an account id"));
                None
            }
            None => {
                errors.push(filter_error(
                    "account_id",
                    format!(
                        "required: {} are listed (and exported) one account at a time",
                        ty.as_str()
                    ),
                ));
                None
            }
        }
    } else {
        None
    };
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let account = account.unwrap_or_default();
    Ok(match ty {
        ExportType::Accounts => Query::Accounts(query_of(&object)?),
        ExportType::Orders => Query::Orders(query_of(&object)?),
        ExportType::Feedback => Query::Feedback(query_of(&object)?),
        ExportType::Contacts => Query::Contacts(account, query_of(&object)?),
        ExportType::Interactions => Query::Interactions(account, query_of(&object)?),
        ExportType::Ledger => Query::Ledger(account),
    })
}

/// A list's error about its query, as an error about the export's filters.
fn as_filter_error(err: ApiError, per_account: bool) -> ApiError {
    if !err.errors.is_empty() {
        let fields = err
            .errors
            .into_iter()
            .map(|e| filter_error(&e.field, e.message))
            .collect();
        return ApiError::validation(fields);
    }
    if per_account && err.code == "not_found" {
        return ApiError::validation(vec![filter_error(
            "account_id",
            "no account with this id in this workspace",
        )]);
    }
    err
}

// ---------------------------------------------------------------------------------------
// Reading the snapshot

/// Pages through one list inside the caller's transaction; accounts carry their metrics.
struct Source {
    query: Query,
    /// Accounts: what their metrics are computed with.
    accounts: Option<AccountValue>,
}

/// The workspace's value model and the instant predictions are evaluated at, its value
/// settings, and the profitability rules with the spend shares looked up so far.
struct AccountValue {
    settings: ValueSettings,
    model: Option<CurrentModel>,
    at: NaiveDateTime,
    pricing: Pricing,
}

impl Source {
    fn new(conn: &mut DbConn, principal: &Principal, query: Query) -> Result<Self, ApiError> {
        let accounts = match query {
            Query::Accounts(_) => {
                let settings = value::load_settings(conn, &principal.workspace_id)?;
                Some(AccountValue {
                    model: value::current_model(conn, &principal.workspace_id)?,
                    at: now(),
                    pricing: Pricing::new(settings.clone()),
                    settings,
                })
            }
            _ => None,
        };
        Ok(Self { query, accounts })
    }

    /// The rows after `after` and the cursor of the next page.
    fn page(
        &mut self,
        conn: &mut DbConn,
        principal: &Principal,
        after: Option<String>,
        limit: i64,
    ) -> Result<(Vec<Row>, Option<String>), ApiError> {
        fn rows<T>(page: Page<T>, row: fn(T) -> Row) -> (Vec<Row>, Option<String>) {
            (page.data.into_iter().map(row).collect(), page.next_cursor)
        }
        Ok(match &self.query {
            Query::Accounts(q) => {
                let by_id = q.sort.as_deref().is_none_or(|s| s == "id");
                let q = AccountQuery { after, ..q.clone() };
                let page = accounts::list_in(conn, principal, q, limit, false, None)?;
                let ws = &principal.workspace_id;
                let rows = match (by_id, page.data.first(), page.data.last()) {
                    // In id order a page is one range of ids: the metrics' index is read as
                    // one range too (the pages' ranges do not overlap, so a selective filter
                    // costs at most one pass over the workspace's metrics in all).
                    (true, Some(first), Some(last)) => {
                        value_store::find_metrics_between(conn, ws, &first.id, &last.id)?
                    }
                    _ => {
                        let ids: Vec<String> = page.data.iter().map(|a| a.id.clone()).collect();
                        value_store::find_metrics_many(conn, ws, &ids)?
                    }
                };
                let mut metrics: std::collections::HashMap<String, _> = rows
                    .into_iter()
                    .map(|m| (m.account_id.clone(), m))
                    .collect();
                let v = self
                    .accounts
                    .as_mut()
                    .ok_or_else(|| ApiError::internal("account export without settings"))?;
                // Cost to serve and profit, as the profile and the GraphQL loader add them,
                // from the accounts and metrics in hand.
                let figures: Vec<ProfitCustomerSql> = page
                    .data
                    .iter()
                    .map(|a| profit_figures(a, metrics.get(&a.id)))
                    .collect();
                let economics = v
                    .pricing
                    .economics(conn, &principal.workspace_id, &figures)?;
                let out = page
                    .data
                    .into_iter()
                    .map(|account| {
                        let metrics = crate::service::economics::profitability::with_economics(
                            value::metrics_of(
                                metrics.remove(&account.id).as_ref(),
                                v.model.as_ref(),
                                &v.settings,
                                v.at,
                            ),
                            economics.get(&account.id),
                        );
                        Row::Account(Box::new(AccountRow { account, metrics }))
                    })
                    .collect();
                (out, page.next_cursor)
            }
            Query::Orders(q) => {
                let q = OrderQuery { after, ..q.clone() };
                rows(orders::list_in(conn, principal, q, limit)?, Row::Order)
            }
            Query::Feedback(q) => {
                let q = FeedbackQuery { after, ..q.clone() };
                rows(feedback::list_in(conn, principal, q, limit)?, Row::Feedback)
            }
            Query::Contacts(account, q) => {
                let q = ContactQuery { after, ..q.clone() };
                rows(
                    contacts::list_for_account_in(conn, principal, account, q, limit)?,
                    Row::Contact,
                )
            }
            Query::Interactions(account, q) => {
                let q = InteractionQuery { after, ..q.clone() };
                rows(
                    interactions::list_for_account_in(conn, principal, account, q, limit)?,
                    Row::Interaction,
                )
            }
            Query::Ledger(account) => rows(
                crate::service::loyalty::ledger_in(
                    conn,
                    principal,
                    account,
                    PageRequest { limit, after },
                )?,
                Row::Ledger,
            ),
        })
    }
}

/// An account as its list shows it, with its value metrics under `metrics`.
#[derive(Serialize)]
struct AccountRow {
    #[serde(flatten)]
    account: accounts::Account,
    metrics: value::ValueMetrics,
}

/// One exported row, serialized as the resource it holds (its API JSON form).
#[derive(Serialize)]
#[serde(untagged)]
enum Row {
    Account(Box<AccountRow>),
    Order(orders::Order),
    Feedback(feedback::Feedback),
    Contact(contacts::Contact),
    Interaction(interactions::Interaction),
    Ledger(crate::service::loyalty::LedgerEntry),
}

/// Writes rows in one format.
enum Writer<W: Write> {
    Csv(Box<csv::Writer<W>>, cells::Columns, cells::Cells),
    Ndjson(W),
}

impl<W: Write> Writer<W> {
    fn new(format: Format, ty: ExportType, out: W) -> Result<Self, ApiError> {
        Ok(match format {
            Format::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(ty.columns()).map_err(ApiError::internal)?;
                let columns = cells::Columns::new(ty.columns());
                let cells = cells::Cells::new(&columns);
                Self::Csv(Box::new(w), columns, cells)
            }
            Format::Ndjson => Self::Ndjson(out),
        })
    }

    fn row(&mut self, row: &Row) -> Result<(), ApiError> {
        match self {
            Self::Csv(w, columns, cells) => {
                cells.fill(columns, row).map_err(ApiError::internal)?;
                w.write_record(cells.iter()).map_err(ApiError::internal)
            }
            Self::Ndjson(w) => {
                serde_json::to_writer(&mut *w, row).map_err(ApiError::internal)?;
                w.write_all(b"\n").map_err(ApiError::internal)
            }
        }
    }

    fn finish(self) -> Result<(), ApiError> {
        match self {
            Self::Csv(mut w, _, _) => w.flush().map_err(ApiError::internal),
            Self::Ndjson(mut w) => w.flush().map_err(ApiError::internal),
        }
    }
}

/// Reads the whole export in one snapshot into `out`, telling `on_page` the rows read so
/// far after each page; returns the rows written.
///
/// Pages are read on this thread (which holds the connection and its transaction) and
/// written on another, one page apart: the database reads the next page while this process
/// formats the last, instead of each waiting for the other.
fn write_snapshot(
    conn: &mut DbConn,
    principal: &Principal,
    ty: ExportType,
    format: Format,
    query: Query,
    out: impl Write + Send,
    on_page: &mut dyn FnMut(i64),
) -> Result<i64, ApiError> {
    read_transaction(conn, |conn| {
        let mut source = Source::new(conn, principal, query)?;
        let mut writer = Writer::new(format, ty, out)?;
        let (pages, inbox) = std::sync::mpsc::sync_channel::<Vec<Row>>(1);
        std::thread::scope(|scope| {
            let written = scope.spawn(move || -> Result<(), ApiError> {
                for page in inbox {
                    for row in &page {
                        writer.row(row)?;
                    }
                }
                writer.finish()
            });
            let read = (|| {
                let mut rows: i64 = 0;
                let mut after = None;
                loop {
                    let (page, next) = source.page(conn, principal, after, PAGE_ROWS)?;
                    let read = i64::try_from(page.len()).unwrap_or(0);
                    if pages.send(page).is_err() {
                        // The writer stopped: its error says why.
                        return Ok(rows);
                    }
                    rows += read;
                    on_page(rows);
                    match next {
                        Some(cursor) if read > 0 => after = Some(cursor),
                        _ => return Ok(rows),
                    }
                }
            })();
            drop(pages);
            let written = written
                .join()
                .map_err(|_| ApiError::internal("the export's writer panicked"))?;
            written?;
            read
        })
    })
}

/// What a job writes, without a job: `export_type`, `format` and `filters` as
/// `POST /v1/exports` takes them, read from one snapshot into `out`, with `on_page` told the
/// rows read so far after each page of 1,000. Returns the rows written.
pub fn write_export(
    conn: &mut DbConn,
    principal: &Principal,
    export_type: &str,
    format: &str,
    filters: &Map<String, Value>,
    out: impl Write + Send,
    on_page: &mut dyn FnMut(i64),
) -> Result<i64, ApiError> {
    let ty = ExportType::parse(export_type)?;
    principal.require(ty.read_scope())?;
    let format = Format::parse(format)?;
    let query = parse_filters(ty, filters)?;
    write_snapshot(conn, principal, ty, format, query, out, on_page)
}

// ---------------------------------------------------------------------------------------
// The worker

/// How a run of a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The job ended (succeeded or failed).
    Finished,
    /// This worker no longer holds the job (lease taken over, job cancelled or gone).
    Lost,
}

/// The principal a job runs as: who created it, with the scopes they had.
fn principal_of(job: &ExportJobRow) -> Result<Principal, ApiError> {
    let scopes = ScopeSet::parse_stored(&job.scopes).map_err(|e| ApiError::internal(e.0))?;
    let actor = match (job.actor_type.as_str(), job.actor_id.clone()) {
        ("user", Some(id)) => Actor::User {
            id,
            role: job
                .actor_role
                .as_deref()
                .unwrap_or_default()
                .parse::<Role>()
                .map_err(|e| ApiError::internal(e.0))?,
        },
        ("api_key", Some(id)) => Actor::ApiKey { id },
        _ => Actor::System,
    };
    Ok(Principal {
        workspace_id: job.workspace_id.clone(),
        actor,
        scopes,
        request_id: None,
        rate_limit_per_minute: u32::MAX,
    })
}

fn parse_job(job: &ExportJobRow) -> Result<(ExportType, Format, Query), ApiError> {
    let ty = ExportType::parse(&job.export_type)?;
    let format = Format::parse(&job.format)?;
    let filters: Map<String, Value> =
        serde_json::from_str(&job.filters).map_err(ApiError::internal)?;
    Ok((ty, format, parse_filters(ty, &filters)?))
}

/// Fills `buf` from `file` as far as it goes; the bytes read.
fn read_full(file: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// What producing a job's file came to.
enum Produced {
    Rows(i64),
    /// The filters no longer hold (a segment deleted since): the job fails with this.
    Refused(ApiError),
    Lost,
}

/// Chunks of the file waiting to be stored, besides the one filling (memory stays flat).
const CHUNKS_IN_FLIGHT: usize = 4;

/// Reads the snapshot and stores its file chunk by chunk (each chunk checks and extends the
/// lease). With a second connection (PostgreSQL) the chunks are stored from it while the
/// snapshot is still being read ([`snapshot_beside`]). With one, the snapshot goes to a
/// temporary file first and is stored after it ([`snapshot_via_file`]). SQLite gets one: a
/// write beside its long read transaction would grow the WAL by the whole file, and no
/// checkpoint could shrink it before the read ends.
fn produce(
    reader: &mut DbConn,
    storer: Option<&mut DbConn>,
    job: &ExportJobRow,
    holder: &str,
) -> Result<Produced, ApiError> {
    let (ty, format, query) = match parse_job(job) {
        Ok(parsed) => parsed,
        Err(e) => return Ok(Produced::Refused(e)),
    };
    let principal = principal_of(job)?;
    let snapshot = Snapshot {
        principal: &principal,
        ty,
        format,
        query,
    };
    let produced = match storer {
        Some(storer) => snapshot_beside(reader, storer, snapshot, job, holder),
        None => snapshot_via_file(reader, snapshot, job, holder),
    };
    match produced {
        Err(e) if e.status.is_client_error() => Ok(Produced::Refused(e)),
        other => other,
    }
}

/// What a job reads.
struct Snapshot<'a> {
    principal: &'a Principal,
    ty: ExportType,
    format: Format,
    query: Query,
}

impl Snapshot<'_> {
    fn write(self, conn: &mut DbConn, out: impl Write + Send) -> Result<i64, ApiError> {
        write_snapshot(
            conn,
            self.principal,
            self.ty,
            self.format,
            self.query,
            out,
            &mut |_| {},
        )
    }
}

/// Stores chunk `seq` of the job `holder` runs; `false` when it no longer holds it.
fn store_chunk(
    conn: &mut DbConn,
    job: &ExportJobRow,
    holder: &str,
    seq: i64,
    data: &[u8],
) -> Result<bool, ApiError> {
    let at = now();
    let until = at + chrono::Duration::seconds(LEASE_SECS);
    Ok(write_transaction(conn, |conn| {
        store::append_chunk(conn, &job.id, holder, seq, data, at, until)
    })?)
}

/// The snapshot read on `reader` while `storer` stores each chunk as soon as it is full,
/// straight from memory: the database stores one chunk while the next rows are read and
/// formatted, and no temporary file is written and read back.
fn snapshot_beside(
    reader: &mut DbConn,
    storer: &mut DbConn,
    snapshot: Snapshot<'_>,
    job: &ExportJobRow,
    holder: &str,
) -> Result<Produced, ApiError> {
    let (chunks, inbox) = std::sync::mpsc::sync_channel::<Vec<u8>>(CHUNKS_IN_FLIGHT);
    std::thread::scope(|scope| {
        let stored = scope.spawn(move || -> Result<bool, ApiError> {
            for (seq, data) in (0..).zip(inbox) {
                if !store_chunk(storer, job, holder, seq, &data)? {
                    return Ok(false);
                }
            }
            Ok(true)
        });
        let rows = snapshot.write(reader, ChunkSink::new(chunks));
        let stored = stored
            .join()
            .map_err(|_| ApiError::internal("the export's chunk store panicked"))?;
        // Lost or failed storing explains a snapshot that stopped because its chunks were no
        // longer taken, so it is looked at first.
        match (stored?, rows) {
            (false, _) => Ok(Produced::Lost),
            (true, rows) => Ok(Produced::Rows(rows?)),
        }
    })
}

/// The file cut into chunks of exactly [`CHUNK_SIZE`] bytes (the last one shorter), each
/// sent to the thread storing them once full; the last when the writer is dropped.
struct ChunkSink {
    filling: Vec<u8>,
    full: std::sync::mpsc::SyncSender<Vec<u8>>,
}

impl ChunkSink {
    fn new(full: std::sync::mpsc::SyncSender<Vec<u8>>) -> Self {
        Self {
            filling: Vec::with_capacity(CHUNK_SIZE),
            full,
        }
    }

    fn send(&mut self) -> io::Result<()> {
        let chunk = std::mem::replace(&mut self.filling, Vec::with_capacity(CHUNK_SIZE));
        self.full
            .send(chunk)
            .map_err(|_| io::Error::other("the export's chunks are no longer being stored"))
    }
}

impl Write for ChunkSink {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = (CHUNK_SIZE - self.filling.len()).min(data.len());
        self.filling.extend_from_slice(&data[..n]);
        if self.filling.len() == CHUNK_SIZE {
            self.send()?;
        }
        Ok(n)
    }

    /// Chunks are sent whole: a flush keeps the one filling.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for ChunkSink {
    fn drop(&mut self) {
        if !self.filling.is_empty() {
            // A storer that stopped has said why (lost lease or error) to the caller.
            let _ = self.send();
        }
    }
}

/// The snapshot read into a temporary file, then stored chunk by chunk on the same
/// connection (a pool of one connection).
fn snapshot_via_file(
    conn: &mut DbConn,
    snapshot: Snapshot<'_>,
    job: &ExportJobRow,
    holder: &str,
) -> Result<Produced, ApiError> {
    let mut file = tempfile::tempfile().map_err(ApiError::internal)?;
    let rows = snapshot.write(conn, BufWriter::with_capacity(CHUNK_SIZE, &mut file))?;
    file.seek(SeekFrom::Start(0)).map_err(ApiError::internal)?;
    let mut buf = vec![0u8; CHUNK_SIZE];
    let mut seq: i64 = 0;
    loop {
        let n = read_full(&mut file, &mut buf).map_err(ApiError::internal)?;
        if n == 0 {
            break;
        }
        if !store_chunk(conn, job, holder, seq, &buf[..n])? {
            return Ok(Produced::Lost);
        }
        seq += 1;
        if n < CHUNK_SIZE {
            break;
        }
    }
    Ok(Produced::Rows(rows))
}

/// Ends a job `holder` runs: `succeeded` (kept for the workspace's export retention), or
/// `failed` with a reason; audited and published (`export.completed`, `export.failed`).
fn finish_in(
    conn: &mut DbConn,
    job_id: &str,
    holder: &str,
    rows: i64,
    failure: Option<(&str, &str)>,
) -> Result<Option<Committed>, ApiError> {
    let Some(job) = store::find_for_worker(conn, job_id)? else {
        return Ok(None);
    };
    let principal = principal_of(&job)?;
    let result = pipeline::transact(conn, &principal, |conn, cx| {
        let (status, action, event) = match failure {
            None => ("succeeded", "export.complete", "export.completed"),
            Some(_) => ("failed", "export.fail", "export.failed"),
        };
        let at = now();
        let expires_at = if failure.is_none() {
            let hours = crate::service::privacy::load_settings(conn, &job.workspace_id)?
                .export_retention_hours;
            Some(at + chrono::Duration::hours(i64::from(hours)))
        } else {
            None
        };
        if !store::finish(conn, job_id, holder, status, rows, failure, expires_at, at)? {
            return Err(lease_lost());
        }
        if failure.is_some() {
            store::delete_chunks(conn, job_id)?;
        }
        let job = store::find_for_worker(conn, job_id)?
            .map(ExportJob::from)
            .ok_or_else(|| ApiError::internal("export job vanished"))?;
        cx.audit::<(), _>(action, "export", Some(&job.id), None, Some(&job))?;
        cx.emit(DomainEvent::ExportChanged {
            event_type: event,
            job: data(&job)?,
        })?;
        Ok(())
    });
    match result {
        Ok(((), committed)) => Ok(Some(committed)),
        Err(e) if e.code == "export_lease_lost" => Ok(None),
        Err(e) => Err(e),
    }
}

fn lease_lost() -> ApiError {
    ApiError::conflict("export_lease_lost", "the job's lease was lost")
}

/// Produces a job this worker holds and ends it, inside one closure of the database gateway
/// (two connections: [`produce`]).
fn run_in(
    conns: &mut [&mut DbConn],
    job_id: &str,
    holder: &str,
) -> Result<(Step, Option<Committed>), ApiError> {
    let Some((conn, rest)) = conns.split_first_mut() else {
        return Err(ApiError::internal("an export run without a connection"));
    };
    let Some(job) = store::find_for_worker(conn, job_id)? else {
        return Ok((Step::Lost, None));
    };
    if job.status != "running" || job.lease_holder.as_deref() != Some(holder) {
        return Ok((Step::Lost, None));
    }
    let storer = rest.first_mut().map(|c| &mut **c);
    match produce(conn, storer, &job, holder)? {
        Produced::Rows(rows) => {
            let c = finish_in(conn, job_id, holder, rows, None)?;
            Ok((
                if c.is_some() {
                    Step::Finished
                } else {
                    Step::Lost
                },
                c,
            ))
        }
        Produced::Refused(e) => {
            let c = finish_in(conn, job_id, holder, 0, Some((e.code, &e.detail)))?;
            Ok((
                if c.is_some() {
                    Step::Finished
                } else {
                    Step::Lost
                },
                c,
            ))
        }
        Produced::Lost => Ok((Step::Lost, None)),
    }
}

/// Takes the lease of one job (queued, or abandoned by a dead worker); `false` when another
/// worker holds it or it has ended. A job taken starts from its beginning.
pub async fn claim(state: &AppState, job_id: &str, holder: &str) -> Result<bool, ApiError> {
    let (id, h) = (job_id.to_owned(), holder.to_owned());
    state
        .db
        .run(move |conn| {
            let at = now();
            let until = at + chrono::Duration::seconds(LEASE_SECS);
            Ok(write_transaction(conn, |conn| {
                store::claim(conn, &id, &h, at, until)
            })?)
        })
        .await
}

/// Runs a job this worker holds to its end (or until it loses it), retrying a run that
/// failed for a reason other than its filters before failing the job.
pub async fn run_job(state: &AppState, job_id: &str, holder: &str) -> Result<Step, ApiError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let (id, h) = (job_id.to_owned(), holder.to_owned());
        // Two connections on PostgreSQL: one reads the snapshot, the other stores the file
        // meanwhile. One on SQLite ([`produce`] says why).
        match state
            .db
            .run_many(2, move |conns| run_in(conns, &id, &h))
            .await
        {
            Ok((step, committed)) => {
                if let Some(c) = committed {
                    pipeline::apply(state, c).await;
                }
                return Ok(step);
            }
            Err(err) => {
                tracing::warn!(job = job_id, error = %err.detail, "export run failed");
                if attempt >= ATTEMPTS {
                    let (id, h) = (job_id.to_owned(), holder.to_owned());
                    let reason = format!("the export failed {ATTEMPTS} times: {}", err.detail);
                    let committed = state
                        .db
                        .run(move |conn| {
                            finish_in(conn, &id, &h, 0, Some(("export_failed", &reason)))
                        })
                        .await?;
                    if let Some(c) = committed {
                        pipeline::apply(state, c).await;
                    }
                    return Ok(Step::Finished);
                }
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                // Start again from the beginning (the same holder may take its job again).
                if !claim(state, job_id, holder).await? {
                    return Ok(Step::Lost);
                }
            }
        }
    }
}

/// Claims the oldest waiting job and runs it; `false` when none waits.
pub async fn run_next(state: &AppState, holder: &str) -> Result<bool, ApiError> {
    let h = holder.to_owned();
    let claimed = state
        .db
        .run(move |conn| {
            let at = now();
            let until = at + chrono::Duration::seconds(LEASE_SECS);
            Ok(write_transaction(conn, |conn| {
                store::claim_next(conn, &h, at, until)
            })?)
        })
        .await?;
    let Some(id) = claimed else {
        return Ok(false);
    };
    run_job(state, &id, holder).await?;
    Ok(true)
}

/// Purges the files of succeeded jobs whose retention ended before `at` (they become
/// `expired`); the number purged.
pub async fn purge_expired(state: &AppState, at: NaiveDateTime) -> Result<usize, ApiError> {
    state
        .db
        .run(move |conn| {
            let mut purged = 0;
            loop {
                let due = store::expired(conn, at, 100)?;
                if due.is_empty() {
                    return Ok(purged);
                }
                let mut progress = false;
                for (_, id) in due {
                    let done = write_transaction(conn, |conn| {
                        if store::expire(conn, &id, at)? {
                            store::delete_chunks(conn, &id)?;
                            return Ok::<_, diesel::result::Error>(true);
                        }
                        Ok(false)
                    })?;
                    if done {
                        purged += 1;
                        progress = true;
                    }
                }
                if !progress {
                    return Ok(purged);
                }
            }
        })
        .await
}

/// The export worker of `rapport serve` (unless `RAPPORT_EXPORTS_WORKER=false`): runs queued
/// jobs and purges expired files.
pub fn spawn_worker(state: AppState) {
    if !state.config.exports_worker {
        return;
    }
    let holder = new_id();
    tokio::spawn(async move {
        let mut last_purge: Option<std::time::Instant> = None;
        loop {
            if last_purge.is_none_or(|t| t.elapsed() >= PURGE_EVERY) {
                match purge_expired(&state, now()).await {
                    Ok(n) if n > 0 => tracing::info!(purged = n, "expired export files purged"),
                    Ok(_) => {}
                    Err(err) => tracing::warn!(error = %err.detail, "export purge failed"),
                }
                last_purge = Some(std::time::Instant::now());
            }
            match run_next(&state, &holder).await {
                Ok(true) => {}
                Ok(false) => tokio::time::sleep(POLL_EVERY).await,
                Err(err) => {
                    tracing::warn!(error = %err.detail, "export worker");
                    tokio::time::sleep(POLL_EVERY).await;
                }
            }
        }
    });
}

// ---------------------------------------------------------------------------------------
// Use cases

/// Queues an export. The type, format and filters are checked before anything is stored
/// (the filters by reading the list's first row with them): a bad one is a 422 naming it.
pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: ExportInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<ExportJob>, ApiError> {
    let ty = match input.export_type.as_deref() {
        Some(t) => ExportType::parse(t)?,
        None => return Err(ApiError::field("type", format!("required: {TYPES}"))),
    };
    principal.require(ty.read_scope())?;
    let format = Format::parse(input.format.as_deref().unwrap_or("csv"))?;
    let filters = match input.filters {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(o)) => o,
        Some(_) => return Err(ApiError::field("filters", "must be a JSON object")),
    };
    let query = parse_filters(ty, &filters)?;
    let at = now();
    let row = ExportJobRow {
        id: new_id(),
        workspace_id: principal.workspace_id.clone(),
        export_type: ty.as_str().to_owned(),
        format: format.as_str().to_owned(),
        filters: serde_json::to_string(&filters).map_err(ApiError::internal)?,
        status: "queued".into(),
        rows_written: 0,
        bytes_written: 0,
        chunks: 0,
        error_code: None,
        error_message: None,
        actor_type: principal.actor_type().to_owned(),
        actor_id: principal.actor_id().map(str::to_owned),
        actor_role: principal.role().map(|r| r.as_str().to_owned()),
        scopes: principal.scopes.to_stored(),
        lease_holder: None,
        lease_until: None,
        created_at: at,
        started_at: None,
        finished_at: None,
        expires_at: None,
        updated_at: at,
    };
    let p = principal.clone();
    pipeline::write(state, principal, idempotency, 202, move |conn, cx| {
        // The list's own checks of the values (a segment of the workspace, a known kind).
        Source::new(conn, &p, query.clone())?
            .page(conn, &p, None, 1)
            .map_err(|e| as_filter_error(e, ty.per_account()))?;
        store::insert(conn, &row)?;
        let job = ExportJob::from(row);
        cx.audit::<(), _>("export.create", "export", Some(&job.id), None, Some(&job))?;
        cx.emit(DomainEvent::ExportChanged {
            event_type: "export.created",
            job: data(&job)?,
        })?;
        Ok(job)
    })
    .await
}

fn load_job(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<ExportJobRow, ApiError> {
    let job = store::find(conn, &principal.workspace_id, id)?
        .ok_or_else(|| ApiError::not_found("no export job with that id"))?;
    principal.require(ExportType::parse(&job.export_type)?.read_scope())?;
    Ok(job)
}

pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<ExportJob, ApiError> {
    let (p, id) = (principal.clone(), id.to_owned());
    state
        .db
        .run(move |conn| Ok(load_job(conn, &p, &id)?.into()))
        .await
}

/// The workspace's jobs, newest first (those of the types the caller may read).
pub async fn list(
    state: &AppState,
    principal: &Principal,
    limit: Option<i64>,
    after: Option<String>,
) -> Result<Page<ExportJob>, ApiError> {
    let readable = [Scope::AccountsRead, Scope::OrdersRead, Scope::LoyaltyRead];
    if !readable.iter().any(|s| principal.scopes.allows(*s)) {
        principal.require(Scope::AccountsRead)?;
    }
    let request = crate::service::page_request(limit, after)?;
    let p = principal.clone();
    state
        .db
        .run(move |conn| {
            let rows = store::list(
                conn,
                &p.workspace_id,
                request.after.as_deref(),
                request.limit + 1,
            )?;
            let mut page = Page::from_rows(rows, &request, |r| r.id.clone(), ExportJob::from);
            page.data.retain(|job| {
                ExportType::parse(&job.export_type).is_ok_and(|t| p.scopes.allows(t.read_scope()))
            });
            Ok(page)
        })
        .await
}

/// Cancels a job that has not ended: its worker stores nothing more.
pub async fn cancel(
    state: &AppState,
    principal: &Principal,
    id: &str,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<ExportJob>, ApiError> {
    let (p, id) = (principal.clone(), id.to_owned());
    pipeline::write(state, principal, idempotency, 200, move |conn, cx| {
        let job = load_job(conn, &p, &id)?;
        if !store::cancel(conn, &p.workspace_id, &id, now())? {
            return Err(ApiError::conflict(
                "export_finished",
                format!("the job has ended ({})", job.status),
            ));
        }
        store::delete_chunks(conn, &id)?;
        let after = ExportJob::from(load_job(conn, &p, &id)?);
        cx.audit(
            "export.cancel",
            "export",
            Some(&id),
            Some(&ExportJob::from(job)),
            Some(&after),
        )?;
        cx.emit(DomainEvent::ExportChanged {
            event_type: "export.cancelled",
            job: data(&after)?,
        })?;
        Ok(after)
    })
    .await
}

/// A file ready to download: its job, chunk count and media type.
#[derive(Debug, Clone)]
pub struct Download {
    pub job: ExportJob,
    pub chunks: i64,
    pub bytes: i64,
    pub content_type: &'static str,
    pub file_name: String,
}

/// Checks a job's file can be downloaded: 409 `export_not_completed` while it runs (or when
/// it failed or was cancelled), 410 `export_expired` once its retention ended.
pub async fn download(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Download, ApiError> {
    let (p, id) = (principal.clone(), id.to_owned());
    state
        .db
        .run(move |conn| {
            let row = load_job(conn, &p, &id)?;
            let expired = row.status == "expired"
                || (row.status == "succeeded" && row.expires_at.is_some_and(|e| e <= now()));
            if expired {
                return Err(ApiError::new(
                    actix_web::http::StatusCode::GONE,
                    "export_expired",
                    "the export's file was purged after its retention period: export again",
                ));
            }
            if row.status != "succeeded" {
                return Err(ApiError::conflict(
                    "export_not_completed",
                    format!("the export is {}: its file is not ready", row.status),
                ));
            }
            let format = Format::parse(&row.format)?;
            Ok(Download {
                chunks: row.chunks,
                bytes: row.bytes_written,
                content_type: format.content_type(),
                file_name: format!("{}-{}.{}", row.export_type, row.id, format.as_str()),
                job: ExportJob::from(row),
            })
        })
        .await
}

/// One chunk of a downloadable file (`None`: purged meanwhile).
pub async fn chunk(
    state: &AppState,
    principal: &Principal,
    id: &str,
    seq: i64,
) -> Result<Option<Vec<u8>>, ApiError> {
    let (ws, id) = (principal.workspace_id.clone(), id.to_owned());
    state
        .db
        .run(move |conn| Ok(store::chunk(conn, &ws, &id, seq)?))
        .await
}

/// Writes a finished job's file to `out` (the CLI's `--output`); the bytes written.
pub async fn write_file(
    state: &AppState,
    principal: &Principal,
    id: &str,
    out: &mut impl Write,
) -> Result<i64, ApiError> {
    let file = download(state, principal, id).await?;
    let mut written: i64 = 0;
    for seq in 0..file.chunks {
        let data = chunk(state, principal, id, seq)
            .await?
            .ok_or_else(|| ApiError::internal("an export chunk is missing"))?;
        out.write_all(&data).map_err(ApiError::internal)?;
        written += i64::try_from(data.len()).unwrap_or(0);
    }
    out.flush().map_err(ApiError::internal)?;
    Ok(written)
}

/// What the profitability rules read of an account and its metrics row.
fn profit_figures(account: &accounts::Account, m: Option<&MetricsRow>) -> ProfitCustomerSql {
    ProfitCustomerSql {
        account_id: account.id.clone(),
        name: account.name.clone(),
        channel: account.acquisition_channel.clone(),
        acquisition_cost: account.acquisition_cost.as_ref().map(|c| c.amount),
        acquisition_cost_currency: account
            .acquisition_cost
            .as_ref()
            .map(|c| c.currency.clone()),
        first_day: m.and_then(|m| m.first_day),
        orders_count: m.map_or(0, |m| m.orders_count),
        revenue: m.map_or(0, |m| m.revenue),
        costed_revenue: m.map_or(0, |m| m.costed_revenue),
        cost: m.map_or(0, |m| m.cost),
        rfm_segment: m.and_then(|m| m.rfm_segment.clone()),
        clv: None,
    }
}
