//! The StatefulSet controller restores a pod's identity labels (`processReplica` →
//! `UpdateStatefulPod` in Kubernetes v1.32): when the name label no longer names the pod, the
//! pod is updated with its name and index labels, and the set records `SuccessfulUpdate`.

use crate::harness::{assert_text, seed_manifest, Cluster};

const COLUMNS: &str = "statefulset.kubernetes.io/pod-name,apps.kubernetes.io/pod-index";

fn seeded() -> Cluster {
    let c = Cluster::new();
    let f = c.file("statefulset.yaml", seed_manifest());
    c.ok(&["create", "-f", &f]);
    c
}

#[test]
fn a_changed_name_label_is_restored_with_the_index_label() {
    let c = seeded();
    c.ok(&["label", "pod", "web-0", "apps.kubernetes.io/pod-index=9", "--overwrite"]);
    let out = c.ok(&["label", "pod", "web-0", "statefulset.kubernetes.io/pod-name=x", "--overwrite"]);
    assert_text(&out, "pod/web-0 labeled\n");
    assert_text(
        &c.ok(&["get", "pods", "-L", COLUMNS]),
        "NAME    READY   STATUS    RESTARTS   AGE   POD-NAME   POD-INDEX
web-0   1/1     Running   0          0s    web-0      0
web-1   1/1     Running   0          0s    web-1      1
",
    );
    assert_text(
        &c.ok(&["get", "events", "--field-selector", "reason=SuccessfulUpdate"]),
        "LAST SEEN   TYPE     REASON             OBJECT            MESSAGE
0s          Normal   SuccessfulUpdate   statefulset/web   update Pod web-0 in StatefulSet web successful
",
    );
}

#[test]
fn a_removed_name_label_is_restored() {
    let c = seeded();
    assert_text(&c.ok(&["label", "pod", "web-1", "statefulset.kubernetes.io/pod-name-"]), "pod/web-1 unlabeled\n");
    assert_text(&c.ok(&["get", "pod", "web-1", "-o", "jsonpath={.metadata.labels}"]), "{\"app\":\"nginx\",\"apps.kubernetes.io/pod-index\":\"1\",\"controller-revision-hash\":\"web-57558746d7\",\"statefulset.kubernetes.io/pod-name\":\"web-1\"}");
}

/// `identityMatches` compares the name label only: an index label changed alone stays changed.
#[test]
fn the_index_label_alone_is_not_compared() {
    let c = seeded();
    c.ok(&["label", "pod", "web-1", "apps.kubernetes.io/pod-index=7", "--overwrite"]);
    assert_text(
        &c.ok(&["get", "pod", "web-1", "-L", COLUMNS, "--no-headers"]),
        "web-1   1/1   Running   0     0s    web-1   7\n",
    );
    assert_text(&c.ok(&["get", "events", "--field-selector", "reason=SuccessfulUpdate"]), "");
}

/// A set whose one pod never becomes ready, managed with `policy`.
fn unready(policy: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: w
spec:
  selector:
    matchLabels: {{app: w}}
  serviceName: w
  replicas: 1
  podManagementPolicy: {policy}
  template:
    metadata:
      labels: {{app: w}}
    spec:
      containers:
      - name: app
        image: busybox
        command: [sh, -c, sleep 3600]
        readinessProbe:
          exec: {{command: [\"false\"]}}
"
    )
}

/// OrderedReady waits for a pod to be ready before it enforces the invariants; Parallel does not.
#[test]
fn ordered_ready_repairs_only_a_ready_pod() {
    for (policy, label) in [("OrderedReady", "x"), ("Parallel", "w-0")] {
        let c = Cluster::new();
        let f = c.file("w.yaml", &unready(policy));
        c.ok(&["create", "-f", &f]);
        c.ok(&["label", "pod", "w-0", "statefulset.kubernetes.io/pod-name=x", "--overwrite"]);
        let got =
            c.ok(&["get", "pod", "w-0", "-o", "jsonpath={.metadata.labels.statefulset\\.kubernetes\\.io/pod-name}"]);
        assert_eq!(got, label, "{policy}");
    }
}
