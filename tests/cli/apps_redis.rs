//! A Redis StatefulSet (tests/cli/apps/redis.yaml): a primary keeping its keyspace on its
//! volume and a replica following it, driven through redis-cli.

use crate::harness::{assert_text, Cluster};

const MANIFEST: &str = include_str!("apps/redis.yaml");

fn deployed() -> Cluster {
    let c = Cluster::new();
    let f = c.file("redis.yaml", MANIFEST);
    c.ok(&["apply", "-f", &f]);
    c.ok(&["advance", "1m"]);
    c
}

fn cli(c: &Cluster, pod: &str, args: &[&str]) -> crate::harness::Out {
    let mut argv = vec!["exec", pod, "--", "redis-cli"];
    argv.extend_from_slice(args);
    c.run(&argv)
}

#[test]
fn the_server_logs_its_start_and_answers_ping() {
    let c = deployed();
    assert_text(
        &c.ok(&["logs", "redis-0"]),
        "1:C 27 Nov 2026 09:00:00.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n\
         1:C 27 Nov 2026 09:00:00.000 * Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started\n\
         1:C 27 Nov 2026 09:00:00.000 * Configuration loaded\n\
         1:M 27 Nov 2026 09:00:00.000 * monotonic clock: POSIX clock_gettime\n\
         1:M 27 Nov 2026 09:00:00.000 * Running mode=standalone, port=6379.\n\
         1:M 27 Nov 2026 09:00:00.000 * Server initialized\n\
         1:M 27 Nov 2026 09:00:00.000 * Ready to accept connections tcp\n",
    );
    assert_eq!(cli(&c, "redis-0", &["PING"]).stdout, "PONG\n");
    assert_text(&c.ok(&["get", "pod", "redis-0", "--no-headers"]), "redis-0   1/1   Running   0     60s\n");
}

#[test]
fn data_written_survives_the_pod_being_deleted() {
    let c = deployed();
    assert_eq!(cli(&c, "redis-0", &["SET", "greeting", "hello"]).stdout, "OK\n");
    assert_eq!(cli(&c, "redis-0", &["INCR", "visits"]).stdout, "1\n");
    assert_eq!(cli(&c, "redis-0", &["INCR", "visits"]).stdout, "2\n");
    c.ok(&["delete", "pod", "redis-0"]);
    c.ok(&["advance", "30s"]);
    assert_eq!(cli(&c, "redis-0", &["GET", "greeting"]).stdout, "hello\n");
    assert_eq!(cli(&c, "redis-0", &["KEYS", "*"]).stdout, "greeting\nvisits\n");
    let missing = cli(&c, "redis-0", &["GET", "nothing"]);
    assert_eq!((missing.stdout.as_str(), missing.code), ("\n", 0));
    // As on a terminal, `--no-raw` shows the types.
    assert_eq!(cli(&c, "redis-0", &["--no-raw", "GET", "greeting"]).stdout, "\"hello\"\n");
    assert_eq!(cli(&c, "redis-0", &["--no-raw", "GET", "nothing"]).stdout, "(nil)\n");
    assert_eq!(cli(&c, "redis-0", &["--no-raw", "KEYS", "*"]).stdout, "1) \"greeting\"\n2) \"visits\"\n");
    assert_eq!(cli(&c, "redis-0", &["--no-raw", "INCR", "visits"]).stdout, "(integer) 3\n");
}

#[test]
fn keys_expire_in_cluster_time() {
    let c = deployed();
    assert_eq!(cli(&c, "redis-0", &["SET", "session", "abc", "EX", "60"]).stdout, "OK\n");
    c.ok(&["advance", "20s"]);
    assert_eq!(cli(&c, "redis-0", &["TTL", "session"]).stdout, "40\n");
    c.ok(&["advance", "41s"]);
    assert_eq!(cli(&c, "redis-0", &["EXISTS", "session"]).stdout, "0\n");
}

#[test]
fn the_replica_follows_its_primary_and_refuses_writes() {
    let c = deployed();
    cli(&c, "redis-0", &["SET", "greeting", "hello"]);
    assert_eq!(cli(&c, "redis-replica-0", &["GET", "greeting"]).stdout, "hello\n");
    let refused = cli(&c, "redis-replica-0", &["SET", "greeting", "bye"]);
    assert_eq!((refused.stdout.as_str(), refused.code), ("READONLY You can't write against a read only replica.\n", 1));
    assert_eq!(
        cli(&c, "redis-replica-0", &["INFO", "replication"]).stdout,
        "# Replication\r\nrole:slave\r\nmaster_host:redis-0.redis\r\nmaster_port:6379\r\nmaster_link_status:up\r\n\n"
    );
    cli(&c, "redis-0", &["DEL", "greeting"]);
    assert_eq!(cli(&c, "redis-replica-0", &["EXISTS", "greeting"]).stdout, "0\n");
    let unknown = cli(&c, "redis-0", &["FROB", "x"]);
    assert_eq!(unknown.stdout, "ERR unknown command 'FROB', with args beginning with: 'x' \n");
}

#[test]
fn expire_times_and_decrements_that_overflow_are_refused_as_redis_refuses_them() {
    let c = deployed();
    cli(&c, "redis-0", &["SET", "k", "1"]);
    let max = "9223372036854775807";
    assert_eq!(cli(&c, "redis-0", &["EXPIRE", "k", max]).stdout, "ERR invalid expire time in 'expire' command\n");
    assert_eq!(cli(&c, "redis-0", &["SET", "k", "2", "EX", max]).stdout, "ERR invalid expire time in 'set' command\n");
    let min = "-9223372036854775808";
    assert_eq!(cli(&c, "redis-0", &["DECRBY", "k", min]).stdout, "ERR decrement would overflow\n");
    assert_eq!(cli(&c, "redis-0", &["INCRBY", "k", max]).stdout, "ERR increment or decrement would overflow\n");
    assert_eq!(cli(&c, "redis-0", &["GET", "k"]).stdout, "1\n");
    assert_eq!(cli(&c, "redis-0", &["TTL", "k"]).stdout, "-1\n");
}
