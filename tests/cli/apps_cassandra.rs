//! The kubernetes.io tutorial "Example: Deploying Cassandra with a StatefulSet", on its
//! manifest (tests/cli/apps/cassandra.yaml; the tutorial's minikube StorageClass left out).

use crate::harness::{assert_text, Cluster};

const MANIFEST: &str = include_str!("apps/cassandra.yaml");

fn deployed() -> Cluster {
    let c = Cluster::new();
    let f = c.file("cassandra.yaml", MANIFEST);
    c.ok(&["apply", "-f", &f]);
    c.ok(&["advance", "3m"]);
    c
}

const HEADER: &str = "Datacenter: DC1-K8Demo\n======================\nStatus=Up/Down\n|/ State=Normal/Leaving/Joining/Moving\n--  Address     Load       Tokens       Owns (effective)  Host ID                               Rack\n";

#[test]
fn the_ring_forms_as_the_members_start_and_every_member_is_up_and_normal() {
    let c = deployed();
    assert_text(&c.ok(&["get", "statefulset", "cassandra"]), "NAME        READY   AGE\ncassandra   3/3     3m\n");
    assert_text(&c.ok(&["logs", "cassandra-0"]), "Starting Cassandra on 10.244.0.2\n");
    let status = c.ok(&["exec", "cassandra-0", "--", "nodetool", "status"]);
    assert_text(
        &status,
        &format!(
            "{HEADER}\
             UN  10.244.0.2  103.61 KiB  32           33.3%             bd985b25-89d3-dadf-4857-6aaeca3db417  Rack1-K8Demo\n\
             UN  10.244.1.2  103.61 KiB  32           33.3%             508dcf1b-db4f-4fde-51c7-0f27c12def4c  Rack1-K8Demo\n\
             UN  10.244.2.2  103.61 KiB  32           33.3%             76a32852-00e5-0e59-a051-32352128cee4  Rack1-K8Demo\n"
        ),
    );
    // Every member sees the same ring.
    for pod in ["cassandra-1", "cassandra-2"] {
        assert_eq!(c.ok(&["exec", pod, "--", "nodetool", "status"]), status, "{pod}");
    }
}

#[test]
fn a_member_that_is_gone_shows_down_and_cqlsh_needs_the_dev_image() {
    let c = deployed();
    c.ok(&["scale", "statefulset", "cassandra", "--replicas=2"]);
    c.ok(&["advance", "1m"]);
    let status = c.ok(&["exec", "cassandra-0", "--", "nodetool", "status"]);
    assert!(status.ends_with("DN  10.244.2.2  103.61 KiB  32           33.3%             76a32852-00e5-0e59-a051-32352128cee4  Rack1-K8Demo\n"), "{status}");
    // The image ships Cassandra's `cqlsh` script, but only its `-dev` build has a Python.
    let cqlsh = c.run(&["exec", "cassandra-0", "--", "cqlsh"]);
    assert_eq!(
        (cqlsh.stderr.as_str(), cqlsh.code),
        ("No appropriate python interpreter found.\ncommand terminated with exit code 1\n", 1)
    );
}

/// The tutorial's set on the image's `-dev` build, which has the Python cqlsh needs.
fn deployed_dev() -> Cluster {
    let c = Cluster::new();
    let f = c.file("cassandra.yaml", &MANIFEST.replace("cassandra:v13\n", "cassandra:v13-dev\n"));
    c.ok(&["apply", "-f", &f]);
    c.ok(&["advance", "3m"]);
    c
}

#[test]
fn cqlsh_creates_a_keyspace_and_a_table_and_every_member_reads_the_rows() {
    let c = deployed_dev();
    let made = c.run(&[
        "exec",
        "cassandra-0",
        "--",
        "cqlsh",
        "-e",
        "CREATE KEYSPACE demo WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3};",
    ]);
    assert_eq!((made.stdout.as_str(), made.stderr.as_str(), made.code), ("", "", 0));
    let script = "USE demo;\nCREATE TABLE users (id int PRIMARY KEY, name text, city text);\n\
                  INSERT INTO users (id, name, city) VALUES (5, 'eve', 'Oslo');\n\
                  INSERT INTO users (id, name, city) VALUES (1, 'alice', 'Beijing');\n\
                  INSERT INTO users (id, name, city) VALUES (2, 'bob', 'Paris');\n\
                  INSERT INTO users (id, name) VALUES (4, 'dan');\n\
                  SELECT * FROM users;\n";
    let out = c.run_stdin(&["exec", "-i", "cassandra-1", "--", "cqlsh"], script);
    // Rows come in token order (Murmur3 of the key: 5, 1, 2, 4), values right-aligned.
    assert_text(
        &out.stdout,
        "\n id | city    | name\n----+---------+-------\n  5 |    Oslo |   eve\n  1 | Beijing | alice\n  2 |   Paris |   bob\n  4 |    null |   dan\n\n(4 rows)\n",
    );
    assert_eq!((out.stderr.as_str(), out.code), ("", 0));
    // Another member, and a member reached over the network, read the same rows.
    assert_text(
        &c.ok(&["exec", "cassandra-2", "--", "cqlsh", "-e", "SELECT name FROM demo.users WHERE id = 2"]),
        "\n name\n------\n  bob\n\n(1 rows)\n",
    );
    assert_text(
        &c.ok(&[
            "exec",
            "cassandra-2",
            "--",
            "cqlsh",
            "cassandra-0.cassandra",
            "-k",
            "demo",
            "-e",
            "SELECT id FROM users WHERE id = 9",
        ]),
        "\n id\n----\n\n\n(0 rows)\n",
    );
    assert_text(
        &c.ok(&["exec", "cassandra-0", "--", "cqlsh", "-e", "DESCRIBE KEYSPACES"]),
        "\nsystem_schema  system_auth  system  demo  system_distributed  system_traces\n\n",
    );
    // Cassandra's refusals, with the line cqlsh read the statement from; exit code 2.
    let refused = c.run(&[
        "exec",
        "cassandra-0",
        "--",
        "cqlsh",
        "-e",
        "SELECT * FROM demo.users WHERE city = 'Paris'; SELECT * FROM demo.nope",
    ]);
    assert_eq!(
        (refused.stderr.as_str(), refused.code),
        (
            "<stdin>:1:InvalidRequest: Error from server: code=2200 [Invalid query] message=\"Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING\"\n\
             <stdin>:1:InvalidRequest: Error from server: code=2200 [Invalid query] message=\"unconfigured table nope\"\ncommand terminated with exit code 2\n",
            2
        )
    );
    // The rows are in each member's volume: they survive the pods being recreated.
    c.ok(&["delete", "pod", "cassandra-0", "cassandra-1", "cassandra-2", "--grace-period=0", "--force"]);
    c.ok(&["advance", "3m"]);
    let after = c.ok(&["exec", "cassandra-1", "--", "cqlsh", "-e", "SELECT COUNT(*) FROM demo.users"]);
    assert_text(
        &after,
        "\n count\n-------\n     4\n\n(1 rows)\n\nWarnings :\nAggregation query used without partition key\n\n",
    );
    assert!(c.ok(&["exec", "cassandra-1", "--", "ls", "/cassandra_data/data/demo/users"]).contains("rows.json"));
}
