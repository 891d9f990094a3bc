"""The floor for a large change: the time SQLite itself takes to insert the rows a kstate command
ended up writing, in one transaction, from Python's sqlite3 (no JSON work, no controllers).

    python3 tests/bench/raw_insert.py STATE_DIR/cluster.db    prints milliseconds

It copies every row of the objects, files and runtime tables of the given database into a fresh
database with the same schema and page size, timing only the inserts and the commit.
"""
import os
import sqlite3
import sys
import tempfile
import time

TABLES = ("objects", "files", "runtime")


def main(path):
    src = sqlite3.connect(path)
    schema = [sql for (name, sql) in src.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")
              if not name.startswith("sqlite_")]
    rows = {t: src.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES}
    with tempfile.TemporaryDirectory() as d:
        dst = sqlite3.connect(os.path.join(d, "raw.db"), isolation_level=None)
        page_size = src.execute("PRAGMA page_size").fetchone()[0]
        dst.execute(f"PRAGMA page_size={int(page_size)}")
        dst.execute("PRAGMA journal_mode=WAL")
        for sql in schema:
            dst.execute(sql)
        t0 = time.perf_counter()
        dst.execute("BEGIN IMMEDIATE")
        for t, data in rows.items():
            if data:
                marks = ",".join("?" * len(data[0]))
                dst.executemany(f"INSERT INTO {t} VALUES ({marks})", data)
        dst.execute("COMMIT")
        elapsed = time.perf_counter() - t0
    print(f"{elapsed * 1000:.1f}")


if __name__ == "__main__":
    main(sys.argv[1])
