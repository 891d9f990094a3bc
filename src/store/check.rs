//! Is this file a kstate state database? Checked before anything is written to it, so a file
//! that is empty, truncated, corrupt or someone else's is reported and left as it was.

use std::fs::OpenOptions;
use std::io::{ErrorKind, Read};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use rusqlite::Connection;

/// What SQLite writes first in every database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// How long a file another process has just created may stay empty while it sets it up.
const CREATION_GRACE: Duration = Duration::from_secs(2);

/// Creates the database file when it is missing (exclusively, so one process is its creator),
/// and refuses an existing file that is not an SQLite database.
pub fn before_open(path: &Path) -> Result<()> {
    match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(_) => return Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
        Err(e) => bail!("cannot create {}: {e}", path.display()),
    }
    let started = Instant::now();
    loop {
        let mut head = Vec::with_capacity(16);
        std::fs::File::open(path)
            .and_then(|f| f.take(16).read_to_end(&mut head))
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        if head.as_slice() == SQLITE_MAGIC {
            return Ok(());
        }
        // A sibling process that created the file may not have written its header yet.
        if head.is_empty() && started.elapsed() < CREATION_GRACE {
            std::thread::sleep(Duration::from_millis(20));
            continue;
        }
        let what = if head.is_empty() { "empty (0 bytes)".to_string() } else { "not an SQLite database".to_string() };
        bail!(
            "the state file {} is {what}, so it is not a kstate cluster; it was left untouched (move it away to start a fresh cluster)",
            path.display()
        );
    }
}

/// The schema version, refusing values no kstate writes.
pub fn version(conn: &Connection, path: &Path) -> Result<usize> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| unreadable(path, &e))?;
    usize::try_from(v).map_err(|_| {
        anyhow::anyhow!(
            "the state file {} has schema version {v}, which no kstate writes; it was left untouched",
            path.display()
        )
    })
}

/// Refuses a database that has tables but no kstate schema version, reading both in one
/// snapshot (a sibling process may be creating the cluster meanwhile).
pub fn not_foreign(conn: &Connection, path: &Path) -> Result<()> {
    conn.execute_batch("BEGIN DEFERRED").map_err(|e| unreadable(path, &e))?;
    let checked = version(conn, path).and_then(|v| if v == 0 { unversioned_is_empty(conn, path) } else { Ok(()) });
    let _ = conn.execute_batch("COMMIT");
    checked
}

/// A version-0 database must be empty: tables without a version are someone else's.
pub fn unversioned_is_empty(conn: &Connection, path: &Path) -> Result<()> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| unreadable(path, &e))?;
    if !tables.is_empty() {
        bail!(
            "the state file {} is an SQLite database without a kstate schema version (tables: {}); it was left untouched",
            path.display(),
            tables.join(", ")
        );
    }
    Ok(())
}

/// SQLite's complaint about a damaged file, in words that name the file.
pub fn unreadable(path: &Path, e: &rusqlite::Error) -> anyhow::Error {
    anyhow::anyhow!("the state file {} cannot be read: {}; it was left untouched", path.display(), reason(e))
}

/// SQLite's own words for a failure, without the statement that failed.
pub fn reason(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) | rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::{schema, Store, DB_FILE};
    use rusqlite::Connection;

    /// A state directory whose database file `prepare` wrote; returns it and the file's path.
    fn state(prepare: impl FnOnce(&PathBuf)) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(DB_FILE);
        prepare(&path);
        (dir, path)
    }

    /// Opening fails with `message` (the path written as PATH) and leaves the file as it was.
    fn refused(prepare: impl FnOnce(&PathBuf), message: &str) {
        let (dir, path) = state(prepare);
        let before = std::fs::read(&path).expect("read");
        let err = Store::open(dir.path()).err().expect("refused");
        assert_eq!(format!("{err:#}"), message.replace("PATH", &path.display().to_string()));
        assert!(std::fs::read(&path).expect("read") == before, "the file changed");
    }

    fn sql(path: &PathBuf, statements: &str) {
        Connection::open(path).and_then(|c| c.execute_batch(statements)).expect("prepare the file");
    }

    #[test]
    fn an_empty_file_is_not_a_fresh_cluster() {
        refused(
            |p| std::fs::write(p, b"").expect("write"),
            "the state file PATH is empty (0 bytes), so it is not a kstate cluster; it was left untouched (move it away to start a fresh cluster)",
        );
    }

    #[test]
    fn a_foreign_file_is_refused() {
        refused(
            |p| std::fs::write(p, b"apiVersion: v1\n").expect("write"),
            "the state file PATH is not an SQLite database, so it is not a kstate cluster; it was left untouched (move it away to start a fresh cluster)",
        );
        refused(
            |p| sql(p, "CREATE TABLE notes (x)"),
            "the state file PATH is an SQLite database without a kstate schema version (tables: notes); it was left untouched",
        );
    }

    #[test]
    fn impossible_schema_versions_are_refused() {
        refused(
            |p| sql(p, "PRAGMA user_version = -1"),
            "the state file PATH has schema version -1, which no kstate writes; it was left untouched",
        );
        refused(
            |p| sql(p, "PRAGMA user_version = 99"),
            &format!(
                "the state database has schema version 99, newer than this kstate understands ({}); upgrade kstate",
                schema::CURRENT
            ),
        );
    }

    #[test]
    fn an_older_version_with_newer_tables_is_not_upgraded() {
        let make = |p: &PathBuf| {
            drop(Store::open(p.parent().expect("dir")).expect("fresh"));
            sql(p, "PRAGMA journal_mode = DELETE; PRAGMA user_version = 1");
        };
        refused(
            make,
            "cannot upgrade the state file PATH from schema version 1 to 2: table history already exists; it was left untouched",
        );
    }

    #[test]
    fn a_truncated_file_is_refused() {
        let truncate = |p: &PathBuf| {
            drop(Store::open(p.parent().expect("dir")).expect("fresh"));
            sql(p, "PRAGMA journal_mode = DELETE; CREATE TABLE pad (x); INSERT INTO pad VALUES (zeroblob(100000))");
            let bytes = std::fs::read(p).expect("read");
            std::fs::write(p, &bytes[..bytes.len() / 3]).expect("truncate");
        };
        refused(
            truncate,
            "the state file PATH cannot be read: database disk image is malformed; it was left untouched",
        );
    }

    #[test]
    fn events_stored_before_the_ttl_expire_an_hour_after_their_last_write() {
        let rows = "INSERT INTO objects VALUES ('Event', 'default', 'a', 'u1', '', 1,
                '{\"lastTimestamp\": \"2026-11-27T09:00:00Z\", \"eventTime\": null}');
            INSERT INTO objects VALUES ('Event', 'default', 'b', 'u2', '', 2,
                '{\"eventTime\": \"2026-11-27T09:30:00.000000Z\",
                  \"series\": {\"count\": 2, \"lastObservedTime\": \"2026-11-27T09:45:00.000000Z\"}}');
            INSERT INTO objects VALUES ('Event', 'default', 'c', 'u3', '', 3, 'not json');
            INSERT INTO objects VALUES ('Pod', 'default', 'p', 'u4', '', 4, '{}');";
        let (dir, path) = state(|p| sql(p, &format!("{}{rows}", schema::up_to(3))));
        drop(Store::open(dir.path()).expect("upgrade"));
        let expiry: Vec<(String, i64)> = Connection::open(&path)
            .and_then(|c| {
                let mut st = c.prepare("SELECT name, expires FROM objects WHERE kind = 'Event' ORDER BY name")?;
                let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect()
            })
            .expect("expiry rows");
        // 2026-11-27T10:00:00Z and 10:45:00Z in ms; an unreadable body expires at once.
        let want = [("a", 1_795_773_600_000), ("b", 1_795_776_300_000), ("c", 3_600_000)];
        assert_eq!(expiry, want.map(|(n, at)| (n.to_string(), at)));
    }

    #[test]
    fn objects_move_to_a_rowid_table_with_their_indexes() {
        let rows = "INSERT INTO objects VALUES ('Pod', 'default', 'p', 'u4', 'u1', 4, '{}');
            INSERT INTO objects VALUES ('Event', 'default', 'e', 'u5', 'u4', 5, '{}');";
        let (dir, path) = state(|p| sql(p, &format!("{}{rows}", schema::up_to(4))));
        let (store, _) = Store::open(dir.path()).expect("upgrade");
        assert_eq!(store.list_by_ref("Event", "u4").expect("by ref").len(), 1);
        drop(store);
        let conn = Connection::open(&path).expect("open");
        let table: String =
            conn.query_row("SELECT sql FROM sqlite_master WHERE name = 'objects'", [], |r| r.get(0)).expect("objects");
        assert!(!table.contains("WITHOUT ROWID"), "{table}");
        let names: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'objects' ORDER BY name")
            .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
            .expect("names");
        assert_eq!(names, ["objects", "objects_expires", "objects_ref", "sqlite_autoindex_objects_1"]);
        let stored: Vec<(String, String, i64)> = conn
            .prepare("SELECT kind, ref, rv FROM objects ORDER BY kind")
            .and_then(|mut st| st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect())
            .expect("rows");
        assert_eq!(stored, [("Event".into(), "u4".into(), 5), ("Pod".into(), "u1".into(), 4)]);
    }

    #[test]
    fn runtime_state_moves_to_a_rowid_table() {
        let rows = "INSERT INTO runtime VALUES ('u1', 'app', '{\"a\":1}');";
        let (dir, path) = state(|p| sql(p, &format!("{}{rows}", schema::up_to(5))));
        let (store, _) = Store::open(dir.path()).expect("upgrade");
        assert_eq!(store.runtime("u1", "app").expect("runtime").as_deref(), Some("{\"a\":1}"));
        drop(store);
        let table: String = Connection::open(&path)
            .and_then(|c| c.query_row("SELECT sql FROM sqlite_master WHERE name = 'runtime'", [], |r| r.get(0)))
            .expect("runtime");
        assert!(!table.contains("WITHOUT ROWID"), "{table}");
    }

    #[test]
    fn volume_attachments_are_indexed_by_their_volume() {
        let va = |volume: &str| {
            format!("{{\"kind\":\"VolumeAttachment\",\"spec\":{{\"source\":{{\"persistentVolumeName\":{volume}}}}}}}")
        };
        let rows = format!(
            "INSERT INTO objects (kind, namespace, name, uid, ref, rv, body) VALUES
               ('VolumeAttachment', '', 'csi-a', 'u1', '', 1, '{}'),
               ('VolumeAttachment', '', 'csi-b', 'u2', '', 2, '{}'),
               ('VolumeAttachment', '', 'csi-c', 'u3', '', 3, 'not json'),
               ('Pod', 'default', 'p', 'u4', 'u9', 4, '{{}}');",
            va("\"pv-1\""),
            va("7")
        );
        let (dir, path) = state(|p| sql(p, &format!("{}{rows}", schema::up_to(7))));
        let (store, _) = Store::open(dir.path()).expect("upgrade");
        assert_eq!(store.kinds_by_ref("pv-1").expect("kinds"), ["VolumeAttachment"]);
        drop(store);
        let refs: Vec<(String, String)> = Connection::open(&path)
            .and_then(|c| {
                let mut st = c.prepare("SELECT name, ref FROM objects ORDER BY name")?;
                let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect()
            })
            .expect("refs");
        let want = [("csi-a", "pv-1"), ("csi-b", ""), ("csi-c", ""), ("p", "u9")];
        assert_eq!(refs, want.map(|(n, r)| (n.to_string(), r.to_string())));
    }

    #[test]
    fn every_released_schema_version_upgrades() {
        for version in 0..schema::CURRENT {
            let (dir, path) = state(|p| sql(p, &schema::up_to(version)));
            let (store, fresh) = Store::open(dir.path()).expect("upgrade");
            assert_eq!(fresh, version == 0, "version {version}");
            let now: i64 = Connection::open(&path)
                .and_then(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))
                .expect("version");
            assert_eq!(now as usize, schema::CURRENT);
            drop(store);
        }
    }
}
