//! Import jobs: a CSV or NDJSON file streamed into the database in chunks, then read by a
//! worker of any node (under a lease on the job row) in batches of up to 1,000 rows, each
//! validated and written through the same service functions as the API (accounts upserted
//! by `external_id`, orders through the order batch path, contacts through the contact
//! path, interactions and survey responses through theirs: see `timeline`; an order's
//! `refunded_amount` through the refund path: see `refunds`), in one transaction with the
//! batch's error rows and the job's checkpoint (the byte
//! offset of the next record): a worker that dies mid-batch leaves nothing of the batch,
//! and whichever node resumes starts after the last committed batch, so every row is
//! imported once.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead, Read};

use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use rapport_domain::access::{Role, Scope, ScopeSet};
use rapport_persistence::imports::{self as store, ImportErrorRow, ImportJobRow, Progress};
use rapport_persistence::{write_transaction, DbConn};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::auth::{Actor, Principal};
use crate::error::{ApiError, FieldError};
use crate::service::events::domain::{data, DomainEvent};
use crate::service::idempotency::{self, IdempotencyRequest, Outcome};
use crate::service::pipeline::{self, Committed, WriteContext};
use crate::service::{accounts, contacts, new_id, now, orders, page_limit, utc, Page};
use crate::state::AppState;

mod refunds;
mod timeline;
mod uploads;

pub use uploads::{fail_abandoned_uploads, UPLOAD_IDLE_TIMEOUT_SECS};

/// Size of the stored pieces of a file (all but the last are exactly this long).
pub const CHUNK_SIZE: usize = 256 * 1024;
/// Rows written per transaction.
pub const BATCH_ROWS: usize = 1000;
/// A line (a CSV record, an NDJSON line) longer than this fails the job.
pub const MAX_LINE: usize = 1024 * 1024;
/// How long a worker holds a job between checkpoints before another node may take it.
const LEASE_SECS: i64 = 120;
/// Imports of more rows than this refresh the touched tables' planner statistics.
const ANALYZE_AFTER_ROWS: i64 = 10_000;
/// How often an idle worker looks for queued jobs.
const POLL_EVERY: std::time::Duration = std::time::Duration::from_millis(500);
/// Attempts at a batch that fails for a reason other than its rows before the job fails.
const BATCH_ATTEMPTS: u32 = 3;

// ---------------------------------------------------------------------------------------
// What can be imported

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportType {
    Accounts,
    Orders,
    Contacts,
    Interactions,
    /// Survey responses (NPS, CSAT, CES).
    Feedback,
}

/// How a CSV cell becomes a JSON value of the API's input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
    Bool,
    /// Values separated by `;`.
    List,
    /// A JSON value in the cell (order `items`, account `attributes`).
    Json,
}

const ACCOUNT_FIELDS: &[(&str, Kind)] = &[
    ("external_id", Kind::Text),
    ("kind", Kind::Text),
    ("name", Kind::Text),
    ("emails", Kind::List),
    ("phones", Kind::List),
    ("tags", Kind::List),
    ("lifecycle_stage", Kind::Text),
    ("owner_id", Kind::Text),
    ("acquisition_channel", Kind::Text),
    ("acquisition_cost.amount", Kind::Int),
    ("acquisition_cost.currency", Kind::Text),
    ("attributes", Kind::Json),
    ("address.line1", Kind::Text),
    ("address.line2", Kind::Text),
    ("address.city", Kind::Text),
    ("address.region", Kind::Text),
    ("address.postal_code", Kind::Text),
    ("address.country", Kind::Text),
];

const ORDER_FIELDS: &[(&str, Kind)] = &[
    ("external_id", Kind::Text),
    ("account_id", Kind::Text),
    ("account_external_id", Kind::Text),
    ("amount", Kind::Int),
    ("currency", Kind::Text),
    ("cost", Kind::Int),
    ("occurred_at", Kind::Text),
    ("channel", Kind::Text),
    ("items", Kind::Json),
    ("voucher_codes", Kind::List),
    // The order's total refunded (see `refunds`), and why.
    ("refunded_amount", Kind::Int),
    ("refund_reason", Kind::Text),
];

const CONTACT_FIELDS: &[(&str, Kind)] = &[
    ("account_id", Kind::Text),
    ("account_external_id", Kind::Text),
    ("name", Kind::Text),
    ("title", Kind::Text),
    ("email", Kind::Text),
    ("phone", Kind::Text),
    ("is_primary", Kind::Bool),
];

impl ImportType {
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        match text {
            "accounts" => Ok(Self::Accounts),
            "orders" => Ok(Self::Orders),
            "contacts" => Ok(Self::Contacts),
            "interactions" => Ok(Self::Interactions),
            "feedback" => Ok(Self::Feedback),
            _ => Err(ApiError::field(
                "type",
                "must be `accounts`, `orders`, `contacts`, `interactions` or `feedback`",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accounts => "accounts",
            Self::Orders => "orders",
            Self::Contacts => "contacts",
            Self::Interactions => "interactions",
            Self::Feedback => "feedback",
        }
    }

    /// The scope the API's own writes of this type need.
    fn write_scope(self) -> Scope {
        match self {
            Self::Accounts | Self::Contacts | Self::Interactions | Self::Feedback => {
                Scope::AccountsWrite
            }
            Self::Orders => Scope::OrdersWrite,
        }
    }

    fn read_scope(self) -> Scope {
        match self {
            Self::Accounts | Self::Contacts | Self::Interactions | Self::Feedback => {
                Scope::AccountsRead
            }
            Self::Orders => Scope::OrdersRead,
        }
    }

    fn fields(self) -> &'static [(&'static str, Kind)] {
        match self {
            Self::Accounts => ACCOUNT_FIELDS,
            Self::Orders => ORDER_FIELDS,
            Self::Contacts => CONTACT_FIELDS,
            Self::Interactions => timeline::INTERACTION_FIELDS,
            Self::Feedback => timeline::FEEDBACK_FIELDS,
        }
    }

    /// Fields the file must have a column for, and groups of which it needs one.
    fn required(self) -> (&'static [&'static str], &'static [&'static str]) {
        const ACCOUNT: &[&str] = &["account_id", "account_external_id"];
        match self {
            Self::Accounts => (&["external_id"], &[]),
            Self::Orders => (&["external_id", "amount", "currency"], ACCOUNT),
            Self::Contacts => (&["name"], ACCOUNT),
            Self::Interactions => (&["external_id", "type"], ACCOUNT),
            Self::Feedback => (&["external_id", "touchpoint"], ACCOUNT),
        }
    }

    /// The tables whose planner statistics a large import changes.
    fn touched_tables(self) -> &'static [&'static str] {
        match self {
            Self::Accounts => &["accounts", "account_tags", "account_search_terms"],
            Self::Orders => &[
                "orders",
                "account_purchase_days",
                "account_metrics",
                "loyalty_entries",
                "loyalty_lots",
            ],
            Self::Contacts => &["contacts"],
            Self::Interactions => &["interactions"],
            Self::Feedback => &[
                "feedback_responses",
                "account_satisfaction",
                "feedback_account_months",
            ],
        }
    }

    /// The tables a batch looks rows up in by key (external ids) while the import fills
    /// them: the plans that go wrong on young statistics.
    fn looked_up_tables(self) -> &'static [&'static str] {
        match self {
            Self::Accounts | Self::Contacts => &["accounts"],
            Self::Orders => &["accounts", "orders"],
            Self::Interactions => &["accounts", "interactions"],
            Self::Feedback => &["accounts", "feedback_responses"],
        }
    }

    fn kind_of(self, field: &str) -> Option<Kind> {
        self.fields()
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, kind)| *kind)
    }

    /// Whether an NDJSON key names a field (or an object of dotted fields: `address`).
    fn knows_key(self, key: &str) -> bool {
        self.fields().iter().any(|(name, _)| {
            *name == key
                || name
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Ndjson,
}

impl Format {
    /// From the request's `Content-Type`.
    pub fn from_content_type(content_type: Option<&str>) -> Result<Self, ApiError> {
        let essence = content_type
            .and_then(|c| c.split(';').next())
            .map(|c| c.trim().to_ascii_lowercase());
        match essence.as_deref() {
            Some("text/csv") => Ok(Self::Csv),
            Some("application/x-ndjson" | "application/jsonl" | "application/x-jsonlines") => {
                Ok(Self::Ndjson)
            }
            _ => Err(ApiError::new(
                actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the file as `text/csv` or `application/x-ndjson`",
            )),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Ndjson => "ndjson",
        }
    }

    fn parse(text: &str) -> Self {
        if text == "ndjson" {
            Self::Ndjson
        } else {
            Self::Csv
        }
    }
}

// ---------------------------------------------------------------------------------------
// API forms

/// Why a job failed.
#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
#[schema(as = ImportFailure)]
#[graphql(name = "ImportFailure")]
pub struct ImportFailure {
    /// Stable: `import_file_malformed` (encoding, unterminated quote, an over-long line,
    /// binary content: see `message`), `import_batch_failed`.
    pub code: String,
    pub message: String,
}

/// An import job and its progress.
#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
#[schema(as = ImportJob)]
pub struct ImportJob {
    #[graphql(skip, derived(name = "id", into = "async_graphql::ID", owned))]
    pub id: String,
    /// `accounts`, `orders`, `contacts`, `interactions` or `feedback`.
    #[serde(rename = "type")]
    #[schema(rename = "type", example = "orders")]
    #[graphql(name = "type")]
    pub import_type: String,
    /// `csv` or `ndjson`.
    pub format: String,
    /// `uploading`, `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    #[schema(example = "running")]
    pub status: String,
    /// Nothing is written: the counts say what would have happened.
    pub dry_run: bool,
    /// File header -> field, as given (a header without an entry is read as the field of
    /// its own name).
    #[graphql(skip)]
    pub mapping: BTreeMap<String, String>,
    /// The file's header (CSV) as read.
    pub columns: Vec<String>,
    /// Columns (CSV) or keys (NDJSON) that name no field: ignored.
    pub unknown_columns: Vec<String>,
    pub bytes_total: i64,
    /// Bytes of the file read so far (the checkpoint).
    pub bytes_processed: i64,
    /// Rows read so far (good and bad).
    pub rows_read: i64,
    /// Rows written (created, updated or already there).
    pub rows_imported: i64,
    pub rows_created: i64,
    pub rows_updated: i64,
    /// Rows already there as they are (an account unchanged, an order whose
    /// `external_id` exists).
    pub rows_unchanged: i64,
    /// Rows refused: see `/v1/imports/{id}/errors`.
    pub rows_failed: i64,
    /// Rows read per second since the job started.
    pub rows_per_second: Option<f64>,
    /// Seconds left at the current pace (while it runs).
    pub eta_seconds: Option<f64>,
    pub error: Option<ImportFailure>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// One refused field of one row.
#[derive(Debug, Clone, Serialize, ToSchema, async_graphql::SimpleObject)]
#[schema(as = ImportRowError)]
pub struct ImportRowError {
    /// The row's number among the file's data rows (1 is the first after a CSV header).
    pub row: i64,
    /// The field (`amount`, `emails[1]`), or `row` for the row as a whole.
    pub field: String,
    /// Stable: `invalid`, `column_count`, `invalid_json`, `voucher_unknown`, …
    pub code: String,
    pub message: String,
}

fn list_of(text: Option<&str>) -> Vec<String> {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default()
}

impl From<ImportJobRow> for ImportJob {
    fn from(r: ImportJobRow) -> Self {
        let at = now();
        let elapsed = r
            .started_at
            .map(|s| (r.finished_at.unwrap_or(at) - s).num_milliseconds() as f64 / 1000.0)
            .filter(|s| *s > 0.0);
        let rows_per_second = elapsed.map(|s| r.rows_read as f64 / s);
        let eta_seconds = match (elapsed, r.status.as_str()) {
            (Some(s), "running") if r.byte_offset > 0 => {
                let left = (r.bytes_total - r.byte_offset).max(0) as f64;
                Some(left / (r.byte_offset as f64 / s))
            }
            _ => None,
        };
        Self {
            mapping: r
                .mapping
                .parse::<Value>()
                .ok()
                .and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or_default(),
            columns: list_of(r.header.as_deref()),
            unknown_columns: list_of(Some(&r.unknown_columns)),
            rows_imported: r.rows_created + r.rows_updated + r.rows_unchanged,
            error: r.error_code.map(|code| ImportFailure {
                code,
                message: r.error_message.unwrap_or_default(),
            }),
            id: r.id,
            import_type: r.import_type,
            format: r.format,
            status: r.status,
            dry_run: r.dry_run,
            bytes_total: r.bytes_total,
            bytes_processed: r.byte_offset,
            rows_read: r.rows_read,
            rows_created: r.rows_created,
            rows_updated: r.rows_updated,
            rows_unchanged: r.rows_unchanged,
            rows_failed: r.rows_failed,
            rows_per_second,
            eta_seconds,
            created_at: utc(r.created_at),
            started_at: r.started_at.map(utc),
            finished_at: r.finished_at.map(utc),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Columns

/// How the file's columns map to fields.
struct Plan {
    /// Per column: the field it fills.
    targets: Vec<Option<(&'static str, Kind)>>,
    unknown: Vec<String>,
}

fn static_field(ty: ImportType, name: &str) -> Option<(&'static str, Kind)> {
    ty.fields()
        .iter()
        .find(|(f, _)| *f == name)
        .map(|(f, k)| (*f, *k))
}

/// The mapping given with the request: every target must be a field of the type.
fn parse_mapping(ty: ImportType, text: Option<&str>) -> Result<BTreeMap<String, String>, ApiError> {
    let Some(text) = text else {
        return Ok(BTreeMap::new());
    };
    let mapping: BTreeMap<String, String> = serde_json::from_str(text).map_err(|_| {
        ApiError::field(
            "mapping",
            "must be a JSON object of file header -> field name",
        )
    })?;
    let mut errors = Vec::new();
    for (column, field) in &mapping {
        if column.contains(char::is_control) || column.chars().count() > 200 {
            errors.push(FieldError {
                field: "mapping".into(),
                message: "a header is at most 200 characters, without control characters".into(),
            });
        } else if ty.kind_of(field).is_none() && !ty.knows_key(field) {
            errors.push(FieldError {
                field: format!("mapping.{column}"),
                message: format!("`{field}` is not a field of {}", ty.as_str()),
            });
        }
    }
    if errors.is_empty() {
        Ok(mapping)
    } else {
        Err(ApiError::validation(errors))
    }
}

fn target_name<'m>(mapping: &'m BTreeMap<String, String>, column: &'m str) -> &'m str {
    mapping.get(column).map_or(column.trim(), String::as_str)
}

fn plan(ty: ImportType, mapping: &BTreeMap<String, String>, header: &[String]) -> Plan {
    let mut unknown = Vec::new();
    let targets = header
        .iter()
        .map(|column| {
            let target = static_field(ty, target_name(mapping, column));
            if target.is_none() {
                unknown.push(column.clone());
            }
            target
        })
        .collect();
    Plan { targets, unknown }
}

/// The fields the file lacks a column (or first-line key) for.
fn missing_fields(ty: ImportType, present: &BTreeSet<String>) -> Vec<FieldError> {
    let (all, one_of) = ty.required();
    let mut errors: Vec<FieldError> = all
        .iter()
        .filter(|f| !present.contains(**f))
        .map(|f| FieldError {
            field: (*f).to_owned(),
            message: "the file has no column for this required field (name one in `mapping`)"
                .into(),
        })
        .collect();
    if !one_of.is_empty() && !one_of.iter().any(|f| present.contains(*f)) {
        errors.push(FieldError {
            field: one_of.join("|"),
            message: format!("the file needs a column for one of {}", one_of.join(", ")),
        });
    }
    errors
}

/// Puts `value` at a dotted path (`address.city`) of an object.
fn insert_dotted(object: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            object.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let entry = object
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                insert_dotted(inner, rest, value);
            }
        }
    }
}

#[derive(Debug, Clone)]
struct RowError {
    field: String,
    code: String,
    message: String,
}

impl RowError {
    fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// One CSV cell as the JSON value its field takes; `None` for an empty cell.
fn cell_value(field: &str, kind: Kind, cell: &str) -> Result<Option<Value>, RowError> {
    let text = cell.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = |what: &str| RowError::new(field, "invalid", what.to_owned());
    Ok(Some(match kind {
        Kind::Text => Value::String(text.to_owned()),
        Kind::Int => Value::from(
            text.parse::<i64>()
                .map_err(|_| bad("must be a whole number (minor units)"))?,
        ),
        Kind::Bool => Value::Bool(match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => true,
            "false" | "0" | "no" => false,
            _ => return Err(bad("must be true or false")),
        }),
        Kind::List => Value::Array(
            text.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        ),
        Kind::Json => serde_json::from_str(text).map_err(|_| bad("must be JSON"))?,
    }))
}

fn csv_row(plan: &Plan, cells: &[&str]) -> Result<Map<String, Value>, Vec<RowError>> {
    if cells.len() != plan.targets.len() {
        return Err(vec![RowError::new(
            "row",
            "column_count",
            format!(
                "{} columns where the header has {}",
                cells.len(),
                plan.targets.len()
            ),
        )]);
    }
    let mut object = Map::new();
    let mut errors = Vec::new();
    for (target, cell) in plan.targets.iter().zip(cells) {
        let Some((field, kind)) = target else {
            continue;
        };
        match cell_value(field, *kind, cell) {
            Ok(Some(value)) => insert_dotted(&mut object, field, value),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(object)
    } else {
        Err(errors)
    }
}

/// An NDJSON object with its keys mapped; unknown keys are collected and dropped.
fn ndjson_row(
    ty: ImportType,
    mapping: &BTreeMap<String, String>,
    object: Map<String, Value>,
    unknown: &mut BTreeSet<String>,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in object {
        let target = target_name(mapping, &key).to_owned();
        if ty.knows_key(&target) {
            if value.is_null() {
                continue;
            }
            insert_dotted(&mut out, &target, value);
        } else {
            unknown.insert(key);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Reading the stored file

/// What makes a file unreadable.
#[derive(Debug, Clone)]
struct Malformed(String);

/// The job's file from a byte offset, chunk by chunk through the worker's connection,
/// refusing binary content and lines over [`MAX_LINE`] (and, for CSV, a quote still open
/// at the end). Bytes before a fault are delivered first; the fault is the next read.
struct ChunkSource<'c> {
    conn: &'c mut DbConn,
    job_id: String,
    next_seq: i64,
    chunks: i64,
    chunk: Vec<u8>,
    pos: usize,
    /// Absolute offset of `chunk[pos]`.
    offset: i64,
    csv: bool,
    in_quotes: bool,
    line_len: usize,
    fault: Option<Malformed>,
}

impl<'c> ChunkSource<'c> {
    fn open(conn: &'c mut DbConn, job: &ImportJobRow, csv: bool) -> Result<Self, ApiError> {
        let size = i64::try_from(CHUNK_SIZE).unwrap_or(i64::MAX);
        let seq = job.byte_offset / size;
        let skip = usize::try_from(job.byte_offset % size).unwrap_or(0);
        let mut source = Self {
            conn,
            job_id: job.id.clone(),
            next_seq: seq,
            chunks: job.chunks,
            chunk: Vec::new(),
            pos: 0,
            offset: job.byte_offset,
            csv,
            in_quotes: false,
            line_len: 0,
            fault: None,
        };
        if source.load_next().map_err(ApiError::internal)? {
            source.pos = skip.min(source.chunk.len());
        }
        Ok(source)
    }

    fn load_next(&mut self) -> io::Result<bool> {
        if self.next_seq >= self.chunks {
            return Ok(false);
        }
        let data = store::chunk_for_worker(self.conn, &self.job_id, self.next_seq)
            .map_err(|e| io::Error::other(e.to_string()))?
            .ok_or_else(|| io::Error::other("a chunk of the file is missing"))?;
        self.chunk = data;
        self.pos = 0;
        self.next_seq += 1;
        Ok(true)
    }
}

impl Read for ChunkSource<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if let Some(fault) = &self.fault {
            return Err(io::Error::new(io::ErrorKind::InvalidData, fault.0.clone()));
        }
        while self.pos >= self.chunk.len() {
            if !self.load_next()? {
                if self.csv && self.in_quotes {
                    let fault = Malformed(format!(
                        "a quoted field is never closed (unterminated quote before byte {})",
                        self.offset
                    ));
                    self.fault = Some(fault.clone());
                    return Err(io::Error::new(io::ErrorKind::InvalidData, fault.0));
                }
                return Ok(0);
            }
        }
        let available = &self.chunk[self.pos..];
        let n = available.len().min(out.len());
        let mut good = n;
        for (i, &b) in available[..n].iter().enumerate() {
            let at = self.offset + i64::try_from(i).unwrap_or(0);
            if b == 0 {
                self.fault = Some(Malformed(format!(
                    "binary content (a NUL byte at byte {at}); send UTF-8 text"
                )));
                good = i;
                break;
            }
            if self.csv && b == b'"' {
                self.in_quotes = !self.in_quotes;
            }
            if b == b'\n' && !self.in_quotes {
                self.line_len = 0;
            } else {
                self.line_len += 1;
                if self.line_len > MAX_LINE {
                    self.fault = Some(Malformed(format!(
                        "a line over {} bytes at byte {at}{}",
                        MAX_LINE,
                        if self.csv {
                            " (an unterminated quote?)"
                        } else {
                            ""
                        }
                    )));
                    good = i;
                    break;
                }
            }
        }
        if good == 0 {
            if let Some(fault) = &self.fault {
                return Err(io::Error::new(io::ErrorKind::InvalidData, fault.0.clone()));
            }
        }
        out[..good].copy_from_slice(&available[..good]);
        self.pos += good;
        self.offset += i64::try_from(good).unwrap_or(0);
        Ok(good)
    }
}

/// A row as the API input's JSON, or why it is bad.
type ParsedRow = Result<Map<String, Value>, Vec<RowError>>;

/// Rows read for one batch.
struct ReadBatch {
    /// (row number, the row as the API input's JSON, or why it is bad).
    rows: Vec<(i64, ParsedRow)>,
    /// Offset of the first byte after the last row read.
    end_offset: i64,
    /// The file has no more rows.
    eof: bool,
    /// Why reading stopped early (the file's fault).
    malformed: Option<String>,
    /// NDJSON keys naming no field, seen in this batch.
    unknown: BTreeSet<String>,
}

fn malformed_from(err: &io::Error, row: i64) -> String {
    format!("row {row}: {err}")
}

fn read_csv(
    conn: &mut DbConn,
    job: &ImportJobRow,
    ty: ImportType,
    mapping: &BTreeMap<String, String>,
) -> Result<ReadBatch, ApiError> {
    let header = list_of(job.header.as_deref());
    let plan = plan(ty, mapping, &header);
    let source = ChunkSource::open(conn, job, true)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(source);
    let mut record = csv::ByteRecord::new();
    let mut batch = ReadBatch {
        rows: Vec::new(),
        end_offset: job.byte_offset,
        eof: false,
        malformed: None,
        unknown: BTreeSet::new(),
    };
    let base = job.byte_offset;
    let to_offset = |p: u64| base + i64::try_from(p).unwrap_or(0);
    if job.byte_offset == 0 {
        // The header (stored when the file arrived).
        match reader.read_byte_record(&mut record) {
            Ok(true) => batch.end_offset = to_offset(reader.position().byte()),
            Ok(false) => {
                batch.eof = true;
                return Ok(batch);
            }
            Err(e) => {
                batch.malformed = Some(csv_fault(&e, 0));
                return Ok(batch);
            }
        }
    }
    let mut row = job.rows_read;
    while batch.rows.len() < BATCH_ROWS {
        row += 1;
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                batch.eof = true;
                break;
            }
            Err(e) => {
                batch.malformed = Some(csv_fault(&e, row));
                break;
            }
        }
        let mut cells = Vec::with_capacity(record.len());
        let mut bad_utf8 = false;
        for field in record.iter() {
            match std::str::from_utf8(field) {
                Ok(text) => cells.push(text),
                Err(_) => {
                    bad_utf8 = true;
                    break;
                }
            }
        }
        if bad_utf8 {
            batch.malformed = Some(format!(
                "row {row}: not UTF-8 text (send the file encoded as UTF-8)"
            ));
            break;
        }
        batch.rows.push((row, csv_row(&plan, &cells)));
        batch.end_offset = to_offset(reader.position().byte());
    }
    Ok(batch)
}

fn csv_fault(err: &csv::Error, row: i64) -> String {
    match err.kind() {
        csv::ErrorKind::Io(io) => malformed_from(io, row),
        csv::ErrorKind::Utf8 { .. } => {
            format!("row {row}: not UTF-8 text (send the file encoded as UTF-8)")
        }
        _ => format!("row {row}: {err}"),
    }
}

fn read_ndjson(
    conn: &mut DbConn,
    job: &ImportJobRow,
    ty: ImportType,
    mapping: &BTreeMap<String, String>,
) -> Result<ReadBatch, ApiError> {
    let source = ChunkSource::open(conn, job, false)?;
    let mut reader = io::BufReader::with_capacity(64 * 1024, source);
    let mut batch = ReadBatch {
        rows: Vec::new(),
        end_offset: job.byte_offset,
        eof: false,
        malformed: None,
        unknown: BTreeSet::new(),
    };
    let mut line = Vec::new();
    let mut row = job.rows_read;
    while batch.rows.len() < BATCH_ROWS {
        line.clear();
        let n = match reader.read_until(b'\n', &mut line) {
            Ok(0) => {
                batch.eof = true;
                break;
            }
            Ok(n) => n,
            Err(e) => {
                batch.malformed = Some(malformed_from(&e, row + 1));
                break;
            }
        };
        let Ok(text) = std::str::from_utf8(&line) else {
            batch.malformed = Some(format!(
                "row {}: not UTF-8 text (send the file encoded as UTF-8)",
                row + 1
            ));
            break;
        };
        let text = text.trim_start_matches('\u{feff}').trim();
        batch.end_offset += i64::try_from(n).unwrap_or(0);
        if text.is_empty() {
            continue;
        }
        row += 1;
        let parsed = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(object)) => Ok(ndjson_row(ty, mapping, object, &mut batch.unknown)),
            Ok(_) => Err(vec![RowError::new(
                "row",
                "invalid_json",
                "each line must be a JSON object",
            )]),
            Err(e) => Err(vec![RowError::new(
                "row",
                "invalid_json",
                format!("not JSON: {e}"),
            )]),
        };
        batch.rows.push((row, parsed));
    }
    Ok(batch)
}

// ---------------------------------------------------------------------------------------
// Writing a batch through the API's own paths

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    created: i64,
    updated: i64,
    unchanged: i64,
}

fn bare_field(field: &str) -> String {
    // `accounts[3].emails[0]` -> `emails[0]`; `12:amount` -> `amount`.
    if let Some((_, rest)) = field.split_once("].") {
        return rest.to_owned();
    }
    match field.split_once(':') {
        Some((head, rest)) if head.chars().all(|c| c.is_ascii_digit()) => rest.to_owned(),
        _ => field.to_owned(),
    }
}

fn input_of<T: serde::de::DeserializeOwned>(object: Map<String, Value>) -> Result<T, RowError> {
    serde_json::from_value(Value::Object(object))
        .map_err(|e| RowError::new("row", "invalid", e.to_string()))
}

/// Writes the good rows of a batch in the caller's transaction; refused rows join `errors`.
fn write_rows(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    principal: &Principal,
    ty: ImportType,
    rows: Vec<(i64, Map<String, Value>)>,
    errors: &mut Vec<(i64, RowError)>,
) -> Result<Counts, ApiError> {
    let mut counts = Counts::default();
    match ty {
        ImportType::Accounts => {
            let mut inputs = Vec::with_capacity(rows.len());
            let mut row_of = Vec::with_capacity(rows.len());
            for (row, object) in rows {
                match input_of::<accounts::AccountInput>(object) {
                    Ok(input) => {
                        inputs.push(input);
                        row_of.push(row);
                    }
                    Err(e) => errors.push((row, e)),
                }
            }
            if inputs.is_empty() {
                return Ok(counts);
            }
            let prepared = accounts::prepare_batch(&inputs);
            let result = accounts::write_batch(conn, cx, principal, prepared)?;
            for item in result.results {
                let row = row_of.get(item.index).copied().unwrap_or_default();
                match item.status {
                    "created" => counts.created += 1,
                    "updated" => counts.updated += 1,
                    "unchanged" => counts.unchanged += 1,
                    _ => {
                        for e in item.errors {
                            errors.push((
                                row,
                                RowError::new(bare_field(&e.field), "invalid", e.message),
                            ));
                        }
                    }
                }
            }
        }
        ImportType::Orders => {
            let mut valid = Vec::with_capacity(rows.len());
            let mut row_of = Vec::with_capacity(rows.len());
            for (row, object) in rows {
                let input = match input_of::<orders::OrderInput>(object) {
                    Ok(input) => input,
                    Err(e) => {
                        errors.push((row, e));
                        continue;
                    }
                };
                let mut field_errors = Vec::new();
                if input.external_id.is_none() {
                    field_errors.push(FieldError {
                        field: "external_id".into(),
                        message: "is required in an import (it makes a resumed import write each order once)".into(),
                    });
                }
                let checked = orders::validate(&input, "", &mut field_errors);
                match checked {
                    Some(order) if field_errors.is_empty() => {
                        valid.push(order);
                        row_of.push(row);
                    }
                    _ => {
                        for e in field_errors {
                            errors.push((row, RowError::new(e.field, "invalid", e.message)));
                        }
                    }
                }
            }
            // Rows the batch path refuses (an unknown account, a missing exchange rate) are
            // taken out and the rest tried again: that path writes nothing before it checks.
            while !valid.is_empty() {
                match orders::record_batch(conn, cx, valid.clone(), "import", |i| format!("{i}:")) {
                    Ok(result) => {
                        for item in result.results {
                            let index = usize::try_from(item.index).unwrap_or(usize::MAX);
                            let row = row_of.get(index).copied().unwrap_or_default();
                            match item.status.as_str() {
                                "created" => counts.created += 1,
                                "duplicate" => counts.unchanged += 1,
                                _ => {
                                    let (code, message) = item.error.map_or_else(
                                        || ("rejected".to_owned(), "refused".to_owned()),
                                        |e| (e.code, e.detail),
                                    );
                                    errors.push((
                                        row,
                                        RowError::new("voucher_codes", &code, message),
                                    ));
                                }
                            }
                        }
                        break;
                    }
                    Err(err) if err.status.as_u16() == 422 && !err.errors.is_empty() => {
                        let mut bad: BTreeMap<usize, Vec<FieldError>> = BTreeMap::new();
                        for e in err.errors.iter() {
                            let index = e
                                .field
                                .split_once(':')
                                .and_then(|(i, _)| i.parse::<usize>().ok())
                                .filter(|i| *i < valid.len());
                            match index {
                                Some(i) => bad.entry(i).or_default().push(e.clone()),
                                None => return Err(err),
                            }
                        }
                        for (index, field_errors) in bad.into_iter().rev() {
                            valid.remove(index);
                            let row = row_of.remove(index);
                            for e in field_errors {
                                errors.push((
                                    row,
                                    RowError::new(bare_field(&e.field), "invalid", e.message),
                                ));
                            }
                        }
                    }
                    Err(err) => return Err(err),
                }
            }
        }
        ImportType::Contacts => {
            for (row, mut object) in rows {
                let account_id = object.remove("account_id");
                let account_external_id = object.remove("account_external_id");
                let input = match input_of::<contacts::ContactInput>(object) {
                    Ok(input) => input,
                    Err(e) => {
                        errors.push((row, e));
                        continue;
                    }
                };
                let valid = match contacts::validate_input(&input) {
                    Ok(valid) => valid,
                    Err(field_errors) => {
                        for e in field_errors {
                            errors.push((row, RowError::new(e.field, "invalid", e.message)));
                        }
                        continue;
                    }
                };
                let account = match (account_id, account_external_id) {
                    (Some(Value::String(id)), None) => Some(id),
                    (None, Some(Value::String(ext))) => {
                        rapport_persistence::accounts::find_by_external_id(
                            conn,
                            &principal.workspace_id,
                            ext.trim(),
                        )?
                        .map(|a| a.id)
                    }
                    _ => {
                        errors.push((
                            row,
                            RowError::new(
                                "account_id",
                                "invalid",
                                "give one of account_id or account_external_id",
                            ),
                        ));
                        continue;
                    }
                };
                let Some(account) = account else {
                    errors.push((
                        row,
                        RowError::new(
                            "account_external_id",
                            "not_found",
                            "no account with this external_id",
                        ),
                    ));
                    continue;
                };
                match contacts::create_in_tx(conn, cx, principal, &account, &valid) {
                    Ok(_) => counts.created += 1,
                    // Refusals come before the contact path writes anything.
                    Err(e) if e.status.is_client_error() => {
                        let field = e
                            .errors
                            .first()
                            .map_or("account_id".to_owned(), |f| f.field.clone());
                        errors.push((row, RowError::new(field, e.code, e.detail)));
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        ImportType::Interactions => {
            counts = timeline::write_interactions(conn, cx, rows, errors)?;
        }
        ImportType::Feedback => {
            counts = timeline::write_feedback(conn, cx, rows, errors)?;
        }
    }
    Ok(counts)
}

/// [`write_rows`], with the refunds order rows ask for (see `refunds`) applied after them.
fn write_rows_and_refunds(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    principal: &Principal,
    ty: ImportType,
    mut rows: Vec<(i64, Map<String, Value>)>,
    errors: &mut Vec<(i64, RowError)>,
) -> Result<Counts, ApiError> {
    if ty != ImportType::Orders {
        return write_rows(conn, cx, principal, ty, rows, errors);
    }
    let targets = refunds::take(&mut rows, errors);
    let existed = refunds::existing(conn, &principal.workspace_id, &targets)?;
    let mut counts = write_rows(conn, cx, principal, ty, rows, errors)?;
    refunds::apply(conn, cx, targets, &existed, errors, &mut counts)?;
    Ok(counts)
}

// ---------------------------------------------------------------------------------------
// The worker

/// What one call of [`process_batch`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A batch was committed; more rows follow.
    Continue,
    /// The job ended (succeeded or failed).
    Finished,
    /// This worker no longer holds the job (lease taken over, job cancelled or gone).
    Lost,
}

fn lease_lost() -> ApiError {
    ApiError::conflict("import_lease_lost", "the job's lease was lost")
}

/// The principal a job runs as: who created it, with the scopes they had.
fn principal_of(job: &ImportJobRow) -> Result<Principal, ApiError> {
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

fn parse_job(
    job: &ImportJobRow,
) -> Result<(ImportType, Format, BTreeMap<String, String>), ApiError> {
    let ty = ImportType::parse(&job.import_type)?;
    let mapping = serde_json::from_str(&job.mapping).map_err(ApiError::internal)?;
    Ok((ty, Format::parse(&job.format), mapping))
}

/// Reads and writes the next batch of a job `holder` holds, in one transaction with its
/// errors and checkpoint; ends the job after its last row (or at a fault in the file).
fn step_in(
    conn: &mut DbConn,
    job_id: &str,
    holder: &str,
) -> Result<(Step, Vec<Committed>), ApiError> {
    let Some(job) = store::find_for_worker(conn, job_id)? else {
        return Ok((Step::Lost, Vec::new()));
    };
    if job.status != "running" || job.lease_holder.as_deref() != Some(holder) {
        return Ok((Step::Lost, Vec::new()));
    }
    let (ty, format, mapping) = parse_job(&job)?;
    let principal = principal_of(&job)?;
    let batch = match format {
        Format::Csv => read_csv(conn, &job, ty, &mapping)?,
        Format::Ndjson => read_ndjson(conn, &job, ty, &mapping)?,
    };
    let mut committed = Vec::new();
    let rows_read = i64::try_from(batch.rows.len()).unwrap_or(i64::MAX);
    let mut errors: Vec<(i64, RowError)> = Vec::new();
    let mut good = Vec::new();
    for (row, parsed) in batch.rows {
        match parsed {
            Ok(object) => good.push((row, object)),
            Err(list) => errors.extend(list.into_iter().map(|e| (row, e))),
        }
    }
    let unknown = if batch.unknown.is_empty() {
        None
    } else {
        let mut all: BTreeSet<String> = list_of(Some(&job.unknown_columns)).into_iter().collect();
        let before = all.len();
        all.extend(batch.unknown);
        (all.len() > before).then(|| serde_json::to_string(&all).unwrap_or_else(|_| "[]".into()))
    };
    let at = now();
    let until = at + chrono::Duration::seconds(LEASE_SECS);
    let save =
        |conn: &mut DbConn, counts: Counts, errors: &[(i64, RowError)]| -> Result<(), ApiError> {
            let mut position: BTreeMap<i64, i64> = BTreeMap::new();
            let rows: Vec<ImportErrorRow> = errors
                .iter()
                .map(|(row, e)| {
                    let p = position.entry(*row).or_insert(0);
                    *p += 1;
                    ImportErrorRow {
                        job_id: job.id.clone(),
                        row_number: *row,
                        position: *p,
                        workspace_id: job.workspace_id.clone(),
                        field: e.field.clone(),
                        code: e.code.clone(),
                        message: e.message.clone(),
                    }
                })
                .collect();
            store::insert_errors(conn, &rows)?;
            let progress = Progress {
                byte_offset: batch.end_offset,
                rows_read,
                rows_created: counts.created,
                rows_updated: counts.updated,
                rows_unchanged: counts.unchanged,
                rows_failed: i64::try_from(position.len()).unwrap_or(i64::MAX),
            };
            if store::checkpoint(
                conn,
                &job.id,
                holder,
                progress,
                unknown.as_deref(),
                at,
                until,
            )? {
                Ok(())
            } else {
                Err(lease_lost())
            }
        };
    let outcome = if job.dry_run {
        let mut errors = errors;
        let counts = if good.is_empty() {
            Counts::default()
        } else {
            let mut simulated = Vec::new();
            let counts = pipeline::simulate(conn, &principal, |conn, cx| {
                write_rows_and_refunds(conn, cx, &principal, ty, good, &mut simulated)
            })?;
            errors.extend(simulated);
            counts
        };
        errors.sort_by_key(|(row, _)| *row);
        write_transaction(conn, |conn| save(conn, counts, &errors))
    } else {
        pipeline::transact(conn, &principal, |conn, cx| {
            let mut errors = errors;
            let counts = write_rows_and_refunds(conn, cx, &principal, ty, good, &mut errors)?;
            errors.sort_by_key(|(row, _)| *row);
            save(conn, counts, &errors)
        })
        .map(|((), c)| committed.push(c))
    };
    match outcome {
        Ok(()) => {}
        Err(e) if e.code == "import_lease_lost" => return Ok((Step::Lost, committed)),
        Err(e) => return Err(e),
    }
    if !job.dry_run {
        // The next batches' lookups (by external id) are planned on these statistics: a
        // table that grew past them is analyzed now, not after the import (see
        // `analyze_stale`). One catalog query when they are fresh.
        // Rows already committed stay so: a refresh that fails is only a warning.
        if let Err(err) = store::analyze_stale(conn, ty.looked_up_tables()) {
            tracing::warn!(job = %job.id, error = %err, "import: statistics not refreshed");
        }
    }
    if let Some(reason) = batch.malformed {
        let c = finish_in(
            conn,
            &job.id,
            holder,
            Some(("import_file_malformed", &reason)),
        )?;
        committed.extend(c);
        return Ok((Step::Finished, committed));
    }
    if batch.eof {
        let c = finish_in(conn, &job.id, holder, None)?;
        committed.extend(c);
        if let Some(done) = store::find_for_worker(conn, &job.id)? {
            if !done.dry_run && done.rows_read > ANALYZE_AFTER_ROWS {
                store::analyze(conn, ty.touched_tables())?;
            }
        }
        return Ok((Step::Finished, committed));
    }
    Ok((Step::Continue, committed))
}

/// Ends a job `holder` runs: `succeeded`, or `failed` with a reason; audited and published
/// (`import.completed`, `import.failed`). The file's chunks are freed.
fn finish_in(
    conn: &mut DbConn,
    job_id: &str,
    holder: &str,
    failure: Option<(&str, &str)>,
) -> Result<Option<Committed>, ApiError> {
    let Some(job) = store::find_for_worker(conn, job_id)? else {
        return Ok(None);
    };
    let principal = principal_of(&job)?;
    let result = pipeline::transact(conn, &principal, |conn, cx| {
        let (status, action, event) = match failure {
            None => ("succeeded", "import.complete", "import.completed"),
            Some(_) => ("failed", "import.fail", "import.failed"),
        };
        if !store::finish(conn, job_id, holder, status, failure, now())? {
            return Err(lease_lost());
        }
        let job = store::find_for_worker(conn, job_id)?
            .map(ImportJob::from)
            .ok_or_else(|| ApiError::internal("import job vanished"))?;
        cx.audit::<(), _>(action, "import", Some(&job.id), None, Some(&job))?;
        cx.emit(DomainEvent::ImportChanged {
            event_type: event,
            job: data(&job)?,
        })?;
        store::delete_chunks(conn, job_id)?;
        Ok(())
    });
    match result {
        Ok(((), committed)) => Ok(Some(committed)),
        Err(e) if e.code == "import_lease_lost" => Ok(None),
        Err(e) => Err(e),
    }
}

/// Processes the next batch of a job this worker (`holder`) holds the lease of.
pub async fn process_batch(state: &AppState, job_id: &str, holder: &str) -> Result<Step, ApiError> {
    let (id, h) = (job_id.to_owned(), holder.to_owned());
    let (step, committed) = state.db.run(move |conn| step_in(conn, &id, &h)).await?;
    pipeline::apply_all(state, committed).await;
    Ok(step)
}

/// Takes the lease of one job (queued, or abandoned by a dead worker); `false` when another
/// worker holds it or it has ended.
pub async fn claim(state: &AppState, job_id: &str, holder: &str) -> Result<bool, ApiError> {
    let (id, h) = (job_id.to_owned(), holder.to_owned());
    state
        .db
        .run(move |conn| {
            let at = now();
            Ok(store::claim(
                conn,
                &id,
                &h,
                at,
                at + chrono::Duration::seconds(LEASE_SECS),
            )?)
        })
        .await
}

/// Gives up the lease of a job (a worker stopping): any node may resume it.
pub async fn release(state: &AppState, job_id: &str, holder: &str) -> Result<(), ApiError> {
    let (id, h) = (job_id.to_owned(), holder.to_owned());
    state
        .db
        .run(move |conn| Ok(store::release(conn, &id, &h)?))
        .await
}

/// Runs a job this worker holds to its end (or until it loses it). `progress` is told the
/// job after each batch.
pub async fn run_job(
    state: &AppState,
    job_id: &str,
    holder: &str,
    mut progress: impl FnMut(&ImportJob),
) -> Result<Step, ApiError> {
    let mut failures = 0;
    loop {
        match process_batch(state, job_id, holder).await {
            Ok(Step::Continue) => failures = 0,
            Ok(step) => return Ok(step),
            Err(err) => {
                failures += 1;
                tracing::warn!(job = job_id, error = %err.detail, "import batch failed");
                if failures >= BATCH_ATTEMPTS {
                    let (id, h) = (job_id.to_owned(), holder.to_owned());
                    let reason = format!("a batch failed {BATCH_ATTEMPTS} times: {}", err.detail);
                    let committed = state
                        .db
                        .run(move |conn| {
                            finish_in(conn, &id, &h, Some(("import_batch_failed", &reason)))
                        })
                        .await?;
                    if let Some(c) = committed {
                        pipeline::apply(state, c).await;
                    }
                    return Ok(Step::Finished);
                }
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
        }
        let id = job_id.to_owned();
        if let Ok(Some(job)) = state
            .db
            .run(move |conn| Ok(store::find_for_worker(conn, &id)?))
            .await
        {
            progress(&ImportJob::from(job));
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
            Ok(store::claim_next(
                conn,
                &h,
                at,
                at + chrono::Duration::seconds(LEASE_SECS),
            )?)
        })
        .await?;
    let Some(id) = claimed else {
        return Ok(false);
    };
    run_job(state, &id, holder, |_| {}).await?;
    Ok(true)
}

/// The import worker of `rapport serve` (unless `RAPPORT_IMPORTS_WORKER=false`); between
/// jobs it fails uploads abandoned for an hour (see `uploads`).
pub fn spawn_worker(state: AppState) {
    if !state.config.imports_worker {
        return;
    }
    let holder = new_id();
    tokio::spawn(async move {
        let mut swept_at: Option<std::time::Instant> = None;
        loop {
            // Uploads cut off by a crash, now and then (any node may fail them: the update
            // is conditional).
            if swept_at.is_none_or(|t| t.elapsed() >= uploads::SWEEP_EVERY) {
                swept_at = Some(std::time::Instant::now());
                if let Err(err) = fail_abandoned_uploads(&state, Utc::now()).await {
                    tracing::warn!(error = %err.detail, "import worker: abandoned uploads");
                }
            }
            match run_next(&state, &holder).await {
                Ok(true) => {}
                Ok(false) => tokio::time::sleep(POLL_EVERY).await,
                Err(err) => {
                    tracing::warn!(error = %err.detail, "import worker");
                    tokio::time::sleep(POLL_EVERY).await;
                }
            }
        }
    });
}

// ---------------------------------------------------------------------------------------
// Use cases

/// What `POST /v1/imports` was asked.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    pub import_type: String,
    pub content_type: Option<String>,
    /// JSON object text: file header -> field.
    pub mapping: Option<String>,
    pub dry_run: bool,
    /// `Idempotency-Key`, its fingerprint covering the request without the file (the file's
    /// digest joins it once read): a retry answers the first job.
    pub idempotency: Option<IdempotencyRequest>,
}

/// The fingerprint of the whole upload: the request's, its parsed choices and the file's
/// SHA-256 (a multipart retry has another boundary, the same file).
fn upload_fingerprint(
    base: &str,
    ty: ImportType,
    format: Format,
    dry_run: bool,
    mapping: &BTreeMap<String, String>,
    file: &[u8],
) -> String {
    let mut hash = Sha256::new();
    for part in [
        base,
        ty.as_str(),
        format.as_str(),
        if dry_run { "dry" } else { "wet" },
    ] {
        hash.update(part.as_bytes());
        hash.update(b"\n");
    }
    hash.update(serde_json::to_vec(mapping).unwrap_or_default());
    hash.update(b"\n");
    hash.update(file);
    hex::encode(hash.finalize())
}

/// The header of the file's first line: column names (CSV) or the first object's keys.
fn first_line_columns(format: Format, first: &[u8]) -> Result<Vec<String>, ApiError> {
    let end = first
        .iter()
        .position(|b| *b == b'\n')
        .unwrap_or(first.len());
    let line = &first[..end];
    let not_text = || {
        ApiError::field(
            "body",
            "the file's first line is not UTF-8 text (send UTF-8, without NUL bytes)",
        )
    };
    if line.contains(&0) {
        return Err(not_text());
    }
    let text = std::str::from_utf8(line).map_err(|_| not_text())?;
    let text = text.trim_start_matches('\u{feff}').trim_end_matches('\r');
    match format {
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(text.as_bytes());
            let mut record = csv::StringRecord::new();
            match reader.read_record(&mut record) {
                Ok(true) => Ok(record.iter().map(|c| c.trim().to_owned()).collect()),
                _ => Err(ApiError::field("body", "the file has no header line")),
            }
        }
        Format::Ndjson => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(o)) => Ok(o.keys().cloned().collect()),
            _ => Err(ApiError::field(
                "body",
                "the file's first line is not a JSON object",
            )),
        },
    }
}

/// Streams a file into a new job (chunk by chunk: memory stays flat whatever its size) and
/// queues it. The header is checked before anything is stored: a file without a column
/// for a required field is refused with a 422 naming the field. With an `Idempotency-Key`
/// this workspace used for an upload, the file is read (not stored) and the first job's
/// answer replayed (another request under the key is a 409); an upload that loses a race
/// with a twin under the same key drops its copy and answers the twin's job.
pub async fn create<S, B, E>(
    state: &AppState,
    principal: &Principal,
    request: ImportRequest,
    body: S,
) -> Result<Outcome<ImportJob>, ApiError>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
    E: std::fmt::Display,
{
    let ty = ImportType::parse(&request.import_type)?;
    principal.require(ty.write_scope())?;
    let format = Format::from_content_type(request.content_type.as_deref())?;
    let mapping = parse_mapping(ty, request.mapping.as_deref())?;
    let incomplete = |e: E| {
        ApiError::new(
            actix_web::http::StatusCode::BAD_REQUEST,
            "body_incomplete",
            format!("the file could not be read to its end: {e}"),
        )
    };
    // The file's digest, for the Idempotency-Key's fingerprint, taken as it streams by.
    let mut digest = Sha256::new();
    let mut body = body.inspect(|piece| {
        if let Ok(bytes) = piece {
            digest.update(bytes.as_ref());
        }
    });
    let idempotency = request.idempotency.clone();
    let fingerprint = |digest: Sha256| {
        idempotency.as_ref().map(|idem| IdempotencyRequest {
            key: idem.key.clone(),
            fingerprint: upload_fingerprint(
                &idem.fingerprint,
                ty,
                format,
                request.dry_run,
                &mapping,
                &digest.finalize(),
            ),
        })
    };
    if let Some(idem) = &request.idempotency {
        let (ws, key) = (principal.workspace_id.clone(), idem.key.clone());
        let known = state
            .db
            .run(move |conn| idempotency::is_known(conn, &ws, &key))
            .await?;
        if known {
            // A retry: read the file to compare it, store nothing.
            while let Some(piece) = body.next().await {
                piece.map_err(incomplete)?;
            }
            drop(body);
            let full = fingerprint(digest);
            let ws = principal.workspace_id.clone();
            let replay = state
                .db
                .run(move |conn| idempotency::replay::<ImportJob>(conn, &ws, full.as_ref()))
                .await?;
            return replay.ok_or_else(|| {
                ApiError::conflict(
                    "idempotency_key_in_use",
                    "the answer under this Idempotency-Key expired meanwhile; retry",
                )
            });
        }
    }
    // The first chunk, to check the header before storing anything.
    let mut buffer: Vec<u8> = Vec::with_capacity(CHUNK_SIZE);
    // A piece of the body only partly copied into `buffer`, with how much was.
    let mut pending: Option<(B, usize)> = None;
    let mut ended = false;
    while buffer.len() < CHUNK_SIZE {
        match body.next().await {
            None => {
                ended = true;
                break;
            }
            Some(Err(e)) => return Err(incomplete(e)),
            Some(Ok(piece)) => {
                let bytes = piece.as_ref();
                let room = CHUNK_SIZE - buffer.len();
                if bytes.len() <= room {
                    buffer.extend_from_slice(bytes);
                } else {
                    buffer.extend_from_slice(&bytes[..room]);
                    pending = Some((piece, room));
                }
            }
        }
    }
    if buffer.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::field("body", "the file is empty"));
    }
    if !ended && !buffer.contains(&b'\n') {
        return Err(ApiError::field(
            "body",
            format!("the file's first line is longer than {CHUNK_SIZE} bytes"),
        ));
    }
    let header = first_line_columns(format, &buffer)?;
    let (columns, unknown) = match format {
        Format::Csv => {
            let plan = plan(ty, &mapping, &header);
            let present: BTreeSet<String> = plan
                .targets
                .iter()
                .flatten()
                .map(|(f, _)| (*f).to_owned())
                .collect();
            let missing = missing_fields(ty, &present);
            if !missing.is_empty() {
                return Err(ApiError::validation(missing));
            }
            (Some(header), plan.unknown)
        }
        Format::Ndjson => {
            let mut present = BTreeSet::new();
            let mut unknown = Vec::new();
            for key in &header {
                let target = target_name(&mapping, key);
                if ty.knows_key(target) {
                    present.insert(target.to_owned());
                    for (f, _) in ty.fields() {
                        if f.starts_with(&format!("{target}.")) {
                            present.insert((*f).to_owned());
                        }
                    }
                } else {
                    unknown.push(key.clone());
                }
            }
            let missing = missing_fields(ty, &present);
            if !missing.is_empty() {
                return Err(ApiError::validation(missing));
            }
            (None, unknown)
        }
    };
    let at = now();
    let row = ImportJobRow {
        id: new_id(),
        workspace_id: principal.workspace_id.clone(),
        import_type: ty.as_str().to_owned(),
        format: format.as_str().to_owned(),
        status: "uploading".into(),
        dry_run: request.dry_run,
        mapping: serde_json::to_string(&mapping).map_err(ApiError::internal)?,
        header: columns
            .map(|c| serde_json::to_string(&c))
            .transpose()
            .map_err(ApiError::internal)?,
        unknown_columns: serde_json::to_string(&unknown).map_err(ApiError::internal)?,
        bytes_total: 0,
        chunks: 0,
        byte_offset: 0,
        rows_read: 0,
        rows_created: 0,
        rows_updated: 0,
        rows_unchanged: 0,
        rows_failed: 0,
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
        updated_at: at,
    };
    let (job_id, workspace_id) = (row.id.clone(), row.workspace_id.clone());
    state
        .db
        .run(move |conn| Ok(store::insert(conn, &row)?))
        .await?;
    let stored = store_chunks(
        state,
        &job_id,
        &workspace_id,
        buffer,
        pending,
        ended,
        &mut body,
    )
    .await;
    let drop_upload = |job_id: String, ws: String| async move {
        let _ = state
            .db
            .run(move |conn| Ok(store::delete_unfinished_upload(conn, &ws, &job_id)?))
            .await;
    };
    let (bytes_total, chunks) = match stored {
        Ok(sizes) => sizes,
        Err(err) => {
            drop_upload(job_id.clone(), workspace_id.clone()).await;
            return Err(match err {
                Upload::Body(e) => incomplete(e),
                Upload::Store(e) => e,
            });
        }
    };
    drop(body);
    let full = fingerprint(digest);
    let (id, ws) = (job_id.clone(), workspace_id.clone());
    let outcome = pipeline::write(state, principal, full, 202, move |conn, cx| {
        if store::uploaded(conn, &workspace_id, &job_id, bytes_total, chunks, now())? != 1 {
            return Err(upload_stopped());
        }
        let job = store::find(conn, &workspace_id, &job_id)?
            .map(ImportJob::from)
            .ok_or_else(|| ApiError::internal("import job vanished"))?;
        cx.audit::<(), _>("import.create", "import", Some(&job.id), None, Some(&job))?;
        cx.emit(DomainEvent::ImportChanged {
            event_type: "import.created",
            job: data(&job)?,
        })?;
        Ok(job)
    })
    .await;
    match outcome {
        Ok(Outcome::Fresh(job)) => Ok(Outcome::Fresh(job)),
        // A twin under the same key won: its job is the answer, this copy goes.
        Ok(replay) => {
            drop_upload(id, ws).await;
            Ok(replay)
        }
        Err(err) => {
            drop_upload(id, ws).await;
            Err(err)
        }
    }
}

fn upload_stopped() -> ApiError {
    ApiError::conflict(
        "import_upload_stopped",
        "the job was cancelled, or failed as abandoned, while its file was uploading",
    )
}

enum Upload<E> {
    Body(E),
    Store(ApiError),
}

/// Stores the first chunk and the rest of the body in chunks of exactly [`CHUNK_SIZE`]
/// (the last may be shorter); returns the file's size and chunk count.
async fn store_chunks<S, B, E>(
    state: &AppState,
    job_id: &str,
    workspace_id: &str,
    mut buffer: Vec<u8>,
    mut pending: Option<(B, usize)>,
    mut ended: bool,
    body: &mut S,
) -> Result<(i64, i64), Upload<E>>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
{
    let mut seq: i64 = 0;
    let mut total: i64 = 0;
    loop {
        if buffer.len() == CHUNK_SIZE || (ended && pending.is_none() && !buffer.is_empty()) {
            let data = std::mem::replace(&mut buffer, Vec::with_capacity(CHUNK_SIZE));
            total += i64::try_from(data.len()).unwrap_or(0);
            let (id, ws, s) = (job_id.to_owned(), workspace_id.to_owned(), seq);
            let alive = state
                .db
                .run(move |conn| Ok(store::append_chunk(conn, &ws, &id, s, &data, now())?))
                .await
                .map_err(Upload::Store)?;
            if !alive {
                return Err(Upload::Store(upload_stopped()));
            }
            seq += 1;
        }
        if let Some((piece, taken)) = pending.take() {
            let bytes = piece.as_ref();
            let rest = &bytes[taken.min(bytes.len())..];
            let room = CHUNK_SIZE - buffer.len();
            if rest.len() <= room {
                buffer.extend_from_slice(rest);
            } else {
                buffer.extend_from_slice(&rest[..room]);
                pending = Some((piece, taken + room));
            }
            continue;
        }
        if ended {
            if buffer.is_empty() {
                return Ok((total, seq));
            }
            continue;
        }
        match body.next().await {
            None => ended = true,
            Some(Err(e)) => return Err(Upload::Body(e)),
            Some(Ok(piece)) => pending = Some((piece, 0)),
        }
    }
}

fn load_job(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<ImportJobRow, ApiError> {
    store::find(conn, &principal.workspace_id, id)?
        .ok_or_else(|| ApiError::not_found("no import job with that id"))
}

fn may_read(principal: &Principal, job: &ImportJobRow) -> Result<(), ApiError> {
    principal.require(ImportType::parse(&job.import_type)?.read_scope())
}

pub async fn get(state: &AppState, principal: &Principal, id: &str) -> Result<ImportJob, ApiError> {
    let (p, id) = (principal.clone(), id.to_owned());
    state
        .db
        .run(move |conn| {
            let job = load_job(conn, &p, &id)?;
            may_read(&p, &job)?;
            Ok(job.into())
        })
        .await
}

/// The workspace's jobs, newest first (those of the types the caller may read).
pub async fn list(
    state: &AppState,
    principal: &Principal,
    limit: Option<i64>,
    after: Option<String>,
) -> Result<Page<ImportJob>, ApiError> {
    if !principal.scopes.allows(Scope::AccountsRead) && !principal.scopes.allows(Scope::OrdersRead)
    {
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
            let mut page = Page::from_rows(rows, &request, |r| r.id.clone(), ImportJob::from);
            page.data.retain(|job| {
                ImportType::parse(&job.import_type).is_ok_and(|t| p.scopes.allows(t.read_scope()))
            });
            Ok(page)
        })
        .await
}

/// A page of a job's refused fields, in file order. The cursor is opaque.
pub async fn errors(
    state: &AppState,
    principal: &Principal,
    id: &str,
    limit: Option<i64>,
    after: Option<String>,
) -> Result<Page<ImportRowError>, ApiError> {
    let limit = page_limit(limit)?;
    let after = after
        .map(|a| {
            a.split_once('.')
                .and_then(|(r, p)| Some((r.parse::<i64>().ok()?, p.parse::<i64>().ok()?)))
                .ok_or_else(|| ApiError::field("after", "not a cursor this API returned"))
        })
        .transpose()?;
    let (p, id) = (principal.clone(), id.to_owned());
    state
        .db
        .run(move |conn| {
            let job = load_job(conn, &p, &id)?;
            may_read(&p, &job)?;
            let rows = store::errors(conn, &p.workspace_id, &job.id, after, limit + 1)?;
            let request = crate::service::PageRequest { limit, after: None };
            Ok(Page::from_rows(
                rows,
                &request,
                |r| format!("{}.{}", r.row_number, r.position),
                |r| ImportRowError {
                    row: r.row_number,
                    field: r.field,
                    code: r.code,
                    message: r.message,
                },
            ))
        })
        .await
}

/// Cancels a job that has not ended: its worker stops before its next batch (the batches
/// committed stay).
pub async fn cancel(
    state: &AppState,
    principal: &Principal,
    id: &str,
    idempotency: Option<crate::service::idempotency::IdempotencyRequest>,
) -> Result<crate::service::idempotency::Outcome<ImportJob>, ApiError> {
    let (p, id) = (principal.clone(), id.to_owned());
    pipeline::write(state, principal, idempotency, 200, move |conn, cx| {
        let job = load_job(conn, &p, &id)?;
        p.require(ImportType::parse(&job.import_type)?.write_scope())?;
        if !store::cancel(conn, &p.workspace_id, &id, now())? {
            return Err(ApiError::conflict(
                "import_finished",
                format!("the job has ended ({})", job.status),
            ));
        }
        store::delete_chunks(conn, &id)?;
        let after = load_job(conn, &p, &id).map(ImportJob::from)?;
        cx.audit(
            "import.cancel",
            "import",
            Some(&id),
            Some(&ImportJob::from(job)),
            Some(&after),
        )?;
        cx.emit(DomainEvent::ImportChanged {
            event_type: "import.cancelled",
            job: data(&after)?,
        })?;
        Ok(after)
    })
    .await
}

/// [`create`] from a local file (the CLI's `rapport import`), read in 64 KiB pieces.
pub async fn create_from_file(
    state: &AppState,
    principal: &Principal,
    request: ImportRequest,
    path: &std::path::Path,
) -> Result<ImportJob, ApiError> {
    let file = std::fs::File::open(path)
        .map_err(|e| ApiError::field("file", format!("cannot open {}: {e}", path.display())))?;
    let pieces = futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut piece = vec![0u8; 64 * 1024];
        match file.read(&mut piece) {
            Ok(0) => None,
            Ok(n) => {
                piece.truncate(n);
                Some((Ok::<_, io::Error>(piece), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    match create(state, principal, request, Box::pin(pieces)).await? {
        Outcome::Fresh(job) => Ok(job),
        // A file import sends no key: nothing to replay.
        Outcome::Replay { .. } => Err(ApiError::internal("a file import was replayed")),
    }
}
