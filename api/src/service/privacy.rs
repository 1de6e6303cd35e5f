//! Data subject rights: everything held about one person (access), its erasure everywhere it
//! is copied (rows, audit states, events, idempotent answers, caches) with the aggregates
//! the business keeps left correct, and the retention job that erases soft-deleted accounts
//! after the workspace's period.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDateTime, Utc};
use rapport_domain::access::Scope;
use rapport_persistence::privacy::{self as store, ERASED};
use rapport_persistence::{events as outbox, DbConn};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::service::events::domain::{data, DomainEvent};
use crate::service::idempotency::{IdempotencyRequest, Outcome};
use crate::service::pipeline::{self, Committed, WriteContext};
use crate::service::{now, utc};
use crate::state::AppState;

/// Everything Rapport holds about one person.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PersonalData)]
pub struct PersonalData {
    pub account_id: String,
    pub generated_at: DateTime<Utc>,
    /// Set once the account was erased (what remains is anonymised).
    pub erased_at: Option<DateTime<Utc>>,
    /// The stored rows naming the person, by table (`accounts`, `contacts`, `orders` with
    /// their line items, `loyalty_entries`, `consent_events`, `audit_log`, …), each row an
    /// object of its columns; columns holding JSON are given as JSON.
    #[schema(value_type = Object)]
    pub tables: BTreeMap<String, Vec<Value>>,
    /// The events of the feed whose data names the account.
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<Value>,
}

/// The confirmation an erasure needs.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ErasureInput)]
pub struct ErasureInput {
    /// The id of the account to erase, again: erasure cannot be undone.
    pub confirm: Option<String>,
}

/// What an erasure did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = ErasureResult)]
pub struct ErasureResult {
    pub account_id: String,
    pub erased_at: DateTime<Utc>,
    /// The account had been erased before: nothing changed.
    pub already_erased: bool,
    /// Rows changed per table (`events`, `audit_log`, `idempotency_keys` included).
    #[schema(value_type = Object)]
    pub changed: BTreeMap<String, usize>,
}

/// The workspace's privacy settings.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PrivacySettings)]
pub struct PrivacySettings {
    /// Soft-deleted accounts are erased this many days after their deletion (`null`: kept).
    pub soft_deleted_days: Option<i32>,
    /// Hours a finished export stays downloadable before its file is purged (default 168,
    /// 7 days).
    pub export_retention_hours: i32,
    pub version: i64,
}

/// New privacy settings (replaces them).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PrivacySettingsInput)]
pub struct PrivacySettingsInput {
    /// 1 to 36,500 days; `null` or absent: soft-deleted accounts are never erased by the job.
    #[serde(default)]
    pub soft_deleted_days: Option<i64>,
    /// 1 to 8,760 hours (a year); `null` or absent: the default, 168 (7 days).
    #[serde(default)]
    pub export_retention_hours: Option<i64>,
}

/// What a retention run erased.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RetentionReport {
    pub erased_accounts: usize,
}

// ---------------------------------------------------------------------------------------
// Access

/// A JSON text column read as the JSON it holds.
fn expand(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, expand(v))).collect()),
        Value::String(s) if s.starts_with('{') || s.starts_with('[') => {
            serde_json::from_str(&s).unwrap_or(Value::String(s))
        }
        other => other,
    }
}

pub async fn personal_data(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
) -> Result<PersonalData, ApiError> {
    principal.require(Scope::Admin)?;
    let (ws, id) = (principal.workspace_id.clone(), account_id.to_owned());
    state
        .db
        .run(move |conn| {
            rapport_persistence::read_transaction(conn, |conn| {
                let erased_at = store::erased_at(conn, &ws, &id)?
                    .ok_or_else(|| ApiError::not_found("no account with that id"))?;
                let mut tables = BTreeMap::new();
                for (table, rows) in store::rows_of_account(conn, &ws, &id)? {
                    let rows = rows
                        .iter()
                        .map(|r| serde_json::from_str(r).map(expand))
                        .collect::<Result<Vec<Value>, _>>()
                        .map_err(ApiError::internal)?;
                    tables.insert(table.to_owned(), rows);
                }
                let events = outbox::mentioning(conn, &ws, &id)?
                    .into_iter()
                    .map(|e| {
                        json!({
                            "id": e.id,
                            "seq": e.seq,
                            "type": e.event_type,
                            "occurred_at": utc(e.occurred_at),
                            "data": serde_json::from_str::<Value>(&e.data).unwrap_or(Value::Null),
                        })
                    })
                    .collect();
                Ok(PersonalData {
                    account_id: id,
                    generated_at: utc(now()),
                    erased_at: erased_at.map(utc),
                    tables,
                    events,
                })
            })
        })
        .await
}

// ---------------------------------------------------------------------------------------
// Erasure

/// Keys whose values are personal in a resource about the person (its API form, an
/// event's object, an audit state): names, addresses, free text.
const PERSONAL_KEYS: &[&str] = &[
    "name",
    "emails",
    "phones",
    "email",
    "phone",
    "address",
    "attributes",
    "tags",
    "title",
    "subject",
    "body",
    "comment",
    "description",
    "note",
    "reason",
    "lost_reason",
    "cancel_reason",
    "source",
];

/// What erases the person from stored JSON: the ids of their rows (an object naming one is
/// about them), and the identifying strings stored on them.
struct Scrubber {
    account_id: String,
    related: HashSet<String>,
    needles: Vec<String>,
}

impl Scrubber {
    fn erased_like(v: &Value) -> Value {
        match v {
            Value::String(_) => Value::String(ERASED.into()),
            Value::Array(_) => Value::Array(Vec::new()),
            Value::Object(_) => Value::Object(Map::new()),
            other => other.clone(),
        }
    }

    fn names_person(&self, map: &Map<String, Value>) -> bool {
        map.iter().any(|(k, v)| {
            (k == "id" || k.ends_with("_id"))
                && v.as_str().is_some_and(|s| self.related.contains(s))
        })
    }

    fn has_needle(&self, s: &str) -> bool {
        let lower = s.to_lowercase();
        self.needles.iter().any(|n| lower.contains(n.as_str()))
    }

    /// Erases in place; `about`: the value is about the person. True when it changed.
    fn scrub(&self, value: &mut Value, about: bool) -> bool {
        match value {
            Value::String(s) if self.has_needle(s) => {
                *s = ERASED.into();
                true
            }
            Value::Array(items) => {
                let mut changed = false;
                for v in items {
                    changed |= self.scrub(v, about);
                }
                changed
            }
            Value::Object(map) => {
                let about = about || self.names_person(map);
                let is_account = map.get("id").and_then(Value::as_str) == Some(&self.account_id);
                let mut changed = false;
                for (k, v) in map.iter_mut() {
                    let personal = about && PERSONAL_KEYS.contains(&k.as_str())
                        || is_account && k == "external_id";
                    if personal && !v.is_null() {
                        let erased = Self::erased_like(v);
                        if *v != erased {
                            *v = erased;
                            changed = true;
                        }
                    } else {
                        changed |= self.scrub(v, about);
                    }
                }
                changed
            }
            _ => false,
        }
    }

    /// Stored JSON text without the person (`None`: nothing to change). Text that is not
    /// JSON and holds an identifying string is replaced whole.
    fn text(&self, text: &str, about: bool) -> Option<String> {
        match serde_json::from_str::<Value>(text) {
            Ok(mut v) => self.scrub(&mut v, about).then(|| v.to_string()),
            Err(_) => self
                .has_needle(text)
                .then(|| json!({ "erased": true }).to_string()),
        }
    }
}

/// An order's line items without their names (SKUs, quantities and prices stay).
fn scrub_items(items: &str) -> Option<String> {
    let mut v: Value = serde_json::from_str(items).ok()?;
    let mut changed = false;
    if let Value::Array(lines) = &mut v {
        for line in lines {
            if let Some(name) = line.get_mut("name") {
                if !name.is_null() && name.as_str() != Some(ERASED) {
                    *name = Value::String(ERASED.into());
                    changed = true;
                }
            }
        }
    }
    changed.then(|| v.to_string())
}

/// Erases one account of the caller's workspace inside the pipeline's transaction: the
/// rows, the audit states, the events and the stored answers that name the person; audited
/// without the erased data and announced as `account.erased`. An account erased before is
/// left as it is.
pub fn erase_in(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    account_id: &str,
    at: NaiveDateTime,
) -> Result<ErasureResult, ApiError> {
    let ws = cx.principal().workspace_id.clone();
    let erased_at = store::erased_at(conn, &ws, account_id)?
        .ok_or_else(|| ApiError::not_found("no account with that id"))?;
    if let Some(t) = erased_at {
        return Ok(ErasureResult {
            account_id: account_id.to_owned(),
            erased_at: utc(t),
            already_erased: true,
            changed: BTreeMap::new(),
        });
    }
    let strings = store::identifying_strings(conn, &ws, account_id)?;
    let related = store::related_ids(conn, &ws, account_id)?;
    // Stored JSON is searched for the account's id, the ids of rows whose events and audit
    // states may not repeat it (a complaint's notes), and the identifying strings.
    let mut searched: Vec<String> = vec![account_id.to_owned()];
    searched.extend(related.get("complaints").into_iter().flatten().cloned());
    searched.extend(strings.iter().filter(|s| s.chars().count() >= 3).cloned());
    let scrubber = Scrubber {
        account_id: account_id.to_owned(),
        related: related.values().flatten().cloned().collect(),
        needles: strings
            .iter()
            .filter(|s| s.chars().count() >= 3)
            .map(|s| s.to_lowercase())
            .collect(),
    };
    let resources: Vec<String> = related.values().flatten().cloned().collect();
    let mut changed: BTreeMap<String, usize> = BTreeMap::new();
    let audit = store::rewrite_audit(conn, &ws, &resources, &searched, &|s, about| {
        scrubber.text(s, about)
    })?;
    let answers =
        store::rewrite_idempotent_answers(conn, &ws, &searched, &|s| scrubber.text(s, false))?;
    let events = outbox::rewrite_containing(conn, &ws, &searched, &|s| scrubber.text(s, false))?;
    for (table, n) in store::erase_rows(conn, &ws, account_id, at, &scrub_items)? {
        changed.insert(table.to_owned(), n);
    }
    let strings_searched: Vec<String> = strings
        .iter()
        .filter(|s| s.chars().count() >= 3)
        .cloned()
        .collect();
    changed.insert(
        "recommendation_items".into(),
        store::clear_product_names(conn, &ws, &strings_searched)?,
    );
    changed.insert("audit_log".into(), audit);
    changed.insert("idempotency_keys".into(), answers);
    changed.insert("events".into(), events);
    let result = ErasureResult {
        account_id: account_id.to_owned(),
        erased_at: utc(at),
        already_erased: false,
        changed,
    };
    cx.audit::<(), _>(
        "account.erase",
        "account",
        Some(account_id),
        None,
        Some(&json!({ "erased_at": result.erased_at, "changed": result.changed })),
    )?;
    cx.emit(DomainEvent::AccountErased {
        account_id: account_id.to_owned(),
    })?;
    Ok(result)
}

/// `POST /v1/accounts/{id}/erase`: admins, with the account's id as confirmation.
pub async fn erase(
    state: &AppState,
    principal: &Principal,
    account_id: &str,
    input: ErasureInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<ErasureResult>, ApiError> {
    principal.require(Scope::Admin)?;
    if input.confirm.as_deref() != Some(account_id) {
        return Err(ApiError::field(
            "confirm",
            "must be the id of the account to erase (erasure cannot be undone)",
        ));
    }
    let id = account_id.to_owned();
    pipeline::write(state, principal, idempotency, 200, move |conn, cx| {
        erase_in(conn, cx, &id, now())
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Settings and retention

const MAX_RETENTION_DAYS: i64 = 36_500;
/// How long a finished export stays downloadable unless the workspace says otherwise.
pub const DEFAULT_EXPORT_RETENTION_HOURS: i32 = 168;
const MAX_EXPORT_RETENTION_HOURS: i64 = 8_760;

pub fn load_settings(conn: &mut DbConn, ws: &str) -> Result<PrivacySettings, ApiError> {
    Ok(match store::settings(conn, ws)? {
        Some(row) => PrivacySettings {
            soft_deleted_days: row.soft_deleted_days,
            export_retention_hours: row
                .export_retention_hours
                .unwrap_or(DEFAULT_EXPORT_RETENTION_HOURS),
            version: row.version,
        },
        None => PrivacySettings {
            soft_deleted_days: None,
            export_retention_hours: DEFAULT_EXPORT_RETENTION_HOURS,
            version: 0,
        },
    })
}

pub async fn settings(
    state: &AppState,
    principal: &Principal,
) -> Result<PrivacySettings, ApiError> {
    principal.require(Scope::Admin)?;
    let ws = principal.workspace_id.clone();
    state.db.run(move |conn| load_settings(conn, &ws)).await
}

pub async fn update_settings(
    state: &AppState,
    principal: &Principal,
    input: PrivacySettingsInput,
    if_match: Option<i64>,
) -> Result<PrivacySettings, ApiError> {
    principal.require(Scope::Admin)?;
    let days = match input.soft_deleted_days {
        None => None,
        Some(d) if (1..=MAX_RETENTION_DAYS).contains(&d) => {
            Some(i32::try_from(d).map_err(ApiError::internal)?)
        }
        Some(_) => {
            return Err(ApiError::field(
                "soft_deleted_days",
                "must be 1 to 36,500 days, or null to keep soft-deleted accounts",
            ))
        }
    };
    let export_hours = match input.export_retention_hours {
        None => None,
        Some(h) if (1..=MAX_EXPORT_RETENTION_HOURS).contains(&h) => {
            Some(i32::try_from(h).map_err(ApiError::internal)?)
        }
        Some(_) => {
            return Err(ApiError::field(
                "export_retention_hours",
                "must be 1 to 8,760 hours, or null for the default (168)",
            ))
        }
    };
    let ws = principal.workspace_id.clone();
    pipeline::run(state, principal, move |conn, cx| {
        let before = load_settings(conn, &ws)?;
        crate::service::versioning::check_version("privacy settings", if_match, before.version)?;
        let after = PrivacySettings {
            soft_deleted_days: days,
            export_retention_hours: export_hours.unwrap_or(DEFAULT_EXPORT_RETENTION_HOURS),
            version: before.version + 1,
        };
        let row = store::PrivacySettingsRow {
            workspace_id: ws.clone(),
            soft_deleted_days: days,
            version: after.version,
            updated_at: now(),
            export_retention_hours: export_hours,
        };
        if before.version == 0 {
            store::insert_settings(conn, &row)?;
        } else if store::update_settings(conn, &row, before.version)? == 0 {
            return Err(crate::service::versioning::precondition_failed(
                "privacy settings",
            ));
        }
        cx.audit(
            "privacy_settings.update",
            "privacy_settings",
            None,
            Some(&before),
            Some(&after),
        )?;
        cx.emit(DomainEvent::PrivacySettingsChanged {
            settings: data(&after)?,
        })?;
        Ok(after)
    })
    .await
}

/// How many accounts one round of the retention job reads.
const RETENTION_ROUND: i64 = 200;

/// Erases the soft-deleted accounts of every workspace past its retention period at `at`,
/// each in its own transaction through the pipeline (as the system).
pub fn run_retention(
    conn: &mut DbConn,
    at: NaiveDateTime,
) -> Result<(RetentionReport, Vec<Committed>), ApiError> {
    let mut report = RetentionReport::default();
    let mut effects = Vec::new();
    loop {
        let due = store::past_retention(conn, at, RETENTION_ROUND)?;
        if due.is_empty() {
            break;
        }
        let mut erased = 0;
        for (ws, id) in &due {
            let system = Principal::system(ws);
            let (result, committed) =
                pipeline::transact(conn, &system, |conn, cx| erase_in(conn, cx, id, at))?;
            if !result.already_erased {
                erased += 1;
            }
            effects.push(committed);
        }
        report.erased_accounts += erased;
        if erased == 0 {
            break;
        }
    }
    Ok((report, effects))
}

/// The retention job through the pool, as `rapport serve` and `rapport privacy run-jobs`
/// run it.
pub async fn run_retention_now(
    state: &AppState,
    at: NaiveDateTime,
) -> Result<RetentionReport, ApiError> {
    let (report, effects) = state.db.run(move |conn| run_retention(conn, at)).await?;
    pipeline::apply_all(state, effects).await;
    Ok(report)
}
