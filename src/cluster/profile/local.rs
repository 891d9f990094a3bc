//! Local clusters: kind, minikube and k3s (as k3d runs it). One node by default, as each tool
//! creates; more with `KSTATE_NODES` (a control plane and workers).

use serde_json::{json, Map, Value};

use super::{default_class, ipv4_plus, put, storage_class, NodeShape, Profile, Resources};

/// A developer machine's resources, which a container-based node reports as its own.
const HOST: Resources = Resources { cpu: "8", memory: "16336592Ki", pods: "110", ephemeral_storage: "102626232Ki" };

pub static KIND: Profile = Profile {
    name: "kind",
    title: "kind v0.26.0 (kindest/node:v1.32.0, local-path provisioner)",
    default_nodes: 1,
    region: "",
    zones: &[],
    server_version: "v1.32.0",
    kubelet_version: "v1.32.0",
    os_image: "Debian GNU/Linux 12 (bookworm)",
    kernel: "6.8.0-51-generic",
    runtime: "containerd://1.7.24",
    capacity: HOST,
    allocatable: HOST,
    apiserver_ip: "172.18.0.2",
    node: kind_node,
    storage_classes: kind_classes,
};

fn control_plane_labels(labels: &mut Map<String, Value>) {
    put(
        labels,
        &[
            ("node-role.kubernetes.io/control-plane", ""),
            ("node.kubernetes.io/exclude-from-external-load-balancers", ""),
        ],
    );
}

/// `kind-control-plane`, then `kind-worker`, `kind-worker2`, ...; the control plane keeps its
/// NoSchedule taint unless it is the only node.
fn kind_node(p: &Profile, i: usize, total: usize) -> NodeShape {
    let name = match i {
        0 => "kind-control-plane".to_string(),
        1 => "kind-worker".to_string(),
        n => format!("kind-worker{n}"),
    };
    let ip = ipv4_plus([172, 18, 0, 2], i);
    let mut labels = p.base_labels(&name, "");
    let mut taints = Vec::new();
    if i == 0 {
        control_plane_labels(&mut labels);
        if total > 1 {
            taints.push(json!({"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}));
        }
    }
    let mut annotations = Map::new();
    put(&mut annotations, &[("kubeadm.alpha.kubernetes.io/cri-socket", "unix:///run/containerd/containerd.sock")]);
    let provider_id = format!("kind://docker/kind/{name}");
    NodeShape { name, ip, labels, annotations, taints, provider_id: Some(provider_id) }
}

fn kind_classes() -> Vec<Value> {
    vec![default_class(storage_class("standard", "rancher.io/local-path", "WaitForFirstConsumer", false, json!({})))]
}

pub static MINIKUBE: Profile = Profile {
    name: "minikube",
    title: "minikube v1.35.0 (docker driver, storage-provisioner addon)",
    default_nodes: 1,
    region: "",
    zones: &[],
    server_version: "v1.32.0",
    kubelet_version: "v1.32.0",
    os_image: "Ubuntu 22.04.5 LTS",
    kernel: "6.8.0-51-generic",
    runtime: "docker://27.4.1",
    capacity: HOST,
    allocatable: HOST,
    apiserver_ip: "192.168.49.2",
    node: minikube_node,
    storage_classes: minikube_classes,
};

/// `minikube`, then `minikube-m02`, `minikube-m03`, ...; no taints (minikube removes kubeadm's).
fn minikube_node(p: &Profile, i: usize, _total: usize) -> NodeShape {
    let name = if i == 0 { "minikube".to_string() } else { format!("minikube-m{:02}", i + 1) };
    let ip = ipv4_plus([192, 168, 49, 2], i);
    let mut labels = p.base_labels(&name, "");
    put(
        &mut labels,
        &[
            ("minikube.k8s.io/commit", "dd5d320e41b5451cdf3c01891bc4e13d189586ed"),
            ("minikube.k8s.io/name", "minikube"),
            ("minikube.k8s.io/primary", if i == 0 { "true" } else { "false" }),
            ("minikube.k8s.io/updated_at", "2026_11_27T09_00_00_0000"),
            ("minikube.k8s.io/version", "v1.35.0"),
        ],
    );
    if i == 0 {
        control_plane_labels(&mut labels);
    }
    let mut annotations = Map::new();
    put(&mut annotations, &[("kubeadm.alpha.kubernetes.io/cri-socket", "unix:///var/run/cri-dockerd.sock")]);
    NodeShape { name, ip, labels, annotations, taints: Vec::new(), provider_id: None }
}

fn minikube_classes() -> Vec<Value> {
    let mut sc = default_class(storage_class("standard", "k8s.io/minikube-hostpath", "Immediate", false, json!({})));
    sc["metadata"]["labels"] = json!({"addonmanager.kubernetes.io/mode": "EnsureExists"});
    vec![sc]
}

pub static K3S: Profile = Profile {
    name: "k3s",
    title: "k3s v1.32.1+k3s1 (as k3d runs it: k3d-k3s-default-server-0, local-path provisioner)",
    default_nodes: 1,
    region: "",
    zones: &[],
    server_version: "v1.32.1+k3s1",
    kubelet_version: "v1.32.1+k3s1",
    os_image: "K3s v1.32.1+k3s1",
    kernel: "6.8.0-51-generic",
    runtime: "containerd://1.7.23-k3s2",
    capacity: HOST,
    allocatable: HOST,
    apiserver_ip: "172.19.0.2",
    node: k3s_node,
    storage_classes: k3s_classes,
};

/// The first node is the server (control plane), the rest agents; k3s taints nothing.
fn k3s_node(p: &Profile, i: usize, _total: usize) -> NodeShape {
    let name = if i == 0 { "k3d-k3s-default-server-0".to_string() } else { format!("k3d-k3s-default-agent-{}", i - 1) };
    let ip = ipv4_plus([172, 19, 0, 2], i);
    let mut labels = p.base_labels(&name, "k3s");
    put(&mut labels, &[("beta.kubernetes.io/instance-type", "k3s")]);
    if i == 0 {
        put(
            &mut labels,
            &[("node-role.kubernetes.io/control-plane", "true"), ("node-role.kubernetes.io/master", "true")],
        );
    }
    let mut annotations = Map::new();
    put(&mut annotations, &[("k3s.io/hostname", &name), ("k3s.io/internal-ip", &ip)]);
    let provider_id = format!("k3s://{name}");
    NodeShape { name, ip, labels, annotations, taints: Vec::new(), provider_id: Some(provider_id) }
}

fn k3s_classes() -> Vec<Value> {
    let mut sc =
        default_class(storage_class("local-path", "rancher.io/local-path", "WaitForFirstConsumer", false, json!({})));
    sc["metadata"]["annotations"]["defaultVolumeType"] = json!("local");
    vec![sc]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_taints_its_control_plane_only_with_workers() {
        assert!(kind_node(&KIND, 0, 1).taints.is_empty());
        assert_eq!(kind_node(&KIND, 0, 3).taints.len(), 1);
        assert_eq!(kind_node(&KIND, 2, 3).name, "kind-worker2");
        assert_eq!(minikube_node(&MINIKUBE, 1, 2).name, "minikube-m02");
        assert_eq!(k3s_node(&K3S, 2, 3).name, "k3d-k3s-default-agent-1");
    }
}
