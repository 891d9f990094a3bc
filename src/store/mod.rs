//! SQLite: the only module that names rusqlite.
//!
//! One database file per cluster. Objects are JSON documents with their identity in columns; file
//! contents of volumes and container layers live in `files`. Every command runs in one transaction:
//! IMMEDIATE for commands that write (so concurrent kstate processes queue on the lock instead of
//! failing with "database is locked"), DEFERRED for read-only ones.

mod check;
mod events;
mod files;
pub mod json;
mod schema;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Context, Result};
use foldhash::HashMap;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use crate::api::ObjectExt;

pub use files::{FileRow, FileStore};

/// The database file inside the state directory.
pub const DB_FILE: &str = "cluster.db";

/// One recorded write. `initial` rows hold an object as it was before the command (`None`: it did
/// not exist); the others hold each version the command wrote, in order (`None`: removed).
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub initial: bool,
    pub body: Option<Value>,
}

/// An object's row as written (see [`Store::put_row`]): its identity, the uid it is indexed by
/// (its controller's, or for an event the involved object's), its resourceVersion and its JSON.
pub struct ObjectRow<'a> {
    pub kind: &'a str,
    pub namespace: &'a str,
    pub name: &'a str,
    pub uid: &'a str,
    pub reference: &'a str,
    pub revision: i64,
    pub body: &'a str,
    /// When an event expires (ms since the epoch; the API server's event TTL), 0 for others.
    pub expires: i64,
}

/// What the event recorder's aggregator needs of a stored event with a given reason (see
/// [`Store::events_of_reason`]): its message, type, source and first and last times (RFC 3339).
pub struct SimilarFacts {
    pub namespace: String,
    pub name: String,
    pub message: String,
    pub type_: String,
    pub component: String,
    pub host: String,
    pub first: String,
    pub last: String,
}

/// What the event recorder needs of a stored event (see [`Store::event_facts_by_ref`]).
pub struct EventFacts {
    pub namespace: String,
    pub name: String,
    pub reason: String,
    pub message: String,
}

impl EventFacts {
    /// The facts of the stored event `namespace`/`name` whose JSON is `body`.
    fn read(namespace: &str, name: &str, body: &str) -> Result<EventFacts> {
        let said: Said = serde_json::from_str(body).context("corrupt object in the database")?;
        Ok(EventFacts {
            namespace: namespace.to_string(),
            name: name.to_string(),
            reason: said.reason.text(),
            message: said.message.text(),
        })
    }
}

/// What a row walk hands on: the namespace, name and JSON of a stored object.
type RowFn<'a> = &'a mut dyn FnMut(&str, &str, Body) -> Result<()>;

/// A stored object's JSON, checked as text only when read: a walk that skips most rows (the
/// view holds them) does not look at their bytes.
#[derive(Clone, Copy)]
struct Body<'a> {
    bytes: &'a [u8],
    kind: &'a str,
}

impl<'a> Body<'a> {
    fn text(self) -> Result<&'a str> {
        std::str::from_utf8(self.bytes).map_err(|e| anyhow::anyhow!("stored {}: {e}", self.kind))
    }
}

/// Hands each row (namespace, name, body) of an objects query to `f`.
fn each_row(mut rows: rusqlite::Rows, kind: &str, f: RowFn) -> Result<()> {
    while let Some(row) = rows.next()? {
        let text = |i: usize| row.get_ref(i)?.as_str().map_err(|e| anyhow::anyhow!("stored {kind}: {e}"));
        let body = Body { bytes: row.get_ref(2)?.as_bytes().map_err(|e| anyhow::anyhow!("stored {kind}: {e}"))?, kind };
        f(text(0)?, text(1)?, body)?;
    }
    Ok(())
}

/// An event's `reason` and `message` as stored; every other field is skipped unread.
#[derive(serde::Deserialize)]
struct Said {
    #[serde(default)]
    reason: Value,
    #[serde(default)]
    message: Value,
}

trait Text {
    fn text(self) -> String;
}

impl Text for Value {
    /// A string field's text, empty when it is missing or not a string (as `str_at` reads it).
    fn text(self) -> String {
        match self {
            Value::String(s) => s,
            _ => String::new(),
        }
    }
}

/// A timer's object: kind, namespace, name.
pub type TimerKey = (String, String, String);

/// The page size of a new database, in bytes.
const PAGE_SIZE: i64 = 16384;

/// How long a command waits for another one's write lock.
const LOCK_PATIENCE: Duration = Duration::from_secs(60);

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// File writes of the current transaction not yet in SQLite (see [`FileStore`]).
    pending_files: RefCell<files::Pending>,
    /// Events of the current transaction not yet in SQLite (see [`events`]).
    pending_events: RefCell<events::PendingEvents>,
    /// Counters read or set in the current transaction, with whether they were set: a set
    /// counter is written at commit (a pod's start reads and moves a few of them).
    counters: RefCell<HashMap<String, (i64, bool)>>,
}

/// The kind whose rows wait in [`Store::pending_events`].
const EVENT_KIND: &str = "Event";

/// Connections left open by [`Store::park`] for the next [`Store::open`] of the same file in
/// this process, each with the identity of the file it was opened on (one per path; a few paths
/// at most: a command uses one state directory, tests and `serve` a handful).
static PARKED: Mutex<Vec<(Store, FileId)>> = Mutex::new(Vec::new());

/// Most connections kept parked at once.
const MAX_PARKED: usize = 4;

/// The device and inode of a file: a parked connection is reused only while its path still
/// names the file it has open.
type FileId = (u64, u64);

fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

impl Store {
    /// Opens (creating when missing) the cluster database in `dir`. Returns the store and whether
    /// the database is new, so the caller can seed a fresh cluster.
    pub fn open(dir: &Path) -> Result<(Store, bool)> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create state directory {}", dir.display()))?;
        let path = dir.join(DB_FILE);
        if let Some(store) = Store::unpark(&path) {
            return Ok((store, false));
        }
        check::before_open(&path)?;
        let new_file = std::fs::metadata(&path).map_or(true, |m| m.len() == 0);
        let conn = Connection::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
        conn.busy_timeout(LOCK_PATIENCE)?;
        check::not_foreign(&conn, &path)?;
        // Pages of 16 KiB for a new database (SQLite's default is 4): a pod's JSON is a few
        // kilobytes, so a large change touches a quarter of the pages (scaling to 10,000 pods:
        // 12.6 s -> 11.5 s). Only for a new file: the pragma cannot change an existing one.
        if new_file {
            conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        }
        // Upgrade first: a refused file must not even have its journal mode switched.
        let fresh = schema::migrate(&conn, &path)?;
        set_wal(&conn).map_err(|e| match e.downcast_ref::<rusqlite::Error>() {
            Some(sql) => check::unreadable(&path, sql),
            None => e,
        })?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A large change rewrites pages all over the objects table: a page cache of 8 MiB
        // (SQLite's default is 2 MiB; pages are allocated only as they are used) keeps most of
        // them in process. 32 MiB saved 3-5 % of the CPU of scaling to 10,000 pods, but was a
        // fifth of that command's memory.
        conn.pragma_update(None, "cache_size", -8192)?;
        // Plans that do not depend on the values bound. Without this, SQLite marks a statement
        // whose bound value it can compare with a partial index's condition as one to prepare
        // anew whenever that value changes: the listing by reference (one per owner and kind,
        // a different uid each time) was prepared again on every call, a third of the
        // instructions of deleting a 1,500-pod StatefulSet. kstate's statements name the index
        // they need where the planner's choice matters (`INDEXED BY`).
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        let store = Store {
            conn,
            path,
            pending_files: RefCell::default(),
            pending_events: RefCell::default(),
            counters: RefCell::default(),
        };
        Ok((store, fresh))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Keeps this connection (outside any transaction) for the next [`Store::open`] of the same
    /// file in this process: a command reads the state's custom kinds before parsing its
    /// arguments, then opens the cluster; a second open would check the file and parse the
    /// schema again (a fifth of the instructions of `get pods`).
    pub fn park(self) {
        if let (Some(id), Ok(mut parked)) = (file_id(&self.path), PARKED.lock()) {
            parked.retain(|(s, _)| s.path != self.path);
            if parked.len() == MAX_PARKED {
                parked.remove(0);
            }
            parked.push((self, id));
        }
    }

    /// The connection parked for `path`, when it is open on the file `path` names now.
    fn unpark(path: &Path) -> Option<Store> {
        let mut parked = PARKED.lock().ok()?;
        let at = parked.iter().position(|(s, _)| s.path == path)?;
        let (store, id) = parked.remove(at);
        (file_id(path) == Some(id)).then_some(store)
    }

    /// Starts the command's transaction; `write` takes the write lock at once, waiting up to
    /// [`LOCK_PATIENCE`] for a command that holds it.
    pub fn begin(&self, write: bool) -> Result<()> {
        self.forget_pending();
        self.conn.execute_batch(if write { "BEGIN IMMEDIATE" } else { "BEGIN DEFERRED" }).map_err(|e| {
            if is_busy(&e) {
                anyhow::anyhow!(
                    "another kstate command has held the cluster's write lock ({}) for more than {} seconds; try again when it has finished",
                    self.path.display(),
                    LOCK_PATIENCE.as_secs()
                )
            } else {
                e.into()
            }
        })?;
        Ok(())
    }

    pub fn commit(&self) -> Result<()> {
        self.flush_events()?;
        self.files().flush()?;
        self.flush_counters()?;
        self.conn.execute_batch("COMMIT")?;
        // What the buffers know (volumes with no stored rows, counters) held for this
        // transaction only: another process may write before the next one.
        self.forget_pending();
        Ok(())
    }

    pub fn rollback(&self) -> Result<()> {
        self.forget_pending();
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK")?;
        }
        Ok(())
    }

    /// Drops the writes still waiting (the transaction ends without them).
    fn forget_pending(&self) {
        self.pending_files.borrow_mut().clear();
        self.pending_events.borrow_mut().clear();
        self.counters.borrow_mut().clear();
    }

    /// Writes the waiting events, in key order, before a statement reads events as a set.
    fn flush_events(&self) -> Result<()> {
        let rows = self.pending_events.borrow_mut().take();
        for ((namespace, name), e) in &rows {
            self.insert_row(&ObjectRow {
                kind: EVENT_KIND,
                namespace,
                name,
                uid: &e.uid,
                reference: &e.reference,
                revision: e.revision,
                body: &e.body,
                expires: e.expires,
            })?;
        }
        Ok(())
    }

    pub fn get(&self, kind: &str, namespace: &str, name: &str) -> Result<Option<Value>> {
        self.get_decoded(kind, namespace, name, decode)
    }

    /// [`Store::get`] with the caller's decoder (one that keeps only what it needs).
    pub fn get_decoded(
        &self,
        kind: &str,
        namespace: &str,
        name: &str,
        decode: fn(&str) -> Result<Value>,
    ) -> Result<Option<Value>> {
        if kind == EVENT_KIND {
            if let Some(body) = self.pending_events.borrow().body(namespace, name) {
                return decode(body).map(Some);
            }
        }
        let mut st =
            self.conn.prepare_cached("SELECT body FROM objects WHERE kind = ?1 AND namespace = ?2 AND name = ?3")?;
        let mut rows = st.query(params![kind, namespace, name])?;
        let Some(row) = rows.next()? else { return Ok(None) };
        let body = row.get_ref(0)?.as_str().map_err(|e| anyhow::anyhow!("stored {kind}: {e}"))?;
        decode(body).map(Some)
    }

    /// Objects of `kind`, in `namespace` (or all namespaces when `None`), sorted by namespace and name.
    pub fn list(&self, kind: &str, namespace: Option<&str>) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        self.scan(kind, namespace, &mut |obj| out.push(obj))?;
        Ok(out)
    }

    /// Hands each stored object of `kind` (in `namespace`, or all) to `f` as it is read, in
    /// namespace and name order, keeping none of them.
    pub fn scan(&self, kind: &str, namespace: Option<&str>, f: &mut dyn FnMut(Value)) -> Result<()> {
        self.scan_decoded(kind, namespace, decode, f)
    }

    /// Every stored object of `kind` (in `namespace`, or all) for which `known(namespace,
    /// name)` is false, in namespace and name order: the others are not decoded (a listing
    /// after a controller read most of a StatefulSet's pods by reference).
    pub fn list_unknown(
        &self,
        kind: &str,
        namespace: Option<&str>,
        known: &mut dyn FnMut(&str, &str) -> bool,
    ) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        self.scan_rows(kind, namespace, &mut |ns, name, body| {
            if !known(ns, name) {
                out.push(decode(body.text()?)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// [`Store::scan`] with the caller's decoder (one that keeps only what it needs).
    pub fn scan_decoded(
        &self,
        kind: &str,
        namespace: Option<&str>,
        decode: fn(&str) -> Result<Value>,
        f: &mut dyn FnMut(Value),
    ) -> Result<()> {
        self.scan_rows(kind, namespace, &mut |_, _, body| {
            f(decode(body.text()?)?);
            Ok(())
        })
    }

    /// Hands the namespace, name and JSON of each stored object of `kind` (in `namespace`, or
    /// all) to `f`, in namespace and name order.
    fn scan_rows(&self, kind: &str, namespace: Option<&str>, f: RowFn) -> Result<()> {
        if kind == EVENT_KIND {
            self.flush_events()?;
        }
        let mut st = match namespace {
            Some(_) => self.conn.prepare_cached(
                "SELECT namespace, name, body FROM objects WHERE kind = ?1 AND namespace = ?2 ORDER BY name",
            )?,
            None => self
                .conn
                .prepare_cached("SELECT namespace, name, body FROM objects WHERE kind = ?1 ORDER BY namespace, name")?,
        };
        let rows = match namespace {
            Some(ns) => st.query(params![kind, ns])?,
            None => st.query(params![kind])?,
        };
        each_row(rows, kind, f)
    }

    /// Objects of `kind` whose controller (or, for events, involved object) has uid `uid`.
    pub fn list_by_ref(&self, kind: &str, uid: &str) -> Result<Vec<Value>> {
        let rows = self.list_by_ref_unknown(kind, uid, &mut |_, _| false)?;
        Ok(rows.into_iter().filter_map(|(_, _, obj)| obj).collect())
    }

    /// [`Store::list_by_ref`] as namespace and name, with the object decoded only where
    /// `known(namespace, name)` is false (the view holds the others already).
    pub fn list_by_ref_unknown(
        &self,
        kind: &str,
        uid: &str,
        known: &mut dyn FnMut(&str, &str) -> bool,
    ) -> Result<Vec<(String, String, Option<Value>)>> {
        if kind == EVENT_KIND {
            self.flush_events()?;
        }
        let mut out = Vec::new();
        self.scan_by_ref(kind, uid, &mut |ns, name, body| {
            let obj = if known(ns, name) { None } else { Some(decode(body.text()?)?) };
            out.push((ns.to_string(), name.to_string(), obj));
            Ok(())
        })?;
        Ok(out)
    }

    /// Hands the namespace, name and JSON of each stored object of `kind` referring to `uid`
    /// to `f`, in namespace and name order. Waiting events are the caller's to write first.
    fn scan_by_ref(&self, kind: &str, uid: &str, f: RowFn) -> Result<()> {
        // Without statistics SQLite prefers the primary key's `kind` prefix (every event of the
        // cluster, to return one pod's); the partial index is usable only with its own term.
        let mut st = self.conn.prepare_cached(
            "SELECT namespace, name, body FROM objects INDEXED BY objects_ref
             WHERE ref = ?1 AND ref != '' AND kind = ?2 ORDER BY namespace, name",
        )?;
        let rows = st.query(params![uid, kind])?;
        each_row(rows, kind, f)
    }

    /// The events about `uid` (namespace, name, reason, message), in name order, for the
    /// recorder's aggregation: only the two fields it compares are decoded (a pod's deletion
    /// reads its dozen events to find whether `Killing` was said before).
    pub fn event_facts_by_ref(&self, uid: &str) -> Result<Vec<EventFacts>> {
        self.flush_events()?;
        let mut found = Vec::new();
        self.scan_by_ref(EVENT_KIND, uid, &mut |ns, name, body| {
            found.push(EventFacts::read(ns, name, body.text()?)?);
            Ok(())
        })?;
        Ok(found)
    }

    /// The stored events about `uid` with this reason and message (see
    /// [`Store::event_facts_by_ref`]), found without decoding the others: only events whose
    /// JSON holds both fields as they are written are decoded, and confirmed. An object's
    /// first events look for themselves this way (a StatefulSet of 10,000 pods has 20,000).
    pub fn find_events_said(&self, uid: &str, reason: &str, message: &str) -> Result<Vec<EventFacts>> {
        if self.pending_events.borrow().holds_ref(uid) {
            self.flush_events()?;
        }
        let needle = |key: &str, value: &str| {
            let mut text = format!("\"{key}\":");
            json::write_string(&mut text, value);
            text
        };
        let (reason_text, message_text) = (needle("reason", reason), needle("message", message));
        let mut found = Vec::new();
        self.scan_by_ref(EVENT_KIND, uid, &mut |ns, name, body| {
            // Matched here rather than with SQL's `instr`, which calls `memcmp` at every offset.
            let body = body.text()?;
            if body.contains(message_text.as_str()) && body.contains(reason_text.as_str()) {
                let facts = EventFacts::read(ns, name, body)?;
                if facts.reason == reason && facts.message == message {
                    found.push(facts);
                }
            }
            Ok(())
        })?;
        Ok(found)
    }

    /// The stored events about `uid` with this reason, as the recorder's aggregator compares
    /// them (see [`SimilarFacts`]); only events whose JSON holds the reason are decoded.
    pub fn events_of_reason(&self, uid: &str, reason: &str) -> Result<Vec<SimilarFacts>> {
        if self.pending_events.borrow().holds_ref(uid) {
            self.flush_events()?;
        }
        let mut reason_text = String::from("\"reason\":");
        json::write_string(&mut reason_text, reason);
        let mut found = Vec::new();
        self.scan_by_ref(EVENT_KIND, uid, &mut |ns, name, body| {
            let body = body.text()?;
            if body.contains(reason_text.as_str()) {
                let e: Value = serde_json::from_str(body).context("corrupt object in the database")?;
                if e.str_at("reason") == reason {
                    found.push(SimilarFacts {
                        namespace: ns.to_string(),
                        name: name.to_string(),
                        message: e.str_at("message").to_string(),
                        type_: e.str_at("type").to_string(),
                        component: e.str_at("source.component").to_string(),
                        host: e.str_at("source.host").to_string(),
                        first: e.str_at("firstTimestamp").to_string(),
                        last: e.str_at("lastTimestamp").to_string(),
                    });
                }
            }
            Ok(())
        })?;
        Ok(found)
    }

    /// The kinds of the objects that refer to `uid` (see [`Store::list_by_ref`]); events still
    /// waiting in the buffer are not counted.
    pub fn kinds_by_ref(&self, uid: &str) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT DISTINCT kind FROM objects INDEXED BY objects_ref WHERE ref = ?1 AND ref != ''")?;
        let rows = st.query_map(params![uid], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
    }

    /// Inserts or replaces an object.
    pub fn put(&self, obj: &Value) -> Result<()> {
        self.put_expiring(obj, 0)
    }

    /// Inserts or replaces an event that expires at `expires` (ms since the epoch).
    pub fn put_expiring(&self, obj: &Value, expires: i64) -> Result<()> {
        self.put_row(&ObjectRow {
            kind: obj.kind(),
            namespace: obj.namespace(),
            name: obj.name(),
            uid: obj.uid(),
            reference: crate::api::object::index_ref(obj),
            revision: obj.str_at("metadata.resourceVersion").parse().unwrap_or(0),
            body: &json::to_text(obj),
            expires,
        })
    }

    /// Inserts or replaces an object whose JSON the caller wrote (the event recorder writes a
    /// new event's text itself, without a `Value` to serialize). Events wait (see [`events`]).
    pub fn put_row(&self, row: &ObjectRow) -> Result<()> {
        if row.kind == EVENT_KIND {
            let full = self.pending_events.borrow_mut().add(row);
            return if full { self.flush_events() } else { Ok(()) };
        }
        self.insert_row(row)
    }

    fn insert_row(&self, row: &ObjectRow) -> Result<()> {
        let mut st = self.conn.prepare_cached(
            "INSERT OR REPLACE INTO objects (kind, namespace, name, uid, ref, rv, body, expires)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        st.execute(params![
            row.kind,
            row.namespace,
            row.name,
            row.uid,
            row.reference,
            row.revision,
            row.body,
            row.expires
        ])?;
        Ok(())
    }

    pub fn delete(&self, kind: &str, namespace: &str, name: &str) -> Result<()> {
        if kind == EVENT_KIND {
            self.pending_events.borrow_mut().remove(namespace, name);
        }
        let mut st =
            self.conn.prepare_cached("DELETE FROM objects WHERE kind = ?1 AND namespace = ?2 AND name = ?3")?;
        st.execute(params![kind, namespace, name])?;
        Ok(())
    }

    /// Replaces the recorded history with the writes of the command being committed.
    pub fn set_history(&self, rows: &[HistoryRow]) -> Result<()> {
        self.conn.execute("DELETE FROM history", [])?;
        let mut st = self
            .conn
            .prepare_cached("INSERT INTO history (kind, namespace, name, initial, body) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for r in rows {
            let body = r.body.as_ref().map(|b| b.to_string());
            st.execute(params![r.kind, r.namespace, r.name, r.initial, body])?;
        }
        Ok(())
    }

    /// The writes of the last command that changed the cluster, in order.
    pub fn history(&self) -> Result<Vec<HistoryRow>> {
        let mut st =
            self.conn.prepare_cached("SELECT kind, namespace, name, initial, body FROM history ORDER BY seq")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (kind, namespace, name, initial, body) = row?;
            let body = body.map(|b| decode(&b)).transpose()?;
            out.push(HistoryRow { kind, namespace, name, initial, body });
        }
        Ok(out)
    }

    /// `PRAGMA data_version`: it changes whenever another connection commits (`kstate serve`'s
    /// watch cache polls it to see writes made by any process).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// The identity and resourceVersion of every stored object.
    pub fn versions(&self) -> Result<Vec<(String, String, String, i64)>> {
        self.flush_events()?;
        let mut st = self.conn.prepare_cached("SELECT kind, namespace, name, rv FROM objects")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// A named integer kept with the cluster (the resourceVersion counter, IP allocators).
    /// Inside a transaction it is read once and kept (see [`Store::counters`]).
    pub fn counter(&self, key: &str) -> Result<i64> {
        if let Some((value, _)) = self.counters.borrow().get(key) {
            return Ok(*value);
        }
        let mut st = self.conn.prepare_cached("SELECT value FROM counters WHERE key = ?1")?;
        let value = st.query_row(params![key], |r| r.get(0)).optional()?.unwrap_or(0);
        if !self.conn.is_autocommit() {
            self.counters.borrow_mut().insert(key.to_string(), (value, false));
        }
        Ok(value)
    }

    pub fn set_counter(&self, key: &str, value: i64) -> Result<()> {
        if self.conn.is_autocommit() {
            return self.write_counter(key, value);
        }
        self.counters.borrow_mut().insert(key.to_string(), (value, true));
        Ok(())
    }

    fn write_counter(&self, key: &str, value: i64) -> Result<()> {
        let mut st = self.conn.prepare_cached("INSERT OR REPLACE INTO counters (key, value) VALUES (?1, ?2)")?;
        st.execute(params![key, value])?;
        Ok(())
    }

    /// Writes the counters set in this transaction (before its commit).
    fn flush_counters(&self) -> Result<()> {
        let mut set: Vec<(String, i64)> =
            self.counters.take().into_iter().filter_map(|(key, (value, set))| set.then_some((key, value))).collect();
        set.sort();
        set.iter().try_for_each(|(key, value)| self.write_counter(key, *value))
    }

    /// Sets (or, with `None`, clears) when an object next has time-driven work (ms since the epoch).
    pub fn set_timer(&self, kind: &str, namespace: &str, name: &str, at: Option<i64>) -> Result<()> {
        match at {
            Some(at) => {
                let mut st = self.conn.prepare_cached(
                    "INSERT OR REPLACE INTO timers (kind, namespace, name, at) VALUES (?1, ?2, ?3, ?4)",
                )?;
                st.execute(params![kind, namespace, name, at])?;
            }
            None => {
                let mut st =
                    self.conn.prepare_cached("DELETE FROM timers WHERE kind = ?1 AND namespace = ?2 AND name = ?3")?;
                st.execute(params![kind, namespace, name])?;
            }
        }
        Ok(())
    }

    /// The earliest timer, with every object due at that instant (in key order).
    pub fn next_timers(&self) -> Result<Option<(i64, Vec<TimerKey>)>> {
        let mut st = self.conn.prepare_cached("SELECT MIN(at) FROM timers")?;
        let Some(at) = st.query_row([], |r| r.get::<_, Option<i64>>(0))? else { return Ok(None) };
        let mut st = self
            .conn
            .prepare_cached("SELECT kind, namespace, name FROM timers WHERE at = ?1 ORDER BY kind, namespace, name")?;
        let rows = st.query_map(params![at], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(Some((at, rows.collect::<rusqlite::Result<Vec<_>>>()?)))
    }

    /// The earliest time an event expires (ms), if any event is stored.
    pub fn next_event_expiry(&self) -> Result<Option<i64>> {
        self.flush_events()?;
        // The first entry of the expiry index (named: SQLite's planner prefers the key's `kind`
        // prefix, every event of the cluster, for a plain MIN).
        let mut st = self.conn.prepare_cached(
            "SELECT expires FROM objects INDEXED BY objects_expires WHERE kind = 'Event' ORDER BY expires LIMIT 1",
        )?;
        Ok(st.query_row([], |r| r.get::<_, i64>(0)).optional()?)
    }

    /// Deletes the events that expire before `before` (ms) and hands back their namespaces and
    /// names. One range of the expiry index: the cost is the expired events', not the cluster's.
    pub fn expire_events(&self, before: i64) -> Result<Vec<(String, String)>> {
        self.flush_events()?;
        let mut st = self.conn.prepare_cached(
            "SELECT namespace, name FROM objects INDEXED BY objects_expires
             WHERE kind = 'Event' AND expires < ?1 ORDER BY expires",
        )?;
        let rows = st.query_map(params![before], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let expired = rows.collect::<rusqlite::Result<Vec<(String, String)>>>()?;
        self.conn
            .prepare_cached("DELETE FROM objects INDEXED BY objects_expires WHERE kind = 'Event' AND expires < ?1")?
            .execute(params![before])?;
        Ok(expired)
    }

    /// The stored runtime state of a pod's container (its process, probes, back-off).
    pub fn runtime(&self, pod_uid: &str, container: &str) -> Result<Option<String>> {
        let mut st = self.conn.prepare_cached("SELECT state FROM runtime WHERE pod = ?1 AND container = ?2")?;
        Ok(st.query_row(params![pod_uid, container], |r| r.get(0)).optional()?)
    }

    pub fn set_runtime(&self, pod_uid: &str, container: &str, state: Option<&str>) -> Result<()> {
        match state {
            Some(state) => {
                let mut st = self
                    .conn
                    .prepare_cached("INSERT OR REPLACE INTO runtime (pod, container, state) VALUES (?1, ?2, ?3)")?;
                st.execute(params![pod_uid, container, state])?;
            }
            None => {
                let mut st = self.conn.prepare_cached("DELETE FROM runtime WHERE pod = ?1 AND container = ?2")?;
                st.execute(params![pod_uid, container])?;
            }
        }
        Ok(())
    }

    /// Forgets every container of a pod that is gone.
    pub fn drop_runtime(&self, pod_uid: &str) -> Result<()> {
        let mut st = self.conn.prepare_cached("DELETE FROM runtime WHERE pod = ?1")?;
        st.execute(params![pod_uid])?;
        Ok(())
    }

    /// The file store of volumes and container layers, inside the current transaction.
    pub fn files(&self) -> FileStore<'_> {
        FileStore::new(&self.conn, &self.pending_files)
    }
}

/// Switches the database to WAL (persistent in the file). The switch needs the database to
/// itself and does not wait on the busy handler, so concurrent first commands retry it briefly.
fn set_wal(conn: &Connection) -> Result<()> {
    let mut attempts = 0;
    loop {
        let mode: rusqlite::Result<String> = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0));
        match mode {
            Ok(_) => return Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                    && attempts < 3000 =>
            {
                attempts += 1;
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(e) => return Err(e).context("cannot switch the state database to WAL mode"),
        }
    }
}

fn decode(body: &str) -> Result<Value> {
    serde_json::from_str(body).context("corrupt object in the database")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_new_database_has_large_pages_and_an_old_one_keeps_its_own() {
        let page_size = |s: &Store| s.conn.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(page_size(&Store::open(dir.path()).unwrap().0), PAGE_SIZE);
        let old = tempfile::tempdir().unwrap();
        let conn = Connection::open(old.path().join(DB_FILE)).unwrap();
        conn.execute_batch(&format!("PRAGMA page_size = 4096; {}", schema::up_to(4))).unwrap();
        drop(conn);
        let (store, fresh) = Store::open(old.path()).unwrap();
        assert!(!fresh);
        assert_eq!(page_size(&store), 4096);
    }

    #[test]
    fn a_parked_connection_serves_the_next_open_of_its_file_only() {
        // A temporary table lives in one connection: it tells which connection an open returned.
        let marked =
            |s: &Store| s.conn.query_row("SELECT count(*) FROM temp.sqlite_master", [], |r| r.get::<_, i64>(0));
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::open(dir.path()).unwrap();
        store.conn.execute_batch("CREATE TEMP TABLE mark (x)").unwrap();
        store.park();
        let (again, fresh) = Store::open(dir.path()).unwrap();
        assert!(!fresh);
        assert_eq!(marked(&again).unwrap(), 1, "the parked connection was reused");
        // Taken once: the next open gets a connection of its own.
        assert_eq!(marked(&Store::open(dir.path()).unwrap().0).unwrap(), 0);
        // A file replaced since the connection was parked is opened anew.
        again.park();
        std::fs::rename(dir.path().join(DB_FILE), dir.path().join("old.db")).unwrap();
        std::fs::copy(dir.path().join("old.db"), dir.path().join(DB_FILE)).unwrap();
        assert_eq!(marked(&Store::open(dir.path()).unwrap().0).unwrap(), 0);
    }

    #[test]
    fn stores_and_lists_objects() {
        let dir = tempfile::tempdir().unwrap();
        let (s, fresh) = Store::open(dir.path()).unwrap();
        assert!(fresh);
        s.begin(true).unwrap();
        let pod = json!({"kind": "Pod", "metadata": {"name": "web-0", "namespace": "default", "uid": "u1",
            "ownerReferences": [{"uid": "s1", "controller": true}]}});
        s.put(&pod).unwrap();
        s.commit().unwrap();
        assert_eq!(s.get("Pod", "default", "web-0").unwrap(), Some(pod.clone()));
        assert_eq!(s.list("Pod", Some("default")).unwrap().len(), 1);
        assert_eq!(s.list_by_ref("Pod", "s1").unwrap().len(), 1);
        drop(s);
        let (s, fresh) = Store::open(dir.path()).unwrap();
        assert!(!fresh);
        s.delete("Pod", "default", "web-0").unwrap();
        assert!(s.list("Pod", None).unwrap().is_empty());
    }

    #[test]
    fn counters_set_in_a_transaction_are_written_at_its_commit_only() {
        let dir = tempfile::tempdir().unwrap();
        let (s, _) = Store::open(dir.path()).unwrap();
        let stored = |s: &Store, key: &str| -> Option<i64> {
            s.conn.query_row("SELECT value FROM counters WHERE key = ?1", [key], |r| r.get(0)).optional().unwrap()
        };
        s.begin(true).unwrap();
        s.set_counter("c", 5).unwrap();
        assert_eq!(s.counter("c").unwrap(), 5);
        assert_eq!(stored(&s, "c"), None, "kept until the commit");
        s.rollback().unwrap();
        assert_eq!(s.counter("c").unwrap(), 0, "a rollback forgets it");
        s.begin(true).unwrap();
        s.set_counter("c", 7).unwrap();
        s.commit().unwrap();
        assert_eq!(stored(&s, "c"), Some(7));
        // Another connection's change shows in the next transaction.
        let (other, _) = Store::open(dir.path()).unwrap();
        s.begin(false).unwrap();
        assert_eq!(s.counter("c").unwrap(), 7);
        s.commit().unwrap();
        other.set_counter("c", 9).unwrap();
        s.begin(false).unwrap();
        assert_eq!(s.counter("c").unwrap(), 9);
        s.commit().unwrap();
    }

    fn event(name: &str, about: &str, count: i64) -> Value {
        json!({"kind": "Event", "metadata": {"name": name, "namespace": "default", "uid": format!("e-{name}")},
            "involvedObject": {"uid": about}, "count": count})
    }

    #[test]
    fn waiting_events_read_back_and_reach_sqlite_at_commit_or_a_listing() {
        let dir = tempfile::tempdir().unwrap();
        let (s, _) = Store::open(dir.path()).unwrap();
        s.begin(true).unwrap();
        s.put_expiring(&event("b", "p1", 1), 10).unwrap();
        s.put_expiring(&event("a", "p1", 1), 10).unwrap();
        s.put_expiring(&event("a", "p1", 2), 20).unwrap();
        let stored = |s: &Store| -> i64 {
            s.conn.query_row("SELECT count(*) FROM objects WHERE kind = 'Event'", [], |r| r.get(0)).unwrap()
        };
        assert_eq!(stored(&s), 0, "events wait");
        assert_eq!(s.get("Event", "default", "a").unwrap(), Some(event("a", "p1", 2)));
        assert_eq!(s.list_by_ref("Event", "p1").unwrap(), [event("a", "p1", 2), event("b", "p1", 1)]);
        assert_eq!(stored(&s), 2, "a listing writes them first");
        s.put_expiring(&event("c", "p2", 1), 30).unwrap();
        s.delete("Event", "default", "c").unwrap();
        s.put_expiring(&event("d", "p2", 1), 5).unwrap();
        assert_eq!(s.next_event_expiry().unwrap(), Some(5));
        s.put_expiring(&event("e", "p2", 1), 40).unwrap();
        s.commit().unwrap();
        let names: Vec<String> = s.list("Event", None).unwrap().iter().map(|e| e.name().to_string()).collect();
        assert_eq!(names, ["a", "b", "d", "e"]);
        s.begin(true).unwrap();
        s.put_expiring(&event("f", "p2", 1), 50).unwrap();
        s.rollback().unwrap();
        assert_eq!(s.get("Event", "default", "f").unwrap(), None, "a rolled back event is gone");
    }

    #[test]
    fn an_event_is_found_by_its_reason_and_message_waiting_or_stored() {
        let dir = tempfile::tempdir().unwrap();
        let (s, _) = Store::open(dir.path()).unwrap();
        s.begin(true).unwrap();
        let said = |name: &str, about: &str, reason: &str, message: &str| {
            let mut e = event(name, about, 1);
            e["reason"] = json!(reason);
            e["message"] = json!(message);
            e
        };
        s.put_expiring(&said("a", "p1", "Created", "create \"x\" done"), 10).unwrap();
        s.put_expiring(&said("b", "p1", "Created", "other"), 10).unwrap();
        // The right text in the wrong field is not a match.
        let mut c = said("c", "p1", "Killing", "x");
        c["note"] = json!("\"reason\":\"Created\",\"message\":\"x\"");
        s.put_expiring(&c, 10).unwrap();
        s.put_expiring(&said("d", "p2", "Created", "other"), 10).unwrap();
        assert!(s.pending_events.borrow().holds_ref("p1"));
        let names = |found: Vec<EventFacts>| found.into_iter().map(|f| f.name).collect::<Vec<_>>();
        assert_eq!(names(s.find_events_said("p1", "Created", "create \"x\" done").unwrap()), ["a"]);
        assert!(!s.pending_events.borrow().holds_ref("p1"), "written before the search");
        assert_eq!(names(s.find_events_said("p1", "Created", "other").unwrap()), ["b"]);
        assert_eq!(names(s.find_events_said("p1", "Created", "x").unwrap()), Vec::<String>::new());
        assert_eq!(names(s.find_events_said("p2", "Created", "other").unwrap()), ["d"]);
        s.rollback().unwrap();
    }
}
