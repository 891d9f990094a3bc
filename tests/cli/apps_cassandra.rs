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
fn a_member_that_is_gone_shows_down_and_the_image_has_no_cqlsh() {
    let c = deployed();
    c.ok(&["scale", "statefulset", "cassandra", "--replicas=2"]);
    c.ok(&["advance", "1m"]);
    let status = c.ok(&["exec", "cassandra-0", "--", "nodetool", "status"]);
    assert!(status.ends_with("DN  10.244.2.2  103.61 KiB  32           33.3%             76a32852-00e5-0e59-a051-32352128cee4  Rack1-K8Demo\n"), "{status}");
    let cqlsh = c.run(&["exec", "cassandra-0", "--", "cqlsh"]);
    assert!(cqlsh.stderr.contains("exec: \"cqlsh\": executable file not found in $PATH"), "{}", cqlsh.stderr);
}
