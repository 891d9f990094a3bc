//! Node operations on the real binary: cordon, drain against a PodDisruptionBudget (refusal,
//! retry in cluster time, success), NoExecute taints with tolerationSeconds, and a failed node
//! whose StatefulSet pod stays until it is force-deleted.

use crate::harness::Cluster;

fn web(replicas: u32, extra: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: web}}
spec:
  selector: {{matchLabels: {{app: web}}}}
  serviceName: web
  replicas: {replicas}
  podManagementPolicy: Parallel
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
{extra}      containers: [{{name: nginx, image: nginx}}]
"
    )
}

fn nodes_of(c: &Cluster) -> String {
    c.ok(&["get", "pods", "-o", "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName", "--no-headers"])
}

#[test]
fn cordon_and_uncordon_speak_kubectl() {
    let c = Cluster::new();
    let n = "cn-beijing.192.168.0.101";
    assert_eq!(c.ok(&["cordon", n]), format!("node/{n} cordoned\n"));
    assert_eq!(c.ok(&["cordon", n]), format!("node/{n} already cordoned\n"));
    let row = c.ok(&["get", "node", n, "--no-headers"]);
    assert!(row.contains("Ready,SchedulingDisabled"), "{row}");
    let taints = c.ok(&["get", "node", n, "-o", "jsonpath={.spec.taints[*].key}"]);
    assert_eq!(taints, "node.kubernetes.io/unschedulable");
    assert_eq!(c.ok(&["uncordon", n, "--dry-run=client"]), format!("node/{n} uncordoned (dry run)\n"));
    assert_eq!(c.ok(&["uncordon", n]), format!("node/{n} uncordoned\n"));
    assert_eq!(c.ok(&["get", "node", n, "-o", "jsonpath={.spec.taints}"]), "");
    let missing = c.run(&["cordon", "nope"]);
    assert_eq!(
        (missing.code, missing.stderr.as_str()),
        (1, "Error from server (NotFound): nodes \"nope\" not found\n")
    );
}

/// kubectl's builder takes `TYPE/NAME` too: kubernetes.io's pod-failure-policy task drains
/// `nodes/$nodeName` and uncordons it the same way.
#[test]
fn drain_and_uncordon_take_a_node_in_type_slash_name_form() {
    let c = Cluster::new();
    let n = "cn-beijing.192.168.0.101";
    let drained = c.ok(&["drain", &format!("nodes/{n}"), "--ignore-daemonsets", "--grace-period=0"]);
    assert_eq!(drained, format!("node/{n} cordoned\nnode/{n} drained\n"));
    assert_eq!(c.ok(&["uncordon", &format!("node/{n}")]), format!("node/{n} uncordoned\n"));
}

#[test]
fn drain_retries_while_the_budget_refuses_then_succeeds() {
    let c = Cluster::new();
    // Four pods on three nodes: the first node holds two of them.
    let f = c.file("web.yaml", &web(4, ""));
    c.ok(&["create", "-f", &f]);
    let pdb = "apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
";
    let f = c.file("pdb.yaml", pdb);
    c.ok(&["create", "-f", &f]);
    let placed = nodes_of(&c);
    let node = "cn-beijing.192.168.0.101";
    let on_node: Vec<&str> =
        placed.lines().filter(|l| l.ends_with(node)).map(|l| l.split_whitespace().next().unwrap_or("")).collect();
    assert_eq!(on_node.len(), 2, "{placed}");
    let out = c.run(&["drain", node]);
    assert_eq!(out.code, 0, "{out:?}");
    let (a, b) = (on_node[0], on_node[1]);
    assert_eq!(
        out.stdout,
        format!(
            "node/{node} cordoned\nevicting pod default/{a}\nevicting pod default/{b}\npod/{a} evicted\nevicting pod default/{b}\npod/{b} evicted\nnode/{node} drained\n"
        )
    );
    assert_eq!(
        out.stderr,
        format!("error when evicting pods/\"{b}\" -n \"default\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n")
    );
    assert!(!nodes_of(&c).contains(node));
    assert_eq!(c.ok(&["uncordon", node]), format!("node/{node} uncordoned\n"));
}

#[test]
fn drain_stops_at_its_timeout_while_the_budget_never_allows() {
    let c = Cluster::new();
    let f = c.file("web.yaml", &web(3, ""));
    c.ok(&["create", "-f", &f]);
    let pdb = "apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: all}
spec:
  minAvailable: 3
  selector: {matchLabels: {app: web}}
";
    let f = c.file("pdb.yaml", pdb);
    c.ok(&["create", "-f", &f]);
    let node = "cn-beijing.192.168.0.101";
    let out = c.run(&["drain", node, "--timeout=12s"]);
    assert_eq!(out.code, 1);
    let retries = out.stderr.matches("will retry after 5s").count();
    assert_eq!(retries, 3, "{}", out.stderr);
    assert!(out.stderr.ends_with(&format!(
        "There are pending nodes to be drained:\n {node}\nerror when evicting pods/\"web-0\" -n \"default\": global timeout reached: 12s\n"
    )), "{}", out.stderr);
    // The cordon stays, as kubectl leaves it.
    assert!(c.ok(&["get", "node", node, "--no-headers"]).contains("SchedulingDisabled"));
}

#[test]
fn drain_refuses_unmanaged_pods_without_force() {
    let c = Cluster::new();
    c.ok(&["run", "lonely", "--image=nginx"]);
    let node = c.ok(&["get", "pod", "lonely", "-o", "jsonpath={.spec.nodeName}"]);
    let out = c.run(&["drain", &node]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!("error: unable to drain node \"{node}\" due to error: cannot delete cannot delete Pods that declare no controller (use --force to override): default/lonely, continuing command...\nThere are pending nodes to be drained:\n {node}\ncannot delete cannot delete Pods that declare no controller (use --force to override): default/lonely\n")
    );
    let forced = c.run(&["drain", &node, "--force", "--grace-period=0"]);
    assert_eq!(forced.code, 0, "{forced:?}");
    assert_eq!(forced.stderr, "Warning: deleting Pods that declare no controller: default/lonely\n");
}

#[test]
fn drain_knows_the_emptydir_flag_only_by_its_new_name() {
    // `--delete-local-data` was deprecated in v1.20 and is gone from v1.32's kubectl: an unknown
    // flag, before anything is cordoned.
    let c = Cluster::new();
    let node = c.ok(&["get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"]);
    let old = c.run(&["drain", &node, "--force", "--delete-local-data", "--ignore-daemonsets"]);
    assert_eq!((old.code, old.stdout.as_str()), (1, ""));
    assert_eq!(old.stderr, "error: unknown flag: --delete-local-data\nSee 'kubectl drain --help' for usage.\n");
    assert!(!c.ok(&["get", "node", &node, "--no-headers"]).contains("SchedulingDisabled"));
    let new = c.run(&["drain", &node, "--force", "--delete-emptydir-data", "--ignore-daemonsets"]);
    assert_eq!((new.code, new.stdout), (0, format!("node/{node} cordoned\nnode/{node} drained\n")));
}

#[test]
fn taints_report_each_change_and_refuse_bad_specs() {
    let c = Cluster::new();
    let n = "cn-beijing.192.168.1.102";
    assert_eq!(c.ok(&["taint", "nodes", n, "dedicated=infra:NoSchedule"]), format!("node/{n} tainted\n"));
    let again = c.run(&["taint", "nodes", n, "dedicated=db:NoSchedule"]);
    assert_eq!(
        again.stderr,
        format!("error: node {n} already has dedicated taint(s) with same effect(s) and --overwrite is false\n")
    );
    assert_eq!(c.ok(&["taint", "nodes", n, "dedicated=db:NoSchedule", "--overwrite"]), format!("node/{n} modified\n"));
    assert_eq!(c.ok(&["taint", "nodes", n, "dedicated:NoSchedule-"]), format!("node/{n} untainted\n"));
    let missing = c.run(&["taint", "nodes", n, "dedicated-"]);
    assert_eq!((missing.code, missing.stderr.as_str()), (1, "error: taint \"dedicated\" not found\n"));
    let pods = c.run(&["taint", "pods", "x", "a=b:NoSchedule"]);
    assert_eq!(pods.stderr, "error: invalid resource type pods, only node types are supported\n");
}

#[test]
fn no_execute_taints_evict_after_toleration_seconds() {
    let c = Cluster::new();
    let tolerating =
        "      tolerations: [{key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 60}]\n";
    let f = c.file("web.yaml", &web(3, tolerating));
    c.ok(&["create", "-f", &f]);
    let node = c.ok(&["get", "pod", "web-0", "-o", "jsonpath={.spec.nodeName}"]);
    c.ok(&["taint", "nodes", &node, "maintenance=now:NoExecute"]);
    assert_eq!(c.ok(&["get", "pod", "web-0", "-o", "jsonpath={.spec.nodeName}"]), node);
    c.ok(&["advance", "61s"]);
    let events = c.ok(&[
        "get",
        "events",
        "--field-selector",
        "reason=TaintManagerEviction",
        "-o",
        "jsonpath={.items[*].message}",
    ]);
    assert_eq!(events, "Marking for deletion Pod default/web-0");
    // Recreated elsewhere: the tainted node no longer takes pods that do not tolerate it forever.
    assert_eq!(c.ok(&["get", "pod", "web-0", "-o", "jsonpath={.status.phase}"]), "Running");
}

#[test]
fn a_failed_node_keeps_its_statefulset_pod_until_force_deleted() {
    let c = Cluster::new();
    let f = c.file("web.yaml", &web(3, "      terminationGracePeriodSeconds: 10\n"));
    c.ok(&["create", "-f", &f]);
    let node = c.ok(&["get", "pod", "web-1", "-o", "jsonpath={.spec.nodeName}"]);
    assert_eq!(c.ok(&["node", "fail", &node]), format!("node/{node} failed\n"));
    let row = c.ok(&["get", "node", &node, "--no-headers"]);
    assert!(row.contains("NotReady"), "{row}");
    let ready = c.ok(&["get", "pod", "web-1", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"]);
    assert_eq!(ready, "False");
    c.ok(&["advance", "301s"]);
    let status = c.ok(&["get", "pod", "web-1", "--no-headers"]);
    assert!(status.contains("Terminating"), "{status}");
    c.ok(&["advance", "10m"]);
    assert!(c.ok(&["get", "pod", "web-1", "--no-headers"]).contains("Terminating"));
    c.ok(&["delete", "pod", "web-1", "--force", "--grace-period=0"]);
    let moved = c.ok(&["get", "pod", "web-1", "-o", "jsonpath={.spec.nodeName}"]);
    assert_ne!(moved, node);
    assert_eq!(c.ok(&["get", "pod", "web-1", "-o", "jsonpath={.status.phase}"]), "Running");
    assert_eq!(c.ok(&["node", "recover", &node]), format!("node/{node} recovered\n"));
    assert!(!c.ok(&["get", "node", &node, "--no-headers"]).contains("NotReady"));
}

#[test]
fn a_node_created_through_the_api_is_registered_and_deleting_it_removes_its_pods() {
    let c = Cluster::new();
    let node = "apiVersion: v1
kind: Node
metadata:
  name: extra
  labels: {kubernetes.io/hostname: extra, disk: nvme}
";
    let f = c.file("node.yaml", node);
    c.ok(&["create", "-f", &f]);
    let row = c.ok(&["get", "node", "extra", "--no-headers"]);
    assert!(row.starts_with("extra   Ready"), "{row}");
    let pod = "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  nodeSelector: {disk: nvme}
  containers: [{name: c, image: nginx}]
";
    let f = c.file("p.yaml", pod);
    c.ok(&["create", "-f", &f]);
    assert_eq!(c.ok(&["get", "pod", "p", "-o", "jsonpath={.spec.nodeName}"]), "extra");
    c.ok(&["delete", "node", "extra"]);
    let gone = c.run(&["get", "pod", "p"]);
    assert_eq!(gone.stderr, "Error from server (NotFound): pods \"p\" not found\n");
}
