//! `get --watch`: the list as it was before the last changing command, then one row per version
//! that command wrote, in kubectl's watch layout (no header after the first table, remembered
//! widths that only grow).

use crate::harness::{assert_text, seed_manifest, Cluster};

fn seeded() -> Cluster {
    let mut c = Cluster::new();
    let manifest = c.file("statefulset.yaml", seed_manifest());
    assert_eq!(c.run(&["create", "-f", &manifest]).code, 0);
    c.at("2026-11-27T09:05:00Z");
    c
}

#[test]
fn a_scale_up_shows_the_new_pod_starting() {
    let mut c = seeded();
    c.ok(&["scale", "sts", "web", "--replicas=3"]);
    c.at("2026-11-27T09:05:04Z");
    assert_text(
        &c.ok(&["get", "pods", "-w"]),
        "NAME    READY   STATUS    RESTARTS   AGE
web-0   1/1     Running   0          5m4s
web-1   1/1     Running   0          5m4s
web-2   0/1     Pending   0          4s
web-2   0/1     Pending   0          4s
web-2   0/1     ContainerCreating   0          4s
web-2   1/1     Running             0          4s
",
    );
    assert_text(
        &c.ok(&["get", "pods", "--watch-only", "--output-watch-events"]),
        "EVENT   NAME    READY   STATUS    RESTARTS   AGE
ADDED   web-2   0/1     Pending   0          4s
MODIFIED   web-2   0/1     Pending   0          4s
MODIFIED   web-2   0/1     ContainerCreating   0          4s
MODIFIED   web-2   1/1     Running             0          4s
",
    );
    assert_eq!(c.ok(&["get", "sts", "web", "-w", "-o", "name"]).lines().next(), Some("statefulset.apps/web"));
    let o = c.run(&["get", "pods,sts", "-w"]);
    assert_eq!(
        (o.stderr.as_str(), o.code),
        ("error: watch is only supported on individual resources and resource collections, but 2 resources were found\n", 1)
    );
}

#[test]
fn a_rolling_replacement_shows_termination_and_recreation() {
    let mut c = seeded();
    c.ok(&["delete", "pod", "web-1"]);
    c.at("2026-11-27T09:05:02Z");
    let out = c.ok(&["get", "pods", "-w", "--output-watch-events"]);
    let rows: Vec<(&str, &str)> = out
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[0], f[3])
        })
        .collect();
    // The list before the delete, then the old pod terminating and going, then its replacement.
    assert_eq!(&rows[..2], &[("ADDED", "Running"), ("ADDED", "Running")]);
    assert!(rows.contains(&("MODIFIED", "Terminating")), "{out}");
    let deleted = rows.iter().position(|r| r.0 == "DELETED").expect("a DELETED row");
    assert_eq!(rows[deleted + 1].0, "ADDED", "{out}");
    assert_eq!(rows.last(), Some(&("MODIFIED", "Running")), "{out}");
    // A name narrows the watch to that object.
    let only = c.ok(&["get", "pod", "web-0", "-w"]);
    assert_eq!(only.lines().count(), 2, "{only}");
}

#[test]
fn watch_after_a_command_that_changed_nothing_shows_the_same_history() {
    let mut c = seeded();
    c.ok(&["scale", "sts", "web", "--replicas=3"]);
    let before = c.ok(&["get", "pods", "-w"]);
    c.ok(&["get", "pods"]);
    assert_eq!(c.ok(&["get", "pods", "-w"]), before);
    c.at("2026-11-27T09:06:00Z");
    assert!(c.ok(&["get", "pods", "-w", "-o", "yaml"]).contains("\n---\n"));
}
