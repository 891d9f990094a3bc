//! What a fresh cluster has before the user does anything: namespaces, three Ready nodes in three
//! zones of one region, the storage classes of an ACK cluster plus a local-path `standard` default,
//! and the `kubernetes` and `kube-dns` services.

use serde_json::{json, Value};

use super::Cluster;
use crate::api::ObjectExt;
use crate::Result;

/// Region and zones of the simulated nodes (an ACK cluster in Beijing: disk ids start `d-2ze`).
pub const REGION: &str = "cn-beijing";
pub const ZONES: [&str; 3] = ["cn-beijing-a", "cn-beijing-b", "cn-beijing-c"];
pub const KUBELET_VERSION: &str = "v1.32.1";

/// The node names; node `i` has InternalIP `192.168.i.101+i` and pod CIDR `10.244.i.0/24`.
pub fn node_name(i: usize) -> String {
    format!("{REGION}.{}", node_ip(i))
}

pub fn node_ip(i: usize) -> String {
    format!("192.168.{i}.{}", 101 + i)
}

pub fn seed(c: &mut Cluster) -> Result<()> {
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        c.create(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}), "")?;
    }
    for i in 0..ZONES.len() {
        let node = node(c, i);
        c.create(node, "")?;
    }
    for sc in storage_classes() {
        c.create(sc, "")?;
    }
    let kubernetes = c.create(kubernetes_service(), "default")?;
    let dns = c.create(kube_dns_service(), "kube-system")?;
    for obj in apiserver_endpoints(&kubernetes) {
        c.create(obj, "default")?;
    }
    // No DNS pods are simulated: the kube-dns service has endpoints objects with no addresses.
    let labels = dns.at("metadata.labels").cloned().unwrap_or(json!({}));
    let mut slice_labels = labels.clone();
    slice_labels["endpointslice.kubernetes.io/managed-by"] = json!("endpointslice-controller.k8s.io");
    slice_labels["kubernetes.io/service-name"] = json!("kube-dns");
    c.create(
        json!({"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "kube-dns", "labels": labels}}),
        "kube-system",
    )?;
    c.create(
        json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4", "endpoints": null,
               "metadata": {"generateName": "kube-dns-", "generation": 1, "labels": slice_labels,
                            "ownerReferences": [crate::api::object::controller_ref_to(&dns)]},
               "ports": [{"name": "dns-tcp", "port": 53, "protocol": "TCP"}, {"name": "dns", "port": 53, "protocol": "UDP"},
                         {"name": "metrics", "port": 9153, "protocol": "TCP"}]}),
        "kube-system",
    )?;
    for i in 0..ZONES.len() {
        let now = c.clock.now_rfc3339();
        let lease = json!({
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": node_name(i), "namespace": "kube-node-lease"},
            "spec": {"holderIdentity": node_name(i), "leaseDurationSeconds": 40, "renewTime": format!("{}.000000Z", now.trim_end_matches('Z'))},
        });
        c.create(lease, "kube-node-lease")?;
    }
    Ok(())
}

/// The API server publishes its own address behind the `kubernetes` service.
fn apiserver_endpoints(svc: &Value) -> [Value; 2] {
    let ip = "192.168.0.100";
    [
        json!({
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {"name": "kubernetes", "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
            "subsets": [{"addresses": [{"ip": ip}], "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}],
        }),
        json!({
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "addressType": "IPv4",
            "endpoints": [{"addresses": [ip], "conditions": {"ready": true}}],
            "metadata": {"name": "kubernetes", "generation": 1, "labels": {"kubernetes.io/service-name": "kubernetes"},
                         "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": "kubernetes", "uid": svc.uid()}]},
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
        }),
    ]
}

fn node(c: &mut Cluster, i: usize) -> Value {
    let name = node_name(i);
    let now = c.clock.now_rfc3339();
    let condition = |type_: &str, status: &str, reason: &str, message: &str| {
        json!({"lastHeartbeatTime": now, "lastTransitionTime": now, "message": message,
               "reason": reason, "status": status, "type": type_})
    };
    json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "annotations": {
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
            "labels": {
                "beta.kubernetes.io/arch": "amd64",
                "beta.kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
                "node.kubernetes.io/instance-type": "ecs.g7.xlarge",
                "topology.diskplugin.csi.alibabacloud.com/zone": ZONES[i],
                "topology.kubernetes.io/region": REGION,
                "topology.kubernetes.io/zone": ZONES[i],
            },
        },
        "spec": {
            "podCIDR": format!("10.244.{i}.0/24"),
            "podCIDRs": [format!("10.244.{i}.0/24")],
            "providerID": format!("{REGION}.i-2ze{}", c.ids.hex(17)),
        },
        "status": {
            "addresses": [
                {"address": node_ip(i), "type": "InternalIP"},
                {"address": name, "type": "Hostname"},
            ],
            "allocatable": {"cpu": "3920m", "ephemeral-storage": "113014201201", "hugepages-1Gi": "0",
                            "hugepages-2Mi": "0", "memory": "13340020Ki", "pods": "110"},
            "capacity": {"cpu": "4", "ephemeral-storage": "123722704Ki", "hugepages-1Gi": "0",
                         "hugepages-2Mi": "0", "memory": "15950196Ki", "pods": "110"},
            "conditions": [
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": c.ids.uid(),
                "containerRuntimeVersion": "containerd://1.7.24",
                "kernelVersion": "5.10.134-18.al8.x86_64",
                "kubeProxyVersion": KUBELET_VERSION,
                "kubeletVersion": KUBELET_VERSION,
                "machineID": c.ids.hex(32),
                "operatingSystem": "linux",
                "osImage": "Alibaba Cloud Linux 3.2104 U11 (OpenAnolis Edition)",
                "systemUUID": c.ids.uid(),
            },
        },
    })
}

fn ack_class(name: &str, disk_type: &str, binding: &str) -> Value {
    json!({
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": name},
        "allowVolumeExpansion": true,
        "parameters": {"type": disk_type},
        "provisioner": "diskplugin.csi.alibabacloud.com",
        "reclaimPolicy": "Delete",
        "volumeBindingMode": binding,
    })
}

fn storage_classes() -> Vec<Value> {
    vec![
        ack_class("alicloud-disk-available", "available", "Immediate"),
        ack_class("alicloud-disk-efficiency", "cloud_efficiency", "Immediate"),
        ack_class("alicloud-disk-essd", "cloud_essd", "Immediate"),
        ack_class("alicloud-disk-ssd", "cloud_ssd", "Immediate"),
        ack_class("alicloud-disk-topology", "available", "WaitForFirstConsumer"),
        ack_class("alicloud-disk-topology-alltype", "cloud_essd,cloud_ssd,cloud_efficiency", "WaitForFirstConsumer"),
        json!({
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {
                "name": "standard",
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
            },
            "provisioner": "rancher.io/local-path",
            "reclaimPolicy": "Delete",
            "volumeBindingMode": "WaitForFirstConsumer",
        }),
    ]
}

fn kubernetes_service() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "kubernetes", "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {
            "clusterIP": "10.96.0.1",
            "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
            "sessionAffinity": "None",
            "type": "ClusterIP",
        },
    })
}

fn kube_dns_service() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "kube-dns",
            "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
            "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"},
        },
        "spec": {
            "clusterIP": "10.96.0.10",
            "ports": [
                {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153},
            ],
            "selector": {"k8s-app": "kube-dns"},
            "type": "ClusterIP",
        },
    })
}
