//! What `account(id)` read ahead for its children: when the selection asks for the
//! account's `contacts` or `metrics`, the resolver reads the account with both in one cached
//! entry (`service::account_view`) and leaves them here; `Account.contacts` and
//! `Account.metrics` take them (once) instead of going through their loaders. Built per
//! request, after the caller is known, like the loaders.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use crate::service::contacts::Contact;
use crate::service::value::ValueMetrics;

#[derive(Default)]
pub struct Prefetched {
    contacts: Mutex<HashMap<String, Vec<Contact>>>,
    metrics: Mutex<HashMap<String, ValueMetrics>>,
}

/// A poisoned lock (a panic elsewhere while holding it) still guards a usable map.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Prefetched {
    pub fn put(&self, account_id: &str, contacts: Vec<Contact>, metrics: ValueMetrics) {
        lock(&self.contacts).insert(account_id.to_owned(), contacts);
        lock(&self.metrics).insert(account_id.to_owned(), metrics);
    }

    /// The account's contacts, if `account(id)` read them for this request (then forgotten:
    /// a second use loads them).
    pub fn take_contacts(&self, account_id: &str) -> Option<Vec<Contact>> {
        lock(&self.contacts).remove(account_id)
    }

    /// The account's metrics, likewise.
    pub fn take_metrics(&self, account_id: &str) -> Option<ValueMetrics> {
        lock(&self.metrics).remove(account_id)
    }
}
