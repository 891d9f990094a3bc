//! The schema and its version (`PRAGMA user_version`), migrated forward in order.

use std::path::Path;

use anyhow::{bail, Result};
use rusqlite::Connection;

use super::check;

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
    // 4: when each event expires (the API server's --event-ttl, one hour after its last write);
    // events stored before are given one from their last timestamp.
    "CREATE TABLE event_expiry (
        namespace TEXT NOT NULL,
        name      TEXT NOT NULL,
        at        INTEGER NOT NULL,
        PRIMARY KEY (namespace, name)
    ) WITHOUT ROWID;
    CREATE INDEX event_expiry_at ON event_expiry (at);
    INSERT INTO event_expiry (namespace, name, at)
        SELECT namespace, name, CASE WHEN json_valid(body) THEN COALESCE(CAST(strftime('%s', COALESCE(
            json_extract(body, '$.series.lastObservedTime'), json_extract(body, '$.lastTimestamp'),
            json_extract(body, '$.eventTime'), json_extract(body, '$.metadata.creationTimestamp'))) AS INTEGER), 0)
            ELSE 0 END * 1000 + 3600000
        FROM objects WHERE kind = 'Event';",
    // 5: objects in a rowid table. As a WITHOUT ROWID table its rows (kilobytes of JSON each)
    // lived in the primary key's b-tree, in name order: a large change inserted all over it,
    // rereading and splitting fat pages, and left the file half empty. Rows now append in
    // write order; the key is a small index of its own.
    "ALTER TABLE objects RENAME TO objects_v4;
    CREATE TABLE objects (
        kind      TEXT NOT NULL,
        namespace TEXT NOT NULL,
        name      TEXT NOT NULL,
        uid       TEXT NOT NULL,
        ref       TEXT NOT NULL,
        rv        INTEGER NOT NULL,
        body      TEXT NOT NULL,
        PRIMARY KEY (kind, namespace, name)
    );
    INSERT INTO objects (kind, namespace, name, uid, ref, rv, body)
        SELECT kind, namespace, name, uid, ref, rv, body FROM objects_v4 ORDER BY kind, namespace, name;
    DROP TABLE objects_v4;
    CREATE INDEX objects_ref ON objects (ref, kind) WHERE ref != '';",
    // 6: containers' runtime state (kilobytes each, keyed by random pod uids) in a rowid table,
    // for the reason of version 5.
    "ALTER TABLE runtime RENAME TO runtime_v5;
    CREATE TABLE runtime (
        pod       TEXT NOT NULL,
        container TEXT NOT NULL,
        state     TEXT NOT NULL,
        PRIMARY KEY (pod, container)
    );
    INSERT INTO runtime (pod, container, state) SELECT pod, container, state FROM runtime_v5 ORDER BY pod, container;
    DROP TABLE runtime_v5;",
    // 7: an event's expiry in its own row, not in a table beside it: one write per event (a
    // large change writes ten per pod). Indexed for events only.
    "ALTER TABLE objects ADD COLUMN expires INTEGER NOT NULL DEFAULT 0;
    UPDATE objects SET expires = COALESCE(
        (SELECT at FROM event_expiry e WHERE e.namespace = objects.namespace AND e.name = objects.name), 0)
        WHERE kind = 'Event';
    DROP TABLE event_expiry;
    CREATE INDEX objects_expires ON objects (expires) WHERE kind = 'Event';",
    // 8: a VolumeAttachment is indexed by the name of the volume it attaches (its `ref`), so
    // that a volume's attachments are found without reading every attachment of the cluster.
    "UPDATE objects SET ref = CASE
        WHEN json_valid(body) AND json_type(body, '$.spec.source.persistentVolumeName') = 'text'
        THEN json_extract(body, '$.spec.source.persistentVolumeName') ELSE '' END
        WHERE kind = 'VolumeAttachment';",
];

/// The SQL that builds schema `version` from nothing, as that release of kstate left it.
#[cfg(test)]
pub fn up_to(version: usize) -> String {
    let mut sql: String = MIGRATIONS[..version].concat();
    sql.push_str(&format!(";PRAGMA user_version = {version};"));
    sql
}

/// The schema version this kstate writes.
pub const CURRENT: usize = MIGRATIONS.len();

/// Brings the database at `path` to the current version. Returns true when it was empty (a new
/// cluster). A file that is not a kstate database, or whose upgrade fails, is left as it was.
pub fn migrate(conn: &Connection, path: &Path) -> Result<bool> {
    let version = check::version(conn, path)?;
    if version > CURRENT {
        bail!(
            "the state database has schema version {version}, newer than this kstate understands ({CURRENT}); upgrade kstate"
        );
    }
    if version == CURRENT {
        return Ok(false);
    }
    conn.execute_batch("BEGIN IMMEDIATE").map_err(|e| check::unreadable(path, &e))?;
    let upgraded = upgrade(conn, path);
    if upgraded.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    upgraded
}

/// Runs the missing migrations inside the caller's transaction and commits them.
fn upgrade(conn: &Connection, path: &Path) -> Result<bool> {
    // Another process may have migrated while we waited for the lock.
    let now = check::version(conn, path)?;
    if now == 0 {
        check::unversioned_is_empty(conn, path)?;
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(now) {
        conn.execute_batch(sql).map_err(|e| {
            anyhow::anyhow!(
                "cannot upgrade the state file {} from schema version {i} to {}: {}; it was left untouched",
                path.display(),
                i + 1,
                check::reason(&e)
            )
        })?;
        conn.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    conn.execute_batch("COMMIT")?;
    Ok(now == 0)
}
