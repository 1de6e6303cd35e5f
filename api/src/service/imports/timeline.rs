//! Import rows of interactions and survey responses, written through the same batch paths
//! as the API (`interactions::record_batch`, `feedback::record_batch`): accounts named by
//! `account_external_id` or `account_id`, each row keyed by its `external_id` so a re-run or
//! a resumed job writes it once.

use serde_json::{Map, Value};

use super::{input_of, Counts, Kind, RowError};
use crate::error::{ApiError, FieldError};
use crate::service::orders::AccountRef;
use crate::service::pipeline::WriteContext;
use crate::service::{feedback, interactions, text_ok};
use rapport_persistence::DbConn;

pub(super) const INTERACTION_FIELDS: &[(&str, Kind)] = &[
    ("external_id", Kind::Text),
    ("account_id", Kind::Text),
    ("account_external_id", Kind::Text),
    ("type", Kind::Text),
    ("channel", Kind::Text),
    ("direction", Kind::Text),
    ("subject", Kind::Text),
    ("body", Kind::Text),
    ("occurred_at", Kind::Text),
    ("contact_id", Kind::Text),
    ("due_at", Kind::Text),
    ("done", Kind::Bool),
];

pub(super) const FEEDBACK_FIELDS: &[(&str, Kind)] = &[
    ("external_id", Kind::Text),
    ("account_id", Kind::Text),
    ("account_external_id", Kind::Text),
    ("nps", Kind::Int),
    ("csat", Kind::Int),
    ("ces", Kind::Int),
    ("touchpoint", Kind::Text),
    ("channel", Kind::Text),
    ("order_id", Kind::Text),
    ("interaction_id", Kind::Text),
    ("comment", Kind::Text),
    ("occurred_at", Kind::Text),
];

fn external_id_required() -> RowError {
    RowError::new(
        "external_id",
        "invalid",
        "is required in an import (it makes a resumed import write each row once)",
    )
}

/// The row's account, taken out of it: exactly one of `account_id`, `account_external_id`.
fn take_account(object: &mut Map<String, Value>) -> Result<AccountRef, RowError> {
    let id = object.remove("account_id");
    let external = object.remove("account_external_id");
    match (id, external) {
        (Some(Value::String(id)), None) if text_ok(&id, 100) => {
            Ok(AccountRef::Id(id.trim().to_owned()))
        }
        (None, Some(Value::String(e))) if text_ok(&e, 200) => {
            Ok(AccountRef::External(e.trim().to_owned()))
        }
        (Some(_), Some(_)) => Err(RowError::new(
            "account_id",
            "invalid",
            "give account_id or account_external_id, not both",
        )),
        (None, None) => Err(RowError::new(
            "account_id",
            "invalid",
            "is required (or account_external_id)",
        )),
        (Some(_), None) => Err(RowError::new(
            "account_id",
            "invalid",
            "must be an account's id",
        )),
        (None, Some(_)) => Err(RowError::new(
            "account_external_id",
            "invalid",
            "must be 1 to 200 characters",
        )),
    }
}

fn push_field_errors(errors: &mut Vec<(i64, RowError)>, row: i64, list: Vec<FieldError>) {
    for e in list {
        errors.push((row, RowError::new(e.field, "invalid", e.message)));
    }
}

/// Records `valid` with `record`; rows it refuses (errors named `{index}:field`: an unknown
/// account or reference) are reported and taken out, and the rest tried again (the batch
/// paths check everything before they write). Returns the result with the row number of
/// each item it holds, or `None` when no row was left.
fn record_refusing<V: Clone, R>(
    mut valid: Vec<V>,
    mut row_of: Vec<i64>,
    errors: &mut Vec<(i64, RowError)>,
    mut record: impl FnMut(Vec<V>) -> Result<R, ApiError>,
) -> Result<Option<(R, Vec<i64>)>, ApiError> {
    while !valid.is_empty() {
        match record(valid.clone()) {
            Ok(result) => return Ok(Some((result, row_of))),
            Err(err) if err.status.as_u16() == 422 && !err.errors.is_empty() => {
                let mut bad: std::collections::BTreeMap<usize, Vec<FieldError>> =
                    std::collections::BTreeMap::new();
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
                            RowError::new(super::bare_field(&e.field), "invalid", e.message),
                        ));
                    }
                }
            }
            Err(err) => return Err(err),
        }
    }
    Ok(None)
}

/// Interaction rows through the interaction batch path, authored by the job's creator.
pub(super) fn write_interactions(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    rows: Vec<(i64, Map<String, Value>)>,
    errors: &mut Vec<(i64, RowError)>,
) -> Result<Counts, ApiError> {
    let mut counts = Counts::default();
    let mut valid = Vec::with_capacity(rows.len());
    let mut row_of = Vec::with_capacity(rows.len());
    for (row, mut object) in rows {
        let account = take_account(&mut object);
        let input = match input_of::<interactions::InteractionInput>(object) {
            Ok(input) => input,
            Err(e) => {
                errors.push((row, e));
                continue;
            }
        };
        let mut field_errors = Vec::new();
        let checked = interactions::validate_new(
            &input,
            account.clone().unwrap_or(AccountRef::Id(String::new())),
            "",
            &mut field_errors,
        );
        let before = errors.len();
        if let Err(e) = account {
            errors.push((row, e));
        }
        if input.external_id.is_none() {
            errors.push((row, external_id_required()));
        }
        push_field_errors(errors, row, field_errors);
        match checked {
            Some(new) if errors.len() == before => {
                valid.push(new);
                row_of.push(row);
            }
            _ => {}
        }
    }
    let recorded = record_refusing(valid, row_of, errors, |v| {
        interactions::record_batch(conn, cx, v, |i| format!("{i}:"))
    })?;
    if let Some((items, _)) = recorded {
        for item in items {
            match item.status {
                "created" => counts.created += 1,
                _ => counts.unchanged += 1,
            }
        }
    }
    Ok(counts)
}

/// Survey responses through the feedback batch path (latest scores, complaints opened on
/// detractors and events follow as through `POST /v1/feedback/batch`).
pub(super) fn write_feedback(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    rows: Vec<(i64, Map<String, Value>)>,
    errors: &mut Vec<(i64, RowError)>,
) -> Result<Counts, ApiError> {
    let mut counts = Counts::default();
    let mut valid = Vec::with_capacity(rows.len());
    let mut row_of = Vec::with_capacity(rows.len());
    for (row, object) in rows {
        let input = match input_of::<feedback::FeedbackInput>(object) {
            Ok(input) => input,
            Err(e) => {
                errors.push((row, e));
                continue;
            }
        };
        let mut field_errors = Vec::new();
        let checked = feedback::validate(&input, "", &mut field_errors);
        let before = errors.len();
        if input.external_id.is_none() {
            errors.push((row, external_id_required()));
        }
        push_field_errors(errors, row, field_errors);
        match checked {
            Some(response) if errors.len() == before => {
                valid.push(response);
                row_of.push(row);
            }
            _ => {}
        }
    }
    let recorded = record_refusing(valid, row_of, errors, |v| {
        feedback::record_batch(conn, cx, v, |i| format!("{i}:"))
    })?;
    if let Some((result, _)) = recorded {
        counts.created += result.created;
        counts.unchanged += result.duplicates;
    }
    Ok(counts)
}
