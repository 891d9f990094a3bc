//! The watch cache: one thread polls the store (`PRAGMA data_version` every 100 ms, so writes of
//! any process on the state directory are seen), diffs object resourceVersions against what it
//! knew, and keeps the resulting ADDED / MODIFIED / DELETED events in a bounded window. Watchers
//! read events after their resourceVersion; one older than the window is `Expired`.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use foldhash::HashMap;
use serde_json::Value;

use crate::api::object::set_at;
use crate::api::ObjectExt;
use crate::store::Store;

/// Events kept for watchers that resume from a resourceVersion.
const WINDOW: usize = 20_000;
const POLL: Duration = Duration::from_millis(100);
/// The counter the cluster bumps on every write.
const REVISION: &str = "resourceVersion";

type ObjKey = (String, String, String);

/// One change as watchers see it.
#[derive(Debug)]
pub struct Event {
    pub rv: i64,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub kind_of_event: &'static str,
    pub object: Arc<Value>,
    /// The object before a MODIFIED event, for selectors the change moves it into or out of.
    pub previous: Option<Arc<Value>>,
}

#[derive(Default)]
struct State {
    objects: HashMap<ObjKey, (i64, Arc<Value>)>,
    events: VecDeque<Arc<Event>>,
    /// Events after this resourceVersion are all in `events`.
    oldest: i64,
    revision: i64,
}

pub struct Cache {
    state: Mutex<State>,
    changed: Condvar,
}

/// Why events since a resourceVersion cannot be given.
#[derive(Debug, PartialEq)]
pub struct Expired {
    pub oldest: i64,
}

impl Cache {
    /// Loads the current objects and starts the polling thread, which ends when `stop` is set.
    pub fn start(state_dir: &Path, stop: Arc<AtomicBool>) -> anyhow::Result<Arc<Cache>> {
        let (store, _) = Store::open(state_dir)?;
        let cache = Arc::new(Cache { state: Mutex::new(State::default()), changed: Condvar::new() });
        cache.poll(&store)?;
        {
            let mut s = cache.lock();
            s.events.clear();
            s.oldest = s.revision;
        }
        let bg = Arc::clone(&cache);
        std::thread::Builder::new().name("watch-cache".into()).spawn(move || {
            let mut seen = store.data_version().unwrap_or(0);
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(POLL);
                let now = match store.data_version() {
                    Ok(v) => v,
                    Err(_) => continue,
                };
                if now != seen && bg.poll(&store).is_ok() {
                    seen = now;
                }
            }
        })?;
        Ok(cache)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking poller leaves consistent data behind (each poll swaps state at the end).
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads what changed since the last poll, in one read transaction.
    fn poll(&self, store: &Store) -> anyhow::Result<()> {
        store.begin(false)?;
        let read = self.read_changes(store);
        store.rollback()?;
        let (revision, changed, present) = read?;
        let mut s = self.lock();
        let mut fresh: Vec<Event> = Vec::new();
        for (key, rv, body) in changed {
            let previous = s.objects.get(&key).map(|(_, old)| Arc::clone(old));
            let (kind_of_event, previous) = match previous {
                // Deleted and created again under the same name: two events, as informers expect.
                Some(old) if old.uid() != body.uid() => {
                    let (kind, namespace, name) = key.clone();
                    let mut obj = (*old).clone();
                    set_at(&mut obj, "metadata.resourceVersion", Value::String(rv.to_string()));
                    let object = Arc::new(obj);
                    fresh.push(Event { rv, kind, namespace, name, kind_of_event: "DELETED", object, previous: None });
                    ("ADDED", None)
                }
                Some(old) => ("MODIFIED", Some(old)),
                None => ("ADDED", None),
            };
            let body = Arc::new(body);
            s.objects.insert(key.clone(), (rv, Arc::clone(&body)));
            let (kind, namespace, name) = key;
            fresh.push(Event { rv, kind, namespace, name, kind_of_event, object: body, previous });
        }
        let gone: Vec<ObjKey> = s.objects.keys().filter(|k| !present.contains_key(*k)).cloned().collect();
        for key in gone {
            if let Some((_, last)) = s.objects.remove(&key) {
                let mut obj = (*last).clone();
                set_at(&mut obj, "metadata.resourceVersion", Value::String(revision.to_string()));
                let (kind, namespace, name) = key;
                fresh.push(Event {
                    rv: revision,
                    kind,
                    namespace,
                    name,
                    kind_of_event: "DELETED",
                    object: Arc::new(obj),
                    previous: None,
                });
            }
        }
        // Stable: a DELETED stays before the ADDED of the same resourceVersion.
        fresh.sort_by_key(|e| e.rv);
        for e in fresh {
            s.events.push_back(Arc::new(e));
        }
        while s.events.len() > WINDOW {
            if let Some(dropped) = s.events.pop_front() {
                s.oldest = s.oldest.max(dropped.rv);
            }
        }
        s.revision = s.revision.max(revision);
        drop(s);
        self.changed.notify_all();
        Ok(())
    }

    /// The revision, the objects whose resourceVersion changed (with their bodies) and the keys present.
    #[allow(clippy::type_complexity)]
    fn read_changes(&self, store: &Store) -> anyhow::Result<(i64, Vec<(ObjKey, i64, Value)>, HashMap<ObjKey, i64>)> {
        let revision = store.counter(REVISION)?;
        let present: HashMap<ObjKey, i64> =
            store.versions()?.into_iter().map(|(k, ns, n, rv)| ((k, ns, n), rv)).collect();
        let known: HashMap<ObjKey, i64> = self.lock().objects.iter().map(|(k, (rv, _))| (k.clone(), *rv)).collect();
        let mut changed = Vec::new();
        for (key, rv) in &present {
            if known.get(key) != Some(rv) {
                if let Some(body) = store.get(&key.0, &key.1, &key.2)? {
                    changed.push((key.clone(), *rv, body));
                }
            }
        }
        Ok((revision, changed, present))
    }

    /// The latest revision the cache has seen.
    pub fn revision(&self) -> i64 {
        self.lock().revision
    }

    /// Events after `rv`, or `Expired` when some of them are no longer kept.
    pub fn since(&self, rv: i64) -> Result<Vec<Arc<Event>>, Expired> {
        let s = self.lock();
        if rv < s.oldest {
            return Err(Expired { oldest: s.oldest });
        }
        Ok(s.events.iter().filter(|e| e.rv > rv).cloned().collect())
    }

    /// Waits up to `timeout` for the revision to pass `rv`.
    pub fn wait(&self, rv: i64, timeout: Duration) {
        let s = self.lock();
        if s.revision > rv {
            return;
        }
        let _ = self.changed.wait_timeout(s, timeout);
    }
}
