//! Failure states a real cluster shows: a container the OOM killer ends (kubernetes.io's
//! tasks/configure-pod-container/assign-memory-resource page, replayed with v1.32's outputs).

use crate::harness::{assert_text, k8s_example as example, step, Cluster};

fn jsonpath(c: &Cluster, args: &[&str], path: &str) -> String {
    let mut all = args.to_vec();
    let p = format!("jsonpath={path}");
    all.extend(["-o", &p]);
    c.ok(&all)
}

const NS: &str = "--namespace=mem-example";

#[test]
fn assign_memory_page_runs_within_the_limit_and_is_oom_killed_above_it() {
    let c = Cluster::new();
    step(&c, &["create", "namespace", "mem-example"], "namespace/mem-example created\n");
    let within = example("pods/resource/memory-request-limit.yaml");
    step(&c, &["apply", "-f", &within, NS], "pod/memory-demo created\n");
    step(
        &c,
        &["get", "pod", "memory-demo", NS],
        "NAME          READY   STATUS    RESTARTS   AGE\nmemory-demo   1/1     Running   0          0s\n",
    );
    let resources = jsonpath(&c, &["get", "pod", "memory-demo", NS], "{.spec.containers[0].resources}");
    assert_text(&resources, r#"{"limits":{"memory":"200Mi"},"requests":{"memory":"100Mi"}}"#);
    step(&c, &["logs", "memory-demo", NS], "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n");
    step(&c, &["delete", "pod", "memory-demo", NS], "pod \"memory-demo\" deleted\n");

    // 250 MiB against a 100 MiB limit: killed as it starts, restarted at once, killed again;
    // the kill shows until the kubelet's next sync, then the back-off.
    let above = example("pods/resource/memory-request-limit-2.yaml");
    step(&c, &["apply", "-f", &above, NS], "pod/memory-demo-2 created\n");
    step(
        &c,
        &["get", "pod", "memory-demo-2", NS],
        "NAME            READY   STATUS      RESTARTS     AGE\n\
         memory-demo-2   0/1     OOMKilled   1 (0s ago)   0s\n",
    );
    let last = "{.status.containerStatuses[0].lastState.terminated.reason} \
                {.status.containerStatuses[0].lastState.terminated.exitCode}";
    assert_text(&jsonpath(&c, &["get", "pod", "memory-demo-2", NS], last), "OOMKilled 137");
    c.ok(&["advance", "10s"]);
    step(
        &c,
        &["get", "pod", "memory-demo-2", NS],
        "NAME            READY   STATUS      RESTARTS      AGE\n\
         memory-demo-2   0/1     OOMKilled   2 (10s ago)   10s\n",
    );
    c.ok(&["advance", "15s"]);
    step(
        &c,
        &["get", "pod", "memory-demo-2", NS],
        "NAME            READY   STATUS             RESTARTS      AGE\n\
         memory-demo-2   0/1     CrashLoopBackOff   2 (15s ago)   25s\n",
    );
    let d = c.ok(&["describe", "pod", "memory-demo-2", NS]);
    let block = "    State:          Waiting\n      Reason:       CrashLoopBackOff\n    Last State:     Terminated\n      \
                 Reason:       OOMKilled\n      Exit Code:    137\n      Started:      Fri, 27 Nov 2026 09:00:10 +0000\n      \
                 Finished:     Fri, 27 Nov 2026 09:00:10 +0000\n    Ready:          False\n    Restart Count:  2\n";
    assert!(d.contains(block), "{d}");
    assert!(d.contains("  Warning  BackOff    15s (x2 over 25s)  kubelet            Back-off restarting failed container memory-demo-2-ctr in pod memory-demo-2_mem-example("), "{d}");
    let log = c.ok(&["logs", "memory-demo-2", NS, "--previous"]);
    assert_text(&log, "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n");
    step(&c, &["delete", "pod", "memory-demo-2", NS], "pod \"memory-demo-2\" deleted\n");

    // A request no node can hold: Pending, with the scheduler's reason.
    let too_big = example("pods/resource/memory-request-limit-3.yaml");
    step(&c, &["apply", "-f", &too_big, NS], "pod/memory-demo-3 created\n");
    step(
        &c,
        &["get", "pod", "memory-demo-3", NS],
        "NAME            READY   STATUS    RESTARTS   AGE\nmemory-demo-3   0/1     Pending   0          0s\n",
    );
    let d = c.ok(&["describe", "pod", "memory-demo-3", NS]);
    assert!(
        d.ends_with(
            "  Warning  FailedScheduling  0s    default-scheduler  0/3 nodes are available: 3 Insufficient memory. \
             preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.\n"
        ),
        "{d}"
    );
    step(&c, &["delete", "namespace", "mem-example"], "namespace \"mem-example\" deleted\n");
}

/// A pod that is not restarted keeps the OOM kill as its state: STATUS `OOMKilled`, phase Failed.
/// Without a limit the node's allocatable memory is the bound.
#[test]
fn an_oom_killed_container_that_is_not_restarted_shows_oomkilled() {
    let c = Cluster::new();
    let run = |name: &str, bytes: &str| {
        let args = [
            "run",
            name,
            "--image=polinux/stress",
            "--restart=Never",
            "--",
            "stress",
            "--vm",
            "2",
            "--vm-bytes",
            bytes,
        ];
        c.ok(&args);
    };
    run("big", "7G");
    run("fits", "6G");
    step(
        &c,
        &["get", "pods"],
        "NAME   READY   STATUS      RESTARTS   AGE\nbig    0/1     OOMKilled   0          0s\nfits   1/1     Running     0          0s\n",
    );
    let state = "{.status.phase} {.status.containerStatuses[0].state.terminated.reason} \
                 {.status.containerStatuses[0].state.terminated.exitCode}";
    assert_text(&jsonpath(&c, &["get", "pod", "big"], state), "Failed OOMKilled 137");
    // With a timeout stress ends by itself and says so.
    c.ok(&["run", "timed", "--image=polinux/stress", "--restart=Never", "--", "stress", "-c", "1", "-t", "1m"]);
    c.ok(&["advance", "1m"]);
    step(
        &c,
        &["logs", "timed"],
        "stress: info: [1] dispatching hogs: 1 cpu, 0 io, 0 vm, 0 hdd\nstress: info: [1] successful run completed in 60s\n",
    );
    assert_text(&jsonpath(&c, &["get", "pod", "timed"], "{.status.phase}"), "Succeeded");
    // Run by `exec`, the same command is killed on its own (exit 137), the container runs on.
    let out = c.run(&["exec", "fits", "--", "stress", "--vm", "1", "--vm-bytes", "13G"]);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.code),
        (
            "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n",
            "command terminated with exit code 137\n",
            137,
        )
    );
}

/// Image references the kubelet cannot parse (pkg/kubelet/images/image_manager.go, v1.32):
/// waiting `InvalidImageName` with the parser's message, `InspectFailed` and `Failed` events
/// repeated at every retry, never pulled; a corrected image is pulled and started.
#[test]
fn an_image_reference_that_does_not_parse_waits_in_invalid_image_name() {
    let c = Cluster::new();
    let pod = |name: &str, image: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: app\n    image: \"{image}\"\n")
    };
    for (name, image) in [("colon", "nginx:"), ("upper", "Nginx"), ("space", "a b")] {
        c.ok(&["apply", "-f", &c.file(&format!("{name}.yaml"), &pod(name, image))]);
    }
    step(
        &c,
        &["get", "pods"],
        "NAME    READY   STATUS             RESTARTS   AGE\n\
         colon   0/1     InvalidImageName   0          0s\n\
         space   0/1     InvalidImageName   0          0s\n\
         upper   0/1     InvalidImageName   0          0s\n",
    );
    let waiting = "{.status.phase} {.status.containerStatuses[0].state.waiting.reason}: \
                   {.status.containerStatuses[0].state.waiting.message}";
    assert_text(
        &jsonpath(&c, &["get", "pod", "upper"], waiting),
        "Pending InvalidImageName: Failed to apply default image tag \"Nginx\": couldn't parse image name \"Nginx\": \
         invalid reference format: repository name (library/Nginx) must be lowercase",
    );
    assert_text(
        &jsonpath(&c, &["get", "pod", "colon"], "{.status.containerStatuses[0].state.waiting.message}"),
        "Failed to apply default image tag \"nginx:\": couldn't parse image name \"nginx:\": invalid reference format",
    );
    c.ok(&["advance", "25s"]);
    let d = c.ok(&["describe", "pod", "space"]);
    let events = d.split("Events:\n").nth(1).unwrap_or_default();
    let events: Vec<&str> = events.lines().skip(2).map(|l| l.split_once("  ").map_or(l, |(_, r)| r)).collect();
    assert!(d.contains("    State:          Waiting\n      Reason:       InvalidImageName\n"), "{d}");
    assert_eq!(events.len(), 3, "{d}");
    assert!(events[1].starts_with("Warning  InspectFailed  5s (x3 over 25s)  kubelet            Failed to apply default image tag \"a b\": couldn't parse image name \"a b\": invalid reference format"), "{d}");
    assert!(
        events[2].starts_with("Warning  Failed         5s (x3 over 25s)  kubelet            Error: InvalidImageName"),
        "{d}"
    );
    assert!(!d.contains("Pulling"), "{d}");
    // Fixed, the image is pulled and the container starts.
    step(&c, &["set", "image", "pod/upper", "app=nginx:1.27"], "pod/upper image updated\n");
    step(&c, &["get", "pod", "upper", "--no-headers"], "upper   1/1   Running   0     25s\n");
    let d = c.ok(&["describe", "pod", "upper"]);
    assert!(
        d.contains("  Normal   Pulling        0s                kubelet            Pulling image \"nginx:1.27\"\n"),
        "{d}"
    );
    // kubectl run refuses such an image itself, before it sends anything.
    let out = c.run(&["run", "bad", "--image=Nginx"]);
    assert_eq!((out.stderr.as_str(), out.code), ("error: Invalid image name \"Nginx\": invalid reference format\n", 1));
    assert_eq!(c.run(&["get", "pod", "bad"]).code, 1);
}

/// A pod creation the API server refuses is retried by the StatefulSet controller's work queue
/// with its back-off (5 ms doubling to 1000 s) in cluster time, not once per command; the
/// events aggregate. A raised quota is seen at the next retry.
#[test]
fn a_refused_statefulset_pod_is_retried_with_the_work_queues_back_off() {
    let c = Cluster::new();
    c.ok(&["create", "quota", "pods", "--hard=pods=2"]);
    let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  replicas: 3\n  \
               selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      \
               containers:\n      - name: nginx\n        image: nginx:1.27\n";
    c.ok(&["apply", "-f", &c.file("sts.yaml", sts)]);
    let failed = |c: &Cluster| {
        let d = c.ok(&["describe", "sts", "web"]);
        d.lines()
            .find(|l| l.contains("FailedCreate"))
            .map(|l| l.split("statefulset-controller").next().unwrap_or("").trim_end().to_string())
            .unwrap_or_default()
    };
    // The failed sync writes the set's status, whose update syncs it again (a second failure);
    // later commands that come before the first retry is due do not retry.
    c.ok(&["get", "pods"]);
    c.ok(&["create", "configmap", "other"]);
    assert_text(&failed(&c), "  Warning  FailedCreate      0s (x2 over 0s)");
    // Two failures so far: retries at 5, 25, 65, 145, 305 and 625 ms (the earlier of a pending
    // retry and the new one is kept), eight attempts within the first second.
    c.ok(&["advance", "1s"]);
    assert_text(&failed(&c), "  Warning  FailedCreate      1s (x8 over 1s)");
    // The 14th at 40.945 s; the 19th at 1310.745 s, then one every 1000 s.
    c.ok(&["advance", "59s"]);
    assert_text(&failed(&c), "  Warning  FailedCreate      20s (x14 over 60s)");
    c.ok(&["advance", "1h"]);
    assert_text(&failed(&c), "  Warning  FailedCreate  5m50s (x21 over 61m)");
    let msg = c.ok(&["get", "events", "--field-selector", "reason=FailedCreate", "-o", "jsonpath={.items[0].message}"]);
    assert_text(&msg, "create Pod web-2 in StatefulSet web failed error: pods \"web-2\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2");
    // Room made: the pod is created at the next retry (4310.745 s), not before.
    c.ok(&["patch", "quota", "pods", "-p", r#"{"spec":{"hard":{"pods":"3"}}}"#]);
    assert_eq!(c.ok(&["get", "pods", "-o", "name"]), "pod/web-0\npod/web-1\n");
    c.ok(&["advance", "1000s"]);
    step(&c, &["get", "pod", "web-2", "--no-headers"], "web-2   1/1   Running   0     5m50s\n");
    // The success forgets the failures: the next refusal starts again at 5 ms.
    c.ok(&["scale", "sts", "web", "--replicas=4"]);
    c.ok(&["advance", "1s"]);
    let d = c.ok(&["describe", "sts", "web"]);
    assert!(d.contains("create Pod web-3 in StatefulSet web failed error: pods \"web-3\" is forbidden"), "{d}");
    assert!(
        d.contains("  Warning  FailedCreate      1s (x8 over 1s)     statefulset-controller  create Pod web-3"),
        "{d}"
    );
    // The queue forgets a deleted set: its back-off row goes with it.
    let backoffs = |c: &Cluster| -> i64 {
        let db = rusqlite::Connection::open(c.state().join("cluster.db")).expect("open the state");
        db.query_row("SELECT count(*) FROM runtime WHERE container = 'statefulset/requeue'", [], |r| r.get(0))
            .expect("count back-off rows")
    };
    assert_eq!(backoffs(&c), 1);
    c.ok(&["delete", "sts", "web"]);
    assert_eq!(backoffs(&c), 0);
}

/// A deleted namespace whose content a finalizer holds stays Terminating, with the namespace
/// controller's conditions (pkg/controller/namespace/deletion, v1.32), until the finalizer is
/// removed; then the content and the namespace go.
#[test]
fn a_namespace_stays_terminating_while_a_finalizer_holds_its_content() {
    let c = Cluster::new();
    c.ok(&["create", "namespace", "demo"]);
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  namespace: demo\n  finalizers: [\"example.com/hold\"]\ndata: {a: b}\n";
    c.ok(&["apply", "-f", &c.file("cm.yaml", cm)]);
    c.ok(&["create", "deployment", "web", "--image=nginx", "-n", "demo"]);
    step(&c, &["delete", "namespace", "demo"], "namespace \"demo\" deleted\n");
    step(&c, &["get", "namespace", "demo"], "NAME   STATUS        AGE\ndemo   Terminating   0s\n");
    // Everything else went; the held object waits, marked for deletion.
    step(&c, &["get", "all,cm", "-n", "demo", "-o", "name"], "configmap/held\n");
    let meta = "{.metadata.deletionTimestamp} {.metadata.deletionGracePeriodSeconds} {.metadata.finalizers}";
    assert_text(
        &jsonpath(&c, &["get", "cm", "held", "-n", "demo"], meta),
        "2026-11-27T09:00:00Z 0 [\"example.com/hold\"]",
    );
    let d = c.ok(&["describe", "namespace", "demo"]);
    assert_text(
        &d,
        "Name:         demo\nLabels:       kubernetes.io/metadata.name=demo\nAnnotations:  <none>\nStatus:       Terminating\n\
         Conditions:\n  \
         Type                               Status  LastTransitionTime               Reason                Message\n  \
         ----                               ------  ------------------               ------                -------\n  \
         NamespaceDeletionDiscoveryFailure  False   Fri, 27 Nov 2026 09:00:00 +0000  ResourcesDiscovered   All resources successfully discovered\n  \
         NamespaceDeletionGVParsingFailure  False   Fri, 27 Nov 2026 09:00:00 +0000  ParsedGroupVersions   All legacy kube types successfully parsed\n  \
         NamespaceDeletionContentFailure    False   Fri, 27 Nov 2026 09:00:00 +0000  ContentDeleted        All content successfully deleted, may be waiting on finalization\n  \
         NamespaceContentRemaining          True    Fri, 27 Nov 2026 09:00:00 +0000  SomeResourcesRemain   Some resources are remaining: configmaps. has 1 resource instances\n  \
         NamespaceFinalizersRemaining       True    Fri, 27 Nov 2026 09:00:00 +0000  SomeFinalizersRemain  Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances\n\
         \nNo resource quota.\n\nNo LimitRange resource.\n",
    );
    // Nothing new may be created there meanwhile.
    let out = c.run(&["create", "configmap", "x", "-n", "demo"]);
    assert_eq!(
        (out.stderr.as_str(), out.code),
        ("Error from server (Forbidden): configmaps \"x\" is forbidden: unable to create new content in namespace demo because it is being terminated\n", 1)
    );
    c.ok(&["advance", "1m"]);
    step(&c, &["get", "namespace", "demo", "--no-headers"], "demo   Terminating   60s\n");
    // The finalizer removed, the update deletes the object and the namespace finishes.
    step(
        &c,
        &["patch", "configmap", "held", "-n", "demo", "-p", r#"{"metadata":{"finalizers":null}}"#, "--type=merge"],
        "configmap/held patched\n",
    );
    let out = c.run(&["get", "namespace", "demo"]);
    assert_eq!((out.stderr.as_str(), out.code), ("Error from server (NotFound): namespaces \"demo\" not found\n", 1));
    // Without finalizers a namespace goes at once.
    c.ok(&["create", "namespace", "plain"]);
    c.ok(&["create", "configmap", "x", "-n", "plain"]);
    step(&c, &["delete", "namespace", "plain"], "namespace \"plain\" deleted\n");
    assert_eq!(c.run(&["get", "namespace", "plain"]).code, 1);
}
