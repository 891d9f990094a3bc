//! The objects one command holds in memory, and how a large change lets go of them.
//!
//! A command keeps every object it reads or writes in memory until its commit. A change of
//! thousands of objects (scaling a StatefulSet to 10,000 pods) writes each pod, claim and volume
//! a few times in quick succession and then leaves it alone; keeping all of them as decoded JSON
//! would cost tens of kilobytes per pod. So the writes are queued in order, and once enough
//! later writes have passed, an object whose latest write is that old is written to the store
//! (inside the command's transaction) and dropped from memory: it is *spilled*. Reading it again
//! decodes it from the store; the commit has nothing left to write for it.

use std::collections::{BTreeSet, VecDeque};
use std::rc::Rc;

use foldhash::HashMap;
use serde_json::Value;

use super::Key;
use crate::api::ObjectExt;

/// What the view knows of one object.
pub(super) enum Slot {
    /// The current version, in memory (as read from the store, or written by this command).
    Here(Rc<Value>),
    /// Removed in this command, or known to be absent from the store.
    Absent,
    /// Written to the store during this command and dropped from memory; `Some` once read back.
    Spilled(Option<Rc<Value>>),
}

impl Slot {
    pub fn of(obj: Option<Rc<Value>>) -> Slot {
        obj.map_or(Slot::Absent, Slot::Here)
    }

    /// The object, when it exists and is in memory.
    pub fn object(&self) -> Option<&Rc<Value>> {
        match self {
            Slot::Here(obj) | Slot::Spilled(Some(obj)) => Some(obj),
            Slot::Absent | Slot::Spilled(None) => None,
        }
    }

    /// Spilled and not read back: the object exists, in the store only.
    pub fn is_cold(&self) -> bool {
        matches!(self, Slot::Spilled(None))
    }
}

/// The objects of one kind in one namespace, by name.
#[derive(Default)]
pub(super) struct Bucket {
    /// Whether every stored object of this kind and namespace is in `slots`.
    pub complete: bool,
    /// Looked up by every read and write of a controller: hashed, not searched (a search of
    /// 10,000 names sharing a long prefix was 3 % of scaling to 10,000 pods).
    slots: HashMap<Rc<str>, Slot>,
    /// The same names in order, for listings.
    names: BTreeSet<Rc<str>>,
    /// How many of `slots` are cold (spilled, not read back).
    pub cold: usize,
}

impl Bucket {
    pub fn get(&self, name: &str) -> Option<&Slot> {
        self.slots.get(name)
    }

    /// The names and slots in name order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Slot)> + '_ {
        self.names.iter().filter_map(|name| self.slots.get(name).map(|slot| (&**name, slot)))
    }

    /// Sets a slot, keeping the count of cold ones.
    pub fn set(&mut self, name: &str, slot: Slot) {
        let cold = slot.is_cold();
        match self.slots.get_mut(name) {
            Some(old) => {
                self.cold -= usize::from(old.is_cold());
                *old = slot;
            }
            None => {
                let name: Rc<str> = Rc::from(name);
                self.names.insert(Rc::clone(&name));
                self.slots.insert(name, slot);
            }
        }
        self.cold += usize::from(cold);
    }

    /// Adds an object read from the store by a listing, unless the view knows better: a slot
    /// written or removed in this command stays; a cold one takes the object as read back.
    pub fn fill(&mut self, obj: Value) {
        let name = obj.name().to_string();
        match self.slots.get(name.as_str()) {
            None => self.set(&name, Slot::Here(Rc::new(obj))),
            Some(slot) if slot.is_cold() => self.set(&name, Slot::Spilled(Some(Rc::new(obj)))),
            Some(_) => {}
        }
    }

    /// Drops a slot (the object is current in the store).
    pub fn remove(&mut self, name: &str) {
        if let Some(old) = self.slots.remove(name) {
            self.names.remove(name);
            self.cold -= usize::from(old.is_cold());
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.slots.len()
    }
}

/// Writes kept in memory before the oldest are considered for spilling: enough that an object
/// still being worked on stays (a StatefulSet pod, its claim, volume and attachment are done
/// within some 30 writes of its creation; the StatefulSet itself is written all the time), few
/// enough that memory does not grow with the size of the change.
const KEEP: usize = 512;
/// Writes considered at once, so that the queue is not drained one write at a time.
const BATCH: usize = 256;

/// The writes of this command in order, by key and the revision each wrote.
#[derive(Default)]
pub(super) struct SpillQueue {
    writes: VecDeque<(Key, i64)>,
}

impl SpillQueue {
    pub fn push(&mut self, key: &Key, revision: i64) {
        self.writes.push_back((key.clone(), revision));
    }

    /// The oldest writes, once more than the kept ones are queued.
    pub fn due(&mut self) -> Option<Vec<(Key, i64)>> {
        if self.writes.len() < KEEP + BATCH {
            return None;
        }
        Some(self.writes.drain(..BATCH).collect())
    }
}

/// The revision an object was last written at.
pub(super) fn revision_of(obj: &Value) -> i64 {
    obj.str_at("metadata.resourceVersion").parse().unwrap_or(-1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_bucket_counts_its_cold_slots() {
        let mut b = Bucket::default();
        b.set("a", Slot::Spilled(None));
        b.set("b", Slot::Here(Rc::new(json!({}))));
        assert_eq!(b.cold, 1);
        b.set("a", Slot::Spilled(Some(Rc::new(json!({})))));
        assert_eq!(b.cold, 0);
        b.set("b", Slot::Spilled(None));
        b.remove("b");
        assert_eq!(b.cold, 0);
    }

    #[test]
    fn the_queue_hands_out_the_oldest_writes_in_batches() {
        let mut q = SpillQueue::default();
        let key = Key { kind: "Pod", namespace: "default".into(), name: "web-0".into() };
        for rv in 0..(KEEP + BATCH - 1) as i64 {
            q.push(&key, rv);
        }
        assert!(q.due().is_none());
        q.push(&key, -5);
        let due = q.due().expect("a batch is due");
        assert_eq!((due.len(), due[0].1, due[BATCH - 1].1), (BATCH, 0, BATCH as i64 - 1));
        assert!(q.due().is_none());
    }
}
