//! The scheduler's filters on the real binary: each obstacle gives kube-scheduler v1.32's exact
//! FailedScheduling message, and the pod schedules once the obstacle goes.

use crate::harness::{assert_text, Cluster};

/// A kind cluster of a control plane and two workers (the control plane tainted).
fn kind3() -> Cluster {
    let c = Cluster::new();
    let mut cmd = c.command(&["get", "nodes"]);
    cmd.env("KSTATE_PROFILE", "kind").env("KSTATE_NODES", "3");
    let out = cmd.output().expect("run kstate");
    assert!(out.status.success());
    c
}

fn pod(name: &str, spec_extra: &str) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels: {{app: {name}}}
spec:
{spec_extra}  containers:
  - name: c
    image: nginx
"
    )
}

fn last_event(c: &Cluster, pod: &str) -> String {
    let out = c.ok(&[
        "get",
        "events",
        "--field-selector",
        &format!("involvedObject.name={pod},reason=FailedScheduling"),
        "-o",
        "jsonpath={.items[-1:].message}",
    ]);
    out
}

fn node_of(c: &Cluster, pod: &str) -> String {
    c.ok(&["get", "pod", pod, "-o", "jsonpath={.spec.nodeName}"])
}

const PREEMPTION_UAU: &str = "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";

#[test]
fn cordoned_and_tainted_nodes_are_named_then_the_pod_schedules() {
    let c = kind3();
    c.ok(&["cordon", "kind-worker"]);
    c.ok(&["taint", "nodes", "kind-worker2", "gpu=true:NoSchedule"]);
    let f = c.file("p.yaml", &pod("p", ""));
    c.ok(&["create", "-f", &f]);
    assert_eq!(
        last_event(&c, "p"),
        format!("0/3 nodes are available: 1 node(s) had untolerated taint {{gpu: true}}, 1 node(s) had untolerated taint {{node-role.kubernetes.io/control-plane: }}, 1 node(s) were unschedulable. {PREEMPTION_UAU}")
    );
    assert_eq!(c.ok(&["get", "pod", "p", "-o", "jsonpath={.status.conditions[0].reason}"]), "Unschedulable");
    assert_eq!(c.ok(&["taint", "nodes", "kind-worker2", "gpu-"]), "node/kind-worker2 untainted\n");
    assert_eq!(node_of(&c, "p"), "kind-worker2");
}

#[test]
fn node_selector_and_required_affinity_match_labels() {
    let c = kind3();
    let spec = "  nodeSelector: {disk: ssd}\n";
    let f = c.file("p.yaml", &pod("p", spec));
    c.ok(&["create", "-f", &f]);
    assert_eq!(
        last_event(&c, "p"),
        format!("0/3 nodes are available: 1 node(s) had untolerated taint {{node-role.kubernetes.io/control-plane: }}, 2 node(s) didn't match Pod's node affinity/selector. {PREEMPTION_UAU}")
    );
    c.ok(&["label", "node", "kind-worker2", "disk=ssd"]);
    assert_eq!(node_of(&c, "p"), "kind-worker2");
}

#[test]
fn requests_beyond_allocatable_are_insufficient_and_preemption_has_no_victims() {
    let c = kind3();
    let spec = "  tolerations: [{operator: Exists}]\n";
    let big = pod("big", spec)
        .replace("image: nginx\n", "image: nginx\n    resources: {requests: {cpu: \"9\", memory: 1Gi}}\n");
    let f = c.file("big.yaml", &big);
    c.ok(&["create", "-f", &f]);
    assert_eq!(
        last_event(&c, "big"),
        "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    );
}

#[test]
fn host_ports_conflict_on_every_node() {
    let c = kind3();
    let spec = "  tolerations: [{operator: Exists}]\n";
    let with_port = |name: &str| {
        pod(name, spec).replace("image: nginx\n", "image: nginx\n    ports: [{containerPort: 80, hostPort: 8080}]\n")
    };
    for name in ["a", "b", "c", "d"] {
        let f = c.file(&format!("{name}.yaml"), &with_port(name));
        c.ok(&["create", "-f", &f]);
    }
    assert_eq!(
        last_event(&c, "d"),
        "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    );
    c.ok(&["delete", "pod", "a"]);
    assert!(!node_of(&c, "d").is_empty());
}

#[test]
fn anti_affinity_spreads_one_per_node_and_blocks_the_next() {
    let c = kind3();
    let spec = "  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchLabels: {tier: zk}}
        topologyKey: kubernetes.io/hostname
";
    let zk = |name: &str| pod(name, spec).replace(&format!("labels: {{app: {name}}}"), "labels: {tier: zk}");
    for name in ["zk-0", "zk-1", "zk-2"] {
        let f = c.file(&format!("{name}.yaml"), &zk(name));
        c.ok(&["create", "-f", &f]);
    }
    assert_ne!(node_of(&c, "zk-0"), node_of(&c, "zk-1"));
    assert_eq!(
        last_event(&c, "zk-2"),
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
    );
    c.ok(&["delete", "pod", "zk-0"]);
    assert!(!node_of(&c, "zk-2").is_empty());
}

#[test]
fn pod_affinity_needs_a_matching_pod_in_the_domain() {
    let c = kind3();
    let spec = "  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector: {matchLabels: {app: cache}}
        topologyKey: kubernetes.io/hostname
";
    let f = c.file("web.yaml", &pod("web", spec));
    c.ok(&["create", "-f", &f]);
    assert_eq!(
        last_event(&c, "web"),
        format!("0/3 nodes are available: 1 node(s) had untolerated taint {{node-role.kubernetes.io/control-plane: }}, 2 node(s) didn't match pod affinity rules. {PREEMPTION_UAU}")
    );
    let f = c.file("cache.yaml", &pod("cache", ""));
    c.ok(&["create", "-f", &f]);
    assert_eq!(node_of(&c, "web"), node_of(&c, "cache"));
}

#[test]
fn hard_topology_spread_rejects_the_crowded_domain() {
    let c = kind3();
    let spec = "  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: DoNotSchedule
    labelSelector: {matchLabels: {tier: web}}
  nodeSelector: {kubernetes.io/hostname: kind-worker}
";
    let web = |name: &str| pod(name, spec).replace(&format!("labels: {{app: {name}}}"), "labels: {tier: web}");
    for name in ["w1", "w2"] {
        let f = c.file(&format!("{name}.yaml"), &web(name));
        c.ok(&["create", "-f", &f]);
    }
    // Only kind-worker is eligible (node affinity is honoured), so it is its own minimum domain.
    assert_eq!(node_of(&c, "w2"), "kind-worker");
    let labels = "  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: rack
    whenUnsatisfiable: DoNotSchedule
    labelSelector: {matchLabels: {tier: web}}
";
    let f = c.file("w3.yaml", &pod("w3", labels));
    c.ok(&["create", "-f", &f]);
    assert_eq!(
        last_event(&c, "w3"),
        format!("0/3 nodes are available: 1 node(s) had untolerated taint {{node-role.kubernetes.io/control-plane: }}, 2 node(s) didn't match pod topology spread constraints (missing required label). {PREEMPTION_UAU}")
    );
    c.ok(&["label", "node", "kind-worker", "rack=r1"]);
    assert_eq!(node_of(&c, "w3"), "kind-worker");
}

#[test]
fn unbound_immediate_claims_are_a_prefilter_failure() {
    let c = Cluster::new();
    let claim = "apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: small}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: alicloud-disk-ssd
  resources: {requests: {storage: 1Gi}}
";
    let f = c.file("claim.yaml", claim);
    c.ok(&["create", "-f", &f]);
    let p = pod("p", "  volumes: [{name: d, persistentVolumeClaim: {claimName: small}}]\n");
    let f = c.file("p.yaml", &p);
    c.ok(&["create", "-f", &f]);
    assert_eq!(
        last_event(&c, "p"),
        "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
}

#[test]
fn ten_thousand_replicas_fill_three_nodes_of_110_pods() {
    let c = Cluster::new();
    let sts = "apiVersion: apps/v1
kind: StatefulSet
metadata: {name: many}
spec:
  selector: {matchLabels: {app: many}}
  serviceName: many
  replicas: 10000
  template:
    metadata: {labels: {app: many}}
    spec:
      containers: [{name: c, image: nginx}]
";
    let f = c.file("many.yaml", sts);
    c.ok(&["create", "-f", &f]);
    let running = c.ok(&["get", "pods", "--field-selector", "status.phase=Running", "-o", "name"]);
    assert_eq!(running.lines().count(), 330);
    assert_eq!(c.ok(&["get", "pod", "many-330", "-o", "jsonpath={.status.phase}"]), "Pending");
    assert_eq!(
        last_event(&c, "many-330"),
        "0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    );
}

/// A pod whose WaitForFirstConsumer claim is provisioned for the node its scheduling cycle chose
/// is bound to that node: kube-scheduler's VolumeBinding waits in PreBind and binds in the same
/// cycle, so the node sampling of a cluster over 100 nodes (`nextStartNodeIndex`) moves once per
/// pod, not once more when the claim is bound.
#[test]
fn a_pod_waiting_for_its_claims_binds_to_the_node_of_its_one_cycle() {
    let c = Cluster::new();
    c.ok(&["init", "--profile", "gke", "--nodes", "150"]);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bench/manifests/web-default-class.yaml");
    c.ok(&["create", "-f", path]);
    c.ok(&["scale", "sts", "web", "--replicas=6"]);
    let nodes = c.ok(&["get", "pods", "-o", "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName"]);
    assert_text(
        &nodes,
        "NAME    NODE
web-0   gke-kstate-default-pool-3f2a9c1e-0zq5
web-1   gke-kstate-default-pool-7b4d0e85-15u4
web-2   gke-kstate-default-pool-c61f2a47-9h8r
web-3   gke-kstate-default-pool-3f2a9c1e-1i22
web-4   gke-kstate-default-pool-7b4d0e85-1o61
web-5   gke-kstate-default-pool-c61f2a47-9zko
",
    );
    // Each claim was provisioned for the node its pod runs on.
    for i in 0..6 {
        let pod = format!("web-{i}");
        let node = c.ok(&["get", "pod", &pod, "-o", "jsonpath={.spec.nodeName}"]);
        let selected = c.ok(&[
            "get",
            "pvc",
            &format!("disk-ssd-{pod}"),
            "-o",
            "jsonpath={.metadata.annotations.volume\\.kubernetes\\.io/selected-node}",
        ]);
        assert_eq!(node, selected, "{pod}");
    }
}
