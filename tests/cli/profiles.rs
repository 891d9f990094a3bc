//! Every profile: the seed's StatefulSet on the profile's default class (EKS: `gp2`, as EKS 1.30+
//! has no default), with node names, volume names and handles, zones and provisioning events as
//! that cloud or tool shows them.

use crate::harness::Cluster;

fn with_profile(profile: &str) -> Cluster {
    let c = Cluster::new();
    let mut cmd = c.command(&["profile"]);
    cmd.env("KSTATE_PROFILE", profile);
    let out = cmd.output().expect("run kstate");
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(&format!("{profile} (")));
    c
}

fn web(class: Option<&str>) -> String {
    let class = class.map(|c| format!("      storageClassName: {c}\n")).unwrap_or_default();
    format!(
        "apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: web}}
spec:
  selector: {{matchLabels: {{app: nginx}}}}
  serviceName: nginx
  replicas: 2
  template:
    metadata: {{labels: {{app: nginx}}}}
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts: [{{name: www, mountPath: /usr/share/nginx/html}}]
  volumeClaimTemplates:
  - metadata: {{name: www}}
    spec:
      accessModes: [ReadWriteOnce]
{class}      resources: {{requests: {{storage: 1Gi}}}}
"
    )
}

struct Seen {
    node: String,
    pv: String,
    handle: String,
    zone: String,
    source: String,
}

/// web-0's node, its volume's name, handle (CSI, in-tree or path) and affinity value, and the
/// source of the ProvisioningSucceeded event.
fn deploy(c: &Cluster, class: Option<&str>) -> Seen {
    let f = c.file("web.yaml", &web(class));
    c.ok(&["create", "-f", &f]);
    for i in 0..2 {
        assert_eq!(c.ok(&["get", "pod", &format!("web-{i}"), "-o", "jsonpath={.status.phase}"]), "Running");
    }
    let pv = c.ok(&["get", "pvc", "www-web-0", "-o", "jsonpath={.spec.volumeName}"]);
    let handle = c.ok(&[
        "get",
        "pv",
        &pv,
        "-o",
        "jsonpath={.spec.csi.volumeHandle}{.spec.awsElasticBlockStore.volumeID}{.spec.hostPath.path}{.spec.local.path}",
    ]);
    let zone = c.ok(&[
        "get",
        "pv",
        &pv,
        "-o",
        "jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}",
    ]);
    let source = c.ok(&[
        "get",
        "events",
        "--field-selector",
        "reason=ProvisioningSucceeded,involvedObject.name=www-web-0",
        "-o",
        "jsonpath={.items[0].source.component}",
    ]);
    Seen { node: c.ok(&["get", "pod", "web-0", "-o", "jsonpath={.spec.nodeName}"]), pv, handle, zone, source }
}

fn is_hex(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

#[test]
fn eks_gives_ebs_volumes_in_the_nodes_zone() {
    let c = with_profile("eks");
    let nodes = c.ok(&["get", "nodes", "-o", "jsonpath={.items[*].metadata.name}"]);
    assert_eq!(
        nodes,
        "ip-192-168-0-100.eu-west-1.compute.internal ip-192-168-32-100.eu-west-1.compute.internal ip-192-168-64-100.eu-west-1.compute.internal"
    );
    assert_eq!(
        c.ok(&["get", "sc", "--no-headers"]).split_whitespace().take(2).collect::<Vec<_>>(),
        ["gp2", "kubernetes.io/aws-ebs"]
    );
    let s = deploy(&c, Some("gp2"));
    assert!(s.pv.starts_with("pvc-") && is_hex(&s.pv[4..]), "{}", s.pv);
    assert!(s.handle.starts_with("vol-") && s.handle.len() == 21, "{}", s.handle);
    let node_zone =
        c.ok(&["get", "node", &s.node, "-o", "jsonpath={.metadata.labels.topology\\.kubernetes\\.io/zone}"]);
    assert_eq!(s.zone, node_zone);
    assert!(s.source.starts_with("ebs.csi.aws.com_ebs-csi-controller-"), "{}", s.source);
    assert_eq!(c.ok(&["version"]).lines().last(), Some("Server Version: v1.32.0-eks-5ca49cb"));
}

#[test]
fn gke_gives_pd_volumes_named_by_project_zone_and_claim() {
    let c = with_profile("gke");
    let s = deploy(&c, None);
    assert!(s.node.starts_with("gke-kstate-default-pool-"), "{}", s.node);
    assert_eq!(s.handle, format!("projects/kstate-project/zones/{}/disks/{}", s.zone, s.pv));
    assert!(s.zone.starts_with("us-central1-"));
    assert!(s.source.starts_with("pd.csi.storage.gke.io_"), "{}", s.source);
    assert_eq!(c.ok(&["get", "pvc", "www-web-0", "-o", "jsonpath={.spec.storageClassName}"]), "standard-rwo");
}

#[test]
fn aks_gives_managed_disks_in_the_node_resource_group() {
    let c = with_profile("aks");
    let s = deploy(&c, None);
    assert_eq!(
        c.ok(&["get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"]),
        "aks-nodepool1-18823728-vmss000000"
    );
    assert_eq!(
        s.handle,
        format!(
            "/subscriptions/7e1f4c2a-9b3d-4e8f-a6c5-0d2b1e3f4a5c/resourceGroups/mc_kstate-rg_kstate-aks_eastus/providers/Microsoft.Compute/disks/{}",
            s.pv
        )
    );
    assert_eq!(s.zone, "");
    assert!(s.source.starts_with("disk.csi.azure.com_"), "{}", s.source);
}

#[test]
fn kind_uses_local_path_on_its_single_node() {
    let c = with_profile("kind");
    let s = deploy(&c, None);
    assert_eq!(s.node, "kind-control-plane");
    assert_eq!(s.zone, "kind-control-plane");
    assert_eq!(s.handle, format!("/var/local-path-provisioner/{}_default_www-web-0", s.pv));
    assert!(s.source.starts_with("rancher.io/local-path_"), "{}", s.source);
    let wide = c.ok(&["get", "nodes", "-o", "wide", "--no-headers"]);
    assert!(wide.contains("Debian GNU/Linux 12 (bookworm)") && wide.contains("containerd://1.7.24"), "{wide}");
}

#[test]
fn minikube_binds_hostpath_volumes_immediately() {
    let c = with_profile("minikube");
    let s = deploy(&c, None);
    assert_eq!(s.node, "minikube");
    assert_eq!(s.handle, "/tmp/hostpath-provisioner/default/www-web-0");
    assert_eq!(s.zone, "");
    assert!(s.source.starts_with("k8s.io/minikube-hostpath_minikube_"), "{}", s.source);
}

#[test]
fn k3s_makes_local_volumes_under_its_storage_dir() {
    let c = with_profile("k3s");
    let s = deploy(&c, None);
    assert_eq!(s.node, "k3d-k3s-default-server-0");
    assert_eq!(s.handle, format!("/var/lib/rancher/k3s/storage/{}_default_www-web-0", s.pv));
    let roles = c.ok(&["get", "nodes", "--no-headers"]);
    assert!(roles.contains("control-plane,master") && roles.contains("v1.32.1+k3s1"), "{roles}");
}

#[test]
fn ack_stays_the_default_and_node_counts_scale() {
    let c = Cluster::new();
    assert!(c.ok(&["profile"]).starts_with("ack ("));
    let big = Cluster::new();
    let mut cmd = big.command(&["get", "nodes", "--no-headers"]);
    cmd.env("KSTATE_NODES", "200");
    let out = cmd.output().expect("run kstate");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 200);
    let bad = c.command(&["init", "--profile", "openshift"]).output().expect("run kstate");
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr),
        "error: unknown profile \"openshift\" (one of ack, eks, gke, aks, kind, minikube, k3s)\n"
    );
    let again = c.run(&["init", "--profile", "eks"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.ends_with("already holds a cluster (profile ack); delete the directory to start over\n"));
}

#[test]
fn init_creates_the_chosen_profile() {
    let c = Cluster::new();
    assert_eq!(
        c.ok(&["init", "--profile", "kind", "--nodes", "3"]),
        "cluster created: profile kind (kind v0.26.0 (kindest/node:v1.32.0, local-path provisioner)), 3 nodes\n"
    );
    let taints = c.ok(&["get", "node", "kind-control-plane", "-o", "jsonpath={.spec.taints[0].key}"]);
    assert_eq!(taints, "node-role.kubernetes.io/control-plane");
}
