//! File contents of volumes and container layers: one row per file, directory or symlink.

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

/// Access to the `files` table within the current transaction.
pub struct FileStore<'c> {
    conn: &'c Connection,
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
    pub(super) fn new(conn: &'c Connection) -> Self {
        FileStore { conn }
    }

    pub fn get(&self, volume: &str, path: &str) -> Result<Option<FileRow>> {
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

    pub fn put(&self, volume: &str, path: &str, row: &FileRow) -> Result<()> {
        let mut st = self.conn.prepare_cached(
            "INSERT OR REPLACE INTO files (volume, path, parent, kind, mode, uid, gid, mtime, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        st.execute(params![volume, path, parent_of(path), row.kind, row.mode, row.uid, row.gid, row.mtime, row.data])?;
        Ok(())
    }

    pub fn remove(&self, volume: &str, path: &str) -> Result<()> {
        let mut st = self.conn.prepare_cached("DELETE FROM files WHERE volume = ?1 AND path = ?2")?;
        st.execute(params![volume, path])?;
        Ok(())
    }

    /// Names directly under `dir`, sorted.
    pub fn children(&self, volume: &str, dir: &str) -> Result<Vec<String>> {
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
        let mut st = self.conn.prepare_cached("SELECT COALESCE(SUM(length(data)), 0) FROM files WHERE volume = ?1")?;
        Ok(st.query_row(params![volume], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Deletes every volume whose id starts with `prefix` (all of a dead pod's volumes).
    /// A range over the primary key, so the cost is the rows deleted, not the size of the table.
    pub fn drop_prefix(&self, prefix: &str) -> Result<()> {
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
        self.drop_volume(to)?;
        let mut st = self.conn.prepare_cached("UPDATE files SET volume = ?2 WHERE volume = ?1")?;
        st.execute(params![from, to])?;
        Ok(())
    }

    /// Makes `to` an exact copy of `from` (a snapshot of a disk, a disk restored from a snapshot or
    /// cloned), replacing what `to` held, in one statement inside SQLite.
    pub fn copy_volume(&self, from: &str, to: &str) -> Result<()> {
        self.drop_volume(to)?;
        let mut st = self.conn.prepare_cached(
            "INSERT INTO files (volume, path, parent, kind, mode, uid, gid, mtime, data)
             SELECT ?2, path, parent, kind, mode, uid, gid, mtime, data FROM files WHERE volume = ?1",
        )?;
        st.execute(params![from, to])?;
        Ok(())
    }

    /// Deletes a whole volume (a reclaimed disk, a dead pod's layer).
    pub fn drop_volume(&self, volume: &str) -> Result<()> {
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
        FileStore::put(self, volume, path, &row)
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

    fn store() -> Connection {
        let conn = Connection::open_in_memory().expect("memory db");
        conn.execute_batch(
            "CREATE TABLE files (volume TEXT, path TEXT, parent TEXT, kind INTEGER, mode INTEGER, uid INTEGER,
                                 gid INTEGER, mtime INTEGER, data BLOB, PRIMARY KEY (volume, path))",
        )
        .expect("schema");
        conn
    }

    #[test]
    fn copies_are_independent_of_their_source() {
        let conn = store();
        let files = FileStore::new(&conn);
        let row = |data: &[u8]| FileRow { kind: 0, mode: 0o644, uid: 0, gid: 0, mtime: 1, data: data.to_vec() };
        files.put("pv/a", "/x", &row(b"one")).expect("put");
        files.put("pv/b", "/stale", &row(b"old")).expect("put");
        files.copy_volume("pv/a", "pv/b").expect("copy");
        files.put("pv/a", "/x", &row(b"two")).expect("put");
        assert_eq!(files.get("pv/b", "/x").expect("get").map(|r| r.data), Some(b"one".to_vec()));
        assert_eq!(files.get("pv/b", "/stale").expect("get"), None);
        assert_eq!(files.get("pv/a", "/x").expect("get").map(|r| r.data), Some(b"two".to_vec()));
    }

    #[test]
    fn dropping_a_prefix_keeps_its_neighbours() {
        let conn = store();
        let files = FileStore::new(&conn);
        let row = FileRow { kind: 0, mode: 0o644, uid: 0, gid: 0, mtime: 1, data: b"x".to_vec() };
        for volume in ["layer/u1", "layer/u1/", "layer/u1/c/rootfs", "layer/u1/é", "layer/u10/c", "layer/u10"] {
            files.put(volume, "/f", &row).expect("put");
        }
        files.drop_prefix("layer/u1/").expect("drop");
        let left: Vec<String> =
            ["layer/u1", "layer/u1/", "layer/u1/c/rootfs", "layer/u1/é", "layer/u10/c", "layer/u10"]
                .into_iter()
                .filter(|v| files.get(v, "/f").expect("get").is_some())
                .map(String::from)
                .collect();
        assert_eq!(left, ["layer/u1", "layer/u10/c", "layer/u10"]);
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
