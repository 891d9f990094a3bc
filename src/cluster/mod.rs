//! The API server of one command.
//!
//! A [`Cluster`] is the view one kstate process has of the cluster inside its single transaction:
//! objects are read from the store once and kept in memory, writes are kept in memory and written
//! back at [`Cluster::commit`], and every write is recorded as a [`Change`] for the controllers.
//! Admission (defaulting, validation, uids, timestamps) lives in `admission`, so controllers and
//! commands both go through the same rules, as clients of a real API server do.

mod admission;
mod bootstrap;
mod events;
pub mod eviction;
mod priority;
pub mod profile;
mod quota;
mod similar;
mod view;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;
use std::rc::Rc;

use anyhow::Context;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use serde_json::Value;

use crate::api::object::index_ref;
use crate::api::{Kind, ObjectExt};
use crate::clock::{Clock, Instant};
use crate::ids::Ids;
use crate::store::{FileStore, Store};
use crate::Result;

pub use crate::base64::encode as base64;
/// One write of the last command, as `get --watch` replays it.
pub use crate::store::HistoryRow;
pub use admission::Propagation;
pub use bootstrap::{fill_status, node_lease, Bootstrap};
pub use events::EventSource;
use view::{revision_of, Bucket, Slot, SpillQueue};

/// Identity of an object: kind name, namespace ("" when cluster-scoped), name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
}

impl Key {
    pub fn new(kind: &Kind, namespace: &str, name: &str) -> Key {
        let namespace = if kind.namespaced { namespace } else { "" };
        Key { kind: kind.kind, namespace: namespace.to_string(), name: name.to_string() }
    }

    pub fn of(obj: &Value) -> Option<Key> {
        let kind = crate::api::kinds::by_kind(obj.kind())?;
        Some(Key::new(kind, obj.namespace(), obj.name()))
    }
}

/// One write, as the controllers' informers see it.
#[derive(Debug, Clone)]
pub struct Change {
    pub key: Key,
    /// The object after the write; `None` when it was removed.
    pub object: Option<Rc<Value>>,
    /// The object before the write; `None` when it was created.
    pub old: Option<Rc<Value>>,
    /// How dependents of a removed object are treated.
    pub propagation: Propagation,
}

/// Environment of one command: where the state is and how time and randomness are injected.
pub struct Settings<'a> {
    pub state_dir: &'a Path,
    pub clock: Clock,
    pub seed: Option<u64>,
}

pub struct Cluster {
    store: Store,
    /// The profile the cluster was created from.
    pub profile: &'static profile::Profile,
    pub clock: Clock,
    pub ids: Ids,
    /// Loaded objects by kind, then namespace.
    buckets: Buckets,
    /// Kinds whose every namespace is loaded.
    complete_kinds: HashSet<&'static str>,
    dirty: HashSet<Key>,
    /// This command's writes in order, so that objects it has done with leave memory early.
    spill: SpillQueue,
    /// How many objects were spilled (for `KSTATE_TRACE`).
    spilled: usize,
    changes: VecDeque<Change>,
    revision: i64,
    /// Revisions spent by writes kept out of the id sequence (see [`Cluster::aside`]).
    aside: i64,
    writable: bool,
    /// Warnings the API server returned, printed by the command as `Warning: ...`.
    pub warnings: Vec<String>,
    /// The field manager of the command's own creates and updates (`kubectl-create`, ...);
    /// `None` for controllers, whose writes keep the managedFields they found.
    pub field_manager: Option<String>,
    /// `--record`'s `kubernetes.io/change-cause` for the command's own creates and updates;
    /// `None` for controllers (the command clears it before they run).
    pub change_cause: Option<String>,
    /// Events by involved uid, then (reason, message), for aggregation.
    event_index: HashMap<String, BTreeMap<(String, String), Key>>,
    /// Uids whose stored events are in `event_index`.
    events_indexed: HashSet<String>,
    /// How many times this command looked up an event about each uid (see `find_event`).
    event_lookups: HashMap<String, u32>,
    /// The events about a uid, by reason, for the recorder's aggregator (see `similar`);
    /// forgotten with the uid's event index when its object leaves memory.
    similar: HashMap<String, HashMap<String, Vec<similar::Seen>>>,
    /// Objects known to refer to a uid (see [`index_ref`]): read from the store's index, plus
    /// every object written in this command.
    ref_index: HashMap<(&'static str, String), BTreeSet<Key>>,
    /// What this command wrote, for `get --watch` (see [`HistoryRow`]); `None` once too long.
    journal: Option<Vec<JournalEntry>>,
    /// Uids of objects created in this command: nothing in the store refers to them yet.
    created: HashSet<String>,
    /// Keys whose state before the command is in the journal.
    journaled: HashSet<Key>,
    /// The earliest future time something time-based happens (a pod becoming available after
    /// `minReadySeconds`), kept across commands.
    wake: Option<Instant>,
    /// A stored wake-up time has passed: time-based work is due in this command.
    due: bool,
    /// (kind, uid) pairs whose objects were read from the store's index already.
    refs_loaded: HashSet<(&'static str, String)>,
    /// The kinds of the stored objects that refer to a uid, read once per uid: the garbage
    /// collector asks for six kinds of dependents of every object deleted, and a pod has none.
    stored_ref_kinds: HashMap<String, Vec<String>>,
    /// The time this command runs at; the clock is behind it while time-driven work catches up.
    target: Instant,
    /// The current instant in milliseconds while catching up (processes wake between seconds).
    now_ms: Option<i64>,
    /// No stored event expires before this (ms): a lower bound, so that most instants need no
    /// look at the expiry index. `None` when no event has an expiry.
    next_expiry: Option<i64>,
}

/// One journal entry: the object, whether it is its state before the command, its body.
type JournalEntry = (Key, bool, Option<Rc<Value>>);

const REVISION: &str = "resourceVersion";
/// Revisions spent by [`Cluster::aside`] writes, which do not move the id sequence.
const ASIDE: &str = "aside-revisions";
const BOOTSTRAPPED: &str = "bootstrapped";
/// Counts commits that changed a CustomResourceDefinition: the served kinds are reloaded when it moves.
const CRD_REVISION: &str = "crd-revision";
const WAKE: &str = "wake-at";
/// Seconds `kstate advance` has added to the clock.
const CLOCK_OFFSET: &str = "clock-offset";
/// The latest time a command ran at: cluster time never goes back.
const CLOCK_LAST: &str = "clock-last";
/// Writes a command may journal for `get --watch`; bigger commands keep no history.
const MAX_JOURNAL: usize = 4000;
/// How long an event lives after its last write (the API server's default `--event-ttl=1h`).
pub const EVENT_TTL_MS: i64 = 3_600_000;

/// Loads the kinds the CustomResourceDefinitions of an existing state serve (nothing when the
/// state does not exist yet).
pub fn load_custom_kinds(state_dir: &Path) -> Result<()> {
    if !state_dir.join(crate::store::DB_FILE).exists() {
        return Ok(());
    }
    let (store, _) = Store::open(state_dir)?;
    store.begin(false)?;
    let synced =
        crate::api::custom::sync(state_dir, store.counter(CRD_REVISION)?, || store.list(crate::api::custom::CRD, None));
    store.rollback()?;
    synced?;
    // The command opens the cluster next: it takes this connection instead of opening another.
    store.park();
    Ok(())
}

/// The view's buckets: kind, then namespace.
type Buckets = HashMap<&'static str, BTreeMap<String, Bucket>>;

/// The view's slot for an object, by its parts (for a store walk's callback, which cannot
/// borrow the cluster to build a [`Key`]).
fn slot_of<'a>(buckets: &'a Buckets, kind: &str, ns: &str, name: &str) -> Option<&'a Slot> {
    buckets.get(kind).and_then(|b| b.get(ns)).and_then(|b| b.get(name))
}

/// Whether the view holds `name` in a way a listing would not replace (see [`Bucket::fill`]):
/// its stored row need not be decoded.
fn known_here(buckets: &Buckets, kind: &str, ns: &str, name: &str) -> bool {
    slot_of(buckets, kind, ns, name).is_some_and(|slot| !slot.is_cold())
}

impl Cluster {
    /// Opens the state and starts the command's transaction. The first command on a new state
    /// directory seeds the objects of a fresh cluster, under the write lock, so that concurrent
    /// first commands see either nothing or the whole fresh cluster.
    pub fn open(settings: &Settings, writable: bool) -> Result<Cluster> {
        Cluster::open_or_create(settings, writable, Bootstrap::default())
    }

    /// [`Cluster::open`], creating a new cluster as `boot` says when the directory has none.
    pub fn open_or_create(settings: &Settings, writable: bool, boot: Bootstrap) -> Result<Cluster> {
        let (store, _) = Store::open(settings.state_dir)?;
        store.begin(writable)?;
        if store.counter(BOOTSTRAPPED)? == 0 {
            if !writable {
                store.rollback()?;
                store.begin(true)?;
            }
            // A database that already holds a cluster (made before the flag existed) is kept as is.
            if store.counter(BOOTSTRAPPED)? == 0 && !store.list("Namespace", Some(""))?.is_empty() {
                store.set_counter(BOOTSTRAPPED, 1)?;
            }
            if store.counter(BOOTSTRAPPED)? == 0 {
                let mut cluster = Cluster::with_store(store, settings, true)?;
                bootstrap::seed(&mut cluster, boot)?;
                cluster.store.set_counter(BOOTSTRAPPED, 1)?;
                let store = cluster.commit_keep()?;
                store.begin(writable)?;
                return Cluster::with_store(store, settings, writable);
            }
        }
        Cluster::with_store(store, settings, writable)
    }

    /// A cluster over a store whose transaction is already open.
    fn with_store(store: Store, settings: &Settings, writable: bool) -> Result<Cluster> {
        let revision = store.counter(REVISION)?;
        crate::api::custom::sync(settings.state_dir, store.counter(CRD_REVISION)?, || {
            store.list(crate::api::custom::CRD, None)
        })?;
        let aside = store.counter(ASIDE)?;
        let stored_wake = store.counter(WAKE)?;
        let now = (settings.clock.now() + store.counter(CLOCK_OFFSET)?).max(store.counter(CLOCK_LAST)?);
        let (wake, due) = match stored_wake {
            0 => (None, false),
            t if t > now => (Some(t), false),
            _ => (None, true),
        };
        let timer_due = store.next_timers()?.is_some_and(|(at, _)| at <= now.saturating_mul(1000));
        let profile = profile::by_index(store.counter(bootstrap::PROFILE_COUNTER)?);
        let next_expiry = store.next_event_expiry()?;
        Ok(Cluster {
            store,
            profile,
            clock: Clock::fixed(now),
            target: now,
            now_ms: None,
            next_expiry,
            ids: Ids::new(settings.seed, (revision - aside) as u64),
            buckets: HashMap::new(),
            complete_kinds: HashSet::new(),
            dirty: HashSet::new(),
            spill: SpillQueue::default(),
            spilled: 0,
            changes: VecDeque::new(),
            revision,
            aside,
            writable,
            warnings: Vec::new(),
            field_manager: None,
            change_cause: None,
            event_index: HashMap::new(),
            events_indexed: HashSet::new(),
            event_lookups: HashMap::new(),
            similar: HashMap::new(),
            ref_index: HashMap::new(),
            journal: Some(Vec::new()),
            wake,
            due: due || timer_due,
            journaled: HashSet::new(),
            created: HashSet::new(),
            refs_loaded: HashSet::new(),
            stored_ref_kinds: HashMap::new(),
        })
    }

    /// Writes every change back and commits the transaction.
    pub fn commit(self) -> Result<()> {
        if !self.writable {
            self.store.rollback()?;
            return Ok(());
        }
        self.commit_keep()?;
        Ok(())
    }

    /// Commits and hands the store back (for the bootstrap transaction).
    fn commit_keep(mut self) -> Result<Store> {
        let t0 = std::time::Instant::now();
        let mut keys: Vec<Key> = self.dirty.drain().collect();
        keys.sort();
        if keys.iter().any(|k| k.kind == crate::api::custom::CRD) {
            self.store.set_counter(CRD_REVISION, self.store.counter(CRD_REVISION)? + 1)?;
        }
        for key in keys {
            match self.cached(&key) {
                Some(Slot::Here(obj)) => self.store.put(obj)?,
                // Spilled objects are in the store already (and never dirty).
                Some(Slot::Spilled(_)) => {}
                Some(Slot::Absent) | None => self.store.delete(key.kind, &key.namespace, &key.name)?,
            }
        }
        crate::trace::phase(&format!("objects written ({} spilled before)", self.spilled), t0);
        self.store.set_counter(REVISION, self.revision)?;
        if self.aside != self.store.counter(ASIDE)? {
            self.store.set_counter(ASIDE, self.aside)?;
        }
        self.store.set_counter(WAKE, self.wake.unwrap_or(0))?;
        if self.target > self.store.counter(CLOCK_LAST)? {
            self.store.set_counter(CLOCK_LAST, self.target)?;
        }
        if !self.changes_recorded() {
            let rows: Vec<HistoryRow> = self
                .journal
                .iter()
                .flatten()
                .map(|(key, initial, body)| HistoryRow {
                    kind: key.kind.to_string(),
                    namespace: key.namespace.clone(),
                    name: key.name.clone(),
                    initial: *initial,
                    body: body.as_deref().cloned(),
                })
                .collect();
            self.store.set_history(&rows)?;
        }
        crate::trace::phase("history written", t0);
        self.store.commit()?;
        crate::trace::phase("committed", t0);
        // The process ends right after a commit: freeing every cached object one by one would
        // cost more than the commit itself, and the operating system reclaims it at exit anyway.
        std::mem::forget(std::mem::take(&mut self.buckets));
        std::mem::forget(std::mem::take(&mut self.ref_index));
        Ok(self.store)
    }

    /// Leaves the cluster exactly as it was.
    pub fn abandon(self) -> Result<()> {
        self.store.rollback()?;
        Ok(())
    }

    pub fn files(&self) -> FileStore<'_> {
        self.store.files()
    }

    /// Notes that volume `id` of the object with uid `owner` holds no stored file when the owner
    /// was created in this command (see [`FileStore::note_unstored`]).
    pub fn note_new_volume(&self, owner: &str, id: &str) {
        if self.created.contains(owner) {
            self.store.files().note_unstored(id);
        }
    }

    /// The bucket of the key's kind and namespace, if the view has one.
    fn bucket_of(&self, key: &Key) -> Option<&Bucket> {
        self.buckets.get(key.kind).and_then(|m| m.get(&key.namespace))
    }

    fn is_complete(&self, key: &Key) -> bool {
        self.bucket_of(key).is_some_and(|b| b.complete)
    }

    fn cached(&self, key: &Key) -> Option<&Slot> {
        self.bucket_of(key).and_then(|b| b.get(&key.name))
    }

    /// Reads one object.
    pub fn get(&mut self, key: &Key) -> Result<Option<Value>> {
        Ok(self.get_ref(key)?.cloned())
    }

    /// Reads one object without copying it.
    pub fn get_ref(&mut self, key: &Key) -> Result<Option<&Value>> {
        match self.cached(key) {
            // A complete bucket holds every stored name: one it lacks is not stored (a create's
            // existence check of a new name reads nothing).
            None if self.is_complete(key) => {}
            None => {
                let loaded = self.store.get(key.kind, &key.namespace, &key.name)?;
                self.bucket(key.kind, &key.namespace).set(&key.name, Slot::of(loaded.map(Rc::new)));
            }
            Some(slot) if slot.is_cold() => self.read_back(key)?,
            Some(_) => {}
        }
        Ok(self.cached(key).and_then(Slot::object).map(|obj| &**obj))
    }

    /// Reads one object for a look at a few of its fields: the view's version when it holds
    /// one, else the stored one through `decode` (a decoder that keeps those fields), which the
    /// view does not keep. For a controller that reads one field of thousands of objects once
    /// (the scheduler's volume limits read each placed pod's claim and volume).
    pub fn peek(&mut self, key: &Key, decode: fn(&str) -> anyhow::Result<Value>) -> Result<Option<Rc<Value>>> {
        match self.cached(key) {
            Some(slot) if !slot.is_cold() => return Ok(slot.object().cloned()),
            None if self.is_complete(key) => return Ok(None),
            _ => {}
        }
        Ok(self.store.get_decoded(key.kind, &key.namespace, &key.name, decode)?.map(Rc::new))
    }

    /// Reads a spilled object back from the store.
    fn read_back(&mut self, key: &Key) -> Result<()> {
        let obj = self.store.get(key.kind, &key.namespace, &key.name)?;
        let slot = obj.map_or(Slot::Absent, |obj| Slot::Spilled(Some(Rc::new(obj))));
        self.bucket(key.kind, &key.namespace).set(&key.name, slot);
        Ok(())
    }

    /// Reads back every spilled object of the kind (in one namespace when given), for a listing.
    fn read_back_all(&mut self, kind: &'static str, namespace: Option<&str>) -> Result<()> {
        let Some(by_ns) = self.buckets.get(kind) else { return Ok(()) };
        let cold: Vec<Key> = by_ns
            .iter()
            .filter(|(ns, b)| b.cold > 0 && namespace.is_none_or(|n| n == ns.as_str()))
            .flat_map(|(ns, b)| {
                let cold = b.entries().filter(|(_, slot)| slot.is_cold());
                cold.map(move |(name, _)| Key { kind, namespace: ns.clone(), name: name.to_string() })
            })
            .collect();
        for key in cold {
            self.read_back(&key)?;
        }
        Ok(())
    }

    fn bucket(&mut self, kind: &'static str, namespace: &str) -> &mut Bucket {
        let by_ns = self.buckets.entry(kind).or_default();
        if !by_ns.contains_key(namespace) {
            by_ns.insert(namespace.to_string(), Bucket::default());
        }
        by_ns.get_mut(namespace).expect("bucket just inserted")
    }

    /// Makes sure every object of `kind` in `namespace` (all namespaces when `None`) is in memory.
    pub fn load(&mut self, kind: &Kind, namespace: Option<&str>) -> Result<()> {
        let ns = if kind.namespaced { namespace } else { Some("") };
        match ns {
            Some(ns) => {
                if !self.bucket(kind.kind, ns).complete {
                    let stored = self.store.list_unknown(kind.kind, Some(ns), &mut |ns, name| {
                        known_here(&self.buckets, kind.kind, ns, name)
                    })?;
                    let bucket = self.bucket(kind.kind, ns);
                    for obj in stored {
                        bucket.fill(obj);
                    }
                    bucket.complete = true;
                }
                self.read_back_all(kind.kind, Some(ns))?;
            }
            None => {
                if !self.complete_kinds.contains(kind.kind) {
                    let stored = self.store.list_unknown(kind.kind, None, &mut |ns, name| {
                        known_here(&self.buckets, kind.kind, ns, name)
                    })?;
                    for obj in stored {
                        let b = self.bucket(kind.kind, obj.namespace());
                        if !b.complete {
                            b.fill(obj);
                        }
                    }
                    let kind_name = kind.kind;
                    for b in self.buckets.entry(kind_name).or_default().values_mut() {
                        b.complete = true;
                    }
                    self.complete_kinds.insert(kind.kind);
                }
                self.read_back_all(kind.kind, None)?;
            }
        }
        Ok(())
    }

    /// The loaded objects of `kind` in `namespace` (all when `None`), by namespace then name.
    /// Call [`Cluster::load`] first.
    pub fn iter<'a>(&'a self, kind: &Kind, namespace: Option<&'a str>) -> impl Iterator<Item = &'a Value> + 'a {
        let kind_name = kind.kind;
        let ns_filter = if kind.namespaced { namespace } else { Some("") };
        let buckets = self.buckets.get(kind_name).into_iter().flat_map(|m| m.iter());
        let buckets = buckets.filter(move |(ns, _)| ns_filter.is_none_or(|f| f == ns.as_str()));
        buckets.into_iter().flat_map(|(_, b)| {
            debug_assert!(b.cold == 0, "iterating objects that were not loaded");
            b.entries().filter_map(|(_, slot)| slot.object().map(|obj| &**obj))
        })
    }

    /// Hands each object of `kind` in `namespace` to `f` in name order, as [`Cluster::load`]
    /// and [`Cluster::iter`] would, but without reading spilled objects back into the view: a
    /// controller that looks at every pod once (the endpoints) leaves memory as it found it.
    /// Spilled objects are read through `decode` (a decoder that keeps what `f` reads); those in
    /// memory are whole.
    pub fn visit(
        &mut self,
        kind: &Kind,
        namespace: &str,
        decode: fn(&str) -> anyhow::Result<Value>,
        f: &mut dyn FnMut(&Value),
    ) -> Result<()> {
        let ns = if kind.namespaced { namespace } else { "" };
        if !self.bucket(kind.kind, ns).complete {
            self.load(kind, Some(ns))?;
        }
        let Some(bucket) = self.buckets.get(kind.kind).and_then(|m| m.get(ns)) else { return Ok(()) };
        for (name, slot) in bucket.entries() {
            if slot.is_cold() {
                if let Some(obj) = self.store.get_decoded(kind.kind, ns, name, decode)? {
                    f(&obj);
                }
            } else if let Some(obj) = slot.object() {
                f(obj);
            }
        }
        Ok(())
    }

    /// Hands each object of `kind` in `namespace` (all when `None`) to `f`, in namespace and name
    /// order, without keeping them in the view: a listing of 100,000 pods holds one at a time.
    /// Objects this command already read or changed come from the view.
    pub fn scan(&mut self, kind: &Kind, namespace: Option<&str>, f: &mut dyn FnMut(Value)) -> Result<()> {
        self.scan_decoded(kind, namespace, None, f)
    }

    /// [`Cluster::scan`]; objects read from the store go through `decode` when given (a decoder
    /// that keeps only what the caller reads), those from the view are whole.
    pub fn scan_decoded(
        &mut self,
        kind: &Kind,
        namespace: Option<&str>,
        decode: Option<fn(&str) -> anyhow::Result<Value>>,
        f: &mut dyn FnMut(Value),
    ) -> Result<()> {
        if self.buckets.get(kind.kind).is_some_and(|m| !m.is_empty()) {
            self.load(kind, namespace)?;
            let mut all: Vec<&Value> = self.iter(kind, namespace).collect();
            all.sort_by(|a, b| (a.namespace(), a.name()).cmp(&(b.namespace(), b.name())));
            all.into_iter().for_each(|o| f(o.clone()));
            return Ok(());
        }
        let ns = if kind.namespaced { namespace } else { Some("") };
        match decode {
            Some(decode) => Ok(self.store.scan_decoded(kind.kind, ns, decode, f)?),
            None => Ok(self.store.scan(kind.kind, ns, f)?),
        }
    }

    /// Loads and copies the objects of `kind` in `namespace` (all when `None`).
    pub fn list(&mut self, kind: &Kind, namespace: Option<&str>) -> Result<Vec<Value>> {
        self.load(kind, namespace)?;
        Ok(self.iter(kind, namespace).cloned().collect())
    }

    /// Notes that `uid` was given to an object created in this command.
    pub(crate) fn note_created(&mut self, uid: &str) {
        self.created.insert(uid.to_string());
    }

    /// Objects of `kind` whose controller (events: involved object) has `uid`, copied.
    pub fn list_by_ref(&mut self, kind: &Kind, uid: &str) -> Result<Vec<Value>> {
        self.map_by_ref(kind, uid, |o| Some(o.clone()))
    }

    /// Applies `f` to each object of `kind` whose controller (events: involved object) has
    /// `uid`, without copying them: the store's index is read once per command, then kept up to
    /// date by every write.
    pub fn map_by_ref<T>(&mut self, kind: &Kind, uid: &str, mut f: impl FnMut(&Value) -> Option<T>) -> Result<Vec<T>> {
        if uid.is_empty() {
            return Ok(Vec::new());
        }
        // An object created in this command has nothing referring to it in the store.
        if !self.created.contains(uid)
            && self.refs_loaded.insert((kind.kind, uid.to_string()))
            && self.may_be_stored_by_ref(kind, uid)?
        {
            let buckets = &self.buckets;
            let stored = self.store.list_by_ref_unknown(kind.kind, uid, &mut |ns, name| {
                // Any slot: a cold one is read back below, whole.
                slot_of(buckets, kind.kind, ns, name).is_some()
            })?;
            for (namespace, name, obj) in stored {
                let key = Key::new(kind, &namespace, &name);
                if let Some(obj) = obj {
                    self.bucket(kind.kind, &key.namespace).set(&key.name, Slot::Here(Rc::new(obj)));
                }
                self.ref_index.entry((kind.kind, uid.to_string())).or_default().insert(key);
            }
        }
        let mut out = Vec::new();
        let index_key = (kind.kind, uid.to_string());
        let Some(keys) = self.ref_index.get(&index_key) else { return Ok(out) };
        let cold: Vec<Key> = keys.iter().filter(|k| self.cached(k).is_some_and(Slot::is_cold)).cloned().collect();
        for key in &cold {
            self.read_back(key)?;
        }
        let Some(keys) = self.ref_index.get(&index_key) else { return Ok(out) };
        for key in keys {
            if let Some(obj) = self.cached(key).and_then(Slot::object) {
                if index_ref(obj) == uid {
                    out.extend(f(obj));
                }
            }
        }
        Ok(out)
    }

    /// Whether the store may hold objects of `kind` referring to `uid`. Events are always
    /// looked for (those of this command are written through, not kept in the view); for
    /// other kinds, what this command wrote is in `ref_index` already, so the kinds stored
    /// when the uid was first asked about are enough.
    fn may_be_stored_by_ref(&mut self, kind: &Kind, uid: &str) -> Result<bool> {
        if kind.kind == crate::api::kinds::EVENT.kind {
            return Ok(true);
        }
        if !self.stored_ref_kinds.contains_key(uid) {
            let found = self.store.kinds_by_ref(uid)?;
            self.stored_ref_kinds.insert(uid.to_string(), found);
        }
        Ok(self.stored_ref_kinds.get(uid).is_some_and(|k| k.iter().any(|k| k == kind.kind)))
    }

    /// Stores `obj` (already admitted) and records the change. Bumps the resourceVersion.
    pub(crate) fn write(&mut self, obj: Value, propagation: Propagation) -> Result<Value> {
        Ok((*self.store_object(obj, propagation)?).clone())
    }

    /// Reads one object, shared with the view rather than copied: for a reader that also writes
    /// (which [`Cluster::get_ref`]'s borrow does not allow) and copies only what it changes.
    pub fn get_shared(&mut self, key: &Key) -> Result<Option<Rc<Value>>> {
        self.get_ref(key)?;
        Ok(self.cached(key).and_then(Slot::object).cloned())
    }

    /// [`Cluster::write`] without copying the stored object back.
    pub(crate) fn store_object(&mut self, mut obj: Value, propagation: Propagation) -> Result<Rc<Value>> {
        let key = Key::of(&obj).context("object of an unserved kind")?;
        self.revision += 1;
        crate::api::object::set_at(&mut obj, "metadata.resourceVersion", Value::String(self.revision.to_string()));
        // Events are written by controllers, never watched by them: no previous version is needed.
        let watched = key.kind != "Event";
        let old = if watched { self.get_shared(&key)? } else { None };
        self.note_reference(&key, index_ref(&obj));
        let obj = Rc::new(obj);
        if !watched && self.writable {
            // Nothing reads an event again in the command but its aggregation, which finds it in
            // the store: written through at once, the events of a large change (ten per pod) do
            // not all stay in memory until the commit.
            self.write_event_through(&key, |store, expires| store.put_expiring(&obj, expires))?;
            return Ok(obj);
        }
        self.bucket(key.kind, &key.namespace).set(&key.name, Slot::Here(Rc::clone(&obj)));
        self.dirty.insert(key.clone());
        // A CustomResourceDefinition's write is looked for at the commit.
        let spillable = self.writable && key.kind != crate::api::custom::CRD;
        if spillable {
            self.spill.push(&key, self.revision);
        }
        if watched {
            self.record(&key, old.as_ref(), Some(&obj));
            self.changes.push_back(Change { key, object: Some(Rc::clone(&obj)), old, propagation });
        }
        if spillable {
            self.spill_settled()?;
        }
        Ok(obj)
    }

    /// Indexes a written object by the uid it refers to (see [`index_ref`]), if any.
    fn note_reference(&mut self, key: &Key, reference: &str) {
        if !reference.is_empty() {
            self.ref_index.entry((key.kind, reference.to_string())).or_default().insert(key.clone());
        }
    }

    /// Writes an event to the store at once (`put`), with its expiry an hour of cluster time on,
    /// and keeps nothing of it in the view.
    fn write_event_through(&mut self, key: &Key, put: impl FnOnce(&Store, i64) -> anyhow::Result<()>) -> Result<()> {
        let expires = self.now_ms().saturating_add(EVENT_TTL_MS);
        put(&self.store, expires)?;
        self.next_expiry = Some(self.next_expiry.map_or(expires, |e| e.min(expires)));
        self.dirty.remove(key);
        self.forget(key);
        Ok(())
    }

    /// Writes out and drops from memory the objects whose latest write is among the oldest of
    /// the command (see [`view`]): a large change does not keep every object it made.
    fn spill_settled(&mut self) -> Result<()> {
        let Some(writes) = self.spill.due() else { return Ok(()) };
        for (key, revision) in writes {
            if !self.dirty.contains(&key) {
                continue;
            }
            let Some(Slot::Here(obj)) = self.cached(&key) else { continue };
            if revision_of(obj) != revision {
                continue;
            }
            self.store.put(obj)?;
            let uid = obj.uid().to_string();
            self.forget_events_of(&uid);
            self.bucket(key.kind, &key.namespace).set(&key.name, Slot::Spilled(None));
            self.dirty.remove(&key);
            self.spilled += 1;
        }
        Ok(())
    }

    /// Drops an object from the view (it is current in the store); a listing reads it again.
    fn forget(&mut self, key: &Key) {
        if let Some(bucket) = self.buckets.get_mut(key.kind).and_then(|m| m.get_mut(&key.namespace)) {
            bucket.remove(&key.name);
            bucket.complete = false;
        }
        self.complete_kinds.remove(key.kind);
    }

    /// Removes an object for good and records the change.
    pub(crate) fn erase(&mut self, key: &Key, propagation: Propagation) -> Result<Option<Value>> {
        let Some(old) = self.get_shared(key)? else { return Ok(None) };
        self.revision += 1;
        self.bucket(key.kind, &key.namespace).set(&key.name, Slot::Absent);
        self.dirty.insert(key.clone());
        if key.kind != "Event" {
            self.record(key, Some(&old), None);
            self.changes.push_back(Change { key: key.clone(), object: None, old: Some(Rc::clone(&old)), propagation });
        }
        Ok(Some((*old).clone()))
    }

    /// Asks for the controllers to run again once the clock reaches `at`.
    pub fn wake_at(&mut self, at: Instant) {
        if at > self.clock.now() {
            self.wake = Some(self.wake.map_or(at, |w| w.min(at)));
        }
    }

    /// Moves cluster time forward by `seconds` for this command and every later one.
    pub fn advance_clock(&mut self, seconds: i64) -> Result<()> {
        self.add_counter(CLOCK_OFFSET, seconds)?;
        self.target += seconds;
        self.clock = Clock::fixed(self.target);
        self.due = true;
        Ok(())
    }

    /// The time this command runs at (the clock may be behind while catching up).
    pub fn target(&self) -> Instant {
        self.target
    }

    /// The current instant in milliseconds since the epoch.
    pub fn now_ms(&self) -> i64 {
        self.now_ms.unwrap_or(self.clock.now().saturating_mul(1000))
    }

    /// Sets the clock to an earlier instant (ms) whose time-driven work is being caught up, or
    /// back to the command's own time (`None`).
    pub fn set_instant(&mut self, at: Option<i64>) {
        self.now_ms = at;
        self.clock = Clock::fixed(at.map_or(self.target, |ms| ms.div_euclid(1000)));
    }

    /// Whether some stored event has outlived its TTL at the command's time.
    pub fn events_expired(&self) -> bool {
        self.next_expiry.is_some_and(|at| at < self.target.saturating_mul(1000))
    }

    /// Deletes the events whose TTL ran out before `before` (ms), as the API server's storage
    /// drops an event an hour after its last write. No revision is spent: generated ids stay
    /// what they were.
    pub fn expire_events(&mut self, before: i64) -> Result<()> {
        if !self.writable || self.next_expiry.is_none_or(|at| at >= before) {
            return Ok(());
        }
        for (namespace, name) in self.store.expire_events(before)? {
            let key = Key::new(&crate::api::kinds::EVENT, &namespace, &name);
            self.dirty.remove(&key);
            self.forget(&key);
        }
        self.next_expiry = self.store.next_event_expiry()?;
        Ok(())
    }

    /// Sets (or clears) when `key` next has time-driven work, in ms.
    pub fn set_timer(&mut self, key: &Key, at: Option<i64>) -> Result<()> {
        Ok(self.store.set_timer(key.kind, &key.namespace, &key.name, at)?)
    }

    /// When the earliest timer is due (ms), if any.
    pub fn next_timer(&self) -> Result<Option<i64>> {
        Ok(self.store.next_timers()?.map(|(at, _)| at))
    }

    /// Takes the timers due at the earliest instant, if it is at or before `until` (ms): they are
    /// cleared (the controllers they wake set new ones as they need) and their keys handed back.
    /// Timers of kinds kstate no longer serves are cleared and dropped.
    pub fn take_due_timers(&mut self, until: i64) -> Result<Option<(i64, Vec<Key>)>> {
        let Some((at, rows)) = self.store.next_timers()? else { return Ok(None) };
        if at > until {
            return Ok(None);
        }
        let mut keys = Vec::new();
        for (kind, ns, name) in rows {
            self.store.set_timer(&kind, &ns, &name, None)?;
            keys.extend(crate::api::kinds::by_kind(&kind).map(|k| Key::new(k, &ns, &name)));
        }
        Ok(Some((at, keys)))
    }

    /// The stored runtime state of a container (JSON), kept beside the pod.
    pub fn runtime(&self, pod_uid: &str, container: &str) -> Result<Option<String>> {
        Ok(self.store.runtime(pod_uid, container)?)
    }

    pub fn set_runtime(&mut self, pod_uid: &str, container: &str, state: Option<&str>) -> Result<()> {
        Ok(self.store.set_runtime(pod_uid, container, state)?)
    }

    /// Forgets the containers of a pod that is gone.
    pub fn drop_runtime(&mut self, pod_uid: &str) -> Result<()> {
        Ok(self.store.drop_runtime(pod_uid)?)
    }

    /// Whether time-based work became due since the last command (a wake-up time has passed).
    pub fn time_work_due(&self) -> bool {
        self.due
    }

    /// Whether the history of the previous command stays (this one wrote nothing).
    fn changes_recorded(&self) -> bool {
        self.journal.as_ref().is_some_and(|j| j.is_empty())
    }

    /// Records one write in the journal, after the object's state before the command.
    fn record(&mut self, key: &Key, old: Option<&Rc<Value>>, new: Option<&Rc<Value>>) {
        let Some(journal) = &mut self.journal else { return };
        if journal.len() >= MAX_JOURNAL {
            self.journal = None;
            return;
        }
        if self.journaled.insert(key.clone()) {
            journal.push((key.clone(), true, old.cloned()));
        }
        journal.push((key.clone(), false, new.cloned()));
    }

    /// The writes of the last command that changed the cluster (empty when too many to keep).
    pub fn history(&self) -> Result<Vec<HistoryRow>> {
        Ok(self.store.history()?)
    }

    /// The next unprocessed change, for the controller manager.
    pub fn next_change(&mut self) -> Option<Change> {
        self.changes.pop_front()
    }

    /// Runs `f`, whose writes stay out of the sequence that seeds generated ids: the objects it
    /// creates take uids from a generator of their own (salted by `salt` and the revision), and
    /// the revisions it spends are not counted in the next command's seed. Controllers that were
    /// added after scripts were written (the attach/detach controller) write through here, so
    /// every uid, disk id and name a script printed before stays what it was.
    pub fn aside<T>(&mut self, salt: &str, f: impl FnOnce(&mut Cluster) -> Result<T>) -> Result<T> {
        let hash = salt.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        let own = Ids::new(Some(hash), self.revision as u64);
        let ids = std::mem::replace(&mut self.ids, own);
        let before = self.revision;
        let out = f(self);
        self.ids = ids;
        self.aside += self.revision - before;
        out
    }

    /// A persistent integer (IP allocators, counts), as stored in this transaction.
    pub fn counter(&self, key: &str) -> Result<i64> {
        Ok(self.store.counter(key)?)
    }

    /// Adds `delta` to a persistent integer.
    pub fn add_counter(&mut self, key: &str, delta: i64) -> Result<()> {
        let v = self.store.counter(key)? + delta;
        self.store.set_counter(key, v)?;
        Ok(())
    }

    /// A persistent integer (IP allocators and the like), read and bumped in this transaction.
    pub fn bump_counter(&mut self, key: &str) -> Result<i64> {
        let v = self.store.counter(key)? + 1;
        self.store.set_counter(key, v)?;
        Ok(v)
    }

    /// Records the profile a new cluster is made from.
    fn store_profile(&mut self, p: &'static profile::Profile) -> Result<()> {
        self.profile = p;
        self.store.set_counter(bootstrap::PROFILE_COUNTER, profile::index_of(p))?;
        Ok(())
    }

    /// Whether the state directory holds a cluster already (`kstate init` refuses to redo one).
    pub fn exists(state_dir: &Path) -> Result<bool> {
        if !state_dir.join("cluster.db").exists() {
            return Ok(false);
        }
        let (store, _) = Store::open(state_dir)?;
        Ok(store.counter(BOOTSTRAPPED)? != 0)
    }

    pub fn revision(&self) -> i64 {
        self.revision
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::kinds;
    use serde_json::json;

    fn open(dir: &Path) -> Cluster {
        let settings = Settings { state_dir: dir, clock: Clock::fixed(1_795_770_000), seed: Some(7) };
        Cluster::open(&settings, true).expect("open cluster")
    }

    fn config_map(i: usize) -> Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": format!("cm-{i:05}")}, "data": {"i": i.to_string()}})
    }

    #[test]
    fn a_large_change_spills_what_it_is_done_with_and_still_sees_everything() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut cluster = open(dir.path());
        cluster
            .create(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "spill"}}), "")
            .expect("ns");
        let kind = &kinds::CONFIGMAP;
        cluster.load(kind, Some("spill")).expect("load");
        let n = 5000;
        for i in 0..n {
            cluster.create(config_map(i), "spill").expect("create");
        }
        assert!(cluster.spilled >= 1024, "only {} spilled", cluster.spilled);
        let bucket = &cluster.buckets["ConfigMap"]["spill"];
        assert!(bucket.cold >= 1024 && bucket.len() >= n);
        // A spilled object reads back as written, and a listing sees every object in order.
        let first = cluster.get(&Key::new(kind, "spill", "cm-00000")).expect("get").expect("there");
        assert_eq!(first.str_at("data.i"), "0");
        let mut seen = Vec::new();
        // (The namespace's `kube-root-ca.crt` sorts after them.)
        let whole = |body: &str| Ok(serde_json::from_str(body)?);
        cluster.visit(kind, "spill", whole, &mut |o| seen.push(o.str_at("data.i").to_string())).expect("visit");
        seen.pop();
        assert_eq!(seen.len(), n);
        assert!(seen.iter().enumerate().all(|(i, v)| *v == i.to_string()), "{:?}", &seen[..5]);
        let listed = cluster.list(kind, Some("spill")).expect("list");
        assert_eq!(listed.len(), n + 1);
        assert_eq!(cluster.buckets["ConfigMap"]["spill"].cold, 0);
        // A spilled object written again is written again at the commit; all are stored.
        let mut again = first.clone();
        again["data"]["i"] = json!("changed");
        cluster.update(again).expect("update");
        cluster.commit().expect("commit");
        let mut cluster = open(dir.path());
        let stored = cluster.list(kind, Some("spill")).expect("list");
        assert_eq!(stored.len(), n + 1);
        assert_eq!(stored[0].str_at("data.i"), "changed");
        assert_eq!(stored[n - 1].str_at("data.i"), (n - 1).to_string());
    }
}
