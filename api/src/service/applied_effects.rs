//! The ids of applied effects kept for the sweeper: held by the application state, filled
//! by the write pipeline.

use std::sync::{Arc, Mutex};

/// Applied effects whose rows are yet to be deleted: deleted in batches by the sweeper loop
/// (or `pipeline::flush_applied`), so a write costs no second round trip to the database. A node
/// that dies first leaves them to be applied once more, which is harmless.
#[derive(Debug, Default, Clone)]
pub struct AppliedEffects(Arc<Mutex<Vec<String>>>);

impl AppliedEffects {
    pub(crate) fn push(&self, id: String) {
        if let Ok(mut ids) = self.0.lock() {
            ids.push(id);
        }
    }

    pub(crate) fn take(&self) -> Vec<String> {
        self.0
            .lock()
            .map(|mut ids| std::mem::take(&mut *ids))
            .unwrap_or_default()
    }
}
