//! Pod lifecycle gaps: a pod's own active deadline, and sidecars with a startup probe.

use crate::harness::{assert_text, Cluster};

const DEADLINE: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: short
spec:
  activeDeadlineSeconds: 30
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'echo up; sleep 3600']
";

#[test]
fn a_pod_past_its_active_deadline_fails() {
    let c = Cluster::new();
    let f = c.file("short.yaml", DEADLINE);
    c.ok(&["create", "-f", &f]);
    c.ok(&["advance", "29s"]);
    assert_text(
        &c.ok(&["get", "pod", "short"]),
        "NAME    READY   STATUS    RESTARTS   AGE\nshort   1/1     Running   0          29s\n",
    );
    // At the deadline the pod fails; `sleep` ignores SIGTERM and runs out the 30 s grace period.
    c.ok(&["advance", "1s"]);
    assert_text(
        &c.ok(&["get", "pod", "short"]),
        "NAME    READY   STATUS             RESTARTS   AGE\nshort   1/1     DeadlineExceeded   0          30s\n",
    );
    let status = "jsonpath={.status.phase}|{.status.reason}|{.status.message}|{.status.containerStatuses[0].state}";
    assert_text(
        &c.ok(&["get", "pod", "short", "-o", status]),
        "Failed|DeadlineExceeded|Pod was active on the node longer than the specified deadline|\
         {\"running\":{\"startedAt\":\"2026-11-27T09:00:00Z\"}}",
    );
    c.ok(&["advance", "29s"]);
    assert_text(
        &c.ok(&["get", "pod", "short"]),
        "NAME    READY   STATUS             RESTARTS   AGE\nshort   1/1     DeadlineExceeded   0          59s\n",
    );
    // Killed when the grace period ends; kubectl then shows the container's reason.
    c.ok(&["advance", "1s"]);
    assert_text(
        &c.ok(&["get", "pod", "short"]),
        "NAME    READY   STATUS   RESTARTS   AGE\nshort   0/1     Error    0          60s\n",
    );
    let state = "jsonpath={.status.phase}|{.status.containerStatuses[0].state.terminated}";
    assert_text(
        &c.ok(&["get", "pod", "short", "-o", state]),
        "Failed|{\"containerID\":\"containerd://7872a36b1d01bf0a167f1bb73d10ff5111669ce413216cc9a223e5951de9bcf7\",\"exitCode\":137,\"finishedAt\":\"2026-11-27T09:01:00Z\",\"reason\":\"Error\",\
         \"startedAt\":\"2026-11-27T09:00:00Z\"}",
    );
    let events = c.ok(&[
        "get",
        "events",
        "--field-selector",
        "involvedObject.name=short",
        "-o",
        "custom-columns=TYPE:.type,REASON:.reason,FIELD:.involvedObject.fieldPath,MESSAGE:.message",
    ]);
    let tail: Vec<&str> = events.lines().rev().take(2).collect();
    assert_eq!(
        tail,
        [
            "Normal   Killing            spec.containers{c}   Stopping container c",
            "Normal   DeadlineExceeded   <none>               Pod was active on the node longer than the specified deadline",
        ]
    );
    // Nothing restarts it, and its log ends where it was frozen.
    c.ok(&["advance", "10m"]);
    assert_text(
        &c.ok(&["get", "pod", "short"]),
        "NAME    READY   STATUS   RESTARTS   AGE\nshort   0/1     Error    0          11m\n",
    );
    assert_text(&c.ok(&["logs", "short"]), "up\n");
}

const SIDECAR: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: side
spec:
  initContainers:
  - name: setup
    image: busybox
    command: [sh, -c, 'echo ready > /tmp/x']
  - name: proxy
    image: busybox
    restartPolicy: Always
    command: [sh, -c, 'sleep 5; touch /tmp/started; sleep 3600']
    startupProbe:
      exec:
        command: [cat, /tmp/started]
      periodSeconds: 5
  containers:
  - name: app
    image: busybox
    command: [sleep, '3600']
";

#[test]
fn regular_containers_start_once_a_sidecars_startup_probe_succeeds() {
    let c = Cluster::new();
    let f = c.file("side.yaml", SIDECAR);
    c.ok(&["create", "-f", &f]);
    // The probe fails at 0 s (the sidecar touches its file at 5 s) and succeeds at 5 s.
    c.ok(&["advance", "4s"]);
    assert_text(
        &c.ok(&["get", "pod", "side"]),
        "NAME   READY   STATUS     RESTARTS   AGE\nside   0/2     Init:1/2   0          4s\n",
    );
    c.ok(&["advance", "1s"]);
    let sidecar = c.ok(&[
        "get",
        "pod",
        "side",
        "-o",
        "jsonpath={.status.initContainerStatuses[1].started} {.status.initContainerStatuses[1].ready}",
    ]);
    assert_text(&sidecar, "true true");
    assert_text(
        &c.ok(&["get", "pod", "side"]),
        "NAME   READY   STATUS            RESTARTS   AGE\nside   1/2     PodInitializing   0          5s\n",
    );
    c.ok(&["advance", "3s"]);
    assert_text(
        &c.ok(&["get", "pod", "side"]),
        "NAME   READY   STATUS    RESTARTS   AGE\nside   2/2     Running   0          8s\n",
    );
    // The probe's failure is recorded against the init container.
    let events = c.ok(&[
        "get",
        "events",
        "--field-selector",
        "reason=Unhealthy",
        "-o",
        "custom-columns=FIELD:.involvedObject.fieldPath,MESSAGE:.message",
    ]);
    assert_text(
        &events,
        "FIELD                        MESSAGE\n\
         spec.initContainers{proxy}   Startup probe failed: cat: can't open '/tmp/started': No such file or directory\n",
    );
}
