//! The schema and its version (`PRAGMA user_version`), migrated forward in order.

use anyhow::{bail, Result};
use rusqlite::Connection;

/// Each entry upgrades the schema from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: objects, counters, files.
    "CREATE TABLE objects (
        kind      TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name      TEXT NOT NULL,
        uid       TEXT NOT NULL,
        ref       TEXT NOT NULL,
        rv        INTEGER NOT NULL,
        body      TEXT NOT NULL,
        PRIMARY KEY (kind, namespace, name)
    ) WITHOUT ROWID;
    CREATE INDEX objects_ref ON objects (ref, kind) WHERE ref != '';
    CREATE TABLE counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE files (
        volume TEXT NOT NULL,
        path   TEXT NOT NULL,
        parent TEXT NOT NULL,
        kind   INTEGER NOT NULL,
        mode   INTEGER NOT NULL,
        uid    INTEGER NOT NULL,
        gid    INTEGER NOT NULL,
        mtime  INTEGER NOT NULL,
        data   BLOB NOT NULL,
        PRIMARY KEY (volume, path)
    ) WITHOUT ROWID;
    CREATE INDEX files_parent ON files (volume, parent);",
    // 2: the writes of the last command that changed anything, for `get --watch`.
    "CREATE TABLE history (
        seq       INTEGER PRIMARY KEY,
        kind      TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name      TEXT NOT NULL,
        initial   INTEGER NOT NULL,
        body      TEXT
    );",
    // 3: time-driven work (when each object next needs the kubelet) and container processes.
    "CREATE TABLE timers (
        kind      TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name      TEXT NOT NULL,
        at        INTEGER NOT NULL,
        PRIMARY KEY (kind, namespace, name)
    ) WITHOUT ROWID;
    CREATE INDEX timers_at ON timers (at);
    CREATE TABLE runtime (
        pod       TEXT NOT NULL,
        container TEXT NOT NULL,
        state     TEXT NOT NULL,
        PRIMARY KEY (pod, container)
    ) WITHOUT ROWID;",
];

/// Brings the database to the current version. Returns true when it was empty (a new cluster).
pub fn migrate(conn: &Connection) -> Result<bool> {
    let version: usize = conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    if version > MIGRATIONS.len() {
        bail!(
            "the state database has schema version {version}, newer than this kstate understands ({}); upgrade kstate",
            MIGRATIONS.len()
        );
    }
    if version == MIGRATIONS.len() {
        return Ok(false);
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    // Another process may have migrated while we waited for the lock.
    let now: usize = conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))? as usize;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(now) {
        conn.execute_batch(sql)?;
        conn.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    conn.execute_batch("COMMIT")?;
    Ok(now == 0)
}
