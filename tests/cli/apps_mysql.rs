//! The kubernetes.io tutorial "Run a Replicated Stateful Application", command by command, on
//! its own manifests (tests/cli/apps/): MySQL with xtrabackup cloning and replication.

use crate::harness::{assert_text, Cluster};

const CONFIGMAP: &str = include_str!("apps/mysql-configmap.yaml");
const SERVICES: &str = include_str!("apps/mysql-services.yaml");
const STATEFULSET: &str = include_str!("apps/mysql-statefulset.yaml");

fn deployed() -> Cluster {
    let c = Cluster::new();
    for (name, text) in [("cm.yaml", CONFIGMAP), ("svc.yaml", SERVICES), ("sts.yaml", STATEFULSET)] {
        let f = c.file(name, text);
        c.ok(&["apply", "-f", &f]);
    }
    c.ok(&["advance", "2m"]);
    c
}

fn client(c: &Cluster, name: &str, args: &[&str]) -> crate::harness::Out {
    let mut argv = vec!["run", name, "--image=mysql:5.7", "-i", "--rm", "--restart=Never", "--", "mysql"];
    argv.extend_from_slice(args);
    c.run(&argv)
}

#[test]
fn the_set_comes_up_in_order_with_both_containers_ready() {
    let c = deployed();
    assert_text(
        &c.ok(&["get", "pods", "-l", "app=mysql"]),
        "NAME      READY   STATUS    RESTARTS   AGE\nmysql-0   2/2     Running   0          2m\nmysql-1   2/2     Running   0          115s\nmysql-2   2/2     Running   0          110s\n",
    );
    let log = c.ok(&["logs", "mysql-0", "-c", "mysql"]);
    assert!(
        log.starts_with(
            "2026-11-27 09:00:00+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 5.7.44-1.el7 started.\n"
        ),
        "{log}"
    );
    assert!(log.ends_with("2026-11-27T09:00:00.000000Z 0 [Note] mysqld: ready for connections.\nVersion: '5.7.44-log'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server (GPL)\n"), "{log}");
    // The scripts run under `set -ex`: bash's trace goes to the log with their output.
    assert_text(
        &c.ok(&["logs", "mysql-0", "-c", "init-mysql"]),
        "++ hostname\n+ [[ mysql-0 =~ -([0-9]+)$ ]]\n+ ordinal=0\n+ echo '[mysqld]'\n+ echo server-id=100\n+ [[ 0 -eq 0 ]]\n+ cp /mnt/config-map/primary.cnf /mnt/conf.d/\n",
    );
    let log = c.ok(&["logs", "mysql-1", "-c", "xtrabackup"]);
    assert!(
        log.contains("+ echo 'Waiting for mysqld to be ready (accepting connections)'\nWaiting for mysqld to be ready (accepting connections)\n+ mysql -h 127.0.0.1 -e 'SELECT 1'\n1\n1\n+ echo 'Initializing replication from clone position'\nInitializing replication from clone position\n"),
        "{log}"
    );
    assert!(log.ends_with("+ exec ncat --listen --keep-open --send-only --max-conns=1 3307 -c 'xtrabackup --backup --slave-info --stream=xbstream --host=127.0.0.1 --user=root'\n"), "{log}");
}

#[test]
fn writes_to_the_primary_are_read_from_every_replica_through_mysql_read() {
    let c = deployed();
    let write = c.run_stdin(
        &["run", "mysql-client", "--image=mysql:5.7", "-i", "--rm", "--restart=Never", "--", "mysql", "-h", "mysql-0.mysql"],
        "CREATE DATABASE test;\nCREATE TABLE test.messages (message VARCHAR(250));\nINSERT INTO test.messages VALUES ('hello');\n",
    );
    assert_eq!((write.stdout.as_str(), write.code), ("pod \"mysql-client\" deleted\n", 0), "{}", write.stderr);
    let read = client(&c, "mysql-client", &["-h", "mysql-0.mysql", "-e", "SELECT * FROM test.messages"]);
    assert_eq!(read.stdout, "message\nhello\npod \"mysql-client\" deleted\n");
    // mysql-read balances across the three servers; each has the row and its own server id.
    let mut ids = Vec::new();
    for _ in 0..3 {
        let out = client(
            &c,
            "mysql-client-loop",
            &["-h", "mysql-read", "-N", "-e", "SELECT @@server_id; SELECT message FROM test.messages"],
        );
        ids.push(out.stdout.lines().take(2).collect::<Vec<_>>().join(" "));
    }
    ids.sort();
    assert_eq!(ids, ["100 hello", "101 hello", "102 hello"]);
    // Replicas refuse writes with MySQL's error.
    let refused = client(&c, "mysql-client", &["-h", "mysql-1.mysql", "-e", "INSERT INTO test.messages VALUES ('x')"]);
    assert!(refused.stderr.contains("ERROR 1290 (HY000) at line 1: The MySQL server is running with the --super-read-only option so it cannot execute this statement\n"), "{}", refused.stderr);
    assert_eq!(refused.code, 1);
}

#[test]
fn the_boxed_table_on_a_terminal_and_the_readiness_probe_broken_and_mended() {
    let c = deployed();
    // The tutorial runs the client on a terminal (`run -i -t`); `-t` asks for the same table.
    let t = c.ok(&["exec", "mysql-0", "-c", "mysql", "--", "mysql", "-t", "-e", "SELECT @@server_id,NOW()"]);
    assert_text(
        &t,
        "+-------------+---------------------+\n| @@server_id | NOW()               |\n+-------------+---------------------+\n|         100 | 2026-11-27 09:02:00 |\n+-------------+---------------------+\n",
    );
    c.ok(&["exec", "mysql-2", "-c", "mysql", "--", "mv", "/usr/bin/mysql", "/usr/bin/mysql.off"]);
    c.ok(&["advance", "10s"]);
    assert_text(&c.ok(&["get", "pod", "mysql-2", "--no-headers"]), "mysql-2   1/2   Running   0     2m\n");
    c.ok(&["exec", "mysql-2", "-c", "mysql", "--", "mv", "/usr/bin/mysql.off", "/usr/bin/mysql"]);
    c.ok(&["advance", "5s"]);
    assert_text(&c.ok(&["get", "pod", "mysql-2", "--no-headers"]), "mysql-2   2/2   Running   0     2m5s\n");
}

#[test]
fn a_client_run_with_a_terminal_prints_boxed_tables() {
    // `run -i -t` asks for a container with a terminal: the runtime allocates it whatever kubectl's
    // own stdin is (kubectl then attaches without one, saying so), so `mysql -e` boxes its table.
    let c = deployed();
    client(&c, "mysql-client", &["-h", "mysql-0.mysql", "-e", "CREATE DATABASE test; CREATE TABLE test.messages (message VARCHAR(250)); INSERT INTO test.messages VALUES ('hello')"]);
    let read = c.run(&[
        "run",
        "mysql-client",
        "--image=mysql:5.7",
        "-i",
        "-t",
        "--rm",
        "--restart=Never",
        "--",
        "mysql",
        "-h",
        "mysql-read",
        "-e",
        "SELECT * FROM test.messages",
    ]);
    assert_eq!(read.code, 0, "{}", read.stderr);
    assert_text(
        &read.stdout,
        "+---------+\n| message |\n+---------+\n| hello   |\n+---------+\npod \"mysql-client\" deleted\n",
    );
    assert_eq!(read.stderr, "Unable to use a TTY - input is not a terminal or the right kind of file\nIf you don't see a command prompt, try pressing enter.\n");
}

#[test]
fn data_survives_pod_deletion_and_new_replicas_clone_it_when_scaled_to_five() {
    let c = deployed();
    let write = client(&c, "mysql-client", &["-h", "mysql-0.mysql", "-e", "CREATE DATABASE test; CREATE TABLE test.messages (message VARCHAR(250)); INSERT INTO test.messages VALUES ('hello')"]);
    assert_eq!(write.code, 0, "{}", write.stderr);
    c.ok(&["delete", "pod", "mysql-2"]);
    c.ok(&["advance", "1m"]);
    let after = client(&c, "mysql-client", &["-h", "mysql-2.mysql", "-e", "SELECT * FROM test.messages"]);
    assert_eq!(after.stdout, "message\nhello\npod \"mysql-client\" deleted\n");
    c.ok(&["scale", "statefulset", "mysql", "--replicas=5"]);
    c.ok(&["advance", "2m"]);
    for pod in ["mysql-3.mysql", "mysql-4.mysql"] {
        let out = client(&c, "mysql-client", &["-h", pod, "-e", "SELECT * FROM test.messages"]);
        assert_eq!(out.stdout, "message\nhello\npod \"mysql-client\" deleted\n", "{pod}: {}", out.stderr);
    }
    // A row written after the scale reaches the replica that cloned from another replica.
    client(&c, "mysql-client", &["-h", "mysql-0.mysql", "-e", "INSERT INTO test.messages VALUES ('later')"]);
    let out = client(
        &c,
        "mysql-client",
        &["-h", "mysql-4.mysql", "-N", "-e", "SELECT message FROM test.messages ORDER BY message"],
    );
    assert_eq!(out.stdout, "hello\nlater\npod \"mysql-client\" deleted\n", "{}", out.stderr);
}

#[test]
fn draining_the_node_of_a_replica_reschedules_it_and_reads_still_work() {
    // The tutorial ran on GCE nodes sharing a zone; a GKE cluster of six nodes has two per zone, so
    // the zonal disk of mysql-2 can follow its pod to the other node of its zone.
    let c = Cluster::new();
    c.ok(&["init", "--profile", "gke", "--nodes", "6"]);
    for (name, text) in [("cm.yaml", CONFIGMAP), ("svc.yaml", SERVICES), ("sts.yaml", STATEFULSET)] {
        let f = c.file(name, text);
        c.ok(&["apply", "-f", &f]);
    }
    c.ok(&["advance", "2m"]);
    let write = client(&c, "mysql-client", &["-h", "mysql-0.mysql", "-e", "CREATE DATABASE test; CREATE TABLE test.messages (message VARCHAR(250)); INSERT INTO test.messages VALUES ('hello')"]);
    assert_eq!(write.code, 0, "{}", write.stderr);
    assert_text(
        &c.ok(&["get", "pod", "mysql-2", "-o", "wide"]),
        "NAME      READY   STATUS    RESTARTS   AGE    IP           NODE                                    NOMINATED NODE   READINESS GATES\n\
         mysql-2   2/2     Running   0          110s   10.244.2.2   gke-kstate-default-pool-c61f2a47-1by3   <none>           <none>\n",
    );
    let node = "gke-kstate-default-pool-c61f2a47-1by3";
    let drain = c.run(&["drain", node, "--force", "--delete-emptydir-data", "--ignore-daemonsets"]);
    assert_eq!(
        (drain.stdout.as_str(), drain.stderr.as_str(), drain.code),
        (
            "node/gke-kstate-default-pool-c61f2a47-1by3 cordoned\nevicting pod default/mysql-2\npod/mysql-2 evicted\nnode/gke-kstate-default-pool-c61f2a47-1by3 drained\n",
            "Warning: deleting Pods with local storage: default/mysql-2\n",
            0
        )
    );
    c.ok(&["advance", "30s"]);
    // The new mysql-2 runs on the other node of the zone, with a new IP, its data and replication.
    assert_text(
        &c.ok(&["get", "pod", "mysql-2", "-o", "wide"]),
        "NAME      READY   STATUS    RESTARTS   AGE   IP           NODE                                    NOMINATED NODE   READINESS GATES\n\
         mysql-2   2/2     Running   0          30s   10.244.5.2   gke-kstate-default-pool-c61f2a47-1ua0   <none>           <none>\n",
    );
    client(&c, "mysql-client", &["-h", "mysql-0.mysql", "-e", "INSERT INTO test.messages VALUES ('after drain')"]);
    let out = client(
        &c,
        "mysql-client",
        &["-h", "mysql-2.mysql", "-N", "-e", "SELECT @@server_id; SELECT message FROM test.messages"],
    );
    assert_eq!(out.stdout, "102\nhello\nafter drain\npod \"mysql-client\" deleted\n", "{}", out.stderr);
    let mut ids = Vec::new();
    for _ in 0..3 {
        let out = client(&c, "mysql-client-loop", &["-h", "mysql-read", "-N", "-e", "SELECT @@server_id"]);
        ids.push(out.stdout.lines().next().unwrap_or_default().to_string());
    }
    ids.sort();
    assert_eq!(ids, ["100", "101", "102"]);
    assert_eq!(c.ok(&["uncordon", node]), "node/gke-kstate-default-pool-c61f2a47-1by3 uncordoned\n");
    assert_text(
        &c.ok(&["get", "node", node, "--no-headers"]),
        "gke-kstate-default-pool-c61f2a47-1by3   Ready   <none>   2m30s   v1.32.1-gke.1357001\n",
    );
}
