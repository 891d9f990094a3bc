//! Workload controllers that retry a refused pod creation with their work queue's back-off, in
//! cluster time (client-go's rate limiter: 5 ms doubling to 1000 s for ReplicaSets and
//! DaemonSets, 1 s doubling to 1 min for Jobs), and namespaces deleted as the namespace
//! controller of v1.32 deletes them: pods gracefully, custom resources too.

use crate::crd::CRONTAB_CRD;
use crate::harness::{assert_text, step, Cluster};

const RS: &str = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  \
                  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    \
                  spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n";

/// The FailedCreate events about the objects of `kind`: how many, and the first one's message.
fn failed_creates(c: &Cluster, kind: &str) -> (usize, String) {
    let selector = format!("reason=FailedCreate,involvedObject.kind={kind}");
    let names = c.ok(&["get", "events", "--field-selector", &selector, "-o", "name"]);
    let first = c.ok(&["get", "events", "--field-selector", &selector, "-o", "jsonpath={.items[0].message}"]);
    (names.lines().count(), first)
}

/// How many work-queue back-off rows the state holds for a controller (`replicaset/requeue`).
fn backoff_rows(c: &Cluster, row: &str) -> i64 {
    let db = rusqlite::Connection::open(c.state().join("cluster.db")).expect("open the state");
    db.query_row("SELECT count(*) FROM runtime WHERE container = ?1", [row], |r| r.get(0)).expect("count rows")
}

fn pod_count(c: &Cluster) -> usize {
    c.ok(&["get", "pods", "-o", "name"]).lines().count()
}

/// A ReplicaSet whose second pod the quota refuses retries at 5 ms, 10 ms... (each refused
/// pod its own event, named by its generated name); the raised quota is seen at the next retry.
#[test]
fn a_refused_replicaset_pod_is_retried_with_the_work_queues_back_off() {
    let c = Cluster::new();
    c.ok(&["create", "quota", "pods", "--hard=pods=1"]);
    c.ok(&["apply", "-f", &c.file("rs.yaml", RS)]);
    // Slow start: the first pod is created, the second refused; the status write and the new
    // pod's updates sync the set twice more at once (three refusals at 0 s, the retry at 5 ms
    // kept as the earliest).
    let (n, first) = failed_creates(&c, "ReplicaSet");
    assert_eq!(n, 3);
    assert_text(
        &first,
        "Error creating: pods \"web-nmz9x\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=1, limited: pods=1",
    );
    step(
        &c,
        &["get", "rs", "web", "-o", "jsonpath={.status.conditions[0].type} {.status.conditions[0].reason}"],
        "ReplicaFailure FailedCreate",
    );
    // Later commands before the retry is due do not retry.
    c.ok(&["create", "configmap", "other"]);
    assert_eq!(failed_creates(&c, "ReplicaSet").0, 3);
    // Retries at 5, 45, 125, 285 and 605 ms; then 1.245, 2.525, 5.085, 10.205, 20.445, 40.925 s.
    c.ok(&["advance", "1s"]);
    assert_eq!(failed_creates(&c, "ReplicaSet").0, 8);
    // The tenth refusal, each naming another pod, is the recorder's combined event, which the
    // later ones count up (nine events and one of five).
    c.ok(&["advance", "59s"]);
    assert_eq!(failed_creates(&c, "ReplicaSet").0, 10);
    let d = c.ok(&["describe", "rs", "web"]);
    let combined = d.lines().find(|l| l.contains("combined")).unwrap_or_default();
    assert_text(
        combined,
        "  Warning  FailedCreate      20s (x5 over 58s)  replicaset-controller  (combined from similar events): Error \
         creating: pods \"web-tjdh4\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=1, limited: pods=1",
    );
    // Room made: the pod comes at the next retry (81.885 s), not before.
    c.ok(&["patch", "quota", "pods", "-p", r#"{"spec":{"hard":{"pods":"2"}}}"#]);
    c.ok(&["advance", "21s"]);
    assert_eq!(pod_count(&c), 1);
    c.ok(&["advance", "1s"]);
    assert_eq!(pod_count(&c), 2);
    step(&c, &["get", "rs", "web", "--no-headers"], "web   2     2     2     82s\n");
    // The success forgot the failures and cleared the condition.
    assert_eq!(backoff_rows(&c, "replicaset/requeue"), 0);
    step(&c, &["get", "rs", "web", "-o", "jsonpath={.status.conditions}"], "");
    // A set deleted while it backs off takes its back-off row with it.
    c.ok(&["scale", "rs", "web", "--replicas=3"]);
    assert_eq!(backoff_rows(&c, "replicaset/requeue"), 1);
    c.ok(&["delete", "rs", "web"]);
    assert_eq!(backoff_rows(&c, "replicaset/requeue"), 0);
}

/// client-go's event aggregator: the tenth event of one reason about an object with a new
/// message, within ten minutes, is one `(combined from similar events)` event counted up by the
/// later ones (a ReplicaSet scaled to 12 says `Created pod` nine times, then once three times);
/// a gap of more than ten minutes starts the record again.
#[test]
fn similar_events_are_combined_after_nine() {
    let c = Cluster::new();
    c.ok(&["create", "deployment", "web", "--image=nginx:1.27", "--replicas=12"]);
    let events = |c: &Cluster| {
        let d = c.ok(&["describe", "rs"]);
        d.lines().filter(|l| l.contains("SuccessfulCreate")).map(|l| format!("{l}\n")).collect::<String>()
    };
    let created = events(&c);
    assert_eq!(created.lines().count(), 10, "{created}");
    assert_text(
        created.lines().last().unwrap_or_default(),
        "  Normal  SuccessfulCreate  0s (x3 over 0s)  replicaset-controller  (combined from similar events): Created \
         pod: web-6ff49b5888-6p8cv",
    );
    // Within ten minutes the record goes on: a new pod counts the combined event up.
    c.ok(&["advance", "5m"]);
    c.ok(&["scale", "deploy", "web", "--replicas=13"]);
    let created = events(&c);
    assert_eq!(created.lines().count(), 10, "{created}");
    assert!(created.lines().last().unwrap_or_default().contains("0s (x4 over 5m)"), "{created}");
    // After more than ten minutes it starts again: the next pod is its own event.
    c.ok(&["advance", "11m"]);
    c.ok(&["scale", "deploy", "web", "--replicas=14"]);
    let created = events(&c);
    assert_eq!(created.lines().count(), 11, "{created}");
    assert!(!created.lines().last().unwrap_or_default().contains("combined"), "{created}");
}

/// A change to the set syncs it at once, whatever its back-off (the queue's Add is not rate
/// limited): a Deployment's set waiting 1000 s between retries scales up as soon as it changes.
#[test]
fn a_change_to_the_set_retries_at_once_whatever_its_back_off() {
    let c = Cluster::new();
    c.ok(&["create", "quota", "pods", "--hard=pods=1"]);
    c.ok(&["create", "deployment", "web", "--image=nginx:1.27", "--replicas=2"]);
    c.ok(&["advance", "2h"]);
    let (n, first) = failed_creates(&c, "ReplicaSet");
    // Doubling up to 1000 s, then one every 1000 s: the events of the last hour remain.
    assert_eq!(n, 3, "{first}");
    step(&c, &["get", "deploy", "web", "--no-headers"], "web   1/2   1     1     120m\n");
    c.ok(&["patch", "quota", "pods", "-p", r#"{"spec":{"hard":{"pods":"3"}}}"#]);
    assert_eq!(pod_count(&c), 1);
    // The rollout's scale-up changes the set: both new pods come at once.
    c.ok(&["scale", "deploy", "web", "--replicas=3"]);
    assert_eq!(pod_count(&c), 3);
    step(&c, &["get", "deploy", "web", "--no-headers"], "web   3/3   3     3     120m\n");
}

/// A DaemonSet's refused pods: the slow start tries one node, then two at once (both refused),
/// then the set backs off; a raised quota lets the next retry create the rest.
#[test]
fn a_refused_daemon_pod_is_retried_with_the_work_queues_back_off() {
    let c = Cluster::new();
    c.ok(&["create", "quota", "pods", "--hard=pods=1"]);
    let ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: \
              {app: agent}\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      containers:\n      \
              - name: agent\n        image: nginx:1.27\n";
    c.ok(&["apply", "-f", &c.file("ds.yaml", ds)]);
    // Two refused in the second batch, one more in each of the syncs the new pod's updates bring.
    let (n, first) = failed_creates(&c, "DaemonSet");
    assert_eq!(n, 4);
    assert!(
        first.starts_with("Error creating: pods \"agent-")
            && first
                .ends_with("\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=1, limited: pods=1"),
        "{first}"
    );
    // Three failed syncs: one retry each at 5, 45, 125, 285 and 605 ms.
    c.ok(&["advance", "1s"]);
    assert_eq!(failed_creates(&c, "DaemonSet").0, 9);
    step(&c, &["get", "ds", "agent", "--no-headers"], "agent   3     1     1     1     1     <none>   1s\n");
    // The next retry, at 1.245 s, creates both pods (batches of one and two).
    c.ok(&["patch", "quota", "pods", "-p", r#"{"spec":{"hard":{"pods":"3"}}}"#]);
    assert_eq!(pod_count(&c), 1);
    c.ok(&["advance", "1s"]);
    assert_eq!(pod_count(&c), 3);
    assert_eq!(backoff_rows(&c, "daemonset/requeue"), 0);
    step(&c, &["get", "ds", "agent", "--no-headers"], "agent   3     3     3     3     3     <none>   2s\n");
}

/// The Job controller's queue has its own limiter (1 s doubling to 1 min), apart from its
/// back-off after failed pods; the job's status write waits for the first retry.
#[test]
fn a_refused_job_pod_is_retried_with_the_job_api_back_off() {
    let c = Cluster::new();
    c.ok(&["create", "quota", "pods", "--hard=pods=0"]);
    c.ok(&["create", "job", "pi", "--image=busybox", "--", "sleep", "5"]);
    assert_eq!(failed_creates(&c, "Job").0, 1);
    c.ok(&["advance", "61s"]);
    // Retries at 1, 3, 7, 15 and 31 s.
    let times = c.ok(&[
        "get",
        "events",
        "--field-selector",
        "reason=FailedCreate",
        "--sort-by=.lastTimestamp",
        "-o",
        "jsonpath={range .items[*]}{.lastTimestamp}{\"\\n\"}{end}",
    ]);
    assert_text(
        &times,
        "2026-11-27T09:00:00Z\n2026-11-27T09:00:01Z\n2026-11-27T09:00:03Z\n2026-11-27T09:00:07Z\n\
         2026-11-27T09:00:15Z\n2026-11-27T09:00:31Z\n",
    );
    // The retry at 63 s creates the pod.
    c.ok(&["patch", "quota", "pods", "-p", r#"{"spec":{"hard":{"pods":"1"}}}"#]);
    c.ok(&["advance", "1s"]);
    assert_eq!(pod_count(&c), 0);
    c.ok(&["advance", "1s"]);
    assert_eq!(pod_count(&c), 1);
    assert_eq!(backoff_rows(&c, "job/requeue"), 0);
}

/// A deleted namespace's pods get their grace period: one that ignores SIGTERM keeps the
/// namespace Terminating, with its conditions, until the period ends; `delete` waits for it.
#[test]
fn a_namespace_waits_for_its_pods_grace_period() {
    let c = Cluster::new();
    c.ok(&["create", "namespace", "demo"]);
    c.ok(&["run", "sleeper", "--image=busybox", "-n", "demo", "--", "sleep", "3600"]);
    c.ok(&["run", "web", "--image=nginx:1.27", "-n", "demo"]);
    step(&c, &["delete", "namespace", "demo", "--wait=false"], "namespace \"demo\" deleted\n");
    // nginx stops at SIGTERM; sleep does not, and is killed when its 30 s end.
    step(&c, &["get", "pods", "-n", "demo", "--no-headers"], "sleeper   1/1   Terminating   0     0s\n");
    let conditions = "{range .status.conditions[*]}{.type} {.status} {.message}{\"\\n\"}{end}";
    step(
        &c,
        &["get", "namespace", "demo", "-o", &format!("jsonpath={conditions}")],
        "NamespaceDeletionDiscoveryFailure False All resources successfully discovered\n\
         NamespaceDeletionGVParsingFailure False All legacy kube types successfully parsed\n\
         NamespaceDeletionContentFailure False All content successfully deleted, may be waiting on finalization\n\
         NamespaceContentRemaining True Some resources are remaining: pods. has 1 resource instances\n\
         NamespaceFinalizersRemaining False All content-preserving finalizers finished\n",
    );
    c.ok(&["advance", "29s"]);
    step(&c, &["get", "namespace", "demo", "--no-headers"], "demo   Terminating   29s\n");
    c.ok(&["advance", "1s"]);
    let out = c.run(&["get", "namespace", "demo"]);
    assert_eq!((out.stderr.as_str(), out.code), ("Error from server (NotFound): namespaces \"demo\" not found\n", 1));
    // kubectl's delete waits until the namespace is gone: the clock moves by the grace period.
    c.ok(&["create", "namespace", "again"]);
    c.ok(&["run", "sleeper", "--image=busybox", "-n", "again", "--", "sleep", "3600"]);
    step(&c, &["delete", "namespace", "again"], "namespace \"again\" deleted\n");
    assert_eq!(c.run(&["get", "namespace", "again"]).code, 1);
    step(&c, &["get", "namespace", "default", "--no-headers"], "default   Active   60s\n");
}

/// Custom resources are content too: deleted with the namespace, and one a finalizer holds is
/// named in the conditions and keeps the namespace until the finalizer goes.
#[test]
fn a_namespace_deletes_its_custom_resources() {
    let c = Cluster::new();
    c.ok(&["create", "namespace", "demo"]);
    c.ok(&["apply", "-f", &c.file("crd.yaml", CRONTAB_CRD)]);
    let tabs = "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: held\n  namespace: demo\n  \
                finalizers: [\"example.com/hold\"]\nspec:\n  cronSpec: \"* * * * */5\"\n---\n\
                apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: free\n  namespace: demo\nspec:\n  \
                cronSpec: \"* * * * */5\"\n";
    c.ok(&["apply", "-f", &c.file("tabs.yaml", tabs)]);
    c.ok(&["create", "configmap", "settings", "-n", "demo"]);
    step(&c, &["delete", "namespace", "demo"], "namespace \"demo\" deleted\n");
    step(&c, &["get", "crontabs,cm", "-n", "demo", "-o", "name"], "crontab.stable.example.com/held\n");
    let conditions = "{range .status.conditions[3:]}{.type} {.status} {.message}{\"\\n\"}{end}";
    step(
        &c,
        &["get", "namespace", "demo", "-o", &format!("jsonpath={conditions}")],
        "NamespaceContentRemaining True Some resources are remaining: crontabs.stable.example.com has 1 resource instances\n\
         NamespaceFinalizersRemaining True Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances\n",
    );
    c.ok(&["patch", "crontab", "held", "-n", "demo", "--type=merge", "-p", r#"{"metadata":{"finalizers":null}}"#]);
    assert_eq!(c.run(&["get", "namespace", "demo"]).code, 1);
}

/// A pod that outlives its grace period (its node failed, so no kubelet removes it) is content
/// the namespace controller cannot explain: once the longest grace period since the namespace's
/// deletion has passed, `NamespaceDeletionContentFailure` says so. Force-deleting it lets the
/// namespace go.
#[test]
fn a_pod_stuck_on_a_failed_node_fails_the_namespaces_content_deletion() {
    let c = Cluster::new();
    c.ok(&["create", "namespace", "demo"]);
    c.ok(&["run", "web", "--image=nginx:1.27", "-n", "demo"]);
    let node = c.ok(&["get", "pod", "web", "-n", "demo", "-o", "jsonpath={.spec.nodeName}"]);
    c.ok(&["node", "fail", &node]);
    // `delete` waits out the pod's 30 s, then gives up waiting for the namespace.
    step(&c, &["delete", "namespace", "demo"], "namespace \"demo\" deleted\n");
    step(&c, &["get", "pods", "-n", "demo", "--no-headers"], "web   1/1   Terminating   0     30s\n");
    let content = "{.status.conditions[2].status} {.status.conditions[2].reason} {.status.conditions[2].message}";
    step(
        &c,
        &["get", "namespace", "demo", "-o", &format!("jsonpath={content}")],
        "True ContentDeletionFailed Failed to delete all resource types, 1 remaining: unexpected items still remain \
         in namespace: demo for gvr: /v1, Resource=pods",
    );
    c.ok(&["delete", "pod", "web", "-n", "demo", "--force", "--grace-period=0"]);
    assert_eq!(c.run(&["get", "namespace", "demo"]).code, 1);
}
