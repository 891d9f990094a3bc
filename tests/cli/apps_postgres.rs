//! A PostgreSQL StatefulSet (tests/cli/apps/postgres.yaml): first-start initialization, psql
//! over the socket and over the network, the data kept on the volume across pod deletion.

use crate::harness::{assert_text, Cluster};

const MANIFEST: &str = include_str!("apps/postgres.yaml");

fn deployed() -> Cluster {
    let c = Cluster::new();
    let f = c.file("postgres.yaml", MANIFEST);
    c.ok(&["apply", "-f", &f]);
    c.ok(&["advance", "1m"]);
    c
}

fn psql(c: &Cluster, args: &[&str]) -> crate::harness::Out {
    let mut argv = vec!["exec", "postgres-0", "--", "psql", "-U", "postgres", "-d", "shop"];
    argv.extend_from_slice(args);
    c.run(&argv)
}

#[test]
fn the_first_start_initializes_and_the_server_accepts_connections() {
    let c = deployed();
    let stamp = "2026-11-27 09:00:00.000 UTC";
    assert_text(
        &c.ok(&["logs", "postgres-0"]),
        &format!(
            "\nPostgreSQL init process complete; ready for start up.\n\n\
             {stamp} [1] LOG:  starting PostgreSQL 16.9 (Debian 16.9-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit\n\
             {stamp} [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432\n\
             {stamp} [1] LOG:  listening on IPv6 address \"::\", port 5432\n\
             {stamp} [1] LOG:  listening on Unix socket \"/var/run/postgresql/.s.PGSQL.5432\"\n\
             {stamp} [1] LOG:  database system is ready to accept connections\n"
        ),
    );
    assert_text(&c.ok(&["get", "pod", "postgres-0", "--no-headers"]), "postgres-0   1/1   Running   0     60s\n");
    assert_eq!(c.ok(&["exec", "postgres-0", "--", "pg_isready"]), "/var/run/postgresql:5432 - accepting connections\n");
    let as_root = c.run(&["exec", "postgres-0", "--", "psql", "-c", "SELECT 1"]);
    assert_eq!(as_root.stderr, "psql: error: connection to server on socket \"/var/run/postgresql/.s.PGSQL.5432\" failed: FATAL:  role \"root\" does not exist\ncommand terminated with exit code 2\n");
}

#[test]
fn without_a_password_the_image_refuses_to_initialize() {
    let c = Cluster::new();
    c.ok(&["run", "pg", "--image=postgres:16", "--restart=Never"]);
    c.ok(&["advance", "10s"]);
    assert_text(&c.ok(&["get", "pod", "pg", "--no-headers"]), "pg    0/1   Error   0     10s\n");
    let log = c.ok(&["logs", "pg"]);
    assert!(log.starts_with("Error: Database is uninitialized and superuser password is not specified.\n       You must specify POSTGRES_PASSWORD to a non-empty value for the\n"), "{log}");
}

#[test]
fn rows_written_survive_the_pod_being_deleted_and_are_read_over_the_network() {
    let c = deployed();
    let made = psql(
        &c,
        &["-c", "CREATE TABLE items (id INT, name TEXT)", "-c", "INSERT INTO items VALUES (1, 'apple'), (2, 'pear')"],
    );
    assert_eq!((made.stdout.as_str(), made.code), ("CREATE TABLE\nINSERT 0 2\n", 0));
    c.ok(&["delete", "pod", "postgres-0"]);
    c.ok(&["advance", "30s"]);
    assert_text(
        &c.ok(&["logs", "postgres-0"]).lines().take(3).map(|l| format!("{l}\n")).collect::<String>(),
        "\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n",
    );
    let read = psql(&c, &["-c", "SELECT * FROM items ORDER BY id"]);
    assert_eq!(read.stdout, " id | name  \n----+-------\n  1 | apple\n  2 | pear\n(2 rows)\n\n");
    let remote = c.run(&[
        "run",
        "client",
        "--image=postgres:16",
        "-i",
        "--rm",
        "--restart=Never",
        "--",
        "psql",
        "-h",
        "postgres-0.postgres",
        "-U",
        "postgres",
        "-d",
        "shop",
        "-tA",
        "-c",
        "SELECT name FROM items WHERE id = 2",
    ]);
    assert_eq!(remote.stdout, "pear\npod \"client\" deleted\n");
    let missing = psql(&c, &["-c", "SELECT * FROM nope"]);
    assert_eq!(
        (missing.stderr.as_str(), missing.code),
        ("ERROR:  relation \"nope\" does not exist\nLINE 1: SELECT * FROM nope\n                      ^\ncommand terminated with exit code 1\n", 1)
    );
}

const REPLICATED: &str = include_str!("apps/postgres-replicated.yaml");

#[test]
fn a_replica_cloned_by_pg_basebackup_follows_its_primary_and_refuses_writes() {
    let c = Cluster::new();
    let f = c.file("replicated.yaml", REPLICATED);
    c.ok(&["apply", "-f", &f]);
    c.ok(&["advance", "1m"]);
    assert_text(
        &c.ok(&["get", "pods"]),
        "NAME         READY   STATUS    RESTARTS   AGE\npostgres-0   1/1     Running   0          60s\npostgres-1   1/1     Running   0          60s\n",
    );
    // The primary ran the ConfigMap's init script; the replica's init container cloned it.
    let primary_log = c.ok(&["logs", "postgres-0"]);
    assert!(primary_log.starts_with("\n/usr/local/bin/docker-entrypoint.sh: sourcing /docker-entrypoint-initdb.d/10-replication.sh\n\nPostgreSQL init process complete; ready for start up.\n\n"), "{primary_log}");
    assert_text(
        &c.ok(&["logs", "postgres-1", "-c", "clone"]),
        "++ hostname\n+ [[ postgres-1 =~ -([0-9]+)$ ]]\n+ ordinal=1\n+ [[ 1 -eq 0 ]]\n+ [[ -f /var/lib/postgresql/data/PG_VERSION ]]\n+ pg_basebackup -h postgres-0.postgres -U postgres -D /var/lib/postgresql/data -R -X stream -P\nwaiting for checkpoint\n22840/22840 kB (100%), 0/1 tablespace\n22840/22840 kB (100%), 1/1 tablespace\n",
    );
    let replica_log = c.ok(&["logs", "postgres-1"]);
    assert!(replica_log.contains("[29] LOG:  entering standby mode\n"), "{replica_log}");
    assert!(
        replica_log.contains("[1] LOG:  database system is ready to accept read-only connections\n"),
        "{replica_log}"
    );
    // Rows written on the primary (statements on stdin) are read on the replica.
    let write = c.run_stdin(
        &["exec", "-i", "postgres-0", "--", "psql", "-U", "postgres"],
        "CREATE TABLE items (id INT, name TEXT);\nINSERT INTO items VALUES (1, 'apple'), (2, 'pear');\n",
    );
    assert_eq!((write.stdout.as_str(), write.code), ("CREATE TABLE\nINSERT 0 2\n", 0), "{}", write.stderr);
    let read = c.run(&["exec", "postgres-1", "--", "psql", "-U", "postgres", "-c", "SELECT * FROM items ORDER BY id"]);
    assert_eq!(read.stdout, " id | name  \n----+-------\n  1 | apple\n  2 | pear\n(2 rows)\n\n");
    let refused =
        c.run(&["exec", "postgres-1", "--", "psql", "-U", "postgres", "-c", "INSERT INTO items VALUES (3, 'plum')"]);
    assert_eq!(
        (refused.stderr.as_str(), refused.code),
        (
            "Defaulted container \"postgres\" out of: postgres, clone (init)\nERROR:  cannot execute INSERT in a read-only transaction\ncommand terminated with exit code 1\n",
            1
        )
    );
    let recovery =
        |pod: &str| c.ok(&["exec", pod, "--", "psql", "-U", "postgres", "-c", "SELECT pg_is_in_recovery();"]);
    assert_eq!(recovery("postgres-1"), " pg_is_in_recovery \n-------------------\n t\n(1 row)\n\n");
    assert_eq!(recovery("postgres-0"), " pg_is_in_recovery \n-------------------\n f\n(1 row)\n\n");
    // A later write reaches the replica, also after the replica's pod is recreated.
    c.ok(&["exec", "postgres-0", "--", "psql", "-U", "postgres", "-c", "INSERT INTO items VALUES (3, 'plum')"]);
    c.ok(&["delete", "pod", "postgres-1"]);
    c.ok(&["advance", "30s"]);
    let after = c.ok(&[
        "exec",
        "postgres-1",
        "--",
        "psql",
        "-U",
        "postgres",
        "-tA",
        "-c",
        "SELECT name FROM items ORDER BY id",
    ]);
    assert_eq!(after, "apple\npear\nplum\n");
}

#[test]
fn without_a_replication_line_in_pg_hba_the_clone_is_refused() {
    let c = Cluster::new();
    let without_init =
        REPLICATED.replace("        - name: init\n          mountPath: /docker-entrypoint-initdb.d\n", "");
    let f = c.file("replicated.yaml", &without_init);
    c.ok(&["apply", "-f", &f]);
    c.ok(&["advance", "1m"]);
    let log = c.ok(&["logs", "postgres-1", "-c", "clone"]);
    assert!(
        log.ends_with("pg_basebackup: error: connection to server at \"postgres-0.postgres\" (10.244.0.2), port 5432 failed: FATAL:  no pg_hba.conf entry for replication connection from host \"10.244.1.2\", user \"postgres\", no encryption\n"),
        "{log}"
    );
    assert!(
        c.ok(&["get", "pod", "postgres-1", "--no-headers"]).contains("Init:"),
        "the replica waits in its init container"
    );
}

#[test]
fn the_postgres_walkthrough_replays_green() {
    let doc = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/walkthroughs/postgres-replication.md");
    let c = Cluster::new();
    let out = c.run(&["replay", doc]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.ends_with("passed: 12 command(s) in 1 document(s): 12 ok, 0 drift, 0 failed, 0 skipped\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn psql_lists_databases_and_tables_as_its_meta_commands_do() {
    let c = deployed();
    let none = psql(&c, &["-c", "\\dt"]);
    assert_eq!((none.stdout.as_str(), none.stderr.as_str(), none.code), ("", "Did not find any relations.\n", 0));
    let dt = psql(&c, &["-c", "CREATE TABLE items (id INT, name TEXT)", "-c", "\\dt"]);
    assert_text(
        &dt.stdout,
        "CREATE TABLE\n         List of relations\n Schema | Name  | Type  |  Owner   \n--------+-------+-------+----------\n public | items | table | postgres\n(1 row)\n\n",
    );
    assert_text(
        &c.ok(&["exec", "postgres-0", "--", "psql", "-U", "postgres", "-c", "\\l"]),
        "                                                      List of databases\n   \
         Name    |  Owner   | Encoding | Locale Provider |  Collate   |   Ctype    | ICU Locale | ICU Rules |   Access privileges   \n\
         -----------+----------+----------+-----------------+------------+------------+------------+-----------+-----------------------\n \
         postgres  | postgres | UTF8     | libc            | en_US.utf8 | en_US.utf8 |            |           | \n \
         shop      | postgres | UTF8     | libc            | en_US.utf8 | en_US.utf8 |            |           | \n \
         template0 | postgres | UTF8     | libc            | en_US.utf8 | en_US.utf8 |            |           | =c/postgres          +\n           \
         |          |          |                 |            |            |            |           | postgres=CTc/postgres\n \
         template1 | postgres | UTF8     | libc            | en_US.utf8 | en_US.utf8 |            |           | =c/postgres          +\n           \
         |          |          |                 |            |            |            |           | postgres=CTc/postgres\n\
         (4 rows)\n\n",
    );
    let bad = psql(&c, &["-c", "\\foo"]);
    assert_eq!((bad.stderr.as_str(), bad.code), ("invalid command \\foo\ncommand terminated with exit code 1\n", 1));
}

#[test]
fn errors_point_at_the_place_in_the_statement_as_psql_shows_them() {
    let c = deployed();
    psql(&c, &["-c", "CREATE TABLE items (id INT, name TEXT)"]);
    for (statement, error) in [
        ("SELECT * FROM nope", "ERROR:  relation \"nope\" does not exist\nLINE 1: SELECT * FROM nope\n                      ^\n"),
        ("SELECT nocol FROM items", "ERROR:  column \"nocol\" does not exist\nLINE 1: SELECT nocol FROM items\n               ^\n"),
        ("SELEC 1", "ERROR:  syntax error at or near \"SELEC\"\nLINE 1: SELEC 1\n        ^\n"),
        ("CREATE TABLE items (a int)", "ERROR:  relation \"items\" already exists\n"),
        (
            "SELECT foo()",
            "ERROR:  function foo() does not exist\nLINE 1: SELECT foo()\n               ^\nHINT:  No function matches the given name and argument types. You might need to add explicit type casts.\n",
        ),
    ] {
        let out = psql(&c, &["-c", statement]);
        assert_eq!(out.stderr, format!("{error}command terminated with exit code 1\n"), "{statement}");
    }
}

#[test]
fn psql_prints_every_result_and_a_script_on_stdin_goes_on_after_an_error() {
    let c = deployed();
    assert_text(
        &psql(&c, &["-c", "SELECT 1; SELECT 1 AS one, 2+3, length('ab')"]).stdout,
        " ?column? \n----------\n        1\n(1 row)\n\n one | ?column? | length \n-----+----------+--------\n   1 |        5 |      2\n(1 row)\n\n",
    );
    let script = "CREATE TABLE z (a int);\nSELECT * FROM nope;\nINSERT INTO z VALUES (1), (2);\n\\dt\n";
    let out = c.run_stdin(&["exec", "-i", "postgres-0", "--", "psql", "-U", "postgres", "-d", "shop"], script);
    assert_text(
        &out.stdout,
        "CREATE TABLE\nINSERT 0 2\n        List of relations\n Schema | Name | Type  |  Owner   \n--------+------+-------+----------\n public | z    | table | postgres\n(1 row)\n\n",
    );
    assert_eq!(
        (out.stderr.as_str(), out.code),
        ("ERROR:  relation \"nope\" does not exist\nLINE 1: SELECT * FROM nope;\n                      ^\n", 0)
    );
}
