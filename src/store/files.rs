//! File contents of volumes and container layers: one row per file, directory or symlink.
//!
//! Writes wait in a buffer, sorted by volume and path, and reach SQLite in order when it fills,
//! before a whole-volume operation, and at commit. Containers write their files in the order
//! their pods start, scattered over the table's key (volume ids begin with random pod uids);
//! written in key order, neighbouring rows share pages (scaling to 10,000 pods writes 130,000
//! rows: SQLite splits and reloads far fewer pages).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::hash::BuildHasher;

use foldhash::HashSet;

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// One stored filesystem entry, as the simulated container sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub kind: i64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub mtime: i64,
    pub data: Vec<u8>,
}

/// Hashes the ids of written volumes (a fixed seed: the set lives for one transaction).
const WRITTEN_HASH: foldhash::fast::FixedState = foldhash::fast::FixedState::with_seed(0);

/// Most buffered writes before they go to SQLite: a few megabytes at most, and enough for most
/// pages to take several rows per visit.
const FLUSH_AT: usize = 16_384;

/// Writes not yet in SQLite, by volume then path; `None` removes the row.
#[derive(Debug, Default)]
pub(super) struct Pending {
    volumes: BTreeMap<String, BTreeMap<String, Option<FileRow>>>,
    len: usize,
    /// Volumes with no row in SQLite (see [`FileStore::note_unstored`]): a read the buffer
    /// cannot answer finds nothing without asking.
    unstored: HashSet<String>,
    /// Hashes of the volumes this transaction wrote to SQLite, which can no longer be noted
    /// unstored (a collision only costs a query).
    written: HashSet<u64>,
}

impl Pending {
    /// Forgets every buffered write (the transaction ended without them).
    pub(super) fn clear(&mut self) {
        *self = Pending::default();
    }

    /// `volume` has rows in SQLite from now on.
    fn stored(&mut self, volume: &str) {
        self.unstored.remove(volume);
        self.written.insert(WRITTEN_HASH.hash_one(volume));
    }

    /// Takes the buffered writes of the volumes from `from` on (in order) while `more` holds.
    fn take(&mut self, from: &str, more: impl Fn(&str) -> bool) -> Vec<(String, BTreeMap<String, Option<FileRow>>)> {
        let names: Vec<String> = self
            .volumes
            .range::<str, _>((std::ops::Bound::Included(from), std::ops::Bound::Unbounded))
            .map(|(v, _)| v)
            .take_while(|v| more(v))
            .cloned()
            .collect();
        let taken: Vec<_> = names.into_iter().filter_map(|v| self.volumes.remove_entry(&v)).collect();
        self.len -= taken.iter().map(|(_, m)| m.len()).sum::<usize>();
        taken
    }
}

/// Access to the `files` table within the current transaction.
pub struct FileStore<'c> {
    conn: &'c Connection,
    pending: &'c RefCell<Pending>,
}

fn parent_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) if path.len() > 1 => "/",
        Some(0) | None => "",
        Some(i) => &path[..i],
    }
}

/// The smallest string greater than every string starting with `prefix` (in SQLite's binary
/// collation, which orders UTF-8 by bytes, as Rust orders `str`), when there is one.
fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = (last as u32 + 1..=char::MAX as u32).find_map(char::from_u32);
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

impl<'c> FileStore<'c> {
    pub(super) fn new(conn: &'c Connection, pending: &'c RefCell<Pending>) -> Self {
        FileStore { conn, pending }
    }

    pub fn get(&self, volume: &str, path: &str) -> Result<Option<FileRow>> {
        {
            let pending = self.pending.borrow();
            if let Some(slot) = pending.volumes.get(volume).and_then(|files| files.get(path)) {
                return Ok(slot.clone());
            }
            if pending.unstored.contains(volume) {
                return Ok(None);
            }
        }
        let mut st = self
            .conn
            .prepare_cached("SELECT kind, mode, uid, gid, mtime, data FROM files WHERE volume = ?1 AND path = ?2")?;
        Ok(st
            .query_row(params![volume, path], |r| {
                Ok(FileRow {
                    kind: r.get(0)?,
                    mode: r.get(1)?,
                    uid: r.get(2)?,
                    gid: r.get(3)?,
                    mtime: r.get(4)?,
                    data: r.get(5)?,
                })
            })
            .optional()?)
    }

    pub fn put(&self, volume: &str, path: &str, row: FileRow) -> Result<()> {
        self.buffer(volume, path, Some(row))
    }

    pub fn remove(&self, volume: &str, path: &str) -> Result<()> {
        self.buffer(volume, path, None)
    }

    fn buffer(&self, volume: &str, path: &str, slot: Option<FileRow>) -> Result<()> {
        let full = {
            let mut pending = self.pending.borrow_mut();
            let files = match pending.volumes.get_mut(volume) {
                Some(files) => files,
                None => pending.volumes.entry(volume.to_string()).or_default(),
            };
            let added = files.insert(path.to_string(), slot).is_none();
            pending.len += usize::from(added);
            pending.len >= FLUSH_AT
        };
        if full {
            self.flush()?;
        }
        Ok(())
    }

    /// Notes that `volume` has no row in SQLite, as its owner (a pod, a claim) was created in
    /// this transaction: reads of it the buffer cannot answer need no query (a new pod's first
    /// look at each of its volumes was one). Ignored for a volume this transaction has written.
    pub fn note_unstored(&self, volume: &str) {
        let mut pending = self.pending.borrow_mut();
        if !pending.written.contains(&WRITTEN_HASH.hash_one(volume)) {
            pending.unstored.insert(volume.to_string());
        }
    }

    /// Writes every buffered change to SQLite, in key order.
    pub fn flush(&self) -> Result<()> {
        let volumes = {
            let mut pending = self.pending.borrow_mut();
            pending.len = 0;
            std::mem::take(&mut pending.volumes)
        };
        self.write(volumes.into_iter().collect())
    }

    /// Writes the buffered changes of one volume, before a statement reads it as a whole.
    fn flush_volume(&self, volume: &str) -> Result<()> {
        let taken = self.pending.borrow_mut().take(volume, |v| v == volume);
        self.write(taken)
    }

    fn write(&self, taken: Vec<(String, BTreeMap<String, Option<FileRow>>)>) -> Result<()> {
        if taken.is_empty() {
            return Ok(());
        }
        let mut insert = self.conn.prepare_cached(
            "INSERT OR REPLACE INTO files (volume, path, parent, kind, mode, uid, gid, mtime, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut delete = self.conn.prepare_cached("DELETE FROM files WHERE volume = ?1 AND path = ?2")?;
        for (volume, files) in &taken {
            self.pending.borrow_mut().stored(volume);
            for (path, slot) in files {
                match slot {
                    Some(r) => insert.execute(params![
                        volume,
                        path,
                        parent_of(path),
                        r.kind,
                        r.mode,
                        r.uid,
                        r.gid,
                        r.mtime,
                        r.data
                    ])?,
                    None => delete.execute(params![volume, path])?,
                };
            }
        }
        Ok(())
    }

    /// Names directly under `dir`, sorted.
    pub fn children(&self, volume: &str, dir: &str) -> Result<Vec<String>> {
        self.flush_volume(volume)?;
        let mut st =
            self.conn.prepare_cached("SELECT path FROM files WHERE volume = ?1 AND parent = ?2 ORDER BY path")?;
        let rows = st.query_map(params![volume, dir], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for p in rows {
            let p = p?;
            out.push(p.rsplit('/').next().unwrap_or_default().to_string());
        }
        out.sort();
        Ok(out)
    }

    pub fn used_bytes(&self, volume: &str) -> Result<u64> {
        self.flush_volume(volume)?;
        let mut st = self.conn.prepare_cached("SELECT COALESCE(SUM(length(data)), 0) FROM files WHERE volume = ?1")?;
        Ok(st.query_row(params![volume], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Deletes every volume whose id starts with `prefix` (all of a dead pod's volumes).
    /// A range over the primary key, so the cost is the rows deleted, not the size of the table.
    pub fn drop_prefix(&self, prefix: &str) -> Result<()> {
        // Buffered writes of those volumes go with them, unwritten.
        self.pending.borrow_mut().take(prefix, |v| v.starts_with(prefix));
        match prefix_end(prefix) {
            Some(end) => {
                let mut st = self.conn.prepare_cached("DELETE FROM files WHERE volume >= ?1 AND volume < ?2")?;
                st.execute(params![prefix, end])?;
            }
            None => {
                let mut st = self.conn.prepare_cached("DELETE FROM files WHERE substr(volume, 1, length(?1)) = ?1")?;
                st.execute(params![prefix])?;
            }
        }
        Ok(())
    }

    /// Gives a volume's files to another volume id, replacing what that one held.
    pub fn rename_volume(&self, from: &str, to: &str) -> Result<()> {
        self.flush_volume(from)?;
        self.drop_volume(to)?;
        let mut st = self.conn.prepare_cached("UPDATE files SET volume = ?2 WHERE volume = ?1")?;
        st.execute(params![from, to])?;
        self.pending.borrow_mut().stored(to);
        Ok(())
    }

    /// Makes `to` an exact copy of `from` (a snapshot of a disk, a disk restored from a snapshot or
    /// cloned), replacing what `to` held, in one statement inside SQLite.
    pub fn copy_volume(&self, from: &str, to: &str) -> Result<()> {
        self.flush_volume(from)?;
        self.drop_volume(to)?;
        let mut st = self.conn.prepare_cached(
            "INSERT INTO files (volume, path, parent, kind, mode, uid, gid, mtime, data)
             SELECT ?2, path, parent, kind, mode, uid, gid, mtime, data FROM files WHERE volume = ?1",
        )?;
        st.execute(params![from, to])?;
        self.pending.borrow_mut().stored(to);
        Ok(())
    }

    /// Deletes a whole volume (a reclaimed disk, a dead pod's layer).
    pub fn drop_volume(&self, volume: &str) -> Result<()> {
        let unstored = {
            let mut pending = self.pending.borrow_mut();
            pending.take(volume, |v| v == volume);
            pending.unstored.contains(volume)
        };
        if unstored {
            return Ok(());
        }
        let mut st = self.conn.prepare_cached("DELETE FROM files WHERE volume = ?1")?;
        st.execute(params![volume])?;
        Ok(())
    }
}

/// The simulated container reads and writes volumes through the store.
impl crate::exec::Backing for FileStore<'_> {
    fn get(&mut self, volume: &str, path: &str) -> Result<Option<crate::exec::Entry>> {
        Ok(FileStore::get(self, volume, path)?.map(|r| crate::exec::Entry {
            kind: kind_of(r.kind),
            mode: r.mode,
            uid: r.uid,
            gid: r.gid,
            mtime: r.mtime,
            data: r.data,
        }))
    }

    fn put(&mut self, volume: &str, path: &str, e: &crate::exec::Entry) -> Result<()> {
        let row = FileRow {
            kind: code_of(e.kind),
            mode: e.mode,
            uid: e.uid,
            gid: e.gid,
            mtime: e.mtime,
            data: e.data.clone(),
        };
        FileStore::put(self, volume, path, row)
    }

    fn remove(&mut self, volume: &str, path: &str) -> Result<()> {
        FileStore::remove(self, volume, path)
    }

    fn children(&mut self, volume: &str, dir: &str) -> Result<Vec<String>> {
        FileStore::children(self, volume, dir)
    }

    fn used_bytes(&mut self, volume: &str) -> Result<u64> {
        FileStore::used_bytes(self, volume)
    }
}

/// How entry kinds are stored in the `kind` column.
fn code_of(kind: crate::exec::EntryKind) -> i64 {
    use crate::exec::EntryKind::*;
    match kind {
        File => 0,
        Dir => 1,
        Symlink => 2,
        Whiteout => 3,
    }
}

fn kind_of(code: i64) -> crate::exec::EntryKind {
    use crate::exec::EntryKind::*;
    match code {
        1 => Dir,
        2 => Symlink,
        3 => Whiteout,
        _ => File,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (Connection, RefCell<Pending>) {
        let conn = Connection::open_in_memory().expect("memory db");
        conn.execute_batch(
            "CREATE TABLE files (volume TEXT, path TEXT, parent TEXT, kind INTEGER, mode INTEGER, uid INTEGER,
                                 gid INTEGER, mtime INTEGER, data BLOB, PRIMARY KEY (volume, path))",
        )
        .expect("schema");
        (conn, RefCell::default())
    }

    #[test]
    fn an_unstored_volume_is_read_from_the_buffer_until_it_is_written() {
        let (conn, pending) = store();
        let files = FileStore::new(&conn, &pending);
        // A row SQLite holds behind the store's back shows which reads still ask it.
        let sneak = |volume: &str| {
            conn.execute("INSERT INTO files VALUES (?1, '/s', '/', 0, 0, 0, 0, 0, x'')", params![volume])
                .expect("insert");
        };
        files.note_unstored("layer/new");
        sneak("layer/new");
        assert_eq!(files.get("layer/new", "/s").expect("get"), None);
        files.put("layer/new", "/f", row(b"x")).expect("put");
        assert!(files.get("layer/new", "/f").expect("get").is_some());
        files.flush().expect("flush");
        assert!(files.get("layer/new", "/s").expect("get").is_some(), "written: SQLite is asked again");
        // Noting it again changes nothing once it was written.
        files.note_unstored("layer/new");
        assert!(files.get("layer/new", "/s").expect("get").is_some());
        // Dropping an unstored volume drops its buffered rows.
        files.note_unstored("pv/fresh");
        files.put("pv/fresh", "/", row(b"")).expect("put");
        files.drop_volume("pv/fresh").expect("drop");
        assert_eq!(files.get("pv/fresh", "/").expect("get"), None);
        // A volume that receives a copy holds stored rows.
        files.note_unstored("pv/copy");
        files.copy_volume("layer/new", "pv/copy").expect("copy");
        assert!(files.get("pv/copy", "/f").expect("get").is_some());
        // A rolled-back transaction forgets what it noted.
        files.note_unstored("pv/later");
        pending.borrow_mut().clear();
        sneak("pv/later");
        assert!(files.get("pv/later", "/s").expect("get").is_some());
    }

    #[test]
    fn copies_are_independent_of_their_source() {
        let (conn, pending) = store();
        let files = FileStore::new(&conn, &pending);
        files.put("pv/a", "/x", row(b"one")).expect("put");
        files.put("pv/b", "/stale", row(b"old")).expect("put");
        files.copy_volume("pv/a", "pv/b").expect("copy");
        files.put("pv/a", "/x", row(b"two")).expect("put");
        assert_eq!(files.get("pv/b", "/x").expect("get").map(|r| r.data), Some(b"one".to_vec()));
        assert_eq!(files.get("pv/b", "/stale").expect("get"), None);
        assert_eq!(files.get("pv/a", "/x").expect("get").map(|r| r.data), Some(b"two".to_vec()));
    }

    #[test]
    fn dropping_a_prefix_keeps_its_neighbours() {
        let (conn, pending) = store();
        let files = FileStore::new(&conn, &pending);
        let volumes = ["layer/u1", "layer/u1/", "layer/u1/c/rootfs", "layer/u1/é", "layer/u10/c", "layer/u10"];
        // Once with the rows in SQLite, once with them still buffered.
        for flushed in [true, false] {
            for volume in volumes {
                files.put(volume, "/f", row(b"x")).expect("put");
            }
            if flushed {
                files.flush().expect("flush");
            }
            files.drop_prefix("layer/u1/").expect("drop");
            let left: Vec<&str> = volumes.into_iter().filter(|v| files.get(v, "/f").expect("get").is_some()).collect();
            assert_eq!(left, ["layer/u1", "layer/u10/c", "layer/u10"], "flushed: {flushed}");
        }
    }

    fn row(data: &[u8]) -> FileRow {
        FileRow { kind: 0, mode: 0o644, uid: 0, gid: 0, mtime: 1, data: data.to_vec() }
    }

    fn stored(conn: &Connection) -> Vec<(String, String, Vec<u8>)> {
        let mut st = conn.prepare("SELECT volume, path, data FROM files ORDER BY rowid").expect("prepare");
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).expect("query");
        rows.map(|r| r.expect("row")).collect()
    }

    #[test]
    fn buffered_writes_read_back_and_reach_sqlite_in_key_order_at_flush() {
        let (conn, pending) = store();
        let files = FileStore::new(&conn, &pending);
        files.put("v/b", "/x", row(b"1")).expect("put");
        files.put("v/a", "/y", row(b"2")).expect("put");
        files.put("v/a", "/x", row(b"3")).expect("put");
        assert_eq!(stored(&conn), []);
        assert_eq!(files.get("v/a", "/y").expect("get"), Some(row(b"2")));
        files.flush().expect("flush");
        let want = |v: &str, p: &str, d: &[u8]| (v.to_string(), p.to_string(), d.to_vec());
        assert_eq!(stored(&conn), [want("v/a", "/x", b"3"), want("v/a", "/y", b"2"), want("v/b", "/x", b"1")]);
        files.remove("v/a", "/x").expect("remove");
        assert_eq!(files.get("v/a", "/x").expect("get"), None, "a buffered removal hides the stored row");
        files.flush().expect("flush");
        assert_eq!(stored(&conn), [want("v/a", "/y", b"2"), want("v/b", "/x", b"1")]);
    }

    #[test]
    fn whole_volume_reads_see_buffered_writes_of_that_volume() {
        let (conn, pending) = store();
        let files = FileStore::new(&conn, &pending);
        files.put("v", "/a", row(b"12")).expect("put");
        files.flush().expect("flush");
        files.put("v", "/b", row(b"345")).expect("put");
        files.remove("v", "/a").expect("remove");
        files.put("w", "/c", row(b"6")).expect("put");
        assert_eq!(files.children("v", "/").expect("children"), ["b"]);
        assert_eq!(files.used_bytes("v").expect("used"), 3);
        assert_eq!(pending.borrow().len, 1, "only the volume read was written");
        files.rename_volume("w", "z").expect("rename");
        assert_eq!(files.get("z", "/c").expect("get"), Some(row(b"6")));
        files.put("z", "/d", row(b"7")).expect("put");
        files.drop_volume("z").expect("drop");
        files.flush().expect("flush");
        assert_eq!(files.get("z", "/d").expect("get"), None, "a dropped volume's buffered writes are gone");
        assert_eq!(files.get("z", "/c").expect("get"), None);
    }

    #[test]
    fn a_full_buffer_goes_to_sqlite() {
        let (conn, pending) = store();
        let files = FileStore::new(&conn, &pending);
        for i in 0..FLUSH_AT {
            files.put("v", &format!("/{i}"), row(b"")).expect("put");
        }
        assert_eq!(pending.borrow().len, 0);
        assert_eq!(stored(&conn).len(), FLUSH_AT);
    }

    #[test]
    fn prefix_ends() {
        assert_eq!(prefix_end("a/").as_deref(), Some("a0"));
        assert_eq!(prefix_end("").as_deref(), None);
        assert_eq!(prefix_end("a\u{10FFFF}").as_deref(), Some("b"));
    }

    #[test]
    fn parents() {
        assert_eq!(parent_of("/"), "");
        assert_eq!(parent_of("/a"), "/");
        assert_eq!(parent_of("/a/b"), "/a");
    }
}
