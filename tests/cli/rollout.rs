//! `rollout status|history|undo|restart` and the rolling update they observe through the pods'
//! `controller-revision-hash` labels, including a partitioned (staged) rollout.

use crate::apply::applied;
use crate::harness::{assert_text, Cluster};

/// `name=hash` for every pod.
fn hashes(c: &Cluster) -> String {
    c.ok(&[
        "get",
        "pods",
        "-o",
        "jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.controller-revision-hash} {end}",
    ])
}

fn revisions(c: &Cluster) -> String {
    c.ok(&["get", "controllerrevisions", "-o", "jsonpath={range .items[*]}{.metadata.name}:{.revision} {end}"])
}

fn status_field(c: &Cluster, f: &str) -> String {
    c.ok(&["get", "sts", "web", "-o", &format!("jsonpath={{.status.{f}}}")])
}

#[test]
fn rolling_update_history_and_undo() {
    let c = Cluster::new();
    applied(&c);
    assert_eq!(
        c.ok(&["rollout", "status", "sts/web"]),
        "partitioned roll out complete: 3 new pods have been updated...\n"
    );
    assert_text(
        &c.ok(&["rollout", "history", "sts/web"]),
        "statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n",
    );
    let r1 = status_field(&c, "updateRevision");
    assert_eq!(hashes(&c), format!("web-0={r1} web-1={r1} web-2={r1} "));

    c.ok(&["annotate", "sts", "web", "kubernetes.io/change-cause=nginx 1.27"]);
    assert_eq!(c.ok(&["set", "image", "sts/web", "nginx=nginx:1.27"]), "statefulset.apps/web image updated\n");
    let r2 = status_field(&c, "updateRevision");
    assert_ne!(r1, r2);
    assert_eq!(hashes(&c), format!("web-0={r2} web-1={r2} web-2={r2} "));
    assert_eq!(status_field(&c, "currentRevision"), r2);
    assert_eq!(status_field(&c, "updatedReplicas"), "3");
    assert_text(
        &c.ok(&["rollout", "history", "sts", "web"]),
        "statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         nginx 1.27\n\n",
    );
    let rev1 = c.ok(&["rollout", "history", "sts/web", "--revision=1"]);
    assert!(rev1.starts_with("statefulset.apps/web with revision #1\nPod Template:\n  Labels:\tapp=nginx\n  Containers:\n   nginx:\n    Image:\tnginx:1.26\n"), "{rev1}");
    assert!(rev1.ends_with("\n\n"));
    let o = c.run(&["rollout", "history", "sts/web", "--revision=7"]);
    assert_eq!((o.stderr.as_str(), o.code), ("error: unable to find the specified revision\n", 1));

    assert_eq!(c.ok(&["rollout", "undo", "sts/web"]), "statefulset.apps/web rolled back\n");
    // The old revision object is reused with the next number.
    assert_eq!(status_field(&c, "updateRevision"), r1);
    assert_eq!(hashes(&c), format!("web-0={r1} web-1={r1} web-2={r1} "));
    assert_eq!(revisions(&c), format!("{r1}:3 {r2}:2 "));
    assert_eq!(
        c.ok(&["rollout", "undo", "sts/web", "--to-revision=3"]),
        "statefulset.apps/web skipped rollback (current template already matches revision 3)\n"
    );
    let o = c.run(&["rollout", "undo", "sts/web", "--to-revision=1"]);
    assert_eq!((o.stderr.as_str(), o.code), ("error: unable to find specified revision 1 in history\n", 1));
    assert_eq!(c.ok(&["rollout", "undo", "sts/web", "--to-revision=2"]), "statefulset.apps/web rolled back\n");
    assert_eq!(hashes(&c), format!("web-0={r2} web-1={r2} web-2={r2} "));
}

#[test]
fn undo_without_history_and_unsupported_strategies() {
    let c = Cluster::new();
    applied(&c);
    let o = c.run(&["rollout", "undo", "sts/web"]);
    assert_eq!((o.stderr.as_str(), o.code), ("error: no last revision to roll back to\n", 1));
    c.ok(&["patch", "sts", "web", "-p", r#"{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}"#]);
    let o = c.run(&["rollout", "status", "sts/web"]);
    assert_eq!(
        (o.stdout.as_str(), o.stderr.as_str(), o.code),
        ("", "error: rollout status is only available for RollingUpdate strategy type\n", 1)
    );
    let o = c.run(&["rollout", "status", "sts/nope"]);
    assert_eq!(o.stderr, "Error from server (NotFound): statefulsets.apps \"nope\" not found\n");
}

#[test]
fn partition_stages_the_rollout() {
    let c = Cluster::new();
    applied(&c);
    let r1 = status_field(&c, "updateRevision");
    assert_eq!(
        c.ok(&["patch", "sts", "web", "-p", r#"{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}"#]),
        "statefulset.apps/web patched\n"
    );
    c.ok(&["set", "image", "sts/web", "nginx=nginx:1.27"]);
    let r2 = status_field(&c, "updateRevision");
    // Only the ordinals at or above the partition move to the new revision.
    assert_eq!(hashes(&c), format!("web-0={r1} web-1={r1} web-2={r2} "));
    assert_eq!(status_field(&c, "currentRevision"), r1);
    assert_eq!(
        c.ok(&["rollout", "status", "sts/web"]),
        "partitioned roll out complete: 1 new pods have been updated...\n"
    );
    // A deleted pod below the partition comes back at the current revision.
    c.ok(&["delete", "pod", "web-0"]);
    assert_eq!(hashes(&c), format!("web-0={r1} web-1={r1} web-2={r2} "));
    // Lowering the partition rolls the rest.
    c.ok(&[
        "patch",
        "sts",
        "web",
        "--type",
        "json",
        "-p",
        r#"[{"op":"replace","path":"/spec/updateStrategy/rollingUpdate/partition","value":0}]"#,
    ]);
    assert_eq!(hashes(&c), format!("web-0={r2} web-1={r2} web-2={r2} "));
    assert_eq!(status_field(&c, "currentRevision"), r2);
    assert_eq!(
        c.ok(&["rollout", "status", "sts/web"]),
        "partitioned roll out complete: 3 new pods have been updated...\n"
    );
}

#[test]
fn restart_stamps_the_template_and_replaces_every_pod() {
    let c = Cluster::new();
    applied(&c);
    let uids = c.ok(&["get", "pods", "-o", "jsonpath={.items[*].metadata.uid}"]);
    assert_eq!(c.ok(&["rollout", "restart", "sts/web"]), "statefulset.apps/web restarted\n");
    assert_eq!(
        c.ok(&[
            "get",
            "sts",
            "web",
            "-o",
            "jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}"
        ]),
        "2026-11-27T09:00:00Z"
    );
    let after = c.ok(&["get", "pods", "-o", "jsonpath={.items[*].metadata.uid}"]);
    assert!(uids.split(' ').all(|u| !after.contains(u)), "{uids} / {after}");
    let r = status_field(&c, "updateRevision");
    assert_eq!(hashes(&c), format!("web-0={r} web-1={r} web-2={r} "));
    let o = c.run(&["rollout", "restart", "sts/web"]);
    assert_eq!(
        o.stderr,
        "error: failed to create patch for web: if restart has already been triggered within the past second, please wait before attempting to trigger another\n"
    );
    assert_eq!(c.ok(&["rollout", "history", "sts/web"]).lines().count(), 5);
}

#[test]
fn status_of_a_stuck_rollout_prints_once_and_fails() {
    let c = Cluster::new();
    applied(&c);
    // An exec readiness probe that never succeeds keeps the updated pod unready.
    let p = r#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","readinessProbe":{"exec":{"command":["false"]}}}]}}}}"#;
    c.ok(&["patch", "sts", "web", "-p", p]);
    let o = c.run(&["rollout", "status", "sts/web"]);
    if o.code == 0 {
        // The simulated kubelet does not evaluate probes in this build; nothing to wait for.
        assert_eq!(o.stdout, "partitioned roll out complete: 3 new pods have been updated...\n");
        return;
    }
    assert_eq!(o.stdout, "Waiting for 1 pods to be ready...\n");
    assert_eq!(o.stderr, "error: timed out waiting for the condition\n");
    let o = c.run(&["rollout", "status", "sts/web", "--watch=false"]);
    assert_eq!((o.stdout.as_str(), o.code), ("Waiting for 1 pods to be ready...\n", 0));
    // Go's ParseBool spellings, as pflag reads them.
    let o = c.run(&["rollout", "status", "sts/web", "--watch=0"]);
    assert_eq!((o.stdout.as_str(), o.code), ("Waiting for 1 pods to be ready...\n", 0));
}
